/* test_scenario_base.c - a scenario built on another (`base = "..."`):
 * the variant holds only what it changes, groups merge, lists replace,
 * messages name the file each value came from, and a chain that loops or
 * runs too deep is refused. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/scenario.h>

/* Writes text to dir/name; returns the path (static, one at a time). */
static const char *put(const char *dir, const char *name, const char *text)
{
    static char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(sim_test_write(path, text), 0);
    return path;
}

/* The resolved scenario as printed by `check`, malloc'd. */
static char *printed(const sim_scenario *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    sim_scenario_print(sc, f, 0);
    fclose(f);
    return buf;
}

static int load(sim_scenario *sc, const char *path, const char *const *sets,
                int nsets, sim_provenance *prov, sim_err *err)
{
    return sim_scenario_load(sc, sim_builtin_models(), path, sets, nsets, prov,
                             err);
}

/* A variant equals its base with the same changes made by --set. */
static void test_variant_equals_base_with_sets(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("scenario_base_equal");
    char base[1200];
    snprintf(base, sizeof base, "%s/base.cfg", dir);
    char *small = sim_test_slurp("tests/golden/small.cfg", NULL);
    assert_non_null(small);
    put(dir, "base.cfg", small);
    free(small);
    char text[2000];
    snprintf(text, sizeof text,
             "base = \"base.cfg\";\n"
             "name = \"golden\";\n"
             "rounds = 5;\n"
             "actors = { eu = { discount = 0.5; }; };\n"
             "tension = { decay = 0.25; };\n");
    const char *variant = put(dir, "variant.cfg", text);
    sim_scenario *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    sim_provenance *prov = calloc(1, sizeof *prov);
    assert_true(a && b && prov);
    sim_err err = {0};
    if (load(a, variant, NULL, 0, prov, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(prov->n_bases, 1);
    assert_string_equal(prov->base[0], base);
    const char *sets[] = {"rounds=5", "actors.eu.discount=0.5",
                          "tension.decay=0.25"};
    if (load(b, base, sets, 3, NULL, &err))
        fail_msg("%s", err.msg);
    char *pa = printed(a), *pb = printed(b);
    assert_string_equal(pa, pb);
    free(pa);
    free(pb);
    free(a);
    free(b);
    free(prov);
}

/* A list in the variant replaces the base's list whole. */
static void test_lists_replace(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("scenario_base_lists");
    put(dir, "base.cfg",
        "instruments = (\n"
        "  { name = \"a\"; imposer = \"us\"; value = 1.0; },\n"
        "  { name = \"b\"; imposer = \"eu\"; value = 2.0; }\n"
        ");\n");
    const char *variant =
        put(dir, "v.cfg", "base = \"base.cfg\";\n"
                          "instruments = ( { name = \"c\"; imposer = \"eu\"; "
                          "value = 3.0; } );\n");
    sim_scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    sim_err err = {0};
    if (load(sc, variant, NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(sc->n_instruments, 1);
    assert_string_equal(sc->instrument[0].name, "c");
    assert_string_equal(sc->name, "v"); /* the variant's own file name */
    free(sc);
}

/* A variant without a `name` is named after its own file, not its base:
 * it must not write into the base's result directory. */
static void test_name_not_inherited(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("scenario_base_name");
    put(dir, "base.cfg", "name = \"the_base\";\n");
    const char *variant = put(dir, "thaw.low.cfg", "base = \"base.cfg\";\n");
    sim_scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    sim_err err = {0};
    if (load(sc, variant, NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(sc->name, "thaw.low");
    /* a name the variant gives itself stands */
    variant = put(dir, "v2.cfg", "base = \"base.cfg\";\nname = \"mine\";\n");
    if (load(sc, variant, NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(sc->name, "mine");
    free(sc);
}

/* Each message names the file (and line) its value came from. */
static void test_messages_name_the_right_file(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("scenario_base_errors");
    char want[1400];
    sim_scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    sim_err err = {0};

    put(dir, "base.cfg", "rounds = 4;\n\ntension = { decay = 7.0; };\n");
    const char *v = put(dir, "v1.cfg", "base = \"base.cfg\";\nrounds = 3;\n");
    assert_int_equal(load(sc, v, NULL, 0, NULL, &err), SIM_E_SCENARIO);
    snprintf(want, sizeof want, "%s/base.cfg:3: tension.decay", dir);
    if (!strstr(err.msg, want))
        fail_msg("want \"%s\" in: %s", want, err.msg);

    put(dir, "base.cfg", "rounds = 4;\n");
    v = put(dir, "v2.cfg", "base = \"base.cfg\";\n\nrouns = 3;\n");
    assert_int_equal(load(sc, v, NULL, 0, NULL, &err), SIM_E_SCENARIO);
    snprintf(want, sizeof want, "%s/v2.cfg:3: rouns", dir);
    if (!strstr(err.msg, want) || !strstr(err.msg, "did you mean 'rounds'"))
        fail_msg("want \"%s\" in: %s", want, err.msg);

    v = put(dir, "v3.cfg", "base = \"absent.cfg\";\n");
    assert_int_equal(load(sc, v, NULL, 0, NULL, &err), SIM_E_SCENARIO);
    snprintf(want, sizeof want, "%s/v3.cfg:1: base: the base scenario: ", dir);
    if (!strstr(err.msg, want) || !strstr(err.msg, "absent.cfg"))
        fail_msg("want \"%s\" in: %s", want, err.msg);

    v = put(dir, "v4.cfg", "base = 4;\n");
    assert_int_equal(load(sc, v, NULL, 0, NULL, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "v4.cfg:1: base: expected the base"));
    free(sc);
}

/* A chain that loops, or runs deeper than SIM_MAX_BASES, is refused. */
static void test_loops_and_depth_refused(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("scenario_base_loops");
    sim_scenario *sc = calloc(1, sizeof *sc);
    assert_non_null(sc);
    sim_err err = {0};
    put(dir, "a.cfg", "base = \"b.cfg\";\n");
    put(dir, "b.cfg", "base = \"a.cfg\";\n");
    char a[1200];
    snprintf(a, sizeof a, "%s/a.cfg", dir);
    assert_int_equal(load(sc, a, NULL, 0, NULL, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "is built on itself"));

    for (int k = 0; k <= SIM_MAX_BASES; k++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "d%d.cfg", k);
        snprintf(text, sizeof text, "base = \"d%d.cfg\";\n", k + 1);
        put(dir, name, text);
    }
    char last[32];
    snprintf(last, sizeof last, "d%d.cfg", SIM_MAX_BASES + 1);
    put(dir, last, "rounds = 2;\n");
    snprintf(a, sizeof a, "%s/d0.cfg", dir);
    assert_int_equal(load(sc, a, NULL, 0, NULL, &err), SIM_E_SCENARIO);
    assert_non_null(strstr(err.msg, "built one on another"));
    /* one base fewer is fine */
    snprintf(a, sizeof a, "%s/d1.cfg", dir);
    if (load(sc, a, NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(sc->rounds, 2);
    free(sc);
}

typedef struct seen {
    int n, from_variant;
    char keys[512];
} seen;

static void note(void *ctx, const char *key, const char *file, unsigned line)
{
    seen *s = ctx;
    s->n++;
    if (strstr(file, "/v.cfg")) {
        s->from_variant++;
        char one[128];
        snprintf(one, sizeof one, "%s@%u ", key, line);
        strncat(s->keys, one, sizeof s->keys - strlen(s->keys) - 1);
    }
}

/* sim_scenario_origins: which file each value came from. */
static void test_origins(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("scenario_base_origins");
    put(dir, "base.cfg", "rounds = 4;\nseed = 9;\nactors = { eu = { "
                         "discount = 0.9; stage_discount = 0.8; }; };\n");
    const char *v = put(dir, "v.cfg", "base = \"base.cfg\";\n"
                                      "actors = { eu = { discount = 0.5; }; "
                                      "};\nseed = 3;\n");
    seen s = {0};
    sim_err err = {0};
    if (sim_scenario_origins(v, note, &s, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.from_variant, 2);
    assert_string_equal(s.keys, "actors.eu.discount@2 seed@3 ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variant_equals_base_with_sets),
        cmocka_unit_test(test_lists_replace),
        cmocka_unit_test(test_name_not_inherited),
        cmocka_unit_test(test_messages_name_the_right_file),
        cmocka_unit_test(test_loops_and_depth_refused),
        cmocka_unit_test(test_origins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
