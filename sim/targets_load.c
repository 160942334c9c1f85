/* targets_load.c - reading a targets file (score.h): dated observations of
 * columns of rounds.csv or runs.csv, each with its value, uncertainty and
 * source, checked key by key with messages that name the file, line and
 * key. */
#include <sanctionsim/score.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "config_util_impl.h"

static const char *const root_keys[] = {"cutoff", "observations",
                                        "description"};
static const char *const obs_keys[] = {
    "id",    "quantity", "statistic", "date",  "round",       "from",
    "to",    "month",    "op",        "threshold", "match",   "value",
    "uncertainty", "source", "note"};
#define N_OBS_KEYS ((int)(sizeof obs_keys / sizeof obs_keys[0]))

/* ---- columns ---- */

/* Where quantity `name` is a column, into *where: 1 rounds.csv, 2
 * runs.csv, 0 neither; *text is set for text columns. The runs.csv names
 * made from an instrument, actor or kind are matched by their prefix.
 * Fails only for want of memory. */
static int column_place(const sim_loader *ld, const char *name, bool *text,
                        int *where)
{
    *text = false;
    *where = 0;
    for (int i = 0; sim_columns_round_name(i); i++)
        if (!strcmp(sim_columns_round_name(i), name)) {
            *text = !strcmp(name, "lifted") || !strcmp(name, "month");
            *where = 1;
            return 0;
        }
    sim_scenario *sc = calloc(1, sizeof *sc);
    sim_column *c = malloc((size_t)2 * SIM_MAX_COLUMNS * sizeof *c);
    int place = 0;
    if (!sc || !c) {
        free(sc);
        free(c);
        return sim_error(ld->err, SIM_E_NOMEM, "out of memory");
    }
    int n0 = sim_columns_list(sc, c);
    sc->n_instruments = 1; /* named "": the prefixes */
    int n1 = sim_columns_list(sc, c + SIM_MAX_COLUMNS);
    for (int i = 0; i < n0 + n1 && !place; i++) {
        const sim_column *k = i < n0 ? &c[i] : &c[SIM_MAX_COLUMNS + i - n0];
        size_t len = strlen(k->name);
        bool hit = i < n0 ? !strcmp(k->name, name)
                          : strlen(name) > len &&
                                !strncmp(k->name, name, len);
        if (hit && k->in_runs) {
            place = 2;
            *text = k->format == SIM_COL_TEXT || k->id == C_REP ||
                    k->id == C_SEED;
        }
    }
    free(sc);
    free(c);
    *where = place;
    return 0;
}

/* ---- values ---- */

/* Copies the string member `key` of g into buf; *found says whether it
 * was there (a missing member is an error only if required). */
static int get_string(const sim_loader *ld, const config_setting_t *g,
                      const char *key, char *buf, size_t size, bool required)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    buf[0] = '\0';
    if (!s) {
        if (required)
            return sim_cfg_fail(ld, g, "missing '%s'", key);
        return 0;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return sim_cfg_fail(ld, s, "must be a string, not %s",
                            sim_cfg_type_word(config_setting_type(s)));
    const char *v = config_setting_get_string(s);
    if (strlen(v) >= size)
        return sim_cfg_fail(ld, s, "longer than %zu characters", size - 1);
    if (required && !v[0])
        return sim_cfg_fail(ld, s, "must not be empty");
    memcpy(buf, v, strlen(v) + 1);
    return 0;
}

/* The number member `key` of g into *v (left alone if absent and not
 * required); it must be finite. */
static int get_number(const sim_loader *ld, const config_setting_t *g,
                      const char *key, double *v, bool required)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    if (!s) {
        if (required)
            return sim_cfg_fail(ld, g, "missing '%s'", key);
        return 0;
    }
    if (!sim_cfg_is_number(s))
        return sim_cfg_fail(ld, s, "must be a number, not %s",
                            sim_cfg_type_word(config_setting_type(s)));
    *v = sim_cfg_number(s);
    if (!isfinite(*v))
        return sim_cfg_fail(ld, s, "must be finite");
    return 0;
}

/* A point in time from member `key` of g: a date string or a round
 * number (>= 1); unset if absent. The date must not be after cutoff. */
static int get_when(const sim_loader *ld, const config_setting_t *g,
                    const char *key, const char *cutoff, sim_target_when *w)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    if (!s)
        return 0;
    if (config_setting_type(s) == CONFIG_TYPE_INT ||
        config_setting_type(s) == CONFIG_TYPE_INT64) {
        long long r = config_setting_get_int64(s);
        if (r < 1 || r > 1000000)
            return sim_cfg_fail(ld, s, "a round must be from 1 to 1000000");
        w->round = (int)r;
        return 0;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return sim_cfg_fail(ld, s,
                            "must be a date (\"YYYY-MM-DD\") or a round "
                            "number, not %s",
                            sim_cfg_type_word(config_setting_type(s)));
    const char *d = config_setting_get_string(s);
    sim_err e = {0};
    int round;
    if (strlen(d) != 10 || sim_score_date_round(NULL, d, &round, &e))
        return sim_cfg_fail(ld, s, "'%s' is not a date (YYYY-MM-DD)", d);
    if (cutoff[0] && strcmp(d, cutoff) > 0)
        return sim_cfg_fail(ld, s, "%s is after the file's cutoff %s", d,
                            cutoff);
    memcpy(w->date, d, sizeof w->date);
    return 0;
}

/* `month = "YYYY-MM"`: the period from its first to its last day. */
static int get_month(const sim_loader *ld, const config_setting_t *g,
                     const char *cutoff, sim_target *t)
{
    const config_setting_t *s = config_setting_get_member(g, "month");
    char m[16];
    int rc = get_string(ld, g, "month", m, sizeof m, false);
    if (rc || !s)
        return rc;
    sim_err e = {0};
    int round;
    if (strlen(m) != 7 || sim_score_date_round(NULL, m, &round, &e))
        return sim_cfg_fail(ld, s, "'%s' is not a month (YYYY-MM)", m);
    if (t->from.date[0] || t->from.round || t->to.date[0] || t->to.round)
        return sim_cfg_fail(ld, s, "give either a month or a date, a round "
                                   "or from/to, not both");
    int y = atoi(m), mo = atoi(m + 5);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int last = mo == 2 ? 28 + leap : 30 + ((mo + (mo > 7)) % 2);
    snprintf(t->from.date, sizeof t->from.date, "%.7s-01", m);
    snprintf(t->to.date, sizeof t->to.date, "%.7s-%02d", m, last);
    if (cutoff[0] && strcmp(t->from.date, cutoff) > 0)
        return sim_cfg_fail(ld, s, "%s is after the file's cutoff %s", m,
                            cutoff);
    return 0;
}

/* ---- an observation ---- */

/* The statistic and, for events, the comparison. */
static int load_event(const sim_loader *ld, const config_setting_t *g,
                      sim_target *t, bool text)
{
    static const char *const ops[] = {">", ">=", "<", "<=", "==", "!=",
                                      "contains"};
    char op[16];
    int rc = get_string(ld, g, "op", op, sizeof op, t->stat == SIM_TARGET_EVENT);
    if (rc)
        return rc;
    const config_setting_t *os = config_setting_get_member(g, "op");
    if (t->stat != SIM_TARGET_EVENT) {
        const char *stray = os ? "op"
                            : config_setting_get_member(g, "threshold")
                                ? "threshold"
                            : config_setting_get_member(g, "match") ? "match"
                                                                    : NULL;
        if (stray)
            return sim_cfg_fail(ld, g, "'%s' is for statistic = \"event\"",
                                stray);
        if (text)
            return sim_cfg_fail(ld, g, "'%s' is a text column: only an event "
                                "(op = \"contains\") can observe it",
                                t->quantity);
        return 0;
    }
    int k = 0;
    while (k < 7 && strcmp(op, ops[k]) != 0)
        k++;
    if (k == 7)
        return sim_cfg_fail(ld, os, "unknown op '%s' (>, >=, <, <=, ==, !=, "
                                    "contains)", op);
    t->op = (sim_target_op)k;
    if (t->op == SIM_OP_CONTAINS) {
        if (strcmp(t->quantity, "lifted") != 0)
            return sim_cfg_fail(ld, os, "op \"contains\" is for quantity "
                                        "\"lifted\" only");
        return get_string(ld, g, "match", t->match, sizeof t->match, true);
    }
    if (text)
        return sim_cfg_fail(ld, os, "'%s' is a text column: use op = "
                                    "\"contains\"", t->quantity);
    return get_number(ld, g, "threshold", &t->threshold, true);
}

/* The period keys, by statistic and file. */
static int load_period(const sim_loader *ld, const config_setting_t *g,
                       const char *cutoff, sim_target *t)
{
    sim_target_when at = {{0}, 0};
    int rc = get_when(ld, g, "date", cutoff, &at);
    if (!rc && config_setting_get_member(g, "round")) {
        if (at.date[0])
            return sim_cfg_fail(ld, g, "give either 'date' or 'round'");
        rc = get_when(ld, g, "round", cutoff, &at);
    }
    if (!rc)
        rc = get_when(ld, g, "from", cutoff, &t->from);
    if (!rc)
        rc = get_when(ld, g, "to", cutoff, &t->to);
    bool has_at = at.date[0] || at.round;
    bool has_to = t->to.date[0] || t->to.round;
    bool has_from = t->from.date[0] || t->from.round;
    if (!rc && has_at && (has_to || has_from))
        return sim_cfg_fail(ld, g, "give either a date (or round) or "
                                   "from/to, not both");
    if (!rc)
        rc = get_month(ld, g, cutoff, t);
    if (rc)
        return rc;
    has_to = has_to || t->to.date[0];
    if (t->in_runs) {
        if (has_at || has_to || has_from)
            return sim_cfg_fail(ld, g, "'%s' is a column of runs.csv, one "
                                "value per replication: it takes no date, "
                                "round or period", t->quantity);
        if (t->stat == SIM_TARGET_SUM)
            return sim_cfg_fail(ld, g, "statistic \"sum\" is for rounds.csv "
                                       "columns");
        return 0;
    }
    if (t->stat == SIM_TARGET_VALUE) {
        if (!has_at)
            return sim_cfg_fail(ld, g, "missing 'date' or 'round'");
        t->from = t->to = at;
        return 0;
    }
    if (has_at)
        t->to = at;
    if (!has_at && !has_to)
        return sim_cfg_fail(ld, g, "missing the period: 'to' (or 'date', "
                                   "'round', 'month')");
    if (t->stat == SIM_TARGET_SUM && !(t->from.date[0] || t->from.round))
        return sim_cfg_fail(ld, g, "missing 'from' (or 'month')");
    if (t->from.date[0] && t->to.date[0] &&
        strcmp(t->from.date, t->to.date) > 0)
        return sim_cfg_fail(ld, g, "'from' is after 'to'");
    if (t->from.round && t->to.round && t->from.round > t->to.round)
        return sim_cfg_fail(ld, g, "'from' is after 'to'");
    return 0;
}

static int load_obs(const sim_loader *ld, const config_setting_t *g,
                    const char *cutoff, sim_target *t)
{
    t->line = config_setting_source_line(g);
    int rc = sim_cfg_check_members(ld, g, obs_keys, N_OBS_KEYS);
    if (!rc)
        rc = get_string(ld, g, "id", t->id, sizeof t->id, true);
    if (!rc)
        rc = get_string(ld, g, "quantity", t->quantity, sizeof t->quantity,
                        true);
    if (rc)
        return rc;
    bool text = false;
    int place = 0;
    if ((rc = column_place(ld, t->quantity, &text, &place)))
        return rc;
    const config_setting_t *q = config_setting_get_member(g, "quantity");
    if (!place)
        return sim_cfg_fail(ld, q, "unknown column '%s' (a column of "
                            "rounds.csv or runs.csv; README.md lists them)",
                            t->quantity);
    if (!strcmp(t->quantity, "month") || !strcmp(t->quantity, "rep") ||
        !strcmp(t->quantity, "round") || (place == 2 && text))
        return sim_cfg_fail(ld, q, "'%s' is not a quantity that can be "
                            "observed", t->quantity);
    t->in_runs = place == 2;
    char stat[16];
    rc = get_string(ld, g, "statistic", stat, sizeof stat, false);
    if (rc)
        return rc;
    if (!stat[0] || !strcmp(stat, "value"))
        t->stat = SIM_TARGET_VALUE;
    else if (!strcmp(stat, "sum"))
        t->stat = SIM_TARGET_SUM;
    else if (!strcmp(stat, "event"))
        t->stat = SIM_TARGET_EVENT;
    else
        return sim_cfg_fail(ld, config_setting_get_member(g, "statistic"),
                            "unknown statistic '%s' (value, sum, event)",
                            stat);
    rc = load_event(ld, g, t, text);
    if (!rc)
        rc = load_period(ld, g, cutoff, t);
    if (!rc)
        rc = get_number(ld, g, "value", &t->value, true);
    if (!rc && t->stat == SIM_TARGET_EVENT && t->value != 0.0 &&
        t->value != 1.0)
        return sim_cfg_fail(ld, config_setting_get_member(g, "value"),
                            "an event's value is 1 (it happened) or 0");
    t->uncertainty = 0.0;
    if (!rc)
        rc = get_number(ld, g, "uncertainty", &t->uncertainty, true);
    if (!rc && t->uncertainty < 0.0)
        return sim_cfg_fail(ld, config_setting_get_member(g, "uncertainty"),
                            "must be >= 0 (a standard deviation)");
    if (!rc)
        rc = get_string(ld, g, "source", t->source, sizeof t->source, true);
    if (!rc)
        rc = get_string(ld, g, "note", (char[SIM_TEXT_MAX]){""}, SIM_TEXT_MAX,
                        false);
    return rc;
}

/* Reads the parsed tree into out. */
static int load_tree(const sim_loader *ld, const config_t *cfg,
                     sim_targets *out)
{
    const config_setting_t *root = config_root_setting(cfg);
    int rc = sim_cfg_check_members(ld, root, root_keys, 3);
    if (!rc)
        rc = get_string(ld, root, "cutoff", out->cutoff, sizeof out->cutoff,
                        false);
    sim_err e = {0};
    int round;
    if (!rc && out->cutoff[0] &&
        (strlen(out->cutoff) != 10 ||
         sim_score_date_round(NULL, out->cutoff, &round, &e)))
        return sim_cfg_fail(ld, config_setting_get_member(root, "cutoff"),
                            "'%s' is not a date (YYYY-MM-DD)", out->cutoff);
    config_setting_t *list = NULL;
    if (!rc)
        rc = sim_cfg_get_list(ld, root, "observations", SIM_MAX_TARGETS, &list);
    if (rc)
        return rc;
    if (!list || config_setting_length(list) == 0)
        return sim_cfg_fail(ld, NULL, "no observations (a list "
                                      "`observations = ( {...}, ... );`)");
    int n = config_setting_length(list);
    out->t = calloc((size_t)n, sizeof *out->t);
    if (!out->t)
        return sim_error(ld->err, SIM_E_NOMEM, "out of memory");
    for (int i = 0; i < n && !rc; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        rc = load_obs(ld, g, out->cutoff, &out->t[i]);
        for (int j = 0; j < i && !rc; j++)
            if (!strcmp(out->t[j].id, out->t[i].id))
                rc = sim_cfg_fail(ld, config_setting_get_member(g, "id"),
                                  "id '%s' is also the id of the observation "
                                  "on line %d",
                                  out->t[i].id, out->t[j].line);
        out->n = i + 1;
    }
    return rc;
}

int sim_targets_load(const char *path, sim_targets *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    if (!path)
        return sim_error(err, SIM_E_USAGE, "no targets file given");
    if (strlen(path) >= sizeof out->file)
        return sim_error(err, SIM_E_USAGE, "targets path too long: %.64s...",
                         path);
    snprintf(out->file, sizeof out->file, "%s", path);
    config_t cfg;
    int rc = sim_cfg_read_file(&cfg, path, true, err);
    sim_loader ld = {.file = path, .err = err};
    if (!rc)
        rc = load_tree(&ld, &cfg, out);
    config_destroy(&cfg);
    if (rc)
        sim_targets_free(out);
    return rc;
}

void sim_targets_free(sim_targets *ts)
{
    if (!ts)
        return;
    free(ts->t);
    ts->t = NULL;
    ts->n = 0;
}
