/* test_bargain.c - the alternating-offers solver against Stahl's
 * finite-horizon shares and Rubinstein's limit, on its own and through the
 * engine (a two-actor, unit-surplus, no-shock scenario). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <sanctionsim/bargain.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

/* Stahl (1972), written independently of the solver: the share of the
 * player who proposes at stage 1 of an S-stage game, players alternating,
 * d[p] the discount of player p, player 0 first. The proposer with k stages
 * left offers the responder j exactly what j would get proposing with k-1
 * stages left, discounted: x_k = 1 - d_j x_{k-1}, x_1 = 1. */
static double stahl_first_share(int S, const double d[2])
{
    /* Walk back from the last stage: x is the share of the proposer at the
     * stage being computed; the proposer at stage t (0-based) is t % 2. */
    double x = 1.0;
    for (int t = S - 2; t >= 0; t--) {
        int responder = (t + 1) % 2;
        x = 1.0 - d[responder] * x;
    }
    return x;
}

static double rubinstein_first_share(const double d[2])
{
    return (1.0 - d[1]) / (1.0 - d[0] * d[1]);
}

static const double pairs[][2] = {
    {0.9, 0.9}, {0.95, 0.8}, {0.5, 0.99}, {0.99, 0.6}, {0.7, 0.75}};
#define NPAIRS (sizeof pairs / sizeof pairs[0])

/* A unit pie split on a grid of N + 1 points: deal n gives side 0 the share
 * 1 - n/N and side 1 the share n/N. */
static void unit_pie(sim_bargain *b, int N, int S, int first, const double *d)
{
    assert_int_equal(sim_bargain_alloc(b, N + 1, S, NULL), 0);
    sim_bargain_reset(b, S, first, d[0], d[1]);
    for (int n = 0; n <= N; n++)
        assert_true(sim_bargain_add(b, 1u, n, 1.0 - (double)n / N,
                                    (double)n / N) >= 0);
}

static void test_stahl_reference_values(void **state)
{
    (void)state;
    const double d[2] = {0.9, 0.8};
    /* By hand: S=1: 1; S=2: 1 - 0.8 = 0.2; S=3: 1 - 0.8 (1 - 0.9) = 0.92. */
    assert_close(stahl_first_share(1, d), 1.0, 1e-15);
    assert_close(stahl_first_share(2, d), 0.2, 1e-15);
    assert_close(stahl_first_share(3, d), 0.92, 1e-15);
}

static void test_solver_matches_stahl_on_a_grid(void **state)
{
    (void)state;
    const int N = 20000;
    for (size_t p = 0; p < NPAIRS; p++)
        for (int S = 1; S <= 7; S++)
            for (int first = 0; first < 2; first++) {
                double d[2] = {pairs[p][0], pairs[p][1]};
                double dd[2] = {d[first], d[1 - first]};
                sim_bargain b;
                unit_pie(&b, N, S, first, d);
                sim_bargain_solve(&b);
                int deal = b.offer[0];
                assert_true(deal >= 0);
                double share = b.gain[first][deal];
                /* The grid rounds every threshold; each of the S stages can
                 * lose at most one grid step. */
                assert_close(share, stahl_first_share(S, dd),
                             (double)S / N + 1e-12);
                /* Agreement at once, as in the SPE. */
                assert_true(b.offer[0] >= 0);
                sim_bargain_free(&b);
            }
}

static void test_solver_converges_to_rubinstein(void **state)
{
    (void)state;
    const int N = 100000, S = 400;
    for (size_t p = 0; p < NPAIRS; p++) {
        double d[2] = {pairs[p][0], pairs[p][1]};
        sim_bargain b;
        unit_pie(&b, N, S, 0, d);
        sim_bargain_solve(&b);
        double share = b.gain[0][b.offer[0]];
        /* Finite-horizon error (d0 d1)^(S/2) is below 1e-9 for these pairs
         * at S = 400 except d = (0.5, 0.99); the grid adds S/N at most. */
        assert_close(share, rubinstein_first_share(d), (double)S / N + 1e-9);
        sim_bargain_free(&b);
    }
}

static void test_solver_exact_on_a_two_point_set(void **state)
{
    (void)state;
    /* Deals: none (0,0), A = (0.6, 0.4), B = (0.3, 0.7). Two stages, side 0
     * first, d = (0.9, 0.9). Stage 1: side 1 proposes B (0.7 >= 0 for side
     * 0? side 0 gets 0.3 >= 0, accepted): value (0.3, 0.7). Stage 0: side 0
     * must give side 1 at least 0.9 * 0.7 = 0.63: only B qualifies, so it
     * offers B even though it prefers A. */
    sim_bargain b;
    assert_int_equal(sim_bargain_alloc(&b, 3, 2, NULL), 0);
    sim_bargain_reset(&b, 2, 0, 0.9, 0.9);
    sim_bargain_add(&b, 0, 0, 0, 0);
    sim_bargain_add(&b, 1, 1, 0.6, 0.4);
    sim_bargain_add(&b, 1, 2, 0.3, 0.7);
    sim_bargain_solve(&b);
    assert_int_equal(b.offer[1], 2);
    assert_int_equal(b.offer[0], 2);
    assert_close(sim_bargain_continuation(&b, 0, 1), 0.63, 1e-15);
    assert_close(sim_bargain_continuation(&b, 1, 1), 0.0, 0.0);
    sim_bargain_free(&b);
}

static void test_solver_stalls_when_delay_pays(void **state)
{
    (void)state;
    /* Side 0 proposes first; the only deal gives side 0 nothing now but
     * side 1's offer next stage gives side 0 more than the proposer's own
     * best acceptable deal: side 0 makes no serious offer at stage 0. */
    sim_bargain b;
    assert_int_equal(sim_bargain_alloc(&b, 3, 2, NULL), 0);
    sim_bargain_reset(&b, 2, 0, 1.0, 1.0);
    sim_bargain_add(&b, 0, 0, 0, 0);
    sim_bargain_add(&b, 1, 1, -0.5, 1.0); /* bad for 0 */
    sim_bargain_add(&b, 1, 2, 0.5, 0.5);
    sim_bargain_solve(&b);
    /* Stage 1, side 1 proposes: maximize its gain with side 0 >= 0: deal 2
     * (0.5, 0.5) (deal 1 violates side 0's 0). Stage 0: side 0 must give
     * side 1 >= 0.5: deal 2 gives side 0 0.5 >= its continuation 0.5: it
     * offers deal 2 (ties favour agreement). */
    assert_int_equal(b.offer[0], 2);
    /* Now make waiting strictly better for side 0: discount side 1 only. */
    sim_bargain_reset(&b, 2, 0, 1.0, 1.0);
    sim_bargain_add(&b, 0, 0, 0, 0);
    sim_bargain_add(&b, 1, 1, 0.2, 0.8);
    sim_bargain_add(&b, 1, 2, 0.9, 0.1);
    /* Stage 1 (side 1 proposes): best for 1 with side 0 >= 0 is deal 1
     * (0.2, 0.8). Stage 0: side 0 needs side 1 >= 0.8: deal 1 only,
     * worth 0.2 >= 0.2: offered. */
    sim_bargain_solve(&b);
    assert_int_equal(b.offer[0], 1);
    sim_bargain_free(&b);
}

/* ---- through the engine ---- */

static const char *two_actor =
    "rounds = 1;\n"
    "planning_horizon = 1;\n"
    "prisoners = { ordinary = 10000; foreign = 0; high_profile = 0; };\n"
    "eu = { enabled = false; };\n"
    "bargaining = { max_release = 10000; max_instruments = 1; };\n"
    "shocks = {\n"
    "  drones = { dist = \"fixed\"; value = 0.0; };\n"
    "  spy_scandals = { dist = \"fixed\"; value = 0.0; };\n"
    "  foreign_arrests = { dist = \"fixed\"; value = 0.0; };\n"
    "  arrests = { dist = \"fixed\"; value = 0.0; };\n"
    "  deaths = { dist = \"fixed\"; value = 0.0; };\n"
    "  completions = { dist = \"fixed\"; value = 0.0; };\n"
    "  distraction = { dist = \"fixed\"; value = 0.0; };\n"
    "  moscow = { dist = \"fixed\"; value = 0.0; };\n"
    "};\n"
    "instruments = ( { name = \"relief\"; imposer = \"us\"; value = 1.0; } "
    ");\n"
    "actors = {\n"
    "  minsk = { weights = { relief = 1.0; released_ordinary = -0.0001; }; "
    "};\n"
    "  washington = { weights = { released_ordinary = 0.0001; }; };\n"
    "};\n";

/* Minsk's share of the unit surplus in the engine: 1 - n/N. */
static double engine_minsk_share(int S, double dm, double dw,
                                 const char *first)
{
    char s1[64], s2[64], s3[64], s4[64];
    snprintf(s1, sizeof s1, "bargaining.stages=%d", S);
    snprintf(s2, sizeof s2, "actors.minsk.stage_discount=%.17g", dm);
    snprintf(s3, sizeof s3, "actors.washington.stage_discount=%.17g", dw);
    snprintf(s4, sizeof s4, "bargaining.first_proposer=%s", first);
    const char *sets[] = {s1, s2, s3, s4};
    static sim_scenario sc;
    sim_err err = {0};
    int rc = sim_scenario_load_string(&sc, sim_builtin_models(), two_actor,
                                      "two_actor.cfg", sets, 4, NULL, &err);
    if (rc)
        fail_msg("%s", err.msg);
    sim_workspace *ws;
    assert_int_equal(sim_workspace_alloc(&sc, &ws, &err), 0);
    sim_rep_result res;
    assert_int_equal(sim_replicate(ws, 1, 0, NULL, NULL, &res, &err), 0);
    sim_workspace_free(ws);
    assert_int_equal(res.us_deals, 1);
    return 1.0 - (double)res.released[SIM_KIND_ORDINARY] / 10000.0;
}

static void test_engine_gives_stahl_shares(void **state)
{
    (void)state;
    for (size_t p = 0; p < NPAIRS; p++)
        for (int S = 1; S <= 6; S++) {
            double d[2] = {pairs[p][0], pairs[p][1]}; /* minsk, washington */
            double mf = engine_minsk_share(S, d[0], d[1], "minsk");
            assert_close(mf, stahl_first_share(S, d), S / 1e4 + 1e-12);
            double dw[2] = {d[1], d[0]}; /* washington first */
            double wf = engine_minsk_share(S, d[0], d[1], "west");
            assert_close(1.0 - wf, stahl_first_share(S, dw),
                         S / 1e4 + 1e-12);
        }
}

static void test_engine_converges_to_rubinstein(void **state)
{
    (void)state;
    for (size_t p = 0; p < NPAIRS; p++) {
        double d[2] = {pairs[p][0], pairs[p][1]};
        if (d[0] * d[1] > 0.9)
            continue; /* needs more stages than this test affords */
        double share = engine_minsk_share(200, d[0], d[1], "minsk");
        assert_close(share, rubinstein_first_share(d), 200 / 1e4 + 1e-9);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stahl_reference_values),
        cmocka_unit_test(test_solver_matches_stahl_on_a_grid),
        cmocka_unit_test(test_solver_converges_to_rubinstein),
        cmocka_unit_test(test_solver_exact_on_a_two_point_set),
        cmocka_unit_test(test_solver_stalls_when_delay_pays),
        cmocka_unit_test(test_engine_gives_stahl_shares),
        cmocka_unit_test(test_engine_converges_to_rubinstein),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
