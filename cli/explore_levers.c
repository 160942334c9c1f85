/* explore_levers.c - GET /api/levers of `sanctionsim explore`: the main
 * levers of the loaded scenario, grouped by actor (discounts, the weights
 * the scenario gives, the model of each role), then the world, the
 * bargaining, the borders, the shocks' rates, the instruments' values and
 * costs and what Washington and the EU offer; each with its value, its
 * sensible range (sim_key_sensible, else the key's own), unit and help
 * from the scenario reference. Any other key is set by path. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sanctionsim/model.h>
#include <sanctionsim/models.h>
#include <sanctionsim/scenario.h>

#include "explore_api.h"
#include "explore_json.h"

typedef struct lever {
    const char *path, *label, *kind, *unit, *help;
    double value, min, max; /* min/max: the hard range */
    const char *choice;     /* a choice's value */
    const char *const *choices;
} lever;

/* A step of 1, or of a power of ten about a hundredth of the range. */
static double step_of(const lever *l, double lo, double hi)
{
    if (!strcmp(l->kind, "int"))
        return 1;
    double s = pow(10, floor(log10((hi - lo) / 100)));
    return isfinite(s) && s > 0 ? s : 0.001;
}

/* The slider's range: the sensible one, else the key's own unless it is
 * vast, else one around the value; always holding the value. */
static void range_of(const lever *l, double *lo, double *hi)
{
    if (!sim_key_sensible(l->path, lo, hi, NULL)) {
        *lo = l->min;
        *hi = l->max;
        if (*hi - *lo > 1e4) {
            *lo = fmax(l->min, fmin(0, 2 * l->value));
            *hi = fmin(l->max, fmax(1, 2 * fabs(l->value)));
        }
    }
    *lo = fmax(fmin(*lo, l->value), l->min);
    *hi = fmin(fmax(*hi, l->value), l->max);
}

static void emit(jbuf *jb, const lever *l)
{
    jb_open(jb, '{');
    jb_kstr(jb, "path", l->path);
    jb_kstr(jb, "label", l->label);
    jb_kstr(jb, "kind", l->kind);
    if (!strcmp(l->kind, "choice")) {
        jb_kstr(jb, "value", l->choice);
        jb_key(jb, "choices");
        jb_open(jb, '[');
        for (int i = 0; l->choices[i]; i++)
            jb_str(jb, l->choices[i]);
        jb_close(jb, ']');
    } else if (!strcmp(l->kind, "bool")) {
        jb_kbool(jb, "value", l->value != 0);
    } else {
        double lo, hi;
        range_of(l, &lo, &hi);
        jb_knum(jb, "value", l->value);
        jb_knum(jb, "min", lo);
        jb_knum(jb, "max", hi);
        jb_knum(jb, "step", step_of(l, lo, hi));
    }
    jb_kstr(jb, "unit", l->unit ? l->unit : "");
    jb_kstr(jb, "help", l->help ? l->help : "");
    jb_kbool(jb, "restart", true);
    jb_close(jb, '}');
}

static void group_open(jbuf *jb, const char *name, const char *label)
{
    jb_open(jb, '{');
    jb_kstr(jb, "name", name);
    jb_kstr(jb, "label", label);
    jb_key(jb, "levers");
    jb_open(jb, '[');
}

static void group_close(jbuf *jb)
{
    jb_close(jb, ']');
    jb_close(jb, '}');
}

/* The lever of key `name` of section `section` of sc. */
static void key_lever(jbuf *jb, const sim_scenario *sc, const char *section,
                      const char *name)
{
    for (int s = 0; s < sim_n_sections; s++) {
        if (strcmp(sim_sections[s].path, section) != 0)
            continue;
        for (int i = 0; i < sim_sections[s].nkeys; i++) {
            const sim_key *k = &sim_sections[s].keys[i];
            if (strcmp(k->name, name) != 0)
                continue;
            char path[128];
            snprintf(path, sizeof path, "%s%s%s", section, *section ? "." : "",
                     name);
            const char *p = (const char *)sc + k->offset;
            lever l = {.path = path, .label = name, .unit = k->unit,
                       .help = k->doc, .min = k->min, .max = k->max};
            int iv;
            bool bv;
            if (k->type == SIM_KEY_FLOAT) {
                memcpy(&l.value, p, sizeof l.value);
                l.kind = "real";
            } else if (k->type == SIM_KEY_BOOL) {
                memcpy(&bv, p, sizeof bv);
                l.value = bv;
                l.kind = "bool";
            } else {
                memcpy(&iv, p, sizeof iv);
                l.value = iv;
                l.kind = k->type == SIM_KEY_CHOICE ? "choice" : "int";
                l.choices = k->choices;
                l.choice = k->choices ? k->choices[iv] : NULL;
            }
            emit(jb, &l);
        }
    }
}

/* The model levers of actor a: one per role it holds. */
static void model_levers(jbuf *jb, const sim_scenario *sc, int a)
{
    const sim_registry *reg = sim_builtin_models();
    for (int r = 0; r < SIM_N_ROLES; r++) {
        if (!sim_actor_has_role(sc, a, r))
            continue;
        const char *names[SIM_MAX_MODELS + 1];
        int n = 0;
        for (int m = 0; reg->models[m] && n < SIM_MAX_MODELS; m++)
            if (sim_model_has_role(reg->models[m], r))
                names[n++] = reg->models[m]->name;
        names[n] = NULL;
        char path[96], label[64], help[256];
        snprintf(path, sizeof path, "actors.%s.%s.model", sim_actor_name(a),
                 sim_role_name(r));
        snprintf(label, sizeof label, "model: %s", sim_role_name(r));
        snprintf(help, sizeof help,
                 "the decision model of the %s role (`sanctionsim keys`: "
                 "Decision models); another model may need other "
                 "parameters in %s",
                 sim_role_name(r), path);
        lever l = {.path = path, .label = label, .kind = "choice",
                   .help = help, .choice = sc->actor[a].model[r].type->name,
                   .choices = names};
        emit(jb, &l);
    }
}

static void actor_group(jbuf *jb, const sim_scenario *sc, int a)
{
    const sim_actor_spec *as = &sc->actor[a];
    char name[32], path[96], label[80], unit[80], help[256];
    snprintf(name, sizeof name, "%s", sim_actor_name(a));
    name[0] = (char)(name[0] - 'a' + 'A');
    group_open(jb, sim_actor_name(a), name);
    snprintf(path, sizeof path, "actors.%s.discount", sim_actor_name(a));
    lever d = {.path = path, .label = "discount factor", .kind = "real",
               .unit = "per round", .value = as->discount, .min = 0, .max = 1,
               .help = "discount factor of the actor's utility from round to "
                       "round; below 1 unless planning_horizon is set"};
    emit(jb, &d);
    snprintf(path, sizeof path, "actors.%s.stage_discount", sim_actor_name(a));
    lever s = {.path = path, .label = "stage discount", .kind = "real",
               .unit = "per stage", .value = as->stage_discount, .min = 0,
               .max = 1,
               .help = "discount between bargaining stages within a round"};
    emit(jb, &s);
    for (int f = 0; f < SIM_N_FEATURES; f++) {
        if (as->weight[f] == 0)
            continue; /* the weights the scenario gives; others by path */
        snprintf(path, sizeof path, "actors.%s.weights.%s", sim_actor_name(a),
                 sim_feature_name(f));
        snprintf(label, sizeof label, "weight: %s", sim_feature_name(f));
        snprintf(unit, sizeof unit, "utility per %s%s", sim_feature_unit(f),
                 sim_feature_is_flow(f) ? " per round" : "");
        snprintf(help, sizeof help, "utility weight of: %s",
                 sim_feature_doc(f));
        lever w = {.path = path, .label = label, .kind = "real", .unit = unit,
                   .help = help, .value = as->weight[f], .min = -1e9,
                   .max = 1e9};
        emit(jb, &w);
    }
    model_levers(jb, sc, a);
    group_close(jb);
}

static void shock_group(jbuf *jb, const sim_scenario *sc)
{
    group_open(jb, "shocks", "Shocks (per round)");
    for (int s = 0; s < SIM_N_SHOCKS; s++) {
        const sim_dist *d = &sc->shock[s];
        for (int j = 0; j < sim_dist_nparams(d->type); j++) {
            const sim_dist_param *p = sim_dist_param_info(d->type, j);
            if (sim_shock_is_stock(s) && !strcmp(p->name, "n"))
                continue; /* the stock is the binomial's n */
            char path[96], label[96], help[320];
            snprintf(path, sizeof path, "shocks.%s.%s", sim_shock_name(s),
                     p->name);
            snprintf(label, sizeof label, "%s: %s", sim_shock_name(s),
                     p->name);
            snprintf(help, sizeof help, "%s (%s: %s)", sim_shock_doc(s),
                     sim_dist_name(d->type), p->doc);
            lever l = {.path = path, .label = label,
                       .kind = p->integer ? "int" : "real",
                       .unit = sim_shock_is_stock(s) ? "per prisoner per round"
                                                     : "per round",
                       .help = help, .value = d->p[j], .min = p->min,
                       .max = p->max};
            emit(jb, &l);
        }
    }
    group_close(jb);
}

static void instrument_group(jbuf *jb, const sim_scenario *sc)
{
    group_open(jb, "instruments", "Instruments");
    for (int i = 0; i < sc->n_instruments; i++) {
        const sim_instrument_spec *in = &sc->instrument[i];
        for (int c = 0; c < 2; c++) {
            char path[128], label[96], sens[64], help[256];
            const char *what = c ? "cost" : "value";
            snprintf(path, sizeof path, "instruments.[name=%s].%s", in->name,
                     what);
            snprintf(label, sizeof label, "%s: %s", in->name, what);
            snprintf(sens, sizeof sens, "instruments.[%d].%s", i, what);
            snprintf(help, sizeof help,
                     c ? "political cost to its imposer (%s) per round while "
                         "lifted"
                       : "economic value to Minsk when lifted (imposed by "
                         "%s)",
                     sim_imposer_names[in->imposer]);
            lever l = {.path = sens, .label = label, .kind = "real",
                       .unit = c ? "cost units per round" : "$bn/yr",
                       .help = help, .value = c ? in->cost : in->value,
                       .min = 0, .max = 1e6};
            double lo, hi;
            range_of(&l, &lo, &hi); /* by index: the sensible table's form */
            l.path = path;
            l.min = lo;
            l.max = hi;
            emit(jb, &l);
        }
    }
    group_close(jb);
}

static void offer_group(jbuf *jb, const sim_scenario *sc)
{
    group_open(jb, "offers", "Offered in deals");
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        int imp = sim_actor_imposer(a);
        for (int i = 0; imp >= 0 && i < sc->n_instruments; i++) {
            const sim_instrument_spec *in = &sc->instrument[i];
            if ((int)in->imposer != imp)
                continue;
            char path[128], label[96], help[200];
            snprintf(path, sizeof path, "offers.%s.%s", sim_actor_name(a),
                     in->name);
            snprintf(label, sizeof label, "%s offers %s", sim_actor_name(a),
                     in->name);
            snprintf(help, sizeof help,
                     "%s is willing to lift %s in a deal (actors.%s.offers; "
                     "the others are withheld)",
                     sim_actor_name(a), in->name, sim_actor_name(a));
            lever l = {.path = path, .label = label, .kind = "bool",
                       .help = help, .value = !in->withheld};
            emit(jb, &l);
        }
    }
    group_close(jb);
}

/* Section keys of the world, bargaining and border groups. */
static void keys_group(jbuf *jb, const sim_scenario *sc, const char *name,
                       const char *label, const char *const *keys)
{
    group_open(jb, name, label);
    for (int i = 0; keys[i]; i += 2)
        key_lever(jb, sc, keys[i], keys[i + 1]);
    group_close(jb);
}

char *explore_levers_json(const explore_state *st, size_t *len)
{
    static const char *const world[] = {
        "", "rounds", "tension", "start", "tension", "decay",
        "moscow", "sensitivity", "moscow", "freeze_rounds",
        "revolving_door", "elasticity", "revolving_door", "reference_price",
        "attention", "engaged", "eu", "enabled", NULL};
    static const char *const bargaining[] = {
        "bargaining", "stages", "bargaining", "first_proposer",
        "bargaining", "breakdown", "bargaining", "max_release",
        "bargaining", "max_instruments", "bargaining", "pressure_memory",
        "stop", "no_deal_rounds", NULL};
    static const char *const borders[] = {"borders", "pl_open", "borders",
                                          "lt_open", "borders",
                                          "klaipeda_open", NULL};
    const sim_scenario *sc = st->base;
    jbuf jb = {0};
    jb_open(&jb, '{');
    jb_kstr(&jb, "scenario", st->scenario);
    jb_kstr(&jb, "name", sc->name);
    jb_kint(&jb, "rounds", sc->rounds);
    jb_kint(&jb, "seed", (long long)st->seed);
    jb_kint(&jb, "target", explore_target(sc->rounds, sc->rounds, st->max_reps));
    jb_kint(&jb, "threads", st->threads);
    jb_key(&jb, "groups");
    jb_open(&jb, '[');
    for (int a = 0; a < SIM_N_ACTORS; a++)
        actor_group(&jb, sc, a);
    keys_group(&jb, sc, "world", "World", world);
    keys_group(&jb, sc, "bargaining", "Bargaining", bargaining);
    keys_group(&jb, sc, "borders", "Borders before round 1", borders);
    shock_group(&jb, sc);
    instrument_group(&jb, sc);
    offer_group(&jb, sc);
    jb_close(&jb, ']');
    jb_close(&jb, '}');
    return jb_take(&jb, len);
}
