/* fuzz_targets.c - libFuzzer target: the targets file reader (what
 * `sanctionsim score` and `calibrate` read).
 *
 * sim_targets_load reads a file only, so each input is written to a file
 * in a folder of the target's own and read from there. The reader must
 * return 0 or an error with a message, never crash or hang, and leave
 * *out empty on error (score.h). A file it accepts holds 1 to
 * SIM_MAX_TARGETS observations, each with an id, a finite value, an
 * uncertainty >= 0, the period its statistic and file need (none for
 * runs.csv, an end for rounds.csv, a start for a sum), an event's value 0
 * or 1 (and no comparison for others), and dates that sim_target_rounds
 * maps to rounds under a calendar without an error. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* open_memstream, mkdtemp */
#endif

#include <math.h>
#include <stdbool.h>

#include "fuzz_common.h"
#include <sanctionsim/score.h>

static void check_targets(const sim_targets *ts)
{
    static const sim_score_calendar cal = {2025, 9, 1, 12};
    if (ts->n < 1 || ts->n > SIM_MAX_TARGETS || !ts->t)
        fuzz_fail("accepted targets without observations", NULL);
    for (int i = 0; i < ts->n; i++) {
        const sim_target *t = &ts->t[i];
        sim_err err = {0};
        int from = 0, to = 0;
        if (!t->id[0] || !t->quantity[0] || !isfinite(t->value) ||
            !(t->uncertainty >= 0.0) || !isfinite(t->uncertainty))
            fuzz_fail("an accepted observation breaks the contract", t->id);
        bool has_from = t->from.date[0] || t->from.round;
        bool has_to = t->to.date[0] || t->to.round;
        if (t->in_runs ? has_from || has_to || t->stat == SIM_TARGET_SUM
                       : !has_to || (t->stat == SIM_TARGET_SUM && !has_from))
            fuzz_fail("an accepted observation has a wrong period", t->id);
        if (t->stat == SIM_TARGET_EVENT
                ? (t->value != 0.0 && t->value != 1.0) ||
                      (unsigned)t->op > SIM_OP_CONTAINS
                : t->op != SIM_OP_GT || t->match[0])
            fuzz_fail("an accepted observation has a wrong event", t->id);
        if (sim_target_rounds(t, &cal, &from, &to, &err) != 0)
            fuzz_fail("an accepted observation's dates do not map to rounds",
                      err.msg);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *path;
    sim_targets ts;
    sim_err err = {0};
    if (!path && !(path = fuzz_dir_file("targets.cfg", 0)))
        fuzz_fail("cannot make a folder for the input", NULL);
    if (fuzz_write_file(path, data, size) != 0)
        return 0;
    int rc = sim_targets_load(path, &ts, &err);
    fuzz_check_error(rc, &err);
    if (rc == 0)
        check_targets(&ts);
    else if (ts.n != 0 || ts.t != NULL)
        fuzz_fail("a failed read left observations", err.msg);
    sim_targets_free(&ts);
    return 0;
}
