/* plot_sweep.c - the pictures of `sanctionsim plot` for sweeps (the main
 * effect of each factor on each metric, the Sobol indices with their
 * intervals) and for `discover` (the peeling trajectory). */
#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int gp_sweep(plot_job *job, sim_err *err)
{
    (void)job;
    return sim_error(err, SIM_E_USAGE, "not yet");
}

int gp_discover(plot_job *job, sim_err *err)
{
    (void)job;
    return sim_error(err, SIM_E_USAGE, "not yet");
}
