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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stahl_shares),
        cmocka_unit_test(test_rubinstein_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
