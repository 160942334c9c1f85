/* test_csvfmt.c - the CSV number formatters against snprintf, byte for byte.
 *
 * Integers: the edges (0, +-1, powers of ten and their neighbours, INT_MIN,
 * LONG_MIN, LLONG_MAX, UINT64_MAX) and random values of every length.
 * Doubles ("%.15g", and "%.0f" for integral values): a property test over
 * random doubles of several families - random bit patterns, random
 * significands with decimal exponents -16..45, short decimals like 8.55
 * (what the engine writes), integers, neighbours of powers of ten, and
 * values next to rounding ties at the 15th digit - each compared with
 * snprintf's text. The fast path must also be the one taken for the short
 * decimals, or the test would only compare snprintf with itself.
 * SIM_CSVFMT_N sets the number of doubles per family (default 200000; the
 * issue 9 work ran 10^7). The row buffer is compared with fprintf on a
 * row longer than itself. Random values come from a fixed-seed splitmix64,
 * so a failure is reproducible. */
#include "testutil.h"

#include "../sim/csvfmt.h"

#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Doubles per family: SIM_CSVFMT_N or 200000. */
static long n_doubles(void)
{
    const char *e = getenv("SIM_CSVFMT_N");
    long n = e ? strtol(e, NULL, 10) : 0;
    return n > 0 ? n : 200000;
}

static void check_u64(uint64_t v)
{
    char want[64], got[SIM_CSV_NUM_MAX + 1];
    snprintf(want, sizeof want, "%" PRIu64, v);
    size_t n = sim_csvfmt_u64(got, v);
    got[n] = '\0';
    assert_string_equal(got, want);
}

static void check_i64(long long v)
{
    char want[64], got[SIM_CSV_NUM_MAX + 1];
    snprintf(want, sizeof want, "%lld", v);
    size_t n = sim_csvfmt_i64(got, v);
    got[n] = '\0';
    assert_string_equal(got, want);
}

static void test_integer_edges(void **state)
{
    (void)state;
    const long long edges[] = {
        0,        1,        -1,        9,         10,           -10,
        99,       100,      101,       -101,      INT_MAX,      INT_MIN,
        LONG_MAX, LONG_MIN, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
    for (size_t i = 0; i < N_OF(edges); i++)
        check_i64(edges[i]);
    check_u64(0);
    check_u64(UINT64_MAX);
    check_u64(UINT64_MAX - 1);
    check_u64((uint64_t)LLONG_MAX + 1);
    /* Every value of the short paths (up to four digits) and past them. */
    for (long long v = 0; v <= 20000; v++) {
        check_i64(v);
        check_i64(-v);
    }
    /* Every power of ten and its neighbours. */
    uint64_t p = 1;
    for (int k = 0; k < 20; k++, p *= 10) {
        check_u64(p - 1);
        check_u64(p);
        check_u64(p + 1);
        check_i64(-(long long)(p - 1));
        if (p <= (uint64_t)LLONG_MAX) {
            check_i64((long long)p);
            check_i64(-(long long)p);
        }
    }
}

static void test_integer_random(void **state)
{
    (void)state;
    uint64_t seed = 1;
    for (int i = 0; i < 200000; i++) {
        uint64_t r = splitmix64(&seed);
        int bits = (int)(splitmix64(&seed) % 64) + 1; /* every length */
        uint64_t v = bits == 64 ? r : r & ((UINT64_C(1) << bits) - 1);
        check_u64(v);
        check_i64((long long)v);
    }
}

/* Compares sim_csvfmt_g15 (and its fast path when taken) with "%.15g";
 * returns 1 if the fast path took v. */
static int check_g15(double v)
{
    char want[64], got[SIM_CSV_NUM_MAX + 1], fast[SIM_CSV_NUM_MAX + 1];
    snprintf(want, sizeof want, "%.15g", v);
    size_t n = sim_csvfmt_g15(got, v);
    got[n] = '\0';
    size_t nf = sim_csvfmt_g15_fast(fast, v);
    fast[nf] = '\0';
    if (strcmp(got, want) != 0 || (nf && strcmp(fast, want) != 0))
        fail_msg("%.17g (%a): printf '%s', got '%s', fast '%s'", v, v, want,
                 got, fast);
    return nf > 0;
}

/* Compares sim_csvfmt_f0_integral with "%.0f" where it answers. */
static void check_f0(double v)
{
    char want[400], got[SIM_CSV_NUM_MAX + 1];
    snprintf(want, sizeof want, "%.0f", v);
    size_t n = sim_csvfmt_f0_integral(got, v);
    got[n] = '\0';
    if (n && strcmp(got, want) != 0)
        fail_msg("%.17g: printf '%s', got '%s'", v, want, got);
}

static double from_bits(uint64_t b)
{
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

static void test_g15_edges(void **state)
{
    (void)state;
    const double edges[] = {0.0,
                            -0.0,
                            1.0,
                            -1.0,
                            0.1,
                            0.5,
                            8.55,
                            0.0138888888888889,
                            1.0 / 3,
                            2.0 / 3,
                            1e-4,
                            9.99999999999999e-5,
                            1e-5,
                            1e14,
                            1e15,
                            999999999999999.0,
                            999999999999999.5,
                            9999999999999999.0,
                            1e-13,
                            1e41,
                            1e42,
                            123456789012345678.0,
                            DBL_MAX,
                            -DBL_MAX,
                            DBL_MIN,
                            DBL_TRUE_MIN,
                            DBL_EPSILON,
                            0.30000000000000004,
                            2.5e-15,
                            0x1p52,
                            0x1p53,
                            0x1p63};
    for (size_t i = 0; i < N_OF(edges); i++) {
        check_g15(edges[i]);
        check_g15(-edges[i]);
        check_f0(edges[i]);
        check_f0(-edges[i]);
        check_g15(nextafter(edges[i], INFINITY));
        check_g15(nextafter(edges[i], -INFINITY));
    }
    char buf[SIM_CSV_NUM_MAX];
    assert_int_equal(sim_csvfmt_g15_fast(buf, NAN), 0);
    assert_int_equal(sim_csvfmt_g15_fast(buf, INFINITY), 0);
    assert_int_equal(sim_csvfmt_f0_integral(buf, -0.0), 0);
    assert_int_equal(sim_csvfmt_f0_integral(buf, 0.5), 0);
    assert_int_equal(sim_csvfmt_f0_integral(buf, 0x1p63), 0);
}

/* Random bit patterns (finite ones) and random significands over decimal
 * exponents -16..45, both signs. */
static void test_g15_random(void **state)
{
    (void)state;
    uint64_t seed = 2;
    long n = n_doubles();
    for (long i = 0; i < n; i++) {
        double v = from_bits(splitmix64(&seed));
        if (isfinite(v))
            check_g15(v);
        double sig = (double)(splitmix64(&seed) >> 11) * 0x1p-53; /* [0,1) */
        int e = (int)(splitmix64(&seed) % 62) - 16;
        double w = sig * pow(10, e);
        check_g15(w);
        check_g15(-w);
    }
}

/* Short decimals k / 10^j (what the engine writes: 8.55, 0.1, 5.12265),
 * integers, and their neighbours; the fast path must take nearly all. */
static void test_g15_short_decimals(void **state)
{
    (void)state;
    uint64_t seed = 3;
    long n = n_doubles(), fast = 0, tried = 0;
    for (long i = 0; i < n; i++) {
        uint64_t k = splitmix64(&seed) % UINT64_C(10000000000);
        int j = (int)(splitmix64(&seed) % 12);
        double v = (double)k / pow(10, j);
        fast += check_g15(v);
        fast += check_g15(nextafter(v, INFINITY));
        fast += check_g15(nextafter(v, 0));
        tried += 3;
        check_f0((double)k);
        check_f0(-(double)k * 1e6);
    }
    /* Exact ties and powers of ten go to printf: a few in a hundred. */
    assert_true(fast > tried * 9 / 10);
}

/* Values next to a rounding tie at the 15th significant digit, m.5 *
 * 10^e for 15-digit m, and next to powers of ten: where a formatter
 * that is wrong would show it. */
static void test_g15_near_ties(void **state)
{
    (void)state;
    uint64_t seed = 4;
    long n = n_doubles();
    for (long i = 0; i < n; i++) {
        uint64_t m = UINT64_C(100000000000000) +
                     splitmix64(&seed) % UINT64_C(900000000000000);
        int e = (int)(splitmix64(&seed) % 50) - 20;
        double v = ((double)m + 0.5) * pow(10, e - 14);
        check_g15(v);
        check_g15(nextafter(v, INFINITY));
        check_g15(nextafter(v, 0));
        double p = pow(10, e);
        check_g15(nextafter(p, INFINITY));
        check_g15(nextafter(p, 0));
        check_g15(p * (1 - 5e-16));
    }
}

/* Reads everything written to f (a tmpfile) into a malloc'ed string. */
static char *read_back(FILE *f)
{
    assert_int_equal(fflush(f), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    return text;
}

/* A row through every appender, longer than the row buffer (it is written
 * in pieces), against the same row written with fprintf; the memo gives
 * the same text for a repeated value, a new value, and -0 after +0. */
static void test_row_matches_fprintf(void **state)
{
    (void)state;
    FILE *got = tmpfile(), *want = tmpfile();
    assert_non_null(got);
    assert_non_null(want);
    static sim_csv_row row;
    sim_csv_memo memo = {0};
    char name[3000];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    const double reals[] = {0.1, 0.1, 8.55, 0.0, -0.0, 1e300, NAN, 0.1};
    sim_csv_begin(&row, got);
    for (int i = 0; i < 300; i++) {
        long long v = (long long)i * 7919 - 1000;
        sim_csv_int(&row, v);
        sim_csv_char(&row, ',');
        sim_csv_u64(&row, UINT64_MAX - (uint64_t)i);
        sim_csv_char(&row, ',');
        sim_csv_str(&row, i % 100 == 0 ? name : "lifted");
        sim_csv_char(&row, ',');
        double r = reals[i % N_OF(reals)];
        sim_csv_g15_memo(&row, &memo, r);
        sim_csv_char(&row, ',');
        sim_csv_f0(&row, i % 3 ? (double)v : (double)v + 0.5);
        sim_csv_char(&row, ';');
        fprintf(want, "%lld,%" PRIu64 ",%s,", v, UINT64_MAX - (uint64_t)i,
                i % 100 == 0 ? name : "lifted");
        if (isfinite(r))
            fprintf(want, "%.15g", r);
        fprintf(want, ",%.0f;", i % 3 ? (double)v : (double)v + 0.5);
    }
    sim_csv_end(&row);
    fputc('\n', want);
    char *g = read_back(got), *w = read_back(want);
    assert_true(strlen(w) > sizeof row.buf);
    assert_string_equal(g, w);
    free(g);
    free(w);
    fclose(got);
    fclose(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer_edges),
        cmocka_unit_test(test_integer_random),
        cmocka_unit_test(test_g15_edges),
        cmocka_unit_test(test_g15_random),
        cmocka_unit_test(test_g15_short_decimals),
        cmocka_unit_test(test_g15_near_ties),
        cmocka_unit_test(test_row_matches_fprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
