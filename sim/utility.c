/* utility.c - what actors value: the flow features of a (hypothetical)
 * state, utility as weights times features, and the discounting that turns
 * a permanent change into this round's units (MODEL.md section 2). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "utility_check.h"
#include "workspace_impl.h"

sim_view sim_utility_view(const sim_workspace *ws)
{
    return (sim_view){ws->status,
                      ws->pl_open,
                      ws->lt_open,
                      ws->klaipeda_open,
                      ws->frozen_left > 0,
                      ws->tension,
                      sim_workspace_held(ws)};
}

/* Value to Minsk of instrument i while lifted, given transit. */
static double instrument_relief(const sim_instrument_spec *in, bool klaipeda)
{
    if (in->diplomatic)
        return 0.0;
    if (in->needs_transit && !klaipeda)
        return in->value * in->without_transit;
    return in->value;
}

void sim_utility_prepare(sim_workspace *ws)
{
    const sim_scenario *sc = ws->sc;
    double total = 0.0;
    for (int i = 0; i < sc->n_instruments; i++) {
        const sim_instrument_spec *in = &sc->instrument[i];
        total += fabs(instrument_relief(in, false)) +
                 fabs(instrument_relief(in, true)) + fabs(in->cost) +
                 (in->diplomatic ? 1.0 : 0.0);
        ws->inst_relief[0][i] = instrument_relief(in, false);
        ws->inst_relief[1][i] = instrument_relief(in, true);
        ws->inst_recognition[i] = in->diplomatic ? 1.0 : 0.0;
        ws->inst_cost_feature[i] = in->imposer == SIM_IMPOSER_US
                                       ? SIM_FEATURE_US_COST
                                       : SIM_FEATURE_EU_COST;
    }
    /* Every sum over some of the instruments is at most the sum of all
     * magnitudes: finite, far below overflow (false for NaN). */
    ws->inst_sums_finite = total < 1e300;
}

/* The sums over the instruments not active, in instrument order, from the
 * tables of sim_utility_prepare (the same terms as computed in place), into
 * f zeroed; from ws->feature_cache when its entry for the view's transit
 * holds the same status (see sim_feature_cache). */
static void instrument_features(const sim_workspace *ws, const sim_view *v,
                                double *f)
{
    const sim_scenario *sc = ws->sc;
    int k = v->klaipeda_open ? 1 : 0;
    sim_feature_cache *cache = ws->feature_cache;
    size_t status_bytes = sizeof v->status[0] * (size_t)sc->n_instruments;
    /* Only views of the present status can match (the others lift an
     * instrument); the statuses compared without a branch per instrument. */
    bool now = v->status == ws->status;
    unsigned differ = 1;
    if (now && cache->valid[k]) {
        differ = 0;
        for (int i = 0; i < sc->n_instruments; i++)
            differ |= (unsigned)cache->status[k][i] ^ (unsigned)v->status[i];
    }
    if (differ == 0) {
        memcpy(f, cache->sums[k], sizeof cache->sums[k]);
        return;
    }
    const double *relief = ws->inst_relief[k];
    memset(f, 0, sizeof(double) * SIM_N_FEATURES);
    for (int i = 0; i < sc->n_instruments; i++) {
        if (v->status[i] == SIM_STATUS_ACTIVE)
            continue;
        f[SIM_FEATURE_RELIEF] += relief[i];
        f[SIM_FEATURE_RECOGNITION] += ws->inst_recognition[i];
        f[ws->inst_cost_feature[i]] += sc->instrument[i].cost;
    }
    if (now) { /* the present status: keep its sums */
        memcpy(cache->status[k], v->status, status_bytes);
        memcpy(cache->sums[k], f, sizeof cache->sums[k]);
        cache->valid[k] = true;
    }
}

/* The features that are no sum over the instruments. */
static void view_features(const sim_view *v, double *f)
{
    f[SIM_FEATURE_PRISONERS] = (double)v->prisoners;
    f[SIM_FEATURE_TENSION] = v->tension;
    f[SIM_FEATURE_PL_BORDER_OPEN] = v->pl_open;
    f[SIM_FEATURE_LT_BORDER_OPEN] = v->lt_open;
    f[SIM_FEATURE_KLAIPEDA_OPEN] = v->klaipeda_open;
    f[SIM_FEATURE_PL_EXPOSURE] = v->pl_open ? v->tension : 0.0;
    f[SIM_FEATURE_LT_EXPOSURE] = v->lt_open ? v->tension : 0.0;
    f[SIM_FEATURE_MOSCOW_FREEZE] = v->frozen;
}

void sim_utility_features(const sim_workspace *ws, const sim_view *v, double *f)
{
    instrument_features(ws, v, f);
    view_features(v, f);
}

double sim_utility_dot(const double *w, const double *f)
{
    double s = 0.0;
    for (int i = 0; i < SIM_N_FEATURES; i++)
        s += w[i] * f[i];
    return s;
}

/* The features that view_features sets, in increasing order. */
static const int view_feature[] = {
    SIM_FEATURE_PRISONERS,     SIM_FEATURE_TENSION,
    SIM_FEATURE_PL_BORDER_OPEN, SIM_FEATURE_LT_BORDER_OPEN,
    SIM_FEATURE_KLAIPEDA_OPEN, SIM_FEATURE_PL_EXPOSURE,
    SIM_FEATURE_LT_EXPOSURE,   SIM_FEATURE_MOSCOW_FREEZE};
_Static_assert(SIM_FEATURE_PRISONERS < SIM_FEATURE_TENSION &&
                   SIM_FEATURE_TENSION < SIM_FEATURE_PL_BORDER_OPEN &&
                   SIM_FEATURE_PL_BORDER_OPEN < SIM_FEATURE_LT_BORDER_OPEN &&
                   SIM_FEATURE_LT_BORDER_OPEN < SIM_FEATURE_KLAIPEDA_OPEN &&
                   SIM_FEATURE_KLAIPEDA_OPEN < SIM_FEATURE_PL_EXPOSURE &&
                   SIM_FEATURE_PL_EXPOSURE < SIM_FEATURE_LT_EXPOSURE &&
                   SIM_FEATURE_LT_EXPOSURE < SIM_FEATURE_MOSCOW_FREEZE,
               "view_feature lists the features in increasing order");

/* sim_utility_gain of two views with the same status and transit, when
 * their instrument sums are finite and every weight of w is: then every
 * feature but those of view_features differs by x - x = +0, its term
 * w[i] * +0 is a zero, and a zero added to the running sum leaves it as
 * it is (the sum starts at +0 and so is never -0); so the sum over the
 * view features alone, in the same order, is the same double. */
static double gain_same_sums(const double *w, const sim_view *a0,
                             const sim_view *b)
{
    double f0[SIM_N_FEATURES], f1[SIM_N_FEATURES];
    view_features(a0, f0);
    view_features(b, f1);
    double s = 0.0;
    for (size_t j = 0; j < sizeof view_feature / sizeof view_feature[0]; j++) {
        int i = view_feature[j];
        s += w[i] * (f1[i] - f0[i]);
    }
    return s;
}

double sim_utility_gain(const sim_workspace *ws, int a, const sim_view *a0,
                        const sim_view *b)
{
    if (b->status == a0->status && b->klaipeda_open == a0->klaipeda_open &&
        ws->inst_sums_finite && ws->w_finite[a])
        return gain_same_sums(ws->w[a], a0, b);
    double f0[SIM_N_FEATURES], f1[SIM_N_FEATURES];
    instrument_features(ws, a0, f0);
    /* The same status and transit: the same sums (a neighbour's border). */
    if (b->status == a0->status && b->klaipeda_open == a0->klaipeda_open)
        memcpy(f1, f0, sizeof f1);
    else
        instrument_features(ws, b, f1);
    view_features(a0, f0);
    view_features(b, f1);
    for (int i = 0; i < SIM_N_FEATURES; i++)
        f1[i] -= f0[i];
    return sim_utility_dot(ws->w[a], f1);
}

/* The weight of a permanent change of a flow feature, in units of this
 * round's utility: the change counted over `horizon` rounds from this one
 * on, or over an infinite future if horizon is 0 (infinite if delta is 1:
 * the loader refuses that combination). */
double sim_utility_annuity(double delta, int horizon)
{
    if (horizon <= 0)
        return 1.0 / (1.0 - delta);
    if (delta == 1.0)
        return horizon;
    return (1.0 - pow(delta, horizon)) / (1.0 - delta);
}

/* A release counts once (the released_* feature) and removes a prisoner
 * from the stock for good (the annuity A, the actor's planning horizon). */
double sim_utility_release_gain(const sim_workspace *ws, int a, int k, double A)
{
    static const int rel[SIM_N_KINDS] = {SIM_FEATURE_RELEASED_ORDINARY,
                                         SIM_FEATURE_RELEASED_FOREIGN,
                                         SIM_FEATURE_RELEASED_HIGH_PROFILE};
    return ws->w[a][rel[k]] - A * ws->w[a][SIM_FEATURE_PRISONERS];
}

/* ---- utility_check.h ---- */

/* The plain formula of sim_utility_gain. */
static double plain_gain(const sim_workspace *ws, int a, const sim_view *v0,
                         const sim_view *v1)
{
    double f0[SIM_N_FEATURES], f1[SIM_N_FEATURES];
    sim_utility_features(ws, v0, f0);
    sim_utility_features(ws, v1, f1);
    for (int i = 0; i < SIM_N_FEATURES; i++)
        f1[i] -= f0[i];
    return sim_utility_dot(ws->w[a], f1);
}

/* xorshift64: the check's cases, reproducible from the seed. */
static uint64_t check_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A weight or tension: often a zero of either sign or a special value. */
static double check_value(uint64_t *s)
{
    static const double special[] = {0.0, -0.0, 1.0, -1.0, 1e308, -1e308,
                                     INFINITY, -INFINITY, NAN, 0.1, -2.5};
    uint64_t r = check_next(s);
    if (r % 3 == 0)
        return special[(r >> 8) % (sizeof special / sizeof special[0])];
    return ((double)(r >> 11) * 0x1p-53 - 0.5) * 4.0;
}

/* One random case on ws (see sim_utility_check_gain); 1 and msg if the
 * gains differ. */
static int check_case(sim_workspace *ws, uint64_t *s, int *shortcuts,
                      char *msg, size_t len)
{
    const sim_scenario *sc = ws->sc;
    int a = (int)(check_next(s) % SIM_N_ACTORS);
    bool finite = true;
    for (int i = 0; i < SIM_N_FEATURES; i++) {
        ws->w[a][i] = check_next(s) % 2 ? check_value(s) : 0.0;
        finite = finite && isfinite(ws->w[a][i]);
    }
    ws->w_finite[a] = finite; /* as sim_calendar_step sets it */
    ws->tension = check_value(s);
    ws->pl_open = check_next(s) % 2;
    ws->lt_open = check_next(s) % 2;
    ws->klaipeda_open = check_next(s) % 2;
    for (int i = 0; i < sc->n_instruments; i++)
        ws->status[i] =
            check_next(s) % 4 ? SIM_STATUS_ACTIVE : SIM_STATUS_LIFTED;
    sim_status_kind lifted[SIM_MAX_INSTRUMENTS];
    sim_view now = sim_utility_view(ws), alt = now;
    switch (check_next(s) % 3) {
    case 0:
        alt.pl_open = !now.pl_open;
        break;
    case 1:
        alt.klaipeda_open = !now.klaipeda_open;
        break;
    default:
        memcpy(lifted, ws->status, sizeof lifted);
        if (sc->n_instruments > 0)
            lifted[check_next(s) % (uint64_t)sc->n_instruments] =
                SIM_STATUS_LIFTED;
        alt.status = lifted;
    }
    *shortcuts += alt.status == now.status &&
                  alt.klaipeda_open == now.klaipeda_open && finite;
    double gain = sim_utility_gain(ws, a, &now, &alt);
    double plain = plain_gain(ws, a, &now, &alt);
    uint64_t bg, bp;
    memcpy(&bg, &gain, sizeof bg);
    memcpy(&bp, &plain, sizeof bp);
    if (bg == bp || (isnan(gain) && isnan(plain)))
        return 0;
    snprintf(msg, len, "gain %.17g, the plain formula %.17g", gain, plain);
    return 1;
}

int sim_utility_check_gain(const sim_scenario *sc, uint64_t seed, int cases,
                           int *shortcuts, char *msg, size_t len)
{
    sim_workspace *ws;
    sim_err err = {0};
    *shortcuts = 0;
    if (sim_workspace_alloc(sc, &ws, &err))
        return -1;
    sim_workspace_reset(ws);
    uint64_t s = seed ? seed : 1;
    int rc = 0;
    for (int i = 0; i < cases && !rc; i++)
        rc = check_case(ws, &s, shortcuts, msg, len);
    sim_workspace_free(ws);
    return rc;
}
