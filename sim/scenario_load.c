/* scenario_load.c - reads a libconfig scenario file and validates it against
 * the schema of scenario.c. The only file that includes libconfig.h: values
 * are copied out into sim_scenario and the libconfig tree is destroyed. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "../models/model.h"
#include "scenario.h"

/* Loading context: the file's label, the --set arguments, the error. */
typedef struct loader {
    const char *file;
    const char *const *sets;
    int nsets;
    sim_err *err;
} loader;

/* ---- messages ---- */

/* Dotted path of a setting: "actors.minsk.discount", "instruments.[2].name". */
static void setting_path(const config_setting_t *s, char *buf, size_t size)
{
    const config_setting_t *chain[64];
    int n = 0;
    for (; s && !config_setting_is_root(s) && n < 64; s = s->parent)
        chain[n++] = s;
    size_t len = 0;
    buf[0] = '\0';
    for (int i = n - 1; i >= 0 && len < size; i--) {
        const char *sep = (i == n - 1) ? "" : ".";
        int w;
        if (chain[i]->name)
            w = snprintf(buf + len, size - len, "%s%s", sep, chain[i]->name);
        else
            w = snprintf(buf + len, size - len, "%s[%d]", sep,
                         config_setting_index(chain[i]));
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

/* "file:line" for a setting from the file, or the --set that made it. */
static void where(const loader *ld, const config_setting_t *s, char *buf,
                  size_t size)
{
    /* A setting made by --set carries its 1-based index as hook; so do the
     * groups --set had to create. */
    for (const config_setting_t *p = s; p; p = p->parent) {
        uintptr_t h = (uintptr_t)config_setting_get_hook(p);
        if (h) {
            snprintf(buf, size, "command line (--set %s)",
                     ld->sets[h - 1]);
            return;
        }
        if (config_setting_source_line(p))
            break;
    }
    const char *f = config_setting_source_file(s);
    snprintf(buf, size, "%s:%u", f ? f : ld->file,
             config_setting_source_line(s));
}

/* Reports an error about setting s: "<where>: <path>: <text>". */
static int fail(const loader *ld, const config_setting_t *s, const char *fmt,
                ...) __attribute__((format(printf, 3, 4)));
static int fail(const loader *ld, const config_setting_t *s, const char *fmt,
                ...)
{
    char loc[SIM_PATH_MAX + 64], path[512], text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    where(ld, s, loc, sizeof loc);
    setting_path(s, path, sizeof path);
    return sim_error(ld->err, SIM_E_SCENARIO, "%s: %s: %s", loc,
                     path[0] ? path : "(top level)", text);
}

/* Levenshtein distance, capped; for "did you mean". */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = tolower((unsigned char)a[i - 1]) !=
                       tolower((unsigned char)b[j - 1]);
            int best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Appends "; did you mean 'x'?" or the list of valid names to buf. */
static void suggest(const char *name, const char *const *valid, int n,
                    char *buf, size_t size)
{
    int best = -1, bestd = 99;
    for (int i = 0; i < n; i++) {
        int d = edit_distance(name, valid[i]);
        if (d < bestd) {
            bestd = d;
            best = i;
        }
    }
    size_t len = strlen(name);
    int limit = len <= 4 ? 1 : (len <= 8 ? 2 : 3);
    if (best >= 0 && bestd <= limit) {
        snprintf(buf, size, "; did you mean '%s'?", valid[best]);
        return;
    }
    size_t used = (size_t)snprintf(buf, size, "; valid here:");
    for (int i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, " %s", valid[i]);
}

/* ---- scalar values ---- */

static bool is_number(const config_setting_t *s)
{
    return config_setting_is_number(s);
}

static double number(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        return config_setting_get_int(s);
    case CONFIG_TYPE_INT64:
        return (double)config_setting_get_int64(s);
    default:
        return config_setting_get_float(s);
    }
}

static const char *type_word(int t)
{
    switch (t) {
    case CONFIG_TYPE_GROUP:
        return "a group";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "an integer";
    case CONFIG_TYPE_FLOAT:
        return "a float";
    case CONFIG_TYPE_STRING:
        return "a string";
    case CONFIG_TYPE_BOOL:
        return "a boolean";
    case CONFIG_TYPE_ARRAY:
        return "an array";
    case CONFIG_TYPE_LIST:
        return "a list";
    }
    return "nothing";
}

/* Checks and stores one scalar key from setting s into base. */
static int load_key(const loader *ld, const config_setting_t *s,
                    const sim_key *k, void *base)
{
    char *p = (char *)base + k->offset;
    int t = config_setting_type(s);
    switch (k->type) {
    case SIM_KEY_INT:
    case SIM_KEY_INT64:
    case SIM_KEY_FLOAT: {
        if (!is_number(s))
            return fail(ld, s, "expected a number, found %s", type_word(t));
        double v = number(s);
        if (!isfinite(v))
            return fail(ld, s, "is too large to represent (beyond about "
                               "1.8e308); allowed range [%.10g, %.10g]",
                        k->min, k->max);
        if (k->type != SIM_KEY_FLOAT && v != floor(v))
            return fail(ld, s, "must be a whole number, found %g", v);
        if (k->type == SIM_KEY_INT64 && t != CONFIG_TYPE_FLOAT) {
            /* compared as integers: doubles cannot tell 2^63 - 1 from
             * 2^63 */
            long long iv = t == CONFIG_TYPE_INT64 ? config_setting_get_int64(s)
                                                  : config_setting_get_int(s);
            if (iv < (long long)k->min)
                return fail(ld, s, "%lld is out of range [%.0f, %lld]", iv,
                            k->min, (long long)INT64_MAX);
            *(int64_t *)p = iv;
            return 0;
        }
        if (v < k->min || v > k->max)
            return fail(ld, s, "%.10g is out of range [%.10g, %.10g]", v,
                        k->min, k->max);
        if (k->type == SIM_KEY_INT)
            *(int *)p = (int)v;
        else if (k->type == SIM_KEY_INT64)
            *(int64_t *)p = (int64_t)v;
        else
            memcpy(p, &v, sizeof v);
        return 0;
    }
    case SIM_KEY_BOOL:
        if (t != CONFIG_TYPE_BOOL)
            return fail(ld, s, "expected true or false, found %s",
                        type_word(t));
        *(bool *)p = config_setting_get_bool(s) != 0;
        return 0;
    case SIM_KEY_STRING: {
        if (t != CONFIG_TYPE_STRING)
            return fail(ld, s, "expected a string in double quotes, found %s",
                        type_word(t));
        const char *v = config_setting_get_string(s);
        if (strlen(v) >= k->size)
            return fail(ld, s, "is longer than %zu characters", k->size - 1);
        memcpy(p, v, strlen(v) + 1);
        return 0;
    }
    case SIM_KEY_CHOICE: {
        if (t != CONFIG_TYPE_STRING)
            return fail(ld, s, "expected a string in double quotes, found %s",
                        type_word(t));
        const char *v = config_setting_get_string(s);
        int n = 0;
        for (; k->choices[n]; n++)
            if (strcmp(k->choices[n], v) == 0) {
                *(int *)p = n;
                return 0;
            }
        char hint[256];
        suggest(v, k->choices, n, hint, sizeof hint);
        return fail(ld, s, "unknown value \"%s\"%s", v, hint);
    }
    }
    return 0;
}

/* Checks that every member of group g is one of names[0..n); the error
 * names the first unknown member with a suggestion. */
static int check_members(const loader *ld, const config_setting_t *g,
                         const char *const *names, int n)
{
    int len = config_setting_length(g);
    for (int i = 0; i < len; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        bool ok = false;
        for (int j = 0; j < n && !ok; j++)
            ok = strcmp(m->name, names[j]) == 0;
        if (!ok) {
            char hint[512];
            suggest(m->name, names, n, hint, sizeof hint);
            return fail(ld, m, "unknown key%s", hint);
        }
    }
    return 0;
}

/* The group member `name` of g, checked to be a group; NULL if absent. */
static int get_group(const loader *ld, const config_setting_t *g,
                     const char *name, config_setting_t **out)
{
    *out = g ? config_setting_get_member(g, name) : NULL;
    if (*out && !config_setting_is_group(*out))
        return fail(ld, *out, "expected a group { ... }, found %s",
                    type_word(config_setting_type(*out)));
    return 0;
}

/* Loads a flat key table from group g (which may be NULL: all defaults),
 * rejecting members not in the table nor in extra[0..nextra). */
static int load_keys(const loader *ld, const config_setting_t *g,
                     const sim_key *keys, int nkeys, const char *const *extra,
                     int nextra, void *base)
{
    if (!g)
        return 0;
    const char *names[64];
    int n = 0;
    for (int i = 0; i < nkeys && n < 64; i++)
        names[n++] = keys[i].name;
    for (int i = 0; i < nextra && n < 64; i++)
        names[n++] = extra[i];
    int rc = check_members(ld, g, names, n);
    if (rc)
        return rc;
    for (int i = 0; i < nkeys; i++) {
        const config_setting_t *s = config_setting_get_member(g, keys[i].name);
        if (s && (rc = load_key(ld, s, &keys[i], base)))
            return rc;
    }
    return 0;
}

/* ---- shocks ---- */

static int load_shock(const loader *ld, const config_setting_t *g, int shock,
                      sim_dist *d)
{
    const config_setting_t *ds = config_setting_get_member(g, "dist");
    if (ds) {
        if (config_setting_type(ds) != CONFIG_TYPE_STRING)
            return fail(ld, ds, "expected a distribution name in quotes");
        sim_dist_type t;
        const char *name = config_setting_get_string(ds);
        if (!sim_dist_lookup(name, &t)) {
            const char *names[SIM_N_DISTS];
            for (int i = 0; i < SIM_N_DISTS; i++)
                names[i] = sim_dist_name((sim_dist_type)i);
            char hint[512];
            suggest(name, names, SIM_N_DISTS, hint, sizeof hint);
            return fail(ld, ds, "unknown distribution \"%s\"%s", name, hint);
        }
        if (t != d->type)
            *d = sim_dist_default(t);
    }
    bool stock = sim_shock_is_stock(shock);
    if (stock && d->type != SIM_DIST_BINOMIAL && d->type != SIM_DIST_BETA &&
        d->type != SIM_DIST_UNIFORM && d->type != SIM_DIST_FIXED)
        return fail(ld, ds ? ds : g,
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
            suggest(m->name, names + 1, n - 1, hint, sizeof hint);
            if (stock && d->type == SIM_DIST_BINOMIAL &&
                strcmp(m->name, "n") == 0)
                return fail(ld, m, "the number of trials of a per-prisoner "
                                   "shock is the stock; remove n");
            return fail(ld, m,
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
        if (!is_number(s))
            return fail(ld, s, "expected a number, found %s",
                        type_word(config_setting_type(s)));
        d->p[j] = number(s);
        if (!isfinite(d->p[j]) || d->p[j] < pi->min || d->p[j] > pi->max ||
            (pi->integer && d->p[j] != floor(d->p[j])))
            return fail(ld, s, "%.10g is out of range [%.10g, %.10g]%s",
                        d->p[j], pi->min, pi->max,
                        pi->integer ? " (a whole number)" : "");
    }
    const char *why;
    int bad = sim_dist_invalid(d, &why);
    if (bad >= 0)
        return fail(ld, g, "parameter %s %s",
                    sim_dist_param_info(d->type, bad)->name, why);
    if (stock) {
        double lo = 0, hi = 1;
        if (d->type == SIM_DIST_UNIFORM)
            lo = d->p[0], hi = d->p[1];
        if (d->type == SIM_DIST_FIXED)
            lo = hi = d->p[0];
        if (lo < 0 || hi > 1)
            return fail(ld, g, "a per-prisoner probability must lie in "
                               "[0, 1]");
    }
    return 0;
}

static int load_shocks(const loader *ld, const config_setting_t *root,
                       sim_scenario *sc)
{
    config_setting_t *g;
    int rc = get_group(ld, root, "shocks", &g);
    if (rc || !g)
        return rc;
    const char *names[SIM_N_SHOCKS];
    for (int i = 0; i < SIM_N_SHOCKS; i++)
        names[i] = sim_shock_name(i);
    if ((rc = check_members(ld, g, names, SIM_N_SHOCKS)))
        return rc;
    for (int i = 0; i < SIM_N_SHOCKS; i++) {
        config_setting_t *s;
        if ((rc = get_group(ld, g, names[i], &s)))
            return rc;
        if (s && (rc = load_shock(ld, s, i, &sc->shock[i])))
            return rc;
    }
    return 0;
}

/* ---- actors ---- */

static int load_model(const loader *ld, const config_setting_t *g, int actor,
                      int role, sim_model_spec *ms)
{
    const config_setting_t *m = config_setting_get_member(g, "model");
    ms->line = (int)config_setting_source_line(g);
    if (m) {
        if (config_setting_type(m) != CONFIG_TYPE_STRING)
            return fail(ld, m, "expected a model name in quotes");
        const char *name = config_setting_get_string(m);
        const sim_model_type *t = sim_model_find(name);
        if (!t) {
            const char *names[32];
            int n = 0;
            for (; n < 32 && sim_models[n]; n++)
                names[n] = sim_models[n]->name;
            char hint[256];
            suggest(name, names, n, hint, sizeof hint);
            return fail(ld, m, "unknown model \"%s\"%s", name, hint);
        }
        if (!sim_model_has_role(t, role)) {
            char can[128] = "";
            for (int r = 0; r < SIM_N_ROLES; r++)
                if (sim_model_has_role(t, r)) {
                    strcat(can, " ");
                    strcat(can, sim_role_name(r));
                }
            return fail(ld, m,
                        "model \"%s\" cannot take the %s role of %s (its "
                        "roles:%s)",
                        name, sim_role_name(role), sim_actor_name(actor),
                        can);
        }
        if (t != ms->type) {
            ms->type = t;
            sim_model_defaults(t, ms->param);
        }
    }
    static const char *const extra[] = {"model"};
    return load_keys(ld, g, ms->type->params, ms->type->nparams, extra, 1,
                     ms->param);
}

static int load_actor(const loader *ld, const config_setting_t *g, int a,
                      sim_actor_spec *as)
{
    const char *names[8 + SIM_N_ROLES];
    int n = 0;
    names[n++] = "discount";
    names[n++] = "stage_discount";
    names[n++] = "weights";
    for (int r = 0; r < SIM_N_ROLES; r++)
        if (sim_actor_has_role(a, r))
            names[n++] = sim_role_name(r);
    int len = config_setting_length(g);
    for (int i = 0; i < len; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        for (int r = 0; r < SIM_N_ROLES; r++)
            if (!sim_actor_has_role(a, r) &&
                strcmp(m->name, sim_role_name(r)) == 0) {
                char roles[128] = "";
                for (int q = 0; q < SIM_N_ROLES; q++)
                    if (sim_actor_has_role(a, q)) {
                        strcat(roles, " ");
                        strcat(roles, sim_role_name(q));
                    }
                return fail(ld, m, "%s takes no %s decision (its roles:%s)",
                            sim_actor_name(a), sim_role_name(r), roles);
            }
    }
    int rc = check_members(ld, g, names, n);
    if (rc)
        return rc;
    static const sim_key disc[] = {
        {"discount", SIM_KEY_FLOAT, offsetof(sim_actor_spec, discount), 0,
         0.99, 0, 1, NULL, NULL, "", ""},
        {"stage_discount", SIM_KEY_FLOAT,
         offsetof(sim_actor_spec, stage_discount), 0, 0.95, 0, 1, NULL, NULL,
         "", ""},
    };
    for (int i = 0; i < 2; i++) {
        const config_setting_t *s = config_setting_get_member(g, disc[i].name);
        if (s && (rc = load_key(ld, s, &disc[i], as)))
            return rc;
    }
    config_setting_t *w;
    if ((rc = get_group(ld, g, "weights", &w)))
        return rc;
    if (w) {
        const char *fn[SIM_N_FEATURES];
        for (int f = 0; f < SIM_N_FEATURES; f++)
            fn[f] = sim_feature_name(f);
        if ((rc = check_members(ld, w, fn, SIM_N_FEATURES)))
            return rc;
        for (int f = 0; f < SIM_N_FEATURES; f++) {
            const config_setting_t *s = config_setting_get_member(w, fn[f]);
            sim_key k = {fn[f], SIM_KEY_FLOAT, 0, 0, 0, -1e9, 1e9,
                         NULL,  NULL,          "", ""};
            if (s && (rc = load_key(ld, s, &k, &as->weight[f])))
                return rc;
        }
    }
    for (int r = 0; r < SIM_N_ROLES; r++) {
        config_setting_t *s;
        if (!sim_actor_has_role(a, r))
            continue;
        if ((rc = get_group(ld, g, sim_role_name(r), &s)))
            return rc;
        if (s && (rc = load_model(ld, s, a, r, &as->model[r])))
            return rc;
    }
    return 0;
}

static int load_actors(const loader *ld, const config_setting_t *root,
                       sim_scenario *sc)
{
    config_setting_t *g;
    int rc = get_group(ld, root, "actors", &g);
    if (rc || !g)
        return rc;
    const char *names[SIM_N_ACTORS];
    for (int a = 0; a < SIM_N_ACTORS; a++)
        names[a] = sim_actor_name(a);
    if ((rc = check_members(ld, g, names, SIM_N_ACTORS)))
        return rc;
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        config_setting_t *s;
        if ((rc = get_group(ld, g, names[a], &s)))
            return rc;
        if (s && (rc = load_actor(ld, s, a, &sc->actor[a])))
            return rc;
    }
    return 0;
}

/* ---- lists: instruments and calendar ---- */

static int get_list(const loader *ld, const config_setting_t *root,
                    const char *name, int max, config_setting_t **out)
{
    *out = config_setting_get_member(root, name);
    if (!*out)
        return 0;
    int t = config_setting_type(*out);
    if (t != CONFIG_TYPE_LIST &&
        !(t == CONFIG_TYPE_ARRAY && config_setting_length(*out) == 0))
        return fail(ld, *out, "expected a list ( { ... }, ... ), found %s",
                    type_word(t));
    if (config_setting_length(*out) > max)
        return fail(ld, *out, "has %d entries; at most %d are allowed",
                    config_setting_length(*out), max);
    for (int i = 0; i < config_setting_length(*out); i++) {
        const config_setting_t *e = config_setting_get_elem(*out, (unsigned)i);
        if (!config_setting_is_group(e))
            return fail(ld, e, "expected a group { ... }, found %s",
                        type_word(config_setting_type(e)));
    }
    return 0;
}

static int require(const loader *ld, const config_setting_t *g,
                   const char *key)
{
    if (!config_setting_get_member(g, key))
        return fail(ld, g, "missing required key '%s'", key);
    return 0;
}

static int load_instruments(const loader *ld, const config_setting_t *root,
                            sim_scenario *sc)
{
    config_setting_t *l;
    int rc = get_list(ld, root, "instruments", SIM_MAX_INSTRUMENTS, &l);
    if (rc || !l)
        return rc;
    sc->n_instruments = config_setting_length(l);
    for (int i = 0; i < sc->n_instruments; i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        sim_instrument_spec *in = &sc->instrument[i];
        sim_scenario_instrument_defaults(in);
        if ((rc = require(ld, g, "name")) || (rc = require(ld, g, "imposer")))
            return rc;
        if ((rc = load_keys(ld, g, sim_instrument_keys,
                            sim_n_instrument_keys, NULL, 0, in)))
            return rc;
        const config_setting_t *ns = config_setting_get_member(g, "name");
        if (!in->name[0])
            return fail(ld, ns, "must not be empty");
        for (const char *c = in->name; *c; c++)
            if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) ||
                  *c == '_'))
                return fail(ld, ns,
                            "\"%s\" must use only lower-case letters, digits "
                            "and _ (it names CSV columns)",
                            in->name);
        for (int j = 0; j < i; j++)
            if (strcmp(sc->instrument[j].name, in->name) == 0)
                return fail(ld, ns, "duplicate instrument name \"%s\"",
                            in->name);
    }
    return 0;
}

static int load_calendar(const loader *ld, const config_setting_t *root,
                         sim_scenario *sc)
{
    config_setting_t *l;
    int rc = get_list(ld, root, "calendar", SIM_MAX_EVENTS, &l);
    if (rc || !l)
        return rc;
    sc->n_events = config_setting_length(l);
    for (int i = 0; i < sc->n_events; i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        sim_event_spec *ev = &sc->event[i];
        sim_scenario_event_defaults(ev);
        if ((rc = require(ld, g, "type")) || (rc = require(ld, g, "start")))
            return rc;
        if ((rc = load_keys(ld, g, sim_event_keys, sim_n_event_keys, NULL, 0,
                            ev)))
            return rc;
        if (ev->type == SIM_EVENT_ELECTION &&
            (rc = require(ld, g, "actor")))
            return rc;
    }
    return 0;
}

/* ---- the whole tree ---- */

static int check_start(const loader *ld, const config_setting_t *root,
                       const sim_scenario *sc)
{
    int y, m;
    char tail;
    if (sscanf(sc->start, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 ||
        m > 12 || strlen(sc->start) != 7)
        return fail(ld, config_setting_get_member(root, "start"),
                    "\"%s\" is not a month of the form YYYY-MM", sc->start);
    return 0;
}

static int validate(const loader *ld, const config_setting_t *root,
                    sim_scenario *sc)
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
    int rc = check_members(ld, root, top, n);
    if (rc)
        return rc;
    for (int s = 0; s < sim_n_sections; s++) {
        config_setting_t *g = (config_setting_t *)root;
        if (sim_sections[s].path[0] &&
            (rc = get_group(ld, root, sim_sections[s].path, &g)))
            return rc;
        if (s == 0) {
            /* top-level keys: members other than the keys were checked */
            for (int i = 0; i < sim_sections[0].nkeys; i++) {
                const sim_key *k = &sim_sections[0].keys[i];
                const config_setting_t *v =
                    config_setting_get_member(root, k->name);
                if (v && (rc = load_key(ld, v, k, sc)))
                    return rc;
            }
        } else if ((rc = load_keys(ld, g, sim_sections[s].keys,
                                   sim_sections[s].nkeys, NULL, 0, sc))) {
            return rc;
        }
    }
    if ((rc = check_start(ld, root, sc)) || (rc = load_shocks(ld, root, sc)) ||
        (rc = load_actors(ld, root, sc)) ||
        (rc = load_instruments(ld, root, sc)) ||
        (rc = load_calendar(ld, root, sc)))
        return rc;
    return 0;
}

/* ---- --set KEY=VALUE ---- */

/* Parses a --set value into a new member `name` of parent (replacing any
 * old one); returns it or NULL. */
static config_setting_t *set_value(config_setting_t *parent, const char *name,
                                   int index, const char *v)
{
    int type;
    char *end;
    errno = 0;
    long long iv = strtoll(v, &end, 10);
    bool is_int = *v && *end == '\0' && errno == 0;
    errno = 0;
    double fv = strtod(v, &end);
    /* An overflowing number (1e400) stays a float, inf, so that the key's
     * check reports it as too large rather than as a string. */
    bool is_float = !is_int && *v && *end == '\0' &&
                    strpbrk(v, "0123456789") && !strpbrk(v, "xXpP");
    bool is_bool = strcmp(v, "true") == 0 || strcmp(v, "false") == 0;
    if (is_int)
        type = (iv > INT_MAX || iv < INT_MIN) ? CONFIG_TYPE_INT64
                                              : CONFIG_TYPE_INT;
    else if (is_float)
        type = CONFIG_TYPE_FLOAT;
    else if (is_bool)
        type = CONFIG_TYPE_BOOL;
    else
        type = CONFIG_TYPE_STRING;

    config_setting_t *s;
    if (index >= 0) {
        /* replacing a list element is not supported: only groups' members */
        return NULL;
    }
    if (config_setting_get_member(parent, name))
        config_setting_remove(parent, name);
    s = config_setting_add(parent, name, type);
    if (!s)
        return NULL;
    switch (type) {
    case CONFIG_TYPE_INT:
        config_setting_set_int(s, (int)iv);
        break;
    case CONFIG_TYPE_INT64:
        config_setting_set_int64(s, iv);
        break;
    case CONFIG_TYPE_FLOAT:
        config_setting_set_float(s, fv);
        break;
    case CONFIG_TYPE_BOOL:
        config_setting_set_bool(s, v[0] == 't');
        break;
    default: {
        size_t len = strlen(v);
        if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
            char buf[SIM_TEXT_MAX];
            snprintf(buf, sizeof buf, "%.*s", (int)(len - 2), v + 1);
            config_setting_set_string(s, buf);
        } else {
            config_setting_set_string(s, v);
        }
    }
    }
    return s;
}

/* Applies the i-th --set ("a.b.c=value") to the tree. */
static int apply_set(const loader *ld, config_t *cfg, int i)
{
    const char *arg = ld->sets[i];
    const char *eq = strchr(arg, '=');
    uintptr_t hook = (uintptr_t)i + 1;
    if (!eq || eq == arg)
        return sim_error(ld->err, SIM_E_SCENARIO,
                         "command line (--set %s): expected KEY=VALUE, for "
                         "example actors.minsk.discount=0.9",
                         arg);
    char path[SIM_PATH_MAX];
    size_t plen = (size_t)(eq - arg);
    if (plen >= sizeof path)
        return sim_error(ld->err, SIM_E_SCENARIO,
                         "command line (--set %.40s...): key too long", arg);
    memcpy(path, arg, plen);
    path[plen] = '\0';

    config_setting_t *cur = config_root_setting(cfg);
    char *save = NULL;
    char *seg = strtok_r(path, ".", &save);
    while (seg) {
        char *next = strtok_r(NULL, ".", &save);
        int idx = -1;
        if (seg[0] == '[') {
            char *end;
            long v = strtol(seg + 1, &end, 10);
            if (*end != ']' || end[1] || v < 0)
                return sim_error(ld->err, SIM_E_SCENARIO,
                                 "command line (--set %s): bad list index "
                                 "'%s' (write instruments.[0].value)",
                                 arg, seg);
            idx = (int)v;
        } else {
            for (const char *c = seg; *c; c++)
                if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-' ||
                      *c == '*'))
                    return sim_error(ld->err, SIM_E_SCENARIO,
                                     "command line (--set %s): '%s' is not a "
                                     "key name",
                                     arg, seg);
        }
        if (idx >= 0) {
            if (!config_setting_is_list(cur) && !config_setting_is_array(cur))
                return sim_error(ld->err, SIM_E_SCENARIO,
                                 "command line (--set %s): [%d] needs a list "
                                 "in the scenario before it",
                                 arg, idx);
            if (idx >= config_setting_length(cur))
                return sim_error(ld->err, SIM_E_SCENARIO,
                                 "command line (--set %s): the list has %d "
                                 "%s; [%d] is not one of them (the first "
                                 "is [0])",
                                 arg, config_setting_length(cur),
                                 config_setting_length(cur) == 1 ? "entry"
                                                                 : "entries",
                                 idx);
            if (!next)
                return sim_error(ld->err, SIM_E_SCENARIO,
                                 "command line (--set %s): set a key inside "
                                 "the entry, not the whole entry",
                                 arg);
            cur = config_setting_get_elem(cur, (unsigned)idx);
        } else if (!next) {
            if (!config_setting_is_group(cur))
                return sim_error(ld->err, SIM_E_SCENARIO,
                                 "command line (--set %s): the parent of '%s' "
                                 "is not a group",
                                 arg, seg);
            config_setting_t *s = set_value(cur, seg, -1, eq + 1);
            if (!s)
                return sim_error(ld->err, SIM_E_SCENARIO,
                                 "command line (--set %s): cannot set '%s'",
                                 arg, seg);
            config_setting_set_hook(s, (void *)hook);
        } else {
            if (config_setting_is_list(cur))
                return sim_error(ld->err, SIM_E_SCENARIO,
                                 "command line (--set %s): '%s' is a list; "
                                 "name its entries by index, e.g. "
                                 "%s.[0].%s",
                                 arg, config_setting_name(cur)
                                          ? config_setting_name(cur)
                                          : "the list",
                                 config_setting_name(cur)
                                     ? config_setting_name(cur)
                                     : "list",
                                 next);
            if (!config_setting_is_group(cur))
                return sim_error(ld->err, SIM_E_SCENARIO,
                                 "command line (--set %s): '%s' is inside a "
                                 "value that is not a group",
                                 arg, seg);
            config_setting_t *g = config_setting_get_member(cur, seg);
            if (!g && next[0] == '[')
                return sim_error(ld->err, SIM_E_SCENARIO,
                                 "command line (--set %s): the scenario has "
                                 "no list '%s', so it has no entry %s",
                                 arg, seg, next);
            if (!g) {
                g = config_setting_add(cur, seg, CONFIG_TYPE_GROUP);
                if (!g)
                    return sim_error(ld->err, SIM_E_SCENARIO,
                                     "command line (--set %s): cannot create "
                                     "'%s'",
                                     arg, seg);
                config_setting_set_hook(g, (void *)hook);
            }
            cur = g;
        }
        seg = next;
    }
    return 0;
}

static int load_config(sim_scenario *sc, config_t *cfg, const char *label,
                       const char *const *sets, int nsets, sim_err *err)
{
    loader ld = {label, sets, nsets, err};
    int rc = 0;
    if (nsets > SIM_MAX_SETS)
        return sim_error(err, SIM_E_USAGE, "at most %d --set options",
                         SIM_MAX_SETS);
    for (int i = 0; i < nsets; i++)
        if ((rc = apply_set(&ld, cfg, i)))
            return rc;
    sim_scenario_defaults(sc);
    if ((rc = validate(&ld, config_root_setting(cfg), sc)))
        return rc;
    if (!sc->name[0]) {
        /* default name: the file name without directory and .cfg */
        const char *base = strrchr(label, '/');
        base = base ? base + 1 : label;
        size_t len = strcspn(base, ".");
        if (len >= sizeof sc->name)
            len = sizeof sc->name - 1;
        memcpy(sc->name, base, len);
        sc->name[len] = '\0';
    }
    if (!sc->name[0] || sc->name[0] == '.') {
        const config_setting_t *ns =
            config_setting_get_member(config_root_setting(cfg), "name");
        return fail(&ld, ns ? ns : config_root_setting(cfg),
                    "the scenario name \"%s\" cannot name an output "
                    "directory (empty, or starting with '.'); set name = "
                    "\"...\"",
                    sc->name);
    }
    for (const char *c = sc->name; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-' ||
              *c == '.'))
            return fail(&ld, config_setting_get_member(
                                 config_root_setting(cfg), "name")
                                 ? config_setting_get_member(
                                       config_root_setting(cfg), "name")
                                 : config_root_setting(cfg),
                        "\"%s\" must use only letters, digits, '.', '-' and "
                        "'_' (it names the output directory)",
                        sc->name);
    snprintf(sc->file, sizeof sc->file, "%s", label);
    sc->n_sets = nsets;
    for (int i = 0; i < nsets; i++) {
        const char *eq = strchr(sets[i], '=');
        snprintf(sc->set[i].key, sizeof sc->set[i].key, "%.*s",
                 (int)(eq - sets[i]), sets[i]);
        snprintf(sc->set[i].value, sizeof sc->set[i].value, "%s", eq + 1);
    }
    return 0;
}

static int parse_error(const config_t *cfg, const char *label, sim_err *err)
{
    const char *f = config_error_file(cfg);
    const char *text = config_error_text(cfg);
    /* libconfig's parser says only "syntax error", and at the line where it
     * gave up, which may be after the slip: say what to look for. */
    if (text && strcmp(text, "syntax error") == 0)
        return sim_error(err, SIM_E_SCENARIO,
                         "%s:%d: syntax error (look on this line or above "
                         "for a missing '=', a missing ',' between list "
                         "entries, a string without double quotes, or an "
                         "unclosed brace, parenthesis or quote)",
                         f ? f : label, config_error_line(cfg));
    if (text && strcmp(text, "duplicate setting name") == 0)
        return sim_error(err, SIM_E_SCENARIO,
                         "%s:%d: a key on this line is already set earlier "
                         "in the same group (each key may appear once)",
                         f ? f : label, config_error_line(cfg));
    return sim_error(err, SIM_E_SCENARIO, "%s:%d: syntax error: %s",
                     f ? f : label, config_error_line(cfg),
                     text ? text : "unknown");
}

int sim_scenario_load(sim_scenario *sc, const char *path,
                      const char *const *sets, int nsets, sim_err *err)
{
    config_t cfg;
    FILE *f = fopen(path, "r");
    if (!f)
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: cannot read the scenario file: %s", path,
                         strerror(errno));
    fclose(f);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: is a directory or device, not a scenario file",
                         path);
    config_init(&cfg);
    /* Include directives resolve relative to the scenario's folder. */
    char dir[SIM_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        config_set_include_dir(&cfg, dir);
    }
    int rc;
    if (config_read_file(&cfg, path) != CONFIG_TRUE)
        rc = parse_error(&cfg, path, err);
    else
        rc = load_config(sc, &cfg, path, sets, nsets, err);
    config_destroy(&cfg);
    return rc;
}

int sim_scenario_load_string(sim_scenario *sc, const char *text,
                             const char *label, const char *const *sets,
                             int nsets, sim_err *err)
{
    config_t cfg;
    config_init(&cfg);
    int rc;
    if (config_read_string(&cfg, text) != CONFIG_TRUE)
        rc = parse_error(&cfg, label, err);
    else
        rc = load_config(sc, &cfg, label, sets, nsets, err);
    config_destroy(&cfg);
    return rc;
}
