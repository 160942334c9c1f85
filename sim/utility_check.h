/* utility_check.h - PRIVATE to sim/utility.c and tests/test_utility.c: a
 * white-box check of sim_utility_gain's shortcuts against the plain
 * formula, run inside the engine (whose workspace is private to it). */
#ifndef SIM_UTILITY_CHECK_H
#define SIM_UTILITY_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include <sanctionsim/scenario.h>

/* Plays `cases` random cases on a workspace of sc: an actor's weights
 * (zeros of both signs, infinities, NaN among them), the tension, the
 * borders, transit and the instruments' status, and a change of one border,
 * of transit or of one instrument's status; compares sim_utility_gain of
 * the change, bit for bit, with the plain formula (the features of both
 * views, their difference, its dot product with the weights). Returns 0,
 * or 1 with the first difference described in msg; -1 if no workspace.
 * *shortcuts gets the number of cases where the shortcut of a same status
 * and transit with finite weights applied. */
int sim_utility_check_gain(const sim_scenario *sc, uint64_t seed, int cases,
                           int *shortcuts, char *msg, size_t len);

#endif
