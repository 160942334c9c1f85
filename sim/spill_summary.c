/* spill_summary.c - the exact summary of one metric of finished spills in
 * bounded memory: sorted runs in a temporary file, merged twice into the
 * statistics of GSL (spill_summary.h). */
#include "spill_summary.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawio.h"
#include "stats_impl.h"
#include "stats_sort.h"
#include <sanctionsim/limits.h>

#define SORT_FILE "summary's sort file"

/* The quantiles of summary.csv, and the order statistics they and the
 * extremes need: 0, n - 1, and each quantile's two neighbours. */
#define NQ 5
#define NPOS (2 + 2 * NQ)
static const double fractions[NQ] = {0.05, 0.25, 0.50, 0.75, 0.95};

/* One metric's external sort. */
typedef struct ext {
    sim_spill *const *src;
    size_t nsrc;
    int m;
    const char *metric;
    bool proportion;
    size_t budget;  /* doubles held at once */
    double *buf;    /* budget doubles: the run being formed */
    int fd;         /* the sort file, -1 until the first run */
    size_t *runs;   /* each run's length, in file order */
    size_t nruns, cap;
    size_t count;   /* non-missing values */
    size_t ones;    /* values equal to 1 */
    char path[SIM_PATH_MAX + 32];
} ext;

/* True if a comes before b in the order of sim_stats_sort (-0 < +0). */
static bool before(double a, double b)
{
    return a < b || (a == b && signbit(a) && !signbit(b));
}

/* Sorts e->buf[0..len) and appends it to the sort file as a run. */
static int write_run(ext *e, size_t len, sim_err *err)
{
    sim_stats_sort(e->buf, len);
    int rc = SIM_OK;
    if (e->fd < 0)
        rc = sim_rawio_create_unlinked(e->path, &e->fd, SORT_FILE, err);
    if (!rc && e->nruns == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 16;
        size_t *runs = realloc(e->runs, cap * sizeof *runs);
        if (!runs)
            return sim_error(err, SIM_E_NOMEM,
                             "out of memory for the runs of metric %s",
                             e->metric);
        e->runs = runs;
        e->cap = cap;
    }
    if (!rc)
        rc = sim_rawio_write(e->fd, e->buf, sizeof(double) * len, SORT_FILE,
                             e->path, err);
    if (!rc)
        e->runs[e->nruns++] = len;
    return rc;
}

/* Keeps the non-missing values of e->buf[fill..fill + len), checked as
 * sim_stats_summarize checks them (row is the first one's index), packed
 * from fill on; returns the new fill in *fill. */
static int keep_values(ext *e, size_t *fill, size_t len, size_t row,
                       sim_err *err)
{
    size_t kept = *fill;
    for (size_t i = 0; i < len; i++) {
        double v = e->buf[*fill + i];
        if (isnan(v))
            continue;
        int rc = sim_stats_check_value(e->metric, v, row + i, e->proportion,
                                       err);
        if (rc)
            return rc;
        e->ones += v == 1.0;
        e->buf[kept++] = v;
    }
    e->count += kept - *fill;
    *fill = kept;
    return SIM_OK;
}

/* Pass 1: reads every source in order, budget values at a time, and
 * writes the sorted runs; the last, partial chunk (*tail values) stays in
 * e->buf, unsorted, and is written too if runs were written before. */
static int form_runs(ext *e, size_t *tail, sim_err *err)
{
    size_t fill = 0, row = 0;
    for (size_t s = 0; s < e->nsrc; s++) {
        size_t rows = sim_spill_rows(e->src[s]);
        for (size_t first = 0; first < rows;) {
            size_t take = e->budget - fill;
            if (take > rows - first)
                take = rows - first;
            int rc = sim_spill_read_rows(e->src[s], e->m, first, take,
                                         e->buf + fill, err);
            if (!rc)
                rc = keep_values(e, &fill, take, row + first, err);
            if (!rc && fill == e->budget) {
                rc = write_run(e, fill, err);
                fill = 0;
            }
            if (rc)
                return rc;
            first += take;
        }
        row += rows;
    }
    *tail = fill;
    return fill > 0 && e->nruns > 0 ? write_run(e, fill, err) : SIM_OK;
}

/* ---- the merge ---- */

/* A run being read: its next value in the file, the values left there,
 * and the values read (into its buffer, cursor_buf) and taken. */
typedef struct cursor {
    size_t next, left;
    size_t pos, len;
} cursor;

/* Called with each block of merged values v[0..n), whose first is at
 * position pos of the sorted sequence. */
typedef void (*consume_fn)(void *ctx, const double *v, size_t n, size_t pos);

typedef struct merger {
    ext *e;
    cursor *c;
    size_t *heap; /* run indices, a min-heap by their next value */
    size_t nheap;
    size_t q;     /* doubles per cursor's buffer */
    double *out;  /* a block of merged values */
    size_t nout;
    double *area; /* every buffer */
} merger;

/* Run r's buffer: q doubles after the output block. */
static double *cursor_buf(const merger *g, size_t r)
{
    return g->area + g->nout + r * g->q;
}

/* Reads the next values of run r into its buffer (left > 0). */
static int refill(merger *g, size_t r, sim_err *err)
{
    cursor *c = &g->c[r];
    size_t take = c->left < g->q ? c->left : g->q;
    off_t off = (off_t)((uintmax_t)c->next * sizeof(double));
    int rc = sim_rawio_read_at(g->e->fd, cursor_buf(g, r),
                               sizeof(double) * take, off, SORT_FILE,
                               g->e->path, err);
    c->next += take;
    c->left -= take;
    c->pos = 0;
    c->len = take;
    return rc;
}

static double head(const merger *g, size_t r)
{
    return cursor_buf(g, r)[g->c[r].pos];
}

/* Restores the heap property below slot i. */
static void sift_down(merger *g, size_t i)
{
    size_t *h = g->heap;
    for (;;) {
        size_t l = 2 * i + 1, best = i;
        if (l < g->nheap && before(head(g, h[l]), head(g, h[best])))
            best = l;
        if (l + 1 < g->nheap && before(head(g, h[l + 1]), head(g, h[best])))
            best = l + 1;
        if (best == i)
            return;
        size_t t = h[i];
        h[i] = h[best];
        h[best] = t;
        i = best;
    }
}

/* Allocates g's buffers for e's runs: a quarter of the budget for the
 * output block, the rest shared by the runs (at least one each). */
static int merger_alloc(merger *g, ext *e, sim_err *err)
{
    memset(g, 0, sizeof *g);
    g->e = e;
    g->nout = e->budget / 4 > 0 ? e->budget / 4 : 1;
    g->q = (e->budget - g->nout) / e->nruns;
    if (g->q == 0)
        g->q = 1;
    g->c = calloc(e->nruns, sizeof *g->c);
    g->heap = malloc(e->nruns * sizeof *g->heap);
    if (g->q <= (SIZE_MAX / sizeof(double) - g->nout) / e->nruns)
        g->area = malloc(sizeof(double) * (g->q * e->nruns + g->nout));
    if (!g->c || !g->heap || !g->area)
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory to merge the %zu runs of metric %s",
                         e->nruns, e->metric);
    g->out = g->area;
    return SIM_OK;
}

static void merger_free(merger *g)
{
    free(g->c);
    free(g->heap);
    free(g->area);
}

/* Merges every run, handing the sorted values to f block by block. */
static int merge_pass(merger *g, consume_fn f, void *ctx, sim_err *err)
{
    const ext *e = g->e;
    size_t start = 0;
    for (size_t r = 0; r < e->nruns; r++) {
        g->c[r].next = start;
        g->c[r].left = e->runs[r];
        start += e->runs[r];
        int rc = refill(g, r, err);
        if (rc)
            return rc;
        g->heap[r] = r;
    }
    g->nheap = e->nruns;
    for (size_t i = g->nheap / 2; i-- > 0;)
        sift_down(g, i);
    size_t o = 0, pos = 0;
    while (g->nheap > 0) {
        size_t r = g->heap[0];
        cursor *c = &g->c[r];
        g->out[o++] = cursor_buf(g, r)[c->pos++];
        if (c->pos == c->len && c->left == 0) {
            g->heap[0] = g->heap[--g->nheap];
        } else if (c->pos == c->len) {
            int rc = refill(g, r, err);
            if (rc)
                return rc;
        }
        sift_down(g, 0);
        if (o == g->nout || g->nheap == 0) {
            f(ctx, g->out, o, pos);
            pos += o;
            o = 0;
        }
    }
    return SIM_OK;
}

/* ---- the statistics of the sorted stream ---- */

/* The statistics gathered from the merged values. */
typedef struct stream {
    long double mean; /* gsl_stats_mean's running mean */
    long double var;  /* gsl_stats_sd_m's running variance about mean_d */
    double mean_d;    /* the mean the variance is taken about */
    size_t want[NPOS];
    double got[NPOS];
} stream;

/* Pass 2: GSL 2.7's gsl_stats_mean (statistics/mean_source.c), the
 * recurrence mean += (x_i - mean) / (i + 1) in long double over the
 * sorted values; and the order statistics at st->want. */
static void take_mean(void *ctx, const double *v, size_t n, size_t pos)
{
    stream *st = ctx;
    long double mean = st->mean;
    for (size_t i = 0; i < n; i++)
        mean += (v[i] - mean) / (long double)(pos + i + 1);
    st->mean = mean;
    for (int j = 0; j < NPOS; j++)
        if (st->want[j] >= pos && st->want[j] - pos < n)
            st->got[j] = v[st->want[j] - pos];
}

/* Pass 3: GSL 2.7's variance about a given mean (compute_variance in
 * statistics/variance_source.c): delta = x_i - mean in double, then
 * var += (delta^2 - var) / (i + 1) in long double. */
static void take_var(void *ctx, const double *v, size_t n, size_t pos)
{
    stream *st = ctx;
    long double var = st->var;
    for (size_t i = 0; i < n; i++) {
        const long double delta = v[i] - st->mean_d;
        var += (delta * delta - var) / (long double)(pos + i + 1);
    }
    st->var = var;
}

/* gsl_stats_quantile_from_sorted_data's position for fraction f of n
 * sorted values: the lower neighbour, and in *delta the weight of the
 * upper one (GSL truncates through int; beyond INT_MAX it could not). */
static size_t quantile_lhs(size_t n, double f, double *delta)
{
    const double index = f * (double)(n - 1);
    const size_t lhs =
        index < (double)INT_MAX ? (size_t)(int)index : (size_t)index;
    *delta = index - (double)lhs;
    return lhs;
}

/* Lists the positions of the order statistics st->want for n values. */
static void plan_positions(stream *st, size_t n)
{
    st->want[0] = 0;
    st->want[1] = n - 1;
    for (int j = 0; j < NQ; j++) {
        double delta;
        size_t lhs = quantile_lhs(n, fractions[j], &delta);
        st->want[2 + 2 * j] = lhs;
        st->want[3 + 2 * j] = lhs + 1 < n ? lhs + 1 : lhs;
    }
}

/* Sets out's statistics from the two passes over n values. */
static void fill_summary(const ext *e, const stream *st, sim_summary *out)
{
    size_t n = e->count;
    double q[NQ];
    for (int j = 0; j < NQ; j++) {
        double delta;
        size_t lhs = quantile_lhs(n, fractions[j], &delta);
        double a = st->got[2 + 2 * j], b = st->got[3 + 2 * j];
        q[j] = lhs == n - 1 ? a : (1 - delta) * a + delta * b;
    }
    out->n = n;
    out->mean = st->mean_d;
    /* gsl_stats_sd_m: the variance rounded to double, times n / (n - 1). */
    const double variance = (double)st->var;
    out->sd = sqrt(variance * ((double)n / (double)(n - 1)));
    out->p05 = q[0];
    out->p25 = q[1];
    out->p50 = q[2];
    out->p75 = q[3];
    out->p95 = q[4];
    out->min = st->got[0];
    out->max = st->got[1];
    sim_stats_finish(out, e->ones);
}

/* Merges e's runs (two or more, so n >= 2) twice into *out. */
static int merge_runs(ext *e, sim_summary *out, sim_err *err)
{
    merger g;
    stream st = {0};
    plan_positions(&st, e->count);
    int rc = merger_alloc(&g, e, err);
    if (!rc)
        rc = merge_pass(&g, take_mean, &st, err);
    if (!rc) {
        st.mean_d = e->proportion ? (double)e->ones / (double)e->count
                                  : (double)st.mean;
        rc = merge_pass(&g, take_var, &st, err);
    }
    if (!rc)
        fill_summary(e, &st, out);
    merger_free(&g);
    return rc;
}

/* ---- the entry point ---- */

/* Checks the sources of metric m and adds up their rows in *n. */
static int check_sources(sim_spill *const *src, size_t nsrc, int m,
                         size_t *n, sim_err *err)
{
    *n = 0;
    const char *name0 = NULL;
    for (size_t s = 0; s < nsrc; s++) {
        if (!src[s] || m < 0 || m >= sim_spill_nmetrics(src[s]))
            return sim_error(err, SIM_E_INTERNAL,
                             "sim_spill_summarize: source %zu has no metric %d",
                             s, m);
        const char *name = sim_spill_name(src[s], m);
        if (name && !name0)
            name0 = name;
        else if (name && strcmp(name, name0) != 0)
            return sim_error(err, SIM_E_USAGE,
                             "the spill files name metric %d differently: "
                             "'%s' and '%s' (source %zu)",
                             m, name0, name, s);
        size_t rows = sim_spill_rows(src[s]);
        if (rows > SIZE_MAX - *n)
            return sim_error(err, SIM_E_INTERNAL,
                             "sim_spill_summarize: too many rows");
        *n += rows;
    }
    return SIM_OK;
}

/* All n values fit the budget: read them in order into one array and
 * summarize them there. */
static int summarize_in_memory(ext *e, size_t n, sim_summary *out,
                               sim_err *err)
{
    double *x = malloc(sizeof(double) * (n > 0 ? n : 1));
    if (!x)
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for the %zu values of metric %s", n,
                         e->metric);
    int rc = SIM_OK;
    size_t at = 0;
    for (size_t s = 0; !rc && s < e->nsrc; s++) {
        size_t rows = sim_spill_rows(e->src[s]);
        rc = sim_spill_read_rows(e->src[s], e->m, 0, rows, x + at, err);
        at += rows;
    }
    if (!rc)
        rc = sim_stats_summarize(e->metric, x, n, e->proportion, x, out, err);
    free(x);
    return rc;
}

int sim_spill_summarize(sim_spill *const *src, size_t nsrc, int m,
                        const char *metric, bool proportion,
                        const char *tmpdir, size_t budget, sim_summary *out,
                        sim_err *err)
{
    /* The name checks, and *out empty until the end. */
    int rc = sim_stats_summarize(metric, NULL, 0, proportion, NULL, out, err);
    if (rc)
        return rc;
    if (nsrc > 0 && !src)
        return sim_error(err, SIM_E_INTERNAL, "sim_spill_summarize: no sources");
    size_t n;
    rc = check_sources(src, nsrc, m, &n, err);
    if (!rc && !tmpdir)
        rc = sim_error(err, SIM_E_INTERNAL,
                       "sim_spill_summarize: no temporary directory");
    if (rc)
        return rc;
    ext e = {.src = src, .nsrc = nsrc, .m = m, .metric = metric,
             .proportion = proportion, .fd = -1};
    e.budget = budget == 0 ? SIM_SUMMARY_BUDGET : budget < 2 ? 2 : budget;
    if (n <= e.budget)
        return summarize_in_memory(&e, n, out, err);
    snprintf(e.path, sizeof e.path, "%.*s/.sort-XXXXXX", SIM_PATH_MAX - 1,
             tmpdir);
    if (e.budget <= SIZE_MAX / sizeof(double))
        e.buf = malloc(sizeof(double) * e.budget);
    size_t tail = 0;
    if (e.buf)
        rc = form_runs(&e, &tail, err);
    else
        rc = sim_error(err, SIM_E_NOMEM,
                       "out of memory for the summary of metric %s", metric);
    if (!rc && e.nruns == 0) { /* the non-missing values fit after all */
        rc = sim_stats_summarize(metric, e.buf, tail, proportion, e.buf, out,
                                 err);
    } else if (!rc) {
        free(e.buf); /* the merge has its own buffers */
        e.buf = NULL;
        rc = merge_runs(&e, out, err);
    }
    if (rc) /* as sim_stats_summarize leaves it */
        sim_stats_summarize(metric, NULL, 0, proportion, NULL, out, NULL);
    if (e.fd >= 0)
        close(e.fd);
    free(e.buf);
    free(e.runs);
    return rc;
}
