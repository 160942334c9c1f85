/* merge.h - the `merge` command (cli/merge.c). */
#ifndef SIM_CLI_MERGE_H
#define SIM_CLI_MERGE_H

#include <sanctionsim/error.h>

/* The help text of `sanctionsim merge`. */
extern const char *const merge_usage;

/* Runs `sanctionsim merge` on argv[2..argc) (argv[1] is "merge"). Returns
 * 0 or a SIM_E_* code with err's message. */
int merge_main(int argc, char **argv, sim_err *err);

#endif
