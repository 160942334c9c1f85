/* plot.c - `sanctionsim plot DIR [DIR2...]`: parses the options, writes
 * the gnuplot script of the pictures (plot_gp.c, plot_rounds.c,
 * plot_sweep.c) into a temporary directory beside the output, runs
 * gnuplot there, checks its exit status (its messages shown on failure)
 * and renames the directory into place. */
#include "cliopt.h"
#include "plot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sanctionsim/models.h>
#include <sanctionsim/suggest.h>

const char plot_usage[] =
    "usage: sanctionsim plot DIR [DIR2...] [-o OUT] [--format png|svg|pdf]\n"
    "                        [--force] [--quiet]\n"
    "\n"
    "Draws result directories with gnuplot (Debian: apt-get install\n"
    "gnuplot-nox). Run directories: the distributions of the key outcomes,\n"
    "fan charts over rounds of the prisoners held, releases and tension\n"
    "(median, 50% and 90% of runs, from rounds.csv: run with --trace), the\n"
    "probability by round that each border is open and that each\n"
    "instrument has been lifted. Several directories share each picture,\n"
    "one colour and dash each. Sweep directories: the main effect of each\n"
    "factor on each metric, and the Sobol indices with their intervals.\n"
    "A directory of `discover`: the peeling trajectory (density against\n"
    "coverage). OUT also gets plot.gp, the script (data included).\n"
    "\n"
    "  -o, --output OUT   where the pictures go (default: DIR-plots beside\n"
    "                     one directory, results/plots for several)\n"
    "  --format FMT       png (default), svg or pdf\n"
    "  --force            replace OUT if it holds an earlier result\n"
    "  -q, --quiet        print nothing but warnings and errors\n"
    "  -h, --help         this help\n";

typedef struct plot_args {
    const char *dirs[PLOT_MAX_DIRS];
    int ndirs;
    const char *outdir, *format;
    bool force, quiet, help;
} plot_args;

static int usage(sim_err *err, const char *what, const char *arg)
{
    return sim_error(err, SIM_E_USAGE,
                     "plot: %s%s%s (see sanctionsim plot --help)", what,
                     arg ? " " : "", arg ? arg : "");
}

static int parse(int argc, char **argv, plot_args *a, sim_err *err)
{
    static const char *const opts[] = {"--output", "--format", "--force",
                                       "--quiet", "--help"};
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            a->help = true;
        } else if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
            if (!val || !*val)
                return usage(err, "-o needs a directory", NULL);
            a->outdir = argv[++i];
        } else if (!strcmp(s, "--format")) {
            if (!val || (strcmp(val, "png") != 0 && strcmp(val, "svg") != 0 &&
                         strcmp(val, "pdf") != 0))
                return usage(err, "--format takes png, svg or pdf, not",
                             val ? val : "nothing");
            a->format = argv[++i];
        } else if (!strcmp(s, "--force")) {
            a->force = true;
        } else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
            a->quiet = true;
        } else if (s[0] == '-' && s[1]) {
            return cli_unknown_option("plot", s, opts,
                                      (int)(sizeof opts / sizeof *opts), err);
        } else {
            if (a->ndirs >= PLOT_MAX_DIRS)
                return usage(err, "too many directories (at most 8)", NULL);
            a->dirs[a->ndirs++] = s;
        }
    }
    return 0;
}

int plot_find_gnuplot(sim_err *err)
{
    const char *path = getenv("PATH");
    char buf[SIM_PATH_MAX + 16];
    for (const char *p = path ? path : ""; *p;) {
        size_t len = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)len, len ? p : ".");
        if (access(buf, X_OK) == 0)
            return 0;
        p += len + (p[len] == ':');
    }
    return sim_error(err, SIM_E_USAGE,
                     "gnuplot is not installed (not found on PATH); it draws "
                     "the pictures: install it with `apt-get install "
                     "gnuplot-nox` (as root) and try again");
}

/* Runs gnuplot on script in directory dir; its messages go to dir/errfile
 * and, on failure, to standard error. */
static int run_gnuplot(const char *dir, const char *script, bool show,
                       sim_err *err)
{
    char errpath[SIM_PATH_MAX + 32];
    snprintf(errpath, sizeof errpath, "%s/gnuplot.err", dir);
    pid_t pid = fork();
    if (pid < 0)
        return sim_error(err, SIM_E_IO, "cannot start gnuplot: %s",
                         SIM_ERRNO_TEXT(errno));
    if (pid == 0) {
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_RDWR);
        if (fd < 0 || null < 0 || chdir(dir) != 0 || dup2(fd, 2) < 0 ||
            dup2(null, 1) < 0 || dup2(null, 0) < 0)
            _exit(126);
        execlp("gnuplot", "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return sim_error(err, SIM_E_IO, "waiting for gnuplot: %s",
                             SIM_ERRNO_TEXT(errno));
    FILE *e = fopen(errpath, "r");
    char line[1024];
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    while (show && e && fgets(line, sizeof line, e))
        fprintf(stderr, "gnuplot: %s", line);
    if (e)
        fclose(e);
    unlink(errpath);
    if (ok)
        return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        int rc = plot_find_gnuplot(err);
        if (rc)
            return rc;
        return sim_error(err, SIM_E_IO, "cannot run gnuplot");
    }
    return sim_error(err, SIM_E_IO,
                     "gnuplot failed (%s %d) on %s/%s; its messages are above",
                     WIFEXITED(status) ? "exit status" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status)
                                       : WTERMSIG(status),
                     dir, script);
}

/* Whether this gnuplot has the terminal the format needs. */
static int check_terminal(const char *format, const char *tmp, sim_err *err)
{
    if (strcmp(format, "pdf") != 0 && strcmp(format, "png") != 0)
        return 0;
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/probe.gp", tmp);
    FILE *f = fopen(path, "w");
    if (!f)
        return sim_error(err, SIM_E_IO, "cannot write %s: %s", path,
                         SIM_ERRNO_TEXT(errno));
    fprintf(f, "set terminal %s\n", strcmp(format, "pdf") != 0 ? "pngcairo"
                                                          : "pdfcairo");
    if (fclose(f) != 0) {
        unlink(path);
        return sim_error(err, SIM_E_IO, "cannot write %s", path);
    }
    int rc = run_gnuplot(tmp, "probe.gp", false, err);
    unlink(path);
    if (rc && rc != SIM_E_USAGE)
        return sim_error(err, SIM_E_USAGE,
                         "this gnuplot cannot draw %s (no %s terminal): use "
                         "--format svg, or install Debian's gnuplot-nox, which "
                         "has it",
                         format, strcmp(format, "pdf") != 0 ? "pngcairo"
                                                       : "pdfcairo");
    return rc;
}

/* The last n components of path p (len characters), into out. */
static void tail(const char *p, size_t len, int n, char *out, size_t size)
{
    size_t start = len;
    for (int k = 0; k < n && start > 0; k++) {
        start--;
        while (start > 0 && p[start - 1] != '/')
            start--;
    }
    snprintf(out, size, "%.*s", (int)(len - start), p + start);
}

/* Legends: each directory's last path component, or as many as make
 * them differ (the whole path at worst). */
static void labels(plot_job *job)
{
    for (int n = 1; n <= 8; n++) {
        bool same = false;
        for (int d = 0; d < job->ndirs; d++) {
            size_t len = strlen(job->dirs[d]);
            while (len > 1 && job->dirs[d][len - 1] == '/')
                len--;
            tail(job->dirs[d], len, n < 8 ? n : 1000, job->label[d],
                 sizeof job->label[d]);
            for (int e = 0; e < d; e++)
                same |= !strcmp(job->label[e], job->label[d]);
        }
        if (!same)
            return;
    }
}

/* The first directory's scenario (for units, names and the start month):
 * its scenario.cfg, or the defaults. */
static int load_scenario(plot_job *job, sim_err *err)
{
    job->sc = malloc(sizeof *job->sc);
    if (!job->sc)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/scenario.cfg", job->dirs[0]);
    sim_err quiet = {0};
    if (access(path, R_OK) != 0 ||
        sim_scenario_load(job->sc, sim_builtin_models(), path, NULL, 0, NULL,
                          &quiet) != 0)
        sim_scenario_defaults(job->sc, sim_builtin_models());
    return 0;
}

/* Every directory holds results of one kind. */
static int check_dirs(plot_job *job, sim_err *err)
{
    static const char *const kinds[] = {"a run", "a sweep", "a discovery"};
    for (int d = 0; d < job->ndirs; d++) {
        sim_plot_kind k;
        int rc = sim_plot_dir_kind(job->dirs[d], &k, err);
        if (rc)
            return rc;
        if (d == 0)
            job->kind = k;
        else if (k != job->kind)
            return sim_error(err, SIM_E_USAGE,
                             "%s holds %s and %s %s: plot directories of one "
                             "kind together",
                             job->dirs[d], kinds[k], job->dirs[0],
                             kinds[job->kind]);
    }
    return 0;
}

int plot_render(plot_job *job, const char *workdir, sim_err *err)
{
    labels(job);
    int rc = check_dirs(job, err);
    if (!rc)
        rc = plot_find_gnuplot(err);
    if (!rc)
        rc = check_terminal(job->format, workdir, err);
    if (!rc)
        rc = load_scenario(job, err);
    if (rc)
        return rc;
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/plot.gp", workdir);
    job->gp = fopen(path, "w");
    if (!job->gp)
        return sim_error(err, SIM_E_IO, "cannot create %s: %s", path,
                         SIM_ERRNO_TEXT(errno));
    fputs("# Written by sanctionsim plot: `gnuplot plot.gp` in this "
          "directory draws the pictures again.\n",
          job->gp);
    if (job->kind == SIM_PLOT_RUN) {
        rc = gp_horizon(job, &job->rounds, err);
        if (!rc)
            rc = gp_outcomes(job, err);
        if (!rc)
            rc = gp_fans(job, err);
        if (!rc)
            rc = gp_lifted(job, err);
    } else if (job->kind == SIM_PLOT_SWEEP) {
        rc = gp_sweep(job, err);
    } else {
        rc = gp_discover(job, err);
    }
    bool bad = ferror(job->gp);
    if ((fclose(job->gp) != 0 || bad) && !rc)
        rc = sim_error(err, SIM_E_IO, "cannot write %s", path);
    job->gp = NULL;
    if (!rc)
        rc = run_gnuplot(workdir, "plot.gp", true, err);
    for (int i = 0; !rc && i < job->nfig; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", workdir, job->fig[i].file);
        if (stat(path, &st) != 0 || st.st_size == 0)
            rc = sim_error(err, SIM_E_IO, "gnuplot did not draw %s", path);
    }
    return rc;
}

void plot_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[SIM_PATH_MAX + 300];
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* The output directory: -o, else DIR/plots or results/plots, without a
 * trailing slash. */
static int output_dir(const plot_args *a, char *out, size_t size,
                      sim_err *err)
{
    if (a->outdir)
        snprintf(out, size, "%s", a->outdir);
    else if (a->ndirs == 1)
        snprintf(out, size, "%s", a->dirs[0]);
    else
        snprintf(out, size, "results/plots");
    size_t len = strlen(out);
    while (len > 1 && out[len - 1] == '/')
        out[--len] = '\0';
    /* beside the result directory, not in it: `run --force` replaces
     * that directory's files only */
    if (!a->outdir && a->ndirs == 1)
        snprintf(out + len, size - len, "-plots");
    len = strlen(out);
    if (len + 48 >= size)
        return usage(err, "output path too long:", out);
    return 0;
}

static void print_done(const plot_job *job, const char *out, bool quiet)
{
    for (int i = 0; i < job->nnotes; i++)
        fprintf(stderr, "sanctionsim: note: %s\n", job->note[i]);
    if (quiet)
        return;
    for (int i = 0; i < job->nfig; i++)
        printf("  %-24s %s\n", job->fig[i].file, job->fig[i].title);
    printf("%d pictures -> %s/ (plot.gp draws them again)\n", job->nfig, out);
}

int plot_main(int argc, char **argv, sim_err *err)
{
    plot_args a = {.format = "png"};
    int rc = parse(argc, argv, &a, err);
    if (!rc && a.help) {
        fputs(plot_usage, stdout);
        return 0;
    }
    if (!rc && a.ndirs < 1)
        rc = usage(err, "needs at least one result directory", NULL);
    char out[SIM_PATH_MAX];
    if (!rc)
        rc = output_dir(&a, out, sizeof out, err);
    /* -o is checked, and DIR.partial made, before any drawing */
    sim_plot_outdir *dir = NULL;
    if (!rc)
        rc = sim_plot_outdir_open(&dir, out, a.force,
                                  a.dirs, a.ndirs, err);
    if (rc)
        return rc;
    plot_job job = {.dirs = a.dirs, .ndirs = a.ndirs, .format = a.format};
    rc = plot_render(&job, sim_plot_outdir_path(dir), err);
    free(job.sc);
    char command[4096];
    cli_command_line(argc, argv, command, sizeof command);
    if (rc)
        sim_plot_outdir_abort(dir);
    else
        rc = sim_plot_outdir_install(dir, command, err);
    if (rc)
        return rc;
    print_done(&job, out, a.quiet);
    return 0;
}
