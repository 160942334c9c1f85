/* nfg_pure.c - the pure Nash equilibria of a finite normal-form game with
 * any number of players, by checking every unilateral deviation of every
 * profile (contract in nfg.h). */
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
            double u = g->payoff[idx * (size_t)n + (size_t)i];
            double tol = SIM_NFG_PURE_TOL * fmax(1.0, fabs(u));
            size_t base = idx - (size_t)s[i] * stride[i];
            for (int k = 0; k < g->nstrat[i]; k++) {
                double ud =
                    g->payoff[(base + (size_t)k * stride[i]) * (size_t)n +
                              (size_t)i];
                if (k != s[i] && ud - u > tol) {
                    eq = false;
                    break;
                }
            }
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
