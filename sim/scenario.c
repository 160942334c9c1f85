/* scenario.c - the scenario schema: every key, its default, range, unit and
 * meaning, in one place; the defaults, the loader's checks, the printer
 * (scenario_print.c) and the reference (scenario_reference.c) all come
 * from these tables. */
#include <sanctionsim/scenario.h>

#include <stdio.h>
#include <string.h>

#include <sanctionsim/model.h>

/* Choice keys store their index through an int; the enum fields they fill
 * must have int's size (C11 6.7.2.2: an enum is compatible with a char, a
 * signed or an unsigned integer type; gcc and clang use int's). */
_Static_assert(sizeof(sim_imposer) == sizeof(int), "enum field size");
_Static_assert(sizeof(sim_event_type) == sizeof(int), "enum field size");
_Static_assert(sizeof(sim_actor) == sizeof(int), "enum field size");

#define OFF(field) offsetof(sim_scenario, field)
#define KINT(key, field, d, lo, hi, unit, doc)                                \
    {key, SIM_KEY_INT, OFF(field), 0, d, lo, hi, NULL, NULL, unit, doc}
#define KFLT(key, field, d, lo, hi, unit, doc)                                \
    {key, SIM_KEY_FLOAT, OFF(field), 0, d, lo, hi, NULL, NULL, unit, doc}
#define KBOOL(key, field, d, doc)                                             \
    {key, SIM_KEY_BOOL, OFF(field), 0, d, 0, 1, NULL, NULL, "", doc}
#define KSTR(key, field, d, doc)                                              \
    {key,  SIM_KEY_STRING,                                                    \
     OFF(field), sizeof(((sim_scenario *)0)->field),                          \
     0,    0,                                                                 \
     0,    d,                                                                 \
     NULL, "",                                                                \
     doc}

static const char *const proposer_names[] = {"minsk", "west", NULL};

static const sim_key top_keys[] = {
    KSTR("name", name, "",
         "scenario name; names the default output directory "
         "results/<name>/ (default: the file name without .cfg)"),
    KSTR("description", description, "", "what the scenario asks"),
    KSTR("start", start, "2025-09", "calendar month of round 1, YYYY-MM"),
    KINT("rounds", rounds, 36, 1, 1200, "rounds", "horizon in rounds"),
    KINT("planning_horizon", planning_horizon, 0, 0, 1000000, "rounds",
         "rounds over which actors value a permanent change (a lifted "
         "instrument, a prisoner released), from the round of the change "
         "on; 0 = an infinite future, discounted by each actor's discount, "
         "which must then be below 1. Not tied to `rounds`"),
    KINT("round_months", round_months, 1, 1, 12, "months",
         "length of a round (labels only; rates are per round)"),
    KINT("replications", replications, 1000, 1, 100000000, "runs",
         "replications when -n is not given"),
    {"seed", SIM_KEY_INT64, OFF(seed), 0, 1, 0, 9.2e18, NULL, NULL, "",
     "master seed when --seed is not given (0 to 2^63 - 1)"},
};

static const sim_key prisoner_keys[] = {
    KINT("ordinary", prisoners[SIM_KIND_ORDINARY], 1150, 0, 1000000, "persons",
         "ordinary political prisoners held at the start"),
    KINT("foreign", prisoners[SIM_KIND_FOREIGN], 20, 0, 1000000, "persons",
         "foreign nationals held at the start"),
    KINT("high_profile", prisoners[SIM_KIND_HIGH_PROFILE], 27, 0, 1000000,
         "persons", "high-profile prisoners held at the start"),
};

static const sim_key tension_keys[] = {
    KFLT("start", tension.start, 0, 0, 1e6, "index",
         "tension before round 1 (it decays and shocks add to it)"),
    KFLT("decay", tension.decay, 0.7, 0, 1, "fraction",
         "share of last round's tension that carries over"),
    KFLT("drone", tension.drone, 0.2, 0, 1e6, "index/drone",
         "tension added per drone incursion"),
    KFLT("spy", tension.spy, 1, 0, 1e6, "index/scandal",
         "tension added per spy scandal"),
    KFLT("foreign_arrest", tension.foreign_arrest, 0.5, 0, 1e6,
         "index/arrest", "tension added per arrest of a foreign national"),
};

static const sim_key attention_keys[] = {
    KBOOL("engaged", attention.engaged, 1,
          "Washington is engaged in round 1"),
};

static const sim_key moscow_keys[] = {
    KFLT("sensitivity", moscow.sensitivity, 0.5, 0, 1e6, "1/($bn/yr)",
         "the Moscow shock's mean is multiplied by 1 + sensitivity x relief "
         "Minsk gained in the last `memory` rounds"),
    KINT("memory", moscow.memory, 6, 1, 1200, "rounds",
         "window of recent relief Moscow reacts to"),
    KINT("freeze_rounds", moscow.freeze_rounds, 3, 0, 1200, "rounds",
         "rounds a Moscow intervention freezes Minsk's dealing"),
};

static const sim_key revolving_keys[] = {
    KFLT("elasticity", revolving_door.elasticity, 0, 0, 1e6, "",
         "new arrests' mean is multiplied by 1 + elasticity x going price / "
         "reference_price"),
    KFLT("reference_price", revolving_door.reference_price, 0.01, 1e-9, 1e6,
         "$bn/yr per prisoner", "going price at which the mean rises by "
                                "`elasticity`"),
};

static const sim_key bargaining_keys[] = {
    KINT("stages", bargaining.stages, 4, 1, 10000, "stages",
         "alternating-offer stages within a round"),
    KBOOL("infinite", bargaining.infinite, 0,
          "the round's game has no last stage (Rubinstein): it is solved as "
          "if the `stages` stages went on for ever (the stationary "
          "equilibrium, whose linear split `solve` gives in closed form); "
          "the talks still end after `stages` rejections. Needs stage "
          "discounts x (1 - breakdown) whose product is below 1"),
    {"first_proposer", SIM_KEY_CHOICE, OFF(bargaining.first_proposer), 0, 0,
     0, 1, "minsk", proposer_names, "",
     "who proposes at stage 1: minsk or west (Washington, or the EU)"},
    KFLT("breakdown", bargaining.breakdown, 0, 0, 1, "probability",
         "risk that a rejection ends the round's talks"),
    KINT("max_release", bargaining.max_release, 100, 0, 100000, "persons",
         "most prisoners one deal can release"),
    KINT("max_instruments", bargaining.max_instruments, 1, 0,
         SIM_MAX_INSTRUMENTS, "instruments",
         "most instruments one deal can lift"),
    KINT("pressure_memory", bargaining.pressure_memory, 6, 0, 1200, "rounds",
         "Washington presses the EU for this many rounds after a US deal, "
         "while engaged"),
};

static const sim_key eu_keys[] = {
    KBOOL("enabled", eu.enabled, 1,
          "the EU track runs (false: only Washington bargains)"),
};

static const sim_key border_keys[] = {
    KBOOL("pl_open", borders.pl_open, 1,
          "Poland's border open before round 1 (Poland decides again in "
          "every round; this is its `status` signal in round 1)"),
    KBOOL("lt_open", borders.lt_open, 1,
          "Lithuania's border open before round 1 (decided again every "
          "round)"),
    KBOOL("klaipeda_open", borders.klaipeda_open, 0,
          "Klaipeda potash transit allowed before round 1. `true` is "
          "refused while an actor holds the `transit` role (it decides "
          "again in round 1, so the opening would not last a round: "
          "change its transit rule instead); with no transit-role holder "
          "the initial state holds for the whole run"),
};

static const sim_key stop_keys[] = {
    KBOOL("all_released", stop.all_released, 1,
          "stop when no political prisoner is held"),
    KBOOL("all_lifted", stop.all_lifted, 1,
          "stop when every instrument is lifted"),
    KINT("no_deal_rounds", stop.no_deal_rounds, 0, 0, 1200, "rounds",
         "talks are broken off for good after this many rounds in a row "
         "without a deal (0: never)"),
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

const sim_section sim_sections[] = {
    {"", top_keys, N(top_keys), 0},
    {"prisoners", prisoner_keys, N(prisoner_keys), 0},
    {"tension", tension_keys, N(tension_keys), 0},
    {"attention", attention_keys, N(attention_keys), 0},
    {"moscow", moscow_keys, N(moscow_keys), 0},
    {"revolving_door", revolving_keys, N(revolving_keys), 0},
    {"bargaining", bargaining_keys, N(bargaining_keys), 0},
    {"eu", eu_keys, N(eu_keys), 0},
    {"borders", border_keys, N(border_keys), 0},
    {"stop", stop_keys, N(stop_keys), 0},
};
const int sim_n_sections = N(sim_sections);

#define IOFF(field) offsetof(sim_instrument_spec, field)
const sim_key sim_instrument_keys[] = {
    {"name", SIM_KEY_STRING, IOFF(name), SIM_NAME_MAX, 0, 0, 0, "", NULL, "",
     "identifier (letters, digits, _), names the lifted_round_<name> "
     "column; required"},
    {"imposer", SIM_KEY_CHOICE, IOFF(imposer), 0, 0, 0, 1, "us",
     sim_imposer_names, "", "who imposed it: us or eu; required"},
    {"value", SIM_KEY_FLOAT, IOFF(value), 0, 0, 0, 1e6, NULL, NULL, "$bn/yr",
     "value to Minsk while lifted"},
    {"cost", SIM_KEY_FLOAT, IOFF(cost), 0, 0, 0, 1e6, NULL, NULL,
     "cost units", "political cost to the imposer while lifted"},
    {"diplomatic", SIM_KEY_BOOL, IOFF(diplomatic), 0, 0, 0, 1, NULL, NULL, "",
     "a diplomatic item (embassy, recognition): counts as recognition, "
     "not relief"},
    {"lifted", SIM_KEY_BOOL, IOFF(lifted), 0, 0, 0, 1, NULL, NULL, "",
     "already lifted in round 1"},
    {"needs_transit", SIM_KEY_BOOL, IOFF(needs_transit), 0, 0, 0, 1, NULL,
     NULL, "", "worth its full value only while Klaipeda transit is open"},
    {"without_transit", SIM_KEY_FLOAT, IOFF(without_transit), 0, 1, 0, 1,
     NULL, NULL, "fraction",
     "share of the value kept while Klaipeda is shut (needs_transit only)"},
};
const int sim_n_instrument_keys = N(sim_instrument_keys);

#define EOFF(field) offsetof(sim_event_spec, field)
const sim_key sim_event_keys[] = {
    {"type", SIM_KEY_CHOICE, EOFF(type), 0, 0, 0, 3, "exercise",
     sim_event_type_names, "",
     "exercise, eu_renewal, election or engagement_only (while on, the "
     "actor's negotiator puts none of its instruments on the table: "
     "Washington trades only a visible deal, a visit, for prisoners, and "
     "the EU does not bargain); required"},
    {"start", SIM_KEY_INT, EOFF(start), 0, 1, 1, 1200, NULL, NULL, "round",
     "first round of the event (1 = the scenario's start month); required"},
    {"rounds", SIM_KEY_INT, EOFF(rounds), 0, 1, 1, 1200, NULL, NULL, "rounds",
     "how long each occurrence lasts"},
    {"every", SIM_KEY_INT, EOFF(every), 0, 0, 0, 1200, NULL, NULL, "rounds",
     "repeat period (0: once); the EU renewal is every 12"},
    {"actor", SIM_KEY_CHOICE, EOFF(actor), 0, 0, 0, SIM_N_ACTORS - 1, "minsk",
     sim_actor_names, "",
     "whose election, or whose negotiator offers engagement only "
     "(washington or eu); required for both"},
    {"factor", SIM_KEY_FLOAT, EOFF(factor), 0, 1, 0, 1e6, NULL, NULL, "x",
     "exercise: drone mean multiplier; election: multiplier of the actor's "
     "weights on tension, exposure and relief costs"},
    {"tension", SIM_KEY_FLOAT, EOFF(tension), 0, 0, 0, 1e6, NULL, NULL,
     "index/round", "exercise: tension added each round it is on"},
};
const int sim_n_event_keys = N(sim_event_keys);

/* Default distribution of each shock (in sim_shock order). */
static const sim_dist default_shock[SIM_N_SHOCKS] = {
    [SIM_SHOCK_DRONES] = {SIM_DIST_POISSON, {0.5, 0}},
    [SIM_SHOCK_SPY_SCANDALS] = {SIM_DIST_BERNOULLI, {0.1, 0}},
    [SIM_SHOCK_FOREIGN_ARRESTS] = {SIM_DIST_POISSON, {0.5, 0}},
    [SIM_SHOCK_ARRESTS] = {SIM_DIST_POISSON, {45, 0}},
    [SIM_SHOCK_DEATHS] = {SIM_DIST_BINOMIAL, {1.25e-4, 1}},
    [SIM_SHOCK_COMPLETIONS] = {SIM_DIST_BINOMIAL, {0.035, 1}},
    [SIM_SHOCK_DISTRACTION] = {SIM_DIST_BERNOULLI, {0.1, 0}},
    [SIM_SHOCK_REENGAGEMENT] = {SIM_DIST_BERNOULLI, {0.25, 0}},
    [SIM_SHOCK_MOSCOW] = {SIM_DIST_BERNOULLI, {0.02, 0}},
};

/* Roles each actor takes by default (MODEL.md section 3). */
static const unsigned default_roles[SIM_N_ACTORS] = {
    [SIM_ACTOR_MINSK] = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND),
    [SIM_ACTOR_WASHINGTON] = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND),
    [SIM_ACTOR_EU] = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND),
    [SIM_ACTOR_POLAND] = (1u << SIM_ROLE_VETO) | (1u << SIM_ROLE_BORDER) |
                   (1u << SIM_ROLE_RENEW),
    [SIM_ACTOR_LITHUANIA] = (1u << SIM_ROLE_VETO) | (1u << SIM_ROLE_BORDER) |
                      (1u << SIM_ROLE_TRANSIT) | (1u << SIM_ROLE_RENEW),
};

sim_dist sim_shock_default(int shock)
{
    return default_shock[shock];
}

bool sim_actor_has_border(int actor)
{
    /* The world's state holds these two borders (pl_open, lt_open; the
     * features pl_border_open and lt_border_open): see neighbours.c. */
    return actor == SIM_ACTOR_POLAND || actor == SIM_ACTOR_LITHUANIA;
}

unsigned sim_actor_default_roles(int actor)
{
    return default_roles[actor];
}

bool sim_actor_has_role(const sim_scenario *sc, int actor, int role)
{
    return (sc->actor[actor].roles >> role) & 1u;
}

/* Stores the default of key k into the struct at base. */
static void set_default(const sim_key *k, void *base)
{
    char *p = (char *)base + k->offset;
    switch (k->type) {
    case SIM_KEY_INT:
        *(int *)p = (int)k->def;
        break;
    case SIM_KEY_INT64:
        *(int64_t *)p = (int64_t)k->def;
        break;
    case SIM_KEY_FLOAT:
        memcpy(p, &k->def, sizeof k->def);
        break;
    case SIM_KEY_BOOL:
        *(bool *)p = k->def != 0;
        break;
    case SIM_KEY_STRING:
        snprintf(p, k->size, "%s", k->sdef ? k->sdef : "");
        break;
    case SIM_KEY_CHOICE:
        *(int *)p = 0;
        for (int i = 0; k->choices[i]; i++)
            if (strcmp(k->choices[i], k->sdef) == 0)
                *(int *)p = i;
        break;
    }
}

void sim_scenario_defaults(sim_scenario *sc, const sim_registry *reg)
{
    memset(sc, 0, sizeof *sc);
    for (int s = 0; s < sim_n_sections; s++)
        for (int i = 0; i < sim_sections[s].nkeys; i++)
            set_default(&sim_sections[s].keys[i], sc);
    for (int i = 0; i < SIM_N_SHOCKS; i++)
        sc->shock[i] = default_shock[i];
    const sim_model_type *def = reg->default_model;
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        sim_actor_spec *as = &sc->actor[a];
        as->discount = 0.99;
        as->stage_discount = 0.95;
        as->roles = default_roles[a];
        for (int r = 0; r < SIM_N_ROLES; r++) {
            as->model[r].type = def;
            sim_model_defaults(def, as->model[r].param);
        }
    }
}

void sim_scenario_instrument_defaults(sim_instrument_spec *in)
{
    memset(in, 0, sizeof *in);
    for (int i = 0; i < sim_n_instrument_keys; i++)
        set_default(&sim_instrument_keys[i], in);
}

void sim_scenario_event_defaults(sim_event_spec *ev)
{
    memset(ev, 0, sizeof *ev);
    for (int i = 0; i < sim_n_event_keys; i++)
        set_default(&sim_event_keys[i], ev);
}

bool sim_event_on(const sim_event_spec *ev, int round)
{
    if (round < ev->start)
        return false;
    int since = round - ev->start;
    if (ev->every > 0)
        since %= ev->every;
    return since < ev->rounds;
}

int sim_scenario_instrument(const sim_scenario *sc, const char *name)
{
    for (int i = 0; i < sc->n_instruments; i++)
        if (strcmp(sc->instrument[i].name, name) == 0)
            return i;
    return -1;
}

int sim_scenario_prisoners_start(const sim_scenario *sc)
{
    int n = 0;
    for (int k = 0; k < SIM_N_KINDS; k++)
        n += sc->prisoners[k];
    return n;
}
