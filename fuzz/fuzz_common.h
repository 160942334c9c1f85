/* fuzz_common.h - helpers shared by the libFuzzer targets in fuzz/.
 *
 * Each target turns libFuzzer's bytes into the NUL-terminated text the
 * library reads, calls the parser, and aborts (which libFuzzer records as a
 * crash, with the input) when a promise of the library's contract is
 * broken, not only when memory is misused: an error must come with a
 * message, and what the library writes must read back the same. */
#ifndef SIM_FUZZ_COMMON_H
#define SIM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sanctionsim/error.h>
#include <sanctionsim/models.h>
#include <sanctionsim/scenario.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data[0..size), owned by the caller (free), or
 * NULL if memory runs out. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text) {
        if (size)
            memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

/* Reports a broken contract and aborts. */
static inline void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: %s\n%s\n", what, detail ? detail : "");
    abort();
}

/* A failed call must return a negative SIM_E_* code and say why. */
static inline void fuzz_check_error(int rc, const sim_err *err)
{
    if (rc > 0 || (rc < 0 && strcmp(sim_strerror(rc), "unknown error") == 0))
        fuzz_fail("status is not 0 or a SIM_E_* code", NULL);
    if (rc < 0 && err->msg[0] == '\0')
        fuzz_fail("an error without a message", NULL);
}

/* The resolved scenario as text (sim_scenario_print), owned by the caller. */
static inline char *fuzz_print(const sim_scenario *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    sim_scenario_print(sc, f, 0);
    fclose(f);
    return buf;
}

/* sim_scenario_print promises that loading its output gives the same
 * scenario: load the printed text again and print it a second time; the
 * two texts must be equal. */
static inline void fuzz_check_roundtrip(const sim_scenario *sc,
                                        const char *label)
{
    static sim_scenario again; /* large: not on the stack */
    sim_err err = {0};
    char *first = fuzz_print(sc);
    if (!first)
        return;
    if (sim_scenario_load_string(&again, sim_builtin_models(), first, label,
                                 NULL, 0, NULL, &err) != 0) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        fuzz_fail("the printed scenario does not load again", first);
    }
    char *second = fuzz_print(&again);
    if (second && strcmp(first, second) != 0) {
        fprintf(stderr, "fuzz: first print:\n%s\n", first);
        fuzz_fail("the printed scenario loads as a different one", second);
    }
    free(first);
    free(second);
}

/* A directory of the target's own (mkdtemp under $TMPDIR or /tmp), made
 * on the first call and removed with what the target wrote into it at
 * exit; NULL if it cannot be made. Targets whose parser reads a file (or
 * a file beside it) write each input there. */
static char fuzz_dir_path[256];
static char fuzz_dir_files[4][300];
static int fuzz_dir_nfiles;

static inline void fuzz_dir_remove(void)
{
    for (int i = fuzz_dir_nfiles - 1; i >= 0; i--)
        remove(fuzz_dir_files[i]);
    remove(fuzz_dir_path);
}

static inline const char *fuzz_dir(void)
{
    if (fuzz_dir_path[0])
        return fuzz_dir_path;
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/sim-fuzz-XXXXXX",
             tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(fuzz_dir_path)) {
        fuzz_dir_path[0] = '\0';
        return NULL;
    }
    atexit(fuzz_dir_remove);
    return fuzz_dir_path;
}

/* The path of `name` (a file, or a folder to be made: mkdir) in
 * fuzz_dir(), noted for removal at exit (the first call per name only:
 * at most 4 names, folders before the files in them). */
static inline const char *fuzz_dir_file(const char *name, int mkdir_it)
{
    const char *dir = fuzz_dir();
    if (!dir)
        return NULL;
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (int i = 0; i < fuzz_dir_nfiles; i++)
        if (strcmp(fuzz_dir_files[i], path) == 0)
            return fuzz_dir_files[i];
    if (fuzz_dir_nfiles == 4)
        return NULL;
    if (mkdir_it && mkdir(path, 0700) != 0)
        return NULL;
    snprintf(fuzz_dir_files[fuzz_dir_nfiles], sizeof fuzz_dir_files[0], "%s",
             path);
    return fuzz_dir_files[fuzz_dir_nfiles++];
}

/* Writes data[0..size) to path (replacing it); 0 or -1. */
static inline int fuzz_write_file(const char *path, const void *data,
                                  size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = size ? fwrite(data, 1, size, f) : 0;
    return fclose(f) == 0 && put == size ? 0 : -1;
}

#endif
