/* explore_api.c - the requests of `sanctionsim explore` without sockets
 * (explore_api.h): the page's files, GET /api/levers, POST /api/run (the
 * settings checked by the scenario loader, then a new run of the
 * runner), GET /api/result and GET /api/scenario.cfg; the rate limit,
 * the Host check and every refusal as a JSON error. */
#include "explore_api.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sanctionsim/models.h>

#include "explore_json.h"

static double mono_clock(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- replies ---- */

void explore_reply_text(explore_reply *out, int status, const char *type,
                       char *text, size_t len)
{
    if (!text) {
        static const char oom[] = "{\"error\":\"out of memory\",\"key\":null}";
        out->status = 503;
        out->type = "application/json";
        out->body = oom;
        out->len = sizeof oom - 1;
        return;
    }
    out->status = status;
    out->type = type;
    out->owned = text;
    out->body = text;
    out->len = len;
}

void explore_reply_error(explore_reply *out, int status, const char *msg,
                        const char *key)
{
    jbuf jb = {0};
    size_t len;
    jb_open(&jb, '{');
    jb_kstr(&jb, "error", msg);
    jb_kstr(&jb, "key", key);
    jb_close(&jb, '}');
    char *text = jb_take(&jb, &len);
    explore_reply_text(out, status, "application/json", text, len);
}

void explore_reply_free(explore_reply *r)
{
    free(r->owned);
    memset(r, 0, sizeof *r);
}

/* ---- arguments ---- */

bool explore_form_parse(char *buf, explore_args *args)
{
    char *save = NULL;
    for (char *f = strtok_r(buf, "&", &save); f; f = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(f, '=');
        char *v = eq ? eq + 1 : f + strlen(f);
        if (eq)
            *eq = '\0';
        for (char *p = f; p < v; p++)
            if (*p == '+')
                *p = ' ';
        for (char *p = v; *p; p++)
            if (*p == '+')
                *p = ' ';
        if (MHD_http_unescape(f) != strlen(f) ||
            MHD_http_unescape(v) != strlen(v))
            return false; /* a %00 */
        if (args->n >= EXPLORE_MAX_ARGS) {
            args->overflow = true;
            return false;
        }
        args->arg[args->n].key = f;
        args->arg[args->n].value = v;
        args->n++;
    }
    return true;
}

static const char *arg_value(const explore_args *args, const char *key)
{
    for (int i = 0; args && i < args->n; i++)
        if (!strcmp(args->arg[i].key, key))
            return args->arg[i].value;
    return NULL;
}

/* ---- GET /api/result, /api/scenario.cfg ---- */

/* The run= argument: *id = -1 without one; false (a 400 sent) if it is
 * not a whole number from 1. */
static bool run_arg(const explore_args *args, long *id, explore_reply *out)
{
    const char *v = arg_value(args, "run");
    *id = -1;
    if (!v)
        return true;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || !*v || *end || n < 1 || *v == '+' || *v == ' ') {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "run: a run number from POST /api/run, got '%.80s'", v);
        explore_reply_error(out, 400, msg, "run");
        return false;
    }
    *id = n;
    return true;
}

static void api_result(explore_state *st, const explore_args *args,
                       explore_reply *out)
{
    long id;
    if (!run_arg(args, &id, out))
        return;
    size_t len;
    char *text = explore_runner_result(st->runner, id, &len);
    if (text)
        explore_reply_text(out, 200, "application/json", text, len);
    else if (len)
        explore_reply_error(out, 503, "out of memory", NULL);
    else if (id < 0)
        explore_reply_error(out, 404, "no run yet: POST /api/run starts one", "run");
    else
        explore_reply_error(out, 404, "no such run (only the last few are kept)",
                    "run");
}

static void api_scenario(explore_state *st, const explore_args *args,
                         explore_reply *out)
{
    long id;
    if (!run_arg(args, &id, out))
        return;
    pthread_mutex_lock(&st->mu);
    const explore_recent *best = NULL;
    for (int i = 0; i < EXPLORE_RECENT; i++) {
        const explore_recent *r = &st->recent[i];
        if (r->id && (id < 0 ? !best || r->id > best->id : r->id == id))
            best = r;
    }
    char *text = NULL;
    size_t len = 0;
    if (best || id < 0) { /* without a run: the scenario as loaded */
        /* named "explore", so that `sanctionsim run explore.cfg` writes
         * results/explore, as the page's command does, not the loaded
         * scenario's results */
        sim_scenario *copy = malloc(sizeof *copy);
        FILE *f = copy ? open_memstream(&text, &len) : NULL;
        if (f) {
            *copy = best ? *best->sc : *st->base;
            snprintf(copy->name, sizeof copy->name, "explore");
            sim_scenario_print(copy, f, 0);
            if (fclose(f) != 0) {
                free(text);
                text = NULL;
            }
        }
        free(copy);
    }
    pthread_mutex_unlock(&st->mu);
    if (!best && id >= 0) {
        explore_reply_error(out, 404, "no such run (only the last few are kept)",
                    "run");
        return;
    }
    explore_reply_text(out, 200, "text/plain; charset=utf-8", text, len);
    if (text)
        out->disposition = "attachment; filename=\"explore.cfg\"";
}

/* ---- the server's paths ---- */

static const explore_file *page_file(const char *path)
{
    const char *name = strcmp(path, "/") == 0 ? "index.html" : path + 1;
    for (int i = 0; i < explore_page_nfiles; i++)
        if (!strcmp(explore_page_files[i].name, name))
            return &explore_page_files[i];
    return NULL;
}

/* False (a 429 sent) when the bucket is empty. */
static bool take_token(explore_state *st, explore_reply *out)
{
    pthread_mutex_lock(&st->mu);
    double t = st->clock(st->clock_ctx);
    if (t > st->refilled) /* a clock that went back refills nothing */
        st->tokens += (t - st->refilled) * EXPLORE_RATE;
    if (st->tokens > EXPLORE_BURST)
        st->tokens = EXPLORE_BURST;
    st->refilled = t;
    bool ok = st->tokens >= 1;
    if (ok)
        st->tokens -= 1;
    pthread_mutex_unlock(&st->mu);
    if (!ok)
        explore_reply_error(out, 429, "too many requests: wait a moment", NULL);
    return ok;
}

static bool host_ok(const explore_state *st, const explore_args *args)
{
    if (st->nhosts == 0 || !args || !args->host)
        return true;
    for (int i = 0; i < st->nhosts; i++)
        if (!strcmp(args->host, st->host[i]))
            return true;
    return false;
}

static void method_not_allowed(explore_reply *out, const char *allow)
{
    explore_reply_error(out, 405, "method not allowed", NULL);
    out->allow = allow;
}

void explore_handle(explore_state *st, const char *method, const char *path,
                    const explore_args *args, const char *body, size_t len,
                    explore_reply *out)
{
    memset(out, 0, sizeof *out);
    if (!take_token(st, out))
        return;
    bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    bool post = !strcmp(method, "POST");
    const explore_file *file = path[0] == '/' ? page_file(path) : NULL;
    if (!host_ok(st, args))
        explore_reply_error(out, 403, "this server answers only requests for its "
                              "own address",
                    NULL);
    else if (path[0] != '/')
        explore_reply_error(out, 400, "only paths of this server are served", NULL);
    else if (len > EXPLORE_BODY_MAX)
        explore_reply_error(out, 413, "the request body is larger than 64 KiB", NULL);
    else if (args && args->overflow)
        explore_reply_error(out, 400, "too many arguments", NULL);
    else if (!strcmp(path, "/api/run") && post)
        explore_api_run(st, body, len, out);
    else if (!strcmp(path, "/api/run"))
        method_not_allowed(out, "POST");
    else if (!strcmp(path, "/api/levers") || !strcmp(path, "/api/result") ||
             !strcmp(path, "/api/scenario.cfg") || file) {
        if (!get)
            method_not_allowed(out, "GET, HEAD");
        else if (file) {
            out->status = 200;
            out->type = file->type;
            out->body = (const char *)file->data;
            out->len = file->size;
        } else if (!strcmp(path, "/api/levers")) {
            out->status = 200;
            out->type = "application/json";
            out->body = st->levers;
            out->len = st->levers_len;
        } else if (!strcmp(path, "/api/result"))
            api_result(st, args, out);
        else
            api_scenario(st, args, out);
    } else
        explore_reply_error(out, 404, "no such page", NULL);
}

/* ---- the state ---- */

int explore_state_init(explore_state *st, const char *scenario,
                       const uint64_t *seed, int threads, long max_reps,
                       sim_err *err)
{
    memset(st, 0, sizeof *st);
    pthread_mutex_init(&st->mu, NULL);
    snprintf(st->scenario, sizeof st->scenario, "%s", scenario);
    st->threads = threads < 1 ? 1 : threads;
    st->max_reps = max_reps;
    st->clock = mono_clock;
    st->tokens = EXPLORE_BURST;
    st->refilled = mono_clock(NULL);
    st->base = malloc(sizeof *st->base);
    if (!st->base)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    int rc = sim_scenario_load(st->base, sim_builtin_models(), scenario, NULL,
                               0, NULL, err);
    if (rc)
        return rc;
    st->seed = seed ? *seed : (uint64_t)st->base->seed;
    st->base->seed = (int64_t)st->seed;
    st->levers = explore_levers_json(st, &st->levers_len);
    if (!st->levers)
        return sim_error(err, SIM_E_NOMEM, "out of memory for the levers");
    return explore_runner_new(st->threads, &st->runner, err);
}

void explore_state_free(explore_state *st)
{
    explore_runner_free(st->runner);
    for (int i = 0; i < EXPLORE_RECENT; i++)
        free(st->recent[i].sc);
    free(st->levers);
    free(st->base);
    pthread_mutex_destroy(&st->mu);
    memset(st, 0, sizeof *st);
}

void explore_state_local_hosts(explore_state *st, unsigned port)
{
    static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
    for (int i = 0; i < 3; i++)
        snprintf(st->host[i], sizeof st->host[i], "%s:%u", names[i], port);
    st->nhosts = 3;
}
