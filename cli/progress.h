/* progress.h - a long run's progress on standard error (cli/progress.c):
 * on a terminal one updating line (replications done of the total, rate,
 * time left), for batch logs a plain line every few seconds. The library
 * never prints; it calls progress_update through sim_batch_opts. */
#ifndef SIM_CLI_PROGRESS_H
#define SIM_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

/* How progress is shown: auto is the updating line when standard error
 * is a terminal and nothing otherwise (pipes and files stay clean). */
typedef enum progress_mode {
    PROGRESS_AUTO,
    PROGRESS_BAR,
    PROGRESS_LOG,
    PROGRESS_NONE
} progress_mode;

/* Seconds between two lines of the log, and between two redraws of the
 * updating line. */
#define PROGRESS_LOG_SECONDS 5.0
#define PROGRESS_BAR_SECONDS 0.2

typedef struct progress {
    FILE *f;
    bool log;       /* plain lines rather than one updating line */
    double t0;      /* start (monotonic seconds) */
    double last;    /* when the last line was shown */
    bool open_line; /* an updating line is shown and not ended */
    const char *unit; /* what is counted: "replications" (the default) */
} progress;

/* Reads MODE of --progress=MODE ("bar", "log" or "none") into *mode;
 * returns -1 if it is none of them. */
int progress_parse(const char *s, progress_mode *mode);

/* Starts p on stream f for mode (quiet overrides it; auto asks whether f
 * is a terminal). Returns false if nothing is to be shown, and p must
 * then not be used. */
bool progress_start(progress *p, progress_mode mode, bool quiet, FILE *f);

/* A sim_progress_fn (ctx is a progress): shows done of total at most
 * every PROGRESS_*_SECONDS, and always the last call (done == total). */
void progress_update(void *ctx, long done, long total);

/* Ends an updating line left unfinished (the run stopped early), so that
 * an error message starts on a line of its own. */
void progress_end(progress *p);

#endif
