/* scenario_load.c - reads a scenario (a libconfig file or string, with
 * --set overrides) into sim_scenario, checking every value against the
 * schema of scenario.c: the flat sections and the instrument and calendar
 * lists here, the shocks in shock_load.c, the actors in actor_load.c. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sanctionsim/model.h>
#include "scenario_load_impl.h"

/* ---- lists: instruments and calendar ---- */

static int load_instruments(const sim_loader *ld, const config_setting_t *root,
                            sim_scenario *sc)
{
    config_setting_t *l;
    int rc = sim_cfg_get_list(ld, root, "instruments", SIM_MAX_INSTRUMENTS, &l);
    if (rc || !l)
        return rc;
    sc->n_instruments = config_setting_length(l);
    for (int i = 0; i < sc->n_instruments; i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        sim_instrument_spec *in = &sc->instrument[i];
        sim_scenario_instrument_defaults(in);
        if ((rc = sim_cfg_require(ld, g, "name")) ||
            (rc = sim_cfg_require(ld, g, "imposer")))
            return rc;
        if ((rc = sim_cfg_load_keys(ld, g, sim_instrument_keys,
                                    sim_n_instrument_keys, NULL, 0, in)))
            return rc;
        const config_setting_t *ns = config_setting_get_member(g, "name");
        if (!in->name[0])
            return sim_cfg_fail(ld, ns, "must not be empty");
        for (const char *c = in->name; *c; c++)
            if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) ||
                  *c == '_'))
                return sim_cfg_fail(
                    ld, ns,
                    "\"%s\" must use only lower-case letters, digits "
                    "and _ (it names CSV columns)",
                    in->name);
        for (int j = 0; j < i; j++)
            if (strcmp(sc->instrument[j].name, in->name) == 0)
                return sim_cfg_fail(ld, ns, "duplicate instrument name \"%s\"",
                                    in->name);
    }
    return 0;
}

static int load_calendar(const sim_loader *ld, const config_setting_t *root,
                         sim_scenario *sc)
{
    config_setting_t *l;
    int rc = sim_cfg_get_list(ld, root, "calendar", SIM_MAX_EVENTS, &l);
    if (rc || !l)
        return rc;
    sc->n_events = config_setting_length(l);
    for (int i = 0; i < sc->n_events; i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        sim_event_spec *ev = &sc->event[i];
        sim_scenario_event_defaults(ev);
        if ((rc = sim_cfg_require(ld, g, "type")) ||
            (rc = sim_cfg_require(ld, g, "start")))
            return rc;
        if ((rc = sim_cfg_load_keys(ld, g, sim_event_keys, sim_n_event_keys,
                                    NULL, 0, ev)))
            return rc;
        if (ev->type == SIM_EVENT_ELECTION &&
            (rc = sim_cfg_require(ld, g, "actor")))
            return rc;
    }
    return 0;
}

/* ---- the whole tree ---- */

static int check_start(const sim_loader *ld, const config_setting_t *root,
                       const sim_scenario *sc)
{
    int y, m;
    char tail;
    if (sscanf(sc->start, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 ||
        strlen(sc->start) != 7)
        return sim_cfg_fail(ld, config_setting_get_member(root, "start"),
                            "\"%s\" is not a month of the form YYYY-MM",
                            sc->start);
    return 0;
}

static int validate(const sim_loader *ld, const sim_registry *reg,
                    const config_setting_t *root, sim_scenario *sc)
{
    const char *top[64];
    int n = 0;
    for (int i = 0; i < sim_sections[0].nkeys; i++)
        top[n++] = sim_sections[0].keys[i].name;
    for (int s = 1; s < sim_n_sections; s++)
        top[n++] = sim_sections[s].path;
    top[n++] = "shocks";
    top[n++] = "actors";
    top[n++] = "instruments";
    top[n++] = "calendar";
    int rc = sim_cfg_check_members(ld, root, top, n);
    if (rc)
        return rc;
    for (int s = 0; s < sim_n_sections; s++) {
        config_setting_t *g = (config_setting_t *)root;
        if (sim_sections[s].path[0] &&
            (rc = sim_cfg_get_group(ld, root, sim_sections[s].path, &g)))
            return rc;
        if (s == 0) {
            /* top-level keys: members other than the keys were checked */
            for (int i = 0; i < sim_sections[0].nkeys; i++) {
                const sim_key *k = &sim_sections[0].keys[i];
                const config_setting_t *v =
                    config_setting_get_member(root, k->name);
                if (v && (rc = sim_cfg_load_key(ld, v, k, sc)))
                    return rc;
            }
        } else if ((rc = sim_cfg_load_keys(ld, g, sim_sections[s].keys,
                                           sim_sections[s].nkeys, NULL, 0,
                                           sc))) {
            return rc;
        }
    }
    if ((rc = check_start(ld, root, sc)) ||
        (rc = sim_load_shocks(ld, root, sc)) ||
        (rc = sim_load_actors(ld, reg, root, sc)) ||
        (rc = load_instruments(ld, root, sc)) ||
        (rc = load_calendar(ld, root, sc)))
        return rc;
    return 0;
}

/* Gives the scenario its default name if it has none (the file name
 * without folder and extension) and checks that the name can name an
 * output directory. */
static int check_name(const sim_loader *ld, const config_setting_t *root,
                      sim_scenario *sc)
{
    if (!sc->name[0]) {
        const char *base = strrchr(ld->file, '/');
        base = base ? base + 1 : ld->file;
        size_t len = strcspn(base, ".");
        if (len >= sizeof sc->name)
            len = sizeof sc->name - 1;
        memcpy(sc->name, base, len);
        sc->name[len] = '\0';
    }
    const config_setting_t *ns = config_setting_get_member(root, "name");
    if (!sc->name[0] || sc->name[0] == '.')
        return sim_cfg_fail(ld, ns ? ns : root,
                            "the scenario name \"%s\" cannot name an output "
                            "directory (empty, or starting with '.'); set "
                            "name = \"...\"",
                            sc->name);
    for (const char *c = sc->name; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-' ||
              *c == '.'))
            return sim_cfg_fail(ld, ns ? ns : root,
                                "\"%s\" must use only letters, digits, '.', "
                                "'-' and '_' (it names the output directory)",
                                sc->name);
    return 0;
}

/* Records the file's label and the --set overrides (each already checked
 * to hold a '=') in *prov. */
static void record_provenance(sim_provenance *prov, const char *label,
                              const char *const *sets, int nsets)
{
    snprintf(prov->file, sizeof prov->file, "%s", label);
    prov->n_sets = nsets;
    for (int i = 0; i < nsets; i++) {
        const char *eq = sim_cfg_set_equals(sets[i]);
        snprintf(prov->set[i].key, sizeof prov->set[i].key, "%.*s",
                 (int)(eq - sets[i]), sets[i]);
        snprintf(prov->set[i].value, sizeof prov->set[i].value, "%s", eq + 1);
    }
}

/* Applies the overrides to the parsed tree, then checks it into *sc. */
static int load_config(sim_scenario *sc, const sim_registry *reg, config_t *cfg,
                       const char *label, const char *const *sets, int nsets,
                       sim_provenance *prov, sim_err *err)
{
    sim_loader ld = {label, err};
    int rc = 0;
    if (nsets > SIM_MAX_SETS)
        return sim_error(err, SIM_E_USAGE, "at most %d --set options",
                         SIM_MAX_SETS);
    for (int i = 0; i < nsets; i++)
        if ((rc = sim_cfg_apply_set(cfg, sets[i], err)))
            return rc;
    sim_scenario_defaults(sc, reg);
    const config_setting_t *root = config_root_setting(cfg);
    if ((rc = validate(&ld, reg, root, sc)) || (rc = check_name(&ld, root, sc)))
        return rc;
    snprintf(sc->file, sizeof sc->file, "%s", label);
    if ((rc = sim_scenario_check_work(sc, err)))
        return rc;
    if (prov)
        record_provenance(prov, label, sets, nsets);
    return 0;
}

int sim_scenario_load(sim_scenario *sc, const sim_registry *reg,
                      const char *path, const char *const *sets, int nsets,
                      sim_provenance *prov, sim_err *err)
{
    config_t cfg;
    int rc = sim_cfg_read_file(&cfg, path, true, err);
    if (!rc)
        rc = load_config(sc, reg, &cfg, path, sets, nsets, prov, err);
    config_destroy(&cfg);
    return rc;
}

int sim_scenario_load_string(sim_scenario *sc, const sim_registry *reg,
                             const char *text, const char *label,
                             const char *const *sets, int nsets,
                             sim_provenance *prov, sim_err *err)
{
    config_t cfg;
    int rc = sim_cfg_read_string(&cfg, text, label, err);
    if (!rc)
        rc = load_config(sc, reg, &cfg, label, sets, nsets, prov, err);
    config_destroy(&cfg);
    return rc;
}
