/* experiment_sweep.c - the sweep core: builds the design, evaluates every
 * point through a point model, computes the indices and commits the
 * result directory (written beside its place, renamed into it). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_statistics_double.h>

#include "experiment_impl.h"
#include "journal.h"
#include "manifest.h"
#include "output.h"
#include "pool.h"

const char *sim_experiment_group_name(const sim_experiment *e, int g)
{
    return g >= 0 && g < e->ngroups ? e->group[g] : "?";
}

/* ---- the points and the indices ---- */

/* The journal record of point p: its statistics, then their errors. */
static int journal_point(sim_journal *j, const sweep_model *m, int nm,
                         const double *y, const double *se, sim_err *err)
{
    double v[2 * SIM_EXPERIMENT_MAX_METRICS];
    long runs = 0, summary = 0;
    int rc = m->lengths ? m->lengths(m->ctx, &runs, &summary, err) : 0;
    memcpy(v, y, sizeof *v * (size_t)nm);
    memcpy(v + nm, se, sizeof *v * (size_t)nm);
    if (!rc)
        rc = sim_journal_append(j, (uint64_t)runs, (uint64_t)summary, v, err);
    if (!rc)
        rc = sim_journal_flush(j, err);
    return rc;
}

/* Evaluates the points of out->design from `from` on through m into
 * out->stat/se, each recorded in the journal j once done. */
static int run_points(const sim_experiment *e, const sweep_model *m,
                      const sim_sweep_opts *o, long from, sim_journal *j,
                      sim_sweep_result *out, sim_err *err)
{
    const sim_design *d = &out->design;
    for (long p = from; p < d->npoints; p++) {
        if ((o->cancel && atomic_load(o->cancel)) ||
            (o->stop_after > 0 && p >= o->stop_after))
            return sim_error(err, SIM_E_INTERRUPTED,
                             "interrupted after %ld of %ld design points",
                             p, d->npoints);
        double *y = out->stat + p * e->nmetrics, *se = out->se + p * e->nmetrics;
        long cmd[2] = {p, 0}; /* the other ranks: evaluate point p */
        if (o->cluster)
            sim_cluster_share(o->cluster, cmd, 2, NULL);
        int rc = m->eval(m->ctx, p, d->x + p * d->nfactors, y, se, err);
        if (rc)
            return rc;
        for (int k = 0; k < e->nmetrics; k++)
            if (!isfinite(y[k]))
                return sim_error(err, SIM_E_NUMERIC,
                                 "design point %ld: the %s of metric %s is "
                                 "not finite; no point is dropped, so the "
                                 "sweep stops",
                                 p, sim_statistic_name(e->statistic),
                                 e->metric[k]);
        if ((rc = journal_point(j, m, e->nmetrics, y, se, err)))
            return rc;
        if (o->progress)
            o->progress(o->progress_ctx, p + 1, d->npoints);
    }
    return 0;
}

/* What sim_journal_recover gives back: point after point into out. */
typedef struct recovered {
    sim_sweep_result *out;
    long p;
} recovered;

static int recovered_point(void *ctx, const double *v, sim_err *err)
{
    recovered *r = ctx;
    int nm = r->out->nmetrics;
    (void)err;
    memcpy(r->out->stat + r->p * nm, v, sizeof *v * (size_t)nm);
    memcpy(r->out->se + r->p * nm, v + nm, sizeof *v * (size_t)nm);
    r->p++;
    return 0;
}

/* Starts or resumes the sweep in dir (DIR.partial): checks a resumed one
 * against this sweep's partial manifest and recovers its points (*done),
 * or starts the journal and writes that manifest. */
static int begin(const sim_experiment *e, const sweep_model *m,
                 sim_output *dir, sweep_manifest *man, sim_sweep_result *out,
                 sim_journal *j, long *done, sim_err *err)
{
    const char *tmp = dir->tmp_dir;
    int nm = 2 * e->nmetrics, rc = 0;
    *done = 0;
    man->incomplete = true;
    if (dir->resumed) {
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (!mem)
            return sim_error(err, SIM_E_NOMEM, "out of memory");
        rc = sim_sweep_print_manifest(mem, e, out, man, err);
        fclose(mem);
        if (!rc)
            rc = sim_manifest_check_resume(tmp, text, false, err);
        free(text);
        sim_journal_files files = {"sweep.bin",
                                   m->simulator ? "runs.csv" : "sweep.bin",
                                   m->simulator ? "summary.csv" : NULL};
        recovered r = {out, 0};
        if (rc == 0)
            rc = sim_journal_recover(j, tmp, &files, nm, 0,
                                     out->design.npoints, recovered_point, &r,
                                     done, err);
        if (rc == 1)
            rc = 0;
        if (rc)
            return rc;
        char point[SIM_PATH_MAX + 32];
        snprintf(point, sizeof point, "%s/point", tmp);
        sim_sweep_remove_tree(point);
        snprintf(point, sizeof point, "%s/point.partial", tmp);
        sim_sweep_remove_tree(point);
    }
    if (*done == 0) {
        sim_journal_close(j);
        rc = sim_journal_create(j, tmp, "sweep.bin", nm, 0, err);
    }
    if (!rc)
        rc = sim_sweep_write_manifest(tmp, e, out, man, err);
    if (!rc && m->open)
        rc = m->open(m->ctx, tmp, *done > 0, err);
    man->incomplete = false;
    return rc;
}

static void warn(sim_sweep_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn(sim_sweep_result *out, const char *fmt, ...)
{
    if (out->nwarnings >= SIM_EXPERIMENT_MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->warning[out->nwarnings++], SIM_TEXT_MAX, fmt, ap);
    va_end(ap);
}

/* Warns for each metric whose Monte Carlo noise (the mean squared
 * standard error of the points' statistic) is above a tenth of the
 * variance of the statistic between points: the indices would then
 * measure the noise as much as the factors. */
static void check_noise(const sim_experiment *e, sim_sweep_result *out)
{
    long n = out->design.npoints;
    int nm = e->nmetrics;
    for (int k = 0; k < nm && n > 1; k++) {
        double noise = 0;
        for (long p = 0; p < n; p++)
            noise += out->se[p * nm + k] * out->se[p * nm + k];
        noise /= (double)n;
        double between = gsl_stats_variance(out->stat + k, (size_t)nm,
                                            (size_t)n);
        if (noise > 0 && noise > 0.1 * between)
            warn(out,
                 "metric %s: the Monte Carlo noise of each point's %s "
                 "(standard error %.3g) is comparable to its spread between "
                 "points (sd %.3g); raise replications",
                 e->metric[k], sim_statistic_name(e->statistic), sqrt(noise),
                 sqrt(between));
    }
}

/* The indices of every metric, from its column of out->stat. */
static int indices(const sim_experiment *e, sim_sweep_result *out,
                   sim_err *err)
{
    const sim_design *d = &out->design;
    int nm = e->nmetrics;
    bool sobol = d->opts.type == SIM_DESIGN_SOBOL;
    if (!sobol && d->opts.type != SIM_DESIGN_MORRIS)
        return 0;
    double *y = malloc(sizeof *y * (size_t)d->npoints);
    if (sobol)
        out->sobol = calloc((size_t)nm, sizeof *out->sobol);
    else
        out->morris = calloc((size_t)nm, sizeof *out->morris);
    if (!y || (!out->sobol && !out->morris)) {
        free(y);
        return sim_error(err, SIM_E_NOMEM, "out of memory for the indices");
    }
    int rc = 0;
    sim_sobol_opts so = {e->bootstrap, e->seed};
    for (int k = 0; !rc && k < nm; k++) {
        for (long p = 0; p < d->npoints; p++)
            y[p] = out->stat[p * nm + k];
        rc = sobol ? sim_sobol_indices(d, y, d->opts.samples, &so,
                                       &out->sobol[k], err)
                   : sim_morris_indices(d, y, &out->morris[k], err);
        if (rc) {
            char msg[SIM_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            rc = sim_error(err, rc, "metric %s: %s", e->metric[k], msg);
        }
    }
    free(y);
    return rc;
}

/* Writes every result file into dir. */
static int write_files(const char *dir, const sim_experiment *e,
                       const sim_sweep_result *out, const sweep_manifest *man,
                       sim_err *err)
{
    int rc = sim_sweep_write_design(dir, e, &out->design, err);
    if (!rc)
        rc = sim_sweep_write_points(dir, e, out, err);
    if (!rc && out->sobol)
        rc = sim_sweep_write_sobol(dir, e, out, err);
    if (!rc && out->sobol)
        rc = sim_sweep_write_convergence(dir, e, out, err);
    if (!rc && out->morris)
        rc = sim_sweep_write_morris(dir, e, out, err);
    if (!rc)
        rc = sim_sweep_write_manifest(dir, e, out, man, err);
    return rc;
}

/* Builds the design and the result arrays. */
static int prepare(const sim_experiment *e, sim_sweep_result *out,
                   sim_err *err)
{
    if (e->nmetrics < 1)
        return sim_error(err, SIM_E_USAGE, "the experiment names no metric");
    int rc = sim_design_build(&out->design, e->factor, e->nfactors,
                              &e->design, err);
    if (rc)
        return rc;
    size_t cells = (size_t)out->design.npoints * (size_t)e->nmetrics;
    out->nmetrics = e->nmetrics;
    out->stat = malloc(sizeof *out->stat * cells);
    out->se = malloc(sizeof *out->se * cells);
    if (!out->stat || !out->se)
        return sim_error(err, SIM_E_NOMEM, "out of memory for %ld points",
                         out->design.npoints);
    return 0;
}

/* A rank other than 0 of a sweep over a cluster: evaluates the points
 * rank 0 names, each with it (m's batch spreads its replications), until
 * rank 0 says the sweep is over; returns its outcome (rank 0 has the
 * message). Nothing is written here. */
static int serve_sweep(const sim_experiment *e, const sweep_model *m,
                       const sim_sweep_opts *o, sim_sweep_result *out,
                       sim_err *err)
{
    int rc = prepare(e, out, err);
    double y[SIM_EXPERIMENT_MAX_METRICS], se[SIM_EXPERIMENT_MAX_METRICS];
    for (;;) {
        long cmd[2] = {-1, 0};
        if (sim_cluster_share(o->cluster, cmd, 2, err))
            return err->code;
        if (cmd[0] < 0) {
            rc = (int)cmd[1];
            break;
        }
        sim_err perr = {0};
        if (!rc && cmd[0] < out->design.npoints)
            m->eval(m->ctx, cmd[0],
                    out->design.x + cmd[0] * out->design.nfactors, y, se,
                    &perr);
        else if (m->simulator) /* the point model's first exchange */
            sim_cluster_agree(o->cluster, SIM_E_INTERNAL, NULL);
    }
    if (rc)
        return sim_error(err, rc, "rank 0 failed");
    return 0;
}

int sim_sweep_core(const sim_experiment *e, const sweep_model *m,
                   const sim_sweep_opts *o, sim_sweep_result *out,
                   sim_err *err)
{
    memset(out, 0, sizeof *out);
    if (sim_cluster_rank(o->cluster) > 0)
        return serve_sweep(e, m, o, out, err);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sweep_manifest man = {.command_line = o->command_line,
                          .simulator = m->simulator,
                          .processes = sim_cluster_size(o->cluster)};
    sim_manifest_now(man.start_time);
    sim_output dir;
    memset(&dir, 0, sizeof dir);
    sim_journal j = {0};
    long done = 0;
    const char *tmp = dir.tmp_dir; /* DIR.partial */
    unsigned flags = (o->force ? SIM_OUTPUT_FORCE : 0) |
                     (o->resume ? SIM_OUTPUT_RESUME : 0);
    int rc = prepare(e, out, err);
    out->runs = m->simulator ? out->design.npoints * e->replications : 0;
    if (!rc)
        rc = sim_output_open_dir(&dir, o->outdir, flags, err);
    if (!rc)
        rc = begin(e, m, &dir, &man, out, &j, &done, err);
    if (!rc)
        rc = run_points(e, m, o, done, &j, out, err);
    long cmd[2] = {-1, rc}; /* the other ranks: the sweep is over */
    if (o->cluster)
        sim_cluster_share(o->cluster, cmd, 2, NULL);
    if (m->close && tmp[0]) {
        sim_err cerr = {0};
        int crc = m->close(m->ctx, rc == 0, rc ? &cerr : err);
        rc = rc ? rc : crc;
    }
    sim_journal_close(&j);
    if (rc == SIM_E_INTERRUPTED && dir.locked) {
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len,
                 "; they are kept in %s/ (its manifest says the sweep is "
                 "incomplete)",
                 tmp);
        dir.keep = true;
    }
    if (!rc) {
        check_noise(e, out);
        rc = indices(e, out, err);
    }
    if (!rc) {
        sim_manifest_now(man.end_time);
        man.elapsed_seconds = sim_manifest_seconds_since(&t0);
        out->elapsed_seconds = man.elapsed_seconds;
        char path[SIM_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/sweep.bin", tmp);
        unlink(path);
        rc = write_files(tmp, e, out, &man, err);
    }
    if (!rc)
        rc = sim_output_install(&dir, err); /* cleans up after itself */
    if (rc && !dir.keep && tmp[0]) {
        char point[SIM_PATH_MAX + 32];
        snprintf(point, sizeof point, "%s/point", tmp);
        sim_sweep_remove_tree(point);
    }
    sim_output_abort(&dir);
    return rc;
}

int sim_sweep_run_fn(const sim_experiment *e, sim_sweep_fn f, void *ctx,
                     const sim_sweep_opts *o, sim_sweep_result *out,
                     sim_err *err)
{
    sweep_model m = {NULL, f, NULL, ctx, false, NULL};
    return sim_sweep_core(e, &m, o, out, err);
}

void sim_sweep_result_free(sim_sweep_result *r)
{
    sim_design_free(&r->design);
    free(r->stat);
    free(r->se);
    free(r->sobol);
    free(r->morris);
    r->stat = r->se = NULL;
    r->sobol = NULL;
    r->morris = NULL;
}
