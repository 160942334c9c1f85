/* calibrate.c - `sanctionsim calibrate CALIBRATION.cfg`: parses its
 * options, prints what it will do and the fit at the end, with every
 * target the model could not reach; the work is the library's
 * (sim_calib_run, calibrate.h). */
#include "cliopt.h"
#include "calibrate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanctionsim/batch.h>
#include <sanctionsim/calibrate.h>
#include <sanctionsim/models.h>
#include <sanctionsim/suggest.h>

const char *const calibrate_usage =
    "usage: sanctionsim calibrate CALIBRATION.cfg [-o DIR] [--threads N]\n"
    "                             [--force] [--quiet]\n"
    "\n"
    "Fits scenario keys to the dated observations of a targets file\n"
    "(docs/VALIDATION.md): simulated method of moments (Nelder-Mead on the\n"
    "weighted distance of the model's means from the observations) or\n"
    "approximate Bayesian computation by rejection. Every evaluation runs\n"
    "the file's replications in memory under one master seed (common\n"
    "random numbers). Writes fit.csv, targets_fit.csv, trace.csv,\n"
    "calibrated.cfg (a scenario `run` takes), manifest.cfg and, for abc,\n"
    "abc_sample.csv into DIR. Under `mpirun -np N` (the MPI build) each\n"
    "evaluation's replications are spread over the N ranks, with the same\n"
    "files.\n"
    "\n"
    "  -o, --output DIR   result directory (default: results/<file name>)\n"
    "  --threads N        run each evaluation's replications on N threads\n"
    "                     (default: the number of cores); the results are\n"
    "                     the same for every N\n"
    "  --force            replace DIR if it holds an earlier result\n"
    "  -q, --quiet        print nothing but errors and warnings\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 ok, 2 usage or input error, 1 failure at run time.\n";

typedef struct calib_cli {
    const char *file, *outdir;
    bool force, quiet, help;
    int threads;
} calib_cli;

static int parse(int argc, char **argv, calib_cli *c, sim_err *err)
{
    static const char *const opts[] = {"--output", "--force", "--quiet",
                                       "--help", "--threads"};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            c->help = true;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc || !argv[i + 1][0])
                return sim_error(err, SIM_E_USAGE, "-o needs a directory");
            c->outdir = argv[++i];
        } else if (!strcmp(a, "--threads")) {
            int rc = cli_threads(i + 1 < argc ? argv[i + 1] : NULL,
                                 &c->threads, err);
            if (rc)
                return rc;
            i++;
        } else if (!strcmp(a, "--force")) {
            c->force = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            c->quiet = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_unknown_option("calibrate", a, opts,
                                      (int)(sizeof opts / sizeof *opts), err);
        } else if (!c->file) {
            c->file = a;
        } else {
            return sim_error(err, SIM_E_USAGE, "unexpected argument '%s'", a);
        }
    }
    return 0;
}

static void print_fit(const sim_calib *c, const sim_calib_result *r)
{
    bool abc = c->method == SIM_CALIB_ABC;
    printf("\n  %-32s %14s %14s %14s", "parameter", abc ? "post. mean" : "fit",
           "lower", "upper");
    printf(abc ? " %14s %14s\n" : "\n", "q05", "q95");
    for (int i = 0; i < c->nparams; i++) {
        printf("  %-32s %14.6g %14.6g %14.6g", c->param[i].name, r->x[i],
               c->param[i].lo, c->param[i].hi);
        if (abc)
            printf(" %14.6g %14.6g", r->q[i][0], r->q[i][4]);
        putchar('\n');
    }
    if (abc)
        printf("\n  accepted %ld of %ld draws (epsilon %.4g), effective "
               "sample size %.1f\n",
               r->accepted, r->evaluations, r->epsilon, r->ess);
    else
        printf("\n  objective %.6g after %d iterations, %ld evaluations "
               "(stopped on %s)\n",
               r->objective, r->iterations, r->evaluations, r->stop);
    int in90 = 0;
    for (int t = 0; t < r->ntargets; t++)
        in90 += !r->tf[t].status && r->tf[t].in90 == 1;
    printf("  weighting: %s\n"
           "  %d of %d targets used; %d observed within the model's 90 %% "
           "interval at the fit\n",
           sim_calib_weighting_text(c->weighting), r->nused, r->ntargets,
           in90);
}

/* Every target the model could not reach, or outside the run. */
static void warn_targets(const sim_calib *c, const sim_calib_result *r)
{
    for (int t = 0; t < r->ntargets; t++) {
        const sim_calib_target_fit *f = &r->tf[t];
        if (f->status)
            fprintf(stderr,
                    "sanctionsim: warning: %s:%d: observation '%s' is not "
                    "used: %s the scenario's rounds\n",
                    c->targets, f->line, f->id,
                    !strcmp(f->status, "before_start") ? "before"
                    : !strcmp(f->status, "after_end") ? "after"
                                                       : "partly outside");
        else if (f->unreachable)
            fprintf(stderr,
                    "sanctionsim: warning: %s:%d: observation '%s' = %g is "
                    "not reached: the model's mean stayed within [%g, %g] "
                    "over every evaluation\n",
                    c->targets, f->line, f->id, f->observed, f->min_mean,
                    f->max_mean);
    }
}

static void default_dir(const char *file, char *dir, size_t size)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    snprintf(dir, size, "results/%.*s", (int)strcspn(base, "."), base);
}

static int run(const calib_cli *cl, sim_calib *c, int argc, char **argv,
               const atomic_int *cancel, const sim_cluster *cluster,
               sim_err *err)
{
    int rc = sim_calib_load(c, cl->file, err);
    rc = cli_agree_setup(cluster, rc, err);
    if (rc)
        return rc;
    char dir[SIM_PATH_MAX], command[4096];
    if (cl->outdir)
        snprintf(dir, sizeof dir, "%s", cl->outdir);
    else
        default_dir(cl->file, dir, sizeof dir);
    cli_command_line(argc, argv, command, sizeof command);
    if (!cl->quiet) {
        printf("sanctionsim calibrate: %s, %s, %d parameter%s, %ld "
               "replications per evaluation, seed %llu\n",
               cl->file, c->method == SIM_CALIB_SMM ? "smm (Nelder-Mead)"
                                                    : "abc (rejection)",
               c->nparams, c->nparams == 1 ? "" : "s", c->replications,
               (unsigned long long)c->seed);
        fflush(stdout);
    }
    sim_calib_opts o = {.outdir = dir,
                        .force = cl->force,
                        .threads = cl->threads ? cl->threads
                                               : cli_default_threads(cluster),
                        .command_line = command,
                        .cancel = cancel,
                        .cluster = cluster};
    sim_calib_result r;
    rc = sim_calib_run(c, sim_builtin_models(), &o, &r, err);
    if (rc && sim_cluster_rank(cluster) > 0 &&
        strncmp(err->msg, "rank 0 failed", 13) != 0) {
        /* its own failure, which rank 0 only knows happened */
        fprintf(stderr, "sanctionsim: rank %d: %s\n",
                sim_cluster_rank(cluster), err->msg);
        return sim_error(err, rc, "rank 0 failed");
    }
    if (rc)
        return rc;
    if (sim_cluster_rank(cluster) > 0) { /* rank 0 speaks for the job */
        sim_calib_result_free(&r);
        return 0;
    }
    fflush(stdout);
    warn_targets(c, &r);
    if (!cl->quiet) {
        print_fit(c, &r);
        printf("\n%ld runs in %.1f s -> %s/\n", r.simulations,
               r.elapsed_seconds, dir);
    }
    sim_calib_result_free(&r);
    return 0;
}

int calibrate_main(int argc, char **argv, const atomic_int *cancel,
                   const sim_cluster *cluster, sim_err *err)
{
    calib_cli cl = {0};
    int rc = parse(argc, argv, &cl, err);
    if (rc)
        return rc;
    if (cl.help) {
        fputs(calibrate_usage, stdout);
        return 0;
    }
    if (!cl.file)
        return sim_error(err, SIM_E_USAGE,
                         "calibrate needs a calibration file (see "
                         "sanctionsim calibrate --help)");
    sim_calib *c = malloc(sizeof *c);
    if (!c)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    if (sim_cluster_rank(cluster) > 0)
        cl.quiet = true;
    rc = run(&cl, c, argc, argv, cancel, cluster, err);
    free(c);
    return rc;
}
