/* merge.h - combines the result directories of slices of one batch
 * (`run --reps FIRST:COUNT`, which keep their exact metric values in
 * metrics.bin) into the result of the whole batch.
 *
 * The slices must come from the same version, scenario (the manifests'
 * resolved `scenario` groups, so the same total of replications), master
 * seed and generator, and together cover replications 0 .. N-1 once each,
 * in any order on the command line. The merged directory's runs.csv,
 * rounds.csv (when every slice has one), summary.csv (from the exact
 * values, spill_summary.h) and scenario.cfg are byte-identical to a single
 * run's of the whole batch, and so is its manifest.cfg above the
 * run-specific group (which names the merged slices). Memory does not grow
 * with the replications: the CSV files are streamed, the summaries made
 * one metric at a time. */
#ifndef SIM_MERGE_H
#define SIM_MERGE_H

#include <stdbool.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sim_merge_opts {
    const char *const *dirs; /* the slices' result directories */
    int ndirs;
    const char *outdir;       /* the merged result directory */
    bool force;               /* replace an earlier result in outdir */
    const char *command_line; /* for the manifest */
} sim_merge_opts;

/* What a merge made. */
typedef struct sim_merge_result {
    long replications; /* N, the whole batch */
    int slices;
    bool rounds; /* rounds.csv was merged */
} sim_merge_result;

/* Merges the slices into outdir, written into a temporary directory
 * beside it and renamed into place when complete (as a run's results).
 * Returns 0; SIM_E_USAGE naming the directory and what is wrong when the
 * slices do not belong together, leave replications out (named) or
 * overlap, a directory is not a slice (no manifest.cfg or metrics.bin), or
 * outdir is not a result directory; SIM_E_EXISTS when outdir is not empty
 * and force is off; SIM_E_IO when a file cannot be read or written; the
 * summary's errors. On any error nothing is left in outdir. */
int sim_merge_run(const sim_merge_opts *o, sim_merge_result *out,
                  sim_err *err);

#ifdef __cplusplus
}
#endif

#endif
