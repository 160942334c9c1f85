/* test_output_dir.c - the result directory's rules (issue 12, items 1-4):
 * the attacks of tests/bad/output/attacks.txt are refused before the first
 * replication and leave everything as it was; --force replaces only the
 * files an earlier result's manifest lists; the default result name
 * drops only the final ".cfg"; a replaced result is swapped with the new
 * one, leaving nothing beside it. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CATALOGUE "tests/bad/output/attacks.txt"

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Cuts s at its end's blanks and skips its leading ones. */
static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Runs one attack: fields[0..5) of its line. */
static void attack(char **f, const char *root)
{
    const char *tmp = sim_test_tmpdir("output_attack");
    char w[1100], cmd[8192], state[1300];
    snprintf(w, sizeof w, "%s/w", tmp);
    assert_int_equal(mkdir(w, 0777), 0);
    /* the folder's names and file contents, before and after */
    snprintf(state, sizeof state,
             "{ find . | sort; find . -type f | sort | xargs cat; }");
    snprintf(cmd, sizeof cmd,
             "{ cd '%s' && { %s; } && %s > ../before.txt && "
             "{ timeout 60 '%s' run '%s/scenarios/baseline.cfg' -n 10000000 "
             "-q --progress=none %s 2>&1; echo \"exit $?\"; } && "
             "%s > ../after.txt; }",
             w, f[1], state, sim_test_bin(), root, f[2], state);
    char *out = NULL;
    int status = sim_test_run(cmd, &out);
    assert_int_equal(status, 0);
    char want[64];
    snprintf(want, sizeof want, "exit %s", f[3]);
    if (!out || !strstr(out, want) || !strstr(out, f[4]))
        fail_msg("%s: `run ... %s`: %s (want %s and '%s')", f[0], f[2],
                 out ? out : "", want, f[4]);
    free(out);
    char before[1300], after[1300];
    snprintf(before, sizeof before, "%s/before.txt", tmp);
    snprintf(after, sizeof after, "%s/after.txt", tmp);
    char *a = sim_test_slurp(before, NULL), *b = sim_test_slurp(after, NULL);
    assert_non_null(a);
    assert_non_null(b);
    if (strcmp(a, b) != 0)
        fail_msg("%s: the folder changed:\n%s\n---\n%s", f[0], a, b);
    free(a);
    free(b);
}

/* Every line of the catalogue, and at least the attacks of issue 12. */
static void test_attacks_refused_before_any_work(void **state)
{
    (void)state;
    char root[1024];
    assert_non_null(getcwd(root, sizeof root));
    FILE *in = fopen(CATALOGUE, "r");
    assert_non_null(in);
    char line[2048];
    int n = 0;
    while (fgets(line, sizeof line, in)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *f[5], *p = line;
        for (int k = 0; k < 5; k++) {
            char *bar = k < 4 ? strchr(p, '|') : NULL;
            if (k < 4 && !bar)
                fail_msg("%s: a line without 5 fields: %s", CATALOGUE, line);
            if (bar)
                *bar = '\0';
            f[k] = trim(p);
            p = bar ? bar + 1 : p;
        }
        attack(f, root);
        n++;
    }
    fclose(in);
    assert_true(n >= 8);
}

static int sim(const char *dir, const char *args, char **out)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s", dir, sim_test_bin(),
             args);
    return sim_test_run(cmd, out);
}

static void sim_ok(const char *dir, const char *args)
{
    char *out = NULL;
    int st = sim(dir, args, &out);
    if (st != 0)
        fail_msg("`%s`: exit %d: %s", args, st, out ? out : "");
    free(out);
}

/* --force replaces a result whose files its manifest lists; a file put
 * into it since is named and kept, the result left whole; a result
 * without a list (sanctionsim 0.1) is replaced if it holds only files
 * sanctionsim writes. After a replacement nothing is left beside it. */
static void test_force_replaces_only_listed_files(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("output_force");
    char path[1300], *out = NULL, names[512], cp[2048];
    snprintf(cp, sizeof cp, "cp tests/golden/small.cfg '%s/'", tmp);
    assert_int_equal(system(cp), 0);
    sim_ok(tmp, "run small.cfg -n 3 -q -o out");
    sim_ok(tmp, "run small.cfg -n 4 -q -o out --force");
    assert_int_equal(sim_test_dir_entries(tmp, names, sizeof names), 2);
    snprintf(path, sizeof path, "%s/out/thesis.tex", tmp);
    assert_int_equal(sim_test_write(path, "precious\n"), 0);
    int st = sim(tmp, "run small.cfg -n 5 -q -o out "
                      "--force", &out);
    if (st != 2 || !out || !strstr(out, "thesis.tex"))
        fail_msg("exit %d: %s", st, out ? out : "");
    free(out);
    assert_true(exists(path));
    assert_int_equal(unlink(path), 0);
    /* an older result: no `files` in its manifest */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sed -i '/^files = /d' '%s/out/manifest.cfg'",
             tmp);
    assert_int_equal(system(cmd), 0);
    sim_ok(tmp, "run small.cfg -n 5 -q -o out --force");
    snprintf(path, sizeof path, "%s/out/runs.csv", tmp);
    char *csv = sim_test_slurp(path, NULL);
    assert_non_null(csv);
    int lines = 0;
    for (const char *c = csv; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 6);
    free(csv);
    if (sim_test_dir_entries(tmp, names, sizeof names) != 2)
        fail_msg("beside the result:%s", names);
}

/* `score` writes its score.csv into the result it scores (by default):
 * a rerun of the run with --force replaces the result, score.csv too,
 * while a user's own file beside it is still refused. */
static void test_force_replaces_a_scored_result(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("output_scored");
    char path[1300], *out = NULL, cp[2048];
    snprintf(cp, sizeof cp,
             "cp scenarios/baseline.cfg scenarios/targets/"
             "baseline_backtest.cfg '%s/'",
             tmp);
    assert_int_equal(system(cp), 0);
    sim_ok(tmp, "run baseline.cfg -n 3 -q --trace -o out");
    sim_ok(tmp, "score out baseline_backtest.cfg -q");
    snprintf(path, sizeof path, "%s/out/score.csv", tmp);
    assert_true(exists(path));
    sim_ok(tmp, "run baseline.cfg -n 4 -q --trace -o out --force");
    assert_false(exists(path));
    snprintf(path, sizeof path, "%s/out/notes.txt", tmp);
    assert_int_equal(sim_test_write(path, "mine\n"), 0);
    int st = sim(tmp, "run baseline.cfg -n 5 -q -o out --force", &out);
    if (st != 2 || !out || !strstr(out, "notes.txt"))
        fail_msg("exit %d: %s", st, out ? out : "");
    free(out);
}

/* exp.low.cfg and exp.high.cfg, without a `name`, write results/exp.low
 * and results/exp.high, not both results/exp. */
static void test_default_name_drops_only_cfg(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("output_name");
    char path[1300];
    static const char *const files[] = {"exp.low.cfg", "exp.high.cfg"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, files[i]);
        assert_int_equal(sim_test_write(path, "rounds = 2;\n"), 0);
    }
    sim_ok(tmp, "run exp.low.cfg -n 2 -q");
    sim_ok(tmp, "run exp.high.cfg -n 2 -q");
    snprintf(path, sizeof path, "%s/results/exp.low/runs.csv", tmp);
    assert_true(exists(path));
    snprintf(path, sizeof path, "%s/results/exp.high/runs.csv", tmp);
    assert_true(exists(path));
    snprintf(path, sizeof path, "%s/results/exp", tmp);
    assert_false(exists(path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attacks_refused_before_any_work),
        cmocka_unit_test(test_force_replaces_only_listed_files),
        cmocka_unit_test(test_force_replaces_a_scored_result),
        cmocka_unit_test(test_default_name_drops_only_cfg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
