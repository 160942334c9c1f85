/* design_sobol.c - the designs of the sensitivity analyses: Saltelli's
 * design on the Sobol sequence (for Sobol indices, sensitivity.c) and
 * Morris's elementary-effects trajectories. */
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>

#include "design_impl.h"

int sim_design_check_sobol(int k, const sim_design_opts *o, sim_err *err)
{
    if (k > SIM_SOBOL_MAX_FACTORS)
        return sim_error(err, SIM_E_USAGE,
                         "a sobol design takes at most %d factors, got %d: "
                         "GSL's Sobol sequence (gsl_qrng_sobol) has %d "
                         "dimensions and each factor needs two (its columns "
                         "of A and B), in a group or not; screen the factors "
                         "with a morris design first and keep the ones that "
                         "matter",
                         SIM_SOBOL_MAX_FACTORS, k, SIM_SOBOL_MAX_DIMENSION);
    long n = o->samples;
    if (n < 2 || (n & (n - 1)) != 0)
        return sim_error(err, SIM_E_USAGE,
                         "a sobol design needs N (samples) a power of two "
                         "of at least 2, got %ld: the Sobol sequence is "
                         "balanced only in blocks of 2^m points",
                         n);
    return 0;
}

int sim_design_check_morris(const sim_design_opts *o, sim_err *err)
{
    if (o->levels < 2 || o->levels % 2 != 0)
        return sim_error(err, SIM_E_USAGE,
                         "a morris design needs an even number of levels "
                         "(at least 2), got %d: with p even, the step "
                         "p / (2 (p - 1)) moves every level to another one",
                         o->levels);
    return 0;
}

int sim_design_sobol_stride(const sim_design *d)
{
    return d->opts.second_order ? 2 * d->ngroups + 2 : d->ngroups + 2;
}

/* Saltelli et al. (2010), section 3: A and B are the first and second k
 * coordinates of a 2k-dimensional Sobol point; AB^g is A with the columns
 * of group g taken from B, BA^g the converse. The sequence's first point
 * (all zeros) is skipped, as is usual: a zero coordinate would map a
 * distribution to its lower bound. */
int sim_design_build_sobol(sim_design *d, sim_err *err)
{
    int k = d->nfactors, g = d->ngroups, stride = sim_design_sobol_stride(d);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    if (!q)
        return sim_error(err, SIM_E_NOMEM, "cannot start the Sobol sequence");
    double pt[SIM_SOBOL_MAX_DIMENSION];
    int rc = gsl_qrng_get(q, pt);
    for (long j = 0; !rc && j < d->opts.samples; j++) {
        if ((rc = gsl_qrng_get(q, pt)))
            break;
        const double *a = pt, *b = pt + k;
        double *row = d->u + j * stride * k;
        memcpy(row, a, sizeof *a * (size_t)k);
        memcpy(row + k, b, sizeof *b * (size_t)k);
        for (int grp = 0; grp < g; grp++) {
            double *ab = row + (size_t)(2 + grp) * (size_t)k;
            for (int i = 0; i < k; i++)
                ab[i] = d->group[i] == grp ? b[i] : a[i];
            if (!d->opts.second_order)
                continue;
            double *ba = row + (size_t)(2 + g + grp) * (size_t)k;
            for (int i = 0; i < k; i++)
                ba[i] = d->group[i] == grp ? a[i] : b[i];
        }
    }
    gsl_qrng_free(q);
    if (rc)
        return sim_error(err, SIM_E_NUMERIC,
                         "the Sobol sequence failed (gsl_qrng_get)");
    return 0;
}

/* Morris (1991): a trajectory starts at a random point of the grid
 * {0, 1/(p-1), ..., 1}^k and moves one factor at a time, in a random
 * order, by delta = p / (2 (p - 1)): up from the lower half of the grid,
 * down from the upper half (so every move stays on the grid, p even). */
void sim_design_build_morris(sim_design *d, gsl_rng *r)
{
    int k = d->nfactors, p = d->opts.levels, half = p / 2;
    int level[SIM_DESIGN_MAX_FACTORS], order[SIM_DESIGN_MAX_FACTORS];
    for (long t = 0; t < d->opts.samples; t++) {
        double *row = d->u + t * (k + 1) * k;
        for (int i = 0; i < k; i++) {
            level[i] = (int)gsl_rng_uniform_int(r, (unsigned long)p);
            order[i] = i;
            row[i] = (double)level[i] / (p - 1);
        }
        gsl_ran_shuffle(r, order, (size_t)k, sizeof *order);
        for (int s = 0; s < k; s++) {
            int i = order[s];
            level[i] += level[i] < half ? half : -half;
            double *next = row + (size_t)(s + 1) * (size_t)k;
            memcpy(next, next - k, sizeof *next * (size_t)k);
            next[i] = (double)level[i] / (p - 1);
        }
    }
}
