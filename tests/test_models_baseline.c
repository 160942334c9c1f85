/* test_models_baseline.c - every registered model in every role it can
 * take, for every actor that takes that role, runs the baseline scenario
 * to the end and keeps prisoners conserved by kind (issue: "a baseline run
 * with each model in each role it supports completes and keeps the
 * conservation invariant"). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <sanctionsim/model.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

static void run_case(const char *actor, const char *role, const char *model,
                     long *runs)
{
    /* Switching the model with --set drops the file's parameters of the
     * old model; the new one runs with its defaults. */
    char set[256];
    snprintf(set, sizeof set, "actors.%s.%s.model=%s", actor, role, model);
    const char *sets[] = {set};
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), "scenarios/baseline.cfg",
                          sets, 1, NULL, &err))
        fail_msg("%s: %s", set, err.msg);
    sim_workspace *ws;
    if (sim_workspace_alloc(&sc, &ws, &err))
        fail_msg("%s: %s", set, err.msg);
    for (uint64_t r = 0; r < 20; r++) {
        sim_rep_result res;
        if (sim_replicate(ws, 3, r, NULL, NULL, &res, &err))
            fail_msg("%s, replication %lu: %s", set, (unsigned long)r,
                     err.msg);
        for (int k = 0; k < SIM_N_KINDS; k++) {
            long expect = res.prisoners_start[k] + res.arrests[k] -
                          res.released[k] - res.completions[k] -
                          res.deaths[k];
            if (res.prisoners_end[k] != expect || expect < 0)
                fail_msg("%s, replication %lu, %s: end %ld, expected %ld",
                         set, (unsigned long)r, sim_kind_name(k),
                         res.prisoners_end[k], expect);
        }
        assert_true(res.rounds >= 1 && res.rounds <= sc.rounds);
        (*runs)++;
    }
    sim_workspace_free(ws);
}

static void test_every_model_in_every_role(void **state)
{
    (void)state;
    static sim_scenario def; /* for the default roles */
    sim_scenario_defaults(&def, sim_builtin_models());
    long runs = 0;
    int cases = 0;
    for (int m = 0; sim_builtin_models()->models[m]; m++)
        for (int r = 0; r < SIM_N_ROLES; r++) {
            if (!sim_model_has_role(sim_builtin_models()->models[m], r))
                continue;
            for (int a = 0; a < SIM_N_ACTORS; a++)
                if (sim_actor_has_role(&def, a, r)) {
                    run_case(sim_actor_name(a), sim_role_name(r),
                             sim_builtin_models()->models[m]->name, &runs);
                    cases++;
                }
        }
    /* 6 models; spe and qre take all 6 roles, threshold 5, the bargaining
     * models 2: enough cases to mean every pairing was tried */
    assert_true(cases >= 40);
    assert_int_equal(runs, 20L * cases);
}

/* A model named for a role it cannot take is a scenario error naming the
 * file, line and role. */
static void test_role_a_model_cannot_take_is_an_error(void **state)
{
    (void)state;
    static sim_scenario sc, def; /* def: for the default roles */
    sim_scenario_defaults(&def, sim_builtin_models());
    for (int m = 0; sim_builtin_models()->models[m]; m++)
        for (int r = 0; r < SIM_N_ROLES; r++) {
            if (sim_model_has_role(sim_builtin_models()->models[m], r))
                continue;
            int a = 0;
            while (a < SIM_N_ACTORS && !sim_actor_has_role(&def, a, r))
                a++;
            char text[512];
            snprintf(text, sizeof text,
                     "rounds = 2;\nactors = {\n  %s = {\n    %s = { model = "
                     "\"%s\"; };\n  };\n};\n",
                     sim_actor_name(a), sim_role_name(r),
                     sim_builtin_models()->models[m]->name);
            sim_err err = {0};
            assert_int_equal(sim_scenario_load_string(&sc, sim_builtin_models(),
                                                      text, "roles.cfg", NULL,
                                                      0, NULL, &err),
                             SIM_E_SCENARIO);
            if (!strstr(err.msg, "roles.cfg:4") ||
                !strstr(err.msg, sim_role_name(r)))
                fail_msg("unclear: %s", err.msg);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_model_in_every_role),
        cmocka_unit_test(test_role_a_model_cannot_take_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
