/* test_horizon.c - no end-of-world effect (issue 13): actors value a
 * permanent change over their planning horizon, not over the rounds left,
 * so a run's first rounds do not depend on how long it runs; a discount of
 * 1 needs a finite planning horizon. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs `sanctionsim run FILE -n REPS --seed SEED --trace SETS` into
 * TMP/NAME and returns its rounds.csv (malloc'ed). */
static char *rounds_csv(const char *file, int reps, const char *name,
                        const char *sets)
{
    const char *tmp = sim_test_tmpdir(name);
    char cmd[4096], path[1200], *out = NULL;
    snprintf(cmd, sizeof cmd,
             "%s run %s -n %d --seed 21 --trace --quiet --threads 2 %s "
             "-o %s/out",
             sim_test_bin(), file, reps, sets, tmp);
    int status = sim_test_run(cmd, &out);
    if (status != 0)
        fail_msg("exit %d: %s\n%s", status, cmd, out ? out : "");
    free(out);
    snprintf(path, sizeof path, "%s/out/rounds.csv", tmp);
    char *text = sim_test_slurp(path, NULL);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

/* The lines of csv (header kept) whose second field, the round, is at
 * most last; *longer counts the lines dropped. Malloc'ed. */
static char *rows_up_to(const char *csv, int last, long *longer)
{
    char *out = malloc(strlen(csv) + 1);
    assert_non_null(out);
    size_t n = 0;
    *longer = 0;
    bool header = true;
    for (const char *p = csv; *p;) {
        const char *end = strchr(p, '\n');
        end = end ? end + 1 : p + strlen(p);
        const char *comma = memchr(p, ',', (size_t)(end - p));
        bool keep = header || (comma && atoi(comma + 1) <= last);
        if (keep) {
            memcpy(out + n, p, (size_t)(end - p));
            n += (size_t)(end - p);
        } else {
            ++*longer;
        }
        header = false;
        p = end;
    }
    out[n] = '\0';
    return out;
}

/* Runs file with rounds = short_ and rounds = 2 short_ (and sets) and
 * compares the short run's rounds.csv with the long run's rows of rounds
 * 1..short_, byte for byte. Returns true if they are identical. */
static bool same_first_rounds(const char *file, int reps, int short_,
                              const char *sets)
{
    char a[512], b[512];
    snprintf(a, sizeof a, "--set rounds=%d %s", short_, sets);
    snprintf(b, sizeof b, "--set rounds=%d %s", 2 * short_, sets);
    char *s = rounds_csv(file, reps, "horizon_short", a);
    char *l = rounds_csv(file, reps, "horizon_long", b);
    long dropped;
    char *cut = rows_up_to(l, short_, &dropped);
    /* the long run did play past the short one's end */
    assert_true(dropped > 0);
    bool same = strcmp(s, cut) == 0;
    free(s);
    free(l);
    free(cut);
    return same;
}

/* The property: the baseline, seed 21, 200 replications, rounds
 * 36 and 72 give the same rows for rounds 1-36. */
static void test_baseline_36_72(void **state)
{
    (void)state;
    assert_true(same_first_rounds("scenarios/baseline.cfg", 200, 36, ""));
}

/* The same with a finite planning horizon, and with discount 1 and
 * one, on the golden scenario (renewal, vetoes, elections, exercises). */
static void test_golden_scenario_12_24(void **state)
{
    (void)state;
    assert_true(same_first_rounds("tests/golden/small.cfg", 40, 12, ""));
    assert_true(same_first_rounds("tests/golden/small.cfg", 40, 12,
                                  "--set planning_horizon=18"));
    assert_true(same_first_rounds("tests/golden/small.cfg", 40, 12,
                                  "--set planning_horizon=18 "
                                  "--set actors.minsk.discount=1 "
                                  "--set actors.washington.discount=1"));
}

/* The comparison sees a change of valuation: two planning horizons give
 * different rows (so equal rows above are not an accident of a scenario
 * whose decisions ignore the annuity). */
static void test_horizon_matters(void **state)
{
    (void)state;
    char *a = rounds_csv("scenarios/baseline.cfg", 50, "horizon_a",
                         "--set planning_horizon=6");
    char *b = rounds_csv("scenarios/baseline.cfg", 50, "horizon_b",
                         "--set planning_horizon=120");
    assert_true(strcmp(a, b) != 0);
    free(a);
    free(b);
}

/* Discount 1 over an infinite future diverges: refused at load, exit 2,
 * naming the key; with a planning horizon it runs. */
static void test_discount_one_needs_horizon(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("horizon_refused");
    char cmd[2048], *out = NULL;
    snprintf(cmd, sizeof cmd,
             "%s check scenarios/baseline.cfg --set actors.minsk.discount=1",
             sim_test_bin());
    int status = sim_test_run(cmd, &out);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "actors.minsk.discount"));
    assert_non_null(strstr(out, "planning_horizon"));
    free(out);
    /* a file: the message names it and the line of the discount */
    char cfg[1200];
    snprintf(cfg, sizeof cfg, "%s/one.cfg", tmp);
    assert_int_equal(sim_test_write(cfg, "rounds = 3;\n"
                                         "actors = {\n"
                                         "  eu = { discount = 1.0; };\n"
                                         "};\n"),
                     0);
    snprintf(cmd, sizeof cmd, "%s check %s", sim_test_bin(), cfg);
    status = sim_test_run(cmd, &out);
    assert_int_equal(status, 2);
    char where[1300];
    snprintf(where, sizeof where, "%s:3: actors.eu.discount", cfg);
    if (!strstr(out, where))
        fail_msg("no '%s' in: %s", where, out);
    free(out);
    snprintf(cmd, sizeof cmd,
             "%s check %s --set planning_horizon=24 > /dev/null",
             sim_test_bin(), cfg);
    assert_int_equal(sim_test_run(cmd, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline_36_72),
        cmocka_unit_test(test_golden_scenario_12_24),
        cmocka_unit_test(test_horizon_matters),
        cmocka_unit_test(test_discount_one_needs_horizon),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
