/* calib_abc.c - approximate Bayesian computation by rejection: draws from
 * the priors (truncated to the bounds by their inverse CDFs), each draw
 * evaluated as smm evaluates a candidate, distance sqrt(J) with the
 * weights of the start point; the draws within the tolerance, or else the
 * closest fraction, are kept and weighted by the Epanechnikov kernel
 * 1 - (d / epsilon)^2 (Beaumont, Zhang and Balding 2002). The sample's
 * effective size is (sum w)^2 / sum w^2. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

#include "calib_impl.h"
#include <sanctionsim/rng.h>

/* The purpose code of the prior draws' stream. */
#define ABC_STREAM 0x700u

/* A draw from parameter p's prior truncated to its bounds, by u in [0,1). */
static double prior_draw(const sim_calib_param *p, double u)
{
    double a, b, x;
    switch (p->prior) {
    case SIM_PRIOR_NORMAL:
        a = gsl_cdf_gaussian_P(p->lo - p->p0, p->p1);
        b = gsl_cdf_gaussian_P(p->hi - p->p0, p->p1);
        x = p->p0 + gsl_cdf_gaussian_Pinv(a + (b - a) * u, p->p1);
        break;
    case SIM_PRIOR_LOGNORMAL:
        a = gsl_cdf_lognormal_P(p->lo, p->p0, p->p1);
        b = gsl_cdf_lognormal_P(p->hi, p->p0, p->p1);
        x = gsl_cdf_lognormal_Pinv(a + (b - a) * u, p->p0, p->p1);
        break;
    default:
        x = p->lo + (p->hi - p->lo) * u;
    }
    /* a prior with (almost) no mass in the bounds: the quantile
     * functions saturate; stay inside */
    if (!(x > p->lo) || !(x < p->hi) || !isfinite(x))
        x = isfinite(x) && x >= p->hi ? nextafter(p->hi, p->lo)
                                      : x <= p->lo || !isfinite(x)
                                            ? nextafter(p->lo, p->hi)
                                            : x;
    return x;
}

typedef struct abc_draw {
    long i;
    double d;
} abc_draw;

static int cmp_draw(const void *a, const void *b)
{
    const abc_draw *x = a, *y = b;
    if (x->d != y->d)
        return (x->d > y->d) - (x->d < y->d);
    return (x->i > y->i) - (x->i < y->i);
}

/* The weighted p-quantile of parameter k over the kept draws. */
static double wquantile(const calib_ctx *c, const abc_draw *kept, long n,
                        const double *w, int k, double p, abc_draw *v)
{
    long width = c->c->nparams + 1;
    double total = 0;
    for (long j = 0; j < n; j++) {
        v[j] = (abc_draw){j, c->trace[kept[j].i * width + k]};
        total += w[j];
    }
    qsort(v, (size_t)n, sizeof *v, cmp_draw);
    double cum = 0;
    for (long j = 0; j < n; j++) {
        cum += w[v[j].i];
        if (cum >= p * total)
            return v[j].d;
    }
    return v[n - 1].d;
}

/* Draws until a budget or the kept count stops it. */
static int draw_all(calib_ctx *c, sim_calib_result *r, sim_err *err)
{
    const sim_calib *cal = c->c;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    if (!g)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    gsl_rng_set(g, sim_rng_stream_seed(cal->seed, 0, ABC_STREAM));
    long within = 0;
    int rc = 0;
    r->stop = "draws";
    for (long d = 0; !rc && d < cal->draws; d++) {
        double x[SIM_CALIB_MAX_PARAMS];
        for (int i = 0; i < cal->nparams; i++)
            x[i] = prior_draw(&cal->param[i], gsl_rng_uniform(g));
        rc = calib_eval(c, x, err);
        double dist = rc ? NAN : sqrt(calib_objective(c));
        if (!rc)
            rc = calib_trace_add(c, x, dist, err);
        if (!rc && cal->abc_tolerance > 0 && dist <= cal->abc_tolerance &&
            cal->keep > 0 && ++within >= cal->keep) {
            r->stop = "kept";
            break;
        }
        if (!rc && cal->max_seconds > 0 &&
            calib_elapsed(c) >= cal->max_seconds) {
            r->stop = "time";
            break;
        }
    }
    gsl_rng_free(g);
    return rc;
}

/* How many of the n draws (sorted by distance) are kept, and epsilon;
 * 0 kept is an error naming the closest distance. */
static int keep_draws(const calib_ctx *c, const abc_draw *all, long n,
                      long *kept, double *eps, sim_err *err)
{
    const sim_calib *cal = c->c;
    long k = 0;
    if (cal->abc_tolerance > 0) {
        *eps = cal->abc_tolerance;
        while (k < n && all[k].d <= *eps)
            k++;
    } else {
        k = (long)ceil(cal->accept * (double)n - 1e-9);
        k = k < 1 ? 1 : k > n ? n : k;
        /* epsilon: the first distance rejected */
        *eps = k < n ? all[k].d : all[n - 1].d * (1 + 1e-9) + 1e-300;
    }
    *kept = k;
    if (k < 1)
        return sim_error(err, SIM_E_NUMERIC,
                         "%s: no draw of %ld lies within abc_tolerance = %g "
                         "(the closest is at %g): raise the tolerance or "
                         "the draws",
                         cal->file, n, cal->abc_tolerance, all[0].d);
    return 0;
}

/* Epanechnikov weights w[0..k) of the kept draws; equal weights if every
 * kept draw lies at epsilon. Returns their sum, and sum w^2 in *sw2. */
static double kernel_weights(const abc_draw *all, long k, double eps,
                             double *w, double *sw2)
{
    double sw = 0;
    *sw2 = 0;
    for (long j = 0; j < k; j++) {
        double q = eps > 0 ? all[j].d / eps : 0;
        w[j] = q < 1 ? 1 - q * q : 0;
        sw += w[j];
        *sw2 += w[j] * w[j];
    }
    if (!(sw > 0)) {
        for (long j = 0; j < k; j++)
            w[j] = 1;
        sw = *sw2 = (double)k;
    }
    return sw;
}

/* Puts the k kept draws (and their weights) back in draw order. */
static void draw_order(abc_draw *all, double *w, long k)
{
    for (long j = 1; j < k; j++) {
        abc_draw a = all[j];
        double wa = w[j];
        long l = j - 1;
        for (; l >= 0 && all[l].i > a.i; l--) {
            all[l + 1] = all[l];
            w[l + 1] = w[l];
        }
        all[l + 1] = a;
        w[l + 1] = wa;
    }
}

/* Long: the sample's summary (mean, quantiles, effective size, closest
 * objective) and its rows, from the sorted draws all[0..n). */
static int summarise(calib_ctx *c, sim_calib_result *r, abc_draw *all,
                     long n, double *w, abc_draw *tmp, double **sample,
                     long *nsample, sim_err *err)
{
    const sim_calib *cal = c->c;
    long width = cal->nparams + 1, k = 0;
    double eps = 0, sw2 = 0;
    int rc = keep_draws(c, all, n, &k, &eps, err);
    if (rc)
        return rc;
    r->objective = all[0].d * all[0].d;
    double sw = kernel_weights(all, k, eps, w, &sw2);
    draw_order(all, w, k);
    r->accepted = k;
    r->epsilon = eps;
    r->ess = sw * sw / sw2;
    r->evaluations = n;
    static const double ps[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
    for (int i = 0; i < cal->nparams; i++) {
        double m = 0;
        for (long j = 0; j < k; j++)
            m += w[j] * c->trace[all[j].i * width + i];
        r->x[i] = m / sw;
        for (int q = 0; q < 5; q++)
            r->q[i][q] = wquantile(c, all, k, w, i, ps[q], tmp);
    }
    double *out = malloc((size_t)(k * (width + 2) + 1) * sizeof *out);
    if (!out)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    /* a row: the draw's number, its keys and distance, its weight */
    for (long j = 0; j < k; j++) {
        double *row = out + j * (width + 2);
        row[0] = (double)all[j].i;
        memcpy(row + 1, c->trace + all[j].i * width,
               (size_t)width * sizeof(double));
        row[width + 1] = w[j] / sw;
    }
    *sample = out;
    *nsample = k;
    return 0;
}

int calib_abc(calib_ctx *c, sim_calib_result *r, double **sample,
              long *nsample, sim_err *err)
{
    int rc = draw_all(c, r, err);
    long n = c->ntrace, width = c->c->nparams + 1;
    if (rc)
        return rc;
    if (n < 1 || !c->trace)
        return sim_error(err, SIM_E_INTERNAL, "abc: no draw was made");
    abc_draw *all = malloc((size_t)n * sizeof *all);
    double *w = malloc((size_t)n * sizeof *w);
    abc_draw *tmp = malloc((size_t)n * sizeof *tmp);
    if (!all || !w || !tmp) {
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    } else {
        for (long i = 0; i < n; i++)
            all[i] = (abc_draw){i, c->trace[i * width + width - 1]};
        qsort(all, (size_t)n, sizeof *all, cmp_draw);
        rc = summarise(c, r, all, n, w, tmp, sample, nsample, err);
    }
    free(all);
    free(w);
    free(tmp);
    return rc;
}
