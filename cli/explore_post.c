/* explore_post.c - POST /api/run of `sanctionsim explore`: the form's
 * seed and settings (set=PATH=VALUE, offers.<actor>.<instrument> folded
 * into the actor's `offers` list), checked by the scenario loader itself
 * (its message and the key in a 400), then a new run of the runner with
 * the command that repeats it and the sensible-range warnings. */
#include "explore_api.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/models.h>

#include "explore_json.h"

/* The directory the shown command writes to. */
#define EXPLORE_OUTDIR "results/explore"

/* Seeds run from 0 to 2^63 - 1, as the scenario's `seed` key. */
static bool parse_seed(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-' || *s == '+' || *s == ' ')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > (unsigned long long)INT64_MAX)
        return false;
    *out = (uint64_t)v;
    return true;
}

void explore_shell_word(char *buf, size_t size, const char *s)
{
    size_t len = strlen(buf);
    bool plain = *s != '\0';
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789_-./=:,+@%",
                     *p))
            plain = false;
    if (plain) {
        snprintf(buf + len, size - len, "%s", s);
        return;
    }
    /* '...' with each ' written as '\'' */
    char *o = buf + len, *end = buf + size - 1;
    if (o < end)
        *o++ = '\'';
    for (const char *p = s; *p && o + 4 < end; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    if (o < end)
        *o++ = '\'';
    *o = '\0';
}

/* ---- POST /api/run ---- */

/* The settings of a run: the --set texts, offers folded into lists. */
typedef struct settings {
    uint64_t seed;
    const char *set[SIM_MAX_SETS];
    char offers[2][SIM_TEXT_MAX]; /* washington, eu */
    int nsets;
    /* offers.<actor>.<instrument> asked: -1 unchanged, 0 off, 1 on */
    signed char offer[2][SIM_MAX_INSTRUMENTS];
} settings;

static const int offer_actor[2] = {SIM_ACTOR_WASHINGTON, SIM_ACTOR_EU};

/* Reads offers.<actor>.<instrument>=true|false into s. */
static int offer_set(const explore_state *st, settings *s, const char *path,
                     const char *value, explore_reply *out)
{
    const sim_scenario *sc = st->base;
    const char *dot = strchr(path + 7, '.');
    int a = -1;
    for (int k = 0; k < 2 && dot; k++)
        if ((size_t)(dot - path - 7) == strlen(sim_actor_name(offer_actor[k])) &&
            !strncmp(path + 7, sim_actor_name(offer_actor[k]),
                     (size_t)(dot - path - 7)))
            a = k;
    int i = a >= 0 ? sim_scenario_instrument(sc, dot + 1) : -1;
    char msg[SIM_TEXT_MAX + SIM_PATH_MAX];
    if (i < 0 || (int)sc->instrument[i].imposer !=
                     sim_actor_imposer(offer_actor[a])) {
        snprintf(msg, sizeof msg,
                 "%s: write offers.washington.<instrument> or "
                 "offers.eu.<instrument>, for an instrument that actor "
                 "imposes",
                 path);
        explore_reply_error(out, 400, msg, path);
        return -1;
    }
    if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0) {
        snprintf(msg, sizeof msg, "%s: true or false, got '%.100s'", path,
                 value);
        explore_reply_error(out, 400, msg, path);
        return -1;
    }
    s->offer[a][i] = (signed char)(value[0] == 't' ? 1 : 0);
    return 0;
}

/* Folds the offers asked into actors.<actor>.offers=[...] settings. */
static void offers_fold(const explore_state *st, settings *s)
{
    const sim_scenario *sc = st->base;
    for (int a = 0; a < 2; a++) {
        bool any = false;
        for (int i = 0; i < sc->n_instruments; i++)
            any |= s->offer[a][i] >= 0;
        if (!any)
            continue;
        char *t = s->offers[a];
        snprintf(t, SIM_TEXT_MAX, "actors.%s.offers=[",
                 sim_actor_name(offer_actor[a]));
        bool first = true;
        for (int i = 0; i < sc->n_instruments; i++) {
            const sim_instrument_spec *in = &sc->instrument[i];
            bool on = s->offer[a][i] >= 0 ? s->offer[a][i] == 1 : !in->withheld;
            if ((int)in->imposer != sim_actor_imposer(offer_actor[a]) || !on)
                continue;
            size_t len = strlen(t);
            snprintf(t + len, SIM_TEXT_MAX - len, "%s\"%s\"", first ? "" : ",",
                     in->name);
            first = false;
        }
        size_t len = strlen(t);
        snprintf(t + len, SIM_TEXT_MAX - len, "]");
        s->set[s->nsets++] = t;
    }
}

/* Reads the form's fields into s; on a bad one replies 400. */
static int read_form(const explore_state *st, const explore_args *form,
                     settings *s, explore_reply *out)
{
    memset(s->offer, -1, sizeof s->offer);
    s->seed = st->seed;
    for (int k = 0; k < form->n; k++) {
        const char *key = form->arg[k].key, *v = form->arg[k].value;
        char msg[SIM_TEXT_MAX];
        if (!strcmp(key, "seed")) {
            if (parse_seed(v, &s->seed))
                continue;
            snprintf(msg, sizeof msg,
                     "seed: a whole number from 0 to 9223372036854775807, "
                     "got '%.100s'",
                     v);
            explore_reply_error(out, 400, msg, "seed");
            return -1;
        }
        if (strcmp(key, "set") != 0) {
            snprintf(msg, sizeof msg,
                     "unknown field '%.100s' (fields: seed, set)", key);
            explore_reply_error(out, 400, msg, NULL);
            return -1;
        }
        const char *eq = strchr(v, '=');
        if (!eq || eq == v) {
            snprintf(msg, sizeof msg,
                     "set=%.200s: write set=PATH=VALUE, e.g. "
                     "set=actors.minsk.discount=0.95",
                     v);
            explore_reply_error(out, 400, msg, NULL);
            return -1;
        }
        if (!strncmp(v, "offers.", 7)) {
            char path[SIM_PATH_MAX];
            snprintf(path, sizeof path, "%.*s", (int)(eq - v), v);
            if (offer_set(st, s, path, eq + 1, out))
                return -1;
        } else if (s->nsets >= SIM_MAX_SETS - 2) {
            snprintf(msg, sizeof msg, "at most %d settings", SIM_MAX_SETS - 2);
            explore_reply_error(out, 400, msg, NULL);
            return -1;
        } else {
            s->set[s->nsets++] = v;
        }
    }
    offers_fold(st, s);
    return 0;
}

/* The key of the setting the loader's message names (the longest whose
 * text it quotes), or NULL. */
static void error_key(const settings *s, const char *msg, char *key,
                      size_t size)
{
    size_t best = 0;
    key[0] = '\0';
    for (int i = 0; i < s->nsets; i++) {
        size_t n = strlen(s->set[i]);
        if (n > best && strstr(msg, s->set[i])) {
            best = n;
            const char *eq = strchr(s->set[i], '=');
            snprintf(key, size, "%.*s", (int)(eq - s->set[i]), s->set[i]);
        }
    }
}

typedef struct warnings {
    jbuf *jb;
} warnings;

static void on_warning(void *ctx, const char *message)
{
    warnings *w = ctx;
    jb_str(w->jb, message);
}

/* The command of a run, before and after its "-n N". */
static void run_command(const explore_state *st, const settings *s,
                        char *head, size_t hsize, jbuf *tail)
{
    snprintf(head, hsize, "sanctionsim run ");
    explore_shell_word(head, hsize, st->scenario);
    size_t len = strlen(head);
    snprintf(head + len, hsize - len, " --seed %" PRIu64, s->seed);
    for (int i = 0; i < s->nsets; i++) {
        char word[SIM_PATH_MAX + SIM_TEXT_MAX + 16] = "";
        explore_shell_word(word, sizeof word, s->set[i]);
        jb_raw(tail, "--set ");
        jb_raw(tail, word);
        jb_raw(tail, " ");
    }
    jb_raw(tail, "-o " EXPLORE_OUTDIR);
}

/* Remembers run id's scenario (taking sc) for GET /api/scenario.cfg. */
static void remember(explore_state *st, long id, sim_scenario *sc)
{
    explore_recent *slot = &st->recent[0];
    for (int i = 0; i < EXPLORE_RECENT; i++)
        if (st->recent[i].id < slot->id)
            slot = &st->recent[i];
    free(slot->sc);
    slot->id = id;
    slot->sc = sc;
}

/* The 200 answer of a new run. */
static void run_reply(const explore_state *st, long id, const settings *s,
                      const char *head, const char *tail, long target,
                      explore_reply *out)
{
    jbuf jb = {0};
    char n[48];
    snprintf(n, sizeof n, " -n %ld ", target);
    jb_open(&jb, '{');
    jb_kint(&jb, "run", id);
    jb_kint(&jb, "seed", (long long)s->seed);
    jb_kint(&jb, "target", target);
    jbuf cmd = {0};
    jb_raw(&cmd, head);
    jb_raw(&cmd, n);
    jb_raw(&cmd, tail);
    jb_kstr(&jb, "command", cmd.s ? cmd.s : "");
    jb_free(&cmd);
    jb_key(&jb, "warnings");
    jb_open(&jb, '[');
    warnings w = {&jb};
    sim_err err = {0};
    if (sim_scenario_lint(st->scenario, s->set, s->nsets, on_warning, &w,
                          &err) < 0)
        jb_str(&jb, err.msg);
    jb_close(&jb, ']');
    jb_close(&jb, '}');
    size_t len;
    char *text = jb_take(&jb, &len);
    explore_reply_text(out, 200, "application/json", text, len);
}

void explore_api_run(explore_state *st, const char *body, size_t len,
                    explore_reply *out)
{
    char *buf = malloc(len + 1);
    explore_args *form = calloc(1, sizeof *form);
    settings *s = calloc(1, sizeof *s);
    sim_scenario *sc = malloc(sizeof *sc);
    jbuf tail = {0};
    if (!buf || !form || !s || !sc) {
        explore_reply_error(out, 503, "out of memory", NULL);
        goto done;
    }
    if (len)
        memcpy(buf, body, len);
    buf[len] = '\0';
    if ((len && memchr(body, '\0', len)) || !explore_form_parse(buf, form)) {
        explore_reply_error(out, 400,
                    form->overflow ? "too many fields"
                                   : "the body is not a form "
                                     "(application/x-www-form-urlencoded)",
                    NULL);
        goto done;
    }
    if (read_form(st, form, s, out))
        goto done;
    sim_err err = {0};
    if (sim_scenario_load(sc, sim_builtin_models(), st->scenario, s->set,
                          s->nsets, NULL, &err) != 0) {
        char key[SIM_PATH_MAX];
        error_key(s, err.msg, key, sizeof key);
        explore_reply_error(out, 400, err.msg, key[0] ? key : NULL);
        goto done;
    }
    sc->seed = (int64_t)s->seed;
    char head[SIM_PATH_MAX + 64];
    run_command(st, s, head, sizeof head, &tail);
    if (tail.failed) {
        explore_reply_error(out, 503, "out of memory", NULL);
        goto done;
    }
    long target = explore_target(sc->rounds, st->base->rounds, st->max_reps);
    pthread_mutex_lock(&st->mu);
    long id = ++st->last_id;
    int rc = explore_runner_submit(st->runner, id, sc, st->base, s->seed,
                                   target, head, tail.s, &err);
    if (!rc) {
        remember(st, id, sc);
        sc = NULL;
    }
    pthread_mutex_unlock(&st->mu);
    if (rc)
        explore_reply_error(out, 503, err.msg, NULL);
    else
        run_reply(st, id, s, head, tail.s, target, out);
done:
    jb_free(&tail);
    free(sc);
    free(s);
    free(form);
    free(buf);
}

