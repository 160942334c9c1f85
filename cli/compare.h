/* compare.h - `sanctionsim compare`: the command's arguments, the call to
 * sim_compare_run and the table it prints. */
#ifndef SIM_CLI_COMPARE_H
#define SIM_CLI_COMPARE_H

#include <sanctionsim/error.h>

/* The usage text of `sanctionsim compare`. */
extern const char compare_usage[];

/* Runs `sanctionsim compare` with argv[0] == "compare"; returns 0 or a
 * negative code with a message in err. */
int compare_main(int argc, char **argv, sim_err *err);

#endif
