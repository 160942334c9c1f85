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

#endif
