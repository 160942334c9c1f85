/* dist.h - the probability distributions a scenario can give a shock.
 *
 * A distribution is a type and up to two parameters, named per type in the
 * table below (the scenario keys). Draws come from GSL's randist functions.
 * A state-dependent multiplier m >= 0 scales a distribution's mean (drones
 * while exercises are on, arrests as the going price rises, Moscow's hazard
 * as Minsk gains relief); how each type is scaled is stated in
 * sim_dist_draw. */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: enum suffix, scenario name, number of parameters, whether draws
 * are integers. */
#define SIM_DISTS(X)                                                          \
    X(POISSON, "poisson", 1, true)                                            \
    X(BERNOULLI, "bernoulli", 1, true)                                        \
    X(BINOMIAL, "binomial", 2, true)                                          \
    X(NEGATIVE_BINOMIAL, "negative_binomial", 2, true)                        \
    X(GAMMA, "gamma", 2, false)                                               \
    X(LOGNORMAL, "lognormal", 2, false)                                       \
    X(BETA, "beta", 2, false)                                                 \
    X(UNIFORM, "uniform", 2, false)                                           \
    X(FIXED, "fixed", 1, false)

typedef enum sim_dist_type {
#define SIM_DIST_ENUM(id, name, np, integer) SIM_DIST_##id,
    SIM_DISTS(SIM_DIST_ENUM)
#undef SIM_DIST_ENUM
        SIM_N_DISTS
} sim_dist_type;

#define SIM_DIST_MAX_PARAMS 2

/* One parameter of a distribution type: its scenario key and valid range. */
typedef struct sim_dist_param {
    const char *name;
    double min, max; /* inclusive bounds */
    double def;      /* default when the key is omitted */
    bool integer;    /* must be a whole number */
    const char *doc;
} sim_dist_param;

typedef struct sim_dist {
    sim_dist_type type;
    double p[SIM_DIST_MAX_PARAMS];
} sim_dist;

/* Scenario name of a type ("poisson"). */
const char *sim_dist_name(sim_dist_type type);

/* Type named `name`; returns false if there is none. */
bool sim_dist_lookup(const char *name, sim_dist_type *type);

/* Number of parameters of a type, and the description of parameter i. */
int sim_dist_nparams(sim_dist_type type);
const sim_dist_param *sim_dist_param_info(sim_dist_type type, int i);

/* A distribution of `type` with every parameter at its default. */
sim_dist sim_dist_default(sim_dist_type type);

/* Checks parameter values against the ranges and cross-constraints
 * (uniform low <= high). Returns the index of the offending parameter, or -1
 * if all are valid; *why says what is wrong. */
int sim_dist_invalid(const sim_dist *d, const char **why);

/* One draw with the mean scaled by m >= 0:
 *   poisson: mean*m;  bernoulli, binomial: p*m capped at 1;
 *   negative_binomial: n*m (GSL's real-valued n);  gamma: scale*m;
 *   lognormal: zeta + ln m;  beta, uniform, fixed: the draw times m.
 * m == 0 gives 0 for every type. */
double sim_dist_draw(const sim_dist *d, gsl_rng *r, double m);

/* Exact mean and variance of sim_dist_draw(d, r, 1). */
double sim_dist_mean(const sim_dist *d);
double sim_dist_variance(const sim_dist *d);

/* True if draws are whole numbers. */
bool sim_dist_is_integer(sim_dist_type type);

#ifdef __cplusplus
}
#endif

#endif
