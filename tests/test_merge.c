/* test_merge.c - `sanctionsim merge` through the executable: slices of a
 * batch (uneven, run on different numbers of threads, given in any order)
 * merge into a result whose every file is byte-identical to the single
 * run's (the manifest above its run-specific group), and slices that do
 * not make one batch are refused with exit status 2, a message naming the
 * directory and the fault, and no result written. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Runs `sanctionsim merge ARGS` and returns its exit status, its output
 * (both streams) in *out (owned). */
static int merge(const char *args, char **out)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "'%s' merge %s", sim_test_bin(), args);
    return sim_test_run(cmd, out);
}

static bool exists(const char *dir, const char *name)
{
    char path[8192];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

/* Runs `base` whole into tmp/full and in three uneven slices on 1, 2 and
 * 3 threads into tmp/s0..s2, merges them (given last first) into
 * tmp/merged and compares every file with the single run's. */
static void check_merge(const char *tmp, const char *base, long n)
{
    char full[1200], merged[1200], slice[3][1200], args[8192];
    snprintf(full, sizeof full, "%s/full", tmp);
    snprintf(merged, sizeof merged, "%s/merged", tmp);
    snprintf(args, sizeof args, "%s -n %ld --threads 2", base, n);
    sim_test_run_ok(args, full);
    const long first[] = {0, n / 10, n / 10 + n / 2};
    const long count[] = {n / 10, n / 2, n - n / 10 - n / 2};
    for (int s = 0; s < 3; s++) {
        snprintf(slice[s], sizeof slice[s], "%s/s%d", tmp, s);
        snprintf(args, sizeof args, "%s -n %ld --reps %ld:%ld --threads %d",
                 base, n, first[s], count[s], s + 1);
        sim_test_run_ok(args, slice[s]);
        assert_true(exists(slice[s], "metrics.bin"));
    }
    assert_false(exists(full, "metrics.bin")); /* a plain run keeps none */
    snprintf(args, sizeof args, "'%s' '%s' '%s' -o '%s' --force -q",
             slice[2], slice[0], slice[1], merged);
    char *out = NULL;
    int status = merge(args, &out);
    if (status != 0)
        fail_msg("merge %s: exit %d: %s", args, status, out ? out : "");
    free(out);
    static const char *const files[] = {"runs.csv", "rounds.csv",
                                        "summary.csv", "scenario.cfg",
                                        "manifest.cfg", "columns.csv"};
    sim_test_assert_same_files(full, merged, files, N_OF(files));
    /* and no other file: the six compared above, as the single run */
    char names[1024];
    int n_full = sim_test_dir_entries(full, names, sizeof names);
    assert_int_equal(n_full, (int)N_OF(files));
    int n_merged = sim_test_dir_entries(merged, names, sizeof names);
    if (n_merged != n_full)
        fail_msg("the merged result holds %s", names);
}

static void test_merged_equals_single_run_baseline(void **state)
{
    (void)state;
    check_merge(sim_test_tmpdir("merge_baseline"),
                "scenarios/baseline.cfg --seed 5 --trace", 300);
}

static void test_merged_equals_single_run_golden(void **state)
{
    (void)state;
    check_merge(sim_test_tmpdir("merge_golden"),
                "tests/golden/small.cfg --seed 7 --trace", 41);
}

/* Slices of the golden scenario for the refusals, made once: tmp/NAME
 * from `run tests/golden/small.cfg -n 20 --seed 3 EXTRA`. */
static const struct {
    const char *name, *extra;
} pieces[] = {
    {"a", "--reps 0:8"},
    {"b", "--reps 8:12"},
    {"b_overlap", "--reps 6:14"},
    {"b_seed", "--reps 8:12 --seed 4"},
    {"b_scenario", "--reps 8:12 --set rounds=11"},
    {"b_trace", "--reps 8:12 --trace"},
    {"plain", ""},
    {"b_format", "--reps 8:12"},
    {"b_old", "--reps 8:12"},
};

static int make_pieces(void **state)
{
    const char *tmp = sim_test_tmpdir("merge_refusals");
    char dir[1200], args[512];
    for (size_t i = 0; i < N_OF(pieces); i++) {
        snprintf(dir, sizeof dir, "%s/%s", tmp, pieces[i].name);
        snprintf(args, sizeof args, "tests/golden/small.cfg -n 20 --seed 3 %s",
                 pieces[i].extra);
        sim_test_run_ok(args, dir);
    }
    /* another result format, and none (sanctionsim 0.1) */
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "sed -i 's/^format = 1;/format = 2;/' '%s/b_format/manifest.cfg'"
             " && sed -i '/^format = /d' '%s/b_old/manifest.cfg'",
             tmp, tmp);
    if (system(cmd) != 0)
        return -1;
    *state = (void *)tmp;
    return 0;
}

/* Merges tmp/A tmp/B into tmp/out; expects exit 2, a message holding
 * `want` and `names` (a directory), and no tmp/out. */
static void refused(const char *tmp, const char *a, const char *b,
                    const char *want, const char *names)
{
    char args[4096], out_dir[1200];
    snprintf(out_dir, sizeof out_dir, "%s/out", tmp);
    snprintf(args, sizeof args, "'%s/%s' '%s/%s' -o '%s'", tmp, a, tmp, b,
             out_dir);
    char *out = NULL;
    int status = merge(args, &out);
    if (status != 2 || !out || !strstr(out, want) || !strstr(out, names))
        fail_msg("merge %s %s: exit %d, `%s`; wanted exit 2 with `%s` and "
                 "`%s`",
                 a, b, status, out ? out : "", want, names);
    free(out);
    struct stat st;
    assert_int_not_equal(stat(out_dir, &st), 0);
}

static void test_refusals(void **state)
{
    const char *tmp = *state;
    refused(tmp, "b", "b", "replications 0 to 7 are missing", "/b");
    refused(tmp, "a", "a", "overlap: both have replications 0 to 7", "/a");
    refused(tmp, "a", "b_overlap", "overlap: both have replications 6 to 7",
            "/b_overlap");
    refused(tmp, "a", "b_seed", "another master seed", "/b_seed");
    refused(tmp, "a", "b_scenario", "another scenario", "/b_scenario");
    refused(tmp, "b_trace", "a", "run every slice with --trace or none",
            "/b_trace");
    refused(tmp, "a", "plain", "has no metrics.bin", "/plain");
    refused(tmp, "a", "nowhere", "has no manifest.cfg", "/nowhere");
    refused(tmp, "a", "b_format", "is of result format 2", "/b_format");
    refused(tmp, "a", "b_old", "older than result format 1", "/b_old");
    char args[4096], *out = NULL;
    /* one slice alone leaves the rest out */
    snprintf(args, sizeof args, "'%s/a' -o '%s/out'", tmp, tmp);
    assert_int_equal(merge(args, &out), 2);
    assert_non_null(strstr(out, "replications 8 to 19 of the 20 are missing"));
    free(out);
}

/* An existing result is kept unless --force; --force replaces it. */
static void test_existing_output(void **state)
{
    const char *tmp = *state;
    char args[4096], out_dir[1200], *out = NULL;
    snprintf(out_dir, sizeof out_dir, "%s/existing", tmp);
    snprintf(args, sizeof args, "'%s/a' '%s/b' -o '%s' -q", tmp, tmp,
             out_dir);
    assert_int_equal(merge(args, &out), 0);
    free(out);
    assert_int_equal(merge(args, &out), 2);
    assert_non_null(strstr(out, "exists and is not empty"));
    free(out);
    snprintf(args, sizeof args, "'%s/b' '%s/a' -o '%s' -q --force", tmp, tmp,
             out_dir);
    assert_int_equal(merge(args, &out), 0);
    free(out);
    assert_true(exists(out_dir, "summary.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merged_equals_single_run_baseline),
        cmocka_unit_test(test_merged_equals_single_run_golden),
        cmocka_unit_test_setup(test_refusals, make_pieces),
        cmocka_unit_test_setup(test_existing_output, make_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
