/* config_int.c - integer literals wider than 32 bits in libconfig text.
 *
 * libconfig 1.5 (Debian 12) reads an integer literal without the `L`
 * suffix into a C int, silently modulo 2^32: `seed = 3000000000;` arrives
 * as -1294967296. A literal with the suffix is a 64-bit integer, but one
 * beyond the 64-bit range saturates, again silently. So, before libconfig
 * reads a text, every integer literal is looked at: one outside the 32-bit
 * range gets the `L` suffix (the text is copied), one outside the 64-bit
 * range is refused with its file and line. The lexical rules followed are
 * libconfig's: comments (#, //, / * * /), strings with backslash escapes,
 * names of letters, digits, '-', '_' and '*', decimal and hexadecimal
 * integers with an optional sign, floats with '.' or an exponent. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

/* Length of the comment or string starting at p (0 if there is none). */
static size_t skip_comment_or_string(const char *p, const char *end)
{
    const char *q = p;
    if (*q == '#' || (q + 1 < end && q[0] == '/' && q[1] == '/')) {
        while (q < end && *q != '\n')
            q++;
    } else if (q + 1 < end && q[0] == '/' && q[1] == '*') {
        q += 2;
        while (q + 1 < end && !(q[0] == '*' && q[1] == '/'))
            q++;
        q = q + 1 < end ? q + 2 : end;
    } else if (*q == '"') {
        for (q++; q < end && *q != '"'; q++)
            if (*q == '\\' && q + 1 < end)
                q++;
        q = q < end ? q + 1 : end;
    }
    return (size_t)(q - p);
}

static bool is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '*';
}

/* The numeric token at p: its length, whether it is an integer (not a
 * float) and whether it already has the L suffix. */
typedef struct number {
    size_t len;       /* the whole token, suffix included */
    size_t digits;    /* sign and digits, without the suffix */
    bool integer;
    bool suffixed;
    bool hex;
} number;

static number scan_number(const char *p, const char *end)
{
    number n = {0};
    const char *q = p;
    if (*q == '+' || *q == '-')
        q++;
    if (q + 1 < end && q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
        n.hex = true;
        for (q += 2; q < end && isxdigit((unsigned char)*q);)
            q++;
    } else {
        while (q < end && isdigit((unsigned char)*q))
            q++;
    }
    n.integer = true;
    if (!n.hex && q < end && (*q == '.' || *q == 'e' || *q == 'E')) {
        n.integer = false;
        while (q < end && (isdigit((unsigned char)*q) || *q == '.' ||
                           *q == 'e' || *q == 'E' ||
                           ((*q == '+' || *q == '-') &&
                            (q[-1] == 'e' || q[-1] == 'E'))))
            q++;
    }
    n.digits = (size_t)(q - p);
    if (n.integer && q < end && *q == 'L') {
        n.suffixed = true;
        q += q + 1 < end && q[1] == 'L' ? 2 : 1;
    }
    n.len = (size_t)(q - p);
    return n;
}

/* The line of p in text (1-based). */
static unsigned line_of(const char *text, const char *p)
{
    unsigned line = 1;
    for (const char *q = text; q < p; q++)
        line += *q == '\n';
    return line;
}

/* Classifies the integer literal p[0..len): 0 fits in 32 bits, 1 needs 64
 * bits, -1 fits in neither. */
static int width_of(const char *p, size_t len, bool hex)
{
    char buf[80];
    if (len >= sizeof buf)
        return -1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    errno = 0;
    char *end;
    long long v = strtoll(buf, &end, hex ? 16 : 10);
    if (errno == ERANGE || *end)
        return -1;
    return (v < INT32_MIN || v > INT32_MAX) ? 1 : 0;
}

/* Appends src[0..n) to the growing buffer *out. */
static int append(char **out, size_t *len, size_t *cap, const char *src,
                  size_t n, sim_err *err)
{
    if (!*out || *len + n + 1 > *cap) {
        size_t c = (*cap ? *cap : 256);
        while (c < *len + n + 1)
            c *= 2;
        char *b = realloc(*out, c);
        if (!b)
            return sim_error(err, SIM_E_NOMEM, "out of memory");
        *out = b;
        *cap = c;
    }
    memcpy(*out + *len, src, n);
    *len += n;
    (*out)[*len] = '\0';
    return 0;
}

int sim_cfg_widen_integers(const char *text, size_t size, const char *label,
                           bool refuse, char **out, sim_err *err)
{
    const char *p = text, *end = text + size, *copied = text;
    size_t len = 0, cap = 0;
    int rc = 0;
    *out = NULL;
    while (!rc && p < end) {
        size_t skip = skip_comment_or_string(p, end);
        if (skip) {
            p += skip;
            continue;
        }
        if (isalpha((unsigned char)*p) || *p == '*' || *p == '_') {
            /* a name, skipped whole so that its digits are not read */
            while (p < end && is_name_char(*p))
                p++;
            continue;
        }
        bool sign = *p == '+' || *p == '-';
        if (!isdigit((unsigned char)*p) &&
            !(sign && p + 1 < end && isdigit((unsigned char)p[1]))) {
            p++;
            continue;
        }
        number n = scan_number(p, end);
        int w = n.integer ? width_of(p, n.digits, n.hex) : 0;
        if (w < 0) {
            rc = sim_error(err, SIM_E_SCENARIO,
                           "%s:%u: the integer %.*s is beyond the 64-bit "
                           "range [-9223372036854775808, "
                           "9223372036854775807]",
                           label, line_of(text, p), (int)n.digits, p);
        } else if (w == 1 && !n.suffixed && refuse) {
            rc = sim_error(err, SIM_E_SCENARIO,
                           "%s:%u: the integer %.*s needs 64 bits: in an "
                           "included file write it as %.*sL",
                           label, line_of(text, p), (int)n.digits, p,
                           (int)n.digits, p);
        } else if (w == 1 && !n.suffixed) {
            rc = append(out, &len, &cap, copied, (size_t)(p - copied) + n.len,
                        err);
            if (!rc)
                rc = append(out, &len, &cap, "L", 1, err);
            copied = p + n.len;
        }
        p += n.len;
    }
    if (!rc)
        rc = append(out, &len, &cap, copied, (size_t)(end - copied), err);
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}
