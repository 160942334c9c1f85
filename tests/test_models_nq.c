/* test_models_nq.c - the `nash` and `qre` decision models: the Nash power
 * formula against its analytic answer, the exact discrete search, offers
 * and responses on hand-built games, logit choice frequencies, the limits
 * lambda = 0 and lambda -> infinity against uniform play and `spe`, the
 * scenario loader, and the cost of a decision.
 *
 * Statistical checks use a fixed seed; each states its bound and the chance
 * that a correct model fails it. */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sanctionsim/bargain.h>
#include <sanctionsim/model.h>
#include <sanctionsim/model_instance.h>
#include <sanctionsim/nash_solution.h>
#include <sanctionsim/rng.h>
#include <sanctionsim/scenario.h>

#define SEED 20250911u

static gsl_rng *new_rng(uint64_t stream)
{
    gsl_rng *r = gsl_rng_alloc(sim_rng_xoshiro256ss);
    assert_non_null(r);
    sim_rng_seed_stream(r, SEED, 0, SIM_STREAM_DECISION + stream);
    return r;
}

/* ---- the continuous textbook problem ---- */

static double analytic(double a1, double a2, double b)
{
    return b * a1 / (b * a1 + (1.0 - b) * a2);
}

/* MODEL.md section 4: x = b a1 / (b a1 + (1 - b) a2), to 1e-9, for equal
 * and unequal exponents and powers near 0 and 1. */
static void test_nash_power_matches_analytic_answer(void **state)
{
    (void)state;
    static const double sets[][3] = {
        /* a1, a2, b */
        {1.0, 0.5, 0.5},            /* scenarios/textbook/nash.cfg: 2/3 */
        {1.0, 1.0, 0.5},            /* symmetric: 1/2 */
        {2.0, 1.0, 0.3},            /* 0.6 / 1.3 */
        {1.0, 3.0, 0.9},            /* 0.9 / 1.2 = 3/4 */
        {0.5, 2.0, 1e-6},           /* b near 0: x ~ 2.5e-7 */
        {1.0, 1.0, 1.0 - 1e-6},     /* b near 1: x ~ 1 - 1e-6 */
        {3.0, 0.2, 0.5},            /* 3 / 3.2 */
        {10.0, 0.1, 0.01},          /* 0.1 / 0.199 */
        {0.25, 0.25, 0.75},         /* 3/4 */
        {1.0, 1.0, 1e-12},          /* x ~ 1e-12 */
        {1.0, 1.0, 0.999999999999}, /* x ~ 1 - 1e-12 */
        {1e3, 1e-3, 1e-4}, /* extreme exponents: 0.1 / (0.1 + 0.0009999) */
    };
    double worst = 0.0;
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        double a1 = sets[i][0], a2 = sets[i][1], b = sets[i][2], x = -1.0;
        sim_err err = {0};
        int rc = sim_nash_power(a1, a2, b, &x, &err);
        if (rc)
            fail_msg("a1 = %g, a2 = %g, b = %g: %s", a1, a2, b, err.msg);
        double want = analytic(a1, a2, b);
        assert_close(x, want, 1e-9);
        if (fabs(x - want) > worst)
            worst = fabs(x - want);
    }
    print_message("nash power: largest |x - analytic| = %.3g over %d sets\n",
                  worst, (int)(sizeof sets / sizeof sets[0]));
}

/* A sweep: 20000 (a1, a2, b) with exponents log-uniform over 1e-3..1e3
 * and b uniform, or log-uniform towards 0 or 1 down to 1e-12. Deterministic
 * (fixed seed): every one must converge to within 1e-9 of the formula. */
static void test_nash_power_sweep(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(99);
    double worst = 0.0;
    for (int i = 0; i < 20000; i++) {
        double a1 = pow(10.0, 6.0 * gsl_rng_uniform(r) - 3.0);
        double a2 = pow(10.0, 6.0 * gsl_rng_uniform(r) - 3.0);
        double b = gsl_rng_uniform_pos(r);
        if (i % 3 == 1)
            b = pow(10.0, -12.0 * gsl_rng_uniform(r));
        else if (i % 3 == 2)
            b = 1.0 - pow(10.0, -12.0 * gsl_rng_uniform(r));
        double x = -1.0;
        sim_err err = {0};
        if (sim_nash_power(a1, a2, b, &x, &err))
            fail_msg("a1 = %.17g, a2 = %.17g, b = %.17g: %s", a1, a2, b,
                     err.msg);
        double e = fabs(x - analytic(a1, a2, b));
        if (!(e <= 1e-9))
            fail_msg("a1 = %.17g, a2 = %.17g, b = %.17g: x = %.17g, "
                     "analytic %.17g",
                     a1, a2, b, x, analytic(a1, a2, b));
        if (e > worst)
            worst = e;
    }
    print_message("nash power sweep: largest |x - analytic| = %.3g over "
                  "20000 sets\n",
                  worst);
    gsl_rng_free(r);
}

/* The defined answers and the usage errors; never NaN, and *x untouched on
 * error. */
static void test_nash_power_degenerate_inputs(void **state)
{
    (void)state;
    double x;
    sim_err err = {0};
    static const double ends[][4] = {
        /* a1, a2, b, x */
        {1.0, 1.0, 0.0, 0.0}, {1.0, 1.0, 1.0, 1.0},        {0.0, 2.0, 0.4, 0.0},
        {2.0, 0.0, 0.4, 1.0}, {0.0, 1.0, 1.0 - 1e-9, 0.0},
    };
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        x = NAN;
        assert_int_equal(
            sim_nash_power(ends[i][0], ends[i][1], ends[i][2], &x, &err), 0);
        assert_true(x == ends[i][3]);
    }
    static const double bad[][3] = {
        {0.0, 0.0, 0.5}, /* the product does not depend on x */
        {1.0, 0.0, 0.0}, /* b a1 = 0 and (1 - b) a2 = 0 */
        {0.0, 1.0, 1.0}, /* same */
        {1.0, 1.0, -0.1}, {1.0, 1.0, 1.1},  {1.0, 1.0, NAN},
        {-1.0, 1.0, 0.5}, {1.0, -1.0, 0.5}, {INFINITY, 1.0, 0.5},
        {1.0, NAN, 0.5},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        x = 42.0;
        err = (sim_err){0};
        assert_int_equal(
            sim_nash_power(bad[i][0], bad[i][1], bad[i][2], &x, &err),
            SIM_E_USAGE);
        assert_true(x == 42.0);
        assert_true(err.msg[0] != '\0');
    }
    err = (sim_err){0};
    assert_int_equal(sim_nash_power(0.0, 0.0, 0.5, &x, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "does not depend on x"));
    assert_int_equal(sim_nash_power(1.0, 1.0, 0.5, NULL, NULL), SIM_E_USAGE);
}

/* ---- the discrete search ---- */

/* A linear unit pie on the grid i/N, i = 0..N: deal i gives the decider
 * i/N and the other 1 - i/N. The generalized Nash product x^b (1 - x)^(1-b)
 * peaks at x = b, and on the grid at the nearest point when b is well away
 * from a midpoint (the asymmetry of the log product is third order). */
static void test_nash_discrete_unit_pie_gives_nearest_grid_point(void **state)
{
    (void)state;
    static const struct {
        double b;
        int N, want;
    } cases[] = {
        {0.3, 100, 30},
        {0.3, 7, 2},
        {0.123, 1000, 123},
        {0.5, 10, 5},
        {0.79, 10, 8},
        {0.3, 4, 1},
        {0.9, 50, 45},
        {0.62, 20, 12},
        /* b close to 1 or 0: the nearest grid points with both gains > 0 */
        {0.999, 10, 9},
        {0.001, 10, 1},
        /* b = 1 (0): the limit, all for the decider (the other), allowed
         * to leave the other side at 0 */
        {1.0, 10, 10},
        {0.0, 10, 0},
        /* N = 3, b = 1/2: 1/3 and 2/3 tie exactly; the tie goes to the
         * larger gain for the other side, deal 1 */
        {0.5, 3, 1},
    };
    double gs[1001], go[1001];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int N = cases[c].N, best = -2;
        for (int i = 0; i <= N; i++) {
            gs[i] = (double)i / N;
            go[i] = (double)(N - i) / N; /* exact mirror of gs */
        }
        assert_int_equal(sim_nash_discrete(gs, go, N + 1, cases[c].b, &best),
                         0);
        if (best != cases[c].want)
            fail_msg("N = %d, b = %g: deal %d, expected %d", N, cases[c].b,
                     best, cases[c].want);
        /* and, independently, it is the brute-force maximizer of the
         * product itself (strictly better than every other interior deal,
         * or tied with the lower-index one) */
        double b = cases[c].b;
        if (b > 0.0 && b < 1.0)
            for (int i = 1; i < N; i++)
                assert_true(pow(gs[best], b) * pow(go[best], 1 - b) >=
                            pow(gs[i], b) * pow(go[i], 1 - b) * (1 - 1e-15));
    }
    /* wanted deal nearest to b in every case above */
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        if (cases[c].b > 0.01 && cases[c].b < 0.99 && cases[c].N != 3)
            assert_int_equal(cases[c].want,
                             (int)floor(cases[c].b * cases[c].N + 0.5));
}

/* A deal set solved by hand. Deals (g_self, g_other):
 *   0 (0,0)  1 (4,1)  2 (3,3)  3 (1,5)  4 (6,-1)  5 (2,2)
 * b = 1/2: products 4, 9, 5, -, 4 -> deal 2.
 * b = 0.8: 4^0.8 = 3.03 > 3 > 2 > 5^0.2 = 1.38 -> deal 1.
 * b = 0.2: 5^0.8 = 3.62 > 3 > 2 > 4^0.2 = 1.32 -> deal 3.
 * b = 1: the most for self among deals with both gains >= 0 (deal 4 gives
 * the other side -1) -> deal 1. b = 0: the most for the other -> deal 3. */
static void test_nash_discrete_hand_solved_set(void **state)
{
    (void)state;
    const double gs[] = {0, 4, 3, 1, 6, 2}, go[] = {0, 1, 3, 5, -1, 2};
    const double b[] = {0.5, 0.8, 0.2, 1.0, 0.0};
    const int want[] = {2, 1, 3, 1, 3};
    for (int k = 0; k < 5; k++) {
        int best = -2;
        assert_int_equal(sim_nash_discrete(gs, go, 6, b[k], &best), 0);
        assert_int_equal(best, want[k]);
    }
    int best;
    /* exact ties: the lower index */
    const double ts[] = {2, 2}, to[] = {2, 2};
    assert_int_equal(sim_nash_discrete(ts, to, 2, 0.5, &best), 0);
    assert_int_equal(best, 0);
    /* b = 1, equal own gains: the larger other gain */
    const double s1[] = {4, 4, 3}, o1[] = {1, 2, 3};
    assert_int_equal(sim_nash_discrete(s1, o1, 3, 1.0, &best), 0);
    assert_int_equal(best, 1);
    /* b = 0, equal other gains: the larger own gain */
    const double s0[] = {1, 2, 3}, o0[] = {5, 5, 3};
    assert_int_equal(sim_nash_discrete(s0, o0, 3, 0.0, &best), 0);
    assert_int_equal(best, 1);
    /* no deal gives both sides a positive gain: no deal, at every power */
    const double ns[] = {0, 1, -1, 1, NAN}, no[] = {0, -1, 1, 0, 1};
    for (int k = 0; k < 5; k++) {
        best = 7;
        assert_int_equal(sim_nash_discrete(ns, no, 5, b[k], &best), 0);
        assert_int_equal(best, -1);
    }
    assert_int_equal(sim_nash_discrete(ns, no, 0, 0.5, &best), 0);
    assert_int_equal(best, -1);
    /* usage errors leave *best alone */
    best = 7;
    assert_int_equal(sim_nash_discrete(gs, go, 6, 1.5, &best), SIM_E_USAGE);
    assert_int_equal(sim_nash_discrete(gs, go, 6, NAN, &best), SIM_E_USAGE);
    assert_int_equal(sim_nash_discrete(gs, go, -1, 0.5, &best), SIM_E_USAGE);
    assert_int_equal(sim_nash_discrete(NULL, go, 6, 0.5, &best), SIM_E_USAGE);
    assert_int_equal(best, 7);
    assert_int_equal(sim_nash_discrete(gs, go, 6, 0.5, NULL), SIM_E_USAGE);
}

/* ---- hand-built games ---- */

/* The engine's layout: deal 0 is the empty deal (0, 0); deals 1..N+1 lift
 * one instrument and release n = 0..N: side 0 gets 1 - n/N, side 1 n/N. Two
 * stages, discounts 0.75 (side 0) and 0.85 (side 1), so no stage-0
 * responder is ever exactly indifferent. */
static void pie_game(sim_bargain *g, int N, int first)
{
    assert_int_equal(sim_bargain_alloc(g, N + 2, 2, NULL), 0);
    sim_bargain_reset(g, 2, first, 0.75, 0.85);
    assert_int_equal(sim_bargain_add(g, 0u, 0, 0.0, 0.0), 0);
    for (int n = 0; n <= N; n++)
        assert_true(
            sim_bargain_add(g, 1u, n, 1.0 - (double)n / N, (double)n / N) > 0);
    sim_bargain_solve(g);
}

static sim_decision request(const sim_bargain *g, int role, int stage, int side,
                            int deal, const double *param, gsl_rng *rng)
{
    sim_decision d = {0};
    d.role = role;
    d.param = param;
    d.game = g;
    d.stage = stage;
    d.side = side;
    d.deal = deal;
    d.rng = rng;
    if (role == SIM_ROLE_RESPOND)
        d.signal[SIM_SIGNAL_GAIN] = g->gain[side][deal];
    return d;
}

/* One decision of m on request d through a model instance with d's
 * parameters, as the engine takes it; returns the model's status. The
 * models here keep no state (asserted), so a fresh instance per call is
 * the same model as one kept across calls. */
static int decide_rc(const sim_model_type *m, const sim_decision *d,
                     sim_action *a, sim_err *err)
{
    sim_model_instance mi;
    int rc = sim_model_instance_init_type(&mi, m, d->param, err);
    assert_null(mi.state);
    if (!rc)
        rc = sim_model_instance_reset(&mi, err);
    if (!rc)
        rc = sim_model_instance_decide(&mi, d, a, err);
    sim_model_instance_free(&mi);
    return rc;
}

static sim_action decide(const sim_model_type *m, const sim_decision *d)
{
    sim_action a;
    sim_err err = {0};
    int rc = decide_rc(m, d, &a, &err);
    if (rc)
        fail_msg("%s decide failed (%d): %s", m->name, rc, err.msg);
    return a;
}

static void test_nash_offer_and_respond_on_a_game(void **state)
{
    (void)state;
    const sim_model_type *nash = sim_test_model("nash");
    assert_non_null(nash);
    sim_bargain g;
    pie_game(&g, 10, 0);
    static const double half[] = {0.5}, p03[] = {0.3}, bad[] = {2.0};
    /* Side 0 proposes at stage 0. Power 1/2: n = 5, deal 6. Power 0.3:
     * its own share 1 - n/10 = 0.3, n = 7, deal 8. Power 1: all for itself,
     * n = 0, deal 1 (the empty deal 0 is never the solution). */
    const double pw[] = {0.5, 0.3, 1.0, 0.0};
    const int offer[] = {6, 8, 1, 11};
    for (int k = 0; k < 4; k++) {
        sim_decision d = request(&g, SIM_ROLE_OFFER, 0, 0, 0, &pw[k], NULL);
        assert_int_equal(decide(nash, &d).deal, offer[k]);
    }
    /* Side 1 proposes at stage 1: power 0.3 gives it n = 3, deal 4. */
    sim_decision d1 = request(&g, SIM_ROLE_OFFER, 1, 1, 0, p03, NULL);
    assert_int_equal(decide(nash, &d1).deal, 4);

    /* Side 1 responds: with power b its Nash share is n = 10 b (deal
     * 1 + 10 b); it accepts exactly the deals giving it at least that. */
    const double rb[] = {0.5, 0.3, 1.0, 0.0};
    const int first_ok[] = {6, 4, 11, 0};
    for (int k = 0; k < 4; k++) {
        for (int deal = 0; deal < g.n_deals; deal++) {
            sim_decision r =
                request(&g, SIM_ROLE_RESPOND, 0, 1, deal, &rb[k], NULL);
            bool want = deal >= first_ok[k];
            if (decide(nash, &r).act != want)
                fail_msg("power %g, deal %d: expected %s", rb[k], deal,
                         want ? "accept" : "reject");
        }
    }
    sim_bargain_free(&g);

    /* No deal gives both sides a positive gain: no offer; a responder's
     * share is then disagreement, 0, and it accepts any deal worth >= 0. */
    sim_bargain h;
    assert_int_equal(sim_bargain_alloc(&h, 4, 1, NULL), 0);
    sim_bargain_reset(&h, 1, 0, 0.9, 0.9);
    sim_bargain_add(&h, 0u, 0, 0.0, 0.0);
    sim_bargain_add(&h, 1u, 0, 1.0, -0.5);
    sim_bargain_add(&h, 0u, 3, -0.2, 1.0);
    sim_bargain_add(&h, 1u, 1, 0.5, 0.0);
    sim_bargain_solve(&h);
    sim_decision o = request(&h, SIM_ROLE_OFFER, 0, 0, 0, half, NULL);
    assert_int_equal(decide(nash, &o).deal, -1);
    sim_decision r = request(&h, SIM_ROLE_RESPOND, 0, 1, 3, half, NULL);
    assert_true(decide(nash, &r).act);
    r = request(&h, SIM_ROLE_RESPOND, 0, 1, 1, half, NULL);
    assert_false(decide(nash, &r).act);

    /* Errors: a role it cannot take, a deal off the table, a power the
     * loader would have refused. */
    sim_err err = {0};
    sim_action a;
    sim_decision v = request(&h, SIM_ROLE_VETO, 0, 0, 0, half, NULL);
    assert_int_equal(decide_rc(nash, &v, &a, &err), SIM_E_INTERNAL);
    r = request(&h, SIM_ROLE_RESPOND, 0, 1, 0, half, NULL);
    r.deal = 9;
    assert_int_equal(decide_rc(nash, &r, &a, &err), SIM_E_INTERNAL);
    o.param = bad;
    assert_int_equal(decide_rc(nash, &o, &a, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "power"));
    sim_bargain_free(&h);
}

/* ---- qre: binary roles ---- */

/* Precisions, as parameter vectors of qre. */
static const double lam0[] = {0.0}, lam1[] = {1.0}, lam20[] = {20.0},
                    lam_big[] = {1e6};

/* Share of `draws` decisions that act. */
static double act_share(const sim_model_type *m, sim_decision *d, int draws)
{
    long acted = 0;
    for (int i = 0; i < draws; i++)
        acted += decide(m, d).act;
    return (double)acted / draws;
}

/* Binomial share within 4.5 standard errors of p: a correct model fails
 * with probability 6.8e-6 (two-sided normal tail). */
static void assert_share(double share, double p, int draws, const char *what)
{
    double se = sqrt(p * (1 - p) / draws);
    if (!(fabs(share - p) <= 4.5 * se))
        fail_msg("%s: share %.5f, expected %.5f +- %.5f (4.5 s.e.)", what,
                 share, p, 4.5 * se);
}

static void test_qre_binary_choice_frequencies(void **state)
{
    (void)state;
    const sim_model_type *qre = sim_test_model("qre");
    assert_non_null(qre);
    gsl_rng *rng = new_rng(1);
    const int draws = 100000;
    static const int roles[] = {SIM_ROLE_VETO, SIM_ROLE_BORDER,
                                SIM_ROLE_TRANSIT, SIM_ROLE_RENEW};
    char what[64];
    for (int k = 0; k < 4; k++) {
        sim_decision d = request(NULL, roles[k], 0, 0, 0, lam0, rng);
        /* lambda = 0: a fair coin whatever the gain */
        d.signal[SIM_SIGNAL_GAIN] = 3.0;
        snprintf(what, sizeof what, "%s, lambda 0", sim_role_name(roles[k]));
        assert_share(act_share(qre, &d, draws), 0.5, draws, what);
        /* lambda = 1, gain 1: 1/(1 + e^-1) = 0.7311 */
        d.param = lam1;
        d.signal[SIM_SIGNAL_GAIN] = 1.0;
        snprintf(what, sizeof what, "%s, lambda 1", sim_role_name(roles[k]));
        assert_share(act_share(qre, &d, draws), 1.0 / (1.0 + exp(-1.0)), draws,
                     what);
        /* lambda = 1e6: the best response, every time */
        d.param = lam_big;
        assert_true(act_share(qre, &d, 1000) == 1.0);
        d.signal[SIM_SIGNAL_GAIN] = -1.0;
        assert_true(act_share(qre, &d, 1000) == 0.0);
    }
    /* respond: Delta = g_R(d) - c_R. Side 1 responds at stage 0 of the pie
     * game, c_1 = 0.85 x 1; deal 10 (n = 9) gives it 0.9, Delta = 0.05:
     * at lambda = 20, P = 1/(1 + e^-1). */
    sim_bargain g;
    pie_game(&g, 10, 0);
    sim_decision r = request(&g, SIM_ROLE_RESPOND, 0, 1, 10, lam20, rng);
    assert_close(sim_bargain_continuation(&g, 0, 1), 0.85, 1e-15);
    assert_share(act_share(qre, &r, draws), 1.0 / (1.0 + exp(-1.0)), draws,
                 "respond, lambda 20, Delta 0.05");
    r.param = lam0;
    assert_share(act_share(qre, &r, draws), 0.5, draws, "respond, lambda 0");
    sim_bargain_free(&g);
    gsl_rng_free(rng);
}

/* Huge lambda: respond agrees with spe on every deal of two games (no
 * stage-0 responder is exactly indifferent there). */
static void test_qre_respond_at_huge_lambda_is_spe(void **state)
{
    (void)state;
    const sim_model_type *qre = sim_test_model("qre"),
                         *spe = sim_test_model("spe");
    gsl_rng *rng = new_rng(2);
    for (int first = 0; first < 2; first++) {
        sim_bargain g;
        pie_game(&g, 10, first);
        int R = 1 - first;
        int accepted = 0;
        for (int deal = 0; deal < g.n_deals; deal++) {
            sim_decision d =
                request(&g, SIM_ROLE_RESPOND, 0, R, deal, lam_big, rng);
            bool want = decide(spe, &d).act;
            accepted += want;
            for (int k = 0; k < 100; k++)
                assert_int_equal(decide(qre, &d).act, want);
        }
        /* both answers occur, so the comparison means something */
        assert_true(accepted > 0 && accepted < g.n_deals);
        sim_bargain_free(&g);
    }
    gsl_rng_free(rng);
}

/* Extreme gains and precisions give a valid answer, never NaN; a NaN
 * gain is an error. */
static void test_qre_extremes_are_finite(void **state)
{
    (void)state;
    const sim_model_type *qre = sim_test_model("qre");
    gsl_rng *rng = new_rng(3);
    sim_decision d = request(NULL, SIM_ROLE_BORDER, 0, 0, 0, lam0, rng);
    const double lams[] = {0.0, 1e6},
                 gains[] = {1e300, -1e300, INFINITY, -INFINITY};
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < 4; k++) {
            d.param = &lams[l];
            d.signal[SIM_SIGNAL_GAIN] = gains[k];
            double share = act_share(qre, &d, 2000);
            if (lams[l] > 0)
                assert_true(share == (gains[k] > 0 ? 1.0 : 0.0));
            else /* 2000 fair coins: 4.5 s.e. */
                assert_share(share, 0.5, 2000, "lambda 0, huge gain");
        }
    sim_err err = {0};
    sim_action a;
    d.param = lam1;
    d.signal[SIM_SIGNAL_GAIN] = NAN;
    assert_int_equal(decide_rc(qre, &d, &a, &err), SIM_E_NUMERIC);
    assert_non_null(strstr(err.msg, "border"));

    /* offers over gains of +-1e300 */
    sim_bargain g;
    assert_int_equal(sim_bargain_alloc(&g, 4, 2, NULL), 0);
    sim_bargain_reset(&g, 2, 0, 0.9, 0.9);
    sim_bargain_add(&g, 0u, 0, 0.0, 0.0);
    sim_bargain_add(&g, 1u, 0, 1e300, -1e300);
    sim_bargain_add(&g, 1u, 1, -1e300, 1e300);
    sim_bargain_add(&g, 1u, 2, 1e300, 1e300);
    sim_bargain_solve(&g);
    for (int l = 0; l < 2; l++) {
        for (int t = 0; t < 2; t++) {
            sim_decision o =
                request(&g, SIM_ROLE_OFFER, t, t, 0, &lams[l], rng);
            for (int k = 0; k < 200; k++) {
                int deal = decide(qre, &o).deal;
                assert_true(deal == -1 || (deal > 0 && deal < 4));
                if (lams[l] > 0)
                    assert_int_equal(deal, 3);
            }
            for (int deal = 0; deal < 4; deal++) {
                sim_decision r = request(&g, SIM_ROLE_RESPOND, t, 1 - t, deal,
                                         &lams[l], rng);
                assert_int_equal(decide_rc(qre, &r, &a, &err), 0);
            }
        }
    }
    /* a non-finite gain in the game is an error; so is a deal off the
     * table */
    g.gain[0][1] = INFINITY;
    sim_decision o = request(&g, SIM_ROLE_OFFER, 0, 0, 0, lam_big, rng);
    assert_int_equal(decide_rc(qre, &o, &a, &err), SIM_E_NUMERIC);
    sim_decision r = request(&g, SIM_ROLE_RESPOND, 0, 1, 0, lam_big, rng);
    r.deal = 4;
    assert_int_equal(decide_rc(qre, &r, &a, &err), SIM_E_INTERNAL);
    sim_bargain_free(&g);
    gsl_rng_free(rng);
}

/* ---- qre: offers ---- */

/* Pearson's chi-square of counts against probabilities, and the check
 * that it is below the 1 - 1e-6 quantile: a correct model fails with
 * probability 1e-6. */
static void assert_chisq(const long *count, const double *prob, int k,
                         long draws, const char *what)
{
    double x2 = 0.0;
    int dof = -1;
    for (int i = 0; i < k; i++) {
        double e = prob[i] * (double)draws;
        if (e <= 0.0) {
            assert_int_equal(count[i], 0);
            continue;
        }
        double dev = (double)count[i] - e;
        x2 += dev * dev / e;
        dof++;
    }
    double crit = gsl_cdf_chisq_Qinv(1e-6, dof);
    if (!(x2 <= crit))
        fail_msg("%s: chi-square %.2f on %d d.f. above %.2f (p = 1e-6)", what,
                 x2, dof, crit);
}

/* Counts the deals proposed (-1 counted as deal 0). */
static void count_offers(const sim_model_type *m, sim_decision *d, long draws,
                         long *count, int n)
{
    memset(count, 0, sizeof(long) * (size_t)n);
    for (long i = 0; i < draws; i++) {
        int deal = decide(m, d).deal;
        assert_true(deal == -1 || (deal > 0 && deal < n));
        count[deal < 0 ? 0 : deal]++;
    }
}

/* lambda = 0: every deal, the empty deal included, equally likely. */
static void test_qre_offer_uniform_at_lambda_zero(void **state)
{
    (void)state;
    const sim_model_type *qre = sim_test_model("qre");
    gsl_rng *rng = new_rng(4);
    sim_bargain g;
    pie_game(&g, 10, 0); /* 12 deals */
    double prob[12];
    long count[12];
    for (int i = 0; i < 12; i++)
        prob[i] = 1.0 / 12;
    for (int t = 0; t < 2; t++) {
        sim_decision d = request(&g, SIM_ROLE_OFFER, t, t, 0, lam0, rng);
        count_offers(qre, &d, 120000, count, 12);
        assert_chisq(count, prob, 12, 120000, "uniform offers");
    }
    sim_bargain_free(&g);
    gsl_rng_free(rng);
}

/* lambda = 4: the offer frequencies follow the logit formula of the header
 * of qre.c, computed here directly (small values, no tricks). */
static void test_qre_offer_follows_logit_formula(void **state)
{
    (void)state;
    const sim_model_type *qre = sim_test_model("qre");
    gsl_rng *rng = new_rng(5);
    sim_bargain g;
    pie_game(&g, 10, 0);
    static const double lam4[] = {4.0};
    double prob[12], eu[12];
    long count[12];
    for (int t = 0; t < 2; t++) {
        int P = sim_bargain_proposer(&g, t), R = 1 - P;
        double cP = sim_bargain_continuation(&g, t, P);
        double cR = sim_bargain_continuation(&g, t, R);
        double sum = 0.0;
        for (int i = 0; i < 12; i++) {
            double a = 1.0 / (1.0 + exp(-4.0 * (g.gain[R][i] - cR)));
            eu[i] = i == 0 ? cP : a * g.gain[P][i] + (1 - a) * cP;
            sum += exp(4.0 * eu[i]);
        }
        for (int i = 0; i < 12; i++)
            prob[i] = exp(4.0 * eu[i]) / sum;
        sim_decision d = request(&g, SIM_ROLE_OFFER, t, P, 0, lam4, rng);
        count_offers(qre, &d, 200000, count, 12);
        assert_chisq(count, prob, 12, 200000, "logit offers, lambda 4");
    }
    sim_bargain_free(&g);
    gsl_rng_free(rng);
}

/* lambda = 1e6: the SPE offer of the stage, every time. */
static void test_qre_offer_at_huge_lambda_is_spe(void **state)
{
    (void)state;
    const sim_model_type *qre = sim_test_model("qre"),
                         *spe = sim_test_model("spe");
    gsl_rng *rng = new_rng(6);
    for (int first = 0; first < 2; first++) {
        sim_bargain g;
        pie_game(&g, 10, first);
        sim_decision d = request(&g, SIM_ROLE_OFFER, 0, first, 0, lam_big, rng);
        int want = decide(spe, &d).deal;
        /* first = 0: side 1 needs 0.85, n = 9, deal 10; first = 1: side 0
         * needs 0.75, n = 2, deal 3 */
        assert_int_equal(want, first ? 3 : 10);
        for (int k = 0; k < 1000; k++)
            assert_int_equal(decide(qre, &d).deal, want);
        sim_bargain_free(&g);
    }
    gsl_rng_free(rng);
}

/* ---- the scenario loader ---- */

static const char *const accepted_text =
    "actors = {\n"
    "  minsk = {\n"
    "    offer = { model = \"nash\"; power = 0.3; };\n"
    "  };\n"
    "  poland = {\n"
    "    border = { model = \"qre\"; lambda = 2.0; };\n"
    "  };\n"
    "};\n";

static const char *const rejected_text = "actors = {\n"
                                         "  poland = {\n"
                                         "    border = { model = \"nash\"; };\n"
                                         "  };\n"
                                         "};\n";

static void test_loader_accepts_and_rejects_the_models(void **state)
{
    (void)state;
    static sim_scenario sc;
    sim_err err = {0};
    int rc = sim_scenario_load_string(&sc, sim_builtin_models(), accepted_text,
                                      "nq.cfg", NULL, 0, NULL, &err);
    if (rc)
        fail_msg("%s", err.msg);
    const sim_model_spec *o = &sc.actor[SIM_ACTOR_MINSK].model[SIM_ROLE_OFFER];
    const sim_model_spec *b =
        &sc.actor[SIM_ACTOR_POLAND].model[SIM_ROLE_BORDER];
    assert_ptr_equal(o->type, sim_test_model("nash"));
    assert_close(o->param[0], 0.3, 0.0);
    assert_ptr_equal(b->type, sim_test_model("qre"));
    assert_close(b->param[0], 2.0, 0.0);

    /* defaults, and --set of a model name with its parameter */
    const char *sets[] = {"actors.washington.respond.model=qre",
                          "actors.eu.respond.model=nash",
                          "actors.eu.respond.power=0.8"};
    rc = sim_scenario_load_string(&sc, sim_builtin_models(), accepted_text,
                                  "nq.cfg", sets, 3, NULL, &err);
    if (rc)
        fail_msg("%s", err.msg);
    assert_close(
        sc.actor[SIM_ACTOR_WASHINGTON].model[SIM_ROLE_RESPOND].param[0], 1.0,
        0.0);
    assert_close(sc.actor[SIM_ACTOR_EU].model[SIM_ROLE_RESPOND].param[0], 0.8,
                 0.0);

    /* nash cannot decide a border: the message names the line and role */
    err = (sim_err){0};
    rc = sim_scenario_load_string(&sc, sim_builtin_models(), rejected_text,
                                  "bad.cfg", NULL, 0, NULL, &err);
    assert_int_equal(rc, SIM_E_SCENARIO);
    if (!strstr(err.msg, "bad.cfg:3") || !strstr(err.msg, "border") ||
        !strstr(err.msg, "nash"))
        fail_msg("unhelpful message: %s", err.msg);

    /* parameters out of range */
    const char *bad_power[] = {"actors.minsk.offer.power=1.5"};
    assert_int_equal(sim_scenario_load_string(&sc, sim_builtin_models(),
                                              accepted_text, "nq.cfg",
                                              bad_power, 1, NULL, &err),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "power"));
    const char *bad_lambda[] = {"actors.poland.border.lambda=-1"};
    assert_int_equal(sim_scenario_load_string(&sc, sim_builtin_models(),
                                              accepted_text, "nq.cfg",
                                              bad_lambda, 1, NULL, &err),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "lambda"));
}

/* ---- cost of a decision ---- */

static double now_ns(void)
{
    struct timespec ts;
    /* the thread's CPU time: robust to a busy machine */
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median over 5 runs of the CPU ns per call of m on request d. */
static double median_ns(const sim_model_type *m, sim_decision *d, int calls)
{
    double t[5];
    long sink = 0;
    for (int r = 0; r < 5; r++) {
        double t0 = now_ns();
        for (int i = 0; i < calls; i++) {
            sim_action a = decide(m, d);
            sink += a.deal + a.act;
        }
        t[r] = (now_ns() - t0) / calls;
    }
    assert_true(sink != 42424242); /* keep the loop */
    qsort(t, 5, sizeof t[0], cmp_double);
    return t[2];
}

/* Reports (does not bound: sanitizer builds are slow) the cost per call
 * on a 1001-deal game shaped like the engine's (101 releases x up to 10
 * packages); print_message shows it in the test log. */
static void test_decision_cost_on_a_1000_deal_game(void **state)
{
    (void)state;
    sim_bargain g;
    assert_int_equal(sim_bargain_alloc(&g, 1001, 4, NULL), 0);
    sim_bargain_reset(&g, 4, 0, 0.95, 0.95);
    sim_bargain_add(&g, 0u, 0, 0.0, 0.0);
    for (int k = 0; k < 10; k++)
        for (int n = 0; n <= 99; n++)
            sim_bargain_add(&g, 1u << k, n, 1.0 + 0.1 * k - n / 100.0,
                            n / 100.0 - 0.05 * k);
    assert_int_equal(g.n_deals, 1001);
    sim_bargain_solve(&g);
    gsl_rng *rng = new_rng(7);
    double pn[1] = {0.5}, pq[1] = {2.0};
    const sim_model_type *nash = sim_test_model("nash"),
                         *qre = sim_test_model("qre");
    sim_decision no = request(&g, SIM_ROLE_OFFER, 0, 0, 0, pn, rng);
    sim_decision nr = request(&g, SIM_ROLE_RESPOND, 0, 1, 500, pn, rng);
    sim_decision qo = request(&g, SIM_ROLE_OFFER, 0, 0, 0, pq, rng);
    sim_decision qr = request(&g, SIM_ROLE_RESPOND, 0, 1, 500, pq, rng);
    sim_decision qb = request(NULL, SIM_ROLE_BORDER, 0, 0, 0, pq, rng);
    qb.signal[SIM_SIGNAL_GAIN] = 0.3;
    print_message("ns per decide call, 1001 deals, median of 5: nash offer "
                  "%.0f, nash respond %.0f, qre offer %.0f, qre respond "
                  "%.0f, qre border %.0f\n",
                  median_ns(nash, &no, 2000), median_ns(nash, &nr, 2000),
                  median_ns(qre, &qo, 2000), median_ns(qre, &qr, 200000),
                  median_ns(qre, &qb, 200000));
    sim_bargain_free(&g);
    gsl_rng_free(rng);
}

int main(void)
{
    sim_error_quiet_gsl();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nash_power_matches_analytic_answer),
        cmocka_unit_test(test_nash_power_sweep),
        cmocka_unit_test(test_nash_power_degenerate_inputs),
        cmocka_unit_test(test_nash_discrete_unit_pie_gives_nearest_grid_point),
        cmocka_unit_test(test_nash_discrete_hand_solved_set),
        cmocka_unit_test(test_nash_offer_and_respond_on_a_game),
        cmocka_unit_test(test_qre_binary_choice_frequencies),
        cmocka_unit_test(test_qre_respond_at_huge_lambda_is_spe),
        cmocka_unit_test(test_qre_extremes_are_finite),
        cmocka_unit_test(test_qre_offer_uniform_at_lambda_zero),
        cmocka_unit_test(test_qre_offer_follows_logit_formula),
        cmocka_unit_test(test_qre_offer_at_huge_lambda_is_spe),
        cmocka_unit_test(test_loader_accepts_and_rejects_the_models),
        cmocka_unit_test(test_decision_cost_on_a_1000_deal_game),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
