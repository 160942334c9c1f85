/* spill_summary.h - the exact summary of one metric of finished spills,
 * in memory bounded by a budget, whatever the number of replications.
 *
 * The result is bitwise the one sim_stats_summarize gives on all the
 * values in one array (stats.h): the same checks in row order, the same
 * sort, the same statistics. Up to `budget` values are summarized in
 * memory by sim_stats_summarize itself. Beyond, an external merge sort:
 * the values are read in chunks of `budget` doubles, each chunk's
 * non-missing values sorted (sim_stats_sort) and written as a sorted run
 * to a private, unlinked temporary file in tmpdir; two k-way merges of the
 * runs then stream the sorted values, the first for the mean and the
 * order statistics of the quantiles (positions as
 * gsl_stats_quantile_from_sorted_data takes them), the second for the
 * variance, with the recurrences and long double accumulators of GSL 2.7's
 * gsl_stats_mean and gsl_stats_sd_m. Memory: the budget, plus one cursor
 * and at least one double per run (runs = values / budget). */
#ifndef SIM_SPILL_SUMMARY_H
#define SIM_SPILL_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "spill.h"
#include <sanctionsim/stats.h>

/* Doubles a summary holds at once by default: 2 MiB. A build may set
 * another (-DSIM_SUMMARY_BUDGET=100 sends every batch of more than 100
 * replications through the external sort, to compare its summary.csv). */
#ifndef SIM_SUMMARY_BUDGET
#define SIM_SUMMARY_BUDGET ((size_t)1 << 18)
#endif

/* Summarizes metric m (named metric, a proportion or not) of the finished
 * spills src[0..nsrc), their rows taken one after the other as one
 * sequence (a value's index in messages counts from the first row of
 * src[0]), into *out, as sim_stats_summarize would on that sequence.
 * budget: doubles held at once (0 for SIM_SUMMARY_BUDGET; less than 2
 * counts as 2). tmpdir: the directory of the temporary sort file, created
 * only when the values exceed the budget. Every source must hold metric
 * m; sources loaded from saved files must agree on its name. Returns 0;
 * the errors of sim_stats_summarize (an infinite value, a proportion
 * neither 0 nor 1, a bad metric name); SIM_E_IO naming the file if a
 * spill cannot be read or the sort file cannot be created, written or
 * read; SIM_E_NOMEM; SIM_E_USAGE if saved sources name metric m
 * differently; SIM_E_INTERNAL for a missing metric or a NULL argument. On
 * error *out holds the metric name with n = 0 and NaN statistics. */
int sim_spill_summarize(sim_spill *const *src, size_t nsrc, int m,
                        const char *metric, bool proportion,
                        const char *tmpdir, size_t budget, sim_summary *out,
                        sim_err *err);

#endif
