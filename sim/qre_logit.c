/* qre_logit.c - the public entry points of the logit QRE: argument checks,
 * the exact cases, and the residual test of the point the continuation
 * returns (equations, method and limits in qre.h). */
#include <sanctionsim/qre.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qre_impl.h"

int sim_qre_logit(const sim_nfg *g, double lambda, sim_mixed *out,
                  double *residual, sim_err *err)
{
    return sim_qre_logit_info(g, lambda, out, residual, NULL, err);
}

int sim_qre_logit_info(const sim_nfg *g, double lambda, sim_mixed *out,
                       double *residual, sim_qre_info *info, sim_err *err)
{
    sim_error_quiet_gsl(); /* GSL reports through status codes */
    if (info)
        memset(info, 0, sizeof *info);
    if (!out || !residual)
        return sim_error(err, SIM_E_INTERNAL,
                         "sim_qre_logit: out or residual is NULL");
    memset(out, 0, sizeof *out);
    *residual = NAN;
    if (!isfinite(lambda) || lambda < 0.0)
        return sim_error(err, SIM_E_USAGE,
                         "qre: lambda must be finite and >= 0 (got %g)",
                         lambda);
    int rc = sim_qre_sys_check_game(g, err);
    if (rc)
        return rc;

    qre_work *w = calloc(1, sizeof *w);
    if (!w)
        return sim_error(err, SIM_E_NOMEM, "qre: out of memory");
    sim_qre_sys_layout(w, g);

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
    w->dmax = sim_qre_sys_max_payoff_difference(w);
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
    /* The point reached is reported, with its residual, even when the
     * continuation fails (SIM_E_NUMERIC); not when memory runs out. */
    rc = sim_qre_arc_follow(w, lambda, out, err);
    if (rc == SIM_E_NOMEM)
        goto cleanup;
    *residual = sim_qre_residual(g, lambda, out);
    if (rc)
        goto cleanup;
    if (!(*residual < SIM_QRE_TOL))
        rc = sim_error(err, SIM_E_NUMERIC,
                       "qre: residual %.3g at lambda = %g is not below %g "
                       "(lambda times the bound on payoff differences, "
                       "%.3g, is too large for double precision)",
                       *residual, lambda, SIM_QRE_TOL, lambda * w->dmax);

cleanup:
    if (info) {
        info->rescaled = w->lscale != 0.0 && w->lscale != 1.0;
        info->nbranch = w->nbranch;
        for (int k = 0; k < w->nbranch && k < SIM_QRE_MAX_BRANCH; k++)
            info->branch_lambda[k] = w->branch_lambda[k];
    }
    free(w->dd);
    free(w);
    return rc;
}

double sim_qre_residual(const sim_nfg *g, double lambda, const sim_mixed *p)
{
    if (!p || !isfinite(lambda) || lambda < 0.0 ||
        sim_qre_sys_check_game(g, NULL))
        return NAN;
    qre_work w;
    memset(&w, 0, sizeof w);
    sim_qre_sys_layout(&w, g);
    sim_qre_sys_anchor_at(&w, p);
    return sim_qre_sys_residual(&w, lambda, p);
}
