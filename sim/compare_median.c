/* compare_median.c - the median difference of compare.h with its
 * percentile bootstrap interval (Efron and Tibshirani, An Introduction to
 * the Bootstrap, 1993, section 13.3), from a generator seeded fixedly so
 * that the interval is reproducible. */
#include <sanctionsim/compare.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* Median of x[0..n) (reordered in place: gsl_stats_median selects). */
static double median_of(double *x, size_t n)
{
    return gsl_stats_median(x, 1, n);
}

/* One bootstrap resample of src[0..n) into dst, and its median. */
static double resample_median(const gsl_rng *g, const double *src, size_t n,
                              double *dst)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[gsl_rng_uniform_int(g, n)];
    return median_of(dst, n);
}

int sim_compare_median_boot(const double *a, size_t na, const double *b,
                            size_t nb, unsigned resamples, unsigned long seed,
                            double level, sim_compare_est *out, sim_err *err)
{
    out->estimate = out->lo = out->hi = out->statistic = out->p = NAN;
    bool paired = b == NULL;
    if (na == 0 || (!paired && nb == 0))
        return 0;
    sim_error_quiet_gsl();
    size_t nmax = paired || na > nb ? na : nb;
    double *work = malloc(nmax * sizeof *work);
    double *stat = malloc((resamples ? resamples : 1) * sizeof *stat);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = 0;
    if (!work || !stat || !g) {
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        goto done;
    }
    gsl_rng_set(g, seed);
    memcpy(work, a, na * sizeof *work);
    double ma = median_of(work, na), mb = 0;
    if (!paired) {
        memcpy(work, b, nb * sizeof *work);
        mb = median_of(work, nb);
    }
    out->estimate = paired ? ma : mb - ma;
    if (resamples == 0)
        goto done;
    for (unsigned r = 0; r < resamples; r++) {
        double s = resample_median(g, a, na, work);
        if (!paired)
            s = resample_median(g, b, nb, work) - s;
        stat[r] = s;
    }
    gsl_sort(stat, 1, resamples);
    double alpha = (1 - level) / 2;
    out->lo = gsl_stats_quantile_from_sorted_data(stat, 1, resamples, alpha);
    out->hi =
        gsl_stats_quantile_from_sorted_data(stat, 1, resamples, 1 - alpha);
done:
    free(work);
    free(stat);
    gsl_rng_free(g);
    return rc;
}
