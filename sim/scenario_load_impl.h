/* scenario_load_impl.h - private interface between the parts of the
 * scenario loader (scenario_load.c, shock_load.c, actor_load.c). */
#ifndef SIM_SCENARIO_LOAD_IMPL_H
#define SIM_SCENARIO_LOAD_IMPL_H

#include "config_util_impl.h"
#include <sanctionsim/scenario.h>

struct sim_registry;

/* Loads the `shocks` group of root (absent: the defaults stay) into
 * sc->shock[]; returns 0 or SIM_E_SCENARIO. */
int sim_load_shocks(const sim_loader *ld, const config_setting_t *root,
                    sim_scenario *sc);

/* Loads the `actors` group of root (absent: the defaults stay) into
 * sc->actor[], looking models up in reg; returns 0 or SIM_E_SCENARIO. */
int sim_load_actors(const sim_loader *ld, const struct sim_registry *reg,
                    const config_setting_t *root, sim_scenario *sc);

#endif
