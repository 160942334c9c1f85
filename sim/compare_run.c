/* compare_run.c - `sanctionsim compare`: each later result directory against
 * the first, metric by metric, paired when the runs share common random
 * numbers (docs/COMPARE.md). */
#include "compare_impl.h"
#include "output.h"

#include <inttypes.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>
#include <sanctionsim/suggest.h>

#define LEVEL 0.95

/* How the rows of a later directory b line up with those of a. */
typedef struct pairing {
    size_t *ia, *ib; /* row of a and of b of the k-th pair, by rep */
    size_t n;        /* pairs; 0 when unpaired */
} pairing;

/* Scratch arrays for one metric: the values used from a and b, and the
 * differences. */
typedef struct scratch {
    double *xa, *xb, *d;
} scratch;

/* ---- which metrics ---- */

static bool is_metric(const cmp_dir *dirs, int ndirs, int c)
{
    for (int i = 0; i < ndirs; i++)
        if (dirs[i].kind[c] != CMP_NUMBER && dirs[i].kind[c] != CMP_PROPORTION)
            return false;
    return true;
}

/* Refuses runs.csv files whose columns differ from the first's. */
static int same_columns(const cmp_dir *dirs, int ndirs, sim_err *err)
{
    const cmp_dir *a = &dirs[0];
    for (int i = 1; i < ndirs; i++) {
        const cmp_dir *b = &dirs[i];
        for (int c = 0; c < a->ncols && c < b->ncols; c++)
            if (strcmp(a->name[c], b->name[c]) != 0)
                return sim_error(err, SIM_E_USAGE,
                                 "the runs.csv files of %s and %s have "
                                 "different columns: column %d is '%s' in "
                                 "one and '%s' in the other (results of "
                                 "different scenarios' instruments or "
                                 "versions cannot be compared)",
                                 a->path, b->path, c + 1, a->name[c],
                                 b->name[c]);
        if (a->ncols != b->ncols)
            return sim_error(err, SIM_E_USAGE,
                             "the runs.csv files of %s and %s have "
                             "different columns: %d and %d",
                             a->path, b->path, a->ncols, b->ncols);
    }
    return 0;
}

/* Marks in pick[] the metrics to compare: opts->metrics, or all. */
static int pick_metrics(const sim_compare_opts *o, const cmp_dir *dirs,
                        bool *pick, sim_err *err)
{
    const cmp_dir *a = &dirs[0];
    for (int c = 0; c < a->ncols; c++)
        pick[c] = !o->metrics && is_metric(dirs, o->ndirs, c);
    if (!o->metrics)
        return 0;
    for (int m = 0; m < o->nmetrics; m++) {
        int c = 0;
        while (c < a->ncols && strcmp(a->name[c], o->metrics[m]) != 0)
            c++;
        if (c < a->ncols && is_metric(dirs, o->ndirs, c)) {
            pick[c] = true;
            continue;
        }
        const char **valid = malloc((size_t)a->ncols * sizeof *valid);
        int nv = 0;
        for (int k = 0; valid && k < a->ncols; k++)
            if (is_metric(dirs, o->ndirs, k))
                valid[nv++] = a->name[k];
        char hint[SIM_ERR_MSG_MAX / 2] = "";
        if (valid)
            sim_suggest(o->metrics[m], valid, nv, hint, sizeof hint);
        free(valid);
        return sim_error(err, SIM_E_USAGE, "--metrics: '%s' is %s%s",
                         o->metrics[m],
                         c < a->ncols ? "not a metric (text or an id)"
                                      : "not a column of runs.csv",
                         hint);
    }
    return 0;
}

/* ---- pairing ---- */

/* A replication id and its row, for sorting rows by id. */
typedef struct rep_row {
    uint64_t rep;
    size_t row;
} rep_row;

static int by_rep(const void *x, const void *y)
{
    uint64_t a = ((const rep_row *)x)->rep, b = ((const rep_row *)y)->rep;
    return (a > b) - (a < b);
}

/* Rows of d sorted by rep, into idx; returns 0 or -1 out of memory. */
static int sort_by_rep(const cmp_dir *d, size_t *idx)
{
    rep_row *t = malloc((d->nrows ? d->nrows : 1) * sizeof *t);
    if (!t)
        return -1;
    for (size_t r = 0; r < d->nrows; r++)
        t[r] = (rep_row){d->rep[r], r};
    qsort(t, d->nrows, sizeof *t, by_rep);
    for (size_t r = 0; r < d->nrows; r++)
        idx[r] = t[r].row;
    free(t);
    return 0;
}

/* "replications 0..999", or a count when the ids have gaps. */
static void describe_reps(const cmp_dir *d, const size_t *idx, char *buf,
                          size_t size)
{
    if (d->nrows == 0) {
        snprintf(buf, size, "no replications");
        return;
    }
    uint64_t lo = d->rep[idx[0]], hi = d->rep[idx[d->nrows - 1]];
    if (hi - lo + 1 == d->nrows)
        snprintf(buf, size, "replications %" PRIu64 "..%" PRIu64, lo, hi);
    else
        snprintf(buf, size, "%zu replications (ids %" PRIu64 " to %" PRIu64
                 ")", d->nrows, lo, hi);
}

static void add_warning(sim_compare_pair *p, const char *text)
{
    size_t len = strlen(p->warning);
    snprintf(p->warning + len, sizeof p->warning - len, "%s%s",
             len ? "; " : "", text);
}

/* Decides whether b is compared with a pair by pair, says why in p, and
 * fills pr with the pairs. Returns 0 or SIM_E_NOMEM. */
static int decide(const cmp_dir *a, const cmp_dir *b, sim_compare_pair *p,
                  pairing *pr, sim_err *err)
{
    memset(pr, 0, sizeof *pr);
    char w[SIM_TEXT_MAX];
    bool same_gen = strcmp(a->generator, b->generator) == 0;
    if (strcmp(a->version, b->version) != 0) {
        snprintf(w, sizeof w, "written by sanctionsim %s and %s",
                 a->version[0] ? a->version : "(unknown)",
                 b->version[0] ? b->version : "(unknown)");
        add_warning(p, w);
    }
    if (!same_gen)
        add_warning(p, "the stream schemes (manifest.cfg's generator) "
                       "differ, so replication r of one is not "
                       "replication r of the other");
    if (a->master_seed != b->master_seed) {
        snprintf(p->reason, sizeof p->reason,
                 "unpaired: master seeds differ (%" PRIu64 " vs %" PRIu64 ")",
                 a->master_seed, b->master_seed);
        return 0;
    }
    if (!same_gen) {
        snprintf(p->reason, sizeof p->reason,
                 "unpaired: same master seed %" PRIu64
                 " but the stream schemes differ",
                 a->master_seed);
        return 0;
    }
    if (!a->rep || !b->rep) {
        snprintf(p->reason, sizeof p->reason,
                 "unpaired: runs.csv has no rep column to pair by");
        return 0;
    }
    pr->ia = malloc((a->nrows ? a->nrows : 1) * sizeof *pr->ia);
    pr->ib = malloc((b->nrows ? b->nrows : 1) * sizeof *pr->ib);
    if (!pr->ia || !pr->ib || sort_by_rep(a, pr->ia) ||
        sort_by_rep(b, pr->ib))
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    bool same = a->nrows == b->nrows, dup = false, seeds = true;
    for (size_t k = 0; same && k < a->nrows; k++) {
        same = a->rep[pr->ia[k]] == b->rep[pr->ib[k]];
        dup |= k > 0 && a->rep[pr->ia[k]] == a->rep[pr->ia[k - 1]];
        if (a->seed && b->seed)
            seeds &= a->seed[pr->ia[k]] == b->seed[pr->ib[k]];
    }
    char ra[128], rb[128];
    describe_reps(a, pr->ia, ra, sizeof ra);
    describe_reps(b, pr->ib, rb, sizeof rb);
    if (!same || dup || !seeds) {
        snprintf(p->reason, sizeof p->reason,
                 "unpaired: same master seed %" PRIu64 " but %s",
                 a->master_seed,
                 !same ? "the replication ids differ"
                 : dup ? "a replication id repeats"
                       : "the replications' seeds differ");
        snprintf(w, sizeof w,
                 "same master seed %" PRIu64 " but %s (%s vs %s): compared "
                 "unpaired",
                 a->master_seed,
                 !same ? "the replication ids do not match"
                 : dup ? "a replication id repeats in runs.csv"
                       : "the seed column differs",
                 ra, rb);
        add_warning(p, w);
        return 0;
    }
    pr->n = a->nrows;
    p->paired = true;
    snprintf(p->reason, sizeof p->reason,
             "paired: same master seed %" PRIu64 ", %s, same stream scheme",
             a->master_seed, ra);
    return 0;
}

/* ---- one metric ---- */

static bool all_binary(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != 0 && x[i] != 1)
            return false;
    return true;
}

/* Standardized change: diff over the sd of the differences (paired) or
 * the pooled sd; NaN where they vanish and diff is not 0. */
static double standardize(double diff, double sd)
{
    if (isnan(diff))
        return NAN;
    if (sd > 0)
        return diff / sd;
    return diff == 0 ? 0 : NAN;
}

static int paired_row(const cmp_dir *a, const cmp_dir *b, int c,
                      const pairing *pr, scratch *s, sim_compare_row *row,
                      sim_err *err)
{
    size_t m = 0;
    for (size_t k = 0; k < pr->n; k++) {
        double x = a->val[pr->ia[k] * (size_t)a->ncols + (size_t)c];
        double y = b->val[pr->ib[k] * (size_t)b->ncols + (size_t)c];
        if (isnan(x) || isnan(y))
            continue; /* dropped pairwise */
        s->xa[m] = x;
        s->xb[m] = y;
        s->d[m] = y - x;
        m++;
    }
    row->n_a = row->n_b = m;
    if (m == 0)
        return 0;
    row->mean_a = gsl_stats_mean(s->xa, 1, m);
    row->mean_b = gsl_stats_mean(s->xb, 1, m);
    row->proportion = row->proportion && all_binary(s->xa, m) &&
                      all_binary(s->xb, m);
    if (row->proportion) {
        row->test = "mcnemar";
        sim_compare_mcnemar(s->xa, s->xb, m, LEVEL, &row->diff);
    } else {
        row->test = "paired_t";
        sim_compare_paired_t(s->d, m, LEVEL, &row->diff);
    }
    double sd = m > 1 ? gsl_stats_sd(s->d, 1, m) : NAN;
    row->std_diff = standardize(row->diff.estimate, sd);
    if (row->proportion)
        return 0;
    double v;
    int rc = sim_compare_wilcoxon(s->d, m, &v, &row->p_rank, err);
    if (!rc)
        rc = sim_compare_median_boot(s->d, m, NULL, 0, SIM_COMPARE_BOOTSTRAP,
                                     SIM_COMPARE_BOOT_SEED, LEVEL,
                                     &row->median, err);
    return rc;
}

/* The non-missing values of column c of d into x; returns how many. */
static size_t column(const cmp_dir *d, int c, double *x)
{
    size_t m = 0;
    for (size_t r = 0; r < d->nrows; r++) {
        double v = d->val[r * (size_t)d->ncols + (size_t)c];
        if (!isnan(v))
            x[m++] = v;
    }
    return m;
}

static int unpaired_row(const cmp_dir *a, const cmp_dir *b, int c,
                        scratch *s, sim_compare_row *row, sim_err *err)
{
    size_t na = column(a, c, s->xa), nb = column(b, c, s->xb);
    row->n_a = na;
    row->n_b = nb;
    if (na)
        row->mean_a = gsl_stats_mean(s->xa, 1, na);
    if (nb)
        row->mean_b = gsl_stats_mean(s->xb, 1, nb);
    if (!na || !nb)
        return 0;
    row->proportion = row->proportion && all_binary(s->xa, na) &&
                      all_binary(s->xb, nb);
    if (row->proportion) {
        row->test = "two_prop_z";
        sim_compare_two_prop(s->xa, na, s->xb, nb, LEVEL, &row->diff);
    } else {
        row->test = "welch";
        sim_compare_welch(s->xa, na, s->xb, nb, LEVEL, &row->diff);
    }
    double pooled = NAN;
    if (na + nb > 2) {
        double va = na > 1 ? gsl_stats_variance(s->xa, 1, na) : 0;
        double vb = nb > 1 ? gsl_stats_variance(s->xb, 1, nb) : 0;
        pooled = sqrt((((double)na - 1) * va + ((double)nb - 1) * vb) /
                      ((double)(na + nb) - 2));
    }
    row->std_diff = standardize(row->diff.estimate, pooled);
    if (row->proportion)
        return 0;
    double stat;
    int rc = sim_compare_mann_whitney(s->xa, na, s->xb, nb, &stat,
                                      &row->p_rank, err);
    if (!rc)
        rc = sim_compare_ks(s->xa, na, s->xb, nb, &stat, &row->p_ks, err);
    if (!rc)
        rc = sim_compare_median_boot(s->xa, na, s->xb, nb,
                                     SIM_COMPARE_BOOTSTRAP,
                                     SIM_COMPARE_BOOT_SEED, LEVEL,
                                     &row->median, err);
    return rc;
}

static void empty_row(sim_compare_row *row, int b, const char *metric,
                      bool paired, bool proportion)
{
    memset(row, 0, sizeof *row);
    row->b = b;
    snprintf(row->metric, sizeof row->metric, "%s", metric);
    row->paired = paired;
    row->proportion = proportion;
    row->mean_a = row->mean_b = NAN;
    row->diff.estimate = row->diff.lo = row->diff.hi = NAN;
    row->diff.statistic = row->diff.p = NAN;
    row->median = row->diff;
    row->p_rank = row->p_ks = row->p_holm = row->p_bh = row->std_diff = NAN;
    row->test = "";
}

/* Holm's and BH's adjustments across the metrics of one pair. */
static int adjust(sim_compare_row *rows, size_t n, sim_err *err)
{
    double *p = malloc((n ? n : 1) * 3 * sizeof *p);
    if (!p)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        p[i] = rows[i].diff.p;
    if (sim_compare_holm(p, n, p + n) || sim_compare_bh(p, n, p + 2 * n)) {
        free(p);
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for the adjusted p-values");
    }
    for (size_t i = 0; i < n; i++) {
        rows[i].p_holm = p[n + i];
        rows[i].p_bh = p[2 * n + i];
    }
    free(p);
    return 0;
}

/* ---- the comparison ---- */

/* Compares dirs[i] with dirs[0] into rows (one per picked metric). */
static int compare_one(const cmp_dir *dirs, int i, const bool *pick,
                       sim_compare_pair *p, sim_compare_row *rows,
                       size_t *nrows, scratch *s, sim_err *err)
{
    const cmp_dir *a = &dirs[0], *b = &dirs[i];
    pairing pr;
    int rc = decide(a, b, p, &pr, err);
    size_t first = *nrows;
    for (int c = 0; !rc && c < a->ncols; c++) {
        if (!pick[c])
            continue;
        sim_compare_row *row = &rows[(*nrows)++];
        empty_row(row, i, a->name[c], p->paired,
                  a->kind[c] == CMP_PROPORTION &&
                      b->kind[c] == CMP_PROPORTION);
        rc = p->paired ? paired_row(a, b, c, &pr, s, row, err)
                       : unpaired_row(a, b, c, s, row, err);
    }
    if (!rc)
        rc = adjust(rows + first, *nrows - first, err);
    free(pr.ia);
    free(pr.ib);
    return rc;
}

/* Loads the directories and checks they can be compared. */
static int load_all(const sim_compare_opts *o, cmp_dir *dirs, sim_err *err)
{
    for (int i = 0; i < o->ndirs; i++) {
        int rc = sim_compare_load_dir(&dirs[i], o->dirs[i], err);
        if (rc)
            return rc;
    }
    return same_columns(dirs, o->ndirs, err);
}

/* Allocates the result's pairs and rows and the scratch arrays. */
static int alloc_result(sim_compare_result *res, int npairs, size_t npick,
                        size_t nmax, scratch *s, sim_err *err)
{
    size_t n = nmax ? nmax : 1;
    res->npairs = npairs;
    res->pair = calloc((size_t)npairs, sizeof *res->pair);
    res->row = calloc(npick * (size_t)npairs + 1, sizeof *res->row);
    s->xa = malloc(n * sizeof *s->xa);
    s->xb = malloc(n * sizeof *s->xb);
    s->d = malloc(n * sizeof *s->d);
    if (!res->pair || !res->row || !s->xa || !s->xb || !s->d)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    return 0;
}

int sim_compare_run(const sim_compare_opts *o, sim_compare_result *res,
                    sim_err *err)
{
    memset(res, 0, sizeof *res);
    if (o->ndirs < 2)
        return sim_error(err, SIM_E_USAGE,
                         "compare needs at least two result directories, "
                         "got %d",
                         o->ndirs);
    int rc = sim_output_check_not_input(o->outdir, o->dirs, o->ndirs, err);
    if (rc)
        return rc;
    /* -o is checked, and DIR.partial made, before the work */
    sim_output out;
    rc = o->outdir ? sim_output_open_dir(&out, o->outdir,
                                             SIM_OUTPUT_NO_RESUME |
                                                 (o->force ? SIM_OUTPUT_FORCE : 0),
                                             err)
                       : 0;
    if (rc)
        return rc;
    cmp_dir *dirs = calloc((size_t)o->ndirs, sizeof *dirs);
    bool *pick = NULL;
    scratch s = {0};
    if (!dirs) {
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        goto done;
    }
    if ((rc = load_all(o, dirs, err)))
        goto done;
    int ncols = dirs[0].ncols;
    pick = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof *pick);
    if (!pick) {
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        goto done;
    }
    if ((rc = pick_metrics(o, dirs, pick, err)))
        goto done;
    size_t nmax = 0, npick = 0;
    for (int i = 0; i < o->ndirs; i++)
        nmax = dirs[i].nrows > nmax ? dirs[i].nrows : nmax;
    for (int c = 0; c < ncols; c++)
        npick += pick[c];
    if ((rc = alloc_result(res, o->ndirs - 1, npick, nmax, &s, err)) ||
        !res->pair || !res->row)
        goto done;
    for (int i = 1; !rc && i < o->ndirs; i++)
        rc = compare_one(dirs, i, pick, &res->pair[i - 1], res->row,
                         &res->nrows, &s, err);
    if (!rc && o->outdir)
        rc = sim_compare_write(o, res, &out, err);
done:
    if (o->outdir)
        sim_output_abort(&out); /* a no-op once installed */
    for (int i = 0; dirs && i < o->ndirs; i++)
        sim_compare_free_dir(&dirs[i]);
    free(dirs);
    free(pick);
    free(s.xa);
    free(s.xb);
    free(s.d);
    if (rc)
        sim_compare_result_free(res);
    return rc;
}

void sim_compare_result_free(sim_compare_result *res)
{
    free(res->pair);
    free(res->row);
    memset(res, 0, sizeof *res);
}
