/* test_escape.c - no control character from an input reaches the terminal
 * (hardening item 14): error messages and the printed scenario show them
 * as \xHH. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/error.h>
#include <sanctionsim/scenario.h>

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static void test_error_message_escapes_controls(void **state)
{
    (void)state;
    sim_err err = {0};
    int rc = sim_error(&err, SIM_E_SCENARIO, "bad name \"%s\" here",
                       "a\x1b[31mred\tb\x7f");
    assert_int_equal(rc, SIM_E_SCENARIO);
    assert_int_equal(err.code, SIM_E_SCENARIO);
    assert_string_equal(err.msg,
                        "bad name \"a\\x1b[31mred\\x09b\\x7f\" here");
    /* a message at the buffer's end is cut, never an escape in half */
    char big[SIM_ERR_MSG_MAX * 2];
    memset(big, 'x', sizeof big);
    big[SIM_ERR_MSG_MAX - 3] = '\x1b';
    big[sizeof big - 1] = '\0';
    sim_error(&err, SIM_E_SCENARIO, "%s", big);
    assert_false(has_control(err.msg));
    assert_true(strlen(err.msg) < SIM_ERR_MSG_MAX);
    assert_int_equal(strchr(err.msg, '\\') == NULL, 1); /* cut before it */
    /* a message without controls is untouched */
    sim_error(&err, SIM_E_IO, "plain %d", 7);
    assert_string_equal(err.msg, "plain 7");
}

static void test_printed_string_escapes_controls(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    sim_scenario_print_string(f, "a\x1b[2J\"q\"\\\nz\x01");
    fclose(f);
    assert_string_equal(buf, "\"a\\x1b[2J\\\"q\\\"\\\\\\nz\\x01\"");
    free(buf);
}

/* The loader's message for a name with an escape sequence. */
static void test_loader_message_escaped(void **state)
{
    (void)state;
    sim_scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    sim_err err = {0};
    int rc = sim_scenario_load_string(sc, sim_builtin_models(),
                                      "name = \"a\\x1b[31mred\";", "e.cfg",
                                      NULL, 0, NULL, &err);
    assert_int_equal(rc, SIM_E_SCENARIO);
    assert_false(has_control(err.msg));
    assert_non_null(strstr(err.msg, "\"a\\x1b[31mred\""));
    free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_message_escapes_controls),
        cmocka_unit_test(test_printed_string_escapes_controls),
        cmocka_unit_test(test_loader_message_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
