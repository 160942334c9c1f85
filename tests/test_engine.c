/* test_engine.c - whole-replication invariants: conservation of prisoners,
 * determinism, independence of replications from the worker that runs them,
 * and common random numbers across decision parameters. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/batch.h>
#include "../sim/output.h"
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

#define BASELINE "scenarios/baseline.cfg"

static void load(sim_scenario *sc, const char *const *sets, int nsets)
{
    sim_err err = {0};
    if (sim_scenario_load(sc, sim_builtin_models(), BASELINE, sets, nsets, NULL,
                          &err))
        fail_msg("%s", err.msg);
}

/* MODEL.md section 7: end = start + arrests - releases - completions -
 * deaths, by kind, in every one of 1,000 baseline replications. */
static void test_conservation_by_kind_in_1000_runs(void **state)
{
    (void)state;
    static sim_scenario sc;
    load(&sc, NULL, 0);
    sim_workspace *ws;
    sim_err err = {0};
    assert_int_equal(sim_workspace_alloc(&sc, &ws, &err), 0);
    long released = 0;
    for (uint64_t r = 0; r < 1000; r++) {
        sim_rep_result res;
        if (sim_replicate(ws, 1, r, NULL, NULL, &res, &err))
            fail_msg("%s", err.msg);
        for (int k = 0; k < SIM_N_KINDS; k++) {
            long expect = res.prisoners_start[k] + res.arrests[k] -
                          res.released[k] - res.completions[k] - res.deaths[k];
            if (res.prisoners_end[k] != expect || res.prisoners_end[k] < 0)
                fail_msg("replication %lu, kind %s: end %ld, expected %ld",
                         (unsigned long)r, sim_kind_name(k),
                         res.prisoners_end[k], expect);
            released += res.released[k];
        }
        assert_int_equal(res.prisoners_start[SIM_KIND_ORDINARY],
                         sc.prisoners[SIM_KIND_ORDINARY]);
    }
    /* The invariant is only worth checking if prisoners do move. */
    assert_true(released > 0);
    sim_workspace_free(ws);
}

/* Runs replication `rep` under `master` on ws and returns what the output
 * module writes for it: its rounds.csv rows then its runs.csv row, through
 * the library's own writers into memory (malloc'ed text). */
static char *written_rows(const sim_scenario *sc, sim_workspace *ws,
                          uint64_t master, uint64_t rep, sim_rep_result *res)
{
    static sim_output o;
    memset(&o, 0, sizeof o);
    o.sc = sc;
    o.ncols = sim_columns_list(sc, o.cols);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    o.runs = o.rounds = f;
    sim_err err = {0};
    if (sim_replicate(ws, master, rep, sim_output_round, &o, res, &err) ||
        sim_output_run(&o, res, &err))
        fail_msg("replication %lu: %s", (unsigned long)rep, err.msg);
    assert_int_equal(fclose(f), 0);
    assert_non_null(text);
    return text;
}

/* A replication's result does not depend on what the workspace ran before:
 * the property that lets replications run on any thread or process.
 * Workspace a first runs other replications, under two master seeds; then
 * a and a fresh workspace b run the same replications. Compared whole: the
 * rounds.csv and runs.csv rows as written, every column's value (the
 * summary-only metrics too), and the result struct byte for byte (both
 * are filled from the same cleared start: sim_replicate clears *res). */
static void test_replication_independent_of_history(void **state)
{
    (void)state;
    static sim_scenario sc;
    load(&sc, NULL, 0);
    static sim_column cols[SIM_MAX_COLUMNS];
    int ncols = sim_columns_list(&sc, cols);
    sim_workspace *a, *b;
    sim_err err = {0};
    assert_int_equal(sim_workspace_alloc(&sc, &a, &err), 0);
    sim_rep_result ra, rb;
    for (uint64_t r = 0; r < 20; r++)
        assert_int_equal(sim_replicate(a, 9, r, NULL, NULL, &ra, &err), 0);
    for (uint64_t r = 0; r < 5; r++)
        assert_int_equal(sim_replicate(a, 4, 100 + r, NULL, NULL, &ra, &err),
                         0);
    static const uint64_t reps[] = {19, 3, 0, 19};
    int rows = 0;
    for (size_t i = 0; i < sizeof reps / sizeof reps[0]; i++) {
        assert_int_equal(sim_workspace_alloc(&sc, &b, &err), 0);
        memset(&ra, 0xa5, sizeof ra);
        memset(&rb, 0xa5, sizeof rb);
        char *ta = written_rows(&sc, a, 9, reps[i], &ra);
        char *tb = written_rows(&sc, b, 9, reps[i], &rb);
        if (strcmp(ta, tb) != 0)
            fail_msg("replication %lu after a history:\n%s\nfresh:\n%s",
                     (unsigned long)reps[i], ta, tb);
        for (const char *c = ta; *c; c++)
            rows += *c == '\n';
        for (int c = 0; c < ncols; c++) {
            double va = sim_column_value(&cols[c], &ra);
            double vb = sim_column_value(&cols[c], &rb);
            if (!(va == vb || (isnan(va) && isnan(vb))))
                fail_msg("replication %lu, %s: %.17g after a history, %.17g "
                         "fresh",
                         (unsigned long)reps[i], cols[c].name, va, vb);
        }
        if (memcmp(&ra, &rb, sizeof ra) != 0)
            fail_msg("replication %lu: the result structs differ",
                     (unsigned long)reps[i]);
        free(ta);
        free(tb);
        sim_workspace_free(b);
    }
    /* each replication wrote round rows and its run row */
    assert_true(rows >= 2 * 4);
    sim_workspace_free(a);
}

/* The tracks keep their last release curves, package gains and solved
 * games from round to round and from replication to replication, reused
 * when their inputs repeat bit for bit (sim/track.c). Whatever a
 * workspace ran before, a replication writes the same rows: one workspace
 * runs replications 0..N-1 in turn, another N-1..0, and fresh workspaces
 * some of them; every scenario here bargains on one or both tracks, with
 * models that read the solved game (spe) or every deal (nash), and one
 * with packages of two instruments. (Within a replication the reuse is
 * checked by the golden files, written before the caches existed.) */
static void test_track_caches_keep_results(void **state)
{
    (void)state;
    enum { N = 30 };
    static const struct {
        const char *path, *set;
    } cases[] = {{BASELINE, NULL},
                 {BASELINE, "bargaining.max_instruments=2"},
                 {"scenarios/eu_thaw.cfg", NULL},
                 {"scenarios/textbook/stahl.cfg", NULL},
                 {BASELINE, "actors.washington.offer.model=\"nash\""}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        static sim_scenario sc;
        sim_err err = {0};
        const char *sets[1] = {cases[c].set};
        if (sim_scenario_load(&sc, sim_builtin_models(), cases[c].path, sets,
                              cases[c].set ? 1 : 0, NULL, &err))
            fail_msg("%s", err.msg);
        sim_workspace *up, *down;
        assert_int_equal(sim_workspace_alloc(&sc, &up, &err), 0);
        assert_int_equal(sim_workspace_alloc(&sc, &down, &err), 0);
        char *text[N];
        sim_rep_result res;
        long deals = 0;
        for (int r = 0; r < N; r++) {
            text[r] = written_rows(&sc, up, 3, (uint64_t)r, &res);
            deals += res.us_deals + res.eu_deals;
        }
        for (int r = N - 1; r >= 0; r--) {
            char *t = written_rows(&sc, down, 3, (uint64_t)r, &res);
            bool fresh = r % 10 == 0;
            if (strcmp(t, text[r]) != 0)
                fail_msg("%s%s%s: replication %d after %d, %s: differs",
                         cases[c].path, cases[c].set ? " --set " : "",
                         cases[c].set ? cases[c].set : "", r, r + 1,
                         "run backwards");
            free(t);
            if (fresh) {
                sim_workspace *ws;
                assert_int_equal(sim_workspace_alloc(&sc, &ws, &err), 0);
                t = written_rows(&sc, ws, 3, (uint64_t)r, &res);
                if (strcmp(t, text[r]) != 0)
                    fail_msg("%s: replication %d on a fresh workspace differs",
                             cases[c].path, r);
                free(t);
                sim_workspace_free(ws);
            }
        }
        /* the games matter only if deals are made */
        if (deals == 0)
            fail_msg("%s: no deal in %d replications", cases[c].path, N);
        for (int r = 0; r < N; r++)
            free(text[r]);
        sim_workspace_free(up);
        sim_workspace_free(down);
    }
}

static void run_batch(const sim_scenario *sc, const char *dir, uint64_t seed,
                      long n)
{
    sim_batch_opts o = {.seed = seed,
                        .replications = n,
                        .trace = true,
                        .outdir = dir,
                        .force = true,
                        .command_line = "test"};
    sim_batch_result r;
    sim_err err = {0};
    if (sim_batch_run(sc, &o, &r, &err))
        fail_msg("%s", err.msg);
    sim_batch_result_free(&r);
}

static void assert_same_file(const char *d1, const char *d2, const char *name,
                             bool same)
{
    char p1[1200], p2[1200];
    snprintf(p1, sizeof p1, "%s/%s", d1, name);
    snprintf(p2, sizeof p2, "%s/%s", d2, name);
    size_t n1, n2;
    char *a = sim_test_slurp(p1, &n1), *b = sim_test_slurp(p2, &n2);
    assert_non_null(a);
    assert_non_null(b);
    bool equal = n1 == n2 && memcmp(a, b, n1) == 0;
    if (equal != same)
        fail_msg("%s: expected the two files to be %s", name,
                 same ? "identical" : "different");
    free(a);
    free(b);
}

static void test_same_seed_gives_identical_bytes(void **state)
{
    (void)state;
    static sim_scenario sc;
    load(&sc, NULL, 0);
    char d1[1100], d2[1100], d3[1100];
    snprintf(d1, sizeof d1, "%s/a", sim_test_tmpdir("determinism"));
    snprintf(d2, sizeof d2, "%s/determinism/b",
             getenv("SIM_TEST_TMP") ? getenv("SIM_TEST_TMP")
                                    : "/tmp/sanctionsim-test");
    snprintf(d3, sizeof d3, "%s/determinism/c",
             getenv("SIM_TEST_TMP") ? getenv("SIM_TEST_TMP")
                                    : "/tmp/sanctionsim-test");
    run_batch(&sc, d1, 42, 200);
    run_batch(&sc, d2, 42, 200);
    run_batch(&sc, d3, 43, 200);
    assert_same_file(d1, d2, "runs.csv", true);
    assert_same_file(d1, d2, "rounds.csv", true);
    assert_same_file(d1, d2, "summary.csv", true);
    assert_same_file(d1, d3, "runs.csv", false);
}

/* Reads column `col` of a CSV file into a malloc'ed array of strings (one
 * per data row); *n gets the row count. Fields hold no commas here. */
static char **csv_column(const char *path, const char *col, size_t *n)
{
    char *text = sim_test_slurp(path, NULL);
    assert_non_null(text);
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    int want = -1, idx = 0;
    for (char *f = line, *end; f; f = end ? end + 1 : NULL, idx++) {
        end = strchr(f, ',');
        size_t len = end ? (size_t)(end - f) : strlen(f);
        if (strlen(col) == len && strncmp(f, col, len) == 0)
            want = idx;
    }
    if (want < 0)
        fail_msg("no column %s in %s", col, path);
    size_t cap = 1024, count = 0;
    char **out = malloc(cap * sizeof *out);
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *f = line;
        for (int i = 0; i < want && f; i++) {
            f = strchr(f, ',');
            if (f)
                f++;
        }
        assert_non_null(f);
        size_t len = strcspn(f, ",");
        if (count == cap)
            out = realloc(out, (cap *= 2) * sizeof *out);
        out[count] = malloc(len + 1);
        memcpy(out[count], f, len);
        out[count][len] = '\0';
        count++;
    }
    free(text);
    *n = count;
    return out;
}

static bool columns_equal(const char *p1, const char *p2, const char *col)
{
    size_t n1, n2;
    char **a = csv_column(p1, col, &n1), **b = csv_column(p2, col, &n2);
    bool equal = n1 == n2;
    for (size_t i = 0; i < n1; i++) {
        if (equal && strcmp(a[i], b[i]) != 0)
            equal = false;
        free(a[i]);
    }
    for (size_t i = 0; i < n2; i++)
        free(b[i]);
    free(a);
    free(b);
    return equal;
}

/* MODEL.md section 5: changing a decision parameter leaves every
 * replication's shocks unchanged. The state-free shocks (drones, spy
 * scandals, foreign arrests, Washington's attention) must match round by
 * round; with the revolving door off, so must new arrests. The runs are
 * cut to full horizons (no early stop) so that rows align. */
static void test_decision_parameter_keeps_shocks(void **state)
{
    (void)state;
    static sim_scenario base, changed;
    const char *common[] = {"revolving_door.elasticity=0",
                            "stop.all_released=false", "stop.all_lifted=false",
                            "stop.no_deal_rounds=0"};
    const char *more[] = {"revolving_door.elasticity=0",
                          "stop.all_released=false",
                          "stop.all_lifted=false",
                          "stop.no_deal_rounds=0",
                          "actors.washington.stage_discount=0.3",
                          "actors.minsk.stage_discount=0.99"};
    load(&base, common, 4);
    load(&changed, more, 6);
    const char *tmp = sim_test_tmpdir("crn");
    char d1[1100], d2[1100], p1[1200], p2[1200];
    snprintf(d1, sizeof d1, "%s/base", tmp);
    snprintf(d2, sizeof d2, "%s/changed", tmp);
    run_batch(&base, d1, 5, 100);
    run_batch(&changed, d2, 5, 100);
    snprintf(p1, sizeof p1, "%s/rounds.csv", d1);
    snprintf(p2, sizeof p2, "%s/rounds.csv", d2);
    assert_true(columns_equal(p1, p2, "drones"));
    assert_true(columns_equal(p1, p2, "spy_scandals"));
    assert_true(columns_equal(p1, p2, "foreign_arrests"));
    assert_true(columns_equal(p1, p2, "us_engaged"));
    assert_true(columns_equal(p1, p2, "arrests"));
    /* ...while the decisions did change something. */
    assert_false(columns_equal(p1, p2, "released"));
}

/* A shock whose mean is pushed past the simulator's bound by a multiplier
 * stops the replication with an error naming the shock, instead of
 * handing GSL a mean it cannot take. */
static void test_shock_mean_bound_is_an_error(void **state)
{
    (void)state;
    static sim_scenario sc;
    sim_err err = {0};
    const char *text =
        "rounds = 3;\n"
        "shocks = { drones = { dist = \"poisson\"; mean = 1000.0; }; };\n"
        "calendar = ( { type = \"exercise\"; start = 2; factor = 10000.0; "
        "} );\n";
    if (sim_scenario_load_string(&sc, sim_builtin_models(), text, "bound.cfg",
                                 NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    sim_workspace *ws;
    assert_int_equal(sim_workspace_alloc(&sc, &ws, &err), 0);
    sim_rep_result res;
    assert_int_equal(sim_replicate(ws, 1, 0, NULL, NULL, &res, &err),
                     SIM_E_NUMERIC);
    assert_non_null(strstr(err.msg, "shocks.drones"));
    assert_non_null(strstr(err.msg, "round 2"));
    sim_workspace_free(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conservation_by_kind_in_1000_runs),
        cmocka_unit_test(test_replication_independent_of_history),
        cmocka_unit_test(test_track_caches_keep_results),
        cmocka_unit_test(test_same_seed_gives_identical_bytes),
        cmocka_unit_test(test_decision_parameter_keeps_shocks),
        cmocka_unit_test(test_shock_mean_bound_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
