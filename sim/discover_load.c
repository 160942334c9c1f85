/* discover_load.c - a sweep's result directory as `discover` reads it:
 * design.csv's factor values by point, and runs.csv's runs, each a case
 * with its point's values and the outcome evaluated on its row. */
#include "discover_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvread.h"

/* Point numbers are indices into a table: larger ones are refused. */
#define DISC_MAX_POINT 10000000L

void sim_discover_sweep_free(disc_sweep *s)
{
    free(s->factor);
    free(s->design);
    free(s->x);
    free(s->y);
    memset(s, 0, sizeof *s);
}

/* A decimal number, finite; in design.csv also true and false. */
static bool parse_value(const char *f, bool booleans, double *v)
{
    if (booleans && (!strcmp(f, "true") || !strcmp(f, "false"))) {
        *v = f[0] == 't';
        return true;
    }
    if (!f[0] || !strchr("+-.0123456789", f[0]))
        return false;
    char *end;
    errno = 0;
    *v = strtod(f, &end);
    return *end == '\0' && isfinite(*v);
}

/* A point number: a whole number below DISC_MAX_POINT. */
static bool parse_point(const char *f, long *p)
{
    if (f[0] < '0' || f[0] > '9')
        return false;
    char *end;
    errno = 0;
    *p = strtol(f, &end, 10);
    return *end == '\0' && errno == 0 && *p < DISC_MAX_POINT;
}

static int not_sweep(const char *dir, const char *why, sim_err *err)
{
    return sim_error(err, SIM_E_USAGE,
                     "%s is not a sweep's result directory (%s); discover "
                     "reads what `sanctionsim sweep` writes",
                     dir, why);
}

/* Opens dir/name into r (path is its buffer). */
static int open_in(const char *dir, const char *name, char *path, size_t size,
                   sim_csvread *r, sim_err *err)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return sim_error(err, SIM_E_USAGE, "%s: no such directory", dir);
    snprintf(path, size, "%s/%s", dir, name);
    if (stat(path, &st) != 0) {
        char why[64];
        snprintf(why, sizeof why, "it has no %s", name);
        return not_sweep(dir, why, err);
    }
    int rc = sim_csvread_open(r, path, err);
    if (!rc && (rc = sim_csvread_next(r, err)) == 0)
        rc = sim_error(err, SIM_E_USAGE, "%s is empty: no header", path);
    return rc < 0 ? rc : 0;
}

/* design.csv's header: "point", then the factors. */
static int design_header(disc_sweep *s, const char *dir, sim_csvread *r,
                         sim_err *err)
{
    if (r->nfields < 1 || strcmp(r->field[0], "point") != 0)
        return not_sweep(dir, "design.csv does not begin with a point column",
                         err);
    if (r->nfields < 2)
        return sim_error(err, SIM_E_USAGE, "%s:1: no factor columns",
                         r->path);
    s->k = r->nfields - 1;
    s->factor = calloc((size_t)s->k, sizeof *s->factor);
    if (!s->factor)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    for (int j = 0; j < s->k; j++) {
        const char *f = r->field[j + 1];
        if (!f[0] || strlen(f) >= sizeof s->factor[j])
            return sim_error(err, SIM_E_USAGE,
                             "%s:1: column %d of the header has %s name",
                             r->path, j + 2, f[0] ? "too long a" : "no");
        snprintf(s->factor[j], sizeof s->factor[j], "%s", f);
    }
    return 0;
}

/* Reads design.csv's rows; (*index)[p] is point p's row, or -1. */
static int read_design(disc_sweep *s, const char *dir, long **index,
                       long *nindex, sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    sim_csvread r = {0};
    int rc = open_in(dir, "design.csv", path, sizeof path, &r, err);
    if (!rc)
        rc = design_header(s, dir, &r, err);
    size_t cap = 0, k = (size_t)s->k;
    while (!rc && (rc = sim_csvread_next(&r, err)) == 1) {
        long p;
        rc = 0;
        if (r.nfields != s->k + 1) {
            rc = sim_error(err, SIM_E_USAGE,
                           "%s:%ld: %d fields where the header has %d", path,
                           r.record_line, r.nfields, s->k + 1);
            break;
        }
        if (!parse_point(r.field[0], &p)) {
            rc = sim_error(err, SIM_E_USAGE,
                           "%s:%ld: point is '%s', not a point number", path,
                           r.record_line, r.field[0]);
            break;
        }
        if (p >= *nindex || !*index) {
            long n = 2 * p + 16 < DISC_MAX_POINT ? 2 * p + 16
                                                 : DISC_MAX_POINT;
            long *m = realloc(*index, (size_t)n * sizeof *m);
            if (!m) {
                rc = sim_error(err, SIM_E_NOMEM, "out of memory");
                break;
            }
            for (long i = *nindex; i < n; i++)
                m[i] = -1;
            *index = m;
            *nindex = n;
        }
        if ((*index)[p] >= 0) {
            rc = sim_error(err, SIM_E_USAGE, "%s:%ld: point %ld appears twice",
                           path, r.record_line, p);
            break;
        }
        if (s->npoints == cap) {
            cap = cap ? 2 * cap : 64;
            double *m = realloc(s->design, cap * k * sizeof *m);
            if (!m) {
                rc = sim_error(err, SIM_E_NOMEM, "out of memory");
                break;
            }
            s->design = m;
        }
        for (size_t j = 0; j < k && !rc; j++)
            if (!parse_value(r.field[j + 1], true,
                             &s->design[s->npoints * k + j]))
                rc = sim_error(err, SIM_E_USAGE,
                               "%s:%ld: %s is '%s', not a number", path,
                               r.record_line, s->factor[j], r.field[j + 1]);
        (*index)[p] = (long)s->npoints++;
    }
    if (!rc && s->npoints == 0)
        rc = sim_error(err, SIM_E_USAGE, "%s has no rows: no design points",
                       path);
    sim_csvread_close(&r);
    return rc;
}

/* Grows the cases' storage to hold one more. */
static int grow_cases(disc_sweep *s, size_t *cap, sim_err *err)
{
    if (s->ncases < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 1024;
    double *x = realloc(s->x, c * (size_t)s->k * sizeof *x);
    if (x)
        s->x = x;
    unsigned char *y = realloc(s->y, c);
    if (y)
        s->y = y;
    if (!x || !y)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    *cap = c;
    return 0;
}

/* What reading runs.csv needs besides the sweep. */
typedef struct runs_ctx {
    const char *path;
    const long *index;
    long nindex;
    int point_col, ncols, nused;
    int *used;      /* the columns the expression reads */
    char (*name)[SIM_COLUMN_NAME_MAX]; /* [nused]: their names */
    double *values; /* [ncols]: the row's values of those columns */
    const sim_expr *e;
} runs_ctx;

/* One record of runs.csv as case s->ncases. */
static int read_case(disc_sweep *s, runs_ctx *c, const sim_csvread *r,
                     sim_err *err)
{
    long p;
    if (r->nfields != c->ncols)
        return sim_error(err, SIM_E_USAGE,
                         "%s:%ld: %d fields where the header has %d", c->path,
                         r->record_line, r->nfields, c->ncols);
    const char *pf = r->field[c->point_col];
    if (!parse_point(pf, &p) || !c->index || p >= c->nindex ||
        c->index[p] < 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s:%ld: point '%s' is not a point of design.csv",
                         c->path, r->record_line, pf);
    for (int u = 0; u < c->nused; u++) {
        int col = c->used[u];
        const char *f = r->field[col];
        c->values[col] = NAN; /* empty: never, or undefined */
        if (f[0] && !parse_value(f, false, &c->values[col]))
            return sim_error(err, SIM_E_USAGE,
                             "%s:%ld: column %s holds '%s', not a number: "
                             "the outcome can compare numeric columns only",
                             c->path, r->record_line, c->name[u], f);
    }
    size_t k = (size_t)s->k;
    memcpy(s->x + s->ncases * k, s->design + (size_t)c->index[p] * k,
           k * sizeof *s->x);
    s->y[s->ncases++] = sim_expr_eval(c->e, c->values);
    return 0;
}

/* Parses `where` against runs.csv's header (in r) and prepares c. */
static int runs_header(const char *dir, const char *where,
                       const sim_csvread *r, runs_ctx *c, sim_expr **e,
                       sim_err *err)
{
    c->ncols = r->nfields;
    c->point_col = -1;
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->field[i], "point"))
            c->point_col = i;
    if (c->point_col < 0)
        return not_sweep(dir, "runs.csv has no point column", err);
    int rc = sim_expr_parse(where, (const char *const *)r->field, r->nfields,
                            e, err);
    if (rc)
        return rc;
    c->e = *e;
    c->used = malloc((size_t)c->ncols * sizeof *c->used);
    c->values = malloc((size_t)c->ncols * sizeof *c->values);
    if (!c->used || !c->values)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    c->nused = sim_expr_columns(*e, c->used, c->ncols);
    c->name = calloc((size_t)c->nused + 1, sizeof *c->name);
    if (!c->name)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    for (int u = 0; u < c->nused; u++)
        snprintf(c->name[u], sizeof c->name[u], "%s", r->field[c->used[u]]);
    return 0;
}

static int read_runs(disc_sweep *s, const char *dir, const char *where,
                     runs_ctx *c, sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    sim_csvread r = {0};
    sim_expr *e = NULL;
    c->path = path;
    int rc = open_in(dir, "runs.csv", path, sizeof path, &r, err);
    if (!rc)
        rc = runs_header(dir, where, &r, c, &e, err);
    size_t cap = 0;
    while (!rc && (rc = sim_csvread_next(&r, err)) == 1) {
        rc = grow_cases(s, &cap, err);
        if (!rc)
            rc = read_case(s, c, &r, err);
    }
    if (!rc && s->ncases == 0)
        rc = sim_error(err, SIM_E_USAGE, "%s has no rows: no runs", path);
    free(c->used);
    free(c->values);
    free(c->name);
    c->path = NULL; /* path dies here */
    sim_expr_free(e);
    sim_csvread_close(&r);
    return rc;
}

int sim_discover_load(const char *dir, const char *where, disc_sweep *s,
                      sim_err *err)
{
    memset(s, 0, sizeof *s);
    long *index = NULL, nindex = 0;
    int rc = read_design(s, dir, &index, &nindex, err);
    runs_ctx c = {.index = index, .nindex = nindex};
    if (!rc)
        rc = read_runs(s, dir, where, &c, err);
    free(index);
    if (rc)
        sim_discover_sweep_free(s);
    return rc;
}
