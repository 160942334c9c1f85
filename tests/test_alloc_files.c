/* test_alloc_files.c - running out of memory, one allocation at a time
 * (alloc_hook.h), in the readers and writers of result files that
 * test_alloc_fail.c reaches only in part: the CSV reader on a record
 * longer than its first buffer and with more fields than its first
 * table, the list of a manifest's files, the input files of a scenario's
 * chain, saving a spill, planning a sweep, a sweep of the simulator
 * loaded from a file (whose manifest hashes the scenario's chain), and
 * packing a block of rows for another rank. Every failed attempt must return SIM_E_NOMEM with a
 * message and leave nothing behind. */
#include "alloc_hook.h"
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/batch_pack.h"
#include "../sim/csvread.h"
#include "../sim/manifest.h"
#include "../sim/spill.h"
#include <sanctionsim/experiment.h>
#include <sanctionsim/models.h>

#define SMALL "tests/golden/small.cfg"

static char csv_path[1200], manifest_dir[1100], spill_path[1200];

/* ---- the CSV reader ---- */

/* A header, a record of 150 fields of 20 characters (3,000 bytes: beyond
 * the first buffer of 1,024 and the first table of 64 fields), a quoted
 * field with a line break and a short record. */
static void make_csv(const char *tmp)
{
    snprintf(csv_path, sizeof csv_path, "%s/wide.csv", tmp);
    FILE *f = fopen(csv_path, "w");
    assert_non_null(f);
    fputs("a,b\n", f);
    for (int i = 0; i < 150; i++)
        fprintf(f, "%s%019d", i ? "," : "", i);
    fputs("\n\"x\ny\",2\n3,4\n", f);
    assert_int_equal(fclose(f), 0);
}

static int op_csvread(sim_err *err)
{
    sim_csvread r;
    int rc = sim_csvread_open(&r, csv_path, err);
    if (rc)
        return rc;
    int records = 0, widest = 0;
    while ((rc = sim_csvread_next(&r, err)) == 1) {
        records++;
        if (r.nfields > widest)
            widest = r.nfields;
    }
    sim_csvread_close(&r);
    if (!rc && (records != 4 || widest != 150))
        fail_msg("%d records, the widest of %d fields (want 4 and 150)",
                 records, widest);
    return rc;
}

/* ---- manifests ---- */

static int op_manifest_files(sim_err *err)
{
    char **names;
    int n;
    int rc = sim_manifest_files(manifest_dir, &names, &n, err);
    if (rc)
        return rc;
    bool ok = n == 3 && names && !strcmp(names[2], "manifest.cfg");
    sim_manifest_free_files(names, n);
    if (!ok)
        fail_msg("the manifest's list has %d names, want 3", n);
    return 0;
}

static sim_manifest_inputs inputs;

static int op_chain_inputs(sim_err *err)
{
    memset(&inputs, 0, sizeof inputs);
    int rc = sim_manifest_chain_inputs(&inputs, SMALL, err);
    if (!rc && (inputs.n < 1 || strcmp(inputs.file[0], SMALL) != 0))
        fail_msg("%d inputs, the first %s (want %s)", inputs.n,
                 inputs.n ? inputs.file[0] : "none", SMALL);
    return rc;
}

/* ---- a spill saved to a file ---- */

static sim_spill *spill;

static int op_spill_save(sim_err *err)
{
    static const char *const names[] = {"x", "y"};
    return sim_spill_save(spill, names, spill_path, err);
}

/* A failed save leaves no file; a successful one a file that loads back
 * with the 50 rows. */
static void after_spill_save(int rc)
{
    struct stat st;
    bool there = stat(spill_path, &st) == 0;
    if (rc && there)
        fail_msg("a failed save (status %d) left %s", rc, spill_path);
    if (!rc) {
        sim_err err = {0};
        sim_spill *back = NULL;
        sim_alloc_arm(false);
        if (sim_spill_load(&back, spill_path, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(sim_spill_rows(back), 50);
        sim_spill_close(back);
        unlink(spill_path);
    }
}

/* ---- a sweep's plan ---- */

static sim_experiment experiment;

static int op_plan(sim_err *err)
{
    sim_sweep_plan plan;
    int rc = sim_sweep_plan_make(&experiment, sim_builtin_models(), &plan, err);
    if (!rc && plan.points < 2)
        fail_msg("a plan of %ld points", plan.points);
    return rc;
}

/* ---- a block of rows as bytes ---- */

static int op_pack(sim_err *err)
{
    double metrics[4] = {1, 2, 3, 4};
    long runs_end[2] = {4, 8}, rounds_end[2] = {0, 0};
    batch_rows r = {0};
    r.count = 2;
    r.runs = "0,a\n1,b\n";
    r.runs_len = 8;
    r.rounds = "";
    r.metrics = metrics;
    r.runs_end = runs_end;
    r.rounds_end = rounds_end;
    void *buf = NULL;
    size_t len = 0;
    int rc = sim_batch_pack_rows(&r, 2, &buf, &len, err);
    free(buf);
    if (!rc && len == 0)
        fail_msg("an empty block");
    return rc;
}

/* ---- the tests ---- */

static void test_readers(void **state)
{
    (void)state;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s", sim_test_tmpdir("alloc_files_read"));
    make_csv(tmp);
    sim_alloc_check("sim_csvread (a wide record)", op_csvread, NULL, 4);

    snprintf(manifest_dir, sizeof manifest_dir, "%s", tmp);
    char path[1200];
    snprintf(path, sizeof path, "%s/manifest.cfg", tmp);
    assert_int_equal(sim_test_write(path, "format = 1;\nfiles = [ \"runs.csv\", "
                                          "\"summary.csv\", \"manifest.cfg\" ];\n"),
                     0);
    sim_alloc_check("sim_manifest_files", op_manifest_files, NULL, 1);
    sim_alloc_check("sim_manifest_chain_inputs", op_chain_inputs, NULL, 1);
}

static void test_writers(void **state)
{
    (void)state;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s", sim_test_tmpdir("alloc_files_write"));
    sim_err err = {0};
    /* blocks of 8 rows: the spill has a file and a block in memory */
    assert_int_equal(sim_spill_open(&spill, tmp, 2, 8, &err), 0);
    for (int i = 0; i < 50; i++) {
        double row[2] = {i, -i};
        assert_int_equal(sim_spill_append(spill, row, &err), 0);
    }
    sim_spill_finish(spill);
    snprintf(spill_path, sizeof spill_path, "%s/metrics.bin", tmp);
    sim_alloc_check("sim_spill_save", op_spill_save, after_spill_save, 2);
    sim_spill_close(spill);
    sim_alloc_check("sim_batch_pack_rows", op_pack, NULL, 1);
}

static void test_sweep_plan(void **state)
{
    (void)state;
    sim_err err = {0};
    if (sim_experiment_load_string(
            &experiment,
            "scenario = \"" SMALL "\"; replications = 2;\n"
            "design = \"sobol\"; samples = 4; seed = 5L;\n"
            "metrics = [\"released_total\"];\n"
            "factors = ( { key = \"tension.decay\"; range = [0.5, 0.9]; } );\n",
            "e.cfg", &err))
        fail_msg("%s", err.msg);
    sim_alloc_check("sim_sweep_plan_make", op_plan, NULL, 2);
}

/* ---- a sweep from a file ---- */

static sim_experiment file_experiment;
static char sweep_dir[1100], sweep_out[1200];

/* A sweep of the simulator loaded from a file: its manifest hashes the
 * experiment and the scenario's chain of files. */
static int op_sweep_file(sim_err *err)
{
    sim_sweep_opts o = {.outdir = sweep_out,
                        .command_line = "test_alloc_files"};
    static sim_sweep_result r;
    int rc = sim_sweep_run(&file_experiment, sim_builtin_models(), &o, &r,
                           err);
    sim_sweep_result_free(&r);
    return rc;
}

/* A failed sweep leaves neither its result nor DIR.partial; a finished
 * one's manifest names both inputs. */
static void after_sweep_file(int rc)
{
    char path[1300];
    sim_alloc_arm(false);
    snprintf(path, sizeof path, "%s.partial", sweep_out);
    if (access(path, F_OK) == 0)
        fail_msg("%s is left (status %d)", path, rc);
    snprintf(path, sizeof path, "%s/manifest.cfg", sweep_out);
    char *text = sim_test_slurp(path, NULL);
    if (rc && text)
        fail_msg("a failed sweep (status %d) left %s", rc, sweep_out);
    if (!rc && (!text || !strstr(text, "small.cfg") || !strstr(text, "e.cfg")))
        fail_msg("%s does not name both inputs", path);
    free(text);
    if (!rc) {
        char cmd[1400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", sweep_out);
        assert_int_equal(system(cmd), 0);
    }
}

static void test_sweep_from_file(void **state)
{
    (void)state;
    snprintf(sweep_dir, sizeof sweep_dir, "%s",
             sim_test_tmpdir("alloc_files_sweep"));
    char cwd[1024], path[1300], text[2400];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/e.cfg", sweep_dir);
    snprintf(text, sizeof text,
             "scenario = \"%s/" SMALL "\"; replications = 2;\n"
             "design = \"full_factorial\"; seed = 5L;\n"
             "metrics = [\"released_total\"];\n"
             "factors = ( { key = \"tension.decay\"; values = [0.5, 0.9]; } "
             ");\n",
             cwd);
    assert_int_equal(sim_test_write(path, text), 0);
    sim_err err = {0};
    if (sim_experiment_load(&file_experiment, path, &err))
        fail_msg("%s", err.msg);
    snprintf(sweep_out, sizeof sweep_out, "%s/out", sweep_dir);
    sim_alloc_check("sim_sweep_run (from a file)", op_sweep_file,
                    after_sweep_file, 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readers),
        cmocka_unit_test(test_writers),
        cmocka_unit_test(test_sweep_plan),
        cmocka_unit_test(test_sweep_from_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
