/* nfg_lex.c - the lexer of the .nfg reader: braces, commas, quoted labels
 * (with Gambit's escapes), numbers and bare words, with line numbers for
 * messages (nfg_lex.h). It reads no byte past the end of its buffer. */
#include "nfg_lex.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records "label:line: message" as a scenario error and returns its code. */
int sim_nfg_lex_error(const lexer *lx, int line, const char *fmt, ...)
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
    if (lx->tfull < SIM_NFG_TOKEN_MAX)
        lx->text[lx->tfull] = c;
    lx->tfull++;
    lx->text[lx->tfull < SIM_NFG_TOKEN_MAX ? lx->tfull : SIM_NFG_TOKEN_MAX] = '\0';
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
const char *sim_nfg_lex_describe(const lexer *lx, char *buf, size_t size)
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
int sim_nfg_lex_next(lexer *lx)
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
                return sim_nfg_lex_error(
                    lx, lx->tline,
                    "unterminated string: no closing '\"' for "
                    "the string opened on this line");
            c = lx->s[lx->pos++];
            if (c == '"')
                break;
            if (c == '\0')
                return sim_nfg_lex_error(lx, lx->line,
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
        return sim_nfg_lex_error(lx, lx->line, "unexpected NUL byte");
    } else {
        unsigned char u = (unsigned char)c;
        if (u >= 0x20 && u < 0x7f)
            return sim_nfg_lex_error(lx, lx->line, "unexpected character '%c'",
                                     c);
        return sim_nfg_lex_error(lx, lx->line, "unexpected byte 0x%02x", u);
    }
    lx->last_line = lx->line;
    return 0;
}

/* Parses a decimal in [b, e) with strtod; 0, or -1 if it is not one whole
 * number. The characters were already limited to digits . + - e E. */
static int parse_decimal(const char *b, const char *e, double *v)
{
    char buf[SIM_NFG_NUMBER_MAX + 1];
    size_t n = (size_t)(e - b);
    if (n == 0 || n > SIM_NFG_NUMBER_MAX)
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
int sim_nfg_lex_double(const lexer *lx, double *out)
{
    char d[80];
    const char *t = lx->text;
    if (lx->tfull > SIM_NFG_NUMBER_MAX)
        return sim_nfg_lex_error(
            lx, lx->tline, "bad number %s: longer than %d characters",
            sim_nfg_lex_describe(lx, d, sizeof d), SIM_NFG_NUMBER_MAX);
    const char *slash = strchr(t, '/');
    const char *end = t + strlen(t);
    double num, den = 1.0;
    if (parse_decimal(t, slash ? slash : end, &num) != 0 ||
        (slash && parse_decimal(slash + 1, end, &den) != 0))
        return sim_nfg_lex_error(
            lx, lx->tline,
            "bad number %s: expected an integer, a decimal or "
            "a fraction like 3/2",
            sim_nfg_lex_describe(lx, d, sizeof d));
    if (den == 0.0)
        return sim_nfg_lex_error(lx, lx->tline,
                                 "bad number %s: zero denominator",
                                 sim_nfg_lex_describe(lx, d, sizeof d));
    double v = num / den;
    if (!isfinite(v))
        return sim_nfg_lex_error(lx, lx->tline,
                                 "bad number %s: out of the range of a double",
                                 sim_nfg_lex_describe(lx, d, sizeof d));
    *out = v;
    return 0;
}

/* Reads the current number token as a whole number: 0 and *v, 1 if it is a
 * whole number beyond the range of long (*v clamped), -1 if it is not a
 * whole number. */
int sim_nfg_lex_long(const lexer *lx, long *v)
{
    const char *t = lx->text;
    size_t k = (t[0] == '-' || t[0] == '+') ? 1 : 0;
    if (!t[k])
        return -1;
    for (size_t j = k; t[j]; j++)
        if (!is_digit(t[j]))
            return -1;
    if (lx->tfull > SIM_NFG_TOKEN_MAX) { /* digits beyond what we kept */
        *v = t[0] == '-' ? LONG_MIN : LONG_MAX;
        return 1;
    }
    errno = 0;
    *v = strtol(t, NULL, 10);
    return errno == ERANGE ? 1 : 0;
}

bool sim_nfg_lex_is_word(const lexer *lx, const char *w)
{
    return lx->kind == TK_WORD && strcmp(lx->text, w) == 0;
}
