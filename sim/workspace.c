/* workspace.c - a worker's workspace: allocation and freeing, the reset of
 * the world before round 1, the seeding of each round's random streams,
 * and accessors of the world's state. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/rng.h>
#include "workspace_impl.h"

/* Allocates the streams, model instances and per-round arrays; returns 0
 * or an error code (the caller frees the workspace). */
static int alloc_parts(sim_workspace *ws, sim_err *err)
{
    const sim_scenario *sc = ws->sc;
    int rc = 0;
    for (int s = 0; s < SIM_N_SHOCKS && !rc; s++)
        if (!(ws->shock_rng[s] = gsl_rng_alloc(sim_rng_xoshiro256ss)))
            rc = SIM_E_NOMEM;
    for (int a = 0; a < SIM_N_ACTORS && !rc; a++)
        if (!(ws->decision_rng[a] = gsl_rng_alloc(sim_rng_xoshiro256ss)))
            rc = SIM_E_NOMEM;
    for (int k = 0; k < 2 && !rc; k++)
        if (!(ws->protocol_rng[k] = gsl_rng_alloc(sim_rng_xoshiro256ss)))
            rc = SIM_E_NOMEM;
    for (int a = 0; a < SIM_N_ACTORS && !rc; a++)
        for (int r = 0; r < SIM_N_ROLES && !rc; r++) {
            sim_model_instance *share =
                r == SIM_ROLE_RESPOND ? &ws->model[a][SIM_ROLE_OFFER] : NULL;
            rc = sim_model_instance_init(&ws->model[a][r],
                                         &sc->actor[a].model[r], share, err);
        }
    if (!rc) {
        ws->relief_gained = calloc((size_t)sc->rounds, sizeof(double));
        ws->discount_pow =
            malloc(sizeof(double) * (size_t)sc->rounds * SIM_N_ACTORS);
        for (int t = 0; ws->discount_pow && t < sc->rounds; t++)
            for (int a = 0; a < SIM_N_ACTORS; a++)
                ws->discount_pow[(size_t)t * SIM_N_ACTORS + (size_t)a] =
                    pow(sc->actor[a].discount, t);
        bool curves = true;
        for (int k = 0; k < 2; k++)
            for (int s = 0; s < 2; s++) {
                ws->release_value[k][s] =
                    calloc((size_t)ws->max_release + 1, sizeof(double));
                curves = curves && ws->release_value[k][s];
            }
        ws->feature_cache = calloc(1, sizeof *ws->feature_cache);
        ws->count_double = malloc(sizeof(double) * ((size_t)ws->max_release + 1));
        for (int n = 0; ws->count_double && n <= ws->max_release; n++)
            ws->count_double[n] = (double)n;
        ws->release_valid[0] = ws->release_valid[1] = false;
        if (!ws->relief_gained || !ws->discount_pow || !curves ||
            !ws->count_double || !ws->feature_cache)
            rc = SIM_E_NOMEM;
    }
    if (rc)
        return sim_error(err, rc, "out of memory for a workspace");
    return 0;
}

/* Each actor's annuity, once for the whole run. A discount of 1 over an
 * infinite future diverges: the loader refuses it with the file and line,
 * a scenario built by hand meets the same check here. */
static int set_annuities(sim_workspace *ws, sim_err *err)
{
    const sim_scenario *sc = ws->sc;
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        ws->annuity[a] = sim_utility_annuity(sc->actor[a].discount,
                                             sc->planning_horizon);
        if (!isfinite(ws->annuity[a]))
            return sim_error(err, SIM_E_SCENARIO,
                             "%s: actors.%s.discount = %g with "
                             "planning_horizon = 0 (an infinite future) "
                             "values a permanent change without bound; give "
                             "a discount below 1 or a planning_horizon in "
                             "rounds",
                             sc->file, sim_actor_name(a),
                             sc->actor[a].discount);
    }
    return 0;
}

int sim_workspace_alloc(const sim_scenario *sc, sim_workspace **out,
                        sim_err *err)
{
    sim_error_quiet_gsl(); /* GSL reports through status codes */
    sim_workspace *ws = calloc(1, sizeof *ws);
    if (!ws)
        return sim_error(err, SIM_E_NOMEM, "out of memory for a workspace");
    ws->sc = sc;
    ws->max_release = sc->bargaining.max_release;
    long deals = sim_scenario_deals(sc);
    /* The loader refuses such scenarios already; a scenario built by hand
     * meets the same check here. */
    int rc = sim_scenario_check_work(sc, err);
    if (!rc)
        rc = set_annuities(ws, err);
    sim_utility_prepare(ws);
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        bool finite = true;
        for (int i = 0; i < SIM_N_FEATURES; i++)
            finite = finite && isfinite(sc->actor[a].weight[i]);
        ws->weights_finite[a] = finite;
    }
    if (rc) {
        free(ws);
        return rc;
    }
    rc = alloc_parts(ws, err);
    if (!rc)
        rc = sim_bargain_alloc(&ws->game, (int)deals, sc->bargaining.stages,
                               err);
    /* The other track's last game (see spare_game in workspace_impl.h),
     * when a second game fits the round's memory budget too; without it
     * the two tracks share one game and rebuild it in turn. */
    if (!rc && sim_scenario_round_bytes(sc) +
                       sim_bargain_bytes((int)deals, sc->bargaining.stages) <=
                   SIM_MAX_ROUND_BYTES)
        rc = sim_bargain_alloc(&ws->spare_game, (int)deals,
                               sc->bargaining.stages, err);
    if (rc) {
        sim_workspace_free(ws);
        return rc;
    }
    *out = ws;
    return 0;
}

void sim_workspace_free(sim_workspace *ws)
{
    if (!ws)
        return;
    for (int s = 0; s < SIM_N_SHOCKS; s++)
        if (ws->shock_rng[s])
            gsl_rng_free(ws->shock_rng[s]);
    for (int a = 0; a < SIM_N_ACTORS; a++)
        if (ws->decision_rng[a])
            gsl_rng_free(ws->decision_rng[a]);
    for (int k = 0; k < 2; k++)
        if (ws->protocol_rng[k])
            gsl_rng_free(ws->protocol_rng[k]);
    for (int a = 0; a < SIM_N_ACTORS; a++)
        for (int r = 0; r < SIM_N_ROLES; r++)
            sim_model_instance_free(&ws->model[a][r]);
    free(ws->relief_gained);
    free(ws->discount_pow);
    for (int k = 0; k < 2; k++)
        for (int s = 0; s < 2; s++)
            free(ws->release_value[k][s]);
    free(ws->count_double);
    free(ws->feature_cache);
    sim_bargain_free(&ws->game);
    sim_bargain_free(&ws->spare_game);
    free(ws);
}

const sim_bargain *sim_workspace_game(const sim_workspace *ws)
{
    return &ws->game;
}

void sim_workspace_set_cancel(sim_workspace *ws, const atomic_int *cancel)
{
    ws->cancel = cancel;
}

void sim_workspace_reset(sim_workspace *ws)
{
    const sim_scenario *sc = ws->sc;
    sim_utility_prepare(ws);
    ws->feature_cache->valid[0] = ws->feature_cache->valid[1] = false;
    /* The package gains, release curves and games of the tracks stay
     * valid from one replication to the next: their keys hold all they
     * are computed from, and the per-instrument tables that
     * sim_utility_prepare sets are the same for the same scenario. */
    ws->t = 0;
    for (int k = 0; k < SIM_N_KINDS; k++)
        ws->stock[k] = sc->prisoners[k];
    ws->tension = sc->tension.start;
    ws->engaged = sc->attention.engaged;
    ws->frozen_left = 0;
    ws->pl_open = sc->borders.pl_open;
    ws->lt_open = sc->borders.lt_open;
    ws->klaipeda_open = sc->borders.klaipeda_open;
    for (int i = 0; i < sc->n_instruments; i++)
        ws->status[i] = sc->instrument[i].lifted ? SIM_STATUS_LIFTED : SIM_STATUS_ACTIVE;
    ws->cum_relief_dealt = 0.0;
    ws->cum_released_dealt = 0;
    ws->last_us_deal = -1;
    ws->no_deal_streak = 0;
    memset(ws->relief_gained, 0, sizeof(double) * (size_t)sc->rounds);
}

int sim_workspace_reset_models(sim_workspace *ws, sim_err *err)
{
    for (int a = 0; a < SIM_N_ACTORS; a++)
        for (int r = 0; r < SIM_N_ROLES; r++) {
            int rc = sim_model_instance_reset(&ws->model[a][r], err);
            if (rc)
                return rc;
        }
    return 0;
}

/* Each (replication, purpose, round) has its own stream, so a draw that
 * takes a state-dependent number of uniforms (a binomial over the stock, a
 * decision that draws only sometimes) never shifts the draws of later
 * rounds: common random numbers hold round by round. */
void sim_workspace_seed_round(sim_workspace *ws, uint64_t master, uint64_t rep,
                              int t)
{
    for (int s = 0; s < SIM_N_SHOCKS; s++)
        sim_rng_seed_round(ws->shock_rng[s], master, rep,
                           SIM_STREAM_SHOCK + sim_shock_stream(s), t);
    for (int a = 0; a < SIM_N_ACTORS; a++)
        sim_rng_seed_round(ws->decision_rng[a], master, rep,
                           SIM_STREAM_DECISION + (uint64_t)a, t);
    for (int k = 0; k < 2; k++)
        sim_rng_seed_round(ws->protocol_rng[k], master, rep,
                           SIM_STREAM_PROTOCOL + (uint64_t)k, t);
}

long sim_workspace_held(const sim_workspace *ws)
{
    long n = 0;
    for (int k = 0; k < SIM_N_KINDS; k++)
        n += ws->stock[k];
    return n;
}

double sim_workspace_going_price(const sim_workspace *ws)
{
    return ws->cum_released_dealt > 0
               ? ws->cum_relief_dealt / (double)ws->cum_released_dealt
               : NAN;
}

bool sim_workspace_us_pressure(const sim_workspace *ws)
{
    return ws->engaged && ws->last_us_deal >= 0 &&
           ws->t - ws->last_us_deal < ws->sc->bargaining.pressure_memory;
}
