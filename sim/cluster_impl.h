/* cluster_impl.h - what a cluster (cluster.h) is with MPI: a
 * communicator of its own (a duplicate of MPI_COMM_WORLD) and this
 * process's place in it. Private to cluster.c and pool_mpi.c. */
#ifndef SIM_CLUSTER_IMPL_H
#define SIM_CLUSTER_IMPL_H

#ifdef SIM_MPI
#include <mpi.h>

#include <sanctionsim/cluster.h>

struct sim_cluster {
    MPI_Comm comm;
    int rank, size;
    int node_ranks; /* ranks on this rank's machine */
};
#endif

#endif
