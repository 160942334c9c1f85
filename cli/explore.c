/* explore.c - `sanctionsim explore`: its options, and the HTTP server
 * (GNU libmicrohttpd, one internal polling thread) that gathers each
 * request (method, path, query arguments, Host, a body of at most 64 KiB)
 * and sends explore_handle's reply (explore_api.c); it stops cleanly on
 * SIGINT or SIGTERM. */
#include "explore.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cliopt.h"
#include "explore_api.h"
#include "lint.h"

const char *const explore_usage =
    "usage: sanctionsim explore [SCENARIO.cfg] [--port P] [--threads N]\n"
    "                           [--seed S] [--bind ADDR] [--max-reps N]\n"
    "\n"
    "Serves a page to explore the scenario in a browser: its main levers "
    "as\n"
    "sliders and switches, and, after each change, replications of the "
    "changed\n"
    "and of the unchanged scenario under one seed (common random numbers) "
    "in\n"
    "the background, up to 20,000 each: the fan chart of the prisoner "
    "stock,\n"
    "the releases, instruments lifted and borders open by round, the "
    "paired\n"
    "differences, and the `sanctionsim run` command that gives the same\n"
    "numbers. The page is built into the program; it needs no network.\n"
    "\n"
    "  SCENARIO.cfg     the scenario (default: scenarios/baseline.cfg)\n"
    "  --port P         the port, 0 for any free one (default: 8765)\n"
    "  --threads N      threads running replications (default: the cores "
    "but\n"
    "                   one, at least 1)\n"
    "  --seed S         the first seed (default: the scenario's `seed`)\n"
    "  --bind ADDR      the IPv4 address to listen on (default: 127.0.0.1, "
    "this\n"
    "                   machine only)\n"
    "  --max-reps N     stop adding replications at N (default and most: "
    "20000;\n"
    "                   fewer for horizons beyond 200 rounds)\n"
    "  -h, --help       this help\n"
    "\n"
    "Prints `explore: serving SCENARIO at http://ADDR:PORT/  (Ctrl-C "
    "stops)`\n"
    "and serves until Ctrl-C (SIGINT), SIGTERM or SIGHUP; exit status 0, "
    "or 2\n"
    "for a usage or scenario error.\n";

typedef struct explore_opts {
    const char *scenario, *bind;
    long port, max_reps;
    int threads;
    uint64_t seed;
    bool have_seed, help;
} explore_opts;

/* One request under way: its body so far (at most EXPLORE_BODY_MAX + 1
 * bytes kept) and its length. */
typedef struct request {
    char *body;
    size_t len, kept;
    bool replied; /* a too large body was answered before its end */
} request;

static int default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN) - 1;
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    (void)kind;
    explore_args *args = cls;
    if (args->n >= EXPLORE_MAX_ARGS) {
        args->overflow = true;
        return MHD_NO;
    }
    args->arg[args->n].key = key;
    args->arg[args->n].value = value ? value : "";
    args->n++;
    return MHD_YES;
}

/* Keeps the body's first EXPLORE_BODY_MAX + 1 bytes, counts them all. */
static bool take_body(request *rq, const char *data, size_t size)
{
    size_t room = EXPLORE_BODY_MAX + 1 - rq->kept;
    size_t n = size < room ? size : room;
    if (n && !rq->body && !(rq->body = malloc(EXPLORE_BODY_MAX + 1)))
        return false;
    if (n)
        memcpy(rq->body + rq->kept, data, n);
    rq->kept += n;
    rq->len += size;
    return true;
}

static enum MHD_Result send_reply(struct MHD_Connection *c,
                                  const explore_reply *rp)
{
    /* MHD copies the body (MUST_COPY) and never writes it: the pointer's
     * const is dropped only for the call's type */
    void *data;
    memcpy(&data, &rp->body, sizeof data);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        rp->len, data, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rp->type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (rp->disposition)
        MHD_add_response_header(resp, "Content-Disposition", rp->disposition);
    if (rp->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rp->allow);
    enum MHD_Result r = MHD_queue_response(c, (unsigned)rp->status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* Answers the request rq of connection c. */
static enum MHD_Result answer(explore_state *st, struct MHD_Connection *c,
                              request *rq, const char *url,
                              const char *method)
{
    explore_args *args = calloc(1, sizeof *args);
    if (!args)
        return MHD_NO;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, args);
    args->host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    explore_reply rp;
    explore_handle(st, method, url, args, rq->body, rq->len, &rp);
    rq->replied = true;
    enum MHD_Result r = send_reply(c, &rp);
    explore_reply_free(&rp);
    free(args);
    return r;
}

/* The request's declared body length, 0 if none. */
static size_t declared_length(struct MHD_Connection *c)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_CONTENT_LENGTH);
    char *end;
    unsigned long long n = v ? strtoull(v, &end, 10) : 0;
    return v && !*end ? (size_t)n : 0;
}

/* MHD calls this with the headers (*con_cls NULL), with each piece of the
 * body, and once more when the body is complete. A body longer than
 * EXPLORE_BODY_MAX is answered 413 as soon as it is known: at the headers
 * if Content-Length says so (MHD accepts a reply only then or after the
 * whole body), else after the body; a chunked body beyond 16 times the
 * limit closes the connection. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    explore_state *st = cls;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        *con_cls = rq;
        if (!rq)
            return MHD_NO;
        rq->len = declared_length(c);
        return rq->len > EXPLORE_BODY_MAX ? answer(st, c, rq, url, method)
                                          : MHD_YES;
    }
    if (rq->replied) { /* the rest of a body too large: dropped */
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rq->kept)
            rq->len = 0; /* counted from here on */
        bool ok = take_body(rq, upload, *upload_size);
        *upload_size = 0;
        return ok && rq->len <= 16 * (size_t)EXPLORE_BODY_MAX ? MHD_YES
                                                              : MHD_NO;
    }
    return answer(st, c, rq, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

static int parse_args(int argc, char **argv, explore_opts *o, sim_err *err)
{
    static const char *const opts[] = {"--port", "--threads", "--seed",
                                       "--bind", "--max-reps", "--help"};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
        } else if (!strcmp(a, "--port")) {
            errno = 0;
            o->port = val ? strtol(val, &end, 10) : -1;
            if (!val || errno || !*val || *end || o->port < 0 ||
                o->port > 65535)
                return sim_error(err, SIM_E_USAGE,
                                 "--port needs a port from 0 (any free one) "
                                 "to 65535, got '%s'",
                                 val ? val : "");
            i++;
        } else if (!strcmp(a, "--max-reps")) {
            errno = 0;
            o->max_reps = val ? strtol(val, &end, 10) : -1;
            if (!val || errno || !*val || *end || o->max_reps < 1 ||
                o->max_reps > EXPLORE_TARGET)
                return sim_error(err, SIM_E_USAGE,
                                 "--max-reps needs a whole number from 1 to "
                                 "%ld, got '%s'",
                                 EXPLORE_TARGET, val ? val : "");
            i++;
        } else if (!strcmp(a, "--threads")) {
            int rc = cli_threads(val, &o->threads, err);
            if (rc)
                return rc;
            i++;
        } else if (!strcmp(a, "--seed")) {
            errno = 0;
            unsigned long long v = val ? strtoull(val, &end, 10) : 0;
            if (!val || errno || !*val || *end || *val == '-' ||
                *val == '+' || v > (unsigned long long)INT64_MAX)
                return sim_error(err, SIM_E_USAGE,
                                 "--seed needs a whole number from 0 to "
                                 "9223372036854775807, got '%s'",
                                 val ? val : "");
            o->seed = (uint64_t)v;
            o->have_seed = true;
            i++;
        } else if (!strcmp(a, "--bind")) {
            if (!val || !*val)
                return sim_error(err, SIM_E_USAGE,
                                 "--bind needs an IPv4 address, e.g. "
                                 "127.0.0.1");
            o->bind = val;
            i++;
        } else if (a[0] == '-' && a[1]) {
            return cli_unknown_option("explore", a, opts,
                                      (int)(sizeof opts / sizeof *opts), err);
        } else if (!o->scenario) {
            o->scenario = a;
        } else {
            return sim_error(err, SIM_E_USAGE,
                             "explore: unexpected argument '%s' (see "
                             "sanctionsim explore --help)",
                             a);
        }
    }
    return 0;
}

/* Starts the server on o's address; *port receives the port bound. */
static struct MHD_Daemon *start_server(const explore_opts *o,
                                       explore_state *st, unsigned *port,
                                       sim_err *err)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->bind, &addr.sin_addr) != 1) {
        sim_error(err, SIM_E_USAGE,
                  "--bind needs an IPv4 address such as 127.0.0.1, got '%s'",
                  o->bind);
        return NULL;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)o->port,
        NULL, NULL, on_request, st, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        32u, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!d) {
        sim_error(err, SIM_E_IO,
                  "cannot serve on %s port %ld (in use? try --port 0)",
                  o->bind, o->port);
        return NULL;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : (unsigned)o->port;
    return d;
}

/* Serves until SIGINT, SIGTERM or SIGHUP (a closed terminal), which
 * every thread blocks and this one waits for. */
static int serve(const explore_opts *o, explore_state *st, sim_err *err)
{
    unsigned port = 0;
    struct MHD_Daemon *d = start_server(o, st, &port, err);
    if (!d)
        return SIM_E_IO;
    struct in_addr a;
    if (inet_pton(AF_INET, o->bind, &a) == 1 &&
        (ntohl(a.s_addr) >> 24) == 127)
        explore_state_local_hosts(st, port);
    printf("explore: serving %s at http://%s:%u/  (Ctrl-C stops)\n",
           o->scenario, o->bind, port);
    if (fflush(stdout) != 0) {
        MHD_stop_daemon(d);
        return sim_error(err, SIM_E_IO, "cannot write to standard output");
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    MHD_stop_daemon(d);
    return 0;
}

int explore_main(int argc, char **argv, sim_err *err)
{
    explore_opts o = {.scenario = NULL, .bind = "127.0.0.1", .port = 8765,
                      .threads = default_threads()};
    int rc = parse_args(argc, argv, &o, err);
    if (rc)
        return rc;
    if (o.help) {
        fputs(explore_usage, stdout);
        return 0;
    }
    if (!o.scenario)
        o.scenario = "scenarios/baseline.cfg";
    /* Block the stop signals before any thread starts: every thread
     * inherits the mask, and serve() takes them with sigwait. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    explore_state *st = calloc(1, sizeof *st);
    if (!st)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    rc = explore_state_init(st, o.scenario, o.have_seed ? &o.seed : NULL,
                            o.threads, o.max_reps, err);
    if (!rc) /* as `run`: warnings on stderr, the page shows them too */
        rc = lint_scenario(o.scenario, NULL, 0, false, false, err);
    if (!rc)
        rc = serve(&o, st, err);
    explore_state_free(st);
    free(st);
    return rc;
}
