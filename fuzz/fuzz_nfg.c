/* fuzz_nfg.c - libFuzzer target: the Gambit .nfg reader.
 *
 * The input, made NUL-terminated, is read as a .nfg file would be
 * (sim_nfg_read_string). The reader must return 0 or an error with a
 * message, never crash, hang or read past the end; a game it accepts must
 * pass sim_nfg_check and, written with sim_nfg_write and read again, give
 * back the same game (title, names, counts, payoffs), as nfg.h promises
 * (that check is compiled in with FUZZ_NFG_ROUNDTRIP=1, as CMakeLists.txt
 * builds this target). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#endif

#include "fuzz_common.h"
#include <sanctionsim/nfg.h>

#ifndef FUZZ_NFG_ROUNDTRIP
#define FUZZ_NFG_ROUNDTRIP 0
#endif

#if FUZZ_NFG_ROUNDTRIP
/* 0 if a and b are the same game. */
static int nfg_differ(const sim_nfg *a, const sim_nfg *b)
{
    if (strcmp(a->title, b->title) != 0 || a->nplayers != b->nplayers ||
        a->nprofiles != b->nprofiles)
        return 1;
    for (int i = 0; i < a->nplayers; i++) {
        if (a->nstrat[i] != b->nstrat[i] ||
            strcmp(a->player[i], b->player[i]) != 0)
            return 1;
        for (int j = 0; j < a->nstrat[i]; j++)
            if (strcmp(a->strategy[i][j], b->strategy[i][j]) != 0)
                return 1;
    }
    size_t n = a->nprofiles * (size_t)a->nplayers;
    return n && memcmp(a->payoff, b->payoff, n * sizeof(double)) != 0;
}

static void check_write_read(const sim_nfg *g)
{
    static sim_nfg again; /* large: not on the stack */
    sim_err err = {0};
    if (sim_nfg_check(g, &err) != 0)
        fuzz_fail("an accepted game fails sim_nfg_check", err.msg);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    int rc = sim_nfg_write(f, g, &err);
    fclose(f);
    if (rc != 0)
        fuzz_fail("an accepted game cannot be written", err.msg);
    memset(&again, 0, sizeof again);
    if (sim_nfg_read_string(buf, "written.nfg", &again, &err) != 0) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        fuzz_fail("the written game does not read again", buf);
    }
    if (nfg_differ(g, &again))
        fuzz_fail("the written game reads as a different one", buf);
    sim_nfg_free(&again);
    free(buf);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sim_nfg g; /* large: not on the stack */
    sim_err err = {0};
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    memset(&g, 0, sizeof g);
    int rc = sim_nfg_read_string(text, "fuzz.nfg", &g, &err);
    fuzz_check_error(rc, &err);
    if (rc == 0) {
#if FUZZ_NFG_ROUNDTRIP
        check_write_read(&g);
#endif
    } else if (g.payoff != NULL) {
        fuzz_fail("a failed read left a payoff table", err.msg);
    }
    sim_nfg_free(&g);
    free(text);
    return 0;
}
