/* score_rules.c - the proper scores of an ensemble forecast (the fair CRPS,
 * the fair Brier score, the randomised PIT, quantiles) and the calendar
 * that maps a target's dates to rounds. */
#include <sanctionsim/score.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

double sim_score_crps_fair(double *x, size_t m, double y)
{
    if (m < 2)
        return NAN;
    gsl_sort(x, 1, m);
    /* sum_i sum_j |x_i - x_j| = 2 sum_i (2i - m + 1) x_(i), i from 0, on
     * sorted values; accumulated with the mean absolute error. */
    double abs_err = 0.0, spread = 0.0;
    for (size_t i = 0; i < m; i++) {
        abs_err += fabs(x[i] - y);
        spread += (2.0 * (double)i - (double)m + 1.0) * x[i];
    }
    double md = (double)m;
    return abs_err / md - 2.0 * spread / (2.0 * md * (md - 1.0));
}

double sim_score_brier_fair(size_t k, size_t m, double y)
{
    if (m < 2 || k > m)
        return NAN;
    double p = (double)k / (double)m;
    return (p - y) * (p - y) - p * (1.0 - p) / ((double)m - 1.0);
}

double sim_score_pit(const double *x, size_t m, double y, double u)
{
    if (m < 1)
        return NAN;
    size_t below = 0, tied = 0;
    for (size_t i = 0; i < m; i++) {
        if (x[i] < y)
            below++;
        else if (x[i] == y)
            tied++;
    }
    return ((double)below + u * (double)tied) / (double)m;
}

double sim_score_quantile(const double *sorted, size_t m, double p)
{
    if (m < 1)
        return NAN;
    return gsl_stats_quantile_from_sorted_data(sorted, 1, m, p);
}

bool sim_score_ensemble(const sim_target *t, double *x, size_t m, double u,
                        sim_score_stats *out)
{
    *out = (sim_score_stats){.n = m, .mean = NAN, .sd = NAN, .q05 = NAN,
                             .q25 = NAN, .q50 = NAN, .q75 = NAN, .q95 = NAN,
                             .crps = NAN, .brier = NAN, .pit = NAN,
                             .in50 = -1, .in90 = -1};
    if (m < 2)
        return false;
    out->mean = gsl_stats_mean(x, 1, m);
    out->sd = gsl_stats_sd(x, 1, m);
    out->pit = sim_score_pit(x, m, t->value, u);
    if (t->stat == SIM_TARGET_EVENT) {
        size_t k = 0;
        for (size_t i = 0; i < m; i++)
            k += x[i] != 0.0;
        out->brier = sim_score_brier_fair(k, m, t->value);
        return true;
    }
    out->crps = sim_score_crps_fair(x, m, t->value); /* sorts x */
    out->q05 = sim_score_quantile(x, m, 0.05);
    out->q25 = sim_score_quantile(x, m, 0.25);
    out->q50 = sim_score_quantile(x, m, 0.50);
    out->q75 = sim_score_quantile(x, m, 0.75);
    out->q95 = sim_score_quantile(x, m, 0.95);
    out->in50 = t->value >= out->q25 && t->value <= out->q75;
    out->in90 = t->value >= out->q05 && t->value <= out->q95;
    return true;
}

/* ---- the calendar ---- */

/* Reads n decimal digits of s into *v; false unless all are digits. */
static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int sim_score_date_round(const sim_score_calendar *cal, const char *date,
                         int *round, sim_err *err)
{
    int y = 0, m = 0, d = 1;
    size_t len = strlen(date);
    bool ok = (len == 7 || len == 10) && digits(date, 4, &y) &&
              date[4] == '-' && digits(date + 5, 2, &m) && m >= 1 && m <= 12;
    if (ok && len == 10)
        ok = date[7] == '-' && digits(date + 8, 2, &d) && d >= 1 &&
             d <= days_in_month(y, m);
    if (!ok)
        return sim_error(err, SIM_E_USAGE,
                         "'%s' is not a date (YYYY-MM-DD, or YYYY-MM for a "
                         "month)",
                         date);
    if (!cal)
        return 0;
    long months = (long)(y - cal->start_year) * 12 + (m - cal->start_month);
    long rm = cal->round_months > 0 ? cal->round_months : 1;
    /* floor division: months before the start give rounds below 1 */
    long q = months >= 0 ? months / rm : -((-months + rm - 1) / rm);
    *round = (int)(q + 1);
    return 0;
}

/* The round of one end of a period. */
static int when_round(const sim_score_calendar *cal, const sim_target_when *w,
                      int dflt, int *round, sim_err *err)
{
    if (w->date[0])
        return sim_score_date_round(cal, w->date, round, err);
    *round = w->round ? w->round : dflt;
    return 0;
}

int sim_target_rounds(const sim_target *t, const sim_score_calendar *cal,
                      int *from, int *to, sim_err *err)
{
    int rc = when_round(cal, &t->from, 1, from, err);
    if (!rc)
        rc = when_round(cal, &t->to, cal->rounds, to, err);
    return rc;
}
