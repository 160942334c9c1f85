/* nfg_support.c - the mixed Nash equilibria of a two-player game by
 * support enumeration (method, tolerances and limits in nfg.h). */
#include <sanctionsim/nfg.h>

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
    dvec sys; /* the support pair (rows, columns masks, exact as doubles)
                 whose system gave each candidate */
    size_t n;
} cands;

static void cands_free(cands *cs)
{
    free(cs->sys.v);
    free(cs->mix.v);
    free(cs->resp.v);
    free(cs->best.v);
}

/* Records that memory ran out; returns SIM_E_NOMEM. */
static int nomem(sim_err *err)
{
    sim_error(err, SIM_E_NOMEM, "support enumeration: out of memory");
    return SIM_E_NOMEM;
}

/* GSL objects sized for the largest system. */
typedef struct se_work {
    gsl_matrix *M, *M0, *V;
    gsl_vector *S, *w, *b, *sol;
} se_work;

/* Frees what se_work_alloc allocated; NULL members are skipped. */
static void se_work_free(se_work *ws)
{
    gsl_matrix_free(ws->M);
    gsl_matrix_free(ws->M0);
    gsl_matrix_free(ws->V);
    gsl_vector_free(ws->S);
    gsl_vector_free(ws->w);
    gsl_vector_free(ws->b);
    gsl_vector_free(ws->sol);
}

/* Allocates ws for systems up to dim x dim; 0, or -1 if memory runs out
 * (ws then holds what was allocated, for se_work_free). */
static int se_work_alloc(se_work *ws, size_t dim)
{
    ws->M = gsl_matrix_alloc(dim, dim);
    ws->M0 = gsl_matrix_alloc(dim, dim);
    ws->V = gsl_matrix_alloc(dim, dim);
    ws->S = gsl_vector_alloc(dim);
    ws->w = gsl_vector_alloc(dim);
    ws->b = gsl_vector_alloc(dim);
    ws->sol = gsl_vector_alloc(dim);
    return ws->M && ws->M0 && ws->V && ws->S && ws->w && ws->b && ws->sol ? 0
                                                                          : -1;
}

/* One system of rows x cols within the workspace: the matrix M (the SVD
 * overwrites it), a copy M0 for the residual, the SVD's V, S and work, the
 * right-hand side b and the solution x. */
typedef struct se_system {
    size_t rows, cols;
    gsl_matrix_view M, M0, V;
    gsl_vector_view S, w, b, x;
} se_system;

static se_system system_views(se_work *ws, size_t rows, size_t cols)
{
    se_system sys = {
        .rows = rows,
        .cols = cols,
        .M = gsl_matrix_submatrix(ws->M, 0, 0, rows, cols),
        .M0 = gsl_matrix_submatrix(ws->M0, 0, 0, rows, cols),
        .V = gsl_matrix_submatrix(ws->V, 0, 0, cols, cols),
        .S = gsl_vector_subvector(ws->S, 0, cols),
        .w = gsl_vector_subvector(ws->w, 0, cols),
        .b = gsl_vector_subvector(ws->b, 0, rows),
        .x = gsl_vector_subvector(ws->sol, 0, cols),
    };
    return sys;
}

/* Fills sys with the indifference system of the rows in rmask of the r x c
 * matrix P for a mix q over the kc columns cidx: P[i, C] q - v = 0 for
 * each such row i, sum q = 1 (unknowns q, then v). */
static void build_system(se_system *sys, const double *P, int r, int c,
                         uint32_t rmask, const int *cidx, int kc)
{
    gsl_matrix *M = &sys->M.matrix;
    size_t t = 0;
    for (int i = 0; i < r; i++) {
        if (!(rmask >> i & 1u))
            continue;
        for (int u = 0; u < kc; u++)
            gsl_matrix_set(M, t, (size_t)u, P[i * c + cidx[u]]);
        gsl_matrix_set(M, t, (size_t)kc, -1.0);
        gsl_vector_set(&sys->b.vector, t, 0.0);
        t++;
    }
    for (int u = 0; u < kc; u++)
        gsl_matrix_set(M, t, (size_t)u, 1.0);
    gsl_matrix_set(M, t, (size_t)kc, 0.0);
    gsl_vector_set(&sys->b.vector, t, 1.0);
    gsl_matrix_memcpy(&sys->M0.matrix, M);
}

/* Solves sys by SVD (least squares). Returns 1 with the solution in sys->x
 * if it is unique (smallest singular value > SE_RANK_TOL times the
 * largest) and exact (every residual below SIM_NFG_SUPPORT_TOL), 0 if it is
 * not, or SIM_E_NUMERIC if GSL fails. */
static int svd_solve(se_system *sys, sim_err *err)
{
    int st = gsl_linalg_SV_decomp(&sys->M.matrix, &sys->V.matrix,
                                  &sys->S.vector, &sys->w.vector);
    if (st)
        return sim_error(err, SIM_E_NUMERIC,
                         "support enumeration: SVD failed: %s",
                         gsl_strerror(st));
    double smax = gsl_vector_get(&sys->S.vector, 0);
    double smin = gsl_vector_get(&sys->S.vector, sys->cols - 1);
    if (!(smin > SE_RANK_TOL * smax))
        return 0; /* a continuum of solutions, or none */
    /* GSL's SV_solve fails only on sizes that do not match, and
     * system_views sizes M rows x cols, V cols x cols, S and x cols, b
     * rows: its status cannot be an error. */
    (void)gsl_linalg_SV_solve(&sys->M.matrix, &sys->V.matrix, &sys->S.vector,
                              &sys->b.vector, &sys->x.vector);
    for (size_t i = 0; i < sys->rows; i++) {
        double acc = -gsl_vector_get(&sys->b.vector, i);
        for (size_t j = 0; j < sys->cols; j++)
            acc += gsl_matrix_get(&sys->M0.matrix, i, j) *
                   gsl_vector_get(&sys->x.vector, j);
        if (!(fabs(acc) < SIM_NFG_SUPPORT_TOL))
            return 0; /* least squares, not a solution */
    }
    return 1;
}

/* Adds the mix q (c entries) with the opponent's payoffs resp (r entries)
 * and their maximum best to cs, unless a candidate within the tolerance
 * (max norm) is there already. Returns 0 or SIM_E_NOMEM. */
static int add_candidate(cands *cs, const double *q, int c, const double *resp,
                         int r, double best, const uint32_t sys[2],
                         sim_err *err)
{
    for (size_t k = 0; k < cs->n; k++) {
        const double *o = cs->mix.v + k * (size_t)c;
        double dist = 0.0;
        for (int j = 0; j < c; j++)
            dist = fmax(dist, fabs(o[j] - q[j]));
        if (dist < SIM_NFG_SUPPORT_TOL)
            return 0;
    }
    for (int j = 0; j < c; j++)
        if (dvec_push(&cs->mix, q[j]))
            goto nomem;
    for (int i = 0; i < r; i++)
        if (dvec_push(&cs->resp, resp[i]))
            goto nomem;
    if (dvec_push(&cs->best, best) || dvec_push(&cs->sys, sys[0]) ||
        dvec_push(&cs->sys, sys[1]))
        goto nomem;
    cs->n++;
    return 0;
nomem:
    return nomem(err);
}

/* Solves the indifference system for a mix q over the columns in cmask of
 * the r x c matrix P (row-major, scaled so |P| <= 1): P[i, C] q = v for the
 * rows i in rmask, sum q = 1. Adds q to cs if the solution is unique and
 * exact (svd_solve), non-negative (to -tol, then clamped) and no row does
 * better than v by more than the tolerance. Returns 0 (added or not), or
 * SIM_E_NUMERIC / SIM_E_NOMEM. */
static int solve_support(const double *P, int r, int c, uint32_t rmask,
                         uint32_t cmask, se_work *ws, cands *cs, sim_err *err)
{
    const double tol = SIM_NFG_SUPPORT_TOL;
    int cidx[32], kc = 0;
    for (int j = 0; j < c; j++)
        if (cmask >> j & 1u)
            cidx[kc++] = j;
    int kr = popcount(rmask);
    if (kr < kc) /* kr + 1 equations, kc + 1 unknowns: never unique */
        return 0;
    se_system sys = system_views(ws, (size_t)kr + 1, (size_t)kc + 1);
    build_system(&sys, P, r, c, rmask, cidx, kc);
    int st = svd_solve(&sys, err);
    if (st <= 0)
        return st;
    double q[SIM_NFG_SUPPORT_MAX_STRATEGIES] = {0};
    for (int u = 0; u < kc; u++) {
        double v = gsl_vector_get(&sys.x.vector, (size_t)u);
        if (!(v >= -tol))
            return 0;
        q[cidx[u]] = v > 0.0 ? v : 0.0;
    }
    double value = gsl_vector_get(&sys.x.vector, (size_t)kc);
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
    const uint32_t masks[2] = {rmask, cmask};
    return add_candidate(cs, q, c, resp, r, best, masks, err);
}

static int cmp_eq(const void *a, const void *b)
{
    const sim_nfg_eq *p = a, *q = b;
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

/* Checks the game and the arguments of sim_nfg_support_enumeration. */
static int check_args(const sim_nfg *g, const sim_mixed *eq, size_t max,
                      const size_t *count, sim_err *err)
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
    return 0;
}

/* A (m x n) is the row player's payoff, Bt (n x m) the column player's,
 * transposed; each divided by its own player's largest |payoff| (scale[0],
 * scale[1]; 1 if all are 0), so the tolerances are relative to that
 * player's payoff scale: a player whose payoffs are all near 1e-6 is held
 * to the same relative standard as one whose payoffs are near 1e6. */
static void scaled_payoffs(const sim_nfg *g, double *A, double *Bt,
                           double scale[2])
{
    const int m = g->nstrat[0], n = g->nstrat[1];
    scale[0] = scale[1] = 0.0;
    for (size_t k = 0; k < g->nprofiles * 2; k++)
        scale[k % 2] = fmax(scale[k % 2], fabs(g->payoff[k]));
    for (int pl = 0; pl < 2; pl++)
        if (!(scale[pl] > 0.0))
            scale[pl] = 1.0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            size_t p = (size_t)i + (size_t)m * (size_t)j;
            A[i * n + j] = g->payoff[2 * p] / scale[0];
            Bt[j * m + i] = g->payoff[2 * p + 1] / scale[1];
        }
}

/* For each pair of supports (S1, S2) of rs x cs: the column player's mix
 * y on S2 that makes the rows in S1 indifferent (and best) into ys, and
 * the row player's mix x on S1 that makes the columns in S2 indifferent
 * into xs. Returns 0, SIM_E_NUMERIC or SIM_E_NOMEM. */
static int find_candidates(const double *A, const double *Bt, int m, int n,
                           const uint32_t *rs, size_t nr, const uint32_t *cs,
                           size_t nc, cands *xs, cands *ys, sim_err *err)
{
    se_work ws = {0};
    int rc = 0;
    if (se_work_alloc(&ws, (size_t)(m > n ? m : n) + 1) != 0)
        rc = nomem(err);
    for (size_t a = 0; a < nr && !rc; a++)
        for (size_t b = 0; b < nc && !rc; b++) {
            rc = solve_support(A, m, n, rs[a], cs[b], &ws, ys, err);
            if (!rc)
                rc = solve_support(Bt, n, m, cs[b], rs[a], &ws, xs, err);
        }
    se_work_free(&ws);
    return rc;
}

/* Pairs the candidates: (x, y) is an equilibrium when neither player gains
 * more than the tolerance by a pure deviation. Appends each to found with
 * its supports. Returns 0 or SIM_E_NOMEM. */
static int pair_candidates(const cands *xs, const cands *ys, int m, int n,
                           sim_nfg_found *found, sim_err *err)
{
    for (size_t xi = 0; xi < xs->n; xi++) {
        const double *x = xs->mix.v + xi * (size_t)m;
        const double *bx = xs->resp.v + xi * (size_t)n;
        for (size_t yi = 0; yi < ys->n; yi++) {
            const double *y = ys->mix.v + yi * (size_t)n;
            const double *ay = ys->resp.v + yi * (size_t)m;
            double u1 = 0.0, u2 = 0.0;
            for (int i = 0; i < m; i++)
                u1 += x[i] * ay[i];
            for (int j = 0; j < n; j++)
                u2 += y[j] * bx[j];
            if (ys->best.v[yi] - u1 > SIM_NFG_SUPPORT_TOL ||
                xs->best.v[xi] - u2 > SIM_NFG_SUPPORT_TOL)
                continue;
            sim_nfg_eq e = {.xi = xi,
                            .yi = yi,
                            .sx = support_of(x, m),
                            .sy = support_of(y, n)};
            memcpy(e.x, x, (size_t)m * sizeof *x);
            memcpy(e.y, y, (size_t)n * sizeof *y);
            for (int k = 0; k < 2; k++) {
                e.xsys[k] = (uint32_t)xs->sys.v[2 * xi + (size_t)k];
                e.ysys[k] = (uint32_t)ys->sys.v[2 * yi + (size_t)k];
            }
            if (sim_nfg_found_push(found, &e))
                return nomem(err);
        }
    }
    return 0;
}

/* 1 if e's mixes equal (exactly) those of an equilibrium in v[0..n). */
static int seen(const sim_nfg_eq *v, size_t n, const sim_nfg_eq *e)
{
    for (size_t k = 0; k < n; k++) {
        int same = 1;
        for (int j = 0; j < SIM_NFG_SUPPORT_MAX_STRATEGIES && same; j++)
            same = v[k].x[j] == e->x[j] && v[k].y[j] == e->y[j];
        if (same)
            return 1;
    }
    return 0;
}

/* The floating-point search (games too large for the exact one): support
 * enumeration on payoffs scaled per player; then every equilibrium found
 * is verified by solving its two systems again in exact arithmetic
 * (sim_nfg_exact_verify) and replaced by the exact solution; those that
 * fail are dropped and counted in *rejected, and several that give the
 * same exact equilibrium are merged into the first. Returns 0,
 * SIM_E_NUMERIC or SIM_E_NOMEM. */
static int support_float(const sim_nfg *g, const uint32_t *rs, size_t nr,
                         const uint32_t *cs, size_t nc, sim_nfg_found *found,
                         size_t *rejected, sim_err *err)
{
    const int m = g->nstrat[0], n = g->nstrat[1];
    double A[SIM_NFG_SUPPORT_MAX_STRATEGIES * SIM_NFG_SUPPORT_MAX_STRATEGIES];
    double Bt[SIM_NFG_SUPPORT_MAX_STRATEGIES * SIM_NFG_SUPPORT_MAX_STRATEGIES];
    double scale[2];
    scaled_payoffs(g, A, Bt, scale);
    (void)scale;
    cands xs = {0}, ys = {0};
    int rc = find_candidates(A, Bt, m, n, rs, nr, cs, nc, &xs, &ys, err);
    if (!rc)
        rc = pair_candidates(&xs, &ys, m, n, found, err);
    cands_free(&xs);
    cands_free(&ys);
    size_t kept = 0, bad = 0;
    for (size_t k = 0; k < found->n && !rc; k++) {
        sim_nfg_eq e = found->v[k];
        int ok = sim_nfg_exact_verify(g, e.ysys, e.xsys, &e, err);
        if (ok < 0)
            rc = ok;
        else if (!ok)
            bad++;
        else if (!seen(found->v, kept, &e))
            found->v[kept++] = e;
    }
    if (!rc) {
        *rejected = bad;
        found->n = kept;
    }
    return rc;
}

int sim_nfg_mixed_equilibria(const sim_nfg *g, sim_mixed *eq, size_t max,
                             size_t *count, sim_nfg_support_info *info,
                             sim_err *err)
{
    sim_error_quiet_gsl(); /* GSL reports through status codes */
    int rc = check_args(g, eq, max, count, err);
    if (rc)
        return rc;
    const int m = g->nstrat[0], n = g->nstrat[1];
    sim_nfg_support_info local = {0};
    info = info ? info : &local;
    memset(info, 0, sizeof *info);
    size_t nr = 0, nc = 0;
    uint32_t *rs = support_list(m, &nr), *cs = support_list(n, &nc);
    sim_nfg_found found = {0};
    if (!rs || !cs)
        rc = nomem(err);
    else if (m + n <= SIM_NFG_EXACT_MAX_STRATEGIES) {
        info->exact = true;
        rc = sim_nfg_support_exact(g, rs, nr, cs, nc, &found, err);
    } else {
        rc = support_float(g, rs, nr, cs, nc, &found, &info->rejected, err);
    }
    if (!rc) {
        if (found.n > 1)
            qsort(found.v, found.n, sizeof *found.v, cmp_eq);
        for (size_t k = 0; k < found.n && k < max; k++) {
            const sim_nfg_eq *f = &found.v[k];
            memset(&eq[k], 0, sizeof eq[k]);
            memcpy(eq[k].prob[0], f->x, (size_t)m * sizeof f->x[0]);
            memcpy(eq[k].prob[1], f->y, (size_t)n * sizeof f->y[0]);
        }
        *count = found.n;
    }
    free(found.v);
    free(rs);
    free(cs);
    return rc;
}

int sim_nfg_support_enumeration(const sim_nfg *g, sim_mixed *eq, size_t max,
                                size_t *count, sim_err *err)
{
    return sim_nfg_mixed_equilibria(g, eq, max, count, NULL, err);
}
