/* discover_impl.h - private to the discover_*.c files: a sweep's result
 * directory as `discover` reads it (discover_load.c) and the writing of
 * peeling.csv, box.csv and manifest.cfg (discover_write.c). */
#ifndef SIM_DISCOVER_IMPL_H
#define SIM_DISCOVER_IMPL_H

#include <stddef.h>

#include <sanctionsim/discover.h>
#include <sanctionsim/error.h>

struct sim_output;

/* A sweep as discover sees it: every run a case, with its point's factor
 * values and whether the outcome happened in it. */
typedef struct disc_sweep {
    int k;                               /* factors */
    char (*factor)[SIM_COLUMN_NAME_MAX]; /* [k] */
    size_t npoints;                      /* rows of design.csv */
    double *design;                      /* [npoints * k] */
    size_t ncases;                       /* rows of runs.csv */
    double *x;                           /* [ncases * k] */
    unsigned char *y;                    /* [ncases] */
} disc_sweep;

/* Reads dir's design.csv and runs.csv, evaluating `where` on every run.
 * Returns 0, SIM_E_USAGE (not a sweep's directory, a malformed file
 * named with its line, a bad expression, a text column in it), SIM_E_IO
 * or SIM_E_NOMEM; on failure *s is freed. */
int sim_discover_load(const char *dir, const char *where, disc_sweep *s,
                      sim_err *err);

/* Frees what sim_discover_load allocated; safe on a zeroed sweep. */
void sim_discover_sweep_free(disc_sweep *s);

/* Writes peeling.csv, box.csv and manifest.cfg of res into out's
 * DIR.partial (opened by sim_output_open_dir before the work) and
 * installs it (output.h). alpha and min_support are the values used.
 * Returns 0 or a negative code. */
int sim_discover_write(const sim_discover_opts *opts,
                       const sim_discover_result *res, double alpha,
                       double min_support, struct sim_output *out,
                       sim_err *err);

#endif
