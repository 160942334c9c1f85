/* test_experiment.c - experiment files and `sanctionsim sweep` on a small
 * scenario: the loader's values and errors (file, line, key, "did you
 * mean"), the sweep's files with their point column, common random
 * numbers, a failing point named, --force, and the command's exit codes. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include <sanctionsim/experiment.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static sim_experiment exp_a;

static const char small_cfg[] =
    "rounds = 4;\n"
    "replications = 3;\n"
    "instruments = (\n"
    "  { name = \"potash\"; imposer = \"us\"; value = 1.0; },\n"
    "  { name = \"belavia\"; imposer = \"eu\"; value = 0.5; }\n"
    ");\n";

/* A folder holding small.cfg and experiment file `name` with text. */
static const char *setup(const char *tmp, const char *name, const char *text)
{
    static char path[1024];
    const char *dir = sim_test_tmpdir(tmp);
    snprintf(path, sizeof path, "%s/small.cfg", dir);
    assert_int_equal(sim_test_write(path, small_cfg), 0);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(sim_test_write(path, text), 0);
    return path;
}

static void test_load_values(void **state)
{
    (void)state;
    const char *path = setup(
        "exp_load", "e.cfg",
        "scenario = \"small.cfg\"; design = \"lhs\"; samples = 5;\n"
        "maximin = 3; replications = 7; seed = 9L; statistic = \"median\";\n"
        "metrics = [\"released_total\"];\n"
        "factors = (\n"
        "  { key = \"instruments.[name=\\\"potash\\\"].value\"; "
        "range = [0.5, 2.0]; log = true; },\n"
        "  { key = \"eu.enabled\"; values = [false, true]; group = \"g\"; },\n"
        "  { key = \"tension.decay\"; distribution = \"beta\"; a = 2; b = 5; "
        "name = \"decay\"; }\n"
        ");\n");
    sim_err err = {0};
    int rc = sim_experiment_load(&exp_a, path, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(exp_a.scenario, "exp_load/small.cfg"));
    assert_int_equal(exp_a.design.type, SIM_DESIGN_LHS);
    assert_int_equal(exp_a.design.samples, 5);
    assert_int_equal(exp_a.design.maximin, 3);
    assert_int_equal(exp_a.replications, 7);
    assert_true(exp_a.seed == 9);
    assert_int_equal(exp_a.statistic, SIM_STATISTIC_MEDIAN);
    assert_int_equal(exp_a.nfactors, 3);
    assert_string_equal(exp_a.factor[0].name, "instruments.potash.value");
    assert_true(exp_a.factor[0].log);
    assert_true(exp_a.factor[1].boolean);
    assert_string_equal(exp_a.factor[2].name, "decay");
    assert_int_equal(exp_a.factor[2].dist, SIM_FACTOR_DIST_BETA);
    assert_int_equal(exp_a.ngroups, 3);
    assert_string_equal(exp_a.group[1], "g");
    sim_sweep_plan plan;
    rc = sim_sweep_plan_make(&exp_a, sim_builtin_models(), &plan, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(plan.points, 5);
    assert_int_equal(plan.runs, 35);
}

typedef struct bad_case {
    const char *text;
    const char *msg; /* a part of the message */
} bad_case;

#define HEAD "scenario = \"small.cfg\"; metrics = [\"rounds\"];\n"
#define ONE "factors = ( { key = \"rounds\"; values = [2, 3]; } );\n"

static const bad_case bad_cases[] = {
    {HEAD ONE "desing = \"sobol\";\n",
     "e.cfg:3: desing: unknown key; did you mean 'design'?"},
    {HEAD ONE "design = \"sobl\";\n",
     "e.cfg:3: design: unknown value \"sobl\"; did you mean 'sobol'?"},
    {HEAD ONE "statistic = \"p90\";\n", "e.cfg:3: statistic: unknown value"},
    {HEAD "factors = (\n  { key = \"rounds\"; valus = [2]; }\n);\n",
     "e.cfg:3: factors.[0].valus: unknown key; did you mean 'values'?"},
    {HEAD "factors = (\n  { key = \"rounds\"; range = [3, 2]; }\n);\n",
     "e.cfg:3: factors.[0].range: expected [lo, hi] with lo < hi"},
    {HEAD "factors = ( { range = [1, 2]; } );\n", "a factor needs key"},
    {HEAD "factors = ( { key = \"a\"; range = [1, 2]; values = [1]; } );\n",
     "needs exactly one of values"},
    {HEAD "factors = ( { key = \"a\"; distribution = \"normel\"; } );\n",
     "unknown distribution; did you mean 'normal'?"},
    {HEAD "factors = ( { key = \"a\"; distribution = \"normal\"; mean = 1; "
          "} );\n",
     "the normal distribution needs sd = <number>"},
    {HEAD "factors = ( { key = \"a\"; distribution = \"gamma\"; shape = -1; "
          "scale = 1; } );\n",
     "needs shape > 0"},
    {HEAD "factors = ( { key = \"a\"; values = [1]; },\n"
          "  { key = \"a\"; values = [2]; } );\n",
     "e.cfg:3: factors.[1]: two factors are named \"a\""},
    {"metrics = [\"rounds\"];\n" ONE, "needs scenario"},
    {"scenario = \"small.cfg\";\n" ONE, "needs metrics"},
    {HEAD, "needs factors"},
    {HEAD ONE "dummy = true;\n", "a dummy factor is for sobol designs only"},
    {"scenario = \"small.cfg\"; metrics = [];\n" ONE,
     "e.cfg:1: metrics: expected a list of 1 to"},
    {"scenario = \"small.cfg\"; metrics = [\"a,b\"];\n" ONE,
     "expected a metric name (a column of summary.csv) in double quotes"},
    {HEAD "factors = ( { key = \"rounds\"; values = 3; } );\n",
     "factors.[0].values: expected a list of numbers, found an integer"},
    {HEAD "factors = ( { key = \"rounds\"; values = []; } );\n",
     "factors.[0].values: expected 1 to"},
    {HEAD "factors = ( { key = \"rounds\"; values = (2, \"x\"); } );\n",
     "factors.[0].values.[1]: expected a number, found a string"},
    {HEAD "factors = ( { key = \"eu.enabled\"; values = (true, 2); } );\n",
     "factors.[0].values: expected only numbers or only booleans"},
    {HEAD "factors = ( { key = \"rounds\"; name = \"a b\"; values = [2]; } "
          ");\n",
     "the factor name \"a b\" must use only letters"},
    {HEAD "factors = ( { key = \"rounds\"; group = \"g,h\"; values = [2]; "
          "} );\n",
     "the group name \"g,h\" must use only letters"},
    /* Found by fuzz/fuzz_experiment.c: a factor named like design.csv's
     * first column, or like the dummy factor (whose group it joined). */
    {HEAD "factors = ( { key = \"rounds\"; name = \"point\"; values = [2]; "
          "} );\n",
     "e.cfg:2: factors.[0]: the factor name \"point\" is taken"},
    {HEAD "design = \"sobol\"; dummy = true;\n"
          "factors = ( { key = \"rounds\"; name = \"dummy\"; range = [2, 4]; "
          "} );\n",
     "e.cfg:3: factors.[0]: the factor name \"dummy\" is taken (the dummy"},
    {HEAD "design = \"sobol\"; dummy = true;\n"
          "factors = ( { key = \"rounds\"; group = \"dummy\"; range = [2, "
          "4]; } );\n",
     "e.cfg:3: factors.[0]: the group name \"dummy\" is the dummy"},
};

static void test_load_errors(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < N_OF(bad_cases); i++) {
        sim_err err = {0};
        int rc = sim_experiment_load_string(&exp_a, bad_cases[i].text, "e.cfg",
                                            &err);
        if (rc != SIM_E_SCENARIO || !strstr(err.msg, bad_cases[i].msg)) {
            print_error("case %zu: rc %d\n  got:  %s\n  want: %s\n", i, rc,
                        err.msg, bad_cases[i].msg);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* A factor whose key the scenario does not have fails before any run,
 * naming the experiment, the point and the key. */
static void test_plan_bad_key(void **state)
{
    (void)state;
    const char *path = setup(
        "exp_badkey", "e.cfg",
        "scenario = \"small.cfg\"; metrics = [\"rounds\"];\n"
        "factors = ( { key = \"instruments.[name=potas].value\"; "
        "values = [1]; } );\n");
    sim_err err = {0};
    assert_int_equal(sim_experiment_load(&exp_a, path, &err), 0);
    sim_sweep_plan plan;
    assert_int_equal(
        sim_sweep_plan_make(&exp_a, sim_builtin_models(), &plan, &err),
        SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "e.cfg: design point 0: "));
    assert_non_null(strstr(err.msg, "did you mean 'potash'?"));
}

/* Counts the lines of a file. */
static int count_lines(const char *dir, const char *name)
{
    char path[2400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = sim_test_slurp(path, NULL);
    int n = 0;
    for (const char *c = text; c && *c; c++)
        n += *c == '\n';
    free(text);
    return text ? n : -1;
}

static char *read_in(const char *dir, const char *name)
{
    char path[2400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return sim_test_slurp(path, NULL);
}

/* `sanctionsim sweep` on a tiny full factorial: the files, the point
 * column, the cost line; again without --force is refused, with it
 * replaced. */
static void test_cli_sweep_files(void **state)
{
    (void)state;
    const char *path = setup(
        "exp_cli", "tiny.cfg",
        "scenario = \"small.cfg\"; design = \"full_factorial\";\n"
        "replications = 3; metrics = [\"released_total\", \"rounds\"];\n"
        "factors = ( { key = \"instruments.[name=\\\"potash\\\"].value\"; "
        "values = [0.5, 2.0]; name = \"potash\"; },\n"
        "  { key = \"eu.enabled\"; values = [false, true]; } );\n");
    char out[1200], cmd[4096];
    snprintf(out, sizeof out, "%s/out", sim_test_tmpdir("exp_cli_out"));
    snprintf(cmd, sizeof cmd, "'%s' sweep '%s' -o '%s'", sim_test_bin(), path,
             out);
    char *text = NULL;
    int status = sim_test_run(cmd, &text);
    if (status)
        print_error("%s\n", text);
    assert_int_equal(status, 0);
    assert_non_null(strstr(text, "4 points x 3 replications = 12 runs"));
    free(text);
    char *design = read_in(out, "design.csv");
    assert_non_null(design);
    assert_string_equal(design, "point,potash,eu.enabled\n0,0.5,0\n1,0.5,1\n"
                                "2,2,0\n3,2,1\n");
    free(design);
    char *runs = read_in(out, "runs.csv");
    assert_memory_equal(runs, "point,rep,seed,", 15);
    /* common random numbers: replication 1's seed is the same at every
     * point */
    char *l1 = strstr(runs, "\n0,1,"), *l2 = strstr(runs, "\n3,1,");
    assert_non_null(l1);
    assert_non_null(l2);
    assert_memory_equal(l1 + 5, l2 + 5, strcspn(l1 + 5, ","));
    free(runs);
    assert_int_equal(count_lines(out, "runs.csv"), 1 + 4 * 3);
    char *summary = read_in(out, "summary.csv");
    assert_memory_equal(summary, "point,metric,n,mean,", 20);
    assert_non_null(strstr(summary, "\n3,released_total,3,"));
    free(summary);
    assert_int_equal(count_lines(out, "points.csv"), 1 + 4 * 2);
    assert_true(count_lines(out, "manifest.cfg") > 5);
    /* no sensitivity files for a factorial */
    assert_int_equal(count_lines(out, "sensitivity.csv"), -1);
    /* the directory exists: refused, then replaced with --force */
    status = sim_test_run(cmd, &text);
    assert_int_equal(status, 2);
    assert_non_null(strstr(text, "--force"));
    free(text);
    snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --force -q");
    status = sim_test_run(cmd, &text);
    assert_int_equal(status, 0);
    assert_string_equal(text, "");
    free(text);
}

/* A sobol sweep of the simulator writes sensitivity.csv with a row per
 * factor and metric; an N that is not a power of two is refused before
 * any run; a metric that is not one is named with a suggestion. */
static void test_cli_sweep_sobol(void **state)
{
    (void)state;
    const char *path = setup(
        "exp_sobol", "s.cfg",
        "scenario = \"small.cfg\"; design = \"sobol\"; samples = 4;\n"
        "replications = 2; bootstrap = 20; dummy = true;\n"
        "metrics = [\"arrests\"];\n"
        "factors = ( { key = \"instruments.[0].value\"; range = [0.5, 2.0]; },\n"
        "  { key = \"shocks.arrests.mean\"; range = [10.0, 50.0]; } );\n");
    char out[1200], cmd[4096];
    snprintf(out, sizeof out, "%s/out", sim_test_tmpdir("exp_sobol_out"));
    snprintf(cmd, sizeof cmd, "'%s' sweep '%s' -o '%s'", sim_test_bin(), path,
             out);
    char *text = NULL;
    int status = sim_test_run(cmd, &text);
    if (status)
        print_error("%s\n", text);
    assert_int_equal(status, 0);
    assert_non_null(strstr(text, "20 points x 2 replications = 40 runs"));
    assert_non_null(strstr(text, "warning: N = 4 base samples is small"));
    assert_non_null(strstr(text, "Sobol indices of the mean"));
    free(text);
    assert_int_equal(count_lines(out, "sensitivity.csv"), 1 + 3);
    char *sens = read_in(out, "sensitivity.csv");
    assert_non_null(strstr(sens, "\ninstruments.0.value,arrests,"));
    assert_non_null(strstr(sens, "\nshocks.arrests.mean,arrests,"));
    assert_non_null(strstr(sens, "\ndummy,arrests,"));
    free(sens);
    assert_true(count_lines(out, "convergence.csv") > 1);

    path = setup("exp_sobol_bad", "s.cfg",
                 "scenario = \"small.cfg\"; design = \"sobol\"; "
                 "samples = 6;\nmetrics = [\"released_total\"];\n"
                 "factors = ( { key = \"rounds\"; values = [3, 4]; } );\n");
    snprintf(cmd, sizeof cmd, "'%s' sweep '%s' -o '%s.2'", sim_test_bin(),
             path, out);
    status = sim_test_run(cmd, &text);
    assert_int_equal(status, 2);
    assert_non_null(strstr(text, "needs N (samples) a power of two"));
    free(text);
    path = setup("exp_sobol_metric", "s.cfg",
                 "scenario = \"small.cfg\"; replications = 2;\n"
                 "metrics = [\"released_totl\"];\n"
                 "factors = ( { key = \"rounds\"; values = [3, 4]; } );\n");
    snprintf(cmd, sizeof cmd, "'%s' sweep '%s' -o '%s.3'", sim_test_bin(),
             path, out);
    status = sim_test_run(cmd, &text);
    assert_int_equal(status, 2);
    assert_non_null(strstr(text, "metrics: 'released_totl' is not a metric "
                                 "of summary.csv; did you mean "
                                 "'released_total'?"));
    free(text);
}

/* The statistic must be finite at every point: a metric that never
 * happens fails the sweep naming the point, and leaves no directory. */
static void test_sweep_nonfinite_point(void **state)
{
    (void)state;
    const char *path = setup(
        "exp_nan", "n.cfg",
        "scenario = \"small.cfg\"; replications = 2;\n"
        "metrics = [\"first_eu_relief_round\"];\n"
        "factors = ( { key = \"eu.enabled\"; values = [false]; } );\n");
    sim_err err = {0};
    assert_int_equal(sim_experiment_load(&exp_a, path, &err), 0);
    char parent[1100], out[1200];
    snprintf(parent, sizeof parent, "%s", sim_test_tmpdir("exp_nan_out"));
    snprintf(out, sizeof out, "%s/out", parent);
    sim_sweep_opts o = {.outdir = out};
    sim_sweep_result r;
    int rc = sim_sweep_run(&exp_a, sim_builtin_models(), &o, &r, &err);
    sim_sweep_result_free(&r);
    assert_int_equal(rc, SIM_E_NUMERIC);
    assert_non_null(strstr(err.msg, "design point 0: metric "
                                    "first_eu_relief_round has no finite"));
    assert_int_equal(sim_test_dir_entries(parent, NULL, 0), 0);
}

/* A function that raises the cancel flag at its third point. */
static int cancel_at_3(void *ctx, long point, const double *x, double *y,
                       double *se, sim_err *err)
{
    (void)x;
    (void)err;
    if (point == 2)
        atomic_store((atomic_int *)ctx, 1);
    y[0] = (double)point;
    se[0] = 0;
    return 0;
}

/* An interrupted sweep stops between points and leaves nothing: neither
 * the result directory nor its temporary one. */
static void test_sweep_interrupted(void **state)
{
    (void)state;
    sim_err err = {0};
    assert_int_equal(
        sim_experiment_load_string(&exp_a,
                                   "scenario = \"x.cfg\"; design = \"lhs\"; "
                                   "samples = 10; metrics = [\"y\"];\n"
                                   "factors = ( { key = \"a\"; range = [0.0, "
                                   "1.0]; } );\n",
                                   "e.cfg", &err),
        0);
    char parent[1100], out[1200];
    snprintf(parent, sizeof parent, "%s", sim_test_tmpdir("exp_cancel"));
    snprintf(out, sizeof out, "%s/out", parent);
    atomic_int cancel = 0;
    sim_sweep_opts o = {.outdir = out, .cancel = &cancel};
    sim_sweep_result r;
    int rc = sim_sweep_run_fn(&exp_a, cancel_at_3, &cancel, &o, &r, &err);
    sim_sweep_result_free(&r);
    assert_int_equal(rc, SIM_E_INTERRUPTED);
    assert_non_null(strstr(err.msg, "interrupted after 3 of 10 design "
                                    "points"));
    /* the points done are kept in out.partial/, for --resume */
    char names[512];
    assert_int_equal(sim_test_dir_entries(parent, names, sizeof names), 1);
    assert_non_null(strstr(names, "out.partial"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_values),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_plan_bad_key),
        cmocka_unit_test(test_cli_sweep_files),
        cmocka_unit_test(test_cli_sweep_sobol),
        cmocka_unit_test(test_sweep_nonfinite_point),
        cmocka_unit_test(test_sweep_interrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
