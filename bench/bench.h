/* bench.h - what the files of sim_bench share: the clocks, the median, a
 * timed batch into a temporary folder, and the rows of rounds.c and
 * threads.c. */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <sanctionsim/scenario.h>

/* Clock id's time in seconds. */
double bench_clock(clockid_t id);

/* The calling thread's CPU time in seconds (user and system). */
double bench_now(void);

/* Loads a scenario file with the built-in models; 0, or 2 after a
 * message. */
int bench_load(sim_scenario *sc, const char *path);

/* Makes a temporary folder $TMPDIR/sim_bench.XXXXXX (TMPDIR or /tmp) into
 * tmp and names the result directory tmp/out in dir; 0, or 1 after a
 * message. */
int bench_tmpdir(char *tmp, size_t tmp_size, char *dir, size_t dir_size);

/* Removes dir and what it holds, `depth` levels of subfolders deep. */
void bench_remove_tree(const char *dir, int depth);

/* The times of one batch. */
typedef struct bench_times {
    double thread_cpu;  /* the calling thread's CPU seconds */
    double wall;        /* wall-clock seconds */
    double process_cpu; /* CPU seconds of all the process's threads */
} bench_times;

/* Runs a batch of reps replications of sc (master seed 1) into dir on
 * `threads` threads (0: the default), with or without rounds.csv, and
 * times it into *t. An earlier result in dir is removed first, untimed.
 * Returns 0, or -1 after a message. */
int bench_batch(const sim_scenario *sc, const char *dir, long reps,
                bool trace, int threads, bench_times *t);

/* Median of x[0..n), which it sorts. */
double bench_median(double *x, int n);

/* Prints rounds:NAME, floor:NAME and ratio:NAME for `reps` replications of
 * the scenario file, engine and floor alternated. Returns 0, 1 (failure)
 * or 2 (the scenario does not load). */
int bench_rounds(const char *path, long reps, int repeats);

/* Prints trace_overhead:NAME: a batch of `reps` replications into a
 * temporary result directory with and without rounds.csv, alternated.
 * Returns 0, 1 or 2 as bench_rounds. */
int bench_trace(const char *path, long reps, int repeats);

/* Prints batch_wall:NAME:threads=1 and =2 and speedup:NAME:threads=2:
 * the wall-clock time of a batch of `reps` replications on 1 and on 2
 * threads, alternated (threads.c). Returns 0, 1 or 2 as bench_rounds. */
int bench_threads(const char *path, long reps, int repeats);

#endif
