/* sensitivity.h - sensitivity indices from a design's outputs.
 *
 * Sobol indices from Saltelli's design (design.h): first order by
 * Saltelli et al. (2010) table 2 (b), total order by Jansen (1999) (same
 * table, (f)), second order by Saltelli (2002) eq. 12 as SALib computes it;
 * the variance is that of the A and B outputs together. 95 % intervals from
 * a seeded bootstrap over the base samples (percentile intervals, GSL's
 * quantile of the sorted resamples). Indices are of groups (a factor
 * without a group is a group of one).
 *
 * Morris's elementary effects (Morris 1991) with Campolongo, Cariboni and
 * Saltelli's (2007) mu*: for each factor, the mean, mean absolute value and
 * standard deviation of its effects (y(after) - y(before)) / delta, delta
 * in unit-cube terms (the factor's whole range is 1). */
#ifndef SIM_SENSITIVITY_H
#define SIM_SENSITIVITY_H

#include <stdbool.h>
#include <stdint.h>

#include "design.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An estimate with its 95 % bootstrap interval. */
typedef struct sim_index {
    double est, lo, hi;
} sim_index;

typedef struct sim_sobol_opts {
    int bootstrap; /* resamples; 0 = no intervals (lo = hi = NaN) */
    uint64_t seed; /* of the resampling */
} sim_sobol_opts;

typedef struct sim_sobol_result {
    int ngroups;
    long n;          /* base samples used */
    double variance; /* of the outputs at A and B */
    sim_index s1[SIM_SOBOL_MAX_FACTORS];
    sim_index st[SIM_SOBOL_MAX_FACTORS];
    bool second_order;
    /* [i][j], i < j; the rest unused */
    sim_index s2[SIM_SOBOL_MAX_FACTORS][SIM_SOBOL_MAX_FACTORS];
} sim_sobol_result;

/* Sobol indices of the groups of sobol design d from y, its output at each
 * point (d->npoints values in design order), using the first n base
 * samples (n <= d->opts.samples; a prefix of a Sobol sequence is itself
 * one, which the convergence table uses). Second order if the design has
 * the BA points. Returns 0; SIM_E_USAGE if d is not a sobol design or n is
 * out of range, SIM_E_NUMERIC if a y is not finite or the outputs do not
 * vary (zero variance: no index is defined), SIM_E_NOMEM. */
int sim_sobol_indices(const sim_design *d, const double *y, long n,
                      const sim_sobol_opts *o, sim_sobol_result *out,
                      sim_err *err);

/* True if the index's interval covers zero (indistinguishable from it). */
bool sim_index_covers_zero(const sim_index *x);

typedef struct sim_morris_factor {
    double mu, mu_star, sigma; /* sigma: sample sd (r - 1); 0 when r = 1 */
} sim_morris_factor;

typedef struct sim_morris_result {
    int nfactors;
    long trajectories;
    double delta; /* p / (2 (p - 1)) */
    sim_morris_factor f[SIM_DESIGN_MAX_FACTORS];
} sim_morris_result;

/* Morris measures of each factor of morris design d from its outputs y.
 * Returns 0, SIM_E_USAGE if d is not a morris design, SIM_E_NUMERIC if a y
 * is not finite. */
int sim_morris_indices(const sim_design *d, const double *y,
                       sim_morris_result *out, sim_err *err);

#ifdef __cplusplus
}
#endif

#endif
