/* scenario_lint.c - warnings about legal but surprising values: every
 * number a scenario file (or its bases, or a --set) gives outside the
 * key's sensible range (sensible.c), named by file and line as errors
 * are. Loading has already checked the hard limits; this pass only
 * reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_load_impl.h"

typedef struct lint {
    const sim_loader *ld;
    sim_warn_fn fn;
    void *ctx;
    int n;
} lint;

/* Checks the number setting s against its sensible range. */
static void check_value(lint *l, const config_setting_t *s)
{
    char loc[SIM_PATH_MAX + 64], path[512], msg[SIM_PATH_MAX + 1024];
    double lo, hi;
    const char *why = NULL;
    sim_cfg_where(l->ld, s, loc, sizeof loc, path, sizeof path);
    double v = sim_cfg_number(s);
    if (!sim_key_sensible(path, &lo, &hi, &why) || (v >= lo && v <= hi))
        return;
    snprintf(msg, sizeof msg,
             "%s: %s: %.10g is outside the sensible range %.10g to "
             "%.10g%s%s",
             loc, path, v, lo, hi, why ? ": " : "", why ? why : "");
    l->n++;
    l->fn(l->ctx, msg);
}

/* Every number under s, depth first in file order. */
static void walk(lint *l, const config_setting_t *s)
{
    if (config_setting_is_number(s)) {
        check_value(l, s);
        return;
    }
    if (!config_setting_is_aggregate(s))
        return;
    for (int i = 0; i < config_setting_length(s); i++)
        walk(l, config_setting_get_elem(s, (unsigned)i));
}

int sim_scenario_lint(const char *path, const char *const *sets, int nsets,
                      sim_warn_fn fn, void *ctx, sim_err *err)
{
    sim_cfg_chain *ch = malloc(sizeof *ch);
    if (!ch)
        return sim_error(err, SIM_E_NOMEM, "out of memory reading %s", path);
    int rc = sim_cfg_chain_read(ch, path, err);
    config_t *cfg = rc ? NULL : sim_cfg_chain_merged(ch);
    for (int i = 0; !rc && i < nsets; i++)
        rc = sim_cfg_apply_set(cfg, sets[i], err);
    if (!rc) {
        sim_loader ld = {path, err};
        lint l = {&ld, fn, ctx, 0};
        walk(&l, config_root_setting(cfg));
        rc = l.n;
    }
    sim_cfg_chain_free(ch);
    free(ch);
    return rc;
}
