/* batch_summary.c - the summary of a finished batch (batch_impl.h):
 * every metric's summary.csv row from the spill of its exact values, the
 * metrics shared among the batch's threads. */
#include <stdio.h>

#include "batch_impl.h"
#include "pool.h"
#include "spill_summary.h"

/* A sim_pool_job's work: the summary of metric `m` of batch ctx into its
 * row. */
static int summarize_metric(void *ctx, int worker, long m, int slot,
                            sim_err *err)
{
    batch *b = ctx;
    const sim_column *c = &b->out.cols[b->metric_col[m]];
    (void)worker, (void)slot;
    return sim_spill_summarize(&b->spill, 1, (int)m, c->name, c->proportion,
                               b->out.tmp_dir, 0, &b->rows[m], err);
}

/* A sim_pool_job's commit: a summary row is in place once worked out. */
static int summary_done(void *ctx, long m, int slot, sim_err *err)
{
    (void)ctx, (void)m, (void)slot, (void)err;
    return 0;
}

int sim_batch_summarize(batch *b, sim_err *err)
{
    sim_spill_finish(b->spill);
    if (b->opts->keep_values) {
        const char *names[SIM_MAX_COLUMNS];
        char path[SIM_PATH_MAX + 32];
        for (int m = 0; m < b->nmetrics; m++)
            names[m] = b->out.cols[b->metric_col[m]].name;
        snprintf(path, sizeof path, "%s/%s", b->out.tmp_dir, SIM_METRICS_FILE);
        int rc = sim_spill_save(b->spill, names, path, err);
        if (rc)
            return rc;
    }
    /* The metrics are independent (the spill is read with pread, each
     * external sort has a file of its own): the batch's threads share
     * them, a metric to a block, so the serial part of a batch on several
     * threads is shorter; the lowest metric that fails wins, as in a
     * loop. Memory: a summary budget per thread. */
    int threads = b->nthreads < b->nmetrics ? b->nthreads : b->nmetrics;
    sim_pool_job job = {.nblocks = b->nmetrics,
                        .nthreads = threads > 0 ? threads : 1,
                        .window = threads > 0 ? threads : 1,
                        .work = summarize_metric,
                        .commit = summary_done,
                        .ctx = b};
    return sim_pool_run(&job, err);
}

