/* merge_files.c - writes the merged result directory from checked slices
 * (merge_impl.h): runs.csv and rounds.csv streamed slice after slice,
 * summary.csv from the exact values one metric at a time, scenario.cfg
 * copied, and the manifest of the whole batch. */
#include "merge_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spill_summary.h"

/* Bytes copied at a time. */
#define COPY_CHUNK ((size_t)1 << 16)

static int read_fail(const char *dir, const char *name, sim_err *err)
{
    return sim_error(err, SIM_E_IO, "cannot read %s/%s: %s", dir, name,
                     SIM_ERRNO_TEXT(errno ? errno : EIO));
}

static FILE *open_at(const char *dir, const char *name, const char *mode,
                     sim_err *err)
{
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, mode);
    if (!f)
        sim_error(err, SIM_E_IO, "cannot %s %s: %s",
                  *mode == 'r' ? "read" : "create", path,
                  SIM_ERRNO_TEXT(errno ? errno : EIO));
    return f;
}

/* Closes f, written as dir/name; SIM_E_IO if anything was not written
 * (unless rc already reports an error, which is returned). */
static int close_out(FILE *f, const char *dir, const char *name, int rc,
                     sim_err *err)
{
    bool bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    if (bad && !rc)
        rc = sim_error(err, SIM_E_IO, "cannot write %s/%s: %s", dir, name,
                       SIM_ERRNO_TEXT(errno ? errno : EIO));
    return rc;
}

/* Copies the rest of in (dir/name) to out. */
static int copy_rest(FILE *in, FILE *out, const char *dir, const char *name,
                     char *buf, sim_err *err)
{
    size_t n;
    while ((n = fread(buf, 1, COPY_CHUNK, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            return 0; /* close_out reports it */
    if (ferror(in))
        return read_fail(dir, name, err);
    return 0;
}

/* Appends slice s's file `name` to out: the whole file for the first
 * slice (its header in *header, owned), its rows only for the others,
 * whose header must be the same. */
static int append_csv(const merge_slice *s, const char *name, FILE *out,
                      char **header, char *buf, sim_err *err)
{
    FILE *in = open_at(s->dir, name, "rb", err);
    if (!in)
        return SIM_E_IO;
    char *line = NULL;
    size_t cap = 0;
    errno = 0;
    ssize_t len = getline(&line, &cap, in);
    int rc = 0;
    if (len < 1 || line[len - 1] != '\n') {
        if (ferror(in))
            rc = read_fail(s->dir, name, err);
        else
            rc = sim_error(err, SIM_E_USAGE, "%s/%s has no header line",
                           s->dir, name);
    } else if (!*header) {
        fputs(line, out);
        *header = line;
        line = NULL;
    } else if (strcmp(line, *header) != 0) {
        rc = sim_error(err, SIM_E_USAGE,
                       "%s/%s has other columns than the first slice's",
                       s->dir, name);
    }
    free(line);
    if (!rc)
        rc = copy_rest(in, out, s->dir, name, buf, err);
    fclose(in);
    return rc;
}

/* Writes tmp/name: the slices' files `name` one after the other, the
 * header once. */
static int concat_csv(const merge_slice *s, int n, const char *tmp,
                      const char *name, sim_err *err)
{
    char *buf = malloc(COPY_CHUNK);
    if (!buf)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    FILE *out = open_at(tmp, name, "wb", err);
    int rc = out ? 0 : SIM_E_IO;
    char *header = NULL;
    for (int i = 0; i < n && !rc; i++)
        rc = append_csv(&s[i], name, out, &header, buf, err);
    if (out)
        rc = close_out(out, tmp, name, rc, err);
    free(header);
    free(buf);
    return rc;
}

/* Reads the next row of the first slice's summary.csv (in): it must be
 * metric m's, named as in metrics.bin; *proportion from its type. */
static int metric_type(const merge_slice *s, FILE *in, int m,
                       bool *proportion, sim_err *err)
{
    const char *name = sim_spill_name(s->spill, m);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, in);
    size_t nlen = strlen(name ? name : "");
    const char *type = len > 0 ? strrchr(line, ',') : NULL;
    int rc = 0;
    if (!name || !type || strncmp(line, name, nlen) != 0 ||
        line[nlen] != ',')
        rc = sim_error(err, SIM_E_USAGE,
                       "%s/summary.csv does not list metric %d (%s) of %s "
                       "in its place",
                       s->dir, m + 1, name ? name : "?", SIM_METRICS_FILE);
    else
        *proportion = strcmp(type, ",proportion\n") == 0;
    free(line);
    return rc;
}

/* A slice's spill, as sim_spill_summarize takes them: an array of these. */
typedef sim_spill *spill_ref;

/* Writes tmp/summary.csv: each metric summarized over every slice's exact
 * values, one metric at a time (its type from the first slice's
 * summary.csv). */
static int write_summary(const merge_slice *s, int n, const char *tmp,
                         sim_err *err)
{
    spill_ref *src = calloc((size_t)n, sizeof(spill_ref));
    FILE *in = open_at(s[0].dir, "summary.csv", "rb", err);
    FILE *out = in ? open_at(tmp, "summary.csv", "wb", err) : NULL;
    int rc;
    if (!src)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    else
        rc = !out ? SIM_E_IO : sim_stats_write_header(out, err);
    char *line = NULL;
    size_t cap = 0;
    if (!rc && getline(&line, &cap, in) < 1) /* its header */
        rc = read_fail(s[0].dir, "summary.csv", err);
    for (int i = 0; i < n && src; i++)
        src[i] = s[i].spill;
    int nm = sim_spill_nmetrics(s[0].spill);
    for (int m = 0; m < nm && !rc; m++) {
        bool proportion = false;
        sim_summary row;
        rc = metric_type(&s[0], in, m, &proportion, err);
        if (!rc)
            rc = sim_spill_summarize(src, (size_t)n, m,
                                     sim_spill_name(s[0].spill, m),
                                     proportion, tmp, 0, &row, err);
        if (!rc)
            rc = sim_stats_write_row(out, &row, err);
    }
    if (out)
        rc = close_out(out, tmp, "summary.csv", rc, err);
    if (in)
        fclose(in);
    free(line);
    free(src);
    return rc;
}

/* Copies the file `name` of the first slice: its scenario.cfg (the same
 * resolved scenario as every slice's: their manifests say so) and its
 * columns.csv (the same columns, from the same scenario). */
static int copy_file(const merge_slice *s, const char *tmp, const char *name,
                     sim_err *err)
{
    char *buf = malloc(COPY_CHUNK);
    FILE *in = buf ? open_at(s->dir, name, "rb", err) : NULL;
    FILE *out = in ? open_at(tmp, name, "wb", err) : NULL;
    int rc;
    if (!buf)
        rc = sim_error(err, SIM_E_NOMEM, "out of memory");
    else
        rc = !out ? SIM_E_IO : copy_rest(in, out, s->dir, name, buf, err);
    if (out)
        rc = close_out(out, tmp, name, rc, err);
    if (in)
        fclose(in);
    free(buf);
    return rc;
}

/* True if the slice's directory holds the file `name`. */
static bool slice_has(const merge_slice *s, const char *name)
{
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", s->dir, name);
    return access(path, F_OK) == 0;
}

/* Writes the first slice's manifest above its run-specific group with the
 * whole batch's replications (N, from 0) instead of the slice's, so that
 * it reads as a single run's. */
static void write_batch_part(FILE *f, const merge_slice *s)
{
    const char *text = s->manifest;
    size_t n1, n2;
    const char *reps = merge_line(text, s->group, "replications = ", &n1);
    const char *first =
        merge_line(text, s->group, "first_replication = ", &n2);
    /* read_manifest found both lines, `replications` before `first...` */
    fwrite(text, 1, (size_t)(reps - text), f);
    fprintf(f, "replications = %ld;\n", s->total);
    fwrite(reps + n1 + 1, 1, (size_t)(first - (reps + n1 + 1)), f);
    fprintf(f, "first_replication = 0;\n");
    fwrite(first + n2 + 1, 1, s->prefix_len - (size_t)(first + n2 + 1 - text),
           f);
}

/* Writes tmp/manifest.cfg: the batch's part, then the run-specific group
 * of this merge, naming the slices, with their input files (in). */
static int write_manifest(const merge_slice *s, int n,
                          const sim_manifest_inputs *in, const char *tmp,
                          const sim_merge_opts *o, const char *start,
                          sim_err *err)
{
    FILE *f = open_at(tmp, "manifest.cfg", "wb", err);
    if (!f)
        return SIM_E_IO;
    write_batch_part(f, &s[0]);
    fprintf(f, "%s: how and when it ran. Everything above is the same for\n"
               "# every run with the same results (any number of threads).\n",
            SIM_MANIFEST_RUN_MARK);
    const char *files[6];
    int nfiles = 0;
    files[nfiles++] = "runs.csv";
    if (s[0].rounds)
        files[nfiles++] = "rounds.csv";
    files[nfiles++] = "summary.csv";
    files[nfiles++] = "scenario.cfg";
    if (slice_has(&s[0], "columns.csv"))
        files[nfiles++] = "columns.csv";
    files[nfiles++] = "manifest.cfg";
    sim_manifest_write_common(f, files, nfiles, in);
    fprintf(f, "run = {\n  command = ");
    sim_scenario_print_string(f, o->command_line ? o->command_line : "");
    fprintf(f, ";\n  merged_from = [");
    for (int i = 0; i < n; i++) {
        fputs(i ? ",\n    " : "\n    ", f);
        sim_scenario_print_string(f, s[i].dir);
    }
    fprintf(f, " ];\n  first_replications = [");
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%ld", i ? ", " : " ", s[i].first);
    char end[32];
    sim_manifest_now(end);
    fprintf(f, " ];\n");
    sim_manifest_write_build(f);
    fprintf(f, "  start_time = \"%s\";\n  end_time = \"%s\";\n};\n", start,
            end);
    return close_out(f, tmp, "manifest.cfg", 0, err);
}

int merge_write(const merge_slice *s, int n, const sim_manifest_inputs *in,
                const sim_merge_opts *o, sim_output *out, sim_err *err)
{
    char start[32];
    sim_manifest_now(start);
    int rc = concat_csv(s, n, out->tmp_dir, "runs.csv", err);
    if (!rc && s[0].rounds)
        rc = concat_csv(s, n, out->tmp_dir, "rounds.csv", err);
    if (!rc)
        rc = write_summary(s, n, out->tmp_dir, err);
    if (!rc)
        rc = copy_file(&s[0], out->tmp_dir, "scenario.cfg", err);
    /* a slice written before columns.csv existed has none to copy */
    if (!rc && slice_has(&s[0], "columns.csv"))
        rc = copy_file(&s[0], out->tmp_dir, "columns.csv", err);
    if (!rc)
        rc = write_manifest(s, n, in, out->tmp_dir, o, start, err);
    if (!rc)
        rc = sim_output_install(out, err);
    return rc;
}
