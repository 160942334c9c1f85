/* solve.c - `sanctionsim solve`: equilibria of the first round's
 * Washington-Minsk bargaining game, of normal-form games, and of textbook
 * Nash bargaining problems, printed for people or as key,value rows. */
#include "solve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/nash_solution.h>
#include <sanctionsim/qre.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

/* Writes s as one CSV field (RFC 4180): in double quotes, with each quote
 * doubled, if it holds a comma, a quote, a line break or a leading or
 * trailing blank; as it is otherwise. Player and strategy names, which are
 * part of the keys, may hold any of these. */
static void put_field(const char *s)
{
    size_t n = strlen(s);
    if (!s[strcspn(s, ",\"\r\n")] &&
        !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

/* One CSV row: two fields. */
static void put_csv(const char *key, const char *value)
{
    put_field(key);
    putchar(',');
    put_field(value);
    putchar('\n');
}

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
        put_csv(key, buf);
    else
        printf("  %-32s %s\n", key, buf);
}

static void put_text(const solve_opts *o, const char *key, const char *v)
{
    if (o->csv)
        put_csv(key, v);
    else
        printf("  %-32s %s\n", key, v);
}

static void put_long(const solve_opts *o, const char *key, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    put_text(o, key, buf);
}

/* The human-readable output's note on what the shares mean. */
static void print_note(const sim_bargain *g, bool linear)
{
    if (linear && g->infinite)
        printf("\nshare: each side's share of the surplus by Rubinstein's "
               "closed form (the frontier is linear and the game has no "
               "last stage). The deal counts whole prisoners, so its "
               "discrete_share differs from it by the grid's effect. "
               "utility: each side's gain over no deal.\n");
    else if (linear)
        printf("\nshare: each side's share of the surplus by Stahl's closed "
               "form (the frontier is linear; Rubinstein's as the stages "
               "grow). The deal counts whole prisoners, so its "
               "discrete_share differs from it by at most about stages / "
               "max_release. utility: each side's gain over no deal.\n");
    else
        printf("\nshare: each side's share of the agreed deal's total gain, "
               "by backward induction over the feasible deals. utility: "
               "each side's gain over no deal (the status quo), in its own "
               "utility units.\n");
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
    const char *side_name[2] = {sim_actor_name(SIM_ACTOR_MINSK),
                                sim_actor_name(SIM_ACTOR_WASHINGTON)};
    char key[128];
    if (!o->csv)
        printf("%s: the first round's Washington-Minsk game, %d stage%s%s, "
               "%d feasible deals\n",
               sc->file, g->stages, g->stages == 1 ? "" : "s",
               g->infinite ? " (then on for ever: no last stage)" : "",
               g->n_deals);
    put_text(o, "method",
             fr.linear ? "closed_form" : "backward_induction");
    put_long(o, "stages", g->stages);
    put_text(o, "first_proposer", side_name[g->first]);
    for (int s = 0; s < 2; s++) {
        snprintf(key, sizeof key, "delta.%s", side_name[s]);
        put_real(o, key, g->delta[s]);
    }
    /* Shares of the surplus: Stahl's closed form where the frontier is
     * linear (Rubinstein's if the game has no last stage), else the
     * agreed deal's gains over their sum. */
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
        size_t used = 0;
        for (int i = 0; i < sc->n_instruments; i++)
            if (g->package[fr.deal] & (1u << i)) {
                int w = snprintf(items + used, sizeof items - used, "%s%s",
                                 used ? ";" : "", sc->instrument[i].name);
                if (w > 0 && (size_t)w < sizeof items - used)
                    used += (size_t)w;
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
    if (!o->csv)
        print_note(g, fr.linear);
    sim_workspace_free(ws);
    return 0;
}


/* Writes one mixed profile as rows "<prefix>prob.<player>.<strategy>". */
static void put_mixed(const solve_opts *o, const sim_nfg *g,
                      const sim_mixed *m, const char *prefix)
{
    char key[256];
    for (int i = 0; i < g->nplayers; i++)
        for (int j = 0; j < g->nstrat[i]; j++) {
            snprintf(key, sizeof key, "%sprob.%s.%s", prefix, g->player[i],
                     g->strategy[i][j]);
            put_real(o, key, m->prob[i][j]);
        }
}

int solve_game(const sim_nfg *g, const solve_opts *o, sim_err *err)
{
    char key[256];
    int rc;
    if (!o->csv)
        printf("%s: %d players, %zu pure profiles\n",
               g->title[0] ? g->title : "game", g->nplayers, g->nprofiles);
    size_t max = 1000, count = 0;
    size_t *pure = malloc(max * sizeof *pure);
    if (!pure)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    if ((rc = sim_nfg_pure_equilibria(g, pure, max, &count, err))) {
        free(pure);
        return rc;
    }
    put_long(o, "pure.count", (long)count);
    if (count > max && !o->csv)
        printf("  (the first %zu are listed)\n", max);
    for (size_t e = 0; e < count && e < max; e++) {
        /* decode the profile index, player 0 fastest */
        size_t idx = pure[e];
        for (int i = 0; i < g->nplayers; i++) {
            snprintf(key, sizeof key, "pure.%zu.%s", e + 1, g->player[i]);
            put_text(o, key, g->strategy[i][idx % (size_t)g->nstrat[i]]);
            idx /= (size_t)g->nstrat[i];
        }
    }
    free(pure);
    if (g->nplayers == 2) {
        sim_mixed *eq = malloc(max * sizeof *eq);
        if (!eq)
            return sim_error(err, SIM_E_NOMEM, "out of memory");
        sim_nfg_support_info info;
        if ((rc = sim_nfg_mixed_equilibria(g, eq, max, &count, &info,
                                           err))) {
            free(eq);
            return rc;
        }
        put_long(o, "nash.count", (long)count);
        if (info.rejected) {
            /* found in floating point but not equilibria when checked
             * exactly: not listed, and the list may be incomplete */
            put_long(o, "nash.rejected", (long)info.rejected);
            if (!o->csv)
                printf("  (%zu profile%s found in floating point failed the "
                       "exact check and %s not listed; this game is too "
                       "large for exact enumeration, so equilibria may be "
                       "missing)\n",
                       info.rejected, info.rejected == 1 ? "" : "s",
                       info.rejected == 1 ? "is" : "are");
        }
        if (count > max && !o->csv)
            printf("  (the first %zu are listed)\n", max);
        for (size_t e = 0; e < count && e < max; e++) {
            char prefix[64];
            snprintf(prefix, sizeof prefix, "nash.%zu.", e + 1);
            put_mixed(o, g, &eq[e], prefix);
        }
        free(eq);
    }
    for (int l = 0; l < o->nlambda; l++) {
        sim_mixed q;
        double residual;
        sim_qre_info info;
        if ((rc = sim_qre_logit_info(g, o->lambda[l], &q, &residual, &info,
                                     err)))
            return rc;
        put_real(o, "lambda", o->lambda[l]);
        put_mixed(o, g, &q, "");
        put_real(o, "residual", residual);
        for (int b = 0; b < info.nbranch && b < SIM_QRE_MAX_BRANCH; b++)
            put_real(o, "branch_point", info.branch_lambda[b]);
        if (info.nbranch && !o->csv)
            printf("  (the logit path branches at the lambda%s given by "
                   "branch_point; the branch that goes straight on is "
                   "followed: in a symmetric game the symmetric one, "
                   "towards the mixed equilibrium, not those that split "
                   "off towards pure ones)\n",
                   info.nbranch > 1 ? "s" : "");
    }
    return 0;
}

int solve_nash(double a1, double a2, double power, const solve_opts *o,
               sim_err *err)
{
    double x;
    int rc = sim_nash_power(a1, a2, power, &x, err);
    if (rc)
        return rc;
    if (!o->csv)
        printf("Generalized Nash bargaining: u1 = x^%g, u2 = (1 - x)^%g, "
               "power %g, disagreement (0, 0)\n",
               a1, a2, power);
    put_text(o, "method", "gsl_brent_minimizer");
    put_real(o, "share.player1", x);
    put_real(o, "share.player2", 1 - x);
    put_real(o, "utility.player1", pow(x, a1));
    put_real(o, "utility.player2", pow(1 - x, a2));
    if (!o->csv)
        printf("\nThe analytic answer is x = b a1 / (b a1 + (1 - b) a2) "
               "(Roth 1979).\n");
    return 0;
}

/* Writes a game to path, atomically (temporary file, then rename). */
static int write_game(const sim_nfg *g, const char *path, sim_err *err)
{
    char tmp[SIM_PATH_MAX + 16];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return sim_error(err, SIM_E_IO, "cannot write %s", tmp);
    int rc = sim_nfg_write(f, g, err);
    if (fclose(f) != 0 && !rc)
        rc = sim_error(err, SIM_E_IO, "cannot write %s", tmp);
    if (!rc && rename(tmp, path) != 0)
        rc = sim_error(err, SIM_E_IO, "cannot rename %s to %s", tmp, path);
    if (rc)
        remove(tmp);
    return rc;
}

int solve_export(const sim_scenario *sc, const solve_opts *o, sim_err *err)
{
    sim_workspace *ws;
    int rc = sim_workspace_alloc(sc, &ws, err);
    if (rc)
        return rc;
    sim_nfg border = {0}, respond = {0};
    rc = sim_first_round_games(ws, &border, &respond, err);
    char stem[SIM_PATH_MAX], path[SIM_PATH_MAX + 32];
    snprintf(stem, sizeof stem, "%s", o->export_nfg);
    size_t n = strlen(stem);
    if (n > 4 && strcmp(stem + n - 4, ".nfg") == 0)
        stem[n - 4] = '\0';
    if (!rc) {
        snprintf(path, sizeof path, "%s.border.nfg", stem);
        rc = write_game(&border, path, err);
        if (!rc)
            put_text(o, "border_game", path);
    }
    if (!rc) {
        snprintf(path, sizeof path, "%s.respond.nfg", stem);
        rc = write_game(&respond, path, err);
        if (!rc)
            put_text(o, "respond_game", path);
    }
    sim_nfg_free(&border);
    sim_nfg_free(&respond);
    sim_workspace_free(ws);
    return rc;
}
