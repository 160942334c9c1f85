/* nash.c - the `nash` decision model: bargaining by the generalized Nash
 * bargaining solution (MODEL.md section 4, `nash`).
 *
 * Nash (1950) solves a bargaining problem by the deal that maximizes the
 * product of the two sides' gains over the disagreement point; with
 * bargaining powers b and 1 - b (Kalai 1977, Roth 1979) the product is
 *     N(deal) = (g_self)^b (g_other)^(1 - b),    g over disagreement.
 * Here disagreement is the status quo (gain 0 for both, MODEL.md 5.3), not
 * the continuation of the alternating-offers game: a Nash bargainer ignores
 * the protocol and asks for its axiomatic share.
 *   offer:   propose the deal maximizing N over the feasible deals with
 *            both gains positive (exact search, in logs), or no deal if
 *            there is none.
 *   respond: accept iff the deal gives the actor at least what it gets at
 *            the Nash solution computed with its own power.
 * Both use the exact search sim_nash_discrete (sim/nash_solution.c, which
 * also holds the solver of the continuous problem for `solve`). */
#include <math.h>

#include <sanctionsim/bargain.h>
#include <sanctionsim/nash_solution.h>
#include <sanctionsim/model.h>

enum { P_POWER };

static const sim_key params[] = {
    {"power", SIM_KEY_FLOAT, P_POWER * sizeof(double), 0, 0.5, 0, 1, NULL, NULL,
     "", "the deciding actor's bargaining power b (the other side's is 1 - b)"},
};

static int nash_decide(void *state, const sim_decision *d, sim_action *out,
                       sim_err *err)
{
    (void)state;
    const sim_bargain *g = sim_bargain_deals(d->game);
    double b = d->param[P_POWER];
    int self = d->side, other = 1 - d->side, best = -1, rc;
    switch (d->role) {
    case SIM_ROLE_OFFER:
        if ((rc = sim_nash_discrete(g->gain[self], g->gain[other], g->n_deals,
                                    b, &best)))
            return sim_error(err, rc, "nash: power %g is not in [0, 1]", b);
        out->deal = best;
        return 0;
    case SIM_ROLE_RESPOND: {
        if (d->deal < 0 || d->deal >= g->n_deals)
            return sim_error(err, SIM_E_INTERNAL,
                             "nash: deal %d on the table is not one of the "
                             "%d deals",
                             d->deal, g->n_deals);
        if ((rc = sim_nash_discrete(g->gain[self], g->gain[other], g->n_deals,
                                    b, &best)))
            return sim_error(err, rc, "nash: power %g is not in [0, 1]", b);
        /* The actor's Nash share; with no mutually gainful deal the
         * solution is disagreement, worth 0. Tolerance as the engine's
         * (SIM_BARGAIN_TOL, relative above 1). */
        double share = best >= 0 ? g->gain[self][best] : 0.0;
        out->act = g->gain[self][d->deal] >=
                   share - SIM_BARGAIN_TOL * (1.0 + fabs(share));
        return 0;
    }
    default:
        return sim_error(err, SIM_E_INTERNAL, "nash: cannot take the %s role",
                         sim_role_name(d->role));
    }
}

const sim_model_type sim_model_nash = {
    .name = "nash",
    .doc = "Generalized Nash bargaining solution (Nash 1950; Kalai 1977, "
           "Roth 1979): the actor proposes the feasible deal maximizing "
           "g_self^b g_other^(1-b), the gains over the status quo, among "
           "deals that give both sides a positive gain (no offer if none "
           "does), and accepts a deal iff it gives at least its share at "
           "that solution computed with its own power b.",
    .roles = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND),
    .params = params,
    .nparams = (int)(sizeof params / sizeof params[0]),
    .state_size = 0,
    .init = NULL,
    .decide = nash_decide,
    .observe = NULL,
};
