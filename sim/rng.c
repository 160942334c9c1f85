/* rng.c - xoshiro256** as a gsl_rng_type, and stream seeding. */
#include <sanctionsim/rng.h>

#include <limits.h>

typedef struct {
    uint64_t s[4];
} xoshiro_state;

uint64_t sim_rng_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void xoshiro_set(void *vstate, unsigned long seed)
{
    xoshiro_state *st = vstate;
    uint64_t sm = (uint64_t)seed;
    for (int i = 0; i < 4; i++)
        st->s[i] = sim_rng_splitmix64(&sm);
}

/* gsl_rng_get returns the top 32 bits: portable whatever the width of
 * unsigned long, and the low bits of xoshiro256** are its weakest. */
static unsigned long xoshiro_get(void *vstate)
{
    return (unsigned long)(next(vstate) >> 32);
}

/* 53 random bits into [0, 1). */
static double xoshiro_get_double(void *vstate)
{
    return (double)(next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**", 0xffffffffUL, 0, sizeof(xoshiro_state),
    xoshiro_set,    xoshiro_get,  xoshiro_get_double};

const gsl_rng_type *sim_rng_xoshiro256ss = &xoshiro_type;

uint64_t sim_rng_stream_seed(uint64_t master, uint64_t rep, uint64_t purpose)
{
    /* Absorb each word in turn: mixing after every word makes the map from
     * (master, rep, purpose) to seeds behave like a random function. */
    uint64_t h = master;
    uint64_t out = sim_rng_splitmix64(&h);
    h = out ^ rep;
    out = sim_rng_splitmix64(&h);
    h = out ^ purpose;
    return sim_rng_splitmix64(&h);
}

uint64_t sim_rng_rep_seed(uint64_t master, uint64_t rep)
{
    return sim_rng_stream_seed(master, rep, 0);
}

void sim_rng_seed_stream(gsl_rng *r, uint64_t master, uint64_t rep,
                         uint64_t purpose)
{
    /* unsigned long is 64 bits on the LP64 platforms we build for; on
     * narrower ones fold the high half in rather than dropping it. */
    uint64_t s = sim_rng_stream_seed(master, rep, purpose);
#if ULONG_MAX < 0xffffffffffffffffULL
    s ^= s >> 32;
#endif
    gsl_rng_set(r, (unsigned long)s);
}

void sim_rng_seed_round(gsl_rng *r, uint64_t master, uint64_t rep,
                        uint64_t purpose, int round)
{
    /* Purposes are small codes (below 2^16); the round goes in the high
     * word, offset by one so that round streams never equal the per-rep
     * streams of sim_rng_seed_stream. */
    sim_rng_seed_stream(r, master, rep,
                        purpose | ((uint64_t)(round + 1) << 32));
}
