/* explore_run.c - the runner of `sanctionsim explore`: a control thread
 * takes the newest run and runs it in chunks of replications on worker
 * threads (one workspace per thread and scenario), each replication of
 * the changed and of the unchanged scenario under the run's seed, with a
 * trace of its rounds; after a chunk it adds the workers' counts and now
 * and then publishes the aggregates as JSON (explore_result.c) under the
 * mutex. A new run sets the cancel flag the workspaces watch: the chunk
 * under way stops within a round and the new run starts from
 * replication 0. */
#include "explore_run.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sanctionsim/batch.h>
#include <sanctionsim/world.h>

#include "explore_json.h"

/* Runs whose results are kept (the newest and a few before it). */
#define HISTORY 8
/* Replications per worker thread in a chunk. */
#define CHUNK_PER_THREAD 100

typedef struct snapshot {
    long id; /* 0: empty slot */
    char state[16];
    char *rest, *error;
    size_t len;
} snapshot;

typedef struct job {
    explore_job_info info;
    sim_scenario *sc[2]; /* changed, unchanged */
} job;

struct explore_runner {
    int threads;
    pthread_t control;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t wake, ended;
    job *pending;
    bool quit;
    atomic_int cancel;
    snapshot hist[HISTORY];
};

typedef struct worker {
    struct run *run;
    sim_workspace *ws[2];
    long *delta[2];
    int rc;
    sim_err err;
} worker;

typedef struct run {
    const job *job;
    explore_arm arm[2];
    long target, end;
    atomic_long next;
    worker *w;
    int nw;
    double *work;
} run;

long explore_target(int rounds_a, int rounds_b, long max)
{
    int rounds = rounds_a > rounds_b ? rounds_a : rounds_b;
    long t = EXPLORE_STOCK_BUDGET / (rounds > 0 ? rounds : 1);
    if (max <= 0 || max > EXPLORE_TARGET)
        max = EXPLORE_TARGET;
    return t < max ? (t < 1 ? 1 : t) : max;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void job_free(job *j)
{
    if (!j)
        return;
    free(j->info.tail);
    free(j->sc[0]);
    free(j->sc[1]);
    free(j);
}

/* ---- one replication ---- */

typedef struct trace_ctx {
    double *stock;
    long *delta;
    int rounds;
    int first[SIM_MAX_INSTRUMENTS]; /* round first lifted or lapsed, 0 */
} trace_ctx;

static int on_round(void *ctx, const sim_round_record *rec, sim_err *err)
{
    (void)err;
    trace_ctx *t = ctx;
    int i = rec->round - 1, R = t->rounds;
    if (i < 0 || i >= R)
        return 0;
    double stock = 0;
    for (int k = 0; k < SIM_N_KINDS; k++)
        stock += (double)rec->prisoners[k];
    t->stock[i] = stock;
    t->delta[0 * R + i] += rec->pl_border_open;
    t->delta[1 * R + i] += rec->lt_border_open;
    t->delta[2 * R + i] += rec->klaipeda_open;
    t->delta[EXPLORE_ROW_RUNNING * R + i]++;
    for (int k = 0; k < SIM_MAX_INSTRUMENTS; k++)
        if (((rec->lifted >> k) & 1u) && !t->first[k])
            t->first[k] = rec->round;
    return 0;
}

/* Replication rep of arm a into its slots, its counts into delta. */
static int one_rep(const run *rn, explore_arm *a, sim_workspace *ws,
                   long *delta, long rep, sim_err *err)
{
    int R = a->sc.rounds;
    trace_ctx t = {.stock = a->stock + rep * R, .delta = delta, .rounds = R};
    for (int i = 0; i < R; i++)
        t.stock[i] = NAN;
    sim_rep_result res;
    int rc = sim_replicate(ws, rn->job->info.seed, (uint64_t)rep, on_round,
                           &t, &res, err);
    if (rc)
        return rc;
    for (int m = 0; m < a->nmetrics; m++)
        a->value[m * rn->target + rep] = sim_metric_value(&a->metric[m], &res);
    for (int k = 0; k < a->sc.n_instruments; k++) {
        int r = res.lifted_before[k] ? 1 : t.first[k];
        if (r >= 1 && r <= R)
            delta[(EXPLORE_ROW_LIFTED + k) * R + r - 1]++;
    }
    return 0;
}

static void *work(void *p)
{
    worker *w = p;
    run *rn = w->run;
    for (;;) {
        long rep = atomic_fetch_add(&rn->next, 1);
        if (rep >= rn->end)
            break;
        for (int a = 0; a < 2 && !w->rc; a++)
            w->rc = one_rep(rn, &rn->arm[a], w->ws[a], w->delta[a], rep,
                            &w->err);
        if (w->rc)
            break;
    }
    return NULL;
}

/* Length of an arm's count array. */
static size_t count_len(const explore_arm *a)
{
    return (size_t)(EXPLORE_ROW_LIFTED + a->sc.n_instruments) *
           (size_t)a->sc.rounds;
}

/* Runs replications start to end - 1 on the workers; adds their counts
 * to the arms only if every one of them ran. */
static int run_chunk(run *rn, long start, long end, sim_err *err)
{
    atomic_store(&rn->next, start);
    rn->end = end;
    pthread_t th[SIM_BATCH_MAX_THREADS];
    bool made[SIM_BATCH_MAX_THREADS] = {false};
    for (int i = 0; i < rn->nw; i++) {
        rn->w[i].rc = 0;
        for (int a = 0; a < 2; a++)
            memset(rn->w[i].delta[a], 0,
                   count_len(&rn->arm[a]) * sizeof(long));
        made[i] = i > 0 && pthread_create(&th[i], NULL, work, &rn->w[i]) == 0;
    }
    work(&rn->w[0]);
    for (int i = 1; i < rn->nw; i++)
        if (made[i])
            pthread_join(th[i], NULL);
        else
            work(&rn->w[i]); /* no thread: this one does its share */
    for (int i = 0; i < rn->nw; i++)
        if (rn->w[i].rc) {
            *err = rn->w[i].err;
            return rn->w[i].rc;
        }
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < rn->nw; i++)
            for (size_t k = 0; k < count_len(&rn->arm[a]); k++)
                rn->arm[a].count[k] += rn->w[i].delta[a][k];
    return 0;
}

/* ---- a run's memory ---- */

static void run_free(run *rn)
{
    if (!rn)
        return;
    for (int i = 0; rn->w && i < rn->nw; i++)
        for (int a = 0; a < 2; a++) {
            sim_workspace_free(rn->w[i].ws[a]);
            free(rn->w[i].delta[a]);
        }
    for (int a = 0; a < 2; a++) {
        free(rn->arm[a].value);
        free(rn->arm[a].stock);
        free(rn->arm[a].count);
    }
    free(rn->w);
    free(rn->work);
    free(rn);
}

static int arm_init(explore_arm *a, const sim_scenario *sc, long target,
                    sim_err *err)
{
    a->sc = *sc;
    a->nmetrics = sim_metrics_list(sc, a->metric);
    a->value = malloc((size_t)(a->nmetrics ? a->nmetrics : 1) *
                      (size_t)target * sizeof(double));
    a->stock = malloc((size_t)target * (size_t)sc->rounds * sizeof(double));
    a->count = calloc(count_len(a), sizeof(long));
    if (!a->value || !a->stock || !a->count)
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for %ld replications of %d rounds",
                         target, sc->rounds);
    return 0;
}

static run *run_new(const job *j, int threads, const atomic_int *cancel,
                    sim_err *err)
{
    run *rn = calloc(1, sizeof *rn);
    if (!rn) {
        sim_error(err, SIM_E_NOMEM, "out of memory for a run");
        return NULL;
    }
    rn->job = j;
    rn->target = j->info.target;
    rn->nw = threads;
    rn->w = calloc((size_t)threads, sizeof *rn->w);
    rn->work = malloc((size_t)rn->target * sizeof(double));
    int rc = 0;
    if (!rn->w || !rn->work)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    for (int a = 0; !rc && a < 2; a++)
        rc = arm_init(&rn->arm[a], j->sc[a], rn->target, err);
    for (int i = 0; !rc && i < threads; i++) {
        rn->w[i].run = rn;
        for (int a = 0; !rc && a < 2; a++) {
            rc = sim_workspace_alloc(&rn->arm[a].sc, &rn->w[i].ws[a], err);
            if (!rc)
                sim_workspace_set_cancel(rn->w[i].ws[a], cancel);
            rn->w[i].delta[a] = calloc(count_len(&rn->arm[a]), sizeof(long));
            if (!rc && !rn->w[i].delta[a])
                rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        }
    }
    if (rc) {
        run_free(rn);
        return NULL;
    }
    return rn;
}

/* ---- results ---- */

static snapshot *find(explore_runner *r, long id)
{
    snapshot *best = NULL;
    for (int i = 0; i < HISTORY; i++) {
        snapshot *s = &r->hist[i];
        if (s->id && (id < 0 ? !best || s->id > best->id : s->id == id))
            best = s;
    }
    return best;
}

/* The slot for a new run: an empty one, else the oldest run's. */
static snapshot *add(explore_runner *r, long id)
{
    snapshot *slot = &r->hist[0];
    for (int i = 0; i < HISTORY; i++)
        if (r->hist[i].id < slot->id)
            slot = &r->hist[i];
    free(slot->rest);
    free(slot->error);
    memset(slot, 0, sizeof *slot);
    slot->id = id;
    snprintf(slot->state, sizeof slot->state, "running");
    return slot;
}

/* Sets run id's state and (if not NULL) its text (taking it) and error. */
static void publish(explore_runner *r, long id, const char *state, char *rest,
                    const char *error)
{
    pthread_mutex_lock(&r->mu);
    snapshot *s = find(r, id);
    if (s) {
        snprintf(s->state, sizeof s->state, "%s", state);
        if (rest) {
            free(s->rest);
            s->rest = rest;
            s->len = strlen(rest);
            rest = NULL;
        }
        if (error && !s->error)
            s->error = strdup(error);
    }
    if (strcmp(state, "running") != 0)
        pthread_cond_broadcast(&r->ended);
    pthread_mutex_unlock(&r->mu);
    free(rest);
}

char *explore_runner_result(explore_runner *r, long id, size_t *len)
{
    pthread_mutex_lock(&r->mu);
    snapshot *s = find(r, id);
    char *out = NULL;
    *len = 0;
    if (s) {
        jbuf b = {0};
        jb_open(&b, '{');
        jb_kint(&b, "run", s->id);
        jb_kstr(&b, "state", s->state);
        if (s->error)
            jb_kstr(&b, "error", s->error);
        jb_raw(&b, ",");
        jb_raw(&b, s->rest ? s->rest : "}");
        out = jb_take(&b, len);
        if (!out)
            *len = 1;
    }
    pthread_mutex_unlock(&r->mu);
    return out;
}

/* ---- the control thread ---- */

/* Publishes run rn's first n replications as `state`. */
static void publish_run(explore_runner *r, run *rn, long n, const char *state,
                        double t0)
{
    char *rest = explore_result_json(&rn->job->info, &rn->arm[0], &rn->arm[1],
                                     n, now() - t0, rn->work);
    publish(r, rn->job->info.id, state, rest,
            rest ? NULL : "out of memory for the result");
}

static void run_job(explore_runner *r, const job *j)
{
    sim_err err = {0};
    run *rn = run_new(j, r->threads, &r->cancel, &err);
    if (!rn) {
        publish(r, j->info.id, "failed", NULL, err.msg);
        return;
    }
    double t0 = now(), last = t0, cost = 0;
    const char *state = "done";
    long n = 0;
    publish_run(r, rn, 0, "running", t0);
    while (n < rn->target) {
        long end = n + (long)CHUNK_PER_THREAD * rn->nw;
        int rc = run_chunk(rn, n, end < rn->target ? end : rn->target, &err);
        if (rc == SIM_E_INTERRUPTED || atomic_load(&r->cancel)) {
            state = "cancelled";
            break;
        }
        if (rc) {
            state = "failed";
            break;
        }
        n = end < rn->target ? end : rn->target;
        /* publishing takes at most a fifth of the time */
        if (n < rn->target && now() - last < fmax(0.25, 4 * cost))
            continue;
        double s = now();
        publish_run(r, rn, n, n < rn->target ? "running" : "done", t0);
        cost = now() - s;
        last = now();
    }
    if (strcmp(state, "done") != 0)
        publish(r, j->info.id, state, NULL,
                !strcmp(state, "failed") ? err.msg : NULL);
    run_free(rn);
}

static void *control(void *p)
{
    explore_runner *r = p;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (!r->pending && !r->quit)
            pthread_cond_wait(&r->wake, &r->mu);
        if (r->quit) {
            pthread_mutex_unlock(&r->mu);
            return NULL;
        }
        job *j = r->pending;
        r->pending = NULL;
        atomic_store(&r->cancel, 0);
        pthread_mutex_unlock(&r->mu);
        run_job(r, j);
        job_free(j);
    }
}

int explore_runner_new(int threads, explore_runner **out, sim_err *err)
{
    explore_runner *r = calloc(1, sizeof *r);
    if (!r)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    r->threads = threads < 1                        ? 1
                  : threads > SIM_BATCH_MAX_THREADS ? SIM_BATCH_MAX_THREADS
                                                    : threads;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->wake, NULL);
    pthread_cond_init(&r->ended, NULL);
    atomic_init(&r->cancel, 0);
    if (pthread_create(&r->control, NULL, control, r) != 0) {
        explore_runner_free(r);
        return sim_error(err, SIM_E_INTERNAL,
                         "cannot start the runner's thread");
    }
    r->started = true;
    *out = r;
    return 0;
}

void explore_runner_free(explore_runner *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->quit = true;
    atomic_store(&r->cancel, 1);
    pthread_cond_broadcast(&r->wake);
    pthread_mutex_unlock(&r->mu);
    if (r->started)
        pthread_join(r->control, NULL);
    job_free(r->pending);
    for (int i = 0; i < HISTORY; i++) {
        free(r->hist[i].rest);
        free(r->hist[i].error);
    }
    pthread_cond_destroy(&r->ended);
    pthread_cond_destroy(&r->wake);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

/* The text of a run before its first chunk: what is known already. */
static char *first_rest(const job *j)
{
    jbuf b = {0};
    jb_kint(&b, "replications", 0);
    jb_kint(&b, "target", j->info.target);
    jb_kint(&b, "seed", (long long)j->info.seed);
    jb_kint(&b, "rounds", j->sc[0]->rounds);
    jb_close(&b, '}');
    return jb_take(&b, NULL);
}

static job *job_new(long id, const sim_scenario *changed,
                    const sim_scenario *base, uint64_t seed, long target,
                    const char *head, const char *tail)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->info.id = id;
    j->info.seed = seed;
    snprintf(j->info.head, sizeof j->info.head, "%s", head);
    j->info.tail = strdup(tail);
    j->sc[0] = malloc(sizeof *j->sc[0]);
    j->sc[1] = malloc(sizeof *j->sc[1]);
    if (!j->info.tail || !j->sc[0] || !j->sc[1]) {
        job_free(j);
        return NULL;
    }
    *j->sc[0] = *changed;
    *j->sc[1] = *base;
    j->info.target = target;
    return j;
}

int explore_runner_submit(explore_runner *r, long id,
                          const sim_scenario *changed,
                          const sim_scenario *base, uint64_t seed,
                          long target, const char *head, const char *tail,
                          sim_err *err)
{
    job *j = job_new(id, changed, base, seed, target, head, tail);
    char *rest = j ? first_rest(j) : NULL;
    if (!rest) {
        job_free(j);
        return sim_error(err, SIM_E_NOMEM, "out of memory for a new run");
    }
    pthread_mutex_lock(&r->mu);
    if (r->pending) { /* never started: cancelled as it stands */
        snapshot *s = find(r, r->pending->info.id);
        if (s)
            snprintf(s->state, sizeof s->state, "cancelled");
        job_free(r->pending);
    }
    snapshot *s = add(r, id);
    s->rest = rest;
    s->len = strlen(rest);
    r->pending = j;
    atomic_store(&r->cancel, 1);
    pthread_cond_broadcast(&r->wake);
    pthread_cond_broadcast(&r->ended);
    pthread_mutex_unlock(&r->mu);
    return 0;
}

bool explore_runner_wait(explore_runner *r, long id, double seconds)
{
    double until = now() + seconds;
    pthread_mutex_lock(&r->mu);
    snapshot *s;
    while ((s = find(r, id)) && !strcmp(s->state, "running") &&
           now() < until) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 20000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&r->ended, &r->mu, &ts);
    }
    bool ended = s && strcmp(s->state, "running") != 0;
    pthread_mutex_unlock(&r->mu);
    return ended;
}
