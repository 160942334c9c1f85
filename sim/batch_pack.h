/* batch_pack.h - a block of a batch's replications as bytes, for the
 * ranks of a cluster (batch_dist.c): its rows and exact metric values
 * packed on the rank that ran it and read back on rank 0. */
#ifndef SIM_BATCH_PACK_H
#define SIM_BATCH_PACK_H

#include <stddef.h>

#include <sanctionsim/error.h>

/* Replications per block at most: a block's rows wait in memory for their
 * turn to be written (with --trace about 100 KiB per replication of the
 * baseline), so this and the slots per thread bound the memory. */
#define BLOCK_MAX 64

/* A block's rows and values, as a slot holds them or as they arrive
 * packed from another rank. */
typedef struct batch_rows {
    long count;
    const char *runs, *rounds;
    size_t runs_len, rounds_len;
    const double *metrics;             /* count x nmetrics */
    const long *runs_end, *rounds_end; /* count each */
} batch_rows;

/* Packs block rows r of nmetrics metrics into a new malloc'd buffer *buf
 * of *len bytes; SIM_E_NOMEM. */
int sim_batch_pack_rows(const batch_rows *r, int nmetrics, void **buf,
                        size_t *len, sim_err *err);

/* Reads packed bytes buf[0..len) of a block with nmetrics metrics into
 * r (pointing into buf, which must be aligned as malloc's are);
 * SIM_E_INTERNAL if they are not a whole block of this batch. */
int sim_batch_unpack(const void *buf, size_t len, int nmetrics,
                     batch_rows *r, sim_err *err);

#endif
