/* fuzz_experiment.c - libFuzzer target: the experiment file loader (what
 * `sanctionsim sweep` reads) and the sweep's plan.
 *
 * At start a folder of its own gets a copy of the repository's
 * scenarios/baseline.cfg (FUZZ_BASE_SCENARIO, set by CMakeLists.txt) and
 * a subfolder experiments/, as in the repository, so that an experiment
 * naming scenario = "../baseline.cfg" finds its base. Each input is
 * written to experiments/fuzz.cfg and read with sim_experiment_load (the
 * base's path taken relative to it). The loader must return 0 or an error
 * with a message, never crash or hang; an experiment it accepts has 1 to
 * SIM_DESIGN_MAX_FACTORS factors and 1 to SIM_EXPERIMENT_MAX_METRICS
 * metrics, and its factors' names are distinct columns of design.csv
 * (the dummy's too, in a group of its own). Then, if its design has at
 * most FUZZ_MAX_CELLS values (a large design is a legal one that only
 * costs memory and time), sim_sweep_plan_make builds it and loads the
 * base scenario with the factors' values at the first and last point:
 * again 0 or an error with a message. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* open_memstream, mkdtemp */
#endif

#include "fuzz_common.h"
#include <sanctionsim/experiment.h>

#ifndef FUZZ_BASE_SCENARIO
#error "FUZZ_BASE_SCENARIO: the path of scenarios/baseline.cfg"
#endif
#define FUZZ_MAX_CELLS 20000L

static const char *exp_path;

/* The factors name design.csv's columns after "point": distinct names,
 * none "point"; the dummy (last, if any) alone in its group. */
static void check_names(const sim_experiment *e)
{
    for (int i = 0; i < e->nfactors; i++) {
        if (strcmp(e->factor[i].name, "point") == 0)
            fuzz_fail("a factor is named point", NULL);
        for (int j = 0; j < i; j++)
            if (strcmp(e->factor[i].name, e->factor[j].name) == 0)
                fuzz_fail("two factors have one name", e->factor[i].name);
    }
    const sim_factor *d = &e->factor[e->nfactors - 1];
    for (int i = 0; e->dummy && i < e->nfactors - 1; i++)
        if (e->factor[i].group == d->group)
            fuzz_fail("a factor shares the dummy's group", e->factor[i].name);
}

/* Copies the base scenario beside experiments/; NULL on failure. */
static const char *setup(void)
{
    const char *base = fuzz_dir_file("baseline.cfg", 0);
    const char *sub = fuzz_dir_file("experiments", 1);
    const char *path = fuzz_dir_file("experiments/fuzz.cfg", 0);
    FILE *f = fopen(FUZZ_BASE_SCENARIO, "rb");
    if (!base || !sub || !path || !f)
        fuzz_fail("cannot set up the base scenario", FUZZ_BASE_SCENARIO);
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n == sizeof buf || fuzz_write_file(base, buf, n) != 0)
        fuzz_fail("cannot copy the base scenario", FUZZ_BASE_SCENARIO);
    return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sim_experiment e; /* large: not on the stack */
    sim_err err = {0};
    if (!exp_path)
        exp_path = setup();
    if (fuzz_write_file(exp_path, data, size) != 0)
        return 0;
    int rc = sim_experiment_load(&e, exp_path, &err);
    fuzz_check_error(rc, &err);
    if (rc != 0)
        return 0;
    if (e.nfactors < 1 || e.nfactors > SIM_DESIGN_MAX_FACTORS ||
        e.nmetrics < 1 || e.nmetrics > SIM_EXPERIMENT_MAX_METRICS)
        fuzz_fail("an accepted experiment has no factors or metrics", NULL);
    check_names(&e);
    long points = sim_design_points(&e.design, e.factor, e.nfactors);
    long maximin = e.design.type == SIM_DESIGN_LHS ? e.design.maximin : 1;
    if (points < 0 || points > FUZZ_MAX_CELLS / e.nfactors / maximin)
        return 0;
    sim_sweep_plan plan;
    memset(&err, 0, sizeof err);
    rc = sim_sweep_plan_make(&e, sim_builtin_models(), &plan, &err);
    fuzz_check_error(rc, &err);
    if (rc == 0 && plan.points != points)
        fuzz_fail("the plan's points differ from sim_design_points", NULL);
    return 0;
}
