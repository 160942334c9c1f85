/* shocks.c - step 1 of a round: the random shocks (drones, spy scandals,
 * arrests, deaths and completions of sentences, Washington's attention,
 * Moscow's freezes) drawn and applied to the world, and the tension they
 * leave. Every shock is drawn every round, whatever the state, so that each
 * stream stays aligned across scenarios (common random numbers). */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "workspace_impl.h"
#include <sanctionsim/rng.h>

/* A count from an event shock: whole draws as they are, continuous ones
 * rounded to the nearest whole number, negative draws as 0. Returns 0, or
 * SIM_E_NUMERIC if the mean after multiplier m is out of range. */
static int count_draw(const sim_workspace *ws, int shock, double m, long *out,
                      sim_err *err)
{
    const sim_dist *d = &ws->sc->shock[shock];
    *out = 0;
    double mean = sim_dist_mean(d) * m;
    if (!(mean <= SIM_MAX_SHOCK_MEAN) && m > 0)
        return sim_error(err, SIM_E_NUMERIC,
                         "%s: shocks.%s: in round %d its mean reaches %.3g "
                         "(the distribution's mean x a multiplier of %.3g "
                         "from exercises, the revolving door or Moscow's "
                         "sensitivity), above the %.0e a round this "
                         "simulator handles; lower those keys",
                         ws->sc->file, sim_shock_name(shock), ws->t + 1, mean,
                         m, SIM_MAX_SHOCK_MEAN);
    double x = sim_dist_draw(d, ws->shock_rng[shock], m);
    if (!(x > 0))
        x = 0;
    if (x > SIM_MAX_SHOCK_COUNT)
        x = SIM_MAX_SHOCK_COUNT;
    *out = (long)floor(x + 0.5);
    return 0;
}

/* Per-prisoner probability of a stock shock this round. */
static double stock_probability(const sim_dist *d, gsl_rng *r)
{
    double p =
        d->type == SIM_DIST_BINOMIAL ? d->p[0] : sim_dist_draw(d, r, 1.0);
    return p < 0 ? 0 : (p > 1 ? 1 : p);
}

/* Face value of the relief dealt in the last moscow.memory rounds. */
static double recent_relief(const sim_workspace *ws)
{
    double s = 0.0;
    int from = ws->t - ws->sc->moscow.memory;
    for (int u = from < 0 ? 0 : from; u < ws->t; u++)
        s += ws->relief_gained[u];
    return s;
}

/* Drones, spy scandals, foreign and ordinary arrests (the last scaled by
 * the revolving door: a higher going price invites arrests). */
static int event_shocks(sim_workspace *ws, long *foreign, long *arrests,
                        sim_err *err)
{
    const sim_scenario *sc = ws->sc;
    double price = sim_workspace_going_price(ws);
    double door = 1.0 + sc->revolving_door.elasticity *
                            (isnan(price) ? 0.0 : price) /
                            sc->revolving_door.reference_price;
    int rc;
    if ((rc = count_draw(ws, SIM_SHOCK_DRONES, ws->drone_factor, &ws->drones,
                         err)) ||
        (rc = count_draw(ws, SIM_SHOCK_SPY_SCANDALS, 1.0, &ws->spies, err)) ||
        (rc = count_draw(ws, SIM_SHOCK_FOREIGN_ARRESTS, 1.0, foreign, err)) ||
        (rc = count_draw(ws, SIM_SHOCK_ARRESTS, door, arrests, err)))
        return rc;
    return 0;
}

/* Deaths, then completions among the survivors, of the stock held at the
 * start of the round. */
static void stock_shocks(sim_workspace *ws, uint64_t master, uint64_t rep,
                         sim_rep_result *res, sim_round_record *rec)
{
    const sim_scenario *sc = ws->sc;
    gsl_rng *deaths = ws->shock_rng[SIM_SHOCK_DEATHS];
    gsl_rng *completions = ws->shock_rng[SIM_SHOCK_COMPLETIONS];
    double pd = stock_probability(&sc->shock[SIM_SHOCK_DEATHS], deaths);
    double pc =
        stock_probability(&sc->shock[SIM_SHOCK_COMPLETIONS], completions);
    for (int k = 0; k < SIM_N_KINDS; k++) {
        /* Each kind draws from a stream of its own, so that a different
         * stock of one kind (after different decisions) leaves the other
         * kinds' draws alone. */
        uint64_t kind_code = (uint64_t)(k + 1) << 12;
        sim_rng_seed_round(
            deaths, master, rep,
            (SIM_STREAM_SHOCK + sim_shock_stream(SIM_SHOCK_DEATHS)) | kind_code,
            ws->t);
        sim_rng_seed_round(
            completions, master, rep,
            (SIM_STREAM_SHOCK + sim_shock_stream(SIM_SHOCK_COMPLETIONS)) |
                kind_code,
            ws->t);
        long dk = (long)gsl_ran_binomial(deaths, pd, (unsigned)ws->stock[k]);
        ws->stock[k] -= dk;
        long ck =
            (long)gsl_ran_binomial(completions, pc, (unsigned)ws->stock[k]);
        ws->stock[k] -= ck;
        res->deaths[k] += dk;
        res->completions[k] += ck;
        rec->deaths += dk;
        rec->completions += ck;
    }
}

/* Washington's attention (distraction, re-engagement; round 1 keeps the
 * scenario's start) and Moscow's freeze, whose hazard grows with recent
 * relief. */
static int attention_shocks(sim_workspace *ws, sim_rep_result *res,
                            sim_err *err)
{
    const sim_scenario *sc = ws->sc;
    long distract, reengage, moscow;
    double hazard = 1.0 + sc->moscow.sensitivity * recent_relief(ws);
    int rc;
    if ((rc = count_draw(ws, SIM_SHOCK_DISTRACTION, 1.0, &distract, err)) ||
        (rc = count_draw(ws, SIM_SHOCK_REENGAGEMENT, 1.0, &reengage, err)) ||
        (rc = count_draw(ws, SIM_SHOCK_MOSCOW, hazard, &moscow, err)))
        return rc;
    if (ws->t > 0)
        ws->engaged = ws->engaged ? distract == 0 : reengage > 0;
    if (moscow > 0 && ws->frozen_left == 0 && sc->moscow.freeze_rounds > 0) {
        ws->frozen_left = sc->moscow.freeze_rounds;
        res->moscow_freezes++;
    }
    return 0;
}

int sim_shocks_step(sim_workspace *ws, uint64_t master, uint64_t rep,
                    sim_rep_result *res, sim_round_record *rec, sim_err *err)
{
    const sim_scenario *sc = ws->sc;
    long foreign, arrests;
    int rc = event_shocks(ws, &foreign, &arrests, err);
    if (rc)
        return rc;
    stock_shocks(ws, master, rep, res, rec);
    ws->stock[SIM_KIND_ORDINARY] += arrests;
    ws->stock[SIM_KIND_FOREIGN] += foreign;
    res->arrests[SIM_KIND_ORDINARY] += arrests;
    res->arrests[SIM_KIND_FOREIGN] += foreign;
    rec->arrests = arrests;
    rec->foreign_arrests = foreign;
    rec->drones = ws->drones;
    rec->spy_scandals = ws->spies;
    res->drone_incidents += ws->drones;
    res->spy_scandals += ws->spies;
    if ((rc = attention_shocks(ws, res, err)))
        return rc;
    ws->tension = sc->tension.decay * ws->tension +
                  sc->tension.drone * (double)ws->drones +
                  sc->tension.spy * (double)ws->spies +
                  sc->tension.foreign_arrest * (double)foreign +
                  ws->exercise_tension;
    return 0;
}
