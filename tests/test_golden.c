/* test_golden.c - golden regression: a small scenario at a fixed seed must
 * reproduce the committed output byte for byte (tests/golden/expected/).
 * SIM_GOLDEN_UPDATE=1 rewrites the expected files instead. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const files[] = {"runs.csv", "rounds.csv", "summary.csv"};

static void test_golden_output_unchanged(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("golden");
    char cmd[4096], *out = NULL;
    snprintf(cmd, sizeof cmd,
             "%s run tests/golden/small.cfg -n 20 --seed 7 --trace --quiet "
             "-o %s/out",
             sim_test_bin(), tmp);
    int status = sim_test_run(cmd, &out);
    if (status != 0)
        fail_msg("exit %d: %s", status, out ? out : "");
    free(out);
    bool update = getenv("SIM_GOLDEN_UPDATE") &&
                  strcmp(getenv("SIM_GOLDEN_UPDATE"), "1") == 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char got_path[1200], want_path[256];
        snprintf(got_path, sizeof got_path, "%s/out/%s", tmp, files[i]);
        snprintf(want_path, sizeof want_path, "tests/golden/expected/%s",
                 files[i]);
        size_t ng, nw;
        char *got = sim_test_slurp(got_path, &ng);
        assert_non_null(got);
        if (update) {
            assert_int_equal(sim_test_write(want_path, got), 0);
            free(got);
            continue;
        }
        char *want = sim_test_slurp(want_path, &nw);
        if (!want)
            fail_msg("missing %s (run with SIM_GOLDEN_UPDATE=1)", want_path);
        if (ng != nw || memcmp(got, want, ng) != 0) {
            size_t at = 0, line = 1;
            while (at < ng && at < nw && got[at] == want[at])
                line += got[at++] == '\n';
            fail_msg("%s differs from %s from line %zu on", got_path,
                     want_path, line);
        }
        free(got);
        free(want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_output_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
