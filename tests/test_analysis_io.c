/* test_analysis_io.c - compare, discover and plot when their result files
 * cannot be created or written: a directory where compare.csv, a
 * manifest, peeling.csv or box.csv is to be created, a file-size limit
 * that the manifest of a comparison passes (as test_io_errors does), and
 * plot's temporary directory removed under it. Each run fails with
 * SIM_E_IO and a message naming the file, and no result is installed.
 *
 * The directory must appear inside DIR.partial, which the library makes
 * and fills within one call. This file defines fopen (the executable's
 * definition takes the place of libc's for every caller in the static
 * library) to put it there at the moment the library creates the file
 * named `block_name` in a DIR.partial; the real fopen then meets the
 * directory and fails as it would if another process had made it. */
#define _GNU_SOURCE
#include "testutil.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sanctionsim/compare.h>
#include <sanctionsim/discover.h>
#include <sanctionsim/plot.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the directory in the way ---- */

static const char *block_name; /* NULL: fopen as libc's */
static int blocked;            /* directories put in the way */

FILE *fopen(const char *path, const char *mode)
{
    static union {
        void *sym;
        FILE *(*fn)(const char *, const char *);
    } real;
    if (!real.sym && !(real.sym = dlsym(RTLD_NEXT, "fopen")))
        abort();
    size_t n = strlen(path), b = block_name ? strlen(block_name) : 0;
    if (b && mode[0] == 'w' && n > b && path[n - b - 1] == '/' &&
        !strcmp(path + n - b, block_name) && strstr(path, ".partial/") &&
        mkdir(path, 0777) == 0)
        blocked++;
    return real.fn(path, mode);
}

/* ---- helpers ---- */

static void expect(int rc, const sim_err *err, int want, const char *text,
                   const char *what)
{
    if (rc != want || !strstr(err->msg, text))
        fail_msg("%s: status %d, message '%s'; want %d with '%s'", what, rc,
                 err->msg, want, text);
}

static void write_at(const char *dir, const char *name, const char *text)
{
    char path[1400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (sim_test_write(path, text))
        fail_msg("cannot write %s", path);
}

static void make_dir(char *buf, size_t size, const char *parent,
                     const char *name)
{
    snprintf(buf, size, "%s/%s", parent, name);
    assert_int_equal(mkdir(buf, 0777), 0);
}

static void rm_rf(const char *path)
{
    char cmd[1500];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static long size_of(const char *dir, const char *name)
{
    char path[1400];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Runs f with a directory put in the way of the file `name`: it must fail
 * with SIM_E_IO naming the file, and leave no result at out (its
 * DIR.partial, holding the directory, is removed here). */
static void blocked_write(int (*f)(const char *out, sim_err *err),
                          const char *out, const char *name)
{
    sim_err err = {0};
    block_name = name;
    blocked = 0;
    int rc = f(out, &err);
    block_name = NULL;
    assert_int_equal(blocked, 1);
    expect(rc, &err, SIM_E_IO, "cannot create", name);
    if (!strstr(err.msg, name))
        fail_msg("'%s' does not name %s", err.msg, name);
    assert_false(exists(out));
    char partial[1400];
    snprintf(partial, sizeof partial, "%s.partial", out);
    rm_rf(partial);
}

/* ---- compare ---- */

static char cmp_top[1100], cmp_a[1200], cmp_b[1200];

/* Two results of four replications by hand, compared pair by pair. */
static int compare_setup(void **state)
{
    (void)state;
    snprintf(cmp_top, sizeof cmp_top, "%s", sim_test_tmpdir("analysis_io"));
    make_dir(cmp_a, sizeof cmp_a, cmp_top, "a");
    make_dir(cmp_b, sizeof cmp_b, cmp_top, "b");
    static const char manifest[] =
        "master_seed = 7L;\nreplications = 4L;\ngenerator = \"g1\";\n";
    write_at(cmp_a, "runs.csv",
             "rep,seed,released_total,us_deals\n0,11,3,1\n1,12,5,0\n"
             "2,13,8,2\n3,14,1,1\n");
    write_at(cmp_b, "runs.csv",
             "rep,seed,released_total,us_deals\n0,11,4,1\n1,12,5,3\n"
             "2,13,9,2\n3,14,3,0\n");
    write_at(cmp_a, "manifest.cfg", manifest);
    write_at(cmp_b, "manifest.cfg", manifest);
    return 0;
}

static int nmetrics; /* 0: every metric */

static int write_compare(const char *out, sim_err *err)
{
    const char *dirs[] = {cmp_a, cmp_b};
    const char *metrics[] = {"released_total"};
    sim_compare_opts o = {.dirs = dirs,
                          .ndirs = 2,
                          .metrics = nmetrics ? metrics : NULL,
                          .nmetrics = nmetrics,
                          .outdir = out,
                          .command_line = "test_analysis_io"};
    sim_compare_result r;
    int rc = sim_compare_run(&o, &r, err);
    if (rc == 0 && !r.pair[0].paired)
        fail_msg("%s", r.pair[0].reason);
    sim_compare_result_free(&r);
    return rc;
}

static void test_compare_cannot_create(void **state)
{
    (void)state;
    char out[1300];
    snprintf(out, sizeof out, "%s/out", cmp_top);
    nmetrics = 0;
    blocked_write(write_compare, out, "compare.csv");
    blocked_write(write_compare, out, "manifest.cfg");
}

static const char *limited_out;

static int limited_compare(void *ctx)
{
    return write_compare(limited_out, ctx);
}

/* One metric makes compare.csv smaller than the manifest: a file-size
 * limit between the two fails the manifest's write. */
static void test_compare_manifest_full_disk(void **state)
{
    (void)state;
    char ref[1300], out[1300];
    snprintf(ref, sizeof ref, "%s/ref", cmp_top);
    snprintf(out, sizeof out, "%s/limited", cmp_top);
    sim_err err = {0};
    nmetrics = 1;
    if (write_compare(ref, &err))
        fail_msg("%s", err.msg);
    long csv = size_of(ref, "compare.csv"), man = size_of(ref, "manifest.cfg");
    if (!(csv > 0 && csv < man - 1))
        fail_msg("compare.csv has %ld bytes, manifest.cfg %ld", csv, man);
    limited_out = out;
    int rc = sim_test_with_file_limit(man - 1, limited_compare, &err);
    expect(rc, &err, SIM_E_IO, "cannot write", "manifest over the limit");
    if (!strstr(err.msg, "manifest.cfg"))
        fail_msg("'%s' does not name manifest.cfg", err.msg);
    assert_false(exists(out));
    char partial[1400];
    snprintf(partial, sizeof partial, "%s.partial", out);
    assert_false(exists(partial));
}

/* ---- discover ---- */

static char sweep[1200];

/* A sweep by hand: 20 points of factors a and b, one run each; the
 * outcome y is 1 where a >= 14. */
static int discover_setup(void **state)
{
    (void)state;
    const char *top = sim_test_tmpdir("analysis_io_discover");
    make_dir(sweep, sizeof sweep, top, "sweep");
    char design[2000] = "point,a,b\n", runs[2000] = "point,rep,y\n";
    for (int p = 0; p < 20; p++) {
        snprintf(design + strlen(design), sizeof design - strlen(design),
                 "%d,%d,%d\n", p, p, (p * 7) % 20);
        snprintf(runs + strlen(runs), sizeof runs - strlen(runs),
                 "%d,0,%d\n", p, p >= 14);
    }
    write_at(sweep, "design.csv", design);
    write_at(sweep, "runs.csv", runs);
    return 0;
}

static int write_discover(const char *out, sim_err *err)
{
    sim_discover_opts o = {.sweep_dir = sweep, .where = "y > 0",
                           .min_support = -1, .step = -1, .outdir = out};
    sim_discover_result r;
    int rc = sim_discover_run(&o, &r, err);
    if (rc == 0)
        sim_discover_result_free(&r);
    return rc;
}

static void test_discover_cannot_create(void **state)
{
    (void)state;
    static const char *const files[] = {"peeling.csv", "box.csv",
                                        "manifest.cfg"};
    char out[1300];
    snprintf(out, sizeof out, "%s/out", sweep);
    for (size_t i = 0; i < N_OF(files); i++)
        blocked_write(write_discover, out, files[i]);
    sim_err err = {0};
    if (write_discover(out, &err))
        fail_msg("%s", err.msg);
    assert_true(size_of(out, "box.csv") > 0);
}

/* ---- plot ---- */

/* The pictures' directory: DIR.partial gone before the install, and a
 * directory where its manifest.cfg goes. */
static void test_plot_outdir_broken(void **state)
{
    (void)state;
    const char *top = sim_test_tmpdir("analysis_io_plot");
    char dir[1000], path[SIM_PATH_MAX + 64];
    snprintf(dir, sizeof dir, "%s/pictures", top);
    sim_err err = {0};
    for (int k = 0; k < 2; k++) {
        sim_plot_outdir *d = NULL;
        if (sim_plot_outdir_open(&d, dir, false, NULL, 0, &err))
            fail_msg("%s", err.msg);
        const char *tmp = sim_plot_outdir_path(d);
        if (k == 0) {
            rm_rf(tmp);
            expect(sim_plot_outdir_install(d, "t", &err), &err, SIM_E_IO,
                   "cannot read", "DIR.partial removed");
        } else {
            snprintf(path, sizeof path, "%s/plot.gp", tmp);
            assert_int_equal(sim_test_write(path, "plot x\n"), 0);
            snprintf(path, sizeof path, "%s/manifest.cfg", tmp);
            assert_int_equal(mkdir(path, 0777), 0);
            expect(sim_plot_outdir_install(d, "t", &err), &err, SIM_E_IO,
                   "cannot create", "manifest.cfg a directory");
            if (!strstr(err.msg, "manifest.cfg"))
                fail_msg("'%s' does not name manifest.cfg", err.msg);
        }
        assert_false(exists(dir));
        snprintf(path, sizeof path, "%s.partial", dir);
        rm_rf(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_compare_cannot_create, compare_setup),
        cmocka_unit_test_setup(test_compare_manifest_full_disk, compare_setup),
        cmocka_unit_test_setup(test_discover_cannot_create, discover_setup),
        cmocka_unit_test(test_plot_outdir_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
