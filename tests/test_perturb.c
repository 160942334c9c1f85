/* test_perturb.c - no key is accepted and then ignored (issue 11): every
 * numeric key of the resolved baseline is moved in turn by 10 % of its
 * value (or, for a value of 0, of its sensible range), 200 replications
 * run with the same master seed, and runs.csv must change unless the
 * scenario reference lists the key, with the reason, as without effect
 * in this configuration. Conversely a listed key must indeed change
 * nothing, so the list stays honest.
 *
 * Label `slow` (about a minute: some 250 batches of 200 replications). */
#include "testutil.h"

#include <sanctionsim/sanctionsim.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPS 200
#define SEED 1
#define MAX_KEYS 512

typedef struct num_key {
    char path[128];
    double value, min, max;
    bool integer;
} num_key;

typedef struct key_list {
    num_key k[MAX_KEYS];
    int n;
} key_list;

static void add(key_list *l, const char *path, double v, double lo, double hi,
                bool integer)
{
    assert_true(l->n < MAX_KEYS);
    num_key *k = &l->k[l->n++];
    snprintf(k->path, sizeof k->path, "%s", path);
    k->value = v;
    k->min = lo;
    k->max = hi;
    k->integer = integer;
}

/* The numeric keys of table keys[0..n) read from the struct at base. */
static void add_table(key_list *l, const char *prefix, const sim_key *keys,
                      int n, const void *base)
{
    for (int i = 0; i < n; i++) {
        const sim_key *k = &keys[i];
        const char *p = (const char *)base + k->offset;
        char path[128];
        snprintf(path, sizeof path, "%s%s", prefix, k->name);
        if (k->type == SIM_KEY_INT)
            add(l, path, *(const int *)p, k->min, k->max, true);
        else if (k->type == SIM_KEY_INT64)
            add(l, path, (double)*(const int64_t *)p, k->min, k->max, true);
        else if (k->type == SIM_KEY_FLOAT)
            add(l, path, *(const double *)p, k->min, k->max, false);
    }
}

/* Every numeric key of the resolved scenario sc, as --set paths. */
static void list_keys(const sim_scenario *sc, key_list *l)
{
    char prefix[128];
    for (int s = 0; s < sim_n_sections; s++) {
        snprintf(prefix, sizeof prefix, "%s%s", sim_sections[s].path,
                 sim_sections[s].path[0] ? "." : "");
        add_table(l, prefix, sim_sections[s].keys, sim_sections[s].nkeys, sc);
    }
    for (int i = 0; i < SIM_N_SHOCKS; i++) {
        const sim_dist *d = &sc->shock[i];
        for (int j = 0; j < sim_dist_nparams(d->type); j++) {
            const sim_dist_param *pi = sim_dist_param_info(d->type, j);
            if (sim_shock_is_stock(i) && d->type == SIM_DIST_BINOMIAL &&
                j == 1)
                continue; /* n is the stock */
            snprintf(prefix, sizeof prefix, "shocks.%s.%s", sim_shock_name(i),
                     pi->name);
            add(l, prefix, d->p[j], pi->min, pi->max, pi->integer);
        }
    }
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        const sim_actor_spec *as = &sc->actor[a];
        const char *an = sim_actor_name(a);
        snprintf(prefix, sizeof prefix, "actors.%s.discount", an);
        add(l, prefix, as->discount, 0, 1, false);
        snprintf(prefix, sizeof prefix, "actors.%s.stage_discount", an);
        add(l, prefix, as->stage_discount, 0, 1, false);
        for (int f = 0; f < SIM_N_FEATURES; f++) {
            snprintf(prefix, sizeof prefix, "actors.%s.weights.%s", an,
                     sim_feature_name(f));
            add(l, prefix, as->weight[f], -1e9, 1e9, false);
        }
        for (int r = 0; r < SIM_N_ROLES; r++) {
            if (!sim_actor_has_role(sc, a, r))
                continue;
            const sim_model_spec *m = &as->model[r];
            snprintf(prefix, sizeof prefix, "actors.%s.%s.", an,
                     sim_role_name(r));
            add_table(l, prefix, m->type->params, m->type->nparams, m->param);
        }
    }
    for (int i = 0; i < sc->n_instruments; i++) {
        snprintf(prefix, sizeof prefix, "instruments.[%d].", i);
        add_table(l, prefix, sim_instrument_keys, sim_n_instrument_keys,
                  &sc->instrument[i]);
    }
    for (int i = 0; i < sc->n_events; i++) {
        snprintf(prefix, sizeof prefix, "calendar.[%d].", i);
        add_table(l, prefix, sim_event_keys, sim_n_event_keys, &sc->event[i]);
    }
}

/* The perturbed value: up by 10 % of the value (of the sensible range
 * for 0), down where up leaves the hard or the sensible range; whole
 * numbers move by at least 1. */
static double perturbed(const num_key *k)
{
    double lo = k->min, hi = k->max, slo, shi;
    if (sim_key_sensible(k->path, &slo, &shi, NULL)) {
        lo = fmax(lo, slo);
        hi = fmin(hi, shi);
    }
    double d = k->value != 0 ? 0.1 * fabs(k->value) : 0.1 * (hi - lo);
    if (!(d > 0) || !isfinite(d))
        d = 0.1;
    if (k->integer)
        d = fmax(1, round(d));
    double v = k->value + d <= hi ? k->value + d : k->value - d;
    if (v < k->min)
        v = k->min;
    return v;
}

/* Runs the baseline with the overrides sets[0..nsets) into dir; returns
 * runs.csv (malloc'ed), or NULL if the loader refuses the override as a
 * value it would ignore (its message printed). */
static char *run_baseline(const char *dir, const char *const *sets,
                          int nsets)
{
    sim_scenario *sc = malloc(sizeof *sc);
    assert_non_null(sc);
    sim_err err = {0};
    int rc = sim_scenario_load(sc, sim_builtin_models(),
                               "scenarios/baseline.cfg", sets, nsets, NULL,
                               &err);
    if (rc && nsets && strstr(err.msg, "would be ignored")) {
        print_message("refused: %s\n", err.msg);
        free(sc);
        return NULL;
    }
    if (rc)
        fail_msg("%s: %s", nsets ? sets[0] : "baseline", err.msg);
    sim_batch_opts o = {.seed = SEED, .replications = REPS, .outdir = dir,
                        .force = true, .threads = 2};
    sim_batch_result r;
    rc = sim_batch_run(sc, &o, &r, &err);
    if (rc)
        fail_msg("%s: %s", nsets ? sets[0] : "baseline", err.msg);
    sim_batch_result_free(&r);
    free(sc);
    char path[1200];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    char *text = sim_test_slurp(path, NULL);
    assert_non_null(text);
    return text;
}

/* The keys the scenario reference lists as without effect: the rows of
 * its section "Keys without effect in the baseline", into *out
 * (malloc'ed text, one key per line, "\n" before and after each). */
static char *inert_keys(void)
{
    char *ref = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&ref, &len);
    assert_non_null(f);
    sim_scenario_reference(f, sim_builtin_models());
    assert_int_equal(fclose(f), 0);
    const char *sec = strstr(ref, "\n## Keys without effect in the baseline");
    assert_non_null(sec);
    char *keys = calloc(1, len + 2);
    assert_non_null(keys);
    strcat(keys, "\n");
    for (const char *line = strchr(sec + 1, '\n'); line && line[1] != '#';
         line = strchr(line + 1, '\n')) {
        if (strncmp(line, "\n| `", 4) != 0)
            continue;
        const char *end = strchr(line + 4, '`');
        assert_non_null(end);
        strncat(keys, line + 4, (size_t)(end - line - 4));
        strcat(keys, "\n");
    }
    free(ref);
    return keys;
}

static bool listed(const char *keys, const char *path)
{
    char needle[160];
    snprintf(needle, sizeof needle, "\n%s\n", path);
    return strstr(keys, needle) != NULL;
}

static void test_every_key_moves_runs_csv(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("test_perturb");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/base", tmp);
    char *base = run_baseline(dir, NULL, 0);
    sim_scenario *sc = malloc(sizeof *sc);
    key_list *l = malloc(sizeof *l);
    assert_non_null(sc);
    assert_non_null(l);
    l->n = 0;
    sim_err err = {0};
    assert_int_equal(sim_scenario_load(sc, sim_builtin_models(),
                                       "scenarios/baseline.cfg", NULL, 0,
                                       NULL, &err),
                     0);
    list_keys(sc, l);
    char *inert = inert_keys();
    int failures = 0, moved = 0, refused = 0;
    for (int i = 0; i < l->n; i++) {
        char set[256];
        snprintf(set, sizeof set, "%s=%.10g", l->k[i].path,
                 perturbed(&l->k[i]));
        const char *sets[] = {set};
        snprintf(dir, sizeof dir, "%s/k", tmp);
        char *runs = run_baseline(dir, sets, 1);
        if (!runs) { /* refused with a reason: not ignored */
            refused++;
            continue;
        }
        bool changed = strcmp(runs, base) != 0;
        free(runs);
        moved += changed;
        if (!changed && !listed(inert, l->k[i].path)) {
            print_error("--set %s changes nothing in runs.csv, and the "
                        "reference does not list %s as without effect\n",
                        set, l->k[i].path);
            failures++;
        } else if (changed && listed(inert, l->k[i].path)) {
            print_error("--set %s changes runs.csv, but the reference "
                        "lists %s as without effect\n",
                        set, l->k[i].path);
            failures++;
        }
    }
    print_message("%d numeric keys: %d change runs.csv, %d refused\n", l->n,
                  moved, refused);
    assert_true(l->n > 150);
    assert_int_equal(failures, 0);
    free(inert);
    free(l);
    free(sc);
    free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_moves_runs_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
