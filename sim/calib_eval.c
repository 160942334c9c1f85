/* calib_eval.c - one evaluation of a calibration in memory: the base
 * scenario with the candidate's values, its replications run on the
 * threads of an ordered pool (pool.h), each with a workspace of its own,
 * and every target's value per replication taken from the replication's
 * result (runs.csv's columns) and its rounds as rounds.csv would render
 * them, as sim_score_collect takes them from a result directory. Every
 * evaluation uses the same master seed and replications 0 .. n-1, so the
 * candidates share their random streams. Under a cluster (cluster.h) the
 * blocks of replications are spread over the ranks (sim_pool_run_cluster):
 * each block's values travel to rank 0 as exact doubles, and rank 0's
 * complete values go to every rank, so that every rank computes the same
 * moments and takes the same next step. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib_impl.h"
#include "pool.h"
#include "score_impl.h"
#include <sanctionsim/world.h>

/* Replications per block of the pool. */
#define BLOCK 8
/* A rendered rounds.csv row fits this. */
#define ROW_MAX 16384

/* What one thread owns. */
typedef struct calib_worker {
    calib_ctx *ctx;
    sim_workspace *ws;
    FILE *row; /* fmemopen on buf */
    char buf[ROW_MAX];
    char *field[SIM_MAX_COLUMNS];
    sim_round_memo memo;
    int *cnt; /* rounds seen per target, this replication */
    long rep;
    long block; /* the block last worked on (its values to pack) */
} calib_worker;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Splits the rendered row in w->buf (len bytes) into w->field in place,
 * unquoting RFC 4180 fields; returns the number of fields. */
static int split_row(calib_worker *w, size_t len)
{
    char *s = w->buf, *end = w->buf + len;
    int n = 0;
    while (s < end && n < SIM_MAX_COLUMNS) {
        char *out = s;
        w->field[n++] = s;
        bool quoted = *s == '"';
        char *p = s + quoted;
        for (; p < end; p++) {
            if (quoted && *p == '"') {
                if (p + 1 < end && p[1] == '"') {
                    *out++ = '"';
                    p++;
                    continue;
                }
                quoted = false;
                continue;
            }
            if (!quoted && (*p == ',' || *p == '\n'))
                break;
            *out++ = *p;
        }
        *out = '\0';
        s = p + 1;
    }
    return n;
}

/* Adds one round's field to target t's value of the worker's replication. */
static int add_field(calib_worker *w, int t, const char *f, sim_err *err)
{
    calib_ctx *c = w->ctx;
    const sim_target *tg = &c->ts.t[t];
    double *v = &c->value[(size_t)t * (size_t)c->nrep + (size_t)w->rep];
    double x = NAN;
    bool text = tg->stat == SIM_TARGET_EVENT && tg->op == SIM_OP_CONTAINS;
    if (!text && f[0]) {
        char *e;
        errno = 0;
        x = strtod(f, &e);
        if (*e || e == f)
            return sim_error(err, SIM_E_USAGE,
                             "%s:%d: observation '%s': column '%s' of "
                             "rounds.csv is not a number",
                             c->ts.file, tg->line, tg->id, tg->quantity);
    }
    w->cnt[t]++;
    if (tg->stat == SIM_TARGET_EVENT) {
        if (sim_score_event_holds(tg, f, x))
            *v = 1.0;
    } else if (tg->stat == SIM_TARGET_SUM) {
        *v += x;
    } else {
        *v = x;
    }
    return 0;
}

/* The trace function: renders the round's row and hands its fields to
 * the targets whose period holds the round. */
static int on_round(void *ctx, const sim_round_record *r, sim_err *err)
{
    calib_worker *w = ctx;
    calib_ctx *c = w->ctx;
    rewind(w->row);
    sim_columns_write_round(w->row, &w->memo, c->sc, r);
    fflush(w->row);
    long len = ftell(w->row);
    if (len <= 0 || len >= ROW_MAX - 1)
        return sim_error(err, SIM_E_INTERNAL, "a rounds.csv row does not "
                                              "fit the calibration's buffer");
    int nf = split_row(w, (size_t)len);
    for (int t = 0; t < c->ts.n; t++) {
        if (c->ts.t[t].in_runs || c->status[t] || r->round < c->from[t] ||
            r->round > c->to[t])
            continue;
        if (c->col[t] >= nf)
            return sim_error(err, SIM_E_INTERNAL, "short rounds.csv row");
        int rc = add_field(w, t, w->field[c->col[t]], err);
        if (rc)
            return rc;
    }
    return 0;
}

/* Finishes the worker's replication: runs.csv's targets from res, and
 * NaN where a target's period was not run whole. */
static void finish_rep(calib_worker *w, const sim_rep_result *res)
{
    calib_ctx *c = w->ctx;
    for (int t = 0; t < c->ts.n; t++) {
        const sim_target *tg = &c->ts.t[t];
        double *v = &c->value[(size_t)t * (size_t)c->nrep + (size_t)w->rep];
        if (tg->in_runs) {
            *v = sim_column_value(&c->cols[c->col[t]], res);
            if (tg->stat == SIM_TARGET_EVENT)
                *v = sim_score_event_holds(tg, "", *v) ? 1.0 : 0.0;
        } else if (c->status[t] || w->cnt[t] < c->to[t] - c->from[t] + 1) {
            *v = NAN;
        }
    }
}

/* The replication after block `block`'s last. */
static long block_end(const calib_ctx *c, long block)
{
    return (block + 1) * BLOCK < c->nrep ? (block + 1) * BLOCK : c->nrep;
}

static int work(void *pctx, int worker, long block, int slot, sim_err *err)
{
    calib_worker *w = &((calib_worker *)pctx)[worker];
    calib_ctx *c = w->ctx;
    (void)slot;
    long end = block_end(c, block);
    w->block = block;
    for (long r = block * BLOCK; r < end; r++) {
        w->rep = r;
        for (int t = 0; t < c->ts.n; t++) {
            w->cnt[t] = 0;
            c->value[(size_t)t * (size_t)c->nrep + (size_t)r] = 0.0;
        }
        sim_rep_result res;
        int rc = sim_replicate(w->ws, c->c->seed, (uint64_t)r,
                               c->need_rounds ? on_round : NULL, w, &res,
                               err);
        if (rc)
            return rc;
        finish_rep(w, &res);
    }
    return 0;
}

static int commit(void *pctx, long block, int slot, sim_err *err)
{
    (void)pctx, (void)block, (void)slot, (void)err;
    return 0;
}

#ifdef SIM_MPI
/* ---- the blocks over the ranks: only the MPI build can open a cluster
 * (cluster.h); without one ctx->cluster is NULL ---- */

/* A block's bytes for rank 0 (the cluster pool's pack; slot is the
 * worker): three longs (the block, its replications n, the targets m),
 * then each target's n values as they are. */
enum { PACK_HEAD = 3 };

static int pack(void *pctx, int slot, void **buf, size_t *len, sim_err *err)
{
    const calib_worker *w = &((calib_worker *)pctx)[slot];
    const calib_ctx *c = w->ctx;
    long first = w->block * BLOCK, n = block_end(c, w->block) - first;
    size_t m = (size_t)c->ts.n, nb = sizeof(double) * (size_t)n;
    long head[PACK_HEAD] = {w->block, n, c->ts.n};
    unsigned char *p = malloc(sizeof head + m * nb);
    if (!p)
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for a block of %ld replications", n);
    memcpy(p, head, sizeof head);
    for (size_t t = 0; t < m && n > 0; t++)
        memcpy(p + sizeof head + t * nb,
               &c->value[t * (size_t)c->nrep + (size_t)first], nb);
    *buf = p;
    *len = sizeof head + m * nb;
    return 0;
}

/* The cluster pool's commit_packed, on rank 0: block `block`'s values
 * into ctx->value. */
static int commit_packed(void *pctx, long block, const void *buf, size_t len,
                         sim_err *err)
{
    calib_ctx *c = ((calib_worker *)pctx)->ctx;
    const unsigned char *p = buf;
    long head[PACK_HEAD] = {-1, -1, -1}, first = block * BLOCK,
                          n = block_end(c, block) - first;
    size_t m = (size_t)c->ts.n, nb = sizeof(double) * (size_t)n;
    if (len >= sizeof head)
        memcpy(head, p, sizeof head);
    if (len != sizeof head + m * nb || head[0] != block || head[1] != n ||
        head[2] != c->ts.n)
        return sim_error(err, SIM_E_INTERNAL,
                         "a packed block of values does not add up (%zu "
                         "bytes)",
                         len);
    for (size_t t = 0; t < m && n > 0; t++)
        memcpy(&c->value[t * (size_t)c->nrep + (size_t)first],
               p + sizeof head + t * nb, nb);
    return 0;
}

/* The pool over the ranks: rank 0's set-up outcome rc0 first (a rank
 * other than 0 that could not set up tells rank 0 through the pool),
 * then the blocks, rank 0's outcome, and rank 0's values to every rank.
 * Returns as calib_outcome. */
static int run_cluster(calib_ctx *c, const sim_pool_job *job, int rc,
                       sim_err *err)
{
    bool root = sim_cluster_rank(c->cluster) == 0;
    long rc0 = rc;
    int src = sim_cluster_share(c->cluster, &rc0, 1, err);
    if (src)
        return rc ? rc : src;
    if (rc0 && !root)
        return sim_error(err, (int)rc0, "rank 0 failed");
    if (rc0)
        return rc;
    if (rc)
        sim_pool_fail_cluster(c->cluster, rc, err);
    else
        rc = sim_pool_run_cluster(c->cluster, job, err);
    rc = calib_outcome(c, rc, err);
    if (!rc)
        rc = calib_share(c, c->value, (size_t)c->ts.n * (size_t)c->nrep, err);
    return rc;
}
#endif

int calib_share(const calib_ctx *c, double *v, size_t n, sim_err *err)
{
    enum { CHUNK = 1024 };
    long buf[CHUNK];
    unsigned char *p = (unsigned char *)v;
    size_t bytes = n * sizeof *v;
    for (size_t at = 0; c->cluster && at < bytes; at += sizeof buf) {
        size_t k = bytes - at < sizeof buf ? bytes - at : sizeof buf;
        memset(buf, 0, sizeof buf);
        memcpy(buf, p + at, k);
        int rc = sim_cluster_share(c->cluster, buf,
                                   (int)((k + sizeof *buf - 1) / sizeof *buf),
                                   err);
        if (rc)
            return rc;
        memcpy(p + at, buf, k);
    }
    return 0;
}

int calib_outcome(const calib_ctx *c, int rc, sim_err *err)
{
#ifdef SIM_MPI
    if (!c->cluster)
        return rc;
    long rc0 = rc;
    int src = sim_cluster_share(c->cluster, &rc0, 1, err);
    if (sim_cluster_rank(c->cluster) == 0)
        return rc ? rc : src;
    if (!src && rc0)
        return sim_error(err, (int)rc0, "rank 0 failed");
    return rc ? rc : src;
#else
    (void)c, (void)err; /* one process: its own outcome */
    return rc;
#endif
}

/* Runs the replications of the loaded scenario ctx->sc; pre is the
 * outcome of loading it (under a cluster every rank comes here, to learn
 * whether every rank could). */
static int run_reps(calib_ctx *c, int pre, sim_err *err)
{
    if (pre && !c->cluster)
        return pre;
    int nt = c->threads < 1 ? 1 : c->threads;
    long nblocks = (c->nrep + BLOCK - 1) / BLOCK;
    if (nt > nblocks)
        nt = (int)nblocks;
    calib_worker *w = calloc((size_t)nt + 1, sizeof *w);
    int rc = pre;
    if (!rc && !w)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    for (int i = 0; w && i < nt; i++)
        w[i].ctx = c;
    for (int i = 0; w && !rc && i < nt; i++) {
        w[i].cnt = calloc((size_t)c->ts.n + 1, sizeof *w[i].cnt);
        w[i].row = fmemopen(w[i].buf, ROW_MAX, "w");
        if (!w[i].cnt || !w[i].row)
            rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        else
            rc = sim_workspace_alloc(c->sc, &w[i].ws, err);
        if (!rc)
            sim_workspace_set_cancel(w[i].ws, c->cancel);
    }
    int ranks = sim_cluster_size(c->cluster);
    sim_pool_job job = {.nblocks = nblocks, .nthreads = nt,
                        .window = c->cluster ? 2 * (nt + 1) * ranks : 2 * nt,
                        .work = work, .commit = commit, .ctx = w,
                        .cancel = c->cluster ? c->cancel : NULL};
#ifdef SIM_MPI
    job.pack = pack;
    job.commit_packed = commit_packed;
    if (c->cluster)
        rc = run_cluster(c, &job, rc, err);
#endif
    if (!rc && !c->cluster)
        rc = sim_pool_run(&job, err);
    for (int i = 0; w && i < nt; i++) {
        sim_workspace_free(w[i].ws);
        if (w[i].row)
            fclose(w[i].row);
        free(w[i].cnt);
    }
    free(w);
    return rc;
}

/* Each target's rounds and column under the loaded scenario. */
static int place_targets(calib_ctx *c, sim_err *err)
{
    /* sim_scenario_load (check_start) read the start with this format's
     * "%4d-%2d" before its "%c": both values are there */
    int y = 0, mo = 0;
    sscanf(c->sc->start, "%4d-%2d", &y, &mo);
    sim_score_calendar cal = {y, mo, c->sc->round_months, c->sc->rounds};
    c->ncols = sim_columns_list(c->sc, c->cols);
    c->need_rounds = false;
    for (int t = 0; t < c->ts.n; t++) {
        const sim_target *tg = &c->ts.t[t];
        c->col[t] = -1;
        c->status[t] = NULL;
        if (tg->in_runs) {
            for (int k = 0; k < c->ncols && c->col[t] < 0; k++)
                if (c->cols[k].in_runs && !strcmp(c->cols[k].name, tg->quantity))
                    c->col[t] = k;
        } else {
            for (int k = 0; sim_columns_round_name(k) && c->col[t] < 0; k++)
                if (!strcmp(sim_columns_round_name(k), tg->quantity))
                    c->col[t] = k;
            int rc = sim_target_rounds(tg, &cal, &c->from[t], &c->to[t], err);
            if (rc)
                return rc;
            if (c->to[t] < 1)
                c->status[t] = "before_start";
            else if (c->from[t] > cal.rounds)
                c->status[t] = "after_end";
            else if (c->from[t] < 1 || c->to[t] > cal.rounds)
                c->status[t] = "partly_outside";
            else
                c->need_rounds = true;
        }
        if (c->col[t] < 0)
            return sim_error(err, SIM_E_USAGE,
                             "%s:%d: observation '%s': '%s' is not a column "
                             "of %s",
                             c->ts.file, tg->line, tg->id, tg->quantity,
                             tg->in_runs ? "runs.csv" : "rounds.csv");
    }
    return 0;
}

/* The moments of target t from the last evaluation's values. */
static void moments(calib_ctx *c, int t, double *tmp)
{
    long n = 0;
    for (long r = 0; r < c->nrep; r++) {
        double v = c->value[(size_t)t * (size_t)c->nrep + (size_t)r];
        if (isfinite(v))
            tmp[n++] = v;
    }
    double sum = 0, ss = 0;
    for (long i = 0; i < n; i++)
        sum += tmp[i];
    double mean = n > 0 ? sum / (double)n : NAN;
    for (long i = 0; i < n; i++)
        ss += (tmp[i] - mean) * (tmp[i] - mean);
    qsort(tmp, (size_t)n, sizeof *tmp, cmp_double);
    c->m.n[t] = n;
    c->m.mean[t] = mean;
    c->m.var[t] = n > 1 ? ss / (double)(n - 1) : NAN;
    c->m.q05[t] = n > 0 ? sim_score_quantile(tmp, (size_t)n, 0.05) : NAN;
    c->m.q95[t] = n > 0 ? sim_score_quantile(tmp, (size_t)n, 0.95) : NAN;
    if (isfinite(mean)) {
        if (!(mean >= c->min_mean[t]))
            c->min_mean[t] = mean;
        if (!(mean <= c->max_mean[t]))
            c->max_mean[t] = mean;
    }
}

int calib_eval(calib_ctx *c, const double *x, sim_err *err)
{
    char(*sets)[SIM_PATH_MAX + 32] = malloc(sizeof *sets * SIM_CALIB_MAX_PARAMS);
    const char *ptrs[SIM_CALIB_MAX_PARAMS];
    double *tmp = malloc(((size_t)c->nrep + 1) * sizeof *tmp);
    int rc = 0;
    if (!sets || !tmp)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    for (int i = 0; !rc && i < c->c->nparams; i++) {
        snprintf(sets[i], SIM_PATH_MAX + 32, "%s=%.17g", c->c->param[i].key,
                 x[i]);
        ptrs[i] = sets[i];
    }
    if (!rc)
        rc = sim_scenario_load(c->sc, c->reg, c->c->scenario, ptrs,
                               c->c->nparams, NULL, err);
    if (!rc) {
        c->sc->replications = (int)c->nrep;
        c->sc->seed = (int64_t)c->c->seed;
        rc = place_targets(c, err);
    }
    rc = run_reps(c, rc, err);
    if (!rc && tmp) { /* (run_reps passed on a failure to allocate) */
        c->simulations += c->nrep;
        for (int t = 0; t < c->ts.n; t++)
            moments(c, t, tmp);
    }
    free(sets);
    free(tmp);
    return rc;
}
