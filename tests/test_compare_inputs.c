/* test_compare_inputs.c - sim_compare_run on result directories that are
 * not what `run` writes: a catalogue of broken runs.csv and manifest.cfg
 * files, each refused with SIM_E_USAGE, a message naming the file (and
 * line) and what is wrong, no result in *res and no compare.csv. The
 * broken directory is a copy of a real result with one file replaced. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sanctionsim/batch.h>
#include <sanctionsim/compare.h>
#include <sanctionsim/scenario.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* One broken input: the file of the copy to replace, its new text (NULL:
 * the file becomes a directory; a text starting with '-' removes the
 * manifest's line starting with the rest), and words of the message. */
typedef struct bad_dir {
    const char *file;
    const char *text;
    const char *want;
} bad_dir;

static const bad_dir bad_dirs[] = {
    {"runs.csv", "", "runs.csv is empty: no header"},
    {"runs.csv", ",rep\n1,2\n",
     "runs.csv:1: column 1 of the header has no name"},
    {"runs.csv", "rep,seed,rep\n1,2,3\n",
     "runs.csv:1: column 'rep' appears twice"},
    {"runs.csv", "rep,seed,released_total\n",
     "runs.csv has no rows: no results"},
    {"runs.csv", "rep,seed,released_total\nx,1,3\n",
     "runs.csv:2: rep is 'x', not a whole number"},
    {"runs.csv", "rep,seed,released_total\n0,1\n",
     "runs.csv:2: 2 fields where the header has 3"},
    {"runs.csv", "rep,seed,released_total\n0,1,many\n",
     "runs.csv:2: column released_total holds 'many', not a number"},
    {"runs.csv", NULL, "runs.csv is not a regular file"},
    {"manifest.cfg", "-master_seed", "no master_seed (a whole number)"},
    {"manifest.cfg", "-replications", "no replications (a whole number)"},
    {"manifest.cfg", "-generator", "no generator (the stream scheme)"},
};

static char good[1100];

static int make_good(void **state)
{
    (void)state;
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), "tests/golden/small.cfg",
                          NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    snprintf(good, sizeof good, "%s/good", sim_test_tmpdir("compare_inputs"));
    sim_batch_opts o = {.seed = 3,
                        .replications = 5,
                        .outdir = good,
                        .command_line = "test_compare_inputs"};
    sim_batch_result r;
    if (sim_batch_run(&sc, &o, &r, &err))
        fail_msg("%s", err.msg);
    sim_batch_result_free(&r);
    return 0;
}

/* The manifest text without the line that starts with key. */
static char *without_line(const char *text, const char *key)
{
    char *out = malloc(strlen(text) + 1);
    assert_non_null(out);
    char *w = out;
    const char *p = text;
    bool removed = false;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        if (!strncmp(p, key, strlen(key)) && p[strlen(key)] == ' ')
            removed = true;
        else
            w += sprintf(w, "%.*s", (int)len, p);
        p += len;
    }
    *w = '\0';
    if (!removed)
        fail_msg("the manifest has no line %s", key);
    return out;
}

/* Copies good into dir with b's file replaced. */
static void make_bad(const char *dir, const bad_dir *b)
{
    char cmd[4096], path[1300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", dir, good, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/%s", dir, b->file);
    if (!b->text) {
        assert_int_equal(remove(path), 0);
        assert_int_equal(mkdir(path, 0777), 0);
    } else if (b->text[0] == '-') {
        char *text = sim_test_slurp(path, NULL);
        assert_non_null(text);
        char *cut = without_line(text, b->text + 1);
        assert_int_equal(sim_test_write(path, cut), 0);
        free(cut);
        free(text);
    } else {
        assert_int_equal(sim_test_write(path, b->text), 0);
    }
}

static void test_broken_results_refused(void **state)
{
    (void)state;
    char bad[1200], out[1200], parent[1100];
    snprintf(parent, sizeof parent, "%s", sim_test_tmpdir("compare_bad_out"));
    snprintf(out, sizeof out, "%s/cmp", parent);
    snprintf(bad, sizeof bad, "%s/bad", sim_test_tmpdir("compare_bad"));
    for (size_t i = 0; i < N_OF(bad_dirs); i++) {
        const bad_dir *b = &bad_dirs[i];
        make_bad(bad, b);
        /* the broken directory first and second */
        for (int order = 0; order < 2; order++) {
            const char *dirs[2] = {order ? bad : good, order ? good : bad};
            sim_compare_opts o = {.dirs = dirs, .ndirs = 2, .outdir = out};
            sim_compare_result r;
            sim_err err = {0};
            int rc = sim_compare_run(&o, &r, &err);
            if (rc != SIM_E_USAGE || !strstr(err.msg, b->want) ||
                !strstr(err.msg, bad))
                fail_msg("%s (%s): status %d, message '%s'; want "
                         "SIM_E_USAGE naming %s and '%s'",
                         b->file, b->text ? b->text : "a directory", rc,
                         err.msg, bad, b->want);
            assert_int_equal(r.nrows, 0);
            assert_null(r.row);
            assert_null(r.pair);
            assert_int_equal(sim_test_dir_entries(parent, NULL, 0), 0);
        }
    }
}

/* Output directories compare.csv cannot go to: each refused with its
 * code and a message naming it, and nothing written. */
static void test_bad_output_refused(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("compare_bad_target");
    char file[1200], under[1300], longname[1400], other[1200], path[1300];
    snprintf(file, sizeof file, "%s/file", tmp);
    assert_int_equal(sim_test_write(file, "x\n"), 0);
    snprintf(under, sizeof under, "%s/sub/out", file);
    /* a name beyond NAME_MAX (255): the temporary directory beside it
     * cannot be made */
    snprintf(longname, sizeof longname, "%s/%0300d", tmp, 0);
    snprintf(other, sizeof other, "%s/other", tmp);
    assert_int_equal(mkdir(other, 0777), 0);
    snprintf(path, sizeof path, "%s/keep.txt", other);
    assert_int_equal(sim_test_write(path, "mine\n"), 0);
    const struct {
        const char *out;
        bool force;
        int code;
        const char *want;
    } cases[] = {
        {"", false, SIM_E_USAGE, "bad output directory ''"},
        {file, false, SIM_E_USAGE, "exists and is not a directory"},
        {under, false, SIM_E_USAGE, "is a file, not a directory"},
        {longname, false, SIM_E_IO, "cannot create directory"},
        {other, true, SIM_E_USAGE, "not a sanctionsim result"},
        {other, false, SIM_E_EXISTS, "exists and is not empty"},
    };
    const char *dirs[2] = {good, good};
    for (size_t i = 0; i < N_OF(cases); i++) {
        sim_compare_opts o = {.dirs = dirs,
                              .ndirs = 2,
                              .outdir = cases[i].out,
                              .force = cases[i].force};
        sim_compare_result r;
        sim_err err = {0};
        int rc = sim_compare_run(&o, &r, &err);
        if (rc != cases[i].code || !strstr(err.msg, cases[i].want))
            fail_msg("-o '%.80s': status %d, '%s'; want %d with '%s'",
                     cases[i].out, rc, err.msg, cases[i].code, cases[i].want);
        assert_null(r.row);
    }
    /* nothing but what the test made */
    char names[512];
    assert_int_equal(sim_test_dir_entries(tmp, names, sizeof names), 2);
    assert_int_equal(sim_test_dir_entries(other, names, sizeof names), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_broken_results_refused, make_good),
        cmocka_unit_test_setup(test_bad_output_refused, make_good),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
