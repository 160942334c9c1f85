/* first_round.c - what `sanctionsim solve` reports: the first round's
 * Washington-Minsk game solved by backward induction (with Stahl's closed
 * form where it applies), and the first round's stage games as normal-form
 * games for Gambit. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "workspace_impl.h"

int sim_solve_first_round(sim_workspace *ws, sim_first_round *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    sim_workspace_reset(ws);
    sim_workspace_seed_round(ws, ws->sc->seed, 0, 0);
    sim_calendar_step(ws);
    int m;
    int rc =
        sim_track_build(ws, SIM_ACTOR_WASHINGTON, SIM_IMPOSER_US, false, &m, err);
    if (rc)
        return rc;
    /* The deal table filled, for the callers that read it (solve). */
    const sim_bargain *g = sim_bargain_deals(&ws->game);
    out->game = g;
    out->deal = -1;
    out->stage = -1;
    for (int t = 0; t < g->stages; t++)
        if (g->offer[t] >= 0) {
            /* On the equilibrium path the first serious offer is accepted;
             * the empty deal is agreement on nothing. */
            if (g->offer[t] > 0) {
                out->deal = g->offer[t];
                out->stage = t;
                sim_track_composition(ws, g->count[out->deal], out->released);
            }
            break;
        }
    out->linear =
        sim_bargain_is_linear(g, &out->max_gain[0], &out->max_gain[1]);
    if (out->linear)
        for (int s = 0; s < 2; s++)
            out->closed_share[s] =
                g->infinite
                    ? sim_bargain_rubinstein_share(g->first, g->delta[0],
                                                   g->delta[1], s)
                    : sim_bargain_stahl_share(g->stages, g->first,
                                              g->delta[0], g->delta[1], s);
    return 0;
}

/* Sets up a two-player game's names and table. */
static int two_player(sim_nfg *g, const char *title, const char *p0,
                      const char *p1, int n0, int n1, sim_err *err)
{
    memset(g, 0, sizeof *g);
    snprintf(g->title, sizeof g->title, "%s", title);
    snprintf(g->player[0], sizeof g->player[0], "%s", p0);
    snprintf(g->player[1], sizeof g->player[1], "%s", p1);
    g->nplayers = 2;
    g->nstrat[0] = n0;
    g->nstrat[1] = n1;
    return sim_nfg_alloc(g, err);
}

/* The border game: Poland and Lithuania each keep their border open or
 * close it; payoffs are the round's flow utilities in the state before
 * round 1's shocks. (A two-player game of these two neighbours by design,
 * unlike the neighbours step, which asks the border role.) */
static int border_game(const sim_workspace *ws, sim_nfg *border, sim_err *err)
{
    int rc = two_player(border, "Neighbours' border game, round 1", "poland",
                        "lithuania", 2, 2, err);
    if (rc)
        return rc;
    static const char *const choice[2] = {"open", "close"};
    for (int j = 0; j < 2; j++) {
        snprintf(border->strategy[0][j], SIM_NFG_NAME_MAX, "%s", choice[j]);
        snprintf(border->strategy[1][j], SIM_NFG_NAME_MAX, "%s", choice[j]);
    }
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            sim_view v = sim_utility_view(ws);
            v.pl_open = a == 0;
            v.lt_open = b == 0;
            double f[SIM_N_FEATURES];
            sim_utility_features(ws, &v, f);
            size_t idx = (size_t)a + 2 * (size_t)b;
            border->payoff[idx * 2] = sim_utility_dot(ws->w[SIM_ACTOR_POLAND], f);
            border->payoff[idx * 2 + 1] =
                sim_utility_dot(ws->w[SIM_ACTOR_LITHUANIA], f);
        }
    return 0;
}

/* Up to five deals for the proposer: the equilibrium offer and deals that
 * both sides gain from, spread over the responder R's gains. Returns how
 * many it put in cand[]. */
static int candidate_deals(const sim_bargain *g, int R, int *cand)
{
    int nc = 0;
    if (g->offer[0] > 0)
        cand[nc++] = g->offer[0];
    double lo = 0, hi = 0;
    for (int i = 1; i < g->n_deals; i++)
        if (g->gain[0][i] >= 0 && g->gain[1][i] >= 0 && g->gain[R][i] > hi)
            hi = g->gain[R][i];
    for (int q = 0; q < 5 && nc < 5; q++) {
        double target = lo + (hi - lo) * q / 4.0;
        int best = -1;
        for (int i = 1; i < g->n_deals; i++) {
            if (g->gain[0][i] < 0 || g->gain[1][i] < 0)
                continue;
            if (best < 0 ||
                fabs(g->gain[R][i] - target) < fabs(g->gain[R][best] - target))
                best = i;
        }
        bool dup = best < 0;
        for (int k = 0; k < nc && !dup; k++)
            dup = cand[k] == best;
        if (!dup)
            cand[nc++] = best;
    }
    return nc;
}

/* The accept/reject game of stage 1: the proposer chooses among the
 * candidate deals; the responder's strategies are plans "accept offers
 * worth at least those of deal k to me" and "reject all". Rejection gives
 * both their continuation values. */
static int respond_game(const sim_workspace *ws, const sim_bargain *g,
                        sim_nfg *respond, sim_err *err)
{
    int P = g->first, R = 1 - P;
    int cand[5];
    int nc = candidate_deals(g, R, cand);
    if (nc == 0)
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: the first round's game has no deal that both "
                         "sides gain from; no accept/reject game to write",
                         ws->sc->file);
    const char *pname = sim_actor_name(g->side_actor[P]);
    const char *rname = sim_actor_name(g->side_actor[R]);
    int rc = two_player(respond, "Accept/reject game, round 1, stage 1", pname,
                        rname, nc, nc + 1, err);
    if (rc)
        return rc;
    double cont[2] = {sim_bargain_continuation(g, 0, 0),
                      sim_bargain_continuation(g, 0, 1)};
    for (int k = 0; k < nc; k++) {
        snprintf(respond->strategy[0][k], SIM_NFG_NAME_MAX, "offer_%d_%d",
                 g->count[cand[k]], k + 1);
        snprintf(respond->strategy[1][k], SIM_NFG_NAME_MAX, "accept_ge_%d",
                 k + 1);
    }
    snprintf(respond->strategy[1][nc], SIM_NFG_NAME_MAX, "reject_all");
    for (int k = 0; k < nc; k++)
        for (int r = 0; r <= nc; r++) {
            bool yes = r < nc && g->gain[R][cand[k]] >= g->gain[R][cand[r]];
            size_t idx = (size_t)k + (size_t)nc * (size_t)r;
            double gp = yes ? g->gain[P][cand[k]] : cont[P];
            double gr = yes ? g->gain[R][cand[k]] : cont[R];
            respond->payoff[idx * 2] = gp;
            respond->payoff[idx * 2 + 1] = gr;
        }
    return 0;
}

int sim_first_round_games(sim_workspace *ws, sim_nfg *border, sim_nfg *respond,
                          sim_err *err)
{
    sim_first_round fr;
    int rc = sim_solve_first_round(ws, &fr, err);
    if (rc)
        return rc;
    if ((rc = border_game(ws, border, err)))
        return rc;
    return respond_game(ws, fr.game, respond, err);
}
