/* test_utility.c - the engine's utility gains: sim_utility_gain takes
 * shortcuts (cached instrument sums, a sum over the view features only
 * when two views share status and transit); each must give the double
 * that the plain formula gives: features of both views, their difference,
 * the weights' dot product with it. */
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>
#include "../sim/workspace_impl.h"

#define BASELINE "scenarios/baseline.cfg"

/* The plain formula of sim_utility_gain. */
static double plain_gain(const sim_workspace *ws, int a, const sim_view *v0,
                         const sim_view *v1)
{
    double f0[SIM_N_FEATURES], f1[SIM_N_FEATURES];
    sim_utility_features(ws, v0, f0);
    sim_utility_features(ws, v1, f1);
    for (int i = 0; i < SIM_N_FEATURES; i++)
        f1[i] -= f0[i];
    return sim_utility_dot(ws->w[a], f1);
}

static bool same_double(double x, double y)
{
    uint64_t a, b;
    memcpy(&a, &x, sizeof a);
    memcpy(&b, &y, sizeof b);
    return a == b || (isnan(x) && isnan(y));
}

/* A small deterministic generator (xorshift) for the test's cases. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A weight or tension: often 0 or -0, sometimes large, infinite or NaN. */
static double pick(uint64_t *s)
{
    static const double special[] = {0.0, -0.0, 1.0, -1.0, 1e308, -1e308,
                                     INFINITY, -INFINITY, NAN, 0.1, -2.5};
    uint64_t r = next(s);
    if (r % 3 == 0)
        return special[(r >> 8) % (sizeof special / sizeof special[0])];
    return ((double)(r >> 11) / 9007199254740992.0 - 0.5) * 4.0;
}

/* Border and transit changes (same status; the transit one differs in
 * Klaipeda) under random weights, tensions and borders, and a lifted
 * status: the gain is bit for bit the plain formula's. The weight flag
 * w_finite is set as sim_calendar_step sets it. */
static void test_gain_is_plain_formula(void **state)
{
    (void)state;
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), BASELINE, NULL, 0, NULL,
                          &err))
        fail_msg("%s", err.msg);
    sim_workspace *ws;
    assert_int_equal(sim_workspace_alloc(&sc, &ws, &err), 0);
    sim_workspace_reset(ws);
    uint64_t s = 88172645463325252u;
    sim_status_kind lifted[SIM_MAX_INSTRUMENTS];
    int shortcuts = 0;
    for (int trial = 0; trial < 20000; trial++) {
        int a = (int)(next(&s) % SIM_N_ACTORS);
        bool finite = true;
        for (int i = 0; i < SIM_N_FEATURES; i++) {
            ws->w[a][i] = next(&s) % 2 ? pick(&s) : 0.0;
            finite = finite && isfinite(ws->w[a][i]);
        }
        ws->w_finite[a] = finite;
        ws->tension = pick(&s);
        ws->pl_open = next(&s) % 2;
        ws->lt_open = next(&s) % 2;
        ws->klaipeda_open = next(&s) % 2;
        for (int i = 0; i < sc.n_instruments; i++)
            ws->status[i] = next(&s) % 4 ? SIM_STATUS_ACTIVE
                                         : SIM_STATUS_LIFTED;
        sim_view now = sim_utility_view(ws), alt = now;
        switch (next(&s) % 3) {
        case 0:
            alt.pl_open = !now.pl_open;
            break;
        case 1:
            alt.klaipeda_open = !now.klaipeda_open;
            break;
        default:
            memcpy(lifted, ws->status, sizeof lifted);
            lifted[next(&s) % (uint64_t)sc.n_instruments] = SIM_STATUS_LIFTED;
            alt.status = lifted;
        }
        shortcuts += alt.status == now.status &&
                     alt.klaipeda_open == now.klaipeda_open && finite;
        double fast = sim_utility_gain(ws, a, &now, &alt);
        double plain = plain_gain(ws, a, &now, &alt);
        if (!same_double(fast, plain))
            fail_msg("case %d: gain %.17g, the plain formula %.17g", trial,
                     fast, plain);
    }
    /* the shortcut was taken, and not only on the trivial cases */
    assert_true(shortcuts > 1000);
    sim_workspace_free(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gain_is_plain_formula),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
