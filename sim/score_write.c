/* score_write.c - score.csv: one row per target with the ensemble's
 * summary and the target's scores, written to a temporary file beside the
 * final one and renamed into place. */
#include "score_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const header =
    "id,quantity,statistic,from,to,from_round,to_round,observed,"
    "uncertainty,n,model_mean,model_sd,q05,q25,q50,q75,q95,crps,brier,pit,"
    "in50,in90,status,source\n";

/* s as an RFC 4180 field: quoted when it holds a comma, quote or line
 * break. */
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

/* ",value" in full precision; just "," for NaN. */
static void put_num(FILE *f, double v)
{
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, ",%.10g", v);
}

static void put_when(FILE *f, const sim_target_when *w)
{
    fputc(',', f);
    if (w->date[0])
        fputs(w->date, f);
    else if (w->round)
        fprintf(f, "%d", w->round);
}

static void put_row(FILE *f, const score_row *r)
{
    static const char *const stats[] = {"value", "sum", "event"};
    const sim_target *t = r->t;
    put_text(f, t->id);
    fprintf(f, ",%s,%s", t->quantity, stats[t->stat]);
    put_when(f, &t->from);
    put_when(f, &t->to);
    if (t->in_runs)
        fputs(",,", f);
    else
        fprintf(f, ",%d,%d", r->from_round, r->to_round);
    put_num(f, t->value);
    put_num(f, t->uncertainty);
    const sim_score_stats *st = &r->s;
    fprintf(f, ",%zu", st->n);
    double q[] = {st->mean, st->sd,  st->q05,  st->q25,   st->q50,
                  st->q75,  st->q95, st->crps, st->brier, st->pit};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        put_num(f, q[i]);
    for (int k = 0; k < 2; k++) {
        int in = k ? st->in90 : st->in50;
        if (in < 0)
            fputc(',', f);
        else
            fprintf(f, ",%d", in);
    }
    fprintf(f, ",%s,", r->status);
    put_text(f, t->source);
    fputc('\n', f);
}

static int io_fail(sim_err *err, const char *what, const char *path, int e)
{
    return sim_error(err, SIM_E_IO, "cannot %s %s: %s", what, path,
                     SIM_ERRNO_TEXT(e));
}

int sim_score_write(const char *path, bool force, const score_row *rows,
                    int n, sim_err *err)
{
    struct stat st;
    if (!force && stat(path, &st) == 0)
        return sim_error(err, SIM_E_EXISTS,
                         "%s exists (use --force to replace it, or -o FILE)",
                         path);
    char tmp[SIM_PATH_MAX + 32];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
        return sim_error(err, SIM_E_USAGE, "output path too long: %.64s...",
                         path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return io_fail(err, "create a temporary file for", path, errno);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return io_fail(err, "write", tmp, e);
    }
    fputs(header, f);
    for (int i = 0; i < n; i++)
        put_row(f, &rows[i]);
    int bad = ferror(f);
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && chmod(tmp, 0644) == 0 && rename(tmp, path) == 0)
        return 0;
    if (!bad)
        e = errno;
    unlink(tmp);
    return io_fail(err, "write", path, e);
}
