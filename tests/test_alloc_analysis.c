/* test_alloc_analysis.c - running out of memory in the analysis tools,
 * one allocation at a time (alloc_hook.h; this executable's name starts
 * with test_alloc_, so CMakeLists.txt links it with the failing
 * allocator), where test_alloc_fail does not reach: a maximin Latin
 * hypercube and a Sobol design, a paired comparison (the pairs by
 * replication, Wilcoxon's test), Mann-Whitney's exact counts, plot's
 * labelled tables, scenario differences, output directory and a manifest
 * libconfig cannot parse. Every failed attempt must return SIM_E_NOMEM
 * with a message and leave no result.
 *
 * Two allocations happen where ld's --wrap cannot see them, so this file
 * defines the functions itself (the executable's definition takes the
 * place of the shared library's for every caller in the static library):
 * - strdup (libc's allocates with libc's own malloc): while
 *   `strdup_hooked`, it allocates with the wrapped malloc, so that the
 *   sweep fails it; otherwise with the real one (libconfig calls strdup
 *   too, and must not fail here).
 * - gsl_qrng_alloc (libgsl allocates inside): one wrapped allocation
 *   stands for GSL's before the real call.
 * And gsl_qrng_get, which fails only after 2^30 points of the Sobol
 * sequence (more than a design may have), fails here on request. */
#define _GNU_SOURCE
#include "alloc_hook.h"
#include "testutil.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_qrng.h>

#include <sanctionsim/compare.h>
#include <sanctionsim/design.h>
#include <sanctionsim/plot.h>

/* ---- the functions defined here ---- */

void *__real_malloc(size_t n);

static bool strdup_hooked;

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = strdup_hooked ? malloc(n) : __real_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* The next definition of `name` after this executable's (libgsl's). */
static void *next_symbol(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (!f)
        fail_msg("dlsym(%s): %s", name, dlerror());
    return f;
}

gsl_qrng *gsl_qrng_alloc(const gsl_qrng_type *T, unsigned int dimension)
{
    static union {
        void *sym;
        gsl_qrng *(*fn)(const gsl_qrng_type *, unsigned int);
    } real;
    if (!real.sym)
        real.sym = next_symbol("gsl_qrng_alloc");
    void *probe = malloc(1); /* GSL's allocation, as the sweep sees it */
    if (!probe)
        return NULL;
    free(probe);
    return real.fn(T, dimension);
}

static long qrng_fail_at, qrng_calls; /* 0: never fail */

int gsl_qrng_get(const gsl_qrng *q, double x[])
{
    static union {
        void *sym;
        int (*fn)(const gsl_qrng *, double[]);
    } real;
    if (!real.sym)
        real.sym = next_symbol("gsl_qrng_get");
    if (qrng_fail_at > 0 && ++qrng_calls == qrng_fail_at)
        return GSL_EFAILED;
    return real.fn(q, x);
}

/* ---- designs ---- */

static sim_factor range_factor(const char *name, int group)
{
    sim_factor f;
    memset(&f, 0, sizeof f);
    snprintf(f.name, sizeof f.name, "%s", name);
    f.kind = SIM_FACTOR_RANGE;
    f.lo = 1;
    f.hi = 2;
    f.group = group;
    return f;
}

static sim_design_opts design_opts;

static int op_design(sim_err *err)
{
    sim_factor f[2] = {range_factor("a", 0), range_factor("b", 1)};
    sim_design d;
    int rc = sim_design_build(&d, f, 2, &design_opts, err);
    if (rc == 0 && d.npoints != sim_design_points(&design_opts, f, 2))
        fail_msg("a design of %ld points", d.npoints);
    sim_design_free(&d);
    return rc;
}

static void test_designs(void **state)
{
    (void)state;
    /* the permutation and the candidate design */
    design_opts = (sim_design_opts){
        .type = SIM_DESIGN_LHS, .samples = 5, .maximin = 3, .seed = 9};
    sim_alloc_check("lhs (maximin)", op_design, NULL, 3);
    /* the points, the values, the random stream, the Sobol sequence */
    design_opts = (sim_design_opts){.type = SIM_DESIGN_SOBOL, .samples = 4};
    sim_alloc_check("sobol", op_design, NULL, 4);
}

/* The Sobol sequence failing at its first point and at a later one. */
static void test_sobol_sequence_fails(void **state)
{
    (void)state;
    for (long at = 1; at <= 3; at += 2) {
        sim_err err = {0};
        design_opts = (sim_design_opts){.type = SIM_DESIGN_SOBOL,
                                        .samples = 4};
        qrng_calls = 0;
        qrng_fail_at = at;
        int rc = op_design(&err);
        qrng_fail_at = 0;
        if (rc != SIM_E_NUMERIC || !strstr(err.msg, "gsl_qrng_get"))
            fail_msg("point %ld: status %d: %s", at, rc, err.msg);
    }
}

/* ---- comparisons ---- */

static char cmp_a[1200], cmp_b[1200];

static void write_at(const char *dir, const char *name, const char *text)
{
    char path[1400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (sim_test_write(path, text))
        fail_msg("cannot write %s", path);
}

/* Two results by hand with the same master seed, stream scheme and
 * replications: compared pair by pair. */
static void make_results(void)
{
    const char *top = sim_test_tmpdir("alloc_analysis_compare");
    snprintf(cmp_a, sizeof cmp_a, "%s/a", top);
    snprintf(cmp_b, sizeof cmp_b, "%s/b", top);
    assert_int_equal(mkdir(cmp_a, 0777), 0);
    assert_int_equal(mkdir(cmp_b, 0777), 0);
    static const char manifest[] =
        "master_seed = 7L;\nreplications = 5L;\ngenerator = \"g1\";\n";
    write_at(cmp_a, "manifest.cfg", manifest);
    write_at(cmp_b, "manifest.cfg", manifest);
    write_at(cmp_a, "runs.csv",
             "rep,seed,released_total,us_deals\n3,14,1,0\n0,11,3,2\n"
             "1,12,5,1\n2,13,8,4\n4,15,2,2\n");
    write_at(cmp_b, "runs.csv",
             "rep,seed,released_total,us_deals\n0,11,4,3\n1,12,7,1\n"
             "2,13,9,6\n3,14,3,0\n4,15,6,5\n");
}

static int op_compare_paired(sim_err *err)
{
    const char *dirs[] = {cmp_a, cmp_b};
    sim_compare_opts o = {.dirs = dirs, .ndirs = 2};
    sim_compare_result r;
    int rc = sim_compare_run(&o, &r, err);
    if (rc == 0 && (r.nrows != 2 || !r.pair[0].paired))
        fail_msg("compare: %zu rows, %s", r.nrows, r.pair[0].reason);
    if (rc != 0 && (r.row || r.pair))
        fail_msg("compare failed (%d) with a result left in *res", rc);
    sim_compare_result_free(&r);
    return rc;
}

static int op_rank_tests(sim_err *err)
{
    static const double a[] = {1.5, 2.25, 3.75}, b[] = {0.5, 4, 5.5, 7};
    static const double d[] = {0.5, -1, 2, 3.5, -4};
    double w, p;
    int rc = sim_compare_mann_whitney(a, 3, b, 4, &w, &p, err);
    if (rc == 0 && !(p > 0 && p <= 1))
        fail_msg("Mann-Whitney p = %g", p);
    if (rc == 0)
        rc = sim_compare_wilcoxon(d, 5, &w, &p, err);
    if (rc == 0 && !(p > 0 && p <= 1))
        fail_msg("Wilcoxon p = %g", p);
    return rc;
}

static void test_comparisons(void **state)
{
    (void)state;
    make_results();
    /* the directories, the pairs by replication, the statistics */
    sim_alloc_check("sim_compare_run (paired)", op_compare_paired, NULL, 10);
    /* Mann-Whitney's exact counts (two layers), Wilcoxon's ranks */
    sim_alloc_check("rank tests", op_rank_tests, NULL, 5);
}

/* ---- plot ---- */

static char plot_top[1100], plot_out[1200], plot_run[1200];

static void make_plot_inputs(void)
{
    snprintf(plot_top, sizeof plot_top, "%s",
             sim_test_tmpdir("alloc_analysis_plot"));
    write_at(plot_top, "rounds.csv",
             "rep,round,month,prisoners\n0,1,Jan,10\n0,2,Feb,12\n"
             "1,1,Jan,9\n1,2,Feb,11\n");
    write_at(plot_top, "a.cfg",
             "rounds = 24;\neu = {\n  enabled = true;\n  threshold = 2;\n};\n"
             "instruments = (\n  {\n    name = \"potash\";\n"
             "    value = 1.5;\n  }\n);\n");
    write_at(plot_top, "b.cfg",
             "rounds = 12;\neu = {\n  enabled = false;\n};\n"
             "instruments = (\n  {\n    name = \"potash\";\n"
             "    value = 2.5;\n  }\n);\nnote = \"x\";\n");
    /* a sweep's manifest: an array of integers and reals, which libconfig
     * refuses, read line by line instead */
    snprintf(plot_run, sizeof plot_run, "%s/sweep", plot_top);
    assert_int_equal(mkdir(plot_run, 0777), 0);
    write_at(plot_run, "manifest.cfg",
             "version = \"0.2.0\";\nmaster_seed = 5;\nreplications = 3;\n"
             "values = [1, 2.5];\n");
    snprintf(plot_out, sizeof plot_out, "%s/out/pictures", plot_top);
    char parent[1300];
    snprintf(parent, sizeof parent, "%s/out", plot_top);
    assert_int_equal(mkdir(parent, 0777), 0);
}

static int op_plot_labels(sim_err *err)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/rounds.csv", plot_top);
    const char *cols[] = {"round", "prisoners"};
    sim_plot_query q = {.cols = cols, .ncols = 2, .label_col = "month"};
    sim_plot_table t;
    strdup_hooked = true;
    int rc = sim_plot_table_read(path, &q, &t, err);
    strdup_hooked = false;
    if (rc == 0 && (t.nrows != 4 || strcmp(t.label[3], "Feb") != 0))
        fail_msg("%zu rows", t.nrows);
    sim_plot_table_free(&t);
    return rc;
}

static int op_plot_diff(sim_err *err)
{
    char a[1300], b[1300];
    snprintf(a, sizeof a, "%s/a.cfg", plot_top);
    snprintf(b, sizeof b, "%s/b.cfg", plot_top);
    sim_plot_change *ch;
    size_t n;
    strdup_hooked = true;
    int rc = sim_plot_scenario_diff(a, b, &ch, &n, err);
    strdup_hooked = false;
    /* rounds, eu.enabled, eu.threshold, the instrument's value, note */
    if (rc == 0 && n != 5)
        fail_msg("%zu changes", n);
    if (rc != 0 && (ch || n))
        fail_msg("scenario_diff failed (%d) with %zu changes left", rc, n);
    sim_plot_changes_free(ch, n);
    return rc;
}

static int op_plot_outdir(sim_err *err)
{
    sim_plot_outdir *d;
    strdup_hooked = true;
    int rc = sim_plot_outdir_open(&d, plot_out, false, NULL, 0, err);
    if (rc == 0) {
        /* a picture, written with the allocator disarmed */
        sim_alloc_arm(false);
        for (int i = 0; i < 2; i++) {
            char path[SIM_PATH_MAX + 64];
            snprintf(path, sizeof path, "%s/p%d.svg",
                     sim_plot_outdir_path(d), i);
            assert_int_equal(sim_test_write(path, "<svg/>\n"), 0);
        }
        sim_alloc_arm(true);
        rc = sim_plot_outdir_install(d, "test_alloc_analysis", err);
    }
    strdup_hooked = false;
    return rc;
}

static void after_plot_outdir(int rc)
{
    char parent[1300], names[512] = "";
    snprintf(parent, sizeof parent, "%s/out", plot_top);
    int n = sim_test_dir_entries(parent, names, sizeof names);
    if (n != (rc ? 0 : 1))
        fail_msg("after status %d the folder %s holds:%s", rc, parent,
                 names);
    if (rc == 0) {
        assert_int_equal(sim_test_dir_entries(plot_out, NULL, 0), 3);
        char cmd[1400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", plot_out);
        assert_int_equal(system(cmd), 0);
    }
}

static int op_plot_manifest(sim_err *err)
{
    sim_plot_manifest m;
    int rc = sim_plot_manifest_read(plot_run, &m, err);
    if (rc == 0 && (m.seed != 5 || m.replications != 3 ||
                    strcmp(m.version, "0.2.0") != 0))
        fail_msg("manifest: seed %lld, %lld replications, version %s",
                 (long long)m.seed, (long long)m.replications, m.version);
    return rc;
}

static void test_plot(void **state)
{
    (void)state;
    make_plot_inputs();
    /* the rows, their growth and each row's label */
    sim_alloc_check("sim_plot_table_read (labels)", op_plot_labels, NULL, 5);
    /* the settings of both files, their keys and values, the changes */
    sim_alloc_check("sim_plot_scenario_diff", op_plot_diff, NULL, 12);
    /* the handle, the names of the files, the manifest's list */
    sim_alloc_check("sim_plot_outdir", op_plot_outdir, after_plot_outdir, 4);
    /* the text of a manifest libconfig cannot parse */
    sim_alloc_check("sim_plot_manifest_read (scanned)", op_plot_manifest,
                    NULL, 1);
}

int main(void)
{
    sim_error_quiet_gsl();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_designs),
        cmocka_unit_test(test_sobol_sequence_fails),
        cmocka_unit_test(test_comparisons),
        cmocka_unit_test(test_plot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
