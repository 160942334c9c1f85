/* compare.c - `sanctionsim compare DIR_A DIR_B...`: parses the options,
 * calls sim_compare_run and prints how each directory was compared and the
 * metrics that changed most. */
#include "cliopt.h"
#include "compare.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/compare.h>
#include <sanctionsim/suggest.h>

const char compare_usage[] =
    "usage: sanctionsim compare DIR_A DIR_B... [-o DIR] [--metrics LIST]\n"
    "                           [--all] [--force] [--quiet]\n"
    "\n"
    "Compares each later result directory with the first, metric by metric\n"
    "of runs.csv: difference of means and of medians with 95% intervals, and\n"
    "for yes/no outcomes of proportions. Directories with the same master\n"
    "seed, replication ids and stream scheme (common random numbers) are\n"
    "compared pair by pair (paired t, Wilcoxon signed-rank, bootstrap\n"
    "interval of the median difference); others unpaired (Welch,\n"
    "Mann-Whitney, Kolmogorov-Smirnov). Writes compare.csv and prints the\n"
    "metrics that changed most (docs/COMPARE.md).\n"
    "\n"
    "  -o, --output DIR   where compare.csv goes (default: results/compare)\n"
    "  --metrics LIST     compare only these metrics, comma-separated\n"
    "  --all              print every metric, not the 10 that changed most\n"
    "  --force            replace DIR if it holds an earlier result\n"
    "  -q, --quiet        print nothing but warnings and errors\n"
    "  -h, --help         this help\n";

#define TOP 10
#define MAX_METRICS 256
#define MAX_DIRS 64

typedef struct compare_args {
    const char *dirs[MAX_DIRS];
    int ndirs;
    char *metric_buf; /* the --metrics list, split in place */
    const char *metrics[MAX_METRICS];
    int nmetrics;
    const char *outdir;
    bool all, force, quiet, help;
} compare_args;

static int usage(sim_err *err, const char *what, const char *arg)
{
    return sim_error(err, SIM_E_USAGE,
                     "compare: %s%s%s (see sanctionsim compare --help)", what,
                     arg ? " " : "", arg ? arg : "");
}

/* Splits a --metrics list into a->metrics. */
static int split_metrics(compare_args *a, const char *list, sim_err *err)
{
    free(a->metric_buf);
    size_t len = strlen(list) + 1;
    a->metric_buf = malloc(len);
    if (!a->metric_buf)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    memcpy(a->metric_buf, list, len);
    a->nmetrics = 0;
    for (char *s = a->metric_buf; s;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        if (!*s)
            return usage(err, "--metrics has an empty name in", list);
        if (a->nmetrics >= MAX_METRICS)
            return usage(err, "too many names in --metrics", NULL);
        a->metrics[a->nmetrics++] = s;
        s = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int parse(int argc, char **argv, compare_args *a, sim_err *err)
{
    static const char *const opts[] = {"--output", "--metrics", "--all",
                                       "--force",  "--quiet",   "--help"};
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            a->help = true;
        } else if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
            if (!val || !*val)
                return usage(err, "-o needs a directory", NULL);
            a->outdir = val;
            i++;
        } else if (!strcmp(s, "--metrics")) {
            if (!val || !*val)
                return usage(err, "--metrics needs a list of metrics", NULL);
            int rc = split_metrics(a, val, err);
            if (rc)
                return rc;
            i++;
        } else if (!strcmp(s, "--all")) {
            a->all = true;
        } else if (!strcmp(s, "--force")) {
            a->force = true;
        } else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
            a->quiet = true;
        } else if (s[0] == '-' && s[1]) {
            return cli_unknown_option("compare", s, opts,
                                      (int)(sizeof opts / sizeof *opts), err);
        } else {
            if (a->ndirs >= MAX_DIRS)
                return usage(err, "too many directories", NULL);
            a->dirs[a->ndirs++] = s;
        }
    }
    return 0;
}

/* A row of the table, for sorting. */
typedef struct shown {
    const sim_compare_row *row;
} shown;

/* The later directory's rows in order of decreasing |std_diff|, those
 * without one last. */
static int by_change(const void *x, const void *y)
{
    const sim_compare_row *a = ((const shown *)x)->row;
    const sim_compare_row *b = ((const shown *)y)->row;
    double u = fabs(a->std_diff), v = fabs(b->std_diff);
    if (isnan(u) || isnan(v))
        return isnan(u) - isnan(v);
    return (u < v) - (u > v);
}

/* A number for the table: 4 significant digits, "-" when missing. */
static const char *num(char *buf, double v)
{
    if (isnan(v))
        return "-";
    snprintf(buf, 24, "%.4g", v == 0 ? 0.0 : v);
    return buf;
}

static void print_row(const sim_compare_row *r)
{
    char b1[24], b2[24], b3[24], b4[24], b5[24], b6[24], b7[24], ci[56];
    snprintf(ci, sizeof ci, "[%s, %s]", num(b4, r->diff.lo),
             num(b5, r->diff.hi));
    printf("  %-30s %10s %10s %10s %-22s %7s %9s\n", r->metric,
           num(b1, r->mean_a), num(b2, r->mean_b), num(b3, r->diff.estimate),
           ci, num(b6, r->std_diff), num(b7, r->p_holm));
}

/* Prints, per later directory, how it was compared and its table. */
static int print_result(const compare_args *a, const sim_compare_result *res,
                        sim_err *err)
{
    shown *order = malloc((res->nrows ? res->nrows : 1) * sizeof *order);
    if (!order)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    for (int i = 0; i < res->npairs; i++) {
        const sim_compare_pair *p = &res->pair[i];
        if (p->warning[0])
            fprintf(stderr, "sanctionsim: warning: %s vs %s: %s\n",
                    a->dirs[i + 1], a->dirs[0], p->warning);
        if (a->quiet)
            continue;
        size_t n = 0;
        for (size_t k = 0; k < res->nrows; k++)
            if (res->row[k].b == i + 1)
                order[n++].row = &res->row[k];
        qsort(order, n, sizeof *order, by_change);
        printf("%s vs %s: %s\n", a->dirs[i + 1], a->dirs[0], p->reason);
        printf("  %-30s %10s %10s %10s %-22s %7s %9s\n",
               a->all || n <= TOP ? "metric" : "metric (10 changed most)",
               "mean a", "mean b", "b - a", "95% CI", "std.", "p (Holm)");
        for (size_t k = 0; k < n && (a->all || k < TOP); k++)
            print_row(order[k].row);
        putchar('\n');
    }
    if (!a->quiet)
        printf("a = %s; std. = difference / sd (of the paired differences, "
               "or pooled);\nevery metric with medians and rank tests: "
               "%s/compare.csv\n",
               a->dirs[0], a->outdir);
    free(order);
    return 0;
}

int compare_main(int argc, char **argv, sim_err *err)
{
    compare_args a = {.outdir = "results/compare"};
    int rc = parse(argc, argv, &a, err);
    if (!rc && a.help) {
        fputs(compare_usage, stdout);
        free(a.metric_buf);
        return 0;
    }
    if (!rc && a.ndirs < 2)
        rc = usage(err,
                   a.ndirs ? "needs at least two result directories, got one"
                           : "needs at least two result directories",
                   NULL);
    char command[4096];
    cli_command_line(argc, argv, command, sizeof command);
    sim_compare_opts o = {
        .dirs = a.dirs,
        .ndirs = a.ndirs,
        .metrics = a.nmetrics ? a.metrics : NULL,
        .nmetrics = a.nmetrics,
        .outdir = a.outdir,
        .force = a.force,
        .command_line = command,
    };
    sim_compare_result res;
    if (!rc)
        rc = sim_compare_run(&o, &res, err);
    if (!rc) {
        rc = print_result(&a, &res, err);
        sim_compare_result_free(&res);
    }
    free(a.metric_buf);
    return rc;
}
