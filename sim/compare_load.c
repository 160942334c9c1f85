/* compare_load.c - a result directory as `compare` reads it: manifest.cfg's
 * seed, replications, stream scheme and format, and runs.csv by columns,
 * each column classified from the column table (columns.h). */
#include "compare_impl.h"

#include "columns.h"
#include "config_util_impl.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"

/* ---- columns ---- */

/* The column table's classification of column `name`: exact names from a
 * scenario without instruments, then the names made from an instrument's
 * name (the table listed with one instrument named "" gives their
 * prefixes; the longest matching prefix wins). Returns false if the table
 * does not know the name. */
static bool classify_known(const char *name, const sim_column *c0, int n0,
                           const sim_column *c1, int n1, cmp_kind *kind)
{
    const sim_column *hit = NULL;
    for (int i = 0; i < n0 && !hit; i++)
        if (c0[i].in_runs && !strcmp(c0[i].name, name))
            hit = &c0[i];
    size_t best = 0;
    for (int i = 0; i < n1 && !hit; i++) {
        bool fixed = false;
        for (int j = 0; j < n0 && !fixed; j++)
            fixed = !strcmp(c0[j].name, c1[i].name);
        size_t len = strlen(c1[i].name);
        if (fixed || !c1[i].in_runs || len <= best || strlen(name) <= len ||
            strncmp(name, c1[i].name, len) != 0)
            continue;
        best = len;
        *kind = c1[i].format == SIM_COL_TEXT ? CMP_TEXT
                : c1[i].proportion           ? CMP_PROPORTION
                : c1[i].summarize            ? CMP_NUMBER
                                             : CMP_ID;
    }
    if (hit)
        *kind = hit->format == SIM_COL_TEXT ? CMP_TEXT
                : hit->proportion           ? CMP_PROPORTION
                : hit->summarize            ? CMP_NUMBER
                                            : CMP_ID;
    return hit != NULL || best > 0;
}

/* Classifies the columns of d from the header; unknown columns are
 * numbers until a field says otherwise (known[c] false). Called by
 * read_header once it has allocated d->name, d->kind and known and read
 * the names. */
static int classify(cmp_dir *d, bool *known, sim_err *err)
{
    sim_scenario *sc = calloc(1, sizeof *sc);
    sim_column *c0 = malloc((size_t)2 * SIM_MAX_COLUMNS * sizeof *c0);
    if (!sc || !c0) {
        free(sc);
        free(c0);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    sim_column *c1 = c0 + SIM_MAX_COLUMNS;
    int n0 = sim_columns_list(sc, c0);
    sc->n_instruments = 1; /* named "": the prefixes */
    int n1 = sim_columns_list(sc, c1);
    for (int c = 0; c < d->ncols; c++) {
        known[c] = classify_known(d->name[c], c0, n0, c1, n1, &d->kind[c]);
        if (!known[c])
            d->kind[c] = CMP_NUMBER;
    }
    free(sc);
    free(c0);
    return 0;
}

/* ---- fields ---- */

/* A decimal number (the CSV writers' %.15g or integers), finite. */
static bool parse_number(const char *s, double *v)
{
    if (!strchr("+-.0123456789", s[0]) || !s[0])
        return false;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return *end == '\0' && isfinite(*v);
}

static bool parse_u64(const char *s, uint64_t *v)
{
    if (s[0] < '0' || s[0] > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    *v = (uint64_t)x;
    return *end == '\0' && errno == 0;
}

/* ---- runs.csv ---- */

/* Reads the header's names into d and classifies them; *known (the
 * caller's to free) gets whether the column table knows each. */
static int read_header(cmp_dir *d, sim_csvread *r, bool **known,
                       sim_err *err)
{
    int rc = sim_csvread_next(r, err);
    if (rc == 0)
        return sim_error(err, SIM_E_USAGE, "%s is empty: no header",
                         r->path);
    if (rc < 0)
        return rc;
    /* A record has at least one field (sim_csvread_next ends a field
     * before it returns one; an empty line is one empty field, refused
     * below as a column without a name). */
    d->ncols = r->nfields;
    d->name = calloc((size_t)d->ncols, sizeof *d->name);
    d->kind = calloc((size_t)d->ncols, sizeof *d->kind);
    if (!d->name || !d->kind)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    *known = calloc((size_t)d->ncols, sizeof **known);
    if (!*known)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    for (int c = 0; c < d->ncols; c++) {
        if (!r->field[c][0] ||
            strlen(r->field[c]) >= sizeof d->name[c])
            return sim_error(err, SIM_E_USAGE,
                             "%s:%ld: column %d of the header has %s name",
                             r->path, r->record_line, c + 1,
                             r->field[c][0] ? "too long a" : "no");
        for (int k = 0; k < c; k++)
            if (!strcmp(d->name[k], r->field[c]))
                return sim_error(err, SIM_E_USAGE,
                                 "%s:%ld: column '%s' appears twice", r->path,
                                 r->record_line, r->field[c]);
        snprintf(d->name[c], sizeof d->name[c], "%s", r->field[c]);
    }
    return classify(d, *known, err);
}

/* Grows the rows' storage to hold row nrows. */
static int grow(cmp_dir *d, size_t *cap, sim_err *err)
{
    if (d->nrows < *cap)
        return 0;
    size_t ncap = *cap ? 2 * *cap : 1024;
    double *v = realloc(d->val, ncap * (size_t)d->ncols * sizeof *v);
    if (v)
        d->val = v;
    uint64_t *rp = realloc(d->rep, ncap * sizeof *rp);
    if (rp)
        d->rep = rp;
    uint64_t *sd = realloc(d->seed, ncap * sizeof *sd);
    if (sd)
        d->seed = sd;
    if (!v || !rp || !sd)
        return sim_error(err, SIM_E_NOMEM, "out of memory reading %s/runs.csv",
                         d->path);
    *cap = ncap;
    return 0;
}

/* Stores one record as row d->nrows. */
static int store_row(cmp_dir *d, const sim_csvread *r, const bool *known,
                     sim_err *err)
{
    double *row = d->val + d->nrows * (size_t)d->ncols;
    for (int c = 0; c < d->ncols; c++) {
        const char *f = r->field[c];
        row[c] = NAN;
        bool is_rep = !strcmp(d->name[c], "rep");
        bool is_seed = !strcmp(d->name[c], "seed");
        if (is_rep || is_seed) {
            uint64_t v;
            if (!parse_u64(f, &v))
                return sim_error(err, SIM_E_USAGE,
                                 "%s:%ld: %s is '%s', not a whole number",
                                 r->path, r->record_line, d->name[c], f);
            (is_rep ? d->rep : d->seed)[d->nrows] = v;
            row[c] = (double)v;
            continue;
        }
        if (d->kind[c] == CMP_TEXT || !f[0])
            continue;
        if (!parse_number(f, &row[c])) {
            row[c] = NAN;
            if (known[c])
                return sim_error(err, SIM_E_USAGE,
                                 "%s:%ld: column %s holds '%s', not a number",
                                 r->path, r->record_line, d->name[c], f);
            d->kind[c] = CMP_TEXT; /* an unknown column of text */
        }
    }
    d->nrows++;
    return 0;
}

static int read_runs(cmp_dir *d, const char *path, sim_err *err)
{
    sim_csvread r;
    int rc = sim_csvread_open(&r, path, err);
    bool *known = NULL;
    if (rc)
        return rc;
    if ((rc = read_header(d, &r, &known, err)))
        goto done;
    size_t cap = 0;
    while ((rc = sim_csvread_next(&r, err)) == 1) {
        if (r.nfields != d->ncols) {
            rc = sim_error(err, SIM_E_USAGE,
                           "%s:%ld: %d fields where the header has %d",
                           path, r.record_line, r.nfields, d->ncols);
            goto done;
        }
        if ((rc = grow(d, &cap, err)) || (rc = store_row(d, &r, known, err)))
            goto done;
    }
    if (rc == 0 && d->nrows == 0)
        rc = sim_error(err, SIM_E_USAGE, "%s has no rows: no results", path);
    if (rc || !d->name)
        goto done;
    bool has_rep = false, has_seed = false;
    for (int c = 0; c < d->ncols; c++) {
        has_rep |= !strcmp(d->name[c], "rep");
        has_seed |= !strcmp(d->name[c], "seed");
    }
    if (!has_rep) {
        free(d->rep);
        d->rep = NULL;
    }
    if (!has_seed) {
        free(d->seed);
        d->seed = NULL;
    }
done:
    free(known);
    sim_csvread_close(&r);
    return rc;
}

/* ---- manifest.cfg ---- */

static int manifest_bad(const char *path, const char *what, sim_err *err)
{
    return sim_error(err, SIM_E_USAGE, "%s: %s", path, what);
}

static int read_manifest(cmp_dir *d, const char *path, sim_err *err)
{
    config_t cfg;
    int rc = sim_cfg_read_file(&cfg, path, false, err);
    if (rc) {
        config_destroy(&cfg);
        return rc;
    }
    config_setting_t *root = config_root_setting(&cfg);
    config_setting_t *fmt = config_setting_get_member(root, "format");
    long long ll;
    const char *s;
    if (fmt) {
        int t = config_setting_type(fmt);
        long long v = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64
                          ? config_setting_get_int64(fmt)
                          : -1;
        if (v < 1 || v > SIM_COMPARE_FORMAT_MAX) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "result format %s is not one this sanctionsim reads "
                     "(formats 1 to %d); compare it with the version that "
                     "wrote it",
                     v < 0 ? "(not a whole number)" : "unknown",
                     SIM_COMPARE_FORMAT_MAX);
            if (v > 0)
                snprintf(msg, sizeof msg,
                         "result format %lld is not one this sanctionsim "
                         "reads (formats 1 to %d); compare it with the "
                         "version that wrote it",
                         v, SIM_COMPARE_FORMAT_MAX);
            rc = manifest_bad(path, msg, err);
            goto done;
        }
    }
    if (!config_lookup_int64(&cfg, "master_seed", &ll) || ll < 0) {
        rc = manifest_bad(path, "no master_seed (a whole number)", err);
        goto done;
    }
    d->master_seed = (uint64_t)ll;
    if (!config_lookup_int64(&cfg, "replications", &ll) || ll < 0) {
        rc = manifest_bad(path, "no replications (a whole number)", err);
        goto done;
    }
    d->replications = (long)ll;
    if (!config_lookup_string(&cfg, "generator", &s)) {
        rc = manifest_bad(path, "no generator (the stream scheme)", err);
        goto done;
    }
    snprintf(d->generator, sizeof d->generator, "%s", s);
    if (config_lookup_string(&cfg, "version", &s))
        snprintf(d->version, sizeof d->version, "%s", s);
done:
    config_destroy(&cfg);
    return rc;
}

int sim_compare_load_dir(cmp_dir *d, const char *dir, sim_err *err)
{
    memset(d, 0, sizeof *d);
    d->path = dir;
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    int rc = 0;
    FILE *probe = fopen(path, "r");
    if (!probe) {
        rc = sim_error(err, SIM_E_USAGE,
                       "%s holds no results: no runs.csv in it (a result "
                       "directory of `sanctionsim run`)",
                       dir);
        goto fail;
    }
    fclose(probe);
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    if (!(probe = fopen(path, "r"))) {
        rc = sim_error(err, SIM_E_USAGE,
                       "%s has no manifest.cfg: not a complete result of "
                       "`sanctionsim run`",
                       dir);
        goto fail;
    }
    fclose(probe);
    if ((rc = read_manifest(d, path, err)))
        goto fail;
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    if ((rc = read_runs(d, path, err)))
        goto fail;
    return 0;
fail:
    sim_compare_free_dir(d);
    d->path = dir;
    return rc;
}

void sim_compare_free_dir(cmp_dir *d)
{
    free(d->name);
    free(d->kind);
    free(d->val);
    free(d->rep);
    free(d->seed);
    memset(d, 0, sizeof *d);
}
