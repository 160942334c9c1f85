/* progress.c - a long run's progress on standard error (progress.h). */
#include "progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int progress_parse(const char *s, progress_mode *mode)
{
    static const char *const names[] = {"bar", "log", "none"};
    static const progress_mode modes[] = {PROGRESS_BAR, PROGRESS_LOG,
                                          PROGRESS_NONE};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i])) {
            *mode = modes[i];
            return 0;
        }
    return -1;
}

bool progress_start(progress *p, progress_mode mode, bool quiet, FILE *f)
{
    if (quiet || mode == PROGRESS_NONE ||
        (mode == PROGRESS_AUTO && !isatty(fileno(f))))
        return false;
    memset(p, 0, sizeof *p);
    p->f = f;
    p->log = mode == PROGRESS_LOG;
    p->unit = "replications";
    p->t0 = p->last = now();
    return true;
}

/* A duration for people: "42 s", "7 min 05 s", "3 h 20 min". */
static void duration(char *buf, size_t size, double s)
{
    long t = (long)(s + 0.5);
    if (t < 60)
        snprintf(buf, size, "%ld s", t);
    else if (t < 3600)
        snprintf(buf, size, "%ld min %02ld s", t / 60, t % 60);
    else
        snprintf(buf, size, "%ld h %02ld min", t / 3600, t / 60 % 60);
}

void progress_update(void *ctx, long done, long total)
{
    progress *p = ctx;
    double t = now();
    bool last = done >= total;
    if (!last && t - p->last < (p->log ? PROGRESS_LOG_SECONDS
                                        : PROGRESS_BAR_SECONDS))
        return;
    p->last = t;
    double elapsed = t - p->t0;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    char when[64] = "";
    if (last)
        duration(when, sizeof when, elapsed);
    else if (rate > 0)
        duration(when, sizeof when, (double)(total - done) / rate);
    char text[256];
    snprintf(text, sizeof text, "%ld/%ld %s (%ld%%), %.0f/s, %s%s%s", done,
             total, p->unit, (long)(100.0 * (double)done / (double)total), rate,
             last ? "done in " : "", when, last ? "" : " left");
    if (p->log) {
        fprintf(p->f, "sanctionsim: %s\n", text);
    } else {
        /* \033[K clears what a longer earlier line left on the right */
        fprintf(p->f, "\r  %s\033[K%s", text, last ? "\n" : "");
        p->open_line = !last;
    }
    fflush(p->f);
}

void progress_end(progress *p)
{
    if (p->open_line) {
        fputc('\n', p->f);
        p->open_line = false;
    }
}
