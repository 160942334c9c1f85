/* compare.h - comparing result directories (`sanctionsim compare`): each
 * later directory's runs.csv against the first's, metric by metric, paired
 * replication by replication when the runs share common random numbers
 * (the same master seed, replication ids and stream scheme), unpaired
 * otherwise; and the two-sample statistics it uses, callable on their own.
 * docs/COMPARE.md says what is computed and why. */
#ifndef SIM_COMPARE_H
#define SIM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Resamples of the bootstrap interval of a median difference, and the
 * seed of its generator (fixed, so that compare.csv is reproducible). */
#define SIM_COMPARE_BOOTSTRAP 2000
#define SIM_COMPARE_BOOT_SEED 20261202u

/* The result format versions (manifest.cfg's `format`) compare reads; a
 * manifest without `format` is taken to be of the current one. */
#define SIM_COMPARE_FORMAT_MAX 1

/* ---- two-sample statistics ----
 * Differences are taken as b - a (the later sample minus the first), and
 * intervals are two-sided at confidence `level` (0.95 for 95 %). Inputs
 * hold no NaN (drop missing values first). When there are too few values
 * for a statistic, it is NaN. */

/* An estimate with its interval, a test statistic and its two-sided
 * p-value. */
typedef struct sim_compare_est {
    double estimate, lo, hi;
    double statistic, p;
} sim_compare_est;

/* Paired t on differences d[0..n): mean, t interval, t and its p-value
 * (n - 1 degrees of freedom). All differences equal: the interval is that
 * value, and p is 1 when it is 0, else 0. */
void sim_compare_paired_t(const double *d, size_t n, double level,
                          sim_compare_est *out);

/* Welch's unequal-variance t on samples a and b: mean(b) - mean(a), the
 * interval with Welch-Satterthwaite degrees of freedom, t and p. */
void sim_compare_welch(const double *a, size_t na, const double *b,
                       size_t nb, double level, sim_compare_est *out);

/* McNemar's test of paired 0/1 outcomes a[i], b[i]: the difference of
 * proportions with a Wald interval, statistic (n10 - n01)/sqrt(n10 + n01)
 * where n10 counts pairs with b = 1, a = 0, and the exact (binomial)
 * two-sided p-value. */
void sim_compare_mcnemar(const double *a, const double *b, size_t n,
                         double level, sim_compare_est *out);

/* Two independent proportions (0/1 samples): p_b - p_a with Newcombe's
 * hybrid score interval (from the two Wilson intervals), the pooled z
 * statistic and its p-value (as R's prop.test with correct = FALSE). */
void sim_compare_two_prop(const double *a, size_t na, const double *b,
                          size_t nb, double level, sim_compare_est *out);

/* Wilcoxon's signed-rank test of differences d[0..n): zeros dropped (as
 * Wilcoxon did and R does), *v the sum of the ranks of the positive ones;
 * exact p for fewer than 50 non-zero differences without ties, else the
 * normal approximation with tie and continuity corrections. No non-zero
 * difference: v = 0, p = 1. Returns 0 or SIM_E_NOMEM. */
int sim_compare_wilcoxon(const double *d, size_t n, double *v, double *p,
                         sim_err *err);

/* The Mann-Whitney (Wilcoxon rank-sum) test: *w counts the pairs with
 * b > a (ties one half); exact p when both samples have fewer than 50
 * values and there are no ties, else the normal approximation with tie
 * and continuity corrections. Returns 0 or SIM_E_NOMEM. */
int sim_compare_mann_whitney(const double *a, size_t na, const double *b,
                             size_t nb, double *w, double *p, sim_err *err);

/* The two-sample Kolmogorov-Smirnov test: *d the largest distance between
 * the two empirical distribution functions, p from the Kolmogorov
 * distribution at sqrt(na nb / (na + nb)) d (asymptotic). Returns 0 or
 * SIM_E_NOMEM. */
int sim_compare_ks(const double *a, size_t na, const double *b, size_t nb,
                   double *d, double *p, sim_err *err);

/* P(K > x) for Kolmogorov's limiting distribution K. */
double sim_compare_kolmogorov_q(double x);

/* The median of d[0..n) (paired: of the differences; b = NULL) or the
 * difference of medians median(b) - median(a), with a percentile
 * bootstrap interval from `resamples` resamples drawn by a generator
 * seeded with `seed` (pairs are resampled together). Returns 0 or
 * SIM_E_NOMEM. */
int sim_compare_median_boot(const double *a, size_t na, const double *b,
                            size_t nb, unsigned resamples, unsigned long seed,
                            double level, sim_compare_est *out, sim_err *err);

/* Holm's step-down adjustment of p[0..n) into adj (NaN entries are left
 * out of the family and stay NaN). Returns 0, or SIM_E_NOMEM (no
 * message) with every adj NaN. */
int sim_compare_holm(const double *p, size_t n, double *adj);

/* Benjamini and Hochberg's adjustment (false discovery rate), likewise. */
int sim_compare_bh(const double *p, size_t n, double *adj);

/* ---- comparing result directories ---- */

/* What to compare and where to write compare.csv. */
typedef struct sim_compare_opts {
    const char *const *dirs; /* dirs[0] is compared with each later one */
    int ndirs;               /* at least 2 */
    const char *const *metrics; /* names to compare; NULL: every metric */
    int nmetrics;
    const char *outdir; /* compare.csv goes here; NULL: not written */
    bool force;         /* may replace an earlier result (output_dir.c) */
    const char *command_line; /* for the manifest; may be NULL */
} sim_compare_opts;

/* One (directory, metric) row of compare.csv. Empty fields are NaN. */
typedef struct sim_compare_row {
    int b; /* index of the later directory in opts.dirs */
    char metric[SIM_COLUMN_NAME_MAX];
    bool paired, proportion;
    size_t n_a, n_b;
    double mean_a, mean_b;
    sim_compare_est diff;   /* mean difference and its test */
    sim_compare_est median; /* median difference (no test) */
    const char *test; /* "paired_t", "welch", "mcnemar", "two_prop_z" */
    double p_rank, p_ks, p_holm, p_bh;
    double std_diff; /* diff / sd of differences, or / pooled sd */
} sim_compare_row;

/* How one later directory was compared with the first. */
typedef struct sim_compare_pair {
    bool paired;
    char reason[SIM_TEXT_MAX];  /* "paired: same master seed 1, ..." */
    char warning[SIM_TEXT_MAX]; /* empty, or what does not match */
} sim_compare_pair;

/* The comparison: pair[i] for dirs[i + 1], rows grouped by directory in
 * the order of the columns of runs.csv. Owned by the caller; freed with
 * sim_compare_result_free. */
typedef struct sim_compare_result {
    int npairs;
    sim_compare_pair *pair;
    sim_compare_row *row;
    size_t nrows;
} sim_compare_result;

/* Reads every directory's runs.csv and manifest.cfg, compares each later
 * directory with the first and, if opts->outdir, writes compare.csv and
 * manifest.cfg into it by the rules of a result directory (`run`'s): the
 * path is checked before the work, the files are written into
 * DIR.partial and installed atomically; an existing non-empty directory
 * is refused with SIM_E_EXISTS unless force, and even with force
 * (SIM_E_USAGE) unless it is an earlier result whose manifest lists
 * every file in it; one of the directories compared is refused
 * (SIM_E_USAGE). Refuses with
 * SIM_E_USAGE: fewer than two directories, a directory without runs.csv,
 * of an unknown result format, runs.csv files whose columns differ, an
 * unknown metric. Returns 0 or a negative code; on failure *res is
 * empty. */
int sim_compare_run(const sim_compare_opts *opts, sim_compare_result *res,
                    sim_err *err);

/* Frees what sim_compare_run allocated; safe on an empty result. */
void sim_compare_result_free(sim_compare_result *res);

#ifdef __cplusplus
}
#endif

#endif
