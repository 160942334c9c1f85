/* plot_rounds.c - the pictures over rounds of `sanctionsim plot`: fan
 * charts of the prisoner stock, releases and tension (median, 50 % and
 * 90 % bands over the replications still running, and how many are), the
 * probability that each border is open (from rounds.csv, written by
 * `run --trace`) and that each instrument has been lifted (from runs.csv). */
#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* rounds.csv's columns read for the pictures. */
static const char *const round_cols[] = {
    "round", "prisoners", "released", "tension",
    "pl_border_open", "lt_border_open", "klaipeda_open"};

#define N_ROUND_COLS 7
#define FIRST_OPEN 4  /* the borders and Klaipeda */

static const char *const fan_title[] = {
    NULL, "Political prisoners held at the end of each round",
    "Prisoners released in deals in each round",
    "Regional tension at the end of each round"};

static const char *const open_title[] = {"Poland's border",
                                         "Lithuania's border",
                                         "Klaipeda potash transit"};

/* Bands of every column of dir's rounds.csv: b[col][round - 1]. */
typedef struct dir_rounds {
    sim_plot_band *b[N_ROUND_COLS];
    int nrounds;
    size_t reps; /* replications in round 1 */
} dir_rounds;

static void rounds_free(dir_rounds *r)
{
    for (int c = 0; c < N_ROUND_COLS; c++)
        free(r->b[c]);
}

static int rounds_read(const char *dir, dir_rounds *r, sim_err *err)
{
    memset(r, 0, sizeof *r);
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/rounds.csv", dir);
    sim_plot_query q = {.cols = round_cols, .ncols = N_ROUND_COLS};
    sim_plot_table t;
    int rc = sim_plot_table_read(path, &q, &t, err);
    for (int c = 1; !rc && c < N_ROUND_COLS; c++)
        rc = sim_plot_bands(&t, 0, c, &r->b[c], &r->nrounds, err);
    sim_plot_table_free(&t);
    if (!rc && r->nrounds == 0)
        rc = sim_error(err, SIM_E_USAGE, "%s has no rows", path);
    if (rc)
        rounds_free(r);
    else
        r->reps = r->b[1][0].running;
    return rc;
}

static bool has_trace(const char *dir)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/rounds.csv", dir);
    return access(path, R_OK) == 0;
}

/* Whether any directory has replications that stopped before its last
 * round. */
static bool any_stopped(const dir_rounds *r, int n)
{
    for (int d = 0; d < n; d++)
        for (int k = 0; k < r[d].nrounds; k++)
            if (r[d].b[1][k].running != r[d].reps)
                return true;
    return false;
}

/* Writes one fan chart's datablocks and plot (column c). */
static void fan(plot_job *job, const dir_rounds *r, int c, const char *name)
{
    FILE *f = job->gp;
    char blk[PLOT_MAX_DIRS][16], unit[64] = "", xl[128];
    for (int d = 0; d < job->ndirs; d++) {
        snprintf(blk[d], sizeof blk[d], "$d%d", job->nblocks++);
        fprintf(f, "%s << EOD\n", blk[d]);
        for (int k = 0; k < r[d].nrounds; k++) {
            const sim_plot_band *b = &r[d].b[c][k];
            if (b->n)
                fprintf(f, "%d %zu %.10g %.10g %.10g %.10g %.10g\n", b->round,
                        b->running, b->p05, b->p25, b->p50, b->p75, b->p95);
        }
        fputs("EOD\n", f);
    }
    sim_plot_column_unit(job->sc, round_cols[c], unit, sizeof unit, NULL, 0);
    char title[320];
    bool stopped = any_stopped(r, job->ndirs);
    snprintf(title, sizeof title, "%s: median, 50 %% and 90 %% of runs%s",
             fan_title[c],
             stopped ? "" : " (every replication runs every round)");
    gp_begin(job, name, title, 1000, stopped ? 700 : 560);
    snprintf(xl, sizeof xl, "round (month; round 1 = %s)", job->sc->start);
    fputs("set title ", f);
    gp_string(f, title);
    fputs(" font ',12'\nset ylabel ", f);
    gp_string(f, unit);
    fprintf(f, "\nset key outside bottom center horizontal\nset lmargin 10\n"
               "set xrange [1:%d]\n",
            job->rounds);
    if (stopped)
        fputs("set multiplot\nset size 1,0.72\nset origin 0,0.28\n"
              "set format x ''\n",
              f);
    else {
        fputs("set xlabel ", f);
        gp_string(f, xl);
        fputc('\n', f);
    }
    fputs("plot ", f);
    for (int d = 0; d < job->ndirs; d++) {
        const char *col = strchr(gp_style(d), '\'');
        char rgb[16];
        snprintf(rgb, sizeof rgb, "%.7s", col + 1);
        bool one = job->ndirs == 1;
        fprintf(f,
                "%s%s using 1:3:7 with filledcurves fc rgb '%s' "
                "fs transparent solid %s noborder title '%s', "
                "%s using 1:4:6 with filledcurves fc rgb '%s' "
                "fs transparent solid %s noborder title '%s', "
                "%s using 1:5 with lines %s title ",
                d ? ", " : "", blk[d], one ? "#bbbbbb" : rgb,
                one ? "0.6" : "0.12", one ? "90% of runs" : "",
                blk[d], one ? "#777777" : rgb, one ? "0.6" : "0.25",
                one ? "50% of runs" : "", blk[d], gp_style(d));
        char leg[SIM_NAME_MAX * 2 + 16];
        snprintf(leg, sizeof leg, "%s%s", one ? "median" : job->label[d],
                 one ? "" : " (median)");
        gp_string(f, leg);
    }
    fputc('\n', f);
    if (stopped) {
        fputs("set size 1,0.28\nset origin 0,0\nset format x '%g'\n"
              "unset title\nset ylabel 'still running'\nset xlabel ",
              f);
        gp_string(f, xl);
        fputs("\nset yrange [0:*]\nplot ", f);
        for (int d = 0; d < job->ndirs; d++)
            fprintf(f, "%s%s using 1:2 with steps %s", d ? ", " : "", blk[d],
                    gp_style(d));
        fputs("\nunset multiplot\n", f);
    }
}

/* The probability that each border is open, by round. */
static void borders(plot_job *job, const dir_rounds *r)
{
    FILE *f = job->gp;
    char blk[PLOT_MAX_DIRS][16];
    for (int d = 0; d < job->ndirs; d++) {
        snprintf(blk[d], sizeof blk[d], "$d%d", job->nblocks++);
        fprintf(f, "%s << EOD\n", blk[d]);
        for (int k = 0; k < r[d].nrounds; k++)
            fprintf(f, "%d %.10g %.10g %.10g\n", k + 1,
                    r[d].b[FIRST_OPEN][k].mean, r[d].b[FIRST_OPEN + 1][k].mean,
                    r[d].b[FIRST_OPEN + 2][k].mean);
        fputs("EOD\n", f);
    }
    gp_begin(job, "borders",
             "Probability that each border is open, by round (over the "
             "replications still running)",
             1200, 420);
    fputs("set multiplot layout 1,3 title ", f);
    gp_string(f, job->fig[job->nfig - 1].title);
    fprintf(f, " font ',12'\nset yrange [-0.02:1.02]\nset ylabel "
               "'probability'\nset xlabel 'round (round 1 = %s)'\n"
               "set key bottom right\nset xrange [1:%d]\n",
            job->sc->start, job->rounds);
    for (int c = 0; c < 3; c++) {
        fputs("set title ", f);
        gp_string(f, open_title[c]);
        fputs("\nplot ", f);
        for (int d = 0; d < job->ndirs; d++) {
            fprintf(f, "%s%s using 1:%d with steps %s title ", d ? ", " : "",
                    blk[d], c + 2, gp_style(d));
            gp_string(f, job->ndirs > 1 ? job->label[d] : "");
        }
        fputs("\nunset key\n", f); /* one legend, in the first panel */
    }
    fputs("unset multiplot\n", f);
}

int gp_fans(plot_job *job, sim_err *err)
{
    for (int d = 0; d < job->ndirs; d++)
        if (!has_trace(job->dirs[d])) {
            gp_note(job,
                    "%s has no rounds.csv: the fan charts and the borders by "
                    "round are left out; to get them, run the scenario "
                    "again with --trace (sanctionsim run SCENARIO --trace)",
                    job->dirs[d]);
            return 0;
        }
    dir_rounds r[PLOT_MAX_DIRS];
    memset(r, 0, sizeof r);
    int rc = 0, nread = 0;
    for (; !rc && nread < job->ndirs; nread++)
        rc = rounds_read(job->dirs[nread], &r[nread], err);
    if (!rc) {
        fan(job, r, 1, "fan_prisoners");
        fan(job, r, 2, "fan_released");
        fan(job, r, 3, "fan_tension");
        borders(job, r);
    } else {
        nread--;
    }
    for (int d = 0; d < nread; d++)
        rounds_free(&r[d]);
    return rc;
}

/* The largest value of `rounds` in the directories' runs.csv. */
int gp_horizon(plot_job *job, int *rmax, sim_err *err)
{
    *rmax = 0;
    for (int d = 0; d < job->ndirs; d++) {
        char path[SIM_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/runs.csv", job->dirs[d]);
        const char *cols[] = {"rounds"};
        sim_plot_query q = {.cols = cols, .ncols = 1};
        sim_plot_table t;
        int rc = sim_plot_table_read(path, &q, &t, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < t.nrows; i++)
            if (t.v[i] > *rmax && t.v[i] < 100000)
                *rmax = (int)t.v[i];
        sim_plot_table_free(&t);
    }
    return 0;
}

/* Writes the datablock of P(column <= t) in dir, t = 0..rmax; sets
 * *always when the instrument was lifted before round 1 in every run. */
static int lifted_block(plot_job *job, const char *dir, const char *column,
                        int rmax, char *name, bool *always, sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    const char *cols[] = {column};
    sim_plot_query q = {.cols = cols, .ncols = 1};
    sim_plot_table t;
    int rc = sim_plot_table_read(path, &q, &t, err);
    if (rc)
        return rc;
    double *p = malloc(((size_t)rmax + 1) * sizeof *p);
    if (!p) {
        sim_plot_table_free(&t);
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    }
    sim_plot_by_round(t.v, t.nrows, rmax, p);
    *always = p[0] == 1;
    snprintf(name, 16, "$d%d", job->nblocks++);
    fprintf(job->gp, "%s << EOD\n", name);
    for (int k = 0; k <= rmax; k++)
        fprintf(job->gp, "%d %.10g\n", k, p[k]);
    fputs("EOD\n", job->gp);
    free(p);
    sim_plot_table_free(&t);
    return 0;
}

/* The instruments: the lifted_round_* columns of the first runs.csv. */
static int instruments(plot_job *job, char ***names, int *n, sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/runs.csv", job->dirs[0]);
    int rc = sim_plot_header(path, names, n, err);
    int k = 0;
    for (int i = 0; !rc && i < *n; i++) {
        if (strncmp((*names)[i], "lifted_round_", 13) != 0)
            free((*names)[i]);
        else
            (*names)[k++] = (*names)[i];
    }
    if (!rc)
        *n = k;
    return rc;
}

/* Writes the panels of the instruments not lifted from the start. */
static void lifted_panels(plot_job *job, char **inst, int n,
                          char (*blk)[PLOT_MAX_DIRS][16], const bool *shown,
                          int nshown)
{
    FILE *f = job->gp;
    int cols = nshown < 3 ? nshown : nshown == 4 ? 2 : 3;
    int rows = (nshown + cols - 1) / cols;
    fprintf(f, "set multiplot layout %d,%d title ", rows, cols);
    gp_string(f, job->fig[job->nfig - 1].title);
    fprintf(f, " font ',12'\nset yrange [-0.02:1.02]\n"
               "set xlabel 'round'\nset xrange [0:%d]\n"
               "set ylabel 'probability'\nset key top left\n",
            job->rounds);
    for (int i = 0; i < n; i++) {
        if (!shown[i])
            continue;
        fputs("set title ", f);
        gp_string(f, inst[i] + 13);
        fputs("\nplot ", f);
        for (int d = 0; d < job->ndirs; d++) {
            fprintf(f, "%s%s using 1:2 with steps %s title ", d ? ", " : "",
                    blk[i][d], gp_style(d));
            gp_string(f, job->ndirs > 1 ? job->label[d] : "");
        }
        fputs("\nunset key\n", f); /* one legend, in the first panel */
    }
    fputs("unset multiplot\n", f);
}

/* The datablocks of every instrument in every directory, then the
 * picture of those not lifted from the start in every run. */
static int lifted_all(plot_job *job, char **inst, int n, int rmax,
                      char (*blk)[PLOT_MAX_DIRS][16], bool *shown,
                      sim_err *err)
{
    char before[SIM_TEXT_MAX] = "";
    int nshown = 0, rc = 0;
    for (int i = 0; !rc && i < n; i++) {
        for (int d = 0; !rc && d < job->ndirs; d++) {
            bool always = true;
            rc = lifted_block(job, job->dirs[d], inst[i], rmax, blk[i][d],
                              &always, err);
            shown[i] |= !always;
        }
        if (!rc && !shown[i])
            snprintf(before + strlen(before), sizeof before - strlen(before),
                     "%s%s", before[0] ? ", " : "", inst[i] + 13);
        nshown += shown[i];
    }
    if (rc || nshown == 0)
        return rc;
    char title[320];
    snprintf(title, sizeof title,
             "Probability that each instrument has been lifted (in a deal, "
             "or lapsed) by the end of each round (0: before round 1, "
             "%.8s)%s%.100s%s",
             job->sc->start,
             before[0] ? "\n(lifted before round 1 in every run, not shown: "
                       : "",
             before, before[0] ? ")" : "");
    gp_begin(job, "lifted", title, 1100, 120 + 260 * ((nshown + 2) / 3));
    lifted_panels(job, inst, n, blk, shown, nshown);
    return 0;
}

int gp_lifted(plot_job *job, sim_err *err)
{
    char **inst;
    int n, rmax;
    int rc = instruments(job, &inst, &n, err);
    if (rc)
        return rc;
    rmax = job->rounds;
    char(*blk)[PLOT_MAX_DIRS][16] = NULL;
    bool *shown = NULL;
    if (n > 0) {
        blk = malloc((size_t)n * sizeof *blk);
        shown = calloc((size_t)n, sizeof *shown);
    }
    if (n > 0 && (!blk || !shown))
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    else if (n > 0)
        rc = lifted_all(job, inst, n, rmax, blk, shown, err);
    free(blk);
    free(shown);
    sim_plot_names_free(inst, n);
    return rc;
}
