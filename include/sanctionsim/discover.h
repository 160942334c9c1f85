/* discover.h - scenario discovery (`sanctionsim discover`): in a sweep's
 * factor space, the boxes where an outcome is likely, found by PRIM, the
 * patient rule induction method of Friedman and Fisher (1999), as Bryant
 * and Lempert (2010) use it; the outcome written as an expression over
 * runs.csv's columns (`released_total >= 300 && us_deals > 8`). PRIM
 * itself works on plain arrays and can be called on its own.
 * docs/EXPERIMENTS.md, "Scenario discovery", says what is computed. */
#ifndef SIM_DISCOVER_H
#define SIM_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Defaults: the fraction of the box's cases one peel removes, and the
 * smallest box (as a fraction of all cases) peeling may reach. */
#define SIM_PRIM_ALPHA 0.05
#define SIM_PRIM_MIN_SUPPORT 0.05

/* ---- PRIM on plain arrays ----
 * The data: n cases of k factors, x[i * k + j] the value of factor j in
 * case i (finite), and y[i] 1 if the outcome happened in case i, else 0.
 * A box is a lower and an upper limit per factor, both inclusive; a case
 * is in the box when lower[j] <= x[i * k + j] <= upper[j] for every j. */
typedef struct sim_prim_data {
    const double *x;
    const unsigned char *y;
    size_t n;
    int k;
} sim_prim_data;

/* The peeling trajectory: steps 0..nsteps-1, step 0 the box of every case,
 * each later one its predecessor less one peel. Arrays owned by the
 * trajectory (sim_prim_traj_free). */
typedef struct sim_prim_traj {
    int k, nsteps;
    size_t n, n_pos;       /* cases, and cases with the outcome */
    double *min, *max;     /* [k]: each factor's range over the cases */
    double *lower, *upper; /* [nsteps * k]: the limits of step s at s * k */
    double *coverage;      /* [nsteps]: share of the outcome's cases inside */
    double *density;       /* [nsteps]: share of the box's cases with it */
    double *mass;          /* [nsteps]: share of all cases inside */
    size_t *n_in;          /* [nsteps]: cases inside */
} sim_prim_traj;

/* Peels: at each step, for every factor, the candidate peels remove the
 * box's cases with the lowest values of that factor, or the highest, up
 * to and including the value at the alpha quantile (ties go together, so
 * a peel never separates cases with the same value, and a factor with
 * one value left in the box is not peeled); the peel chosen is the one
 * with the largest gain in density per case removed (the same as the
 * highest density when every peel removes as many cases, as with
 * continuous factors). Peeling stops when every candidate would leave
 * fewer than min_support * n cases, or none remains. 0 < alpha < 1,
 * 0 <= min_support < 1. Returns 0, SIM_E_USAGE for bad arguments or data
 * (no case, a value not finite, y not 0 or 1), or SIM_E_NOMEM; on
 * failure *t is empty. */
int sim_prim_peel(const sim_prim_data *d, double alpha, double min_support,
                  sim_prim_traj *t, sim_err *err);

/* Frees the trajectory's arrays; safe on an empty (zeroed) one. */
void sim_prim_traj_free(sim_prim_traj *t);

/* The knee of the trajectory: with coverage and density each scaled to
 * [0, 1] over the steps, the step farthest from the straight line from
 * the first step to the last on the side of more of both, if it lies at
 * least SIM_PRIM_KNEE_MIN from it (where the trade-off turns: later peels
 * buy little density for the coverage they cost); *clear is then true.
 * Otherwise (a trajectory nearly straight, or bending the other way, or
 * of fewer than three steps) there is no clear knee: *clear is false and
 * the step returned is the one with the largest coverage x density. */
#define SIM_PRIM_KNEE_MIN 0.05
int sim_prim_knee(const sim_prim_traj *t, bool *clear);

/* A box with what it holds and the significance of each restriction. */
typedef struct sim_prim_box {
    int k;
    double *lower, *upper; /* [k] */
    bool *restricted;      /* [k]: a limit inside the factor's range */
    double *p_value;       /* [k]: NaN for a factor not restricted */
    size_t n_in, n_pos_in; /* cases inside, and with the outcome */
    double coverage, density, mass;
} sim_prim_box;

/* Fills b for the box lower[k], upper[k] on the data: counts, coverage,
 * density, mass, and for each restricted factor j (one whose limits cut
 * into [min[j], max[j]]) the one-sided p-value of the restriction: the
 * box without j's limits holds N cases, K with the outcome; if j's limits
 * picked the box's n_in of them at random, the number with the outcome
 * would be hypergeometric, and p is the probability of n_pos_in or more
 * (Bryant and Lempert 2010). Allocates b's arrays (sim_prim_box_free).
 * Returns 0 or SIM_E_NOMEM. */
int sim_prim_box_eval(const sim_prim_data *d, const double *lower,
                      const double *upper, const double *min,
                      const double *max, sim_prim_box *b, sim_err *err);

/* Frees the box's arrays; safe on an empty (zeroed) one. */
void sim_prim_box_free(sim_prim_box *b);

/* Pasting (Friedman and Fisher 1999): grows the box lower, upper (in
 * place) one face at a time, each time by the alpha share of the box's
 * cases nearest that face outside it (ties together), choosing the
 * growth that raises the density most, while one raises it. Returns 0,
 * SIM_E_USAGE for a bad alpha, or SIM_E_NOMEM. */
int sim_prim_paste(const sim_prim_data *d, double alpha, double *lower,
                   double *upper, sim_err *err);

/* ---- the outcome: an expression over a table's columns ----
 * Grammar (spaces ignored):
 *   expr    = and { "||" and }
 *   and     = unary { "&&" unary }
 *   unary   = "!" unary | "(" expr ")" | compare
 *   compare = operand ("<" | "<=" | ">" | ">=" | "==" | "!=") operand
 *   operand = number | "true" | "false" | column name
 * A column name is a letter or '_' then letters, digits, '_' and '.'.
 * true is 1, false 0. A comparison with a missing value (NaN: an empty
 * field, "never") is false, except != which is true. */
typedef struct sim_expr sim_expr;

/* Parses text against the column names names[0..nnames). Errors
 * (SIM_E_USAGE) give the 1-based character column of the fault in the
 * expression and, for an unknown column, the closest name. Returns 0,
 * SIM_E_USAGE or SIM_E_NOMEM; *out is the caller's (sim_expr_free). */
int sim_expr_parse(const char *text, const char *const *names, int nnames,
                   sim_expr **out, sim_err *err);

/* Whether the expression holds for the row whose column c has value
 * values[c] (only the columns the expression names are read). */
bool sim_expr_eval(const sim_expr *e, const double *values);

/* The columns the expression names: writes up to max of their indices
 * into cols (in order of first use) and returns how many there are. */
int sim_expr_columns(const sim_expr *e, int *cols, int max);

/* Frees a parsed expression; NULL is allowed. */
void sim_expr_free(sim_expr *e);

/* ---- discovery in a sweep's result directory ---- */

/* What to discover and where to write it. */
typedef struct sim_discover_opts {
    const char *sweep_dir; /* holds design.csv and runs.csv */
    const char *where;     /* the outcome, an expression (above) */
    double alpha;          /* 0: SIM_PRIM_ALPHA */
    double min_support;    /* < 0: SIM_PRIM_MIN_SUPPORT */
    int step;              /* the box: this step; < 0: the knee */
    bool paste;            /* paste the chosen box */
    const char *outdir;    /* peeling.csv, box.csv go here; NULL: none */
    bool force;            /* may replace an earlier discovery */
    const char *command_line; /* for the manifest; may be NULL */
} sim_discover_opts;

/* The discovery. Owned by the caller; sim_discover_result_free. */
typedef struct sim_discover_result {
    int k;                                 /* factors */
    char (*factor)[SIM_COLUMN_NAME_MAX];   /* [k]: design.csv's names */
    size_t n_points, n_cases, n_pos;       /* design points, runs, outcome */
    sim_prim_traj traj;
    int step;          /* the chosen step */
    bool knee;         /* chosen by sim_prim_knee (no step given) */
    bool knee_clear;   /* and the trajectory has a clear knee there */
    sim_prim_box box;  /* its box (pasted if asked) */
    size_t box_points; /* design points inside the box */
} sim_discover_result;

/* Reads the sweep's design.csv and runs.csv (each run a case with its
 * point's factor values; the outcome evaluated per run), peels, picks the
 * step, evaluates its box and, if opts->outdir, writes peeling.csv,
 * box.csv and manifest.cfg there (through a temporary directory renamed
 * into place; an existing directory is replaced only with force and
 * only if it is an earlier result). Refuses with SIM_E_USAGE: a directory
 * that is not a sweep's result, an expression that does not parse or
 * names an unknown or text column, an outcome that never happens or
 * always does, a step beyond the trajectory, bad alpha or min_support.
 * Returns 0 or a negative code; on failure *res is empty. */
int sim_discover_run(const sim_discover_opts *opts, sim_discover_result *res,
                     sim_err *err);

/* Frees what sim_discover_run allocated; safe on an empty result. */
void sim_discover_result_free(sim_discover_result *res);

#ifdef __cplusplus
}
#endif

#endif
