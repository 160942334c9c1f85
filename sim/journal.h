/* journal.h - the journal of a result directory under way (DIR.partial/):
 * after each replication, the length that runs.csv and rounds.csv had once
 * its rows were in, and its exact metric values, so that an interrupted or
 * killed run can be resumed from its last fully written replication.
 *
 * The file journal.bin, in the writer's byte order:
 *
 *   0   8 bytes  magic "SIMJRNL1"
 *   8   uint32   M, the metrics per replication
 *   12  uint32   0
 *   16  uint64   the first replication of the batch
 *   24  records of 16 + 8 M bytes, one per replication in order: uint64
 *       runs.csv's length, uint64 rounds.csv's length (0 without
 *       --trace), M doubles (the metric values, bitwise)
 *
 * Record k is valid when it is whole and both files are at least as long
 * as it says: their bytes up to there are replication k's and before
 * (the rows go out in order). Recovery keeps the valid records and cuts
 * every file at the last one, dropping a partly written row or record. */
#ifndef SIM_JOURNAL_H
#define SIM_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <sanctionsim/error.h>

#define SIM_JOURNAL_FILE "journal.bin"

typedef struct sim_journal {
    FILE *f;
    int nmetrics;
    char path[SIM_PATH_MAX + 32];
} sim_journal;

/* Creates dir/name (SIM_JOURNAL_FILE for a run) afresh (replacing one),
 * its header written. */
int sim_journal_create(sim_journal *j, const char *dir, const char *name,
                       int nmetrics, long first, sim_err *err);

/* Appends one replication's record. A journal's stream takes no stdio
 * lock: one thread at a time appends, flushes or closes it. */
int sim_journal_append(sim_journal *j, uint64_t runs_len, uint64_t rounds_len,
                       const double *metrics, sim_err *err);

/* Flushes what was appended to the file. */
int sim_journal_flush(sim_journal *j, sim_err *err);

void sim_journal_close(sim_journal *j);

/* Called by sim_journal_recover with each valid record's metric values,
 * in order. */
typedef int (*sim_journal_row_fn)(void *ctx, const double *metrics,
                                  sim_err *err);

/* The journal dir/name and the two files whose lengths its records give
 * (second NULL: none, lengths 0): for a run, runs.csv and rounds.csv (with
 * --trace); for a sweep, runs.csv and summary.csv. */
typedef struct sim_journal_files {
    const char *name, *first, *second;
} sim_journal_files;

/* Recovers dir's journal for a batch of nmetrics values per record from
 * replication (or point) first: finds the valid records (at most max),
 * cuts the journal and both files after the last, calls row for each and
 * leaves *done the number of them and the journal open for appending in
 * j. A journal of another batch's shape is SIM_E_USAGE; *done is 0 with
 * no journal at all (the caller starts afresh). */
int sim_journal_recover(sim_journal *j, const char *dir,
                        const sim_journal_files *files, int nmetrics,
                        long first, long max, sim_journal_row_fn row,
                        void *ctx, long *done, sim_err *err);

#endif
