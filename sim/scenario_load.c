/* scenario_load.c - reads a scenario (a libconfig file or string, with
 * --set overrides) into sim_scenario, checking every value against the
 * schema of scenario.c: the flat sections and the instrument and calendar
 * lists here, the shocks in shock_load.c, the actors in actor_load.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/model.h>
#include "columns.h"
#include "scenario_load_impl.h"

/* ---- lists: instruments and calendar ---- */

/* Refuses a value the engine would ignore (issue 11: no key is accepted
 * and then ignored): an economic value on a diplomatic item, a share
 * kept without transit on an instrument that does not need it. */
static int check_unused_instrument_keys(const sim_loader *ld,
                                        const config_setting_t *g,
                                        const sim_instrument_spec *in)
{
    if (in->diplomatic && in->value != 0)
        return sim_cfg_fail(ld, config_setting_get_member(g, "value"),
                            "%s is diplomatic: it counts as recognition and "
                            "has no economic value, so value would be "
                            "ignored; leave it 0 (or set diplomatic = false)",
                            in->name);
    if (!in->needs_transit && in->without_transit != 1)
        return sim_cfg_fail(ld, config_setting_get_member(g, "without_transit"),
                            "%s does not need Klaipeda transit, so the share "
                            "it keeps without transit would be ignored; set "
                            "needs_transit = true or drop without_transit",
                            in->name);
    return 0;
}

/* Refuses an event key its type does not use: an EU renewal has no
 * length, factor or tension, an election adds no tension, an
 * engagement-only phase has neither factor nor tension. */
static int check_unused_event_keys(const sim_loader *ld,
                                   const config_setting_t *g,
                                   const sim_event_spec *ev)
{
    static const char *const names[] = {"rounds", "factor", "tension"};
    bool unused[3] = {ev->type == SIM_EVENT_EU_RENEWAL && ev->rounds != 1,
                      (ev->type == SIM_EVENT_EU_RENEWAL ||
                       ev->type == SIM_EVENT_ENGAGEMENT_ONLY) &&
                          ev->factor != 1,
                      ev->type != SIM_EVENT_EXERCISE && ev->tension != 0};
    for (int i = 0; i < 3; i++)
        if (unused[i])
            return sim_cfg_fail(ld, config_setting_get_member(g, names[i]),
                                "an %s event does not use %s, so it would "
                                "be ignored; drop it",
                                sim_event_type_names[ev->type], names[i]);
    return 0;
}

/* Refuses instrument names that would give two CSV columns one name
 * ("x" and "round_x" both make lifted_round_x), at the later one's name. */
static int check_column_names(const sim_loader *ld, const config_setting_t *l,
                              const sim_scenario *sc)
{
    char col[SIM_COLUMN_NAME_MAX];
    int other;
    int i = sim_columns_name_clash(sc, col, &other);
    if (i < 0)
        return 0;
    const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
    const config_setting_t *ns = config_setting_get_member(g, "name");
    if (other < 0)
        return sim_cfg_fail(ld, ns,
                            "\"%s\" makes the column %s, which sanctionsim "
                            "already writes; rename the instrument",
                            sc->instrument[i].name, col);
    return sim_cfg_fail(ld, ns,
                        "\"%s\" makes the column %s, as instrument \"%s\" "
                        "(instruments.[%d]) does; rename one of them",
                        sc->instrument[i].name, col,
                        sc->instrument[other].name, other);
}

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
        if ((rc = check_unused_instrument_keys(ld, g, in)))
            return rc;
    }
    return check_column_names(ld, l, sc);
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
        bool engage = ev->type == SIM_EVENT_ENGAGEMENT_ONLY;
        if ((ev->type == SIM_EVENT_ELECTION || engage) &&
            (rc = sim_cfg_require(ld, g, "actor")))
            return rc;
        if (engage && sim_actor_imposer(ev->actor) < 0)
            return sim_cfg_fail(ld, config_setting_get_member(g, "actor"),
                                "%s imposes no instruments, so it has none to "
                                "keep off the table (engagement_only is for "
                                "washington and eu)",
                                sim_actor_name(ev->actor));
        if ((rc = check_unused_event_keys(ld, g, ev)))
            return rc;
    }
    return 0;
}

/* Refuses a calendar whose events, on at once, multiply an actor's
 * political weights (elections) or the drones' mean (exercises) by more
 * than SIM_MAX_EVENT_PRODUCT in some round: the product is followed round
 * by round, and the message names the event that carries it over. */
static int check_overlaps(const sim_loader *ld, const config_setting_t *root,
                          const sim_scenario *sc)
{
    for (int round = 1; round <= sc->rounds; round++) {
        double product[SIM_N_ACTORS + 1]; /* actors' elections, exercises */
        for (int a = 0; a <= SIM_N_ACTORS; a++)
            product[a] = 1.0;
        for (int e = 0; e < sc->n_events; e++) {
            const sim_event_spec *ev = &sc->event[e];
            if (ev->type == SIM_EVENT_EU_RENEWAL ||
                ev->type == SIM_EVENT_ENGAGEMENT_ONLY ||
                !sim_event_on(ev, round))
                continue;
            bool election = ev->type == SIM_EVENT_ELECTION;
            double *p = &product[election ? ev->actor : SIM_N_ACTORS];
            *p *= ev->factor;
            if (*p <= SIM_MAX_EVENT_PRODUCT)
                continue;
            const config_setting_t *l =
                config_setting_get_member(root, "calendar");
            const config_setting_t *g =
                config_setting_get_elem(l, (unsigned)e);
            const config_setting_t *f = config_setting_get_member(g, "factor");
            char what[96];
            if (election)
                snprintf(what, sizeof what, "%s's elections multiply its "
                         "political weights", sim_actor_name(ev->actor));
            else
                snprintf(what, sizeof what,
                         "exercises multiply the drones' mean");
            return sim_cfg_fail(ld, f ? f : g,
                                "in round %d, with the events on at the "
                                "same time, %s by %.3g, more than the %g "
                                "one event may; lower the factors or move "
                                "the events apart",
                                round, what, *p, SIM_MAX_EVENT_PRODUCT);
        }
    }
    return 0;
}

/* Refuses an initial state that would not last a round: Klaipeda transit
 * allowed before round 1 while an actor holding the transit role decides
 * on it again in round 1 (where the opening enters only as that
 * decision's status signal). Borders are different: Poland and Lithuania
 * decide on them in round 1 too, but their initial state is documented
 * as that status signal, and the baseline's Zapad closure uses it. */
static int check_initial_states(const sim_loader *ld,
                                const config_setting_t *root,
                                const sim_scenario *sc)
{
    if (!sc->borders.klaipeda_open)
        return 0;
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        if (!sim_actor_has_role(sc, a, SIM_ROLE_TRANSIT))
            continue;
        const config_setting_t *g = config_setting_get_member(root, "borders");
        const config_setting_t *k =
            g ? config_setting_get_member(g, "klaipeda_open") : NULL;
        return sim_cfg_fail(
            ld, k ? k : root,
            "Klaipeda transit open before round 1 would not last a round: "
            "%s holds the transit role and decides on it again in round 1, "
            "seeing the opening only as the status quo. To open Klaipeda, "
            "make its transit rule allow it (e.g. "
            "actors.%s.transit.threshold = -1); where no actor holds the "
            "transit role, this initial state holds for the whole run",
            sim_actor_name(a), sim_actor_name(a));
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
        (rc = sim_load_offers(ld, root, sc)) ||
        (rc = load_calendar(ld, root, sc)) ||
        (rc = check_overlaps(ld, root, sc)) ||
        (rc = check_initial_states(ld, root, sc)))
        return rc;
    return 0;
}

/* Gives the scenario its default name if it has none (the file name
 * without folder and its final ".cfg": exp.low.cfg is "exp.low") and checks that the name can name an
 * output directory. */
static int check_name(const sim_loader *ld, const config_setting_t *root,
                      sim_scenario *sc)
{
    if (!sc->name[0]) {
        const char *base = strrchr(ld->file, '/');
        base = base ? base + 1 : ld->file;
        size_t len = strlen(base);
        if (len > 4 && !strcmp(base + len - 4, ".cfg"))
            len -= 4;
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
    prov->n_bases = 0;
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
    sim_cfg_chain *ch = malloc(sizeof *ch);
    if (!ch)
        return sim_error(err, SIM_E_NOMEM, "out of memory reading %s", path);
    int rc = sim_cfg_chain_read(ch, path, err);
    if (!rc)
        rc = load_config(sc, reg, sim_cfg_chain_merged(ch), path, sets, nsets,
                         prov, err);
    if (!rc && prov) {
        prov->n_bases = ch->n - 1;
        for (int k = 1; k < ch->n; k++)
            snprintf(prov->base[k - 1], sizeof prov->base[k - 1], "%s",
                     ch->path[k]);
    }
    sim_cfg_chain_free(ch);
    free(ch);
    return rc;
}

/* Calls fn for s and every value under it (lists and arrays whole);
 * path holds s's dotted key. */
static void walk_origins(const config_setting_t *s, char *path, size_t size,
                         sim_origin_fn fn, void *ctx)
{
    size_t len = strlen(path);
    if (!config_setting_is_group(s)) {
        fn(ctx, path, s->file ? s->file : "", s->line);
        return;
    }
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        snprintf(path + len, size - len, "%s%s", len ? "." : "", m->name);
        walk_origins(m, path, size, fn, ctx);
        path[len] = '\0';
    }
}

int sim_scenario_origins(const char *path, sim_origin_fn fn, void *ctx,
                         sim_err *err)
{
    sim_cfg_chain *ch = malloc(sizeof *ch);
    if (!ch)
        return sim_error(err, SIM_E_NOMEM, "out of memory reading %s", path);
    int rc = sim_cfg_chain_read(ch, path, err);
    if (!rc) {
        char key[1024] = "";
        walk_origins(config_root_setting(sim_cfg_chain_merged(ch)), key,
                     sizeof key, fn, ctx);
    }
    sim_cfg_chain_free(ch);
    free(ch);
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
