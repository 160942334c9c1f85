/* test_compare.c - the two-sample statistics of compare.h against published
 * or hand-computed values, and the CSV reader of `compare`.
 *
 * Sources of the expected values:
 * - Student's sleep data (R's `sleep`, Cushny and Peebles 1905): R's
 *   documented outputs of t.test(extra ~ group, data = sleep, paired =
 *   TRUE) (t = -4.0621, df = 9, p = 0.002833, CI -2.4598858 -0.7001142),
 *   of the Welch test (t = -1.8608, df = 17.776, p = 0.07939, CI
 *   -3.3654832 0.2054832), of wilcox.test(..., paired = TRUE) (V = 0,
 *   p = 0.009091) and of wilcox.test(extra ~ group) (W = 25.5,
 *   p = 0.06933). Our differences are group 2 minus group 1, so signs
 *   flip and V, W become their complements (45 and 100 - 25.5). The
 *   digits beyond R's printed ones were recomputed from the formulas in
 *   30-digit arithmetic (mpmath: the t distribution by the incomplete beta
 *   function), by hand, not by this code.
 * - Newcombe (1998), Statistics in Medicine 17:873-890, Table II example
 *   (a), 56/70 against 48/80, method 10: 0.0524 to 0.3339.
 * - Exact rank tests, Kolmogorov's distribution, McNemar, Holm and BH:
 *   hand-computed below, each with its working in a comment. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/compare.h>

#include "../sim/csvread.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const double sleep1[] = {0.7, -1.6, -0.2, -1.2, -0.1,
                                3.4, 3.7,  0.8,  0.0,  2.0};
static const double sleep2[] = {1.9, 0.8, 1.1, 0.1, -0.1,
                                4.4, 5.5, 1.6, 4.6, 3.4};

static void sleep_diffs(double *d)
{
    for (size_t i = 0; i < 10; i++)
        d[i] = sleep2[i] - sleep1[i];
}

/* ---- means ---- */

static void test_paired_t_sleep(void **state)
{
    (void)state;
    double d[10];
    sleep_diffs(d);
    sim_compare_est e;
    sim_compare_paired_t(d, 10, 0.95, &e);
    assert_close(e.estimate, 1.58, 1e-12);
    assert_close(e.lo, 0.700114236723017, 1e-9);
    assert_close(e.hi, 2.459885763276983, 1e-9);
    assert_close(e.statistic, 4.062127683382036, 1e-9);
    assert_close(e.p, 0.002832890197384, 1e-11);
}

static void test_welch_sleep(void **state)
{
    (void)state;
    sim_compare_est e;
    sim_compare_welch(sleep1, 10, sleep2, 10, 0.95, &e);
    assert_close(e.estimate, 1.58, 1e-12);
    assert_close(e.lo, -0.205483230711711, 1e-9);
    assert_close(e.hi, 3.365483230711711, 1e-9);
    assert_close(e.statistic, 1.860813467486853, 1e-9);
    assert_close(e.p, 0.079394140187358, 1e-10);
}

static void test_t_without_spread(void **state)
{
    (void)state;
    /* No spread: zero differences are certain and p = 1; a constant
     * non-zero difference is certain and p = 0. */
    const double zero[] = {0, 0, 0, 0}, two[] = {2, 2, 2};
    sim_compare_est e;
    sim_compare_paired_t(zero, 4, 0.95, &e);
    assert_close(e.estimate, 0, 0);
    assert_close(e.lo, 0, 0);
    assert_close(e.hi, 0, 0);
    assert_close(e.p, 1, 0);
    sim_compare_paired_t(two, 3, 0.95, &e);
    assert_close(e.lo, 2, 0);
    assert_close(e.hi, 2, 0);
    assert_close(e.p, 0, 0);
    sim_compare_welch(zero, 4, two, 3, 0.95, &e);
    assert_close(e.estimate, 2, 0);
    assert_close(e.p, 0, 0);
    sim_compare_paired_t(two, 1, 0.95, &e); /* too few values */
    assert_true(isnan(e.estimate) && isnan(e.p));
}

/* ---- proportions ---- */

static void test_mcnemar(void **state)
{
    (void)state;
    /* n10 (b = 1, a = 0) = 5 (pairs 0, 1, 2, 6, 9), n01 = 1 (pair 5).
     * Difference 4/10 = 0.4; Wald se = sqrt(6 - 16/10)/10 = 0.2097618;
     * CI 0.4 -+ 1.959964 se = [-0.0111255, 0.8111255]; statistic
     * 4/sqrt(6) = 1.6329932; exact p = 2 P(Bin(6, 1/2) <= 1)
     * = 2 (1 + 6)/64 = 0.21875. */
    const double a[] = {0, 0, 0, 0, 1, 1, 0, 0, 1, 0};
    const double b[] = {1, 1, 1, 0, 1, 0, 1, 0, 1, 1};
    sim_compare_est e;
    sim_compare_mcnemar(a, b, 10, 0.95, &e);
    assert_close(e.estimate, 0.4, 1e-15);
    assert_close(e.lo, -0.011125513816087, 1e-9);
    assert_close(e.hi, 0.811125513816087, 1e-9);
    assert_close(e.statistic, 1.632993161855452, 1e-12);
    assert_close(e.p, 0.21875, 1e-12);
    /* no discordant pair: no difference, p = 1 */
    sim_compare_mcnemar(a, a, 10, 0.95, &e);
    assert_close(e.estimate, 0, 0);
    assert_close(e.p, 1, 0);
}

/* n values, the first x of them 1. */
static double *ones(size_t x, size_t n)
{
    double *v = calloc(n, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < x; i++)
        v[i] = 1;
    return v;
}

static void test_two_prop_newcombe(void **state)
{
    (void)state;
    double *a = ones(48, 80), *b = ones(56, 70);
    sim_compare_est e;
    sim_compare_two_prop(a, 80, b, 70, 0.95, &e);
    assert_close(e.estimate, 0.2, 1e-12);
    /* Newcombe's published 0.0524, 0.3339; more digits from his formula */
    assert_close(e.lo, 0.052431472402365, 1e-9);
    assert_close(e.hi, 0.333872654036906, 1e-9);
    /* pooled z: p = 104/150, se = sqrt(p(1-p)(1/80 + 1/70)) */
    assert_close(e.statistic, 2.650171951258533, 1e-9);
    assert_close(e.p, 0.008045081368197, 1e-10);
    free(a);
    free(b);
    /* 15/50 against 25/50: prop.test(correct = FALSE) gives X-squared
     * 4.1667 = z^2 and p = 0.04123 */
    a = ones(15, 50);
    b = ones(25, 50);
    sim_compare_two_prop(a, 50, b, 50, 0.95, &e);
    assert_close(e.statistic * e.statistic, 25.0 / 6, 1e-9);
    assert_close(e.p, 0.041226833337164, 1e-10);
    /* all zero on both sides: no difference, p = 1 */
    sim_compare_two_prop(a + 15, 35, b + 25, 25, 0.95, &e);
    assert_close(e.estimate, 0, 0);
    assert_close(e.p, 1, 0);
    free(a);
    free(b);
}

/* ---- rank tests ---- */

static void test_wilcoxon_sleep_normal(void **state)
{
    (void)state;
    /* A zero difference (pair 5) and a tie (1.3, 1.3): normal
     * approximation. Nine non-zero, all positive: V = 45; mean 22.5,
     * var = 9*10*19/24 - (2^3 - 2)/48 = 71.125; z = (22.5 - 0.5)/sqrt(var)
     * and p = 0.009091 (R). */
    double d[10], v, p;
    sleep_diffs(d);
    assert_int_equal(sim_compare_wilcoxon(d, 10, &v, &p, NULL), 0);
    assert_close(v, 45, 0);
    assert_close(p, 0.009090698015925, 1e-11);
}

static void test_wilcoxon_exact(void **state)
{
    (void)state;
    /* Ranks of |d|: 0.5 -> 1, 1.5 -> 2, ..., 4.5 -> 5; V = 2+3+4+5 = 14.
     * Of the 32 sign patterns, two have V >= 14 (15 and 14): p = 2 * 2/32
     * = 0.125 (R: wilcox.test(c(1.5, -0.5, 2.5, 3.5, 4.5)) V = 14,
     * p-value = 0.125). */
    const double d[] = {1.5, -0.5, 2.5, 3.5, 4.5};
    double v, p;
    assert_int_equal(sim_compare_wilcoxon(d, 5, &v, &p, NULL), 0);
    assert_close(v, 14, 0);
    assert_close(p, 0.125, 1e-15);
    /* V = 1 (only the smallest positive): by symmetry the same tail as
     * V = 14 is P(V <= 1) = 2/32 */
    const double e[] = {0.5, -1.5, -2.5, -3.5, -4.5};
    assert_int_equal(sim_compare_wilcoxon(e, 5, &v, &p, NULL), 0);
    assert_close(v, 1, 0);
    assert_close(p, 0.125, 1e-15);
    /* nothing but zeros: nothing differs */
    const double z[] = {0, 0, 0};
    assert_int_equal(sim_compare_wilcoxon(z, 3, &v, &p, NULL), 0);
    assert_close(v, 0, 0);
    assert_close(p, 1, 0);
}

static void test_mann_whitney_sleep_normal(void **state)
{
    (void)state;
    /* Ties: normal approximation with the tie term 18 (R: W = 25.5 for
     * group 1, p = 0.06933; pairs with group 2 larger: 100 - 25.5). */
    double w, p;
    assert_int_equal(
        sim_compare_mann_whitney(sleep1, 10, sleep2, 10, &w, &p, NULL), 0);
    assert_close(w, 74.5, 0);
    assert_close(p, 0.069327575433627, 1e-11);
}

static void test_mann_whitney_exact(void **state)
{
    (void)state;
    /* Every b above every a: U = 12 = 3 * 4, one arrangement of C(7,3)
     * = 35, p = 2/35 (R: wilcox.test(c(4,5,6,7), c(1,2,3)): W = 12,
     * p-value = 0.05714). */
    const double a[] = {1, 2, 3}, b[] = {4, 5, 6, 7};
    double w, p;
    assert_int_equal(sim_compare_mann_whitney(a, 3, b, 4, &w, &p, NULL), 0);
    assert_close(w, 12, 0);
    assert_close(p, 2.0 / 35, 1e-15);
    /* U = 2+3+4+4+4 = 17 of 20; P(U >= 17) = P(U <= 3) = (1+1+2+3)/126
     * (the counts of U = 0..3 are the partitions of 0..3 into parts of
     * at most 4, at most 5 of them), p = 14/126. */
    const double c[] = {1.1, 2.2, 3.3, 4.4}, e[] = {2.5, 3.8, 5.0, 6.1, 7.2};
    assert_int_equal(sim_compare_mann_whitney(c, 4, e, 5, &w, &p, NULL), 0);
    assert_close(w, 17, 0);
    assert_close(p, 14.0 / 126, 1e-14);
}

/* ---- Kolmogorov-Smirnov ---- */

static void test_kolmogorov_q(void **state)
{
    (void)state;
    /* 2 sum (-1)^(j-1) exp(-2 j^2 x^2), summed to 200 terms in 30-digit
     * arithmetic; either side of the switch between the two series at
     * 1.18. Q(1.36) is the textbook 5 % point (about 0.05). */
    assert_close(sim_compare_kolmogorov_q(0.5), 0.963945243664875, 1e-13);
    assert_close(sim_compare_kolmogorov_q(1.0), 0.269999671677355, 1e-13);
    assert_close(sim_compare_kolmogorov_q(1.17), 0.129390042185619, 1e-13);
    assert_close(sim_compare_kolmogorov_q(1.19), 0.117742292879772, 1e-13);
    assert_close(sim_compare_kolmogorov_q(1.36), 0.049485876755378, 1e-13);
    assert_close(sim_compare_kolmogorov_q(2.0), 0.000670925255780, 1e-15);
    assert_close(sim_compare_kolmogorov_q(0), 1, 0);
}

static void test_ks_distance(void **state)
{
    (void)state;
    /* ECDFs differ by 0.6 at 3, 4 and 5: D = 0.6, at sqrt(25/10) * 0.6. */
    const double a[] = {1, 2, 3, 4, 5}, b[] = {3.5, 4.5, 5.5, 6.5, 7.5};
    double d, p;
    assert_int_equal(sim_compare_ks(a, 5, b, 5, &d, &p, NULL), 0);
    assert_close(d, 0.6, 1e-15);
    assert_close(p, 0.329104789097815, 1e-12);
    /* Ties step together: at 1: 1/4 - 0; at 2: 3/4 - 2/4; at 3: 1 - 3/4;
     * D = 1/4 (stepping one value at a time would give 1/2). */
    const double c[] = {1, 2, 2, 3}, e[] = {2, 2, 3, 4};
    assert_int_equal(sim_compare_ks(c, 4, e, 4, &d, &p, NULL), 0);
    assert_close(d, 0.25, 1e-15);
    /* sleep: D = 0.4 (at 0.8 ... 1.1), sqrt(100/20) * 0.4 */
    assert_int_equal(sim_compare_ks(sleep1, 10, sleep2, 10, &d, &p, NULL), 0);
    assert_close(d, 0.4, 1e-15);
    assert_close(p, 0.400471036208458, 1e-12);
    /* a sample against itself */
    assert_int_equal(sim_compare_ks(sleep1, 10, sleep1, 10, &d, &p, NULL), 0);
    assert_close(d, 0, 0);
    assert_close(p, 1, 0);
}

/* ---- medians ---- */

static void test_median_boot(void **state)
{
    (void)state;
    double d[10];
    sleep_diffs(d);
    /* sorted: 0 0.8 1.0 1.2 1.3 1.3 1.4 1.8 2.4 4.6: median 1.3 */
    sim_compare_est e, f;
    assert_int_equal(
        sim_compare_median_boot(d, 10, NULL, 0, 2000, 7, 0.95, &e, NULL), 0);
    assert_close(e.estimate, 1.3, 1e-15);
    assert_true(e.lo <= 1.3 && e.hi >= 1.3 && e.lo >= 0 && e.hi <= 4.6);
    assert_true(e.hi > e.lo);
    /* reproducible: the same seed gives the same interval */
    assert_int_equal(
        sim_compare_median_boot(d, 10, NULL, 0, 2000, 7, 0.95, &f, NULL), 0);
    assert_close(f.lo, e.lo, 0);
    assert_close(f.hi, e.hi, 0);
    /* unpaired: median(sleep2) - median(sleep1) = 1.75 - 0.35 = 1.4 */
    assert_int_equal(sim_compare_median_boot(sleep1, 10, sleep2, 10, 500, 7,
                                             0.95, &e, NULL),
                     0);
    assert_close(e.estimate, 1.4, 1e-14);
    assert_true(e.lo < 1.4 && e.hi > 1.4);
    /* constant differences: the interval is the point */
    const double c[] = {3, 3, 3, 3};
    assert_int_equal(
        sim_compare_median_boot(c, 4, NULL, 0, 100, 1, 0.95, &e, NULL), 0);
    assert_close(e.lo, 3, 0);
    assert_close(e.hi, 3, 0);
}

/* ---- adjustments ---- */

static void test_holm_bh(void **state)
{
    (void)state;
    /* Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06,
     * 0.04 -> running max 0.02, 0.03, 0.06, 0.06 (R's p.adjust "holm":
     * 0.03 0.06 0.06 0.02). BH: times 4/1, 4/2, 4/3, 4/4: 0.02, 0.02,
     * 0.04, 0.04, running min from the top: the same (R "BH": 0.02 0.04
     * 0.04 0.02). A NaN stays out of the family. */
    const double p[] = {0.01, 0.04, NAN, 0.03, 0.005};
    double h[5], b[5];
    sim_compare_holm(p, 5, h);
    sim_compare_bh(p, 5, b);
    const double eh[] = {0.03, 0.06, NAN, 0.06, 0.02};
    const double eb[] = {0.02, 0.04, NAN, 0.04, 0.02};
    for (int i = 0; i < 5; i++) {
        if (i == 2) {
            assert_true(isnan(h[i]) && isnan(b[i]));
            continue;
        }
        assert_close(h[i], eh[i], 1e-15);
        assert_close(b[i], eb[i], 1e-15);
    }
    /* capped at 1 */
    const double q[] = {0.6, 0.7};
    sim_compare_holm(q, 2, h);
    assert_close(h[0], 1, 0);
    assert_close(h[1], 1, 0);
}

/* ---- the CSV reader ---- */

/* Writes text to a file in this test's directory; returns its path. */
static const char *csv_file(const char *text)
{
    static char path[1100];
    snprintf(path, sizeof path, "%s/t.csv", sim_test_tmpdir("compare_csv"));
    assert_int_equal(sim_test_write(path, text), 0);
    return path;
}

static void test_csvread_rfc4180(void **state)
{
    (void)state;
    const char *path = csv_file("a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n"
                                "\"two\nlines\",,3\n4,5,6");
    sim_csvread r;
    sim_err err = {0};
    assert_int_equal(sim_csvread_open(&r, path, &err), 0);
    assert_int_equal(sim_csvread_next(&r, &err), 1);
    assert_int_equal(r.nfields, 3);
    assert_string_equal(r.field[2], "c");
    assert_int_equal(sim_csvread_next(&r, &err), 1);
    assert_string_equal(r.field[0], "1");
    assert_string_equal(r.field[1], "x,y");
    assert_string_equal(r.field[2], "say \"hi\"");
    assert_int_equal(sim_csvread_next(&r, &err), 1);
    assert_int_equal(r.record_line, 3);
    assert_string_equal(r.field[0], "two\nlines");
    assert_string_equal(r.field[1], "");
    assert_int_equal(sim_csvread_next(&r, &err), 1);
    assert_int_equal(r.record_line, 5); /* no final line break */
    assert_string_equal(r.field[2], "6");
    assert_int_equal(sim_csvread_next(&r, &err), 0);
    sim_csvread_close(&r);
}

/* Reads path to its first error; returns the code. */
static int csv_error(const char *text, sim_err *err)
{
    const char *path = csv_file(text);
    sim_csvread r;
    int rc = sim_csvread_open(&r, path, err);
    while (!rc && (rc = sim_csvread_next(&r, err)) == 1)
        rc = 0;
    sim_csvread_close(&r);
    return rc;
}

static void test_csvread_errors_name_file_and_line(void **state)
{
    (void)state;
    static const struct {
        const char *text, *where, *word;
    } cases[] = {
        {"a,b\n1,\"open\n2,3\n", ":2:", "not closed"},
        {"a,b\n1,2\n3,\"x\"y\n", ":3:", "after the closing quote"},
        {"a,b\n1,x\"y\n", ":2:", "quote inside"},
        {"a,b\r1,2\n", ":1:", "carriage return"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        sim_err err = {0};
        assert_int_equal(csv_error(cases[i].text, &err), SIM_E_USAGE);
        if (!strstr(err.msg, "t.csv") || !strstr(err.msg, cases[i].where) ||
            !strstr(err.msg, cases[i].word))
            fail_msg("case %zu: message '%s'", i, err.msg);
    }
    sim_csvread r;
    sim_err err = {0};
    assert_int_equal(sim_csvread_open(&r, "/nonexistent/x.csv", &err),
                     SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "/nonexistent/x.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paired_t_sleep),
        cmocka_unit_test(test_welch_sleep),
        cmocka_unit_test(test_t_without_spread),
        cmocka_unit_test(test_mcnemar),
        cmocka_unit_test(test_two_prop_newcombe),
        cmocka_unit_test(test_wilcoxon_sleep_normal),
        cmocka_unit_test(test_wilcoxon_exact),
        cmocka_unit_test(test_mann_whitney_sleep_normal),
        cmocka_unit_test(test_mann_whitney_exact),
        cmocka_unit_test(test_kolmogorov_q),
        cmocka_unit_test(test_ks_distance),
        cmocka_unit_test(test_median_boot),
        cmocka_unit_test(test_holm_bh),
        cmocka_unit_test(test_csvread_rfc4180),
        cmocka_unit_test(test_csvread_errors_name_file_and_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
