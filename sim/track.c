/* track.c - one bargaining track of a round (Washington-Minsk or EU-Minsk):
 * which prisoners Minsk would release, the game of feasible deals (solved
 * by backward induction in bargain.c), and the alternating-offers protocol
 * that the actors' models play on it (MODEL.md section 4). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "workspace_impl.h"

_Static_assert(SIM_MAX_INSTRUMENTS <= 15, "masks of the instruments < 2^15");

/* Bits set in x (x < 2^16), without branches. */
static int popcount(unsigned x)
{
    x = x - ((x >> 1) & 0x5555u);
    x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
    x = (x + (x >> 4)) & 0x0f0fu;
    return (int)((x + (x >> 8)) & 0x1fu);
}

/* The least mask above `mask` with at most k bits set, or `end` if none is
 * below end (end <= 2^15): every mask from m to m + (its lowest bit) - 1
 * holds m's bits, so when m has more than k, all of them do, and the
 * search jumps past them. */
static unsigned next_mask(unsigned mask, int k, unsigned end)
{
    unsigned m = mask + 1;
    while (m < end && popcount(m) > k)
        m += m & (0u - m);
    return m < end ? m : end;
}

/* Fills order[] with the kinds in the order Minsk releases them. Sort key
 * (group, key): kinds that cost Minsk nothing come first, the most valued
 * first; then kinds the other side values, cheapest per unit of its gain
 * first; then the rest, cheapest first. */
static void release_order(const sim_workspace *ws, int other, double Am,
                          double Ao, int *order)
{
    int group[SIM_N_KINDS];
    double key[SIM_N_KINDS];
    for (int k = 0; k < SIM_N_KINDS; k++) {
        double cost = -sim_utility_release_gain(ws, SIM_ACTOR_MINSK, k, Am);
        double value = sim_utility_release_gain(ws, other, k, Ao);
        if (cost <= 0) {
            group[k] = 0;
            key[k] = -value;
        } else if (value > 0) {
            group[k] = 1;
            key[k] = cost / value;
        } else {
            group[k] = 2;
            key[k] = cost;
        }
        order[k] = k;
    }
    for (int i = 1; i < SIM_N_KINDS; i++) /* insertion sort, stable */
        for (int j = i; j > 0; j--) {
            int a = order[j], b = order[j - 1];
            if (group[a] > group[b] ||
                (group[a] == group[b] && !(key[a] < key[b])))
                break;
            order[j] = b;
            order[j - 1] = a;
        }
}

/* Sets the order in which Minsk releases prisoners (ws->release_kind,
 * release_take: all it holds of each kind in turn) and returns nmax, the
 * most it releases in a deal (at most max_release, at most the prisoners
 * held): first the kind that costs it least per unit of the other side's
 * gain (kinds the other side does not value come last, cheapest first). */
static int fill_composition(sim_workspace *ws, int other, double Am, double Ao)
{
    release_order(ws, other, Am, Ao, ws->release_kind);
    for (int j = 0; j < SIM_N_KINDS; j++)
        ws->release_take[j] = ws->stock[ws->release_kind[j]];
    long avail = sim_workspace_held(ws);
    return ws->max_release < avail ? ws->max_release : (int)avail;
}

void sim_track_composition(const sim_workspace *ws, int n, long *out)
{
    long left = n;
    for (int j = 0; j < SIM_N_KINDS; j++) {
        long take = left < ws->release_take[j] ? left : ws->release_take[j];
        out[ws->release_kind[j]] = take;
        left -= take;
    }
}

/* rel[n] for n = lo..hi, the release gain of a deal of n prisoners:
 * sum over kinds k of count_k(n) rg[k], from 0 in kind order, where every
 * count but kind v's is c[k] and kind v's is n - start; nd[i] is (double)i
 * (ws->count_double: a load instead of a conversion, the same double). */
static void release_piece(double *restrict rel, int lo, int hi, const long *c,
                          int v, int start, const double *rg,
                          const double *restrict nd)
{
    double p[SIM_N_KINDS];
    for (int k = 0; k < SIM_N_KINDS; k++)
        p[k] = (double)c[k] * rg[k];
    /* The sum's order as a loop over k would have it, one loop per
     * growing kind, so that each vectorizes. */
    _Static_assert(SIM_N_KINDS == 3, "release_piece adds three kinds");
    double r = rg[v];
    const double *x = nd - start; /* x[n] = (double)(n - start) */
    /* A partial sum that starts as 0.0 + t is never -0 (0.0 + -0 is +0,
     * and a sum is -0 only of two -0), and adding a zero of either sign
     * to a y that is not -0 gives y, bit for bit (NaN included): so a
     * term p[k] that is a zero (the usual c[k] = 0) may be left out. */
    if (v == 0 && p[2] == 0.0 && p[1] == 0.0)
        for (int n = lo; n <= hi; n++)
            rel[n] = 0.0 + x[n] * r;
    else if (v == 0 && p[2] == 0.0)
        for (int n = lo; n <= hi; n++)
            rel[n] = (0.0 + x[n] * r) + p[1];
    else if (v == 0)
        for (int n = lo; n <= hi; n++)
            rel[n] = ((0.0 + x[n] * r) + p[1]) + p[2];
    else if (v == 1 && p[2] == 0.0)
        for (int n = lo; n <= hi; n++)
            rel[n] = (0.0 + p[0]) + x[n] * r;
    else if (v == 1)
        for (int n = lo; n <= hi; n++)
            rel[n] = ((0.0 + p[0]) + x[n] * r) + p[2];
    else
        for (int n = lo; n <= hi; n++)
            rel[n] = ((0.0 + p[0]) + p[1]) + x[n] * r;
}

/* True if x[0..n-1] and y[0..n-1] are the same doubles, bit for bit
 * (memcmp compares the bytes: -0 and 0 differ, a NaN equals its copy). */
static bool same_bits(const double *x, const double *y, int n)
{
    return memcmp(x, y, sizeof(double) * (size_t)n) == 0;
}

/* True if two release keys are equal (the unit gains bit for bit). */
static bool same_key(const sim_release_key *a, const sim_release_key *b)
{
    return a->nmax == b->nmax &&
           !memcmp(a->kind, b->kind, sizeof a->kind) &&
           !memcmp(a->hi, b->hi, sizeof a->hi) &&
           same_bits(a->rg[0], b->rg[0], SIM_N_KINDS) &&
           same_bits(a->rg[1], b->rg[1], SIM_N_KINDS);
}

/* The key of the release curves for nmax (see sim_release_key) but the
 * unit gains, zeroed: the pieces of the composition that start at most at
 * nmax, each up to its end clipped to nmax. */
static void release_key(const sim_workspace *ws, int nmax,
                        sim_release_key *key)
{
    memset(key, 0, sizeof *key);
    key->nmax = nmax;
    long start = 0;
    for (int j = 0; j < SIM_N_KINDS; j++) {
        long end = start + ws->release_take[j];
        key->kind[j] = start <= nmax ? ws->release_kind[j] : -1;
        key->hi[j] = start <= nmax ? (end < nmax ? end : nmax) : -1;
        start = end;
    }
}

/* Release gains per n = 0..nmax, for both sides, once for all packages,
 * into ws->release_value[slot]: the composition is piecewise, one kind
 * growing at a time. Returns true if each side's curve is monotone over
 * 0..nmax with no NaN: every piece of more than one count grows with a
 * unit gain of one sign (n r, plus constants in a fixed order, is monotone
 * in n: rounding is), all unit gains far from overflow.
 *
 * The slot's curves are kept with their key: when the key repeats (same
 * unit gains bit for bit, same pieces up to nmax), the values in the
 * buffer are the ones this fill would write, and are left as they are
 * (about half of the baseline's games). */
static bool fill_release_values(sim_workspace *ws, int slot, const int *sides,
                                const double *A, int nmax, bool *hit)
{
    sim_release_key key;
    release_key(ws, nmax, &key);
    double(*rg)[SIM_N_KINDS] = key.rg;
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < SIM_N_KINDS; k++)
            rg[s][k] = sim_utility_release_gain(ws, sides[s], k, A[s]);
    *hit = ws->release_valid[slot] && same_key(&key, &ws->release_key[slot]);
    if (*hit)
        return ws->release_mono[slot];
    bool mono = true;
    for (int s = 0; s < 2; s++) {
        for (int k = 0; k < SIM_N_KINDS; k++)
            mono = mono && fabs(rg[s][k]) <= 1e280;
        bool rises = false, falls = false;
        long c[SIM_N_KINDS] = {0}, start = 0;
        for (int j = 0; j < SIM_N_KINDS && start <= nmax; j++) {
            int v = ws->release_kind[j];
            long end = start + ws->release_take[j];
            int hi = end < nmax ? (int)end : nmax;
            release_piece(ws->release_value[slot][s], (int)start, hi, c, v,
                          (int)start, rg[s], ws->count_double);
            rises = rises || (hi > start && rg[s][v] > 0);
            falls = falls || (hi > start && rg[s][v] < 0);
            c[v] = ws->release_take[j];
            start = end; /* the pieces share their ends: the same value */
        }
        mono = mono && !(rises && falls);
    }
    ws->release_key[slot] = key;
    ws->release_mono[slot] = mono;
    ws->release_valid[slot] = true;
    return mono;
}

/* The gain of each side from lifting a package for good (the view `now`
 * with the status `lifted`): A[s] times the side's utility of the change
 * of features from f_now, the features of `now`, computed as
 * sim_utility_gain does. */
static void package_gains(const sim_workspace *ws, const int *sides,
                          const double *A, const sim_view *now,
                          const double *f_now, const sim_status_kind *lifted,
                          double *pkg_gain)
{
    sim_view after = *now;
    after.status = lifted;
    double diff[SIM_N_FEATURES];
    sim_utility_features(ws, &after, diff);
    for (int i = 0; i < SIM_N_FEATURES; i++)
        diff[i] -= f_now[i];
    for (int s = 0; s < 2; s++)
        pkg_gain[s] = A[s] * sim_utility_dot(ws->w[sides[s]], diff);
}


/* The cache of track slot for this game, or NULL when it cannot serve:
 * too many packages, or a feature that need not cancel (tension not
 * finite). *hit: its gains are this game's (else it is cleared for
 * filling). The key is all that package_gains reads but the features that
 * the lifted view shares with the present one (x - x is 0 for finite x). */
static sim_pkg_cache *pkg_cache(sim_workspace *ws, int slot, const int *sides,
                                const double *A, const int *on_table, int m,
                                bool *hit)
{
    sim_pkg_cache *c = &ws->pkg_cache[slot];
    int n = ws->sc->n_instruments;
    *hit = false;
    if (m > 8 || !isfinite(ws->tension)) {
        c->valid = false;
        return NULL;
    }
    size_t wbytes = sizeof c->w[0];
    if (c->valid && c->klaipeda == ws->klaipeda_open && c->other == sides[1] &&
        c->m == m &&
        !memcmp(c->on_table, on_table, sizeof c->on_table[0] * (size_t)m) &&
        !memcmp(c->status, ws->status, sizeof c->status[0] * (size_t)n) &&
        same_bits(c->w[0], ws->w[sides[0]], SIM_N_FEATURES) &&
        same_bits(c->w[1], ws->w[sides[1]], SIM_N_FEATURES) &&
        same_bits(c->A, A, 2)) {
        *hit = true;
        return c;
    }
    c->valid = false;
    c->klaipeda = ws->klaipeda_open;
    c->other = sides[1];
    c->m = m;
    memcpy(c->on_table, on_table, sizeof c->on_table[0] * (size_t)m);
    memcpy(c->status, ws->status, sizeof c->status[0] * (size_t)n);
    memcpy(c->w[0], ws->w[sides[0]], wbytes);
    memcpy(c->w[1], ws->w[sides[1]], wbytes);
    memcpy(c->A, A, sizeof c->A);
    return c;
}

/* The deals of the game: every package of at most max_instruments of the
 * m instruments on_table[], times 0..nmax prisoners; visible[s] is side s's
 * bonus for a visible deal; slot: the track (0 US, 1 EU); cache, hit: its
 * cache of package gains (pkg_cache). Returns 0 or SIM_E_INTERNAL on
 * overflow. */
static int add_deals(sim_workspace *ws, int slot, sim_pkg_cache *cache,
                     bool hit, const int *sides, const double *A,
                     const int *on_table, int m, int nmax,
                     const double *visible, sim_err *err)
{
    sim_view now = sim_utility_view(ws);
    double f_now[SIM_N_FEATURES];
    if (!hit)
        sim_utility_features(ws, &now, f_now);
    sim_status_kind lifted_status[SIM_MAX_INSTRUMENTS];
    const double *rel[2] = {ws->release_value[slot][0],
                            ws->release_value[slot][1]};
    const double none[2] = {0.0, 0.0};
    double pkg_gain[2];
    int k = ws->sc->bargaining.max_instruments;
    unsigned end = 1u << m; /* the packages, in increasing mask order */
    for (unsigned mask = 0; mask < end; mask = next_mask(mask, k, end)) {
        unsigned package = 0;
        for (int j = 0; j < m; j++)
            package |= ((mask >> j) & 1u) << on_table[j];
        if (hit) {
            pkg_gain[0] = cache->gain[mask][0];
            pkg_gain[1] = cache->gain[mask][1];
        } else {
            memcpy(lifted_status, ws->status, sizeof lifted_status);
            for (int j = 0; j < m; j++)
                if (mask & (1u << j))
                    lifted_status[on_table[j]] = SIM_STATUS_LIFTED;
            package_gains(ws, sides, A, &now, f_now, lifted_status, pkg_gain);
            if (cache) {
                cache->gain[mask][0] = pkg_gain[0];
                cache->gain[mask][1] = pkg_gain[1];
            }
        }
        /* The empty deal (no instrument, nobody released) is the
         * disagreement point itself: no visibility bonus. */
        int from = 0;
        if (!package) {
            if (sim_bargain_add_chain(&ws->game, 0, 0, 0, pkg_gain, rel, none) <
                0)
                return sim_error(err, SIM_E_INTERNAL,
                                 "bargaining game overflow");
            from = 1;
        }
        if (from <= nmax &&
            sim_bargain_add_chain(&ws->game, package, from, nmax, pkg_gain, rel,
                                  visible) < 0)
            return sim_error(err, SIM_E_INTERNAL, "bargaining game overflow");
    }
    if (cache)
        cache->valid = true;
    return 0;
}

/* True if instrument i is on the table of the track with `other`: still
 * active, imposed by `imposer`, offered by its negotiator (offers.c), and
 * `other` is not in an engagement-only phase of the calendar (then its
 * deals lift nothing: prisoners for a visible deal, a visit). */
static bool offered(const sim_workspace *ws, sim_actor other,
                    sim_imposer imposer, int i)
{
    const sim_instrument_spec *in = &ws->sc->instrument[i];
    return ws->status[i] == SIM_STATUS_ACTIVE && in->imposer == imposer &&
           !in->withheld && !ws->engagement_only[other];
}

/* Makes ws->game the game of track slot's last build (see spare_game):
 * swaps in the spare, or, without one, forgets the other track's game. */
static void select_game(sim_workspace *ws, int slot)
{
    if (ws->game_slot == slot)
        return;
    if (ws->spare_game.chains) {
        sim_bargain t = ws->game;
        ws->game = ws->spare_game;
        ws->spare_game = t;
    } else {
        ws->game_valid[ws->game_slot] = false;
    }
    ws->game_slot = slot;
}

int sim_track_build(sim_workspace *ws, sim_actor other, sim_imposer imposer,
                    bool pressed, int *m_out, sim_err *err)
{
    const sim_scenario *sc = ws->sc;
    int on_table[SIM_MAX_INSTRUMENTS], m = 0;
    for (int i = 0; i < sc->n_instruments; i++) {
        on_table[m] = i; /* kept if on the table */
        m += offered(ws, other, imposer, i);
    }
    *m_out = m;

    const int sides[2] = {SIM_ACTOR_MINSK, other};
    double A[2];
    for (int s = 0; s < 2; s++)
        A[s] = ws->annuity[sides[s]];
    int nmax = fill_composition(ws, other, A[0], A[1]);

    int slot = imposer == SIM_IMPOSER_EU;
    select_game(ws, slot);
    bool rel_hit, pkg_hit;
    bool mono = fill_release_values(ws, slot, sides, A, nmax, &rel_hit);
    int deal_feature =
        imposer == SIM_IMPOSER_US ? SIM_FEATURE_US_DEAL : SIM_FEATURE_EU_DEAL;
    double visible[2];
    for (int s = 0; s < 2; s++)
        visible[s] =
            ws->w[sides[s]][deal_feature] +
            (pressed ? ws->w[sides[s]][SIM_FEATURE_PRESSED_EU_DEAL] : 0.0);
    sim_pkg_cache *cache = pkg_cache(ws, slot, sides, A, on_table, m, &pkg_hit);
    /* Everything the game is built from is as at the slot's last build:
     * the release curves (and nmax), the package gains (and the sides,
     * the instruments on the table), the visibility bonuses; the rest
     * (stages, discounts, proposer) is the scenario's. That game, solved,
     * is the one this build would make. */
    if (rel_hit && pkg_hit && ws->game_valid[slot] &&
        same_bits(ws->game_visible[slot], visible, 2))
        return 0;
    ws->game_valid[slot] = false;

    double keep = 1.0 - sc->bargaining.breakdown;
    sim_bargain *g = &ws->game;
    sim_bargain_reset(g, sc->bargaining.stages, sc->bargaining.first_proposer,
                      sc->actor[SIM_ACTOR_MINSK].stage_discount * keep,
                      sc->actor[other].stage_discount * keep);
    g->infinite = sc->bargaining.infinite;
    g->side_actor[0] = SIM_ACTOR_MINSK;
    g->side_actor[1] = other;
    if (mono) {
        const double *rel[2] = {ws->release_value[slot][0],
                                ws->release_value[slot][1]};
        sim_bargain_monotone(g, rel, nmax);
    }
    int rc = add_deals(ws, slot, cache, pkg_hit, sides, A, on_table, m, nmax,
                       visible, err);
    if (rc)
        return rc;
    sim_bargain_solve(g);
    memcpy(ws->game_visible[slot], visible, sizeof visible);
    ws->game_valid[slot] = true;
    return 0;
}

/* Stage t of the protocol: the proposer's model offers a deal (or no
 * serious offer), the responder's model accepts or rejects it, and both
 * learn the outcome. *agreed gets the accepted deal, or -1. */
static int play_stage(sim_workspace *ws, const int *sides, int t, int *agreed,
                      sim_err *err)
{
    const sim_bargain *g = &ws->game;
    int P = sim_bargain_proposer(g, t), R = 1 - P;
    sim_decision d = {0};
    sim_action a;
    *agreed = -1;
    d.game = g;
    d.stage = t;
    d.side = P;
    sim_decision_signals(ws, sides[P], 0.0, 0.0, &d);
    int rc = sim_decision_decide(ws, sides[P], SIM_ROLE_OFFER, &d, &a, err);
    if (rc || !(a.deal > 0 && a.deal < g->n_deals))
        return rc;
    sim_decision r = {0};
    sim_action ra;
    r.game = g;
    r.stage = t;
    r.side = R;
    r.deal = a.deal;
    sim_decision_signals(ws, sides[R], sim_bargain_gain(g, R, a.deal), 0.0,
                         &r);
    if ((rc =
             sim_decision_decide(ws, sides[R], SIM_ROLE_RESPOND, &r, &ra, err)))
        return rc;
    sim_decision_observe(ws, sides[P], SIM_ROLE_OFFER, &d, ra.act);
    sim_decision_observe(ws, sides[R], SIM_ROLE_RESPOND, &r, ra.act);
    if (ra.act)
        *agreed = a.deal;
    return 0;
}

int sim_track_run(sim_workspace *ws, sim_actor other, sim_imposer imposer,
                  bool pressed, sim_track_result *tr, sim_err *err)
{
    const sim_scenario *sc = ws->sc;
    const int sides[2] = {SIM_ACTOR_MINSK, other};
    tr->deal = -1;
    tr->stage = 0;
    /* Washington can trade a visible deal for prisoners with nothing on
     * the table (the "visits" of 2025); the EU bargains only over its
     * instruments. */
    int m = 0;
    for (int i = 0; i < sc->n_instruments; i++)
        m += offered(ws, other, imposer, i);
    if (m == 0 && imposer == SIM_IMPOSER_EU)
        return 0;
    int rc = sim_track_build(ws, other, imposer, pressed, &m, err);
    if (rc)
        return rc;

    /* The protocol: alternating offers, with breakdown risk. Deal 0, the
     * empty deal added first by sim_track_build, is the disagreement
     * point: proposing it is no serious offer. Models see the solved game,
     * read-only. */
    for (int t = 0; t < ws->game.stages; t++) {
        int agreed;
        if ((rc = play_stage(ws, sides, t, &agreed, err)))
            return rc;
        if (agreed >= 0) {
            tr->deal = agreed;
            tr->stage = t;
            break;
        }
        /* Chance ends the talks after a rejected stage with probability
         * `breakdown`, drawn from the track's own stream of the round. */
        gsl_rng *chance = ws->protocol_rng[imposer == SIM_IMPOSER_EU];
        if (gsl_rng_uniform(chance) < sc->bargaining.breakdown)
            break;
    }
    return 0;
}
