/* test_cli.c - the sanctionsim executable: the bad-input catalogue of
 * tests/bad/, command-line errors, the output directory rules, help and
 * version, and the round trip of `check`.
 *
 * Every rejected input must exit with status 2, say on stderr where the
 * problem is (file, :line, key path) and what it is (a word of the reason),
 * print nothing on stdout and write nothing: neither the output directory
 * nor a temporary .out.tmp-* beside it. Runs use a few rounds and -n 5 so
 * the whole test takes seconds. */
#include "testutil.h"

#include <sanctionsim/scenario.h>
#include <sanctionsim/version.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A small valid scenario: two instruments so that list --set works. */
static const char small_cfg[] =
    "# small.cfg - a quick scenario for the CLI tests.\n"
    "rounds = 4;\n"
    "replications = 3;\n"
    "instruments = (\n"
    "  { name = \"potash\"; imposer = \"us\"; value = 1.0; },\n"
    "  { name = \"belavia\"; imposer = \"eu\"; value = 0.5; }\n"
    ");\n";

/* ---- helpers ---- */

/* Output of one run of the executable; both strings malloc'ed. */
typedef struct run_out {
    int status;
    char *out;
    char *err;
} run_out;

static void run_out_free(run_out *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Runs `sanctionsim ARGS` from the repository root with stdout and stderr
 * captured apart; stderr goes through the file `errfile`. */
static run_out run_sim(const char *args, const char *errfile)
{
    run_out r = {0};
    char cmd[8192];
    /* the braces make the inner 2> apply to sanctionsim alone; the 2>&1
     * sim_test_run adds then applies to the group */
    snprintf(cmd, sizeof cmd, "{ '%s' %s 2>'%s'; }", sim_test_bin(), args,
             errfile);
    r.status = sim_test_run(cmd, &r.out);
    r.err = sim_test_slurp(errfile, NULL);
    assert_non_null(r.out);
    assert_non_null(r.err);
    return r;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A fresh scratch directory `name` holding an empty `w` folder (the parent
 * of the output directory) and small.cfg; paths into the buffers. */
static void scratch(const char *name, char *base, char *work, char *cfg,
                    size_t size)
{
    snprintf(base, size, "%s", sim_test_tmpdir(name));
    snprintf(work, size, "%s/w", base);
    assert_int_equal(mkdir(work, 0777), 0);
    snprintf(cfg, size, "%s/small.cfg", base);
    assert_int_equal(sim_test_write(cfg, small_cfg), 0);
}

/* Asserts that `text` contains `part`, naming what was searched. */
static void assert_contains(const char *text, const char *part,
                            const char *what)
{
    if (!part)
        return;
    if (!strstr(text, part))
        fail_msg("%s does not contain \"%s\":\n%s", what, part, text);
}

/* ---- the bad-input catalogue ---- */

/* One broken scenario and what its message must name. key is NULL where
 * the problem has no key (syntax errors); line is 0 where the message
 * names another file (one it includes), which reason then gives. */
typedef struct bad_input {
    const char *file;
    int line;
    const char *key;
    const char *reason;
} bad_input;

static const bad_input bad_inputs[] = {
    {"tests/bad/include_directory.cfg", 3, NULL, "is a directory or device"},
    {"tests/bad/syntax_missing_comma.cfg", 5, NULL, "syntax error"},
    {"tests/bad/syntax_missing_equals.cfg", 3, NULL, "syntax error"},
    {"tests/bad/syntax_unclosed.cfg", 6, NULL, "syntax error"},
    {"tests/bad/unknown_top_key.cfg", 3, "rouds", "did you mean 'rounds'"},
    {"tests/bad/unknown_nested_key.cfg", 3, "actors.minsk.discunt",
     "did you mean 'discount'"},
    {"tests/bad/unknown_actor.cfg", 3, "actors.minks", "did you mean 'minsk'"},
    {"tests/bad/wrong_type.cfg", 3, "tension.decay",
     "expected a number, found a string"},
    {"tests/bad/out_of_range.cfg", 4, "actors.minsk.discount", "out of range"},
    {"tests/bad/negative_count.cfg", 3, "prisoners.ordinary",
     "-5 is out of range"},
    {"tests/bad/non_integer.cfg", 2, "rounds", "whole number"},
    {"tests/bad/unknown_dist.cfg", 3, "shocks.drones.dist",
     "did you mean 'poisson'"},
    {"tests/bad/dist_param.cfg", 5, "shocks.drones.p",
     "not a parameter of distribution \"poisson\""},
    {"tests/bad/stock_poisson.cfg", 3, "shocks.deaths.dist",
     "per-prisoner probability"},
    {"tests/bad/uniform_order.cfg", 3, "shocks.arrests",
     "low must not exceed high"},
    {"tests/bad/unknown_model.cfg", 4, "actors.poland.border.model",
     "did you mean 'threshold'"},
    {"tests/bad/model_role.cfg", 4, "actors.minsk.offer.model",
     "cannot take the offer role"},
    {"tests/bad/model_param.cfg", 6, "actors.lithuania.transit.c_gian",
     "did you mean 'c_gain'"},
    {"tests/bad/role_not_taken.cfg", 4, "actors.poland.offer",
     "takes no offer decision"},
    {"tests/bad/weights_unknown.cfg", 5, "actors.washington.weights.prisoner",
     "did you mean 'prisoners'"},
    {"tests/bad/duplicate_instrument.cfg", 4, "instruments.[1].name",
     "duplicate"},
    {"tests/bad/instrument_name.cfg", 3, "instruments.[0].name", "lower-case"},
    /* issue 12, item 16: "potash" and "round_potash" both make
     * lifted_round_potash */
    {"tests/bad/column_name_clash.cfg", 5, "instruments.[1].name",
     "\"potash\" makes the column lifted_round_potash, as instrument "
     "\"round_potash\" (instruments.[0]) does"},
    {"tests/bad/missing_imposer.cfg", 3, "instruments.[0]",
     "missing required key 'imposer'"},
    {"tests/bad/unknown_imposer.cfg", 4, "instruments.[0].imposer",
     "unknown value \"uk\""},
    {"tests/bad/too_many_instruments.cfg", 2, "instruments", "at most 12"},
    {"tests/bad/calendar_type.cfg", 3, "calendar.[0].type",
     "did you mean 'exercise'"},
    {"tests/bad/election_no_actor.cfg", 4, "calendar.[1]",
     "missing required key 'actor'"},
    {"tests/bad/bad_start.cfg", 3, "start", "YYYY-MM"},
    {"tests/bad/list_for_group.cfg", 2, "tension",
     "expected a group { ... }, found a list"},
    {"tests/bad/group_for_scalar.cfg", 2, "rounds",
     "expected a number, found a group"},
    {"tests/bad/bool_type.cfg", 3, "borders.pl_open", "expected true or false"},
    {"tests/bad/huge_number.cfg", 3, "tension.spy", "too large"},
    {"tests/bad/integer_beyond_64_bits.cfg", 3, NULL,
     "integer 99999999999999999999 is beyond the 64-bit range"},
    {"tests/bad/elections_overlap.cfg", 6, "calendar.[1].factor",
     "in round 4, with the events on at the same time, poland's elections "
     "multiply its political weights by 2e+06"},
    {"tests/bad/escape_in_name.cfg", 3, "name", "\"a\\x1b[31mred\" must use"},
    /* issue 12, item 10: the budget of a round bounds memory and time */
    {"tests/bad/round_memory.cfg", 0, NULL,
     "tests/bad/round_memory.cfg: a round's bargaining is too large: "
     "washington's game holds 49156096 deals (packages of up to "
     "bargaining.max_instruments = 12 of the 12 us instruments x "
     "0..bargaining.max_release = 12000 prisoners); it would allocate"},
    {"tests/bad/round_time.cfg", 0, NULL,
     "holds 1232896 deals (packages of up to bargaining.max_instruments = 12 "
     "of the 12 us instruments x 0..bargaining.max_release = 300 prisoners); "
     "it takes 4.93e+07 steps a round (deals x bargaining.stages = 40), more "
     "than the 1e+07 allowed; lower bargaining.max_release, max_instruments "
     "or stages"},
    {"tests/bad/integer_wide_in_include.cfg", 0, NULL,
     "tests/bad/include/wide_seed.inc:2: the integer 3000000000 needs 64 "
     "bits: in an included file write it as 3000000000L"},
};

/* Runs one catalogue entry (the test's state) and checks the message and
 * that nothing was written. */
static void test_run_bad_input_rejected(void **state)
{
    const bad_input *b = *state;
    char base[1100], work[1100], cfg[1100], out[1200], errf[1200];
    char args[4096], where[1300], names[512];
    scratch("test_cli_bad", base, work, cfg, sizeof base);
    snprintf(out, sizeof out, "%s/out", work);
    snprintf(errf, sizeof errf, "%s/stderr.txt", base);
    snprintf(args, sizeof args, "run '%s' -n 5 -o '%s'", b->file, out);

    assert_true(exists(b->file));
    run_out r = run_sim(args, errf);
    if (r.status != 2)
        fail_msg("%s: exit %d, want 2; stderr: %s", b->file, r.status, r.err);
    snprintf(where, sizeof where, "%s:%d:", b->file, b->line);
    if (b->line > 0)
        assert_contains(r.err, where, "stderr");
    if (b->key) {
        char key[300];
        snprintf(key, sizeof key, ": %s: ", b->key);
        assert_contains(r.err, key, "stderr");
    }
    assert_contains(r.err, b->reason, "stderr");
    assert_string_equal(r.out, "");
    /* nothing written: no out/, no .out.tmp-* */
    if (sim_test_dir_entries(work, names, sizeof names) != 0)
        fail_msg("%s: the output folder holds:%s", b->file, names);
    run_out_free(&r);
}

/* Every file in tests/bad/ is in the catalogue, so none goes untested. */
static void test_catalogue_covers_tests_bad(void **state)
{
    (void)state;
    DIR *d = opendir("tests/bad");
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[600];
        snprintf(path, sizeof path, "tests/bad/%s", e->d_name);
        struct stat st;
        /* subdirectories (tests/bad/nfg/) have catalogues of their own */
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            continue;
        bool found = false;
        for (size_t i = 0; i < N_OF(bad_inputs) && !found; i++)
            found = strcmp(bad_inputs[i].file, path) == 0;
        if (!found)
            fail_msg("%s is not in the catalogue of test_cli.c", path);
        n++;
    }
    closedir(d);
    assert_int_equal(n, (int)N_OF(bad_inputs));
    assert_true(N_OF(bad_inputs) >= 20);
}

/* Positive control: an empty instrument list is fine. */
static void test_run_empty_instruments_accepted(void **state)
{
    (void)state;
    char base[1100], work[1100], cfg[1100], out[1200], errf[1200];
    char args[4096];
    scratch("test_cli_empty", base, work, cfg, sizeof base);
    assert_int_equal(sim_test_write(cfg, "rounds = 3;\ninstruments = ();\n"),
                     0);
    snprintf(out, sizeof out, "%s/out", work);
    snprintf(errf, sizeof errf, "%s/stderr.txt", base);
    snprintf(args, sizeof args, "run '%s' -n 5 -o '%s' -q", cfg, out);
    run_out r = run_sim(args, errf);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    char runs[1300];
    snprintf(runs, sizeof runs, "%s/runs.csv", out);
    assert_true(exists(runs));
    assert_int_equal(sim_test_dir_entries(work, NULL, 0), 1); /* only out/ */
    run_out_free(&r);
}

/* ---- command-line errors ---- */

/* One bad command line. "@S" in args stands for small.cfg, "@O" for the
 * output directory. Up to three substrings the message must contain. */
typedef struct bad_cli {
    const char *args;
    const char *want[3];
} bad_cli;

static const bad_cli bad_clis[] = {
    {"run tests/bad/no_such_file.cfg -n 5 -o @O",
     {"tests/bad/no_such_file.cfg", "cannot read", NULL}},
    {"solve tests/bad/no_such_game.nfg",
     {"tests/bad/no_such_game.nfg", "cannot open", NULL}},
    {"run @S -n 0 -o @O", {"-n", "'0'", "1 to 100000000"}},
    {"run @S -n abc -o @O", {"-n", "'abc'", NULL}},
    {"run @S -n 5 --seed -1 -o @O", {"--seed", "'-1'", NULL}},
    {"run @S -n 5 --sed 3 -o @O", {"unknown option '--sed'", NULL, NULL}},
    {"run @S -n 5 --set actors.minsk.discount -o @O",
     {"--set actors.minsk.discount", "KEY=VALUE", NULL}},
    {"run @S -n 5 --set actors.minsk.discount=2 -o @O",
     {"--set actors.minsk.discount=2",
      ": actors.minsk.discount: ", "out of range [0, 1]"}},
    {"run @S -n 5 --set actors.minsk.nope=1 -o @O",
     {"--set actors.minsk.nope=1", "actors.minsk.nope: unknown key",
      "valid here: discount"}},
    {"run @S -n 5 --set actors.minsk.discunt=1 -o @O",
     {"--set actors.minsk.discunt=1", "actors.minsk.discunt: unknown key",
      "did you mean 'discount'"}},
    {"run @S -n 5 --set instruments.[9].value=1 -o @O",
     {"--set instruments.[9].value=1", "has 2 entries",
      "[9] is not one of them"}},
    {"run @S -n 5 --set=calendar.[0].start=1 -o @O",
     {"--set calendar.[0].start=1", "no list 'calendar'", NULL}},
    {"frobnicate @S -o @O", {"unknown command 'frobnicate'", NULL, NULL}},
    {"run -n 5 -o @O", {"run needs a scenario file", NULL, NULL}},
    {"run @S extra -o @O", {"unexpected argument 'extra'", NULL, NULL}},
    {"check @S -n 5", {"unknown option '-n'", NULL, NULL}},
};

/* Replaces every "@S" and "@O" of tmpl into buf. */
static void expand(const char *tmpl, const char *scen, const char *out,
                   char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const char *p = tmpl; *p && used + 1 < size;) {
        const char *rep = NULL;
        if (p[0] == '@' && p[1] == 'S')
            rep = scen;
        else if (p[0] == '@' && p[1] == 'O')
            rep = out;
        if (rep) {
            used += (size_t)snprintf(buf + used, size - used, "'%s'", rep);
            p += 2;
        } else {
            buf[used++] = *p++;
            buf[used] = '\0';
        }
    }
}

static void test_run_bad_command_line_rejected(void **state)
{
    (void)state;
    char base[1100], work[1100], cfg[1100], out[1200], errf[1200];
    char args[4096], names[512];
    scratch("test_cli_args", base, work, cfg, sizeof base);
    snprintf(out, sizeof out, "%s/out", work);
    snprintf(errf, sizeof errf, "%s/stderr.txt", base);
    for (size_t i = 0; i < N_OF(bad_clis); i++) {
        expand(bad_clis[i].args, cfg, out, args, sizeof args);
        run_out r = run_sim(args, errf);
        if (r.status != 2)
            fail_msg("`sanctionsim %s`: exit %d, want 2; stderr: %s", args,
                     r.status, r.err);
        for (int j = 0; j < 3; j++)
            assert_contains(r.err, bad_clis[i].want[j], args);
        assert_contains(r.err, "sanctionsim: ", args);
        assert_string_equal(r.out, "");
        if (sim_test_dir_entries(work, names, sizeof names) != 0)
            fail_msg("`sanctionsim %s` wrote:%s", args, names);
        run_out_free(&r);
    }
}

/* ---- the output directory ---- */

/* An existing non-empty directory is kept without --force and replaced
 * with it; neither leaves a temporary directory behind. */
static void test_run_existing_output(void **state)
{
    (void)state;
    char base[1100], work[1100], cfg[1100], out[1200], errf[1200];
    char args[4096], keep[1300], runs[1300], names[512];
    scratch("test_cli_force", base, work, cfg, sizeof base);
    snprintf(out, sizeof out, "%s/out", work);
    snprintf(errf, sizeof errf, "%s/stderr.txt", base);
    snprintf(keep, sizeof keep, "%s/keep.txt", out);
    snprintf(runs, sizeof runs, "%s/runs.csv", out);
    assert_int_equal(mkdir(out, 0777), 0);
    assert_int_equal(sim_test_write(keep, "precious\n"), 0);

    snprintf(args, sizeof args, "run '%s' -n 5 -o '%s'", cfg, out);
    run_out r = run_sim(args, errf);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, out, "stderr");
    assert_contains(r.err, "--force", "stderr");
    char *kept = sim_test_slurp(keep, NULL);
    assert_non_null(kept);
    assert_string_equal(kept, "precious\n");
    free(kept);
    assert_int_equal(sim_test_dir_entries(out, NULL, 0), 1);
    if (sim_test_dir_entries(work, names, sizeof names) != 1)
        fail_msg("left beside the output:%s", names);
    run_out_free(&r);

    /* --force replaces only an earlier result: a directory of other files
     * is refused and kept as it is. */
    snprintf(args, sizeof args, "run '%s' -n 5 -o '%s' --force", cfg, out);
    r = run_sim(args, errf);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "not a sanctionsim result", "stderr");
    assert_true(exists(keep));
    run_out_free(&r);

    /* an earlier result is replaced */
    assert_int_equal(unlink(keep), 0);
    snprintf(args, sizeof args, "run '%s' -n 3 -o '%s' -q", cfg, out);
    r = run_sim(args, errf);
    assert_int_equal(r.status, 0);
    run_out_free(&r);
    snprintf(args, sizeof args, "run '%s' -n 5 -o '%s' --force", cfg, out);
    r = run_sim(args, errf);
    if (r.status != 0)
        fail_msg("--force: exit %d: %s", r.status, r.err);
    assert_true(exists(runs));
    char *csv = sim_test_slurp(runs, NULL);
    assert_non_null(csv);
    /* a header and one row per replication */
    int lines = 0;
    for (const char *c = csv; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1 + 5);
    free(csv);
    if (sim_test_dir_entries(work, names, sizeof names) != 1)
        fail_msg("left beside the output:%s", names);
    assert_contains(r.out, out, "stdout");
    run_out_free(&r);
}

/* An output location that cannot be created is a run-time failure (exit
 * 1) naming the path. */
static void test_run_unwritable_output(void **state)
{
    (void)state;
    char base[1100], work[1100], cfg[1100], errf[1200], args[4096];
    scratch("test_cli_unwritable", base, work, cfg, sizeof base);
    snprintf(errf, sizeof errf, "%s/stderr.txt", base);
    snprintf(args, sizeof args, "run '%s' -n 5 -o /proc/nope/out", cfg);
    run_out r = run_sim(args, errf);
    assert_int_equal(r.status, 1);
    assert_contains(r.err, "/proc/nope", "stderr");
    assert_false(exists("/proc/nope"));
    run_out_free(&r);
}

/* An output path that is a regular file is refused before any work. */
static void test_run_output_is_a_file(void **state)
{
    (void)state;
    char base[1100], work[1100], cfg[1100], errf[1200], file[1200];
    char args[4096];
    scratch("test_cli_outfile", base, work, cfg, sizeof base);
    snprintf(errf, sizeof errf, "%s/stderr.txt", base);
    snprintf(file, sizeof file, "%s/f", work);
    assert_int_equal(sim_test_write(file, "x\n"), 0);
    snprintf(args, sizeof args, "run '%s' -n 5 -o '%s' --force", cfg, file);
    run_out r = run_sim(args, errf);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "not a directory", "stderr");
    assert_int_equal(sim_test_dir_entries(work, NULL, 0), 1);
    run_out_free(&r);
}

/* The result directory is readable by others (not mkdtemp's 0700), and
 * its scenario.cfg records the seed and count actually used, so that
 * running it again repeats the run byte for byte. */
static void test_run_scenario_cfg_repeats_the_run(void **state)
{
    (void)state;
    char base[1100], work[1100], cfg[1100], errf[1200], out[1200];
    char out2[1200], args[4096], path[1300], path2[1300];
    scratch("test_cli_repeat", base, work, cfg, sizeof base);
    snprintf(errf, sizeof errf, "%s/stderr.txt", base);
    snprintf(out, sizeof out, "%s/a", work);
    snprintf(out2, sizeof out2, "%s/b", work);
    snprintf(args, sizeof args, "run '%s' -n 7 --seed 99 -q -o '%s'", cfg,
             out);
    run_out r = run_sim(args, errf);
    assert_int_equal(r.status, 0);
    run_out_free(&r);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0755);
    snprintf(path, sizeof path, "%s/scenario.cfg", out);
    char *text = sim_test_slurp(path, NULL);
    assert_non_null(text);
    assert_contains(text, "seed = 99L;", "scenario.cfg");
    assert_contains(text, "replications = 7;", "scenario.cfg");
    free(text);
    snprintf(args, sizeof args, "run '%s' -q -o '%s'", path, out2);
    r = run_sim(args, errf);
    assert_int_equal(r.status, 0);
    run_out_free(&r);
    snprintf(path, sizeof path, "%s/runs.csv", out);
    snprintf(path2, sizeof path2, "%s/runs.csv", out2);
    char *a = sim_test_slurp(path, NULL), *b = sim_test_slurp(path2, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* SIGTERM, or SIGHUP (a closed terminal: hardening, issue 12, item 17),
 * during a run: exit 1, no result, and the visible out.partial/ whose
 * manifest says the run is incomplete, named on stderr with the command
 * that resumes it (experiments issue, "Long runs"). */
static void test_run_interrupted_leaves_partial(void **state)
{
    (void)state;
    static const char *const sigs[] = {"TERM", "HUP"};
    for (size_t i = 0; i < N_OF(sigs); i++) {
        char base[1100], work[1100], cfg[1100], cmd[4096], names[512];
        char path[1300];
        scratch("test_cli_interrupt", base, work, cfg, sizeof base);
        /* Long enough to be caught mid-run: the baseline, many
         * replications. */
        snprintf(cmd, sizeof cmd,
                 "{ '%s' run scenarios/baseline.cfg -n 10000000 -q -o "
                 "'%s/out' & pid=$!; sleep 1; kill -%s $pid; wait $pid; }",
                 sim_test_bin(), work, sigs[i]);
        char *out = NULL;
        int status = sim_test_run(cmd, &out);
        if (status != 1 || !out || !strstr(out, "interrupted") ||
            !strstr(out, "out.partial/") || !strstr(out, "--resume"))
            fail_msg("SIG%s: exit %d: %s", sigs[i], status, out ? out : "");
        free(out);
        if (sim_test_dir_entries(work, names, sizeof names) != 1 ||
            !strstr(names, "out.partial"))
            fail_msg("SIG%s: left behind:%s", sigs[i], names);
        snprintf(path, sizeof path, "%s/out.partial/manifest.cfg", work);
        char *man = sim_test_slurp(path, NULL);
        assert_non_null(man);
        assert_contains(man, "completed = false;", path);
        free(man);
    }
}

/* run >/dev/full: the results are written whole, and the error says so
 * (exit 1), rather than a bare "cannot write" (issue 12, item 17). */
static void test_run_full_stdout_keeps_results(void **state)
{
    (void)state;
    char base[1100], work[1100], cfg[1100], cmd[4096], path[1300];
    scratch("test_cli_devfull", base, work, cfg, sizeof base);
    snprintf(cmd, sizeof cmd,
             "{ '%s' run tests/golden/small.cfg -n 20 --seed 4 -o '%s/full' "
             ">/dev/full; }",
             sim_test_bin(), work);
    char *out = NULL;
    int status = sim_test_run(cmd, &out);
    if (status != 1 || !out || !strstr(out, "/full/ are complete, but the "
                                             "summary could not be written"))
        fail_msg("exit %d: %s", status, out ? out : "");
    free(out);
    snprintf(cmd, sizeof cmd,
             "'%s' run tests/golden/small.cfg -n 20 --seed 4 -o '%s/ok' -q",
             sim_test_bin(), work);
    assert_int_equal(sim_test_run(cmd, NULL), 0);
    static const char *const files[] = {"runs.csv", "summary.csv"};
    for (size_t i = 0; i < N_OF(files); i++) {
        snprintf(path, sizeof path, "%s/full/%s", work, files[i]);
        char *a = sim_test_slurp(path, NULL);
        snprintf(path, sizeof path, "%s/ok/%s", work, files[i]);
        char *b = sim_test_slurp(path, NULL);
        if (!a || !b || strcmp(a, b) != 0)
            fail_msg("%s differs after >/dev/full", files[i]);
        free(a);
        free(b);
    }
}

/* Output that cannot be written is a failure (exit 1), not a success:
 * standard output on a full device. */
static void test_full_device_is_an_error(void **state)
{
    (void)state;
    static const char *const cmds[] = {
        "check scenarios/baseline.cfg", "keys",
        "solve scenarios/textbook/stahl.cfg --csv"};
    for (size_t i = 0; i < N_OF(cmds); i++) {
        char cmd[1024], *out = NULL;
        /* the braces keep stderr out of the redirection */
        snprintf(cmd, sizeof cmd, "{ '%s' %s >/dev/full; }", sim_test_bin(),
                 cmds[i]);
        int status = sim_test_run(cmd, &out);
        assert_non_null(out);
        if (status != 1 || !strstr(out, "cannot write"))
            fail_msg("%s >/dev/full: exit %d: %s", cmds[i], status, out);
        free(out);
    }
}

/* ---- help, version, check ---- */

static void test_help_and_version(void **state)
{
    (void)state;
    char base[1100], work[1100], cfg[1100], errf[1200];
    scratch("test_cli_help", base, work, cfg, sizeof base);
    snprintf(errf, sizeof errf, "%s/stderr.txt", base);
    static const char *const helps[] = {"--help", "-h", "run --help",
                                        "check --help", "keys --help"};
    for (size_t i = 0; i < N_OF(helps); i++) {
        run_out r = run_sim(helps[i], errf);
        if (r.status != 0)
            fail_msg("`sanctionsim %s`: exit %d", helps[i], r.status);
        assert_contains(r.out, "usage", helps[i]);
        assert_string_equal(r.err, "");
        run_out_free(&r);
    }
    run_out r = run_sim("--version", errf);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "sanctionsim " SIM_VERSION "\n");
    run_out_free(&r);

    /* no command at all: usage on stderr, exit 2 */
    r = run_sim("", errf);
    assert_int_equal(r.status, 2);
    assert_contains(r.err, "usage", "stderr");
    run_out_free(&r);

    /* keys prints the reference */
    r = run_sim("keys", errf);
    assert_int_equal(r.status, 0);
    assert_contains(r.out, "actors.<actor>.discount", "keys");
    run_out_free(&r);
}

/* Text after the first line. */
static const char *after_first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return nl ? nl + 1 : s;
}

/* `check` prints a scenario that `check` accepts again, identically apart
 * from the first comment line (which names the file). */
static void test_check_output_rechecks(void **state)
{
    (void)state;
    char base[1100], work[1100], cfg[1100], errf[1200], args[4096];
    char saved[1200];
    scratch("test_cli_check", base, work, cfg, sizeof base);
    snprintf(errf, sizeof errf, "%s/stderr.txt", base);
    snprintf(saved, sizeof saved, "%s/resolved.cfg", base);

    snprintf(args, sizeof args,
             "check '%s' --set actors.minsk.discount=0.9 --set "
             "calendar=x",
             cfg);
    run_out bad = run_sim(args, errf);
    assert_int_equal(bad.status, 2); /* calendar must be a list */
    assert_contains(bad.err, "calendar", "stderr");
    run_out_free(&bad);

    snprintf(args, sizeof args,
             "check '%s' --set actors.minsk.discount=0.9 "
             "--set instruments.[1].value=2.5",
             cfg);
    run_out r1 = run_sim(args, errf);
    if (r1.status != 0)
        fail_msg("check: exit %d: %s", r1.status, r1.err);
    assert_true(r1.out[0] == '#');
    assert_contains(r1.out, "discount = 0.9;", "check");
    assert_contains(r1.out, "value = 2.5;", "check");
    assert_contains(r1.out, "name = \"small\";", "check");
    assert_int_equal(sim_test_write(saved, r1.out), 0);

    snprintf(args, sizeof args, "check '%s'", saved);
    run_out r2 = run_sim(args, errf);
    if (r2.status != 0)
        fail_msg("re-check: exit %d: %s", r2.status, r2.err);
    assert_string_equal(after_first_line(r2.out), after_first_line(r1.out));
    assert_contains(r2.out, saved, "first line");
    run_out_free(&r1);
    run_out_free(&r2);
}

int main(void)
{
    /* one named test per catalogue entry, then the others */
    enum { N_BAD = (int)N_OF(bad_inputs) };
    static char names[N_BAD][160];
    const struct CMUnitTest rest[] = {
        cmocka_unit_test(test_catalogue_covers_tests_bad),
        cmocka_unit_test(test_run_empty_instruments_accepted),
        cmocka_unit_test(test_run_bad_command_line_rejected),
        cmocka_unit_test(test_run_existing_output),
        cmocka_unit_test(test_run_unwritable_output),
        cmocka_unit_test(test_run_output_is_a_file),
        cmocka_unit_test(test_run_scenario_cfg_repeats_the_run),
        cmocka_unit_test(test_run_interrupted_leaves_partial),
        cmocka_unit_test(test_full_device_is_an_error),
        cmocka_unit_test(test_run_full_stdout_keeps_results),
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_check_output_rechecks),
    };
    struct CMUnitTest tests[N_BAD + N_OF(rest)];
    size_t n = 0;
    for (int i = 0; i < N_BAD; i++) {
        snprintf(names[i], sizeof names[i], "test_run_bad_input_rejected(%s)",
                 bad_inputs[i].file);
        tests[n++] = (struct CMUnitTest){names[i], test_run_bad_input_rejected,
                                         NULL, NULL, (void *)&bad_inputs[i]};
    }
    for (size_t i = 0; i < N_OF(rest); i++)
        tests[n++] = rest[i];
    return _cmocka_run_group_tests("test_cli", tests, n, NULL, NULL);
}
