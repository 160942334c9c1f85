/* test_nfg.c - normal-form games: the payoff table, the Gambit .nfg reader
 * (both layouts, every error with file:line), the writer's exact round
 * trip, pure equilibria and two-player support enumeration.
 *
 * The games live in tests/nfg/; each file's comment string derives its
 * equilibria by hand (sources cited there). Those derivations were also
 * checked independently with exact rational arithmetic (brute force over
 * pure profiles; vertex enumeration of both best-response polytopes with
 * Python fractions). Equilibrium probabilities are compared to TOL = 1e-12:
 * they come out of a least-squares solve of small well-conditioned systems,
 * accurate to a few ulps. Payoffs read back from the writer compare
 * exactly. */
#include "testutil.h"

#include <sanctionsim/nfg.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-12
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define MAXEQ 16

/* sim_nfg holds ~33 KB of names: keep the test's games off the stack. */
static sim_nfg game_a, game_b;
static sim_mixed eqs[MAXEQ];

static int group_setup(void **state)
{
    (void)state;
    sim_error_quiet_gsl();
    return 0;
}

/* Reads path into g, failing the test with the reader's message. */
static void read_ok(const char *path, sim_nfg *g)
{
    sim_err err = {0};
    int rc = sim_nfg_read_file(path, g, &err);
    if (rc != 0)
        fail_msg("%s: %s", path, err.msg);
}

/* Reads text into g, failing the test with the reader's message. */
static void read_str_ok(const char *text, sim_nfg *g)
{
    sim_err err = {0};
    int rc = sim_nfg_read_string(text, "test", g, &err);
    if (rc != 0)
        fail_msg("%s", err.msg);
}

/* Expects a scenario error whose message contains every given piece. */
static void expect_error(int rc, const sim_err *err, const char *a,
                         const char *b, const char *c)
{
    assert_int_equal(rc, SIM_E_SCENARIO);
    assert_int_equal(sim_exit_status(rc), 2);
    const char *parts[] = {a, b, c};
    for (size_t k = 0; k < N_OF(parts); k++)
        if (parts[k] && !strstr(err->msg, parts[k]))
            fail_msg("message \"%s\" lacks \"%s\"", err->msg, parts[k]);
}

/* Asserts that a and b are the same game: title, names, counts, and
 * payoffs bit for bit. */
static void assert_same_game(const sim_nfg *a, const sim_nfg *b)
{
    assert_string_equal(a->title, b->title);
    assert_int_equal(a->nplayers, b->nplayers);
    assert_int_equal(a->nprofiles, b->nprofiles);
    for (int i = 0; i < a->nplayers; i++) {
        assert_string_equal(a->player[i], b->player[i]);
        assert_int_equal(a->nstrat[i], b->nstrat[i]);
        for (int j = 0; j < a->nstrat[i]; j++)
            assert_string_equal(a->strategy[i][j], b->strategy[i][j]);
    }
    for (size_t k = 0; k < a->nprofiles * (size_t)a->nplayers; k++)
        assert_close(a->payoff[k], b->payoff[k], 0.0);
}

/* Writes g with sim_nfg_write into a malloc'ed string. */
__attribute__((noinline)) static char *write_to_string(const sim_nfg *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    sim_err err = {0};
    int rc = sim_nfg_write(f, g, &err);
    assert_int_equal(fclose(f), 0);
    if (rc != 0)
        fail_msg("write: %s", err.msg);
    assert_non_null(buf);
    return buf;
}

/* Largest gain from a pure deviation, over both players, at (x, y). */
static double regret2(const sim_nfg *g, const sim_mixed *p)
{
    int m = g->nstrat[0], n = g->nstrat[1];
    double worst = 0.0;
    for (int pl = 0; pl < 2; pl++) {
        int k = pl == 0 ? m : n, o = pl == 0 ? n : m;
        double best = -HUGE_VAL, got = 0.0;
        for (int s = 0; s < k; s++) {
            double u = 0.0;
            for (int t = 0; t < o; t++) {
                int prof[2] = {pl == 0 ? s : t, pl == 0 ? t : s};
                u += p->prob[1 - pl][t] * sim_nfg_payoff(g, prof, pl);
            }
            best = fmax(best, u);
            got += p->prob[pl][s] * u;
        }
        worst = fmax(worst, best - got);
    }
    return worst;
}

/* Expected equilibrium: the row's and the column's probabilities. */
typedef struct want_eq {
    double x[4], y[4];
} want_eq;

/* Runs support enumeration on path and checks it finds exactly w, in
 * order, each a verified equilibrium. */
static void check_support(const char *path, const want_eq *w, size_t nw)
{
    read_ok(path, &game_a);
    size_t count = 99;
    sim_err err = {0};
    int rc = sim_nfg_support_enumeration(&game_a, eqs, MAXEQ, &count, &err);
    if (rc != 0)
        fail_msg("%s: %s", path, err.msg);
    if (count != nw)
        fail_msg("%s: %zu equilibria, expected %zu", path, count, nw);
    for (size_t k = 0; k < nw; k++) {
        for (int i = 0; i < game_a.nstrat[0]; i++)
            assert_close(eqs[k].prob[0][i], w[k].x[i], TOL);
        for (int j = 0; j < game_a.nstrat[1]; j++)
            assert_close(eqs[k].prob[1][j], w[k].y[j], TOL);
        assert_true(regret2(&game_a, &eqs[k]) <= 1e-12);
    }
    sim_nfg_free(&game_a);
}

/* Runs pure enumeration on path and checks the profile indices. */
static void check_pure(const char *path, const size_t *want_idx, size_t nw)
{
    size_t prof[64], count = 99;
    sim_err err = {0};
    read_ok(path, &game_a);
    assert_int_equal(
        sim_nfg_pure_equilibria(&game_a, prof, N_OF(prof), &count, &err), 0);
    assert_int_equal(count, nw);
    for (size_t k = 0; k < nw; k++)
        assert_int_equal(prof[k], want_idx[k]);
    sim_nfg_free(&game_a);
}

/* ---- the payoff table ---- */

/* 2 x 3 x 4 game: index = s0 + 2 (s1 + 3 s2); the last profile is 23. */
static void test_alloc_index_and_payoff(void **state)
{
    (void)state;
    sim_err err = {0};
    memset(&game_a, 0, sizeof game_a);
    game_a.nplayers = 3;
    game_a.nstrat[0] = 2;
    game_a.nstrat[1] = 3;
    game_a.nstrat[2] = 4;
    assert_int_equal(sim_nfg_alloc(&game_a, &err), 0);
    assert_int_equal(game_a.nprofiles, 24);
    for (size_t k = 0; k < (size_t)24 * 3; k++)
        assert_close(game_a.payoff[k], 0.0, 0.0);
    const int p[3] = {1, 2, 3};
    assert_int_equal(sim_nfg_index(&game_a, p), 1 + 2 * (2 + 3 * 3));
    game_a.payoff[23 * 3 + 2] = 7.5;
    assert_close(sim_nfg_payoff(&game_a, p, 2), 7.5, 0.0);
    assert_int_equal(sim_nfg_check(&game_a, &err), 0);
    sim_nfg_free(&game_a);
    assert_null(game_a.payoff);
    sim_nfg_free(&game_a); /* twice is harmless */
    sim_nfg_free(NULL);
}

static void test_alloc_rejects_bad_shapes(void **state)
{
    (void)state;
    sim_err err = {0};
    memset(&game_a, 0, sizeof game_a);
    assert_int_equal(sim_nfg_alloc(&game_a, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "players"));
    game_a.nplayers = SIM_NFG_MAX_PLAYERS + 1;
    assert_int_equal(sim_nfg_alloc(&game_a, &err), SIM_E_SCENARIO);
    game_a.nplayers = 2;
    game_a.nstrat[0] = 2;
    game_a.nstrat[1] = 0;
    assert_int_equal(sim_nfg_alloc(&game_a, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "strategies"));
    game_a.nstrat[1] = SIM_NFG_MAX_STRATEGIES + 1;
    assert_int_equal(sim_nfg_alloc(&game_a, &err), SIM_E_SCENARIO);
    /* 64^4 = 16.8 million profiles > SIM_NFG_MAX_PROFILES. */
    game_a.nplayers = 4;
    for (int i = 0; i < 4; i++)
        game_a.nstrat[i] = 64;
    assert_int_equal(sim_nfg_alloc(&game_a, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "profiles"));
    assert_null(game_a.payoff);
    assert_int_equal(sim_nfg_alloc(NULL, &err), SIM_E_INTERNAL);
}

static void test_check_rejects_malformed(void **state)
{
    (void)state;
    sim_err err = {0};
    assert_int_equal(sim_nfg_check(NULL, &err), SIM_E_USAGE);
    read_ok("tests/nfg/prisoners_dilemma.nfg", &game_a);
    assert_int_equal(sim_nfg_check(&game_a, &err), 0);
    game_a.payoff[5] = NAN;
    assert_int_equal(sim_nfg_check(&game_a, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "finite"));
    game_a.payoff[5] = 0.0;
    game_a.nprofiles = 5;
    assert_int_equal(sim_nfg_check(&game_a, &err), SIM_E_USAGE);
    game_a.nprofiles = 4;
    sim_nfg_free(&game_a);
    game_a.nprofiles = 4;
    assert_int_equal(sim_nfg_check(&game_a, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "payoff table"));
}

/* ---- the reader ---- */

/* Payoff version with names: (C,C) = 3,3; (D,C) = 5,0; (C,D) = 0,5;
 * (D,D) = 1,1. */
static void test_read_payoff_format(void **state)
{
    (void)state;
    read_ok("tests/nfg/prisoners_dilemma.nfg", &game_a);
    assert_string_equal(game_a.title, "Prisoner's dilemma");
    assert_int_equal(game_a.nplayers, 2);
    assert_string_equal(game_a.player[0], "Row");
    assert_string_equal(game_a.player[1], "Column");
    assert_int_equal(game_a.nstrat[0], 2);
    assert_int_equal(game_a.nstrat[1], 2);
    assert_string_equal(game_a.strategy[0][0], "C");
    assert_string_equal(game_a.strategy[1][1], "D");
    assert_int_equal(game_a.nprofiles, 4);
    const int dc[2] = {1, 0}, cd[2] = {0, 1}, dd[2] = {1, 1};
    assert_close(sim_nfg_payoff(&game_a, dc, 0), 5.0, 0.0);
    assert_close(sim_nfg_payoff(&game_a, dc, 1), 0.0, 0.0);
    assert_close(sim_nfg_payoff(&game_a, cd, 1), 5.0, 0.0);
    assert_close(sim_nfg_payoff(&game_a, dd, 0), 1.0, 0.0);
    sim_nfg_free(&game_a);
}

/* Outcome version, counts: outcomes 1 2 2 1 give (1,-1) (-1,1) (-1,1)
 * (1,-1), and unnamed strategies are "1", "2" as in Gambit. */
static void test_read_outcome_format(void **state)
{
    (void)state;
    read_ok("tests/nfg/matching_pennies.nfg", &game_a);
    assert_int_equal(game_a.nstrat[0], 2);
    assert_string_equal(game_a.strategy[0][0], "1");
    assert_string_equal(game_a.strategy[1][1], "2");
    const double expect[] = {1, -1, -1, 1, -1, 1, 1, -1};
    for (size_t k = 0; k < N_OF(expect); k++)
        assert_close(game_a.payoff[k], expect[k], 0.0);
    sim_nfg_free(&game_a);

    /* Three players; outcome 0 is the null outcome (all payoffs 0). */
    read_str_ok("NFG 1 R \"x\" { \"a\" \"b\" \"c\" } { 1 2 1 }\n"
                "{ { \"o\" 1 2 3 } } 0 1",
                &game_a);
    const double want3[] = {0, 0, 0, 1, 2, 3};
    for (size_t k = 0; k < N_OF(want3); k++)
        assert_close(game_a.payoff[k], want3[k], 0.0);
    sim_nfg_free(&game_a);
}

/* The same game in both layouts, names or counts, reads the same payoffs;
 * Gambit's sample file from its format documentation (Selten 1975). */
static void test_read_formats_agree(void **state)
{
    (void)state;
    read_str_ok("NFG 1 R \"Selten (IJGT, 75), Figure 2, normal form\"\n"
                "{ \"Player 1\" \"Player 2\" } { 3 2 }\n\n"
                "1 1 0 2 0 2 1 1 0 3 2 0\n",
                &game_a);
    read_str_ok("NFG 1 R \"Selten (IJGT, 75), Figure 2, normal form\" "
                "{ \"Player 1\" \"Player 2\" }\n\n"
                "{\n{ \"1\" \"2\" \"3\" }\n{ \"1\" \"2\" }\n}\n\"\"\n\n"
                "{\n{ \"\" 1, 1 }\n{ \"\" 0, 2 }\n{ \"\" 0, 2 }\n"
                "{ \"\" 1, 1 }\n{ \"\" 0, 3 }\n{ \"\" 2, 0 }\n}\n"
                "1 2 3 4 5 6\n",
                &game_b);
    assert_same_game(&game_a, &game_b);
    assert_int_equal(game_a.nstrat[0], 3);
    assert_string_equal(game_a.strategy[0][2], "3");
    sim_nfg_free(&game_a);
    sim_nfg_free(&game_b);
}

/* Integers, decimals, exponents and fractions: 3/2, -1/4, 0.5, .25,
 * -2e1, 1E-1, +7, -0, 1/3 (the double nearest 1/3), 10/4. */
static void test_read_numbers(void **state)
{
    (void)state;
    read_str_ok("NFG 1 R \"numbers\" { \"a\" \"b\" } { 5 1 }\n"
                "3/2 -1/4 0.5 .25 -2e1 1E-1 +7 -0 1/3 10/4\n",
                &game_a);
    const double expect[] = {1.5, -0.25, 0.5, 0.25,      -20,
                             0.1, 7,     0,   1.0 / 3.0, 2.5};
    for (size_t k = 0; k < N_OF(expect); k++)
        assert_close(game_a.payoff[k], expect[k], 0.0);
    sim_nfg_free(&game_a);
    read_ok("tests/nfg/coordination3x3.nfg", &game_a);
    assert_close(game_a.payoff[0], 0.5, 0.0);
    assert_close(game_a.payoff[17], 1.5, 0.0);
    sim_nfg_free(&game_a);
}

/* NFG 1 D, escaped quotes and backslashes, a comment over several lines
 * (lines counted inside it), CRLF line ends and a UTF-8 byte order mark. */
static void test_read_labels_comments_and_types(void **state)
{
    (void)state;
    read_ok("tests/nfg/battle_of_sexes.nfg", &game_a);
    assert_string_equal(game_a.strategy[1][1], "Football");
    sim_nfg_free(&game_a);

    read_str_ok("\xEF\xBB\xBFNFG 1 D \"say \\\"hi\\\" \\\\ \\n\"\r\n"
                "{ \"a\" } { 1 }\r\n\"a comment\r\nover lines\"\r\n4\r\n",
                &game_a);
    assert_string_equal(game_a.title, "say \"hi\" \\ \\n");
    assert_close(game_a.payoff[0], 4.0, 0.0);
    sim_nfg_free(&game_a);

    /* The error after a three-line comment is reported on line 5. */
    sim_err err = {0};
    int rc = sim_nfg_read_string("NFG 1 R \"t\" { \"a\" } { 1 }\n"
                                 "\"one\ntwo\nthree\"\n"
                                 "x\n",
                                 "c.nfg", &game_a, &err);
    expect_error(rc, &err, "c.nfg:5:", "'x'", "payoffs");
    assert_null(game_a.payoff);
}

/* The brief's example message, and the label defaults. */
static void test_read_error_names_label_and_line(void **state)
{
    (void)state;
    sim_err err = {0};
    int rc = sim_nfg_read_string("NFG 1 R \"pd\" { \"a\" \"b\" }\n"
                                 "{ 2 2 }\n"
                                 "3 3 5 0 0 5 1\n",
                                 "pd.nfg", &game_a, &err);
    expect_error(rc, &err, NULL, NULL, NULL);
    assert_string_equal(err.msg, "pd.nfg:3: expected 8 payoffs (4 profiles "
                                 "x 2 players), found 7");
    rc = sim_nfg_read_string("NFG 1 R", NULL, &game_a, &err);
    expect_error(rc, &err, "<string>:1:", "title", "end of file");
    assert_int_equal(sim_nfg_read_string(NULL, "x", &game_a, &err),
                     SIM_E_USAGE);
    assert_int_equal(sim_nfg_read_string("", "x", NULL, &err), SIM_E_USAGE);
}

static void test_read_missing_file(void **state)
{
    (void)state;
    sim_err err = {0};
    /* an input error (exit 2), as a missing scenario (issue 12, item 17) */
    int rc = sim_nfg_read_file("tests/nfg/no_such_game.nfg", &game_a, &err);
    assert_int_equal(rc, SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "tests/nfg/no_such_game.nfg"));
    assert_null(game_a.payoff);
    /* a regular file that cannot be read: the file and the reason */
    rc = sim_nfg_read_file("/proc/self/mem", &game_a, &err);
    assert_int_equal(rc, SIM_E_IO);
    if (!strstr(err.msg, "/proc/self/mem: cannot read the game file: "))
        fail_msg("message: %s", err.msg);
    assert_null(game_a.payoff);
    /* a directory: refused before reading */
    rc = sim_nfg_read_file("tests/nfg", &game_a, &err);
    assert_int_equal(rc, SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "tests/nfg: not a regular file"));
}

/* Every broken file: its line and a word of the reason. */
static void test_read_bad_files(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int line;
        const char *reason;
    } cases[] = {
        {"empty.nfg", 1, "expected the header"},
        {"missing_header.nfg", 1, "expected the header"},
        {"wrong_version.nfg", 1, "unsupported version"},
        {"bad_type.nfg", 1, "number type"},
        {"missing_players_brace.nfg", 2, "list of players"},
        {"wrong_counts.nfg", 3, "wrong number of strategy counts"},
        {"wrong_lists.nfg", 4, "wrong number of strategy lists"},
        {"too_few_payoffs.nfg", 3, "expected 8 payoffs"},
        {"too_many_payoffs.nfg", 6, "found 9"},
        {"bad_number.nfg", 7, "bad number '1.2.3'"},
        {"zero_denominator.nfg", 3, "zero denominator"},
        {"number_out_of_range.nfg", 3, "range"},
        {"unexpected_character.nfg", 2, "unexpected character '@'"},
        {"trailing_garbage.nfg", 3, "end of the file"},
        {"unterminated_string.nfg", 3, "unterminated string"},
        {"outcome_out_of_range.nfg", 6, "out of range"},
        {"outcome_arity.nfg", 4, "outcome 2 has 1 payoffs"},
        {"missing_outcome_numbers.nfg", 3, "expected 4 outcome numbers"},
        {"negative_count.nfg", 2, "at least 1"},
        {"fractional_count.nfg", 2, "whole number"},
        {"huge_count.nfg", 2, "too many strategies"},
        {"too_many_profiles.nfg", 2, "too many strategy profiles"},
        {"too_many_players.nfg", 3, "too many players"},
        {"no_strategies.nfg", 3, "no strategies"},
        {"name_too_long.nfg", 3, "too long"},
        {"no_players.nfg", 1, "list of players is empty"},
        {"nul_byte.nfg", 3, "NUL"},
    };
    for (size_t k = 0; k < N_OF(cases); k++) {
        char path[256], at[300];
        snprintf(path, sizeof path, "tests/bad/nfg/%s", cases[k].file);
        snprintf(at, sizeof at, "%s:%d: ", path, cases[k].line);
        sim_err err = {0};
        game_a.payoff = (double *)&err; /* must be cleared */
        int rc = sim_nfg_read_file(path, &game_a, &err);
        if (rc != SIM_E_SCENARIO || !strstr(err.msg, at) ||
            !strstr(err.msg, cases[k].reason))
            fail_msg("%s: rc %d, message \"%s\"; expected \"%s\" and \"%s\"",
                     cases[k].file, rc, err.msg, at, cases[k].reason);
        assert_null(game_a.payoff);
    }
    /* Every file in the directory is in the table. */
    DIR *d = opendir("tests/bad/nfg");
    assert_non_null(d);
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".nfg"))
            files++;
    closedir(d);
    assert_int_equal(files, N_OF(cases));
}

/* Inputs a fuzzer might produce: truncated at every byte, every result is
 * a clean 0 or scenario error (run under ASan/UBSan in Debug). */
static void test_read_every_prefix(void **state)
{
    (void)state;
    const char *srcs[] = {"tests/nfg/voting3.nfg",
                          "tests/nfg/coordination3x3.nfg"};
    for (size_t s = 0; s < N_OF(srcs); s++) {
        size_t len = 0;
        char *text = sim_test_slurp(srcs[s], &len);
        assert_non_null(text);
        for (size_t n = 0; n <= len; n++) {
            char *pre = malloc(n + 1);
            assert_non_null(pre);
            memcpy(pre, text, n);
            pre[n] = '\0';
            sim_err err = {0};
            int rc = sim_nfg_read_string(pre, "p", &game_a, &err);
            assert_true(rc == 0 || rc == SIM_E_SCENARIO);
            if (rc == 0)
                sim_nfg_free(&game_a);
            else
                assert_non_null(strstr(err.msg, "p:"));
            assert_true(n < len || rc == 0); /* the whole file reads */
            free(pre);
        }
        free(text);
    }
}

/* ---- the writer ---- */

/* read -> write -> read gives the same game, for every file in tests/nfg
 * and for the textbook scenario. */
static void test_write_round_trip_all_games(void **state)
{
    (void)state;
    DIR *d = opendir("tests/nfg");
    assert_non_null(d);
    size_t games = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strstr(e->d_name, ".nfg"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "tests/nfg/%s", e->d_name);
        read_ok(path, &game_a);
        char *text = write_to_string(&game_a);
        read_str_ok(text, &game_b);
        assert_same_game(&game_a, &game_b);
        /* Writing is a fixed point after one round. */
        char *again = write_to_string(&game_b);
        assert_string_equal(text, again);
        free(text);
        free(again);
        sim_nfg_free(&game_a);
        sim_nfg_free(&game_b);
        games++;
    }
    closedir(d);
    assert_int_equal(games, 9);
}

/* Doubles in the shortest form that reads back exactly; labels escaped. */
static void test_write_shortest_exact_doubles(void **state)
{
    (void)state;
    memset(&game_a, 0, sizeof game_a);
    snprintf(game_a.title, sizeof game_a.title, "a \"quoted\" \\ title");
    game_a.nplayers = 1;
    game_a.nstrat[0] = 7;
    snprintf(game_a.player[0], SIM_NFG_NAME_MAX, "P");
    for (int j = 0; j < 7; j++)
        snprintf(game_a.strategy[0][j], SIM_NFG_NAME_MAX, "s%d", j);
    assert_int_equal(sim_nfg_alloc(&game_a, NULL), 0);
    const double v[] = {0.1, 1.0 / 3.0, -2.5, 1e300, 5e-324, 100, -1e16};
    memcpy(game_a.payoff, v, sizeof v);
    char *text = write_to_string(&game_a);
    assert_non_null(strstr(text, "\"a \\\"quoted\\\" \\\\ title\""));
    assert_non_null(strstr(text, "\n0.1\n"));
    assert_non_null(strstr(text, "\n0.3333333333333333\n"));
    assert_non_null(strstr(text, "\n-2.5\n"));
    assert_non_null(strstr(text, "\n1e+300\n"));
    assert_non_null(strstr(text, "\n5e-324\n"));
    assert_non_null(strstr(text, "\n100\n"));
    assert_non_null(strstr(text, "\n-10000000000000000\n"));
    read_str_ok(text, &game_b);
    assert_same_game(&game_a, &game_b);
    free(text);
    sim_nfg_free(&game_a);
    sim_nfg_free(&game_b);
}

static void test_write_errors(void **state)
{
    (void)state;
    sim_err err = {0};
    read_ok("tests/nfg/prisoners_dilemma.nfg", &game_a);
    FILE *ro = fopen("/dev/null", "r"); /* writes fail: ferror is set */
    assert_non_null(ro);
    assert_int_equal(sim_nfg_write(ro, &game_a, &err), SIM_E_IO);
    fclose(ro);
    game_a.payoff[0] = INFINITY;
    FILE *f = fopen("/dev/null", "w");
    assert_non_null(f);
    assert_int_equal(sim_nfg_write(f, &game_a, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "finite"));
    game_a.payoff[0] = 3.0;
    assert_int_equal(sim_nfg_write(NULL, &game_a, &err), SIM_E_USAGE);
    assert_int_equal(sim_nfg_write(f, NULL, &err), SIM_E_USAGE);
    fclose(f);
    sim_nfg_free(&game_a);
}

/* ---- pure equilibria ---- */

static void test_pure_known_games(void **state)
{
    (void)state;
    const size_t pd[] = {3};         /* (D,D) */
    const size_t bos[] = {0, 3};     /* (O,O), (F,F) */
    const size_t vote[] = {0, 4, 7}; /* AAA, AAB, BBB */
    const size_t coord[] = {0, 4, 8};
    const size_t deg[] = {0, 3}; /* (U,L), (D,R) */
    const size_t deg32[] = {0};  /* (T,l) */
    check_pure("tests/nfg/prisoners_dilemma.nfg", pd, N_OF(pd));
    check_pure("scenarios/textbook/prisoners_dilemma.nfg", pd, N_OF(pd));
    check_pure("tests/nfg/battle_of_sexes.nfg", bos, N_OF(bos));
    check_pure("tests/nfg/matching_pennies.nfg", NULL, 0);
    check_pure("tests/nfg/rock_paper_scissors.nfg", NULL, 0);
    check_pure("tests/nfg/voting3.nfg", vote, N_OF(vote));
    check_pure("tests/nfg/coordination3x3.nfg", coord, N_OF(coord));
    check_pure("tests/nfg/degenerate.nfg", deg, N_OF(deg));
    check_pure("tests/nfg/degenerate3x2.nfg", deg32, N_OF(deg32));
    check_pure("tests/nfg/nondegenerate3x2.nfg", deg32, N_OF(deg32));
}

/* Payoffs are compared exactly: a deviation that pays 1e-7 more than
 * 1e6 is a better one, however small against the payoff (a relative
 * tolerance of 1e-12 used to call this a tie and list both strategies).
 * A 1-player game: strategy 1 pays 1e6, strategy 2 pays 1e6 (1 + 1e-13);
 * the two doubles differ. */
static void test_pure_tolerance_and_truncation(void **state)
{
    (void)state;
    size_t prof[1], count = 0;
    sim_err err = {0};
    read_str_ok("NFG 1 R \"t\" { \"a\" } { 2 } 1000000 1000000.0000001",
                &game_a);
    assert_true(game_a.payoff[1] > game_a.payoff[0]);
    assert_int_equal(sim_nfg_pure_equilibria(&game_a, prof, 1, &count, &err),
                     0);
    assert_int_equal(count, 1);
    assert_int_equal(prof[0], 1);
    sim_nfg_free(&game_a);
    /* equal payoffs are a tie: both are equilibria */
    read_str_ok("NFG 1 R \"t\" { \"a\" } { 2 } 1000000 1e6", &game_a);
    assert_int_equal(sim_nfg_pure_equilibria(&game_a, prof, 1, &count, &err),
                     0);
    assert_int_equal(count, 2);
    assert_int_equal(prof[0], 0);
    sim_nfg_free(&game_a);
    read_str_ok("NFG 1 R \"t\" { \"a\" } { 2 } 1000000 1000000.001", &game_a);
    assert_int_equal(sim_nfg_pure_equilibria(&game_a, prof, 1, &count, &err),
                     0);
    assert_int_equal(count, 1);
    assert_int_equal(prof[0], 1);
    /* max = 0: only counted. */
    assert_int_equal(sim_nfg_pure_equilibria(&game_a, NULL, 0, &count, &err),
                     0);
    assert_int_equal(count, 1);
    assert_int_equal(sim_nfg_pure_equilibria(&game_a, NULL, 1, &count, &err),
                     SIM_E_USAGE);
    assert_int_equal(sim_nfg_pure_equilibria(&game_a, prof, 1, NULL, &err),
                     SIM_E_USAGE);
    sim_nfg_free(&game_a);
    assert_int_equal(sim_nfg_pure_equilibria(&game_a, prof, 1, &count, &err),
                     SIM_E_USAGE);
}

/* ---- support enumeration ---- */

static void test_support_prisoners_dilemma(void **state)
{
    (void)state;
    const want_eq w[] = {{{0, 1}, {0, 1}}};
    check_support("tests/nfg/prisoners_dilemma.nfg", w, N_OF(w));
}

static void test_support_matching_pennies(void **state)
{
    (void)state;
    const want_eq w[] = {{{0.5, 0.5}, {0.5, 0.5}}};
    check_support("tests/nfg/matching_pennies.nfg", w, N_OF(w));
}

/* Two pure, then the mixed ((2/3, 1/3), (1/3, 2/3)). */
static void test_support_battle_of_sexes(void **state)
{
    (void)state;
    const want_eq w[] = {{{1, 0}, {1, 0}},
                         {{0, 1}, {0, 1}},
                         {{2.0 / 3.0, 1.0 / 3.0}, {1.0 / 3.0, 2.0 / 3.0}}};
    check_support("tests/nfg/battle_of_sexes.nfg", w, N_OF(w));
}

static void test_support_rock_paper_scissors(void **state)
{
    (void)state;
    const double t = 1.0 / 3.0;
    const want_eq w[] = {{{t, t, t}, {t, t, t}}};
    check_support("tests/nfg/rock_paper_scissors.nfg", w, N_OF(w));
}

/* Seven: one per nonempty support, x = y proportional to 1/a_i. */
static void test_support_coordination3x3(void **state)
{
    (void)state;
    const want_eq w[] = {
        {{1, 0, 0}, {1, 0, 0}},
        {{0, 1, 0}, {0, 1, 0}},
        {{0, 0, 1}, {0, 0, 1}},
        {{2.0 / 3, 1.0 / 3, 0}, {2.0 / 3, 1.0 / 3, 0}},
        {{0.75, 0, 0.25}, {0.75, 0, 0.25}},
        {{0, 0.6, 0.4}, {0, 0.6, 0.4}},
        {{6.0 / 11, 3.0 / 11, 2.0 / 11}, {6.0 / 11, 3.0 / 11, 2.0 / 11}},
    };
    check_support("tests/nfg/coordination3x3.nfg", w, N_OF(w));
}

static void test_support_nondegenerate3x2(void **state)
{
    (void)state;
    const want_eq w[] = {{{1, 0, 0}, {1, 0}},
                         {{0.8, 0.2, 0}, {2.0 / 3, 1.0 / 3}},
                         {{0, 1.0 / 3, 2.0 / 3}, {1.0 / 3, 2.0 / 3}}};
    check_support("tests/nfg/nondegenerate3x2.nfg", w, N_OF(w));
}

/* Row player indifferent. Complete set: three segments (see the file);
 * reported are their four extreme points. The last two have supports of
 * sizes 2 and 1, which equal-size support pairs would miss. */
static void test_support_degenerate_row_indifferent(void **state)
{
    (void)state;
    const want_eq w[] = {{{1, 0}, {1, 0}},
                         {{0, 1}, {0, 1}},
                         {{0.5, 0.5}, {1, 0}},
                         {{0.5, 0.5}, {0, 1}}};
    check_support("tests/nfg/degenerate.nfg", w, N_OF(w));
}

/* Complete set: the segment T x {(p, 1 - p): 2/3 <= p <= 1} and the
 * isolated ((0, 1/3, 2/3), (1/3, 2/3)); reported are the segment's end
 * points and the isolated one. */
static void test_support_degenerate3x2(void **state)
{
    (void)state;
    const want_eq w[] = {{{1, 0, 0}, {1, 0}},
                         {{1, 0, 0}, {2.0 / 3, 1.0 / 3}},
                         {{0, 1.0 / 3, 2.0 / 3}, {1.0 / 3, 2.0 / 3}}};
    check_support("tests/nfg/degenerate3x2.nfg", w, N_OF(w));
}

/* Random 4x4 and 5x3 games (payoffs uniform on a grid of 2^20 values, a
 * fixed LCG seed) are nondegenerate with probability ~1, so they have an
 * odd number of equilibria (Lemke and Howson 1964); every one found must
 * be an equilibrium, and scaling payoffs by 1e6 must not change them. */
static void test_support_random_games_odd_and_scale_free(void **state)
{
    (void)state;
    unsigned long long s = 20240601ULL;
    for (int rep = 0; rep < 40; rep++) {
        memset(&game_a, 0, sizeof game_a);
        game_a.nplayers = 2;
        game_a.nstrat[0] = rep % 2 ? 4 : 5;
        game_a.nstrat[1] = rep % 2 ? 4 : 3;
        assert_int_equal(sim_nfg_alloc(&game_a, NULL), 0);
        for (size_t k = 0; k < game_a.nprofiles * 2; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            game_a.payoff[k] = (double)(s >> 44) / (double)(1u << 20);
        }
        size_t count = 0, count2 = 0;
        sim_err err = {0};
        assert_int_equal(
            sim_nfg_support_enumeration(&game_a, eqs, MAXEQ, &count, &err), 0);
        assert_true(count % 2 == 1 && count <= MAXEQ);
        for (size_t k = 0; k < count; k++)
            assert_true(regret2(&game_a, &eqs[k]) <= 1e-9);
        static sim_mixed scaled[MAXEQ];
        for (size_t k = 0; k < game_a.nprofiles * 2; k++)
            game_a.payoff[k] *= 1e6;
        assert_int_equal(
            sim_nfg_support_enumeration(&game_a, scaled, MAXEQ, &count2, &err),
            0);
        assert_int_equal(count2, count);
        for (size_t k = 0; k < count; k++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 5; j++)
                    assert_close(scaled[k].prob[i][j], eqs[k].prob[i][j], 1e-9);
        sim_nfg_free(&game_a);
    }
}

static void test_support_errors_and_truncation(void **state)
{
    (void)state;
    sim_err err = {0};
    size_t count = 0;
    read_ok("tests/nfg/voting3.nfg", &game_a);
    assert_int_equal(
        sim_nfg_support_enumeration(&game_a, eqs, MAXEQ, &count, &err),
        SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "two-player"));
    sim_nfg_free(&game_a);

    memset(&game_a, 0, sizeof game_a);
    game_a.nplayers = 2;
    game_a.nstrat[0] = 11;
    game_a.nstrat[1] = 10;
    assert_int_equal(sim_nfg_alloc(&game_a, NULL), 0);
    assert_int_equal(
        sim_nfg_support_enumeration(&game_a, eqs, MAXEQ, &count, &err),
        SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "exceeds the limit 20"));
    sim_nfg_free(&game_a);

    /* max smaller than the number found: the count is still complete. */
    read_ok("tests/nfg/battle_of_sexes.nfg", &game_a);
    memset(eqs, 0, sizeof eqs);
    eqs[1].prob[0][0] = 42.0;
    assert_int_equal(sim_nfg_support_enumeration(&game_a, eqs, 1, &count, &err),
                     0);
    assert_int_equal(count, 3);
    assert_close(eqs[0].prob[0][0], 1.0, TOL);
    assert_close(eqs[1].prob[0][0], 42.0, 0.0); /* untouched */
    assert_int_equal(
        sim_nfg_support_enumeration(&game_a, NULL, 0, &count, &err), 0);
    assert_int_equal(count, 3);
    assert_int_equal(
        sim_nfg_support_enumeration(&game_a, NULL, 2, &count, &err),
        SIM_E_USAGE);
    assert_int_equal(sim_nfg_support_enumeration(&game_a, eqs, 2, NULL, &err),
                     SIM_E_USAGE);
    sim_nfg_free(&game_a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_index_and_payoff),
        cmocka_unit_test(test_alloc_rejects_bad_shapes),
        cmocka_unit_test(test_check_rejects_malformed),
        cmocka_unit_test(test_read_payoff_format),
        cmocka_unit_test(test_read_outcome_format),
        cmocka_unit_test(test_read_formats_agree),
        cmocka_unit_test(test_read_numbers),
        cmocka_unit_test(test_read_labels_comments_and_types),
        cmocka_unit_test(test_read_error_names_label_and_line),
        cmocka_unit_test(test_read_missing_file),
        cmocka_unit_test(test_read_bad_files),
        cmocka_unit_test(test_read_every_prefix),
        cmocka_unit_test(test_write_round_trip_all_games),
        cmocka_unit_test(test_write_shortest_exact_doubles),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_pure_known_games),
        cmocka_unit_test(test_pure_tolerance_and_truncation),
        cmocka_unit_test(test_support_prisoners_dilemma),
        cmocka_unit_test(test_support_matching_pennies),
        cmocka_unit_test(test_support_battle_of_sexes),
        cmocka_unit_test(test_support_rock_paper_scissors),
        cmocka_unit_test(test_support_coordination3x3),
        cmocka_unit_test(test_support_nondegenerate3x2),
        cmocka_unit_test(test_support_degenerate_row_indifferent),
        cmocka_unit_test(test_support_degenerate3x2),
        cmocka_unit_test(test_support_random_games_odd_and_scale_free),
        cmocka_unit_test(test_support_errors_and_truncation),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
