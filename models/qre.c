/* qre.c - logit quantal response (MODEL.md section 4, `qre`).
 *
 * McKelvey and Palfrey (1995): an actor with precision lambda chooses each
 * action with probability proportional to exp(lambda x its expected
 * utility). lambda = 0 is uniform play; as lambda -> infinity the choice
 * concentrates on the best responses. One uniform draw from the actor's
 * decision stream per decision.
 *
 * Binary roles (respond, veto, border, transit, renew), with Delta the
 * utility gain of acting over not acting:
 *     P(act) = exp(lambda U_act) / (exp(lambda U_act) + exp(lambda U_not))
 *            = 1 / (1 + exp(-lambda Delta)),
 * Delta = signal[gain] for veto, border, transit and renew, and for respond
 * Delta = g_R(d) - c_R, the deal's gain over the responder's continuation
 * c_R = sim_bargain_continuation(game, stage, R) (what rejecting is worth
 * in the solved game, as for `spe`).
 *
 * Offers: the proposer P assumes the responder R answers with the same
 * logit rule and precision, so deal i > 0 is accepted with probability
 *     a_i = 1 / (1 + exp(-lambda (g_R(i) - c_R))),
 * and is worth to P
 *     EU_P(i) = a_i g_P(i) + (1 - a_i) c_P,
 * while deal 0, the empty deal (no serious offer), is worth EU_P(0) = c_P.
 * P proposes deal i with probability
 *     pi_i = exp(lambda EU_P(i)) / sum_j exp(lambda EU_P(j)).
 * This is a one-step logit response to the solved game's continuations, not
 * a fixed point of the whole alternating-offers game. */
#include <math.h>

#include <sanctionsim/bargain.h>
#include <sanctionsim/model.h>

enum { P_LAMBDA };

static const sim_key params[] = {
    {"lambda", SIM_KEY_FLOAT, P_LAMBDA * sizeof(double), 0, 1.0, 0, 1e6, NULL,
     NULL, "1/utility",
     "logit precision: 0 plays uniformly at random, large values play the "
     "best response"},
};

/* lambda x, with lambda = 0 giving 0 even for an infinite x (uniform
 * play must not turn into 0 x inf = NaN). */
static double scaled(double lambda, double x)
{
    return lambda > 0.0 ? lambda * x : 0.0;
}

/* The logistic 1 / (1 + exp(-z)), without overflow for any |z| (exp only
 * of non-positive numbers); 0 and 1 at -inf and +inf. */
static double logistic(double z)
{
    if (z >= 0.0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

/* EU_P(i) of the header: what P expects from proposing deal i. */
static double offer_value(const sim_bargain *g, int i, int P, double lambda,
                          double cP, double cR)
{
    if (i == 0)
        return cP;
    double a = logistic(scaled(lambda, g->gain[1 - P][i] - cR));
    return a * g->gain[P][i] + (1.0 - a) * cP;
}

/* Samples the offer: one pass for the maximum M of EU and the normalizer
 * W = sum_i exp(lambda (EU_i - M)) (rescaled whenever M rises, so every
 * exponent is <= 0 and nothing overflows), one pass inverting the
 * cumulative sum at u W, in deal order. O(n) time, no memory. */
static int sample_offer(const sim_decision *d, double lambda, int *deal,
                        sim_err *err)
{
    const sim_bargain *g = sim_bargain_deals(d->game);
    int P = d->side, n = g->n_deals;
    double cP = sim_bargain_continuation(g, d->stage, P);
    double cR = sim_bargain_continuation(g, d->stage, 1 - P);
    double u = gsl_rng_uniform(d->rng);
    double M = -INFINITY, W = 0.0;
    *deal = -1;
    for (int i = 0; i < n; i++) {
        double eu = offer_value(g, i, P, lambda, cP, cR);
        if (!isfinite(eu))
            return sim_error(err, SIM_E_NUMERIC,
                             "qre: deal %d of the game has a non-finite "
                             "value to the proposer (%g)",
                             i, eu);
        if (eu > M) {
            W = W * exp(scaled(lambda, M - eu)) + 1.0;
            M = eu;
        } else {
            W += exp(scaled(lambda, eu - M));
        }
    }
    if (n == 0)
        return 0;
    double target = u * W, cum = 0.0;
    int last = 0;
    for (int i = 0; i < n; i++) {
        double w =
            exp(scaled(lambda, offer_value(g, i, P, lambda, cP, cR) - M));
        if (w > 0.0)
            last = i;
        cum += w;
        if (cum > target) {
            *deal = i;
            return 0;
        }
    }
    /* Only rounding (the first pass rescaled its sum as M rose) can leave
     * target >= cum: then the last deal with positive weight. */
    *deal = last;
    return 0;
}

static int qre_decide(void *state, const sim_decision *d, sim_action *out,
                      sim_err *err)
{
    (void)state;
    double lambda = d->param[P_LAMBDA];
    if (d->role == SIM_ROLE_OFFER) {
        int deal = -1, rc = sample_offer(d, lambda, &deal, err);
        if (rc)
            return rc;
        /* deal 0, the empty deal, is no serious offer (model.h: -1) */
        out->deal = deal > 0 ? deal : -1;
        return 0;
    }
    double delta;
    if (d->role == SIM_ROLE_RESPOND) {
        const sim_bargain *g = d->game;
        if (d->deal < 0 || d->deal >= g->n_deals)
            return sim_error(err, SIM_E_INTERNAL,
                             "qre: deal %d on the table is not one of the "
                             "%d deals",
                             d->deal, g->n_deals);
        delta = sim_bargain_gain(g, d->side, d->deal) -
                sim_bargain_continuation(g, d->stage, d->side);
    } else {
        delta = d->signal[SIM_SIGNAL_GAIN];
    }
    double z = scaled(lambda, delta);
    if (isnan(z))
        return sim_error(err, SIM_E_NUMERIC,
                         "qre: the gain of the %s decision is not a number",
                         sim_role_name(d->role));
    out->act = gsl_rng_uniform(d->rng) < logistic(z);
    return 0;
}

const sim_model_type sim_model_qre = {
    .name = "qre",
    .doc = "Logit quantal response (McKelvey and Palfrey 1995) with "
           "precision `lambda`: a binary decision acts with probability "
           "1/(1 + exp(-lambda Delta)), Delta the gain of acting (for "
           "respond, the deal's gain over the continuation of rejecting); "
           "an offer picks deal i, the empty deal included, with "
           "probability proportional to exp(lambda EU_i), where EU_i = "
           "a_i g_P(i) + (1 - a_i) c_P, a_i = 1/(1 + exp(-lambda (g_R(i) - "
           "c_R))) is the responder's logit acceptance at the same lambda, "
           "c the continuations of the solved game and EU_0 = c_P. "
           "lambda = 0 plays uniformly; large lambda plays the best "
           "response (spe, except at exact ties).",
    .roles = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND) |
             (1u << SIM_ROLE_VETO) | (1u << SIM_ROLE_BORDER) |
             (1u << SIM_ROLE_TRANSIT) | (1u << SIM_ROLE_RENEW),
    .params = params,
    .nparams = (int)(sizeof params / sizeof params[0]),
    .state_size = 0,
    .init = NULL,
    .decide = qre_decide,
    .observe = NULL,
};
