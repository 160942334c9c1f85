/* test_nfg_exact.c - equilibria of games whose payoffs span many orders of
 * magnitude (issue 12, item 5): no false equilibrium is reported, pure
 * profiles are decided exactly, mixed ones hold against each player's own
 * payoff scale, in both the exact (GMP) and the floating-point search.
 *
 * Expected values are derived here by hand from the indifference
 * conditions (stated at each test), not taken from the code under test. */
#include "testutil.h"

#include <sanctionsim/nfg.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXEQ 64

static sim_nfg game;
static sim_mixed eqs[MAXEQ];

static int group_setup(void **state)
{
    (void)state;
    sim_error_quiet_gsl();
    return 0;
}

static void read_str_ok(const char *text, sim_nfg *g)
{
    sim_err err = {0};
    if (sim_nfg_read_string(text, "test", g, &err) != 0)
        fail_msg("%s", err.msg);
}

/* Largest |payoff| of player i. */
static double own_scale(const sim_nfg *g, int i)
{
    double s = 0.0;
    for (size_t k = 0; k < g->nprofiles; k++)
        s = fmax(s, fabs(g->payoff[k * (size_t)g->nplayers + (size_t)i]));
    return s;
}

/* 1 if eq puts probability 1 on one strategy of each player, the profile
 * index in *idx. */
static int pure_profile(const sim_nfg *g, const sim_mixed *e, size_t *idx)
{
    int prof[2];
    for (int i = 0; i < 2; i++) {
        int hits = 0;
        for (int j = 0; j < g->nstrat[i]; j++)
            if (e->prob[i][j] > 0.0) {
                hits++;
                prof[i] = j;
            }
        if (hits != 1)
            return 0;
    }
    *idx = sim_nfg_index(g, prof);
    return 1;
}

/* Every reported equilibrium is one: a pure-support one is among the pure
 * equilibria (decided exactly), a mixed one has each player's regret at
 * most rel times that player's own payoff scale. */
static void assert_all_equilibria(const sim_nfg *g, const sim_mixed *e,
                                  size_t n, double rel)
{
    size_t pure[256], npure = 0;
    sim_err err = {0};
    assert_int_equal(sim_nfg_pure_equilibria(g, pure, 256, &npure, &err), 0);
    for (size_t k = 0; k < n; k++) {
        size_t idx;
        if (pure_profile(g, &e[k], &idx)) {
            int found = 0;
            for (size_t p = 0; p < npure; p++)
                found |= pure[p] == idx;
            if (!found)
                fail_msg("equilibrium %zu is the pure profile %zu, which "
                         "is not a Nash equilibrium",
                         k + 1, idx);
        }
        for (int i = 0; i < 2; i++) {
            double r = sim_nfg_regret(g, &e[k], i);
            if (!(r <= rel * own_scale(g, i)))
                fail_msg("equilibrium %zu: player %d's regret %g exceeds "
                         "%g x its payoff scale %g",
                         k + 1, i, r, rel, own_scale(g, i));
        }
    }
}

/* The issue's example: Row's payoffs A = [1e10 1e-3; 0 1], Column's
 * B = [0 1; 1e10 1e-3] (rows R1 R2, columns C1 C2). No pure equilibrium
 * (each best response cycles); the one equilibrium is mixed. Column
 * indifferent: 1e10 x2 = x1 + a x2 (a = 1e-3), so x2 = 1 / (1e10 + 1 - a);
 * Row indifferent: 1e10 y1 + a y2 = y2, so y1 = (1 - a) / (1e10 + 1 - a).
 * The floating-point search listed two false pure profiles and missed it. */
static void test_issue_example_one_mixed_equilibrium(void **state)
{
    (void)state;
    read_str_ok("NFG 1 R \"big\" { \"R\" \"C\" } { 2 2 }\n"
                "1e10 0 0 1e10 1e-3 1 1 1e-3\n",
                &game);
    size_t count = 99, npure = 99;
    sim_nfg_support_info info = {0};
    sim_err err = {0};
    assert_int_equal(sim_nfg_pure_equilibria(&game, NULL, 0, &npure, &err),
                     0);
    assert_int_equal(npure, 0);
    assert_int_equal(
        sim_nfg_mixed_equilibria(&game, eqs, MAXEQ, &count, &info, &err), 0);
    assert_true(info.exact);
    assert_int_equal(info.rejected, 0);
    assert_int_equal(count, 1);
    const double a = 1e-3, d = 1e10 + 1 - a;
    assert_close(eqs[0].prob[0][1], 1 / d, 1e-12 / d);
    assert_close(eqs[0].prob[0][0], 1 - 1 / d, 1e-15);
    assert_close(eqs[0].prob[1][0], (1 - a) / d, 1e-12 / d);
    assert_close(eqs[0].prob[1][1], 1 - (1 - a) / d, 1e-15);
    assert_all_equilibria(&game, eqs, count, 1e-15);
    sim_nfg_free(&game);
}

/* The same game padded to 8 x 7 (m + n = 15: the floating-point search)
 * with strictly dominated strategies (payoff -1 against every profile,
 * below 0, 1e-3 and 1e10 alike): the equilibria are those of the 2 x 2
 * game. Whatever the search finds, no false equilibrium is reported, and
 * what it cannot confirm is counted. */
static void test_padded_example_float_search_reports_no_false(void **state)
{
    (void)state;
    memset(&game, 0, sizeof game);
    game.nplayers = 2;
    game.nstrat[0] = 8;
    game.nstrat[1] = 7;
    assert_int_equal(sim_nfg_alloc(&game, NULL), 0);
    const double A[2][2] = {{1e10, 1e-3}, {0, 1}};
    const double B[2][2] = {{0, 1}, {1e10, 1e-3}};
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 7; j++) {
            int prof[2] = {i, j};
            size_t k = sim_nfg_index(&game, prof);
            game.payoff[2 * k] = i < 2 ? (j < 2 ? A[i][j] : 0.5) : -1.0;
            game.payoff[2 * k + 1] = j < 2 ? (i < 2 ? B[i][j] : 0.5) : -1.0;
        }
    size_t count = 99;
    sim_nfg_support_info info = {0};
    sim_err err = {0};
    assert_int_equal(
        sim_nfg_mixed_equilibria(&game, eqs, MAXEQ, &count, &info, &err), 0);
    assert_false(info.exact);
    assert_true(count <= 1);
    assert_all_equilibria(&game, eqs, count, 1e-15);
    if (count == 1)
        assert_close(eqs[0].prob[0][1], 1 / (1e10 + 1 - 1e-3), 1e-20);
    sim_nfg_free(&game);
}

/* Random 3 x 3 and 4 x 4 games with payoffs +-10^u, u uniform on [-6, 6]
 * (a fixed LCG seed): nondegenerate with probability 1, so each has an odd
 * number of equilibria (Lemke and Howson 1964), and every one reported
 * holds against each player's own payoffs. Against Gambit's enummixed, 3
 * of 20 such games got extra profiles with regrets up to 4e-4. */
static void test_wide_range_random_games(void **state)
{
    (void)state;
    unsigned long long s = 1234567ULL;
    for (int rep = 0; rep < 20; rep++) {
        memset(&game, 0, sizeof game);
        game.nplayers = 2;
        game.nstrat[0] = game.nstrat[1] = rep % 2 ? 4 : 3;
        assert_int_equal(sim_nfg_alloc(&game, NULL), 0);
        for (size_t k = 0; k < game.nprofiles * 2; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(s >> 11) / 9007199254740992.0; /* [0, 1) */
            double sign = (s >> 10 & 1u) ? -1.0 : 1.0;
            game.payoff[k] = sign * pow(10.0, 12.0 * u - 6.0);
        }
        size_t count = 0;
        sim_err err = {0};
        assert_int_equal(
            sim_nfg_support_enumeration(&game, eqs, MAXEQ, &count, &err), 0);
        if (count % 2 != 1)
            fail_msg("game %d: %zu equilibria, expected an odd number", rep,
                     count);
        assert_all_equilibria(&game, eqs, count, 1e-13);
        sim_nfg_free(&game);
    }
}

/* Scaling one player's payoffs by a power of two (exact in doubles)
 * changes no equilibrium, bit for bit: the search has no tolerance that
 * the scale could cross. Row's payoffs times 2^-40, Column's times 2^40. */
static void test_scaling_by_powers_of_two_changes_nothing(void **state)
{
    (void)state;
    static sim_mixed scaled[MAXEQ];
    unsigned long long s = 99ULL;
    for (int rep = 0; rep < 10; rep++) {
        memset(&game, 0, sizeof game);
        game.nplayers = 2;
        game.nstrat[0] = 4;
        game.nstrat[1] = 3;
        assert_int_equal(sim_nfg_alloc(&game, NULL), 0);
        for (size_t k = 0; k < game.nprofiles * 2; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            game.payoff[k] = (double)(s >> 60); /* 0..15: degenerate too */
        }
        size_t n1 = 0, n2 = 0;
        sim_err err = {0};
        assert_int_equal(
            sim_nfg_support_enumeration(&game, eqs, MAXEQ, &n1, &err), 0);
        for (size_t k = 0; k < game.nprofiles; k++) {
            game.payoff[2 * k] = ldexp(game.payoff[2 * k], -40);
            game.payoff[2 * k + 1] = ldexp(game.payoff[2 * k + 1], 40);
        }
        assert_int_equal(
            sim_nfg_support_enumeration(&game, scaled, MAXEQ, &n2, &err), 0);
        assert_int_equal(n1, n2);
        assert_memory_equal(eqs, scaled, n1 * sizeof eqs[0]);
        assert_all_equilibria(&game, scaled, n2, 1e-15);
        sim_nfg_free(&game);
    }
}

/* sim_nfg_regret: matching pennies at the uniform profile has no regret;
 * at (Heads, Heads) the matcher has none, the mismatcher gains 2. */
static void test_regret(void **state)
{
    (void)state;
    read_str_ok("NFG 1 R \"mp\" { \"1\" \"2\" } { 2 2 }\n"
                "1 -1 -1 1 -1 1 1 -1\n",
                &game);
    sim_mixed p;
    memset(&p, 0, sizeof p);
    p.prob[0][0] = p.prob[0][1] = p.prob[1][0] = p.prob[1][1] = 0.5;
    assert_close(sim_nfg_regret(&game, &p, 0), 0.0, 0.0);
    assert_close(sim_nfg_regret(&game, &p, 1), 0.0, 0.0);
    p.prob[0][1] = p.prob[1][1] = 0.0;
    p.prob[0][0] = p.prob[1][0] = 1.0;
    assert_close(sim_nfg_regret(&game, &p, 0), 0.0, 0.0);
    assert_close(sim_nfg_regret(&game, &p, 1), 2.0, 0.0);
    sim_nfg_free(&game);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issue_example_one_mixed_equilibrium),
        cmocka_unit_test(test_padded_example_float_search_reports_no_false),
        cmocka_unit_test(test_wide_range_random_games),
        cmocka_unit_test(test_scaling_by_powers_of_two_changes_nothing),
        cmocka_unit_test(test_regret),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
