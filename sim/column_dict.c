/* column_dict.c - what each column of runs.csv and summary.csv holds and
 * in which unit: the data of columns.csv, from the same column table as
 * the CSV files (MODEL.md section 8 defines the quantities). */
#include "columns.h"

#include <string.h>

/* Unit and meaning of each column id; a meaning with %s names the
 * column's kind, instrument, actor or stop. Money is in the unit of the
 * instruments' values, $bn per year. */
static const struct {
    const char *unit;
    const char *meaning;
} dict[] = {
    [C_REP] = {"", "replication number, 0-based"},
    [C_SEED] = {"", "the replication's own random seed (seed(master, rep, 0))"},
    [C_STOP] = {"", "why the replication ended: horizon, all_released, "
                    "all_lifted or talks_broken"},
    [C_ROUNDS] = {"rounds", "rounds played"},
    [C_US_DEALS] = {"deals", "deals struck with Washington"},
    [C_EU_DEALS] = {"deals", "EU deals applied (not vetoed)"},
    [C_RELEASED_TOTAL] = {"persons", "prisoners released in deals"},
    [C_RELEASED_KIND] = {"persons", "%s prisoners released in deals"},
    [C_PRISONERS_START] = {"persons", "prisoners held at the start"},
    [C_PRISONERS_END] = {"persons", "prisoners held at the end"},
    [C_ARRESTS] = {"persons", "new prisoners: ordinary and foreign arrests"},
    [C_COMPLETIONS] = {"persons", "prisoners freed at the end of their "
                                  "sentence"},
    [C_DEATHS] = {"persons", "deaths in custody"},
    [C_FIRST_US] = {"round", "round of the first US deal; empty if none"},
    [C_FIRST_EU] = {"round", "round of the first applied EU deal that lifts "
                             "an instrument; empty if none"},
    [C_PL_CLOSED] = {"rounds", "rounds with Poland's border closed"},
    [C_KLAIPEDA_END] = {"0/1", "Klaipeda potash transit open at the end"},
    [C_DRONES] = {"incidents", "drone incursions"},
    [C_SPIES] = {"scandals", "spy scandals"},
    [C_FREEZES] = {"freezes", "Moscow freezes started"},
    [C_PRICE] = {"$bn/yr per person",
                 "going price: face value of the relief lifted in deals per "
                 "prisoner released in deals, at the end; empty if none was "
                 "released"},
    [C_LIFTED_ROUND] = {"round", "round in which %s was lifted in a deal or "
                                 "lapsed; 0 if before round 1; empty if "
                                 "never"},
    [C_UTILITY] = {"utility", "%s's discounted utility over the run"},
    [C_EU_VETOES] = {"vetoes", "EU deals vetoed"},
    [C_FOREIGN_ARRESTS] = {"persons", "foreign nationals arrested"},
    [C_PRISONERS_END_KIND] = {"persons", "%s prisoners held at the end"},
    [C_LT_CLOSED] = {"rounds", "rounds with Lithuania's border closed"},
    [C_DISTRACTED] = {"rounds", "rounds with Washington's attention elsewhere"},
    [C_FROZEN] = {"rounds", "rounds with a Moscow freeze in force"},
    [C_RELIEF_END] = {"$bn/yr", "economic value to Minsk of the instruments "
                                "lifted, at the end (after the transit "
                                "dependency)"},
    [C_STATUS] = {"", "status of %s at the end: active, lifted or lapsed"},
    [C_ANY_US] = {"proportion", "replications with at least one US deal"},
    [C_ANY_EU] = {"proportion", "replications with at least one applied EU "
                                "deal that lifts an instrument"},
    [C_STOPPED] = {"proportion", "replications that ended by %s"},
    [C_LIFTED_BY_END] = {"proportion", "replications in which %s is not "
                                       "active at the end (lifted or "
                                       "lapsed)"},
};

_Static_assert(sizeof dict / sizeof dict[0] == C_LIFTED_BY_END + 1,
               "every column id has a unit and a meaning");

const char *sim_column_unit(const sim_column *c)
{
    return dict[c->id].unit;
}

/* On the stack (about 26 kB), so that it cannot fail: */
const char *sim_column_unit_by_name(const char *name)
{
    sim_scenario sc = {0};
    sim_column c[SIM_MAX_COLUMNS];
    const char *unit = "";
    size_t best = 0;
    /* exact names from a scenario without instruments, then the prefixes
     * of the instruments' columns (one instrument named "") */
    for (int pass = 0; pass < 2 && !best; pass++) {
        sc.n_instruments = pass;
        int n = sim_columns_list(&sc, c);
        for (int i = 0; i < n; i++) {
            size_t len = strlen(c[i].name);
            bool hit = pass == 0 ? strcmp(c[i].name, name) == 0
                                 : len > best && strlen(name) > len &&
                                       strncmp(name, c[i].name, len) == 0;
            if (hit) {
                unit = sim_column_unit(&c[i]);
                best = len ? len : 1;
            }
        }
    }
    return unit;
}

/* The name a named column's %s stands for. */
static const char *named(const sim_column *c, const sim_scenario *sc)
{
    switch (c->id) {
    case C_RELEASED_KIND:
    case C_PRISONERS_END_KIND:
        return sim_kind_name(c->index);
    case C_UTILITY:
        return sim_actor_name(c->index);
    case C_STOPPED:
        return sim_stop_name(c->index);
    case C_LIFTED_ROUND:
    case C_STATUS:
    case C_LIFTED_BY_END:
        return sc->instrument[c->index].name;
    default:
        return "";
    }
}

void sim_column_meaning(const sim_column *c, const sim_scenario *sc, char *buf,
                        size_t size)
{
    const char *m = dict[c->id].meaning;
    const char *at = strstr(m, "%s");
    if (at)
        snprintf(buf, size, "%.*s%s%s", (int)(at - m), m, named(c, sc), at + 2);
    else
        snprintf(buf, size, "%s", m);
}

/* Writes s as an RFC 4180 field: quoted (quotes doubled) if it holds a
 * comma, a quote or a line break. */
static void put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void sim_columns_write_dictionary(FILE *f, const sim_column *cols, int n,
                                  const sim_scenario *sc)
{
    fputs("column,unit,meaning,in_runs,summarized\n", f);
    for (int i = 0; i < n; i++) {
        char meaning[256];
        sim_column_meaning(&cols[i], sc, meaning, sizeof meaning);
        put_field(f, cols[i].name);
        fputc(',', f);
        put_field(f, sim_column_unit(&cols[i]));
        fputc(',', f);
        put_field(f, meaning);
        fprintf(f, ",%d,%d\n", cols[i].in_runs, cols[i].summarize);
    }
}
