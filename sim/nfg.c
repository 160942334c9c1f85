/* nfg.c - finite normal-form games: the payoff table, the Gambit .nfg reader
 * and writer, pure Nash equilibria, and two-player support enumeration. */
#include "nfg.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* The payoff table                                                          */
/* ------------------------------------------------------------------------ */

/* Number of profiles for these counts, or 0 when nplayers or a count is out
 * of range or the product exceeds SIM_NFG_MAX_PROFILES. The running product
 * is checked after every factor, so it never exceeds 1e6 * 64: no overflow. */
static size_t profile_count(int nplayers, const int *nstrat)
{
    if (nplayers < 1 || nplayers > SIM_NFG_MAX_PLAYERS)
        return 0;
    size_t n = 1;
    for (int i = 0; i < nplayers; i++) {
        if (nstrat[i] < 1 || nstrat[i] > SIM_NFG_MAX_STRATEGIES)
            return 0;
        n *= (size_t)nstrat[i];
        if (n > SIM_NFG_MAX_PROFILES)
            return 0;
    }
    return n;
}

/* Checks the players and strategy counts of g (not the table). */
static int check_shape(const sim_nfg *g, sim_err *err, int code)
{
    if (g->nplayers < 1 || g->nplayers > SIM_NFG_MAX_PLAYERS)
        return sim_error(err, code,
                         "a game needs 1 to %d players, this one has %d",
                         SIM_NFG_MAX_PLAYERS, g->nplayers);
    for (int i = 0; i < g->nplayers; i++)
        if (g->nstrat[i] < 1 || g->nstrat[i] > SIM_NFG_MAX_STRATEGIES)
            return sim_error(err, code,
                             "player %d needs 1 to %d strategies, has %d",
                             i + 1, SIM_NFG_MAX_STRATEGIES, g->nstrat[i]);
    if (profile_count(g->nplayers, g->nstrat) == 0)
        return sim_error(err, code,
                         "the game has more than %d strategy profiles",
                         SIM_NFG_MAX_PROFILES);
    return 0;
}

int sim_nfg_alloc(sim_nfg *g, sim_err *err)
{
    if (!g)
        return sim_error(err, SIM_E_INTERNAL, "sim_nfg_alloc: NULL game");
    int rc = check_shape(g, err, SIM_E_SCENARIO);
    if (rc)
        return rc;
    size_t np = profile_count(g->nplayers, g->nstrat);
    double *p = calloc(np * (size_t)g->nplayers, sizeof *p);
    if (!p)
        return sim_error(err, SIM_E_NOMEM,
                         "no memory for a payoff table of %zu profiles", np);
    g->payoff = p;
    g->nprofiles = np;
    return 0;
}

void sim_nfg_free(sim_nfg *g)
{
    if (!g)
        return;
    free(g->payoff);
    g->payoff = NULL;
    g->nprofiles = 0;
}

size_t sim_nfg_index(const sim_nfg *g, const int *profile)
{
    size_t idx = 0;
    for (int i = g->nplayers - 1; i >= 0; i--)
        idx = idx * (size_t)g->nstrat[i] + (size_t)profile[i];
    return idx;
}

double sim_nfg_payoff(const sim_nfg *g, const int *profile, int i)
{
    return g
        ->payoff[sim_nfg_index(g, profile) * (size_t)g->nplayers + (size_t)i];
}

int sim_nfg_check(const sim_nfg *g, sim_err *err)
{
    if (!g)
        return sim_error(err, SIM_E_USAGE, "no game (NULL)");
    int rc = check_shape(g, err, SIM_E_USAGE);
    if (rc)
        return rc;
    size_t np = profile_count(g->nplayers, g->nstrat);
    if (g->nprofiles != np)
        return sim_error(err, SIM_E_USAGE,
                         "the game has %zu profiles recorded but its strategy "
                         "counts give %zu",
                         g->nprofiles, np);
    if (!g->payoff)
        return sim_error(err, SIM_E_USAGE, "the game has no payoff table");
    if (!memchr(g->title, '\0', sizeof g->title))
        return sim_error(err, SIM_E_USAGE, "the game title is not terminated");
    for (int i = 0; i < g->nplayers; i++) {
        if (!memchr(g->player[i], '\0', SIM_NFG_NAME_MAX))
            return sim_error(err, SIM_E_USAGE,
                             "the name of player %d is not terminated", i + 1);
        for (int j = 0; j < g->nstrat[i]; j++)
            if (!memchr(g->strategy[i][j], '\0', SIM_NFG_NAME_MAX))
                return sim_error(err, SIM_E_USAGE,
                                 "strategy %d of player %d: name not "
                                 "terminated",
                                 j + 1, i + 1);
    }
    size_t n = np * (size_t)g->nplayers;
    for (size_t k = 0; k < n; k++)
        if (!isfinite(g->payoff[k]))
            return sim_error(err, SIM_E_USAGE,
                             "the payoff of player %zu at profile %zu is not "
                             "finite",
                             k % (size_t)g->nplayers + 1,
                             k / (size_t)g->nplayers);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The reader: a lexer over a byte buffer, then a parser without recursion  */
/* (the grammar nests at most three braces deep).                           */
/* ------------------------------------------------------------------------ */

/* Longest token text kept; longer strings are measured but not stored. The
 * title (255 bytes) is the longest string the game keeps. */
#define TOKEN_MAX 256
/* Longest number token accepted. */
#define NUMBER_MAX 64

enum tok_kind {
    TK_EOF,
    TK_LBRACE,
    TK_RBRACE,
    TK_COMMA,
    TK_STRING,
    TK_NUMBER,
    TK_WORD
};

typedef struct lexer {
    const char *s; /* the input, len bytes, not necessarily NUL-terminated */
    size_t len;
    size_t pos;
    int line;      /* line of s[pos] */
    int last_line; /* line where the previous token ended */
    const char *label;
    sim_err *err;
    /* The current token. */
    int kind;
    int tline;                /* line the token starts on */
    char text[TOKEN_MAX + 1]; /* decoded text, NUL-terminated, truncated */
    size_t tfull;             /* decoded length before truncation */
} lexer;

/* Records "label:line: message" as a scenario error and returns its code. */
__attribute__((format(printf, 3, 4))) static int
lex_error(const lexer *lx, int line, const char *fmt, ...)
{
    char msg[SIM_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sim_error(lx->err, SIM_E_SCENARIO, "%s:%d: %s", lx->label, line,
                     msg);
}

static void text_add(lexer *lx, char c)
{
    if (lx->tfull < TOKEN_MAX)
        lx->text[lx->tfull] = c;
    lx->tfull++;
    lx->text[lx->tfull < TOKEN_MAX ? lx->tfull : TOKEN_MAX] = '\0';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_number_char(char c)
{
    return is_digit(c) || c == '.' || c == '-' || c == '+' || c == '/' ||
           c == 'e' || c == 'E';
}

/* A printable rendering of the current token for messages. */
static const char *describe(const lexer *lx, char *buf, size_t size)
{
    char t[32];
    size_t k = 0;
    for (; k < sizeof t - 1 && lx->text[k]; k++) {
        unsigned char c = (unsigned char)lx->text[k];
        if (c >= 0x20 && c < 0x7f)
            t[k] = lx->text[k];
        else
            t[k] = '?';
    }
    t[k] = '\0';
    const char *more = lx->tfull > k ? "..." : "";
    switch (lx->kind) {
    case TK_EOF:
        return "end of file";
    case TK_LBRACE:
        return "'{'";
    case TK_RBRACE:
        return "'}'";
    case TK_COMMA:
        return "','";
    case TK_STRING:
        snprintf(buf, size, "the string \"%s%s\"", t, more);
        return buf;
    default:
        snprintf(buf, size, "'%s%s'", t, more);
        return buf;
    }
}

/* Moves to the next token. Returns 0, or a scenario error for an
 * unterminated string or a character that starts no token. */
static int lex_next(lexer *lx)
{
    lx->tfull = 0;
    lx->text[0] = '\0';
    while (lx->pos < lx->len) {
        char c = lx->s[lx->pos];
        if (c == '\n')
            lx->line++;
        else if (c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f')
            break;
        lx->pos++;
    }
    if (lx->pos >= lx->len) {
        /* Report a missing token at the last line with content, not on the
         * empty line after a final newline. */
        lx->kind = TK_EOF;
        lx->tline = lx->last_line;
        return 0;
    }
    lx->tline = lx->line;
    char c = lx->s[lx->pos];
    if (c == '{' || c == '}' || c == ',') {
        lx->kind = c == '{' ? TK_LBRACE : c == '}' ? TK_RBRACE : TK_COMMA;
        text_add(lx, c);
        lx->pos++;
    } else if (c == '"') {
        /* Gambit escapes '"' inside labels as \"; we also read \\ as one
         * backslash (the writer escapes both) and keep other backslashes. */
        lx->kind = TK_STRING;
        lx->pos++;
        for (;;) {
            if (lx->pos >= lx->len)
                return lex_error(lx, lx->tline,
                                 "unterminated string: no closing '\"' for "
                                 "the string opened on this line");
            c = lx->s[lx->pos++];
            if (c == '"')
                break;
            if (c == '\0')
                return lex_error(lx, lx->line,
                                 "unexpected NUL byte in a "
                                 "string");
            if (c == '\\' && lx->pos < lx->len &&
                (lx->s[lx->pos] == '"' || lx->s[lx->pos] == '\\'))
                c = lx->s[lx->pos++];
            else if (c == '\n')
                lx->line++;
            text_add(lx, c);
        }
    } else if (is_digit(c) || c == '-' || c == '+' || c == '.') {
        lx->kind = TK_NUMBER;
        while (lx->pos < lx->len && is_number_char(lx->s[lx->pos]))
            text_add(lx, lx->s[lx->pos++]);
    } else if (is_alpha(c)) {
        lx->kind = TK_WORD;
        while (lx->pos < lx->len &&
               (is_alpha(lx->s[lx->pos]) || is_digit(lx->s[lx->pos])))
            text_add(lx, lx->s[lx->pos++]);
    } else if (c == '\0') {
        return lex_error(lx, lx->line, "unexpected NUL byte");
    } else {
        unsigned char u = (unsigned char)c;
        if (u >= 0x20 && u < 0x7f)
            return lex_error(lx, lx->line, "unexpected character '%c'", c);
        return lex_error(lx, lx->line, "unexpected byte 0x%02x", u);
    }
    lx->last_line = lx->line;
    return 0;
}

/* Parses a decimal in [b, e) with strtod; 0, or -1 if it is not one whole
 * number. The characters were already limited to digits . + - e E. */
static int parse_decimal(const char *b, const char *e, double *v)
{
    char buf[NUMBER_MAX + 1];
    size_t n = (size_t)(e - b);
    if (n == 0 || n > NUMBER_MAX)
        return -1;
    memcpy(buf, b, n);
    buf[n] = '\0';
    bool digit = false;
    for (size_t k = 0; k < n; k++)
        digit = digit || is_digit(buf[k]);
    if (!digit)
        return -1;
    char *end;
    errno = 0;
    *v = strtod(buf, &end);
    return *end == '\0' ? 0 : -1;
}

/* Converts the current number token: an integer, a decimal (optionally with
 * an exponent) or a rational p/q. Returns 0, or a scenario error naming the
 * token and what is wrong with it. */
static int token_double(const lexer *lx, double *out)
{
    char d[80];
    const char *t = lx->text;
    if (lx->tfull > NUMBER_MAX)
        return lex_error(lx, lx->tline,
                         "bad number %s: longer than %d characters",
                         describe(lx, d, sizeof d), NUMBER_MAX);
    const char *slash = strchr(t, '/');
    const char *end = t + strlen(t);
    double num, den = 1.0;
    if (parse_decimal(t, slash ? slash : end, &num) != 0 ||
        (slash && parse_decimal(slash + 1, end, &den) != 0))
        return lex_error(lx, lx->tline,
                         "bad number %s: expected an integer, a decimal or "
                         "a fraction like 3/2",
                         describe(lx, d, sizeof d));
    if (den == 0.0)
        return lex_error(lx, lx->tline, "bad number %s: zero denominator",
                         describe(lx, d, sizeof d));
    double v = num / den;
    if (!isfinite(v))
        return lex_error(lx, lx->tline,
                         "bad number %s: out of the range of a double",
                         describe(lx, d, sizeof d));
    *out = v;
    return 0;
}

/* Reads the current number token as a whole number: 0 and *v, 1 if it is a
 * whole number beyond the range of long (*v clamped), -1 if it is not a
 * whole number. */
static int token_long(const lexer *lx, long *v)
{
    const char *t = lx->text;
    size_t k = (t[0] == '-' || t[0] == '+') ? 1 : 0;
    if (!t[k])
        return -1;
    for (size_t j = k; t[j]; j++)
        if (!is_digit(t[j]))
            return -1;
    if (lx->tfull > TOKEN_MAX) { /* digits beyond what we kept */
        *v = t[0] == '-' ? LONG_MIN : LONG_MAX;
        return 1;
    }
    errno = 0;
    *v = strtol(t, NULL, 10);
    return errno == ERANGE ? 1 : 0;
}

static bool is_word(const lexer *lx, const char *w)
{
    return lx->kind == TK_WORD && strcmp(lx->text, w) == 0;
}

/* A growing array of doubles. It grows only as the input supplies values,
 * so a count in the file cannot make us allocate more than the file holds. */
typedef struct dvec {
    double *v;
    size_t n, cap;
} dvec;

static int dvec_push(dvec *d, double x)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 64;
        double *nv = realloc(d->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        d->v = nv;
        d->cap = cap;
    }
    d->v[d->n++] = x;
    return 0;
}

/* Copies the current string token into dst (size bytes) or fails with a
 * message naming what it is. */
static int take_name(const lexer *lx, char *dst, size_t size, const char *what)
{
    if (lx->tfull >= size)
        return lex_error(lx, lx->tline,
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
    if ((rc = lex_next(lx)) != 0)
        return rc;
    if (!is_word(lx, "NFG"))
        return lex_error(lx, lx->tline,
                         "expected the header 'NFG 1 R' at the start of the "
                         "file, found %s",
                         describe(lx, d, sizeof d));
    if ((rc = lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_NUMBER || strcmp(lx->text, "1") != 0)
        return lex_error(lx, lx->tline,
                         "unsupported version: expected 1 after 'NFG', "
                         "found %s",
                         describe(lx, d, sizeof d));
    if ((rc = lex_next(lx)) != 0)
        return rc;
    if (!is_word(lx, "R") && !is_word(lx, "D"))
        return lex_error(lx, lx->tline,
                         "expected the number type 'R' or 'D' after 'NFG 1', "
                         "found %s",
                         describe(lx, d, sizeof d));
    if ((rc = lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_STRING)
        return lex_error(lx, lx->tline,
                         "expected the game title (a quoted string), found %s",
                         describe(lx, d, sizeof d));
    if ((rc = take_name(lx, g->title, sizeof g->title, "the title")) != 0)
        return rc;

    /* Players. */
    if ((rc = lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_LBRACE)
        return lex_error(lx, lx->tline,
                         "expected '{' to open the list of players, found %s",
                         describe(lx, d, sizeof d));
    for (;;) {
        if ((rc = lex_next(lx)) != 0)
            return rc;
        if (lx->kind == TK_RBRACE)
            break;
        if (lx->kind != TK_STRING)
            return lex_error(lx, lx->tline,
                             "expected a player name (a quoted string) or "
                             "'}', found %s",
                             describe(lx, d, sizeof d));
        if (g->nplayers == SIM_NFG_MAX_PLAYERS)
            return lex_error(lx, lx->tline,
                             "too many players: at most %d are supported",
                             SIM_NFG_MAX_PLAYERS);
        snprintf(what, sizeof what, "the name of player %d", g->nplayers + 1);
        if ((rc = take_name(lx, g->player[g->nplayers], SIM_NFG_NAME_MAX,
                            what)) != 0)
            return rc;
        g->nplayers++;
    }
    if (g->nplayers == 0)
        return lex_error(lx, lx->tline,
                         "the list of players is empty: a game needs at least "
                         "one player");

    /* Strategies: counts { 2 2 } or names { { "C" "D" } { "C" "D" } }. */
    if ((rc = lex_next(lx)) != 0)
        return rc;
    if (lx->kind != TK_LBRACE)
        return lex_error(lx, lx->tline,
                         "expected '{' to open the strategy counts or lists, "
                         "found %s",
                         describe(lx, d, sizeof d));
    if ((rc = lex_next(lx)) != 0)
        return rc;
    int k = 0;
    if (lx->kind == TK_NUMBER) {
        for (; lx->kind != TK_RBRACE; k++) {
            if (lx->kind != TK_NUMBER)
                return lex_error(lx, lx->tline,
                                 "expected a strategy count or '}', found %s",
                                 describe(lx, d, sizeof d));
            if (k == g->nplayers)
                return lex_error(lx, lx->tline,
                                 "wrong number of strategy counts: expected "
                                 "%d (one per player), found more",
                                 g->nplayers);
            long v;
            int w = token_long(lx, &v);
            if (w < 0)
                return lex_error(lx, lx->tline,
                                 "bad strategy count %s for player %d: "
                                 "expected a whole number",
                                 describe(lx, d, sizeof d), k + 1);
            if (w == 0 && v < 1)
                return lex_error(lx, lx->tline,
                                 "bad strategy count %s for player %d: must "
                                 "be at least 1",
                                 describe(lx, d, sizeof d), k + 1);
            if (w != 0 || v > SIM_NFG_MAX_STRATEGIES)
                return lex_error(lx, lx->tline,
                                 "too many strategies: player %d has %s, at "
                                 "most %d are supported",
                                 k + 1, describe(lx, d, sizeof d),
                                 SIM_NFG_MAX_STRATEGIES);
            g->nstrat[k] = (int)v;
            /* Gambit's names for unnamed strategies: "1", "2", ... */
            for (int j = 0; j < g->nstrat[k]; j++)
                snprintf(g->strategy[k][j], SIM_NFG_NAME_MAX, "%d", j + 1);
            if ((rc = lex_next(lx)) != 0)
                return rc;
        }
        if (k != g->nplayers)
            return lex_error(lx, lx->tline,
                             "wrong number of strategy counts: expected %d "
                             "(one per player), found %d",
                             g->nplayers, k);
    } else if (lx->kind == TK_LBRACE) {
        for (; lx->kind != TK_RBRACE; k++) {
            if (lx->kind != TK_LBRACE)
                return lex_error(lx, lx->tline,
                                 "expected '{' to open the strategies of "
                                 "player %d, or '}', found %s",
                                 k + 1, describe(lx, d, sizeof d));
            if (k == g->nplayers)
                return lex_error(lx, lx->tline,
                                 "wrong number of strategy lists: expected "
                                 "%d (one per player), found more",
                                 g->nplayers);
            int ns = 0;
            for (;;) {
                if ((rc = lex_next(lx)) != 0)
                    return rc;
                if (lx->kind == TK_RBRACE)
                    break;
                if (lx->kind != TK_STRING)
                    return lex_error(lx, lx->tline,
                                     "expected a strategy name (a quoted "
                                     "string) or '}', found %s",
                                     describe(lx, d, sizeof d));
                if (ns == SIM_NFG_MAX_STRATEGIES)
                    return lex_error(lx, lx->tline,
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
                return lex_error(lx, lx->tline,
                                 "player %d has no strategies: a list needs "
                                 "at least one name",
                                 k + 1);
            g->nstrat[k] = ns;
            if ((rc = lex_next(lx)) != 0)
                return rc;
        }
        if (k != g->nplayers)
            return lex_error(lx, lx->tline,
                             "wrong number of strategy lists: expected %d "
                             "(one per player), found %d",
                             g->nplayers, k);
    } else {
        return lex_error(lx, lx->tline,
                         "expected strategy counts { 2 2 } or strategy lists "
                         "{ { \"C\" \"D\" } ... }, found %s",
                         describe(lx, d, sizeof d));
    }
    if (profile_count(g->nplayers, g->nstrat) == 0)
        return lex_error(lx, lx->tline,
                         "too many strategy profiles: the product of the "
                         "strategy counts exceeds %d",
                         SIM_NFG_MAX_PROFILES);

    /* The optional comment. */
    if ((rc = lex_next(lx)) != 0)
        return rc;
    if (lx->kind == TK_STRING && (rc = lex_next(lx)) != 0)
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
        if ((rc = token_double(lx, &v)) != 0)
            return rc;
        if (found < need) {
            if (dvec_push(pay, v) != 0)
                return sim_error(lx->err, SIM_E_NOMEM,
                                 "%s: no memory for the payoffs", lx->label);
        } else if (found == need) {
            extra_line = lx->tline;
        }
        found++;
        if ((rc = lex_next(lx)) != 0)
            return rc;
    }
    if (found > need)
        return lex_error(lx, extra_line,
                         "expected %zu payoffs (%zu profiles x %d players), "
                         "found %zu",
                         need, need / (size_t)nplayers, nplayers, found);
    if (found < need)
        return lex_error(lx, lx->tline,
                         "expected %zu payoffs (%zu profiles x %d players), "
                         "found %zu%s%s",
                         need, need / (size_t)nplayers, nplayers, found,
                         lx->kind == TK_EOF ? "" : " before ",
                         lx->kind == TK_EOF ? "" : describe(lx, d, sizeof d));
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
    if ((rc = lex_next(lx)) != 0)
        goto done;
    while (lx->kind != TK_RBRACE) {
        if (lx->kind != TK_LBRACE) {
            rc = lex_error(lx, lx->tline,
                           "expected an outcome { \"name\" payoffs } or '}' "
                           "to close the outcome list, found %s",
                           describe(lx, d, sizeof d));
            goto done;
        }
        int oline = lx->tline;
        if ((rc = lex_next(lx)) != 0)
            goto done;
        if (lx->kind == TK_STRING && (rc = lex_next(lx)) != 0)
            goto done;
        size_t k = 0;
        /* Gambit separates outcome payoffs by commas; accept either. */
        while (lx->kind != TK_RBRACE) {
            double v = 0.0;
            if (lx->kind != TK_NUMBER) {
                rc = lex_error(lx, lx->tline,
                               "expected a payoff or '}' in outcome %zu, "
                               "found %s",
                               nout + 1, describe(lx, d, sizeof d));
                goto done;
            }
            if ((rc = token_double(lx, &v)) != 0)
                goto done;
            if (k < (size_t)nplayers && dvec_push(&out, v) != 0) {
                rc = sim_error(lx->err, SIM_E_NOMEM,
                               "%s: no memory for the outcomes", lx->label);
                goto done;
            }
            k++;
            if ((rc = lex_next(lx)) != 0)
                goto done;
            if (lx->kind == TK_COMMA && (rc = lex_next(lx)) != 0)
                goto done;
        }
        if (k != (size_t)nplayers) {
            rc = lex_error(lx, oline,
                           "outcome %zu has %zu payoffs, expected %d (one "
                           "per player)",
                           nout + 1, k, nplayers);
            goto done;
        }
        nout++;
        if ((rc = lex_next(lx)) != 0)
            goto done;
    }
    if ((rc = lex_next(lx)) != 0)
        goto done;

    size_t found = 0;
    int extra_line = 0;
    while (lx->kind == TK_NUMBER) {
        long o;
        int w = token_long(lx, &o);
        if (w < 0) {
            rc = lex_error(lx, lx->tline,
                           "bad outcome number %s: expected a whole number",
                           describe(lx, d, sizeof d));
            goto done;
        }
        if (w != 0 || o < 0 || (unsigned long)o > nout) {
            rc = lex_error(lx, lx->tline,
                           "outcome number %s out of range: expected 0 (no "
                           "outcome) to %zu",
                           describe(lx, d, sizeof d), nout);
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
        if ((rc = lex_next(lx)) != 0)
            goto done;
    }
    if (found > nprof)
        rc = lex_error(lx, extra_line,
                       "expected %zu outcome numbers (one per profile), "
                       "found %zu",
                       nprof, found);
    else if (found < nprof)
        rc = lex_error(lx, lx->tline,
                       "expected %zu outcome numbers (one per profile), "
                       "found %zu%s%s",
                       nprof, found, lx->kind == TK_EOF ? "" : " before ",
                       lx->kind == TK_EOF ? "" : describe(lx, d, sizeof d));
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
    size_t nprof = profile_count(g->nplayers, g->nstrat);
    size_t need = nprof * (size_t)g->nplayers;
    dvec pay = {0};
    bool outcome_format = lx.kind == TK_LBRACE;
    if (lx.kind == TK_NUMBER)
        rc = parse_payoffs(&lx, need, &pay, g->nplayers);
    else if (lx.kind == TK_LBRACE)
        rc = parse_outcomes(&lx, nprof, &pay, g->nplayers);
    else
        rc = lex_error(&lx, lx.tline,
                       "expected the payoffs (a list of numbers) or the "
                       "outcome list (starting with '{'), found %s",
                       describe(&lx, d, sizeof d));
    if (rc == 0 && lx.kind != TK_EOF)
        rc = lex_error(&lx, lx.tline,
                       "expected the end of the file after the %s, found %s",
                       outcome_format ? "outcome numbers" : "payoffs",
                       describe(&lx, d, sizeof d));
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

/* ------------------------------------------------------------------------ */
/* The writer                                                                */
/* ------------------------------------------------------------------------ */

/* Writes s as a Gambit label: quoted, with '"' and '\' escaped. */
static void put_label(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The shortest "%.Ng" form of x that strtod reads back as x (N <= 17, at
 * which every finite double round-trips). Whole numbers below 1e17 are
 * written without an exponent ("100", not "1e+02"), as Gambit writes them;
 * they are exact in "%.0f". */
static void shortest_double(char *buf, size_t size, double x)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    if (strchr(buf, 'e') && fabs(x) < 1e17 && x == floor(x))
        snprintf(buf, size, "%.0f", x);
}

int sim_nfg_write(FILE *f, const sim_nfg *g, sim_err *err)
{
    int rc = sim_nfg_check(g, err);
    if (rc)
        return rc;
    if (!f)
        return sim_error(err, SIM_E_USAGE, "sim_nfg_write: NULL file");
    fputs("NFG 1 R ", f);
    put_label(f, g->title);
    fputs(" {", f);
    for (int i = 0; i < g->nplayers; i++) {
        fputc(' ', f);
        put_label(f, g->player[i]);
    }
    fputs(" }\n{", f);
    for (int i = 0; i < g->nplayers; i++) {
        fputs(i ? "\n  {" : " {", f);
        for (int j = 0; j < g->nstrat[i]; j++) {
            fputc(' ', f);
            put_label(f, g->strategy[i][j]);
        }
        fputs(" }", f);
    }
    fputs(" }\n\"\"\n\n", f);
    /* One profile per line, so reader errors point at a profile. */
    char num[48];
    for (size_t p = 0; p < g->nprofiles; p++) {
        for (int i = 0; i < g->nplayers; i++) {
            shortest_double(num, sizeof num,
                            g->payoff[p * (size_t)g->nplayers + (size_t)i]);
            fputs(num, f);
            fputc(i + 1 < g->nplayers ? ' ' : '\n', f);
        }
    }
    if (ferror(f))
        return sim_error(err, SIM_E_IO, "cannot write the game: %s",
                         SIM_ERRNO_TEXT(errno ? errno : EIO));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Pure Nash equilibria                                                      */
/* ------------------------------------------------------------------------ */

int sim_nfg_pure_equilibria(const sim_nfg *g, size_t *profiles, size_t max,
                            size_t *count, sim_err *err)
{
    int rc = sim_nfg_check(g, err);
    if (rc)
        return rc;
    if (!count || (max > 0 && !profiles))
        return sim_error(err, SIM_E_USAGE,
                         "sim_nfg_pure_equilibria: NULL output");
    const int n = g->nplayers;
    size_t stride[SIM_NFG_MAX_PLAYERS];
    int s[SIM_NFG_MAX_PLAYERS] = {0};
    stride[0] = 1;
    for (int i = 1; i < n; i++)
        stride[i] = stride[i - 1] * (size_t)g->nstrat[i - 1];
    size_t found = 0;
    for (size_t idx = 0; idx < g->nprofiles; idx++) {
        bool eq = true;
        for (int i = 0; i < n && eq; i++) {
            double u = g->payoff[idx * (size_t)n + (size_t)i];
            double tol = SIM_NFG_PURE_TOL * fmax(1.0, fabs(u));
            size_t base = idx - (size_t)s[i] * stride[i];
            for (int k = 0; k < g->nstrat[i]; k++) {
                double ud =
                    g->payoff[(base + (size_t)k * stride[i]) * (size_t)n +
                              (size_t)i];
                if (k != s[i] && ud - u > tol) {
                    eq = false;
                    break;
                }
            }
        }
        if (eq) {
            if (found < max)
                profiles[found] = idx;
            found++;
        }
        /* Next profile: player 0's strategy varies fastest. */
        for (int i = 0; i < n; i++) {
            if (++s[i] < g->nstrat[i])
                break;
            s[i] = 0;
        }
    }
    *count = found;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Support enumeration (two players)                                         */
/* ------------------------------------------------------------------------ */

/* A relative singular value below this makes a system rank deficient. */
#define SE_RANK_TOL 1e-10

static int popcount(uint32_t m)
{
    int c = 0;
    for (; m; m &= m - 1)
        c++;
    return c;
}

/* Orders supports by size, then by mask: pure strategies first. */
static int cmp_mask(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int px = popcount(x), py = popcount(y);
    if (px != py)
        return px < py ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* The nonempty subsets of k strategies in enumeration order; malloc'ed. */
static uint32_t *support_list(int k, size_t *count)
{
    size_t n = ((size_t)1 << k) - 1;
    uint32_t *m = malloc(n * sizeof *m);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n; i++)
        m[i] = (uint32_t)(i + 1);
    qsort(m, n, sizeof *m, cmp_mask);
    *count = n;
    return m;
}

/* Candidate mixed strategies of one player, deduplicated: with c its
 * strategy count and r the opponent's, mix[k * c ..] is candidate k,
 * resp[k * r ..] the opponent's (scaled) payoff from each of its pure
 * strategies against it, and best[k] the largest of those. */
typedef struct cands {
    dvec mix, resp, best;
    size_t n;
} cands;

/* GSL objects sized for the largest system. */
typedef struct se_work {
    gsl_matrix *M, *M0, *V;
    gsl_vector *S, *w, *b, *sol;
} se_work;

/* Solves the indifference system for a mix q over the columns in cmask of
 * the r x c matrix P (row-major, scaled so |P| <= 1): P[i, C] q = v for the
 * rows i in rmask, sum q = 1. Adds q to cs if the solution is unique
 * (smallest singular value > SE_RANK_TOL times the largest), exact
 * (residual < SIM_NFG_SUPPORT_TOL), non-negative (to -tol, then clamped)
 * and no row does better than v by more than the tolerance. Returns 0 (added
 * or not), or SIM_E_NUMERIC / SIM_E_NOMEM. */
static int solve_support(const double *P, int r, int c, uint32_t rmask,
                         uint32_t cmask, se_work *ws, cands *cs, sim_err *err)
{
    const double tol = SIM_NFG_SUPPORT_TOL;
    int kr = popcount(rmask), kc = popcount(cmask);
    if (kr < kc) /* kr + 1 equations, kc + 1 unknowns: never unique */
        return 0;
    size_t rows = (size_t)kr + 1, cols = (size_t)kc + 1;
    int cidx[32];
    for (int j = 0, t = 0; j < c; j++)
        if (cmask >> j & 1u)
            cidx[t++] = j;
    gsl_matrix_view Mv = gsl_matrix_submatrix(ws->M, 0, 0, rows, cols);
    gsl_matrix_view M0v = gsl_matrix_submatrix(ws->M0, 0, 0, rows, cols);
    gsl_matrix_view Vv = gsl_matrix_submatrix(ws->V, 0, 0, cols, cols);
    gsl_vector_view Sv = gsl_vector_subvector(ws->S, 0, cols);
    gsl_vector_view wv = gsl_vector_subvector(ws->w, 0, cols);
    gsl_vector_view bv = gsl_vector_subvector(ws->b, 0, rows);
    gsl_vector_view xv = gsl_vector_subvector(ws->sol, 0, cols);
    gsl_matrix *M = &Mv.matrix;
    size_t t = 0;
    for (int i = 0; i < r; i++) {
        if (!(rmask >> i & 1u))
            continue;
        for (int u = 0; u < kc; u++)
            gsl_matrix_set(M, t, (size_t)u, P[i * c + cidx[u]]);
        gsl_matrix_set(M, t, (size_t)kc, -1.0);
        gsl_vector_set(&bv.vector, t, 0.0);
        t++;
    }
    for (int u = 0; u < kc; u++)
        gsl_matrix_set(M, t, (size_t)u, 1.0);
    gsl_matrix_set(M, t, (size_t)kc, 0.0);
    gsl_vector_set(&bv.vector, t, 1.0);
    gsl_matrix_memcpy(&M0v.matrix, M);

    int st = gsl_linalg_SV_decomp(M, &Vv.matrix, &Sv.vector, &wv.vector);
    if (st)
        return sim_error(err, SIM_E_NUMERIC,
                         "support enumeration: SVD failed: %s",
                         gsl_strerror(st));
    double smax = gsl_vector_get(&Sv.vector, 0);
    double smin = gsl_vector_get(&Sv.vector, cols - 1);
    if (!(smin > SE_RANK_TOL * smax))
        return 0; /* a continuum of solutions, or none */
    st = gsl_linalg_SV_solve(M, &Vv.matrix, &Sv.vector, &bv.vector, &xv.vector);
    if (st)
        return sim_error(err, SIM_E_NUMERIC,
                         "support enumeration: SVD solve failed: %s",
                         gsl_strerror(st));
    for (size_t i = 0; i < rows; i++) {
        double acc = -gsl_vector_get(&bv.vector, i);
        for (size_t j = 0; j < cols; j++)
            acc += gsl_matrix_get(&M0v.matrix, i, j) *
                   gsl_vector_get(&xv.vector, j);
        if (!(fabs(acc) < tol))
            return 0; /* least squares, not a solution */
    }
    double q[SIM_NFG_SUPPORT_MAX_STRATEGIES] = {0};
    for (int u = 0; u < kc; u++) {
        double v = gsl_vector_get(&xv.vector, (size_t)u);
        if (!(v >= -tol))
            return 0;
        q[cidx[u]] = v > 0.0 ? v : 0.0;
    }
    double value = gsl_vector_get(&xv.vector, (size_t)kc);
    double resp[SIM_NFG_SUPPORT_MAX_STRATEGIES];
    double best = -HUGE_VAL;
    for (int i = 0; i < r; i++) {
        double acc = 0.0;
        for (int j = 0; j < c; j++)
            acc += P[i * c + j] * q[j];
        if (acc > value + tol)
            return 0; /* a row outside the indifferent set does better */
        resp[i] = acc;
        best = fmax(best, acc);
    }
    /* Deduplicate (max-norm distance below the tolerance). */
    for (size_t k = 0; k < cs->n; k++) {
        const double *o = cs->mix.v + k * (size_t)c;
        double dist = 0.0;
        for (int j = 0; j < c; j++)
            dist = fmax(dist, fabs(o[j] - q[j]));
        if (dist < tol)
            return 0;
    }
    for (int j = 0; j < c; j++)
        if (dvec_push(&cs->mix, q[j]))
            goto nomem;
    for (int i = 0; i < r; i++)
        if (dvec_push(&cs->resp, resp[i]))
            goto nomem;
    if (dvec_push(&cs->best, best))
        goto nomem;
    cs->n++;
    return 0;
nomem:
    return sim_error(err, SIM_E_NOMEM, "support enumeration: out of memory");
}

/* An equilibrium found: candidate indices and the supports for ordering. */
typedef struct se_eq {
    size_t xi, yi;
    uint32_t sx, sy;
} se_eq;

static int cmp_eq(const void *a, const void *b)
{
    const se_eq *p = a, *q = b;
    int c = cmp_mask(&p->sx, &q->sx);
    if (c)
        return c;
    if ((c = cmp_mask(&p->sy, &q->sy)) != 0)
        return c;
    if (p->xi != q->xi)
        return p->xi < q->xi ? -1 : 1;
    return p->yi < q->yi ? -1 : p->yi > q->yi;
}

static uint32_t support_of(const double *p, int k)
{
    uint32_t m = 0;
    for (int j = 0; j < k; j++)
        if (p[j] > SIM_NFG_SUPPORT_TOL)
            m |= 1u << j;
    return m;
}

int sim_nfg_support_enumeration(const sim_nfg *g, sim_mixed *eq, size_t max,
                                size_t *count, sim_err *err)
{
    int rc = sim_nfg_check(g, err);
    if (rc)
        return rc;
    if (!count || (max > 0 && !eq))
        return sim_error(err, SIM_E_USAGE,
                         "sim_nfg_support_enumeration: NULL output");
    if (g->nplayers != 2)
        return sim_error(err, SIM_E_USAGE,
                         "support enumeration needs a two-player game, this "
                         "one has %d players",
                         g->nplayers);
    const int m = g->nstrat[0], n = g->nstrat[1];
    if (m + n > SIM_NFG_SUPPORT_MAX_STRATEGIES)
        return sim_error(err, SIM_E_USAGE,
                         "support enumeration takes time exponential in the "
                         "number of strategies: %d + %d exceeds the limit %d",
                         m, n, SIM_NFG_SUPPORT_MAX_STRATEGIES);

    /* A (m x n) is the row player's payoff, Bt (n x m) the column player's,
     * transposed; both divided by the largest |payoff| (at least 1) so the
     * tolerances are relative to the payoff scale. */
    double scale = 1.0;
    for (size_t k = 0; k < g->nprofiles * 2; k++)
        scale = fmax(scale, fabs(g->payoff[k]));
    double A[SIM_NFG_SUPPORT_MAX_STRATEGIES * SIM_NFG_SUPPORT_MAX_STRATEGIES];
    double Bt[SIM_NFG_SUPPORT_MAX_STRATEGIES * SIM_NFG_SUPPORT_MAX_STRATEGIES];
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            size_t p = (size_t)i + (size_t)m * (size_t)j;
            A[i * n + j] = g->payoff[2 * p] / scale;
            Bt[j * m + i] = g->payoff[2 * p + 1] / scale;
        }

    uint32_t *rs = NULL, *cs_list = NULL;
    se_eq *found = NULL;
    size_t nfound = 0, capfound = 0;
    cands xs = {0}, ys = {0};
    size_t dim = (size_t)(m > n ? m : n) + 1;
    se_work ws = {0};
    ws.M = gsl_matrix_alloc(dim, dim);
    ws.M0 = gsl_matrix_alloc(dim, dim);
    ws.V = gsl_matrix_alloc(dim, dim);
    ws.S = gsl_vector_alloc(dim);
    ws.w = gsl_vector_alloc(dim);
    ws.b = gsl_vector_alloc(dim);
    ws.sol = gsl_vector_alloc(dim);
    size_t nr = 0, nc = 0;
    rs = support_list(m, &nr);
    cs_list = support_list(n, &nc);
    if (!ws.M || !ws.M0 || !ws.V || !ws.S || !ws.w || !ws.b || !ws.sol || !rs ||
        !cs_list) {
        rc = sim_error(err, SIM_E_NOMEM, "support enumeration: out of memory");
        goto done;
    }

    /* For each pair of supports (S1, S2): the column player's mix y on S2
     * that makes the rows in S1 indifferent (and best), and the row
     * player's mix x on S1 that makes the columns in S2 indifferent. */
    for (size_t a = 0; a < nr; a++)
        for (size_t b = 0; b < nc; b++) {
            rc = solve_support(A, m, n, rs[a], cs_list[b], &ws, &ys, err);
            if (!rc)
                rc = solve_support(Bt, n, m, cs_list[b], rs[a], &ws, &xs, err);
            if (rc)
                goto done;
        }

    /* Pair the candidates: (x, y) is an equilibrium when neither player
     * gains more than the tolerance by a pure deviation. */
    for (size_t xi = 0; xi < xs.n; xi++) {
        const double *x = xs.mix.v + xi * (size_t)m;
        const double *bx = xs.resp.v + xi * (size_t)n;
        for (size_t yi = 0; yi < ys.n; yi++) {
            const double *y = ys.mix.v + yi * (size_t)n;
            const double *ay = ys.resp.v + yi * (size_t)m;
            double u1 = 0.0, u2 = 0.0;
            for (int i = 0; i < m; i++)
                u1 += x[i] * ay[i];
            for (int j = 0; j < n; j++)
                u2 += y[j] * bx[j];
            if (ys.best.v[yi] - u1 > SIM_NFG_SUPPORT_TOL ||
                xs.best.v[xi] - u2 > SIM_NFG_SUPPORT_TOL)
                continue;
            if (nfound == capfound) {
                size_t ncap = capfound ? 2 * capfound : 16;
                se_eq *nf = realloc(found, ncap * sizeof *nf);
                if (!nf) {
                    rc = sim_error(err, SIM_E_NOMEM,
                                   "support enumeration: out of memory");
                    goto done;
                }
                found = nf;
                capfound = ncap;
            }
            found[nfound++] = (se_eq){.xi = xi,
                                      .yi = yi,
                                      .sx = support_of(x, m),
                                      .sy = support_of(y, n)};
        }
    }
    if (nfound > 1)
        qsort(found, nfound, sizeof *found, cmp_eq);
    for (size_t k = 0; k < nfound && k < max; k++) {
        memset(&eq[k], 0, sizeof eq[k]);
        for (int i = 0; i < m; i++)
            eq[k].prob[0][i] = xs.mix.v[found[k].xi * (size_t)m + (size_t)i];
        for (int j = 0; j < n; j++)
            eq[k].prob[1][j] = ys.mix.v[found[k].yi * (size_t)n + (size_t)j];
    }
    *count = nfound;
done:
    gsl_matrix_free(ws.M);
    gsl_matrix_free(ws.M0);
    gsl_matrix_free(ws.V);
    gsl_vector_free(ws.S);
    gsl_vector_free(ws.w);
    gsl_vector_free(ws.b);
    gsl_vector_free(ws.sol);
    free(rs);
    free(cs_list);
    free(found);
    free(xs.mix.v);
    free(xs.resp.v);
    free(xs.best.v);
    free(ys.mix.v);
    free(ys.resp.v);
    free(ys.best.v);
    return rc;
}
