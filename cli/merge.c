/* merge.c - `sanctionsim merge DIR... -o DIR`: the command line of
 * sim_merge_run (include/sanctionsim/merge.h). */
#include "cliopt.h"
#include "merge.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/merge.h>
#include <sanctionsim/suggest.h>

const char *const merge_usage =
    "usage: sanctionsim merge DIR... -o DIR [--force] [--quiet]\n"
    "\n"
    "Combines the result directories of slices of one batch (each run with\n"
    "`run --reps FIRST:COUNT`, e.g. the tasks of a cluster job array) into\n"
    "the result of the whole batch: runs.csv, rounds.csv, summary.csv (from\n"
    "the exact values in each slice's metrics.bin), scenario.cfg and\n"
    "manifest.cfg, byte-identical to a single run with the same arguments\n"
    "(apart from the manifest's run-specific group). The slices must share\n"
    "version, scenario, seed and total replications, and cover every\n"
    "replication once; they may be given in any order.\n"
    "\n"
    "  -o, --output DIR   the merged result directory (required)\n"
    "  --force            replace DIR if it is an earlier result\n"
    "  -q, --quiet        print nothing but errors\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 ok, 2 usage error (slices that do not fit together),\n"
    "1 failure at run time.\n";

int merge_main(int argc, char **argv, sim_err *err)
{
    const char **dirs = calloc((size_t)argc, sizeof *dirs);
    if (!dirs)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    sim_merge_opts o = {.dirs = dirs};
    bool quiet = false;
    int rc = 0;
    for (int i = 2; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(merge_usage, stdout);
            free(dirs);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc)
                rc = sim_error(err, SIM_E_USAGE, "%s needs a directory", a);
            else
                o.outdir = argv[++i];
        } else if (!strncmp(a, "--output=", 9)) {
            o.outdir = a + 9;
        } else if (!strcmp(a, "--force")) {
            o.force = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            static const char *const opts[] = {"--output", "--force",
                                               "--quiet", "--help"};
            rc = cli_unknown_option("merge", a, opts,
                                    (int)(sizeof opts / sizeof *opts), err);
        } else {
            dirs[o.ndirs++] = a;
        }
    }
    if (!rc && (!o.outdir || !o.ndirs))
        rc = sim_error(err, SIM_E_USAGE,
                       "merge needs the slices' directories and -o DIR (see "
                       "sanctionsim merge --help)");
    char command[4096];
    cli_command_line(argc, argv, command, sizeof command);
    o.command_line = command;
    sim_merge_result r = {0};
    if (!rc)
        rc = sim_merge_run(&o, &r, err);
    if (!rc && !quiet)
        printf("merged %d slice%s, %ld replications%s -> %s/\n", r.slices,
               r.slices == 1 ? "" : "s", r.replications,
               r.rounds ? " with rounds.csv" : "", o.outdir);
    free(dirs);
    return rc;
}
