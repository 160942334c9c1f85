/* test_load_errors.c - every way a scenario, a `--set` override, a `solve`
 * problem or a Gambit .nfg text can be wrong, through the public loaders:
 * each is refused with its error code and a message that says where (file
 * and line, or the --set) and what (the key and a word of the reason).
 *
 * The inputs are strings in catalogues here, not files in tests/bad/: that
 * folder's files are also run one by one by the CLI test and by the
 * reference comparison of the CLI's output, which a new file would change.
 * The bad-file catalogue of test_cli.c covers the CLI's side of loading. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/nfg.h>
#include <sanctionsim/problem.h>
#include <sanctionsim/scenario.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* One bad input: the text (a scenario, problem or game), up to two --set
 * overrides, the code, and up to three parts the message must contain. */
typedef struct bad_text {
    const char *text;
    const char *set[2];
    int code;
    const char *want[3];
} bad_text;

static void check_message(const bad_text *b, int rc, const sim_err *err)
{
    if (rc != b->code)
        fail_msg("%s: status %d, want %d: %s", b->text, rc, b->code, err->msg);
    if (err->code != rc)
        fail_msg("%s: err.code %d but status %d", b->text, err->code, rc);
    for (int j = 0; j < 3; j++)
        if (b->want[j] && !strstr(err->msg, b->want[j]))
            fail_msg("%s: message lacks \"%s\": %s", b->text, b->want[j],
                     err->msg);
}

static int nsets(const bad_text *b)
{
    return b->set[0] ? (b->set[1] ? 2 : 1) : 0;
}

/* ---- scenarios ---- */

#define ONE_INSTRUMENT "instruments = ( { name = \"a\"; imposer = \"us\"; } );"

static const bad_text bad_scenarios[] = {
    {"seed = -1;",
     {0},
     SIM_E_SCENARIO,
     {"s.cfg:1:", ": seed: ", "-1 is out of range [0,"}},
    {"name = 3;",
     {0},
     SIM_E_SCENARIO,
     {": name: ", "expected a string in double quotes", NULL}},
    {"name = \"a23456789012345678901234567890123456789012345678901234567890"
     "1234\";",
     {0},
     SIM_E_SCENARIO,
     {": name: ", "longer than 63 characters", NULL}},
    {"instruments = ( { name = \"a\"; imposer = 1; } );",
     {0},
     SIM_E_SCENARIO,
     {"instruments.[0].imposer", "expected a string in double quotes", NULL}},
    {"shocks = { drones = { dist = \"poisson\"; mean = \"x\"; }; };",
     {0},
     SIM_E_SCENARIO,
     {"shocks.drones.mean", "expected a number", NULL}},
    {"shocks = { drones = { dist = \"poisson\"; mean = -1.0; }; };",
     {0},
     SIM_E_SCENARIO,
     {"shocks.drones.mean", "out of range", NULL}},
    {"shocks = { deaths = { dist = \"fixed\"; value = 2.0; }; };",
     {0},
     SIM_E_SCENARIO,
     {"shocks.deaths", "per-prisoner probability must lie in [0, 1]", NULL}},
    {"actors = { minsk = { offer = { model = 3; }; }; };",
     {0},
     SIM_E_SCENARIO,
     {"actors.minsk.offer.model", "expected a model name in quotes", NULL}},
    {"instruments = ( 1 );",
     {0},
     SIM_E_SCENARIO,
     {"instruments.[0]", "expected a group { ... }", NULL}},
    {"instruments = ( { name = \"\"; imposer = \"us\"; } );",
     {0},
     SIM_E_SCENARIO,
     {"instruments.[0].name", "must not be empty", NULL}},
    {"name = \".hidden\";",
     {0},
     SIM_E_SCENARIO,
     {": name: ", "cannot name an output directory", NULL}},
    {"name = \"a b\";",
     {0},
     SIM_E_SCENARIO,
     {": name: ", "must use only letters, digits", NULL}},
    {"rounds = 1;\nrounds = 2;\n",
     {0},
     SIM_E_SCENARIO,
     {"s.cfg:2:", "already set earlier in the same group", NULL}},
    {"@include \"tests/no_such_include.cfg\"\n",
     {0},
     SIM_E_SCENARIO,
     {"s.cfg:1:", "syntax error: cannot open include file", NULL}},
    /* ---- --set overrides ---- */
    {"rounds = 2;",
     {"rounds.x.y.z=1", NULL},
     SIM_E_SCENARIO,
     {"--set rounds.x.y.z=1", "'x' is inside a value that is not a group",
      NULL}},
    {"rounds = 2;",
     {"rounds.x=1", NULL},
     SIM_E_SCENARIO,
     {"--set rounds.x=1", "the parent of 'x' is not a group", NULL}},
    {ONE_INSTRUMENT,
     {"instruments.[x].value=1", NULL},
     SIM_E_SCENARIO,
     {"bad list index '[x]'", NULL, NULL}},
    {ONE_INSTRUMENT,
     {"instruments.[-1].value=1", NULL},
     SIM_E_SCENARIO,
     {"bad list index '[-1]'", NULL, NULL}},
    {"rounds = 2;",
     {"actors.mi$nsk.discount=1", NULL},
     SIM_E_SCENARIO,
     {"'mi$nsk' is not a key name", NULL, NULL}},
    {"tension = { decay = 0.5; };",
     {"tension.[0]=1", NULL},
     SIM_E_SCENARIO,
     {"[0] needs a list in the scenario before it", NULL, NULL}},
    {ONE_INSTRUMENT,
     {"instruments.[0]=5", NULL},
     SIM_E_SCENARIO,
     {"only a number in a list can be set this way", NULL, NULL}},
    {ONE_INSTRUMENT,
     {"instruments.a.value=1", NULL},
     SIM_E_SCENARIO,
     {"'instruments' is a list", "e.g. instruments.[0].value", NULL}},
    {"rounds = 2;",
     {"actors.minsk.9x=1", NULL},
     SIM_E_SCENARIO,
     {"--set actors.minsk.9x=1", "cannot set '9x'", NULL}},
    {"rounds = 2;",
     {"actors.9x.discount=1", NULL},
     SIM_E_SCENARIO,
     {"--set actors.9x.discount=1", "cannot create '9x'", NULL}},
    {"rounds = 2;",
     {"rounds=3", "=3"},
     SIM_E_SCENARIO,
     {"--set =3", "expected KEY=VALUE", NULL}},
    /* hardening, issue 12: an index beyond int wrapped to a valid one
     * (item 8); `.=1` was accepted and did nothing, and empty names
     * between dots were skipped (item 16) */
    {ONE_INSTRUMENT,
     {"instruments.[4294967296].value=1", NULL},
     SIM_E_SCENARIO,
     {"bad list index '[4294967296]'", NULL, NULL}},
    {"rounds = 2;",
     {".=1", NULL},
     SIM_E_SCENARIO,
     {"--set .=1", "empty name between its dots", NULL}},
    {"rounds = 2;",
     {"actors..minsk.discount=0.5", NULL},
     SIM_E_SCENARIO,
     {"empty name between its dots", NULL, NULL}},
};

/* A --set string longer than the key allows is refused whole; it was cut
 * to 511 characters without a word (hardening, issue 12, item 16). */
static void test_long_set_string_refused(void **state)
{
    (void)state;
    static sim_scenario sc;
    char set[700];
    memset(set, 'x', sizeof set - 1);
    set[sizeof set - 1] = '\0';
    memcpy(set, "description=\"", 13);
    set[sizeof set - 2] = '"';
    const char *sets[] = {set};
    sim_err err = {0};
    int rc = sim_scenario_load_string(&sc, sim_builtin_models(), "rounds = 2;",
                                      "s.cfg", sets, 1, NULL, &err);
    assert_int_equal(rc, SIM_E_SCENARIO);
    if (!strstr(err.msg, "description: is longer than 511 characters"))
        fail_msg("%s", err.msg);
}

static void test_bad_scenarios(void **state)
{
    (void)state;
    static sim_scenario sc;
    for (size_t i = 0; i < N_OF(bad_scenarios); i++) {
        const bad_text *b = &bad_scenarios[i];
        sim_err err = {0};
        int rc =
            sim_scenario_load_string(&sc, sim_builtin_models(), b->text,
                                     "s.cfg", b->set, nsets(b), NULL, &err);
        check_message(b, rc, &err);
    }
}

/* A --set key longer than a path may be; more --set options than a
 * scenario records. */
static void test_set_limits(void **state)
{
    (void)state;
    static sim_scenario sc;
    static char key[SIM_PATH_MAX + 16];
    memset(key, 'k', SIM_PATH_MAX + 8);
    memcpy(key + SIM_PATH_MAX + 8, "=1", 3);
    const char *sets[SIM_MAX_SETS + 1];
    sets[0] = key;
    sim_err err = {0};
    assert_int_equal(sim_scenario_load_string(&sc, sim_builtin_models(),
                                              "rounds = 2;", "s.cfg", sets, 1,
                                              NULL, &err),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "key too long"));
    for (int i = 0; i <= SIM_MAX_SETS; i++)
        sets[i] = "rounds=3";
    assert_int_equal(sim_scenario_load_string(&sc, sim_builtin_models(),
                                              "rounds = 2;", "s.cfg", sets,
                                              SIM_MAX_SETS + 1, NULL, &err),
                     SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "at most 64 --set options"));
    /* the limit itself is fine */
    assert_int_equal(sim_scenario_load_string(&sc, sim_builtin_models(),
                                              "rounds = 2;", "s.cfg", sets,
                                              SIM_MAX_SETS, NULL, &err),
                     0);
    assert_int_equal(sc.rounds, 3);
}

/* A directory or a device is not a scenario file: refused before
 * libconfig, whose scanner would exit the process or block. */
static void test_scenario_path_not_a_file(void **state)
{
    (void)state;
    static sim_scenario sc;
    static const char *const paths[] = {"tests", "/dev/null"};
    for (size_t i = 0; i < N_OF(paths); i++) {
        sim_err err = {0};
        assert_int_equal(sim_scenario_load(&sc, sim_builtin_models(), paths[i],
                                           NULL, 0, NULL, &err),
                         SIM_E_SCENARIO);
        if (!strstr(err.msg, paths[i]) ||
            !strstr(err.msg, "is a directory or device"))
            fail_msg("%s", err.msg);
    }
}

/* A label that leaves no name for the output directory. */
static void test_scenario_label_gives_no_name(void **state)
{
    (void)state;
    static sim_scenario sc;
    sim_err err = {0};
    assert_int_equal(sim_scenario_load_string(&sc, sim_builtin_models(),
                                              "rounds = 2;", ".cfg", NULL, 0,
                                              NULL, &err),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "cannot name an output directory"));
}

/* ---- problems for solve ---- */

#define GAME2(players, strategies, payoffs)                                    \
    "game = { players = " players "; strategies = " strategies                 \
    "; payoffs = " payoffs "; };"
#define OK_STRATS "( (\"l\", \"r\"), (\"u\", \"d\") )"
#define OK_PAYOFFS "( (1, 1), (0, 0), (0, 0), (1, 1) )"

static const bad_text bad_problems[] = {
    {GAME2("\"a\"", OK_STRATS, OK_PAYOFFS),
     {0},
     SIM_E_SCENARIO,
     {"p.cfg:1:", "game.players", "expected a list of player names"}},
    {GAME2("()", OK_STRATS, OK_PAYOFFS),
     {0},
     SIM_E_SCENARIO,
     {"game.players", "needs 1 to 8 player names, found 0", NULL}},
    {GAME2("(\"a\", 1)", OK_STRATS, OK_PAYOFFS),
     {0},
     SIM_E_SCENARIO,
     {"game.players.[1]", "expected a player name in double quotes", NULL}},
    {GAME2("(\"\", \"b\")", OK_STRATS, OK_PAYOFFS),
     {0},
     SIM_E_SCENARIO,
     {"game.players.[0]", "must have 1 to 63 characters", NULL}},
    {GAME2("(\"a\", \"a\")", OK_STRATS, OK_PAYOFFS),
     {0},
     SIM_E_SCENARIO,
     {"game.players.[1]", "duplicate player name \"a\"", NULL}},
    {GAME2("(\"a\", \"b\")", "( (\"l\", \"r\") )", OK_PAYOFFS),
     {0},
     SIM_E_SCENARIO,
     {"game.strategies", "expected a list of 2 strategy lists", NULL}},
    {GAME2("(\"a\", \"b\")", OK_STRATS, "( (1, 1), (0, 0) )"),
     {0},
     SIM_E_SCENARIO,
     {"game.payoffs", "expected a list of 4 payoff entries", NULL}},
    {GAME2("(\"a\", \"b\")", OK_STRATS, "( (1, 1), (0, 0), (0), (1, 1) )"),
     {0},
     SIM_E_SCENARIO,
     {"game.payoffs.[2]", "expected 2 payoffs", NULL}},
    {GAME2("(\"a\", \"b\")", OK_STRATS,
           "( (1, 1), (0, 0), (0, 1e13), (1, 1) )"),
     {0},
     SIM_E_SCENARIO,
     {"game.payoffs.[2].[1]", "finite number of at most 1e12", NULL}},
    {"game = { title = 3; players = (\"a\"); strategies = ((\"x\")); "
     "payoffs = ((1)); };",
     {0},
     SIM_E_SCENARIO,
     {"game.title", "expected a string in double quotes", NULL}},
    {"nash = { a1 = 1.0; };\ngame = { };",
     {0},
     SIM_E_SCENARIO,
     {"p.cfg:1:", "either a game or a nash problem, not both", NULL}},
    {"name = 3;\nnash = { a1 = 1.0; };",
     {0},
     SIM_E_SCENARIO,
     {"p.cfg:1:", "expected a string in double quotes", NULL}},
    {"game = 3;",
     {0},
     SIM_E_SCENARIO,
     {"p.cfg:1:", "expected a group { ... }, found", NULL}},
    {"nash = { a1 = 2.0; };",
     {"nash.a1=x", NULL},
     SIM_E_SCENARIO,
     {"--set nash.a1=x", "expected a number", NULL}},
};

static void test_bad_problems(void **state)
{
    (void)state;
    static sim_problem p;
    for (size_t i = 0; i < N_OF(bad_problems); i++) {
        const bad_text *b = &bad_problems[i];
        sim_err err = {0};
        int rc = sim_problem_load_string(&p, b->text, "p.cfg", b->set, nsets(b),
                                         &err);
        check_message(b, rc, &err);
        /* a failed load owns nothing */
        assert_null(p.game.payoff);
    }
}

/* --set applies to libconfig files only: a Gambit file with one is a
 * usage error, before the file is read. */
static void test_set_on_nfg_file(void **state)
{
    (void)state;
    static sim_problem p;
    const char *sets[] = {"x=1"};
    sim_err err = {0};
    assert_int_equal(
        sim_problem_load(&p, "tests/nfg/matching_pennies.nfg", sets, 1, &err),
        SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "--set applies to scenario files"));
    assert_int_equal(
        sim_problem_load(&p, "tests/nfg/matching_pennies.nfg", NULL, 0, &err),
        0);
    assert_int_equal(p.game.nplayers, 2);
    sim_problem_free(&p);
}

/* ---- Gambit .nfg texts ---- */

#define NFG_HEAD "NFG 1 R \"t\" { \"A\" \"B\" } "

static const bad_text bad_nfgs[] = {
    /* a fraction without a denominator */
    {NFG_HEAD "{ 2 2 }\n1/ 0 0 0 0 0 0 0\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:2:", "bad number '1/'", NULL}},
    /* a number without a digit */
    {NFG_HEAD "{ 1 1 }\n-. 1\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:2:", "bad number '-.'", NULL}},
    /* a string where a strategy count belongs */
    {NFG_HEAD "{ 2 \"x\" }\n1 0 0 0 0 0 0 0\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:1:", "expected a strategy count or '}', found the string \"x\"",
      NULL}},
    /* a sign alone where a strategy count belongs */
    {NFG_HEAD "{ + 2 }\n1 0 0 0 0 0 0 0\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:1:", "bad strategy count '+' for player 1", NULL}},
    /* a control byte outside a string */
    {NFG_HEAD "{ 2 2 }\n1 0 0 0\x01 0 0 0 0\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:2:", "unexpected byte 0x01", NULL}},
    /* a number of 65 characters */
    {NFG_HEAD "{ 1 1 }\n1 "
              "1.0000000000000000000000000000000000000000000000000000000000000"
              "00\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:2:", "longer than 64 characters", NULL}},
    /* three strategy counts for two players */
    {NFG_HEAD "{ 2 2 2 }\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:1:", "wrong number of strategy counts", "found more"}},
    /* one strategy list for two players */
    {NFG_HEAD "{ { \"x\" } }\n1 1\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:1:", "wrong number of strategy lists: expected 2", "found 1"}},
    /* an outcome number too many */
    {NFG_HEAD "{ 1 1 }\n\"\" { { \"o\" 1, 2 } }\n1\n1\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:4:", "expected 1 outcome numbers (one per profile), found 2",
      NULL}},
    /* ... and where an outcome number belongs */
    {NFG_HEAD "{ 1 1 }\n\"\" { { \"o\" 1, 2 } }\n-\n",
     {0},
     SIM_E_SCENARIO,
     {"g.nfg:3:", "bad outcome number '-'", NULL}},
};

static void test_bad_nfg_texts(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(bad_nfgs); i++) {
        const bad_text *b = &bad_nfgs[i];
        sim_nfg g;
        sim_err err = {0};
        int rc = sim_nfg_read_string(b->text, "g.nfg", &g, &err);
        check_message(b, rc, &err);
        assert_null(g.payoff);
    }
    /* NULL arguments are usage errors, not crashes */
    sim_nfg g;
    sim_err err = {0};
    assert_int_equal(sim_nfg_read_string(NULL, "x", &g, &err), SIM_E_USAGE);
    assert_int_equal(sim_nfg_read_string("NFG", "x", NULL, &err), SIM_E_USAGE);
}

/* More strategy names than SIM_NFG_MAX_STRATEGIES, and a NUL byte inside
 * a label (read from a file: a C string would end there). */
static void test_nfg_limits_and_nul(void **state)
{
    (void)state;
    static char text[8192];
    int n = snprintf(text, sizeof text, NFG_HEAD "{ {");
    for (int j = 0; j <= SIM_NFG_MAX_STRATEGIES; j++)
        n += snprintf(text + n, sizeof text - (size_t)n, " \"s%d\"", j);
    snprintf(text + n, sizeof text - (size_t)n, " } { \"x\" } }\n");
    sim_nfg g;
    sim_err err = {0};
    assert_int_equal(sim_nfg_read_string(text, "g.nfg", &g, &err),
                     SIM_E_SCENARIO);
    if (!strstr(err.msg, "player 1 has more than 64"))
        fail_msg("%s", err.msg);

    static const char nul[] = "NFG 1 R \"ti\0tle\" { \"A\" } { 1 }\n1\n";
    char path[1100];
    snprintf(path, sizeof path, "%s/nul.nfg", sim_test_tmpdir("load_nul"));
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(nul, 1, sizeof nul - 1, f), sizeof nul - 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(sim_nfg_read_file(path, &g, &err), SIM_E_SCENARIO);
    if (!strstr(err.msg, "nul.nfg:1: unexpected NUL byte in a string"))
        fail_msg("%s", err.msg);
    assert_null(g.payoff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_scenarios),
        cmocka_unit_test(test_long_set_string_refused),
        cmocka_unit_test(test_set_limits),
        cmocka_unit_test(test_scenario_path_not_a_file),
        cmocka_unit_test(test_scenario_label_gives_no_name),
        cmocka_unit_test(test_bad_problems),
        cmocka_unit_test(test_set_on_nfg_file),
        cmocka_unit_test(test_bad_nfg_texts),
        cmocka_unit_test(test_nfg_limits_and_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
