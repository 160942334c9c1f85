/* explore_result.c - a run's aggregates as the JSON of GET /api/result
 * (explore_api.h): the fan chart of the prisoner stock, the
 * distribution of releases, the probability by round that each
 * instrument is lifted and each border open, the paired comparison with
 * the unchanged scenario and the summary metrics, from the first n
 * replications of the two arms. Called by the runner's control thread
 * only, never while the mutex is held. */
#include "explore_run.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/stats.h>

#include "explore_json.h"

/* The metrics compared, with the page's labels. */
static const struct {
    const char *metric, *label;
} compared[] = {
    {"released_total", "political prisoners released"},
    {"released_foreign", "foreign nationals released"},
    {"prisoners_end", "political prisoners at the end"},
    {"arrests", "new political prisoners"},
    {"deaths", "deaths in custody"},
    {"us_deals", "Washington-Minsk deals"},
    {"any_us_deal", "runs with a US deal"},
    {"first_us_deal_round", "round of the first US deal"},
    {"eu_deals", "EU deals"},
    {"any_eu_relief", "runs with EU relief"},
    {"price_per_prisoner", "going price ($bn/yr per person)"},
    {"relief_end", "relief at the end ($bn/yr)"},
    {"pl_border_closed_rounds", "rounds Poland's border closed"},
    {"lt_border_closed_rounds", "rounds Lithuania's border closed"},
    {"klaipeda_open_end", "Klaipeda open at the end"},
    {"moscow_freezes", "Moscow freezes"},
};

static const char *const border_names[] = {"pl_border_open",
                                           "lt_border_open", "klaipeda_open"};

static int metric_index(const explore_arm *a, const char *name)
{
    for (int m = 0; m < a->nmetrics; m++)
        if (!strcmp(a->metric[m].name, name))
            return m;
    return -1;
}

/* The fan chart of arm a: by round, over the replications still playing
 * it (those that stopped earlier are left out, not padded, as in `plot`'s
 * fan charts), the mean and the 5, 25, 50, 75 and 95 % quantiles of the
 * prisoner stock at the end of the round. Quantiles are exact: GSL's
 * gsl_stats_quantile_from_sorted_data on the sorted values, linear
 * interpolation at position (m - 1) f (Hyndman and Fan's type 7, R's
 * default, as summary.csv). */
static void fan(jbuf *jb, const explore_arm *a, long n, double *work)
{
    static const char *const names[] = {"q05", "q25", "q50",
                                        "q75", "q95", "mean"};
    static const double f[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    int R = a->sc.rounds;
    double *q = malloc(6 * (size_t)R * sizeof *q);
    if (!q) {
        jb->failed = true;
        return;
    }
    for (int t = 0; t < R; t++) {
        size_t m = 0;
        for (long rep = 0; rep < n; rep++) {
            double v = a->stock[rep * R + t];
            if (!isnan(v))
                work[m++] = v;
        }
        if (m)
            gsl_sort(work, 1, m);
        for (int k = 0; k < 5; k++)
            q[k * R + t] =
                m ? gsl_stats_quantile_from_sorted_data(work, 1, m, f[k]) : NAN;
        q[5 * R + t] = m ? gsl_stats_mean(work, 1, m) : NAN;
    }
    jb_open(jb, '{');
    for (int k = 0; k < 6; k++)
        jb_knums(jb, names[k], q + (size_t)k * (size_t)R, R);
    jb_close(jb, '}');
    free(q);
}

/* A bin width of 1, 2 or 5 times a power of ten, at least raw and 1. */
static double nice_width(double raw)
{
    if (!(raw > 1))
        return 1;
    double p = pow(10, floor(log10(raw)));
    return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

/* The histogram of released_total over the replications of both arms,
 * on common bins of a nice width (about 20 bins): edges, counts of the
 * changed scenario, counts of the unchanged one. */
static void releases(jbuf *jb, const explore_arm *a, const explore_arm *b,
                     long n, long target)
{
    const explore_arm *arm[2] = {a, b};
    const double *v[2];
    double lo = INFINITY, hi = -INFINITY;
    for (int s = 0; s < 2; s++) {
        int m = metric_index(arm[s], "released_total");
        v[s] = m < 0 ? NULL : arm[s]->value + (size_t)m * (size_t)target;
        for (long r = 0; v[s] && r < n; r++)
            if (!isnan(v[s][r])) {
                lo = fmin(lo, v[s][r]);
                hi = fmax(hi, v[s][r]);
            }
    }
    int nb = 0;
    double w = 1, start = 0;
    if (lo <= hi) {
        w = nice_width((hi - lo) / 20);
        start = floor(lo / w) * w;
        nb = (int)fmin(200, floor((hi - start) / w) + 1);
    }
    jb_open(jb, '{');
    jb_key(jb, "edges");
    jb_open(jb, '[');
    for (int i = 0; i <= nb && nb; i++)
        jb_num(jb, start + i * w);
    jb_close(jb, ']');
    for (int s = 0; s < 2; s++) {
        jb_key(jb, s ? "base_counts" : "counts");
        jb_open(jb, '[');
        for (int i = 0; i < nb; i++) {
            long c = 0;
            for (long r = 0; v[s] && r < n; r++)
                c += !isnan(v[s][r]) &&
                     (int)fmin(nb - 1, floor((v[s][r] - start) / w)) == i;
            jb_int(jb, c);
        }
        jb_close(jb, ']');
    }
    jb_close(jb, '}');
}

/* p[t] = count row `row` summed up to round t + 1, over n (cumulative)
 * or over the replications playing round t + 1 (not cumulative). */
static void by_round(jbuf *jb, const char *key, const explore_arm *a, int row,
                     bool cumulative, long n)
{
    int R = a->sc.rounds;
    const long *c = a->count + (size_t)row * (size_t)R;
    const long *running = a->count + (size_t)EXPLORE_ROW_RUNNING * (size_t)R;
    long sum = 0;
    jb_key(jb, key);
    jb_open(jb, '[');
    for (int t = 0; t < R; t++) {
        sum += c[t];
        double den = cumulative ? (double)n : (double)running[t];
        jb_num(jb, den > 0 ? (double)(cumulative ? sum : c[t]) / den : NAN);
    }
    jb_close(jb, ']');
}

/* P(lifted or lapsed by the end of round t) per instrument, over all n
 * replications (a replication that stopped keeps its state); base_p is
 * the unchanged scenario's for the instrument of the same name. */
static void lifted(jbuf *jb, const explore_arm *a, const explore_arm *b,
                   long n)
{
    jb_open(jb, '[');
    for (int k = 0; k < a->sc.n_instruments; k++) {
        const sim_instrument_spec *in = &a->sc.instrument[k];
        jb_open(jb, '{');
        jb_kstr(jb, "name", in->name);
        jb_kstr(jb, "imposer", sim_imposer_names[in->imposer]);
        jb_kbool(jb, "offered", !in->withheld);
        by_round(jb, "p", a, EXPLORE_ROW_LIFTED + k, true, n);
        int kb = sim_scenario_instrument(&b->sc, in->name);
        if (kb >= 0)
            by_round(jb, "base_p", b, EXPLORE_ROW_LIFTED + kb, true, n);
        jb_close(jb, '}');
    }
    jb_close(jb, ']');
}

/* P(border open at the end of round t) over the replications playing
 * round t. */
static void borders(jbuf *jb, const explore_arm *a, const explore_arm *b)
{
    jb_open(jb, '[');
    for (int k = 0; k < 3; k++) {
        jb_open(jb, '{');
        jb_kstr(jb, "name", border_names[k]);
        by_round(jb, "p", a, k, false, 0);
        by_round(jb, "base_p", b, k, false, 0);
        jb_close(jb, '}');
    }
    jb_close(jb, ']');
}

/* summary.csv's mean of metric m of arm a over n replications: the
 * library's own summary (sim_stats_summarize), bit for bit. */
static double mean_of(const explore_arm *a, int m, long n, long target,
                      double *work, size_t *count)
{
    sim_summary s;
    sim_err err;
    const double *x = a->value + (size_t)m * (size_t)target;
    if (sim_stats_summarize(a->metric[m].name, x, (size_t)n,
                            a->metric[m].proportion, work, &s, &err) != 0)
        return NAN;
    if (count)
        *count = s.n;
    return s.mean;
}

/* One metric's paired comparison: the means of both arms and the mean
 * difference over the replications where both have a value, with its 95 %
 * Student t interval. */
static void compare_one(jbuf *jb, const explore_arm *a, const explore_arm *b,
                        int k, long n, long target, double *work)
{
    int ma = metric_index(a, compared[k].metric);
    int mb = metric_index(b, compared[k].metric);
    if (ma < 0 || mb < 0)
        return;
    double mean = mean_of(a, ma, n, target, work, NULL);
    double base = mean_of(b, mb, n, target, work, NULL);
    const double *xa = a->value + (size_t)ma * (size_t)target;
    const double *xb = b->value + (size_t)mb * (size_t)target;
    size_t m = 0;
    for (long r = 0; r < n; r++)
        if (!isnan(xa[r]) && !isnan(xb[r]))
            work[m++] = xa[r] - xb[r];
    double d = m ? gsl_stats_mean(work, 1, m) : NAN;
    double half = NAN;
    if (m >= 2)
        half = gsl_cdf_tdist_Pinv(0.975, (double)(m - 1)) *
               gsl_stats_sd_m(work, 1, m, d) / sqrt((double)m);
    else if (m == 1)
        half = 0;
    jb_open(jb, '{');
    jb_kstr(jb, "metric", compared[k].metric);
    jb_kstr(jb, "label", compared[k].label);
    jb_kbool(jb, "proportion", a->metric[ma].proportion);
    jb_knum(jb, "mean", mean);
    jb_knum(jb, "base_mean", base);
    jb_knum(jb, "diff", d);
    jb_knum(jb, "lo", d - half);
    jb_knum(jb, "hi", d + half);
    jb_kint(jb, "n", (long long)m);
    jb_close(jb, '}');
}

static void summary(jbuf *jb, const explore_arm *a, long n, long target,
                    double *work)
{
    jb_open(jb, '[');
    for (int m = 0; m < a->nmetrics; m++) {
        size_t count = 0;
        double mean = mean_of(a, m, n, target, work, &count);
        jb_open(jb, '{');
        jb_kstr(jb, "metric", a->metric[m].name);
        jb_knum(jb, "mean", mean);
        jb_kint(jb, "n", (long long)count);
        jb_close(jb, '}');
    }
    jb_close(jb, ']');
}

char *explore_result_json(const explore_job_info *job, const explore_arm *a,
                          const explore_arm *b, long n, double seconds,
                          double *work)
{
    jbuf jb = {0}, cmd = {0};
    char count[48];
    snprintf(count, sizeof count, " -n %ld", n);
    jb_raw(&cmd, job->head);
    jb_raw(&cmd, count);
    if (job->tail[0]) {
        jb_raw(&cmd, " ");
        jb_raw(&cmd, job->tail);
    }
    jb_kint(&jb, "replications", n);
    jb_kint(&jb, "target", job->target);
    jb_kint(&jb, "seed", (long long)job->seed);
    jb_kint(&jb, "rounds", a->sc.rounds);
    jb_kstr(&jb, "command", cmd.s ? cmd.s : "");
    jb.failed |= cmd.failed;
    jb_free(&cmd);
    jb_knum(&jb, "seconds", seconds);
    jb_knum(&jb, "per_second", seconds > 0 ? (double)n / seconds : NAN);
    jb_key(&jb, "stock");
    fan(&jb, a, n, work);
    jb_key(&jb, "base_stock");
    fan(&jb, b, n, work);
    jb_key(&jb, "releases");
    releases(&jb, a, b, n, job->target);
    jb_key(&jb, "lifted");
    lifted(&jb, a, b, n);
    jb_key(&jb, "borders");
    borders(&jb, a, b);
    jb_key(&jb, "compare");
    jb_open(&jb, '[');
    for (size_t k = 0; k < sizeof compared / sizeof *compared; k++)
        compare_one(&jb, a, b, (int)k, n, job->target, work);
    jb_close(&jb, ']');
    jb_key(&jb, "summary");
    summary(&jb, a, n, job->target, work);
    jb_close(&jb, '}');
    return jb_take(&jb, NULL);
}
