/* test_alloc_core.c - running out of memory in the core operations that
 * test_alloc_fail.c does not sweep, one allocation at a time (this
 * executable's name starts with test_alloc_, so CMakeLists.txt links it
 * with the failing allocator of alloc_hook.h): PRIM's pasting, the
 * floating-point support enumeration of a game too large for the exact
 * search (whose equilibria are then verified exactly), and reading a
 * scenario's chain of files for `lint` and for the origins of `check`.
 * Every failed attempt must return SIM_E_NOMEM with a message and free
 * what it made (ASan's leak check in the sanitizer build). */
#include "alloc_hook.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/discover.h>
#include <sanctionsim/nfg.h>
#include <sanctionsim/scenario.h>

#define BASELINE "scenarios/baseline.cfg"

/* ---- PRIM's pasting ---- */

/* y = 1 on 30..79 but 0 on 50..54 of x = 0..99: from [40, 79] (density
 * 35/40) pasting one case at a time moves the lower limit down to 30. */
static double prim_x[100];
static unsigned char prim_y[100];

static int op_paste(sim_err *err)
{
    for (int i = 0; i < 100; i++) {
        prim_x[i] = i;
        prim_y[i] = (unsigned char)(i >= 30 && i <= 79 && !(i >= 50 && i <= 54));
    }
    sim_prim_data d = {prim_x, prim_y, 100, 1};
    double lo = 40, hi = 79;
    int rc = sim_prim_paste(&d, 0.02, &lo, &hi, err);
    if (rc == 0 && (lo != 30 || hi != 79))
        fail_msg("pasting gave [%g, %g], want [30, 79]", lo, hi);
    return rc;
}

/* ---- the floating-point support enumeration ---- */

/* An 8 x 7 game (m + n = 15: beyond the exact search) in which each
 * player's last strategy strictly dominates: one equilibrium, found in
 * floating point and verified in exact arithmetic. */
static sim_nfg game;

static void dominant_game(void)
{
    sim_err err = {0};
    sim_alloc_arm(false);
    memset(&game, 0, sizeof game);
    game.nplayers = 2;
    game.nstrat[0] = 8;
    game.nstrat[1] = 7;
    assert_int_equal(sim_nfg_alloc(&game, &err), 0);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 7; j++) {
            int prof[2] = {i, j};
            size_t k = sim_nfg_index(&game, prof);
            game.payoff[2 * k] = i + 0.25 * j;
            game.payoff[2 * k + 1] = j - 0.5 * i;
        }
}

static int op_float_support(sim_err *err)
{
    sim_mixed eq[4];
    size_t count = 0;
    sim_nfg_support_info info = {0};
    int rc = sim_nfg_mixed_equilibria(&game, eq, 4, &count, &info, err);
    if (rc == 0) {
        if (info.exact)
            fail_msg("the 8 x 7 game took the exact search");
        if (count != 1 || eq[0].prob[0][7] != 1.0 || eq[0].prob[1][6] != 1.0)
            fail_msg("found %zu equilibria, want the dominant profile", count);
    }
    return rc;
}

/* ---- reading a scenario's files ---- */

static void count_warning(void *ctx, const char *message)
{
    (void)message;
    ++*(int *)ctx;
}

static int op_lint(sim_err *err)
{
    const char *set[] = {"rounds=5"};
    int n = 0;
    int rc = sim_scenario_lint(BASELINE, set, 1, count_warning, &n, err);
    if (rc >= 0 && rc != n)
        fail_msg("lint returned %d but gave %d warnings", rc, n);
    return rc < 0 ? rc : 0;
}

static void count_origin(void *ctx, const char *key, const char *file,
                         unsigned line)
{
    (void)key;
    (void)line;
    if (strstr(file, "baseline.cfg"))
        ++*(int *)ctx;
}

static int op_origins(sim_err *err)
{
    int n = 0;
    int rc = sim_scenario_origins(BASELINE, count_origin, &n, err);
    if (rc == 0 && n < 10)
        fail_msg("only %d values came from baseline.cfg", n);
    return rc;
}

/* ---- the tests ---- */

static void test_prim_paste(void **state)
{
    (void)state;
    sim_alloc_check("sim_prim_paste", op_paste, NULL, 1);
}

static void test_float_support_enumeration(void **state)
{
    (void)state;
    dominant_game();
    sim_alloc_check("sim_nfg_mixed_equilibria (8 x 7)", op_float_support,
                    NULL, 5);
    sim_nfg_free(&game);
}

static void test_scenario_files(void **state)
{
    (void)state;
    sim_alloc_check("sim_scenario_lint", op_lint, NULL, 1);
    sim_alloc_check("sim_scenario_origins", op_origins, NULL, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prim_paste),
        cmocka_unit_test(test_float_support_enumeration),
        cmocka_unit_test(test_scenario_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
