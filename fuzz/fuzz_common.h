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

#endif
