/* actor_load.c - reads the `actors` group of a scenario: each actor's
 * discounts, utility weights, the roles it holds, and for each role a
 * decision model from the registry with the model's parameters. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "scenario_load_impl.h"
#include <sanctionsim/model.h>
#include <sanctionsim/model_instance.h>
#include <sanctionsim/suggest.h>

/* Appends " word" to the string in buf[size], truncating if it is full. */
static void append_word(char *buf, size_t size, const char *word)
{
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, " %s", word);
}

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
     * weights) run now, on a scratch instance, so that `check` reports
     * them with the file and line. */
    sim_model_instance scratch;
    if ((rc = sim_model_instance_init(&scratch, ms, NULL, ld->err)))
        return rc;
    sim_err merr = {0};
    rc = sim_model_instance_reset(&scratch, &merr);
    sim_model_instance_free(&scratch);
    if (rc)
        return sim_cfg_fail(ld, g, "%s", merr.msg);
    return 0;
}

/* Roles the engine can honour in actor a's list l: the bargaining tracks
 * are fixed (Minsk against Washington, Minsk against the EU), so offer and
 * respond stay with the actors that hold them by default; and a border
 * role needs a border of the actor's own in the world's state. */
static int check_roles(const sim_loader *ld, const config_setting_t *l, int a,
                       unsigned roles)
{
    const unsigned bargaining =
        (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND);
    if ((roles ^ sim_actor_default_roles(a)) & bargaining) {
        char parties[128] = "";
        for (int b = 0; b < SIM_N_ACTORS; b++)
            if (sim_actor_default_roles(b) & bargaining)
                snprintf(parties + strlen(parties),
                         sizeof parties - strlen(parties), "%s%s",
                         parties[0] ? ", " : "", sim_actor_name(b));
        return sim_cfg_fail(ld, l,
                            "offer and respond belong to the bargaining "
                            "parties (%s) and cannot be added or removed; "
                            "a role list may change veto, border, transit "
                            "and renew",
                            parties);
    }
    if (((roles >> SIM_ROLE_BORDER) & 1u) && !sim_actor_has_border(a))
        return sim_cfg_fail(ld, l,
                            "%s has no border of its own with Belarus in "
                            "the model, so it cannot hold the border role",
                            sim_actor_name(a));
    return 0;
}

/* Reads the actor group's `roles = ["offer", ...]`, if present, into
 * as->roles: the decisions the actor takes, replacing its default set. */
static int load_roles(const sim_loader *ld, const config_setting_t *g, int a,
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
    return check_roles(ld, l, a, roles);
}

/* Checks the members of actor a's group g: its keys and a group for each
 * role it holds; a group for a role it does not hold gets its own
 * message. */
static int check_actor_members(const sim_loader *ld, const config_setting_t *g,
                               const sim_scenario *sc, int a)
{
    const char *names[5 + SIM_N_ROLES];
    int n = 0;
    names[n++] = "discount";
    names[n++] = "stage_discount";
    names[n++] = "weights";
    names[n++] = "roles";
    names[n++] = "offers"; /* read by offers.c, after the instruments */
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
    if ((rc = load_roles(ld, g, a, as)) ||
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

/* A discount of 1 over an infinite future (planning_horizon 0) values a
 * permanent change without bound: refused at the discount that says 1
 * (or at planning_horizon, or the file, if the discount is not set). */
static int check_horizon(const sim_loader *ld, const config_setting_t *root,
                         const sim_scenario *sc)
{
    if (sc->planning_horizon > 0)
        return 0;
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        if (sc->actor[a].discount < 1.0)
            continue;
        char path[64];
        snprintf(path, sizeof path, "actors.%s.discount", sim_actor_name(a));
        const config_setting_t *s = config_setting_lookup(
            (config_setting_t *)root, path);
        if (!s)
            s = config_setting_get_member(root, "planning_horizon");
        return sim_cfg_fail(ld, s ? s : root,
                            "%s's discount of 1 over an infinite future "
                            "(planning_horizon = 0) values a permanent change "
                            "without bound; give a discount below 1 or a "
                            "planning_horizon in rounds",
                            sim_actor_name(a));
    }
    return 0;
}

/* A bargaining game with no last stage and no discount at all (both
 * sides' stage_discount x (1 - breakdown) equal to 1) has every split as
 * an equilibrium: refused at bargaining.infinite. */
static int check_infinite(const sim_loader *ld, const config_setting_t *root,
                          const sim_scenario *sc)
{
    if (!sc->bargaining.infinite)
        return 0;
    static const sim_actor other[2] = {SIM_ACTOR_WASHINGTON, SIM_ACTOR_EU};
    double keep = 1.0 - sc->bargaining.breakdown;
    for (int k = 0; k < (sc->eu.enabled ? 2 : 1); k++) {
        double d = sc->actor[SIM_ACTOR_MINSK].stage_discount * keep *
                   sc->actor[other[k]].stage_discount * keep;
        if (d < 1.0)
            continue;
        return sim_cfg_fail(ld,
                            config_setting_lookup((config_setting_t *)root,
                                                  "bargaining.infinite"),
                            "a game with no last stage needs some discount: "
                            "minsk's and %s's stage_discount x (1 - "
                            "breakdown) multiply to 1, so every split is an "
                            "equilibrium; lower a stage_discount, raise "
                            "bargaining.breakdown or set infinite = false",
                            sim_actor_name(other[k]));
    }
    return 0;
}

int sim_load_actors(const sim_loader *ld, const sim_registry *reg,
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
    if ((rc = check_horizon(ld, root, sc)))
        return rc;
    return check_infinite(ld, root, sc);
}
