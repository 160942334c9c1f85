/* discover.c - `sanctionsim discover SWEEP_DIR --where EXPR`: parses the
 * options, calls sim_discover_run and prints the peeling trajectory and
 * the chosen box. */
#include "cliopt.h"
#include "discover.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/discover.h>
#include <sanctionsim/suggest.h>

const char discover_usage[] =
    "usage: sanctionsim discover SWEEP_DIR --where EXPR [-o DIR]\n"
    "                            [--alpha A] [--min-support S] [--step K]\n"
    "                            [--paste] [--force] [--quiet]\n"
    "\n"
    "Scenario discovery: in a sweep's result directory, finds the box of\n"
    "factor values where the outcome EXPR is likely, by PRIM (Friedman and\n"
    "Fisher's patient rule induction). Every run of the sweep is a case with\n"
    "its design point's factor values; EXPR says whether the outcome\n"
    "happened in it, e.g. 'released_total >= 300' or\n"
    "'first_eu_relief_round <= 12 && us_deals > 8' (columns of runs.csv,\n"
    "numbers, < <= > >= == !=, && || ! and parentheses; an empty field,\n"
    "\"never\", makes a comparison false, except !=). Writes peeling.csv (the\n"
    "trajectory: step, coverage, density, mass, n_points), box.csv (the\n"
    "chosen box: factor, lower, upper, restricted, p_value) and manifest.cfg,\n"
    "and prints both (docs/EXPERIMENTS.md, \"Scenario discovery\").\n"
    "\n"
    "  --where EXPR        the outcome (required)\n"
    "  -o, --output DIR    where the files go (default: results/discover)\n"
    "  --alpha A           share of the box each peel removes, 0 < A < 0.5\n"
    "                      (default 0.05)\n"
    "  --min-support S     peel no box below this share of the runs,\n"
    "                      0 <= S < 1 (default 0.05)\n"
    "  --step K            the box of step K of the trajectory (default: the\n"
    "                      knee, where the trade-off turns)\n"
    "  --paste             paste the chosen box: widen it while that raises\n"
    "                      its density\n"
    "  --force             replace DIR if it is an earlier result\n"
    "  -q, --quiet         print nothing but errors\n"
    "  -h, --help          this help\n";

typedef struct discover_args {
    sim_discover_opts o;
    bool quiet, help;
} discover_args;

static int usage(sim_err *err, const char *what, const char *arg)
{
    return sim_error(err, SIM_E_USAGE,
                     "discover: %s%s%s (see sanctionsim discover --help)",
                     what, arg ? " " : "", arg ? arg : "");
}

/* A number for option opt, finite and whole. */
static int number(const char *opt, const char *s, bool whole, double *v,
                  sim_err *err)
{
    char *end;
    errno = 0;
    *v = s && *s ? strtod(s, &end) : NAN;
    if (!s || !*s || *end || errno || !isfinite(*v) ||
        (whole && (*v != floor(*v) || fabs(*v) > 1e9)))
        return sim_error(err, SIM_E_USAGE,
                         "discover: %s needs %s, got '%s'", opt,
                         whole ? "a whole number" : "a number", s ? s : "");
    return 0;
}

static int unknown_option(const char *s, sim_err *err)
{
    static const char *const opts[] = {"--where",  "--output",      "--alpha",
                                       "--step",   "--min-support", "--paste",
                                       "--force",  "--quiet",       "--help"};
    return cli_unknown_option("discover", s, opts,
                              (int)(sizeof opts / sizeof *opts), err);
}

/* An option with a value: returns its index in the table or -1. */
static int valued(const char *s)
{
    static const char *const names[] = {"--where", "-o", "--output",
                                        "--alpha", "--min-support", "--step"};
    for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

/* Sets the option with value val (valued(s) >= 0). */
static int set_valued(discover_args *a, const char *s, const char *val,
                      sim_err *err)
{
    double v;
    int rc = 0;
    if (!strcmp(s, "--where")) {
        a->o.where = val;
    } else if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
        if (!*val)
            return usage(err, "-o needs a directory", NULL);
        a->o.outdir = val;
    } else if (!(rc = number(s, val, !strcmp(s, "--step"), &v, err))) {
        if (!strcmp(s, "--alpha") && v == 0)
            return usage(err, "--alpha must be above 0, got", val);
        if (!strcmp(s, "--alpha"))
            a->o.alpha = v;
        else if (!strcmp(s, "--min-support"))
            a->o.min_support = v;
        else if (v < 0)
            return usage(err, "--step needs a step number from 0, got", val);
        else
            a->o.step = (int)v;
    }
    return rc;
}

static int parse(int argc, char **argv, discover_args *a, sim_err *err)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            a->help = true;
        } else if (valued(s) >= 0) {
            if (i + 1 >= argc)
                return usage(err, "a value is missing after", s);
            int rc = set_valued(a, s, argv[++i], err);
            if (rc)
                return rc;
        } else if (!strcmp(s, "--paste")) {
            a->o.paste = true;
        } else if (!strcmp(s, "--force")) {
            a->o.force = true;
        } else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
            a->quiet = true;
        } else if (s[0] == '-' && s[1]) {
            return unknown_option(s, err);
        } else if (a->o.sweep_dir) {
            return usage(err, "takes one sweep directory; a second:", s);
        } else {
            a->o.sweep_dir = s;
        }
    }
    return 0;
}

/* The trajectory, at most about 25 rows (and always the chosen step). */
static void print_trajectory(const sim_discover_result *r)
{
    const sim_prim_traj *t = &r->traj;
    int every = t->nsteps <= 30 ? 1 : (t->nsteps + 24) / 25;
    printf("  %5s %9s %9s %9s %9s\n", "step", "coverage", "density", "mass",
           "runs");
    for (int s = 0; s < t->nsteps; s++)
        if (s % every == 0 || s == r->step || s == t->nsteps - 1)
            printf("  %5d %9.3f %9.3f %9.3f %9zu%s\n", s, t->coverage[s],
                   t->density[s], t->mass[s], t->n_in[s],
                   s == r->step ? "  <- chosen" : "");
}

static void print_box(const sim_discover_result *r)
{
    const sim_prim_box *b = &r->box;
    const char *why = !r->knee        ? ""
                      : r->knee_clear ? " (the knee of the trajectory; "
                                        "choose another with --step K)"
                                      : " (the trajectory has no clear knee: "
                                        "the step with the largest\n"
                                        "  coverage x density; choose "
                                        "another with --step K)";
    printf("box: step %d%s\n", r->step, why);
    printf("  coverage %.3f: of the %zu runs with the outcome, the share "
           "inside\n",
           b->coverage, r->n_pos);
    printf("  density  %.3f: of the %zu runs inside, the share with the "
           "outcome (%.3f in all runs)\n",
           b->density, b->n_in, (double)r->n_pos / (double)r->n_cases);
    printf("  mass     %.3f: the share of all runs inside (%zu of %zu design "
           "points)\n",
           b->mass, r->box_points, r->n_points);
    printf("  %-40s %12s %12s %10s\n", "factor", "lower", "upper", "p-value");
    for (int j = 0; j < r->k; j++) {
        if (!b->restricted[j]) {
            printf("  %-40s %25s\n", r->factor[j], "(not restricted)");
            continue;
        }
        printf("  %-40s %12.6g %12.6g %10.3g\n", r->factor[j], b->lower[j],
               b->upper[j], b->p_value[j]);
    }
}

static void print_result(const discover_args *a, const sim_discover_result *r)
{
    printf("%s: the outcome '%s' in %zu of %zu runs (%.1f%%), %zu design "
           "points, %d factors\n",
           a->o.sweep_dir, a->o.where, r->n_pos, r->n_cases,
           100.0 * (double)r->n_pos / (double)r->n_cases, r->n_points, r->k);
    printf("peeling trajectory (%d steps):\n", r->traj.nsteps);
    print_trajectory(r);
    print_box(r);
    printf("p-value: one-sided hypergeometric test of each restriction "
           "against the box without it\nfiles: %s/peeling.csv, box.csv, "
           "manifest.cfg\n",
           a->o.outdir);
}

int discover_main(int argc, char **argv, sim_err *err)
{
    discover_args a = {.o = {.outdir = "results/discover", .step = -1,
                             .min_support = -1}};
    int rc = parse(argc, argv, &a, err);
    if (!rc && a.help) {
        fputs(discover_usage, stdout);
        return 0;
    }
    if (!rc && !a.o.sweep_dir)
        rc = usage(err, "needs a sweep's result directory", NULL);
    if (!rc && !a.o.where)
        rc = usage(err, "needs the outcome: --where EXPR", NULL);
    char command[4096] = "";
    for (int i = 0, len = 0; !rc && i < argc && len < (int)sizeof command;
         i++) {
        bool q = strpbrk(argv[i], " \t\"'&|<>!()") != NULL;
        int w = snprintf(command + len, sizeof command - (size_t)len,
                         "%s%s%s%s", i ? " " : "sanctionsim ", q ? "'" : "",
                         argv[i], q ? "'" : "");
        len += w < 0 ? (int)sizeof command : w;
    }
    a.o.command_line = command;
    sim_discover_result res;
    if (!rc)
        rc = sim_discover_run(&a.o, &res, err);
    if (!rc) {
        if (!a.quiet)
            print_result(&a, &res);
        sim_discover_result_free(&res);
    }
    return rc;
}
