/* calibrate.h - the `calibrate` command (cli/calibrate.c). */
#ifndef SIM_CLI_CALIBRATE_H
#define SIM_CLI_CALIBRATE_H

#include <stdatomic.h>

#include <sanctionsim/cluster.h>
#include <sanctionsim/error.h>

/* The help text of `sanctionsim calibrate`. */
extern const char *const calibrate_usage;

/* Runs `sanctionsim calibrate` on argv[2..argc) (argv[1] is "calibrate");
 * cancel is the command line's interrupt flag; cluster the ranks of an
 * MPI job (NULL: one process), which then each run the same search and
 * share each evaluation's replications. Returns 0 or a SIM_E_* code
 * with err's message. */
int calibrate_main(int argc, char **argv, const atomic_int *cancel,
                   const sim_cluster *cluster, sim_err *err);

#endif
