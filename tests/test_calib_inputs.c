/* test_calib_inputs.c - broken calibration files and targets files, each
 * refused with its code and a message naming the file and line (or the
 * key), and calibrations that load but cannot be run: no observation in
 * the scenario's rounds, an observation no replication gives a value,
 * a column the scenario lacks, abc with no draw within its tolerance or
 * no draw at all. Tiny runs (one or two rounds, a few replications). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanctionsim/calibrate.h>
#include <sanctionsim/sanctionsim.h>
#include <sanctionsim/score.h>

static char top[1024];

static const char *at(const char *name)
{
    static char buf[4][1200];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", top, name);
    return b;
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", sim_test_tmpdir("calib_inputs"));
    char cwd[1024], text[1400];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    snprintf(text, sizeof text,
             "base = \"%s/scenarios/baseline.cfg\";\nrounds = 2;\n", cwd);
    return sim_test_write(at("small.cfg"), text);
}

/* Fails unless msg holds both halves of expect ("where|what"). */
static void expect_msg(size_t i, const char *msg, const char *expect)
{
    char where[256];
    const char *bar = strchr(expect, '|');
    snprintf(where, sizeof where, "%.*s", (int)(bar - expect), expect);
    if (!strstr(msg, where) || !strstr(msg, bar + 1))
        fail_msg("case %zu: '%s' lacks '%s'", i, msg, expect);
}

/* Fails unless rc is want, showing the message. */
static void expect_rc(int rc, int want, const sim_err *e)
{
    if (rc != want)
        fail_msg("status %d, want %d: %s", rc, want, e->msg);
}

/* ---- calibration files ---- */

#define HEAD "scenario = \"s.cfg\";\ntargets = \"t.cfg\";\n"
#define ONE_PARAM "parameters = ( { key = \"a.b\"; range = [0.0, 1.0]; } );\n"

static void test_bad_calibrations(void **state)
{
    (void)state;
    char longpath[1100];
    memset(longpath, 'x', 1000);
    longpath[1000] = '\0';
    char longfile[1400];
    snprintf(longfile, sizeof longfile,
             "scenario = \"%s\";\ntargets = \"t.cfg\";\n" ONE_PARAM,
             longpath);
    const struct {
        const char *text, *expect;
    } cases[] = {
        {HEAD "parameters = (\n { key = \"a.b\"; range = [0.0, 1.0];\n"
              "   start = \"middle\"; } );\n",
         "bad.cfg:5|expected a number"},
        {HEAD "parameters = (\n { key = \"a.b\"; } );\n",
         "bad.cfg:4|a parameter needs range"},
        {HEAD "parameters = (\n { key = \"a.b\"; range = [0.0, 1.0];\n"
              "   prior = \"normal\"; mean = 0.5; } );\n",
         "bad.cfg:4|the normal prior needs mean"},
        {HEAD "parameters = (\n { key = \"a.b\"; range = [-1.0, 1.0];\n"
              "   prior = \"lognormal\"; zeta = 0.0; sigma = 1.0; } );\n",
         "bad.cfg:5|a lognormal prior needs lo >= 0"},
        {HEAD "parameters = (\n { range = [0.0, 1.0]; } );\n",
         "bad.cfg:4|a parameter needs key"},
        {HEAD "parameters = (\n { key = \"a.b\"; range = [0.0, 1.0];\n"
              "   name = \"a b\"; } );\n",
         "bad.cfg:4|the parameter name \"a b\""},
        {HEAD "parameters = (\n { key = \"a.b\"; range = [0.0, 1.0]; "
              "name = \"x\"; },\n"
              " { key = \"c.d\"; range = [0.0, 1.0]; name = \"x\"; } );\n",
         "bad.cfg:5|two parameters are named \"x\""},
        {"targets = \"t.cfg\";\n" ONE_PARAM, "bad.cfg|needs scenario = \"...\""},
        {HEAD "keep = 5;\n" ONE_PARAM, "bad.cfg:3|keep needs abc_tolerance"},
        {longfile, "bad.cfg:1|the path of scenario is too long"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(sim_test_write(at("bad.cfg"), cases[i].text), 0);
        sim_calib *c = malloc(sizeof *c);
        sim_err e = {0};
        assert_non_null(c);
        int rc = sim_calib_load(c, at("bad.cfg"), &e);
        if (rc != SIM_E_SCENARIO)
            fail_msg("case %zu: status %d: %s", i, rc, e.msg);
        expect_msg(i, e.msg, cases[i].expect);
        if (!strstr(e.msg, "bad.cfg"))
            fail_msg("case %zu: '%s' names no file", i, e.msg);
        free(c);
    }
}

/* ---- targets files ---- */

#define OBS(body)                                                             \
    "observations = (\n { id = \"o\"; quantity = \"arrests\";\n" body         \
    "   source = \"s\"; }\n);\n"

static void test_bad_targets(void **state)
{
    (void)state;
    char longid[400];
    snprintf(longid, sizeof longid,
             "observations = (\n { id = \"%0100d\"; quantity = \"arrests\";\n"
             "   date = \"2025-10-01\"; value = 1.0; uncertainty = 1.0;\n"
             "   source = \"s\"; }\n);\n",
             7);
    const struct {
        const char *text, *expect;
    } cases[] = {
        {longid, "t.cfg:2|longer than 63 characters"},
        {OBS("   date = \"2025-10-01\"; uncertainty = 1.0;\n"),
         "t.cfg:2|missing 'value'"},
        {OBS("   date = \"2025-10-01\"; value = 1e999; uncertainty = 1.0;\n"),
         "t.cfg:3|must be finite"},
        {"cutoff = \"2025-09-15\";\n" OBS(
             "   statistic = \"sum\"; month = \"2025-10\"; value = 1.0;\n"
             "   uncertainty = 1.0;\n"),
         "t.cfg:4|2025-10 is after the file's cutoff 2025-09-15"},
        {"observations = (\n { id = \"o\"; quantity = \"lifted\";\n"
         "   date = \"2025-10-01\"; value = 1.0; uncertainty = 1.0;\n"
         "   source = \"s\"; }\n);\n",
         "t.cfg:2|'lifted' is a text column"},
        {OBS("   statistic = \"sum\"; date = \"2025-10-01\";\n"
             "   from = \"2025-09-01\"; value = 1.0; uncertainty = 1.0;\n"),
         "t.cfg:2|give either a date (or round) or from/to"},
        {OBS("   statistic = \"sum\"; from = 5; to = 3; value = 1.0;\n"
             "   uncertainty = 1.0;\n"),
         "t.cfg:2|'from' is after 'to'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(sim_test_write(at("t.cfg"), cases[i].text), 0);
        sim_targets ts;
        sim_err e = {0};
        assert_int_equal(sim_targets_load(at("t.cfg"), &ts, &e),
                         SIM_E_SCENARIO);
        expect_msg(i, e.msg, cases[i].expect);
        assert_null(ts.t);
    }
    /* no path, and a path longer than the struct holds */
    sim_targets ts;
    sim_err e = {0};
    assert_int_equal(sim_targets_load(NULL, &ts, &e), SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "no targets file given"));
    char longpath[SIM_PATH_MAX + 20];
    memset(longpath, 'y', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    assert_int_equal(sim_targets_load(longpath, &ts, &e), SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "targets path too long: yyy"));
}

/* ---- calibrations that load and fail to run ---- */

/* Writes targets.cfg holding obs and cal.cfg (method, extra keys) and
 * runs the calibration into top/out; returns its status. */
static int calibrate(const char *obs, const char *method, const char *extra,
                     sim_err *e)
{
    char text[2048];
    snprintf(text, sizeof text, "observations = (\n%s\n);\n", obs);
    assert_int_equal(sim_test_write(at("targets.cfg"), text), 0);
    snprintf(text, sizeof text,
             "scenario = \"small.cfg\";\ntargets = \"targets.cfg\";\n"
             "method = \"%s\";\nreplications = 3;\nseed = 5;\n"
             "max_iterations = 2;\ndraws = 3;\n%s\n"
             "parameters = ( { key = \"shocks.arrests.mean\"; "
             "range = [20.0, 80.0]; } );\n",
             method, extra);
    assert_int_equal(sim_test_write(at("cal.cfg"), text), 0);
    sim_calib *c = malloc(sizeof *c);
    assert_non_null(c);
    expect_rc(sim_calib_load(c, at("cal.cfg"), e), 0, e);
    sim_calib_opts o = {.outdir = at("out"), .force = true, .threads = 1};
    sim_calib_result r;
    int rc = sim_calib_run(c, sim_builtin_models(), &o, &r, e);
    if (!rc)
        sim_calib_result_free(&r);
    free(c);
    /* a failed calibration leaves no result */
    if (rc)
        assert_int_equal(access(at("out"), F_OK), -1);
    return rc;
}

#define ARRESTS_2030                                                          \
    " { id = \"late\"; quantity = \"arrests\"; date = \"2030-01-15\";\n"      \
    "   value = 40.0; uncertainty = 1.0; source = \"s\"; }"

static void test_cannot_run(void **state)
{
    (void)state;
    sim_err e = {0};
    /* every observation after the scenario's two rounds */
    expect_rc(calibrate(ARRESTS_2030, "smm", "", &e), SIM_E_USAGE, &e);
    assert_non_null(strstr(e.msg, "targets.cfg: no observation lies within "
                                  "the scenario's rounds"));
    /* a runs.csv column made of an instrument the scenario lacks */
    expect_rc(
        calibrate(" { id = \"gone\"; quantity = \"lifted_round_nosuch\";\n"
                  "   value = 1.0; uncertainty = 1.0; source = \"s\"; }",
                  "smm", "", &e),
        SIM_E_USAGE, &e);
    assert_non_null(strstr(e.msg, "targets.cfg:2: observation 'gone': "
                                  "'lifted_round_nosuch' is not a column "
                                  "of runs.csv"));
    /* a value no replication has: the first EU relief within 2 rounds */
    expect_rc(
        calibrate(" { id = \"relief\"; quantity = \"first_eu_relief_round\";"
                  "\n   value = 1.0; uncertainty = 1.0; source = \"s\"; }",
                  "smm", "", &e),
        SIM_E_NUMERIC, &e);
    assert_non_null(strstr(e.msg, "targets.cfg:2: observation 'relief' has "
                                  "no value in any replication"));
    /* abc: no draw within a tolerance far below any distance */
    expect_rc(
        calibrate(" { id = \"released\"; quantity = \"released_total\"; "
                  "value = 1e6;\n   uncertainty = 1.0; source = \"s\"; }",
                  "abc", "abc_tolerance = 1e-6;", &e),
        SIM_E_NUMERIC, &e);
    assert_non_null(strstr(e.msg, "cal.cfg: no draw of 3 lies within "
                                  "abc_tolerance = 1e-06"));
}

/* abc with a budget of no draws (a sim_calib filled by its caller). */
static void test_no_draws(void **state)
{
    (void)state;
    sim_err e = {0};
    expect_rc(
        calibrate(" { id = \"released\"; quantity = \"released_total\"; "
                  "value = 40.0;\n   uncertainty = 1.0; source = \"s\"; }",
                  "abc", "", &e),
        0, &e);
    sim_calib *c = malloc(sizeof *c);
    assert_non_null(c);
    assert_int_equal(sim_calib_load(c, at("cal.cfg"), &e), 0);
    c->draws = 0;
    sim_calib_opts o = {.outdir = at("none"), .threads = 1};
    sim_calib_result r;
    assert_int_not_equal(sim_calib_run(c, sim_builtin_models(), &o, &r, &e),
                         0);
    assert_non_null(strstr(e.msg, "abc: no draw was made"));
    assert_int_equal(access(at("none"), F_OK), -1);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_calibrations),
        cmocka_unit_test(test_bad_targets),
        cmocka_unit_test(test_cannot_run),
        cmocka_unit_test(test_no_draws),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
