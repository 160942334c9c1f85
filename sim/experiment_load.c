/* experiment_load.c - reads an experiment file (libconfig) into
 * sim_experiment: the scalar keys through a key table, as the scenario
 * loader does, then the metrics and the factors. Errors name the file,
 * line and key; unknown keys get a "did you mean". */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config_util_impl.h"
#include <sanctionsim/experiment.h>
#include <sanctionsim/suggest.h>

static const char *const design_choices[] = {
#define SIM_DESIGN_CHOICE(id, name) name,
    SIM_DESIGNS(SIM_DESIGN_CHOICE)
#undef SIM_DESIGN_CHOICE
        NULL};

static const char *const statistic_choices[] = {
#define SIM_STATISTIC_CHOICE(id, name) name,
    SIM_STATISTICS(SIM_STATISTIC_CHOICE)
#undef SIM_STATISTIC_CHOICE
        NULL};

static const char *const dist_choices[] = {
#define SIM_FACTOR_DIST_CHOICE(id, name, p0, p1) name,
    SIM_FACTOR_DISTS(SIM_FACTOR_DIST_CHOICE)
#undef SIM_FACTOR_DIST_CHOICE
        NULL};

const char *sim_statistic_name(sim_statistic s)
{
    return (unsigned)s < SIM_N_STATISTICS ? statistic_choices[s] : "?";
}

/* The scalar keys, read into this struct and then copied. */
typedef struct raw {
    char scenario[SIM_PATH_MAX];
    int design, samples, levels, maximin, replications, statistic, bootstrap;
    bool second_order, dummy;
    int64_t seed;
} raw;

#define KEY(name, type, field, def, min, max, sdef, choices, doc)             \
    {name, type, offsetof(raw, field), sizeof(((raw *)0)->field), def, min,   \
     max, sdef, choices, "", doc}

static const sim_key top_keys[] = {
    KEY("scenario", SIM_KEY_STRING, scenario, 0, 0, 0, "", NULL,
        "the base scenario, relative to the experiment file"),
    KEY("design", SIM_KEY_CHOICE, design, 0, 0, 0, "full_factorial",
        design_choices, "the design"),
    KEY("samples", SIM_KEY_INT, samples, 64, 1, 1e7, NULL, NULL,
        "points (lhs, monte_carlo), N (sobol), trajectories (morris)"),
    KEY("second_order", SIM_KEY_BOOL, second_order, 0, 0, 1, NULL, NULL,
        "sobol: second-order indices too"),
    KEY("levels", SIM_KEY_INT, levels, 4, 2, 1000, NULL, NULL,
        "morris: grid levels (even)"),
    KEY("maximin", SIM_KEY_INT, maximin, 1, 1, 10000, NULL, NULL,
        "lhs: candidate designs, the most spread kept"),
    KEY("replications", SIM_KEY_INT, replications, 100, 1, 1e8, NULL, NULL,
        "replications per point"),
    KEY("seed", SIM_KEY_INT64, seed, 1, 0, 9.2e18, NULL, NULL, "master seed"),
    KEY("statistic", SIM_KEY_CHOICE, statistic, 0, 0, 0, "mean",
        statistic_choices, "statistic of each point's replications"),
    KEY("bootstrap", SIM_KEY_INT, bootstrap, 1000, 0, 100000, NULL, NULL,
        "sobol: bootstrap resamples"),
    KEY("dummy", SIM_KEY_BOOL, dummy, 0, 0, 1, NULL, NULL,
        "sobol: add a dummy factor"),
};
#define N_TOP ((int)(sizeof top_keys / sizeof *top_keys))

/* Every top-level key: the table's and the lists. */
static int check_top(const sim_loader *ld, const config_setting_t *root)
{
    const char *names[N_TOP + 2];
    for (int i = 0; i < N_TOP; i++)
        names[i] = top_keys[i].name;
    names[N_TOP] = "metrics";
    names[N_TOP + 1] = "factors";
    return sim_cfg_check_members(ld, root, names, N_TOP + 2);
}

/* Reads the metrics: a list or array of names usable as CSV fields. */
static int load_metrics(const sim_loader *ld, const config_setting_t *root,
                        sim_experiment *e)
{
    const config_setting_t *m = config_setting_get_member(root, "metrics");
    if (!m)
        return sim_cfg_fail(ld, root, "needs metrics = [\"released_total\", "
                                      "...]; the metrics of interest");
    if (!config_setting_is_aggregate(m) || config_setting_length(m) < 1 ||
        config_setting_length(m) > SIM_EXPERIMENT_MAX_METRICS)
        return sim_cfg_fail(ld, m, "expected a list of 1 to %d metric names",
                            SIM_EXPERIMENT_MAX_METRICS);
    e->nmetrics = config_setting_length(m);
    for (int k = 0; k < e->nmetrics; k++) {
        const config_setting_t *s = config_setting_get_elem(m, (unsigned)k);
        const char *v = config_setting_get_string(s);
        if (!v || !v[0] || strlen(v) >= SIM_STATS_METRIC_MAX ||
            strpbrk(v, ",\"\n\r"))
            return sim_cfg_fail(ld, s, "expected a metric name (a column of "
                                       "summary.csv) in double quotes");
        snprintf(e->metric[k], sizeof e->metric[k], "%s", v);
    }
    return 0;
}

/* Reads a number list (values = [...] or range = [lo, hi]) into v; a
 * list of booleans (values = [false, true]) is read as 0 and 1 and sets
 * *boolean (if not NULL). */
static int read_numbers(const sim_loader *ld, const config_setting_t *s,
                        double *v, int max, int *n, bool *boolean)
{
    if (!config_setting_is_aggregate(s))
        return sim_cfg_fail(ld, s, "expected a list of numbers, found %s",
                            sim_cfg_type_word(config_setting_type(s)));
    *n = config_setting_length(s);
    if (*n < 1 || *n > max)
        return sim_cfg_fail(ld, s, "expected 1 to %d numbers, found %d", max,
                            *n);
    for (int i = 0; i < *n; i++) {
        const config_setting_t *x = config_setting_get_elem(s, (unsigned)i);
        if (boolean && config_setting_type(x) == CONFIG_TYPE_BOOL) {
            v[i] = config_setting_get_bool(x);
            *boolean = true;
            continue;
        }
        if (!sim_cfg_is_number(x))
            return sim_cfg_fail(ld, x, "expected a number, found %s",
                                sim_cfg_type_word(config_setting_type(x)));
        v[i] = sim_cfg_number(x);
    }
    return 0;
}

/* The factor's kind from values, range or distribution (exactly one). */
static int load_kind(const sim_loader *ld, const config_setting_t *g,
                     sim_factor *f)
{
    const config_setting_t *vals = config_setting_get_member(g, "values"),
                           *range = config_setting_get_member(g, "range"),
                           *dist = config_setting_get_member(g, "distribution");
    if (!!vals + !!range + !!dist != 1)
        return sim_cfg_fail(ld, g, "a factor needs exactly one of values = "
                                   "[...], range = [lo, hi] and "
                                   "distribution = \"...\"");
    if (vals) {
        f->kind = SIM_FACTOR_VALUES;
        int rc = read_numbers(ld, vals, f->value, SIM_DESIGN_MAX_VALUES,
                              &f->nvalues, &f->boolean);
        for (int i = 0; !rc && f->boolean && i < f->nvalues; i++)
            if (config_setting_type(config_setting_get_elem(
                    vals, (unsigned)i)) != CONFIG_TYPE_BOOL)
                rc = sim_cfg_fail(ld, vals, "expected only numbers or only "
                                            "booleans");
        return rc;
    }
    if (range) {
        double lh[2] = {0, 0};
        int n = 0, rc = read_numbers(ld, range, lh, 2, &n, NULL);
        if (!rc && (n != 2 || !(lh[0] < lh[1])))
            rc = sim_cfg_fail(ld, range, "expected [lo, hi] with lo < hi");
        f->kind = SIM_FACTOR_RANGE;
        f->lo = lh[0];
        f->hi = lh[1];
        return rc;
    }
    f->kind = SIM_FACTOR_DIST;
    const char *name = config_setting_get_string(dist);
    if (!name || !sim_factor_dist_lookup(name, &f->dist)) {
        char hint[SIM_TEXT_MAX];
        sim_suggest(name ? name : "", dist_choices, SIM_N_FACTOR_DISTS, hint,
                    sizeof hint);
        return sim_cfg_fail(ld, dist, "unknown distribution%s", hint);
    }
    for (int i = 0; i < 2; i++) {
        const char *pn = sim_factor_dist_param(f->dist, i);
        const config_setting_t *p = config_setting_get_member(g, pn);
        if (!p || !sim_cfg_is_number(p))
            return sim_cfg_fail(ld, p ? p : g, "the %s distribution needs "
                                "%s = <number>", name, pn);
        f->p[i] = sim_cfg_number(p);
    }
    return 0;
}

static const char *const factor_members[] = {
    "key",  "name", "group", "values", "range", "log", "levels", "integer",
    "distribution", "mean", "sd", "zeta", "sigma", "a", "b", "shape", "scale"};

/* Group index of name in e (added if new). */
static int group_of(sim_experiment *e, const char *name)
{
    for (int g = 0; g < e->ngroups; g++)
        if (strcmp(e->group[g], name) == 0)
            return g;
    snprintf(e->group[e->ngroups], sizeof e->group[0], "%s", name);
    return e->ngroups++;
}

static bool csv_safe(const char *s)
{
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || strchr("_.-", *s)))
            return false;
    return true;
}

static int load_factor(const sim_loader *ld, const config_setting_t *g,
                       sim_experiment *e, int i)
{
    sim_factor *f = &e->factor[i];
    memset(f, 0, sizeof *f);
    e->line[i] = (int)config_setting_source_line(g);
    int rc = sim_cfg_check_members(ld, g, factor_members,
                                   (int)(sizeof factor_members /
                                         sizeof *factor_members));
    const char *key = NULL, *name = NULL, *group = NULL;
    if (!rc && (!config_setting_lookup_string(g, "key", &key) || !key[0]))
        rc = sim_cfg_fail(ld, g, "a factor needs key = \"...\", the "
                                 "scenario key it varies");
    if (rc || (rc = load_kind(ld, g, f)))
        return rc;
    snprintf(f->key, sizeof f->key, "%s", key);
    if (config_setting_lookup_string(g, "name", &name))
        snprintf(f->name, sizeof f->name, "%s", name);
    else
        sim_cfg_key_label(key, f->name, sizeof f->name);
    if (!f->name[0] || !csv_safe(f->name))
        return sim_cfg_fail(ld, g, "the factor name \"%s\" must use only "
                            "letters, digits, '_', '.' and '-' (it names a "
                            "column)", f->name);
    for (int j = 0; j < i; j++)
        if (strcmp(e->factor[j].name, f->name) == 0)
            return sim_cfg_fail(ld, g, "two factors are named \"%s\"; give "
                                "one a name = \"...\"", f->name);
    /* design.csv's first column is "point"; with dummy = true the dummy
     * factor is named, and grouped, "dummy". */
    if (strcmp(f->name, "point") == 0 ||
        (e->dummy && strcmp(f->name, "dummy") == 0))
        return sim_cfg_fail(ld, g, "the factor name \"%s\" is taken (%s); "
                            "give the factor another name = \"...\"",
                            f->name, f->name[0] == 'p'
                                         ? "design.csv's point number"
                                         : "the dummy factor");
    int iv;
    if (config_setting_lookup_bool(g, "log", &iv))
        f->log = iv != 0;
    if (config_setting_lookup_bool(g, "integer", &iv))
        f->integer = iv != 0;
    if (config_setting_lookup_int(g, "levels", &iv))
        f->levels = iv;
    if (config_setting_lookup_string(g, "group", &group) && !csv_safe(group))
        return sim_cfg_fail(ld, g, "the group name \"%s\" must use only "
                            "letters, digits, '_', '.' and '-'", group);
    if (group && e->dummy && strcmp(group, "dummy") == 0)
        return sim_cfg_fail(ld, g, "the group name \"dummy\" is the dummy "
                                   "factor's; give the group another name");
    f->group = group_of(e, group ? group : f->name);
    sim_err ferr = {0};
    if (sim_factor_check(f, &ferr))
        return sim_cfg_fail(ld, g, "%s", ferr.msg);
    return 0;
}

static int load_factors(const sim_loader *ld, const config_setting_t *root,
                        sim_experiment *e)
{
    config_setting_t *l;
    int rc = sim_cfg_get_list(ld, root, "factors",
                              SIM_DESIGN_MAX_FACTORS - 1, &l);
    if (rc)
        return rc;
    if (!l || config_setting_length(l) < 1)
        return sim_cfg_fail(ld, l ? l : root,
                            "needs factors = ( { key = \"...\"; range = [lo, "
                            "hi]; } ): at least one factor");
    e->nfactors = config_setting_length(l);
    for (int i = 0; i < e->nfactors; i++)
        if ((rc = load_factor(ld, config_setting_get_elem(l, (unsigned)i), e,
                              i)))
            return rc;
    return 0;
}

/* The dummy factor: a range [0, 1] that no key receives, a group of its
 * own (last). */
static void add_dummy(sim_experiment *e)
{
    sim_factor *f = &e->factor[e->nfactors++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "dummy");
    f->kind = SIM_FACTOR_RANGE;
    f->hi = 1;
    f->group = group_of(e, "dummy");
}

/* Copies the scalar keys and resolves the scenario's path against the
 * experiment file's folder (dir_len characters of ld->file). */
static int finish(const sim_loader *ld, const config_setting_t *root,
                  const raw *r, size_t dir_len, sim_experiment *e)
{
    if (!r->scenario[0])
        return sim_cfg_fail(ld, root, "needs scenario = \"...\", the base "
                                      "scenario file");
    if (r->scenario[0] == '/' || dir_len == 0)
        snprintf(e->scenario, sizeof e->scenario, "%s", r->scenario);
    else if ((size_t)snprintf(e->scenario, sizeof e->scenario, "%.*s%s",
                              (int)dir_len, ld->file, r->scenario) >=
             sizeof e->scenario)
        return sim_cfg_fail(ld, config_setting_get_member(root, "scenario"),
                            "joined to the experiment file's folder, the "
                            "path is too long (at most %d bytes)",
                            SIM_PATH_MAX - 1);
    e->design = (sim_design_opts){(sim_design_type)r->design, r->samples,
                                  r->second_order, r->levels, r->maximin,
                                  (uint64_t)r->seed};
    e->replications = r->replications;
    e->seed = (uint64_t)r->seed;
    e->statistic = (sim_statistic)r->statistic;
    e->bootstrap = r->bootstrap;
    e->dummy = r->dummy;
    if (e->dummy && e->design.type != SIM_DESIGN_SOBOL)
        return sim_cfg_fail(ld, config_setting_get_member(root, "dummy"),
                            "a dummy factor is for sobol designs only");
    if (e->dummy)
        add_dummy(e);
    return 0;
}

static int load_tree(sim_experiment *e, config_t *cfg, const char *label,
                     size_t dir_len, sim_err *err)
{
    sim_loader ld = {label, err};
    memset(e, 0, sizeof *e);
    snprintf(e->file, sizeof e->file, "%s", label);
    const config_setting_t *root = config_root_setting(cfg);
    /* the defaults of the key table */
    raw r = {.samples = 64, .levels = 4, .maximin = 1, .replications = 100,
             .bootstrap = 1000, .seed = 1};
    int rc = check_top(&ld, root);
    for (int i = 0; !rc && i < N_TOP; i++) {
        const config_setting_t *v =
            config_setting_get_member(root, top_keys[i].name);
        if (v)
            rc = sim_cfg_load_key(&ld, v, &top_keys[i], &r);
    }
    e->dummy = r.dummy; /* the factors' names must leave "dummy" free */
    if (!rc)
        rc = load_metrics(&ld, root, e);
    if (!rc)
        rc = load_factors(&ld, root, e);
    if (!rc)
        rc = finish(&ld, root, &r, dir_len, e);
    return rc;
}

int sim_experiment_load(sim_experiment *e, const char *path, sim_err *err)
{
    config_t cfg;
    int rc = sim_cfg_read_file(&cfg, path, true, err);
    const char *slash = strrchr(path, '/');
    if (!rc)
        rc = load_tree(e, &cfg, path,
                       slash ? (size_t)(slash - path) + 1 : 0, err);
    config_destroy(&cfg);
    return rc;
}

int sim_experiment_load_string(sim_experiment *e, const char *text,
                               const char *label, sim_err *err)
{
    config_t cfg;
    int rc = sim_cfg_read_string(&cfg, text, label, err);
    if (!rc)
        rc = load_tree(e, &cfg, label, 0, err);
    config_destroy(&cfg);
    return rc;
}
