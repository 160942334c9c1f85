/* csvread.c - a small CSV reader (RFC 4180), one record at a time. */
#include "csvread.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int sim_csvread_open(sim_csvread *r, const char *path, sim_err *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->line = 1;
    struct stat st;
    if (stat(path, &st) != 0)
        return sim_error(err, errno == ENOENT ? SIM_E_USAGE : SIM_E_IO,
                         "cannot read %s: %s", path, SIM_ERRNO_TEXT(errno));
    if (!S_ISREG(st.st_mode))
        return sim_error(err, SIM_E_USAGE, "%s is not a regular file", path);
    r->buf_cap = 1024;
    r->fields_cap = 64;
    r->buf = malloc(r->buf_cap);
    r->start = malloc((size_t)r->fields_cap * sizeof *r->start);
    if (!r->buf || !r->start) {
        sim_csvread_close(r);
        return sim_error(err, SIM_E_NOMEM, "out of memory reading %s", path);
    }
    r->f = fopen(path, "rb");
    if (!r->f) {
        int e = errno;
        sim_csvread_close(r);
        return sim_error(err, SIM_E_IO, "cannot open %s: %s", path,
                         SIM_ERRNO_TEXT(e));
    }
    return 0;
}

/* Appends byte c to the record's text. */
static int put(sim_csvread *r, char c, sim_err *err)
{
    if (r->buf_len + 1 >= r->buf_cap) {
        size_t cap = r->buf_cap ? 2 * r->buf_cap : 1024;
        char *b = realloc(r->buf, cap);
        if (!b)
            return sim_error(err, SIM_E_NOMEM, "out of memory reading %s",
                             r->path);
        r->buf = b;
        r->buf_cap = cap;
    }
    r->buf[r->buf_len++] = c;
    return 0;
}

/* Ends the current field (NUL) and starts the next at the current end. */
static int end_field(sim_csvread *r, sim_err *err)
{
    int rc = put(r, '\0', err);
    if (rc)
        return rc;
    if (r->nfields + 1 >= r->fields_cap) {
        int cap = r->fields_cap ? 2 * r->fields_cap : 64;
        size_t *s = realloc(r->start, (size_t)cap * sizeof *s);
        if (!s)
            return sim_error(err, SIM_E_NOMEM, "out of memory reading %s",
                             r->path);
        r->start = s;
        r->fields_cap = cap;
    }
    r->nfields++;
    r->start[r->nfields] = r->buf_len;
    return 0;
}

/* Points r->field at the fields of the record in buf. */
static int expose(sim_csvread *r, sim_err *err)
{
    if (r->nfields > r->field_cap) {
        char **f = realloc(r->field, (size_t)r->fields_cap * sizeof *f);
        if (!f)
            return sim_error(err, SIM_E_NOMEM, "out of memory reading %s",
                             r->path);
        r->field = f;
        r->field_cap = r->fields_cap;
    }
    for (int i = 0; i < r->nfields; i++)
        r->field[i] = r->buf + r->start[i];
    return 1;
}

static int bad(const sim_csvread *r, long line, const char *what,
               sim_err *err)
{
    return sim_error(err, SIM_E_USAGE, "%s:%ld: %s", r->path, line, what);
}

/* The state machine of one record: a field is plain (no quotes in it), or
 * quoted from its first character to a closing quote followed by a comma
 * or the end of the line (RFC 4180, section 2).
 * Long: one state machine over the characters, which reads best whole. */
int sim_csvread_next(sim_csvread *r, sim_err *err)
{
    if (!r->f || !r->start || !r->buf)
        return 0;
    r->buf_len = 0;
    r->nfields = 0;
    r->start[0] = 0;
    r->record_line = r->line;
    enum { FIELD_START, PLAIN, QUOTED, QUOTE_IN_QUOTED } st = FIELD_START;
    int rc = 0;
    for (;;) {
        int c = getc(r->f);
        if (c == EOF) {
            if (ferror(r->f))
                return sim_error(err, SIM_E_IO, "cannot read %s: %s", r->path,
                                 SIM_ERRNO_TEXT(errno ? errno : EIO));
            if (st == QUOTED)
                return bad(r, r->record_line,
                           "a quoted field is not closed before the end of "
                           "the file",
                           err);
            if (st == FIELD_START && r->nfields == 0)
                return 0; /* no record: the file ended after a line break */
            if ((rc = end_field(r, err)))
                return rc;
            return expose(r, err);
        }
        if (c == '\r') {
            int d = getc(r->f);
            if (d != '\n') {
                if (d != EOF)
                    ungetc(d, r->f);
                if (st != QUOTED)
                    return bad(r, r->line,
                               "a carriage return outside quotes not "
                               "followed by a line feed",
                               err);
            } else {
                ungetc(d, r->f);
                if (st != QUOTED)
                    continue; /* CRLF: the LF ends the record */
            }
        }
        if (c == '\n')
            r->line++;
        switch (st) {
        case FIELD_START:
        case PLAIN:
            if (c == '"' && st == FIELD_START) {
                st = QUOTED;
                continue;
            }
            if (c == '"')
                return bad(r, r->line,
                           "a quote inside an unquoted field (quote the "
                           "whole field and double the quote)",
                           err);
            if (c == ',' || c == '\n') {
                if ((rc = end_field(r, err)))
                    return rc;
                if (c == '\n')
                    return expose(r, err);
                st = FIELD_START;
                continue;
            }
            st = PLAIN;
            break;
        case QUOTED:
            if (c == '"') {
                st = QUOTE_IN_QUOTED;
                continue;
            }
            break;
        case QUOTE_IN_QUOTED:
            if (c == '"') {
                st = QUOTED;
                break;
            }
            if (c == ',' || c == '\n') {
                if ((rc = end_field(r, err)))
                    return rc;
                if (c == '\n')
                    return expose(r, err);
                st = FIELD_START;
                continue;
            }
            return bad(r, r->line,
                       "text after the closing quote of a field", err);
        }
        if ((rc = put(r, (char)c, err)))
            return rc;
    }
}

void sim_csvread_close(sim_csvread *r)
{
    if (r->f)
        fclose(r->f);
    free(r->buf);
    free(r->start);
    free(r->field);
    memset(r, 0, sizeof *r);
}
