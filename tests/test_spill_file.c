/* test_spill_file.c - the saved spill file (sim/spill.h): a round trip of
 * special values, names and several files summarized in order; files
 * cut short, too long or corrupt refused with a message naming them; a
 * save the system refuses leaves no file. */
#include "testutil.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/spill.h"
#include "../sim/spill_summary.h"
#include <sanctionsim/stats.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static double from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* Whether cell gives infinities (else the largest finite doubles). */
static int infinities = 1;

/* Row r of metric m: special bit patterns mixed with plain numbers. */
static double cell(size_t r, int m)
{
    static const uint64_t special[] = {
        0x7ff8000000000000u, 0xfff8000000000001u, 0x7ff0000000000001u,
        0x7ff0000000000000u, 0xfff0000000000000u, 0x8000000000000000u,
        0x0000000000000001u, 0x7fefffffffffffffu,
    };
    if ((r + (size_t)m) % 3 == 0) {
        double v = from_bits(special[(r / 3 + (size_t)m) % N_OF(special)]);
        return isinf(v) && !infinities ? copysign(DBL_MAX, v) : v;
    }
    return (double)r * 0.1 - (double)m;
}

/* A finished spill of nm metrics, rows [first, first + rows) of cell,
 * in blocks of 4 rows. */
static sim_spill *filled(const char *dir, int nm, size_t first, size_t rows)
{
    sim_spill *s;
    sim_err err = {0};
    assert_int_equal(sim_spill_open(&s, dir, nm, 4, &err), 0);
    double row[8];
    for (size_t r = first; r < first + rows; r++) {
        for (int m = 0; m < nm; m++)
            row[m] = cell(r, m);
        assert_int_equal(sim_spill_append(s, row, &err), 0);
    }
    sim_spill_finish(s);
    return s;
}

/* Asserts that s holds rows [first, first + rows) of cell, bit for bit. */
static void assert_cells(const sim_spill *s, int nm, size_t first,
                         size_t rows)
{
    assert_int_equal(sim_spill_nmetrics(s), nm);
    assert_int_equal(sim_spill_rows(s), rows);
    double *got = malloc(sizeof(double) * (rows + 1));
    assert_non_null(got);
    for (int m = 0; m < nm; m++) {
        sim_err err = {0};
        assert_int_equal(sim_spill_read(s, m, got, &err), 0);
        for (size_t r = 0; r < rows; r++) {
            double want = cell(first + r, m);
            if (memcmp(&got[r], &want, sizeof want) != 0)
                fail_msg("metric %d row %zu: %a vs %a", m, r, got[r], want);
        }
    }
    free(got);
}

static const char *const names3[] = {"alpha", "", "a_much_longer_name_2"};

/* Saved and loaded: the same values and names; saved again from the
 * loaded spill: the same bytes; appending to it is refused. */
static void test_round_trip(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_file_trip");
    char p1[1100], p2[1100];
    snprintf(p1, sizeof p1, "%s/a.spill", dir);
    snprintf(p2, sizeof p2, "%s/b.spill", dir);
    sim_spill *s = filled(dir, 3, 0, 4 * 5 + 2), *t;
    sim_err err = {0};
    assert_int_equal(sim_spill_save(s, names3, p1, &err), 0);
    assert_null(sim_spill_name(s, 0)); /* the batch's own: no names */
    assert_int_equal(sim_spill_load(&t, p1, &err), 0);
    assert_cells(t, 3, 0, 4 * 5 + 2);
    for (int m = 0; m < 3; m++)
        assert_string_equal(sim_spill_name(t, m), names3[m]);
    assert_null(sim_spill_name(t, 3));
    assert_null(sim_spill_name(t, -1));
    assert_int_equal(sim_spill_save(t, names3, p2, &err), 0);
    size_t l1, l2;
    char *b1 = sim_test_slurp(p1, &l1), *b2 = sim_test_slurp(p2, &l2);
    assert_non_null(b1);
    assert_non_null(b2);
    assert_int_equal(l1, l2);
    assert_int_equal(l1, 32 + 3 * 80 + 3 * 22 * 8); /* 272: a multiple of 8 */
    assert_memory_equal(b1, b2, l1);
    assert_memory_equal(b1, "SIMSPILL", 8);
    double row[3] = {0};
    assert_int_equal(sim_spill_append(t, row, &err), SIM_E_INTERNAL);
    double v[2];
    assert_int_equal(sim_spill_read_rows(t, 1, 20, 2, v, &err), 0);
    assert_true(memcmp(&v[1], &(double){cell(21, 1)}, 8) == 0);
    assert_int_equal(sim_spill_read_rows(t, 1, 21, 2, v, &err),
                     SIM_E_INTERNAL);
    free(b1);
    free(b2);
    sim_spill_close(s);
    sim_spill_close(t);

    /* no rows, no metrics, no names */
    s = filled(dir, 0, 0, 0);
    assert_int_equal(sim_spill_save(s, NULL, p1, &err), 0);
    assert_int_equal(sim_spill_load(&t, p1, &err), 0);
    assert_cells(t, 0, 0, 0);
    sim_spill_close(t);
    sim_spill_close(s);
    s = filled(dir, 2, 0, 0);
    assert_int_equal(sim_spill_save(s, NULL, p1, &err), 0);
    assert_int_equal(sim_spill_load(&t, p1, &err), 0);
    assert_cells(t, 2, 0, 0);
    assert_string_equal(sim_spill_name(t, 1), "");
    sim_spill_close(t);
    sim_spill_close(s);
}

/* Three shards saved and loaded, summarized in order, give the summary
 * of one spill of all their rows (and of one array); a shard naming a
 * metric differently is refused. */
static void test_shards_in_order(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_file_shards");
    const size_t len[] = {13, 0, 30};
    sim_spill *loaded[3];
    infinities = 0;
    size_t first = 0;
    for (int i = 0; i < 3; i++) {
        char p[1100];
        snprintf(p, sizeof p, "%s/shard%d.spill", dir, i);
        sim_spill *s = filled(dir, 3, first, len[i]);
        sim_err err = {0};
        assert_int_equal(sim_spill_save(s, names3, p, &err), 0);
        sim_spill_close(s);
        assert_int_equal(sim_spill_load(&loaded[i], p, &err), 0);
        first += len[i];
    }
    sim_spill *whole = filled(dir, 3, 0, first);
    for (int m = 0; m < 3; m++)
        for (size_t budget = 2; budget <= 64; budget *= 4) {
            sim_summary a, b;
            memset(&a, 0, sizeof a);
            memset(&b, 0, sizeof b);
            sim_err e1 = {0}, e2 = {0};
            int rc1 = sim_spill_summarize(&whole, 1, m, "v", false, dir,
                                          budget, &a, &e1);
            int rc2 = sim_spill_summarize(loaded, 3, m, "v", false, dir,
                                          budget, &b, &e2);
            if (rc1 || rc2)
                fail_msg("metric %d: %s %s", m, e1.msg, e2.msg);
            assert_memory_equal(&a, &b, sizeof a);
            size_t present = 0;
            for (size_t r = 0; r < first; r++)
                present += !isnan(cell(r, m));
            assert_int_equal(a.n, present);
        }
    infinities = 1;
    sim_err err = {0};
    sim_summary out;

    char p[1100];
    snprintf(p, sizeof p, "%s/other.spill", dir);
    const char *const other[] = {"alpha", "beta", "gamma"};
    assert_int_equal(sim_spill_save(whole, other, p, &err), 0);
    sim_spill *o;
    assert_int_equal(sim_spill_load(&o, p, &err), 0);
    sim_spill *mixed[2] = {loaded[0], o};
    assert_int_equal(
        sim_spill_summarize(mixed, 2, 2, "v", false, dir, 4, &out, &err),
        SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "a_much_longer_name_2"));
    assert_non_null(strstr(err.msg, "gamma"));
    sim_spill_close(o);
    sim_spill_close(whole);
    for (int i = 0; i < 3; i++)
        sim_spill_close(loaded[i]);
}

/* Writes the bytes of text[0..len) to path. */
static void put_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Loads path, which must be refused with SIM_E_IO and a message naming
 * it and containing why. */
static void assert_refused(const char *path, const char *why)
{
    sim_spill *s = (sim_spill *)&s; /* not NULL: load must clear it */
    sim_err err = {0};
    assert_int_equal(sim_spill_load(&s, path, &err), SIM_E_IO);
    assert_null(s);
    if (!strstr(err.msg, path) || !strstr(err.msg, why))
        fail_msg("expected '%s' naming %s: %s", why, path, err.msg);
}

/* A good file spoiled in every way the loader checks. */
static void test_corrupt_files(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_file_corrupt");
    char good[1100], bad[1100];
    snprintf(good, sizeof good, "%s/good.spill", dir);
    snprintf(bad, sizeof bad, "%s/bad.spill", dir);
    sim_spill *s = filled(dir, 3, 0, 9);
    sim_err err = {0};
    assert_int_equal(sim_spill_save(s, names3, good, &err), 0);
    sim_spill_close(s);
    size_t len;
    char *b = sim_test_slurp(good, &len);
    assert_non_null(b);

    assert_refused(bad, strerror(ENOENT));
    put_file(bad, b, 0);
    assert_refused(bad, "not a spill file");
    put_file(bad, b, 31);
    assert_refused(bad, "shorter than the header");
    put_file(bad, b, len - 1);
    assert_refused(bad, "cut short");
    put_file(bad, b, 32 + 3 * 80);
    assert_refused(bad, "cut short");
    char *more = malloc(len + 1);
    assert_non_null(more);
    memcpy(more, b, len);
    more[len] = 0;
    put_file(bad, more, len + 1);
    assert_refused(bad, "too long");
    free(more);

    struct {
        size_t at;
        unsigned char byte;
        const char *why;
    } spoil[] = {
        {0, 'X', "not a spill file"},
        {8, 2, "format version 2"},
        {12, 0x01, "other byte order"}, /* 04 03 02 01 becomes 01 03 .. */
        {16, 4, "cut short"},            /* four metrics promised */
        {20, 81, "corrupt header"},
        {31, 0x40, "corrupt header"}, /* rows beyond any file */
    };
    for (size_t i = 0; i < N_OF(spoil); i++) {
        char *c = malloc(len);
        assert_non_null(c);
        memcpy(c, b, len);
        c[spoil[i].at] = (char)spoil[i].byte;
        if (spoil[i].at == 12) { /* the mark in the other byte order */
            uint32_t mark = 0x04030201u;
            memcpy(c + 12, &mark, 4);
        }
        put_file(bad, c, len);
        assert_refused(bad, spoil[i].why);
        free(c);
    }
    /* a name filling its 80 bytes without a NUL */
    char *c = malloc(len);
    assert_non_null(c);
    memcpy(c, b, len);
    memset(c + 32 + 80, 'n', 80);
    put_file(bad, c, len);
    assert_refused(bad, "metric name 1 is not terminated");
    free(c);
    free(b);
}

struct save_ctx {
    sim_spill *s;
    const char *path;
    sim_err err;
};

static int save_ctx(void *p)
{
    struct save_ctx *c = p;
    return sim_spill_save(c->s, names3, c->path, &c->err);
}

/* Saves that fail: no directory, the file-size limit (no file left),
 * an unfinished spill, an over-long name. */
static void test_save_failures(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("spill_file_save");
    char path[1100];
    snprintf(path, sizeof path, "%s/missing/x.spill", dir);
    sim_spill *s = filled(dir, 3, 0, 10);
    sim_err err = {0};
    assert_int_equal(sim_spill_save(s, names3, path, &err), SIM_E_IO);
    if (!strstr(err.msg, path) || !strstr(err.msg, strerror(ENOENT)))
        fail_msg("%s", err.msg);

    snprintf(path, sizeof path, "%s/x.spill", dir);
    const long limits[] = {100, 32 + 3 * 80 + 50};
    for (size_t i = 0; i < N_OF(limits); i++) {
        struct save_ctx c = {.s = s, .path = path};
        assert_int_equal(sim_test_with_file_limit(limits[i], save_ctx, &c),
                         SIM_E_IO);
        if (!strstr(c.err.msg, "cannot write the spill file") ||
            !strstr(c.err.msg, path) || !strstr(c.err.msg, strerror(EFBIG)))
            fail_msg("%s", c.err.msg);
        assert_int_equal(access(path, F_OK), -1); /* removed */
    }

    const char *longn[3] = {"a", NULL, NULL};
    char name[SIM_STATS_METRIC_MAX + 1];
    memset(name, 'q', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    longn[2] = name;
    assert_int_equal(sim_spill_save(s, longn, path, &err), SIM_E_INTERNAL);
    assert_int_equal(sim_spill_save(s, names3, NULL, &err), SIM_E_INTERNAL);
    sim_spill_close(s);

    assert_int_equal(sim_spill_open(&s, dir, 1, 4, &err), 0);
    assert_int_equal(sim_spill_save(s, NULL, path, &err), SIM_E_INTERNAL);
    sim_spill_close(s);
    assert_int_equal(sim_spill_load(NULL, path, &err), SIM_E_INTERNAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_shards_in_order),
        cmocka_unit_test(test_corrupt_files),
        cmocka_unit_test(test_save_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
