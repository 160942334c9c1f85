/* config_util.c - checking libconfig settings against the schema's key
 * tables, and error messages that name the file, line and dotted key (or
 * the --set that made a setting). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config_util_impl.h"
#include <sanctionsim/suggest.h>

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
static void where(const sim_loader *ld, const config_setting_t *s, char *buf,
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

int sim_cfg_fail(const sim_loader *ld, const config_setting_t *s,
                 const char *fmt, ...)
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

void sim_cfg_where(const sim_loader *ld, const config_setting_t *s,
                   char *loc, size_t lsize, char *path, size_t psize)
{
    where(ld, s, loc, lsize);
    setting_path(s, path, psize);
}

bool sim_cfg_is_number(const config_setting_t *s)
{
    return config_setting_is_number(s);
}

double sim_cfg_number(const config_setting_t *s)
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

const char *sim_cfg_type_word(int t)
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
int sim_cfg_load_key(const sim_loader *ld, const config_setting_t *s,
                     const sim_key *k, void *base)
{
    char *p = (char *)base + k->offset;
    int t = config_setting_type(s);
    switch (k->type) {
    case SIM_KEY_INT:
    case SIM_KEY_INT64:
    case SIM_KEY_FLOAT: {
        if (!sim_cfg_is_number(s))
            return sim_cfg_fail(ld, s, "expected a number, found %s",
                                sim_cfg_type_word(t));
        double v = sim_cfg_number(s);
        if (!isfinite(v))
            return sim_cfg_fail(ld, s,
                                "is too large to represent (beyond about "
                                "1.8e308); allowed range [%.10g, %.10g]",
                                k->min, k->max);
        if (k->type != SIM_KEY_FLOAT && v != floor(v))
            return sim_cfg_fail(ld, s, "must be a whole number, found %g", v);
        if (k->type == SIM_KEY_INT64 && t != CONFIG_TYPE_FLOAT) {
            /* compared as integers: doubles cannot tell 2^63 - 1 from
             * 2^63 */
            long long iv = t == CONFIG_TYPE_INT64 ? config_setting_get_int64(s)
                                                  : config_setting_get_int(s);
            if (iv < (long long)k->min)
                return sim_cfg_fail(ld, s, "%lld is out of range [%.0f, %lld]",
                                    iv, k->min, (long long)INT64_MAX);
            *(int64_t *)p = iv;
            return 0;
        }
        if (v < k->min || v > k->max)
            return sim_cfg_fail(ld, s, "%.10g is out of range [%.10g, %.10g]",
                                v, k->min, k->max);
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
            return sim_cfg_fail(ld, s, "expected true or false, found %s",
                                sim_cfg_type_word(t));
        *(bool *)p = config_setting_get_bool(s) != 0;
        return 0;
    case SIM_KEY_STRING: {
        if (t != CONFIG_TYPE_STRING)
            return sim_cfg_fail(ld, s,
                                "expected a string in double quotes, found %s",
                                sim_cfg_type_word(t));
        const char *v = config_setting_get_string(s);
        if (strlen(v) >= k->size)
            return sim_cfg_fail(ld, s, "is longer than %zu characters",
                                k->size - 1);
        memcpy(p, v, strlen(v) + 1);
        return 0;
    }
    case SIM_KEY_CHOICE: {
        if (t != CONFIG_TYPE_STRING)
            return sim_cfg_fail(ld, s,
                                "expected a string in double quotes, found %s",
                                sim_cfg_type_word(t));
        const char *v = config_setting_get_string(s);
        int n = 0;
        for (; k->choices[n]; n++)
            if (strcmp(k->choices[n], v) == 0) {
                *(int *)p = n;
                return 0;
            }
        char hint[256];
        sim_suggest(v, k->choices, n, hint, sizeof hint);
        return sim_cfg_fail(ld, s, "unknown value \"%s\"%s", v, hint);
    }
    }
    return 0;
}

const config_setting_t *sim_cfg_first_unknown(const config_setting_t *g,
                                              const char *const *names, int n)
{
    int len = config_setting_length(g);
    for (int i = 0; i < len; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        bool ok = false;
        for (int j = 0; j < n && !ok; j++)
            ok = strcmp(m->name, names[j]) == 0;
        if (!ok)
            return m;
    }
    return NULL;
}

/* Checks that every member of group g is one of names[0..n); the error
 * names the first unknown member with a suggestion. */
int sim_cfg_check_members(const sim_loader *ld, const config_setting_t *g,
                          const char *const *names, int n)
{
    const config_setting_t *m = sim_cfg_first_unknown(g, names, n);
    if (!m)
        return 0;
    char hint[512];
    sim_suggest(m->name, names, n, hint, sizeof hint);
    return sim_cfg_fail(ld, m, "unknown key%s", hint);
}

/* The group member `name` of g, checked to be a group; NULL if absent. */
int sim_cfg_get_group(const sim_loader *ld, const config_setting_t *g,
                      const char *name, config_setting_t **out)
{
    *out = g ? config_setting_get_member(g, name) : NULL;
    if (*out && !config_setting_is_group(*out))
        return sim_cfg_fail(ld, *out, "expected a group { ... }, found %s",
                            sim_cfg_type_word(config_setting_type(*out)));
    return 0;
}

/* Loads a flat key table from group g (which may be NULL: all defaults),
 * rejecting members not in the table nor in extra[0..nextra). */
int sim_cfg_load_keys(const sim_loader *ld, const config_setting_t *g,
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
    int rc = sim_cfg_check_members(ld, g, names, n);
    if (rc)
        return rc;
    for (int i = 0; i < nkeys; i++) {
        const config_setting_t *s = config_setting_get_member(g, keys[i].name);
        if (s && (rc = sim_cfg_load_key(ld, s, &keys[i], base)))
            return rc;
    }
    return 0;
}

int sim_cfg_get_list(const sim_loader *ld, const config_setting_t *root,
                     const char *name, int max, config_setting_t **out)
{
    *out = config_setting_get_member(root, name);
    if (!*out)
        return 0;
    int t = config_setting_type(*out);
    if (t != CONFIG_TYPE_LIST &&
        !(t == CONFIG_TYPE_ARRAY && config_setting_length(*out) == 0))
        return sim_cfg_fail(ld, *out,
                            "expected a list ( { ... }, ... ), found %s",
                            sim_cfg_type_word(t));
    if (config_setting_length(*out) > max)
        return sim_cfg_fail(ld, *out, "has %d entries; at most %d are allowed",
                            config_setting_length(*out), max);
    for (int i = 0; i < config_setting_length(*out); i++) {
        const config_setting_t *e = config_setting_get_elem(*out, (unsigned)i);
        if (!config_setting_is_group(e))
            return sim_cfg_fail(ld, e, "expected a group { ... }, found %s",
                                sim_cfg_type_word(config_setting_type(e)));
    }
    return 0;
}

int sim_cfg_require(const sim_loader *ld, const config_setting_t *g,
                    const char *key)
{
    if (!config_setting_get_member(g, key))
        return sim_cfg_fail(ld, g, "missing required key '%s'", key);
    return 0;
}

void sim_cfg_key_label(const char *key, char *name, size_t size)
{
    size_t n = 0;
    for (const char *c = key; *c && n + 1 < size; c++) {
        if (*c == '[') {
            const char *eq = strchr(c, '='), *end = strchr(c, ']');
            if (eq && end && eq < end)
                c = eq;
            continue;
        }
        if (*c == ']' || *c == '"')
            continue;
        name[n++] = *c;
    }
    name[n] = '\0';
}
