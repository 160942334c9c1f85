/* test_io_tools.c - a full disk (RLIMIT_FSIZE, as in test_io_errors) while
 * calibrate, discover, score and plot write their results: each file of
 * the result in turn is the one that does not fit. Every such run fails
 * with SIM_E_IO and a message naming a file it writes, and leaves nothing
 * behind: no result, no DIR.partial, no temporary file. */
#include "testutil.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sanctionsim/calibrate.h>
#include <sanctionsim/discover.h>
#include <sanctionsim/experiment.h>
#include <sanctionsim/plot.h>
#include <sanctionsim/score.h>

static char cwd[1024];

static void rm_rf(const char *path)
{
    char cmd[1700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

static long file_size(const char *dir, const char *name)
{
    char path[1700];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (long)st.st_size
                                                       : -1;
}

/* Writes one kind of result into out (a directory, or a file for score). */
typedef int (*write_fn)(const char *out, sim_err *err);

struct limited {
    write_fn f;
    const char *out;
    sim_err *err;
};

static int limited_write(void *p)
{
    struct limited *c = p;
    return c->f(c->out, c->err);
}

/* Fails unless err names one of names[0..n) (or a journal). */
static bool names_one(const sim_err *err, char names[][256], int n)
{
    for (int k = 0; k < n; k++)
        if (strstr(err->msg, names[k]))
            return true;
    return false;
}

/* Runs f into tmp/ref unlimited, then into tmp/w/out with the files
 * limited to each regular file's size in ref less one, and to 0: each
 * fails with SIM_E_IO naming a file of the result, and tmp/w is left
 * empty. */
static void limit_sweep(const char *tmp, write_fn f)
{
    char ref[1300], parent[1300], out[1400];
    snprintf(ref, sizeof ref, "%s/ref", tmp);
    snprintf(parent, sizeof parent, "%s/w", tmp);
    snprintf(out, sizeof out, "%s/out", parent);
    sim_err err = {0};
    if (f(ref, &err))
        fail_msg("%s: %s", ref, err.msg);
    char names[16][256];
    long limits[17];
    int nf = 0;
    DIR *d = opendir(ref);
    assert_non_null(d);
    const struct dirent *e;
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
        struct limited c = {f, out, &err};
        int rc = sim_test_with_file_limit(limits[i], limited_write, &c);
        if (rc != SIM_E_IO || !names_one(&err, names, nf))
            fail_msg("%s, limit %ld: status %d (want SIM_E_IO naming a "
                     "file): %s",
                     tmp, limits[i], rc, err.msg);
        char left[512];
        if (sim_test_dir_entries(parent, left, sizeof left) != 0)
            fail_msg("%s, limit %ld: left behind:%s", tmp, limits[i], left);
    }
    rm_rf(tmp);
}

/* ---- calibrate ---- */

static char cal_path[1200];

static int write_calibrate(const char *out, sim_err *err)
{
    sim_calib *c = malloc(sizeof *c);
    assert_non_null(c);
    int rc = sim_calib_load(c, cal_path, err);
    sim_calib_result r;
    memset(&r, 0, sizeof r);
    if (!rc) {
        sim_calib_opts o = {.outdir = out, .threads = 1,
                            .command_line = "test_io_tools"};
        rc = sim_calib_run(c, sim_builtin_models(), &o, &r, err);
    }
    sim_calib_result_free(&r);
    free(c);
    return rc;
}

static void test_calibrate_full_disk(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("io_tools_cal");
    char text[4096];
    snprintf(cal_path, sizeof cal_path, "%s/cal.cfg", tmp);
    snprintf(text, sizeof text,
             "scenario = \"%s/scenarios/baseline_2024.cfg\";\n"
             "targets = \"%s/scenarios/targets/baseline_calibration.cfg\";\n"
             "method = \"smm\";\nreplications = 6;\nseed = 7;\n"
             "max_iterations = 2;\nparameters = (\n"
             "  { key = \"shocks.arrests.mean\"; range = [20.0, 80.0]; "
             "start = 60.0; }\n);\n",
             cwd, cwd);
    assert_int_equal(sim_test_write(cal_path, text), 0);
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/runs", tmp);
    assert_int_equal(mkdir(dir, 0777), 0);
    limit_sweep(dir, write_calibrate);
}

/* ---- discover ---- */

static char sweep_dir[1200];

static int write_discover(const char *out, sim_err *err)
{
    sim_discover_opts o = {.sweep_dir = sweep_dir,
                           .where = "released_total >= 600",
                           .min_support = -1,
                           .step = -1,
                           .outdir = out,
                           .command_line = "test_io_tools"};
    sim_discover_result r;
    int rc = sim_discover_run(&o, &r, err);
    if (rc == 0)
        sim_discover_result_free(&r);
    return rc;
}

/* A sweep of the baseline: two points of 3 replications. */
static void make_sweep(const char *tmp)
{
    sim_experiment *e = malloc(sizeof *e);
    assert_non_null(e);
    sim_err err = {0};
    if (sim_experiment_load_string(
            e,
            "scenario = \"scenarios/baseline.cfg\"; replications = 3;\n"
            "design = \"full_factorial\"; seed = 5L;\n"
            "metrics = [\"released_total\"];\n"
            "factors = ( { key = \"eu.enabled\"; values = [false, true]; } "
            ");\n",
            "e.cfg", &err))
        fail_msg("%s", err.msg);
    snprintf(sweep_dir, sizeof sweep_dir, "%s/sweep", tmp);
    sim_sweep_opts so = {.outdir = sweep_dir, .command_line = "t"};
    sim_sweep_result sr;
    if (sim_sweep_run(e, sim_builtin_models(), &so, &sr, &err))
        fail_msg("%s", err.msg);
    sim_sweep_result_free(&sr);
    free(e);
}

static void test_discover_full_disk(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("io_tools_discover");
    make_sweep(tmp);
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/runs", tmp);
    assert_int_equal(mkdir(dir, 0777), 0);
    limit_sweep(dir, write_discover);
}

/* ---- score: one file, written beside and renamed ---- */

static char traced[1200];

static int write_score(const char *out, sim_err *err)
{
    char path[1500];
    snprintf(path, sizeof path, "%s/score.csv", out);
    sim_score_opts o = {.results_dir = traced,
                        .targets_path =
                            "scenarios/targets/baseline_backtest.cfg",
                        .output = path,
                        .seed = 1};
    sim_score_summary sum;
    /* the folder is the test's (made unlimited), the file the score's */
    mkdir(out, 0777);
    int rc = sim_score_run(&o, &sum, err);
    if (rc)
        rmdir(out); /* nothing else may be left in it */
    return rc;
}

static void test_score_full_disk(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("io_tools_score");
    snprintf(traced, sizeof traced, "%s/traced", tmp);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' run scenarios/baseline.cfg -n 4 --trace -q -o '%s'",
             sim_test_bin(), traced);
    assert_int_equal(sim_test_run(cmd, NULL), 0);
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/runs", tmp);
    assert_int_equal(mkdir(dir, 0777), 0);
    limit_sweep(dir, write_score);
}

/* ---- plot's directory ---- */

static int write_plot_dir(const char *out, sim_err *err)
{
    sim_plot_outdir *d = NULL;
    int rc = sim_plot_outdir_open(&d, out, false, NULL, 0, err);
    if (rc)
        return rc;
    char path[1400];
    snprintf(path, sizeof path, "%s/plot.gp", sim_plot_outdir_path(d));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# a picture's script\n", f);
    if (ferror(f) | (fclose(f) != 0)) {
        sim_plot_outdir_abort(d);
        return sim_error(err, SIM_E_IO, "cannot write %s", path);
    }
    return sim_plot_outdir_install(d, "test_io_tools", err);
}

static void test_plot_dir_full_disk(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("io_tools_plot");
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/runs", tmp);
    assert_int_equal(mkdir(dir, 0777), 0);
    limit_sweep(dir, write_plot_dir);
}

int main(void)
{
    if (!getcwd(cwd, sizeof cwd))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calibrate_full_disk),
        cmocka_unit_test(test_discover_full_disk),
        cmocka_unit_test(test_score_full_disk),
        cmocka_unit_test(test_plot_dir_full_disk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
