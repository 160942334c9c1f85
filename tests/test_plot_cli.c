/* test_plot_cli.c - `sanctionsim plot` on real result directories: valid
 * PNG (signature and the IHDR size asked for), SVG and PDF files for one
 * run, two runs, a run without --trace (fan charts left out, with the
 * way to get them), a sweep, a directory of `discover`; and the refusals:
 * no results, no gnuplot on PATH, an existing output, mixed kinds, a bad
 * format; none of them leaves an output directory.
 *
 * Needs gnuplot (.ci/setup.sh installs gnuplot-nox); the tests that draw
 * skip with a message without it. */
#include "testutil.h"

#include <stdbool.h>
#include <stdint.h>
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

/* Runs `[env] sanctionsim ARGS`; stdout and stderr in *out (may be NULL);
 * returns the exit status. */
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

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Requires a PNG file: the signature, then an IHDR chunk of width x
 * height. */
static void assert_png(const char *path, uint32_t width, uint32_t height)
{
    size_t len;
    unsigned char *b = (unsigned char *)sim_test_slurp(path, &len);
    if (!b)
        fail_msg("no file %s", path);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
                                         0x1a, '\n'};
    assert_true(len > 33);
    assert_memory_equal(b, sig, 8);
    assert_memory_equal(b + 12, "IHDR", 4);
    uint32_t w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 |
                 (uint32_t)b[18] << 8 | b[19];
    uint32_t h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 |
                 (uint32_t)b[22] << 8 | b[23];
    if (width)
        assert_int_equal(w, width);
    if (height)
        assert_int_equal(h, height);
    assert_true(w > 0 && h > 0);
    free(b);
}

/* Requires an SVG document: an XML prolog or <svg first, a closing
 * </svg>, and some drawing. */
static void assert_svg(const char *path)
{
    char *s = sim_test_slurp(path, NULL);
    if (!s)
        fail_msg("no file %s", path);
    const char *p = s + strspn(s, " \t\r\n");
    assert_true(!strncmp(p, "<?xml", 5) || !strncmp(p, "<svg", 4));
    assert_non_null(strstr(s, "<svg"));
    assert_non_null(strstr(s, "</svg>"));
    assert_non_null(strstr(s, "<path"));
    free(s);
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", sim_test_tmpdir("plot_cli"));
    have_gnuplot = sim_test_run("command -v gnuplot >/dev/null", NULL) == 0;
    char args[4096];
    snprintf(args, sizeof args,
             "run tests/golden/small.cfg -n 60 --trace -q -o '%s'", at("base"));
    sim_ok(args);
    snprintf(args, sizeof args,
             "run tests/golden/small.cfg -n 60 --trace -q -o '%s' --set "
             "stop.no_deal_rounds=2",
             at("stops"));
    sim_ok(args);
    snprintf(args, sizeof args,
             "run tests/golden/small.cfg -n 40 -q -o '%s'", at("notrace"));
    sim_ok(args);
    char exp[1300], text[2048], cwd[1024];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    snprintf(text, sizeof text,
             "scenario = \"%s/tests/golden/small.cfg\";\ndesign = \"sobol\";\n"
             "samples = 8;\nreplications = 5;\nseed = 1L;\nbootstrap = 50;\n"
             "metrics = [\"released_total\", \"eu_deals\"];\nfactors = (\n"
             "  { key = \"bargaining.breakdown\"; range = [0.02, 0.3]; },\n"
             "  { key = \"eu.enabled\"; values = [false, true]; }\n);\n",
             cwd);
    snprintf(exp, sizeof exp, "%s", at("exp.cfg"));
    if (sim_test_write(exp, text))
        return -1;
    snprintf(args, sizeof args, "sweep '%s' -q -o '%s'", exp, at("sweep"));
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

/* One run, PNG, into the default DIR-plots. */
static void one_run_png(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char args[2048], *out = NULL;
    snprintf(args, sizeof args, "plot '%s'", at("base"));
    assert_int_equal(sim("", args, &out), 0);
    assert_non_null(strstr(out, "base-plots"));
    free(out);
    assert_png(at("base-plots/outcomes.png"), 1200, 760);
    assert_png(at("base-plots/fan_prisoners.png"), 1000, 0);
    assert_png(at("base-plots/fan_released.png"), 1000, 0);
    assert_png(at("base-plots/fan_tension.png"), 1000, 0);
    assert_png(at("base-plots/borders.png"), 1200, 420);
    assert_png(at("base-plots/lifted.png"), 1100, 0);
    assert_true(exists(at("base-plots/plot.gp")));
    /* again: refused without --force, replaced with it */
    assert_int_equal(sim("", args, &out), 2);
    assert_non_null(strstr(out, "--force"));
    free(out);
    snprintf(args, sizeof args, "plot '%s' --force -q", at("base"));
    sim_ok(args);
}

/* Two runs in one picture each; the second has runs that stop early, so
 * the fan charts get the panel of the runs still running. */
static void two_runs_svg_pdf(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char args[4096];
    snprintf(args, sizeof args, "plot '%s' '%s' --format svg -q -o '%s'",
             at("base"), at("stops"), at("two"));
    sim_ok(args);
    assert_svg(at("two/outcomes.svg"));
    assert_svg(at("two/fan_prisoners.svg"));
    char *gp = sim_test_slurp(at("two/plot.gp"), NULL);
    assert_non_null(gp);
    assert_non_null(strstr(gp, "still running"));
    assert_non_null(strstr(gp, "dt 2")); /* the second directory's dashes */
    free(gp);
    snprintf(args, sizeof args, "plot '%s' --format pdf -q -o '%s'",
             at("base"), at("pdf"));
    sim_ok(args);
    char *pdf = sim_test_slurp(at("pdf/outcomes.pdf"), NULL);
    assert_non_null(pdf);
    assert_memory_equal(pdf, "%PDF", 4);
    free(pdf);
}

static void without_trace(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char args[2048], *out = NULL;
    snprintf(args, sizeof args, "plot '%s' -o '%s'", at("notrace"),
             at("notrace_plots"));
    assert_int_equal(sim("", args, &out), 0);
    assert_non_null(strstr(out, "--trace"));
    free(out);
    assert_png(at("notrace_plots/outcomes.png"), 1200, 760);
    assert_false(exists(at("notrace_plots/fan_prisoners.png")));
}

static void sweep_pictures(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char args[2048];
    snprintf(args, sizeof args, "plot '%s' -q -o '%s'", at("sweep"),
             at("sweep_plots"));
    sim_ok(args);
    assert_png(at("sweep_plots/effects_released_total.png"), 1100, 420);
    assert_png(at("sweep_plots/effects_eu_deals.png"), 1100, 420);
    assert_png(at("sweep_plots/sobol.png"), 1100, 0);
}

static void discover_picture(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char dir[1300], path[1400], args[3000];
    snprintf(dir, sizeof dir, "%s", at("disc"));
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/peeling.csv", dir);
    assert_int_equal(sim_test_write(path,
                                    "step,coverage,density,mass,n_points\n"
                                    "0,1,0.3,1,100\n1,0.95,0.4,0.7,70\n"
                                    "2,0.8,0.6,0.4,40\n3,0.5,0.9,0.17,17\n"),
                     0);
    snprintf(args, sizeof args, "plot '%s' -q -o '%s'", dir, at("disc_plots"));
    sim_ok(args);
    assert_png(at("disc_plots/peeling.png"), 900, 640);
}

/* Every refusal exits non-zero with its reason and leaves no output. */
static void refusals(void **state)
{
    (void)state;
    char args[4096], *out = NULL;
    snprintf(args, sizeof args, "plot '%s' -o '%s'", top, at("o1"));
    assert_int_equal(sim("", args, &out), 2);
    assert_non_null(strstr(out, "holds no results"));
    free(out);
    snprintf(args, sizeof args, "plot '%s' -o '%s'", at("base"), at("o2"));
    assert_int_equal(sim("PATH=/nonexistent", args, &out), 2);
    assert_non_null(strstr(out, "apt-get install gnuplot-nox"));
    free(out);
    snprintf(args, sizeof args, "plot '%s' '%s' -o '%s'", at("base"),
             at("sweep"), at("o3"));
    assert_int_equal(sim("", args, &out), 2);
    assert_non_null(strstr(out, "of one kind"));
    free(out);
    snprintf(args, sizeof args, "plot '%s' --format jpg -o '%s'", at("base"),
             at("o4"));
    assert_int_equal(sim("", args, &out), 2);
    assert_non_null(strstr(out, "png, svg or pdf"));
    free(out);
    assert_int_equal(sim("", "plot", &out), 2);
    free(out);
    assert_int_equal(sim("", "plot --fromat svg x", &out), 2);
    assert_non_null(strstr(out, "--format"));
    free(out);
    for (int i = 1; i <= 4; i++) {
        char o[8];
        snprintf(o, sizeof o, "o%d", i);
        assert_false(exists(at(o)));
    }
    /* no temporary directory left beside the outputs */
    char names[4096];
    sim_test_dir_entries(top, names, sizeof names);
    assert_null(strstr(names, ".tmp-"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_run_png),     cmocka_unit_test(two_runs_svg_pdf),
        cmocka_unit_test(without_trace),   cmocka_unit_test(sweep_pictures),
        cmocka_unit_test(discover_picture), cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
