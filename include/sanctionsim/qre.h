/* qre.h - the logit quantal response equilibrium (McKelvey and Palfrey 1995)
 * of a finite normal-form game, on its principal branch. Entry points in
 * qre_logit.c, the equations in qre_system.c, the continuation in
 * qre_arclength.c (private declarations: qre_impl.h).
 *
 * Equations. With precision lambda >= 0, player i's mixed strategy p_i is the
 * logit response to everybody's play:
 *     p_ij = exp(lambda * EU_ij(p)) / sum_k exp(lambda * EU_ik(p)),
 * where EU_ij(p) is i's expected payoff from pure strategy j when the others
 * play p_{-i}. lambda = 0 is uniform play; as lambda -> infinity the
 * principal branch (the one connected to lambda = 0) converges to a Nash
 * equilibrium (McKelvey and Palfrey 1995, Theorem 2).
 *
 * Method. The unknowns are log-odds y_ij = log(p_ij / p_ir) against a
 * reference strategy r of each player (probabilities then stay positive,
 * and p_i is a max-subtracted softmax of the log-odds, so huge precisions
 * neither overflow nor divide by zero). The equations are
 *     F_ij(y; lambda) = y_ij - lambda * (EU_ij - EU_ir) = 0,   j != r,
 * with the payoff differences u_i(j, s_-i) - u_i(r, s_-i) taken before the
 * expectation, so a constant added to a player's payoffs changes nothing.
 * The root is traced from lambda = 0 (y = 0, exact) by homotopy:
 * pseudo-arclength continuation (Keller) in z = (y, lambda), because the
 * principal branch may turn back in lambda (it does already in some 2x3
 * games), where stepping in lambda alone gets stuck. Each step predicts
 * z + h T along the unit tangent T (from the bordered system
 * [dF/dy, dF/dlambda; T_prev] T = e, analytic Jacobian) and corrects with
 * GSL's gsl_multiroot_fdfsolver_hybridsj on F = 0 plus the hyperplane
 * T . (z - z_pred) = 0. After each accepted step every player's reference
 * moves to its most probable strategy, so the log-odds of strategies in
 * play stay O(1) and precise while the rest go to -infinity. When a step
 * would pass the target, it lands instead: the same solver, at lambda fixed
 * to the target, from the tangent's prediction there; the first crossing
 * of the target along the branch is returned. Then extra iterations polish
 * the point.
 *
 * Step control. h starts at 0.1 (Euclidean length in (y, lambda)); a step
 * is rejected, and h halved, if the corrector needs more than 50
 * iterations or GSL reports a failure, if some probability moves more than
 * 0.05 from the prediction, if the tangent turns by more than ~26 degrees
 * (cos < 0.9), or if lambda leaves (0, inf) (each sign of having left the
 * branch or cut a bend); a step that converged within 6 iterations doubles
 * h. So h grows geometrically where the branch is straight (lambda = 1e6
 * takes a few dozen steps).
 *
 * Tolerances. A point is on the branch when sum_ij |F_ij| is below
 * 1e-9 + 64 eps lambda D nvar (D bounds the payoff differences, eps =
 * DBL_EPSILON: the rounding floor of lambda * EU) or the residual below
 * 1e-11. The result must have
 *     residual = max_ij |p_ij - logit_ij(p)| < SIM_QRE_TOL = 1e-10.
 *
 * Badly scaled games. If the continuation fails, it is run once more with
 * lambda measured in units of 1 / D (the last coordinate of z is lambda D),
 * so that a step in lambda weighs as much as the change in log-odds it
 * causes: where payoffs run to 1e6 the branch bends at lambda ~ 1e-6, and
 * steps of unit weight in lambda cut the bends and stall. The first
 * attempt is unchanged, so games it solved give the same answer.
 *
 * Branch points. The sign of the determinant of the bordered matrix
 * [J -d; T'] is tracked along the path: it changes at a simple bifurcation
 * and not at a fold (Allgower and Georg 1990, section 8.1). The step that
 * crosses one is located by bisection on the sign of det J at fixed
 * lambda (to 1e-9 relative), counted and reported (sim_qre_logit_info).
 * The continuation goes straight on through it (predictor along the
 * incoming tangent): in battle of the sexes the path branches at
 * lambda = 1.3722, and the symmetric branch, towards the mixed
 * equilibrium, is followed, not those towards the pure ones.
 *
 * Limits. The call fails with SIM_E_NUMERIC, naming the lambda reached
 * (by the attempt that got further), rather than loop: if the step falls
 * below 1e-12 of the point's size in both attempts (a singular point of
 * the branch, e.g. a bifurcation in a degenerate game, or log-odds that
 * must travel ~ lambda D to switch a strategy whose probability has
 * underflowed to 0) or the budget of 20000 steps runs out. Of 120 runs
 * (40 random 2x2 to 3x3 games with payoffs +-10^u, u uniform on [-6, 6],
 * at lambda 1e-3, 1 and 1000) 4 fail: 3 stall, 1 misses the residual at
 * lambda D = 1.4e9; without the second attempt 9 of the 120 failed, and
 * so did the game of issue 12 item 5 at lambda 100. The residual is evaluated in double
 * precision: where the equilibrium mixes, its floor grows like
 * eps * lambda * D, so the 1e-10 requirement holds up to about
 * lambda * D ~ 1e7 (lambda = 1e6 in the pennies game of McKelvey and
 * Palfrey gives 5e-11; about 1 in 1000 random 2x2 to 3x3 games with
 * payoffs 0..9 misses by a little at lambda = 1e6), beyond which the call
 * returns SIM_E_NUMERIC with the (near-Nash) point in *out rather than claim
 * the tolerance. Cost per corrector iteration is O(nprofiles * nplayers^3) for
 * the Jacobian plus O(nvar^3) for the linear algebra, nvar = sum_i (nstrat_i -
 * 1). */
#ifndef SIM_QRE_H
#define SIM_QRE_H

#include "error.h"
#include "nfg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Required bound on the fixed-point residual of a returned equilibrium. */
#define SIM_QRE_TOL 1e-10
/* Branch points whose lambda sim_qre_info records. */
#define SIM_QRE_MAX_BRANCH 4

/* Computes the logit QRE of g at precision lambda on the principal branch.
 * Writes the mixed profile to *out (entries beyond each player's strategy
 * count are 0) and its residual (sim_qre_residual) to *residual. Returns 0;
 * SIM_E_USAGE if lambda is negative, NaN or infinite, or g is malformed (no
 * players, bad strategy counts, missing or non-finite payoffs);
 * SIM_E_NUMERIC if lambda times the payoff range overflows, the
 * continuation stalls or exceeds its step budget, or the final residual is
 * not below SIM_QRE_TOL (then *out holds the last point reached and
 * *residual its residual at lambda, for diagnosis); SIM_E_NOMEM;
 * SIM_E_INTERNAL for NULL out or residual. Where the principal branch
 * passes lambda more than once (it bends back), the first passage is
 * returned.
 * lambda = 0 gives uniform play exactly. Nothing is allocated for the
 * caller; g is only read. GSL's abort handler is turned off by the call
 * (sim_error_quiet_gsl), so GSL failures come back as codes. */
int sim_qre_logit(const sim_nfg *g, double lambda, sim_mixed *out,
                  double *residual, sim_err *err);

/* How sim_qre_logit_info found its point. */
typedef struct sim_qre_info {
    int rescaled; /* the second attempt, lambda in units of 1 / D, was used */
    int nbranch;  /* branch points the path passed on its way (sign changes
                     of the bordered determinant), and the lambda of the
                     first SIM_QRE_MAX_BRANCH of them (midpoint of the step
                     that passed each, so within that step's length) */
    double branch_lambda[SIM_QRE_MAX_BRANCH];
} sim_qre_info;

/* sim_qre_logit, also filling *info (may be NULL), also on failure. At a
 * branch point the path is continued along the branch whose tangent
 * continues the incoming one (the predictor goes straight on): in a game
 * with a symmetry, such as battle of the sexes, that is the symmetric
 * branch, which leads to the mixed equilibrium, while the branches that
 * leave it (towards the pure equilibria) are not followed. */
int sim_qre_logit_info(const sim_nfg *g, double lambda, sim_mixed *out,
                       double *residual, sim_qre_info *info, sim_err *err);

/* Returns max over players i and strategies j of |p_ij - logit_ij(p)|, where
 * logit_i(p) is the softmax of lambda * EU_i(p); NaN if g, lambda or p is
 * invalid (NULL, malformed game, lambda not finite and >= 0, a non-finite
 * probability). */
double sim_qre_residual(const sim_nfg *g, double lambda, const sim_mixed *p);

#ifdef __cplusplus
}
#endif

#endif
