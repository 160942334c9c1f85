/* scenario.h - the scenario: every parameter of a simulation, as plain data.
 *
 * A scenario is loaded from a libconfig file (scenario_load.c; only the
 * loaders include libconfig.h), validated against the key tables in
 * scenario.c, which hold every default, range, unit and description in one
 * place. The same tables print the resolved scenario (scenario_print.c,
 * `sanctionsim check`) and the scenario reference (scenario_reference.c,
 * docs/SCENARIOS.md). Decision models are not named here: loading, the
 * defaults and the reference take a registry of models (model.h). */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dist.h"
#include "error.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The actors. Their order is the order of utility_<actor> columns. */
#define SIM_ACTORS(X)                                                         \
    X(MINSK, "minsk")                                                         \
    X(WASHINGTON, "washington")                                               \
    X(EU, "eu")                                                               \
    X(POLAND, "poland")                                                       \
    X(LITHUANIA, "lithuania")

typedef enum sim_actor {
#define SIM_ACTOR_ENUM(id, name) SIM_ACTOR_##id,
    SIM_ACTORS(SIM_ACTOR_ENUM)
#undef SIM_ACTOR_ENUM
        SIM_N_ACTORS
} sim_actor;

/* Kinds of political prisoner. */
#define SIM_KINDS(X)                                                          \
    X(ORDINARY, "ordinary")                                                   \
    X(FOREIGN, "foreign")                                                     \
    X(HIGH_PROFILE, "high_profile")

typedef enum sim_kind {
#define SIM_KIND_ENUM(id, name) SIM_KIND_##id,
    SIM_KINDS(SIM_KIND_ENUM)
#undef SIM_KIND_ENUM
        SIM_N_KINDS
} sim_kind;

/* Kinds of decision an actor can take; each names a model. */
#define SIM_ROLES(X)                                                          \
    X(OFFER, "offer")                                                         \
    X(RESPOND, "respond")                                                     \
    X(VETO, "veto")                                                           \
    X(BORDER, "border")                                                       \
    X(TRANSIT, "transit")                                                     \
    X(RENEW, "renew")

typedef enum sim_role {
#define SIM_ROLE_ENUM(id, name) SIM_ROLE_##id,
    SIM_ROLES(SIM_ROLE_ENUM)
#undef SIM_ROLE_ENUM
        SIM_N_ROLES
} sim_role;

/* State features over which every actor's utility is linear (MODEL.md
 * section 2). `flow` features are levels that persist from round to round;
 * the others are events of one round. id, key, flow, unit, meaning. */
#define SIM_FEATURES(X)                                                       \
    X(RELIEF, "relief", 1, "$bn/yr",                                          \
      "economic value to Minsk of the instruments lifted, after the "         \
      "transit dependency")                                                   \
    X(RECOGNITION, "recognition", 1, "items",                                 \
      "diplomatic items obtained (embassy, recognition)")                     \
    X(US_COST, "us_cost", 1, "cost units",                                    \
      "political cost of the US instruments lifted")                          \
    X(EU_COST, "eu_cost", 1, "cost units",                                    \
      "political cost of the EU instruments lifted")                          \
    X(PRISONERS, "prisoners", 1, "persons",                                   \
      "political prisoners held (all kinds)")                                 \
    X(RELEASED_ORDINARY, "released_ordinary", 0, "persons",                   \
      "ordinary political prisoners released this round")                     \
    X(RELEASED_FOREIGN, "released_foreign", 0, "persons",                     \
      "foreign nationals released this round")                                \
    X(RELEASED_HIGH_PROFILE, "released_high_profile", 0, "persons",           \
      "high-profile prisoners released this round")                           \
    X(TENSION, "tension", 1, "index", "regional tension")                     \
    X(PL_BORDER_OPEN, "pl_border_open", 1, "0/1",                             \
      "Poland's border with Belarus is open")                                 \
    X(LT_BORDER_OPEN, "lt_border_open", 1, "0/1",                             \
      "Lithuania's border with Belarus is open")                              \
    X(KLAIPEDA_OPEN, "klaipeda_open", 1, "0/1",                               \
      "Klaipeda allows Belarusian potash transit")                            \
    X(PL_EXPOSURE, "pl_exposure", 1, "index",                                 \
      "tension while Poland's border is open (security exposure)")            \
    X(LT_EXPOSURE, "lt_exposure", 1, "index",                                 \
      "tension while Lithuania's border is open")         \
    X(US_DEAL, "us_deal", 0, "0/1",                                           \
      "a Washington-Minsk deal is struck this round")                         \
    X(EU_DEAL, "eu_deal", 0, "0/1", "the EU lifts an instrument this round")  \
    X(PRESSED_EU_DEAL, "pressed_eu_deal", 0, "0/1",                           \
      "the EU lifts an instrument while Washington presses for it")           \
    X(MOSCOW_FREEZE, "moscow_freeze", 1, "0/1",                               \
      "Moscow freezes Minsk's dealing with the West")

typedef enum sim_feature {
#define SIM_FEATURE_ENUM(id, key, flow, unit, doc) SIM_FEATURE_##id,
    SIM_FEATURES(SIM_FEATURE_ENUM)
#undef SIM_FEATURE_ENUM
        SIM_N_FEATURES
} sim_feature;

/* Shocks drawn at the start of every round (MODEL.md section 3.1). `stock`
 * shocks act on each prisoner: their distribution gives the per-prisoner
 * probability of the round. `stream` is the shock's random-stream id
 * (SIM_STREAM_SHOCK + stream, rng.h): fixed here, never derived from the
 * row's position, so that adding a shock (with a new id) re-seeds no other
 * shock and keeps every earlier result. Ids are unique (test_rng checks)
 * and below 0x100; the per-kind streams of stock shocks add their kind in
 * bits 12 and up. id, key, stock, stream, meaning. */
#define SIM_SHOCKS(X)                                                         \
    X(DRONES, "drones", 0, 0, "drone incursions into Poland or Lithuania")       \
    X(SPY_SCANDALS, "spy_scandals", 0, 1, "spy scandals tied to Belarus")        \
    X(FOREIGN_ARRESTS, "foreign_arrests", 0, 2,                                  \
      "arrests of foreign nationals (new foreign prisoners)")                 \
    X(ARRESTS, "arrests", 0, 3,                                                  \
      "new political arrests (ordinary prisoners); the mean rises with the "  \
      "going price (revolving door)")                                         \
    X(DEATHS, "deaths", 1, 4, "deaths in custody (per-prisoner probability)")    \
    X(COMPLETIONS, "completions", 1, 5,                                          \
      "sentences completed (per-prisoner probability)")                       \
    X(DISTRACTION, "distraction", 0, 6,                                          \
      "Washington turns away while engaged (a count of at least 1)")          \
    X(REENGAGEMENT, "reengagement", 0, 7,                                        \
      "Washington re-engages while distracted (a count of at least 1)")       \
    X(MOSCOW, "moscow", 0, 8,                                                    \
      "Moscow intervenes and freezes Minsk's dealing (a count of at least "   \
      "1); the mean rises with recent relief")

typedef enum sim_shock {
#define SIM_SHOCK_ENUM(id, key, stock, stream, doc) SIM_SHOCK_##id,
    SIM_SHOCKS(SIM_SHOCK_ENUM)
#undef SIM_SHOCK_ENUM
        SIM_N_SHOCKS
} sim_shock;

typedef enum sim_imposer { SIM_IMPOSER_US, SIM_IMPOSER_EU } sim_imposer;

typedef enum sim_event_type {
    SIM_EVENT_EXERCISE,
    SIM_EVENT_EU_RENEWAL,
    SIM_EVENT_ELECTION,
    SIM_EVENT_ENGAGEMENT_ONLY /* the actor's negotiator offers no instrument */
} sim_event_type;

struct sim_model_type;
struct sim_registry;

/* A decision model and its parameters, for one actor and role. */
typedef struct sim_model_spec {
    const struct sim_model_type *type; /* never NULL after loading */
    double param[SIM_MODEL_MAX_PARAMS];
    int line; /* source line of the model group, 0 if defaulted */
} sim_model_spec;

typedef struct sim_actor_spec {
    double discount;       /* per round, for utility */
    double stage_discount; /* per bargaining stage within a round */
    double weight[SIM_N_FEATURES];
    unsigned roles; /* bit (1u << role) for each role the actor takes */
    sim_model_spec model[SIM_N_ROLES]; /* used for the roles it takes */
} sim_actor_spec;

typedef struct sim_instrument_spec {
    char name[SIM_NAME_MAX];
    sim_imposer imposer;
    double value;  /* $bn/yr to Minsk when lifted */
    double cost;   /* political cost to the imposer per round when lifted */
    bool diplomatic;
    bool lifted;   /* already lifted at the start */
    bool needs_transit;
    double without_transit; /* fraction of value kept while Klaipeda is shut */
    bool withheld; /* not offered in deals: left out of its imposer's
                      negotiator's `offers` list (offers.c) */
} sim_instrument_spec;

typedef struct sim_event_spec {
    sim_event_type type;
    int start; /* first round, 1-based */
    int rounds;
    int every; /* repeat period in rounds, 0 = once */
    sim_actor actor; /* elections and engagement_only only */
    double factor;
    double tension;
} sim_event_spec;

typedef struct sim_scenario {
    char name[SIM_NAME_MAX];
    char description[SIM_TEXT_MAX];
    char start[SIM_NAME_MAX]; /* "YYYY-MM" of round 1 */
    int rounds;
    /* rounds over which actors value a permanent change; 0 = an infinite
     * future (every actor's discount must then be below 1) */
    int planning_horizon;
    int round_months;
    int replications;
    int64_t seed;

    int prisoners[SIM_N_KINDS];

    struct {
        double start, decay, drone, spy, foreign_arrest;
    } tension;
    struct {
        bool engaged;
    } attention;
    struct {
        double sensitivity;
        int memory, freeze_rounds;
    } moscow;
    struct {
        double elasticity, reference_price;
    } revolving_door;
    struct {
        int stages;
        bool infinite; /* no last stage: stationary values after `stages` */
        int first_proposer; /* 0 = minsk, 1 = the West (Washington, EU) */
        double breakdown;
        int max_release;
        int max_instruments;
        int pressure_memory;
    } bargaining;
    struct {
        bool enabled;
    } eu;
    struct {
        bool all_released, all_lifted;
        int no_deal_rounds;
    } stop;
    struct {
        bool pl_open, lt_open, klaipeda_open;
    } borders;

    sim_dist shock[SIM_N_SHOCKS];
    sim_actor_spec actor[SIM_N_ACTORS];

    int n_instruments;
    sim_instrument_spec instrument[SIM_MAX_INSTRUMENTS];
    int n_events;
    sim_event_spec event[SIM_MAX_EVENTS];

    char file[SIM_PATH_MAX]; /* where it was loaded from, for messages */
} sim_scenario;

/* One `--set KEY=VALUE` override, kept for the manifest. */
typedef struct sim_set {
    char key[SIM_PATH_MAX];
    char value[SIM_TEXT_MAX];
} sim_set;

/* Where a loaded scenario came from, for the run manifest: the file and the
 * --set overrides applied to it, in order. Kept apart from sim_scenario,
 * which it would outweigh tenfold. */
typedef struct sim_provenance {
    char file[SIM_PATH_MAX];
    int n_bases; /* the scenarios it is built on (`base`), nearest first */
    char base[SIM_MAX_BASES][SIM_PATH_MAX];
    int n_sets;
    sim_set set[SIM_MAX_SETS];
} sim_provenance;

/* Called by sim_scenario_origins for each value a file sets: its dotted
 * key, the file and the line. */
typedef void (*sim_origin_fn)(void *ctx, const char *key, const char *file,
                              unsigned line);

/* Reads the scenario file `path` and its chain of bases, merged as
 * sim_scenario_load merges them, and calls fn for every value in the
 * merged tree (every number, string, boolean; each list as a whole), in
 * the tree's order, with the file it came from: which file each value
 * came from, for `check`. Returns 0 or the error of reading the files. */
int sim_scenario_origins(const char *path, sim_origin_fn fn, void *ctx,
                         sim_err *err);

/* Key types of the schema. */
typedef enum sim_key_type {
    SIM_KEY_INT,
    SIM_KEY_INT64,
    SIM_KEY_FLOAT,
    SIM_KEY_BOOL,
    SIM_KEY_STRING,
    SIM_KEY_CHOICE /* a string from `choices`, stored as its int index */
} sim_key_type;

/* One scalar key: where it lives in its struct, its default and range. */
typedef struct sim_key {
    const char *name;
    sim_key_type type;
    size_t offset;
    size_t size; /* STRING: buffer size */
    double def, min, max;
    const char *sdef;            /* STRING and CHOICE default */
    const char *const *choices;  /* CHOICE: NULL-terminated */
    const char *unit;
    const char *doc;
} sim_key;

/* A flat group of keys, at `path` below the root ("" for top level). */
typedef struct sim_section {
    const char *path;
    const sim_key *keys;
    int nkeys;
    size_t offset; /* of the section's struct within sim_scenario */
} sim_section;

/* The flat sections of the scenario, in file order. */
extern const sim_section sim_sections[];
extern const int sim_n_sections;
/* Keys of one instrument and of one calendar event (list elements). */
extern const sim_key sim_instrument_keys[];
extern const int sim_n_instrument_keys;
extern const sim_key sim_event_keys[];
extern const int sim_n_event_keys;

/* Names, for keys and columns (names.c). Each takes a valid enum value. */
const char *sim_actor_name(int actor);
const char *sim_kind_name(int kind);
const char *sim_role_name(int role);
const char *sim_feature_name(int feature);
bool sim_feature_is_flow(int feature);
const char *sim_feature_unit(int feature); /* for the reference */
const char *sim_feature_doc(int feature);  /* for the reference */
const char *sim_shock_name(int shock);
/* The shock's random-stream id, from the SIM_SHOCKS table (add
 * SIM_STREAM_SHOCK for the stream's purpose code). */
unsigned sim_shock_stream(int shock);
bool sim_shock_is_stock(int shock);
const char *sim_shock_doc(int shock); /* for the reference */
/* NULL-terminated name lists, in enum order (CHOICE keys' choices). */
extern const char *const sim_actor_names[];
extern const char *const sim_event_type_names[];
extern const char *const sim_imposer_names[];

/* The default distribution of shock `shock` (scenario.c). */
sim_dist sim_shock_default(int shock);

/* The sensible range [*lo, *hi] of the numeric key at the dotted `path`
 * ("actors.minsk.discount", "instruments.[2].cost"; `*`, `<actor>` or
 * `[i]` as a segment asks for the range that holds for every actor or
 * element), and in *why (may be NULL; *why may be set to NULL) what a
 * value outside it suggests. False if the key has no sensible range
 * (strings, booleans, unknown keys). sensible.c. */
bool sim_key_sensible(const char *path, double *lo, double *hi,
                      const char **why);

/* Receives one warning: "<file:line or --set>: <key>: <text>". */
typedef void (*sim_warn_fn)(void *ctx, const char *message);

/* Reads the scenario at path with the --set overrides as sim_scenario_load
 * does (call it after the load succeeded) and calls fn for every numeric
 * value the files or the overrides set outside its sensible range, in
 * file order. Returns the number of warnings, or a negative error code
 * (the file cannot be read). scenario_lint.c. */
int sim_scenario_lint(const char *path, const char *const *sets, int nsets,
                      sim_warn_fn fn, void *ctx, sim_err *err);

/* The imposer (sim_imposer) whose instruments actor `actor` bargains
 * over (washington: us, eu: eu), or -1 for the others (offers.c). */
int sim_actor_imposer(int actor);

/* True if actor `actor`'s `offers` list withholds some instrument of its
 * imposer in sc (partial relief). */
bool sim_actor_withholds(const sim_scenario *sc, int actor);

/* True if actor `actor` takes role `role` in scenario sc (its `roles`). */
bool sim_actor_has_role(const sim_scenario *sc, int actor, int role);

/* The roles actor `actor` takes by default, as bits (1u << role) (minsk:
 * offer, respond; ...; MODEL.md section 3). A scenario may change veto,
 * border, transit and renew; offer and respond stay with the bargaining
 * parties. */
unsigned sim_actor_default_roles(int actor);

/* True if the world keeps a border of actor's own with Belarus (Poland's,
 * Lithuania's), which its border role opens and closes. */
bool sim_actor_has_border(int actor);

/* Fills *sc with every default, every role taking reg's default model. The
 * defaults are a complete, runnable scenario with no instruments and no
 * calendar. */
void sim_scenario_defaults(sim_scenario *sc, const struct sim_registry *reg);

/* Reads `path`, applies the `--set` overrides sets[0..nsets) in order, and
 * validates everything into *sc; model names are looked up in reg (which
 * also gives the default model). If prov is not NULL, it receives the file
 * and the overrides (on success). On error returns SIM_E_SCENARIO (also
 * when the file cannot be read: exit status 2) with a message naming the
 * file, line and key. */
int sim_scenario_load(sim_scenario *sc, const struct sim_registry *reg,
                      const char *path, const char *const *sets, int nsets,
                      sim_provenance *prov, sim_err *err);

/* Same from a string (tests, fuzzing); `label` stands for the file name. */
int sim_scenario_load_string(sim_scenario *sc, const struct sim_registry *reg,
                             const char *text, const char *label,
                             const char *const *sets, int nsets,
                             sim_provenance *prov, sim_err *err);

/* Writes the resolved scenario in libconfig syntax; loading the output gives
 * the same scenario. `indent` spaces precede every line. */
void sim_scenario_print(const sim_scenario *sc, FILE *out, int indent);

/* Writes s as a libconfig string literal: quoted, with '"', '\' and
 * newlines escaped (also used for the manifest). */
void sim_scenario_print_string(FILE *out, const char *s);

/* Writes the scenario reference (Markdown): every key with its type,
 * default, range, unit and meaning, and every model of reg. */
void sim_scenario_reference(FILE *out, const struct sim_registry *reg);

/* Defaults of one instrument and one calendar event (list elements). */
void sim_scenario_instrument_defaults(sim_instrument_spec *in);
void sim_scenario_event_defaults(sim_event_spec *ev);

/* True while event ev is on in (1-based) round `round`. */
bool sim_event_on(const sim_event_spec *ev, int round);

/* Index of the instrument named `name`, or -1. */
int sim_scenario_instrument(const sim_scenario *sc, const char *name);

/* Feasible deals a round's bargaining game may hold: the larger track's
 * packages of up to bargaining.max_instruments instruments, times
 * 0..bargaining.max_release prisoners. */
long sim_scenario_deals(const sim_scenario *sc);

/* A round's bargaining steps: the deals of each track that bargains (the
 * EU's only when enabled and with instruments) times bargaining.stages. */
double sim_scenario_round_work(const sim_scenario *sc);

/* Bytes of one worker's workspace, the bargaining game's included. */
double sim_scenario_round_bytes(const sim_scenario *sc);

/* Returns 0 if a round fits the budget of limits.h (at most
 * SIM_MAX_ROUND_WORK steps and SIM_MAX_ROUND_BYTES bytes), else
 * SIM_E_SCENARIO naming the keys that make it expensive and the limits.
 * The loader and sim_workspace_alloc both check it, so that `check`
 * refuses what `run` would. */
int sim_scenario_check_work(const sim_scenario *sc, sim_err *err);

/* Total prisoners at the start. */
int sim_scenario_prisoners_start(const sim_scenario *sc);

#ifdef __cplusplus
}
#endif

#endif
