/* set_override.c - `--set KEY=VALUE`: a command-line override written
 * into the libconfig tree before the tree is checked, so that an override
 * is checked exactly like the file's own value (and reported as the --set
 * that made it); a VALUE in square brackets is a list (`offers`). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_util_impl.h"
#include <sanctionsim/suggest.h>

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
    bool is_float = !is_int && *v && *end == '\0' && strpbrk(v, "0123456789") &&
                    !strpbrk(v, "xXpP");
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
            /* the whole string, however long: the key's check refuses
             * one longer than the key allows */
            char *buf = malloc(len - 1);
            if (!buf)
                return NULL;
            memcpy(buf, v + 1, len - 2);
            buf[len - 2] = '\0';
            config_setting_set_string(s, buf);
            free(buf);
        } else {
            config_setting_set_string(s, v);
        }
    }
    }
    return s;
}

/* The hook marks the settings a --set made (see config_util.c's where());
 * libconfig only stores it, so casting away const is safe. */
static void mark(config_setting_t *s, const char *arg)
{
    config_setting_set_hook(s, (void *)arg);
}

/* Checks one segment of the key of --set arg: "[n]" sets *idx = n, a key
 * name *idx = -1. A selector "[key=value]" is resolved by the caller
 * (select_entry) before this is called. */
static int parse_segment(const char *arg, const char *seg, int *idx,
                         sim_err *err)
{
    *idx = -1;
    if (seg[0] == '[') {
        char *end;
        long v = strtol(seg + 1, &end, 10);
        if (*end != ']' || end[1] || v < 0 || v > INT_MAX || end == seg + 1)
            return sim_error(err, SIM_E_SCENARIO,
                             "command line (--set %s): bad list index "
                             "'%s' (write instruments.[0].value or "
                             "instruments.[name=\"us_potash\"].value)",
                             arg, seg);
        *idx = (int)v;
        return 0;
    }
    for (const char *c = seg; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-' ||
              *c == '*'))
            return sim_error(err, SIM_E_SCENARIO,
                             "command line (--set %s): '%s' is not a key "
                             "name",
                             arg, seg);
    return 0;
}

/* Splits the selector segment "[key=value]" or "[key=\"value\"]" into
 * key[ksize] and value[vsize]; returns false if seg is not one. */
static bool split_selector(const char *seg, char *key, size_t ksize,
                           char *value, size_t vsize)
{
    size_t len = strlen(seg);
    const char *eq = strchr(seg, '=');
    if (seg[0] != '[' || len < 4 || seg[len - 1] != ']' || !eq || eq == seg + 1)
        return false;
    const char *v = eq + 1;
    size_t vlen = (size_t)(seg + len - 1 - v);
    if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
        v++;
        vlen -= 2;
    }
    if (vlen == 0 || (size_t)(eq - seg - 1) >= ksize || vlen >= vsize)
        return false;
    snprintf(key, ksize, "%.*s", (int)(eq - seg - 1), seg + 1);
    snprintf(value, vsize, "%.*s", (int)vlen, v);
    return true;
}

/* Resolves the selector seg ("[name=us_potash]") against the list l: *idx
 * becomes the index of the entry whose string member key equals the
 * value. No such entry: an error naming the list and the key, with the
 * closest of the entries' values ("did you mean"). */
static int select_entry(const config_setting_t *l, const char *seg,
                        const char *arg, int *idx, sim_err *err)
{
    char key[SIM_NAME_MAX], value[SIM_NAME_MAX];
    const char *list = config_setting_name(l);
    if (!split_selector(seg, key, sizeof key, value, sizeof value))
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): bad entry selector '%s' "
                         "(write %s.[name=\"us_potash\"])",
                         arg, seg, list ? list : "instruments");
    if (!config_setting_is_list(l))
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): %s needs a list in the "
                         "scenario before it",
                         arg, seg);
    /* The values the entries have, for the suggestion. */
    const char *names[SIM_MAX_INSTRUMENTS + SIM_MAX_EVENTS];
    int n = 0, len = config_setting_length(l);
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        const char *v = NULL;
        if (!config_setting_is_group(e) ||
            !config_setting_lookup_string(e, key, &v))
            continue;
        if (strcmp(v, value) == 0) {
            *idx = i;
            return 0;
        }
        if (n < (int)(sizeof names / sizeof *names))
            names[n++] = v;
    }
    if (n == 0)
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): no entry of %s has a "
                         "string '%s', so none can be selected by it",
                         arg, list ? list : "the list", key);
    char hint[SIM_TEXT_MAX];
    sim_suggest(value, names, n, hint, sizeof hint);
    return sim_error(err, SIM_E_SCENARIO,
                     "command line (--set %s): %s has no entry with %s = "
                     "\"%s\"%s",
                     arg, list ? list : "the list", key, value, hint);
}

/* Steps from the list *cur into its entry idx. If the entry ends the key
 * (last), it is set to value, which must be a number like the entry. */
static int step_into_entry(config_setting_t **cur, int idx, bool last,
                           const char *arg, const char *value, sim_err *err)
{
    config_setting_t *l = *cur;
    if (!config_setting_is_list(l) && !config_setting_is_array(l))
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): [%d] needs a list "
                         "in the scenario before it",
                         arg, idx);
    int len = config_setting_length(l);
    if (idx >= len)
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): the list has %d "
                         "%s; [%d] is not one of them (the first "
                         "is [0])",
                         arg, len, len == 1 ? "entry" : "entries", idx);
    config_setting_t *e = config_setting_get_elem(l, (unsigned)idx);
    if (!last) {
        *cur = e;
        return 0;
    }
    /* A number in a list, e.g. game.payoffs.[0].[1]=5. libconfig cannot
     * insert into a list, so the element's value is replaced in place
     * (config_setting_t is public). */
    char *end;
    double v = strtod(value, &end);
    if (!config_setting_is_number(e) || !value[0] || *end || !isfinite(v))
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): only a "
                         "number in a list can be set this way; "
                         "for an entry's keys write e.g. "
                         "instruments.[0].value",
                         arg);
    e->type = CONFIG_TYPE_FLOAT;
    e->value.fval = v;
    mark(e, arg);
    return 0;
}

/* Appends the scalar e of another tree to the array s; false if it is
 * not a scalar. */
static bool append_scalar(config_setting_t *s, const config_setting_t *e)
{
    switch (config_setting_type(e)) {
    case CONFIG_TYPE_INT:
        return config_setting_set_int_elem(s, -1, config_setting_get_int(e));
    case CONFIG_TYPE_INT64:
        return config_setting_set_int64_elem(s, -1,
                                             config_setting_get_int64(e));
    case CONFIG_TYPE_FLOAT:
        return config_setting_set_float_elem(s, -1,
                                             config_setting_get_float(e));
    case CONFIG_TYPE_BOOL:
        return config_setting_set_bool_elem(s, -1, config_setting_get_bool(e));
    case CONFIG_TYPE_STRING:
        return config_setting_set_string_elem(s, -1,
                                              config_setting_get_string(e));
    default:
        return false;
    }
}

/* A value written as a libconfig array, `["eu_aviation", "eu_finance"]`
 * or `[]` (an `offers` list): read by libconfig itself from one line (so
 * no @include), its entries copied into a new array member seg of
 * parent, each marked as the --set's. */
static int set_array(config_setting_t *parent, const char *seg,
                     const char *arg, const char *value, sim_err *err)
{
    config_t tmp;
    config_init(&tmp);
    size_t len = strlen(value) + 8;
    char *text = strpbrk(value, "\n\r") ? NULL : malloc(len);
    if (text)
        snprintf(text, len, "v = %s;", value);
    const config_setting_t *src =
        text && config_read_string(&tmp, text) == CONFIG_TRUE
            ? config_lookup(&tmp, "v")
            : NULL;
    free(text);
    config_setting_t *s = NULL;
    if (src && config_setting_is_array(src)) {
        if (config_setting_get_member(parent, seg))
            config_setting_remove(parent, seg);
        s = config_setting_add(parent, seg, CONFIG_TYPE_ARRAY);
    }
    for (int i = 0; s && i < config_setting_length(src); i++)
        if (!append_scalar(s, config_setting_get_elem(src, (unsigned)i)))
            s = NULL;
    config_destroy(&tmp);
    if (!s)
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): a list is written in "
                         "square brackets on one line, its entries of one "
                         "type, e.g. [\"eu_aviation\", \"eu_finance\"] "
                         "or []",
                         arg);
    mark(s, arg);
    for (int i = 0; i < config_setting_length(s); i++)
        mark(config_setting_get_elem(s, (unsigned)i), arg);
    return 0;
}

/* Sets the member seg of the group cur to value (the key's last
 * segment); a value in square brackets is a list. */
static int set_member(config_setting_t *cur, const char *seg, const char *arg,
                      const char *value, sim_err *err)
{
    if (!config_setting_is_group(cur))
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): the parent of '%s' "
                         "is not a group",
                         arg, seg);
    if (value[0] == '[')
        return set_array(cur, seg, arg, value, err);
    config_setting_t *s = set_value(cur, seg, -1, value);
    if (!s)
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): cannot set '%s'", arg, seg);
    mark(s, arg);
    return 0;
}

/* Steps from the group *cur into its member group seg, creating it if
 * absent (next is the segment after seg). */
static int step_into_group(config_setting_t **cur, const char *seg,
                           const char *next, const char *arg, sim_err *err)
{
    config_setting_t *c = *cur;
    if (config_setting_is_list(c)) {
        const char *name = config_setting_name(c);
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): '%s' is a list; "
                         "name its entries by index or by name, e.g. "
                         "%s.[0].%s or %s.[name=\"...\"].%s",
                         arg, name ? name : "the list", name ? name : "list",
                         next, name ? name : "list", next);
    }
    if (!config_setting_is_group(c))
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): '%s' is inside a "
                         "value that is not a group",
                         arg, seg);
    config_setting_t *g = config_setting_get_member(c, seg);
    if (!g && next[0] == '[')
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): the scenario has "
                         "no list '%s', so it has no entry %s",
                         arg, seg, next);
    if (!g) {
        g = config_setting_add(c, seg, CONFIG_TYPE_GROUP);
        if (!g)
            return sim_error(err, SIM_E_SCENARIO,
                             "command line (--set %s): cannot create "
                             "'%s'",
                             arg, seg);
        mark(g, arg);
    }
    *cur = g;
    return 0;
}

const char *sim_cfg_set_equals(const char *arg)
{
    int depth = 0;
    for (const char *c = arg; *c; c++) {
        if (*c == '[')
            depth++;
        else if (*c == ']' && depth > 0)
            depth--;
        else if (*c == '=' && depth == 0)
            return c;
    }
    return NULL;
}

int sim_cfg_apply_set(config_t *cfg, const char *arg, sim_err *err)
{
    const char *eq = sim_cfg_set_equals(arg);
    if (!eq || eq == arg)
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): expected KEY=VALUE, for "
                         "example actors.minsk.discount=0.9",
                         arg);
    char path[SIM_PATH_MAX];
    size_t plen = (size_t)(eq - arg);
    if (plen >= sizeof path)
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %.40s...): key too long", arg);
    memcpy(path, arg, plen);
    path[plen] = '\0';
    if (path[0] == '.' || path[plen - 1] == '.' || strstr(path, ".."))
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): the key has an empty "
                         "name between its dots",
                         arg);

    /* Walk the key's segments from the root, one step each. */
    config_setting_t *cur = config_root_setting(cfg);
    char *save = NULL;
    char *seg = strtok_r(path, ".", &save);
    while (seg) {
        char *next = strtok_r(NULL, ".", &save);
        int idx = -1, rc;
        if (seg[0] == '[' && strchr(seg, '=')) {
            rc = select_entry(cur, seg, arg, &idx, err);
            if (rc)
                return rc;
        } else if ((rc = parse_segment(arg, seg, &idx, err))) {
            return rc;
        }
        if (idx >= 0)
            rc = step_into_entry(&cur, idx, !next, arg, eq + 1, err);
        else if (!next)
            rc = set_member(cur, seg, arg, eq + 1, err);
        else
            rc = step_into_group(&cur, seg, next, arg, err);
        if (rc)
            return rc;
        seg = next;
    }
    return 0;
}
