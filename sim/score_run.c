/* score_run.c - `sanctionsim score`: each target of a targets file against
 * the ensemble of a result directory (one value per replication, from
 * runs.csv or accumulated over rounds.csv's rows), scored with the fair
 * CRPS or the fair Brier score, the randomised PIT and the central
 * intervals, into score.csv. */
#include "score_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include <sanctionsim/rng.h>

#include "config_util_impl.h"
#include "csvread.h"

/* The PIT's random stream: purpose code, one stream per target. */
#define SCORE_STREAM_PIT 0x500

/* A replication id and its row in runs.csv. */
typedef struct score_rep {
    uint64_t id;
    long row;
} score_rep;

/* What the scoring works on: the targets, the run's calendar and
 * replications, and per (target, replication) the accumulated value. */
typedef struct score_ctx {
    const sim_score_opts *o;
    sim_targets ts;
    sim_score_calendar cal;
    long nrep;
    uint64_t *rep_id; /* runs.csv's `rep`, in row order */
    score_rep *order; /* (rep_id, row) sorted by rep_id */
    double *val;      /* [target][rep] */
    int *cnt;         /* [target][rep]: rounds seen */
    score_row *rows;
    sim_err *err;
} score_ctx;

/* ---- the run's calendar (scenario.cfg) ---- */

static int read_calendar(score_ctx *c)
{
    char path[SIM_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/scenario.cfg", c->o->results_dir);
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
    c->cal = (sim_score_calendar){y, m, rm, rounds};
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
    for (int t = 0; t < c->ts.n; t++) {
        const sim_target *tg = &c->ts.t[t];
        if (tg->in_runs != in_runs)
            continue;
        col[t] = column_of(h, n, tg->quantity);
        if (col[t] < 0)
            return sim_error(c->err, SIM_E_USAGE,
                             "%s:%d: observation '%s': %s has no column '%s'",
                             c->ts.file, tg->line, tg->id, path, tg->quantity);
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
        if (c->nrep == cap) {
            cap = cap ? 2 * cap : 256;
            uint64_t *ids = realloc(c->rep_id, (size_t)cap * sizeof *ids);
            if (!ids)
                return sim_error(c->err, SIM_E_NOMEM, "out of memory");
            c->rep_id = ids;
        }
        if (r->nfields <= rep_col)
            return sim_error(c->err, SIM_E_USAGE, "%s:%ld: too few fields",
                             r->path, r->record_line);
        c->rep_id[c->nrep++] = strtoull(r->field[rep_col], NULL, 10);
    }
    if (rc < 0 || c->nrep == 0) {
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
    size_t n = (size_t)c->ts.n * (size_t)c->nrep;
    c->val = malloc(n * sizeof *c->val);
    c->cnt = calloc(n, sizeof *c->cnt);
    c->order = malloc((size_t)c->nrep * sizeof *c->order);
    if (!c->val || !c->cnt || !c->order)
        return sim_error(c->err, SIM_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        c->val[i] = 0.0;
    for (long i = 0; i < c->nrep; i++)
        c->order[i] = (score_rep){c->rep_id[i], i};
    qsort(c->order, (size_t)c->nrep, sizeof *c->order, cmp_rep);
    return 0;
}

/* runs.csv: its replications, then (second pass) the values of the
 * targets on its columns. */
static int read_runs(score_ctx *c)
{
    char path[SIM_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/runs.csv", c->o->results_dir);
    int *col = calloc((size_t)c->ts.n + 1, sizeof *col);
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
        if (row >= c->nrep) {
            rc = sim_error(c->err, SIM_E_IO, "%s changed while read", path);
            break;
        }
        for (int t = 0; t < c->ts.n && row >= 0 && !rc; t++) {
            if (!c->ts.t[t].in_runs)
                continue;
            double v;
            if (col[t] >= r.nfields || !field_number(r.field[col[t]], &v))
                rc = sim_error(c->err, SIM_E_USAGE,
                               "%s:%ld: column '%s' is not a number", path,
                               r.record_line, c->ts.t[t].quantity);
            else
                c->val[(size_t)t * (size_t)c->nrep + (size_t)row] = v;
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
    long lo = 0, hi = c->nrep - 1;
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

/* Whether a round's field satisfies an event's comparison. */
static bool event_holds(const sim_target *t, const char *field, double v)
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
    const sim_target *tg = &c->ts.t[t];
    size_t k = (size_t)t * (size_t)c->nrep + (size_t)rep;
    c->cnt[k]++;
    if (tg->stat == SIM_TARGET_EVENT) {
        if (event_holds(tg, field, v))
            c->val[k] = 1.0;
    } else if (tg->stat == SIM_TARGET_SUM) {
        c->val[k] += v;
    } else {
        c->val[k] = v;
    }
}

/* Whether any rounds.csv target lies inside the run's rounds. */
static bool need_rounds(const score_ctx *c, int *first)
{
    for (int t = 0; t < c->ts.n; t++) {
        const score_row *r = &c->rows[t];
        if (!c->ts.t[t].in_runs && !r->status) {
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
    snprintf(path, sizeof path, "%s/rounds.csv", c->o->results_dir);
    sim_csvread r = {0};
    int rc = sim_csvread_open(&r, path, c->err);
    if (rc) {
        int first = 0;
        need_rounds(c, &first);
        return sim_error(c->err, SIM_E_USAGE,
                         "%s: no rounds.csv: run with --trace to score "
                         "observations of rounds.csv columns (%s:%d: '%s')",
                         c->o->results_dir, c->ts.file, c->ts.t[first].line,
                         c->ts.t[first].id);
    }
    int *mycol = malloc(((size_t)c->ts.n + 1) * sizeof *mycol);
    if (!mycol) {
        sim_csvread_close(&r);
        return sim_error(c->err, SIM_E_NOMEM, "out of memory");
    }
    memcpy(mycol, col, (size_t)c->ts.n * sizeof *mycol);
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
        for (int t = 0; t < c->ts.n && !rc; t++) {
            const score_row *row = &c->rows[t];
            if (c->ts.t[t].in_runs || row->status || round < row->from_round ||
                round > row->to_round)
                continue;
            double v = NAN;
            const sim_target *tg = &c->ts.t[t];
            bool text = tg->stat == SIM_TARGET_EVENT &&
                        tg->op == SIM_OP_CONTAINS;
            const char *f = mycol[t] < r.nfields ? r.field[mycol[t]] : NULL;
            if (!f || (!text && !field_number(f, &v)))
                rc = sim_error(c->err, SIM_E_USAGE,
                               "%s:%ld: column '%s' is not a number", path,
                               r.record_line, c->ts.t[t].quantity);
            else
                accumulate(c, t, rep, f, v);
        }
    }
    sim_csvread_close(&r);
    free(mycol);
    return rc;
}

/* ---- the scores ---- */

/* The rounds of each target, and the status of those outside the run. */
static int place_targets(score_ctx *c)
{
    if (!c->rows)
        return sim_error(c->err, SIM_E_INTERNAL, "no rows");
    for (int t = 0; t < c->ts.n; t++) {
        score_row *r = &c->rows[t];
        r->t = &c->ts.t[t];
        r->crps = r->brier = r->pit = NAN;
        r->mean = r->sd = r->q05 = r->q25 = r->q50 = r->q75 = r->q95 = NAN;
        r->in50 = r->in90 = -1;
        if (r->t->in_runs)
            continue;
        int rc = sim_target_rounds(r->t, &c->cal, &r->from_round,
                                   &r->to_round, c->err);
        if (rc)
            return rc;
        if (r->to_round < 1)
            r->status = "before_start";
        else if (r->from_round > c->cal.rounds)
            r->status = "after_end";
        else if (r->from_round < 1 || r->to_round > c->cal.rounds)
            r->status = "partly_outside";
    }
    return 0;
}

/* Scores target t from its ensemble, with u the PIT's uniform draw;
 * false if it has too few replications. */
static bool score_one(score_ctx *c, int t, double *x, double u)
{
    score_row *r = &c->rows[t];
    const sim_target *tg = r->t;
    size_t m = 0, k = 0;
    size_t span = tg->in_runs ? 0 : (size_t)(r->to_round - r->from_round + 1);
    for (long i = 0; i < c->nrep; i++) {
        size_t j = (size_t)t * (size_t)c->nrep + (size_t)i;
        double v = c->val[j];
        /* runs.csv events: an empty field ("never") does not satisfy */
        if (tg->stat == SIM_TARGET_EVENT && tg->in_runs)
            v = event_holds(tg, "", v) ? 1.0 : 0.0;
        /* rounds.csv: only replications that ran the whole period */
        if (isnan(v) || (!tg->in_runs && (size_t)c->cnt[j] < span))
            continue;
        x[m++] = v;
        k += v != 0.0;
    }
    r->n = m;
    if (m < 2) {
        r->status = "undefined";
        return false;
    }
    r->status = "scored";
    r->mean = gsl_stats_mean(x, 1, m);
    r->sd = gsl_stats_sd(x, 1, m);
    r->pit = sim_score_pit(x, m, tg->value, u);
    if (tg->stat == SIM_TARGET_EVENT) {
        r->brier = sim_score_brier_fair(k, m, tg->value);
        return true;
    }
    r->crps = sim_score_crps_fair(x, m, tg->value); /* sorts x */
    r->q05 = sim_score_quantile(x, m, 0.05);
    r->q25 = sim_score_quantile(x, m, 0.25);
    r->q50 = sim_score_quantile(x, m, 0.50);
    r->q75 = sim_score_quantile(x, m, 0.75);
    r->q95 = sim_score_quantile(x, m, 0.95);
    r->in50 = tg->value >= r->q25 && tg->value <= r->q75;
    r->in90 = tg->value >= r->q05 && tg->value <= r->q95;
    return true;
}

/* Scores every target in range and fills the summary. */
static int score_all(score_ctx *c, sim_score_summary *s)
{
    double *x = malloc((size_t)c->nrep * sizeof *x);
    gsl_rng *g = gsl_rng_alloc(sim_rng_xoshiro256ss);
    if (!x || !g) {
        free(x);
        if (g)
            gsl_rng_free(g);
        return sim_error(c->err, SIM_E_NOMEM, "out of memory");
    }
    *s = (sim_score_summary){.targets = c->ts.n, .replications = c->nrep};
    double crps = 0.0, brier = 0.0;
    for (int t = 0; t < c->ts.n; t++) {
        score_row *r = &c->rows[t];
        sim_rng_seed_stream(g, c->o->seed, (uint64_t)t, SCORE_STREAM_PIT);
        double u = gsl_rng_uniform(g);
        if (r->status) {
            s->outside++;
            continue;
        }
        if (!score_one(c, t, x, u)) {
            s->undefined++;
            continue;
        }
        s->scored++;
        if (!isnan(r->brier)) {
            s->n_brier++;
            brier += r->brier;
        } else {
            s->n_crps++;
            crps += r->crps;
            s->n_interval++;
            s->in50 += r->in50;
            s->in90 += r->in90;
        }
    }
    s->mean_crps = s->n_crps ? crps / s->n_crps : NAN;
    s->mean_brier = s->n_brier ? brier / s->n_brier : NAN;
    free(x);
    gsl_rng_free(g);
    return 0;
}

static void free_ctx(score_ctx *c)
{
    sim_targets_free(&c->ts);
    free(c->rep_id);
    free(c->order);
    free(c->val);
    free(c->cnt);
    free(c->rows);
}

int sim_score_run(const sim_score_opts *o, sim_score_summary *sum,
                  sim_err *err)
{
    sim_error_quiet_gsl();
    if (!o || !o->results_dir || !o->targets_path || !sum)
        return sim_error(err, SIM_E_USAGE,
                         "score needs a result directory and a targets file");
    score_ctx c = {.o = o, .err = err};
    int rc = sim_targets_load(o->targets_path, &c.ts, err);
    if (!rc)
        rc = read_calendar(&c);
    if (!rc && !(c.rows = calloc((size_t)c.ts.n, sizeof *c.rows)))
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    if (!rc)
        rc = place_targets(&c);
    if (!rc)
        rc = read_runs(&c);
    int first = 0, *col = NULL;
    if (!rc && need_rounds(&c, &first)) {
        col = calloc((size_t)c.ts.n + 1, sizeof *col);
        if (!col)
            rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        else
            rc = read_rounds(&c, col);
        free(col);
    }
    if (!rc)
        rc = score_all(&c, sum);
    char out[SIM_PATH_MAX + 16];
    if (o->output)
        snprintf(out, sizeof out, "%s", o->output);
    else
        snprintf(out, sizeof out, "%s/score.csv", o->results_dir);
    if (!rc)
        rc = sim_score_write(out, o->force, c.rows, c.ts.n, err);
    free_ctx(&c);
    return rc;
}
