/* test_bargain_fast.c - sim_bargain_solve (binary searches along the
 * chains of a game, or over the monotone runs of its deal table) against
 * sim_bargain_solve_reference (the plain scan of every deal at every
 * stage): on thousands of random games and on hand-made adversarial ones,
 * both must give the same offer[] and bitwise the same value[] at every
 * stage; and the deals read one by one before the table is filled must be
 * bitwise those of the table. */
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sanctionsim/bargain.h>

#define MAX_PKG 6
#define MAX_COUNT 30
#define MAX_DEALS (MAX_PKG * (MAX_COUNT + 1) + 8)
#define MAX_STAGES 20

/* splitmix64: the test's own generator, fixed seed. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
    return (double)(next_u64(s) >> 11) * 0x1.0p-53;
}

static int below(uint64_t *s, int n)
{
    return (int)(next_u64(s) % (uint64_t)n);
}

/* A gain: often on a coarse grid (exact ties and duplicates), sometimes
 * continuous, sometimes a signed zero. */
static double draw_gain(uint64_t *s, double scale)
{
    switch (below(s, 6)) {
    case 0:
        return 0.0;
    case 1:
        return -0.0;
    case 2:
    case 3:
        return scale * 0.25 * (double)(below(s, 25) - 12);
    default:
        return scale * (2.0 * uniform(s) - 1.0);
    }
}

static double draw_delta(uint64_t *s)
{
    switch (below(s, 4)) {
    case 0:
        return 1.0;
    case 1:
        return 0.5;
    default:
        return 1.0 - uniform(s); /* in (0, 1] */
    }
}

/* Marks b's deal table, before a game is entered, with a gain no game
 * has: a deal still marked after sim_bargain_solve was not filled in. */
static const double UNFILLED = -123456.75;

static void mark_table(sim_bargain *b)
{
    for (int i = 0; i < b->cap_deals; i++)
        b->gain[0][i] = UNFILLED;
}

/* Which solver sim_bargain_solve took, as far as the test can see. */
enum { PATH_TABLE, PATH_CHAIN };

/* Solves b both ways and requires the same offers and bitwise the same
 * values, and the deals read by the accessors before the table is filled
 * bitwise those of the table after. Returns PATH_CHAIN if the chain
 * solver applied (it leaves the table unfilled). */
static int solve_both(sim_bargain *b)
{
    int S = b->stages, n = b->n_deals;
    static double g[2][MAX_DEALS];
    static unsigned pk[MAX_DEALS];
    static int cnt[MAX_DEALS];
    int offer[MAX_STAGES + 1];
    double value[2 * (MAX_STAGES + 1)];
    b->solved = false;
    sim_bargain_solve(b);
    assert_true(b->solved);
    memcpy(offer, b->offer, sizeof(int) * (size_t)S);
    memcpy(value, b->value, sizeof(double) * 2 * ((size_t)S + 1));
    bool unfilled = false;
    for (int i = 0; i < n; i++) {
        unfilled = unfilled || b->gain[0][i] == UNFILLED;
        g[0][i] = sim_bargain_gain(b, 0, i);
        g[1][i] = sim_bargain_gain(b, 1, i);
        pk[i] = sim_bargain_package(b, i);
        cnt[i] = sim_bargain_count(b, i);
    }
    b->solved = false;
    sim_bargain_solve_reference(b);
    for (int t = 0; t < S; t++) {
        assert_int_equal(b->offer[t], offer[t]);
        assert_memory_equal(&b->value[2 * t], &value[2 * t],
                            2 * sizeof(double));
    }
    if (n > 0) {
        assert_memory_equal(g[0], b->gain[0], sizeof(double) * (size_t)n);
        assert_memory_equal(g[1], b->gain[1], sizeof(double) * (size_t)n);
        assert_memory_equal(pk, b->package, sizeof(unsigned) * (size_t)n);
        assert_memory_equal(cnt, b->count, sizeof(int) * (size_t)n);
    }
    return unfilled ? PATH_CHAIN : PATH_TABLE;
}

/* A release curve rel[0..MAX_COUNT]: side 1 mostly gains, side 0 mostly
 * loses with each prisoner, with some flat steps (one side or both) and
 * reversals. */
static void draw_curves(uint64_t *s, double rel[2][MAX_COUNT + 1])
{
    rel[0][0] = below(s, 2) ? 0.0 : draw_gain(s, 1.0);
    rel[1][0] = below(s, 2) ? 0.0 : draw_gain(s, 1.0);
    for (int n = 1; n <= MAX_COUNT; n++) {
        int kind = below(s, 40);
        double step = kind == 0 ? 0.0 : 0.05 * (double)(1 + below(s, 4));
        if (kind == 1)
            step = -step; /* a reversal */
        if (kind >= 30)
            step = uniform(s);
        if (kind == 3)
            step = 0.0; /* with rel[0] flat too: a duplicate deal */
        rel[1][n] = rel[1][n - 1] + step;
        rel[0][n] =
            rel[0][n - 1] - (kind == 2 || kind == 3 ? 0.0 : 0.5 * step + 0.01);
    }
}

/* Now and then a NaN or an infinity in the curves, or an infinite base. */
static void spoil(uint64_t *s, double rel[2][MAX_COUNT + 1], double base[2])
{
    switch (below(s, 40)) {
    case 0:
        rel[below(s, 2)][below(s, MAX_COUNT + 1)] = NAN;
        break;
    case 1:
        rel[below(s, 2)][below(s, MAX_COUNT + 1)] = INFINITY;
        break;
    case 2:
        base[below(s, 2)] = below(s, 2) ? INFINITY : -INFINITY;
        break;
    default:
        break;
    }
}

/* A random track-like game: packages of chains over 0..nmax prisoners
 * (some over fewer, some on a second pair of curves, some a first empty
 * deal as the track's), entered by sim_bargain_add_chain or deal by deal,
 * some packages exact copies of others. */
static void random_game(uint64_t *s, sim_bargain *b)
{
    mark_table(b);
    sim_bargain_reset(b, 1 + below(s, MAX_STAGES), below(s, 2), draw_delta(s),
                      draw_delta(s));
    static double rel[2][2][MAX_COUNT + 1];
    draw_curves(s, rel[0]);
    draw_curves(s, rel[1]);
    int n_pkg = 1 + below(s, MAX_PKG), nmax = below(s, MAX_COUNT + 1);
    if (below(s, 4) == 0) { /* the track's empty deal first */
        const double zero[2] = {0.0, 0.0};
        const double *rp[2] = {rel[0][0], rel[0][1]};
        assert_true(sim_bargain_add_chain(b, 0u, 0, 0, zero, rp, zero) == 0);
    }
    double scale = below(s, 3) ? 1.0 : 10.0;
    bool all_negative = below(s, 8) == 0;
    bool all_chains = below(s, 5) < 3; /* else some packages deal by deal */
    double base[2] = {0.0, 0.0}, bonus[2];
    for (int p = 0; p < n_pkg; p++) {
        if (p == 0 || below(s, 4)) { /* else repeat the last package */
            base[0] = draw_gain(s, scale);
            base[1] = draw_gain(s, scale);
        }
        bonus[0] = below(s, 2) ? 0.0 : draw_gain(s, 0.5);
        bonus[1] = below(s, 2) ? 0.0 : draw_gain(s, 0.5);
        if (all_negative) {
            base[0] = -fabs(base[0]) - 100.0;
            base[1] = -fabs(base[1]) - 100.0;
        }
        int c = below(s, 8) == 0; /* the second pair of curves */
        spoil(s, rel[c], base);
        const double *rp[2] = {rel[c][0], rel[c][1]};
        int first = below(s, 4) == 0 ? below(s, nmax + 1) : below(s, 2);
        int last = below(s, 4) == 0 ? below(s, nmax + 1) : nmax;
        if (all_chains || below(s, 3)) {
            assert_true(sim_bargain_add_chain(b, (unsigned)p, first, last, base,
                                              rp, bonus) >= 0);
            continue;
        }
        for (int n = first; n <= last; n++)
            assert_true(sim_bargain_add(b, (unsigned)p, n,
                                        base[0] + rp[0][n] + bonus[0],
                                        base[1] + rp[1][n] + bonus[1]) >= 0);
    }
}

/* A game of independent random deals: mostly many runs, the scan's path. */
static void scattered_game(uint64_t *s, sim_bargain *b)
{
    mark_table(b);
    sim_bargain_reset(b, 1 + below(s, MAX_STAGES), below(s, 2), draw_delta(s),
                      draw_delta(s));
    int n = below(s, 40);
    for (int i = 0; i < n; i++)
        assert_true(sim_bargain_add(b, 0u, i, draw_gain(s, 2.0),
                                    draw_gain(s, 2.0)) >= 0);
}

static void test_random_games_agree(void **state)
{
    (void)state;
    sim_bargain b;
    assert_int_equal(sim_bargain_alloc(&b, MAX_DEALS, MAX_STAGES, NULL), 0);
    uint64_t seed = 20261202u;
    int games = 0, chain = 0;
    for (int k = 0; k < 20000; k++, games++) {
        if (k % 5 == 4)
            scattered_game(&seed, &b);
        else
            random_game(&seed, &b);
        chain += solve_both(&b) == PATH_CHAIN;
    }
    printf("# %d random games agree, %d of them on the chain solver\n",
           games, chain);
    assert_true(chain > games / 3);
    sim_bargain_free(&b);
}

/* Games whose curves are monotone (each side's, in a random direction,
 * with flat steps), declared so by sim_bargain_monotone as the track does:
 * the chain solver takes the caller's word instead of its check, and must
 * still agree with the reference scan. */
static void test_monotone_hint_agrees(void **state)
{
    (void)state;
    sim_bargain b;
    assert_int_equal(sim_bargain_alloc(&b, MAX_DEALS, MAX_STAGES, NULL), 0);
    uint64_t seed = 20261203u;
    static double rel[2][MAX_COUNT + 1];
    int chain = 0, games = 2000;
    for (int k = 0; k < games; k++) {
        mark_table(&b);
        sim_bargain_reset(&b, 1 + below(&seed, MAX_STAGES), below(&seed, 2),
                          draw_delta(&seed), draw_delta(&seed));
        for (int side = 0; side < 2; side++) {
            double dir = below(&seed, 4) ? (side ? 1.0 : -1.0) : 0.0;
            dir = dir == 0.0 ? (below(&seed, 2) ? 1.0 : -1.0) : dir;
            rel[side][0] = draw_gain(&seed, 1.0);
            for (int n = 1; n <= MAX_COUNT; n++)
                rel[side][n] = rel[side][n - 1] +
                               (below(&seed, 10) ? dir * uniform(&seed) : 0.0);
        }
        const double *rp[2] = {rel[0], rel[1]};
        int nmax = below(&seed, MAX_COUNT + 1);
        sim_bargain_monotone(&b, rp, nmax);
        const double zero[2] = {0.0, 0.0};
        assert_true(sim_bargain_add_chain(&b, 0u, 0, 0, zero, rp, zero) == 0);
        int n_pkg = 1 + below(&seed, MAX_PKG);
        for (int p = 1; p <= n_pkg; p++) {
            double base[2] = {draw_gain(&seed, 1.0), draw_gain(&seed, 1.0)};
            double bonus[2] = {draw_gain(&seed, 0.5), draw_gain(&seed, 0.5)};
            int first = below(&seed, 2), last = nmax;
            if (first <= last)
                assert_true(sim_bargain_add_chain(&b, (unsigned)p, first, last,
                                                  base, rp, bonus) >= 0);
        }
        chain += solve_both(&b) == PATH_CHAIN;
    }
    printf("# %d monotone games agree, %d of them on the chain solver\n",
           games, chain);
    assert_true(chain > games / 3);
    sim_bargain_free(&b);
}

/* One chain of deals (g0[i], g1[i]) for the hand-made games. */
static void chain_game(sim_bargain *b, int stages, int first, double d0,
                       double d1, const double *g0, const double *g1, int n)
{
    sim_bargain_reset(b, stages, first, d0, d1);
    for (int i = 0; i < n; i++)
        assert_true(sim_bargain_add(b, 1u, i, g0[i], g1[i]) >= 0);
}

static void test_adversarial_games_agree(void **state)
{
    (void)state;
    sim_bargain b;
    assert_int_equal(sim_bargain_alloc(&b, 64, MAX_STAGES, NULL), 0);
    const double tol = SIM_BARGAIN_TOL;
    int games = 0;
    /* A single deal, and no deal at all. */
    for (int S = 1; S <= 4; S++)
        for (int first = 0; first < 2; first++) {
            const double one0[] = {1.0}, one1[] = {-0.5};
            chain_game(&b, S, first, 1.0, 0.9, one0, one1, 1);
            solve_both(&b);
            chain_game(&b, S, first, 1.0, 0.9, one0, one1, 0);
            solve_both(&b);
            games += 2;
        }
    /* Gains exactly at the thresholds (unit discounts make the threshold
     * a gain itself) and within the tolerance of them, both sides. */
    for (int first = 0; first < 2; first++)
        for (int S = 1; S <= 12; S++) {
            double g0[16], g1[16];
            int n = 0;
            for (int i = 0; i < 4; i++) {
                double x = 0.3 * (double)(i + 1);
                double e = tol * (1.0 + x);
                const double nudge[] = {0.0, 0.5 * e, 1.0 * e, 2.0 * e};
                for (int j = 0; j < 4 && n < 16; j++, n++) {
                    g1[n] = x - nudge[3 - j];
                    g0[n] = 2.0 - x - nudge[j];
                }
            }
            chain_game(&b, S, first, 1.0, 1.0, g0, g1, n);
            solve_both(&b);
            chain_game(&b, S, first, 1.0, 0.999999999999, g0, g1, n);
            solve_both(&b);
            games += 2;
        }
    /* All gains negative: the proposers stall throughout. */
    {
        const double g0[] = {-1.0, -2.0, -3.0, -4.0};
        const double g1[] = {-4.0, -3.0, -2.0, -1.0};
        for (int first = 0; first < 2; first++, games++) {
            chain_game(&b, 7, first, 0.9, 0.8, g0, g1, 4);
            solve_both(&b);
        }
    }
    /* Exact duplicates and signed zeros: the lower index must win. */
    {
        const double g0[] = {0.0, -0.0, 0.0, 1.0, 1.0, -0.0};
        const double g1[] = {-0.0, 0.0, 0.0, -1.0, -1.0, 0.0};
        for (int first = 0; first < 2; first++)
            for (int S = 1; S <= 5; S++, games++) {
                chain_game(&b, S, first, 1.0, 1.0, g0, g1, 6);
                solve_both(&b);
            }
    }
    /* Infinite and NaN gains: the scan's answer either way. */
    {
        const double g0[] = {INFINITY, 1.0, NAN, 0.5, -INFINITY};
        const double g1[] = {-1.0, 0.0, 0.5, NAN, INFINITY};
        for (int first = 0; first < 2; first++)
            for (int S = 1; S <= 5; S++, games++) {
                chain_game(&b, S, first, 0.9, 1.0, g0, g1, 5);
                solve_both(&b);
            }
    }
    printf("# %d adversarial games agree\n", games);
    sim_bargain_free(&b);
}

/* sim_bargain_add_chain gives the gains sim_bargain_add would get from the
 * same sums, and refuses a chain that does not fit. */
static void test_add_chain_matches_add(void **state)
{
    (void)state;
    sim_bargain a, c;
    assert_int_equal(sim_bargain_alloc(&a, 8, 3, NULL), 0);
    assert_int_equal(sim_bargain_alloc(&c, 8, 3, NULL), 0);
    sim_bargain_reset(&a, 3, 0, 0.9, 0.9);
    sim_bargain_reset(&c, 3, 0, 0.9, 0.9);
    const double r0[] = {0.0, -0.1, -0.3, -0.7}, r1[] = {0.0, 0.2, 0.3, 0.35};
    const double *rel[2] = {r0, r1};
    const double base[2] = {0.7, -0.2}, bonus[2] = {0.1, 0.3};
    assert_int_equal(sim_bargain_add_chain(&c, 5u, 1, 3, base, rel, bonus), 0);
    for (int n = 1; n <= 3; n++)
        assert_int_equal(sim_bargain_add(&a, 5u, n, base[0] + r0[n] + bonus[0],
                                         base[1] + r1[n] + bonus[1]),
                         n - 1);
    assert_int_equal(c.n_deals, 3);
    sim_bargain_deals(&c);
    assert_memory_equal(a.gain[0], c.gain[0], 3 * sizeof(double));
    assert_memory_equal(a.gain[1], c.gain[1], 3 * sizeof(double));
    assert_memory_equal(a.count, c.count, 3 * sizeof(int));
    assert_memory_equal(a.package, c.package, 3 * sizeof(unsigned));
    assert_int_equal(sim_bargain_add_chain(&c, 5u, 0, 5, base, rel, bonus), -1);
    assert_int_equal(c.n_deals, 3);
    sim_bargain_free(&a);
    sim_bargain_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_games_agree),
        cmocka_unit_test(test_adversarial_games_agree),
        cmocka_unit_test(test_add_chain_matches_add),
        cmocka_unit_test(test_monotone_hint_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
