/* alloc_hook.h - a failing allocator for the tests named test_alloc_*:
 * allocation N of an operation fails, for N = 1, 2, 3, ... until the
 * operation succeeds with none failed (alloc_hook.c). CMakeLists.txt
 * links every tests/test_alloc_*.c with alloc_hook.c and ld's --wrap
 * options; no other test has the hook. */
#ifndef SIM_TESTS_ALLOC_HOOK_H
#define SIM_TESTS_ALLOC_HOOK_H

#include <stdbool.h>

#include <sanctionsim/error.h>

/* An operation under test: returns 0 or an error code. */
typedef int (*sim_alloc_op)(sim_err *err);
/* Runs after every attempt with its status: frees what a successful
 * attempt made and checks what a failed one left behind. May be NULL. */
typedef void (*sim_alloc_after)(int rc);

/* Runs op with the 1st, 2nd, ... wrapped allocation failing until it
 * succeeds untouched; every failed attempt must return SIM_E_NOMEM with a
 * message (a cmocka failure otherwise). Returns the number of allocations
 * op makes. */
long sim_alloc_sweep(const char *name, sim_alloc_op op, sim_alloc_after after);

/* sim_alloc_sweep, printing the count and failing if op made fewer than
 * `min` wrapped allocations (the --wrap link option would be missing). */
long sim_alloc_check(const char *name, sim_alloc_op op, sim_alloc_after after,
                     long min);

/* Arms (true) or disarms the hook, for set-up inside an operation that
 * must not fail: the count of wrapped calls runs only while armed. */
void sim_alloc_arm(bool on);

#endif
