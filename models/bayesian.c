/* bayesian.c - incomplete information about the responder's reservation
 * value (MODEL.md section 4, `bayesian`).
 *
 * The proposer P does not know how much the responder R demands. It holds a
 * prior over up to six types k = 1..6: type k has reservation offset r_k
 * (`type_k`, in R's utility units) and prior weight w_k (`prob_k`, >= 0;
 * normalized; zero-weight types play no part). Its belief about R at stage
 * t of the round's game:
 *
 *   type k accepts deal i  iff  g_R(i) >= c_R(t) + r_k,
 *   c_s(t) = sim_bargain_continuation(game, t, s)      (complete information)
 *
 * (within the engine's relative tolerance SIM_BARGAIN_TOL, as in spe).
 *
 * Offer at stage t, posterior pi:  q(i) = sum_k pi_k accept_k(i),
 *
 *   EU(i) = q(i) g_P(i) + (1 - q(i)) c_P(t).
 *
 * Making no serious offer (deal 0, or any deal no type accepts, q = 0) is
 * worth c_P(t). The proposer ranks the deals with q(i) > 0 by EU, then
 * higher q, then more for the responder, then the lower index, and offers
 * the first if its EU >= c_P(t) (within tolerance: ties favour offering,
 * as in spe), else makes no serious offer (-1). The "more for the
 * responder" key, between the brief's two tie keys, is spe's own tie rule
 * and is what makes the one-type case below exact.
 *
 * Bayes' rule, after each answer to the proposer's own offer i at stage t
 * (observe on the offer role):
 *   rejected:  pi_k <- pi_k (1 - accept_k(i)) / Z
 *   accepted:  pi_k <- pi_k accept_k(i) / Z
 * If Z = 0 (an answer no type in the support would give: the belief is
 * refuted) the posterior returns to the prior rather than to an undefined
 * 0/0; the proposer starts learning afresh. The posterior persists across
 * stages and rounds of a replication (types are offsets from the
 * continuation, so they keep their meaning when the round's game changes);
 * init resets it to the prior.
 *
 * Respond: complete-information play, as spe: accept iff g_R(d) >= c_R(t)
 * within tolerance. The belief is the proposer's only.
 *
 * One type with r = 0 reproduces spe's offers exactly. Then q(i) is 1 on
 * Acc = { i : g_R(i) >= c_R(t) } (the same tolerant test, with the same
 * threshold, since c_R(t) + 0 == c_R(t)) and 0 elsewhere, so the candidates
 * are exactly Acc and EU(i) = 1 * g_P(i) + 0 * c_P(t) = g_P(i) exactly.
 * Ranking Acc by g_P, then (q equal) by g_R, then by index is spe's choice
 * d* = argmax_{Acc} g_P with its tie rule, and "offer d* iff
 * g_P(d*) >= c_P(t) within tolerance, else -1" is sim_bargain_solve's
 * offer-or-stall rule with thr_P = c_P(t). So offer(t) coincides, including
 * d* = 0 (both name deal 0) and stalling (both give -1). The equivalence
 * needs only that maximizing over the deals R accepts and comparing with
 * the value of waiting is the backward-induction step; it holds for any
 * game, not only a linear split (tests/test_models_rb.c checks it on
 * several). */
#include <sanctionsim/model.h>

#include <math.h>
#include <string.h>

#include <sanctionsim/bargain.h>

#define NTYPES 6

/* Parameter i is type_(i+1) for i < NTYPES, prob_(i-NTYPES+1) after. */
#define P_TYPE(k) (k)
#define P_PROB(k) (NTYPES + (k))

/* clang-format off */
#define PKEY(i, key, d, lo, hi, unit, doc)                                    \
    {key, SIM_KEY_FLOAT, (i) * sizeof(double), 0, d, lo, hi, NULL, NULL,      \
     unit, doc}
#define TYPE_KEY(k)                                                           \
    PKEY(P_TYPE((k) - 1), "type_" #k, 0.0, -1e9, 1e9, "utility",              \
         "reservation offset of responder type " #k                           \
         ": it accepts iff its gain >= continuation + this")
#define PROB_KEY(k, d)                                                        \
    PKEY(P_PROB((k) - 1), "prob_" #k, d, 0.0, 1e9, "weight",                  \
         "prior weight of responder type " #k " (normalized)")

static const sim_key params[] = {
    TYPE_KEY(1), TYPE_KEY(2), TYPE_KEY(3), TYPE_KEY(4), TYPE_KEY(5),
    TYPE_KEY(6),
    PROB_KEY(1, 1.0), PROB_KEY(2, 0.0), PROB_KEY(3, 0.0), PROB_KEY(4, 0.0),
    PROB_KEY(5, 0.0), PROB_KEY(6, 0.0),
};
/* clang-format on */

/* Per actor, role and replication. `posterior` comes first: the test hook
 * below returns it. */
typedef struct bayesian_state {
    double posterior[NTYPES]; /* sums to 1; 0 for excluded types */
    double prior[NTYPES];     /* the normalized prob_k */
    int last_deal;            /* the proposer's pending offer, -1 if none */
    int last_stage;
} bayesian_state;

/* The posterior (NTYPES = 6 entries, type_1 first) of a bayesian state. A
 * test hook (tests/test_models_rb.c); the pointer is into the borrowed
 * state. */
const double *sim_bayesian_posterior(const void *state);

const double *sim_bayesian_posterior(const void *state)
{
    return ((const bayesian_state *)state)->posterior;
}

static bool at_least(double x, double thr)
{
    return x >= thr - SIM_BARGAIN_TOL * (1.0 + fabs(thr));
}

static int bayesian_init(void *state, const double *param, sim_err *err)
{
    bayesian_state *st = state;
    double total = 0.0;
    for (int k = 0; k < NTYPES; k++) {
        double w = param[P_PROB(k)];
        if (!(w >= 0.0) || !isfinite(w) || !isfinite(param[P_TYPE(k)]))
            return sim_error(err, SIM_E_SCENARIO,
                             "bayesian: prob_%d = %g and type_%d = %g must "
                             "be finite, the weight >= 0",
                             k + 1, w, k + 1, param[P_TYPE(k)]);
        total += w;
    }
    if (!(total > 0.0))
        return sim_error(err, SIM_E_SCENARIO,
                         "bayesian: the prior weights prob_1..prob_6 sum "
                         "to 0");
    memset(st, 0, sizeof *st);
    for (int k = 0; k < NTYPES; k++)
        st->prior[k] = st->posterior[k] = param[P_PROB(k)] / total;
    st->last_deal = -1;
    return 0;
}

/* Whether type k accepts deal i of g at stage t (R the responder). */
static bool type_accepts(const sim_bargain *g, const double *param, int k,
                         int i, int t, int R)
{
    double thr = sim_bargain_continuation(g, t, R) + param[P_TYPE(k)];
    return at_least(sim_bargain_gain(g, R, i), thr);
}

static int best_offer(const bayesian_state *st, const sim_decision *d)
{
    const sim_bargain *g = sim_bargain_deals(d->game);
    int t = d->stage, P = d->side, R = 1 - P;
    const double *gP = g->gain[P], *gR = g->gain[R];
    double cP = sim_bargain_continuation(g, t, P);
    double cR = sim_bargain_continuation(g, t, R);
    /* Thresholds of the types in the support, hoisted out of the deal
     * loop: O(n_deals x types) with no continuation calls inside. */
    double thr[NTYPES] = {0}, pi[NTYPES] = {0};
    int m = 0;
    for (int k = 0; k < NTYPES; k++)
        if (st->posterior[k] > 0.0) {
            thr[m] = cR + d->param[P_TYPE(k)];
            thr[m] -= SIM_BARGAIN_TOL * (1.0 + fabs(thr[m]));
            pi[m++] = st->posterior[k];
        }
    int best = -1;
    double best_eu = 0.0, best_q = 0.0;
    for (int i = 0; i < g->n_deals; i++) {
        /* Summed in type order for every deal, so deals accepted by the
         * same types get bit-identical q. */
        double q = 0.0;
        for (int j = 0; j < m; j++)
            if (gR[i] >= thr[j])
                q += pi[j];
        if (!(q > 0.0))
            continue; /* no type accepts: worth c_P, as no offer */
        double eu = q * gP[i] + (1.0 - q) * cP;
        if (best < 0 || eu > best_eu ||
            (eu == best_eu &&
             (q > best_q || (q == best_q && gR[i] > gR[best])))) {
            best = i;
            best_eu = eu;
            best_q = q;
        }
    }
    return best >= 0 && at_least(best_eu, cP) ? best : -1;
}

static int bayesian_decide(void *state, const sim_decision *d, sim_action *out,
                           sim_err *err)
{
    bayesian_state *st = state;
    switch (d->role) {
    case SIM_ROLE_OFFER:
        out->deal = best_offer(st, d);
        st->last_deal = out->deal;
        st->last_stage = d->stage;
        return 0;
    case SIM_ROLE_RESPOND: {
        double thr = sim_bargain_continuation(d->game, d->stage, d->side);
        out->act = at_least(sim_bargain_gain(d->game, d->side, d->deal), thr);
        return 0;
    }
    default:
        return sim_error(err, SIM_E_INTERNAL,
                         "bayesian: asked for a %s decision",
                         sim_role_name(d->role));
    }
}

static void bayesian_observe(void *state, const sim_decision *d, bool accepted)
{
    bayesian_state *st = state;
    /* The engine hands back the offer decision (its `deal` is not the
     * offer), so the offer is the one recorded at decide time. */
    if (d->role != SIM_ROLE_OFFER || st->last_deal < 0 ||
        st->last_stage != d->stage)
        return;
    int R = 1 - d->side;
    double z = 0.0;
    for (int k = 0; k < NTYPES; k++) {
        if (st->posterior[k] > 0.0 &&
            type_accepts(d->game, d->param, k, st->last_deal, d->stage, R) !=
                accepted)
            st->posterior[k] = 0.0;
        z += st->posterior[k];
    }
    if (z > 0.0)
        for (int k = 0; k < NTYPES; k++)
            st->posterior[k] /= z;
    else /* refuted: see the file comment */
        memcpy(st->posterior, st->prior, sizeof st->posterior);
    st->last_deal = -1;
}

const sim_model_type sim_model_bayesian = {
    .name = "bayesian",
    .doc = "Incomplete information: the proposer holds a prior over up to "
           "six responder types (`type_k`: reservation offset over the "
           "complete-information continuation; `prob_k`: prior weight, "
           "normalized), offers the deal maximizing expected utility under "
           "its posterior (accepted: its gain; rejected: its continuation), "
           "and updates by Bayes' rule after each answer (back to the prior "
           "if refuted); delay arises from screening. Responds as spe. One "
           "type with offset 0 is spe.",
    .roles = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND),
    .params = params,
    .nparams = (int)(sizeof params / sizeof params[0]),
    .state_size = sizeof(bayesian_state),
    .init = bayesian_init,
    .decide = bayesian_decide,
    .observe = bayesian_observe,
};
