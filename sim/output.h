/* output.h - result directories: runs.csv, rounds.csv, summary.csv and
 * manifest.cfg, written into a temporary directory beside the final one and
 * renamed into place only when complete (MODEL.md section 6). */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "scenario.h"
#include "stats.h"
#include "world.h"

/* A column of runs.csv (or a summary-only metric). */
typedef enum sim_col_format { SIM_COL_INT, SIM_COL_REAL, SIM_COL_TEXT } sim_col_format;

typedef struct sim_column {
    char name[80];
    int id;    /* internal column id */
    int index; /* instrument, actor, kind or stop index for indexed ids */
    sim_col_format format;
    bool in_runs;    /* a column of runs.csv */
    bool summarize;  /* a metric of summary.csv */
    bool proportion; /* 0/1 values: Wilson interval */
} sim_column;

#define SIM_MAX_COLUMNS 160

/* Fills cols with runs.csv's columns, in order, then the summary-only
 * metrics; returns their number. */
int sim_output_columns(const sim_scenario *sc, sim_column *cols);

/* Numeric value of a column for a result; NaN means an empty field. */
double sim_column_value(const sim_column *c, const sim_rep_result *r);

/* An open result directory. */
typedef struct sim_output {
    char final_dir[SIM_PATH_MAX];
    char tmp_dir[SIM_PATH_MAX];
    FILE *runs, *rounds;
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

/* Appends one replication's row to runs.csv. */
int sim_output_run(sim_output *o, const sim_rep_result *r, sim_err *err);

/* Appends one round to rounds.csv (a sim_trace_fn; ctx is the sim_output). */
int sim_output_round(void *ctx, const sim_round_record *r, sim_err *err);

/* Writes summary.csv from rows[0..n). */
int sim_output_summary(sim_output *o, const sim_summary *rows, int n,
                       sim_err *err);

/* Run facts for the manifest. */
typedef struct sim_manifest {
    const char *command_line;
    uint64_t master_seed;
    long replications;
    int threads;
    char start_time[32], end_time[32];
    double elapsed_seconds;
} sim_manifest;

/* Writes manifest.cfg, closes every file and renames the temporary
 * directory to the final one (replacing an old result under force). If
 * another run has filled the final directory meanwhile and force is off
 * (or it is not a result), fails with SIM_E_IO and keeps the finished
 * results in the temporary directory, named in the message. Other failures
 * remove the temporary directory. */
int sim_output_commit(sim_output *o, const sim_manifest *m, sim_err *err);

/* Closes the files and removes the temporary directory (after a failure).
 * Safe to call on a closed or never-opened output. */
void sim_output_abort(sim_output *o);

/* The current UTC time as ISO 8601 into buf[32]. */
void sim_output_now(char *buf);

#endif
