/* csvfmt.h - a CSV row buffer and number formatting without printf: rows
 * are built in memory and written with one fwrite, integers by a hand-
 * written formatter, doubles exactly as printf formats them. Used by
 * columns.c for runs.csv and rounds.csv, whose rows must stay byte-
 * identical to the printf text they replaced (tests/test_csvfmt.c). */
#ifndef SIM_CSVFMT_H
#define SIM_CSVFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Room the formatters below need at most: a 64-bit integer with its sign
 * is 20 characters, "%.15g" of a double at most 22 ("-1.23456789012345e-308"
 * is the longest form). */
#define SIM_CSV_NUM_MAX 32

/* A row being built for stream f. Rows longer than the buffer are written
 * in pieces, so any row fits; a row of one fwrite is the common case. */
typedef struct sim_csv_row {
    FILE *f;
    size_t len;
    char buf[4096];
} sim_csv_row;

/* Formats v in decimal into dst (at least SIM_CSV_NUM_MAX bytes, not
 * NUL-terminated) as "%" PRIu64 would; returns the length. */
size_t sim_csvfmt_u64(char *dst, uint64_t v);

/* Formats v as "%lld" would into dst (as above); returns the length. */
size_t sim_csvfmt_i64(char *dst, long long v);

/* Formats v as "%.15g" would into dst (as above); returns the length. */
size_t sim_csvfmt_g15(char *dst, double v);

/* sim_csvfmt_g15's printf-free path: formats v as "%.15g" would and
 * returns the length, or returns 0 (dst untouched) for the values it
 * leaves to printf: 0, non-finite, below about 1e-13 or above 1e41 in
 * magnitude, and those within 2^-13 of a rounding tie or of a power of
 * ten at 15 digits. Exposed for tests/test_csvfmt.c. */
size_t sim_csvfmt_g15_fast(char *dst, double v);

/* Formats v as "%.0f" would into dst when v is an integer below 2^63 in
 * magnitude (and not -0); otherwise returns 0 and leaves dst alone. */
size_t sim_csvfmt_f0_integral(char *dst, double v);

/* Starts an empty row for stream f. */
void sim_csv_begin(sim_csv_row *row, FILE *f);

/* Appends the n bytes at s. */
void sim_csv_text(sim_csv_row *row, const char *s, size_t n);

/* Appends the NUL-terminated string s. */
void sim_csv_str(sim_csv_row *row, const char *s);

/* Writes out what the row holds so far: the row is longer than its
 * buffer. Called by the appenders. */
void sim_csv_flush(sim_csv_row *row);

/* Appends one character (inline: a row is mostly separators and 0/1). */
static inline void sim_csv_char(sim_csv_row *row, char c)
{
    if (row->len >= sizeof row->buf)
        sim_csv_flush(row);
    row->buf[row->len++] = c;
}

/* Appends v as "%" PRIu64. */
void sim_csv_u64(sim_csv_row *row, uint64_t v);

/* Appends v as "%lld" (covers int and long). */
void sim_csv_i64(sim_csv_row *row, long long v);

/* Appends v as "%lld"; single digits inline, the rest by sim_csv_i64. */
static inline void sim_csv_int(sim_csv_row *row, long long v)
{
    if (v >= 0 && v < 10)
        sim_csv_char(row, (char)('0' + v));
    else
        sim_csv_i64(row, v);
}

/* Appends v as "%.15g", or nothing when v is not finite. */
void sim_csv_g15(sim_csv_row *row, double v);

/* The text of the last double a column wrote, for columns that often
 * repeat their value from row to row. A zeroed memo is empty. */
typedef struct sim_csv_memo {
    uint64_t bits; /* the double's bits, when len > 0 */
    size_t len;
    char text[SIM_CSV_NUM_MAX];
} sim_csv_memo;

/* Appends v as sim_csv_g15 does, copying the text from memo when v is the
 * value memo last saw (the same bits give the same text), and keeping v's
 * text in memo otherwise. */
void sim_csv_g15_memo(sim_csv_row *row, sim_csv_memo *memo, double v);

/* Appends v as "%.0f", or nothing when v is not finite. */
void sim_csv_f0(sim_csv_row *row, double v);

/* Ends the row with '\n' and writes it to the stream. The caller checks
 * the stream. */
void sim_csv_end(sim_csv_row *row);

#endif
