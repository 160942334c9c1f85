/* test_analysis_inputs.c - the analysis tools' refusals that the other
 * tests do not reach, on tiny hand-made inputs (no simulation): designs
 * that cannot be built (sim_design_points and sim_design_build), compare
 * with too few or unlike directories, a blank header or no manifest,
 * discover with bad options, a bad design.csv header and bad outcome
 * expressions, and plot's tables and scenario differences on broken
 * inputs. Each case checks the error code and a fragment of the message.
 * The write failures of these tools are test_analysis_io's. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sanctionsim/compare.h>
#include <sanctionsim/design.h>
#include <sanctionsim/discover.h>
#include <sanctionsim/plot.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

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

/* ---- designs ---- */

static sim_factor values_factor(const char *name, int n)
{
    sim_factor f;
    memset(&f, 0, sizeof f);
    snprintf(f.name, sizeof f.name, "%s", name);
    f.kind = SIM_FACTOR_VALUES;
    f.nvalues = n;
    for (int i = 0; i < n; i++)
        f.value[i] = i;
    return f;
}

/* sim_design_points: -1 for every design that cannot be built. */
static void test_design_points_refused(void **state)
{
    (void)state;
    sim_factor f[6];
    for (int i = 0; i < 6; i++) {
        f[i] = values_factor("x", SIM_DESIGN_MAX_VALUES);
        f[i].group = i;
    }
    sim_design_opts o = {.type = SIM_DESIGN_FULL_FACTORIAL};
    assert_int_equal(sim_design_points(&o, f, 0), -1); /* no factor */
    assert_int_equal(sim_design_points(&o, f, 2),
                     (long)SIM_DESIGN_MAX_VALUES * SIM_DESIGN_MAX_VALUES);
    /* 32^5 points, more than SIM_DESIGN_MAX_POINTS */
    assert_int_equal(sim_design_points(&o, f, 5), -1);
    sim_factor dist = f[0];
    dist.kind = SIM_FACTOR_DIST; /* no levels */
    assert_int_equal(sim_design_points(&o, &dist, 1), -1);
    o = (sim_design_opts){.type = SIM_DESIGN_SOBOL, .samples = 0};
    assert_int_equal(sim_design_points(&o, f, 2), -1);
    o.samples = 4;
    assert_int_equal(sim_design_points(&o, f, 2), 16);
    o = (sim_design_opts){.type = SIM_DESIGN_MORRIS, .samples = 0};
    assert_int_equal(sim_design_points(&o, f, 2), -1);
    o.samples = 3;
    assert_int_equal(sim_design_points(&o, f, 2), 9);
    o = (sim_design_opts){.type = SIM_N_DESIGNS, .samples = 4};
    assert_int_equal(sim_design_points(&o, f, 2), -1);
}

/* sim_design_build: groups with a gap, and designs too large for
 * SIM_DESIGN_MAX_POINTS whatever their other settings. */
static void test_design_build_refused(void **state)
{
    (void)state;
    sim_factor f[5];
    for (int i = 0; i < 5; i++)
        f[i] = values_factor("x", SIM_DESIGN_MAX_VALUES);
    sim_design d;
    sim_err err = {0};
    /* groups 0, 0, 2: group 1 is empty */
    f[2].group = 2;
    sim_design_opts o = {.type = SIM_DESIGN_MONTE_CARLO, .samples = 4};
    expect(sim_design_build(&d, f, 3, &o, &err), &err, SIM_E_USAGE,
           "numbered from 0 with none empty", "empty group");
    sim_design_free(&d);
    f[2].group = 0;
    /* not "the ? design has too many points" */
    o = (sim_design_opts){.type = SIM_N_DESIGNS, .samples = 4};
    expect(sim_design_build(&d, f, 1, &o, &err), &err, SIM_E_USAGE,
           "unknown design type", "unknown type");
    sim_design_free(&d);
    o = (sim_design_opts){.type = SIM_DESIGN_FULL_FACTORIAL};
    expect(sim_design_build(&d, f, 5, &o, &err), &err, SIM_E_USAGE,
           "the full_factorial design has too many points", "32^5 points");
    sim_design_free(&d);
    /* N = 2^24, a power of two, times 3 rows */
    o = (sim_design_opts){.type = SIM_DESIGN_SOBOL, .samples = 1L << 24};
    expect(sim_design_build(&d, f, 1, &o, &err), &err, SIM_E_USAGE,
           "the sobol design has too many points", "sobol 2^24");
    sim_design_free(&d);
    o = (sim_design_opts){.type = SIM_DESIGN_MORRIS,
                          .samples = SIM_DESIGN_MAX_POINTS,
                          .levels = 4};
    expect(sim_design_build(&d, f, 1, &o, &err), &err, SIM_E_USAGE,
           "the morris design has too many points", "morris");
    sim_design_free(&d);
}

/* ---- compare ---- */

static char cmp_top[1100], cmp_a[1200], cmp_c[1200];

static const char manifest[] =
    "master_seed = 7L;\nreplications = 4L;\ngenerator = \"g1\";\n";

/* Two results of four replications by hand, c with a column of another
 * name where a has released_total. */
static int compare_setup(void **state)
{
    (void)state;
    snprintf(cmp_top, sizeof cmp_top, "%s",
             sim_test_tmpdir("analysis_compare"));
    make_dir(cmp_a, sizeof cmp_a, cmp_top, "a");
    make_dir(cmp_c, sizeof cmp_c, cmp_top, "c");
    write_at(cmp_a, "runs.csv",
             "rep,seed,released_total\n0,11,3\n1,12,5\n2,13,8\n3,14,1\n");
    write_at(cmp_c, "runs.csv",
             "rep,seed,us_deals\n0,11,4\n1,12,5\n2,13,9\n3,14,3\n");
    write_at(cmp_a, "manifest.cfg", manifest);
    write_at(cmp_c, "manifest.cfg", manifest);
    return 0;
}

static void test_compare_refused(void **state)
{
    (void)state;
    sim_compare_result r;
    sim_err err = {0};
    const char *one[] = {cmp_a};
    sim_compare_opts o = {.dirs = one, .ndirs = 1};
    expect(sim_compare_run(&o, &r, &err), &err, SIM_E_USAGE,
           "at least two result directories, got 1", "one directory");
    assert_null(r.row);
    const char *unlike[] = {cmp_a, cmp_c};
    o = (sim_compare_opts){.dirs = unlike, .ndirs = 2};
    expect(sim_compare_run(&o, &r, &err), &err, SIM_E_USAGE,
           "column 3 is 'released_total' in one and 'us_deals'", "unlike");
    assert_null(r.row);
    /* a header of one empty line: one column without a name */
    char blank[1200];
    make_dir(blank, sizeof blank, cmp_top, "blank");
    write_at(blank, "runs.csv", "\n0\n");
    write_at(blank, "manifest.cfg", manifest);
    const char *blank_first[] = {blank, cmp_a};
    o = (sim_compare_opts){.dirs = blank_first, .ndirs = 2};
    expect(sim_compare_run(&o, &r, &err), &err, SIM_E_USAGE,
           "runs.csv:1: column 1 of the header has no name", "blank header");
    assert_null(r.row);
    /* runs.csv without manifest.cfg */
    char bare[1200];
    make_dir(bare, sizeof bare, cmp_top, "bare");
    write_at(bare, "runs.csv", "rep,seed,released_total\n0,11,3\n");
    const char *no_manifest[] = {cmp_a, bare};
    o = (sim_compare_opts){.dirs = no_manifest, .ndirs = 2};
    expect(sim_compare_run(&o, &r, &err), &err, SIM_E_USAGE,
           "has no manifest.cfg", "no manifest");
    if (!strstr(err.msg, bare))
        fail_msg("no manifest: '%s' does not name %s", err.msg, bare);
    assert_null(r.row);
}

/* ---- discover ---- */

static char sweep[1200];

/* A sweep by hand: 20 points of factors a and b, one run each; the
 * outcome y is 1 where a >= 14. */
static int discover_setup(void **state)
{
    (void)state;
    const char *top = sim_test_tmpdir("analysis_discover");
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

static void test_discover_refused(void **state)
{
    (void)state;
    sim_discover_result r;
    sim_err err = {0};
    sim_discover_opts o = {.sweep_dir = sweep, .where = "y > 0",
                           .min_support = 1.5, .step = -1};
    expect(sim_discover_run(&o, &r, &err), &err, SIM_E_USAGE,
           "the minimum support is 1.5", "min_support");
    o.min_support = -1;
    o.where = NULL;
    expect(sim_discover_run(&o, &r, &err), &err, SIM_E_USAGE,
           "needs a sweep directory and an outcome", "no outcome");
    /* design.csv with a factor column without a name */
    char bad[1300];
    make_dir(bad, sizeof bad, sweep, "bad");
    write_at(bad, "design.csv", "point,a,\n0,1,2\n");
    write_at(bad, "runs.csv", "point,y\n0,1\n");
    o = (sim_discover_opts){.sweep_dir = bad, .where = "y > 0",
                            .min_support = -1, .step = -1};
    expect(sim_discover_run(&o, &r, &err), &err, SIM_E_USAGE,
           "design.csv:1: column 3 of the header has no name", "no name");
    rm_rf(bad);
}

static void test_expression_refused(void **state)
{
    (void)state;
    const char *names[] = {"x", "y"};
    sim_expr *e = NULL;
    sim_err err = {0};
    expect(sim_expr_parse(NULL, names, 2, &e, &err), &err, SIM_E_USAGE,
           "no outcome expression", "NULL");
    assert_null(e);
    char text[5000];
    memset(text, ' ', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    memcpy(text, "x > 1", 5);
    expect(sim_expr_parse(text, names, 2, &e, &err), &err, SIM_E_USAGE,
           "outcome expression longer than 4096 characters", "long");
    assert_null(e);
    /* a number of 70 digits */
    char num[100] = "x > ";
    memset(num + 4, '9', 70);
    num[74] = '\0';
    expect(sim_expr_parse(num, names, 2, &e, &err), &err, SIM_E_USAGE,
           "number too long", "70 digits");
    assert_null(e);
    assert_int_equal(sim_expr_parse("x > 99", names, 2, &e, &err), 0);
    sim_expr_free(e);
}

/* ---- plot ---- */

static void test_plot_inputs_refused(void **state)
{
    (void)state;
    const char *top = sim_test_tmpdir("analysis_plot");
    sim_err err = {0};
    char longpath[SIM_PATH_MAX + 100];
    memset(longpath, 'p', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    sim_plot_kind kind;
    expect(sim_plot_dir_kind(longpath, &kind, &err), &err, SIM_E_USAGE,
           "path too long: pppp", "long path");
    char empty[1200], table[1200];
    snprintf(empty, sizeof empty, "%s/empty.csv", top);
    snprintf(table, sizeof table, "%s/table.csv", top);
    assert_int_equal(sim_test_write(empty, ""), 0);
    assert_int_equal(sim_test_write(table, "round,x\n1,2\n"), 0);
    const char *cols[] = {"round", "x"};
    sim_plot_query q = {.cols = cols, .ncols = 2};
    sim_plot_table t;
    expect(sim_plot_table_read(empty, &q, &t, &err), &err, SIM_E_USAGE,
           "empty.csv is empty (no header)", "empty table");
    assert_null(t.v);
    char **names = NULL;
    int n = -1;
    expect(sim_plot_header(empty, &names, &n, &err), &err, SIM_E_USAGE,
           "empty.csv is empty (no header)", "empty header");
    assert_null(names);
    assert_int_equal(n, 0);
    for (int bad = 0; bad < 2; bad++) {
        q.ncols = bad ? SIM_MAX_COLUMNS + 1 : -1;
        expect(sim_plot_table_read(table, &q, &t, &err), &err, SIM_E_USAGE,
               "table.csv: too many columns asked for", "ncols");
        assert_null(t.v);
    }
    q.ncols = 2;
    assert_int_equal(sim_plot_table_read(table, &q, &t, &err), 0);
    assert_int_equal(t.nrows, 1);
    sim_plot_table_free(&t);
    /* a directory where a scenario.cfg should be: opens, cannot be read */
    sim_plot_change *ch = NULL;
    size_t nch = 1;
    expect(sim_plot_scenario_diff(top, table, &ch, &nch, &err), &err,
           SIM_E_IO, "cannot read", "a directory");
    if (!strstr(err.msg, top))
        fail_msg("'%s' does not name %s", err.msg, top);
    assert_null(ch);
    assert_int_equal(nch, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design_points_refused),
        cmocka_unit_test(test_design_build_refused),
        cmocka_unit_test_setup(test_compare_refused, compare_setup),
        cmocka_unit_test_setup(test_discover_refused, discover_setup),
        cmocka_unit_test(test_expression_refused),
        cmocka_unit_test(test_plot_inputs_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
