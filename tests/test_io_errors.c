/* test_io_errors.c - input/output failures of the result directory, the
 * .nfg reader and the CLI: each is an error code (SIM_E_IO for a failed
 * read or write, SIM_E_EXISTS or SIM_E_USAGE for a refused directory) with
 * a message naming the file, and a failed run leaves no result and no
 * temporary directory behind.
 *
 * CI runs as root, for whom chmod cannot make a directory unwritable, so
 * the failures come from limits that bind root too: a file-size limit
 * (RLIMIT_FSIZE, with SIGXFSZ ignored: writes fail with EFBIG, as on a
 * full disk), no free file descriptor (RLIMIT_NOFILE), names longer than
 * NAME_MAX (255), a directory where a file is to be created, /dev/zero and
 * /dev/full. Each limit is set around one library call and restored. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/output.h"
#include <sanctionsim/batch.h>
#include <sanctionsim/compare.h>
#include <sanctionsim/experiment.h>
#include <sanctionsim/merge.h>
#include <sanctionsim/nfg.h>
#include <sanctionsim/scenario.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

static void load_baseline(sim_scenario *sc)
{
    sim_err err = {0};
    if (sim_scenario_load(sc, sim_builtin_models(), "scenarios/baseline.cfg",
                          NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Asserts that parent holds exactly `want` entries (names for messages). */
static void assert_entries(const char *parent, int want, const char *what)
{
    char names[2048];
    int n = sim_test_dir_entries(parent, names, sizeof names);
    if (n != want)
        fail_msg("%s: %s holds %d entries, want %d:%s", what, parent, n, want,
                 names);
}

static void rm_rf(const char *path)
{
    char cmd[2400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

static int run_batch(const sim_scenario *sc, const char *dir, long n,
                     bool trace, bool force, sim_err *err)
{
    sim_batch_opts o = {.seed = 7,
                        .replications = n,
                        .trace = trace,
                        .outdir = dir,
                        .force = force,
                        .command_line = "test_io_errors"};
    sim_batch_result r = {0};
    int rc = sim_batch_run(sc, &o, &r, err);
    if (rc == 0)
        sim_batch_result_free(&r);
    return rc;
}

static long file_size(const char *dir, const char *name)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* ---- a file-size limit: writes fail as on a full disk ---- */

/* Runs one batch with the files limited to `limit` bytes; returns the
 * status and, on failure, which file the message names (or "?"). */
struct limited_batch {
    const sim_scenario *sc;
    const char *dir;
    long n;
    bool trace;
    sim_err *err;
};

static int limited_batch(void *p)
{
    struct limited_batch *c = p;
    return run_batch(c->sc, c->dir, c->n, c->trace, false, c->err);
}

static int run_limited(const sim_scenario *sc, const char *dir, long n,
                       bool trace, long limit, const char **which, sim_err *err)
{
    static const char *const files[] = {"runs.csv",     "rounds.csv",
                                        "summary.csv",  "manifest.cfg",
                                        "scenario.cfg", "journal.bin"};
    struct limited_batch c = {sc, dir, n, trace, err};
    int rc = sim_test_with_file_limit(limit, limited_batch, &c);
    *which = "?";
    for (size_t i = 0; rc && i < N_OF(files); i++)
        if (strstr(err->msg, files[i]))
            *which = files[i];
    return rc;
}

/* For file-size limits from 0 to beyond the largest file, a batch either
 * succeeds with complete files or fails with SIM_E_IO naming the file it
 * could not write, leaving neither the result nor a temporary directory.
 * The limits include each file's size less one, so that every file in
 * turn is the first to fail: runs.csv and rounds.csv during the run,
 * summary.csv after it, manifest.cfg at the commit. */
static void test_file_size_limit_sweep(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_baseline(&sc);
    const char *tmp = sim_test_tmpdir("io_fsize");
    char ref[1100], dir[1100];
    snprintf(ref, sizeof ref, "%s/ref", tmp);
    snprintf(dir, sizeof dir, "%s/w/out", tmp);
    char parent[1100];
    snprintf(parent, sizeof parent, "%s/w", tmp);
    bool failed_on[5] = {false};
    static const char *const names[] = {"runs.csv", "rounds.csv", "summary.csv",
                                        "manifest.cfg", "scenario.cfg"};
    /* 50 replications: runs.csv (16 KiB) outgrows stdio's 4 KiB buffer,
     * so a write fails during the run, not only when the file is closed;
     * with trace, rounds.csv is the largest file. 3 replications: runs.csv
     * (2 KiB) is smaller than summary.csv (6 KiB), which can then fail
     * first, and manifest.cfg (10 KiB) is the largest file. */
    static const struct {
        long n;
        bool trace;
    } configs[] = {{50, false}, {50, true}, {3, false}};
    for (size_t c = 0; c < N_OF(configs); c++) {
        const long n = configs[c].n;
        const bool trace = configs[c].trace;
        sim_err err = {0};
        rm_rf(ref);
        assert_int_equal(run_batch(&sc, ref, n, trace, false, &err), 0);
        long limits[16];
        int nl = 0;
        for (size_t i = 0; i < N_OF(names); i++) {
            long s = file_size(ref, names[i]);
            if (s > 0)
                limits[nl++] = s - 1;
        }
        limits[nl++] = 0;
        limits[nl++] = 4000;
        limits[nl++] = 1L << 22; /* above every file: success */
        for (int i = 0; i < nl; i++) {
            rm_rf(parent);
            assert_int_equal(mkdir(parent, 0777), 0);
            const char *which;
            memset(&err, 0, sizeof err);
            int rc = run_limited(&sc, dir, n, trace, limits[i], &which, &err);
            if (limits[i] == 1L << 22) {
                if (rc)
                    fail_msg("limit %ld: %s", limits[i], err.msg);
                continue;
            }
            if (rc != SIM_E_IO || strcmp(which, "?") == 0 ||
                !strstr(err.msg, "cannot write"))
                fail_msg("limit %ld, -n %ld, trace %d: status %d: %s",
                         limits[i], n, trace, rc, err.msg);
            for (size_t k = 0; k < N_OF(names); k++)
                if (strcmp(which, names[k]) == 0)
                    failed_on[k] = true;
            /* no result, no .out.tmp-* */
            assert_entries(parent, 0, err.msg);
        }
    }
    /* every file but scenario.cfg and summary.csv (both smaller than
     * manifest.cfg, which out.partial/ gets first, at the start) was the
     * first to fail at some limit */
    for (size_t k = 0; k < 4; k++)
        if (k != 2 && !failed_on[k])
            fail_msg("no limit made %s fail", names[k]);
    rm_rf(tmp);
}

/* ---- a file-size limit on a comparison, a merge and a sweep ---- */

/* Writes one kind of result into outdir; returns 0 or an error code. */
typedef int (*write_fn)(const char *outdir, sim_err *err);

struct limited_write {
    write_fn f;
    const char *dir;
    sim_err *err;
};

static int limited_write(void *p)
{
    struct limited_write *c = p;
    return c->f(c->dir, c->err);
}

/* Runs f into tmp/ref unlimited, then into tmp/w/out with the files
 * limited to each regular file's size in ref less one, and to 0: each
 * run fails with SIM_E_IO, a message naming a file of the result ("cannot
 * write DIR/FILE" or the like), and nothing in tmp/w (no result, no
 * temporary directory). */
static void write_limit_sweep(const char *tmp, write_fn f, int min_first)
{
    char ref[1100], parent[1100], out[1200];
    snprintf(ref, sizeof ref, "%s/ref", tmp);
    snprintf(parent, sizeof parent, "%s/w", tmp);
    snprintf(out, sizeof out, "%s/out", parent);
    sim_err err = {0};
    if (f(ref, &err))
        fail_msg("%s: %s", ref, err.msg);
    char names[16][256];
    long limits[17];
    bool named[16] = {false}, journal_named = false;
    int nf = 0;
    DIR *d = opendir(ref);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) && nf < 16) {
        long size = e->d_name[0] == '.' ? -1 : file_size(ref, e->d_name);
        if (size > 0) {
            snprintf(names[nf], sizeof names[nf], "%s", e->d_name);
            limits[nf++] = size - 1;
        }
    }
    closedir(d);
    assert_true(nf > 0);
    limits[nf] = 0;
    for (int i = 0; i <= nf; i++) {
        rm_rf(parent);
        assert_int_equal(mkdir(parent, 0777), 0);
        memset(&err, 0, sizeof err);
        struct limited_write c = {f, out, &err};
        int rc = sim_test_with_file_limit(limits[i], limited_write, &c);
        /* or the journal a run or sweep keeps while it writes */
        bool any = strstr(err.msg, "journal.bin") || strstr(err.msg, "sweep.bin");
        journal_named |= any;
        for (int k = 0; k < nf; k++)
            if (strstr(err.msg, names[k]))
                any = named[k] = true;
        if (rc != SIM_E_IO || !any)
            fail_msg("%s, limit %ld: status %d (want SIM_E_IO naming a "
                     "file): %s",
                     tmp, limits[i], rc, err.msg);
        assert_entries(parent, 0, err.msg);
    }
    /* A file written after a larger one is never the first to fail, so
     * not every file is named; at least min_first files must be. */
    int distinct = journal_named;
    for (int k = 0; k < nf; k++)
        distinct += named[k];
    print_message("%s: %d files, %d of them failed first\n", tmp, nf, distinct);
    if (distinct < min_first)
        fail_msg("%s: only %d of %d files failed first", tmp, distinct, nf);
    rm_rf(tmp);
}

/* The inputs: two results of the baseline to compare, and two slices of
 * one batch of 6 replications to merge (with rounds.csv, the largest
 * file), and two of a batch of 2 (without: the manifest is the largest). */
static char res_a[1100], res_b[1100], slice0[1100], slice1[1100];
static char small0[1100], small1[1100];

static void make_inputs(void)
{
    static sim_scenario sc;
    load_baseline(&sc);
    sc.replications = 6;
    const char *tmp = sim_test_tmpdir("io_inputs");
    snprintf(res_a, sizeof res_a, "%s/a", tmp);
    snprintf(res_b, sizeof res_b, "%s/b", tmp);
    snprintf(slice0, sizeof slice0, "%s/s0", tmp);
    snprintf(slice1, sizeof slice1, "%s/s1", tmp);
    snprintf(small0, sizeof small0, "%s/m0", tmp);
    snprintf(small1, sizeof small1, "%s/m1", tmp);
    sim_err err = {0};
    const struct {
        const char *dir;
        uint64_t seed;
        long first, n;
        bool keep;
    } runs[] = {{res_a, 1, 0, 6, false}, {res_b, 2, 0, 6, false},
                {slice0, 1, 0, 4, true}, {slice1, 1, 4, 2, true},
                {small0, 1, 0, 1, true}, {small1, 1, 1, 1, true}};
    for (size_t i = 0; i < N_OF(runs); i++) {
        sc.replications =
            runs[i].dir == small0 || runs[i].dir == small1 ? 2 : 6;
        sim_batch_opts o = {.seed = runs[i].seed,
                            .replications = runs[i].n,
                            .first = runs[i].first,
                            .keep_values = runs[i].keep,
                            .trace = sc.replications == 6,
                            .outdir = runs[i].dir,
                            .command_line = "test_io_errors"};
        sim_batch_result r;
        if (sim_batch_run(&sc, &o, &r, &err))
            fail_msg("%s: %s", runs[i].dir, err.msg);
        sim_batch_result_free(&r);
    }
}

static int write_compare(const char *outdir, sim_err *err)
{
    const char *dirs[] = {res_a, res_b};
    sim_compare_opts o = {.dirs = dirs, .ndirs = 2, .outdir = outdir};
    sim_compare_result r;
    int rc = sim_compare_run(&o, &r, err);
    if (rc == 0)
        sim_compare_result_free(&r);
    return rc;
}

static const char *merge_dirs[2];

static int write_merge(const char *outdir, sim_err *err)
{
    const char *const *dirs = merge_dirs;
    sim_merge_opts o = {.dirs = dirs,
                        .ndirs = 2,
                        .outdir = outdir,
                        .command_line = "test_io_errors"};
    sim_merge_result r;
    return sim_merge_run(&o, &r, err);
}

static sim_experiment experiment;

/* A model of the outputs: the sum of the factors, exact. */
static int sum_of_factors(void *ctx, long point, const double *x, double *y,
                          double *se, sim_err *err)
{
    (void)ctx;
    (void)point;
    (void)err;
    y[0] = x[0] + x[1];
    se[0] = 0;
    return 0;
}

/* The sweep's own files (design, points, indices, manifest), which the
 * simulator's summary.csv, written first and largest, would hide. */
static int write_sweep_fn(const char *outdir, sim_err *err)
{
    sim_sweep_opts o = {.outdir = outdir, .command_line = "test_io_errors"};
    sim_sweep_result r;
    int rc = sim_sweep_run_fn(&experiment, sum_of_factors, NULL, &o, &r, err);
    sim_sweep_result_free(&r);
    return rc;
}

static int write_sweep(const char *outdir, sim_err *err)
{
    sim_sweep_opts o = {.outdir = outdir, .command_line = "test_io_errors"};
    sim_sweep_result r;
    int rc = sim_sweep_run(&experiment, sim_builtin_models(), &o, &r, err);
    sim_sweep_result_free(&r);
    return rc;
}

/* compare.csv; the merged runs.csv, rounds.csv, summary.csv, manifest.cfg
 * and scenario.cfg; a Sobol sweep's design, points, runs, sensitivity
 * and convergence files and its manifest: each file in turn meets a full
 * disk. */
static void test_result_writes_full_disk(void **state)
{
    (void)state;
    make_inputs();
    write_limit_sweep(sim_test_tmpdir("io_compare"), write_compare, 1);
    merge_dirs[0] = slice1;
    merge_dirs[1] = slice0;
    write_limit_sweep(sim_test_tmpdir("io_merge"), write_merge, 2);
    merge_dirs[0] = small0;
    merge_dirs[1] = small1;
    write_limit_sweep(sim_test_tmpdir("io_merge_small"), write_merge, 4);
    sim_err err = {0};
    if (sim_experiment_load_string(
            &experiment,
            "scenario = \"scenarios/baseline.cfg\"; replications = 2;\n"
            "design = \"sobol\"; samples = 4; seed = 5L;\n"
            "metrics = [\"released_total\"];\n"
            "factors = ( { key = \"tension.decay\"; range = [0.5, 0.9]; },\n"
            "  { key = \"eu.enabled\"; values = [false, true]; } );\n",
            "e.cfg", &err))
        fail_msg("%s", err.msg);
    write_limit_sweep(sim_test_tmpdir("io_sweep"), write_sweep, 1);
    /* 2, not 3, since sweeps keep a journal (sweep.bin, for --resume):
     * it grows past the small files before they are written, so they
     * cannot be the first to fail */
    write_limit_sweep(sim_test_tmpdir("io_sweep_fn"), write_sweep_fn, 2);
}

/* ---- no free file descriptor ---- */

/* The lowest free file descriptor: a limit at it lets nothing new open. */
static int lowest_free_fd(void)
{
    int fd = open("/dev/null", O_RDONLY);
    assert_true(fd >= 0);
    close(fd);
    return fd;
}

static void limit_files(struct rlimit *old, int n)
{
    struct rlimit lim;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, old), 0);
    lim = *old;
    lim.rlim_cur = (rlim_t)n;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
}

/* With no file descriptor to spare, the run cannot create runs.csv: an
 * I/O error naming it, and the empty temporary directory is removed. */
static void test_no_file_descriptor(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_baseline(&sc);
    const char *tmp = sim_test_tmpdir("io_nofile");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    sim_err err = {0};
    struct rlimit old;
    limit_files(&old, lowest_free_fd());
    int rc = run_batch(&sc, dir, 3, true, false, &err);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    assert_int_equal(rc, SIM_E_IO);
    /* the lock of out.partial/ is the first file to open */
    if (!strstr(err.msg, "cannot open") || !strstr(err.msg, "out.partial"))
        fail_msg("%s", err.msg);
    assert_entries(tmp, 0, err.msg);
}

/* ---- a directory where a file is to be created ---- */

/* Opens an output in dir, writes two replications, and puts a directory
 * named `blocker` into the temporary directory, where the library will
 * want to create that file. */
static void open_and_block(sim_output *o, const sim_scenario *sc,
                           const char *dir, const char *blocker)
{
    sim_err err = {0};
    if (sim_output_open(o, sc, dir, false, false, &err))
        fail_msg("%s", err.msg);
    sim_rep_result res;
    memset(&res, 0, sizeof res);
    for (int r = 0; r < 2; r++) {
        res.rep = (uint64_t)r;
        assert_int_equal(sim_output_run(o, &res, &err), 0);
    }
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", o->tmp_dir, blocker);
    assert_int_equal(mkdir(path, 0777), 0);
}

/* summary.csv, manifest.cfg and scenario.cfg that cannot be created are
 * I/O errors naming the file; the result directory is not made (the
 * temporary one stays, as it holds the directory put there). */
static void test_file_cannot_be_created(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_baseline(&sc);
    static const char *const blockers[] = {"summary.csv", "manifest.cfg",
                                           "scenario.cfg"};
    const char *tmp = sim_test_tmpdir("io_blocked");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    for (size_t i = 0; i < N_OF(blockers); i++) {
        static sim_output o;
        sim_err err = {0};
        open_and_block(&o, &sc, dir, blockers[i]);
        int rc;
        if (i == 0) {
            sim_summary row;
            memset(&row, 0, sizeof row);
            snprintf(row.metric, sizeof row.metric, "x");
            rc = sim_output_summary(&o, &row, 1, &err);
            sim_output_abort(&o);
        } else {
            sim_manifest m = {.command_line = "test", .replications = 2};
            rc = sim_output_commit(&o, &m, &err);
        }
        assert_int_equal(rc, SIM_E_IO);
        if (!strstr(err.msg, "cannot ") || !strstr(err.msg, blockers[i]))
            fail_msg("%s: %s", blockers[i], err.msg);
        assert_false(exists(dir));
        rm_rf(tmp);
        assert_int_equal(mkdir(tmp, 0777), 0);
    }
}

/* ---- the result directory changes under a run ---- */

/* Another run fills the result directory while this one works: the commit
 * fails, keeps this run's complete results in the temporary directory
 * named in the message, and leaves the other run's files alone. */
static void test_directory_filled_meanwhile(void **state)
{
    (void)state;
    static sim_scenario sc;
    static sim_output o;
    load_baseline(&sc);
    const char *tmp = sim_test_tmpdir("io_filled");
    char dir[1100], other[1200];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(other, sizeof other, "%s/other.txt", dir);
    sim_err err = {0};
    assert_int_equal(sim_output_open(&o, &sc, dir, false, false, &err), 0);
    char kept[SIM_PATH_MAX];
    snprintf(kept, sizeof kept, "%s", o.tmp_dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(sim_test_write(other, "another run\n"), 0);
    sim_manifest m = {.command_line = "test", .replications = 0};
    assert_int_equal(sim_output_commit(&o, &m, &err), SIM_E_IO);
    if (!strstr(err.msg, "filled by another run") || !strstr(err.msg, kept))
        fail_msg("%s", err.msg);
    assert_int_equal(file_size(kept, "manifest.cfg") > 0, 1);
    assert_entries(dir, 1, err.msg);
    sim_output_abort(&o); /* nothing left to abort: kept stays */
    assert_true(exists(kept));
}

/* The result path becomes a regular file while the run works: the rename
 * fails with an I/O error, the temporary directory is removed and the
 * file is left alone. */
static void test_directory_replaced_by_file(void **state)
{
    (void)state;
    static sim_scenario sc;
    static sim_output o;
    load_baseline(&sc);
    const char *tmp = sim_test_tmpdir("io_file");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    sim_err err = {0};
    assert_int_equal(sim_output_open(&o, &sc, dir, false, false, &err), 0);
    assert_int_equal(sim_test_write(dir, "a file\n"), 0);
    sim_manifest m = {.command_line = "test", .replications = 0};
    assert_int_equal(sim_output_commit(&o, &m, &err), SIM_E_IO);
    if (!strstr(err.msg, "cannot rename the results into"))
        fail_msg("%s", err.msg);
    assert_entries(tmp, 1, err.msg); /* the file only */
    char *text = sim_test_slurp(dir, NULL);
    assert_non_null(text);
    assert_string_equal(text, "a file\n");
    free(text);
}

/* ---- names too long for the file system ---- */

/* A directory name of `len` characters under parent, into buf. */
static void long_name(char *buf, size_t size, const char *parent, int len)
{
    int n = snprintf(buf, size, "%s/", parent);
    for (int i = 0; i < len && (size_t)n + 1 < size; i++)
        buf[n++] = 'd';
    buf[n] = '\0';
}

/* The partial directory's name ("NAME.partial", 8 characters more) is too
 * long: an I/O error naming it, nothing made. */
static void test_temporary_name_too_long(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_baseline(&sc);
    const char *tmp = sim_test_tmpdir("io_longtmp");
    char dir[1400];
    long_name(dir, sizeof dir, tmp, 250);
    sim_err err = {0};
    assert_int_equal(run_batch(&sc, dir, 2, false, false, &err), SIM_E_IO);
    if (!strstr(err.msg, "cannot create directory") ||
        !strstr(err.msg, ".partial"))
        fail_msg("%s", err.msg);
    assert_entries(tmp, 0, err.msg);
}

/* Replacing an earlier result swaps it with the new one (RENAME_EXCHANGE)
 * rather than moving it aside under a longer name: with a 240-character
 * name, too long for the old "NAME.tmp-XXXXXX.old-XXXXXX", the new result
 * takes the place of the old and nothing else is left (issue 12, item 3). */
static void test_old_result_cannot_move_aside(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_baseline(&sc);
    const char *tmp = sim_test_tmpdir("io_longold");
    char dir[1400];
    long_name(dir, sizeof dir, tmp, 240);
    sim_err err = {0};
    assert_int_equal(run_batch(&sc, dir, 2, false, false, &err), 0);
    long before = file_size(dir, "runs.csv");
    assert_true(before > 0);
    if (run_batch(&sc, dir, 3, false, true, &err) != 0)
        fail_msg("%s", err.msg);
    assert_true(file_size(dir, "runs.csv") > before);
    assert_entries(tmp, 1, err.msg);
}

/* An empty or overlong output path is a usage error before any work. */
static void test_bad_output_path(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_baseline(&sc);
    char longpath[2100];
    memset(longpath, 'p', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    const char *const paths[] = {"", "/", longpath};
    for (size_t i = 0; i < N_OF(paths); i++) {
        sim_err err = {0};
        int rc = run_batch(&sc, paths[i], 2, false, false, &err);
        /* "/" names no directory that a rename could install */
        int want = SIM_E_USAGE;
        if (rc != want)
            fail_msg("'%.40s': status %d, want %d: %s", paths[i], rc, want,
                     err.msg);
    }
}

/* ---- the .nfg reader ---- */

/* A file longer than SIM_NFG_MAX_FILE_BYTES is cut off there (a sparse
 * file of that size plus one); a device (/dev/zero, which never ends) and
 * a directory are refused before a byte is read (issue 12, item 12); a
 * missing file cannot be opened. */
static void test_nfg_file_errors(void **state)
{
    (void)state;
    sim_nfg g;
    sim_err err = {0};
    char big[1200];
    snprintf(big, sizeof big, "%s/big.nfg", sim_test_tmpdir("test_io_nfg"));
    FILE *f = fopen(big, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)SIM_NFG_MAX_FILE_BYTES + 1),
                     0);
    fclose(f);
    assert_int_equal(sim_nfg_read_file(big, &g, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "file too large"));
    assert_null(g.payoff);
    remove(big);
    assert_int_equal(sim_nfg_read_file("/dev/zero", &g, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "/dev/zero: not a regular file"));
    assert_int_equal(sim_nfg_read_file("tests", &g, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "tests: not a regular file"));
    assert_int_equal(sim_nfg_read_file("tests/no_such.nfg", &g, &err),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "cannot open"));
    assert_int_equal(sim_nfg_read_file(NULL, &g, &err), SIM_E_USAGE);
    assert_int_equal(sim_nfg_read_file("x.nfg", NULL, &err), SIM_E_USAGE);
}

/* ---- the CLI ---- */

/* The CLI tells "the default result directory exists" from the error
 * code (SIM_E_EXISTS), not from the message: it adds where the name
 * comes from, and exits 2. */
static void test_cli_default_directory_exists(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("io_cli_exists");
    char cfg[1100], keep[1200], cmd[4096], cwd[1024];
    snprintf(cfg, sizeof cfg, "%s/small.cfg", tmp);
    assert_int_equal(sim_test_write(cfg, "rounds = 2;\n"), 0);
    char results[1100];
    snprintf(results, sizeof results, "%s/results", tmp);
    assert_int_equal(mkdir(results, 0777), 0);
    snprintf(results, sizeof results, "%s/results/small", tmp);
    assert_int_equal(mkdir(results, 0777), 0);
    snprintf(keep, sizeof keep, "%s/keep.txt", results);
    assert_int_equal(sim_test_write(keep, "x\n"), 0);
    assert_non_null(getcwd(cwd, sizeof cwd));
    const char *bin = sim_test_bin();
    char binabs[2100];
    if (bin[0] == '/')
        snprintf(binabs, sizeof binabs, "%s", bin);
    else
        snprintf(binabs, sizeof binabs, "%s/%s", cwd, bin);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run small.cfg -n 2 -q", tmp,
             binabs);
    char *out = NULL;
    int status = sim_test_run(cmd, &out);
    assert_non_null(out);
    if (status != 2 || !strstr(out, "exists and is not empty") ||
        !strstr(out, "(the directory is named after name = \"small\" in "
                     "small.cfg)"))
        fail_msg("exit %d: %s", status, out);
    free(out);
    /* with -o the same directory gets no such note */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && '%s' run small.cfg -n 2 -q -o results/small", tmp,
             binabs);
    status = sim_test_run(cmd, &out);
    assert_non_null(out);
    if (status != 2 || strstr(out, "named after"))
        fail_msg("exit %d: %s", status, out);
    free(out);
}

/* A run whose files outgrow the file-size limit (as on a full disk) exits
 * 1 with the file named, and leaves nothing. */
static void test_cli_full_disk(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("io_cli_fsize");
    char cmd[4096];
    /* ulimit -f counts 512-byte blocks: 8 KiB lets the CSV files through
     * and stops manifest.cfg (about 9.6 KiB for the baseline) */
    snprintf(cmd, sizeof cmd,
             "ulimit -f 16; trap '' XFSZ; '%s' run scenarios/baseline.cfg "
             "-n 3 -q -o '%s/out'",
             sim_test_bin(), tmp);
    char *out = NULL;
    int status = sim_test_run(cmd, &out);
    assert_non_null(out);
    if (status != 1 || !strstr(out, "cannot write manifest.cfg"))
        fail_msg("exit %d: %s", status, out);
    free(out);
    assert_entries(tmp, 0, "after the full disk");
}

int main(void)
{
    sim_error_quiet_gsl();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_size_limit_sweep),
        cmocka_unit_test(test_result_writes_full_disk),
        cmocka_unit_test(test_no_file_descriptor),
        cmocka_unit_test(test_file_cannot_be_created),
        cmocka_unit_test(test_directory_filled_meanwhile),
        cmocka_unit_test(test_directory_replaced_by_file),
        cmocka_unit_test(test_temporary_name_too_long),
        cmocka_unit_test(test_old_result_cannot_move_aside),
        cmocka_unit_test(test_bad_output_path),
        cmocka_unit_test(test_nfg_file_errors),
        cmocka_unit_test(test_cli_default_directory_exists),
        cmocka_unit_test(test_cli_full_disk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
