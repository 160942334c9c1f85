/* csvfmt.c - a CSV row buffer and number formatting without printf. */
#include "csvfmt.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* "00".."99": two digits per division by 100. */
static const char digit_pairs[201] = "00010203040506070809"
                                     "10111213141516171819"
                                     "20212223242526272829"
                                     "30313233343536373839"
                                     "40414243444546474849"
                                     "50515253545556575859"
                                     "60616263646566676869"
                                     "70717273747576777879"
                                     "80818283848586878889"
                                     "90919293949596979899";

size_t sim_csvfmt_u64(char *dst, uint64_t v)
{
    /* Counts of a round (most of rounds.csv's fields) are short: up to
     * four digits without the counting loop. */
    if (v < 100) {
        if (v < 10) {
            dst[0] = (char)('0' + v);
            return 1;
        }
        memcpy(dst, digit_pairs + v * 2, 2);
        return 2;
    }
    if (v < 10000) {
        size_t hi = (size_t)v / 100, lo = (size_t)v % 100;
        size_t n = hi < 10 ? 3 : 4;
        if (hi < 10)
            dst[0] = (char)('0' + hi);
        else
            memcpy(dst, digit_pairs + hi * 2, 2);
        memcpy(dst + n - 2, digit_pairs + lo * 2, 2);
        return n;
    }
    /* The digits counted first, then written from the last one back,
     * straight into dst. */
    size_t n = 1;
    for (uint64_t x = v; x >= 10; x /= 10)
        n++;
    char *p = dst + n;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = digit_pairs[d + 1];
        *--p = digit_pairs[d];
    }
    if (v >= 10) {
        *--p = digit_pairs[v * 2 + 1];
        *--p = digit_pairs[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
    return n;
}

size_t sim_csvfmt_i64(char *dst, long long v)
{
    if (v >= 0)
        return sim_csvfmt_u64(dst, (uint64_t)v);
    /* 0 - (unsigned)v is |v| even for LLONG_MIN. */
    dst[0] = '-';
    return 1 + sim_csvfmt_u64(dst + 1, 0 - (uint64_t)v);
}

#if LDBL_MANT_DIG >= 64
/* 10^0..10^27, exact in long double: 10^k = 2^k 5^k and 5^27 < 2^63. */
static const long double pow10_exact[28] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

/* a * 10^(14 - e10) in long double, or -1 if 10^|14 - e10| is not exact. */
static long double scaled(double a, int e10)
{
    int p = 14 - e10;
    if (p > 27 || p < -27)
        return -1;
    return p >= 0 ? (long double)a * pow10_exact[p]
                  : (long double)a / pow10_exact[-p];
}
#endif

#ifdef __SIZEOF_INT128__
/* A GCC and Clang extension on 64-bit targets (__extension__: no
 * -Wpedantic warning). */
__extension__ typedef unsigned __int128 u128;

/* 10^0..10^19, the powers of ten of a uint64_t. */
static const uint64_t pow10_u64[20] = {UINT64_C(1),
                                       UINT64_C(10),
                                       UINT64_C(100),
                                       UINT64_C(1000),
                                       UINT64_C(10000),
                                       UINT64_C(100000),
                                       UINT64_C(1000000),
                                       UINT64_C(10000000),
                                       UINT64_C(100000000),
                                       UINT64_C(1000000000),
                                       UINT64_C(10000000000),
                                       UINT64_C(100000000000),
                                       UINT64_C(1000000000000),
                                       UINT64_C(10000000000000),
                                       UINT64_C(100000000000000),
                                       UINT64_C(1000000000000000),
                                       UINT64_C(10000000000000000),
                                       UINT64_C(100000000000000000),
                                       UINT64_C(1000000000000000000),
                                       UINT64_C(10000000000000000000)};

/* digits15 in integers, exactly, for a normal a > 0 below 10^15 and not
 * below about 10^-8 (most of what a run writes): a = f 2^-k with an
 * integer f < 2^53, so s = a 10^p = f 10^p / 2^k with p = 14 - e10 in
 * 0..22 is a 128-bit product f 10^p shifted by k bits; its integer part
 * and the bits shifted out decide the rounding without error. Exact ties
 * are declined (left to printf, which rounds them by its own rule), as is
 * anything out of range. */
static bool digits15_exact(double a, uint64_t *m, int *e10)
{
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7ff);
    if (biased == 0 || biased == 0x7ff)
        return false; /* subnormal, infinite or NaN */
    uint64_t f = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
    int k = 1075 - biased; /* a = f 2^-k */
    int e2 = biased - 1022;
    /* the decimal exponent or one less, as in the long double path */
    double t = (e2 - 1) * 0.30102999566398120;
    int e = (int)t;
    if ((double)e > t)
        e--;
    for (int pass = 0; pass < 2; pass++, e++) {
        int p = 14 - e;
        if (p < 0 || p > 22 || k < 1 || k > 120)
            return false;
        int q = p < 19 ? p : 19; /* f 10^p < 2^53 10^22 < 2^127 */
        u128 s = (u128)f * pow10_u64[q] * pow10_u64[p - q];
        u128 whole = s >> k;
        u128 rest = s - (whole << k), half = (u128)1 << (k - 1);
        if (whole >= UINT64_C(1000000000000000))
            continue; /* e was one less than the exponent */
        if (whole < UINT64_C(100000000000000) || rest == half)
            return false;
        *m = (uint64_t)whole + (rest > half);
        *e10 = e;
        if (*m == UINT64_C(1000000000000000)) { /* 9.99...95 rounded up */
            *m = UINT64_C(100000000000000);
            (*e10)++;
        }
        return true;
    }
    return false;
}
#endif

/* The 15 significant digits of a > 0 as printf rounds them, into *m
 * (10^14 <= *m < 10^15) with the decimal exponent of the first digit in
 * *e10; false when this cannot be sure of the answer.
 *
 * Why it is exact: s = a * 10^p (or a / 10^-p) is one long double product
 * (or quotient) of exact operands, so with a 64-bit significand and
 * s < 2^50 its error is at most half an ulp, 2^-15. printf rounds the exact
 * decimal value of a; the rounded integer of s can differ from it only if
 * a half-integer lies within 2^-15 of s, and the same goes for the test
 * that s is in [10^14, 10^15). Both cases (and anything out of the range
 * of exact powers) are declined with a margin of 2^-13, left to printf. */
static bool digits15(double a, uint64_t *m, int *e10)
{
#ifdef __SIZEOF_INT128__
    if (digits15_exact(a, m, e10))
        return true;
#endif
#if LDBL_MANT_DIG >= 64
    /* The argument needs the 64-bit significand at run time, not only in
     * <float.h>: an emulator such as valgrind computes x87 long doubles
     * with 53 bits. A sum that only a 64-bit significand keeps tells. */
    volatile long double one = 1.0L, tiny = 0x1p-63L;
    if (one + tiny == one)
        return false;
    const long double margin = 0x1p-13L;
    /* 2^(e2-1) <= a < 2^e2: frexp's exponent, read from the bits of a
     * normal a (its biased exponent less 1022), frexp for a subnormal. */
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int e2 = (int)((bits >> 52) & 0x7ff) - 1022;
    if (e2 == -1022)
        (void)frexp(a, &e2);
    /* floor((e2 - 1) log10 2): the decimal exponent or one less (floor
     * by hand: the truncation, less one below a negative non-integer). */
    double t = (e2 - 1) * 0.30102999566398120;
    int e = (int)t;
    if ((double)e > t)
        e--;
    long double s = scaled(a, e);
    if (s >= 1e15L - margin) {
        e++;
        s = scaled(a, e);
    }
    if (s < 1e14L + margin || s >= 1e15L - margin)
        return false; /* near a power of ten, or out of range */
    /* floorl(s): s is positive and below 2^50, so its truncation. */
    long double whole = (long double)(uint64_t)s, frac = s - whole;
    if (fabsl(frac - 0.5L) < margin)
        return false; /* near a tie */
    *m = (uint64_t)whole + (frac > 0.5L);
    *e10 = e;
    if (*m == UINT64_C(1000000000000000)) { /* 9.99...95 rounded up */
        *m = UINT64_C(100000000000000);
        (*e10)++;
    }
    return true;
#else
    (void)a, (void)m, (void)e10;
    return false;
#endif
}

/* Writes "<d[0]>[.<d[1..n)>]e<sign><2+ digits>": %g's style e. */
static size_t style_e(char *dst, const char *d, size_t n, int x)
{
    size_t len = 0;
    dst[len++] = d[0];
    if (n > 1) {
        dst[len++] = '.';
        memcpy(dst + len, d + 1, n - 1);
        len += n - 1;
    }
    dst[len++] = 'e';
    dst[len++] = x < 0 ? '-' : '+';
    unsigned ax = (unsigned)(x < 0 ? -x : x);
    if (ax < 10)
        dst[len++] = '0';
    return len + sim_csvfmt_u64(dst + len, ax);
}

/* Writes the digits d[0..n) with exponent x (-4 <= x < 15) in %g's style
 * f: the point after digit x, or "0.000" before the digits. */
static size_t style_f(char *dst, const char *d, size_t n, int x)
{
    size_t len = 0;
    if (x < 0) {
        dst[len++] = '0';
        dst[len++] = '.';
        for (int i = 0; i < -x - 1; i++)
            dst[len++] = '0';
        memcpy(dst + len, d, n);
        return len + n;
    }
    size_t whole = (size_t)x + 1;
    memcpy(dst, d, whole);
    len = whole;
    if (n > whole) {
        dst[len++] = '.';
        memcpy(dst + len, d + whole, n - whole);
        len += n - whole;
    }
    return len;
}

/* The 15 digits of 10^14 <= m < 10^15 into d; returns 15. Two 32-bit
 * halves of 7 and 8 digits, two digits per division by 100, with no
 * count of the digits first (the general sim_csvfmt_u64's loop was most
 * of a real's cost in rounds.csv). */
static size_t put15(char *d, uint64_t m)
{
    uint32_t hi = (uint32_t)(m / 100000000u), lo = (uint32_t)(m % 100000000u);
    for (int i = 0; i < 4; i++) {
        memcpy(d + 13 - 2 * (size_t)i, digit_pairs + 2 * (size_t)(lo % 100),
               2);
        lo /= 100;
    }
    for (int i = 0; i < 3; i++) {
        memcpy(d + 5 - 2 * (size_t)i, digit_pairs + 2 * (size_t)(hi % 100),
               2);
        hi /= 100;
    }
    d[0] = (char)('0' + hi);
    return 15;
}

size_t sim_csvfmt_g15_fast(char *dst, double v)
{
    uint64_t m;
    int x;
    if (!isfinite(v) || v == 0 || !digits15(fabs(v), &m, &x))
        return 0;
    char d[SIM_CSV_NUM_MAX];
    size_t n = put15(d, m);
    while (n > 1 && d[n - 1] == '0')
        n--; /* %g drops trailing zeros */
    size_t len = 0;
    if (v < 0)
        dst[len++] = '-';
    /* C11 7.21.6.1: style f if P > X >= -4 (P = 15), else style e. */
    if (x < 15 && x >= -4)
        return len + style_f(dst + len, d, n, x);
    return len + style_e(dst + len, d, n, x);
}

size_t sim_csvfmt_g15(char *dst, double v)
{
    size_t n = sim_csvfmt_g15_fast(dst, v);
    if (n)
        return n;
    if (v == 0) { /* "%.15g" of a zero: "0", or "-0" for -0 */
        if (signbit(v))
            *dst++ = '-';
        *dst = '0';
        return signbit(v) ? 2 : 1;
    }
    char tmp[SIM_CSV_NUM_MAX];
    int k = snprintf(tmp, sizeof tmp, "%.15g", v);
    if (k < 0 || (size_t)k >= sizeof tmp)
        return 0; /* cannot happen: 22 characters at most */
    memcpy(dst, tmp, (size_t)k);
    return (size_t)k;
}

size_t sim_csvfmt_f0_integral(char *dst, double v)
{
    /* An integral double prints under "%.0f" as its exact value; -0 prints
     * as "-0", which the integer path would lose. */
    const double two63 = 9223372036854775808.0; /* 2^63 */
    bool in_range = fabs(v) < two63;            /* false for NaN */
    if (!in_range || v != floor(v) || (v == 0 && signbit(v)))
        return 0;
    return sim_csvfmt_i64(dst, (long long)v);
}

void sim_csv_begin(sim_csv_row *row, FILE *f)
{
    row->f = f;
    row->len = 0;
}

void sim_csv_flush(sim_csv_row *row)
{
    if (row->len)
        fwrite(row->buf, 1, row->len, row->f);
    row->len = 0;
}

/* Makes room for n more bytes (n at most the buffer size). */
static void reserve(sim_csv_row *row, size_t n)
{
    if (row->len + n > sizeof row->buf)
        sim_csv_flush(row);
}

void sim_csv_text(sim_csv_row *row, const char *s, size_t n)
{
    if (n > sizeof row->buf / 2) {
        sim_csv_flush(row);
        fwrite(s, 1, n, row->f);
        return;
    }
    reserve(row, n);
    memcpy(row->buf + row->len, s, n);
    row->len += n;
}

void sim_csv_str(sim_csv_row *row, const char *s)
{
    sim_csv_text(row, s, strlen(s));
}

void sim_csv_u64(sim_csv_row *row, uint64_t v)
{
    reserve(row, SIM_CSV_NUM_MAX);
    row->len += sim_csvfmt_u64(row->buf + row->len, v);
}

void sim_csv_i64(sim_csv_row *row, long long v)
{
    reserve(row, SIM_CSV_NUM_MAX);
    row->len += sim_csvfmt_i64(row->buf + row->len, v);
}

void sim_csv_g15(sim_csv_row *row, double v)
{
    if (!isfinite(v))
        return;
    reserve(row, SIM_CSV_NUM_MAX);
    row->len += sim_csvfmt_g15(row->buf + row->len, v);
}

void sim_csv_g15_memo(sim_csv_row *row, sim_csv_memo *memo, double v)
{
    if (!isfinite(v))
        return;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    if (memo->len == 0 || memo->bits != bits) {
        memo->len = sim_csvfmt_g15(memo->text, v);
        memo->bits = bits;
    }
    sim_csv_text(row, memo->text, memo->len);
}

void sim_csv_f0(sim_csv_row *row, double v)
{
    if (!isfinite(v))
        return;
    reserve(row, SIM_CSV_NUM_MAX);
    size_t n = sim_csvfmt_f0_integral(row->buf + row->len, v);
    if (n) {
        row->len += n;
        return;
    }
    /* Not an integer, or beyond 2^63: up to 309 digits, printf's job. */
    char tmp[400];
    int m = snprintf(tmp, sizeof tmp, "%.0f", v);
    if (m > 0)
        sim_csv_text(row, tmp, (size_t)m < sizeof tmp ? (size_t)m : 0);
}

void sim_csv_end(sim_csv_row *row)
{
    sim_csv_char(row, '\n');
    sim_csv_flush(row);
}
