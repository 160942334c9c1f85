/* batch.c - a batch: open the result directory, run the replications,
 * summarize their metrics and commit the results. */
#include <sanctionsim/batch.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"
#include "spill.h"
#include "spill_summary.h"
#include <sanctionsim/world.h>

/* Every column can be a metric of summary.csv. */
_Static_assert(SIM_COLUMN_NAME_MAX <= SIM_STATS_METRIC_MAX,
               "a column name must fit a summary.csv metric name");

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* A batch under way: the open result directory, the serial runner's
 * workspace and the metric values gathered so far, spilled to a file in
 * the temporary result directory (spill.h). sim_batch_run composes
 * the steps below; a threaded, resumed or distributed run replaces one. */
typedef struct batch {
    const sim_batch_opts *opts;
    long n;              /* replications in the batch */
    long done;           /* replications run so far */
    struct timespec t0;  /* start, for the elapsed time */
    char start_time[32]; /* start, for the manifest */
    sim_workspace *ws;
    sim_output out;
    int nmetrics;
    int metric_col[SIM_MAX_COLUMNS]; /* out.cols index of each metric */
    sim_spill *spill;  /* every replication's exact metric values */
    double *values;    /* n doubles: one metric's values, then its scratch */
    sim_summary *rows; /* nmetrics summary rows */
    double elapsed_seconds; /* set by commit */
} batch;

/* Lists the summary metrics of b's columns and allocates the spill of
 * their values and the summary rows.
 *
 * Memory does not grow with the number of replications: the spill keeps
 * one block (64 KiB per metric, about 4 MB) in memory and the rest in its
 * file, and the summary of a metric (spill_summary.h) holds at most
 * SIM_SUMMARY_BUDGET doubles (2 MiB) at once, sorting larger ones on disk
 * in the temporary result directory; b->values is no longer used. */
static int alloc_metrics(batch *b, sim_err *err)
{
    const sim_output *op = &b->out;
    for (int i = 0; i < op->ncols; i++)
        if (op->cols[i].summarize)
            b->metric_col[b->nmetrics++] = i;
    /* At least one row: calloc(0) may return NULL, which would
     * read as running out of memory when no column is summarized. */
    size_t nm = (size_t)(b->nmetrics > 0 ? b->nmetrics : 1);
    b->rows = calloc(nm, sizeof *b->rows);
    if (!b->rows)
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for the summary of %d metrics",
                         b->nmetrics);
    return sim_spill_open(&b->spill, b->out.tmp_dir, b->nmetrics, 0, err);
}

/* Starts batch b of scenario sc under options o: allocates the workspace,
 * opens the result directory and the metric arrays. On failure b still
 * needs batch_close (which any failure leaves safe to call). */
static int batch_open(batch *b, const sim_scenario *sc, const sim_batch_opts *o,
                      sim_err *err)
{
    memset(b, 0, sizeof *b);
    b->opts = o;
    b->n = o->replications;
    clock_gettime(CLOCK_MONOTONIC, &b->t0);
    sim_manifest_now(b->start_time);
    if (b->n < 1)
        return sim_error(err, SIM_E_USAGE,
                         "the number of replications must be at least 1");
    int rc = sim_workspace_alloc(sc, &b->ws, err);
    if (rc)
        return rc;
    sim_workspace_set_cancel(b->ws, o->cancel);
    rc = sim_output_open(&b->out, sc, o->outdir, o->force, o->trace, err);
    if (rc)
        return rc;
    return alloc_metrics(b, err);
}

/* Runs replications [first, first + count) in order: writes their rows
 * (and rounds, when tracing) and spills their metric values. Stops with
 * SIM_E_INTERRUPTED once the cancel flag is set. */
static int run_range(batch *b, long first, long count, sim_err *err)
{
    const sim_batch_opts *o = b->opts;
    long step = b->n / 100 > 0 ? b->n / 100 : 1;
    for (long r = first; r < first + count; r++) {
        sim_rep_result res;
        if (o->cancel && atomic_load_explicit(o->cancel, memory_order_relaxed))
            return sim_error(err, SIM_E_INTERRUPTED,
                             "interrupted after %ld of %ld replications; no "
                             "results were written",
                             b->done, b->n);
        int rc = sim_replicate(b->ws, o->seed, (uint64_t)r,
                               o->trace ? sim_output_round : NULL, &b->out,
                               &res, err);
        if (rc == SIM_E_INTERRUPTED)
            return sim_error(err, SIM_E_INTERRUPTED,
                             "interrupted in replication %ld of %ld; no "
                             "results were written",
                             r + 1, b->n);
        if (rc || (rc = sim_output_run(&b->out, &res, err)))
            return rc;
        double row[SIM_MAX_COLUMNS];
        for (int m = 0; m < b->nmetrics; m++)
            row[m] = sim_column_value(&b->out.cols[b->metric_col[m]], &res);
        if ((rc = sim_spill_append(b->spill, row, err)))
            return rc;
        b->done++;
        if (o->progress && (b->done % step == 0 || b->done == b->n))
            o->progress(o->progress_ctx, b->done, b->n);
    }
    return 0;
}

/* Summarizes every metric over all n replications into b->rows, one
 * metric at a time, from the spill (sim_spill_summarize: exact, in
 * bounded memory, sorting on disk in the temporary result directory). */
static int summarize(batch *b, sim_err *err)
{
    sim_spill_finish(b->spill);
    for (int m = 0; m < b->nmetrics; m++) {
        const sim_column *c = &b->out.cols[b->metric_col[m]];
        int rc = sim_spill_summarize(&b->spill, 1, m, c->name, c->proportion,
                                     b->out.tmp_dir, 0, &b->rows[m], err);
        if (rc)
            return rc;
    }
    return 0;
}

/* Writes summary.csv and the manifest and renames the result directory
 * into place (sim_output_commit); on failure nothing is left but what
 * sim_output_commit keeps. */
static int commit(batch *b, sim_err *err)
{
    const sim_batch_opts *o = b->opts;
    int rc = sim_output_summary(&b->out, b->rows, b->nmetrics, err);
    if (rc) {
        sim_output_abort(&b->out);
        return rc;
    }
    sim_manifest man = {0};
    man.command_line = o->command_line ? o->command_line : "";
    man.provenance = o->provenance;
    man.master_seed = o->seed;
    man.replications = b->n;
    man.threads = 1;
    memcpy(man.start_time, b->start_time, sizeof man.start_time);
    sim_manifest_now(man.end_time);
    man.elapsed_seconds = seconds_since(&b->t0);
    b->elapsed_seconds = man.elapsed_seconds;
    return sim_output_commit(&b->out, &man, err); /* cleans up after itself */
}

/* Frees b's memory and removes its temporary directory if it was not
 * committed. */
static void batch_close(batch *b)
{
    sim_spill_close(b->spill);
    sim_output_abort(&b->out);
    free(b->values);
    free(b->rows);
    sim_workspace_free(b->ws);
}

int sim_batch_run(const sim_scenario *sc, const sim_batch_opts *o,
                  sim_batch_result *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    batch b;
    int rc = batch_open(&b, sc, o, err);
    if (!rc)
        rc = run_range(&b, 0, b.n, err);
    if (!rc)
        rc = summarize(&b, err);
    if (!rc)
        rc = commit(&b, err);
    if (!rc) {
        out->rows = b.rows;
        out->nrows = b.nmetrics;
        out->elapsed_seconds = b.elapsed_seconds;
        b.rows = NULL;
    }
    batch_close(&b);
    return rc;
}

void sim_batch_result_free(sim_batch_result *r)
{
    free(r->rows);
    r->rows = NULL;
    r->nrows = 0;
}

const sim_summary *sim_batch_find(const sim_batch_result *r, const char *metric)
{
    for (int i = 0; i < r->nrows; i++)
        if (strcmp(r->rows[i].metric, metric) == 0)
            return &r->rows[i];
    return NULL;
}
