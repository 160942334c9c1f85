/* set_override.c - `--set KEY=VALUE`: a command-line override written
 * into the libconfig tree before the tree is checked, so that an override
 * is checked exactly like the file's own value (and reported as the --set
 * that made it). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_util_impl.h"

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

/* The hook marks the settings a --set made (see config_util.c's where());
 * libconfig only stores it, so casting away const is safe. */
static void mark(config_setting_t *s, const char *arg)
{
    config_setting_set_hook(s, (void *)arg);
}

/* Checks one segment of the key of --set arg: "[n]" sets *idx = n, a key
 * name *idx = -1. */
static int parse_segment(const char *arg, const char *seg, int *idx,
                         sim_err *err)
{
    *idx = -1;
    if (seg[0] == '[') {
        char *end;
        long v = strtol(seg + 1, &end, 10);
        if (*end != ']' || end[1] || v < 0)
            return sim_error(err, SIM_E_SCENARIO,
                             "command line (--set %s): bad list index "
                             "'%s' (write instruments.[0].value)",
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

/* Sets the member seg of the group cur to value (the key's last
 * segment). */
static int set_member(config_setting_t *cur, const char *seg, const char *arg,
                      const char *value, sim_err *err)
{
    if (!config_setting_is_group(cur))
        return sim_error(err, SIM_E_SCENARIO,
                         "command line (--set %s): the parent of '%s' "
                         "is not a group",
                         arg, seg);
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
                         "name its entries by index, e.g. "
                         "%s.[0].%s",
                         arg, name ? name : "the list", name ? name : "list",
                         next);
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

int sim_cfg_apply_set(config_t *cfg, const char *arg, sim_err *err)
{
    const char *eq = strchr(arg, '=');
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

    /* Walk the key's segments from the root, one step each. */
    config_setting_t *cur = config_root_setting(cfg);
    char *save = NULL;
    char *seg = strtok_r(path, ".", &save);
    while (seg) {
        char *next = strtok_r(NULL, ".", &save);
        int idx, rc = parse_segment(arg, seg, &idx, err);
        if (!rc) {
            if (idx >= 0)
                rc = step_into_entry(&cur, idx, !next, arg, eq + 1, err);
            else if (!next)
                rc = set_member(cur, seg, arg, eq + 1, err);
            else
                rc = step_into_group(&cur, seg, next, arg, err);
        }
        if (rc)
            return rc;
        seg = next;
    }
    return 0;
}
