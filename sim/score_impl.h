/* score_impl.h - private to score_run.c and score_write.c: one target's
 * row of score.csv; and to score_collect.c and calib_eval.c: an event's
 * comparison. */
#ifndef SIM_SCORE_IMPL_H
#define SIM_SCORE_IMPL_H

#include <sanctionsim/score.h>

/* A target, where it lies in the run, and its scores. */
typedef struct score_row {
    const sim_target *t;
    int from_round, to_round;
    const char *status; /* "scored", "before_start", "after_end",
                           "partly_outside", "undefined" */
    sim_score_stats s;
} score_row;

/* Writes score.csv for rows[0..n) to path (through a temporary file
 * beside it, renamed into place); an existing file is replaced only with
 * force. Returns 0, SIM_E_EXISTS or SIM_E_IO. */
int sim_score_write(const char *path, bool force, const score_row *rows,
                    int n, sim_err *err);

/* Whether a round's (or, with field "", a runs.csv) value satisfies
 * event t's comparison: v op threshold, or (contains) the text field's
 * ';'-separated list holds t->match. */
bool sim_score_event_holds(const sim_target *t, const char *field, double v);

#endif
