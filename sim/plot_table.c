/* plot_table.c - reading result files for `plot` and `report`: what a
 * result directory holds, and selected columns of a CSV file as numbers
 * (plot.h). */
#include <sanctionsim/plot.h>

#include "csvread.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_file(const char *dir, const char *name)
{
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int sim_plot_dir_kind(const char *dir, sim_plot_kind *kind, sim_err *err)
{
    struct stat st;
    if (strlen(dir) >= SIM_PATH_MAX)
        return sim_error(err, SIM_E_USAGE, "path too long: %.64s...", dir);
    if (stat(dir, &st) != 0)
        return sim_error(err, SIM_E_USAGE, "%s: %s", dir,
                         SIM_ERRNO_TEXT(errno));
    if (!S_ISDIR(st.st_mode))
        return sim_error(err, SIM_E_USAGE,
                         "%s is not a result directory (a file)", dir);
    if (is_file(dir, "design.csv") && is_file(dir, "points.csv"))
        *kind = SIM_PLOT_SWEEP;
    else if (is_file(dir, "peeling.csv"))
        *kind = SIM_PLOT_DISCOVER;
    else if (is_file(dir, "runs.csv"))
        *kind = SIM_PLOT_RUN;
    else
        return sim_error(err, SIM_E_USAGE,
                         "%s holds no results (no runs.csv of a run, no "
                         "design.csv and points.csv of a sweep, no "
                         "peeling.csv of discover)",
                         dir);
    return 0;
}

/* A number of a CSV field; "" is NaN. */
static bool parse_number(const char *s, double *v)
{
    if (!s[0]) {
        *v = NAN;
        return true;
    }
    if (!strchr("+-.0123456789", s[0]))
        return false;
    char *end;
    *v = strtod(s, &end);
    return *end == '\0' && isfinite(*v);
}

/* Where each wanted column is in the header: idx[0..ncols) for q->cols,
 * idx[ncols] for the filter, idx[ncols + 1] for the label (-1: none). */
static int locate(const sim_csvread *r, const sim_plot_query *q, int *idx,
                  sim_err *err)
{
    const char *want[SIM_MAX_COLUMNS + 2];
    if (q->ncols < 0 || q->ncols > SIM_MAX_COLUMNS)
        return sim_error(err, SIM_E_USAGE, "%s: too many columns asked for",
                         r->path);
    for (int j = 0; j < q->ncols; j++)
        want[j] = q->cols[j];
    want[q->ncols] = q->where_col;
    want[q->ncols + 1] = q->label_col;
    for (int j = 0; j < q->ncols + 2; j++) {
        idx[j] = -1;
        for (int k = 0; want[j] && k < r->nfields && idx[j] < 0; k++)
            if (!strcmp(r->field[k], want[j]))
                idx[j] = k;
        if (want[j] && idx[j] < 0)
            return sim_error(err, SIM_E_USAGE, "%s has no column '%s'",
                             r->path, want[j]);
    }
    return 0;
}

/* Appends the current record of r to t (rows of capacity *cap). */
static int append(sim_plot_table *t, size_t *cap, const sim_csvread *r,
                  const int *idx, bool labelled, sim_err *err)
{
    if (t->nrows == *cap) {
        size_t c = *cap ? 2 * *cap : 256;
        double *v = realloc(t->v, c * (size_t)(t->ncols ? t->ncols : 1) *
                                      sizeof *v);
        if (v)
            t->v = v;
        char **l = labelled ? realloc(t->label, c * sizeof *l) : NULL;
        if (l)
            t->label = l;
        if (!v || (labelled && !l))
            return sim_error(err, SIM_E_NOMEM, "out of memory reading %s",
                             r->path);
        *cap = c;
    }
    double *row = t->v + t->nrows * (size_t)t->ncols;
    for (int j = 0; j < t->ncols; j++)
        if (!parse_number(r->field[idx[j]], &row[j]))
            return sim_error(err, SIM_E_USAGE,
                             "%s:%ld: field '%.40s' is not a number", r->path,
                             r->record_line, r->field[idx[j]]);
    if (labelled) {
        t->label[t->nrows] = strdup(r->field[idx[t->ncols + 1]]);
        if (!t->label[t->nrows])
            return sim_error(err, SIM_E_NOMEM, "out of memory reading %s",
                             r->path);
    }
    t->nrows++;
    return 0;
}

/* Reads the records after the header into t. */
static int read_rows(sim_csvread *r, const sim_plot_query *q, const int *idx,
                     int nheader, sim_plot_table *t, sim_err *err)
{
    size_t cap = 0;
    int rc;
    while ((rc = sim_csvread_next(r, err)) == 1) {
        if (r->nfields != nheader)
            return sim_error(err, SIM_E_USAGE,
                             "%s:%ld: %d fields where the header has %d",
                             r->path, r->record_line, r->nfields, nheader);
        if (q->where_col && strcmp(r->field[idx[q->ncols]], q->where_val) != 0)
            continue;
        rc = append(t, &cap, r, idx, q->label_col != NULL, err);
        if (rc)
            return rc;
    }
    return rc;
}

int sim_plot_table_read(const char *path, const sim_plot_query *q,
                        sim_plot_table *t, sim_err *err)
{
    memset(t, 0, sizeof *t);
    t->ncols = q->ncols;
    sim_csvread r;
    int rc = sim_csvread_open(&r, path, err);
    if (rc)
        return rc;
    int idx[SIM_MAX_COLUMNS + 2] = {0};
    rc = sim_csvread_next(&r, err);
    if (rc == 0)
        rc = sim_error(err, SIM_E_USAGE, "%s is empty (no header)", path);
    if (rc == 1)
        rc = locate(&r, q, idx, err);
    if (!rc)
        rc = read_rows(&r, q, idx, r.nfields, t, err);
    sim_csvread_close(&r);
    if (rc) {
        sim_plot_table_free(t);
        t->ncols = 0;
    }
    return rc;
}

void sim_plot_table_free(sim_plot_table *t)
{
    if (t->label)
        for (size_t i = 0; i < t->nrows; i++)
            free(t->label[i]);
    free(t->label);
    free(t->v);
    t->label = NULL;
    t->v = NULL;
    t->nrows = 0;
}

int sim_plot_header(const char *path, char ***names, int *n, sim_err *err)
{
    *names = NULL;
    *n = 0;
    sim_csvread r;
    int rc = sim_csvread_open(&r, path, err);
    if (rc)
        return rc;
    rc = sim_csvread_next(&r, err);
    if (rc == 0)
        rc = sim_error(err, SIM_E_USAGE, "%s is empty (no header)", path);
    char **v = NULL;
    if (rc == 1) {
        rc = 0;
        v = calloc((size_t)r.nfields + 1, sizeof *v);
        for (int k = 0; v && k < r.nfields; k++)
            if (!(v[k] = strdup(r.field[k]))) {
                sim_plot_names_free(v, k);
                v = NULL;
            }
        if (!v)
            rc = sim_error(err, SIM_E_NOMEM, "out of memory reading %s", path);
    }
    if (!rc) {
        *names = v;
        *n = r.nfields;
    }
    sim_csvread_close(&r);
    return rc;
}

void sim_plot_names_free(char **names, int n)
{
    for (int k = 0; names && k < n; k++)
        free(names[k]);
    free(names);
}
