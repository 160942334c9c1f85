/* lint.c - warnings about surprising values, and --strict. */
#include "lint.h"

#include <stdio.h>

#include <sanctionsim/scenario.h>

typedef struct printer {
    bool show;
} printer;

static void print_warning(void *ctx, const char *message)
{
    const printer *p = ctx;
    if (p->show)
        fprintf(stderr, "sanctionsim: warning: %s\n", message);
}

/* The status after n warnings: an error under --strict. */
static int verdict(int n, bool strict, const char *what, sim_err *err)
{
    if (!strict || n == 0)
        return 0;
    return sim_error(err, SIM_E_SCENARIO,
                     "%s: %d warning%s above; --strict makes them errors",
                     what, n, n == 1 ? "" : "s");
}

int lint_scenario(const char *path, const char *const *sets, int nsets,
                  bool strict, bool quiet, sim_err *err)
{
    printer p = {!quiet || strict};
    int n = sim_scenario_lint(path, sets, nsets, print_warning, &p, err);
    if (n < 0)
        return n;
    fflush(stderr);
    return verdict(n, strict, path, err);
}

/* The lowest and highest value factor f can take. */
static void factor_span(const sim_factor *f, double *lo, double *hi)
{
    *lo = f->lo;
    *hi = f->hi;
    if (f->kind == SIM_FACTOR_VALUES) {
        *lo = *hi = f->value[0];
        for (int i = 1; i < f->nvalues; i++) {
            *lo = f->value[i] < *lo ? f->value[i] : *lo;
            *hi = f->value[i] > *hi ? f->value[i] : *hi;
        }
    }
}

int lint_experiment(const sim_experiment *e, bool strict, bool quiet,
                    sim_err *err)
{
    printer p = {!quiet || strict};
    int n = sim_scenario_lint(e->scenario, NULL, 0, print_warning, &p, err);
    if (n < 0)
        return n;
    for (int i = 0; i < e->nfactors; i++) {
        const sim_factor *f = &e->factor[i];
        double lo, hi, slo, shi;
        const char *why = NULL;
        /* a distribution's support is not a range to check */
        if (!f->key[0] || f->boolean || f->kind == SIM_FACTOR_DIST ||
            !sim_key_sensible(f->key, &slo, &shi, &why))
            continue;
        factor_span(f, &lo, &hi);
        if (lo >= slo && hi <= shi)
            continue;
        char msg[2 * SIM_PATH_MAX + 1024];
        snprintf(msg, sizeof msg,
                 "%s:%d: factor %s (%s): its values %.10g to %.10g leave "
                 "the sensible range %.10g to %.10g%s%s",
                 e->file, e->line[i], f->name, f->key, lo, hi, slo, shi,
                 why ? ": " : "", why ? why : "");
        print_warning(&p, msg);
        n++;
    }
    fflush(stderr);
    return verdict(n, strict, e->file, err);
}
