/* test_compare_cli.c - `sanctionsim compare` on real result directories:
 * the paired path is taken exactly when the runs share master seed,
 * replication ids and stream scheme; a directory against itself shows no
 * difference; a metric settled before the policies diverge shows none
 * under pairing; mismatches warn; compare.csv's columns and numbers; and
 * every refusal exits with status 2 and writes nothing.
 *
 * The directories are small runs of tests/golden/small.cfg (-n 50), made
 * once for the group: `base` and `var` (Washington's discount 0.9) with
 * seed 1, `seed2` with seed 2, `short` with seed 1 and 40 replications. */
#include "testutil.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static char top[1024]; /* this test's directory */

/* "TOP/name" in a static ring of buffers (several live at once). */
static const char *at(const char *name)
{
    static char buf[8][1200];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", top, name);
    return b;
}

/* Runs `sanctionsim ARGS`; stdout in *out, stderr in *errout (malloc'ed,
 * may be NULL); returns the exit status. */
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

/* Runs and requires exit status 0. */
static void sim_ok(const char *args)
{
    char *out = NULL, *err = NULL;
    int st = sim(args, &out, &err);
    if (st != 0)
        fail_msg("sanctionsim %s: status %d\n%s%s", args, st, out ? out : "",
                 err ? err : "");
    free(out);
    free(err);
}

static void shell_ok(const char *cmd)
{
    if (sim_test_run(cmd, NULL) != 0)
        fail_msg("failed: %s", cmd);
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", sim_test_tmpdir("compare_cli"));
    char args[4096];
    const char *runs[][2] = {
        {"base", "--seed 1"},
        {"var", "--seed 1 --set actors.washington.discount=0.9"},
        {"seed2", "--seed 2"},
    };
    for (size_t i = 0; i < N_OF(runs); i++) {
        snprintf(args, sizeof args,
                 "run tests/golden/small.cfg -n 50 %s -q -o '%s'", runs[i][1],
                 at(runs[i][0]));
        sim_ok(args);
    }
    snprintf(args, sizeof args,
             "run tests/golden/small.cfg -n 40 --seed 1 -q -o '%s'",
             at("short"));
    sim_ok(args);
    return 0;
}

/* Copies result directory `from` to `to` (fresh). */
static void copy_dir(const char *from, const char *to)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", at(to),
             at(from), at(to));
    shell_ok(cmd);
}

/* compare.csv of output directory `out`, as a malloc'ed string. */
static char *read_compare(const char *out)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/compare.csv", at(out));
    char *text = sim_test_slurp(path, NULL);
    if (!text)
        fail_msg("no %s", path);
    return text;
}

/* Field k (from 0) of the line of csv whose fields 1 and 2 end in b and
 * equal metric, as a double (NaN when empty); fails if there is none.
 * compare.csv's fields here hold no quotes. */
static double field_of(const char *csv, const char *b, const char *metric,
                       int k)
{
    const char *line = csv;
    while ((line = strchr(line, '\n')) && *++line) {
        char buf[2048];
        size_t len = strcspn(line, "\n");
        snprintf(buf, sizeof buf, "%.*s", (int)len, line);
        char *f[32];
        int n = 0;
        for (char *s = buf; s && n < 32;) {
            f[n++] = s;
            s = strchr(s, ',');
            if (s)
                *s++ = '\0';
        }
        size_t lb = strlen(b), l1 = strlen(f[1]);
        if (n > k && l1 >= lb && !strcmp(f[1] + l1 - lb, b) &&
            !strcmp(f[2], metric))
            return f[k][0] ? strtod(f[k], NULL) : NAN;
    }
    fail_msg("no row for %s %s", b, metric);
    return NAN;
}

enum { F_N_A = 4, F_PAIRED = 6, F_DIFF = 9, F_LO, F_HI, F_MED, F_MED_LO,
       F_MED_HI, F_TEST, F_STAT, F_P, F_P_RANK, F_P_KS, F_P_ADJ };

/* Whether the row of (b, metric) says paired. */
static bool paired_field(const char *csv, const char *b, const char *metric)
{
    char needle[512];
    snprintf(needle, sizeof needle, "/%s,%s,", b, metric);
    const char *s = strstr(csv, needle);
    assert_non_null(s);
    /* past b, metric, unit, n_a and n_b to the paired field */
    for (int i = 0; i < 5; i++)
        s = strchr(s + 1, ',');
    return !strncmp(s + 1, "true,", 5);
}

static void test_columns_and_paired_path(void **state)
{
    (void)state;
    char args[4096], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "compare '%s' '%s' '%s' -o '%s'", at("base"),
             at("var"), at("seed2"), at("cmp1"));
    assert_int_equal(sim(args, &out, &err), 0);
    /* the reason, a line per comparison */
    assert_non_null(strstr(out, "var vs "));
    assert_non_null(strstr(out, "paired: same master seed 1, replications "
                                "0..49, same stream scheme"));
    assert_non_null(strstr(out, "unpaired: master seeds differ (1 vs 2)"));
    assert_true(err == NULL || strstr(err, "warning") == NULL);
    char *csv = read_compare("cmp1");
    const char *header =
        "a,b,metric,unit,n_a,n_b,paired,mean_a,mean_b,diff,diff_ci_lo,"
        "diff_ci_hi,median_diff,median_diff_ci_lo,median_diff_ci_hi,test,"
        "statistic,p_value,p_rank,p_ks,p_adjusted";
    assert_true(strncmp(csv, header, strlen(header)) == 0);
    assert_true(paired_field(csv, "var", "released_total"));
    assert_false(paired_field(csv, "seed2", "released_total"));
    assert_non_null(strstr(csv, ",paired_t,"));
    assert_non_null(strstr(csv, ",welch,"));
    assert_non_null(strstr(csv, ",mcnemar,"));    /* klaipeda_open_end */
    assert_non_null(strstr(csv, ",two_prop_z,")); /* likewise, unpaired */
    /* KS only unpaired; text and id columns are not metrics */
    assert_true(isnan(field_of(csv, "var", "released_total", F_P_KS)));
    assert_false(isnan(field_of(csv, "seed2", "released_total", F_P_KS)));
    assert_null(strstr(csv, ",stop_reason,"));
    assert_null(strstr(csv, ",status_us_air,"));
    assert_null(strstr(csv, ",rep,"));
    assert_null(strstr(csv, ",seed,"));
    /* the variant changes released_total (else the test proves nothing) */
    assert_true(field_of(csv, "var", "released_total", F_DIFF) != 0);
    /* first_eu_relief_round is empty in some runs: n counts the rest */
    assert_true(field_of(csv, "seed2", "first_eu_relief_round", F_N_A) <= 50);
    free(csv);
    free(out);
    free(err);
}

/* Column `name`'s values in dir's runs.csv (empty -> NaN); returns n. */
static size_t runs_column(const char *dir, const char *name, double *v)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/runs.csv", at(dir));
    char *text = sim_test_slurp(path, NULL);
    assert_non_null(text);
    int col = -1, c = 0;
    char *line = strtok(text, "\n");
    for (char *s = line; s; c++) {
        size_t len = strcspn(s, ",");
        if (len == strlen(name) && !strncmp(s, name, len))
            col = c;
        s = s[len] ? s + len + 1 : NULL;
    }
    assert_true(col >= 0);
    size_t n = 0;
    while ((line = strtok(NULL, "\n"))) {
        char *s = line;
        for (int k = 0; k < col; k++)
            s = strchr(s, ',') + 1;
        v[n++] = (*s == ',' || !*s) ? NAN : strtod(s, NULL);
    }
    free(text);
    return n;
}

static void test_numbers_match_runs_csv(void **state)
{
    (void)state;
    char args[4096];
    snprintf(args, sizeof args, "compare '%s' '%s' -q -o '%s'", at("base"),
             at("var"), at("cmp2"));
    sim_ok(args);
    char *csv = read_compare("cmp2");
    /* the mean paired difference, recomputed here from the two runs.csv
     * (rows are in replication order in both) */
    double a[64], b[64], s = 0;
    size_t n = runs_column("base", "released_total", a);
    assert_int_equal(runs_column("var", "released_total", b), n);
    for (size_t i = 0; i < n; i++)
        s += b[i] - a[i];
    assert_close(field_of(csv, "var", "released_total", F_DIFF),
                 s / (double)n, 1e-12);
    /* pairwise dropping: pairs where both have a first EU relief round */
    n = runs_column("base", "first_eu_relief_round", a);
    runs_column("var", "first_eu_relief_round", b);
    size_t both = 0;
    for (size_t i = 0; i < n; i++)
        both += !isnan(a[i]) && !isnan(b[i]);
    assert_close(field_of(csv, "var", "first_eu_relief_round", F_N_A),
                 (double)both, 0);
    free(csv);
}

static void test_self_and_settled_metrics_show_no_difference(void **state)
{
    (void)state;
    char args[4096];
    snprintf(args, sizeof args, "compare '%s' '%s' '%s' -q -o '%s'",
             at("base"), at("base"), at("var"), at("cmp3"));
    sim_ok(args);
    char *csv = read_compare("cmp3");
    /* against itself: every difference 0, certain, p = 1 */
    const char *metrics[] = {"released_total", "utility_minsk",
                             "price_per_prisoner", "klaipeda_open_end",
                             "first_eu_relief_round"};
    for (size_t i = 0; i < N_OF(metrics); i++) {
        const char *m = metrics[i];
        assert_close(field_of(csv, "base", m, F_DIFF), 0, 0);
        assert_close(field_of(csv, "base", m, F_LO), 0, 0);
        assert_close(field_of(csv, "base", m, F_HI), 0, 0);
        assert_close(field_of(csv, "base", m, F_P), 1, 0);
        assert_close(field_of(csv, "base", m, F_P_ADJ), 1, 0);
        if (strcmp(m, "klaipeda_open_end") != 0) {
            assert_close(field_of(csv, "base", m, F_MED), 0, 0);
            assert_close(field_of(csv, "base", m, F_P_RANK), 1, 0);
        }
    }
    /* settled in round 1 in these runs, before the discount matters:
     * under pairing, exactly no difference; unpaired runs differ */
    assert_close(field_of(csv, "var", "first_us_deal_round", F_DIFF), 0, 0);
    assert_close(field_of(csv, "var", "first_us_deal_round", F_LO), 0, 0);
    assert_close(field_of(csv, "var", "first_us_deal_round", F_HI), 0, 0);
    assert_close(field_of(csv, "var", "prisoners_start", F_DIFF), 0, 0);
    free(csv);
}

static void test_mismatches_warn_and_unpair(void **state)
{
    (void)state;
    /* a stream scheme that differs */
    copy_dir("base", "othergen");
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "sed -i 's/^generator = .*/generator = \"another scheme\";/' "
             "'%s/manifest.cfg'",
             at("othergen"));
    shell_ok(cmd);
    char args[4096], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "compare '%s' '%s' '%s' -o '%s'", at("base"),
             at("short"), at("othergen"), at("cmp4"));
    assert_int_equal(sim(args, &out, &err), 0);
    assert_non_null(err);
    assert_non_null(strstr(err, "warning"));
    assert_non_null(strstr(err, "replication ids do not match"));
    assert_non_null(strstr(err, "stream schemes"));
    assert_non_null(strstr(out, "unpaired: same master seed 1 but the "
                                "replication ids differ"));
    assert_non_null(strstr(out, "unpaired: same master seed 1 but the "
                                "stream schemes differ"));
    char *csv = read_compare("cmp4");
    assert_false(paired_field(csv, "short", "rounds"));
    assert_false(paired_field(csv, "othergen", "rounds"));
    assert_close(field_of(csv, "short", "rounds", F_N_A), 50, 0);
    free(csv);
    free(out);
    free(err);
}

static void test_metrics_option(void **state)
{
    (void)state;
    char args[4096];
    snprintf(args, sizeof args,
             "compare '%s' '%s' --metrics released_total,deaths -q -o '%s'",
             at("base"), at("var"), at("cmp5"));
    sim_ok(args);
    char *csv = read_compare("cmp5");
    int lines = 0;
    for (const char *s = csv; (s = strchr(s, '\n')); s++)
        lines++;
    assert_int_equal(lines, 3); /* header and two rows */
    free(csv);
}

/* Requires exit status 2 with `word` on stderr and nothing written to
 * the output directory `out`. */
static void refused(const char *args, const char *word, const char *out)
{
    char *o = NULL, *e = NULL;
    int st = sim(args, &o, &e);
    if (st != 2 || !e || !strstr(e, word))
        fail_msg("sanctionsim %s: status %d, stderr '%s' (wanted '%s')", args,
                 st, e ? e : "", word);
    if (out) {
        char path[1300];
        snprintf(path, sizeof path, "%s/compare.csv", at(out));
        char *text = sim_test_slurp(path, NULL);
        assert_null(text);
    }
    free(o);
    free(e);
}

static void test_bad_inputs_exit_2(void **state)
{
    (void)state;
    char args[4096], cmd[4096];
    /* fewer than two */
    snprintf(args, sizeof args, "compare '%s' -o '%s'", at("base"),
             at("bad"));
    refused(args, "two result directories", "bad");
    refused("compare", "two result directories", NULL);
    /* no runs.csv */
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", at("empty"));
    shell_ok(cmd);
    snprintf(args, sizeof args, "compare '%s' '%s' -o '%s'", at("base"),
             at("empty"), at("bad"));
    refused(args, "no runs.csv", "bad");
    /* another result format */
    copy_dir("base", "fmt99");
    snprintf(cmd, sizeof cmd,
             "sed -i 's/^format = 1;/format = 99;/' '%s/manifest.cfg'",
             at("fmt99"));
    shell_ok(cmd);
    snprintf(args, sizeof args, "compare '%s' '%s' -o '%s'", at("base"),
             at("fmt99"), at("bad"));
    refused(args, "format 99", "bad");
    /* a manifest without a format (sanctionsim 0.1) is read as format 1 */
    copy_dir("base", "fmt1");
    snprintf(cmd, sizeof cmd, "sed -i '/^format = /d' '%s/manifest.cfg'",
             at("fmt1"));
    shell_ok(cmd);
    snprintf(args, sizeof args, "compare '%s' '%s' -q -o '%s'", at("base"),
             at("fmt1"), at("fmt1cmp"));
    sim_ok(args);
    /* columns that differ: the last column cut */
    copy_dir("base", "cut");
    snprintf(cmd, sizeof cmd,
             "sed -i 's/,[^,]*$//' '%s/runs.csv'", at("cut"));
    shell_ok(cmd);
    snprintf(args, sizeof args, "compare '%s' '%s' -o '%s'", at("base"),
             at("cut"), at("bad"));
    refused(args, "different columns", "bad");
    /* a malformed runs.csv, named with its line */
    copy_dir("base", "broken");
    snprintf(cmd, sizeof cmd, "sed -i '3s/^/\"/' '%s/runs.csv'",
             at("broken"));
    shell_ok(cmd);
    snprintf(args, sizeof args, "compare '%s' '%s' -o '%s'", at("base"),
             at("broken"), at("bad"));
    refused(args, "runs.csv:3:", "bad");
    /* an unknown metric, with a suggestion */
    snprintf(args, sizeof args,
             "compare '%s' '%s' --metrics released_totl -o '%s'", at("base"),
             at("var"), at("bad"));
    refused(args, "did you mean 'released_total'", "bad");
    /* an unknown option */
    snprintf(args, sizeof args, "compare '%s' '%s' --forse", at("base"),
             at("var"));
    refused(args, "--force", NULL);
}

static void test_output_directory_rules(void **state)
{
    (void)state;
    char args[4096], cmd[4096];
    snprintf(args, sizeof args, "compare '%s' '%s' -q -o '%s'", at("base"),
             at("var"), at("cmp6"));
    sim_ok(args);
    refused(args, "exists", NULL);
    snprintf(args, sizeof args, "compare '%s' '%s' -q --force -o '%s'",
             at("base"), at("var"), at("cmp6"));
    sim_ok(args);
    /* --force never replaces a directory compared, nor a foreign file */
    snprintf(args, sizeof args, "compare '%s' '%s' -q --force -o '%s'",
             at("base"), at("var"), at("base"));
    refused(args, "is a directory this command reads", NULL);
    snprintf(cmd, sizeof cmd, "echo mine > '%s/notes.txt'", at("cmp6"));
    shell_ok(cmd);
    snprintf(args, sizeof args, "compare '%s' '%s' -q --force -o '%s'",
             at("base"), at("var"), at("cmp6"));
    refused(args, "notes.txt", NULL);
    /* the comparison is a result: its manifest lists its files */
    snprintf(cmd, sizeof cmd,
             "grep -q 'files = \\[ \"compare.csv\", \"manifest.cfg\" \\]' "
             "'%s/manifest.cfg'",
             at("cmp6"));
    shell_ok(cmd);
    /* no temporary or partial directory left beside */
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q 'tmp-\\|partial'", top);
    assert_int_not_equal(sim_test_run(cmd, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_and_paired_path),
        cmocka_unit_test(test_numbers_match_runs_csv),
        cmocka_unit_test(test_self_and_settled_metrics_show_no_difference),
        cmocka_unit_test(test_mismatches_warn_and_unpair),
        cmocka_unit_test(test_metrics_option),
        cmocka_unit_test(test_bad_inputs_exit_2),
        cmocka_unit_test(test_output_directory_rules),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
