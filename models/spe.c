/* spe.c - subgame-perfect play (MODEL.md section 4, `spe`).
 *
 * Offers and responses follow the backward-induction solution of the round's
 * alternating-offers game (sim/bargain.c). For the one-shot choices (veto,
 * border, transit, renew) there is no opponent move to anticipate within the
 * round, so subgame-perfect play is the best response on the actor's own
 * utility: act when acting gains (accept, veto-accept and renew when it
 * gains at least 0, the responder's tie rule and the status quo; close a
 * border or open transit only when it strictly gains). */
#include <sanctionsim/model.h>

#include <sanctionsim/bargain.h>

static int spe_decide(void *state, const sim_decision *d, sim_action *out,
                      sim_err *err)
{
    (void)state;
    (void)err;
    switch (d->role) {
    case SIM_ROLE_OFFER:
        out->deal = d->game->offer[d->stage];
        return 0;
    case SIM_ROLE_RESPOND: {
        double thr = sim_bargain_continuation(d->game, d->stage, d->side);
        double g = sim_bargain_gain(d->game, d->side, d->deal);
        out->act = g >= thr - SIM_BARGAIN_TOL * (1.0 + (thr < 0 ? -thr : thr));
        return 0;
    }
    case SIM_ROLE_VETO:
    case SIM_ROLE_RENEW:
        out->act = d->signal[SIM_SIGNAL_GAIN] >= 0.0;
        return 0;
    default:
        out->act = d->signal[SIM_SIGNAL_GAIN] > 0.0;
        return 0;
    }
}

const sim_model_type sim_model_spe = {
    .name = "spe",
    .doc = "Subgame-perfect play: offers and responses from the backward "
           "induction of the round's alternating-offers game over the "
           "feasible deals; veto, border and transit as the best response "
           "on the actor's own utility (act when it gains).",
    .roles = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND) |
             (1u << SIM_ROLE_VETO) | (1u << SIM_ROLE_BORDER) |
             (1u << SIM_ROLE_TRANSIT) | (1u << SIM_ROLE_RENEW),
    .params = NULL,
    .nparams = 0,
    .state_size = 0,
    .init = NULL,
    .decide = spe_decide,
    .observe = NULL,
};
