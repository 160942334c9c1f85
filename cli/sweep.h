/* sweep.h - the `sweep` command (cli/sweep.c). */
#ifndef SIM_CLI_SWEEP_H
#define SIM_CLI_SWEEP_H

#include <stdatomic.h>

#include <sanctionsim/cluster.h>
#include <sanctionsim/error.h>

/* The help text of `sanctionsim sweep`. */
extern const char *const sweep_usage;

/* Runs `sanctionsim sweep` on argv[2..argc) (argv[1] is "sweep"); cancel
 * is the command line's interrupt flag, cluster the MPI ranks (NULL: one
 * process). Returns 0 or a SIM_E_* code with err's message. */
int sweep_main(int argc, char **argv, const atomic_int *cancel,
               const sim_cluster *cluster, sim_err *err);

#endif
