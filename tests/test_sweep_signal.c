/* test_sweep_signal.c - real signals in the middle of a sweep (label
 * `slow`: three sweeps of the baseline, 8 points of 10,000 replications,
 * a few seconds each): SIGINT 0.3 s after the sweep's journal is begun
 * (a resumed sweep's is there from its start) stops it with exit 1 and
 * keeps DIR.partial/; `sweep --resume` is stopped again by SIGTERM; a
 * second `--resume` ends with every file byte-identical to an
 * uninterrupted sweep's (the manifest above its run-specific part), and
 * the same files. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The experiment: the baseline, 8 points, common random numbers. */
static const char experiment[] =
    "scenario = \"%s/scenarios/baseline.cfg\";\n"
    "design = \"full_factorial\";\n"
    "replications = 10000;\n"
    "seed = 3L;\n"
    "metrics = [\"released_total\", \"eu_deals\"];\n"
    "factors = (\n"
    "  { key = \"eu.enabled\"; values = [false, true]; },\n"
    "  { key = \"actors.lithuania.veto.threshold\"; range = [-0.5, 0.5];\n"
    "    levels = 4; }\n"
    ");\n";

static char bin[2048], tmp[1024];

static void assert_same_file(const char *a, const char *b, const char *name)
{
    char pa[1300], pb[1300];
    snprintf(pa, sizeof pa, "%s/%s", a, name);
    snprintf(pb, sizeof pb, "%s/%s", b, name);
    size_t na = 0, nb = 0;
    char *x = sim_test_slurp(pa, &na), *y = sim_test_slurp(pb, &nb);
    if (!x || !y)
        fail_msg("%s or %s cannot be read", pa, pb);
    if (!strcmp(name, "manifest.cfg")) {
        char *m = strstr(x, "\n# ---- this run");
        char *n = strstr(y, "\n# ---- this run");
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

/* Starts `sweep exp.cfg -o out [--resume]` in tmp, waits until its
 * journal (sweep.bin) is begun (at most 120 s) and 0.3 s more, sends
 * sig, and requires exit 1 with the partial directory named. */
static void interrupt(const char *sig, const char *resume)
{
    char cmd[8192], *out = NULL;
    snprintf(cmd, sizeof cmd,
             "cd '%s' && { '%s' sweep exp.cfg -q --threads 2 -o out %s & "
             "pid=$!; n=0; while [ $n -lt 2400 ] && kill -0 $pid 2>/dev/null "
             "&& ! [ -s out.partial/sweep.bin ]; do sleep 0.05; n=$((n+1)); "
             "done; sleep 0.3; kill -%s $pid; wait $pid; }",
             tmp, bin, resume, sig);
    int status = sim_test_run(cmd, &out);
    if (status != 1 || !out || !strstr(out, "out.partial/") ||
        !strstr(out, "--resume"))
        fail_msg("SIG%s%s: exit %d (want 1; 0 means the sweep ended before "
                 "the signal): %s",
                 sig, resume, status, out ? out : "");
    free(out);
    char path[1300];
    struct stat st;
    snprintf(path, sizeof path, "%s/out.partial/sweep.bin", tmp);
    assert_int_equal(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/out", tmp);
    assert_int_not_equal(stat(path, &st), 0);
}

static void test_signals_then_resume(void **state)
{
    (void)state;
    char cwd[1024], path[1300], cmd[8192], *out = NULL;
    assert_non_null(getcwd(cwd, sizeof cwd));
    const char *b = sim_test_bin();
    snprintf(bin, sizeof bin, "%s%s%s", b[0] == '/' ? "" : cwd,
             b[0] == '/' ? "" : "/", b);
    snprintf(tmp, sizeof tmp, "%s", sim_test_tmpdir("sweep_signal"));
    char text[2048];
    snprintf(text, sizeof text, experiment, cwd);
    snprintf(path, sizeof path, "%s/exp.cfg", tmp);
    assert_int_equal(sim_test_write(path, text), 0);

    snprintf(cmd, sizeof cmd,
             "cd '%s' && '%s' sweep exp.cfg -q --threads 2 -o ref", tmp, bin);
    if (sim_test_run(cmd, &out) != 0)
        fail_msg("reference sweep: %s", out ? out : "");
    free(out);

    interrupt("INT", "");
    interrupt("TERM", "--resume");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && '%s' sweep exp.cfg -q --threads 1 -o out --resume",
             tmp, bin);
    out = NULL;
    if (sim_test_run(cmd, &out) != 0)
        fail_msg("resume: %s", out ? out : "");
    free(out);

    char ref[1200], dir[1200];
    snprintf(ref, sizeof ref, "%s/ref", tmp);
    snprintf(dir, sizeof dir, "%s/out", tmp);
    static const char *const files[] = {"design.csv", "points.csv",
                                        "runs.csv", "summary.csv",
                                        "manifest.cfg"};
    for (size_t i = 0; i < N_OF(files); i++)
        assert_same_file(ref, dir, files[i]);
    char na[512], nb[512];
    int ea = sim_test_dir_entries(ref, na, sizeof na);
    int eb = sim_test_dir_entries(dir, nb, sizeof nb);
    if (ea != eb || strcmp(na, nb) != 0)
        fail_msg("ref holds%s, out holds%s", na, nb);
    snprintf(path, sizeof path, "%s/out.partial", tmp);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signals_then_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
