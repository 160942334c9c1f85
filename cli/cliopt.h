/* cliopt.h - what the commands' option parsers share. */
#ifndef SIM_CLI_CLIOPT_H
#define SIM_CLI_CLIOPT_H

#include <stddef.h>

#include <sanctionsim/cluster.h>
#include <sanctionsim/error.h>

/* Reports the unknown option arg of command (SIM_E_USAGE): "COMMAND:
 * unknown option 'ARG'; did you mean '--x'? (see sanctionsim COMMAND
 * --help)", the suggestion only for a long option close to one of
 * valid[0..n) (compared without any "=VALUE"). */
int cli_unknown_option(const char *command, const char *arg,
                       const char *const *valid, int n, sim_err *err);

/* Parses val (NULL when the option ended the command line) as the value
 * of --threads, 1 to SIM_BATCH_MAX_THREADS, into *out. */
int cli_threads(const char *val, int *out, sim_err *err);

/* The default of --threads for run, sweep and calibrate: the cores online,
 * shared among the ranks of cluster on this machine (NULL: one process),
 * 1 to SIM_BATCH_MAX_THREADS. */
int cli_default_threads(const sim_cluster *cluster);

/* Over a cluster (MPI ranks; NULL: returns rc), the ranks agree that
 * every one has set up (read the scenario, checked the options) before a
 * batch or a sweep starts, so that none waits for one that gave up.
 * Returns rc, or, if another rank failed, an error: on rank 0 saying so,
 * on the others "rank 0 failed" (kept quiet). A rank other than 0 that
 * failed where rank 0 did not prints its own message with its rank. */
int cli_agree_setup(const sim_cluster *cluster, int rc, sim_err *err);

/* The command line, for a manifest: argv[0..argc) joined by spaces into
 * buf[size], a word with a space or quote in single quotes. */
void cli_command_line(int argc, char **argv, char *buf, size_t size);

#endif
