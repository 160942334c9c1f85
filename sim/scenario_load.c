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
#include "problem.h"
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

/* Appends " word" to the string in buf[size], truncating if it is full. */
static void append_word(char *buf, size_t size, const char *word)
{
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, " %s", word);
}

/* "file:line" for a setting from the file, or the --set that made it. */
static void where(const loader *ld, const config_setting_t *s, char *buf,
                  size_t size)
{
    if (!s) {
        snprintf(buf, size, "%s", ld->file);
        return;
    }
    /* A setting made by --set carries that --set's text as hook; so do the
     * groups --set had to create. */
    for (const config_setting_t *p = s; p; p = p->parent) {
        const char *h = config_setting_get_hook(p);
        if (h) {
            snprintf(buf, size, "command line (--set %s)", h);
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
            const char *names[SIM_MAX_MODELS];
            int n = 0;
            for (; n < SIM_MAX_MODELS && sim_models[n]; n++)
                names[n] = sim_models[n]->name;
            char hint[256];
            suggest(name, names, n, hint, sizeof hint);
            return fail(ld, m, "unknown model \"%s\"%s", name, hint);
        }
        if (!sim_model_has_role(t, role)) {
            char can[128] = "";
            for (int r = 0; r < SIM_N_ROLES; r++)
                if (sim_model_has_role(t, r))
                    append_word(can, sizeof can, sim_role_name(r));
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
        /* A model switched with --set (e.g. --set
         * actors.poland.border.model=qre) leaves the file's parameters of
         * the old model behind: they belong to the model being replaced,
         * so they are dropped, not reported. Parameters given with --set
         * are still checked. */
        if (config_setting_get_hook(m)) {
            config_setting_t *grp = (config_setting_t *)g;
            for (int i = config_setting_length(grp) - 1; i >= 0; i--) {
                config_setting_t *e =
                    config_setting_get_elem(grp, (unsigned)i);
                bool known = strcmp(e->name, "model") == 0;
                for (int k = 0; k < t->nparams && !known; k++)
                    known = strcmp(e->name, t->params[k].name) == 0;
                if (!known && !config_setting_get_hook(e))
                    config_setting_remove_elem(grp, (unsigned)i);
            }
        }
    }
    static const char *const extra[] = {"model"};
    int rc = load_keys(ld, g, ms->type->params, ms->type->nparams, extra, 1,
                       ms->param);
    if (rc || !ms->type->init)
        return rc;
    /* The model's own checks of its parameters (e.g. bayesian's prior
     * weights) run now, on a scratch state, so that `check` reports them
     * with the file and line. */
    void *scratch = ms->type->state_size ? calloc(1, ms->type->state_size)
                                         : NULL;
    if (ms->type->state_size && !scratch)
        return sim_error(ld->err, SIM_E_NOMEM, "out of memory");
    sim_err merr = {0};
    rc = ms->type->init(scratch, ms->param, &merr);
    free(scratch);
    if (rc)
        return fail(ld, g, "%s", merr.msg);
    return 0;
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
                    if (sim_actor_has_role(a, q))
                        append_word(roles, sizeof roles, sim_role_name(q));
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
    /* The hook marks the settings this --set made (see where()); libconfig
     * only stores it, so casting away const is safe. */
    void *hook = (void *)arg;
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
            config_setting_t *e = config_setting_get_elem(cur, (unsigned)idx);
            if (!next) {
                /* A number in a list, e.g. game.payoffs.[0].[1]=5. libconfig
                 * cannot insert into a list, so the element's value is
                 * replaced in place (config_setting_t is public). */
                char *end;
                double v = strtod(eq + 1, &end);
                if (!config_setting_is_number(e) || !eq[1] || *end ||
                    !isfinite(v))
                    return sim_error(ld->err, SIM_E_SCENARIO,
                                     "command line (--set %s): only a "
                                     "number in a list can be set this way; "
                                     "for an entry's keys write e.g. "
                                     "instruments.[0].value",
                                     arg);
                e->type = CONFIG_TYPE_FLOAT;
                e->value.fval = v;
                config_setting_set_hook(e, (void *)hook);
                return 0;
            }
            cur = e;
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
            config_setting_set_hook(s, hook);
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
                config_setting_set_hook(g, hook);
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

/* libconfig 1.5 opens an @include target with fopen and reads it with
 * flex: for a directory the read fails and flex's fatal-error handler exits
 * the process ("input in flex scanner failed"), and a FIFO or a terminal
 * blocks. So every `@include "file"` line of `in` (the directive starts a
 * line) is checked before libconfig reads the text, and so are the lines of
 * the files it includes, as deep as libconfig nests them (10). A path is
 * resolved as libconfig resolves it: joined to dir, the include directory,
 * if there is one (even an absolute path), else as it is. Returns 0, or
 * SIM_E_SCENARIO naming label and line if a target exists but is not a
 * regular file; a target that does not exist is left to libconfig's
 * "cannot open include file". */
static int check_includes(FILE *in, const char *label, const char *dir,
                          int depth, sim_err *err)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    for (unsigned lineno = 1; rc == 0 && getline(&line, &cap, in) != -1;
         lineno++) {
        const char *p = line + strspn(line, " \t");
        if (strncmp(p, "@include", 8) != 0)
            continue;
        p += 8;
        p += strspn(p, " \t");
        const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
        if (!end)
            continue; /* not a file name: libconfig's syntax error */
        p++;
        int len = (int)(end - p);
        char path[SIM_PATH_MAX];
        int w = dir ? snprintf(path, sizeof path, "%s/%.*s", dir, len, p)
                    : snprintf(path, sizeof path, "%.*s", len, p);
        struct stat st;
        if (w < 0 || (size_t)w >= sizeof path || stat(path, &st) != 0)
            continue;
        if (!S_ISREG(st.st_mode)) {
            rc = sim_error(err, SIM_E_SCENARIO,
                           "%s:%u: @include \"%.*s\": %s is a directory or "
                           "device, not a scenario file",
                           label, lineno, len, p, path);
        } else if (depth + 1 < 10) {
            FILE *f = fopen(path, "r");
            if (f) {
                rc = check_includes(f, path, dir, depth + 1, err);
                fclose(f);
            }
        }
    }
    free(line);
    return rc;
}

/* check_includes on a string (labelled label); includes resolve against
 * the working directory, as libconfig's config_read_string does. */
static int check_includes_text(const char *text, const char *label,
                               sim_err *err)
{
    if (!text[0])
        return 0;
    /* fmemopen does not write to the buffer in mode "r" */
    FILE *in = fmemopen((void *)text, strlen(text), "r");
    if (!in)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    int rc = check_includes(in, label, NULL, 0, err);
    fclose(in);
    return rc;
}

/* Opens path for reading if it is a regular file. stat comes first:
 * opening a FIFO would block, and libconfig's scanner exits on a
 * directory. */
static int open_regular(const char *path, FILE **f, sim_err *err)
{
    struct stat st;
    *f = NULL;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: is a directory or device, not a scenario file",
                         path);
    *f = fopen(path, "r");
    if (!*f)
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: cannot read the scenario file: %s", path,
                         SIM_ERRNO_TEXT(errno));
    return 0;
}

int sim_scenario_load(sim_scenario *sc, const char *path,
                      const char *const *sets, int nsets, sim_err *err)
{
    config_t cfg;
    FILE *f = NULL;
    int orc = open_regular(path, &f, err);
    if (orc)
        return orc;
    /* Include directives resolve relative to the scenario's folder. */
    char dir[SIM_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int rc = check_includes(f, path, slash ? dir : NULL, 0, err);
    fclose(f);
    if (rc)
        return rc;
    config_init(&cfg);
    if (slash)
        config_set_include_dir(&cfg, dir);
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
    int rc = check_includes_text(text, label, err);
    if (rc)
        return rc;
    config_init(&cfg);
    if (config_read_string(&cfg, text) != CONFIG_TRUE)
        rc = parse_error(&cfg, label, err);
    else
        rc = load_config(sc, &cfg, label, sets, nsets, err);
    config_destroy(&cfg);
    return rc;
}


/* ---- problems for `solve`: normal-form games and Nash problems ---- */

/* Reads a list of strings of length 1..max into names[][SIM_NFG_NAME_MAX]. */
static int load_names(const loader *ld, const config_setting_t *l, int max,
                      char (*names)[SIM_NFG_NAME_MAX], int *n,
                      const char *what)
{
    int t = config_setting_type(l);
    if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
        return fail(ld, l, "expected a list of %s names ( \"a\", \"b\" ), "
                           "found %s",
                    what, type_word(t));
    int len = config_setting_length(l);
    if (len < 1 || len > max)
        return fail(ld, l, "needs 1 to %d %s names, found %d", max, what,
                    len);
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return fail(ld, e, "expected a %s name in double quotes", what);
        const char *s = config_setting_get_string(e);
        if (!s[0] || strlen(s) >= SIM_NFG_NAME_MAX)
            return fail(ld, e, "a %s name must have 1 to %d characters",
                        what, SIM_NFG_NAME_MAX - 1);
        for (int j = 0; j < i; j++)
            if (strcmp(names[j], s) == 0)
                return fail(ld, e, "duplicate %s name \"%s\"", what, s);
        memcpy(names[i], s, strlen(s) + 1);
    }
    *n = len;
    return 0;
}

static int load_game(const loader *ld, const config_setting_t *g,
                     sim_nfg *game, sim_err *err)
{
    static const char *const keys[] = {"title", "players", "strategies",
                                       "payoffs"};
    int rc = check_members(ld, g, keys, 4);
    if (rc)
        return rc;
    const config_setting_t *title = config_setting_get_member(g, "title");
    if (title) {
        if (config_setting_type(title) != CONFIG_TYPE_STRING)
            return fail(ld, title, "expected a string in double quotes");
        snprintf(game->title, sizeof game->title, "%s",
                 config_setting_get_string(title));
    }
    for (int i = 1; i < 4; i++)
        if ((rc = require(ld, g, keys[i])))
            return rc;
    const config_setting_t *pl = config_setting_get_member(g, "players");
    if ((rc = load_names(ld, pl, SIM_NFG_MAX_PLAYERS, game->player,
                         &game->nplayers, "player")))
        return rc;
    const config_setting_t *st = config_setting_get_member(g, "strategies");
    if (config_setting_type(st) != CONFIG_TYPE_LIST ||
        config_setting_length(st) != game->nplayers)
        return fail(ld, st,
                    "expected a list of %d strategy lists, one per player",
                    game->nplayers);
    for (int i = 0; i < game->nplayers; i++)
        if ((rc = load_names(
                 ld, config_setting_get_elem(st, (unsigned)i),
                 SIM_NFG_MAX_STRATEGIES, game->strategy[i], &game->nstrat[i],
                 "strategy")))
            return rc;
    if ((rc = sim_nfg_alloc(game, err)))
        return rc;
    const config_setting_t *pay = config_setting_get_member(g, "payoffs");
    int t = config_setting_type(pay);
    if ((t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY) ||
        (size_t)config_setting_length(pay) != game->nprofiles)
        return fail(ld, pay,
                    "expected a list of %zu payoff entries, one per pure "
                    "profile (player 0's strategy varying fastest), each "
                    "( u_0, ..., u_%d )",
                    game->nprofiles, game->nplayers - 1);
    for (size_t k = 0; k < game->nprofiles; k++) {
        const config_setting_t *e =
            config_setting_get_elem(pay, (unsigned)k);
        int et = config_setting_type(e);
        if ((et != CONFIG_TYPE_LIST && et != CONFIG_TYPE_ARRAY) ||
            config_setting_length(e) != game->nplayers)
            return fail(ld, e, "expected %d payoffs ( u_0, ... ), one per "
                               "player",
                        game->nplayers);
        for (int i = 0; i < game->nplayers; i++) {
            const config_setting_t *v =
                config_setting_get_elem(e, (unsigned)i);
            if (!is_number(v) || !isfinite(number(v)) ||
                fabs(number(v)) > 1e12)
                return fail(ld, v, "a payoff must be a finite number of at "
                                   "most 1e12 in size");
            game->payoff[k * (size_t)game->nplayers + (size_t)i] = number(v);
        }
    }
    return 0;
}

static int load_nash(const loader *ld, const config_setting_t *g,
                     sim_problem *p)
{
    static const sim_key keys[] = {
        {"a1", SIM_KEY_FLOAT, offsetof(sim_problem, nash.a1), 0, 1, 0, 1e6,
         NULL, NULL, "", "exponent of player 1's utility x^a1"},
        {"a2", SIM_KEY_FLOAT, offsetof(sim_problem, nash.a2), 0, 1, 0, 1e6,
         NULL, NULL, "", "exponent of player 2's utility (1-x)^a2"},
        {"power", SIM_KEY_FLOAT, offsetof(sim_problem, nash.power), 0, 0.5,
         0, 1, NULL, NULL, "", "player 1's bargaining power b"},
    };
    p->nash.a1 = p->nash.a2 = 1.0;
    p->nash.power = 0.5;
    return load_keys(ld, g, keys, 3, NULL, 0, p);
}

static int load_problem(sim_problem *p, config_t *cfg, const char *label,
                        const char *const *sets, int nsets, sim_err *err)
{
    loader ld = {label, sets, nsets, err};
    const config_setting_t *root = config_root_setting(cfg);
    const config_setting_t *game = config_setting_get_member(root, "game");
    const config_setting_t *nash = config_setting_get_member(root, "nash");
    if (!game && !nash) {
        p->kind = SIM_PROBLEM_SCENARIO;
        return 0;
    }
    int rc;
    for (int i = 0; i < nsets; i++)
        if ((rc = apply_set(&ld, cfg, i)))
            return rc;
    static const char *const top[] = {"name", "description", "game", "nash"};
    if ((rc = check_members(&ld, root, top, 4)))
        return rc;
    if (game && nash)
        return fail(&ld, nash, "a file holds either a game or a nash "
                               "problem, not both");
    const config_setting_t *name = config_setting_get_member(root, "name");
    if (name) {
        if (config_setting_type(name) != CONFIG_TYPE_STRING)
            return fail(&ld, name, "expected a string in double quotes");
        snprintf(p->name, sizeof p->name, "%s",
                 config_setting_get_string(name));
    }
    const config_setting_t *g = game ? game : nash;
    if (!config_setting_is_group(g))
        return fail(&ld, g, "expected a group { ... }, found %s",
                    type_word(config_setting_type(g)));
    if (game) {
        p->kind = SIM_PROBLEM_GAME;
        return load_game(&ld, game, &p->game, err);
    }
    p->kind = SIM_PROBLEM_NASH;
    return load_nash(&ld, nash, p);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int sim_problem_load(sim_problem *p, const char *path,
                     const char *const *sets, int nsets, sim_err *err)
{
    memset(p, 0, sizeof *p);
    if (has_suffix(path, ".nfg")) {
        if (nsets)
            return sim_error(err, SIM_E_USAGE,
                             "--set applies to scenario files, not to the "
                             "Gambit file %s",
                             path);
        p->kind = SIM_PROBLEM_GAME;
        snprintf(p->name, sizeof p->name, "%s", path);
        return sim_nfg_read_file(path, &p->game, err);
    }
    FILE *f = NULL;
    int rc = open_regular(path, &f, err);
    if (rc)
        return rc;
    rc = check_includes(f, path, NULL, 0, err); /* no include dir set */
    fclose(f);
    if (rc)
        return rc;
    config_t cfg;
    config_init(&cfg);
    if (config_read_file(&cfg, path) != CONFIG_TRUE)
        rc = parse_error(&cfg, path, err);
    else
        rc = load_problem(p, &cfg, path, sets, nsets, err);
    config_destroy(&cfg);
    if (rc)
        sim_problem_free(p);
    return rc;
}

int sim_problem_load_string(sim_problem *p, const char *text,
                            const char *label, const char *const *sets,
                            int nsets, sim_err *err)
{
    memset(p, 0, sizeof *p);
    config_t cfg;
    int rc = check_includes_text(text, label, err);
    if (rc)
        return rc;
    config_init(&cfg);
    if (config_read_string(&cfg, text) != CONFIG_TRUE)
        rc = parse_error(&cfg, label, err);
    else
        rc = load_problem(p, &cfg, label, sets, nsets, err);
    config_destroy(&cfg);
    if (rc)
        sim_problem_free(p);
    return rc;
}

void sim_problem_free(sim_problem *p)
{
    sim_nfg_free(&p->game);
}
