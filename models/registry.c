/* registry.c - the list of built-in decision models. Adding a model is one
 * line here and one file in models/. */
#include <sanctionsim/models.h>

#include <stddef.h>

extern const sim_model_type sim_model_spe;
extern const sim_model_type sim_model_threshold;
extern const sim_model_type sim_model_reciprocal;
extern const sim_model_type sim_model_bayesian;
extern const sim_model_type sim_model_nash;
extern const sim_model_type sim_model_qre;

static const sim_model_type *const builtin[] = {
    &sim_model_spe,
    &sim_model_threshold,
    &sim_model_reciprocal,
    &sim_model_bayesian,
    &sim_model_nash,
    &sim_model_qre,
    NULL,
};

static const sim_registry builtin_registry = {builtin, &sim_model_spe};

const sim_registry *sim_builtin_models(void)
{
    return &builtin_registry;
}
