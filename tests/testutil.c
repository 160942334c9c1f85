/* testutil.c - helpers shared by the cmocka tests. */
#include "testutil.h"

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_test_assert_close(double a, double b, double tol, const char *sa,
                           const char *sb, const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.17g and %s = %.17g differ by more than %g\n", sa, a,
                    sb, b, tol);
        _fail(file, line);
    }
}

const char *sim_test_tmpdir(const char *name)
{
    static char path[1024];
    const char *base = getenv("SIM_TEST_TMP");
    char cmd[2300];
    if (!base || !*base)
        base = "/tmp/sanctionsim-test";
    snprintf(path, sizeof path, "%s/%s", base, name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", path, path);
    if (system(cmd) != 0)
        fail_msg("cannot create %s", path);
    return path;
}

const char *sim_test_bin(void)
{
    const char *b = getenv("SANCTIONSIM");
    return (b && *b) ? b : "build/sanctionsim";
}

int sim_test_run(const char *cmd, char **out)
{
    size_t len = strlen(cmd) + 16;
    char *full = malloc(len);
    if (!full)
        return -1;
    snprintf(full, len, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    free(full);
    if (!p)
        return -1;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int c;
    while (buf && (c = fgetc(p)) != EOF) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        buf[n++] = (char)c;
    }
    if (buf)
        buf[n] = '\0';
    int status = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    if (status == -1)
        return -1;
    return (status >> 8) & 0xff;
}

char *sim_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
            }
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int sim_test_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

const sim_model_type *sim_test_model(const char *name)
{
    const sim_model_type *m = sim_registry_find(sim_builtin_models(), name);
    if (!m)
        fail_msg("no model named %s", name);
    return m;
}

int sim_test_dir_entries(const char *dir, char *names, size_t size)
{
    DIR *d = opendir(dir);
    if (names && size)
        names[0] = '\0';
    if (!d)
        return -1;
    int n = 0;
    size_t used = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        if (names && used < size)
            used +=
                (size_t)snprintf(names + used, size - used, " %s", e->d_name);
    }
    closedir(d);
    return n;
}

int sim_test_with_file_limit(long limit, int (*f)(void *), void *ctx)
{
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)limit;
    void (*oldsig)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc = f(ctx);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, oldsig);
    return rc;
}

void sim_test_run_ok(const char *args, const char *dir)
{
    char cmd[16384], *out = NULL;
    snprintf(cmd, sizeof cmd, "'%s' run %s -q -o '%s' --force",
             sim_test_bin(), args, dir);
    int status = sim_test_run(cmd, &out);
    if (status != 0)
        fail_msg("`%s`: exit %d: %s", cmd, status, out ? out : "");
    free(out);
}

/* Where the manifest's run-specific group starts (sim/manifest.h). */
static const char run_mark[] = "\n# ---- this run";

char *sim_test_slurp_result(const char *dir, const char *name, size_t *len)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = sim_test_slurp(path, len);
    if (!text)
        fail_msg("cannot read %s", path);
    if (!strcmp(name, "manifest.cfg")) {
        char *mark = strstr(text, run_mark);
        if (!mark)
            fail_msg("%s has no run-specific group", path);
        mark[1] = '\0';
        *len = strlen(text);
    }
    return text;
}

void sim_test_assert_same_files(const char *dir_a, const char *dir_b,
                                const char *const *files, size_t n)
{
    for (size_t f = 0; f < n; f++) {
        size_t na, nb;
        char *a = sim_test_slurp_result(dir_a, files[f], &na);
        char *b = sim_test_slurp_result(dir_b, files[f], &nb);
        if (na != nb || memcmp(a, b, na) != 0) {
            size_t at = 0, line = 1;
            while (at < na && at < nb && a[at] == b[at])
                line += a[at++] == '\n';
            fail_msg("%s differs between %s and %s from line %zu on",
                     files[f], dir_a, dir_b, line);
        }
        free(a);
        free(b);
    }
}
