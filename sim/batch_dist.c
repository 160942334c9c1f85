/* batch_dist.c - a batch over the ranks of a cluster (cluster.h): a
 * block rendered on any rank travels to rank 0 as bytes (pack), where it
 * is read back (unpack) and committed exactly as a block of rank 0's own
 * threads would be, so that the files are those of a serial run.
 *
 * The bytes of a block of n replications with m metrics, in this order,
 * each part a multiple of 8 bytes but the last two:
 *   four longs: n, the length of its runs.csv rows, of its rounds.csv
 *   rows, and m; n x m doubles (the exact metric values); n longs (each
 *   replication's runs.csv rows end here); n longs (its rounds.csv rows
 *   end here); the runs.csv rows; the rounds.csv rows.
 * The ranks are alike (cluster.h), so the numbers go as they are. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch_impl.h"
#include "pool.h"

enum { HEAD = 4 }; /* longs before the metric values */

int sim_batch_pack_rows(const batch_rows *r, int nmetrics, void **buf,
                        size_t *len, sim_err *err)
{
    size_t n = (size_t)r->count, nm = (size_t)nmetrics;
    size_t size = sizeof(long) * HEAD + sizeof(double) * n * nm +
                  2 * sizeof(long) * n + r->runs_len + r->rounds_len;
    unsigned char *p = malloc(size);
    if (!p)
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for a block of %ld replications",
                         r->count);
    long head[HEAD] = {r->count, (long)r->runs_len, (long)r->rounds_len,
                       nmetrics};
    size_t at = 0;
    memcpy(p + at, head, sizeof head);
    at += sizeof head;
    if (n > 0 && nm > 0)
        memcpy(p + at, r->metrics, sizeof(double) * n * nm);
    at += sizeof(double) * n * nm;
    if (n) {
        memcpy(p + at, r->runs_end, sizeof(long) * n);
        memcpy(p + at + sizeof(long) * n, r->rounds_end, sizeof(long) * n);
    }
    at += 2 * sizeof(long) * n;
    if (r->runs_len)
        memcpy(p + at, r->runs, r->runs_len);
    at += r->runs_len;
    if (r->rounds_len)
        memcpy(p + at, r->rounds, r->rounds_len);
    *buf = p;
    *len = size;
    return 0;
}

int sim_batch_pack(void *ctx, int slot, void **buf, size_t *len,
                   sim_err *err)
{
    const batch *b = ctx;
    const batch_slot *s = &b->slots[slot];
    batch_rows r = {s->count,    s->runs_buf,   s->rounds_buf,
                    s->runs_len, s->rounds_len, s->metrics,
                    s->runs_end, s->rounds_end};
    return sim_batch_pack_rows(&r, b->nmetrics, buf, len, err);
}

int sim_batch_unpack(const void *buf, size_t len, int nmetrics,
                     batch_rows *r, sim_err *err)
{
    const unsigned char *p = buf;
    long head[HEAD];
    if (len < sizeof head)
        return sim_error(err, SIM_E_INTERNAL,
                         "a packed block of %zu bytes is too short", len);
    memcpy(head, p, sizeof head);
    long n = head[0];
    if (n < 0 || n > BLOCK_MAX || head[1] < 0 || head[2] < 0 ||
        head[3] != nmetrics ||
        len != sizeof head + (sizeof(double) * (size_t)nmetrics +
                              2 * sizeof(long)) * (size_t)n +
                   (size_t)head[1] + (size_t)head[2])
        return sim_error(err, SIM_E_INTERNAL,
                         "a packed block does not add up (%zu bytes)", len);
    size_t at = sizeof head;
    r->count = n;
    r->runs_len = (size_t)head[1];
    r->rounds_len = (size_t)head[2];
    r->metrics = (const double *)(const void *)(p + at);
    at += sizeof(double) * (size_t)nmetrics * (size_t)n;
    r->runs_end = (const long *)(const void *)(p + at);
    at += sizeof(long) * (size_t)n;
    r->rounds_end = (const long *)(const void *)(p + at);
    at += sizeof(long) * (size_t)n;
    r->runs = (const char *)p + at;
    r->rounds = (const char *)p + at + r->runs_len;
    for (long i = 0; i < n; i++)
        if (r->runs_end[i] < 0 || (size_t)r->runs_end[i] > r->runs_len ||
            r->rounds_end[i] < 0 || (size_t)r->rounds_end[i] > r->rounds_len)
            return sim_error(err, SIM_E_INTERNAL,
                             "a packed block's row ends are out of range");
    return 0;
}

/* A sim_pool_job's commit_packed: block `block` from its bytes. */
static int commit_packed(void *ctx, long block, const void *buf, size_t len,
                         sim_err *err)
{
    batch *b = ctx;
    batch_rows r;
    (void)block;
    int rc = sim_batch_unpack(buf, len, b->nmetrics, &r, err);
    return rc ? rc : sim_batch_commit_rows(b, &r, err);
}

/* pool.h's commit, never called by the cluster pool. */
static int no_commit(void *ctx, long block, int slot, sim_err *err)
{
    (void)ctx;
    (void)block;
    (void)slot;
    return sim_error(err, SIM_E_INTERNAL, "a cluster block committed locally");
}

int sim_batch_run_cluster(batch *b, sim_err *err)
{
    long left = b->n - b->done;
    sim_pool_job job = {.nblocks = (left + b->block - 1) / b->block,
                        .nthreads = b->nthreads,
                        .window = b->window > 0 ? b->window : 1,
                        .work = sim_batch_work_block,
                        .commit = no_commit,
                        .ctx = b,
                        .pack = sim_batch_pack,
                        .commit_packed = commit_packed,
                        .cancel = b->opts->cancel};
    return sim_pool_run_cluster(b->opts->cluster, &job, err);
}
