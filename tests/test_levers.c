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
#include <unistd.h>

/* The baseline, short: a few rounds and replications. */
#define SHORT "scenarios/baseline.cfg --set rounds=8 -n 40 --seed 3 " \
              "--progress=none --threads 1"

/* Runs `sanctionsim ARGS 2>&1` from the repository root; the output in
 * *out (malloc'ed), the exit status returned. */
static int sim(const char *args, char **out)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "{ '%s' %s; }", sim_test_bin(), args);
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
static char *short_run(const char *dir, const char *extra)
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

/* columns.csv: a row for every column of runs.csv, in the same order;
 * the going price is in $bn/yr there and in $m/yr on the screen. */
static void test_columns_csv_describes_runs_csv(void **state)
{
    (void)state;
    char dir[1100], path[1400], *screen = NULL, args[4096];
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
    /* the screen shows it in $m/yr, the file in $bn/yr (a contract) */
    assert_string_equal(unit, "$bn/yr per person");
    has(screen, "going price ($m/yr per person)");
    /* compare.csv gives each metric the unit of columns.csv */
    char cmp[1200], *out = NULL;
    snprintf(cmp, sizeof cmp, "%s-cmp", dir);
    snprintf(args, sizeof args, "compare '%s' '%s' -o '%s' --force -q", dir,
             dir, cmp);
    assert_int_equal(sim(args, &out), 0);
    free(out);
    snprintf(path, sizeof path, "%s/compare.csv", cmp);
    char *table = sim_test_slurp(path, NULL);
    assert_non_null(table);
    snprintf(label, sizeof label, ",price_per_prisoner,%s,", unit);
    has(table, label);
    free(table);
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

/* Writes a scenario built on the baseline with `body` into the test's
 * folder `dir`; the path into cfg. */
static void on_baseline(const char *dir, const char *file, const char *body,
                        char *cfg, size_t size)
{
    char text[2048], root[1024];
    assert_non_null(getcwd(root, sizeof root));
    snprintf(cfg, size, "%s/%s", dir, file);
    snprintf(text, sizeof text, "base = \"%s/scenarios/baseline.cfg\";\n%s",
             root, body);
    assert_int_equal(sim_test_write(cfg, text), 0);
}

/* Partial relief: Washington offering only us_finance never lifts the
 * others in a deal, the runs differ from the baseline's, and the resolved
 * scenario.cfg repeats the run; bad lists are refused by entry. */
static void test_offers_restrict_the_table(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("test_levers_offers");
    char cfg[1200], a[1100], b[1100], c[1100], args[4096], path[1300];
    on_baseline(tmp, "partial.cfg",
                "actors = { washington = { offers = [\"us_finance\"]; }; };\n",
                cfg, sizeof cfg);
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    snprintf(c, sizeof c, "%s/c", tmp);
    char *base = short_run(a, "");
    snprintf(args, sizeof args, "run '%s' --set rounds=8 -n 40 --seed 3 -q "
             "--threads 1 -o '%s' --force", cfg, b);
    char *out = NULL;
    if (sim(args, &out) != 0)
        fail_msg("%s", out);
    free(out);
    snprintf(path, sizeof path, "%s/runs.csv", b);
    char *part = sim_test_slurp(path, NULL);
    assert_non_null(part);
    assert_true(strcmp(base, part) != 0);
    /* lifted_round_us_potash (never lifted in a deal) is empty in every
     * row: find its column */
    int col = 0;
    const char *h = part, *hit = strstr(part, "lifted_round_us_potash");
    assert_non_null(hit);
    for (; h < hit; h++)
        col += *h == ',';
    char f[64];
    int rows = 0;
    for (const char *line = strchr(part, '\n') + 1; *line;
         line = strchr(line, '\n') + 1, rows++) {
        field(line, col, f, sizeof f);
        assert_string_equal(f, "");
    }
    assert_int_equal(rows, 40);
    snprintf(path, sizeof path, "%s/scenario.cfg", b);
    char *resolved = sim_test_slurp(path, NULL);
    assert_non_null(resolved);
    has(resolved, "offers = [\"us_finance\"];");
    free(resolved);
    snprintf(args, sizeof args, "run '%s' -q --threads 1 -o '%s' --force",
             path, c);
    assert_int_equal(sim(args, &out), 0);
    free(out);
    snprintf(path, sizeof path, "%s/runs.csv", c);
    char *again = sim_test_slurp(path, NULL);
    assert_non_null(again);
    assert_string_equal(part, again);
    free(again);
    free(part);
    free(base);

    static const struct {
        const char *body, *says;
    } bad[] = {
        {"actors = { eu = { offers = [\"eu_aviaton\"]; }; };",
         "did you mean 'eu_aviation'"},
        {"actors = { eu = { offers = [\"us_potash\"]; }; };",
         "imposed by us, not eu"},
        {"actors = { minsk = { offers = []; }; };", "imposes no instruments"},
        {"actors = { eu = { offers = [\"eu_trade\", \"eu_trade\"]; }; };",
         "listed twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        on_baseline(tmp, "bad.cfg", bad[i].body, cfg, sizeof cfg);
        snprintf(args, sizeof args, "check '%s'", cfg);
        assert_int_equal(sim(args, &out), 2);
        has(out, "bad.cfg:2: actors.");
        has(out, bad[i].says);
        free(out);
    }
}

/* A value outside its key's sensible range: a warning naming the --set
 * or the file and line, exit 0 and results written; --strict makes it
 * an error (exit 2, nothing written). The baseline itself earns none. */
static void test_sensible_range_warnings_and_strict(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(sim("check scenarios/baseline.cfg 2>&1 >/dev/null", &out),
                     0);
    assert_string_equal(out, "");
    free(out);
    /* a cost given as a gain */
    assert_int_equal(sim("check scenarios/baseline.cfg --set "
                         "actors.washington.weights.us_cost=0.5 2>&1 "
                         ">/dev/null",
                         &out),
                     0);
    has(out, "warning: command line (--set "
             "actors.washington.weights.us_cost=0.5): "
             "actors.washington.weights.us_cost: 0.5 is outside the sensible "
             "range -10 to 0: a cost given as a gain?");
    free(out);
    assert_int_equal(sim("check --strict scenarios/baseline.cfg --set "
                         "actors.washington.weights.us_cost=0.5 2>&1 "
                         ">/dev/null",
                         &out),
                     2);
    has(out, "--strict makes them errors");
    free(out);
    /* in a file: its line; run writes its results, or under --strict none */
    const char *tmp = sim_test_tmpdir("test_levers_sensible");
    char cfg[1200], dir[1100], args[4096], path[1300];
    on_baseline(tmp, "odd.cfg",
                "rounds = 6;\nactors = { minsk = { discount = 0.5; }; };\n",
                cfg, sizeof cfg);
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(args, sizeof args,
             "run '%s' -n 5 --progress=none --threads 1 -o '%s' --force",
             cfg, dir);
    assert_int_equal(sim(args, &out), 0);
    has(out, "odd.cfg:3: actors.minsk.discount: 0.5 is outside the sensible "
             "range 0.8 to 1");
    free(out);
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    char *runs = sim_test_slurp(path, NULL);
    assert_non_null(runs);
    free(runs);
    snprintf(dir, sizeof dir, "%s/strict", tmp);
    snprintf(args, sizeof args,
             "run '%s' -n 5 -q --strict --threads 1 -o '%s'", cfg, dir);
    assert_int_equal(sim(args, &out), 2);
    has(out, "odd.cfg:3: actors.minsk.discount");
    free(out);
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    assert_null(sim_test_slurp(path, NULL));
}

/* An experiment whose factor leaves the sensible range: a warning, and
 * under sweep --strict an error before anything runs. */
static void test_sweep_strict(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("test_levers_sweep");
    char exp[1100], dir[1100], args[4096], root[1024], text[2048];
    assert_non_null(getcwd(root, sizeof root));
    snprintf(exp, sizeof exp, "%s/e.cfg", tmp);
    snprintf(text, sizeof text,
             "scenario = \"%s/scenarios/baseline.cfg\";\n"
             "replications = 2;\n"
             "metrics = [\"released_total\"];\n"
             "design = \"full_factorial\";\n"
             "factors = (\n"
             "  { name = \"decay\"; key = \"tension.decay\"; "
             "values = [0.5, 0.999]; }\n);\n",
             root);
    assert_int_equal(sim_test_write(exp, text), 0);
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(args, sizeof args, "sweep '%s' --strict -q -o '%s'", exp, dir);
    char *out = NULL;
    int st = sim(args, &out);
    if (st != 2)
        fail_msg("sweep --strict: exit %d:\n%s", st, out);
    has(out, "factor decay (tension.decay): its values 0.5 to 0.999 leave "
             "the sensible range");
    has(out, "--strict makes them errors");
    free(out);
}

/* Every numeric key of the reference (`sanctionsim keys`) shows a
 * sensible range beside its hard one. */
static void test_every_key_has_a_sensible_range(void **state)
{
    (void)state;
    char *ref = NULL;
    assert_int_equal(sim("keys", &ref), 0);
    int rows = 0;
    for (const char *line = ref; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char row[2048];
        snprintf(row, sizeof row, "%.*s", (int)(len < 2047 ? len : 2047),
                 line);
        /* key rows: | `key` | type | default | range | sensible | ... */
        bool numeric = strstr(row, " | float | ") || strstr(row, " | int | ") ||
                       strstr(row, " | int64 | ");
        if (row[0] == '|' && numeric) {
            const char *p = row; /* to the bar before the sensible cell */
            for (int bar = 0; bar < 4 && p; bar++)
                p = strchr(p + 1, '|');
            assert_non_null(p);
            if (strncmp(p, "|  |", 4) == 0 || strstr(p + 1, " to ") == NULL)
                fail_msg("no sensible range: %s", row);
            rows++;
        }
        line = end ? end + 1 : NULL;
    }
    assert_true(rows > 60);
    free(ref);
}

/* "Did you mean" for an unknown command and for unknown options of every
 * command that takes options. */
static void test_did_you_mean(void **state)
{
    (void)state;
    static const struct {
        const char *args, *says;
    } cases[] = {
        {"rnu", "did you mean 'run'"},
        {"run scenarios/baseline.cfg --sed 3", "did you mean '--seed'"},
        {"run scenarios/baseline.cfg --stric", "did you mean '--strict'"},
        {"check --stirct scenarios/baseline.cfg", "did you mean '--strict'"},
        {"sweep x.cfg --forse", "did you mean '--force'"},
        {"merge a b --forse", "did you mean '--force'"},
        {"compare a b --metric x", "did you mean '--metrics'"},
        {"solve x --lamda 2", "did you mean '--lambda'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        assert_int_equal(sim(cases[i].args, &out), 2);
        has(out, cases[i].says);
        free(out);
    }
}

/* The policy library: each scenario is built on the baseline, opens with
 * its question and what it changes, has a description, and passes
 * `check --strict` (no value outside its sensible range). */
static void test_library_scenarios(void **state)
{
    (void)state;
    static const char *const names[] = {
        "washington_distracted", "eu_thaw",          "escalation",
        "minsk_hard_line",       "klaipeda_reopens", "moscow_pressure"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[256], head[128], args[512];
        snprintf(path, sizeof path, "scenarios/%s.cfg", names[i]);
        char *text = sim_test_slurp(path, NULL);
        if (!text)
            fail_msg("%s is missing", path);
        snprintf(head, sizeof head, "// %s.cfg - what if", names[i]);
        assert_memory_equal(text, head, strlen(head));
        has(text, "\n// QUESTION ");
        has(text, "\n// CHANGES ");
        has(text, "\nbase = \"baseline.cfg\";\n");
        has(text, "\ndescription = \"");
        free(text);
        char *out = NULL;
        snprintf(args, sizeof args, "check --strict '%s' 2>&1 >/dev/null",
                 path);
        assert_int_equal(sim(args, &out), 0);
        assert_string_equal(out, "");
        free(out);
    }
}

/* Values the engine would ignore are refused, naming the key: an
 * economic value on a diplomatic item, without_transit on an instrument
 * that does not need transit, a factor on an EU renewal. */
static void test_ignored_values_refused(void **state)
{
    (void)state;
    static const struct {
        const char *set, *says;
    } cases[] = {
        {"instruments.[4].value=2", "us_embassy is diplomatic"},
        {"instruments.[2].without_transit=0.5",
         "us_finance does not need Klaipeda transit"},
        {"calendar.[1].factor=2", "an eu_renewal event does not use factor"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[512], *out = NULL;
        snprintf(args, sizeof args,
                 "check scenarios/baseline.cfg --set %s 2>&1 >/dev/null",
                 cases[i].set);
        assert_int_equal(sim(args, &out), 2);
        has(out, "would be ignored");
        has(out, cases[i].says);
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_csv_describes_runs_csv),
        cmocka_unit_test(test_klaipeda_open_refused_or_honoured),
        cmocka_unit_test(test_offers_restrict_the_table),
        cmocka_unit_test(test_sensible_range_warnings_and_strict),
        cmocka_unit_test(test_sweep_strict),
        cmocka_unit_test(test_every_key_has_a_sensible_range),
        cmocka_unit_test(test_did_you_mean),
        cmocka_unit_test(test_library_scenarios),
        cmocka_unit_test(test_ignored_values_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
