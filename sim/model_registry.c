/* model_registry.c - looking models up in a registry handed in by the
 * caller (model.h); the engine knows no model by name. */
#include <string.h>

#include <sanctionsim/model.h>

const sim_model_type *sim_registry_find(const sim_registry *reg,
                                        const char *name)
{
    for (int i = 0; reg->models[i]; i++)
        if (strcmp(reg->models[i]->name, name) == 0)
            return reg->models[i];
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
