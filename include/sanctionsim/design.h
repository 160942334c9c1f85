/* design.h - designs of experiments: which values of the factors to run.
 *
 * A factor is a scenario key (or, for the dummy factor and for tests, no
 * key) with a list of values, a range or a distribution. A design is a
 * table of points, each a value of every factor, built in two steps: a
 * point in the unit cube [0, 1)^k, then each coordinate mapped to the
 * factor's value (sim_factor_value). Designs that draw at random take a
 * seed and use the project's random streams (rng.h), so a design is
 * reproducible from (type, factors, samples, seed).
 *
 *   full_factorial  every combination of every factor's levels
 *   lhs             Latin hypercube of `samples` points (McKay, Beckman and
 *                   Conover 1979); with maximin > 1, the best of that many
 *                   by the largest smallest distance between two points
 *   monte_carlo     `samples` independent uniform points
 *   sobol           Saltelli's design (Saltelli et al. 2010) on GSL's Sobol
 *                   sequence (gsl_qrng_sobol): for each of `samples` base
 *                   samples j, the points A_j, B_j, AB_j^g for each group g
 *                   (A with group g's columns from B) and, for second-order
 *                   indices, BA_j^g: N(G + 2) or N(2G + 2) points
 *   morris          `samples` elementary-effects trajectories (Morris 1991)
 *                   on a grid of `levels` (even) levels: k + 1 points each,
 *                   one factor moving by p / (2 (p - 1)) per step */
#ifndef SIM_DESIGN_H
#define SIM_DESIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIM_DESIGN_MAX_FACTORS 64
#define SIM_DESIGN_MAX_VALUES 32
/* gsl_qrng_sobol's dimensions: two per factor (the A and B matrices). */
#define SIM_SOBOL_MAX_DIMENSION 40
#define SIM_SOBOL_MAX_FACTORS (SIM_SOBOL_MAX_DIMENSION / 2)
/* The largest design, in points. */
#define SIM_DESIGN_MAX_POINTS 10000000L

typedef enum sim_factor_kind {
    SIM_FACTOR_VALUES, /* one of a list: each equally likely */
    SIM_FACTOR_RANGE,  /* [lo, hi], uniform (or log-uniform) */
    SIM_FACTOR_DIST    /* a distribution, by its quantile function */
} sim_factor_kind;

/* X-macro: distributions of a factor: enum suffix, name, the names of
 * their two parameters. Quantiles from GSL's gsl_cdf_*_Pinv. */
#define SIM_FACTOR_DISTS(X)                                                   \
    X(NORMAL, "normal", "mean", "sd")                                         \
    X(LOGNORMAL, "lognormal", "zeta", "sigma")                                \
    X(BETA, "beta", "a", "b")                                                 \
    X(GAMMA, "gamma", "shape", "scale")

typedef enum sim_factor_dist {
#define SIM_FACTOR_DIST_ENUM(id, name, p0, p1) SIM_FACTOR_DIST_##id,
    SIM_FACTOR_DISTS(SIM_FACTOR_DIST_ENUM)
#undef SIM_FACTOR_DIST_ENUM
        SIM_N_FACTOR_DISTS
} sim_factor_dist;

typedef struct sim_factor {
    char name[SIM_NAME_MAX]; /* column of design.csv */
    char key[SIM_PATH_MAX];  /* scenario key; "" = none (the dummy) */
    sim_factor_kind kind;
    int nvalues;                          /* VALUES */
    double value[SIM_DESIGN_MAX_VALUES];  /* VALUES */
    double lo, hi;                        /* RANGE */
    bool log;                             /* RANGE: log-uniform (lo > 0) */
    int levels;   /* RANGE in full_factorial: evenly spaced levels, >= 2 */
    sim_factor_dist dist;                 /* DIST */
    double p[2];                          /* DIST parameters */
    bool integer; /* values rounded to whole numbers */
    bool boolean; /* VALUES of a boolean key: 0 is false, 1 true */
    int group;    /* 0-based group (sobol); each factor its own if unset */
} sim_factor;

#define SIM_DESIGNS(X)                                                        \
    X(FULL_FACTORIAL, "full_factorial")                                       \
    X(LHS, "lhs")                                                             \
    X(MONTE_CARLO, "monte_carlo")                                             \
    X(SOBOL, "sobol")                                                         \
    X(MORRIS, "morris")

typedef enum sim_design_type {
#define SIM_DESIGN_ENUM(id, name) SIM_DESIGN_##id,
    SIM_DESIGNS(SIM_DESIGN_ENUM)
#undef SIM_DESIGN_ENUM
        SIM_N_DESIGNS
} sim_design_type;

typedef struct sim_design_opts {
    sim_design_type type;
    long samples;      /* lhs, monte_carlo: points; sobol: N (a power of
                          two); morris: trajectories; unused by
                          full_factorial */
    bool second_order; /* sobol: add the BA points */
    int levels;        /* morris: grid levels, even, >= 2 */
    int maximin;       /* lhs: candidate designs to pick from (<= 1: one) */
    uint64_t seed;     /* lhs, monte_carlo, morris */
} sim_design_opts;

/* A built design: npoints rows of nfactors values. */
typedef struct sim_design {
    sim_design_opts opts;
    int nfactors;
    int ngroups; /* sobol: the groups the indices are of */
    int group[SIM_DESIGN_MAX_FACTORS];
    long npoints;
    double *u; /* npoints x nfactors: the unit-cube points (owned) */
    double *x; /* npoints x nfactors: the factors' values (owned) */
} sim_design;

/* Name of a design type ("sobol"), and the type named `name`. */
const char *sim_design_name(sim_design_type type);
bool sim_design_lookup(const char *name, sim_design_type *type);

/* Name of a factor distribution, the type named `name`, and the names of
 * its parameters. */
const char *sim_factor_dist_name(sim_factor_dist d);
bool sim_factor_dist_lookup(const char *name, sim_factor_dist *d);
const char *sim_factor_dist_param(sim_factor_dist d, int i);

/* The value of factor f at unit coordinate u in [0, 1]: VALUES the
 * floor(u n)-th of n (the last at u = 1), RANGE lo + (hi - lo) u (on the
 * log scale if log), DIST its quantile at u kept inside (0, 1); rounded if
 * integer. */
double sim_factor_value(const sim_factor *f, double u);

/* Checks factor f: a list of 1 to SIM_DESIGN_MAX_VALUES finite values, a
 * finite range with lo < hi (lo > 0 for log), valid distribution
 * parameters. Returns 0 or SIM_E_USAGE with a message naming the factor. */
int sim_factor_check(const sim_factor *f, sim_err *err);

/* The number of points the design of o over factors[0..k) has, counting
 * groups as the factors' `group` fields give them; -1 if it cannot be
 * built (the reason comes from sim_design_build). */
long sim_design_points(const sim_design_opts *o, const sim_factor *factors,
                       int k);

/* Builds the design of o over factors[0..k) into *d (free with
 * sim_design_free, also after a failure). Refuses (SIM_E_USAGE, with the
 * reason): no factor or more than SIM_DESIGN_MAX_FACTORS; sobol with N
 * not a power of two, or more than SIM_SOBOL_MAX_FACTORS factors (two
 * Sobol dimensions each, groups or not); morris with an odd number of
 * levels; a full factorial over a distribution; a design of more than
 * SIM_DESIGN_MAX_POINTS points. Groups must be numbered 0..G-1 with none
 * empty. */
int sim_design_build(sim_design *d, const sim_factor *factors, int k,
                     const sim_design_opts *o, sim_err *err);

void sim_design_free(sim_design *d);

/* Rows of one sobol base sample: 2 + G, or 2 + 2G with second order. The
 * row of base sample j is j * stride + 0 (A), 1 (B), 2 + g (AB^g) and
 * 2 + G + g (BA^g). */
int sim_design_sobol_stride(const sim_design *d);

#ifdef __cplusplus
}
#endif

#endif
