/* pool_mpi.c - the ordered pool of pool.h over the ranks of an MPI job
 * (compiled with -DSIM_MPI=ON; without it, only the stubs at the end).
 *
 * Each rank runs its own threads; its main thread (the one that called
 * sim_pool_run_cluster) alone talks MPI. The threads take blocks from the
 * rank's queue, render and pack each, and leave the packed bytes to the
 * main thread. On a worker rank the main thread keeps the queue filled by
 * asking rank 0 for one block at a time (ASK, answered by GIVE: a block,
 * NO_MORE or STOP), and sends each packed block (BLOCK: its number, then
 * DATA: its bytes) and any failure (FAIL) to rank 0, then DONE. Rank 0's
 * main thread is the coordinator: it hands out blocks in order to its own
 * queue and to the ranks that ask, at most `window` beyond the next to
 * commit, stores what comes back and commits it in block order. A failed
 * block stops the handing out, as in pool.c: the lowest failed block
 * wins and nothing from it on is committed. Messages between two ranks
 * arrive in the order sent (MPI's non-overtaking rule), so a rank's DONE
 * is the last thing rank 0 hears from it in a job. */
#include "pool.h"

#include <stdlib.h>

#ifdef SIM_MPI

#include "cluster_impl.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { TAG_ASK = 1, TAG_GIVE, TAG_BLOCK, TAG_DATA, TAG_FAIL, TAG_DONE };
/* GIVE's answers other than a block */
#define NO_MORE (-1L) /* none left: finish the blocks in hand */
#define STOP (-2L)    /* stopped: drop the blocks not started */
#define WAIT (-3L)    /* (not sent) the window is full: ask again later */
/* The main thread's nap when nothing happened, in nanoseconds. */
#define NAP_NS 100000L

typedef struct fail_msg {
    long block; /* -1: the rank could not take part */
    int rc;
    char msg[SIM_ERR_MSG_MAX];
} fail_msg;

typedef struct packed {
    long block;
    void *buf;
    size_t len;
    bool ready;
} packed;

/* One rank's threads and what they share with its main thread. */
typedef struct local {
    const sim_pool_job *job;
    pthread_mutex_t lock;
    pthread_cond_t work_cv; /* a block queued, or the end */
    pthread_cond_t main_cv; /* a block packed or failed */
    long *queue;            /* blocks handed to this rank, not started */
    int qhead, qlen, qcap;
    int busy;    /* threads working on a block */
    bool finish; /* no block will be queued any more */
    packed *out; /* packed blocks for the main thread */
    int nout, outcap;
    bool failed; /* fail holds the lowest failed block's error */
    fail_msg fail;
    sim_err *werr;
} local;

typedef struct thread_arg {
    local *l;
    int id;
} thread_arg;

/* Records a failure of block b under l's lock; the lowest block wins. */
static void local_fail(local *l, long b, int rc, const char *msg)
{
    if (l->failed && l->fail.block <= b)
        return;
    l->failed = true;
    l->fail.block = b;
    l->fail.rc = rc;
    snprintf(l->fail.msg, sizeof l->fail.msg, "%s", msg);
}

/* A thread of a rank: works the queued blocks until the end. */
static void *thread_main(void *arg)
{
    const thread_arg *a = arg;
    local *l = a->l;
    const sim_pool_job *j = l->job;
    sim_err *err = &l->werr[a->id];
    pthread_mutex_lock(&l->lock);
    for (;;) {
        if (l->qlen == 0) {
            if (l->finish)
                break;
            pthread_cond_wait(&l->work_cv, &l->lock);
            continue;
        }
        long b = l->queue[l->qhead];
        l->qhead = (l->qhead + 1) % l->qcap;
        l->qlen--;
        l->busy++;
        pthread_mutex_unlock(&l->lock);
        void *buf = NULL;
        size_t len = 0;
        int rc = j->work(j->ctx, a->id, b, a->id, err);
        if (!rc)
            rc = j->pack(j->ctx, a->id, &buf, &len, err);
        pthread_mutex_lock(&l->lock);
        l->busy--;
        if (!rc && l->nout == l->outcap)
            rc = sim_error(err, SIM_E_INTERNAL, "pool: no room for a block");
        if (rc) {
            free(buf);
            local_fail(l, b, rc, err->msg);
        } else {
            l->out[l->nout++] = (packed){b, buf, len, true};
        }
        pthread_cond_signal(&l->main_cv);
    }
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

/* Queues block b for l's threads (under the lock; room is checked by the
 * caller's target). */
static void push(local *l, long b)
{
    l->queue[(l->qhead + l->qlen) % l->qcap] = b;
    l->qlen++;
    pthread_cond_signal(&l->work_cv);
}

/* No block will come any more; with drop, the queued ones are dropped. */
static void finish(local *l, bool drop)
{
    l->finish = true;
    if (drop)
        l->qlen = 0;
    pthread_cond_broadcast(&l->work_cv);
}

/* Waits briefly for l's threads to signal (the main thread's nap). Called
 * with the lock held. */
static void nap(local *l)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += NAP_NS;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&l->main_cv, &l->lock, &t);
}

/* ---- rank 0: the coordinator ---- */

typedef struct coord {
    const sim_cluster *c;
    const sim_pool_job *job;
    local *l;
    int target; /* blocks in hand for l's threads */
    long next_claim, next_commit, failed;
    int rc;
    sim_err err;
    bool stop;
    packed *table; /* window entries: block b at b % window */
    bool *asking;  /* per rank: an ASK is waiting for its GIVE */
    int finished;  /* ranks that said DONE */
} coord;

static void coord_fail(coord *co, long b, int rc, const char *msg)
{
    if (b < co->failed) {
        co->failed = b;
        co->rc = rc;
        snprintf(co->err.msg, sizeof co->err.msg, "%s", msg);
        co->err.code = rc;
    }
    co->stop = true;
}

/* The next block to hand out, or NO_MORE, STOP or WAIT. */
static long give_next(coord *co)
{
    if (co->stop)
        return STOP;
    if (co->next_claim >= co->job->nblocks)
        return NO_MORE;
    if (co->next_claim >= co->next_commit + co->job->window)
        return WAIT;
    return co->next_claim++;
}

/* Keeps packed block p for its commit (blocks past a failure are only
 * kept to be freed). */
static void store(coord *co, packed p)
{
    packed *t = co->table ? &co->table[p.block % co->job->window] : NULL;
    if (!t || p.block < co->next_commit || t->ready) {
        free(p.buf); /* cannot happen: a block comes back once */
        return;
    }
    *t = p;
}

/* Receives a message that Iprobe found (status st). */
static void receive(coord *co, const MPI_Status *st)
{
    MPI_Comm comm = co->c->comm;
    int src = st->MPI_SOURCE;
    if (st->MPI_TAG == TAG_ASK || st->MPI_TAG == TAG_DONE) {
        int dummy;
        MPI_Recv(&dummy, 1, MPI_INT, src, st->MPI_TAG, comm,
                 MPI_STATUS_IGNORE);
        long stop = STOP; /* without its table rank 0 only stops them */
        if (st->MPI_TAG == TAG_DONE)
            co->finished++;
        else if (co->asking)
            co->asking[src] = true;
        else
            MPI_Send(&stop, 1, MPI_LONG, src, TAG_GIVE, comm);
    } else if (st->MPI_TAG == TAG_BLOCK) {
        long b;
        MPI_Status ds;
        int n = 0;
        MPI_Recv(&b, 1, MPI_LONG, src, TAG_BLOCK, comm, MPI_STATUS_IGNORE);
        MPI_Probe(src, TAG_DATA, comm, &ds);
        MPI_Get_count(&ds, MPI_BYTE, &n);
        unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
        unsigned char spare;
        MPI_Recv(buf ? buf : &spare, buf ? n : 0, MPI_BYTE, src, TAG_DATA,
                 comm, MPI_STATUS_IGNORE);
        if (!buf)
            coord_fail(co, b, SIM_E_NOMEM, "out of memory for a block");
        else
            store(co, (packed){b, buf, (size_t)n, true});
    } else if (st->MPI_TAG == TAG_FAIL) {
        fail_msg m;
        char msg[SIM_ERR_MSG_MAX];
        MPI_Recv(&m, (int)sizeof m, MPI_BYTE, src, TAG_FAIL, comm,
                 MPI_STATUS_IGNORE);
        m.msg[sizeof m.msg - 1] = '\0';
        snprintf(msg, sizeof msg, "rank %d: %.900s", src, m.msg);
        coord_fail(co, m.block, m.rc, m.rc == SIM_E_INTERRUPTED ? m.msg : msg);
    }
}

/* Hands out blocks: to rank 0's own queue, then to the ranks that asked.
 * Returns whether anything was handed out or answered. */
static bool hand_out(coord *co)
{
    bool any = false;
    local *l = co->l;
    pthread_mutex_lock(&l->lock);
    while (!l->finish && l->qlen + l->busy < co->target) {
        long v = give_next(co);
        if (v == WAIT)
            break;
        if (v < 0)
            finish(l, v == STOP);
        else
            push(l, v);
        any = true;
    }
    pthread_mutex_unlock(&l->lock);
    for (int r = 1; co->asking && r < co->c->size; r++) {
        if (!co->asking[r])
            continue;
        long v = give_next(co);
        if (v == WAIT)
            break;
        MPI_Send(&v, 1, MPI_LONG, r, TAG_GIVE, co->c->comm);
        co->asking[r] = false;
        any = true;
    }
    return any;
}

/* Commits the stored blocks that are next in order. */
static bool commit_ready(coord *co)
{
    const sim_pool_job *j = co->job;
    bool any = false;
    for (; co->table;) {
        long b = co->next_commit;
        packed *t = &co->table[b % j->window];
        if (b >= co->failed || b >= j->nblocks || !t->ready || t->block != b)
            return any;
        sim_err err = {0};
        int rc = j->commit_packed(j->ctx, b, t->buf, t->len, &err);
        free(t->buf);
        *t = (packed){0};
        any = true;
        if (rc) {
            coord_fail(co, b, rc, err.msg);
            return any;
        }
        co->next_commit++;
    }
    return any;
}

/* One round of the coordinator: messages, rank 0's own blocks, the
 * cancel flag, handing out, commits. Returns whether all is done. */
static bool coordinate(coord *co)
{
    local *l = co->l;
    const sim_pool_job *j = co->job;
    bool any = false;
    int flag = 1;
    MPI_Status st;
    while (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, co->c->comm, &flag, &st) ==
               MPI_SUCCESS && flag) {
        receive(co, &st);
        any = true;
    }
    pthread_mutex_lock(&l->lock);
    for (int i = 0; i < l->nout; i++)
        store(co, l->out[i]);
    any |= l->nout > 0;
    l->nout = 0;
    if (l->failed) {
        coord_fail(co, l->fail.block, l->fail.rc, l->fail.msg);
        l->failed = false;
    }
    pthread_mutex_unlock(&l->lock);
    if (!co->stop && j->cancel && atomic_load(j->cancel))
        coord_fail(co, co->next_claim, SIM_E_INTERRUPTED, "interrupted");
    any |= hand_out(co);
    any |= commit_ready(co);
    pthread_mutex_lock(&l->lock);
    bool quiet = l->finish && l->qlen == 0 && l->busy == 0 && l->nout == 0 &&
                 !l->failed;
    bool done = quiet && co->finished == co->c->size - 1 &&
                (co->stop || co->next_commit == j->nblocks);
    if (!done && !any)
        nap(l);
    pthread_mutex_unlock(&l->lock);
    return done;
}

/* ---- the other ranks ---- */

/* Sends what l's threads left: packed blocks, a failure. Returns whether
 * the rank's threads were idle with nothing left (as of the same look). */
static bool send_out(const sim_cluster *c, local *l, bool *sent)
{
    packed p[1];
    fail_msg f;
    bool have_p = false, have_f = false, quiet;
    pthread_mutex_lock(&l->lock);
    if (l->nout > 0) {
        p[0] = l->out[--l->nout];
        have_p = true;
    }
    if (l->failed) {
        f = l->fail;
        l->failed = false;
        have_f = true;
    }
    quiet = !have_p && l->qlen == 0 && l->busy == 0;
    pthread_mutex_unlock(&l->lock);
    if (have_p) {
        MPI_Send(&p[0].block, 1, MPI_LONG, 0, TAG_BLOCK, c->comm);
        MPI_Send(p[0].buf, (int)p[0].len, MPI_BYTE, 0, TAG_DATA, c->comm);
        free(p[0].buf);
    }
    if (have_f)
        MPI_Send(&f, (int)sizeof f, MPI_BYTE, 0, TAG_FAIL, c->comm);
    *sent = have_p || have_f;
    return quiet;
}

/* A worker rank's main thread: asks for blocks, sends them back, until
 * rank 0 says there are no more and its threads are done; then DONE. */
static void serve(const sim_cluster *c, local *l, int target)
{
    MPI_Request req = MPI_REQUEST_NULL;
    long give = 0;
    bool asking = false, ended = false;
    for (;;) {
        bool any = false;
        bool quiet = send_out(c, l, &any);
        if (asking) {
            int flag = 0;
            MPI_Test(&req, &flag, MPI_STATUS_IGNORE);
            if (flag) {
                asking = false;
                any = true;
                pthread_mutex_lock(&l->lock);
                if (give >= 0)
                    push(l, give);
                else
                    finish(l, give == STOP);
                ended = give < 0;
                pthread_mutex_unlock(&l->lock);
                continue;
            }
        }
        pthread_mutex_lock(&l->lock);
        int held = l->qlen + l->busy;
        pthread_mutex_unlock(&l->lock);
        if (!asking && !ended && held < target) {
            int dummy = 0;
            /* the last request completed in MPI_Test (asking is false) */
            /* NOLINTNEXTLINE(clang-analyzer-optin.mpi.MPI-Checker) */
            MPI_Irecv(&give, 1, MPI_LONG, 0, TAG_GIVE, c->comm, &req);
            MPI_Send(&dummy, 1, MPI_INT, 0, TAG_ASK, c->comm);
            asking = any = true;
        }
        if (ended && quiet && !any)
            break;
        if (!any) {
            pthread_mutex_lock(&l->lock);
            nap(l);
            pthread_mutex_unlock(&l->lock);
        }
    }
    /* (a no-op: the last request completed in MPI_Test, which set req to
     * MPI_REQUEST_NULL) */
    MPI_Wait(&req, MPI_STATUS_IGNORE);
    int dummy = 0;
    MPI_Send(&dummy, 1, MPI_INT, 0, TAG_DONE, c->comm);
}

/* ---- the job ---- */

/* Sets l up for job; -1 if its memory cannot be had (l is then still
 * safe to use with no threads, and to free). */
static int local_init(local *l, const sim_pool_job *job, int qcap)
{
    memset(l, 0, sizeof *l);
    l->job = job;
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->work_cv, NULL);
    pthread_cond_init(&l->main_cv, NULL);
    l->queue = calloc((size_t)qcap, sizeof *l->queue);
    l->out = calloc((size_t)qcap + (size_t)job->nthreads, sizeof *l->out);
    l->werr = calloc((size_t)job->nthreads, sizeof *l->werr);
    if (!l->queue || !l->out || !l->werr)
        return -1;
    l->qcap = qcap;
    l->outcap = qcap + job->nthreads;
    return 0;
}

static void local_free(local *l)
{
    for (int i = 0; i < l->nout; i++)
        free(l->out[i].buf);
    free(l->queue);
    free(l->out);
    free(l->werr);
    pthread_cond_destroy(&l->main_cv);
    pthread_cond_destroy(&l->work_cv);
    pthread_mutex_destroy(&l->lock);
}

/* Runs coordinator or worker with `started` of l's threads running;
 * pre, if not NULL, is rank 0's own failure to set up. Returns 0 or the
 * coordinator's error. */
static int run_rank(const sim_cluster *c, const sim_pool_job *job, local *l,
                    int started, const sim_err *pre, sim_err *err)
{
    int target = started > 0 ? started + 1 : 0;
    if (c->rank > 0) {
        serve(c, l, target);
        return 0;
    }
    coord co = {.c = c, .job = job, .l = l, .target = target,
                .failed = job->nblocks};
    co.table = calloc((size_t)job->window, sizeof *co.table);
    co.asking = calloc((size_t)c->size, sizeof *co.asking);
    if (!co.table || !co.asking)
        coord_fail(&co, -1, SIM_E_NOMEM, "out of memory for the pool");
    if (pre)
        coord_fail(&co, -1, pre->code, pre->msg);
    if (started == 0) {
        pthread_mutex_lock(&l->lock);
        finish(l, true);
        pthread_mutex_unlock(&l->lock);
    }
    while (!coordinate(&co))
        ;
    for (long i = 0; co.table && i < job->window; i++)
        free(co.table[i].buf);
    free(co.table);
    free(co.asking);
    if (co.rc && err) {
        *err = co.err;
        err->code = co.rc;
    }
    return co.rc;
}

/* Long: starts the rank's threads, runs its part, joins them. */
int sim_pool_run_cluster(const sim_cluster *c, const sim_pool_job *job,
                         sim_err *err)
{
    if (!c || !job || job->nblocks < 0 || job->nthreads < 1 ||
        job->nthreads > SIM_POOL_MAX_THREADS || job->window < 1 ||
        !job->work || !job->pack || !job->commit_packed)
        return sim_error(err, SIM_E_INTERNAL, "bad cluster pool job");
    local l;
    pthread_t tid[SIM_POOL_MAX_THREADS];
    thread_arg args[SIM_POOL_MAX_THREADS];
    int started = 0, rc = 0;
    sim_err pre = {0};
    if (local_init(&l, job, job->nthreads + 1))
        sim_error(&pre, SIM_E_NOMEM, "out of memory for %d threads",
                  job->nthreads);
    for (int i = 0; !pre.code && i < job->nthreads; i++) {
        args[i] = (thread_arg){&l, i};
        if (pthread_create(&tid[i], NULL, thread_main, &args[i]) != 0)
            break;
        started++;
    }
    if (!pre.code && started == 0)
        sim_error(&pre, SIM_E_INTERNAL, "cannot start a thread");
    if (c->rank > 0 && pre.code)
        rc = sim_pool_fail_cluster(c, pre.code, &pre);
    else
        rc = run_rank(c, job, &l, started, pre.code ? &pre : NULL, err);
    pthread_mutex_lock(&l.lock);
    finish(&l, true);
    pthread_mutex_unlock(&l.lock);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    local_free(&l);
    return rc;
}

int sim_pool_fail_cluster(const sim_cluster *c, int rc, const sim_err *err)
{
    fail_msg f = {.block = -1, .rc = rc};
    snprintf(f.msg, sizeof f.msg, "%s", err ? err->msg : "failed");
    MPI_Send(&f, (int)sizeof f, MPI_BYTE, 0, TAG_FAIL, c->comm);
    long give = 0;
    do {
        int dummy = 0;
        MPI_Send(&dummy, 1, MPI_INT, 0, TAG_ASK, c->comm);
        MPI_Recv(&give, 1, MPI_LONG, 0, TAG_GIVE, c->comm, MPI_STATUS_IGNORE);
    } while (give >= 0);
    int dummy = 0;
    MPI_Send(&dummy, 1, MPI_INT, 0, TAG_DONE, c->comm);
    return rc;
}

#else /* no MPI: a NULL cluster is one process, and that is all */

static int no_mpi(sim_err *err)
{
    return sim_error(err, SIM_E_USAGE,
                     "this sanctionsim is built without MPI "
                     "(cmake -DSIM_MPI=ON)");
}

int sim_pool_run_cluster(const sim_cluster *c, const sim_pool_job *job,
                         sim_err *err)
{
    (void)c;
    (void)job;
    return no_mpi(err);
}

int sim_pool_fail_cluster(const sim_cluster *c, int rc, const sim_err *err)
{
    (void)c;
    (void)err;
    return rc;
}

#endif
