/* discover_run.c - `sanctionsim discover`: a sweep's runs as cases, PRIM's
 * peeling trajectory over its factors, the box of the chosen step (the
 * knee unless one is given, pasted if asked) with the significance of each
 * restriction, and the files. */
#include "discover_impl.h"
#include "output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void sim_discover_result_free(sim_discover_result *res)
{
    free(res->factor);
    sim_prim_traj_free(&res->traj);
    sim_prim_box_free(&res->box);
    memset(res, 0, sizeof *res);
}

/* Whether a and b (a may be NULL) name one existing directory: --force
 * must not replace the sweep with its own discovery. */
static bool same_dir(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The outcome must happen in some runs and not in all: else there is no
 * box to find. */
static int check_outcome(const sim_discover_opts *o, const disc_sweep *s,
                         size_t n_pos, sim_err *err)
{
    if (n_pos == 0)
        return sim_error(err, SIM_E_USAGE,
                         "the outcome '%s' happens in none of the %zu runs of "
                         "%s: there is nothing to discover (a threshold "
                         "too far, or a column that is always empty?)",
                         o->where, s->ncases, o->sweep_dir);
    if (n_pos == s->ncases)
        return sim_error(err, SIM_E_USAGE,
                         "the outcome '%s' happens in every one of the %zu "
                         "runs of %s: every box holds it; there is nothing "
                         "to discover",
                         o->where, s->ncases, o->sweep_dir);
    return 0;
}

/* The points of design.csv inside the box. */
static size_t points_inside(const disc_sweep *s, const sim_prim_box *b)
{
    size_t n = 0, k = (size_t)s->k;
    for (size_t p = 0; p < s->npoints; p++) {
        bool in = true;
        for (size_t j = 0; j < k && in; j++) {
            double v = s->design[p * k + j];
            in = v >= b->lower[j] && v <= b->upper[j];
        }
        n += in;
    }
    return n;
}

/* The chosen step's box, pasted if asked, evaluated. */
static int choose_box(const sim_discover_opts *o, const disc_sweep *s,
                      double alpha, sim_discover_result *res, sim_err *err)
{
    const sim_prim_traj *t = &res->traj;
    if (o->step >= t->nsteps)
        return sim_error(err, SIM_E_USAGE,
                         "step %d is beyond the peeling trajectory, which has "
                         "steps 0 to %d",
                         o->step, t->nsteps - 1);
    res->knee = o->step < 0;
    res->step = res->knee ? sim_prim_knee(t, &res->knee_clear) : o->step;
    size_t k = (size_t)s->k;
    double *lo = malloc(2 * k * sizeof *lo);
    if (!lo)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    double *hi = lo + k;
    memcpy(lo, t->lower + (size_t)res->step * k, k * sizeof *lo);
    memcpy(hi, t->upper + (size_t)res->step * k, k * sizeof *hi);
    sim_prim_data d = {s->x, s->y, s->ncases, s->k};
    int rc = o->paste ? sim_prim_paste(&d, alpha, lo, hi, err) : 0;
    if (!rc)
        rc = sim_prim_box_eval(&d, lo, hi, t->min, t->max, &res->box, err);
    free(lo);
    return rc;
}

int sim_discover_run(const sim_discover_opts *o, sim_discover_result *res,
                     sim_err *err)
{
    memset(res, 0, sizeof *res);
    double alpha = o->alpha == 0 ? SIM_PRIM_ALPHA : o->alpha;
    double support = o->min_support < 0 ? SIM_PRIM_MIN_SUPPORT
                                         : o->min_support;
    if (!(alpha > 0 && alpha < 0.5))
        return sim_error(err, SIM_E_USAGE,
                         "alpha is %g; it is the share of the box one peel "
                         "removes: above 0 and below 0.5 (default %g)",
                         alpha, SIM_PRIM_ALPHA);
    if (!(support >= 0 && support < 1))
        return sim_error(err, SIM_E_USAGE,
                         "the minimum support is %g; it is the smallest box "
                         "as a share of the runs: at least 0 and below 1 "
                         "(default %g)",
                         support, SIM_PRIM_MIN_SUPPORT);
    if (!o->sweep_dir || !o->where)
        return sim_error(err, SIM_E_USAGE,
                         "discover needs a sweep directory and an outcome");
    if (same_dir(o->outdir, o->sweep_dir))
        return sim_error(err, SIM_E_USAGE,
                         "the output directory %s is the sweep itself; "
                         "choose another with -o",
                         o->outdir);
    /* -o is checked, and DIR.partial made, before the work */
    sim_output out;
    int rc = o->outdir ? sim_output_open_dir(&out, o->outdir,
                                             SIM_OUTPUT_NO_RESUME |
                                                 (o->force ? SIM_OUTPUT_FORCE
                                                           : 0),
                                             err)
                       : 0;
    if (rc)
        return rc;
    disc_sweep s;
    rc = sim_discover_load(o->sweep_dir, o->where, &s, err);
    if (rc) {
        if (o->outdir)
            sim_output_abort(&out);
        return rc;
    }
    sim_prim_data d = {s.x, s.y, s.ncases, s.k};
    size_t n_pos = 0;
    for (size_t i = 0; i < s.ncases; i++)
        n_pos += s.y[i];
    rc = check_outcome(o, &s, n_pos, err);
    if (!rc)
        rc = sim_prim_peel(&d, alpha, support, &res->traj, err);
    if (!rc)
        rc = choose_box(o, &s, alpha, res, err);
    if (!rc) {
        res->k = s.k;
        res->factor = s.factor;
        s.factor = NULL; /* now the result's */
        res->n_points = s.npoints;
        res->n_cases = s.ncases;
        res->n_pos = n_pos;
        res->box_points = points_inside(&s, &res->box);
    }
    if (!rc && o->outdir)
        rc = sim_discover_write(o, res, alpha, support, &out, err);
    if (o->outdir)
        sim_output_abort(&out); /* a no-op once installed */
    sim_discover_sweep_free(&s);
    if (rc)
        sim_discover_result_free(res);
    return rc;
}
