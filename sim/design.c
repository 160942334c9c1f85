/* design.c - factors and the designs that need no special sequence: full
 * factorial, Latin hypercube (optionally maximin) and Monte Carlo. The
 * Sobol and Morris designs are in design_sobol.c. */
#include <sanctionsim/design.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "design_impl.h"
#include <sanctionsim/rng.h>

static const char *const design_names[] = {
#define SIM_DESIGN_NAME(id, name) name,
    SIM_DESIGNS(SIM_DESIGN_NAME)
#undef SIM_DESIGN_NAME
};

static const char *const dist_names[][3] = {
#define SIM_FACTOR_DIST_NAME(id, name, p0, p1) {name, p0, p1},
    SIM_FACTOR_DISTS(SIM_FACTOR_DIST_NAME)
#undef SIM_FACTOR_DIST_NAME
};

const char *sim_design_name(sim_design_type type)
{
    return (unsigned)type < SIM_N_DESIGNS ? design_names[type] : "?";
}

bool sim_design_lookup(const char *name, sim_design_type *type)
{
    for (int i = 0; i < SIM_N_DESIGNS; i++)
        if (strcmp(name, design_names[i]) == 0) {
            *type = (sim_design_type)i;
            return true;
        }
    return false;
}

const char *sim_factor_dist_name(sim_factor_dist d)
{
    return (unsigned)d < SIM_N_FACTOR_DISTS ? dist_names[d][0] : "?";
}

bool sim_factor_dist_lookup(const char *name, sim_factor_dist *d)
{
    for (int i = 0; i < SIM_N_FACTOR_DISTS; i++)
        if (strcmp(name, dist_names[i][0]) == 0) {
            *d = (sim_factor_dist)i;
            return true;
        }
    return false;
}

const char *sim_factor_dist_param(sim_factor_dist d, int i)
{
    return (unsigned)d < SIM_N_FACTOR_DISTS && (i == 0 || i == 1)
               ? dist_names[d][1 + i]
               : "?";
}

static double dist_quantile(const sim_factor *f, double u)
{
    /* The ends of (0, 1) map to infinities: keep u inside. */
    if (u < DBL_EPSILON)
        u = DBL_EPSILON;
    if (u > 1 - DBL_EPSILON)
        u = 1 - DBL_EPSILON;
    switch (f->dist) {
    case SIM_FACTOR_DIST_NORMAL:
        return f->p[0] + gsl_cdf_gaussian_Pinv(u, f->p[1]);
    case SIM_FACTOR_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(u, f->p[0], f->p[1]);
    case SIM_FACTOR_DIST_BETA:
        return gsl_cdf_beta_Pinv(u, f->p[0], f->p[1]);
    case SIM_FACTOR_DIST_GAMMA:
        return gsl_cdf_gamma_Pinv(u, f->p[0], f->p[1]);
    default:
        return NAN;
    }
}

double sim_factor_value(const sim_factor *f, double u)
{
    double v;
    if (f->kind == SIM_FACTOR_VALUES) {
        int i = (int)floor(u * f->nvalues);
        v = f->value[i < 0 ? 0 : (i >= f->nvalues ? f->nvalues - 1 : i)];
    } else if (f->kind == SIM_FACTOR_RANGE) {
        v = f->log ? exp(log(f->lo) + u * (log(f->hi) - log(f->lo)))
                   : f->lo + u * (f->hi - f->lo);
        if (v > f->hi) /* rounding at u = 1 */
            v = f->hi;
    } else {
        v = dist_quantile(f, u);
    }
    return f->integer ? round(v) : v;
}

static int check_dist(const sim_factor *f, sim_err *err)
{
    const char *name = sim_factor_dist_name(f->dist);
    if ((unsigned)f->dist >= SIM_N_FACTOR_DISTS)
        return sim_error(err, SIM_E_USAGE, "factor %s: unknown distribution",
                         f->name);
    if (!isfinite(f->p[0]) || !isfinite(f->p[1]))
        return sim_error(err, SIM_E_USAGE,
                         "factor %s: the %s distribution's parameters must "
                         "be finite",
                         f->name, name);
    bool first_positive = f->dist == SIM_FACTOR_DIST_BETA ||
                          f->dist == SIM_FACTOR_DIST_GAMMA;
    if ((first_positive && f->p[0] <= 0) || f->p[1] <= 0)
        return sim_error(err, SIM_E_USAGE,
                         "factor %s: the %s distribution needs %s%s > 0",
                         f->name, name,
                         first_positive ? sim_factor_dist_param(f->dist, 0)
                                        : "",
                         first_positive ? " > 0 and " : "");
    return 0;
}

int sim_factor_check(const sim_factor *f, sim_err *err)
{
    switch (f->kind) {
    case SIM_FACTOR_VALUES:
        if (f->nvalues < 1 || f->nvalues > SIM_DESIGN_MAX_VALUES)
            return sim_error(err, SIM_E_USAGE,
                             "factor %s: needs 1 to %d values, has %d",
                             f->name, SIM_DESIGN_MAX_VALUES, f->nvalues);
        for (int i = 0; i < f->nvalues; i++)
            if (!isfinite(f->value[i]))
                return sim_error(err, SIM_E_USAGE,
                                 "factor %s: value %d is not finite",
                                 f->name, i + 1);
        return 0;
    case SIM_FACTOR_RANGE:
        if (!isfinite(f->lo) || !isfinite(f->hi) || !(f->lo < f->hi))
            return sim_error(err, SIM_E_USAGE,
                             "factor %s: a range needs finite lo < hi, got "
                             "[%g, %g]",
                             f->name, f->lo, f->hi);
        if (f->log && f->lo <= 0)
            return sim_error(err, SIM_E_USAGE,
                             "factor %s: a log-scale range needs lo > 0",
                             f->name);
        return 0;
    case SIM_FACTOR_DIST:
        return check_dist(f, err);
    default:
        return sim_error(err, SIM_E_USAGE, "factor %s: unknown kind",
                         f->name);
    }
}

/* Levels of factor f in a full factorial: its values, or its range's
 * levels (3 if not given); 0 for a distribution. */
static int factorial_levels(const sim_factor *f)
{
    if (f->kind == SIM_FACTOR_VALUES)
        return f->nvalues;
    if (f->kind == SIM_FACTOR_RANGE)
        return f->levels >= 2 ? f->levels : 3;
    return 0;
}

/* Counts the groups of factors[0..k) (G = max group + 1) and checks that
 * none is empty; -1 if one is. */
static int count_groups(const sim_factor *factors, int k, int *group)
{
    int g = 0;
    for (int i = 0; i < k; i++) {
        group[i] = factors[i].group;
        if (group[i] < 0 || group[i] >= k)
            return -1;
        if (group[i] + 1 > g)
            g = group[i] + 1;
    }
    for (int j = 0; j < g; j++) {
        bool used = false;
        for (int i = 0; i < k; i++)
            used = used || group[i] == j;
        if (!used)
            return -1;
    }
    return g;
}

long sim_design_points(const sim_design_opts *o, const sim_factor *factors,
                       int k)
{
    int group[SIM_DESIGN_MAX_FACTORS];
    if (k < 1 || k > SIM_DESIGN_MAX_FACTORS)
        return -1;
    int g = count_groups(factors, k, group);
    switch (o->type) {
    case SIM_DESIGN_FULL_FACTORIAL: {
        long n = 1;
        for (int i = 0; i < k; i++) {
            int l = factorial_levels(&factors[i]);
            if (l < 1 || n > SIM_DESIGN_MAX_POINTS / l)
                return -1;
            n *= l;
        }
        return n;
    }
    case SIM_DESIGN_LHS:
    case SIM_DESIGN_MONTE_CARLO:
        return o->samples >= 1 && o->samples <= SIM_DESIGN_MAX_POINTS
                   ? o->samples
                   : -1;
    case SIM_DESIGN_SOBOL: {
        long stride = o->second_order ? 2L * g + 2 : (long)g + 2;
        if (g < 1 || o->samples < 1 ||
            o->samples > SIM_DESIGN_MAX_POINTS / stride)
            return -1;
        return o->samples * stride;
    }
    case SIM_DESIGN_MORRIS:
        if (o->samples < 1 ||
            o->samples > SIM_DESIGN_MAX_POINTS / (k + 1))
            return -1;
        return o->samples * (k + 1);
    default:
        return -1;
    }
}

/* Every combination of the factors' levels, the last factor varying
 * fastest; level l of L sits at u = l / (L - 1) (0 for one level), which
 * sim_factor_value maps to the l-th value or the l-th evenly spaced point
 * of the range. */
static void build_factorial(sim_design *d, const sim_factor *factors)
{
    int k = d->nfactors;
    for (long p = 0; p < d->npoints; p++) {
        long rest = p;
        for (int i = k - 1; i >= 0; i--) {
            int l = factorial_levels(&factors[i]);
            long level = rest % l;
            rest /= l;
            double u = l > 1 ? (double)level / (l - 1) : 0;
            if (factors[i].kind == SIM_FACTOR_VALUES)
                u = ((double)level + 0.5) / l; /* the level-th value */
            d->u[p * k + i] = u;
        }
    }
}

/* Smallest squared distance between two points of the n x k design u. */
static double min_distance2(const double *u, long n, int k)
{
    double best = INFINITY;
    for (long a = 0; a < n; a++)
        for (long b = a + 1; b < n; b++) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double t = u[a * k + i] - u[b * k + i];
                s += t * t;
            }
            if (s < best)
                best = s;
        }
    return best;
}

/* One Latin hypercube into u: each factor's n strata in a random order,
 * a uniform point inside each stratum. */
static void one_lhs(double *u, long n, int k, long *perm, gsl_rng *r)
{
    for (int i = 0; i < k; i++) {
        for (long p = 0; p < n; p++)
            perm[p] = p;
        gsl_ran_shuffle(r, perm, (size_t)n, sizeof *perm);
        for (long p = 0; p < n; p++)
            u[p * k + i] = ((double)perm[p] + gsl_rng_uniform(r)) / (double)n;
    }
}

/* A Latin hypercube; with maximin > 1 the best of that many candidates by
 * the smallest distance between two points (a seeded random search, as
 * R's lhs::maximinLHS does with its restarts). */
static int build_lhs(sim_design *d, gsl_rng *r, sim_err *err)
{
    long n = d->npoints;
    int k = d->nfactors;
    long *perm = malloc(sizeof *perm * (size_t)n);
    double *cand = d->opts.maximin > 1
                       ? malloc(sizeof *cand * (size_t)n * (size_t)k)
                       : NULL;
    if (!perm || (d->opts.maximin > 1 && !cand)) {
        free(perm);
        free(cand);
        return sim_error(err, SIM_E_NOMEM, "out of memory for the design");
    }
    one_lhs(d->u, n, k, perm, r);
    double best = d->opts.maximin > 1 ? min_distance2(d->u, n, k) : 0;
    for (int c = 1; c < d->opts.maximin; c++) {
        one_lhs(cand, n, k, perm, r);
        double dist = min_distance2(cand, n, k);
        if (dist > best) {
            best = dist;
            memcpy(d->u, cand, sizeof *cand * (size_t)n * (size_t)k);
        }
    }
    free(perm);
    free(cand);
    return 0;
}

static void build_monte_carlo(sim_design *d, gsl_rng *r)
{
    for (long i = 0; i < d->npoints * d->nfactors; i++)
        d->u[i] = gsl_rng_uniform(r);
}

/* Checks what every design needs and what the type needs. */
static int check_request(const sim_factor *factors, int k,
                         const sim_design_opts *o, int *group, int *ngroups,
                         sim_err *err)
{
    if (k < 1 || k > SIM_DESIGN_MAX_FACTORS)
        return sim_error(err, SIM_E_USAGE,
                         "a design needs 1 to %d factors, got %d",
                         SIM_DESIGN_MAX_FACTORS, k);
    if ((unsigned)o->type >= SIM_N_DESIGNS)
        return sim_error(err, SIM_E_USAGE, "unknown design type %d",
                         (int)o->type);
    for (int i = 0; i < k; i++) {
        int rc = sim_factor_check(&factors[i], err);
        if (rc)
            return rc;
    }
    *ngroups = count_groups(factors, k, group);
    if (*ngroups < 1)
        return sim_error(err, SIM_E_USAGE,
                         "the factors' groups must be numbered from 0 with "
                         "none empty");
    if (o->type == SIM_DESIGN_FULL_FACTORIAL)
        for (int i = 0; i < k; i++)
            if (factors[i].kind == SIM_FACTOR_DIST)
                return sim_error(err, SIM_E_USAGE,
                                 "factor %s: a full factorial needs values "
                                 "or a range (with levels), not a "
                                 "distribution",
                                 factors[i].name);
    if (o->type == SIM_DESIGN_SOBOL)
        return sim_design_check_sobol(k, o, err);
    if (o->type == SIM_DESIGN_MORRIS) {
        for (int i = 0; i < k; i++)
            if (factors[i].kind == SIM_FACTOR_DIST)
                return sim_error(err, SIM_E_USAGE,
                                 "factor %s: a morris design needs values or "
                                 "a range, not a distribution (its grid "
                                 "includes the ends, 0 and 1)",
                                 factors[i].name);
        return sim_design_check_morris(o, err);
    }
    return 0;
}

int sim_design_build(sim_design *d, const sim_factor *factors, int k,
                     const sim_design_opts *o, sim_err *err)
{
    memset(d, 0, sizeof *d);
    d->opts = *o;
    int rc = check_request(factors, k, o, d->group, &d->ngroups, err);
    if (rc)
        return rc;
    d->nfactors = k;
    d->npoints = sim_design_points(o, factors, k);
    if (d->npoints < 1)
        return sim_error(err, SIM_E_USAGE,
                         "the %s design has too many points (at most %ld) "
                         "or too few samples",
                         sim_design_name(o->type), SIM_DESIGN_MAX_POINTS);
    size_t cells = (size_t)d->npoints * (size_t)k;
    d->u = calloc(cells, sizeof *d->u);
    d->x = malloc(sizeof *d->x * cells);
    sim_error_quiet_gsl();
    gsl_rng *r = gsl_rng_alloc(sim_rng_xoshiro256ss);
    if (!d->u || !d->x || !r) {
        gsl_rng_free(r);
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for a design of %ld points",
                         d->npoints);
    }
    sim_rng_seed_stream(r, o->seed, 0, SIM_DESIGN_STREAM);
    switch (o->type) {
    case SIM_DESIGN_FULL_FACTORIAL:
        build_factorial(d, factors);
        break;
    case SIM_DESIGN_LHS:
        rc = build_lhs(d, r, err);
        break;
    case SIM_DESIGN_MONTE_CARLO:
        build_monte_carlo(d, r);
        break;
    case SIM_DESIGN_SOBOL:
        rc = sim_design_build_sobol(d, err);
        break;
    default:
        sim_design_build_morris(d, r);
        break;
    }
    gsl_rng_free(r);
    for (size_t c = 0; !rc && c < cells; c++)
        d->x[c] = sim_factor_value(&factors[c % (size_t)k], d->u[c]);
    return rc;
}

void sim_design_free(sim_design *d)
{
    free(d->u);
    free(d->x);
    d->u = d->x = NULL;
    d->npoints = 0;
}
