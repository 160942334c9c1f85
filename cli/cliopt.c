/* cliopt.c - what the commands' option parsers share: the message for an
 * unknown option, with a "did you mean", the value and the default of
 * --threads, the ranks' agreement that all have set up (MPI), and the
 * command line as a manifest records it. */
#include "cliopt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanctionsim/batch.h>
#include <sanctionsim/suggest.h>

int cli_unknown_option(const char *command, const char *arg,
                       const char *const *valid, int n, sim_err *err)
{
    char name[64], hint[256] = "";
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    if (strncmp(arg, "--", 2) != 0 ||
        !sim_suggest(name, valid, n, hint, sizeof hint))
        hint[0] = '\0';
    return sim_error(err, SIM_E_USAGE,
                     "%s: unknown option '%s'%s (see sanctionsim %s --help)",
                     command, arg, hint, command);
}

int cli_threads(const char *val, int *out, sim_err *err)
{
    char *end = NULL;
    long v = val ? strtol(val, &end, 10) : 0;
    if (!val || !end || end == val || *end || v < 1 ||
        v > SIM_BATCH_MAX_THREADS)
        return sim_error(err, SIM_E_USAGE,
                         "--threads needs a whole number of threads from 1 "
                         "to %d, got '%s'",
                         SIM_BATCH_MAX_THREADS, val ? val : "");
    *out = (int)v;
    return 0;
}

int cli_default_threads(const sim_cluster *cluster)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN) / sim_cluster_node_ranks(cluster);
    return n < 1 ? 1 : n > SIM_BATCH_MAX_THREADS ? SIM_BATCH_MAX_THREADS
                                                 : (int)n;
}

int cli_agree_setup(const sim_cluster *cluster, int rc, sim_err *err)
{
    bool root_failed = false;
    if (!cluster || !sim_cluster_agree(cluster, rc, &root_failed))
        return rc;
    int rank = sim_cluster_rank(cluster);
    if (rank == 0 && rc)
        return rc;
    if (rank == 0)
        return sim_error(err, SIM_E_USAGE,
                         "another rank could not set up (its message, with "
                         "its rank, is above)");
    if (rc && !root_failed)
        fprintf(stderr, "sanctionsim: rank %d: %s\n", rank, err->msg);
    return sim_error(err, rc ? rc : SIM_E_USAGE, "rank 0 failed");
}

void cli_command_line(int argc, char **argv, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < argc && argv[i] && len < size; i++) {
        bool quote = strpbrk(argv[i], " \t\"'") != NULL;
        int w = snprintf(buf + len, size - len, "%s%s%s%s", i ? " " : "",
                         quote ? "'" : "", argv[i], quote ? "'" : "");
        if (w < 0)
            break;
        len += (size_t)w;
    }
}
