/* reciprocal.c - tit-for-tat in concession space (MODEL.md section 4,
 * `reciprocal`).
 *
 * The actor carries an aspiration A, the gain over disagreement it demands,
 * in its own utility units (gain[side][deal] of the round's game), and moves
 * it in step with the opponent's concessions:
 *
 *   start    A = opening * max { g_self(i) : g_other(i) >= 0 }, set at the
 *            actor's first decision of the replication (its first offer, or
 *            the first offer it answers); if no deal leaves the other side
 *            without a loss, A stays unset and the actor makes no offer.
 *   update   each offer the opponent makes to the actor, worth x = g_self(d)
 *            to it, is a concession c = x - x_prev (x_prev: the opponent's
 *            previous offer; the first offer counts as c = 0). Then
 *              c > 0:  A <- A - generosity * c           (concede in kind)
 *              c < 0:  one draw U ~ U[0,1) from the decision stream;
 *                      U < forgiveness: A unchanged       (forgive)
 *                      else A <- A + generosity * |c|     (match it)
 *            x_prev <- x in every case, forgiven or not, so a forgiven
 *            retraction that is later undone counts as a concession.
 *   offer    among deals with g_self >= max(A, 0), the one giving the
 *            opponent most; among equal opponent gains the one closest to
 *            the aspiration (smallest g_self), then the lower index. If no
 *            deal reaches the aspiration: the deal with the highest g_self
 *            (ties: more for the opponent, then the lower index).
 *   respond  accept iff g_self(d) >= (1 - tolerance) * A and g_self(d) >= 0.
 *
 * The offer rule reads "closest to the aspiration while maximizing the
 * opponent's gain" with the opponent's gain first: on a linear split the
 * two coincide (the deal just at A is the one best for the opponent), and
 * on the engine's deal sets, where packages and prisoner counts make many
 * deals with nearly equal own gains, taking the nearest own gain first
 * could offer a deal the opponent loses from when another, slightly richer
 * for the actor, gives the opponent much more. The floor max(A, 0) keeps a
 * generous actor whose aspiration fell below zero from offering a loss,
 * as the responder's "and >= 0" does.
 *
 * The state persists across stages and rounds of a replication (reset by
 * init): concessions carry over even though the game's gains are rescaled
 * every round (the stock and the instruments on the table change), so
 * x_prev from the previous round is compared with x in this round's
 * units.
 *
 * The engine gives an actor's offer and respond roles one shared state
 * when both name this model (sim/round.c, shares_state), initialized with
 * the offer role's parameters: concessions seen while answering then move
 * the aspiration the actor offers from. The state is per actor, not per
 * track: a reciprocal Minsk carries one aspiration for Washington and the
 * EU. Comparisons use the engine's relative tolerance SIM_BARGAIN_TOL. */
#include <sanctionsim/model.h>

#include <math.h>
#include <string.h>

#include <sanctionsim/bargain.h>

enum { P_OPENING, P_GENEROSITY, P_FORGIVENESS, P_TOLERANCE };

/* clang-format off */
#define PKEY(i, key, d, lo, hi, unit, doc)                                    \
    {key, SIM_KEY_FLOAT, (i) * sizeof(double), 0, d, lo, hi, NULL, NULL,      \
     unit, doc}

static const sim_key params[] = {
    PKEY(P_OPENING, "opening", 1.0, 0.0, 1.0, "share",
         "first demand, as a share of the best gain the other side would "
         "not lose from"),
    PKEY(P_GENEROSITY, "generosity", 1.0, 0.0, 1e9, "",
         "the actor concedes this times the opponent's last concession"),
    PKEY(P_FORGIVENESS, "forgiveness", 0.0, 0.0, 1.0, "probability",
         "probability that a retraction is answered with no change"),
    PKEY(P_TOLERANCE, "tolerance", 0.0, 0.0, 1.0, "share",
         "the responder accepts offers within this fraction of its "
         "aspiration"),
};
/* clang-format on */

/* Per actor, role and replication; zeroed by the engine and by init. */
typedef struct reciprocal_state {
    double aspiration; /* A, valid when has_aspiration */
    double last_offer; /* x_prev, valid when has_last */
    bool has_aspiration;
    bool has_last;
} reciprocal_state;

/* The aspiration of a reciprocal state, or NAN while it is unset. A test
 * hook (tests/test_models_rb.c); the state is borrowed. */
double sim_reciprocal_aspiration(const void *state);

double sim_reciprocal_aspiration(const void *state)
{
    const reciprocal_state *st = state;
    return st->has_aspiration ? st->aspiration : (double)NAN;
}

static bool at_least(double x, double thr)
{
    return x >= thr - SIM_BARGAIN_TOL * (1.0 + fabs(thr));
}

static int reciprocal_init(void *state, const double *param, sim_err *err)
{
    (void)param;
    (void)err;
    memset(state, 0, sizeof(reciprocal_state));
    return 0;
}

/* Sets the opening aspiration from game g for side `self` if unset.
 * Returns false when no deal leaves the other side without a loss. */
static bool open_aspiration(reciprocal_state *st, const sim_bargain *g,
                            int self, double opening)
{
    if (st->has_aspiration)
        return true;
    int other = 1 - self, best = -1;
    for (int i = 0; i < g->n_deals; i++)
        if (at_least(g->gain[other][i], 0.0) &&
            (best < 0 || g->gain[self][i] > g->gain[self][best]))
            best = i;
    if (best < 0)
        return false;
    st->aspiration = opening * g->gain[self][best];
    st->has_aspiration = true;
    return true;
}

/* Tit-for-tat on the opponent's offer worth x to the actor. */
static void reciprocate(reciprocal_state *st, const double *p, double x,
                        gsl_rng *rng)
{
    double c = st->has_last ? x - st->last_offer : 0.0;
    if (c > 0.0) {
        st->aspiration -= p[P_GENEROSITY] * c;
    } else if (c < 0.0) {
        /* One draw per retraction, whatever forgiveness is, so the stream's
         * use does not depend on the parameter. */
        double u = gsl_rng_uniform(rng);
        if (!(u < p[P_FORGIVENESS]))
            st->aspiration -= p[P_GENEROSITY] * c;
    }
    st->last_offer = x;
    st->has_last = true;
}

/* The offer for aspiration `level` (already floored at 0). */
static int choose_offer(const sim_bargain *g, int self, double level)
{
    int other = 1 - self, best = -1;
    const double *gs = g->gain[self], *go = g->gain[other];
    for (int i = 0; i < g->n_deals; i++) {
        if (!at_least(gs[i], level))
            continue;
        if (best < 0 || go[i] > go[best] ||
            (go[i] == go[best] && gs[i] < gs[best]))
            best = i;
    }
    if (best >= 0)
        return best;
    for (int i = 0; i < g->n_deals; i++)
        if (best < 0 || gs[i] > gs[best] ||
            (gs[i] == gs[best] && go[i] > go[best]))
            best = i;
    return best;
}

static int reciprocal_decide(void *state, const sim_decision *d,
                             sim_action *out, sim_err *err)
{
    reciprocal_state *st = state;
    const double *p = d->param;
    const sim_bargain *g = sim_bargain_deals(d->game);
    int self = d->side;
    switch (d->role) {
    case SIM_ROLE_OFFER:
        if (!open_aspiration(st, g, self, p[P_OPENING])) {
            out->deal = -1;
            return 0;
        }
        out->deal = choose_offer(g, self, fmax(st->aspiration, 0.0));
        return 0;
    case SIM_ROLE_RESPOND: {
        double x = g->gain[self][d->deal];
        bool have = open_aspiration(st, g, self, p[P_OPENING]);
        if (have)
            reciprocate(st, p, x, d->rng);
        double thr = have ? (1.0 - p[P_TOLERANCE]) * st->aspiration : 0.0;
        out->act = at_least(x, thr) && at_least(x, 0.0);
        return 0;
    }
    default:
        return sim_error(err, SIM_E_INTERNAL,
                         "reciprocal: asked for a %s decision",
                         sim_role_name(d->role));
    }
}

const sim_model_type sim_model_reciprocal = {
    .name = "reciprocal",
    .doc = "Tit-for-tat in concession space: the actor opens by demanding "
           "`opening` times the best gain the other side would not lose "
           "from, lowers its aspiration by `generosity` times each "
           "concession the opponent makes (the rise in what the opponent's "
           "offers give it), matches a retraction unless it forgives it "
           "(probability `forgiveness`), offers the deal best for the "
           "opponent among those meeting its aspiration, and accepts offers "
           "within `tolerance` of it (never a loss). State carries over "
           "stages and rounds.",
    .roles = (1u << SIM_ROLE_OFFER) | (1u << SIM_ROLE_RESPOND),
    .params = params,
    .nparams = (int)(sizeof params / sizeof params[0]),
    .state_size = sizeof(reciprocal_state),
    .init = reciprocal_init,
    .decide = reciprocal_decide,
    .observe = NULL,
};
