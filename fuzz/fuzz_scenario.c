/* fuzz_scenario.c - libFuzzer target: the scenario loader on arbitrary text.
 *
 * The input, made NUL-terminated, is loaded as a scenario file would be
 * (sim_scenario_load_string). The loader must return 0 or an error with a
 * message, never crash or hang; a scenario it accepts must survive
 * print-and-reload unchanged. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#endif

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sim_scenario sc; /* large: not on the stack */
    sim_err err = {0};
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    int rc = sim_scenario_load_string(&sc, sim_builtin_models(), text,
                                      "fuzz.cfg", NULL, 0, NULL, &err);
    fuzz_check_error(rc, &err);
    if (rc == 0)
        fuzz_check_roundtrip(&sc, "fuzz.cfg");
    free(text);
    return 0;
}
