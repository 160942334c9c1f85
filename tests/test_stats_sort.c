/* test_stats_sort.c - sim_stats_sort (sim/stats_sort.h) against gsl_sort:
 * on random doubles of every kind (random bit patterns, so subnormals and
 * huge exponents; both zeros; both infinities; many duplicates; integers)
 * and sizes on both sides of the radix sort's threshold, the sorted array
 * must be bit for bit gsl_sort's, with the zeros' run put -0.0 first. */
#include "testutil.h"

#include "../sim/stats_sort.h"

#include <float.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: the test's own reproducible stream. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A random non-NaN double of one of several kinds. */
static double draw(uint64_t *s)
{
    static const double pool[] = {-0.0, 0.0, 1.0, -1.0, 0.5, 2.5, -7.0, 1e300};
    uint64_t r = next(s);
    double v;
    switch (r % 8) {
    case 0: /* any bit pattern: subnormals, huge and tiny values */
        do {
            uint64_t u = next(s);
            memcpy(&v, &u, sizeof v);
        } while (isnan(v));
        return v;
    case 1:
        return (r >> 8) % 2 ? INFINITY : -INFINITY;
    case 2:
        return (r >> 8) % 2 ? -0.0 : 0.0;
    case 3: /* subnormals of both signs */
        return DBL_TRUE_MIN * (double)((r >> 8) % 1000) * ((r >> 40) % 2 ? -1 : 1);
    case 4: /* a few distinct values repeated */
        return pool[(r >> 8) % 8];
    case 5: /* integers, as counts are */
        return (double)((int64_t)((r >> 8) % 200) - 50);
    default: /* uniform on (-1, 1) */
        return (double)(r >> 11) / 9007199254740992.0 * 2.0 - 1.0;
    }
}

/* The reference: gsl_sort, then the zeros' run with -0.0 first. */
static void reference_sort(double *x, size_t n)
{
    gsl_sort(x, 1, n);
    size_t lo = 0;
    while (lo < n && x[lo] < 0.0)
        lo++;
    size_t end = lo, neg = 0;
    for (; end < n && x[end] == 0.0; end++)
        neg += signbit(x[end]) != 0;
    for (size_t i = lo; i < end; i++)
        x[i] = i - lo < neg ? -0.0 : 0.0;
}

/* Sorts n values of kinds chosen by mode both ways, compares the bits. */
static void check(size_t n, uint64_t seed, int mode)
{
    double *a = malloc((n ? n : 1) * sizeof *a);
    double *b = malloc((n ? n : 1) * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        double v = draw(&s);
        if (mode == 1) /* only zeros of both signs and a few others */
            v = (next(&s) % 4) ? (next(&s) % 2 ? -0.0 : 0.0) : v;
        if (mode == 2) /* one value: every radix pass is skipped */
            v = 3.25;
        a[i] = b[i] = v;
    }
    sim_stats_sort(a, n);
    reference_sort(b, n);
    for (size_t i = 0; i < n; i++) {
        if (memcmp(&a[i], &b[i], sizeof a[i]) != 0)
            fail_msg("n %zu seed %llu mode %d: [%zu] %a, gsl_sort %a", n,
                     (unsigned long long)seed, mode, i, a[i], b[i]);
    }
    free(a);
    free(b);
}

static void test_sort_matches_gsl_sort(void **state)
{
    (void)state;
    static const size_t sizes[] = {0,   1,   2,    17,   255,   256,
                                   257, 999, 4000, 4096, 65537, 200000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        for (int mode = 0; mode < 3; mode++)
            for (uint64_t seed = 1; seed <= 3; seed++)
                check(sizes[k], seed * 1000003u + sizes[k], mode);
}

/* Values that differ in one byte only: each radix pass alone must order
 * them (keys equal in the other seven bytes). */
static void test_sort_single_byte_differences(void **state)
{
    (void)state;
    for (int byte = 0; byte < 8; byte++) {
        size_t n = 1000;
        double *a = malloc(n * sizeof *a);
        double *b = malloc(n * sizeof *b);
        assert_non_null(a);
        assert_non_null(b);
        uint64_t s = (uint64_t)byte + 77;
        for (size_t i = 0; i < n; i++) {
            uint64_t u = 0x3ff0000000000000u ^ ((next(&s) & 0xffu) << (8 * byte));
            if (byte == 7)
                u = (u & 0x7fffffffffffffffu) | ((next(&s) & 1u) << 63);
            double v;
            memcpy(&v, &u, sizeof v);
            if (isnan(v))
                v = 0.0;
            a[i] = b[i] = v;
        }
        sim_stats_sort(a, n);
        reference_sort(b, n);
        assert_memory_equal(a, b, n * sizeof *a);
        free(a);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_matches_gsl_sort),
        cmocka_unit_test(test_sort_single_byte_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
