/* dist.c - shock distributions on top of GSL's randist. */
#include <sanctionsim/dist.h>

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

/* Parameters per type, in the order of sim_dist.p. */
static const sim_dist_param params[SIM_N_DISTS][SIM_DIST_MAX_PARAMS] = {
    [SIM_DIST_POISSON] = {{"mean", 0, 1e6, 1, false, "mean count per round"}},
    [SIM_DIST_BERNOULLI] = {{"p", 0, 1, 0.5, false,
                             "probability of one event in a round"}},
    [SIM_DIST_BINOMIAL] = {{"p", 0, 1, 0.5, false,
                            "success probability per trial"},
                           {"n", 0, 1e6, 1, true, "number of trials"}},
    [SIM_DIST_NEGATIVE_BINOMIAL] =
        {{"p", 1e-9, 1, 0.5, false, "success probability"},
         {"n", 1e-9, 1e6, 1, false, "size (may be fractional)"}},
    [SIM_DIST_GAMMA] = {{"shape", 1e-9, 1e6, 1, false, "shape k"},
                        {"scale", 0, 1e6, 1, false, "scale theta"}},
    [SIM_DIST_LOGNORMAL] = {{"zeta", -50, 50, 0, false,
                             "mean of the underlying normal"},
                            {"sigma", 0, 50, 1, false,
                             "sd of the underlying normal"}},
    [SIM_DIST_BETA] = {{"a", 1e-9, 1e6, 1, false, "first shape"},
                       {"b", 1e-9, 1e6, 1, false, "second shape"}},
    [SIM_DIST_UNIFORM] = {{"low", -1e9, 1e9, 0, false, "lower bound"},
                          {"high", -1e9, 1e9, 1, false, "upper bound"}},
    [SIM_DIST_FIXED] = {{"value", -1e9, 1e9, 0, false,
                         "the value every round"}},
};

static const char *const names[SIM_N_DISTS] = {
#define SIM_DIST_NAME(id, name, np, integer) name,
    SIM_DISTS(SIM_DIST_NAME)
#undef SIM_DIST_NAME
};
static const int nparams[SIM_N_DISTS] = {
#define SIM_DIST_NP(id, name, np, integer) np,
    SIM_DISTS(SIM_DIST_NP)
#undef SIM_DIST_NP
};
static const bool integer_draws[SIM_N_DISTS] = {
#define SIM_DIST_INT(id, name, np, integer) integer,
    SIM_DISTS(SIM_DIST_INT)
#undef SIM_DIST_INT
};

const char *sim_dist_name(sim_dist_type type)
{
    return (unsigned)type < SIM_N_DISTS ? names[type] : "?";
}

bool sim_dist_lookup(const char *name, sim_dist_type *type)
{
    for (int i = 0; i < SIM_N_DISTS; i++)
        if (strcmp(names[i], name) == 0) {
            *type = (sim_dist_type)i;
            return true;
        }
    return false;
}

int sim_dist_nparams(sim_dist_type type) { return nparams[type]; }

const sim_dist_param *sim_dist_param_info(sim_dist_type type, int i)
{
    return (i >= 0 && i < nparams[type]) ? &params[type][i] : NULL;
}

bool sim_dist_is_integer(sim_dist_type type) { return integer_draws[type]; }

sim_dist sim_dist_default(sim_dist_type type)
{
    sim_dist d = {.type = type};
    for (int i = 0; i < nparams[type]; i++)
        d.p[i] = params[type][i].def;
    return d;
}

int sim_dist_invalid(const sim_dist *d, const char **why)
{
    for (int i = 0; i < nparams[d->type]; i++) {
        const sim_dist_param *pi = &params[d->type][i];
        double v = d->p[i];
        if (!isfinite(v)) {
            *why = "must be a finite number";
            return i;
        }
        if (v < pi->min || v > pi->max) {
            *why = "is out of range";
            return i;
        }
        if (pi->integer && v != floor(v)) {
            *why = "must be a whole number";
            return i;
        }
    }
    if (d->type == SIM_DIST_UNIFORM && d->p[0] > d->p[1]) {
        *why = "must not exceed high";
        return 0;
    }
    return -1;
}

double sim_dist_draw(const sim_dist *d, gsl_rng *r, double m)
{
    const double *p = d->p;
    if (!(m > 0))
        return 0.0;
    switch (d->type) {
    case SIM_DIST_POISSON:
        return (double)gsl_ran_poisson(r, p[0] * m);
    case SIM_DIST_BERNOULLI:
        return (double)gsl_ran_bernoulli(r, fmin(1.0, p[0] * m));
    case SIM_DIST_BINOMIAL:
        return (double)gsl_ran_binomial(r, fmin(1.0, p[0] * m),
                                        (unsigned)p[1]);
    case SIM_DIST_NEGATIVE_BINOMIAL:
        return (double)gsl_ran_negative_binomial(r, p[0], p[1] * m);
    case SIM_DIST_GAMMA:
        return gsl_ran_gamma(r, p[0], p[1] * m);
    case SIM_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, p[0] + log(m), p[1]);
    case SIM_DIST_BETA:
        return m * gsl_ran_beta(r, p[0], p[1]);
    case SIM_DIST_UNIFORM:
        return m * gsl_ran_flat(r, p[0], p[1]);
    case SIM_DIST_FIXED:
        return m * p[0];
    case SIM_N_DISTS:
        break;
    }
    return 0.0;
}

double sim_dist_mean(const sim_dist *d)
{
    const double *p = d->p;
    switch (d->type) {
    case SIM_DIST_POISSON:   /* mean p[0] = lambda */
    case SIM_DIST_BERNOULLI: /* mean p[0] = p */
        return p[0];
    case SIM_DIST_BINOMIAL:
        return p[0] * p[1];
    case SIM_DIST_NEGATIVE_BINOMIAL:
        return p[1] * (1 - p[0]) / p[0];
    case SIM_DIST_GAMMA:
        return p[0] * p[1];
    case SIM_DIST_LOGNORMAL:
        return exp(p[0] + 0.5 * p[1] * p[1]);
    case SIM_DIST_BETA:
        return p[0] / (p[0] + p[1]);
    case SIM_DIST_UNIFORM:
        return 0.5 * (p[0] + p[1]);
    case SIM_DIST_FIXED:
        return p[0];
    case SIM_N_DISTS:
        break;
    }
    return 0.0;
}

double sim_dist_variance(const sim_dist *d)
{
    const double *p = d->p;
    switch (d->type) {
    case SIM_DIST_POISSON:
        return p[0];
    case SIM_DIST_BERNOULLI:
        return p[0] * (1 - p[0]);
    case SIM_DIST_BINOMIAL:
        return p[1] * p[0] * (1 - p[0]);
    case SIM_DIST_NEGATIVE_BINOMIAL:
        return p[1] * (1 - p[0]) / (p[0] * p[0]);
    case SIM_DIST_GAMMA:
        return p[0] * p[1] * p[1];
    case SIM_DIST_LOGNORMAL:
        return (exp(p[1] * p[1]) - 1) * exp(2 * p[0] + p[1] * p[1]);
    case SIM_DIST_BETA: {
        double s = p[0] + p[1];
        return p[0] * p[1] / (s * s * (s + 1));
    }
    case SIM_DIST_UNIFORM:
        return (p[1] - p[0]) * (p[1] - p[0]) / 12.0;
    case SIM_DIST_FIXED:
        return 0.0;
    case SIM_N_DISTS:
        break;
    }
    return 0.0;
}
