/* columns.h - the columns of runs.csv and rounds.csv: their names, how each
 * value is got from a replication's result or a round's record, and how it
 * is written (MODEL.md section 8). The result directory (output.h) writes
 * the files; this module only says what goes in them. */
#ifndef SIM_COLUMNS_H
#define SIM_COLUMNS_H

#include <stdbool.h>
#include <stdio.h>

#include "csvfmt.h"
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

/* Number of real-valued columns of rounds.csv. */
#define SIM_ROUND_REALS 3

/* What rounds.csv's writer keeps from row to row: the text of each real
 * column's last value (relief and price repeat for rounds on end). A
 * zeroed one is empty and ready. */
typedef struct sim_round_memo {
    sim_csv_memo real[SIM_ROUND_REALS];
} sim_round_memo;

/* Writes round record r's rounds.csv row (with '\n') to f with one
 * fwrite; sc names the lifted instruments and dates the round, memo is
 * the writer's memory of earlier rows of f. The caller checks the
 * stream. */
void sim_columns_write_round(FILE *f, sim_round_memo *memo,
                             const sim_scenario *sc, const sim_round_record *r);

#endif
