/* nfg_read.c - the .nfg parser: Gambit's strategic-form prologue, then
 * the payoff or the outcome version of the body, over the tokens of
 * nfg_lex.c; without recursion (the grammar nests at most three braces
 * deep). Contracts in nfg.h. */
#include "nfg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfg_impl.h"
#include "nfg_lex.h"

/* Copies the current string token into dst (size bytes) or fails with a
 * message naming what it is. */
static int take_name(const lexer *lx, char *dst, size_t size, const char *what)
{
    if (lx->tfull >= size)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "%s is too long: %zu bytes, at most %zu", what,
                                 lx->tfull, size - 1);
    memcpy(dst, lx->text, lx->tfull + 1);
    return 0;
}

/* Parses the prologue: NFG 1 R "title" { players } { strategies } and the
 * optional comment. Leaves the lexer on the first token of the body. */
static int parse_prologue(lexer *lx, sim_nfg *g)
{
    char d[80], what[64];
    int rc;
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (!sim_nfg_lex_is_word(lx, "NFG"))
        return sim_nfg_lex_error(
            lx, lx->tline,
            "expected the header 'NFG 1 R' at the start of the "
            "file, found %s",
            sim_nfg_lex_describe(lx, d, sizeof d));
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_NUMBER || strcmp(lx->text, "1") != 0)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "unsupported version: expected 1 after 'NFG', "
                                 "found %s",
                                 sim_nfg_lex_describe(lx, d, sizeof d));
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (!sim_nfg_lex_is_word(lx, "R") && !sim_nfg_lex_is_word(lx, "D"))
        return sim_nfg_lex_error(
            lx, lx->tline,
            "expected the number type 'R' or 'D' after 'NFG 1', "
            "found %s",
            sim_nfg_lex_describe(lx, d, sizeof d));
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_STRING)
        return sim_nfg_lex_error(
            lx, lx->tline,
            "expected the game title (a quoted string), found %s",
            sim_nfg_lex_describe(lx, d, sizeof d));
    if ((rc = take_name(lx, g->title, sizeof g->title, "the title")) != 0)
        return rc;

    /* Players. */
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_LBRACE)
        return sim_nfg_lex_error(
            lx, lx->tline, "expected '{' to open the list of players, found %s",
            sim_nfg_lex_describe(lx, d, sizeof d));
    for (;;) {
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
        if (lx->kind == TK_RBRACE)
            break;
        if (lx->kind != TK_STRING)
            return sim_nfg_lex_error(
                lx, lx->tline,
                "expected a player name (a quoted string) or "
                "'}', found %s",
                sim_nfg_lex_describe(lx, d, sizeof d));
        if (g->nplayers == SIM_NFG_MAX_PLAYERS)
            return sim_nfg_lex_error(
                lx, lx->tline, "too many players: at most %d are supported",
                SIM_NFG_MAX_PLAYERS);
        snprintf(what, sizeof what, "the name of player %d", g->nplayers + 1);
        if ((rc = take_name(lx, g->player[g->nplayers], SIM_NFG_NAME_MAX,
                            what)) != 0)
            return rc;
        g->nplayers++;
    }
    if (g->nplayers == 0)
        return sim_nfg_lex_error(
            lx, lx->tline,
            "the list of players is empty: a game needs at least "
            "one player");

    /* Strategies: counts { 2 2 } or names { { "C" "D" } { "C" "D" } }. */
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_LBRACE)
        return sim_nfg_lex_error(
            lx, lx->tline,
            "expected '{' to open the strategy counts or lists, "
            "found %s",
            sim_nfg_lex_describe(lx, d, sizeof d));
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    int k = 0;
    if (lx->kind == TK_NUMBER) {
        for (; lx->kind != TK_RBRACE; k++) {
            if (lx->kind != TK_NUMBER)
                return sim_nfg_lex_error(
                    lx, lx->tline, "expected a strategy count or '}', found %s",
                    sim_nfg_lex_describe(lx, d, sizeof d));
            if (k == g->nplayers)
                return sim_nfg_lex_error(
                    lx, lx->tline,
                    "wrong number of strategy counts: expected "
                    "%d (one per player), found more",
                    g->nplayers);
            long v;
            int w = sim_nfg_lex_long(lx, &v);
            if (w < 0)
                return sim_nfg_lex_error(lx, lx->tline,
                                         "bad strategy count %s for player %d: "
                                         "expected a whole number",
                                         sim_nfg_lex_describe(lx, d, sizeof d),
                                         k + 1);
            if (w == 0 && v < 1)
                return sim_nfg_lex_error(
                    lx, lx->tline,
                    "bad strategy count %s for player %d: must "
                    "be at least 1",
                    sim_nfg_lex_describe(lx, d, sizeof d), k + 1);
            if (w != 0 || v > SIM_NFG_MAX_STRATEGIES)
                return sim_nfg_lex_error(
                    lx, lx->tline,
                    "too many strategies: player %d has %s, at "
                    "most %d are supported",
                    k + 1, sim_nfg_lex_describe(lx, d, sizeof d),
                    SIM_NFG_MAX_STRATEGIES);
            g->nstrat[k] = (int)v;
            /* Gambit's names for unnamed strategies: "1", "2", ... */
            for (int j = 0; j < g->nstrat[k]; j++)
                snprintf(g->strategy[k][j], SIM_NFG_NAME_MAX, "%d", j + 1);
            if ((rc = sim_nfg_lex_next(lx)) != 0)
                return rc;
        }
        if (k != g->nplayers)
            return sim_nfg_lex_error(
                lx, lx->tline,
                "wrong number of strategy counts: expected %d "
                "(one per player), found %d",
                g->nplayers, k);
    } else if (lx->kind == TK_LBRACE) {
        for (; lx->kind != TK_RBRACE; k++) {
            if (lx->kind != TK_LBRACE)
                return sim_nfg_lex_error(
                    lx, lx->tline,
                    "expected '{' to open the strategies of "
                    "player %d, or '}', found %s",
                    k + 1, sim_nfg_lex_describe(lx, d, sizeof d));
            if (k == g->nplayers)
                return sim_nfg_lex_error(
                    lx, lx->tline,
                    "wrong number of strategy lists: expected "
                    "%d (one per player), found more",
                    g->nplayers);
            int ns = 0;
            for (;;) {
                if ((rc = sim_nfg_lex_next(lx)) != 0)
                    return rc;
                if (lx->kind == TK_RBRACE)
                    break;
                if (lx->kind != TK_STRING)
                    return sim_nfg_lex_error(
                        lx, lx->tline,
                        "expected a strategy name (a quoted "
                        "string) or '}', found %s",
                        sim_nfg_lex_describe(lx, d, sizeof d));
                if (ns == SIM_NFG_MAX_STRATEGIES)
                    return sim_nfg_lex_error(
                        lx, lx->tline,
                        "too many strategies: player %d has "
                        "more than %d",
                        k + 1, SIM_NFG_MAX_STRATEGIES);
                snprintf(what, sizeof what,
                         "the name of strategy %d of "
                         "player %d",
                         ns + 1, k + 1);
                if ((rc = take_name(lx, g->strategy[k][ns], SIM_NFG_NAME_MAX,
                                    what)) != 0)
                    return rc;
                ns++;
            }
            if (ns == 0)
                return sim_nfg_lex_error(
                    lx, lx->tline,
                    "player %d has no strategies: a list needs "
                    "at least one name",
                    k + 1);
            g->nstrat[k] = ns;
            if ((rc = sim_nfg_lex_next(lx)) != 0)
                return rc;
        }
        if (k != g->nplayers)
            return sim_nfg_lex_error(
                lx, lx->tline,
                "wrong number of strategy lists: expected %d "
                "(one per player), found %d",
                g->nplayers, k);
    } else {
        return sim_nfg_lex_error(
            lx, lx->tline,
            "expected strategy counts { 2 2 } or strategy lists "
            "{ { \"C\" \"D\" } ... }, found %s",
            sim_nfg_lex_describe(lx, d, sizeof d));
    }
    if (sim_nfg_profile_count(g->nplayers, g->nstrat) == 0)
        return sim_nfg_lex_error(
            lx, lx->tline,
            "too many strategy profiles: the product of the "
            "strategy counts exceeds %d",
            SIM_NFG_MAX_PROFILES);

    /* The optional comment. */
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind == TK_STRING && (rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    return 0;
}

/* Payoff format: nprofiles * nplayers numbers, profiles in index order,
 * each listing every player's payoff. Appends them to pay. */
static int parse_payoffs(lexer *lx, size_t need, dvec *pay, int nplayers)
{
    char d[80];
    size_t found = 0;
    int extra_line = 0;
    int rc;
    while (lx->kind == TK_NUMBER) {
        double v = 0.0;
        if ((rc = sim_nfg_lex_double(lx, &v)) != 0)
            return rc;
        if (found < need) {
            if (dvec_push(pay, v) != 0)
                return sim_error(lx->err, SIM_E_NOMEM,
                                 "%s: no memory for the payoffs", lx->label);
        } else if (found == need) {
            extra_line = lx->tline;
        }
        found++;
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
    }
    if (found > need)
        return sim_nfg_lex_error(
            lx, extra_line,
            "expected %zu payoffs (%zu profiles x %d players), "
            "found %zu",
            need, need / (size_t)nplayers, nplayers, found);
    if (found < need)
        return sim_nfg_lex_error(
            lx, lx->tline,
            "expected %zu payoffs (%zu profiles x %d players), "
            "found %zu%s%s",
            need, need / (size_t)nplayers, nplayers, found,
            lx->kind == TK_EOF ? "" : " before ",
            lx->kind == TK_EOF ? "" : sim_nfg_lex_describe(lx, d, sizeof d));
    return 0;
}

/* Outcome format: { { "name" u1 u2 ... } ... } then one outcome number per
 * profile (1-based; 0 is the null outcome, all payoffs zero). Appends the
 * payoffs of each profile to pay. */
static int parse_outcomes(lexer *lx, size_t nprof, dvec *pay, int nplayers)
{
    char d[80];
    dvec out = {0};
    size_t nout = 0;
    int rc;
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        goto done;
    while (lx->kind != TK_RBRACE) {
        if (lx->kind != TK_LBRACE) {
            rc = sim_nfg_lex_error(
                lx, lx->tline,
                "expected an outcome { \"name\" payoffs } or '}' "
                "to close the outcome list, found %s",
                sim_nfg_lex_describe(lx, d, sizeof d));
            goto done;
        }
        int oline = lx->tline;
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            goto done;
        if (lx->kind == TK_STRING && (rc = sim_nfg_lex_next(lx)) != 0)
            goto done;
        size_t k = 0;
        /* Gambit separates outcome payoffs by commas; accept either. */
        while (lx->kind != TK_RBRACE) {
            double v = 0.0;
            if (lx->kind != TK_NUMBER) {
                rc = sim_nfg_lex_error(
                    lx, lx->tline,
                    "expected a payoff or '}' in outcome %zu, "
                    "found %s",
                    nout + 1, sim_nfg_lex_describe(lx, d, sizeof d));
                goto done;
            }
            if ((rc = sim_nfg_lex_double(lx, &v)) != 0)
                goto done;
            if (k < (size_t)nplayers && dvec_push(&out, v) != 0) {
                rc = sim_error(lx->err, SIM_E_NOMEM,
                               "%s: no memory for the outcomes", lx->label);
                goto done;
            }
            k++;
            if ((rc = sim_nfg_lex_next(lx)) != 0)
                goto done;
            if (lx->kind == TK_COMMA && (rc = sim_nfg_lex_next(lx)) != 0)
                goto done;
        }
        if (k != (size_t)nplayers) {
            rc = sim_nfg_lex_error(
                lx, oline,
                "outcome %zu has %zu payoffs, expected %d (one "
                "per player)",
                nout + 1, k, nplayers);
            goto done;
        }
        nout++;
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            goto done;
    }
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        goto done;

    size_t found = 0;
    int extra_line = 0;
    while (lx->kind == TK_NUMBER) {
        long o;
        int w = sim_nfg_lex_long(lx, &o);
        if (w < 0) {
            rc = sim_nfg_lex_error(
                lx, lx->tline, "bad outcome number %s: expected a whole number",
                sim_nfg_lex_describe(lx, d, sizeof d));
            goto done;
        }
        if (w != 0 || o < 0 || (unsigned long)o > nout) {
            rc = sim_nfg_lex_error(
                lx, lx->tline,
                "outcome number %s out of range: expected 0 (no "
                "outcome) to %zu",
                sim_nfg_lex_describe(lx, d, sizeof d), nout);
            goto done;
        }
        if (found < nprof) {
            for (int i = 0; i < nplayers; i++) {
                double v =
                    o == 0
                        ? 0.0
                        : out.v[(size_t)(o - 1) * (size_t)nplayers + (size_t)i];
                if (dvec_push(pay, v) != 0) {
                    rc = sim_error(lx->err, SIM_E_NOMEM,
                                   "%s: no memory for the payoffs", lx->label);
                    goto done;
                }
            }
        } else if (found == nprof) {
            extra_line = lx->tline;
        }
        found++;
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            goto done;
    }
    if (found > nprof)
        rc =
            sim_nfg_lex_error(lx, extra_line,
                              "expected %zu outcome numbers (one per profile), "
                              "found %zu",
                              nprof, found);
    else if (found < nprof)
        rc = sim_nfg_lex_error(
            lx, lx->tline,
            "expected %zu outcome numbers (one per profile), "
            "found %zu%s%s",
            nprof, found, lx->kind == TK_EOF ? "" : " before ",
            lx->kind == TK_EOF ? "" : sim_nfg_lex_describe(lx, d, sizeof d));
done:
    free(out.v);
    return rc;
}

/* Parses len bytes of s into g (zeroed first). */
static int parse_game(const char *s, size_t len, const char *label, sim_nfg *g,
                      sim_err *err)
{
    memset(g, 0, sizeof *g);
    lexer lx = {.s = s,
                .len = len,
                .line = 1,
                .last_line = 1,
                .label = label,
                .err = err};
    /* Skip a UTF-8 byte order mark. */
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        lx.pos = 3;
    char d[80];
    int rc = parse_prologue(&lx, g);
    if (rc)
        return rc;
    size_t nprof = sim_nfg_profile_count(g->nplayers, g->nstrat);
    size_t need = nprof * (size_t)g->nplayers;
    dvec pay = {0};
    bool outcome_format = lx.kind == TK_LBRACE;
    if (lx.kind == TK_NUMBER)
        rc = parse_payoffs(&lx, need, &pay, g->nplayers);
    else if (lx.kind == TK_LBRACE)
        rc = parse_outcomes(&lx, nprof, &pay, g->nplayers);
    else
        rc =
            sim_nfg_lex_error(&lx, lx.tline,
                              "expected the payoffs (a list of numbers) or the "
                              "outcome list (starting with '{'), found %s",
                              sim_nfg_lex_describe(&lx, d, sizeof d));
    if (rc == 0 && lx.kind != TK_EOF)
        rc = sim_nfg_lex_error(
            &lx, lx.tline,
            "expected the end of the file after the %s, found %s",
            outcome_format ? "outcome numbers" : "payoffs",
            sim_nfg_lex_describe(&lx, d, sizeof d));
    if (rc == 0 && pay.n != need) /* cannot happen: both parsers count */
        rc = sim_error(err, SIM_E_INTERNAL, "%s: %zu payoffs read, %zu needed",
                       label, pay.n, need);
    if (rc) {
        free(pay.v);
        return rc;
    }
    g->payoff = pay.v;
    g->nprofiles = nprof;
    return 0;
}

int sim_nfg_read_string(const char *text, const char *label, sim_nfg *g,
                        sim_err *err)
{
    if (!g)
        return sim_error(err, SIM_E_USAGE, "sim_nfg_read_string: NULL game");
    if (!text) {
        memset(g, 0, sizeof *g);
        return sim_error(err, SIM_E_USAGE, "sim_nfg_read_string: NULL text");
    }
    return parse_game(text, strlen(text), label ? label : "<string>", g, err);
}

int sim_nfg_read_file(const char *path, sim_nfg *g, sim_err *err)
{
    if (!g)
        return sim_error(err, SIM_E_USAGE, "sim_nfg_read_file: NULL game");
    memset(g, 0, sizeof *g);
    if (!path)
        return sim_error(err, SIM_E_USAGE, "sim_nfg_read_file: NULL path");
    FILE *f = fopen(path, "rb");
    if (!f)
        return sim_error(err, SIM_E_IO, "%s: cannot open: %s", path,
                         SIM_ERRNO_TEXT(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int rc = 0;
    if (!buf) {
        rc =
            sim_error(err, SIM_E_NOMEM, "%s: no memory to read the file", path);
        goto done;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= SIM_NFG_MAX_FILE_BYTES) {
                if (fgetc(f) == EOF)
                    break;
                rc = sim_error(err, SIM_E_SCENARIO,
                               "%s: file too large: more than %zu bytes", path,
                               (size_t)SIM_NFG_MAX_FILE_BYTES);
                goto done;
            }
            size_t ncap = 2 * cap;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                rc = sim_error(err, SIM_E_NOMEM,
                               "%s: no memory to read the file", path);
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = sim_error(err, SIM_E_IO, "%s: read error", path);
        goto done;
    }
    rc = parse_game(buf, n, path, g, err);
done:
    free(buf);
    fclose(f);
    return rc;
}
