/* manifest.c - the text of manifest.cfg and scenario.cfg. */
#include "manifest.h"

#include <inttypes.h>
#include <time.h>

#include <sanctionsim/rng.h>
#include <sanctionsim/version.h>

/* The `--set` overrides set[0..n) as `sets = [ "key=value", ... ];`. */
static void write_sets(FILE *f, int n, const sim_set *set)
{
    fprintf(f, "sets = [");
    for (int i = 0; i < n; i++) {
        char kv[SIM_PATH_MAX + SIM_TEXT_MAX + 2];
        snprintf(kv, sizeof kv, "%s=%s", set[i].key, set[i].value);
        fputs(i ? ", " : " ", f);
        sim_scenario_print_string(f, kv);
    }
    fprintf(f, "%s];\n", n ? " " : "");
}

void sim_manifest_write(FILE *f, const sim_manifest *m, const sim_scenario *sc)
{
    fprintf(f, "# sanctionsim run manifest (libconfig syntax)\n");
    fprintf(f, "version = \"%s\";\nscenario_file = ", SIM_VERSION);
    const sim_provenance *pv = m->provenance;
    sim_scenario_print_string(f, pv ? pv->file : sc->file);
    fprintf(f, ";\n");
    /* The one place the manifest reads the run's --set provenance. */
    write_sets(f, pv ? pv->n_sets : 0, pv ? pv->set : NULL);
    fprintf(f, "master_seed = %" PRIu64 "L;\n", m->master_seed);
    fprintf(f, "generator = \"%s\";\n", SIM_RNG_DESCRIPTION);
    fprintf(f, "replications = %ld;\nfirst_replication = %ld;\n",
            m->replications, m->first_replication);
    fprintf(f, "completed = true;\n");
    fprintf(f, "scenario = {\n");
    sim_scenario_print(sc, f, 2);
    fprintf(f, "};\n");
    fprintf(f, "%s: how and when it ran. Everything above is the same for\n"
               "# every run with the same results (any number of threads).\n",
            SIM_MANIFEST_RUN_MARK);
    fprintf(f, "run = {\n  command = ");
    sim_scenario_print_string(f, m->command_line);
    fprintf(f, ";\n  threads = %d;\n  processes = 1;\n", m->threads);
    fprintf(f, "  start_time = \"%s\";\n  end_time = \"%s\";\n",
            m->start_time, m->end_time);
    fprintf(f, "  elapsed_seconds = %.3f;\n};\n", m->elapsed_seconds);
}

void sim_manifest_write_scenario(FILE *f, const sim_scenario *sc)
{
    /* The resolved scenario on its own, so that the run can be repeated
     * with `sanctionsim run DIR/scenario.cfg`. */
    fprintf(f, "# The resolved scenario of this run (sanctionsim %s).\n",
            SIM_VERSION);
    sim_scenario_print(sc, f, 0);
}

void sim_manifest_now(char *buf)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
