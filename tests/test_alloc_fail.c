/* test_alloc_fail.c - running out of memory, one allocation at a time,
 * with the failing allocator of alloc_hook.h (this executable's name
 * starts with test_alloc_, so CMakeLists.txt links it with the hook).
 *
 * For each operation (load a scenario, make a workspace and run, run a
 * batch into a directory, a sweep, a comparison, a merge of slices, the
 * summary of spills through the external sort, read a game, solve a QRE,
 * enumerate supports, ...) the sweep runs it with allocation N failing, for N = 1, 2, 3, ...
 * until it succeeds with no allocation failed. Every failed run must
 * return SIM_E_NOMEM with a message, free what it made (ASan's leak check
 * in the sanitizer build, valgrind in memcheck_alloc_fail) and, for
 * whatever writes a result directory, leave neither a result nor a
 * temporary directory. */
#include "alloc_hook.h"
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/journal.h"
#include "../sim/spill.h"
#include "../sim/spill_summary.h"
#include <sanctionsim/batch.h>
#include <sanctionsim/calibrate.h>
#include <sanctionsim/compare.h>
#include <sanctionsim/discover.h>
#include <sanctionsim/experiment.h>
#include <sanctionsim/merge.h>
#include <sanctionsim/nash_solution.h>
#include <sanctionsim/nfg.h>
#include <sanctionsim/plot.h>
#include <sanctionsim/problem.h>
#include <sanctionsim/qre.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/score.h>
#include <sanctionsim/world.h>

/* ---- operations ---- */

static sim_scenario scenario;
/* Stateful models on both sides, so that the workspace allocates model
 * states and the loader a scratch state for each model's own checks. */
static const char *const stateful[] = {
    "actors.minsk.offer.model=bayesian",
    "actors.minsk.respond.model=bayesian",
    "actors.washington.offer.model=reciprocal",
    "actors.washington.respond.model=reciprocal",
};

static int op_load_file(sim_err *err)
{
    return sim_scenario_load(&scenario, sim_builtin_models(),
                             "scenarios/baseline.cfg", stateful, 4, NULL, err);
}

static int op_load_string(sim_err *err)
{
    return sim_scenario_load_string(&scenario, sim_builtin_models(),
                                    "rounds = 3;\n", "s.cfg", stateful, 4, NULL,
                                    err);
}

static void load_scenario(void)
{
    sim_err err = {0};
    if (sim_scenario_load(&scenario, sim_builtin_models(),
                          "scenarios/baseline.cfg", stateful, 4, NULL, &err))
        fail_msg("%s", err.msg);
}

static int count_rounds(void *ctx, const sim_round_record *r, sim_err *err)
{
    (void)r;
    (void)err;
    ++*(long *)ctx;
    return 0;
}

static int op_workspace(sim_err *err)
{
    sim_workspace *ws;
    int rc = sim_workspace_alloc(&scenario, &ws, err);
    if (rc)
        return rc;
    long rounds = 0;
    for (uint64_t r = 0; r < 3 && !rc; r++) {
        sim_rep_result res;
        rc = sim_replicate(ws, 5, r, count_rounds, &rounds, &res, err);
    }
    sim_workspace_free(ws);
    return rc;
}

static int op_first_round_games(sim_err *err)
{
    sim_workspace *ws;
    int rc = sim_workspace_alloc(&scenario, &ws, err);
    if (rc)
        return rc;
    sim_nfg border, respond;
    memset(&border, 0, sizeof border);
    memset(&respond, 0, sizeof respond);
    rc = sim_first_round_games(ws, &border, &respond, err);
    sim_nfg_free(&border);
    sim_nfg_free(&respond);
    sim_workspace_free(ws);
    return rc;
}

static char batch_parent[1100], batch_dir[1200];

static int op_batch(sim_err *err)
{
    sim_batch_opts o = {.seed = 3,
                        .replications = 4,
                        .trace = true,
                        .outdir = batch_dir,
                        .command_line = "test_alloc_fail"};
    sim_batch_result r;
    int rc = sim_batch_run(&scenario, &o, &r, err);
    if (rc == 0)
        sim_batch_result_free(&r);
    return rc;
}

/* After an operation that writes result directory `dir` into `parent`: a
 * failed one left nothing in parent, a successful one its result, which
 * goes for the next attempt. */
static void after_result(const char *parent, const char *dir, int rc)
{
    char names[512] = "";
    int n = sim_test_dir_entries(parent, names, sizeof names);
    if (n != (rc ? 0 : 1))
        fail_msg("after status %d the folder %s holds:%s", rc, parent,
                 names);
    if (rc == 0) {
        char cmd[1300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
}

static void after_batch(int rc)
{
    after_result(batch_parent, batch_dir, rc);
}

/* ---- sweeps, comparisons, merges, the summary of spills ---- */

/* Two finished batches of the baseline (seeds 3 and 4, 4 replications)
 * to compare, two slices of one batch of 4 (replications 0-1 and 2-3,
 * with metrics.bin) to merge, and the output folders. Made with the
 * allocator disarmed. */
static char res_a[1200], res_b[1200], slice[2][1200];
static char out_parent[1100], out_dir[1200];

static void make_result(const char *dir, uint64_t seed, long first, long n,
                        bool keep)
{
    sim_batch_opts o = {.seed = seed,
                        .replications = n,
                        .first = first,
                        .keep_values = keep,
                        .outdir = dir,
                        .command_line = "test_alloc_fail"};
    sim_batch_result r;
    sim_err err = {0};
    if (sim_batch_run(&scenario, &o, &r, &err))
        fail_msg("%s: %s", dir, err.msg);
    sim_batch_result_free(&r);
}

static void make_inputs(const char *name)
{
    load_scenario();
    scenario.replications = 4;
    const char *tmp = sim_test_tmpdir(name);
    snprintf(res_a, sizeof res_a, "%s/a", tmp);
    snprintf(res_b, sizeof res_b, "%s/b", tmp);
    snprintf(slice[0], sizeof slice[0], "%s/s0", tmp);
    snprintf(slice[1], sizeof slice[1], "%s/s1", tmp);
    make_result(res_a, 3, 0, 4, false);
    make_result(res_b, 4, 0, 4, false);
    make_result(slice[0], 3, 0, 2, true);
    make_result(slice[1], 3, 2, 2, true);
    snprintf(out_parent, sizeof out_parent, "%s/out", tmp);
    assert_int_equal(mkdir(out_parent, 0777), 0);
    snprintf(out_dir, sizeof out_dir, "%s/r", out_parent);
}

static void after_output(int rc)
{
    after_result(out_parent, out_dir, rc);
}

static int op_compare(sim_err *err)
{
    const char *dirs[] = {res_a, res_b};
    const char *metrics[] = {"released_total", "us_deals", "klaipeda_open_end"};
    sim_compare_opts o = {.dirs = dirs,
                          .ndirs = 2,
                          .metrics = metrics,
                          .nmetrics = 3,
                          .outdir = out_dir};
    sim_compare_result r;
    int rc = sim_compare_run(&o, &r, err);
    if (rc == 0) {
        if (r.nrows != 3 || r.npairs != 1)
            fail_msg("compare: %zu rows, %d pairs", r.nrows, r.npairs);
        sim_compare_result_free(&r);
    } else if (r.nrows != 0 || r.row || r.pair) {
        fail_msg("compare failed (%d) with a result left in *res", rc);
    }
    return rc;
}

static int op_merge(sim_err *err)
{
    const char *dirs[] = {slice[1], slice[0]};
    sim_merge_opts o = {.dirs = dirs,
                        .ndirs = 2,
                        .outdir = out_dir,
                        .command_line = "test_alloc_fail"};
    sim_merge_result r;
    int rc = sim_merge_run(&o, &r, err);
    if (rc == 0 && (r.replications != 4 || r.slices != 2))
        fail_msg("merge: %ld replications in %d slices", r.replications,
                 r.slices);
    return rc;
}

static sim_experiment experiment;

static int op_sweep(sim_err *err)
{
    sim_sweep_opts o = {.outdir = out_dir,
                        .command_line = "test_alloc_fail"};
    sim_sweep_result r;
    int rc = sim_sweep_run(&experiment, sim_builtin_models(), &o, &r, err);
    sim_sweep_result_free(&r);
    return rc;
}

/* A model of the outputs for sweeps without the simulator: no batches,
 * so that the sweep of allocations reaches the designs' and the indices'
 * own (Sobol with its bootstrap, Morris). */
static int sum_of_factors(void *ctx, long point, const double *x, double *y,
                          double *se, sim_err *err)
{
    (void)ctx;
    (void)point;
    (void)err;
    y[0] = x[0] + 2.0 * x[1] * x[1];
    se[0] = 0;
    return 0;
}

static int op_sweep_fn(sim_err *err)
{
    sim_sweep_opts o = {.outdir = out_dir,
                        .command_line = "test_alloc_fail"};
    sim_sweep_result r;
    int rc = sim_sweep_run_fn(&experiment, sum_of_factors, NULL, &o, &r, err);
    sim_sweep_result_free(&r);
    return rc;
}

static void load_experiment(const char *design)
{
    char text[1024];
    snprintf(text, sizeof text,
             "scenario = \"scenarios/baseline.cfg\"; replications = 2;\n"
             "%s seed = 5L;\n"
             "metrics = [\"released_total\"];\n"
             "factors = ( { key = \"tension.decay\"; range = [0.5, 0.9]; },\n"
             "  { key = \"moscow.sensitivity\"; range = [0.0, 1.0]; } );\n",
             design);
    sim_err err = {0};
    if (sim_experiment_load_string(&experiment, text, "e.cfg", &err))
        fail_msg("%s", err.msg);
}

/* Two spills of 40 values (blocks of 3 rows, so they have files), and a
 * budget of 8 doubles: the summary sorts runs on disk and merges them. */
static sim_spill *spills[2];
static char spill_tmp[1100];

static void make_spills(void)
{
    snprintf(spill_tmp, sizeof spill_tmp, "%s",
             sim_test_tmpdir("alloc_spill"));
    sim_err err = {0};
    for (int s = 0; s < 2; s++) {
        assert_int_equal(sim_spill_open(&spills[s], spill_tmp, 1, 3, &err), 0);
        for (int i = 0; i < 40; i++) {
            double x = (double)((i * 7 + s * 13) % 17) - 3.5;
            assert_int_equal(sim_spill_append(spills[s], &x, &err), 0);
        }
        sim_spill_finish(spills[s]);
    }
}

static int op_spill_summarize(sim_err *err)
{
    sim_summary sum;
    int rc = sim_spill_summarize(spills, 2, 0, "x", false, spill_tmp, 8,
                                 &sum, err);
    if (rc == 0 && sum.n != 80)
        fail_msg("spill summary of %zu values, want 80", (size_t)sum.n);
    return rc;
}

/* After the summary: no sort file left in the temporary folder beside the
 * spills' own files (the spills hold theirs unlinked). */
static void after_spill_summarize(int rc)
{
    char names[512] = "";
    if (sim_test_dir_entries(spill_tmp, names, sizeof names) != 0)
        fail_msg("after a summary with status %d %s holds:%s", rc, spill_tmp,
                 names);
}

/* A game file larger than the reader's first 4 KiB buffer and with more
 * payoffs than its first 64-number array, in both of Gambit's layouts. */
static char nfg_payoffs[1100], nfg_outcomes[1100];

static void write_games(void)
{
    const char *tmp = sim_test_tmpdir("alloc_nfg");
    snprintf(nfg_payoffs, sizeof nfg_payoffs, "%s/payoffs.nfg", tmp);
    snprintf(nfg_outcomes, sizeof nfg_outcomes, "%s/outcomes.nfg", tmp);
    FILE *f = fopen(nfg_payoffs, "w");
    assert_non_null(f);
    fprintf(f, "NFG 1 R \"big\" { \"A\" \"B\" \"C\" } { 8 8 8 }\n");
    for (int k = 0; k < 8 * 8 * 8 * 3; k++)
        fprintf(f, "%d.25%c", k % 7, k % 12 == 11 ? '\n' : ' ');
    assert_int_equal(fclose(f), 0);
    f = fopen(nfg_outcomes, "w");
    assert_non_null(f);
    fprintf(f, "NFG 1 R \"out\" { \"A\" \"B\" } { 10 10 }\n\"\"\n{\n");
    for (int o = 0; o < 40; o++)
        fprintf(f, "{ \"o%d\" %d, %d }\n", o, o % 5, o % 3);
    fprintf(f, "}\n");
    for (int k = 0; k < 100; k++)
        fprintf(f, "%d ", k % 41);
    fprintf(f, "\n");
    assert_int_equal(fclose(f), 0);
}

static int op_read_payoffs(sim_err *err)
{
    sim_nfg g;
    int rc = sim_nfg_read_file(nfg_payoffs, &g, err);
    sim_nfg_free(&g);
    return rc;
}

static int op_read_outcomes(sim_err *err)
{
    sim_nfg g;
    int rc = sim_nfg_read_file(nfg_outcomes, &g, err);
    sim_nfg_free(&g);
    return rc;
}

static int op_problem(sim_err *err)
{
    static sim_problem p;
    int rc = sim_problem_load_string(
        &p,
        "game = { players = (\"a\", \"b\"); strategies = ((\"l\", \"r\"), "
        "(\"u\", \"d\")); payoffs = ((1, 1), (0, 0), (0, 0), (1, 1)); };",
        "p.cfg", NULL, 0, err);
    sim_problem_free(&p);
    return rc;
}

/* A 3x3 coordination game: seven equilibria (three pure, four mixed), so
 * the list of equilibria grows; and a two-player game for the QRE. */
static void coordination(sim_nfg *g)
{
    sim_err err = {0};
    memset(g, 0, sizeof *g);
    g->nplayers = 2;
    g->nstrat[0] = g->nstrat[1] = 3;
    sim_alloc_arm(false);
    assert_int_equal(sim_nfg_alloc(g, &err), 0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            size_t p = (size_t)i + 3 * (size_t)j;
            g->payoff[2 * p] = g->payoff[2 * p + 1] = i == j ? 1.0 + i : 0.0;
        }
}

static sim_nfg game;

static int op_support(sim_err *err)
{
    sim_mixed eq[16];
    size_t count = 0;
    int rc = sim_nfg_support_enumeration(&game, eq, 16, &count, err);
    if (rc == 0 && count != 7)
        fail_msg("support enumeration found %zu equilibria, want 7", count);
    return rc;
}

static int op_qre(sim_err *err)
{
    sim_mixed p;
    double res;
    return sim_qre_logit(&game, 3.0, &p, &res, err);
}

static int op_nash(sim_err *err)
{
    double x;
    return sim_nash_power(1.0, 2.0, 0.3, &x, err);
}

/* ---- discover, score, the plot tables, the journal ---- */

/* A sweep of the baseline (two points, 3 replications) to discover in,
 * a traced run to score and to plot, made with the allocator disarmed. */
static char sweep_dir[1200], traced[1200], journal_dir[1200];

static void make_tool_inputs(void)
{
    load_scenario();
    const char *tmp = sim_test_tmpdir("alloc_tools");
    snprintf(sweep_dir, sizeof sweep_dir, "%s/sweep", tmp);
    snprintf(traced, sizeof traced, "%s/traced", tmp);
    snprintf(journal_dir, sizeof journal_dir, "%s/journal", tmp);
    snprintf(out_parent, sizeof out_parent, "%s/out", tmp);
    snprintf(out_dir, sizeof out_dir, "%s/r", out_parent);
    assert_int_equal(mkdir(out_parent, 0777), 0);
    assert_int_equal(mkdir(journal_dir, 0777), 0);
    sim_err err = {0};
    if (sim_experiment_load_string(
            &experiment,
            "scenario = \"scenarios/baseline.cfg\"; replications = 3;\n"
            "design = \"full_factorial\"; seed = 5L;\n"
            "metrics = [\"released_total\"];\n"
            "factors = ( { key = \"eu.enabled\"; values = [false, true]; } "
            ");\n",
            "e.cfg", &err))
        fail_msg("%s", err.msg);
    sim_sweep_opts so = {.outdir = sweep_dir, .command_line = "t"};
    sim_sweep_result sr;
    if (sim_sweep_run(&experiment, sim_builtin_models(), &so, &sr, &err))
        fail_msg("%s", err.msg);
    sim_sweep_result_free(&sr);
    scenario.replications = 4;
    sim_batch_opts o = {.seed = 3, .replications = 4, .trace = true,
                        .outdir = traced, .command_line = "t"};
    sim_batch_result r;
    if (sim_batch_run(&scenario, &o, &r, &err))
        fail_msg("%s", err.msg);
    sim_batch_result_free(&r);
    /* the traced run's scenario with one setting more and one other */
    char path[1300], cmd[4096];
    snprintf(path, sizeof path, "%s/other.cfg", journal_dir);
    snprintf(cmd, sizeof cmd,
             "sed 's/^rounds = .*/rounds = 7;/' '%s/scenario.cfg' > '%s' && "
             "echo 'note = \"x\";' >> '%s'",
             traced, path, path);
    assert_int_equal(system(cmd), 0);
}

static int op_discover(sim_err *err)
{
    sim_discover_opts o = {.sweep_dir = sweep_dir,
                           .where = "released_total >= 600",
                           .min_support = -1,
                           .step = -1,
                           .outdir = out_dir,
                           .command_line = "t"};
    sim_discover_result r;
    int rc = sim_discover_run(&o, &r, err);
    if (rc == 0)
        sim_discover_result_free(&r);
    return rc;
}

static int op_score(sim_err *err)
{
    char output[1300];
    snprintf(output, sizeof output, "%s/score.csv", out_parent);
    sim_score_opts o = {.results_dir = traced,
                        .targets_path =
                            "scenarios/targets/baseline_backtest.cfg",
                        .output = output,
                        .force = true,
                        .seed = 1};
    sim_score_summary sum;
    int rc = sim_score_run(&o, &sum, err);
    if (rc == 0 && sum.targets < 1)
        fail_msg("score: no targets");
    if (rc != 0) {
        struct stat st;
        if (stat(output, &st) == 0)
            fail_msg("score failed (%d) but wrote %s", rc, output);
    }
    unlink(output);
    return rc;
}

/* The plot tables: runs.csv and rounds.csv as numbers, a header, the fan
 * chart's bands, main effects, the manifest, two scenarios' differences. */
static int op_plot_tables(sim_err *err)
{
    char path[1300], other[1300];
    const char *cols[] = {"round", "prisoners", "rep"};
    sim_plot_query q = {.cols = cols, .ncols = 3, .label_col = "month"};
    sim_plot_table t = {0};
    snprintf(path, sizeof path, "%s/rounds.csv", traced);
    int rc = sim_plot_table_read(path, &q, &t, err);
    sim_plot_band *bands = NULL;
    int nb = 0;
    if (!rc)
        rc = sim_plot_bands(&t, 0, 1, &bands, &nb, err);
    free(bands);
    sim_plot_effect eff[3];
    int ne = 0;
    if (!rc)
        rc = sim_plot_main_effect(t.v, t.v + 1, t.nrows / 2, 3, eff, &ne,
                                  err);
    sim_plot_table_free(&t);
    char **names = NULL;
    int nn = 0;
    snprintf(path, sizeof path, "%s/runs.csv", traced);
    if (!rc)
        rc = sim_plot_header(path, &names, &nn, err);
    sim_plot_names_free(names, nn);
    sim_plot_manifest m;
    if (!rc)
        rc = sim_plot_manifest_read(traced, &m, err);
    sim_plot_change *ch = NULL;
    size_t nch = 0;
    snprintf(path, sizeof path, "%s/scenario.cfg", traced);
    snprintf(other, sizeof other, "%s/other.cfg", journal_dir);
    if (!rc)
        rc = sim_plot_scenario_diff(path, other, &ch, &nch, err);
    sim_plot_changes_free(ch, nch);
    if (rc == 0 && nch < 1)
        fail_msg("plot: no difference between the scenarios");
    return rc;
}

/* A calibration of one parameter on the 2024 baseline's targets: two
 * replications, one iteration, one thread. */
static sim_calib calibration;

static int op_calibrate(sim_err *err)
{
    sim_calib_opts o = {.outdir = out_dir, .threads = 1,
                        .command_line = "test_alloc_fail"};
    sim_calib_result r;
    memset(&r, 0, sizeof r);
    int rc = sim_calib_run(&calibration, sim_builtin_models(), &o, &r, err);
    sim_calib_result_free(&r);
    return rc;
}

static void load_calibration(void)
{
    char cwd[1024], path[1300], text[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/cal.cfg", journal_dir);
    snprintf(text, sizeof text,
             "scenario = \"%s/scenarios/baseline_2024.cfg\";\n"
             "targets = \"%s/scenarios/targets/baseline_calibration.cfg\";\n"
             "method = \"smm\";\nreplications = 2;\nseed = 7;\n"
             "max_iterations = 1;\nparameters = (\n"
             "  { key = \"shocks.arrests.mean\"; range = [20.0, 80.0]; "
             "start = 60.0; }\n);\n",
             cwd, cwd);
    assert_int_equal(sim_test_write(path, text), 0);
    sim_err err = {0};
    if (sim_calib_load(&calibration, path, &err))
        fail_msg("%s", err.msg);
}

/* A journal of 5 records recovered (its record buffer). */
static int journal_row(void *ctx, const double *m, sim_err *err)
{
    (void)err;
    *(double *)ctx += m[0];
    return 0;
}

static int op_journal(sim_err *err)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/runs.csv", journal_dir);
    sim_alloc_arm(false);
    assert_int_equal(sim_test_write(path, "0123456789012345678901234567890"
                                          "1234567890123456789"),
                     0);
    sim_journal j = {0};
    sim_err e = {0};
    assert_int_equal(sim_journal_create(&j, journal_dir, SIM_JOURNAL_FILE, 3,
                                        0, &e),
                     0);
    for (int i = 0; i < 5; i++) {
        double v[3] = {1, 2, 3};
        assert_int_equal(sim_journal_append(&j, (uint64_t)(10 * (i + 1)), 0,
                                            v, &e),
                         0);
    }
    sim_journal_close(&j);
    sim_alloc_arm(true);
    sim_journal_files files = {SIM_JOURNAL_FILE, "runs.csv", NULL};
    double sum = 0;
    long done = 0;
    int rc = sim_journal_recover(&j, journal_dir, &files, 3, 0, 100,
                                 journal_row, &sum, &done, err);
    sim_journal_close(&j);
    if (rc == 0 && done != 5)
        fail_msg("journal: %ld records recovered, want 5", done);
    return rc;
}

/* ---- tests ---- */

static void test_scenario_loading(void **state)
{
    (void)state;
    /* the model scratch states; the string loader's fmemopen too */
    sim_alloc_check("sim_scenario_load", op_load_file, NULL, 2);
    sim_alloc_check("sim_scenario_load_string", op_load_string, NULL, 3);
}

static void test_workspace_and_replications(void **state)
{
    (void)state;
    load_scenario();
    /* 16 random streams, model states, the bargaining game's arrays */
    sim_alloc_check("workspace + 3 replications", op_workspace, NULL, 20);
    sim_alloc_check("first round games", op_first_round_games, NULL, 20);
}

static void test_batch(void **state)
{
    (void)state;
    load_scenario();
    snprintf(batch_parent, sizeof batch_parent, "%s",
             sim_test_tmpdir("alloc_batch"));
    snprintf(batch_dir, sizeof batch_dir, "%s/out", batch_parent);
    sim_alloc_check("sim_batch_run", op_batch, after_batch, 23);
}

/* A comparison, a merge and a sweep each write a result directory; a
 * failure leaves nothing in its place. */
static void test_compare_merge_sweep(void **state)
{
    (void)state;
    make_inputs("alloc_results");
    /* the runs.csv readers, rows, pairs, the sort of differences */
    sim_alloc_check("sim_compare_run", op_compare, after_output, 10);
    /* the manifests, the slices' spills, the streamed files, summaries */
    sim_alloc_check("sim_merge_run", op_merge, after_output, 10);
    sim_err err = {0};
    if (sim_experiment_load_string(
            &experiment,
            "scenario = \"scenarios/baseline.cfg\"; replications = 2;\n"
            "design = \"full_factorial\"; seed = 5L;\n"
            "metrics = [\"released_total\", \"us_deals\"];\n"
            "factors = ( { key = \"eu.enabled\"; values = [false, true]; } "
            ");\n",
            "e.cfg", &err))
        fail_msg("%s", err.msg);
    /* the design, every point's batch, the statistics, the files */
    sim_alloc_check("sim_sweep_run", op_sweep, after_output, 30);
    /* the Sobol sequence, the indices and their bootstrap; Morris */
    load_experiment("design = \"sobol\"; samples = 8;");
    sim_alloc_check("sim_sweep_run_fn (sobol)", op_sweep_fn, after_output, 10);
    load_experiment("design = \"morris\"; samples = 4; levels = 4;");
    sim_alloc_check("sim_sweep_run_fn (morris)", op_sweep_fn, after_output, 5);
}

/* Discovery, scoring, the plot tables, the resume journal and a
 * calibration (issue 10's and 12's error paths). */
static void test_tools(void **state)
{
    (void)state;
    make_tool_inputs();
    /* the sweep's files read, PRIM's trajectory, the box, the files */
    sim_alloc_check("sim_discover_run", op_discover, after_output, 10);
    /* the targets, the runs' and rounds' values, the rows */
    sim_alloc_check("sim_score_run", op_score, NULL, 5);
    /* tables, labels, bands, effects, header names, scenario settings */
    sim_alloc_check("plot tables", op_plot_tables, NULL, 8);
    /* the record buffer of the recovery */
    sim_alloc_check("sim_journal_recover", op_journal, NULL, 1);
    /* the targets, the evaluations' batches, the fit, the files */
    load_calibration();
    sim_alloc_check("sim_calib_run", op_calibrate, after_output, 20);
}

static void test_spill_summary(void **state)
{
    (void)state;
    make_spills();
    /* the buffer, the runs' cursors and buffers of the merge */
    sim_alloc_check("sim_spill_summarize", op_spill_summarize,
                after_spill_summarize, 3);
    for (int s = 0; s < 2; s++)
        sim_spill_close(spills[s]);
}

static void test_games(void **state)
{
    (void)state;
    write_games();
    /* buffer, its growth, the payoff array and its growth */
    sim_alloc_check("sim_nfg_read_file (payoffs)", op_read_payoffs, NULL, 4);
    sim_alloc_check("sim_nfg_read_file (outcomes)", op_read_outcomes, NULL, 3);
    sim_alloc_check("sim_problem_load_string (game)", op_problem, NULL, 1);
    coordination(&game);
    sim_alloc_check("sim_nfg_support_enumeration", op_support, NULL, 10);
    sim_alloc_check("sim_qre_logit", op_qre, NULL, 12);
    sim_alloc_check("sim_nash_power", op_nash, NULL, 1);
    sim_nfg_free(&game);
}

int main(void)
{
    sim_error_quiet_gsl();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_loading),
        cmocka_unit_test(test_workspace_and_replications),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_compare_merge_sweep),
        cmocka_unit_test(test_tools),
        cmocka_unit_test(test_spill_summary),
        cmocka_unit_test(test_games),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
