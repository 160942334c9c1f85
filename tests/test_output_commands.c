/* test_output_commands.c - the result directories of compare, discover,
 * plot and merge follow `run`'s rules (output_dir.c): every attack of
 * tests/bad/output/commands.txt is refused with its message, leaves the
 * scratch folder as it was, and is refused the same way when the
 * command's inputs do not exist (so -o is checked before they are read);
 * each command's result lists its files in its manifest, so that --force
 * replaces it and nothing else. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CATALOGUE "tests/bad/output/commands.txt"
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static char fix[1024]; /* the inputs: results, slices, a sweep */
static char bin[2048]; /* the executable, absolute */

/* A command under test: its name, its inputs (directories in the folder
 * of the inputs) and options, and which input an INPUT attack names. */
static const struct {
    const char *name, *in1, *in2, *more, *first;
} commands[] = {
    {"compare", "r1", "r2", "", "r1"},
    {"discover", "sw", NULL, "--where 'released_total >= 30'", "sw"},
    {"plot", "r1", NULL, "", "r1"},
    {"merge", "s1", "s2", "", "s1"},
};

/* Command c's inputs in folder dir, as shell words, into buf. */
static void inputs_of(size_t c, const char *dir, char *buf, size_t size)
{
    if (commands[c].in2)
        snprintf(buf, size, "'%s/%s' '%s/%s' %s", dir, commands[c].in1, dir,
                 commands[c].in2, commands[c].more);
    else
        snprintf(buf, size, "'%s/%s' %s", dir, commands[c].in1,
                 commands[c].more);
}

/* Two run results, two slices of one and a small sweep, in fix. */
static int setup(void **state)
{
    (void)state;
    char cwd[1024];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    const char *b = sim_test_bin();
    snprintf(bin, sizeof bin, "%s%s%s", b[0] == '/' ? "" : cwd,
             b[0] == '/' ? "" : "/", b);
    snprintf(fix, sizeof fix, "%s", sim_test_tmpdir("output_commands_fix"));
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && cp '%s/tests/golden/small.cfg' . && "
             "printf 'scenario = \"small.cfg\";\\ndesign = \"full_factorial\";"
             "\\nreplications = 4;\\nseed = 1L;\\nmetrics = "
             "[\"released_total\"];\\nfactors = ( { key = \"eu.enabled\"; "
             "values = [false, true]; } );\\n' > exp.cfg && "
             "'%s' run small.cfg -n 20 -q -o r1 && "
             "'%s' run small.cfg -n 20 --seed 2 -q -o r2 && "
             "'%s' run small.cfg -n 20 --reps 0:10 -q -o s1 && "
             "'%s' run small.cfg -n 20 --reps 10:10 -q -o s2 && "
             "'%s' sweep exp.cfg -q --threads 1 -o sw",
             fix, cwd, bin, bin, bin, bin, bin);
    return sim_test_run(cmd, NULL) == 0 ? 0 : -1;
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

/* opts with INPUT replaced by path, into out. */
static void fill_input(const char *opts, const char *path, char *out,
                       size_t size)
{
    const char *at = strstr(opts, "INPUT");
    if (!at)
        snprintf(out, size, "%s", opts);
    else
        snprintf(out, size, "%.*s'%s'%s", (int)(at - opts), opts, path,
                 at + 5);
}

/* Runs attack f[0..6) against command c, with the inputs in folder in. */
static void attack(char **f, size_t c, const char *in)
{
    const char *tmp = sim_test_tmpdir("output_commands");
    char w[1100], cmd[16384], state[200], inputs[4096], opts[4096];
    char first[1200];
    snprintf(w, sizeof w, "%s/w", tmp);
    assert_int_equal(mkdir(w, 0777), 0);
    snprintf(state, sizeof state,
             "{ find . | sort; find . -type f | sort | xargs cat; }");
    inputs_of(c, in, inputs, sizeof inputs);
    snprintf(first, sizeof first, "%s/%s", in, commands[c].first);
    fill_input(f[3], first, opts, sizeof opts);
    snprintf(cmd, sizeof cmd,
             "{ cd '%s' && { %s; } && %s > ../before.txt && "
             "{ timeout 60 '%s' %s %s -q %s 2>&1; echo \"exit $?\"; } && "
             "%s > ../after.txt; }",
             w, f[2], state, bin, commands[c].name, inputs, opts, state);
    char *out = NULL;
    assert_int_equal(sim_test_run(cmd, &out), 0);
    char want[64];
    snprintf(want, sizeof want, "exit %s", f[4]);
    if (!out || !strstr(out, want) || !strstr(out, f[5]))
        fail_msg("%s: `%s %s %s`: %s (want %s and '%s')", f[0],
                 commands[c].name, inputs, opts, out ? out : "", want, f[5]);
    free(out);
    char before[1300], after[1300];
    snprintf(before, sizeof before, "%s/before.txt", tmp);
    snprintf(after, sizeof after, "%s/after.txt", tmp);
    char *a = sim_test_slurp(before, NULL), *b = sim_test_slurp(after, NULL);
    assert_non_null(a);
    assert_non_null(b);
    if (strcmp(a, b) != 0)
        fail_msg("%s (%s): the folder changed:\n%s\n---\n%s", f[0],
                 commands[c].name, a, b);
    free(a);
    free(b);
}

/* Whether the line's command list (f[1]) names command c. */
static bool applies(const char *list, size_t c)
{
    if (!strcmp(list, "*"))
        return true;
    size_t n = strlen(commands[c].name);
    for (const char *p = list; (p = strstr(p, commands[c].name)); p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

/* The files in the folder of the inputs, and their contents. */
static char *fixture_state(void)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && { find . | sort; find . -type f | sort | "
             "xargs cksum; }",
             fix);
    char *out = NULL;
    assert_int_equal(sim_test_run(cmd, &out), 0);
    return out;
}

static void test_attacks_refused_before_any_work(void **state)
{
    (void)state;
    char *fix_before = fixture_state();
    FILE *in = fopen(CATALOGUE, "r");
    assert_non_null(in);
    char line[2048];
    int n = 0;
    while (fgets(line, sizeof line, in)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *f[6], *p = line;
        for (int k = 0; k < 6; k++) {
            char *bar = k < 5 ? strchr(p, '|') : NULL;
            if (k < 5 && !bar)
                fail_msg("%s: a line without 6 fields: %s", CATALOGUE, line);
            if (bar)
                *bar = '\0';
            f[k] = trim(p);
            p = bar ? bar + 1 : p;
        }
        for (size_t c = 0; c < N_OF(commands); c++) {
            if (!applies(f[1], c))
                continue;
            attack(f, c, fix);
            /* -o first: the same refusal when the inputs are missing */
            if (!strstr(f[3], "INPUT"))
                attack(f, c, "/nonexistent");
            n++;
        }
    }
    fclose(in);
    assert_true(n >= 40);
    char *fix_after = fixture_state();
    assert_string_equal(fix_before, fix_after);
    free(fix_before);
    free(fix_after);
}

/* Each command's result is one --force may replace (its manifest lists
 * its files); a file put there since is named and kept. */
static void test_force_replaces_own_result_only(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("output_commands_force");
    for (size_t c = 0; c < N_OF(commands); c++) {
        if (!strcmp(commands[c].name, "plot") &&
            sim_test_run("command -v gnuplot >/dev/null", NULL) != 0)
            continue;
        char inputs[4096], cmd[16384], *out = NULL;
        inputs_of(c, fix, inputs, sizeof inputs);
        snprintf(cmd, sizeof cmd,
                 "cd '%s' && '%s' %s %s -q -o o%zu && "
                 "'%s' %s %s -q -o o%zu --force && ls o%zu.partial",
                 tmp, bin, commands[c].name, inputs, c, bin,
                 commands[c].name, inputs, c, c);
        /* both succeed; no DIR.partial is left (ls fails) */
        if (sim_test_run(cmd, &out) == 0)
            fail_msg("%s: %s", commands[c].name, out ? out : "");
        free(out);
        snprintf(cmd, sizeof cmd,
                 "cd '%s' && grep -q '^files = \\[' o%zu/manifest.cfg && "
                 "echo mine > o%zu/notes.txt && "
                 "! '%s' %s %s -q -o o%zu --force 2>err.txt && "
                 "grep -q notes.txt err.txt && test -f o%zu/notes.txt",
                 tmp, c, c, bin, commands[c].name, inputs, c, c);
        out = NULL;
        if (sim_test_run(cmd, &out) != 0)
            fail_msg("%s: `%s`: %s", commands[c].name, cmd, out ? out : "");
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attacks_refused_before_any_work),
        cmocka_unit_test(test_force_replaces_own_result_only),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
