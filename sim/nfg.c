/* nfg.c - the payoff table of a finite normal-form game: allocation,
 * profile indices, payoffs and the well-formedness check (nfg.h). The
 * reader is nfg_lex.c + nfg_read.c, the writer nfg_write.c, the equilibria
 * nfg_pure.c and nfg_support.c. */
#include <sanctionsim/nfg.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nfg_impl.h"

/* Number of profiles for these counts, or 0 when nplayers or a count is out
 * of range or the product exceeds SIM_NFG_MAX_PROFILES. The running product
 * is checked after every factor, so it never exceeds 1e6 * 64: no overflow. */
size_t sim_nfg_profile_count(int nplayers, const int *nstrat)
{
    if (nplayers < 1 || nplayers > SIM_NFG_MAX_PLAYERS)
        return 0;
    size_t n = 1;
    for (int i = 0; i < nplayers; i++) {
        if (nstrat[i] < 1 || nstrat[i] > SIM_NFG_MAX_STRATEGIES)
            return 0;
        n *= (size_t)nstrat[i];
        if (n > SIM_NFG_MAX_PROFILES)
            return 0;
    }
    return n;
}

/* Checks the players and strategy counts of g (not the table). */
static int check_shape(const sim_nfg *g, sim_err *err, int code)
{
    if (g->nplayers < 1 || g->nplayers > SIM_NFG_MAX_PLAYERS)
        return sim_error(err, code,
                         "a game needs 1 to %d players, this one has %d",
                         SIM_NFG_MAX_PLAYERS, g->nplayers);
    for (int i = 0; i < g->nplayers; i++)
        if (g->nstrat[i] < 1 || g->nstrat[i] > SIM_NFG_MAX_STRATEGIES)
            return sim_error(err, code,
                             "player %d needs 1 to %d strategies, has %d",
                             i + 1, SIM_NFG_MAX_STRATEGIES, g->nstrat[i]);
    if (sim_nfg_profile_count(g->nplayers, g->nstrat) == 0)
        return sim_error(err, code,
                         "the game has more than %d strategy profiles",
                         SIM_NFG_MAX_PROFILES);
    return 0;
}

int sim_nfg_alloc(sim_nfg *g, sim_err *err)
{
    if (!g)
        return sim_error(err, SIM_E_INTERNAL, "sim_nfg_alloc: NULL game");
    int rc = check_shape(g, err, SIM_E_SCENARIO);
    if (rc)
        return rc;
    size_t np = sim_nfg_profile_count(g->nplayers, g->nstrat);
    double *p = calloc(np * (size_t)g->nplayers, sizeof *p);
    if (!p)
        return sim_error(err, SIM_E_NOMEM,
                         "no memory for a payoff table of %zu profiles", np);
    g->payoff = p;
    g->nprofiles = np;
    return 0;
}

void sim_nfg_free(sim_nfg *g)
{
    if (!g)
        return;
    free(g->payoff);
    g->payoff = NULL;
    g->nprofiles = 0;
}

size_t sim_nfg_index(const sim_nfg *g, const int *profile)
{
    size_t idx = 0;
    for (int i = g->nplayers - 1; i >= 0; i--)
        idx = idx * (size_t)g->nstrat[i] + (size_t)profile[i];
    return idx;
}

double sim_nfg_payoff(const sim_nfg *g, const int *profile, int i)
{
    return g
        ->payoff[sim_nfg_index(g, profile) * (size_t)g->nplayers + (size_t)i];
}

int sim_nfg_check(const sim_nfg *g, sim_err *err)
{
    if (!g)
        return sim_error(err, SIM_E_USAGE, "no game (NULL)");
    int rc = check_shape(g, err, SIM_E_USAGE);
    if (rc)
        return rc;
    size_t np = sim_nfg_profile_count(g->nplayers, g->nstrat);
    if (g->nprofiles != np)
        return sim_error(err, SIM_E_USAGE,
                         "the game has %zu profiles recorded but its strategy "
                         "counts give %zu",
                         g->nprofiles, np);
    if (!g->payoff)
        return sim_error(err, SIM_E_USAGE, "the game has no payoff table");
    if (!memchr(g->title, '\0', sizeof g->title))
        return sim_error(err, SIM_E_USAGE, "the game title is not terminated");
    for (int i = 0; i < g->nplayers; i++) {
        if (!memchr(g->player[i], '\0', SIM_NFG_NAME_MAX))
            return sim_error(err, SIM_E_USAGE,
                             "the name of player %d is not terminated", i + 1);
        for (int j = 0; j < g->nstrat[i]; j++)
            if (!memchr(g->strategy[i][j], '\0', SIM_NFG_NAME_MAX))
                return sim_error(err, SIM_E_USAGE,
                                 "strategy %d of player %d: name not "
                                 "terminated",
                                 j + 1, i + 1);
    }
    size_t n = np * (size_t)g->nplayers;
    for (size_t k = 0; k < n; k++)
        if (!isfinite(g->payoff[k]))
            return sim_error(err, SIM_E_USAGE,
                             "the payoff of player %zu at profile %zu is not "
                             "finite",
                             k % (size_t)g->nplayers + 1,
                             k / (size_t)g->nplayers);
    return 0;
}
