/* metrics.c - the metrics of summary.csv and their values in a
 * replication's result, from the column table (columns.c), for programs
 * that run the replications themselves (metrics.h). */
#include <sanctionsim/metrics.h>

#include <string.h>

#include "columns.h"

int sim_metrics_list(const sim_scenario *sc, sim_metric *out)
{
    sim_column cols[SIM_MAX_COLUMNS];
    int ncols = sim_columns_list(sc, cols), n = 0;
    for (int i = 0; i < ncols; i++) {
        if (!cols[i].summarize)
            continue;
        _Static_assert(sizeof out[n].name == sizeof cols[i].name,
                       "metric and column names have one size");
        memcpy(out[n].name, cols[i].name, sizeof out[n].name);
        out[n].proportion = cols[i].proportion;
        out[n].column = cols[i].id;
        out[n].index = cols[i].index;
        n++;
    }
    return n;
}

double sim_metric_value(const sim_metric *m, const sim_rep_result *r)
{
    sim_column c = {.id = m->column, .index = m->index};
    return sim_column_value(&c, r);
}
