/* batch_work.c - a block of a batch on a worker's thread
 * (batch_impl.h): its replications run, their rows rendered into the
 * block's slot, their metric values kept; the worker's workspace made and
 * freed on its own thread. */
#include <stdatomic.h>
#include <stdio.h>

#include "batch_impl.h"

/* A sim_trace_fn: a round's rounds.csv row into the worker's block (a
 * memory stream fails only for want of memory: finish_block checks). */
static int trace_round(void *ctx, const sim_round_record *r, sim_err *err)
{
    batch_worker *w = ctx;
    (void)err;
    sim_columns_put_round(&w->rows, &w->memo, w->sc, r);
    return 0;
}

/* Ends a block's rendering: its rows' lengths, or SIM_E_NOMEM if a memory
 * stream could not grow. */
static int finish_block(batch_slot *s, sim_err *err)
{
    long runs = fflush(s->runs) == 0 && !ferror(s->runs) ? ftell(s->runs) : -1;
    long rounds = 0;
    if (s->rounds)
        rounds = fflush(s->rounds) == 0 && !ferror(s->rounds)
                     ? ftell(s->rounds)
                     : -1;
    if (runs < 0 || rounds < 0)
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for the rows of %ld replications",
                         s->count);
    s->runs_len = (size_t)runs;
    s->rounds_len = (size_t)rounds;
    return 0;
}

/* A sim_pool_job's work: runs block `block` of batch ctx on thread
 * `worker` into slot `slot`, rendering its rows and keeping its metric
 * values. Stops with SIM_E_INTERRUPTED once the cancel flag is set (the
 * workspace checks it between rounds too). */
int sim_batch_work_block(void *ctx, int worker, long block, int slot,
                         sim_err *err)
{
    batch *b = ctx;
    const sim_batch_opts *o = b->opts;
    batch_worker *w = &b->workers[worker];
    batch_slot *s = &b->slots[slot];
    if (!w->ws) { /* a worker's first block, on its thread */
        int rc = sim_workspace_alloc(w->sc, &w->ws, err);
        if (rc)
            return rc;
        sim_workspace_set_cancel(w->ws, o->cancel);
    }
    long tail = block - b->uniform, size = tail < 0 ? b->block : b->tail_block;
    long from = b->resumed + (tail < 0 ? block * b->block
                                       : b->uniform * b->block +
                                             tail * b->tail_block);
    s->count = b->n - from < size ? b->n - from : size;
    rewind(s->runs);
    if (s->rounds)
        rewind(s->rounds);
    sim_csv_begin(&w->rows, s->rounds);
    for (long i = 0; i < s->count; i++) {
        sim_rep_result res;
        if (o->cancel && atomic_load_explicit(o->cancel, memory_order_relaxed))
            return sim_error(err, SIM_E_INTERRUPTED, "interrupted");
        int rc = sim_replicate(w->ws, o->seed, (uint64_t)(b->first + from + i),
                               o->trace ? trace_round : NULL, w, &res, err);
        if (rc)
            return rc;
        if (s->rounds)
            sim_csv_flush(&w->rows); /* the replication's last rows */
        sim_columns_write_run(s->runs, b->out.cols, b->out.ncols, &res);
        s->runs_end[i] = ftell(s->runs);
        s->rounds_end[i] = s->rounds ? ftell(s->rounds) : 0;
        double *row = s->metrics + i * b->nmetrics;
        for (int m = 0; m < b->nmetrics; m++)
            row[m] = sim_column_value(&b->out.cols[b->metric_col[m]], &res);
    }
    return finish_block(s, err);
}

void sim_batch_worker_done(void *ctx, int worker)
{
    batch *b = ctx;
    sim_workspace_free(b->workers[worker].ws);
    b->workers[worker].ws = NULL;
}

