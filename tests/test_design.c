/* test_design.c - designs: sizes, the Latin hypercube's strata, the full
 * factorial's combinations, Saltelli's layout, Morris's grid steps,
 * reproducibility from the seed, factor values, and every refusal. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include <sanctionsim/design.h>

static sim_factor range(const char *name, double lo, double hi, int group)
{
    sim_factor f;
    memset(&f, 0, sizeof f);
    snprintf(f.name, sizeof f.name, "%s", name);
    f.kind = SIM_FACTOR_RANGE;
    f.lo = lo;
    f.hi = hi;
    f.group = group;
    return f;
}

static void build_ok(sim_design *d, const sim_factor *f, int k,
                     sim_design_opts o)
{
    sim_err err = {0};
    int rc = sim_design_build(d, f, k, &o, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
}

/* Each of n strata of every factor holds exactly one point. */
static void test_lhs_strata_and_seed(void **state)
{
    (void)state;
    sim_factor f[3] = {range("a", 0, 1, 0), range("b", 10, 20, 1),
                       range("c", 1, 100, 2)};
    f[2].log = true;
    sim_design d, e, g;
    sim_design_opts o = {.type = SIM_DESIGN_LHS, .samples = 50, .seed = 7,
                         .maximin = 5};
    build_ok(&d, f, 3, o);
    assert_int_equal(d.npoints, 50);
    for (int i = 0; i < 3; i++) {
        int hit[50] = {0};
        for (long p = 0; p < 50; p++)
            hit[(int)floor(d.u[p * 3 + i] * 50)]++;
        for (int s = 0; s < 50; s++)
            assert_int_equal(hit[s], 1);
    }
    for (long p = 0; p < 50; p++) {
        assert_true(d.x[p * 3 + 1] >= 10 && d.x[p * 3 + 1] <= 20);
        assert_close(d.x[p * 3 + 2], pow(100, d.u[p * 3 + 2]), 1e-9);
    }
    build_ok(&e, f, 3, o); /* the same seed: the same design */
    assert_memory_equal(d.x, e.x, sizeof *d.x * 150);
    o.seed = 8;
    build_ok(&g, f, 3, o);
    assert_true(memcmp(d.x, g.x, sizeof *d.x * 150) != 0);
    sim_design_free(&d);
    sim_design_free(&e);
    sim_design_free(&g);
}

static void test_full_factorial(void **state)
{
    (void)state;
    sim_factor f[2] = {range("a", 0, 1, 0), range("b", 0, 1, 1)};
    f[0].kind = SIM_FACTOR_VALUES;
    f[0].nvalues = 2;
    f[0].value[0] = 5;
    f[0].value[1] = 7;
    f[1].levels = 3;
    sim_design d;
    build_ok(&d, f, 2, (sim_design_opts){.type = SIM_DESIGN_FULL_FACTORIAL});
    assert_int_equal(d.npoints, 6);
    const double want[6][2] = {{5, 0}, {5, 0.5}, {5, 1},
                               {7, 0}, {7, 0.5}, {7, 1}};
    for (int p = 0; p < 6; p++) {
        assert_close(d.x[p * 2], want[p][0], 0);
        assert_close(d.x[p * 2 + 1], want[p][1], 1e-15);
    }
    sim_design_free(&d);
}

/* AB^g is A with group g's columns from B; BA^g the converse. */
static void test_sobol_layout(void **state)
{
    (void)state;
    sim_factor f[3] = {range("a", 0, 1, 0), range("b", 0, 1, 1),
                       range("c", 0, 1, 0)};
    sim_design d;
    build_ok(&d, f, 3, (sim_design_opts){.type = SIM_DESIGN_SOBOL,
                                         .samples = 8, .second_order = true});
    assert_int_equal(d.ngroups, 2);
    assert_int_equal(sim_design_sobol_stride(&d), 6);
    assert_int_equal(d.npoints, 48);
    for (long j = 0; j < 8; j++) {
        const double *a = d.u + j * 18, *b = a + 3, *ab0 = a + 6,
                     *ab1 = a + 9, *ba0 = a + 12;
        assert_true(a[0] > 0 && a[0] < 1 && a[0] != b[0]);
        assert_close(ab0[0], b[0], 0);
        assert_close(ab0[1], a[1], 0);
        assert_close(ab0[2], b[2], 0);
        assert_close(ab1[1], b[1], 0);
        assert_close(ab1[0], a[0], 0);
        assert_close(ba0[0], a[0], 0);
        assert_close(ba0[1], b[1], 0);
    }
    sim_design_free(&d);
}

/* Each step of a trajectory moves one factor by delta = p / (2 (p - 1)). */
static void test_morris_steps(void **state)
{
    (void)state;
    sim_factor f[4] = {range("a", 0, 1, 0), range("b", 0, 1, 1),
                       range("c", 0, 1, 2), range("d", 0, 1, 3)};
    sim_design d;
    build_ok(&d, f, 4, (sim_design_opts){.type = SIM_DESIGN_MORRIS,
                                         .samples = 10, .levels = 6,
                                         .seed = 1});
    assert_int_equal(d.npoints, 50);
    for (long t = 0; t < 10; t++) {
        int moved[4] = {0};
        for (int s = 0; s < 4; s++) {
            const double *u0 = d.u + (t * 5 + s) * 4, *u1 = u0 + 4;
            int changes = 0;
            for (int i = 0; i < 4; i++)
                if (u0[i] != u1[i]) {
                    changes++;
                    moved[i]++;
                    assert_close(fabs(u1[i] - u0[i]), 6 / 10.0, 1e-12);
                    assert_true(u1[i] >= 0 && u1[i] <= 1);
                }
            assert_int_equal(changes, 1);
        }
        for (int i = 0; i < 4; i++)
            assert_int_equal(moved[i], 1);
    }
    sim_design_free(&d);
}

static void test_factor_values(void **state)
{
    (void)state;
    sim_factor f = range("v", 0, 1, 0);
    f.kind = SIM_FACTOR_VALUES;
    f.nvalues = 3;
    f.value[0] = 1, f.value[1] = 2, f.value[2] = 3;
    assert_close(sim_factor_value(&f, 0), 1, 0);
    assert_close(sim_factor_value(&f, 0.5), 2, 0);
    assert_close(sim_factor_value(&f, 1), 3, 0);
    f.kind = SIM_FACTOR_DIST;
    f.dist = SIM_FACTOR_DIST_NORMAL;
    f.p[0] = 10, f.p[1] = 2;
    assert_close(sim_factor_value(&f, 0.5), 10, 1e-12);
    assert_close(sim_factor_value(&f, 0.975), 10 + 2 * 1.959963984540054,
                 1e-9);
    assert_true(isfinite(sim_factor_value(&f, 0)));
    f.integer = true;
    assert_close(sim_factor_value(&f, 0.975), 14, 0);
}

static void test_refusals(void **state)
{
    (void)state;
    sim_factor f[21];
    for (int i = 0; i < 21; i++)
        f[i] = range("x", 0, 1, i);
    struct {
        int k;
        sim_design_opts o;
        const char *text;
    } cases[] = {
        {3, {.type = SIM_DESIGN_SOBOL, .samples = 100}, "power of two"},
        {21, {.type = SIM_DESIGN_SOBOL, .samples = 64}, "at most 20 factors"},
        {3, {.type = SIM_DESIGN_MORRIS, .samples = 4, .levels = 5},
         "even number of levels"},
        {0, {.type = SIM_DESIGN_LHS, .samples = 4}, "1 to 64 factors"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        sim_design d;
        sim_err err = {0};
        assert_int_equal(sim_design_build(&d, f, cases[c].k, &cases[c].o, &err),
                         SIM_E_USAGE);
        if (!strstr(err.msg, cases[c].text))
            print_error("case %zu: %s\n", c, err.msg);
        assert_non_null(strstr(err.msg, cases[c].text));
        sim_design_free(&d);
    }
    sim_factor bad = range("b", 1, 1, 0);
    sim_err err = {0};
    assert_int_equal(sim_factor_check(&bad, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "factor b: a range needs finite lo < hi"));
}

/* Every refusal of sim_factor_check and of the requests to build, each
 * with the factor's name and the reason. */
static void test_factor_and_request_refusals(void **state)
{
    (void)state;
    sim_factor f[6];
    for (int i = 0; i < 6; i++)
        f[i] = range("a", 0, 1, 0);
    f[0].kind = SIM_FACTOR_DIST;
    f[0].dist = SIM_N_FACTOR_DISTS;
    f[1].kind = SIM_FACTOR_DIST;
    f[1].dist = SIM_FACTOR_DIST_NORMAL;
    f[1].p[0] = NAN;
    f[1].p[1] = 1;
    f[2].kind = SIM_FACTOR_VALUES;
    f[2].nvalues = 0;
    f[3].kind = SIM_FACTOR_VALUES;
    f[3].nvalues = 2;
    f[3].value[1] = INFINITY;
    f[4].log = true;
    f[5].kind = (sim_factor_kind)99;
    static const char *const want[] = {
        "factor a: unknown distribution",
        "factor a: the normal distribution's parameters must be finite",
        "factor a: needs 1 to",
        "factor a: value 2 is not finite",
        "factor a: a log-scale range needs lo > 0",
        "factor a: unknown kind"};
    for (int i = 0; i < 6; i++) {
        sim_err err = {0};
        assert_int_equal(sim_factor_check(&f[i], &err), SIM_E_USAGE);
        if (!strstr(err.msg, want[i]))
            fail_msg("factor %d: '%s', want '%s'", i, err.msg, want[i]);
    }
    /* requests: an empty group, a distribution in a full factorial or a
     * morris design, too many points */
    sim_factor g[2] = {range("a", 0, 1, 0), range("b", 0, 1, 2)};
    sim_factor dist = range("d", 0, 1, 0);
    dist.kind = SIM_FACTOR_DIST;
    dist.dist = SIM_FACTOR_DIST_NORMAL;
    dist.p[1] = 1;
    sim_factor pair[2] = {range("m", 0, 1, 0), range("n", 0, 1, 1)};
    struct {
        const sim_factor *f;
        int k;
        sim_design_opts o;
        const char *text;
    } cases[] = {
        {g, 2, {.type = SIM_DESIGN_LHS, .samples = 4}, "none empty"},
        {&dist,
         1,
         {.type = SIM_DESIGN_FULL_FACTORIAL},
         "factor d: a full factorial needs values"},
        {&dist,
         1,
         {.type = SIM_DESIGN_MORRIS, .samples = 2, .levels = 4},
         "factor d: a morris design needs values or a range"},
        {pair,
         2,
         {.type = SIM_DESIGN_LHS, .samples = SIM_DESIGN_MAX_POINTS + 1},
         "the lhs design has too many points"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        sim_design d;
        sim_err err = {0};
        int rc =
            sim_design_build(&d, cases[c].f, cases[c].k, &cases[c].o, &err);
        if (rc != SIM_E_USAGE || !strstr(err.msg, cases[c].text))
            fail_msg("case %zu: status %d, '%s'; want '%s'", c, rc, err.msg,
                     cases[c].text);
        sim_design_free(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_factor_and_request_refusals),
        cmocka_unit_test(test_lhs_strata_and_seed),
        cmocka_unit_test(test_full_factorial),
        cmocka_unit_test(test_sobol_layout),
        cmocka_unit_test(test_morris_steps),
        cmocka_unit_test(test_factor_values),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
