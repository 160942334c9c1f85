/* test_registry.c - the model registry as a whole: every model in
 * the built-in registry (sim_builtin_models()) is well formed (a unique name, a
 * decide function, roles within the role list, at most SIM_MODEL_MAX_PARAMS
 * parameters with distinct names, offsets inside the parameter array and
 * defaults within their ranges, accepted by the model's own init), is found by
 * name, and can take every role it declares: the baseline scenario with that
 * model in that role, set with --set, loads and runs a replication. A new model
 * joins these checks by being registered. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/model.h>
#include <sanctionsim/model_instance.h>
#include <sanctionsim/models.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

static int n_models(void)
{
    int n = 0;
    while (sim_builtin_models()->models[n])
        n++;
    return n;
}

static void test_names_unique_and_found(void **state)
{
    (void)state;
    int n = n_models();
    assert_true(n >= 1);
    for (int i = 0; i < n; i++) {
        const sim_model_type *m = sim_builtin_models()->models[i];
        assert_non_null(m->name);
        assert_true(m->name[0] != '\0');
        assert_non_null(m->doc);
        assert_true(m->doc[0] != '\0');
        for (int j = 0; j < i; j++)
            if (strcmp(sim_builtin_models()->models[j]->name, m->name) == 0)
                fail_msg("two models are named \"%s\"", m->name);
        assert_ptr_equal(sim_registry_find(sim_builtin_models(), m->name), m);
    }
    assert_null(sim_registry_find(sim_builtin_models(), "no-such-model"));
}

static void test_shape(void **state)
{
    (void)state;
    for (int i = 0; sim_builtin_models()->models[i]; i++) {
        const sim_model_type *m = sim_builtin_models()->models[i];
        if (!m->decide)
            fail_msg("%s: no decide function", m->name);
        if (m->roles == 0 || (m->roles >> SIM_N_ROLES) != 0)
            fail_msg("%s: roles 0x%x are none or beyond the %d roles", m->name,
                     m->roles, SIM_N_ROLES);
        if (m->nparams < 0 || m->nparams > SIM_MODEL_MAX_PARAMS)
            fail_msg("%s: %d parameters, at most %d", m->name, m->nparams,
                     SIM_MODEL_MAX_PARAMS);
        if (m->nparams > 0)
            assert_non_null(m->params);
    }
}

static void test_parameters(void **state)
{
    (void)state;
    for (int i = 0; sim_builtin_models()->models[i]; i++) {
        const sim_model_type *m = sim_builtin_models()->models[i];
        for (int k = 0; k < m->nparams; k++) {
            const sim_key *p = &m->params[k];
            assert_non_null(p->name);
            for (int j = 0; j < k; j++)
                if (strcmp(m->params[j].name, p->name) == 0)
                    fail_msg("%s: two parameters are named %s", m->name,
                             p->name);
            if (strcmp(p->name, "model") == 0)
                fail_msg("%s: a parameter may not be named model", m->name);
            /* parameters are doubles in sim_model_spec.param */
            if (p->offset % sizeof(double) != 0 ||
                p->offset / sizeof(double) >= SIM_MODEL_MAX_PARAMS)
                fail_msg("%s.%s: offset %zu is not a slot of param[]", m->name,
                         p->name, p->offset);
            if (p->type != SIM_KEY_FLOAT && p->type != SIM_KEY_INT)
                fail_msg("%s.%s: a model parameter is a number", m->name,
                         p->name);
            if (!(p->min <= p->def && p->def <= p->max) || !isfinite(p->def))
                fail_msg("%s.%s: default %g outside [%g, %g]", m->name, p->name,
                         p->def, p->min, p->max);
        }
        /* the defaults land where the keys say, and the model's own
         * checks accept them */
        double param[SIM_MODEL_MAX_PARAMS];
        for (int k = 0; k < SIM_MODEL_MAX_PARAMS; k++)
            param[k] = NAN;
        sim_model_defaults(m, param);
        for (int k = 0; k < m->nparams; k++)
            assert_true(param[m->params[k].offset / sizeof(double)] ==
                        m->params[k].def);
        /* as the loader checks them: on a scratch instance */
        sim_model_instance mi;
        sim_err err = {0};
        if (sim_model_instance_init_type(&mi, m, param, &err))
            fail_msg("%s: no instance: %s", m->name, err.msg);
        if (sim_model_instance_reset(&mi, &err))
            fail_msg("%s: init refuses the defaults: %s", m->name, err.msg);
        sim_model_instance_free(&mi);
    }
}

/* The baseline scenario's text, read once. */
static char *baseline;

/* Loads the baseline with model m in role r of actor a and runs one
 * replication. */
static void run_in_role(const sim_model_type *m, int r, int a)
{
    char set[256];
    snprintf(set, sizeof set, "actors.%s.%s.model=%s", sim_actor_name(a),
             sim_role_name(r), m->name);
    const char *sets[] = {set};
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load_string(&sc, sim_builtin_models(), baseline,
                                 "scenarios/baseline.cfg", sets, 1, NULL, &err))
        fail_msg("--set %s: %s", set, err.msg);
    assert_ptr_equal(sc.actor[a].model[r].type, m);
    sim_workspace *ws;
    if (sim_workspace_alloc(&sc, &ws, &err))
        fail_msg("--set %s: %s", set, err.msg);
    sim_rep_result res;
    if (sim_replicate(ws, 11, 0, NULL, NULL, &res, &err))
        fail_msg("--set %s: %s", set, err.msg);
    assert_true(res.rounds >= 1 && res.rounds <= sc.rounds);
    sim_workspace_free(ws);
}

static void test_every_declared_role_runs(void **state)
{
    (void)state;
    baseline = sim_test_slurp("scenarios/baseline.cfg", NULL);
    assert_non_null(baseline);
    static sim_scenario def; /* for the default roles */
    sim_scenario_defaults(&def, sim_builtin_models());
    int cases = 0;
    for (int i = 0; sim_builtin_models()->models[i]; i++)
        for (int r = 0; r < SIM_N_ROLES; r++) {
            if (!sim_model_has_role(sim_builtin_models()->models[i], r))
                continue;
            int a = 0;
            while (a < SIM_N_ACTORS && !sim_actor_has_role(&def, a, r))
                a++;
            if (a == SIM_N_ACTORS)
                fail_msg("%s declares role %s, which no actor takes",
                         sim_builtin_models()->models[i]->name,
                         sim_role_name(r));
            run_in_role(sim_builtin_models()->models[i], r, a);
            cases++;
        }
    /* every model declares at least one role */
    assert_true(cases >= n_models());
    free(baseline);
}

int main(void)
{
    sim_error_quiet_gsl();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_unique_and_found),
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_parameters),
        cmocka_unit_test(test_every_declared_role_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
