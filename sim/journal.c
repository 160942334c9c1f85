/* journal.c - the journal of a run under way (journal.h). */
#include "journal.h"

#include <errno.h>
#include <stdio_ext.h> /* __fsetlocking (glibc, musl) */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "SIMJRNL1", without a NUL */
static const unsigned char magic[8] = {'S', 'I', 'M', 'J',
                                       'R', 'N', 'L', '1'};
#define HEADER 24

static void journal_path(char *buf, size_t size, const char *dir,
                         const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* The journal is written by one thread at a time (the pool's commit
 * turn, handed over under its mutex): no stdio lock a record, which a
 * process with threads otherwise takes on every fwrite. */
static FILE *unlocked(FILE *f)
{
    if (f)
        __fsetlocking(f, FSETLOCKING_BYCALLER);
    return f;
}

static int io_fail(sim_err *err, const char *what, const char *path)
{
    return sim_error(err, SIM_E_IO, "cannot %s %s: %s", what, path,
                     SIM_ERRNO_TEXT(errno ? errno : EIO));
}

int sim_journal_create(sim_journal *j, const char *dir, const char *name,
                       int nmetrics, long first, sim_err *err)
{
    char *path = j->path;
    journal_path(path, sizeof j->path, dir, name);
    j->nmetrics = nmetrics;
    j->f = unlocked(fopen(path, "wb"));
    if (!j->f)
        return io_fail(err, "create", path);
    unsigned char hdr[HEADER] = {0};
    uint32_t m = (uint32_t)nmetrics;
    uint64_t f = (uint64_t)first;
    memcpy(hdr, magic, sizeof magic);
    memcpy(hdr + 8, &m, 4);
    memcpy(hdr + 16, &f, 8);
    if (fwrite(hdr, 1, HEADER, j->f) != HEADER || fflush(j->f) != 0)
        return io_fail(err, "write", path);
    return 0;
}

int sim_journal_append(sim_journal *j, uint64_t runs_len, uint64_t rounds_len,
                       const double *metrics, sim_err *err)
{
    uint64_t lens[2] = {runs_len, rounds_len};
    size_t nm = (size_t)j->nmetrics;
    if (fwrite(lens, sizeof *lens, 2, j->f) != 2 ||
        (nm && fwrite(metrics, sizeof *metrics, nm, j->f) != nm))
        return sim_error(err, SIM_E_IO, "cannot write %s: %s", j->path,
                         SIM_ERRNO_TEXT(errno ? errno : EIO));
    return 0;
}

int sim_journal_flush(sim_journal *j, sim_err *err)
{
    if (j->f && (fflush(j->f) != 0 || ferror(j->f)))
        return sim_error(err, SIM_E_IO, "cannot write %s: %s", j->path,
                         SIM_ERRNO_TEXT(errno ? errno : EIO));
    return 0;
}

void sim_journal_close(sim_journal *j)
{
    if (j->f)
        fclose(j->f);
    j->f = NULL;
}

/* The length of dir/name, -1 if it does not exist. */
static long long file_len(const char *dir, const char *name)
{
    char path[SIM_PATH_MAX + 32];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* Cuts dir/name to len bytes. */
static int cut(const char *dir, const char *name, long long len, sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (truncate(path, (off_t)len) != 0)
        return io_fail(err, "truncate", path);
    return 0;
}

/* Reads and checks the header of the open journal in. */
static int check_header(FILE *in, const char *path, int nmetrics, long first,
                        sim_err *err)
{
    unsigned char hdr[HEADER];
    uint32_t m;
    uint64_t f;
    if (fread(hdr, 1, HEADER, in) != HEADER || memcmp(hdr, magic, sizeof magic) != 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s is not a sanctionsim journal (or was cut in its "
                         "header): start again with --force",
                         path);
    memcpy(&m, hdr + 8, 4);
    memcpy(&f, hdr + 16, 8);
    if (m != (uint32_t)nmetrics || f != (uint64_t)first)
        return sim_error(err, SIM_E_USAGE,
                         "%s belongs to another batch (%u metrics from "
                         "replication %llu; this run has %d from %ld): "
                         "resume with the same arguments, or start again "
                         "with --force",
                         path, m, (unsigned long long)f, nmetrics, first);
    return 0;
}

/* Long: reads the records one by one, checks each against the files'
 * lengths, feeds the valid ones to row and cuts the files after them;
 * one pass keeps the state in one place. */
int sim_journal_recover(sim_journal *j, const char *dir,
                        const sim_journal_files *files, int nmetrics,
                        long first, long max, sim_journal_row_fn row,
                        void *ctx, long *done, sim_err *err)
{
    char *path = j->path;
    journal_path(path, sizeof j->path, dir, files->name);
    *done = 0;
    j->f = NULL;
    j->nmetrics = nmetrics;
    long long runs = file_len(dir, files->first);
    long long rounds = files->second ? file_len(dir, files->second) : 0;
    FILE *in = fopen(path, "rb");
    if (!in || runs < 0 || rounds < 0) {
        if (in)
            fclose(in);
        return 0; /* nothing to recover: start afresh */
    }
    int rc = check_header(in, path, nmetrics, first, err);
    size_t nm = (size_t)nmetrics;
    double *v = malloc(sizeof *v * (nm ? nm : 1));
    if (!rc && !v)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    uint64_t lens[2], keep_runs = 0, keep_rounds = 0;
    long k = 0;
    while (!rc && k < max && fread(lens, sizeof *lens, 2, in) == 2 &&
           (!nm || fread(v, sizeof *v, nm, in) == nm) &&
           lens[0] <= (uint64_t)runs && lens[1] <= (uint64_t)rounds) {
        rc = row(ctx, v, err);
        keep_runs = lens[0];
        keep_rounds = lens[1];
        k++;
    }
    free(v);
    fclose(in);
    if (!rc && k == 0)
        return 0; /* not one replication: start afresh */
    if (!rc)
        rc = cut(dir, files->name,
                 HEADER + (long long)k * (16 + 8 * (long long)nm), err);
    if (!rc)
        rc = cut(dir, files->first, (long long)keep_runs, err);
    if (!rc && files->second)
        rc = cut(dir, files->second, (long long)keep_rounds, err);
    if (!rc && !(j->f = unlocked(fopen(path, "ab"))))
        rc = io_fail(err, "open", path);
    if (!rc)
        *done = k;
    return rc;
}
