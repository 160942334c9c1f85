/* scenario_base.c - a scenario built on another: `base = "baseline.cfg";`
 * names the file it starts from, and the file holds only what it changes.
 *
 * The files are read from the variant down its chain of bases (a path is
 * relative to the folder of the file that names it); then, from the
 * deepest base up, each file's settings are laid over the tree so far: a
 * group merges member by member, anything else (a number, a string, a
 * list such as `instruments` or `calendar`) replaces what the base had.
 * Every setting keeps the file and line it came from, so that messages and
 * `check` name the right file. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario_load_impl.h"

/* Sets the file of every setting under s that has none (the settings of a
 * file read from text carry no file name) to file. */
static void mark_file(config_setting_t *s, const char *file)
{
    if (!s->file)
        s->file = file;
    int n = config_setting_is_aggregate(s) ? config_setting_length(s) : 0;
    for (int i = 0; i < n; i++)
        mark_file(config_setting_get_elem(s, (unsigned)i), file);
}

/* Copies src (its value and, for an aggregate, everything under it) as a
 * new member (or element, when name is NULL) of parent, keeping src's file
 * and line. Returns 0 or SIM_E_NOMEM. */
static int copy_setting(config_setting_t *parent, const char *name,
                        const config_setting_t *src, sim_err *err)
{
    int type = config_setting_type(src);
    config_setting_t *d = config_setting_add(parent, name, type);
    if (!d)
        return sim_error(err, SIM_E_NOMEM, "out of memory merging a base");
    d->line = src->line;
    d->file = src->file;
    d->format = src->format;
    int ok = CONFIG_TRUE;
    switch (type) {
    case CONFIG_TYPE_INT:
        ok = config_setting_set_int(d, config_setting_get_int(src));
        break;
    case CONFIG_TYPE_INT64:
        ok = config_setting_set_int64(d, config_setting_get_int64(src));
        break;
    case CONFIG_TYPE_FLOAT:
        ok = config_setting_set_float(d, config_setting_get_float(src));
        break;
    case CONFIG_TYPE_BOOL:
        ok = config_setting_set_bool(d, config_setting_get_bool(src));
        break;
    case CONFIG_TYPE_STRING:
        ok = config_setting_set_string(d, config_setting_get_string(src));
        break;
    default: /* group, list, array */
        for (int i = 0; i < config_setting_length(src); i++) {
            const config_setting_t *e =
                config_setting_get_elem(src, (unsigned)i);
            int rc = copy_setting(d, type == CONFIG_TYPE_GROUP ? e->name : NULL,
                                  e, err);
            if (rc)
                return rc;
        }
    }
    if (ok != CONFIG_TRUE)
        return sim_error(err, SIM_E_NOMEM, "out of memory merging a base");
    return 0;
}

/* Lays group src over group dst: members that are groups on both sides
 * merge, every other member of src replaces dst's. */
static int overlay(config_setting_t *dst, const config_setting_t *src,
                   sim_err *err)
{
    for (int i = 0; i < config_setting_length(src); i++) {
        const config_setting_t *s = config_setting_get_elem(src, (unsigned)i);
        if (!s->name || strcmp(s->name, "base") == 0)
            continue;
        config_setting_t *d = config_setting_get_member(dst, s->name);
        int rc;
        if (d && config_setting_is_group(d) && config_setting_is_group(s)) {
            rc = overlay(d, s, err);
        } else {
            if (d)
                config_setting_remove(dst, s->name);
            rc = copy_setting(dst, s->name, s, err);
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* The path of the base named by setting b of file `from`, into out:
 * relative to from's folder unless absolute. */
static int base_path(const sim_cfg_chain *ch, const config_setting_t *b,
                     const char *from, char *out, size_t size, sim_err *err)
{
    sim_loader ld = {from, err};
    if (config_setting_type(b) != CONFIG_TYPE_STRING)
        return sim_cfg_fail(&ld, b,
                            "expected the base scenario's file name in "
                            "double quotes, found %s",
                            sim_cfg_type_word(config_setting_type(b)));
    const char *name = config_setting_get_string(b);
    const char *slash = strrchr(from, '/');
    int w = name[0] == '/' || !slash
                ? snprintf(out, size, "%s", name)
                : snprintf(out, size, "%.*s/%s", (int)(slash - from), from,
                           name);
    if (w < 0 || (size_t)w >= size)
        return sim_cfg_fail(&ld, b, "the path of the base is too long");
    if (ch->n > SIM_MAX_BASES)
        return sim_cfg_fail(&ld, b,
                            "more than %d scenarios built one on another",
                            SIM_MAX_BASES);
    struct stat st;
    if (stat(out, &st) == 0)
        for (int i = 0; i < ch->n; i++)
            if (ch->id[i].known && ch->id[i].dev == st.st_dev &&
                ch->id[i].ino == st.st_ino)
                return sim_cfg_fail(&ld, b,
                                    "\"%s\" is built on itself (through %s)",
                                    name, ch->path[i]);
    return 0;
}

/* Reads path into the chain's next slot and notes its real path. */
static int read_one(sim_cfg_chain *ch, const char *path, sim_err *err)
{
    int k = ch->n;
    snprintf(ch->path[k], sizeof ch->path[k], "%s", path);
    struct stat st;
    ch->id[k].known = stat(path, &st) == 0;
    ch->id[k].dev = ch->id[k].known ? st.st_dev : 0;
    ch->id[k].ino = ch->id[k].known ? st.st_ino : 0;
    int rc = sim_cfg_read_file(&ch->cfg[k], path, true, err);
    ch->n++; /* destroyed by sim_cfg_chain_free even on failure */
    if (rc)
        return rc;
    mark_file(config_root_setting(&ch->cfg[k]), ch->path[k]);
    return 0;
}

int sim_cfg_chain_read(sim_cfg_chain *ch, const char *path, sim_err *err)
{
    ch->n = 0;
    int rc = read_one(ch, path, err);
    while (!rc) {
        const config_setting_t *root = config_root_setting(&ch->cfg[ch->n - 1]);
        const config_setting_t *b = config_setting_get_member(root, "base");
        if (!b)
            break;
        char next[SIM_PATH_MAX];
        rc = base_path(ch, b, ch->path[ch->n - 1], next, sizeof next, err);
        if (!rc && (rc = read_one(ch, next, err)) == SIM_E_SCENARIO) {
            /* say which file named the base */
            char why[SIM_ERR_MSG_MAX];
            snprintf(why, sizeof why, "%s", err ? err->msg : "");
            sim_loader ld = {ch->path[ch->n - 2], err};
            rc = sim_cfg_fail(&ld, b, "the base scenario: %s", why);
        }
    }
    /* The deepest base's tree takes each file above it in turn. */
    config_setting_t *merged = config_root_setting(&ch->cfg[ch->n - 1]);
    for (int k = ch->n - 2; !rc && k >= 0; k--)
        rc = overlay(merged, config_root_setting(&ch->cfg[k]), err);
    if (!rc && config_setting_get_member(merged, "base"))
        config_setting_remove(merged, "base");
    /* A name is not inherited: a variant without one is named after its
     * own file (so it never writes into its base's result directory). */
    const config_setting_t *top = config_root_setting(&ch->cfg[0]);
    if (!rc && ch->n > 1 && !config_setting_get_member(top, "name") &&
        config_setting_get_member(merged, "name"))
        config_setting_remove(merged, "name");
    return rc;
}

config_t *sim_cfg_chain_merged(sim_cfg_chain *ch)
{
    return &ch->cfg[ch->n - 1];
}

void sim_cfg_chain_free(sim_cfg_chain *ch)
{
    for (int k = 0; k < ch->n; k++)
        config_destroy(&ch->cfg[k]);
    ch->n = 0;
}
