/* model_instance.c - one decision model at work for one (actor, role):
 * allocation, sharing, reset, decisions and observations of its state. */
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/model_instance.h>

int sim_model_instance_init(sim_model_instance *mi, const sim_model_spec *spec,
                            sim_model_instance *share_with, sim_err *err)
{
    const sim_model_type *type = spec->type;
    if (share_with && share_with->type == type && type->state_size > 0) {
        *mi = (sim_model_instance){type, spec->param, share_with->state, false};
        return 0;
    }
    return sim_model_instance_init_type(mi, type, spec->param, err);
}

int sim_model_instance_init_type(sim_model_instance *mi,
                                 const sim_model_type *type,
                                 const double *param, sim_err *err)
{
    *mi = (sim_model_instance){type, param, NULL, true};
    if (type->state_size && !(mi->state = calloc(1, type->state_size)))
        return sim_error(err, SIM_E_NOMEM,
                         "out of memory for the state of model %s", type->name);
    return 0;
}

int sim_model_instance_reset(sim_model_instance *mi, sim_err *err)
{
    /* A shared state was initialized by its owner, with the owner's
     * parameters. */
    if (!mi->owns_state || !mi->type->init)
        return 0;
    return mi->type->init(mi->state, mi->param, err);
}

int sim_model_instance_decide(sim_model_instance *mi, const sim_decision *d,
                              sim_action *out, sim_err *err)
{
    *out = (sim_action){.act = false, .deal = -1};
    return mi->type->decide(mi->state, d, out, err);
}

void sim_model_instance_observe(sim_model_instance *mi, const sim_decision *d,
                                bool accepted)
{
    if (mi->type->observe)
        mi->type->observe(mi->state, d, accepted);
}

void sim_model_instance_free(sim_model_instance *mi)
{
    if (mi->owns_state)
        free(mi->state);
    memset(mi, 0, sizeof *mi);
}
