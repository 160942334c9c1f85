/* calib_smm.c - simulated method of moments: GSL's Nelder-Mead simplex
 * (gsl_multimin_fminimizer_nmsimplex2) minimises the weighted distance of
 * the model's means from the observations over z, the logit of each
 * parameter's position in its bounds: theta = lo + (hi - lo) / (1 +
 * exp(-z)), so every candidate lies inside the bounds. The evaluations
 * share their random streams (calib_eval.c), so the objective is a
 * smooth function of theta for a fixed seed. */
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>

#include "calib_impl.h"

/* A very large objective for a candidate that could not be evaluated
 * (the simplex moves away from it). */
#define BAD_OBJECTIVE 1e300

typedef struct smm_ctx {
    calib_ctx *c;
    int rc; /* the first evaluation error */
    sim_err *err;
    double best, best_x[SIM_CALIB_MAX_PARAMS];
} smm_ctx;

static void to_theta(const sim_calib *cal, const gsl_vector *z, double *x)
{
    for (int i = 0; i < cal->nparams; i++) {
        const sim_calib_param *p = &cal->param[i];
        double u = 1.0 / (1.0 + exp(-gsl_vector_get(z, (size_t)i)));
        x[i] = p->lo + (p->hi - p->lo) * u;
        /* keep it strictly inside when exp saturates */
        if (!(x[i] > p->lo))
            x[i] = nextafter(p->lo, p->hi);
        if (!(x[i] < p->hi))
            x[i] = nextafter(p->hi, p->lo);
    }
}

/* The inverse of to_theta: z from the values x. */
static void to_z(const sim_calib *cal, const double *x, gsl_vector *z)
{
    for (int i = 0; i < cal->nparams; i++) {
        const sim_calib_param *p = &cal->param[i];
        double u = (x[i] - p->lo) / (p->hi - p->lo);
        gsl_vector_set(z, (size_t)i, log(u / (1.0 - u)));
    }
}

static double smm_f(const gsl_vector *z, void *params)
{
    smm_ctx *s = params;
    if (s->rc)
        return BAD_OBJECTIVE;
    double x[SIM_CALIB_MAX_PARAMS];
    to_theta(s->c->c, z, x);
    int rc = calib_eval(s->c, x, s->err);
    double j = rc ? NAN : calib_objective(s->c);
    if (!rc)
        rc = calib_trace_add(s->c, x, j, s->err);
    if (rc) {
        s->rc = rc;
        return BAD_OBJECTIVE;
    }
    if (j < s->best) {
        s->best = j;
        memcpy(s->best_x, x, sizeof x);
    }
    return isfinite(j) ? j : BAD_OBJECTIVE;
}

double sim_calib_target_variance(sim_calib_weighting w, double uncertainty,
                                 double var, double n)
{
    double u2 = uncertainty * uncertainty;
    if (w == SIM_CALIB_WEIGHT_MEAN)
        return u2 + var / n;
    /* one observed realisation against the model's estimated mean:
     * observation error, the spread of one outcome, the mean's error */
    return u2 + var * (1.0 + 1.0 / n);
}

const char *sim_calib_weighting_name(sim_calib_weighting w)
{
    return w == SIM_CALIB_WEIGHT_MEAN ? "mean" : "predictive";
}

const char *sim_calib_weighting_text(sim_calib_weighting w)
{
    if (w == SIM_CALIB_WEIGHT_MEAN)
        return "diagonal, mean: 1 / (uncertainty^2 + var / n), the model's "
               "variance at the start point";
    return "diagonal, predictive: 1 / (uncertainty^2 + var (1 + 1/n)), the "
           "model's variance at the start point";
}

/* Long: the minimiser's set-up, loop, restarts and three stopping
 * rules. */
int calib_smm(calib_ctx *c, sim_calib_result *r, sim_err *err)
{
    const sim_calib *cal = c->c;
    size_t n = (size_t)cal->nparams;
    smm_ctx s = {.c = c, .err = err, .best = INFINITY};
    gsl_vector *z = gsl_vector_alloc(n), *step = gsl_vector_alloc(n);
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
    if (!z || !step || !m) {
        gsl_vector_free(z);
        gsl_vector_free(step);
        gsl_multimin_fminimizer_free(m);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < cal->nparams; i++)
        s.best_x[i] = cal->param[i].start;
    to_z(cal, s.best_x, z);
    gsl_vector_set_all(step, cal->step);
    gsl_multimin_function f = {smm_f, n, &s};
    int status = gsl_multimin_fminimizer_set(m, &f, z, step);
    int rc = s.rc;
    if (!rc && status)
        rc = sim_error(err, SIM_E_NUMERIC, "Nelder-Mead: %s",
                       gsl_strerror(status));
    r->stop = "iterations";
    int restarts = 0;
    double before = INFINITY; /* the best J when the last restart began */
    for (int it = 0; !rc && it < cal->max_iterations; it++) {
        status = gsl_multimin_fminimizer_iterate(m);
        r->iterations = it + 1;
        if ((rc = s.rc))
            break;
        if (status) {
            rc = sim_error(err, SIM_E_NUMERIC, "Nelder-Mead: %s",
                           gsl_strerror(status));
            break;
        }
        double size = gsl_multimin_fminimizer_size(m);
        if (gsl_multimin_test_size(size, cal->tolerance) == GSL_SUCCESS) {
            /* a fresh simplex at the best vertex, while restarts lower J */
            if (restarts < cal->restarts && s.best < before) {
                restarts++;
                before = s.best;
                to_z(cal, s.best_x, z);
                status = gsl_multimin_fminimizer_set(m, &f, z, step);
                if (!(rc = s.rc) && status)
                    rc = sim_error(err, SIM_E_NUMERIC, "Nelder-Mead: %s",
                                   gsl_strerror(status));
                continue;
            }
            r->stop = "tolerance";
            break;
        }
        if (cal->max_seconds > 0 && calib_elapsed(c) >= cal->max_seconds) {
            r->stop = "time";
            break;
        }
    }
    if (!rc) {
        /* the simplex's best vertex: the lowest objective evaluated */
        memcpy(r->x, s.best_x, sizeof s.best_x);
        r->objective = s.best;
        r->evaluations = c->ntrace;
    }
    gsl_vector_free(z);
    gsl_vector_free(step);
    gsl_multimin_fminimizer_free(m);
    return rc;
}
