/* stats_impl.h - what stats.c shares with the summary of a spill
 * (spill_summary.c), so that both give the same summary bit for bit. */
#ifndef SIM_STATS_IMPL_H
#define SIM_STATS_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <sanctionsim/stats.h>

/* Checks value v (index i of metric metric's values, NaN allowed) as
 * sim_stats_summarize does: SIM_E_NUMERIC if it is infinite,
 * SIM_E_INTERNAL if proportion is true and it is neither 0 nor 1, with
 * the same messages; else 0. */
int sim_stats_check_value(const char *metric, double v, size_t i,
                          bool proportion, sim_err *err);

/* Sets out's 95 % interval from out->n (>= 1), out->mean, out->sd and
 * out->proportion, with k values equal to 1 for a proportion: Wilson's
 * interval for proportions, Student's t otherwise (stats.h). */
void sim_stats_finish(sim_summary *out, size_t k);

#endif
