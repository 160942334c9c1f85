/* test_roles.c - roles are scenario data (actors.<actor>.roles): another
 * veto holder that always vetoes blocks every EU deal of the baseline;
 * every (actor, role) pair the baseline declares is consulted and no other
 * pair is, counted by a registry of counting copies of the built-in
 * models; role lists that cannot be loaded are refused with the file, the
 * line and a suggestion, by the library and by `sanctionsim check`; and
 * the roles `check` prints load back as the same roles. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/model.h>
#include <sanctionsim/models.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

#define BASELINE "scenarios/baseline.cfg"
#define SEED 11 /* any fixed master seed */

static sim_scenario scenario; /* large: static */

/* ---- helpers ---- */

/* Loads the baseline into *sc with the models of reg and the --set
 * overrides; from `text` standing for the file when text is not NULL. */
static void load_baseline(sim_scenario *sc, const sim_registry *reg,
                          const char *text, const char *const *sets, int nsets)
{
    sim_err err = {0};
    int rc =
        text ? sim_scenario_load_string(sc, reg, text, BASELINE, sets, nsets,
                                        NULL, &err)
             : sim_scenario_load(sc, reg, BASELINE, sets, nsets, NULL, &err);
    if (rc)
        fail_msg("%s", err.msg);
}

/* Runs replications 0 .. reps-1 of sc under SEED into res[]. */
static void replicate(const sim_scenario *sc, int reps, sim_rep_result *res)
{
    sim_workspace *ws;
    sim_err err = {0};
    if (sim_workspace_alloc(sc, &ws, &err))
        fail_msg("%s", err.msg);
    for (int r = 0; r < reps; r++)
        if (sim_replicate(ws, SEED, (uint64_t)r, NULL, NULL, &res[r], &err))
            fail_msg("replication %d: %s", r, err.msg);
    sim_workspace_free(ws);
}

/* The baseline's text with `line` added as the first line of the group of
 * actor `actor` (a role list cannot be given with --set); malloc'ed. */
static char *baseline_with(const char *actor, const char *line)
{
    char *text = sim_test_slurp(BASELINE, NULL);
    assert_non_null(text);
    char key[64];
    snprintf(key, sizeof key, "\n  %s = {\n", actor);
    const char *at = strstr(text, key);
    assert_non_null(at);
    assert_null(strstr(at + 1, key)); /* the actor's group, only once */
    int cut = (int)(at - text) + (int)strlen(key);
    size_t n = strlen(text) + strlen(line) + 2;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s\n%s", cut, text, line, text + cut);
    free(text);
    return out;
}

/* The outcomes of two replications agree. */
static void assert_same_outcome(const sim_rep_result *a,
                                const sim_rep_result *b, int rep)
{
    if (a->rounds != b->rounds || a->us_deals != b->us_deals ||
        a->eu_deals != b->eu_deals || a->eu_vetoes != b->eu_vetoes ||
        memcmp(a->released, b->released, sizeof a->released) != 0 ||
        memcmp(a->prisoners_end, b->prisoners_end, sizeof a->prisoners_end))
        fail_msg("replication %d: outcomes differ (us deals %d/%d, eu deals "
                 "%d/%d, eu vetoes %d/%d)",
                 rep, a->us_deals, b->us_deals, a->eu_deals, b->eu_deals,
                 a->eu_vetoes, b->eu_vetoes);
}

/* ---- a. another veto holder ---- */

#define VETO_REPS 100

/* Washington takes the veto role too, with a threshold rule: all its
 * coefficients 0 (c_gain defaults to 1), so the score is 0 and, without
 * noise, it accepts iff 0 >= threshold. */
#define WASHINGTON_VETO_ROLES "    roles = [\"offer\", \"respond\", \"veto\"];"
static const char *const always_veto[] = {
    "actors.washington.veto.model=threshold",
    "actors.washington.veto.threshold=1", /* 0 >= 1 never holds */
    "actors.washington.veto.c_gain=0",
};
static const char *const always_accept[] = {
    "actors.washington.veto.model=threshold",
    "actors.washington.veto.threshold=-1", /* 0 >= -1 always holds */
    "actors.washington.veto.c_gain=0",
};

/* On the baseline, VETO_REPS replications at a fixed seed: EU deals are
 * made (the test could fail), and none with Washington always vetoing,
 * which vetoes more deals; a Washington that always accepts changes no
 * outcome (it draws nothing), so the difference is the veto itself. */
static void test_an_always_vetoing_holder_blocks_every_eu_deal(void **state)
{
    (void)state;
    static sim_rep_result base[VETO_REPS], veto[VETO_REPS], accept[VETO_REPS];
    const sim_registry *reg = sim_builtin_models();
    load_baseline(&scenario, reg, NULL, NULL, 0);
    assert_false(
        sim_actor_has_role(&scenario, SIM_ACTOR_WASHINGTON, SIM_ROLE_VETO));
    replicate(&scenario, VETO_REPS, base);

    char *text = baseline_with("washington", WASHINGTON_VETO_ROLES);
    load_baseline(&scenario, reg, text, always_veto, 3);
    assert_true(
        sim_actor_has_role(&scenario, SIM_ACTOR_WASHINGTON, SIM_ROLE_VETO));
    assert_ptr_equal(
        scenario.actor[SIM_ACTOR_WASHINGTON].model[SIM_ROLE_VETO].type,
        sim_test_model("threshold"));
    /* the neighbours' vetoes are still there */
    assert_true(sim_actor_has_role(&scenario, SIM_ACTOR_POLAND, SIM_ROLE_VETO));
    assert_true(
        sim_actor_has_role(&scenario, SIM_ACTOR_LITHUANIA, SIM_ROLE_VETO));
    replicate(&scenario, VETO_REPS, veto);
    load_baseline(&scenario, reg, text, always_accept, 3);
    replicate(&scenario, VETO_REPS, accept);
    free(text);

    long deals = 0, vetoes = 0, vetoes_with = 0;
    for (int r = 0; r < VETO_REPS; r++) {
        deals += base[r].eu_deals;
        vetoes += base[r].eu_vetoes;
        vetoes_with += veto[r].eu_vetoes;
        if (veto[r].eu_deals != 0)
            fail_msg("replication %d: %d EU deals despite the veto", r,
                     veto[r].eu_deals);
        assert_same_outcome(&accept[r], &base[r], r);
    }
    print_message("%d replications: %ld EU deals and %ld vetoes; with "
                  "Washington always vetoing, 0 deals and %ld vetoes\n",
                  VETO_REPS, deals, vetoes, vetoes_with);
    assert_true(deals > 0);
    assert_true(vetoes_with > vetoes);
}

/* ---- b. every declared pair is consulted ---- */

/* A registry of counting copies of the built-in models: the same names,
 * parameters, state, init and observe, and a decide that counts the
 * request's (actor, role) and calls the original model's decide. One
 * wrapper per registry slot; a decide gets no pointer to its model type. */
enum { COUNTING_SLOTS = 8 };
static const sim_model_type *original[COUNTING_SLOTS];
static sim_model_type counting_model[COUNTING_SLOTS];
static const sim_model_type *counting_list[COUNTING_SLOTS + 1];
static long calls[SIM_N_ACTORS][SIM_N_ROLES];

static void count_call(const sim_decision *d)
{
    if ((int)d->actor < 0 || d->actor >= SIM_N_ACTORS || (int)d->role < 0 ||
        d->role >= SIM_N_ROLES)
        fail_msg("a decision for actor %d, role %d", (int)d->actor,
                 (int)d->role);
    calls[d->actor][d->role]++;
}

#define COUNTING_DECIDE(i)                                                     \
    static int counting_decide_##i(void *st, const sim_decision *d,            \
                                   sim_action *out, sim_err *err)              \
    {                                                                          \
        count_call(d);                                                         \
        return original[i]->decide(st, d, out, err);                           \
    }
COUNTING_DECIDE(0)
COUNTING_DECIDE(1)
COUNTING_DECIDE(2)
COUNTING_DECIDE(3)
COUNTING_DECIDE(4)
COUNTING_DECIDE(5)
COUNTING_DECIDE(6)
COUNTING_DECIDE(7)
#undef COUNTING_DECIDE

typedef int (*decide_fn)(void *, const sim_decision *, sim_action *, sim_err *);
static const decide_fn counting_decide[COUNTING_SLOTS] = {
    counting_decide_0, counting_decide_1, counting_decide_2, counting_decide_3,
    counting_decide_4, counting_decide_5, counting_decide_6, counting_decide_7,
};

/* The counting registry (its arrays are static, filled here). */
static sim_registry counting_registry(void)
{
    const sim_registry *b = sim_builtin_models();
    sim_registry reg = {counting_list, NULL};
    int n = 0;
    for (; b->models[n]; n++) {
        if (n == COUNTING_SLOTS)
            fail_msg("more than %d built-in models: add COUNTING_DECIDE(%d)",
                     COUNTING_SLOTS, n);
        original[n] = b->models[n];
        counting_model[n] = *b->models[n];
        counting_model[n].decide = counting_decide[n];
        counting_list[n] = &counting_model[n];
        if (b->models[n] == b->default_model)
            reg.default_model = &counting_model[n];
    }
    counting_list[n] = NULL;
    assert_non_null(reg.default_model);
    return reg;
}

#define COUNT_REPS 200

/* Counts into calls[][] the decisions of COUNT_REPS replications of the
 * baseline (with the --set overrides) loaded with the counting registry
 * into *counted, after checking that the copies decide as the originals:
 * the same outcomes as with the built-in registry. Fails if a pair that
 * the scenario does not declare is ever asked. */
static void count_baseline(sim_scenario *counted, const char *const *sets,
                           int nsets)
{
    static sim_rep_result res[COUNT_REPS], plain[COUNT_REPS];
    sim_registry reg = counting_registry();
    load_baseline(counted, &reg, NULL, sets, nsets);
    memset(calls, 0, sizeof calls);
    replicate(counted, COUNT_REPS, res);
    load_baseline(&scenario, sim_builtin_models(), NULL, sets, nsets);
    replicate(&scenario, COUNT_REPS, plain);
    for (int r = 0; r < COUNT_REPS; r++)
        assert_same_outcome(&res[r], &plain[r], r);
    for (int a = 0; a < SIM_N_ACTORS; a++)
        for (int r = 0; r < SIM_N_ROLES; r++) {
            const sim_model_type *t = counted->actor[a].model[r].type;
            assert_true(t >= counting_model &&
                        t < counting_model + COUNTING_SLOTS);
            if (!sim_actor_has_role(counted, a, r) && calls[a][r] != 0)
                fail_msg("%s was asked for %ld %s decisions, a role it does "
                         "not hold",
                         sim_actor_name(a), calls[a][r], sim_role_name(r));
        }
}

/* Pairs the baseline declares but never asks, found by the test below:
 * its bargaining is spe against spe with Minsk proposing first, and in
 * 200 replications at SEED Minsk's stage-0 offer was always accepted (by
 * Washington 2244 times, by the EU 6685 times); when Minsk had no serious
 * offer on the EU track, the EU had none either. So Washington never
 * proposes and Minsk never responds: as spe predicts, the first proposer
 * is never answered with a counter-offer. They are asserted unasked, so
 * that this list cannot go stale, and asked when the West proposes first
 * (the test after). */
static const struct {
    sim_actor actor;
    sim_role role;
} unasked[] = {
    {SIM_ACTOR_WASHINGTON, SIM_ROLE_OFFER},
    {SIM_ACTOR_MINSK, SIM_ROLE_RESPOND},
};
#define N_UNASKED ((int)(sizeof unasked / sizeof unasked[0]))

/* Appends " actor.role" to list[PAIR_LIST]. */
enum { PAIR_LIST = 512 };
static void append_pair(char *list, int a, int r)
{
    size_t len = strlen(list);
    snprintf(list + len, PAIR_LIST - len, " %s.%s", sim_actor_name(a),
             sim_role_name(r));
}

static bool is_unasked(int a, int r)
{
    for (int i = 0; i < N_UNASKED; i++)
        if ((int)unasked[i].actor == a && (int)unasked[i].role == r)
            return true;
    return false;
}

/* COUNT_REPS baseline replications with the counting registry: every role
 * is held by some actor, and every (actor, role) pair the scenario
 * declares was asked at least once (the renew role at the yearly
 * renewal, round 6) except the pairs of `unasked`, which never were; no
 * other pair ever was. */
static void test_every_declared_pair_is_consulted(void **state)
{
    (void)state;
    static sim_scenario counted;
    count_baseline(&counted, NULL, 0);
    char never[PAIR_LIST] = "", asked[PAIR_LIST] = "";
    for (int r = 0; r < SIM_N_ROLES; r++) {
        int holders = 0;
        for (int a = 0; a < SIM_N_ACTORS; a++) {
            if (!sim_actor_has_role(&counted, a, r))
                continue;
            holders++;
            long n = calls[a][r];
            print_message("%-10s %-8s %8ld calls\n", sim_actor_name(a),
                          sim_role_name(r), n);
            if (is_unasked(a, r) ? n != 0 : n == 0)
                append_pair(is_unasked(a, r) ? asked : never, a, r);
        }
        if (holders == 0)
            fail_msg("no actor of the baseline holds the %s role",
                     sim_role_name(r));
    }
    if (never[0])
        fail_msg("held but never asked in %d replications:%s", COUNT_REPS,
                 never);
    if (asked[0])
        fail_msg("asked now, remove from `unasked`:%s", asked);
    for (int i = 0; i < N_UNASKED; i++)
        assert_true(sim_actor_has_role(&counted, (int)unasked[i].actor,
                                       (int)unasked[i].role));
}

/* With the West proposing first, the pairs the baseline leaves unasked
 * are asked: Washington offers and Minsk responds. */
static void test_unasked_pairs_are_asked_when_the_west_proposes(void **state)
{
    (void)state;
    static sim_scenario counted;
    const char *const west[] = {"bargaining.first_proposer=west"};
    count_baseline(&counted, west, 1);
    for (int i = 0; i < N_UNASKED; i++) {
        long n = calls[unasked[i].actor][unasked[i].role];
        print_message("%-10s %-8s %8ld calls\n",
                      sim_actor_name(unasked[i].actor),
                      sim_role_name(unasked[i].role), n);
        if (n == 0)
            fail_msg("%s.%s is not asked with the West first either",
                     sim_actor_name(unasked[i].actor),
                     sim_role_name(unasked[i].role));
    }
}

/* ---- c. role lists that cannot be loaded ---- */

typedef struct bad_roles {
    const char *text;
    int line;         /* where the error is */
    const char *want; /* the message after "FILE:LINE: " */
} bad_roles;

static const bad_roles bad[] = {
    {"actors = {\n  eu = {\n    roles = [\"offer\", \"respnd\"];\n  };\n};\n",
     3,
     "actors.eu.roles.[1]: unknown role \"respnd\"; did you mean "
     "'respond'?"},
    {"actors = {\n  eu = {\n    roles = [\"offer\", \"respond\",\n"
     "             \"offer\"];\n  };\n};\n",
     4, "actors.eu.roles.[2]: role \"offer\" is listed twice"},
    {"actors = {\n  eu = {\n    roles = [\"offer\", \"respond\"];\n"
     "    veto = { model = \"threshold\"; };\n  };\n};\n",
     4,
     "actors.eu.veto: eu takes no veto decision (its roles: offer "
     "respond)"},
    /* a default role dropped: its group is refused */
    {"actors = {\n  poland = {\n    roles = [\"veto\", \"renew\"];\n"
     "    border = { model = \"threshold\"; };\n  };\n};\n",
     4,
     "actors.poland.border: poland takes no border decision (its roles: "
     "veto renew)"},
    {"actors = {\n  lithuania = {\n    roles = [];\n"
     "    transit = { model = \"spe\"; };\n  };\n};\n",
     4,
     "actors.lithuania.transit: lithuania takes no transit decision (its "
     "roles: none)"},
    {"actors = {\n  eu = {\n    roles = \"veto\";\n  };\n};\n", 3,
     "actors.eu.roles: expected a list of role names [\"offer\", "
     "\"respond\"], found a string"},
    {"actors = {\n  eu = {\n    roles = (\"offer\",\n      3);\n  };\n};\n", 4,
     "actors.eu.roles.[1]: expected a role name in double quotes, found "
     "an integer"},
};
#define N_BAD ((int)(sizeof bad / sizeof bad[0]))

/* The library refuses each with SIM_E_SCENARIO and the whole message:
 * label, line, key, text. */
static void test_bad_role_lists_are_refused(void **state)
{
    (void)state;
    for (int i = 0; i < N_BAD; i++) {
        sim_err err = {0};
        char want[512];
        snprintf(want, sizeof want, "roles.cfg:%d: %s", bad[i].line,
                 bad[i].want);
        assert_int_equal(sim_scenario_load_string(
                             &scenario, sim_builtin_models(), bad[i].text,
                             "roles.cfg", NULL, 0, NULL, &err),
                         SIM_E_SCENARIO);
        assert_string_equal(err.msg, want);
    }
}

/* `sanctionsim check` exits with 2 and names the file and line; a --set
 * that gives a model for a role the actor does not hold names the
 * override. */
static void test_check_reports_bad_role_lists(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("roles_bad");
    for (int i = 0; i < N_BAD; i++) {
        char path[1200], cmd[2600], want[1800];
        snprintf(path, sizeof path, "%s/bad_%d.cfg", dir, i);
        assert_int_equal(sim_test_write(path, bad[i].text), 0);
        snprintf(cmd, sizeof cmd, "'%s' check '%s'", sim_test_bin(), path);
        snprintf(want, sizeof want, "sanctionsim: %s:%d: %s\n", path,
                 bad[i].line, bad[i].want);
        char *out = NULL;
        assert_int_equal(sim_test_run(cmd, &out), 2);
        assert_non_null(out);
        assert_string_equal(out, want);
        free(out);
    }
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "'%s' check " BASELINE " --set actors.washington.veto.model="
             "threshold",
             sim_test_bin());
    char *out = NULL;
    assert_int_equal(sim_test_run(cmd, &out), 2);
    assert_non_null(out);
    assert_string_equal(out, "sanctionsim: command line (--set "
                             "actors.washington.veto.model=threshold): "
                             "actors.washington.veto: washington takes no "
                             "veto decision (its roles: offer respond)\n");
    free(out);
}

/* ---- check round trip ---- */

/* Roles changed from the defaults: the EU vetoes too (listed out of
 * order), Lithuania gives up transit, Poland keeps only its border (with
 * a non-default model), Washington decides on transit, Minsk as default. */
static const char round_trip[] =
    "name = \"roles_round_trip\";\n"
    "actors = {\n"
    "  eu = {\n"
    "    roles = [\"veto\", \"offer\", \"respond\"];\n"
    "    veto = { model = \"threshold\"; threshold = 1.0; c_gain = 0.0; };\n"
    "  };\n"
    "  lithuania = { roles = [\"renew\", \"veto\", \"border\"]; };\n"
    "  poland = {\n"
    "    roles = [\"border\"];\n"
    "    border = { model = \"qre\"; };\n"
    "  };\n"
    "  washington = { roles = [\"offer\", \"respond\", \"transit\"]; };\n"
    "};\n";

/* Loads path (or fails) into *sc. */
static void load_file(sim_scenario *sc, const char *path)
{
    sim_err err = {0};
    if (sim_scenario_load(sc, sim_builtin_models(), path, NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
}

/* Runs `check path` into out_path; returns its text (malloc'ed). */
static char *check_into(const char *path, const char *out_path)
{
    char cmd[2600];
    snprintf(cmd, sizeof cmd, "'%s' check '%s' > '%s'", sim_test_bin(), path,
             out_path);
    char *log = NULL;
    assert_int_equal(sim_test_run(cmd, &log), 0);
    free(log);
    char *text = sim_test_slurp(out_path, NULL);
    assert_non_null(text);
    return text;
}

/* The roles `check` prints load back the same, with the same models and
 * parameters; checking the printed scenario prints it again unchanged
 * (after the first line, which names the file). */
static void test_check_round_trips_roles(void **state)
{
    (void)state;
    static sim_scenario orig, back;
    const char *dir = sim_test_tmpdir("roles_round_trip");
    char in[1200], out1[1200], out2[1200];
    snprintf(in, sizeof in, "%s/in.cfg", dir);
    snprintf(out1, sizeof out1, "%s/checked.cfg", dir);
    snprintf(out2, sizeof out2, "%s/checked_again.cfg", dir);
    assert_int_equal(sim_test_write(in, round_trip), 0);
    load_file(&orig, in);
    int changed = 0;
    for (int a = 0; a < SIM_N_ACTORS; a++)
        changed += orig.actor[a].roles != sim_actor_default_roles(a);
    assert_int_equal(changed, 4);

    char *text1 = check_into(in, out1);
    load_file(&back, out1);
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        assert_int_equal(back.actor[a].roles, orig.actor[a].roles);
        for (int r = 0; r < SIM_N_ROLES; r++) {
            if (!sim_actor_has_role(&orig, a, r))
                continue;
            const sim_model_spec *m = &orig.actor[a].model[r],
                                 *n = &back.actor[a].model[r];
            assert_ptr_equal(n->type, m->type);
            for (int k = 0; k < m->type->nparams; k++)
                assert_true(n->param[k] == m->param[k]);
        }
    }
    char *text2 = check_into(out1, out2);
    const char *body1 = strchr(text1, '\n'), *body2 = strchr(text2, '\n');
    assert_non_null(body1);
    assert_non_null(body2);
    assert_string_equal(body2, body1);
    assert_non_null(strstr(body1, "roles = [\"offer\", \"respond\", "
                                  "\"veto\"];"));
    free(text1);
    free(text2);
}

int main(void)
{
    sim_error_quiet_gsl();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_always_vetoing_holder_blocks_every_eu_deal),
        cmocka_unit_test(test_every_declared_pair_is_consulted),
        cmocka_unit_test(test_unasked_pairs_are_asked_when_the_west_proposes),
        cmocka_unit_test(test_bad_role_lists_are_refused),
        cmocka_unit_test(test_check_reports_bad_role_lists),
        cmocka_unit_test(test_check_round_trips_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
