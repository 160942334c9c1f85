/* sweep.c - `sanctionsim sweep EXPERIMENT.cfg`: parses its options, prints
 * the cost before starting and the indices at the end; the work is the
 * library's (sim_sweep_run, experiment.h). */
#include "cliopt.h"
#include "sweep.h"
#include "lint.h"

#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanctionsim/experiment.h>
#include <sanctionsim/models.h>
#include <sanctionsim/suggest.h>

const char *const sweep_usage =
    "usage: sanctionsim sweep EXPERIMENT.cfg [-o DIR] [--threads N] "
    "[--force]\n"
    "                         [--resume] [--progress=MODE] [--quiet]\n"
    "                         [--strict]\n"
    "\n"
    "Runs the experiment: every point of its design (the base scenario with\n"
    "the factors' values), each with the experiment's replications under\n"
    "one master seed (replication r draws the same random numbers at every\n"
    "point). Writes design.csv, runs.csv and summary.csv (a `point` column\n"
    "first), points.csv, manifest.cfg and, for sobol designs,\n"
    "sensitivity.csv and convergence.csv (morris: morris.csv) into DIR.\n"
    "See docs/EXPERIMENTS.md.\n"
    "\n"
    "  -o, --output DIR   result directory (default: results/<experiment "
    "name>)\n"
    "  --threads N        run each point's replications on N threads "
    "(default:\n"
    "                     the number of cores); the results are the same "
    "for\n"
    "                     every N\n"
    "  --force            replace DIR if it holds an earlier result (only "
    "the\n"
    "                     files its manifest lists)\n"
    "  --resume           continue the interrupted sweep in DIR.partial/ "
    "(same\n"
    "                     other arguments): the points done are kept, the "
    "result\n"
    "                     is the same as an uninterrupted sweep's\n"
    "  --progress=MODE    bar: one updating line; log: a line every few "
    "seconds;\n"
    "                     none (default: bar on a terminal, else none)\n"
    "  --strict           a value outside its key's sensible range (in the\n"
    "                     scenario or a factor's values) is an error, not a\n"
    "                     warning\n"
    "  -q, --quiet        print nothing but errors\n"
    "  -h, --help         this help\n";

typedef struct sweep_cli {
    const char *file, *outdir;
    bool force, quiet, help, resume, strict;
    progress_mode progress;
    int threads; /* 0: the number of cores */
} sweep_cli;

static int parse(int argc, char **argv, sweep_cli *c, sim_err *err)
{
    static const char *const opts[] = {"--output",   "--force",  "--quiet",
                                       "--help",     "--threads", "--progress",
                                       "--resume",   "--strict"};
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
        } else if (!strcmp(a, "--strict")) {
            c->strict = true;
        } else if (!strcmp(a, "--resume")) {
            c->resume = true;
        } else if (!strncmp(a, "--progress", 10) &&
                   (a[10] == '=' || a[10] == '\0')) {
            const char *v = a[10] == '=' ? a + 11
                            : i + 1 < argc ? argv[++i]
                                           : "";
            if (progress_parse(v, &c->progress))
                return sim_error(err, SIM_E_USAGE,
                                 "--progress needs bar, log or none, got '%s'",
                                 v);
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            c->quiet = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_unknown_option("sweep", a, opts,
                                      (int)(sizeof opts / sizeof *opts), err);
        } else if (!c->file) {
            c->file = a;
        } else {
            return sim_error(err, SIM_E_USAGE, "unexpected argument '%s'", a);
        }
    }
    return 0;
}

/* The default result directory: results/<file name without folder and
 * its final ".cfg"> (exp.low.cfg: results/exp.low). */
static void default_dir(const char *file, char *dir, size_t size)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t len = strlen(base);
    if (len > 4 && !strcmp(base + len - 4, ".cfg"))
        len -= 4;
    snprintf(dir, size, "results/%.*s", (int)len, base);
}

static void print_sobol(const sim_experiment *e, const sim_sweep_result *r)
{
    printf("\n  Sobol indices of the %s (95 %% bootstrap intervals; * = "
           "indistinguishable from zero)\n",
           sim_statistic_name(e->statistic));
    for (int k = 0; k < e->nmetrics; k++) {
        const sim_sobol_result *s = &r->sobol[k];
        printf("\n  %-28s %22s %22s\n", e->metric[k], "first order S1",
               "total order ST");
        for (int g = 0; g < s->ngroups; g++) {
            const sim_index *a = &s->s1[g], *b = &s->st[g];
            printf("    %-26s %6.3f [%6.3f, %6.3f]%s %6.3f [%6.3f, %6.3f]%s\n",
                   e->group[g], a->est, a->lo, a->hi,
                   sim_index_covers_zero(a) ? "*" : " ", b->est, b->lo, b->hi,
                   sim_index_covers_zero(b) ? "*" : " ");
        }
    }
}

static void print_morris(const sim_experiment *e, const sim_sweep_result *r)
{
    printf("\n  Morris elementary effects of the %s (per whole range)\n",
           sim_statistic_name(e->statistic));
    for (int k = 0; k < e->nmetrics; k++) {
        const sim_morris_result *m = &r->morris[k];
        printf("\n  %-28s %10s %10s %10s\n", e->metric[k], "mu*", "mu",
               "sigma");
        for (int i = 0; i < m->nfactors; i++)
            printf("    %-26s %10.4g %10.4g %10.4g\n", e->factor[i].name,
                   m->f[i].mu_star, m->f[i].mu, m->f[i].sigma);
    }
}

/* Designs without indices: the statistic at each point (the first 20),
 * with its Monte Carlo standard error. */
static void print_points(const sim_experiment *e, const sim_sweep_result *r)
{
    const sim_design *d = &r->design;
    long shown = d->npoints < 20 ? d->npoints : 20;
    printf("\n  the %s at each point (+- its Monte Carlo standard error)\n\n"
           "  %5s",
           sim_statistic_name(e->statistic), "point");
    for (int i = 0; i < d->nfactors; i++)
        printf(" %12.12s", e->factor[i].name);
    for (int k = 0; k < e->nmetrics; k++)
        printf(" %20.20s", e->metric[k]);
    putchar('\n');
    for (long p = 0; p < shown; p++) {
        printf("  %5ld", p);
        for (int i = 0; i < d->nfactors; i++)
            printf(" %12.6g", d->x[p * d->nfactors + i]);
        for (int k = 0; k < e->nmetrics; k++)
            printf(" %10.4g +- %-7.2g", r->stat[p * e->nmetrics + k],
                   r->se[p * e->nmetrics + k]);
        putchar('\n');
    }
    if (shown < d->npoints)
        printf("  (and %ld more: points.csv and design.csv)\n",
               d->npoints - shown);
}

static int run(const sweep_cli *c, sim_experiment *e, int argc, char **argv,
               const atomic_int *cancel, const sim_cluster *cluster,
               sim_err *err)
{
    int rc = sim_experiment_load(e, c->file, err);
    sim_sweep_plan plan = {0};
    if (!rc)
        rc = sim_sweep_plan_make(e, sim_builtin_models(), &plan, err);
    if (!rc)
        rc = lint_experiment(e, c->strict, c->quiet, err);
    rc = cli_agree_setup(cluster, rc, err);
    if (rc)
        return rc;
    char dir[SIM_PATH_MAX], command[4096];
    if (c->outdir)
        snprintf(dir, sizeof dir, "%s", c->outdir);
    else
        default_dir(c->file, dir, sizeof dir);
    cli_command_line(argc, argv, command, sizeof command);
    if (!c->quiet) {
        printf("sanctionsim sweep: %s, %s design, %d factor%s: %ld points x "
               "%ld replications = %ld runs\n",
               c->file, sim_design_name(e->design.type), e->nfactors,
               e->nfactors == 1 ? "" : "s", plan.points, e->replications,
               plan.runs);
        fflush(stdout);
        for (int i = 0; i < plan.nwarnings; i++)
            fprintf(stderr, "sanctionsim: warning: %s\n", plan.warning[i]);
    }
    /* the test hook of interrupted sweeps, as run's */
    const char *stop = getenv("SANCTIONSIM_STOP_AFTER");
    progress pg = {0};
    bool show = progress_start(&pg, c->progress, c->quiet, stderr);
    if (show)
        pg.unit = "design points";
    sim_sweep_opts o = {
        .outdir = dir,
        .force = c->force,
        .resume = c->resume,
        .stop_after = stop ? atol(stop) : 0,
        .threads = c->threads ? c->threads : cli_default_threads(cluster),
        .command_line = command,
        .progress = show ? progress_update : NULL,
        .progress_ctx = &pg,
        .cancel = cancel,
        .cluster = cluster,
    };
    sim_sweep_result r;
    rc = sim_sweep_run(e, sim_builtin_models(), &o, &r, err);
    if (show)
        progress_end(&pg);
    if (rc == SIM_E_INTERRUPTED) {
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len,
                 ";\nto continue it: %.900s%s", command,
                 c->resume ? "" : " --resume");
    }
    if (!rc && !c->quiet) {
        fflush(stdout);
        for (int i = 0; i < r.nwarnings; i++)
            fprintf(stderr, "sanctionsim: warning: %s\n", r.warning[i]);
        if (r.sobol)
            print_sobol(e, &r);
        if (r.morris)
            print_morris(e, &r);
        if (!r.sobol && !r.morris)
            print_points(e, &r);
        printf("\n%ld runs in %.1f s -> %s/\n", r.runs, r.elapsed_seconds,
               dir);
    }
    sim_sweep_result_free(&r);
    return rc;
}

int sweep_main(int argc, char **argv, const atomic_int *cancel,
               const sim_cluster *cluster, sim_err *err)
{
    sweep_cli c = {0};
    int rc = parse(argc, argv, &c, err);
    if (rc)
        return rc;
    if (sim_cluster_rank(cluster) > 0)
        c.quiet = true; /* rank 0 speaks for the job */
    if (c.help) {
        fputs(sweep_usage, stdout);
        return 0;
    }
    if (!c.file)
        return sim_error(err, SIM_E_USAGE,
                         "sweep needs an experiment file (see sanctionsim "
                         "sweep --help)");
    sim_experiment *e = malloc(sizeof *e);
    if (!e)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    rc = run(&c, e, argc, argv, cancel, cluster, err);
    free(e);
    return rc;
}
