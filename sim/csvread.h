/* csvread.h - a small CSV reader (RFC 4180): records one at a time from a
 * file, with the line each began on, for `compare` and the tests. Fields
 * are separated by commas; a field may be quoted with '"', a quote inside
 * written as '""', and a quoted field may hold commas and line breaks.
 * Lines end in LF or CRLF. Errors name the file and line. */
#ifndef SIM_CSVREAD_H
#define SIM_CSVREAD_H

#include <stddef.h>
#include <stdio.h>

#include <sanctionsim/error.h>

/* An open CSV file. The fields of the last record point into buf and live
 * until the next call of sim_csvread_next or sim_csvread_close. */
typedef struct sim_csvread {
    FILE *f;
    const char *path; /* for messages; the caller's string */
    long line;        /* line of the next character to read, from 1 */
    long record_line; /* line the last record began on */
    char *buf;        /* the record's text, fields NUL-terminated */
    size_t buf_len, buf_cap;
    size_t *start; /* offsets of the fields in buf */
    int nfields, fields_cap;
    char **field; /* pointers into buf, valid after next() */
    int field_cap;
} sim_csvread;

/* Opens path for reading; returns 0, SIM_E_USAGE if it does not exist or
 * is not a regular file, or SIM_E_IO. path must outlive the reader. */
int sim_csvread_open(sim_csvread *r, const char *path, sim_err *err);

/* Reads the next record into r->field[0..r->nfields). Returns 1 for a
 * record, 0 at the end of the file, or a negative code: SIM_E_USAGE for a
 * malformed record ("FILE:LINE: ..."), SIM_E_IO or SIM_E_NOMEM. An empty
 * line at the very end is not a record. */
int sim_csvread_next(sim_csvread *r, sim_err *err);

/* Closes the file and frees the buffers; safe on a closed reader. */
void sim_csvread_close(sim_csvread *r);

#endif
