/* test_stats.c - known answers, missing values, errors and CSV output of the
 * statistics module.
 *
 * Expected values are worked by hand (stated next to each) or, for the t and
 * normal quantiles, computed independently with mpmath at 30 digits (t by
 * root-finding on the regularized incomplete beta CDF, z = sqrt(2)
 * erfinv(0.95)). Doubles are compared to TOL unless stated. */
#include "testutil.h"

#include <sanctionsim/stats.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-12
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* mpmath: t_{0.975, nu} for nu = 1, 2, 9, and z_{0.975}. */
#define T975_1 12.7062047361747046
#define T975_2 4.30265272974946385
#define T975_9 2.26215716279820554
#define Z975 1.95996398454005424

/* Reads everything written to f (a tmpfile) into buf. */
static void read_back(FILE *f, char *buf, size_t cap)
{
    assert_int_equal(fflush(f), 0);
    rewind(f);
    size_t len = fread(buf, 1, cap - 1, f);
    buf[len] = '\0';
}

/* 1..10 given out of order: mean 5.5; sum of squared deviations 82.5, so
 * the sample variance is 82.5 / 9 = 55/6 and sd = sqrt(55/6) =
 * 3.0276503540974917. GSL quantile at f: h = 9 f, x[floor h] + frac(h) *
 * step, steps of 1: p05 h = 0.45 -> 1.45; p25 h = 2.25 -> 3.25; p50 h = 4.5
 * -> 5.5; p75 h = 6.75 -> 7.75; p95 h = 8.55 -> 9.55. */
static void test_summarize_known_1_to_10(void **state)
{
    (void)state;
    const double x[] = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
    double work[N_OF(x)];
    sim_summary s;
    sim_err err = {0};
    assert_int_equal(
        sim_stats_summarize("deal_round", x, N_OF(x), false, work, &s, &err),
        0);
    assert_string_equal(s.metric, "deal_round");
    assert_int_equal(s.n, 10);
    assert_false(s.proportion);
    assert_close(s.mean, 5.5, TOL);
    assert_close(s.sd, sqrt(55.0 / 6.0), TOL);
    assert_close(s.sd, 3.0276503540974917, TOL);
    assert_close(s.p05, 1.45, TOL);
    assert_close(s.p25, 3.25, TOL);
    assert_close(s.p50, 5.5, TOL);
    assert_close(s.p75, 7.75, TOL);
    assert_close(s.p95, 9.55, TOL);
    assert_close(s.min, 1.0, 0.0);
    assert_close(s.max, 10.0, 0.0);
    /* x is const input and stays in its original order. */
    assert_close(x[0], 10.0, 0.0);
    assert_close(x[9], 5.0, 0.0);
}

/* t interval for 1..10: 5.5 +- t_{0.975,9} sqrt(55/6) / sqrt(10); mpmath
 * gives [3.33414941033183037, 7.66585058966816963]. */
static void test_summarize_t_interval(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double work[N_OF(x)];
    sim_summary s;
    assert_int_equal(
        sim_stats_summarize("m", x, N_OF(x), false, work, &s, NULL), 0);
    assert_close(s.ci95_lo, 3.33414941033183037, 1e-10);
    assert_close(s.ci95_hi, 7.66585058966816963, 1e-10);
    assert_close(s.ci95_hi - s.mean, T975_9 * sqrt(55.0 / 6.0) / sqrt(10.0),
                 1e-10);

    /* Two values {0, 2}: mean 1, sd sqrt(2), half width t_{0.975,1} sqrt(2)
     * / sqrt(2) = 12.7062047361747046. */
    const double y[] = {0, 2};
    assert_int_equal(
        sim_stats_summarize("m", y, N_OF(y), false, work, &s, NULL), 0);
    assert_close(s.sd, sqrt(2.0), TOL);
    assert_close(s.ci95_lo, 1.0 - T975_1, 1e-10);
    assert_close(s.ci95_hi, 1.0 + T975_1, 1e-10);
}

/* {2, 4, 6} among NaNs: n = 3, mean 4, sd 2; quantiles h = 2 f with steps
 * of 2: p05 2.2, p25 3, p50 4, p75 5, p95 5.8; CI 4 +- t_{0.975,2} 2 /
 * sqrt(3). */
static void test_summarize_skips_nan(void **state)
{
    (void)state;
    const double x[] = {NAN, 2, NAN, 4, 6, NAN};
    double work[N_OF(x)];
    sim_summary s;
    assert_int_equal(
        sim_stats_summarize("exit_round", x, N_OF(x), false, work, &s, NULL),
        0);
    assert_int_equal(s.n, 3);
    assert_close(s.mean, 4.0, TOL);
    assert_close(s.sd, 2.0, TOL);
    assert_close(s.p05, 2.2, TOL);
    assert_close(s.p25, 3.0, TOL);
    assert_close(s.p50, 4.0, TOL);
    assert_close(s.p75, 5.0, TOL);
    assert_close(s.p95, 5.8, TOL);
    assert_close(s.min, 2.0, 0.0);
    assert_close(s.max, 6.0, 0.0);
    assert_close(s.ci95_lo, 4.0 - T975_2 * 2.0 / sqrt(3.0), 1e-10);
    assert_close(s.ci95_hi, 4.0 + T975_2 * 2.0 / sqrt(3.0), 1e-10);
}

static void assert_all_nan(const sim_summary *s)
{
    const double v[] = {s->mean, s->sd,  s->ci95_lo, s->ci95_hi, s->p05, s->p25,
                        s->p50,  s->p75, s->p95,     s->min,     s->max};
    for (size_t i = 0; i < N_OF(v); i++)
        assert_true(isnan(v[i]));
}

static void test_summarize_all_missing(void **state)
{
    (void)state;
    const double x[] = {NAN, NAN, NAN};
    double work[N_OF(x)];
    sim_summary s;
    assert_int_equal(
        sim_stats_summarize("exit_round", x, N_OF(x), false, work, &s, NULL),
        0);
    assert_int_equal(s.n, 0);
    assert_all_nan(&s);

    /* No values at all; data and work may then be NULL. */
    assert_int_equal(
        sim_stats_summarize("exit_round", NULL, 0, true, NULL, &s, NULL), 0);
    assert_int_equal(s.n, 0);
    assert_true(s.proportion);
    assert_all_nan(&s);
}

/* n == 1: sd 0, CI [x, x], every quantile x, nothing NaN. Constant data:
 * sd exactly 0 and a zero-width interval. */
static void test_summarize_single_and_constant(void **state)
{
    (void)state;
    const double one[] = {NAN, 3.5};
    double work[4];
    sim_summary s;
    assert_int_equal(
        sim_stats_summarize("m", one, N_OF(one), false, work, &s, NULL), 0);
    assert_int_equal(s.n, 1);
    assert_close(s.mean, 3.5, 0.0);
    assert_close(s.sd, 0.0, 0.0);
    assert_close(s.ci95_lo, 3.5, 0.0);
    assert_close(s.ci95_hi, 3.5, 0.0);
    assert_close(s.p05, 3.5, 0.0);
    assert_close(s.p95, 3.5, 0.0);

    const double c[] = {2, 2, 2, 2};
    assert_int_equal(
        sim_stats_summarize("m", c, N_OF(c), false, work, &s, NULL), 0);
    assert_close(s.sd, 0.0, 0.0);
    assert_close(s.ci95_lo, 2.0, 0.0);
    assert_close(s.ci95_hi, 2.0, 0.0);

    /* A single success as a proportion: Wilson gives a finite interval. */
    const double p[] = {1};
    assert_int_equal(sim_stats_summarize("m", p, N_OF(p), true, work, &s, NULL),
                     0);
    assert_close(s.mean, 1.0, 0.0);
    assert_close(s.sd, 0.0, 0.0);
    assert_true(isfinite(s.ci95_lo) && s.ci95_lo >= 0.0);
    assert_close(s.ci95_hi, 1.0, 0.0);
}

/* Eight ones and two zeros (and one NaN): mean 0.8; sample variance
 * 10 (0.8)(0.2) / 9 = 0.16 / 0.9, so sd = 0.42163702135578390; sorted
 * 0,0,1,...: p05 (h = 0.45) 0, p25 (h = 2.25) 1; CI Wilson(8, 10). */
static void test_summarize_proportion(void **state)
{
    (void)state;
    const double x[] = {1, 0, 1, 1, NAN, 1, 1, 0, 1, 1, 1};
    double work[N_OF(x)];
    sim_summary s;
    assert_int_equal(
        sim_stats_summarize("deal", x, N_OF(x), true, work, &s, NULL), 0);
    assert_true(s.proportion);
    assert_int_equal(s.n, 10);
    assert_close(s.mean, 0.8, 0.0);
    assert_close(s.sd, sqrt(0.16 / 0.9), TOL);
    assert_close(s.p05, 0.0, 0.0);
    assert_close(s.p25, 1.0, 0.0);
    assert_close(s.p50, 1.0, 0.0);
    assert_close(s.min, 0.0, 0.0);
    assert_close(s.max, 1.0, 0.0);
    assert_close(s.ci95_lo, 0.490162471536641703, 1e-10);
    assert_close(s.ci95_hi, 0.943317848545624745, 1e-10);
}

static void test_summarize_proportion_rejects_non_binary(void **state)
{
    (void)state;
    const double x[] = {1, 0, 2, 1};
    double work[N_OF(x)];
    sim_summary s;
    sim_err err = {0};
    assert_int_equal(
        sim_stats_summarize("deal", x, N_OF(x), true, work, &s, &err),
        SIM_E_INTERNAL);
    assert_int_equal(err.code, SIM_E_INTERNAL);
    assert_non_null(strstr(err.msg, "deal"));
    assert_int_equal(s.n, 0);
    assert_true(isnan(s.mean));

    const double half[] = {0.5};
    err.msg[0] = '\0';
    assert_int_equal(sim_stats_summarize("deal", half, 1, true, work, &s, &err),
                     SIM_E_INTERNAL);
    assert_true(err.msg[0] != '\0');

    /* The same values are fine as a measure. */
    assert_int_equal(
        sim_stats_summarize("deal", x, N_OF(x), false, work, &s, &err), 0);
    assert_int_equal(s.n, 4);
}

static void test_summarize_errors(void **state)
{
    (void)state;
    double work[2];
    sim_summary s;
    sim_err err = {0};
    const double inf[] = {1, INFINITY};
    assert_int_equal(
        sim_stats_summarize("m", inf, N_OF(inf), false, work, &s, &err),
        SIM_E_NUMERIC);
    assert_non_null(strstr(err.msg, "infinite"));

    char longname[100];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    const double x[] = {1, 2};
    err.msg[0] = '\0';
    assert_int_equal(
        sim_stats_summarize(longname, x, N_OF(x), false, work, &s, &err),
        SIM_E_INTERNAL);
    assert_true(err.msg[0] != '\0');
    assert_int_equal(strlen(s.metric), SIM_STATS_METRIC_MAX - 1);

    assert_int_equal(sim_stats_summarize(NULL, x, 2, false, work, &s, &err),
                     SIM_E_INTERNAL);
    assert_int_equal(sim_stats_summarize("m", x, 2, false, NULL, &s, &err),
                     SIM_E_INTERNAL);
    assert_int_equal(sim_stats_summarize("m", x, 2, false, work, NULL, &err),
                     SIM_E_INTERNAL);
}

/* Wilson(k, n) = (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n).
 * k = 8, n = 10, z = 1.959963984540054: by hand 1 + z^2/n = 1.384146,
 * centre 0.992073 / 1.384146 = 0.716739, half 1.416009 * 0.160011 =
 * 0.226577; mpmath: [0.490162471536641703, 0.943317848545624745]. */
static void test_wilson_known(void **state)
{
    (void)state;
    double lo, hi;
    sim_stats_wilson(8, 10, Z975, &lo, &hi);
    assert_close(lo, 0.490162471536641703, TOL);
    assert_close(hi, 0.943317848545624745, TOL);
    assert_close(lo, 0.4901625, 1e-7);
    assert_close(hi, 0.9433178, 1e-7);
    sim_stats_wilson(3, 7, Z975, &lo, &hi);
    assert_close(lo, 0.158219855251469688, TOL);
    assert_close(hi, 0.749541635472342805, TOL);
}

/* At k = 0 the lower bound is exactly 0 and at k = n the upper bound exactly
 * 1 (mpmath: Wilson(0, 10) hi = 0.277532799862889253 = 1 - Wilson(10, 10)
 * lo); no n or z pushes either outside [0, 1]. n == 0 is undefined: NaN. */
static void test_wilson_edges(void **state)
{
    (void)state;
    double lo, hi;
    sim_stats_wilson(0, 10, Z975, &lo, &hi);
    assert_close(lo, 0.0, 0.0);
    assert_close(hi, 0.277532799862889253, TOL);
    sim_stats_wilson(10, 10, Z975, &lo, &hi);
    assert_close(lo, 0.722467200137110747, TOL);
    assert_close(hi, 1.0, 0.0);

    const size_t ns[] = {1, 2, 3, 7, 10, 1000, 1000000};
    const double zs[] = {0.5, 1.0, Z975, 3.0, 6.0};
    for (size_t i = 0; i < N_OF(ns); i++)
        for (size_t j = 0; j < N_OF(zs); j++) {
            const size_t ks[] = {0, 1, ns[i] / 2, ns[i] - 1, ns[i]};
            for (size_t m = 0; m < N_OF(ks); m++) {
                sim_stats_wilson(ks[m], ns[i], zs[j], &lo, &hi);
                assert_true(0.0 <= lo && lo <= hi && hi <= 1.0);
                double p = (double)ks[m] / (double)ns[i];
                assert_true(lo <= p && p <= hi);
            }
            sim_stats_wilson(0, ns[i], zs[j], &lo, &hi);
            assert_close(lo, 0.0, 0.0);
            sim_stats_wilson(ns[i], ns[i], zs[j], &lo, &hi);
            assert_close(hi, 1.0, 0.0);
        }

    sim_stats_wilson(0, 0, Z975, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
    sim_stats_wilson(3, 2, Z975, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

static void test_write_header(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    char buf[512];
    assert_int_equal(sim_stats_write_header(f, NULL), 0);
    read_back(f, buf, sizeof buf);
    assert_string_equal(buf, "metric,n,mean,sd,ci95_lo,ci95_hi,p05,p25,p50,"
                             "p75,p95,min,max,type\n");
    fclose(f);
}

/* A hand-made row: NaN and +inf become empty fields, -0 prints as 0, and
 * "%.15g" rounds sd to 15 significant digits. */
static void test_write_row_known(void **state)
{
    (void)state;
    sim_summary s = {.metric = "deal_round",
                     .n = 10,
                     .mean = 5.5,
                     .sd = 3.0276503540974917,
                     .ci95_lo = NAN,
                     .ci95_hi = 7.66585058966816963,
                     .p05 = 0.1,
                     .p25 = 1e-20,
                     .p50 = -0.0,
                     .p75 = 12345678,
                     .p95 = INFINITY,
                     .min = -2.5,
                     .max = 10,
                     .proportion = false};
    FILE *f = tmpfile();
    assert_non_null(f);
    char buf[512];
    assert_int_equal(sim_stats_write_row(f, &s, NULL), 0);
    s.proportion = true;
    s.ci95_lo = -INFINITY;
    assert_int_equal(sim_stats_write_row(f, &s, NULL), 0);
    read_back(f, buf, sizeof buf);
    assert_string_equal(buf, "deal_round,10,5.5,3.02765035409749,,"
                             "7.66585058966817,0.1,1e-20,0,12345678,,-2.5,10,"
                             "measure\n"
                             "deal_round,10,5.5,3.02765035409749,,"
                             "7.66585058966817,0.1,1e-20,0,12345678,,-2.5,10,"
                             "proportion\n");
    fclose(f);
}

/* Summaries straight from sim_stats_summarize: all-missing is n = 0 and
 * eleven empty fields; a proportion prints its exact mean. */
static void test_write_row_from_summary(void **state)
{
    (void)state;
    const double miss[] = {NAN, NAN};
    const double x[] = {0, 1, 1, 1};
    double work[4];
    sim_summary s;
    FILE *f = tmpfile();
    assert_non_null(f);
    char buf[512];
    assert_int_equal(sim_stats_summarize("never_happened", miss, N_OF(miss),
                                         false, work, &s, NULL),
                     0);
    assert_int_equal(sim_stats_write_row(f, &s, NULL), 0);
    assert_int_equal(
        sim_stats_summarize("deal", x, N_OF(x), true, work, &s, NULL), 0);
    assert_int_equal(sim_stats_write_row(f, &s, NULL), 0);
    read_back(f, buf, sizeof buf);
    /* deal: mean 0.75, sd sqrt(0.25) = 0.5, quantiles with h = 3 f:
     * p05 0.15, p25 0.75, p50..p95 1. */
    double lo, hi;
    sim_stats_wilson(3, 4, Z975, &lo, &hi);
    char want[512];
    snprintf(want, sizeof want,
             "never_happened,0,,,,,,,,,,,,measure\n"
             "deal,4,0.75,0.5,%.15g,%.15g,0.15,0.75,1,1,1,0,1,proportion\n",
             lo, hi);
    assert_string_equal(buf, want);
    assert_null(strstr(buf, "nan"));
    fclose(f);
}

static void test_write_errors(void **state)
{
    (void)state;
    sim_err err = {0};
    sim_summary s = {.metric = "a,b", .n = 0, .mean = NAN};
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    assert_int_equal(sim_stats_write_row(tmp, &s, &err), SIM_E_INTERNAL);
    assert_non_null(strstr(err.msg, "quoting"));
    fclose(tmp);

    /* A stream opened for reading fails every write. */
    FILE *ro = fopen("/dev/null", "r");
    assert_non_null(ro);
    err.msg[0] = '\0';
    assert_int_equal(sim_stats_write_header(ro, &err), SIM_E_IO);
    assert_int_equal(err.code, SIM_E_IO);
    assert_true(err.msg[0] != '\0');
    strcpy(s.metric, "deal");
    err.msg[0] = '\0';
    assert_int_equal(sim_stats_write_row(ro, &s, &err), SIM_E_IO);
    assert_non_null(strstr(err.msg, "deal"));
    fclose(ro);
}

/* work may be x itself: the summary is bitwise the one with a separate
 * work array (values with NaN gaps, out of order, not exactly summable). */
static void test_summarize_in_place(void **state)
{
    (void)state;
    double x[41], copy[41], work[41];
    for (size_t i = 0; i < N_OF(x); i++)
        x[i] = i % 7 == 3 ? NAN : 1.0 / (double)((i * 17) % 41 + 1) - 0.1;
    memcpy(copy, x, sizeof x);
    sim_summary a, b;
    assert_int_equal(
        sim_stats_summarize("m", x, N_OF(x), false, work, &a, NULL), 0);
    assert_int_equal(
        sim_stats_summarize("m", copy, N_OF(x), false, copy, &b, NULL), 0);
    assert_int_equal(a.n, b.n);
    const double va[] = {a.mean, a.sd,  a.ci95_lo, a.ci95_hi, a.p05, a.p25,
                         a.p50,  a.p75, a.p95,     a.min,     a.max};
    const double vb[] = {b.mean, b.sd,  b.ci95_lo, b.ci95_hi, b.p05, b.p25,
                         b.p50,  b.p75, b.p95,     b.min,     b.max};
    assert_memory_equal(va, vb, sizeof va);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summarize_known_1_to_10),
        cmocka_unit_test(test_summarize_t_interval),
        cmocka_unit_test(test_summarize_skips_nan),
        cmocka_unit_test(test_summarize_all_missing),
        cmocka_unit_test(test_summarize_single_and_constant),
        cmocka_unit_test(test_summarize_proportion),
        cmocka_unit_test(test_summarize_proportion_rejects_non_binary),
        cmocka_unit_test(test_summarize_errors),
        cmocka_unit_test(test_summarize_in_place),
        cmocka_unit_test(test_wilson_known),
        cmocka_unit_test(test_wilson_edges),
        cmocka_unit_test(test_write_header),
        cmocka_unit_test(test_write_row_known),
        cmocka_unit_test(test_write_row_from_summary),
        cmocka_unit_test(test_write_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
