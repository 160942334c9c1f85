/* nfg_impl.h - private to the nfg*.c files: the profile count of a shape
 * and a growing array of doubles. Other modules use nfg.h. */
#ifndef SIM_NFG_IMPL_H
#define SIM_NFG_IMPL_H

#include <stddef.h>
#include <stdlib.h>

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

#endif
