/* bargain.c - backward induction for the alternating-offers game: the
 * plain scan (the reference) and the fast solver over monotone runs of
 * deals that the adds keep. */
#include <sanctionsim/bargain.h>

#include <math.h>
#include <stdlib.h>

int sim_bargain_alloc(sim_bargain *b, int max_deals, int max_stages,
                      sim_err *err)
{
    *b = (sim_bargain){0};
    b->cap_deals = max_deals;
    b->cap_stages = max_stages;
    b->gain[0] = malloc(sizeof(double) * (size_t)max_deals);
    b->gain[1] = malloc(sizeof(double) * (size_t)max_deals);
    b->package = malloc(sizeof(unsigned) * (size_t)max_deals);
    b->count = malloc(sizeof(int) * (size_t)max_deals);
    b->offer = malloc(sizeof(int) * (size_t)max_stages);
    b->value = malloc(sizeof(double) * 2 * ((size_t)max_stages + 1));
    b->run = malloc(sizeof(int) * ((size_t)max_deals + 1));
    if (!b->gain[0] || !b->gain[1] || !b->package || !b->count || !b->offer ||
        !b->value || !b->run) {
        sim_bargain_free(b);
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for a bargaining game of %d deals",
                         max_deals);
    }
    return 0;
}

void sim_bargain_free(sim_bargain *b)
{
    free(b->gain[0]);
    free(b->gain[1]);
    free(b->package);
    free(b->count);
    free(b->offer);
    free(b->value);
    free(b->run);
    *b = (sim_bargain){0};
}

void sim_bargain_reset(sim_bargain *b, int stages, int first, double delta0,
                       double delta1)
{
    b->n_deals = 0;
    b->n_runs = 0;
    b->stages = stages < b->cap_stages ? stages : b->cap_stages;
    b->first = first;
    b->delta[0] = delta0;
    b->delta[1] = delta1;
    b->solved = false;
}

/* Records deal i (already stored) in the runs: it starts a new run unless
 * it continues the last one (gain[1] up and gain[0] down strictly, so a
 * NaN gain always starts a run of its own and ends it). */
static void note_run(sim_bargain *b, int i, double g0, double g1)
{
    if (i == 0 || !(g1 > b->gain[1][i - 1] && g0 < b->gain[0][i - 1]))
        b->run[b->n_runs++] = i;
}

int sim_bargain_add(sim_bargain *b, unsigned package, int count, double g0,
                    double g1)
{
    if (b->n_deals >= b->cap_deals)
        return -1;
    int i = b->n_deals++;
    b->package[i] = package;
    b->count[i] = count;
    b->gain[0][i] = g0;
    b->gain[1][i] = g1;
    note_run(b, i, g0, g1);
    b->solved = false;
    return i;
}

int sim_bargain_add_chain(sim_bargain *b, unsigned package, int first, int last,
                          const double base[2], const double *const rel[2],
                          const double bonus[2])
{
    int i0 = b->n_deals;
    if (last - first >= b->cap_deals - i0)
        return -1;
    /* Locals, so that the stores into the arrays do not make the compiler
     * reload b's fields at every deal. */
    double *g0 = b->gain[0], *g1 = b->gain[1];
    unsigned *pk = b->package;
    int *cnt = b->count, *run = b->run, k = b->n_runs;
    const double *r0 = rel[0], *r1 = rel[1];
    double b0 = base[0], b1 = base[1], e0 = bonus[0], e1 = bonus[1];
    /* NaN "previous gains" make deal 0 start a run, as note_run does. */
    double p0 = i0 > 0 ? g0[i0 - 1] : NAN, p1 = i0 > 0 ? g1[i0 - 1] : NAN;
    for (int n = first, i = i0; n <= last; n++, i++) {
        double x0 = b0 + r0[n] + e0;
        double x1 = b1 + r1[n] + e1;
        pk[i] = package;
        cnt[i] = n;
        g0[i] = x0;
        g1[i] = x1;
        if (!(x1 > p1 && x0 < p0)) /* as note_run */
            run[k++] = i;
        p0 = x0;
        p1 = x1;
    }
    b->n_runs = k;
    b->n_deals = i0 + (last - first + 1);
    b->solved = false;
    return i0;
}

int sim_bargain_proposer(const sim_bargain *b, int t)
{
    return (b->first + t) % 2;
}

/* The least gain accepted against the threshold thr. */
static double acceptance_cut(double thr)
{
    return thr - SIM_BARGAIN_TOL * (1.0 + fabs(thr));
}

static bool at_least(double x, double thr)
{
    return x >= acceptance_cut(thr);
}

/* The plain scan's pick at a stage: among the deals R accepts (gain[R] at
 * least the cut of thrR), the largest gain[P], then the larger gain[R],
 * then the lower index; -1 if R accepts none. (n_runs is not used: the
 * signature is the fast pick's.) */
static int scan_pick(const sim_bargain *b, int n_runs, int P, double thrR)
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
    return best;
}

typedef int (*stage_pick_fn)(const sim_bargain *b, int n_runs, int P,
                             double thrR);

/* Backward induction from the last stage to the first, the proposer's
 * deal at each stage chosen by `pick` (the scan or the fast search: they
 * choose the same deal). The proposer stalls when the pick is none or not
 * worth waiting for. */
static void induct(sim_bargain *b, int n_runs, stage_pick_fn pick)
{
    int S = b->stages;
    b->value[2 * (size_t)S] = 0.0;
    b->value[2 * (size_t)S + 1] = 0.0;
    for (int t = S - 1; t >= 0; t--) {
        int P = sim_bargain_proposer(b, t), R = 1 - P;
        double thrR = b->delta[R] * b->value[2 * (t + 1) + R];
        double thrP = b->delta[P] * b->value[2 * (t + 1) + P];
        int best = pick(b, n_runs, P, thrR);
        if (best >= 0 && at_least(b->gain[P][best], thrP)) {
            b->offer[t] = best;
            b->value[2 * t + P] = b->gain[P][best];
            b->value[2 * t + R] = b->gain[R][best];
        } else {
            /* No acceptable deal beats waiting: the proposer stalls and
             * both sides get their discounted value of the next stage. */
            b->offer[t] = -1;
            b->value[2 * t + P] = thrP;
            b->value[2 * t + R] = thrR;
        }
    }
    b->solved = true;
}

void sim_bargain_solve_reference(sim_bargain *b)
{
    if (!b->solved)
        induct(b, 0, scan_pick);
}

/* The fast solver. The deals of a track come in chains, one per package,
 * along which the prisoners released raise one side's gain and lower the
 * other's. So the deals split into runs of consecutive indices along which
 * gain[1] strictly rises and gain[0] strictly falls. Since at_least(x, thr)
 * is x >= c for one number c per stage, the deals a responder accepts are,
 * within a run, a suffix (R = 1) or a prefix (R = 0), and the deal of the
 * run the scan would pick (the largest gain[P]) is the first of that suffix
 * or the last of that prefix: a binary search finds it. The scan's pick is
 * the best of these picks by the scan's own order, taken in index order.
 * The adds keep the runs; a game with many short runs, or with a NaN gain,
 * is left to the scan. */

/* Closes the runs kept by the adds (b->run[n_runs] = n_deals) and returns
 * n_runs, or -1 when the runs would not pay or a gain is NaN (a NaN deal
 * is a run of its own, so only the runs' first deals need a look). */
static int close_runs(sim_bargain *b)
{
    int k = b->n_runs;
    if (4 * k > b->n_deals)
        return -1;
    for (int r = 0; r < k; r++)
        if (isnan(b->gain[0][b->run[r]]) || isnan(b->gain[1][b->run[r]]))
            return -1;
    b->run[k] = b->n_deals;
    return k;
}

/* The deal the scan would pick in deals lo..hi-1 (one run) when R accepts
 * gain[R] >= cut (cut = acceptance_cut(thrR)), or -1 if R accepts none. */
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
static int stage_pick(const sim_bargain *b, int n_runs, int P, double thrR)
{
    const double *gP = b->gain[P], *gR = b->gain[1 - P];
    double cut = acceptance_cut(thrR);
    int best = -1;
    for (int r = 0; r < n_runs; r++) {
        int i = run_pick(b, b->run[r], b->run[r + 1], 1 - P, cut);
        if (i >= 0 && (best < 0 || gP[i] > gP[best] ||
                       (gP[i] == gP[best] && gR[i] > gR[best])))
            best = i;
    }
    return best;
}

void sim_bargain_solve(sim_bargain *b)
{
    if (b->solved)
        return;
    int n_runs = close_runs(b);
    induct(b, n_runs, n_runs < 0 ? scan_pick : stage_pick);
}

double sim_bargain_continuation(const sim_bargain *b, int t, int s)
{
    if (t + 1 >= b->stages)
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

bool sim_bargain_is_linear(const sim_bargain *b, double *M0, double *M1)
{
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
