/* pool.c - the ordered thread pool of pool.h, on POSIX threads.
 *
 * One mutex guards the pool's counters; the work itself and the commits
 * run outside it. Invariants, under the mutex:
 *   next_commit <= next_claim <= nblocks;
 *   every block in [next_commit, next_claim) is being worked on or has
 *   finished (done[its slot] set), and lies below next_commit + window, so
 *   no two blocks in flight share a slot;
 *   at most one thread holds the commit turn (committing);
 *   failed is the lowest block that failed so far (nblocks if none), and
 *   next_commit <= failed: nothing from a failed block on is committed. */
#include "pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct pool {
    const sim_pool_job *job;
    pthread_mutex_t lock;
    pthread_cond_t slot_free; /* a commit freed a slot, or the pool stops */
    long next_claim;          /* the next block to hand out */
    long next_commit;         /* the next block to commit */
    bool committing;          /* a thread holds the commit turn */
    bool stop;                /* a block failed: hand out no more */
    long failed;              /* the lowest failed block; nblocks if none */
    int rc;                   /* its code */
    sim_err err;              /* its message */
    unsigned char *done;      /* per slot: its block's work is finished */
    sim_err *werr;            /* per worker: the message of its last error */
} pool;

typedef struct worker_arg {
    pool *p;
    int id;
} worker_arg;

/* Records that block b failed with rc (message in err) and stops handing
 * out blocks. The lowest failed block wins. Called under the mutex. */
static void fail(pool *p, long b, int rc, const sim_err *err)
{
    if (b < p->failed) {
        p->failed = b;
        p->rc = rc;
        p->err = *err;
    }
    p->stop = true;
    pthread_cond_broadcast(&p->slot_free);
}

/* Commits, in order, every finished block from next_commit on, unless
 * another thread holds the commit turn (it will see the blocks finished
 * meanwhile, for it checks again under the mutex before it lets go).
 * Called under the mutex, which it releases while a commit runs. */
static void commit_ready(pool *p, sim_err *err)
{
    const sim_pool_job *j = p->job;
    while (!p->committing && p->next_commit < p->failed &&
           p->next_commit < j->nblocks &&
           p->done[p->next_commit % j->window]) {
        long c = p->next_commit;
        int slot = (int)(c % j->window);
        p->committing = true;
        pthread_mutex_unlock(&p->lock);
        int rc = j->commit(j->ctx, c, slot, err);
        pthread_mutex_lock(&p->lock);
        p->committing = false;
        p->done[slot] = 0;
        if (rc) {
            fail(p, c, rc, err);
            return;
        }
        p->next_commit++;
        pthread_cond_broadcast(&p->slot_free);
    }
}

/* A worker: takes the next block whose slot is free, works it, and
 * commits what is ready, until no block is left or one has failed. */
static void *worker_main(void *arg)
{
    const worker_arg *a = arg;
    pool *p = a->p;
    const sim_pool_job *j = p->job;
    sim_err *err = &p->werr[a->id];
    pthread_mutex_lock(&p->lock);
    for (;;) {
        long b = p->next_claim;
        if (p->stop || b >= j->nblocks)
            break;
        if (b >= p->next_commit + j->window) {
            /* its slot still holds an uncommitted block */
            pthread_cond_wait(&p->slot_free, &p->lock);
            continue;
        }
        p->next_claim++;
        pthread_mutex_unlock(&p->lock);
        int slot = (int)(b % j->window);
        int rc = j->work(j->ctx, a->id, b, slot, err);
        pthread_mutex_lock(&p->lock);
        if (rc) {
            fail(p, b, rc, err);
        } else {
            p->done[slot] = 1;
            commit_ready(p, err);
        }
    }
    pthread_mutex_unlock(&p->lock);
    if (j->worker_done)
        j->worker_done(j->ctx, a->id);
    return NULL;
}

/* Starts workers 1..nthreads-1, runs worker 0 on the calling thread and
 * waits for the others. */
static void run_workers(pool *p, worker_arg *args, pthread_t *tid)
{
    int started = 1;
    for (int i = 1; i < p->job->nthreads; i++) {
        args[i] = (worker_arg){p, i};
        if (pthread_create(&tid[i], NULL, worker_main, &args[i]) != 0)
            break; /* run on the threads there are */
        started++;
    }
    args[0] = (worker_arg){p, 0};
    worker_main(&args[0]);
    for (int i = 1; i < started; i++)
        pthread_join(tid[i], NULL);
}

int sim_pool_run(const sim_pool_job *job, sim_err *err)
{
    if (!job || job->nblocks < 0 || job->nthreads < 1 ||
        job->nthreads > SIM_POOL_MAX_THREADS || job->window < job->nthreads ||
        !job->work || !job->commit)
        return sim_error(err, SIM_E_INTERNAL, "bad thread pool job");
    pool p;
    memset(&p, 0, sizeof p);
    p.job = job;
    p.failed = job->nblocks;
    p.done = calloc((size_t)job->window, 1);
    p.werr = calloc((size_t)job->nthreads, sizeof *p.werr);
    worker_arg *args = calloc((size_t)job->nthreads, sizeof *args);
    pthread_t *tid = calloc((size_t)job->nthreads, sizeof *tid);
    int rc = 0;
    if (!p.done || !p.werr || !args || !tid) {
        rc = sim_error(err, SIM_E_NOMEM, "out of memory for %d threads",
                       job->nthreads);
    } else if (pthread_mutex_init(&p.lock, NULL) != 0) {
        rc = sim_error(err, SIM_E_INTERNAL, "cannot create a mutex");
    } else {
        if (pthread_cond_init(&p.slot_free, NULL) != 0) {
            rc = sim_error(err, SIM_E_INTERNAL, "cannot create a condition");
        } else {
            run_workers(&p, args, tid);
            pthread_cond_destroy(&p.slot_free);
            rc = p.rc;
            if (rc && err)
                *err = p.err;
        }
        pthread_mutex_destroy(&p.lock);
    }
    free(tid);
    free(args);
    free(p.werr);
    free(p.done);
    return rc;
}
