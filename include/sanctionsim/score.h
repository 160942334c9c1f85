/* score.h - dated observations of the world (a targets file) and how well a
 * result directory forecast them (`sanctionsim score`): the fair CRPS for
 * counts and amounts, the fair Brier score for yes/no events, the
 * randomised PIT value and the 50 % and 90 % central intervals. The
 * targets file is shared with `calibrate`; docs/VALIDATION.md describes
 * it and the scores. */
#ifndef SIM_SCORE_H
#define SIM_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes of a target's texts (with the terminating NUL). */
#define SIM_TARGET_ID_MAX 64
#define SIM_TARGET_SOURCE_MAX 512
/* At most this many observations in one targets file. */
#define SIM_MAX_TARGETS 1000
/* The PIT's default seed (`score --seed`). */
#define SIM_SCORE_SEED 20250915u

/* What is observed of the quantity (a column of rounds.csv or runs.csv):
 * its value at a date or round (a state at the end of the round that
 * holds the date, or a round's events), its sum over a period of rounds
 * (a count in a month, a total over months), or whether an event
 * happened in a period (a yes/no observation, 0 or 1). For a runs.csv
 * column, `value` is the replication's value and `event` compares it. */
typedef enum sim_target_stat {
    SIM_TARGET_VALUE,
    SIM_TARGET_SUM,
    SIM_TARGET_EVENT
} sim_target_stat;

/* The comparison of an event: the quantity op threshold, or (op
 * SIM_OP_CONTAINS, rounds.csv's `lifted` only) the round's list of
 * lifted instruments holds `match`. */
typedef enum sim_target_op {
    SIM_OP_GT,
    SIM_OP_GE,
    SIM_OP_LT,
    SIM_OP_LE,
    SIM_OP_EQ,
    SIM_OP_NE,
    SIM_OP_CONTAINS
} sim_target_op;

/* A point in time: a date ("YYYY-MM-DD", mapped to a round through the
 * scenario's calendar) or a 1-based round. Unset when both are empty. */
typedef struct sim_target_when {
    char date[11]; /* "" if given as a round or not given */
    int round;     /* 0 if given as a date or not given */
} sim_target_when;

/* One observation of a targets file. */
typedef struct sim_target {
    char id[SIM_TARGET_ID_MAX];
    char quantity[SIM_COLUMN_NAME_MAX];
    bool in_runs; /* a column of runs.csv (else of rounds.csv) */
    sim_target_stat stat;
    /* The period: [from, to]; for `value` both are the one point. For an
     * event without `from`, from is round 1. */
    sim_target_when from, to;
    sim_target_op op;
    double threshold;
    char match[SIM_NAME_MAX];
    double value;       /* observed */
    double uncertainty; /* its standard deviation, >= 0 */
    char source[SIM_TARGET_SOURCE_MAX];
    int line; /* of the observation in the file */
} sim_target;

/* A targets file: its observations, and the date after which it holds no
 * information (`cutoff`, "" if not given; no observation may end later). */
typedef struct sim_targets {
    char file[SIM_PATH_MAX];
    char cutoff[11];
    int n;
    sim_target *t;
} sim_targets;

/* Reads a targets file (libconfig):
 *   cutoff = "2025-09-15";             // optional
 *   observations = (
 *     { id = "released_2025_09"; quantity = "released"; statistic = "sum";
 *       month = "2025-09"; value = 52.0; uncertainty = 1.0;
 *       source = "AP, 11 September 2025"; }, ... );
 * Keys of an observation: id, quantity, statistic ("value", "sum" or
 * "event"; default "value"), a point `date` ("YYYY-MM-DD") or `round`, or
 * a period `from` and `to` (each a date string or a round number) or
 * `month` ("YYYY-MM", the whole month), for events `op` (">", ">=", "<",
 * "<=", "==", "!=" or "contains"), `threshold` or `match`, and value,
 * uncertainty, source; `note` is free text. Every error names the file,
 * the line and the key. Returns 0, SIM_E_SCENARIO (an unreadable or bad
 * file) or SIM_E_NOMEM; *out is empty on error. */
int sim_targets_load(const char *path, sim_targets *out, sim_err *err);

/* Frees what sim_targets_load allocated; safe on a zeroed struct. */
void sim_targets_free(sim_targets *ts);

/* The calendar of a run: round 1 is the month `start` ("YYYY-MM"), each
 * round lasts round_months months, and the run has `rounds` rounds. */
typedef struct sim_score_calendar {
    int start_year, start_month;
    int round_months;
    int rounds;
} sim_score_calendar;

/* The round (1-based, possibly outside 1..rounds) whose months hold date
 * "YYYY-MM-DD" (or "YYYY-MM"); SIM_E_USAGE for a malformed date. */
int sim_score_date_round(const sim_score_calendar *cal, const char *date,
                         int *round, sim_err *err);

/* The rounds [*from, *to] target t covers under calendar cal. */
int sim_target_rounds(const sim_target *t, const sim_score_calendar *cal,
                      int *from, int *to, sim_err *err);

/* ---- proper scores of an ensemble x[0..m) against an observation y ----
 * Ensembles hold no NaN. Each returns NaN when m is too small. */

/* The fair (unbiased for the CRPS of the distribution the ensemble is
 * drawn from) ensemble CRPS (Ferro 2014):
 *   (1/m) sum_i |x_i - y| - 1/(2 m (m-1)) sum_i sum_j |x_i - x_j|.
 * Needs m >= 2. x is sorted in place. */
double sim_score_crps_fair(double *x, size_t m, double y);

/* The fair Brier score of a yes/no event seen in k of m members, against
 * y (0 or 1): (k/m - y)^2 - (k/m)(1 - k/m)/(m - 1). Needs m >= 2. */
double sim_score_brier_fair(size_t k, size_t m, double y);

/* The PIT value of y: (#{x_i < y} + u #{x_i == y}) / m with u uniform on
 * [0, 1), which randomises it within the step of a discrete (count or
 * 0/1) forecast distribution. Needs m >= 1. */
double sim_score_pit(const double *x, size_t m, double y, double u);

/* The p-quantile of sorted x[0..m) (linear interpolation, as
 * gsl_stats_quantile_from_sorted_data). */
double sim_score_quantile(const double *sorted, size_t m, double p);

/* The scores of one target against an ensemble: its size, mean, standard
 * deviation and quantiles (linear interpolation; NaN for events), the
 * fair CRPS (amounts and counts) or fair Brier score (events), the
 * randomised PIT, and whether the observation lies in the central 50 %
 * (q25-q75) and 90 % (q05-q95) intervals (-1 for events). NaN marks what
 * does not apply. */
typedef struct sim_score_stats {
    size_t n;
    double mean, sd, q05, q25, q50, q75, q95;
    double crps, brier, pit;
    int in50, in90;
} sim_score_stats;

/* Scores target t against x[0..m) (no NaN; events hold 0 and 1), with u
 * the PIT's uniform draw; sorts x. Returns false (out->n = m, the rest
 * NaN) when m < 2. */
bool sim_score_ensemble(const sim_target *t, double *x, size_t m, double u,
                        sim_score_stats *out);

/* ---- the ensembles of a result directory ---- */

/* Per target, one value per replication of a result directory: the
 * quantity (runs.csv), its value at the round or its sum over the period
 * (rounds.csv), or 1/0 for an event; NaN where a replication has none (an
 * empty field, or it stopped before the period's last round). status[t]
 * is NULL for a target inside the run's rounds, else "before_start",
 * "after_end" or "partly_outside" (its values are then all NaN). */
typedef struct sim_score_ensembles {
    int ntargets;
    long nrep;
    uint64_t *rep;    /* replication ids, in runs.csv's order */
    double *value;    /* value[t * nrep + r] */
    int *from_round;  /* the rounds each target covers (0 for runs.csv) */
    int *to_round;
    const char **status;
    sim_score_calendar cal;
} sim_score_ensembles;

/* Reads the ensembles of targets ts from results_dir (scenario.cfg for the
 * calendar, runs.csv, and rounds.csv when a target inside the run needs
 * it). Returns 0, SIM_E_USAGE (missing or malformed files, a target's
 * column absent: the message names the targets file and line),
 * SIM_E_IO or SIM_E_NOMEM; *out is empty on error. */
int sim_score_collect(const char *results_dir, const sim_targets *ts,
                      sim_score_ensembles *out, sim_err *err);

/* Frees what sim_score_collect allocated; safe on a zeroed struct. */
void sim_score_ensembles_free(sim_score_ensembles *e);

/* ---- scoring a result directory ---- */

typedef struct sim_score_opts {
    const char *results_dir;
    const char *targets_path;
    const char *output; /* NULL: RESULTS_DIR/score.csv */
    bool force;         /* replace an existing output file */
    uint64_t seed;      /* of the PIT's randomisation */
} sim_score_opts;

/* The summary line's figures. Means are over the scored targets of each
 * kind; coverage over the scored amounts and counts (not events). */
typedef struct sim_score_summary {
    int targets, scored, outside, undefined;
    int n_crps, n_brier;
    double mean_crps, mean_brier;
    int n_interval, in50, in90;
    long replications;
} sim_score_summary;

/* Scores every target of the targets file against the result directory's
 * runs.csv and (for rounds.csv quantities) rounds.csv, and writes
 * score.csv (written beside and renamed into place; an existing file is
 * replaced only with force). Targets outside the run's rounds are listed
 * with status `before_start` or `after_end` and not scored. Returns 0,
 * SIM_E_USAGE (bad files or arguments), SIM_E_SCENARIO (a bad targets
 * file), SIM_E_EXISTS, SIM_E_IO or SIM_E_NOMEM. */
int sim_score_run(const sim_score_opts *o, sim_score_summary *sum,
                  sim_err *err);

#ifdef __cplusplus
}
#endif

#endif
