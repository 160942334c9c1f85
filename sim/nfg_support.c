/* nfg_support.c - the mixed Nash equilibria of a two-player game by
 * support enumeration (method, tolerances and limits in nfg.h). */
#include "nfg.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nfg_impl.h"

/* A relative singular value below this makes a system rank deficient. */
#define SE_RANK_TOL 1e-10

static int popcount(uint32_t m)
{
    int c = 0;
    for (; m; m &= m - 1)
        c++;
    return c;
}

/* Orders supports by size, then by mask: pure strategies first. */
static int cmp_mask(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int px = popcount(x), py = popcount(y);
    if (px != py)
        return px < py ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* The nonempty subsets of k strategies in enumeration order; malloc'ed. */
static uint32_t *support_list(int k, size_t *count)
{
    size_t n = ((size_t)1 << k) - 1;
    uint32_t *m = malloc(n * sizeof *m);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n; i++)
        m[i] = (uint32_t)(i + 1);
    qsort(m, n, sizeof *m, cmp_mask);
    *count = n;
    return m;
}

/* Candidate mixed strategies of one player, deduplicated: with c its
 * strategy count and r the opponent's, mix[k * c ..] is candidate k,
 * resp[k * r ..] the opponent's (scaled) payoff from each of its pure
 * strategies against it, and best[k] the largest of those. */
typedef struct cands {
    dvec mix, resp, best;
    size_t n;
} cands;

/* GSL objects sized for the largest system. */
typedef struct se_work {
    gsl_matrix *M, *M0, *V;
    gsl_vector *S, *w, *b, *sol;
} se_work;

/* Solves the indifference system for a mix q over the columns in cmask of
 * the r x c matrix P (row-major, scaled so |P| <= 1): P[i, C] q = v for the
 * rows i in rmask, sum q = 1. Adds q to cs if the solution is unique
 * (smallest singular value > SE_RANK_TOL times the largest), exact
 * (residual < SIM_NFG_SUPPORT_TOL), non-negative (to -tol, then clamped)
 * and no row does better than v by more than the tolerance. Returns 0 (added
 * or not), or SIM_E_NUMERIC / SIM_E_NOMEM. */
static int solve_support(const double *P, int r, int c, uint32_t rmask,
                         uint32_t cmask, se_work *ws, cands *cs, sim_err *err)
{
    const double tol = SIM_NFG_SUPPORT_TOL;
    int kr = popcount(rmask), kc = popcount(cmask);
    if (kr < kc) /* kr + 1 equations, kc + 1 unknowns: never unique */
        return 0;
    size_t rows = (size_t)kr + 1, cols = (size_t)kc + 1;
    int cidx[32];
    for (int j = 0, t = 0; j < c; j++)
        if (cmask >> j & 1u)
            cidx[t++] = j;
    gsl_matrix_view Mv = gsl_matrix_submatrix(ws->M, 0, 0, rows, cols);
    gsl_matrix_view M0v = gsl_matrix_submatrix(ws->M0, 0, 0, rows, cols);
    gsl_matrix_view Vv = gsl_matrix_submatrix(ws->V, 0, 0, cols, cols);
    gsl_vector_view Sv = gsl_vector_subvector(ws->S, 0, cols);
    gsl_vector_view wv = gsl_vector_subvector(ws->w, 0, cols);
    gsl_vector_view bv = gsl_vector_subvector(ws->b, 0, rows);
    gsl_vector_view xv = gsl_vector_subvector(ws->sol, 0, cols);
    gsl_matrix *M = &Mv.matrix;
    size_t t = 0;
    for (int i = 0; i < r; i++) {
        if (!(rmask >> i & 1u))
            continue;
        for (int u = 0; u < kc; u++)
            gsl_matrix_set(M, t, (size_t)u, P[i * c + cidx[u]]);
        gsl_matrix_set(M, t, (size_t)kc, -1.0);
        gsl_vector_set(&bv.vector, t, 0.0);
        t++;
    }
    for (int u = 0; u < kc; u++)
        gsl_matrix_set(M, t, (size_t)u, 1.0);
    gsl_matrix_set(M, t, (size_t)kc, 0.0);
    gsl_vector_set(&bv.vector, t, 1.0);
    gsl_matrix_memcpy(&M0v.matrix, M);

    int st = gsl_linalg_SV_decomp(M, &Vv.matrix, &Sv.vector, &wv.vector);
    if (st)
        return sim_error(err, SIM_E_NUMERIC,
                         "support enumeration: SVD failed: %s",
                         gsl_strerror(st));
    double smax = gsl_vector_get(&Sv.vector, 0);
    double smin = gsl_vector_get(&Sv.vector, cols - 1);
    if (!(smin > SE_RANK_TOL * smax))
        return 0; /* a continuum of solutions, or none */
    st = gsl_linalg_SV_solve(M, &Vv.matrix, &Sv.vector, &bv.vector, &xv.vector);
    if (st)
        return sim_error(err, SIM_E_NUMERIC,
                         "support enumeration: SVD solve failed: %s",
                         gsl_strerror(st));
    for (size_t i = 0; i < rows; i++) {
        double acc = -gsl_vector_get(&bv.vector, i);
        for (size_t j = 0; j < cols; j++)
            acc += gsl_matrix_get(&M0v.matrix, i, j) *
                   gsl_vector_get(&xv.vector, j);
        if (!(fabs(acc) < tol))
            return 0; /* least squares, not a solution */
    }
    double q[SIM_NFG_SUPPORT_MAX_STRATEGIES] = {0};
    for (int u = 0; u < kc; u++) {
        double v = gsl_vector_get(&xv.vector, (size_t)u);
        if (!(v >= -tol))
            return 0;
        q[cidx[u]] = v > 0.0 ? v : 0.0;
    }
    double value = gsl_vector_get(&xv.vector, (size_t)kc);
    double resp[SIM_NFG_SUPPORT_MAX_STRATEGIES];
    double best = -HUGE_VAL;
    for (int i = 0; i < r; i++) {
        double acc = 0.0;
        for (int j = 0; j < c; j++)
            acc += P[i * c + j] * q[j];
        if (acc > value + tol)
            return 0; /* a row outside the indifferent set does better */
        resp[i] = acc;
        best = fmax(best, acc);
    }
    /* Deduplicate (max-norm distance below the tolerance). */
    for (size_t k = 0; k < cs->n; k++) {
        const double *o = cs->mix.v + k * (size_t)c;
        double dist = 0.0;
        for (int j = 0; j < c; j++)
            dist = fmax(dist, fabs(o[j] - q[j]));
        if (dist < tol)
            return 0;
    }
    for (int j = 0; j < c; j++)
        if (dvec_push(&cs->mix, q[j]))
            goto nomem;
    for (int i = 0; i < r; i++)
        if (dvec_push(&cs->resp, resp[i]))
            goto nomem;
    if (dvec_push(&cs->best, best))
        goto nomem;
    cs->n++;
    return 0;
nomem:
    return sim_error(err, SIM_E_NOMEM, "support enumeration: out of memory");
}

/* An equilibrium found: candidate indices and the supports for ordering. */
typedef struct se_eq {
    size_t xi, yi;
    uint32_t sx, sy;
} se_eq;

static int cmp_eq(const void *a, const void *b)
{
    const se_eq *p = a, *q = b;
    int c = cmp_mask(&p->sx, &q->sx);
    if (c)
        return c;
    if ((c = cmp_mask(&p->sy, &q->sy)) != 0)
        return c;
    if (p->xi != q->xi)
        return p->xi < q->xi ? -1 : 1;
    return p->yi < q->yi ? -1 : p->yi > q->yi;
}

static uint32_t support_of(const double *p, int k)
{
    uint32_t m = 0;
    for (int j = 0; j < k; j++)
        if (p[j] > SIM_NFG_SUPPORT_TOL)
            m |= 1u << j;
    return m;
}

int sim_nfg_support_enumeration(const sim_nfg *g, sim_mixed *eq, size_t max,
                                size_t *count, sim_err *err)
{
    int rc = sim_nfg_check(g, err);
    if (rc)
        return rc;
    if (!count || (max > 0 && !eq))
        return sim_error(err, SIM_E_USAGE,
                         "sim_nfg_support_enumeration: NULL output");
    if (g->nplayers != 2)
        return sim_error(err, SIM_E_USAGE,
                         "support enumeration needs a two-player game, this "
                         "one has %d players",
                         g->nplayers);
    const int m = g->nstrat[0], n = g->nstrat[1];
    if (m + n > SIM_NFG_SUPPORT_MAX_STRATEGIES)
        return sim_error(err, SIM_E_USAGE,
                         "support enumeration takes time exponential in the "
                         "number of strategies: %d + %d exceeds the limit %d",
                         m, n, SIM_NFG_SUPPORT_MAX_STRATEGIES);

    /* A (m x n) is the row player's payoff, Bt (n x m) the column player's,
     * transposed; both divided by the largest |payoff| (at least 1) so the
     * tolerances are relative to the payoff scale. */
    double scale = 1.0;
    for (size_t k = 0; k < g->nprofiles * 2; k++)
        scale = fmax(scale, fabs(g->payoff[k]));
    double A[SIM_NFG_SUPPORT_MAX_STRATEGIES * SIM_NFG_SUPPORT_MAX_STRATEGIES];
    double Bt[SIM_NFG_SUPPORT_MAX_STRATEGIES * SIM_NFG_SUPPORT_MAX_STRATEGIES];
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            size_t p = (size_t)i + (size_t)m * (size_t)j;
            A[i * n + j] = g->payoff[2 * p] / scale;
            Bt[j * m + i] = g->payoff[2 * p + 1] / scale;
        }

    uint32_t *rs = NULL, *cs_list = NULL;
    se_eq *found = NULL;
    size_t nfound = 0, capfound = 0;
    cands xs = {0}, ys = {0};
    size_t dim = (size_t)(m > n ? m : n) + 1;
    se_work ws = {0};
    ws.M = gsl_matrix_alloc(dim, dim);
    ws.M0 = gsl_matrix_alloc(dim, dim);
    ws.V = gsl_matrix_alloc(dim, dim);
    ws.S = gsl_vector_alloc(dim);
    ws.w = gsl_vector_alloc(dim);
    ws.b = gsl_vector_alloc(dim);
    ws.sol = gsl_vector_alloc(dim);
    size_t nr = 0, nc = 0;
    rs = support_list(m, &nr);
    cs_list = support_list(n, &nc);
    if (!ws.M || !ws.M0 || !ws.V || !ws.S || !ws.w || !ws.b || !ws.sol || !rs ||
        !cs_list) {
        rc = sim_error(err, SIM_E_NOMEM, "support enumeration: out of memory");
        goto done;
    }

    /* For each pair of supports (S1, S2): the column player's mix y on S2
     * that makes the rows in S1 indifferent (and best), and the row
     * player's mix x on S1 that makes the columns in S2 indifferent. */
    for (size_t a = 0; a < nr; a++)
        for (size_t b = 0; b < nc; b++) {
            rc = solve_support(A, m, n, rs[a], cs_list[b], &ws, &ys, err);
            if (!rc)
                rc = solve_support(Bt, n, m, cs_list[b], rs[a], &ws, &xs, err);
            if (rc)
                goto done;
        }

    /* Pair the candidates: (x, y) is an equilibrium when neither player
     * gains more than the tolerance by a pure deviation. */
    for (size_t xi = 0; xi < xs.n; xi++) {
        const double *x = xs.mix.v + xi * (size_t)m;
        const double *bx = xs.resp.v + xi * (size_t)n;
        for (size_t yi = 0; yi < ys.n; yi++) {
            const double *y = ys.mix.v + yi * (size_t)n;
            const double *ay = ys.resp.v + yi * (size_t)m;
            double u1 = 0.0, u2 = 0.0;
            for (int i = 0; i < m; i++)
                u1 += x[i] * ay[i];
            for (int j = 0; j < n; j++)
                u2 += y[j] * bx[j];
            if (ys.best.v[yi] - u1 > SIM_NFG_SUPPORT_TOL ||
                xs.best.v[xi] - u2 > SIM_NFG_SUPPORT_TOL)
                continue;
            if (nfound == capfound) {
                size_t ncap = capfound ? 2 * capfound : 16;
                se_eq *nf = realloc(found, ncap * sizeof *nf);
                if (!nf) {
                    rc = sim_error(err, SIM_E_NOMEM,
                                   "support enumeration: out of memory");
                    goto done;
                }
                found = nf;
                capfound = ncap;
            }
            found[nfound++] = (se_eq){.xi = xi,
                                      .yi = yi,
                                      .sx = support_of(x, m),
                                      .sy = support_of(y, n)};
        }
    }
    if (nfound > 1)
        qsort(found, nfound, sizeof *found, cmp_eq);
    for (size_t k = 0; k < nfound && k < max; k++) {
        memset(&eq[k], 0, sizeof eq[k]);
        for (int i = 0; i < m; i++)
            eq[k].prob[0][i] = xs.mix.v[found[k].xi * (size_t)m + (size_t)i];
        for (int j = 0; j < n; j++)
            eq[k].prob[1][j] = ys.mix.v[found[k].yi * (size_t)n + (size_t)j];
    }
    *count = nfound;
done:
    gsl_matrix_free(ws.M);
    gsl_matrix_free(ws.M0);
    gsl_matrix_free(ws.V);
    gsl_vector_free(ws.S);
    gsl_vector_free(ws.w);
    gsl_vector_free(ws.b);
    gsl_vector_free(ws.sol);
    free(rs);
    free(cs_list);
    free(found);
    free(xs.mix.v);
    free(xs.resp.v);
    free(xs.best.v);
    free(ys.mix.v);
    free(ys.resp.v);
    free(ys.best.v);
    return rc;
}
