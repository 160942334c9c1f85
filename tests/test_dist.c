/* test_dist.c - shock distributions: moments of the draws, the multiplier,
 * parameter checks and the name table.
 *
 * Statistical checks use a fixed seed (master 12345, replication 0, purpose
 * SIM_STREAM_SHOCK, generator sim_rng_xoshiro256ss), so every run draws the
 * same numbers and the tests are deterministic. The acceptance bands are 4.5
 * standard errors: for a correct generator and correct formulas a check fails
 * with probability 2 * (1 - Phi(4.5)) ~ 7e-6, below about 1e-5 per check
 * (normal approximation). */
#include "testutil.h"

#include <sanctionsim/dist.h>
#include <sanctionsim/rng.h>

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

/* Draws per statistical check. */
#define N_DRAWS 200000
/* Half-width of every statistical band, in standard errors. */
#define Z_BAND 4.5
/* Relative slack for exact or zero-variance cases: floating-point rounding
 * in sums of N_DRAWS terms, nothing statistical. */
#define TINY 1e-12

typedef struct fixture {
    gsl_rng *r;
    double *x; /* N_DRAWS draws */
} fixture;

static int group_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->r = gsl_rng_alloc(sim_rng_xoshiro256ss);
    f->x = malloc(N_DRAWS * sizeof *f->x);
    if (!f->r || !f->x) {
        gsl_rng_free(f->r);
        free(f->x);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    fixture *f = *state;
    gsl_rng_free(f->r);
    free(f->x);
    free(f);
    return 0;
}

static void reseed(gsl_rng *r)
{
    sim_rng_seed_stream(r, 12345, 0, SIM_STREAM_SHOCK);
}

static sim_dist mk(sim_dist_type type, double p0, double p1)
{
    sim_dist d = {.type = type, .p = {p0, p1}};
    return d;
}

/* Parameter sets for the moment checks: at least two per type, including
 * the baseline-like ones. */
static const struct {
    sim_dist_type type;
    double p0, p1;
} cases[] = {
    {SIM_DIST_POISSON, 45, 0},
    {SIM_DIST_POISSON, 0.3, 0},
    {SIM_DIST_BERNOULLI, 0.1, 0},
    {SIM_DIST_BERNOULLI, 0.5, 0},
    {SIM_DIST_BINOMIAL, 0.035, 1200},
    {SIM_DIST_BINOMIAL, 0.5, 10},
    /* p, n: mean n(1-p)/p = 45 with variance 180 and 450 (overdispersed). */
    {SIM_DIST_NEGATIVE_BINOMIAL, 0.25, 15},
    {SIM_DIST_NEGATIVE_BINOMIAL, 0.1, 5},
    {SIM_DIST_NEGATIVE_BINOMIAL, 0.6, 0.5},
    {SIM_DIST_GAMMA, 2, 3},
    {SIM_DIST_GAMMA, 0.5, 1},
    /* Small sigma: the sample fourth moment of a lognormal is unreliable
     * when sigma is near 1 or above (its own variance needs E[X^8]). */
    {SIM_DIST_LOGNORMAL, 0, 0.5},
    {SIM_DIST_LOGNORMAL, 1, 0.25},
    {SIM_DIST_BETA, 2, 5},
    {SIM_DIST_BETA, 0.5, 0.5},
    {SIM_DIST_UNIFORM, 0, 1},
    {SIM_DIST_UNIFORM, -3, 7},
    {SIM_DIST_FIXED, 0, 0},
    {SIM_DIST_FIXED, 2.5, 0},
};
#define N_CASES (sizeof cases / sizeof cases[0])

/* Sample mean, variance (divisor n - 1) and fourth central moment of
 * x[0..n), two-pass so that constant samples give exactly zero spread. */
static void sample_moments(const double *x, size_t n, double *mean,
                           double *var, double *m4)
{
    double s = 0, s2 = 0, s4 = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    *mean = s / (double)n;
    for (size_t i = 0; i < n; i++) {
        double dx = x[i] - *mean;
        s2 += dx * dx;
        s4 += dx * dx * dx * dx;
    }
    *var = s2 / (double)(n - 1);
    *m4 = s4 / (double)n;
}

/* Draws N_DRAWS values of d scaled by m into f->x, checking along the way
 * that integer types give non-negative whole numbers, and checks the sample
 * mean and variance against mu and sigma2. */
static void check_draws(fixture *f, const sim_dist *d, double m, double mu,
                        double sigma2)
{
    const size_t n = N_DRAWS;
    const bool integer = sim_dist_is_integer(d->type);
    reseed(f->r);
    for (size_t i = 0; i < n; i++) {
        double v = sim_dist_draw(d, f->r, m);
        if (integer && !(v >= 0 && v == floor(v)))
            fail_msg("%s draw %zu = %.17g is not a count",
                     sim_dist_name(d->type), i, v);
        f->x[i] = v;
    }

    double mean, var, m4;
    sample_moments(f->x, n, &mean, &var, &m4);

    /* Mean: se = sqrt(sigma^2 / N). */
    double se_mean = sqrt(sigma2 / (double)n);
    assert_close(mean, mu, Z_BAND * se_mean + TINY * (1 + fabs(mu)));

    /* Variance: by the delta method se(s^2) ~ sqrt((mu4 - sigma^4) / N),
     * with mu4 and sigma^4 estimated from the sample. That first-order term
     * vanishes for a symmetric two-point law (bernoulli p = 1/2, where
     * mu4 = sigma^4), so the second-order term from estimating the mean,
     * (xbar - mu)^2, is also allowed at the same 4.5-se level. */
    double se_var = sqrt(fmax(m4 - var * var, 0) / (double)n);
    double tol = Z_BAND * se_var + Z_BAND * Z_BAND * sigma2 / (double)n +
                 TINY * (1 + sigma2 + mu * mu);
    assert_close(var, sigma2, tol);
}

static void check_moments_of(void **state, sim_dist_type type)
{
    fixture *f = *state;
    int seen = 0;
    for (size_t i = 0; i < N_CASES; i++) {
        if (cases[i].type != type)
            continue;
        sim_dist d = mk(type, cases[i].p0, cases[i].p1);
        const char *why = NULL;
        assert_int_equal(sim_dist_invalid(&d, &why), -1);
        check_draws(f, &d, 1.0, sim_dist_mean(&d), sim_dist_variance(&d));
        seen++;
    }
    assert_true(seen >= 2);
}

static void test_dist_cases_cover_every_type(void **state)
{
    (void)state;
    for (int t = 0; t < SIM_N_DISTS; t++) {
        int seen = 0;
        for (size_t i = 0; i < N_CASES; i++)
            seen += (int)cases[i].type == t;
        if (seen < 2)
            fail_msg("%s has %d parameter sets", sim_dist_name(t), seen);
    }
}

static void test_dist_poisson_moments(void **state)
{
    check_moments_of(state, SIM_DIST_POISSON);
}

static void test_dist_bernoulli_moments(void **state)
{
    check_moments_of(state, SIM_DIST_BERNOULLI);
}

static void test_dist_binomial_moments(void **state)
{
    check_moments_of(state, SIM_DIST_BINOMIAL);
}

static void test_dist_negative_binomial_moments(void **state)
{
    check_moments_of(state, SIM_DIST_NEGATIVE_BINOMIAL);
}

static void test_dist_gamma_moments(void **state)
{
    check_moments_of(state, SIM_DIST_GAMMA);
}

static void test_dist_lognormal_moments(void **state)
{
    check_moments_of(state, SIM_DIST_LOGNORMAL);
}

static void test_dist_beta_moments(void **state)
{
    check_moments_of(state, SIM_DIST_BETA);
}

static void test_dist_uniform_moments(void **state)
{
    check_moments_of(state, SIM_DIST_UNIFORM);
}

static void test_dist_fixed_moments(void **state)
{
    check_moments_of(state, SIM_DIST_FIXED);
}

/* Textbook mean and variance, written out here independently of dist.c
 * and GSL (e.g. Johnson, Kotz and Kemp; Forbes et al., Statistical
 * Distributions). Negative binomial: failures before the n-th success. */
static void textbook(const sim_dist *d, double *mean, double *var)
{
    double a = d->p[0], b = d->p[1];
    switch (d->type) {
    case SIM_DIST_POISSON:
        *mean = a;
        *var = a;
        return;
    case SIM_DIST_BERNOULLI:
        *mean = a;
        *var = a - a * a;
        return;
    case SIM_DIST_BINOMIAL: /* p = a, n = b */
        *mean = b * a;
        *var = b * a * (1 - a);
        return;
    case SIM_DIST_NEGATIVE_BINOMIAL: /* p = a, n = b */
        *mean = b * (1 - a) / a;
        *var = *mean / a;
        return;
    case SIM_DIST_GAMMA: /* shape k = a, scale theta = b */
        *mean = a * b;
        *var = a * b * b;
        return;
    case SIM_DIST_LOGNORMAL: { /* zeta = a, sigma = b */
        double w = exp(b * b);
        *mean = exp(a) * sqrt(w);
        *var = exp(2 * a) * w * (w - 1);
        return;
    }
    case SIM_DIST_BETA:
        *mean = a / (a + b);
        *var = (*mean) * (1 - *mean) / (a + b + 1);
        return;
    case SIM_DIST_UNIFORM:
        *mean = (a + b) / 2;
        *var = (b - a) * (b - a) / 12;
        return;
    case SIM_DIST_FIXED:
        *mean = a;
        *var = 0;
        return;
    case SIM_N_DISTS:
        break;
    }
    fail_msg("unknown type %d", (int)d->type);
}

static void test_dist_mean_variance_match_textbook(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        sim_dist d = mk(cases[i].type, cases[i].p0, cases[i].p1);
        double mean = NAN, var = NAN;
        textbook(&d, &mean, &var);
        /* Same quantity by two algebraic routes: rounding only. */
        assert_close(sim_dist_mean(&d), mean, 1e-12 * (1 + fabs(mean)));
        assert_close(sim_dist_variance(&d), var, 1e-12 * (1 + var));
    }
}

static void test_dist_mean_variance_known_answers(void **state)
{
    (void)state;
    static const struct {
        sim_dist_type type;
        double p0, p1, mean, var;
    } ka[] = {
        {SIM_DIST_POISSON, 45, 0, 45, 45},
        {SIM_DIST_BERNOULLI, 0.1, 0, 0.1, 0.09},
        {SIM_DIST_BINOMIAL, 0.035, 1200, 42, 40.53},
        {SIM_DIST_BINOMIAL, 0.5, 10, 5, 2.5},
        {SIM_DIST_NEGATIVE_BINOMIAL, 0.25, 15, 45, 180},
        {SIM_DIST_NEGATIVE_BINOMIAL, 0.1, 5, 45, 450},
        {SIM_DIST_GAMMA, 2, 3, 6, 18},
        {SIM_DIST_GAMMA, 0.5, 1, 0.5, 0.5},
        /* exp(1/8) and (e^(1/4) - 1) e^(1/4) */
        {SIM_DIST_LOGNORMAL, 0, 0.5, 1.1331484530668263,
         0.3646958540123865},
        {SIM_DIST_BETA, 2, 5, 2.0 / 7, 10.0 / 392},
        {SIM_DIST_BETA, 0.5, 0.5, 0.5, 0.125},
        {SIM_DIST_UNIFORM, 0, 1, 0.5, 1.0 / 12},
        {SIM_DIST_UNIFORM, -3, 7, 2, 100.0 / 12},
        {SIM_DIST_FIXED, 2.5, 0, 2.5, 0},
    };
    for (size_t i = 0; i < sizeof ka / sizeof ka[0]; i++) {
        sim_dist d = mk(ka[i].type, ka[i].p0, ka[i].p1);
        assert_close(sim_dist_mean(&d), ka[i].mean,
                     1e-12 * (1 + fabs(ka[i].mean)));
        assert_close(sim_dist_variance(&d), ka[i].var,
                     1e-12 * (1 + ka[i].var));
    }
}

static void test_dist_draw_multiplier_doubles_poisson_mean(void **state)
{
    fixture *f = *state;
    sim_dist d = mk(SIM_DIST_POISSON, 45, 0);
    /* mean * 2 = 90, a Poisson, so variance 90 too. */
    check_draws(f, &d, 2.0, 90, 90);
}

static void test_dist_draw_multiplier_doubles_gamma_mean(void **state)
{
    fixture *f = *state;
    sim_dist d = mk(SIM_DIST_GAMMA, 2, 3);
    /* scale 3 * 2 = 6: mean 2 * 6 = 12, variance 2 * 6^2 = 72. */
    check_draws(f, &d, 2.0, 12, 72);
}

/* Mean and variance of sim_dist_draw(d, r, m), per the contract in dist.h. */
static void scaled_moments(const sim_dist *d, double m, double *mean,
                           double *var)
{
    sim_dist s = *d;
    switch (d->type) {
    case SIM_DIST_POISSON:
        s.p[0] *= m;
        break;
    case SIM_DIST_BERNOULLI:
    case SIM_DIST_BINOMIAL:
        s.p[0] = fmin(1.0, s.p[0] * m);
        break;
    case SIM_DIST_NEGATIVE_BINOMIAL:
        s.p[1] *= m;
        break;
    case SIM_DIST_GAMMA:
        s.p[1] *= m;
        break;
    case SIM_DIST_LOGNORMAL:
        s.p[0] += log(m);
        break;
    case SIM_DIST_BETA:
    case SIM_DIST_UNIFORM:
    case SIM_DIST_FIXED:
        *mean = m * sim_dist_mean(d);
        *var = m * m * sim_dist_variance(d);
        return;
    case SIM_N_DISTS:
        break;
    }
    *mean = sim_dist_mean(&s);
    *var = sim_dist_variance(&s);
}

static void test_dist_draw_multiplier_scales_every_mean(void **state)
{
    fixture *f = *state;
    /* One baseline-like case per type with p * m <= 1, so no capping. */
    static const struct {
        sim_dist_type type;
        double p0, p1;
    } sc[] = {
        {SIM_DIST_POISSON, 45, 0},   {SIM_DIST_BERNOULLI, 0.1, 0},
        {SIM_DIST_BINOMIAL, 0.035, 1200},
        {SIM_DIST_NEGATIVE_BINOMIAL, 0.25, 15},
        {SIM_DIST_GAMMA, 2, 3},      {SIM_DIST_LOGNORMAL, 0, 0.5},
        {SIM_DIST_BETA, 2, 5},       {SIM_DIST_UNIFORM, -3, 7},
        {SIM_DIST_FIXED, 2.5, 0},
    };
    const double ms[] = {2.0, 0.5};
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        for (size_t j = 0; j < sizeof ms / sizeof ms[0]; j++) {
            sim_dist d = mk(sc[i].type, sc[i].p0, sc[i].p1);
            double mean = NAN, var = NAN;
            scaled_moments(&d, ms[j], &mean, &var);
            assert_close(mean, ms[j] * sim_dist_mean(&d),
                         1e-12 * (1 + fabs(mean)));
            check_draws(f, &d, ms[j], mean, var);
        }
}

static void test_dist_draw_multiplier_caps_probability_at_one(void **state)
{
    fixture *f = *state;
    sim_dist b = mk(SIM_DIST_BERNOULLI, 0.6, 0);
    sim_dist bin = mk(SIM_DIST_BINOMIAL, 0.6, 10);
    reseed(f->r);
    for (int i = 0; i < 1000; i++) {
        assert_true(sim_dist_draw(&b, f->r, 2.0) == 1.0);
        assert_true(sim_dist_draw(&bin, f->r, 2.0) == 10.0);
    }
}

/* Zero rates give no shocks: m == 0 gives exactly 0 for every type, even
 * where the unscaled draw could never be 0 (fixed 2.5, uniform on [1, 2]). */
static void test_dist_draw_zero_multiplier_gives_zero(void **state)
{
    fixture *f = *state;
    reseed(f->r);
    for (size_t i = 0; i < N_CASES + SIM_N_DISTS + 1; i++) {
        sim_dist d;
        if (i < N_CASES)
            d = mk(cases[i].type, cases[i].p0, cases[i].p1);
        else if (i < N_CASES + SIM_N_DISTS)
            d = sim_dist_default((sim_dist_type)(i - N_CASES));
        else
            d = mk(SIM_DIST_UNIFORM, 1, 2);
        for (int k = 0; k < 1000; k++) {
            double v = sim_dist_draw(&d, f->r, 0.0);
            if (v != 0.0)
                fail_msg("%s with m = 0 drew %.17g", sim_dist_name(d.type),
                         v);
        }
    }
}

static void test_dist_draw_zero_rate_gives_zero(void **state)
{
    fixture *f = *state;
    const sim_dist zs[] = {
        mk(SIM_DIST_POISSON, 0, 0),
        mk(SIM_DIST_BERNOULLI, 0, 0),
        mk(SIM_DIST_BINOMIAL, 0, 1200),
    };
    reseed(f->r);
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++) {
        const char *why = NULL;
        assert_int_equal(sim_dist_invalid(&zs[i], &why), -1);
        assert_close(sim_dist_mean(&zs[i]), 0, 0);
        for (int k = 0; k < 1000; k++) {
            assert_true(sim_dist_draw(&zs[i], f->r, 1.0) == 0.0);
            assert_true(sim_dist_draw(&zs[i], f->r, 2.0) == 0.0);
        }
    }
}

static void test_dist_is_integer_matches_types(void **state)
{
    (void)state;
    assert_true(sim_dist_is_integer(SIM_DIST_POISSON));
    assert_true(sim_dist_is_integer(SIM_DIST_BERNOULLI));
    assert_true(sim_dist_is_integer(SIM_DIST_BINOMIAL));
    assert_true(sim_dist_is_integer(SIM_DIST_NEGATIVE_BINOMIAL));
    assert_false(sim_dist_is_integer(SIM_DIST_GAMMA));
    assert_false(sim_dist_is_integer(SIM_DIST_LOGNORMAL));
    assert_false(sim_dist_is_integer(SIM_DIST_BETA));
    assert_false(sim_dist_is_integer(SIM_DIST_UNIFORM));
    assert_false(sim_dist_is_integer(SIM_DIST_FIXED));
}

/* Integer types give whole numbers, also under a fractional multiplier. */
static void test_dist_draw_integer_types_give_whole_numbers(void **state)
{
    fixture *f = *state;
    const double ms[] = {1.0, 0.37, 1.9};
    reseed(f->r);
    for (size_t i = 0; i < N_CASES; i++) {
        if (!sim_dist_is_integer(cases[i].type))
            continue;
        sim_dist d = mk(cases[i].type, cases[i].p0, cases[i].p1);
        for (size_t j = 0; j < sizeof ms / sizeof ms[0]; j++)
            for (int k = 0; k < 10000; k++) {
                double v = sim_dist_draw(&d, f->r, ms[j]);
                if (!(v >= 0 && v == floor(v)))
                    fail_msg("%s drew %.17g", sim_dist_name(d.type), v);
            }
    }
}

static void expect_invalid(sim_dist d, int index)
{
    const char *why = NULL;
    int got = sim_dist_invalid(&d, &why);
    if (got != index)
        fail_msg("%s(%g, %g): invalid index %d, expected %d",
                 sim_dist_name(d.type), d.p[0], d.p[1], got, index);
    if (index >= 0) {
        assert_non_null(why);
        assert_true(why[0] != '\0');
    }
}

static void test_dist_invalid_flags_bad_parameter(void **state)
{
    (void)state;
    expect_invalid(mk(SIM_DIST_BERNOULLI, 1.5, 0), 0);
    expect_invalid(mk(SIM_DIST_BERNOULLI, -0.1, 0), 0);
    expect_invalid(mk(SIM_DIST_POISSON, -1, 0), 0);
    expect_invalid(mk(SIM_DIST_BINOMIAL, 0.5, 2.5), 1);
    expect_invalid(mk(SIM_DIST_BINOMIAL, 0.5, -1), 1);
    expect_invalid(mk(SIM_DIST_BINOMIAL, NAN, 10), 0);
    expect_invalid(mk(SIM_DIST_GAMMA, 2, NAN), 1);
    expect_invalid(mk(SIM_DIST_GAMMA, 0, 1), 0);
    expect_invalid(mk(SIM_DIST_NEGATIVE_BINOMIAL, 0, 5), 0);
    expect_invalid(mk(SIM_DIST_NEGATIVE_BINOMIAL, 0.5, 0), 1);
    expect_invalid(mk(SIM_DIST_POISSON, INFINITY, 0), 0);
    expect_invalid(mk(SIM_DIST_UNIFORM, 0, -INFINITY), 1);
    expect_invalid(mk(SIM_DIST_LOGNORMAL, 0, -1), 1);
    expect_invalid(mk(SIM_DIST_BETA, 1, 0), 1);
    expect_invalid(mk(SIM_DIST_FIXED, NAN, 0), 0);
    /* Cross-constraint: low > high is reported on low. */
    expect_invalid(mk(SIM_DIST_UNIFORM, 2, 1), 0);
}

static void test_dist_invalid_accepts_boundaries(void **state)
{
    (void)state;
    expect_invalid(mk(SIM_DIST_BERNOULLI, 0, 0), -1);
    expect_invalid(mk(SIM_DIST_BERNOULLI, 1, 0), -1);
    expect_invalid(mk(SIM_DIST_POISSON, 0, 0), -1);
    expect_invalid(mk(SIM_DIST_BINOMIAL, 1, 0), -1);
    expect_invalid(mk(SIM_DIST_UNIFORM, 3, 3), -1);
    expect_invalid(mk(SIM_DIST_FIXED, -7, 0), -1);
}

static void test_dist_lookup_finds_every_name(void **state)
{
    (void)state;
    for (int t = 0; t < SIM_N_DISTS; t++) {
        sim_dist_type got = SIM_N_DISTS;
        assert_true(sim_dist_lookup(sim_dist_name((sim_dist_type)t), &got));
        assert_int_equal(got, t);
    }
    sim_dist_type got = SIM_N_DISTS;
    assert_true(sim_dist_lookup("negative_binomial", &got));
    assert_int_equal(got, SIM_DIST_NEGATIVE_BINOMIAL);
}

static void test_dist_lookup_rejects_unknown_name(void **state)
{
    (void)state;
    sim_dist_type got = SIM_DIST_GAMMA;
    assert_false(sim_dist_lookup("poison", &got));
    assert_false(sim_dist_lookup("", &got));
    assert_false(sim_dist_lookup("Poisson", &got));
    assert_int_equal(got, SIM_DIST_GAMMA); /* untouched on failure */
    assert_string_equal(sim_dist_name(SIM_N_DISTS), "?");
}

static void test_dist_default_is_valid(void **state)
{
    (void)state;
    for (int t = 0; t < SIM_N_DISTS; t++) {
        sim_dist d = sim_dist_default((sim_dist_type)t);
        const char *why = NULL;
        assert_int_equal(d.type, t);
        assert_int_equal(sim_dist_invalid(&d, &why), -1);
        int np = sim_dist_nparams((sim_dist_type)t);
        assert_true(np >= 1 && np <= SIM_DIST_MAX_PARAMS);
        for (int i = 0; i < np; i++) {
            const sim_dist_param *pi =
                sim_dist_param_info((sim_dist_type)t, i);
            assert_non_null(pi);
            assert_non_null(pi->name);
            assert_true(pi->min <= pi->def && pi->def <= pi->max);
        }
        assert_null(sim_dist_param_info((sim_dist_type)t, np));
        assert_null(sim_dist_param_info((sim_dist_type)t, -1));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dist_cases_cover_every_type),
        cmocka_unit_test(test_dist_poisson_moments),
        cmocka_unit_test(test_dist_bernoulli_moments),
        cmocka_unit_test(test_dist_binomial_moments),
        cmocka_unit_test(test_dist_negative_binomial_moments),
        cmocka_unit_test(test_dist_gamma_moments),
        cmocka_unit_test(test_dist_lognormal_moments),
        cmocka_unit_test(test_dist_beta_moments),
        cmocka_unit_test(test_dist_uniform_moments),
        cmocka_unit_test(test_dist_fixed_moments),
        cmocka_unit_test(test_dist_mean_variance_match_textbook),
        cmocka_unit_test(test_dist_mean_variance_known_answers),
        cmocka_unit_test(test_dist_draw_multiplier_doubles_poisson_mean),
        cmocka_unit_test(test_dist_draw_multiplier_doubles_gamma_mean),
        cmocka_unit_test(test_dist_draw_multiplier_scales_every_mean),
        cmocka_unit_test(test_dist_draw_multiplier_caps_probability_at_one),
        cmocka_unit_test(test_dist_draw_zero_multiplier_gives_zero),
        cmocka_unit_test(test_dist_draw_zero_rate_gives_zero),
        cmocka_unit_test(test_dist_is_integer_matches_types),
        cmocka_unit_test(test_dist_draw_integer_types_give_whole_numbers),
        cmocka_unit_test(test_dist_invalid_flags_bad_parameter),
        cmocka_unit_test(test_dist_invalid_accepts_boundaries),
        cmocka_unit_test(test_dist_lookup_finds_every_name),
        cmocka_unit_test(test_dist_lookup_rejects_unknown_name),
        cmocka_unit_test(test_dist_default_is_valid),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
