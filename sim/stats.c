/* stats.c - summary statistics over replications and the summary.csv writer. */
#include <sanctionsim/stats.h>

#include "stats_impl.h"
#include "stats_sort.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Statistics of an empty sample: n = 0, everything NaN. */
static void set_missing(sim_summary *s)
{
    s->n = 0;
    s->mean = s->sd = s->ci95_lo = s->ci95_hi = NAN;
    s->p05 = s->p25 = s->p50 = s->p75 = s->p95 = NAN;
    s->min = s->max = NAN;
}

/* Copies name into dst (truncating; dst always NUL-terminated). */
static void copy_name(char dst[SIM_STATS_METRIC_MAX], const char *name)
{
    snprintf(dst, SIM_STATS_METRIC_MAX, "%s", name ? name : "");
}

void sim_stats_wilson(size_t k, size_t n, double z, double *lo, double *hi)
{
    if (n == 0 || k > n) {
        *lo = *hi = NAN;
        return;
    }
    /* Wilson (1927):
     * (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n). */
    double nn = (double)n, p = (double)k / nn, z2 = z * z;
    double denom = 1.0 + z2 / nn;
    double center = (p + z2 / (2.0 * nn)) / denom;
    double half =
        fabs(z) / denom * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
    double l = center - half, h = center + half;
    /* The bounds are exactly 0 at k == 0 and 1 at k == n; rounding could put
     * them a hair outside [0, 1]. */
    if (k == 0 || l < 0.0)
        l = 0.0;
    if (k == n || h > 1.0)
        h = 1.0;
    *lo = l;
    *hi = h;
}

int sim_stats_check_value(const char *metric, double v, size_t i,
                          bool proportion, sim_err *err)
{
    if (isinf(v))
        return sim_error(err, SIM_E_NUMERIC, "metric %s: value %zu is infinite",
                         metric, i);
    if (proportion && v != 0.0 && v != 1.0 && !isnan(v))
        return sim_error(err, SIM_E_INTERNAL,
                         "metric %s: value %zu is %g, but a proportion "
                         "takes only 0 or 1",
                         metric, i, v);
    return SIM_OK;
}

int sim_stats_summarize(const char *metric, const double *x, size_t n,
                        bool proportion, double *work, sim_summary *out,
                        sim_err *err)
{
    if (!out)
        return sim_error(err, SIM_E_INTERNAL,
                         "sim_stats_summarize: out is NULL");
    copy_name(out->metric, metric);
    out->proportion = proportion;
    set_missing(out);
    if (!metric)
        return sim_error(err, SIM_E_INTERNAL,
                         "sim_stats_summarize: metric name is NULL");
    if (strlen(metric) >= SIM_STATS_METRIC_MAX)
        return sim_error(err, SIM_E_INTERNAL,
                         "metric name '%s' is longer than %d characters",
                         metric, SIM_STATS_METRIC_MAX - 1);
    if (n > 0 && (!x || !work))
        return sim_error(err, SIM_E_INTERNAL,
                         "metric %s: NULL data or work array", metric);

    /* Copy the non-missing values into work; k counts the ones. work may be
     * x: value i moves to m <= i, after it has been read. */
    size_t m = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        if (isnan(v))
            continue;
        int rc = sim_stats_check_value(metric, v, i, proportion, err);
        if (rc)
            return rc;
        if (v == 1.0)
            k++;
        work[m++] = v;
    }
    if (m == 0)
        return SIM_OK;

    sim_stats_sort(work, m);
    double mean =
        proportion ? (double)k / (double)m : gsl_stats_mean(work, 1, m);
    out->n = m;
    out->mean = mean;
    out->sd = m >= 2 ? gsl_stats_sd_m(work, 1, m, mean) : 0.0;

    /* GSL's quantile: linear interpolation at position (n - 1) f of the
     * sorted data (Hyndman & Fan type 7, R's default). */
    out->p05 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.05);
    out->p25 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.25);
    out->p50 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.50);
    out->p75 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.75);
    out->p95 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.95);
    /* The data are sorted, so the extremes are the end points. */
    out->min = work[0];
    out->max = work[m - 1];
    sim_stats_finish(out, k);
    return SIM_OK;
}

/* gsl_sort, then the run of zeros put in the order -0.0 before +0.0. */
static void comparison_sort(double *x, size_t n)
{
    gsl_sort(x, 1, n);
    /* -0.0 == 0.0, so the heapsort leaves the zeros' signs in an order
     * that depends on the whole array; put the negative ones first, as
     * IEEE 754's totalOrder does, so that the order is one and the same
     * however the values are sorted (one array or merged runs). */
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first value >= 0 */
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < 0.0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo, neg = 0;
    for (; end < n && x[end] == 0.0; end++)
        neg += signbit(x[end]) != 0;
    for (size_t i = lo; i < end; i++)
        x[i] = i - lo < neg ? -0.0 : 0.0;
}

/* A double's bits mapped so that unsigned order is the order of the
 * non-NaN doubles with -0.0 before +0.0: negative values have every bit
 * flipped, the others the sign bit set. */
static uint64_t order_key(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static double key_value(uint64_t k)
{
    uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* Below this many values the comparison sort is the faster. */
#define RADIX_MIN 256

/* One pass counts all eight bytes, then one stable scatter per byte
 * that is not the same in every key. */
void sim_stats_sort(double *x, size_t n)
{
    uint64_t *a = n >= RADIX_MIN ? malloc(2 * n * sizeof *a) : NULL;
    if (!a) { /* few values, or no memory for the keys: the same order */
        comparison_sort(x, n);
        return;
    }
    uint64_t *b = a + n;
    size_t count[8][256] = {{0}};
    for (size_t i = 0; i < n; i++) {
        uint64_t k = order_key(x[i]);
        a[i] = k;
        for (int d = 0; d < 8; d++)
            count[d][(k >> (8 * d)) & 0xff]++;
    }
    for (int d = 0; d < 8; d++) {
        size_t *c = count[d];
        if (c[(a[0] >> (8 * d)) & 0xff] == n)
            continue; /* every key has this byte: the pass moves nothing */
        size_t sum = 0;
        for (int j = 0; j < 256; j++) {
            size_t t = c[j];
            c[j] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            b[c[(a[i] >> (8 * d)) & 0xff]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = key_value(a[i]);
    free(a < b ? a : b);
}

void sim_stats_finish(sim_summary *out, size_t k)
{
    size_t m = out->n;
    if (out->proportion) {
        sim_stats_wilson(k, m, gsl_cdf_ugaussian_Pinv(0.975), &out->ci95_lo,
                         &out->ci95_hi);
    } else if (m == 1) {
        /* One value: no spread to estimate, the interval collapses. */
        out->ci95_lo = out->ci95_hi = out->mean;
    } else {
        double t = gsl_cdf_tdist_Pinv(0.975, (double)(m - 1));
        double half = t * out->sd / sqrt((double)m);
        out->ci95_lo = out->mean - half;
        out->ci95_hi = out->mean + half;
    }
}

int sim_stats_write_header(FILE *f, sim_err *err)
{
    if (fputs("metric,n,mean,sd,ci95_lo,ci95_hi,p05,p25,p50,p75,p95,min,max,"
              "type\n",
              f) < 0 ||
        ferror(f))
        return sim_error(err, SIM_E_IO, "cannot write summary.csv header: %s",
                         SIM_ERRNO_TEXT(errno));
    return SIM_OK;
}

/* Writes ",v" with "%.15g", or just "," when v is NaN or infinite. Returns
 * a negative value on a write error. */
static int put_number(FILE *f, double v)
{
    if (!isfinite(v))
        return fputc(',', f) == EOF ? -1 : 0;
    /* + 0.0 turns -0 into 0, so the file never shows "-0". */
    return fprintf(f, ",%.15g", v + 0.0);
}

int sim_stats_write_row(FILE *f, const sim_summary *s, sim_err *err)
{
    if (!memchr(s->metric, '\0', sizeof s->metric))
        return sim_error(err, SIM_E_INTERNAL,
                         "summary metric name is not NUL-terminated");
    if (strpbrk(s->metric, ",\"\r\n"))
        return sim_error(err, SIM_E_INTERNAL,
                         "metric name '%s' would need CSV quoting", s->metric);

    const double v[] = {s->mean, s->sd,  s->ci95_lo, s->ci95_hi, s->p05, s->p25,
                        s->p50,  s->p75, s->p95,     s->min,     s->max};
    int bad = fprintf(f, "%s,%zu", s->metric, s->n) < 0;
    for (size_t i = 0; !bad && i < sizeof v / sizeof v[0]; i++)
        bad = put_number(f, v[i]) < 0;
    if (!bad)
        bad = fprintf(f, ",%s\n", s->proportion ? "proportion" : "measure") < 0;
    if (bad || ferror(f))
        return sim_error(err, SIM_E_IO,
                         "cannot write summary.csv row for %s: %s", s->metric,
                         SIM_ERRNO_TEXT(errno));
    return SIM_OK;
}
