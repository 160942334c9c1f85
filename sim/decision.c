/* decision.c - how the engine asks an actor for a decision: the signals it
 * may observe, and the call to the model instance of its role. */
#include <math.h>

#include "workspace_impl.h"

void sim_decision_signals(const sim_workspace *ws, int actor, double gain,
                          double status, sim_decision *d)
{
    double price = sim_workspace_going_price(ws);
    d->signal[SIM_SIGNAL_GAIN] = gain;
    d->signal[SIM_SIGNAL_TENSION] = ws->tension;
    d->signal[SIM_SIGNAL_DRONES] = (double)ws->drones;
    d->signal[SIM_SIGNAL_SPIES] = (double)ws->spies;
    d->signal[SIM_SIGNAL_EXERCISE] = ws->exercise;
    d->signal[SIM_SIGNAL_ELECTION] = ws->election[actor];
    d->signal[SIM_SIGNAL_US_PRESSURE] = sim_workspace_us_pressure(ws);
    d->signal[SIM_SIGNAL_STATUS] = status;
    d->signal[SIM_SIGNAL_PRICE] = isnan(price) ? 0.0 : price;
}

int sim_decision_decide(sim_workspace *ws, int actor, int role, sim_decision *d,
                        sim_action *out, sim_err *err)
{
    sim_model_instance *mi = &ws->model[actor][role];
    d->role = role;
    d->actor = actor;
    d->param = mi->param;
    d->rng = ws->decision_rng[actor];
    return sim_model_instance_decide(mi, d, out, err);
}

void sim_decision_observe(sim_workspace *ws, int actor, int role,
                          const sim_decision *d, bool accepted)
{
    sim_model_instance_observe(&ws->model[actor][role], d, accepted);
}

int sim_decision_choose(sim_workspace *ws, int actor, int role,
                        const sim_view *now, const sim_view *acting,
                        double status, bool *act, sim_err *err)
{
    sim_decision d = {0};
    sim_action a;
    sim_decision_signals(ws, actor, sim_utility_gain(ws, actor, now, acting),
                         status, &d);
    int rc = sim_decision_decide(ws, actor, role, &d, &a, err);
    *act = a.act;
    return rc;
}
