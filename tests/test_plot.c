/* test_plot.c - the data behind `sanctionsim plot` (plot.h) against
 * values computed by hand: quantile bands per round over the replications
 * still running, empirical distribution functions with "never", the
 * probability by round, main effects by level and by bin, CSV columns as
 * numbers and their errors, what a directory holds, the units of columns
 * and the differences between two resolved scenarios. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sanctionsim/plot.h>

/* A table of two columns (round, value) from arrays. */
static sim_plot_table table2(double *v, size_t nrows)
{
    sim_plot_table t = {.ncols = 2, .nrows = nrows, .v = v};
    return t;
}

/* Round 1: three runs (10, 20, 30); round 2: two running, one value
 * missing (5); round 3: one running (7). GSL's quantile at f is the
 * value at position (n - 1) f, interpolated: round 1's p05 is 10 + 0.1 *
 * 10 = 11, p25 15, p75 25, p95 29. */
static void bands_by_hand(void **state)
{
    (void)state;
    double v[] = {1, 10, 2, 5, 1, 30, 3, 7, 1, 20, 2, NAN};
    sim_plot_table t = table2(v, 6);
    sim_plot_band *b;
    int n;
    sim_err err = {0};
    assert_int_equal(sim_plot_bands(&t, 0, 1, &b, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(b[0].round, 1);
    assert_int_equal(b[0].running, 3);
    assert_int_equal(b[0].n, 3);
    assert_close(b[0].mean, 20, 1e-12);
    assert_close(b[0].p05, 11, 1e-12);
    assert_close(b[0].p25, 15, 1e-12);
    assert_close(b[0].p50, 20, 1e-12);
    assert_close(b[0].p75, 25, 1e-12);
    assert_close(b[0].p95, 29, 1e-12);
    /* not padded: round 2 is over its two runs, one of them without a
     * value */
    assert_int_equal(b[1].running, 2);
    assert_int_equal(b[1].n, 1);
    assert_close(b[1].p05, 5, 0);
    assert_close(b[1].p95, 5, 0);
    assert_int_equal(b[2].running, 1);
    assert_close(b[2].p50, 7, 0);
    free(b);
}

static void bands_refuse_bad_rounds(void **state)
{
    (void)state;
    double v[] = {1, 1, 2.5, 1};
    sim_plot_table t = table2(v, 2);
    sim_plot_band *b;
    int n;
    sim_err err = {0};
    assert_int_equal(sim_plot_bands(&t, 0, 1, &b, &n, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "round 2.5"));
    assert_null(b);
    v[2] = 0;
    assert_int_equal(sim_plot_bands(&t, 0, 1, &b, &n, &err), SIM_E_USAGE);
}

/* x = 3, 1, never, 3, 2: F(1) = 1/5, F(2) = 2/5, F(3) = 4/5, never 1. */
static void ecdf_by_hand(void **state)
{
    (void)state;
    double x[] = {3, 1, NAN, 3, 2}, xs[5], F[5];
    size_t k = sim_plot_ecdf(x, 5, xs, F);
    assert_int_equal(k, 3);
    assert_close(xs[0], 1, 0);
    assert_close(xs[1], 2, 0);
    assert_close(xs[2], 3, 0);
    assert_close(F[0], 0.2, 1e-15);
    assert_close(F[1], 0.4, 1e-15);
    assert_close(F[2], 0.8, 1e-15);
    assert_int_equal(sim_plot_ecdf(x, 0, xs, F), 0);
}

/* Lifted rounds 0 (before round 1), 2, never, 5. */
static void by_round_by_hand(void **state)
{
    (void)state;
    double x[] = {0, 2, NAN, 5}, p[6];
    sim_plot_by_round(x, 4, 5, p);
    const double want[] = {0.25, 0.25, 0.5, 0.5, 0.5, 0.75};
    for (int t = 0; t <= 5; t++)
        assert_close(p[t], want[t], 1e-15);
}

/* Levels 0 (outputs 1, 3) and 1 (2, 4, and a missing one): means 2 and
 * 3, standard errors sd / sqrt(2) = sqrt(2) / sqrt(2) = 1. */
static void main_effect_levels(void **state)
{
    (void)state;
    double f[] = {0, 0, 1, 1, 1}, y[] = {1, 3, 2, 4, NAN};
    sim_plot_effect e[8];
    int n;
    sim_err err = {0};
    assert_int_equal(sim_plot_main_effect(f, y, 5, 8, e, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_close(e[0].level, 0, 0);
    assert_close(e[0].mean, 2, 1e-15);
    assert_close(e[0].se, 1, 1e-15);
    assert_int_equal(e[1].n, 2);
    assert_close(e[1].mean, 3, 1e-15);
    assert_close(e[1].se, 1, 1e-15);
    assert_int_equal(sim_plot_main_effect(f, y, 5, 0, e, &n, &err),
                     SIM_E_USAGE);
}

/* Ten distinct values 0..9 in two bins of width 4.5: 0..4 and 5..9, at
 * their mean values 2 and 7; y = 10 f gives means 20 and 70. */
static void main_effect_bins(void **state)
{
    (void)state;
    double f[10], y[10];
    for (int i = 0; i < 10; i++)
        f[i] = i, y[i] = 10 * i;
    sim_plot_effect e[2];
    int n;
    sim_err err = {0};
    assert_int_equal(sim_plot_main_effect(f, y, 10, 2, e, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_close(e[0].level, 2, 1e-15);
    assert_close(e[1].level, 7, 1e-15);
    assert_close(e[0].mean, 20, 1e-12);
    assert_close(e[1].mean, 70, 1e-12);
    assert_int_equal(e[0].n, 5);
}

static const char *tmp_file(const char *name, const char *text)
{
    static char path[8][1200], dir[1024];
    static int next;
    if (!dir[0])
        snprintf(dir, sizeof dir, "%s", sim_test_tmpdir("plot_unit"));
    char *p = path[next++ % 8];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    assert_int_equal(sim_test_write(p, text), 0);
    return p;
}

static void table_read(void **state)
{
    (void)state;
    const char *p = tmp_file("t.csv", "point,metric,value,se\n"
                                      "0,a,1.5,0.1\n0,b,2,\n1,a,-3,0.2\n");
    const char *cols[] = {"value", "point"};
    sim_plot_query q = {.cols = cols, .ncols = 2, .where_col = "metric",
                        .where_val = "a", .label_col = "metric"};
    sim_plot_table t;
    sim_err err = {0};
    assert_int_equal(sim_plot_table_read(p, &q, &t, &err), 0);
    assert_int_equal(t.nrows, 2);
    assert_close(sim_plot_at(&t, 0, 0), 1.5, 0);
    assert_close(sim_plot_at(&t, 1, 0), -3, 0);
    assert_close(sim_plot_at(&t, 1, 1), 1, 0);
    assert_string_equal(t.label[1], "a");
    sim_plot_table_free(&t);
    /* an empty field is NaN */
    const char *se[] = {"se"};
    sim_plot_query q2 = {.cols = se, .ncols = 1};
    assert_int_equal(sim_plot_table_read(p, &q2, &t, &err), 0);
    assert_true(isnan(sim_plot_at(&t, 1, 0)));
    sim_plot_table_free(&t);
}

static void table_errors(void **state)
{
    (void)state;
    const char *p = tmp_file("bad.csv", "a,b\n1,2\n3,x\n");
    const char *cols[] = {"b"}, *missing[] = {"c"};
    sim_plot_query q = {.cols = cols, .ncols = 1};
    sim_plot_table t;
    sim_err err = {0};
    assert_int_equal(sim_plot_table_read(p, &q, &t, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "bad.csv:3"));
    assert_non_null(strstr(err.msg, "not a number"));
    assert_null(t.v);
    q.cols = missing;
    assert_int_equal(sim_plot_table_read(p, &q, &t, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "no column 'c'"));
    const char *short_row = tmp_file("short.csv", "a,b\n1\n");
    q.cols = cols;
    assert_int_equal(sim_plot_table_read(short_row, &q, &t, &err),
                     SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "1 fields where the header has 2"));
    char **names;
    int n;
    assert_int_equal(sim_plot_header(p, &names, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[1], "b");
    sim_plot_names_free(names, n);
}

static void dir_kinds(void **state)
{
    (void)state;
    char dir[1200];
    snprintf(dir, sizeof dir, "%s", sim_test_tmpdir("plot_kind"));
    sim_plot_kind k;
    sim_err err = {0};
    assert_int_equal(sim_plot_dir_kind(dir, &k, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "holds no results"));
    char path[1300];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    assert_int_equal(sim_test_write(path, "rep\n0\n"), 0);
    assert_int_equal(sim_plot_dir_kind(dir, &k, &err), 0);
    assert_int_equal(k, SIM_PLOT_RUN);
    snprintf(path, sizeof path, "%s/design.csv", dir);
    assert_int_equal(sim_test_write(path, "point\n0\n"), 0);
    assert_int_equal(sim_plot_dir_kind(dir, &k, &err), 0);
    assert_int_equal(k, SIM_PLOT_RUN); /* a sweep needs points.csv too */
    snprintf(path, sizeof path, "%s/points.csv", dir);
    assert_int_equal(sim_test_write(path, "point\n0\n"), 0);
    assert_int_equal(sim_plot_dir_kind(dir, &k, &err), 0);
    assert_int_equal(k, SIM_PLOT_SWEEP);
    assert_int_equal(sim_plot_dir_kind(path, &k, &err), SIM_E_USAGE);
    snprintf(path, sizeof path, "%s/nonexistent", dir);
    assert_int_equal(sim_plot_dir_kind(path, &k, &err), SIM_E_USAGE);
}

static void units(void **state)
{
    (void)state;
    sim_scenario *sc = malloc(sizeof *sc);
    assert_non_null(sc);
    sim_scenario_defaults(sc, sim_builtin_models());
    char unit[64], meaning[256];
    assert_true(sim_plot_column_unit(sc, "released_total", unit, sizeof unit,
                                     meaning, sizeof meaning));
    assert_string_equal(unit, "persons");
    assert_true(sim_plot_column_unit(sc, "price_per_prisoner", unit,
                                     sizeof unit, NULL, 0));
    assert_string_equal(unit, "$bn/yr per person");
    assert_true(sim_plot_column_unit(sc, "tension", unit, sizeof unit, NULL,
                                     0));
    assert_string_equal(unit, "index");
    assert_false(sim_plot_column_unit(sc, "no_such_column", unit, sizeof unit,
                                      NULL, 0));
    free(sc);
}

static void scenario_diff(void **state)
{
    (void)state;
    const char *a = tmp_file("a.cfg", "name = \"a\";\nrounds = 36;\n"
                                      "eu = {\n  enabled = true;\n};\n"
                                      "veto =\n{\n  model = \"spe\";\n};\n"
                                      "instruments = (\n  {\n    name = "
                                      "\"x\";\n    value = 1.0;\n  },\n  {\n"
                                      "    name = \"y\";\n    value = 2.0;\n"
                                      "  }\n);\n");
    const char *b = tmp_file("b.cfg", "name = \"b\";\nrounds = 36;\n"
                                      "eu = {\n  enabled = false;\n};\n"
                                      "veto =\n{\n  model = \"qre\";\n};\n"
                                      "instruments = (\n  {\n    name = "
                                      "\"x\";\n    value = 1.0;\n  },\n  {\n"
                                      "    name = \"y\";\n    value = 2.5;\n"
                                      "  }\n);\nextra = 1;\n");
    sim_plot_change *ch;
    size_t n;
    sim_err err = {0};
    assert_int_equal(sim_plot_scenario_diff(a, b, &ch, &n, &err), 0);
    assert_int_equal(n, 5);
    assert_string_equal(ch[0].key, "name");
    assert_string_equal(ch[1].key, "eu.enabled");
    assert_string_equal(ch[1].a, "true");
    assert_string_equal(ch[1].b, "false");
    /* a group opened on the line after its name */
    assert_string_equal(ch[2].key, "veto.model");
    assert_string_equal(ch[3].key, "instruments.[name=\"y\"].value");
    assert_string_equal(ch[3].b, "2.5");
    assert_string_equal(ch[4].key, "extra");
    assert_string_equal(ch[4].a, "");
    sim_plot_changes_free(ch, n);
    assert_int_equal(sim_plot_scenario_diff(a, a, &ch, &n, &err), 0);
    assert_int_equal(n, 0);
    sim_plot_changes_free(ch, n);
    assert_int_equal(sim_plot_scenario_diff(a, "/nonexistent/x.cfg", &ch, &n,
                                            &err),
                     SIM_E_USAGE);
}

/* A run's manifest (libconfig) and a sweep's whose arrays mix integers
 * and reals (which libconfig refuses: read line by line). */
static void manifests(void **state)
{
    (void)state;
    char dir[1200], path[1300];
    snprintf(dir, sizeof dir, "%s", sim_test_tmpdir("plot_manifest"));
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    assert_int_equal(sim_test_write(path,
                                    "version = \"0.2.0\";\n"
                                    "scenario_file = \"s.cfg\";\n"
                                    "master_seed = 7L;\nreplications = 50;\n"
                                    "run = {\n  command = \"sanctionsim run "
                                    "s.cfg\";\n};\n"),
                     0);
    sim_plot_manifest m;
    sim_err err = {0};
    assert_int_equal(sim_plot_manifest_read(dir, &m, &err), 0);
    assert_int_equal(m.seed, 7);
    assert_int_equal(m.replications, 50);
    assert_string_equal(m.command, "sanctionsim run s.cfg");
    assert_string_equal(m.source, "s.cfg");
    assert_int_equal(sim_test_write(path,
                                    "kind = \"sweep\";\ncommand = \"sanctionsim "
                                    "sweep e.cfg\";\nexperiment = "
                                    "\"e.cfg\";\nreplications = 40;\n"
                                    "seed = 3L;\nfactors = ( { range = [0.5, "
                                    "2]; } );\n"),
                     0);
    assert_int_equal(sim_plot_manifest_read(dir, &m, &err), 0);
    assert_int_equal(m.seed, 3);
    assert_int_equal(m.replications, 40);
    assert_string_equal(m.command, "sanctionsim sweep e.cfg");
    assert_string_equal(m.source, "e.cfg");
    snprintf(path, sizeof path, "%s/nonexistent", dir);
    assert_int_equal(sim_plot_manifest_read(path, &m, &err), SIM_E_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bands_by_hand),
        cmocka_unit_test(bands_refuse_bad_rounds),
        cmocka_unit_test(ecdf_by_hand),
        cmocka_unit_test(by_round_by_hand),
        cmocka_unit_test(main_effect_levels),
        cmocka_unit_test(main_effect_bins),
        cmocka_unit_test(table_read),
        cmocka_unit_test(table_errors),
        cmocka_unit_test(dir_kinds),
        cmocka_unit_test(units),
        cmocka_unit_test(scenario_diff),
        cmocka_unit_test(manifests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
