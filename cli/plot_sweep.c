/* plot_sweep.c - the pictures of `sanctionsim plot` for sweeps (the main
 * effect of each factor on each metric, the Sobol indices with their
 * intervals) and for `discover` (the peeling trajectory: density against
 * coverage). */
#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LEVELS 8
#define MAX_FACTORS 32
#define MAX_METRICS 16

/* A sweep directory: its factors, design and the metrics of points.csv. */
typedef struct sweep {
    char **names; /* design.csv's header: point, then the factors */
    int nnames;
    sim_plot_table design; /* every column of design.csv */
    sim_plot_table points; /* point, value; label = metric */
} sweep;

static void sweep_free(sweep *s)
{
    sim_plot_names_free(s->names, s->nnames);
    sim_plot_table_free(&s->design);
    sim_plot_table_free(&s->points);
}

static int sweep_read(const char *dir, sweep *s, sim_err *err)
{
    memset(s, 0, sizeof *s);
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/design.csv", dir);
    int rc = sim_plot_header(path, &s->names, &s->nnames, err);
    if (!rc && (s->nnames < 2 || s->nnames > MAX_FACTORS + 1 ||
                strcmp(s->names[0], "point") != 0))
        rc = sim_error(err, SIM_E_USAGE,
                       "%s: expected `point` and 1 to %d factors", path,
                       MAX_FACTORS);
    sim_plot_query q = {.cols = (const char *const *)s->names,
                        .ncols = s->nnames};
    if (!rc)
        rc = sim_plot_table_read(path, &q, &s->design, err);
    snprintf(path, sizeof path, "%s/points.csv", dir);
    const char *pc[] = {"point", "value"};
    sim_plot_query pq = {.cols = pc, .ncols = 2, .label_col = "metric"};
    if (!rc)
        rc = sim_plot_table_read(path, &pq, &s->points, err);
    if (rc)
        sweep_free(s);
    return rc;
}

/* The distinct metrics of s's points.csv, in order of appearance. */
static int metrics(const sweep *s, const char **m)
{
    int n = 0;
    for (size_t i = 0; i < s->points.nrows; i++) {
        int k = 0;
        while (k < n && strcmp(m[k], s->points.label[i]) != 0)
            k++;
        if (k == n && n < MAX_METRICS)
            m[n++] = s->points.label[i];
    }
    return n;
}

/* y[point] = the metric's value at each point of s (NaN if absent). */
static double *metric_values(const sweep *s, const char *metric)
{
    size_t np = s->design.nrows;
    double *y = malloc((np ? np : 1) * sizeof *y);
    for (size_t i = 0; y && i < np; i++)
        y[i] = NAN;
    for (size_t i = 0; y && i < s->points.nrows; i++) {
        double p = sim_plot_at(&s->points, i, 0);
        if (!strcmp(s->points.label[i], metric) && p >= 0 && p < (double)np)
            y[(size_t)p] = sim_plot_at(&s->points, i, 1);
    }
    return y;
}

/* The column of factor name in s, or -1. */
static int factor_col(const sweep *s, const char *name)
{
    for (int k = 1; k < s->nnames; k++)
        if (!strcmp(s->names[k], name))
            return k;
    return -1;
}

/* The main effect of factor `name` in every sweep as datablocks
 * (blk[d] empty where sweep d lacks the factor); widens [*lo, *hi] to
 * the means +- their errors and sets *levels to the first sweep's
 * levels (0 if binned) with their values in lv. */
static int effect_data(plot_job *job, const sweep *sw, const char *metric,
                       const char *name, char (*blk)[16], double *lo,
                       double *hi, int *levels, double *lv, sim_err *err)
{
    sim_plot_effect e[MAX_LEVELS];
    for (int d = 0; d < job->ndirs; d++) {
        blk[d][0] = '\0';
        int c = factor_col(&sw[d], name), ne = 0, rc = 0;
        size_t np = sw[d].design.nrows;
        double *y = c < 0 ? NULL : metric_values(&sw[d], metric);
        double *x = y ? malloc((np ? np : 1) * sizeof *x) : NULL;
        for (size_t i = 0; x && i < np; i++)
            x[i] = sim_plot_at(&sw[d].design, i, c);
        if (x)
            rc = sim_plot_main_effect(x, y, np, MAX_LEVELS, e, &ne, err);
        else if (c >= 0)
            rc = sim_error(err, SIM_E_NOMEM, "out of memory");
        free(x);
        free(y);
        if (rc)
            return rc;
        if (ne == 0)
            continue;
        /* fewer distinct values than bins: the levels of a grid */
        bool grid = true;
        for (int k = 1; k < ne; k++)
            grid &= e[k].n == e[0].n;
        if (d == 0) {
            *levels = ne < MAX_LEVELS && grid ? ne : 0;
            for (int k = 0; k < ne; k++)
                lv[k] = e[k].level;
        }
        snprintf(blk[d], 16, "$d%d", job->nblocks++);
        fprintf(job->gp, "%s << EOD\n", blk[d]);
        for (int k = 0; k < ne; k++) {
            double se = isnan(e[k].se) ? 0.0 : e[k].se;
            fprintf(job->gp, "%.10g %.10g %.10g\n", e[k].level, e[k].mean,
                    se);
            *lo = fmin(*lo, e[k].mean - se);
            *hi = fmax(*hi, e[k].mean + se);
        }
        fputs("EOD\n", job->gp);
    }
    return 0;
}

/* One panel of the main effects of factor `name`. */
static void effect_panel(plot_job *job, const char *name, char (*blk)[16],
                         int levels, const double *lv)
{
    FILE *f = job->gp;
    fputs("set title ", f);
    gp_string(f, name);
    fputs("\nset xlabel ", f);
    gp_string(f, levels ? "level" : "value (points binned by value)");
    if (levels) {
        fputs("\nset xtics (", f);
        for (int k = 0; k < levels; k++)
            fprintf(f, "%s%.10g", k ? ", " : "", lv[k]);
        fputs(")\nset offsets graph 0.1, graph 0.1, 0, 0\n", f);
    } else {
        fputs("\nset xtics autofreq\nset offsets 0, 0, 0, 0\n", f);
    }
    fputs("plot ", f);
    bool any = false;
    for (int d = 0; d < job->ndirs; d++) {
        if (!blk[d][0])
            continue;
        fprintf(f, "%s%s using 1:2:3 with yerrorlines %s pt 7 ps 0.6 title ",
                any ? ", " : "", blk[d], gp_style(d));
        gp_string(f, job->ndirs > 1 ? job->label[d] : "");
        any = true;
    }
    if (!any)
        fputs("NaN notitle", f);
    fputc('\n', f);
}

/* One metric's picture: a panel per factor of the first sweep, all on
 * one vertical scale, so that the factors' effects compare. */
static int effects_metric(plot_job *job, const sweep *sw, const char *m,
                          sim_err *err)
{
    int nf = sw[0].nnames - 1;
    int cols = nf < 3 ? nf : 3, rows = (nf + cols - 1) / cols;
    char(*blk)[PLOT_MAX_DIRS][16] = malloc((size_t)nf * sizeof *blk);
    double(*lv)[MAX_LEVELS] = malloc((size_t)nf * sizeof *lv);
    int *levels = calloc((size_t)nf, sizeof *levels);
    double lo = INFINITY, hi = -INFINITY;
    int rc = 0;
    if (!blk || !lv || !levels) {
        free(blk);
        free(lv);
        free(levels);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    for (int j = 0; !rc && j < nf; j++)
        rc = effect_data(job, sw, m, sw[0].names[j + 1], blk[j], &lo, &hi,
                         &levels[j], lv[j], err);
    if (!rc) {
        char title[320], file[96], unit[64] = "", yl[160];
        sim_plot_column_unit(job->sc, m, unit, sizeof unit, NULL, 0);
        snprintf(title, sizeof title,
                 "Main effect of each factor on %s: mean over the design "
                 "points at each level, +- 1 standard error",
                 m);
        snprintf(file, sizeof file, "effects_%.60s", m);
        gp_begin(job, file, title, 1100, 120 + 300 * rows);
        FILE *f = job->gp;
        fprintf(f, "set multiplot layout %d,%d title ", rows, cols);
        gp_string(f, title);
        snprintf(yl, sizeof yl, "%s%s%s%s", m, unit[0] ? " (" : "", unit,
                 unit[0] ? ")" : "");
        fputs(" font ',12'\nset ylabel ", f);
        gp_string(f, yl);
        fputs("\nset key top left\n", f);
        if (isfinite(lo) && hi > lo)
            fprintf(f, "set yrange [%.10g:%.10g]\n", lo - 0.05 * (hi - lo),
                    hi + 0.05 * (hi - lo));
        for (int j = 0; j < nf; j++)
            effect_panel(job, sw[0].names[j + 1], blk[j], levels[j], lv[j]);
        fputs("unset multiplot\n", f);
    }
    free(blk);
    free(lv);
    free(levels);
    return rc;
}

/* One picture per metric. */
static int effects(plot_job *job, const sweep *sw, sim_err *err)
{
    const char *m[MAX_METRICS];
    int nm = metrics(&sw[0], m);
    for (int k = 0; k < nm; k++) {
        int rc = effects_metric(job, sw, m[k], err);
        if (rc)
            return rc;
    }
    return 0;
}

/* The Sobol indices of one sweep directory: a panel per metric, S1 and
 * ST of each factor as bars with their bootstrap intervals. */
static int sobol(plot_job *job, int d, const sweep *s, sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/sensitivity.csv", job->dirs[d]);
    if (access(path, R_OK) != 0)
        return 0;
    const char *m[MAX_METRICS];
    int nm = metrics(s, m);
    static const char *const cols[] = {"S1", "S1_lo", "S1_hi",
                                       "ST", "ST_lo", "ST_hi"};
    char blk[MAX_METRICS][16];
    for (int k = 0; k < nm; k++) {
        sim_plot_query q = {.cols = cols, .ncols = 6, .where_col = "metric",
                            .where_val = m[k], .label_col = "factor"};
        sim_plot_table t;
        int rc = sim_plot_table_read(path, &q, &t, err);
        if (rc)
            return rc;
        snprintf(blk[k], sizeof blk[k], "$d%d", job->nblocks++);
        fprintf(job->gp, "%s << EOD\n", blk[k]);
        for (size_t i = 0; i < t.nrows; i++) {
            /* long keys break at their dots */
            char name[SIM_PATH_MAX];
            size_t n = 0;
            for (const char *c = t.label[i]; *c && n + 2 < sizeof name; c++) {
                name[n++] = *c;
                if (*c == '.' && c[1])
                    name[n++] = '\n';
            }
            name[n] = '\0';
            gp_string(job->gp, name);
            for (int c = 0; c < 6; c++) {
                double v = sim_plot_at(&t, i, c);
                fprintf(job->gp, " %.10g", isnan(v) ? 0.0 : v);
            }
            fputc('\n', job->gp);
        }
        fputs("EOD\n", job->gp);
        sim_plot_table_free(&t);
    }
    char title[320], file[32];
    snprintf(title, sizeof title,
             "Sobol indices%s%s: first order S1 (the factor alone) and total "
             "ST (with its interactions), with 95 %% bootstrap intervals",
             job->ndirs > 1 ? " of " : "", job->ndirs > 1 ? job->label[d] : "");
    snprintf(file, sizeof file, job->ndirs > 1 ? "sobol_%d" : "sobol", d + 1);
    gp_begin(job, file, title, 1100, 140 + 360 * nm);
    FILE *f = job->gp;
    fprintf(f, "set multiplot layout %d,1 title ", nm);
    gp_string(f, title);
    fputs(" font ',12'\nset style data histograms\n"
          "set style histogram errorbars gap 2 lw 1\n"
          "set style fill solid 1.0 border lc rgb '#000000'\n"
          "set ylabel 'share of the variance'\nset yrange [*<-0.1:1.1<*]\n"
          "set xtics noenhanced\nset key top right\nset grid noxtics\n"
          "set bmargin 5\n",
          f);
    for (int k = 0; k < nm; k++) {
        fputs("set title ", f);
        gp_string(f, m[k]);
        fprintf(f, "\nplot %s using 2:3:4:xtic(1) lc rgb '#999999' "
                   "title 'S1 (alone)', '' using 5:6:7 fs pattern 2 "
                   "lc rgb '#000000' title 'ST (total)'\n",
                blk[k]);
    }
    fputs("unset multiplot\n", f);
    return 0;
}

int gp_sweep(plot_job *job, sim_err *err)
{
    sweep sw[PLOT_MAX_DIRS];
    memset(sw, 0, sizeof sw);
    int rc = 0, nread = 0;
    for (; !rc && nread < job->ndirs; nread++)
        rc = sweep_read(job->dirs[nread], &sw[nread], err);
    if (rc)
        nread--;
    if (!rc)
        rc = effects(job, sw, err);
    for (int d = 0; !rc && d < job->ndirs; d++)
        rc = sobol(job, d, &sw[d], err);
    for (int d = 0; d < nread; d++)
        sweep_free(&sw[d]);
    return rc;
}

int gp_discover(plot_job *job, sim_err *err)
{
    char blk[PLOT_MAX_DIRS][16] = {{0}};
    size_t every[PLOT_MAX_DIRS] = {0};
    for (int d = 0; d < job->ndirs; d++) {
        char path[SIM_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/peeling.csv", job->dirs[d]);
        static const char *const cols[] = {"step", "coverage", "density",
                                           "n_points"};
        sim_plot_query q = {.cols = cols, .ncols = 4};
        sim_plot_table t;
        int rc = sim_plot_table_read(path, &q, &t, err);
        if (rc)
            return rc;
        snprintf(blk[d], sizeof blk[d], "$d%d", job->nblocks++);
        fprintf(job->gp, "%s << EOD\n", blk[d]);
        for (size_t i = 0; i < t.nrows; i++)
            fprintf(job->gp, "%.10g %.10g %.10g %.10g\n", sim_plot_at(&t, i, 0),
                    sim_plot_at(&t, i, 1), sim_plot_at(&t, i, 2),
                    sim_plot_at(&t, i, 3));
        fputs("EOD\n", job->gp);
        every[d] = t.nrows <= 20 ? 1 : t.nrows / 10;
        sim_plot_table_free(&t);
    }
    gp_begin(job, "peeling",
             "PRIM peeling trajectory: density against coverage, each point "
             "a step (labelled)",
             900, 640);
    FILE *f = job->gp;
    fputs("set title ", f);
    gp_string(f, job->fig[job->nfig - 1].title);
    fputs(" font ',11'\nset xlabel 'coverage (share of the cases of interest "
          "inside the box)'\nset ylabel 'density (share of the box''s points "
          "that are cases)'\nset xrange [0:1.05]\nset yrange [0:1.05]\n"
          "set key bottom left\nplot ",
          f);
    for (int d = 0; d < job->ndirs; d++) {
        fprintf(f, "%s%s using 2:3 with linespoints %s pt %d ps 0.8 title ",
                d ? ", " : "", blk[d], gp_style(d), 7 + d);
        gp_string(f, job->ndirs > 1 ? job->label[d] : "");
        fprintf(f, ", %s using 2:3:(sprintf('%%d', $1)) every %zu with labels "
                   "offset 0.8,0.8 font ',8' notitle",
                blk[d], every[d]);
    }
    fputc('\n', f);
    return 0;
}
