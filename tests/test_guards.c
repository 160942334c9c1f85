/* test_guards.c - numerical guards: parameters that make a model
 * degenerate (discount 1, zero surplus, lambda 0 and huge, probabilities at
 * 0 and 1, breakdown certain) give defined results, never NaN or infinity
 * in a result file or in solve's output. */
#include "testutil.h"

#include <ctype.h>
#include <stdbool.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True if text holds "nan" or "inf" as a token (any case). */
static bool has_nonfinite(const char *text)
{
    for (const char *p = text; *p; p++) {
        if (p != text && isalpha((unsigned char)p[-1]))
            continue;
        if (!strncasecmp(p, "nan", 3) || !strncasecmp(p, "inf", 3))
            return true;
    }
    return false;
}

static void run_ok(const char *name, const char *sets)
{
    const char *tmp = sim_test_tmpdir(name);
    char cmd[4096], *out = NULL;
    snprintf(cmd, sizeof cmd,
             "%s run scenarios/baseline.cfg -n 30 --trace -q -o %s/out %s",
             sim_test_bin(), tmp, sets);
    int status = sim_test_run(cmd, &out);
    if (status != 0)
        fail_msg("%s: exit %d: %s", name, status, out ? out : "");
    free(out);
    static const char *const files[] = {"runs.csv", "rounds.csv",
                                        "summary.csv"};
    for (int i = 0; i < 3; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/out/%s", tmp, files[i]);
        char *text = sim_test_slurp(path, NULL);
        assert_non_null(text);
        if (has_nonfinite(text))
            fail_msg("%s: %s holds NaN or infinity", name, files[i]);
        free(text);
    }
}

static void test_discount_one(void **state)
{
    (void)state;
    run_ok("discount1",
           "--set actors.minsk.discount=1 --set actors.washington.discount=1 "
           "--set actors.eu.discount=1 --set actors.poland.discount=1 "
           "--set actors.lithuania.discount=1 "
           "--set actors.minsk.stage_discount=1 "
           "--set actors.washington.stage_discount=1");
}

static void test_zero_surplus(void **state)
{
    (void)state;
    char sets[2048] = "";
    for (int i = 0; i < 10; i++) {
        char one[160];
        snprintf(one, sizeof one,
                 "--set instruments.[%d].value=0 --set instruments.[%d].cost=0 ",
                 i, i);
        strcat(sets, one);
    }
    strcat(sets, "--set actors.minsk.weights.us_deal=0 "
                 "--set actors.washington.weights.released_ordinary=0 "
                 "--set actors.washington.weights.released_foreign=0 "
                 "--set actors.washington.weights.released_high_profile=0");
    run_ok("zero_surplus", sets);
}

static void test_lambda_zero_and_huge(void **state)
{
    (void)state;
    run_ok("lambda0", "--set actors.minsk.offer.model=qre "
                      "--set actors.minsk.offer.lambda=0 "
                      "--set actors.poland.border.model=qre "
                      "--set actors.poland.border.lambda=0");
    run_ok("lambda_huge", "--set actors.minsk.offer.model=qre "
                          "--set actors.minsk.offer.lambda=1e6 "
                          "--set actors.washington.respond.model=qre "
                          "--set actors.washington.respond.lambda=1e6");
}

static void test_probabilities_at_0_and_1(void **state)
{
    (void)state;
    run_ok("p1", "--set shocks.spy_scandals.p=1 --set shocks.distraction.p=1 "
                 "--set shocks.reengagement.p=1 --set shocks.moscow.p=1 "
                 "--set shocks.completions.p=1 --set bargaining.breakdown=1");
    run_ok("p0", "--set shocks.spy_scandals.p=0 --set shocks.distraction.p=0 "
                 "--set shocks.reengagement.p=0 --set shocks.moscow.p=0 "
                 "--set shocks.completions.p=0 --set shocks.deaths.p=0 "
                 "--set bargaining.breakdown=0");
    /* everyone dies in custody in round 1: the run stops, all released
     * counts are 0 and the price is undefined (an empty field) */
    run_ok("deaths1", "--set shocks.deaths.p=1");
}

static void solve_ok(const char *file, const char *args)
{
    char cmd[2048], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s solve %s --csv %s", sim_test_bin(), file,
             args);
    int status = sim_test_run(cmd, &out);
    if (status != 0)
        fail_msg("solve %s %s: exit %d: %s", file, args, status,
                 out ? out : "");
    if (has_nonfinite(out))
        fail_msg("solve %s %s printed NaN or infinity:\n%s", file, args,
                 out);
    free(out);
}

static void test_solve_degenerate(void **state)
{
    (void)state;
    /* d1 = d2 = 1: Rubinstein's formula is 0/0, the finite game is not */
    solve_ok("scenarios/textbook/rubinstein.cfg",
             "--set actors.minsk.stage_discount=1 "
             "--set actors.washington.stage_discount=1");
    solve_ok("scenarios/textbook/stahl.cfg", "--set bargaining.breakdown=1");
    solve_ok("scenarios/textbook/stahl.cfg",
             "--set actors.minsk.stage_discount=0 "
             "--set actors.washington.stage_discount=0");
    solve_ok("scenarios/textbook/pennies_qre.cfg",
             "--lambda 0 --lambda 1e6");
    solve_ok("scenarios/textbook/nash.cfg", "--set nash.power=0");
    solve_ok("scenarios/textbook/nash.cfg", "--set nash.power=1");
    /* zero surplus: no deal, shares left empty */
    solve_ok("scenarios/textbook/stahl.cfg", "--set instruments.[0].value=0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discount_one),
        cmocka_unit_test(test_zero_surplus),
        cmocka_unit_test(test_lambda_zero_and_huge),
        cmocka_unit_test(test_probabilities_at_0_and_1),
        cmocka_unit_test(test_solve_degenerate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
