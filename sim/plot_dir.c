/* plot_dir.c - the directory `plot` writes its pictures into, by the rules
 * of a result directory (output_dir.c): -o checked before any drawing,
 * the files made in DIR.partial, a manifest listing them (what --force
 * may replace later), the atomic install (plot.h). */
#include <sanctionsim/plot.h>

#include "manifest.h"
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct sim_plot_outdir {
    sim_output out;
};

int sim_plot_outdir_open(sim_plot_outdir **d, const char *dir, bool force,
                         const char *const *inputs, int ninputs, sim_err *err)
{
    *d = NULL;
    int rc = sim_output_check_not_input(dir, inputs, ninputs, err);
    if (rc)
        return rc;
    *d = calloc(1, sizeof **d);
    if (!*d)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    rc = sim_output_open_dir(&(*d)->out, dir,
                                 SIM_OUTPUT_NO_RESUME |
                                     (force ? SIM_OUTPUT_FORCE : 0),
                                 err);
    if (rc) {
        free(*d);
        *d = NULL;
    }
    return rc;
}

const char *sim_plot_outdir_path(const sim_plot_outdir *d)
{
    return d->out.tmp_dir;
}

/* The names of the files in dir (but manifest.cfg), sorted, into a
 * malloc'ed array *names[0..*n). */
static int list_files(const char *dir, char ***names, int *n, sim_err *err)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return sim_error(err, SIM_E_IO, "cannot read %s: %s", dir,
                         SIM_ERRNO_TEXT(errno));
    int cap = 0, rc = 0;
    const struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "manifest.cfg"))
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **more = realloc(*names, (size_t)cap * sizeof *more);
            if (!more) {
                rc = sim_error(err, SIM_E_NOMEM, "out of memory");
                break;
            }
            *names = more;
        }
        if (!((*names)[*n] = strdup(e->d_name))) {
            rc = sim_error(err, SIM_E_NOMEM, "out of memory");
            break;
        }
        (*n)++;
    }
    closedir(d);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes manifest.cfg into dir, listing names[0..n) and itself. */
static int write_manifest(const char *dir, char **names, int n,
                          const char *command, sim_err *err)
{
    char path[SIM_PATH_MAX + 32], now[32];
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return sim_error(err, SIM_E_IO, "cannot create %s: %s", path,
                         SIM_ERRNO_TEXT(errno));
    names[n] = "manifest.cfg";
    fprintf(f, "# sanctionsim plot: pictures and the gnuplot script "
               "(plot.gp) that draws them.\n%s: how and when it ran.\n",
            SIM_MANIFEST_RUN_MARK);
    sim_manifest_write_common(f, (const char *const *)names, n + 1, NULL);
    sim_manifest_now(now);
    fprintf(f, "run = {\n  command = ");
    sim_scenario_print_string(f, command ? command : "");
    fprintf(f, ";\n");
    sim_manifest_write_build(f);
    fprintf(f, "  time = \"%s\";\n};\n", now);
    if (ferror(f) | (fclose(f) != 0))
        return sim_error(err, SIM_E_IO, "cannot write %s: %s", path,
                         SIM_ERRNO_TEXT(errno ? errno : EIO));
    return 0;
}

int sim_plot_outdir_install(sim_plot_outdir *d, const char *command,
                            sim_err *err)
{
    char **names = NULL;
    int n = 0;
    int rc = list_files(d->out.tmp_dir, &names, &n, err);
    if (!rc) {
        /* room for manifest.cfg at the end */
        char **all = realloc(names, (size_t)(n + 1) * sizeof *all);
        if (all) {
            names = all;
            qsort(all, (size_t)n, sizeof *all, by_name);
            rc = write_manifest(d->out.tmp_dir, all, n, command, err);
        } else {
            rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        }
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!rc)
        rc = sim_output_install(&d->out, err);
    sim_plot_outdir_abort(d);
    return rc;
}

void sim_plot_outdir_abort(sim_plot_outdir *d)
{
    if (!d)
        return;
    sim_output_abort(&d->out); /* a no-op once installed */
    free(d);
}
