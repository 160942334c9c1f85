/* error.c - the single reporting point for library errors. */
#include <sanctionsim/error.h>

#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Rewrites msg with every control character (below 0x20, and DEL) as
 * \xHH, cut to the buffer's size: a message quotes names and values from
 * input files, and a terminal escape sequence in one must not reach the
 * user's terminal. */
static void escape_controls(char *msg, size_t size)
{
    size_t i = 0;
    while (msg[i] && !((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f))
        i++;
    if (!msg[i])
        return;
    char text[SIM_ERR_MSG_MAX];
    snprintf(text, sizeof text, "%s", msg + i);
    size_t o = i;
    for (const char *p = text; *p && o + 1 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f) {
            if (o + 5 > size)
                break;
            snprintf(msg + o, 5, "\\x%02x", c);
            o += 4;
        } else {
            msg[o++] = (char)c;
        }
    }
    msg[o] = '\0';
}

int sim_error(sim_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        escape_controls(err->msg, sizeof err->msg);
    }
    return code;
}

const char *sim_errno_text(int errnum, char *buf, size_t size)
{
    /* The POSIX strerror_r (this file is built with _POSIX_C_SOURCE and
     * without _GNU_SOURCE) fills buf and returns 0, or an error number for
     * an unknown errnum or a short buffer. */
    if (size == 0)
        return buf;
    if (strerror_r(errnum, buf, size) != 0)
        snprintf(buf, size, "error %d", errnum);
    return buf;
}

const char *sim_strerror(int code)
{
    switch (code) {
    case SIM_OK:
        return "success";
#define SIM_ERR_TEXT(name, exit_class, text)                                 \
    case name:                                                               \
        return text;
        SIM_ERRORS(SIM_ERR_TEXT)
#undef SIM_ERR_TEXT
    default:
        return "unknown error";
    }
}

/* Exit status of each code, indexed by -code: SIM_OK first, then the
 * X-macro list in order (SIM_E_USAGE == -1 is entry 1). A table rather than
 * a switch, whose generated cases would repeat the same two returns. */
static const int exit_classes[] = {
    0,
#define SIM_ERR_EXIT(name, exit_class, text) exit_class,
    SIM_ERRORS(SIM_ERR_EXIT)
#undef SIM_ERR_EXIT
};

int sim_exit_status(int code)
{
    const int n = (int)(sizeof exit_classes / sizeof exit_classes[0]);
    if (code > 0 || code <= -n)
        return 1; /* not a code of ours: a run-time failure */
    return exit_classes[-code];
}

static void quiet_gsl(void) { gsl_set_error_handler_off(); }

void sim_error_quiet_gsl(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, quiet_gsl);
}
