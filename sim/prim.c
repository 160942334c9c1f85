/* prim.c - PRIM, the patient rule induction method (Friedman and Fisher
 * 1999), on plain arrays: the peeling trajectory, its knee, a box's
 * coverage, density and the significance of each restriction (Bryant and
 * Lempert 2010), and pasting. discover.h states the contracts. */
#include <sanctionsim/discover.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* How many cases a fraction `share` of `n` makes, rounded up, at least 1
 * (the small slack keeps 0.05 * 100 at 5, not 6). */
static size_t share_of(double share, size_t n)
{
    double c = ceil(share * (double)n - 1e-9);
    return c < 1 ? 1 : (size_t)c;
}

/* ---- sorting ---- */

/* A value with its case, so that qsort (which takes no context) can sort
 * cases by value; ties keep the cases' order. */
typedef struct keyed {
    double v;
    size_t i;
} keyed;

static int by_value(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->v != y->v)
        return (x->v > y->v) - (x->v < y->v);
    return (x->i > y->i) - (x->i < y->i);
}

/* order[j * n + r]: the case of rank r in factor j. */
static int sort_factors(const sim_prim_data *d, size_t **order, sim_err *err)
{
    size_t n = d->n, k = (size_t)d->k;
    keyed *tmp = malloc(n * sizeof *tmp);
    *order = malloc(n * k * sizeof **order);
    if (!tmp || !*order) {
        free(tmp);
        free(*order);
        *order = NULL;
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    for (size_t j = 0; j < k; j++) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = (keyed){d->x[i * k + j], i};
        qsort(tmp, n, sizeof *tmp, by_value);
        for (size_t i = 0; i < n; i++)
            (*order)[j * n + i] = tmp[i].i;
    }
    free(tmp);
    return 0;
}

/* ---- the trajectory ---- */

static int check_data(const sim_prim_data *d, sim_err *err)
{
    if (!d || !d->x || !d->y || d->n == 0 || d->k < 1)
        return sim_error(err, SIM_E_USAGE, "PRIM: no cases or no factors");
    for (size_t i = 0; i < d->n; i++) {
        if (d->y[i] > 1)
            return sim_error(err, SIM_E_USAGE,
                             "PRIM: outcome of case %zu is %u, not 0 or 1", i,
                             (unsigned)d->y[i]);
        for (int j = 0; j < d->k; j++)
            if (!isfinite(d->x[i * (size_t)d->k + (size_t)j]))
                return sim_error(err, SIM_E_USAGE,
                                 "PRIM: factor %d of case %zu is not a "
                                 "finite number",
                                 j, i);
    }
    return 0;
}

/* Appends a step with limits lo, hi and n_in cases, pos of them with the
 * outcome. */
static int push_step(sim_prim_traj *t, size_t *cap, const double *lo,
                     const double *hi, size_t n_in, size_t pos, sim_err *err)
{
    size_t k = (size_t)t->k, s = (size_t)t->nsteps;
    if (s == *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        double *l = realloc(t->lower, c * k * sizeof *l);
        if (l)
            t->lower = l;
        double *u = realloc(t->upper, c * k * sizeof *u);
        if (u)
            t->upper = u;
        double *cv = realloc(t->coverage, c * sizeof *cv);
        if (cv)
            t->coverage = cv;
        double *dn = realloc(t->density, c * sizeof *dn);
        if (dn)
            t->density = dn;
        double *ms = realloc(t->mass, c * sizeof *ms);
        if (ms)
            t->mass = ms;
        size_t *ni = realloc(t->n_in, c * sizeof *ni);
        if (ni)
            t->n_in = ni;
        if (!l || !u || !cv || !dn || !ms || !ni)
            return sim_error(err, SIM_E_NOMEM, "out of memory");
        *cap = c;
    }
    memcpy(t->lower + s * k, lo, k * sizeof *lo);
    memcpy(t->upper + s * k, hi, k * sizeof *hi);
    t->coverage[s] = t->n_pos ? (double)pos / (double)t->n_pos : 0;
    t->density[s] = n_in ? (double)pos / (double)n_in : 0;
    t->mass[s] = (double)n_in / (double)t->n;
    t->n_in[s] = n_in;
    t->nsteps++;
    return 0;
}

/* A candidate peel: factor j, from below (up = false) or above; it removes
 * `removed` cases (`removed_pos` with the outcome) and moves the limit to
 * `limit`, the value of the nearest case left. */
typedef struct peel {
    int j;
    bool up;
    size_t removed, removed_pos;
    double limit;
} peel;

/* The peel of factor j from one side of the box (in[] marks the box's
 * n_in cases): the `need` cases nearest the face and every case tied with
 * the last of them. Returns false when that would empty the box. */
static bool try_peel(const sim_prim_data *d, const size_t *ord,
                     const unsigned char *in, size_t need, int j, bool up,
                     peel *p)
{
    size_t n = d->n, k = (size_t)d->k;
    *p = (peel){.j = j, .up = up};
    double last = 0;
    for (size_t r = 0; r < n; r++) {
        size_t i = ord[up ? n - 1 - r : r];
        if (!in[i])
            continue;
        double v = d->x[i * k + (size_t)j];
        if (p->removed >= need && v != last) {
            p->limit = v;
            return true;
        }
        last = v;
        p->removed++;
        p->removed_pos += d->y[i];
    }
    return false; /* everything left shares one value */
}

/* Removes peel p's cases from in[]. */
static void apply_peel(const sim_prim_data *d, const size_t *ord,
                       unsigned char *in, const peel *p)
{
    size_t n = d->n, done = 0;
    for (size_t r = 0; r < n && done < p->removed; r++) {
        size_t i = ord[p->up ? n - 1 - r : r];
        if (!in[i])
            continue;
        in[i] = 0;
        done++;
    }
}

/* The best admissible peel of the box, by gain in density per case
 * removed; false if there is none. */
static bool best_peel(const sim_prim_data *d, const size_t *order,
                      const unsigned char *in, size_t n_in, size_t pos,
                      size_t need, size_t min_count, peel *best)
{
    double dens = (double)pos / (double)n_in, best_gain = -INFINITY;
    bool found = false;
    for (int j = 0; j < d->k; j++)
        for (int side = 0; side < 2; side++) {
            peel p;
            const size_t *ord = order + (size_t)j * d->n;
            if (!try_peel(d, ord, in, need, j, side == 1, &p) ||
                n_in - p.removed < min_count)
                continue;
            double nd = (double)(pos - p.removed_pos) /
                        (double)(n_in - p.removed);
            double gain = (nd - dens) / (double)p.removed;
            if (gain > best_gain) {
                best_gain = gain;
                *best = p;
                found = true;
            }
        }
    return found;
}

static int start_traj(const sim_prim_data *d, sim_prim_traj *t, double *lo,
                      double *hi, sim_err *err)
{
    size_t k = (size_t)d->k;
    t->k = d->k;
    t->n = d->n;
    t->min = malloc(k * sizeof *t->min);
    t->max = malloc(k * sizeof *t->max);
    if (!t->min || !t->max)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    for (size_t j = 0; j < k; j++)
        t->min[j] = t->max[j] = d->x[j];
    for (size_t i = 0; i < d->n; i++) {
        t->n_pos += d->y[i];
        for (size_t j = 0; j < k; j++) {
            double v = d->x[i * k + j];
            t->min[j] = fmin(t->min[j], v);
            t->max[j] = fmax(t->max[j], v);
        }
    }
    memcpy(lo, t->min, k * sizeof *lo);
    memcpy(hi, t->max, k * sizeof *hi);
    return 0;
}

int sim_prim_peel(const sim_prim_data *d, double alpha, double min_support,
                  sim_prim_traj *t, sim_err *err)
{
    memset(t, 0, sizeof *t);
    if (!(alpha > 0 && alpha < 1))
        return sim_error(err, SIM_E_USAGE,
                         "PRIM: alpha must lie between 0 and 1, got %g", alpha);
    if (!(min_support >= 0 && min_support < 1))
        return sim_error(err, SIM_E_USAGE,
                         "PRIM: the minimum support must lie in [0, 1), got "
                         "%g",
                         min_support);
    int rc = check_data(d, err);
    if (rc)
        return rc;
    size_t k = (size_t)d->k, cap = 0, *order = NULL;
    unsigned char *in = malloc(d->n);
    double *lo = malloc(2 * k * sizeof *lo), *hi = lo ? lo + k : NULL;
    if (!in || !lo)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    if (!rc)
        rc = start_traj(d, t, lo, hi, err);
    if (!rc)
        rc = sort_factors(d, &order, err);
    size_t n_in = d->n, pos = t->n_pos;
    size_t min_count = (size_t)ceil(min_support * (double)d->n - 1e-9);
    if (!rc) {
        memset(in, 1, d->n);
        rc = push_step(t, &cap, lo, hi, n_in, pos, err);
    }
    peel p;
    while (!rc && best_peel(d, order, in, n_in, pos,
                            share_of(alpha, n_in), min_count, &p)) {
        apply_peel(d, order + (size_t)p.j * d->n, in, &p);
        n_in -= p.removed;
        pos -= p.removed_pos;
        if (p.up)
            hi[p.j] = p.limit;
        else
            lo[p.j] = p.limit;
        rc = push_step(t, &cap, lo, hi, n_in, pos, err);
    }
    free(order);
    free(in);
    free(lo);
    if (rc)
        sim_prim_traj_free(t);
    return rc;
}

void sim_prim_traj_free(sim_prim_traj *t)
{
    free(t->min);
    free(t->max);
    free(t->lower);
    free(t->upper);
    free(t->coverage);
    free(t->density);
    free(t->mass);
    free(t->n_in);
    memset(t, 0, sizeof *t);
}

/* The step with the largest coverage x density (from step 1). */
static int best_product(const sim_prim_traj *t)
{
    int best = t->nsteps - 1;
    for (int s = 1; s < t->nsteps; s++)
        if (t->coverage[s] * t->density[s] >
            t->coverage[best] * t->density[best])
            best = s;
    return best;
}

int sim_prim_knee(const sim_prim_traj *t, bool *clear)
{
    int last = t->nsteps - 1;
    *clear = false;
    if (t->nsteps < 3)
        return last < 0 ? 0 : last;
    double c0 = t->coverage[0], c1 = t->coverage[0];
    double d0 = t->density[0], d1 = t->density[0];
    for (int s = 1; s < t->nsteps; s++) {
        c0 = fmin(c0, t->coverage[s]), c1 = fmax(c1, t->coverage[s]);
        d0 = fmin(d0, t->density[s]), d1 = fmax(d1, t->density[s]);
    }
    double cs = c1 > c0 ? c1 - c0 : 1, ds = d1 > d0 ? d1 - d0 : 1;
    double ax = (t->coverage[0] - c0) / cs, ay = (t->density[0] - d0) / ds;
    double bx = (t->coverage[last] - c0) / cs;
    double by = (t->density[last] - d0) / ds;
    double len = hypot(bx - ax, by - ay);
    if (len == 0)
        return best_product(t);
    /* Coverage falls and density rises along the trajectory, so the
     * chord runs from the lower right to the upper left, and the good side
     * (more of both) is where the cross product is negative. */
    int knee = -1;
    double best = SIM_PRIM_KNEE_MIN;
    for (int s = 1; s < last; s++) {
        double px = (t->coverage[s] - c0) / cs, py = (t->density[s] - d0) / ds;
        double side = -((bx - ax) * (py - ay) - (by - ay) * (px - ax)) / len;
        if (side >= best) {
            best = side;
            knee = s;
        }
    }
    *clear = knee >= 0;
    return knee >= 0 ? knee : best_product(t);
}

/* ---- a box ---- */

/* How many limits case i breaks, and (*which) the last factor it breaks. */
static int breaks(const sim_prim_data *d, size_t i, const double *lo,
                  const double *hi, int *which)
{
    int nv = 0;
    for (int j = 0; j < d->k; j++) {
        double v = d->x[i * (size_t)d->k + (size_t)j];
        if (v < lo[j] || v > hi[j]) {
            nv++;
            *which = j;
        }
    }
    return nv;
}

/* The hypergeometric test of one restriction: P(X >= hits) for X the
 * outcome's cases among `drawn` drawn from `total` cases of which `good`
 * have it. */
static double restriction_p(size_t hits, size_t drawn, size_t good,
                            size_t total)
{
    if (hits == 0)
        return 1;
    return gsl_cdf_hypergeometric_Q((unsigned)(hits - 1), (unsigned)good,
                                    (unsigned)(total - good),
                                    (unsigned)drawn);
}

int sim_prim_box_eval(const sim_prim_data *d, const double *lower,
                      const double *upper, const double *min,
                      const double *max, sim_prim_box *b, sim_err *err)
{
    memset(b, 0, sizeof *b);
    size_t k = (size_t)d->k;
    b->k = d->k;
    b->lower = malloc(k * sizeof *b->lower);
    b->upper = malloc(k * sizeof *b->upper);
    b->restricted = malloc(k * sizeof *b->restricted);
    b->p_value = malloc(k * sizeof *b->p_value);
    size_t *near = calloc(2 * k, sizeof *near); /* [j]: cases, [k + j]: pos */
    if (!b->lower || !b->upper || !b->restricted || !b->p_value || !near) {
        free(near);
        sim_prim_box_free(b);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    memcpy(b->lower, lower, k * sizeof *lower);
    memcpy(b->upper, upper, k * sizeof *upper);
    size_t n_pos = 0;
    for (size_t i = 0; i < d->n; i++) {
        int which = 0, nv = breaks(d, i, lower, upper, &which);
        n_pos += d->y[i];
        if (nv == 0) {
            b->n_in++;
            b->n_pos_in += d->y[i];
        } else if (nv == 1) {
            near[which]++;
            near[k + (size_t)which] += d->y[i];
        }
    }
    b->coverage = n_pos ? (double)b->n_pos_in / (double)n_pos : 0;
    b->density = b->n_in ? (double)b->n_pos_in / (double)b->n_in : 0;
    b->mass = (double)b->n_in / (double)d->n;
    for (size_t j = 0; j < k; j++) {
        b->restricted[j] = lower[j] > min[j] || upper[j] < max[j];
        b->p_value[j] =
            b->restricted[j]
                ? restriction_p(b->n_pos_in, b->n_in, b->n_pos_in + near[k + j],
                                b->n_in + near[j])
                : NAN;
    }
    free(near);
    return 0;
}

void sim_prim_box_free(sim_prim_box *b)
{
    free(b->lower);
    free(b->upper);
    free(b->restricted);
    free(b->p_value);
    memset(b, 0, sizeof *b);
}

/* ---- pasting ---- */

/* A candidate growth of the box: factor j's lower (up = false) or upper
 * limit moved out to `limit`, adding `added` cases, `added_pos` with the
 * outcome. */
typedef struct paste {
    int j;
    bool up;
    size_t added, added_pos;
    double limit;
} paste;

/* The growth of factor j on one side: the cases outside the box on that
 * face only, nearest first (buf holds them), the `need` nearest and every
 * case tied with the last. False if there is no such case. */
static bool try_paste(const sim_prim_data *d, const double *lo,
                      const double *hi, int j, bool up, size_t need,
                      keyed *buf, paste *p)
{
    size_t m = 0;
    for (size_t i = 0; i < d->n; i++) {
        int which = 0;
        double v = d->x[i * (size_t)d->k + (size_t)j];
        if (breaks(d, i, lo, hi, &which) == 1 && which == j &&
            (up ? v > hi[j] : v < lo[j]))
            buf[m++] = (keyed){up ? v : -v, i};
    }
    if (m == 0)
        return false;
    qsort(buf, m, sizeof *buf, by_value);
    *p = (paste){.j = j, .up = up};
    size_t r = 0;
    for (; r < m && (r < need || buf[r].v == buf[r - 1].v); r++) {
        p->added++;
        p->added_pos += d->y[buf[r].i];
    }
    p->limit = up ? buf[r - 1].v : -buf[r - 1].v;
    return true;
}

int sim_prim_paste(const sim_prim_data *d, double alpha, double *lower,
                   double *upper, sim_err *err)
{
    if (!(alpha > 0 && alpha < 1))
        return sim_error(err, SIM_E_USAGE,
                         "PRIM: alpha must lie between 0 and 1, got %g", alpha);
    keyed *buf = malloc(d->n * sizeof *buf);
    if (!buf)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    /* Each growth raises the density strictly and adds a case: at most n. */
    for (size_t round = 0; round < d->n; round++) {
        size_t n_in = 0, pos = 0;
        for (size_t i = 0; i < d->n; i++) {
            int which;
            if (breaks(d, i, lower, upper, &which) == 0) {
                n_in++;
                pos += d->y[i];
            }
        }
        double dens = n_in ? (double)pos / (double)n_in : 0, best_d = dens;
        paste best = {.j = -1};
        for (int j = 0; j < d->k; j++)
            for (int side = 0; side < 2; side++) {
                paste p;
                if (!try_paste(d, lower, upper, j, side == 1,
                               share_of(alpha, n_in), buf, &p))
                    continue;
                double nd = (double)(pos + p.added_pos) /
                            (double)(n_in + p.added);
                if (nd > best_d) {
                    best_d = nd;
                    best = p;
                }
            }
        if (best.j < 0)
            break;
        if (best.up)
            upper[best.j] = best.limit;
        else
            lower[best.j] = best.limit;
    }
    free(buf);
    return 0;
}
