/* manifest.h - manifest.cfg and scenario.cfg of a result directory: what was
 * run, with which seed and settings, and the resolved scenario, so that a
 * run can be repeated (MODEL.md section 6). */
#ifndef SIM_MANIFEST_H
#define SIM_MANIFEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <sanctionsim/scenario.h>

/* The result format: the layout of a result directory and its manifest.
 * Written as `format = 1;`; merge and --resume refuse any other. */
#define SIM_RESULT_FORMAT 1

/* Input files hashed at most: the scenario, its bases and includes (or
 * an experiment and its scenario's). */
#define SIM_MANIFEST_MAX_INPUTS 32

/* The input files of a run and their FNV-1a 64-bit hashes, so that a
 * resumed run can tell that none of them changed. */
typedef struct sim_manifest_inputs {
    int n;
    char file[SIM_MANIFEST_MAX_INPUTS][SIM_PATH_MAX];
    uint64_t hash[SIM_MANIFEST_MAX_INPUTS];
} sim_manifest_inputs;

/* Run facts for the manifest. */
typedef struct sim_manifest {
    const char *command_line;
    const sim_provenance *provenance; /* NULL: sc->file, no --set */
    uint64_t master_seed;
    long replications;      /* replications run */
    long first_replication; /* the first one's index (a slice: --reps) */
    int threads;
    int processes; /* a cluster's ranks; 0 means 1 */
    char start_time[32], end_time[32];
    double elapsed_seconds;
    bool incomplete; /* `completed = false;`: a partial directory */
    long resumed;    /* replications kept from an interrupted run */
    const sim_manifest_inputs *inputs; /* may be NULL */
    const char *const *files;          /* the files the run wrote */
    int nfiles;
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

/* Seconds of CLOCK_MONOTONIC since *t0, for a manifest's elapsed_seconds. */
double sim_manifest_seconds_since(const struct timespec *t0);

/* The lines of the run-specific part that every result's manifest has
 * (sweeps' too): `format`, `files` (names[0..n)) and `inputs` (may be
 * NULL), top-level settings. */
void sim_manifest_write_common(FILE *f, const char *const *files, int n,
                               const sim_manifest_inputs *inputs);

/* The build: version, commit, compiler, GSL's and libconfig's versions,
 * as settings of a group, each line indented by two spaces. */
void sim_manifest_write_build(FILE *f);

/* FNV-1a 64 of the file at path into *hash. SIM_E_IO if it cannot be
 * read. */
int sim_manifest_hash_file(const char *path, uint64_t *hash, sim_err *err);

/* Adds path and, recursively, the files it @includes (resolved beside the
 * including file) to in, each once, with their hashes. */
int sim_manifest_add_input(sim_manifest_inputs *in, const char *path,
                           sim_err *err);

/* The inputs of a scenario run: its file and bases (pv; NULL: sc->file
 * alone) and their includes. A scenario read from a string has none. */
int sim_manifest_scenario_inputs(sim_manifest_inputs *in,
                                 const sim_scenario *sc,
                                 const sim_provenance *pv, sim_err *err);

/* Adds the scenario file path, the chain of bases it is built on (`base`,
 * as the loader resolves them) and their includes to in: the inputs of
 * a sweep's scenario. SIM_E_SCENARIO if the chain cannot be read. */
int sim_manifest_chain_inputs(sim_manifest_inputs *in, const char *path,
                              sim_err *err);

/* ---- reading a result's manifest (manifest_read.c) ---- */

/* Checks that dir/manifest.cfg is of result format SIM_RESULT_FORMAT;
 * SIM_E_USAGE naming dir and the format found otherwise (`what` says what
 * refuses it: "merge", "--resume"); SIM_E_USAGE if there is no readable
 * manifest. */
int sim_manifest_check_format(const char *dir, const char *what,
                              sim_err *err);

/* Checks that every input file dir/manifest.cfg lists still has its
 * hash: SIM_E_USAGE naming the first that changed or is gone. */
int sim_manifest_check_inputs(const char *dir, sim_err *err);

/* Reads the input files and hashes dir/manifest.cfg lists into in (none
 * for a result without the list). SIM_E_USAGE if there is no readable
 * manifest or an input lacks its file or hash. */
int sim_manifest_read_inputs(const char *dir, sim_manifest_inputs *in,
                             sim_err *err);

/* Checks that the partial directory dir may be resumed by the run whose
 * partial manifest text is expected: dir's manifest.cfg is of this result
 * format, its input files are unchanged, it is the same above the
 * run-specific part (scenario, seed, replications, slice, version), and
 * dir has rounds.csv exactly when trace. Returns 0, 1 if dir has no
 * manifest.cfg (killed as it began: nothing to keep), or SIM_E_USAGE
 * naming what differs. */
int sim_manifest_check_resume(const char *dir, const char *expected,
                              bool trace, sim_err *err);

/* The files dir/manifest.cfg lists (`files`), as a malloc'ed array of
 * malloc'ed names in *names (free with sim_manifest_free_files), their
 * number in *n; *n is -1 when the manifest has no list (an older
 * result). SIM_E_USAGE if there is no readable manifest. */
int sim_manifest_files(const char *dir, char ***names, int *n, sim_err *err);
void sim_manifest_free_files(char **names, int n);

#endif
