/* spill.c - the exact metric values of a batch, kept on disk in blocks
 * (spill.h): appending, reading back by rows, and the saved file. */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "rawio.h"
#include <sanctionsim/limits.h>

/* What the messages call the files (both kinds). */
#define TEMP_FILE "spill file"

/* The saved file: the fixed part of its header, the width of a name, the
 * byte-order mark, and the rows copied per read and write when saving. */
#define HEADER_FIXED 32
#define NAME_W SIM_STATS_METRIC_MAX
#define BYTE_ORDER_MARK UINT32_C(0x01020304)
#define SAVE_ROWS 8192

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
    /* A spill loaded from a saved file (sim_spill_load): its values are
     * metric after metric from byte data_off, and names[m] is metric m's
     * name; names is NULL for a batch's own spill. */
    char (*names)[SIM_STATS_METRIC_MAX];
    off_t data_off;
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
    int rc = s->fd < 0
                 ? sim_rawio_create_unlinked(s->path, &s->fd, TEMP_FILE, err)
                 : SIM_OK;
    if (rc)
        return rc;
    if (!offset_fits(s, s->blocks + 1, 0))
        return sim_error(err, SIM_E_IO, "cannot write the spill file %s: %s",
                         s->path, SIM_ERRNO_TEXT(EFBIG));
    size_t len = sizeof(double) * s->block_rows * (size_t)s->nmetrics;
    rc = sim_rawio_write(s->fd, s->block, len, TEMP_FILE, s->path, err);
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

int sim_spill_nmetrics(const sim_spill *s)
{
    return s->nmetrics;
}

const char *sim_spill_name(const sim_spill *s, int m)
{
    return s->names && m >= 0 && m < s->nmetrics ? s->names[m] : NULL;
}

/* Reads rows [first, first + count) of metric m of a batch's own spill:
 * block by block from the file, the tail from memory. */
static int read_blocks(const sim_spill *s, int m, size_t first, size_t count,
                       double *dst, sim_err *err)
{
    size_t b = s->block_rows;
    while (count > 0) {
        size_t k = first / b, i = first % b;
        size_t take = b - i < count ? b - i : count;
        if (k < s->blocks) {
            off_t off = block_offset(s, k, m) + (off_t)(i * sizeof(double));
            int rc = sim_rawio_read_at(s->fd, dst, sizeof(double) * take, off,
                                       TEMP_FILE, s->path, err);
            if (rc)
                return rc;
        } else {
            memcpy(dst, s->block + (size_t)m * b + i, sizeof(double) * take);
        }
        dst += take;
        first += take;
        count -= take;
    }
    return SIM_OK;
}

int sim_spill_read_rows(const sim_spill *s, int m, size_t first,
                        size_t count, double *dst, sim_err *err)
{
    if (!s->finished || s->broken || m < 0 || m >= s->nmetrics ||
        first > s->rows || count > s->rows - first)
        return sim_error(err, SIM_E_INTERNAL,
                         "sim_spill_read: metric %d of %d, rows %zu+%zu of "
                         "%zu, spill %s",
                         m, s->nmetrics, first, count, s->rows,
                         s->broken     ? "broken"
                         : s->finished ? "finished"
                                       : "unfinished");
    if (!s->names)
        return read_blocks(s, m, first, count, dst, err);
    /* A loaded file: its length was checked, so the offset fits. */
    uintmax_t index = (uintmax_t)m * s->rows + first;
    off_t off = s->data_off + (off_t)(index * sizeof(double));
    return sim_rawio_read_at(s->fd, dst, sizeof(double) * count, off,
                             "spill file", s->path, err);
}

int sim_spill_read(const sim_spill *s, int m, double *dst, sim_err *err)
{
    return sim_spill_read_rows(s, m, 0, s->rows, dst, err);
}

/* The byte offset of a saved file's values: the header of nm metrics
 * rounded up to a multiple of 8. */
static size_t data_offset(size_t nm)
{
    return (HEADER_FIXED + nm * NAME_W + 7) / 8 * 8;
}

/* Fills hdr[0..data_offset(nm)) (zeroed by the caller) with the header
 * of a saved file of s's metrics named names (may be NULL). */
static void fill_header(unsigned char *hdr, const sim_spill *s,
                        const char *const *names)
{
    const uint32_t fixed[4] = {SIM_SPILL_FORMAT, BYTE_ORDER_MARK,
                               (uint32_t)s->nmetrics, NAME_W};
    const uint64_t rows = s->rows;
    static const unsigned char magic[8] = SIM_SPILL_MAGIC; /* no NUL */
    memcpy(hdr, magic, sizeof magic);
    memcpy(hdr + 8, fixed, sizeof fixed);
    memcpy(hdr + 24, &rows, sizeof rows);
    for (int m = 0; m < s->nmetrics; m++) {
        const char *name = names && names[m] ? names[m] : "";
        /* with its NUL (shorter than NAME_W: sim_spill_save checked) */
        memcpy(hdr + HEADER_FIXED + (size_t)m * NAME_W, name,
               strlen(name) + 1);
    }
}

/* Writes s's values to fd, metric after metric, through buf (SAVE_ROWS
 * doubles). */
static int write_values(const sim_spill *s, int fd, const char *path,
                        double *buf, sim_err *err)
{
    for (int m = 0; m < s->nmetrics; m++)
        for (size_t first = 0; first < s->rows; first += SAVE_ROWS) {
            size_t take =
                s->rows - first < SAVE_ROWS ? s->rows - first : SAVE_ROWS;
            int rc = sim_spill_read_rows(s, m, first, take, buf, err);
            if (!rc)
                rc = sim_rawio_write(fd, buf, sizeof(double) * take,
                                     TEMP_FILE, path, err);
            if (rc)
                return rc;
        }
    return SIM_OK;
}

int sim_spill_save(const sim_spill *s, const char *const *names,
                   const char *path, sim_err *err)
{
    if (!s->finished || s->broken || !path)
        return sim_error(err, SIM_E_INTERNAL,
                         "sim_spill_save: the spill is %s",
                         !path ? "saved to no path" : "not finished");
    for (int m = 0; names && m < s->nmetrics; m++)
        if (names[m] && strlen(names[m]) >= NAME_W)
            return sim_error(err, SIM_E_INTERNAL,
                             "sim_spill_save: metric name '%s' is longer "
                             "than %d characters",
                             names[m], NAME_W - 1);
    size_t d = data_offset((size_t)s->nmetrics);
    unsigned char *hdr = calloc(d, 1);
    double *buf = malloc(sizeof(double) * SAVE_ROWS);
    int rc = SIM_OK, fd = -1;
    if (!hdr || !buf) {
        rc = sim_error(err, SIM_E_NOMEM, "out of memory to save %s", path);
        goto done;
    }
    fill_header(hdr, s, names);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = sim_error(err, SIM_E_IO, "cannot create the spill file %s: %s",
                       path, SIM_ERRNO_TEXT(errno));
        goto done;
    }
    rc = sim_rawio_write(fd, hdr, d, TEMP_FILE, path, err);
    if (!rc)
        rc = write_values(s, fd, path, buf, err);
    if (close(fd) != 0 && !rc)
        rc = sim_error(err, SIM_E_IO, "cannot write the spill file %s: %s",
                       path, SIM_ERRNO_TEXT(errno));
    if (rc)
        unlink(path); /* never a half-written file */
done:
    free(hdr);
    free(buf);
    return rc;
}

/* A saved file refused: SIM_E_IO, "cannot load the spill file PATH: "
 * and the reason. */
static int bad_file(sim_err *err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad_file(sim_err *err, const char *path, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return sim_error(err, SIM_E_IO, "cannot load the spill file %s: %s", path,
                     why);
}

/* Checks the fixed header hdr of a saved file of size bytes at path and
 * sets s's metrics, rows and data offset from it. */
static int check_header(sim_spill *s, const unsigned char *hdr,
                        uintmax_t size, const char *path, sim_err *err)
{
    uint32_t fixed[4];
    uint64_t rows;
    memcpy(fixed, hdr + 8, sizeof fixed);
    memcpy(&rows, hdr + 24, sizeof rows);
    if (memcmp(hdr, SIM_SPILL_MAGIC, 8) != 0)
        return bad_file(err, path, "not a spill file (no %s magic)",
                        SIM_SPILL_MAGIC);
    if (fixed[0] != SIM_SPILL_FORMAT)
        return bad_file(err, path, "format version %" PRIu32
                        ", this build reads version %d",
                        fixed[0], SIM_SPILL_FORMAT);
    if (fixed[1] != BYTE_ORDER_MARK)
        return bad_file(err, path, "%s", fixed[1] == UINT32_C(0x04030201)
                            ? "written on a machine of the other byte order"
                            : "corrupt header (bad byte-order mark)");
    if (fixed[2] > INT_MAX || fixed[3] != NAME_W)
        return bad_file(err, path, "corrupt header (%" PRIu32 " metrics "
                        "with names of %" PRIu32 " bytes)", fixed[2], fixed[3]);
    /* The expected length, D + 8 M N, unless it exceeds any file (an off_t)
     * or the rows a size_t can count. */
    uintmax_t d = data_offset(fixed[2]);
    uintmax_t max = SIZE_MAX < INT64_MAX ? SIZE_MAX : (uintmax_t)INT64_MAX;
    uintmax_t per_row = sizeof(double) * (uintmax_t)fixed[2];
    if (rows > max || (per_row > 0 && rows > (max - d) / per_row))
        return bad_file(err, path, "corrupt header (%" PRIu64 " rows)", rows);
    uintmax_t want = d + per_row * rows;
    if (size != want)
        return bad_file(err, path, "%s (%ju bytes, the header promises %ju)",
                        size < want ? "it is cut short" : "it is too long",
                        size, want);
    s->nmetrics = (int)fixed[2];
    s->rows = (size_t)rows;
    s->data_off = (off_t)d;
    return SIM_OK;
}

/* Reads and checks the header of the saved file open as s->fd. */
static int read_header(sim_spill *s, const char *path, sim_err *err)
{
    struct stat st;
    unsigned char hdr[HEADER_FIXED];
    if (fstat(s->fd, &st) != 0)
        return bad_file(err, path, "%s", SIM_ERRNO_TEXT(errno));
    if (st.st_size < HEADER_FIXED)
        return bad_file(err, path, "not a spill file (%jd bytes, shorter "
                        "than the header)", (intmax_t)st.st_size);
    int rc = sim_rawio_read_at(s->fd, hdr, sizeof hdr, 0, TEMP_FILE, path,
                               err);
    if (!rc)
        rc = check_header(s, hdr, (uintmax_t)st.st_size, path, err);
    if (rc)
        return rc;
    size_t nm = (size_t)s->nmetrics;
    s->names = calloc(nm > 0 ? nm : 1, sizeof *s->names);
    if (!s->names)
        return sim_error(err, SIM_E_NOMEM, "out of memory to load %s", path);
    rc = sim_rawio_read_at(s->fd, s->names, nm * NAME_W, HEADER_FIXED,
                           TEMP_FILE, path, err);
    for (size_t m = 0; !rc && m < nm; m++)
        if (!memchr(s->names[m], '\0', NAME_W))
            rc = bad_file(err, path, "corrupt header (metric name %zu is "
                          "not terminated)", m);
    return rc;
}

int sim_spill_load(sim_spill **out, const char *path, sim_err *err)
{
    if (!out || !path)
        return sim_error(err, SIM_E_INTERNAL, "sim_spill_load: NULL argument");
    *out = NULL;
    sim_spill *s = calloc(1, sizeof *s);
    if (!s)
        return sim_error(err, SIM_E_NOMEM, "out of memory to load %s", path);
    snprintf(s->path, sizeof s->path, "%s", path);
    s->finished = 1;
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc;
    if (s->fd < 0)
        rc = sim_error(err, SIM_E_IO, "cannot open the spill file %s: %s",
                       path, SIM_ERRNO_TEXT(errno));
    else
        rc = read_header(s, path, err);
    if (rc) {
        sim_spill_close(s);
        return rc;
    }
    *out = s;
    return SIM_OK;
}

void sim_spill_close(sim_spill *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    free(s->names);
    free(s->block);
    free(s);
}
