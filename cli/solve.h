/* solve.h - the `solve` command's parts (cli/solve.c). */
#ifndef SIM_CLI_SOLVE_H
#define SIM_CLI_SOLVE_H

#include <stdbool.h>

#include <sanctionsim/error.h>
#include <sanctionsim/nfg.h>
#include <sanctionsim/scenario.h>

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

/* Prints the pure equilibria, the mixed ones (two players: support
 * enumeration) and the logit QRE at each lambda of a normal-form game. */
int solve_game(const sim_nfg *g, const solve_opts *o, sim_err *err);

/* Prints the generalized Nash bargaining solution of the power-utility
 * problem (GSL minimizer). */
int solve_nash(double a1, double a2, double power, const solve_opts *o,
               sim_err *err);

/* Writes the first round's stage games to <stem>.border.nfg and
 * <stem>.respond.nfg. */
int solve_export(const sim_scenario *sc, const solve_opts *o, sim_err *err);

#endif
