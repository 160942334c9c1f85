/* threads.c - the speed-up of a batch on 2 threads against 1 (issue 10):
 * the wall-clock time of sim_batch_run (no trace, master seed 1) into a
 * temporary result directory, 1 and 2 threads alternated within each
 * repeat (in the order 1, 2 in even repeats and 2, 1 in odd ones, after
 * an untimed pair that warms the process up). Wall-clock, not CPU time, for threads save wall-clock time only;
 * so this row needs an otherwise idle machine, and prints the load
 * average before and after on stderr to say whether it had one. The
 * cpu_ratio row (CPU time of all threads, 2 against 1) is the threads'
 * overhead, which a busy machine does not hide. */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include <sanctionsim/scenario.h>

#include "bench.h"

#define MAX_REPEATS 64

/* The 1-minute load average (Linux /proc/loadavg), or -1. */
static double load_average(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double l = -1;
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = -1;
        fclose(f);
    }
    return l;
}

/* Wall-clock seconds of a batch of reps replications on `threads`
 * threads into dir, and the CPU seconds of all its threads in *cpu;
 * negative after an error. */
static double time_batch(const sim_scenario *sc, const char *dir, long reps,
                         int threads, double *cpu)
{
    bench_times t;
    if (bench_batch(sc, dir, reps, false, threads, &t))
        return -1.0;
    *cpu = t.process_cpu;
    return t.wall;
}

int bench_threads(const char *path, long reps, int repeats)
{
    static sim_scenario sc;
    int rc = bench_load(&sc, path);
    if (rc)
        return rc;
    char tmp[1024], dir[1100];
    if (bench_tmpdir(tmp, sizeof tmp, dir, sizeof dir))
        return 1;
    double load0 = load_average();
    double t1[MAX_REPEATS], t2[MAX_REPEATS], speedup[MAX_REPEATS];
    double cpu_ratio[MAX_REPEATS], c1 = 0, c2 = 0;
    /* One untimed pair first: the first batches of the process fault in
     * their memory (about 600 pages each) and start the second thread's
     * malloc arena, once for the life of a run, not per batch. */
    rc = time_batch(&sc, dir, reps, 1, &c1) < 0 ||
         time_batch(&sc, dir, reps, 2, &c2) < 0;
    for (int i = 0; i < repeats && !rc; i++) {
        /* 1, 2 then 2, 1: neither always runs after the other */
        bool first1 = i % 2 == 0;
        double a = time_batch(&sc, dir, reps, first1 ? 1 : 2,
                              first1 ? &c1 : &c2);
        double b = a < 0 ? -1.0
                         : time_batch(&sc, dir, reps, first1 ? 2 : 1,
                                      first1 ? &c2 : &c1);
        t1[i] = first1 ? a : b;
        t2[i] = first1 ? b : a;
        speedup[i] = t1[i] / t2[i];
        cpu_ratio[i] = c2 / c1;
        rc = b < 0;
    }
    bench_remove_tree(tmp, 1);
    if (rc)
        return 1;
    fprintf(stderr,
            "sim_bench: threads: load average %.2f before, %.2f after, on %ld "
            "cores (a speed-up needs them idle)\n",
            load0, load_average(), sysconf(_SC_NPROCESSORS_ONLN));
    double m1 = bench_median(t1, repeats), m2 = bench_median(t2, repeats);
    printf("batch_wall:%s:threads=1,%d,%ld,%.4f,%.1f\n", sc.name, repeats,
           reps, m1, (double)reps / m1);
    printf("batch_wall:%s:threads=2,%d,%ld,%.4f,%.1f\n", sc.name, repeats,
           reps, m2, (double)reps / m2);
    printf("speedup:%s:threads=2,%d,%ld,%.4f,%.2f\n", sc.name, repeats, reps,
           m2, bench_median(speedup, repeats));
    /* the threads' overhead, which a busy machine does not hide: the
     * speed-up on idle cores is at most 2 / this */
    printf("cpu_ratio:%s:threads=2,%d,%ld,%.4f,%.3f\n", sc.name, repeats,
           reps, m2, bench_median(cpu_ratio, repeats));
    return 0;
}
