/* calib_write.c - the files of a calibration's result directory: fit.csv,
 * targets_fit.csv, trace.csv, abc_sample.csv (abc), calibrated.cfg and
 * manifest.cfg, each written into the temporary directory. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calib_impl.h"
#include "csvfmt.h"
#include "experiment_impl.h"
#include <sanctionsim/cluster.h>
#include <sanctionsim/version.h>

/* A number for a CSV field: empty for NaN. */
static void num(FILE *f, double v)
{
    if (isnan(v))
        return;
    fprintf(f, "%.10g", v);
}

static int write_fit(const char *dir, const calib_ctx *c,
                     const sim_calib_result *r, sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, "fit.csv", err);
    if (!f)
        return err->code;
    bool abc = c->c->method == SIM_CALIB_ABC;
    fputs(abc ? "parameter,value,lower,upper,q05,q25,q50,q75,q95\n"
              : "parameter,value,lower,upper\n",
          f);
    for (int i = 0; i < c->c->nparams; i++) {
        const sim_calib_param *p = &c->c->param[i];
        fprintf(f, "%s,%.17g,%.17g,%.17g", p->name, r->x[i], p->lo, p->hi);
        for (int q = 0; abc && q < 5; q++)
            fprintf(f, ",%.17g", r->q[i][q]);
        fputc('\n', f);
    }
    return sim_sweep_close_file(&f, "fit.csv", err);
}

/* A target's status word in targets_fit.csv. */
static const char *target_status(const sim_calib_target_fit *t)
{
    if (t->status)
        return t->status;
    return t->unreachable ? "unreachable" : "fitted";
}

static int write_targets(const char *dir, const calib_ctx *c,
                         const sim_calib_result *r, sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, "targets_fit.csv", err);
    if (!f)
        return err->code;
    fputs("target,quantity,observed,uncertainty,model_mean,q05,q95,in90,"
          "contribution,weight,n,min_mean,max_mean,status\n",
          f);
    for (int t = 0; t < r->ntargets; t++) {
        const sim_calib_target_fit *x = &r->tf[t];
        fprintf(f, "%s,%s,", c->ts.t[t].id, c->ts.t[t].quantity);
        num(f, x->observed);
        fputc(',', f);
        num(f, x->uncertainty);
        double v[] = {x->mean, x->q05, x->q95};
        for (int k = 0; k < 3; k++) {
            fputc(',', f);
            num(f, x->status ? NAN : v[k]);
        }
        fprintf(f, ",%s,", x->in90 < 0 || x->status ? "" : x->in90 ? "yes"
                                                                     : "no");
        num(f, x->contribution);
        fputc(',', f);
        num(f, x->weight);
        fprintf(f, ",%ld,", x->n);
        num(f, x->min_mean);
        fputc(',', f);
        num(f, x->max_mean);
        fprintf(f, ",%s\n", target_status(x));
    }
    return sim_sweep_close_file(&f, "targets_fit.csv", err);
}

/* trace.csv (every evaluation) or abc_sample.csv (the kept draws). */
static int write_rows(const char *dir, const char *name, const calib_ctx *c,
                      const double *rows, long n, bool sample, sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, name, err);
    if (!f)
        return err->code;
    /* a sample's row starts with its draw's number */
    int np = c->c->nparams, w = np + 1 + 2 * sample;
    fputs(sample ? "draw" : "evaluation", f);
    for (int i = 0; i < np; i++)
        fprintf(f, ",%s", c->c->param[i].name);
    fputs(sample ? ",distance,weight\n"
                 : c->c->method == SIM_CALIB_ABC ? ",distance\n"
                                                 : ",objective\n",
          f);
    for (long k = 0; k < n; k++) {
        fprintf(f, "%ld", sample ? (long)rows[k * w] : k);
        for (int i = sample; i < w; i++)
            fprintf(f, ",%.17g", rows[k * w + i]);
        fputc('\n', f);
    }
    return sim_sweep_close_file(&f, name, err);
}

static int write_calibrated(const char *dir, const calib_ctx *c,
                            const sim_calib_result *r,
                            const sim_calib_opts *o, sim_err *err)
{
    char base[SIM_PATH_MAX];
    calib_relative(o->outdir, c->c->scenario, base, sizeof base);
    FILE *f = sim_sweep_open_file(dir, "calibrated.cfg", err);
    if (!f)
        return err->code;
    int rc = calib_write_cfg(f, c->c, r->x, base, err);
    int rc2 = sim_sweep_close_file(&f, "calibrated.cfg", err);
    return rc ? rc : rc2;
}

static int write_manifest(const char *dir, const calib_ctx *c,
                          const sim_calib_result *r, const sim_calib_opts *o,
                          sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, "manifest.cfg", err);
    if (!f)
        return err->code;
    const sim_calib *cal = c->c;
    fprintf(f, "// sanctionsim calibrate: what was run (libconfig syntax)\n"
               "kind = \"calibrate\";\nversion = \"%s\";\ncommand = ",
            SIM_VERSION);
    sim_scenario_print_string(f, o->command_line ? o->command_line : "");
    fputs(";\ncalibration = ", f);
    sim_scenario_print_string(f, cal->file);
    fputs(";\nscenario = ", f);
    sim_scenario_print_string(f, cal->scenario);
    fputs(";\ntargets = ", f);
    sim_scenario_print_string(f, cal->targets);
    fprintf(f, ";\nmethod = \"%s\";\nseed = %" PRIu64 "L;\n"
               "replications = %ld;\n"
               "common_random_numbers = true; // every evaluation: the same "
               "master seed and replications 0..n-1\n"
               "weighting = \"%s\"; // %s\n",
            cal->method == SIM_CALIB_SMM ? "smm" : "abc", cal->seed,
            cal->replications, sim_calib_weighting_name(cal->weighting),
            sim_calib_weighting_text(cal->weighting));
    fprintf(f, "stop = \"%s\";\niterations = %d;\nevaluations = %ld;\n"
               "simulations = %ld;\nobjective = %.17g;\n",
            r->stop ? r->stop : "", r->iterations, r->evaluations,
            r->simulations, r->objective);
    if (cal->method == SIM_CALIB_SMM)
        fprintf(f, "tolerance = %.17g;\nrestarts = %d;\n", cal->tolerance,
                cal->restarts);
    if (cal->method == SIM_CALIB_ABC)
        fprintf(f, "accepted = %ld;\nepsilon = %.17g;\ness = %.17g;\n",
                r->accepted, r->epsilon, r->ess);
    fprintf(f, "targets_used = %d;\nunreachable = %d;\n"
               "elapsed_seconds = %.3f;\n",
            r->nused, r->nunreachable, r->elapsed_seconds);
    if (c->cluster && sim_cluster_size(c->cluster) > 1) /* as a sweep's */
        fprintf(f, "processes = %d;\n", sim_cluster_size(c->cluster));
    /* the result's own files: what --force may replace */
    fprintf(f, "files = [\"fit.csv\", \"targets_fit.csv\", \"trace.csv\", "
               "%s\"calibrated.cfg\", \"manifest.cfg\"];\n",
            cal->method == SIM_CALIB_ABC ? "\"abc_sample.csv\", " : "");
    return sim_sweep_close_file(&f, "manifest.cfg", err);
}

int calib_write_all(const calib_ctx *c, const sim_calib_result *r,
                    const double *sample, long nsample,
                    const sim_calib_opts *o, const char *dir, sim_err *err)
{
    int rc = write_fit(dir, c, r, err);
    if (!rc)
        rc = write_targets(dir, c, r, err);
    if (!rc)
        rc = write_rows(dir, "trace.csv", c, c->trace, c->ntrace, false, err);
    if (!rc && c->c->method == SIM_CALIB_ABC)
        rc = write_rows(dir, "abc_sample.csv", c, sample, nsample, true, err);
    if (!rc)
        rc = write_calibrated(dir, c, r, o, err);
    if (!rc)
        rc = write_manifest(dir, c, r, o, err);
    return rc;
}
