/* test_discover_cli.c - `sanctionsim discover` on a real small sweep
 * (scenarios/experiments/eu_factorial.cfg: the EU track off or on x three
 * levels of Lithuania's veto threshold, 200 runs a point): the files'
 * columns, the trajectory's first step and the chosen box's counts
 * recomputed from runs.csv and design.csv, the box's factors, --step and
 * --paste, the output directory's rules, and every refusal (exit 2,
 * nothing written). */
#include "testutil.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char top[1024]; /* this test's directory */

/* "TOP/name" in a static ring of buffers (several live at once). */
static const char *at(const char *name)
{
    static char buf[8][1200];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", top, name);
    return b;
}

/* Runs `sanctionsim ARGS`; stdout in *out, stderr in *errout (malloc'ed,
 * may be NULL); returns the exit status. */
static int sim(const char *args, char **out, char **errout)
{
    char cmd[8192];
    const char *errfile = at("stderr.txt");
    snprintf(cmd, sizeof cmd, "{ '%s' %s 2>'%s'; }", sim_test_bin(), args,
             errfile);
    int st = sim_test_run(cmd, out);
    if (errout)
        *errout = sim_test_slurp(errfile, NULL);
    return st;
}

static void sim_ok(const char *args)
{
    char *out = NULL, *err = NULL;
    int st = sim(args, &out, &err);
    if (st != 0)
        fail_msg("sanctionsim %s: status %d\n%s%s", args, st, out ? out : "",
                 err ? err : "");
    free(out);
    free(err);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", sim_test_tmpdir("discover_cli"));
    char args[4096];
    snprintf(args, sizeof args,
             "sweep scenarios/experiments/eu_factorial.cfg --threads 1 -q "
             "-o '%s'",
             at("sweep"));
    sim_ok(args);
    snprintf(args, sizeof args,
             "run tests/golden/small.cfg -n 5 --threads 1 -q -o '%s'",
             at("run"));
    sim_ok(args);
    return 0;
}

/* ---- reading the CSV files (no quoted fields here) ---- */

#define MAX_F 128

/* Splits line (modified) at commas into f; returns the count. */
static int split(char *line, char **f)
{
    int n = 0;
    for (char *s = line; s && n < MAX_F;) {
        f[n++] = s;
        s = strchr(s, ',');
        if (s)
            *s++ = '\0';
    }
    return n;
}

/* The lines of a file: malloc'ed text, lines[] pointing into it. */
typedef struct lines {
    char *text;
    char *line[4096];
    int n;
} lines;

static void read_lines(const char *path, lines *l)
{
    l->text = sim_test_slurp(path, NULL);
    if (!l->text)
        fail_msg("cannot read %s", path);
    l->n = 0;
    for (char *s = l->text; *s && l->n < 4096;) {
        l->line[l->n++] = s;
        char *nl = strchr(s, '\n');
        if (!nl)
            break;
        *nl = '\0';
        s = nl + 1;
    }
}

/* The index of column name in header line h (a copy is split). */
static int column(const char *h, const char *name)
{
    char buf[8192], *f[MAX_F];
    snprintf(buf, sizeof buf, "%s", h);
    int n = split(buf, f);
    for (int i = 0; i < n; i++)
        if (!strcmp(f[i], name))
            return i;
    fail_msg("no column %s", name);
    return -1;
}

/* Runs with released_total >= 600, in all and at points whose eu.enabled
 * is `eu` (from design.csv). */
static void count_outcome(int eu, int *all, int *pos, int *in, int *in_pos)
{
    lines d = {0}, r = {0};
    read_lines(at("sweep/design.csv"), &d);
    read_lines(at("sweep/runs.csv"), &r);
    int eu_col = column(d.line[0], "eu.enabled");
    int enabled[64] = {0};
    for (int i = 1; i < d.n && i <= 64; i++) {
        char *f[MAX_F];
        split(d.line[i], f);
        enabled[atoi(f[0])] = atoi(f[eu_col]);
    }
    int pc = column(r.line[0], "point");
    int rc = column(r.line[0], "released_total");
    *all = *pos = *in = *in_pos = 0;
    for (int i = 1; i < r.n; i++) {
        char *f[MAX_F];
        split(r.line[i], f);
        bool y = atof(f[rc]) >= 600, inside = enabled[atoi(f[pc])] == eu;
        (*all)++;
        *pos += y;
        *in += inside;
        *in_pos += inside && y;
    }
    free(d.text);
    free(r.text);
}

/* ---- the tests ---- */

/* peeling.csv and box.csv have exactly the contracted columns; step 0 is
 * every run; the knee's box is the EU track on (the one factor that moves
 * the releases here), its counts as runs.csv gives them, the threshold
 * left alone; the summary says so. */
static void test_files_and_box(void **state)
{
    (void)state;
    char args[4096], *out = NULL;
    snprintf(args, sizeof args,
             "discover '%s' --where 'released_total >= 600' -o '%s'",
             at("sweep"), at("out"));
    assert_int_equal(sim(args, &out, NULL), 0);
    assert_non_null(strstr(out, "eu.enabled"));
    assert_non_null(strstr(out, "(not restricted)"));
    free(out);

    int all, pos, in, in_pos;
    count_outcome(1, &all, &pos, &in, &in_pos);
    assert_true(pos > 0 && pos < all);

    lines p = {0}, b = {0};
    read_lines(at("out/peeling.csv"), &p);
    assert_string_equal(p.line[0], "step,coverage,density,mass,n_points");
    assert_true(p.n >= 3);
    char *f[MAX_F];
    assert_int_equal(split(p.line[1], f), 5);
    assert_string_equal(f[0], "0");
    assert_close(atof(f[1]), 1, 0);
    assert_close(atof(f[2]), (double)pos / all, 1e-14);
    assert_close(atof(f[3]), 1, 0);
    assert_int_equal(atoi(f[4]), all);

    read_lines(at("out/box.csv"), &b);
    assert_string_equal(b.line[0], "factor,lower,upper,restricted,p_value");
    assert_int_equal(b.n, 3);
    assert_int_equal(split(b.line[1], f), 5);
    assert_string_equal(f[0], "eu.enabled");
    assert_close(atof(f[1]), 1, 0);
    assert_close(atof(f[2]), 1, 0);
    assert_string_equal(f[3], "true");
    assert_true(atof(f[4]) < 1e-6);
    assert_int_equal(split(b.line[2], f), 5);
    assert_string_equal(f[0], "actors.lithuania.veto.threshold");
    assert_string_equal(f[3], "false");
    assert_string_equal(f[4], "");
    free(b.text);

    /* The chosen step (manifest.cfg) is the EU-on half: its row in
     * peeling.csv has the counts of runs.csv. */
    char *man = sim_test_slurp(at("out/manifest.cfg"), NULL);
    assert_non_null(man);
    const char *st = strstr(man, "\n  step = ");
    assert_non_null(st);
    int step = atoi(st + 10);
    free(man);
    assert_true(step >= 1 && step + 1 < p.n);
    split(p.line[step + 1], f);
    assert_int_equal(atoi(f[4]), in);
    assert_close(atof(f[2]), (double)in_pos / in, 1e-14);
    assert_close(atof(f[1]), (double)in_pos / pos, 1e-14);
    assert_close(atof(f[3]), (double)in / all, 1e-14);
    free(p.text);
}

/* The density of the box in dir/manifest.cfg. */
static double box_density(const char *dir)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/manifest.cfg", at(dir));
    char *man = sim_test_slurp(path, NULL);
    if (!man)
        fail_msg("no %s", path);
    const char *d = strstr(man, "box = { coverage = ");
    d = d ? strstr(d, "density = ") : NULL;
    if (!d)
        fail_msg("no box density in %s", path);
    double v = atof(d + 10);
    free(man);
    return v;
}

/* --step 0 is the whole space (nothing restricted); --paste of the knee's
 * box keeps or raises its density; a step beyond the trajectory is
 * refused. */
static void test_step_and_paste(void **state)
{
    (void)state;
    char args[4096];
    snprintf(args, sizeof args,
             "discover '%s' --where 'released_total >= 600' --step 0 -q "
             "-o '%s'",
             at("sweep"), at("step0"));
    sim_ok(args);
    char *box = sim_test_slurp(at("step0/box.csv"), NULL);
    assert_non_null(box);
    assert_null(strstr(box, "true"));
    free(box);
    snprintf(args, sizeof args,
             "discover '%s' --where 'released_total >= 600 || eu_vetoes < 0' "
             "--paste -q -o '%s'",
             at("sweep"), at("paste"));
    sim_ok(args);
    assert_true(exists(at("paste/box.csv")));
    /* The same outcome (no run has negative vetoes) as test_files_and_box
     * wrote into "out": pasting never lowers the density. */
    assert_true(box_density("paste") >= box_density("out"));
    char *err = NULL;
    snprintf(args, sizeof args,
             "discover '%s' --where 'released_total >= 600' --step 999 "
             "-o '%s'",
             at("sweep"), at("never"));
    assert_int_equal(sim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "beyond the peeling trajectory"));
    assert_false(exists(at("never")));
    free(err);
}

/* Runs args with the output directory "refused", requires exit 2, the
 * fragment in the message and no output directory. */
static void refused(const char *args, const char *fragment)
{
    char full[4096], *out = NULL, *err = NULL;
    snprintf(full, sizeof full, "%s -o '%s'", args, at("refused"));
    int st = sim(full, &out, &err);
    if (st != 2 || !err || !strstr(err, fragment))
        fail_msg("sanctionsim %s: status %d, wanted 2 and '%s':\n%s%s", full,
                 st, fragment, out ? out : "", err ? err : "");
    assert_false(exists(at("refused")));
    free(out);
    free(err);
}

static void test_refusals(void **state)
{
    (void)state;
    char a[2048];
    snprintf(a, sizeof a, "discover '%s' --where 'released_total > 1'",
             at("run"));
    refused(a, "is not a sweep's result directory (it has no design.csv)");
    snprintf(a, sizeof a, "discover '%s' --where 'released_total > 1'",
             at("nowhere"));
    refused(a, "no such directory");
    snprintf(a, sizeof a,
             "discover '%s' --where 'released_totl >= 300'",
             at("sweep"));
    refused(a, "did you mean 'released_total'");
    snprintf(a, sizeof a,
             "discover '%s' --where 'stop_reason == 1'", at("sweep"));
    refused(a, "column stop_reason holds");
    snprintf(a, sizeof a,
             "discover '%s' --where 'released_total > 1e9'",
             at("sweep"));
    refused(a, "happens in none of the 1200 runs");
    snprintf(a, sizeof a,
             "discover '%s' --where 'released_total >= 0'",
             at("sweep"));
    refused(a, "happens in every one of the 1200 runs");
    snprintf(a, sizeof a,
             "discover '%s' --where 'released_total >= 600 &'",
             at("sweep"));
    refused(a, "column 23 (at '&')");
    snprintf(a, sizeof a, "discover '%s'", at("sweep"));
    refused(a, "needs the outcome: --where EXPR");
    snprintf(a, sizeof a,
             "discover '%s' --where 'released_total >= 600' --alpha 0.7",
             at("sweep"));
    refused(a, "alpha is 0.7");
    snprintf(a, sizeof a,
             "discover '%s' --where 'released_total >= 600' --min-support x",
             at("sweep"));
    refused(a, "--min-support needs a number");
    snprintf(a, sizeof a,
             "discover '%s' --where 'released_total >= 600' --alfa 0.1",
             at("sweep"));
    refused(a, "did you mean '--alpha'");
}

/* Writes a sweep directory "bad" with the given design.csv and runs.csv
 * (NULL: none), then requires discover on it to be refused with the
 * fragment. */
static void bad_sweep(const char *design, const char *runs,
                      const char *fragment)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", at("bad"),
             at("bad"));
    assert_int_equal(sim_test_run(cmd, NULL), 0);
    if (design)
        assert_int_equal(sim_test_write(at("bad/design.csv"), design), 0);
    if (runs)
        assert_int_equal(sim_test_write(at("bad/runs.csv"), runs), 0);
    snprintf(cmd, sizeof cmd, "discover '%s' --where 'y > 0'", at("bad"));
    refused(cmd, fragment);
}

/* Malformed sweep files are refused with the file and line. */
static void test_malformed_sweeps(void **state)
{
    (void)state;
    const char *runs = "point,rep,y\n0,0,1\n1,0,0\n";
    const char *design = "point,f\n0,0.5\n1,true\n";
    bad_sweep(design, NULL, "it has no runs.csv");
    bad_sweep("", runs, "design.csv is empty");
    bad_sweep("pt,f\n0,1\n", runs, "does not begin with a point column");
    bad_sweep("point\n0\n", runs, "design.csv:1: no factor columns");
    bad_sweep("point,f\n", runs, "no rows: no design points");
    bad_sweep("point,f\n0,1,2\n", runs, "design.csv:2: 3 fields");
    bad_sweep("point,f\nx,1\n", runs, "design.csv:2: point is 'x'");
    bad_sweep("point,f\n0,1\n0,2\n", runs, "design.csv:3: point 0 appears");
    bad_sweep("point,f\n0,low\n", runs, "design.csv:2: f is 'low'");
    bad_sweep(design, "rep,y\n0,1\n", "runs.csv has no point column");
    bad_sweep(design, "point,rep,y\n", "runs.csv has no rows");
    bad_sweep(design, "point,rep,y\n0,0\n", "runs.csv:2: 2 fields");
    bad_sweep(design, "point,rep,y\n7,0,1\n",
              "runs.csv:2: point '7' is not a point of design.csv");
    bad_sweep(design, "point,rep,y\n0,0,yes\n", "column y holds 'yes'");
    bad_sweep(design, "point,rep,z\n0,0,1\n", "unknown column 'y'");
    /* and the well-formed one is read: the outcome in 1 of 2 runs */
    bad_sweep(design, "point,rep,y\n0,0,1\n1,0,1\n",
              "happens in every one of the 2 runs");
}

/* An existing result is replaced only with --force; the sweep itself is
 * never replaced. */
static void test_output_directory(void **state)
{
    (void)state;
    char args[4096], *err = NULL;
    snprintf(args, sizeof args,
             "discover '%s' --where 'released_total >= 600' -q -o '%s'",
             at("sweep"), at("again"));
    sim_ok(args);
    assert_int_equal(sim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "--force"));
    free(err);
    strcat(args, " --force");
    sim_ok(args);
    snprintf(args, sizeof args,
             "discover '%s' --where 'released_total >= 600' -q --force "
             "-o '%s'",
             at("sweep"), at("sweep"));
    assert_int_equal(sim(args, NULL, &err), 2);
    assert_non_null(strstr(err, "is the sweep itself"));
    assert_true(exists(at("sweep/design.csv")));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_and_box),
        cmocka_unit_test(test_step_and_paste),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_malformed_sweeps),
        cmocka_unit_test(test_output_directory),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
