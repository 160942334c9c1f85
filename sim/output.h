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

/* The directory a run fills is DIR.partial beside DIR: visible, so that
 * an interrupted or killed run is seen and can be resumed (--resume). */
#define SIM_PARTIAL_SUFFIX ".partial"

/* Flags of sim_output_open_dir. */
enum {
    SIM_OUTPUT_FORCE = 1,  /* may replace an earlier result, or remove a
                              stale DIR.partial */
    SIM_OUTPUT_RESUME = 2, /* reuse a stale DIR.partial */
    SIM_OUTPUT_NO_RESUME = 4 /* the command has no --resume: a stale
                                DIR.partial's message says --force only */
};

/* An open result directory. */
typedef struct sim_output {
    char final_dir[SIM_PATH_MAX];
    char tmp_dir[SIM_PATH_MAX]; /* DIR.partial */
    int lock_fd;       /* DIR.partial opened, flock'ed while it is ours */
    bool locked;       /* lock_fd is open */
    bool resumed;      /* DIR.partial was an interrupted run's, reused */
    bool stale_removed; /* DIR.partial was an interrupted run's, removed */
    bool keep;         /* sim_output_abort keeps DIR.partial */
    FILE *runs, *rounds;
    sim_round_memo rounds_memo; /* rounds.csv writer's memory; zeroed */
    const sim_scenario *sc;
    sim_column cols[SIM_MAX_COLUMNS];
    int ncols;
    bool force; /* may replace an earlier result directory */
    long runs_len, rounds_len; /* the files' lengths so far */
} sim_output;

/* Creates DIR.partial beside dir (sim_output_open_dir) and, unless it
 * resumes an interrupted run (o->resumed), opens runs.csv (and rounds.csv
 * when trace) in it, headers written. */
int sim_output_open(sim_output *o, const sim_scenario *sc, const char *dir,
                    unsigned flags, bool trace, sim_err *err);

/* Opens runs.csv (and rounds.csv) of a resumed DIR.partial for appending,
 * or afresh with their headers if fresh. */
int sim_output_reopen(sim_output *o, bool trace, bool fresh, sim_err *err);

/* The directory part of sim_output_open (output_dir.c). Checks dir
 * before any work: not ".", "..", a symbolic link or under a file. If dir
 * exists and is not empty, fails with SIM_E_EXISTS unless
 * SIM_OUTPUT_FORCE, and with SIM_E_USAGE even with it unless dir is an
 * earlier result whose manifest lists every file in it (the others are
 * named): --force never deletes anything else. Parent directories are
 * created. Then makes DIR.partial (o->tmp_dir) and locks it; one that
 * exists is another run's while it is locked (SIM_E_EXISTS), else an
 * interrupted run's: reused with SIM_OUTPUT_RESUME (o->resumed), removed
 * with SIM_OUTPUT_FORCE (o->stale_removed; its foreign files refused as
 * above), refused otherwise (SIM_E_EXISTS, saying how to go on). With
 * SIM_OUTPUT_RESUME and no DIR.partial, starts afresh; but a complete dir
 * and no DIR.partial is SIM_E_EXISTS ("nothing to resume"). */
int sim_output_open_dir(sim_output *o, const char *dir, unsigned flags,
                        sim_err *err);

/* The checks of dir that need no file system change (the first of
 * sim_output_open_dir), for a caller with its own directory (sweep):
 * SIM_E_USAGE naming what is wrong. */
int sim_output_check_path(const char *dir, sim_err *err);

/* Refuses (SIM_E_USAGE) an output directory dir that is one of the
 * directories inputs[0..n) a command reads: --force would replace it. */
int sim_output_check_not_input(const char *dir, const char *const *inputs,
                               int n, sim_err *err);

/* Checks that --force may replace the existing, non-empty result
 * directory dir: it has a manifest.cfg and every file in it is one the
 * manifest lists (or, for a result without a list, one sanctionsim
 * writes). SIM_E_USAGE naming the foreign files otherwise. */
int sim_output_check_replaceable(const char *dir, sim_err *err);

/* Removes dir's files that sanctionsim writes, then dir; SIM_E_USAGE
 * naming any other file, which is left with dir. */
int sim_output_remove_result(const char *dir, sim_err *err);

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

/* Writes o->tmp_dir/manifest.cfg whole or not at all (a new file renamed
 * over the old one). */
int sim_output_write_manifest(sim_output *o, const sim_manifest *m,
                              sim_err *err);

/* Writes manifest.cfg and scenario.cfg, closes every file and installs
 * DIR.partial as DIR (sim_output_install). */
int sim_output_commit(sim_output *o, const sim_manifest *m, sim_err *err);

/* Installs DIR.partial as DIR, for a caller that wrote every file into
 * o->tmp_dir itself (and closed them). DIR, if it exists, is swapped
 * with DIR.partial in one atomic rename (RENAME_EXCHANGE) and the old
 * result then removed from DIR.partial, so that DIR holds a complete
 * result at every moment; where the file system cannot swap, the old
 * result is moved to DIR.old first (a crash then leaves it there, and the
 * new one in DIR.partial). If another run has filled DIR meanwhile and
 * force is off (or it is not a result), fails with SIM_E_IO and keeps the
 * finished results in DIR.partial, named in the message. Other failures
 * remove DIR.partial. */
int sim_output_install(sim_output *o, sim_err *err);

/* Closes the files and removes DIR.partial (after a failure), unless
 * o->keep (a resumed run's, or one suspended); unlocks it. Safe to call
 * on a closed or never-opened output. */
void sim_output_abort(sim_output *o);

/* Flushes and closes the files and unlocks DIR.partial, kept for
 * --resume (an interruption). */
void sim_output_suspend(sim_output *o);

#endif
