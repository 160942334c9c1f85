/* eu.c - the EU's unanimity: the veto players' vote on a deal agreed on
 * the EU track, and the yearly renewal of the EU's sanctions, which any
 * renewing member can let lapse. */
#include <string.h>

#include "workspace_impl.h"

/* The change of features that deal of ws->game makes (its package lifted
 * for good), computed as sim_utility_gain does, once for all voters. */
static void deal_diff(const sim_workspace *ws, int deal, double *diff)
{
    const sim_scenario *sc = ws->sc;
    sim_status_kind lifted_status[SIM_MAX_INSTRUMENTS];
    memcpy(lifted_status, ws->status, sizeof lifted_status);
    unsigned package = sim_bargain_package(&ws->game, deal);
    for (int i = 0; i < sc->n_instruments; i++)
        if (package & (1u << i))
            lifted_status[i] = SIM_STATUS_LIFTED;
    sim_view now = sim_utility_view(ws), after = now;
    after.status = lifted_status;
    double f0[SIM_N_FEATURES];
    sim_utility_features(ws, &now, f0);
    sim_utility_features(ws, &after, diff);
    for (int i = 0; i < SIM_N_FEATURES; i++)
        diff[i] -= f0[i];
}

/* Actor a's gain from deal of ws->game: the lifted package for good (the
 * actor's annuity; diff from deal_diff), the prisoners released, and the
 * deal's visibility. */
static double deal_gain(const sim_workspace *ws, int a, int deal,
                        const double *diff, bool pressed)
{
    double Av = ws->annuity[a];
    double gain = Av * sim_utility_dot(ws->w[a], diff);
    long released[SIM_N_KINDS];
    sim_track_composition(ws, sim_bargain_count(&ws->game, deal), released);
    for (int k = 0; k < SIM_N_KINDS; k++)
        gain += (double)released[k] *
                sim_utility_release_gain(ws, a, k, Av);
    gain += ws->w[a][SIM_FEATURE_EU_DEAL];
    if (pressed)
        gain += ws->w[a][SIM_FEATURE_PRESSED_EU_DEAL];
    return gain;
}

/* Each veto player, in actor order, accepts or vetoes the agreed deal; all
 * of them vote, whatever the earlier votes. */
int sim_eu_vote(sim_workspace *ws, int deal, bool pressed, bool *vetoed,
                sim_err *err)
{
    *vetoed = false;
    double diff[SIM_N_FEATURES];
    deal_diff(ws, deal, diff);
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        if (!sim_actor_has_role(ws->sc, a, SIM_ROLE_VETO))
            continue;
        sim_decision d = {0};
        sim_action act;
        sim_decision_signals(ws, a, deal_gain(ws, a, deal, diff, pressed), 0.0, &d);
        int rc = sim_decision_decide(ws, a, SIM_ROLE_VETO, &d, &act, err);
        if (rc)
            return rc;
        if (!act.act)
            *vetoed = true;
    }
    return 0;
}

/* Every renewing actor decides, in actor order, whatever the earlier
 * decisions; one refusal is enough. */
int sim_eu_renewal(sim_workspace *ws, unsigned *lapsed, sim_err *err)
{
    const sim_scenario *sc = ws->sc;
    sim_status_kind lapse_status[SIM_MAX_INSTRUMENTS];
    unsigned mask = 0;
    memcpy(lapse_status, ws->status, sizeof lapse_status);
    for (int i = 0; i < sc->n_instruments; i++)
        if (ws->status[i] == SIM_STATUS_ACTIVE &&
            sc->instrument[i].imposer == SIM_IMPOSER_EU) {
            lapse_status[i] = SIM_STATUS_LAPSED;
            mask |= 1u << i;
        }
    *lapsed = 0;
    if (!mask)
        return 0;
    sim_view now = sim_utility_view(ws), after = now;
    after.status = lapse_status;
    bool renewed = true;
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        if (!sim_actor_has_role(ws->sc, a, SIM_ROLE_RENEW))
            continue;
        double A = ws->annuity[a];
        sim_decision d = {0};
        sim_action act;
        /* acting = renewing: its gain is minus the gain of the lapse */
        sim_decision_signals(ws, a, -A * sim_utility_gain(ws, a, &now, &after),
                             1.0, &d);
        int rc = sim_decision_decide(ws, a, SIM_ROLE_RENEW, &d, &act, err);
        if (rc)
            return rc;
        renewed = renewed && act.act;
    }
    if (!renewed) {
        memcpy(ws->status, lapse_status, sizeof lapse_status);
        *lapsed = mask;
    }
    return 0;
}
