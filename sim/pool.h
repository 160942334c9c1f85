/* pool.h - an ordered thread pool: blocks of work run on several threads
 * and are committed strictly in block order, whatever order they finish in.
 *
 * The pool knows nothing of replications or files: the batch runner
 * (batch.c) gives it two functions. work(ctx, worker, block, slot) does
 * block `block` on thread `worker` into buffer `slot`; commit(ctx, block,
 * slot) takes the finished block out of its slot. A block is claimed only
 * when its slot is free, i.e. when the block `window` places before it has
 * been committed, so at most `window` blocks are in flight and memory
 * stays bounded however many blocks there are. Blocks are claimed in
 * order (dynamic assignment: a free thread takes the next block), commits
 * run one at a time in block order on whichever thread finished the block
 * that was awaited, so no thread sits idle as a committer. */
#ifndef SIM_POOL_H
#define SIM_POOL_H

#include <stdatomic.h>
#include <stddef.h>

#include <sanctionsim/cluster.h>
#include <sanctionsim/error.h>

/* The most threads a pool runs. */
#define SIM_POOL_MAX_THREADS 256

typedef struct sim_pool_job {
    long nblocks; /* >= 0 */
    int nthreads; /* 1..SIM_POOL_MAX_THREADS; the caller's thread is one */
    int window;   /* slots, >= nthreads: blocks in flight at most */
    /* Does block `block` (0 <= block < nblocks) on thread `worker`
     * (0 <= worker < nthreads; one thread runs one block at a time) into
     * slot `slot` (block % window). Returns 0 or an error code with err
     * set (err belongs to the worker). */
    int (*work)(void *ctx, int worker, long block, int slot, sim_err *err);
    /* Commits block `block` from its slot: called for blocks 0, 1, 2, ...
     * in order, never two at once, each after its work succeeded. */
    int (*commit)(void *ctx, long block, int slot, sim_err *err);
    void *ctx;
    /* If not NULL (sim_pool_run only): called by each worker on its own
     * thread when it has no more blocks to work, so that what a worker
     * allocated on its thread is freed there too. */
    void (*worker_done)(void *ctx, int worker);
    /* For sim_pool_run_cluster only (NULL for sim_pool_run). pack copies
     * the block rendered in slot `slot` into a new malloc'd buffer of *len
     * bytes (*buf), on the worker's thread; commit_packed commits block
     * `block` from such bytes, on rank 0, in block order (as commit). */
    int (*pack)(void *ctx, int slot, void **buf, size_t *len, sim_err *err);
    int (*commit_packed)(void *ctx, long block, const void *buf, size_t len,
                         sim_err *err);
    /* If not NULL and it becomes non-zero, rank 0 stops handing out
     * blocks (SIM_E_INTERRUPTED), as a signal does to a local pool
     * through work. */
    const atomic_int *cancel;
} sim_pool_job;

/* Runs every block of job and commits it. Returns 0, or the error of the
 * lowest block that failed (in work or in commit) with its message in
 * err: once a block fails no new block is claimed, the blocks in flight
 * finish (a lower one may still fail and then wins), and no block from
 * the failed one on is committed. So the error reported is the one a
 * serial run would have met first among the blocks that ran. If a thread
 * cannot be started the pool runs on the threads it has (at least the
 * caller's); SIM_E_NOMEM if its own bookkeeping cannot be allocated,
 * SIM_E_INTERNAL for a bad job. */
int sim_pool_run(const sim_pool_job *job, sim_err *err);

/* ---- The pool over the ranks of a cluster (pool_mpi.c; without MPI
 * these fail with SIM_E_USAGE). Every rank calls it with the same
 * nblocks; each rank runs nthreads threads of its own (their slots are
 * 0..nthreads-1: a thread renders into its own slot and packs it). Rank
 * 0 hands out blocks to the ranks that ask (dynamic assignment: a rank
 * asks for the next block when a thread of its falls idle, keeping one
 * in hand), receives the packed blocks and commits them in block order
 * through commit_packed; at most `window` blocks are handed out and not
 * yet committed, so rank 0 holds at most window packed blocks. Returns
 * as sim_pool_run on rank 0 (a worker's error carries its rank in the
 * message); on the other ranks 0, or the error of a block of their own.
 * Every rank returns only when every rank is done with this job, so the
 * ranks can call it again for the next job. */
int sim_pool_run_cluster(const sim_cluster *c, const sim_pool_job *job,
                         sim_err *err);

/* A rank other than 0 that cannot take part in a job (it failed to set
 * its part up) calls this instead of sim_pool_run_cluster: rank 0's
 * sim_pool_run_cluster then fails with rc and err's message. */
int sim_pool_fail_cluster(const sim_cluster *c, int rc, const sim_err *err);

/* Rank 0's *v (n longs) to every rank (MPI_Bcast; cluster.c): the ranks
 * call it at the same points of their common program. */
int sim_cluster_share(const sim_cluster *c, long *v, int n, sim_err *err);

#endif
