/* columns.h - the columns of runs.csv and rounds.csv: their names, how each
 * value is got from a replication's result or a round's record, and how it
 * is written (MODEL.md section 8). The result directory (output.h) writes
 * the files; this module only says what goes in them. */
#ifndef SIM_COLUMNS_H
#define SIM_COLUMNS_H

#include <stdbool.h>
#include <stdio.h>

#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>


/* A column of runs.csv (or a summary-only metric). */
typedef enum sim_col_format {
    SIM_COL_INT,
    SIM_COL_REAL,
    SIM_COL_TEXT
} sim_col_format;

typedef struct sim_column {
    char name[SIM_COLUMN_NAME_MAX];
    int id;    /* internal column id */
    int index; /* instrument, actor, kind or stop index for indexed ids */
    sim_col_format format;
    bool in_runs;    /* a column of runs.csv */
    bool summarize;  /* a metric of summary.csv */
    bool proportion; /* 0/1 values: Wilson interval */
} sim_column;


/* Fills cols (SIM_MAX_COLUMNS long) with runs.csv's columns for scenario
 * sc, in order, then the summary-only metrics; returns their number. */
int sim_columns_list(const sim_scenario *sc, sim_column *cols);

/* Numeric value of a column for a result; NaN means an empty field. */
double sim_column_value(const sim_column *c, const sim_rep_result *r);

/* Writes runs.csv's header line (with '\n'): the names of the columns of
 * cols[0..n) that are in runs.csv. The caller checks the stream. */
void sim_columns_write_runs_header(FILE *f, const sim_column *cols, int n);

/* Writes r's runs.csv row (with '\n') for the columns of cols[0..n) that
 * are in runs.csv. The caller checks the stream. */
void sim_columns_write_run(FILE *f, const sim_column *cols, int n,
                           const sim_rep_result *r);

/* Writes rounds.csv's header line (with '\n'). The caller checks the
 * stream. */
void sim_columns_write_rounds_header(FILE *f);

/* Writes round record r's rounds.csv row (with '\n'); sc names the lifted
 * instruments and dates the round. The caller checks the stream. */
void sim_columns_write_round(FILE *f, const sim_scenario *sc,
                             const sim_round_record *r);

#endif
