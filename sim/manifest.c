/* manifest.c - the text of manifest.cfg and scenario.cfg. */
#include "manifest.h"
#include "scenario_load_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_version.h>
#include <libconfig.h>

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
    fprintf(f, "completed = %s;\n", m->incomplete ? "false" : "true");
    fprintf(f, "scenario = {\n");
    sim_scenario_print(sc, f, 2);
    fprintf(f, "};\n");
    fprintf(f, "%s: how and when it ran. Everything above is the same for\n"
               "# every run with the same results (any number of threads).\n",
            SIM_MANIFEST_RUN_MARK);
    sim_manifest_write_common(f, m->files, m->nfiles, m->inputs);
    fprintf(f, "run = {\n  command = ");
    sim_scenario_print_string(f, m->command_line);
    fprintf(f, ";\n  threads = %d;\n  processes = %d;\n", m->threads,
            m->processes > 0 ? m->processes : 1);
    sim_manifest_write_build(f);
    fprintf(f, "  streams = \"replication r draws from streams keyed by "
               "(master_seed, r), whatever the threads or slices\";\n");
    if (m->resumed > 0)
        fprintf(f, "  resumed_replications = %ld; // kept from the "
                   "interrupted run; the times are this run's\n",
                m->resumed);
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

double sim_manifest_seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

void sim_manifest_write_common(FILE *f, const char *const *files, int n,
                               const sim_manifest_inputs *inputs)
{
    fprintf(f, "format = %d;\nfiles = [", SIM_RESULT_FORMAT);
    for (int i = 0; i < n; i++) {
        fputs(i ? ", " : " ", f);
        sim_scenario_print_string(f, files[i]);
    }
    fprintf(f, "%s];\ninputs = (", n ? " " : "");
    for (int i = 0; inputs && i < inputs->n; i++) {
        fprintf(f, "%s\n  { file = ", i ? "," : "");
        sim_scenario_print_string(f, inputs->file[i]);
        fprintf(f, "; fnv1a64 = \"%016" PRIx64 "\"; }", inputs->hash[i]);
    }
    fprintf(f, "%s);\n", inputs && inputs->n ? "\n" : "");
}

/* The commit the build was configured at (CMake passes it), else
 * "unknown". */
#ifndef SIM_COMMIT
#define SIM_COMMIT "unknown"
#endif

void sim_manifest_write_build(FILE *f)
{
    fprintf(f, "  version = \"%s\";\n  commit = \"%s\";\n", SIM_VERSION,
            SIM_COMMIT);
#if defined(__clang__)
    fprintf(f, "  compiler = \"clang %s\";\n", __clang_version__);
#elif defined(__GNUC__)
    fprintf(f, "  compiler = \"gcc %s\";\n", __VERSION__);
#else
    fprintf(f, "  compiler = \"unknown\";\n");
#endif
    fprintf(f, "  gsl = \"%s (headers %s)\";\n", gsl_version, GSL_VERSION);
    fprintf(f, "  libconfig = \"%d.%d.%d\";\n", LIBCONFIG_VER_MAJOR,
            LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION);
}

int sim_manifest_hash_file(const char *path, uint64_t *hash, sim_err *err)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return sim_error(err, SIM_E_IO, "cannot read %s: %s", path,
                         SIM_ERRNO_TEXT(errno));
    /* FNV-1a, 64 bits: offset basis and prime of the published
     * parameters (Fowler, Noll and Vo). */
    uint64_t h = 14695981039346656037ULL;
    unsigned char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        for (size_t i = 0; i < n; i++) {
            h ^= buf[i];
            h *= 1099511628211ULL;
        }
    int bad = ferror(in);
    fclose(in);
    if (bad)
        return sim_error(err, SIM_E_IO, "cannot read %s", path);
    *hash = h;
    return 0;
}

/* The name of an `@include "NAME"` directive that line (up to end)
 * starts with, into name[size]; false if it starts with none. */
static bool include_directive(const char *line, const char *end, char *name,
                              size_t size)
{
    while (line < end && (*line == ' ' || *line == '\t'))
        line++;
    if ((size_t)(end - line) < 10 || strncmp(line, "@include", 8) != 0)
        return false;
    const char *q = memchr(line, '"', (size_t)(end - line));
    const char *r = q ? memchr(q + 1, '"', (size_t)(end - q - 1)) : NULL;
    if (!r || (size_t)(r - q - 1) >= size)
        return false;
    memcpy(name, q + 1, (size_t)(r - q - 1));
    name[r - q - 1] = '\0';
    return true;
}

/* Adds the files that text (the file path) includes. */
static int add_includes(sim_manifest_inputs *in, const char *path,
                        const char *text, size_t len, sim_err *err)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) : 0;
    int rc = 0;
    for (const char *p = text; !rc && p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        const char *end = nl ? nl : text + len;
        char name[SIM_PATH_MAX], inc[2 * SIM_PATH_MAX + 2];
        if (include_directive(p, end, name, sizeof name)) {
            if (slash && name[0] != '/')
                snprintf(inc, sizeof inc, "%.*s/%s", dirlen, path, name);
            else
                snprintf(inc, sizeof inc, "%s", name);
            /* a name too long for a path was refused by the loader */
            if (strlen(inc) < SIM_PATH_MAX)
                rc = sim_manifest_add_input(in, inc, err);
        }
        p = end + 1;
    }
    return rc;
}

int sim_manifest_add_input(sim_manifest_inputs *in, const char *path,
                           sim_err *err)
{
    for (int i = 0; i < in->n; i++)
        if (!strcmp(in->file[i], path))
            return 0;
    if (in->n >= SIM_MANIFEST_MAX_INPUTS)
        return 0; /* the first ones are hashed; the scenario loader
                     bounds the depth of includes well below */
    int k = in->n;
    int rc = sim_manifest_hash_file(path, &in->hash[k], err);
    if (rc)
        return rc;
    snprintf(in->file[k], sizeof in->file[k], "%s", path);
    in->n++;
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t cap = 0;
    FILE *mem = f ? open_memstream(&text, &cap) : NULL;
    if (mem) {
        char buf[8192];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            fwrite(buf, 1, n, mem);
        fclose(mem);
    }
    if (f)
        fclose(f);
    if (text)
        rc = add_includes(in, path, text, cap, err);
    free(text);
    return rc;
}

int sim_manifest_scenario_inputs(sim_manifest_inputs *in,
                                 const sim_scenario *sc,
                                 const sim_provenance *pv, sim_err *err)
{
    memset(in, 0, sizeof *in);
    const char *file = pv ? pv->file : sc->file;
    FILE *probe = file && file[0] ? fopen(file, "rb") : NULL;
    if (!probe)
        return 0; /* read from a string: no file to hash */
    fclose(probe);
    int rc = sim_manifest_add_input(in, file, err);
    for (int k = 0; pv && !rc && k < pv->n_bases; k++)
        rc = sim_manifest_add_input(in, pv->base[k], err);
    return rc;
}

int sim_manifest_chain_inputs(sim_manifest_inputs *in, const char *path,
                              sim_err *err)
{
    sim_cfg_chain *ch = calloc(1, sizeof *ch);
    if (!ch)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    int rc = sim_cfg_chain_read(ch, path, err);
    for (int k = 0; !rc && k < ch->n; k++)
        rc = sim_manifest_add_input(in, ch->path[k], err);
    sim_cfg_chain_free(ch);
    free(ch);
    return rc;
}
