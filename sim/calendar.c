/* calendar.c - the scenario's calendar of events (exercises, the EU's
 * renewal, elections, engagement-only phases of a negotiator) as it
 * stands in the current round, and the actors' weights after elections. */
#include <math.h>
#include <string.h>

#include "workspace_impl.h"

/* True if event ev starts (or repeats) in 1-based round round1. */
static bool event_starts(const sim_event_spec *ev, int round1)
{
    if (round1 < ev->start)
        return false;
    int since = round1 - ev->start;
    return ev->every > 0 ? since % ev->every == 0 : since == 0;
}

void sim_calendar_step(sim_workspace *ws)
{
    const sim_scenario *sc = ws->sc;
    int round1 = ws->t + 1;
    ws->exercise = ws->renewal = false;
    ws->drone_factor = 1.0;
    ws->exercise_tension = 0.0;
    double factor[SIM_N_ACTORS];
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        ws->election[a] = false;
        ws->engagement_only[a] = false;
        factor[a] = 1.0;
    }
    for (int e = 0; e < sc->n_events; e++) {
        const sim_event_spec *ev = &sc->event[e];
        switch (ev->type) {
        case SIM_EVENT_EXERCISE:
            if (sim_event_on(ev, round1)) {
                ws->exercise = true;
                ws->drone_factor *= ev->factor;
                ws->exercise_tension += ev->tension;
            }
            break;
        case SIM_EVENT_EU_RENEWAL:
            if (event_starts(ev, round1))
                ws->renewal = true;
            break;
        case SIM_EVENT_ELECTION:
            if (sim_event_on(ev, round1)) {
                ws->election[ev->actor] = true;
                factor[ev->actor] *= ev->factor;
            }
            break;
        case SIM_EVENT_ENGAGEMENT_ONLY:
            if (sim_event_on(ev, round1))
                ws->engagement_only[ev->actor] = true;
            break;
        }
    }
    /* Elections scale the actor's political weights. */
    static const int political[] = {SIM_FEATURE_TENSION, SIM_FEATURE_PL_EXPOSURE,
                                    SIM_FEATURE_LT_EXPOSURE, SIM_FEATURE_US_COST,
                                    SIM_FEATURE_EU_COST};
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        memcpy(ws->w[a], sc->actor[a].weight, sizeof ws->w[a]);
        bool finite = ws->weights_finite[a];
        for (size_t i = 0; i < sizeof political / sizeof political[0]; i++) {
            ws->w[a][political[i]] *= factor[a];
            finite = finite && isfinite(ws->w[a][political[i]]);
        }
        ws->w_finite[a] = finite;
    }
}
