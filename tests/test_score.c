/* test_score.c - the proper scores against hand-computed values (fair CRPS,
 * fair Brier, randomised PIT, quantiles), the fair CRPS of a large N(0,1)
 * ensemble against the closed form, the fair Brier's unbiasedness, dates
 * to rounds, the targets loader's errors (file, line, key), and
 * sim_score_run on a small hand-made result directory whose score.csv is
 * checked number by number. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

#include <sanctionsim/score.h>

/* ---- scores ---- */

static void test_crps_hand(void **state)
{
    (void)state;
    /* {0,1,5} at 2: mean |x - y| = (2+1+3)/3 = 2; pairs 1+5+4 = 10, both
     * orders 20, over 2*3*2 = 12: 5/3; CRPS = 1/3. */
    double a[] = {5, 0, 1};
    assert_close(sim_score_crps_fair(a, 3, 2.0), 1.0 / 3.0, 1e-14);
    /* {1,2,3} at 2: 2/3 - 8/12 = 0; at 0: 2 - 2/3 = 4/3. */
    double b[] = {3, 1, 2};
    assert_close(sim_score_crps_fair(b, 3, 2.0), 0.0, 1e-14);
    assert_close(sim_score_crps_fair(b, 3, 0.0), 4.0 / 3.0, 1e-14);
    /* {4, 4}: no spread, plain mean absolute error 1.5 at 2.5. */
    double c[] = {4, 4};
    assert_close(sim_score_crps_fair(c, 2, 2.5), 1.5, 1e-14);
    /* one member: undefined */
    double d[] = {1};
    assert_true(isnan(sim_score_crps_fair(d, 1, 0.0)));
}

/* CRPS(N(0,1), 0) = 2 phi(0) - 1/sqrt(pi) = 0.23369...; the fair estimator
 * from 200,000 draws has a standard error near 0.001. */
static void test_crps_normal(void **state)
{
    (void)state;
    size_t n = 200000;
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12345);
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_ran_ugaussian(r);
    double exact = 2.0 * gsl_ran_ugaussian_pdf(0.0) - 1.0 / sqrt(3.14159265358979323846);
    assert_close(exact, 0.2337, 1e-4);
    assert_close(sim_score_crps_fair(x, n, 0.0), exact, 0.005);
    /* and at y = 1: y(2 Phi(y) - 1) + 2 phi(y) - 1/sqrt(pi) */
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_ran_ugaussian(r);
    double at1 = (2.0 * 0.8413447460685429 - 1.0) +
                 2.0 * gsl_ran_ugaussian_pdf(1.0) - 1.0 / sqrt(3.14159265358979323846);
    assert_close(sim_score_crps_fair(x, n, 1.0), at1, 0.006);
    gsl_rng_free(r);
    free(x);
}

static void test_brier_hand(void **state)
{
    (void)state;
    /* 3 of 4 at y = 1: 0.0625 - 0.75*0.25/3 = 0 */
    assert_close(sim_score_brier_fair(3, 4, 1.0), 0.0, 1e-15);
    /* 1 of 4 at y = 1: 0.5625 - 0.0625 = 0.5; at y = 0: 0.0625 - 0.0625 */
    assert_close(sim_score_brier_fair(1, 4, 1.0), 0.5, 1e-15);
    assert_close(sim_score_brier_fair(1, 4, 0.0), 0.0, 1e-15);
    /* all or none: the plain Brier score */
    assert_close(sim_score_brier_fair(0, 10, 1.0), 1.0, 1e-15);
    assert_close(sim_score_brier_fair(10, 10, 1.0), 0.0, 1e-15);
    assert_true(isnan(sim_score_brier_fair(1, 1, 1.0)));
}

/* Fair: over k ~ Binomial(m, q), the expected fair Brier score is the
 * Brier score of the probability q itself, for every m. */
static void test_brier_unbiased(void **state)
{
    (void)state;
    const double qs[] = {0.1, 0.3, 0.77};
    for (size_t iq = 0; iq < 3; iq++)
        for (unsigned m = 2; m <= 12; m += 5)
            for (int y = 0; y <= 1; y++) {
                double e = 0.0;
                for (unsigned k = 0; k <= m; k++)
                    e += gsl_ran_binomial_pdf(k, qs[iq], m) *
                         sim_score_brier_fair(k, m, y);
                double want = (qs[iq] - y) * (qs[iq] - y);
                assert_close(e, want, 1e-12);
            }
}

static void test_pit(void **state)
{
    (void)state;
    double x[] = {0, 1, 1, 2};
    /* at 1: one below, two tied: from 1/4 (u = 0) to 3/4 (u -> 1) */
    assert_close(sim_score_pit(x, 4, 1.0, 0.0), 0.25, 1e-15);
    assert_close(sim_score_pit(x, 4, 1.0, 0.5), 0.5, 1e-15);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    for (int i = 0; i < 1000; i++) {
        double p = sim_score_pit(x, 4, 1.0, gsl_rng_uniform(r));
        assert_true(p >= 0.25 && p < 0.75);
        /* at 2: three below, one tied: [3/4, 1) */
        p = sim_score_pit(x, 4, 2.0, gsl_rng_uniform(r));
        assert_true(p >= 0.75 && p < 1.0);
    }
    gsl_rng_free(r);
    /* outside the ensemble: 0 and 1 whatever u; between values: exact */
    assert_close(sim_score_pit(x, 4, -1.0, 0.9), 0.0, 0);
    assert_close(sim_score_pit(x, 4, 3.0, 0.9), 1.0, 0);
    assert_close(sim_score_pit(x, 4, 0.5, 0.9), 0.25, 1e-15);
    double s[] = {1, 2, 3, 4};
    assert_close(sim_score_quantile(s, 4, 0.5), 2.5, 1e-15);
    assert_close(sim_score_quantile(s, 4, 0.05), 1.15, 1e-14);
}

/* ---- dates ---- */

static int round_of(const sim_score_calendar *cal, const char *date)
{
    int r = -999;
    sim_err e = {0};
    assert_int_equal(sim_score_date_round(cal, date, &r, &e), 0);
    return r;
}

static void test_dates(void **state)
{
    (void)state;
    sim_score_calendar m1 = {2025, 9, 1, 36};
    assert_int_equal(round_of(&m1, "2025-09-15"), 1);
    assert_int_equal(round_of(&m1, "2025-09-01"), 1);
    assert_int_equal(round_of(&m1, "2025-08-31"), 0);
    assert_int_equal(round_of(&m1, "2024-07-03"), -13);
    assert_int_equal(round_of(&m1, "2028-08-31"), 36);
    assert_int_equal(round_of(&m1, "2028-09"), 37);
    sim_score_calendar m3 = {2025, 9, 3, 12};
    assert_int_equal(round_of(&m3, "2025-11-30"), 1);
    assert_int_equal(round_of(&m3, "2025-12-01"), 2);
    assert_int_equal(round_of(&m3, "2025-08-01"), 0);
    assert_int_equal(round_of(&m3, "2025-06-01"), 0);
    assert_int_equal(round_of(&m3, "2025-05-31"), -1);
    assert_int_equal(round_of(&m1, "2024-02-29"), -18);
    const char *bad[] = {"2025-02-30", "2025-13-01", "2025/01/01",
                         "2023-02-29", "2025-9-1",   "",
                         "2025-00-10", "2025-04-31"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = 0;
        sim_err e = {0};
        assert_int_equal(sim_score_date_round(&m1, bad[i], &r, &e),
                         SIM_E_USAGE);
        assert_non_null(strstr(e.msg, "not a date"));
    }
}

/* ---- the loader ---- */

static const char *obs_ok =
    "  { id = \"a\"; quantity = \"prisoners\"; date = \"2025-09-15\";\n"
    "    value = 1197.0; uncertainty = 25.0; source = \"Viasna\"; }";

/* Writes a targets file holding cutoff line `head` and observations body
 * (after a first good one, on lines 3-4) and loads it; returns the code
 * and leaves the message in e. */
static int load_text(const char *head, const char *body, sim_targets *ts,
                     sim_err *e, char *path, size_t size)
{
    snprintf(path, size, "%s/t.cfg", sim_test_tmpdir("score_load"));
    char text[4096];
    snprintf(text, sizeof text, "%s\nobservations = (\n%s%s%s\n);\n", head,
             obs_ok, body[0] ? ",\n" : "", body);
    assert_int_equal(sim_test_write(path, text), 0);
    memset(e, 0, sizeof *e);
    return sim_targets_load(path, ts, e);
}

/* The observation on line 5 (the one after obs_ok) is refused with a
 * message naming the file, the line and `words`. */
static void refused(const char *body, int line, const char *words)
{
    sim_targets ts;
    sim_err e;
    char path[1200], where[1300];
    int rc = load_text("cutoff = \"2025-09-15\";", body, &ts, &e, path,
                       sizeof path);
    assert_int_equal(rc, SIM_E_SCENARIO);
    snprintf(where, sizeof where, "%s:%d", path, line);
    if (!strstr(e.msg, where) || !strstr(e.msg, words))
        fail_msg("message '%s' lacks '%s' or '%s'", e.msg, where, words);
    assert_int_equal(ts.n, 0);
    assert_null(ts.t);
}

static void test_loader_errors(void **state)
{
    (void)state;
    refused("  { id = \"b\"; quantity = \"prisoners\";\n"
            "    date = \"2025-02-30\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            6, "not a date");
    refused("  { id = \"b\";\n    quantity = \"prisonerz\"; date = "
            "\"2025-01-01\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            6, "unknown column 'prisonerz'");
    refused("  { id = \"b\"; quantity = \"released\"; statistic = \"sum\";\n"
            "    month = \"2025-01\"; value = 1.0; uncertainty = 1.0; }",
            5, "missing 'source'");
    refused("  { id = \"b\"; quantity = \"prisoners\";\n"
            "    date = \"2025-09-16\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            6, "after the file's cutoff 2025-09-15");
    refused("  { id = \"a\"; quantity = \"prisoners\"; date = \"2025-01-01\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "id 'a' is also the id of the observation on line 3");
    refused("  { id = \"b\"; quantity = \"us_deal\"; statistic = \"event\";\n"
            "    op = \">=\"; threshold = 1.0; month = \"2025-01\";\n"
            "    value = 2.0; uncertainty = 0.0; source = \"x\"; }",
            7, "an event's value is 1");
    refused("  { id = \"b\"; quantity = \"released_total\";\n"
            "    date = \"2025-01-01\"; value = 1.0;\n"
            "    uncertainty = 0.0; source = \"x\"; }",
            5, "takes no date");
    refused("  { id = \"b\"; quantity = \"prisoners\"; date = \"2025-01-01\";\n"
            "    value = 1.0; uncertainty = -1.0; source = \"x\"; }",
            6, "must be >= 0");
    refused("  { id = \"b\"; quantity = \"lifted\"; statistic = \"event\";\n"
            "    op = \">\"; threshold = 0.0; month = \"2025-01\";\n"
            "    value = 1.0; uncertainty = 0.0; source = \"x\"; }",
            6, "text column");
    refused("  { id = \"b\"; quantity = \"prisoners\"; datum = \"2025-01-01\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "datum");
    refused("  { id = \"b\"; quantity = \"released\"; statistic = \"sum\";\n"
            "    from = \"2025-03-01\"; to = \"2025-01-01\"; value = 1.0;\n"
            "    uncertainty = 1.0; source = \"x\"; }",
            5, "'from' is after 'to'");
    refused("  { id = \"b\"; quantity = \"prisoners\"; statistic = \"mean\";\n"
            "    date = \"2025-01-01\"; value = 1.0; uncertainty = 1.0;\n"
            "    source = \"x\"; }",
            5, "unknown statistic 'mean'");
    refused("  { id = \"b\"; quantity = \"us_deal\"; statistic = \"event\";\n"
            "    op = \"=>\"; threshold = 1.0; month = \"2025-01\";\n"
            "    value = 1.0; uncertainty = 0.0; source = \"x\"; }",
            6, "unknown op '=>'");
    refused("  { id = \"b\"; quantity = \"us_deal\"; statistic = \"event\";\n"
            "    op = \"contains\"; match = \"x\"; month = \"2025-01\";\n"
            "    value = 1.0; uncertainty = 0.0; source = \"x\"; }",
            6, "for quantity \"lifted\" only");
    refused("  { id = \"b\"; quantity = \"us_deal\"; statistic = \"event\";\n"
            "    month = \"2025-01\";\n"
            "    value = 1.0; uncertainty = 0.0; source = \"x\"; }",
            5, "missing 'op'");
    refused("  { id = \"b\"; quantity = \"released\"; statistic = \"sum\";\n"
            "    to = \"2025-01-31\"; value = 1.0; uncertainty = 1.0;\n"
            "    source = \"x\"; }",
            5, "missing 'from'");
    refused("  { id = \"b\"; quantity = \"released\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "missing 'date' or 'round'");
    refused("  { id = \"b\"; quantity = \"released\"; round = 0;\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "from 1 to");
    refused("  { id = \"b\"; quantity = \"released\"; round = 2;\n"
            "    date = \"2025-01-01\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "either 'date' or 'round'");
    refused("  { id = \"b\"; quantity = \"released\"; statistic = \"sum\";\n"
            "    month = \"2025-1\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            6, "not a month");
    refused("  { id = \"b\"; quantity = \"released\"; statistic = \"sum\";\n"
            "    month = \"2025-01\"; from = 1;\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            6, "either a month");
    refused("  { id = \"b\"; quantity = \"month\"; date = \"2025-01-01\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "not a quantity");
    refused("  { id = \"b\"; quantity = \"prisoners\"; date = \"2025-01-01\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"\"; }",
            6, "must not be empty");
    refused("  { id = 3; quantity = \"prisoners\"; date = \"2025-01-01\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "must be a string");
    refused("  { id = \"b\"; quantity = \"prisoners\"; date = 2.5;\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "or a round number");
    refused("  { id = \"b\"; quantity = \"prisoners\"; date = \"2025-01-01\";\n"
            "    value = \"1\"; uncertainty = 1.0; source = \"x\"; }",
            6, "must be a number");
    refused("  { id = \"b\"; quantity = \"prisoners\"; date = \"2025-01-01\";\n"
            "    threshold = 1.0;\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "'threshold' is for statistic");
    refused("  { id = \"b\"; quantity = \"released_total\";\n"
            "    statistic = \"sum\";\n"
            "    value = 1.0; uncertainty = 1.0; source = \"x\"; }",
            5, "\"sum\" is for rounds.csv");
    refused("  { id = \"b\"; quantity = \"us_deal\"; statistic = \"event\";\n"
            "    op = \">\"; threshold = 0.0;\n"
            "    value = 1.0; uncertainty = 0.0; source = \"x\"; }",
            5, "missing the period");
    refused("  42", 5, "expected a group");
}

/* Errors of the file as a whole. */
static void test_loader_file_errors(void **state)
{
    (void)state;
    sim_targets ts;
    sim_err e;
    char path[1200];
    assert_int_equal(load_text("cutoff = \"2025-9-15\";", "", &ts, &e, path,
                               sizeof path),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(e.msg, ":1:"));
    assert_non_null(strstr(e.msg, "not a date"));
    assert_int_equal(load_text("colour = 1;", "", &ts, &e, path, sizeof path),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(e.msg, "colour"));
    assert_int_equal(sim_test_write(path, "cutoff = \"2025-09-15\";\n"), 0);
    assert_int_equal(sim_targets_load(path, &ts, &e), SIM_E_SCENARIO);
    assert_non_null(strstr(e.msg, "no observations"));
    assert_int_equal(sim_targets_load("/nonexistent/t.cfg", &ts, &e),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(e.msg, "/nonexistent/t.cfg"));
}

static void test_loader_ok(void **state)
{
    (void)state;
    sim_targets ts;
    sim_err e;
    char path[1200];
    int rc = load_text(
        "cutoff = \"2025-09-15\";",
        "  { id = \"m\"; quantity = \"released\"; statistic = \"sum\";\n"
        "    month = \"2024-02\"; value = 3.0; uncertainty = 0.5;\n"
        "    source = \"a, b\"; note = \"free text\"; },\n"
        "  { id = \"e\"; quantity = \"lifted\"; statistic = \"event\";\n"
        "    op = \"contains\"; match = \"us_belavia\"; to = 4;\n"
        "    value = 1.0; uncertainty = 0.0; source = \"c\"; },\n"
        "  { id = \"r\"; quantity = \"lifted_round_us_potash\";\n"
        "    statistic = \"event\"; op = \"<=\"; threshold = 3.0;\n"
        "    value = 0.0; uncertainty = 0.0; source = \"d\"; }",
        &ts, &e, path, sizeof path);
    if (rc)
        fail_msg("%s", e.msg);
    assert_int_equal(ts.n, 4);
    assert_string_equal(ts.cutoff, "2025-09-15");
    assert_int_equal(ts.t[0].line, 3);
    assert_false(ts.t[0].in_runs);
    assert_string_equal(ts.t[1].from.date, "2024-02-01");
    assert_string_equal(ts.t[1].to.date, "2024-02-29");
    assert_int_equal(ts.t[1].stat, SIM_TARGET_SUM);
    assert_string_equal(ts.t[1].source, "a, b");
    assert_int_equal(ts.t[2].op, SIM_OP_CONTAINS);
    assert_int_equal(ts.t[2].to.round, 4);
    assert_int_equal(ts.t[2].from.round, 0);
    assert_true(ts.t[3].in_runs);
    sim_score_calendar cal = {2024, 1, 1, 10};
    int from = 0, to = 0;
    assert_int_equal(sim_target_rounds(&ts.t[1], &cal, &from, &to, &e), 0);
    assert_int_equal(from, 2);
    assert_int_equal(to, 2);
    assert_int_equal(sim_target_rounds(&ts.t[2], &cal, &from, &to, &e), 0);
    assert_int_equal(from, 1);
    assert_int_equal(to, 4);
    sim_targets_free(&ts);
    sim_targets_free(&ts);
}

/* ---- a whole scoring, by hand ---- */

/* A result directory of 4 replications and 3 rounds from 2025-01. */
static const char *make_results(void)
{
    const char *dir = sim_test_tmpdir("score_run");
    static char d[1024];
    snprintf(d, sizeof d, "%s", dir);
    char p[1200];
    snprintf(p, sizeof p, "%s/scenario.cfg", d);
    assert_int_equal(sim_test_write(p, "name = \"t\";\nstart = \"2025-01\";\n"
                                       "rounds = 3;\nround_months = 1;\n"),
                     0);
    snprintf(p, sizeof p, "%s/runs.csv", d);
    assert_int_equal(sim_test_write(p, "rep,released_total,lifted_round_x\n"
                                       "0,0,\n1,1,2\n2,5,\n3,2,1\n"),
                     0);
    /* released by round: rep 0: 0 0 0; rep 1: 1 0 0; rep 2: 2 3 0;
     * rep 3 stopped after round 2: 0 2 */
    snprintf(p, sizeof p, "%s/rounds.csv", d);
    assert_int_equal(
        sim_test_write(p, "rep,round,released,lifted\n"
                          "0,1,0,\n0,2,0,\n0,3,0,\n"
                          "1,1,1,\n1,2,0,x\n1,3,0,\n"
                          "2,1,2,\n2,2,3,\n2,3,0,\n"
                          "3,1,0,x;y\n3,2,2,\n"),
        0);
    return d;
}

/* Field `col` (from 0) of the line of score.csv starting with id. */
static double field_of(const char *csv, const char *id, int col)
{
    char key[64];
    snprintf(key, sizeof key, "\n%s,", id);
    const char *p = strstr(csv, key);
    assert_non_null(p);
    p++;
    for (int i = 0; i < col; i++) {
        p = strchr(p, ',');
        assert_non_null(p);
        p++;
    }
    if (*p == ',' || *p == '\n')
        return NAN;
    return strtod(p, NULL);
}

static void test_score_run_hand(void **state)
{
    (void)state;
    const char *d = make_results();
    char tpath[1200], out[1200];
    snprintf(tpath, sizeof tpath, "%s/targets.cfg", d);
    snprintf(out, sizeof out, "%s/score.csv", d);
    assert_int_equal(
        sim_test_write(tpath,
            "observations = (\n"
            " { id = \"tot\"; quantity = \"released_total\"; value = 2.0;\n"
            "   uncertainty = 1.0; source = \"s\"; },\n"
            " { id = \"sum12\"; quantity = \"released\"; statistic = \"sum\";\n"
            "   from = 1; to = 2; value = 1.0; uncertainty = 0.0; source = \"s\"; },\n"
            " { id = \"r3\"; quantity = \"released\"; round = 3; value = 0.0;\n"
            "   uncertainty = 0.0; source = \"s\"; },\n"
            " { id = \"lx\"; quantity = \"lifted\"; statistic = \"event\";\n"
            "   op = \"contains\"; match = \"x\"; to = 2; value = 1.0;\n"
            "   uncertainty = 0.0; source = \"s\"; },\n"
            " { id = \"by1\"; quantity = \"lifted_round_x\"; statistic = \"event\";\n"
            "   op = \"<=\"; threshold = 1.0; value = 0.0; uncertainty = 0.0;\n"
            "   source = \"s\"; },\n"
            " { id = \"early\"; quantity = \"released\"; date = \"2024-12-31\";\n"
            "   value = 0.0; uncertainty = 0.0; source = \"s\"; },\n"
            " { id = \"late\"; quantity = \"released\"; statistic = \"sum\";\n"
            "   from = \"2025-03-01\"; to = \"2025-04-30\"; value = 0.0;\n"
            "   uncertainty = 0.0; source = \"s\"; }\n"
            ");\n"),
        0);
    sim_score_opts o = {.results_dir = d, .targets_path = tpath, .seed = 1};
    sim_score_summary s;
    sim_err e = {0};
    if (sim_score_run(&o, &s, &e))
        fail_msg("%s", e.msg);
    char *csv = sim_test_slurp(out, NULL);
    assert_non_null(csv);
    /* columns: 7 observed, 9 n, 10 mean, 12 q05, 14 q50, 16 q95, 17 crps,
     * 18 brier, 19 pit, 20 in50, 21 in90 */
    /* tot: {0,1,5,2} at 2: mae (2+1+3+0)/4 = 1.5; pairs of sorted
     * {0,1,2,5}: 1+2+5+1+4+3 = 16, both orders 32 over 2*4*3: 4/3;
     * CRPS 1/6. q25 = 0.75, q75 = 2.75: inside both intervals. */
    assert_close(field_of(csv, "tot", 17), 1.5 - 4.0 / 3.0, 1e-9);
    assert_close(field_of(csv, "tot", 10), 2.0, 1e-12);
    assert_close(field_of(csv, "tot", 20), 1.0, 0);
    /* sum12: {0, 1, 5, 2}, rep 3 ran rounds 1-2 and counts */
    assert_close(field_of(csv, "sum12", 9), 4.0, 0);
    assert_close(field_of(csv, "sum12", 10), 2.0, 1e-12);
    /* r3: rep 3 did not run round 3: {0,0,0} at 0: CRPS 0, PIT in [0,1) */
    assert_close(field_of(csv, "r3", 9), 3.0, 0);
    assert_close(field_of(csv, "r3", 17), 0.0, 1e-15);
    double pit = field_of(csv, "r3", 19);
    assert_true(pit >= 0.0 && pit < 1.0);
    /* lx: x lifted in rounds 1-2 by reps 1 and 3: 2 of 4 at 1:
     * 0.25 - 0.25/3 = 1/6; PIT in [0.5, 1) */
    assert_close(field_of(csv, "lx", 18), 0.25 - 0.25 / 3.0, 1e-9);
    pit = field_of(csv, "lx", 19);
    assert_true(pit >= 0.5 && pit < 1.0);
    /* by1: lifted_round_x <= 1 in rep 3 only (empty: never): 1 of 4 at 0:
     * 1/16 - (3/16)/3 = 0 */
    assert_close(field_of(csv, "by1", 18), 0.0, 1e-12);
    assert_non_null(strstr(csv, "\nearly,"));
    assert_non_null(strstr(csv, "before_start"));
    assert_non_null(strstr(csv, "partly_outside"));
    assert_int_equal(s.scored, 5);
    assert_int_equal(s.outside, 2);
    assert_int_equal(s.n_brier, 2);
    assert_int_equal(s.n_crps, 3);
    /* the ensembles themselves, as calibrate reads them */
    sim_targets ts;
    sim_score_ensembles en;
    assert_int_equal(sim_targets_load(tpath, &ts, &e), 0);
    assert_int_equal(sim_score_collect(d, &ts, &en, &e), 0);
    assert_int_equal(en.nrep, 4);
    assert_int_equal(en.ntargets, 7);
    const double sum12[] = {0, 1, 5, 2}, by1[] = {0, 0, 0, 1};
    for (int i = 0; i < 4; i++) {
        assert_close(en.value[1 * 4 + i], sum12[i], 0);
        assert_close(en.value[4 * 4 + i], by1[i], 0);
        assert_true(isnan(en.value[5 * 4 + i])); /* before the start */
    }
    assert_true(isnan(en.value[2 * 4 + 3])); /* rep 3 stopped after 2 */
    assert_null(en.status[0]);
    assert_string_equal(en.status[5], "before_start");
    assert_string_equal(en.status[6], "partly_outside");
    assert_int_equal(en.from_round[6], 3);
    assert_int_equal(en.to_round[6], 4);
    sim_score_ensembles_free(&en);
    sim_score_ensembles_free(&en);
    sim_targets_free(&ts);
    /* the same seed gives the same file; a second run needs force */
    assert_int_equal(sim_score_run(&o, &s, &e), SIM_E_EXISTS);
    o.force = true;
    assert_int_equal(sim_score_run(&o, &s, &e), 0);
    char *again = sim_test_slurp(out, NULL);
    assert_string_equal(csv, again);
    free(again);
    free(csv);
}

/* Scores targets file text `targets` against the hand-made directory
 * after writing `file` with `text` into it (NULL: none); returns the code,
 * the message in e. */
static int score_broken(const char *file, const char *text,
                        const char *targets, sim_err *e)
{
    const char *d = make_results();
    char p[1200], t[1200];
    if (file) {
        snprintf(p, sizeof p, "%s/%s", d, file);
        assert_int_equal(sim_test_write(p, text), 0);
    }
    snprintf(t, sizeof t, "%s/targets.cfg", d);
    assert_int_equal(sim_test_write(t, targets), 0);
    sim_score_opts o = {.results_dir = d, .targets_path = t, .seed = 1};
    sim_score_summary s;
    memset(e, 0, sizeof *e);
    int rc = sim_score_run(&o, &s, e);
    snprintf(p, sizeof p, "%s/score.csv", d);
    char *left = sim_test_slurp(p, NULL);
    if (rc && left)
        fail_msg("score.csv written although scoring failed: %s", e->msg);
    free(left);
    return rc;
}

static const char *one_round_target =
    "observations = (\n"
    " { id = \"r1\"; quantity = \"released\"; round = 1; value = 0.0;\n"
    "   uncertainty = 0.0; source = \"s\"; }\n"
    ");\n";

static void test_score_run_errors(void **state)
{
    (void)state;
    sim_err e;
    assert_int_equal(
        score_broken(NULL, NULL,
                     "observations = (\n"
                     " { id = \"u\"; quantity = \"us_deals\"; value = 1.0;\n"
                     "   uncertainty = 1.0; source = \"s\"; }\n);\n",
                     &e),
        SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "targets.cfg:2: observation 'u'"));
    assert_non_null(strstr(e.msg, "has no column 'us_deals'"));
    assert_int_equal(score_broken("rounds.csv",
                                  "rep,round,released,lifted\n0,1,abc,\n",
                                  one_round_target, &e),
                     SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "rounds.csv:2: column 'released' is not"));
    assert_int_equal(score_broken("rounds.csv",
                                  "rep,round,released,lifted\n9,1,0,\n",
                                  one_round_target, &e),
                     SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "replication 9 is not in runs.csv"));
    assert_int_equal(score_broken("rounds.csv", "rep,released\n0,1\n",
                                  one_round_target, &e),
                     SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "no columns 'rep' and 'round'"));
    assert_int_equal(score_broken("scenario.cfg", "name = \"t\";\n",
                                  one_round_target, &e),
                     SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "not the scenario of a result directory"));
    assert_int_equal(score_broken("runs.csv", "rep,released_total\n",
                                  one_round_target, &e),
                     SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "no replications"));
    assert_int_equal(score_broken("runs.csv", "released_total\n1\n",
                                  one_round_target, &e),
                     SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "no column 'rep'"));
    assert_int_equal(score_broken("runs.csv", "rep,released_total\n0,x\n",
                                  "observations = (\n"
                                  " { id = \"u\"; quantity = "
                                  "\"released_total\"; value = 1.0;\n"
                                  "   uncertainty = 1.0; source = \"s\"; "
                                  "}\n);\n",
                                  &e),
                     SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "runs.csv:2: column 'released_total'"));
    /* an output file in a folder that does not exist */
    const char *d = make_results();
    char t[1200];
    snprintf(t, sizeof t, "%s/targets.cfg", d);
    assert_int_equal(sim_test_write(t, one_round_target), 0);
    sim_score_opts o = {.results_dir = d,
                        .targets_path = t,
                        .output = "/nonexistent/dir/score.csv"};
    sim_score_summary s;
    assert_int_equal(sim_score_run(&o, &s, &e), SIM_E_IO);
    assert_non_null(strstr(e.msg, "/nonexistent/dir/score.csv"));
    o.results_dir = NULL;
    assert_int_equal(sim_score_run(&o, &s, &e), SIM_E_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crps_hand),
        cmocka_unit_test(test_crps_normal),
        cmocka_unit_test(test_brier_hand),
        cmocka_unit_test(test_brier_unbiased),
        cmocka_unit_test(test_pit),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_loader_errors),
        cmocka_unit_test(test_loader_file_errors),
        cmocka_unit_test(test_loader_ok),
        cmocka_unit_test(test_score_run_hand),
        cmocka_unit_test(test_score_run_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
