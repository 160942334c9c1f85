/* floor.c - the random-draw floor of a scenario: per round, the engine's
 * stream reseeds and draws (sim/workspace.c sim_workspace_seed_round,
 * sim/shocks.c, the decision models' and the protocol's uniforms) and
 * nothing else.
 *
 * What a round draws, as the engine does:
 * - reseeds: every shock stream, every actor's decision stream and the two
 *   protocol streams, then the death and completion streams once per
 *   prisoner kind (9 + 5 + 2 + 2 x 3 = 22 with the built-in actors);
 * - shocks: one sim_dist_draw per event shock and attention shock, with
 *   the scenario's distributions; the death and completion probabilities
 *   (a draw unless binomial); a binomial per kind for deaths, then one for
 *   completions among the survivors.
 * State-dependent inputs are held at typical values: the stock of each
 * kind at its start value every round, the multipliers of drones (no
 * exercise), the revolving door (no deal yet) and Moscow's hazard (no
 * recent relief) at 1. Washington's attention follows the floor's own
 * distraction and re-engagement draws, with the engine's rule.
 * - decisions: one uniform per decision whose model draws (threshold with
 *   noise > 0, qre; reciprocal draws only on a retraction and spe, nash,
 *   bayesian never: counted as none), every round for the border and
 *   transit roles, and per track played for offer, respond and (on the EU
 *   track) veto, as if each track ended in an offer, a response and a vote;
 * - protocol: one breakdown uniform per track played (as if one stage were
 *   rejected). The Washington-Minsk track plays while engaged, the EU track
 *   every round when the EU is enabled. */
#include <gsl/gsl_randist.h>
#include <string.h>

#include <sanctionsim/dist.h>
#include <sanctionsim/model.h>
#include <sanctionsim/rng.h>

#include "floor.h"

/* Uniform draws a decision of the model takes, typically. */
static int model_draws(const sim_model_spec *m)
{
    const sim_model_type *mt = m->type;
    if (strcmp(mt->name, "qre") == 0)
        return 1;
    if (strcmp(mt->name, "threshold") != 0)
        return 0;
    for (int i = 0; i < mt->nparams; i++)
        if (strcmp(mt->params[i].name, "noise") == 0)
            return m->param[mt->params[i].offset / sizeof(double)] > 0.0;
    return 0;
}

/* Draws of actor a's role r when it takes it. */
static int role_draws(const sim_scenario *sc, int a, int r)
{
    return sim_actor_has_role(sc, a, r) ? model_draws(&sc->actor[a].model[r])
                                        : 0;
}

/* The decision draws of a round, per actor. */
static void plan_decisions(bench_floor *f)
{
    const sim_scenario *sc = f->sc;
    static const int sides[2] = {SIM_ACTOR_WASHINGTON, SIM_ACTOR_EU};
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        f->round_draws[a] = role_draws(sc, a, SIM_ROLE_BORDER) +
                            role_draws(sc, a, SIM_ROLE_TRANSIT);
        for (int k = 0; k < 2; k++) {
            bool side = a == SIM_ACTOR_MINSK || a == sides[k];
            f->track_draws[k][a] =
                (side ? role_draws(sc, a, SIM_ROLE_OFFER) +
                            role_draws(sc, a, SIM_ROLE_RESPOND)
                      : 0) +
                (k == 1 ? role_draws(sc, a, SIM_ROLE_VETO) : 0);
        }
    }
}

int bench_floor_init(bench_floor *f, const sim_scenario *sc)
{
    memset(f, 0, sizeof *f);
    f->sc = sc;
    int bad = 0;
    for (int s = 0; s < SIM_N_SHOCKS; s++)
        bad |= !(f->shock_rng[s] = gsl_rng_alloc(sim_rng_xoshiro256ss));
    for (int a = 0; a < SIM_N_ACTORS; a++)
        bad |= !(f->decision_rng[a] = gsl_rng_alloc(sim_rng_xoshiro256ss));
    for (int k = 0; k < 2; k++)
        bad |= !(f->protocol_rng[k] = gsl_rng_alloc(sim_rng_xoshiro256ss));
    if (bad) {
        bench_floor_free(f);
        return -1;
    }
    plan_decisions(f);
    return 0;
}

void bench_floor_free(bench_floor *f)
{
    for (int s = 0; s < SIM_N_SHOCKS; s++)
        if (f->shock_rng[s])
            gsl_rng_free(f->shock_rng[s]);
    for (int a = 0; a < SIM_N_ACTORS; a++)
        if (f->decision_rng[a])
            gsl_rng_free(f->decision_rng[a]);
    for (int k = 0; k < 2; k++)
        if (f->protocol_rng[k])
            gsl_rng_free(f->protocol_rng[k]);
}

/* The round's streams, as sim_workspace_seed_round seeds them. */
static void seed_round(bench_floor *f, uint64_t master, uint64_t rep, int t)
{
    for (int s = 0; s < SIM_N_SHOCKS; s++)
        sim_rng_seed_round(f->shock_rng[s], master, rep,
                           SIM_STREAM_SHOCK + sim_shock_stream(s), t);
    for (int a = 0; a < SIM_N_ACTORS; a++)
        sim_rng_seed_round(f->decision_rng[a], master, rep,
                           SIM_STREAM_DECISION + (uint64_t)a, t);
    for (int k = 0; k < 2; k++)
        sim_rng_seed_round(f->protocol_rng[k], master, rep,
                           SIM_STREAM_PROTOCOL + (uint64_t)k, t);
    f->reseeds += SIM_N_SHOCKS + SIM_N_ACTORS + 2;
}

/* One draw of shock s with multiplier 1. */
static double shock(bench_floor *f, int s)
{
    return sim_dist_draw(&f->sc->shock[s], f->shock_rng[s], 1.0);
}

/* Per-prisoner probability of stock shock s, as sim/shocks.c takes it. */
static double stock_probability(bench_floor *f, int s)
{
    const sim_dist *d = &f->sc->shock[s];
    double p = d->type == SIM_DIST_BINOMIAL ? d->p[0] : shock(f, s);
    return p < 0 ? 0 : (p > 1 ? 1 : p);
}

/* Deaths, then completions among the survivors, per kind, each kind on
 * its own reseeded streams; the stock at its start value. */
static void stock_draws(bench_floor *f, uint64_t master, uint64_t rep, int t)
{
    gsl_rng *deaths = f->shock_rng[SIM_SHOCK_DEATHS];
    gsl_rng *completions = f->shock_rng[SIM_SHOCK_COMPLETIONS];
    double pd = stock_probability(f, SIM_SHOCK_DEATHS);
    double pc = stock_probability(f, SIM_SHOCK_COMPLETIONS);
    for (int k = 0; k < SIM_N_KINDS; k++) {
        uint64_t kind_code = (uint64_t)(k + 1) << 12;
        sim_rng_seed_round(
            deaths, master, rep,
            (SIM_STREAM_SHOCK + sim_shock_stream(SIM_SHOCK_DEATHS)) | kind_code,
            t);
        sim_rng_seed_round(
            completions, master, rep,
            (SIM_STREAM_SHOCK + sim_shock_stream(SIM_SHOCK_COMPLETIONS)) |
                kind_code,
            t);
        unsigned stock = (unsigned)f->sc->prisoners[k];
        unsigned dk = gsl_ran_binomial(deaths, pd, stock);
        unsigned ck = gsl_ran_binomial(completions, pc, stock - dk);
        f->sink += (double)(dk + ck);
    }
    f->reseeds += 2L * SIM_N_KINDS;
}

/* n uniforms from stream r. */
static void uniforms(bench_floor *f, gsl_rng *r, int n)
{
    for (int i = 0; i < n; i++)
        f->sink += gsl_rng_uniform(r);
}

/* The decision and breakdown draws of track k (0 Washington-Minsk, 1 EU). */
static void track_draws(bench_floor *f, int k)
{
    for (int a = 0; a < SIM_N_ACTORS; a++)
        uniforms(f, f->decision_rng[a], f->track_draws[k][a]);
    uniforms(f, f->protocol_rng[k], 1);
}

void bench_floor_round(bench_floor *f, uint64_t master, uint64_t rep, int t)
{
    seed_round(f, master, rep, t);
    for (int s = SIM_SHOCK_DRONES; s <= SIM_SHOCK_ARRESTS; s++)
        f->sink += shock(f, s);
    stock_draws(f, master, rep, t);
    double distract = shock(f, SIM_SHOCK_DISTRACTION);
    double reengage = shock(f, SIM_SHOCK_REENGAGEMENT);
    f->sink += shock(f, SIM_SHOCK_MOSCOW);
    /* counts round to the nearest whole number (sim/shocks.c) */
    if (t == 0)
        f->engaged = f->sc->attention.engaged;
    else
        f->engaged = f->engaged ? !(distract >= 0.5) : reengage >= 0.5;
    for (int a = 0; a < SIM_N_ACTORS; a++)
        uniforms(f, f->decision_rng[a], f->round_draws[a]);
    if (f->engaged)
        track_draws(f, 0);
    if (f->sc->eu.enabled)
        track_draws(f, 1);
}
