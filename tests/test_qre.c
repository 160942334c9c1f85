/* test_qre.c - the logit quantal response equilibrium: uniform play at
 * lambda = 0, the fixed-point residual, McKelvey and Palfrey's (1995)
 * asymmetric matching pennies against an independent bisection and against
 * its Nash limit, dominance, n-player games and every error path.
 *
 * Unless stated, doubles are compared to TOL; fixed points are accepted at
 * the library's SIM_QRE_TOL = 1e-10. */
#include "testutil.h"

#include <sanctionsim/nfg.h>
#include <sanctionsim/qre.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-12
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Allocates an n-player game with the given strategy counts, payoffs 0. */
static void game_init(sim_nfg *g, int n, const int *nstrat)
{
    sim_err err = {0};
    memset(g, 0, sizeof *g);
    g->nplayers = n;
    for (int i = 0; i < n; i++)
        g->nstrat[i] = nstrat[i];
    assert_int_equal(sim_nfg_alloc(g, &err), 0);
    assert_non_null(g->payoff);
}

/* A bimatrix game: a[r * nc + c] and b[r * nc + c] are the row and column
 * players' payoffs when row plays r and column c. */
static void bimatrix(sim_nfg *g, int nr, int nc, const double *a,
                     const double *b)
{
    const int ns[2] = {nr, nc};
    game_init(g, 2, ns);
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            int s[2] = {r, c};
            size_t idx = sim_nfg_index(g, s);
            g->payoff[idx * 2] = a[r * nc + c];
            g->payoff[idx * 2 + 1] = b[r * nc + c];
        }
}

/* McKelvey and Palfrey (1995), asymmetric matching pennies. Row: up, down;
 * column: left, right. Nash: P(up) = 1/2, P(left) = 1/10. */
static const double PEN_A[] = {9, 0, 0, 1};
static const double PEN_B[] = {0, 1, 1, 0};
/* Prisoners' dilemma, strategy 0 = cooperate, 1 = defect; defecting
 * gains 2 against C and 1 against D. */
static const double PD_A[] = {3, 0, 5, 1};
static const double PD_B[] = {3, 5, 0, 1};
/* A 3x3 game with no pure equilibrium (perturbed rock-paper-scissors). */
static const double RPS_A[] = {0, -1, 2, 1, 0, -1, -1, 3, 0};
static const double RPS_B[] = {0, 2, -1, -1, 0, 1, 1, -1, 0};
/* A 2x3 game. */
static const double G23_A[] = {3, 0, 2, 1, 2, 0};
static const double G23_B[] = {2, 1, 0, 0, 3, 1};
/* A 2x2 coordination game (its principal branch selects (0, 0)). */
static const double COORD_A[] = {2, 0, 0, 1};
static const double COORD_B[] = {2, 0, 0, 1};

typedef struct bigame {
    const char *name;
    int nr, nc;
    const double *a, *b;
} bigame;

static const bigame GAMES[] = {{"pennies", 2, 2, PEN_A, PEN_B},
                               {"dilemma", 2, 2, PD_A, PD_B},
                               {"rps", 3, 3, RPS_A, RPS_B},
                               {"2x3", 2, 3, G23_A, G23_B},
                               {"coord", 2, 2, COORD_A, COORD_B}};

/* Solves g at lambda, requiring success, a residual below SIM_QRE_TOL that
 * agrees with sim_qre_residual, and probabilities that are distributions. */
static void solve_ok(const sim_nfg *g, double lambda, sim_mixed *p)
{
    sim_err err = {0};
    double res = -1.0;
    int rc = sim_qre_logit(g, lambda, p, &res, &err);
    if (rc != 0)
        fail_msg("lambda = %g: rc %d: %s", lambda, rc, err.msg);
    if (!(res < SIM_QRE_TOL))
        fail_msg("lambda = %g: residual %g", lambda, res);
    assert_close(sim_qre_residual(g, lambda, p), res, 0.0);
    for (int i = 0; i < g->nplayers; i++) {
        double sum = 0.0;
        for (int j = 0; j < g->nstrat[i]; j++) {
            assert_true(p->prob[i][j] >= 0.0 && p->prob[i][j] <= 1.0);
            sum += p->prob[i][j];
        }
        assert_close(sum, 1.0, 1e-14);
        for (int j = g->nstrat[i]; j < SIM_NFG_MAX_STRATEGIES; j++)
            assert_true(p->prob[i][j] == 0.0);
    }
}

/* Logistic function 1 / (1 + e^-x). */
static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* Column's logit response to row playing its first strategy with
 * probability p, in a 2 x nc game (b as in bimatrix): q = softmax(lambda
 * EU_col(p)); for nc = 2, q_0 is the logistic function of
 * lambda (EU_col0 - EU_col1). */
static void column_response(const double *b, int nc, double lambda, double p,
                            double *q)
{
    double eu[SIM_NFG_MAX_STRATEGIES], m = -INFINITY, z = 0.0;
    for (int c = 0; c < nc; c++) {
        eu[c] = lambda * (p * b[c] + (1 - p) * b[nc + c]);
        m = fmax(m, eu[c]);
    }
    for (int c = 0; c < nc; c++)
        z += (q[c] = exp(eu[c] - m));
    for (int c = 0; c < nc; c++)
        q[c] /= z;
}

/* h(p) = p - logistic(lambda (EU_row0 - EU_row1)(q(p))): zero exactly at a
 * logit QRE of a 2 x nc game, with p = P(row 0). */
static double reduced_equation(const double *a, const double *b, int nc,
                               double lambda, double p)
{
    double q[SIM_NFG_MAX_STRATEGIES], gain = 0.0;
    column_response(b, nc, lambda, p, q);
    for (int c = 0; c < nc; c++)
        gain += (a[c] - a[nc + c]) * q[c];
    return p - logistic(lambda * gain);
}

/* An independent solution of a 2 x nc logit QRE: the column's response
 * q(p) is explicit, so the equilibrium is a root of the one equation
 * h(p) = 0 above. Bisection on [lo, hi], where h(lo) < 0 < h(hi) (true for
 * [0, 1]: h(0) < 0 < h(1)), to 1e-14. For pennies h is increasing (q_0
 * falls in p, so the logistic term falls) and the root is the unique QRE;
 * elsewhere the bracket picks the root. */
static void qre_2xn_bisect(const double *a, const double *b, int nc,
                           double lambda, double lo, double hi, double *p_out,
                           double *q_out)
{
    assert_true(reduced_equation(a, b, nc, lambda, lo) < 0);
    assert_true(reduced_equation(a, b, nc, lambda, hi) > 0);
    while (hi - lo > 1e-14) {
        double mid = 0.5 * (lo + hi);
        if (reduced_equation(a, b, nc, lambda, mid) < 0)
            lo = mid;
        else
            hi = mid;
    }
    *p_out = 0.5 * (lo + hi);
    column_response(b, nc, lambda, *p_out, q_out);
}

static void test_lambda_zero_uniform(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_OF(GAMES); k++) {
        sim_nfg g;
        sim_mixed p;
        sim_err err = {0};
        double res = -1.0;
        bimatrix(&g, GAMES[k].nr, GAMES[k].nc, GAMES[k].a, GAMES[k].b);
        assert_int_equal(sim_qre_logit(&g, 0.0, &p, &res, &err), 0);
        assert_true(res == 0.0);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < g.nstrat[i]; j++)
                assert_true(p.prob[i][j] == 1.0 / g.nstrat[i]);
        sim_nfg_free(&g);
    }
}

static void test_fixed_point_residual(void **state)
{
    (void)state;
    const double lambdas[] = {0.1, 1, 2, 5, 20};
    for (size_t k = 0; k < N_OF(GAMES); k++) {
        sim_nfg g;
        bimatrix(&g, GAMES[k].nr, GAMES[k].nc, GAMES[k].a, GAMES[k].b);
        for (size_t l = 0; l < N_OF(lambdas); l++) {
            sim_mixed p;
            double res = -1.0;
            sim_err err = {0};
            if (sim_qre_logit(&g, lambdas[l], &p, &res, &err) != 0 ||
                !(res < SIM_QRE_TOL))
                fail_msg("%s, lambda = %g: residual %g: %s", GAMES[k].name,
                         lambdas[l], res, err.msg);
            solve_ok(&g, lambdas[l], &p); /* and the common checks */
        }
        sim_nfg_free(&g);
    }
}

/* At lambda = 2 (and a few others) the solver agrees with the bisection
 * to 1e-9. */
static void test_pennies_matches_bisection(void **state)
{
    (void)state;
    const double lambdas[] = {0.5, 2, 7};
    sim_nfg g;
    bimatrix(&g, 2, 2, PEN_A, PEN_B);
    for (size_t l = 0; l < N_OF(lambdas); l++) {
        double pb, qb[2];
        sim_mixed p;
        qre_2xn_bisect(PEN_A, PEN_B, 2, lambdas[l], 0.0, 1.0, &pb, qb);
        solve_ok(&g, lambdas[l], &p);
        assert_close(p.prob[0][0], pb, 1e-9);
        assert_close(p.prob[0][1], 1.0 - pb, 1e-9);
        assert_close(p.prob[1][0], qb[0], 1e-9);
        assert_close(p.prob[1][1], qb[1], 1e-9);
    }
    sim_nfg_free(&g);
}

/* The own-payoff effect: for every finite lambda > 0 the row player plays
 * up (where its payoff 9 sits) more than at the Nash equilibrium's 1/2. */
static void test_pennies_own_payoff_effect(void **state)
{
    (void)state;
    const double lambdas[] = {0.2, 0.5, 1, 2, 5, 10};
    sim_nfg g;
    bimatrix(&g, 2, 2, PEN_A, PEN_B);
    for (size_t l = 0; l < N_OF(lambdas); l++) {
        sim_mixed p;
        solve_ok(&g, lambdas[l], &p);
        assert_true(p.prob[0][0] > 0.5 + 1e-3);
    }
    sim_nfg_free(&g);
}

/* The Nash limit with a derived rate. At the QRE the column's logit
 * equation inverts to p - 1/2 = -logit(q) / (2 lambda) and the row's to
 * q - 1/10 = logit(p) / (10 lambda) (logit(x) = ln(x / (1 - x))). With
 * q -> 1/10, logit(q) -> -ln 9, so p - 1/2 = ln 9 / (2 lambda) + O(lambda^-3),
 * and logit(p) ~ 4 (p - 1/2) gives q - 1/10 = 2 ln 9 / (10 lambda^2)
 * + O(lambda^-3). The checks: |p - 1/2| <= 1.2 / lambda and
 * |q - 1/10| <= 1 / lambda^2 (the limits with a margin), and the leading
 * terms to 5 / lambda^3 + 1e-12 (the second term allows for rounding:
 * at lambda = 1e6, 5 / lambda^3 is below one ulp of p). */
static void test_pennies_approaches_nash(void **state)
{
    (void)state;
    const double lambdas[] = {100, 1000, 1e6};
    sim_nfg g;
    bimatrix(&g, 2, 2, PEN_A, PEN_B);
    for (size_t l = 0; l < N_OF(lambdas); l++) {
        const double lam = lambdas[l];
        sim_mixed p;
        solve_ok(&g, lam, &p);
        double pu = p.prob[0][0], ql = p.prob[1][0];
        assert_true(fabs(pu - 0.5) <= 1.2 / lam);
        assert_true(fabs(ql - 0.1) <= 1.0 / (lam * lam));
        const double tol = 5.0 / (lam * lam * lam) + 1e-12;
        assert_close(pu - 0.5, log(9.0) / (2 * lam), tol);
        assert_close(ql - 0.1, 2 * log(9.0) / (10 * lam * lam), tol);
    }
    sim_nfg_free(&g);
}

/* A 2x3 game whose principal branch bends back in lambda: P(row 0) rises
 * along the lowest root of h to a fold near lambda = 1.524, returns along
 * the middle root to a second fold near lambda = 1.384 and then runs up the
 * upper root (found by counting sign changes of h on a grid of 40000
 * points, lambda in steps of 0.002: three roots between the folds, one
 * outside). Stepping in lambda alone
 * would stall at the first fold. At lambda = 2 the QRE is unique and the
 * bisection on [0, 1] must agree; at 1.45, inside the S, the first
 * passage along the branch is the lowest root (0.643 of 0.643, 0.737,
 * 0.892), bracketed by [0, 0.69]. */
static void test_branch_through_fold(void **state)
{
    (void)state;
    const double a[] = {1, 2, 2, 0, 5, 0};
    const double b[] = {2, 4, 6, 9, 4, 1};
    const struct {
        double lambda, lo, hi;
    } cases[] = {
        {1.0, 0.0, 1.0}, {1.45, 0.0, 0.69}, {2.0, 0.0, 1.0}, {3.0, 0.0, 1.0}};
    sim_nfg g;
    bimatrix(&g, 2, 3, a, b);
    for (size_t k = 0; k < N_OF(cases); k++) {
        double pb, qb[3];
        sim_mixed p;
        qre_2xn_bisect(a, b, 3, cases[k].lambda, cases[k].lo, cases[k].hi, &pb,
                       qb);
        solve_ok(&g, cases[k].lambda, &p);
        assert_close(p.prob[0][0], pb, 1e-9);
        for (int c = 0; c < 3; c++)
            assert_close(p.prob[1][c], qb[c], 1e-9);
    }
    sim_nfg_free(&g);
}

/* A pure coordination game with equal payoffs: uniform play is a QRE for
 * every lambda, and the principal branch stays there (at lambda = 2 two
 * other branches split off it, a pitchfork; the solver must not follow
 * them). */
static void test_coordination_pitchfork_stays_uniform(void **state)
{
    (void)state;
    const double a[] = {1, 0, 0, 1};
    const double lambdas[] = {1.9, 2.0, 2.1, 10, 1000};
    sim_nfg g;
    bimatrix(&g, 2, 2, a, a);
    for (size_t l = 0; l < N_OF(lambdas); l++) {
        sim_mixed p;
        solve_ok(&g, lambdas[l], &p);
        for (int i = 0; i < 2; i++)
            assert_close(p.prob[i][0], 0.5, TOL);
    }
    sim_nfg_free(&g);
}

/* Defection's probability rises with lambda, and at lambda = 50 play is
 * within 1e-6 of (D, D): P(C) <= logistic(-50 * 1) ~ 2e-22. */
static void test_dilemma_converges_to_defection(void **state)
{
    (void)state;
    const double lambdas[] = {0.5, 1, 2, 5, 10, 50};
    sim_nfg g;
    bimatrix(&g, 2, 2, PD_A, PD_B);
    double prev = 0.5;
    for (size_t l = 0; l < N_OF(lambdas); l++) {
        sim_mixed p;
        solve_ok(&g, lambdas[l], &p);
        assert_true(p.prob[0][1] > prev);
        assert_close(p.prob[0][1], p.prob[1][1], TOL); /* symmetric game */
        prev = p.prob[0][1];
    }
    sim_mixed p;
    solve_ok(&g, 50, &p);
    assert_close(p.prob[0][1], 1.0, 1e-6);
    assert_close(p.prob[1][1], 1.0, 1e-6);
    sim_nfg_free(&g);
}

/* A 3x3 game solved by strictly dominant strategies (row 2, column 1, each
 * better by at least 0.5 than any alternative): at lambda = 50 each
 * dominated strategy has probability <= e^(-25) ~ 1.4e-11. */
static void test_dominant_3x3_near_pure(void **state)
{
    (void)state;
    const double a[] = {0, 1, 3, 1, 2, 2, 2, 4, 3.5};
    const double b[] = {0, 1, -1, 2, 3, 0, 1, 1.5, 0.5};
    sim_nfg g;
    bimatrix(&g, 3, 3, a, b);
    sim_mixed p;
    solve_ok(&g, 50, &p);
    assert_close(p.prob[0][2], 1.0, 1e-6);
    assert_close(p.prob[1][1], 1.0, 1e-6);
    sim_nfg_free(&g);
}

/* Row's up strictly dominates (gain 3 against left, 1 against right) and
 * column wants to mismatch, so the gain 1 + 2 P(left) falls as lambda
 * grows; P(up) must still increase. */
static void test_dominant_probability_increases(void **state)
{
    (void)state;
    const double a[] = {4, 1, 1, 0};
    const double b[] = {0, 1, 1, 0};
    sim_nfg g;
    bimatrix(&g, 2, 2, a, b);
    double prev = 0.5;
    for (int k = 0; k <= 13; k++) { /* lambda = 0.25 * 1.5^k, to 48.7 */
        sim_mixed p;
        solve_ok(&g, 0.25 * pow(1.5, k), &p);
        assert_true(p.prob[0][0] > prev);
        prev = p.prob[0][0];
    }
    sim_nfg_free(&g);
}

/* Adding a constant to a player's payoffs changes nothing, and scaling
 * payoffs by c is the same as scaling lambda by c. */
static void test_payoff_shift_and_scale(void **state)
{
    (void)state;
    double a2[9], b2[9];
    for (int k = 0; k < 9; k++) {
        a2[k] = 3.0 * RPS_A[k] + 1e6;
        b2[k] = 3.0 * RPS_B[k] - 50.0;
    }
    sim_nfg g, g2;
    bimatrix(&g, 3, 3, RPS_A, RPS_B);
    bimatrix(&g2, 3, 3, a2, b2);
    sim_mixed p, p2;
    solve_ok(&g, 6.0, &p);
    solve_ok(&g2, 2.0, &p2);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            assert_close(p.prob[i][j], p2.prob[i][j], 1e-10);
    sim_nfg_free(&g);
    sim_nfg_free(&g2);
}

/* Three players whose payoffs depend only on their own strategy: each
 * plays softmax(lambda u_i), computed here directly. */
static void test_three_player_separable(void **state)
{
    (void)state;
    const int ns[3] = {2, 3, 4};
    const double u[3][4] = {{1, 0}, {0.5, -1, 2}, {1, 1, 0, 3}};
    sim_nfg g;
    game_init(&g, 3, ns);
    int s[3];
    for (s[2] = 0; s[2] < 4; s[2]++)
        for (s[1] = 0; s[1] < 3; s[1]++)
            for (s[0] = 0; s[0] < 2; s[0]++)
                for (int i = 0; i < 3; i++)
                    g.payoff[sim_nfg_index(&g, s) * 3 + (size_t)i] = u[i][s[i]];
    const double lam = 1.7;
    sim_mixed p;
    solve_ok(&g, lam, &p);
    for (int i = 0; i < 3; i++) {
        double z = 0.0;
        for (int j = 0; j < ns[i]; j++)
            z += exp(lam * u[i][j]);
        for (int j = 0; j < ns[i]; j++)
            assert_close(p.prob[i][j], exp(lam * u[i][j]) / z, 1e-11);
    }
    sim_nfg_free(&g);
}

/* A symmetric three-player game with interaction (each player earns 1 for
 * every other player choosing a different strategy, plus 0.3 for strategy
 * 0): the QRE is a fixed point and, on the principal branch, symmetric. */
static void test_three_player_symmetric(void **state)
{
    (void)state;
    const int ns[3] = {3, 3, 3};
    sim_nfg g;
    game_init(&g, 3, ns);
    int s[3];
    for (s[2] = 0; s[2] < 3; s[2]++)
        for (s[1] = 0; s[1] < 3; s[1]++)
            for (s[0] = 0; s[0] < 3; s[0]++)
                for (int i = 0; i < 3; i++) {
                    double v = s[i] == 0 ? 0.3 : 0.0;
                    for (int k = 0; k < 3; k++)
                        if (k != i && s[k] != s[i])
                            v += 1.0;
                    g.payoff[sim_nfg_index(&g, s) * 3 + (size_t)i] = v;
                }
    const double lambdas[] = {0.5, 2, 10, 50};
    for (size_t l = 0; l < N_OF(lambdas); l++) {
        sim_mixed p;
        solve_ok(&g, lambdas[l], &p);
        for (int j = 0; j < 3; j++) {
            assert_close(p.prob[1][j], p.prob[0][j], 1e-9);
            assert_close(p.prob[2][j], p.prob[0][j], 1e-9);
        }
    }
    sim_nfg_free(&g);
}

/* A player with one strategy has nothing to choose; if nobody has a
 * choice, everybody plays their only strategy. */
static void test_single_strategy_players(void **state)
{
    (void)state;
    const double a[] = {5, 6, 7};
    const double b[] = {0, 1, 3};
    sim_nfg g;
    bimatrix(&g, 1, 3, a, b);
    sim_mixed p;
    solve_ok(&g, 1.3, &p);
    double z = exp(0.0) + exp(1.3) + exp(3.9);
    assert_close(p.prob[0][0], 1.0, 0.0);
    assert_close(p.prob[1][0], 1.0 / z, 1e-12);
    assert_close(p.prob[1][2], exp(3.9) / z, 1e-12);
    sim_nfg_free(&g);

    const double a1[] = {2}, b1[] = {-1};
    bimatrix(&g, 1, 1, a1, b1);
    solve_ok(&g, 4.0, &p);
    assert_true(p.prob[0][0] == 1.0 && p.prob[1][0] == 1.0);
    sim_nfg_free(&g);
}

static void test_error_bad_lambda(void **state)
{
    (void)state;
    const double bad[] = {-1.0, -1e-300, NAN, INFINITY, -INFINITY};
    sim_nfg g;
    bimatrix(&g, 2, 2, PEN_A, PEN_B);
    sim_mixed p;
    for (size_t k = 0; k < N_OF(bad); k++) {
        sim_err err = {0};
        double res = 0.0;
        assert_int_equal(sim_qre_logit(&g, bad[k], &p, &res, &err),
                         SIM_E_USAGE);
        assert_int_equal(err.code, SIM_E_USAGE);
        assert_non_null(strstr(err.msg, "lambda"));
        assert_true(isnan(res));
        assert_true(isnan(sim_qre_residual(&g, bad[k], &p)));
    }
    sim_nfg_free(&g);
}

static void test_error_bad_game(void **state)
{
    (void)state;
    sim_nfg g;
    sim_mixed p;
    sim_err err = {0};
    double res;
    bimatrix(&g, 2, 2, PEN_A, PEN_B);

    assert_int_equal(sim_qre_logit(NULL, 1.0, &p, &res, &err), SIM_E_USAGE);
    assert_true(isnan(sim_qre_residual(NULL, 1.0, &p)));
    assert_true(isnan(sim_qre_residual(&g, 1.0, NULL)));
    assert_int_equal(sim_qre_logit(&g, 1.0, NULL, &res, &err), SIM_E_INTERNAL);
    assert_int_equal(sim_qre_logit(&g, 1.0, &p, NULL, &err), SIM_E_INTERNAL);

    sim_nfg bad = g;
    bad.nplayers = 0;
    assert_int_equal(sim_qre_logit(&bad, 1.0, &p, &res, &err), SIM_E_USAGE);
    bad = g;
    bad.nplayers = SIM_NFG_MAX_PLAYERS + 1;
    assert_int_equal(sim_qre_logit(&bad, 1.0, &p, &res, &err), SIM_E_USAGE);
    bad = g;
    bad.nstrat[1] = 0;
    assert_int_equal(sim_qre_logit(&bad, 1.0, &p, &res, &err), SIM_E_USAGE);
    bad = g;
    bad.nprofiles = 3;
    assert_int_equal(sim_qre_logit(&bad, 1.0, &p, &res, &err), SIM_E_USAGE);
    bad = g;
    bad.payoff = NULL;
    assert_int_equal(sim_qre_logit(&bad, 1.0, &p, &res, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "payoff"));

    g.payoff[5] = NAN;
    assert_int_equal(sim_qre_logit(&g, 1.0, &p, &res, &err), SIM_E_USAGE);
    assert_non_null(strstr(err.msg, "not finite"));
    assert_true(isnan(sim_qre_residual(&g, 1.0, &p)));
    sim_nfg_free(&g);
}

/* lambda times the payoff range must stay far from overflow; and where the
 * equilibrium mixes, double precision cannot give a 1e-10 residual at
 * lambda * range = 1e12: both are SIM_E_NUMERIC, never a hang. */
static void test_error_numeric(void **state)
{
    (void)state;
    const double a[] = {1e300, 0, 0, 1}, b[] = {0, 1, 1, 0};
    sim_nfg g;
    sim_mixed p;
    sim_err err = {0};
    double res;
    bimatrix(&g, 2, 2, a, b);
    assert_int_equal(sim_qre_logit(&g, 1e10, &p, &res, &err), SIM_E_NUMERIC);
    assert_non_null(strstr(err.msg, "overflows"));
    sim_nfg_free(&g);

    bimatrix(&g, 2, 2, PEN_A, PEN_B);
    memset(&err, 0, sizeof err);
    assert_int_equal(sim_qre_logit(&g, 1e11, &p, &res, &err), SIM_E_NUMERIC);
    assert_true(err.msg[0] != '\0');
    sim_nfg_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lambda_zero_uniform),
        cmocka_unit_test(test_fixed_point_residual),
        cmocka_unit_test(test_pennies_matches_bisection),
        cmocka_unit_test(test_pennies_own_payoff_effect),
        cmocka_unit_test(test_pennies_approaches_nash),
        cmocka_unit_test(test_branch_through_fold),
        cmocka_unit_test(test_coordination_pitchfork_stays_uniform),
        cmocka_unit_test(test_dilemma_converges_to_defection),
        cmocka_unit_test(test_dominant_3x3_near_pure),
        cmocka_unit_test(test_dominant_probability_increases),
        cmocka_unit_test(test_payoff_shift_and_scale),
        cmocka_unit_test(test_three_player_separable),
        cmocka_unit_test(test_three_player_symmetric),
        cmocka_unit_test(test_single_strategy_players),
        cmocka_unit_test(test_error_bad_lambda),
        cmocka_unit_test(test_error_bad_game),
        cmocka_unit_test(test_error_numeric),
    };
    sim_error_quiet_gsl();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
