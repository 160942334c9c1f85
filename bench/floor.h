/* floor.h - the random-draw floor of a scenario (issue 9): a round that
 * makes the engine's random draws of a round and nothing else, from the
 * project's own stream code (sanctionsim/rng.h) and samplers
 * (sim_dist_draw), so that the engine's cost can be quoted as a multiple
 * of the cost of its randomness. */
#ifndef BENCH_FLOOR_H
#define BENCH_FLOOR_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stdint.h>

#include <sanctionsim/scenario.h>

/* The streams of a round (as the engine's workspace has them) and what a
 * round draws from them, fixed from the scenario by bench_floor_init. */
typedef struct bench_floor {
    const sim_scenario *sc;
    gsl_rng *shock_rng[SIM_N_SHOCKS];
    gsl_rng *decision_rng[SIM_N_ACTORS];
    gsl_rng *protocol_rng[2];
    /* Uniform draws per round on each actor's decision stream: every
     * round (border, transit, veto) and per track played (offer,
     * respond; [0] Washington-Minsk, [1] EU). */
    int round_draws[SIM_N_ACTORS];
    int track_draws[2][SIM_N_ACTORS];
    bool engaged; /* Washington's attention, from the floor's own draws */
    long reseeds; /* stream reseeds so far (22 a baseline round) */
    double sink;  /* sum of the draws, so that none is optimised away */
} bench_floor;

/* Allocates the streams and fixes the draws of a round from sc (borrowed).
 * Returns 0, or -1 if out of memory (nothing to free). */
int bench_floor_init(bench_floor *f, const sim_scenario *sc);

/* Frees the streams. */
void bench_floor_free(bench_floor *f);

/* Makes the random draws of round t (0-based) of replication rep. */
void bench_floor_round(bench_floor *f, uint64_t master, uint64_t rep, int t);

#endif
