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

static FILE *open_in(const sim_output *o, const char *name, const char *mode,
                     sim_err *err)
{
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", o->tmp_dir, name);
    FILE *f = fopen(path, mode);
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

int sim_output_open(sim_output *o, const sim_scenario *sc, const char *dir,
                    unsigned flags, bool trace, sim_err *err)
{
    int rc = sim_output_open_dir(o, dir, flags, err);
    if (rc)
        return rc;
    o->sc = sc;
    o->ncols = sim_columns_list(sc, o->cols);
    if (o->resumed)
        return 0; /* the batch recovers the files first */
    return sim_output_reopen(o, trace, true, err);
}

int sim_output_reopen(sim_output *o, bool trace, bool fresh, sim_err *err)
{
    int rc;
    const char *mode = fresh ? "w" : "a";
    if (!(o->runs = open_in(o, "runs.csv", mode, err)) ||
        (trace && !(o->rounds = open_in(o, "rounds.csv", mode, err)))) {
        sim_output_abort(o);
        return SIM_E_IO;
    }
    if (!fresh) {
        o->runs_len = ftell(o->runs);
        o->rounds_len = o->rounds ? ftell(o->rounds) : 0;
        return 0;
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
    o->runs_len = ftell(o->runs);
    o->rounds_len = o->rounds ? ftell(o->rounds) : 0;
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
    FILE *f = open_in(o, "summary.csv", "w", err);
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

int sim_output_write_manifest(sim_output *o, const sim_manifest *m,
                              sim_err *err)
{
    FILE *f = open_in(o, "manifest.cfg.new", "w", err);
    if (!f)
        return SIM_E_IO;
    sim_manifest_write(f, m, o->sc);
    int rc = close_file(&f, "manifest.cfg", err);
    char from[SIM_PATH_MAX + 32], to[SIM_PATH_MAX + 32];
    snprintf(from, sizeof from, "%s/manifest.cfg.new", o->tmp_dir);
    snprintf(to, sizeof to, "%s/manifest.cfg", o->tmp_dir);
    if (!rc && rename(from, to) != 0)
        rc = io_fail(err, "write", to);
    if (rc)
        unlink(from);
    return rc;
}

int sim_output_commit(sim_output *o, const sim_manifest *m, sim_err *err)
{
    int rc = close_file(&o->runs, "runs.csv", err);
    if (!rc)
        rc = close_file(&o->rounds, "rounds.csv", err);
    if (!rc)
        rc = sim_output_write_manifest(o, m, err);
    FILE *f = NULL;
    if (!rc && !(f = open_in(o, "scenario.cfg", "w", err)))
        rc = SIM_E_IO;
    if (!rc) {
        sim_manifest_write_scenario(f, o->sc);
        rc = close_file(&f, "scenario.cfg", err);
    }
    if (!rc && !(f = open_in(o, "columns.csv", "w", err)))
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

