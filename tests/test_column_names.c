/* test_column_names.c - issue 12, item 16: no two columns of a result share
 * a name, whatever the instruments are called. Every hostile variant of an
 * instrument name (through --set on the baseline, as a user would) is
 * either refused by the loader or gives distinct column names; the
 * variants that clash ("x" beside "round_x": lifted_round_x is both x's
 * round of lifting and round_x's lifted-by-the-end) are refused. */
#include "testutil.h"

#include "../sim/columns.h"
#include <sanctionsim/scenario.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE "scenarios/baseline.cfg"

/* One attempt: up to three --set overrides, whether the loader must
 * accept them, and a part of its message when it must not. */
typedef struct variant {
    const char *what;
    const char *set[3];
    int nset;
    int loads;
    const char *reason;
} variant;

static char long63[128], long64[128], long63b[128];

/* Fills the overrides that need long names (SIM_NAME_MAX is 64). */
static void long_names(void)
{
    char a[SIM_NAME_MAX + 1];
    memset(a, 'a', SIM_NAME_MAX);
    a[SIM_NAME_MAX] = '\0';
    snprintf(long64, sizeof long64, "instruments.[1].name=\"%s\"", a);
    a[SIM_NAME_MAX - 1] = '\0';
    snprintf(long63, sizeof long63, "instruments.[1].name=\"%s\"", a);
    a[SIM_NAME_MAX - 2] = 'b'; /* the same 62-character prefix */
    snprintf(long63b, sizeof long63b, "instruments.[2].name=\"%s\"", a);
}

static const variant variants[] = {
    {"upper case", {"instruments.[1].name=\"US_potash\""}, 1, 0, "lower-case"},
    {"differs only in case",
     {"instruments.[1].name=\"us_FINANCE\""}, 1, 0, "lower-case"},
    {"space", {"instruments.[1].name=\"us potash\""}, 1, 0, "lower-case"},
    {"dot", {"instruments.[1].name=\"us.potash\""}, 1, 0, "lower-case"},
    {"dash", {"instruments.[1].name=\"us-potash\""}, 1, 0, "lower-case"},
    {"non-ASCII", {"instruments.[1].name=\"us_pot\xc3\xa1sh\""}, 1, 0,
     "lower-case"},
    {"comma", {"instruments.[1].name=\"us,potash\""}, 1, 0, "lower-case"},
    {"trailing underscore", {"instruments.[1].name=\"us_finance_\""}, 1, 1,
     NULL},
    {"underscore only", {"instruments.[1].name=\"_\""}, 1, 1, NULL},
    {"digits only", {"instruments.[1].name=\"0\""}, 1, 1, NULL},
    {"empty", {"instruments.[1].name=\"\""}, 1, 0, "must not be empty"},
    {"the same name, other imposer (eu_potash)",
     {"instruments.[7].name=\"us_potash\""}, 1, 0, "duplicate"},
    {"round_ + another instrument",
     {"instruments.[1].name=\"round_us_finance\""}, 1, 0,
     "makes the column lifted_round_us_finance"},
    {"round_ + a later one, set in the other order",
     {"instruments.[3].name=\"x\"", "instruments.[1].name=\"round_x\""}, 2, 0,
     "as instrument \"round_x\""},
    {"round_round_ + round_ + name",
     {"instruments.[1].name=\"round_round_x\"",
      "instruments.[2].name=\"round_x\"", "instruments.[3].name=\"x\""},
     3, 0, "makes the column lifted_round_"},
    {"round_round_ without round_", {"instruments.[1].name=\"round_round_x\"",
                                     "instruments.[3].name=\"x\""},
     2, 1, NULL},
    {"a fixed column's tail (rounds)", {"instruments.[1].name=\"rounds\""}, 1,
     1, NULL},
    {"lifted_ + round", {"instruments.[1].name=\"round\""}, 1, 1, NULL},
    {"status_ + lifted", {"instruments.[1].name=\"lifted_x\"",
                          "instruments.[2].name=\"x\""},
     2, 1, NULL},
    {"63 characters", {long63}, 1, 1, NULL},
    {"two of 63 sharing 62", {long63, long63b}, 2, 1, NULL},
    {"64 characters", {long64}, 1, 0, "longer than 63"},
};

/* Asserts that sc's columns all have different names. */
static void assert_distinct(const sim_scenario *sc, const char *what)
{
    sim_column *cols = malloc(SIM_MAX_COLUMNS * sizeof *cols);
    assert_non_null(cols);
    int n = sim_columns_list(sc, cols);
    assert_true(n < SIM_MAX_COLUMNS);
    for (int q = 1; q < n; q++)
        for (int p = 0; p < q; p++)
            if (strcmp(cols[p].name, cols[q].name) == 0)
                fail_msg("%s: two columns named %s", what, cols[q].name);
    free(cols);
}

static void test_every_variant_refused_or_distinct(void **state)
{
    (void)state;
    long_names();
    sim_scenario *sc = malloc(sizeof *sc);
    assert_non_null(sc);
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        const variant *v = &variants[i];
        sim_err err = {0};
        int rc = sim_scenario_load(sc, sim_builtin_models(), BASELINE, v->set,
                                   v->nset, NULL, &err);
        if (rc == 0)
            assert_distinct(sc, v->what);
        if (v->loads && rc != 0)
            fail_msg("%s: refused: %s", v->what, err.msg);
        if (!v->loads && rc == 0)
            fail_msg("%s: accepted", v->what);
        if (v->reason && !strstr(err.msg, v->reason))
            fail_msg("%s: message lacks \"%s\": %s", v->what, v->reason,
                     err.msg);
        if (!v->loads && !strstr(err.msg, ".name: "))
            fail_msg("%s: message names no name key: %s", v->what, err.msg);
    }
    free(sc);
}

/* The shipped scenarios' columns are distinct too (the check is no
 * stricter than the columns). */
static void test_baseline_columns_distinct(void **state)
{
    (void)state;
    sim_scenario *sc = malloc(sizeof *sc);
    sim_err err = {0};
    assert_non_null(sc);
    if (sim_scenario_load(sc, sim_builtin_models(), BASELINE, NULL, 0, NULL,
                          &err))
        fail_msg("%s", err.msg);
    assert_distinct(sc, BASELINE);
    char name[SIM_COLUMN_NAME_MAX];
    int other = 0;
    assert_int_equal(sim_columns_name_clash(sc, name, &other), -1);
    free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_variant_refused_or_distinct),
        cmocka_unit_test(test_baseline_columns_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
