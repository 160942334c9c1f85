/* test_api_errors.c - the library's answers to calls it must refuse:
 * malformed objects handed in by a caller, requests beyond a stated limit,
 * a cancelled batch, and numerical dead ends that the headers promise to
 * report (an error code and a message) rather than loop or crash. */
#include "testutil.h"

#include <sanctionsim/models.h>

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sanctionsim/bargain.h>
#include <sanctionsim/batch.h>
#include <sanctionsim/model.h>
#include <sanctionsim/model_instance.h>
#include <sanctionsim/nash_solution.h>
#include <sanctionsim/nfg.h>
#include <sanctionsim/qre.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/stats.h>
#include <sanctionsim/world.h>

static void load_text(sim_scenario *sc, const char *text)
{
    sim_err err = {0};
    if (sim_scenario_load_string(sc, sim_builtin_models(), text, "api.cfg",
                                 NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
}

/* A well-formed 2x2 game with names, for sim_nfg_check to find fault in. */
static void small_game(sim_nfg *g)
{
    sim_err err = {0};
    memset(g, 0, sizeof *g);
    g->nplayers = 2;
    g->nstrat[0] = g->nstrat[1] = 2;
    assert_int_equal(sim_nfg_alloc(g, &err), 0);
    snprintf(g->title, sizeof g->title, "t");
    for (int i = 0; i < 2; i++) {
        snprintf(g->player[i], sizeof g->player[i], "p%d", i);
        for (int j = 0; j < 2; j++)
            snprintf(g->strategy[i][j], sizeof g->strategy[i][j], "s%d", j);
    }
}

/* Names that fill their buffers without a terminating NUL are refused by
 * sim_nfg_check (so by every solver and the writer), each with its own
 * message. */
static void test_nfg_check_unterminated_names(void **state)
{
    (void)state;
    static sim_nfg g;
    sim_err err = {0};
    small_game(&g);
    assert_int_equal(sim_nfg_check(&g, &err), 0);
    memset(g.title, 'x', sizeof g.title);
    assert_int_equal(sim_nfg_check(&g, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "title is not terminated"));
    g.title[0] = '\0';
    memset(g.player[1], 'x', SIM_NFG_NAME_MAX);
    assert_int_equal(sim_nfg_check(&g, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "name of player 2 is not terminated"));
    g.player[1][0] = '\0';
    memset(g.strategy[0][1], 'x', SIM_NFG_NAME_MAX);
    assert_int_equal(sim_nfg_check(&g, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "strategy 2 of player 1"));
    sim_nfg_free(&g);
}

/* A full bargaining game refuses another deal (-1) and stays as it was. */
static void test_bargain_full(void **state)
{
    (void)state;
    sim_bargain b;
    sim_err err = {0};
    assert_int_equal(sim_bargain_alloc(&b, 2, 3, &err), 0);
    sim_bargain_reset(&b, 3, 0, 0.9, 0.9);
    assert_int_equal(sim_bargain_add(&b, 0, 0, 0.0, 0.0), 0);
    assert_true(sim_bargain_add(&b, 1, 1, 1.0, 1.0) >= 0);
    assert_int_equal(sim_bargain_add(&b, 2, 2, 2.0, 2.0), -1);
    assert_int_equal(b.n_deals, 2);
    assert_true(b.gain[0][1] == 1.0);
    sim_bargain_free(&b);
}

/* A batch of no replications is a usage error; a batch whose cancel flag
 * is already set stops before the first replication with
 * SIM_E_INTERRUPTED. Neither leaves a directory. */
static void test_batch_refusals(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_text(&sc, "rounds = 2;");
    const char *tmp = sim_test_tmpdir("api_batch");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    atomic_int cancel = 1;
    sim_batch_opts o = {
        .seed = 1, .replications = 0, .outdir = dir, .command_line = "test"};
    sim_batch_result r;
    sim_err err = {0};
    assert_int_equal(sim_batch_run(&sc, &o, &r, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "at least 1"));
    o.replications = 5;
    o.cancel = &cancel;
    assert_int_equal(sim_batch_run(&sc, &o, &r, &err), SIM_E_INTERRUPTED);
    assert_non_null(strstr(err.msg, "interrupted after 0 of 5"));
    /* no result; out.partial/ is kept for resume */
    struct stat st;
    assert_int_equal(stat(dir, &st), -1);
    char cmd[1200], *out = NULL;
    snprintf(cmd, sizeof cmd, "ls -A '%s'", tmp);
    assert_int_equal(sim_test_run(cmd, &out), 0);
    assert_string_equal(out, "out.partial\n");
    free(out);
}

/* A summary row whose metric name fills its buffer without a NUL is not
 * written. */
static void test_summary_row_unterminated(void **state)
{
    (void)state;
    sim_summary s;
    memset(&s, 0, sizeof s);
    memset(s.metric, 'm', sizeof s.metric);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    sim_err err = {0};
    assert_int_equal(sim_stats_write_row(f, &s, &err), SIM_E_INTERNAL);
    assert_non_null(strstr(err.msg, "not NUL-terminated"));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(len, 0); /* nothing written */
    free(buf);
}

/* The nash model responding with a power outside [0, 1] (a scenario
 * cannot give one: the loader checks the range) reports it; so does its
 * offer. */
static void test_nash_model_bad_power(void **state)
{
    (void)state;
    const sim_model_type *nash =
        sim_registry_find(sim_builtin_models(), "nash");
    assert_non_null(nash);
    sim_bargain b;
    sim_err err = {0};
    assert_int_equal(sim_bargain_alloc(&b, 2, 1, &err), 0);
    sim_bargain_reset(&b, 1, 0, 0.9, 0.9);
    assert_int_equal(sim_bargain_add(&b, 0, 0, 0.0, 0.0), 0);
    assert_true(sim_bargain_add(&b, 1, 1, 1.0, 1.0) >= 0);
    double param[SIM_MODEL_MAX_PARAMS] = {2.0};
    sim_model_instance mi; /* as the engine runs a model */
    assert_int_equal(sim_model_instance_init_type(&mi, nash, param, &err), 0);
    assert_int_equal(sim_model_instance_reset(&mi, &err), 0);
    sim_decision d;
    memset(&d, 0, sizeof d);
    d.actor = SIM_ACTOR_MINSK;
    d.param = mi.param;
    d.game = &b;
    d.deal = 1;
    sim_action a;
    for (int role = SIM_ROLE_OFFER; role <= SIM_ROLE_RESPOND; role++) {
        d.role = role;
        memset(&err, 0, sizeof err);
        assert_int_equal(sim_model_instance_decide(&mi, &d, &a, &err),
                         SIM_E_USAGE);
        if (!strstr(err.msg, "power 2 is not in [0, 1]"))
            fail_msg("%s: %s", sim_role_name(role), err.msg);
    }
    /* and a valid power decides */
    param[0] = 0.5;
    assert_int_equal(sim_model_instance_decide(&mi, &d, &a, &err), 0);
    assert_true(a.act);
    sim_model_instance_free(&mi);
    sim_bargain_free(&b);
}

/* A scenario whose bargaining would take more than SIM_MAX_ROUND_WORK
 * steps a round (or SIM_MAX_ROUND_BYTES) is refused when the workspace is
 * made, naming the keys to lower. */
static void test_round_work_limit(void **state)
{
    (void)state;
    static sim_scenario sc;
    /* the loader refuses it (test_scenario); a scenario changed by hand
     * after loading meets the same check in sim_workspace_alloc */
    load_text(&sc, "bargaining = { max_release = 100000; stages = 50; };");
    sc.bargaining.stages = 10000;
    sim_workspace *ws = NULL;
    sim_err err = {0};
    assert_int_equal(sim_workspace_alloc(&sc, &ws, &err), SIM_E_SCENARIO);
    assert_null(ws);
    if (!strstr(err.msg, "api.cfg: a round's bargaining is too large: "
                         "washington's game holds 100001 deals") ||
        !strstr(err.msg, "more than the 1e+07 allowed; lower "
                         "bargaining.max_release, max_instruments or stages"))
        fail_msg("%s", err.msg);
}

/* A replication whose utility overflows is an error naming it, not a
 * silent empty field (issue 12, item 9): a weight set by hand beyond what
 * the loader allows. */
static void test_non_finite_utility_refused(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_text(&sc, "rounds = 3;");
    sc.actor[SIM_ACTOR_POLAND].weight[SIM_FEATURE_PRISONERS] = 1e308;
    sim_workspace *ws = NULL;
    sim_err err = {0};
    assert_int_equal(sim_workspace_alloc(&sc, &ws, &err), 0);
    sim_rep_result res;
    assert_int_equal(sim_replicate(ws, 1, 7, NULL, NULL, &res, &err),
                     SIM_E_NUMERIC);
    if (!strstr(err.msg, "replication 7: the utility of poland is inf"))
        fail_msg("%s", err.msg);
    sim_workspace_free(ws);
}

/* With nothing to trade (no instruments, nobody to release) the first
 * round has no deal both sides gain from, so there is no accept/reject
 * game to export: a scenario error. */
static void test_first_round_games_without_a_deal(void **state)
{
    (void)state;
    static sim_scenario sc;
    load_text(&sc, "bargaining = { max_release = 0; };");
    sim_workspace *ws = NULL;
    sim_err err = {0};
    assert_int_equal(sim_workspace_alloc(&sc, &ws, &err), 0);
    sim_nfg border, respond;
    memset(&border, 0, sizeof border);
    memset(&respond, 0, sizeof respond);
    assert_int_equal(sim_first_round_games(ws, &border, &respond, &err),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "no deal that both sides gain from"));
    /* world.h: the caller frees both games, also after an error (the
     * border game was made before the accept/reject game failed) */
    assert_null(respond.payoff);
    sim_nfg_free(&border);
    sim_nfg_free(&respond);
    sim_workspace_free(ws);
}

/* A four-player game (2 x 3 x 4 x 3 strategies, payoffs 0 or 1, found by
 * a random search) whose principal branch the continuation cannot follow
 * to lambda = 1e6: the step falls below its floor near lambda = 6.6e5.
 * The call returns SIM_E_NUMERIC naming the lambda reached (qre.h:
 * "rather than loop"), with the last point reached, a probability
 * profile, in *out. */
static const char stall_payoffs[] =
    "100011010100101111010011111001000100110010100110110001111101101111011011"
    "111101000100110101100010010111010111101100101110001100010000101100011000"
    "101101100010000000010010010011100110110000101010010000101010111010001111"
    "101101110000101011011011000011001010001011010110000000110101000000110100";

static void test_qre_continuation_stalls(void **state)
{
    (void)state;
    static sim_nfg g;
    memset(&g, 0, sizeof g);
    g.nplayers = 4;
    const int n[4] = {2, 3, 4, 3};
    memcpy(g.nstrat, n, sizeof n);
    sim_err err = {0};
    assert_int_equal(sim_nfg_alloc(&g, &err), 0);
    assert_int_equal(g.nprofiles * 4, sizeof stall_payoffs - 1);
    for (size_t k = 0; k < sizeof stall_payoffs - 1; k++)
        g.payoff[k] = stall_payoffs[k] - '0';
    sim_mixed p;
    double res;
    /* The continuation stalls; the retry in units of the payoff range
     * (issue 12, item 6) reaches lambda but not the residual, and says why
     * (before the retry, the message was the stall's). */
    assert_int_equal(sim_qre_logit(&g, 1e6, &p, &res, &err), SIM_E_NUMERIC);
    if (!strstr(err.msg, "at lambda = 1e+06 is not below") ||
        !strstr(err.msg, "too large for double precision"))
        fail_msg("%s", err.msg);
    for (int i = 0; i < 4; i++) {
        double sum = 0.0;
        for (int j = 0; j < n[i]; j++) {
            assert_true(p.prob[i][j] >= 0.0 && p.prob[i][j] <= 1.0);
            sum += p.prob[i][j];
        }
        assert_close(sum, 1.0, 1e-12);
    }
    assert_true(isfinite(res));
    /* a smaller precision on the same game is reached */
    assert_int_equal(sim_qre_logit(&g, 10.0, &p, &res, &err), 0);
    assert_true(res < SIM_QRE_TOL);
    sim_nfg_free(&g);
}

int main(void)
{
    sim_error_quiet_gsl();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nfg_check_unterminated_names),
        cmocka_unit_test(test_bargain_full),
        cmocka_unit_test(test_batch_refusals),
        cmocka_unit_test(test_summary_row_unterminated),
        cmocka_unit_test(test_nash_model_bad_power),
        cmocka_unit_test(test_round_work_limit),
        cmocka_unit_test(test_non_finite_utility_refused),
        cmocka_unit_test(test_first_round_games_without_a_deal),
        cmocka_unit_test(test_qre_continuation_stalls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
