/* test_set_select.c - `--set` addressing list entries by name:
 * instruments.[name="us_potash"].value, with and without quotes, equal to
 * addressing by index, and the errors when no entry has the name; a list
 * value in square brackets. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include <sanctionsim/scenario.h>

#define N_OF(a) (sizeof(a) / sizeof *(a))

static sim_scenario sc_a, sc_b;

static const char base[] =
    "instruments = (\n"
    "  { name = \"us_belavia\"; imposer = \"us\"; value = 0.2; },\n"
    "  { name = \"us_potash\"; imposer = \"us\"; value = 1.0; },\n"
    "  { name = \"eu_potash\"; imposer = \"eu\"; value = 2.0; }\n"
    ");\n"
    "calendar = ( { type = \"exercise\"; start = 3; } );\n";

static int load(sim_scenario *sc, const char *set, sim_provenance *prov,
                sim_err *err)
{
    const char *sets[1] = {set};
    return sim_scenario_load_string(sc, sim_builtin_models(), base, "x.cfg",
                                    sets, 1, prov, err);
}

/* By name, quoted or not, sets the same entry as by index; the manifest's
 * record keeps the whole key, '=' inside the selector included. */
static void test_select_by_name_equals_index(void **state)
{
    (void)state;
    sim_err err = {0};
    sim_provenance prov;
    assert_int_equal(load(&sc_a, "instruments.[1].value=3.5", NULL, &err), 0);
    assert_int_equal(
        load(&sc_b, "instruments.[name=\"us_potash\"].value=3.5", &prov, &err),
        0);
    assert_close(sc_b.instrument[1].value, 3.5, 0);
    assert_close(sc_b.instrument[0].value, 0.2, 0);
    assert_close(sc_b.instrument[2].value, 2.0, 0);
    assert_memory_equal(&sc_a.instrument, &sc_b.instrument,
                        sizeof sc_a.instrument);
    assert_string_equal(prov.set[0].key, "instruments.[name=\"us_potash\"].value");
    assert_string_equal(prov.set[0].value, "3.5");
    assert_int_equal(load(&sc_b, "instruments.[name=eu_potash].cost=0.4", NULL,
                          &err),
                     0);
    assert_close(sc_b.instrument[2].cost, 0.4, 0);
    /* any string member selects: here the imposer (the first match) */
    assert_int_equal(load(&sc_b, "instruments.[imposer=eu].value=9", NULL,
                          &err),
                     0);
    assert_close(sc_b.instrument[2].value, 9, 0);
}

typedef struct bad_case {
    const char *set;
    const char *msg;
} bad_case;

static const bad_case bad_cases[] = {
    {"instruments.[name=\"us_potas\"].value=1",
     "command line (--set instruments.[name=\"us_potas\"].value=1): "
     "instruments has no entry with name = \"us_potas\"; did you mean "
     "'us_potash'?"},
    {"instruments.[name=zzzzzzzzzzzz].value=1",
     "command line (--set instruments.[name=zzzzzzzzzzzz].value=1): "
     "instruments has no entry with name = \"zzzzzzzzzzzz\"; valid here: "
     "us_belavia us_potash eu_potash"},
    {"calendar.[name=x].start=1",
     "command line (--set calendar.[name=x].start=1): no entry of calendar "
     "has a string 'name', so none can be selected by it"},
    {"instruments.[name=].value=1",
     "command line (--set instruments.[name=].value=1): bad entry selector "
     "'[name=]' (write instruments.[name=\"us_potash\"])"},
    {"tension.[name=a].x=1",
     "command line (--set tension.[name=a].x=1): the scenario has no list "
     "'tension', so it has no entry [name=a]"},
    {"calendar.[0].[name=a].x=1",
     "command line (--set calendar.[0].[name=a].x=1): [name=a] needs a "
     "list in the scenario before it"},
    {"instruments.name.value=1",
     "command line (--set instruments.name.value=1): 'instruments' is a "
     "list; name its entries by index or by name, e.g. "
     "instruments.[0].value or instruments.[name=\"...\"].value"},
};

static void test_select_errors(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < N_OF(bad_cases); i++) {
        sim_err err = {0};
        int rc = load(&sc_a, bad_cases[i].set, NULL, &err);
        if (rc != SIM_E_SCENARIO || strcmp(err.msg, bad_cases[i].msg) != 0) {
            print_error("case %zu: rc %d\n  got:  %s\n  want: %s\n", i, rc,
                        err.msg, bad_cases[i].msg);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* A value in square brackets is a list (the `offers` of partial relief,
 * as `sanctionsim explore` writes them): the same as the file's own list;
 * a list that libconfig cannot read, or over two lines, is refused. */
static void test_set_list(void **state)
{
    (void)state;
    sim_err err = {0};
    assert_int_equal(
        load(&sc_a, "actors.washington.offers=[\"us_potash\"]", NULL, &err), 0);
    assert_true(sc_a.instrument[0].withheld);
    assert_false(sc_a.instrument[1].withheld);
    assert_false(sc_a.instrument[2].withheld);
    assert_int_equal(load(&sc_a, "actors.eu.offers=[]", NULL, &err), 0);
    assert_true(sc_a.instrument[2].withheld);
    assert_false(sc_a.instrument[0].withheld);
    static const char *const bad[] = {
        "actors.eu.offers=[\"eu_potash\", 1]",
        "actors.eu.offers=[\"eu_potash\"",
        "actors.eu.offers=[\n@include \"x.cfg\"\n]",
    };
    for (size_t i = 0; i < N_OF(bad); i++) {
        assert_int_equal(load(&sc_a, bad[i], NULL, &err), SIM_E_SCENARIO);
        assert_non_null(strstr(err.msg, "a list is written in square"));
    }
    /* an entry of the wrong kind: the loader's own message, as the --set's */
    assert_int_equal(load(&sc_a, "actors.eu.offers=[1]", NULL, &err),
                     SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "--set actors.eu.offers=[1]"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_by_name_equals_index),
        cmocka_unit_test(test_select_errors),
        cmocka_unit_test(test_set_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
