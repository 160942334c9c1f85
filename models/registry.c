/* registry.c - the list of decision models. Adding a model is one line here
 * and one file in models/. */
#include "model.h"

#include <string.h>

extern const sim_model_type sim_model_spe;
extern const sim_model_type sim_model_threshold;
extern const sim_model_type sim_model_reciprocal;
extern const sim_model_type sim_model_bayesian;
extern const sim_model_type sim_model_nash;
extern const sim_model_type sim_model_qre;

const sim_model_type *const sim_models[] = {
    &sim_model_spe,
    &sim_model_threshold,
    &sim_model_reciprocal,
    &sim_model_bayesian,
    &sim_model_nash,
    &sim_model_qre,
    NULL,
};

const sim_model_type *sim_model_find(const char *name)
{
    for (int i = 0; sim_models[i]; i++)
        if (strcmp(sim_models[i]->name, name) == 0)
            return sim_models[i];
    return NULL;
}

bool sim_model_has_role(const sim_model_type *m, int role)
{
    return (m->roles >> role) & 1u;
}

void sim_model_defaults(const sim_model_type *m, double *param)
{
    for (int i = 0; i < m->nparams; i++)
        param[i] = m->params[i].def;
}
