/* score_impl.h - private to score_run.c and score_write.c: one target's
 * ensemble from a result directory and its scores, as score.csv writes
 * them. */
#ifndef SIM_SCORE_IMPL_H
#define SIM_SCORE_IMPL_H

#include <sanctionsim/score.h>

/* Why a target was not scored ("" if it was). */
typedef struct score_row {
    const sim_target *t;
    int from_round, to_round;
    const char *status; /* "scored", "before_start", "after_end",
                           "partly_outside", "undefined" */
    size_t n;           /* replications in the ensemble */
    double mean, sd, q05, q25, q50, q75, q95;
    double crps, brier, pit; /* NaN when not applicable */
    int in50, in90;          /* -1 when not applicable */
} score_row;

/* Writes score.csv for rows[0..n) to path (through a temporary file
 * beside it, renamed into place); an existing file is replaced only with
 * force. Returns 0, SIM_E_EXISTS or SIM_E_IO. */
int sim_score_write(const char *path, bool force, const score_row *rows,
                    int n, sim_err *err);

#endif
