/* calib_cfg.c - calibrated.cfg: a scenario built on the base scenario
 * (`base = ` its path relative to the result directory) that sets the
 * fitted keys. A key made of group members only (actors.minsk.discount)
 * is written as nested groups; a key that selects a list element
 * (instruments.[name="x"].value) brings its whole top-level setting,
 * taken from the base scenario with every fitted value applied, since a
 * variant replaces a base's list as a whole. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calib_impl.h"
#include "config_util_impl.h"
#include "scenario_load_impl.h"

/* A number as --set writes it (so the loader reads the same type). */
static void put_number(FILE *f, double v)
{
    fprintf(f, "%.17g", v);
}

/* Writes setting s (libconfig syntax) at indent. */
static void put_setting(FILE *f, const config_setting_t *s, int indent)
{
    int t = config_setting_type(s);
    switch (t) {
    case CONFIG_TYPE_INT:
        fprintf(f, "%d", config_setting_get_int(s));
        return;
    case CONFIG_TYPE_INT64:
        fprintf(f, "%lldL", config_setting_get_int64(s));
        return;
    case CONFIG_TYPE_FLOAT: {
        char b[64];
        snprintf(b, sizeof b, "%.17g", config_setting_get_float(s));
        fprintf(f, "%s%s", b, strpbrk(b, ".eEni") ? "" : ".0");
        return;
    }
    case CONFIG_TYPE_BOOL:
        fputs(config_setting_get_bool(s) ? "true" : "false", f);
        return;
    case CONFIG_TYPE_STRING:
        sim_scenario_print_string(f, config_setting_get_string(s));
        return;
    default:
        break;
    }
    int n = config_setting_length(s);
    const char *open = t == CONFIG_TYPE_GROUP ? "{" : t == CONFIG_TYPE_LIST
                                                        ? "("
                                                        : "[";
    const char *close = t == CONFIG_TYPE_GROUP ? "}" : t == CONFIG_TYPE_LIST
                                                         ? ")"
                                                         : "]";
    fprintf(f, "%s\n", open);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        fprintf(f, "%*s", indent + 2, "");
        if (t == CONFIG_TYPE_GROUP)
            fprintf(f, "%s = ", config_setting_name(e));
        put_setting(f, e, indent + 2);
        fputs(t == CONFIG_TYPE_GROUP ? ";\n" : i + 1 < n ? ",\n" : "\n", f);
    }
    fprintf(f, "%*s%s", indent, "", close);
}

/* The length of the first component of key. */
static size_t head_len(const char *key)
{
    return strcspn(key, ".");
}

/* Writes the group-path keys idx[0..n) (all sharing their first `skip`
 * characters) as nested groups at indent; false if memory ran out. */
static bool put_groups(FILE *f, const sim_calib *cal, const double *x,
                       const int *idx, int n, size_t skip, int indent)
{
    bool *done = calloc((size_t)n + 1, sizeof *done);
    int *sub = malloc(((size_t)n + 1) * sizeof *sub);
    bool ok = done && sub;
    for (int i = 0; ok && i < n; i++) {
        if (done[i])
            continue;
        const char *k = cal->param[idx[i]].key + skip;
        size_t h = head_len(k);
        if (!k[h]) {
            fprintf(f, "%*s%s = ", indent, "", k);
            put_number(f, x[idx[i]]);
            fputs(";\n", f);
            done[i] = true;
            continue;
        }
        int m = 0;
        for (int j = i; j < n; j++) {
            const char *kj = cal->param[idx[j]].key + skip;
            if (!done[j] && !strncmp(kj, k, h + 1)) {
                sub[m++] = idx[j];
                done[j] = true;
            }
        }
        fprintf(f, "%*s%.*s = {\n", indent, "", (int)h, k);
        ok = put_groups(f, cal, x, sub, m, skip + h + 1, indent + 2);
        fprintf(f, "%*s};\n", indent, "");
    }
    free(done);
    free(sub);
    return ok;
}

/* The top-level settings of the selector keys, from the base scenario's
 * merged tree with every fitted value applied. */
static int put_lists(FILE *f, const sim_calib *cal, const double *x,
                     sim_err *err)
{
    sim_cfg_chain *ch = calloc(1, sizeof *ch);
    if (!ch)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    int rc = sim_cfg_chain_read(ch, cal->scenario, err);
    config_t *cfg = rc ? NULL : sim_cfg_chain_merged(ch);
    for (int i = 0; !rc && i < cal->nparams; i++) {
        char set[SIM_PATH_MAX + 32];
        snprintf(set, sizeof set, "%s=%.17g", cal->param[i].key, x[i]);
        rc = sim_cfg_apply_set(cfg, set, err);
    }
    for (int i = 0; !rc && i < cal->nparams; i++) {
        const char *k = cal->param[i].key;
        size_t h = head_len(k);
        if (!strchr(k, '['))
            continue;
        bool seen = false; /* written for an earlier key */
        for (int j = 0; j < i; j++)
            seen |= strchr(cal->param[j].key, '[') &&
                    head_len(cal->param[j].key) == h &&
                    !strncmp(cal->param[j].key, k, h);
        if (seen)
            continue;
        char name[SIM_PATH_MAX];
        snprintf(name, sizeof name, "%.*s", (int)h, k);
        const config_setting_t *s =
            config_setting_get_member(config_root_setting(cfg), name);
        if (!s)
            continue;
        fprintf(f, "%s = ", name);
        put_setting(f, s, 0);
        fputs(";\n", f);
    }
    sim_cfg_chain_free(ch);
    free(ch);
    return rc;
}

int calib_write_cfg(FILE *f, const sim_calib *cal, const double *x,
                    const char *base, sim_err *err)
{
    fprintf(f, "// sanctionsim calibrate: the base scenario with the fitted "
               "keys (%s)\nbase = ",
            cal->method == SIM_CALIB_SMM ? "smm fit" : "abc posterior mean");
    sim_scenario_print_string(f, base);
    fputs(";\n", f);
    int idx[SIM_CALIB_MAX_PARAMS], n = 0;
    for (int i = 0; i < cal->nparams; i++) {
        /* a key with a selector inside a plain group path still selects
         * in a list: the whole top-level setting is written */
        if (!strchr(cal->param[i].key, '['))
            idx[n++] = i;
    }
    for (int i = 0; i < n; i++) {
        /* a group-path key under a top-level setting that a selector key
         * writes whole is in that setting already */
        const char *k = cal->param[idx[i]].key;
        for (int j = 0; j < cal->nparams; j++)
            if (strchr(cal->param[j].key, '[') &&
                head_len(cal->param[j].key) == head_len(k) &&
                !strncmp(cal->param[j].key, k, head_len(k))) {
                memmove(idx + i, idx + i + 1,
                        (size_t)(n - i - 1) * sizeof *idx);
                n--;
                i--;
                break;
            }
    }
    if (!put_groups(f, cal, x, idx, n, 0, 0))
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory writing the calibrated scenario");
    return put_lists(f, cal, x, err);
}

/* The absolute, lexically normalised form of path ("." and ".."
 * resolved, no repeated '/') into out (size SIM_PATH_MAX); false if it
 * does not fit or the working directory is unknown. */
static bool absolute(const char *path, char *out)
{
    char buf[2 * SIM_PATH_MAX];
    if (path[0] == '/') {
        snprintf(buf, sizeof buf, "%s", path);
    } else {
        if (!getcwd(buf, SIM_PATH_MAX))
            return false;
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "/%s", path);
    }
    size_t len = 0;
    out[0] = '\0';
    for (char *sv = NULL, *tok = strtok_r(buf, "/", &sv); tok;
         tok = strtok_r(NULL, "/", &sv)) {
        if (!strcmp(tok, "."))
            continue;
        if (!strcmp(tok, "..")) {
            char *s = strrchr(out, '/');
            len = s ? (size_t)(s - out) : 0;
            out[len] = '\0';
            continue;
        }
        size_t t = strlen(tok);
        if (len + t + 2 >= SIM_PATH_MAX)
            return false;
        out[len++] = '/';
        memcpy(out + len, tok, t + 1);
        len += t;
    }
    if (!len)
        snprintf(out, SIM_PATH_MAX, "/");
    return true;
}

void calib_relative(const char *dir, const char *file, char *rel,
                    size_t size)
{
    char a[SIM_PATH_MAX], b[SIM_PATH_MAX];
    if (!absolute(dir, a) || !absolute(file, b)) {
        snprintf(rel, size, "%s", file);
        return;
    }
    /* the common leading components: a is a directory */
    size_t la = strlen(a);
    if (la + 1 < sizeof a && a[la - 1] != '/') {
        a[la++] = '/';
        a[la] = '\0';
    }
    size_t common = 0;
    for (size_t i = 0; a[i] && a[i] == b[i]; i++)
        if (a[i] == '/')
            common = i + 1;
    size_t len = 0;
    rel[0] = '\0';
    for (const char *p = a + common; *p; p++)
        if (*p == '/' && len + 4 < size) {
            memcpy(rel + len, "../", 4);
            len += 3;
        }
    snprintf(rel + len, size - len, "%s", b + common);
}
