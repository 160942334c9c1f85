/* test_sensitivity.c - Sobol indices and Morris measures against known
 * answers, through the path a sweep takes (experiment text -> design ->
 * each point evaluated -> indices -> files), with a function in place of
 * the simulator (sim_sweep_run_fn).
 *
 * Known answers: the Ishigami function, a = 7, b = 0.1 (Ishigami and
 * Homma 1990; values from Saltelli et al., "Global Sensitivity Analysis:
 * The Primer", 2008): S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437;
 * S13 = 0.2437. Sobol's G function: V_i = 1 / (3 (1 + a_i)^2), V =
 * prod(1 + V_i) - 1, S_i = V_i / V, ST_i = V_i prod_{j != i}(1 + V_j) / V
 * (Saltelli et al. 2010, section 4). Tolerances: 0.02 at N = 2^12 base
 * samples of the Sobol sequence, whose error is a few thousandths here
 * (Saltelli et al. 2010, fig. 3); the bootstrap interval must cover the
 * true value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include <sanctionsim/design.h>
#include <sanctionsim/experiment.h>
#include <sanctionsim/sensitivity.h>

static sim_experiment exp_a;

static void load(const char *text)
{
    sim_err err = {0};
    int rc = sim_experiment_load_string(&exp_a, text, "e.cfg", &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
}

static int ishigami(void *ctx, long point, const double *x, double *y,
                    double *se, sim_err *err)
{
    (void)ctx, (void)point, (void)err;
    y[0] = sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]);
    se[0] = 0;
    return 0;
}

static const double g_a[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};

static int g_function(void *ctx, long point, const double *x, double *y,
                      double *se, sim_err *err)
{
    (void)ctx, (void)point, (void)err;
    double g = 1;
    for (int i = 0; i < 8; i++)
        g *= (fabs(4 * x[i] - 2) + g_a[i]) / (1 + g_a[i]);
    y[0] = g;
    se[0] = 0;
    return 0;
}

/* Runs exp_a through f into a fresh directory (returned: a static
 * buffer). */
static const char *run(sim_sweep_fn f, const char *name, sim_sweep_result *r)
{
    static char dir[1024];
    snprintf(dir, sizeof dir, "%s/out", sim_test_tmpdir(name));
    sim_err err = {0};
    sim_sweep_opts o = {.outdir = dir};
    int rc = sim_sweep_run_fn(&exp_a, f, NULL, &o, r, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    return dir;
}

/* The estimate is within tol of truth and its interval covers it. */
static void check_index(const sim_index *x, double truth, double tol,
                        const char *what)
{
    if (fabs(x->est - truth) > tol || !(x->lo <= truth + 0.005) ||
        !(x->hi >= truth - 0.005))
        print_error("%s: %.4f [%.4f, %.4f], want %.4f\n", what, x->est, x->lo,
                    x->hi, truth);
    assert_close(x->est, truth, tol);
    assert_true(x->lo <= truth + 0.005 && x->hi >= truth - 0.005);
}

#define ISHIGAMI_FACTORS                                                      \
    "  { key = \"x1\"; range = [-3.141592653589793, 3.141592653589793]; %s "  \
    "},\n"                                                                    \
    "  { key = \"x2\"; range = [-3.141592653589793, 3.141592653589793]; %s "  \
    "},\n"                                                                    \
    "  { key = \"x3\"; range = [-3.141592653589793, 3.141592653589793]; %s "  \
    "}\n"

static void test_ishigami(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text,
             "scenario = \"none.cfg\"; design = \"sobol\"; samples = 4096;\n"
             "second_order = true; bootstrap = 300; seed = 3;\n"
             "metrics = [\"y\"];\nfactors = (\n" ISHIGAMI_FACTORS ");\n",
             "", "", "");
    load(text);
    sim_sweep_result r;
    run(ishigami, "sens_ishigami", &r);
    assert_int_equal(r.design.npoints, 4096 * 8);
    const sim_sobol_result *s = &r.sobol[0];
    printf("Ishigami: S1 %.4f %.4f %.4f  ST %.4f %.4f %.4f  S13 %.4f\n",
           s->s1[0].est, s->s1[1].est, s->s1[2].est, s->st[0].est,
           s->st[1].est, s->st[2].est, s->s2[0][2].est);
    check_index(&s->s1[0], 0.3139, 0.02, "S1 x1");
    check_index(&s->s1[1], 0.4424, 0.02, "S1 x2");
    check_index(&s->s1[2], 0.0, 0.02, "S1 x3");
    check_index(&s->st[0], 0.5576, 0.02, "ST x1");
    check_index(&s->st[1], 0.4424, 0.02, "ST x2");
    check_index(&s->st[2], 0.2437, 0.02, "ST x3");
    check_index(&s->s2[0][2], 0.2437, 0.03, "S13");
    check_index(&s->s2[0][1], 0.0, 0.03, "S12");
    /* x3 alone does nothing: its interval covers zero, x1's does not */
    assert_true(sim_index_covers_zero(&s->s1[2]));
    assert_false(sim_index_covers_zero(&s->s1[0]));
    sim_sweep_result_free(&r);
}

/* Groups: {x1, x3} and {x2}. The group's first-order index is the sum of
 * its members' closed effects, S1 + S3 + S13 = 0.5576, equal to its total
 * (x2 does not interact). */
static void test_ishigami_grouped(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text,
             "scenario = \"none.cfg\"; design = \"sobol\"; samples = 4096;\n"
             "bootstrap = 200; dummy = true;\n"
             "metrics = [\"y\"];\nfactors = (\n" ISHIGAMI_FACTORS ");\n",
             "group = \"a\";", "group = \"b\";", "group = \"a\";");
    load(text);
    assert_int_equal(exp_a.ngroups, 3); /* a, b, dummy */
    sim_sweep_result r;
    run(ishigami, "sens_grouped", &r);
    assert_int_equal(r.design.npoints, 4096 * 5);
    const sim_sobol_result *s = &r.sobol[0];
    printf("grouped Ishigami: S1 {x1,x3} %.4f {x2} %.4f dummy %.4f; ST "
           "%.4f %.4f %.4f\n",
           s->s1[0].est, s->s1[1].est, s->s1[2].est, s->st[0].est,
           s->st[1].est, s->st[2].est);
    check_index(&s->s1[0], 0.5576, 0.02, "S1 {x1,x3}");
    check_index(&s->st[0], 0.5576, 0.02, "ST {x1,x3}");
    check_index(&s->s1[1], 0.4424, 0.02, "S1 {x2}");
    check_index(&s->st[1], 0.4424, 0.02, "ST {x2}");
    /* the dummy is exactly inert: both its indices are zero */
    assert_close(s->st[2].est, 0, 1e-12);
    sim_sweep_result_free(&r);
}

static void test_g_function(void **state)
{
    (void)state;
    char text[4096];
    int n = snprintf(text, sizeof text,
                     "scenario = \"none.cfg\"; design = \"sobol\"; "
                     "samples = 4096; bootstrap = 200;\n"
                     "metrics = [\"g\"];\nfactors = (\n");
    for (int i = 0; i < 8; i++)
        n += snprintf(text + n, sizeof text - (size_t)n,
                      "  { key = \"x%d\"; range = [0, 1]; }%s\n", i + 1,
                      i < 7 ? "," : "");
    snprintf(text + n, sizeof text - (size_t)n, ");\n");
    load(text);
    sim_sweep_result r;
    run(g_function, "sens_g", &r);
    double vi[8], prod = 1;
    for (int i = 0; i < 8; i++) {
        vi[i] = 1 / (3 * (1 + g_a[i]) * (1 + g_a[i]));
        prod *= 1 + vi[i];
    }
    double v = prod - 1;
    const sim_sobol_result *s = &r.sobol[0];
    printf("G function (S1 est/true, ST est/true):");
    for (int i = 0; i < 8; i++) {
        double s1 = vi[i] / v, st = vi[i] * prod / (1 + vi[i]) / v;
        printf(" x%d %.4f/%.4f %.4f/%.4f;", i + 1, s->s1[i].est, s1,
               s->st[i].est, st);
        char what[32];
        snprintf(what, sizeof what, "S1 x%d", i + 1);
        check_index(&s->s1[i], s1, 0.02, what);
        snprintf(what, sizeof what, "ST x%d", i + 1);
        check_index(&s->st[i], st, 0.02, what);
    }
    printf("\n");
    sim_sweep_result_free(&r);
}

static int linear(void *ctx, long point, const double *x, double *y,
                  double *se, sim_err *err)
{
    (void)ctx, (void)point, (void)err;
    y[0] = 2 * x[0] - 3 * x[1] + 0 * x[2];
    y[1] = x[0] * x[1]; /* an interaction: sigma > 0 */
    se[0] = se[1] = 0;
    return 0;
}

/* Morris on a linear function: every elementary effect is the
 * coefficient times the range (here 1 and 2), so mu* is its absolute
 * value and sigma 0; a product has effects that vary (sigma > 0). */
static void test_morris_linear(void **state)
{
    (void)state;
    load("scenario = \"none.cfg\"; design = \"morris\"; samples = 20; "
         "levels = 4;\nmetrics = [\"lin\", \"prod\"];\n"
         "factors = ( { key = \"a\"; range = [0, 1]; },\n"
         "  { key = \"b\"; range = [0, 2]; },\n"
         "  { key = \"c\"; values = [1, 2, 3, 4]; } );\n");
    sim_sweep_result r;
    run(linear, "sens_morris", &r);
    assert_int_equal(r.design.npoints, 20 * 4);
    const sim_morris_result *m = &r.morris[0];
    assert_close(m->delta, 4 / 6.0, 1e-12);
    assert_close(m->f[0].mu_star, 2, 1e-9);
    assert_close(m->f[0].mu, 2, 1e-9);
    assert_close(m->f[1].mu_star, 6, 1e-9); /* -3 over a range of 2 */
    assert_close(m->f[1].mu, -6, 1e-9);
    assert_close(m->f[2].mu_star, 0, 1e-12);
    assert_close(m->f[0].sigma, 0, 1e-9);
    assert_true(r.morris[1].f[0].sigma > 0.1);
    sim_sweep_result_free(&r);
}

/* The result files: design.csv's header and rows, sensitivity.csv's rows
 * (factor x metric), convergence.csv, manifest.cfg. */
static void test_sweep_files(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text,
             "scenario = \"none.cfg\"; design = \"sobol\"; samples = 64;\n"
             "bootstrap = 50; metrics = [\"y\"];\nfactors = (\n"
             ISHIGAMI_FACTORS ");\n", "name = \"first\";", "", "");
    load(text);
    sim_sweep_result r;
    const char *dir = run(ishigami, "sens_files", &r);
    char path[1200];
    snprintf(path, sizeof path, "%s/design.csv", dir);
    char *design = sim_test_slurp(path, NULL);
    assert_non_null(design);
    assert_memory_equal(design, "point,first,x2,x3\n0,", 20);
    int lines = 0;
    for (const char *c = design; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1 + 64 * 5);
    snprintf(path, sizeof path, "%s/sensitivity.csv", dir);
    char *sens = sim_test_slurp(path, NULL);
    assert_non_null(sens);
    assert_non_null(strstr(sens, "\nfirst,y,mean,64,"));
    assert_non_null(strstr(sens, "\nx3,y,mean,64,"));
    snprintf(path, sizeof path, "%s/convergence.csv", dir);
    char *conv = sim_test_slurp(path, NULL);
    assert_non_null(conv);
    assert_non_null(strstr(conv, "\n4,first,y,"));
    assert_non_null(strstr(conv, "\n64,x3,y,"));
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    char *man = sim_test_slurp(path, NULL);
    assert_non_null(man);
    assert_non_null(strstr(man, "design = \"sobol\";"));
    assert_non_null(strstr(man, "points = 320;"));
    free(design);
    free(sens);
    free(conv);
    free(man);
    sim_sweep_result_free(&r);
}

/* Indices asked of the wrong design, of too few base samples, of outputs
 * that are not finite or do not vary: each refused with its code. */
static void test_index_refusals(void **state)
{
    (void)state;
    sim_factor f[2];
    memset(f, 0, sizeof f);
    for (int i = 0; i < 2; i++) {
        snprintf(f[i].name, sizeof f[i].name, "x%d", i);
        f[i].kind = SIM_FACTOR_RANGE;
        f[i].hi = 1;
        f[i].group = i;
    }
    sim_design sobol, morris;
    sim_err err = {0};
    sim_design_opts os = {.type = SIM_DESIGN_SOBOL, .samples = 8};
    sim_design_opts om = {.type = SIM_DESIGN_MORRIS, .samples = 3,
                          .levels = 4, .seed = 1};
    assert_int_equal(sim_design_build(&sobol, f, 2, &os, &err), 0);
    assert_int_equal(sim_design_build(&morris, f, 2, &om, &err), 0);
    double y[64];
    for (int i = 0; i < 64; i++)
        y[i] = 1.0; /* constant */
    sim_sobol_opts so = {0, 0};
    sim_sobol_result sr;
    sim_morris_result mr;
    struct {
        int rc;
        const char *want;
    } got[6];
    got[0].rc = sim_sobol_indices(&morris, y, 2, &so, &sr, &err);
    got[0].want = "Sobol indices need a sobol design, not morris";
    if (!strstr(err.msg, got[0].want))
        fail_msg("%s", err.msg);
    got[1].rc = sim_sobol_indices(&sobol, y, 1, &so, &sr, &err);
    got[1].want = "Sobol indices from 1 base samples";
    if (!strstr(err.msg, got[1].want))
        fail_msg("%s", err.msg);
    got[2].rc = sim_sobol_indices(&sobol, y, 8, &so, &sr, &err);
    got[2].want = "the outputs do not vary";
    if (!strstr(err.msg, got[2].want))
        fail_msg("%s", err.msg);
    got[3].rc = sim_morris_indices(&sobol, y, &mr, &err);
    got[3].want = "Morris measures need a morris design, not sobol";
    if (!strstr(err.msg, got[3].want))
        fail_msg("%s", err.msg);
    y[5] = NAN;
    got[4].rc = sim_sobol_indices(&sobol, y, 8, &so, &sr, &err);
    got[4].want = "the output at design point 5 is not finite";
    if (!strstr(err.msg, got[4].want))
        fail_msg("%s", err.msg);
    got[5].rc = sim_morris_indices(&morris, y, &mr, &err);
    got[5].want = "the output at design point 5 is not finite";
    if (!strstr(err.msg, got[5].want))
        fail_msg("%s", err.msg);
    static const int code[] = {SIM_E_USAGE,   SIM_E_USAGE,   SIM_E_NUMERIC,
                               SIM_E_USAGE,   SIM_E_NUMERIC, SIM_E_NUMERIC};
    for (int i = 0; i < 6; i++)
        if (got[i].rc != code[i])
            fail_msg("case %d (%s): status %d, want %d", i, got[i].want,
                     got[i].rc, code[i]);
    sim_design_free(&sobol);
    sim_design_free(&morris);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_refusals),
        cmocka_unit_test(test_ishigami),
        cmocka_unit_test(test_ishigami_grouped),
        cmocka_unit_test(test_g_function),
        cmocka_unit_test(test_morris_linear),
        cmocka_unit_test(test_sweep_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
