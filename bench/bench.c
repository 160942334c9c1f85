/* bench.c - throughput of the engine: replications per second on the
 * baseline and the golden scenario, the cost of one bargaining solve and
 * of one decision of each model, and (rounds.c) the rows of issue 9:
 * rounds per second, the random-draw floor, their ratio and the --trace
 * overhead, and (threads.c) the speed-up of a batch on 2 threads. Prints
 * one CSV row per case with the median of several
 * repeats, so that rows from one run can be compared with each other:
 *   case,repeats,work,median_seconds,per_second
 * Times are the thread's CPU time (bench/README.md says why and what each
 * row means). Usage: sim_bench [REPEATS [GROUP]] (default 5 repeats, all
 * groups), from the top of the repository; GROUP runs one group of rows only.
 */
#include <dirent.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sanctionsim/bargain.h>
#include <sanctionsim/batch.h>
#include <sanctionsim/error.h>
#include <sanctionsim/model.h>
#include <sanctionsim/model_instance.h>
#include <sanctionsim/models.h>
#include <sanctionsim/rng.h>
#include <sanctionsim/scenario.h>
#include <sanctionsim/world.h>

#include "bench.h"

double bench_clock(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double bench_now(void)
{
    return bench_clock(CLOCK_THREAD_CPUTIME_ID);
}

int bench_load(sim_scenario *sc, const char *path)
{
    sim_err err = {0};
    if (sim_scenario_load(sc, sim_builtin_models(), path, NULL, 0, NULL,
                          &err)) {
        fprintf(stderr, "sim_bench: %s\n", err.msg);
        return 2;
    }
    return 0;
}

int bench_tmpdir(char *tmp, size_t tmp_size, char *dir, size_t dir_size)
{
    const char *tmpdir = getenv("TMPDIR");
    snprintf(tmp, tmp_size, "%s/sim_bench.XXXXXX", tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("sim_bench: mkdtemp");
        return 1;
    }
    snprintf(dir, dir_size, "%s/out", tmp);
    return 0;
}

void bench_remove_tree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (d) {
        const struct dirent *e;
        char path[4096];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (unlink(path) != 0 && depth > 0)
                bench_remove_tree(path, depth - 1);
        }
        closedir(d);
    }
    rmdir(dir);
}

int bench_batch(const sim_scenario *sc, const char *dir, long reps,
                bool trace, int threads, bench_times *t)
{
    sim_batch_opts o = {.seed = 1,
                        .replications = reps,
                        .trace = trace,
                        .threads = threads,
                        .outdir = dir,
                        .force = true,
                        .command_line = "sim_bench"};
    sim_batch_result res = {0};
    sim_err err = {0};
    /* The previous repeat's result is removed before the clocks start: a
     * batch into a fresh directory, not one that first deletes the last
     * batch's files (which --force would do inside the batch, serially,
     * on one thread, charging a 2-thread batch or an untraced one for the
     * files of the batch before it). */
    bench_remove_tree(dir, 1);
    double c0 = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
    double w0 = bench_clock(CLOCK_MONOTONIC);
    double t0 = bench_now();
    int rc = sim_batch_run(sc, &o, &res, &err);
    t->thread_cpu = bench_now() - t0;
    t->wall = bench_clock(CLOCK_MONOTONIC) - w0;
    t->process_cpu = bench_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
    sim_batch_result_free(&res);
    if (rc) {
        fprintf(stderr, "sim_bench: %s\n", err.msg);
        return -1;
    }
    return 0;
}

double bench_median(double *x, int n)
{
    gsl_sort(x, 1, (size_t)n);
    return gsl_stats_median_from_sorted_data(x, 1, (size_t)n);
}

/* Replications of a scenario file, without output files. */
static int bench_scenario(const char *path, long reps, int repeats)
{
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), path, NULL, 0, NULL,
                          &err)) {
        fprintf(stderr, "sim_bench: %s\n", err.msg);
        return 2;
    }
    sim_workspace *ws;
    if (sim_workspace_alloc(&sc, &ws, &err)) {
        fprintf(stderr, "sim_bench: %s\n", err.msg);
        return 1;
    }
    double t[64];
    long checksum = 0;
    for (int i = 0; i < repeats; i++) {
        double t0 = bench_now();
        for (long r = 0; r < reps; r++) {
            sim_rep_result res;
            if (sim_replicate(ws, 1, (uint64_t)r, NULL, NULL, &res, &err)) {
                fprintf(stderr, "sim_bench: %s\n", err.msg);
                sim_workspace_free(ws);
                return 1;
            }
            checksum += res.us_deals;
        }
        t[i] = bench_now() - t0;
    }
    sim_workspace_free(ws);
    double m = bench_median(t, repeats);
    printf("replications:%s,%d,%ld,%.4f,%.1f\n", sc.name, repeats, reps, m,
           (double)reps / m);
    return checksum < 0; /* keep the work observable */
}

/* One backward-induction solve of a unit pie on a grid of N+1 deals. */
static int bench_solve(int N, int stages, int repeats)
{
    sim_bargain b;
    if (sim_bargain_alloc(&b, N + 1, stages, NULL))
        return 1;
    double t[64];
    long calls = 2000000L / ((long)N * stages) + 1;
    double sink = 0;
    for (int i = 0; i < repeats; i++) {
        double t0 = bench_now();
        for (long c = 0; c < calls; c++) {
            sim_bargain_reset(&b, stages, 0, 0.9, 0.95);
            for (int n = 0; n <= N; n++)
                sim_bargain_add(&b, 1u, n, 1.0 - (double)n / N, (double)n / N);
            sim_bargain_solve(&b);
            sink += b.value[0];
        }
        t[i] = (bench_now() - t0) / (double)calls;
    }
    sim_bargain_free(&b);
    double m = bench_median(t, repeats);
    printf("spe_solve:deals=%d:stages=%d,%d,1,%.9f,%.1f\n", N + 1, stages,
           repeats, m, 1.0 / m);
    return sink < 0;
}

/* Cost of one decision of each model in each role it takes, on the
 * baseline's first-round game (its real deal set and stages). */
static int bench_decisions(int repeats)
{
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), "scenarios/baseline.cfg",
                          NULL, 0, NULL, &err)) {
        fprintf(stderr, "sim_bench: %s\n", err.msg);
        return 2;
    }
    sim_workspace *ws;
    sim_first_round fr;
    if (sim_workspace_alloc(&sc, &ws, &err) ||
        sim_solve_first_round(ws, &fr, &err)) {
        fprintf(stderr, "sim_bench: %s\n", err.msg);
        return 1;
    }
    gsl_rng *rng = gsl_rng_alloc(sim_rng_xoshiro256ss);
    sim_rng_seed_stream(rng, 1, 0, SIM_STREAM_DECISION);
    int rc = 0;
    const sim_model_type *const *models = sim_builtin_models()->models;
    for (int m = 0; models[m] && !rc; m++) {
        const sim_model_type *mt = models[m];
        sim_model_spec spec = {.type = mt};
        sim_model_defaults(mt, spec.param);
        sim_model_instance mi;
        if (sim_model_instance_init(&mi, &spec, NULL, &err)) {
            fprintf(stderr, "sim_bench: %s\n", err.msg);
            rc = 1;
            break;
        }
        for (int r = 0; r < SIM_N_ROLES && !rc; r++) {
            if (!sim_model_has_role(mt, r))
                continue;
            long calls = 20000;
            double t[64];
            for (int i = 0; i < repeats; i++) {
                if (sim_model_instance_reset(&mi, &err)) {
                    rc = 1;
                    break;
                }
                double t0 = bench_now();
                for (long c = 0; c < calls; c++) {
                    sim_decision d = {.role = r,
                                      .actor = SIM_ACTOR_MINSK,
                                      .param = mi.param,
                                      .game = fr.game,
                                      .stage = (int)(c % fr.game->stages),
                                      .rng = rng};
                    d.side = sim_bargain_proposer(fr.game, d.stage);
                    if (r == SIM_ROLE_RESPOND) {
                        d.side = 1 - d.side;
                        d.deal = 1 + (int)(c % (fr.game->n_deals - 1));
                    }
                    d.signal[SIM_SIGNAL_GAIN] = (double)(c % 7) - 3.0;
                    sim_action a;
                    if (sim_model_instance_decide(&mi, &d, &a, &err)) {
                        rc = 1;
                        break;
                    }
                }
                t[i] = bench_now() - t0;
            }
            if (rc) {
                fprintf(stderr, "sim_bench: %s %s: %s\n", mt->name,
                        sim_role_name(r), err.msg);
                break;
            }
            double med = bench_median(t, repeats);
            printf("decide:%s:%s:deals=%d,%d,%ld,%.6f,%.1f\n", mt->name,
                   sim_role_name(r), fr.game->n_deals, repeats, calls, med,
                   (double)calls / med);
        }
        sim_model_instance_free(&mi);
    }
    gsl_rng_free(rng);
    sim_workspace_free(ws);
    return rc;
}

/* True if the group of rows `group` runs under the filter (NULL: all). */
static bool wanted(const char *filter, const char *group)
{
    return !filter || strcmp(filter, group) == 0;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 5;
    const char *only = argc > 2 ? argv[2] : NULL;
    if (repeats < 1 || repeats > 64 || argc > 3) {
        fprintf(stderr, "usage: sim_bench [REPEATS 1..64 [GROUP]], GROUP one "
                        "of replications spe_solve decide rounds trace threads\n");
        return 2;
    }
    sim_error_quiet_gsl();
    printf("case,repeats,work,median_seconds,per_second\n");
    int rc = 0;
    if (wanted(only, "replications")) {
        rc |= bench_scenario("scenarios/baseline.cfg", 1000, repeats);
        rc |= bench_scenario("tests/golden/small.cfg", 1000, repeats);
    }
    if (wanted(only, "spe_solve")) {
        rc |= bench_solve(151, 3, repeats);
        rc |= bench_solve(1001, 4, repeats);
        rc |= bench_solve(10001, 100, repeats);
    }
    if (wanted(only, "decide"))
        rc |= bench_decisions(repeats);
    if (wanted(only, "rounds")) {
        rc |= bench_rounds("scenarios/baseline.cfg", 1000, repeats);
        rc |= bench_rounds("scenarios/textbook/stahl.cfg", 2000, repeats);
    }
    if (wanted(only, "threads"))
        rc |= bench_threads("scenarios/baseline.cfg", 4000, repeats);
    if (wanted(only, "trace")) {
        rc |= bench_trace("scenarios/baseline.cfg", 300, repeats);
        rc |= bench_trace("scenarios/textbook/stahl.cfg", 2000, repeats);
    }
    return rc;
}
