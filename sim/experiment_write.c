/* experiment_write.c - a sweep's result files: design.csv, points.csv,
 * sensitivity.csv (and sensitivity2.csv, convergence.csv), morris.csv and
 * manifest.cfg. Numbers are printed with "%.15g" (indices "%.6g": they
 * are estimates), names unquoted (factor, group and metric names hold no
 * comma: the loader checks). */
#include <errno.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment_impl.h"
#include "manifest.h"
#include <sanctionsim/version.h>

FILE *sim_sweep_open_file(const char *dir, const char *name, sim_err *err)
{
    char path[SIM_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        sim_error(err, SIM_E_IO, "cannot create %s: %s", path,
                  SIM_ERRNO_TEXT(errno));
    return f;
}

int sim_sweep_close_file(FILE **f, const char *name, sim_err *err)
{
    if (!*f)
        return 0;
    bool bad = ferror(*f) != 0;
    bad = (fclose(*f) != 0) || bad;
    *f = NULL;
    if (!bad)
        return 0;
    return sim_error(err, SIM_E_IO, "cannot write %s (disk full?)", name);
}

int sim_sweep_write_design(const char *dir, const sim_experiment *e,
                           const sim_design *d, sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, "design.csv", err);
    if (!f)
        return err->code;
    fputs("point", f);
    for (int i = 0; i < d->nfactors; i++)
        fprintf(f, ",%s", e->factor[i].name);
    fputc('\n', f);
    for (long p = 0; p < d->npoints; p++) {
        fprintf(f, "%ld", p);
        for (int i = 0; i < d->nfactors; i++)
            fprintf(f, ",%.17g", d->x[p * d->nfactors + i]);
        fputc('\n', f);
    }
    return sim_sweep_close_file(&f, "design.csv", err);
}

int sim_sweep_write_points(const char *dir, const sim_experiment *e,
                           const sim_sweep_result *r, sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, "points.csv", err);
    if (!f)
        return err->code;
    fputs("point,metric,statistic,value,se\n", f);
    int nm = e->nmetrics;
    for (long p = 0; p < r->design.npoints; p++)
        for (int k = 0; k < nm; k++)
            fprintf(f, "%ld,%s,%s,%.15g,%.15g\n", p, e->metric[k],
                    sim_statistic_name(e->statistic), r->stat[p * nm + k],
                    r->se[p * nm + k]);
    return sim_sweep_close_file(&f, "points.csv", err);
}

static void put_index(FILE *f, const sim_index *x)
{
    fprintf(f, ",%.6g,%.6g,%.6g", x->est, x->lo, x->hi);
}

/* "yes" if the factor's ST is within the dummy's ST interval (or below
 * it): indistinguishable from a factor that does nothing; "" without a
 * dummy. */
static const char *below_dummy(const sim_experiment *e,
                               const sim_sobol_result *s, int g)
{
    if (!e->dummy || g == s->ngroups - 1)
        return "";
    return s->st[g].est <= s->st[s->ngroups - 1].hi ? "yes" : "no";
}

static int write_second_order(const char *dir, const sim_experiment *e,
                              const sim_sweep_result *r, sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, "sensitivity2.csv", err);
    if (!f)
        return err->code;
    fputs("factor_i,factor_j,metric,S2,S2_lo,S2_hi,S2_covers_zero\n", f);
    for (int k = 0; k < e->nmetrics; k++) {
        const sim_sobol_result *s = &r->sobol[k];
        for (int i = 0; i < s->ngroups; i++)
            for (int j = i + 1; j < s->ngroups; j++) {
                fprintf(f, "%s,%s,%s", sim_experiment_group_name(e, i),
                        sim_experiment_group_name(e, j), e->metric[k]);
                put_index(f, &s->s2[i][j]);
                fprintf(f, ",%s\n",
                        sim_index_covers_zero(&s->s2[i][j]) ? "yes" : "no");
            }
    }
    return sim_sweep_close_file(&f, "sensitivity2.csv", err);
}

int sim_sweep_write_sobol(const char *dir, const sim_experiment *e,
                          const sim_sweep_result *r, sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, "sensitivity.csv", err);
    if (!f)
        return err->code;
    fputs("factor,metric,statistic,n,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi,"
          "S1_covers_zero,ST_covers_zero,below_dummy\n",
          f);
    for (int k = 0; k < e->nmetrics; k++) {
        const sim_sobol_result *s = &r->sobol[k];
        for (int g = 0; g < s->ngroups; g++) {
            fprintf(f, "%s,%s,%s,%ld", sim_experiment_group_name(e, g),
                    e->metric[k], sim_statistic_name(e->statistic), s->n);
            put_index(f, &s->s1[g]);
            put_index(f, &s->st[g]);
            fprintf(f, ",%s,%s,%s\n",
                    sim_index_covers_zero(&s->s1[g]) ? "yes" : "no",
                    sim_index_covers_zero(&s->st[g]) ? "yes" : "no",
                    below_dummy(e, s, g));
        }
    }
    int rc = sim_sweep_close_file(&f, "sensitivity.csv", err);
    if (!rc && e->design.second_order)
        rc = write_second_order(dir, e, r, err);
    return rc;
}

/* The indices from the first n base samples, n = N, N/2, ... down to 4
 * (a prefix of a Sobol sequence of 2^m points is itself balanced), without
 * intervals: how far the estimates still move with N. */
int sim_sweep_write_convergence(const char *dir, const sim_experiment *e,
                                const sim_sweep_result *r, sim_err *err)
{
    const sim_design *d = &r->design;
    double *y = malloc(sizeof *y * (size_t)d->npoints);
    if (!y)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    FILE *f = sim_sweep_open_file(dir, "convergence.csv", err);
    if (!f) {
        free(y);
        return err->code;
    }
    fputs("n,factor,metric,S1,ST\n", f);
    sim_sobol_opts none = {0, 0};
    int nm = e->nmetrics, rc = 0;
    for (long n = 4; !rc && n <= d->opts.samples; n *= 2)
        for (int k = 0; !rc && k < nm; k++) {
            for (long p = 0; p < d->npoints; p++)
                y[p] = r->stat[p * nm + k];
            sim_sobol_result s;
            sim_err quiet = {0};
            /* a small prefix may not vary: its row is left out; any other
             * failure (out of memory) fails the sweep */
            int src = sim_sobol_indices(d, y, n, &none, &s, &quiet);
            if (src && src != SIM_E_NUMERIC)
                rc = sim_error(err, src, "convergence.csv: %s", quiet.msg);
            if (src)
                continue;
            for (int g = 0; g < s.ngroups; g++)
                fprintf(f, "%ld,%s,%s,%.6g,%.6g\n", n,
                        sim_experiment_group_name(e, g), e->metric[k],
                        s.s1[g].est, s.st[g].est);
        }
    free(y);
    if (rc) {
        fclose(f);
        return rc;
    }
    return sim_sweep_close_file(&f, "convergence.csv", err);
}

int sim_sweep_write_morris(const char *dir, const sim_experiment *e,
                           const sim_sweep_result *r, sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, "morris.csv", err);
    if (!f)
        return err->code;
    fputs("factor,metric,statistic,trajectories,mu,mu_star,sigma\n", f);
    for (int k = 0; k < e->nmetrics; k++) {
        const sim_morris_result *m = &r->morris[k];
        for (int i = 0; i < m->nfactors; i++)
            fprintf(f, "%s,%s,%s,%ld,%.6g,%.6g,%.6g\n", e->factor[i].name,
                    e->metric[k], sim_statistic_name(e->statistic),
                    m->trajectories, m->f[i].mu, m->f[i].mu_star,
                    m->f[i].sigma);
    }
    return sim_sweep_close_file(&f, "morris.csv", err);
}

/* One factor of the manifest, in libconfig syntax. */
static void manifest_factor(FILE *f, const sim_experiment *e, int i)
{
    const sim_factor *x = &e->factor[i];
    fprintf(f, "    { name = ");
    sim_scenario_print_string(f, x->name);
    fprintf(f, "; key = ");
    sim_scenario_print_string(f, x->key);
    fprintf(f, "; group = ");
    sim_scenario_print_string(f, e->group[x->group]);
    if (x->kind == SIM_FACTOR_VALUES) {
        fprintf(f, "; values = [");
        for (int v = 0; v < x->nvalues; v++)
            fprintf(f, "%s%.17g", v ? ", " : "", x->value[v]);
        fprintf(f, "]");
    } else if (x->kind == SIM_FACTOR_RANGE) {
        fprintf(f, "; range = [%.17g, %.17g]; log = %s", x->lo, x->hi,
                x->log ? "true" : "false");
    } else {
        fprintf(f, "; distribution = \"%s\"; %s = %.17g; %s = %.17g",
                sim_factor_dist_name(x->dist),
                sim_factor_dist_param(x->dist, 0), x->p[0],
                sim_factor_dist_param(x->dist, 1), x->p[1]);
    }
    fprintf(f, "; }%s\n", i + 1 < e->nfactors ? "," : "");
}

int sim_sweep_write_manifest(const char *dir, const sim_experiment *e,
                             const sim_sweep_result *r,
                             const sweep_manifest *m, sim_err *err)
{
    FILE *f = sim_sweep_open_file(dir, "manifest.cfg.new", err);
    if (!f)
        return err->code;
    int rc = sim_sweep_print_manifest(f, e, r, m, err);
    if (rc)
        fclose(f);
    else
        rc = sim_sweep_close_file(&f, "manifest.cfg", err);
    char from[SIM_PATH_MAX + 32], to[SIM_PATH_MAX + 32];
    snprintf(from, sizeof from, "%s/manifest.cfg.new", dir);
    snprintf(to, sizeof to, "%s/manifest.cfg", dir);
    if (!rc && rename(from, to) != 0)
        rc = sim_error(err, SIM_E_IO, "cannot write %s: %s", to,
                       SIM_ERRNO_TEXT(errno));
    if (rc)
        unlink(from); /* never a half-written manifest */
    return rc;
}

/* The input files a sweep's manifest hashes into in: the experiment's
 * file and, for the simulator, its scenario's chain. A file that cannot be
 * read is left out (an experiment read from a string has none); running
 * out of memory is SIM_E_NOMEM, not a manifest with inputs missing. */
static int sweep_inputs(const sim_experiment *e, const sweep_manifest *m,
                        sim_manifest_inputs *in, sim_err *err)
{
    memset(in, 0, sizeof *in);
    sim_err ignore = {0};
    int rc = sim_manifest_add_input(in, e->file, &ignore);
    if (rc == 0 && m->simulator)
        rc = sim_manifest_chain_inputs(in, e->scenario, &ignore);
    if (rc == SIM_E_NOMEM)
        return sim_error(err, rc, "%s", ignore.msg);
    return 0;
}

int sim_sweep_print_manifest(FILE *f, const sim_experiment *e,
                             const sim_sweep_result *r,
                             const sweep_manifest *m, sim_err *err)
{
    sim_manifest_inputs in;
    int rc = sweep_inputs(e, m, &in, err);
    if (rc)
        return rc;
    const sim_design *d = &r->design;
    fprintf(f, "// sanctionsim sweep: what was run (libconfig syntax)\n");
    fprintf(f, "kind = \"sweep\";\nversion = \"%s\";\nexperiment = ",
            SIM_VERSION);
    sim_scenario_print_string(f, e->file);
    fprintf(f, ";\nscenario = ");
    sim_scenario_print_string(f, m->simulator ? e->scenario : "");
    fprintf(f, ";\ndesign = \"%s\";\nsamples = %ld;\nsecond_order = %s;\n",
            sim_design_name(d->opts.type), d->opts.samples,
            d->opts.second_order ? "true" : "false");
    fprintf(f, "points = %ld;\nreplications = %ld;\nruns = %ld;\n",
            d->npoints, m->simulator ? e->replications : 0L, r->runs);
    fprintf(f, "seed = %" PRIu64 "L;\nstatistic = \"%s\";\nbootstrap = %d;\n",
            e->seed, sim_statistic_name(e->statistic), e->bootstrap);
    fprintf(f, "common_random_numbers = true; // replication r: the same "
               "streams at every point\nmetrics = [");
    for (int k = 0; k < e->nmetrics; k++) {
        fputs(k ? ", " : "", f);
        sim_scenario_print_string(f, e->metric[k]);
    }
    /* only DIR.partial's says so (a finished sweep's manifest is as it
     * was before sweeps could be resumed) */
    fprintf(f, "];\n%sfactors = (\n",
            m->incomplete ? "completed = false;\n" : "");
    for (int i = 0; i < e->nfactors; i++)
        manifest_factor(f, e, i);
    fprintf(f, ");\n%s: how and when it ran. Everything above is the same "
               "for\n# every run with the same results (any number of "
               "threads).\n",
            SIM_MANIFEST_RUN_MARK);
    const char *files[12];
    int n = 0;
    files[n++] = "design.csv";
    files[n++] = "points.csv";
    if (m->simulator) {
        files[n++] = "runs.csv";
        files[n++] = "summary.csv";
    }
    if (r->sobol) {
        files[n++] = "sensitivity.csv";
        if (e->design.second_order)
            files[n++] = "sensitivity2.csv";
        files[n++] = "convergence.csv";
    }
    if (r->morris)
        files[n++] = "morris.csv";
    files[n++] = "manifest.cfg";
    if (m->incomplete)
        files[n++] = "sweep.bin";
    sim_manifest_write_common(f, files, n, &in);
    fprintf(f, "run = {\n  command = ");
    sim_scenario_print_string(f, m->command_line ? m->command_line : "");
    fprintf(f, ";\n");
    if (m->processes > 1)
        fprintf(f, "  processes = %d;\n", m->processes);
    sim_manifest_write_build(f);
    fprintf(f, "  start_time = \"%s\";\n  end_time = \"%s\";\n"
               "  elapsed_seconds = %.3f;\n};\n",
            m->start_time, m->end_time, m->elapsed_seconds);
    return 0;
}

void sim_sweep_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    DIR *d = opendir(path);
    if (d) {
        const struct dirent *e;
        char child[SIM_PATH_MAX + 300];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            sim_sweep_remove_tree(child);
        }
        closedir(d);
    }
    rmdir(path);
}
