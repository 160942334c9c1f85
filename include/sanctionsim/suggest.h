/* suggest.h - "did you mean": the closest of a list of valid names to a
 * name that is not one of them, for error messages (the scenario loader's
 * unknown keys and values, the command line's unknown commands and
 * options). */
#ifndef SIM_SUGGEST_H
#define SIM_SUGGEST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes into buf[size] "; did you mean 'x'?" and returns 1 if x, one of
 * valid[0..n), is within a few edits of name (ignoring case; an edit is an
 * insertion, deletion, substitution or swap of adjacent letters; at most 1
 * edit for names of up to 4 characters, 2 up to 8, else 3; the first of
 * equally close names wins); otherwise writes "; valid here:" followed by
 * every valid name (truncated to fit) and returns 0. */
int sim_suggest(const char *name, const char *const *valid, int n, char *buf,
                size_t size);

#ifdef __cplusplus
}
#endif

#endif
