/* scenario_load_impl.h - private interface between the parts of the
 * scenario loader (scenario_load.c, shock_load.c, actor_load.c). */
#ifndef SIM_SCENARIO_LOAD_IMPL_H
#define SIM_SCENARIO_LOAD_IMPL_H

#include "config_util_impl.h"
#include <sanctionsim/scenario.h>

#include <stdbool.h>
#include <sys/types.h>

struct sim_registry;

/* A scenario file and its chain of bases (scenario_base.c): cfg[0] is the
 * file itself, cfg[k] the base of cfg[k - 1]. */
typedef struct sim_cfg_chain {
    int n;
    config_t cfg[SIM_MAX_BASES + 1];
    char path[SIM_MAX_BASES + 1][SIM_PATH_MAX];
    struct {
        bool known; /* the file's identity, to find a chain that loops */
        dev_t dev;
        ino_t ino;
    } id[SIM_MAX_BASES + 1];
} sim_cfg_chain;

/* Reads path and its bases into ch and merges them: afterwards
 * sim_cfg_chain_merged(ch) is the tree to load (its settings name the
 * file each came from). Free ch with sim_cfg_chain_free, also after a
 * failure. Returns 0 or SIM_E_SCENARIO naming the file and line (a base
 * that is not a string, too long a chain, a scenario built on itself, the
 * errors of sim_cfg_read_file), SIM_E_NOMEM. */
int sim_cfg_chain_read(sim_cfg_chain *ch, const char *path, sim_err *err);
config_t *sim_cfg_chain_merged(sim_cfg_chain *ch);
void sim_cfg_chain_free(sim_cfg_chain *ch);

/* Loads the `shocks` group of root (absent: the defaults stay) into
 * sc->shock[]; returns 0 or SIM_E_SCENARIO. */
int sim_load_shocks(const sim_loader *ld, const config_setting_t *root,
                    sim_scenario *sc);

/* Loads the `actors` group of root (absent: the defaults stay) into
 * sc->actor[], looking models up in reg; returns 0 or SIM_E_SCENARIO. */
int sim_load_actors(const sim_loader *ld, const struct sim_registry *reg,
                    const config_setting_t *root, sim_scenario *sc);

/* Reads `actors.<actor>.offers` (washington and eu only) after the
 * instruments are loaded: the instruments of the actor's imposer not in
 * the list are withheld (sim_instrument_spec.withheld). Returns 0 or
 * SIM_E_SCENARIO naming the entry (an unknown name, another imposer's
 * instrument, a repeat). */
int sim_load_offers(const sim_loader *ld, const config_setting_t *root,
                    sim_scenario *sc);

#endif
