/* test_score_cli.c - `sanctionsim score` end to end: a real baseline run
 * (--trace) scored against the baseline's facts files
 * (scenarios/targets/), the same baseline started in July 2024 scoring
 * every calibration target, a deterministic score.csv for a seed, and the
 * refusals (no rounds.csv, an existing file, a bad targets file, bad
 * options), each with exit status 2 and nothing written. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char top[1024];

static const char *at(const char *name)
{
    static char buf[8][1200];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", top, name);
    return b;
}

/* Runs `sanctionsim ARGS` with stderr into *errout; returns the status. */
static int sim(const char *args, char **out, char **errout)
{
    char cmd[8192];
    const char *errfile = at("stderr.txt");
    snprintf(cmd, sizeof cmd, "{ '%s' %s 2>'%s'; }", sim_test_bin(), args,
             errfile);
    int st = sim_test_run(cmd, out);
    if (errout)
        *errout = sim_test_slurp(errfile, NULL);
    return st;
}

static void sim_ok(const char *args, char **out)
{
    char *err = NULL;
    int st = sim(args, out, &err);
    if (st != 0)
        fail_msg("sanctionsim %s: status %d: %s", args, st, err ? err : "");
    free(err);
}

/* Lines of a file; -1 if unreadable. */
static int lines_of(const char *path)
{
    char *s = sim_test_slurp(path, NULL);
    if (!s)
        return -1;
    int n = 0;
    for (char *p = s; *p; p++)
        n += *p == '\n';
    free(s);
    return n;
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", sim_test_tmpdir("score_cli"));
    char args[4096];
    snprintf(args, sizeof args,
             "run scenarios/baseline.cfg -n 40 --seed 3 --trace -q -o '%s'",
             at("base"));
    sim_ok(args, NULL);
    snprintf(args, sizeof args,
             "run scenarios/baseline.cfg -n 40 --seed 3 --trace -q -o '%s' "
             "--set 'start=\"2024-07\"' --set rounds=15",
             at("early"));
    sim_ok(args, NULL);
    snprintf(args, sizeof args,
             "run scenarios/baseline.cfg -n 10 --seed 3 -q -o '%s'",
             at("notrace"));
    sim_ok(args, NULL);
    return 0;
}

/* The baseline (from September 2025) scores the backtest facts of
 * September 2025 and lists the earlier ones; no observation is refused. */
static void test_baseline_backtest(void **state)
{
    (void)state;
    char args[4096], *out = NULL;
    snprintf(args, sizeof args,
             "score '%s' scenarios/targets/baseline_backtest.cfg", at("base"));
    sim_ok(args, &out);
    assert_non_null(strstr(out, "score: 14 targets, 10 scored, 4 outside"));
    assert_non_null(strstr(out, "mean fair CRPS"));
    assert_non_null(strstr(out, "mean fair Brier score"));
    assert_non_null(strstr(out, "in the 90% interval"));
    free(out);
    const char *csv = at("base/score.csv");
    assert_int_equal(lines_of(csv), 15);
    char *s = sim_test_slurp(csv, NULL);
    assert_non_null(s);
    assert_true(!strncmp(s, "id,quantity,statistic,from,to,from_round,"
                            "to_round,observed,uncertainty,n,model_mean,",
                         60));
    assert_non_null(strstr(s, "\nprisoners_2025_09_15,prisoners,value,"
                              "2025-09-15,2025-09-15,1,1,1197,25,40,"));
    assert_non_null(strstr(s, ",before_start,"));
    /* the same seed gives the same file; another seed moves only PITs */
    snprintf(args, sizeof args,
             "score '%s' scenarios/targets/baseline_backtest.cfg -o '%s' -q",
             at("base"), at("again.csv"));
    sim_ok(args, NULL);
    char *again = sim_test_slurp(at("again.csv"), NULL);
    assert_non_null(again);
    assert_string_equal(s, again);
    free(again);
    snprintf(args, sizeof args,
             "score '%s' scenarios/targets/baseline_backtest.cfg -o '%s' -q "
             "--seed 99",
             at("base"), at("seed99.csv"));
    sim_ok(args, NULL);
    again = sim_test_slurp(at("seed99.csv"), NULL);
    assert_non_null(again);
    assert_string_not_equal(s, again);
    free(again);
    free(s);
}

/* Started in July 2024, the baseline covers every calibration target. */
static void test_early_calibration(void **state)
{
    (void)state;
    char args[4096], *out = NULL;
    snprintf(args, sizeof args,
             "score '%s' scenarios/targets/baseline_calibration.cfg",
             at("early"));
    sim_ok(args, &out);
    assert_non_null(strstr(out, "score: 18 targets, 18 scored, 0 outside"));
    free(out);
    assert_int_equal(lines_of(at("early/score.csv")), 19);
}

/* A refusal: status 2, the message holds `words`, no file at `file`. */
static void refused(const char *args, const char *words, const char *file)
{
    char *err = NULL;
    int st = sim(args, NULL, &err);
    if (st != 2 || !err || !strstr(err, words))
        fail_msg("sanctionsim %s: status %d, '%s' (wanted 2 and '%s')", args,
                 st, err ? err : "", words);
    free(err);
    if (file)
        assert_int_not_equal(access(file, F_OK), 0);
}

static void test_refusals(void **state)
{
    (void)state;
    char args[4096];
    snprintf(args, sizeof args,
             "score '%s' scenarios/targets/baseline_backtest.cfg",
             at("notrace"));
    refused(args, "--trace", at("notrace/score.csv"));
    /* base/score.csv exists from the first test or is made here */
    snprintf(args, sizeof args,
             "score '%s' scenarios/targets/baseline_backtest.cfg -q --force",
             at("base"));
    sim_ok(args, NULL);
    snprintf(args, sizeof args,
             "score '%s' scenarios/targets/baseline_backtest.cfg",
             at("base"));
    refused(args, "exists", NULL);
    assert_int_equal(sim_test_write(at("bad.cfg"),
                                    "observations = (\n"
                                    "  { id = \"x\"; quantity = \"drones\";\n"
                                    "    date = \"2025-09-31\"; value = 1.0;\n"
                                    "    uncertainty = 0.0; source = \"s\"; }\n"
                                    ");\n"),
                     0);
    snprintf(args, sizeof args, "score '%s' '%s' -o '%s'", at("base"),
             at("bad.cfg"), at("bad.csv"));
    refused(args, "bad.cfg:3", at("bad.csv"));
    snprintf(args, sizeof args, "score '%s'", at("base"));
    refused(args, "needs RESULTS_DIR and TARGETS.cfg", NULL);
    snprintf(args, sizeof args, "score '%s' x.cfg --sed 1", at("base"));
    refused(args, "unknown option '--sed'", NULL);
    snprintf(args, sizeof args,
             "score '%s' scenarios/targets/baseline_backtest.cfg --seed -1",
             at("base"));
    refused(args, "--seed", NULL);
    snprintf(args, sizeof args,
             "score '%s' scenarios/targets/baseline_backtest.cfg -o '%s'",
             at("nosuchdir"), at("nodir.csv"));
    refused(args, "scenario.cfg", at("nodir.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline_backtest),
        cmocka_unit_test(test_early_calibration),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
