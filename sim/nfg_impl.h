/* nfg_impl.h - private to the nfg*.c files: the profile count of a shape
 * and a growing array of doubles. Other modules use nfg.h. */
#ifndef SIM_NFG_IMPL_H
#define SIM_NFG_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <sanctionsim/nfg.h>

/* Number of profiles for these counts, or 0 when nplayers or a count is out
 * of range or the product exceeds SIM_NFG_MAX_PROFILES. The running product
 * is checked after every factor, so it never exceeds 1e6 * 64: no overflow. */
size_t sim_nfg_profile_count(int nplayers, const int *nstrat);

/* A growing array of doubles. It grows only as the input supplies values,
 * so a count in the file cannot make us allocate more than the file holds. */
typedef struct dvec {
    double *v;
    size_t n, cap;
} dvec;

/* Appends x to d; 0, or -1 if memory runs out (d unchanged). */
static inline int dvec_push(dvec *d, double x)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 64;
        double *nv = realloc(d->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        d->v = nv;
        d->cap = cap;
    }
    d->v[d->n++] = x;
    return 0;
}

/* An equilibrium of a two-player game found by support enumeration: the
 * row's mix x and the column's y, the indices of the candidates they came
 * from (discovery order, for a stable sort) and their supports as bit
 * masks (strategy 1 = lowest bit). */
typedef struct sim_nfg_eq {
    double x[SIM_NFG_SUPPORT_MAX_STRATEGIES], y[SIM_NFG_SUPPORT_MAX_STRATEGIES];
    size_t xi, yi;
    uint32_t sx, sy;
    uint32_t xsys[2], ysys[2]; /* floating point: the support pairs whose
                                  systems gave x and y (sim_nfg_exact_verify) */
} sim_nfg_eq;

/* A growing list of equilibria. */
typedef struct sim_nfg_found {
    sim_nfg_eq *v;
    size_t n, cap;
} sim_nfg_found;

/* Appends *e to f; 0, or -1 if memory runs out (f unchanged). */
static inline int sim_nfg_found_push(sim_nfg_found *f, const sim_nfg_eq *e)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 16;
        sim_nfg_eq *nv = realloc(f->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        f->v = nv;
        f->cap = cap;
    }
    f->v[f->n++] = *e;
    return 0;
}

/* Support enumeration of the two-player game g in exact rational
 * arithmetic (nfg_exact.c) over the row supports rs[0..nr) and the column
 * supports cs[0..nc) (bit masks, in enumeration order): appends every
 * equilibrium found to found, each probability the double nearest to the
 * exact rational. Returns 0 or SIM_E_NOMEM. */
int sim_nfg_support_exact(const sim_nfg *g, const uint32_t *rs, size_t nr,
                          const uint32_t *cs, size_t nc, sim_nfg_found *found,
                          sim_err *err);

/* Verifies a floating-point equilibrium exactly (nfg_exact.c): solves in
 * rational arithmetic the y-system of the support pair it came from
 * (ysys: the indifferent rows, y's columns) and the x-system (xsys: the
 * indifferent columns, x's rows), and tests the pair as
 * sim_nfg_support_exact does. Returns 1 with e's mixes and supports
 * replaced by the exact ones (nearest doubles), 0 if the systems have no
 * unique admissible solution or the pair is not an equilibrium, or
 * SIM_E_NOMEM. */
int sim_nfg_exact_verify(const sim_nfg *g, const uint32_t ysys[2],
                         const uint32_t xsys[2], sim_nfg_eq *e, sim_err *err);

#endif
