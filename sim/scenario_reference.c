/* scenario_reference.c - the scenario reference in Markdown (`sanctionsim
 * keys`, docs/SCENARIOS.md): every key with its type, default, range, unit
 * and meaning, from the schema tables and the model registry. */
#include <stdio.h>
#include <string.h>

#include <sanctionsim/model.h>
#include <sanctionsim/scenario.h>

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

/* The sensible range of the key at path (sensible.c) and " | ", a table
 * cell; for an actor's key (`actors.<actor>.rest`, actor `*`), each actor
 * whose own range differs is added. */
static void sensible_cell(FILE *out, const char *path)
{
    double lo, hi;
    if (!sim_key_sensible(path, &lo, &hi, NULL)) {
        fputs(" | ", out);
        return;
    }
    fprintf(out, "%.10g to %.10g", lo, hi);
    if (strncmp(path, "actors.*.", 9) == 0)
        for (int a = 0; a < SIM_N_ACTORS; a++) {
            char own[256];
            double alo, ahi;
            snprintf(own, sizeof own, "actors.%s.%s", sim_actor_name(a),
                     path + 9);
            if (sim_key_sensible(own, &alo, &ahi, NULL) &&
                (alo != lo || ahi != hi))
                fprintf(out, "; %s: %.10g to %.10g", sim_actor_name(a), alo,
                        ahi);
        }
    fputs(" | ", out);
}

/* lookup: the key's path for its sensible range, if not prefix + name
 * (a model's parameters: actors.*.*.<name>). */
static void ref_row(FILE *out, const char *prefix, const char *lookup,
                    const sim_key *k)
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
    fputs(" | ", out);
    char path[256];
    snprintf(path, sizeof path, "%s%s", lookup ? lookup : prefix, k->name);
    sensible_cell(out, path);
    fprintf(out, "%s | %s |\n", k->unit ? k->unit : "", k->doc);
}

static void ref_head(FILE *out)
{
    fputs("| key | type | default | range | sensible | unit | meaning |\n"
          "|---|---|---|---|---|---|---|\n",
          out);
}

/* The flat sections, one table each. */
static void ref_sections(FILE *out)
{
    for (int s = 0; s < sim_n_sections; s++) {
        const sim_section *sec = &sim_sections[s];
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s%s", sec->path,
                 sec->path[0] ? "." : "");
        fprintf(out, "## %s\n\n", sec->path[0] ? sec->path : "Top level");
        if (s == 0)
            fprintf(out,
                    "A scenario can be built on another: `base = "
                    "\"baseline.cfg\";` (a path relative to the file's "
                    "folder) starts from that scenario, and the file holds "
                    "only what it changes. Groups merge key by key; any "
                    "other value, including a whole list such as "
                    "`instruments` or `calendar`, replaces the base's. A "
                    "base may have a base of its own, up to %d deep. "
                    "`check` lists the values each file sets.\n\n"
                    "`rounds` is how long the simulation runs, not what "
                    "the actors know: they value a permanent change (an "
                    "instrument lifted, a prisoner out of the stock) over "
                    "`planning_horizon` rounds from the round of the "
                    "change, `(1 - discount^H) / (1 - discount)` times its "
                    "flow (`H` if the discount is 1), or over an infinite "
                    "future, `1 / (1 - discount)`, if it is 0; the same in "
                    "every round, so a run's first rounds do not depend on "
                    "`rounds`. A discount of 1 needs a planning horizon. A "
                    "deadline the actors know of (an election, the EU's "
                    "renewal) is a `calendar` event.\n\n",
                    SIM_MAX_BASES);
        ref_head(out);
        for (int i = 0; i < sec->nkeys; i++)
            ref_row(out, prefix, NULL, &sec->keys[i]);
        fputc('\n', out);
        if (strcmp(sec->path, "bargaining") == 0)
            fprintf(out,
                    "A round's game holds, per track, every package of up "
                    "to `max_instruments` of the track's instruments times "
                    "0 to `max_release` prisoners. A scenario is refused "
                    "(by `check` too) when a round would take more than "
                    "%.0e steps (the deals of both tracks times `stages`) "
                    "or its workspace more than %.0f MiB (about 190 bytes "
                    "a deal; each worker thread holds one); the message "
                    "names the keys to lower.\n\n",
                    SIM_MAX_ROUND_WORK, SIM_MAX_ROUND_BYTES / 1048576.0);
    }
}

/* The sensible range of a distribution parameter, and of the shocks
 * whose own range differs (shocks.<shock>.<param>). */
static void shock_sensible_cell(FILE *out, const char *param)
{
    char path[128];
    double lo, hi;
    snprintf(path, sizeof path, "shocks.*.%s", param);
    if (!sim_key_sensible(path, &lo, &hi, NULL)) {
        fputs(" | ", out);
        return;
    }
    fprintf(out, "%.10g to %.10g", lo, hi);
    for (int i = 0; i < SIM_N_SHOCKS; i++) {
        double slo, shi;
        snprintf(path, sizeof path, "shocks.%s.%s", sim_shock_name(i), param);
        if (sim_key_sensible(path, &slo, &shi, NULL) &&
            (slo != lo || shi != hi))
            fprintf(out, "; %s: %.10g to %.10g", sim_shock_name(i), slo, shi);
    }
    fputs(" | ", out);
}

/* The shocks with their default distributions, then every distribution's
 * parameters. */
static void ref_shocks(FILE *out)
{
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
        const sim_dist d = sim_shock_default(i);
        fprintf(out, "| `shocks.%s` | `%s`", sim_shock_name(i),
                sim_dist_name(d.type));
        for (int j = 0; j < sim_dist_nparams(d.type); j++) {
            if (sim_shock_is_stock(i) && d.type == SIM_DIST_BINOMIAL && j == 1)
                continue;
            fprintf(out, " %s=%.10g", sim_dist_param_info(d.type, j)->name,
                    d.p[j]);
        }
        fprintf(out, " | %s |\n", sim_shock_doc(i));
    }
    fputs("\nDistributions and their parameters (keys inside the shock "
          "group). A state-dependent multiplier m scales the mean as "
          "stated:\n\n| dist | parameter | default | range | sensible | "
          "meaning |\n|---|---|---|---|---|---|\n",
          out);
    for (int t = 0; t < SIM_N_DISTS; t++)
        for (int j = 0; j < sim_dist_nparams((sim_dist_type)t); j++) {
            const sim_dist_param *pi = sim_dist_param_info((sim_dist_type)t, j);
            fprintf(out, "| `%s` | `%s` | %.10g | %.10g to %.10g%s | ",
                    sim_dist_name((sim_dist_type)t), pi->name, pi->def, pi->min,
                    pi->max, pi->integer ? ", whole" : "");
            shock_sensible_cell(out, pi->name);
            fprintf(out, "%s |\n", pi->doc);
        }
}

/* The actors' keys: discounts, weights, and the roles each holds by
 * default. */
static void ref_actors(FILE *out, const sim_registry *reg)
{
    fputs("\n## actors\n\n`actors.<actor>` for each of `minsk`, "
          "`washington`, `eu`, `poland`, `lithuania`.\n\n",
          out);
    ref_head(out);
    fputs("| `actors.<actor>.discount` | float | `0.99` | 0 to 1 | ", out);
    sensible_cell(out, "actors.*.discount");
    fputs("per round | discount factor of the actor's utility; below 1 "
          "unless `planning_horizon` is set (a permanent change is worth "
          "1 / (1 - discount) rounds of its flow over an infinite "
          "future) |\n"
          "| `actors.<actor>.stage_discount` | float | `0.95` | 0 to 1 | ",
          out);
    sensible_cell(out, "actors.*.stage_discount");
    fputs("per stage | discount between bargaining stages within a round |\n",
          out);
    for (int f = 0; f < SIM_N_FEATURES; f++) {
        char path[128];
        fprintf(out,
                "| `actors.<actor>.weights.%s` | float | `0` | -1e9 to 1e9 | ",
                sim_feature_name(f));
        snprintf(path, sizeof path, "actors.*.weights.%s", sim_feature_name(f));
        sensible_cell(out, path);
        fprintf(out, "utility per %s%s | %s |\n", sim_feature_unit(f),
                sim_feature_is_flow(f) ? " per round" : "", sim_feature_doc(f));
    }
    fputs("| `actors.<actor>.roles` | list of strings | see below | ", out);
    for (int r = 0; r < SIM_N_ROLES; r++)
        fprintf(out, "%s`%s`", r ? ", " : "", sim_role_name(r));
    fputs(" |  |  | the roles (decision kinds) the actor holds, e.g. "
          "`[\"veto\", \"border\"]`; replaces the actor's default set "
          "below. Only a role the actor holds may be given a model. "
          "`offer` and `respond` stay with the bargaining parties "
          "(minsk, washington, eu); `border` needs a border of the "
          "actor's own (poland, lithuania) |\n",
          out);
    fputs("| `actors.<actor>.offers` | list of strings | every instrument "
          "of its imposer | instrument names |  |  | partial relief, for "
          "`washington` (instruments imposed by `us`) and `eu` (imposed "
          "by `eu`): the instruments its negotiator is willing to lift in "
          "a deal, e.g. `[\"eu_aviation\", \"eu_finance\"]`; the "
          "others are never on the table (an EU instrument can still lapse "
          "at the yearly renewal). `[]` offers none: Washington then "
          "trades only visits, and the EU does not bargain |\n",
          out);
    fprintf(out,
            "\nRoles each actor holds by default; for each role it holds, "
            "a group `actors.<actor>.<role> = { model = \"<model>\"; "
            "<parameters> };` (default model `%s`):\n\n",
            reg->default_model->name);
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        fprintf(out, "- `%s`:", sim_actor_name(a));
        for (int r = 0; r < SIM_N_ROLES; r++)
            if ((sim_actor_default_roles(a) >> r) & 1u)
                fprintf(out, " `%s`", sim_role_name(r));
        fputc('\n', out);
    }
}

/* Every decision model of reg: its roles and parameters. */
static void ref_models(FILE *out, const sim_registry *reg)
{
    fputs("\n### Decision models\n\n", out);
    for (int m = 0; reg->models[m]; m++) {
        const sim_model_type *mt = reg->models[m];
        fprintf(out, "#### `%s`\n\n%s\n\nRoles:", mt->name, mt->doc);
        for (int r = 0; r < SIM_N_ROLES; r++)
            if (sim_model_has_role(mt, r))
                fprintf(out, " `%s`", sim_role_name(r));
        fputs(".\n\n", out);
        if (mt->nparams) {
            ref_head(out);
            for (int i = 0; i < mt->nparams; i++)
                ref_row(out, "", "actors.*.*.", &mt->params[i]);
            fputc('\n', out);
        } else {
            fputs("No parameters.\n\n", out);
        }
    }
}

/* The instrument and calendar lists. */
static void ref_lists(FILE *out)
{
    fputs("## instruments\n\nA list of groups, `instruments = ( { ... }, "
          "... );`, one per sanction instrument or diplomatic item "
          "(at most 12).\n\n",
          out);
    ref_head(out);
    for (int i = 0; i < sim_n_instrument_keys; i++)
        ref_row(out, "instruments.[i].", NULL, &sim_instrument_keys[i]);
    fputs("\n## calendar\n\nA list of scheduled events, `calendar = ( { ... "
          "}, ... );` (at most 64).\n\n",
          out);
    ref_head(out);
    for (int i = 0; i < sim_n_event_keys; i++)
        ref_row(out, "calendar.[i].", NULL, &sim_event_keys[i]);
}

/* Keys of the baseline that change nothing in runs.csv, and why: the
 * per-key perturbation test (test_perturb) moves every numeric key of
 * the resolved baseline by 10 % and requires runs.csv to change unless
 * the key is listed here. */
static const struct {
    const char *key, *why;
} inert[] = {
    {"round_months",
     "labels only: it changes the months of rounds.csv, not runs.csv"},
    {"replications",
     "`-n` (here 200) overrides it; without `-n` it is the number of "
     "replications"},
    {"seed",
     "`--seed` (here 1) overrides it; without `--seed` it is the master "
     "seed"},
    {"bargaining.pressure_memory",
     "Washington presses the EU only while engaged, and its engaged "
     "spells (1.7 rounds on average) end before 6 or 7 rounds have "
     "passed since a deal"},
    {"actors.minsk.weights.released_high_profile",
     "no high-profile prisoner is released in the baseline: with linear "
     "utilities Minsk releases them last, after every ordinary and "
     "foreign prisoner"},
    {"actors.washington.weights.released_high_profile",
     "no high-profile prisoner is released in the baseline: with linear "
     "utilities Minsk releases them last, after every ordinary and "
     "foreign prisoner"},
    {"actors.eu.weights.released_high_profile",
     "no high-profile prisoner is released in the baseline: with linear "
     "utilities Minsk releases them last, after every ordinary and "
     "foreign prisoner"},
    {"actors.poland.stage_discount",
     "Poland does not bargain (it holds no offer or respond role)"},
    {"actors.poland.weights.released_high_profile",
     "no high-profile prisoner is released in the baseline: with linear "
     "utilities Minsk releases them last, after every ordinary and "
     "foreign prisoner"},
    {"actors.poland.veto.c_election",
     "the baseline's calendar has no election, so the election signal is"
     " always 0"},
    {"actors.poland.veto.c_exercise",
     "the only exercise (Zapad, round 1) already makes Poland veto the "
     "EU's deal in nearly every run (198 of 200)"},
    {"actors.poland.veto.c_status",
     "a vote's status signal is always 0 (no vote carries over from one "
     "round to the next), in any configuration"},
    {"actors.poland.border.c_exercise",
     "the only exercise (Zapad, round 1) makes Poland close its border "
     "with 1.0 already"},
    {"actors.poland.border.c_election",
     "the baseline's calendar has no election, so the election signal is"
     " always 0"},
    {"actors.lithuania.stage_discount",
     "Lithuania does not bargain (it holds no offer or respond role)"},
    {"actors.lithuania.weights.released_high_profile",
     "no high-profile prisoner is released in the baseline: with linear "
     "utilities Minsk releases them last, after every ordinary and "
     "foreign prisoner"},
    {"actors.lithuania.veto.c_exercise",
     "the only exercise is in round 1, when tension is at its peak and "
     "Poland vetoes every EU deal, so Lithuania's vote decides nothing"},
    {"actors.lithuania.veto.c_election",
     "the baseline's calendar has no election, so the election signal is"
     " always 0"},
    {"actors.lithuania.veto.c_status",
     "a vote's status signal is always 0 (no vote carries over from one "
     "round to the next), in any configuration"},
    {"actors.lithuania.border.c_election",
     "the baseline's calendar has no election, so the election signal is"
     " always 0"},
    {"actors.lithuania.border.c_price",
     "0 in the baseline, so 10 % of its sensible range (20) is moved: "
     "times a going price of $2-5 m/yr per prisoner (0.002-0.005 in "
     "$bn/yr) that adds under 0.1 to a score that keeps Lithuania's "
     "border open by a wide margin (open in 7,187 of 7,200 rounds)"},
    {"actors.lithuania.transit.threshold",
     "Lithuania keeps Klaipeda shut by a wide margin (its score stays "
     "far below the threshold, noise 0.1), so a 10 % change flips no "
     "decision; `klaipeda_reopens.cfg` moves the threshold to -1"},
    {"actors.lithuania.transit.c_gain",
     "Lithuania keeps Klaipeda shut by a wide margin (its score stays "
     "far below the threshold, noise 0.1), so a 10 % change flips no "
     "decision; `klaipeda_reopens.cfg` moves the threshold to -1"},
    {"actors.lithuania.transit.c_tension",
     "Lithuania keeps Klaipeda shut by a wide margin (its score stays "
     "far below the threshold, noise 0.1), so a 10 % change flips no "
     "decision; `klaipeda_reopens.cfg` moves the threshold to -1"},
    {"actors.lithuania.transit.c_election",
     "the baseline's calendar has no election, so the election signal is"
     " always 0"},
    {"actors.lithuania.transit.c_us_pressure",
     "Lithuania keeps Klaipeda shut by a wide margin (its score stays "
     "far below the threshold, noise 0.1), so a 10 % change flips no "
     "decision; `klaipeda_reopens.cfg` moves the threshold to -1"},
    {"actors.lithuania.transit.c_status",
     "Lithuania keeps Klaipeda shut by a wide margin (its score stays "
     "far below the threshold, noise 0.1), so a 10 % change flips no "
     "decision; `klaipeda_reopens.cfg` moves the threshold to -1"},
    {"instruments.[5].cost",
     "`us_recognition` is never lifted: its cost to Washington (1.0 a "
     "round) is more than any batch of releases is worth to it"},
    {"instruments.[7].value",
     "`eu_potash` is never lifted in the baseline: the EU and its veto "
     "players agree to aviation only"},
    {"instruments.[7].cost",
     "`eu_potash` is never lifted in the baseline (see its value)"},
    {"instruments.[7].without_transit",
     "`eu_potash` is never lifted in the baseline (see its value)"},
    {"instruments.[8].value",
     "`eu_finance` is never lifted in the baseline: the EU and its veto "
     "players agree to aviation only (with a planning horizon of 36 "
     "rounds they agree to finance too: MODEL.md section 5.7)"},
    {"instruments.[8].cost",
     "`eu_finance` is never lifted in the baseline (see its value)"},
    {"instruments.[9].value",
     "`eu_trade` is never lifted: its cost to the EU (3.0 a round) is "
     "more than any deal offers it"},
    {"instruments.[9].cost",
     "`eu_trade` is never lifted (see its value); 3.3 keeps it off the "
     "table too"},
    {"calendar.[1].start",
     "Poland and Lithuania always renew the EU's sanctions (letting them"
     " lapse would cost them: eu_cost < 0), so when the renewal falls "
     "changes nothing"},
    {"calendar.[1].every",
     "as `calendar.[1].start`: every renewal renews"},
};

static void ref_inert(FILE *out)
{
    fputs("\n## Keys without effect in the baseline\n\n"
          "Moving one of these keys of `scenarios/baseline.cfg` by 10 % "
          "(of its value, or of its sensible range where it is 0) leaves "
          "`runs.csv` byte-identical over 200 replications with the "
          "same seed. Every other numeric key changes it, or the loader "
          "refuses the moved value as one the engine would ignore (an "
          "economic value on a diplomatic item, `without_transit` on an "
          "instrument that does not need transit, a length, factor or "
          "tension on an EU renewal). The test `test_perturb` checks "
          "both ways.\n\n"
          "| key | why it changes nothing in the baseline |\n|---|---|\n",
          out);
    for (size_t i = 0; i < sizeof inert / sizeof inert[0]; i++)
        fprintf(out, "| `%s` | %s |\n", inert[i].key, inert[i].why);
}

void sim_scenario_reference(FILE *out, const sim_registry *reg)
{
    fputs("# Scenario reference\n\n"
          "Generated by `sanctionsim keys`; every key a scenario file may "
          "hold, with its type, default, allowed range, unit and meaning. "
          "A key that is not listed here is an error. Integers are accepted "
          "where a float is expected. Any key can be changed from the "
          "command line with `--set path=value`, e.g. "
          "`--set actors.minsk.discount=0.9` or "
          "`--set instruments.[0].value=2.5`.\n\n"
          "Beside its hard range (a value outside it is an error) every "
          "numeric key has a *sensible* range: what a modeller plausibly "
          "means, with the expected sign (costs and Minsk's releases "
          "negative, gains positive). A value outside it is legal but "
          "earns a warning naming the file and line (or the `--set`) on "
          "`run`, `check` and `sweep`; `--strict` makes such warnings "
          "errors (exit 2).\n\n",
          out);
    ref_sections(out);
    ref_shocks(out);
    ref_actors(out, reg);
    ref_models(out, reg);
    ref_lists(out);
    ref_inert(out);
}
