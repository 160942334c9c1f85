/* design_impl.h - private interface between design.c (factors, the
 * simple designs, the entry point) and design_sobol.c (the Sobol and
 * Morris designs). */
#ifndef SIM_DESIGN_IMPL_H
#define SIM_DESIGN_IMPL_H

#include <gsl/gsl_rng.h>

#include <sanctionsim/design.h>

/* The random-stream purpose of a design's draws (rng.h), apart from the
 * purposes the replications use. */
#define SIM_DESIGN_STREAM 0x400u

/* Checks a sobol request over k factors: N a power of two, at most
 * SIM_SOBOL_MAX_FACTORS factors. */
int sim_design_check_sobol(int k, const sim_design_opts *o, sim_err *err);

/* Checks a morris request: an even number of levels, at least 2. */
int sim_design_check_morris(const sim_design_opts *o, sim_err *err);

/* Fills d->u (npoints x nfactors, allocated) with Saltelli's design. */
int sim_design_build_sobol(sim_design *d, sim_err *err);

/* Fills d->u with d->opts.samples Morris trajectories drawn from r. */
void sim_design_build_morris(sim_design *d, gsl_rng *r);

#endif
