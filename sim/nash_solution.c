/* nash_solution.c - the generalized Nash bargaining solution (Nash 1950;
 * Kalai 1977, Roth 1979): the exact search over a discrete deal set, used by
 * the `nash` model, and the continuous textbook problem u1 = x^a1,
 * u2 = (1 - x)^a2 solved with GSL's Brent minimizer, used by the `solve`
 * command (contracts in nash_solution.h). */
#include <sanctionsim/nash_solution.h>

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <math.h>
#include <stdbool.h>

/* ---- the exact discrete search ---- */

int sim_nash_discrete(const double *g_self, const double *g_other, int n,
                      double b, int *best)
{
    if (!best || n < 0 || (n > 0 && (!g_self || !g_other)))
        return sim_error(NULL, SIM_E_USAGE,
                         "sim_nash_discrete: NULL pointer or n < 0");
    if (!(b >= 0.0 && b <= 1.0))
        return sim_error(NULL, SIM_E_USAGE,
                         "sim_nash_discrete: power %g is not in [0, 1]", b);
    int pick = -1;
    bool gainful = false; /* some deal gives both sides a positive gain */
    double pick_obj = 0.0, pick_tie = 0.0;
    for (int i = 0; i < n; i++) {
        double s = g_self[i], o = g_other[i], obj, tie;
        if (!isfinite(s) || !isfinite(o))
            continue;
        if (s > 0.0 && o > 0.0)
            gainful = true;
        if (b == 1.0 || b == 0.0) {
            /* The limit of the product as b -> 1 (0): the largest own
             * (other) gain among deals that leave nobody worse off, then
             * the largest gain of the other kind. */
            if (s < 0.0 || o < 0.0)
                continue;
            obj = b == 1.0 ? s : o;
            tie = b == 1.0 ? o : s;
        } else {
            /* ln N = b ln g_self + (1 - b) ln g_other: the log is monotone,
             * and the product of small gains would underflow. */
            if (!(s > 0.0 && o > 0.0))
                continue;
            obj = b * log(s) + (1.0 - b) * log(o);
            tie = o;
        }
        if (pick < 0 || obj > pick_obj || (obj == pick_obj && tie > pick_tie)) {
            pick = i;
            pick_obj = obj;
            pick_tie = tie;
        }
    }
    *best = gainful ? pick : -1;
    return 0;
}

/* ---- the continuous textbook problem ---- */

#define NASH_TOL 1e-12     /* absolute, in x */
#define NASH_PASS_REL 1e-6 /* relative width that ends one Brent pass */
#define NASH_MAX_ITER 200  /* Brent iterations per pass */
#define NASH_MAX_PASS 12

/* The grid that brackets the minimum: 2^-1074 .. 2^-2, 1/2, then
 * 1 - 2^-2 .. 1 - 2^-53, increasing. It reaches every double scale near 0
 * and the last double below 1, so every interior minimum is bracketed by
 * points where the objective is finite. */
#define GRID_LOW 1073
#define GRID_N (GRID_LOW + 1 + 52)

static double grid_point(int k)
{
    if (k < GRID_LOW)
        return ldexp(1.0, k - 1074);
    if (k == GRID_LOW)
        return 0.5;
    return 1.0 - ldexp(1.0, -(k - GRID_LOW + 1));
}

/* -[p ln x + q ln(1 - x)], the objective. */
static double raw_objective(double x, double p, double q)
{
    return -(p * log(x) + q * log1p(-x));
}

typedef struct shifted {
    double p, q, c;
} shifted;

/* The objective at x = c + y minus its value at c:
 *     -[p ln(1 + y/c) + q ln(1 - y/(1 - c))].
 * A constant shift does not move the minimum, and written with log1p about
 * the centre c its rounding error is about eps |y| instead of eps |f|. With
 * the raw logs the minimum can be located only to sqrt(eps) ~ 1e-8 (the
 * function is flat to eps |f| over that width), and GSL's Brent never takes
 * a step below sqrt(eps) |y|; measured in y about a centre close to the
 * minimum, both limits fall far below the 1e-12 asked for. */
static double shifted_objective(double y, void *vp)
{
    const shifted *f = vp;
    return -(f->p * log1p(y / f->c) + f->q * log1p(-y / (1.0 - f->c)));
}

/* One Brent pass on the shifted objective over x in [lo, hi], started at
 * the centre (y = 0), which must be strictly below both ends. Stores the
 * minimizer z (in y) and the final bracket [*ya, *yb] (in y). */
static int brent_pass(gsl_min_fminimizer *s, shifted *fn, double lo, double hi,
                      double *z, double *ya, double *yb, sim_err *err)
{
    gsl_function F = {shifted_objective, fn};
    int status = gsl_min_fminimizer_set(s, &F, 0.0, lo - fn->c, hi - fn->c);
    if (status)
        return sim_error(err, SIM_E_NUMERIC,
                         "sim_nash_power: GSL cannot start the minimizer on "
                         "[%.17g, %.17g] about %.17g: %s",
                         lo, hi, fn->c, gsl_strerror(status));
    for (int it = 0; it < NASH_MAX_ITER; it++) {
        if ((status = gsl_min_fminimizer_iterate(s)))
            return sim_error(err, SIM_E_NUMERIC,
                             "sim_nash_power: GSL minimizer step failed: %s",
                             gsl_strerror(status));
        *ya = gsl_min_fminimizer_x_lower(s);
        *yb = gsl_min_fminimizer_x_upper(s);
        /* GSL_SUCCESS or GSL_CONTINUE: the test fails only on a negative
         * tolerance (both are constants above 0) or a bracket whose lower
         * end lies above its upper one, which Brent never leaves. */
        if (gsl_min_test_interval(*ya, *yb, NASH_TOL, NASH_PASS_REL) ==
            GSL_SUCCESS) {
            *z = gsl_min_fminimizer_x_minimum(s);
            return 0;
        }
    }
    return sim_error(err, SIM_E_NUMERIC,
                     "sim_nash_power: no convergence in %d Brent iterations",
                     NASH_MAX_ITER);
}

/* The index of the grid point with the smallest objective. The objective
 * is strictly convex on (0, 1) (a sum of -ln terms), so its minimum over
 * the increasing grid at point j puts the true minimum in
 * [x_{j-1}, x_{j+1}], and x_{j-2}, x_{j+2} lie strictly higher. */
static int grid_minimum(double p, double q)
{
    int j = 0;
    double fj = raw_objective(grid_point(0), p, q);
    for (int k = 1; k < GRID_N; k++) {
        double fk = raw_objective(grid_point(k), p, q);
        if (fk < fj) {
            fj = fk;
            j = k;
        }
    }
    return j;
}

/* The minimizer in (0, 1) of -[p ln x + q ln(1 - x)] for p, q > 0, to
 * NASH_TOL, into *x: bracketed on the grid, then refined by Brent passes.
 * Returns 0, SIM_E_NUMERIC or SIM_E_NOMEM (*x unchanged). */
static int interior_minimum(double p, double q, double *x, sim_err *err)
{
    /* Only the ratio of the weights b a1 and (1 - b) a2 of the two logs
     * matters: scale the larger to 1 so that no product overflows. */
    double m = p > q ? p : q;
    p /= m;
    q /= m;

    /* At a grid end, the minimum is closer to 0 or 1 than the next double
     * inside: that end is the answer to 1e-16. */
    int j = grid_minimum(p, q);
    if (j == 0 || j == GRID_N - 1) {
        *x = grid_point(j);
        return 0;
    }
    /* A bracket [x_{j-2}, x_{j+2}] of subnormal numbers (the answer below
     * 2^-1020) has too few doubles for Brent to start on (the objective
     * does not rise to its ends): x_j is the answer to far below
     * NASH_TOL. */
    if (grid_point(j + 2) < DBL_MIN) {
        *x = grid_point(j);
        return 0;
    }
    double lo = grid_point(j >= 2 ? j - 2 : 0);
    double hi = grid_point(j + 2 < GRID_N ? j + 2 : GRID_N - 1);
    shifted fn = {p, q, grid_point(j)};

    gsl_min_fminimizer *s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!s)
        return sim_error(err, SIM_E_NOMEM, "out of memory for a minimizer");
    /* Brent passes, each re-centred on the last minimizer: a pass locates
     * the minimum to about sqrt(eps |step from its centre|), so the steps
     * shrink like 1e-1, 1e-8, 1e-12, 1e-14; stop when a pass's step and
     * bracket are both below NASH_TOL. */
    int rc = 0;
    bool done = false;
    for (int pass = 0; pass < NASH_MAX_PASS && !done; pass++) {
        double z = 0.0, ya = 0.0, yb = 0.0;
        if ((rc = brent_pass(s, &fn, lo, hi, &z, &ya, &yb, err)))
            break;
        double xn = fn.c + z, w = yb - ya;
        if (w < NASH_TOL && fabs(z) < NASH_TOL) {
            *x = xn;
            done = true;
        }
        /* The next bracket is several times this pass's step, a bound on
         * its error, wide enough that the ends stay above the centre. */
        double half = 4.0 * (fabs(z) + w);
        if (xn - half > lo)
            lo = xn - half;
        if (xn + half < hi)
            hi = xn + half;
        fn.c = xn;
    }
    gsl_min_fminimizer_free(s);
    if (rc)
        return rc;
    if (!done)
        return sim_error(err, SIM_E_NUMERIC,
                         "sim_nash_power: no convergence in %d passes",
                         NASH_MAX_PASS);
    return 0;
}

int sim_nash_power(double a1, double a2, double b, double *x, sim_err *err)
{
    sim_error_quiet_gsl(); /* GSL reports through status codes */
    if (!x)
        return sim_error(err, SIM_E_USAGE, "sim_nash_power: x is NULL");
    if (!(b >= 0.0 && b <= 1.0))
        return sim_error(err, SIM_E_USAGE,
                         "nash: power b = %g is not in [0, 1]", b);
    if (!(a1 >= 0.0 && isfinite(a1)) || !(a2 >= 0.0 && isfinite(a2)))
        return sim_error(err, SIM_E_USAGE,
                         "nash: the exponents a1 = %g and a2 = %g must be "
                         "finite and >= 0",
                         a1, a2);
    /* The weights of the two logs; interior_minimum scales them. */
    double p = b * a1, q = (1.0 - b) * a2;
    if (p == 0.0 && q == 0.0)
        return sim_error(err, SIM_E_USAGE,
                         "nash: with power b = %g and exponents a1 = %g, "
                         "a2 = %g the Nash product does not depend on x "
                         "(b a1 = (1 - b) a2 = 0): every split is a solution",
                         b, a1, a2);
    if (q == 0.0) { /* only side 1's gain counts: the whole pie */
        *x = 1.0;
        return 0;
    }
    if (p == 0.0) { /* only side 2's gain counts: nothing for side 1 */
        *x = 0.0;
        return 0;
    }
    return interior_minimum(p, q, x, err);
}
