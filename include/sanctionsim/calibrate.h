/* calibrate.h - fitting scenario keys to dated observations (a targets
 * file, score.h): `sanctionsim calibrate`.
 *
 * A calibration file (libconfig; docs/VALIDATION.md) names the base
 * scenario, the parameters (scenario keys, addressed as `--set` and a
 * sweep's factors address them) with bounds and priors, the method, the
 * targets file, the replications of one evaluation, the seed and the
 * budgets. Every evaluation loads the base scenario with the candidate's
 * values and runs its replications in memory (no result directory) under
 * the one master seed, so replication r draws the same random streams for
 * every candidate (common random numbers). Each target's value per
 * replication is computed as `sanctionsim score` computes it from a
 * result directory.
 *
 * Methods:
 *   smm  simulated method of moments: minimises
 *          J(theta) = sum_t w_t (mean_t(theta) - observed_t)^2
 *        with w_t = 1 / (uncertainty_t^2 + var_t (1 + 1 / n_t)) (the
 *        `weighting = "predictive"` default: each observation is one
 *        realisation, so its distance from the model's mean has the
 *        observation's variance plus the model's variance of one outcome
 *        plus the Monte Carlo variance of the mean) or, `"mean"`,
 *        1 / (uncertainty_t^2 + var_t / n_t) (as if the observation were a
 *        mean over many worlds); var_t and n_t at the start point, then
 *        held fixed; for an event var_t is at least the Laplace p(1 - p)),
 *        by GSL's Nelder-Mead
 *        (gsl_multimin_fminimizer_nmsimplex2) on the logit of each
 *        parameter's position in its bounds.
 *   abc  approximate Bayesian computation by rejection: draws from the
 *        priors (truncated to the bounds), distance sqrt(J) with the same
 *        weights and weighting (from the start point), and keeps the closest fraction
 *        or those within the tolerance, weighted by the Epanechnikov
 *        kernel; reports the effective sample size.
 *
 * sim_calib_run writes into the result directory (beside, then renamed):
 *   fit.csv          parameter,value,lower,upper (abc: and the posterior's
 *                    mean and quantiles)
 *   targets_fit.csv  each target against the model at the fit
 *   trace.csv        every evaluation: its parameters and objective
 *   abc_sample.csv   abc: the accepted draws, their distance and weight
 *   calibrated.cfg   `base = ` the base scenario plus the fitted keys
 *   manifest.cfg     what was run */
#ifndef SIM_CALIBRATE_H
#define SIM_CALIBRATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "limits.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIM_CALIB_MAX_PARAMS 16

struct sim_registry;

typedef enum sim_calib_method { SIM_CALIB_SMM, SIM_CALIB_ABC } sim_calib_method;

/* The diagonal weighting of the targets (smm and abc alike). */
typedef enum sim_calib_weighting {
    SIM_CALIB_WEIGHT_PREDICTIVE, /* 1 / (u^2 + var (1 + 1/n)) */
    SIM_CALIB_WEIGHT_MEAN        /* 1 / (u^2 + var / n) */
} sim_calib_weighting;

/* A parameter's prior (abc), truncated to its bounds. */
typedef enum sim_calib_prior {
    SIM_PRIOR_UNIFORM,
    SIM_PRIOR_NORMAL,   /* p0 = mean, p1 = sd */
    SIM_PRIOR_LOGNORMAL /* p0 = zeta, p1 = sigma (of the log) */
} sim_calib_prior;

typedef struct sim_calib_param {
    char key[SIM_PATH_MAX];  /* the scenario key, as --set writes it */
    char name[SIM_NAME_MAX]; /* its column in the output files */
    double lo, hi;           /* bounds, lo < hi */
    double start;            /* smm's start, inside the bounds */
    sim_calib_prior prior;
    double p0, p1;
    int line; /* of the parameter in the file */
} sim_calib_param;

typedef struct sim_calib {
    char file[SIM_PATH_MAX];
    char scenario[SIM_PATH_MAX]; /* the base scenario, as opened */
    char targets[SIM_PATH_MAX];  /* the targets file, as opened */
    sim_calib_method method;
    sim_calib_weighting weighting;
    int nparams;
    sim_calib_param param[SIM_CALIB_MAX_PARAMS];
    long replications; /* per evaluation */
    uint64_t seed;     /* master seed of every evaluation (and abc draws) */
    double max_seconds; /* time budget, 0: none */
    /* smm */
    int max_iterations; /* in all, over the restarts */
    int restarts; /* fresh simplexes at the best point, while J falls */
    double tolerance; /* simplex size (in logit units) to stop at */
    double step;      /* initial simplex step (logit units) */
    /* abc */
    long draws;        /* budget of prior draws (simulated evaluations) */
    double accept;     /* the closest fraction kept (when no tolerance) */
    double abc_tolerance; /* > 0: keep draws within this distance */
    long keep;         /* > 0 with a tolerance: stop once this many kept */
} sim_calib;

/* Reads a calibration file; paths (scenario, targets) are taken relative
 * to its folder. Errors (SIM_E_SCENARIO) name the file, line and key. */
int sim_calib_load(sim_calib *c, const char *path, sim_err *err);

/* The variance a target's weight inverts (before the floor that keeps
 * it finite): uncertainty^2 + var (1 + 1/n) under predictive weighting,
 * uncertainty^2 + var / n under mean; var is the model's variance of one
 * replication's value, n the replications with a value (n > 0). */
double sim_calib_target_variance(sim_calib_weighting w, double uncertainty,
                                 double var, double n);

/* The weighting's name ("predictive", "mean") and its one-line
 * description (starting "diagonal"), for the manifest and the CLI. */
const char *sim_calib_weighting_name(sim_calib_weighting w);
const char *sim_calib_weighting_text(sim_calib_weighting w);

/* One target at the fit. */
typedef struct sim_calib_target_fit {
    char id[SIM_TARGET_ID_MAX];
    int line; /* of the observation in the targets file */
    const char *status; /* NULL: in the run; else as sim_score_ensembles */
    long n;             /* replications with a value */
    double observed, uncertainty, mean, q05, q95;
    int in90;            /* observed within [q05, q95] */
    double weight;       /* w_t */
    double contribution; /* w_t (mean - observed)^2 */
    double min_mean, max_mean; /* of the mean over every evaluation */
    bool unreachable; /* observed outside [min_mean, max_mean] */
} sim_calib_target_fit;

typedef struct sim_calib_opts {
    const char *outdir;
    bool force;
    int threads; /* 0 means 1; results do not depend on it */
    const char *command_line;
    const atomic_int *cancel;
    /* The ranks to spread each evaluation's replications over (cluster.h),
     * or NULL for one process. Every rank calls sim_calib_run with the
     * same arguments and follows the same search; rank 0 alone writes
     * the files, byte for byte a single process's. */
    const struct sim_cluster *cluster;
} sim_calib_opts;

typedef struct sim_calib_result {
    double x[SIM_CALIB_MAX_PARAMS]; /* smm: the fit; abc: posterior mean */
    double objective;               /* J at x (abc: at the closest draw) */
    const char *stop; /* "tolerance", "iterations", "time", "draws", "kept" */
    int iterations;
    long evaluations, simulations;
    double elapsed_seconds;
    int ntargets, nused, nunreachable;
    sim_calib_target_fit *tf; /* ntargets */
    /* abc */
    long accepted;
    double epsilon, ess;
    double q[SIM_CALIB_MAX_PARAMS][5]; /* 5, 25, 50, 75, 95 % */
} sim_calib_result;

/* Runs calibration c (models from reg) into o->outdir. On error nothing
 * is left in o->outdir's place. */
int sim_calib_run(const sim_calib *c, const struct sim_registry *reg,
                  const sim_calib_opts *o, sim_calib_result *out,
                  sim_err *err);

void sim_calib_result_free(sim_calib_result *r);

#ifdef __cplusplus
}
#endif

#endif
