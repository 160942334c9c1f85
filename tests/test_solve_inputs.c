/* test_solve_inputs.c - the catalogue of attacks on `sanctionsim solve`
 * (issue 12, items 5, 6, 11, 12, 13, 15): the inputs live in
 * tests/bad/solve/ (every file there is in the table below, so none goes
 * untested), each with the exit status and the text its output must hold.
 * Inputs a repository cannot hold are made at run time in a scratch
 * folder: a FIFO where an attack names one, /proc/self/mem. Each command
 * runs under `timeout`, so an input that hangs fails the test instead of
 * stalling it. (The reader's own catalogue, tests/bad/nfg/, is run by
 * test_nfg.c; the scenario catalogue, the .cfg files of tests/bad/, by test_cli.c.) */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* One attack: the input (a file of tests/bad/solve/, or an absolute path),
 * extra arguments, a FIFO to create beside a copy of the input (NULL:
 * the input runs where it is), the exit status, and up to three pieces
 * the output (stdout and stderr) must contain. */
typedef struct attack {
    const char *file;
    const char *args;
    const char *fifo;
    int status;
    const char *want[3];
} attack;

static const attack attacks[] = {
    /* item 5: one mixed equilibrium, no pure one (the float search listed
     * two false pure profiles) */
    {"huge_range.nfg", "--csv", NULL, 0,
     {"pure.count,0\n", "nash.count,1\n", "nash.1.prob.R.2,9.999999999001e-11"}},
    /* item 6: the logit QRE of badly scaled games (exit 1 before) */
    {"qre_scaled_3x2.nfg", "--csv --lambda 1 --lambda 1000", NULL, 0,
     {"lambda,1\n", "lambda,1e+03\n", NULL}},
    {"qre_scaled_3x3.nfg", "--csv --lambda 1000", NULL, 0,
     {"lambda,1e+03\n", "residual,", NULL}},
    /* item 11: the include resolves beside the including file */
    {"include_beside.cfg", "--csv", NULL, 0,
     {"nash.count,1\n", "nash.1.prob.Matcher.H,0.5\n", NULL}},
    {"include_beside.inc", "--csv", NULL, 0, {"nash.count,1\n", NULL, NULL}},
    /* item 12: include names read as libconfig reads them, a FIFO
     * behind each */
    {"include_escaped_quote.cfg", "", "fifo\".cfg", 2,
     {"include_escaped_quote.cfg:5:", "fifo\".cfg is a directory or device",
      NULL}},
    {"include_long_path.cfg", "", "fifo.cfg", 2,
     {"include_long_path.cfg:4:", "too long", NULL}},
    {"include_multiline.cfg", "", "fi\nfo.cfg", 2,
     {"include_multiline.cfg:4:", "is a directory or device", NULL}},
    /* item 12: a FIFO given as the game (made at run time) */
    {"@fifo.nfg", "", "fifo.nfg", 2,
     {"fifo.nfg: not a regular file", NULL, NULL}},
    /* item 13: a file that cannot be read, directly and included */
    {"/proc/self/mem", "", NULL, 2, {"/proc/self/mem: cannot read", NULL, NULL}},
    {"include_proc_mem.cfg", "", NULL, 2,
     {"proc/self/mem: cannot read: Input/output error", NULL, NULL}},
    /* item 15: names with commas, quotes and blanks, quoted (RFC 4180) */
    {"comma_names.nfg", "--csv", NULL, 0,
     {"\"pure.1.Row, the first\",\"up,left\"\n",
      "\"pure.1.Col \"\"2\"\"\",\" pad \"\n",
      "\"nash.1.prob.Col \"\"2\"\".a\"\"b\",0\n"}},
};

/* The number of fields of one CSV record (RFC 4180) starting at *p, which
 * moves past its line end; -1 if a quoted field is not closed. */
static int csv_fields(const char **p)
{
    const char *s = *p;
    int n = 1;
    for (;;) {
        if (*s == '"') {
            for (s++;; s++) {
                if (!*s)
                    return -1;
                if (*s == '"' && s[1] == '"')
                    s++;
                else if (*s == '"')
                    break;
            }
            s++;
        }
        while (*s && *s != ',' && *s != '\n' && *s != '"')
            s++;
        if (*s == ',') {
            n++;
            s++;
            continue;
        }
        if (*s == '"')
            return -1; /* a quote inside an unquoted field */
        *p = *s ? s + 1 : s;
        return n;
    }
}

/* Runs one attack (the test's state). */
static void test_attack(void **state)
{
    const attack *a = *state;
    char input[2048], cmd[4096];
    const char *dir = NULL;
    if (a->fifo) {
        /* a copy of the input (if it is a file) beside a fresh FIFO */
        dir = sim_test_tmpdir("test_solve_inputs");
        char fifo[1200];
        snprintf(fifo, sizeof fifo, "%s/%s", dir, a->fifo);
        assert_int_equal(mkfifo(fifo, 0600), 0);
        if (a->file[0] == '@') {
            snprintf(input, sizeof input, "%s/%s", dir, a->file + 1);
        } else {
            char src[600];
            snprintf(src, sizeof src, "tests/bad/solve/%s", a->file);
            char *text = sim_test_slurp(src, NULL);
            assert_non_null(text);
            snprintf(input, sizeof input, "%s/%s", dir, a->file);
            assert_int_equal(sim_test_write(input, text), 0);
            free(text);
        }
    } else if (a->file[0] == '/') {
        snprintf(input, sizeof input, "%s", a->file);
    } else {
        snprintf(input, sizeof input, "tests/bad/solve/%s", a->file);
    }
    snprintf(cmd, sizeof cmd, "timeout 20 '%s' solve '%s' %s", sim_test_bin(),
             input, a->args);
    char *out = NULL;
    int status = sim_test_run(cmd, &out);
    assert_non_null(out);
    if (status != a->status)
        fail_msg("%s: exit %d, want %d; output:\n%s", a->file, status,
                 a->status, out);
    for (size_t k = 0; k < N_OF(a->want); k++)
        if (a->want[k] && !strstr(out, a->want[k]))
            fail_msg("%s: the output lacks \"%s\":\n%s", a->file, a->want[k],
                     out);
    if (a->status == 0 && strstr(a->args, "--csv")) {
        /* every record has two fields */
        for (const char *p = out; *p;) {
            int n = csv_fields(&p);
            if (n != 2)
                fail_msg("%s: a CSV record with %d fields in:\n%s", a->file,
                         n, out);
        }
    }
    free(out);
}

/* Every file in tests/bad/solve/ is in the table. */
static void test_catalogue_covers_directory(void **state)
{
    (void)state;
    DIR *d = opendir("tests/bad/solve");
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        int found = 0;
        for (size_t k = 0; k < N_OF(attacks) && !found; k++)
            found = strcmp(attacks[k].file, e->d_name) == 0;
        if (!found)
            fail_msg("tests/bad/solve/%s is not in the catalogue of "
                     "test_solve_inputs.c",
                     e->d_name);
    }
    closedir(d);
}

int main(void)
{
    struct CMUnitTest tests[N_OF(attacks) + 1];
    for (size_t k = 0; k < N_OF(attacks); k++)
        tests[k] = (struct CMUnitTest){attacks[k].file, test_attack, NULL,
                                       NULL, (void *)&attacks[k]};
    tests[N_OF(attacks)] = (struct CMUnitTest){
        "catalogue_covers_directory", test_catalogue_covers_directory, NULL,
        NULL, NULL};
    return _cmocka_run_group_tests("test_solve_inputs", tests, N_OF(tests),
                                   NULL, NULL);
}
