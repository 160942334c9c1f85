/* bargain_impl.h - PRIVATE to sim/bargain.c and sim/bargain_chain.c: the
 * game's deals as chains, and the backward induction they share. */
#ifndef SIM_BARGAIN_IMPL_H
#define SIM_BARGAIN_IMPL_H

#include <sanctionsim/bargain.h>

/* Deals index..index + (last - first) of a game: (package, n) for n =
 * first..last, giving side s the gain (base[s] + rel[s][n]) + bonus[s].
 * A deal added by sim_bargain_add after an unfilled chain is a chain of
 * its own with rel NULL and the gains base[] (first = last = its count);
 * one added while the table is complete goes to the table only. */
typedef struct sim_bargain_chain {
    unsigned package;
    int first, last;
    int index;
    double base[2], bonus[2];
    const double *rel[2];
} sim_bargain_chain;

/* A run of the chain solver: the deals of counts lo..hi (inclusive) of one
 * chain (its base, bonus and rel copied), the first of index `index`,
 * along which gain[s] does not fall (up[s]) or does not rise (!up[s]),
 * and the gains at its ends. */
typedef struct sim_bargain_crun {
    int lo, hi;
    int index;
    bool up[2];
    double base[2], bonus[2];
    const double *rel[2];
    double at_lo[2], at_hi[2]; /* the gains of deals lo and hi */
} sim_bargain_crun;

struct sim_bargain_chains {
    int n, cap;   /* chains in chain[] */
    int filled;   /* deals 0..filled-1 are in the table */
    /* Some deal is in the table only (sim_bargain_add while the table was
     * complete): the chains cover the deals from `filled` on, not all. */
    bool table_only;
    sim_bargain_chain *chain; /* cap entries */
    sim_bargain_crun *crun;   /* cap entries */
    /* The table's runs for its solver: run[r] is the first deal of the
     * r-th run of consecutive deals along which gain[1] strictly rises and
     * gain[0] strictly falls (cap + 1 entries). */
    int *run;
    int n_runs;
    /* sim_bargain_monotone: rel arrays known monotone over 0..mono_hi
     * (mono_rel NULL: none). */
    const double *mono_rel[2];
    int mono_hi;
};

/* A stage's pick: the deal the scan would pick for proposer P when the
 * responder accepts gains of at least the cut of thrR (see induct in
 * bargain.c), its gains into g[], or -1; n is the picker's own count
 * (runs). */
typedef int (*sim_bargain_pick_fn)(const sim_bargain *b, int n, int P,
                                   double thrR, double g[2]);

/* Backward induction over the stages with `pick`; marks b solved. A stage
 * whose threshold repeats its proposer's last one reuses that pick (not for
 * the reference: scan_pick with n = 0). */
void sim_bargain_induct(sim_bargain *b, int n, sim_bargain_pick_fn pick);

/* The least gain accepted against the threshold thr. */
double sim_bargain_cut(double thr);

/* bargain_chain.c: the runs of the chain solver into chains->crun, their
 * number, or -1 when the game is not for it (a NaN gain, or so many runs
 * that the table's solvers pay better); and its pick. */
int sim_bargain_chain_runs(sim_bargain *b);
int sim_bargain_chain_pick(const sim_bargain *b, int n, int P, double thrR,
                           double g[2]);

#endif
