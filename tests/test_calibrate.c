/* test_calibrate.c - `calibrate`: smm recovers the keys that made
 * synthetic targets (the simulator's own means at known values), a
 * target the model cannot reach is reported, the weights are those of
 * the file's weighting (predictive or mean) and a month reached only by
 * chance does not drive the predictive fit, the result does not depend
 * on the threads, abc keeps the closest draws and stops on its budgets,
 * calibrated.cfg loads as the fitted scenario, and bad files are refused
 * with their file and line. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanctionsim/sanctionsim.h>
#include <sanctionsim/calibrate.h>

/* The truth: arrests a month and the monthly completion probability. */
#define TRUE_ARRESTS 45.0
#define TRUE_COMPLETIONS 0.035

/* Observations of the first six months of the baseline (as targets with
 * placeholder values; make_targets fills them from the truth). */
static const char *const observations[] = {
    "{ id = \"arrests_10\"; quantity = \"arrests\"; statistic = \"sum\"; "
    "month = \"2025-10\"; ",
    "{ id = \"arrests_q\"; quantity = \"arrests\"; statistic = \"sum\"; "
    "from = \"2025-11-01\"; to = \"2026-02-28\"; ",
    "{ id = \"prisoners_11\"; quantity = \"prisoners\"; date = "
    "\"2025-11-15\"; ",
    "{ id = \"prisoners_02\"; quantity = \"prisoners\"; date = "
    "\"2026-02-15\"; ",
};
#define N_OBS 4

/* The six-round scenario built on the baseline, into dir/small.cfg. */
static void write_small(const char *dir)
{
    char cwd[1024], path[1200], text[1400];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/small.cfg", dir);
    snprintf(text, sizeof text,
             "base = \"%s/scenarios/baseline.cfg\";\nrounds = 6;\n", cwd);
    assert_int_equal(sim_test_write(path, text), 0);
}

/* Writes dir/name: the observations with values v (NULL: 0) and their
 * uncertainties u, and (unreachable) one US-deal count no run reaches. */
static void write_targets(const char *dir, const char *name,
                          const double *v, const double *u, bool unreachable)
{
    char path[1200], text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "observations = (\n");
    for (int i = 0; i < N_OBS; i++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "  %svalue = %.17g; uncertainty = %.17g; "
                              "source = \"synthetic\"; }%s\n",
                              observations[i], v ? v[i] : 0.0,
                              u ? u[i] : 1.0,
                              i + 1 < N_OBS || unreachable ? "," : "");
    if (unreachable)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "  { id = \"deals\"; quantity = \"us_deals\"; "
                              "value = 100.0; uncertainty = 1.0; source = "
                              "\"beyond the model\"; }\n");
    snprintf(text + n, sizeof text - n, ");\n");
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(sim_test_write(path, text), 0);
}

/* Runs the small scenario with the given arrests and completions (nrep
 * replications under seed) into dir/out and puts each observation's
 * mean and variance over the replications (of one replication's value)
 * into mean and var. */
static void run_moments(const char *dir, const char *out, double arrests,
                        double completions, uint64_t seed, long nrep,
                        double *mean, double *var)
{
    char path[1200], res[1200], tpl[1200], sets[2][64];
    write_small(dir);
    write_targets(dir, "template.cfg", NULL, NULL, false);
    snprintf(path, sizeof path, "%s/small.cfg", dir);
    snprintf(res, sizeof res, "%s/%s", dir, out);
    snprintf(tpl, sizeof tpl, "%s/template.cfg", dir);
    snprintf(sets[0], sizeof sets[0], "shocks.arrests.mean=%.17g", arrests);
    snprintf(sets[1], sizeof sets[1], "shocks.completions.p=%.17g",
             completions);
    const char *s[2] = {sets[0], sets[1]};
    sim_scenario *sc = malloc(sizeof *sc);
    sim_err e = {0};
    assert_non_null(sc);
    assert_int_equal(sim_scenario_load(sc, sim_builtin_models(), path, s, 2,
                                       NULL, &e),
                     0);
    sim_batch_opts o = {.seed = seed, .replications = nrep, .trace = true,
                        .outdir = res, .force = true, .threads = 2};
    sim_batch_result br;
    assert_int_equal(sim_batch_run(sc, &o, &br, &e), 0);
    sim_batch_result_free(&br);
    free(sc);
    sim_targets ts;
    sim_score_ensembles en;
    assert_int_equal(sim_targets_load(tpl, &ts, &e), 0);
    assert_int_equal(sim_score_collect(res, &ts, &en, &e), 0);
    for (int t = 0; t < N_OBS; t++) {
        double sum = 0, ss = 0;
        for (long r = 0; r < en.nrep; r++)
            sum += en.value[t * en.nrep + r];
        mean[t] = sum / (double)en.nrep;
        for (long r = 0; r < en.nrep; r++) {
            double d = en.value[t * en.nrep + r] - mean[t];
            ss += d * d;
        }
        var[t] = ss / (double)(en.nrep - 1);
    }
    sim_score_ensembles_free(&en);
    sim_targets_free(&ts);
}

/* Runs the small scenario at the truth (200 replications, seed 99) and
 * writes dir/targets.cfg from its means. */
static void make_targets(const char *dir, bool unreachable)
{
    double v[N_OBS], u[N_OBS];
    run_moments(dir, "truth", TRUE_ARRESTS, TRUE_COMPLETIONS, 99, 200, v, u);
    /* the truth's own Monte Carlo error, as an observation's */
    for (int t = 0; t < N_OBS; t++)
        u[t] = sqrt(u[t] / 200.0);
    write_targets(dir, "targets.cfg", v, u, unreachable);
}

/* Writes dir/cal.cfg: the two keys from a start away from the truth. */
static void write_calibration(const char *dir, const char *method,
                              const char *extra)
{
    char path[1200], text[2048];
    snprintf(text, sizeof text,
             "scenario = \"small.cfg\";\ntargets = \"targets.cfg\";\n"
             "method = \"%s\";\nreplications = 60;\nseed = 7;\n%s\n"
             "parameters = (\n"
             "  { key = \"shocks.arrests.mean\"; range = [20.0, 80.0]; "
             "start = 60.0; prior = \"normal\"; mean = 50.0; sd = 15.0; },\n"
             "  { key = \"shocks.completions.p\"; range = [0.005, 0.08]; "
             "start = 0.06; name = \"completions\"; }\n);\n",
             method, extra);
    snprintf(path, sizeof path, "%s/cal.cfg", dir);
    assert_int_equal(sim_test_write(path, text), 0);
}

static int run_calibration(const char *dir, const char *out, int threads,
                           sim_calib_result *r, sim_err *e)
{
    char path[1200], outdir[1200];
    snprintf(path, sizeof path, "%s/cal.cfg", dir);
    snprintf(outdir, sizeof outdir, "%s/%s", dir, out);
    sim_calib *c = malloc(sizeof *c);
    assert_non_null(c);
    int rc = sim_calib_load(c, path, e);
    if (!rc) {
        sim_calib_opts o = {.outdir = outdir, .force = true,
                            .threads = threads};
        rc = sim_calib_run(c, sim_builtin_models(), &o, r, e);
    }
    free(c);
    return rc;
}

static char *slurp_in(const char *dir, const char *out, const char *name)
{
    char path[1400];
    snprintf(path, sizeof path, "%s/%s/%s", dir, out, name);
    char *s = sim_test_slurp(path, NULL);
    assert_non_null(s);
    return s;
}

/* smm recovers both keys; the unreachable target is reported; threads
 * change nothing; calibrated.cfg is the fitted scenario. */
static void test_smm_recovers(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("calibrate_smm");
    make_targets(dir, true);
    write_calibration(dir, "smm", "max_iterations = 150;\n"
                                  "tolerance = 1e-3;");
    sim_calib_result r;
    sim_err e = {0};
    assert_int_equal(run_calibration(dir, "fit1", 1, &r, &e), 0);
    /* stated tolerances: 4 % of the arrests, 15 % of the completions */
    assert_close(r.x[0], TRUE_ARRESTS, 0.04 * TRUE_ARRESTS);
    assert_close(r.x[1], TRUE_COMPLETIONS, 0.15 * TRUE_COMPLETIONS);
    assert_true(r.evaluations > 5);
    assert_int_equal(r.ntargets, N_OBS + 1);
    assert_int_equal(r.nunreachable, 1);
    assert_true(r.tf[N_OBS].unreachable);
    assert_string_equal(r.tf[N_OBS].id, "deals");
    for (int t = 0; t < N_OBS; t++)
        assert_false(r.tf[t].unreachable);
    char *tf = slurp_in(dir, "fit1", "targets_fit.csv");
    assert_non_null(strstr(tf, "\ndeals,us_deals,100,"));
    assert_non_null(strstr(tf, ",unreachable\n"));
    free(tf);
    sim_calib_result_free(&r);

    /* deterministic for the seed, on any number of threads */
    assert_int_equal(run_calibration(dir, "fit2", 2, &r, &e), 0);
    sim_calib_result_free(&r);
    const char *files[] = {"fit.csv", "trace.csv", "targets_fit.csv",
                           "calibrated.cfg"};
    for (int i = 0; i < 4; i++) {
        char *a = slurp_in(dir, "fit1", files[i]),
             *b = slurp_in(dir, "fit2", files[i]);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
}

/* The weight of every target is 1 / (u^2 + v (1 + 1/n)) under the
 * default predictive weighting and 1 / (u^2 + v / n) under mean, v the
 * variance of one replication's value at the start point (computed here
 * from a run of the start point under the calibration's seed); the
 * manifest names the weighting. */
static void test_weights(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("calibrate_weights");
    assert_close(sim_calib_target_variance(SIM_CALIB_WEIGHT_PREDICTIVE, 2.0,
                                           9.0, 10.0),
                 4.0 + 9.0 * 1.1, 1e-12);
    assert_close(sim_calib_target_variance(SIM_CALIB_WEIGHT_MEAN, 2.0, 9.0,
                                           10.0),
                 4.0 + 0.9, 1e-12);
    make_targets(dir, false);
    double mean[N_OBS], var[N_OBS];
    /* the start point of write_calibration: arrests 60, completions 0.06 */
    run_moments(dir, "start", 60.0, 0.06, 7, 60, mean, var);
    static const char *const modes[2] = {"", "weighting = \"mean\";"};
    for (int m = 0; m < 2; m++) {
        write_calibration(dir, "smm", modes[m]);
        sim_calib_result r;
        sim_err e = {0};
        if (run_calibration(dir, "w", 1, &r, &e))
            fail_msg("%s", e.msg);
        assert_int_equal(r.ntargets, N_OBS);
        for (int t = 0; t < N_OBS; t++) {
            const sim_calib_target_fit *f = &r.tf[t];
            double u2 = f->uncertainty * f->uncertainty, n = (double)f->n;
            double d = m == 0 ? u2 + var[t] * (1.0 + 1.0 / n)
                              : u2 + var[t] / n;
            assert_int_equal(f->n, 60);
            assert_true(var[t] > 0);
            assert_close(f->weight, 1.0 / d, 1e-9 / d);
        }
        sim_calib_result_free(&r);
        char *man = slurp_in(dir, "w", "manifest.cfg");
        assert_non_null(strstr(man, m == 0 ? "weighting = \"predictive\";"
                                           : "weighting = \"mean\";"));
        free(man);
    }
}

/* A month the model reaches only by chance: the first month's arrests
 * observed 2.5 standard deviations (of one month) above the truth's
 * mean, with a small uncertainty, beside the other three observations
 * with the uncertainty of one outcome. Weighted as a mean, the month
 * dominates the objective and drags the arrest rate up to it; weighted
 * as one realisation, it does not dominate and the fit stays nearer the
 * truth. */
static void test_weighting_chance(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("calibrate_chance");
    double v[N_OBS], var[N_OBS], u[N_OBS];
    run_moments(dir, "truth", TRUE_ARRESTS, TRUE_COMPLETIONS, 99, 200, v,
                var);
    for (int t = 0; t < N_OBS; t++)
        u[t] = sqrt(var[t]);
    v[0] += 2.5 * u[0]; /* arrests_10, the chance month */
    u[0] = 0.5;
    write_targets(dir, "targets.cfg", v, u, false);
    double x[2], miss[2];
    static const char *const modes[2] = {
        "max_iterations = 80;\n", "max_iterations = 80;\nweighting = \"mean\";"};
    for (int m = 0; m < 2; m++) {
        write_calibration(dir, "smm", modes[m]);
        sim_calib_result r;
        sim_err e = {0};
        if (run_calibration(dir, "fit", 2, &r, &e))
            fail_msg("%s", e.msg);
        assert_string_equal(r.tf[0].id, "arrests_10");
        x[m] = r.x[0];
        miss[m] = fabs(r.tf[0].mean - r.tf[0].observed);
        sim_calib_result_free(&r);
    }
    /* mean: the fit chases the chance month (the arrest rate moves more
     * than half-way to it); predictive: the fit stays at less than half
     * mean's distance from the truth and leaves the month missed */
    assert_true(x[1] > TRUE_ARRESTS + 0.5 * 2.5 * sqrt(var[0]));
    assert_true(fabs(x[0] - TRUE_ARRESTS) < 0.5 * fabs(x[1] - TRUE_ARRESTS));
    assert_true(miss[0] > 2.0 * miss[1]);
}

/* restarts: the run follows the same simplex to the tolerance, then
 * starts fresh ones at its best point, so its objective is no higher and
 * it evaluates more; the manifest records them. */
static void test_restarts(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("calibrate_restarts");
    make_targets(dir, false);
    double j[2];
    long ev[2];
    static const char *const modes[2] = {
        "tolerance = 0.05;", "tolerance = 0.05;\nrestarts = 2;"};
    for (int m = 0; m < 2; m++) {
        write_calibration(dir, "smm", modes[m]);
        sim_calib_result r;
        sim_err e = {0};
        if (run_calibration(dir, m ? "r2" : "r0", 1, &r, &e))
            fail_msg("%s", e.msg);
        assert_string_equal(r.stop, "tolerance");
        j[m] = r.objective;
        ev[m] = r.evaluations;
        sim_calib_result_free(&r);
    }
    assert_true(j[1] <= j[0]);
    assert_true(ev[1] > ev[0]);
    char *man = slurp_in(dir, "r2", "manifest.cfg");
    assert_non_null(strstr(man, "\nrestarts = 2;\n"));
    free(man);
}

/* calibrated.cfg loads as the base scenario with the fitted keys. */
static void test_calibrated_cfg(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("calibrate_cfg");
    make_targets(dir, false);
    write_calibration(dir, "smm", "max_iterations = 3;");
    sim_calib_result r;
    sim_err e = {0};
    assert_int_equal(run_calibration(dir, "fit", 1, &r, &e), 0);
    char path[1200], base[1200], sets[2][96];
    snprintf(path, sizeof path, "%s/fit/calibrated.cfg", dir);
    snprintf(base, sizeof base, "%s/small.cfg", dir);
    snprintf(sets[0], sizeof sets[0], "shocks.arrests.mean=%.17g", r.x[0]);
    snprintf(sets[1], sizeof sets[1], "shocks.completions.p=%.17g", r.x[1]);
    const char *s[2] = {sets[0], sets[1]};
    sim_scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(sim_scenario_load(a, sim_builtin_models(), path, NULL,
                                       0, NULL, &e),
                     0);
    assert_int_equal(sim_scenario_load(b, sim_builtin_models(), base, s, 2,
                                       NULL, &e),
                     0);
    assert_memory_equal(&a->shock[SIM_SHOCK_ARRESTS],
                        &b->shock[SIM_SHOCK_ARRESTS], sizeof a->shock[0]);
    assert_memory_equal(&a->shock[SIM_SHOCK_COMPLETIONS],
                        &b->shock[SIM_SHOCK_COMPLETIONS], sizeof a->shock[0]);
    assert_int_equal(a->rounds, 6);
    free(a);
    free(b);
    sim_calib_result_free(&r);
}

/* abc keeps the closest fraction, weights them, and stops on time. */
static void test_abc(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("calibrate_abc");
    make_targets(dir, false);
    write_calibration(dir, "abc", "draws = 40;\naccept = 0.25;");
    sim_calib_result r;
    sim_err e = {0};
    assert_int_equal(run_calibration(dir, "abc", 2, &r, &e), 0);
    assert_int_equal(r.evaluations, 40);
    assert_int_equal(r.accepted, 10);
    assert_string_equal(r.stop, "draws");
    assert_true(r.ess > 1 && r.ess <= 10 + 1e-9);
    for (int i = 0; i < 2; i++) {
        assert_true(r.q[i][0] <= r.q[i][2] && r.q[i][2] <= r.q[i][4]);
        assert_true(r.x[i] >= r.q[i][0] && r.x[i] <= r.q[i][4]);
    }
    /* the kept draws are the closest: nearer the truth than the prior */
    assert_close(r.x[0], TRUE_ARRESTS, 10.0);
    char *s = slurp_in(dir, "abc", "abc_sample.csv");
    int rows = 0;
    for (char *p = s; *p; p++)
        rows += *p == '\n';
    assert_int_equal(rows, 11);
    free(s);
    sim_calib_result_free(&r);

    write_calibration(dir, "abc", "draws = 40;\nmax_seconds = 1e-9;");
    assert_int_equal(run_calibration(dir, "abc_t", 1, &r, &e), 0);
    assert_string_equal(r.stop, "time");
    assert_int_equal(r.evaluations, 1);
    sim_calib_result_free(&r);
}

/* Bad calibration files: refused with the file and line. */
static void test_bad_files(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("calibrate_bad");
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"scenario = \"s.cfg\";\ntargets = \"t.cfg\";\nmethdo = \"smm\";\n",
         "bad.cfg:3"},
        {"scenario = \"s.cfg\";\ntargets = \"t.cfg\";\nparameters = (\n"
         "  { key = \"a.b\"; range = [1.0, 0.5]; } );\n",
         "bad.cfg:4"},
        {"scenario = \"s.cfg\";\ntargets = \"t.cfg\";\nparameters = (\n"
         "  { key = \"a.b\"; range = [0.0, 1.0]; start = 2.0; } );\n",
         "bad.cfg:4"},
        {"scenario = \"s.cfg\";\ntargets = \"t.cfg\";\nparameters = (\n"
         "  { key = \"a.b\"; range = [0.0, 1.0]; prior = \"normel\"; } );\n",
         "bad.cfg:4"},
        {"scenario = \"s.cfg\";\ntargets = \"t.cfg\";\nmethod = \"mcmc\";\n"
         "parameters = ( { key = \"a.b\"; range = [0.0, 1.0]; } );\n",
         "bad.cfg:3"},
        {"scenario = \"s.cfg\";\ntargets = \"t.cfg\";\n"
         "weighting = \"means\";\n"
         "parameters = ( { key = \"a.b\"; range = [0.0, 1.0]; } );\n",
         "bad.cfg:3"},
        {"scenario = \"s.cfg\";\ntargets = \"t.cfg\";\nrestarts = -1;\n"
         "parameters = ( { key = \"a.b\"; range = [0.0, 1.0]; } );\n",
         "bad.cfg:3"},
        {"scenario = \"s.cfg\";\ntargets = \"t.cfg\";\n", "parameters"},
    };
    char path[1200];
    snprintf(path, sizeof path, "%s/bad.cfg", dir);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(sim_test_write(path, cases[i].text), 0);
        sim_calib *c = malloc(sizeof *c);
        sim_err e = {0};
        assert_non_null(c);
        assert_int_equal(sim_calib_load(c, path, &e), SIM_E_SCENARIO);
        if (!strstr(e.msg, cases[i].expect))
            fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, cases[i].expect);
        free(c);
    }
}

/* The command line: its output names the unreachable target, exit 2 for
 * a bad file, nothing written. */
static void test_cli(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("calibrate_cli");
    make_targets(dir, true);
    write_calibration(dir, "smm", "max_iterations = 5;");
    char cmd[4096], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s calibrate %s/cal.cfg -o %s/o --threads 1",
             sim_test_bin(), dir, dir);
    assert_int_equal(sim_test_run(cmd, &out), 0);
    assert_non_null(strstr(out, "'deals' = 100 is not reached"));
    assert_non_null(strstr(out, "weighting: diagonal"));
    free(out);
    /* an existing result without --force */
    assert_int_not_equal(sim_test_run(cmd, &out), 0);
    free(out);
    char path[1200];
    snprintf(path, sizeof path, "%s/cal.cfg", dir);
    assert_int_equal(sim_test_write(path, "scenario = 1;\n"), 0);
    snprintf(cmd, sizeof cmd, "%s calibrate %s/cal.cfg -o %s/o2",
             sim_test_bin(), dir, dir);
    assert_int_equal(sim_test_run(cmd, &out), 2);
    assert_non_null(strstr(out, "cal.cfg:1"));
    free(out);
    snprintf(path, sizeof path, "%s/o2", dir);
    assert_int_equal(access(path, F_OK), -1);
}

/* The example: every calibration target lies inside the July 2024
 * scenario's rounds; a short run writes a calibrated.cfg. */
static void test_example(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("calibrate_example");
    sim_calib *c = malloc(sizeof *c);
    sim_err e = {0};
    assert_non_null(c);
    assert_int_equal(sim_calib_load(c, "scenarios/experiments/"
                                       "calibrate_baseline.cfg", &e),
                     0);
    assert_int_equal(c->nparams, 3);
    c->max_iterations = 1;
    c->replications = 20;
    char out[1200];
    snprintf(out, sizeof out, "%s/fit", dir);
    sim_calib_opts o = {.outdir = out, .threads = 2};
    sim_calib_result r;
    assert_int_equal(sim_calib_run(c, sim_builtin_models(), &o, &r, &e), 0);
    assert_int_equal(r.ntargets, 18);
    assert_int_equal(r.nused, 18);
    for (int t = 0; t < r.ntargets; t++)
        assert_null(r.tf[t].status);
    sim_calib_result_free(&r);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smm_recovers),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_weighting_chance),
        cmocka_unit_test(test_restarts),
        cmocka_unit_test(test_calibrated_cfg),
        cmocka_unit_test(test_abc),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
