/* solve.c - `sanctionsim solve`: equilibria of the first round's
 * Washington-Minsk bargaining game, of normal-form games, and of textbook
 * Nash bargaining problems, printed for people or as key,value rows. */
#include "solve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "world.h"

/* One output row: "key,value" with --csv, else "  key  value". Doubles in
 * full precision (%.17g would print 0.1 as 0.10000000000000001: use the
 * shortest form that reads back exactly). */
static void put_real(const solve_opts *o, const char *key, double v)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (o->csv)
        printf("%s,%s\n", key, buf);
    else
        printf("  %-32s %s\n", key, buf);
}

static void put_text(const solve_opts *o, const char *key, const char *v)
{
    if (o->csv)
        printf("%s,%s\n", key, v);
    else
        printf("  %-32s %s\n", key, v);
}

static void put_long(const solve_opts *o, const char *key, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    put_text(o, key, buf);
}

int solve_bargaining(const sim_scenario *sc, const solve_opts *o,
                     sim_err *err)
{
    sim_workspace *ws;
    int rc = sim_workspace_alloc(sc, &ws, err);
    if (rc)
        return rc;
    sim_first_round fr;
    if ((rc = sim_solve_first_round(ws, &fr, err))) {
        sim_workspace_free(ws);
        return rc;
    }
    const sim_bargain *g = fr.game;
    const char *side_name[2] = {sim_actor_name(SIM_MINSK),
                                sim_actor_name(SIM_WASHINGTON)};
    char key[128];
    if (!o->csv)
        printf("%s: the first round's Washington-Minsk game, %d stage%s, "
               "%d feasible deals\n",
               sc->file, g->stages, g->stages == 1 ? "" : "s", g->n_deals);
    put_text(o, "method",
             fr.linear ? "closed_form" : "backward_induction");
    put_long(o, "stages", g->stages);
    put_text(o, "first_proposer", side_name[g->first]);
    for (int s = 0; s < 2; s++) {
        snprintf(key, sizeof key, "delta.%s", side_name[s]);
        put_real(o, key, g->delta[s]);
    }
    /* Shares of the surplus: Stahl's closed form where the frontier is
     * linear (exact), else the agreed deal's gains over their sum. */
    double total = fr.deal > 0 ? g->gain[0][fr.deal] + g->gain[1][fr.deal]
                               : 0.0;
    for (int s = 0; s < 2; s++) {
        snprintf(key, sizeof key, "share.%s", side_name[s]);
        if (fr.linear)
            put_real(o, key, fr.closed_share[s]);
        else if (total > 0)
            put_real(o, key, g->gain[s][fr.deal] / total);
        else
            put_text(o, key, "");
    }
    if (fr.deal > 0) {
        put_long(o, "deal.stage", fr.stage + 1);
        put_long(o, "deal.prisoners", g->count[fr.deal]);
        for (int k = 0; k < SIM_N_KINDS; k++) {
            snprintf(key, sizeof key, "deal.released.%s", sim_kind_name(k));
            put_long(o, key, fr.released[k]);
        }
        char items[SIM_MAX_INSTRUMENTS * (SIM_NAME_MAX + 1)] = "";
        for (int i = 0; i < sc->n_instruments; i++)
            if (g->package[fr.deal] & (1u << i)) {
                if (items[0])
                    strcat(items, ";");
                strcat(items, sc->instrument[i].name);
            }
        put_text(o, "deal.instruments", items);
        for (int s = 0; s < 2; s++) {
            snprintf(key, sizeof key, "utility.%s", side_name[s]);
            put_real(o, key, g->gain[s][fr.deal]);
        }
        if (fr.linear)
            for (int s = 0; s < 2; s++) {
                snprintf(key, sizeof key, "discrete_share.%s", side_name[s]);
                put_real(o, key, g->gain[s][fr.deal] / fr.max_gain[s]);
            }
    } else {
        put_text(o, "deal.stage", "");
    }
    if (!o->csv && fr.linear)
        printf("\nshare: each side's share of the surplus by Stahl's closed "
               "form (the frontier is linear; Rubinstein's as the stages "
               "grow). The deal counts whole prisoners, so its "
               "discrete_share differs from it by at most about stages / "
               "max_release. utility: each side's gain over no deal.\n");
    else if (!o->csv)
        printf("\nshare: each side's share of the agreed deal's total gain, "
               "by backward induction over the feasible deals. utility: "
               "each side's gain over no deal (the status quo), in its own "
               "utility units.\n");
    sim_workspace_free(ws);
    return 0;
}

