/* score_run.c - `sanctionsim score`: each target of a targets file scored
 * against its ensemble from a result directory (sim_score_collect) with
 * the fair CRPS or the fair Brier score, the randomised PIT and the
 * central intervals, into score.csv, with the summary's figures. */
#include "score_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include <sanctionsim/rng.h>

/* The PIT's random stream: purpose code, one stream per target. */
#define SCORE_STREAM_PIT 0x500

/* Adds a scored row to the summary. */
static void tally(const score_row *r, sim_score_summary *s, double *crps,
                  double *brier)
{
    s->scored++;
    if (!isnan(r->s.brier)) {
        s->n_brier++;
        *brier += r->s.brier;
        return;
    }
    s->n_crps++;
    *crps += r->s.crps;
    s->n_interval++;
    s->in50 += r->s.in50;
    s->in90 += r->s.in90;
}

/* Scores every target of ts against its ensemble in e into rows[], and
 * fills the summary. */
static int score_all(const sim_targets *ts, const sim_score_ensembles *e,
                     uint64_t seed, score_row *rows, sim_score_summary *s,
                     sim_err *err)
{
    double *x = malloc(((size_t)e->nrep + 1) * sizeof *x);
    gsl_rng *g = gsl_rng_alloc(sim_rng_xoshiro256ss);
    if (!x || !g || !rows) {
        free(x);
        if (g)
            gsl_rng_free(g);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    *s = (sim_score_summary){.targets = ts->n, .replications = e->nrep};
    double crps = 0.0, brier = 0.0;
    for (int t = 0; t < ts->n; t++) {
        score_row *r = &rows[t];
        *r = (score_row){&ts->t[t], e->from_round[t], e->to_round[t],
                         e->status[t], {0}};
        sim_rng_seed_stream(g, seed, (uint64_t)t, SCORE_STREAM_PIT);
        double u = gsl_rng_uniform(g);
        size_t m = 0;
        for (long i = 0; i < e->nrep; i++) {
            double v = e->value[(size_t)t * (size_t)e->nrep + (size_t)i];
            if (!isnan(v))
                x[m++] = v;
        }
        bool ok = sim_score_ensemble(r->t, x, m, u, &r->s);
        if (r->status) {
            s->outside++;
        } else if (!ok) {
            r->status = "undefined";
            s->undefined++;
        } else {
            r->status = "scored";
            tally(r, s, &crps, &brier);
        }
    }
    s->mean_crps = s->n_crps ? crps / s->n_crps : NAN;
    s->mean_brier = s->n_brier ? brier / s->n_brier : NAN;
    free(x);
    gsl_rng_free(g);
    return 0;
}

int sim_score_run(const sim_score_opts *o, sim_score_summary *sum,
                  sim_err *err)
{
    sim_error_quiet_gsl();
    if (!o || !o->results_dir || !o->targets_path || !sum)
        return sim_error(err, SIM_E_USAGE,
                         "score needs a result directory and a targets file");
    sim_targets ts;
    sim_score_ensembles e = {0};
    score_row *rows = NULL;
    int rc = sim_targets_load(o->targets_path, &ts, err);
    if (!rc)
        rc = sim_score_collect(o->results_dir, &ts, &e, err);
    if (!rc && !(rows = calloc((size_t)ts.n, sizeof *rows)))
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    if (!rc)
        rc = score_all(&ts, &e, o->seed, rows, sum, err);
    /* the output as given: sim_score_write refuses a path too long, which
     * a copy into a buffer would cut short */
    char out[SIM_PATH_MAX + 16];
    const char *path = o->output;
    if (!path) {
        snprintf(out, sizeof out, "%s/score.csv", o->results_dir);
        path = out;
    }
    if (!rc)
        rc = sim_score_write(path, o->force, rows, ts.n, err);
    free(rows);
    sim_score_ensembles_free(&e);
    sim_targets_free(&ts);
    return rc;
}
