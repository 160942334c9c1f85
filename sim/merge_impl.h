/* merge_impl.h - what merge_slices.c (reading and checking the slices) and
 * merge_files.c (writing the merged directory) share. */
#ifndef SIM_MERGE_IMPL_H
#define SIM_MERGE_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "output.h"
#include "spill.h"
#include <sanctionsim/merge.h>

/* One slice's result directory, read. */
typedef struct merge_slice {
    const char *dir;
    char *manifest;    /* manifest.cfg, whole */
    size_t group;      /* offset of its `scenario = {` line */
    size_t prefix_len; /* bytes above its run-specific group */
    long first, count; /* its replications */
    long total;        /* the batch's (the scenario's replications) */
    sim_spill *spill;  /* metrics.bin */
    bool rounds;       /* it has rounds.csv */
} merge_slice;

/* The line of text[0..len) that starts with key, its length (without the
 * newline) in *line_len; NULL if none does. */
const char *merge_line(const char *text, size_t len, const char *key,
                       size_t *line_len);

/* Writes the merged directory from the slices s[0..n), checked and in
 * replication order, into dir's DIR.partial (opened before the work) and
 * installs it; in: their input files (the same for all). */
int merge_write(const merge_slice *s, int n, const sim_manifest_inputs *in,
                const sim_merge_opts *o, sim_output *dir, sim_err *err);

#endif
