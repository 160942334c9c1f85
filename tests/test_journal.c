/* test_journal.c - the resume journal (sim/journal.c) where a run or a
 * sweep does not take it: a journal that cannot be made or written (a
 * missing folder, a full disk: RLIMIT_FSIZE, as in test_io_errors), one
 * that is not a journal or belongs to another batch, and files that
 * cannot be cut back to the journal's last record. Each is an error with
 * its code and a message naming the file; a journal written whole is
 * recovered record by record. */
#include "testutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../sim/journal.h"

static char dir[1100];

/* A fresh folder holding runs.csv of 100 bytes. */
static void fresh(const char *name)
{
    snprintf(dir, sizeof dir, "%s", sim_test_tmpdir(name));
    char path[1200];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    char text[101];
    memset(text, 'x', 100);
    text[100] = '\0';
    assert_int_equal(sim_test_write(path, text), 0);
}

/* Fails unless rc is code and the message holds part. */
static void assert_error(int rc, int code, const sim_err *err,
                         const char *part)
{
    if (rc != code || !strstr(err->msg, part))
        fail_msg("status %d (want %d), message '%s' (want '%s')", rc, code,
                 err->msg, part);
}

/* Writes a journal of n records of 2 metrics, each record i ending the
 * files at 10 (i + 1) bytes; returns the status. */
static int write_journal(long n, sim_err *err)
{
    sim_journal j = {0};
    int rc = sim_journal_create(&j, dir, SIM_JOURNAL_FILE, 2, 0, err);
    for (long i = 0; !rc && i < n; i++) {
        double v[2] = {(double)i, 0.5 * (double)i};
        rc = sim_journal_append(&j, (uint64_t)(10 * (i + 1)), 0, v, err);
    }
    if (!rc)
        rc = sim_journal_flush(&j, err);
    sim_journal_close(&j);
    return rc;
}

static int sum_row(void *ctx, const double *m, sim_err *err)
{
    (void)err;
    *(double *)ctx += m[0] + m[1];
    return 0;
}

static int fail_row(void *ctx, const double *m, sim_err *err)
{
    (void)ctx;
    (void)m;
    return sim_error(err, SIM_E_USAGE, "row refused");
}

static int recover(long first, int nmetrics, const char *second, long *done,
                   sim_journal_row_fn row, sim_err *err)
{
    sim_journal j = {0};
    sim_journal_files files = {SIM_JOURNAL_FILE, "runs.csv", second};
    double sum = 0;
    int rc = sim_journal_recover(&j, dir, &files, nmetrics, first, 1000, row,
                                 &sum, done, err);
    sim_journal_close(&j);
    return rc;
}

static void test_written_whole_is_recovered(void **state)
{
    (void)state;
    fresh("journal_whole");
    sim_err err = {0};
    assert_int_equal(write_journal(7, &err), 0);
    long done = -1;
    sim_journal j = {0};
    sim_journal_files files = {SIM_JOURNAL_FILE, "runs.csv", NULL};
    double sum = 0;
    assert_int_equal(sim_journal_recover(&j, dir, &files, 2, 0, 1000, sum_row,
                                         &sum, &done, &err),
                     0);
    sim_journal_close(&j);
    assert_int_equal(done, 7);
    assert_close(sum, 1.5 * 21, 1e-12);
    /* runs.csv is cut after the last record's 70 bytes */
    char path[1200];
    struct stat st;
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 70);
}

static void test_cannot_make_or_write(void **state)
{
    (void)state;
    fresh("journal_write");
    sim_err err = {0};
    sim_journal j = {0};
    assert_error(sim_journal_create(&j, "/nonexistent/dir", "j.bin", 1, 0,
                                    &err),
                 SIM_E_IO, &err, "cannot create /nonexistent/dir/j.bin");
    sim_journal_close(&j);
}

static int header_on_full_disk(void *ctx)
{
    sim_err *err = ctx;
    sim_journal j = {0};
    int rc = sim_journal_create(&j, dir, SIM_JOURNAL_FILE, 2, 0, err);
    sim_journal_close(&j);
    return rc;
}

static int records_on_full_disk(void *ctx)
{
    return write_journal(2000, ctx);
}

static void test_full_disk(void **state)
{
    (void)state;
    fresh("journal_full");
    sim_err err = {0};
    /* the header does not fit */
    int rc = sim_test_with_file_limit(10, header_on_full_disk, &err);
    assert_error(rc, SIM_E_IO, &err, "cannot write");
    assert_non_null(strstr(err.msg, SIM_JOURNAL_FILE));
    /* records past the limit: in an append (the buffer is written) or
     * in the flush */
    memset(&err, 0, sizeof err);
    rc = sim_test_with_file_limit(4096, records_on_full_disk, &err);
    assert_error(rc, SIM_E_IO, &err, "cannot write");
    assert_non_null(strstr(err.msg, SIM_JOURNAL_FILE));
}

static void test_not_this_batch(void **state)
{
    (void)state;
    fresh("journal_other");
    sim_err err = {0};
    char path[1200];
    long done = -1;
    /* no journal: start afresh */
    assert_int_equal(recover(0, 2, NULL, &done, sum_row, &err), 0);
    assert_int_equal(done, 0);
    /* not a journal */
    snprintf(path, sizeof path, "%s/%s", dir, SIM_JOURNAL_FILE);
    assert_int_equal(sim_test_write(path, "a text file, long enough\n"), 0);
    assert_error(recover(0, 2, NULL, &done, sum_row, &err), SIM_E_USAGE,
                 &err, "is not a sanctionsim journal");
    /* cut inside its header */
    assert_int_equal(sim_test_write(path, "SIMJRNL1"), 0);
    assert_error(recover(0, 2, NULL, &done, sum_row, &err), SIM_E_USAGE,
                 &err, "cut in its header");
    /* another batch: other metrics, another first replication */
    assert_int_equal(write_journal(3, &err), 0);
    assert_error(recover(0, 3, NULL, &done, sum_row, &err), SIM_E_USAGE,
                 &err, "belongs to another batch (2 metrics from "
                       "replication 0; this run has 3 from 0)");
    assert_error(recover(5, 2, NULL, &done, sum_row, &err), SIM_E_USAGE,
                 &err, "belongs to another batch");
    /* the caller's refusal of a record comes back as it is */
    assert_error(recover(0, 2, NULL, &done, fail_row, &err), SIM_E_USAGE,
                 &err, "row refused");
}

static void test_files_cannot_be_cut(void **state)
{
    (void)state;
    fresh("journal_cut");
    sim_err err = {0};
    assert_int_equal(write_journal(3, &err), 0);
    /* the second file is a folder: its length is no file's, and it cannot
     * be cut */
    char path[1200];
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    long done = -1;
    assert_error(recover(0, 2, "sub", &done, sum_row, &err), SIM_E_IO, &err,
                 "cannot truncate");
    assert_non_null(strstr(err.msg, "/sub"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_whole_is_recovered),
        cmocka_unit_test(test_cannot_make_or_write),
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_not_this_batch),
        cmocka_unit_test(test_files_cannot_be_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
