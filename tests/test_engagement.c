/* test_engagement.c - the calendar's engagement_only phases (issue 13,
 * docs/MODEL.md section 5.1): while one is on, Washington's deals lift no
 * instrument (prisoners for a visit, as before the mid-August 2025 call)
 * and the EU does not bargain; once it ends, the instruments are back on
 * the table; `solve` sees it too. Bad events are refused with file and
 * line.
 *
 * Runs go through the executable on the baseline with Washington engaged
 * in every round (no distraction), a few rounds and replications. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Washington engaged throughout, Moscow never freezing, no EU track:
 * every round holds a US bargaining game. */
#define ENGAGED                                                              \
    "attention = { engaged = true; };\n"                                     \
    "shocks = { distraction = { p = 0.0; }; moscow = { p = 0.0; }; };\n"     \
    "eu = { enabled = false; };\n"

/* The baseline's EU renewal, which a calendar list must repeat. */
#define RENEWAL "{ type = \"eu_renewal\"; start = 6; every = 12; }"

/* Writes dir/file: the baseline (base = its absolute path) and body;
 * the path in cfg. */
static void on_baseline(const char *dir, const char *file, const char *body,
                        char *cfg, size_t size)
{
    char text[4096], root[1024];
    assert_non_null(getcwd(root, sizeof root));
    snprintf(cfg, size, "%s/%s", dir, file);
    snprintf(text, sizeof text, "base = \"%s/scenarios/baseline.cfg\";\n%s",
             root, body);
    assert_int_equal(sim_test_write(cfg, text), 0);
}

/* Runs cfg for `rounds` rounds, 30 replications, into dir; returns
 * runs.csv (malloc'ed). */
static char *run(const char *cfg, int rounds, const char *dir)
{
    char args[2600];
    snprintf(args, sizeof args, "'%s' --set rounds=%d -n 30 --seed 5 "
             "--threads 1", cfg, rounds);
    sim_test_run_ok(args, dir);
    char *runs = sim_test_slurp_result(dir, "runs.csv", NULL);
    assert_non_null(runs);
    return runs;
}

/* The 0-based column of `name` in the header of csv. */
static int column(const char *csv, const char *name)
{
    size_t len = strlen(name);
    int col = 0;
    for (const char *h = csv; *h && *h != '\n'; col++) {
        size_t w = strcspn(h, ",\n");
        if (w == len && strncmp(h, name, len) == 0)
            return col;
        h += w + (h[w] == ',');
    }
    fail_msg("no column %s", name);
    return -1;
}

/* Field col of a CSV line (no quoted commas before it) as a number; an
 * empty field is -1. */
static double number(const char *line, int col)
{
    for (int i = 0; i < col; i++) {
        line = strchr(line, ',');
        assert_non_null(line);
        line++;
    }
    if (*line == ',' || *line == '\n' || !*line)
        return -1;
    return strtod(line, NULL);
}

/* Per run of runs: the number of US deals, and the earliest round in
 * which a US instrument was lifted in a deal (-1 if none); returns the
 * number of runs. */
static int us_record(const char *runs, int *deals, int *first_lift)
{
    static const char *const us[] = {"us_potash", "us_finance",
                                     "us_petroleum", "us_embassy",
                                     "us_recognition"};
    int cd = column(runs, "us_deals"), cl[5];
    for (int i = 0; i < 5; i++) {
        char name[64];
        snprintf(name, sizeof name, "lifted_round_%s", us[i]);
        cl[i] = column(runs, name);
    }
    int n = 0;
    for (const char *line = strchr(runs, '\n') + 1; *line;
         line = strchr(line, '\n') + 1, n++) {
        deals[n] = (int)number(line, cd);
        first_lift[n] = -1;
        for (int i = 0; i < 5; i++) {
            int r = (int)number(line, cl[i]);
            if (r > 0 && (first_lift[n] < 0 || r < first_lift[n]))
                first_lift[n] = r;
        }
    }
    return n;
}

/* A deal with no instrument lifted: while Washington is in an
 * engagement-only phase, it strikes deals (visits for prisoners) in every
 * run and lifts nothing; without the phase, the same runs lift a US
 * instrument in round 1. */
static void test_deals_without_relief(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("test_engagement_only");
    char on[1200], off[1200], dir[1300];
    on_baseline(tmp, "on.cfg",
                ENGAGED "calendar = ( " RENEWAL ", { type = "
                        "\"engagement_only\"; actor = \"washington\"; "
                        "start = 1; rounds = 6; } );\n",
                on, sizeof on);
    on_baseline(tmp, "off.cfg", ENGAGED, off, sizeof off);
    int deals[30], lift[30];

    snprintf(dir, sizeof dir, "%s/on", tmp);
    char *runs = run(on, 6, dir);
    assert_int_equal(us_record(runs, deals, lift), 30);
    for (int r = 0; r < 30; r++) {
        assert_true(deals[r] >= 1);
        assert_int_equal(lift[r], -1);
    }
    free(runs);

    snprintf(dir, sizeof dir, "%s/off", tmp);
    runs = run(off, 6, dir);
    assert_int_equal(us_record(runs, deals, lift), 30);
    for (int r = 0; r < 30; r++)
        assert_int_equal(lift[r], 1);
    free(runs);
}

/* The phase ends: with it on in rounds 1-3 of 6, no US instrument is
 * lifted before round 4, and one is in round 4 in every run. */
static void test_phase_ends(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("test_engagement_ends");
    char cfg[1200], dir[1300];
    on_baseline(tmp, "ends.cfg",
                ENGAGED "calendar = ( " RENEWAL ", { type = "
                        "\"engagement_only\"; actor = \"washington\"; "
                        "start = 1; rounds = 3; } );\n",
                cfg, sizeof cfg);
    snprintf(dir, sizeof dir, "%s/r", tmp);
    char *runs = run(cfg, 6, dir);
    int deals[30], lift[30];
    assert_int_equal(us_record(runs, deals, lift), 30);
    for (int r = 0; r < 30; r++)
        assert_int_equal(lift[r], 4);
    free(runs);
}

/* The EU in an engagement-only phase does not bargain: no EU deal while
 * it lasts, though the EU track strikes some without it. */
static void test_eu_does_not_bargain(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("test_engagement_eu");
    char on[1200], off[1200], dir[1300];
    const char *hawks = "actors = { poland = { veto = { threshold = -5.0; }; "
                        "}; lithuania = { veto = { threshold = -5.0; }; }; };\n";
    char body[2048];
    snprintf(body, sizeof body,
             "%scalendar = ( " RENEWAL ", { type = \"engagement_only\"; "
             "actor = \"eu\"; start = 1; rounds = 12; } );\n",
             hawks);
    on_baseline(tmp, "on.cfg", body, on, sizeof on);
    on_baseline(tmp, "off.cfg", hawks, off, sizeof off);
    snprintf(dir, sizeof dir, "%s/off", tmp);
    char *runs = run(off, 12, dir);
    int ce = column(runs, "eu_deals");
    double total = 0;
    for (const char *line = strchr(runs, '\n') + 1; *line;
         line = strchr(line, '\n') + 1)
        total += number(line, ce);
    assert_true(total > 0);
    free(runs);
    snprintf(dir, sizeof dir, "%s/on", tmp);
    runs = run(on, 12, dir);
    for (const char *line = strchr(runs, '\n') + 1; *line;
         line = strchr(line, '\n') + 1)
        assert_true(number(line, ce) == 0);
    free(runs);
}

/* `solve` sees the phase: the calibration scenario's first round (July
 * 2024, visits only) offers no instrument, and its deal lifts none; with
 * the phase moved to round 2 the same game lifts one. */
static void test_solve_first_round(void **state)
{
    (void)state;
    char cmd[2048], *out = NULL;
    snprintf(cmd, sizeof cmd, "'%s' solve scenarios/baseline_2024.cfg 2>&1",
             sim_test_bin());
    assert_int_equal(sim_test_run(cmd, &out), 0);
    assert_non_null(out);
    const char *line = strstr(out, "deal.instruments");
    assert_non_null(line);
    line += strlen("deal.instruments");
    assert_true(strspn(line, " ") == strcspn(line, "\n"));
    const char *f = strstr(out, " feasible deals");
    assert_non_null(f);
    while (f > out && f[-1] >= '0' && f[-1] <= '9')
        f--;
    /* no package: (nothing) x 0..max_release */
    assert_int_equal(strtol(f, NULL, 10), 151);
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' solve scenarios/baseline_2024.cfg "
             "--set 'calendar.[1].start=2' 2>&1", sim_test_bin());
    assert_int_equal(sim_test_run(cmd, &out), 0);
    assert_non_null(out);
    line = strstr(out, "deal.instruments");
    assert_non_null(line);
    line += strlen("deal.instruments");
    assert_true(strspn(line, " ") < strcspn(line, "\n"));
    free(out);
}

/* Bad events: an actor that imposes nothing, no actor, a factor. */
static void test_bad_events(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("test_engagement_bad");
    static const struct {
        const char *event, *says;
    } bad[] = {
        {"type = \"engagement_only\"; actor = \"minsk\"; start = 1;",
         "imposes no instruments"},
        {"type = \"engagement_only\"; start = 1;", "actor"},
        {"type = \"engagement_only\"; actor = \"eu\"; start = 1; "
         "factor = 2.0;",
         "does not use factor"},
        {"type = \"engagement_onyl\"; actor = \"eu\"; start = 1;",
         "engagement_only"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[1024], cfg[1200], cmd[2600], *out = NULL;
        snprintf(body, sizeof body, "calendar = ( { %s } );\n", bad[i].event);
        on_baseline(tmp, "bad.cfg", body, cfg, sizeof cfg);
        snprintf(cmd, sizeof cmd, "'%s' check '%s' 2>&1", sim_test_bin(),
                 cfg);
        assert_int_equal(sim_test_run(cmd, &out), 2);
        assert_non_null(out);
        if (!strstr(out, "bad.cfg:2") || !strstr(out, bad[i].says))
            fail_msg("event %s: expected bad.cfg:2 and \"%s\" in:\n%s",
                     bad[i].event, bad[i].says, out);
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deals_without_relief),
        cmocka_unit_test(test_phase_ends),
        cmocka_unit_test(test_eu_does_not_bargain),
        cmocka_unit_test(test_solve_first_round),
        cmocka_unit_test(test_bad_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
