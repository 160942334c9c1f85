/* sensitivity.c - Sobol indices (with bootstrap intervals) and Morris
 * measures from a design's outputs (sensitivity.h). */
#include <sanctionsim/sensitivity.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "design_impl.h"
#include <sanctionsim/rng.h>

/* The random-stream purpose of the bootstrap's draws (rng.h). */
#define SENSITIVITY_STREAM 0x500u

/* What one estimate needs: the design, its outputs, its layout. */
typedef struct sobol_view {
    const double *y;
    int g, stride;
    bool second;
} sobol_view;

/* Number of estimates: G first order, G total, G x G second (i < j used). */
static int n_estimates(const sobol_view *v)
{
    return 2 * v->g + (v->second ? v->g * v->g : 0);
}

/* The estimates from base samples idx[0..n) (a sample may repeat, as in a
 * bootstrap resample) into est: est[i] = S1 of group i, est[g + i] = ST,
 * est[2g + i g + j] = S2 of i < j. False if the outputs do not vary. */
static bool estimate(const sobol_view *v, const long *idx, long n, double *est)
{
    const double *y = v->y;
    int g = v->g, s = v->stride;
    double mean = 0, var = 0;
    for (long r = 0; r < n; r++)
        mean += y[idx[r] * s] + y[idx[r] * s + 1];
    mean /= 2.0 * (double)n;
    for (long r = 0; r < n; r++) {
        double a = y[idx[r] * s] - mean, b = y[idx[r] * s + 1] - mean;
        var += a * a + b * b;
    }
    var /= 2.0 * (double)n;
    if (!(var > 0))
        return false;
    /* f(B) is centred on the mean over A and B: the estimator's
     * expectation does not change (E[f(AB) - f(A)] = 0), but a mean large
     * against the spread no longer inflates its variance, as it does
     * uncentred (the model's outputs are counts in the hundreds). */
    for (int i = 0; i < g; i++) {
        double first = 0, total = 0;
        for (long r = 0; r < n; r++) {
            const double *row = y + idx[r] * s;
            double fa = row[0], fb = row[1] - mean, fab = row[2 + i];
            first += fb * (fab - fa);          /* Saltelli 2010, (b) */
            total += (fa - fab) * (fa - fab);  /* Jansen 1999, (f) */
        }
        est[i] = first / (double)n / var;
        est[g + i] = total / (2.0 * (double)n) / var;
    }
    if (!v->second)
        return true;
    /* Saltelli 2002, eq. 12, as SALib's second_order():
     * V_ij / V = mean(f(BA^i) f(AB^j) - f(A) f(B)) / V - S_i - S_j. */
    for (int i = 0; i < g; i++)
        for (int j = i + 1; j < g; j++) {
            double sum = 0;
            for (long r = 0; r < n; r++) {
                const double *row = y + idx[r] * s;
                sum += (row[2 + g + i] - mean) * (row[2 + j] - mean) -
                       (row[0] - mean) * (row[1] - mean);
            }
            est[2 * g + i * g + j] = sum / (double)n / var - est[i] - est[j];
        }
    return true;
}

bool sim_index_covers_zero(const sim_index *x)
{
    return isfinite(x->lo) && isfinite(x->hi) && x->lo <= 0 && x->hi >= 0;
}

/* Percentile intervals: boot holds B resamples of ne estimates, estimate
 * by estimate (boot[e * B + b]); each row is sorted in place. */
static void intervals(double *boot, int ne, int b, double *lo, double *hi)
{
    for (int e = 0; e < ne; e++) {
        double *row = boot + (size_t)e * (size_t)b;
        gsl_sort(row, 1, (size_t)b);
        lo[e] = gsl_stats_quantile_from_sorted_data(row, 1, (size_t)b, 0.025);
        hi[e] = gsl_stats_quantile_from_sorted_data(row, 1, (size_t)b, 0.975);
    }
}

/* Runs the bootstrap: o->bootstrap resamples of the n base samples, drawn
 * from the seeded stream; fills lo and hi for each estimate. */
static int bootstrap(const sobol_view *v, long n, const sim_sobol_opts *o,
                     double *lo, double *hi, sim_err *err)
{
    int ne = n_estimates(v), b = o->bootstrap;
    long *idx = malloc(sizeof *idx * (size_t)n);
    double *boot = malloc(sizeof *boot * (size_t)ne * (size_t)b);
    double *est = calloc((size_t)ne, sizeof *est);
    gsl_rng *r = gsl_rng_alloc(sim_rng_xoshiro256ss);
    int rc = 0;
    if (!idx || !boot || !est || !r) {
        rc = sim_error(err, SIM_E_NOMEM, "out of memory for the bootstrap");
        goto done;
    }
    sim_rng_seed_stream(r, o->seed, 0, SENSITIVITY_STREAM);
    for (int k = 0; k < b; k++) {
        for (long j = 0; j < n; j++)
            idx[j] = (long)gsl_rng_uniform_int(r, (unsigned long)n);
        if (!estimate(v, idx, n, est))
            for (int e = 0; e < ne; e++)
                est[e] = 0; /* a resample of constant outputs */
        for (int e = 0; e < ne; e++)
            boot[(size_t)e * (size_t)b + (size_t)k] = est[e];
    }
    intervals(boot, ne, b, lo, hi);
done:
    gsl_rng_free(r);
    free(idx);
    free(boot);
    free(est);
    return rc;
}

/* Copies estimates and intervals into the result's indices. */
static void fill(sim_sobol_result *out, const double *est, const double *lo,
                 const double *hi)
{
    int g = out->ngroups;
    for (int i = 0; i < g; i++) {
        out->s1[i] = (sim_index){est[i], lo[i], hi[i]};
        out->st[i] = (sim_index){est[g + i], lo[g + i], hi[g + i]};
        for (int j = i + 1; out->second_order && j < g; j++) {
            int e = 2 * g + i * g + j;
            out->s2[i][j] = (sim_index){est[e], lo[e], hi[e]};
        }
    }
}

/* Checks the request of sim_sobol_indices and the outputs it reads. */
static int check_sobol(const sim_design *d, const double *y, long n,
                       const sobol_view *v, sim_err *err)
{
    if (d->opts.type != SIM_DESIGN_SOBOL)
        return sim_error(err, SIM_E_USAGE,
                         "Sobol indices need a sobol design, not %s",
                         sim_design_name(d->opts.type));
    if (n < 2 || n > d->opts.samples)
        return sim_error(err, SIM_E_USAGE,
                         "Sobol indices from %ld base samples: the design "
                         "has %ld (at least 2 are needed)",
                         n, d->opts.samples);
    for (long p = 0; p < n * v->stride; p++)
        if (!isfinite(y[p]))
            return sim_error(err, SIM_E_NUMERIC,
                             "the output at design point %ld is not finite",
                             p);
    return 0;
}

int sim_sobol_indices(const sim_design *d, const double *y, long n,
                      const sim_sobol_opts *o, sim_sobol_result *out,
                      sim_err *err)
{
    memset(out, 0, sizeof *out);
    sobol_view v = {y, d->ngroups, 0, d->opts.second_order};
    if (d->opts.type == SIM_DESIGN_SOBOL)
        v.stride = sim_design_sobol_stride(d);
    int rc = check_sobol(d, y, n, &v, err);
    if (rc)
        return rc;
    sim_error_quiet_gsl();
    out->ngroups = v.g;
    out->n = n;
    out->second_order = v.second;
    int ne = n_estimates(&v);
    long *idx = malloc(sizeof *idx * (size_t)n);
    double *buf = calloc(3 * (size_t)ne, sizeof *buf);
    if (!idx || !buf) {
        rc = sim_error(err, SIM_E_NOMEM, "out of memory for Sobol indices");
        goto done;
    }
    double *est = buf, *lo = buf + ne, *hi = buf + (size_t)2 * (size_t)ne;
    for (long j = 0; j < n; j++)
        idx[j] = j;
    if (!estimate(&v, idx, n, est)) {
        rc = sim_error(err, SIM_E_NUMERIC,
                       "the outputs do not vary over the design's A and B "
                       "points: Sobol indices are undefined");
        goto done;
    }
    /* variance again, for the report */
    double *ab = malloc(sizeof *ab * 2 * (size_t)n);
    if (!ab) {
        rc = sim_error(err, SIM_E_NOMEM, "out of memory for Sobol indices");
        goto done;
    }
    for (long j = 0; j < n; j++) {
        ab[2 * j] = y[j * v.stride];
        ab[2 * j + 1] = y[j * v.stride + 1];
    }
    out->variance = gsl_stats_variance(ab, 1, 2 * (size_t)n);
    free(ab);
    for (int e = 0; e < ne; e++)
        lo[e] = hi[e] = NAN;
    if (o->bootstrap > 0)
        rc = bootstrap(&v, n, o, lo, hi, err);
    if (!rc)
        fill(out, est, lo, hi);
done:
    free(idx);
    free(buf);
    return rc;
}

int sim_morris_indices(const sim_design *d, const double *y,
                       sim_morris_result *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    if (d->opts.type != SIM_DESIGN_MORRIS)
        return sim_error(err, SIM_E_USAGE,
                         "Morris measures need a morris design, not %s",
                         sim_design_name(d->opts.type));
    int k = d->nfactors;
    long r = d->opts.samples;
    for (long p = 0; p < d->npoints; p++)
        if (!isfinite(y[p]))
            return sim_error(err, SIM_E_NUMERIC,
                             "the output at design point %ld is not finite",
                             p);
    double *ee = calloc((size_t)r * (size_t)k, sizeof *ee);
    if (!ee)
        return sim_error(err, SIM_E_NOMEM, "out of memory for Morris");
    /* ee[i * r + t]: factor i's effect in trajectory t */
    for (long t = 0; t < r; t++)
        for (int s = 0; s < k; s++) {
            long p = t * (k + 1) + s;
            const double *u0 = d->u + p * k, *u1 = u0 + k;
            for (int i = 0; i < k; i++)
                if (u1[i] != u0[i])
                    ee[(size_t)i * (size_t)r + (size_t)t] =
                        (y[p + 1] - y[p]) / (u1[i] - u0[i]);
        }
    out->nfactors = k;
    out->trajectories = r;
    out->delta = d->opts.levels / (2.0 * (d->opts.levels - 1));
    for (int i = 0; i < k; i++) {
        const double *e = ee + (size_t)i * (size_t)r;
        double abs_sum = 0;
        for (long t = 0; t < r; t++)
            abs_sum += fabs(e[t]);
        out->f[i].mu = gsl_stats_mean(e, 1, (size_t)r);
        out->f[i].mu_star = abs_sum / (double)r;
        out->f[i].sigma = r > 1 ? gsl_stats_sd(e, 1, (size_t)r) : 0;
    }
    free(ee);
    return 0;
}
