/* round.c - one replication: the round of MODEL.md section 3, repeated,
 * and the replication's results.
 *
 * Order within a round: the round's random streams, calendar, shocks, the
 * neighbours' border and transit decisions, the Washington-Minsk track, the
 * EU track (and the EU's yearly renewal), payoffs, the round's record, stop
 * conditions. Each step lives in the file named for it (calendar.c,
 * shocks.c, neighbours.c, track.c, eu.c); docs/MODEL.md states the
 * equations. */
#include <math.h>
#include <string.h>

#include <sanctionsim/rng.h>
#include "workspace_impl.h"

static const char *const stop_names[] = {
#define SIM_STOP_NAME(id, name) name,
    SIM_STOPS(SIM_STOP_NAME)
#undef SIM_STOP_NAME
};

const char *sim_stop_name(int stop)
{
    return stop_names[stop];
}

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
    int n = sim_bargain_count(g, deal);
    long released[SIM_N_KINDS];
    sim_track_composition(ws, n, released);
    for (int k = 0; k < SIM_N_KINDS; k++) {
        long r = released[k];
        ws->stock[k] -= r;
        res->released[k] += r;
        rec->released[k] += r;
    }
    double face = 0.0;
    unsigned package = sim_bargain_package(g, deal);
    for (int i = 0; i < sc->n_instruments; i++)
        if (package & (1u << i)) {
            ws->status[i] = SIM_STATUS_LIFTED;
            res->lifted_round[i] = ws->t + 1;
            rec->lifted |= 1u << i;
            if (!sc->instrument[i].diplomatic)
                face += sc->instrument[i].value;
        }
    ws->cum_relief_dealt += face;
    ws->cum_released_dealt += n;
    ws->relief_gained[ws->t] += face;
}

/* Step 3: the Washington-Minsk track, while Washington is engaged and
 * Moscow has not frozen the talks. */
static int us_track(sim_workspace *ws, bool frozen, sim_rep_result *res,
                    sim_round_record *rec, sim_err *err)
{
    if (!ws->engaged || frozen)
        return 0;
    sim_track_result us;
    int rc = sim_track_run(ws, SIM_ACTOR_WASHINGTON, SIM_IMPOSER_US, false, &us, err);
    if (rc || us.deal < 0)
        return rc;
    apply_deal(ws, &ws->game, us.deal, res, rec);
    res->us_deals++;
    if (!res->first_us_deal_round)
        res->first_us_deal_round = ws->t + 1;
    ws->last_us_deal = ws->t;
    rec->us_deal = true;
    rec->us_stage = us.stage + 1;
    return 0;
}

/* Step 4a: the EU's yearly renewal, in the calendar's renewal rounds. */
static int eu_renewal(sim_workspace *ws, sim_rep_result *res,
                      sim_round_record *rec, sim_err *err)
{
    if (!ws->renewal)
        return 0;
    unsigned lapsed;
    rec->eu_renewal = true;
    int rc = sim_eu_renewal(ws, &lapsed, err);
    if (rc)
        return rc;
    for (int i = 0; i < ws->sc->n_instruments; i++)
        if (lapsed & (1u << i))
            res->lifted_round[i] = ws->t + 1;
    rec->lifted |= lapsed;
    rec->eu_lapsed = lapsed != 0;
    return 0;
}

/* Step 4b: the EU track, unless Moscow has frozen the talks, then the
 * unanimity vote on its deal. */
static int eu_track(sim_workspace *ws, bool frozen, bool pressed,
                    sim_rep_result *res, sim_round_record *rec, sim_err *err)
{
    if (!ws->sc->eu.enabled || frozen)
        return 0;
    sim_track_result eu;
    bool vetoed = false;
    int rc = sim_track_run(ws, SIM_ACTOR_EU, SIM_IMPOSER_EU, pressed, &eu, err);
    if (rc || eu.deal < 0)
        return rc;
    if ((rc = sim_eu_vote(ws, eu.deal, pressed, &vetoed, err)))
        return rc;
    if (vetoed) {
        res->eu_vetoes++;
        rec->eu_vetoed = true;
        return 0;
    }
    apply_deal(ws, &ws->game, eu.deal, res, rec);
    res->eu_deals++;
    if (!res->first_eu_relief_round && sim_bargain_package(&ws->game, eu.deal))
        res->first_eu_relief_round = ws->t + 1;
    rec->eu_deal = true;
    rec->eu_stage = eu.stage + 1;
    return 0;
}

/* Step 5: this round's features (flows and the round's events),
 * discounted per actor into res->utility. Returns the relief feature. */
static double payoffs(const sim_workspace *ws, bool pressed,
                      const sim_round_record *rec, sim_rep_result *res)
{
    sim_view v = sim_utility_view(ws);
    double f[SIM_N_FEATURES];
    sim_utility_features(ws, &v, f);
    f[SIM_FEATURE_RELEASED_ORDINARY] = (double)rec->released[SIM_KIND_ORDINARY];
    f[SIM_FEATURE_RELEASED_FOREIGN] = (double)rec->released[SIM_KIND_FOREIGN];
    f[SIM_FEATURE_RELEASED_HIGH_PROFILE] = (double)rec->released[SIM_KIND_HIGH_PROFILE];
    f[SIM_FEATURE_US_DEAL] = rec->us_deal;
    f[SIM_FEATURE_EU_DEAL] = rec->eu_deal;
    f[SIM_FEATURE_PRESSED_EU_DEAL] = rec->eu_deal && pressed;
    const double *dp = &ws->discount_pow[(size_t)ws->t * SIM_N_ACTORS];
    for (int a = 0; a < SIM_N_ACTORS; a++)
        res->utility[a] += dp[a] * sim_utility_dot(ws->w[a], f);
    return f[SIM_FEATURE_RELIEF];
}

/* The state at the end of the round into rec, and the round's counts of
 * closed borders, distraction and freeze into res. */
static void record_round(const sim_workspace *ws, bool frozen, double relief,
                         sim_round_record *rec, sim_rep_result *res)
{
    res->pl_border_closed_rounds += !ws->pl_open;
    res->lt_border_closed_rounds += !ws->lt_open;
    res->distracted_rounds += !ws->engaged;
    res->frozen_rounds += frozen;
    for (int k = 0; k < SIM_N_KINDS; k++)
        rec->prisoners[k] = ws->stock[k];
    rec->tension = ws->tension;
    rec->us_engaged = ws->engaged;
    rec->moscow_frozen = frozen;
    rec->exercise = ws->exercise;
    rec->pl_border_open = ws->pl_open;
    rec->lt_border_open = ws->lt_open;
    rec->klaipeda_open = ws->klaipeda_open;
    rec->relief = relief;
    rec->price = sim_workspace_going_price(ws);
}

/* Plays round ws->t up to its record: steps 0 to 5. */
static int play_round(sim_workspace *ws, uint64_t master, uint64_t rep,
                      sim_round_record *rec, sim_rep_result *res, sim_err *err)
{
    int rc;
    sim_workspace_seed_round(ws, master, rep, ws->t);
    sim_calendar_step(ws);
    if ((rc = sim_shocks_step(ws, master, rep, res, rec, err)) ||
        (rc = sim_neighbours_step(ws, err)))
        return rc;
    bool frozen = ws->frozen_left > 0;
    if ((rc = us_track(ws, frozen, res, rec, err)))
        return rc;
    /* Washington's pressure as it stands after this round's US deal. */
    bool pressed = sim_workspace_us_pressure(ws);
    if ((rc = eu_renewal(ws, res, rec, err)) ||
        (rc = eu_track(ws, frozen, pressed, res, rec, err)))
        return rc;
    double relief = payoffs(ws, pressed, rec, res);
    record_round(ws, frozen, relief, rec, res);
    return 0;
}

static bool all_lifted(const sim_workspace *ws)
{
    if (ws->sc->n_instruments == 0)
        return false;
    for (int i = 0; i < ws->sc->n_instruments; i++)
        if (ws->status[i] == SIM_STATUS_ACTIVE)
            return false;
    return true;
}

/* Step 6: true if the replication stops after this round; the reason goes
 * to res->stop_reason. */
static bool stop_check(sim_workspace *ws, const sim_round_record *rec,
                       sim_rep_result *res)
{
    const sim_scenario *sc = ws->sc;
    ws->no_deal_streak =
        (rec->us_deal || rec->eu_deal) ? 0 : ws->no_deal_streak + 1;
    if (sc->stop.all_released && sim_workspace_held(ws) == 0)
        res->stop_reason = SIM_STOP_ALL_RELEASED;
    else if (sc->stop.all_lifted && all_lifted(ws))
        res->stop_reason = SIM_STOP_ALL_LIFTED;
    else if (sc->stop.no_deal_rounds > 0 &&
             ws->no_deal_streak >= sc->stop.no_deal_rounds)
        res->stop_reason = SIM_STOP_TALKS_BROKEN;
    return res->stop_reason != SIM_STOP_HORIZON;
}

/* The results known before round 1. */
static void start_results(const sim_workspace *ws, sim_rep_result *res)
{
    for (int k = 0; k < SIM_N_KINDS; k++)
        res->prisoners_start[k] = ws->stock[k];
    for (int i = 0; i < ws->sc->n_instruments; i++) {
        res->status[i] = ws->status[i];
        res->lifted_before[i] = ws->status[i] == SIM_STATUS_LIFTED;
    }
    res->stop_reason = SIM_STOP_HORIZON;
}

/* The results known after the last round played. */
static void final_results(const sim_workspace *ws, sim_rep_result *res)
{
    res->rounds = ws->t;
    for (int k = 0; k < SIM_N_KINDS; k++)
        res->prisoners_end[k] = ws->stock[k];
    for (int i = 0; i < ws->sc->n_instruments; i++)
        res->status[i] = ws->status[i];
    res->klaipeda_open_end = ws->klaipeda_open;
    res->price_per_prisoner = sim_workspace_going_price(ws);
    sim_view v = sim_utility_view(ws);
    double f[SIM_N_FEATURES];
    sim_utility_features(ws, &v, f);
    res->relief_end = f[SIM_FEATURE_RELIEF];
}

static bool cancelled(const sim_workspace *ws)
{
    return ws->cancel && atomic_load_explicit(ws->cancel, memory_order_relaxed);
}

int sim_replicate(sim_workspace *ws, uint64_t master, uint64_t rep,
                  sim_trace_fn trace, void *trace_ctx, sim_rep_result *res,
                  sim_err *err)
{
    int rc;
    memset(res, 0, sizeof *res);
    res->rep = rep;
    res->seed = sim_rng_rep_seed(master, rep);
    res->price_per_prisoner = NAN;
    sim_workspace_reset(ws);
    if ((rc = sim_workspace_reset_models(ws, err)))
        return rc;
    start_results(ws, res);

    for (ws->t = 0; ws->t < ws->sc->rounds; ws->t++) {
        if (cancelled(ws))
            return sim_error(err, SIM_E_INTERRUPTED,
                             "interrupted in replication %lu",
                             (unsigned long)rep);
        sim_round_record rec = {.rep = rep, .round = ws->t + 1};
        if ((rc = play_round(ws, master, rep, &rec, res, err)))
            return rc;
        if (trace && (rc = trace(trace_ctx, &rec, err)))
            return rc;
        if (ws->frozen_left > 0)
            ws->frozen_left--;
        if (stop_check(ws, &rec, res)) {
            ws->t++;
            break;
        }
    }
    final_results(ws, res);
    /* No result leaves the engine as inf or NaN, which runs.csv would write
     * as an empty field, the mark of "never" (issue 12, item 9). */
    for (int a = 0; a < SIM_N_ACTORS; a++)
        if (!isfinite(res->utility[a]))
            return sim_error(err, SIM_E_NUMERIC,
                             "replication %lu: the utility of %s is %g; the "
                             "scenario's weights, values or shocks are too "
                             "large for a double",
                             (unsigned long)rep, sim_actor_name(a),
                             res->utility[a]);
    if (!isfinite(res->relief_end))
        return sim_error(err, SIM_E_NUMERIC,
                         "replication %lu: relief_end is %g; the "
                         "instruments' values are too large for a double",
                         (unsigned long)rep, res->relief_end);
    return 0;
}
