/* error.c - the single reporting point for library errors. */
#include "error.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>

int sim_error(sim_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
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

int sim_exit_status(int code)
{
    switch (code) {
    case SIM_OK:
        return 0;
#define SIM_ERR_EXIT(name, exit_class, text)                                 \
    case name:                                                               \
        return exit_class;
        SIM_ERRORS(SIM_ERR_EXIT)
#undef SIM_ERR_EXIT
    default:
        return 1;
    }
}

void sim_error_quiet_gsl(void) { gsl_set_error_handler_off(); }
