/* test_batch_pack.c - a block of replications as bytes between the ranks
 * of an MPI job (sim/batch_dist.c): what sim_batch_pack_rows writes,
 * sim_batch_unpack reads back exactly (rows, row ends and the exact
 * metric values, bit for bit), and bytes that are not a whole block of
 * this batch are refused rather than committed. Needs no MPI: the packing
 * is the same code in the plain build. The exchanges themselves are
 * tested with mpirun by tests/mpi_equal.sh (label mpi). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/batch_pack.h"
#include <sanctionsim/cluster.h>

enum { NM = 3, COUNT = 4 };

typedef struct fixture {
    batch_rows slot;
    double metrics[COUNT * NM];
    long runs_end[COUNT], rounds_end[COUNT];
    char runs[64], rounds[64];
} fixture;

/* A slot as a worker leaves it: four replications' rows and values, with
 * values a decimal round trip would change (NaN, a denormal, -0). */
static void fill(fixture *f, bool trace)
{
    memset(f, 0, sizeof *f);
    snprintf(f->runs, sizeof f->runs, "%s", "0,1,a\n1,2,b\n2,3,\"c,d\"\n3,4,e\n");
    snprintf(f->rounds, sizeof f->rounds, "%s",
             trace ? "0,1\n0,2\n1,1\n2,1\n3,1\n" : "");
    long re[COUNT] = {6, 12, 22, 28}, ro[COUNT] = {8, 12, 16, 20};
    for (int i = 0; i < COUNT; i++) {
        f->runs_end[i] = re[i];
        f->rounds_end[i] = trace ? ro[i] : 0;
        for (int m = 0; m < NM; m++)
            f->metrics[i * NM + m] = 0.1 * (i + 1) + 1e-17 * m;
    }
    f->metrics[1] = NAN;
    f->metrics[5] = 4.9e-324;
    f->metrics[7] = -0.0;
    f->slot.count = COUNT;
    f->slot.runs = f->runs;
    f->slot.rounds = f->rounds;
    f->slot.runs_len = strlen(f->runs);
    f->slot.rounds_len = strlen(f->rounds);
    f->slot.metrics = f->metrics;
    f->slot.runs_end = f->runs_end;
    f->slot.rounds_end = f->rounds_end;
}

static void round_trip(bool trace)
{
    fixture f;
    fill(&f, trace);
    void *buf = NULL;
    size_t len = 0;
    sim_err err = {0};
    assert_int_equal(sim_batch_pack_rows(&f.slot, NM, &buf, &len, &err), 0);
    batch_rows r;
    assert_int_equal(sim_batch_unpack(buf, len, NM, &r, &err), 0);
    assert_int_equal(r.count, COUNT);
    assert_int_equal(r.runs_len, f.slot.runs_len);
    assert_int_equal(r.rounds_len, f.slot.rounds_len);
    assert_memory_equal(r.runs, f.runs, r.runs_len);
    if (trace)
        assert_memory_equal(r.rounds, f.rounds, r.rounds_len);
    assert_memory_equal(r.metrics, f.metrics, sizeof f.metrics);
    assert_memory_equal(r.runs_end, f.runs_end, sizeof f.runs_end);
    assert_memory_equal(r.rounds_end, f.rounds_end, sizeof f.rounds_end);
    free(buf);
}

static void test_round_trip(void **state)
{
    (void)state;
    round_trip(false);
    round_trip(true);
}

/* An empty block (every replication recovered) packs and reads back. */
static void test_empty_block(void **state)
{
    (void)state;
    fixture f;
    fill(&f, false);
    f.slot.count = 0;
    f.slot.runs_len = 0;
    void *buf = NULL;
    size_t len = 0;
    batch_rows r;
    assert_int_equal(sim_batch_pack_rows(&f.slot, NM, &buf, &len, NULL), 0);
    assert_int_equal(sim_batch_unpack(buf, len, NM, &r, NULL), 0);
    assert_int_equal(r.count, 0);
    assert_int_equal(r.runs_len, 0);
    free(buf);
}

/* Short, long, another batch's (other metrics) and damaged bytes are
 * refused with SIM_E_INTERNAL. */
static void test_refused(void **state)
{
    (void)state;
    fixture f;
    fill(&f, true);
    void *buf = NULL;
    size_t len = 0;
    sim_err err = {0};
    batch_rows r;
    assert_int_equal(sim_batch_pack_rows(&f.slot, NM, &buf, &len, &err), 0);
    assert_int_equal(sim_batch_unpack(buf, 8, NM, &r, &err), SIM_E_INTERNAL);
    assert_non_null(strstr(err.msg, "too short"));
    assert_int_equal(sim_batch_unpack(buf, len - 1, NM, &r, &err),
                     SIM_E_INTERNAL);
    assert_non_null(strstr(err.msg, "does not add up"));
    assert_int_equal(sim_batch_unpack(buf, len, NM + 1, &r, &err),
                     SIM_E_INTERNAL);
    /* the second replication's runs.csv rows end beyond the block */
    long *ends = (long *)((char *)buf + 4 * sizeof(long) +
                          sizeof(double) * COUNT * NM);
    ends[1] = 1000;
    assert_int_equal(sim_batch_unpack(buf, len, NM, &r, &err),
                     SIM_E_INTERNAL);
    assert_non_null(strstr(err.msg, "out of range"));
    /* a count beyond a block's */
    long head = BLOCK_MAX + 1;
    memcpy(buf, &head, sizeof head);
    assert_int_equal(sim_batch_unpack(buf, len, NM, &r, &err),
                     SIM_E_INTERNAL);
    free(buf);
}

/* Without MPI the cluster functions say so, and NULL is one process. */
static void test_no_cluster(void **state)
{
    (void)state;
    assert_int_equal(sim_cluster_rank(NULL), 0);
    assert_int_equal(sim_cluster_size(NULL), 1);
    assert_int_equal(sim_cluster_node_ranks(NULL), 1);
    if (sim_cluster_available())
        return;
    sim_cluster *c = (sim_cluster *)&c;
    sim_err err = {0};
    assert_int_equal(sim_cluster_open(&c, &err), SIM_E_USAGE);
    assert_null(c);
    assert_non_null(strstr(err.msg, "without MPI"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_empty_block),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_no_cluster),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
