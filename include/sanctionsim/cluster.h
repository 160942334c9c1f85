/* cluster.h - the ranks of an MPI job, for runs across several machines.
 *
 * A library built with -DSIM_MPI=ON can spread a batch's blocks of
 * replications (sim_batch_opts.cluster) and a sweep's points'
 * replications (sim_sweep_opts.cluster) over the ranks of MPI_COMM_WORLD:
 * every rank runs the same program and calls the same function with the
 * same arguments; rank 0 alone touches the result directory and writes
 * every file, from the exact values the ranks send it, so the files are
 * byte for byte those of a serial run (the manifest's run-specific part
 * aside). The program calls MPI_Init_thread (MPI_THREAD_FUNNELED is
 * enough: only the thread that called the library talks MPI) before
 * sim_cluster_open and MPI_Finalize after sim_cluster_close. The ranks
 * are assumed alike (the same byte order and double format). Without
 * MPI, sim_cluster_open fails and a NULL cluster means one process. */
#ifndef SIM_CLUSTER_H
#define SIM_CLUSTER_H

#include <stdbool.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sim_cluster sim_cluster;

/* Whether the library was built with MPI. */
bool sim_cluster_available(void);

/* The ranks of MPI_COMM_WORLD (on a communicator of the cluster's own);
 * SIM_E_USAGE without MPI, SIM_E_NOMEM. */
int sim_cluster_open(sim_cluster **c, sim_err *err);

/* Frees c (NULL is fine); call before MPI_Finalize. */
void sim_cluster_close(sim_cluster *c);

/* This process's rank, 0 for NULL; the number of ranks, 1 for NULL. */
int sim_cluster_rank(const sim_cluster *c);
int sim_cluster_size(const sim_cluster *c);

/* Every rank calls this at the same point with its own outcome rc (0 or
 * an error code): returns whether any rank failed, and sets
 * *rank0_failed (may be NULL) to whether rank 0 did. For a program's
 * set-up before a batch or a sweep (a scenario one rank cannot read), so
 * that no rank waits for one that has given up. NULL: rc != 0. */
bool sim_cluster_agree(const sim_cluster *c, int rc, bool *rank0_failed);

/* The ranks on this machine (a shared-memory node), 1 for NULL: a
 * program shares the machine's cores among them. */
int sim_cluster_node_ranks(const sim_cluster *c);

#ifdef __cplusplus
}
#endif

#endif
