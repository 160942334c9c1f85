/* fuzz_where.c - libFuzzer target: the outcome expression of
 * `sanctionsim discover --where` (sim_expr_parse).
 *
 * The input, made NUL-terminated, is parsed against a fixed list of
 * column names (a sweep's factors and metrics). The parser must return 0
 * or an error with a message, never crash, hang or recurse without bound;
 * an expression it accepts names only columns of the list
 * (sim_expr_columns) and evaluates, without reading other columns, on
 * rows of ordinary values, of zeros and of missing values (NaN). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#endif

#include <math.h>

#include "fuzz_common.h"
#include <sanctionsim/discover.h>

static const char *const names[] = {
    "released_total", "us_deals", "prisoners_end", "breakdown",
    "moscow.sensitivity", "us_potash_value", "dummy", "x", "_y2", "point"};
#define NNAMES ((int)(sizeof names / sizeof *names))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sim_expr *e = NULL;
    sim_err err = {0};
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    int rc = sim_expr_parse(text, names, NNAMES, &e, &err);
    fuzz_check_error(rc, &err);
    if (rc != 0 && e != NULL)
        fuzz_fail("a failed parse left an expression", err.msg);
    if (rc == 0) {
        int cols[NNAMES];
        int n = sim_expr_columns(e, cols, NNAMES);
        if (n < 0 || n > NNAMES)
            fuzz_fail("sim_expr_columns counts columns not in the list", text);
        for (int i = 0; i < n; i++)
            if (cols[i] < 0 || cols[i] >= NNAMES)
                fuzz_fail("sim_expr_columns gives a column not in the list",
                          text);
        /* Heap rows of exactly NNAMES values: ASan sees a read past them. */
        double *row = malloc(NNAMES * sizeof *row);
        if (row) {
            for (int k = 0; k < 3; k++) {
                for (int c = 0; c < NNAMES; c++)
                    row[c] = k == 0 ? c * 0.5 - 1.0 : k == 1 ? 0.0 : NAN;
                (void)sim_expr_eval(e, row);
            }
            free(row);
        }
    }
    sim_expr_free(e);
    free(text);
    return 0;
}
