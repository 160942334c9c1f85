/* qre_impl.h - private to the qre_*.c files: the workspace of one logit
 * QRE solve, the logit equations in log-odds (qre_system.c) and the
 * continuation along their principal branch (qre_arclength.c). Other
 * modules use qre.h. */
#ifndef SIM_QRE_IMPL_H
#define SIM_QRE_IMPL_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_vector.h>
#include <stddef.h>

#include <sanctionsim/error.h>
#include <sanctionsim/nfg.h>
#include <sanctionsim/qre.h>

/* Everything one solve needs; lives on the heap for the duration of one
 * sim_qre_logit call. Invariant: p and d describe the last point passed to
 * sim_qre_sys_set_point. */
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
    /* The continuation's last coordinate is lambda / lscale: 1 on the
     * first attempt, 1 / dmax on the rescaled one (qre_arclength.c). */
    double lscale;
    double reached; /* lambda of the continuation's last accepted point */
    int det_sign; /* sign of det of the last bordered matrix (tangent) */
    int nbranch;  /* branch points passed (sign changes of det_sign) */
    double branch_lambda[SIM_QRE_MAX_BRANCH]; /* where, the first few */
} qre_work;

/* ---- the logit equations (qre_system.c) ---- */

/* Checks g's structure and payoffs; returns 0 or SIM_E_USAGE (err may be
 * NULL). */
int sim_qre_sys_check_game(const sim_nfg *g, sim_err *err);

/* Sets the layout fields of w for the (checked) game g, references at
 * strategy 0. Other fields are left as they are. */
void sim_qre_sys_layout(qre_work *w, const sim_nfg *g);

/* Largest |u_i(s) - u_i(0, s_-i)| over players and profiles (with
 * references at 0), doubled: a bound on every payoff difference. */
double sim_qre_sys_max_payoff_difference(const qre_work *w);

/* Probabilities from log-odds y (size nvar, or a point z whose first nvar
 * entries are read): p_i = softmax of player i's log-odds. */
void sim_qre_sys_probs(const qre_work *w, const gsl_vector *y, sim_mixed *p);

/* Moves each player's reference to its most probable strategy at y and
 * rewrites y accordingly; if t is not NULL its y-part (a direction in y) is
 * rewritten the same way. */
void sim_qre_sys_reanchor(qre_work *w, gsl_vector *y, gsl_vector *t);

/* References at each player's most probable strategy under p. */
void sim_qre_sys_anchor_at(qre_work *w, const sim_mixed *p);

/* max_ij |p_ij - softmax_j(lambda * d_ij(p))| for a checked game; NaN if a
 * probability is not finite. */
double sim_qre_sys_residual(const qre_work *w, double lambda,
                            const sim_mixed *p);

/* Moves w's current point to y: p and d. */
void sim_qre_sys_set_point(qre_work *w, const gsl_vector *y);

/* F_ij = y_ij - lambda d_ij at w's current point, into f. Returns
 * GSL_SUCCESS, or GSL_EBADFUNC if a value is not finite. */
int sim_qre_sys_f(const qre_work *w, const gsl_vector *y, gsl_vector *f);

/* J = dF/dy at w's current point, into jac (nvar x nvar; w->dd is its
 * scratch). Returns GSL_SUCCESS, or GSL_EBADFUNC if a value is not
 * finite. */
int sim_qre_sys_df(qre_work *w, gsl_matrix *jac);

/* The fixed-lambda system F(y; w->lambda) = 0 as a GSL function with
 * analytic Jacobian; params is w. */
gsl_multiroot_function_fdf sim_qre_sys_fixed(qre_work *w);

/* ---- the continuation (qre_arclength.c) ---- */

/* Follows the principal branch from (y = 0, lambda = 0) to its first point
 * at lambda = target and polishes it there (w laid out, w->dmax and w->dd
 * set). Returns 0 with that point in *out; SIM_E_NUMERIC if the
 * continuation stalls or exceeds its step budget, with the last point
 * reached in *out; SIM_E_NOMEM with *out untouched. */
int sim_qre_arc_follow(qre_work *w, double target, sim_mixed *out,
                       sim_err *err);

#endif
