/* qre_system.c - the logit QRE equations in log-odds against a moving
 * reference strategy: the layout of the unknowns, probabilities and payoff
 * gains at a point, the residual, and the equations F(y; lambda) = 0 with
 * their analytic Jacobian (equations in qre.h). */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <string.h>

#include "qre_impl.h"

/* Checks g's structure and payoffs; returns 0 or SIM_E_USAGE. */
int sim_qre_sys_check_game(const sim_nfg *g, sim_err *err)
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
void sim_qre_sys_layout(qre_work *w, const sim_nfg *g)
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
double sim_qre_sys_max_payoff_difference(const qre_work *w)
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
void sim_qre_sys_probs(const qre_work *w, const gsl_vector *y, sim_mixed *p)
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
void sim_qre_sys_reanchor(qre_work *w, gsl_vector *y, gsl_vector *t)
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
void sim_qre_sys_anchor_at(qre_work *w, const sim_mixed *p)
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
double sim_qre_sys_residual(const qre_work *w, double lambda,
                            const sim_mixed *p)
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
void sim_qre_sys_set_point(qre_work *w, const gsl_vector *y)
{
    sim_qre_sys_probs(w, y, &w->p);
    payoff_gains(w, &w->p, &w->d);
}

/* F_ij = y_ij - lambda d_ij, at w's current point. */
int sim_qre_sys_f(const qre_work *w, const gsl_vector *y, gsl_vector *f)
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
int sim_qre_sys_df(qre_work *w, gsl_matrix *jac)
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

/* Fixed-lambda system F(y) = 0 for GSL; params is the qre_work, whose
 * lambda field holds the precision. */
static int fix_f(const gsl_vector *y, void *params, gsl_vector *f)
{
    qre_work *w = params;
    sim_qre_sys_set_point(w, y);
    return sim_qre_sys_f(w, y, f);
}

static int fix_df(const gsl_vector *y, void *params, gsl_matrix *jac)
{
    qre_work *w = params;
    sim_qre_sys_set_point(w, y);
    return sim_qre_sys_df(w, jac);
}

static int fix_fdf(const gsl_vector *y, void *params, gsl_vector *f,
                   gsl_matrix *jac)
{
    qre_work *w = params;
    sim_qre_sys_set_point(w, y);
    int st = sim_qre_sys_f(w, y, f);
    return st ? st : sim_qre_sys_df(w, jac);
}

gsl_multiroot_function_fdf sim_qre_sys_fixed(qre_work *w)
{
    return (gsl_multiroot_function_fdf){fix_f, fix_df, fix_fdf, (size_t)w->nvar,
                                        w};
}
