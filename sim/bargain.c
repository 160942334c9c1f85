/* bargain.c - the game's deals (chains and the deal table), backward
 * induction for the alternating-offers game: the plain scan (the
 * reference) and the solver over monotone runs of the table; the chain
 * solver lives in bargain_chain.c. */
#include "bargain_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int sim_bargain_alloc(sim_bargain *b, int max_deals, int max_stages,
                      sim_err *err)
{
    *b = (sim_bargain){0};
    b->cap_deals = max_deals;
    b->cap_stages = max_stages;
    size_t n = max_deals > 0 ? (size_t)max_deals : 1;
    b->gain[0] = malloc(sizeof(double) * n);
    b->gain[1] = malloc(sizeof(double) * n);
    b->package = malloc(sizeof(unsigned) * n);
    b->count = malloc(sizeof(int) * n);
    b->offer = malloc(sizeof(int) * (size_t)max_stages);
    b->value = malloc(sizeof(double) * 2 * ((size_t)max_stages + 1));
    struct sim_bargain_chains *cs = calloc(1, sizeof *cs);
    b->chains = cs;
    if (cs) {
        cs->cap = (int)n;
        cs->chain = malloc(sizeof *cs->chain * n);
        cs->crun = malloc(sizeof *cs->crun * n);
        cs->run = malloc(sizeof(int) * (n + 1));
    }
    if (!b->gain[0] || !b->gain[1] || !b->package || !b->count || !b->offer ||
        !b->value || !cs || !cs->chain || !cs->crun || !cs->run) {
        sim_bargain_free(b);
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for a bargaining game of %d deals",
                         max_deals);
    }
    return 0;
}

double sim_bargain_bytes(int max_deals, int max_stages)
{
    /* What sim_bargain_alloc asks for, term by term. */
    double n = max_deals > 0 ? (double)max_deals : 1.0;
    double per_deal = 2.0 * sizeof(double) + sizeof(unsigned) + sizeof(int) +
                      sizeof(sim_bargain_chain) + sizeof(sim_bargain_crun) +
                      sizeof(int);
    double per_stage = sizeof(int) + 2.0 * sizeof(double);
    return n * per_deal + (double)max_stages * per_stage +
           2.0 * sizeof(double) + sizeof(int) +
           sizeof(struct sim_bargain_chains);
}

void sim_bargain_free(sim_bargain *b)
{
    free(b->gain[0]);
    free(b->gain[1]);
    free(b->package);
    free(b->count);
    free(b->offer);
    free(b->value);
    if (b->chains) {
        free(b->chains->chain);
        free(b->chains->crun);
        free(b->chains->run);
        free(b->chains);
    }
    *b = (sim_bargain){0};
}

void sim_bargain_reset(sim_bargain *b, int stages, int first, double delta0,
                       double delta1)
{
    b->n_deals = 0;
    b->chains->n_runs = 0;
    b->chains->n = 0;
    b->chains->table_only = false;
    b->chains->filled = 0;
    b->chains->mono_rel[0] = NULL;
    b->chains->mono_rel[1] = NULL;
    b->chains->mono_hi = -1;
    b->stages = stages < b->cap_stages ? stages : b->cap_stages;
    b->first = first;
    b->delta[0] = delta0;
    b->delta[1] = delta1;
    b->infinite = false;
    b->solved = false;
}

/* Puts deal i, of gains g0, g1, in the table and its runs: it starts a new
 * run unless it continues the last one (gain[1] up and gain[0] down
 * strictly, so a NaN gain always starts a run of its own and ends it). */
static void table_put(const sim_bargain *b, int i, unsigned package,
                      int count, double g0, double g1)
{
    b->package[i] = package;
    b->count[i] = count;
    b->gain[0][i] = g0;
    b->gain[1][i] = g1;
    if (i == 0 || !(g1 > b->gain[1][i - 1] && g0 < b->gain[0][i - 1]))
        b->chains->run[b->chains->n_runs++] = i;
}

/* Appends a chain of deals n_deals.. (room checked by the caller). */
static void push_chain(sim_bargain *b, unsigned package, int first, int last,
                       const double base[2], const double *const rel[2],
                       const double bonus[2])
{
    struct sim_bargain_chains *cs = b->chains;
    sim_bargain_chain *c = &cs->chain[cs->n++];
    c->package = package;
    c->first = first;
    c->last = last;
    c->index = b->n_deals;
    for (int s = 0; s < 2; s++) {
        c->base[s] = base[s];
        c->bonus[s] = bonus ? bonus[s] : 0.0;
        c->rel[s] = rel ? rel[s] : NULL;
    }
    b->n_deals += last - first + 1;
    b->solved = false;
}

int sim_bargain_add(sim_bargain *b, unsigned package, int count, double g0,
                    double g1)
{
    if (b->n_deals >= b->cap_deals)
        return -1;
    int i = b->n_deals;
    struct sim_bargain_chains *cs = b->chains;
    if (cs->filled == i) { /* the table is complete: keep it so */
        table_put(b, i, package, count, g0, g1);
        cs->filled = i + 1;
        cs->table_only = true; /* no chain: see sim_bargain_chain_runs */
        b->n_deals++;
        b->solved = false;
        return i;
    }
    const double g[2] = {g0, g1};
    push_chain(b, package, count, count, g, NULL, NULL);
    return i;
}

int sim_bargain_add_chain(sim_bargain *b, unsigned package, int first, int last,
                          const double base[2], const double *const rel[2],
                          const double bonus[2])
{
    int i0 = b->n_deals;
    if (last - first >= b->cap_deals - i0)
        return -1;
    if (last >= first)
        push_chain(b, package, first, last, base, rel, bonus);
    return i0;
}

void sim_bargain_monotone(sim_bargain *b, const double *const rel[2], int hi)
{
    b->chains->mono_rel[0] = rel[0];
    b->chains->mono_rel[1] = rel[1];
    b->chains->mono_hi = hi;
}

/* The chain holding deal i (0 <= i < n_deals). */
static const sim_bargain_chain *chain_of(const sim_bargain *b, int i)
{
    const sim_bargain_chain *c = b->chains->chain;
    int lo = 0, hi = b->chains->n - 1;
    while (lo < hi) { /* the last chain starting at or before i */
        int mid = lo + (hi - lo + 1) / 2;
        if (c[mid].index <= i)
            lo = mid;
        else
            hi = mid - 1;
    }
    return &c[lo];
}

static double chain_gain(const sim_bargain_chain *c, int s, int n)
{
    return c->rel[s] ? c->base[s] + c->rel[s][n] + c->bonus[s] : c->base[s];
}

double sim_bargain_gain(const sim_bargain *b, int s, int i)
{
    if (i < b->chains->filled)
        return b->gain[s][i];
    const sim_bargain_chain *c = chain_of(b, i);
    return chain_gain(c, s, c->first + (i - c->index));
}

unsigned sim_bargain_package(const sim_bargain *b, int i)
{
    return i < b->chains->filled ? b->package[i] : chain_of(b, i)->package;
}

int sim_bargain_count(const sim_bargain *b, int i)
{
    if (i < b->chains->filled)
        return b->count[i];
    const sim_bargain_chain *c = chain_of(b, i);
    return c->first + (i - c->index);
}

const sim_bargain *sim_bargain_deals(const sim_bargain *b)
{
    /* The table is reached through pointers: filling it writes no field
     * of *b. */
    if (!b || b->chains->filled >= b->n_deals)
        return b;
    struct sim_bargain_chains *cs = b->chains;
    const sim_bargain_chain *c = chain_of(b, cs->filled);
    const sim_bargain_chain *end = cs->chain + cs->n;
    for (int i = cs->filled; c < end; c++)
        for (int n = c->first + (i - c->index); n <= c->last; n++, i++)
            table_put(b, i, c->package, n, chain_gain(c, 0, n),
                      chain_gain(c, 1, n));
    cs->filled = b->n_deals;
    return b;
}

int sim_bargain_proposer(const sim_bargain *b, int t)
{
    return (b->first + t) % 2;
}

double sim_bargain_cut(double thr)
{
    return thr - SIM_BARGAIN_TOL * (1.0 + fabs(thr));
}

static bool at_least(double x, double thr)
{
    return x >= sim_bargain_cut(thr);
}

/* The plain scan's pick at a stage: among the deals R accepts (gain[R] at
 * least the cut of thrR), the largest gain[P], then the larger gain[R],
 * then the lower index; -1 if R accepts none. (n_runs is not used: the
 * signature is the fast pick's.) */
static int scan_pick(const sim_bargain *b, int n_runs, int P, double thrR,
                     double g[2])
{
    (void)n_runs;
    const double *gP = b->gain[P], *gR = b->gain[1 - P];
    int best = -1;
    for (int i = 0; i < b->n_deals; i++) {
        if (!at_least(gR[i], thrR))
            continue;
        if (best < 0 || gP[i] > gP[best] ||
            (gP[i] == gP[best] && gR[i] > gR[best]))
            best = i;
    }
    if (best >= 0) {
        g[P] = gP[best];
        g[1 - P] = gR[best];
    }
    return best;
}

/* The last pick made for each proposer: a pick is a function of the game,
 * the proposer and thrR alone, so a stage whose thrR has the same bits as
 * the last one of its proposer (backward induction often repeats every
 * second stage) reuses it. */
typedef struct pick_memo {
    bool on; /* off: every stage picks (the reference) */
    bool have[2];
    uint64_t thr_bits[2];
    int best[2];
    double g[2][2];
} pick_memo;

static uint64_t double_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* One stage of the induction: the proposer P's offer given the values
 * next[] of the stage after (returned; -1 for no serious offer) and the
 * stage's values in cur[]. */
static int induct_stage(const sim_bargain *b, int n, sim_bargain_pick_fn pick,
                        pick_memo *memo, int P, const double *next,
                        double *cur)
{
    int R = 1 - P;
    double thrR = b->delta[R] * next[R];
    double thrP = b->delta[P] * next[P];
    double g[2] = {0.0, 0.0};
    uint64_t key = double_bits(thrR);
    int best;
    if (memo->on && memo->have[P] && memo->thr_bits[P] == key) {
        best = memo->best[P];
        g[0] = memo->g[P][0];
        g[1] = memo->g[P][1];
    } else {
        best = pick(b, n, P, thrR, g);
        memo->have[P] = true;
        memo->thr_bits[P] = key;
        memo->best[P] = best;
        memo->g[P][0] = g[0];
        memo->g[P][1] = g[1];
    }
    if (best >= 0 && at_least(g[P], thrP)) {
        cur[P] = g[P];
        cur[R] = g[R];
        return best;
    }
    /* No acceptable deal beats waiting: the proposer stalls and both sides
     * get their discounted value of the next stage. */
    cur[P] = thrP;
    cur[R] = thrR;
    return -1;
}

/* The values after the last stage of a game with no last stage: the
 * stationary subgame-perfect equilibrium that finite games of an even
 * number of stages tend to (a game of whole prisoners can have more than
 * one; this one does not depend on `stages`). The induction runs back
 * from values 0 after an even stage count until two stages later gives
 * exactly the same values, which then repeat for ever; at most
 * SIM_BARGAIN_STATIONARY_STAGES stages. end[] gets the values of stage S
 * (= stages): those of a stage of the first proposer if S is even. */
static void stationary_end(const sim_bargain *b, int n,
                           sim_bargain_pick_fn pick, pick_memo *memo,
                           double *end)
{
    double even[2] = {0.0, 0.0}, odd[2] = {0.0, 0.0};
    for (int k = 0; k < SIM_BARGAIN_STATIONARY_STAGES / 2; k++) {
        double u[2];
        induct_stage(b, n, pick, memo, 1 - b->first, even, odd);
        induct_stage(b, n, pick, memo, b->first, odd, u);
        bool same = u[0] == even[0] && u[1] == even[1];
        even[0] = u[0];
        even[1] = u[1];
        if (same)
            break;
    }
    const double *v = b->stages % 2 == 0 ? even : odd;
    end[0] = v[0];
    end[1] = v[1];
}

/* Backward induction from the last stage to the first, the proposer's
 * deal at each stage chosen by `pick` (the scan or a fast search: they
 * choose the same deal). The proposer stalls when the pick is none or not
 * worth waiting for. */
void sim_bargain_induct(sim_bargain *b, int n, sim_bargain_pick_fn pick)
{
    int S = b->stages;
    double end[2] = {0.0, 0.0};
    /* The reference scan picks at every stage; the fast solvers reuse. */
    pick_memo memo = {pick != scan_pick || n != 0, {false, false}, {0, 0},
                      {-1, -1}, {{0.0, 0.0}, {0.0, 0.0}}};
    if (b->infinite)
        stationary_end(b, n, pick, &memo, end);
    b->value[2 * (size_t)S] = end[0];
    b->value[2 * (size_t)S + 1] = end[1];
    for (int t = S - 1; t >= 0; t--)
        b->offer[t] = induct_stage(b, n, pick, &memo, sim_bargain_proposer(b, t),
                                   &b->value[2 * ((size_t)t + 1)],
                                   &b->value[2 * (size_t)t]);
    b->solved = true;
}

void sim_bargain_solve_reference(sim_bargain *b)
{
    if (!b->solved) {
        sim_bargain_deals(b);
        sim_bargain_induct(b, 0, scan_pick);
    }
}

/* The table's fast solver, for games entered deal by deal (the chain
 * solver of bargain_chain.c does without the table when it can). The
 * deals of a track come in chains, one per package, along which the
 * prisoners released raise one side's gain and lower the other's. So the
 * deals split into runs of consecutive indices along which gain[1]
 * strictly rises and gain[0] strictly falls. Since at_least(x, thr)
 * is x >= c for one number c per stage, the deals a responder accepts are,
 * within a run, a suffix (R = 1) or a prefix (R = 0), and the deal of the
 * run the scan would pick (the largest gain[P]) is the first of that suffix
 * or the last of that prefix: a binary search finds it. The scan's pick is
 * the best of these picks by the scan's own order, taken in index order.
 * The table keeps the runs; a game with many short runs, or with a NaN
 * gain, is left to the scan. */

/* Closes the table's runs (run[n_runs] = n_deals) and returns
 * n_runs, or -1 when the runs would not pay or a gain is NaN (a NaN deal
 * is a run of its own, so only the runs' first deals need a look). */
static int close_runs(sim_bargain *b)
{
    const int *run = b->chains->run;
    int k = b->chains->n_runs;
    if (4 * k > b->n_deals)
        return -1;
    for (int r = 0; r < k; r++)
        if (isnan(b->gain[0][run[r]]) || isnan(b->gain[1][run[r]]))
            return -1;
    b->chains->run[k] = b->n_deals;
    return k;
}

/* The deal the scan would pick in deals lo..hi-1 (one run) when R accepts
 * gain[R] >= cut (cut = sim_bargain_cut(thrR)), or -1 if R accepts none. */
static int run_pick(const sim_bargain *b, int lo, int hi, int R, double cut)
{
    const double *gR = b->gain[R];
    int end = hi;
    if (R == 1) { /* the first deal R accepts */
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (gR[mid] >= cut)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo < end ? lo : -1;
    }
    int start = lo;
    while (lo < hi) { /* the first deal R rejects */
        int mid = lo + (hi - lo) / 2;
        if (gR[mid] >= cut)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > start ? lo - 1 : -1;
}

/* The scan's pick at a stage: the best of the runs' picks by the scan's
 * order (larger gain[P], then larger gain[R], then lower index). */
static int stage_pick(const sim_bargain *b, int n_runs, int P, double thrR,
                      double g[2])
{
    const double *gP = b->gain[P], *gR = b->gain[1 - P];
    const int *run = b->chains->run;
    double cut = sim_bargain_cut(thrR);
    int best = -1;
    for (int r = 0; r < n_runs; r++) {
        int i = run_pick(b, run[r], run[r + 1], 1 - P, cut);
        if (i >= 0 && (best < 0 || gP[i] > gP[best] ||
                       (gP[i] == gP[best] && gR[i] > gR[best])))
            best = i;
    }
    if (best >= 0) {
        g[P] = gP[best];
        g[1 - P] = gR[best];
    }
    return best;
}

void sim_bargain_solve(sim_bargain *b)
{
    if (b->solved)
        return;
    int k = sim_bargain_chain_runs(b);
    if (k >= 0) {
        sim_bargain_induct(b, k, sim_bargain_chain_pick);
        return;
    }
    sim_bargain_deals(b);
    int n_runs = close_runs(b);
    sim_bargain_induct(b, n_runs, n_runs < 0 ? scan_pick : stage_pick);
}

double sim_bargain_continuation(const sim_bargain *b, int t, int s)
{
    if (t + 1 >= b->stages && !b->infinite)
        return 0.0;
    return b->delta[s] * b->value[2 * (t + 1) + s];
}

double sim_bargain_stahl_share(int stages, int first, double delta0,
                               double delta1, int side)
{
    const double delta[2] = {delta0, delta1};
    /* x: the share of the proposer at stage t, from the last stage back:
     * the proposer offers the responder what the responder would get
     * proposing at t + 1, discounted. */
    double x = 1.0;
    for (int t = stages - 2; t >= 0; t--) {
        int responder = (first + t + 1) % 2;
        x = 1.0 - delta[responder] * x;
    }
    return side == first ? x : 1.0 - x;
}

double sim_bargain_rubinstein_share(int first, double delta0, double delta1,
                                    int side)
{
    const double delta[2] = {delta0, delta1};
    double dP = delta[first], dR = delta[1 - first];
    /* 1 - dR is exact for dR in [1/2, 1]; fma rounds 1 - dP dR once */
    double x = dP * dR < 1.0 ? (1.0 - dR) / fma(-dP, dR, 1.0) : NAN;
    return side == first ? x : 1.0 - x;
}

bool sim_bargain_is_linear(const sim_bargain *b, double *M0, double *M1)
{
    sim_bargain_deals(b);
    double m[2] = {0.0, 0.0};
    for (int i = 0; i < b->n_deals; i++)
        if (b->gain[0][i] >= 0 && b->gain[1][i] >= 0)
            for (int s = 0; s < 2; s++)
                if (b->gain[s][i] > m[s])
                    m[s] = b->gain[s][i];
    if (M0)
        *M0 = m[0];
    if (M1)
        *M1 = m[1];
    if (!(m[0] > 0 && m[1] > 0))
        return false;
    bool end0 = false, end1 = false;
    for (int i = 0; i < b->n_deals; i++) {
        double g0 = b->gain[0][i], g1 = b->gain[1][i];
        if (g0 < 0 || g1 < 0)
            continue;
        if (g0 / m[0] + g1 / m[1] > 1.0 + 1e-9)
            return false;
        end0 = end0 || (g0 >= m[0] * (1 - 1e-12) && g1 <= 1e-9 * m[1]);
        end1 = end1 || (g1 >= m[1] * (1 - 1e-12) && g0 <= 1e-9 * m[0]);
    }
    return end0 && end1;
}
