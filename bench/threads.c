/* threads.c - the speed-up of a batch on 2 threads against 1 (issue 10):
 * the wall-clock time of sim_batch_run (no trace, master seed 1) into a
 * temporary result directory, 1 and 2 threads alternated within each
 * repeat. Wall-clock, not CPU time, for threads save wall-clock time only;
 * so this row needs an otherwise idle machine, and prints the load
 * average before and after on stderr to say whether it had one. The
 * cpu_ratio row (CPU time of all threads, 2 against 1) is the threads'
 * overhead, which a busy machine does not hide. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sanctionsim/batch.h>
#include <sanctionsim/models.h>
#include <sanctionsim/scenario.h>

#include "bench.h"

#define MAX_REPEATS 64

static double clock_now(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

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
    sim_batch_opts o = {.seed = 1,
                        .replications = reps,
                        .threads = threads,
                        .outdir = dir,
                        .force = true,
                        .command_line = "sim_bench"};
    sim_batch_result res = {0};
    sim_err err = {0};
    double c0 = clock_now(CLOCK_PROCESS_CPUTIME_ID);
    double t0 = clock_now(CLOCK_MONOTONIC);
    int rc = sim_batch_run(sc, &o, &res, &err);
    double t = clock_now(CLOCK_MONOTONIC) - t0;
    *cpu = clock_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    sim_batch_result_free(&res);
    if (rc) {
        fprintf(stderr, "sim_bench: %s\n", err.msg);
        return -1.0;
    }
    return t;
}

/* Removes the result directory dir (flat) and then its parent tmp. */
static void remove_result(const char *dir, const char *tmp)
{
    static const char *const files[] = {"runs.csv", "summary.csv",
                                        "manifest.cfg", "scenario.cfg"};
    char path[1300];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    rmdir(tmp);
}

int bench_threads(const char *path, long reps, int repeats)
{
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), path, NULL, 0, NULL,
                          &err)) {
        fprintf(stderr, "sim_bench: %s\n", err.msg);
        return 2;
    }
    const char *tmpdir = getenv("TMPDIR");
    char tmp[1024], dir[1100];
    snprintf(tmp, sizeof tmp, "%s/sim_bench.XXXXXX", tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("sim_bench: mkdtemp");
        return 1;
    }
    snprintf(dir, sizeof dir, "%s/out", tmp);
    double load0 = load_average();
    double t1[MAX_REPEATS], t2[MAX_REPEATS], speedup[MAX_REPEATS];
    double cpu_ratio[MAX_REPEATS], c1 = 0, c2 = 0;
    int rc = 0;
    for (int i = 0; i < repeats && !rc; i++) {
        t1[i] = time_batch(&sc, dir, reps, 1, &c1);
        t2[i] = t1[i] < 0 ? -1.0 : time_batch(&sc, dir, reps, 2, &c2);
        speedup[i] = t1[i] / t2[i];
        cpu_ratio[i] = c2 / c1;
        rc = t2[i] < 0;
    }
    remove_result(dir, tmp);
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
