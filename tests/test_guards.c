/* test_guards.c - numerical guards: parameters that make a model
 * degenerate (discount 1, zero surplus, lambda 0 and huge, probabilities at
 * 0 and 1, breakdown certain) give defined results, never NaN or infinity
 * in a result file or in solve's output; the result files are complete (a
 * row per replication), and where a degenerate case has a known answer
 * (who gets the surplus, uniform play, the run that stops) the output is
 * checked against it. */
#include "testutil.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* The check itself finds what it looks for, and only that: a guard built
 * on it could not fail otherwise. */
static void test_nonfinite_check(void **state)
{
    (void)state;
    assert_true(has_nonfinite("1,nan,2"));
    assert_true(has_nonfinite("NaN"));
    assert_true(has_nonfinite("x,-inf\n"));
    assert_true(has_nonfinite("share,Infinity"));
    assert_false(has_nonfinite("finance,banana,0.5,-1e+300\n"));
    assert_false(has_nonfinite(""));
}

/* ---- CSV files ---- */

#define RUNS 30

/* A CSV file split into cells (no quoting: the result files need none). */
typedef struct csv {
    char *text;
    char **cell; /* row-major, row 0 the header */
    int ncols, nrows;
} csv;

static void csv_load(csv *t, const char *path)
{
    t->text = sim_test_slurp(path, NULL);
    if (!t->text)
        fail_msg("cannot read %s", path);
    int lines = 0, fields = 0;
    for (const char *c = t->text; *c; c++) {
        lines += *c == '\n';
        fields += *c == ',' || *c == '\n';
    }
    t->cell = malloc(sizeof *t->cell * (size_t)(fields + 1));
    assert_non_null(t->cell);
    int n = 0, cols = 0;
    t->ncols = 0;
    t->nrows = 0;
    char *p = t->text;
    while (*p) {
        t->cell[n++] = p;
        cols++;
        p += strcspn(p, ",\n");
        char end = *p;
        if (end)
            *p++ = '\0';
        if (end != ',') {
            if (t->nrows == 0)
                t->ncols = cols;
            else if (cols != t->ncols)
                fail_msg("%s: row %d has %d fields, the header %d", path,
                         t->nrows, cols, t->ncols);
            t->nrows++;
            cols = 0;
        }
    }
    assert_int_equal(t->nrows, lines);
    t->nrows--; /* data rows, without the header */
}

static void csv_free(csv *t)
{
    free(t->cell);
    free(t->text);
}

/* Cell of data row `row` (0-based) in column `name`. */
static const char *csv_get(const csv *t, int row, const char *name)
{
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(t->cell[c], name) == 0)
            return t->cell[(size_t)(row + 1) * (size_t)t->ncols + (size_t)c];
    fail_msg("no column %s", name);
    return NULL;
}

static long csv_long(const csv *t, int row, const char *name)
{
    const char *v = csv_get(t, row, name);
    char *end;
    long x = strtol(v, &end, 10);
    if (!*v || *end)
        fail_msg("%s = '%s' in row %d is not a whole number", name, v, row);
    return x;
}

/* Runs the baseline (RUNS replications, traced) with `sets` into a fresh
 * directory named for the case; checks that runs.csv has a row per
 * replication, rounds.csv and summary.csv rows, and no file holds NaN or
 * infinity. Returns the directory (a static buffer). */
static const char *run_ok(const char *name, const char *sets)
{
    const char *tmp = sim_test_tmpdir(name);
    static char dir[1100];
    char cmd[4096], *out = NULL;
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(cmd, sizeof cmd,
             "%s run scenarios/baseline.cfg -n %d --trace -q -o %s %s",
             sim_test_bin(), RUNS, dir, sets);
    int status = sim_test_run(cmd, &out);
    if (status != 0)
        fail_msg("%s: exit %d: %s", name, status, out ? out : "");
    free(out);
    static const char *const files[] = {"runs.csv", "rounds.csv",
                                        "summary.csv"};
    for (int i = 0; i < 3; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        char *text = sim_test_slurp(path, NULL);
        assert_non_null(text);
        if (has_nonfinite(text))
            fail_msg("%s: %s holds NaN or infinity", name, files[i]);
        free(text);
        csv t;
        csv_load(&t, path);
        if (i == 0 && t.nrows != RUNS)
            fail_msg("%s: runs.csv has %d rows, want %d", name, t.nrows, RUNS);
        if (t.nrows < 1)
            fail_msg("%s: %s has no rows", name, files[i]);
        csv_free(&t);
    }
    return dir;
}

static void load_result(csv *t, const char *dir, const char *file)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    csv_load(t, path);
}

/* A discount of 1 values a permanent change over the planning horizon
 * (36 rounds here) without discounting; over an infinite future it would
 * diverge, which the loader refuses (test_horizon.c). */
static void test_discount_one(void **state)
{
    (void)state;
    run_ok("discount1",
           "--set actors.minsk.discount=1 --set actors.washington.discount=1 "
           "--set actors.eu.discount=1 --set actors.poland.discount=1 "
           "--set actors.lithuania.discount=1 "
           "--set actors.minsk.stage_discount=1 "
           "--set actors.washington.stage_discount=1 "
           "--set planning_horizon=36");
}

static void test_zero_surplus(void **state)
{
    (void)state;
    char sets[2048] = "";
    for (int i = 0; i < 10; i++) {
        char one[160];
        snprintf(
            one, sizeof one,
            "--set instruments.[%d].value=0 --set instruments.[%d].cost=0 ", i,
            i);
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
    /* spy scandals and deaths with probability 0 never happen; with
     * probability 1 a scandal (a Bernoulli count) comes every round */
    csv t;
    load_result(&t,
                run_ok("p0b", "--set shocks.spy_scandals.p=0 "
                              "--set shocks.deaths.p=0"),
                "runs.csv");
    for (int r = 0; r < t.nrows; r++) {
        assert_int_equal(csv_long(&t, r, "spy_scandals"), 0);
        assert_int_equal(csv_long(&t, r, "deaths"), 0);
    }
    csv_free(&t);
    load_result(&t, run_ok("p1b", "--set shocks.spy_scandals.p=1"), "runs.csv");
    for (int r = 0; r < t.nrows; r++)
        assert_int_equal(csv_long(&t, r, "spy_scandals"),
                         csv_long(&t, r, "rounds"));
    csv_free(&t);

    /* everyone held dies in custody in round 1 ... */
    const char *dir = run_ok("deaths1", "--set shocks.deaths.p=1");
    csv runs, rounds;
    load_result(&runs, dir, "runs.csv");
    load_result(&rounds, dir, "rounds.csv");
    int firsts = 0;
    for (int k = 0; k < rounds.nrows; k++) {
        if (csv_long(&rounds, k, "round") != 1)
            continue;
        long rep = csv_long(&rounds, k, "rep");
        assert_int_equal(csv_long(&rounds, k, "deaths"),
                         csv_long(&runs, (int)rep, "prisoners_start"));
        firsts++;
    }
    assert_int_equal(firsts, RUNS);
    csv_free(&runs);
    csv_free(&rounds);
    /* ... and with no new arrests nobody is held after it: the run stops
     * (all released, i.e. none held), all released counts are 0 and the
     * price is undefined (an empty field) */
    dir = run_ok("deaths1_no_arrests", "--set shocks.deaths.p=1 "
                                       "--set shocks.arrests.mean=0 "
                                       "--set shocks.foreign_arrests.mean=0");
    load_result(&runs, dir, "runs.csv");
    for (int r = 0; r < runs.nrows; r++) {
        assert_string_equal(csv_get(&runs, r, "stop_reason"), "all_released");
        assert_int_equal(csv_long(&runs, r, "rounds"), 1);
        assert_int_equal(csv_long(&runs, r, "deaths"),
                         csv_long(&runs, r, "prisoners_start"));
        assert_int_equal(csv_long(&runs, r, "prisoners_end"), 0);
        static const char *const released[] = {
            "released_total", "released_ordinary", "released_foreign",
            "released_high_profile"};
        for (int k = 0; k < 4; k++)
            assert_int_equal(csv_long(&runs, r, released[k]), 0);
        assert_string_equal(csv_get(&runs, r, "price_per_prisoner"), "");
    }
    csv_free(&runs);
}

/* Runs `solve FILE --csv ARGS`, checks exit 0 and no NaN or infinity;
 * returns its output (malloc'ed): lines "key,value". */
static char *solve_ok(const char *file, const char *args)
{
    char cmd[2048], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s solve %s --csv %s", sim_test_bin(), file,
             args);
    int status = sim_test_run(cmd, &out);
    if (status != 0)
        fail_msg("solve %s %s: exit %d: %s", file, args, status,
                 out ? out : "");
    if (has_nonfinite(out))
        fail_msg("solve %s %s printed NaN or infinity:\n%s", file, args, out);
    return out;
}

/* The value of the nth (1-based) line "key,VALUE" of solve's output, into
 * a static buffer; fails if there is none. */
static const char *value_of(const char *out, const char *key, int nth)
{
    static char v[256];
    size_t klen = strlen(key);
    for (const char *p = out; *p; p += strcspn(p, "\n"), p += *p == '\n') {
        if (strncmp(p, key, klen) == 0 && p[klen] == ',' && --nth == 0) {
            size_t n = strcspn(p + klen + 1, "\n");
            snprintf(v, sizeof v, "%.*s", (int)n, p + klen + 1);
            return v;
        }
    }
    fail_msg("no line %s in:\n%s", key, out);
    return NULL;
}

static double number_of(const char *out, const char *key, int nth)
{
    const char *v = value_of(out, key, nth);
    char *end;
    double x = strtod(v, &end);
    if (!*v || *end)
        fail_msg("%s = '%s' is not a number", key, v);
    return x;
}

static void test_solve_degenerate(void **state)
{
    (void)state;
    /* d1 = d2 = 1: Rubinstein's formula is 0/0, the finite game is not:
     * with no discounting whoever proposes at the last of the 2000 stages
     * (Washington, as Minsk proposes first) takes the whole surplus, so
     * Minsk accepts that split at once */
    char *out = solve_ok("scenarios/textbook/rubinstein.cfg",
                         "--set actors.minsk.stage_discount=1 "
                         "--set actors.washington.stage_discount=1 "
                         "--set bargaining.infinite=false");
    assert_true(number_of(out, "share.minsk", 1) == 0.0);
    assert_true(number_of(out, "share.washington", 1) == 1.0);
    assert_true(number_of(out, "deal.stage", 1) == 1.0);
    free(out);
    /* with no last stage every split is an equilibrium: refused at load,
     * naming the key, not a NaN share */
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s solve scenarios/textbook/rubinstein.cfg --csv "
             "--set actors.minsk.stage_discount=1 "
             "--set actors.washington.stage_discount=1",
             sim_test_bin());
    assert_int_equal(sim_test_run(cmd, &out), 2);
    assert_non_null(strstr(out, "rubinstein.cfg:"));
    assert_non_null(strstr(out, "bargaining.infinite"));
    free(out);
    /* breakdown certain, or no patience at all: the first proposal is an
     * ultimatum, and the first proposer (Minsk) takes everything */
    static const char *const ultimatum[] = {
        "--set bargaining.breakdown=1",
        "--set actors.minsk.stage_discount=0 "
        "--set actors.washington.stage_discount=0"};
    for (int i = 0; i < 2; i++) {
        out = solve_ok("scenarios/textbook/stahl.cfg", ultimatum[i]);
        assert_true(number_of(out, "share.minsk", 1) == 1.0);
        assert_true(number_of(out, "share.washington", 1) == 0.0);
        free(out);
    }
    /* lambda 0 is uniform play exactly; lambda 1e6 is within 1e-5 of the
     * game's one Nash equilibrium (up 1/2, left 1/10) */
    out = solve_ok("scenarios/textbook/pennies_qre.cfg",
                   "--lambda 0 --lambda 1e6");
    static const char *const probs[] = {"prob.row.up", "prob.row.down",
                                        "prob.column.left",
                                        "prob.column.right"};
    for (int k = 0; k < 4; k++)
        assert_true(number_of(out, probs[k], 1) == 0.5);
    double up = number_of(out, "nash.1.prob.row.up", 1);
    double left = number_of(out, "nash.1.prob.column.left", 1);
    assert_close(up, 0.5, 1e-12);
    assert_close(left, 0.1, 1e-12);
    const double nash[4] = {up, 1.0 - up, left, 1.0 - left};
    for (int k = 0; k < 4; k++)
        assert_close(number_of(out, probs[k], 2), nash[k], 1e-5);
    assert_true(number_of(out, "residual", 2) < 1e-10);
    free(out);
    /* bargaining power 0 or 1: nothing for player 1, or everything */
    out = solve_ok("scenarios/textbook/nash.cfg", "--set nash.power=0");
    assert_true(number_of(out, "share.player1", 1) == 0.0);
    free(out);
    out = solve_ok("scenarios/textbook/nash.cfg", "--set nash.power=1");
    assert_true(number_of(out, "share.player1", 1) == 1.0);
    free(out);
    /* zero surplus: no deal, shares left empty */
    out = solve_ok("scenarios/textbook/stahl.cfg",
                   "--set instruments.[0].value=0");
    assert_string_equal(value_of(out, "share.minsk", 1), "");
    assert_string_equal(value_of(out, "share.washington", 1), "");
    assert_string_equal(value_of(out, "deal.stage", 1), "");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nonfinite_check),
        cmocka_unit_test(test_discount_one),
        cmocka_unit_test(test_zero_surplus),
        cmocka_unit_test(test_lambda_zero_and_huge),
        cmocka_unit_test(test_probabilities_at_0_and_1),
        cmocka_unit_test(test_solve_degenerate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
