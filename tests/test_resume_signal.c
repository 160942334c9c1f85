/* test_resume_signal.c - a real SIGINT in the middle of a run (label
 * `slow`: two baseline runs of 20,000 replications): the run stops with
 * exit 1, keeps DIR.partial/, and `--resume` ends with every file
 * byte-identical to an uninterrupted run's. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define OPTS "scenarios/baseline.cfg -n 20000 --seed 4 -q --threads 2"

static void assert_same_file(const char *a, const char *b, const char *name)
{
    char pa[1300], pb[1300];
    snprintf(pa, sizeof pa, "%s/%s", a, name);
    snprintf(pb, sizeof pb, "%s/%s", b, name);
    size_t na = 0, nb = 0;
    char *x = sim_test_slurp(pa, &na), *y = sim_test_slurp(pb, &nb);
    assert_non_null(x);
    assert_non_null(y);
    if (!strcmp(name, "manifest.cfg")) {
        char *m = strstr(x, "\n# ---- this run"), *n = strstr(y, "\n# ---- this run");
        assert_non_null(m);
        assert_non_null(n);
        na = (size_t)(m - x);
        nb = (size_t)(n - y);
    }
    if (na != nb || memcmp(x, y, na) != 0)
        fail_msg("%s differs between %s and %s", name, a, b);
    free(x);
    free(y);
}

static void test_sigint_then_resume(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("resume_signal");
    char cmd[4096], *out = NULL, path[1300];
    snprintf(cmd, sizeof cmd, "'%s' run " OPTS " -o '%s/ref'",
             sim_test_bin(), tmp);
    assert_int_equal(sim_test_run(cmd, NULL), 0);
    snprintf(cmd, sizeof cmd,
             "{ '%s' run " OPTS " -o '%s/out' & pid=$!; sleep 1; "
             "kill -INT $pid; wait $pid; }",
             sim_test_bin(), tmp);
    int status = sim_test_run(cmd, &out);
    if (status != 1 || !out || !strstr(out, "out.partial/") ||
        !strstr(out, "--resume"))
        fail_msg("exit %d: %s", status, out ? out : "");
    free(out);
    snprintf(path, sizeof path, "%s/out.partial/journal.bin", tmp);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    snprintf(cmd, sizeof cmd, "'%s' run " OPTS " -o '%s/out' --resume",
             sim_test_bin(), tmp);
    out = NULL;
    status = sim_test_run(cmd, &out);
    if (status != 0)
        fail_msg("resume: exit %d: %s", status, out ? out : "");
    free(out);
    char ref[1200], dir[1200];
    snprintf(ref, sizeof ref, "%s/ref", tmp);
    snprintf(dir, sizeof dir, "%s/out", tmp);
    static const char *const files[] = {"runs.csv", "summary.csv",
                                        "scenario.cfg", "manifest.cfg"};
    for (size_t i = 0; i < N_OF(files); i++)
        assert_same_file(ref, dir, files[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigint_then_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
