/* test_report_browser.c - the page of `sanctionsim report` in a real
 * browser: headless Chromium (Debian's chromium; .ci/setup.sh installs
 * it) loads the page of two runs, and the test checks the DOM it
 * rendered (the sections, the rows of the comparison and difference
 * tables, six figures each with an SVG holding drawn paths, no parser
 * error) and the screenshot it takes (a PNG of the window's size). Skips
 * with a message where chromium or gnuplot is absent. CTest label slow. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char top[1024], browser[64];

static const char *at(const char *name)
{
    static char buf[8][1200];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", top, name);
    return b;
}

static void run_ok(const char *cmd)
{
    char *out = NULL;
    int st = sim_test_run(cmd, &out);
    if (st != 0)
        fail_msg("%s: status %d\n%s", cmd, st, out ? out : "");
    free(out);
}

static int count(const char *s, const char *end, const char *what)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)) && (!end || p < end); p++)
        n++;
    return n;
}

/* The rows of the table that starts with `open` in html. */
static int table_rows(const char *html, const char *open)
{
    const char *t = strstr(html, open);
    if (!t)
        return -1;
    return count(t, strstr(t, "</table>"), "<tr>");
}

static void page_in_chromium(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", sim_test_tmpdir("report_browser"));
    const char *names[] = {"chromium", "chromium-browser"};
    for (int i = 0; i < 2 && !browser[0]; i++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "command -v %s >/dev/null", names[i]);
        if (sim_test_run(cmd, NULL) == 0)
            snprintf(browser, sizeof browser, "%s", names[i]);
    }
    if (!browser[0] ||
        sim_test_run("command -v gnuplot >/dev/null", NULL) != 0) {
        print_message("chromium or gnuplot is not installed (apt-get "
                      "install chromium gnuplot-nox): skipped\n");
        skip();
    }
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "'%s' run tests/golden/small.cfg -n 40 --trace -q -o '%s' && "
             "'%s' run tests/golden/small.cfg -n 40 --trace -q -o '%s' "
             "--set eu.enabled=false && '%s' report '%s' '%s' -q -o '%s'",
             sim_test_bin(), at("a"), sim_test_bin(), at("b"), sim_test_bin(),
             at("a"), at("b"), at("brief.html"));
    run_ok(cmd);
    char page[1300];
    snprintf(page, sizeof page, "%s", at("brief.html"));
    if (page[0] != '/') {
        char cwd[1024];
        assert_non_null(getcwd(cwd, sizeof cwd));
        snprintf(page, sizeof page, "%s/%s", cwd, at("brief.html"));
    }
    const char *flags = "--headless --no-sandbox --disable-gpu "
                        "--no-first-run --disable-extensions";
    snprintf(cmd, sizeof cmd,
             "timeout 120 %s %s --user-data-dir='%s' --dump-dom "
             "'file://%s' >'%s' 2>/dev/null",
             browser, flags, at("profile"), page, at("dom.html"));
    run_ok(cmd);
    snprintf(cmd, sizeof cmd,
             "timeout 120 %s %s --user-data-dir='%s' --window-size=1200,1600 "
             "--screenshot='%s' 'file://%s' >/dev/null 2>&1",
             browser, flags, at("profile"), at("shot.png"), page);
    run_ok(cmd);

    char *dom = sim_test_slurp(at("dom.html"), NULL);
    assert_non_null(dom);
    assert_null(strstr(dom, "parsererror"));
    const char *sections[] = {"id=\"question\"", "id=\"differences\"",
                              "id=\"comparison\"", "id=\"pictures\"",
                              "id=\"reproduce\""};
    for (int i = 0; i < 5; i++)
        assert_non_null(strstr(dom, sections[i]));
    /* the header row and at least the six key outcomes */
    assert_true(table_rows(dom, "<table class=\"compare\">") >= 7);
    assert_int_equal(table_rows(dom, "<table class=\"diff\">"), 2);
    assert_int_equal(count(dom, NULL, "<figure>"), 6);
    assert_int_equal(count(dom, NULL, "<svg"), 6);
    /* each picture's drawing survived the parse: paths inside its svg */
    for (const char *s = strstr(dom, "<svg"); s; s = strstr(s + 1, "<svg"))
        assert_true(count(s, strstr(s, "</svg>"), "<path") > 10);
    free(dom);

    size_t len;
    unsigned char *png = (unsigned char *)sim_test_slurp(at("shot.png"), &len);
    assert_non_null(png);
    assert_true(len > 24);
    assert_memory_equal(png + 1, "PNG", 3);
    unsigned w = (unsigned)png[18] << 8 | png[19];
    assert_int_equal(w, 1200);
    free(png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_in_chromium),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
