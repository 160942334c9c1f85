/* columns.c - the columns of runs.csv and rounds.csv: names, values and
 * how each field is written. */
#include "columns.h"

#include "csvfmt.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

/* ---- runs.csv (and summary-only metrics) ---- */

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

/* Appends "<prefix><name>" as a column: a column named after an instrument,
 * actor, kind or stop. The prefix is a string literal, checked against
 * SIM_COLUMN_PREFIX_MAX at compile time, so that every name the scenario
 * loader accepts fits (columns.h). */
#define ADD_NAMED(prefix, nm, id, index, fmt, in_runs, summarize, prop)        \
    do {                                                                       \
        _Static_assert(sizeof(prefix) <= SIM_COLUMN_PREFIX_MAX,                \
                       "column prefix longer than SIM_COLUMN_PREFIX_MAX");     \
        n = add_named(cols, n, prefix, nm, id, index, fmt, in_runs, summarize, \
                      prop);                                                   \
    } while (0)

static int add_named(sim_column *cols, int n, const char *prefix,
                     const char *name, int id, int index, sim_col_format fmt,
                     bool in_runs, bool summarize, bool proportion)
{
    char full[SIM_COLUMN_NAME_MAX];
    snprintf(full, sizeof full, "%s%s", prefix, name);
    return add(cols, n, full, id, index, fmt, in_runs, summarize, proportion);
}

int sim_columns_list(const sim_scenario *sc, sim_column *cols)
{
    int n = 0;
#define COL(nm, id, fmt) n = add(cols, n, nm, id, 0, fmt, true, true, false)
    n = add(cols, n, "rep", C_REP, 0, SIM_COL_INT, true, false, false);
    n = add(cols, n, "seed", C_SEED, 0, SIM_COL_INT, true, false, false);
    n = add(cols, n, "stop_reason", C_STOP, 0, SIM_COL_TEXT, true, false,
            false);
    COL("rounds", C_ROUNDS, SIM_COL_INT);
    COL("us_deals", C_US_DEALS, SIM_COL_INT);
    COL("eu_deals", C_EU_DEALS, SIM_COL_INT);
    COL("released_total", C_RELEASED_TOTAL, SIM_COL_INT);
    for (int k = 0; k < SIM_N_KINDS; k++)
        ADD_NAMED("released_", sim_kind_name(k), C_RELEASED_KIND, k,
                  SIM_COL_INT, true, true, false);
    COL("prisoners_start", C_PRISONERS_START, SIM_COL_INT);
    COL("prisoners_end", C_PRISONERS_END, SIM_COL_INT);
    COL("arrests", C_ARRESTS, SIM_COL_INT);
    COL("completions", C_COMPLETIONS, SIM_COL_INT);
    COL("deaths", C_DEATHS, SIM_COL_INT);
    COL("first_us_deal_round", C_FIRST_US, SIM_COL_INT);
    COL("first_eu_relief_round", C_FIRST_EU, SIM_COL_INT);
    COL("pl_border_closed_rounds", C_PL_CLOSED, SIM_COL_INT);
    n = add(cols, n, "klaipeda_open_end", C_KLAIPEDA_END, 0, SIM_COL_INT, true,
            true, true);
    COL("drone_incidents", C_DRONES, SIM_COL_INT);
    COL("spy_scandals", C_SPIES, SIM_COL_INT);
    COL("moscow_freezes", C_FREEZES, SIM_COL_INT);
    COL("price_per_prisoner", C_PRICE, SIM_COL_REAL);
    for (int i = 0; i < sc->n_instruments; i++)
        ADD_NAMED("lifted_round_", sc->instrument[i].name, C_LIFTED_ROUND, i,
                  SIM_COL_INT, true, true, false);
    for (int a = 0; a < SIM_N_ACTORS; a++)
        ADD_NAMED("utility_", sim_actor_name(a), C_UTILITY, a, SIM_COL_REAL,
                  true, true, false);
    COL("eu_vetoes", C_EU_VETOES, SIM_COL_INT);
    COL("foreign_arrests", C_FOREIGN_ARRESTS, SIM_COL_INT);
    for (int k = 0; k < SIM_N_KINDS; k++)
        ADD_NAMED("prisoners_end_", sim_kind_name(k), C_PRISONERS_END_KIND, k,
                  SIM_COL_INT, true, true, false);
    COL("lt_border_closed_rounds", C_LT_CLOSED, SIM_COL_INT);
    COL("distracted_rounds", C_DISTRACTED, SIM_COL_INT);
    COL("frozen_rounds", C_FROZEN, SIM_COL_INT);
    COL("relief_end", C_RELIEF_END, SIM_COL_REAL);
    for (int i = 0; i < sc->n_instruments; i++)
        ADD_NAMED("status_", sc->instrument[i].name, C_STATUS, i, SIM_COL_TEXT,
                  true, false, false);
#undef COL
    n = add(cols, n, "any_us_deal", C_ANY_US, 0, SIM_COL_INT, false, true,
            true);
    n = add(cols, n, "any_eu_relief", C_ANY_EU, 0, SIM_COL_INT, false, true,
            true);
    for (int s = 0; s < SIM_N_STOPS; s++)
        ADD_NAMED("stop_", sim_stop_name(s), C_STOPPED, s, SIM_COL_INT, false,
                  true, true);
    for (int i = 0; i < sc->n_instruments; i++)
        ADD_NAMED("lifted_", sc->instrument[i].name, C_LIFTED_BY_END, i,
                  SIM_COL_INT, false, true, true);
    return n;
}

/* The instrument a column is named after, or -1. */
static int column_instrument(const sim_column *c)
{
    bool named = c->id == C_LIFTED_ROUND || c->id == C_STATUS ||
                 c->id == C_LIFTED_BY_END;
    return named ? c->index : -1;
}

int sim_columns_name_clash(const sim_scenario *sc, char *name, int *other)
{
    sim_column cols[SIM_MAX_COLUMNS];
    int n = sim_columns_list(sc, cols);
    int later = -1; /* none: a value, not an error */
    for (int q = 1; later < 0 && q < n; q++)
        for (int p = 0; later < 0 && p < q; p++) {
            if (strcmp(cols[p].name, cols[q].name) != 0)
                continue;
            int a = column_instrument(&cols[p]);
            int b = column_instrument(&cols[q]);
            snprintf(name, SIM_COLUMN_NAME_MAX, "%s", cols[q].name);
            *other = a > b ? b : a;
            later = a > b ? a : b;
        }
    return later;
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
        return (double)r->arrests[SIM_KIND_FOREIGN];
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
        return (int)r->stop_reason == c->index;
    case C_LIFTED_BY_END:
        return r->status[c->index] != SIM_STATUS_ACTIVE;
    default:
        return NAN;
    }
}

/* A number as CSV: empty for NaN, integers without a decimal point. */
static void put_number(sim_csv_row *row, double v, sim_col_format fmt)
{
    if (fmt == SIM_COL_INT)
        sim_csv_f0(row, v);
    else
        sim_csv_g15(row, v == 0 ? 0.0 : v);
}

void sim_columns_write_runs_header(FILE *f, const sim_column *cols, int n)
{
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (!cols[i].in_runs)
            continue;
        fprintf(f, "%s%s", first ? "" : ",", cols[i].name);
        first = false;
    }
    fputc('\n', f);
}

void sim_columns_write_run(FILE *f, const sim_column *cols, int n,
                           const sim_rep_result *r)
{
    sim_csv_row row;
    sim_csv_begin(&row, f);
    bool first = true;
    for (int i = 0; i < n; i++) {
        const sim_column *c = &cols[i];
        if (!c->in_runs)
            continue;
        if (!first)
            sim_csv_char(&row, ',');
        first = false;
        if (c->id == C_SEED)
            sim_csv_u64(&row, r->seed);
        else if (c->id == C_STOP)
            sim_csv_str(&row, sim_stop_name(r->stop_reason));
        else if (c->id == C_STATUS)
            sim_csv_str(&row, sim_instrument_status_name(r->status[c->index]));
        else
            put_number(&row, sim_column_value(c, r), c->format);
    }
    sim_csv_end(&row);
}

/* ---- rounds.csv ---- */

/* How a rounds.csv field is got from a sim_round_record. */
typedef enum round_how {
    R_U64,      /* a uint64_t field */
    R_INT,      /* an int field */
    R_BOOL,     /* a bool field, as 0 or 1 */
    R_LONG,     /* a long field */
    R_REAL,     /* a double field; empty when not finite */
    R_KIND_SUM, /* a long[SIM_N_KINDS] field, summed over the kinds */
    R_ARRESTS,  /* all new prisoners: arrests + foreign_arrests */
    R_LIFTED,   /* names of the instruments lifted or lapsed, ';'-separated */
    R_MONTH     /* "YYYY-MM" of the round */
} round_how;

/* A column of rounds.csv: its name, and how and from which field of the
 * record its value comes (offset unused by R_ARRESTS, R_LIFTED, R_MONTH). */
typedef struct round_column {
    const char *name;
    round_how how;
    size_t offset;
} round_column;

#define FIELD(how, field) how, offsetof(sim_round_record, field)

/* rounds.csv's columns, in order: the header's names, and what
 * sim_columns_put_round writes in each (in this order, by hand). */
static const round_column round_columns[] = {
    {"rep", FIELD(R_U64, rep)},
    {"round", FIELD(R_INT, round)},
    {"prisoners", FIELD(R_KIND_SUM, prisoners)},
    {"tension", FIELD(R_REAL, tension)},
    {"us_engaged", FIELD(R_BOOL, us_engaged)},
    {"pl_border_open", FIELD(R_BOOL, pl_border_open)},
    {"lt_border_open", FIELD(R_BOOL, lt_border_open)},
    {"klaipeda_open", FIELD(R_BOOL, klaipeda_open)},
    {"us_deal", FIELD(R_BOOL, us_deal)},
    {"eu_deal", FIELD(R_BOOL, eu_deal)},
    {"released", FIELD(R_KIND_SUM, released)},
    {"arrests", R_ARRESTS, 0},
    {"lifted", R_LIFTED, 0},
    {"month", R_MONTH, 0},
    {"prisoners_ordinary", FIELD(R_LONG, prisoners[SIM_KIND_ORDINARY])},
    {"prisoners_foreign", FIELD(R_LONG, prisoners[SIM_KIND_FOREIGN])},
    {"prisoners_high_profile", FIELD(R_LONG, prisoners[SIM_KIND_HIGH_PROFILE])},
    {"moscow_frozen", FIELD(R_BOOL, moscow_frozen)},
    {"exercise", FIELD(R_BOOL, exercise)},
    {"eu_renewal", FIELD(R_BOOL, eu_renewal)},
    {"eu_vetoed", FIELD(R_BOOL, eu_vetoed)},
    {"eu_lapsed", FIELD(R_BOOL, eu_lapsed)},
    {"us_stage", FIELD(R_INT, us_stage)},
    {"eu_stage", FIELD(R_INT, eu_stage)},
    {"released_ordinary", FIELD(R_LONG, released[SIM_KIND_ORDINARY])},
    {"released_foreign", FIELD(R_LONG, released[SIM_KIND_FOREIGN])},
    {"released_high_profile", FIELD(R_LONG, released[SIM_KIND_HIGH_PROFILE])},
    {"foreign_arrests", FIELD(R_LONG, foreign_arrests)},
    {"deaths", FIELD(R_LONG, deaths)},
    {"completions", FIELD(R_LONG, completions)},
    {"drones", FIELD(R_LONG, drones)},
    {"spy_scandals", FIELD(R_LONG, spy_scandals)},
    {"relief", FIELD(R_REAL, relief)},
    {"price_per_prisoner", FIELD(R_REAL, price)},
};

#undef FIELD

#define N_ROUND_COLUMNS ((int)(sizeof round_columns / sizeof round_columns[0]))

const char *sim_columns_round_name(int i)
{
    return i >= 0 && i < N_ROUND_COLUMNS ? round_columns[i].name : NULL;
}

void sim_columns_write_rounds_header(FILE *f)
{
    for (int i = 0; i < N_ROUND_COLUMNS; i++)
        fprintf(f, "%s%s", i ? "," : "", round_columns[i].name);
    fputc('\n', f);
}

/* The year and month of round 1 as month_label_slow reads them, when
 * sc->start is plainly "YYYY-MM" (what the loader accepts in practice);
 * false for any other text, left to month_label_slow. */
static bool plain_start(const char *start, int *y, int *m)
{
    for (int i = 0; i < 7; i++) {
        bool digit = start[i] >= '0' && start[i] <= '9';
        if (i == 4 ? start[i] != '-' : !digit)
            return false;
    }
    if (start[7] != '\0')
        return false;
    *y = (start[0] - '0') * 1000 + (start[1] - '0') * 100 +
         (start[2] - '0') * 10 + (start[3] - '0');
    *m = (start[5] - '0') * 10 + (start[6] - '0');
    return true;
}

/* "YYYY-MM" of a 1-based round, as printf writes it; the general case. */
static void month_label_slow(const sim_scenario *sc, int round,
                             sim_csv_row *row)
{
    int y = 0, m = 1;
    sscanf(sc->start, "%d-%d", &y, &m);
    int months = (m - 1) + (round - 1) * sc->round_months;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%04d-%02d", y + months / 12,
                     months % 12 + 1);
    if (n > 0 && (size_t)n < sizeof buf)
        sim_csv_text(row, buf, (size_t)n);
}

/* Appends "YYYY-MM" of a 1-based round: by hand when the start is plain
 * and the date has four-digit years and a month in 1..12, else as before
 * with sscanf and snprintf (the same text either way). */
static void put_month(const sim_scenario *sc, int round, sim_csv_row *row)
{
    int y, m;
    if (!plain_start(sc->start, &y, &m)) {
        month_label_slow(sc, round, row);
        return;
    }
    long months = (m - 1) + (long)(round - 1) * sc->round_months;
    long year = y + months / 12, month = months % 12 + 1;
    if (months < 0 || months > 100000 || year > 9999 || month > 12) {
        month_label_slow(sc, round, row);
        return;
    }
    char buf[7] = {(char)('0' + year / 1000),
                   (char)('0' + year / 100 % 10),
                   (char)('0' + year / 10 % 10),
                   (char)('0' + year % 10),
                   '-',
                   (char)('0' + month / 10),
                   (char)('0' + month % 10)};
    sim_csv_text(row, buf, sizeof buf);
}

/* Appends the names of the instruments lifted in r, ';'-separated. */
static void put_lifted(sim_csv_row *row, const sim_scenario *sc,
                       const sim_round_record *r)
{
    bool first = true;
    for (int i = 0; i < sc->n_instruments; i++)
        if (r->lifted & (1u << i)) {
            if (!first)
                sim_csv_char(row, ';');
            sim_csv_str(row, sc->instrument[i].name);
            first = false;
        }
}

/* A rounds.csv row is written in two parts of fixed-width fields (the
 * lifted names and the month between them are appended with checks):
 * room for either part is made once, and its fields go in unchecked. A
 * part is at most 24 fields of at most SIM_CSV_NUM_MAX characters and a
 * separator each. */
#define ROUND_PART_MAX ((size_t)24 * (SIM_CSV_NUM_MAX + 1))
_Static_assert(ROUND_PART_MAX <= sizeof(((sim_csv_row *)0)->buf),
               "a part of a rounds.csv row must fit the row buffer");

/* Makes room for a part; returns where it goes. */
static char *part_begin(sim_csv_row *row)
{
    if (row->len + ROUND_PART_MAX > sizeof row->buf)
        sim_csv_flush(row);
    return row->buf + row->len;
}

/* Ends a part at p. */
static void part_end(sim_csv_row *row, const char *p)
{
    row->len = (size_t)(p - row->buf);
}

/* ",v" as "%lld" at p; returns the end. */
static char *put_count(char *p, long v)
{
    *p++ = ',';
    if (v >= 0 && v < 10) {
        *p++ = (char)('0' + v);
        return p;
    }
    return p + sim_csvfmt_i64(p, v);
}

/* ",0" or ",1" at p; returns the end. */
static char *put_flag(char *p, bool b)
{
    p[0] = ',';
    p[1] = b ? '1' : '0';
    return p + 2;
}

/* ",v" for a per-kind count summed over the kinds. */
static char *put_kind_sum(char *p, const long *v)
{
    long sum = 0;
    for (int k = 0; k < SIM_N_KINDS; k++)
        sum += v[k];
    return put_count(p, sum);
}

/* A real column's value at p as put_number writes a real (-0 as 0, empty
 * when not finite), its text through its memo; returns the end. */
static char *put_real(char *p, sim_csv_memo *memo, double v)
{
    if (!isfinite(v))
        return p;
    if (v == 0)
        v = 0.0;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    if (memo->len == 0 || memo->bits != bits) {
        memo->len = sim_csvfmt_g15(memo->text, v);
        memo->bits = bits;
    }
    memcpy(p, memo->text, memo->len);
    return p + memo->len;
}

/* The replication number at p, its text kept by the memo (every row of
 * a replication repeats it); returns the end. */
static char *put_rep(char *p, sim_round_memo *memo, uint64_t rep)
{
    if (memo->rep_len == 0 || memo->rep != rep) {
        memo->rep_len = sim_csvfmt_u64(memo->rep_text, rep);
        memo->rep = rep;
    }
    memcpy(p, memo->rep_text, memo->rep_len);
    return p + memo->rep_len;
}

/* The fields in round_columns' order, written straight rather than
 * dispatched from the table (the dispatch was most of a row's cost); the
 * golden files hold the order. */
void sim_columns_put_round(sim_csv_row *out, sim_round_memo *memo,
                           const sim_scenario *sc, const sim_round_record *r)
{
    _Static_assert(N_ROUND_COLUMNS == 34 && SIM_ROUND_REALS == 3,
                   "sim_columns_put_round writes 34 columns, 3 of them "
                   "real: update it with round_columns");
    char *p = part_begin(out); /* rep .. arrests: 12 fields */
    p = put_rep(p, memo, r->rep);
    p = put_count(p, r->round);
    p = put_kind_sum(p, r->prisoners);
    *p++ = ',';
    p = put_real(p, &memo->real[0], r->tension);
    p = put_flag(p, r->us_engaged);
    p = put_flag(p, r->pl_border_open);
    p = put_flag(p, r->lt_border_open);
    p = put_flag(p, r->klaipeda_open);
    p = put_flag(p, r->us_deal);
    p = put_flag(p, r->eu_deal);
    p = put_kind_sum(p, r->released);
    p = put_count(p, r->arrests + r->foreign_arrests);
    *p++ = ',';
    part_end(out, p);
    put_lifted(out, sc, r);
    sim_csv_char(out, ',');
    put_month(sc, r->round, out);
    p = part_begin(out); /* prisoners_ordinary .. price: 20 fields */
    p = put_count(p, r->prisoners[SIM_KIND_ORDINARY]);
    p = put_count(p, r->prisoners[SIM_KIND_FOREIGN]);
    p = put_count(p, r->prisoners[SIM_KIND_HIGH_PROFILE]);
    p = put_flag(p, r->moscow_frozen);
    p = put_flag(p, r->exercise);
    p = put_flag(p, r->eu_renewal);
    p = put_flag(p, r->eu_vetoed);
    p = put_flag(p, r->eu_lapsed);
    p = put_count(p, r->us_stage);
    p = put_count(p, r->eu_stage);
    p = put_count(p, r->released[SIM_KIND_ORDINARY]);
    p = put_count(p, r->released[SIM_KIND_FOREIGN]);
    p = put_count(p, r->released[SIM_KIND_HIGH_PROFILE]);
    p = put_count(p, r->foreign_arrests);
    p = put_count(p, r->deaths);
    p = put_count(p, r->completions);
    p = put_count(p, r->drones);
    p = put_count(p, r->spy_scandals);
    *p++ = ',';
    p = put_real(p, &memo->real[1], r->relief);
    *p++ = ',';
    p = put_real(p, &memo->real[2], r->price);
    *p++ = '\n';
    part_end(out, p);
}

void sim_columns_write_round(FILE *f, sim_round_memo *memo,
                             const sim_scenario *sc, const sim_round_record *r)
{
    sim_csv_row row;
    sim_csv_begin(&row, f);
    sim_columns_put_round(&row, memo, sc, r);
    sim_csv_flush(&row);
}
