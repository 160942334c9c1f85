/* batch.c - the replication loop, summary statistics and result files. */
#include "batch.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"
#include "world.h"

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

int sim_batch_run(const sim_scenario *sc, const sim_batch_opts *o,
                  sim_batch_result *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    sim_output op;
    sim_workspace *ws = NULL;
    double *values = NULL, *work = NULL;
    sim_summary *rows = NULL;
    sim_manifest man = {0};
    struct timespec t0;
    int rc;
    long n = o->replications;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    sim_output_now(man.start_time);
    if (n < 1)
        return sim_error(err, SIM_E_USAGE,
                         "the number of replications must be at least 1");
    if ((rc = sim_workspace_alloc(sc, &ws, err)))
        return rc;
    sim_workspace_set_cancel(ws, o->cancel);
    if ((rc = sim_output_open(&op, sc, o->outdir, o->force, o->trace, err))) {
        sim_workspace_free(ws);
        return rc;
    }

    /* Summary metrics, column-major: values[m * n + rep]. */
    int nmetrics = 0, metric_col[SIM_MAX_COLUMNS];
    for (int i = 0; i < op.ncols; i++)
        if (op.cols[i].summarize)
            metric_col[nmetrics++] = i;
    /* At least one element each: malloc(0) may return NULL, which would
     * read as running out of memory when no column is summarized. */
    size_t nvalues = (size_t)nmetrics * (size_t)n;
    bool too_many = (size_t)n > SIZE_MAX / sizeof(double) /
                                    (size_t)(nmetrics > 0 ? nmetrics : 1);
    if (!too_many) {
        values = malloc(sizeof(double) * (nvalues > 0 ? nvalues : 1));
        work = malloc(sizeof(double) * (size_t)n);
        rows = calloc((size_t)(nmetrics > 0 ? nmetrics : 1), sizeof *rows);
    }
    if (!values || !work || !rows) {
        rc = sim_error(err, SIM_E_NOMEM,
                       "out of memory for the summary of %ld replications",
                       n);
        goto fail;
    }

    long step = n / 100 > 0 ? n / 100 : 1;
    for (long r = 0; r < n; r++) {
        sim_rep_result res;
        if (o->cancel && atomic_load_explicit(o->cancel, memory_order_relaxed)) {
            rc = sim_error(err, SIM_E_INTERRUPTED,
                           "interrupted after %ld of %ld replications; no "
                           "results were written",
                           r, n);
            goto fail;
        }
        rc = sim_replicate(ws, o->seed, (uint64_t)r,
                           o->trace ? sim_output_round : NULL, &op, &res,
                           err);
        if (rc == SIM_E_INTERRUPTED)
            rc = sim_error(err, SIM_E_INTERRUPTED,
                           "interrupted in replication %ld of %ld; no "
                           "results were written",
                           r + 1, n);
        if (rc || (rc = sim_output_run(&op, &res, err)))
            goto fail;
        for (int m = 0; m < nmetrics; m++)
            values[(size_t)m * (size_t)n + (size_t)r] =
                sim_column_value(&op.cols[metric_col[m]], &res);
        if (o->progress && ((r + 1) % step == 0 || r + 1 == n))
            o->progress(o->progress_ctx, r + 1, n);
    }

    for (int m = 0; m < nmetrics; m++) {
        const sim_column *c = &op.cols[metric_col[m]];
        if ((rc = sim_stats_summarize(c->name, values + (size_t)m * (size_t)n,
                                      (size_t)n, c->proportion, work,
                                      &rows[m], err)))
            goto fail;
    }
    if ((rc = sim_output_summary(&op, rows, nmetrics, err)))
        goto fail;

    man.command_line = o->command_line ? o->command_line : "";
    man.provenance = o->provenance;
    man.master_seed = o->seed;
    man.replications = n;
    man.threads = 1;
    sim_output_now(man.end_time);
    man.elapsed_seconds = seconds_since(&t0);
    if ((rc = sim_output_commit(&op, &man, err)))
        goto done; /* commit cleans up after itself */
    out->rows = rows;
    out->nrows = nmetrics;
    out->elapsed_seconds = man.elapsed_seconds;
    rows = NULL;
    goto done;

fail:
    sim_output_abort(&op);
done:
    free(values);
    free(work);
    free(rows);
    sim_workspace_free(ws);
    return rc;
}

void sim_batch_result_free(sim_batch_result *r)
{
    free(r->rows);
    r->rows = NULL;
    r->nrows = 0;
}

const sim_summary *sim_batch_find(const sim_batch_result *r,
                                  const char *metric)
{
    for (int i = 0; i < r->nrows; i++)
        if (strcmp(r->rows[i].metric, metric) == 0)
            return &r->rows[i];
    return NULL;
}
