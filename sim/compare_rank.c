/* compare_rank.c - the rank and distribution tests of compare.h: Wilcoxon's
 * signed-rank test, the Mann-Whitney test and the two-sample
 * Kolmogorov-Smirnov test, with the exact null distributions of the first
 * two for small samples without ties. */
#include <sanctionsim/compare.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sort.h>

/* Below this many values (each sample) the rank tests are exact when
 * there are no ties, as R's wilcox.test does by default. */
#define EXACT_MAX 50

/* A value and the sample it came from (0 or 1), for ranking. */
typedef struct tagged {
    double v;
    int from;
} tagged;

static int by_value(const void *x, const void *y)
{
    double a = ((const tagged *)x)->v, b = ((const tagged *)y)->v;
    return (a > b) - (a < b);
}

/* Mid-ranks of t[0..n) sorted by value, into rank; returns the tie term
 * sum over tie groups of (t^3 - t). */
static double midranks(const tagged *t, size_t n, double *rank)
{
    double ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && t[j + 1].v == t[i].v)
            j++;
        double r = (double)(i + j) / 2 + 1, g = (double)(j - i + 1);
        for (size_t k = i; k <= j; k++)
            rank[k] = r;
        ties += g * g * g - g;
        i = j + 1;
    }
    return ties;
}

/* Two-sided p-value of the normal approximation with continuity
 * correction: z = (s - mean - sign(s - mean)/2) / sd (as R's wilcox.test,
 * after Hollander and Wolfe, Nonparametric Statistical Methods, 1999). */
static double normal_p(double s, double mean, double sd)
{
    if (!(sd > 0))
        return 1;
    double dz = s - mean;
    double corr = dz > 0 ? 0.5 : dz < 0 ? -0.5 : 0;
    double z = (dz - corr) / sd;
    return fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(z)));
}

/* Two-sided exact p from the null counts c[0..max] of a statistic s
 * symmetric about max/2: 2 P(S <= s) or 2 P(S >= s), capped at 1. */
static double exact_p(const double *c, int max, double s)
{
    double total = 0, tail = 0;
    for (int k = 0; k <= max; k++)
        total += c[k];
    if (!(s >= 0 && s <= max))
        return NAN;
    if (s > (double)max / 2) {
        for (int k = (int)ceil(s); k <= max; k++)
            tail += c[k];
    } else {
        for (int k = 0; k <= (int)floor(s) && k <= max; k++)
            tail += c[k];
    }
    return fmin(1, 2 * tail / total);
}

int sim_compare_wilcoxon(const double *d, size_t n, double *v, double *p,
                         sim_err *err)
{
    *v = NAN;
    *p = NAN;
    tagged *t = malloc((n ? n : 1) * sizeof *t);
    double *rank = malloc((n ? n : 1) * sizeof *rank);
    if (!t || !rank) {
        free(t);
        free(rank);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] != 0)
            t[m++] = (tagged){fabs(d[i]), d[i] > 0};
    qsort(t, m, sizeof *t, by_value);
    double ties = midranks(t, m, rank), vs = 0;
    for (size_t i = 0; i < m; i++)
        if (t[i].from)
            vs += rank[i];
    *v = vs;
    double mm = (double)m;
    if (m == 0) {
        *p = 1;
    } else if (m < EXACT_MAX && ties == 0 && m == n) {
        /* Exact: c[k] counts the subsets of the ranks 1..m summing to k. */
        int max = (int)(m * (m + 1) / 2);
        double c[EXACT_MAX * (EXACT_MAX + 1) / 2 + 1];
        memset(c, 0, sizeof c);
        c[0] = 1;
        for (int i = 1; i <= (int)m; i++)
            for (int k = max; k >= i; k--)
                c[k] += c[k - i];
        *p = exact_p(c, max, vs);
    } else {
        /* Zeros dropped, ties by mid-ranks with the variance reduced by
         * sum(t^3 - t)/48 (Hollander and Wolfe 1999, section 3.1). */
        double var = mm * (mm + 1) * (2 * mm + 1) / 24 - ties / 48;
        *p = normal_p(vs, mm * (mm + 1) / 4, sqrt(fmax(0, var)));
    }
    free(t);
    free(rank);
    return 0;
}

/* Exact null counts of the Mann-Whitney statistic for samples of sizes m
 * and n: c[k] for k = 0..m n, by the recursion
 * f(k; i, j) = f(k - j; i - 1, j) + f(k; i, j - 1) (Mann and Whitney
 * 1947), additions only. Returns 0 or -1 if out of memory. */
static int mw_counts(int m, int n, double *c)
{
    int kmax = m * n;
    size_t layer = (size_t)(n + 1) * (size_t)(kmax + 1);
    double *prev = calloc(layer, sizeof *prev);
    double *cur = calloc(layer, sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return -1;
    }
#define F(tab, j, k) (tab)[(size_t)(j) * (size_t)(kmax + 1) + (size_t)(k)]
    for (int j = 0; j <= n; j++)
        F(prev, j, 0) = 1; /* i = 0: one way, statistic 0 */
    for (int i = 1; i <= m; i++) {
        memset(cur, 0, layer * sizeof *cur);
        F(cur, 0, 0) = 1;
        for (int j = 1; j <= n; j++)
            for (int k = 0; k <= i * j; k++)
                F(cur, j, k) =
                    (k >= j ? F(prev, j, k - j) : 0) + F(cur, j - 1, k);
        double *s = prev;
        prev = cur;
        cur = s;
    }
    for (int k = 0; k <= kmax; k++)
        c[k] = F(prev, n, k);
#undef F
    free(prev);
    free(cur);
    return 0;
}

int sim_compare_mann_whitney(const double *a, size_t na, const double *b,
                             size_t nb, double *w, double *p, sim_err *err)
{
    *w = NAN;
    *p = NAN;
    if (na == 0 || nb == 0)
        return 0;
    size_t n = na + nb;
    tagged *t = malloc(n * sizeof *t);
    double *rank = malloc(n * sizeof *rank);
    double *c = NULL;
    int rc = 0;
    if (!t || !rank)
        goto nomem;
    for (size_t i = 0; i < na; i++)
        t[i] = (tagged){a[i], 0};
    for (size_t i = 0; i < nb; i++)
        t[na + i] = (tagged){b[i], 1};
    qsort(t, n, sizeof *t, by_value);
    double ties = midranks(t, n, rank), rb = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i].from)
            rb += rank[i];
    double x = (double)na, y = (double)nb, nn = (double)n;
    *w = rb - y * (y + 1) / 2; /* pairs with b > a, ties one half */
    if (na < EXACT_MAX && nb < EXACT_MAX && ties == 0) {
        int kmax = (int)(na * nb);
        c = calloc((size_t)kmax + 1, sizeof *c);
        if (!c || mw_counts((int)nb, (int)na, c))
            goto nomem;
        *p = exact_p(c, kmax, *w);
    } else {
        /* Variance with the tie correction (Hollander and Wolfe 1999,
         * section 4.1): x y / 12 ((n + 1) - sum(t^3 - t) / (n (n - 1))). */
        double var = x * y / 12 * ((nn + 1) - ties / (nn * (nn - 1)));
        *p = normal_p(*w, x * y / 2, sqrt(fmax(0, var)));
    }
    goto done;
nomem:
    rc = sim_error(err, SIM_E_NOMEM, "out of memory");
done:
    free(t);
    free(rank);
    free(c);
    return rc;
}

double sim_compare_kolmogorov_q(double x)
{
    if (!(x > 0))
        return 1;
    if (x < 1.18) {
        /* P(K <= x) = sqrt(2 pi)/x sum_{j>=1} exp(-(2j-1)^2 pi^2/(8 x^2)),
         * the same distribution by Jacobi's theta transformation, which
         * converges fast for small x (Feller 1948, Ann. Math. Statist.
         * 19:177-189; R's pkolmogorov1x switches forms likewise). */
        double s = 0, f = -M_PI * M_PI / (8 * x * x);
        for (int j = 1; j <= 20; j++) {
            double k = 2 * j - 1;
            s += exp(f * k * k);
        }
        return 1 - sqrt(2 * M_PI) / x * s;
    }
    /* P(K > x) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 x^2) (Kolmogorov 1933;
     * Smirnov 1948). */
    double s = 0;
    for (int j = 1; j <= 100; j++) {
        double term = exp(-2.0 * j * j * x * x);
        s += (j % 2 ? 1 : -1) * term;
        if (term < 1e-17)
            break;
    }
    return fmin(1, fmax(0, 2 * s));
}

int sim_compare_ks(const double *a, size_t na, const double *b, size_t nb,
                   double *d, double *p, sim_err *err)
{
    *d = NAN;
    *p = NAN;
    if (na == 0 || nb == 0)
        return 0;
    double *sa = malloc(na * sizeof *sa), *sb = malloc(nb * sizeof *sb);
    if (!sa || !sb) {
        free(sa);
        free(sb);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    memcpy(sa, a, na * sizeof *sa);
    memcpy(sb, b, nb * sizeof *sb);
    gsl_sort(sa, 1, na);
    gsl_sort(sb, 1, nb);
    /* Walk the merged values; compare the two step functions after each
     * distinct value (all of a value's ties taken at once). */
    size_t i = 0, j = 0;
    double dmax = 0;
    while (i < na && j < nb) {
        double v = fmin(sa[i], sb[j]);
        while (i < na && sa[i] == v)
            i++;
        while (j < nb && sb[j] == v)
            j++;
        dmax = fmax(dmax, fabs((double)i / (double)na -
                               (double)j / (double)nb));
    }
    *d = dmax;
    double en = sqrt((double)na * (double)nb / (double)(na + nb));
    *p = sim_compare_kolmogorov_q(en * dmax);
    free(sa);
    free(sb);
    return 0;
}
