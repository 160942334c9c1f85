/* world.h - the state of one replication, its workspace and its results.
 *
 * A workspace holds everything one worker needs to run replications of one
 * scenario: random streams, the bargaining game, model states and the world.
 * It is allocated once per worker and reset per replication; the round loop
 * allocates nothing. Replication r depends only on (scenario, master seed,
 * r), never on the worker, so workers can run replications in any order. */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <gsl/gsl_rng.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "bargain.h"
#include "error.h"
#include "nfg.h"
#include "scenario.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Why a replication ended. */
#define SIM_STOPS(X)                                                          \
    X(HORIZON, "horizon")                                                     \
    X(ALL_RELEASED, "all_released")                                           \
    X(ALL_LIFTED, "all_lifted")                                               \
    X(TALKS_BROKEN, "talks_broken")

typedef enum sim_stop {
#define SIM_STOP_ENUM(id, name) SIM_STOP_##id,
    SIM_STOPS(SIM_STOP_ENUM)
#undef SIM_STOP_ENUM
        SIM_N_STOPS
} sim_stop;

const char *sim_stop_name(int stop);

/* Status of an instrument. */
typedef enum sim_status_kind {
    SIM_STATUS_ACTIVE,
    SIM_STATUS_LIFTED, /* lifted in a deal, or before round 1 */
    SIM_STATUS_LAPSED  /* EU renewal vetoed */
} sim_status_kind;

const char *sim_instrument_status_name(int status);

/* One round of one replication, for rounds.csv. Counts are of this round. */
typedef struct sim_round_record {
    uint64_t rep;
    int round; /* 1-based */
    long prisoners[SIM_N_KINDS]; /* at the end of the round */
    double tension;
    bool us_engaged, moscow_frozen, exercise;
    bool pl_border_open, lt_border_open, klaipeda_open;
    bool us_deal, eu_deal, eu_vetoed, eu_renewal, eu_lapsed;
    int us_stage, eu_stage; /* 1-based stage of agreement, 0 if none */
    long released[SIM_N_KINDS];
    long arrests, foreign_arrests, deaths, completions;
    long drones, spy_scandals;
    unsigned lifted; /* bit i: instrument i lifted or lapsed this round */
    double relief;   /* relief feature after the round, $bn/yr */
    double price;    /* going price, NaN before any release */
} sim_round_record;

/* The outcome of one replication, for runs.csv. Rounds are 1-based; 0 in a
 * *_round field means "never" (lifted_round: 0 also for instruments lifted
 * before round 1, told apart by lifted_before). */
typedef struct sim_rep_result {
    uint64_t rep, seed;
    sim_stop stop_reason;
    int rounds;
    int us_deals, eu_deals, eu_vetoes;
    long prisoners_start[SIM_N_KINDS], prisoners_end[SIM_N_KINDS];
    long released[SIM_N_KINDS], arrests[SIM_N_KINDS];
    long completions[SIM_N_KINDS], deaths[SIM_N_KINDS];
    int first_us_deal_round, first_eu_relief_round;
    int pl_border_closed_rounds, lt_border_closed_rounds;
    int distracted_rounds, frozen_rounds;
    bool klaipeda_open_end;
    long drone_incidents, spy_scandals;
    int moscow_freezes;
    double price_per_prisoner; /* NaN if no prisoner was released in a deal */
    double relief_end;
    int lifted_round[SIM_MAX_INSTRUMENTS];
    bool lifted_before[SIM_MAX_INSTRUMENTS];
    sim_status_kind status[SIM_MAX_INSTRUMENTS];
    double utility[SIM_N_ACTORS];
} sim_rep_result;

/* Receives each round's record when tracing; returns 0 or an error code. */
typedef int (*sim_trace_fn)(void *ctx, const sim_round_record *r,
                            sim_err *err);

typedef struct sim_workspace sim_workspace;

/* Allocates a workspace for scenario sc (borrowed: it must outlive the
 * workspace). Returns 0 and *out, or an error (nothing to free). */
int sim_workspace_alloc(const sim_scenario *sc, sim_workspace **out,
                        sim_err *err);

/* Frees a workspace; NULL is allowed. */
void sim_workspace_free(sim_workspace *ws);

/* Runs replication `rep` under master seed `master` into *res. If trace is
 * not NULL it is called once per round played. Returns 0 or an error. */
int sim_replicate(sim_workspace *ws, uint64_t master, uint64_t rep,
                  sim_trace_fn trace, void *trace_ctx, sim_rep_result *res,
                  sim_err *err);

/* The first round's Washington-Minsk game as `sanctionsim solve` reports
 * it: built from the state before round 1's shocks, solved by backward
 * induction; the closed form where the frontier is linear. */
typedef struct sim_first_round {
    const sim_bargain *game; /* borrowed from the workspace */
    int deal;                /* agreed deal on the equilibrium path, -1 none */
    int stage;               /* 0-based stage of agreement, -1 none */
    long released[SIM_N_KINDS];
    bool linear;             /* closed form applies */
    double closed_share[2];  /* Stahl's shares g_s / M_s (linear only) */
    double max_gain[2];      /* M_s */
} sim_first_round;

/* Builds and solves the first round's Washington-Minsk game of the
 * workspace's scenario. */
int sim_solve_first_round(sim_workspace *ws, sim_first_round *out,
                          sim_err *err);

/* The first round's stage games as normal-form games, for Gambit: the
 * neighbours' border game (Poland x Lithuania, open or close) and the
 * accept/reject game of stage 1. Both are allocated here; free each with
 * sim_nfg_free. */
int sim_first_round_games(sim_workspace *ws, sim_nfg *border,
                          sim_nfg *respond, sim_err *err);


/* If cancel is not NULL, sim_replicate checks it at the start of every
 * round and returns SIM_E_INTERRUPTED once it is non-zero. It is a C11
 * atomic, so that any number of workspaces (one per thread) can share one
 * flag, and a signal handler may set it (atomic_int is lock-free here). */
void sim_workspace_set_cancel(sim_workspace *ws, const atomic_int *cancel);

/* The bargaining game of the workspace's last bargaining round, for tests
 * and `solve`-style inspection (borrowed). */
const sim_bargain *sim_workspace_game(const sim_workspace *ws);

#ifdef __cplusplus
}
#endif

#endif
