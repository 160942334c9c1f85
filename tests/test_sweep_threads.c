/* test_sweep_threads.c - `sanctionsim sweep --threads N`: a small sweep of
 * the baseline (a full factorial, 4 points) gives byte-identical files on
 * 1 and 2 threads (the manifest up to its run-specific lines), and a bad
 * value is a usage error naming the option. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char experiment[] =
    "scenario = \"%s/scenarios/baseline.cfg\";\n"
    "design = \"full_factorial\";\n"
    "replications = 40;\n"
    "seed = 3L;\n"
    "metrics = [\"released_total\", \"eu_deals\"];\n"
    "factors = (\n"
    "  { key = \"eu.enabled\"; values = [false, true]; },\n"
    "  { key = \"actors.lithuania.veto.threshold\"; values = [-0.5, 0.5]; }\n"
    ");\n";

/* Runs `sanctionsim sweep FILE -o DIR --threads N -q --force`; returns its
 * status, its output in *out (owned). */
static int sweep(const char *file, const char *dir, const char *threads,
                 char **out)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' sweep '%s' -o '%s' --threads %s -q --force",
             sim_test_bin(), file, dir, threads);
    return sim_test_run(cmd, out);
}

static void test_same_files_for_1_and_2_threads(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("sweep_threads");
    char file[1200], dir[2][1200], text[4096], cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(file, sizeof file, "%s/tiny.cfg", tmp);
    snprintf(text, sizeof text, experiment, cwd);
    assert_int_equal(sim_test_write(file, text), 0);
    for (int t = 0; t < 2; t++) {
        char *out = NULL;
        snprintf(dir[t], sizeof dir[t], "%s/t%d", tmp, t + 1);
        int status = sweep(file, dir[t], t ? "2" : "1", &out);
        if (status)
            fail_msg("sweep --threads %d: exit %d: %s", t + 1, status,
                     out ? out : "");
        free(out);
    }
    static const char *const files[] = {"design.csv", "runs.csv",
                                        "summary.csv", "points.csv"};
    for (size_t f = 0; f < N_OF(files); f++) {
        char pa[1300], pb[1300];
        size_t na = 0, nb = 0;
        snprintf(pa, sizeof pa, "%s/%s", dir[0], files[f]);
        snprintf(pb, sizeof pb, "%s/%s", dir[1], files[f]);
        char *a = sim_test_slurp(pa, &na), *b = sim_test_slurp(pb, &nb);
        if (!a || !b)
            fail_msg("cannot read %s or %s", pa, pb);
        else if (na == 0 || na != nb || memcmp(a, b, na) != 0)
            fail_msg("%s differs between 1 and 2 threads (or is empty)",
                     files[f]);
        free(a);
        free(b);
    }
}

static void test_bad_threads_refused(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("sweep_threads_bad");
    char file[1200], dir[1200];
    snprintf(file, sizeof file, "%s/none.cfg", tmp);
    snprintf(dir, sizeof dir, "%s/out", tmp);
    static const char *const bad[] = {"0", "x", "-2", "100000"};
    for (size_t i = 0; i < N_OF(bad); i++) {
        char *out = NULL;
        assert_int_equal(sweep(file, dir, bad[i], &out), 2);
        assert_non_null(strstr(out, "--threads needs a whole number"));
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_files_for_1_and_2_threads),
        cmocka_unit_test(test_bad_threads_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
