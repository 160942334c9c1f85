/* explore_api.h - the requests of `sanctionsim explore`, without sockets:
 * explore_handle takes a request (method, path, arguments, body) and
 * gives the reply (status, content type, body); the HTTP glue (explore.c)
 * only gathers the request and sends the reply, so the unit tests
 * (tests/test_explore.c) call this directly.
 *
 * The paths (the contract between the server and the page):
 *   GET /, /index.html, /explore.js, /explore.css  the page's files
 *   GET /api/levers   {"scenario", "name", "rounds", "seed", "target",
 *       "threads", "groups": [{"name", "label", "levers": [{"path",
 *       "label", "kind": real|int|bool|choice, "value", "min", "max",
 *       "step", "unit", "help", "choices", "restart"}]}]}; offers as bool
 *       levers "offers.<washington|eu>.<instrument>"
 *   POST /api/run     form fields seed=N and repeated set=PATH=VALUE:
 *       {"run", "seed", "target", "command", "warnings"}
 *   GET /api/result[?run=N]  {"run", "state": running|done|cancelled|
 *       failed, "replications", "target", "seed", "rounds", "command",
 *       "seconds", "per_second", "stock" and "base_stock" {"q05", "q25",
 *       "q50", "q75", "q95", "mean"} by round, "releases" {"edges",
 *       "counts", "base_counts"}, "lifted" [{"name", "imposer", "offered",
 *       "p", "base_p"}], "borders" [{"name", "p", "base_p"}], "compare"
 *       [{"metric", "label", "proportion", "mean", "base_mean", "diff",
 *       "lo", "hi", "n"}], "summary" [{"metric", "mean", "n"}]}
 *   GET /api/scenario.cfg[?run=N]  the changed scenario, as a file
 * Errors: {"error": "text", "key": "path" or null} with 400, 403, 404, 405,
 * 413, 429 (or 503 when memory runs out). */
#ifndef SIM_CLI_EXPLORE_API_H
#define SIM_CLI_EXPLORE_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sanctionsim/error.h>
#include <sanctionsim/scenario.h>

#include "explore_page.h"
#include "explore_run.h"

/* The largest request body (POST /api/run). */
#define EXPLORE_BODY_MAX 65536
/* The most arguments a request may carry. */
#define EXPLORE_MAX_ARGS 256
/* The rate limit: a token bucket per server, EXPLORE_RATE requests a
 * second on average, EXPLORE_BURST at once. */
#define EXPLORE_RATE 50.0
#define EXPLORE_BURST 100.0
/* Runs whose scenario GET /api/scenario.cfg can still give. */
#define EXPLORE_RECENT 8

/* One argument: a query argument, or a field of a form body (decoded). */
typedef struct explore_arg {
    const char *key, *value;
} explore_arg;

typedef struct explore_args {
    explore_arg arg[EXPLORE_MAX_ARGS];
    int n;
    bool overflow;    /* more than EXPLORE_MAX_ARGS were given */
    const char *host; /* the Host header, NULL if none */
} explore_args;

/* A reply: body[0..len) (owned, freed by explore_reply_free, or static
 * data of the page). */
typedef struct explore_reply {
    int status;
    const char *type;
    const char *body;
    size_t len;
    char *owned;             /* body, when allocated */
    const char *disposition; /* Content-Disposition, or NULL */
    const char *allow;       /* Allow (405), or NULL */
} explore_reply;

/* Seconds on some clock; the rate limit reads it (tests inject one). */
typedef double (*explore_clock_fn)(void *ctx);

typedef struct explore_recent {
    long id;
    sim_scenario *sc;
} explore_recent;

typedef struct explore_state {
    char scenario[SIM_PATH_MAX]; /* the file as given */
    sim_scenario *base;          /* loaded */
    uint64_t seed;               /* default seed */
    int threads;
    long max_reps; /* a run's replications at most (0: EXPLORE_TARGET) */
    explore_runner *runner;
    char *levers; /* GET /api/levers, made once */
    size_t levers_len;
    pthread_mutex_t mu; /* guards what follows */
    long last_id;
    explore_recent recent[EXPLORE_RECENT];
    double tokens, refilled;
    explore_clock_fn clock;
    void *clock_ctx;
    char host[3][80]; /* Host values accepted (none: any) */
    int nhosts;
} explore_state;

/* Loads the scenario (the loader's error: SIM_E_SCENARIO), makes the
 * levers and starts the runner on `threads` threads; a run stops at
 * max_reps replications (0: EXPLORE_TARGET). seed: the default seed, NULL
 * for the scenario's. */
int explore_state_init(explore_state *st, const char *scenario,
                       const uint64_t *seed, int threads, long max_reps,
                       sim_err *err);
void explore_state_free(explore_state *st);

/* Accepts only requests whose Host is 127.0.0.1:port, localhost:port or
 * [::1]:port (a server bound to the loopback: a page of another site
 * cannot reach it through DNS rebinding). */
void explore_state_local_hosts(explore_state *st, unsigned port);

/* Handles one request; method "GET", "HEAD" or "POST" (others: 405),
 * path as the request line gives it, args its query arguments (and
 * host), body[0..len) the body (only its length is looked at when len >
 * EXPLORE_BODY_MAX: body may then hold less). Never fails: errors are
 * JSON replies with a 4xx or 5xx status. */
void explore_handle(explore_state *st, const char *method, const char *path,
                    const explore_args *args, const char *body, size_t len,
                    explore_reply *out);

void explore_reply_free(explore_reply *r);

/* Decodes an application/x-www-form-urlencoded body in place (buf is
 * NUL-terminated) into args (keys and values point into buf): '+' is a
 * space, %XX a byte (MHD_http_unescape). False if a field decodes to
 * text with a NUL byte or args overflow. */
bool explore_form_parse(char *buf, explore_args *args);

/* The levers JSON of scenario sc (explore_levers.c). */
char *explore_levers_json(const explore_state *st, size_t *len);

/* Appends s to buf[size] as one shell word, quoted if it needs it. */
void explore_shell_word(char *buf, size_t size, const char *s);

/* Shared by explore_api.c and explore_post.c: a reply of `text` (taken;
 * NULL: a 503 "out of memory"), a JSON error reply {"error", "key"}, and
 * POST /api/run. */
void explore_reply_text(explore_reply *out, int status, const char *type,
                        char *text, size_t len);
void explore_reply_error(explore_reply *out, int status, const char *msg,
                         const char *key);
void explore_api_run(explore_state *st, const char *body, size_t len,
                     explore_reply *out);

#endif
