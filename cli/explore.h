/* explore.h - the `explore` command (cli/explore.c): a local web page
 * to explore a scenario. */
#ifndef SIM_CLI_EXPLORE_H
#define SIM_CLI_EXPLORE_H

#include <sanctionsim/error.h>

/* The help text of `sanctionsim explore`. */
extern const char *const explore_usage;

/* Runs `sanctionsim explore` on argv[2..argc) (argv[1] is "explore")
 * until SIGINT or SIGTERM. Returns 0 or a SIM_E_* code with err's
 * message. */
int explore_main(int argc, char **argv, sim_err *err);

#endif
