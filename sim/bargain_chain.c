/* bargain_chain.c - the chain solver: the scan's pick at every stage by
 * binary searches along the chains of a game, computing the few gains it
 * looks at (the deal table is not filled).
 *
 * A chain's deal n gives side s the gain (base[s] + rel[s][n]) + bonus[s].
 * Rounding to nearest is monotone, so wherever rel[s] does not fall (rise)
 * over n, neither does that gain, in every chain over those counts. The
 * release curves rel[] are split once per game into the fewest pieces
 * along which each side's curve is monotone (mostly one or two: a curve
 * changes direction only where Minsk turns to another kind of prisoner),
 * and each chain into the runs of its counts within a piece.
 *
 * Within a run the deals R accepts (gain[R] >= cut) are a suffix when
 * gain[R] does not fall, else a prefix. The scan picks the largest
 * gain[P], then the larger gain[R], then the lower index: the best gain[P]
 * is at one end of the accepted deals, its equals are a block there, and
 * the block's best gain[R] at one end of the block, the lowest index of
 * its equals found by one more search. Combined over the runs in index
 * order by the scan's own comparison, this is the scan's pick. A NaN gain
 * (NaN in rel, or a base or bonus not finite) leaves the game to the
 * table's solvers. */
#include "bargain_impl.h"

#include <math.h>

/* A piece of the release curves: counts lo..hi, up[s] as in a run. */
typedef struct piece {
    int lo, hi;
    bool up[2];
} piece;

enum { MAX_PIECES = 64 };

/* Splits rel[0], rel[1] over lo..hi into pieces; returns their number,
 * or -1 on a NaN or more than MAX_PIECES pieces. known: the caller
 * promised both curves monotone over lo..hi (sim_bargain_monotone), which
 * the check below would find: one piece. */
static int split_curves(const double *const rel[2], int lo, int hi,
                        bool known, piece *out)
{
    const double *r0 = rel[0], *r1 = rel[1];
    /* The common case, one piece: each curve monotone in the direction
     * of its ends (the sign flip is exact, and a NaN fails a test). */
    bool up0 = r0[hi] >= r0[lo], up1 = r1[hi] >= r1[lo];
    if (known) {
        *out = (piece){lo, hi, {up0, up1}};
        return 1;
    }
    double s0 = up0 ? 1.0 : -1.0, s1 = up1 ? 1.0 : -1.0;
    int mono = !isnan(r0[lo]) && !isnan(r1[lo]);
    for (int n = lo; n < hi; n++)
        mono &= (s0 * r0[n + 1] >= s0 * r0[n]) & (s1 * r1[n + 1] >= s1 * r1[n]);
    if (mono) {
        *out = (piece){lo, hi, {up0, up1}};
        return 1;
    }
    /* Directions still possible in the current piece: bit 0 rel[0] up,
     * 1 rel[0] down, 2 rel[1] up, 3 rel[1] down. */
    int k = 0, start = lo;
    unsigned ok = 15;
    for (int n = lo; n <= hi; n++) {
        if (isnan(r0[n]) || isnan(r1[n]))
            return -1;
        unsigned step = 0;
        if (n > start)
            step = (unsigned)(r0[n] >= r0[n - 1]) |
                   (unsigned)(r0[n] <= r0[n - 1]) << 1 |
                   (unsigned)(r1[n] >= r1[n - 1]) << 2 |
                   (unsigned)(r1[n] <= r1[n - 1]) << 3;
        unsigned next = ok & (n > start ? step : 15u);
        if ((next & 3) && (next & 12)) {
            ok = next;
            continue;
        }
        if (k == MAX_PIECES)
            return -1;
        out[k++] = (piece){start, n - 1, {ok & 1, (ok & 4) != 0}};
        start = n;
        ok = 15;
    }
    if (k == MAX_PIECES)
        return -1;
    out[k++] = (piece){start, hi, {ok & 1, (ok & 4) != 0}};
    return k;
}

/* The counts of every chain that shares the rel arrays of chain c. */
static void shared_range(const struct sim_bargain_chains *cs,
                         const sim_bargain_chain *c, int *lo, int *hi)
{
    *lo = c->first;
    *hi = c->last;
    for (const sim_bargain_chain *d = c + 1; d < cs->chain + cs->n; d++)
        if (d->rel[0] == c->rel[0] && d->rel[1] == c->rel[1]) {
            *lo = d->first < *lo ? d->first : *lo;
            *hi = d->last > *hi ? d->last : *hi;
        }
}

static double run_gain(const sim_bargain_crun *r, int s, int n)
{
    return r->rel[s] ? r->base[s] + r->rel[s][n] + r->bonus[s] : r->base[s];
}

/* Appends the runs of chain c over the pieces p[0..np-1]. */
static int chain_runs(const sim_bargain_chain *c, const piece *p, int np,
                      sim_bargain_crun *out)
{
    int k = 0;
    for (int j = 0; j < np; j++) {
        int lo = p[j].lo > c->first ? p[j].lo : c->first;
        int hi = p[j].hi < c->last ? p[j].hi : c->last;
        if (lo > hi)
            continue;
        sim_bargain_crun *r = &out[k++];
        r->lo = lo;
        r->hi = hi;
        r->index = c->index + (lo - c->first);
        for (int s = 0; s < 2; s++) {
            r->up[s] = p[j].up[s];
            r->base[s] = c->base[s];
            r->bonus[s] = c->bonus[s];
            r->rel[s] = c->rel[s];
            r->at_lo[s] = run_gain(r, s, lo);
            r->at_hi[s] = run_gain(r, s, hi);
        }
    }
    return k;
}

/* True if another chain d on the same curves has at each of c's counts a
 * deal that the scan ranks above c's, so that the scan never picks one of
 * c's: d covers c's counts, gives each side at least c's base and bonus
 * (so at least c's gain: rounding is monotone), and comes first or gives
 * a side more base by a margin far above what rounding can take away
 * (p[0..np-1]: the pieces of the curves over c's counts). */
static bool dominated(const struct sim_bargain_chains *cs,
                      const sim_bargain_chain *c, const piece *p, int np)
{
    for (const sim_bargain_chain *d = cs->chain; d < cs->chain + cs->n; d++) {
        if (d == c || !(d->base[0] >= c->base[0]) ||
            !(d->base[1] >= c->base[1]) || !(d->bonus[0] >= c->bonus[0]) ||
            !(d->bonus[1] >= c->bonus[1]) || d->rel[0] != c->rel[0] ||
            d->rel[1] != c->rel[1] || d->first > c->first ||
            d->last < c->last)
            continue;
        if (d < c)
            return true;
        for (int s = 0; s < 2; s++) {
            double M = fabs(d->base[s]) + fabs(c->base[s]) +
                       fabs(d->bonus[s]) + fabs(c->bonus[s]);
            for (int j = 0; j < np; j++) /* |rel| is largest at an end */
                M += fabs(c->rel[s][p[j].lo]) + fabs(c->rel[s][p[j].hi]);
            if (M < 1e300 && d->base[s] - c->base[s] > 1e-9 * M + 1e-300)
                return true;
        }
    }
    return false;
}

int sim_bargain_chain_runs(sim_bargain *b)
{
    struct sim_bargain_chains *cs = b->chains;
    if (cs->table_only || 4 * cs->n > b->n_deals) /* the table's turn */
        return -1;
    piece p[MAX_PIECES];
    int np = 0, k = 0;
    const double *have[2] = {NULL, NULL};
    for (const sim_bargain_chain *c = cs->chain; c < cs->chain + cs->n; c++) {
        if (!c->rel[0]) { /* a single deal */
            if (isnan(c->base[0]) || isnan(c->base[1]))
                return -1;
            const piece one = {c->first, c->last, {true, true}};
            k += chain_runs(c, &one, 1, cs->crun + k);
            continue;
        }
        if (!isfinite(c->base[0]) || !isfinite(c->base[1]) ||
            !isfinite(c->bonus[0]) || !isfinite(c->bonus[1]))
            return -1;
        if (c->rel[0] != have[0] || c->rel[1] != have[1]) {
            int lo, hi;
            shared_range(cs, c, &lo, &hi);
            bool known = c->rel[0] == cs->mono_rel[0] &&
                         c->rel[1] == cs->mono_rel[1] && lo >= 0 &&
                         hi <= cs->mono_hi;
            if ((np = split_curves(c->rel, lo, hi, known, p)) < 0)
                return -1;
            have[0] = c->rel[0];
            have[1] = c->rel[1];
        }
        if (!dominated(cs, c, p, np))
            k += chain_runs(c, p, np, cs->crun + k);
    }
    return 4 * k > b->n_deals ? -1 : k;
}

/* The first n in lo..hi with gain[s] >= x, gain[s] not falling; hi + 1 if
 * none. */
static int first_at_least(const sim_bargain_crun *r, int s, int lo, int hi,
                          double x)
{
    hi++;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (run_gain(r, s, mid) >= x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The last n in lo..hi with gain[s] >= x, gain[s] not rising; lo - 1 if
 * none. */
static int last_at_least(const sim_bargain_crun *r, int s, int lo, int hi,
                         double x)
{
    lo--;
    while (lo < hi) {
        int mid = hi - (hi - lo) / 2;
        if (run_gain(r, s, mid) >= x)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Where x lies between the run's end gains of side s, as a count in
 * lo..hi (interpolated: the curves are nearly linear within a piece), or
 * the middle if that is no number. */
static int guess(const sim_bargain_crun *r, int s, double x)
{
    double f = (x - r->at_lo[s]) / (r->at_hi[s] - r->at_lo[s]);
    if (!(f >= 0.0 && f <= 1.0))
        f = 0.5;
    return r->lo + (int)(f * (double)(r->hi - r->lo) + 0.5);
}

/* first_at_least over the whole run, from a guess: mostly two gains. */
static int run_first(const sim_bargain_crun *r, int s, double x)
{
    if (r->at_lo[s] >= x)
        return r->lo;
    if (!(r->at_hi[s] >= x))
        return r->hi + 1;
    /* The answer is in lo + 1..hi. */
    int g = guess(r, s, x);
    g = g <= r->lo ? r->lo + 1 : g;
    if (run_gain(r, s, g) >= x)
        return run_gain(r, s, g - 1) >= x
                   ? first_at_least(r, s, r->lo + 1, g - 1, x)
                   : g;
    return first_at_least(r, s, g + 1, r->hi, x);
}

/* last_at_least over the whole run, from a guess. */
static int run_last(const sim_bargain_crun *r, int s, double x)
{
    if (!(r->at_lo[s] >= x))
        return r->lo - 1;
    if (r->at_hi[s] >= x)
        return r->hi;
    /* The answer is in lo..hi - 1. */
    int g = guess(r, s, x);
    g = g >= r->hi ? r->hi - 1 : g;
    if (run_gain(r, s, g) >= x)
        return run_gain(r, s, g + 1) >= x
                   ? last_at_least(r, s, g + 1, r->hi - 1, x)
                   : g;
    return last_at_least(r, s, r->lo, g - 1, x);
}

/* The count the scan would pick in run r for proposer P when R accepts
 * gain[R] >= cut, or -1. */
static int run_pick(const sim_bargain_crun *r, int P, double cut)
{
    int R = 1 - P, a = r->lo, b = r->hi;
    if (r->up[R])
        a = run_first(r, R, cut);
    else
        b = run_last(r, R, cut);
    if (a > b)
        return -1;
    /* The block u..v of the accepted deals of the largest gain[P]. */
    int u = a, v = b;
    if (r->up[P]) {
        double top = run_gain(r, P, b);
        if (b > a && run_gain(r, P, b - 1) >= top)
            u = first_at_least(r, P, a, b - 1, top);
        else
            u = b;
    } else {
        double top = run_gain(r, P, a);
        if (b > a && run_gain(r, P, a + 1) >= top)
            v = last_at_least(r, P, a + 1, b, top);
        else
            v = a;
    }
    if (!r->up[R])
        return u; /* the block's largest gain[R], at its lowest index */
    double top = run_gain(r, R, v);
    if (v > u && run_gain(r, R, v - 1) >= top)
        return first_at_least(r, R, u, v - 1, top);
    return v;
}

int sim_bargain_chain_pick(const sim_bargain *b, int n, int P, double thrR,
                           double g[2])
{
    const sim_bargain_crun *run = b->chains->crun;
    double cut = sim_bargain_cut(thrR);
    int R = 1 - P, best = -1;
    for (int j = 0; j < n; j++) {
        const sim_bargain_crun *r = &run[j];
        /* gain[P] is largest at an end of the run: a run whose ends both
         * give P less than the best so far cannot replace it (a NaN end
         * fails the test and the run is searched). */
        if (best >= 0 && r->at_lo[P] < g[P] && r->at_hi[P] < g[P])
            continue;
        int c = run_pick(r, P, cut);
        if (c < 0)
            continue;
        double gP = run_gain(r, P, c), gR = run_gain(r, R, c);
        if (best < 0 || gP > g[P] || (gP == g[P] && gR > g[R])) {
            best = r->index + (c - r->lo);
            g[P] = gP;
            g[R] = gR;
        }
    }
    return best;
}
