/* metrics.h - the metrics of summary.csv for a scenario, and each one's
 * value in a replication's result, as the batch computes them (the column
 * table of runs.csv), for a program that runs replications itself with
 * sim_replicate and summarizes them with sim_stats_summarize: its numbers
 * are then those of a batch's summary.csv, bit for bit
 * (`sanctionsim explore`). */
#ifndef SIM_METRICS_H
#define SIM_METRICS_H

#include <stdbool.h>

#include "limits.h"
#include "scenario.h"
#include "world.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One metric of summary.csv. */
typedef struct sim_metric {
    char name[SIM_COLUMN_NAME_MAX]; /* summary.csv's `metric` */
    bool proportion;                /* 0/1 values (type "proportion") */
    int column, index;              /* which column: private to the library */
} sim_metric;

/* Fills out[0..n) (SIM_MAX_COLUMNS long) with the metrics of summary.csv
 * for scenario sc, in summary.csv's order; returns n. */
int sim_metrics_list(const sim_scenario *sc, sim_metric *out);

/* The value of metric m in result r: the number runs.csv shows (NaN for
 * an empty field, "never"), which summary.csv summarizes skipping NaN. */
double sim_metric_value(const sim_metric *m, const sim_rep_result *r);

#ifdef __cplusplus
}
#endif

#endif
