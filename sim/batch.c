/* batch.c - a batch: open the result directory, run the replications on
 * one or more threads, summarize their metrics and commit the results.
 *
 * The replications are cut into blocks; the threads of an ordered pool
 * (pool.h) run the blocks, each thread with a workspace of its own, and
 * render each block's runs.csv and rounds.csv rows and metric values into
 * a slot in memory; the blocks are written to the files and the spill
 * strictly in replication order. Replication r draws from streams keyed by
 * (seed, r), so every file is the same for any number of threads. */
#include <sanctionsim/batch.h>

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h> /* __fsetlocking (glibc, musl) */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch_impl.h"
#include "pool.h"

/* Every column can be a metric of summary.csv. */
_Static_assert(SIM_COLUMN_NAME_MAX <= SIM_STATS_METRIC_MAX,
               "a column name must fit a summary.csv metric name");
_Static_assert(SIM_BATCH_MAX_THREADS <= SIM_POOL_MAX_THREADS,
               "the pool must run as many threads as a batch may ask for");

/* Lists the summary metrics of b's columns and allocates the spill of
 * their values and the summary rows.
 *
 * Memory does not grow with the number of replications: the spill keeps
 * one block (64 KiB per metric, about 4 MB) in memory and the rest in its
 * file, and the summary of a metric (spill_summary.h) holds at most
 * SIM_SUMMARY_BUDGET doubles (2 MiB) at once per thread (batch_summary.c),
 * sorting larger ones on disk in the temporary result directory. */
static int alloc_metrics(batch *b, sim_err *err)
{
    const sim_output *op = &b->out;
    for (int i = 0; i < op->ncols; i++)
        if (op->cols[i].summarize)
            b->metric_col[b->nmetrics++] = i;
    /* At least one row: calloc(0) may return NULL, which would
     * read as running out of memory when no column is summarized. */
    size_t nm = (size_t)(b->nmetrics > 0 ? b->nmetrics : 1);
    b->rows = calloc(nm, sizeof *b->rows);
    if (!b->rows)
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for the summary of %d metrics",
                         b->nmetrics);
    return sim_spill_open(&b->spill, b->out.tmp_dir, b->nmetrics, 0, err);
}

/* Chooses b's threads and block size for `threads` asked on each of
 * b->ranks processes: blocks small enough that each thread gets about 16
 * (so that the threads finish close together), at most BLOCK_MAX
 * replications, and no more threads than blocks. With a cluster each
 * thread has a slot of its own, and rank 0 keeps the window's blocks. The
 * files do not depend on the choice. */
static void plan(batch *b, int threads)
{
    long left = b->n - b->done;
    long all = (long)threads * b->ranks;
    long per = left / (all * 16);
    b->block = per < 1 ? 1 : per > BLOCK_MAX ? BLOCK_MAX : per;
    long nblocks = (left + b->block - 1) / b->block;
    b->uniform = nblocks;
    b->tail_block = b->block;
    if (all > 1 && !b->opts->cluster && b->block >= 8) {
        /* The last `all` blocks' worth in blocks an eighth as long: a
         * thread that runs out of work waits for the others' last block,
         * half a block on average, which is now a small one. */
        long tail = all * b->block;
        b->uniform = left > tail ? (left - tail) / b->block : 0;
        b->tail_block = b->block / 8;
        long rest = left - b->uniform * b->block;
        nblocks = b->uniform + (rest + b->tail_block - 1) / b->tail_block;
    }
    if (nblocks < 1)
        nblocks = 1;
    b->nblocks = nblocks;
    b->nthreads = nblocks < threads ? (int)nblocks : threads;
    b->window = SLOTS_PER_THREAD * (int)(nblocks < all ? nblocks : all);
    b->nslots = b->opts->cluster ? b->nthreads : b->window;
}

/* Allocates the workspaces of worker 0 (the calling thread) and of a
 * cluster's threads; a local pool's other workers make theirs on their
 * own thread and free it there (worker_done), from that thread's malloc
 * arena: made and freed here, the small pieces of two workspaces (the
 * streams' states) interleave in the next batch, lines that both threads
 * write at every draw (false sharing; bench/README.md). */
static int alloc_workers(batch *b, const sim_scenario *sc, sim_err *err)
{
    b->workers = calloc((size_t)b->nthreads, sizeof *b->workers);
    if (!b->workers)
        return sim_error(err, SIM_E_NOMEM, "out of memory for %d threads",
                         b->nthreads);
    for (int i = 0; i < b->nthreads; i++) {
        b->workers[i].sc = sc;
        if (i > 0 && !b->opts->cluster)
            continue;
        int rc = sim_workspace_alloc(sc, &b->workers[i].ws, err);
        if (rc)
            return rc;
        sim_workspace_set_cancel(b->workers[i].ws, b->opts->cancel);
    }
    return 0;
}

/* Allocates b's slots: the memory streams and metric rows of a block
 * each. Needs b->nmetrics. */
static int alloc_slots(batch *b, sim_err *err)
{
    b->slots = calloc((size_t)b->nslots, sizeof *b->slots);
    size_t nm = (size_t)(b->nmetrics > 0 ? b->nmetrics : 1);
    for (int i = 0; b->slots && i < b->nslots; i++) {
        batch_slot *s = &b->slots[i];
        s->metrics = malloc(sizeof(double) * nm * (size_t)b->block);
        s->runs_end = malloc(sizeof(long) * (size_t)b->block);
        s->rounds_end = malloc(sizeof(long) * (size_t)b->block);
        s->runs = open_memstream(&s->runs_buf, &s->runs_cap);
        if (b->opts->trace)
            s->rounds = open_memstream(&s->rounds_buf, &s->rounds_cap);
        if (!s->metrics || !s->runs || (b->opts->trace && !s->rounds) ||
            !s->runs_end || !s->rounds_end)
            break;
        /* One thread at a time writes a slot (handed over under the pool's
         * mutex): no stdio lock a row, which was most of a row's fwrite. */
        __fsetlocking(s->runs, FSETLOCKING_BYCALLER);
        if (s->rounds)
            __fsetlocking(s->rounds, FSETLOCKING_BYCALLER);
        if (i == b->nslots - 1)
            return 0;
    }
    return sim_error(err, SIM_E_NOMEM,
                     "out of memory for %d blocks of %ld replications",
                     b->nslots, b->block);
}

/* The manifest of b: complete, or the partial one of DIR.partial. */
static void fill_manifest(batch *b, sim_manifest *man, bool partial)
{
    const sim_batch_opts *o = b->opts;
    memset(man, 0, sizeof *man);
    man->command_line = o->command_line ? o->command_line : "";
    man->provenance = o->provenance;
    man->master_seed = o->seed;
    man->replications = b->n;
    man->first_replication = b->first;
    man->threads = b->nthreads;
    man->processes = b->ranks;
    man->incomplete = partial;
    man->resumed = b->resumed;
    man->inputs = &b->inputs;
    memcpy(man->start_time, b->start_time, sizeof man->start_time);
    sim_manifest_now(man->end_time);
    man->elapsed_seconds = sim_manifest_seconds_since(&b->t0);
    b->nfiles = 0;
    b->files[b->nfiles++] = "runs.csv";
    if (o->trace)
        b->files[b->nfiles++] = "rounds.csv";
    b->files[b->nfiles++] = "summary.csv";
    b->files[b->nfiles++] = "scenario.cfg";
    b->files[b->nfiles++] = "columns.csv";
    if (o->keep_values)
        b->files[b->nfiles++] = SIM_METRICS_FILE;
    b->files[b->nfiles++] = "manifest.cfg";
    if (partial)
        b->files[b->nfiles++] = SIM_JOURNAL_FILE;
    man->files = b->files;
    man->nfiles = b->nfiles;
}

/* Starts b's files in DIR.partial: runs.csv and rounds.csv (unless
 * sim_output_open did: opened), the journal and the partial manifest. */
static int start(batch *b, bool opened, sim_err *err)
{
    int rc = opened ? 0 : sim_output_reopen(&b->out, b->opts->trace, true,
                                             err);
    if (!rc)
        rc = sim_journal_create(&b->journal, b->out.tmp_dir, SIM_JOURNAL_FILE,
                                b->nmetrics, b->first, err);
    sim_manifest man;
    fill_manifest(b, &man, true);
    if (!rc)
        rc = sim_output_write_manifest(&b->out, &man, err);
    return rc;
}

/* A sim_journal_row_fn: a recovered replication's values into the
 * spill. */
static int recovered_row(void *ctx, const double *metrics, sim_err *err)
{
    batch *b = ctx;
    return sim_spill_append(b->spill, metrics, err);
}

/* Resumes the interrupted run in DIR.partial: checks that it is this very
 * run (format, inputs, the manifest above its run-specific part), then
 * keeps its fully written replications (sim_journal_recover). A
 * DIR.partial without a manifest (killed as it began) starts afresh. */
static int resume(batch *b, sim_err *err)
{
    sim_manifest man;
    fill_manifest(b, &man, true);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    sim_manifest_write(mem, &man, b->out.sc);
    int rc = 0;
    if (fclose(mem) != 0)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    if (!rc)
        rc = sim_manifest_check_resume(b->out.tmp_dir, text, b->opts->trace,
                                       err);
    free(text);
    if (rc == 1) /* no manifest: nothing was written */
        return start(b, false, err);
    sim_journal_files files = {SIM_JOURNAL_FILE, "runs.csv",
                               b->opts->trace ? "rounds.csv" : NULL};
    if (!rc)
        rc = sim_journal_recover(&b->journal, b->out.tmp_dir, &files,
                                 b->nmetrics, b->first, b->n, recovered_row,
                                 b, &b->resumed, err);
    if (rc)
        return rc;
    if (b->resumed == 0) {
        sim_journal_close(&b->journal);
        return start(b, false, err);
    }
    b->done = b->resumed;
    rc = sim_output_reopen(&b->out, b->opts->trace, false, err);
    if (!rc)
        rc = sim_output_write_manifest(&b->out, &man, err);
    return rc;
}

/* Starts batch b of scenario sc under options o: checks the options,
 * allocates the workspaces, opens the result directory, the metric arrays
 * and the blocks' memory. On failure b still needs batch_close (which any
 * failure leaves safe to call). */
static int batch_open(batch *b, const sim_scenario *sc, const sim_batch_opts *o,
                      sim_err *err)
{
    memset(b, 0, sizeof *b);
    b->opts = o;
    b->n = o->replications;
    b->first = o->first;
    b->ranks = sim_cluster_size(o->cluster);
    clock_gettime(CLOCK_MONOTONIC, &b->t0);
    sim_manifest_now(b->start_time);
    if (b->n < 1)
        return sim_error(err, SIM_E_USAGE,
                         "the number of replications must be at least 1");
    if (o->first < 0 || o->first > LONG_MAX - b->n)
        return sim_error(err, SIM_E_USAGE,
                         "the first replication must be from 0 to %ld, "
                         "got %ld",
                         LONG_MAX - b->n, o->first);
    if (o->threads < 0 || o->threads > SIM_BATCH_MAX_THREADS)
        return sim_error(err, SIM_E_USAGE,
                         "the number of threads must be from 1 to %d, got %d",
                         SIM_BATCH_MAX_THREADS, o->threads);
    unsigned flags = (o->force ? SIM_OUTPUT_FORCE : 0) |
                     (o->resume ? SIM_OUTPUT_RESUME : 0);
    int rc = sim_output_open(&b->out, sc, o->outdir, flags, o->trace, err);
    if (!rc)
        rc = alloc_metrics(b, err);
    if (!rc)
        rc = sim_manifest_scenario_inputs(&b->inputs, sc, o->provenance, err);
    if (!rc)
        rc = b->out.resumed ? resume(b, err) : start(b, true, err);
    if (rc)
        return rc;
    plan(b, o->threads > 0 ? o->threads : 1);
    rc = alloc_workers(b, sc, err);
    if (rc)
        return rc;
    return alloc_slots(b, err);
}

static void batch_close(batch *b);

/* A worker rank's batch (rank > 0 of o->cluster) once rank 0 has opened
 * the result directory and said where the run resumes (shared[1]) and
 * the block size (shared[2]): the columns and metrics, the workspaces and
 * the slots. It writes nothing. */
static int worker_open(batch *b, const sim_scenario *sc,
                       const sim_batch_opts *o, const long *shared,
                       sim_err *err)
{
    b->opts = o;
    b->n = o->replications;
    b->first = o->first;
    b->ranks = sim_cluster_size(o->cluster);
    b->done = b->resumed = shared[1];
    b->out.ncols = sim_columns_list(sc, b->out.cols);
    for (int i = 0; i < b->out.ncols; i++)
        if (b->out.cols[i].summarize)
            b->metric_col[b->nmetrics++] = i;
    plan(b, o->threads > 0 ? o->threads : 1);
    b->block = b->tail_block = shared[2] > 0 ? shared[2] : 1;
    long nblocks = (b->n - b->done + b->block - 1) / b->block;
    b->uniform = b->nblocks = nblocks;
    if (nblocks < b->nthreads)
        b->nthreads = b->nslots = nblocks < 1 ? 1 : (int)nblocks;
    int rc = alloc_workers(b, sc, err);
    return rc ? rc : alloc_slots(b, err);
}

/* A worker rank's sim_batch_run: waits for rank 0 to open the batch, runs
 * blocks for it and returns rank 0's outcome (whose message rank 0
 * reports). */
static int serve_batch(const sim_scenario *sc, const sim_batch_opts *o,
                       sim_err *err)
{
    long shared[3] = {0};
    int rc = sim_cluster_share(o->cluster, shared, 3, err);
    if (rc)
        return rc;
    if (shared[0])
        return sim_error(err, (int)shared[0], "rank 0 failed");
    batch b;
    memset(&b, 0, sizeof b);
    rc = worker_open(&b, sc, o, shared, err);
    if (rc)
        sim_pool_fail_cluster(o->cluster, rc, err);
    else
        sim_batch_run_cluster(&b, err);
    long outcome = 0;
    rc = sim_cluster_share(o->cluster, &outcome, 1, err);
    batch_close(&b);
    if (!rc && outcome)
        return sim_error(err, (int)outcome, "rank 0 failed");
    return rc;
}

int sim_batch_commit_rows(batch *b, const batch_rows *s, sim_err *err)
{
    const sim_batch_opts *o = b->opts;
    sim_output *out = &b->out;
    int rc = sim_output_append(out, s->runs, s->runs_len, s->rounds,
                               s->rounds_len, err);
    for (long i = 0; i < s->count && !rc; i++) {
        const double *row = s->metrics + i * b->nmetrics;
        rc = sim_spill_append(b->spill, row, err);
        if (!rc)
            rc = sim_journal_append(
                &b->journal, (uint64_t)(out->runs_len + s->runs_end[i]),
                (uint64_t)(out->rounds_len + s->rounds_end[i]), row, err);
    }
    out->runs_len += (long)s->runs_len;
    out->rounds_len += (long)s->rounds_len;
    /* The block is on disk (in the kernel's hands) before the next one:
     * a killed run loses at most the blocks still in memory. */
    if (!rc && (fflush(out->runs) != 0 || (out->rounds &&
                                            fflush(out->rounds) != 0)))
        rc = sim_error(err, SIM_E_IO, "cannot write runs.csv: %s",
                       SIM_ERRNO_TEXT(errno ? errno : EIO));
    if (!rc)
        rc = sim_journal_flush(&b->journal, err);
    if (rc)
        return rc;
    b->done += s->count;
    if (o->progress)
        o->progress(o->progress_ctx, b->done, b->n);
    if (o->stop_after > 0 && b->done >= o->stop_after && b->done < b->n)
        return sim_error(err, SIM_E_INTERRUPTED, "stopped by request");
    return 0;
}

/* A sim_pool_job's commit: writes the block in slot `slot` to runs.csv
 * and rounds.csv and its metric values to the spill (the pool calls this
 * in block order, so everything goes in in replication order), and
 * reports progress. */
static int commit_block(void *ctx, long block, int slot, sim_err *err)
{
    batch *b = ctx;
    const batch_slot *s = &b->slots[slot];
    batch_rows r = {s->count,     s->runs_buf,  s->rounds_buf,
                    s->runs_len,  s->rounds_len, s->metrics,
                    s->runs_end,  s->rounds_end};
    (void)block;
    return sim_batch_commit_rows(b, &r, err);
}

/* Runs every replication of b on its threads and writes them in order.
 * The first error in replication order wins (pool.h); an interruption is
 * reported with the replications written until then. */
static int run_all(batch *b, sim_err *err)
{
    long left = b->n - b->done;
    if (left == 0 && !b->opts->cluster)
        return 0; /* every replication was recovered */
    sim_pool_job job = {.nblocks = b->nblocks,
                        .nthreads = b->nthreads,
                        .window = b->nslots,
                        .work = sim_batch_work_block,
                        .commit = commit_block,
                        .ctx = b,
                        .worker_done = sim_batch_worker_done};
    int rc;
    if (b->opts->cluster)
        rc = sim_batch_run_cluster(b, err);
    else
        rc = sim_pool_run(&job, err);
    if (rc == SIM_E_INTERRUPTED)
        return sim_error(err, SIM_E_INTERRUPTED,
                         "interrupted after %ld of %ld replications; they "
                         "are kept in %s/ (its manifest says the run is "
                         "incomplete)",
                         b->done, b->n, b->out.tmp_dir);
    return rc;
}

/* Writes summary.csv and the manifest and renames the result directory
 * into place (sim_output_commit); on failure nothing is left but what
 * sim_output_commit keeps. */
static int commit(batch *b, sim_err *err)
{
    int rc = sim_output_summary(&b->out, b->rows, b->nmetrics, err);
    if (rc) {
        sim_output_abort(&b->out);
        return rc;
    }
    sim_manifest man;
    fill_manifest(b, &man, false);
    b->elapsed_seconds = man.elapsed_seconds;
    /* The journal goes before the install: the result holds only the
     * files its manifest lists. */
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", b->out.tmp_dir, SIM_JOURNAL_FILE);
    sim_journal_close(&b->journal);
    unlink(path);
    return sim_output_commit(&b->out, &man, err); /* cleans up after itself */
}

/* Frees b's memory and removes its temporary directory if it was not
 * committed. */
static void batch_close(batch *b)
{
    sim_journal_close(&b->journal);
    sim_spill_close(b->spill);
    sim_output_abort(&b->out);
    free(b->rows);
    for (int i = 0; b->slots && i < b->nslots; i++) {
        batch_slot *s = &b->slots[i];
        /* a memory stream's buffer is the caller's after fclose */
        if (s->runs)
            fclose(s->runs);
        if (s->rounds)
            fclose(s->rounds);
        free(s->runs_buf);
        free(s->rounds_buf);
        free(s->metrics);
        free(s->runs_end);
        free(s->rounds_end);
    }
    free(b->slots);
    for (int i = 0; b->workers && i < b->nthreads; i++)
        sim_workspace_free(b->workers[i].ws);
    free(b->workers);
}

int sim_batch_run(const sim_scenario *sc, const sim_batch_opts *o,
                  sim_batch_result *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    if (sim_cluster_rank(o->cluster) > 0)
        return serve_batch(sc, o, err);
    batch b;
    int rc = batch_open(&b, sc, o, err);
    /* the other ranks learn how it went, and where and how to go on */
    long shared[3] = {rc, b.resumed, b.block};
    if (o->cluster)
        sim_cluster_share(o->cluster, shared, 3, NULL);
    if (!rc)
        rc = run_all(&b, err);
    if (rc == SIM_E_INTERRUPTED && b.out.locked) {
        /* Kept for --resume: what is written stays, whole. */
        sim_journal_close(&b.journal);
        sim_output_suspend(&b.out);
    }
    if (!rc)
        rc = sim_batch_summarize(&b, err);
    if (!rc)
        rc = commit(&b, err);
    long outcome = rc;
    if (o->cluster && !shared[0])
        sim_cluster_share(o->cluster, &outcome, 1, NULL);
    out->resumed = b.resumed;
    out->stale_removed = b.out.stale_removed;
    if (!rc) {
        out->rows = b.rows;
        out->nrows = b.nmetrics;
        out->elapsed_seconds = b.elapsed_seconds;
        b.rows = NULL;
    }
    batch_close(&b);
    return rc;
}

void sim_batch_result_free(sim_batch_result *r)
{
    free(r->rows);
    r->rows = NULL;
    r->nrows = 0;
}

const sim_summary *sim_batch_find(const sim_batch_result *r, const char *metric)
{
    for (int i = 0; i < r->nrows; i++)
        if (strcmp(r->rows[i].metric, metric) == 0)
            return &r->rows[i];
    return NULL;
}
