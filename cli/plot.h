/* plot.h - `sanctionsim plot`: result directories drawn by gnuplot, and
 * the pieces `sanctionsim report` shares (drawing into a directory,
 * removing one). */
#ifndef SIM_CLI_PLOT_H
#define SIM_CLI_PLOT_H

#include <stdbool.h>
#include <stdio.h>

#include <sanctionsim/error.h>
#include <sanctionsim/plot.h>
#include <sanctionsim/scenario.h>

#define PLOT_MAX_DIRS 8
#define PLOT_MAX_FIGS 48
#define PLOT_MAX_NOTES 8

/* One picture drawn: its file (in the output directory) and what it
 * shows. */
typedef struct plot_figure {
    char file[96];
    char title[320];
} plot_figure;

/* What is drawn: the directories, the format, and the script being
 * written. */
typedef struct plot_job {
    const char *const *dirs;
    int ndirs;
    sim_plot_kind kind;
    const char *format; /* "png", "svg" or "pdf" */
    char label[PLOT_MAX_DIRS][SIM_NAME_MAX * 2]; /* legend of each dir */
    sim_scenario *sc; /* units and names: the first directory's scenario */
    FILE *gp;         /* the script */
    int nblocks;      /* datablocks written so far */
    int rounds;       /* the most rounds any replication played */
    plot_figure fig[PLOT_MAX_FIGS];
    int nfig;
    char note[PLOT_MAX_NOTES][SIM_TEXT_MAX]; /* said to the user */
    int nnotes;
} plot_job;

/* The usage text of `sanctionsim plot`. */
extern const char plot_usage[];

/* Runs `sanctionsim plot` with argv[0] == "plot". */
int plot_main(int argc, char **argv, sim_err *err);

/* Draws dirs[0..ndirs) in format into the existing directory workdir
 * (plot.gp and the pictures); job->fig lists them and job->note what was
 * left out. The caller frees job->sc. Returns 0 or a negative code. */
int plot_render(plot_job *job, const char *workdir, sim_err *err);

/* Removes directory dir and the files in it (no subdirectories). */
void plot_remove_dir(const char *dir);

/* Whether gnuplot is on PATH; if not, err says how to install it. */
int plot_find_gnuplot(sim_err *err);

/* ---- the script's pictures (plot_gp.c) ---- */

/* Sets the terminal and output of the next picture, file NAME.<format>,
 * titled title, width x height in pixels at png's scale. */
void gp_begin(plot_job *job, const char *name, const char *title, int width,
              int height);

/* A legend's line style of directory d: colour and dash, readable in grey
 * scale. */
const char *gp_style(int d);

/* The pictures of run directories, of sweeps, of discovery. */
int gp_outcomes(plot_job *job, sim_err *err);
int gp_fans(plot_job *job, sim_err *err);
int gp_lifted(plot_job *job, sim_err *err);
int gp_sweep(plot_job *job, sim_err *err);
int gp_discover(plot_job *job, sim_err *err);

/* The largest value of `rounds` in the directories' runs.csv. */
int gp_horizon(plot_job *job, int *rmax, sim_err *err);

/* Adds a note for the user (printf-style). */
void gp_note(plot_job *job, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes s as a gnuplot string in double quotes. */
void gp_string(FILE *f, const char *s);

#endif
