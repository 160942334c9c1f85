/* test_spill_summary.c - the summary of spills in bounded memory
 * (sim/spill_summary.h): random data sets (ties, NaN, signed zeros,
 * denormals, huge and tiny values, sizes around the budget's multiples,
 * several sources) summarized with tiny budgets give bit for bit what
 * sim_stats_summarize gives on the whole array; the data errors name the
 * right value; a sort file the system refuses is SIM_E_IO naming it. */
#include "testutil.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/spill.h"
#include "../sim/spill_summary.h"
#include <sanctionsim/stats.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* splitmix64 (Steele, Lea & Flood 2014): the tests' own random bits. */
static uint64_t next_bits(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A uniform double in [0, 1). */
static double uniform(uint64_t *s)
{
    return (double)(next_bits(s) >> 11) * 0x1p-53;
}

static double from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* The kinds of data set. */
enum kind { SMOOTH, TIES, SPECIAL, PROPORTION, MISSING, NKINDS };

/* One random value of the given kind. */
static double value(enum kind k, uint64_t *s)
{
    static const uint64_t special[] = {
        0x7ff8000000000000u, /* NaN */
        0xfff8000000000001u, /* -NaN with a payload */
        0x0000000000000000u, /* +0 */
        0x8000000000000000u, /* -0 */
        0x0000000000000001u, /* the smallest denormal */
        0x800fffffffffffffu, /* the largest negative denormal */
        0x0010000000000000u, /* DBL_MIN */
        0x3ff0000000000001u, /* 1 + ulp */
    };
    uint64_t u = next_bits(s);
    switch (k) {
    case SMOOTH:
        return (uniform(s) - 0.3) * 1e3;
    case TIES: /* a few values, signed zeros among them */
        return u % 7 == 0 ? -0.0 : (double)(int)(u % 5) - 2.0;
    case SPECIAL:
        if (u % 4 == 0)
            return ldexp(uniform(s) - 0.5, (int)(u >> 40) % 2000 - 1000);
        if (u % 4 == 1)
            return (u >> 8) % 2 ? 1e300 : -1e-300;
        return from_bits(special[(u >> 8) % N_OF(special)]);
    case PROPORTION:
        return u % 5 == 0 ? NAN : u % 5 == 1 ? -0.0 : (double)(u % 2);
    default:
        return u % 10 == 0 ? 1.5 : NAN;
    }
}

/* Spills holding x[0..n) split into nsrc sources (one metric each; small
 * blocks, so most rows go through the spill's file). */
static void make_sources(const char *dir, const double *x, size_t n,
                         size_t nsrc, uint64_t *rng, sim_spill **src)
{
    size_t at = 0;
    for (size_t s = 0; s < nsrc; s++) {
        size_t len = s + 1 == nsrc ? n - at : (size_t)(next_bits(rng) % (n - at + 1));
        sim_err err = {0};
        assert_int_equal(sim_spill_open(&src[s], dir, 1, 3, &err), 0);
        for (size_t i = 0; i < len; i++)
            if (sim_spill_append(src[s], &x[at + i], &err))
                fail_msg("%s", err.msg);
        sim_spill_finish(src[s]);
        at += len;
    }
}

/* Fails unless a and b are the same summary, byte for byte. */
static void assert_same_summary(const sim_summary *a, const sim_summary *b,
                                const char *what)
{
    if (memcmp(a, b, sizeof *a) == 0)
        return;
    const double *da = &a->mean, *db = &b->mean;
    for (int i = 0; i < 11; i++)
        if (memcmp(&da[i], &db[i], sizeof(double)) != 0)
            print_error("statistic %d: %a vs %a\n", i, da[i], db[i]);
    fail_msg("%s: summaries differ (n %zu vs %zu)", what, a->n, b->n);
}

/* Summarizes x[0..n) both ways (nsrc sources, the given budget) and
 * compares; returns the code both gave. */
static int compare(const char *dir, const double *x, size_t n, size_t nsrc,
                   size_t budget, bool proportion, uint64_t *rng,
                   const char *what)
{
    double *work = malloc(sizeof(double) * (n > 0 ? n : 1));
    assert_non_null(work);
    sim_summary want, got;
    memset(&want, 0, sizeof want);
    memset(&got, 0, sizeof got);
    sim_err e1 = {0}, e2 = {0};
    int rc1 = sim_stats_summarize("x", x, n, proportion, work, &want, &e1);
    sim_spill *src[3];
    make_sources(dir, x, n, nsrc, rng, src);
    int rc2 = sim_spill_summarize(src, nsrc, 0, "x", proportion, dir, budget,
                                  &got, &e2);
    for (size_t s = 0; s < nsrc; s++)
        sim_spill_close(src[s]);
    free(work);
    if (rc1 != rc2 || strcmp(e1.msg, e2.msg) != 0)
        fail_msg("%s: codes %d and %d, messages '%s' and '%s'", what, rc1, rc2,
                 e1.msg, e2.msg);
    assert_same_summary(&want, &got, what);
    return rc1;
}

/* Every kind of data, sizes 0, 1, 2 and around multiples of each tiny
 * budget, one to three sources: the same summaries as in one array. */
static void test_matches_in_memory(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("summary_random");
    static const size_t budgets[] = {2, 3, 4, 5, 8, 16, 100};
    uint64_t rng = 20261202;
    size_t cases = 0, summarized = 0;
    for (size_t bi = 0; bi < N_OF(budgets); bi++) {
        size_t b = budgets[bi];
        const size_t sizes[] = {0,         1,         2,         3,
                                b - 1,     b,         b + 1,     2 * b - 1,
                                2 * b,     2 * b + 1, 3 * b + 2, 7 * b + 3,
                                50,        257};
        for (size_t si = 0; si < N_OF(sizes); si++)
            for (int k = 0; k < NKINDS; k++) {
                size_t n = sizes[si];
                double *x = malloc(sizeof(double) * (n + 1));
                assert_non_null(x);
                for (size_t i = 0; i < n; i++)
                    x[i] = value((enum kind)k, &rng);
                char what[96];
                snprintf(what, sizeof what, "budget %zu, n %zu, kind %d", b,
                         n, k);
                size_t nsrc = 1 + (size_t)(next_bits(&rng) % 3);
                bool prop = k == PROPORTION;
                if (compare(dir, x, n, nsrc, b, prop, &rng, what) == 0)
                    summarized++;
                if (k == PROPORTION) /* the 0/1 data as a measure too */
                    compare(dir, x, n, nsrc, b, false, &rng, what);
                cases++;
                free(x);
            }
    }
    assert_int_equal(summarized, cases); /* no data set here is refused */
}

/* The default budget, exceeded: a quarter of a million smooth values
 * and a tenth NaN, through the spill's default blocks. */
static void test_default_budget(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("summary_default");
    size_t n = SIM_SUMMARY_BUDGET + SIM_SUMMARY_BUDGET / 3;
    double *x = malloc(sizeof(double) * n);
    double *work = malloc(sizeof(double) * n);
    assert_non_null(x);
    assert_non_null(work);
    uint64_t rng = 9;
    for (size_t i = 0; i < n; i++)
        x[i] = i % 10 == 3 ? NAN : value(SMOOTH, &rng);
    sim_spill *s;
    sim_err err = {0};
    assert_int_equal(sim_spill_open(&s, dir, 1, 0, &err), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sim_spill_append(s, &x[i], &err), 0);
    sim_spill_finish(s);
    sim_summary want, got;
    memset(&want, 0, sizeof want);
    memset(&got, 0, sizeof got);
    assert_int_equal(sim_stats_summarize("y", x, n, false, work, &want, &err),
                     0);
    assert_int_equal(
        sim_spill_summarize(&s, 1, 0, "y", false, dir, 0, &got, &err), 0);
    assert_same_summary(&want, &got, "default budget");
    assert_int_equal(got.n, n - n / 10 - (n % 10 > 3));
    sim_spill_close(s);
    free(x);
    free(work);
}

/* An infinite value, or a proportion of 0.5, in a late run of a later
 * source: the same error and message as in one array (the index counts
 * every row from the first source's first), and an empty summary. */
static void test_bad_value_named(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("summary_bad");
    const size_t n = 40, bad[] = {0, 7, 33, 39};
    for (size_t bi = 0; bi < N_OF(bad); bi++)
        for (int prop = 0; prop < 2; prop++) {
            double x[40];
            uint64_t rng = 5 + bi;
            for (size_t i = 0; i < n; i++)
                x[i] = value(PROPORTION, &rng);
            x[bad[bi]] = prop ? 0.5 : -INFINITY;
            if (bad[bi] + 1 < n) /* a later one is not reported */
                x[n - 1] = prop ? 0.25 : INFINITY;
            char what[64];
            snprintf(what, sizeof what, "bad value %zu", bad[bi]);
            int rc = compare(dir, x, n, 3, 4, prop, &rng, what);
            assert_int_equal(rc, prop ? SIM_E_INTERNAL : SIM_E_NUMERIC);
        }
    /* the message itself, once */
    double x[12] = {1, 2, NAN, 4, 5, 6, 7, 8, 9, INFINITY, 1, 2};
    sim_spill *s[2];
    uint64_t rng = 1;
    make_sources(dir, x, 12, 2, &rng, s);
    sim_summary out;
    sim_err err = {0};
    assert_int_equal(
        sim_spill_summarize(s, 2, 0, "m", false, dir, 2, &out, &err),
        SIM_E_NUMERIC);
    assert_string_equal(err.msg, "metric m: value 9 is infinite");
    assert_int_equal(out.n, 0);
    assert_true(isnan(out.mean) && isnan(out.p50));
    assert_string_equal(out.metric, "m");
    sim_spill_close(s[0]);
    sim_spill_close(s[1]);
}

struct summary_ctx {
    sim_spill *s;
    const char *dir;
    size_t budget;
    sim_summary out;
    sim_err err;
};

static int summarize_ctx(void *p)
{
    struct summary_ctx *c = p;
    return sim_spill_summarize(&c->s, 1, 0, "z", false, c->dir, c->budget,
                               &c->out, &c->err);
}

/* The sort file refused: a directory that does not exist (only once the
 * values exceed the budget), and writes beyond the file-size limit. */
static void test_sort_file_refused(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("summary_refused");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/missing", tmp);
    double x[64];
    for (size_t i = 0; i < N_OF(x); i++)
        x[i] = (double)(i * 37 % 64);
    sim_spill *s;
    uint64_t rng = 3;
    make_sources(tmp, x, N_OF(x), 1, &rng, &s);
    struct summary_ctx c = {.s = s, .dir = dir, .budget = 64};
    assert_int_equal(summarize_ctx(&c), 0); /* fits: no file */
    assert_int_equal(c.out.n, 64);
    c.budget = 63;
    assert_int_equal(summarize_ctx(&c), SIM_E_IO);
    if (!strstr(c.err.msg, "cannot create the summary's sort file") ||
        !strstr(c.err.msg, dir) || !strstr(c.err.msg, strerror(ENOENT)))
        fail_msg("%s", c.err.msg);
    assert_int_equal(c.out.n, 0);
    assert_true(isnan(c.out.mean));

    c.dir = tmp;
    c.budget = 8; /* the second run passes the limit */
    assert_int_equal(sim_test_with_file_limit(8 * 8 + 5, summarize_ctx, &c),
                     SIM_E_IO);
    if (!strstr(c.err.msg, "cannot write the summary's sort file") ||
        !strstr(c.err.msg, tmp) || !strstr(c.err.msg, strerror(EFBIG)))
        fail_msg("%s", c.err.msg);
    assert_true(isnan(c.out.p50));
    sim_spill_close(s);
    char names[2048];
    int left = sim_test_dir_entries(tmp, names, sizeof names);
    if (left != 0)
        fail_msg("%d entries left in %s:%s", left, tmp, names);
}

/* Misuse: a metric a source lacks, a NULL or over-long name, no
 * temporary directory. */
static void test_misuse(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("summary_misuse");
    double x[3] = {1, 2, 3};
    sim_spill *s;
    uint64_t rng = 4;
    make_sources(dir, x, 3, 1, &rng, &s);
    sim_summary out;
    sim_err err = {0};
    assert_int_equal(sim_spill_summarize(&s, 1, 1, "a", false, dir, 0, &out,
                                         &err),
                     SIM_E_INTERNAL);
    assert_int_equal(sim_spill_summarize(&s, 1, -1, "a", false, dir, 0, &out,
                                         &err),
                     SIM_E_INTERNAL);
    assert_int_equal(
        sim_spill_summarize(&s, 1, 0, NULL, false, dir, 0, &out, &err),
        SIM_E_INTERNAL);
    char longname[SIM_STATS_METRIC_MAX + 5];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(
        sim_spill_summarize(&s, 1, 0, longname, false, dir, 0, &out, &err),
        SIM_E_INTERNAL);
    assert_int_equal(
        sim_spill_summarize(&s, 1, 0, "a", false, NULL, 0, &out, &err),
        SIM_E_INTERNAL);
    assert_int_equal(
        sim_spill_summarize(NULL, 1, 0, "a", false, dir, 0, &out, &err),
        SIM_E_INTERNAL);
    /* no source at all: no value */
    assert_int_equal(
        sim_spill_summarize(NULL, 0, 0, "a", false, dir, 0, &out, &err), 0);
    assert_int_equal(out.n, 0);
    assert_true(isnan(out.mean));
    sim_spill_close(s);
}

/* Signed zeros sort -0 before +0 (in one array and merged), so the
 * minimum of {0, -0, 1, 0, -0} is -0 and its median +0. */
static void test_signed_zeros_order(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("summary_zeros");
    const double x[5] = {0.0, -0.0, 1.0, 0.0, -0.0};
    double work[5];
    sim_summary a;
    sim_err err = {0};
    assert_int_equal(sim_stats_summarize("z", x, 5, false, work, &a, &err), 0);
    assert_true(a.min == 0.0 && signbit(a.min));
    assert_true(a.p50 == 0.0 && !signbit(a.p50));
    /* p05: 0.8 x[0] + 0.2 x[1] = -0 + -0; p25: 1 x[1] + 0 x[2] = -0 + 0 */
    assert_true(a.p05 == 0.0 && signbit(a.p05));
    assert_true(a.p25 == 0.0 && !signbit(a.p25));
    uint64_t rng = 11;
    compare(dir, x, 5, 2, 2, false, &rng, "signed zeros");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_in_memory),
        cmocka_unit_test(test_default_budget),
        cmocka_unit_test(test_bad_value_named),
        cmocka_unit_test(test_sort_file_refused),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_signed_zeros_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
