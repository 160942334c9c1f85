/* output_dir.c - the life of a result directory: the checks of its path,
 * DIR.partial (made, locked, reused by --resume or found stale), what
 * --force may replace, and the atomic install of the finished result. */
/* Built with _GNU_SOURCE (CMakeLists.txt): flock, renameat2. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every file a sanctionsim result or DIR.partial holds: what --force may
 * remove from a result whose manifest has no list (an older one) and
 * from a stale DIR.partial. */
static const char *const known_files[] = {
    "runs.csv",        "rounds.csv",      "summary.csv",  "manifest.cfg",
    "scenario.cfg",    SIM_METRICS_FILE,  "journal.bin",  "design.csv",
    "points.csv",      "sensitivity.csv", "sensitivity2.csv",
    "convergence.csv", "morris.csv",      "sweep.bin",    "point",
    "point.partial",   "columns.csv",     "peeling.csv",  "box.csv",
    "compare.csv",     "score.csv"};

static int io_fail(sim_err *err, const char *what, const char *path)
{
    return sim_error(err, SIM_E_IO, "cannot %s %s: %s", what, path,
                     SIM_ERRNO_TEXT(errno ? errno : EIO));
}

static bool known(const char *name, char **list, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(list[i], name))
            return true;
    for (size_t i = 0; n < 0 && i < sizeof known_files / sizeof *known_files;
         i++)
        if (!strcmp(known_files[i], name))
            return true;
    /* score.csv: what `sanctionsim score` writes into the result it
     * scores (by default), part of that result for --force. */
    return !strcmp(name, "manifest.cfg") || !strcmp(name, "score.csv");
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

/* Removes a directory and the files in it, and the folders in it in the
 * same way (a sweep's point/, the only ones made). */
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
            struct stat st;
            if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
                remove_dir(path);
            else
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

static bool dir_nonempty(const char *dir)
{
    DIR *d = opendir(dir);
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

/* The names in dir that are not files of its manifest's list (of
 * known_files without one), space-separated into buf; their number. */
static int foreign_files(const char *dir, char *buf, size_t size)
{
    char **list = NULL;
    int n = -1;
    sim_err ignore = {0};
    if (sim_manifest_files(dir, &list, &n, &ignore) != 0)
        n = -1;
    DIR *d = opendir(dir);
    int found = 0;
    size_t len = 0;
    buf[0] = '\0';
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            known(e->d_name, list, n))
            continue;
        if (len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                    found ? ", " : "", e->d_name);
        found++;
    }
    if (d)
        closedir(d);
    sim_manifest_free_files(list, n);
    return found;
}

int sim_output_check_replaceable(const char *dir, sim_err *err)
{
    if (!is_result_dir(dir))
        return sim_error(err, SIM_E_USAGE,
                         "output directory %s is not empty and is not a "
                         "sanctionsim result (it has no manifest.cfg); "
                         "--force replaces only earlier results, so "
                         "choose another directory with -o",
                         dir);
    char names[600];
    int n = foreign_files(dir, names, sizeof names);
    if (n > 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s holds %d file%s that no sanctionsim run wrote "
                         "(%s): --force replaces only a result's own files, "
                         "so move %s or choose another directory with -o",
                         dir, n, n == 1 ? "" : "s", names,
                         n == 1 ? "it" : "them");
    return 0;
}

int sim_output_remove_result(const char *dir, sim_err *err)
{
    char names[600];
    int n = foreign_files(dir, names, sizeof names);
    if (n > 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s holds %d file%s that no sanctionsim run wrote "
                         "(%s); it is left as it is: move %s away",
                         dir, n, n == 1 ? "" : "s", names,
                         n == 1 ? "it" : "them");
    remove_dir(dir);
    return 0;
}

int sim_output_check_path(const char *dir, sim_err *err)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    const char *base = dir + len;
    while (base > dir && base[-1] != '/')
        base--;
    size_t blen = (size_t)(dir + len - base);
    if (len == 0 || len >= SIM_PATH_MAX - 32)
        return sim_error(err, SIM_E_USAGE, "bad output directory '%s'", dir);
    if (blen == 0 || (blen == 1 && base[0] == '.') ||
        (blen == 2 && base[0] == '.' && base[1] == '.'))
        return sim_error(err, SIM_E_USAGE,
                         "-o %s names no directory of its own (a result is "
                         "installed by renaming a directory into place); "
                         "name a new folder, e.g. %.*s%sresults",
                         dir, (int)len, dir, dir[len - 1] == '/' ? "" : "/");
    char path[SIM_PATH_MAX];
    snprintf(path, sizeof path, "%.*s", (int)len, dir);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        return sim_error(err, SIM_E_USAGE,
                         "-o %s is a symbolic link%s; a result is installed "
                         "by renaming a directory into place, which would "
                         "replace the link: give the directory it points to",
                         path, stat(path, &st) != 0 ? " to nothing" : "");
    /* Each existing ancestor must be a directory. */
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        bool bad = stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
        if (bad)
            return sim_error(err, SIM_E_USAGE,
                             "-o %s: %s is a file, not a directory, so "
                             "nothing can be created under it",
                             dir, path);
        *p = '/';
    }
    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
        return sim_error(err, SIM_E_USAGE,
                         "output path %s exists and is not a directory",
                         path);
    return 0;
}

int sim_output_check_not_input(const char *dir, const char *const *inputs,
                               int n, sim_err *err)
{
    struct stat so, si;
    if (!dir || stat(dir, &so) != 0)
        return 0;
    for (int i = 0; i < n; i++)
        if (stat(inputs[i], &si) == 0 && so.st_dev == si.st_dev &&
            so.st_ino == si.st_ino)
            return sim_error(err, SIM_E_USAGE,
                             "-o %s is a directory this command reads "
                             "(given as %s); choose another with -o",
                             dir, inputs[i]);
    return 0;
}

/* Opens and locks o->tmp_dir; SIM_E_EXISTS if another process holds it. */
static int lock_partial(sim_output *o, sim_err *err)
{
    o->lock_fd = open(o->tmp_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->lock_fd < 0)
        return io_fail(err, "open", o->tmp_dir);
    o->locked = true;
    if (flock(o->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(o->lock_fd);
        o->locked = false;
        if (e == EWOULDBLOCK)
            return sim_error(err, SIM_E_EXISTS,
                             "another sanctionsim is writing %s (%s is in "
                             "use); wait for it or choose another directory "
                             "with -o",
                             o->final_dir, o->tmp_dir);
        errno = e;
        return io_fail(err, "lock", o->tmp_dir);
    }
    return 0;
}

/* True if dir's manifest says the run completed: a whole result left in
 * DIR.partial by a crash during the install. */
static bool completed_result(const char *dir)
{
    char path[SIM_PATH_MAX + 32], buf[1 << 16];
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, "\ncompleted = true;\n") != NULL;
}

/* An existing DIR.partial, locked now: reused for --resume, removed with
 * --force, refused otherwise. */
static int stale_partial(sim_output *o, unsigned flags, sim_err *err)
{
    if (completed_result(o->tmp_dir) && !(flags & SIM_OUTPUT_FORCE))
        return sim_error(err, SIM_E_EXISTS,
                         "%s holds a complete result (its manifest says "
                         "completed), left by a run that stopped while "
                         "installing it or replacing %s: look at both, keep "
                         "one, or run again with --force (which removes %s)",
                         o->tmp_dir, o->final_dir, o->tmp_dir);
    if (flags & SIM_OUTPUT_RESUME) {
        o->resumed = true;
        o->keep = true;
        return 0;
    }
    if (!(flags & SIM_OUTPUT_FORCE) && (flags & SIM_OUTPUT_NO_RESUME))
        return sim_error(err, SIM_E_EXISTS,
                         "%s is left by an interrupted run, which this "
                         "command cannot resume: start again with --force "
                         "(which removes it)",
                         o->tmp_dir);
    if (!(flags & SIM_OUTPUT_FORCE))
        return sim_error(err, SIM_E_EXISTS,
                         "%s holds an interrupted run's results: continue it "
                         "by adding --resume to the same command, or start "
                         "again with --force (which removes it)",
                         o->tmp_dir);
    int rc = sim_output_remove_result(o->tmp_dir, err);
    if (rc)
        return rc;
    o->stale_removed = true;
    if (mkdir(o->tmp_dir, 0777) != 0)
        return io_fail(err, "create directory", o->tmp_dir);
    return 0;
}

/* Checks o->final_dir as it is: empty, absent, or a result that may be
 * replaced. */
static int check_final(sim_output *o, unsigned flags, sim_err *err)
{
    if (!dir_nonempty(o->final_dir))
        return 0;
    struct stat st;
    bool partial = stat(o->tmp_dir, &st) == 0;
    if ((flags & SIM_OUTPUT_RESUME) && !partial)
        return sim_error(err, SIM_E_EXISTS,
                         "nothing to resume: %s is complete and there is no "
                         "%s",
                         o->final_dir, o->tmp_dir);
    if (!(flags & SIM_OUTPUT_FORCE))
        return sim_error(err, SIM_E_EXISTS,
                         "output directory %s exists and is not empty; "
                         "choose another with -o or replace it with "
                         "--force",
                         o->final_dir);
    return sim_output_check_replaceable(o->final_dir, err);
}

int sim_output_open_dir(sim_output *o, const char *dir, unsigned flags,
                        sim_err *err)
{
    memset(o, 0, sizeof *o);
    int rc = sim_output_check_path(dir, err);
    if (rc)
        return rc;
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    memcpy(o->final_dir, dir, len);
    o->final_dir[len] = '\0';
    /* check_path keeps the name 32 bytes short of the limit */
    snprintf(o->tmp_dir, sizeof o->tmp_dir, "%.*s%s",
             (int)(sizeof o->tmp_dir - sizeof SIM_PARTIAL_SUFFIX),
             o->final_dir, SIM_PARTIAL_SUFFIX);
    o->force = (flags & SIM_OUTPUT_FORCE) != 0;
    if ((rc = check_final(o, flags, err)) || (rc = make_parents(o->final_dir,
                                                                err))) {
        o->tmp_dir[0] = '\0';
        return rc;
    }
    bool made = mkdir(o->tmp_dir, 0777) == 0;
    if (!made && errno != EEXIST) {
        rc = io_fail(err, "create directory", o->tmp_dir);
        o->tmp_dir[0] = '\0';
        return rc;
    }
    /* Ours from here on: locked, unless another run holds it. */
    if ((rc = lock_partial(o, err))) {
        if (made)
            rmdir(o->tmp_dir);
        o->tmp_dir[0] = '\0';
        return rc;
    }
    if (!made && (rc = stale_partial(o, flags, err))) {
        o->keep = true; /* an interrupted run's: not ours to remove */
        sim_output_abort(o);
        return rc;
    }
    return 0;
}

/* Moves the old result at o->final_dir out of the way of the new one and
 * the new one in: a swap where the file system can, else via DIR.old. */
static int swap_in(sim_output *o, sim_err *err)
{
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, o->tmp_dir, AT_FDCWD, o->final_dir,
                  RENAME_EXCHANGE) == 0) {
        remove_dir(o->tmp_dir); /* the old result, checked at the open */
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS)
        return io_fail(err, "install the results in", o->final_dir);
#endif
    char old[SIM_PATH_MAX + 16];
    snprintf(old, sizeof old, "%s.old", o->final_dir);
    remove_dir(old); /* a crash's leftover */
    if (rename(o->final_dir, old) != 0)
        return io_fail(err, "move aside the old", o->final_dir);
    if (rename(o->tmp_dir, o->final_dir) != 0) {
        int rc;
        rc = io_fail(err, "rename the results into", o->final_dir);
        rename(old, o->final_dir); /* the old result back in place */
        return rc;
    }
    remove_dir(old);
    return 0;
}

int sim_output_install(sim_output *o, sim_err *err)
{
    int rc;
    bool full = dir_nonempty(o->final_dir);
    if (full && (!o->force || !is_result_dir(o->final_dir))) {
        /* Someone else wrote there since we checked: keep both. */
        rc = sim_error(err, SIM_E_IO,
                       "%s was filled by another run while this one "
                       "worked; this run's complete results are kept in "
                       "%s",
                       o->final_dir, o->tmp_dir);
        o->keep = true;
        sim_output_abort(o);
        return rc;
    }
    /* An empty directory is replaced by rename itself. */
    if (full)
        rc = swap_in(o, err);
    else if (rename(o->tmp_dir, o->final_dir) != 0)
        rc = io_fail(err, "rename the results into", o->final_dir);
    else
        rc = 0;
    if (rc) {
        sim_output_abort(o);
        return rc;
    }
    o->tmp_dir[0] = '\0';
    sim_output_abort(o); /* closes the lock */
    return 0;
}

void sim_output_abort(sim_output *o)
{
    if (o->runs)
        fclose(o->runs);
    if (o->rounds)
        fclose(o->rounds);
    o->runs = o->rounds = NULL;
    if (o->tmp_dir[0] && !o->keep)
        remove_dir(o->tmp_dir);
    o->tmp_dir[0] = '\0';
    if (o->locked)
        close(o->lock_fd);
    o->locked = false;
}

void sim_output_suspend(sim_output *o)
{
    if (o->runs)
        fflush(o->runs);
    if (o->rounds)
        fflush(o->rounds);
    o->keep = true;
    sim_output_abort(o);
}
