/* test_alloc_calib.c - allocation failures under an abc calibration (its
 * prior stream, the sorted draws, the kept sample and everything the
 * evaluations allocate): each failure is SIM_E_NOMEM with a message and
 * leaves no result or temporary folder; the last attempt succeeds. A
 * two-round scenario, two replications, three draws. */
#include "alloc_hook.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanctionsim/calibrate.h>
#include <sanctionsim/sanctionsim.h>

static char top[1024], out_parent[1100], out_dir[1200];
static sim_calib calibration;

static const char *at(const char *name)
{
    static char buf[4][1200];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", top, name);
    return b;
}

static int op_calibrate(sim_err *err)
{
    sim_calib_opts o = {.outdir = out_dir, .threads = 1,
                        .command_line = "test_alloc_calib"};
    sim_calib_result r;
    memset(&r, 0, sizeof r);
    int rc = sim_calib_run(&calibration, sim_builtin_models(), &o, &r, err);
    if (rc == 0 && (r.evaluations != 3 || r.accepted < 1))
        fail_msg("abc: %ld evaluations, %ld accepted", r.evaluations,
                 r.accepted);
    sim_calib_result_free(&r);
    return rc;
}

/* After each attempt: out_parent holds the result only if it succeeded. */
static void after(int rc)
{
    char names[512] = "";
    int n = sim_test_dir_entries(out_parent, names, sizeof names);
    if (n != (rc ? 0 : 1))
        fail_msg("after status %d the folder %s holds:%s", rc, out_parent,
                 names);
    if (rc == 0) {
        char cmd[1300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", out_dir);
        assert_int_equal(system(cmd), 0);
    }
}

static void load(const char *extra)
{
    char cwd[1024], text[2048];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text,
             "base = \"%s/scenarios/baseline.cfg\";\nrounds = 2;\n", cwd);
    assert_int_equal(sim_test_write(at("small.cfg"), text), 0);
    assert_int_equal(
        sim_test_write(at("targets.cfg"),
                       "observations = (\n"
                       " { id = \"arrests\"; quantity = \"arrests\"; "
                       "statistic = \"sum\"; from = 1; to = 2;\n"
                       "   value = 90.0; uncertainty = 5.0; source = \"s\"; "
                       "},\n"
                       " { id = \"released\"; quantity = \"released_total\";"
                       " value = 10.0;\n"
                       "   uncertainty = 5.0; source = \"s\"; }\n);\n"),
        0);
    snprintf(text, sizeof text,
             "scenario = \"small.cfg\";\ntargets = \"targets.cfg\";\n"
             "method = \"abc\";\nreplications = 2;\nseed = 3;\ndraws = 3;\n"
             "%s\nparameters = (\n"
             "  { key = \"shocks.arrests.mean\"; range = [20.0, 80.0]; "
             "prior = \"normal\"; mean = 45.0; sd = 10.0; },\n"
             "  { key = \"shocks.completions.p\"; range = [0.005, 0.08]; "
             "name = \"completions\"; }\n);\n",
             extra);
    assert_int_equal(sim_test_write(at("cal.cfg"), text), 0);
    sim_err err = {0};
    if (sim_calib_load(&calibration, at("cal.cfg"), &err))
        fail_msg("%s", err.msg);
}

static void test_abc_accept(void **state)
{
    (void)state;
    load("accept = 0.5;");
    sim_alloc_check("abc, the closest half", op_calibrate, after, 20);
}

static void test_abc_tolerance(void **state)
{
    (void)state;
    load("abc_tolerance = 1e9;");
    sim_alloc_check("abc within a tolerance", op_calibrate, after, 20);
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", sim_test_tmpdir("alloc_calib"));
    snprintf(out_parent, sizeof out_parent, "%s", at("out"));
    snprintf(out_dir, sizeof out_dir, "%s/fit", out_parent);
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", out_parent);
    return system(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abc_accept),
        cmocka_unit_test(test_abc_tolerance),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
