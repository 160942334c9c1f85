/* test_report_cli.c - `sanctionsim report`: the page of one run (summary
 * table) and of two (scenario differences, comparison table), self-
 * contained (inline SVG, no script, no external resource), written whole
 * or not at all; refusals: no results, no gnuplot, an existing page.
 * The page in a real browser is test_report_browser's (label slow). */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[1024];
static bool have_gnuplot;

static const char *at(const char *name)
{
    static char buf[8][1200];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", top, name);
    return b;
}

static int sim(const char *env, const char *args, char **out)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s '%s' %s 2>&1", env, sim_test_bin(), args);
    return sim_test_run(cmd, out);
}

static void sim_ok(const char *args)
{
    char *out = NULL;
    int st = sim("", args, &out);
    if (st != 0)
        fail_msg("sanctionsim %s: status %d\n%s", args, st, out ? out : "");
    free(out);
}

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)); p++)
        n++;
    return n;
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", sim_test_tmpdir("report_cli"));
    have_gnuplot = sim_test_run("command -v gnuplot >/dev/null", NULL) == 0;
    char args[4096];
    snprintf(args, sizeof args,
             "run tests/golden/small.cfg -n 40 --trace -q -o '%s'", at("a"));
    sim_ok(args);
    snprintf(args, sizeof args,
             "run tests/golden/small.cfg -n 40 --trace -q -o '%s' --set "
             "eu.enabled=false",
             at("b"));
    sim_ok(args);
    char cwd[1024], text[2048];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    snprintf(text, sizeof text,
             "// exp.cfg - does the EU track change the releases?\n"
             "scenario = \"%s/tests/golden/small.cfg\";\n"
             "design = \"full_factorial\";\nreplications = 10;\nseed = 1L;\n"
             "metrics = [\"released_total\"];\nfactors = (\n"
             "  { key = \"eu.enabled\"; values = [false, true]; }\n);\n",
             cwd);
    if (sim_test_write(at("exp.cfg"), text))
        return -1;
    snprintf(args, sizeof args, "sweep '%s' -q -o '%s'", at("exp.cfg"),
             at("sweep"));
    sim_ok(args);
    return 0;
}

#define NEED_GNUPLOT()                                                        \
    do {                                                                      \
        if (!have_gnuplot) {                                                  \
            print_message("gnuplot is not installed (apt-get install "       \
                          "gnuplot-nox): skipped\n");                         \
            skip();                                                           \
        }                                                                     \
    } while (0)

/* Nothing the page would fetch: no script, no src, no link, no url()
 * but the pictures' own fragments. */
static void assert_self_contained(const char *html)
{
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "@import"));
    assert_null(strstr(html, "url(http"));
    assert_null(strstr(html, "href=\"http"));
    assert_null(strstr(html, "href='http"));
}

static void one_run(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char args[2048];
    snprintf(args, sizeof args, "report '%s/' -q", at("a"));
    sim_ok(args);
    char *html = sim_test_slurp(at("a-report.html"), NULL);
    assert_non_null(html);
    assert_self_contained(html);
    assert_non_null(strstr(html, "<table id=\"summary\">"));
    assert_non_null(strstr(html, "released_total"));
    assert_int_equal(count(html, "<figure>"), 6);
    assert_int_equal(count(html, "<svg"), 6);
    assert_int_equal(count(html, "</svg>"), 6);
    /* ids made unique across the pictures */
    assert_null(strstr(html, "id='gpPt0'"));
    assert_non_null(strstr(html, "id='f1-gpPt0'"));
    assert_non_null(strstr(html, "master seed"));
    assert_non_null(strstr(html, "run tests/golden/small.cfg -n 40"));
    free(html);
}

static void two_runs(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char args[4096];
    snprintf(args, sizeof args, "report '%s' '%s' -q -o '%s'", at("a"),
             at("b"), at("brief.html"));
    sim_ok(args);
    char *html = sim_test_slurp(at("brief.html"), NULL);
    assert_non_null(html);
    assert_self_contained(html);
    /* the one setting that differs, and the paired comparison */
    assert_non_null(strstr(html, "<code>eu.enabled</code>"));
    assert_int_equal(count(html, "<table class=\"diff\">"), 1);
    assert_non_null(strstr(html, "<table class=\"compare\">"));
    assert_non_null(strstr(html, "paired"));
    assert_true(count(html, "paired_t") + count(html, "mcnemar") >= 6);
    assert_int_equal(count(html, "<svg"), 6);
    free(html);
    /* an existing page is kept without --force */
    char *out = NULL;
    assert_int_equal(sim("", args, &out), 2);
    assert_non_null(strstr(out, "--force"));
    free(out);
}

/* A sweep: its question is the experiment file's opening comment. */
static void sweep_page(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char args[2048];
    snprintf(args, sizeof args, "report '%s' -q", at("sweep"));
    sim_ok(args);
    char *html = sim_test_slurp(at("sweep-report.html"), NULL);
    assert_non_null(html);
    assert_self_contained(html);
    assert_non_null(strstr(html, "does the EU track change the releases?"));
    assert_int_equal(count(html, "<svg"), 1);
    assert_non_null(strstr(html, "Main effect of each factor on released_total"));
    free(html);
}

static void refusals(void **state)
{
    (void)state;
    char args[4096], *out = NULL;
    snprintf(args, sizeof args, "report '%s' -o '%s'", top, at("x1.html"));
    assert_int_equal(sim("", args, &out), 2);
    assert_non_null(strstr(out, "holds no results"));
    free(out);
    snprintf(args, sizeof args, "report '%s' -o '%s'", at("a"),
             at("x2.html"));
    assert_int_equal(sim("PATH=/nonexistent", args, &out), 2);
    assert_non_null(strstr(out, "apt-get install gnuplot-nox"));
    free(out);
    snprintf(args, sizeof args, "report '%s' -o '%s'", at("a"), top);
    assert_int_equal(sim("", args, &out), 2);
    assert_non_null(strstr(out, "is a directory"));
    free(out);
    struct stat st;
    assert_int_not_equal(stat(at("x1.html"), &st), 0);
    assert_int_not_equal(stat(at("x2.html"), &st), 0);
    char names[4096];
    sim_test_dir_entries(top, names, sizeof names);
    assert_null(strstr(names, ".tmp-"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_run),
        cmocka_unit_test(two_runs),
        cmocka_unit_test(sweep_page),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
