/* score.c - `sanctionsim score RESULTS_DIR TARGETS.cfg`: the command line
 * of sim_score_run (include/sanctionsim/score.h) and its summary line. */
#include "cliopt.h"
#include "score.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/score.h>

const char *const score_usage =
    "usage: sanctionsim score RESULTS_DIR TARGETS.cfg [-o FILE] [--seed S]\n"
    "                         [--force] [--quiet]\n"
    "\n"
    "Scores how well a result directory forecast the dated observations of\n"
    "a targets file (docs/VALIDATION.md): per observation the ensemble's\n"
    "mean and quantiles, the fair ensemble CRPS (counts and amounts) or the\n"
    "fair ensemble Brier score (yes/no events), the PIT value (randomised\n"
    "within ties, so within the step of a count; seeded) and whether the\n"
    "observation lies in the central 50 % and 90 % intervals. Observations\n"
    "of rounds.csv columns need a run with --trace; those dated outside the\n"
    "run's rounds are listed, not scored.\n"
    "\n"
    "  -o, --output FILE  score.csv's path (default: RESULTS_DIR/score.csv)\n"
    "  --seed S           seed of the PIT's randomisation (default 20250915)\n"
    "  --force            replace FILE if it exists\n"
    "  -q, --quiet        print nothing but errors\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 ok, 2 usage or input error, 1 failure at run time.\n";

/* The summary line. */
static void print_summary(const sim_score_summary *s, const char *out)
{
    printf("score: %d target%s, %d scored, %d outside the run, %d "
           "undefined (%ld replications)\n",
           s->targets, s->targets == 1 ? "" : "s", s->scored, s->outside,
           s->undefined, s->replications);
    if (s->n_crps)
        printf("  mean fair CRPS %.6g over %d amounts and counts\n",
               s->mean_crps, s->n_crps);
    if (s->n_brier)
        printf("  mean fair Brier score %.6g over %d events\n", s->mean_brier,
               s->n_brier);
    if (s->n_interval)
        printf("  in the 50%% interval: %d of %d (%.0f%%), in the 90%% "
               "interval: %d of %d (%.0f%%)\n",
               s->in50, s->n_interval, 100.0 * s->in50 / s->n_interval,
               s->in90, s->n_interval, 100.0 * s->in90 / s->n_interval);
    printf("  -> %s\n", out);
}

static int parse_seed(const char *a, uint64_t *seed, sim_err *err)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(a, &end, 10);
    if (!a[0] || a[0] == '-' || *end || errno)
        return sim_error(err, SIM_E_USAGE,
                         "--seed: '%s' is not a non-negative integer", a);
    *seed = (uint64_t)v;
    return 0;
}

int score_main(int argc, char **argv, sim_err *err)
{
    sim_score_opts o = {.seed = SIM_SCORE_SEED};
    bool quiet = false;
    const char *pos[2] = {NULL, NULL};
    int npos = 0, rc = 0;
    for (int i = 2; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(score_usage, stdout);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc)
                rc = sim_error(err, SIM_E_USAGE, "%s needs a file", a);
            else
                o.output = argv[++i];
        } else if (!strncmp(a, "--output=", 9)) {
            o.output = a + 9;
        } else if (!strcmp(a, "--seed")) {
            if (i + 1 >= argc)
                rc = sim_error(err, SIM_E_USAGE, "--seed needs a number");
            else
                rc = parse_seed(argv[++i], &o.seed, err);
        } else if (!strncmp(a, "--seed=", 7)) {
            rc = parse_seed(a + 7, &o.seed, err);
        } else if (!strcmp(a, "--force")) {
            o.force = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            static const char *const opts[] = {"--output", "--seed",
                                               "--force", "--quiet", "--help"};
            rc = cli_unknown_option("score", a, opts,
                                    (int)(sizeof opts / sizeof *opts), err);
        } else if (npos < 2) {
            pos[npos++] = a;
        } else {
            rc = sim_error(err, SIM_E_USAGE,
                           "score takes RESULTS_DIR and TARGETS.cfg, not "
                           "'%s' too",
                           a);
        }
    }
    if (!rc && npos < 2)
        rc = sim_error(err, SIM_E_USAGE,
                       "score needs RESULTS_DIR and TARGETS.cfg (see "
                       "sanctionsim score --help)");
    if (rc)
        return rc;
    o.results_dir = pos[0];
    o.targets_path = pos[1];
    sim_score_summary s;
    rc = sim_score_run(&o, &s, err);
    if (rc || quiet)
        return rc;
    char out[4200];
    if (o.output)
        snprintf(out, sizeof out, "%s", o.output);
    else
        snprintf(out, sizeof out, "%s/score.csv", o.results_dir);
    print_summary(&s, out);
    return 0;
}
