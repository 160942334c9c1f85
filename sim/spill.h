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
 * Layout of the temporary file: block k of the file holds rows
 * [k B, (k + 1) B), metric after metric: the value of row k B + i of
 * metric m is the double at byte offset ((k M + m) B + i) * 8, in the
 * machine's byte order. The last, partial block stays in memory.
 *
 * A finished spill can be saved to a named file (sim_spill_save) that
 * keeps the exact values for a later merge, resume or MPI gather, and
 * such a file opened again (sim_spill_load) is a finished, read-only
 * spill like any other. The saved file, format version 1 (offsets in
 * bytes; every integer and double in the writer's byte order, which the
 * byte-order mark states):
 *
 *   0   8 bytes   magic "SIMSPILL" (ASCII, no NUL)
 *   8   uint32    format version: 1
 *   12  uint32    byte-order mark 0x01020304 (a reader of the other byte
 *                 order sees 0x04030201 and refuses the file)
 *   16  uint32    M, the number of metrics
 *   20  uint32    W, the bytes of each metric name: SIM_STATS_METRIC_MAX
 *                 (80)
 *   24  uint64    N, the number of rows (replications)
 *   32  M x W     the metric names, each NUL-terminated and NUL-padded
 *                 (empty when the saver gave none)
 *   D   M x N x 8 the values, IEEE 754 binary64, metric after metric and
 *                 each metric's rows in row order: value (m, r) at byte
 *                 D + (m N + r) * 8, where D = 32 + M W rounded up to a
 *                 multiple of 8.
 *
 * The file is exactly D + 8 M N bytes long; anything else is refused. */
#ifndef SIM_SPILL_H
#define SIM_SPILL_H

#include <stddef.h>

#include <sanctionsim/error.h>

/* The saved file's first bytes and its format version. */
#define SIM_SPILL_MAGIC "SIMSPILL"
#define SIM_SPILL_FORMAT 1

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

/* The number of metrics. */
int sim_spill_nmetrics(const sim_spill *s);

/* Metric m's name as a saved file gives it ("" if the saver gave none);
 * NULL for a spill that was not loaded from a file or m out of range. The
 * string lives as long as s. */
const char *sim_spill_name(const sim_spill *s, int m);

/* Copies metric m's values of every row, in row order, into
 * dst[0..sim_spill_rows(s)). Returns 0; SIM_E_IO naming the file and the
 * reason if the file cannot be read back; SIM_E_INTERNAL if s is not
 * finished or m is out of range. */
int sim_spill_read(const sim_spill *s, int m, double *dst, sim_err *err);

/* Copies metric m's values of rows [first, first + count) into
 * dst[0..count). Errors as sim_spill_read, and SIM_E_INTERNAL if the rows
 * are not all there. */
int sim_spill_read_rows(const sim_spill *s, int m, size_t first,
                        size_t count, double *dst, sim_err *err);

/* Writes finished spill s to a new file at path in the format above,
 * with names[0..nmetrics) as the metric names (names may be NULL for
 * empty names, or hold NULL entries; a name must be shorter than
 * SIM_STATS_METRIC_MAX bytes). An existing file at path is replaced.
 * Returns 0; SIM_E_IO naming path if it cannot be written (the partial
 * file is then removed), or the error of reading s back; SIM_E_INTERNAL
 * for an unfinished or broken spill or an over-long name. */
int sim_spill_save(const sim_spill *s, const char *const *names,
                   const char *path, sim_err *err);

/* Opens the saved file at path as a finished, read-only spill in *out
 * (free with sim_spill_close; sim_spill_append refuses it). The header
 * and the file's length are checked: a file that is not a spill file,
 * another format version or byte order, or a file cut short or too long
 * is SIM_E_IO with a message naming path and saying what is wrong; *out
 * is then NULL. SIM_E_NOMEM if memory runs out. */
int sim_spill_load(sim_spill **out, const char *path, sim_err *err);

/* Closes the file (already unlinked) and frees s. NULL is a no-op. */
void sim_spill_close(sim_spill *s);

#endif
