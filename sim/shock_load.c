/* shock_load.c - reads the `shocks` group of a scenario: each shock's
 * distribution and parameters, checked against the distribution's ranges;
 * per-prisoner (stock) shocks must give probabilities. */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "scenario_load_impl.h"
#include <sanctionsim/suggest.h>

/* Reads the shock group g's `dist`, if present, switching *d to that
 * distribution's defaults when it changes; then checks that a stock shock
 * has a distribution that can give a per-prisoner probability. */
static int load_dist_type(const sim_loader *ld, const config_setting_t *g,
                          bool stock, sim_dist *d)
{
    const config_setting_t *ds = config_setting_get_member(g, "dist");
    if (ds) {
        if (config_setting_type(ds) != CONFIG_TYPE_STRING)
            return sim_cfg_fail(ld, ds,
                                "expected a distribution name in quotes");
        sim_dist_type t;
        const char *name = config_setting_get_string(ds);
        if (!sim_dist_lookup(name, &t)) {
            const char *names[SIM_N_DISTS];
            for (int i = 0; i < SIM_N_DISTS; i++)
                names[i] = sim_dist_name((sim_dist_type)i);
            char hint[512];
            sim_suggest(name, names, SIM_N_DISTS, hint, sizeof hint);
            return sim_cfg_fail(ld, ds, "unknown distribution \"%s\"%s", name,
                                hint);
        }
        if (t != d->type)
            *d = sim_dist_default(t);
    }
    if (stock && d->type != SIM_DIST_BINOMIAL && d->type != SIM_DIST_BETA &&
        d->type != SIM_DIST_UNIFORM && d->type != SIM_DIST_FIXED)
        return sim_cfg_fail(ld, ds ? ds : g,
                            "distribution \"%s\" cannot give a per-prisoner "
                            "probability; use binomial, beta, uniform or fixed",
                            sim_dist_name(d->type));
    return 0;
}

/* Checks that every member of the shock group g is `dist` or a parameter
 * of distribution d (a stock binomial's n is the stock, not a key). */
static int check_shock_members(const sim_loader *ld, const config_setting_t *g,
                               bool stock, const sim_dist *d)
{
    const char *names[SIM_DIST_MAX_PARAMS + 1] = {"dist"};
    int np = sim_dist_nparams(d->type), n = 1;
    for (int j = 0; j < np; j++)
        if (!(stock && d->type == SIM_DIST_BINOMIAL && j == 1))
            names[n++] = sim_dist_param_info(d->type, j)->name;
    const config_setting_t *m = sim_cfg_first_unknown(g, names, n);
    if (!m)
        return 0;
    if (stock && d->type == SIM_DIST_BINOMIAL && strcmp(m->name, "n") == 0)
        return sim_cfg_fail(ld, m,
                            "the number of trials of a per-prisoner shock "
                            "is the stock; remove n");
    return sim_cfg_fail(ld, m,
                        "not a parameter of distribution \"%s\" (its "
                        "parameters:%s%s%s%s)",
                        sim_dist_name(d->type), n > 1 ? " " : " none",
                        n > 1 ? names[1] : "", n > 2 ? ", " : "",
                        n > 2 ? names[2] : "");
}

/* Reads the parameters of distribution d given in group g, each checked
 * against its range. */
static int load_dist_params(const sim_loader *ld, const config_setting_t *g,
                            sim_dist *d)
{
    for (int j = 0; j < sim_dist_nparams(d->type); j++) {
        const sim_dist_param *pi = sim_dist_param_info(d->type, j);
        const config_setting_t *s = config_setting_get_member(g, pi->name);
        if (!s)
            continue;
        if (!sim_cfg_is_number(s))
            return sim_cfg_fail(ld, s, "expected a number, found %s",
                                sim_cfg_type_word(config_setting_type(s)));
        d->p[j] = sim_cfg_number(s);
        if (!isfinite(d->p[j]) || d->p[j] < pi->min || d->p[j] > pi->max ||
            (pi->integer && d->p[j] != floor(d->p[j])))
            return sim_cfg_fail(ld, s, "%.10g is out of range [%.10g, %.10g]%s",
                                d->p[j], pi->min, pi->max,
                                pi->integer ? " (a whole number)" : "");
    }
    return 0;
}

/* Checks the parameters of d together (sim_dist_invalid) and, for a stock
 * shock, that its values are probabilities. */
static int check_shock_values(const sim_loader *ld, const config_setting_t *g,
                              bool stock, const sim_dist *d)
{
    const char *why;
    int bad = sim_dist_invalid(d, &why);
    if (bad >= 0)
        return sim_cfg_fail(ld, g, "parameter %s %s",
                            sim_dist_param_info(d->type, bad)->name, why);
    if (!stock)
        return 0;
    double lo = 0, hi = 1;
    if (d->type == SIM_DIST_UNIFORM)
        lo = d->p[0], hi = d->p[1];
    if (d->type == SIM_DIST_FIXED)
        lo = hi = d->p[0];
    if (lo < 0 || hi > 1)
        return sim_cfg_fail(ld, g,
                            "a per-prisoner probability must lie in "
                            "[0, 1]");
    return 0;
}

/* Loads the group g of shock `shock` into *d. */
static int load_shock(const sim_loader *ld, const config_setting_t *g,
                      int shock, sim_dist *d)
{
    bool stock = sim_shock_is_stock(shock);
    int rc;
    if ((rc = load_dist_type(ld, g, stock, d)) ||
        (rc = check_shock_members(ld, g, stock, d)) ||
        (rc = load_dist_params(ld, g, d)) ||
        (rc = check_shock_values(ld, g, stock, d)))
        return rc;
    return 0;
}

int sim_load_shocks(const sim_loader *ld, const config_setting_t *root,
                    sim_scenario *sc)
{
    config_setting_t *g;
    int rc = sim_cfg_get_group(ld, root, "shocks", &g);
    if (rc || !g)
        return rc;
    const char *names[SIM_N_SHOCKS];
    for (int i = 0; i < SIM_N_SHOCKS; i++)
        names[i] = sim_shock_name(i);
    if ((rc = sim_cfg_check_members(ld, g, names, SIM_N_SHOCKS)))
        return rc;
    for (int i = 0; i < SIM_N_SHOCKS; i++) {
        config_setting_t *s;
        if ((rc = sim_cfg_get_group(ld, g, names[i], &s)))
            return rc;
        if (s && (rc = load_shock(ld, s, i, &sc->shock[i])))
            return rc;
    }
    return 0;
}
