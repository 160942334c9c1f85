/* testutil.h - helpers shared by the cmocka tests. */
#ifndef SIM_TESTUTIL_H
#define SIM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sanctionsim/models.h>

/* cmocka 1.1 has no assert_double_equal: |a - b| <= tol, with a message. */
#define assert_close(a, b, tol)                                               \
    sim_test_assert_close((a), (b), (tol), #a, #b, __FILE__, __LINE__)
void sim_test_assert_close(double a, double b, double tol, const char *sa,
                           const char *sb, const char *file, int line);

/* A fresh, empty directory under SIM_TEST_TMP (or /tmp) for this test;
 * returns a static buffer. */
const char *sim_test_tmpdir(const char *name);

/* Path of the sanctionsim executable (env SANCTIONSIM, else
 * build/sanctionsim). */
const char *sim_test_bin(void);

/* Runs a shell command, captures stdout+stderr into a malloc'ed string
 * (*out, may be NULL) and returns its exit status (or -1). */
int sim_test_run(const char *cmd, char **out);

/* Reads a whole file into a malloc'ed string; NULL if unreadable. */
char *sim_test_slurp(const char *path, size_t *len);

/* Writes text to path; returns 0 on success. */
int sim_test_write(const char *path, const char *text);

/* Number of entries of dir other than . and ..; -1 if it cannot be read.
 * Their names go into names (space-separated, may be NULL) for messages. */
int sim_test_dir_entries(const char *dir, char *names, size_t size);

/* Runs f(ctx) with files limited to `limit` bytes (RLIMIT_FSIZE, SIGXFSZ
 * ignored: writes fail with EFBIG, as on a full disk) and returns its
 * result; the limit and the signal are restored after. */
int sim_test_with_file_limit(long limit, int (*f)(void *), void *ctx);

/* Runs `sanctionsim run ARGS -q -o DIR --force`; fails the test unless it
 * exits 0. */
void sim_test_run_ok(const char *args, const char *dir);

/* The file dir/name of a result, whole, in a malloc'ed string (its length
 * in *len); manifest.cfg without its run-specific group, which differs
 * between runs of the same batch. Fails the test if it cannot be read. */
char *sim_test_slurp_result(const char *dir, const char *name, size_t *len);

/* Fails unless the results dir_a and dir_b hold the same bytes in each of
 * files[0..n) (manifests compared as sim_test_slurp_result reads them),
 * naming the first line that differs. */
void sim_test_assert_same_files(const char *dir_a, const char *dir_b,
                                const char *const *files, size_t n);

/* The built-in model named name (sim_builtin_models()); fails the test if
 * there is none. */
const sim_model_type *sim_test_model(const char *name);

#endif
