/* test_config_int.c - integer literals wider than 32 bits (hardening item
 * 7): libconfig 1.5 wraps them modulo 2^32, so the readers widen them
 * before libconfig sees them, and refuse what no 64-bit integer holds. */
#include "testutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/config_int.h"
#include <sanctionsim/scenario.h>

/* Widens text and compares with want (NULL: an error containing
 * want_error is expected). */
static void widen(const char *text, bool refuse, const char *want,
                  const char *want_error)
{
    char *out = NULL;
    sim_err err = {0};
    int rc = sim_cfg_widen_integers(text, strlen(text), "t.cfg", refuse, &out,
                                    &err);
    if (want) {
        if (rc)
            fail_msg("%s: %s", text, err.msg);
        if (strcmp(out, want) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", text, out, want);
    } else {
        if (rc != SIM_E_SCENARIO)
            fail_msg("%s: status %d, want an error", text, rc);
        if (!strstr(err.msg, want_error))
            fail_msg("%s: message lacks \"%s\": %s", text, want_error,
                     err.msg);
        assert_null(out);
    }
    free(out);
}

static void test_widens_only_wide_integers(void **state)
{
    (void)state;
    widen("seed = 3000000000;", false, "seed = 3000000000L;", NULL);
    widen("a = -3000000000;", false, "a = -3000000000L;", NULL);
    widen("a = 2147483647; b = -2147483648;", false,
          "a = 2147483647; b = -2147483648;", NULL);
    widen("a = 2147483648;", false, "a = 2147483648L;", NULL);
    widen("a = 0x100000000;", false, "a = 0x100000000L;", NULL);
    widen("a = 3000000000L;", false, "a = 3000000000L;", NULL);
    widen("a = 1e10; b = 3000000000.5; c = 3000000000e2;", false,
          "a = 1e10; b = 3000000000.5; c = 3000000000e2;", NULL);
    widen("a = [1, 3000000000, 2];", false, "a = [1, 3000000000L, 2];", NULL);
    /* strings, comments and names are not numbers */
    widen("s = \"3000000000 \\\" 4000000000\";", false,
          "s = \"3000000000 \\\" 4000000000\";", NULL);
    widen("# 3000000000\n// 3000000000\n/* 3000000000 */ x = 1;", false,
          "# 3000000000\n// 3000000000\n/* 3000000000 */ x = 1;", NULL);
    widen("k3000000000 = 1; a-3000000000 = 2;", false,
          "k3000000000 = 1; a-3000000000 = 2;", NULL);
}

static void test_refuses_beyond_64_bits(void **state)
{
    (void)state;
    widen("a = 1;\nseed = 99999999999999999999;", false, NULL,
          "t.cfg:2: the integer 99999999999999999999 is beyond the 64-bit");
    widen("a = 9223372036854775808L;", false, NULL, "beyond the 64-bit");
    widen("a = -9223372036854775809;", false, NULL, "beyond the 64-bit");
    widen("a = 0x10000000000000000;", false, NULL, "beyond the 64-bit");
    /* an included file cannot be rewritten: refused with the fix */
    widen("a = 1;\nb = 3000000000;", true, NULL,
          "t.cfg:2: the integer 3000000000 needs 64 bits: in an included "
          "file write it as 3000000000L");
    widen("b = 3000000000L;", true, "b = 3000000000L;", NULL);
}

/* The bug as a user met it: `seed = 3000000000;` refused as -1294967296. */
static void test_scenario_seed_beyond_32_bits(void **state)
{
    (void)state;
    sim_scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    sim_err err = {0};
    int rc = sim_scenario_load_string(sc, sim_builtin_models(),
                                      "seed = 3000000000;", "s.cfg", NULL, 0,
                                      NULL, &err);
    if (rc)
        fail_msg("%s", err.msg);
    assert_true(sc->seed == INT64_C(3000000000));
    rc = sim_scenario_load_string(sc, sim_builtin_models(),
                                  "seed = 18446744073709551616;", "s.cfg",
                                  NULL, 0, NULL, &err);
    assert_int_equal(rc, SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "s.cfg:1: the integer"));
    free(sc);
}

/* An included file is read by libconfig itself: its wide literal is
 * refused, naming the included file and line. */
static void test_included_wide_integer_refused(void **state)
{
    (void)state;
    sim_scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    sim_err err = {0};
    int rc = sim_scenario_load(sc, sim_builtin_models(),
                               "tests/bad/integer_wide_in_include.cfg", NULL,
                               0, NULL, &err);
    assert_int_equal(rc, SIM_E_SCENARIO);
    if (!strstr(err.msg, "tests/bad/include/wide_seed.inc:2: the integer 3000000000 "
                         "needs 64 bits"))
        fail_msg("%s", err.msg);
    free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widens_only_wide_integers),
        cmocka_unit_test(test_refuses_beyond_64_bits),
        cmocka_unit_test(test_scenario_seed_beyond_32_bits),
        cmocka_unit_test(test_included_wide_integer_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
