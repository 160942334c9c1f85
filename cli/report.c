/* report.c - `sanctionsim report DIR [DIR2...] -o brief.html`: one
 * self-contained HTML page for a briefing: the question (the scenario's
 * description), what differs between the scenarios (their resolved
 * scenario.cfg), the comparison table (sim_compare_run) or the summary of
 * one run, the pictures of `plot` as inline SVG, and how to reproduce it
 * (the commands and seeds of the manifests). No script, no network, no
 * external font. Written to a temporary file renamed into place. */
#include "cliopt.h"
#include "report.h"

#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sanctionsim/compare.h>
#include <sanctionsim/models.h>
#include <sanctionsim/suggest.h>
#include <sanctionsim/version.h>

const char report_usage[] =
    "usage: sanctionsim report DIR [DIR2...] [-o FILE.html] [--force]\n"
    "                          [--quiet]\n"
    "\n"
    "Writes one self-contained HTML page for a briefing (inline SVG\n"
    "pictures, no script, no network): the question (the scenario's\n"
    "description), what differs between the scenarios, the comparison of\n"
    "each later directory with the first (as `compare`) or the summary of\n"
    "one run, the pictures of `plot`, and the commands and seeds that\n"
    "reproduce it. Needs gnuplot (apt-get install gnuplot-nox).\n"
    "\n"
    "  -o, --output FILE  the page (default: DIR-report.html beside one\n"
    "                     directory, results/report.html for several)\n"
    "  --force            replace FILE if it exists\n"
    "  -q, --quiet        print nothing but warnings and errors\n"
    "  -h, --help         this help\n";

#define TOP 12

typedef struct report_args {
    const char *dirs[PLOT_MAX_DIRS];
    int ndirs;
    const char *out;
    bool force, quiet, help;
} report_args;

static int usage(sim_err *err, const char *what, const char *arg)
{
    return sim_error(err, SIM_E_USAGE,
                     "report: %s%s%s (see sanctionsim report --help)", what,
                     arg ? " " : "", arg ? arg : "");
}

static int parse(int argc, char **argv, report_args *a, sim_err *err)
{
    static const char *const opts[] = {"--output", "--force", "--quiet",
                                       "--help"};
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            a->help = true;
        } else if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
            if (i + 1 >= argc || !argv[i + 1][0])
                return usage(err, "-o needs a file name", NULL);
            a->out = argv[++i];
        } else if (!strcmp(s, "--force")) {
            a->force = true;
        } else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
            a->quiet = true;
        } else if (s[0] == '-' && s[1]) {
            return cli_unknown_option("report", s, opts,
                                      (int)(sizeof opts / sizeof *opts), err);
        } else {
            if (a->ndirs >= PLOT_MAX_DIRS)
                return usage(err, "too many directories (at most 8)", NULL);
            a->dirs[a->ndirs++] = s;
        }
    }
    return 0;
}

/* Writes s with HTML's special characters escaped. */
static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* A number for a table: 4 significant digits, "–" when missing. */
static void num(FILE *f, double v)
{
    if (isnan(v))
        fputs("&ndash;", f);
    else
        fprintf(f, fabs(v) < 1e-4 && v != 0 ? "%.3g" : "%.4g",
                v == 0 ? 0.0 : v);
}

static const char style[] =
    "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 "
    "1em;color:#111;line-height:1.4}\n"
    "h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #999;"
    "margin-top:2em}\n"
    "table{border-collapse:collapse;margin:1em 0;font-size:0.92em}\n"
    "th,td{border:1px solid #bbb;padding:0.25em 0.6em;text-align:right}\n"
    "th{background:#eee}td.l,th.l{text-align:left}\n"
    "figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}\n"
    "figcaption{font-size:0.92em;color:#333}\n"
    "pre{background:#f4f4f4;padding:0.8em;overflow-x:auto;"
    "white-space:pre-wrap}\n"
    ".meta{color:#555;font-size:0.9em}\n";

/* The scenario of run directory dir (name, description); false if it
 * has no loadable scenario.cfg. */
static bool dir_scenario(const char *dir, sim_scenario *sc)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/scenario.cfg", dir);
    sim_err quiet = {0};
    return access(path, R_OK) == 0 &&
           sim_scenario_load(sc, sim_builtin_models(), path, NULL, 0, NULL,
                             &quiet) == 0;
}

/* The opening comment of the file at path (an experiment file opens with
 * the question it answers), as preformatted text; false if unreadable. */
static bool opening_comment(FILE *f, const char *path)
{
    FILE *in = fopen(path, "r");
    if (!in)
        return false;
    char line[1024];
    bool any = false;
    while (fgets(line, sizeof line, in) && !strncmp(line, "//", 2)) {
        fputs(any ? "" : "<pre>", f);
        esc(f, line + 2 + (line[2] == ' '));
        any = true;
    }
    fclose(in);
    fputs(any ? "</pre>\n" : "", f);
    return any;
}

/* "The question": each directory's scenario and description. */
static void question(FILE *f, const report_args *a, sim_scenario *sc)
{
    fputs("<h2 id=\"question\">The question</h2>\n", f);
    for (int d = 0; d < a->ndirs; d++) {
        sim_plot_manifest m;
        sim_err quiet = {0};
        fputs("<p><b>", f);
        esc(f, a->dirs[d]);
        fputs("</b>: ", f);
        if (dir_scenario(a->dirs[d], sc)) {
            fputs("scenario <i>", f);
            esc(f, sc->name);
            fputs("</i>. ", f);
            esc(f, sc->description[0] ? sc->description : "(no description)");
        } else if (!sim_plot_manifest_read(a->dirs[d], &m, &quiet) &&
                   m.source[0]) {
            fputs("a sweep of the experiment <code>", f);
            esc(f, m.source);
            fputs("</code>:</p>\n", f);
            fputs(opening_comment(f, m.source)
                      ? "<p class=\"meta\">(the experiment file's opening "
                        "comment)"
                      : "<p>(the experiment file is not readable from here)",
                  f);
        } else {
            fputs("(no scenario.cfg)", f);
        }
        fputs("</p>\n", f);
    }
}

/* "What differs": the settings of each later scenario.cfg that differ
 * from the first's. */
static int differences(FILE *f, const report_args *a, sim_err *err)
{
    fputs("<h2 id=\"differences\">What differs between the scenarios</h2>\n",
          f);
    char pa[SIM_PATH_MAX + 32], pb[SIM_PATH_MAX + 32];
    snprintf(pa, sizeof pa, "%s/scenario.cfg", a->dirs[0]);
    for (int d = 1; d < a->ndirs; d++) {
        snprintf(pb, sizeof pb, "%s/scenario.cfg", a->dirs[d]);
        sim_plot_change *ch;
        size_t n;
        if (access(pa, R_OK) || access(pb, R_OK)) {
            fputs("<p>(no resolved scenario.cfg to compare)</p>\n", f);
            continue;
        }
        int rc = sim_plot_scenario_diff(pa, pb, &ch, &n, err);
        if (rc)
            return rc;
        fputs("<table class=\"diff\"><tr><th class=\"l\">setting</th>"
              "<th class=\"l\">",
              f);
        esc(f, a->dirs[0]);
        fputs("</th><th class=\"l\">", f);
        esc(f, a->dirs[d]);
        fputs("</th></tr>\n", f);
        for (size_t i = 0; i < n; i++) {
            fputs("<tr><td class=\"l\"><code>", f);
            esc(f, ch[i].key);
            fputs("</code></td><td class=\"l\">", f);
            esc(f, ch[i].a[0] ? ch[i].a : "(absent)");
            fputs("</td><td class=\"l\">", f);
            esc(f, ch[i].b[0] ? ch[i].b : "(absent)");
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
        sim_plot_changes_free(ch, n);
    }
    return 0;
}

/* The unit of metric m after its name, " (persons)", or "". */
static void unit_of(FILE *f, const sim_scenario *sc, const char *m)
{
    char unit[64] = "";
    if (sim_plot_column_unit(sc, m, unit, sizeof unit, NULL, 0) && unit[0]) {
        fputs(" <span class=\"meta\">(", f);
        esc(f, unit);
        fputs(")</span>", f);
    }
}

/* The summary of one run: its key metrics from summary.csv. */
static int summary_table(FILE *f, const char *dir, const sim_scenario *sc,
                         sim_err *err)
{
    static const char *const keys[] = {
        "released_total", "prisoners_end",      "us_deals",
        "eu_deals",       "first_us_deal_round", "first_eu_relief_round",
        "eu_vetoes",      "any_us_deal",         "any_eu_deal"};
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    static const char *const cols[] = {"n", "mean", "ci95_lo", "ci95_hi",
                                       "p05", "p50", "p95"};
    sim_plot_query q = {.cols = cols, .ncols = 7, .label_col = "metric"};
    sim_plot_table t;
    int rc = sim_plot_table_read(path, &q, &t, err);
    if (rc)
        return rc;
    fputs("<h2 id=\"comparison\">The outcomes</h2>\n<table id=\"summary\">"
          "<tr><th class=\"l\">metric</th><th>runs</th><th>mean</th>"
          "<th>95% CI of the mean</th><th>5th pct.</th><th>median</th>"
          "<th>95th pct.</th></tr>\n",
          f);
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        for (size_t i = 0; i < t.nrows; i++) {
            if (strcmp(t.label[i], keys[k]) != 0)
                continue;
            fputs("<tr><td class=\"l\">", f);
            esc(f, keys[k]);
            unit_of(f, sc, keys[k]);
            fputs("</td>", f);
            for (int c = 0; c < 7; c++) {
                fputs(c == 3 ? "" : "<td>", f);
                if (c == 2)
                    fputc('[', f);
                num(f, sim_plot_at(&t, i, c));
                fputs(c == 2 ? ", " : c == 3 ? "]</td>" : "</td>", f);
            }
            fputs("</tr>\n", f);
        }
    fputs("</table>\n<p class=\"meta\">Percentiles are over the "
          "replications: they show how differently the runs turn out, not "
          "the precision of the mean. Every metric: summary.csv.</p>\n",
          f);
    sim_plot_table_free(&t);
    return 0;
}

static int by_change(const void *x, const void *y)
{
    const sim_compare_row *a = *(const sim_compare_row *const *)x;
    const sim_compare_row *b = *(const sim_compare_row *const *)y;
    double u = fabs(a->std_diff), v = fabs(b->std_diff);
    if (isnan(u) || isnan(v))
        return isnan(u) - isnan(v);
    return (u < v) - (u > v);
}

/* The key outcomes, shown first in the comparison. */
static const char *const key_metrics[] = {
    "released_total", "prisoners_end",       "us_deals",
    "eu_deals",       "first_us_deal_round", "price_per_prisoner"};

#define N_KEYS (sizeof key_metrics / sizeof *key_metrics)

static bool is_key(const char *m)
{
    for (size_t k = 0; k < N_KEYS; k++)
        if (!strcmp(m, key_metrics[k]))
            return true;
    return false;
}

static void compare_row(FILE *f, const sim_compare_row *r,
                        const sim_scenario *sc)
{
    fputs("<tr><td class=\"l\">", f);
    esc(f, r->metric);
    unit_of(f, sc, r->metric);
    fputs("</td><td>", f);
    num(f, r->mean_a);
    fputs("</td><td>", f);
    num(f, r->mean_b);
    fputs("</td><td>", f);
    num(f, r->diff.estimate);
    fputs("</td><td>[", f);
    num(f, r->diff.lo);
    fputs(", ", f);
    num(f, r->diff.hi);
    fputs("]</td><td>", f);
    num(f, r->median.estimate);
    fputs("</td><td>", f);
    num(f, r->p_holm);
    fprintf(f, "</td><td class=\"l\">%s</td></tr>\n", r->test);
}

/* One later directory's rows of the comparison: the key outcomes, then
 * the others that changed most, largest standardized change first. */
static void compare_rows(FILE *f, const sim_compare_result *res, int b,
                         const sim_scenario *sc, const sim_compare_row **order)
{
    size_t n = 0, shown = 0;
    for (size_t k = 0; k < N_KEYS; k++)
        for (size_t i = 0; i < res->nrows; i++)
            if (res->row[i].b == b && !strcmp(res->row[i].metric,
                                              key_metrics[k])) {
                compare_row(f, &res->row[i], sc);
                shown++;
            }
    for (size_t k = 0; k < res->nrows; k++)
        if (res->row[k].b == b && !is_key(res->row[k].metric))
            order[n++] = &res->row[k];
    qsort((void *)order, n, sizeof(const sim_compare_row *), by_change);
    for (size_t k = 0; k < n && shown < TOP; k++, shown++)
        compare_row(f, order[k], sc);
}

/* The comparison of each later run directory with the first. */
static int comparison(FILE *f, const report_args *a, const sim_scenario *sc,
                      sim_err *err)
{
    sim_compare_opts o = {.dirs = a->dirs, .ndirs = a->ndirs};
    sim_compare_result res;
    int rc = sim_compare_run(&o, &res, err);
    if (rc)
        return rc;
    const sim_compare_row **order =
        malloc((res.nrows ? res.nrows : 1) * sizeof(const sim_compare_row *));
    if (!order) {
        sim_compare_result_free(&res);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    fputs("<h2 id=\"comparison\">The comparison</h2>\n", f);
    for (int i = 0; i < res.npairs; i++) {
        fputs("<p><b>", f);
        esc(f, a->dirs[i + 1]);
        fputs("</b> against <b>", f);
        esc(f, a->dirs[0]);
        fputs("</b>: ", f);
        esc(f, res.pair[i].reason);
        if (res.pair[i].warning[0]) {
            fputs(" <b>Warning:</b> ", f);
            esc(f, res.pair[i].warning);
        }
        fputs("</p>\n<table class=\"compare\"><tr><th class=\"l\">metric "
              "(the key outcomes, then those that changed most)</th><th>mean, first</th>"
              "<th>mean, this</th><th>difference</th><th>95% CI</th>"
              "<th>median difference</th><th>p (Holm)</th>"
              "<th class=\"l\">test</th></tr>\n",
              f);
        compare_rows(f, &res, i + 1, sc, order);
        fputs("</table>\n", f);
    }
    fputs("<p class=\"meta\">Differences are this directory minus the first; "
          "after the key outcomes, sorted by the standardized change. `sanctionsim compare` writes "
          "every metric with its rank and distribution tests to "
          "compare.csv (docs/COMPARE.md).</p>\n",
          f);
    free(order);
    sim_compare_result_free(&res);
    return 0;
}

/* Copies the SVG file at path into f from its <svg element, its ids
 * prefixed with fN- so that the pictures of one page do not share any. */
static int inline_svg(FILE *f, const char *path, int fig, sim_err *err)
{
    FILE *in = fopen(path, "r");
    if (!in)
        return sim_error(err, SIM_E_IO, "cannot read %s: %s", path,
                         SIM_ERRNO_TEXT(errno));
    char line[8192];
    bool started = false;
    while (fgets(line, sizeof line, in)) {
        char *s = line;
        if (!started) {
            s = strstr(line, "<svg");
            if (!s)
                continue;
            started = true;
        }
        for (; *s; s++) {
            if (!strncmp(s, "id='gp", 6) || !strncmp(s, "id=\"gp", 6) ||
                !strncmp(s, "id=\"gnuplot", 11)) {
                fprintf(f, "id=%cf%d-", s[3], fig);
                s += 3;
            } else if (!strncmp(s, "#gp", 3)) {
                fprintf(f, "#f%d-", fig);
            } else {
                fputc(*s, f);
            }
        }
    }
    bool bad = ferror(in);
    fclose(in);
    if (bad || !started)
        return sim_error(err, SIM_E_IO, "%s is not an SVG picture", path);
    return 0;
}

static int figures(FILE *f, const plot_job *job, const char *tmp,
                   sim_err *err)
{
    fputs("<h2 id=\"pictures\">Pictures</h2>\n", f);
    for (int i = 0; i < job->nnotes; i++) {
        fputs("<p class=\"meta\">Note: ", f);
        esc(f, job->note[i]);
        fputs("</p>\n", f);
    }
    for (int i = 0; i < job->nfig; i++) {
        char path[SIM_PATH_MAX + 200];
        snprintf(path, sizeof path, "%s/%s", tmp, job->fig[i].file);
        fputs("<figure>\n", f);
        int rc = inline_svg(f, path, i + 1, err);
        if (rc)
            return rc;
        fputs("<figcaption>", f);
        esc(f, job->fig[i].title);
        fputs("</figcaption>\n</figure>\n", f);
    }
    return 0;
}

/* The commands that made each directory and this page, with seeds. */
static void reproduce(FILE *f, const report_args *a, int argc, char **argv)
{
    fputs("<h2 id=\"reproduce\">How to reproduce</h2>\n<p>From the top of "
          "the sanctionsim source tree, the commands that made the results "
          "(from their manifest.cfg), then this page:</p>\n<pre>",
          f);
    for (int d = 0; d < a->ndirs; d++) {
        sim_plot_manifest m;
        sim_err quiet = {0};
        if (sim_plot_manifest_read(a->dirs[d], &m, &quiet)) {
            fputs("# ", f);
            esc(f, a->dirs[d]);
            fputs(": no manifest.cfg\n", f);
            continue;
        }
        fputs("# ", f);
        esc(f, a->dirs[d]);
        fprintf(f, ": sanctionsim %s, master seed %lld, %lld replications%s\n",
                m.version[0] ? m.version : "?", (long long)m.seed,
                (long long)m.replications,
                m.seed < 0 ? " (seed not recorded)" : "");
        esc(f, m.command[0] ? m.command : "(command not recorded)");
        fputc('\n', f);
    }
    fputs("# this page\nbuild/sanctionsim", f);
    for (int i = 0; i < argc; i++) {
        fputc(' ', f);
        esc(f, argv[i]);
    }
    fputs("</pre>\n<p>Replication <i>r</i> draws from streams keyed by the "
          "master seed and <i>r</i>, so the same command gives the same "
          "files on any number of threads.</p>\n",
          f);
}

/* The whole page into f. */
static int page(FILE *f, const report_args *a, const plot_job *job,
                const char *tmp, int argc, char **argv, sim_err *err)
{
    sim_scenario *sc = malloc(sizeof *sc);
    if (!sc)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    char when[32] = "";
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset="
          "\"utf-8\">\n<title>Briefing: ",
          f);
    for (int d = 0; d < a->ndirs; d++) {
        fputs(d ? " vs " : "", f);
        esc(f, a->dirs[d]);
    }
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>"
               "Briefing: ",
            style);
    for (int d = 0; d < a->ndirs; d++) {
        fputs(d ? " against " : "", f);
        esc(f, a->dirs[d]);
    }
    fprintf(f, "</h1>\n<p class=\"meta\">sanctionsim %s, %s</p>\n",
            SIM_VERSION, when);
    question(f, a, sc);
    int rc = 0;
    if (job->kind == SIM_PLOT_RUN && a->ndirs > 1)
        rc = differences(f, a, err);
    memcpy(sc, job->sc, sizeof *sc);
    if (!rc && job->kind == SIM_PLOT_RUN && a->ndirs > 1)
        rc = comparison(f, a, sc, err);
    else if (!rc && job->kind == SIM_PLOT_RUN)
        rc = summary_table(f, a->dirs[0], sc, err);
    if (!rc)
        rc = figures(f, job, tmp, err);
    if (!rc)
        reproduce(f, a, argc, argv);
    fputs("</body>\n</html>\n", f);
    free(sc);
    return rc;
}

/* The page's path: -o, else DIR-report.html or results/report.html;
 * refused if it exists (without --force) or is a directory. */
static int output_file(const report_args *a, char *out, size_t size,
                       sim_err *err)
{
    if (a->out)
        snprintf(out, size, "%s", a->out);
    else if (a->ndirs == 1) { /* beside the directory, as plot's */
        size_t len = strlen(a->dirs[0]);
        while (len > 1 && a->dirs[0][len - 1] == '/')
            len--;
        snprintf(out, size, "%.*s-report.html", (int)len, a->dirs[0]);
    }
    else
        snprintf(out, size, "results/report.html");
    if (strlen(out) + 32 >= size)
        return usage(err, "output path too long:", out);
    struct stat st;
    if (stat(out, &st) != 0)
        return 0;
    if (S_ISDIR(st.st_mode))
        return sim_error(err, SIM_E_USAGE,
                         "%s is a directory; -o names the page's file", out);
    if (!a->force)
        return sim_error(err, SIM_E_EXISTS,
                         "%s exists; choose another with -o or replace it "
                         "with --force",
                         out);
    return 0;
}

/* Writes the page into a temporary file beside out, renamed into place. */
static int write_page(const char *out, const report_args *a, plot_job *job,
                      const char *tmpdir, int argc, char **argv, sim_err *err)
{
    char tmp[SIM_PATH_MAX + 64];
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", out);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return sim_error(err, SIM_E_IO, "cannot create a file beside %s: %s",
                         out, SIM_ERRNO_TEXT(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return sim_error(err, SIM_E_IO, "cannot write %s", tmp);
    }
    fchmod(fd, 0644);
    int rc = page(f, a, job, tmpdir, argc, argv, err);
    bool bad = ferror(f);
    if ((fclose(f) != 0 || bad) && !rc)
        rc = sim_error(err, SIM_E_IO, "cannot write %s (disk full?)", tmp);
    if (!rc && rename(tmp, out) != 0)
        rc = sim_error(err, SIM_E_IO, "cannot rename %s to %s: %s", tmp, out,
                       SIM_ERRNO_TEXT(errno));
    if (rc)
        unlink(tmp);
    return rc;
}

int report_main(int argc, char **argv, sim_err *err)
{
    report_args a = {0};
    int rc = parse(argc, argv, &a, err);
    if (!rc && a.help) {
        fputs(report_usage, stdout);
        return 0;
    }
    if (!rc && a.ndirs < 1)
        rc = usage(err, "needs at least one result directory", NULL);
    char out[SIM_PATH_MAX];
    if (!rc)
        rc = output_file(&a, out, sizeof out, err);
    if (rc)
        return rc;
    char tmpdir[] = "/tmp/sanctionsim-report-XXXXXX";
    if (!mkdtemp(tmpdir))
        return sim_error(err, SIM_E_IO, "cannot create a directory in /tmp: "
                                        "%s",
                         SIM_ERRNO_TEXT(errno));
    plot_job job = {.dirs = a.dirs, .ndirs = a.ndirs, .format = "svg"};
    rc = plot_render(&job, tmpdir, err);
    if (!rc)
        rc = write_page(out, &a, &job, tmpdir, argc, argv, err);
    free(job.sc);
    plot_remove_dir(tmpdir);
    if (rc)
        return rc;
    for (int i = 0; i < job.nnotes; i++)
        fprintf(stderr, "sanctionsim: note: %s\n", job.note[i]);
    if (!a.quiet)
        printf("report: %d pictures -> %s\n", job.nfig, out);
    return 0;
}
