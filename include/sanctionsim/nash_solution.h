/* nash_solution.h - the generalized Nash bargaining solution, for the
 * `nash` model, the `solve` command and the tests (MODEL.md section 4,
 * `nash`).
 *
 * Nash (1950) picks the deal maximizing the product of the two sides' gains
 * over disagreement; the generalized (asymmetric) solution of Kalai (1977)
 * and Roth (1979) weights them with bargaining powers b and 1 - b:
 *     max (u1 - d1)^b (u2 - d2)^(1 - b). */
#ifndef SIM_NASH_SOLUTION_H
#define SIM_NASH_SOLUTION_H

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The continuous textbook problem: u1 = x^a1, u2 = (1 - x)^a2 on a unit pie
 * x in [0, 1], disagreement (0, 0), power b of side 1. Writes to *x the
 * maximizer of (x^a1)^b ((1 - x)^a2)^(1 - b), found by GSL's Brent
 * minimizer on -[b a1 ln x + (1 - b) a2 ln(1 - x)] to 1e-12 in x; the
 * analytic answer is b a1 / (b a1 + (1 - b) a2). Degenerate inputs have
 * defined answers: x = 1 when (1 - b) a2 = 0 < b a1 (b = 1 or a2 = 0),
 * x = 0 when b a1 = 0 < (1 - b) a2 (b = 0 or a1 = 0). Returns 0, or
 * SIM_E_USAGE (with a message in err, which may be NULL) for b outside
 * [0, 1], a negative or non-finite exponent, a NULL x, or b a1 = (1 - b) a2
 * = 0 (the product does not depend on x); SIM_E_NUMERIC or SIM_E_NOMEM if
 * GSL fails. On error *x is left unchanged. */
int sim_nash_power(double a1, double a2, double b, double *x, sim_err *err);

/* The exact search over a discrete deal set: deal i gives the deciding side
 * g_self[i] and the other side g_other[i] over disagreement. For 0 < b < 1,
 * *best is the deal maximizing b ln g_self + (1 - b) ln g_other among the
 * deals with both gains > 0 (finite); for b = 1 (b = 0) the deal maximizing
 * g_self (g_other) among those with both gains >= 0, the limit of the
 * product as b -> 1 (0). Ties go to the larger gain of the other kind
 * (g_other for 0 < b <= 1, g_self for b = 0), then to the lower index. If
 * no deal gives both sides a positive gain, *best = -1 (no bargain beats
 * disagreement). Returns 0, or SIM_E_USAGE (*best untouched) for b outside
 * [0, 1], n < 0 or a NULL pointer. O(n), no allocation. */
int sim_nash_discrete(const double *g_self, const double *g_other, int n,
                      double b, int *best);

#ifdef __cplusplus
}
#endif

#endif
