/* explore_json.c - JSON text for `sanctionsim explore`: a growing buffer,
 * strings escaped by RFC 8259's rules, numbers that read back exactly. */
#include "explore_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(jbuf *b, const char *text, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->failed = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void jb_raw(jbuf *b, const char *text)
{
    put(b, text, strlen(text));
}

/* A comma before a value or key that follows another. */
static void sep(jbuf *b)
{
    if (b->comma)
        put(b, ",", 1);
    b->comma = true;
}

void jb_open(jbuf *b, char c)
{
    sep(b);
    put(b, &c, 1);
    b->comma = false;
}

void jb_close(jbuf *b, char c)
{
    put(b, &c, 1);
    b->comma = true;
}

/* The string s quoted, with '"', '\\' and control characters escaped;
 * '<' too, so that no "</script>" can appear in the text. */
static void quoted(jbuf *b, const char *s)
{
    put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            put(b, esc, 2);
        } else if (*p == '\n') {
            put(b, "\\n", 2);
        } else if (*p < 0x20 || *p == 0x7f || *p == '<') {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            put(b, esc, 6);
        } else {
            put(b, (const char *)p, 1);
        }
    }
    put(b, "\"", 1);
}

void jb_key(jbuf *b, const char *key)
{
    sep(b);
    quoted(b, key);
    put(b, ":", 1);
    b->comma = false;
}

void jb_str(jbuf *b, const char *s)
{
    if (!s) {
        jb_null(b);
        return;
    }
    sep(b);
    quoted(b, s);
}

void jb_format_number(char *buf, size_t size, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v == 0 ? 0.0 : v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void jb_num(jbuf *b, double v)
{
    if (!isfinite(v)) {
        jb_null(b);
        return;
    }
    char buf[40];
    jb_format_number(buf, sizeof buf, v);
    sep(b);
    jb_raw(b, buf);
}

void jb_int(jbuf *b, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    sep(b);
    jb_raw(b, buf);
}

void jb_bool(jbuf *b, bool v)
{
    sep(b);
    jb_raw(b, v ? "true" : "false");
}

void jb_null(jbuf *b)
{
    sep(b);
    jb_raw(b, "null");
}

void jb_kstr(jbuf *b, const char *key, const char *s)
{
    jb_key(b, key);
    jb_str(b, s);
}

void jb_knum(jbuf *b, const char *key, double v)
{
    jb_key(b, key);
    jb_num(b, v);
}

void jb_kint(jbuf *b, const char *key, long long v)
{
    jb_key(b, key);
    jb_int(b, v);
}

void jb_kbool(jbuf *b, const char *key, bool v)
{
    jb_key(b, key);
    jb_bool(b, v);
}

void jb_knums(jbuf *b, const char *key, const double *v, int n)
{
    jb_key(b, key);
    jb_open(b, '[');
    for (int i = 0; i < n; i++)
        jb_num(b, v[i]);
    jb_close(b, ']');
}

char *jb_take(jbuf *b, size_t *len)
{
    char *s = b->failed ? NULL : b->s;
    if (len)
        *len = s ? b->len : 0;
    if (!s)
        free(b->s);
    memset(b, 0, sizeof *b);
    return s;
}

void jb_free(jbuf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}
