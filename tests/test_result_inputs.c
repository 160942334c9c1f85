/* test_result_inputs.c - issue 10: the input files a result's manifest
 * hashes, through the executable. A sweep's scenario built on a base
 * (`base = "..."`) has every file of the chain in the sweep's `inputs`, so
 * that `sweep --resume` refuses when a base changed; `merge` carries its
 * slices' inputs into the merged manifest, and refuses slices run on
 * different versions of an input file, naming it. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs `[ENV] sanctionsim ARGS` in folder dir; fails unless it exits
 * with want and its output contains word (if not NULL). */
static void sim_in(const char *dir, const char *env, const char *args,
                   int want, const char *word)
{
    char cmd[8192], cwd[2048], bin[4096];
    const char *b = sim_test_bin();
    if (b[0] != '/' && getcwd(cwd, sizeof cwd))
        snprintf(bin, sizeof bin, "%s/%s", cwd, b);
    else
        snprintf(bin, sizeof bin, "%s", b);
    snprintf(cmd, sizeof cmd, "cd '%s' && %s '%s' %s", dir, env ? env : "",
             bin, args);
    char *out = NULL;
    int st = sim_test_run(cmd, &out);
    if (st != want || (word && (!out || !strstr(out, word))))
        fail_msg("`%s`: exit %d (want %d): %s (want '%s')", cmd, st, want,
                 out ? out : "", word ? word : "");
    free(out);
}

/* Writes dir/name with text, failing the test if it cannot. */
static void put(const char *dir, const char *name, const char *text)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(sim_test_write(path, text), 0);
}

/* Appends a comment line to dir/name: the file's hash changes, the
 * scenario does not. */
static void touch_comment(const char *dir, const char *name)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs("// edited\n", f);
    assert_int_equal(fclose(f), 0);
}

/* The manifest dir/manifest.cfg whole; fails the test if unreadable. */
static char *manifest(const char *dir)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    char *text = sim_test_slurp(path, NULL);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

/* Fails unless manifest text lists `file` among its inputs. */
static void assert_input(const char *text, const char *file, const char *dir)
{
    char want[600];
    snprintf(want, sizeof want, "{ file = \"%s\"; fnv1a64 = ", file);
    const char *inputs = strstr(text, "\ninputs = (");
    if (!inputs || !strstr(inputs, want))
        fail_msg("%s/manifest.cfg lists no input %s:\n%s", dir, file, text);
}

/* A small scenario (the golden one), a variant on it, a base for the
 * variant's variant, and a sweep of the last. */
static const char *sweep_folder(void)
{
    const char *tmp = sim_test_tmpdir("result_inputs_sweep");
    char *small = sim_test_slurp("tests/golden/small.cfg", NULL);
    assert_non_null(small);
    put(tmp, "small.cfg", small);
    free(small);
    put(tmp, "mid.cfg", "base = \"small.cfg\";\nrounds = 6;\n");
    put(tmp, "top.cfg", "base = \"mid.cfg\";\nseed = 5;\n");
    put(tmp, "exp.cfg",
        "scenario = \"top.cfg\";\ndesign = \"full_factorial\";\n"
        "replications = 4;\nseed = 1L;\nmetrics = [\"released_total\"];\n"
        "factors = ( { key = \"eu.enabled\"; values = [false, true]; } );\n");
    return tmp;
}

/* A sweep lists the experiment, its scenario and both bases; a resumed
 * sweep whose deepest base changed is refused, naming it. */
static void test_sweep_hashes_base_chain(void **state)
{
    (void)state;
    const char *tmp = sweep_folder();
    sim_in(tmp, NULL, "sweep exp.cfg -q --threads 1 -o whole", 0, NULL);
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/whole", tmp);
    char *text = manifest(dir);
    static const char *const files[] = {"exp.cfg", "top.cfg", "mid.cfg",
                                        "small.cfg"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        assert_input(text, files[i], dir);
    free(text);

    sim_in(tmp, "SANCTIONSIM_STOP_AFTER=1",
           "sweep exp.cfg -q --threads 1 -o part", 1, "--resume");
    touch_comment(tmp, "small.cfg");
    sim_in(tmp, NULL, "sweep exp.cfg -q --threads 1 -o part --resume", 2,
           "small.cfg changed since the run");
    struct stat st;
    snprintf(dir, sizeof dir, "%s/part.partial", tmp);
    assert_int_equal(stat(dir, &st), 0); /* kept for a later decision */
}

/* Two slices of one scenario merge into a manifest with the slices'
 * inputs; a slice run after its scenario file was edited (a comment: the
 * scenario is the same) is refused, naming the file. */
static void test_merge_carries_and_checks_inputs(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("result_inputs_merge");
    char *small = sim_test_slurp("tests/golden/small.cfg", NULL);
    assert_non_null(small);
    put(tmp, "small.cfg", small);
    free(small);
    put(tmp, "variant.cfg", "base = \"small.cfg\";\nrounds = 6;\n");
    sim_in(tmp, NULL, "run variant.cfg -n 8 --reps 0:4 -q -o a", 0, NULL);
    sim_in(tmp, NULL, "run variant.cfg -n 8 --reps 4:4 -q -o b", 0, NULL);
    sim_in(tmp, NULL, "merge b a -q -o ab", 0, NULL);
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/ab", tmp);
    char *text = manifest(dir);
    assert_input(text, "variant.cfg", dir);
    assert_input(text, "small.cfg", dir);
    /* the same list as a slice's */
    snprintf(dir, sizeof dir, "%s/a", tmp);
    char *slice = manifest(dir);
    const char *x = strstr(text, "\ninputs = (");
    const char *y = strstr(slice, "\ninputs = (");
    assert_non_null(x);
    assert_non_null(y);
    size_t n = (size_t)(strstr(x, ");\n") - x);
    assert_memory_equal(x, y, n);
    free(slice);
    free(text);

    touch_comment(tmp, "small.cfg");
    sim_in(tmp, NULL, "run variant.cfg -n 8 --reps 4:4 -q -o c", 0, NULL);
    sim_in(tmp, NULL, "merge a c -q -o ac", 2,
           "a and c were run on different versions of small.cfg");
    snprintf(dir, sizeof dir, "%s/ac", tmp);
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_hashes_base_chain),
        cmocka_unit_test(test_merge_carries_and_checks_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
