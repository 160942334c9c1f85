/* compare_write.c - compare.csv: one row per (directory, metric), written
 * into a temporary directory beside the output directory and renamed into
 * place when complete, as result directories are (output.c). */
#include "compare_impl.h"
#include "columns.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* compare.csv's header: the columns the issue fixes, then ours. */
static const char header[] =
    "a,b,metric,unit,n_a,n_b,paired,mean_a,mean_b,diff,diff_ci_lo,"
    "diff_ci_hi,median_diff,median_diff_ci_lo,median_diff_ci_hi,test,"
    "statistic,p_value,p_rank,p_ks,p_adjusted,p_bh,std_diff\n";

static int io_fail(sim_err *err, const char *what, const char *path)
{
    return sim_error(err, SIM_E_IO, "cannot %s %s: %s", what, path,
                     SIM_ERRNO_TEXT(errno ? errno : EIO));
}

/* A text field, quoted when it holds a comma, quote or line break. */
static void put_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ",number": %.15g, empty when not finite (missing), 0 for -0. */
static void put_num(FILE *f, double v)
{
    fputc(',', f);
    if (isfinite(v))
        fprintf(f, "%.15g", v == 0 ? 0.0 : v);
}

static void write_row(FILE *f, const sim_compare_opts *o,
                      const sim_compare_row *r)
{
    put_text(f, o->dirs[0]);
    fputc(',', f);
    put_text(f, o->dirs[r->b]);
    fputc(',', f);
    put_text(f, r->metric);
    fputc(',', f);
    put_text(f, sim_column_unit_by_name(r->metric)); /* as columns.csv */
    fprintf(f, ",%zu,%zu,%s", r->n_a, r->n_b, r->paired ? "true" : "false");
    put_num(f, r->mean_a);
    put_num(f, r->mean_b);
    put_num(f, r->diff.estimate);
    put_num(f, r->diff.lo);
    put_num(f, r->diff.hi);
    put_num(f, r->median.estimate);
    put_num(f, r->median.lo);
    put_num(f, r->median.hi);
    fputc(',', f);
    put_text(f, r->test);
    put_num(f, r->diff.statistic);
    put_num(f, r->diff.p);
    put_num(f, r->p_rank);
    put_num(f, r->p_ks);
    put_num(f, r->p_holm);
    put_num(f, r->p_bh);
    put_num(f, r->std_diff);
    fputc('\n', f);
}

/* Whether dir exists (*exists) and holds anything but . and .. */
static bool dir_nonempty(const char *dir, bool *exists)
{
    DIR *d = opendir(dir);
    *exists = d != NULL;
    if (!d)
        return false;
    struct dirent *e;
    bool found = false;
    while (!found && (e = readdir(d)))
        found = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return found;
}

/* Removes dir's compare.csv and dir itself (what this module makes). */
static void remove_compare_dir(const char *dir)
{
    char path[SIM_PATH_MAX + 96];
    snprintf(path, sizeof path, "%s/compare.csv", dir);
    unlink(path);
    rmdir(dir);
}

/* mkdir -p for the parents of path. */
static int make_parents(const char *path, sim_err *err)
{
    char buf[SIM_PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return io_fail(err, "create directory", buf);
        *p = '/';
    }
    return 0;
}

/* Checks that final may be written: absent, empty, or (with force) an
 * earlier comparison holding only compare.csv. */
static int check_target(const char *final, bool force, bool *replace,
                        sim_err *err)
{
    struct stat st;
    bool exists;
    *replace = false;
    if (stat(final, &st) == 0 && !S_ISDIR(st.st_mode))
        return sim_error(err, SIM_E_USAGE,
                         "output path %s exists and is not a directory", final);
    if (!dir_nonempty(final, &exists))
        return 0;
    if (!force)
        return sim_error(err, SIM_E_EXISTS,
                         "output directory %s exists and is not empty; "
                         "choose another with -o or replace it with --force",
                         final);
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/compare.csv", final);
    DIR *d = opendir(final);
    bool only = d != NULL && stat(path, &st) == 0;
    struct dirent *e;
    while (only && (e = readdir(d)))
        only = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
               !strcmp(e->d_name, "compare.csv");
    if (d)
        closedir(d);
    if (!only)
        return sim_error(err, SIM_E_USAGE,
                         "output directory %s is not empty and is not an "
                         "earlier comparison (only a compare.csv); --force "
                         "replaces only those, so choose another directory "
                         "with -o",
                         final);
    *replace = true;
    return 0;
}

/* Writes compare.csv into the temporary directory tmp. */
static int write_file(const char *tmp, const sim_compare_opts *o,
                      const sim_compare_result *res, sim_err *err)
{
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/compare.csv", tmp);
    FILE *f = fopen(path, "w");
    if (!f)
        return io_fail(err, "create", path);
    fputs(header, f);
    for (size_t i = 0; i < res->nrows; i++)
        write_row(f, o, &res->row[i]);
    if (ferror(f) | (fclose(f) != 0))
        return io_fail(err, "write", path);
    return 0;
}

/* Moves tmp into final's place, an earlier comparison aside first and
 * removed last, so that a crash leaves one complete comparison. */
static int commit(const char *tmp, const char *final, bool replace,
                  sim_err *err)
{
    char old[SIM_PATH_MAX + 64] = "";
    if (replace) {
        snprintf(old, sizeof old, "%s.old-XXXXXX", tmp);
        if (!mkdtemp(old) || rename(final, old) != 0) {
            int rc;
            rc = io_fail(err, "move aside the old", final);
            if (old[0])
                rmdir(old);
            return rc;
        }
    }
    if (rename(tmp, final) != 0) {
        int rc;
        rc = io_fail(err, "rename the comparison into", final);
        if (replace)
            rename(old, final);
        return rc;
    }
    if (replace)
        remove_compare_dir(old);
    return 0;
}

int sim_compare_write(const sim_compare_opts *o, const sim_compare_result *res,
                      sim_err *err)
{
    char final[SIM_PATH_MAX], tmp[SIM_PATH_MAX + 32];
    size_t len = strlen(o->outdir);
    while (len > 1 && o->outdir[len - 1] == '/')
        len--;
    if (len == 0 || len >= sizeof final - 32)
        return sim_error(err, SIM_E_USAGE, "bad output directory '%s'",
                         o->outdir);
    memcpy(final, o->outdir, len);
    final[len] = '\0';
    bool replace;
    int rc = check_target(final, o->force, &replace, err);
    if (!rc)
        rc = make_parents(final, err);
    if (rc)
        return rc;
    /* Beside the final directory (one file system): the rename is atomic. */
    const char *slash = strrchr(final, '/');
    int plen = slash ? (int)(slash - final + 1) : 0;
    snprintf(tmp, sizeof tmp, "%.*s.%s.tmp-XXXXXX", plen, final, final + plen);
    if (!mkdtemp(tmp))
        return io_fail(err, "create a temporary directory beside", final);
    if (chmod(tmp, 0755) != 0)
        rc = io_fail(err, "set the permissions of", tmp);
    if (!rc)
        rc = write_file(tmp, o, res, err);
    if (!rc)
        rc = commit(tmp, final, replace, err);
    if (rc)
        remove_compare_dir(tmp);
    return rc;
}
