/* test_scenario.c - the scenario schema and loader: defaults, the print/load
 * round trip that `sanctionsim check` relies on, `--set` overrides, and the
 * file:line: key: reason form of every scenario error message.
 *
 * Round trips compare printed text byte for byte: the printer writes every
 * key, so two scenarios that print the same are the same. Doubles read back
 * from the printer are compared exactly (TOL 0): the printer writes the
 * shortest form that reads back to the same double. */
#include "testutil.h"

#include <sanctionsim/model.h>
#include <sanctionsim/scenario.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 0.0
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* sim_scenario is large (instruments, calendar, provenance): keep the
 * test's copies off the stack. */
static sim_scenario sc_a, sc_b;
static sim_provenance prov; /* what load_ok recorded last */

/* The scenario as sim_scenario_print writes it; malloc'ed. */
/* noinline: GCC 12 at -O2 mistakes the open_memstream buffer for a
 * dangling local once this is inlined (-Wdangling-pointer). */
__attribute__((noinline)) static char *print_to_string(const sim_scenario *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    sim_scenario_print(sc, f, 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(buf);
    return buf;
}

/* Loads text under `label`, failing the test with the loader's message if
 * it does not load. */
static void load_ok(sim_scenario *sc, const char *text, const char *label,
                    const char *const *sets, int nsets)
{
    sim_err err = {0};
    int rc = sim_scenario_load_string(sc, sim_builtin_models(), text, label,
                                      sets, nsets, &prov, &err);
    if (rc != 0)
        fail_msg("loading %s failed (%d): %s", label, rc, err.msg);
}

/* Prints sc, loads the text back under `label`, prints again: the two texts
 * must be identical. Returns the first text (malloc'ed). */
static char *assert_round_trip(const sim_scenario *sc, const char *label)
{
    char *first = print_to_string(sc);
    load_ok(&sc_b, first, label, NULL, 0);
    char *second = print_to_string(&sc_b);
    assert_string_equal(first, second);
    free(second);
    return first;
}

/* ---- defaults and the round trip of `check` ---- */

/* The defaults print, and read back to the same text. The one exception is
 * by design: the default name "" means "the file name without .cfg", so
 * the reloaded scenario is named after the label. */
static void test_defaults_print_load_round_trip(void **state)
{
    (void)state;
    sim_scenario_defaults(&sc_a, sim_builtin_models());
    assert_string_equal(sc_a.name, "");
    char *text = print_to_string(&sc_a);
    assert_non_null(strstr(text, "name = \"\";\n"));

    load_ok(&sc_b, text, "scenarios/defaults.cfg", NULL, 0);
    assert_string_equal(sc_b.name, "defaults");
    assert_string_equal(sc_b.file, "scenarios/defaults.cfg");
    char *again = print_to_string(&sc_b);

    /* text with the name line replaced must equal the reprint */
    const char *at = strstr(text, "name = \"\";\n");
    size_t head = (size_t)(at - text);
    size_t want_len = strlen(text) + strlen("defaults");
    char *want = malloc(want_len + 1);
    assert_non_null(want);
    snprintf(want, want_len + 1, "%.*sname = \"defaults\";\n%s", (int)head,
             text, at + strlen("name = \"\";\n"));
    assert_string_equal(again, want);

    /* and once named, the defaults are a fixed point */
    free(assert_round_trip(&sc_b, "other.cfg"));
    free(want);
    free(again);
    free(text);
}

/* The defaults are the complete scenario of the reference. */
static void test_defaults_values(void **state)
{
    (void)state;
    sim_scenario_defaults(&sc_a, sim_builtin_models());
    assert_int_equal(sc_a.rounds, 36);
    assert_string_equal(sc_a.start, "2025-09");
    assert_int_equal(sc_a.prisoners[SIM_KIND_ORDINARY], 1150);
    assert_close(sc_a.tension.decay, 0.7, TOL);
    assert_int_equal(sc_a.n_instruments, 0);
    assert_int_equal(sc_a.n_events, 0);
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        assert_close(sc_a.actor[a].discount, 0.99, TOL);
        for (int r = 0; r < SIM_N_ROLES; r++)
            assert_ptr_equal(sc_a.actor[a].model[r].type,
                             sim_test_model("spe"));
    }
    assert_int_equal(sc_a.shock[SIM_SHOCK_DEATHS].type, SIM_DIST_BINOMIAL);
}

/* An empty file is the defaults, named after the file. */
static void test_load_empty_is_defaults(void **state)
{
    (void)state;
    sim_scenario_defaults(&sc_a, sim_builtin_models());
    snprintf(sc_a.name, sizeof sc_a.name, "empty");
    char *want = print_to_string(&sc_a);
    load_ok(&sc_b, "", "dir/empty.cfg", NULL, 0);
    char *got = print_to_string(&sc_b);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

/* A scenario that uses every part of the schema. */
static const char full_text[] =
    "name = \"full-test\";\n"
    "description = \"every part of the schema\";\n"
    "start = \"2024-01\";\n"
    "rounds = 24;\n"
    "round_months = 2;\n"
    "replications = 50;\n"
    "seed = 12345678901L;\n"
    "prisoners = { ordinary = 1000; foreign = 12; high_profile = 30; };\n"
    "tension = { start = 1; decay = 0.5; spy = 2; };\n"
    "attention = { engaged = false; };\n"
    "moscow = { sensitivity = 0.25; memory = 4; freeze_rounds = 2; };\n"
    "revolving_door = { elasticity = 0.3; reference_price = 0.02; };\n"
    "bargaining = { stages = 3; first_proposer = \"west\"; breakdown = 0.1;\n"
    "               max_release = 50; max_instruments = 2; };\n"
    "eu = { enabled = false; };\n"
    "borders = { pl_open = false; lt_open = false; };\n"
    "stop = { all_lifted = false; no_deal_rounds = 12; };\n"
    "shocks = {\n"
    "  drones = { dist = \"negative_binomial\"; p = 0.4; n = 2.5; };\n"
    "  spy_scandals = { dist = \"poisson\"; mean = 0.2; };\n"
    "  foreign_arrests = { dist = \"fixed\"; value = 1; };\n"
    "  arrests = { dist = \"gamma\"; shape = 3; scale = 10.5; };\n"
    "  deaths = { dist = \"beta\"; a = 1; b = 5000; };\n"
    "  completions = { dist = \"uniform\"; low = 0.01; high = 0.05; };\n"
    "  distraction = { dist = \"lognormal\"; zeta = -3; sigma = 0.5; };\n"
    "  moscow = { p = 0.05; };\n"
    "};\n"
    "actors = {\n"
    "  minsk = {\n"
    "    discount = 0.95;\n"
    "    weights = { relief = 1; prisoners = -0.001; recognition = 0.5; };\n"
    "    respond = { model = \"threshold\"; threshold = 0.2; noise = 0.1;\n"
    "                c_gain = 2; c_price = -1; };\n"
    "  };\n"
    "  washington = { stage_discount = 0.9;\n"
    "                 weights = { released_foreign = 5.0; us_cost = -1; }; "
    "};\n"
    "  poland = {\n"
    "    border = { model = \"threshold\"; threshold = 3; c_gain = 0;\n"
    "               c_tension = 1; c_drones = 0.5; };\n"
    "    veto = { model = \"spe\"; };\n"
    "  };\n"
    "  lithuania = { transit = { model = \"threshold\"; c_status = 1; }; };\n"
    "};\n"
    "instruments = (\n"
    "  { name = \"potash\"; imposer = \"us\"; value = 1.5; cost = 0.2;\n"
    "    needs_transit = true; without_transit = 0.25; },\n"
    "  { name = \"belavia\"; imposer = \"eu\"; value = 0.3; lifted = true; "
    "},\n"
    "  { name = \"embassy\"; imposer = \"us\"; diplomatic = true; cost = 1; "
    "}\n"
    ");\n"
    "calendar = (\n"
    "  { type = \"exercise\"; start = 3; rounds = 2; every = 12; factor = 3;\n"
    "    tension = 0.5; },\n"
    "  { type = \"eu_renewal\"; start = 6; every = 12; },\n"
    "  { type = \"election\"; start = 10; rounds = 4; actor = \"poland\";\n"
    "    factor = 1.5; }\n"
    ");\n";

static void test_load_full_round_trip(void **state)
{
    (void)state;
    load_ok(&sc_a, full_text, "full.cfg", NULL, 0);
    char *first = assert_round_trip(&sc_a, "full.cfg");
    /* the reprint is also a fixed point under another label, since the
     * name is given */
    load_ok(&sc_b, first, "elsewhere/x.cfg", NULL, 0);
    char *again = print_to_string(&sc_b);
    assert_string_equal(first, again);
    free(again);
    free(first);
}

static void test_load_full_values(void **state)
{
    (void)state;
    load_ok(&sc_a, full_text, "full.cfg", NULL, 0);
    const sim_scenario *s = &sc_a;
    assert_string_equal(s->name, "full-test");
    assert_string_equal(s->start, "2024-01");
    assert_int_equal(s->rounds, 24);
    assert_true(s->seed == 12345678901LL);
    assert_int_equal(s->prisoners[SIM_KIND_HIGH_PROFILE], 30);
    /* an int given for a float key is accepted */
    assert_close(s->tension.start, 1.0, TOL);
    assert_close(s->tension.spy, 2.0, TOL);
    assert_close(s->tension.drone, 0.2, TOL); /* untouched default */
    assert_false(s->attention.engaged);
    assert_int_equal(s->bargaining.first_proposer, 1);
    assert_false(s->eu.enabled);
    assert_false(s->borders.pl_open);
    assert_false(s->borders.lt_open);
    /* klaipeda_open = true is refused while an actor holds the transit
     * role (test_levers) */
    assert_false(s->borders.klaipeda_open);

    assert_int_equal(s->shock[SIM_SHOCK_DRONES].type, SIM_DIST_NEGATIVE_BINOMIAL);
    assert_close(s->shock[SIM_SHOCK_DRONES].p[1], 2.5, TOL);
    assert_int_equal(s->shock[SIM_SHOCK_ARRESTS].type, SIM_DIST_GAMMA);
    assert_close(s->shock[SIM_SHOCK_ARRESTS].p[0], 3.0, TOL);
    assert_close(s->shock[SIM_SHOCK_ARRESTS].p[1], 10.5, TOL);
    assert_int_equal(s->shock[SIM_SHOCK_DEATHS].type, SIM_DIST_BETA);
    assert_int_equal(s->shock[SIM_SHOCK_COMPLETIONS].type, SIM_DIST_UNIFORM);
    assert_int_equal(s->shock[SIM_SHOCK_DISTRACTION].type, SIM_DIST_LOGNORMAL);
    assert_close(s->shock[SIM_SHOCK_DISTRACTION].p[0], -3.0, TOL);
    /* a shock without dist keeps its type and changes the parameter */
    assert_int_equal(s->shock[SIM_SHOCK_MOSCOW].type, SIM_DIST_BERNOULLI);
    assert_close(s->shock[SIM_SHOCK_MOSCOW].p[0], 0.05, TOL);
    assert_int_equal(s->shock[SIM_SHOCK_REENGAGEMENT].type, SIM_DIST_BERNOULLI);
    assert_close(s->shock[SIM_SHOCK_REENGAGEMENT].p[0], 0.25, TOL);

    const sim_actor_spec *minsk = &s->actor[SIM_ACTOR_MINSK];
    assert_close(minsk->discount, 0.95, TOL);
    assert_close(minsk->stage_discount, 0.95, TOL);
    assert_close(minsk->weight[SIM_FEATURE_RELIEF], 1.0, TOL);
    assert_close(minsk->weight[SIM_FEATURE_PRISONERS], -0.001, TOL);
    const sim_model_type *thr = sim_test_model("threshold");
    assert_non_null(thr);
    assert_ptr_equal(minsk->model[SIM_ROLE_RESPOND].type, thr);
    assert_ptr_equal(minsk->model[SIM_ROLE_OFFER].type, sim_test_model("spe"));
    assert_int_equal(minsk->model[SIM_ROLE_RESPOND].line, 32);
    assert_int_equal(minsk->model[SIM_ROLE_OFFER].line, 0);
    /* threshold params: threshold, noise, then c_<signal> in signal order */
    assert_close(minsk->model[SIM_ROLE_RESPOND].param[0], 0.2, TOL);
    assert_close(minsk->model[SIM_ROLE_RESPOND].param[1], 0.1, TOL);
    assert_close(minsk->model[SIM_ROLE_RESPOND].param[2 + SIM_SIGNAL_GAIN], 2.0,
                 TOL);
    assert_close(minsk->model[SIM_ROLE_RESPOND].param[2 + SIM_SIGNAL_PRICE], -1.0,
                 TOL);
    /* c_gain defaults to 1, the other coefficients to 0 */
    const sim_model_spec *lt = &s->actor[SIM_ACTOR_LITHUANIA].model[SIM_ROLE_TRANSIT];
    assert_close(lt->param[2 + SIM_SIGNAL_GAIN], 1.0, TOL);
    assert_close(lt->param[2 + SIM_SIGNAL_STATUS], 1.0, TOL);
    assert_close(lt->param[2 + SIM_SIGNAL_TENSION], 0.0, TOL);
    assert_close(
        s->actor[SIM_ACTOR_POLAND].model[SIM_ROLE_BORDER].param[2 + SIM_SIGNAL_GAIN],
        0.0, TOL);

    assert_int_equal(s->n_instruments, 3);
    assert_int_equal(sim_scenario_instrument(s, "belavia"), 1);
    assert_int_equal(sim_scenario_instrument(s, "nope"), -1);
    assert_int_equal(s->instrument[1].imposer, SIM_IMPOSER_EU);
    assert_true(s->instrument[1].lifted);
    assert_true(s->instrument[0].needs_transit);
    assert_close(s->instrument[0].without_transit, 0.25, TOL);
    assert_close(s->instrument[1].without_transit, 1.0, TOL); /* default */
    assert_true(s->instrument[2].diplomatic);
    assert_close(s->instrument[2].cost, 1.0, TOL);

    assert_int_equal(s->n_events, 3);
    assert_int_equal(s->event[0].type, SIM_EVENT_EXERCISE);
    assert_int_equal(s->event[0].every, 12);
    assert_int_equal(s->event[1].type, SIM_EVENT_EU_RENEWAL);
    assert_int_equal(s->event[1].rounds, 1); /* default */
    assert_int_equal(s->event[2].type, SIM_EVENT_ELECTION);
    assert_int_equal(s->event[2].actor, SIM_ACTOR_POLAND);
    assert_close(s->event[2].factor, 1.5, TOL);
}

/* libconfig treats the `;` after a setting as optional: a forgotten
 * semicolon is not an error, so the bad-input catalogue cannot hold one. */
static void test_load_semicolon_optional(void **state)
{
    (void)state;
    load_ok(&sc_a, "rounds = 12\nreplications = 5\n", "s.cfg", NULL, 0);
    assert_int_equal(sc_a.rounds, 12);
    assert_int_equal(sc_a.replications, 5);
}

/* `instruments = ();` and `= [];` are empty lists, not errors. */
static void test_load_empty_lists(void **state)
{
    (void)state;
    load_ok(&sc_a, "instruments = ();\ncalendar = [];\n", "e.cfg", NULL, 0);
    assert_int_equal(sc_a.n_instruments, 0);
    assert_int_equal(sc_a.n_events, 0);
}

/* ---- --set overrides ---- */

static const char set_base[] =
    "rounds = 12;\n"
    "tension = { decay = 0.5; };\n"
    "actors = { minsk = { discount = 0.9; }; };\n"
    "instruments = ( { name = \"potash\"; imposer = \"us\"; value = 1.0; } "
    ");\n";

static void test_set_overrides_each_type(void **state)
{
    (void)state;
    const char *const sets[] = {
        "actors.minsk.discount=0.8", /* float over a file value */
        "rounds=7",                  /* int */
        "eu.enabled=false",          /* bool, group absent in file */
        "description=what if",       /* string, no quotes needed */
        "name=\"quoted\"",           /* string in quotes */
        "moscow.memory=4",           /* nested, group absent in file */
        "actors.poland.border.model=threshold", /* absent two levels */
        "actors.poland.border.threshold=2",     /* into the group just made */
        "instruments.[0].value=2.5",            /* list element */
        "tension.spy=3",                        /* int for a float key */
        "bargaining.first_proposer=west",       /* choice */
        "seed=9000000000",                      /* beyond int: int64 */
    };
    int n = (int)N_OF(sets);
    load_ok(&sc_a, set_base, "set.cfg", sets, n);
    assert_close(sc_a.actor[SIM_ACTOR_MINSK].discount, 0.8, TOL);
    assert_int_equal(sc_a.rounds, 7);
    assert_false(sc_a.eu.enabled);
    assert_string_equal(sc_a.description, "what if");
    assert_string_equal(sc_a.name, "quoted");
    assert_int_equal(sc_a.moscow.memory, 4);
    assert_int_equal(sc_a.moscow.freeze_rounds, 3); /* sibling default */
    assert_ptr_equal(sc_a.actor[SIM_ACTOR_POLAND].model[SIM_ROLE_BORDER].type,
                     sim_test_model("threshold"));
    assert_close(sc_a.actor[SIM_ACTOR_POLAND].model[SIM_ROLE_BORDER].param[0], 2.0,
                 TOL);
    assert_close(sc_a.instrument[0].value, 2.5, TOL);
    assert_string_equal(sc_a.instrument[0].name, "potash");
    assert_close(sc_a.tension.spy, 3.0, TOL);
    assert_close(sc_a.tension.decay, 0.5, TOL); /* file value kept */
    assert_int_equal(sc_a.bargaining.first_proposer, 1);
    assert_true(sc_a.seed == 9000000000LL);

    /* every override is recorded, in order, split at the first '=' */
    assert_int_equal(prov.n_sets, n);
    for (int i = 0; i < n; i++) {
        const char *eq = strchr(sets[i], '=');
        assert_int_equal(strlen(prov.set[i].key), (size_t)(eq - sets[i]));
        assert_memory_equal(prov.set[i].key, sets[i], (size_t)(eq - sets[i]));
        assert_string_equal(prov.set[i].value, eq + 1);
    }
    assert_string_equal(prov.set[8].key, "instruments.[0].value");
    assert_string_equal(prov.set[8].value, "2.5");

    /* the overridden scenario round-trips like any other */
    free(assert_round_trip(&sc_a, "set.cfg"));
}

/* Later --set options win over earlier ones, and all over the file. */
static void test_set_last_wins(void **state)
{
    (void)state;
    const char *const sets[] = {"rounds=5", "rounds=9"};
    load_ok(&sc_a, set_base, "set.cfg", sets, 2);
    assert_int_equal(sc_a.rounds, 9);
    assert_int_equal(prov.n_sets, 2);
}

/* ---- error messages: "<label>:<line>: <key path>: <reason>" ---- */

typedef struct bad_case {
    const char *text;
    const char *set; /* one --set, or NULL */
    const char *msg; /* the whole expected message */
} bad_case;

static const bad_case bad_cases[] = {
    {"rounds = 12;\n"
     "actors = {\n"
     "  minsk = { discunt = 0.9; };\n"
     "};\n",
     NULL,
     "x.cfg:3: actors.minsk.discunt: unknown key; did you mean "
     "'discount'?"},
    {"\n\nrouds = 3;\n", NULL,
     "x.cfg:3: rouds: unknown key; did you mean 'rounds'?"},
    {"tension = {\n  decay = 1.5;\n};\n", NULL,
     "x.cfg:2: tension.decay: 1.5 is out of range [0, 1]"},
    {"rounds = 3.5;\n", NULL,
     "x.cfg:1: rounds: must be a whole number, found 3.5"},
    {"tension = { decay = \"high\"; };\n", NULL,
     "x.cfg:1: tension.decay: expected a number, found a string"},
    {"shocks = {\n  drones = { dist = \"poison\"; };\n};\n", NULL,
     "x.cfg:2: shocks.drones.dist: unknown distribution \"poison\"; did you "
     "mean 'poisson'?"},
    {"shocks = {\n  arrests = { dist = \"uniform\";\n    mean = 3.0; };\n};\n",
     NULL,
     "x.cfg:3: shocks.arrests.mean: not a parameter of distribution "
     "\"uniform\" (its parameters: low, high)"},
    {"shocks = { deaths = { n = 5; }; };\n", NULL,
     "x.cfg:1: shocks.deaths.n: the number of trials of a per-prisoner "
     "shock is the stock; remove n"},
    {"instruments = (\n  { name = \"a\"; imposer = \"us\"; },\n"
     "  { name = \"b\"; imposer = \"uk\"; }\n);\n",
     NULL,
     "x.cfg:3: instruments.[1].imposer: unknown value \"uk\"; did you mean "
     "'us'?"},
    {"actors = {\n  poland = {\n    offer = { model = \"spe\"; };\n  };\n};\n",
     NULL,
     "x.cfg:3: actors.poland.offer: poland takes no offer decision (its "
     "roles: veto border renew)"},
    {"calendar = (\n  { type = \"election\"; start = 2; }\n);\n", NULL,
     "x.cfg:2: calendar.[0]: missing required key 'actor'"},
    {"start = \"2025-13\";\n", NULL,
     "x.cfg:1: start: \"2025-13\" is not a month of the form YYYY-MM"},
    {"tension = { spy = 1e400; };\n", NULL,
     "x.cfg:1: tension.spy: is too large to represent (beyond about "
     "1.8e308); allowed range [0, 1000000]"},
    {"instruments = (\n  { name = \"a\"; imposer = \"us\"; }\n"
     "  { name = \"b\"; imposer = \"us\"; }\n);\n",
     NULL,
     "x.cfg:3: syntax error (look on this line or above for a missing '=', "
     "a missing ',' between list entries, a string without double quotes, or "
     "an unclosed brace, parenthesis "
     "or quote)"},
    /* errors in --set name the option instead of a line */
    {"", "actors.minsk.discount=2",
     "command line (--set actors.minsk.discount=2): actors.minsk.discount: "
     "2 is out of range [0, 1]"},
    {"", "actors.minsk.discunt=0.9",
     "command line (--set actors.minsk.discunt=0.9): actors.minsk.discunt: "
     "unknown key; did you mean 'discount'?"},
    {"", "rounds",
     "command line (--set rounds): expected KEY=VALUE, for example "
     "actors.minsk.discount=0.9"},
    {"", "instruments.[0].value=1",
     "command line (--set instruments.[0].value=1): the scenario has no "
     "list 'instruments', so it has no entry [0]"},
    {"instruments = ( { name = \"a\"; imposer = \"us\"; } );\n",
     "instruments.[3].value=1",
     "command line (--set instruments.[3].value=1): the list has 1 entry; "
     "[3] is not one of them (the first is [0])"},
    {"", "tension.spy=1e400",
     "command line (--set tension.spy=1e400): tension.spy: is too large to "
     "represent (beyond about 1.8e308); allowed range [0, 1000000]"},
    /* roles are scenario data: a list of known role names, each once */
    {"actors = {\n  eu = {\n    roles = \"veto\";\n  };\n};\n", NULL,
     "x.cfg:3: actors.eu.roles: expected a list of role names [\"offer\", "
     "\"respond\"], found a string"},
    {"actors = { eu = { roles = (\"offer\", 3); }; };\n", NULL,
     "x.cfg:1: actors.eu.roles.[1]: expected a role name in double quotes, "
     "found an integer"},
    {"actors = { eu = { roles = [\"ofer\"]; }; };\n", NULL,
     "x.cfg:1: actors.eu.roles.[0]: unknown role \"ofer\"; did you mean "
     "'offer'?"},
    {"actors = { eu = { roles = [\"veto\", \"veto\"]; }; };\n", NULL,
     "x.cfg:1: actors.eu.roles.[1]: role \"veto\" is listed twice"},
    /* the engine's tracks are fixed: offer and respond stay with the
     * bargaining parties; a border role needs a border */
    {"actors = {\n  minsk = {\n    roles = [\"offer\"];\n  };\n};\n", NULL,
     "x.cfg:3: actors.minsk.roles: offer and respond belong to the "
     "bargaining parties (minsk, washington, eu) and cannot be added or "
     "removed; a role list may change veto, border, transit and renew"},
    {"actors = { poland = { roles = [\"offer\", \"veto\"]; }; };\n", NULL,
     "x.cfg:1: actors.poland.roles: offer and respond belong to the "
     "bargaining parties (minsk, washington, eu) and cannot be added or "
     "removed; a role list may change veto, border, transit and renew"},
    {"actors = { eu = { roles = [\"offer\", \"respond\", \"border\"]; "
     "}; };\n",
     NULL,
     "x.cfg:1: actors.eu.roles: eu has no border of its own with Belarus in "
     "the model, so it cannot hold the border role"},
    /* the work budget of sim_workspace_alloc is checked at load time too,
     * so that `check` refuses what `run` would */
    {"bargaining = {\n  max_release = 100000;\n  stages = 1000;\n};\n", NULL,
     "x.cfg: a round's bargaining is too large: washington's game holds "
     "100001 deals (packages of up to bargaining.max_instruments = 1 of the "
     "0 us instruments x 0..bargaining.max_release = 100000 prisoners); it "
     "takes 1e+08 steps a round (deals x bargaining.stages = 1000), more "
     "than the 1e+07 allowed; lower bargaining.max_release, max_instruments "
     "or stages"},
    /* both tracks count: each alone (200002 deals x 40 stages) is within
     * the budget, together they are not */
    {"instruments = ( { name = \"a\"; imposer = \"us\"; },\n"
     "  { name = \"b\"; imposer = \"eu\"; } );\n"
     "bargaining = { max_release = 100000; stages = 40; };\n",
     NULL,
     "x.cfg: a round's bargaining is too large: washington's game holds "
     "200002 deals (packages of up to bargaining.max_instruments = 1 of the "
     "1 us instruments x 0..bargaining.max_release = 100000 prisoners) and "
     "the eu's 200002 (of the 1 eu instruments); it takes 1.6e+07 steps a "
     "round (deals x bargaining.stages = 40), more than the 1e+07 allowed; "
     "lower bargaining.max_release, max_instruments or stages"},
    /* a value from the file, overridden by a bad --set, blames the --set */
    {"moscow = {\n  memory = 4;\n};\n", "moscow.memory=0",
     "command line (--set moscow.memory=0): moscow.memory: 0 is out of "
     "range [1, 1200]"},
};

static void test_load_error_messages(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < N_OF(bad_cases); i++) {
        const bad_case *c = &bad_cases[i];
        const char *sets[1] = {c->set};
        sim_err err = {0};
        int rc =
            sim_scenario_load_string(&sc_a, sim_builtin_models(), c->text,
                                     "x.cfg", sets, c->set ? 1 : 0, NULL, &err);
        if (rc != SIM_E_SCENARIO || err.code != SIM_E_SCENARIO ||
            strcmp(err.msg, c->msg) != 0) {
            print_error("case %zu: rc %d\n  got:  %s\n  want: %s\n", i, rc,
                        err.msg, c->msg);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* The file loader labels messages with the path; a missing file is a
 * scenario error (exit status 2) naming the file. */
static void test_load_file_errors(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("test_scenario_file");
    char path[1200];
    snprintf(path, sizeof path, "%s/typo.cfg", dir);
    assert_int_equal(sim_test_write(path, "# typo\nrouds = 3;\n"), 0);
    sim_err err = {0};
    assert_int_equal(sim_scenario_load(&sc_a, sim_builtin_models(), path, NULL,
                                       0, NULL, &err),
                     SIM_E_SCENARIO);
    char want[1400];
    snprintf(want, sizeof want,
             "%s:2: rouds: unknown key; did you mean 'rounds'?", path);
    assert_string_equal(err.msg, want);

    snprintf(path, sizeof path, "%s/missing.cfg", dir);
    sim_err err2 = {0};
    int rc = sim_scenario_load(&sc_a, sim_builtin_models(), path, NULL, 0, NULL,
                               &err2);
    assert_int_equal(sim_exit_status(rc), 2);
    assert_non_null(strstr(err2.msg, path));
    assert_non_null(strstr(err2.msg, "cannot read"));

    /* and a good file is named after itself */
    snprintf(path, sizeof path, "%s/good_one.cfg", dir);
    assert_int_equal(sim_test_write(path, "rounds = 3;\n"), 0);
    assert_int_equal(sim_scenario_load(&sc_a, sim_builtin_models(), path, NULL,
                                       0, NULL, &err),
                     0);
    assert_string_equal(sc_a.name, "good_one");
    assert_string_equal(sc_a.file, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_print_load_round_trip),
        cmocka_unit_test(test_defaults_values),
        cmocka_unit_test(test_load_empty_is_defaults),
        cmocka_unit_test(test_load_full_round_trip),
        cmocka_unit_test(test_load_full_values),
        cmocka_unit_test(test_load_semicolon_optional),
        cmocka_unit_test(test_load_empty_lists),
        cmocka_unit_test(test_set_overrides_each_type),
        cmocka_unit_test(test_set_last_wins),
        cmocka_unit_test(test_load_error_messages),
        cmocka_unit_test(test_load_file_errors),
    };
    sim_error_quiet_gsl();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
