/* nfg_exact.c - support enumeration of a two-player game in exact rational
 * arithmetic (GMP): the same supports, systems and pairing as the
 * floating-point version in nfg_support.c, but every payoff is taken as
 * the exact rational its double stands for, so uniqueness, non-negativity,
 * best responses and the equilibrium test are decided without tolerance.
 * Gambit's enummixed does the same for the same reason (payoffs that span
 * many orders of magnitude defeat any relative tolerance). The result is
 * rounded to the nearest double only when it is handed out. */
#include <sanctionsim/nfg.h>

#include <gmp.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nfg_impl.h"

#define XMAX SIM_NFG_SUPPORT_MAX_STRATEGIES

/* Candidate mixes of one player: c entries each, with the opponent's
 * payoff from each of its r pure strategies (resp) and the largest of
 * those (best). Arrays of initialized mpq_t, grown as needed. */
typedef struct xcands {
    __mpq_struct *mix, *resp, *best;
    int c, r;
    size_t n, cap;
} xcands;

static void xcands_free(xcands *cs)
{
    for (size_t k = 0; k < cs->n; k++) {
        for (int j = 0; j < cs->c; j++)
            mpq_clear(&cs->mix[k * (size_t)cs->c + (size_t)j]);
        for (int i = 0; i < cs->r; i++)
            mpq_clear(&cs->resp[k * (size_t)cs->r + (size_t)i]);
        mpq_clear(&cs->best[k]);
    }
    free(cs->mix);
    free(cs->resp);
    free(cs->best);
}

/* Room for one more candidate; 0, or -1 if memory runs out. */
static int xcands_grow(xcands *cs)
{
    if (cs->n < cs->cap)
        return 0;
    size_t cap = cs->cap ? 2 * cs->cap : 16;
    __mpq_struct *m = realloc(cs->mix, cap * (size_t)cs->c * sizeof *m);
    if (!m)
        return -1;
    cs->mix = m;
    __mpq_struct *r = realloc(cs->resp, cap * (size_t)cs->r * sizeof *r);
    if (!r)
        return -1;
    cs->resp = r;
    __mpq_struct *b = realloc(cs->best, cap * sizeof *b);
    if (!b)
        return -1;
    cs->best = b;
    cs->cap = cap;
    return 0;
}

/* The work space: the augmented matrix of the largest system (rows x
 * (unknowns + 1)), a solution, a mix, the responses and scratch. */
typedef struct xwork {
    mpq_t M[XMAX + 1][XMAX + 2];
    mpq_t sol[XMAX + 1], q[XMAX], resp[XMAX], t, u;
} xwork;

static void xwork_init(xwork *w)
{
    for (int i = 0; i <= XMAX; i++) {
        for (int j = 0; j < XMAX + 2; j++)
            mpq_init(w->M[i][j]);
        mpq_init(w->sol[i]);
    }
    for (int j = 0; j < XMAX; j++) {
        mpq_init(w->q[j]);
        mpq_init(w->resp[j]);
    }
    mpq_init(w->t);
    mpq_init(w->u);
}

static void xwork_clear(xwork *w)
{
    for (int i = 0; i <= XMAX; i++) {
        for (int j = 0; j < XMAX + 2; j++)
            mpq_clear(w->M[i][j]);
        mpq_clear(w->sol[i]);
    }
    for (int j = 0; j < XMAX; j++) {
        mpq_clear(w->q[j]);
        mpq_clear(w->resp[j]);
    }
    mpq_clear(w->t);
    mpq_clear(w->u);
}

/* Solves the rows x (cols + 1) augmented system in w->M by Gaussian
 * elimination. Returns 1 with the solution in w->sol if it is unique
 * (rank cols) and consistent, else 0. */
static int gauss(xwork *w, int rows, int cols)
{
    int rank = 0;
    for (int col = 0; col < cols; col++) {
        int piv = -1;
        for (int i = rank; i < rows && piv < 0; i++)
            if (mpq_sgn(w->M[i][col]) != 0)
                piv = i;
        if (piv < 0)
            return 0; /* a free unknown: a continuum of solutions */
        if (piv != rank)
            for (int j = col; j <= cols; j++)
                mpq_swap(w->M[piv][j], w->M[rank][j]);
        for (int i = 0; i < rows; i++) {
            if (i == rank || mpq_sgn(w->M[i][col]) == 0)
                continue;
            mpq_div(w->t, w->M[i][col], w->M[rank][col]);
            for (int j = col; j <= cols; j++) {
                mpq_mul(w->u, w->t, w->M[rank][j]);
                mpq_sub(w->M[i][j], w->M[i][j], w->u);
            }
        }
        rank++;
    }
    for (int i = rank; i < rows; i++)
        if (mpq_sgn(w->M[i][cols]) != 0)
            return 0; /* inconsistent: no solution */
    for (int i = 0; i < cols; i++)
        mpq_div(w->sol[i], w->M[i][cols], w->M[i][i]);
    return 1;
}

/* Adds the mix w->q (c entries) with the responses w->resp (r entries) and
 * their maximum best to cs unless it is there already. 0, or -1 if memory
 * runs out. */
static int add_candidate(xcands *cs, xwork *w, const mpq_t best)
{
    for (size_t k = 0; k < cs->n; k++) {
        int same = 1;
        for (int j = 0; j < cs->c && same; j++)
            same = mpq_equal(&cs->mix[k * (size_t)cs->c + (size_t)j], w->q[j]);
        if (same)
            return 0;
    }
    if (xcands_grow(cs))
        return -1;
    size_t k = cs->n++;
    for (int j = 0; j < cs->c; j++) {
        mpq_ptr d = &cs->mix[k * (size_t)cs->c + (size_t)j];
        mpq_init(d);
        mpq_set(d, w->q[j]);
    }
    for (int i = 0; i < cs->r; i++) {
        mpq_ptr d = &cs->resp[k * (size_t)cs->r + (size_t)i];
        mpq_init(d);
        mpq_set(d, w->resp[i]);
    }
    mpq_init(&cs->best[k]);
    mpq_set(&cs->best[k], best);
    return 0;
}

/* The mix q over the columns in cmask of the r x c matrix P (row-major)
 * that makes the rows in rmask indifferent: P[i, C] q = v (i in rmask),
 * sum q = 1. Added to cs if unique, non-negative and no row does better
 * than v. 0, or -1 if memory runs out. */
static int solve_support(const mpq_t *P, int r, int c, uint32_t rmask,
                         uint32_t cmask, xwork *w, xcands *cs)
{
    int cidx[XMAX], kc = 0, kr = 0;
    for (int j = 0; j < c; j++)
        if (cmask >> j & 1u)
            cidx[kc++] = j;
    for (int i = 0; i < r; i++)
        kr += (int)(rmask >> i & 1u);
    if (kr < kc)
        return 0; /* fewer equations than unknowns: never unique */
    int t = 0;
    for (int i = 0; i < r; i++) {
        if (!(rmask >> i & 1u))
            continue;
        for (int u = 0; u < kc; u++)
            mpq_set(w->M[t][u], P[i * c + cidx[u]]);
        mpq_set_si(w->M[t][kc], -1, 1);
        mpq_set_si(w->M[t][kc + 1], 0, 1);
        t++;
    }
    for (int u = 0; u < kc; u++)
        mpq_set_si(w->M[t][u], 1, 1);
    mpq_set_si(w->M[t][kc], 0, 1);
    mpq_set_si(w->M[t][kc + 1], 1, 1);
    if (!gauss(w, kr + 1, kc + 1))
        return 0;
    for (int j = 0; j < c; j++)
        mpq_set_si(w->q[j], 0, 1);
    for (int u = 0; u < kc; u++) {
        if (mpq_sgn(w->sol[u]) < 0)
            return 0;
        mpq_set(w->q[cidx[u]], w->sol[u]);
    }
    for (int i = 0; i < r; i++) {
        mpq_set_si(w->resp[i], 0, 1);
        for (int u = 0; u < kc; u++) {
            mpq_mul(w->t, P[i * c + cidx[u]], w->q[cidx[u]]);
            mpq_add(w->resp[i], w->resp[i], w->t);
        }
        if (mpq_cmp(w->resp[i], w->sol[kc]) > 0)
            return 0; /* a row outside the indifferent set does better */
    }
    return add_candidate(cs, w, w->sol[kc]);
}

/* The double nearest to q (mpq_get_d truncates). */
static double nearest(const mpq_t q, mpq_t scratch)
{
    double d = mpq_get_d(q);
    double best = d, gap = -1.0;
    const double near[3] = {d, nextafter(d, -HUGE_VAL),
                            nextafter(d, HUGE_VAL)};
    for (int k = 0; k < 3; k++) {
        mpq_set_d(scratch, near[k]);
        mpq_sub(scratch, scratch, q);
        mpq_abs(scratch, scratch);
        double g = mpq_get_d(scratch);
        if (gap < 0 || g < gap) {
            gap = g;
            best = near[k];
        }
    }
    return best;
}

/* 1 if the mix p (k entries, candidate of cs) puts weight only on
 * strategies whose response in resp equals best. */
static int only_best(const __mpq_struct *p, const __mpq_struct *resp,
                     const __mpq_struct *best, int k)
{
    for (int j = 0; j < k; j++)
        if (mpq_sgn(&p[j]) > 0 && !mpq_equal(&resp[j], best))
            return 0;
    return 1;
}

/* Pairs the candidates: (x, y) is an equilibrium when x puts weight only
 * on best responses to y and y only on best responses to x, exactly. */
static int pair_candidates(const xcands *xs, const xcands *ys, int m, int n,
                           sim_nfg_found *found, mpq_t scratch)
{
    for (size_t xi = 0; xi < xs->n; xi++) {
        const __mpq_struct *x = &xs->mix[xi * (size_t)m];
        const __mpq_struct *bx = &xs->resp[xi * (size_t)n];
        for (size_t yi = 0; yi < ys->n; yi++) {
            const __mpq_struct *y = &ys->mix[yi * (size_t)n];
            const __mpq_struct *ay = &ys->resp[yi * (size_t)m];
            if (!only_best(x, ay, &ys->best[yi], m) ||
                !only_best(y, bx, &xs->best[xi], n))
                continue;
            sim_nfg_eq e = {.xi = xi, .yi = yi};
            for (int i = 0; i < m; i++) {
                e.x[i] = nearest(&x[i], scratch);
                if (mpq_sgn(&x[i]) > 0)
                    e.sx |= 1u << i;
            }
            for (int j = 0; j < n; j++) {
                e.y[j] = nearest(&y[j], scratch);
                if (mpq_sgn(&y[j]) > 0)
                    e.sy |= 1u << j;
            }
            if (sim_nfg_found_push(found, &e))
                return -1;
        }
    }
    return 0;
}

/* The game in exact form: A (m x n, the row's payoffs) and Bt (n x m, the
 * column's, transposed), each double taken as the rational it stands
 * for, and a work space. */
typedef struct xgame {
    int m, n;
    mpq_t A[XMAX * XMAX], Bt[XMAX * XMAX];
    xwork w;
} xgame;

/* A malloc'ed xgame for g, or NULL if memory runs out. */
static xgame *xgame_new(const sim_nfg *g)
{
    xgame *x = malloc(sizeof *x);
    if (!x)
        return NULL;
    x->m = g->nstrat[0];
    x->n = g->nstrat[1];
    for (int i = 0; i < x->m; i++)
        for (int j = 0; j < x->n; j++) {
            size_t p = (size_t)i + (size_t)x->m * (size_t)j;
            mpq_init(x->A[i * x->n + j]);
            mpq_init(x->Bt[j * x->m + i]);
            mpq_set_d(x->A[i * x->n + j], g->payoff[2 * p]); /* exact */
            mpq_set_d(x->Bt[j * x->m + i], g->payoff[2 * p + 1]);
        }
    xwork_init(&x->w);
    return x;
}

static void xgame_free(xgame *x)
{
    if (!x)
        return;
    for (int k = 0; k < x->m * x->n; k++) {
        mpq_clear(x->A[k]);
        mpq_clear(x->Bt[k]);
    }
    xwork_clear(&x->w);
    free(x);
}

/* The y-system of the rows in rmask and the columns in cmask, and the
 * x-system of the columns in cmask2 and the rows in rmask2, into ys and
 * xs. 0, or -1 if memory runs out. */
static int solve_pair(xgame *x, uint32_t rmask, uint32_t cmask,
                      uint32_t cmask2, uint32_t rmask2, xcands *xs,
                      xcands *ys)
{
    int rc = solve_support((const mpq_t *)x->A, x->m, x->n, rmask, cmask,
                           &x->w, ys);
    if (!rc)
        rc = solve_support((const mpq_t *)x->Bt, x->n, x->m, cmask2, rmask2,
                           &x->w, xs);
    return rc;
}

int sim_nfg_support_exact(const sim_nfg *g, const uint32_t *rs, size_t nr,
                          const uint32_t *cs, size_t nc, sim_nfg_found *found,
                          sim_err *err)
{
    xgame *x = xgame_new(g);
    xcands xs = {.c = g->nstrat[0], .r = g->nstrat[1]};
    xcands ys = {.c = g->nstrat[1], .r = g->nstrat[0]};
    int rc = x ? 0 : -1;
    for (size_t a = 0; a < nr && !rc; a++)
        for (size_t b = 0; b < nc && !rc; b++)
            rc = solve_pair(x, rs[a], cs[b], cs[b], rs[a], &xs, &ys);
    if (!rc)
        rc = pair_candidates(&xs, &ys, x->m, x->n, found, x->w.t);
    xcands_free(&xs);
    xcands_free(&ys);
    xgame_free(x);
    if (rc)
        return sim_error(err, SIM_E_NOMEM,
                         "support enumeration: out of memory");
    return 0;
}

int sim_nfg_exact_verify(const sim_nfg *g, const uint32_t ysys[2],
                         const uint32_t xsys[2], sim_nfg_eq *e, sim_err *err)
{
    xgame *x = xgame_new(g);
    xcands xs = {.c = g->nstrat[0], .r = g->nstrat[1]};
    xcands ys = {.c = g->nstrat[1], .r = g->nstrat[0]};
    sim_nfg_found one = {0};
    int rc = x ? solve_pair(x, ysys[0], ysys[1], xsys[0], xsys[1], &xs, &ys)
               : -1;
    if (!rc && xs.n == 1 && ys.n == 1)
        rc = pair_candidates(&xs, &ys, x->m, x->n, &one, x->w.t);
    int ok = !rc && one.n == 1;
    if (ok) {
        memcpy(e->x, one.v[0].x, sizeof e->x);
        memcpy(e->y, one.v[0].y, sizeof e->y);
        e->sx = one.v[0].sx;
        e->sy = one.v[0].sy;
    }
    free(one.v);
    xcands_free(&xs);
    xcands_free(&ys);
    xgame_free(x);
    if (rc)
        return sim_error(err, SIM_E_NOMEM,
                         "support enumeration: out of memory");
    return ok;
}
