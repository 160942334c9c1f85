/* test_solve.c - `sanctionsim solve` on the textbook bargaining scenarios:
 * the printed shares equal Stahl's and Rubinstein's formulas, computed here
 * independently, for several parameter sets given with --set. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Value of `key` in solve --csv output; fails the test if absent. */
static double csv_value(const char *out, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\n%s,", key);
    const char *at = strstr(out, pat);
    if (!at && strncmp(out, pat + 1, strlen(pat + 1)) == 0)
        at = out - 1;
    if (!at)
        fail_msg("no %s in:\n%s", key, out);
    return strtod(at + strlen(pat), NULL);
}

static char *solve(const char *file, const char *sets)
{
    char cmd[2048], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s solve %s --csv %s", sim_test_bin(), file,
             sets);
    int status = sim_test_run(cmd, &out);
    if (status != 0)
        fail_msg("exit %d: %s", status, out ? out : "");
    return out;
}

/* Stahl: proposer with k stages left gets x_k = 1 - d_R x_{k-1}, x_1 = 1;
 * d[0] Minsk's, d[1] Washington's; `first` 0 = Minsk. Returns Minsk's. */
static double stahl_minsk(int S, const double d[2], int first)
{
    double x = 1.0;
    int proposer = (first + S - 1) % 2; /* at the last stage */
    for (int k = 2; k <= S; k++) {
        int responder = proposer;
        proposer = 1 - proposer;
        x = 1.0 - d[responder] * x;
    }
    return proposer == 0 ? x : 1.0 - x;
}

static void test_stahl_shares(void **state)
{
    (void)state;
    static const double d[][2] = {{0.9, 0.8}, {0.5, 0.6}, {0.99, 0.7},
                                  {0.3, 0.95}, {0.75, 0.75}};
    for (size_t p = 0; p < sizeof d / sizeof d[0]; p++)
        for (int S = 1; S <= 5; S++)
            for (int first = 0; first < 2; first++) {
                char sets[512];
                snprintf(sets, sizeof sets,
                         "--set actors.minsk.stage_discount=%.17g "
                         "--set actors.washington.stage_discount=%.17g "
                         "--set bargaining.stages=%d "
                         "--set bargaining.first_proposer=%s",
                         d[p][0], d[p][1], S, first ? "west" : "minsk");
                char *out = solve("scenarios/textbook/stahl.cfg", sets);
                assert_non_null(strstr(out, "method,closed_form"));
                double want = stahl_minsk(S, d[p], first);
                assert_close(csv_value(out, "share.minsk"), want, 1e-12);
                assert_close(csv_value(out, "share.washington"), 1 - want,
                             1e-12);
                /* the whole-prisoner deal is within the grid's reach */
                assert_close(csv_value(out, "discrete_share.minsk"), want,
                             (double)S / 1000 + 1e-12);
                free(out);
            }
}

static void test_rubinstein_limit(void **state)
{
    (void)state;
    static const double d[][2] = {{0.9, 0.95}, {0.5, 0.5}, {0.8, 0.6},
                                  {0.99, 0.9}, {0.6, 0.99}};
    for (size_t p = 0; p < sizeof d / sizeof d[0]; p++) {
        char sets[512];
        snprintf(sets, sizeof sets,
                 "--set actors.minsk.stage_discount=%.17g "
                 "--set actors.washington.stage_discount=%.17g",
                 d[p][0], d[p][1]);
        char *out = solve("scenarios/textbook/rubinstein.cfg", sets);
        double want = (1 - d[p][1]) / (1 - d[p][0] * d[p][1]);
        assert_close(csv_value(out, "share.minsk"), want, 1e-9);
        free(out);
    }
    /* the file's own values: 0.05 / 0.145 */
    char *out = solve("scenarios/textbook/rubinstein.cfg", "");
    assert_close(csv_value(out, "share.minsk"), 0.05 / 0.145, 1e-12);
    assert_close(csv_value(out, "deal.stage"), 1, 0);
    free(out);
}

/* The game with no last stage: Rubinstein's shares to the last bits
 * (where 2000 finite stages were 1.4e-5 off at 0.999/0.99), the same
 * whatever `stages` is, and a whole-prisoner deal that is the finite
 * games' limit; the finite game stays Stahl's. */
static void test_rubinstein_exact(void **state)
{
    (void)state;
    static const double d[][2] = {{0.999, 0.99}, {0.9, 0.95}, {0.5, 0.5},
                                  {0.99, 0.999}, {0.3, 0.8}};
    for (size_t p = 0; p < sizeof d / sizeof d[0]; p++) {
        char sets[512];
        /* in long double: 1 - d1 d2 cancels, and double would lose the
         * last digits the closed form keeps */
        long double d1 = d[p][0], d2 = d[p][1];
        double want = (double)((1.0L - d2) / (1.0L - d1 * d2));
        int deal = -1;
        for (int S = 1; S <= 2000; S += 1999) {
            snprintf(sets, sizeof sets,
                     "--set actors.minsk.stage_discount=%.17g "
                     "--set actors.washington.stage_discount=%.17g "
                     "--set bargaining.stages=%d",
                     d[p][0], d[p][1], S);
            char *out = solve("scenarios/textbook/rubinstein.cfg", sets);
            assert_close(csv_value(out, "share.minsk"), want, 2e-16 * want);
            assert_close(csv_value(out, "deal.stage"), 1, 0);
            int n = (int)csv_value(out, "deal.prisoners");
            if (deal >= 0)
                assert_int_equal(n, deal);
            deal = n;
            free(out);
        }
        /* the whole-prisoner deal: within the grid's reach of the split */
        assert_close(1.0 - deal / 1000.0, want,
                     1.0 / (1000 * (1 - d[p][0] * d[p][1])));
        /* the finite game: Stahl's share, 2000 stages */
        snprintf(sets, sizeof sets,
                 "--set actors.minsk.stage_discount=%.17g "
                 "--set actors.washington.stage_discount=%.17g "
                 "--set bargaining.infinite=false",
                 d[p][0], d[p][1]);
        char *out = solve("scenarios/textbook/rubinstein.cfg", sets);
        assert_close(csv_value(out, "share.minsk"),
                     stahl_minsk(2000, d[p], 0), 1e-12);
        free(out);
    }
}

/* Nash (1950), generalized (Roth 1979): x = b a1 / (b a1 + (1 - b) a2). */
static void test_nash_power_utilities(void **state)
{
    (void)state;
    static const double v[][3] = {{1, 0.5, 0.5}, {1, 1, 0.3}, {2, 0.5, 0.9},
                                  {0.3, 3, 0.5}, {1, 1, 0.01}};
    for (size_t p = 0; p < sizeof v / sizeof v[0]; p++) {
        char sets[256];
        snprintf(sets, sizeof sets,
                 "--set nash.a1=%.17g --set nash.a2=%.17g "
                 "--set nash.power=%.17g",
                 v[p][0], v[p][1], v[p][2]);
        char *out = solve("scenarios/textbook/nash.cfg", sets);
        double b = v[p][2];
        double want = b * v[p][0] / (b * v[p][0] + (1 - b) * v[p][1]);
        assert_close(csv_value(out, "share.player1"), want, 1e-9);
        free(out);
    }
}

/* The logit QRE of McKelvey and Palfrey's asymmetric matching pennies at
 * lambda = 2, from an independent computation: the column player's choice
 * is logistic in the row player's p, q(p) = 1 / (1 + exp(-2 (1 - 2p)))
 * (L pays 1 when the row player plays D: EU_L - EU_R = (1 - p) - p), and
 * p solves p = 1 / (1 + exp(-2 (9q - (1 - q)))) (EU_U - EU_D = 9q - (1-q));
 * bisection on f(p) = p - that. */
static void test_pennies_qre_cli(void **state)
{
    (void)state;
    double lo = 0, hi = 1;
    for (int it = 0; it < 200; it++) {
        double p = 0.5 * (lo + hi);
        double q = 1 / (1 + exp(-2 * (1 - 2 * p)));
        double f = p - 1 / (1 + exp(-2 * (9 * q - (1 - q))));
        if (f > 0)
            hi = p;
        else
            lo = p;
    }
    double p = 0.5 * (lo + hi), q = 1 / (1 + exp(-2 * (1 - 2 * p)));
    char *out = solve("scenarios/textbook/pennies_qre.cfg", "--lambda 2");
    assert_close(csv_value(out, "prob.row.up"), p, 1e-9);
    assert_close(csv_value(out, "prob.column.left"), q, 1e-9);
    /* and the mixed Nash equilibrium (1/2, 1/10) */
    assert_close(csv_value(out, "nash.1.prob.row.up"), 0.5, 1e-9);
    assert_close(csv_value(out, "nash.1.prob.column.left"), 0.1, 1e-9);
    free(out);
}

/* --export-nfg writes games that solve reads back. */
static void test_export_nfg_reads_back(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("export");
    char sets[1200];
    snprintf(sets, sizeof sets, "--export-nfg %s/stage.nfg", tmp);
    char *out = solve("scenarios/baseline.cfg", sets);
    free(out);
    char path[1200];
    snprintf(path, sizeof path, "%s/stage.border.nfg", tmp);
    out = solve(path, "");
    /* every finite game has an equilibrium (Nash 1951) */
    assert_true(csv_value(out, "nash.count") >= 1);
    free(out);
    snprintf(path, sizeof path, "%s/stage.respond.nfg", tmp);
    out = solve(path, "");
    assert_true(csv_value(out, "nash.count") >= 1);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stahl_shares),
        cmocka_unit_test(test_rubinstein_limit),
        cmocka_unit_test(test_rubinstein_exact),
        cmocka_unit_test(test_nash_power_utilities),
        cmocka_unit_test(test_pennies_qre_cli),
        cmocka_unit_test(test_export_nfg_reads_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
