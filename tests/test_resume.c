/* test_resume.c - `run --resume` through the executable: a run stopped
 * after K replications (the test hook SANCTIONSIM_STOP_AFTER stops it as
 * SIGINT would) keeps them in DIR.partial/, and the resumed run ends with
 * every file byte-identical to an uninterrupted run's (the manifest above
 * its run-specific part); a kill -9 is simulated by cutting the files
 * mid-row; a resume with changed inputs or other arguments is refused
 * with exit status 2 and the partial directory kept. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The scenario and options every run here shares. */
#define SCEN "tests/golden/small.cfg"
#define OPTS "-n 30 --seed 11 --trace -q"

/* Runs `[ENV] sanctionsim ARGS`; its exit status, both streams in *out
 * (owned, may be NULL). */
static int sim(const char *env, const char *args, char **out)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s '%s' %s", env ? env : "", sim_test_bin(),
             args);
    char *o = NULL;
    int st = sim_test_run(cmd, &o);
    if (out)
        *out = o;
    else
        free(o);
    return st;
}

static void sim_status(const char *env, const char *args, int want,
                       const char *word)
{
    char *out = NULL;
    int st = sim(env, args, &out);
    if (st != want || (word && (!out || !strstr(out, word))))
        fail_msg("`%s %s`: exit %d (want %d): %s (want '%s')",
                 env ? env : "", args, st, want, out ? out : "",
                 word ? word : "");
    free(out);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The file dir/name whole; a manifest up to its run-specific part. */
static char *slurp_in(const char *dir, const char *name, size_t *len)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = sim_test_slurp(path, len);
    if (!text)
        fail_msg("cannot read %s", path);
    char *mark = strstr(text, "\n# ---- this run");
    if (!strcmp(name, "manifest.cfg") && mark) {
        mark[1] = '\0';
        *len = (size_t)(mark + 1 - text);
    }
    return text;
}

/* Every file of dir_a and dir_b byte for byte, and the same files. */
static void assert_same_dirs(const char *a, const char *b)
{
    static const char *const files[] = {"runs.csv", "rounds.csv",
                                        "summary.csv", "scenario.cfg",
                                        "manifest.cfg"};
    for (size_t i = 0; i < N_OF(files); i++) {
        size_t na = 0, nb = 0;
        char *x = slurp_in(a, files[i], &na), *y = slurp_in(b, files[i], &nb);
        if (na != nb || memcmp(x, y, na) != 0)
            fail_msg("%s differs between %s and %s", files[i], a, b);
        free(x);
        free(y);
    }
    char na[512], nb[512];
    int ea = sim_test_dir_entries(a, na, sizeof na);
    int eb = sim_test_dir_entries(b, nb, sizeof nb);
    if (ea != eb || strcmp(na, nb) != 0)
        fail_msg("%s holds%s, %s holds%s", a, na, b, nb);
}

/* The uninterrupted run, in tmp/ref. */
static void reference(const char *tmp, char *ref, size_t size)
{
    char args[2048];
    snprintf(ref, size, "%s/ref", tmp);
    snprintf(args, sizeof args, "run " SCEN " " OPTS " --threads 2 -o '%s'",
             ref);
    sim_status(NULL, args, 0, NULL);
}

/* Stops a run after K replications (exit 1, the partial directory named),
 * at several K, resumes it on another number of threads, and compares;
 * one run is interrupted twice. */
static void test_resume_at_several_points(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("resume_points");
    char ref[1100], dir[1100], partial[1200], args[4096], env[64], man[1300];
    reference(tmp, ref, sizeof ref);
    static const long stops[] = {1, 7, 20, 29};
    for (size_t i = 0; i < N_OF(stops); i++) {
        snprintf(dir, sizeof dir, "%s/r%zu", tmp, i);
        snprintf(partial, sizeof partial, "%s.partial", dir);
        snprintf(env, sizeof env, "SANCTIONSIM_STOP_AFTER=%ld", stops[i]);
        snprintf(args, sizeof args,
                 "run " SCEN " " OPTS " --threads 1 -o '%s'", dir);
        sim_status(env, args, 1, "--resume");
        assert_false(exists(dir));
        snprintf(man, sizeof man, "%s/manifest.cfg", partial);
        char *text = sim_test_slurp(man, NULL);
        assert_non_null(text);
        assert_non_null(strstr(text, "completed = false;"));
        free(text);
        if (i == 1) { /* interrupted again while resumed */
            snprintf(args, sizeof args,
                     "run " SCEN " " OPTS " --threads 2 -o '%s' --resume",
                     dir);
            sim_status("SANCTIONSIM_STOP_AFTER=15", args, 1, "after");
        }
        snprintf(args, sizeof args,
                 "run " SCEN " " OPTS " --threads 3 -o '%s' --resume", dir);
        sim_status(NULL, args, 0, NULL);
        assert_false(exists(partial));
        assert_same_dirs(ref, dir);
    }
}

/* kill -9 leaves a row, a round or a journal record half written: each
 * is cut and the resumed run is still identical. */
static void test_resume_after_kill(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("resume_kill");
    char ref[1100], dir[1100], args[4096], path[1300];
    reference(tmp, ref, sizeof ref);
    static const char *const cut[] = {"runs.csv", "rounds.csv",
                                      "journal.bin"};
    static const long bytes[] = {37, 1000, 5};
    for (size_t i = 0; i < N_OF(cut); i++) {
        snprintf(dir, sizeof dir, "%s/k%zu", tmp, i);
        snprintf(args, sizeof args,
                 "run " SCEN " " OPTS " --threads 2 -o '%s'", dir);
        sim_status("SANCTIONSIM_STOP_AFTER=12", args, 1, NULL);
        snprintf(path, sizeof path, "%s.partial/%s", dir, cut[i]);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_true(st.st_size > bytes[i]);
        assert_int_equal(truncate(path, st.st_size - bytes[i]), 0);
        snprintf(args, sizeof args,
                 "run " SCEN " " OPTS " --threads 2 -o '%s' --resume", dir);
        sim_status(NULL, args, 0, NULL);
        assert_same_dirs(ref, dir);
    }
    /* killed before a replication was written: a fresh start */
    snprintf(dir, sizeof dir, "%s/k_empty", tmp);
    snprintf(path, sizeof path, "%s.partial", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(args, sizeof args,
             "run " SCEN " " OPTS " --threads 2 -o '%s' --resume", dir);
    sim_status(NULL, args, 0, NULL);
    assert_same_dirs(ref, dir);
}

/* A resume that cannot be this run's is refused (exit 2) and keeps the
 * partial directory; a run without --resume names it; --force starts
 * again. */
static void test_resume_refusals(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("resume_refused");
    char scen[1100], dir[1100], partial[1200], args[4096], cmd[4096];
    snprintf(scen, sizeof scen, "%s/s.cfg", tmp);
    snprintf(cmd, sizeof cmd, "cp " SCEN " '%s'", scen);
    assert_int_equal(system(cmd), 0);
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(partial, sizeof partial, "%s.partial", dir);
    snprintf(args, sizeof args, "run '%s' " OPTS " -o '%s'", scen, dir);
    sim_status("SANCTIONSIM_STOP_AFTER=4", args, 1, NULL);
    /* the same run without --resume: refused, naming the way on */
    sim_status(NULL, args, 2, "--resume");
    /* other arguments */
    snprintf(args, sizeof args, "run '%s' -n 31 --seed 11 --trace -q -o '%s' "
             "--resume", scen, dir);
    sim_status(NULL, args, 2, "replications = 30;");
    snprintf(args, sizeof args, "run '%s' -n 30 --seed 11 -q -o '%s' "
             "--resume", scen, dir);
    sim_status(NULL, args, 2, "--trace");
    /* the scenario changed */
    snprintf(cmd, sizeof cmd, "echo '# edited' >> '%s'", scen);
    assert_int_equal(system(cmd), 0);
    snprintf(args, sizeof args, "run '%s' " OPTS " -o '%s' --resume", scen,
             dir);
    sim_status(NULL, args, 2, "changed since");
    assert_true(exists(partial));
    /* --force starts again */
    snprintf(args, sizeof args, "run '%s' " OPTS " -o '%s' --force", scen,
             dir);
    sim_status(NULL, args, 0, NULL);
    assert_false(exists(partial));
    /* nothing to resume in a complete result */
    snprintf(args, sizeof args, "run '%s' " OPTS " -o '%s' --resume", scen,
             dir);
    sim_status(NULL, args, 2, "nothing to resume");
}

/* A --reps slice resumes to the same metrics.bin, and merges. */
static void test_resume_slice(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("resume_slice");
    char a[1100], b[1100], args[4096];
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    snprintf(args, sizeof args,
             "run " SCEN " " OPTS " --reps 10:15 -o '%s'", a);
    sim_status(NULL, args, 0, NULL);
    snprintf(args, sizeof args,
             "run " SCEN " " OPTS " --reps 10:15 -o '%s'", b);
    sim_status("SANCTIONSIM_STOP_AFTER=6", args, 1, NULL);
    snprintf(args, sizeof args,
             "run " SCEN " " OPTS " --reps 10:15 -o '%s' --resume", b);
    sim_status(NULL, args, 0, NULL);
    size_t na = 0, nb = 0;
    char *x = slurp_in(a, "metrics.bin", &na);
    char *y = slurp_in(b, "metrics.bin", &nb);
    assert_true(na == nb && memcmp(x, y, na) == 0);
    free(x);
    free(y);
    assert_same_dirs(a, b);
}

/* A sweep stopped after some design points (and once with runs.csv cut
 * mid-row, as kill -9 leaves it) resumes to every file of the
 * uninterrupted sweep. */
static void test_sweep_resume(void **state)
{
    (void)state;
    static const char *const files[] = {"design.csv", "points.csv",
                                        "runs.csv", "summary.csv",
                                        "manifest.cfg"};
    const char *tmp = sim_test_tmpdir("resume_sweep");
    char ref[1100], dir[1100], args[4096], path[1300];
    snprintf(ref, sizeof ref, "%s/ref", tmp);
    snprintf(args, sizeof args,
             "sweep scenarios/experiments/eu_factorial.cfg -q --threads 2 "
             "-o '%s'",
             ref);
    sim_status(NULL, args, 0, NULL);
    static const long stops[] = {1, 4};
    for (size_t i = 0; i < N_OF(stops); i++) {
        char env[64];
        snprintf(dir, sizeof dir, "%s/s%zu", tmp, i);
        snprintf(env, sizeof env, "SANCTIONSIM_STOP_AFTER=%ld", stops[i]);
        snprintf(args, sizeof args,
                 "sweep scenarios/experiments/eu_factorial.cfg -q "
                 "--threads 2 -o '%s'",
                 dir);
        sim_status(env, args, 1, "--resume");
        if (i == 1) { /* kill -9 in the middle of a row */
            snprintf(path, sizeof path, "%s.partial/runs.csv", dir);
            struct stat st;
            assert_int_equal(stat(path, &st), 0);
            assert_int_equal(truncate(path, st.st_size - 20), 0);
        }
        snprintf(args, sizeof args,
                 "sweep scenarios/experiments/eu_factorial.cfg -q "
                 "--threads 1 -o '%s' --resume",
                 dir);
        sim_status(NULL, args, 0, NULL);
        for (size_t k = 0; k < N_OF(files); k++) {
            size_t na = 0, nb = 0;
            char *x = slurp_in(ref, files[k], &na);
            char *y = slurp_in(dir, files[k], &nb);
            if (na != nb || memcmp(x, y, na) != 0)
                fail_msg("%s differs after a resume at %ld", files[k],
                         stops[i]);
            free(x);
            free(y);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_at_several_points),
        cmocka_unit_test(test_resume_after_kill),
        cmocka_unit_test(test_resume_refusals),
        cmocka_unit_test(test_resume_slice),
        cmocka_unit_test(test_sweep_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
