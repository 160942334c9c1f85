/* model_instance.h - one decision model at work: its type, parameters and
 * per-replication state, as the engine uses it for one (actor, role) pair.
 *
 * An instance either owns its state (allocated by sim_model_instance_init,
 * initialized by sim_model_instance_reset, freed by sim_model_instance_free)
 * or shares the state of another instance of the same model, which then
 * does all three. The engine gives an actor's respond role the state of its
 * offer role this way, so that a model that learns from the other side's
 * offers (reciprocal, bayesian) sees them whichever role it acts in. */
#ifndef SIM_MODEL_INSTANCE_H
#define SIM_MODEL_INSTANCE_H

#include <stdbool.h>

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sim_model_instance {
    const sim_model_type *type; /* borrowed from the registry */
    const double *param;        /* borrowed from the scenario's model spec */
    void *state;                /* NULL if the model keeps no state */
    bool owns_state;            /* false: state belongs to another instance */
} sim_model_instance;

/* Sets *mi up for spec (borrowed: it must outlive the instance). If
 * share_with is not NULL, runs the same model type and that type keeps a
 * state (state_size > 0), mi shares share_with's state; otherwise mi owns a
 * zeroed state of its own (none if state_size is 0). Returns 0, or
 * SIM_E_NOMEM with *mi left safe to free. */
int sim_model_instance_init(sim_model_instance *mi, const sim_model_spec *spec,
                            sim_model_instance *share_with, sim_err *err);

/* Sets *mi up for model `type` with the parameters param[] (borrowed: in
 * the model's key order, they must outlive the instance), owning a zeroed
 * state of its own (none if state_size is 0): sim_model_instance_init for
 * a caller that holds a type and a parameter array rather than a model
 * spec (a test, a benchmark). Returns 0, or SIM_E_NOMEM with *mi left
 * safe to free. */
int sim_model_instance_init_type(sim_model_instance *mi,
                                 const sim_model_type *type,
                                 const double *param, sim_err *err);

/* Resets the state for a new replication with the model's init and mi's
 * parameters; does nothing for an instance that shares another's state
 * (its owner resets it). Returns 0 or the model's error code. */
int sim_model_instance_reset(sim_model_instance *mi, sim_err *err);

/* Takes one decision into *out, which starts as "do not act, no offer"
 * (act false, deal -1). d->param must be mi->param. Returns 0 or the
 * model's negative error code. */
int sim_model_instance_decide(sim_model_instance *mi, const sim_decision *d,
                              sim_action *out, sim_err *err);

/* Tells the model the outcome of decision d (if it wants to know). */
void sim_model_instance_observe(sim_model_instance *mi, const sim_decision *d,
                                bool accepted);

/* Frees an owned state and clears *mi; a zeroed instance is allowed. */
void sim_model_instance_free(sim_model_instance *mi);

#ifdef __cplusplus
}
#endif

#endif
