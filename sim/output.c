/* output.c - the result directory: a temporary directory filled with the
 * result files and renamed into place when complete. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int io_fail(sim_err *err, const char *what, const char *path)
{
    return sim_error(err, SIM_E_IO, "cannot %s %s: %s", what, path,
                     SIM_ERRNO_TEXT(errno ? errno : EIO));
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

/* Removes a directory and the files in it (no subdirectories are made). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[SIM_PATH_MAX + 300];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

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

/* True if dir holds a manifest.cfg, i.e. is an earlier result. */
static bool is_result_dir(const char *dir)
{
    char path[SIM_PATH_MAX + 32];
    struct stat st;
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static FILE *open_in(const sim_output *o, const char *name, sim_err *err)
{
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", o->tmp_dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        io_fail(err, "create", path);
    return f;
}

static int check_write(FILE *f, const char *what, sim_err *err)
{
    if (ferror(f))
        return sim_error(err, SIM_E_IO, "cannot write %s: %s", what,
                         SIM_ERRNO_TEXT(errno ? errno : EIO));
    return 0;
}

int sim_output_open_dir(sim_output *o, const char *dir, bool force,
                        sim_err *err)
{
    memset(o, 0, sizeof *o);
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if (len == 0 || len >= sizeof o->final_dir - 32)
        return sim_error(err, SIM_E_USAGE, "bad output directory '%s'", dir);
    memcpy(o->final_dir, dir, len);
    o->final_dir[len] = '\0';

    bool exists;
    struct stat st;
    o->force = force;
    if (stat(o->final_dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return sim_error(err, SIM_E_USAGE,
                         "output path %s exists and is not a directory",
                         o->final_dir);
    if (dir_nonempty(o->final_dir, &exists)) {
        if (!force)
            return sim_error(err, SIM_E_EXISTS,
                             "output directory %s exists and is not empty; "
                             "choose another with -o or replace it with "
                             "--force",
                             o->final_dir);
        if (!is_result_dir(o->final_dir))
            return sim_error(err, SIM_E_USAGE,
                             "output directory %s is not empty and is not a "
                             "sanctionsim result (it has no manifest.cfg); "
                             "--force replaces only earlier results, so "
                             "choose another directory with -o",
                             o->final_dir);
    }
    int rc = make_parents(o->final_dir, err);
    if (rc)
        return rc;
    /* The temporary directory sits beside the final one (same file
     * system), so the final rename is atomic. */
    const char *slash = strrchr(o->final_dir, '/');
    int plen = slash ? (int)(slash - o->final_dir + 1) : 0;
    if ((size_t)snprintf(o->tmp_dir, sizeof o->tmp_dir, "%.*s.%s.tmp-XXXXXX",
                         plen, o->final_dir,
                         o->final_dir + plen) >= sizeof o->tmp_dir) {
        o->tmp_dir[0] = '\0';
        return sim_error(err, SIM_E_USAGE, "output path too long: %s", dir);
    }
    if (!mkdtemp(o->tmp_dir)) {
        rc = io_fail(err, "create a temporary directory beside", o->final_dir);
        o->tmp_dir[0] = '\0';
        return rc;
    }
    /* mkdtemp makes the directory private (0700); results are meant to be
     * shared, as any directory mkdir would make. */
    if (chmod(o->tmp_dir, 0755) != 0) {
        rc = io_fail(err, "set the permissions of", o->tmp_dir);
        sim_output_abort(o);
        return rc;
    }
    return 0;
}

int sim_output_open(sim_output *o, const sim_scenario *sc, const char *dir,
                    bool force, bool trace, sim_err *err)
{
    int rc = sim_output_open_dir(o, dir, force, err);
    if (rc)
        return rc;
    o->sc = sc;
    o->ncols = sim_columns_list(sc, o->cols);
    if (!(o->runs = open_in(o, "runs.csv", err)) ||
        (trace && !(o->rounds = open_in(o, "rounds.csv", err)))) {
        sim_output_abort(o);
        return SIM_E_IO;
    }
    sim_columns_write_runs_header(o->runs, o->cols, o->ncols);
    if ((rc = check_write(o->runs, "runs.csv", err))) {
        sim_output_abort(o);
        return rc;
    }
    if (o->rounds) {
        sim_columns_write_rounds_header(o->rounds);
        if ((rc = check_write(o->rounds, "rounds.csv", err))) {
            sim_output_abort(o);
            return rc;
        }
    }
    return 0;
}

int sim_output_run(sim_output *o, const sim_rep_result *r, sim_err *err)
{
    sim_columns_write_run(o->runs, o->cols, o->ncols, r);
    return check_write(o->runs, "runs.csv", err);
}

/* Writes buf[0..n) to f (the file `what`); fails if any of it, or
 * anything written to f before, was not written. */
static int write_all(FILE *f, const char *buf, size_t n, const char *what,
                     sim_err *err)
{
    if (n && fwrite(buf, 1, n, f) != n)
        return sim_error(err, SIM_E_IO, "cannot write %s: %s", what,
                         SIM_ERRNO_TEXT(errno ? errno : EIO));
    return check_write(f, what, err);
}

int sim_output_append(sim_output *o, const char *runs, size_t nruns,
                      const char *rounds, size_t nrounds, sim_err *err)
{
    int rc = write_all(o->runs, runs, nruns, "runs.csv", err);
    if (!rc && o->rounds)
        rc = write_all(o->rounds, rounds, nrounds, "rounds.csv", err);
    return rc;
}

int sim_output_round(void *ctx, const sim_round_record *r, sim_err *err)
{
    sim_output *o = ctx;
    sim_columns_write_round(o->rounds, &o->rounds_memo, o->sc, r);
    return check_write(o->rounds, "rounds.csv", err);
}

int sim_output_summary(sim_output *o, const sim_summary *rows, int n,
                       sim_err *err)
{
    FILE *f = open_in(o, "summary.csv", err);
    if (!f)
        return SIM_E_IO;
    int rc = sim_stats_write_header(f, err);
    for (int i = 0; i < n && !rc; i++)
        rc = sim_stats_write_row(f, &rows[i], err);
    if (fclose(f) != 0 && !rc)
        rc = io_fail(err, "write", "summary.csv");
    return rc;
}

static int close_file(FILE **f, const char *name, sim_err *err)
{
    int rc = 0;
    if (*f) {
        if (ferror(*f) | (fclose(*f) != 0))
            rc = sim_error(err, SIM_E_IO, "cannot write %s: %s", name,
                           SIM_ERRNO_TEXT(errno ? errno : EIO));
        *f = NULL;
    }
    return rc;
}

int sim_output_commit(sim_output *o, const sim_manifest *m, sim_err *err)
{
    int rc = close_file(&o->runs, "runs.csv", err);
    if (!rc)
        rc = close_file(&o->rounds, "rounds.csv", err);
    FILE *f = rc ? NULL : open_in(o, "manifest.cfg", err);
    if (!rc && !f)
        rc = SIM_E_IO;
    if (!rc) {
        sim_manifest_write(f, m, o->sc);
        rc = close_file(&f, "manifest.cfg", err);
    }
    if (!rc && !(f = open_in(o, "scenario.cfg", err)))
        rc = SIM_E_IO;
    if (!rc) {
        sim_manifest_write_scenario(f, o->sc);
        rc = close_file(&f, "scenario.cfg", err);
    }
    if (!rc && !(f = open_in(o, "columns.csv", err)))
        rc = SIM_E_IO;
    if (!rc) {
        sim_columns_write_dictionary(f, o->cols, o->ncols, o->sc);
        rc = close_file(&f, "columns.csv", err);
    }
    if (rc) {
        sim_output_abort(o);
        return rc;
    }
    return sim_output_install(o, err);
}

int sim_output_install(sim_output *o, sim_err *err)
{
    int rc;
    /* Replace: move an old result aside, move the new one in, then drop
     * the old one, so that a crash leaves one complete result in place. */
    char old[SIM_PATH_MAX + 16] = "";
    bool exists;
    bool full = dir_nonempty(o->final_dir, &exists);
    if (full && (!o->force || !is_result_dir(o->final_dir))) {
        /* Someone else wrote there since we checked: keep both. */
        rc = sim_error(err, SIM_E_IO,
                       "%s was filled by another run while this one "
                       "worked; this run's complete results are kept in "
                       "%s",
                       o->final_dir, o->tmp_dir);
        o->tmp_dir[0] = '\0';
        return rc;
    }
    /* An empty directory is replaced by rename itself. */
    exists = full;
    if (exists) {
        snprintf(old, sizeof old, "%s.old-XXXXXX", o->tmp_dir);
        if (!mkdtemp(old) || rename(o->final_dir, old) != 0) {
            rc = io_fail(err, "move aside the old", o->final_dir);
            if (old[0])
                rmdir(old);
            sim_output_abort(o);
            return rc;
        }
    }
    if (rename(o->tmp_dir, o->final_dir) != 0) {
        rc = io_fail(err, "rename the results into", o->final_dir);
        if (exists)
            rename(old, o->final_dir);
        sim_output_abort(o);
        return rc;
    }
    o->tmp_dir[0] = '\0';
    if (exists)
        remove_dir(old);
    return 0;
}

void sim_output_abort(sim_output *o)
{
    if (o->runs)
        fclose(o->runs);
    if (o->rounds)
        fclose(o->rounds);
    o->runs = o->rounds = NULL;
    if (o->tmp_dir[0])
        remove_dir(o->tmp_dir);
    o->tmp_dir[0] = '\0';
}
