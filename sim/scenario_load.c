/* scenario_load.c - reads a scenario (a libconfig file or string, with
 * --set overrides) into sim_scenario, checking every value against the
 * schema of scenario.c: shocks, actors and their models, the instrument
 * and calendar lists. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_util_impl.h"
#include "model.h"
#include "scenario.h"
#include "suggest.h"

/* Appends " word" to the string in buf[size], truncating if it is full. */
static void append_word(char *buf, size_t size, const char *word)
{
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, " %s", word);
}

/* ---- shocks ---- */

static int load_shock(const sim_loader *ld, const config_setting_t *g,
                      int shock, sim_dist *d)
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
    bool stock = sim_shock_is_stock(shock);
    if (stock && d->type != SIM_DIST_BINOMIAL && d->type != SIM_DIST_BETA &&
        d->type != SIM_DIST_UNIFORM && d->type != SIM_DIST_FIXED)
        return sim_cfg_fail(ld, ds ? ds : g,
                            "distribution \"%s\" cannot give a per-prisoner "
                            "probability; use binomial, beta, uniform or fixed",
                            sim_dist_name(d->type));

    const char *names[SIM_DIST_MAX_PARAMS + 1] = {"dist"};
    int np = sim_dist_nparams(d->type), n = 1;
    for (int j = 0; j < np; j++)
        if (!(stock && d->type == SIM_DIST_BINOMIAL && j == 1))
            names[n++] = sim_dist_param_info(d->type, j)->name;
    int len = config_setting_length(g);
    for (int i = 0; i < len; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        bool ok = false;
        for (int j = 0; j < n && !ok; j++)
            ok = strcmp(m->name, names[j]) == 0;
        if (!ok) {
            char hint[256];
            sim_suggest(m->name, names + 1, n - 1, hint, sizeof hint);
            if (stock && d->type == SIM_DIST_BINOMIAL &&
                strcmp(m->name, "n") == 0)
                return sim_cfg_fail(ld, m,
                                    "the number of trials of a per-prisoner "
                                    "shock is the stock; remove n");
            return sim_cfg_fail(ld, m,
                                "not a parameter of distribution \"%s\" (its "
                                "parameters:%s%s%s%s)",
                                sim_dist_name(d->type), n > 1 ? " " : " none",
                                n > 1 ? names[1] : "", n > 2 ? ", " : "",
                                n > 2 ? names[2] : "");
        }
    }
    for (int j = 0; j < np; j++) {
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
    const char *why;
    int bad = sim_dist_invalid(d, &why);
    if (bad >= 0)
        return sim_cfg_fail(ld, g, "parameter %s %s",
                            sim_dist_param_info(d->type, bad)->name, why);
    if (stock) {
        double lo = 0, hi = 1;
        if (d->type == SIM_DIST_UNIFORM)
            lo = d->p[0], hi = d->p[1];
        if (d->type == SIM_DIST_FIXED)
            lo = hi = d->p[0];
        if (lo < 0 || hi > 1)
            return sim_cfg_fail(ld, g,
                                "a per-prisoner probability must lie in "
                                "[0, 1]");
    }
    return 0;
}

static int load_shocks(const sim_loader *ld, const config_setting_t *root,
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

/* ---- actors ---- */

/* Loads the group g of one role of actor: its model (looked up in reg)
 * and the model's parameters, checked by the model's own init. */
static int load_model(const sim_loader *ld, const sim_registry *reg,
                      const config_setting_t *g, int actor, int role,
                      sim_model_spec *ms)
{
    const config_setting_t *m = config_setting_get_member(g, "model");
    ms->line = (int)config_setting_source_line(g);
    if (m) {
        if (config_setting_type(m) != CONFIG_TYPE_STRING)
            return sim_cfg_fail(ld, m, "expected a model name in quotes");
        const char *name = config_setting_get_string(m);
        const sim_model_type *t = sim_registry_find(reg, name);
        if (!t) {
            const char *names[SIM_MAX_MODELS];
            int n = 0;
            for (; n < SIM_MAX_MODELS && reg->models[n]; n++)
                names[n] = reg->models[n]->name;
            char hint[256];
            sim_suggest(name, names, n, hint, sizeof hint);
            return sim_cfg_fail(ld, m, "unknown model \"%s\"%s", name, hint);
        }
        if (!sim_model_has_role(t, role)) {
            char can[128] = "";
            for (int r = 0; r < SIM_N_ROLES; r++)
                if (sim_model_has_role(t, r))
                    append_word(can, sizeof can, sim_role_name(r));
            return sim_cfg_fail(
                ld, m,
                "model \"%s\" cannot take the %s role of %s (its "
                "roles:%s)",
                name, sim_role_name(role), sim_actor_name(actor), can);
        }
        if (t != ms->type) {
            ms->type = t;
            sim_model_defaults(t, ms->param);
        }
        /* A model switched with --set (e.g. --set
         * actors.poland.border.model=qre) leaves the file's parameters of
         * the old model behind: they belong to the model being replaced,
         * so they are dropped, not reported. Parameters given with --set
         * are still checked. */
        if (config_setting_get_hook(m)) {
            config_setting_t *grp = (config_setting_t *)g;
            for (int i = config_setting_length(grp) - 1; i >= 0; i--) {
                config_setting_t *e = config_setting_get_elem(grp, (unsigned)i);
                bool known = strcmp(e->name, "model") == 0;
                for (int k = 0; k < t->nparams && !known; k++)
                    known = strcmp(e->name, t->params[k].name) == 0;
                if (!known && !config_setting_get_hook(e))
                    config_setting_remove_elem(grp, (unsigned)i);
            }
        }
    }
    static const char *const extra[] = {"model"};
    int rc = sim_cfg_load_keys(ld, g, ms->type->params, ms->type->nparams,
                               extra, 1, ms->param);
    if (rc || !ms->type->init)
        return rc;
    /* The model's own checks of its parameters (e.g. bayesian's prior
     * weights) run now, on a scratch state, so that `check` reports them
     * with the file and line. */
    void *scratch =
        ms->type->state_size ? calloc(1, ms->type->state_size) : NULL;
    if (ms->type->state_size && !scratch)
        return sim_error(ld->err, SIM_E_NOMEM, "out of memory");
    sim_err merr = {0};
    rc = ms->type->init(scratch, ms->param, &merr);
    free(scratch);
    if (rc)
        return sim_cfg_fail(ld, g, "%s", merr.msg);
    return 0;
}

/* Reads the actor group's `roles = ["offer", ...]`, if present, into
 * as->roles: the decisions the actor takes, replacing its default set. */
static int load_roles(const sim_loader *ld, const config_setting_t *g,
                      sim_actor_spec *as)
{
    const config_setting_t *l = config_setting_get_member(g, "roles");
    if (!l)
        return 0;
    int t = config_setting_type(l);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return sim_cfg_fail(ld, l,
                            "expected a list of role names [\"offer\", "
                            "\"respond\"], found %s",
                            sim_cfg_type_word(t));
    const char *names[SIM_N_ROLES];
    for (int r = 0; r < SIM_N_ROLES; r++)
        names[r] = sim_role_name(r);
    unsigned roles = 0;
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return sim_cfg_fail(ld, e,
                                "expected a role name in double quotes, "
                                "found %s",
                                sim_cfg_type_word(config_setting_type(e)));
        const char *v = config_setting_get_string(e);
        int r = 0;
        while (r < SIM_N_ROLES && strcmp(names[r], v) != 0)
            r++;
        if (r == SIM_N_ROLES) {
            char hint[256];
            sim_suggest(v, names, SIM_N_ROLES, hint, sizeof hint);
            return sim_cfg_fail(ld, e, "unknown role \"%s\"%s", v, hint);
        }
        if ((roles >> r) & 1u)
            return sim_cfg_fail(ld, e, "role \"%s\" is listed twice", v);
        roles |= 1u << r;
    }
    as->roles = roles;
    return 0;
}

/* Checks the members of actor a's group g: its keys and a group for each
 * role it holds; a group for a role it does not hold gets its own
 * message. */
static int check_actor_members(const sim_loader *ld, const config_setting_t *g,
                               const sim_scenario *sc, int a)
{
    const char *names[4 + SIM_N_ROLES];
    int n = 0;
    names[n++] = "discount";
    names[n++] = "stage_discount";
    names[n++] = "weights";
    names[n++] = "roles";
    for (int r = 0; r < SIM_N_ROLES; r++)
        if (sim_actor_has_role(sc, a, r))
            names[n++] = sim_role_name(r);
    int len = config_setting_length(g);
    for (int i = 0; i < len; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        for (int r = 0; r < SIM_N_ROLES; r++)
            if (!sim_actor_has_role(sc, a, r) &&
                strcmp(m->name, sim_role_name(r)) == 0) {
                char roles[128] = "";
                for (int q = 0; q < SIM_N_ROLES; q++)
                    if (sim_actor_has_role(sc, a, q))
                        append_word(roles, sizeof roles, sim_role_name(q));
                return sim_cfg_fail(ld, m,
                                    "%s takes no %s decision (its roles:%s)",
                                    sim_actor_name(a), sim_role_name(r),
                                    roles[0] ? roles : " none");
            }
    }
    return sim_cfg_check_members(ld, g, names, n);
}

/* The actor's discounts and utility weights. */
static int load_utility(const sim_loader *ld, const config_setting_t *g,
                        sim_actor_spec *as)
{
    static const sim_key disc[] = {
        {"discount", SIM_KEY_FLOAT, offsetof(sim_actor_spec, discount), 0, 0.99,
         0, 1, NULL, NULL, "", ""},
        {"stage_discount", SIM_KEY_FLOAT,
         offsetof(sim_actor_spec, stage_discount), 0, 0.95, 0, 1, NULL, NULL,
         "", ""},
    };
    int rc;
    for (int i = 0; i < 2; i++) {
        const config_setting_t *s = config_setting_get_member(g, disc[i].name);
        if (s && (rc = sim_cfg_load_key(ld, s, &disc[i], as)))
            return rc;
    }
    config_setting_t *w;
    if ((rc = sim_cfg_get_group(ld, g, "weights", &w)) || !w)
        return rc;
    const char *fn[SIM_N_FEATURES];
    for (int f = 0; f < SIM_N_FEATURES; f++)
        fn[f] = sim_feature_name(f);
    if ((rc = sim_cfg_check_members(ld, w, fn, SIM_N_FEATURES)))
        return rc;
    for (int f = 0; f < SIM_N_FEATURES; f++) {
        const config_setting_t *s = config_setting_get_member(w, fn[f]);
        sim_key k = {fn[f], SIM_KEY_FLOAT, 0,    0,  0, -1e9,
                     1e9,   NULL,          NULL, "", ""};
        if (s && (rc = sim_cfg_load_key(ld, s, &k, &as->weight[f])))
            return rc;
    }
    return 0;
}

/* Loads actor a's group g into sc->actor[a]: roles first, since they
 * decide which role groups the actor may have. */
static int load_actor(const sim_loader *ld, const sim_registry *reg,
                      const config_setting_t *g, int a, sim_scenario *sc)
{
    sim_actor_spec *as = &sc->actor[a];
    int rc;
    if ((rc = load_roles(ld, g, as)) ||
        (rc = check_actor_members(ld, g, sc, a)) ||
        (rc = load_utility(ld, g, as)))
        return rc;
    for (int r = 0; r < SIM_N_ROLES; r++) {
        config_setting_t *s;
        if (!sim_actor_has_role(sc, a, r))
            continue;
        if ((rc = sim_cfg_get_group(ld, g, sim_role_name(r), &s)))
            return rc;
        if (s && (rc = load_model(ld, reg, s, a, r, &as->model[r])))
            return rc;
    }
    return 0;
}

static int load_actors(const sim_loader *ld, const sim_registry *reg,
                       const config_setting_t *root, sim_scenario *sc)
{
    config_setting_t *g;
    int rc = sim_cfg_get_group(ld, root, "actors", &g);
    if (rc || !g)
        return rc;
    const char *names[SIM_N_ACTORS];
    for (int a = 0; a < SIM_N_ACTORS; a++)
        names[a] = sim_actor_name(a);
    if ((rc = sim_cfg_check_members(ld, g, names, SIM_N_ACTORS)))
        return rc;
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        config_setting_t *s;
        if ((rc = sim_cfg_get_group(ld, g, names[a], &s)))
            return rc;
        if (s && (rc = load_actor(ld, reg, s, a, sc)))
            return rc;
    }
    return 0;
}

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
    if ((rc = check_start(ld, root, sc)) || (rc = load_shocks(ld, root, sc)) ||
        (rc = load_actors(ld, reg, root, sc)) ||
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
        const char *eq = strchr(sets[i], '=');
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
