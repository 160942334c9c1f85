/* manifest_read.c - what merge, --resume and --force read back from a
 * result's manifest.cfg: its result format, the files it lists and the
 * hashes of its input files. */
#include "manifest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config_util_impl.h"

/* Reads dir/manifest.cfg into cfg (destroyed by the caller whatever this
 * returns); SIM_E_USAGE if it is missing or not libconfig, SIM_E_NOMEM
 * if memory ran out reading it. */
static int read_manifest(config_t *cfg, const char *dir, sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    sim_err inner = {0};
    int rc = sim_cfg_read_file(cfg, path, false, &inner);
    if (rc == SIM_E_NOMEM)
        return sim_error(err, rc, "%s", inner.msg);
    if (rc != 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s has no readable manifest.cfg (%s): not a "
                         "sanctionsim result",
                         dir, inner.msg);
    return 0;
}

int sim_manifest_check_format(const char *dir, const char *what,
                              sim_err *err)
{
    config_t cfg;
    int rc = read_manifest(&cfg, dir, err);
    long long v = 0;
    if (!rc && !config_lookup_int64(&cfg, "format", &v)) {
        int i = 0;
        v = config_lookup_int(&cfg, "format", &i) ? i : 0;
    }
    config_destroy(&cfg);
    if (rc)
        return rc;
    if (v == SIM_RESULT_FORMAT)
        return 0;
    if (v == 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s was written by a sanctionsim older than result "
                         "format %d (its manifest.cfg has no `format`): %s "
                         "reads format %d only; use the version that wrote it",
                         dir, SIM_RESULT_FORMAT, what, SIM_RESULT_FORMAT);
    return sim_error(err, SIM_E_USAGE,
                     "%s is of result format %lld (manifest.cfg), but %s of "
                     "this sanctionsim reads format %d only; use the version "
                     "that wrote it",
                     dir, v, what, SIM_RESULT_FORMAT);
}

int sim_manifest_check_inputs(const char *dir, sim_err *err)
{
    config_t cfg;
    int rc = read_manifest(&cfg, dir, err);
    const config_setting_t *list = rc ? NULL : config_lookup(&cfg, "inputs");
    int n = list ? config_setting_length(list) : 0;
    for (int i = 0; !rc && i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        const char *file = NULL, *want = NULL;
        char have[32] = "(unreadable)";
        uint64_t h;
        sim_err ignore = {0};
        if (!config_setting_lookup_string(e, "file", &file) ||
            !config_setting_lookup_string(e, "fnv1a64", &want)) {
            rc = sim_error(err, SIM_E_USAGE,
                           "%s/manifest.cfg: input %d has no file or hash",
                           dir, i + 1);
            break;
        }
        if (sim_manifest_hash_file(file, &h, &ignore) == 0)
            snprintf(have, sizeof have, "%016" PRIx64, h);
        if (strcmp(have, want) != 0)
            rc = sim_error(err, SIM_E_USAGE,
                           "%s changed since the run in %s began (its hash "
                           "is %s, the manifest recorded %s): resuming would "
                           "mix two scenarios; start again with --force",
                           file, dir, have, want);
    }
    config_destroy(&cfg);
    return rc;
}

int sim_manifest_read_inputs(const char *dir, sim_manifest_inputs *in,
                             sim_err *err)
{
    memset(in, 0, sizeof *in);
    config_t cfg;
    int rc = read_manifest(&cfg, dir, err);
    const config_setting_t *list = rc ? NULL : config_lookup(&cfg, "inputs");
    int n = list ? config_setting_length(list) : 0;
    for (int i = 0; !rc && i < n && i < SIM_MANIFEST_MAX_INPUTS; i++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        const char *file = NULL, *hash = NULL;
        char *end = NULL;
        if (config_setting_lookup_string(e, "file", &file) &&
            config_setting_lookup_string(e, "fnv1a64", &hash) &&
            strlen(file) < SIM_PATH_MAX) {
            errno = 0;
            in->hash[i] = strtoull(hash, &end, 16);
        }
        if (!end || *end || end == hash || errno) {
            rc = sim_error(err, SIM_E_USAGE,
                           "%s/manifest.cfg: input %d has no file or hash",
                           dir, i + 1);
            break;
        }
        snprintf(in->file[i], sizeof in->file[i], "%s", file);
        in->n++;
    }
    config_destroy(&cfg);
    return rc;
}

void sim_manifest_free_files(char **names, int n)
{
    for (int i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

int sim_manifest_files(const char *dir, char ***names, int *n, sim_err *err)
{
    *names = NULL;
    *n = -1;
    config_t cfg;
    int rc = read_manifest(&cfg, dir, err);
    const config_setting_t *list = rc ? NULL : config_lookup(&cfg, "files");
    if (list) {
        int len = config_setting_length(list);
        char **v = calloc((size_t)len + 1, sizeof *v);
        for (int i = 0; v && i < len; i++) {
            const char *s = config_setting_get_string_elem(list, i);
            v[i] = strdup(s ? s : "");
            if (!v[i]) {
                sim_manifest_free_files(v, i);
                v = NULL;
            }
        }
        if (!v)
            rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        *names = v;
        *n = v ? len : -1;
    }
    config_destroy(&cfg);
    return rc;
}

/* The first line where a[0..na) and b[0..nb) differ, into line[size]
 * (a's, or b's if a ended); its number. */
static int first_difference(const char *a, size_t na, const char *b,
                            size_t nb, char *line, size_t size)
{
    size_t i = 0, start = 0;
    int no = 1;
    while (i < na && i < nb && a[i] == b[i]) {
        if (a[i] == '\n') {
            start = i + 1;
            no++;
        }
        i++;
    }
    const char *src = start < na ? a : b;
    size_t n = start < na ? na : nb;
    size_t end = start;
    while (end < n && src[end] != '\n')
        end++;
    snprintf(line, size, "%.*s", (int)(end - start), src + start);
    return no;
}

int sim_manifest_check_resume(const char *dir, const char *expected,
                              bool trace, sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    char *text = NULL;
    size_t cap = 0;
    ssize_t len = getdelim(&text, &cap, '\0', f);
    fclose(f);
    if (len < 0) {
        free(text);
        return sim_error(err, SIM_E_IO, "cannot read %s", path);
    }
    int rc = sim_manifest_check_format(dir, "--resume", err);
    if (!rc)
        rc = sim_manifest_check_inputs(dir, err);
    const char *mark = strstr(text, SIM_MANIFEST_RUN_MARK);
    const char *want = strstr(expected, SIM_MANIFEST_RUN_MARK);
    size_t na = mark ? (size_t)(mark - text) : (size_t)len;
    size_t nb = want ? (size_t)(want - expected) : strlen(expected);
    char line[200];
    if (!rc && (na != nb || memcmp(text, expected, na) != 0)) {
        int no = first_difference(text, na, expected, nb, line, sizeof line);
        rc = sim_error(err, SIM_E_USAGE,
                       "cannot resume %s: it was started with other "
                       "arguments or another scenario (its manifest.cfg "
                       "differs from this run's at line %d: `%s`); resume "
                       "with the same arguments, or start again with --force",
                       dir, no, line);
    }
    snprintf(path, sizeof path, "%s/rounds.csv", dir);
    struct stat st;
    bool rounds = stat(path, &st) == 0;
    if (!rc && rounds != trace)
        rc = sim_error(err, SIM_E_USAGE,
                       "cannot resume %s: it was started %s --trace; resume "
                       "with the same arguments, or start again with --force",
                       dir, rounds ? "with" : "without");
    free(text);
    return rc;
}
