/* manifest.h - manifest.cfg and scenario.cfg of a result directory: what was
 * run, with which seed and settings, and the resolved scenario, so that a
 * run can be repeated (MODEL.md section 6). */
#ifndef SIM_MANIFEST_H
#define SIM_MANIFEST_H

#include <stdint.h>
#include <stdio.h>

#include <sanctionsim/scenario.h>

/* Run facts for the manifest. */
typedef struct sim_manifest {
    const char *command_line;
    const sim_provenance *provenance; /* NULL: sc->file, no --set */
    uint64_t master_seed;
    long replications;      /* replications run */
    long first_replication; /* the first one's index (a slice: --reps) */
    int threads;
    char start_time[32], end_time[32];
    double elapsed_seconds;
} sim_manifest;

/* Writes manifest.cfg's text for a completed run of scenario sc to f
 * (libconfig syntax). What reproduces the results comes first, then the
 * resolved scenario; last, after the line SIM_MANIFEST_RUN_MARK, the group
 * `run` of what is particular to this run (command line, threads, times),
 * which differs between runs that give identical results, so that a
 * comparison can drop everything from that line on. The caller checks the
 * stream. */
#define SIM_MANIFEST_RUN_MARK "# ---- this run"

void sim_manifest_write(FILE *f, const sim_manifest *m, const sim_scenario *sc);

/* Writes scenario.cfg's text: the resolved scenario sc under a comment
 * line. The caller checks the stream. */
void sim_manifest_write_scenario(FILE *f, const sim_scenario *sc);

/* The current UTC time as ISO 8601 into buf[32]. */
void sim_manifest_now(char *buf);

#endif
