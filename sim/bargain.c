/* bargain.c - backward induction for the alternating-offers game. */
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
    if (!b->gain[0] || !b->gain[1] || !b->package || !b->count || !b->offer ||
        !b->value) {
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
    *b = (sim_bargain){0};
}

void sim_bargain_reset(sim_bargain *b, int stages, int first, double delta0,
                       double delta1)
{
    b->n_deals = 0;
    b->stages = stages < b->cap_stages ? stages : b->cap_stages;
    b->first = first;
    b->delta[0] = delta0;
    b->delta[1] = delta1;
    b->solved = false;
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
    b->solved = false;
    return i;
}

int sim_bargain_proposer(const sim_bargain *b, int t)
{
    return (b->first + t) % 2;
}

static bool at_least(double x, double thr)
{
    return x >= thr - SIM_BARGAIN_TOL * (1.0 + fabs(thr));
}

void sim_bargain_solve(sim_bargain *b)
{
    if (b->solved)
        return;
    int S = b->stages;
    b->value[2 * (size_t)S] = 0.0;
    b->value[2 * (size_t)S + 1] = 0.0;
    for (int t = S - 1; t >= 0; t--) {
        int P = sim_bargain_proposer(b, t), R = 1 - P;
        double thrR = b->delta[R] * b->value[2 * (t + 1) + R];
        double thrP = b->delta[P] * b->value[2 * (t + 1) + P];
        int best = -1;
        for (int i = 0; i < b->n_deals; i++) {
            if (!at_least(b->gain[R][i], thrR))
                continue;
            if (best < 0 || b->gain[P][i] > b->gain[P][best] ||
                (b->gain[P][i] == b->gain[P][best] &&
                 b->gain[R][i] > b->gain[R][best]))
                best = i;
        }
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
