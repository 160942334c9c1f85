/* qre.c - logit quantal response equilibrium by pseudo-arclength
 * continuation from lambda = 0 (equations, method and limits in qre.h). */
#include "qre.h"

#include <float.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define QRE_H0 0.1            /* first arclength step in (y, lambda) */
#define QRE_H_MIN 1e-12       /* relative to 1 + |z|: the step has stalled */
#define QRE_MAX_STEPS 20000   /* continuation steps, accepted or not */
#define QRE_MAX_ITER 50       /* corrector iterations per step */
#define QRE_FAST_ITER 6       /* a step converged this fast doubles the next */
#define QRE_MAX_JUMP 0.05     /* largest predictor-to-corrector move of a p */
#define QRE_MIN_COS 0.9       /* tangents of successive points: < 26 deg */
#define QRE_STEP_TOL 1e-9     /* sum |F| at an intermediate point, plus floor */
#define QRE_STEP_RES 1e-11    /* or this residual max |p - logit(p)| */
#define QRE_POLISH_ITER 100   /* extra iterations at the target */
#define QRE_POLISH_GOAL 1e-14 /* polishing stops once the residual is here */

/* Everything one solve needs; lives on the heap for the duration of one
 * sim_qre_logit call. Invariant: p and d describe the last point passed to
 * set_point. */
typedef struct qre_work {
    const sim_nfg *g;
    double lambda; /* precision of the equations being solved */
    int n;         /* players */
    int nvar;      /* sum_i (nstrat_i - 1): the log-odds y_ij, j != r_i */
    int nstot;     /* sum_i nstrat_i */
    int off[SIM_NFG_MAX_PLAYERS];  /* first variable of player i in y */
    int soff[SIM_NFG_MAX_PLAYERS]; /* index of (i, 0) among all strategies */
    size_t stride[SIM_NFG_MAX_PLAYERS]; /* profile index step of s_i */
    /* Reference strategy r_i of each player: y_ij = log(p_ij / p_ir_i) for
     * j != r_i. It is moved to the most probable strategy as the branch is
     * followed, so the log-odds of the strategies in play stay O(1) and
     * keep their precision while those of vanishing strategies go to
     * -infinity (anchored at strategy 0 they could all be ~ lambda). */
    int ref[SIM_NFG_MAX_PLAYERS];
    int vi[SIM_NFG_MAX_PLAYERS * SIM_NFG_MAX_STRATEGIES]; /* player of y_r */
    int vj[SIM_NFG_MAX_PLAYERS * SIM_NFG_MAX_STRATEGIES]; /* strategy of y_r */
    double dmax; /* >= every |u_i(j, s_-i) - u_i(k, s_-i)| (D in qre.h) */
    sim_mixed p; /* probabilities at the current point */
    sim_mixed d; /* d_ij = EU_ij - EU_ir_i at p (d_ir_i = 0) */
    double *dd;  /* nvar x nstot: d d_ij / d p_km, 0 for k == i */
    const gsl_vector *border; /* arclength system: tangent T (N + 1) */
    const gsl_vector *zpred;  /* and predicted point (N + 1) */
} qre_work;

/* Checks g's structure and payoffs; returns 0 or SIM_E_USAGE. */
static int check_game(const sim_nfg *g, sim_err *err)
{
    if (!g)
        return sim_error(err, SIM_E_USAGE, "qre: game is NULL");
    if (g->nplayers < 1 || g->nplayers > SIM_NFG_MAX_PLAYERS)
        return sim_error(err, SIM_E_USAGE,
                         "qre: game has %d players (allowed 1 to %d)",
                         g->nplayers, SIM_NFG_MAX_PLAYERS);
    size_t np = 1;
    for (int i = 0; i < g->nplayers; i++) {
        if (g->nstrat[i] < 1 || g->nstrat[i] > SIM_NFG_MAX_STRATEGIES)
            return sim_error(err, SIM_E_USAGE,
                             "qre: player %d has %d strategies (allowed 1 "
                             "to %d)",
                             i, g->nstrat[i], SIM_NFG_MAX_STRATEGIES);
        np *= (size_t)g->nstrat[i];
    }
    if (np != g->nprofiles)
        return sim_error(err, SIM_E_USAGE,
                         "qre: game has nprofiles = %zu but its strategy "
                         "counts give %zu",
                         g->nprofiles, np);
    if (!g->payoff)
        return sim_error(err, SIM_E_USAGE, "qre: game has no payoff table");
    for (size_t k = 0; k < np * (size_t)g->nplayers; k++)
        if (!isfinite(g->payoff[k]))
            return sim_error(err, SIM_E_USAGE,
                             "qre: payoff of player %zu at profile %zu is "
                             "not finite",
                             k % (size_t)g->nplayers, k / (size_t)g->nplayers);
    return 0;
}

/* Advances the pure profile s to the next one in index order (player 0
 * fastest), wrapping to all zeros after the last. */
static void next_profile(const sim_nfg *g, int *s)
{
    for (int i = 0; i < g->nplayers; i++) {
        if (++s[i] < g->nstrat[i])
            return;
        s[i] = 0;
    }
}

/* Index in y of player i's strategy j != ref[i]. */
static size_t var_of(const qre_work *w, int i, int j)
{
    return (size_t)w->off[i] + (size_t)(j < w->ref[i] ? j : j - 1);
}

/* Rebuilds the inverse map vi, vj from the references. */
static void index_vars(qre_work *w)
{
    for (int i = 0; i < w->n; i++)
        for (int j = 0; j < w->g->nstrat[i]; j++)
            if (j != w->ref[i]) {
                size_t r = var_of(w, i, j);
                w->vi[r] = i;
                w->vj[r] = j;
            }
}

/* Sets the layout fields of w for the (checked) game g, references at
 * strategy 0. */
static void layout(qre_work *w, const sim_nfg *g)
{
    w->g = g;
    w->n = g->nplayers;
    w->nvar = 0;
    w->nstot = 0;
    size_t stride = 1;
    for (int i = 0; i < w->n; i++) {
        w->off[i] = w->nvar;
        w->soff[i] = w->nstot;
        w->stride[i] = stride;
        w->ref[i] = 0;
        w->nvar += g->nstrat[i] - 1;
        w->nstot += g->nstrat[i];
        stride *= (size_t)g->nstrat[i];
    }
    index_vars(w);
}

/* u_i(s) - u_i(r_i, s_-i): player i's gain from its strategy s_i = si at
 * profile idx over its reference strategy. */
static double gain(const qre_work *w, size_t idx, int i, int si)
{
    const size_t n = (size_t)w->n;
    size_t base =
        idx - (size_t)si * w->stride[i] + (size_t)w->ref[i] * w->stride[i];
    return w->g->payoff[idx * n + (size_t)i] -
           w->g->payoff[base * n + (size_t)i];
}

/* Largest |u_i(s) - u_i(0, s_-i)| over players and profiles (with
 * references at 0); every payoff difference is at most twice this. */
static double max_payoff_difference(const qre_work *w)
{
    const sim_nfg *g = w->g;
    int s[SIM_NFG_MAX_PLAYERS] = {0};
    double m = 0.0;
    for (size_t idx = 0; idx < g->nprofiles; idx++, next_profile(g, s))
        for (int i = 0; i < w->n; i++)
            m = fmax(m, fabs(gain(w, idx, i, s[i])));
    return 2.0 * m;
}

/* d_ij = EU_ij(p) - EU_ir_i(p) for every player (d_ir_i = 0). The payoff
 * difference is taken per opponent profile, before weighting, so that large
 * common payoff levels do not cost precision. */
static void payoff_gains(const qre_work *w, const sim_mixed *p, sim_mixed *d)
{
    const sim_nfg *g = w->g;
    memset(d, 0, sizeof *d);
    int s[SIM_NFG_MAX_PLAYERS] = {0};
    for (size_t idx = 0; idx < g->nprofiles; idx++, next_profile(g, s))
        for (int i = 0; i < w->n; i++) {
            if (s[i] == w->ref[i])
                continue;
            double wgt = 1.0;
            for (int k = 0; k < w->n; k++)
                if (k != i)
                    wgt *= p->prob[k][s[k]];
            if (wgt == 0.0)
                continue;
            d->prob[i][s[i]] += gain(w, idx, i, s[i]) * wgt;
        }
}

/* Numerically stable softmax of v[0..m-1] into out: exp(v_j - max v), so
 * the largest term is 1 and nothing overflows. */
static void softmax(const double *v, int m, double *out)
{
    double vmax = -INFINITY;
    for (int j = 0; j < m; j++)
        vmax = fmax(vmax, v[j]);
    double sum = 0.0;
    for (int j = 0; j < m; j++) {
        out[j] = exp(v[j] - vmax);
        sum += out[j];
    }
    for (int j = 0; j < m; j++)
        out[j] /= sum;
}

/* Player i's log-odds against its reference, v[ref] = 0, from y. */
static void log_odds(const qre_work *w, const gsl_vector *y, int i, double *v)
{
    for (int j = 0; j < w->g->nstrat[i]; j++)
        v[j] = j == w->ref[i] ? 0.0 : gsl_vector_get(y, var_of(w, i, j));
}

/* Probabilities from log-odds: p_i = softmax(v_i). */
static void probs_from_y(const qre_work *w, const gsl_vector *y, sim_mixed *p)
{
    double v[SIM_NFG_MAX_STRATEGIES];
    for (int i = 0; i < w->n; i++) {
        log_odds(w, y, i, v);
        softmax(v, w->g->nstrat[i], p->prob[i]);
    }
}

/* Moves each player's reference to its most probable strategy at y and
 * rewrites y accordingly, y'_ij = v_ij - v_i,new (v the log-odds against the
 * old reference); if t is not NULL its y-part (a direction in y) is
 * rewritten the same way. */
static void reanchor(qre_work *w, gsl_vector *y, gsl_vector *t)
{
    double v[SIM_NFG_MAX_STRATEGIES], tv[SIM_NFG_MAX_STRATEGIES];
    for (int i = 0; i < w->n; i++) {
        log_odds(w, y, i, v);
        if (t)
            log_odds(w, t, i, tv);
        int best = 0;
        for (int j = 1; j < w->g->nstrat[i]; j++)
            if (v[j] > v[best])
                best = j;
        w->ref[i] = best;
        for (int j = 0; j < w->g->nstrat[i]; j++)
            if (j != best) {
                gsl_vector_set(y, var_of(w, i, j), v[j] - v[best]);
                if (t)
                    gsl_vector_set(t, var_of(w, i, j), tv[j] - tv[best]);
            }
    }
    index_vars(w);
}

/* References at each player's most probable strategy under p. */
static void anchor_at(qre_work *w, const sim_mixed *p)
{
    for (int i = 0; i < w->n; i++) {
        int best = 0;
        for (int j = 1; j < w->g->nstrat[i]; j++)
            if (p->prob[i][j] > p->prob[i][best])
                best = j;
        w->ref[i] = best;
    }
    index_vars(w);
}

/* max_ij |p_ij - softmax_j(lambda * d_ij(p))| for a checked game; NaN if a
 * probability is not finite. */
static double residual_of(const qre_work *w, double lambda, const sim_mixed *p)
{
    sim_mixed d;
    double v[SIM_NFG_MAX_STRATEGIES], q[SIM_NFG_MAX_STRATEGIES];
    for (int i = 0; i < w->n; i++)
        for (int j = 0; j < w->g->nstrat[i]; j++)
            if (!isfinite(p->prob[i][j]))
                return NAN;
    payoff_gains(w, p, &d);
    double res = 0.0;
    for (int i = 0; i < w->n; i++) {
        int m = w->g->nstrat[i];
        for (int j = 0; j < m; j++)
            v[j] = lambda * d.prob[i][j];
        softmax(v, m, q);
        for (int j = 0; j < m; j++)
            res = fmax(res, fabs(p->prob[i][j] - q[j]));
    }
    return res;
}

/* Moves w's current point to y: p and d. */
static void set_point(qre_work *w, const gsl_vector *y)
{
    probs_from_y(w, y, &w->p);
    payoff_gains(w, &w->p, &w->d);
}

/* F_ij = y_ij - lambda d_ij, at w's current point. */
static int eval_f(const qre_work *w, const gsl_vector *y, gsl_vector *f)
{
    for (size_t r = 0; r < (size_t)w->nvar; r++) {
        double v =
            gsl_vector_get(y, r) - w->lambda * w->d.prob[w->vi[r]][w->vj[r]];
        if (!isfinite(v))
            return GSL_EBADFUNC;
        gsl_vector_set(f, r, v);
    }
    return GSL_SUCCESS;
}

/* J = dF/dy at w's current point. For row (i, j) and column (k, l), k != i:
 *     dF_ij/dy_kl = -lambda p_kl (dd_ij,kl - sum_m p_km dd_ij,km),
 * since dp_km/dy_kl = p_km (delta_ml - p_kl); d_i does not depend on p_i,
 * so the block k == i is the identity. */
static int eval_df(qre_work *w, gsl_matrix *jac)
{
    const sim_nfg *g = w->g;
    const size_t nst = (size_t)w->nstot;
    memset(w->dd, 0, (size_t)w->nvar * nst * sizeof *w->dd);
    int s[SIM_NFG_MAX_PLAYERS] = {0};
    for (size_t idx = 0; idx < g->nprofiles; idx++, next_profile(g, s))
        for (int i = 0; i < w->n; i++) {
            if (s[i] == w->ref[i])
                continue;
            double du = gain(w, idx, i, s[i]);
            if (du == 0.0)
                continue;
            double *row = w->dd + var_of(w, i, s[i]) * nst;
            for (int k = 0; k < w->n; k++) {
                if (k == i)
                    continue;
                double wgt = du;
                for (int l = 0; l < w->n; l++)
                    if (l != i && l != k)
                        wgt *= w->p.prob[l][s[l]];
                row[w->soff[k] + s[k]] += wgt;
            }
        }
    gsl_matrix_set_identity(jac);
    for (size_t r = 0; r < (size_t)w->nvar; r++) {
        const int i = w->vi[r];
        const double *row = w->dd + r * nst;
        for (int k = 0; k < w->n; k++) {
            if (k == i)
                continue;
            const double *pk = w->p.prob[k];
            const double *ddk = row + w->soff[k];
            double avg = 0.0;
            for (int m = 0; m < g->nstrat[k]; m++)
                avg += pk[m] * ddk[m];
            for (int l = 0; l < g->nstrat[k]; l++) {
                if (l == w->ref[k])
                    continue;
                double v = -w->lambda * pk[l] * (ddk[l] - avg);
                if (!isfinite(v))
                    return GSL_EBADFUNC;
                gsl_matrix_set(jac, r, var_of(w, k, l), v);
            }
        }
    }
    return GSL_SUCCESS;
}

/* GSL callbacks: params is the qre_work. */
/* Fixed-lambda system F(y) = 0 for GSL; params is the qre_work, whose
 * lambda field holds the precision. */
static int fix_f(const gsl_vector *y, void *params, gsl_vector *f)
{
    qre_work *w = params;
    set_point(w, y);
    return eval_f(w, y, f);
}

static int fix_df(const gsl_vector *y, void *params, gsl_matrix *jac)
{
    qre_work *w = params;
    set_point(w, y);
    return eval_df(w, jac);
}

static int fix_fdf(const gsl_vector *y, void *params, gsl_vector *f,
                   gsl_matrix *jac)
{
    qre_work *w = params;
    set_point(w, y);
    int st = eval_f(w, y, f);
    return st ? st : eval_df(w, jac);
}

/* The arclength system in z = (y, lambda), N = nvar:
 *     G(z) = ( F(y; lambda), T . (z - zpred) ),
 * the branch equations plus the hyperplane through the predicted point
 * normal to the tangent T; its Jacobian is the bordered matrix
 *     [ J  -d ]
 *     [   T   ]   (dF/dlambda = -d). */
static int arc_eval(const gsl_vector *z, qre_work *w, gsl_vector *f,
                    gsl_matrix *jac)
{
    const size_t nv = (size_t)w->nvar;
    gsl_vector_const_view y = gsl_vector_const_subvector(z, 0, nv);
    w->lambda = gsl_vector_get(z, nv);
    set_point(w, &y.vector);
    if (f) {
        gsl_vector_view fy = gsl_vector_subvector(f, 0, nv);
        int st = eval_f(w, &y.vector, &fy.vector);
        if (st)
            return st;
        double c = 0.0;
        for (size_t k = 0; k <= nv; k++)
            c += gsl_vector_get(w->border, k) *
                 (gsl_vector_get(z, k) - gsl_vector_get(w->zpred, k));
        gsl_vector_set(f, nv, c);
    }
    if (jac) {
        gsl_matrix_view jy = gsl_matrix_submatrix(jac, 0, 0, nv, nv);
        int st = eval_df(w, &jy.matrix);
        if (st)
            return st;
        for (size_t r = 0; r < nv; r++)
            gsl_matrix_set(jac, r, nv, -w->d.prob[w->vi[r]][w->vj[r]]);
        for (size_t k = 0; k <= nv; k++)
            gsl_matrix_set(jac, nv, k, gsl_vector_get(w->border, k));
    }
    return GSL_SUCCESS;
}

static int arc_f(const gsl_vector *z, void *params, gsl_vector *f)
{
    return arc_eval(z, params, f, NULL);
}

static int arc_df(const gsl_vector *z, void *params, gsl_matrix *jac)
{
    return arc_eval(z, params, NULL, jac);
}

static int arc_fdf(const gsl_vector *z, void *params, gsl_vector *f,
                   gsl_matrix *jac)
{
    return arc_eval(z, params, f, jac);
}

/* Scratch for one solve, freed together by free_scratch. N = nvar. */
typedef struct qre_scratch {
    gsl_vector *z, *zpred, *znew; /* points (y, lambda), size N + 1 */
    gsl_vector *tan, *tnew;       /* unit tangents, size N + 1 */
    gsl_vector *rhs;              /* size N + 1 */
    gsl_vector *ypred;            /* size N */
    gsl_matrix *aug;              /* (N + 1) x (N + 1) */
    gsl_permutation *perm;        /* N + 1 */
    gsl_multiroot_fdfsolver *fix; /* N unknowns */
    gsl_multiroot_fdfsolver *arc; /* N + 1 unknowns */
    gsl_multiroot_function_fdf fix_fn, arc_fn;
} qre_scratch;

static void free_scratch(qre_scratch *sc)
{
    if (sc->arc)
        gsl_multiroot_fdfsolver_free(sc->arc);
    if (sc->fix)
        gsl_multiroot_fdfsolver_free(sc->fix);
    gsl_permutation_free(sc->perm);
    gsl_matrix_free(sc->aug);
    gsl_vector_free(sc->ypred);
    gsl_vector_free(sc->rhs);
    gsl_vector_free(sc->tnew);
    gsl_vector_free(sc->tan);
    gsl_vector_free(sc->znew);
    gsl_vector_free(sc->zpred);
    gsl_vector_free(sc->z);
}

/* Allocates sc for nv unknowns; returns 0 or SIM_E_NOMEM. */
static int alloc_scratch(qre_scratch *sc, qre_work *w, sim_err *err)
{
    const size_t nv = (size_t)w->nvar;
    sc->z = gsl_vector_alloc(nv + 1);
    sc->zpred = gsl_vector_alloc(nv + 1);
    sc->znew = gsl_vector_alloc(nv + 1);
    sc->tan = gsl_vector_alloc(nv + 1);
    sc->tnew = gsl_vector_alloc(nv + 1);
    sc->rhs = gsl_vector_alloc(nv + 1);
    sc->ypred = gsl_vector_alloc(nv);
    sc->aug = gsl_matrix_alloc(nv + 1, nv + 1);
    sc->perm = gsl_permutation_alloc(nv + 1);
    sc->fix =
        gsl_multiroot_fdfsolver_alloc(gsl_multiroot_fdfsolver_hybridsj, nv);
    sc->arc =
        gsl_multiroot_fdfsolver_alloc(gsl_multiroot_fdfsolver_hybridsj, nv + 1);
    if (!sc->z || !sc->zpred || !sc->znew || !sc->tan || !sc->tnew ||
        !sc->rhs || !sc->ypred || !sc->aug || !sc->perm || !sc->fix || !sc->arc)
        return sim_error(err, SIM_E_NOMEM,
                         "qre: out of memory for %zu unknowns", nv);
    sc->fix_fn = (gsl_multiroot_function_fdf){fix_f, fix_df, fix_fdf, nv, w};
    sc->arc_fn =
        (gsl_multiroot_function_fdf){arc_f, arc_df, arc_fdf, nv + 1, w};
    return 0;
}

/* Unit tangent of the branch at z into tout, oriented along prev: the
 * solution of [J -d; prev'] t = e_N, normalized. The border row makes the
 * system regular at simple folds, where J alone is singular. Returns 0, or
 * -1 if the bordered matrix is singular or the result not finite. */
static int tangent(qre_work *w, qre_scratch *sc, const gsl_vector *z,
                   const gsl_vector *prev, gsl_vector *tout)
{
    const size_t nv = (size_t)w->nvar;
    int sign;
    w->border = prev;
    w->zpred = z;
    if (arc_eval(z, w, NULL, sc->aug) != GSL_SUCCESS)
        return -1;
    if (gsl_linalg_LU_decomp(sc->aug, sc->perm, &sign) != GSL_SUCCESS)
        return -1;
    for (size_t k = 0; k <= nv; k++)
        if (gsl_matrix_get(sc->aug, k, k) == 0.0)
            return -1;
    gsl_vector_set_basis(sc->rhs, nv);
    if (gsl_linalg_LU_solve(sc->aug, sc->perm, sc->rhs, tout) != GSL_SUCCESS)
        return -1;
    double norm = gsl_blas_dnrm2(tout);
    if (!isfinite(norm) || norm == 0.0)
        return -1;
    gsl_vector_scale(tout, 1.0 / norm);
    return 0;
}

static double residual_of_y(const qre_work *w, double lambda,
                            const gsl_vector *y)
{
    sim_mixed p;
    probs_from_y(w, y, &p);
    return residual_of(w, lambda, &p);
}

/* The branch equations hold at (y, lambda): sum |F| below the rounding
 * floor of lambda * d (f holds F), or the residual below QRE_STEP_RES. */
static int on_branch(const qre_work *w, const gsl_vector *y,
                     const gsl_vector *f, double lambda)
{
    double tol = QRE_STEP_TOL +
                 64.0 * DBL_EPSILON * fabs(lambda) * w->dmax * (double)w->nvar;
    double sum = 0.0;
    for (size_t k = 0; k < (size_t)w->nvar; k++)
        sum += fabs(gsl_vector_get(f, k));
    return sum < tol || residual_of_y(w, lambda, y) <= QRE_STEP_RES;
}

/* Runs solver s from x0 until on_branch holds; returns the number of
 * iterations used (>= 0), or -1 if it does not converge within
 * QRE_MAX_ITER or GSL reports any failure. */
static int solve(qre_work *w, gsl_multiroot_fdfsolver *s,
                 gsl_multiroot_function_fdf *fn, const gsl_vector *x0)
{
    const size_t nv = (size_t)w->nvar;
    if (gsl_multiroot_fdfsolver_set(s, fn, x0) != GSL_SUCCESS)
        return -1;
    for (int it = 0;; it++) {
        gsl_vector_const_view y = gsl_vector_const_subvector(s->x, 0, nv);
        gsl_vector_const_view f = gsl_vector_const_subvector(s->f, 0, nv);
        double lam = s->x->size > nv ? gsl_vector_get(s->x, nv) : w->lambda;
        if (on_branch(w, &y.vector, &f.vector, lam))
            return it;
        if (it >= QRE_MAX_ITER ||
            gsl_multiroot_fdfsolver_iterate(s) != GSL_SUCCESS)
            return -1;
    }
}

/* max_ij |p_ij(a) - p_ij(b)| for two log-odds vectors (or points z, whose
 * first nvar entries are read). */
static double prob_distance(const qre_work *w, const gsl_vector *a,
                            const gsl_vector *b)
{
    sim_mixed pa, pb;
    probs_from_y(w, a, &pa);
    probs_from_y(w, b, &pb);
    double m = 0.0;
    for (int i = 0; i < w->n; i++)
        for (int j = 0; j < w->g->nstrat[i]; j++)
            m = fmax(m, fabs(pa.prob[i][j] - pb.prob[i][j]));
    return m;
}

/* Last stretch: from z, move s along the tangent to lambda = target
 * exactly and solve F(y; target) = 0 there. Returns 1 with the root in
 * sc->fix->x, or 0. */
static int land(qre_work *w, qre_scratch *sc, double s, double target)
{
    const size_t nv = (size_t)w->nvar;
    for (size_t k = 0; k < nv; k++)
        gsl_vector_set(sc->ypred, k,
                       gsl_vector_get(sc->z, k) +
                           s * gsl_vector_get(sc->tan, k));
    w->lambda = target;
    if (solve(w, sc->fix, &sc->fix_fn, sc->ypred) < 0)
        return 0;
    return prob_distance(w, sc->fix->x, sc->ypred) <= QRE_MAX_JUMP;
}

/* One pseudo-arclength step of length h from (sc->z, sc->tan): predictor
 * z + h T, corrector on the hyperplane normal to T, new tangent. Returns
 * the corrector's iteration count with the point in sc->znew and its
 * tangent in sc->tnew, or -1 if the step is to be rejected. */
static int arc_step(qre_work *w, qre_scratch *sc, double h)
{
    const size_t nv = (size_t)w->nvar;
    gsl_vector_memcpy(sc->zpred, sc->z);
    gsl_blas_daxpy(h, sc->tan, sc->zpred);
    w->border = sc->tan;
    w->zpred = sc->zpred;
    int it = solve(w, sc->arc, &sc->arc_fn, sc->zpred);
    if (it < 0)
        return -1;
    gsl_vector_memcpy(sc->znew, sc->arc->x);
    /* The principal branch has lambda > 0 beyond its start; a step that
     * lands elsewhere, jumps in probability or turns by more than
     * acos(QRE_MIN_COS) has left it or skipped a bend. */
    if (!(gsl_vector_get(sc->znew, nv) > 0.0) ||
        prob_distance(w, sc->znew, sc->zpred) > QRE_MAX_JUMP)
        return -1;
    if (tangent(w, sc, sc->znew, sc->tan, sc->tnew) != 0)
        return -1;
    double cosang;
    gsl_blas_ddot(sc->tan, sc->tnew, &cosang);
    return cosang >= QRE_MIN_COS ? it : -1;
}

/* Follows the branch from (y = 0, lambda = 0) to the first point where
 * lambda = target, leaving that y in sc->fix->x. Returns 0 or
 * SIM_E_NUMERIC. */
static int continuation(qre_work *w, qre_scratch *sc, double target,
                        sim_err *err)
{
    const size_t nv = (size_t)w->nvar;
    gsl_vector_set_zero(sc->z);
    gsl_vector_set_basis(sc->tnew, nv); /* lambda increases at the start */
    if (tangent(w, sc, sc->z, sc->tnew, sc->tan) != 0)
        return sim_error(err, SIM_E_NUMERIC,
                         "qre: no tangent at lambda = 0 (internal)");
    double h = QRE_H0;
    for (long steps = 1;; steps++) {
        double lam = gsl_vector_get(sc->z, nv);
        if (steps > QRE_MAX_STEPS)
            return sim_error(err, SIM_E_NUMERIC,
                             "qre: continuation used its budget of %d steps "
                             "and reached lambda = %.6g of %.6g",
                             QRE_MAX_STEPS, lam, target);
        double tl = gsl_vector_get(sc->tan, nv);
        int ok;
        if (tl > 0.0 && lam + h * tl >= target) {
            /* The step would cross the target: land on it instead. */
            double s = (target - lam) / tl;
            if (land(w, sc, s, target))
                return 0;
            h = 0.5 * s;
            ok = 0;
        } else {
            int it = arc_step(w, sc, h);
            ok = it >= 0;
            if (ok) {
                gsl_vector_memcpy(sc->z, sc->znew);
                gsl_vector_memcpy(sc->tan, sc->tnew);
                gsl_vector_view y = gsl_vector_subvector(sc->z, 0, nv);
                reanchor(w, &y.vector, sc->tan);
                gsl_vector_scale(sc->tan, 1.0 / gsl_blas_dnrm2(sc->tan));
                if (it <= QRE_FAST_ITER)
                    h *= 2.0;
            } else {
                h *= 0.5;
            }
        }
        if (!ok && h < QRE_H_MIN * (1.0 + gsl_blas_dnrm2(sc->z)))
            return sim_error(err, SIM_E_NUMERIC,
                             "qre: continuation stalled at lambda = %.6g "
                             "(target %.6g): the step along the branch fell "
                             "below %g of its length scale (a singular "
                             "point, e.g. a bifurcation in a degenerate "
                             "game, or the limits of double precision)",
                             lam, target, QRE_H_MIN);
    }
}

/* Extra iterations at the target from sc->fix->x; keeps the point with the
 * smallest residual in y and returns that residual. */
static double polish(qre_work *w, qre_scratch *sc, double lambda, gsl_vector *y)
{
    gsl_vector_memcpy(y, sc->fix->x);
    reanchor(w, y, NULL);
    double best = residual_of_y(w, lambda, y);
    int stall = 0;
    w->lambda = lambda;
    if (gsl_multiroot_fdfsolver_set(sc->fix, &sc->fix_fn, y) != GSL_SUCCESS)
        return best;
    for (int it = 0; it < QRE_POLISH_ITER && best > QRE_POLISH_GOAL; it++) {
        if (gsl_multiroot_fdfsolver_iterate(sc->fix) != GSL_SUCCESS)
            break;
        double r = residual_of_y(w, lambda, sc->fix->x);
        if (r < best) {
            best = r;
            gsl_vector_memcpy(y, sc->fix->x);
            stall = 0;
        } else if (++stall >= 3) {
            break;
        }
    }
    return best;
}

int sim_qre_logit(const sim_nfg *g, double lambda, sim_mixed *out,
                  double *residual, sim_err *err)
{
    if (!out || !residual)
        return sim_error(err, SIM_E_INTERNAL,
                         "sim_qre_logit: out or residual is NULL");
    memset(out, 0, sizeof *out);
    *residual = NAN;
    if (!isfinite(lambda) || lambda < 0.0)
        return sim_error(err, SIM_E_USAGE,
                         "qre: lambda must be finite and >= 0 (got %g)",
                         lambda);
    int rc = check_game(g, err);
    if (rc)
        return rc;

    qre_work *w = calloc(1, sizeof *w);
    qre_scratch sc = {0};
    if (!w)
        return sim_error(err, SIM_E_NOMEM, "qre: out of memory");
    layout(w, g);

    /* lambda = 0, or nobody has a choice: uniform play is exact. */
    if (lambda == 0.0 || w->nvar == 0) {
        for (int i = 0; i < w->n; i++)
            for (int j = 0; j < g->nstrat[i]; j++)
                out->prob[i][j] = 1.0 / g->nstrat[i];
        *residual = sim_qre_residual(g, lambda, out);
        goto cleanup;
    }

    /* Log-odds reach lambda * dmax in size, and so do Jacobian entries.
     * Keep far from overflow. */
    w->dmax = max_payoff_difference(w);
    if (!(lambda * w->dmax < DBL_MAX / 1024.0)) {
        rc = sim_error(err, SIM_E_NUMERIC,
                       "qre: lambda (%g) times the bound on payoff "
                       "differences (%g) overflows",
                       lambda, w->dmax);
        goto cleanup;
    }

    w->dd = malloc((size_t)w->nvar * (size_t)w->nstot * sizeof *w->dd);
    if (!w->dd) {
        rc = sim_error(err, SIM_E_NOMEM, "qre: out of memory");
        goto cleanup;
    }
    rc = alloc_scratch(&sc, w, err);
    if (rc)
        goto cleanup;

    rc = continuation(w, &sc, lambda, err);
    if (rc) {
        gsl_vector_view y = gsl_vector_subvector(sc.z, 0, (size_t)w->nvar);
        probs_from_y(w, &y.vector, out);
        *residual = sim_qre_residual(g, lambda, out);
        goto cleanup;
    }
    polish(w, &sc, lambda, sc.ypred);
    probs_from_y(w, sc.ypred, out);
    *residual = sim_qre_residual(g, lambda, out);
    if (!(*residual < SIM_QRE_TOL))
        rc = sim_error(err, SIM_E_NUMERIC,
                       "qre: residual %.3g at lambda = %g is not below %g "
                       "(lambda times the bound on payoff differences, "
                       "%.3g, is too large for double precision)",
                       *residual, lambda, SIM_QRE_TOL, lambda * w->dmax);

cleanup:
    free_scratch(&sc);
    free(w->dd);
    free(w);
    return rc;
}

double sim_qre_residual(const sim_nfg *g, double lambda, const sim_mixed *p)
{
    if (!p || !isfinite(lambda) || lambda < 0.0 || check_game(g, NULL))
        return NAN;
    qre_work w;
    memset(&w, 0, sizeof w);
    layout(&w, g);
    anchor_at(&w, p);
    return residual_of(&w, lambda, p);
}
