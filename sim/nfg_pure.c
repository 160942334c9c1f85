/* nfg_pure.c - equilibrium tests of a finite normal-form game with any
 * number of players: the pure Nash equilibria, by comparing every
 * unilateral deviation of every profile exactly, and the regret of a mixed
 * profile (contracts in nfg.h). */
#include <sanctionsim/nfg.h>

#include <math.h>
#include <stdbool.h>

int sim_nfg_pure_equilibria(const sim_nfg *g, size_t *profiles, size_t max,
                            size_t *count, sim_err *err)
{
    int rc = sim_nfg_check(g, err);
    if (rc)
        return rc;
    if (!count || (max > 0 && !profiles))
        return sim_error(err, SIM_E_USAGE,
                         "sim_nfg_pure_equilibria: NULL output");
    const int n = g->nplayers;
    size_t stride[SIM_NFG_MAX_PLAYERS];
    int s[SIM_NFG_MAX_PLAYERS] = {0};
    stride[0] = 1;
    for (int i = 1; i < n; i++)
        stride[i] = stride[i - 1] * (size_t)g->nstrat[i - 1];
    size_t found = 0;
    for (size_t idx = 0; idx < g->nprofiles; idx++) {
        bool eq = true;
        for (int i = 0; i < n && eq; i++) {
            /* exact: a deviation that pays more, by however little, is a
             * better one; payoffs are the doubles the game holds */
            double u = g->payoff[idx * (size_t)n + (size_t)i];
            size_t base = idx - (size_t)s[i] * stride[i];
            for (int k = 0; k < g->nstrat[i] && eq; k++)
                eq = g->payoff[(base + (size_t)k * stride[i]) * (size_t)n +
                               (size_t)i] <= u;
        }
        if (eq) {
            if (found < max)
                profiles[found] = idx;
            found++;
        }
        /* Next profile: player 0's strategy varies fastest. */
        for (int i = 0; i < n; i++) {
            if (++s[i] < g->nstrat[i])
                break;
            s[i] = 0;
        }
    }
    *count = found;
    return 0;
}

double sim_nfg_regret(const sim_nfg *g, const sim_mixed *p, int player)
{
    const int n = g->nplayers;
    double u[SIM_NFG_MAX_STRATEGIES] = {0};
    int s[SIM_NFG_MAX_PLAYERS] = {0};
    for (size_t idx = 0; idx < g->nprofiles; idx++) {
        double w = 1.0;
        for (int j = 0; j < n; j++)
            if (j != player)
                w *= p->prob[j][s[j]];
        if (w != 0.0)
            u[s[player]] += w * g->payoff[idx * (size_t)n + (size_t)player];
        for (int j = 0; j < n; j++) {
            if (++s[j] < g->nstrat[j])
                break;
            s[j] = 0;
        }
    }
    double best = -HUGE_VAL, got = 0.0;
    for (int k = 0; k < g->nstrat[player]; k++) {
        best = fmax(best, u[k]);
        got += p->prob[player][k] * u[k];
    }
    return fmax(0.0, best - got);
}
