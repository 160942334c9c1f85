/* neighbours.c - step 2 of a round: the neighbours' decisions on their
 * borders with Belarus and on Klaipeda transit, by whoever holds the border
 * and transit roles. */
#include "workspace_impl.h"

/* The flag of the border that actor controls, among the world's (or a
 * view's) flags pl and lt; NULL if it controls none. Which border belongs
 * to which border-role holder is still this per-actor mapping: the world
 * keeps one flag per neighbour, not one per role holder. */
static bool *border_flag(bool *pl, bool *lt, int actor)
{
    switch (actor) {
    case SIM_ACTOR_POLAND:
        return pl;
    case SIM_ACTOR_LITHUANIA:
        return lt;
    default:
        return NULL;
    }
}

/* Actor a keeps its border open or closes it (acting = closing). */
static int border_decision(sim_workspace *ws, int a, sim_err *err)
{
    bool *open = border_flag(&ws->pl_open, &ws->lt_open, a);
    sim_view now = sim_utility_view(ws), alt = now;
    bool *alt_open = border_flag(&alt.pl_open, &alt.lt_open, a);
    bool *now_open = border_flag(&now.pl_open, &now.lt_open, a);
    if (!open || !alt_open || !now_open)
        return sim_error(err, SIM_E_INTERNAL,
                         "%s holds the border role but controls no border",
                         sim_actor_name(a));
    *alt_open = false;
    *now_open = true;
    bool act;
    int rc = sim_decision_choose(ws, a, SIM_ROLE_BORDER, &now, &alt, !*open,
                                 &act, err);
    if (rc)
        return rc;
    *open = !act;
    return 0;
}

/* Actor a allows Klaipeda transit or shuts it (acting = allowing). */
static int transit_decision(sim_workspace *ws, int a, sim_err *err)
{
    sim_view now = sim_utility_view(ws), alt = now;
    alt.klaipeda_open = true;
    now.klaipeda_open = false;
    bool act;
    int rc = sim_decision_choose(ws, a, SIM_ROLE_TRANSIT, &now, &alt,
                                 ws->klaipeda_open, &act, err);
    if (rc)
        return rc;
    ws->klaipeda_open = act;
    return 0;
}

/* Every border-role holder, in actor order, decides on its border, seeing
 * the decisions of those before it; then every transit-role holder. */
int sim_neighbours_step(sim_workspace *ws, sim_err *err)
{
    int rc;
    for (int a = 0; a < SIM_N_ACTORS; a++)
        if (sim_actor_has_role(ws->sc, a, SIM_ROLE_BORDER) &&
            (rc = border_decision(ws, a, err)))
            return rc;
    for (int a = 0; a < SIM_N_ACTORS; a++)
        if (sim_actor_has_role(ws->sc, a, SIM_ROLE_TRANSIT) &&
            (rc = transit_decision(ws, a, err)))
            return rc;
    return 0;
}
