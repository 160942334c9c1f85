/* test_score_inputs.c - `score` on broken result directories (a start
 * that is no month, empty or short runs.csv and rounds.csv, a runs.csv
 * that grows between the two passes over it), on no directory at all,
 * with an output path too long to hold, and when the output's stream
 * cannot be made: each refused with its code and a message naming the
 * file and line, and no score.csv left behind. Faults are injected by
 * this executable's own fopen and fdopen, which the static library's
 * calls reach before libc's. */
/* RTLD_NEXT (dlfcn.h) is a GNU extension */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier) */
#include "testutil.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sanctionsim/score.h>

/* ---- fault injection ---- */

/* fopen: when grow_at names a file, its second opening first appends a
 * row to it (the file changes between two passes). fdopen: fails with
 * ENOMEM while fail_fdopen is set. */
static struct {
    char grow_at[1200];
    int opened;
    bool fail_fdopen;
} inject;

FILE *fopen(const char *path, const char *mode)
{
    static FILE *(*real)(const char *, const char *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "fopen");
    if (inject.grow_at[0] && !strcmp(path, inject.grow_at) &&
        ++inject.opened == 2) {
        FILE *f = real(path, "a");
        if (f) {
            fputs("7,1\n", f);
            fclose(f);
        }
    }
    return real(path, mode);
}

FILE *fdopen(int fd, const char *mode)
{
    static FILE *(*real)(int, const char *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "fdopen");
    if (inject.fail_fdopen) {
        errno = ENOMEM;
        return NULL;
    }
    return real(fd, mode);
}

/* ---- a result directory ---- */

static char top[1024];

static const char *at(const char *name)
{
    static char buf[4][1200];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", top, name);
    return b;
}

static const char *const targets =
    "observations = (\n"
    " { id = \"total\"; quantity = \"released_total\"; value = 1.0;\n"
    "   uncertainty = 1.0; source = \"s\"; },\n"
    " { id = \"r1\"; quantity = \"released\"; round = 1; value = 0.0;\n"
    "   uncertainty = 0.0; source = \"s\"; }\n"
    ");\n";

/* A good result of 2 replications and 2 rounds, then file (if any)
 * replaced by text. */
static void make_results(const char *file, const char *text)
{
    assert_int_equal(sim_test_write(at("scenario.cfg"),
                                    "name = \"t\";\nstart = \"2025-01\";\n"
                                    "rounds = 2;\nround_months = 1;\n"),
                     0);
    assert_int_equal(sim_test_write(at("runs.csv"),
                                    "rep,released_total\n0,1\n1,2\n"),
                     0);
    assert_int_equal(sim_test_write(at("rounds.csv"),
                                    "rep,round,released\n0,1,1\n0,2,0\n"
                                    "1,1,2\n1,2,0\n"),
                     0);
    assert_int_equal(sim_test_write(at("targets.cfg"), targets), 0);
    if (file)
        assert_int_equal(sim_test_write(at(file), text), 0);
    unlink(at("score.csv"));
}

/* Scores top against targets.cfg into output (NULL: the default); fails
 * unless the status is want and the message holds both fragments; no
 * score.csv may be left after a failure. */
static void score_fails(const char *output, int want, const char *where,
                        const char *what)
{
    char targets_path[1200];
    snprintf(targets_path, sizeof targets_path, "%s", at("targets.cfg"));
    sim_score_opts o = {.results_dir = top, .targets_path = targets_path,
                        .output = output, .seed = 1};
    sim_score_summary s;
    sim_err e = {0};
    int rc = sim_score_run(&o, &s, &e);
    if (rc != want || !strstr(e.msg, where) || !strstr(e.msg, what))
        fail_msg("status %d (want %d): '%s' lacks '%s' or '%s'", rc, want,
                 e.msg, where, what);
    assert_int_equal(access(at("score.csv"), F_OK), -1);
    if (output)
        assert_int_equal(access(output, F_OK), -1);
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", sim_test_tmpdir("score_inputs"));
    return 0;
}

static void test_good(void **state)
{
    (void)state;
    make_results(NULL, NULL);
    sim_score_opts o = {.results_dir = top, .targets_path = at("targets.cfg"),
                        .seed = 1};
    sim_score_summary s;
    sim_err e = {0};
    assert_int_equal(sim_score_run(&o, &s, &e), 0);
    assert_int_equal(s.targets, 2);
    assert_int_equal(access(at("score.csv"), F_OK), 0);
}

static void test_broken_results(void **state)
{
    (void)state;
    make_results("scenario.cfg", "name = \"t\";\nstart = \"2025-13\";\n"
                                 "rounds = 2;\nround_months = 1;\n");
    score_fails(NULL, SIM_E_USAGE, "scenario.cfg", "start '2025-13' is not "
                                                   "YYYY-MM");
    make_results("runs.csv", "");
    score_fails(NULL, SIM_E_USAGE, "runs.csv", "is empty");
    make_results("runs.csv", "released_total,rep\n1,0\n2\n");
    score_fails(NULL, SIM_E_USAGE, "runs.csv:3", "too few fields");
    make_results("rounds.csv", "");
    score_fails(NULL, SIM_E_USAGE, "rounds.csv", "is empty");
    make_results("rounds.csv", "released,rep,round\n1,0,1\n0,0\n");
    score_fails(NULL, SIM_E_USAGE, "rounds.csv:3", "too few fields");
}

/* runs.csv gains a row between its first and second pass. */
static void test_changed_while_read(void **state)
{
    (void)state;
    make_results(NULL, NULL);
    snprintf(inject.grow_at, sizeof inject.grow_at, "%s", at("runs.csv"));
    inject.opened = 0;
    score_fails(NULL, SIM_E_IO, "runs.csv", "changed while read");
    inject.grow_at[0] = '\0';
    assert_int_equal(inject.opened, 2);
}

static void test_no_directory(void **state)
{
    (void)state;
    sim_targets ts = {.n = 0};
    sim_score_ensembles en;
    sim_err e = {0};
    assert_int_equal(sim_score_collect(NULL, &ts, &en, &e), SIM_E_USAGE);
    assert_non_null(strstr(e.msg, "needs a result directory and targets"));
    assert_int_equal(sim_score_collect(top, NULL, &en, &e), SIM_E_USAGE);
}

/* An output path longer than the library holds: refused, not cut short
 * (which would write a file of another name). */
static void test_long_output(void **state)
{
    (void)state;
    make_results(NULL, NULL);
    char dir[SIM_PATH_MAX + 200];
    size_t n = (size_t)snprintf(dir, sizeof dir, "%s", top);
    /* folders of 200 characters until the path is as long as the
     * library's path buffers */
    while (n < SIM_PATH_MAX - 250) {
        dir[n++] = '/';
        memset(dir + n, 'd', 200);
        n += 200;
        dir[n] = '\0';
        assert_true(mkdir(dir, 0755) == 0 || errno == EEXIST);
    }
    char out[SIM_PATH_MAX + 300];
    snprintf(out, sizeof out, "%s/%0*d.csv", dir, (int)(SIM_PATH_MAX + 25 - n),
             0);
    assert_int_equal(strlen(out), SIM_PATH_MAX + 30);
    char head[24];
    memcpy(head, out, sizeof head - 1);
    head[sizeof head - 1] = '\0';
    score_fails(out, SIM_E_USAGE, "output path too long: ", head);
    assert_int_equal(sim_test_dir_entries(dir, NULL, 0), 0);
}

/* The stream of score.csv's temporary file cannot be made. */
static void test_no_stream(void **state)
{
    (void)state;
    make_results(NULL, NULL);
    inject.fail_fdopen = true;
    score_fails(NULL, SIM_E_IO, "cannot write", "score.csv.tmp-");
    inject.fail_fdopen = false;
    char names[4096];
    assert_true(sim_test_dir_entries(top, names, sizeof names) >= 4);
    if (strstr(names, ".tmp-"))
        fail_msg("a temporary file is left: %s", names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_broken_results),
        cmocka_unit_test(test_changed_while_read),
        cmocka_unit_test(test_no_directory),
        cmocka_unit_test(test_long_output),
        cmocka_unit_test(test_no_stream),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
