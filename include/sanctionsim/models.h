/* models.h - the built-in decision models (registry.c), to hand to the
 * engine: sim_scenario_load(sc, sim_builtin_models(), ...). */
#ifndef SIM_MODELS_H
#define SIM_MODELS_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every model in models/, NULL-terminated, with `spe` the default. Static
 * data: never freed. */
const sim_registry *sim_builtin_models(void);

#ifdef __cplusplus
}
#endif

#endif
