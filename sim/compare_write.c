/* compare_write.c - compare.csv: one row per (directory, metric), and
 * manifest.cfg, written into DIR.partial and installed as result
 * directories are (output_dir.c). */
#include "compare_impl.h"
#include "columns.h"
#include "manifest.h"
#include "output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* compare.csv's header: the columns the issue fixes, then ours. */
static const char header[] =
    "a,b,metric,unit,n_a,n_b,paired,mean_a,mean_b,diff,diff_ci_lo,"
    "diff_ci_hi,median_diff,median_diff_ci_lo,median_diff_ci_hi,test,"
    "statistic,p_value,p_rank,p_ks,p_adjusted,p_bh,std_diff\n";

static int io_fail(sim_err *err, const char *what, const char *path)
{
    return sim_error(err, SIM_E_IO, "cannot %s %s: %s", what, path,
                     SIM_ERRNO_TEXT(errno ? errno : EIO));
}

/* A text field, quoted when it holds a comma, quote or line break. */
static void put_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ",number": %.15g, empty when not finite (missing), 0 for -0. */
static void put_num(FILE *f, double v)
{
    fputc(',', f);
    if (isfinite(v))
        fprintf(f, "%.15g", v == 0 ? 0.0 : v);
}

static void write_row(FILE *f, const sim_compare_opts *o,
                      const sim_compare_row *r)
{
    put_text(f, o->dirs[0]);
    fputc(',', f);
    put_text(f, o->dirs[r->b]);
    fputc(',', f);
    put_text(f, r->metric);
    fputc(',', f);
    put_text(f, sim_column_unit_by_name(r->metric)); /* as columns.csv */
    fprintf(f, ",%zu,%zu,%s", r->n_a, r->n_b, r->paired ? "true" : "false");
    put_num(f, r->mean_a);
    put_num(f, r->mean_b);
    put_num(f, r->diff.estimate);
    put_num(f, r->diff.lo);
    put_num(f, r->diff.hi);
    put_num(f, r->median.estimate);
    put_num(f, r->median.lo);
    put_num(f, r->median.hi);
    fputc(',', f);
    put_text(f, r->test);
    put_num(f, r->diff.statistic);
    put_num(f, r->diff.p);
    put_num(f, r->p_rank);
    put_num(f, r->p_ks);
    put_num(f, r->p_holm);
    put_num(f, r->p_bh);
    put_num(f, r->std_diff);
    fputc('\n', f);
}

/* Writes compare.csv into the temporary directory tmp. */
static int write_file(const char *tmp, const sim_compare_opts *o,
                      const sim_compare_result *res, sim_err *err)
{
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/compare.csv", tmp);
    FILE *f = fopen(path, "w");
    if (!f)
        return io_fail(err, "create", path);
    fputs(header, f);
    for (size_t i = 0; i < res->nrows; i++)
        write_row(f, o, &res->row[i]);
    if (ferror(f) | (fclose(f) != 0))
        return io_fail(err, "write", path);
    return 0;
}

/* Writes manifest.cfg into tmp: the result format and the files written
 * (what --force may replace later), the compared directories, and below
 * the run mark the command and the build. */
static int write_manifest(const char *tmp, const sim_compare_opts *o,
                          sim_err *err)
{
    char path[SIM_PATH_MAX + 64], now[32];
    snprintf(path, sizeof path, "%s/manifest.cfg", tmp);
    FILE *f = fopen(path, "w");
    if (!f)
        return io_fail(err, "create", path);
    fprintf(f, "# sanctionsim compare: each directory against the first "
               "(compare.csv).\ncompared = [");
    for (int i = 0; i < o->ndirs; i++) {
        fputs(i ? ",\n    " : "\n    ", f);
        sim_scenario_print_string(f, o->dirs[i]);
    }
    fprintf(f, " ];\n%s: how and when it ran.\n", SIM_MANIFEST_RUN_MARK);
    static const char *const files[] = {"compare.csv", "manifest.cfg"};
    sim_manifest_write_common(f, files, 2, NULL);
    sim_manifest_now(now);
    fprintf(f, "run = {\n  command = ");
    sim_scenario_print_string(f, o->command_line ? o->command_line : "");
    fprintf(f, ";\n");
    sim_manifest_write_build(f);
    fprintf(f, "  time = \"%s\";\n};\n", now);
    if (ferror(f) | (fclose(f) != 0))
        return io_fail(err, "write", path);
    return 0;
}

int sim_compare_write(const sim_compare_opts *o, const sim_compare_result *res,
                      sim_output *out, sim_err *err)
{
    int rc = write_file(out->tmp_dir, o, res, err);
    if (!rc)
        rc = write_manifest(out->tmp_dir, o, err);
    if (!rc)
        rc = sim_output_install(out, err);
    return rc;
}
