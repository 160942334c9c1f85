/* solve.h - the `solve` command's parts (cli/solve.c). */
#ifndef SIM_CLI_SOLVE_H
#define SIM_CLI_SOLVE_H

#include <stdbool.h>

#include "error.h"
#include "scenario.h"

#define SOLVE_MAX_LAMBDAS 32

typedef struct solve_opts {
    bool csv;
    double lambda[SOLVE_MAX_LAMBDAS];
    int nlambda;
    const char *export_nfg; /* NULL: none */
} solve_opts;

/* Prints the equilibrium of the first round's Washington-Minsk game. */
int solve_bargaining(const sim_scenario *sc, const solve_opts *o,
                     sim_err *err);

#endif
