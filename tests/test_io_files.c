/* test_io_files.c - failures of the result files beyond those of
 * test_io_errors.c: files of DIR.partial that cannot be created (a
 * directory in their place), writes that fail in stdio's buffer, a
 * DIR.partial locked by another run or that cannot be cleared, a
 * DIR.partial that vanishes before the install, slices of a merge that
 * are broken or inconsistent, unreadable manifests and CSV files, and the
 * sweep's files. Each is an error code with a message naming the file (or
 * key); none leaves a result behind.
 *
 * As in test_io_errors.c, nothing relies on permissions (CI runs as root):
 * the failures come from a directory where a file is expected, a file
 * where a directory is, a file-size limit (RLIMIT_FSIZE) or no free file
 * descriptor (RLIMIT_NOFILE), flock, and /proc/self/mem (a regular file
 * whose first byte cannot be read). */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/csvread.h"
#include "../sim/manifest.h"
#include "../sim/output.h"
#include <sanctionsim/batch.h>
#include <sanctionsim/experiment.h>
#include <sanctionsim/merge.h>
#include <sanctionsim/scenario.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define SMALL "tests/golden/small.cfg"

/* ---- helpers ---- */

static void load_small(sim_scenario *sc)
{
    sim_err err = {0};
    if (sim_scenario_load(sc, sim_builtin_models(), SMALL, NULL, 0, NULL,
                          &err))
        fail_msg("%s", err.msg);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void rm_rf(const char *path)
{
    char cmd[2400];
    int n = snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    assert_int_equal(system(cmd), 0);
}

static void cp_r(const char *from, const char *to)
{
    char cmd[2400];
    int n = snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", from, to);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    assert_int_equal(system(cmd), 0);
}

/* Replaces a directory entry dir/name by an empty directory. */
static void make_dir_at(const char *dir, const char *name)
{
    char path[1200];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < sizeof path);
    rm_rf(path);
    assert_int_equal(mkdir(path, 0777), 0);
}

/* Fails unless rc is want and the message holds each fragment. */
static void expect(int rc, int want, const sim_err *err, const char *frag1,
                   const char *frag2)
{
    if (rc != want || !strstr(err->msg, frag1) || !strstr(err->msg, frag2))
        fail_msg("status %d (want %d), message '%s' (want '%s' and '%s')", rc,
                 want, err->msg, frag1, frag2);
}

/* In the file path, the first occurrence of from becomes to. */
static void edit_file(const char *path, const char *from, const char *to)
{
    char *text = sim_test_slurp(path, NULL);
    assert_non_null(text);
    char *at = strstr(text, from);
    if (!at)
        fail_msg("%s holds no '%s'", path, from);
    size_t n = strlen(text) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to,
             at + strlen(from));
    assert_int_equal(sim_test_write(path, out), 0);
    free(out);
    free(text);
}

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

/* ---- the files of DIR.partial ---- */

/* runs.csv, manifest.cfg.new and columns.csv with a directory in their
 * place cannot be created: SIM_E_IO naming the file. */
static void test_partial_file_is_a_directory(void **state)
{
    (void)state;
    static sim_scenario sc;
    static sim_output o;
    load_small(&sc);
    const char *tmp = sim_test_tmpdir("iof_blocked");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    sim_err err = {0};
    sim_manifest m = {.command_line = "test", .replications = 0};

    /* runs.csv, reopened afresh */
    assert_int_equal(sim_output_open(&o, &sc, dir, 0, false, &err), 0);
    fclose(o.runs);
    o.runs = NULL;
    make_dir_at(o.tmp_dir, "runs.csv");
    expect(sim_output_reopen(&o, false, true, &err), SIM_E_IO, &err,
           "cannot create", "runs.csv");
    sim_output_abort(&o);
    assert_false(exists(dir));

    /* the manifest's temporary file */
    assert_int_equal(sim_output_open(&o, &sc, dir, 0, false, &err), 0);
    make_dir_at(o.tmp_dir, "manifest.cfg.new");
    expect(sim_output_write_manifest(&o, &m, &err), SIM_E_IO, &err,
           "cannot create", "manifest.cfg.new");
    sim_output_abort(&o);

    /* columns.csv, the last file of the commit */
    assert_int_equal(sim_output_open(&o, &sc, dir, 0, false, &err), 0);
    make_dir_at(o.tmp_dir, "columns.csv");
    expect(sim_output_commit(&o, &m, &err), SIM_E_IO, &err, "cannot create",
           "columns.csv");
    assert_false(exists(dir));
    assert_true(sim_test_dir_entries(tmp, NULL, 0) == 0);
}

struct buffered {
    sim_output *o;
    sim_err *err;
    long rows; /* written before the failure */
};

/* Writes rows of runs.csv until one fails (stdio's buffer, flushed when
 * full, meets the limit). */
static int write_rows(void *p)
{
    struct buffered *b = p;
    sim_rep_result res;
    memset(&res, 0, sizeof res);
    for (b->rows = 0; b->rows < 100000; b->rows++) {
        res.rep = (uint64_t)b->rows;
        int rc = sim_output_run(b->o, &res, b->err);
        if (rc)
            return rc;
    }
    return 0;
}

static int write_summary(void *p)
{
    struct buffered *b = p;
    sim_summary row;
    memset(&row, 0, sizeof row);
    snprintf(row.metric, sizeof row.metric, "x");
    return sim_output_summary(b->o, &row, 1, b->err);
}

/* With no byte allowed, rows of runs.csv fail once stdio's buffer is
 * flushed, and summary.csv (one row, all in the buffer) when it is
 * closed: SIM_E_IO naming the file each time. */
static void test_buffered_writes_fail(void **state)
{
    (void)state;
    static sim_scenario sc;
    static sim_output o;
    load_small(&sc);
    const char *tmp = sim_test_tmpdir("iof_buffered");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    sim_err err = {0};
    assert_int_equal(sim_output_open(&o, &sc, dir, 0, false, &err), 0);
    struct buffered b = {&o, &err, 0};
    int rc = sim_test_with_file_limit(0, write_rows, &b);
    expect(rc, SIM_E_IO, &err, "cannot write", "runs.csv");
    assert_true(b.rows > 0); /* the first rows went into the buffer */
    memset(&err, 0, sizeof err);
    rc = sim_test_with_file_limit(0, write_summary, &b);
    expect(rc, SIM_E_IO, &err, "cannot write", "summary.csv");
    sim_output_abort(&o);
    assert_true(sim_test_dir_entries(tmp, NULL, 0) == 0);
}

/* ---- DIR.partial itself ---- */

/* Another process holds the lock of DIR.partial (flock on another open
 * file description conflicts even within one process): SIM_E_EXISTS, and
 * the other run's DIR.partial is left alone. */
static void test_partial_locked(void **state)
{
    (void)state;
    static sim_output o;
    const char *tmp = sim_test_tmpdir("iof_locked");
    char dir[1100], partial[1200];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(partial, sizeof partial, "%s.partial", dir);
    assert_int_equal(mkdir(partial, 0777), 0);
    int fd = open(partial, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
    sim_err err = {0};
    expect(sim_output_open_dir(&o, dir, SIM_OUTPUT_FORCE, &err), SIM_E_EXISTS,
           &err, "another sanctionsim is writing", partial);
    close(fd);
    assert_true(exists(partial));
}

/* --force on a stale DIR.partial that cannot be emptied (no descriptor
 * left to read it once it is locked): SIM_E_IO naming it, and its files
 * stay. */
static void test_stale_partial_not_cleared(void **state)
{
    (void)state;
    static sim_output o;
    const char *tmp = sim_test_tmpdir("iof_stale");
    char dir[1100], partial[1200], runs[1300];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(partial, sizeof partial, "%s.partial", dir);
    snprintf(runs, sizeof runs, "%s/runs.csv", partial);
    assert_int_equal(mkdir(partial, 0777), 0);
    assert_int_equal(sim_test_write(runs, "a\n1\n"), 0);
    sim_err err = {0};
    struct rlimit old;
    limit_files(&old, lowest_free_fd() + 1); /* the lock's, no more */
    int rc = sim_output_open_dir(&o, dir, SIM_OUTPUT_FORCE, &err);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    expect(rc, SIM_E_IO, &err, "cannot create directory", partial);
    assert_true(exists(runs));
    assert_false(exists(dir));
}

/* DIR.partial vanishes before a result replacing an earlier one is
 * installed: SIM_E_IO naming the result, which is left as it was. */
static void test_partial_vanishes_before_install(void **state)
{
    (void)state;
    static sim_output o;
    const char *tmp = sim_test_tmpdir("iof_vanish");
    char dir[1100], manifest[1200];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(manifest, sizeof manifest, "%s/manifest.cfg", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(sim_test_write(manifest, "old = 1;\n"), 0);
    sim_err err = {0};
    assert_int_equal(sim_output_open_dir(&o, dir, SIM_OUTPUT_FORCE, &err), 0);
    rm_rf(o.tmp_dir);
    expect(sim_output_install(&o, &err), SIM_E_IO, &err,
           "cannot install the results in", dir);
    char *text = sim_test_slurp(manifest, NULL);
    assert_non_null(text);
    assert_string_equal(text, "old = 1;\n");
    free(text);
}

/* ---- merge: broken slices ---- */

static char slice[3][1200]; /* reps 0-1 and 2-3 of 4, and 0-2 */

static void make_slices(const char *tmp)
{
    static sim_scenario sc;
    load_small(&sc);
    sc.replications = 4;
    static const long first[3] = {0, 2, 0}, count[3] = {2, 2, 3};
    for (int i = 0; i < 3; i++) {
        snprintf(slice[i], sizeof slice[i], "%s/s%d", tmp, i);
        sim_batch_opts o = {.seed = 3,
                            .replications = count[i],
                            .first = first[i],
                            .keep_values = true,
                            .outdir = slice[i],
                            .command_line = "test_io_files"};
        sim_batch_result r;
        sim_err err = {0};
        if (sim_batch_run(&sc, &o, &r, &err))
            fail_msg("%s: %s", slice[i], err.msg);
        sim_batch_result_free(&r);
    }
}

/* Merges a and b into tmp/out; the result must not exist after. */
static int merge2(const char *tmp, const char *a, const char *b, sim_err *err)
{
    char out[1200], partial[1300];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(partial, sizeof partial, "%s.partial", out);
    const char *dirs[2] = {a, b};
    sim_merge_opts o = {.dirs = dirs,
                        .ndirs = 2,
                        .outdir = out,
                        .command_line = "test_io_files"};
    sim_merge_result r;
    memset(err, 0, sizeof *err);
    int rc = sim_merge_run(&o, &r, err);
    if (rc && (exists(out) || exists(partial)))
        fail_msg("a failed merge left files in %s: %s", tmp, err->msg);
    return rc;
}

/* A copy of slice k in tmp/c, to break. */
static const char *broken(const char *tmp, int k)
{
    static char copy[1200];
    snprintf(copy, sizeof copy, "%s/c", tmp);
    rm_rf(copy);
    cp_r(slice[k], copy);
    return copy;
}

/* A slice whose files are missing, directories, or not those of its
 * manifest; slices whose manifests disagree on the cover or the inputs:
 * SIM_E_IO or SIM_E_USAGE naming the slice's file. */
static void test_merge_broken_slices(void **state)
{
    (void)state;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s", sim_test_tmpdir("iof_merge"));
    make_slices(tmp);
    sim_err err;
    char path[1400];

    /* the sound slices merge */
    char out[1200];
    snprintf(out, sizeof out, "%s/out", tmp);
    assert_int_equal(merge2(tmp, slice[0], slice[1], &err), 0);
    rm_rf(out);

    /* the second slice has no runs.csv */
    const char *c = broken(tmp, 1);
    snprintf(path, sizeof path, "%s/runs.csv", c);
    assert_int_equal(unlink(path), 0);
    expect(merge2(tmp, slice[0], c, &err), SIM_E_IO, &err, "cannot read",
           path);

    /* the first slice's runs.csv is a directory */
    c = broken(tmp, 0);
    make_dir_at(c, "runs.csv");
    expect(merge2(tmp, c, slice[1], &err), SIM_E_IO, &err, "cannot read",
           "runs.csv");

    /* the first slice's columns.csv, copied last, is a directory */
    c = broken(tmp, 0);
    make_dir_at(c, "columns.csv");
    expect(merge2(tmp, c, slice[1], &err), SIM_E_IO, &err, "cannot read",
           "columns.csv");

    /* the first slice's summary.csv lists another metric first */
    c = broken(tmp, 0);
    snprintf(path, sizeof path, "%s/summary.csv", c);
    edit_file(path, "\nrounds,", "\nno_such_metric,");
    expect(merge2(tmp, c, slice[1], &err), SIM_E_USAGE, &err,
           "does not list metric 1", "summary.csv");

    /* a "slice" that is a regular file */
    snprintf(path, sizeof path, "%s/file", tmp);
    assert_int_equal(sim_test_write(path, "not a directory\n"), 0);
    expect(merge2(tmp, slice[0], path, &err), SIM_E_IO, &err, "cannot read",
           "manifest.cfg");
    unlink(path);

    /* a slice whose manifest.cfg is a directory (the system may report
     * it at the seek or at the read) */
    c = broken(tmp, 1);
    make_dir_at(c, "manifest.cfg");
    expect(merge2(tmp, slice[0], c, &err), SIM_E_IO, &err, "cannot read",
           "manifest.cfg");

    /* slices 0-2 and "3-4" (2-3 said to start at 3): beyond the batch */
    c = broken(tmp, 1);
    snprintf(path, sizeof path, "%s/manifest.cfg", c);
    edit_file(path, "\nfirst_replication = 2;", "\nfirst_replication = 3;");
    expect(merge2(tmp, slice[2], c, &err), SIM_E_USAGE, &err,
           "goes beyond the batch's 4 replications", c);

    /* the second slice's manifest names one input more */
    c = broken(tmp, 1);
    snprintf(path, sizeof path, "%s/manifest.cfg", c);
    edit_file(path, " }\n);\nrun = {",
              " },\n  { file = \"other.cfg\"; fnv1a64 = "
              "\"0123456789abcdef\"; }\n);\nrun = {");
    expect(merge2(tmp, slice[0], c, &err), SIM_E_USAGE, &err,
           "was run on the input file", "was not");

    /* an input's hash that is not a number */
    edit_file(path, "\"0123456789abcdef\"", "\"xyz\"");
    expect(merge2(tmp, slice[0], c, &err), SIM_E_USAGE, &err,
           "input 2 has no file or hash", c);
    rm_rf(tmp);
}

/* ---- manifests and CSV files that cannot be read ---- */

/* A directory to hash, a manifest whose input lacks its hash, and a
 * manifest.cfg that is a directory when a run resumes. */
static void test_manifest_unreadable(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("iof_manifest");
    sim_err err = {0};
    uint64_t h;
    expect(sim_manifest_hash_file(tmp, &h, &err), SIM_E_IO, &err,
           "cannot read", tmp);

    char path[1200];
    snprintf(path, sizeof path, "%s/manifest.cfg", tmp);
    assert_int_equal(sim_test_write(path, "format = 1;\n"
                                          "inputs = ( { file = \"a.cfg\"; } );\n"),
                     0);
    memset(&err, 0, sizeof err);
    expect(sim_manifest_check_inputs(tmp, &err), SIM_E_USAGE, &err,
           "input 1 has no file or hash", tmp);

    unlink(path);
    make_dir_at(tmp, "manifest.cfg");
    memset(&err, 0, sizeof err);
    expect(sim_manifest_check_resume(tmp, "x = 1;\n", false, &err), SIM_E_IO,
           &err, "cannot read", path);
}

/* Reads the CSV file at path whole; 0 or an error code. */
static int csv_read_all(const char *path, sim_err *err)
{
    sim_csvread r;
    int rc = sim_csvread_open(&r, path, err);
    if (rc)
        return rc;
    while ((rc = sim_csvread_next(&r, err)) == 1)
        ;
    sim_csvread_close(&r);
    return rc;
}

/* A CSV file that cannot be opened (no descriptor left) or whose read
 * fails (/proc/self/mem: a regular file, unreadable at offset 0). */
static void test_csv_unreadable(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("iof_csv");
    char path[1200];
    snprintf(path, sizeof path, "%s/t.csv", tmp);
    assert_int_equal(sim_test_write(path, "a,b\n1,2\n"), 0);
    sim_err err = {0};
    assert_int_equal(csv_read_all(path, &err), 0);
    struct rlimit old;
    limit_files(&old, lowest_free_fd());
    sim_csvread r;
    int rc = sim_csvread_open(&r, path, &err);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    expect(rc, SIM_E_IO, &err, "cannot open", path);

    struct stat st;
    if (stat("/proc/self/mem", &st) != 0 || !S_ISREG(st.st_mode)) {
        print_message("no /proc/self/mem: the read failure is not tried\n");
        return;
    }
    memset(&err, 0, sizeof err);
    assert_int_equal(sim_csvread_open(&r, "/proc/self/mem", &err), 0);
    expect(sim_csvread_next(&r, &err), SIM_E_IO, &err, "cannot read",
           "/proc/self/mem");
    sim_csvread_close(&r);
}

/* ---- the sweep's files ---- */

static const char *const experiment_text =
    "scenario = \"" SMALL "\"; replications = 2;\n"
    "design = \"sobol\"; samples = 4; seed = 5L;\n"
    "metrics = [\"released_total\"];\n"
    "factors = ( { key = \"tension.decay\"; range = [0.5, 0.9]; },\n"
    "  { key = \"tension.drone\"; range = [0.1, 0.5]; } );\n";

static void load_experiment(sim_experiment *e)
{
    sim_err err = {0};
    if (sim_experiment_load_string(e, experiment_text, "e.cfg", &err))
        fail_msg("%s", err.msg);
}

/* The first factor: a model that is finite everywhere. */
static int point_value(void *ctx, long point, const double *x, double *y,
                       double *se, sim_err *err)
{
    (void)ctx;
    (void)point;
    (void)err;
    y[0] = x[0];
    se[0] = 0;
    return 0;
}

static int not_finite(void *ctx, long point, const double *x, double *y,
                      double *se, sim_err *err)
{
    (void)ctx;
    (void)err;
    y[0] = point == 1 ? NAN : x[0];
    se[0] = 0;
    return 0;
}

/* A sweep file that cannot be created (a directory in its place in the
 * DIR.partial of a resumed sweep), a model that gives a value that is not
 * finite, an experiment without metrics. */
static void test_sweep_files(void **state)
{
    (void)state;
    static sim_experiment e;
    load_experiment(&e);
    const char *tmp = sim_test_tmpdir("iof_sweep");
    char out[1100], partial[1200];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(partial, sizeof partial, "%s.partial", out);
    static sim_sweep_result r;
    sim_err err = {0};

    /* interrupted after a point; a directory takes design.csv's place in
     * DIR.partial before the resume, which then cannot create it */
    sim_sweep_opts o = {.outdir = out,
                        .command_line = "test_io_files",
                        .stop_after = 1};
    int rc = sim_sweep_run_fn(&e, not_finite, NULL, &o, &r, &err);
    sim_sweep_result_free(&r);
    expect(rc, SIM_E_INTERRUPTED, &err, "interrupted", "");
    make_dir_at(partial, "design.csv");
    o.stop_after = 0;
    o.resume = true;
    memset(&err, 0, sizeof err);
    rc = sim_sweep_run_fn(&e, point_value, NULL, &o, &r, &err);
    sim_sweep_result_free(&r);
    expect(rc, SIM_E_IO, &err, "cannot create", "design.csv");
    assert_false(exists(out));
    rm_rf(partial);

    o.resume = false;
    memset(&err, 0, sizeof err);
    rc = sim_sweep_run_fn(&e, not_finite, NULL, &o, &r, &err);
    sim_sweep_result_free(&r);
    expect(rc, SIM_E_NUMERIC, &err, "design point 1", "not finite");
    assert_false(exists(out));
    assert_false(exists(partial));

    e.nmetrics = 0;
    memset(&err, 0, sizeof err);
    rc = sim_sweep_run_fn(&e, not_finite, NULL, &o, &r, &err);
    sim_sweep_result_free(&r);
    expect(rc, SIM_E_USAGE, &err, "names no metric", "");
    assert_false(exists(out));
}

/* An interrupted sweep whose runs.csv lost its header: the resume cannot
 * reopen the files, an I/O error naming DIR.partial. */
static void test_sweep_resume_bad_runs(void **state)
{
    (void)state;
    static sim_experiment e;
    load_experiment(&e);
    const char *tmp = sim_test_tmpdir("iof_resume");
    char out[1100], partial[1200], runs[1300];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(partial, sizeof partial, "%s.partial", out);
    snprintf(runs, sizeof runs, "%s/runs.csv", partial);
    sim_sweep_opts o = {.outdir = out,
                        .command_line = "test_io_files",
                        .stop_after = 2};
    static sim_sweep_result r;
    sim_err err = {0};
    int rc = sim_sweep_run(&e, sim_builtin_models(), &o, &r, &err);
    sim_sweep_result_free(&r);
    expect(rc, SIM_E_INTERRUPTED, &err, "interrupted", "");
    edit_file(runs, "point,", "pOINT,");
    o.stop_after = 0;
    o.resume = true;
    memset(&err, 0, sizeof err);
    rc = sim_sweep_run(&e, sim_builtin_models(), &o, &r, &err);
    sim_sweep_result_free(&r);
    expect(rc, SIM_E_IO, &err, "cannot reopen the files", partial);
    assert_false(exists(out));
}

/* The same, with the header of the kept runs.csv changed (still "point,"
 * first): the next point's columns differ from it, and the sweep stops
 * rather than mix two tables. */
static void test_sweep_resume_other_columns(void **state)
{
    (void)state;
    static sim_experiment e;
    load_experiment(&e);
    const char *tmp = sim_test_tmpdir("iof_columns");
    char out[1100], partial[1200], runs[1300];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(partial, sizeof partial, "%s.partial", out);
    snprintf(runs, sizeof runs, "%s/runs.csv", partial);
    sim_sweep_opts o = {.outdir = out,
                        .command_line = "test_io_files",
                        .stop_after = 1};
    static sim_sweep_result r;
    sim_err err = {0};
    int rc = sim_sweep_run(&e, sim_builtin_models(), &o, &r, &err);
    sim_sweep_result_free(&r);
    expect(rc, SIM_E_INTERRUPTED, &err, "interrupted", "");
    edit_file(runs, "point,rep,", "point,rEp,");
    o.stop_after = 0;
    o.resume = true;
    memset(&err, 0, sizeof err);
    rc = sim_sweep_run(&e, sim_builtin_models(), &o, &r, &err);
    sim_sweep_result_free(&r);
    expect(rc, SIM_E_INTERNAL, &err, "columns of runs.csv differ", "");
    assert_false(exists(out));
}

struct limited_sweep {
    const sim_experiment *e;
    const char *out;
    sim_err *err;
};

static int limited_sweep(void *p)
{
    struct limited_sweep *c = p;
    sim_sweep_opts o = {.outdir = c->out, .command_line = "test_io_files"};
    static sim_sweep_result r;
    int rc = sim_sweep_run(c->e, sim_builtin_models(), &o, &r, c->err);
    sim_sweep_result_free(&r);
    return rc;
}

/* A sweep of 30 replications a point under file-size limits between its
 * points' files (up to about 10 kB) and its runs.csv (more than 4 kB, a
 * stdio buffer, a point): each run fails with SIM_E_IO naming a file and
 * leaves nothing; some limit makes the sweep's runs.csv fail while a
 * point's rows are appended to it. */
static void test_sweep_file_limits(void **state)
{
    (void)state;
    static sim_experiment e;
    load_experiment(&e);
    e.replications = 30;
    const char *tmp = sim_test_tmpdir("iof_sweep_limit");
    char out[1100];
    snprintf(out, sizeof out, "%s/out", tmp);
    bool runs_failed = false;
    for (long limit = 10000; limit <= 30000; limit += 2500) {
        sim_err err = {0};
        struct limited_sweep c = {&e, out, &err};
        int rc = sim_test_with_file_limit(limit, limited_sweep, &c);
        print_message("limit %ld: %d %s\n", limit, rc, err.msg);
        if (rc != SIM_E_IO)
            fail_msg("limit %ld: status %d, want SIM_E_IO: %s", limit, rc,
                     err.msg);
        runs_failed |= strstr(err.msg, "cannot write runs.csv") != NULL;
        assert_int_equal(sim_test_dir_entries(tmp, NULL, 0), 0);
    }
    assert_true(runs_failed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial_file_is_a_directory),
        cmocka_unit_test(test_buffered_writes_fail),
        cmocka_unit_test(test_partial_locked),
        cmocka_unit_test(test_stale_partial_not_cleared),
        cmocka_unit_test(test_partial_vanishes_before_install),
        cmocka_unit_test(test_merge_broken_slices),
        cmocka_unit_test(test_manifest_unreadable),
        cmocka_unit_test(test_csv_unreadable),
        cmocka_unit_test(test_sweep_files),
        cmocka_unit_test(test_sweep_resume_bad_runs),
        cmocka_unit_test(test_sweep_resume_other_columns),
        cmocka_unit_test(test_sweep_file_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
