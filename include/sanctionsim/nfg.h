/* nfg.h - finite normal-form games: the payoff table (nfg.c), the Gambit
 * .nfg reader (nfg_lex.c, nfg_read.c) and writer (nfg_write.c), pure Nash
 * equilibria (nfg_pure.c) and mixed ones of two-player games by support
 * enumeration (nfg_support.c). The logit quantal response equilibrium is in
 * qre.h.
 *
 * A game has n >= 1 players; player i has nstrat[i] >= 1 strategies. A pure
 * profile s = (s_0, ..., s_{n-1}) has the index
 *     idx(s) = s_0 + nstrat[0] * (s_1 + nstrat[1] * (s_2 + ...)),
 * i.e. player 0's strategy varies fastest, as in Gambit's payoff lists.
 * payoff[idx * n + i] is player i's payoff at profile idx. */
#ifndef SIM_NFG_H
#define SIM_NFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif


typedef struct sim_nfg {
    char title[256];
    int nplayers;
    char player[SIM_NFG_MAX_PLAYERS][SIM_NFG_NAME_MAX];
    int nstrat[SIM_NFG_MAX_PLAYERS];
    char strategy[SIM_NFG_MAX_PLAYERS][SIM_NFG_MAX_STRATEGIES]
                 [SIM_NFG_NAME_MAX];
    size_t nprofiles; /* product of nstrat */
    double *payoff;   /* nprofiles * nplayers, owned: sim_nfg_free */
} sim_nfg;

/* A mixed-strategy profile: prob[i][j] = probability player i plays j. */
typedef struct sim_mixed {
    double prob[SIM_NFG_MAX_PLAYERS][SIM_NFG_MAX_STRATEGIES];
} sim_mixed;

/* Allocates the payoff table for the players and strategy counts already
 * set in g (nplayers, nstrat); payoffs start at 0. Returns 0, or an error
 * if the game is too large (SIM_E_SCENARIO) or memory runs out. */
int sim_nfg_alloc(sim_nfg *g, sim_err *err);

/* Frees the payoff table; the struct may be reused. NULL-safe. */
void sim_nfg_free(sim_nfg *g);

/* Index of a pure profile. */
size_t sim_nfg_index(const sim_nfg *g, const int *profile);

/* Player i's payoff at a pure profile. */
double sim_nfg_payoff(const sim_nfg *g, const int *profile, int i);

/* Tolerance of the floating-point support enumeration, relative to each
 * player's own payoff scale (games with more than
 * SIM_NFG_EXACT_MAX_STRATEGIES strategies in all). */
#define SIM_NFG_SUPPORT_TOL 1e-9

/* Returns 0 if g is well formed: 1..SIM_NFG_MAX_PLAYERS players, each with
 * 1..SIM_NFG_MAX_STRATEGIES strategies, nprofiles equal to the product of
 * the counts (<= SIM_NFG_MAX_PROFILES), a payoff table of finite numbers,
 * and NUL-terminated names; otherwise SIM_E_USAGE with a message. */
int sim_nfg_check(const sim_nfg *g, sim_err *err);

/* Reads a Gambit strategic-form game (.nfg, version 1, number type R or D)
 * from the file at path into g. Both of Gambit's layouts are accepted:
 *   NFG 1 R "title" { "P1" "P2" } { 2 2 }                    (counts), or
 *   NFG 1 R "title" { "P1" "P2" } { { "C" "D" } { "C" "D" } } (names),
 * then an optional comment string, then either
 *   - the payoff version: nprofiles * nplayers numbers, profiles in index
 *     order (player 1 fastest), each giving every player's payoff; or
 *   - the outcome version: { { "name" u1 u2 ... } ... } (payoffs separated
 *     by blanks or commas), then one outcome number per profile, 1-based,
 *     0 meaning no outcome (all payoffs 0).
 * Numbers are integers, decimals (with optional exponent) or fractions
 * p/q. Strategies given by count are named "1", "2", ... as Gambit does.
 * Labels may escape '"' as \" and '\' as \\. Names longer than
 * SIM_NFG_NAME_MAX - 1 bytes and titles longer than 255 bytes are errors,
 * not truncated. The comment is read and dropped.
 * g need not be initialized: it is overwritten (a previous payoff table is
 * not freed); on success the caller frees g with sim_nfg_free, on error
 * g->payoff is NULL. Returns 0; SIM_E_SCENARIO with "path:line: what was
 * expected, what was found" for any malformed input or a game beyond the
 * SIM_NFG_MAX_* limits (checked before anything is allocated; memory grows
 * only with the numbers actually read), or for a path that is not a
 * regular file (a FIFO, terminal, device or directory: refused before a
 * byte is read, without blocking); SIM_E_IO if the file cannot be opened
 * or read (the message names the file and the system's reason);
 * SIM_E_NOMEM. The parser does not recurse and reads no byte past the end. */
int sim_nfg_read_file(const char *path, sim_nfg *g, sim_err *err);

/* As sim_nfg_read_file, from a NUL-terminated string; messages name label
 * (or "<string>" if label is NULL) in place of a path. */
int sim_nfg_read_string(const char *text, const char *label, sim_nfg *g,
                        sim_err *err);

/* Writes g to f in the payoff version with strategy names and an empty
 * comment, one profile per line, each payoff in the shortest "%.Ng" form
 * (N <= 17) that reads back as the same double, so reading the output gives
 * back g exactly (title, names, counts, payoffs). f stays open. Returns 0;
 * SIM_E_USAGE if g fails sim_nfg_check (e.g. a non-finite payoff);
 * SIM_E_IO if a write fails (as far as ferror tells before f is closed). */
int sim_nfg_write(FILE *f, const sim_nfg *g, sim_err *err);

/* Finds the pure Nash equilibria of g (any number of players): profile
 * indices in increasing order. A profile is an equilibrium when no player
 * has a unilateral deviation that pays strictly more; the payoffs (the
 * doubles g holds) are compared exactly, without tolerance, so the answer
 * does not depend on the payoffs' scale. *count receives the number of equilibria; the first
 * min(*count, max) indices are written to profiles (which may be NULL when
 * max is 0). Returns 0, or SIM_E_USAGE for a malformed game or NULL count. */
int sim_nfg_pure_equilibria(const sim_nfg *g, size_t *profiles, size_t max,
                            size_t *count, sim_err *err);

/* Mixed Nash equilibria of a two-player game by support enumeration.
 *
 * Method. For every pair of supports (S1, S2), nonempty subsets of the
 * row's and the column's strategies (all sizes, not only |S1| = |S2|), two
 * indifference systems are solved:
 *   y on S2:  A[i, S2] y = v for i in S1,  sum y = 1   (rows S1 indifferent)
 *   x on S1:  B[S1, j]' x = u for j in S2, sum x = 1   (columns S2 likewise)
 * A solution is kept only if it is unique, non-negative, and no pure
 * strategy of the other player does better than v (resp. u). The kept x
 * and y are vertices of the players' best-response polytopes; every pair
 * (x, y) in which each mix puts weight only on best responses to the other
 * is reported. Pairing the two sides across support pairs, rather than
 * only solving both systems for the same (S1, S2), is what finds the
 * equilibria of degenerate games whose supports differ in size.
 *
 * Arithmetic. With m + n <= SIM_NFG_EXACT_MAX_STRATEGIES (14) every
 * payoff is taken as the exact rational its double stands for and the
 * systems are solved by Gaussian elimination in exact rational arithmetic
 * (GMP), as Gambit's enummixed does: every test above is exact, every
 * reported equilibrium is an exact equilibrium of the game, rounded to the
 * nearest doubles, and payoffs may span any range. Above that (up to
 * SIM_NFG_SUPPORT_MAX_STRATEGIES) the systems are solved in floating
 * point with GSL's SVD, each player's payoffs divided by that player's
 * largest |payoff|; a system is unique if its smallest singular value is
 * above 1e-10 times the largest, and the tests hold to SIM_NFG_SUPPORT_TOL
 * (1e-9) in those units. Every equilibrium found so is then verified: its
 * two systems are solved again in exact arithmetic and the pair is tested
 * exactly; it is replaced by the exact solution, or dropped and counted
 * (info->rejected) if it fails.
 *
 * Degenerate games. Where a system has a continuum of solutions it is
 * skipped; what is reported are the extreme points of the equilibrium
 * components, each of which is the unique solution of some support pair's
 * systems (vertices of the best-response polytopes; Avis, Rosenberg,
 * Savani and von Stengel 2010). A component that is a segment is reported
 * as its two end points, not as the segment. In a nondegenerate game every
 * equilibrium is isolated and all are found.
 *
 * Order. Equilibria are sorted by the support enumeration order of their
 * own supports (positive probability; above the tolerance in floating
 * point): by |supp x|, then |supp y|, then the supports as bit masks
 * (strategy 1 = lowest bit), so pure equilibria come first; equal supports
 * keep discovery order. No two reported x (or y) are equal (exact), resp.
 * within 1e-9 in max norm (floating point): near-duplicates are merged.
 *
 * Limits. About 2^(m+n) small systems, so m + n must not exceed
 * SIM_NFG_SUPPORT_MAX_STRATEGIES (20; a 10x10 game takes about 5 s). In
 * floating point a system with condition number above 1e10 counts as
 * singular, so an equilibrium found only through such a system is missed
 * (and info->rejected says when a found one failed verification). GMP
 * aborts the program if it runs out of memory (its default handler; the
 * systems hold at most 21 x 22 rationals).
 *
 * Writes the first min(*count, max) equilibria to eq (player 0 = row,
 * player 1 = column; other entries 0); eq may be NULL when max is 0; info
 * (may be NULL) receives how they were found. Returns 0; SIM_E_USAGE for a
 * malformed game, not two players, too many strategies or NULL count;
 * SIM_E_NUMERIC if GSL reports a failure (the call turns GSL's abort
 * handler off: sim_error_quiet_gsl); SIM_E_NOMEM. */
typedef struct sim_nfg_support_info {
    bool exact;      /* exact rational arithmetic was used */
    size_t rejected; /* floating point: equilibria found that failed
                        verification and were not reported */
} sim_nfg_support_info;

int sim_nfg_mixed_equilibria(const sim_nfg *g, sim_mixed *eq, size_t max,
                             size_t *count, sim_nfg_support_info *info,
                             sim_err *err);

/* sim_nfg_mixed_equilibria without the info. */
int sim_nfg_support_enumeration(const sim_nfg *g, sim_mixed *eq, size_t max,
                                size_t *count, sim_err *err);

/* Player i's regret at the mixed profile p of g (well formed, as
 * sim_nfg_check): the largest gain, >= 0, from switching to a pure
 * strategy, u_i(best pure, p_-i) - u_i(p), in floating point. 0 at a Nash
 * equilibrium; exact for a pure profile (probabilities 0 and 1). */
double sim_nfg_regret(const sim_nfg *g, const sim_mixed *p, int i);

#ifdef __cplusplus
}
#endif

#endif
