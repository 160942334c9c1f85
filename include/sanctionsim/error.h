/* error.h - status codes and the message buffer every library call reports to.
 *
 * Library functions return 0 on success or a negative SIM_E_* code, and write
 * a human-readable message into a caller-owned sim_err. Nothing here prints
 * or exits: the CLI decides what to do with the message. */
#ifndef SIM_ERROR_H
#define SIM_ERROR_H

#include <stddef.h>

#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: code name, exit class (2 = usage/scenario, 1 = run time), text. */
#define SIM_ERRORS(X)                                                         \
    X(SIM_E_USAGE, 2, "usage error")                                          \
    X(SIM_E_SCENARIO, 2, "scenario error")                                    \
    X(SIM_E_IO, 1, "input/output error")                                      \
    X(SIM_E_NOMEM, 1, "out of memory")                                        \
    X(SIM_E_NUMERIC, 1, "numerical failure")                                  \
    X(SIM_E_INTERRUPTED, 1, "interrupted")                                    \
    X(SIM_E_INTERNAL, 1, "internal error")                                    \
    X(SIM_E_EXISTS, 2, "result directory exists")

enum sim_status {
    SIM_OK = 0,
#define SIM_ERR_ENUM(name, exit_class, text) name##_,
    SIM_ERRORS(SIM_ERR_ENUM)
#undef SIM_ERR_ENUM
};

/* Negative public codes: SIM_E_USAGE == -1, and so on. */
#define SIM_ERR_CODE(name, exit_class, text) name = -(int)name##_,
enum sim_error_code { SIM_ERRORS(SIM_ERR_CODE) };
#undef SIM_ERR_CODE

/* A message buffer; msg[0] == '\0' means no message. Owned by the caller. */
typedef struct sim_err {
    int code;
    char msg[SIM_ERR_MSG_MAX];
} sim_err;

/* Records code and a printf-style message in err (which may be NULL) and
 * returns code, so callers can write `return sim_error(err, SIM_E_IO, ...)`.
 * This is the one place every library error passes through. */
int sim_error(sim_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes the system's text for errno value `errnum` into buf and returns
 * buf: a thread-safe strerror (POSIX strerror_r), for messages. */
const char *sim_errno_text(int errnum, char *buf, size_t size);

/* sim_errno_text into a buffer that lives until the end of the enclosing
 * block (a compound literal): for an argument of sim_error. */
#define SIM_ERRNO_TEXT(errnum) sim_errno_text((errnum), (char[128]){""}, 128)

/* Short description of a code ("scenario error"); never NULL. */
const char *sim_strerror(int code);

/* Process exit status for a code: 0 for SIM_OK, 2 for usage and scenario
 * errors, 1 for everything that goes wrong at run time. */
int sim_exit_status(int code);

/* Turns off GSL's aborting error handler, once per process (pthread_once,
 * so threads may call it together). Every library function that calls a
 * GSL routine able to report an error (allocations, the minimizer, root
 * finding, linear algebra) calls this first, so a caller need not: the
 * library checks GSL's status codes itself. GSL's handler is one global of
 * the process; a program that installs its own handler after the
 * library's first use receives the library's GSL errors too. */
void sim_error_quiet_gsl(void);

#ifdef __cplusplus
}
#endif

#endif
