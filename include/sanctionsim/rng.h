/* rng.h - random streams derived from (master seed, replication, purpose).
 *
 * Every draw in sanctionsim comes from a GSL generator (gsl_rng). The
 * generator type is sim_rng_xoshiro256ss, a gsl_rng_type defined here because
 * GSL's own generators take at most 32 bits of seed (MODEL.md section 5): at
 * millions of replications 32-bit seeds collide. A stream's 64-bit seed is
 * splitmix64-mixed from the master seed, the replication number and a purpose
 * code (which includes the round), never from the thread or process that runs it, so results do not
 * depend on how the replications are scheduled. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Purpose codes. Shocks draw from one stream per shock kind (purpose
 * SIM_STREAM_SHOCK + shock index) so that changing one shock's settings leaves
 * the other shocks' draws alone; decisions draw from one stream per actor;
 * chance moves of the bargaining protocol (breakdown) from their own. */
enum sim_stream {
    SIM_STREAM_SHOCK = 0x100,
    SIM_STREAM_DECISION = 0x200,
    SIM_STREAM_PROTOCOL = 0x300
};

/* The generator type: xoshiro256** (Blackman and Vigna 2018), state seeded by
 * splitmix64 from the 64-bit seed given to gsl_rng_set. */
extern const gsl_rng_type *sim_rng_xoshiro256ss;

/* Name recorded in manifests. */
#define SIM_RNG_DESCRIPTION                                                   \
    "xoshiro256** (gsl_rng_type), 64-bit seeds = "                            \
    "splitmix64(master, replication, purpose + round << 32)"

/* One step of splitmix64 (Steele, Lea and Flood 2014): advances *state and
 * returns the mixed output. */
uint64_t sim_rng_splitmix64(uint64_t *state);

/* The 64-bit seed of stream `purpose` of replication `rep` under `master`.
 * Distinct (rep, purpose) pairs give distinct, well-mixed seeds. */
uint64_t sim_rng_stream_seed(uint64_t master, uint64_t rep, uint64_t purpose);

/* The seed reported as `seed` in runs.csv for replication rep. */
uint64_t sim_rng_rep_seed(uint64_t master, uint64_t rep);

/* Seeds r for stream `purpose` of round `round` (0-based) of replication
 * rep: every round of every purpose has its own stream. */
void sim_rng_seed_round(gsl_rng *r, uint64_t master, uint64_t rep,
                        uint64_t purpose, int round);

/* Seeds r (which must be of type sim_rng_xoshiro256ss) for the stream. */
void sim_rng_seed_stream(gsl_rng *r, uint64_t master, uint64_t rep,
                         uint64_t purpose);

#ifdef __cplusplus
}
#endif

#endif
