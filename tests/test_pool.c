/* test_pool.c - the ordered thread pool (sim/pool.h) and the batch's
 * thread and slice options: blocks are committed in order whatever order
 * they finish in, never more than `window` are in flight, the lowest
 * failing block's error wins whichever thread meets it first, and the
 * library checks its new options. The files' invariance over thread counts
 * is test_threads.c's business. */
#include "testutil.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../sim/pool.h"
#include <sanctionsim/batch.h>
#include <sanctionsim/models.h>
#include <sanctionsim/scenario.h>

#define MAX_BLOCKS 400

/* A job whose blocks take uneven times, so that they finish out of order;
 * it records the order of commits and the most blocks ever in flight. */
typedef struct fake {
    long nblocks;
    int window;
    long fail_work[2];  /* blocks whose work fails (-1: none) */
    long fail_commit;   /* block whose commit fails (-1: none) */
    atomic_int in_flight, max_in_flight;
    atomic_int busy[64]; /* per slot: a block is using it */
    atomic_int slot_clash;
    long committed[MAX_BLOCKS];
    long ncommitted;
    atomic_int worked[MAX_BLOCKS];
    atomic_int concurrent_commits, commit_clash;
} fake;

static void pause_us(long us)
{
    struct timespec t = {0, us * 1000};
    nanosleep(&t, NULL);
}

static int fake_work(void *ctx, int worker, long block, int slot, sim_err *err)
{
    fake *f = ctx;
    (void)worker;
    int n = atomic_fetch_add(&f->in_flight, 1) + 1;
    int m = atomic_load(&f->max_in_flight);
    while (n > m && !atomic_compare_exchange_weak(&f->max_in_flight, &m, n))
        ;
    if (atomic_exchange(&f->busy[slot], 1))
        atomic_store(&f->slot_clash, 1);
    /* uneven: every third block is slow */
    pause_us(block % 3 == 0 ? 2000 : 100);
    atomic_store(&f->worked[block], 1);
    atomic_store(&f->busy[slot], 0);
    atomic_fetch_sub(&f->in_flight, 1);
    if (block == f->fail_work[0] || block == f->fail_work[1])
        return sim_error(err, SIM_E_NUMERIC, "block %ld failed", block);
    return 0;
}

static int fake_commit(void *ctx, long block, int slot, sim_err *err)
{
    fake *f = ctx;
    (void)slot;
    if (atomic_fetch_add(&f->concurrent_commits, 1) != 0)
        atomic_store(&f->commit_clash, 1);
    int rc = 0;
    if (block == f->fail_commit)
        rc = sim_error(err, SIM_E_IO, "commit of block %ld failed", block);
    else
        f->committed[f->ncommitted++] = block;
    atomic_fetch_sub(&f->concurrent_commits, 1);
    return rc;
}

static int run_fake(fake *f, int threads, sim_err *err)
{
    sim_pool_job job = {.nblocks = f->nblocks,
                        .nthreads = threads,
                        .window = f->window,
                        .work = fake_work,
                        .commit = fake_commit,
                        .ctx = f};
    return sim_pool_run(&job, err);
}

static void fake_init(fake *f, long nblocks, int window)
{
    memset(f, 0, sizeof *f);
    f->nblocks = nblocks;
    f->window = window;
    f->fail_work[0] = f->fail_work[1] = f->fail_commit = -1;
}

static void test_commits_in_order(void **state)
{
    (void)state;
    static fake f;
    for (int threads = 1; threads <= 4; threads++) {
        fake_init(&f, 60, 2 * threads);
        sim_err err = {0};
        assert_int_equal(run_fake(&f, threads, &err), 0);
        assert_int_equal(f.ncommitted, 60);
        for (long i = 0; i < 60; i++)
            assert_int_equal(f.committed[i], i);
        assert_false(atomic_load(&f.slot_clash));
        assert_false(atomic_load(&f.commit_clash));
        if (atomic_load(&f.max_in_flight) > threads)
            fail_msg("%d threads ran %d blocks at once", threads,
                     atomic_load(&f.max_in_flight));
    }
    /* no blocks: nothing to do */
    fake_init(&f, 0, 4);
    sim_err err = {0};
    assert_int_equal(run_fake(&f, 3, &err), 0);
    assert_int_equal(f.ncommitted, 0);
}

/* Two blocks fail; the slow one (block 9, slow as every third) comes
 * before the fast one (10) in block order, so a thread usually meets 10's
 * error first: 9's must win, and only blocks 0..8 are committed. */
static void test_lowest_error_wins(void **state)
{
    (void)state;
    static fake f;
    for (int threads = 1; threads <= 3; threads++) {
        for (int rep = 0; rep < 5; rep++) {
            fake_init(&f, 40, 3 * threads);
            f.fail_work[0] = 10;
            f.fail_work[1] = 9;
            sim_err err = {0};
            assert_int_equal(run_fake(&f, threads, &err), SIM_E_NUMERIC);
            assert_string_equal(err.msg, "block 9 failed");
            assert_int_equal(f.ncommitted, 9);
            for (long i = 0; i < 9; i++)
                assert_int_equal(f.committed[i], i);
            /* no block beyond the window of the failure was started */
            for (long b = 9 + f.window; b < 40; b++)
                assert_false(atomic_load(&f.worked[b]));
        }
    }
}

/* A failing commit is the error of its block: a later block's work error
 * does not replace it, and nothing after it is committed. */
static void test_commit_error(void **state)
{
    (void)state;
    static fake f;
    for (int threads = 1; threads <= 3; threads++) {
        fake_init(&f, 30, 2 * threads);
        f.fail_commit = 4;
        f.fail_work[0] = 6;
        sim_err err = {0};
        assert_int_equal(run_fake(&f, threads, &err), SIM_E_IO);
        assert_string_equal(err.msg, "commit of block 4 failed");
        assert_int_equal(f.ncommitted, 4);
    }
}

static void test_bad_job(void **state)
{
    (void)state;
    static fake f;
    fake_init(&f, 10, 1);
    sim_err err = {0};
    /* a window smaller than the threads, too many threads, no threads */
    assert_int_equal(run_fake(&f, 2, &err), SIM_E_INTERNAL);
    f.window = 1000;
    assert_int_equal(run_fake(&f, SIM_POOL_MAX_THREADS + 1, &err),
                     SIM_E_INTERNAL);
    assert_int_equal(run_fake(&f, 0, &err), SIM_E_INTERNAL);
    assert_int_equal(sim_pool_run(NULL, &err), SIM_E_INTERNAL);
    assert_int_equal(f.ncommitted, 0);
}

/* ---- the batch's options ---- */

static void load_text(sim_scenario *sc, const char *text)
{
    sim_err err = {0};
    if (sim_scenario_load_string(sc, sim_builtin_models(), text, "test.cfg",
                                 NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
}

/* Bad threads and slices are usage errors that write nothing; the
 * progress callback ends with done == total, counting the slice. */
typedef struct seen {
    long calls, last_done, last_total;
    bool decreasing;
} seen;

static void record(void *ctx, long done, long total)
{
    seen *s = ctx;
    if (done < s->last_done)
        s->decreasing = true;
    s->calls++;
    s->last_done = done;
    s->last_total = total;
}

static void test_batch_options(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_text(&sc, "rounds = 3;");
    const char *tmp = sim_test_tmpdir("pool_batch");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    sim_batch_opts o = {
        .seed = 1, .replications = 5, .outdir = dir, .command_line = "t"};
    sim_batch_result r;
    sim_err err = {0};
    o.threads = -1;
    assert_int_equal(sim_batch_run(&sc, &o, &r, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "threads"));
    o.threads = SIM_BATCH_MAX_THREADS + 1;
    assert_int_equal(sim_batch_run(&sc, &o, &r, &err), SIM_E_USAGE);
    o.threads = 2;
    o.first = -1;
    assert_int_equal(sim_batch_run(&sc, &o, &r, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "first replication"));
    o.first = LONG_MAX - 2; /* first + 5 overflows */
    assert_int_equal(sim_batch_run(&sc, &o, &r, &err), SIM_E_USAGE);
    assert_int_equal(sim_test_dir_entries(tmp, NULL, 0), 0);

    seen s = {0};
    o.first = 1000;
    o.replications = 37;
    o.threads = 3;
    o.progress = record;
    o.progress_ctx = &s;
    assert_int_equal(sim_batch_run(&sc, &o, &r, &err), 0);
    sim_batch_result_free(&r);
    assert_true(s.calls >= 1);
    assert_false(s.decreasing);
    assert_int_equal(s.last_done, 37);
    assert_int_equal(s.last_total, 37);
}

int main(void)
{
    sim_error_quiet_gsl();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commits_in_order),
        cmocka_unit_test(test_lowest_error_wins),
        cmocka_unit_test(test_commit_error),
        cmocka_unit_test(test_bad_job),
        cmocka_unit_test(test_batch_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
