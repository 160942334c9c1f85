/* test_models_rb.c - the `reciprocal` and `bayesian` decision models against
 * hand-computed concession sequences, posteriors and offers, spe's offers
 * (one-type bayesian), and through the engine (the two-actor, one-round,
 * no-shock configuration of test_bargain.c; scenarios/textbook/bayesian.cfg).
 *
 * Games are unit pies on a grid of tenths: deal 0 is the empty deal (0, 0),
 * deal 1 + n gives side 0 the share 1 - n/N and side 1 n/N. Doubles are
 * compared within 1e-12: every hand value is a sum of a few tenths. */
#include "testutil.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/bargain.h>
#include <sanctionsim/model.h>
#include <sanctionsim/model_instance.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

/* Test hooks defined in models/reciprocal.c and models/bayesian.c. */
double sim_reciprocal_aspiration(const void *state);
const double *sim_bayesian_posterior(const void *state);

#define TOL 1e-12
#define PIE(n) (1 + (n)) /* deal index of n/N to side 1 */

/* ---- fixtures ---- */

/* A unit pie split in N steps after the empty deal; solved. */
static void pie_game(sim_bargain *b, int N, int S, int first, double d0,
                     double d1)
{
    assert_int_equal(sim_bargain_alloc(b, N + 2, S, NULL), 0);
    sim_bargain_reset(b, S, first, d0, d1);
    assert_int_equal(sim_bargain_add(b, 0u, 0, 0.0, 0.0), 0);
    for (int n = 0; n <= N; n++)
        assert_int_equal(
            sim_bargain_add(b, 1u, n, 1.0 - (double)n / N, (double)n / N),
            PIE(n));
    sim_bargain_solve(b);
}

/* One model instance, as the engine runs it (sim_model_instance), with
 * its parameters and decision stream. spec.param is the instance's
 * parameter array (borrowed by mi), so an inst is not copied once open;
 * inst_set changes a parameter of an open instance. */
typedef struct inst {
    sim_model_spec spec;
    sim_model_instance mi;
    gsl_rng *rng;
} inst;

static void inst_open(inst *x, const char *name)
{
    x->spec = (sim_model_spec){.type = sim_test_model(name)};
    assert_non_null(x->spec.type);
    sim_model_defaults(x->spec.type, x->spec.param);
    sim_err err = {0};
    assert_int_equal(sim_model_instance_init(&x->mi, &x->spec, NULL, &err), 0);
    x->rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(x->rng);
    gsl_rng_set(x->rng, 42);
}

static void inst_set(inst *x, const char *key, double v)
{
    const sim_model_type *m = x->mi.type;
    for (int i = 0; i < m->nparams; i++)
        if (!strcmp(m->params[i].name, key)) {
            x->spec.param[i] = v;
            return;
        }
    fail_msg("no parameter %s in %s", key, m->name);
}

/* The instance's reset (its model's init) with the current parameters;
 * returns its status. */
static int inst_reset(inst *x, sim_err *err)
{
    return sim_model_instance_reset(&x->mi, err);
}

static void inst_init(inst *x)
{
    sim_err err = {0};
    assert_int_equal(inst_reset(x, &err), 0);
}

static void inst_close(inst *x)
{
    sim_model_instance_free(&x->mi);
    gsl_rng_free(x->rng);
}

static sim_decision request(inst *x, const sim_bargain *g, int role, int stage,
                            int side, int deal)
{
    sim_decision d = {0};
    d.role = role;
    d.param = x->mi.param;
    d.game = g;
    d.stage = stage;
    d.side = side;
    d.deal = deal;
    d.rng = x->rng;
    return d;
}

static int offer(inst *x, const sim_bargain *g, int stage, int side)
{
    sim_decision d = request(x, g, SIM_ROLE_OFFER, stage, side, 0);
    sim_action a;
    sim_err err = {0};
    assert_int_equal(sim_model_instance_decide(&x->mi, &d, &a, &err), 0);
    return a.deal;
}

static bool respond(inst *x, const sim_bargain *g, int stage, int side,
                    int deal)
{
    sim_decision d = request(x, g, SIM_ROLE_RESPOND, stage, side, deal);
    sim_action a;
    sim_err err = {0};
    assert_int_equal(sim_model_instance_decide(&x->mi, &d, &a, &err), 0);
    return a.act;
}

/* The proposer's observe after its offer at `stage` was answered. */
static void answered(inst *x, const sim_bargain *g, int stage, int side,
                     bool accepted)
{
    sim_decision d = request(x, g, SIM_ROLE_OFFER, stage, side, 0);
    sim_model_instance_observe(&x->mi, &d, accepted);
}

static double aspiration(const inst *x)
{
    return sim_reciprocal_aspiration(x->mi.state);
}

static void assert_posterior(const inst *x, double p1, double p2, double p3)
{
    const double *pi = sim_bayesian_posterior(x->mi.state);
    assert_close(pi[0], p1, TOL);
    assert_close(pi[1], p2, TOL);
    assert_close(pi[2], p3, TOL);
    for (int k = 3; k < 6; k++)
        assert_close(pi[k], 0.0, 0.0);
}

/* ---- reciprocal ---- */

static void test_reciprocal_registered_with_defaults(void **state)
{
    (void)state;
    const sim_model_type *m = sim_test_model("reciprocal");
    assert_non_null(m);
    assert_true(sim_model_has_role(m, SIM_ROLE_OFFER));
    assert_true(sim_model_has_role(m, SIM_ROLE_RESPOND));
    assert_false(sim_model_has_role(m, SIM_ROLE_VETO));
    assert_int_equal(m->nparams, 4);
    double p[SIM_MODEL_MAX_PARAMS];
    sim_model_defaults(m, p);
    assert_string_equal(m->params[0].name, "opening");
    assert_string_equal(m->params[1].name, "generosity");
    assert_string_equal(m->params[2].name, "forgiveness");
    assert_string_equal(m->params[3].name, "tolerance");
    assert_close(p[0], 1.0, 0.0);
    assert_close(p[1], 1.0, 0.0);
    assert_close(p[2], 0.0, 0.0);
    assert_close(p[3], 0.0, 0.0);
}

/* generosity 1, forgiveness 0. The actor is side 0; the opponent offers it
 * 0.2, 0.4, 0.5, 0.7 (concessions 0, 0.2, 0.1, 0.2):
 *   A = 1.0 (opening 1 x the best share, 1.0 at n = 0)  -> offers n = 0
 *   A = 1.0 - 0.2 = 0.8                                  -> offers n = 2
 *   A = 0.8 - 0.1 = 0.7                                  -> offers n = 3
 *   A = 0.7 - 0.2 = 0.5; the offer 0.7 >= 0.5: accepted. */
static void test_reciprocal_matches_concessions_one_for_one(void **state)
{
    (void)state;
    sim_bargain g;
    pie_game(&g, 10, 4, 1, 0.9, 0.9);
    inst x;
    inst_open(&x, "reciprocal");
    inst_init(&x);
    assert_true(isnan(aspiration(&x)));
    assert_false(respond(&x, &g, 0, 0, PIE(8)));
    assert_close(aspiration(&x), 1.0, TOL);
    assert_int_equal(offer(&x, &g, 1, 0), PIE(0));
    assert_false(respond(&x, &g, 2, 0, PIE(6)));
    assert_close(aspiration(&x), 0.8, TOL);
    assert_int_equal(offer(&x, &g, 3, 0), PIE(2));
    assert_false(respond(&x, &g, 0, 0, PIE(5))); /* next round */
    assert_close(aspiration(&x), 0.7, TOL);
    assert_int_equal(offer(&x, &g, 1, 0), PIE(3));
    assert_true(respond(&x, &g, 2, 0, PIE(3)));
    assert_close(aspiration(&x), 0.5, TOL);
    inst_close(&x);
    sim_bargain_free(&g);
}

/* generosity 0.5, the same offers 0.2, 0.4, 0.5, 0.7, then 0.8:
 *   A = 1.0 -> n = 0;  0.9 -> n = 1;  0.85 -> n = 1 (0.9 is the nearest
 *   share >= 0.85);  0.75 -> the offer 0.7 is rejected, offers n = 2;
 *   0.8 (concession 0.1): A = 0.7, accepted. */
static void test_reciprocal_half_generosity(void **state)
{
    (void)state;
    sim_bargain g;
    pie_game(&g, 10, 2, 1, 1.0, 1.0);
    inst x;
    inst_open(&x, "reciprocal");
    inst_set(&x, "generosity", 0.5);
    inst_init(&x);
    const int offers[] = {8, 6, 5, 3};
    const double want_a[] = {1.0, 0.9, 0.85, 0.75};
    const int want_offer[] = {0, 1, 1, 2};
    for (int s = 0; s < 4; s++) {
        assert_false(respond(&x, &g, 0, 0, PIE(offers[s])));
        assert_close(aspiration(&x), want_a[s], TOL);
        assert_int_equal(offer(&x, &g, 1, 0), PIE(want_offer[s]));
    }
    assert_true(respond(&x, &g, 0, 0, PIE(2)));
    assert_close(aspiration(&x), 0.7, TOL);
    inst_close(&x);
    sim_bargain_free(&g);
}

/* A retraction: offers 0.2, 0.4, 0.3, 0.4 (concessions 0, 0.2, -0.1, 0.1).
 * forgiveness 0: A = 1.0, 0.8, 0.9 (matched), 0.8 -> offers n = 1, then 2.
 * forgiveness 1: A = 1.0, 0.8, 0.8 (forgiven), 0.7 -> offers n = 2, then 3
 * (the retraction was forgiven but is the reference for the next offer).
 * Either way exactly one uniform is drawn, at the retraction only. */
static void retraction(double forgiveness, const double *want_a,
                       const int *want_offer)
{
    sim_bargain g;
    pie_game(&g, 10, 2, 0, 1.0, 1.0);
    inst x;
    inst_open(&x, "reciprocal");
    inst_set(&x, "forgiveness", forgiveness);
    inst_init(&x);
    const int offers[] = {8, 6, 7, 6};
    for (int s = 0; s < 4; s++) {
        gsl_rng *shadow = gsl_rng_clone(x.rng);
        assert_false(respond(&x, &g, 1, 0, PIE(offers[s])));
        if (s == 2)
            (void)gsl_rng_uniform(shadow); /* the one draw */
        assert_true(gsl_rng_get(shadow) == gsl_rng_get(x.rng));
        gsl_rng_free(shadow);
        assert_close(aspiration(&x), want_a[s], TOL);
        if (s >= 2)
            assert_int_equal(offer(&x, &g, 0, 0), PIE(want_offer[s - 2]));
    }
    inst_close(&x);
    sim_bargain_free(&g);
}

static void test_reciprocal_matches_a_retraction(void **state)
{
    (void)state;
    const double a[] = {1.0, 0.8, 0.9, 0.8};
    const int o[] = {1, 2};
    retraction(0.0, a, o);
}

static void test_reciprocal_forgives_a_retraction(void **state)
{
    (void)state;
    const double a[] = {1.0, 0.8, 0.8, 0.7};
    const int o[] = {2, 3};
    retraction(1.0, a, o);
}

/* forgiveness 0.5: forgiven iff the draw U < 0.5; replayed on a clone. */
static void test_reciprocal_partial_forgiveness_uses_the_draw(void **state)
{
    (void)state;
    sim_bargain g;
    pie_game(&g, 10, 1, 0, 1.0, 1.0);
    for (unsigned long seed = 1; seed <= 20; seed++) {
        inst x;
        inst_open(&x, "reciprocal");
        inst_set(&x, "forgiveness", 0.5);
        gsl_rng_set(x.rng, seed);
        inst_init(&x);
        respond(&x, &g, 0, 0, PIE(6)); /* A = 1.0 */
        gsl_rng *shadow = gsl_rng_clone(x.rng);
        double u = gsl_rng_uniform(shadow);
        gsl_rng_free(shadow);
        respond(&x, &g, 0, 0, PIE(8)); /* retraction of 0.2 */
        assert_close(aspiration(&x), u < 0.5 ? 1.0 : 1.2, TOL);
        inst_close(&x);
    }
    sim_bargain_free(&g);
}

/* opening 0.8, generosity 0: A = 0.8 throughout. tolerance 0.25 accepts
 * offers worth >= 0.75 x 0.8 = 0.6; tolerance 0 only those >= 0.8. */
static void test_reciprocal_tolerance(void **state)
{
    (void)state;
    sim_bargain g;
    pie_game(&g, 10, 1, 0, 1.0, 1.0);
    inst x;
    inst_open(&x, "reciprocal");
    inst_set(&x, "opening", 0.8);
    inst_set(&x, "generosity", 0.0);
    inst_set(&x, "tolerance", 0.25);
    inst_init(&x);
    assert_int_equal(offer(&x, &g, 0, 0), PIE(2));
    assert_close(aspiration(&x), 0.8, TOL);
    assert_false(respond(&x, &g, 0, 0, PIE(5))); /* 0.5 < 0.6 */
    assert_true(respond(&x, &g, 0, 0, PIE(4)));  /* 0.6, at the edge */
    assert_true(respond(&x, &g, 0, 0, PIE(3)));
    assert_close(aspiration(&x), 0.8, TOL);
    inst_set(&x, "tolerance", 0.0);
    assert_false(respond(&x, &g, 0, 0, PIE(3))); /* 0.7 < 0.8 */
    assert_true(respond(&x, &g, 0, 0, PIE(2)));
    inst_close(&x);
    sim_bargain_free(&g);
}

/* Never a loss: with A <= 0 it still rejects a negative gain and offers
 * no deal below 0; with no deal the other side would not lose from, no
 * offer and no aspiration. */
static void test_reciprocal_never_takes_a_loss(void **state)
{
    (void)state;
    sim_bargain g;
    assert_int_equal(sim_bargain_alloc(&g, 4, 1, NULL), 0);
    sim_bargain_reset(&g, 1, 0, 1.0, 1.0);
    sim_bargain_add(&g, 0u, 0, 0.0, 0.0);
    sim_bargain_add(&g, 1u, 1, 1.0, 0.0);
    sim_bargain_add(&g, 1u, 2, -0.1, 1.1);
    sim_bargain_add(&g, 1u, 3, 0.05, 0.9);
    sim_bargain_solve(&g);
    inst x;
    inst_open(&x, "reciprocal");
    inst_set(&x, "opening", 0.0);
    inst_init(&x);
    assert_false(respond(&x, &g, 0, 0, 2)); /* -0.1: A = 0 */
    assert_close(aspiration(&x), 0.0, TOL);
    assert_true(respond(&x, &g, 0, 0, 3)); /* concession 0.15 */
    assert_close(aspiration(&x), -0.15, TOL);
    /* floor 0: deal 3 (0.05) is the best for the other side among the
     * deals worth >= 0 to the actor; deal 2 would give more but loses. */
    assert_int_equal(offer(&x, &g, 0, 0), 3);
    assert_false(respond(&x, &g, 0, 0, 2)); /* a loss, whatever A */
    inst_close(&x);

    /* Every deal hurts the other side: no aspiration, no offer. */
    sim_bargain_reset(&g, 1, 0, 1.0, 1.0);
    sim_bargain_add(&g, 1u, 1, 1.0, -0.5);
    sim_bargain_add(&g, 1u, 2, 0.5, -0.1);
    sim_bargain_solve(&g);
    inst_open(&x, "reciprocal");
    inst_init(&x);
    assert_int_equal(offer(&x, &g, 0, 0), -1);
    assert_true(isnan(aspiration(&x)));
    assert_true(respond(&x, &g, 0, 0, 1)); /* no aspiration: gain >= 0 */
    assert_true(isnan(aspiration(&x)));
    inst_close(&x);
    sim_bargain_free(&g);
}

/* Above every attainable gain: the deal with the highest own gain. */
static void test_reciprocal_unreachable_aspiration(void **state)
{
    (void)state;
    sim_bargain g;
    pie_game(&g, 10, 1, 0, 1.0, 1.0);
    inst x;
    inst_open(&x, "reciprocal");
    inst_init(&x);
    respond(&x, &g, 0, 0, PIE(4)); /* 0.6; A = 1.0 */
    respond(&x, &g, 0, 0, PIE(9)); /* retraction of 0.5: A = 1.5 */
    assert_close(aspiration(&x), 1.5, TOL);
    assert_int_equal(offer(&x, &g, 0, 1), PIE(10)); /* side 1's best */
    assert_int_equal(offer(&x, &g, 0, 0), PIE(0));
    inst_close(&x);
    sim_bargain_free(&g);
}

/* State carries over games (rounds) and is reset by init. In a second
 * round whose gains are doubled, an offer worth 0.6 after one worth 0.2
 * is a concession of 0.4 in raw units: A = 1.0 - 0.4 = 0.6, and the offer
 * (0.6) is accepted. */
static void test_reciprocal_state_spans_rounds_until_init(void **state)
{
    (void)state;
    sim_bargain g1, g2;
    pie_game(&g1, 10, 1, 0, 1.0, 1.0);
    assert_int_equal(sim_bargain_alloc(&g2, 12, 1, NULL), 0);
    sim_bargain_reset(&g2, 1, 0, 1.0, 1.0);
    sim_bargain_add(&g2, 0u, 0, 0.0, 0.0);
    for (int n = 0; n <= 10; n++)
        sim_bargain_add(&g2, 1u, n, 2.0 * (1.0 - n / 10.0), 2.0 * n / 10.0);
    sim_bargain_solve(&g2);
    inst x;
    inst_open(&x, "reciprocal");
    inst_init(&x);
    respond(&x, &g1, 0, 0, PIE(8));              /* 0.2, A = 1.0 */
    assert_true(respond(&x, &g2, 0, 0, PIE(7))); /* 0.6 >= A = 0.6 */
    assert_close(aspiration(&x), 0.6, TOL);
    inst_init(&x);
    assert_true(isnan(aspiration(&x)));
    respond(&x, &g2, 0, 0, PIE(7)); /* a first offer again: c = 0 */
    assert_close(aspiration(&x), 2.0, TOL);
    inst_close(&x);
    sim_bargain_free(&g1);
    sim_bargain_free(&g2);
}

/* ---- bayesian ---- */

static void bayes_three_types(inst *x, double w1, double w2, double w3)
{
    inst_open(x, "bayesian");
    inst_set(x, "type_1", 0.0);
    inst_set(x, "type_2", 0.2);
    inst_set(x, "type_3", 0.4);
    inst_set(x, "prob_1", w1);
    inst_set(x, "prob_2", w2);
    inst_set(x, "prob_3", w3);
    inst_init(x);
}

static void test_bayesian_registered_with_defaults(void **state)
{
    (void)state;
    const sim_model_type *m = sim_test_model("bayesian");
    assert_non_null(m);
    assert_true(sim_model_has_role(m, SIM_ROLE_OFFER));
    assert_true(sim_model_has_role(m, SIM_ROLE_RESPOND));
    assert_false(sim_model_has_role(m, SIM_ROLE_BORDER));
    assert_int_equal(m->nparams, 12);
    assert_true(m->nparams <= SIM_MODEL_MAX_PARAMS);
    double p[SIM_MODEL_MAX_PARAMS];
    sim_model_defaults(m, p);
    for (int k = 0; k < 6; k++) {
        char name[16];
        snprintf(name, sizeof name, "type_%d", k + 1);
        assert_string_equal(m->params[k].name, name);
        snprintf(name, sizeof name, "prob_%d", k + 1);
        assert_string_equal(m->params[6 + k].name, name);
        assert_close(p[k], 0.0, 0.0);
        assert_close(p[6 + k], k == 0 ? 1.0 : 0.0, 0.0);
    }
}

/* Three types r = (0, 0.2, 0.4), prior (0.5, 0.3, 0.2); the pie in tenths,
 * three stages, side 0 proposes at stages 0 and 2, discounts 0.5.
 * Complete information: stage 2, side 0 takes all (1, 0); stage 1, side 1
 * offers side 0 its continuation 0.5: (0.5, 0.5); stage 0: c_R = c_P =
 * 0.25.
 * Stage 0: type k accepts n/10 >= 0.25 + r_k, i.e. n >= 3, 5, 7:
 *   EU(3) = 0.5 x 0.7 + 0.5 x 0.25 = 0.475   <- offered (spe's offer too)
 *   EU(5) = 0.8 x 0.5 + 0.2 x 0.25 = 0.45,   EU(7) = 1.0 x 0.3 = 0.3.
 * Rejected: type 1 is excluded, posterior (0, 0.3, 0.2)/0.5 = (0, 0.6, 0.4).
 * Stage 2 (c = 0): type 2 accepts n >= 2, type 3 n >= 4:
 *   EU(2) = 0.6 x 0.8 = 0.48,  EU(4) = 1.0 x 0.6 = 0.6   <- offered.
 * Rejected: both remaining types would accept n = 4: refuted, back to the
 * prior (0.5, 0.3, 0.2), and the stage-2 offer under the prior is n = 2:
 *   EU(0) = 0.5, EU(2) = 0.8 x 0.8 = 0.64, EU(4) = 0.6. */
static void test_bayesian_three_types_by_hand(void **state)
{
    (void)state;
    sim_bargain g;
    pie_game(&g, 10, 3, 0, 0.5, 0.5);
    assert_close(sim_bargain_continuation(&g, 0, 1), 0.25, TOL);
    assert_close(sim_bargain_continuation(&g, 0, 0), 0.25, TOL);
    assert_int_equal(g.offer[0], PIE(3));
    inst x;
    bayes_three_types(&x, 0.5, 0.3, 0.2);
    assert_posterior(&x, 0.5, 0.3, 0.2);
    assert_int_equal(offer(&x, &g, 0, 0), PIE(3));
    answered(&x, &g, 0, 0, false);
    assert_posterior(&x, 0.0, 0.6, 0.4);
    assert_int_equal(offer(&x, &g, 2, 0), PIE(4));
    answered(&x, &g, 2, 0, false);
    assert_posterior(&x, 0.5, 0.3, 0.2);
    assert_int_equal(offer(&x, &g, 2, 0), PIE(2));
    inst_close(&x);
    sim_bargain_free(&g);
}

/* Screening one type at a time: continuations 0 (discounts 0), weights
 * (4, 0.8, 0.2), normalized (0.8, 0.16, 0.04).
 *   EU(0) = 0.8, EU(2) = 0.96 x 0.8 = 0.768, EU(4) = 0.6: offers n = 0.
 *   Rejected: (0, 0.16, 0.04)/0.2 = (0, 0.8, 0.2):
 *   EU(2) = 0.8 x 0.8 = 0.64, EU(4) = 0.6: offers n = 2.
 *   Rejected: (0, 0, 1): offers n = 4 (EU 0.6); accepted: unchanged. */
static void test_bayesian_screens_type_by_type(void **state)
{
    (void)state;
    sim_bargain g;
    pie_game(&g, 10, 4, 0, 0.0, 0.0);
    inst x;
    bayes_three_types(&x, 4.0, 0.8, 0.2);
    assert_posterior(&x, 0.8, 0.16, 0.04);
    assert_int_equal(offer(&x, &g, 0, 0), PIE(0));
    answered(&x, &g, 0, 0, false);
    assert_posterior(&x, 0.0, 0.8, 0.2);
    assert_int_equal(offer(&x, &g, 2, 0), PIE(2));
    answered(&x, &g, 2, 0, false);
    assert_posterior(&x, 0.0, 0.0, 1.0);
    assert_int_equal(offer(&x, &g, 0, 0), PIE(4));
    answered(&x, &g, 0, 0, true);
    assert_posterior(&x, 0.0, 0.0, 1.0);
    /* init: back to the prior */
    inst_init(&x);
    assert_posterior(&x, 0.8, 0.16, 0.04);
    inst_close(&x);
    sim_bargain_free(&g);
}

/* An acceptance keeps the types that accept: one stage, prior (0.5, 0.3,
 * 0.2): offers n = 2 (EU 0.64, as above); accepted by types 1 and 2:
 * (0.5, 0.3, 0)/0.8 = (0.625, 0.375, 0). */
static void test_bayesian_learns_from_an_acceptance(void **state)
{
    (void)state;
    sim_bargain g;
    pie_game(&g, 10, 1, 0, 0.9, 0.9);
    inst x;
    bayes_three_types(&x, 0.5, 0.3, 0.2);
    assert_int_equal(offer(&x, &g, 0, 0), PIE(2));
    answered(&x, &g, 0, 0, true);
    assert_posterior(&x, 0.625, 0.375, 0.0);
    /* observe without a pending offer (already answered) changes nothing;
     * nor does an observe on the respond role */
    answered(&x, &g, 0, 0, false);
    assert_posterior(&x, 0.625, 0.375, 0.0);
    sim_decision d = request(&x, &g, SIM_ROLE_RESPOND, 0, 1, PIE(2));
    sim_model_instance_observe(&x.mi, &d, false);
    assert_posterior(&x, 0.625, 0.375, 0.0);
    inst_close(&x);
    sim_bargain_free(&g);
}

/* Side 1 proposes; the types are side 0's offsets. Mirror of the three-type
 * game: at stage 0 of a 3-stage game with side 1 first, type k accepts
 * 1 - n/10 >= 0.25 + r_k, i.e. n <= 7, 5, 3; EU(7) = 0.475 is offered. */
static void test_bayesian_as_side_one(void **state)
{
    (void)state;
    sim_bargain g;
    pie_game(&g, 10, 3, 1, 0.5, 0.5);
    inst x;
    bayes_three_types(&x, 0.5, 0.3, 0.2);
    assert_int_equal(offer(&x, &g, 0, 1), PIE(7));
    answered(&x, &g, 0, 1, false);
    assert_posterior(&x, 0.0, 0.6, 0.4);
    assert_int_equal(offer(&x, &g, 2, 1), PIE(6));
    inst_close(&x);
    sim_bargain_free(&g);
}

/* Random games for the spe comparison: deal 0 is (0, 0) when `empty`,
 * else every deal is random and may leave the responder nothing it
 * accepts (then both models stall). */
static void random_game(sim_bargain *g, gsl_rng *r, int n, int S, int first,
                        double d0, double d1, double quantum, bool empty)
{
    assert_int_equal(sim_bargain_alloc(g, n, S, NULL), 0);
    sim_bargain_reset(g, S, first, d0, d1);
    if (empty)
        sim_bargain_add(g, 0u, 0, 0.0, 0.0);
    while (g->n_deals < n) {
        double a = -0.5 + 1.5 * gsl_rng_uniform(r);
        double b = -0.5 + 1.5 * gsl_rng_uniform(r);
        if (quantum > 0) { /* coarse grid: many exact ties */
            a = quantum * floor(a / quantum);
            b = quantum * floor(b / quantum);
        }
        sim_bargain_add(g, 1u, g->n_deals, a, b);
    }
    sim_bargain_solve(g);
}

/* Every stage's offer and every response of a one-type bayesian (r = 0)
 * equal spe's; also with zero-weight types of other offsets present. */
static void compare_with_spe(const sim_bargain *g, int *stalls)
{
    inst b, z, s;
    inst_open(&b, "bayesian");
    inst_init(&b);
    inst_open(&z, "bayesian");
    inst_set(&z, "type_1", 0.3);
    inst_set(&z, "prob_1", 0.0);
    inst_set(&z, "type_2", -0.2);
    inst_set(&z, "type_4", 0.0);
    inst_set(&z, "prob_4", 2.5);
    inst_init(&z);
    inst_open(&s, "spe");
    for (int t = 0; t < g->stages; t++) {
        int P = sim_bargain_proposer(g, t);
        int want = offer(&s, g, t, P);
        assert_int_equal(want, g->offer[t]);
        assert_int_equal(offer(&b, g, t, P), want);
        assert_int_equal(offer(&z, g, t, P), want);
        *stalls += want < 0;
        for (int i = 0; i < g->n_deals; i++) {
            bool acc = respond(&s, g, t, 1 - P, i);
            assert_true(respond(&b, g, t, 1 - P, i) == acc);
        }
    }
    inst_close(&b);
    inst_close(&z);
    inst_close(&s);
}

static void test_bayesian_one_type_is_spe(void **state)
{
    (void)state;
    int stalls = 0, games = 0;
    static const double pairs[][2] = {
        {0.9, 0.9}, {0.95, 0.8}, {0.5, 0.99}, {0.0, 0.7}, {1.0, 1.0}};
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++)
        for (int S = 1; S <= 6; S++)
            for (int first = 0; first < 2; first++) {
                sim_bargain g;
                pie_game(&g, 37, S, first, pairs[p][0], pairs[p][1]);
                compare_with_spe(&g, &stalls);
                sim_bargain_free(&g);
                games++;
            }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    for (int k = 0; k < 200; k++) {
        sim_bargain g;
        int S = 1 + (int)gsl_rng_uniform_int(r, 6);
        int n = 2 + (int)gsl_rng_uniform_int(r, 40);
        random_game(&g, r, n, S, k % 2, gsl_rng_uniform(r), gsl_rng_uniform(r),
                    k % 3 == 0 ? 0.25 : 0.0, k % 4 != 1);
        compare_with_spe(&g, &stalls);
        sim_bargain_free(&g);
        games++;
    }
    gsl_rng_free(r);
    /* With deal 0 = (0, 0) and discounts <= 1 backward induction never
     * stalls (the proposer can re-offer the next stage's deal); a "discount"
     * of 2 makes waiting pay: stage 1, side 1 offers deal 1 (0.5, 0.5);
     * stage 0, side 0 needs 2 x 0.5 = 1 > 0.5: no serious offer. */
    sim_bargain g;
    assert_int_equal(sim_bargain_alloc(&g, 2, 2, NULL), 0);
    sim_bargain_reset(&g, 2, 0, 2.0, 1.0);
    sim_bargain_add(&g, 0u, 0, 0.0, 0.0);
    sim_bargain_add(&g, 1u, 1, 0.5, 0.5);
    sim_bargain_solve(&g);
    assert_int_equal(g.offer[0], -1);
    compare_with_spe(&g, &stalls);
    sim_bargain_free(&g);
    /* the comparison covered stalling too */
    assert_true(stalls > 0);
    assert_true(games > 200);
}

static void test_bayesian_prior_errors(void **state)
{
    (void)state;
    inst x;
    inst_open(&x, "bayesian");
    sim_err err = {0};
    inst_set(&x, "prob_1", 0.0);
    assert_int_equal(inst_reset(&x, &err), SIM_E_SCENARIO);
    assert_string_equal(err.msg, "bayesian: the prior weights prob_1..prob_6 "
                                 "sum to 0");
    inst_set(&x, "prob_2", -1.0);
    inst_set(&x, "prob_3", 2.0);
    err = (sim_err){0};
    assert_int_equal(inst_reset(&x, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "prob_2"));
    inst_set(&x, "prob_2", 0.0);
    inst_set(&x, "type_3", NAN);
    err = (sim_err){0};
    assert_int_equal(inst_reset(&x, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "type_3"));
    inst_close(&x);
}

static void test_models_refuse_other_roles(void **state)
{
    (void)state;
    const char *names[] = {"reciprocal", "bayesian"};
    sim_bargain g;
    pie_game(&g, 4, 1, 0, 1.0, 1.0);
    for (int k = 0; k < 2; k++) {
        inst x;
        inst_open(&x, names[k]);
        inst_init(&x);
        sim_decision d = request(&x, &g, SIM_ROLE_VETO, 0, 0, 0);
        sim_action a;
        sim_err err = {0};
        assert_int_equal(sim_model_instance_decide(&x.mi, &d, &a, &err),
                         SIM_E_INTERNAL);
        assert_non_null(strstr(err.msg, names[k]));
        inst_close(&x);
    }
    sim_bargain_free(&g);
}

/* ---- through the engine ---- */

typedef struct outcome {
    int us_deal, us_stage;
    long released;
} outcome;

static int record(void *ctx, const sim_round_record *r, sim_err *err)
{
    (void)err;
    outcome *o = ctx;
    o->us_deal = r->us_deal;
    o->us_stage = r->us_stage;
    o->released = r->released[SIM_KIND_ORDINARY];
    return 0;
}

static sim_scenario scenario; /* large: static */

/* Loads `path` (or the text when path is NULL) with the --set overrides,
 * runs one replication and returns its outcome; rc receives the status. */
static outcome run_one(const char *path, const char *text,
                       const char *const *sets, int nsets, int want_rc,
                       sim_workspace **keep)
{
    sim_err err = {0};
    int rc =
        path ? sim_scenario_load(&scenario, sim_builtin_models(), path, sets,
                                 nsets, NULL, &err)
             : sim_scenario_load_string(&scenario, sim_builtin_models(), text,
                                        "rb.cfg", sets, nsets, NULL, &err);
    if (rc)
        fail_msg("%s", err.msg);
    sim_workspace *ws;
    assert_int_equal(sim_workspace_alloc(&scenario, &ws, &err), 0);
    outcome o = {0};
    sim_rep_result res;
    assert_int_equal(sim_replicate(ws, 1, 0, record, &o, &res, &err), want_rc);
    if (keep)
        *keep = ws;
    else
        sim_workspace_free(ws);
    return o;
}

#define TEXTBOOK "scenarios/textbook/bayesian.cfg"

/* The numbers of the file's header: W opens with (relief, 7), Minsk's
 * 0.45 rule rejects it, the posterior becomes (0, 0.6, 0.4), and Minsk's
 * counter-offer (relief, 5) is accepted at stage 2. */
static void test_bayesian_textbook_scenario(void **state)
{
    (void)state;
    sim_workspace *ws;
    outcome o = run_one(TEXTBOOK, NULL, NULL, 0, 0, &ws);
    assert_int_equal(o.us_deal, 1);
    assert_int_equal(o.us_stage, 2);
    assert_int_equal(o.released, 5);

    /* Replay Washington's decisions on the engine's own game: deals are
     * (none, n) = n for n = 0..10, then (relief, n) = 11 + n. */
    const sim_bargain *g = sim_workspace_game(ws);
    assert_int_equal(g->n_deals, 22);
    assert_close(g->gain[0][11 + 7], 0.3, TOL);
    assert_close(g->gain[1][11 + 7], 0.7, TOL);
    assert_int_equal(g->offer[0], 11 + 7); /* spe's offer */
    inst x;
    inst_open(&x, "bayesian");
    memcpy(x.spec.param,
           scenario.actor[SIM_ACTOR_WASHINGTON].model[SIM_ROLE_OFFER].param,
           sizeof x.spec.param);
    inst_init(&x);
    assert_posterior(&x, 0.5, 0.3, 0.2);
    assert_int_equal(offer(&x, g, 0, 1), 11 + 7);
    answered(&x, g, 0, 1, false);
    assert_posterior(&x, 0.0, 0.6, 0.4);
    assert_int_equal(offer(&x, g, 2, 1), 11 + 6);
    answered(&x, g, 2, 1, false);
    assert_posterior(&x, 0.5, 0.3, 0.2);
    inst_close(&x);
    sim_workspace_free(ws);

    const char *type1[] = {"actors.minsk.respond.threshold=0.25"};
    o = run_one(TEXTBOOK, NULL, type1, 1, 0, NULL);
    assert_true(o.us_stage == 1 && o.released == 7);
    const char *prior[] = {"actors.washington.offer.prob_1=0.2",
                           "actors.washington.offer.prob_3=0.5"};
    o = run_one(TEXTBOOK, NULL, prior, 2, 0, NULL);
    assert_true(o.us_stage == 1 && o.released == 5);
    const char *stage3[] = {"actors.washington.respond.model=threshold",
                            "actors.washington.respond.threshold=0.6",
                            "actors.minsk.respond.threshold=0.35"};
    o = run_one(TEXTBOOK, NULL, stage3, 2, 0, NULL);
    assert_true(o.us_deal == 0 && o.released == 0);
    o = run_one(TEXTBOOK, NULL, stage3, 3, 0, NULL);
    assert_true(o.us_stage == 3 && o.released == 6);
    const char *zero[] = {"actors.washington.offer.prob_1=0",
                          "actors.washington.offer.prob_2=0",
                          "actors.washington.offer.prob_3=0"};
    /* a prior that sums to 0 is a scenario error at load time, naming the
     * file, the line of the model group and the key */
    sim_err err = {0};
    assert_int_equal(sim_scenario_load(&scenario, sim_builtin_models(),
                                       TEXTBOOK, zero, 3, NULL, &err),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, TEXTBOOK ":"));
    assert_non_null(strstr(err.msg, "actors.washington.offer"));
    assert_non_null(strstr(err.msg, "sum to 0"));
}

/* The same textbook game with reciprocal players (spe elsewhere).
 * Minsk responds reciprocally: A = 1.0 (all of the relief, n = 0); spe's
 * opening (relief, 7) gives it 0.3 < A: rejected; Minsk's counter-offer
 * (relief, 5) is accepted at stage 2. With tolerance 0.7 it accepts 0.3
 * at once. Washington offers reciprocally: opening 1 asks (relief, 10),
 * which Minsk (spe, continuation 0.25) rejects; opening 0.7 asks
 * (relief, 7), accepted at stage 1. */
static const char *reciprocal_text =
    "rounds = 1;\n"
    "planning_horizon = 1;\n"
    "prisoners = { ordinary = 10; foreign = 0; high_profile = 0; };\n"
    "eu = { enabled = false; };\n"
    "bargaining = { max_release = 10; max_instruments = 1; stages = 3;\n"
    "  first_proposer = \"west\"; breakdown = 0.0; };\n"
    "shocks = {\n"
    "  drones = { dist = \"fixed\"; value = 0.0; };\n"
    "  spy_scandals = { dist = \"fixed\"; value = 0.0; };\n"
    "  foreign_arrests = { dist = \"fixed\"; value = 0.0; };\n"
    "  arrests = { dist = \"fixed\"; value = 0.0; };\n"
    "  deaths = { dist = \"fixed\"; value = 0.0; };\n"
    "  completions = { dist = \"fixed\"; value = 0.0; };\n"
    "  distraction = { dist = \"fixed\"; value = 0.0; };\n"
    "  moscow = { dist = \"fixed\"; value = 0.0; };\n"
    "};\n"
    "instruments = ( { name = \"relief\"; imposer = \"us\"; value = 1.0; } "
    ");\n"
    "actors = {\n"
    "  minsk = { stage_discount = 0.5;\n"
    "    weights = { relief = 1.0; released_ordinary = -0.1; }; };\n"
    "  washington = { stage_discount = 0.5;\n"
    "    weights = { released_ordinary = 0.1; }; };\n"
    "};\n";

static void test_reciprocal_in_the_engine(void **state)
{
    (void)state;
    const char *m0[] = {"actors.minsk.respond.model=reciprocal"};
    outcome o = run_one(NULL, reciprocal_text, m0, 1, 0, NULL);
    assert_true(o.us_stage == 2 && o.released == 5);
    const char *m1[] = {"actors.minsk.respond.model=reciprocal",
                        "actors.minsk.respond.tolerance=0.7"};
    o = run_one(NULL, reciprocal_text, m1, 2, 0, NULL);
    assert_true(o.us_stage == 1 && o.released == 7);
    const char *w0[] = {"actors.washington.offer.model=reciprocal"};
    o = run_one(NULL, reciprocal_text, w0, 1, 0, NULL);
    assert_true(o.us_stage == 2 && o.released == 5);
    const char *w1[] = {"actors.washington.offer.model=reciprocal",
                        "actors.washington.offer.opening=0.7"};
    o = run_one(NULL, reciprocal_text, w1, 2, 0, NULL);
    assert_true(o.us_stage == 1 && o.released == 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reciprocal_registered_with_defaults),
        cmocka_unit_test(test_reciprocal_matches_concessions_one_for_one),
        cmocka_unit_test(test_reciprocal_half_generosity),
        cmocka_unit_test(test_reciprocal_matches_a_retraction),
        cmocka_unit_test(test_reciprocal_forgives_a_retraction),
        cmocka_unit_test(test_reciprocal_partial_forgiveness_uses_the_draw),
        cmocka_unit_test(test_reciprocal_tolerance),
        cmocka_unit_test(test_reciprocal_never_takes_a_loss),
        cmocka_unit_test(test_reciprocal_unreachable_aspiration),
        cmocka_unit_test(test_reciprocal_state_spans_rounds_until_init),
        cmocka_unit_test(test_bayesian_registered_with_defaults),
        cmocka_unit_test(test_bayesian_three_types_by_hand),
        cmocka_unit_test(test_bayesian_screens_type_by_type),
        cmocka_unit_test(test_bayesian_learns_from_an_acceptance),
        cmocka_unit_test(test_bayesian_as_side_one),
        cmocka_unit_test(test_bayesian_one_type_is_spe),
        cmocka_unit_test(test_bayesian_prior_errors),
        cmocka_unit_test(test_models_refuse_other_roles),
        cmocka_unit_test(test_bayesian_textbook_scenario),
        cmocka_unit_test(test_reciprocal_in_the_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
