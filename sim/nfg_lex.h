/* nfg_lex.h - private to the .nfg reader: the tokens of Gambit's .nfg
 * format over a byte buffer (nfg_lex.c), read by the parser in nfg_read.c. */
#ifndef SIM_NFG_LEX_H
#define SIM_NFG_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include <sanctionsim/error.h>

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
    enum tok_kind kind;
    int tline;                /* line the token starts on */
    char text[SIM_NFG_TOKEN_MAX + 1]; /* decoded text, NUL-terminated, truncated */
    size_t tfull;             /* decoded length before truncation */
} lexer;

/* Records "label:line: message" as a scenario error and returns its code. */
__attribute__((format(printf, 3, 4))) int
sim_nfg_lex_error(const lexer *lx, int line, const char *fmt, ...);

/* A printable rendering of the current token for messages, in buf (size
 * bytes) or a constant string; returns it. */
const char *sim_nfg_lex_describe(const lexer *lx, char *buf, size_t size);

/* Moves to the next token. Returns 0, or a scenario error for an
 * unterminated string or a character that starts no token. */
int sim_nfg_lex_next(lexer *lx);

/* Converts the current number token: an integer, a decimal (optionally with
 * an exponent) or a rational p/q. Returns 0, or a scenario error naming the
 * token and what is wrong with it. */
int sim_nfg_lex_double(const lexer *lx, double *out);

/* Reads the current number token as a whole number: 0 and *v, 1 if it is a
 * whole number beyond the range of long (*v clamped), -1 if it is not a
 * whole number. */
int sim_nfg_lex_long(const lexer *lx, long *v);

/* Whether the current token is the bare word w. */
bool sim_nfg_lex_is_word(const lexer *lx, const char *w);

#endif
