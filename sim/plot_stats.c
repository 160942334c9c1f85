/* plot_stats.c - what the pictures of `plot` show, computed from tables:
 * quantile bands per round over the replications still running, empirical
 * distribution functions, probabilities by round and main effects
 * (plot.h). */
#include <sanctionsim/plot.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUND 100000

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Fills band b from its values v[0..n) (sorted here). */
static void band_stats(sim_plot_band *b, double *v, size_t n)
{
    b->n = n;
    if (n == 0) {
        b->mean = b->p05 = b->p25 = b->p50 = b->p75 = b->p95 = NAN;
        return;
    }
    gsl_sort(v, 1, n);
    b->mean = gsl_stats_mean(v, 1, n);
    b->p05 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.05);
    b->p25 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.25);
    b->p50 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.50);
    b->p75 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.75);
    b->p95 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.95);
}

/* The largest round of t's column rc, checked. */
static int max_round(const sim_plot_table *t, int rc, int *rmax, sim_err *err)
{
    *rmax = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        double r = sim_plot_at(t, i, rc);
        if (!(r >= 1 && r <= MAX_ROUND) || r != floor(r))
            return sim_error(err, SIM_E_USAGE,
                             "row %zu: round %g is not a whole number from 1 "
                             "to %d",
                             i + 1, r, MAX_ROUND);
        if ((int)r > *rmax)
            *rmax = (int)r;
    }
    return 0;
}

int sim_plot_bands(const sim_plot_table *t, int round_col, int value_col,
                   sim_plot_band **bands, int *nrounds, sim_err *err)
{
    *bands = NULL;
    *nrounds = 0;
    int rmax;
    int rc = max_round(t, round_col, &rmax, err);
    if (rc)
        return rc;
    /* start[r + 1]: the number of values of rounds 1 to r, by counting. */
    size_t *start = calloc((size_t)rmax + 2, sizeof *start);
    double *vals = malloc((t->nrows ? t->nrows : 1) * sizeof *vals);
    sim_plot_band *b = calloc(rmax ? (size_t)rmax : 1, sizeof *b);
    if (!start || !vals || !b) {
        free(start), free(vals), free(b);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->nrows; i++) {
        int r = (int)sim_plot_at(t, i, round_col);
        b[r - 1].running++;
        if (!isnan(sim_plot_at(t, i, value_col)))
            start[r + 1]++;
    }
    for (int r = 1; r <= rmax; r++)
        start[r + 1] += start[r];
    size_t *fill = start + 1; /* fill[r - 1]: next free slot of round r */
    for (size_t i = 0; i < t->nrows; i++) {
        double v = sim_plot_at(t, i, value_col);
        if (!isnan(v))
            vals[fill[(int)sim_plot_at(t, i, round_col) - 1]++] = v;
    }
    /* fill[r - 1] is now the end of round r, fill[r - 2] its start. */
    for (int r = 1; r <= rmax; r++) {
        size_t from = r == 1 ? 0 : fill[r - 2];
        b[r - 1].round = r;
        band_stats(&b[r - 1], vals + from, fill[r - 1] - from);
    }
    free(start);
    free(vals);
    *bands = b;
    *nrounds = rmax;
    return 0;
}

size_t sim_plot_ecdf(const double *x, size_t n, double *xs, double *F)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            xs[m++] = x[i];
    qsort(xs, m, sizeof *xs, by_value);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k && xs[k - 1] == xs[i]) {
            F[k - 1] = (double)(i + 1) / (double)n;
            continue;
        }
        xs[k] = xs[i];
        F[k++] = (double)(i + 1) / (double)n;
    }
    return k;
}

void sim_plot_by_round(const double *x, size_t n, int max_round, double *p)
{
    for (int t = 0; t <= max_round; t++) {
        size_t c = 0;
        for (size_t i = 0; i < n; i++)
            c += !isnan(x[i]) && x[i] <= t;
        p[t] = n ? (double)c / (double)n : NAN;
    }
}

/* The level of value v: its index among the distinct values lv[0..nl),
 * or its bin of width w from lo. */
static int level_of(double v, const double *lv, int nl, double lo, double w,
                    int bins)
{
    if (nl > 0) {
        for (int k = 0; k < nl; k++)
            if (lv[k] == v)
                return k;
        return 0;
    }
    int k = w > 0 ? (int)((v - lo) / w) : 0;
    return k < 0 ? 0 : k >= bins ? bins - 1 : k;
}

/* The distinct values of f[0..n) into lv (at most max), sorted; returns
 * their number, or max + 1 if there are more than max. */
static int distinct(const double *f, const double *y, size_t n, double *lv,
                    int max)
{
    int nl = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i]) || isnan(f[i]))
            continue;
        int k = 0;
        while (k < nl && lv[k] != f[i])
            k++;
        if (k < nl)
            continue;
        if (nl == max)
            return max + 1;
        lv[nl++] = f[i];
    }
    qsort(lv, (size_t)nl, sizeof *lv, by_value);
    return nl;
}

int sim_plot_main_effect(const double *f, const double *y, size_t n,
                         int max_levels, sim_plot_effect *out, int *nout,
                         sim_err *err)
{
    *nout = 0;
    if (max_levels < 1)
        return sim_error(err, SIM_E_USAGE, "max_levels %d is below 1",
                         max_levels);
    double *lv = malloc((size_t)max_levels * 4 * sizeof *lv);
    if (!lv)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    double *sum = lv + max_levels, *sq = sum + max_levels,
           *fsum = sq + max_levels;
    int nl = distinct(f, y, n, lv, max_levels);
    if (nl > max_levels)
        nl = -1; /* binned */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i]) && !isnan(f[i]))
            lo = fmin(lo, f[i]), hi = fmax(hi, f[i]);
    int bins = nl >= 0 ? nl : max_levels;
    double w = nl >= 0 ? 0 : (hi - lo) / max_levels;
    memset(out, 0, (size_t)max_levels * sizeof *out);
    memset(sum, 0, (size_t)max_levels * 3 * sizeof *sum);
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i]) || isnan(f[i]))
            continue;
        int k = level_of(f[i], lv, nl, lo, w, bins);
        out[k].n++;
        sum[k] += y[i];
        fsum[k] += f[i];
    }
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i]) || isnan(f[i]))
            continue;
        int k = level_of(f[i], lv, nl, lo, w, bins);
        double d = y[i] - sum[k] / (double)out[k].n;
        sq[k] += d * d;
    }
    int m = 0;
    for (int k = 0; k < bins; k++) {
        size_t c = out[k].n;
        if (!c)
            continue;
        out[m].n = c;
        out[m].level = nl >= 0 ? lv[k] : fsum[k] / (double)c;
        out[m].mean = sum[k] / (double)c;
        out[m].se = c > 1 ? sqrt(sq[k] / (double)(c - 1) / (double)c) : NAN;
        m++;
    }
    free(lv);
    *nout = m;
    return 0;
}
