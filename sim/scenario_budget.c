/* scenario_budget.c - what one round of a scenario costs: the deals of
 * each track's bargaining game, the steps a round's bargaining may take
 * (time) and the bytes a worker's workspace holds (memory), and the check
 * that refuses a scenario beyond either bound, naming the keys to lower. */
#include <sanctionsim/scenario.h>

#include <stdio.h>

#include <sanctionsim/bargain.h>

/* Number of packages of at most k instruments out of m. */
static long count_packages(int m, int k)
{
    long total = 0, c = 1;
    for (int j = 0; j <= k && j <= m; j++) {
        total += c;
        c = c * (m - j) / (j + 1);
    }
    return total;
}

/* Instruments of one imposer. */
static int track_instruments(const sim_scenario *sc, sim_imposer imposer)
{
    int m = 0;
    for (int i = 0; i < sc->n_instruments; i++)
        m += sc->instrument[i].imposer == imposer;
    return m;
}

/* Deals of one track's game: its packages times 0..max_release. */
static long track_deals(const sim_scenario *sc, sim_imposer imposer)
{
    long packages = count_packages(track_instruments(sc, imposer),
                                   sc->bargaining.max_instruments);
    return packages * ((long)sc->bargaining.max_release + 1);
}

/* True if the EU track bargains at all (track.c skips it without
 * instruments on the table). */
static bool eu_bargains(const sim_scenario *sc)
{
    return sc->eu.enabled && track_instruments(sc, SIM_IMPOSER_EU) > 0;
}

long sim_scenario_deals(const sim_scenario *sc)
{
    long us = track_deals(sc, SIM_IMPOSER_US);
    long eu = track_deals(sc, SIM_IMPOSER_EU);
    return us > eu ? us : eu;
}

double sim_scenario_round_work(const sim_scenario *sc)
{
    /* Each stage a model may scan the whole table once or twice (qre's
     * logit offer, nash, bayesian, reciprocal), on both tracks. */
    double deals = (double)track_deals(sc, SIM_IMPOSER_US);
    if (eu_bargains(sc))
        deals += (double)track_deals(sc, SIM_IMPOSER_EU);
    return deals * (double)sc->bargaining.stages;
}

double sim_scenario_round_bytes(const sim_scenario *sc)
{
    /* The game (sized for the larger track, reused by both), the values
     * of releasing 0..max_release prisoners per side, and the relief of
     * every round (workspace.c). */
    /* At most 4096 packages x 100001 counts: deals fit an int. */
    int deals = (int)sim_scenario_deals(sc);
    return sim_bargain_bytes(deals, sc->bargaining.stages) +
           2.0 * sizeof(double) * ((double)sc->bargaining.max_release + 1) +
           sizeof(double) * (double)sc->rounds;
}

int sim_scenario_check_work(const sim_scenario *sc, sim_err *err)
{
    long us = track_deals(sc, SIM_IMPOSER_US);
    long eu = eu_bargains(sc) ? track_deals(sc, SIM_IMPOSER_EU) : 0;
    double work = sim_scenario_round_work(sc);
    double mib = sim_scenario_round_bytes(sc) / (1024.0 * 1024.0);
    double max_mib = SIM_MAX_ROUND_BYTES / (1024.0 * 1024.0);
    bool slow = work > SIM_MAX_ROUND_WORK;
    bool big = mib > max_mib;
    if (!slow && !big)
        return 0;
    char eu_part[160] = "", why[320] = "";
    if (eu > 0)
        snprintf(eu_part, sizeof eu_part,
                 " and the eu's %ld (of the %d eu instruments)", eu,
                 track_instruments(sc, SIM_IMPOSER_EU));
    int n = 0;
    if (big)
        n = snprintf(why, sizeof why,
                     "would allocate %.0f MiB, more than the %.0f MiB "
                     "allowed",
                     mib, max_mib);
    if (slow && n >= 0 && (size_t)n < sizeof why)
        snprintf(why + n, sizeof why - (size_t)n,
                 "%stakes %.3g steps a round (deals x bargaining.stages = "
                 "%d), more than the %.0e allowed",
                 big ? ", and " : "", work, sc->bargaining.stages,
                 SIM_MAX_ROUND_WORK);
    return sim_error(err, SIM_E_SCENARIO,
                     "%s: a round's bargaining is too large: washington's "
                     "game holds %ld deals (packages of up to "
                     "bargaining.max_instruments = %d of the %d us instruments "
                     "x 0..bargaining.max_release = %d prisoners)%s; it %s; "
                     "lower bargaining.max_release, max_instruments or "
                     "stages",
                     sc->file, us, sc->bargaining.max_instruments,
                     track_instruments(sc, SIM_IMPOSER_US),
                     sc->bargaining.max_release, eu_part, why);
}
