/* test_rng.c - splitmix64, the xoshiro256** gsl_rng_type and stream seeding:
 * known answers, determinism, seed collisions and sanity statistics.
 *
 * Statistical checks use fixed seeds, so they are deterministic; their bands
 * are 4.5 standard errors, which a correct generator leaves with probability
 * about 7e-6 per check (normal approximation). */
#include "testutil.h"

#include <sanctionsim/rng.h>
#include <sanctionsim/scenario.h>

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#define Z_BAND 4.5
#define N_UNIFORM 1000000

static int setup_rng(void **state)
{
    gsl_rng *r = gsl_rng_alloc(sim_rng_xoshiro256ss);
    if (!r)
        return -1;
    *state = r;
    return 0;
}

static int teardown_rng(void **state)
{
    gsl_rng_free(*state);
    return 0;
}

/* The published splitmix64 outputs from state 0 (Vigna's splitmix64.c; the
 * same values appear in many ports' test suites). */
static void test_rng_splitmix64_known_answer(void **state)
{
    (void)state;
    static const uint64_t expected[] = {
        0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL, 0x06c45d188009454fULL};
    uint64_t s = 0;
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        uint64_t got = sim_rng_splitmix64(&s);
        if (got != expected[i])
            fail_msg("splitmix64 output %zu = %#llx, expected %#llx", i,
                     (unsigned long long)got, (unsigned long long)expected[i]);
    }
    /* The state advances by the golden-ratio increment per call. */
    assert_true(s == 3 * 0x9e3779b97f4a7c15ULL);
}

/* xoshiro256** from state {1, 2, 3, 4}: the reference implementation's
 * first ten outputs (as in rand_xoshiro's test suite). gsl_rng_get returns
 * the top 32 bits and gsl_rng_uniform the top 53 bits over 2^53; even
 * outputs are checked through one, odd through the other. This writes the
 * generator state directly, so it relies on the state being the four words
 * s[0..3] (checked through gsl_rng_size). */
static void test_rng_xoshiro_known_answer(void **state)
{
    gsl_rng *r = *state;
    static const uint64_t init[4] = {1, 2, 3, 4};
    static const uint64_t expected[] = {
        11520ULL,
        0ULL,
        1509978240ULL,
        1215971899390074240ULL,
        1216172134540287360ULL,
        607988272756665600ULL,
        16172922978634559625ULL,
        8476171486693032832ULL,
        10595114339597558777ULL,
        2904607092377533576ULL,
    };
    assert_int_equal(gsl_rng_size(r), sizeof init);
    uint64_t *st = gsl_rng_state(r);
    for (size_t i = 0; i < 4; i++)
        st[i] = init[i];
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        if (i % 2 == 0) {
            unsigned long got = gsl_rng_get(r);
            assert_true(got == (unsigned long)(expected[i] >> 32));
        } else {
            double got = gsl_rng_uniform(r);
            double want = (double)(expected[i] >> 11) * 0x1.0p-53;
            assert_true(got == want); /* exact: 53 bits fit a double */
        }
    }
}

/* gsl_rng_set(r, 42) fills the state with four splitmix64 outputs from 42,
 * the seeding the xoshiro authors recommend; the resulting 64-bit outputs
 * 1546998764402558742, 6990951692964543102, 12544586762248559009 agree with
 * other implementations' test suites. Checked through the top 32 bits. */
static void test_rng_set_seed_known_answer(void **state)
{
    gsl_rng *r = *state;
    static const uint64_t expected[] = {1546998764402558742ULL,
                                        6990951692964543102ULL,
                                        12544586762248559009ULL};
    gsl_rng_set(r, 42);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        assert_true(gsl_rng_get(r) == (unsigned long)(expected[i] >> 32));
}

static void test_rng_type_name_and_range(void **state)
{
    gsl_rng *r = *state;
    assert_string_equal(gsl_rng_name(r), "xoshiro256**");
    assert_string_equal(sim_rng_xoshiro256ss->name, "xoshiro256**");
    unsigned long lo = gsl_rng_min(r), hi = gsl_rng_max(r);
    assert_true(lo == 0);
    assert_true(hi == 0xffffffffUL);
    sim_rng_seed_stream(r, 1, 0, SIM_STREAM_SHOCK);
    unsigned long seen_max = 0;
    for (int i = 0; i < N_UNIFORM; i++) {
        unsigned long v = gsl_rng_get(r);
        if (v < lo || v > hi)
            fail_msg("gsl_rng_get gave %lu outside [%lu, %lu]", v, lo, hi);
        if (v > seen_max)
            seen_max = v;
    }
    /* The top bit is used: with 1e6 draws a max below 2^31 has
     * probability 2^-1e6. */
    assert_true(seen_max > 0x7fffffffUL);
}

/* Same (master, rep, purpose): same sequence, through every output path. */
static void test_rng_stream_same_seed_same_sequence(void **state)
{
    (void)state;
    gsl_rng *a = gsl_rng_alloc(sim_rng_xoshiro256ss);
    gsl_rng *b = gsl_rng_alloc(sim_rng_xoshiro256ss);
    assert_non_null(a);
    assert_non_null(b);
    sim_rng_seed_stream(a, 7, 123456, SIM_STREAM_DECISION + 3);
    gsl_rng_get(a); /* a is advanced, then reseeded: no memory of the past */
    sim_rng_seed_stream(a, 7, 123456, SIM_STREAM_DECISION + 3);
    sim_rng_seed_stream(b, 7, 123456, SIM_STREAM_DECISION + 3);
    for (int i = 0; i < 10000; i++) {
        assert_true(gsl_rng_get(a) == gsl_rng_get(b));
        assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(b));
    }
    assert_true(sim_rng_stream_seed(7, 123456, SIM_STREAM_DECISION + 3) ==
                sim_rng_stream_seed(7, 123456, SIM_STREAM_DECISION + 3));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static unsigned long first_value(gsl_rng *r, uint64_t master, uint64_t rep,
                                 uint64_t purpose)
{
    sim_rng_seed_stream(r, master, rep, purpose);
    return gsl_rng_get(r);
}

/* Different rep, purpose or master: different first values. */
static void test_rng_stream_differs_by_rep_and_purpose(void **state)
{
    gsl_rng *r = *state;
    unsigned long base = first_value(r, 1, 0, SIM_STREAM_SHOCK);
    assert_true(first_value(r, 1, 1, SIM_STREAM_SHOCK) != base);
    assert_true(first_value(r, 1, 0, SIM_STREAM_SHOCK + 1) != base);
    assert_true(first_value(r, 1, 0, SIM_STREAM_DECISION) != base);
    assert_true(first_value(r, 1, 0, SIM_STREAM_PROTOCOL) != base);
    assert_true(first_value(r, 2, 0, SIM_STREAM_SHOCK) != base);
    assert_true(first_value(r, 1, 1, SIM_STREAM_DECISION) !=
                first_value(r, 1, 0, SIM_STREAM_DECISION));
    /* The master seed is not simply added to the replication number. */
    assert_true(sim_rng_stream_seed(1, 2, SIM_STREAM_SHOCK) !=
                sim_rng_stream_seed(2, 1, SIM_STREAM_SHOCK));
}

static void test_rng_rep_seed_is_purpose_zero(void **state)
{
    (void)state;
    for (uint64_t rep = 0; rep < 100; rep++)
        assert_true(sim_rng_rep_seed(99, rep) ==
                    sim_rng_stream_seed(99, rep, 0));
    assert_true(sim_rng_rep_seed(99, 0) != sim_rng_rep_seed(99, 1));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* 2,000,000 stream seeds (a million replications, two purposes) are all
 * distinct: the collision that 32-bit seeding would make near certain
 * (MODEL.md section 5). */
static void test_rng_stream_seeds_no_collisions(void **state)
{
    (void)state;
    const size_t nrep = 1000000;
    const uint64_t purposes[] = {SIM_STREAM_SHOCK, SIM_STREAM_DECISION};
    const size_t n = nrep * 2;
    uint64_t *s = malloc(n * sizeof *s);
    assert_non_null(s);
    for (size_t rep = 0; rep < nrep; rep++)
        for (size_t k = 0; k < 2; k++)
            s[2 * rep + k] = sim_rng_stream_seed(1, rep, purposes[k]);
    qsort(s, n, sizeof *s, cmp_u64);
    size_t dup = 0;
    for (size_t i = 1; i < n; i++)
        dup += s[i] == s[i - 1];
    free(s);
    assert_int_equal(dup, 0);
}

/* Mean of gsl_rng_uniform within 4.5 se of 1/2 (se = sqrt(1/12 / N)), and
 * every draw in [0, 1). */
static void test_rng_uniform_mean(void **state)
{
    gsl_rng *r = *state;
    sim_rng_seed_stream(r, 12345, 0, SIM_STREAM_SHOCK);
    double sum = 0;
    for (int i = 0; i < N_UNIFORM; i++) {
        double u = gsl_rng_uniform(r);
        if (!(u >= 0 && u < 1))
            fail_msg("gsl_rng_uniform gave %.17g", u);
        sum += u;
    }
    double se = sqrt(1.0 / 12.0 / N_UNIFORM);
    assert_close(sum / N_UNIFORM, 0.5, Z_BAND * se);
}

/* Lag-1 sample autocorrelation of N uniforms: about N(0, 1/N) for
 * independent draws, so within 4.5 / sqrt(N) of 0. */
static void test_rng_consecutive_uncorrelated(void **state)
{
    gsl_rng *r = *state;
    double *u = malloc(N_UNIFORM * sizeof *u);
    assert_non_null(u);
    sim_rng_seed_stream(r, 12345, 0, SIM_STREAM_DECISION);
    double mean = 0;
    for (int i = 0; i < N_UNIFORM; i++) {
        u[i] = gsl_rng_uniform(r);
        mean += u[i];
    }
    mean /= N_UNIFORM;
    double cov = 0, var = 0;
    for (int i = 0; i < N_UNIFORM; i++) {
        double d = u[i] - mean;
        var += d * d;
        if (i + 1 < N_UNIFORM)
            cov += d * (u[i + 1] - mean);
    }
    free(u);
    assert_close(cov / var, 0.0, Z_BAND / sqrt((double)N_UNIFORM));
}

/* Round streams: every (rep, purpose, round) gets its own seed, distinct
 * from the per-replication streams; reseeding for the same round repeats
 * the sequence. */
static void test_rng_round_streams_distinct(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(sim_rng_xoshiro256ss);
    assert_non_null(r);
    enum { REPS = 50, ROUNDS = 40, PURPOSES = 4 };
    static unsigned long first[REPS * ROUNDS * PURPOSES + REPS * PURPOSES];
    const uint64_t purposes[PURPOSES] = {SIM_STREAM_SHOCK, SIM_STREAM_SHOCK + 1,
                                         SIM_STREAM_DECISION,
                                         SIM_STREAM_PROTOCOL};
    size_t n = 0;
    for (uint64_t rep = 0; rep < REPS; rep++)
        for (int p = 0; p < PURPOSES; p++) {
            for (int t = 0; t < ROUNDS; t++) {
                sim_rng_seed_round(r, 7, rep, purposes[p], t);
                first[n++] = gsl_rng_get(r) << 32 ^ gsl_rng_get(r);
            }
            sim_rng_seed_stream(r, 7, rep, purposes[p]);
            first[n++] = gsl_rng_get(r) << 32 ^ gsl_rng_get(r);
        }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (first[i] == first[j])
                fail_msg("streams %zu and %zu start alike", i, j);
    sim_rng_seed_round(r, 7, 3, SIM_STREAM_SHOCK, 5);
    double a = gsl_rng_uniform(r);
    sim_rng_seed_round(r, 7, 3, SIM_STREAM_SHOCK, 5);
    assert_true(a == gsl_rng_uniform(r));
    gsl_rng_free(r);
}

/* Each shock's stream id comes from its row of the SIM_SHOCKS table: ids
 * are distinct, below 0x100 (the next purpose's base, SIM_STREAM_DECISION
 * - SIM_STREAM_SHOCK) and below bit 12, where the stock shocks' per-kind
 * streams put their kind; and the first nine shocks keep the ids they had
 * when ids were the rows' positions (so no result moved). */
static void test_rng_shock_stream_ids_unique(void **state)
{
    (void)state;
    for (int s = 0; s < SIM_N_SHOCKS; s++) {
        unsigned id = sim_shock_stream(s);
        assert_true(id < SIM_STREAM_DECISION - SIM_STREAM_SHOCK);
        for (int t = 0; t < s; t++)
            if (sim_shock_stream(t) == id)
                fail_msg("shocks %s and %s share stream id %u",
                         sim_shock_name(t), sim_shock_name(s), id);
    }
    static const struct {
        int shock;
        unsigned id;
    } kept[] = {{SIM_SHOCK_DRONES, 0},          {SIM_SHOCK_SPY_SCANDALS, 1},
                {SIM_SHOCK_FOREIGN_ARRESTS, 2}, {SIM_SHOCK_ARRESTS, 3},
                {SIM_SHOCK_DEATHS, 4},          {SIM_SHOCK_COMPLETIONS, 5},
                {SIM_SHOCK_DISTRACTION, 6},     {SIM_SHOCK_REENGAGEMENT, 7},
                {SIM_SHOCK_MOSCOW, 8}};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        assert_int_equal(sim_shock_stream(kept[i].shock), kept[i].id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_splitmix64_known_answer),
        cmocka_unit_test_setup_teardown(test_rng_xoshiro_known_answer,
                                        setup_rng, teardown_rng),
        cmocka_unit_test_setup_teardown(test_rng_set_seed_known_answer,
                                        setup_rng, teardown_rng),
        cmocka_unit_test_setup_teardown(test_rng_type_name_and_range, setup_rng,
                                        teardown_rng),
        cmocka_unit_test(test_rng_stream_same_seed_same_sequence),
        cmocka_unit_test_setup_teardown(
            test_rng_stream_differs_by_rep_and_purpose, setup_rng,
            teardown_rng),
        cmocka_unit_test(test_rng_rep_seed_is_purpose_zero),
        cmocka_unit_test(test_rng_stream_seeds_no_collisions),
        cmocka_unit_test(test_rng_round_streams_distinct),
        cmocka_unit_test(test_rng_shock_stream_ids_unique),
        cmocka_unit_test_setup_teardown(test_rng_uniform_mean, setup_rng,
                                        teardown_rng),
        cmocka_unit_test_setup_teardown(test_rng_consecutive_uncorrelated,
                                        setup_rng, teardown_rng),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
