/* rounds.c - the benchmark rows of issue 9 for one scenario: the engine's
 * rounds per second on one thread, the random-draw floor's (floor.c) on
 * the same replications and rounds, their ratio, and the extra time of a
 * batch that writes rounds.csv (--trace) through the library's own writer
 * (sim_batch_run with trace on). Engine and floor, and batches with and
 * without trace, alternate within each repeat, so that the machine's
 * moods hit both sides alike; ratios are medians of the per-repeat
 * ratios. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <sanctionsim/error.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

#include "bench.h"
#include "floor.h"

enum { MASTER = 1, MAX_REPEATS = 64 };

/* CPU seconds of replications 0..reps-1 on ws; the rounds each played go
 * to played[] and their sum to *rounds. Negative after an error. */
static double time_engine(sim_workspace *ws, long reps, int *played,
                          long *rounds)
{
    sim_err err = {0};
    *rounds = 0;
    double t0 = bench_now();
    for (long r = 0; r < reps; r++) {
        sim_rep_result res;
        if (sim_replicate(ws, MASTER, (uint64_t)r, NULL, NULL, &res, &err)) {
            fprintf(stderr, "sim_bench: %s\n", err.msg);
            return -1.0;
        }
        played[r] = res.rounds;
        *rounds += res.rounds;
    }
    return bench_now() - t0;
}

/* CPU seconds of the floor's draws for the same replications and rounds. */
static double time_floor(bench_floor *f, long reps, const int *played)
{
    double t0 = bench_now();
    for (long r = 0; r < reps; r++)
        for (int t = 0; t < played[r]; t++)
            bench_floor_round(f, MASTER, (uint64_t)r, t);
    return bench_now() - t0;
}

/* Alternates engine and floor `repeats` times and prints the three rows.
 * Returns 0 or 1. */
static int measure_rounds(const sim_scenario *sc, sim_workspace *ws,
                          bench_floor *f, long reps, int *played, int repeats)
{
    double te[MAX_REPEATS], tf[MAX_REPEATS], ratio[MAX_REPEATS];
    long rounds = 0;
    for (int i = 0; i < repeats; i++) {
        te[i] = time_engine(ws, reps, played, &rounds);
        if (te[i] < 0)
            return 1;
        long before = f->reseeds;
        tf[i] = time_floor(f, reps, played);
        ratio[i] = te[i] / tf[i];
        if (i == 0)
            fprintf(stderr, "sim_bench: floor of %s: %.2f reseeds a round\n",
                    sc->name, (double)(f->reseeds - before) / (double)rounds);
    }
    double me = bench_median(te, repeats), mf = bench_median(tf, repeats);
    printf("rounds:%s,%d,%ld,%.4f,%.1f\n", sc->name, repeats, rounds, me,
           (double)rounds / me);
    printf("floor:%s,%d,%ld,%.4f,%.1f\n", sc->name, repeats, rounds, mf,
           (double)rounds / mf);
    printf("ratio:%s,%d,%ld,%.4f,%.2f\n", sc->name, repeats, rounds, me,
           bench_median(ratio, repeats));
    return f->sink < 0; /* keep the floor's draws observable */
}

int bench_rounds(const char *path, long reps, int repeats)
{
    static sim_scenario sc;
    int rc = bench_load(&sc, path);
    if (rc)
        return rc;
    sim_err err = {0};
    sim_workspace *ws = NULL;
    bench_floor f;
    int *played = calloc((size_t)reps, sizeof *played);
    if (!played || sim_workspace_alloc(&sc, &ws, &err)) {
        fprintf(stderr, "sim_bench: %s\n", played ? err.msg : "out of memory");
        free(played);
        return 1;
    }
    if (bench_floor_init(&f, &sc)) {
        fprintf(stderr, "sim_bench: out of memory\n");
        rc = 1;
    } else {
        rc = measure_rounds(&sc, ws, &f, reps, played, repeats);
        bench_floor_free(&f);
    }
    sim_workspace_free(ws);
    free(played);
    return rc;
}

/* CPU seconds of a batch of reps replications into dir, with or without
 * rounds.csv; negative after an error. */
static double time_batch(const sim_scenario *sc, const char *dir, long reps,
                         bool trace)
{
    bench_times t;
    return bench_batch(sc, dir, reps, trace, 0, &t) ? -1.0 : t.thread_cpu;
}

int bench_trace(const char *path, long reps, int repeats)
{
    static sim_scenario sc;
    int rc = bench_load(&sc, path);
    if (rc)
        return rc;
    char tmp[1024], dir[1100];
    if (bench_tmpdir(tmp, sizeof tmp, dir, sizeof dir))
        return 1;
    double tt[MAX_REPEATS], extra[MAX_REPEATS];
    /* an untimed pair first, as in threads.c */
    rc = time_batch(&sc, dir, reps, false) < 0 ||
         time_batch(&sc, dir, reps, true) < 0;
    for (int i = 0; i < repeats && !rc; i++) {
        double plain = time_batch(&sc, dir, reps, false);
        tt[i] = plain < 0 ? -1.0 : time_batch(&sc, dir, reps, true);
        extra[i] = tt[i] / plain - 1.0;
        rc = tt[i] < 0;
    }
    bench_remove_tree(tmp, 1);
    if (rc)
        return 1;
    printf("trace_overhead:%s,%d,%ld,%.4f,%.3f\n", sc.name, repeats, reps,
           bench_median(tt, repeats), bench_median(extra, repeats));
    return 0;
}
