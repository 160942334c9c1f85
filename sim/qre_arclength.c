/* qre_arclength.c - the pseudo-arclength continuation that follows the
 * logit QRE's principal branch from lambda = 0 to the target: the bordered
 * arclength system, predictor and corrector steps with step control,
 * landing on the target and polishing (method and limits in qre.h). */
#include <float.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_vector.h>
#include <math.h>

#include "qre_impl.h"

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
    w->lambda = gsl_vector_get(z, nv) * w->lscale;
    sim_qre_sys_set_point(w, &y.vector);
    if (f) {
        gsl_vector_view fy = gsl_vector_subvector(f, 0, nv);
        int st = sim_qre_sys_f(w, &y.vector, &fy.vector);
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
        int st = sim_qre_sys_df(w, &jy.matrix);
        if (st)
            return st;
        for (size_t r = 0; r < nv; r++)
            gsl_matrix_set(jac, r, nv,
                           -w->d.prob[w->vi[r]][w->vj[r]] * w->lscale);
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
    sc->fix_fn = sim_qre_sys_fixed(w);
    sc->arc_fn =
        (gsl_multiroot_function_fdf){arc_f, arc_df, arc_fdf, nv + 1, w};
    return 0;
}

/* Unit tangent of the branch at z into tout, oriented along prev: the
 * solution of [J -d; prev'] t = e_N, normalized. The border row makes the
 * system regular at simple folds, where J alone is singular. Returns 0, or
 * -1 if the bordered matrix is singular or the result not finite.
 * (GSL's LU_solve fails only on sizes that do not match, alloc_scratch's
 * N + 1 for aug, perm, rhs and tout (sc->tan or sc->tnew), or on a zero
 * pivot, which returns -1 before the solve: its status is no error.) */
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
    for (size_t k = 0; k <= nv; k++) {
        double u = gsl_matrix_get(sc->aug, k, k);
        if (u == 0.0)
            return -1;
        sign = u < 0.0 ? -sign : sign;
    }
    w->det_sign = sign; /* of det [J -d; prev']: flips at a branch point */
    gsl_vector_set_basis(sc->rhs, nv);
    (void)gsl_linalg_LU_solve(sc->aug, sc->perm, sc->rhs, tout);
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
    sim_qre_sys_probs(w, y, &p);
    return sim_qre_sys_residual(w, lambda, &p);
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
        double lam = s->x->size > nv ? gsl_vector_get(s->x, nv) * w->lscale
                                     : w->lambda;
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
    sim_qre_sys_probs(w, a, &pa);
    sim_qre_sys_probs(w, b, &pb);
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

/* Sign of det dF/dy at the root of F(y; lambda) = 0 near the point a
 * fraction f of the way from sc->z to sc->znew (same anchoring): +1 or
 * -1, or 0 if the root or the determinant cannot be had. */
static int det_sign_at(qre_work *w, qre_scratch *sc, double f, double lambda,
                       gsl_matrix *jac, gsl_permutation *perm)
{
    const size_t nv = (size_t)w->nvar;
    for (size_t k = 0; k < nv; k++)
        gsl_vector_set(sc->ypred, k,
                       (1.0 - f) * gsl_vector_get(sc->z, k) +
                           f * gsl_vector_get(sc->znew, k));
    w->lambda = lambda;
    if (solve(w, sc->fix, &sc->fix_fn, sc->ypred) < 0)
        return 0;
    sim_qre_sys_set_point(w, sc->fix->x);
    int sign;
    if (sim_qre_sys_df(w, jac) != GSL_SUCCESS ||
        gsl_linalg_LU_decomp(jac, perm, &sign) != GSL_SUCCESS)
        return 0;
    for (size_t k = 0; k < nv; k++) {
        double u = gsl_matrix_get(jac, k, k);
        if (u == 0.0)
            return 0;
        sign = u < 0.0 ? -sign : sign;
    }
    return sign;
}

/* Records a branch point between the accepted points sc->z (lambda a)
 * and sc->znew (lambda b) if the sign of the bordered determinant changed
 * (a simple bifurcation: the determinant of [J -d; T'] changes sign there,
 * at a fold it does not; Allgower and Georg 1990, section 8.1). Where
 * lambda increases over the step, the point is located by bisection on
 * the sign of det J at fixed lambda (J is singular at the branch point)
 * to 1e-9 relative; else the step's midpoint is recorded. */
static void note_branch(qre_work *w, qre_scratch *sc, int sign_before,
                        double a, double b)
{
    if (sign_before == w->det_sign || sign_before == 0)
        return;
    int keep = w->det_sign;
    double at = 0.5 * (a + b);
    gsl_matrix_view jac =
        gsl_matrix_submatrix(sc->aug, 0, 0, (size_t)w->nvar, (size_t)w->nvar);
    gsl_permutation *perm = gsl_permutation_alloc((size_t)w->nvar);
    int sa = perm && b > a ? det_sign_at(w, sc, 0.0, a, &jac.matrix, perm)
                           : 0;
    double lo = a, hi = b;
    for (int it = 0; sa != 0 && it < 60 && hi - lo > 1e-9 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        int sm = det_sign_at(w, sc, (mid - a) / (b - a), mid, &jac.matrix,
                             perm);
        if (sm == 0)
            break;
        if (sm == sa)
            lo = mid;
        else
            hi = mid;
        at = 0.5 * (lo + hi);
    }
    gsl_permutation_free(perm);
    w->det_sign = keep;
    if (w->nbranch < SIM_QRE_MAX_BRANCH)
        w->branch_lambda[w->nbranch] = at;
    w->nbranch++;
}

/* Follows the branch from (y = 0, lambda = 0) to the first point where
 * lambda = target, leaving that y in sc->fix->x. The last coordinate of
 * z is lambda / w->lscale. Long: one loop of predictor, corrector, step
 * control and the landing, said in one place. Returns 0 or
 * SIM_E_NUMERIC. */
static int continuation(qre_work *w, qre_scratch *sc, double target,
                        sim_err *err)
{
    const size_t nv = (size_t)w->nvar;
    const double goal = target / w->lscale, ls = w->lscale;
    gsl_vector_set_zero(sc->z);
    gsl_vector_set_basis(sc->tnew, nv); /* lambda increases at the start */
    w->nbranch = 0;
    if (tangent(w, sc, sc->z, sc->tnew, sc->tan) != 0)
        return sim_error(err, SIM_E_NUMERIC,
                         "qre: no tangent at lambda = 0 (internal)");
    double h = QRE_H0;
    for (long steps = 1;; steps++) {
        double lam = gsl_vector_get(sc->z, nv);
        w->reached = lam * ls;
        if (steps > QRE_MAX_STEPS)
            return sim_error(err, SIM_E_NUMERIC,
                             "qre: continuation used its budget of %d steps "
                             "and reached lambda = %.6g of %.6g",
                             QRE_MAX_STEPS, lam * ls, target);
        double tl = gsl_vector_get(sc->tan, nv);
        int ok, sign = w->det_sign;
        if (tl > 0.0 && lam + h * tl >= goal) {
            /* The step would cross the target: land on it instead. */
            double s = (goal - lam) / tl;
            if (land(w, sc, s, target))
                return 0;
            h = 0.5 * s;
            ok = 0;
        } else {
            int it = arc_step(w, sc, h);
            ok = it >= 0;
            if (ok) {
                note_branch(w, sc, sign, lam * ls,
                            gsl_vector_get(sc->znew, nv) * ls);
                gsl_vector_memcpy(sc->z, sc->znew);
                gsl_vector_memcpy(sc->tan, sc->tnew);
                gsl_vector_view y = gsl_vector_subvector(sc->z, 0, nv);
                sim_qre_sys_reanchor(w, &y.vector, sc->tan);
                gsl_vector_scale(sc->tan, 1.0 / gsl_blas_dnrm2(sc->tan));
                if (it <= QRE_FAST_ITER)
                    h *= 2.0;
            } else {
                w->det_sign = sign;
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
                             lam * ls, target, QRE_H_MIN);
    }
}

/* Extra iterations at the target from sc->fix->x; keeps the point with the
 * smallest residual in y and returns that residual. */
static double polish(qre_work *w, qre_scratch *sc, double lambda, gsl_vector *y)
{
    gsl_vector_memcpy(y, sc->fix->x);
    sim_qre_sys_reanchor(w, y, NULL);
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

int sim_qre_arc_follow(qre_work *w, double target, sim_mixed *out, sim_err *err)
{
    qre_scratch sc = {0};
    int rc = alloc_scratch(&sc, w, err);
    if (rc)
        goto cleanup;
    /* First in (y, lambda); if that fails, again with lambda measured in
     * units of 1 / dmax, so that a step in lambda weighs as much as the
     * change in log-odds it causes: in a game whose payoffs run to 1e6 the
     * branch's bends lie at lambda ~ 1e-6, where unit-lambda arclength
     * steps cut corners or stall. */
    w->lscale = 1.0;
    rc = continuation(w, &sc, target, err);
    if (rc == SIM_E_NUMERIC && w->dmax > 0.0 && isfinite(1.0 / w->dmax)) {
        /* if this fails too, the message of the attempt that got further */
        sim_err first = {0};
        if (err)
            first = *err;
        double reached = w->reached;
        w->lscale = 1.0 / w->dmax;
        rc = continuation(w, &sc, target, err);
        if (rc == SIM_E_NUMERIC && reached > w->reached && err)
            *err = first;
    }
    if (rc) {
        gsl_vector_view y = gsl_vector_subvector(sc.z, 0, (size_t)w->nvar);
        sim_qre_sys_probs(w, &y.vector, out);
        goto cleanup;
    }
    polish(w, &sc, target, sc.ypred);
    sim_qre_sys_probs(w, sc.ypred, out);
cleanup:
    free_scratch(&sc);
    return rc;
}
