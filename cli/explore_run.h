/* explore_run.h - the runner of `sanctionsim explore`: background threads
 * that run replications 0, 1, 2, ... of the changed scenario and of the
 * unchanged one under one seed (common random numbers), in chunks, and
 * publish the aggregates as JSON text after chunks; a new run cancels the
 * one under way. The HTTP side only copies the published text. */
#ifndef SIM_CLI_EXPLORE_RUN_H
#define SIM_CLI_EXPLORE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sanctionsim/error.h>
#include <sanctionsim/metrics.h>
#include <sanctionsim/scenario.h>

/* A run stops adding replications at EXPLORE_TARGET, or fewer for long
 * horizons: the per-round prisoner stock of every replication is kept for
 * the exact quantiles, EXPLORE_STOCK_BUDGET doubles per scenario at most
 * (target x rounds; 4e6 doubles = 32 MB, twice for the two scenarios), and
 * every summary metric's value (about 60 x 20,000 doubles = 9.6 MB per
 * scenario at the baseline's columns). */
#define EXPLORE_TARGET 20000L
#define EXPLORE_STOCK_BUDGET 4000000L

/* The replications of one scenario so far (a run's "arm"): every summary
 * metric's value by replication, the prisoner stock by replication and
 * round, and counts by round. */
typedef struct explore_arm {
    sim_scenario sc;
    sim_metric metric[SIM_MAX_COLUMNS];
    int nmetrics;
    double *value; /* [m * target + rep] */
    double *stock; /* [rep * rounds + t]; NaN for rounds not played */
    /* [row * rounds + t]: rows 0-2 replications with Poland's border,
     * Lithuania's border and Klaipeda open at the end of round t + 1, row
     * 3 replications playing round t + 1, row 4 + i replications in which
     * instrument i was first lifted or lapsed in round t + 1 (lifted
     * before round 1: round 1) */
    long *count;
} explore_arm;

#define EXPLORE_ROW_RUNNING 3
#define EXPLORE_ROW_LIFTED 4

/* What a run's JSON shows besides the aggregates. */
typedef struct explore_job_info {
    long id;
    uint64_t seed;
    long target;
    /* the command that repeats the run: head + " -n N " + tail */
    char head[SIM_PATH_MAX + 64];
    char *tail; /* owned */
} explore_job_info;

/* The JSON members after "state" of a run's result (see
 * explore_api.h: replications, target, seed, rounds, command,
 * stock, base_stock, releases, lifted, borders, compare, summary) for
 * its first n replications, without the opening brace; malloc'ed, NULL
 * when out of memory. explore_result.c. */
char *explore_result_json(const explore_job_info *job, const explore_arm *a,
                          const explore_arm *b, long n, double seconds,
                          double *work);

/* The target of a run of scenarios of `rounds_a` and `rounds_b` rounds,
 * at most max (0: EXPLORE_TARGET). */
long explore_target(int rounds_a, int rounds_b, long max);

typedef struct explore_runner explore_runner;

/* Starts the runner with `threads` worker threads (at least 1). */
int explore_runner_new(int threads, explore_runner **out, sim_err *err);

/* Cancels any run, stops the threads and frees the runner (NULL: no-op). */
void explore_runner_free(explore_runner *r);

/* Starts run `id` (greater than every earlier one) of `changed` against
 * `base` under `seed`, up to `target` replications, cancelling the run
 * under way; both scenarios are copied. The command shown is head -n N
 * tail. */
int explore_runner_submit(explore_runner *r, long id,
                          const sim_scenario *changed,
                          const sim_scenario *base, uint64_t seed,
                          long target, const char *head, const char *tail,
                          sim_err *err);

/* A copy (malloc'ed, its length in *len) of the newest result of run id
 * (id < 0: the newest run), or NULL if the runner keeps no such run
 * (*len = 0) or memory ran out (*len = 1). */
char *explore_runner_result(explore_runner *r, long id, size_t *len);

/* Waits until run id has ended (done, cancelled or failed) or `seconds`
 * passed; true if it has ended. For tests. */
bool explore_runner_wait(explore_runner *r, long id, double seconds);

#endif
