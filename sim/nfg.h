/* nfg.h - finite normal-form games: the Gambit .nfg format, pure and mixed
 * Nash equilibria, and the logit quantal response equilibrium.
 *
 * A game has n >= 1 players; player i has nstrat[i] >= 1 strategies. A pure
 * profile s = (s_0, ..., s_{n-1}) has the index
 *     idx(s) = s_0 + nstrat[0] * (s_1 + nstrat[1] * (s_2 + ...)),
 * i.e. player 0's strategy varies fastest, as in Gambit's payoff lists.
 * payoff[idx * n + i] is player i's payoff at profile idx. */
#ifndef SIM_NFG_H
#define SIM_NFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

#define SIM_NFG_MAX_PLAYERS 8
#define SIM_NFG_MAX_STRATEGIES 64
#define SIM_NFG_NAME_MAX 64
#define SIM_NFG_MAX_PROFILES 1000000

typedef struct sim_nfg {
    char title[256];
    int nplayers;
    char player[SIM_NFG_MAX_PLAYERS][SIM_NFG_NAME_MAX];
    int nstrat[SIM_NFG_MAX_PLAYERS];
    char strategy[SIM_NFG_MAX_PLAYERS][SIM_NFG_MAX_STRATEGIES]
                 [SIM_NFG_NAME_MAX];
    size_t nprofiles; /* product of nstrat */
    double *payoff;   /* nprofiles * nplayers, owned: sim_nfg_free */
} sim_nfg;

/* A mixed-strategy profile: prob[i][j] = probability player i plays j. */
typedef struct sim_mixed {
    double prob[SIM_NFG_MAX_PLAYERS][SIM_NFG_MAX_STRATEGIES];
} sim_mixed;

/* Allocates the payoff table for the players and strategy counts already
 * set in g (nplayers, nstrat); payoffs start at 0. Returns 0, or an error
 * if the game is too large (SIM_E_SCENARIO) or memory runs out. */
int sim_nfg_alloc(sim_nfg *g, sim_err *err);

/* Frees the payoff table; the struct may be reused. NULL-safe. */
void sim_nfg_free(sim_nfg *g);

/* Index of a pure profile. */
size_t sim_nfg_index(const sim_nfg *g, const int *profile);

/* Player i's payoff at a pure profile. */
double sim_nfg_payoff(const sim_nfg *g, const int *profile, int i);

#endif
