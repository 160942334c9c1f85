/* test_docs.c - the scenario reference in docs/SCENARIOS.md is the output
 * of `sanctionsim keys`, so that the documented keys, defaults and ranges
 * are the ones the loader enforces. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_reference_matches_keys_output(void **state)
{
    (void)state;
    char cmd[1024], *got = NULL;
    snprintf(cmd, sizeof cmd, "%s keys", sim_test_bin());
    assert_int_equal(sim_test_run(cmd, &got), 0);
    char *want = sim_test_slurp("docs/SCENARIOS.md", NULL);
    assert_non_null(want);
    if (strcmp(got, want) != 0)
        fail_msg("docs/SCENARIOS.md is out of date: run "
                 "`build/sanctionsim keys > docs/SCENARIOS.md`");
    /* and it does document the keys students touch most */
    assert_non_null(strstr(want, "actors.<actor>.discount"));
    assert_non_null(strstr(want, "`shocks.arrests`"));
    assert_non_null(strstr(want, "`instruments.[i].imposer`"));
    free(got);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_matches_keys_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
