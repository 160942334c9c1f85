/* batch_impl.h - private interface of the batch (batch.c) and of its
 * distributed part (batch_dist.c): the batch under way, its threads'
 * workspaces and its blocks in flight. */
#ifndef SIM_BATCH_IMPL_H
#define SIM_BATCH_IMPL_H

#include <stdio.h>
#include <time.h>

#include <sanctionsim/batch.h>
#include <sanctionsim/world.h>

#include "batch_pack.h"
#include "journal.h"
#include "output.h"
#include "spill.h"

/* Blocks in flight per thread: room for threads that finish out of order
 * to go on while the oldest block is still being worked on. */
#define SLOTS_PER_THREAD 4

/* What one thread owns: its workspace (the scenario is shared, read
 * only), and the rounds.csv writer's memory of the rows it rendered and
 * its row buffer, which collects a replication's rows (about 37 to a
 * fwrite) for the block's rounds stream. The padding keeps what a thread
 * writes off the cache line of the next worker's fields. */
typedef struct batch_worker {
    const sim_scenario *sc;
    sim_workspace *ws;
    sim_round_memo memo;
    sim_csv_row rows; /* rows.f: the rounds stream of the block */
    char pad[64];
} batch_worker;

/* A block of replications rendered in memory, waiting for its turn:
 * runs.csv's and rounds.csv's rows in two memory streams (open_memstream,
 * reused from block to block: the rows are bytes [0, len) of the buffer)
 * and the metric values, a row of nmetrics per replication. */
typedef struct batch_slot {
    FILE *runs, *rounds; /* rounds only when tracing */
    char *runs_buf, *rounds_buf;
    size_t runs_cap, rounds_cap;
    size_t runs_len, rounds_len;
    long count; /* replications in the block */
    double *metrics;
    long *runs_end, *rounds_end; /* each replication's rows end here */
} batch_slot;

/* A batch under way: the open result directory, the threads' workspaces,
 * the blocks in flight and the metric values gathered so far, spilled to
 * a file in the temporary result directory (spill.h). sim_batch_run
 * composes the steps below; a resumed or distributed run replaces one. */
typedef struct batch {
    const sim_batch_opts *opts;
    long n;              /* replications in the batch */
    long first;          /* the first one's index */
    long done;           /* replications written so far */
    long resumed;        /* of them, recovered from DIR.partial */
    struct timespec t0;  /* start, for the elapsed time */
    char start_time[32]; /* start, for the manifest */
    int nthreads; /* this process's */
    int ranks;    /* processes (a cluster's ranks), 1 without */
    long block;   /* replications per block (the most) */
    long uniform; /* blocks 0..uniform-1 have `block` replications, */
    long tail_block; /* the rest tail_block (the last one fewer) */
    long nblocks;    /* this process's blocks */
    int nslots;   /* this process's slots */
    int window;   /* blocks in flight at most (over every rank) */
    batch_worker *workers;
    batch_slot *slots;
    sim_output out;
    int nmetrics;
    int metric_col[SIM_MAX_COLUMNS]; /* out.cols index of each metric */
    sim_spill *spill;  /* every replication's exact metric values */
    sim_summary *rows; /* nmetrics summary rows */
    double elapsed_seconds; /* set by commit */
    sim_journal journal;    /* DIR.partial's journal.bin */
    sim_manifest_inputs inputs;
    const char *files[10]; /* the files of the result, for the manifest */
    int nfiles;
} batch;

/* Writes block rows r to runs.csv, rounds.csv, the spill and the journal
 * (batch.c), in replication order; reports progress. */
int sim_batch_commit_rows(batch *b, const batch_rows *r, sim_err *err);

/* A sim_pool_job's work (batch_work.c): renders block `block` into slot
 * `slot` on thread `worker`. */
int sim_batch_work_block(void *ctx, int worker, long block, int slot,
                         sim_err *err);

/* ---- batch_dist.c ---- */

/* A sim_pool_job's pack: slot `slot`'s block as bytes (malloc'd;
 * sim_batch_pack_rows). */
int sim_batch_pack(void *ctx, int slot, void **buf, size_t *len,
                   sim_err *err);

/* Runs b's blocks over the ranks of b->opts->cluster (every rank calls
 * it, rank 0 with the open result directory). */
int sim_batch_run_cluster(batch *b, sim_err *err);

/* A sim_pool_job's worker_done (batch_work.c): the worker's workspace
 * freed on the thread that made it (alloc_workers in batch.c says why). */
void sim_batch_worker_done(void *ctx, int worker);

/* Saves the exact metric values to metrics.bin if asked (a slice, for
 * merge), then summarizes every metric over all n replications into
 * b->rows from the spill (sim_spill_summarize: exact, in bounded memory,
 * sorting on disk in the temporary result directory), the metrics shared
 * among b's threads (batch_summary.c). */
int sim_batch_summarize(batch *b, sim_err *err);

#endif
