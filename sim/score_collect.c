/* score_collect.c - the ensembles of a result directory for a set of
 * targets (sim_score_collect): the run's calendar from scenario.cfg, one
 * value per replication from runs.csv, or accumulated over the rounds of
 * each target's period from rounds.csv. */
#include <sanctionsim/score.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_util_impl.h"
#include "csvread.h"
#include "score_impl.h"

/* A replication id and its row in runs.csv. */
typedef struct score_rep {
    uint64_t id;
    long row;
} score_rep;

/* What the collection works on: the targets, the result, the row order
 * of the replication ids, and per (target, replication) the rounds seen. */
typedef struct score_ctx {
    const char *dir;
    const sim_targets *ts;
    sim_score_ensembles *e;
    score_rep *order; /* (rep id, row) sorted by rep id */
    int *cnt;         /* [target][rep]: rounds seen */
    sim_err *err;
} score_ctx;

/* ---- the run's calendar (scenario.cfg) ---- */

static int read_calendar(score_ctx *c)
{
    char path[SIM_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/scenario.cfg", c->dir);
    config_t cfg;
    int rc = sim_cfg_read_file(&cfg, path, false, c->err);
    const char *start = NULL;
    int rm = 0, rounds = 0;
    if (!rc && (!config_lookup_string(&cfg, "start", &start) ||
                !config_lookup_int(&cfg, "round_months", &rm) ||
                !config_lookup_int(&cfg, "rounds", &rounds) || rm < 1 ||
                rounds < 1 || strlen(start) != 7))
        rc = sim_error(c->err, SIM_E_USAGE,
                       "%s: no start (YYYY-MM), round_months and rounds: not "
                       "the scenario of a result directory",
                       path);
    int y = 0, m = 0;
    if (!rc && (sscanf(start, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12))
        rc = sim_error(c->err, SIM_E_USAGE, "%s: start '%s' is not YYYY-MM",
                       path, start);
    config_destroy(&cfg);
    c->e->cal = (sim_score_calendar){y, m, rm, rounds};
    return rc;
}

/* ---- runs.csv ---- */

/* The column of header h (n fields) named name, or -1. */
static int column_of(char **h, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(h[i], name))
            return i;
    return -1;
}

/* A field as a number: NaN for an empty field; false if malformed. */
static bool field_number(const char *s, double *v)
{
    if (!s[0]) {
        *v = NAN;
        return true;
    }
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return *end == '\0' && end != s;
}

/* Each target's column index in header h, for the targets of one file
 * (in_runs); a target whose column is missing is an error naming it. */
static int map_columns(score_ctx *c, char **h, int n, bool in_runs,
                       const char *path, int *col)
{
    for (int t = 0; t < c->ts->n; t++) {
        const sim_target *tg = &c->ts->t[t];
        if (tg->in_runs != in_runs)
            continue;
        col[t] = column_of(h, n, tg->quantity);
        if (col[t] < 0)
            return sim_error(c->err, SIM_E_USAGE,
                             "%s:%d: observation '%s': %s has no column '%s'",
                             c->ts->file, tg->line, tg->id, path, tg->quantity);
    }
    return 0;
}

static int cmp_rep(const void *a, const void *b)
{
    uint64_t x = ((const score_rep *)a)->id, y = ((const score_rep *)b)->id;
    return (x > y) - (x < y);
}

/* Reads runs.csv's rows: the replication ids and the runs.csv targets. */
static int read_runs_rows(score_ctx *c, sim_csvread *r, int rep_col)
{
    long cap = 0;
    int rc;
    while ((rc = sim_csvread_next(r, c->err)) == 1) {
        if (c->e->nrep == cap) {
            cap = cap ? 2 * cap : 256;
            uint64_t *ids = realloc(c->e->rep, (size_t)cap * sizeof *ids);
            if (!ids)
                return sim_error(c->err, SIM_E_NOMEM, "out of memory");
            c->e->rep = ids;
        }
        if (r->nfields <= rep_col)
            return sim_error(c->err, SIM_E_USAGE, "%s:%ld: too few fields",
                             r->path, r->record_line);
        c->e->rep[c->e->nrep++] = strtoull(r->field[rep_col], NULL, 10);
    }
    if (rc < 0 || c->e->nrep == 0) {
        if (!rc)
            rc = sim_error(c->err, SIM_E_USAGE, "%s: no replications",
                           r->path);
        return rc;
    }
    return 0;
}

/* Allocates the per-(target, replication) arrays. */
static int alloc_values(score_ctx *c)
{
    size_t n = (size_t)c->ts->n * (size_t)c->e->nrep;
    c->e->value = malloc((n + 1) * sizeof *c->e->value);
    c->cnt = calloc(n + 1, sizeof *c->cnt);
    c->order = malloc(((size_t)c->e->nrep + 1) * sizeof *c->order);
    if (!c->e->value || !c->cnt || !c->order)
        return sim_error(c->err, SIM_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        c->e->value[i] = 0.0;
    for (long i = 0; i < c->e->nrep; i++)
        c->order[i] = (score_rep){c->e->rep[i], i};
    qsort(c->order, (size_t)c->e->nrep, sizeof *c->order, cmp_rep);
    return 0;
}

/* runs.csv: its replications, then (second pass) the values of the
 * targets on its columns. */
static int read_runs(score_ctx *c)
{
    char path[SIM_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/runs.csv", c->dir);
    int *col = calloc((size_t)c->ts->n + 1, sizeof *col);
    if (!col)
        return sim_error(c->err, SIM_E_NOMEM, "out of memory");
    sim_csvread r = {0};
    int rc = sim_csvread_open(&r, path, c->err);
    if (!rc && (rc = sim_csvread_next(&r, c->err)) == 0)
        rc = sim_error(c->err, SIM_E_USAGE, "%s is empty", path);
    int rep_col = -1;
    if (rc == 1) {
        rep_col = column_of(r.field, r.nfields, "rep");
        rc = map_columns(c, r.field, r.nfields, true, path, col);
        if (!rc && rep_col < 0)
            rc = sim_error(c->err, SIM_E_USAGE, "%s has no column 'rep'",
                           path);
    }
    if (!rc)
        rc = read_runs_rows(c, &r, rep_col);
    sim_csvread_close(&r);
    if (!rc)
        rc = alloc_values(c);
    /* second pass: the values */
    if (!rc)
        rc = sim_csvread_open(&r, path, c->err);
    for (long row = -1; !rc; row++) {
        int got = sim_csvread_next(&r, c->err);
        if (got <= 0) {
            rc = got;
            break;
        }
        if (row >= c->e->nrep) {
            rc = sim_error(c->err, SIM_E_IO, "%s changed while read", path);
            break;
        }
        for (int t = 0; t < c->ts->n && row >= 0 && !rc; t++) {
            if (!c->ts->t[t].in_runs)
                continue;
            double v;
            if (col[t] >= r.nfields || !field_number(r.field[col[t]], &v))
                rc = sim_error(c->err, SIM_E_USAGE,
                               "%s:%ld: column '%s' is not a number", path,
                               r.record_line, c->ts->t[t].quantity);
            else
                c->e->value[(size_t)t * (size_t)c->e->nrep + (size_t)row] = v;
        }
    }
    sim_csvread_close(&r);
    free(col);
    return rc;
}

/* ---- rounds.csv ---- */

/* The row index of replication id, or -1. */
static long rep_index(const score_ctx *c, uint64_t id)
{
    long lo = 0, hi = c->e->nrep - 1;
    if (!c->order)
        return -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        uint64_t x = c->order[mid].id;
        if (x == id)
            return c->order[mid].row;
        if (x < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

bool sim_score_event_holds(const sim_target *t, const char *field, double v)
{
    if (t->op == SIM_OP_CONTAINS) {
        size_t len = strlen(t->match);
        for (const char *p = field; *p;) {
            const char *e = strchr(p, ';');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (n == len && !strncmp(p, t->match, len))
                return true;
            p += n + (e != NULL);
        }
        return false;
    }
    if (isnan(v))
        return false;
    switch (t->op) {
    case SIM_OP_GT:
        return v > t->threshold;
    case SIM_OP_GE:
        return v >= t->threshold;
    case SIM_OP_LT:
        return v < t->threshold;
    case SIM_OP_LE:
        return v <= t->threshold;
    case SIM_OP_EQ:
        return v == t->threshold;
    default:
        return v != t->threshold;
    }
}

/* Adds one round's field to target t's value of replication rep. */
static void accumulate(score_ctx *c, int t, long rep, const char *field,
                       double v)
{
    const sim_target *tg = &c->ts->t[t];
    size_t k = (size_t)t * (size_t)c->e->nrep + (size_t)rep;
    c->cnt[k]++;
    if (tg->stat == SIM_TARGET_EVENT) {
        if (sim_score_event_holds(tg, field, v))
            c->e->value[k] = 1.0;
    } else if (tg->stat == SIM_TARGET_SUM) {
        c->e->value[k] += v;
    } else {
        c->e->value[k] = v;
    }
}

/* Whether any rounds.csv target lies inside the run's rounds. */
static bool need_rounds(const score_ctx *c, int *first)
{
    for (int t = 0; t < c->ts->n; t++) {
        if (!c->ts->t[t].in_runs && !c->e->status[t]) {
            *first = t;
            return true;
        }
    }
    return false;
}

/* Long: one pass over rounds.csv, each row handed to the targets whose
 * period holds its round, with the checks of its fields. */
static int read_rounds(score_ctx *c, const int *col)
{
    char path[SIM_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/rounds.csv", c->dir);
    sim_csvread r = {0};
    int rc = sim_csvread_open(&r, path, c->err);
    if (rc && rc != SIM_E_USAGE)
        return rc; /* out of memory or unreadable: as the reader says */
    if (rc) {
        int first = 0;
        need_rounds(c, &first);
        return sim_error(c->err, SIM_E_USAGE,
                         "%s: no rounds.csv: run with --trace to score "
                         "observations of rounds.csv columns (%s:%d: '%s')",
                         c->dir, c->ts->file, c->ts->t[first].line,
                         c->ts->t[first].id);
    }
    int *mycol = malloc(((size_t)c->ts->n + 1) * sizeof *mycol);
    if (!mycol) {
        sim_csvread_close(&r);
        return sim_error(c->err, SIM_E_NOMEM, "out of memory");
    }
    memcpy(mycol, col, (size_t)c->ts->n * sizeof *mycol);
    if ((rc = sim_csvread_next(&r, c->err)) == 0)
        rc = sim_error(c->err, SIM_E_USAGE, "%s is empty", path);
    int rep_col = -1, round_col = -1;
    if (rc == 1) {
        rep_col = column_of(r.field, r.nfields, "rep");
        round_col = column_of(r.field, r.nfields, "round");
        rc = map_columns(c, r.field, r.nfields, false, path, mycol);
        if (!rc && (rep_col < 0 || round_col < 0))
            rc = sim_error(c->err, SIM_E_USAGE,
                           "%s has no columns 'rep' and 'round'", path);
    }
    while (!rc && (rc = sim_csvread_next(&r, c->err)) == 1) {
        rc = 0;
        if (r.nfields <= rep_col || r.nfields <= round_col) {
            rc = sim_error(c->err, SIM_E_USAGE, "%s:%ld: too few fields",
                           path, r.record_line);
            break;
        }
        long rep = rep_index(c, strtoull(r.field[rep_col], NULL, 10));
        int round = atoi(r.field[round_col]);
        if (rep < 0) {
            rc = sim_error(c->err, SIM_E_USAGE,
                           "%s:%ld: replication %s is not in runs.csv", path,
                           r.record_line, r.field[rep_col]);
            break;
        }
        for (int t = 0; t < c->ts->n && !rc; t++) {
            if (c->ts->t[t].in_runs || c->e->status[t] ||
                round < c->e->from_round[t] || round > c->e->to_round[t])
                continue;
            double v = NAN;
            const sim_target *tg = &c->ts->t[t];
            bool text = tg->stat == SIM_TARGET_EVENT &&
                        tg->op == SIM_OP_CONTAINS;
            const char *f = mycol[t] < r.nfields ? r.field[mycol[t]] : NULL;
            if (!f || (!text && !field_number(f, &v)))
                rc = sim_error(c->err, SIM_E_USAGE,
                               "%s:%ld: column '%s' is not a number", path,
                               r.record_line, c->ts->t[t].quantity);
            else
                accumulate(c, t, rep, f, v);
        }
    }
    sim_csvread_close(&r);
    free(mycol);
    return rc;
}

/* The rounds of each target, and the status of those outside the run;
 * allocates the per-target arrays. */
static int place_targets(score_ctx *c)
{
    sim_score_ensembles *e = c->e;
    e->ntargets = c->ts->n;
    e->from_round = calloc((size_t)e->ntargets + 1, sizeof *e->from_round);
    e->to_round = calloc((size_t)e->ntargets + 1, sizeof *e->to_round);
    e->status = calloc((size_t)e->ntargets + 1, sizeof *e->status);
    if (!e->from_round || !e->to_round || !e->status)
        return sim_error(c->err, SIM_E_NOMEM, "out of memory");
    for (int t = 0; t < e->ntargets; t++) {
        const sim_target *tg = &c->ts->t[t];
        if (tg->in_runs)
            continue;
        int rc = sim_target_rounds(tg, &e->cal, &e->from_round[t],
                                   &e->to_round[t], c->err);
        if (rc)
            return rc;
        if (e->to_round[t] < 1)
            e->status[t] = "before_start";
        else if (e->from_round[t] > e->cal.rounds)
            e->status[t] = "after_end";
        else if (e->from_round[t] < 1 || e->to_round[t] > e->cal.rounds)
            e->status[t] = "partly_outside";
    }
    return 0;
}

/* The values as the ensembles give them: events of runs.csv as 1/0 (an
 * empty field, "never", does not satisfy), NaN for a replication that
 * did not run a target's whole period and for every replication of a
 * target outside the run. */
static void finish_values(score_ctx *c)
{
    const sim_score_ensembles *e = c->e;
    if (!c->cnt || !e->value)
        return;
    for (int t = 0; t < e->ntargets; t++) {
        const sim_target *tg = &c->ts->t[t];
        size_t span = tg->in_runs ? 0
                                  : (size_t)(e->to_round[t] - e->from_round[t] + 1);
        for (long i = 0; i < e->nrep; i++) {
            size_t j = (size_t)t * (size_t)e->nrep + (size_t)i;
            if (tg->stat == SIM_TARGET_EVENT && tg->in_runs)
                e->value[j] = sim_score_event_holds(tg, "", e->value[j]) ? 1.0 : 0.0;
            if (e->status[t] || (!tg->in_runs && (size_t)c->cnt[j] < span))
                e->value[j] = NAN;
        }
    }
}

int sim_score_collect(const char *results_dir, const sim_targets *ts,
                      sim_score_ensembles *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    if (!results_dir || !ts || ts->n < 1)
        return sim_error(err, SIM_E_USAGE,
                         "sim_score_collect needs a result directory and "
                         "targets");
    score_ctx c = {.dir = results_dir, .ts = ts, .e = out, .err = err};
    int rc = read_calendar(&c);
    if (!rc)
        rc = place_targets(&c);
    if (!rc)
        rc = read_runs(&c);
    int first = 0;
    if (!rc && need_rounds(&c, &first)) {
        int *col = calloc((size_t)ts->n + 1, sizeof *col);
        if (!col)
            rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        else
            rc = read_rounds(&c, col);
        free(col);
    }
    if (!rc)
        finish_values(&c);
    free(c.order);
    free(c.cnt);
    if (rc)
        sim_score_ensembles_free(out);
    return rc;
}

void sim_score_ensembles_free(sim_score_ensembles *e)
{
    if (!e)
        return;
    free(e->rep);
    free(e->value);
    free(e->from_round);
    free(e->to_round);
    free((void *)e->status);
    memset(e, 0, sizeof *e);
}
