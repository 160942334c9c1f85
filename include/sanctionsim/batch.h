/* batch.h - runs the replications of a scenario into a result directory.
 *
 * Replication r uses streams derived from (master seed, r), so the order in
 * which replications run does not change any result: a batch on any number
 * of threads, or a slice of a batch (`first`), writes the same rows,
 * always in replication order. */
#ifndef SIM_BATCH_H
#define SIM_BATCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cluster.h"
#include "error.h"
#include "scenario.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called now and then with the replications done (written) so far, last
 * with done == total. With several threads the calls may come from any of
 * the batch's threads, but never two at once, and done only grows. */
typedef void (*sim_progress_fn)(void *ctx, long done, long total);

/* The most threads a batch runs on. */
#define SIM_BATCH_MAX_THREADS 256

typedef struct sim_batch_opts {
    uint64_t seed;
    long replications;
    bool trace;         /* write rounds.csv */
    const char *outdir; /* final result directory */
    bool force;         /* replace a non-empty outdir */
    const char *command_line; /* for the manifest */
    /* The scenario's file and --set overrides, for the manifest; NULL:
     * the scenario's file and no overrides. */
    const sim_provenance *provenance;
    sim_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    /* If not NULL and it becomes non-zero (a signal handler sets it), the
     * batch stops between replications and returns SIM_E_INTERRUPTED,
     * leaving the replications written so far in outdir.partial/ (its
     * manifest says `completed = false;`) for `resume`. */
    const atomic_int *cancel;
    /* Continue the interrupted run in outdir.partial/ (same scenario,
     * inputs and options, else SIM_E_USAGE): its fully written
     * replications are kept, the rest run; the result is byte for byte
     * the uninterrupted run's. Without outdir.partial/, starts afresh. */
    bool resume;
    /* For tests: stop as if interrupted once at least this many
     * replications are written (0: never). */
    long stop_after;
    /* Threads to run the replications on, 0 to SIM_BATCH_MAX_THREADS; 0
     * (the default) means 1. The results do not depend on it. */
    int threads;
    /* The first replication: the batch runs replications first ..
     * first + replications - 1 (a slice of a larger batch; runs.csv keeps
     * their global index, the manifest records the slice). 0 by default. */
    long first;
    /* Keep every replication's exact metric values in the result
     * directory's metrics.bin (spill.h's saved format), for
     * `sanctionsim merge`; a --reps slice sets it. */
    bool keep_values;
    /* The ranks to spread the blocks of replications over (cluster.h), or
     * NULL: this process alone. Every rank calls sim_batch_run with the
     * same scenario and options; rank 0 alone opens, resumes and writes
     * outdir and gets the summary rows; the others return rank 0's
     * outcome (rank 0 has the message) and no rows. threads is each
     * rank's. The files are the same for any number of ranks. */
    const sim_cluster *cluster;
} sim_batch_opts;

/* What a batch leaves the caller: the summary rows (owned; free with
 * sim_batch_result_free). */
typedef struct sim_batch_result {
    sim_summary *rows;
    int nrows;
    double elapsed_seconds;
    long resumed;       /* replications recovered from outdir.partial/ */
    bool stale_removed; /* a stale outdir.partial/ was removed (--force) */
} sim_batch_result;

/* Runs the batch and commits the result directory. On an interruption
 * outdir.partial/ is kept for `resume`; on any other error outdir is left
 * as it was, and outdir.partial/ removed unless it is a resumed run's. */
int sim_batch_run(const sim_scenario *sc, const sim_batch_opts *o,
                  sim_batch_result *out, sim_err *err);

void sim_batch_result_free(sim_batch_result *r);

/* The summary row named `metric`, or NULL. */
const sim_summary *sim_batch_find(const sim_batch_result *r,
                                  const char *metric);

#ifdef __cplusplus
}
#endif

#endif
