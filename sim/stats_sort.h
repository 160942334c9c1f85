/* stats_sort.h - PRIVATE to sim/stats.c, sim/spill_summary.c and
 * tests/test_stats_sort.c: the exact sort of a summary's values. */
#ifndef SIM_STATS_SORT_H
#define SIM_STATS_SORT_H

#include <stddef.h>

/* Sorts x[0..n) (no NaN) ascending, with -0.0 before +0.0: the array
 * gsl_sort gives with the run of zeros put in that order (a radix sort of
 * the order-preserving bit patterns, or below a few hundred values or
 * without memory gsl_sort itself). Equal values are then bitwise equal
 * neighbours, so every sort gives the same array. */
void sim_stats_sort(double *x, size_t n);

#endif
