/* nfg_read.c - the .nfg parser: Gambit's strategic-form prologue, then
 * the payoff or the outcome version of the body, over the tokens of
 * nfg_lex.c; without recursion (the grammar nests at most three braces
 * deep). Contracts in nfg.h. */
#include <sanctionsim/nfg.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nfg_impl.h"
#include "nfg_lex.h"

/* Fails with "<expected>, found <the current token>" (expected formatted
 * from fmt) as a scenario error at the current token's line. */
__attribute__((format(printf, 2, 3))) static int
unexpected(const lexer *lx, const char *fmt, ...)
{
    char what[SIM_ERR_MSG_MAX], d[80];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sim_nfg_lex_error(lx, lx->tline, "%s, found %s", what,
                             sim_nfg_lex_describe(lx, d, sizeof d));
}

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

/* The header NFG 1 R (or D) and the title, from the start of the input. */
static int parse_header(lexer *lx, sim_nfg *g)
{
    int rc;
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (!sim_nfg_lex_is_word(lx, "NFG"))
        return unexpected(lx, "expected the header 'NFG 1 R' at the start of "
                              "the file");
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_NUMBER || strcmp(lx->text, "1") != 0)
        return unexpected(lx, "unsupported version: expected 1 after 'NFG'");
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (!sim_nfg_lex_is_word(lx, "R") && !sim_nfg_lex_is_word(lx, "D"))
        return unexpected(lx, "expected the number type 'R' or 'D' after "
                              "'NFG 1'");
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_STRING)
        return unexpected(lx, "expected the game title (a quoted string)");
    return take_name(lx, g->title, sizeof g->title, "the title");
}

/* The players' names { "P1" "P2" ... }, at least one. */
static int parse_players(lexer *lx, sim_nfg *g)
{
    char what[64];
    int rc;
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_LBRACE)
        return unexpected(lx, "expected '{' to open the list of players");
    for (;;) {
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
        if (lx->kind == TK_RBRACE)
            break;
        if (lx->kind != TK_STRING)
            return unexpected(lx, "expected a player name (a quoted string) "
                                  "or '}'");
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
        return sim_nfg_lex_error(lx, lx->tline,
                                 "the list of players is empty: a game needs "
                                 "at least one player");
    return 0;
}

/* Player k's strategy count, the current token, into g->nstrat[k], with
 * Gambit's names for unnamed strategies: "1", "2", ... */
static int take_count(const lexer *lx, sim_nfg *g, int k)
{
    char d[80];
    long v;
    int w = sim_nfg_lex_long(lx, &v);
    if (w < 0)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "bad strategy count %s for player %d: "
                                 "expected a whole number",
                                 sim_nfg_lex_describe(lx, d, sizeof d), k + 1);
    if (w == 0 && v < 1)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "bad strategy count %s for player %d: must "
                                 "be at least 1",
                                 sim_nfg_lex_describe(lx, d, sizeof d), k + 1);
    if (w != 0 || v > SIM_NFG_MAX_STRATEGIES)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "too many strategies: player %d has %s, at "
                                 "most %d are supported",
                                 k + 1, sim_nfg_lex_describe(lx, d, sizeof d),
                                 SIM_NFG_MAX_STRATEGIES);
    g->nstrat[k] = (int)v;
    for (int j = 0; j < g->nstrat[k]; j++)
        snprintf(g->strategy[k][j], SIM_NFG_NAME_MAX, "%d", j + 1);
    return 0;
}

/* The strategy counts 2 2 ... }, one per player, from the first count to
 * the closing '}' (the lexer stays on it). */
static int parse_strategy_counts(lexer *lx, sim_nfg *g)
{
    int k = 0, rc;
    for (; lx->kind != TK_RBRACE; k++) {
        if (lx->kind != TK_NUMBER)
            return unexpected(lx, "expected a strategy count or '}'");
        if (k == g->nplayers)
            return sim_nfg_lex_error(lx, lx->tline,
                                     "wrong number of strategy counts: "
                                     "expected %d (one per player), found "
                                     "more",
                                     g->nplayers);
        if ((rc = take_count(lx, g, k)) != 0 ||
            (rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
    }
    if (k != g->nplayers)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "wrong number of strategy counts: expected "
                                 "%d (one per player), found %d",
                                 g->nplayers, k);
    return 0;
}

/* Player k's strategy names { "C" "D" ... }, at least one, from the '{'
 * (the current token) to the closing '}' (the lexer stays on it). */
static int parse_strategy_names(lexer *lx, sim_nfg *g, int k)
{
    char what[64];
    int ns = 0, rc;
    for (;;) {
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
        if (lx->kind == TK_RBRACE)
            break;
        if (lx->kind != TK_STRING)
            return unexpected(lx, "expected a strategy name (a quoted "
                                  "string) or '}'");
        if (ns == SIM_NFG_MAX_STRATEGIES)
            return sim_nfg_lex_error(lx, lx->tline,
                                     "too many strategies: player %d has "
                                     "more than %d",
                                     k + 1, SIM_NFG_MAX_STRATEGIES);
        snprintf(what, sizeof what, "the name of strategy %d of player %d",
                 ns + 1, k + 1);
        if ((rc = take_name(lx, g->strategy[k][ns], SIM_NFG_NAME_MAX, what)) !=
            0)
            return rc;
        ns++;
    }
    if (ns == 0)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "player %d has no strategies: a list needs "
                                 "at least one name",
                                 k + 1);
    g->nstrat[k] = ns;
    return 0;
}

/* The strategy lists { "C" "D" } { "C" "D" } ... }, one per player, from
 * the first list's '{' to the closing '}' (the lexer stays on it). */
static int parse_strategy_lists(lexer *lx, sim_nfg *g)
{
    int k = 0, rc;
    for (; lx->kind != TK_RBRACE; k++) {
        if (lx->kind != TK_LBRACE)
            return unexpected(lx,
                              "expected '{' to open the strategies of player "
                              "%d, or '}'",
                              k + 1);
        if (k == g->nplayers)
            return sim_nfg_lex_error(lx, lx->tline,
                                     "wrong number of strategy lists: "
                                     "expected %d (one per player), found "
                                     "more",
                                     g->nplayers);
        if ((rc = parse_strategy_names(lx, g, k)) != 0 ||
            (rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
    }
    if (k != g->nplayers)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "wrong number of strategy lists: expected %d "
                                 "(one per player), found %d",
                                 g->nplayers, k);
    return 0;
}

/* The strategies: counts { 2 2 } or names { { "C" "D" } { "C" "D" } },
 * within the SIM_NFG_MAX_PROFILES limit. */
static int parse_strategies(lexer *lx, sim_nfg *g)
{
    int rc;
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_LBRACE)
        return unexpected(lx, "expected '{' to open the strategy counts or "
                              "lists");
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind == TK_NUMBER)
        rc = parse_strategy_counts(lx, g);
    else if (lx->kind == TK_LBRACE)
        rc = parse_strategy_lists(lx, g);
    else
        rc = unexpected(lx, "expected strategy counts { 2 2 } or strategy "
                            "lists { { \"C\" \"D\" } ... }");
    if (rc)
        return rc;
    if (sim_nfg_profile_count(g->nplayers, g->nstrat) == 0)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "too many strategy profiles: the product of "
                                 "the strategy counts exceeds %d",
                                 SIM_NFG_MAX_PROFILES);
    return 0;
}

/* Parses the prologue: NFG 1 R "title" { players } { strategies } and the
 * optional comment. Leaves the lexer on the first token of the body. */
static int parse_prologue(lexer *lx, sim_nfg *g)
{
    int rc;
    if ((rc = parse_header(lx, g)) != 0 || (rc = parse_players(lx, g)) != 0 ||
        (rc = parse_strategies(lx, g)) != 0)
        return rc;
    /* The optional comment. */
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind == TK_STRING && (rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    return 0;
}

/* Payoff format: nprof * nplayers numbers, profiles in index order, each
 * listing every player's payoff. Appends them to pay. */
static int parse_payoffs(lexer *lx, size_t nprof, dvec *pay, int nplayers)
{
    char d[80];
    const size_t need = nprof * (size_t)nplayers;
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
            need, nprof, nplayers, found);
    if (found < need)
        return sim_nfg_lex_error(
            lx, lx->tline,
            "expected %zu payoffs (%zu profiles x %d players), "
            "found %zu%s%s",
            need, nprof, nplayers, found, lx->kind == TK_EOF ? "" : " before ",
            lx->kind == TK_EOF ? "" : sim_nfg_lex_describe(lx, d, sizeof d));
    return 0;
}

/* One outcome { "name" u1 u2 ... }, its payoffs separated by blanks or, as
 * Gambit writes them, by commas, from its '{' (the current token) to its
 * '}' (the lexer stays on it). Appends the payoffs to out; nout counts the
 * outcomes before this one. */
static int parse_outcome(lexer *lx, size_t nout, dvec *out, int nplayers)
{
    int oline = lx->tline;
    int rc;
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    if (lx->kind == TK_STRING && (rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    size_t k = 0;
    while (lx->kind != TK_RBRACE) {
        double v = 0.0;
        if (lx->kind != TK_NUMBER)
            return unexpected(lx, "expected a payoff or '}' in outcome %zu",
                              nout + 1);
        if ((rc = sim_nfg_lex_double(lx, &v)) != 0)
            return rc;
        if (k < (size_t)nplayers && dvec_push(out, v) != 0)
            return sim_error(lx->err, SIM_E_NOMEM,
                             "%s: no memory for the outcomes", lx->label);
        k++;
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
        if (lx->kind == TK_COMMA && (rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
    }
    if (k != (size_t)nplayers)
        return sim_nfg_lex_error(lx, oline,
                                 "outcome %zu has %zu payoffs, expected %d "
                                 "(one per player)",
                                 nout + 1, k, nplayers);
    return 0;
}

/* The outcome list { outcome ... }, from its '{' (the current token) to
 * the token after its '}'. Appends every outcome's payoffs to out and
 * counts the outcomes in *nout. */
static int parse_outcome_list(lexer *lx, dvec *out, size_t *nout, int nplayers)
{
    int rc;
    if ((rc = sim_nfg_lex_next(lx)) != 0)
        return rc;
    while (lx->kind != TK_RBRACE) {
        if (lx->kind != TK_LBRACE)
            return unexpected(lx, "expected an outcome { \"name\" payoffs } "
                                  "or '}' to close the outcome list");
        if ((rc = parse_outcome(lx, *nout, out, nplayers)) != 0)
            return rc;
        (*nout)++;
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
    }
    return sim_nfg_lex_next(lx);
}

/* The outcome numbers, one per profile (1-based; 0 is the null outcome, all
 * payoffs zero), up to the first token that is not a number. Appends the
 * payoffs of each profile, taken from the outcomes in out (nplayers
 * payoffs each, as parse_outcome_list leaves them), to pay. The number of
 * outcomes is counted from out itself, so that every number accepted
 * below names payoffs that out holds. */
static int parse_outcome_numbers(lexer *lx, const dvec *out, size_t nprof,
                                 dvec *pay, int nplayers)
{
    char d[80];
    const size_t nout = out->n / (size_t)nplayers;
    size_t found = 0;
    int extra_line = 0;
    int rc;
    while (lx->kind == TK_NUMBER) {
        long o;
        int w = sim_nfg_lex_long(lx, &o);
        if (w < 0)
            return sim_nfg_lex_error(
                lx, lx->tline, "bad outcome number %s: expected a whole number",
                sim_nfg_lex_describe(lx, d, sizeof d));
        if (w != 0 || o < 0 || (unsigned long)o > nout)
            return sim_nfg_lex_error(lx, lx->tline,
                                     "outcome number %s out of range: "
                                     "expected 0 (no outcome) to %zu",
                                     sim_nfg_lex_describe(lx, d, sizeof d),
                                     nout);
        if (found < nprof) {
            for (int i = 0; i < nplayers; i++) {
                double v = o == 0 ? 0.0
                                  : out->v[(size_t)(o - 1) * (size_t)nplayers +
                                           (size_t)i];
                if (dvec_push(pay, v) != 0)
                    return sim_error(lx->err, SIM_E_NOMEM,
                                     "%s: no memory for the payoffs",
                                     lx->label);
            }
        } else if (found == nprof) {
            extra_line = lx->tline;
        }
        found++;
        if ((rc = sim_nfg_lex_next(lx)) != 0)
            return rc;
    }
    if (found > nprof)
        return sim_nfg_lex_error(lx, extra_line,
                                 "expected %zu outcome numbers (one per "
                                 "profile), found %zu",
                                 nprof, found);
    if (found < nprof)
        return sim_nfg_lex_error(
            lx, lx->tline,
            "expected %zu outcome numbers (one per profile), found %zu%s%s",
            nprof, found, lx->kind == TK_EOF ? "" : " before ",
            lx->kind == TK_EOF ? "" : sim_nfg_lex_describe(lx, d, sizeof d));
    return 0;
}

/* Outcome format: { { "name" u1 u2 ... } ... } then one outcome number per
 * profile. Appends the payoffs of each profile to pay. */
static int parse_outcomes(lexer *lx, size_t nprof, dvec *pay, int nplayers)
{
    dvec out = {0};
    size_t nout = 0;
    int rc = parse_outcome_list(lx, &out, &nout, nplayers);
    if (rc == 0)
        rc = parse_outcome_numbers(lx, &out, nprof, pay, nplayers);
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
    int rc = parse_prologue(&lx, g);
    if (rc)
        return rc;
    size_t nprof = sim_nfg_profile_count(g->nplayers, g->nstrat);
    dvec pay = {0};
    bool outcome_format = lx.kind == TK_LBRACE;
    if (lx.kind == TK_NUMBER)
        rc = parse_payoffs(&lx, nprof, &pay, g->nplayers);
    else if (lx.kind == TK_LBRACE)
        rc = parse_outcomes(&lx, nprof, &pay, g->nplayers);
    else
        rc = unexpected(&lx, "expected the payoffs (a list of numbers) or "
                             "the outcome list (starting with '{')");
    if (rc == 0 && lx.kind != TK_EOF)
        rc = unexpected(&lx, "expected the end of the file after the %s",
                        outcome_format ? "outcome numbers" : "payoffs");
    /* On success pay holds exactly nprof x nplayers payoffs, the table:
     * parse_payoffs appends min(found, need) numbers and fails unless
     * found == need; parse_outcome_numbers appends nplayers payoffs for
     * each of min(found, nprof) numbers and fails unless found == nprof. */
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

/* Opens path for reading if it is a regular file: opened without
 * blocking (a FIFO would wait for a writer) and examined with fstat before
 * a byte is read, so that a FIFO, a terminal, a device or a directory is
 * refused, not read. Returns 0 with *f open; SIM_E_SCENARIO for a file
 * that is not regular or cannot be opened, SIM_E_IO if an open file
 * cannot be turned into a stream. */
static int open_regular(const char *path, FILE **f, sim_err *err)
{
    *f = NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) /* an input error (exit 2), as for a scenario file */
        return sim_error(err, SIM_E_SCENARIO, "%s: cannot open: %s", path,
                         SIM_ERRNO_TEXT(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: not a regular file (a directory, FIFO, "
                         "terminal or device): a game must be a file",
                         path);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl == -1 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1 ||
        !(*f = fdopen(fd, "rb"))) {
        int e = errno;
        close(fd);
        return sim_error(err, SIM_E_IO, "%s: cannot open: %s", path,
                         SIM_ERRNO_TEXT(e));
    }
    return 0;
}

int sim_nfg_read_file(const char *path, sim_nfg *g, sim_err *err)
{
    if (!g)
        return sim_error(err, SIM_E_USAGE, "sim_nfg_read_file: NULL game");
    memset(g, 0, sizeof *g);
    if (!path)
        return sim_error(err, SIM_E_USAGE, "sim_nfg_read_file: NULL path");
    FILE *f = NULL;
    int rc = open_regular(path, &f, err);
    if (rc)
        return rc;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
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
        rc = sim_error(err, SIM_E_IO, "%s: cannot read the game file: %s",
                       path, SIM_ERRNO_TEXT(errno));
        goto done;
    }
    rc = parse_game(buf, n, path, g, err);
done:
    free(buf);
    fclose(f);
    return rc;
}
