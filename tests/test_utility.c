/* test_utility.c - the engine's utility gains: sim_utility_gain takes
 * shortcuts (cached instrument sums, a sum over the view features only
 * when two views share status and transit); each must give the double
 * that the plain formula gives: features of both views, their difference,
 * the weights' dot product with it (sim_utility_check_gain runs the cases
 * inside the engine, whose workspace is private to it). */
#include "testutil.h"

#include <sanctionsim/scenario.h>
#include "../sim/utility_check.h"

/* 20,000 random cases on the baseline's instruments: zeros of both signs,
 * infinities and NaN in weights and tension; borders, transit and lifted
 * instruments. */
static void test_gain_is_plain_formula(void **state)
{
    (void)state;
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), "scenarios/baseline.cfg",
                          NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    char msg[200] = "";
    int shortcuts = 0;
    int rc = sim_utility_check_gain(&sc, 88172645463325252u, 20000,
                                    &shortcuts, msg, sizeof msg);
    if (rc)
        fail_msg("%s", rc < 0 ? "no workspace" : msg);
    /* the shortcut was taken, in many cases */
    assert_true(shortcuts > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gain_is_plain_formula),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
