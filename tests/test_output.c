/* test_output.c - the result files: column names built from scenario names,
 * and the rule that a scenario `check` accepts is never refused by `run`.
 *
 * The loader accepts names of up to SIM_NAME_MAX - 1 characters; columns
 * put a prefix before them (lifted_round_<instrument>) and summary.csv
 * holds a row per metric, so every buffer on the way must fit the longest
 * name with the longest prefix. Runs use a few rounds and -n 5. */
#include "testutil.h"

#include "../sim/columns.h"
#include <sanctionsim/scenario.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A scenario of 4 rounds with two instruments, the first named `name`;
 * into buf. */
static void long_name_cfg(char *buf, size_t size, const char *name)
{
    snprintf(buf, size,
             "rounds = 4;\n"
             "instruments = (\n"
             "  { name = \"%s\"; imposer = \"us\"; value = 1.0; },\n"
             "  { name = \"belavia\"; imposer = \"eu\"; value = 0.5; }\n"
             ");\n",
             name);
}

/* The longest instrument name the loader accepts. */
static void longest_name(char name[SIM_NAME_MAX])
{
    memset(name, 'a', SIM_NAME_MAX - 1);
    name[SIM_NAME_MAX - 1] = '\0';
}

/* Asserts that `text` contains `part`, naming what was searched. */
static void assert_contains(const char *text, const char *part,
                            const char *what)
{
    if (!strstr(text, part))
        fail_msg("%s does not contain \"%s\"", what, part);
}

static void test_columns_hold_the_longest_name(void **state)
{
    (void)state;
    char name[SIM_NAME_MAX], cfg[1024], want[SIM_COLUMN_NAME_MAX + 32];
    longest_name(name);
    long_name_cfg(cfg, sizeof cfg, name);
    sim_scenario *sc = malloc(sizeof *sc);
    sim_column *cols = malloc(SIM_MAX_COLUMNS * sizeof *cols);
    sim_err err = {0};
    assert_non_null(sc);
    assert_non_null(cols);
    if (sim_scenario_load_string(sc, sim_builtin_models(), cfg, "long.cfg",
                                 NULL, 0, NULL, &err))
        fail_msg("load: %s", err.msg);

    int n = sim_columns_list(sc, cols);
    const char *prefixes[] = {"lifted_round_", "status_", "lifted_"};
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        snprintf(want, sizeof want, "%s%s", prefixes[p], name);
        int found = 0;
        for (int i = 0; i < n; i++)
            found += strcmp(cols[i].name, want) == 0;
        if (found != 1)
            fail_msg("column %s found %d times", want, found);
    }
    free(cols);
    free(sc);
}

/* columns.csv: one row per column, in the table's order, each with its
 * unit and a meaning that names what a named column is about. */
static void test_column_dictionary(void **state)
{
    (void)state;
    sim_scenario *sc = malloc(sizeof *sc);
    sim_column *cols = malloc(SIM_MAX_COLUMNS * sizeof *cols);
    sim_err err = {0};
    assert_non_null(sc);
    assert_non_null(cols);
    if (sim_scenario_load(sc, sim_builtin_models(), "scenarios/baseline.cfg",
                          NULL, 0, NULL, &err))
        fail_msg("load: %s", err.msg);
    int n = sim_columns_list(sc, cols);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    sim_columns_write_dictionary(f, cols, n, sc);
    fclose(f);
    /* a header and n rows; each row starts with its column's name */
    const char *line = text;
    assert_true(strncmp(line, "column,unit,meaning,in_runs,summarized\n",
                        39) == 0);
    for (int i = 0; i < n; i++) {
        line = strchr(line, '\n') + 1;
        size_t k = strlen(cols[i].name);
        if (strncmp(line, cols[i].name, k) != 0 || line[k] != ',')
            fail_msg("row %d is not column %s: %.60s", i, cols[i].name, line);
        char meaning[256];
        sim_column_meaning(&cols[i], sc, meaning, sizeof meaning);
        assert_null(strstr(meaning, "%s"));
        assert_true(strlen(meaning) > 5);
    }
    assert_string_equal(strchr(line, '\n'), "\n");
    /* the units the issue names, and a named column's meaning */
    assert_contains(text, "price_per_prisoner,$bn/yr per person,", "dict");
    assert_contains(text, "released_total,persons,", "dict");
    assert_contains(text, "lifted_round_us_potash,round,round in which "
                          "us_potash was lifted", "dict");
    assert_contains(text, "utility_minsk,utility,minsk's discounted", "dict");
    free(text);
    free(cols);
    free(sc);
}

static void test_long_instrument_name_checks_and_runs(void **state)
{
    (void)state;
    char name[SIM_NAME_MAX], text[1024], cmd[4096], want[256];
    char base[1024], cfg[1100], out[1100], path[1200];
    longest_name(name);
    long_name_cfg(text, sizeof text, name);
    snprintf(base, sizeof base, "%s", sim_test_tmpdir("output_long_name"));
    snprintf(cfg, sizeof cfg, "%s/long.cfg", base);
    snprintf(out, sizeof out, "%s/out", base);
    assert_int_equal(sim_test_write(cfg, text), 0);

    char *log = NULL;
    snprintf(cmd, sizeof cmd, "'%s' check '%s'", sim_test_bin(), cfg);
    int rc = sim_test_run(cmd, &log);
    if (rc != 0)
        fail_msg("check: exit %d:\n%s", rc, log ? log : "");
    free(log);

    snprintf(cmd, sizeof cmd, "'%s' run '%s' -n 5 --trace -q -o '%s'",
             sim_test_bin(), cfg, out);
    rc = sim_test_run(cmd, &log);
    if (rc != 0)
        fail_msg("run: exit %d:\n%s", rc, log ? log : "");
    free(log);

    snprintf(path, sizeof path, "%s/runs.csv", out);
    char *runs = sim_test_slurp(path, NULL);
    assert_non_null(runs);
    snprintf(want, sizeof want, ",lifted_round_%s,", name);
    assert_contains(runs, want, "runs.csv");
    snprintf(want, sizeof want, ",status_%s,", name);
    assert_contains(runs, want, "runs.csv");
    free(runs);

    snprintf(path, sizeof path, "%s/summary.csv", out);
    char *summary = sim_test_slurp(path, NULL);
    assert_non_null(summary);
    snprintf(want, sizeof want, "\nlifted_round_%s,", name);
    assert_contains(summary, want, "summary.csv");
    snprintf(want, sizeof want, "\nlifted_%s,", name);
    assert_contains(summary, want, "summary.csv");
    free(summary);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_hold_the_longest_name),
        cmocka_unit_test(test_column_dictionary),
        cmocka_unit_test(test_long_instrument_name_checks_and_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
