/* calib_run.c - a calibration from start to end (sim_calib_run): the
 * targets, the weights from the start point, the method, the fit of every
 * target at the result, and the result directory (written beside its
 * place and renamed into it when complete, as a batch's). Under a
 * cluster every rank runs the same search (calib_eval shares each
 * evaluation's values) and rank 0 alone opens and writes the directory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib_impl.h"
#include "output.h"
#include <sanctionsim/cluster.h>

int calib_ctx_init(calib_ctx *c, sim_err *err)
{
    size_t nt = (size_t)c->ts.n + 1;
    c->value = malloc(nt * ((size_t)c->nrep + 1) * sizeof *c->value);
    c->from = calloc(nt, sizeof *c->from);
    c->to = calloc(nt, sizeof *c->to);
    c->status = calloc(nt, sizeof *c->status);
    c->col = calloc(nt, sizeof *c->col);
    c->m.mean = calloc(nt, sizeof(double));
    c->m.var = calloc(nt, sizeof(double));
    c->m.q05 = calloc(nt, sizeof(double));
    c->m.q95 = calloc(nt, sizeof(double));
    c->m.n = calloc(nt, sizeof(long));
    c->weight = calloc(nt, sizeof *c->weight);
    c->min_mean = malloc(nt * sizeof *c->min_mean);
    c->max_mean = malloc(nt * sizeof *c->max_mean);
    c->sc = malloc(sizeof *c->sc);
    if (!c->value || !c->from || !c->to || !c->status || !c->col ||
        !c->m.mean || !c->m.var || !c->m.q05 || !c->m.q95 || !c->m.n ||
        !c->weight || !c->min_mean || !c->max_mean || !c->sc)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    for (size_t t = 0; t < nt; t++)
        c->min_mean[t] = c->max_mean[t] = NAN;
    clock_gettime(CLOCK_MONOTONIC, &c->t0);
    return 0;
}

void calib_ctx_free(calib_ctx *c)
{
    free(c->value);
    free(c->from);
    free(c->to);
    free((void *)c->status);
    free(c->col);
    free(c->m.mean);
    free(c->m.var);
    free(c->m.q05);
    free(c->m.q95);
    free(c->m.n);
    free(c->weight);
    free(c->min_mean);
    free(c->max_mean);
    free(c->sc);
    free(c->trace);
    sim_targets_free(&c->ts);
}

double calib_elapsed(const calib_ctx *c)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - c->t0.tv_sec) +
               1e-9 * (double)(t1.tv_nsec - c->t0.tv_nsec);
    /* rank 0's clock decides a stop on time for every rank */
    calib_share(c, &s, 1, NULL);
    return s;
}

int calib_weights(calib_ctx *c, sim_err *err)
{
    int used = 0;
    for (int t = 0; t < c->ts.n; t++) {
        const sim_target *tg = &c->ts.t[t];
        c->weight[t] = 0;
        if (c->status[t])
            continue;
        if (c->m.n[t] < 1)
            return sim_error(err, SIM_E_NUMERIC,
                             "%s:%d: observation '%s' has no value in any "
                             "replication at the start point",
                             c->ts.file, tg->line, tg->id);
        double n = (double)c->m.n[t];
        double v = c->m.n[t] > 1 ? c->m.var[t] : 0.0;
        if (tg->stat == SIM_TARGET_EVENT) {
            /* a proportion: its variance with the Laplace estimate
             * (k + 1) / (n + 2), so that an event every (or no)
             * replication saw still has a Monte Carlo variance */
            double p = (c->m.mean[t] * n + 1.0) / (n + 2.0);
            v = fmax(v, p * (1.0 - p));
        }
        double d = sim_calib_target_variance(c->c->weighting,
                                             tg->uncertainty, v, n);
        /* a floor: an exact observation of a quantity that does not vary
         * at the start point still gets a finite weight */
        double floor = 1e-12 * fmax(1.0, tg->value * tg->value);
        c->weight[t] = 1.0 / fmax(d, floor);
        used++;
    }
    if (!used)
        return sim_error(err, SIM_E_USAGE,
                         "%s: no observation lies within the scenario's "
                         "rounds: nothing to calibrate on",
                         c->ts.file);
    return 0;
}

double calib_objective(const calib_ctx *c)
{
    double j = 0;
    for (int t = 0; t < c->ts.n; t++) {
        if (c->weight[t] <= 0)
            continue;
        double d = c->m.mean[t] - c->ts.t[t].value;
        if (!isfinite(d))
            return INFINITY;
        j += c->weight[t] * d * d;
    }
    return j;
}

int calib_trace_add(calib_ctx *c, const double *x, double obj, sim_err *err)
{
    long w = c->c->nparams + 1;
    if (c->ntrace == c->trace_cap) {
        long cap = c->trace_cap ? 2 * c->trace_cap : 64;
        double *t = realloc(c->trace, (size_t)(cap * w) * sizeof *t);
        if (!t)
            return sim_error(err, SIM_E_NOMEM, "out of memory");
        c->trace = t;
        c->trace_cap = cap;
    }
    memcpy(c->trace + c->ntrace * w, x, (size_t)(w - 1) * sizeof *x);
    c->trace[c->ntrace * w + w - 1] = obj;
    c->ntrace++;
    return 0;
}

/* Every target's fit from the last evaluation (at the result). */
static int fill_fit(const calib_ctx *c, sim_calib_result *r, sim_err *err)
{
    r->ntargets = c->ts.n;
    r->tf = calloc((size_t)c->ts.n + 1, sizeof *r->tf);
    if (!r->tf)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    for (int t = 0; t < c->ts.n; t++) {
        sim_calib_target_fit *f = &r->tf[t];
        const sim_target *tg = &c->ts.t[t];
        snprintf(f->id, sizeof f->id, "%s", tg->id);
        f->line = tg->line;
        f->status = c->status[t];
        f->n = c->m.n[t];
        f->observed = tg->value;
        f->uncertainty = tg->uncertainty;
        f->mean = c->m.mean[t];
        f->q05 = c->m.q05[t];
        f->q95 = c->m.q95[t];
        f->in90 = f->n > 0 ? (tg->value >= f->q05 && tg->value <= f->q95)
                           : -1;
        f->weight = c->weight[t];
        double d = f->mean - tg->value;
        f->contribution = f->weight > 0 ? f->weight * d * d : NAN;
        f->min_mean = c->min_mean[t];
        f->max_mean = c->max_mean[t];
        f->unreachable = !f->status && !(tg->value >= f->min_mean &&
                                         tg->value <= f->max_mean);
        if (!f->status)
            r->nused++;
        if (f->unreachable)
            r->nunreachable++;
    }
    return 0;
}

/* Runs the method and the final evaluation into r (and the abc sample). */
static int calibrate(calib_ctx *c, sim_calib_result *r, double **sample,
                     long *nsample, sim_err *err)
{
    double x0[SIM_CALIB_MAX_PARAMS];
    for (int i = 0; i < c->c->nparams; i++)
        x0[i] = c->c->param[i].start;
    int rc = calib_eval(c, x0, err);
    if (!rc)
        rc = calib_weights(c, err);
    if (!rc)
        rc = c->c->method == SIM_CALIB_SMM
                 ? calib_smm(c, r, err)
                 : calib_abc(c, r, sample, nsample, err);
    /* the targets at the result */
    if (!rc)
        rc = calib_eval(c, r->x, err);
    if (!rc) {
        if (c->c->method == SIM_CALIB_SMM)
            r->objective = calib_objective(c);
        rc = fill_fit(c, r, err);
    }
    r->simulations = c->simulations;
    r->elapsed_seconds = calib_elapsed(c);
    return rc;
}

/* Under a cluster: whether every rank could set up (rc its own
 * outcome). Rank 0 reports its own error, or that another rank failed;
 * the others say "rank 0 failed" for rank 0's, or keep their own. */
static int agree_setup(const calib_ctx *c, int rc, sim_err *err)
{
#ifdef SIM_MPI
    bool root_failed = false;
    if (!c->cluster || !sim_cluster_agree(c->cluster, rc, &root_failed))
        return rc;
    if (sim_cluster_rank(c->cluster) == 0 && rc)
        return rc;
    if (sim_cluster_rank(c->cluster) == 0)
        return sim_error(err, SIM_E_USAGE,
                         "another rank could not set up the calibration "
                         "(its message, with its rank, is above)");
    if (rc && !root_failed)
        return rc;
    return sim_error(err, rc ? rc : SIM_E_USAGE, "rank 0 failed");
#else
    (void)c, (void)err; /* no cluster without MPI (cluster.h) */
    return rc;
#endif
}

int sim_calib_run(const sim_calib *cal, const struct sim_registry *reg,
                  const sim_calib_opts *o, sim_calib_result *out,
                  sim_err *err)
{
    memset(out, 0, sizeof *out);
    calib_ctx c = {.c = cal, .reg = reg, .threads = o->threads,
                   .cancel = o->cancel, .cluster = o->cluster,
                   .nrep = cal->replications};
    bool root = sim_cluster_rank(o->cluster) == 0;
    double *sample = NULL;
    long nsample = 0;
    sim_output dir;
    memset(&dir, 0, sizeof dir);
    bool opened = false;
    int rc = sim_targets_load(cal->targets, &c.ts, err);
    if (!rc)
        rc = calib_ctx_init(&c, err);
    /* refuse an occupied directory before the work, not after */
    if (!rc && root) {
        rc = sim_output_open_dir(
            &dir, o->outdir,
            SIM_OUTPUT_NO_RESUME | (o->force ? SIM_OUTPUT_FORCE : 0), err);
        opened = !rc;
    }
    rc = agree_setup(&c, rc, err);
    bool set_up = !rc; /* else every rank knows */
    if (!rc)
        rc = calibrate(&c, out, &sample, &nsample, err);
    if (!rc && root)
        rc = calib_write_all(&c, out, sample, nsample, o, dir.tmp_dir, err);
    if (!rc && root)
        rc = sim_output_install(&dir, err);
    if (rc && opened)
        sim_output_abort(&dir);
    if (set_up)
        rc = calib_outcome(&c, rc, err);
    free(sample);
    calib_ctx_free(&c);
    if (rc)
        sim_calib_result_free(out);
    return rc;
}

void sim_calib_result_free(sim_calib_result *r)
{
    if (!r)
        return;
    free(r->tf);
    r->tf = NULL;
}
