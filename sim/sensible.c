/* sensible.c - the sensible range of every numeric scenario key, beside
 * its hard limits (issue 11). The hard limits (scenario.c, the models'
 * parameter tables, dist.c) say what the engine can compute; the sensible
 * range says what a modeller plausibly means. A value outside it, or with
 * the surprising sign (a cost given as a gain, a release that Minsk
 * enjoys), is legal but earns a warning (scenario_lint.c); `--strict`
 * makes it an error.
 *
 * A pattern is a dotted key path whose segments may be `*` (any actor,
 * role, shock or list element). The first matching entry wins, so
 * actor-specific entries come before the generic ones. Money is in $bn/yr
 * and utility in the baseline's units (1 = $1 bn/yr of relief for a
 * round), which is what the weight ranges assume. */
#include <string.h>

#include <sanctionsim/scenario.h>

typedef struct sensible {
    const char *pattern;
    double lo, hi;
    const char *why; /* what a value outside suggests, or NULL */
} sensible;

#define COST "a cost given as a gain?"
#define GAIN "a gain given as a cost?"

static const sensible table[] = {
    /* top level */
    {"rounds", 1, 240, "more than 20 years of monthly rounds?"},
    {"round_months", 1, 12, NULL},
    {"planning_horizon", 0, 600, "a planning horizon of more than 50 years "
                                 "of monthly rounds? 0 means an infinite "
                                 "future"},
    {"replications", 1, 1e7, NULL},
    {"seed", 0, 9.3e18, NULL},
    {"prisoners.*", 0, 20000, "more political prisoners than Belarus has "
                              "ever held?"},
    {"tension.start", 0, 20, NULL},
    {"tension.decay", 0, 0.99, "tension that never fades?"},
    {"tension.drone", 0, 5, NULL},
    {"tension.spy", 0, 5, NULL},
    {"tension.foreign_arrest", 0, 5, NULL},
    {"moscow.sensitivity", 0, 10, NULL},
    {"moscow.memory", 1, 60, NULL},
    {"moscow.freeze_rounds", 0, 24, NULL},
    {"revolving_door.elasticity", 0, 10, NULL},
    {"revolving_door.reference_price", 0.0001, 1, "a price per prisoner in "
                                                 "$m/yr rather than $bn/yr?"},
    {"bargaining.stages", 1, 10000, NULL},
    {"bargaining.breakdown", 0, 0.5, "talks that break down at most "
                                     "rejections?"},
    {"bargaining.max_release", 0, 2000, NULL},
    {"bargaining.max_instruments", 0, 12, NULL},
    {"bargaining.pressure_memory", 0, 60, NULL},
    {"stop.no_deal_rounds", 0, 240, NULL},
    /* shocks (per round; per-prisoner probabilities for deaths and
     * completions) */
    {"shocks.deaths.p", 0, 0.01, "a death rate per prisoner and round?"},
    {"shocks.completions.p", 0, 0.2, NULL},
    {"shocks.arrests.mean", 0, 500, NULL},
    {"shocks.*.p", 0, 1, NULL},
    {"shocks.*.mean", 0, 100, NULL},
    {"shocks.*.n", 0, 10000, NULL},
    {"shocks.*.shape", 0, 1000, NULL},
    {"shocks.*.scale", 0, 1000, NULL},
    {"shocks.*.zeta", -20, 10, NULL},
    {"shocks.*.sigma", 0, 5, NULL},
    {"shocks.*.a", 0, 1e5, NULL},
    {"shocks.*.b", 0, 1e5, NULL},
    {"shocks.*.low", 0, 1000, NULL},
    {"shocks.*.high", 0, 1000, NULL},
    {"shocks.*.value", 0, 1000, NULL},
    /* actors: discounts, then weights with their expected signs */
    {"actors.*.discount", 0.8, 1, "more than 20 % lost per month?"},
    {"actors.*.stage_discount", 0.5, 1, NULL},
    {"actors.minsk.weights.relief", 0, 10, GAIN},
    {"actors.minsk.weights.recognition", 0, 10, GAIN},
    {"actors.minsk.weights.released_ordinary", -10, 0,
     "Minsk gaining from a release?"},
    {"actors.minsk.weights.released_foreign", -10, 0,
     "Minsk gaining from a release?"},
    {"actors.minsk.weights.released_high_profile", -10, 0,
     "Minsk gaining from a release?"},
    {"actors.*.weights.released_ordinary", 0, 10, GAIN},
    {"actors.*.weights.released_foreign", 0, 10, GAIN},
    {"actors.*.weights.released_high_profile", 0, 10, GAIN},
    {"actors.*.weights.us_cost", -10, 0, COST},
    {"actors.*.weights.eu_cost", -10, 0, COST},
    {"actors.*.weights.tension", -10, 0, "tension as a gain?"},
    {"actors.*.weights.pl_exposure", -10, 0, COST},
    {"actors.*.weights.lt_exposure", -10, 0, COST},
    {"actors.*.weights.moscow_freeze", -10, 0, COST},
    {"actors.*.weights.*", -10, 10, NULL},
    /* decision models' parameters (actors.<actor>.<role>.<parameter>) */
    {"actors.*.*.threshold", -100, 100, NULL},
    {"actors.*.*.noise", 0, 10, NULL},
    {"actors.*.*.c_*", -100, 100, NULL},
    {"actors.*.*.power", 0, 1, NULL},
    {"actors.*.*.lambda", 0, 1000, NULL},
    {"actors.*.*.opening", 0, 1, NULL},
    {"actors.*.*.generosity", 0, 10, NULL},
    {"actors.*.*.forgiveness", 0, 1, NULL},
    {"actors.*.*.tolerance", 0, 1, NULL},
    {"actors.*.*.type_*", -100, 100, NULL},
    {"actors.*.*.prob_*", 0, 1000, NULL},
    /* lists */
    {"instruments.*.value", 0, 20, "more than Belarus's blocked exports "
                                   "($16-18 bn/yr)?"},
    {"instruments.*.cost", 0, 10, NULL},
    {"instruments.*.without_transit", 0, 1, NULL},
    {"calendar.*.start", 1, 240, NULL},
    {"calendar.*.rounds", 1, 36, NULL},
    {"calendar.*.every", 0, 120, NULL},
    {"calendar.*.factor", 0, 100, NULL},
    {"calendar.*.tension", 0, 10, NULL},
};

/* True if segment q of the query matches segment p of a pattern: `*`
 * matches any segment, `x_*` any segment starting with `x_`; a query
 * segment that is itself a placeholder (`*`, `<actor>`, `[i]`) matches
 * only `*`. */
static bool segment_match(const char *p, size_t plen, const char *q,
                          size_t qlen)
{
    bool q_any = (qlen == 1 && q[0] == '*') || (qlen && q[0] == '<') ||
                 (qlen && q[0] == '[' && !(qlen > 1 && q[1] >= '0' &&
                                           q[1] <= '9'));
    if (plen == 1 && p[0] == '*')
        return true;
    if (q_any)
        return false;
    if (plen && p[plen - 1] == '*')
        return qlen >= plen - 1 && memcmp(p, q, plen - 1) == 0;
    return plen == qlen && memcmp(p, q, plen) == 0;
}

static bool path_match(const char *p, const char *q)
{
    for (;;) {
        size_t pl = strcspn(p, "."), ql = strcspn(q, ".");
        if (!segment_match(p, pl, q, ql))
            return false;
        p += pl;
        q += ql;
        if (!*p || !*q)
            return !*p && !*q;
        p++;
        q++;
    }
}

bool sim_key_sensible(const char *path, double *lo, double *hi,
                      const char **why)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (path_match(table[i].pattern, path)) {
            *lo = table[i].lo;
            *hi = table[i].hi;
            if (why)
                *why = table[i].why;
            return true;
        }
    return false;
}
