/* calib_impl.h - private interface of the calibration: the in-memory
 * evaluation of a candidate (calib_eval.c), the methods (calib_smm.c,
 * calib_abc.c) and the result files (calib_write.c), composed by
 * calib_run.c. */
#ifndef SIM_CALIB_IMPL_H
#define SIM_CALIB_IMPL_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "columns.h"
#include <sanctionsim/calibrate.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/score.h>

/* One evaluation's moments per target: the mean, variance and count of
 * the replications with a value, and the 5 % and 95 % quantiles. */
typedef struct calib_moments {
    double *mean, *var, *q05, *q95;
    long *n;
} calib_moments;

/* A calibration under way. */
typedef struct calib_ctx {
    const sim_calib *c;
    const struct sim_registry *reg;
    sim_targets ts;
    int threads;
    const atomic_int *cancel;
    const struct sim_cluster *cluster; /* NULL: one process */
    sim_scenario *sc; /* the candidate's scenario (on the heap) */
    long nrep;
    double *value;       /* [target * nrep + rep] of the last evaluation */
    int *from, *to;      /* each target's rounds (0 for runs.csv) */
    const char **status; /* NULL: in the run */
    int *col;            /* its column: in cols (runs.csv) or of rounds.csv */
    sim_column cols[SIM_MAX_COLUMNS];
    int ncols;
    bool need_rounds;
    calib_moments m;   /* of the last evaluation */
    double *weight;    /* w_t, 0 for a target outside the run */
    double *min_mean, *max_mean; /* over every evaluation */
    /* every evaluation: nparams values then the objective */
    double *trace;
    long ntrace, trace_cap;
    long simulations;
    struct timespec t0;
} calib_ctx;

/* Allocates ctx's arrays for its targets (ctx->ts loaded) and nrep. */
int calib_ctx_init(calib_ctx *ctx, sim_err *err);
void calib_ctx_free(calib_ctx *ctx);

/* Evaluates candidate x (nparams values): loads the base scenario with x
 * as --set overrides, runs ctx->nrep replications in memory under the
 * calibration's seed, and fills ctx->value, ctx->m and the running
 * ranges of the means. */
int calib_eval(calib_ctx *ctx, const double *x, sim_err *err);

/* The weights from the last evaluation's moments: 1 /
 * sim_calib_target_variance (the file's weighting), a floor keeping them
 * finite. Fails (naming the target) when
 * a target in the run has no value in any replication. */
int calib_weights(calib_ctx *ctx, sim_err *err);

/* J = sum_t w_t (mean_t - observed_t)^2 of the last evaluation; +inf if a
 * weighted target has no value. */
double calib_objective(const calib_ctx *ctx);

/* Appends (x, objective) to the trace. */
int calib_trace_add(calib_ctx *ctx, const double *x, double obj,
                    sim_err *err);

/* Rank 0's n doubles v to every rank of ctx->cluster (a no-op without
 * one): the ranks call it at the same points of their common search. */
int calib_share(const calib_ctx *ctx, double *v, size_t n, sim_err *err);

/* Under a cluster, every rank returns rank 0's outcome rc0 of a step
 * all took: rank 0 its own rc; another rank, when rc0 failed, "rank 0
 * failed" with rc0's code (rank 0 reports the error), else its own rc. */
int calib_outcome(const calib_ctx *ctx, int rc, sim_err *err);

/* Seconds since ctx->t0 (under a cluster, rank 0's: every rank calls it
 * at the same points and stops on time alike). */
double calib_elapsed(const calib_ctx *ctx);

/* ---- the methods ---- */
int calib_smm(calib_ctx *ctx, sim_calib_result *r, sim_err *err);
/* Fills *sample (the kept draws, in draw order, each: its number in the
 * trace, nparams values, distance, normalised weight) and *nsample. */
int calib_abc(calib_ctx *ctx, sim_calib_result *r, double **sample,
              long *nsample, sim_err *err);

/* ---- calibrated.cfg (calib_cfg.c) ---- */

/* Writes calibrated.cfg's text to f: `base = ` base (the base scenario's
 * path as the file should name it), then cal's keys at values x. */
int calib_write_cfg(FILE *f, const sim_calib *cal, const double *x,
                    const char *base, sim_err *err);

/* The path of file relative to directory dir (both made absolute
 * against the working directory and normalised lexically) into rel;
 * file's own path if either does not fit. */
void calib_relative(const char *dir, const char *file, char *rel,
                    size_t size);

/* ---- the result files (calib_write.c) ---- */
int calib_write_all(const calib_ctx *ctx, const sim_calib_result *r,
                    const double *sample, long nsample,
                    const sim_calib_opts *o, const char *dir, sim_err *err);

#endif
