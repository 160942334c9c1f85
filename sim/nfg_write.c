/* nfg_write.c - the .nfg writer: a game in Gambit's payoff version with
 * strategy names, payoffs in the shortest form that reads back exactly
 * (contract in nfg.h). */
#include <sanctionsim/nfg.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Writes s as a Gambit label: quoted, with '"' and '\' escaped. */
static void put_label(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The shortest "%.Ng" form of x that strtod reads back as x (N <= 17, at
 * which every finite double round-trips). Whole numbers below 1e17 are
 * written without an exponent ("100", not "1e+02"), as Gambit writes them;
 * they are exact in "%.0f". */
static void shortest_double(char *buf, size_t size, double x)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    if (strchr(buf, 'e') && fabs(x) < 1e17 && x == floor(x))
        snprintf(buf, size, "%.0f", x);
}

int sim_nfg_write(FILE *f, const sim_nfg *g, sim_err *err)
{
    int rc = sim_nfg_check(g, err);
    if (rc)
        return rc;
    if (!f)
        return sim_error(err, SIM_E_USAGE, "sim_nfg_write: NULL file");
    fputs("NFG 1 R ", f);
    put_label(f, g->title);
    fputs(" {", f);
    for (int i = 0; i < g->nplayers; i++) {
        fputc(' ', f);
        put_label(f, g->player[i]);
    }
    fputs(" }\n{", f);
    for (int i = 0; i < g->nplayers; i++) {
        fputs(i ? "\n  {" : " {", f);
        for (int j = 0; j < g->nstrat[i]; j++) {
            fputc(' ', f);
            put_label(f, g->strategy[i][j]);
        }
        fputs(" }", f);
    }
    fputs(" }\n\"\"\n\n", f);
    /* One profile per line, so reader errors point at a profile. */
    char num[48];
    for (size_t p = 0; p < g->nprofiles; p++) {
        for (int i = 0; i < g->nplayers; i++) {
            shortest_double(num, sizeof num,
                            g->payoff[p * (size_t)g->nplayers + (size_t)i]);
            fputs(num, f);
            fputc(i + 1 < g->nplayers ? ' ' : '\n', f);
        }
    }
    if (ferror(f))
        return sim_error(err, SIM_E_IO, "cannot write the game: %s",
                         SIM_ERRNO_TEXT(errno ? errno : EIO));
    return 0;
}
