/* sanctionsim.h - the public API of libsanctionsim, in one header.
 *
 * A program that runs the simulator includes this and links the library
 * (pkg-config --cflags --libs sanctionsim, or CMake's
 * find_package(sanctionsim) and sanctionsim::sanctionsim). The steps, as
 * examples/mean_released.c shows:
 *
 *   sim_scenario_load()   a scenario file, with the built-in models of
 *                         sim_builtin_models() (models.h) or a registry of
 *                         the program's own (model.h)
 *   sim_workspace_alloc() a workspace per thread (world.h)
 *   sim_replicate()       replication r into a sim_rep_result
 *   sim_batch_run()       or: a whole batch into a result directory
 *                         (batch.h)
 *
 * Every function returns 0 or a negative SIM_E_* code and fills a
 * caller-owned sim_err with the message (error.h); nothing prints or
 * exits. The library keeps no mutable global state of its own (GSL's
 * error handler, which it turns off, is the one process-wide setting it
 * touches: see sim_error_quiet_gsl). The headers are C11; they declare
 * everything extern "C" for C++ (the cancel flag of world.h is a C11
 * atomic_int: C++23's <stdatomic.h>). */
#ifndef SANCTIONSIM_H
#define SANCTIONSIM_H

#include "version.h"

#include "error.h"
#include "limits.h"

#include "dist.h"
#include "rng.h"
#include "scenario.h"

#include "bargain.h"
#include "model.h"
#include "model_instance.h"
#include "models.h"

#include "batch.h"
#include "stats.h"
#include "world.h"

#include "nash_solution.h"
#include "nfg.h"
#include "problem.h"
#include "qre.h"

#include "suggest.h"

#endif
