/* calib_eval.c - one evaluation of a calibration in memory: the base
 * scenario with the candidate's values, its replications run on the
 * threads of an ordered pool (pool.h), each with a workspace of its own,
 * and every target's value per replication taken from the replication's
 * result (runs.csv's columns) and its rounds as rounds.csv would render
 * them, as sim_score_collect takes them from a result directory. Every
 * evaluation uses the same master seed and replications 0 .. n-1, so the
 * candidates share their random streams. */
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

static int work(void *pctx, int worker, long block, int slot, sim_err *err)
{
    calib_worker *w = &((calib_worker *)pctx)[worker];
    calib_ctx *c = w->ctx;
    (void)slot;
    long end = (block + 1) * BLOCK < c->nrep ? (block + 1) * BLOCK : c->nrep;
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

/* Runs the replications of the loaded scenario ctx->sc. */
static int run_reps(calib_ctx *c, sim_err *err)
{
    int nt = c->threads < 1 ? 1 : c->threads;
    long nblocks = (c->nrep + BLOCK - 1) / BLOCK;
    if (nt > nblocks)
        nt = (int)nblocks;
    calib_worker *w = calloc((size_t)nt, sizeof *w);
    if (!w)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    int rc = 0;
    for (int i = 0; !rc && i < nt; i++) {
        w[i].ctx = c;
        w[i].cnt = calloc((size_t)c->ts.n + 1, sizeof *w[i].cnt);
        w[i].row = fmemopen(w[i].buf, ROW_MAX, "w");
        if (!w[i].cnt || !w[i].row)
            rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        else
            rc = sim_workspace_alloc(c->sc, &w[i].ws, err);
        if (!rc)
            sim_workspace_set_cancel(w[i].ws, c->cancel);
    }
    sim_pool_job job = {.nblocks = nblocks, .nthreads = nt, .window = 2 * nt,
                        .work = work, .commit = commit, .ctx = w};
    if (!rc)
        rc = sim_pool_run(&job, err);
    for (int i = 0; i < nt; i++) {
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
    int y = 0, mo = 0;
    if (sscanf(c->sc->start, "%4d-%2d", &y, &mo) != 2)
        return sim_error(err, SIM_E_USAGE, "%s: start '%s' is not YYYY-MM",
                         c->c->scenario, c->sc->start);
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
    if (!rc)
        rc = run_reps(c, err);
    if (!rc) {
        c->simulations += c->nrep;
        for (int t = 0; t < c->ts.n; t++)
            moments(c, t, tmp);
    }
    free(sets);
    free(tmp);
    return rc;
}
