/* discover_write.c - the files of `discover`: peeling.csv (the trajectory),
 * box.csv (the chosen box, factor by factor) and manifest.cfg (what was
 * asked and what was found), written into a temporary directory and
 * renamed into place as result directories are (output.h). */
#include "discover_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "manifest.h"
#include "output.h"
#include <sanctionsim/scenario.h>
#include <sanctionsim/version.h>

/* The columns other tools read (`sanctionsim plot`): fixed. */
static const char peeling_header[] = "step,coverage,density,mass,n_points\n";
static const char box_header[] = "factor,lower,upper,restricted,p_value\n";

static int write_fail(const char *path, sim_err *err)
{
    return sim_error(err, SIM_E_IO, "cannot write %s: %s", path,
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

/* ",number": %.15g, empty when not finite, 0 for -0. */
static void put_num(FILE *f, double v)
{
    fputc(',', f);
    if (isfinite(v))
        fprintf(f, "%.15g", v == 0 ? 0.0 : v);
}

/* Opens tmp/name for writing into *f; path gets the file's path. */
static int open_file(const char *tmp, const char *name, char *path,
                     size_t size, FILE **f, sim_err *err)
{
    snprintf(path, size, "%s/%s", tmp, name);
    *f = fopen(path, "w");
    if (!*f)
        return sim_error(err, SIM_E_IO, "cannot create %s: %s", path,
                         SIM_ERRNO_TEXT(errno ? errno : EIO));
    return 0;
}

static int close_file(FILE *f, const char *path, sim_err *err)
{
    errno = 0;
    if (ferror(f) | (fclose(f) != 0))
        return write_fail(path, err);
    return 0;
}

static int write_peeling(const char *tmp, const sim_prim_traj *t,
                         sim_err *err)
{
    char path[SIM_PATH_MAX + 64];
    FILE *f;
    int rc = open_file(tmp, "peeling.csv", path, sizeof path, &f, err);
    if (rc)
        return rc;
    fputs(peeling_header, f);
    for (int s = 0; s < t->nsteps; s++) {
        fprintf(f, "%d", s);
        put_num(f, t->coverage[s]);
        put_num(f, t->density[s]);
        put_num(f, t->mass[s]);
        fprintf(f, ",%zu\n", t->n_in[s]);
    }
    return close_file(f, path, err);
}

static int write_box(const char *tmp, const sim_discover_result *res,
                     sim_err *err)
{
    char path[SIM_PATH_MAX + 64];
    FILE *f;
    int rc = open_file(tmp, "box.csv", path, sizeof path, &f, err);
    if (rc)
        return rc;
    fputs(box_header, f);
    const sim_prim_box *b = &res->box;
    for (int j = 0; j < res->k; j++) {
        put_text(f, res->factor[j]);
        put_num(f, b->lower[j]);
        put_num(f, b->upper[j]);
        fputs(b->restricted[j] ? ",true" : ",false", f);
        put_num(f, b->p_value[j]);
        fputc('\n', f);
    }
    return close_file(f, path, err);
}

static int write_manifest(const char *tmp, const sim_discover_opts *o,
                          const sim_discover_result *res, double alpha,
                          double support, sim_err *err)
{
    char path[SIM_PATH_MAX + 64], now[32];
    FILE *f;
    int rc = open_file(tmp, "manifest.cfg", path, sizeof path, &f, err);
    if (rc)
        return rc;
    const sim_prim_box *b = &res->box;
    fprintf(f, "# sanctionsim discover: scenario discovery by PRIM in a "
               "sweep's runs\n# (docs/EXPERIMENTS.md, \"Scenario "
               "discovery\").\nversion = \"%s\";\ndiscover = {\n  sweep = ",
            sim_version());
    sim_scenario_print_string(f, o->sweep_dir);
    fprintf(f, ";\n  where = ");
    sim_scenario_print_string(f, o->where);
    fprintf(f,
            ";\n  alpha = %.15g;\n  min_support = %.15g;\n  paste = %s;\n"
            "  points = %zu;\n  runs = %zu;\n  runs_with_outcome = %zu;\n"
            "  steps = %d;\n  step = %d;\n  knee = %s;\n  clear_knee = %s;\n",
            alpha, support, o->paste ? "true" : "false", res->n_points,
            res->n_cases, res->n_pos, res->traj.nsteps, res->step,
            res->knee ? "true" : "false",
            res->knee_clear ? "true" : "false");
    fprintf(f,
            "  box = { coverage = %.15g; density = %.15g; mass = %.15g;\n"
            "          runs = %zu; points = %zu; };\n};\n",
            b->coverage, b->density, b->mass, b->n_in, res->box_points);
    sim_manifest_now(now);
    fprintf(f, "%s\n", SIM_MANIFEST_RUN_MARK);
    static const char *const files[] = {"peeling.csv", "box.csv",
                                        "manifest.cfg"};
    sim_manifest_write_common(f, files, 3, NULL);
    fprintf(f, "run = {\n  command = ");
    sim_scenario_print_string(f, o->command_line ? o->command_line : "");
    fprintf(f, ";\n  time = \"%s\";\n};\n", now);
    return close_file(f, path, err);
}

int sim_discover_write(const sim_discover_opts *o,
                       const sim_discover_result *res, double alpha,
                       double min_support, sim_output *out, sim_err *err)
{
    int rc = write_peeling(out->tmp_dir, &res->traj, err);
    if (!rc)
        rc = write_box(out->tmp_dir, res, err);
    if (!rc)
        rc = write_manifest(out->tmp_dir, o, res, alpha, min_support, err);
    if (!rc)
        rc = sim_output_install(out, err);
    return rc;
}
