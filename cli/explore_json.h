/* explore_json.h - JSON text for `sanctionsim explore`: a growing buffer
 * with strings escaped (RFC 8259) and numbers in the shortest form that
 * reads back exactly (NaN and infinities as null). */
#ifndef SIM_CLI_EXPLORE_JSON_H
#define SIM_CLI_EXPLORE_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef struct jbuf {
    char *s;     /* NUL-terminated text; NULL until the first write */
    size_t len, cap;
    bool failed; /* an allocation failed: the text is incomplete */
    bool comma;  /* the next value or key needs a comma before it */
} jbuf;

/* Appends raw text (no comma handling). */
void jb_raw(jbuf *b, const char *text);
/* Opens/closes an object or array ('{', '}', '[', ']'). */
void jb_open(jbuf *b, char c);
void jb_close(jbuf *b, char c);
/* A key of the open object, with its ':'. */
void jb_key(jbuf *b, const char *key);
/* Values (after a key, or in an array). */
void jb_str(jbuf *b, const char *s);  /* NULL: null */
void jb_num(jbuf *b, double v);       /* not finite: null */
void jb_int(jbuf *b, long long v);
void jb_bool(jbuf *b, bool v);
void jb_null(jbuf *b);
/* key: value, in one call. */
void jb_kstr(jbuf *b, const char *key, const char *s);
void jb_knum(jbuf *b, const char *key, double v);
void jb_kint(jbuf *b, const char *key, long long v);
void jb_kbool(jbuf *b, const char *key, bool v);
/* An array of n numbers under key. */
void jb_knums(jbuf *b, const char *key, const double *v, int n);

/* Takes the text (malloc'ed; NULL if an allocation failed) and empties
 * b. */
char *jb_take(jbuf *b, size_t *len);
void jb_free(jbuf *b);

/* Writes the number v in the shortest of %.15g, %.16g, %.17g that reads
 * back as v, into buf (at least 32 bytes). */
void jb_format_number(char *buf, size_t size, double v);

#endif
