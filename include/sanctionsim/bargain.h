/* bargain.h - the within-round alternating-offers game over a finite set of
 * feasible deals, and its subgame-perfect solution by backward induction.
 *
 * Two sides, 0 and 1, bargain over deals indexed 0..n-1; deal i gives side s
 * the gain gain[s][i] over disagreement (no deal this round, the status quo
 * continuing). Stages 0..S-1 alternate proposers, starting with `first`.
 * After a rejection at stage t the game moves to stage t+1 and every payoff
 * is discounted by delta[s] (the side's stage discount times the survival
 * probability 1 - breakdown); a rejection at the last stage ends in
 * disagreement (0, 0). With a unit surplus split linearly this is Stahl's
 * (1972) finite game and, as S grows, Rubinstein's (1982). */
#ifndef SIM_BARGAIN_H
#define SIM_BARGAIN_H

#include <stdbool.h>

#include "error.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_bargain_chains; /* private to sim/bargain*.c */

typedef struct sim_bargain {
    /* The game, filled by the caller through sim_bargain_reset and
     * sim_bargain_add or sim_bargain_add_chain (never by writing the
     * fields: the adds keep what sim_bargain_solve uses). */
    int n_deals;
    int cap_deals;
    sim_actor side_actor[2]; /* the actor on each side */
    double delta[2];         /* per-stage discount incl. survival */
    int stages;
    int cap_stages;
    int first; /* side that proposes at stage 0 */
    /* No last stage (Rubinstein): after stage stages - 1 the game goes on
     * as it began, so the values after it are the stationary equilibrium's
     * instead of 0. Set after sim_bargain_reset (which clears it). */
    bool infinite;

    /* The subgame-perfect solution, filled by sim_bargain_solve. */
    bool solved;
    int *offer;    /* offer[t]: deal proposed at stage t, -1 if none */
    double *value; /* value[2 t + s]: side s's value of the subgame at t */

    /* The deal table: gain[side][deal] (deal i gives side s gain[s][i]
     * over disagreement), the deal's instruments (bit i = instrument i)
     * and prisoners released. A deal added by sim_bargain_add is in it at
     * once (unless an unfilled chain came before it); the deals of
     * sim_bargain_add_chain only after sim_bargain_deals (the solver does
     * not need them). Read single
     * deals through sim_bargain_gain, sim_bargain_package and
     * sim_bargain_count, which work either way. */
    double *gain[2];
    unsigned *package;
    int *count;

    /* The deals as chains (see sim_bargain_add_chain), how much of the
     * table is filled, and the runs the solvers search. */
    struct sim_bargain_chains *chains;
} sim_bargain;

/* Allocates room for up to max_deals deals and max_stages stages. On
 * failure frees what it made and returns SIM_E_NOMEM. Free with
 * sim_bargain_free. */
int sim_bargain_alloc(sim_bargain *b, int max_deals, int max_stages,
                      sim_err *err);
void sim_bargain_free(sim_bargain *b);

/* Bytes sim_bargain_alloc allocates for max_deals deals and max_stages
 * stages (a double: the product can exceed size_t's range on 32 bits). */
double sim_bargain_bytes(int max_deals, int max_stages);

/* Starts a new game with no deals. */
void sim_bargain_reset(sim_bargain *b, int stages, int first, double delta0,
                       double delta1);

/* Adds a deal; returns its index, or -1 when full. */
int sim_bargain_add(sim_bargain *b, unsigned package, int count, double g0,
                    double g1);

/* Adds the deals (package, n) for n = first..last, deal n giving side s
 * the gain base[s] + rel[s][n] + bonus[s], summed in that order. The
 * arrays rel[0], rel[1] are borrowed, not copied: they must keep their
 * values until the next reset. Returns the index of the first, or -1
 * (adding none) when they do not all fit. */
int sim_bargain_add_chain(sim_bargain *b, unsigned package, int first, int last,
                          const double base[2], const double *const rel[2],
                          const double bonus[2]);

/* Tells the solver that the arrays rel[0], rel[1] of later chains are each
 * monotone (not falling, or not rising) over the counts 0..hi, with no
 * NaN, so that it need not check that itself; until the next reset. A
 * caller that cannot promise this does not call it. */
void sim_bargain_monotone(sim_bargain *b, const double *const rel[2], int hi);

/* Deal i's gain for side s, its package and its prisoners (0 <= i <
 * n_deals), from the table or computed from its chain: the same number. */
double sim_bargain_gain(const sim_bargain *b, int s, int i);
unsigned sim_bargain_package(const sim_bargain *b, int i);
int sim_bargain_count(const sim_bargain *b, int i);

/* Fills the deal table (gain, package, count) for every deal and
 * returns b (NULL for NULL), for callers that read every deal. The table is a cache: a
 * const game is filled too (a game must not be shared between threads). */
const sim_bargain *sim_bargain_deals(const sim_bargain *b);

/* Proposer at stage t. */
int sim_bargain_proposer(const sim_bargain *b, int t);

/* Solves the game by backward induction (idempotent until the next reset).
 * At stage t the proposer P offers the deal that maximizes its gain among
 * those giving the responder R at least delta[R] * value_R(t+1) (ties: more
 * for R, then the lower index), and makes no serious offer when delay pays
 * it more. R accepts exactly the offers worth at least that. A game of
 * chains whose release curves rel[] are monotone in few pieces costs a few
 * binary searches per chain per stage, without filling the deal table;
 * otherwise a binary search per run of deals (see `run`) per stage, or,
 * for a game of many short runs, sim_bargain_solve_reference. */
void sim_bargain_solve(sim_bargain *b);

/* The same solution by the plain O(deals x stages) scan of every deal at
 * every stage (filling the deal table), kept as the tests' reference:
 * sim_bargain_solve must give the same offer[] and bitwise the same
 * value[]. */
void sim_bargain_solve_reference(sim_bargain *b);

/* What side s can get by rejecting at stage t: delta[s] * value_s(t+1), or
 * 0 at the last stage of a finite game. The game must be solved. */
double sim_bargain_continuation(const sim_bargain *b, int t, int s);

/* Stahl's (1972) closed form for a unit pie split linearly: the share of
 * `side` when the S-stage game starts with `first` proposing and the
 * stage discounts are delta0, delta1 (Rubinstein's (1982) limit
 * (1 - d_R)/(1 - d_P d_R) for the first proposer P as S grows). */
double sim_bargain_stahl_share(int stages, int first, double delta0,
                               double delta1, int side);

/* Rubinstein's (1982) closed form, the stationary split of the game with
 * no last stage: the first proposer gets (1 - d_R)/(1 - d_P d_R), d_P its
 * discount and d_R the responder's; NaN if d_P d_R = 1 (any split is an
 * equilibrium; the loader refuses it). */
double sim_bargain_rubinstein_share(int first, double delta0, double delta1,
                                    int side);

/* Most stages the stationary values of an infinite game are sought over
 * (pairs of stages until they repeat exactly); a game that has not
 * repeated by then keeps the values reached, within (d_0 d_1)^(this/2) of
 * them in a game with a continuous frontier. */
#define SIM_BARGAIN_STATIONARY_STAGES 200000

/* True if the game's frontier is linear: every deal (g0, g1) with both
 * gains >= 0 satisfies g0/M0 + g1/M1 <= 1 (within 1e-9), and the extreme
 * deals (M0, 0) and (0, M1) exist, where Ms is side s's largest gain among
 * them. Then the continuous split has Stahl's closed form in the shares
 * g_s/M_s. M0, M1 are returned when not NULL. */
bool sim_bargain_is_linear(const sim_bargain *b, double *M0, double *M1);

/* Relative tolerance of acceptance comparisons. */
#define SIM_BARGAIN_TOL 1e-12

#ifdef __cplusplus
}
#endif

#endif
