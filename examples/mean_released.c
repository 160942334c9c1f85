/* mean_released.c - a program of its own on libsanctionsim: loads a
 * scenario with the built-in decision models, runs replications one by one
 * through a workspace and reads each replication's result.
 *
 *   mean_released SCENARIO.cfg [REPLICATIONS [SEED]]
 *
 * prints the replications, the mean and standard deviation of the
 * prisoners released per replication and the share of replications with
 * a Washington-Minsk deal. With the same seed and count, the mean equals
 * the mean of runs.csv's released_total from `sanctionsim run`: the
 * replications are the same. Build it with pkg-config,
 *
 *   cc mean_released.c $(pkg-config --cflags --libs sanctionsim)
 *
 * or with CMake (examples/CMakeLists.txt, find_package(sanctionsim)). */
#include <sanctionsim/sanctionsim.h>

#include <gsl/gsl_statistics_double.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs n replications of sc under master seed `seed` into released[];
 * counts those with a US deal into *with_deal. */
static int run(const sim_scenario *sc, uint64_t seed, long n,
               double *released, long *with_deal, sim_err *err)
{
    sim_workspace *ws = NULL;
    int rc = sim_workspace_alloc(sc, &ws, err);
    if (rc)
        return rc;
    *with_deal = 0;
    for (long r = 0; r < n && !rc; r++) {
        sim_rep_result res;
        rc = sim_replicate(ws, seed, (uint64_t)r, NULL, NULL, &res, err);
        if (rc)
            break;
        long total = 0;
        for (int k = 0; k < SIM_N_KINDS; k++)
            total += res.released[k];
        released[r] = (double)total;
        *with_deal += res.us_deals > 0;
    }
    sim_workspace_free(ws);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr,
                "usage: mean_released SCENARIO.cfg [REPLICATIONS [SEED]]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 100;
    if (n < 1) {
        fprintf(stderr, "mean_released: REPLICATIONS must be at least 1\n");
        return 2;
    }
    sim_err err = {0};
    /* A scenario is plain data of about 11 KB: on the heap. */
    sim_scenario *sc = malloc(sizeof *sc);
    double *released = malloc(sizeof(double) * (size_t)n);
    long with_deal = 0;
    int rc = sc && released ? 0 : SIM_E_NOMEM;
    if (!rc)
        rc = sim_scenario_load(sc, sim_builtin_models(), argv[1], NULL, 0,
                               NULL, &err);
    if (!rc) {
        uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10)
                                 : (uint64_t)sc->seed;
        rc = run(sc, seed, n, released, &with_deal, &err);
    }
    if (!rc) {
        printf("library %s, scenario %s\n", sim_version(), sc->name);
        printf("replications %ld\n", n);
        printf("released_mean %.6f\n", gsl_stats_mean(released, 1, (size_t)n));
        printf("released_sd %.6f\n",
               n > 1 ? gsl_stats_sd(released, 1, (size_t)n) : 0.0);
        printf("share_with_us_deal %.6f\n", (double)with_deal / (double)n);
    } else {
        fprintf(stderr, "mean_released: %s\n",
                err.msg[0] ? err.msg : sim_strerror(rc));
    }
    free(released);
    free(sc);
    return rc ? sim_exit_status(rc) : 0;
}
