/* output.h - result directories: runs.csv, rounds.csv, summary.csv and
 * manifest.cfg, written into a temporary directory beside the final one and
 * renamed into place only when complete (MODEL.md section 6). What goes in
 * the CSV files is columns.h's business, the manifest's text manifest.h's. */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "columns.h"
#include <sanctionsim/error.h>
#include "manifest.h"
#include <sanctionsim/scenario.h>
#include <sanctionsim/stats.h>
#include <sanctionsim/world.h>

/* A slice's exact metric values (sim_batch_opts.keep_values), the
 * saved spill format of spill.h, one metric per summarized column. */
#define SIM_METRICS_FILE "metrics.bin"

/* An open result directory. */
typedef struct sim_output {
    char final_dir[SIM_PATH_MAX];
    char tmp_dir[SIM_PATH_MAX];
    FILE *runs, *rounds;
    sim_round_memo rounds_memo; /* rounds.csv writer's memory; zeroed */
    const sim_scenario *sc;
    sim_column cols[SIM_MAX_COLUMNS];
    int ncols;
    bool force; /* may replace an earlier result directory */
} sim_output;

/* Creates a temporary directory beside dir and opens runs.csv (and
 * rounds.csv when trace) in it, headers written. If dir exists and is not
 * empty, fails with SIM_E_EXISTS unless force, and with SIM_E_USAGE even
 * with force unless dir is an earlier result (it holds a manifest.cfg):
 * --force never deletes anything else. Parent directories of dir are created. On failure
 * nothing is left behind. */
int sim_output_open(sim_output *o, const sim_scenario *sc, const char *dir,
                    bool force, bool trace, sim_err *err);

/* The directory part of sim_output_open: checks dir as it does and
 * creates the temporary directory (o->tmp_dir) beside it, with no file
 * in it, for a caller that writes the files itself (merge.c). */
int sim_output_open_dir(sim_output *o, const char *dir, bool force,
                        sim_err *err);

/* Appends one replication's row to runs.csv. */
int sim_output_run(sim_output *o, const sim_rep_result *r, sim_err *err);

/* Appends rendered rows: runs[0..nruns) to runs.csv and rounds[0..nrounds)
 * to rounds.csv (ignored without --trace), as one replication block's rows
 * written by the batch's threads into memory. */
int sim_output_append(sim_output *o, const char *runs, size_t nruns,
                      const char *rounds, size_t nrounds, sim_err *err);

/* Appends one round to rounds.csv (a sim_trace_fn; ctx is the sim_output). */
int sim_output_round(void *ctx, const sim_round_record *r, sim_err *err);

/* Writes summary.csv from rows[0..n). */
int sim_output_summary(sim_output *o, const sim_summary *rows, int n,
                       sim_err *err);

/* Writes manifest.cfg, closes every file and renames the temporary
 * directory to the final one (replacing an old result under force). If
 * another run has filled the final directory meanwhile and force is off
 * (or it is not a result), fails with SIM_E_IO and keeps the finished
 * results in the temporary directory, named in the message. Other failures
 * remove the temporary directory. */
int sim_output_commit(sim_output *o, const sim_manifest *m, sim_err *err);

/* The last step of sim_output_commit, for a caller that wrote every file
 * into o->tmp_dir itself (and closed them): renames the temporary
 * directory to the final one, as sim_output_commit says. */
int sim_output_install(sim_output *o, sim_err *err);

/* Closes the files and removes the temporary directory (after a failure).
 * Safe to call on a closed or never-opened output. */
void sim_output_abort(sim_output *o);

#endif
