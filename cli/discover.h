/* discover.h - `sanctionsim discover`: the command's arguments, the call to
 * sim_discover_run and the summary it prints. */
#ifndef SIM_CLI_DISCOVER_H
#define SIM_CLI_DISCOVER_H

#include <sanctionsim/error.h>

/* The usage text of `sanctionsim discover`. */
extern const char discover_usage[];

/* Runs `sanctionsim discover` with argv[0] == "discover"; returns 0 or a
 * negative code with a message in err. */
int discover_main(int argc, char **argv, sim_err *err);

#endif
