/* experiment.h - experiments: a base scenario, factors that vary its keys,
 * a design (design.h) and what to compute at each point; and the sweep
 * that runs one into a result directory.
 *
 * An experiment file (libconfig; docs/EXPERIMENTS.md) is read by
 * sim_experiment_load. sim_sweep_run runs every design point's
 * replications through sim_batch_run with the same master seed, so
 * replication r draws the same random streams at every point (common
 * random numbers), and writes into the result directory:
 *   design.csv       point and each factor's value
 *   runs.csv         point, then runs.csv's columns, one row per run
 *   summary.csv      point, then summary.csv's columns, per metric
 *   points.csv       point, metric, the statistic and its Monte Carlo
 *                    standard error (sd / sqrt(n))
 *   sensitivity.csv  sobol: S1 and ST with 95 % intervals per factor (or
 *                    group) and metric; sensitivity2.csv: second order;
 *                    convergence.csv: the indices from the first n base
 *                    samples for n = N/2^m
 *   morris.csv       morris: mu, mu*, sigma per factor and metric
 *   manifest.cfg     what was run
 * The directory is written beside its final place and renamed into it when
 * complete, as a batch's. */
#ifndef SIM_EXPERIMENT_H
#define SIM_EXPERIMENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "batch.h"
#include "cluster.h"
#include "design.h"
#include "error.h"
#include "sensitivity.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIM_EXPERIMENT_MAX_METRICS 32
#define SIM_EXPERIMENT_MAX_WARNINGS 8

struct sim_registry;

/* Which statistic of a point's replications the indices are of. */
#define SIM_STATISTICS(X)                                                     \
    X(MEAN, "mean")                                                           \
    X(P05, "p05")                                                             \
    X(P25, "p25")                                                             \
    X(MEDIAN, "median")                                                       \
    X(P75, "p75")                                                             \
    X(P95, "p95")

typedef enum sim_statistic {
#define SIM_STATISTIC_ENUM(id, name) SIM_STATISTIC_##id,
    SIM_STATISTICS(SIM_STATISTIC_ENUM)
#undef SIM_STATISTIC_ENUM
        SIM_N_STATISTICS
} sim_statistic;

typedef struct sim_experiment {
    char file[SIM_PATH_MAX];     /* the experiment file, for messages */
    char scenario[SIM_PATH_MAX]; /* the base scenario, as opened */
    int nfactors;                /* the dummy, if any, is the last */
    sim_factor factor[SIM_DESIGN_MAX_FACTORS];
    int line[SIM_DESIGN_MAX_FACTORS]; /* of each factor in the file */
    bool dummy;
    int ngroups; /* names of groups 0..ngroups-1 (a factor's own name if
                    it has no group) */
    char group[SIM_DESIGN_MAX_FACTORS][SIM_NAME_MAX];
    sim_design_opts design;
    long replications;
    uint64_t seed; /* master seed of the replications and the design */
    sim_statistic statistic;
    int nmetrics;
    char metric[SIM_EXPERIMENT_MAX_METRICS][SIM_STATS_METRIC_MAX];
    int bootstrap; /* sobol: resamples for the intervals */
} sim_experiment;

/* Name of a statistic ("median"). */
const char *sim_statistic_name(sim_statistic s);

/* Reads the experiment file at path into *e. The base scenario's path is
 * taken relative to the file's folder. Errors (SIM_E_SCENARIO) name the
 * file, line and key; an unknown key gets a "did you mean". The factors'
 * keys are checked against the scenario by sim_sweep_plan. */
int sim_experiment_load(sim_experiment *e, const char *path, sim_err *err);

/* Same from text; `label` stands for the file, and the scenario's path is
 * taken as written. */
int sim_experiment_load_string(sim_experiment *e, const char *text,
                               const char *label, sim_err *err);

/* What a sweep will cost, and warnings found before it starts. */
typedef struct sim_sweep_plan {
    long points, runs; /* runs = points x replications */
    int nwarnings;
    char warning[SIM_EXPERIMENT_MAX_WARNINGS][SIM_TEXT_MAX];
} sim_sweep_plan;

/* Builds e's design and checks that every factor's key exists in the base
 * scenario with a value of the factor's range (reg: the models), so that
 * a bad key fails before any run; fills *plan. Warns when a sobol N is
 * small for the number of groups. */
int sim_sweep_plan_make(const sim_experiment *e,
                        const struct sim_registry *reg, sim_sweep_plan *plan,
                        sim_err *err);

typedef struct sim_sweep_opts {
    const char *outdir; /* final result directory */
    bool force;         /* replace an earlier result directory */
    const char *command_line;   /* for the manifest */
    sim_progress_fn progress;   /* points done of total; may be NULL */
    void *progress_ctx;
    const atomic_int *cancel;   /* as in sim_batch_opts; may be NULL */
    /* Continue the interrupted sweep in outdir.partial/ (points done are
     * kept; the result is byte for byte the uninterrupted sweep's), as
     * sim_batch_opts.resume. */
    bool resume;
    long stop_after; /* tests: stop as if interrupted after this many
                        points (0: never) */
    /* Threads each point's replications run on, as sim_batch_opts.threads
     * (0 means 1); the results do not depend on it. */
    int threads;
    /* The MPI ranks (cluster.h) that share each point's replications, or
     * NULL: this process alone. Every rank calls the sweep with the same
     * arguments; rank 0 alone writes, and gets the results. */
    const sim_cluster *cluster;
} sim_sweep_opts;

typedef struct sim_sweep_result {
    sim_design design; /* owned */
    int nmetrics;
    double *stat; /* points x nmetrics: the statistic at each point */
    double *se;   /* points x nmetrics: its Monte Carlo standard error */
    sim_sobol_result *sobol;   /* nmetrics, sobol designs; else NULL */
    sim_morris_result *morris; /* nmetrics, morris designs; else NULL */
    long runs;
    double elapsed_seconds;
    int nwarnings;
    char warning[SIM_EXPERIMENT_MAX_WARNINGS][SIM_TEXT_MAX];
} sim_sweep_result;

/* Runs experiment e (models from reg) into o->outdir. On error nothing is
 * left in o->outdir's place; the message names the design point when a
 * point failed (a metric without a finite statistic, for one). */
int sim_sweep_run(const sim_experiment *e, const struct sim_registry *reg,
                  const sim_sweep_opts *o, sim_sweep_result *out,
                  sim_err *err);

/* A model of the outputs instead of the simulator: y[m] (and se[m], its
 * standard error, 0 for a deterministic function) of metric m of e at
 * design point `point` with factor values x. */
typedef int (*sim_sweep_fn)(void *ctx, long point, const double *x,
                            double *y, double *se, sim_err *err);

/* Runs experiment e's design through f instead of the simulator (the
 * same design, indices and files, without runs.csv and summary.csv); e's
 * scenario is not read. For tests with known answers, and for programs
 * with a model of their own. */
int sim_sweep_run_fn(const sim_experiment *e, sim_sweep_fn f, void *ctx,
                     const sim_sweep_opts *o, sim_sweep_result *out,
                     sim_err *err);

void sim_sweep_result_free(sim_sweep_result *r);

#ifdef __cplusplus
}
#endif

#endif
