/* scenario.c - the scenario schema: every key, its default, range, unit and
 * meaning, in one place; defaults, printing and the reference come from it. */
#include "scenario.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../models/model.h"

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
const char *const sim_event_type_names[] = {"exercise", "eu_renewal",
                                            "election", NULL};
const char *const sim_imposer_names[] = {"us", "eu", NULL};
static const char *const actor_names[] = {
#define SIM_ACTOR_NAME(id, name) name,
    SIM_ACTORS(SIM_ACTOR_NAME)
#undef SIM_ACTOR_NAME
        NULL};

static const sim_key top_keys[] = {
    KSTR("name", name, "",
         "scenario name; names the default output directory "
         "results/<name>/ (default: the file name without .cfg)"),
    KSTR("description", description, "", "what the scenario asks"),
    KSTR("start", start, "2025-09", "calendar month of round 1, YYYY-MM"),
    KINT("rounds", rounds, 36, 1, 1200, "rounds", "horizon in rounds"),
    KINT("round_months", round_months, 1, 1, 12, "months",
         "length of a round (labels only; rates are per round)"),
    KINT("replications", replications, 1000, 1, 100000000, "runs",
         "replications when -n is not given"),
    {"seed", SIM_KEY_INT64, OFF(seed), 0, 1, 0, 9.2e18, NULL, NULL, "",
     "master seed when --seed is not given (0 to 2^63 - 1)"},
};

static const sim_key prisoner_keys[] = {
    KINT("ordinary", prisoners[SIM_ORDINARY], 1150, 0, 1000000, "persons",
         "ordinary political prisoners held at the start"),
    KINT("foreign", prisoners[SIM_FOREIGN], 20, 0, 1000000, "persons",
         "foreign nationals held at the start"),
    KINT("high_profile", prisoners[SIM_HIGH_PROFILE], 27, 0, 1000000,
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
          "Klaipeda potash transit allowed before round 1 (decided again "
          "every round)"),
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
    {"type", SIM_KEY_CHOICE, EOFF(type), 0, 0, 0, 2, "exercise",
     sim_event_type_names, "",
     "exercise, eu_renewal or election; required"},
    {"start", SIM_KEY_INT, EOFF(start), 0, 1, 1, 1200, NULL, NULL, "round",
     "first round of the event (1 = the scenario's start month); required"},
    {"rounds", SIM_KEY_INT, EOFF(rounds), 0, 1, 1, 1200, NULL, NULL, "rounds",
     "how long each occurrence lasts"},
    {"every", SIM_KEY_INT, EOFF(every), 0, 0, 0, 1200, NULL, NULL, "rounds",
     "repeat period (0: once); the EU renewal is every 12"},
    {"actor", SIM_KEY_CHOICE, EOFF(actor), 0, 0, 0, SIM_N_ACTORS - 1, "minsk",
     actor_names, "", "whose election (elections only)"},
    {"factor", SIM_KEY_FLOAT, EOFF(factor), 0, 1, 0, 1e6, NULL, NULL, "x",
     "exercise: drone mean multiplier; election: multiplier of the actor's "
     "weights on tension, exposure and relief costs"},
    {"tension", SIM_KEY_FLOAT, EOFF(tension), 0, 0, 0, 1e6, NULL, NULL,
     "index/round", "exercise: tension added each round it is on"},
};
const int sim_n_event_keys = N(sim_event_keys);

/* Default distribution of each shock (in sim_shock order). */
static const sim_dist default_shock[SIM_N_SHOCKS] = {
    [SIM_S_DRONES] = {SIM_DIST_POISSON, {0.5, 0}},
    [SIM_S_SPY_SCANDALS] = {SIM_DIST_BERNOULLI, {0.1, 0}},
    [SIM_S_FOREIGN_ARRESTS] = {SIM_DIST_POISSON, {0.5, 0}},
    [SIM_S_ARRESTS] = {SIM_DIST_POISSON, {45, 0}},
    [SIM_S_DEATHS] = {SIM_DIST_BINOMIAL, {1.25e-4, 1}},
    [SIM_S_COMPLETIONS] = {SIM_DIST_BINOMIAL, {0.035, 1}},
    [SIM_S_DISTRACTION] = {SIM_DIST_BERNOULLI, {0.1, 0}},
    [SIM_S_REENGAGEMENT] = {SIM_DIST_BERNOULLI, {0.25, 0}},
    [SIM_S_MOSCOW] = {SIM_DIST_BERNOULLI, {0.02, 0}},
};

/* Roles each actor takes (MODEL.md section 3). */
static const unsigned actor_roles[SIM_N_ACTORS] = {
    [SIM_MINSK] = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND),
    [SIM_WASHINGTON] = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND),
    [SIM_EU] = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND),
    [SIM_POLAND] = (1u << SIM_ROLE_VETO) | (1u << SIM_ROLE_BORDER) |
                   (1u << SIM_ROLE_RENEW),
    [SIM_LITHUANIA] = (1u << SIM_ROLE_VETO) | (1u << SIM_ROLE_BORDER) |
                      (1u << SIM_ROLE_TRANSIT) | (1u << SIM_ROLE_RENEW),
};

static const char *const kind_names[] = {
#define SIM_KIND_NAME(id, name) name,
    SIM_KINDS(SIM_KIND_NAME)
#undef SIM_KIND_NAME
};
static const char *const role_names[] = {
#define SIM_ROLE_NAME(id, name) name,
    SIM_ROLES(SIM_ROLE_NAME)
#undef SIM_ROLE_NAME
};
static const char *const feature_names[] = {
#define SIM_FEATURE_NAME(id, key, flow, unit, doc) key,
    SIM_FEATURES(SIM_FEATURE_NAME)
#undef SIM_FEATURE_NAME
};
static const bool feature_flow[] = {
#define SIM_FEATURE_FLOW(id, key, flow, unit, doc) flow,
    SIM_FEATURES(SIM_FEATURE_FLOW)
#undef SIM_FEATURE_FLOW
};
static const char *const feature_units[] = {
#define SIM_FEATURE_UNIT(id, key, flow, unit, doc) unit,
    SIM_FEATURES(SIM_FEATURE_UNIT)
#undef SIM_FEATURE_UNIT
};
static const char *const feature_docs[] = {
/* (doc): a doc may be several literals joined; the parentheses say so. */
#define SIM_FEATURE_DOC(id, key, flow, unit, doc) (doc),
    SIM_FEATURES(SIM_FEATURE_DOC)
#undef SIM_FEATURE_DOC
};
static const char *const shock_names[] = {
#define SIM_SHOCK_NAME(id, key, stock, doc) key,
    SIM_SHOCKS(SIM_SHOCK_NAME)
#undef SIM_SHOCK_NAME
};
static const bool shock_stock[] = {
#define SIM_SHOCK_STOCK(id, key, stock, doc) stock,
    SIM_SHOCKS(SIM_SHOCK_STOCK)
#undef SIM_SHOCK_STOCK
};
static const char *const shock_docs[] = {
#define SIM_SHOCK_DOC(id, key, stock, doc) doc,
    SIM_SHOCKS(SIM_SHOCK_DOC)
#undef SIM_SHOCK_DOC
};

const char *sim_actor_name(int a) { return actor_names[a]; }
const char *sim_kind_name(int k) { return kind_names[k]; }
const char *sim_role_name(int r) { return role_names[r]; }
const char *sim_feature_name(int f) { return feature_names[f]; }
bool sim_feature_is_flow(int f) { return feature_flow[f]; }
const char *sim_shock_name(int s) { return shock_names[s]; }
bool sim_shock_is_stock(int s) { return shock_stock[s]; }

bool sim_actor_has_role(int actor, int role)
{
    return (actor_roles[actor] >> role) & 1u;
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

void sim_scenario_defaults(sim_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    for (int s = 0; s < sim_n_sections; s++)
        for (int i = 0; i < sim_sections[s].nkeys; i++)
            set_default(&sim_sections[s].keys[i], sc);
    for (int i = 0; i < SIM_N_SHOCKS; i++)
        sc->shock[i] = default_shock[i];
    const sim_model_type *spe = sim_model_find("spe");
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        sim_actor_spec *as = &sc->actor[a];
        as->discount = 0.99;
        as->stage_discount = 0.95;
        for (int r = 0; r < SIM_N_ROLES; r++) {
            as->model[r].type = spe;
            sim_model_defaults(spe, as->model[r].param);
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

/* ---- printing in libconfig syntax ---- */

/* A double in the shortest %g form that reads back exactly, always with a
 * '.' or an exponent so that libconfig reads it as a float. */
static void print_double(FILE *out, double v)
{
    char buf[40];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, out);
    if (!strpbrk(buf, ".eEn"))
        fputs(".0", out);
}

void sim_scenario_print_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

static void print_key(FILE *out, int indent, const sim_key *k,
                      const void *base)
{
    const char *p = (const char *)base + k->offset;
    fprintf(out, "%*s%s = ", indent, "", k->name);
    switch (k->type) {
    case SIM_KEY_INT:
        fprintf(out, "%d", *(const int *)p);
        break;
    case SIM_KEY_INT64:
        fprintf(out, "%" PRId64 "L", *(const int64_t *)p);
        break;
    case SIM_KEY_FLOAT: {
        double v;
        memcpy(&v, p, sizeof v);
        print_double(out, v);
        break;
    }
    case SIM_KEY_BOOL:
        fputs(*(const bool *)p ? "true" : "false", out);
        break;
    case SIM_KEY_STRING:
        sim_scenario_print_string(out, p);
        break;
    case SIM_KEY_CHOICE:
        sim_scenario_print_string(out, k->choices[*(const int *)p]);
        break;
    }
    fputs(";\n", out);
}

static void print_model(FILE *out, int indent, const sim_model_spec *m)
{
    fprintf(out, "%*s{\n", indent, "");
    fprintf(out, "%*smodel = ", indent + 2, "");
    sim_scenario_print_string(out, m->type->name);
    fputs(";\n", out);
    for (int i = 0; i < m->type->nparams; i++)
        print_key(out, indent + 2, &m->type->params[i], m->param);
    fprintf(out, "%*s};\n", indent, "");
}

void sim_scenario_print(const sim_scenario *sc, FILE *out, int ind)
{
    for (int s = 0; s < sim_n_sections; s++) {
        const sim_section *sec = &sim_sections[s];
        int in = ind;
        if (sec->path[0]) {
            fprintf(out, "%*s%s = {\n", ind, "", sec->path);
            in += 2;
        }
        for (int i = 0; i < sec->nkeys; i++)
            print_key(out, in, &sec->keys[i], sc);
        if (sec->path[0])
            fprintf(out, "%*s};\n", ind, "");
    }

    fprintf(out, "%*sshocks = {\n", ind, "");
    for (int i = 0; i < SIM_N_SHOCKS; i++) {
        const sim_dist *d = &sc->shock[i];
        fprintf(out, "%*s%s = { dist = \"%s\";", ind + 2, "", shock_names[i],
                sim_dist_name(d->type));
        for (int j = 0; j < sim_dist_nparams(d->type); j++) {
            if (shock_stock[i] && d->type == SIM_DIST_BINOMIAL && j == 1)
                continue; /* n is the stock */
            fprintf(out, " %s = ", sim_dist_param_info(d->type, j)->name);
            print_double(out, d->p[j]);
            fputc(';', out);
        }
        fputs(" };\n", out);
    }
    fprintf(out, "%*s};\n", ind, "");

    fprintf(out, "%*sactors = {\n", ind, "");
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        const sim_actor_spec *as = &sc->actor[a];
        fprintf(out, "%*s%s = {\n", ind + 2, "", actor_names[a]);
        fprintf(out, "%*sdiscount = ", ind + 4, "");
        print_double(out, as->discount);
        fprintf(out, ";\n%*sstage_discount = ", ind + 4, "");
        print_double(out, as->stage_discount);
        fprintf(out, ";\n%*sweights = {\n", ind + 4, "");
        for (int f = 0; f < SIM_N_FEATURES; f++) {
            fprintf(out, "%*s%s = ", ind + 6, "", feature_names[f]);
            print_double(out, as->weight[f]);
            fputs(";\n", out);
        }
        fprintf(out, "%*s};\n", ind + 4, "");
        for (int r = 0; r < SIM_N_ROLES; r++) {
            if (!sim_actor_has_role(a, r))
                continue;
            fprintf(out, "%*s%s =\n", ind + 4, "", role_names[r]);
            print_model(out, ind + 4, &as->model[r]);
        }
        fprintf(out, "%*s};\n", ind + 2, "");
    }
    fprintf(out, "%*s};\n", ind, "");

    fprintf(out, "%*sinstruments = (", ind, "");
    for (int i = 0; i < sc->n_instruments; i++) {
        fprintf(out, "%s\n%*s{\n", i ? "," : "", ind + 2, "");
        for (int k = 0; k < sim_n_instrument_keys; k++)
            print_key(out, ind + 4, &sim_instrument_keys[k],
                      &sc->instrument[i]);
        fprintf(out, "%*s}", ind + 2, "");
    }
    fprintf(out, "%s);\n", sc->n_instruments ? "\n" : "");

    fprintf(out, "%*scalendar = (", ind, "");
    for (int i = 0; i < sc->n_events; i++) {
        fprintf(out, "%s\n%*s{\n", i ? "," : "", ind + 2, "");
        for (int k = 0; k < sim_n_event_keys; k++)
            print_key(out, ind + 4, &sim_event_keys[k], &sc->event[i]);
        fprintf(out, "%*s}", ind + 2, "");
    }
    fprintf(out, "%s);\n", sc->n_events ? "\n" : "");
}

/* ---- the scenario reference (docs/SCENARIOS.md) ---- */

static const char *type_name(sim_key_type t)
{
    switch (t) {
    case SIM_KEY_INT:
        return "int";
    case SIM_KEY_INT64:
        return "int64";
    case SIM_KEY_FLOAT:
        return "float";
    case SIM_KEY_BOOL:
        return "bool";
    case SIM_KEY_STRING:
    case SIM_KEY_CHOICE: /* a string from a fixed list */
        return "string";
    }
    return "?";
}

static void ref_row(FILE *out, const char *prefix, const sim_key *k)
{
    fprintf(out, "| `%s%s` | %s | ", prefix, k->name, type_name(k->type));
    switch (k->type) {
    case SIM_KEY_STRING:
    case SIM_KEY_CHOICE:
        fprintf(out, "`\"%s\"` | ", k->sdef ? k->sdef : "");
        break;
    case SIM_KEY_BOOL:
        fprintf(out, "`%s` | ", k->def != 0 ? "true" : "false");
        break;
    default:
        fprintf(out, "`%.10g` | ", k->def);
    }
    if (k->type == SIM_KEY_CHOICE) {
        for (int i = 0; k->choices[i]; i++)
            fprintf(out, "%s`%s`", i ? ", " : "", k->choices[i]);
    } else if (k->type == SIM_KEY_INT || k->type == SIM_KEY_INT64 ||
               k->type == SIM_KEY_FLOAT) {
        fprintf(out, "%.10g to %.10g", k->min, k->max);
    }
    fprintf(out, " | %s | %s |\n", k->unit ? k->unit : "", k->doc);
}

static void ref_head(FILE *out)
{
    fputs("| key | type | default | range | unit | meaning |\n"
          "|---|---|---|---|---|---|\n",
          out);
}

void sim_scenario_reference(FILE *out)
{
    fputs("# Scenario reference\n\n"
          "Generated by `sanctionsim keys`; every key a scenario file may "
          "hold, with its type, default, allowed range, unit and meaning. "
          "A key that is not listed here is an error. Integers are accepted "
          "where a float is expected. Any key can be changed from the "
          "command line with `--set path=value`, e.g. "
          "`--set actors.minsk.discount=0.9` or "
          "`--set instruments.[0].value=2.5`.\n\n",
          out);
    for (int s = 0; s < sim_n_sections; s++) {
        const sim_section *sec = &sim_sections[s];
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s%s", sec->path,
                 sec->path[0] ? "." : "");
        fprintf(out, "## %s\n\n", sec->path[0] ? sec->path : "Top level");
        ref_head(out);
        for (int i = 0; i < sec->nkeys; i++)
            ref_row(out, prefix, &sec->keys[i]);
        fputc('\n', out);
    }

    fputs("## shocks\n\nEach shock is a group `shocks.<shock> = { dist = "
          "\"<distribution>\"; <parameters> };`. Shocks are drawn at the "
          "start of every round, each from its own random stream. "
          "Continuous draws of count shocks are rounded to the nearest "
          "whole number (negative draws count as 0). For the per-prisoner "
          "shocks (`deaths`, `completions`) the distribution gives the "
          "probability of the round for each prisoner: `binomial` "
          "(parameter `p`; its `n` is the stock), `beta`, `uniform` or "
          "`fixed`, with values in [0, 1].\n\n"
          "| shock | default | meaning |\n|---|---|---|\n",
          out);
    for (int i = 0; i < SIM_N_SHOCKS; i++) {
        const sim_dist *d = &default_shock[i];
        fprintf(out, "| `shocks.%s` | `%s`", shock_names[i],
                sim_dist_name(d->type));
        for (int j = 0; j < sim_dist_nparams(d->type); j++) {
            if (shock_stock[i] && d->type == SIM_DIST_BINOMIAL && j == 1)
                continue;
            fprintf(out, " %s=%.10g", sim_dist_param_info(d->type, j)->name,
                    d->p[j]);
        }
        fprintf(out, " | %s |\n", shock_docs[i]);
    }
    fputs("\nDistributions and their parameters (keys inside the shock "
          "group). A state-dependent multiplier m scales the mean as "
          "stated:\n\n| dist | parameter | default | range | meaning |\n"
          "|---|---|---|---|---|\n",
          out);
    for (int t = 0; t < SIM_N_DISTS; t++)
        for (int j = 0; j < sim_dist_nparams((sim_dist_type)t); j++) {
            const sim_dist_param *pi =
                sim_dist_param_info((sim_dist_type)t, j);
            fprintf(out, "| `%s` | `%s` | %.10g | %.10g to %.10g%s | %s |\n",
                    sim_dist_name((sim_dist_type)t), pi->name, pi->def,
                    pi->min, pi->max, pi->integer ? ", whole" : "", pi->doc);
        }

    fputs("\n## actors\n\n`actors.<actor>` for each of `minsk`, "
          "`washington`, `eu`, `poland`, `lithuania`.\n\n",
          out);
    ref_head(out);
    fputs("| `actors.<actor>.discount` | float | `0.99` | 0 to 1 | per "
          "round | discount factor of the actor's utility |\n"
          "| `actors.<actor>.stage_discount` | float | `0.95` | 0 to 1 | per "
          "stage | discount between bargaining stages within a round |\n",
          out);
    for (int f = 0; f < SIM_N_FEATURES; f++)
        fprintf(out,
                "| `actors.<actor>.weights.%s` | float | `0` | -1e9 to 1e9 | "
                "utility per %s%s | %s |\n",
                feature_names[f], feature_units[f],
                feature_flow[f] ? " per round" : "", feature_docs[f]);
    fputs("\nRoles (decision kinds) each actor takes, each a group "
          "`actors.<actor>.<role> = { model = \"<model>\"; <parameters> };` "
          "(default model `spe`):\n\n",
          out);
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        fprintf(out, "- `%s`:", actor_names[a]);
        for (int r = 0; r < SIM_N_ROLES; r++)
            if (sim_actor_has_role(a, r))
                fprintf(out, " `%s`", role_names[r]);
        fputc('\n', out);
    }
    fputs("\n### Decision models\n\n", out);
    for (int m = 0; sim_models[m]; m++) {
        const sim_model_type *mt = sim_models[m];
        fprintf(out, "#### `%s`\n\n%s\n\nRoles:", mt->name, mt->doc);
        for (int r = 0; r < SIM_N_ROLES; r++)
            if (sim_model_has_role(mt, r))
                fprintf(out, " `%s`", role_names[r]);
        fputs(".\n\n", out);
        if (mt->nparams) {
            ref_head(out);
            for (int i = 0; i < mt->nparams; i++)
                ref_row(out, "", &mt->params[i]);
            fputc('\n', out);
        } else {
            fputs("No parameters.\n\n", out);
        }
    }

    fputs("## instruments\n\nA list of groups, `instruments = ( { ... }, "
          "... );`, one per sanction instrument or diplomatic item "
          "(at most 12).\n\n",
          out);
    ref_head(out);
    for (int i = 0; i < sim_n_instrument_keys; i++)
        ref_row(out, "instruments.[i].", &sim_instrument_keys[i]);
    fputs("\n## calendar\n\nA list of scheduled events, `calendar = ( { ... "
          "}, ... );` (at most 64).\n\n",
          out);
    ref_head(out);
    for (int i = 0; i < sim_n_event_keys; i++)
        ref_row(out, "calendar.[i].", &sim_event_keys[i]);
}
