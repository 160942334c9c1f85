/* calib_load.c - reads a calibration file (libconfig) into sim_calib: the
 * scalar keys through a key table, as the experiment loader does, then
 * the parameters. Errors name the file, line and key; unknown keys get a
 * "did you mean". */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config_util_impl.h"
#include <sanctionsim/calibrate.h>
#include <sanctionsim/suggest.h>

static const char *const method_choices[] = {"smm", "abc", NULL};
static const char *const weighting_choices[] = {"predictive", "mean", NULL};
static const char *const prior_choices[] = {"uniform", "normal", "lognormal",
                                            NULL};

/* The scalar keys, read into this struct and then copied. */
typedef struct raw {
    char scenario[SIM_PATH_MAX];
    char targets[SIM_PATH_MAX];
    int method, weighting, replications, max_iterations, restarts, draws,
        keep;
    int64_t seed;
    double max_seconds, tolerance, step, accept, abc_tolerance;
} raw;

#define KEY(name, type, field, def, min, max, sdef, choices, doc)             \
    {name, type, offsetof(raw, field), sizeof(((raw *)0)->field), def, min,   \
     max, sdef, choices, "", doc}

static const sim_key top_keys[] = {
    KEY("scenario", SIM_KEY_STRING, scenario, 0, 0, 0, "", NULL,
        "the base scenario, relative to the calibration file"),
    KEY("targets", SIM_KEY_STRING, targets, 0, 0, 0, "", NULL,
        "the targets file, relative to the calibration file"),
    KEY("method", SIM_KEY_CHOICE, method, 0, 0, 0, "smm", method_choices,
        "smm or abc"),
    KEY("weighting", SIM_KEY_CHOICE, weighting, 0, 0, 0, "predictive",
        weighting_choices,
        "predictive: 1 / (uncertainty^2 + var (1 + 1/n)); mean: 1 / "
        "(uncertainty^2 + var / n)"),
    KEY("replications", SIM_KEY_INT, replications, 100, 2, 1e7, NULL, NULL,
        "replications per evaluation"),
    KEY("seed", SIM_KEY_INT64, seed, 1, 0, 9.2e18, NULL, NULL, "master seed"),
    KEY("max_seconds", SIM_KEY_FLOAT, max_seconds, 0, 0, 1e9, NULL, NULL,
        "time budget in seconds, 0 for none"),
    KEY("max_iterations", SIM_KEY_INT, max_iterations, 200, 1, 1e7, NULL,
        NULL, "smm: Nelder-Mead iterations at most"),
    KEY("restarts", SIM_KEY_INT, restarts, 0, 0, 1000, NULL, NULL,
        "smm: fresh simplexes at the best point once the tolerance is met, "
        "while each lowers the objective"),
    KEY("tolerance", SIM_KEY_FLOAT, tolerance, 1e-3, 0, 1e3, NULL, NULL,
        "smm: the simplex size (logit units) to stop at"),
    KEY("step", SIM_KEY_FLOAT, step, 1.0, 1e-6, 10, NULL, NULL,
        "smm: the initial simplex step (logit units)"),
    KEY("draws", SIM_KEY_INT, draws, 1000, 1, 1e8, NULL, NULL,
        "abc: prior draws at most"),
    KEY("accept", SIM_KEY_FLOAT, accept, 0.1, 1e-6, 1, NULL, NULL,
        "abc: the closest fraction of the draws kept"),
    KEY("abc_tolerance", SIM_KEY_FLOAT, abc_tolerance, 0, 0, 1e300, NULL,
        NULL, "abc: keep the draws within this distance (0: use accept)"),
    KEY("keep", SIM_KEY_INT, keep, 0, 0, 1e8, NULL, NULL,
        "abc with abc_tolerance: stop once this many are kept (0: never)"),
};
#define N_TOP ((int)(sizeof top_keys / sizeof *top_keys))

static const char *const param_members[] = {
    "key", "name", "range", "start", "prior", "mean", "sd", "zeta", "sigma"};
#define N_PARAM_MEMBERS ((int)(sizeof param_members / sizeof *param_members))

static bool csv_safe(const char *s)
{
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || strchr("_.-", *s)))
            return false;
    return true;
}

/* A number member `name` of g into *v; absent leaves *v. */
static int opt_number(const sim_loader *ld, const config_setting_t *g,
                      const char *name, double *v)
{
    const config_setting_t *s = config_setting_get_member(g, name);
    if (!s)
        return 0;
    if (!sim_cfg_is_number(s) || !isfinite(sim_cfg_number(s)))
        return sim_cfg_fail(ld, s, "expected a number");
    *v = sim_cfg_number(s);
    return 0;
}

/* The range [lo, hi] of parameter g. */
static int load_range(const sim_loader *ld, const config_setting_t *g,
                      sim_calib_param *p)
{
    const config_setting_t *r = config_setting_get_member(g, "range");
    if (!r)
        return sim_cfg_fail(ld, g, "a parameter needs range = [lo, hi], its "
                                   "bounds");
    const config_setting_t *a = config_setting_get_elem(r, 0),
                           *b = config_setting_get_elem(r, 1);
    if (!config_setting_is_aggregate(r) || config_setting_length(r) != 2 ||
        !sim_cfg_is_number(a) || !sim_cfg_is_number(b) ||
        !(sim_cfg_number(a) < sim_cfg_number(b)) ||
        !isfinite(sim_cfg_number(b) - sim_cfg_number(a)))
        return sim_cfg_fail(ld, r, "expected [lo, hi] with lo < hi (write "
                                   "both as floats, [0.0, 1.0])");
    p->lo = sim_cfg_number(a);
    p->hi = sim_cfg_number(b);
    return 0;
}

/* The prior of parameter g (uniform if not given). */
static int load_prior(const sim_loader *ld, const config_setting_t *g,
                      sim_calib_param *p)
{
    const config_setting_t *s = config_setting_get_member(g, "prior");
    p->prior = SIM_PRIOR_UNIFORM;
    if (!s)
        return 0;
    const char *v = config_setting_get_string(s);
    int k = -1;
    for (int i = 0; v && prior_choices[i]; i++)
        if (!strcmp(v, prior_choices[i]))
            k = i;
    if (k < 0) {
        char hint[SIM_TEXT_MAX];
        sim_suggest(v ? v : "", prior_choices, 3, hint, sizeof hint);
        return sim_cfg_fail(ld, s, "unknown prior (uniform, normal or "
                                   "lognormal)%s", hint);
    }
    p->prior = (sim_calib_prior)k;
    if (k == SIM_PRIOR_UNIFORM)
        return 0;
    const char *n0 = k == SIM_PRIOR_NORMAL ? "mean" : "zeta",
               *n1 = k == SIM_PRIOR_NORMAL ? "sd" : "sigma";
    const config_setting_t *a = config_setting_get_member(g, n0),
                           *b = config_setting_get_member(g, n1);
    if (!a || !b || !sim_cfg_is_number(a) || !sim_cfg_is_number(b) ||
        !(sim_cfg_number(b) > 0))
        return sim_cfg_fail(ld, a && b ? b : g, "the %s prior needs %s = "
                            "<number> and %s = <number> > 0", v, n0, n1);
    p->p0 = sim_cfg_number(a);
    p->p1 = sim_cfg_number(b);
    if (k == SIM_PRIOR_LOGNORMAL && !(p->lo >= 0))
        return sim_cfg_fail(ld, s, "a lognormal prior needs lo >= 0");
    return 0;
}

static int load_param(const sim_loader *ld, const config_setting_t *g,
                      sim_calib *c, int i)
{
    sim_calib_param *p = &c->param[i];
    memset(p, 0, sizeof *p);
    p->line = (int)config_setting_source_line(g);
    /* g is a group: sim_cfg_get_list (load_params) refuses any other
     * element with its line */
    int rc = sim_cfg_check_members(ld, g, param_members, N_PARAM_MEMBERS);
    const char *key = NULL, *name = NULL;
    if (!rc && (!config_setting_lookup_string(g, "key", &key) || !key[0] ||
                strlen(key) >= sizeof p->key || strchr(key, '=')))
        rc = sim_cfg_fail(ld, g, "a parameter needs key = \"...\", the "
                                 "scenario key it fits");
    if (rc || (rc = load_range(ld, g, p)) || (rc = load_prior(ld, g, p)))
        return rc;
    snprintf(p->key, sizeof p->key, "%s", key);
    if (config_setting_lookup_string(g, "name", &name))
        snprintf(p->name, sizeof p->name, "%s", name);
    else
        sim_cfg_key_label(key, p->name, sizeof p->name);
    if (!p->name[0] || !csv_safe(p->name))
        return sim_cfg_fail(ld, g, "the parameter name \"%s\" must use only "
                            "letters, digits, '_', '.' and '-' (it names a "
                            "column)", p->name);
    for (int j = 0; j < i; j++)
        if (!strcmp(c->param[j].name, p->name))
            return sim_cfg_fail(ld, g, "two parameters are named \"%s\"; "
                                "give one a name = \"...\"", p->name);
    p->start = 0.5 * (p->lo + p->hi);
    if ((rc = opt_number(ld, g, "start", &p->start)))
        return rc;
    if (!(p->start > p->lo && p->start < p->hi))
        return sim_cfg_fail(ld, config_setting_get_member(g, "start"),
                            "start must lie strictly inside the range");
    return 0;
}

static int load_params(const sim_loader *ld, const config_setting_t *root,
                       sim_calib *c)
{
    config_setting_t *l;
    int rc = sim_cfg_get_list(ld, root, "parameters", SIM_CALIB_MAX_PARAMS,
                              &l);
    if (rc)
        return rc;
    if (!l || config_setting_length(l) < 1)
        return sim_cfg_fail(ld, l ? l : root,
                            "needs parameters = ( { key = \"...\"; range = "
                            "[lo, hi]; } ): at least one parameter");
    c->nparams = config_setting_length(l);
    for (int i = 0; i < c->nparams; i++)
        if ((rc = load_param(ld, config_setting_get_elem(l, (unsigned)i), c,
                             i)))
            return rc;
    return 0;
}

/* path relative to the calibration file's folder (dir_len characters of
 * ld->file) into out. */
static int resolve(const sim_loader *ld, const config_setting_t *root,
                   const char *key, const char *path, size_t dir_len,
                   char *out)
{
    if (!path[0])
        return sim_cfg_fail(ld, root, "needs %s = \"...\"", key);
    if (path[0] == '/' || dir_len == 0)
        snprintf(out, SIM_PATH_MAX, "%s", path);
    else if ((size_t)snprintf(out, SIM_PATH_MAX, "%.*s%s", (int)dir_len,
                              ld->file, path) >= SIM_PATH_MAX)
        return sim_cfg_fail(ld, config_setting_get_member(root, key),
                            "the path of %s is too long", key);
    return 0;
}

static int finish(const sim_loader *ld, const config_setting_t *root,
                  const raw *r, size_t dir_len, sim_calib *c)
{
    int rc = resolve(ld, root, "scenario", r->scenario, dir_len, c->scenario);
    if (!rc)
        rc = resolve(ld, root, "targets", r->targets, dir_len, c->targets);
    if (rc)
        return rc;
    c->method = (sim_calib_method)r->method;
    c->weighting = (sim_calib_weighting)r->weighting;
    c->replications = r->replications;
    c->seed = (uint64_t)r->seed;
    c->max_seconds = r->max_seconds;
    c->max_iterations = r->max_iterations;
    c->restarts = r->restarts;
    c->tolerance = r->tolerance;
    c->step = r->step;
    c->draws = r->draws;
    c->accept = r->accept;
    c->abc_tolerance = r->abc_tolerance;
    c->keep = r->keep;
    if (c->keep > 0 && c->abc_tolerance <= 0)
        return sim_cfg_fail(ld, config_setting_get_member(root, "keep"),
                            "keep needs abc_tolerance > 0");
    return 0;
}

int sim_calib_load(sim_calib *c, const char *path, sim_err *err)
{
    config_t cfg;
    memset(c, 0, sizeof *c);
    int rc = sim_cfg_read_file(&cfg, path, true, err);
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    sim_loader ld = {path, err};
    snprintf(c->file, sizeof c->file, "%s", path);
    const config_setting_t *root = rc ? NULL : config_root_setting(&cfg);
    raw r = {.replications = 100, .seed = 1, .max_iterations = 200,
             .tolerance = 1e-3, .step = 1.0, .draws = 1000, .accept = 0.1};
    if (!rc) {
        const char *names[N_TOP + 1];
        for (int i = 0; i < N_TOP; i++)
            names[i] = top_keys[i].name;
        names[N_TOP] = "parameters";
        rc = sim_cfg_check_members(&ld, root, names, N_TOP + 1);
    }
    for (int i = 0; !rc && i < N_TOP; i++) {
        const config_setting_t *v =
            config_setting_get_member(root, top_keys[i].name);
        if (v)
            rc = sim_cfg_load_key(&ld, v, &top_keys[i], &r);
    }
    if (!rc)
        rc = load_params(&ld, root, c);
    if (!rc)
        rc = finish(&ld, root, &r, dir_len, c);
    config_destroy(&cfg);
    return rc;
}
