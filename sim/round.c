/* round.c - one replication: the round of MODEL.md section 3, repeated.
 *
 * Order within a round: calendar, shocks, the neighbours' border and transit
 * decisions, the Washington-Minsk track, the EU track (and the EU's yearly
 * renewal), payoffs, stop conditions. docs/MODEL.md states the equations. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "workspace_impl.h"

static const char *const stop_names[] = {
#define SIM_STOP_NAME(id, name) name,
    SIM_STOPS(SIM_STOP_NAME)
#undef SIM_STOP_NAME
};

const char *sim_stop_name(int stop) { return stop_names[stop]; }

const char *sim_instrument_status_name(int status)
{
    static const char *const names[] = {"active", "lifted", "lapsed"};
    return names[status];
}


/* Applies an agreed deal of the game: releases and lifts. */
static void apply_deal(sim_workspace *ws, const sim_bargain *g, int deal,
                       sim_rep_result *res, sim_round_record *rec)
{
    const sim_scenario *sc = ws->sc;
    int n = g->count[deal];
    for (int k = 0; k < SIM_N_KINDS; k++) {
        long r = ws->composition[n][k];
        ws->stock[k] -= r;
        res->released[k] += r;
        rec->released[k] += r;
    }
    double face = 0.0;
    for (int i = 0; i < sc->n_instruments; i++)
        if (g->package[deal] & (1u << i)) {
            ws->status[i] = SIM_LIFTED;
            res->lifted_round[i] = ws->t + 1;
            rec->lifted |= 1u << i;
            if (!sc->instrument[i].diplomatic)
                face += sc->instrument[i].value;
        }
    ws->cum_relief_dealt += face;
    ws->cum_released_dealt += n;
    ws->relief_gained[ws->t] += face;
}

static bool all_lifted(const sim_workspace *ws)
{
    if (ws->sc->n_instruments == 0)
        return false;
    for (int i = 0; i < ws->sc->n_instruments; i++)
        if (ws->status[i] == SIM_ACTIVE)
            return false;
    return true;
}

int sim_replicate(sim_workspace *ws, uint64_t master, uint64_t rep,
                  sim_trace_fn trace, void *trace_ctx, sim_rep_result *res,
                  sim_err *err)
{
    const sim_scenario *sc = ws->sc;
    int rc;
    memset(res, 0, sizeof *res);
    res->rep = rep;
    res->seed = sim_rng_rep_seed(master, rep);
    res->price_per_prisoner = NAN;
    sim_workspace_reset(ws);
    if ((rc = sim_workspace_reset_models(ws, err)))
        return rc;
    for (int k = 0; k < SIM_N_KINDS; k++)
        res->prisoners_start[k] = ws->stock[k];
    for (int i = 0; i < sc->n_instruments; i++) {
        res->status[i] = ws->status[i];
        res->lifted_before[i] = ws->status[i] == SIM_LIFTED;
    }
    res->stop_reason = SIM_STOP_HORIZON;

    for (ws->t = 0; ws->t < sc->rounds; ws->t++) {
        sim_round_record rec = {0};
        if (ws->cancel && atomic_load_explicit(ws->cancel, memory_order_relaxed))
            return sim_error(err, SIM_E_INTERRUPTED,
                             "interrupted in replication %lu",
                             (unsigned long)rep);
        rec.rep = rep;
        rec.round = ws->t + 1;
        sim_workspace_seed_round(ws, master, rep, ws->t);
        sim_calendar_step(ws);

        /* 1. Shocks. */
        if ((rc = sim_shocks_step(ws, master, rep, res, &rec, err)))
            return rc;

        /* 2. Neighbours. */
        if ((rc = sim_neighbours_step(ws, err)))
            return rc;

        /* 3. Washington-Minsk. */
        bool frozen = ws->frozen_left > 0;
        sim_track_result us = {-1, 0}, eu = {-1, 0};
        if (ws->engaged && !frozen) {
            if ((rc = sim_track_run(ws, SIM_WASHINGTON, SIM_IMPOSER_US, false,
                                &us, err)))
                return rc;
            if (us.deal >= 0) {
                apply_deal(ws, &ws->game, us.deal, res, &rec);
                res->us_deals++;
                if (!res->first_us_deal_round)
                    res->first_us_deal_round = ws->t + 1;
                ws->last_us_deal = ws->t;
                rec.us_deal = true;
                rec.us_stage = us.stage + 1;
            }
        }

        /* 4. The EU: renewal, then the unanimity track. */
        bool pressed = sim_workspace_us_pressure(ws);
        if (ws->renewal) {
            unsigned lapsed;
            rec.eu_renewal = true;
            if ((rc = sim_eu_renewal(ws, &lapsed, err)))
                return rc;
            for (int i = 0; i < sc->n_instruments; i++)
                if (lapsed & (1u << i))
                    res->lifted_round[i] = ws->t + 1;
            rec.lifted |= lapsed;
            rec.eu_lapsed = lapsed != 0;
        }
        if (sc->eu.enabled && !frozen) {
            if ((rc = sim_track_run(ws, SIM_EU, SIM_IMPOSER_EU, pressed, &eu,
                                err)))
                return rc;
            bool vetoed = false;
            if (eu.deal >= 0 &&
                (rc = sim_eu_vote(ws, eu.deal, pressed, &vetoed, err)))
                return rc;
            if (eu.deal >= 0 && vetoed) {
                res->eu_vetoes++;
                rec.eu_vetoed = true;
            } else if (eu.deal >= 0) {
                apply_deal(ws, &ws->game, eu.deal, res, &rec);
                res->eu_deals++;
                if (!res->first_eu_relief_round && ws->game.package[eu.deal])
                    res->first_eu_relief_round = ws->t + 1;
                rec.eu_deal = true;
                rec.eu_stage = eu.stage + 1;
            }
        }

        /* 5. Payoffs: this round's features, discounted per actor. */
        sim_view v = sim_utility_view(ws);
        double f[SIM_N_FEATURES];
        sim_utility_features(ws, &v, f);
        f[SIM_F_RELEASED_ORDINARY] = (double)rec.released[SIM_ORDINARY];
        f[SIM_F_RELEASED_FOREIGN] = (double)rec.released[SIM_FOREIGN];
        f[SIM_F_RELEASED_HIGH_PROFILE] =
            (double)rec.released[SIM_HIGH_PROFILE];
        f[SIM_F_US_DEAL] = rec.us_deal;
        f[SIM_F_EU_DEAL] = rec.eu_deal;
        f[SIM_F_PRESSED_EU_DEAL] = rec.eu_deal && pressed;
        for (int a = 0; a < SIM_N_ACTORS; a++)
            res->utility[a] +=
                pow(sc->actor[a].discount, ws->t) * sim_utility_dot(ws->w[a], f);

        res->pl_border_closed_rounds += !ws->pl_open;
        res->lt_border_closed_rounds += !ws->lt_open;
        res->distracted_rounds += !ws->engaged;
        res->frozen_rounds += frozen;
        for (int k = 0; k < SIM_N_KINDS; k++)
            rec.prisoners[k] = ws->stock[k];
        rec.tension = ws->tension;
        rec.us_engaged = ws->engaged;
        rec.moscow_frozen = frozen;
        rec.exercise = ws->exercise;
        rec.pl_border_open = ws->pl_open;
        rec.lt_border_open = ws->lt_open;
        rec.klaipeda_open = ws->klaipeda_open;
        rec.relief = f[SIM_F_RELIEF];
        rec.price = sim_workspace_going_price(ws);
        if (trace && (rc = trace(trace_ctx, &rec, err)))
            return rc;
        if (ws->frozen_left > 0)
            ws->frozen_left--;

        /* 6. Stop conditions. */
        ws->no_deal_streak =
            (rec.us_deal || rec.eu_deal) ? 0 : ws->no_deal_streak + 1;
        long held = 0;
        for (int k = 0; k < SIM_N_KINDS; k++)
            held += ws->stock[k];
        if (sc->stop.all_released && held == 0)
            res->stop_reason = SIM_STOP_ALL_RELEASED;
        else if (sc->stop.all_lifted && all_lifted(ws))
            res->stop_reason = SIM_STOP_ALL_LIFTED;
        else if (sc->stop.no_deal_rounds > 0 &&
                 ws->no_deal_streak >= sc->stop.no_deal_rounds)
            res->stop_reason = SIM_STOP_TALKS_BROKEN;
        if (res->stop_reason != SIM_STOP_HORIZON) {
            ws->t++;
            break;
        }
    }

    res->rounds = ws->t;
    for (int k = 0; k < SIM_N_KINDS; k++)
        res->prisoners_end[k] = ws->stock[k];
    for (int i = 0; i < sc->n_instruments; i++)
        res->status[i] = ws->status[i];
    res->klaipeda_open_end = ws->klaipeda_open;
    res->price_per_prisoner = sim_workspace_going_price(ws);
    sim_view v = sim_utility_view(ws);
    double f[SIM_N_FEATURES];
    sim_utility_features(ws, &v, f);
    res->relief_end = f[SIM_F_RELIEF];
    return 0;
}
