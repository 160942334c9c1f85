/* stats.h - summary statistics of one metric over replications (summary.csv).
 *
 * Every statistic comes from GSL (mean, sd, sort, quantiles, t and normal
 * quantiles). Quantiles use GSL's definition,
 * gsl_stats_quantile_from_sorted_data: linear interpolation between order
 * statistics at position (n - 1) f of the sorted data (R's type 7). */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sim_summary {
    char metric[SIM_STATS_METRIC_MAX];
    size_t n;                /* non-missing values */
    double mean, sd;         /* sd: sample sd (n-1); 0 when n < 2 */
    double ci95_lo, ci95_hi; /* 95% CI of the mean: Student t for measures;
                                Wilson score interval for proportions */
    double p05, p25, p50, p75, p95, min, max;
    bool proportion; /* values are 0/1 */
} sim_summary;

/* Summarizes x[0..n), skipping NaN (NaN = missing, e.g. "never happened").
 * work must hold n doubles (scratch, overwritten; may be NULL when n == 0);
 * x is not modified unless work is x itself, which is allowed: then the
 * summary needs no memory beyond x, and x is overwritten. The
 * statistics come from the non-missing values in x's order, sorted
 * ascending with -0.0 before +0.0: mean and sd sum them in that order. If proportion is true every non-missing
 * value must be 0 or 1 (else SIM_E_INTERNAL with a message); an infinite value
 * is SIM_E_NUMERIC, and a NULL or over-long metric name (SIM_STATS_METRIC_MAX
 * bytes or more) or a NULL argument is SIM_E_INTERNAL. With no non-missing
 * value, n = 0 and every statistic is NaN. With n >= 1 no statistic is NaN;
 * with n == 1, sd = 0 and the measure CI is [mean, mean]. Proportions: mean =
 * k/n exactly and the CI is Wilson's with z = gsl_cdf_ugaussian_Pinv(0.975).
 * Measures: mean +- t_{0.975, n-1} sd / sqrt(n). Returns 0; on error *out holds
 * the metric name (truncated) with n = 0 and NaN statistics. */
int sim_stats_summarize(const char *metric, const double *x, size_t n,
                        bool proportion, double *work, sim_summary *out,
                        sim_err *err);

/* Wilson score interval for k successes in n trials at normal quantile z
 * (Wilson 1927), clamped to [0, 1]: lo is 0 when k == 0 and hi is 1 when
 * k == n. Gives NaN for both when n == 0 or k > n. */
void sim_stats_wilson(size_t k, size_t n, double z, double *lo, double *hi);

/* Writes the summary.csv header line (with '\n'):
 *   metric,n,mean,sd,ci95_lo,ci95_hi,p05,p25,p50,p75,p95,min,max,type
 * Returns 0, or SIM_E_IO with a message if the write fails. */
int sim_stats_write_header(FILE *f, sim_err *err);

/* Writes one summary.csv row for s (with '\n'): numbers printed with
 * "%.15g", NaN and infinities as an empty field, type "proportion" or
 * "measure". The metric is written unquoted, so a name containing ',', '"',
 * CR or LF is refused with SIM_E_INTERNAL. Returns 0, or SIM_E_IO with a
 * message if a write fails (as far as ferror can tell before the caller
 * flushes or closes f). */
int sim_stats_write_row(FILE *f, const sim_summary *s, sim_err *err);

#ifdef __cplusplus
}
#endif

#endif
