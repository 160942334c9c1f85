/* plot.h - the data behind `sanctionsim plot` and `sanctionsim report`,
 * prepared from result directories: columns of a CSV file as numbers,
 * quantile bands per round (fan charts) without padding replications that
 * stopped early, empirical distribution functions, probabilities by round,
 * the main effects of a sweep's factors, what a result directory holds,
 * the units of its columns, its manifest's command and seed, and the
 * differences between two resolved scenarios. Nothing here draws or
 * prints: the command writes the gnuplot script. */
#ifndef SIM_PLOT_H
#define SIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "limits.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- result directories ---- */

/* What a result directory holds. */
typedef enum sim_plot_kind {
    SIM_PLOT_RUN,      /* a run: runs.csv (rounds.csv with --trace) */
    SIM_PLOT_SWEEP,    /* a sweep: design.csv and points.csv */
    SIM_PLOT_DISCOVER  /* a discovery: peeling.csv */
} sim_plot_kind;

/* Says what dir holds: a sweep (design.csv and points.csv), a discovery
 * (peeling.csv) or a run (runs.csv), in that order of precedence. Returns
 * 0, or SIM_E_USAGE naming dir when it is not a directory or holds none of
 * them. */
int sim_plot_dir_kind(const char *dir, sim_plot_kind *kind, sim_err *err);

/* What a result directory's manifest.cfg says about how it was made. */
typedef struct sim_plot_manifest {
    char command[SIM_TEXT_MAX]; /* the command line; "" if not recorded */
    char source[SIM_PATH_MAX];  /* the scenario file of a run, the
                                   experiment file of a sweep ("" if
                                   not recorded) */
    char version[SIM_NAME_MAX];
    int64_t seed;         /* master seed; -1 if not recorded */
    int64_t replications; /* per point for a sweep; -1 if not recorded */
} sim_plot_manifest;

/* Reads dir/manifest.cfg (of a run or a sweep) into *m. Returns 0,
 * SIM_E_USAGE if it is missing or unreadable (naming the file and line). */
int sim_plot_manifest_read(const char *dir, sim_plot_manifest *m,
                           sim_err *err);

/* ---- CSV files as numbers ---- */

/* Selected columns of a CSV file: v[row * ncols + col], an empty field
 * NaN; label[row] the text of the label column (NULL without one). */
typedef struct sim_plot_table {
    int ncols;
    size_t nrows;
    double *v;
    char **label;
} sim_plot_table;

/* Which columns and rows to read. */
typedef struct sim_plot_query {
    const char *const *cols; /* names, in the order wanted */
    int ncols;
    const char *where_col; /* keep rows whose where_col is where_val */
    const char *where_val; /* (both NULL: every row) */
    const char *label_col; /* kept as text in label[]; NULL: none */
} sim_plot_query;

/* Reads the columns q->cols of the CSV file at path. Returns 0,
 * SIM_E_USAGE for a missing file or column or a field that is not a number
 * ("FILE:LINE: ..."), SIM_E_IO or SIM_E_NOMEM; on failure *t is empty. */
int sim_plot_table_read(const char *path, const sim_plot_query *q,
                        sim_plot_table *t, sim_err *err);

/* Frees a table; safe on an empty one. */
void sim_plot_table_free(sim_plot_table *t);

/* The value of column col of row `row`. */
static inline double sim_plot_at(const sim_plot_table *t, size_t row, int col)
{
    return t->v[row * (size_t)t->ncols + (size_t)col];
}

/* The column names of the CSV file at path: *names[0..*n), each
 * allocated, freed with sim_plot_names_free. Returns 0 or a negative
 * code as sim_plot_table_read. */
int sim_plot_header(const char *path, char ***names, int *n, sim_err *err);

/* Frees names[0..n) and the array. */
void sim_plot_names_free(char **names, int n);

/* ---- what the pictures show ---- */

/* One round of a fan chart: over the replications with a row for the
 * round (those that stopped earlier are left out, not padded), their
 * number, the number of them with a value, the mean (the probability of a
 * 0/1 column) and GSL's quantiles (linear interpolation, as summary.csv).
 * Without values the statistics are NaN. */
typedef struct sim_plot_band {
    int round;
    size_t running, n;
    double mean, p05, p25, p50, p75, p95;
} sim_plot_band;

/* Bands of column value_col by the round in column round_col of t (rounds
 * from 1): *bands[0..*nrounds) for rounds 1 to the largest, allocated
 * (free()). Returns 0, SIM_E_USAGE for a round that is not a whole number
 * from 1 to 100000, or SIM_E_NOMEM. */
int sim_plot_bands(const sim_plot_table *t, int round_col, int value_col,
                   sim_plot_band **bands, int *nrounds, sim_err *err);

/* The empirical distribution function of x[0..n), NaN meaning "never"
 * (counted in n, so the function ends below 1): the distinct values in
 * increasing order in xs and F[i] = (values <= xs[i]) / n. xs and F hold n
 * numbers. Returns the number of distinct values. */
size_t sim_plot_ecdf(const double *x, size_t n, double *xs, double *F);

/* p[t] = the proportion of x[0..n) at most t, for t = 0..max_round (NaN:
 * never): the probability that an event has happened by round t, from
 * its round (lifted_round_<instrument>). */
void sim_plot_by_round(const double *x, size_t n, int max_round, double *p);

/* A level of a factor and the mean of an output over the design points at
 * it, with its standard error over those points (NaN below two). */
typedef struct sim_plot_effect {
    double level, mean, se;
    size_t n;
} sim_plot_effect;

/* The main effect of factor values f[0..n) on outputs y[0..n) (points
 * with a NaN output are left out): with at most max_levels distinct
 * values, one level each; otherwise max_levels bins of equal width from
 * the smallest to the largest value, each at the mean of its values
 * (empty bins are left out). out holds max_levels entries; *nout
 * receives how many were filled. Returns 0, SIM_E_USAGE for max_levels
 * below 1, or SIM_E_NOMEM. */
int sim_plot_main_effect(const double *f, const double *y, size_t n,
                         int max_levels, sim_plot_effect *out, int *nout,
                         sim_err *err);

/* ---- units and scenarios ---- */

/* The unit of a column of runs.csv, summary.csv or rounds.csv of scenario
 * sc (instruments named as in sc) into unit ("" for a count without
 * unit), and what it holds into meaning (may be NULL). Returns false for
 * a name that is no such column. */
bool sim_plot_column_unit(const sim_scenario *sc, const char *column,
                          char *unit, size_t usize, char *meaning,
                          size_t msize);

/* One difference between two resolved scenarios: the dotted key (list
 * entries by name, `instruments.[name="us_potash"].value`, or by index),
 * and its value in each, as written ("" where the key is absent). */
typedef struct sim_plot_change {
    char *key, *a, *b;
} sim_plot_change;

/* The settings of the scenario.cfg files at path_a and path_b (written
 * by sanctionsim, one setting a line) that differ, in the order of a,
 * then those only in b: *ch[0..*n), freed with sim_plot_changes_free.
 * Returns 0, SIM_E_USAGE for a missing file, SIM_E_IO or SIM_E_NOMEM. */
int sim_plot_scenario_diff(const char *path_a, const char *path_b,
                           sim_plot_change **ch, size_t *n, sim_err *err);

/* Frees ch[0..n) and the array. */
void sim_plot_changes_free(sim_plot_change *ch, size_t n);

/* ---- the pictures' directory (plot_dir.c) ---- */

/* A directory of pictures being written, by the rules of a result
 * directory (`run`'s): the path is checked and DIR.partial made before
 * any drawing, the files are written there, and the install lists them
 * in a manifest (what --force may replace later) and swaps DIR.partial
 * in atomically. */
typedef struct sim_plot_outdir sim_plot_outdir;

/* Checks dir and makes DIR.partial; *d is freed by install or abort. An
 * existing non-empty dir is refused with SIM_E_EXISTS unless force, and
 * with SIM_E_USAGE even with it unless it is an earlier result whose
 * manifest lists every file in it; `.`, `..`, a symbolic link, a path
 * under a file or one of the directories plotted, inputs[0..ninputs),
 * are SIM_E_USAGE. */
int sim_plot_outdir_open(sim_plot_outdir **d, const char *dir, bool force,
                         const char *const *inputs, int ninputs,
                         sim_err *err);

/* Where to write the files: DIR.partial. */
const char *sim_plot_outdir_path(const sim_plot_outdir *d);

/* Writes manifest.cfg listing every file in DIR.partial (command: the
 * command line, may be NULL), installs it as DIR and frees d, also on
 * failure (then DIR.partial is removed). */
int sim_plot_outdir_install(sim_plot_outdir *d, const char *command,
                            sim_err *err);

/* Removes DIR.partial and frees d; safe on NULL. */
void sim_plot_outdir_abort(sim_plot_outdir *d);

#ifdef __cplusplus
}
#endif

#endif
