/* cluster.c - the ranks of an MPI job (cluster.h): opening and closing
 * the cluster, and rank 0's small messages to every rank. Without MPI
 * (the plain build) there is no cluster: NULL is one process. */
#include <stdlib.h>

#include "cluster_impl.h"
#include "pool.h"

#ifdef SIM_MPI

int sim_cluster_share(const sim_cluster *c, long *v, int n, sim_err *err)
{
    if (MPI_Bcast(v, n, MPI_LONG, 0, c->comm) != MPI_SUCCESS)
        return sim_error(err, SIM_E_IO, "MPI_Bcast failed");
    return 0;
}

bool sim_cluster_available(void)
{
    return true;
}

bool sim_cluster_agree(const sim_cluster *c, int rc, bool *rank0_failed)
{
    if (!c) {
        if (rank0_failed)
            *rank0_failed = rc != 0;
        return rc != 0;
    }
    int mine[2] = {rc != 0, c->rank == 0 && rc != 0}, all[2] = {1, 1};
    MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MAX, c->comm);
    if (rank0_failed)
        *rank0_failed = all[1] != 0;
    return all[0] != 0;
}

int sim_cluster_open(sim_cluster **c, sim_err *err)
{
    *c = calloc(1, sizeof **c);
    if (!*c)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    MPI_Comm_dup(MPI_COMM_WORLD, &(*c)->comm);
    /* a failed call returns (a block too large for rank 0's memory is
     * then received truncated and dropped); a dead rank still ends the
     * job, by the MPI runtime */
    MPI_Comm_set_errhandler((*c)->comm, MPI_ERRORS_RETURN);
    MPI_Comm_rank((*c)->comm, &(*c)->rank);
    MPI_Comm_size((*c)->comm, &(*c)->size);
    MPI_Comm node;
    (*c)->node_ranks = 1;
    if (MPI_Comm_split_type((*c)->comm, MPI_COMM_TYPE_SHARED, (*c)->rank,
                            MPI_INFO_NULL, &node) == MPI_SUCCESS) {
        MPI_Comm_size(node, &(*c)->node_ranks);
        MPI_Comm_free(&node);
    }
    return 0;
}

void sim_cluster_close(sim_cluster *c)
{
    if (!c)
        return;
    MPI_Comm_free(&c->comm);
    free(c);
}

int sim_cluster_rank(const sim_cluster *c)
{
    return c ? c->rank : 0;
}

int sim_cluster_size(const sim_cluster *c)
{
    return c ? c->size : 1;
}

int sim_cluster_node_ranks(const sim_cluster *c)
{
    return c && c->node_ranks > 0 ? c->node_ranks : 1;
}

#else /* no MPI */

int sim_cluster_share(const sim_cluster *c, long *v, int n, sim_err *err)
{
    (void)c;
    (void)v;
    (void)n;
    (void)err;
    return 0;
}

bool sim_cluster_available(void)
{
    return false;
}

bool sim_cluster_agree(const sim_cluster *c, int rc, bool *rank0_failed)
{
    (void)c;
    if (rank0_failed)
        *rank0_failed = rc != 0;
    return rc != 0;
}

int sim_cluster_open(sim_cluster **c, sim_err *err)
{
    *c = NULL;
    return sim_error(err, SIM_E_USAGE,
                     "this sanctionsim is built without MPI "
                     "(cmake -DSIM_MPI=ON)");
}

void sim_cluster_close(sim_cluster *c)
{
    (void)c;
}

int sim_cluster_rank(const sim_cluster *c)
{
    (void)c;
    return 0;
}

int sim_cluster_size(const sim_cluster *c)
{
    (void)c;
    return 1;
}

int sim_cluster_node_ranks(const sim_cluster *c)
{
    (void)c;
    return 1;
}

#endif
