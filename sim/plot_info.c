/* plot_info.c - what `plot` and `report` say about result directories
 * beside their numbers: the unit and meaning of a column (from the same
 * column table as the CSV files), a manifest's command line, seed and
 * replications, and the settings in which two resolved scenarios differ
 * (plot.h). */
#include <sanctionsim/plot.h>

#include "columns.h"
#include "config_util_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* rounds.csv columns that runs.csv has not: unit and meaning. */
static const struct {
    const char *name, *unit, *meaning;
} round_dict[] = {
    {"round", "round", "round, from 1 (round 1 = the scenario's start)"},
    {"prisoners", "persons", "political prisoners held at the end of the "
                             "round"},
    {"tension", "index", "regional tension at the end of the round"},
    {"released", "persons", "prisoners released in deals this round"},
    {"us_engaged", "probability", "Washington engaged"},
    {"pl_border_open", "probability", "Poland's border open"},
    {"lt_border_open", "probability", "Lithuania's border open"},
    {"klaipeda_open", "probability", "Klaipeda potash transit open"},
    {"relief", "$bn/yr", "economic value to Minsk of the instruments "
                         "lifted"},
};

bool sim_plot_column_unit(const sim_scenario *sc, const char *column,
                          char *unit, size_t usize, char *meaning,
                          size_t msize)
{
    sim_column cols[SIM_MAX_COLUMNS];
    int n = sim_columns_list(sc, cols);
    for (int k = 0; k < n; k++) {
        if (strcmp(cols[k].name, column) != 0)
            continue;
        snprintf(unit, usize, "%s", sim_column_unit(&cols[k]));
        if (meaning)
            sim_column_meaning(&cols[k], sc, meaning, msize);
        return true;
    }
    for (size_t k = 0; k < sizeof round_dict / sizeof *round_dict; k++) {
        if (strcmp(round_dict[k].name, column) != 0)
            continue;
        snprintf(unit, usize, "%s", round_dict[k].unit);
        if (meaning)
            snprintf(meaning, msize, "%s", round_dict[k].meaning);
        return true;
    }
    return false;
}

/* The value of `key = VALUE;` on a line of its own, quotes removed (no
 * escapes undone), into out; false if absent. */
static bool scan_value(const char *text, const char *key, char *out,
                       size_t size)
{
    size_t klen = strlen(key);
    const char *l = text;
    while (l && *l) {
        const char *s = l + strspn(l, " \t");
        l = strchr(l, '\n');
        if (l)
            l++;
        if (strncmp(s, key, klen) != 0 || strncmp(s + klen, " = ", 3) != 0)
            continue;
        s += klen + 3;
        size_t len = strcspn(s, ";\n");
        if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
            s++, len -= 2;
        snprintf(out, size, "%.*s", (int)len, s);
        return true;
    }
    return false;
}

/* A manifest libconfig cannot parse (a sweep's writes arrays that mix
 * integers and reals, which libconfig refuses): its settings by lines. */
static int manifest_scan(const char *path, sim_plot_manifest *m,
                         sim_err *err)
{
    FILE *in = fopen(path, "r");
    if (!in)
        return sim_error(err, SIM_E_USAGE, "cannot read %s: %s", path,
                         SIM_ERRNO_TEXT(errno));
    char *text = calloc(1, 1 << 20);
    size_t n = text ? fread(text, 1, (1 << 20) - 1, in) : 0;
    fclose(in);
    if (!text)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    text[n] = '\0';
    char v[SIM_TEXT_MAX];
    if (scan_value(text, "master_seed", v, sizeof v) ||
        scan_value(text, "seed", v, sizeof v))
        m->seed = strtoll(v, NULL, 10);
    if (scan_value(text, "replications", v, sizeof v))
        m->replications = strtoll(v, NULL, 10);
    scan_value(text, "command", m->command, sizeof m->command);
    if (!scan_value(text, "scenario_file", m->source, sizeof m->source))
        scan_value(text, "experiment", m->source, sizeof m->source);
    scan_value(text, "version", m->version, sizeof m->version);
    free(text);
    return 0;
}

int sim_plot_manifest_read(const char *dir, sim_plot_manifest *m,
                           sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    memset(m, 0, sizeof *m);
    m->seed = m->replications = -1;
    config_t cfg;
    int rc = sim_cfg_read_file(&cfg, path, false, err);
    if (rc) {
        config_destroy(&cfg);
        /* out of memory is not a manifest libconfig cannot read */
        return rc == SIM_E_NOMEM ? rc : manifest_scan(path, m, err);
    }
    long long ll;
    const char *s;
    if (config_lookup_int64(&cfg, "master_seed", &ll) ||
        config_lookup_int64(&cfg, "seed", &ll))
        m->seed = ll;
    if (config_lookup_int64(&cfg, "replications", &ll))
        m->replications = ll;
    if (config_lookup_string(&cfg, "run.command", &s) ||
        config_lookup_string(&cfg, "command", &s))
        snprintf(m->command, sizeof m->command, "%s", s);
    if (config_lookup_string(&cfg, "scenario_file", &s) ||
        config_lookup_string(&cfg, "experiment", &s))
        snprintf(m->source, sizeof m->source, "%s", s);
    if (config_lookup_string(&cfg, "version", &s))
        snprintf(m->version, sizeof m->version, "%s", s);
    config_destroy(&cfg);
    return 0;
}

/* ---- the settings of a scenario.cfg, flattened ---- */

/* One setting: its dotted key and its value as written. */
typedef struct setting {
    char *key, *value;
} setting;

typedef struct flat {
    setting *s;
    size_t n, cap;
} flat;

/* The path of groups and list entries around the current line. */
typedef struct path {
    char part[16][SIM_NAME_MAX * 2];
    int list_index[16]; /* entries so far if this part is a list, else -1 */
    int depth;
    char pending[SIM_NAME_MAX * 2]; /* "key =" whose value opens below */
} path;

static void flat_free(flat *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->s[i].key), free(f->s[i].value);
    free(f->s);
}

static int flat_add(flat *f, const path *p, const char *name,
                    const char *value, sim_err *err)
{
    char key[SIM_PATH_MAX] = "";
    for (int d = 0; d < p->depth; d++)
        snprintf(key + strlen(key), sizeof key - strlen(key), "%s.",
                 p->part[d]);
    snprintf(key + strlen(key), sizeof key - strlen(key), "%s", name);
    if (f->n == f->cap) {
        size_t c = f->cap ? 2 * f->cap : 128;
        setting *s = realloc(f->s, c * sizeof *s);
        if (!s)
            return sim_error(err, SIM_E_NOMEM, "out of memory");
        f->s = s, f->cap = c;
    }
    f->s[f->n].key = strdup(key);
    f->s[f->n].value = strdup(value);
    if (!f->s[f->n].key || !f->s[f->n].value) {
        free(f->s[f->n].key), free(f->s[f->n].value);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    f->n++;
    return 0;
}

/* Opens a group or list entry named name (NULL: the next list entry). */
static void push(path *p, const char *name, bool list)
{
    if (p->depth >= 16)
        return;
    int d = p->depth++;
    if (name)
        snprintf(p->part[d], sizeof p->part[d], "%s", name);
    else if (d > 0 && p->list_index[d - 1] >= 0)
        snprintf(p->part[d], sizeof p->part[d], "[%d]",
                 p->list_index[d - 1]++);
    else
        snprintf(p->part[d], sizeof p->part[d], "[?]");
    p->list_index[d] = list ? 0 : -1;
}

/* Reads one line of a scenario.cfg into f. */
static int flat_line(flat *f, path *p, char *line, sim_err *err)
{
    char *s = line + strspn(line, " \t");
    s[strcspn(s, "\r\n")] = '\0';
    if (!*s || *s == '#' || !strncmp(s, "//", 2))
        return 0;
    if (*s == '}' || *s == ')') {
        if (p->depth > 0)
            p->depth--;
        return 0;
    }
    if (*s == '{' || *s == '(') {
        push(p, p->pending[0] ? p->pending : NULL, *s == '(');
        p->pending[0] = '\0';
        return 0;
    }
    size_t slen = strlen(s);
    if (slen > 2 && !strcmp(s + slen - 2, " =")) {
        snprintf(p->pending, sizeof p->pending, "%.*s", (int)(slen - 2), s);
        return 0;
    }
    char *eq = strstr(s, " = ");
    if (!eq)
        return 0;
    *eq = '\0';
    char *v = eq + 3;
    size_t len = strlen(v);
    if (len && v[len - 1] == ';')
        v[--len] = '\0';
    if (!strcmp(v, "{") || !strcmp(v, "(")) {
        push(p, s, *v == '(');
        return 0;
    }
    /* A list entry with a name is addressed by it, as in --set. */
    if (!strcmp(s, "name") && p->depth > 0 && p->part[p->depth - 1][0] == '[')
        snprintf(p->part[p->depth - 1], sizeof p->part[0], "[name=%.*s]",
                 SIM_NAME_MAX + 8, v);
    return flat_add(f, p, s, v, err);
}

static int flatten(const char *path_name, flat *f, sim_err *err)
{
    memset(f, 0, sizeof *f);
    FILE *in = fopen(path_name, "r");
    if (!in)
        return sim_error(err, SIM_E_USAGE, "cannot read %s: %s", path_name,
                         SIM_ERRNO_TEXT(errno));
    path p = {.depth = 0, .pending = ""};
    char line[4096];
    int rc = 0;
    while (!rc && fgets(line, sizeof line, in))
        rc = flat_line(f, &p, line, err);
    if (!rc && ferror(in))
        rc = sim_error(err, SIM_E_IO, "cannot read %s", path_name);
    fclose(in);
    if (rc)
        flat_free(f);
    return rc;
}

static const setting *find(const flat *f, const char *key)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->s[i].key, key))
            return &f->s[i];
    return NULL;
}

static int change_add(sim_plot_change **ch, size_t *n, const char *key,
                      const char *a, const char *b, sim_err *err)
{
    sim_plot_change *c = realloc(*ch, (*n + 1) * sizeof *c);
    if (!c)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    *ch = c;
    c[*n].key = strdup(key);
    c[*n].a = strdup(a);
    c[*n].b = strdup(b);
    (*n)++;
    if (!c[*n - 1].key || !c[*n - 1].a || !c[*n - 1].b)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    return 0;
}

int sim_plot_scenario_diff(const char *path_a, const char *path_b,
                           sim_plot_change **ch, size_t *n, sim_err *err)
{
    *ch = NULL;
    *n = 0;
    flat a, b;
    int rc = flatten(path_a, &a, err);
    if (rc)
        return rc;
    rc = flatten(path_b, &b, err);
    if (rc) {
        flat_free(&a);
        return rc;
    }
    for (size_t i = 0; !rc && i < a.n; i++) {
        const setting *o = find(&b, a.s[i].key);
        if (!o || strcmp(o->value, a.s[i].value) != 0)
            rc = change_add(ch, n, a.s[i].key, a.s[i].value,
                            o ? o->value : "", err);
    }
    for (size_t i = 0; !rc && i < b.n; i++)
        if (!find(&a, b.s[i].key))
            rc = change_add(ch, n, b.s[i].key, "", b.s[i].value, err);
    flat_free(&a);
    flat_free(&b);
    if (rc) {
        sim_plot_changes_free(*ch, *n);
        *ch = NULL;
        *n = 0;
    }
    return rc;
}

void sim_plot_changes_free(sim_plot_change *ch, size_t n)
{
    for (size_t i = 0; ch && i < n; i++)
        free(ch[i].key), free(ch[i].a), free(ch[i].b);
    free(ch);
}
