/* output.c - CSV and manifest writers, and the atomic result directory. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rng.h"

/* Column ids. */
enum {
    C_REP, C_SEED, C_STOP, C_ROUNDS, C_US_DEALS, C_EU_DEALS, C_RELEASED_TOTAL,
    C_RELEASED_KIND, C_PRISONERS_START, C_PRISONERS_END, C_ARRESTS,
    C_COMPLETIONS, C_DEATHS, C_FIRST_US, C_FIRST_EU, C_PL_CLOSED,
    C_KLAIPEDA_END, C_DRONES, C_SPIES, C_FREEZES, C_PRICE, C_LIFTED_ROUND,
    C_UTILITY, C_EU_VETOES, C_FOREIGN_ARRESTS, C_PRISONERS_END_KIND,
    C_LT_CLOSED, C_DISTRACTED, C_FROZEN, C_RELIEF_END, C_STATUS,
    /* summary-only metrics */
    C_ANY_US, C_ANY_EU, C_STOPPED, C_LIFTED_BY_END
};

static int add(sim_column *cols, int n, const char *name, int id, int index,
               sim_col_format fmt, bool in_runs, bool summarize,
               bool proportion)
{
    if (n >= SIM_MAX_COLUMNS)
        return n;
    sim_column *c = &cols[n];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->id = id;
    c->index = index;
    c->format = fmt;
    c->in_runs = in_runs;
    c->summarize = summarize;
    c->proportion = proportion;
    return n + 1;
}

int sim_output_columns(const sim_scenario *sc, sim_column *cols)
{
    int n = 0;
    char name[80];
#define COL(nm, id, fmt) n = add(cols, n, nm, id, 0, fmt, true, true, false)
    n = add(cols, n, "rep", C_REP, 0, SIM_COL_INT, true, false, false);
    n = add(cols, n, "seed", C_SEED, 0, SIM_COL_INT, true, false, false);
    n = add(cols, n, "stop_reason", C_STOP, 0, SIM_COL_TEXT, true, false,
            false);
    COL("rounds", C_ROUNDS, SIM_COL_INT);
    COL("us_deals", C_US_DEALS, SIM_COL_INT);
    COL("eu_deals", C_EU_DEALS, SIM_COL_INT);
    COL("released_total", C_RELEASED_TOTAL, SIM_COL_INT);
    for (int k = 0; k < SIM_N_KINDS; k++) {
        snprintf(name, sizeof name, "released_%s", sim_kind_name(k));
        n = add(cols, n, name, C_RELEASED_KIND, k, SIM_COL_INT, true, true,
                false);
    }
    COL("prisoners_start", C_PRISONERS_START, SIM_COL_INT);
    COL("prisoners_end", C_PRISONERS_END, SIM_COL_INT);
    COL("arrests", C_ARRESTS, SIM_COL_INT);
    COL("completions", C_COMPLETIONS, SIM_COL_INT);
    COL("deaths", C_DEATHS, SIM_COL_INT);
    COL("first_us_deal_round", C_FIRST_US, SIM_COL_INT);
    COL("first_eu_relief_round", C_FIRST_EU, SIM_COL_INT);
    COL("pl_border_closed_rounds", C_PL_CLOSED, SIM_COL_INT);
    n = add(cols, n, "klaipeda_open_end", C_KLAIPEDA_END, 0, SIM_COL_INT,
            true, true, true);
    COL("drone_incidents", C_DRONES, SIM_COL_INT);
    COL("spy_scandals", C_SPIES, SIM_COL_INT);
    COL("moscow_freezes", C_FREEZES, SIM_COL_INT);
    COL("price_per_prisoner", C_PRICE, SIM_COL_REAL);
    for (int i = 0; i < sc->n_instruments; i++) {
        snprintf(name, sizeof name, "lifted_round_%s", sc->instrument[i].name);
        n = add(cols, n, name, C_LIFTED_ROUND, i, SIM_COL_INT, true, true,
                false);
    }
    for (int a = 0; a < SIM_N_ACTORS; a++) {
        snprintf(name, sizeof name, "utility_%s", sim_actor_name(a));
        n = add(cols, n, name, C_UTILITY, a, SIM_COL_REAL, true, true, false);
    }
    COL("eu_vetoes", C_EU_VETOES, SIM_COL_INT);
    COL("foreign_arrests", C_FOREIGN_ARRESTS, SIM_COL_INT);
    for (int k = 0; k < SIM_N_KINDS; k++) {
        snprintf(name, sizeof name, "prisoners_end_%s", sim_kind_name(k));
        n = add(cols, n, name, C_PRISONERS_END_KIND, k, SIM_COL_INT, true,
                true, false);
    }
    COL("lt_border_closed_rounds", C_LT_CLOSED, SIM_COL_INT);
    COL("distracted_rounds", C_DISTRACTED, SIM_COL_INT);
    COL("frozen_rounds", C_FROZEN, SIM_COL_INT);
    COL("relief_end", C_RELIEF_END, SIM_COL_REAL);
    for (int i = 0; i < sc->n_instruments; i++) {
        snprintf(name, sizeof name, "status_%s", sc->instrument[i].name);
        n = add(cols, n, name, C_STATUS, i, SIM_COL_TEXT, true, false, false);
    }
#undef COL
    n = add(cols, n, "any_us_deal", C_ANY_US, 0, SIM_COL_INT, false, true,
            true);
    n = add(cols, n, "any_eu_relief", C_ANY_EU, 0, SIM_COL_INT, false, true,
            true);
    for (int s = 0; s < SIM_N_STOPS; s++) {
        snprintf(name, sizeof name, "stop_%s", sim_stop_name(s));
        n = add(cols, n, name, C_STOPPED, s, SIM_COL_INT, false, true, true);
    }
    for (int i = 0; i < sc->n_instruments; i++) {
        snprintf(name, sizeof name, "lifted_%s", sc->instrument[i].name);
        n = add(cols, n, name, C_LIFTED_BY_END, i, SIM_COL_INT, false, true,
                true);
    }
    return n;
}

static double sum_kinds(const long *v)
{
    double s = 0;
    for (int k = 0; k < SIM_N_KINDS; k++)
        s += (double)v[k];
    return s;
}

double sim_column_value(const sim_column *c, const sim_rep_result *r)
{
    switch (c->id) {
    case C_REP:
        return (double)r->rep;
    case C_SEED:
        return (double)r->seed;
    case C_ROUNDS:
        return r->rounds;
    case C_US_DEALS:
        return r->us_deals;
    case C_EU_DEALS:
        return r->eu_deals;
    case C_RELEASED_TOTAL:
        return sum_kinds(r->released);
    case C_RELEASED_KIND:
        return (double)r->released[c->index];
    case C_PRISONERS_START:
        return sum_kinds(r->prisoners_start);
    case C_PRISONERS_END:
        return sum_kinds(r->prisoners_end);
    case C_ARRESTS:
        return sum_kinds(r->arrests);
    case C_COMPLETIONS:
        return sum_kinds(r->completions);
    case C_DEATHS:
        return sum_kinds(r->deaths);
    case C_FIRST_US:
        return r->first_us_deal_round ? (double)r->first_us_deal_round : NAN;
    case C_FIRST_EU:
        return r->first_eu_relief_round ? (double)r->first_eu_relief_round
                                        : NAN;
    case C_PL_CLOSED:
        return r->pl_border_closed_rounds;
    case C_KLAIPEDA_END:
        return r->klaipeda_open_end;
    case C_DRONES:
        return (double)r->drone_incidents;
    case C_SPIES:
        return (double)r->spy_scandals;
    case C_FREEZES:
        return r->moscow_freezes;
    case C_PRICE:
        return r->price_per_prisoner;
    case C_LIFTED_ROUND:
        if (r->lifted_before[c->index])
            return 0;
        return r->lifted_round[c->index] ? (double)r->lifted_round[c->index]
                                          : NAN;
    case C_UTILITY:
        return r->utility[c->index];
    case C_EU_VETOES:
        return r->eu_vetoes;
    case C_FOREIGN_ARRESTS:
        return (double)r->arrests[SIM_FOREIGN];
    case C_PRISONERS_END_KIND:
        return (double)r->prisoners_end[c->index];
    case C_LT_CLOSED:
        return r->lt_border_closed_rounds;
    case C_DISTRACTED:
        return r->distracted_rounds;
    case C_FROZEN:
        return r->frozen_rounds;
    case C_RELIEF_END:
        return r->relief_end;
    case C_ANY_US:
        return r->us_deals > 0;
    case C_ANY_EU:
        return r->first_eu_relief_round > 0;
    case C_STOPPED:
        return r->stop_reason == c->index;
    case C_LIFTED_BY_END:
        return r->status[c->index] != SIM_ACTIVE;
    default:
        return NAN;
    }
}

/* ---- files ---- */

static int io_fail(sim_err *err, const char *what, const char *path)
{
    return sim_error(err, SIM_E_IO, "cannot %s %s: %s", what, path,
                     SIM_ERRNO_TEXT(errno ? errno : EIO));
}

/* mkdir -p for the parents of path. */
static int make_parents(const char *path, sim_err *err)
{
    char buf[SIM_PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return io_fail(err, "create directory", buf);
        *p = '/';
    }
    return 0;
}

/* Removes a directory and the files in it (no subdirectories are made). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[SIM_PATH_MAX + 300];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

static bool dir_nonempty(const char *dir, bool *exists)
{
    DIR *d = opendir(dir);
    *exists = d != NULL;
    if (!d)
        return false;
    struct dirent *e;
    bool found = false;
    while (!found && (e = readdir(d)))
        found = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return found;
}

/* True if dir holds a manifest.cfg, i.e. is an earlier result. */
static bool is_result_dir(const char *dir)
{
    char path[SIM_PATH_MAX + 32];
    struct stat st;
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static FILE *open_in(const sim_output *o, const char *name, sim_err *err)
{
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", o->tmp_dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        io_fail(err, "create", path);
    return f;
}

static int check_write(FILE *f, const char *what, sim_err *err)
{
    if (ferror(f))
        return sim_error(err, SIM_E_IO, "cannot write %s: %s", what,
                         SIM_ERRNO_TEXT(errno ? errno : EIO));
    return 0;
}

static int write_runs_header(sim_output *o, sim_err *err)
{
    bool first = true;
    for (int i = 0; i < o->ncols; i++) {
        if (!o->cols[i].in_runs)
            continue;
        fprintf(o->runs, "%s%s", first ? "" : ",", o->cols[i].name);
        first = false;
    }
    fputc('\n', o->runs);
    return check_write(o->runs, "runs.csv", err);
}

static const char *rounds_header =
    "rep,round,prisoners,tension,us_engaged,pl_border_open,lt_border_open,"
    "klaipeda_open,us_deal,eu_deal,released,arrests,lifted,month,"
    "prisoners_ordinary,prisoners_foreign,prisoners_high_profile,"
    "moscow_frozen,exercise,eu_renewal,eu_vetoed,eu_lapsed,us_stage,"
    "eu_stage,released_ordinary,released_foreign,released_high_profile,"
    "foreign_arrests,deaths,completions,drones,spy_scandals,relief,"
    "price_per_prisoner\n";

int sim_output_open(sim_output *o, const sim_scenario *sc, const char *dir,
                    bool force, bool trace, sim_err *err)
{
    memset(o, 0, sizeof *o);
    o->sc = sc;
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if (len == 0 || len >= sizeof o->final_dir - 32)
        return sim_error(err, SIM_E_USAGE, "bad output directory '%s'", dir);
    memcpy(o->final_dir, dir, len);
    o->final_dir[len] = '\0';

    bool exists;
    struct stat st;
    o->force = force;
    if (stat(o->final_dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return sim_error(err, SIM_E_USAGE,
                         "output path %s exists and is not a directory",
                         o->final_dir);
    if (dir_nonempty(o->final_dir, &exists)) {
        if (!force)
            return sim_error(err, SIM_E_EXISTS,
                             "output directory %s exists and is not empty; "
                             "choose another with -o or replace it with "
                             "--force",
                             o->final_dir);
        if (!is_result_dir(o->final_dir))
            return sim_error(err, SIM_E_USAGE,
                             "output directory %s is not empty and is not a "
                             "sanctionsim result (it has no manifest.cfg); "
                             "--force replaces only earlier results, so "
                             "choose another directory with -o",
                             o->final_dir);
    }
    int rc = make_parents(o->final_dir, err);
    if (rc)
        return rc;
    /* The temporary directory sits beside the final one (same file
     * system), so the final rename is atomic. */
    const char *slash = strrchr(o->final_dir, '/');
    int plen = slash ? (int)(slash - o->final_dir + 1) : 0;
    if ((size_t)snprintf(o->tmp_dir, sizeof o->tmp_dir, "%.*s.%s.tmp-XXXXXX",
                         plen, o->final_dir,
                         o->final_dir + plen) >= sizeof o->tmp_dir) {
        o->tmp_dir[0] = '\0';
        return sim_error(err, SIM_E_USAGE, "output path too long: %s", dir);
    }
    if (!mkdtemp(o->tmp_dir)) {
        rc = io_fail(err, "create a temporary directory beside",
                     o->final_dir);
        o->tmp_dir[0] = '\0';
        return rc;
    }
    /* mkdtemp makes the directory private (0700); results are meant to be
     * shared, as any directory mkdir would make. */
    if (chmod(o->tmp_dir, 0755) != 0) {
        rc = io_fail(err, "set the permissions of", o->tmp_dir);
        sim_output_abort(o);
        return rc;
    }
    o->ncols = sim_output_columns(sc, o->cols);
    if (!(o->runs = open_in(o, "runs.csv", err)) ||
        (trace && !(o->rounds = open_in(o, "rounds.csv", err)))) {
        sim_output_abort(o);
        return SIM_E_IO;
    }
    if ((rc = write_runs_header(o, err))) {
        sim_output_abort(o);
        return rc;
    }
    if (o->rounds) {
        fputs(rounds_header, o->rounds);
        if ((rc = check_write(o->rounds, "rounds.csv", err))) {
            sim_output_abort(o);
            return rc;
        }
    }
    return 0;
}

/* A number as CSV: empty for NaN, integers without a decimal point. */
static void put_number(FILE *f, double v, sim_col_format fmt)
{
    if (!isfinite(v))
        return;
    if (fmt == SIM_COL_INT)
        fprintf(f, "%.0f", v);
    else
        fprintf(f, "%.15g", v == 0 ? 0.0 : v);
}

int sim_output_run(sim_output *o, const sim_rep_result *r, sim_err *err)
{
    bool first = true;
    for (int i = 0; i < o->ncols; i++) {
        const sim_column *c = &o->cols[i];
        if (!c->in_runs)
            continue;
        if (!first)
            fputc(',', o->runs);
        first = false;
        if (c->id == C_SEED)
            fprintf(o->runs, "%" PRIu64, r->seed);
        else if (c->id == C_STOP)
            fputs(sim_stop_name(r->stop_reason), o->runs);
        else if (c->id == C_STATUS)
            fputs(sim_instrument_status_name(r->status[c->index]), o->runs);
        else
            put_number(o->runs, sim_column_value(c, r), c->format);
    }
    fputc('\n', o->runs);
    return check_write(o->runs, "runs.csv", err);
}

/* "YYYY-MM" of a 1-based round. */
static void month_label(const sim_scenario *sc, int round, char *buf,
                        size_t size)
{
    int y = 0, m = 1;
    sscanf(sc->start, "%d-%d", &y, &m);
    int months = (m - 1) + (round - 1) * sc->round_months;
    snprintf(buf, size, "%04d-%02d", y + months / 12, months % 12 + 1);
}

int sim_output_round(void *ctx, const sim_round_record *r, sim_err *err)
{
    sim_output *o = ctx;
    const sim_scenario *sc = o->sc;
    FILE *f = o->rounds;
    long held = 0, released = 0;
    for (int k = 0; k < SIM_N_KINDS; k++) {
        held += r->prisoners[k];
        released += r->released[k];
    }
    fprintf(f, "%" PRIu64 ",%d,%ld,", r->rep, r->round, held);
    put_number(f, r->tension, SIM_COL_REAL);
    fprintf(f, ",%d,%d,%d,%d,%d,%d,%ld,%ld,", r->us_engaged,
            r->pl_border_open, r->lt_border_open, r->klaipeda_open,
            r->us_deal, r->eu_deal, released,
            r->arrests + r->foreign_arrests);
    bool first = true;
    for (int i = 0; i < sc->n_instruments; i++)
        if (r->lifted & (1u << i)) {
            fprintf(f, "%s%s", first ? "" : ";", sc->instrument[i].name);
            first = false;
        }
    char month[16];
    month_label(sc, r->round, month, sizeof month);
    fprintf(f, ",%s,%ld,%ld,%ld,%d,%d,%d,%d,%d,%d,%d,%ld,%ld,%ld,%ld,%ld,%ld,"
               "%ld,%ld,",
            month, r->prisoners[SIM_ORDINARY], r->prisoners[SIM_FOREIGN],
            r->prisoners[SIM_HIGH_PROFILE], r->moscow_frozen, r->exercise,
            r->eu_renewal, r->eu_vetoed, r->eu_lapsed, r->us_stage,
            r->eu_stage, r->released[SIM_ORDINARY], r->released[SIM_FOREIGN],
            r->released[SIM_HIGH_PROFILE], r->foreign_arrests, r->deaths,
            r->completions, r->drones, r->spy_scandals);
    put_number(f, r->relief, SIM_COL_REAL);
    fputc(',', f);
    put_number(f, r->price, SIM_COL_REAL);
    fputc('\n', f);
    return check_write(f, "rounds.csv", err);
}

int sim_output_summary(sim_output *o, const sim_summary *rows, int n,
                       sim_err *err)
{
    FILE *f = open_in(o, "summary.csv", err);
    if (!f)
        return SIM_E_IO;
    int rc = sim_stats_write_header(f, err);
    for (int i = 0; i < n && !rc; i++)
        rc = sim_stats_write_row(f, &rows[i], err);
    if (fclose(f) != 0 && !rc)
        rc = io_fail(err, "write", "summary.csv");
    return rc;
}

void sim_output_now(char *buf)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int close_file(FILE **f, const char *name, sim_err *err)
{
    int rc = 0;
    if (*f) {
        if (ferror(*f) | (fclose(*f) != 0))
            rc = sim_error(err, SIM_E_IO, "cannot write %s: %s", name,
                           SIM_ERRNO_TEXT(errno ? errno : EIO));
        *f = NULL;
    }
    return rc;
}

int sim_output_commit(sim_output *o, const sim_manifest *m, sim_err *err)
{
    int rc = close_file(&o->runs, "runs.csv", err);
    if (!rc)
        rc = close_file(&o->rounds, "rounds.csv", err);
    FILE *f = rc ? NULL : open_in(o, "manifest.cfg", err);
    if (!rc && !f)
        rc = SIM_E_IO;
    if (!rc) {
        const sim_scenario *sc = o->sc;
        fprintf(f, "# sanctionsim run manifest (libconfig syntax)\n");
        fprintf(f, "version = \"%s\";\ncommand = ", SIM_VERSION);
        sim_scenario_print_string(f, m->command_line);
        fprintf(f, ";\nscenario_file = ");
        sim_scenario_print_string(f, sc->file);
        fprintf(f, ";\nsets = [");
        for (int i = 0; i < sc->n_sets; i++) {
            char kv[SIM_PATH_MAX + SIM_TEXT_MAX + 2];
            snprintf(kv, sizeof kv, "%s=%s", sc->set[i].key,
                     sc->set[i].value);
            fputs(i ? ", " : " ", f);
            sim_scenario_print_string(f, kv);
        }
        fprintf(f, "%s];\n", sc->n_sets ? " " : "");
        fprintf(f, "master_seed = %" PRIu64 "L;\n", m->master_seed);
        fprintf(f, "generator = \"%s\";\n", SIM_RNG_DESCRIPTION);
        fprintf(f, "replications = %ld;\nthreads = %d;\nprocesses = 1;\n",
                m->replications, m->threads);
        fprintf(f, "start_time = \"%s\";\nend_time = \"%s\";\n",
                m->start_time, m->end_time);
        fprintf(f, "elapsed_seconds = %.3f;\ncompleted = true;\n",
                m->elapsed_seconds);
        fprintf(f, "scenario = {\n");
        sim_scenario_print(sc, f, 2);
        fprintf(f, "};\n");
        rc = close_file(&f, "manifest.cfg", err);
    }
    /* The resolved scenario on its own, so that the run can be repeated
     * with `sanctionsim run DIR/scenario.cfg`. */
    if (!rc && !(f = open_in(o, "scenario.cfg", err)))
        rc = SIM_E_IO;
    if (!rc) {
        fprintf(f, "# The resolved scenario of this run (sanctionsim %s).\n",
                SIM_VERSION);
        sim_scenario_print(o->sc, f, 0);
        rc = close_file(&f, "scenario.cfg", err);
    }
    if (rc) {
        sim_output_abort(o);
        return rc;
    }

    /* Replace: move an old result aside, move the new one in, then drop
     * the old one, so that a crash leaves one complete result in place. */
    char old[SIM_PATH_MAX + 16] = "";
    bool exists;
    bool full = dir_nonempty(o->final_dir, &exists);
    if (full && (!o->force || !is_result_dir(o->final_dir))) {
        /* Someone else wrote there since we checked: keep both. */
        rc = sim_error(err, SIM_E_IO,
                       "%s was filled by another run while this one "
                       "worked; this run's complete results are kept in "
                       "%s",
                       o->final_dir, o->tmp_dir);
        o->tmp_dir[0] = '\0';
        return rc;
    }
    /* An empty directory is replaced by rename itself. */
    exists = full;
    if (exists) {
        snprintf(old, sizeof old, "%s.old-XXXXXX", o->tmp_dir);
        if (!mkdtemp(old) || rename(o->final_dir, old) != 0) {
            rc = io_fail(err, "move aside the old", o->final_dir);
            if (old[0])
                rmdir(old);
            sim_output_abort(o);
            return rc;
        }
    }
    if (rename(o->tmp_dir, o->final_dir) != 0) {
        rc = io_fail(err, "rename the results into", o->final_dir);
        if (exists)
            rename(old, o->final_dir);
        sim_output_abort(o);
        return rc;
    }
    o->tmp_dir[0] = '\0';
    if (exists)
        remove_dir(old);
    return 0;
}

void sim_output_abort(sim_output *o)
{
    if (o->runs)
        fclose(o->runs);
    if (o->rounds)
        fclose(o->rounds);
    o->runs = o->rounds = NULL;
    if (o->tmp_dir[0])
        remove_dir(o->tmp_dir);
    o->tmp_dir[0] = '\0';
}
