/* test_merge_inputs.c - sim_merge_run on slices that are broken where
 * `sanctionsim merge` through the executable (test_merge) does not look:
 * a manifest that is not one, lacks a line or is a directory, a
 * metrics.bin that is not one or holds another count, a runs.csv or
 * rounds.csv without a header or with other columns, a summary.csv
 * missing. Each is refused with its code and a message naming the slice's
 * file, and nothing is written. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sanctionsim/batch.h>
#include <sanctionsim/merge.h>
#include <sanctionsim/scenario.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Slices of one batch of 4: s0 holds replications 0-2, s1 replication 3,
 * both with rounds.csv. */
static char slice[2][1100];

static int make_slices(void **state)
{
    (void)state;
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), "tests/golden/small.cfg",
                          NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    sc.replications = 4;
    const char *tmp = sim_test_tmpdir("merge_inputs");
    for (int s = 0; s < 2; s++) {
        snprintf(slice[s], sizeof slice[s], "%s/s%d", tmp, s);
        sim_batch_opts o = {.seed = 3,
                            .first = s ? 3 : 0,
                            .replications = s ? 1 : 3,
                            .keep_values = true,
                            .trace = true,
                            .outdir = slice[s],
                            .command_line = "test_merge_inputs"};
        sim_batch_result r;
        if (sim_batch_run(&sc, &o, &r, &err))
            fail_msg("%s", err.msg);
        sim_batch_result_free(&r);
    }
    return 0;
}

/* One broken copy of slice `which`: its file replaced by text (NULL: by a
 * directory; "@0": by slice 0's file of that name; "-KEY": the line
 * starting with KEY removed), the status and words of the message. */
typedef struct bad_slice {
    int which;
    const char *file, *text;
    int code;
    const char *want;
} bad_slice;

static const bad_slice bad_slices[] = {
    {1, "manifest.cfg", "x = 1;\n", SIM_E_USAGE,
     "manifest.cfg is not the manifest of a completed run"},
    {1, "manifest.cfg", NULL, SIM_E_IO, "cannot read"},
    {1, "manifest.cfg", "-first_replication", SIM_E_USAGE,
     "manifest.cfg has no valid `first_replication` line"},
    {1, "metrics.bin", "not a spill\n", SIM_E_IO, "metrics.bin"},
    {1, "metrics.bin", "@0", SIM_E_USAGE,
     "metrics.bin holds 3 replications but the manifest says 1"},
    {1, "runs.csv", "", SIM_E_USAGE, "runs.csv has no header line"},
    {1, "rounds.csv", "rep,round,other\n0,1,2\n", SIM_E_USAGE,
     "rounds.csv has other columns than the first slice's"},
    {0, "summary.csv", "", SIM_E_IO, "summary.csv"},
};

/* The text without the line that starts with key (and a space). */
static char *without_line(const char *text, const char *key)
{
    char *out = malloc(strlen(text) + 1);
    assert_non_null(out);
    char *w = out;
    bool removed = false;
    for (const char *p = text; *p;) {
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
        fail_msg("no line %s", key);
    return out;
}

static void make_bad(const char *dir, const bad_slice *b)
{
    char cmd[4096], path[1300], from[1300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", dir,
             slice[b->which], dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/%s", dir, b->file);
    if (!b->text) {
        assert_int_equal(remove(path), 0);
        assert_int_equal(mkdir(path, 0777), 0);
    } else if (!strcmp(b->text, "@0")) {
        snprintf(from, sizeof from, "%s/%s", slice[0], b->file);
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, path);
        assert_int_equal(system(cmd), 0);
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

static void test_broken_slices_refused(void **state)
{
    (void)state;
    char bad[1200], parent[1100], out[1200];
    snprintf(bad, sizeof bad, "%s/bad", sim_test_tmpdir("merge_bad"));
    snprintf(parent, sizeof parent, "%s", sim_test_tmpdir("merge_bad_out"));
    snprintf(out, sizeof out, "%s/merged", parent);
    for (size_t i = 0; i < N_OF(bad_slices); i++) {
        const bad_slice *b = &bad_slices[i];
        make_bad(bad, b);
        const char *dirs[2] = {b->which ? slice[0] : bad,
                               b->which ? bad : slice[1]};
        sim_merge_opts o = {.dirs = dirs,
                            .ndirs = 2,
                            .outdir = out,
                            .command_line = "test_merge_inputs"};
        sim_merge_result r;
        sim_err err = {0};
        int rc = sim_merge_run(&o, &r, &err);
        if (rc != b->code || !strstr(err.msg, b->want) || !strstr(err.msg, bad))
            fail_msg("%s (%s): status %d, '%s'; want %d naming %s and '%s'",
                     b->file, b->text ? b->text : "a directory", rc, err.msg,
                     b->code, bad, b->want);
        print_message("%s\n", err.msg);
        assert_int_equal(sim_test_dir_entries(parent, NULL, 0), 0);
    }
    /* no slices at all */
    sim_merge_opts o = {.dirs = NULL, .ndirs = 0, .outdir = out};
    sim_merge_result r;
    sim_err err = {0};
    assert_int_equal(sim_merge_run(&o, &r, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "merge needs slice directories"));
    assert_int_equal(sim_test_dir_entries(parent, NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_broken_slices_refused, make_slices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
