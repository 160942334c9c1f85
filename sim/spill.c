/* spill.c - the exact metric values of a batch, kept on disk in blocks
 * (spill.h). Raw file descriptors with write and pread: each block goes
 * out in one call and comes back in one call per metric, with no stdio
 * buffer in between. */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <sanctionsim/limits.h>

struct sim_spill {
    int nmetrics;                 /* M */
    size_t block_rows;            /* B */
    size_t rows;                  /* rows appended */
    size_t fill;                  /* rows in the block in memory */
    size_t blocks;                /* full blocks in the file */
    double *block;                /* the block in memory: block[m * B + i] */
    int fd;                       /* the file, -1 until the first full block */
    int finished;                 /* no more appends */
    int broken;                   /* a write failed: nothing but close */
    char path[SIM_PATH_MAX + 32]; /* the file's name, for messages */
};

int sim_spill_open(sim_spill **out, const char *dir, int nmetrics,
                   size_t block_rows, sim_err *err)
{
    if (!out)
        return sim_error(err, SIM_E_INTERNAL, "sim_spill_open: out is NULL");
    *out = NULL;
    if (!dir || nmetrics < 0)
        return sim_error(err, SIM_E_INTERNAL,
                         "sim_spill_open: no directory or a negative count");
    size_t b = block_rows > 0 ? block_rows : SIM_SPILL_BLOCK_ROWS;
    size_t m = nmetrics > 0 ? (size_t)nmetrics : 1;
    sim_spill *s = calloc(1, sizeof *s);
    if (s && b <= SIZE_MAX / sizeof(double) / m)
        s->block = malloc(sizeof(double) * m * b);
    if (!s || !s->block) {
        free(s);
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for the spill of %d metrics", nmetrics);
    }
    s->nmetrics = nmetrics;
    s->block_rows = b;
    s->fd = -1;
    /* dir is at most SIM_PATH_MAX - 1 bytes for every caller; a longer one
     * is cut, which leaves no XXXXXX and makes mkstemp fail (EINVAL). */
    snprintf(s->path, sizeof s->path, "%.*s/.spill-XXXXXX", SIM_PATH_MAX - 1,
             dir);
    *out = s;
    return SIM_OK;
}

/* Creates s's file in its directory and unlinks it at once: from now on
 * it lives only as s->fd and vanishes when closed, whatever happens. */
static int create_file(sim_spill *s, sim_err *err)
{
    s->fd = mkstemp(s->path);
    if (s->fd < 0)
        return sim_error(err, SIM_E_IO, "cannot create the spill file %s: %s",
                         s->path, SIM_ERRNO_TEXT(errno));
    if (unlink(s->path) != 0)
        return sim_error(err, SIM_E_IO, "cannot unlink the spill file %s: %s",
                         s->path, SIM_ERRNO_TEXT(errno));
    return SIM_OK;
}

/* Writes len bytes of p at the end of s's file, retrying short writes. */
static int write_all(sim_spill *s, const char *p, size_t len, sim_err *err)
{
    while (len > 0) {
        ssize_t w = write(s->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC; /* no progress and no reason given */
            return sim_error(err, SIM_E_IO,
                             "cannot write the spill file %s: %s", s->path,
                             SIM_ERRNO_TEXT(errno));
        }
        p += w;
        len -= (size_t)w;
    }
    return SIM_OK;
}

/* True if the byte offset of block k of metric m in s's file fits in an
 * off_t (a file of blocks up to k - 1 of every metric can then be
 * written); the offset itself is block_offset. */
static bool offset_fits(const sim_spill *s, size_t k, int m)
{
    const uintmax_t max_off =
        sizeof(off_t) >= 8 ? (uintmax_t)INT64_MAX : (uintmax_t)INT32_MAX;
    uintmax_t bytes = sizeof(double) * (uintmax_t)s->block_rows;
    uintmax_t index =
        (uintmax_t)k * (uintmax_t)(s->nmetrics > 0 ? s->nmetrics : 1) +
        (uintmax_t)m;
    return bytes == 0 || index <= (max_off - bytes) / bytes;
}

/* The byte offset of block k of metric m in s's file (offset_fits). */
static off_t block_offset(const sim_spill *s, size_t k, int m)
{
    uintmax_t index =
        (uintmax_t)k * (uintmax_t)(s->nmetrics > 0 ? s->nmetrics : 1) +
        (uintmax_t)m;
    return (off_t)(index * sizeof(double) * (uintmax_t)s->block_rows);
}

/* Writes the full block in memory to the file (creating it first). */
static int flush_block(sim_spill *s, sim_err *err)
{
    int rc = s->fd < 0 ? create_file(s, err) : SIM_OK;
    if (rc)
        return rc;
    if (!offset_fits(s, s->blocks + 1, 0))
        return sim_error(err, SIM_E_IO, "cannot write the spill file %s: %s",
                         s->path, SIM_ERRNO_TEXT(EFBIG));
    size_t len = sizeof(double) * s->block_rows * (size_t)s->nmetrics;
    rc = write_all(s, (const char *)s->block, len, err);
    if (rc)
        return rc;
    s->blocks++;
    s->fill = 0;
    return SIM_OK;
}

int sim_spill_append(sim_spill *s, const double *row, sim_err *err)
{
    if (s->finished || s->broken)
        return sim_error(err, SIM_E_INTERNAL,
                         "sim_spill_append: the spill is %s",
                         s->broken ? "broken" : "finished");
    for (int m = 0; m < s->nmetrics; m++)
        s->block[(size_t)m * s->block_rows + s->fill] = row[m];
    s->fill++;
    s->rows++;
    if (s->fill == s->block_rows && s->nmetrics > 0) {
        int rc = flush_block(s, err);
        if (rc) {
            s->broken = 1;
            return rc;
        }
    }
    if (s->fill == s->block_rows) /* no metric: nothing to keep */
        s->fill = 0;
    return SIM_OK;
}

void sim_spill_finish(sim_spill *s)
{
    s->finished = 1;
}

size_t sim_spill_rows(const sim_spill *s)
{
    return s->rows;
}

/* Reads len bytes at offset off of s's file into p, retrying short reads;
 * the end of the file before len bytes is an error. */
static int read_at(sim_spill *s, char *p, size_t len, off_t off, sim_err *err)
{
    while (len > 0) {
        ssize_t r = pread(s->fd, p, len, off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return sim_error(err, SIM_E_IO, "cannot read the spill file %s: %s",
                             s->path, SIM_ERRNO_TEXT(errno));
        if (r == 0)
            return sim_error(err, SIM_E_IO,
                             "cannot read the spill file %s: it ends early",
                             s->path);
        p += r;
        off += (off_t)r;
        len -= (size_t)r;
    }
    return SIM_OK;
}

int sim_spill_read(sim_spill *s, int m, double *dst, sim_err *err)
{
    if (!s->finished || s->broken || m < 0 || m >= s->nmetrics)
        return sim_error(err, SIM_E_INTERNAL,
                         "sim_spill_read: metric %d of %d, spill %s", m,
                         s->nmetrics,
                         s->broken     ? "broken"
                         : s->finished ? "finished"
                                       : "unfinished");
    size_t b = s->block_rows;
    for (size_t k = 0; k < s->blocks; k++) {
        int rc = read_at(s, (char *)(dst + k * b), sizeof(double) * b,
                         block_offset(s, k, m), err);
        if (rc)
            return rc;
    }
    memcpy(dst + s->blocks * b, s->block + (size_t)m * b,
           sizeof(double) * s->fill);
    return SIM_OK;
}

void sim_spill_close(sim_spill *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    free(s->block);
    free(s);
}
