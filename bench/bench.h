/* bench.h - what the files of sim_bench share: the clock, the median, and
 * the rows of rounds.c and threads.c. */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

/* The calling thread's CPU time in seconds (user and system). */
double bench_now(void);

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
