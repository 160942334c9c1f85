/* merge_slices.c - `sanctionsim merge`: reads and checks the slices (their
 * manifests and metrics.bin), orders them and checks that they cover the
 * batch once; merge_files.c writes the merged directory. */
#include <sanctionsim/merge.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "merge_impl.h"

/* The largest manifest.cfg read: far beyond any scenario's. */
#define MANIFEST_MAX ((long)1 << 24)

/* The file dir/name, whole and NUL-terminated, in *text (owned), or
 * SIM_E_USAGE if it does not exist, SIM_E_IO if it cannot be read. */
static int slurp(const char *dir, const char *name, char **text,
                 sim_err *err)
{
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f && errno == ENOENT)
        return sim_error(err, SIM_E_USAGE,
                         "%s is not a sanctionsim result: it has no %s", dir,
                         name);
    if (!f)
        return sim_error(err, SIM_E_IO, "cannot read %s: %s", path,
                         SIM_ERRNO_TEXT(errno));
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        len = ftell(f);
    char *buf = len >= 0 && len < MANIFEST_MAX ? malloc((size_t)len + 1)
                                               : NULL;
    int rc = 0;
    if (len < 0 || len >= MANIFEST_MAX)
        rc = sim_error(err, SIM_E_IO, "cannot read %s: not a manifest",
                       path);
    else if (!buf)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory for %s", path);
    else if (fseek(f, 0, SEEK_SET) != 0 ||
             fread(buf, 1, (size_t)len, f) != (size_t)len)
        rc = sim_error(err, SIM_E_IO, "cannot read %s: %s", path,
                       SIM_ERRNO_TEXT(errno ? errno : EIO));
    fclose(f);
    if (rc || !buf) {
        free(buf);
        return rc ? rc : SIM_E_NOMEM;
    }
    buf[len] = '\0';
    *text = buf;
    return 0;
}

const char *merge_line(const char *text, size_t len, const char *key,
                       size_t *line_len)
{
    size_t klen = strlen(key);
    for (const char *p = text; p < text + len;) {
        const char *end = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = end ? (size_t)(end - p) : (size_t)(text + len - p);
        if (n >= klen && !memcmp(p, key, klen)) {
            *line_len = n;
            return p;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return NULL;
}

/* The number after `key` on its line in s's manifest (above its scenario
 * group for top-level keys), into *v; SIM_E_USAGE naming the slice if it
 * is missing or not a number. */
static int manifest_long(const merge_slice *s, const char *key, size_t len,
                         long *v, sim_err *err)
{
    size_t n;
    const char *line = merge_line(s->manifest, len, key, &n);
    char *end = NULL;
    if (line) {
        errno = 0;
        *v = strtol(line + strlen(key), &end, 10);
    }
    if (!line || !end || *end != ';' || errno || *v < 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s/manifest.cfg has no valid `%.*s` line: not a "
                         "sanctionsim result of this version",
                         s->dir, (int)(strlen(key) - 3), key);
    return 0;
}

/* Reads slice s's manifest: its part above the run-specific group, the
 * slice (first, count) and the batch's total (the scenario's
 * replications). */
static int read_manifest(merge_slice *s, sim_err *err)
{
    int rc = slurp(s->dir, "manifest.cfg", &s->manifest, err);
    if (rc || !s->manifest)
        return rc ? rc : SIM_E_INTERNAL;
    const char *mark = strstr(s->manifest, "\n" SIM_MANIFEST_RUN_MARK);
    const char *group = strstr(s->manifest, "\nscenario = {\n");
    size_t n;
    if (!mark || !group || group > mark ||
        !merge_line(s->manifest, (size_t)(group - s->manifest),
                    "completed = true;", &n))
        return sim_error(err, SIM_E_USAGE,
                         "%s/manifest.cfg is not the manifest of a completed "
                         "run of this version of sanctionsim",
                         s->dir);
    s->prefix_len = (size_t)(mark - s->manifest) + 1;
    s->group = (size_t)(group - s->manifest) + 1;
    rc = manifest_long(s, "replications = ", s->group, &s->count, err);
    if (!rc)
        rc = manifest_long(s, "first_replication = ", s->group, &s->first,
                           err);
    if (rc)
        return rc;
    /* The scenario's own replications: the batch's total. */
    const merge_slice view = {.dir = s->dir, .manifest = s->manifest + s->group};
    return manifest_long(&view, "  replications = ", s->prefix_len - s->group,
                         &s->total, err);
}

/* Reads slice s: its manifest, metrics.bin (which must hold its
 * replications) and whether it has rounds.csv. */
static int read_slice(merge_slice *s, sim_err *err)
{
    int rc = read_manifest(s, err);
    if (!rc)
        rc = sim_manifest_check_format(s->dir, "merge", err);
    if (rc)
        return rc;
    char path[SIM_PATH_MAX + 32];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", s->dir, SIM_METRICS_FILE);
    if (stat(path, &st) != 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s has no %s: only a slice run with --reps keeps "
                         "the exact metric values that merge needs (run it "
                         "again with --reps %ld:%ld)",
                         s->dir, SIM_METRICS_FILE, s->first, s->count);
    rc = sim_spill_load(&s->spill, path, err);
    if (rc)
        return rc;
    if (sim_spill_rows(s->spill) != (size_t)s->count)
        return sim_error(err, SIM_E_USAGE,
                         "%s holds %zu replications but the manifest says "
                         "%ld",
                         path, sim_spill_rows(s->spill), s->count);
    snprintf(path, sizeof path, "%s/rounds.csv", s->dir);
    s->rounds = stat(path, &st) == 0;
    return 0;
}

/* True if the manifests of a and b have the same line starting with key
 * above their scenario groups (or neither has one). */
static int same_line(const merge_slice *a, const merge_slice *b,
                     const char *key)
{
    size_t na = 0, nb = 0;
    const char *la = merge_line(a->manifest, a->group, key, &na);
    const char *lb = merge_line(b->manifest, b->group, key, &nb);
    return (!la && !lb) || (la && lb && na == nb && !memcmp(la, lb, na));
}

/* Checks that slice b belongs to the batch of slice a. */
static int check_together(const merge_slice *a, const merge_slice *b,
                          sim_err *err)
{
    static const char *const keys[] = {"version = ", "master_seed = ",
                                       "generator = "};
    static const char *const what[] = {"another version of sanctionsim",
                                       "another master seed",
                                       "another random number generator"};
    for (int k = 0; k < 3; k++)
        if (!same_line(a, b, keys[k]))
            return sim_error(err, SIM_E_USAGE,
                             "%s was run with %s than %s (see `%.*s` in "
                             "their manifest.cfg): they are not slices of "
                             "one batch",
                             b->dir, what[k], a->dir,
                             (int)strlen(keys[k]) - 3, keys[k]);
    size_t na = a->prefix_len - a->group, nb = b->prefix_len - b->group;
    if (na != nb ||
        memcmp(a->manifest + a->group, b->manifest + b->group, na) != 0)
        return sim_error(err, SIM_E_USAGE,
                         "%s ran another scenario than %s (their manifests' "
                         "resolved `scenario` groups differ%s): they are not "
                         "slices of one batch",
                         b->dir, a->dir,
                         a->total != b->total ? ", in replications first"
                                              : "");
    if (a->rounds != b->rounds)
        return sim_error(err, SIM_E_USAGE,
                         "%s has rounds.csv (run with --trace) but %s has "
                         "not: run every slice with --trace or none",
                         a->rounds ? a->dir : b->dir,
                         a->rounds ? b->dir : a->dir);
    return 0;
}

static int by_first(const void *pa, const void *pb)
{
    const merge_slice *a = pa, *b = pb;
    return (a->first > b->first) - (a->first < b->first);
}

/* Checks that the slices s[0..n), sorted by first, cover 0 .. total-1
 * once each; names what is missing or twice. */
static int check_cover(const merge_slice *s, int n, sim_err *err)
{
    long next = 0; /* the first replication not yet covered */
    for (int i = 0; i < n; i++) {
        if (s[i].first > next)
            return sim_error(err, SIM_E_USAGE,
                             "replications %ld to %ld are missing (before "
                             "%s, which starts at %ld)",
                             next, s[i].first - 1, s[i].dir, s[i].first);
        if (s[i].first < next)
            return sim_error(err, SIM_E_USAGE,
                             "%s and %s overlap: both have replications %ld "
                             "to %ld",
                             s[i - 1].dir, s[i].dir, s[i].first,
                             (next < s[i].first + s[i].count
                                  ? next
                                  : s[i].first + s[i].count) -
                                 1);
        next = s[i].first + s[i].count;
    }
    if (next < s[0].total)
        return sim_error(err, SIM_E_USAGE,
                         "replications %ld to %ld of the %ld are missing "
                         "(after %s)",
                         next, s[0].total - 1, s[0].total, s[n - 1].dir);
    if (next > s[0].total)
        return sim_error(err, SIM_E_USAGE,
                         "%s goes beyond the batch's %ld replications",
                         s[n - 1].dir, s[0].total);
    return 0;
}

/* Reports that slices a and b were run on other input files: a's input
 * k (of in_a) differs from b's (of in_b), or one has no input k. */
static int inputs_differ(const merge_slice *a, const sim_manifest_inputs *in_a,
                         const merge_slice *b, const sim_manifest_inputs *in_b,
                         int k, sim_err *err)
{
    if (k < in_a->n && k < in_b->n)
        return sim_error(err, SIM_E_USAGE,
                         "%s and %s were run on different versions of %s "
                         "(their manifest.cfg's `inputs` hash it as %016" PRIx64
                         " and %016" PRIx64 "): they are not slices of one "
                         "batch",
                         a->dir, b->dir, in_b->file[k], in_a->hash[k],
                         in_b->hash[k]);
    const merge_slice *more = k < in_a->n ? a : b;
    const merge_slice *less = k < in_a->n ? b : a;
    const char *file = k < in_a->n ? in_a->file[k] : in_b->file[k];
    return sim_error(err, SIM_E_USAGE,
                     "%s was run on the input file %s, %s was not (see "
                     "`inputs` in their manifest.cfg): they are not slices "
                     "of one batch",
                     more->dir, file, less->dir);
}

/* Reads the input files and hashes of the slices s[0..n) (their
 * manifests' `inputs`) into in, from the first: every slice's must have
 * the same hashes in the same order (the paths may differ, as written
 * from other folders). */
static int check_inputs(const merge_slice *s, int n, sim_manifest_inputs *in,
                        sim_err *err)
{
    sim_manifest_inputs *b = malloc(sizeof *b);
    if (!b)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    int rc = sim_manifest_read_inputs(s[0].dir, in, err);
    for (int i = 1; !rc && i < n; i++) {
        rc = sim_manifest_read_inputs(s[i].dir, b, err);
        int k = 0;
        while (!rc && k < in->n && k < b->n && in->hash[k] == b->hash[k])
            k++;
        if (!rc && (k < in->n || k < b->n))
            rc = inputs_differ(&s[0], in, &s[i], b, k, err);
    }
    free(b);
    return rc;
}

int sim_merge_run(const sim_merge_opts *o, sim_merge_result *out,
                  sim_err *err)
{
    memset(out, 0, sizeof *out);
    if (o->ndirs < 1)
        return sim_error(err, SIM_E_USAGE, "merge needs slice directories");
    /* -o is checked, and DIR.partial made, before the work */
    int rc = sim_output_check_not_input(o->outdir, o->dirs, o->ndirs, err);
    sim_output dir;
    if (!rc)
        rc = sim_output_open_dir(&dir, o->outdir,
                                 SIM_OUTPUT_NO_RESUME |
                                     (o->force ? SIM_OUTPUT_FORCE : 0),
                                 err);
    if (rc)
        return rc;
    merge_slice *s = calloc((size_t)o->ndirs, sizeof *s);
    if (!s) {
        sim_output_abort(&dir);
        return sim_error(err, SIM_E_NOMEM, "out of memory for %d slices",
                         o->ndirs);
    }
    for (int i = 0; i < o->ndirs && !rc; i++) {
        s[i].dir = o->dirs[i];
        rc = read_slice(&s[i], err);
    }
    for (int i = 1; i < o->ndirs && !rc; i++)
        rc = check_together(&s[0], &s[i], err);
    if (!rc) {
        qsort(s, (size_t)o->ndirs, sizeof *s, by_first);
        rc = check_cover(s, o->ndirs, err);
    }
    sim_manifest_inputs *in = NULL;
    if (!rc && !(in = malloc(sizeof *in)))
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    if (!rc)
        rc = check_inputs(s, o->ndirs, in, err);
    if (!rc)
        rc = merge_write(s, o->ndirs, in, o, &dir, err);
    sim_output_abort(&dir); /* a no-op once installed */
    free(in);
    if (!rc) {
        out->replications = s[0].total;
        out->slices = o->ndirs;
        out->rounds = s[0].rounds;
    }
    for (int i = 0; i < o->ndirs; i++) {
        free(s[i].manifest);
        sim_spill_close(s[i].spill);
    }
    free(s);
    return rc;
}
