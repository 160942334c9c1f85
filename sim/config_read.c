/* config_read.c - opens and parses a libconfig file or string for the
 * loaders: regular files only, every @include target checked before
 * libconfig follows it, and parse errors said in words a scenario author
 * can act on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config_int.h"
#include "config_util_impl.h"

static int parse_error(const config_t *cfg, const char *label, sim_err *err)
{
    const char *f = config_error_file(cfg);
    const char *text = config_error_text(cfg);
    /* libconfig's parser says only "syntax error", and at the line where it
     * gave up, which may be after the slip: say what to look for. */
    if (text && strcmp(text, "syntax error") == 0)
        return sim_error(err, SIM_E_SCENARIO,
                         "%s:%d: syntax error (look on this line or above "
                         "for a missing '=', a missing ',' between list "
                         "entries, a string without double quotes, or an "
                         "unclosed brace, parenthesis or quote)",
                         f ? f : label, config_error_line(cfg));
    if (text && strcmp(text, "duplicate setting name") == 0)
        return sim_error(err, SIM_E_SCENARIO,
                         "%s:%d: a key on this line is already set earlier "
                         "in the same group (each key may appear once; to "
                         "change a value of another scenario, build on it: "
                         "base = \"that.cfg\";)",
                         f ? f : label, config_error_line(cfg));
    return sim_error(err, SIM_E_SCENARIO, "%s:%d: syntax error: %s",
                     f ? f : label, config_error_line(cfg),
                     text ? text : "unknown");
}

/* Reads the whole of f (labelled path) into *text (malloc'd, with a
 * terminating NUL) and its length into *size. Returns 0; SIM_E_SCENARIO
 * naming path if it cannot be read or holds a NUL byte; SIM_E_NOMEM. */
static int read_all(FILE *f, const char *path, char **text, size_t *size,
                    sim_err *err)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    if (!buf)
        return sim_error(err, SIM_E_NOMEM, "%s: out of memory reading it",
                         path);
    for (;;) {
        if (cap - len < 2) {
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                return sim_error(err, SIM_E_NOMEM,
                                 "%s: out of memory reading it", path);
            }
            buf = b;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    buf[len] = '\0';
    if (ferror(f)) {
        int e = errno;
        free(buf);
        return sim_error(err, SIM_E_SCENARIO, "%s: cannot read: %s", path,
                         e ? SIM_ERRNO_TEXT(e) : "read error");
    }
    if (memchr(buf, '\0', len)) {
        free(buf);
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: holds a NUL byte: not a text file", path);
    }
    *text = buf;
    *size = len;
    return 0;
}

/* The file name of the @include directive at p (end: the text's end), as
 * libconfig 1.5's scanner reads it: the directive is `@include`, blanks,
 * then a string in double quotes in which a backslash takes the next
 * character literally (\" is a quote, \\ a backslash) and which may span
 * lines. Returns the length written to name (NUL-terminated, at most size
 * - 1), -1 if p holds no directive, -2 if the name does not fit, or -3 if
 * its string is not closed (libconfig 1.5 then skips the directive and
 * the rest of the file without a word). *lines gets the number of line
 * breaks inside the name. */
static int include_name(const char *p, const char *end, char *name,
                        size_t size, unsigned *lines)
{
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    if ((size_t)(end - q) < 9 || memcmp(q, "@include", 8) != 0 ||
        (q[8] != ' ' && q[8] != '\t'))
        return -1;
    q += 8;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    if (q == end || *q != '"')
        return -1;
    size_t n = 0;
    *lines = 0;
    for (q++; q < end && *q != '"'; q++) {
        if (*q == '\\' && q + 1 < end)
            q++;
        *lines += *q == '\n';
        if (n + 1 >= size)
            return -2;
        name[n++] = *q;
    }
    if (q == end)
        return -3;
    name[n] = '\0';
    return (int)n;
}

/* libconfig 1.5 opens an @include target with fopen and reads it with
 * flex: for a directory the read fails and flex's fatal-error handler exits
 * the process ("input in flex scanner failed"), and a FIFO or a terminal
 * blocks. So every `@include "file"` directive of `in` (it starts a line)
 * is checked before libconfig reads the text, and so are those of the files
 * it includes, as deep as libconfig nests them (10). The file name is read
 * as libconfig reads it (include_name: escapes, several lines), and a path
 * is resolved as libconfig resolves it: joined to dir, the include
 * directory, if there is one (even an absolute path), else as it is.
 * Returns 0, or SIM_E_SCENARIO naming label and line if a target exists but
 * is not a regular file, if its name's string is not closed, if its path
 * is too long to check (SIM_PATH_MAX), or if it cannot be examined for
 * another reason than not existing; a target that does not exist is left
 * to libconfig's "cannot open include file". */
static int check_includes(FILE *in, const char *label, const char *dir,
                          int depth, sim_err *err)
{
    size_t len = 0;
    char *text = NULL;
    /* A read error (e.g. /proc/self/mem) is reported here: libconfig's
     * scanner would exit the process ("input in flex scanner failed"). */
    int rc = read_all(in, label, &text, &len, err);
    if (rc)
        return rc;
    /* An included file is read by libconfig itself: a literal that it
     * would wrap cannot be widened, so it is refused (config_int.c). */
    char *copy = NULL;
    if (depth > 0 &&
        (rc = sim_cfg_widen_integers(text, len, label, true, &copy, err))) {
        free(text);
        return rc;
    }
    free(copy);
    const char *end = text + len;
    unsigned lineno = 1;
    for (const char *p = text; rc == 0 && p < end; lineno++) {
        char name[SIM_PATH_MAX], path[SIM_PATH_MAX];
        unsigned inner = 0;
        int n = include_name(p, end, name, sizeof name, &inner);
        int w = n < 0 ? -1
                : dir ? snprintf(path, sizeof path, "%s/%s", dir, name)
                      : snprintf(path, sizeof path, "%s", name);
        struct stat st;
        int serr = n >= 0 && w >= 0 && (size_t)w < sizeof path &&
                           stat(path, &st) != 0
                       ? errno
                       : 0;
        if (n == -2 || (n >= 0 && (w < 0 || (size_t)w >= sizeof path))) {
            rc = sim_error(err, SIM_E_SCENARIO,
                           "%s:%u: @include: the file name is too long "
                           "(at most %d bytes with its folder)",
                           label, lineno, SIM_PATH_MAX - 1);
        } else if (n == -3) {
            rc = sim_error(err, SIM_E_SCENARIO,
                           "%s:%u: @include: the file name has no closing "
                           "double quote",
                           label, lineno);
        } else if (n < 0 || serr == ENOENT) {
            /* no directive, or left to libconfig */
        } else if (serr) {
            rc = sim_error(err, SIM_E_SCENARIO,
                           "%s:%u: @include \"%s\": cannot examine %s: %s",
                           label, lineno, name, path, SIM_ERRNO_TEXT(serr));
        } else if (!S_ISREG(st.st_mode)) {
            rc = sim_error(err, SIM_E_SCENARIO,
                           "%s:%u: @include \"%s\": %s is a directory or "
                           "device, not a scenario file",
                           label, lineno, name, path);
        } else if (depth + 1 < 10) {
            FILE *f = fopen(path, "r");
            if (f) {
                rc = check_includes(f, path, dir, depth + 1, err);
                fclose(f);
            }
        }
        /* on to the next line (past the name's own line breaks) */
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        lineno += n >= 0 ? inner : 0;
        for (unsigned k = 0; nl && n >= 0 && k < inner; k++)
            nl = memchr(nl + 1, '\n', (size_t)(end - nl - 1));
        p = nl ? nl + 1 : end;
    }
    free(text);
    return rc;
}

/* check_includes on a string (labelled label); includes resolve against
 * dir, or the working directory if dir is NULL, as libconfig's
 * config_read_string does without an include directory. */
static int check_includes_text(const char *text, const char *label,
                               const char *dir, sim_err *err)
{
    if (!text[0])
        return 0;
    /* fmemopen does not write to the buffer in mode "r" */
    FILE *in = fmemopen((void *)text, strlen(text), "r");
    if (!in)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    int rc = check_includes(in, label, dir, 0, err);
    fclose(in);
    return rc;
}

/* Opens path for reading if it is a regular file. stat comes first:
 * opening a FIFO would block, and libconfig's scanner exits on a
 * directory. */
static int open_regular(const char *path, FILE **f, sim_err *err)
{
    struct stat st;
    *f = NULL;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: is a directory or device, not a scenario file",
                         path);
    *f = fopen(path, "r");
    if (!*f)
        return sim_error(err, SIM_E_SCENARIO,
                         "%s: cannot read the scenario file: %s", path,
                         SIM_ERRNO_TEXT(errno));
    return 0;
}

/* Parses text (labelled label; includes from dir unless it is NULL) into
 * cfg, its wide integer literals widened first. */
static int parse_text(config_t *cfg, const char *text, size_t size,
                      const char *label, const char *dir, sim_err *err)
{
    char *wide;
    int rc = sim_cfg_widen_integers(text, size, label, false, &wide, err);
    if (!rc)
        rc = check_includes_text(wide, label, dir, err);
    if (!rc) {
        if (dir)
            config_set_include_dir(cfg, dir);
        if (config_read_string(cfg, wide) != CONFIG_TRUE)
            rc = parse_error(cfg, label, err);
    }
    free(wide);
    return rc;
}

int sim_cfg_read_file(config_t *cfg, const char *path, bool include_beside,
                      sim_err *err)
{
    config_init(cfg);
    FILE *f = NULL;
    int rc = open_regular(path, &f, err);
    if (rc)
        return rc;
    char *text = NULL;
    size_t size = 0;
    rc = read_all(f, path, &text, &size, err);
    fclose(f);
    if (rc)
        return rc;
    /* Include directives resolve relative to the file's folder. */
    char dir[SIM_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = include_beside ? strrchr(dir, '/') : NULL;
    if (slash)
        *slash = '\0';
    rc = parse_text(cfg, text, size, path, slash ? dir : NULL, err);
    free(text);
    return rc;
}

int sim_cfg_read_string(config_t *cfg, const char *text, const char *label,
                        sim_err *err)
{
    config_init(cfg);
    return parse_text(cfg, text, strlen(text), label, NULL, err);
}
