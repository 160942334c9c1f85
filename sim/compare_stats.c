/* compare_stats.c - tests of a difference of means or of proportions
 * (paired t, Welch, McNemar, two proportions) and the multiple-testing
 * adjustments of compare.h. */
#include <sanctionsim/compare.h>

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

static void set_nan(sim_compare_est *o)
{
    o->estimate = o->lo = o->hi = o->statistic = o->p = NAN;
}

/* Two-sided p-value of a t statistic with df degrees of freedom. */
static double t_p(double t, double df)
{
    if (isinf(t))
        return 0;
    return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

/* Fills *o from an estimate, its standard error and degrees of freedom;
 * se == 0 means no spread: the estimate is certain. */
static void t_interval(double est, double se, double df, double level,
                       sim_compare_est *o)
{
    o->estimate = est;
    if (se == 0) {
        o->lo = o->hi = est;
        o->statistic = est == 0 ? 0 : copysign(INFINITY, est);
        o->p = est == 0 ? 1 : 0;
        return;
    }
    double q = gsl_cdf_tdist_Qinv((1 - level) / 2, df);
    o->lo = est - q * se;
    o->hi = est + q * se;
    o->statistic = est / se;
    o->p = t_p(o->statistic, df);
}

void sim_compare_paired_t(const double *d, size_t n, double level,
                          sim_compare_est *out)
{
    set_nan(out);
    if (n < 2)
        return;
    double m = gsl_stats_mean(d, 1, n);
    double sd = gsl_stats_sd_m(d, 1, n, m);
    t_interval(m, sd / sqrt((double)n), (double)n - 1, level, out);
}

void sim_compare_welch(const double *a, size_t na, const double *b,
                       size_t nb, double level, sim_compare_est *out)
{
    set_nan(out);
    if (na < 2 || nb < 2)
        return;
    double ma = gsl_stats_mean(a, 1, na), mb = gsl_stats_mean(b, 1, nb);
    double va = gsl_stats_variance_m(a, 1, na, ma) / (double)na;
    double vb = gsl_stats_variance_m(b, 1, nb, mb) / (double)nb;
    double se = sqrt(va + vb);
    /* Welch-Satterthwaite degrees of freedom (Welch 1947). */
    double df = (va + vb) * (va + vb) /
                (va * va / ((double)na - 1) + vb * vb / ((double)nb - 1));
    t_interval(mb - ma, se, se > 0 ? df : 1, level, out);
}

void sim_compare_mcnemar(const double *a, const double *b, size_t n,
                         double level, sim_compare_est *out)
{
    set_nan(out);
    if (n < 1)
        return;
    double n10 = 0, n01 = 0; /* b = 1, a = 0 and the reverse */
    for (size_t i = 0; i < n; i++) {
        n10 += b[i] != 0 && a[i] == 0;
        n01 += b[i] == 0 && a[i] != 0;
    }
    double nn = (double)n, d = (n10 - n01) / nn;
    /* Wald interval of a difference of paired proportions (Fleiss, Levin
     * and Paik, Statistical Methods for Rates and Proportions, 3rd ed.,
     * 2003, eq. 13.13): se = sqrt(n10 + n01 - (n10 - n01)^2 / n) / n. */
    double se = sqrt(fmax(0, n10 + n01 - (n10 - n01) * (n10 - n01) / nn)) / nn;
    double z = gsl_cdf_ugaussian_Qinv((1 - level) / 2);
    out->estimate = d;
    out->lo = fmax(-1, d - z * se);
    out->hi = fmin(1, d + z * se);
    double disc = n10 + n01;
    if (disc == 0) {
        out->statistic = 0;
        out->p = 1;
        return;
    }
    out->statistic = (n10 - n01) / sqrt(disc);
    /* Exact McNemar: given the discordant pairs, n10 ~ Binomial(disc, 1/2)
     * under no difference; two-sided p = 2 P(X <= min(n10, n01)). */
    double k = fmin(n10, n01);
    out->p = fmin(1, 2 * gsl_cdf_binomial_P((unsigned)k, 0.5, (unsigned)disc));
}

/* Wilson's score interval of x successes in n (Wilson 1927). */
static void wilson(double x, double n, double z, double *lo, double *hi)
{
    double p = x / n, z2 = z * z;
    double c = (p + z2 / (2 * n)) / (1 + z2 / n);
    double h = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    *lo = fmax(0, c - h);
    *hi = fmin(1, c + h);
}

void sim_compare_two_prop(const double *a, size_t na, const double *b,
                          size_t nb, double level, sim_compare_est *out)
{
    set_nan(out);
    if (na < 1 || nb < 1)
        return;
    double xa = 0, xb = 0, n1 = (double)na, n2 = (double)nb;
    for (size_t i = 0; i < na; i++)
        xa += a[i] != 0;
    for (size_t i = 0; i < nb; i++)
        xb += b[i] != 0;
    double pa = xa / n1, pb = xb / n2, d = pb - pa;
    double z = gsl_cdf_ugaussian_Qinv((1 - level) / 2);
    double la, ua, lb, ub;
    wilson(xa, n1, z, &la, &ua);
    wilson(xb, n2, z, &lb, &ub);
    /* Newcombe (1998), Statistics in Medicine 17:873-890, method 10. */
    out->estimate = d;
    out->lo = d - sqrt((pb - lb) * (pb - lb) + (ua - pa) * (ua - pa));
    out->hi = d + sqrt((ub - pb) * (ub - pb) + (pa - la) * (pa - la));
    double pool = (xa + xb) / (n1 + n2);
    double se = sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2));
    if (se == 0) { /* both all 0 or both all 1: no difference */
        out->statistic = 0;
        out->p = 1;
        return;
    }
    out->statistic = d / se;
    out->p = 2 * gsl_cdf_ugaussian_Q(fabs(out->statistic));
}

/* Indices of the non-NaN entries of p, sorted by p; returns how many. */
static size_t order(const double *p, size_t n, size_t *idx)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]))
            idx[m++] = i;
    /* insertion sort: the families are a few dozen metrics */
    for (size_t i = 1; i < m; i++) {
        size_t v = idx[i], j = i;
        while (j > 0 && p[idx[j - 1]] > p[v]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    return m;
}

int sim_compare_holm(const double *p, size_t n, double *adj)
{
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        adj[i] = NAN;
    if (!idx)
        return SIM_E_NOMEM;
    size_t m = order(p, n, idx);
    /* Holm (1979): the k-th smallest (from 0) times m - k, made
     * non-decreasing, capped at 1. */
    double run = 0;
    for (size_t k = 0; k < m; k++) {
        double v = fmin(1, (double)(m - k) * p[idx[k]]);
        run = fmax(run, v);
        adj[idx[k]] = run;
    }
    free(idx);
    return 0;
}

int sim_compare_bh(const double *p, size_t n, double *adj)
{
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        adj[i] = NAN;
    if (!idx)
        return SIM_E_NOMEM;
    size_t m = order(p, n, idx);
    /* Benjamini and Hochberg (1995): the k-th smallest (from 1) times m/k,
     * made non-increasing from the largest down, capped at 1. */
    double run = 1;
    for (size_t k = m; k-- > 0;) {
        double v = fmin(1, p[idx[k]] * (double)m / (double)(k + 1));
        run = fmin(run, v);
        adj[idx[k]] = run;
    }
    free(idx);
    return 0;
}
