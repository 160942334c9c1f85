/* experiment_scenario.c - the simulator as a sweep's point model: each
 * design point is the base scenario with the factors' values as --set
 * overrides, run by sim_batch_run (the same master seed at every point:
 * common random numbers) into a folder of the sweep's temporary
 * directory, whose rows are then appended to the sweep's runs.csv and
 * summary.csv behind the point's number. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment_impl.h"
#include <sanctionsim/rng.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/suggest.h>

/* The purpose code that turns the dummy's value into a master seed. */
#define DUMMY_STREAM 0x600u

typedef struct scenario_model {
    const sim_experiment *e;
    const struct sim_registry *reg;
    const atomic_int *cancel;
    int threads; /* each point's batch runs on these */
    const sim_cluster *cluster; /* ... over these ranks (NULL: alone) */
    sim_scenario *sc; /* one point's scenario (large: on the heap) */
    char point_dir[SIM_PATH_MAX];
    FILE *runs, *summary;
    char *header; /* runs.csv's header of the first point */
} scenario_model;

/* The --set texts of point x into sets (n each of size SIM_TEXT_MAX);
 * returns their number (the dummy has no key). */
static int point_sets(const sim_experiment *e, const double *x,
                      char (*sets)[SIM_PATH_MAX + 32])
{
    int n = 0;
    for (int i = 0; i < e->nfactors; i++) {
        if (!e->factor[i].key[0])
            continue;
        if (e->factor[i].boolean)
            snprintf(sets[n++], SIM_PATH_MAX + 32, "%s=%s", e->factor[i].key,
                     x[i] != 0 ? "true" : "false");
        else
            snprintf(sets[n++], SIM_PATH_MAX + 32, "%s=%.17g",
                     e->factor[i].key, x[i]);
    }
    return n;
}

/* Loads the base scenario at point x into *sc. */
static int load_point(const sim_experiment *e, const struct sim_registry *reg,
                      const double *x, sim_scenario *sc, sim_err *err)
{
    static const int max = SIM_DESIGN_MAX_FACTORS;
    char(*sets)[SIM_PATH_MAX + 32] = malloc(sizeof *sets * (size_t)max);
    const char *ptrs[SIM_DESIGN_MAX_FACTORS];
    if (!sets)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    int n = point_sets(e, x, sets);
    for (int i = 0; i < n; i++)
        ptrs[i] = sets[i];
    int rc = sim_scenario_load(sc, reg, e->scenario, ptrs, n, NULL, err);
    free(sets);
    return rc;
}

/* Prefixes err's message with the design point and the experiment. */
static int at_point(const sim_experiment *e, long p, int rc, sim_err *err)
{
    char msg[SIM_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return sim_error(err, rc, "%s: design point %ld: %s", e->file, p, msg);
}

/* Reopens a resumed sweep's runs.csv and summary.csv for appending; the
 * runs header (behind "point,") from the first line. */
static int reopen_model(scenario_model *m, const char *tmp_dir, sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/runs.csv", tmp_dir);
    FILE *in = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    if (in && getline(&line, &cap, in) > 6 && !strncmp(line, "point,", 6))
        m->header = strdup(line + 6);
    free(line);
    if (in)
        fclose(in);
    m->runs = fopen(path, "a");
    snprintf(path, sizeof path, "%s/summary.csv", tmp_dir);
    m->summary = fopen(path, "a");
    if (!m->header || !m->runs || !m->summary)
        return sim_error(err, SIM_E_IO, "cannot reopen the files in %s",
                         tmp_dir);
    return 0;
}

static int model_lengths(void *ctx, long *runs, long *summary, sim_err *err)
{
    scenario_model *m = ctx;
    if (fflush(m->runs) != 0 || fflush(m->summary) != 0)
        return sim_error(err, SIM_E_IO, "cannot write runs.csv (disk full?)");
    *runs = ftell(m->runs);
    *summary = ftell(m->summary);
    return 0;
}

static int open_model(void *ctx, const char *tmp_dir, bool resume,
                      sim_err *err)
{
    scenario_model *m = ctx;
    snprintf(m->point_dir, sizeof m->point_dir, "%s/point", tmp_dir);
    if (resume)
        return reopen_model(m, tmp_dir, err);
    m->runs = sim_sweep_open_file(tmp_dir, "runs.csv", err);
    if (m->runs)
        m->summary = sim_sweep_open_file(tmp_dir, "summary.csv", err);
    if (!m->summary)
        return err->code;
    /* summary.csv's header behind "point," */
    fputs("point,", m->summary);
    return sim_stats_write_header(m->summary, err);
}

/* Appends the point's runs.csv to the sweep's, each row behind p; checks
 * that every point has the first point's columns. */
static int append_runs(scenario_model *m, long p, sim_err *err)
{
    char path[SIM_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/runs.csv", m->point_dir);
    FILE *in = fopen(path, "r");
    if (!in)
        return sim_error(err, SIM_E_IO, "cannot read %s", path);
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    bool first = true;
    while (!rc && getline(&line, &cap, in) > 0) {
        if (first) {
            first = false;
            if (!m->header) {
                m->header = strdup(line);
                fprintf(m->runs, "point,%s", line);
            } else if (strcmp(m->header, line) != 0) {
                rc = sim_error(err, SIM_E_INTERNAL,
                               "the columns of runs.csv differ from those "
                               "of point 0");
            }
            continue;
        }
        fprintf(m->runs, "%ld,%s", p, line);
    }
    free(line);
    fclose(in);
    if (!rc && ferror(m->runs))
        rc = sim_error(err, SIM_E_IO, "cannot write runs.csv (disk full?)");
    return rc;
}

/* The statistic of the summary row s. */
static double statistic(const sim_summary *s, sim_statistic st)
{
    switch (st) {
    case SIM_STATISTIC_P05:
        return s->p05;
    case SIM_STATISTIC_P25:
        return s->p25;
    case SIM_STATISTIC_MEDIAN:
        return s->p50;
    case SIM_STATISTIC_P75:
        return s->p75;
    case SIM_STATISTIC_P95:
        return s->p95;
    default:
        return s->mean;
    }
}

/* Picks each metric's statistic from the point's summary rows. */
static int pick(const sim_experiment *e, const sim_batch_result *r, long p,
               double *y, double *se, sim_err *err)
{
    for (int k = 0; k < e->nmetrics; k++) {
        const sim_summary *s = sim_batch_find(r, e->metric[k]);
        if (!s) {
            const char *names[SIM_MAX_COLUMNS];
            int n = r->nrows < SIM_MAX_COLUMNS ? r->nrows : SIM_MAX_COLUMNS;
            for (int i = 0; i < n; i++)
                names[i] = r->rows[i].metric;
            char hint[SIM_ERR_MSG_MAX / 2];
            sim_suggest(e->metric[k], names, n, hint, sizeof hint);
            return sim_error(err, SIM_E_SCENARIO,
                             "%s: metrics: '%s' is not a metric of "
                             "summary.csv%s",
                             e->file, e->metric[k], hint);
        }
        y[k] = statistic(s, e->statistic);
        se[k] = s->n > 0 ? s->sd / sqrt((double)s->n) : NAN;
        if (!isfinite(y[k]))
            return sim_error(err, SIM_E_NUMERIC,
                             "%s: design point %ld: metric %s has no finite "
                             "%s (%zu of %ld replications have a value): the "
                             "sweep stops rather than drop the point",
                             e->file, p, e->metric[k],
                             sim_statistic_name(e->statistic), s->n,
                             e->replications);
    }
    return 0;
}

static int eval_point(void *ctx, long p, const double *x, double *y,
                      double *se, sim_err *err)
{
    scenario_model *m = ctx;
    const sim_experiment *e = m->e;
    int rc = load_point(e, m->reg, x, m->sc, err);
    /* over a cluster, the point's batch runs only if every rank has it */
    if (m->cluster && !rc && sim_cluster_agree(m->cluster, rc, NULL))
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: design point %ld: another rank could not "
                         "load it",
                         e->file, p);
    if (m->cluster && rc)
        sim_cluster_agree(m->cluster, rc, NULL);
    if (rc)
        return at_point(e, p, rc, err);
    uint64_t seed = e->seed;
    if (e->dummy) {
        /* The dummy stands for the Monte Carlo noise: its value picks the
         * point's master seed. Points the estimators compare share it
         * (A with AB^g, but for the dummy's own AB), so they keep common
         * random numbers; the dummy's index is the share of the variance
         * that changing the random numbers alone explains. */
        double u = x[e->nfactors - 1];
        seed = sim_rng_stream_seed(e->seed, (uint64_t)(u * 4294967296.0),
                                   DUMMY_STREAM) >> 1;
    }
    m->sc->replications = (int)e->replications;
    m->sc->seed = (int64_t)seed;
    sim_batch_opts o = {.seed = seed,
                        .replications = e->replications,
                        .outdir = m->point_dir,
                        .force = true,
                        .command_line = "sanctionsim sweep (one point)",
                        .cancel = m->cancel,
                        .threads = m->threads,
                        .cluster = m->cluster};
    sim_batch_result r;
    rc = sim_batch_run(m->sc, &o, &r, err);
    if (sim_cluster_rank(m->cluster) > 0)
        return rc; /* rank 0 writes the point's rows */
    if (rc) {
        if (rc == SIM_E_INTERRUPTED)
            return rc;
        return at_point(e, p, rc, err);
    }
    rc = append_runs(m, p, err);
    for (int i = 0; !rc && i < r.nrows; i++) {
        fprintf(m->summary, "%ld,", p);
        rc = sim_stats_write_row(m->summary, &r.rows[i], err);
    }
    if (!rc)
        rc = pick(e, &r, p, y, se, err);
    sim_batch_result_free(&r);
    sim_sweep_remove_tree(m->point_dir);
    return rc;
}

static int close_model(void *ctx, bool ok, sim_err *err)
{
    scenario_model *m = ctx;
    int rc = sim_sweep_close_file(&m->runs, "runs.csv", err);
    int rc2 = sim_sweep_close_file(&m->summary, "summary.csv", err);
    (void)ok;
    return rc ? rc : rc2;
}

int sim_sweep_plan_make(const sim_experiment *e,
                        const struct sim_registry *reg, sim_sweep_plan *plan,
                        sim_err *err)
{
    memset(plan, 0, sizeof *plan);
    sim_design d;
    int rc = sim_design_build(&d, e->factor, e->nfactors, &e->design, err);
    sim_scenario *sc = malloc(sizeof *sc);
    if (!rc && !sc)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    /* Every factor at the first and the last point: a key the scenario
     * does not have, or a value out of its range, fails here. */
    for (long p = 0; !rc && p < d.npoints; p += d.npoints > 1 ? d.npoints - 1 : 1)
        if ((rc = load_point(e, reg, d.x + p * d.nfactors, sc, err)))
            rc = at_point(e, p, rc, err);
    if (!rc) {
        plan->points = d.npoints;
        plan->runs = d.npoints * e->replications;
    }
    long n = e->design.samples;
    int g = d.ngroups;
    if (!rc && e->design.type == SIM_DESIGN_SOBOL && (n < 256 || n < 32L * g))
        snprintf(plan->warning[plan->nwarnings++], SIM_TEXT_MAX,
                 "N = %ld base samples is small for %d factors or groups "
                 "(at least %ld is usual): expect wide intervals, and check "
                 "convergence.csv",
                 n, g, 32L * g > 256 ? 32L * g : 256L);
    free(sc);
    sim_design_free(&d);
    return rc;
}

int sim_sweep_run(const sim_experiment *e, const struct sim_registry *reg,
                  const sim_sweep_opts *o, sim_sweep_result *out,
                  sim_err *err)
{
    scenario_model sm = {
        .e = e, .reg = reg, .cancel = o->cancel, .threads = o->threads,
        .cluster = o->cluster};
    sm.sc = malloc(sizeof *sm.sc);
    if (!sm.sc) {
        memset(out, 0, sizeof *out);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    sweep_model m = {open_model, eval_point,   close_model,
                     &sm,        true,         model_lengths};
    int rc = sim_sweep_core(e, &m, o, out, err);
    free(sm.sc);
    free(sm.header);
    return rc;
}
