/* test_threads.c - `run --threads` and `run --reps` through the executable:
 * every file of a result is byte-identical for 1, 2 and 3 threads (the
 * manifest up to its run-specific group), slices give the matching rows
 * of the full run, bad values are usage errors naming the option,
 * progress shows only where it is asked for, and an interruption stops
 * every thread. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_files_same_for_any_thread_count(void **state)
{
    (void)state;
    static const char *const files[] = {"runs.csv", "rounds.csv",
                                        "summary.csv", "scenario.cfg",
                                        "manifest.cfg"};
    /* the baseline with trace; the golden scenario; fewer replications
     * than threads */
    static const char *const cases[] = {
        "scenarios/baseline.cfg -n 150 --seed 5 --trace",
        "tests/golden/small.cfg -n 20 --seed 7 --trace",
        "tests/golden/small.cfg -n 2 --seed 7 --trace"};
    const char *tmp = sim_test_tmpdir("threads_same");
    for (size_t c = 0; c < N_OF(cases); c++) {
        char dir[3][1200], args[512];
        for (int t = 0; t < 3; t++) {
            snprintf(dir[t], sizeof dir[t], "%s/c%zu_t%d", tmp, c, t + 1);
            snprintf(args, sizeof args, "%s --threads %d", cases[c], t + 1);
            sim_test_run_ok(args, dir[t]);
        }
        for (int t = 1; t < 3; t++)
            sim_test_assert_same_files(dir[0], dir[t], files, N_OF(files));
    }
}

/* Text after the first line (a CSV file's rows). */
static const char *rows_of(const char *csv)
{
    const char *nl = strchr(csv, '\n');
    assert_non_null(nl);
    return nl + 1;
}

/* Slices of a run, concatenated in order, give the full run's rows of
 * runs.csv and rounds.csv; each slice's manifest records it. */
static void test_slices_match_the_full_run(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("threads_slices");
    char full[1200], part[1200], args[512];
    snprintf(full, sizeof full, "%s/full", tmp);
    sim_test_run_ok("scenarios/baseline.cfg -n 60 --seed 11 --trace --threads 2",
           full);
    static const struct {
        long first, count;
        int threads;
    } slices[] = {{0, 17, 1}, {17, 40, 3}, {57, 3, 2}};
    static const char *const files[] = {"runs.csv", "rounds.csv"};
    for (size_t f = 0; f < N_OF(files); f++) {
        size_t n;
        char *want = sim_test_slurp_result(full, files[f], &n);
        const char *at = rows_of(want);
        for (size_t s = 0; s < N_OF(slices); s++) {
            snprintf(part, sizeof part, "%s/part%zu", tmp, s);
            if (f == 0) {
                snprintf(args, sizeof args,
                         "scenarios/baseline.cfg -n 60 --seed 11 --trace "
                         "--reps %ld:%ld --threads %d",
                         slices[s].first, slices[s].count, slices[s].threads);
                sim_test_run_ok(args, part);
                char *man = sim_test_slurp_result(part, "manifest.cfg", &n);
                char line[128];
                snprintf(line, sizeof line,
                         "\nreplications = %ld;\nfirst_replication = %ld;\n",
                         slices[s].count, slices[s].first);
                if (!strstr(man, line))
                    fail_msg("manifest of slice %zu lacks:%s", s, line);
                free(man);
            }
            char *got = sim_test_slurp_result(part, files[f], &n);
            const char *rows = rows_of(got);
            size_t len = strlen(rows);
            if (strncmp(at, rows, len) != 0)
                fail_msg("%s of slice %ld:%ld differs from the full run's",
                         files[f], slices[s].first, slices[s].count);
            at += len;
            free(got);
        }
        assert_string_equal(at, ""); /* the slices cover every row */
        free(want);
    }
}

/* Bad --threads, --reps and --progress values: exit 2, a message naming
 * the option, nothing written. */
static void test_bad_values_rejected(void **state)
{
    (void)state;
    static const struct {
        const char *args, *want;
    } bad[] = {
        {"--threads 0", "--threads"},
        {"--threads -2", "--threads"},
        {"--threads two", "--threads"},
        {"--threads 257", "--threads"},
        {"--threads= ", "--threads"},
        {"--threads", "--threads"},
        {"--threads 1.5", "--threads"},
        {"--reps 5", "--reps"},
        {"--reps -1:3", "--reps"},
        {"--reps 0:0", "--reps"},
        {"--reps 2:-1", "--reps"},
        {"--reps a:b", "--reps"},
        {"--reps 1:", "--reps"},
        {"--reps :4", "--reps"},
        {"--reps 9223372036854775807:1", "--reps"},
        {"--reps 1:9223372036854775807", "--reps"},
        {"--reps 99999999999999999999:1", "--reps"},
        {"--reps 3:2", "beyond the 4 replications"},
        {"--reps=4:1", "beyond the 4 replications"},
        {"--progress=fancy", "--progress"},
        {"--progress", "--progress"},
    };
    const char *tmp = sim_test_tmpdir("threads_bad");
    char work[1100];
    snprintf(work, sizeof work, "%s/w", tmp);
    for (size_t i = 0; i < N_OF(bad); i++) {
        char cmd[4096], *out = NULL, names[512];
        snprintf(cmd, sizeof cmd,
                 "mkdir -p '%s' && '%s' run tests/golden/small.cfg -n 4 %s "
                 "-q -o '%s/out'",
                 work, sim_test_bin(), bad[i].args, work);
        int status = sim_test_run(cmd, &out);
        assert_non_null(out);
        if (status != 2 || !strstr(out, bad[i].want))
            fail_msg("`run ... %s`: exit %d, want 2 and '%s': %s",
                     bad[i].args, status, bad[i].want, out);
        if (sim_test_dir_entries(work, names, sizeof names) != 0)
            fail_msg("`run ... %s` wrote:%s", bad[i].args, names);
        free(out);
    }
}

/* Progress goes to standard error only when asked for (or on a
 * terminal, which a test does not have): a log line with the count, the
 * updating line with its carriage returns, nothing with --quiet. */
static void test_progress_where_asked(void **state)
{
    (void)state;
    static const struct {
        const char *opts, *want; /* want NULL: standard error empty */
    } cases[] = {
        {"", NULL},
        {"--progress=none", NULL},
        {"--progress=log -q", NULL},
        {"--progress=log", "sanctionsim: 30/30 replications (100%)"},
        {"--progress bar", "\r  30/30 replications (100%)"},
    };
    const char *tmp = sim_test_tmpdir("threads_progress");
    for (size_t i = 0; i < N_OF(cases); i++) {
        char cmd[4096], errf[1200];
        snprintf(errf, sizeof errf, "%s/err%zu.txt", tmp, i);
        snprintf(cmd, sizeof cmd,
                 "'%s' run tests/golden/small.cfg -n 30 %s -o '%s/out%zu' "
                 ">/dev/null 2>'%s'",
                 sim_test_bin(), cases[i].opts, tmp, i, errf);
        assert_int_equal(system(cmd), 0);
        char *err = sim_test_slurp(errf, NULL);
        assert_non_null(err);
        if (cases[i].want ? !strstr(err, cases[i].want) : err[0] != '\0')
            fail_msg("`run ... %s`: standard error '%s', want '%s'",
                     cases[i].opts, err, cases[i].want ? cases[i].want : "");
        free(err);
    }
}

/* SIGINT while 3 threads run: every thread stops, exit 1 with the
 * message of an interruption, and only out.partial/ is left, for
 * --resume. */
static void test_interrupt_stops_every_thread(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("threads_interrupt");
    char cmd[4096], *out = NULL, names[512];
    snprintf(cmd, sizeof cmd,
             "{ '%s' run scenarios/baseline.cfg -n 10000000 --threads 3 -q "
             "-o '%s/out' & pid=$!; sleep 1; kill -INT $pid; wait $pid; }",
             sim_test_bin(), tmp);
    int status = sim_test_run(cmd, &out);
    assert_non_null(out);
    if (status != 1 || !strstr(out, "interrupted after"))
        fail_msg("exit %d: %s", status, out);
    free(out);
    if (sim_test_dir_entries(tmp, names, sizeof names) != 1 ||
        !strstr(names, "out.partial"))
        fail_msg("left behind:%s", names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_same_for_any_thread_count),
        cmocka_unit_test(test_slices_match_the_full_run),
        cmocka_unit_test(test_bad_values_rejected),
        cmocka_unit_test(test_progress_where_asked),
        cmocka_unit_test(test_interrupt_stops_every_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
