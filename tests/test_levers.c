/* test_levers.c - results that describe themselves and levers that do what
 * they say (issue 11): columns.csv beside runs.csv, the units on screen,
 * initial states honoured or refused, partial relief, sensible-range
 * warnings and --strict, "did you mean" for commands and options.
 *
 * Runs go through the executable, on the baseline cut to a few rounds
 * and replications so that the whole test takes seconds. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The baseline, short: a few rounds and replications. */
#define SHORT "scenarios/baseline.cfg --set rounds=8 -n 40 --seed 3 " \
              "--progress=none --threads 1"

/* Runs `sanctionsim ARGS 2>&1` from the repository root; the output in
 * *out (malloc'ed), the exit status returned. */
static int sim(const char *args, char **out)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "'%s' %s", sim_test_bin(), args);
    int st = sim_test_run(cmd, out);
    assert_non_null(*out);
    return st;
}

/* Asserts that `text` contains `part`. */
static void has(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not found in:\n%s", part, text);
}

/* Runs the short baseline with extra arguments into dir; returns runs.csv
 * (malloc'ed). */
static __attribute__((unused)) char *short_run(const char *dir, const char *extra)
{
    char args[2048], *out = NULL, path[1200];
    snprintf(args, sizeof args, "run " SHORT " -o '%s' --force %s", dir,
             extra);
    int st = sim(args, &out);
    if (st != 0)
        fail_msg("run %s failed (%d):\n%s", extra, st, out);
    free(out);
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    char *runs = sim_test_slurp(path, NULL);
    assert_non_null(runs);
    return runs;
}

/* The field `n` (0-based) of a CSV line without quoted commas before it,
 * into buf. */
static void field(const char *line, int n, char *buf, size_t size)
{
    for (int i = 0; i < n && line; i++) {
        line = strchr(line, ',');
        if (line)
            line++;
    }
    assert_non_null(line);
    size_t len = strcspn(line, ",\n");
    snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), line);
}

/* columns.csv: a row for every column of runs.csv, in the same order,
 * and the unit the screen gives the going price is its unit there. */
static void test_columns_csv_describes_runs_csv(void **state)
{
    (void)state;
    char dir[1100], path[1200], *screen = NULL, args[2048];
    snprintf(dir, sizeof dir, "%s/out", sim_test_tmpdir("test_levers_cols"));
    snprintf(args, sizeof args, "run " SHORT " -o '%s' --force", dir);
    assert_int_equal(sim(args, &screen), 0);
    snprintf(path, sizeof path, "%s/columns.csv", dir);
    char *cols = sim_test_slurp(path, NULL);
    assert_non_null(cols);
    assert_memory_equal(cols, "column,unit,meaning", 19);
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    char *runs = sim_test_slurp(path, NULL);
    assert_non_null(runs);
    /* walk runs.csv's header and columns.csv's rows together */
    const char *row = strchr(cols, '\n') + 1;
    int n = 0;
    for (const char *h = runs; *h && *h != '\n'; n++) {
        size_t len = strcspn(h, ",\n");
        if (strncmp(row, h, len) != 0 || row[len] != ',')
            fail_msg("column %d of runs.csv (%.*s) is not row %d of "
                     "columns.csv", n, (int)len, h, n + 1);
        row = strchr(row, '\n') + 1;
        h += len + (h[len] == ',');
    }
    assert_true(n > 20);
    const char *price = strstr(cols, "\nprice_per_prisoner,");
    assert_non_null(price);
    char unit[64], label[128];
    field(price + 1, 1, unit, sizeof unit);
    assert_true(unit[0] != '\0');
    snprintf(label, sizeof label, "going price (%s)", unit);
    has(screen, label);
    free(cols);
    free(runs);
    free(screen);
}

/* borders.klaipeda_open = true: refused, naming the key and the reason,
 * where an actor decides on transit again in round 1 (the baseline);
 * honoured for the whole run where none does, so that runs.csv
 * changes. */
static void test_klaipeda_open_refused_or_honoured(void **state)
{
    (void)state;
    char *out = NULL;
    int st = sim("check scenarios/baseline.cfg --set "
                 "borders.klaipeda_open=true",
                 &out);
    assert_int_equal(st, 2);
    has(out, "borders.klaipeda_open");
    has(out, "would not last a round");
    has(out, "lithuania holds the transit role");
    free(out);
    const char *tmp = sim_test_tmpdir("test_levers_klaipeda");
    char cfg[1100], a[1100], b[1100], args[8192];
    snprintf(cfg, sizeof cfg, "%s/no_transit.cfg", tmp);
    assert_int_equal(
        sim_test_write(cfg,
                       "rounds = 6;\n"
                       "actors = { lithuania = { roles = [\"veto\", "
                       "\"border\", \"renew\"]; }; };\n"
                       "instruments = ( { name = \"potash\"; imposer = "
                       "\"us\"; value = 1.0; needs_transit = true; } );\n"),
        0);
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    snprintf(args, sizeof args,
             "run '%s' -n 20 --seed 2 -q -o '%s' --force && '%s' run '%s' "
             "-n 20 --seed 2 -q -o '%s' --force --set "
             "borders.klaipeda_open=true",
             cfg, a, sim_test_bin(), cfg, b);
    st = sim(args, &out);
    if (st != 0)
        fail_msg("%s", out);
    free(out);
    snprintf(args, sizeof args, "%s/runs.csv", a);
    char *ra = sim_test_slurp(args, NULL);
    snprintf(args, sizeof args, "%s/runs.csv", b);
    char *rb = sim_test_slurp(args, NULL);
    assert_non_null(ra);
    assert_non_null(rb);
    assert_true(strcmp(ra, rb) != 0);
    free(ra);
    free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_csv_describes_runs_csv),
        cmocka_unit_test(test_klaipeda_open_refused_or_honoured),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
