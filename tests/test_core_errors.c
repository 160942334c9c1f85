/* test_core_errors.c - error exits of the core library at its limits:
 * scenario files the include check, the integer widener and the base
 * chain must refuse (an @include without its quotes, a name too long, an
 * integer of 80 digits, a file that cannot be read, a base path too long),
 * an experiment whose scenario path is too long, `offers` that is no
 * list, and scenarios changed by hand after loading that the engine meets
 * (an infinite future with a discount of 1, the border role given to an
 * actor without a border, weights or values too large for a double), a
 * game whose deal is worth NaN to the qre model, games the bargaining
 * chain solver must leave to the table, logit QRE games at the edges of
 * double precision, and a Nash split below the normal doubles. Each case asserts the code and a part of the
 * message, or the result the fallback gives. */
#include "testutil.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sanctionsim/bargain.h>
#include <sanctionsim/experiment.h>
#include <sanctionsim/model.h>
#include <sanctionsim/model_instance.h>
#include <sanctionsim/nash_solution.h>
#include <sanctionsim/nfg.h>
#include <sanctionsim/qre.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

#include "../sim/utility_check.h"

#define BASELINE "scenarios/baseline.cfg"

/* Asserts that msg holds part, naming both if not. */
static void assert_has(const char *msg, const char *part)
{
    if (!strstr(msg, part))
        fail_msg("message \"%s\" lacks \"%s\"", msg, part);
}

/* Loads path with the sets; returns the code, the message in err. */
static int load(sim_scenario *sc, const char *path, const char *const *sets,
                int nsets, sim_err *err)
{
    return sim_scenario_load(sc, sim_builtin_models(), path, sets, nsets, NULL,
                             err);
}

/* Writes text to dir/name into path (size 1200). */
static void put(char *path, const char *dir, const char *name,
                const char *text)
{
    snprintf(path, 1200, "%s/%s", dir, name);
    assert_int_equal(sim_test_write(path, text), 0);
}

/* A scenario file holding text is refused with SIM_E_SCENARIO and a
 * message naming the file and part. */
static void refused_file(const char *dir, const char *name, const char *text,
                         const char *part)
{
    static sim_scenario sc;
    char path[1200];
    put(path, dir, name, text);
    sim_err err = {0};
    assert_int_equal(load(&sc, path, NULL, 0, &err), SIM_E_SCENARIO);
    assert_has(err.msg, name);
    assert_has(err.msg, part);
}

/* @include directives libconfig would read as no directive or a syntax
 * error, one with a name longer than SIM_PATH_MAX, and an integer literal
 * too long to be read as a number. */
static void test_include_and_integer_limits(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("core_errors_include");
    /* no quotes: not a directive to check, libconfig's syntax error */
    refused_file(dir, "bare.cfg", "rounds = 5;\n@include other.cfg\n",
                 "bare.cfg:2: syntax error");
    /* the quote not closed before the end of the file: libconfig would
     * skip the directive without a word */
    refused_file(dir, "open.cfg", "rounds = 5;\n@include \"other.cfg",
                 "open.cfg:2: @include: the file name has no closing double "
                 "quote");
    /* a name of 2000 characters */
    char *text = malloc(2100);
    assert_non_null(text);
    int n = snprintf(text, 2100, "@include \"");
    memset(text + n, 'x', 2000);
    snprintf(text + n + 2000, 100, "\"\n");
    refused_file(dir, "long.cfg", text, "long.cfg:1: @include: the file "
                                        "name is too long");
    /* an integer of 85 digits: beyond 64 bits however it is read */
    n = snprintf(text, 2100, "rounds = ");
    memset(text + n, '7', 85);
    snprintf(text + n + 85, 100, ";\n");
    refused_file(dir, "digits.cfg", text, "is beyond the 64-bit range");
    free(text);
}

/* A NUL byte: not a text file, refused before libconfig (whose scanner
 * would stop reading there) sees it. */
static void test_nul_byte_in_scenario(void **state)
{
    (void)state;
    static sim_scenario sc;
    char path[1200];
    snprintf(path, sizeof path, "%s/nul.cfg",
             sim_test_tmpdir("core_errors_nul"));
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    static const char text[] = "rounds = 5;\n\0rounds = 6;\n";
    assert_int_equal(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
    assert_int_equal(fclose(f), 0);
    sim_err err = {0};
    assert_int_equal(load(&sc, path, NULL, 0, &err), SIM_E_SCENARIO);
    assert_has(err.msg, "nul.cfg: holds a NUL byte");
}

/* A base whose path does not fit SIM_PATH_MAX. */
static void test_base_path_too_long(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("core_errors_base");
    char *text = malloc(SIM_PATH_MAX + 100);
    assert_non_null(text);
    int n = snprintf(text, 100, "base = \"");
    memset(text + n, 'b', SIM_PATH_MAX);
    snprintf(text + n + SIM_PATH_MAX, 100, ".cfg\";\n");
    refused_file(dir, "variant.cfg", text,
                 "variant.cfg:1: base: the path of the base is too long");
    free(text);
}

/* An experiment file in a folder whose name with the scenario's is longer
 * than SIM_PATH_MAX (the scenario is resolved against the file's folder). */
static void test_experiment_scenario_path_too_long(void **state)
{
    (void)state;
    char dir[SIM_PATH_MAX], path[1200], name[SIM_PATH_MAX];
    int n = snprintf(dir, sizeof dir, "%s/", sim_test_tmpdir("core_errors_exp"));
    memset(dir + n, 'd', 250);
    dir[n + 250] = '\0';
    assert_int_equal(mkdir(dir, 0755), 0);
    memset(name, 's', 900);
    name[900] = '\0';
    char *text = malloc(2 * SIM_PATH_MAX);
    assert_non_null(text);
    snprintf(text, 2 * SIM_PATH_MAX,
             "scenario = \"%s\"; metrics = [\"y\"];\n"
             "factors = ( { key = \"a\"; range = [0.0, 1.0]; } );\n",
             name);
    put(path, dir, "exp.cfg", text);
    free(text);
    static sim_experiment e;
    sim_err err = {0};
    assert_int_equal(sim_experiment_load(&e, path, &err), SIM_E_SCENARIO);
    assert_has(err.msg, "exp.cfg:1: scenario: joined to the experiment "
                        "file's folder, the path is too long");
}

/* `offers` must be a list of instrument names. */
static void test_offers_not_a_list(void **state)
{
    (void)state;
    static sim_scenario sc;
    const char *set[] = {"actors.eu.offers=5"};
    sim_err err = {0};
    assert_int_equal(load(&sc, BASELINE, set, 1, &err), SIM_E_SCENARIO);
    assert_has(err.msg, "actors.eu.offers: expected a list of instrument "
                        "names");
    assert_has(err.msg, "found an integer");
}

/* A discount of 1 over an infinite future, set by hand after loading:
 * the workspace refuses it with the file and actor, and the utility
 * check, which needs a workspace, reports that it has none. */
static void test_infinite_future_by_hand(void **state)
{
    (void)state;
    static sim_scenario sc;
    sim_err err = {0};
    if (load(&sc, BASELINE, NULL, 0, &err))
        fail_msg("%s", err.msg);
    sc.planning_horizon = 0;
    sc.actor[SIM_ACTOR_EU].discount = 1.0;
    sim_workspace *ws = NULL;
    assert_int_equal(sim_workspace_alloc(&sc, &ws, &err), SIM_E_SCENARIO);
    assert_null(ws);
    assert_has(err.msg, "baseline.cfg: actors.eu.discount = 1 with "
                        "planning_horizon = 0");
    char msg[200] = "";
    int shortcuts = 0;
    assert_int_equal(
        sim_utility_check_gain(&sc, 1u, 10, &shortcuts, msg, sizeof msg), -1);
}

/* Loads the baseline, lets f change it by hand, makes a workspace and
 * runs replication 0; returns the code of the run. */
static int run_changed(void (*f)(sim_scenario *), sim_err *err)
{
    static sim_scenario sc;
    if (load(&sc, BASELINE, NULL, 0, err))
        fail_msg("%s", err->msg);
    f(&sc);
    sim_workspace *ws = NULL;
    if (sim_workspace_alloc(&sc, &ws, err))
        fail_msg("%s", err->msg);
    sim_rep_result res;
    int rc = sim_replicate(ws, 1u, 0u, NULL, NULL, &res, err);
    sim_workspace_free(ws);
    return rc;
}

static void border_to_minsk(sim_scenario *sc)
{
    sim_actor_spec *m = &sc->actor[SIM_ACTOR_MINSK];
    m->roles |= 1u << SIM_ROLE_BORDER;
    m->model[SIM_ROLE_BORDER] = sc->actor[SIM_ACTOR_POLAND].model[SIM_ROLE_BORDER];
}

/* The loader gives the border role only to Poland and Lithuania; a
 * scenario changed by hand reaches the engine's own check. */
static void test_border_role_without_border(void **state)
{
    (void)state;
    sim_err err = {0};
    assert_int_equal(run_changed(border_to_minsk, &err), SIM_E_INTERNAL);
    assert_has(err.msg, "minsk holds the border role but controls no border");
}

static void huge_weights(sim_scenario *sc)
{
    for (int a = 0; a < SIM_N_ACTORS; a++)
        for (int f = 0; f < SIM_N_FEATURES; f++)
            sc->actor[a].weight[f] = 1e308;
}

/* Weights near DBL_MAX, set by hand: a sum of utilities overflows, and
 * the replication says so instead of writing an infinite utility. */
static void test_utility_overflow_by_hand(void **state)
{
    (void)state;
    sim_err err = {0};
    assert_int_equal(run_changed(huge_weights, &err), SIM_E_NUMERIC);
    assert_has(err.msg, "replication 0: the utility of");
    assert_has(err.msg, "too large for a double");
}

static void huge_relief(sim_scenario *sc)
{
    sc->rounds = 0;
    for (int i = 0; i < sc->n_instruments; i++) {
        sc->instrument[i].lifted = true;
        sc->instrument[i].value = 1e308;
    }
}

/* Instruments worth near DBL_MAX each, all lifted, set by hand: their sum,
 * the relief at the end, overflows. (With no round played no utility is
 * summed; in a round, every actor's utility would weigh the relief, and
 * be refused first.) */
static void test_relief_overflow_by_hand(void **state)
{
    (void)state;
    sim_err err = {0};
    assert_int_equal(run_changed(huge_relief, &err), SIM_E_NUMERIC);
    assert_has(err.msg, "replication 0: relief_end is inf");
}

/* A deal worth NaN to the proposer: the qre model cannot weigh it and
 * says which deal. */
static void test_qre_offer_nan_deal(void **state)
{
    (void)state;
    const sim_model_type *qre = sim_test_model("qre");
    sim_bargain b;
    sim_err err = {0};
    assert_int_equal(sim_bargain_alloc(&b, 3, 1, &err), 0);
    sim_bargain_reset(&b, 1, 0, 0.9, 0.9);
    assert_int_equal(sim_bargain_add(&b, 0u, 0, 0.0, 0.0), 0);
    assert_true(sim_bargain_add(&b, 1u, 1, NAN, 1.0) >= 0);
    sim_bargain_solve(&b);
    double param[SIM_MODEL_MAX_PARAMS] = {1.0};
    sim_model_instance mi;
    assert_int_equal(sim_model_instance_init_type(&mi, qre, param, &err), 0);
    assert_int_equal(sim_model_instance_reset(&mi, &err), 0);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    sim_decision d;
    memset(&d, 0, sizeof d);
    d.role = SIM_ROLE_OFFER;
    d.actor = SIM_ACTOR_WASHINGTON;
    d.param = mi.param;
    d.game = &b;
    d.side = 0;
    d.rng = rng;
    sim_action a;
    assert_int_equal(sim_model_instance_decide(&mi, &d, &a, &err),
                     SIM_E_NUMERIC);
    assert_has(err.msg, "qre: deal 1 of the game has a non-finite value");
    gsl_rng_free(rng);
    sim_model_instance_free(&mi);
    sim_bargain_free(&b);
}

/* ---- the chain solver's refusals: the table's solvers take over ---- */

enum { ZIG_MAX = 200 };
static const double UNFILLED = -123456.75;

/* Solves b (whose table was marked UNFILLED before the game was entered)
 * and asserts that the chain solver declined it (the table is filled)
 * and that the result is the reference scan's, offer for offer and value
 * for value. */
static void assert_table_solved(sim_bargain *b)
{
    int S = b->stages;
    int offer[8];
    double value[2 * 9];
    b->solved = false;
    sim_bargain_solve(b);
    assert_true(b->solved);
    for (int i = 0; i < b->n_deals; i++)
        assert_true(b->gain[0][i] != UNFILLED);
    memcpy(offer, b->offer, sizeof(int) * (size_t)S);
    memcpy(value, b->value, sizeof(double) * 2 * ((size_t)S + 1));
    b->solved = false;
    sim_bargain_solve_reference(b);
    for (int t = 0; t < S; t++) {
        assert_int_equal(b->offer[t], offer[t]);
        assert_memory_equal(&b->value[2 * t], &value[2 * t],
                            2 * sizeof(double));
    }
}

/* One chain over counts 0..hi whose release curves turn at every count
 * (0, 1, 0, 1, ...: (hi + 1) / 2 monotone pieces) or, if !turn, never. */
static void zigzag_game(sim_bargain *b, int hi, bool turn)
{
    static double rel[2][ZIG_MAX];
    for (int n = 0; n < ZIG_MAX; n++) {
        rel[0][n] = turn ? -0.5 * (n % 2) : -0.01 * n;
        rel[1][n] = (turn ? 0.75 * (n % 2) : 0.0) + 0.001 * n;
    }
    for (int i = 0; i < b->cap_deals; i++)
        b->gain[0][i] = UNFILLED;
    sim_bargain_reset(b, 3, 0, 0.9, 0.8);
    const double base[2] = {1.0, -0.25}, bonus[2] = {0.0, 0.0};
    const double *rp[2] = {rel[0], rel[1]};
    assert_int_equal(sim_bargain_add_chain(b, 1u, 0, hi, base, rp, bonus), 0);
}

/* Curves of more than 64 monotone pieces (100, and 65: the last one
 * found after the loop) are left to the table; so is a game with a
 * single deal whose gain is NaN among its chains. */
static void test_chain_solver_declines(void **state)
{
    (void)state;
    sim_bargain b;
    sim_err err = {0};
    assert_int_equal(sim_bargain_alloc(&b, ZIG_MAX + 8, 3, &err), 0);
    zigzag_game(&b, 63, false); /* one piece: the chain solver's game */
    b.solved = false;
    sim_bargain_solve(&b);
    assert_true(b.gain[0][1] == UNFILLED);
    zigzag_game(&b, ZIG_MAX - 1, true); /* 100 pieces */
    assert_table_solved(&b);
    zigzag_game(&b, 129, true); /* 65 pieces */
    assert_table_solved(&b);
    zigzag_game(&b, 63, false);
    assert_true(sim_bargain_add(&b, 2u, 5, NAN, 0.5) == 64);
    assert_table_solved(&b);
    sim_bargain_free(&b);
}

/* ---- the logit QRE at the edges of double precision ---- */

/* A 4 x 4 game whose payoffs span 2^-865 to 2^973 (drawn at random, kept
 * in hexadecimal so that every bit is the same everywhere): at lambda =
 * 2^-9 the continuation meets bordered matrices with a zero pivot and
 * steps it must reject, then stalls. It must say so, and report the point
 * it reached, a mixed profile. */
static void test_qre_wide_payoffs_stall(void **state)
{
    (void)state;
    static const double pay[32] = {
        0x1.88da15c99f1ep+616,   -0x1.2a38072336394p+205,
        0x1.9ec66bba33c0ep+418,  0x1.040de8c206e4p+143,
        0x1.cf6034c54b8e8p+507,  -0x1.34b4fbb326fap-536,
        -0x1.532bbf8b6a38p+457,  0x1.ce7887ada5e6p-126,
        -0x1.03cc5e8b044ep-131,  0x1.5db3a0f3ff9cap+106,
        0x1.84bb7775f68acp+229,  -0x1.d0174636c884p+513,
        -0x1.015a501e9cec4p+217, -0x1.562400003ec14p+598,
        -0x1.3a2c7d50755cp-504,  0x1.e764b5714d5eap-534,
        -0x1.f0872b557c8cap+679, -0x1.8c669ee3f0ddp+42,
        -0x1.7940a28cc54f8p-713, -0x1.f696bd98fc39ep-434,
        -0x1.36f14d6956c0ap+388, 0x1.e64d0156a491p+699,
        -0x1.8e7a483bfc658p-865, -0x1.ba5123b14a15p-225,
        -0x1.a659e87e559b2p+182, -0x1.dc56465f5daap-630,
        -0x1.b269adbce9c6p-861,  0x1.4d1379d7cf542p+973,
        -0x1.a409722845ceap+59,  0x1.6b4e1d756adcep-779,
        -0x1.3aac9576ffe1cp-783, 0x1.48dab3a1869dp+241};
    static sim_nfg g;
    memset(&g, 0, sizeof g);
    g.nplayers = 2;
    g.nstrat[0] = g.nstrat[1] = 4;
    assert_int_equal(sim_nfg_alloc(&g, NULL), 0);
    memcpy(g.payoff, pay, sizeof pay);
    sim_mixed out;
    double res;
    sim_err err = {0};
    assert_int_equal(sim_qre_logit(&g, 0x1p-9, &out, &res, &err),
                     SIM_E_NUMERIC);
    assert_has(err.msg, "qre: continuation stalled at lambda = ");
    for (int i = 0; i < 2; i++) {
        double sum = 0.0;
        for (int j = 0; j < 4; j++) {
            assert_true(out.prob[i][j] >= 0.0);
            sum += out.prob[i][j];
        }
        assert_close(sum, 1.0, 1e-12);
    }
    sim_nfg_free(&g);
}

/* Payoff differences of 8.9e307 (their bound, 1.78e308, still a double)
 * for five strategies: at lambda = 0 the tangent (8.9e307 five times, 1)
 * has no finite length, so the first continuation cannot start; the
 * second, with lambda measured in units of 1 / 1.78e308, solves it. */
static void test_qre_start_tangent_overflows(void **state)
{
    (void)state;
    static sim_nfg g;
    memset(&g, 0, sizeof g);
    g.nplayers = 2;
    g.nstrat[0] = 6;
    g.nstrat[1] = 1;
    assert_int_equal(sim_nfg_alloc(&g, NULL), 0);
    for (int j = 0; j < 6; j++) {
        g.payoff[2 * j] = j ? 8.9e307 : 0.0;
        g.payoff[2 * j + 1] = 0.0;
    }
    sim_mixed out;
    double res;
    sim_qre_info info;
    sim_err err = {0};
    assert_int_equal(sim_qre_logit_info(&g, 1e-4, &out, &res, &info, &err), 0);
    assert_true(info.rescaled);
    assert_true(res < SIM_QRE_TOL);
    assert_close(out.prob[0][0], 0.0, 1e-300);
    for (int j = 1; j < 6; j++)
        assert_close(out.prob[0][j], 0.2, 1e-12);
    sim_nfg_free(&g);
}

/* ---- the Nash bargaining split with the smallest exponents ---- */

/* b a1 = 2^-1074 against (1 - b) a2 = 1/2: the split is about 2^-1073, a
 * subnormal number, which GSL's Brent cannot bracket (it said "GSL cannot
 * start the minimizer"); the answer is the grid's, far within 1e-12. */
static void test_nash_power_subnormal_split(void **state)
{
    (void)state;
    static const double a1[] = {0x1p-1073, 0x1p-1060, 0x1p-1030, 0x1p-1000};
    for (size_t i = 0; i < sizeof a1 / sizeof a1[0]; i++) {
        double x = -1.0;
        sim_err err = {0};
        if (sim_nash_power(a1[i], 1.0, 0.5, &x, &err))
            fail_msg("a1 = %a: %s", a1[i], err.msg);
        double want = a1[i] / (a1[i] + 1.0);
        assert_true(x >= 0.0 && x <= 4.0 * want);
        assert_true(x >= want / 4.0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_include_and_integer_limits),
        cmocka_unit_test(test_nul_byte_in_scenario),
        cmocka_unit_test(test_base_path_too_long),
        cmocka_unit_test(test_experiment_scenario_path_too_long),
        cmocka_unit_test(test_offers_not_a_list),
        cmocka_unit_test(test_infinite_future_by_hand),
        cmocka_unit_test(test_border_role_without_border),
        cmocka_unit_test(test_utility_overflow_by_hand),
        cmocka_unit_test(test_relief_overflow_by_hand),
        cmocka_unit_test(test_qre_offer_nan_deal),
        cmocka_unit_test(test_chain_solver_declines),
        cmocka_unit_test(test_qre_wide_payoffs_stall),
        cmocka_unit_test(test_qre_start_tangent_overflows),
        cmocka_unit_test(test_nash_power_subnormal_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
