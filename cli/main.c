/* main.c - the sanctionsim command line: parses arguments, calls the
 * library and turns its status into an exit code (0 ok, 2 usage or scenario
 * error, 1 failure at run time). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef SIM_MPI
#include <mpi.h>
#endif

#include <sanctionsim/batch.h>
#include <sanctionsim/cluster.h>
#include <sanctionsim/error.h>
#include <sanctionsim/problem.h>
#include <sanctionsim/version.h>
#include <sanctionsim/models.h>
#include <sanctionsim/scenario.h>
#include "calibrate.h"
#include "cliopt.h"
#include "compare.h"
#include "discover.h"
#include "explore.h"
#include "merge.h"
#include "score.h"
#include "plot.h"
#include "report.h"
#include "progress.h"
#include "solve.h"
#include "sweep.h"
#include "lint.h"
#include <sanctionsim/suggest.h>

static const char *usage_main =
    "usage: sanctionsim COMMAND [OPTIONS]\n"
    "\n"
    "Simulates sanctions-for-prisoners bargaining between Minsk, Washington,\n"
    "the EU, Poland and Lithuania.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.cfg     run replications, write results/<name>/\n"
    "  sweep EXPERIMENT.cfg run an experiment's design points, with "
    "sensitivity\n"
    "                       indices (docs/EXPERIMENTS.md)\n"
    "  merge DIR... -o DIR  combine --reps slices into the whole batch's "
    "result\n"
    "  check SCENARIO.cfg   validate and print the resolved scenario\n"
    "  solve FILE           equilibria: of a scenario's first bargaining "
    "round,\n"
    "                       of a normal-form game (.cfg or Gambit .nfg), of "
    "a\n"
    "                       Nash bargaining problem\n"
    "  keys                 print the scenario reference (every key)\n"
    "  compare DIR_A DIR_B  compare result directories (`compare --help`)\n"
    "  discover SWEEP_DIR --where EXPR\n"
    "                       scenario discovery: where in a sweep's factor "
    "space\n"
    "                       an outcome is likely (PRIM; `discover --help`)\n"
    "  score DIR TARGETS    score a result against dated observations\n"
    "                       (`score --help`)\n"
    "  plot DIR...          draw result directories with gnuplot (`plot "
    "--help`)\n"
    "  report DIR... -o F   a self-contained HTML briefing page (`report "
    "--help`)\n"
    "  calibrate FILE.cfg   fit scenario keys to dated observations (smm or\n"
    "                       abc; `calibrate --help`)\n"
    "  explore [SCENARIO.cfg]\n"
    "                       a local web page: levers, live pictures and the\n"
    "                       command behind them (`explore --help`)\n"
    "\n"
    "options:\n"
    "  -h, --help           this help; `sanctionsim run --help` for more\n"
    "  --version            print the version (and whether it is built "
    "with MPI)\n"
    "\n"
    "Built with MPI (cmake -DSIM_MPI=ON), `mpirun -np N sanctionsim "
    "run|sweep|calibrate ...`\n"
    "spreads the replications over N ranks, with the same files as one "
    "process\n"
    "(README.md, on clusters); the other commands run on one rank only.\n";

static const char *usage_run =
    "usage: sanctionsim run SCENARIO.cfg [-n REPS] [--seed S] [-o DIR]\n"
    "                       [--trace] [--set KEY=VALUE]... [--force] "
    "[--quiet]\n"
    "                       [--threads N] [--reps FIRST:COUNT] "
    "[--progress=MODE]\n"
    "                       [--strict] [--resume]\n"
    "\n"
    "Runs REPS replications of the scenario and writes runs.csv, "
    "summary.csv\n"
    "and manifest.cfg (and rounds.csv with --trace) into DIR, then prints a\n"
    "summary of the key outcomes.\n"
    "\n"
    "  -n, --replications REPS  replications (default: the scenario's "
    "`replications`)\n"
    "  --seed S                 master seed, 0 to 2^63-1 (default: the "
    "scenario's `seed`)\n"
    "  -o, --output DIR         result directory (default: "
    "results/<scenario name>)\n"
    "  --trace                  also write rounds.csv, one row per round\n"
    "  --set KEY=VALUE          override a scenario key, e.g.\n"
    "                           --set actors.minsk.discount=0.9 "
    "(repeatable);\n"
    "                           a list in square brackets: --set\n"
    "                           'actors.eu.offers=[\"eu_aviation\"]'\n"
    "  --force                  replace DIR if it holds an earlier result "
    "(only the\n"
    "                           files its manifest lists; anything else is "
    "refused)\n"
    "  --resume                 continue the interrupted run in DIR.partial/ "
    "(give\n"
    "                           the same other arguments); the results are "
    "the\n"
    "                           same as an uninterrupted run's\n"
    "  --threads N              run on N threads (default: the number of "
    "cores);\n"
    "                           the results are the same for every N\n"
    "  --reps FIRST:COUNT       run replications FIRST to FIRST+COUNT-1 "
    "only, a\n"
    "                           slice of REPS (e.g. one task of a job "
    "array);\n"
    "                           each keeps its streams and its index\n"
    "  --progress=MODE          bar: one updating line; log: a line every "
    "few\n"
    "                           seconds; none (default: bar on a terminal, "
    "else none)\n"
    "  --strict                 a value outside its key's sensible range "
    "is an\n"
    "                           error, not a warning\n"
    "  -q, --quiet              print nothing but errors\n"
    "  -h, --help               this help\n"
    "\n"
    "Results are written to DIR.partial/ beside DIR and renamed into place\n"
    "when complete. Ctrl-C (SIGINT), SIGTERM or SIGHUP stops the run and\n"
    "keeps the finished replications in DIR.partial/ for --resume; so does\n"
    "kill -9, up to the last fully written replication. Exit status: 0 ok,\n"
    "2 usage or scenario error, 1 failure at run time or interrupted.\n";

static const char *usage_check =
    "usage: sanctionsim check SCENARIO.cfg [--set KEY=VALUE]... [--strict]\n"
    "\n"
    "Validates the scenario and prints it resolved (every default filled "
    "in)\n"
    "in libconfig syntax; the output can be saved and run as it is. A value\n"
    "outside its key's sensible range (`sanctionsim keys`) gets a warning "
    "on\n"
    "stderr; --strict makes warnings errors (exit 2).\n";

static const char *usage_solve =
    "usage: sanctionsim solve FILE [--set KEY=VALUE]... [--lambda L]... "
    "[--csv]\n"
    "                         [--export-nfg FILE.nfg]\n"
    "\n"
    "FILE is one of:\n"
    "  a scenario: prints the subgame-perfect equilibrium of its first "
    "round's\n"
    "    Washington-Minsk game: the method (closed form where the frontier "
    "is\n"
    "    linear, else backward induction), each side's share of the "
    "surplus,\n"
    "    the deal, the stage of agreement and each side's utility;\n"
    "  a normal-form game (`game = { ... }` in a .cfg file, or a Gambit "
    ".nfg\n"
    "    file): every pure Nash equilibrium, every mixed one for two "
    "players\n"
    "    (support enumeration), and the logit QRE at each --lambda;\n"
    "  a Nash bargaining problem (`nash = { a1; a2; power; }`): the "
    "solution.\n"
    "\n"
    "  --set KEY=VALUE   override a key of a .cfg file (repeatable)\n"
    "  --lambda L        logit precision for the QRE (repeatable)\n"
    "  --csv             print machine-readable key,value rows in full "
    "precision\n"
    "  --export-nfg F    write the scenario's first-round stage games in "
    "Gambit's\n"
    "                    format: F.border.nfg (the neighbours' border game) "
    "and\n"
    "                    F.respond.nfg (the accept/reject game)\n";

static const char *usage_keys =
    "usage: sanctionsim keys\n"
    "\n"
    "Prints the scenario reference (Markdown): every key with its type,\n"
    "default, range, unit and meaning (docs/SCENARIOS.md).\n";

typedef struct cli {
    const char *command;
    const char *scenario;
    const char *sets[SIM_MAX_SETS];
    int nsets;
    long reps; /* 0 = scenario default */
    uint64_t seed;
    bool have_seed;
    const char *outdir;
    bool trace, force, quiet, help, resume;
    bool strict; /* warnings are errors (run, check) */
    int threads;          /* 0 = the number of cores */
    long first, count;    /* --reps FIRST:COUNT; count 0 = every one */
    progress_mode progress;
    solve_opts solve;
} cli;

static int usage_error(sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(sim_err *err, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return sim_error(err, SIM_E_USAGE, "%s (see sanctionsim --help)", text);
}

static int parse_count(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > 100000000L)
        return -1;
    *out = v;
    return 0;
}

/* A whole number from lo to hi, all of s; -1 if it is not one. */
static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || *s == '+' || *s == ' ' || v < lo ||
        v > hi)
        return -1;
    *out = v;
    return 0;
}

/* FIRST:COUNT of --reps: FIRST from 0, COUNT from 1, FIRST + COUNT
 * within a long (run checks it against the replications). */
static int parse_slice(const char *s, long *first, long *count)
{
    const char *colon = strchr(s, ':');
    char head[32];
    if (!colon || (size_t)(colon - s) >= sizeof head)
        return -1;
    memcpy(head, s, (size_t)(colon - s));
    head[colon - s] = '\0';
    if (parse_long(head, 0, LONG_MAX, first) ||
        parse_long(colon + 1, 1, LONG_MAX, count) ||
        *first > LONG_MAX - *count)
        return -1;
    return 0;
}

/* If a is option `name`, as "NAME VALUE" or "NAME=VALUE", sets *val to
 * its value (NULL if there is none), steps *i over a separate value and
 * returns true. */
static bool option(const char *a, const char *name, int argc, char **argv,
                   int *i, const char **val)
{
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return false;
    if (a[n] == '=') {
        *val = a + n + 1;
    } else {
        *val = *i + 1 < argc ? argv[*i + 1] : NULL;
        if (*val)
            (*i)++;
    }
    return true;
}

/* The options of run alone: --threads, --reps and --progress (with a
 * value, by `option`), --trace, --force, --resume, --quiet. Returns 1 if
 * a is none of them, else 0 or an error. */
static int parse_run_option(int argc, char **argv, int *i, cli *c,
                            sim_err *err)
{
    const char *a = argv[*i], *val;
    long v;
    if (option(a, "--threads", argc, argv, i, &val)) {
        if (!val || parse_long(val, 1, SIM_BATCH_MAX_THREADS, &v))
            return usage_error(err,
                               "--threads needs a whole number of threads "
                               "from 1 to %d, got '%s'",
                               SIM_BATCH_MAX_THREADS, val ? val : "");
        c->threads = (int)v;
    } else if (option(a, "--reps", argc, argv, i, &val)) {
        if (!val || parse_slice(val, &c->first, &c->count))
            return usage_error(err,
                               "--reps needs FIRST:COUNT, replications FIRST "
                               "(from 0) to FIRST+COUNT-1 (COUNT from 1), "
                               "e.g. 0:250, got '%s'",
                               val ? val : "");
    } else if (!strcmp(a, "--trace")) {
        c->trace = true;
    } else if (!strcmp(a, "--force")) {
        c->force = true;
    } else if (!strcmp(a, "--resume")) {
        c->resume = true;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
        c->quiet = true;
    } else if (option(a, "--progress", argc, argv, i, &val)) {
        if (!val || progress_parse(val, &c->progress))
            return usage_error(err,
                               "--progress needs bar, log or none, got '%s'",
                               val ? val : "");
    } else {
        return 1;
    }
    return 0;
}

/* Seeds run from 0 to 2^63 - 1, the range of the scenario's `seed` key
 * (libconfig integers are signed), so that every seed can be written back
 * into scenario.cfg. */
static int parse_seed(const char *s, uint64_t *out)
{
    char *end;
    if (*s == '-' || *s == '+' || !*s)
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > (unsigned long long)INT64_MAX)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* Reports the unknown option a of command; a long option close to one of
 * the command's own gets a "did you mean" (the command's own options are
 * listed first: they win a tie, e.g. run's --sed is --seed). */
static int unknown_option(const char *command, const char *a, sim_err *err)
{
    static const char *const common[] = {"--help", "--set"};
    static const char *const run[] = {
        "--replications", "--seed", "--output", "--trace",    "--force",
        "--quiet",        "--help", "--set",    "--threads", "--reps",
        "--progress",     "--strict",   "--resume"};
    static const char *const check[] = {"--help", "--set", "--strict"};
    static const char *const solve[] = {"--csv", "--lambda", "--export-nfg",
                                        "--help", "--set"};
    const char *const *valid = common;
    int n = 2;
    if (!strcmp(command, "run"))
        valid = run, n = (int)(sizeof run / sizeof *run);
    else if (!strcmp(command, "solve"))
        valid = solve, n = (int)(sizeof solve / sizeof *solve);
    else if (!strcmp(command, "check"))
        valid = check, n = (int)(sizeof check / sizeof *check);
    char name[64], hint[128];
    /* "--sed=3" is compared as "--sed" */
    snprintf(name, sizeof name, "%.*s", (int)strcspn(a, "="), a);
    if (!strncmp(a, "--", 2) && sim_suggest(name, valid, n, hint, sizeof hint))
        return usage_error(err, "unknown option '%s'%s", a, hint);
    return usage_error(err, "unknown option '%s'", a);
}

/* Parses the options after the command. */
static int parse(int argc, char **argv, cli *c, sim_err *err)
{
    int rc;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool is_run = strcmp(c->command, "run") == 0;
        bool is_solve = strcmp(c->command, "solve") == 0;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            c->help = true;
        } else if (!strcmp(a, "--set")) {
            if (!val)
                return usage_error(err, "--set needs KEY=VALUE");
            if (c->nsets >= SIM_MAX_SETS)
                return usage_error(err, "too many --set options");
            c->sets[c->nsets++] = val;
            i++;
        } else if (!strncmp(a, "--set=", 6)) {
            if (c->nsets >= SIM_MAX_SETS)
                return usage_error(err, "too many --set options");
            c->sets[c->nsets++] = a + 6;
        } else if (is_run && (!strcmp(a, "-n") ||
                              !strcmp(a, "--replications"))) {
            if (!val || parse_count(val, &c->reps))
                return usage_error(err,
                                   "-n needs a whole number of replications "
                                   "from 1 to 100000000, got '%s'",
                                   val ? val : "");
            i++;
        } else if (is_run && !strcmp(a, "--seed")) {
            if (!val || parse_seed(val, &c->seed))
                return usage_error(err,
                                   "--seed needs a whole number from 0 to "
                                   "9223372036854775807, got '%s'",
                                   val ? val : "");
            c->have_seed = true;
            i++;
        } else if (is_run && (!strcmp(a, "-o") || !strcmp(a, "--output"))) {
            if (!val || !*val)
                return usage_error(err, "-o needs a directory");
            c->outdir = val;
            i++;
        } else if (is_solve && !strcmp(a, "--csv")) {
            c->solve.csv = true;
        } else if (is_solve && !strcmp(a, "--lambda")) {
            char *end = NULL;
            double v = val ? strtod(val, &end) : NAN;
            if (!val || !*val || *end || !isfinite(v) || v < 0 || v > 1e6)
                return usage_error(err,
                                   "--lambda needs a number from 0 to 1e6, "
                                   "got '%s'",
                                   val ? val : "");
            if (c->solve.nlambda >= SOLVE_MAX_LAMBDAS)
                return usage_error(err, "at most %d --lambda options",
                                   SOLVE_MAX_LAMBDAS);
            c->solve.lambda[c->solve.nlambda++] = v;
            i++;
        } else if (is_solve && !strcmp(a, "--export-nfg")) {
            if (!val || !*val)
                return usage_error(err, "--export-nfg needs a file name");
            c->solve.export_nfg = val;
            i++;
        } else if (is_run && (rc = parse_run_option(argc, argv, &i, c, err)) != 1) {
            if (rc)
                return rc;
        } else if ((is_run || !strcmp(c->command, "check")) &&
                   !strcmp(a, "--strict")) {
            c->strict = true;
        } else if (a[0] == '-' && a[1]) {
            return unknown_option(c->command, a, err);
        } else if (!c->scenario) {
            c->scenario = a;
        } else {
            return usage_error(err, "unexpected argument '%s'", a);
        }
    }
    return 0;
}

/* Set by SIGINT, SIGTERM or SIGHUP; the batch stops between replications and cleans
 * up its temporary directory. The only mutable global: a signal handler
 * has nowhere else to write. */
static atomic_int interrupted;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2,
               "a signal handler may only set a lock-free atomic");

static void on_signal(int sig)
{
    (void)sig;
    atomic_store(&interrupted, 1);
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C kills at once */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL); /* a closed terminal or ssh session */
}

/* How a row of the terminal summary is shown. */
enum row_kind { ROW_COUNT, ROW_SMALL, ROW_PERCENT };

/* A number for the terminal: whole numbers as such, others with two to
 * three significant digits. */
static void fmt(char *buf, size_t size, double v)
{
    double a = fabs(v);
    if ((v == floor(v) && a < 1e15) || a >= 100)
        snprintf(buf, size, "%.0f", v);
    else if (a >= 10)
        snprintf(buf, size, "%.1f", v);
    else
        snprintf(buf, size, "%.2f", v);
}

/* A price (in $m/yr) to one decimal, or three significant digits below
 * one. */
static void fmt_price(char *buf, size_t size, double v)
{
    if (fabs(v) >= 1)
        snprintf(buf, size, "%.1f", v);
    else
        snprintf(buf, size, "%.3g", v);
}

/* One line: mean, median and the 5-95 % range of the replications. For
 * counts the range ends are rounded to whole numbers (summary.csv has the
 * interpolated quantiles); `scale` converts units for display. */
static void print_row(const sim_batch_result *r, const char *metric,
                      const char *label, enum row_kind kind, double scale)
{
    const sim_summary *s = sim_batch_find(r, metric);
    if (!s)
        return;
    if (s->n == 0) {
        printf("  %-36s %9s\n", label, "never");
        return;
    }
    if (kind == ROW_PERCENT) {
        printf("  %-36s %8.1f%% %9s   [%.1f%%, %.1f%%] (95%% CI)\n", label,
               100 * s->mean, "", 100 * s->ci95_lo, 100 * s->ci95_hi);
        return;
    }
    char mean[32], median[32], lo[32], hi[32];
    double p05 = s->p05 * scale, p95 = s->p95 * scale;
    if (kind == ROW_COUNT) {
        p05 = round(p05);
        p95 = round(p95);
    }
    void (*show)(char *, size_t, double) = kind == ROW_SMALL ? fmt_price : fmt;
    show(mean, sizeof mean, s->mean * scale);
    show(median, sizeof median, kind == ROW_COUNT ? round(s->p50 * scale)
                                                  : s->p50 * scale);
    show(lo, sizeof lo, p05);
    show(hi, sizeof hi, p95);
    printf("  %-36s %9s %9s   [%s, %s]", label, mean, median, lo, hi);
    if ((double)s->n < 0.999 * (double)sim_batch_find(r, "rounds")->n)
        printf("  (in %zu runs)", s->n);
    putchar('\n');
}

static void print_summary(const sim_scenario *sc, const cli *c,
                          const sim_batch_result *r, const sim_batch_opts *o)
{
    long reps = o->replications;
    char slice[96] = "";
    if (c->count)
        snprintf(slice, sizeof slice, " (%ld to %ld of %d)", o->first,
                 o->first + reps - 1, sc->replications);
    printf("sanctionsim %s: %s, %ld replication%s%s, seed %" PRIu64
           ", %.1f s -> %s/\n\n",
           SIM_VERSION, sc->name, reps, reps == 1 ? "" : "s", slice, o->seed,
           r->elapsed_seconds, o->outdir);
    printf("  %-36s %9s %9s   %s\n", "outcome over the horizon", "mean",
           "median", "90% of runs");
    print_row(r, "released_total", "prisoners released", ROW_COUNT, 1);
    print_row(r, "released_foreign", "  of them foreign nationals", ROW_COUNT,
              1);
    print_row(r, "us_deals", "Washington-Minsk deals", ROW_COUNT, 1);
    print_row(r, "any_us_deal", "runs with a US deal", ROW_PERCENT, 1);
    print_row(r, "first_us_deal_round", "round of the first US deal",
              ROW_COUNT, 1);
    print_row(r, "eu_deals", "EU deals", ROW_COUNT, 1);
    print_row(r, "any_eu_relief", "runs with EU relief", ROW_PERCENT, 1);
    /* runs.csv has $bn/yr (columns.csv, a contract); people read $m/yr */
    print_row(r, "price_per_prisoner", "going price ($m/yr per person)",
              ROW_SMALL, 1000);
    print_row(r, "prisoners_end", "political prisoners at the end",
              ROW_COUNT, 1);
    print_row(r, "arrests", "new political prisoners", ROW_COUNT, 1);
    print_row(r, "deaths", "deaths in custody", ROW_COUNT, 1);
    print_row(r, "pl_border_closed_rounds", "rounds Poland's border closed",
              ROW_COUNT, 1);
    print_row(r, "klaipeda_open_end", "Klaipeda open at the end",
              ROW_PERCENT, 1);
    print_row(r, "moscow_freezes", "Moscow freezes", ROW_COUNT, 1);
    printf("\nEvery metric: %s/summary.csv; one row per run: %s/runs.csv%s\n",
           o->outdir, o->outdir, c->trace ? "; per round: rounds.csv" : "");
}

/* The test hook of interrupted runs: SANCTIONSIM_STOP_AFTER=K stops a
 * run as an interruption would once K replications are written. */
static long stop_after(void)
{
    const char *v = getenv("SANCTIONSIM_STOP_AFTER");
    long k = 0;
    if (v && parse_long(v, 1, LONG_MAX, &k))
        k = 0;
    return k;
}

/* Adds to an interruption's message the command that continues it: this
 * one with --resume. */
static void resume_hint(sim_err *err, int argc, char **argv)
{
    char command[4096];
    bool has = false;
    for (int i = 0; i < argc; i++)
        has |= !strcmp(argv[i], "--resume");
    cli_command_line(argc, argv, command, sizeof command);
    size_t len = strlen(err->msg);
    snprintf(err->msg + len, sizeof err->msg - len,
             ";\nto continue it: %.900s%s", command, has ? "" : " --resume");
}

/* Says what became of an interrupted run's DIR.partial/: resumed, or
 * removed by --force. */
static void report_partial(const cli *c, const char *dir,
                           const sim_batch_result *r, long total)
{
    if (r->stale_removed && !c->quiet)
        fprintf(stderr,
                "sanctionsim: removed %s.partial/, an interrupted run's "
                "(--force)\n",
                dir);
    if (r->resumed && !c->quiet)
        fprintf(stderr,
                "sanctionsim: resumed %s.partial/: %ld replication%s kept, "
                "%ld run now\n",
                dir, r->resumed, r->resumed == 1 ? "" : "s",
                total - r->resumed);
}

static int cmd_run(const cli *c, int argc, char **argv, sim_scenario *sc,
                   sim_provenance *prov, const sim_cluster *cluster,
                   sim_err *err)
{
    int rc = sim_scenario_load(sc, sim_builtin_models(), c->scenario, c->sets,
                               c->nsets, prov, err);
    if (!rc)
        rc = lint_scenario(c->scenario, c->sets, c->nsets, c->strict,
                           c->quiet, err);
    /* The seed and count used go into the recorded scenario, so that
     * `sanctionsim run DIR/scenario.cfg` repeats this very run. */
    if (!rc && c->have_seed)
        sc->seed = (int64_t)c->seed;
    if (!rc && c->reps)
        sc->replications = (int)c->reps;
    if (!rc && c->count && c->first > sc->replications - c->count)
        rc = usage_error(err,
                         "--reps %ld:%ld goes beyond the %d replications "
                         "(replications %ld to %ld; -n or the scenario's "
                         "replications sets the total)",
                         c->first, c->count, sc->replications, c->first,
                         c->first + c->count - 1);
    rc = cli_agree_setup(cluster, rc, err);
    if (rc)
        return rc;
    char dir[SIM_PATH_MAX];
    if (c->outdir)
        snprintf(dir, sizeof dir, "%s", c->outdir);
    else
        snprintf(dir, sizeof dir, "results/%s", sc->name);
    char command[4096];
    cli_command_line(argc, argv, command, sizeof command);
    progress pg = {0};
    bool show = progress_start(&pg, c->progress, c->quiet, stderr);
    sim_batch_opts o = {
        .seed = (uint64_t)sc->seed,
        .replications = c->count ? c->count : sc->replications,
        .first = c->first,
        .keep_values = c->count > 0,
        .threads = c->threads ? c->threads : cli_default_threads(cluster),
        .trace = c->trace,
        .outdir = dir,
        .force = c->force,
        .resume = c->resume,
        .stop_after = stop_after(),
        .command_line = command,
        .provenance = prov,
        .progress = show ? progress_update : NULL,
        .progress_ctx = &pg,
        .cancel = &interrupted,
        .cluster = cluster,
    };
    sim_batch_result r;
    catch_signals();
    rc = sim_batch_run(sc, &o, &r, err);
    if (show)
        progress_end(&pg);
    report_partial(c, dir, &r, o.replications);
    if (rc == SIM_E_INTERRUPTED)
        resume_hint(err, argc, argv);
    if (rc) {
        if (!c->outdir && rc == SIM_E_EXISTS) {
            /* The default directory comes from the scenario's name, which
             * a copied file keeps: say so. */
            size_t len = strlen(err->msg);
            snprintf(err->msg + len, sizeof err->msg - len,
                     " (the directory is named after name = \"%s\" in %s)",
                     sc->name, c->scenario);
        }
        return rc;
    }
    if (!c->quiet && sim_cluster_rank(cluster) == 0)
        print_summary(sc, c, &r, &o);
    sim_batch_result_free(&r);
    /* The results are in place; only the summary on the terminal failed
     * (a full disk, /dev/full, a closed pipe): say that nothing is lost. */
    if (fflush(stdout) != 0 || ferror(stdout))
        return sim_error(err, SIM_E_IO,
                         "the results in %s/ are complete, but the summary "
                         "could not be written to standard output (disk "
                         "full?)",
                         dir);
    return 0;
}

/* For `check` of a scenario built on others: the values that each file
 * above the deepest base sets, as comment lines. */
typedef struct origins {
    const char *skip; /* the deepest base: everything else comes from it */
} origins;

static void print_origin(void *ctx, const char *key, const char *file,
                         unsigned line)
{
    const origins *o = ctx;
    if (strcmp(file, o->skip) != 0)
        printf("#   %s  (%s:%u)\n", key, file, line);
}

static int print_bases(const cli *c, const sim_provenance *prov, sim_err *err)
{
    printf("# %s is built on", c->scenario);
    for (int k = 0; k < prov->n_bases; k++)
        printf("%s %s", k ? ", which is built on" : "", prov->base[k]);
    printf(".\n# Values set above %s (the rest: from it, or the "
           "default):\n",
           prov->base[prov->n_bases - 1]);
    origins o = {prov->base[prov->n_bases - 1]};
    int rc = sim_scenario_origins(c->scenario, print_origin, &o, err);
    for (int i = 0; !rc && i < prov->n_sets; i++)
        printf("#   %s  (--set %s=%s)\n", prov->set[i].key, prov->set[i].key,
               prov->set[i].value);
    return rc;
}

static int cmd_check(const cli *c, sim_scenario *sc, sim_err *err)
{
    static sim_provenance prov;
    int rc = sim_scenario_load(sc, sim_builtin_models(), c->scenario, c->sets,
                               c->nsets, &prov, err);
    if (!rc)
        rc = lint_scenario(c->scenario, c->sets, c->nsets, c->strict, false,
                           err);
    if (rc)
        return rc;
    if (prov.n_bases > 0 && (rc = print_bases(c, &prov, err)))
        return rc;
    printf("# %s: valid. The resolved scenario, every default filled in:\n",
           c->scenario);
    sim_scenario_print(sc, stdout, 0);
    return fflush(stdout) == 0 ? 0
                               : sim_error(err, SIM_E_IO,
                                           "cannot write to standard output");
}

static int cmd_solve(const cli *c, sim_scenario *sc, sim_err *err)
{
    sim_problem p;
    int rc = sim_problem_load(&p, c->scenario, c->sets, c->nsets, err);
    if (rc)
        return rc;
    if (p.kind == SIM_PROBLEM_GAME) {
        if (c->solve.export_nfg)
            rc = sim_error(err, SIM_E_USAGE,
                           "--export-nfg writes a scenario's stage games; %s "
                           "is already a game",
                           c->scenario);
        else
            rc = solve_game(&p.game, &c->solve, err);
    } else if (p.kind == SIM_PROBLEM_NASH) {
        rc = c->solve.nlambda || c->solve.export_nfg
                 ? sim_error(err, SIM_E_USAGE,
                             "--lambda and --export-nfg do not apply to a "
                             "Nash bargaining problem")
                 : solve_nash(p.nash.a1, p.nash.a2, p.nash.power, &c->solve,
                              err);
    } else if (c->solve.nlambda) {
        rc = sim_error(err, SIM_E_USAGE,
                       "--lambda applies to normal-form games; %s is a "
                       "bargaining scenario",
                       c->scenario);
    } else if (!(rc = sim_scenario_load(sc, sim_builtin_models(), c->scenario,
                                        c->sets, c->nsets, NULL, err))) {
        rc = c->solve.export_nfg ? solve_export(sc, &c->solve, err)
                                 : solve_bargaining(sc, &c->solve, err);
    }
    sim_problem_free(&p);
    return rc;
}

/* `sweep` and `calibrate` stop cleanly on a signal. (Both entries are
 * only the table's marks: run_cli calls sweep_main and calibrate_main
 * with the cluster.) */
static int sweep_entry(int argc, char **argv, sim_err *err)
{
    catch_signals();
    return sweep_main(argc, argv, &interrupted, NULL, err);
}

static int calibrate_entry(int argc, char **argv, sim_err *err)
{
    catch_signals();
    return calibrate_main(argc, argv, &interrupted, NULL, err);
}

/* A command: its name, its help text and, for the commands in files of
 * their own, its entry (NULL for run, check, solve and keys, which share
 * this file's options), called with the arguments from the command's
 * name on (shift 1) or from the program's (shift 0). */
typedef struct {
    const char *name;
    const char *usage;
    int (*entry)(int argc, char **argv, sim_err *err);
    int shift;
} command;

enum { N_COMMANDS = 13 };

/* Fills table[N_COMMANDS] (at run time: some help texts are pointers
 * defined in other files). Add a command here and nowhere else. */
static void command_table(command *table)
{
    const command all[N_COMMANDS] = {
        {"run", usage_run, NULL, 0},
        {"check", usage_check, NULL, 0},
        {"solve", usage_solve, NULL, 0},
        {"keys", usage_keys, NULL, 0},
        {"sweep", sweep_usage, sweep_entry, 0},
        {"merge", merge_usage, merge_main, 0},
        {"compare", compare_usage, compare_main, 1},
        {"plot", plot_usage, plot_main, 1},
        {"report", report_usage, report_main, 1},
        {"discover", discover_usage, discover_main, 1},
        {"score", score_usage, score_main, 0},
        {"calibrate", calibrate_usage, calibrate_entry, 0},
        {"explore", explore_usage, explore_main, 0},
    };
    memcpy(table, all, sizeof all);
}

static const command *find_command(const command *table, const char *name)
{
    for (int i = 0; i < N_COMMANDS; i++)
        if (!strcmp(table[i].name, name))
            return &table[i];
    return NULL;
}

/* Reports the unknown command (or help topic) cmd, listing the commands,
 * with a "did you mean" if it is close to one. */
static int unknown_command(const command *table, const char *what,
                           const char *cmd, sim_err *err)
{
    const char *names[N_COMMANDS];
    char list[256] = "";
    for (int i = 0; i < N_COMMANDS; i++) {
        names[i] = table[i].name;
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
    }
    char hint[128];
    if (!sim_suggest(cmd, names, N_COMMANDS, hint, sizeof hint))
        hint[0] = '\0';
    return sim_error(err, SIM_E_USAGE,
                     "unknown %s '%s'%s (commands: %s; see sanctionsim "
                     "--help)",
                     what, cmd, hint, list);
}

static int run_cli(int argc, char **argv, const sim_cluster *cluster,
                   sim_err *err)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return SIM_E_USAGE;
    }
    command table[N_COMMANDS];
    command_table(table);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") && argc > 2) {
        const command *topic = find_command(table, argv[2]);
        if (!topic)
            return unknown_command(table, "help topic", argv[2], err);
        fputs(topic->usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") ||
        !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("sanctionsim %s%s\n", SIM_VERSION,
               sim_cluster_available() ? " (built with MPI)" : "");
        return 0;
    }
    const command *found = find_command(table, cmd);
    if (!found)
        return unknown_command(table, "command", cmd, err);
    if (sim_cluster_size(cluster) > 1 && strcmp(cmd, "run") != 0 &&
        strcmp(cmd, "sweep") != 0 && strcmp(cmd, "calibrate") != 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s runs on one process: start it without mpirun "
                         "(only run, sweep and calibrate use several MPI "
                         "ranks)",
                         cmd);
    if (found->entry == sweep_entry) {
        catch_signals();
        return sweep_main(argc, argv, &interrupted, cluster, err);
    }
    if (found->entry == calibrate_entry) {
        catch_signals();
        return calibrate_main(argc, argv, &interrupted, cluster, err);
    }
    if (found->entry)
        return found->entry(argc - found->shift, argv + found->shift, err);
    const char *help = found->usage;
    cli c = {.command = cmd};
    int rc = parse(argc, argv, &c, err);
    if (rc)
        return rc;
    if (sim_cluster_rank(cluster) > 0)
        c.quiet = true; /* rank 0 speaks for the job */
    if (c.help) {
        fputs(help, stdout);
        return 0;
    }
    if (!strcmp(cmd, "keys")) {
        if (c.scenario)
            return sim_error(err, SIM_E_USAGE, "keys takes no argument");
        sim_scenario_reference(stdout, sim_builtin_models());
        return 0;
    }
    if (!c.scenario)
        return sim_error(err, SIM_E_USAGE,
                         "%s needs a scenario file (see sanctionsim %s "
                         "--help)",
                         cmd, cmd);
    /* The scenario and the --set records of a run are large: on the
     * heap. */
    sim_scenario *sc = malloc(sizeof *sc);
    sim_provenance *prov = malloc(sizeof *prov);
    if (!sc || !prov)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    else
        rc = !strcmp(cmd, "run")     ? cmd_run(&c, argc, argv, sc, prov,
                                               cluster, err)
             : !strcmp(cmd, "solve") ? cmd_solve(&c, sc, err)
                                     : cmd_check(&c, sc, err);
    free(prov);
    free(sc);
    return rc;
}

/* Whether an MPI launcher (mpirun, mpiexec, srun) started this process:
 * only then does the MPI build start MPI. Started on its own it is the
 * plain program. */
static bool under_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") ||
           getenv("PMI_RANK") || getenv("PMI_SIZE");
}

/* The MPI build: starts MPI and the cluster when launched by mpirun;
 * the ranks other than 0 then print nothing (their standard output goes
 * to /dev/null). Returns the cluster or NULL. */
static sim_cluster *start_mpi(int *argc, char ***argv)
{
    sim_cluster *cluster = NULL;
#ifdef SIM_MPI
    int provided = 0;
    sim_err err = {0};
    if (!under_mpi() ||
        MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
            MPI_SUCCESS)
        return NULL;
    if (sim_cluster_open(&cluster, &err) != 0) {
        fprintf(stderr, "sanctionsim: %s\n", err.msg);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (sim_cluster_rank(cluster) > 0 && !freopen("/dev/null", "w", stdout))
        MPI_Abort(MPI_COMM_WORLD, 1);
#else
    (void)argc;
    (void)argv;
    (void)under_mpi;
#endif
    return cluster;
}

/* Ends MPI (the MPI build). A rank other than 0 says nothing of an error
 * rank 0 reports (all of its usage errors are rank 0's too); any other
 * failure of its own it reports with its rank and ends the job. */
static void end_mpi(sim_cluster *cluster, int rc, const sim_err *err)
{
#ifdef SIM_MPI
    if (!cluster)
        return;
    int rank = sim_cluster_rank(cluster);
    if (rank > 0 && rc && sim_exit_status(rc) != 2 &&
        strncmp(err->msg, "rank 0 failed", 13) != 0) {
        fprintf(stderr, "sanctionsim: rank %d: %s\n", rank, err->msg);
        MPI_Abort(MPI_COMM_WORLD, sim_exit_status(rc));
    }
    sim_cluster_close(cluster);
    MPI_Finalize();
#else
    (void)cluster;
    (void)rc;
    (void)err;
#endif
}

int main(int argc, char **argv)
{
    sim_err err = {0};
    sim_error_quiet_gsl();
    sim_cluster *cluster = start_mpi(&argc, &argv);
    int rc = run_cli(argc, argv, cluster, &err);
    /* Output that did not reach its destination (a full disk, a closed
     * pipe, /dev/full) is a failure, not a success. */
    if (!rc && (fflush(stdout) != 0 || ferror(stdout)))
        rc = sim_error(&err, SIM_E_IO,
                       "cannot write to standard output (disk full?)");
    if (rc && err.msg[0] && sim_cluster_rank(cluster) == 0)
        fprintf(stderr, "sanctionsim: %s\n", err.msg);
    end_mpi(cluster, rc, &err);
    return sim_exit_status(rc);
}
