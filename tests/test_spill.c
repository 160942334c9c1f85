/* test_spill.c - the spill of exact metric values (sim/spill.h): bitwise
 * round trips of special values, many metrics and blocks, the memory-only
 * case, misuse, write and read failures, and a batch whose spill cannot be
 * written leaving nothing behind. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../sim/spill.h"
#include <sanctionsim/batch.h>
#include <sanctionsim/models.h>
#include <sanctionsim/scenario.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Asserts that dir holds no entry: the spill's file never shows. */
static void assert_empty(const char *dir, const char *what)
{
    char names[2048];
    int n = sim_test_dir_entries(dir, names, sizeof names);
    if (n != 0)
        fail_msg("%s: %s holds %d entries:%s", what, dir, n, names);
}

/* Asserts that a and b hold the same n doubles, bit for bit. */
static void assert_bits(const double *a, const double *b, size_t n,
                        const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&a[i], &b[i], sizeof(double)) != 0)
            fail_msg("%s: value %zu differs (%a vs %a)", what, i, a[i], b[i]);
}

/* A double with the given bit pattern. */
static double from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* Appends rows [0, rows) of value(r, m) to a fresh spill of nm metrics. */
static sim_spill *fill(const char *dir, int nm, size_t block, size_t rows,
                       double (*value)(size_t r, int m))
{
    sim_spill *s;
    sim_err err = {0};
    assert_int_equal(sim_spill_open(&s, dir, nm, block, &err), 0);
    double row[200];
    assert_true(nm <= (int)N_OF(row));
    for (size_t r = 0; r < rows; r++) {
        for (int m = 0; m < nm; m++)
            row[m] = value(r, m);
        if (sim_spill_append(s, row, &err))
            fail_msg("row %zu: %s", r, err.msg);
    }
    sim_spill_finish(s);
    assert_int_equal(sim_spill_rows(s), rows);
    return s;
}

/* NaNs with payloads and signs, infinities, signed zeros, denormals and
 * the extremes. */
static const uint64_t special_bits[] = {
    0x7ff8000000000000u, /* NaN */
    0xfff8000000000001u, /* -NaN with a payload */
    0x7ff0000000000001u, /* signalling NaN */
    0x7ff0000000000000u, /* +inf */
    0xfff0000000000000u, /* -inf */
    0x0000000000000000u, /* +0 */
    0x8000000000000000u, /* -0 */
    0x0000000000000001u, /* smallest denormal */
    0x800fffffffffffffu, /* largest negative denormal */
    0x0010000000000000u, /* DBL_MIN */
    0x7fefffffffffffffu, /* DBL_MAX */
    0x3ff0000000000001u, /* 1 + ulp */
    0x3fb999999999999au, /* 0.1 */
};

static double special(size_t r, int m)
{
    return from_bits(special_bits[(r + 3 * (size_t)m) % N_OF(special_bits)]);
}

/* Every special value goes through the file (full blocks) and the block
 * in memory (the tail) and comes back bit for bit. */
static void test_round_trip_special_values(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_special");
    const int nm = 5;
    const size_t rows = 4 * 6 + 3; /* six full blocks of 4 and a tail */
    sim_spill *s = fill(dir, nm, 4, rows, special);
    assert_empty(dir, "the file is unlinked");
    double got[64], want[64];
    for (int m = 0; m < nm; m++) {
        sim_err err = {0};
        memset(got, 0x55, sizeof got);
        assert_int_equal(sim_spill_read(s, m, got, &err), 0);
        for (size_t r = 0; r < rows; r++)
            want[r] = special(r, m);
        assert_bits(got, want, rows, "special values");
        assert_true(((const unsigned char *)got)[rows * 8] == 0x55);
    }
    sim_spill_close(s);
    assert_empty(dir, "after close");
}

static double unique(size_t r, int m)
{
    return (double)r * 1000.0 + (double)m + 1.0 / 3.0;
}

/* Many metrics over many blocks, read back in any order and twice. */
static void test_many_metrics_and_blocks(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_many");
    const int nm = 150;
    const size_t rows = 7 * 143 + 5;
    sim_spill *s = fill(dir, nm, 7, rows, unique);
    double *got = malloc(sizeof(double) * rows);
    double *want = malloc(sizeof(double) * rows);
    assert_non_null(got);
    assert_non_null(want);
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < nm; k++) {
            int m = (k * 37) % nm; /* 37 is prime to 150: all, shuffled */
            sim_err err = {0};
            assert_int_equal(sim_spill_read(s, m, got, &err), 0);
            for (size_t r = 0; r < rows; r++)
                want[r] = unique(r, m);
            assert_bits(got, want, rows, "many metrics");
        }
    sim_spill_close(s);
    assert_empty(dir, "after close");
    free(got);
    free(want);
}

/* With the default block, a small batch never creates a file: even a
 * directory that does not exist is fine; one row more than a block needs
 * it (and then the missing directory is an error naming the file). */
static void test_default_block_and_missing_dir(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("spill_nodir");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/missing", tmp);
    sim_spill *s = fill(dir, 3, 0, SIM_SPILL_BLOCK_ROWS - 1, unique);
    double *got = malloc(sizeof(double) * (SIM_SPILL_BLOCK_ROWS + 1));
    assert_non_null(got);
    sim_err err = {0};
    assert_int_equal(sim_spill_read(s, 2, got, &err), 0);
    assert_true(got[SIM_SPILL_BLOCK_ROWS - 2] ==
                unique(SIM_SPILL_BLOCK_ROWS - 2, 2));
    sim_spill_close(s);

    assert_int_equal(sim_spill_open(&s, dir, 3, 0, &err), 0);
    const double row[3] = {1, 2, 3};
    int rc = 0;
    for (size_t r = 0; r < SIM_SPILL_BLOCK_ROWS && !rc; r++)
        rc = sim_spill_append(s, row, &err);
    assert_int_equal(rc, SIM_E_IO);
    if (!strstr(err.msg, "cannot create the spill file") ||
        !strstr(err.msg, dir) || !strstr(err.msg, strerror(ENOENT)))
        fail_msg("%s", err.msg);
    /* broken: only close remains */
    assert_int_equal(sim_spill_append(s, row, &err), SIM_E_INTERNAL);
    sim_spill_finish(s);
    assert_int_equal(sim_spill_read(s, 0, got, &err), SIM_E_INTERNAL);
    sim_spill_close(s);
    free(got);
    assert_empty(tmp, "after a failed create");
}

/* No rows, no metrics, and calls out of order. */
static void test_edges_and_misuse(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_edges");
    sim_err err = {0};
    sim_spill *s;
    double got[4];
    assert_int_equal(sim_spill_open(&s, dir, 2, 2, &err), 0);
    assert_int_equal(sim_spill_read(s, 0, got, &err), SIM_E_INTERNAL);
    sim_spill_finish(s);
    assert_int_equal(sim_spill_rows(s), 0);
    assert_int_equal(sim_spill_read(s, 1, got, &err), 0); /* nothing */
    assert_int_equal(sim_spill_read(s, 2, got, &err), SIM_E_INTERNAL);
    assert_int_equal(sim_spill_read(s, -1, got, &err), SIM_E_INTERNAL);
    const double row[2] = {1, 2};
    assert_int_equal(sim_spill_append(s, row, &err), SIM_E_INTERNAL);
    sim_spill_close(s);

    /* no metric: rows are counted, nothing is stored */
    assert_int_equal(sim_spill_open(&s, dir, 0, 2, &err), 0);
    for (int r = 0; r < 5; r++)
        assert_int_equal(sim_spill_append(s, NULL, &err), 0);
    sim_spill_finish(s);
    assert_int_equal(sim_spill_rows(s), 5);
    assert_int_equal(sim_spill_read(s, 0, got, &err), SIM_E_INTERNAL);
    sim_spill_close(s);
    sim_spill_close(NULL);

    assert_int_equal(sim_spill_open(&s, NULL, 1, 0, &err), SIM_E_INTERNAL);
    assert_null(s);
    assert_int_equal(sim_spill_open(&s, dir, -1, 0, &err), SIM_E_INTERNAL);
    assert_int_equal(sim_spill_open(NULL, dir, 1, 0, &err), SIM_E_INTERNAL);
    assert_empty(dir, "after the edges");
}

struct append_ctx {
    sim_spill *s;
    sim_err err;
};

/* Appends rows until one fails (or 100 went in). */
static int append_rows(void *p)
{
    struct append_ctx *c = p;
    const double row[4] = {1, 2, 3, 4};
    for (int r = 0; r < 100; r++) {
        int rc = sim_spill_append(c->s, row, &c->err);
        if (rc)
            return rc;
    }
    return 0;
}

/* A write that fails (the file-size limit) is SIM_E_IO naming the file
 * and the reason, at the first block and at a later, partly written one. */
static void test_write_failure(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_write");
    const long limits[] = {0, 4 * 8 * 8 + 3}; /* nothing; a block and a bit */
    for (size_t i = 0; i < N_OF(limits); i++) {
        struct append_ctx c = {0};
        assert_int_equal(sim_spill_open(&c.s, dir, 4, 8, &c.err), 0);
        assert_int_equal(sim_test_with_file_limit(limits[i], append_rows, &c),
                         SIM_E_IO);
        if (!strstr(c.err.msg, "cannot write the spill file") ||
            !strstr(c.err.msg, dir) || !strstr(c.err.msg, strerror(EFBIG)))
            fail_msg("limit %ld: %s", limits[i], c.err.msg);
        sim_spill_close(c.s);
        assert_empty(dir, "after a failed write");
    }
}

/* The descriptor of the (unlinked) spill file in dir, found in
 * /proc/self/fd; -1 if there is none or no /proc. */
static int spill_fd(const char *dir)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int found = -1;
    struct dirent *e;
    while (found < 0 && (e = readdir(d)) != NULL) {
        char link[300], target[2048];
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t len = readlink(link, target, sizeof target - 1);
        if (len <= 0)
            continue;
        target[len] = '\0';
        if (strstr(target, dir) && strstr(target, "/.spill-"))
            found = atoi(e->d_name);
    }
    closedir(d);
    return found;
}

/* A file cut short under the spill is SIM_E_IO naming it; the tail in
 * memory still reads. */
static void test_read_failure(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_read");
    sim_spill *s = fill(dir, 3, 4, 4 * 3 + 1, unique);
    int fd = spill_fd(dir);
    if (fd < 0) {
        sim_spill_close(s);
        skip(); /* no /proc: cannot reach the unlinked file */
    }
    assert_int_equal(ftruncate(fd, 4 * 8 * 3 + 5), 0); /* within block 1 */
    double got[16];
    sim_err err = {0};
    assert_int_equal(sim_spill_read(s, 1, got, &err), SIM_E_IO);
    if (!strstr(err.msg, "cannot read the spill file") ||
        !strstr(err.msg, dir) || !strstr(err.msg, "ends early"))
        fail_msg("%s", err.msg);
    sim_spill_close(s);
    assert_empty(dir, "after a failed read");
}

/* A read the system refuses (the spill's descriptor made to point at a
 * directory, where pread fails with EISDIR) is SIM_E_IO naming the file
 * and the system's reason. */
static void test_read_refused(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_read_refused");
    sim_spill *s = fill(dir, 2, 4, 4 * 2 + 1, unique);
    int fd = spill_fd(dir);
    if (fd < 0) {
        sim_spill_close(s);
        skip(); /* no /proc: cannot reach the unlinked file */
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    assert_true(dfd >= 0);
    assert_int_equal(dup2(dfd, fd), fd);
    close(dfd);
    double got[16];
    sim_err err = {0};
    assert_int_equal(sim_spill_read(s, 0, got, &err), SIM_E_IO);
    if (!strstr(err.msg, "cannot read the spill file") || !strstr(err.msg, dir))
        fail_msg("%s", err.msg);
    sim_spill_close(s);
}

/* ---- the batch ---- */

struct batch_ctx {
    const sim_scenario *sc;
    const char *outdir;
    long n;
    sim_err err;
};

static int run_batch(void *p)
{
    struct batch_ctx *c = p;
    sim_batch_opts o = {.seed = 7,
                        .replications = c->n,
                        .outdir = c->outdir,
                        .command_line = "test_spill"};
    sim_batch_result r = {0};
    int rc = sim_batch_run(c->sc, &o, &r, &c->err);
    if (rc == 0)
        sim_batch_result_free(&r);
    return rc;
}

/* A batch one row past a spill block, with files limited to more than its
 * runs.csv (311 bytes a row: 2.5 MB) but less than the spill's first
 * block (60 metrics of 64 KiB: 3.9 MB): SIM_E_IO naming the spill file,
 * and neither a result nor a temporary directory or file is left. */
static void test_batch_spill_failure_leaves_nothing(void **state)
{
    (void)state;
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), "scenarios/baseline.cfg",
                          NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    const char *tmp = sim_test_tmpdir("spill_batch");
    char outdir[1100];
    snprintf(outdir, sizeof outdir, "%s/out", tmp);
    struct batch_ctx c = {
        .sc = &sc, .outdir = outdir, .n = SIM_SPILL_BLOCK_ROWS + 1};
    assert_int_equal(sim_test_with_file_limit(3000000, run_batch, &c),
                     SIM_E_IO);
    /* the journal of out.partial/ (journal.h) holds the same values and
     * grows row by row, so it may reach the limit before the spill's
     * first block does; either way the failure names its file */
    if ((!strstr(c.err.msg, "cannot write the spill file") &&
         !strstr(c.err.msg, "journal.bin")) ||
        !strstr(c.err.msg, tmp))
        fail_msg("%s", c.err.msg);
    assert_empty(tmp, c.err.msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_special_values),
        cmocka_unit_test(test_many_metrics_and_blocks),
        cmocka_unit_test(test_default_block_and_missing_dir),
        cmocka_unit_test(test_edges_and_misuse),
        cmocka_unit_test(test_write_failure),
        cmocka_unit_test(test_read_failure),
        cmocka_unit_test(test_read_refused),
        cmocka_unit_test(test_batch_spill_failure_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
