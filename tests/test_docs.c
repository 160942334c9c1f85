/* test_docs.c - the scenario reference in docs/SCENARIOS.md is the output
 * of `sanctionsim keys`, so that the documented keys, defaults and ranges
 * are the ones the loader enforces; docs/MODEL.md's tables of roles (which
 * actor holds which by default, which model can take which) are the
 * code's. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/model.h>
#include <sanctionsim/scenario.h>

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

/* The cells of a Markdown table row "| a | b | c |" into cell[0..max),
 * trimmed, written into the row's own buffer; returns the count. */
static int split_row(char *row, char **cell, int max)
{
    int n = 0;
    char *p = strchr(row, '|');
    while (p && n < max) {
        char *q = strchr(p + 1, '|');
        if (!q)
            break;
        *q = '\0';
        char *c = p + 1;
        while (*c == ' ')
            c++;
        char *e = c + strlen(c);
        while (e > c && e[-1] == ' ')
            *--e = '\0';
        cell[n++] = c;
        p = q;
    }
    return n;
}

/* The line of doc that starts with `start`, copied into buf; NULL if none. */
static char *line_after(const char *doc, const char *start, char *buf,
                        size_t size)
{
    const char *p = strstr(doc, start);
    if (!p)
        return NULL;
    size_t n = strcspn(p, "\n");
    snprintf(buf, size, "%.*s", (int)n, p);
    return buf;
}

/* The table "| role | actor(s) by default | act = |": each role's actors
 * are the actors whose default roles include it (hardening item 17: the
 * table had lost `renew` for Poland and Lithuania). */
static void test_model_md_default_roles(void **state)
{
    (void)state;
    char *doc = sim_test_slurp("docs/MODEL.md", NULL);
    assert_non_null(doc);
    const char *table = strstr(doc, "| role | actor(s) by default | act = |");
    assert_non_null(table);
    for (int r = 0; r < SIM_N_ROLES; r++) {
        char start[64], line[512], *cell[4];
        snprintf(start, sizeof start, "| `%s` |", sim_role_name(r));
        if (!line_after(table, start, line, sizeof line))
            fail_msg("docs/MODEL.md has no row for role %s", sim_role_name(r));
        assert_int_equal(split_row(line, cell, 4), 3);
        char want[128] = "";
        for (int a = 0; a < SIM_N_ACTORS; a++)
            if ((sim_actor_default_roles(a) >> r) & 1u)
                snprintf(want + strlen(want), sizeof want - strlen(want),
                         "%s%s", want[0] ? ", " : "", sim_actor_name(a));
        if (strcmp(cell[1], want) != 0)
            fail_msg("docs/MODEL.md: role %s is held by default by \"%s\", "
                     "the code says \"%s\"",
                     sim_role_name(r), cell[1], want);
    }
    free(doc);
}

/* The table "| model | offer | respond | ...": a check mark exactly where
 * the built-in model can take the role. */
static void test_model_md_model_roles(void **state)
{
    (void)state;
    char *doc = sim_test_slurp("docs/MODEL.md", NULL);
    assert_non_null(doc);
    char line[1024], *head[12];
    const char *table = strstr(doc, "| model | offer |");
    assert_non_null(table);
    assert_non_null(line_after(table, "| model | offer |", line, sizeof line));
    int ncols = split_row(line, head, 12);
    assert_true(ncols >= 1 + SIM_N_ROLES);
    const sim_registry *reg = sim_builtin_models();
    int nmodels = 0;
    for (const sim_model_type *const *m = reg->models; *m; m++, nmodels++) {
        char start[64], *cell[12];
        snprintf(start, sizeof start, "| `%s` |", (*m)->name);
        if (!line_after(table, start, line, sizeof line))
            fail_msg("docs/MODEL.md has no row for model %s", (*m)->name);
        assert_int_equal(split_row(line, cell, 12), ncols);
        for (int c = 1; c < ncols; c++)
            for (int r = 0; r < SIM_N_ROLES; r++)
                if (strcmp(head[c], sim_role_name(r)) == 0 &&
                    (strcmp(cell[c], "✓") == 0) != sim_model_has_role(*m, r))
                    fail_msg("docs/MODEL.md: model %s, role %s: \"%s\"",
                             (*m)->name, head[c], cell[c]);
    }
    assert_int_equal(nmodels, 6);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_matches_keys_output),
        cmocka_unit_test(test_model_md_default_roles),
        cmocka_unit_test(test_model_md_model_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
