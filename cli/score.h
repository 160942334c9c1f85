/* score.h - the `score` command (cli/score.c). */
#ifndef SIM_CLI_SCORE_H
#define SIM_CLI_SCORE_H

#include <sanctionsim/error.h>

/* The help text of `sanctionsim score`. */
extern const char *const score_usage;

/* Runs `sanctionsim score` on argv[2..argc) (argv[1] is "score"). Returns
 * 0 or a SIM_E_* code with err's message. */
int score_main(int argc, char **argv, sim_err *err);

#endif
