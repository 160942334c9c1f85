/* experiment_impl.h - private interface of the sweep: the core
 * (experiment_sweep.c) runs a design through a point model, which is the
 * simulator (experiment_scenario.c) or a function (sim_sweep_run_fn);
 * experiment_write.c writes the result files. */
#ifndef SIM_EXPERIMENT_IMPL_H
#define SIM_EXPERIMENT_IMPL_H

#include <stdio.h>

#include <sanctionsim/experiment.h>

/* What evaluates the design's points. open (may be NULL) is called with
 * the sweep's partial directory before the first point (resume: the
 * files there hold the points done, to be appended to), close (may be
 * NULL) after the last or on failure (ok false: only clean up); lengths
 * (may be NULL) flushes runs.csv and summary.csv and gives their lengths,
 * for the sweep's journal (sweep.bin). */
typedef struct sweep_model {
    int (*open)(void *ctx, const char *tmp_dir, bool resume, sim_err *err);
    sim_sweep_fn eval;
    int (*close)(void *ctx, bool ok, sim_err *err);
    void *ctx;
    bool simulator; /* writes runs.csv and summary.csv */
    int (*lengths)(void *ctx, long *runs, long *summary, sim_err *err);
} sweep_model;

/* The sweep core: runs e's design through m into o->outdir. */
int sim_sweep_core(const sim_experiment *e, const sweep_model *m,
                   const sim_sweep_opts *o, sim_sweep_result *out,
                   sim_err *err);

/* The name of the sobol group g of e (the dummy's is "dummy"). */
const char *sim_experiment_group_name(const sim_experiment *e, int g);

/* ---- result files (experiment_write.c); each returns 0 or SIM_E_IO ---- */

/* Opens dir/name for writing. */
FILE *sim_sweep_open_file(const char *dir, const char *name, sim_err *err);

/* Closes *f (set to NULL), reporting a failed write or close of name. */
int sim_sweep_close_file(FILE **f, const char *name, sim_err *err);

int sim_sweep_write_design(const char *dir, const sim_experiment *e,
                           const sim_design *d, sim_err *err);
int sim_sweep_write_points(const char *dir, const sim_experiment *e,
                           const sim_sweep_result *r, sim_err *err);
int sim_sweep_write_sobol(const char *dir, const sim_experiment *e,
                          const sim_sweep_result *r, sim_err *err);
int sim_sweep_write_convergence(const char *dir, const sim_experiment *e,
                                const sim_sweep_result *r, sim_err *err);
int sim_sweep_write_morris(const char *dir, const sim_experiment *e,
                           const sim_sweep_result *r, sim_err *err);

/* manifest.cfg: the experiment, the design, the cost and the times. */
typedef struct sweep_manifest {
    const char *command_line;
    char start_time[32], end_time[32];
    double elapsed_seconds;
    bool simulator;
    bool incomplete; /* DIR.partial's: `completed = false;` */
    int processes;   /* a cluster's ranks (recorded when more than 1) */
} sweep_manifest;
/* Prints the manifest; SIM_E_NOMEM (nothing printed) if memory runs out
 * hashing its inputs. */
int sim_sweep_print_manifest(FILE *f, const sim_experiment *e,
                             const sim_sweep_result *r,
                             const sweep_manifest *m, sim_err *err);
int sim_sweep_write_manifest(const char *dir, const sim_experiment *e,
                             const sim_sweep_result *r,
                             const sweep_manifest *m, sim_err *err);

/* Removes the directory tree at path (best effort). */
void sim_sweep_remove_tree(const char *path);

#endif
