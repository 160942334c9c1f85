/* fuzz_set.c - libFuzzer target: the --set override parser.
 *
 * A fixed, small, valid scenario (with an instrument list, a calendar and
 * a threshold model, so that list indices and model keys have something to
 * address) is loaded with the input as overrides: the input is split on
 * newlines into at most FUZZ_MAX_SETS strings, each one --set argument
 * ("key.path=value"). The loader must return 0 or an error with a message;
 * a scenario it accepts must survive print-and-reload unchanged. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#endif

#include "fuzz_common.h"

#define FUZZ_MAX_SETS 8

static const char base_scenario[] =
    "name = \"fuzzset\";\n"
    "rounds = 6;\n"
    "replications = 2;\n"
    "prisoners = { ordinary = 100; foreign = 4; high_profile = 2; };\n"
    "bargaining = { stages = 2; max_release = 20; max_instruments = 2; };\n"
    "shocks = {\n"
    "  drones = { dist = \"poisson\"; mean = 1.0; };\n"
    "  moscow = { dist = \"bernoulli\"; p = 0.05; };\n"
    "};\n"
    "instruments = (\n"
    "  { name = \"us_air\"; imposer = \"us\"; value = 0.1; cost = 0.05; },\n"
    "  { name = \"eu_potash\"; imposer = \"eu\"; value = 2.0; cost = 0.8;\n"
    "    needs_transit = true; without_transit = 0.5; }\n"
    ");\n"
    "calendar = (\n"
    "  { type = \"eu_renewal\"; start = 3; every = 6; }\n"
    ");\n"
    "actors = {\n"
    "  minsk = { weights = { relief = 1.0; released_ordinary = -0.02; }; };\n"
    "  poland = { border = { model = \"threshold\"; threshold = 0.5; }; };\n"
    "};\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sim_scenario sc; /* large: not on the stack */
    sim_err err = {0};
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    /* Newlines end the --set strings; the last takes the rest. */
    const char *sets[FUZZ_MAX_SETS];
    int nsets = 0;
    char *p = text;
    while (nsets < FUZZ_MAX_SETS) {
        sets[nsets++] = p;
        char *nl = strchr(p, '\n');
        if (!nl || nsets == FUZZ_MAX_SETS)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    int rc = sim_scenario_load_string(&sc, sim_builtin_models(), base_scenario,
                                      "fuzzset.cfg", sets, nsets, NULL, &err);
    fuzz_check_error(rc, &err);
    if (rc == 0)
        fuzz_check_roundtrip(&sc, "fuzzset.cfg");
    free(text);
    return 0;
}
