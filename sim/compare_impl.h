/* compare_impl.h - private to the compare*.c files: a result directory as
 * `compare` reads it (compare_load.c), and the writing of compare.csv
 * (compare_write.c). */
#ifndef SIM_COMPARE_IMPL_H
#define SIM_COMPARE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sanctionsim/compare.h>
#include <sanctionsim/error.h>

struct sim_output;

/* What a column of runs.csv is to `compare`. */
typedef enum cmp_kind {
    CMP_NUMBER,     /* a metric: numbers, empty when missing */
    CMP_PROPORTION, /* a metric with values 0 and 1 (columns.h) */
    CMP_ID,         /* rep, seed: identify a replication */
    CMP_TEXT        /* stop_reason, status_*, or non-numbers */
} cmp_kind;

/* A result directory: its manifest's keys and runs.csv by columns. */
typedef struct cmp_dir {
    const char *path; /* the caller's string */
    uint64_t master_seed;
    long replications;
    char generator[SIM_TEXT_MAX];
    char version[64];
    int ncols;
    char (*name)[SIM_COLUMN_NAME_MAX]; /* name[0..ncols) */
    cmp_kind *kind;                    /* kind[0..ncols) */
    size_t nrows;
    double *val;   /* val[r * ncols + c]: NaN for an empty field or text */
    uint64_t *rep; /* the rep column, exactly; NULL without one */
    uint64_t *seed; /* the seed column, exactly; NULL without one */
} cmp_dir;

/* Reads dir's manifest.cfg and runs.csv into *d. Returns 0, SIM_E_USAGE
 * (no runs.csv or manifest.cfg, unknown format, a malformed file, named
 * with its line), SIM_E_IO or SIM_E_NOMEM; on failure *d is freed. */
int sim_compare_load_dir(cmp_dir *d, const char *dir, sim_err *err);

/* Frees what sim_compare_load_dir allocated; safe on a zeroed cmp_dir. */
void sim_compare_free_dir(cmp_dir *d);

/* Writes compare.csv and manifest.cfg for res into out's DIR.partial
 * (opened by sim_output_open_dir before the work) and installs it as
 * out's directory (sim_output_install). */
int sim_compare_write(const sim_compare_opts *opts,
                      const sim_compare_result *res, struct sim_output *out,
                      sim_err *err);

#endif
