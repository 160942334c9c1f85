/* plot_gp.c - the gnuplot script of `sanctionsim plot` for run
 * directories: the distributions of the key outcomes, fan charts over
 * rounds, the probability by round that each instrument has been lifted
 * and each border is open. The numbers come from the library (plot.h);
 * this file only writes them as datablocks and says how to draw them. */
#include "plot.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const colours[PLOT_MAX_DIRS] = {
    "#000000", "#d95f02", "#1b7837", "#7570b3",
    "#e7298a", "#66a61e", "#a6761d", "#1f78b4"};

const char *gp_style(int d)
{
    static char buf[PLOT_MAX_DIRS][64];
    snprintf(buf[d % PLOT_MAX_DIRS], sizeof buf[0],
             "lc rgb '%s' dt %d lw 2", colours[d % PLOT_MAX_DIRS],
             d % PLOT_MAX_DIRS + 1);
    return buf[d % PLOT_MAX_DIRS];
}

void gp_note(plot_job *job, const char *fmt, ...)
{
    if (job->nnotes >= PLOT_MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(job->note[job->nnotes++], sizeof job->note[0], fmt, ap);
    va_end(ap);
}

void gp_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

void gp_begin(plot_job *job, const char *name, const char *title, int width,
              int height)
{
    FILE *f = job->gp;
    plot_figure *fig = &job->fig[job->nfig < PLOT_MAX_FIGS ? job->nfig++
                                                          : PLOT_MAX_FIGS - 1];
    snprintf(fig->file, sizeof fig->file, "%s.%s", name, job->format);
    snprintf(fig->title, sizeof fig->title, "%s", title);
    fprintf(f, "\n# ---- %s: ", fig->file);
    for (const char *c = title; *c; c++)
        fputc(*c == '\n' ? ' ' : *c, f);
    fputs("\nreset\n", f);
    if (!strcmp(job->format, "png"))
        fprintf(f, "set terminal pngcairo size %d,%d font 'Sans,10' "
                   "noenhanced\n",
                width, height);
    else if (!strcmp(job->format, "svg"))
        fprintf(f, "set terminal svg size %d,%d font 'sans-serif,12' "
                   "noenhanced\n",
                width, height);
    else
        fprintf(f, "set terminal pdfcairo size %.2fin,%.2fin "
                   "font 'Sans,9' noenhanced\n",
                width / 100.0, height / 100.0);
    fprintf(f, "set output '%s'\nset style line 100 lc rgb '#d8d8d8' lw 1 "
               "dt 1\nset grid ls 100\n"
               "set key noautotitle\nset border 3\nset tics nomirror\n",
            fig->file);
}

/* A datablock of the figure: starts it and returns its name. */
static const char *block(plot_job *job, char *name)
{
    snprintf(name, 16, "$d%d", job->nblocks++);
    fprintf(job->gp, "%s << EOD\n", name);
    return name;
}

/* The axis label of a column: its unit, or the given fallback. */
static void unit_label(const plot_job *job, const char *column, char *out,
                       size_t size, double *scale)
{
    char unit[64] = "";
    *scale = 1;
    sim_plot_column_unit(job->sc, column, unit, sizeof unit, NULL, 0);
    if (!strcmp(unit, "$bn/yr per person")) {
        *scale = 1000;
        snprintf(unit, sizeof unit, "$m/yr per person");
    }
    snprintf(out, size, "%s", unit[0] ? unit : "count");
}

/* The key outcomes: column and panel title. */
static const struct {
    const char *column, *title;
} outcomes[] = {
    {"released_total", "prisoners released in deals"},
    {"prisoners_end", "prisoners held at the end"},
    {"us_deals", "deals with Washington"},
    {"eu_deals", "EU deals applied (not vetoed)"},
    {"first_us_deal_round", "round of the first US deal (never: ends below 1)"},
    {"price_per_prisoner", "going price per prisoner (none released: ends "
                           "below 1)"},
};

#define N_OUTCOMES ((int)(sizeof outcomes / sizeof *outcomes))

/* Reads one column of dir/runs.csv. */
static int runs_column(const char *dir, const char *column, sim_plot_table *t,
                       sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    const char *cols[] = {column};
    sim_plot_query q = {.cols = cols, .ncols = 1};
    return sim_plot_table_read(path, &q, t, err);
}

/* Writes the empirical distribution function of column `column` of dir
 * as a datablock (starting at 0 left of the smallest value). */
static int ecdf_block(plot_job *job, const char *dir, const char *column,
                      double scale, char *name, double *range, sim_err *err)
{
    sim_plot_table t;
    int rc = runs_column(dir, column, &t, err);
    if (rc)
        return rc;
    size_t n = t.nrows;
    double *xs = malloc((n ? n : 1) * 2 * sizeof *xs);
    if (!xs) {
        sim_plot_table_free(&t);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    size_t k = sim_plot_ecdf(t.v, n, xs, xs + n);
    /* range: smallest, largest, and 1 if any is not a whole number */
    for (size_t i = 0; i < k; i++) {
        range[2] = fmax(range[2], xs[i] != floor(xs[i]));
        range[0] = fmin(range[0], xs[i] * scale);
        range[1] = fmax(range[1], xs[i] * scale);
    }
    block(job, name);
    if (k)
        fprintf(job->gp, "%.10g 0\n", xs[0] * scale);
    for (size_t i = 0; i < k; i++)
        fprintf(job->gp, "%.10g %.10g\n", xs[i] * scale, xs[n + i]);
    fputs("EOD\n", job->gp);
    free(xs);
    sim_plot_table_free(&t);
    return 0;
}

int gp_outcomes(plot_job *job, sim_err *err)
{
    char names[N_OUTCOMES][PLOT_MAX_DIRS][16];
    double scale[N_OUTCOMES], range[N_OUTCOMES][3];
    char xl[N_OUTCOMES][64];
    for (int o = 0; o < N_OUTCOMES; o++) {
        unit_label(job, outcomes[o].column, xl[o], sizeof xl[o], &scale[o]);
        range[o][0] = INFINITY, range[o][1] = -INFINITY, range[o][2] = 0;
        for (int d = 0; d < job->ndirs; d++) {
            int rc = ecdf_block(job, job->dirs[d], outcomes[o].column,
                                scale[o], names[o][d], range[o], err);
            if (rc)
                return rc;
        }
    }
    gp_begin(job, "outcomes",
             "Distribution of the key outcomes over the replications "
             "(share of runs at or below each value)",
             1200, 760);
    FILE *f = job->gp;
    fputs("set multiplot layout 2,3 title ", f);
    gp_string(f, job->fig[job->nfig - 1].title);
    fputs(" font ',12'\nset yrange [0:1.02]\nset ylabel 'share of runs'\n"
          "set key bottom right\nset autoscale xfix\n"
          "set offsets graph 0.04, graph 0.04, 0, 0\n",
          f);
    for (int o = 0; o < N_OUTCOMES; o++) {
        fputs("set title ", f);
        gp_string(f, outcomes[o].title);
        fputs("\nset xlabel ", f);
        gp_string(f, xl[o]);
        /* whole numbers over a short range: a tic at each */
        double *r = range[o];
        fputs(!r[2] && r[1] - r[0] <= 8 ? "\nset xtics 1\n"
                                        : "\nset xtics autofreq\n",
              f);
        if (r[1] == r[0]) /* one value: a range around it */
            fprintf(f, "set xrange [%.10g:%.10g]\n", r[0] - 1, r[0] + 1);
        else
            fputs("set autoscale x\nset autoscale xfix\n", f);
        fputs("plot ", f);
        for (int d = 0; d < job->ndirs; d++) {
            fprintf(f, "%s%s using 1:2 with steps %s title ", d ? ", " : "",
                    names[o][d], gp_style(d));
            gp_string(f, job->ndirs > 1 ? job->label[d] : "");
        }
        fputs("\nunset key\n", f); /* one legend, in the first panel */
    }
    fputs("unset multiplot\n", f);
    return 0;
}
