/* spill.h - the exact metric values of a batch, kept row by row on disk.
 *
 * A spill holds a table of doubles: one row per replication, one column
 * per metric, bitwise exact (NaN payloads, infinities, -0.0 and denormals
 * come back as they went in). Rows are appended in order; once finished,
 * each metric's column can be read back whole, in row order. Memory is
 * bounded: a block of block_rows rows of every metric (64 KiB per metric
 * by default) is kept in memory; each full block goes to a private
 * temporary file, created in the given directory at the first full block
 * and unlinked at once, so no file is left behind whatever happens (a batch
 * of fewer rows than a block never touches the disk).
 *
 * File layout (for a later merge, resume or MPI gather): block k of the
 * file holds rows [k B, (k + 1) B), metric after metric: the value of row
 * k B + i of metric m is the double at byte offset ((k M + m) B + i) * 8,
 * in the machine's byte order. The last, partial block stays in memory. */
#ifndef SIM_SPILL_H
#define SIM_SPILL_H

#include <stddef.h>

#include <sanctionsim/error.h>

/* Rows per block by default: 8192 doubles = 64 KiB per metric. */
#define SIM_SPILL_BLOCK_ROWS 8192

typedef struct sim_spill sim_spill;

/* Opens an empty spill of nmetrics (>= 0) metrics in *out (free with
 * sim_spill_close), whose file, if one is needed, goes into directory dir
 * (a copy of the path is kept). block_rows: rows per block, 0 for
 * SIM_SPILL_BLOCK_ROWS. Returns 0; SIM_E_NOMEM, or SIM_E_INTERNAL for a
 * NULL argument or a negative count, with *out NULL. */
int sim_spill_open(sim_spill **out, const char *dir, int nmetrics,
                   size_t block_rows, sim_err *err);

/* Appends one row: row[0..nmetrics) (row may be NULL when nmetrics is 0).
 * Returns 0; SIM_E_IO naming the file and the system's reason if the
 * temporary file cannot be created or written (the spill is then broken:
 * only sim_spill_close remains), SIM_E_INTERNAL after sim_spill_finish. */
int sim_spill_append(sim_spill *s, const double *row, sim_err *err);

/* Ends the appending: after it only reads and the close are allowed. */
void sim_spill_finish(sim_spill *s);

/* The number of rows appended. */
size_t sim_spill_rows(const sim_spill *s);

/* Copies metric m's values of every row, in row order, into
 * dst[0..sim_spill_rows(s)). Returns 0; SIM_E_IO naming the file and the
 * reason if the file cannot be read back; SIM_E_INTERNAL if s is not
 * finished or m is out of range. */
int sim_spill_read(sim_spill *s, int m, double *dst, sim_err *err);

/* Closes the file (already unlinked) and frees s. NULL is a no-op. */
void sim_spill_close(sim_spill *s);

#endif
