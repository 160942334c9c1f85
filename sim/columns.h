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

/* Column ids (sim_column.id): what a column holds. Named columns (one per
 * kind, instrument, actor or stop) share an id and differ by index. */
enum sim_column_id {
    C_REP,
    C_SEED,
    C_STOP,
    C_ROUNDS,
    C_US_DEALS,
    C_EU_DEALS,
    C_RELEASED_TOTAL,
    C_RELEASED_KIND,
    C_PRISONERS_START,
    C_PRISONERS_END,
    C_ARRESTS,
    C_COMPLETIONS,
    C_DEATHS,
    C_FIRST_US,
    C_FIRST_EU,
    C_PL_CLOSED,
    C_KLAIPEDA_END,
    C_DRONES,
    C_SPIES,
    C_FREEZES,
    C_PRICE,
    C_LIFTED_ROUND,
    C_UTILITY,
    C_EU_VETOES,
    C_FOREIGN_ARRESTS,
    C_PRISONERS_END_KIND,
    C_LT_CLOSED,
    C_DISTRACTED,
    C_FROZEN,
    C_RELIEF_END,
    C_STATUS,
    /* summary-only metrics */
    C_ANY_US,
    C_ANY_EU,
    C_STOPPED,
    C_LIFTED_BY_END
};

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

/* Finds a column name that sim_columns_list would give twice (two
 * instruments' names can make one: "lifted_round_" + "x" is "lifted_" +
 * "round_x"). Returns the later of the two instruments behind it (the
 * one to rename), with the name in name (SIM_COLUMN_NAME_MAX long) and
 * the other instrument, or -1 for a fixed column, in *other; returns -1
 * when every name is distinct. */
int sim_columns_name_clash(const sim_scenario *sc, char *name, int *other);

/* Numeric value of a column for a result; NaN means an empty field. */
double sim_column_value(const sim_column *c, const sim_rep_result *r);

/* The unit of column c ("" for identifiers and text), a static string. */
const char *sim_column_unit(const sim_column *c);

/* The unit of the runs.csv column or summary metric called `name` (for
 * an instrument's column, whatever the instrument), "" if unknown or
 * without unit: a static string. */
const char *sim_column_unit_by_name(const char *name);

/* What column c holds, in words, into buf (named columns name their
 * instrument, actor, kind or stop); sc gives the instruments' names. */
void sim_column_meaning(const sim_column *c, const sim_scenario *sc, char *buf,
                        size_t size);

/* Writes columns.csv: the header `column,unit,meaning,in_runs,summarized`
 * and one row per column of cols[0..n), RFC 4180 quoted. The caller
 * checks the stream. */
void sim_columns_write_dictionary(FILE *f, const sim_column *cols, int n,
                                  const sim_scenario *sc);

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

/* The name of rounds.csv's column i (from 0), NULL past the last. */
const char *sim_columns_round_name(int i);

/* Number of real-valued columns of rounds.csv. */
#define SIM_ROUND_REALS 3

/* What rounds.csv's writer keeps from row to row: the text of each real
 * column's last value (relief and price repeat for rounds on end). A
 * zeroed one is empty and ready. */
typedef struct sim_round_memo {
    sim_csv_memo real[SIM_ROUND_REALS];
    uint64_t rep;   /* the replication whose text rep_text holds */
    size_t rep_len; /* 0: none yet */
    char rep_text[SIM_CSV_NUM_MAX];
} sim_round_memo;

/* Writes round record r's rounds.csv row (with '\n') to f with one
 * fwrite; sc names the lifted instruments and dates the round, memo is
 * the writer's memory of earlier rows of f. The caller checks the
 * stream. */
void sim_columns_write_round(FILE *f, sim_round_memo *memo,
                             const sim_scenario *sc, const sim_round_record *r);

/* Appends round record r's rounds.csv row (with '\n') to row, whose
 * buffer is written to its stream only when full: a writer of many rows
 * (batch.c) calls sim_csv_flush once after several. memo, sc as above. */
void sim_columns_put_round(sim_csv_row *row, sim_round_memo *memo,
                           const sim_scenario *sc, const sim_round_record *r);

#endif
