/* test_prim.c - PRIM on plain arrays (sim/prim.c) and the outcome
 * expressions of `discover` (sim/discover_expr.c): a known box found in
 * noisy uniform data, with the irrelevant factor left alone and the
 * p-values small exactly for the restrictions that matter; the
 * trajectory's invariants; ties; the p-value against a direct sum of the
 * hypergeometric law; pasting; refusals; expressions good and bad. */
#include "testutil.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include <sanctionsim/discover.h>

/* ---- data ---- */

/* n uniform points in [0,1]^3; y = (x1 > 0.6 && x2 < 0.3), each flipped
 * with probability `noise`; drawn by MT19937 with `seed`. */
static void box_data(size_t n, unsigned long seed, double noise, double *x,
                     unsigned char *y)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < 3; j++)
            x[i * 3 + (size_t)j] = gsl_rng_uniform(r);
        bool in = x[i * 3] > 0.6 && x[i * 3 + 1] < 0.3;
        y[i] = (unsigned char)(in ^ (gsl_rng_uniform(r) < noise));
    }
    gsl_rng_free(r);
}

/* ---- the known box ---- */

/* Over five seeds: the knee is clear and its box is the true one within
 * 0.05 on each restricted face; x1's upper and x2's lower limit and all
 * of x3 are left at the data's range; x1 and x2 are significant, with
 * p-values far below 1e-6. */
static void test_known_box_is_found(void **state)
{
    (void)state;
    enum { N = 4000 };
    double *x = malloc(N * 3 * sizeof *x);
    unsigned char *y = malloc(N);
    assert_non_null(x);
    assert_non_null(y);
    for (unsigned long seed = 1; seed <= 5; seed++) {
        box_data(N, seed, 0.1, x, y);
        sim_prim_data d = {x, y, N, 3};
        sim_prim_traj t;
        sim_err err = {0};
        assert_int_equal(sim_prim_peel(&d, 0.05, 0.05, &t, &err), 0);
        bool clear;
        int s = sim_prim_knee(&t, &clear);
        assert_true(clear);
        sim_prim_box b;
        assert_int_equal(sim_prim_box_eval(&d, t.lower + s * 3,
                                           t.upper + s * 3, t.min, t.max, &b,
                                           &err),
                         0);
        assert_close(b.lower[0], 0.6, 0.05);
        assert_close(b.upper[1], 0.3, 0.05);
        assert_true(b.upper[0] == t.max[0]);
        assert_true(b.lower[1] == t.min[1]);
        assert_false(b.restricted[2]);
        assert_true(isnan(b.p_value[2]));
        assert_true(b.restricted[0] && b.restricted[1]);
        assert_true(b.p_value[0] < 1e-6 && b.p_value[1] < 1e-6);
        /* Inside, 90 % have the outcome (the noise), outside 10 %; all
         * cases 19.6 %. The knee keeps about half of the outcome's cases
         * (the true box holds 55 %). */
        assert_true(b.density > 0.8);
        assert_true(b.coverage > 0.45);
        sim_prim_box_free(&b);
        sim_prim_traj_free(&t);
    }
    free(x);
    free(y);
}

/* Step 0 is every case; coverage and mass never rise, each box lies in the
 * one before, no box falls below the minimum support, and each step's
 * limits hold exactly the cases the trajectory counts. */
static void test_trajectory_invariants(void **state)
{
    (void)state;
    enum { N = 1000 };
    double x[N * 3];
    unsigned char y[N];
    box_data(N, 11, 0.2, x, y);
    sim_prim_data d = {x, y, N, 3};
    sim_prim_traj t;
    sim_err err = {0};
    assert_int_equal(sim_prim_peel(&d, 0.1, 0.2, &t, &err), 0);
    assert_true(t.nsteps > 3);
    size_t pos = 0;
    for (size_t i = 0; i < N; i++)
        pos += y[i];
    assert_int_equal(t.n_pos, pos);
    assert_close(t.coverage[0], 1, 0);
    assert_close(t.mass[0], 1, 0);
    assert_close(t.density[0], (double)pos / N, 1e-15);
    for (int s = 0; s < t.nsteps; s++) {
        assert_true(t.n_in[s] >= 0.2 * N);
        if (s > 0) {
            assert_true(t.coverage[s] <= t.coverage[s - 1]);
            assert_true(t.n_in[s] < t.n_in[s - 1]);
            for (int j = 0; j < 3; j++) {
                assert_true(t.lower[s * 3 + j] >= t.lower[(s - 1) * 3 + j]);
                assert_true(t.upper[s * 3 + j] <= t.upper[(s - 1) * 3 + j]);
            }
        }
        sim_prim_box b;
        assert_int_equal(sim_prim_box_eval(&d, t.lower + s * 3,
                                           t.upper + s * 3, t.min, t.max, &b,
                                           &err),
                         0);
        assert_int_equal(b.n_in, t.n_in[s]);
        assert_close(b.density, t.density[s], 1e-15);
        assert_close(b.coverage, t.coverage[s], 1e-15);
        sim_prim_box_free(&b);
    }
    sim_prim_traj_free(&t);
}

/* The knee of hand-made trajectories: a sharp turn is found; a straight
 * trade-off has no clear knee and gives the step with the largest
 * coverage x density; two steps give the last. */
static void test_knee(void **state)
{
    (void)state;
    double cov[5] = {1, 0.95, 0.9, 0.5, 0.2};
    double den[5] = {0.2, 0.5, 0.9, 0.92, 0.93};
    sim_prim_traj t = {.nsteps = 5, .coverage = cov, .density = den};
    bool clear;
    assert_int_equal(sim_prim_knee(&t, &clear), 2);
    assert_true(clear);
    double cov2[5] = {1, 0.8, 0.6, 0.4, 0.2}, den2[5] = {0.1, 0.2, 0.3, 0.4,
                                                         0.5};
    t.coverage = cov2;
    t.density = den2;
    /* products 0.1, 0.16, 0.18, 0.16, 0.1 */
    assert_int_equal(sim_prim_knee(&t, &clear), 2);
    assert_false(clear);
    t.nsteps = 2;
    assert_int_equal(sim_prim_knee(&t, &clear), 1);
    assert_false(clear);
}

/* Tied values go together: with a 0/1 factor that decides the outcome and
 * a constant one, the first peel removes every 0 at once (more than
 * alpha), reaching density 1, and the constant factor is never peeled. */
static void test_ties_move_together(void **state)
{
    (void)state;
    enum { N = 200 };
    double x[N * 2];
    unsigned char y[N];
    for (size_t i = 0; i < N; i++) {
        x[i * 2] = (double)(i % 2);
        x[i * 2 + 1] = 7;
        y[i] = (unsigned char)(i % 2);
    }
    sim_prim_data d = {x, y, N, 2};
    sim_prim_traj t;
    sim_err err = {0};
    assert_int_equal(sim_prim_peel(&d, 0.05, 0.05, &t, &err), 0);
    assert_int_equal(t.nsteps, 2); /* then nothing is left to peel */
    assert_int_equal(t.n_in[1], N / 2);
    assert_close(t.density[1], 1, 0);
    assert_close(t.lower[2], 1, 0);
    assert_close(t.lower[3], 7, 0);
    assert_close(t.upper[3], 7, 0);
    sim_prim_traj_free(&t);
}

/* log C(n, k) */
static double log_choose(double n, double k)
{
    return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/* P(X >= k) for X hypergeometric: `drawn` from `total`, `good` of them
 * good, summed term by term. */
static double hyper_tail(int k, int drawn, int good, int total)
{
    double p = 0;
    for (int i = k; i <= drawn && i <= good; i++)
        p += exp(log_choose(good, i) + log_choose(total - good, drawn - i) -
                 log_choose(total, drawn));
    return p;
}

/* The p-value of each restriction is the hypergeometric tail of the box's
 * outcome count among the cases of the box without it: checked against a
 * direct sum, on a grid where only x1 matters. The restriction on x2 is
 * not significant; on x1 it is. */
static void test_p_values(void **state)
{
    (void)state;
    enum { N = 120 };
    double x[N * 2];
    unsigned char y[N];
    for (size_t i = 0; i < N; i++) {
        x[i * 2] = (double)(i % 4);       /* 0..3 */
        x[i * 2 + 1] = (double)(i / 4 % 3); /* 0..2 */
        /* x1 >= 2: the outcome in 4 of 5 cases; else in 1 of 5 */
        y[i] = (unsigned char)(x[i * 2] >= 2 ? i % 5 != 0 : i % 5 == 0);
    }
    sim_prim_data d = {x, y, N, 2};
    double lo[2] = {2, 1}, hi[2] = {3, 2}, mn[2] = {0, 0}, mx[2] = {3, 2};
    sim_prim_box b;
    sim_err err = {0};
    assert_int_equal(sim_prim_box_eval(&d, lo, hi, mn, mx, &b, &err), 0);
    /* Count by hand: the box, the box without x1, without x2. */
    int in = 0, in_pos = 0, n1 = 0, p1 = 0, n2 = 0, p2 = 0;
    for (size_t i = 0; i < N; i++) {
        bool ok1 = x[i * 2] >= 2, ok2 = x[i * 2 + 1] >= 1;
        in += ok1 && ok2;
        in_pos += ok1 && ok2 && y[i];
        n1 += ok2;
        p1 += ok2 && y[i];
        n2 += ok1;
        p2 += ok1 && y[i];
    }
    assert_int_equal(b.n_in, in);
    assert_int_equal(b.n_pos_in, in_pos);
    assert_close(b.p_value[0], hyper_tail(in_pos, in, p1, n1), 1e-12);
    assert_close(b.p_value[1], hyper_tail(in_pos, in, p2, n2), 1e-12);
    assert_true(b.p_value[0] < 1e-6);
    assert_true(b.p_value[1] > 0.05);
    sim_prim_box_free(&b);
}

/* Pasting widens a box while that raises its density: y = 1 on 30..79
 * but 0 on 50..54; from [40, 79] (density 35/40) the lower limit moves
 * down to 30 (45/50) and no further (29 and below are 0), the upper stays
 * (80 and above are 0). */
static void test_paste_widens_while_density_rises(void **state)
{
    (void)state;
    enum { N = 100 };
    double x[N];
    unsigned char y[N];
    for (int i = 0; i < N; i++) {
        x[i] = i;
        y[i] = (unsigned char)(i >= 30 && i <= 79 && !(i >= 50 && i <= 54));
    }
    sim_prim_data d = {x, y, N, 1};
    double lo = 40, hi = 79;
    sim_err err = {0};
    /* alpha 0.02: one case at a time (with 0.05, three from 32 on, and
     * 29 among them makes the density fall: it stops at 32) */
    assert_int_equal(sim_prim_paste(&d, 0.02, &lo, &hi, &err), 0);
    assert_close(lo, 30, 0);
    assert_close(hi, 79, 0);
}

static void test_refusals(void **state)
{
    (void)state;
    double x[4] = {0, 1, 2, NAN};
    unsigned char y[4] = {0, 1, 0, 1}, y2[4] = {0, 2, 0, 1};
    sim_prim_traj t;
    sim_err err = {0};
    sim_prim_data ok = {x, y, 3, 1}, nan = {x, y, 4, 1}, bad_y = {x, y2, 3, 1};
    sim_prim_data none = {x, y, 0, 1};
    assert_int_equal(sim_prim_peel(&ok, 0, 0.05, &t, &err), SIM_E_USAGE);
    assert_int_equal(sim_prim_peel(&ok, 1, 0.05, &t, &err), SIM_E_USAGE);
    assert_int_equal(sim_prim_peel(&ok, 0.1, 1, &t, &err), SIM_E_USAGE);
    assert_int_equal(sim_prim_peel(&nan, 0.1, 0, &t, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "finite"));
    assert_int_equal(sim_prim_peel(&bad_y, 0.1, 0, &t, &err), SIM_E_USAGE);
    assert_int_equal(sim_prim_peel(&none, 0.1, 0, &t, &err), SIM_E_USAGE);
    double lo = 0, hi = 1;
    assert_int_equal(sim_prim_paste(&ok, 0, &lo, &hi, &err), SIM_E_USAGE);
    assert_int_equal(sim_prim_peel(&ok, 0.1, 0, &t, &err), 0);
    sim_prim_traj_free(&t);
}

/* ---- expressions ---- */

static const char *const names[] = {"a", "b", "c.d", "released_total"};

static bool eval(const char *text, double a, double b, double c)
{
    sim_expr *e = NULL;
    sim_err err = {0};
    if (sim_expr_parse(text, names, 4, &e, &err) != 0)
        fail_msg("'%s' does not parse: %s", text, err.msg);
    double v[4] = {a, b, c, 0};
    bool r = sim_expr_eval(e, v);
    sim_expr_free(e);
    return r;
}

static void test_expressions_evaluate(void **state)
{
    (void)state;
    assert_true(eval("a >= 3", 3, 0, 0));
    assert_false(eval("a >= 3", 2.5, 0, 0));
    assert_true(eval("a>=3&&b<1", 4, 0, 0));
    assert_false(eval("a>=3&&b<1", 4, 1, 0));
    assert_true(eval("!(a < 1) || b == 2", 0, 2, 0));
    assert_false(eval("!(a < 1) || b == 2", 0, 3, 0));
    /* && binds tighter than || */
    assert_true(eval("a > 0 || b > 0 && c.d > 0", 1, 0, 0));
    assert_false(eval("(a > 0 || b > 0) && c.d > 0", 1, 0, 0));
    assert_true(eval(" -1.5e2 < a ", -149, 0, 0));
    assert_true(eval("a == true && b == false", 1, 0, 0));
    assert_true(eval("a < b", 1, 2, 0));
    assert_true(eval("a != 2", 3, 0, 0));
    assert_true(eval("!!(a == 1)", 1, 0, 0));
    /* A missing value: every comparison false but != */
    assert_false(eval("a <= 12", NAN, 0, 0));
    assert_false(eval("a > 12", NAN, 0, 0));
    assert_false(eval("a == a", NAN, 0, 0));
    assert_true(eval("a != 12", NAN, 0, 0));
    assert_true(eval("!(a <= 12)", NAN, 0, 0));

    sim_expr *e = NULL;
    sim_err err = {0};
    assert_int_equal(sim_expr_parse("c.d > 1 && a < 3 || c.d < 0 || 1 < 2",
                                    names, 4, &e, &err),
                     0);
    int cols[4];
    assert_int_equal(sim_expr_columns(e, cols, 4), 2);
    assert_int_equal(cols[0], 2);
    assert_int_equal(cols[1], 0);
    sim_expr_free(e);
}

/* Parses text, requires SIM_E_USAGE with each of the fragments in the
 * message (NULL ends the list). */
static void bad(const char *text, ...)
{
    sim_expr *e = NULL;
    sim_err err = {0};
    int rc = sim_expr_parse(text, names, 4, &e, &err);
    if (rc != SIM_E_USAGE)
        fail_msg("'%s': status %d, not a usage error", text, rc);
    assert_null(e);
    va_list ap;
    va_start(ap, text);
    for (const char *f; (f = va_arg(ap, const char *));)
        if (!strstr(err.msg, f))
            fail_msg("'%s': message lacks '%s':\n%s", text, f, err.msg);
    va_end(ap);
}

static void test_expressions_refused(void **state)
{
    (void)state;
    bad("", "column 1 (", "empty", NULL);
    bad("   ", "column 4 (", "empty", NULL);
    bad("a >", "column 4 (", "found the end", NULL);
    bad("a = 3", "column 3 (", "'=='", NULL);
    bad("a > 3 & b < 1", "column 7 (", "'&&'", NULL);
    bad("a > 3 | b < 1", "column 7 (", "'||'", NULL);
    bad("released_totl >= 300", "column 1 (",
        "unknown column 'released_totl'",
        "did you mean 'released_total'", NULL);
    bad("a > 1 && zz < 2", "column 10 (", "unknown column 'zz'", NULL);
    bad("(a > 1", "column 7 (", "expected ')'", "'(' at column 1", NULL);
    bad("a > 1)", "column 6 (", "')' without a matching '('", NULL);
    bad("a > 1 b < 2", "column 7 (", "unexpected text", NULL);
    bad("a > 1e", "column 6 (", "unexpected text", NULL);
    bad("a", "column 2 (", "expected a comparison", NULL);
    bad("a > > 1", "column 5 (", "expected a number or a column", NULL);
    bad("a > 1 &&", "column 9 (", "found the end", NULL);
    bad("1.2.3 < a", "column 1 (", "not a number", NULL);
    /* The message quotes the expression and the text at the fault. */
    bad("a > 1 b", "'a > 1 b', column 7 (at 'b')", NULL);
    bad("a >", "(at the end)", NULL);
    char deep[200];
    memset(deep, '!', 150);
    snprintf(deep + 150, 50, "(a > 1)");
    bad(deep, "nested too deeply", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_box_is_found),
        cmocka_unit_test(test_trajectory_invariants),
        cmocka_unit_test(test_knee),
        cmocka_unit_test(test_ties_move_together),
        cmocka_unit_test(test_p_values),
        cmocka_unit_test(test_paste_widens_while_density_rises),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_expressions_evaluate),
        cmocka_unit_test(test_expressions_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
