/* alloc_hook.c - the failing allocator of the test_alloc_* executables
 * (alloc_hook.h). CMakeLists.txt links every tests/test_alloc_*.c with ld's
 * --wrap for malloc, calloc, realloc, fmemopen and the GSL allocators the
 * library calls, so that every such call made by the static library or by
 * the test goes through the __wrap_ functions below. Calls made inside
 * shared libraries (libgsl's own mallocs, libconfig's parser, libc's
 * fopen) are not wrapped and never fail here; a failure there would reach
 * the library as the failure of the wrapped call around it, or as a
 * libconfig error. */
#include "alloc_hook.h"

#include <errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

/* The hook's state: a counter of wrapped calls while armed, and the call
 * that fails. Mutable and global because malloc takes no context; only
 * the test_alloc_* executables have it, and they run one operation at a
 * time on one thread. */
static struct {
    bool armed;
    long count;   /* wrapped calls since arming */
    long fail_at; /* the call that returns NULL */
} hook;

static bool inject(void)
{
    return hook.armed && ++hook.count == hook.fail_at;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
FILE *__real_fmemopen(void *buf, size_t size, const char *mode);
gsl_vector *__real_gsl_vector_alloc(size_t n);
gsl_matrix *__real_gsl_matrix_alloc(size_t n1, size_t n2);
gsl_permutation *__real_gsl_permutation_alloc(size_t n);
gsl_rng *__real_gsl_rng_alloc(const gsl_rng_type *T);
gsl_multiroot_fdfsolver *
__real_gsl_multiroot_fdfsolver_alloc(const gsl_multiroot_fdfsolver_type *T,
                                     size_t n);
gsl_min_fminimizer *
__real_gsl_min_fminimizer_alloc(const gsl_min_fminimizer_type *T);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
FILE *__wrap_fmemopen(void *buf, size_t size, const char *mode);
gsl_vector *__wrap_gsl_vector_alloc(size_t n);
gsl_matrix *__wrap_gsl_matrix_alloc(size_t n1, size_t n2);
gsl_permutation *__wrap_gsl_permutation_alloc(size_t n);
gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *T);
gsl_multiroot_fdfsolver *
__wrap_gsl_multiroot_fdfsolver_alloc(const gsl_multiroot_fdfsolver_type *T,
                                     size_t n);
gsl_min_fminimizer *
__wrap_gsl_min_fminimizer_alloc(const gsl_min_fminimizer_type *T);

void *__wrap_malloc(size_t n)
{
    return inject() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return inject() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return inject() ? NULL : __real_realloc(p, n);
}

FILE *__wrap_fmemopen(void *buf, size_t size, const char *mode)
{
    if (inject()) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_fmemopen(buf, size, mode);
}

/* GSL's allocators return NULL when they run out (with the error handler
 * off, as the library sets it). */
gsl_vector *__wrap_gsl_vector_alloc(size_t n)
{
    return inject() ? NULL : __real_gsl_vector_alloc(n);
}

gsl_matrix *__wrap_gsl_matrix_alloc(size_t n1, size_t n2)
{
    return inject() ? NULL : __real_gsl_matrix_alloc(n1, n2);
}

gsl_permutation *__wrap_gsl_permutation_alloc(size_t n)
{
    return inject() ? NULL : __real_gsl_permutation_alloc(n);
}

gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *T)
{
    return inject() ? NULL : __real_gsl_rng_alloc(T);
}

gsl_multiroot_fdfsolver *
__wrap_gsl_multiroot_fdfsolver_alloc(const gsl_multiroot_fdfsolver_type *T,
                                     size_t n)
{
    return inject() ? NULL : __real_gsl_multiroot_fdfsolver_alloc(T, n);
}

gsl_min_fminimizer *
__wrap_gsl_min_fminimizer_alloc(const gsl_min_fminimizer_type *T)
{
    return inject() ? NULL : __real_gsl_min_fminimizer_alloc(T);
}

/* ---- the sweep ---- */

long sim_alloc_sweep(const char *name, sim_alloc_op op, sim_alloc_after after)
{
    for (long n = 1; n <= 100000; n++) {
        sim_err err = {0};
        hook.count = 0;
        hook.fail_at = n;
        hook.armed = true;
        int rc = op(&err);
        hook.armed = false;
        bool injected = hook.count >= n;
        if (after)
            after(rc);
        if (!injected) {
            if (rc)
                fail_msg("%s: status %d with no allocation failed: %s", name,
                         rc, err.msg);
            return n - 1;
        }
        if (rc != SIM_E_NOMEM)
            fail_msg("%s: allocation %ld of %ld failed, status %d (want "
                     "SIM_E_NOMEM): %s",
                     name, n, hook.count, rc, err.msg);
        if (err.code != rc || !err.msg[0])
            fail_msg("%s: allocation %ld failed without a message", name, n);
    }
    fail_msg("%s: still failing after 100000 allocations", name);
    return -1;
}

void sim_alloc_arm(bool on)
{
    hook.armed = on;
}

/* Each operation must allocate at least `min` times (the wrapped calls it
 * is known to make), so that the sweep did fail some. */
long sim_alloc_check(const char *name, sim_alloc_op op, sim_alloc_after after,
                     long min)
{
    long n = sim_alloc_sweep(name, op, after);
    print_message("%s: %ld allocations\n", name, n);
    if (n < min)
        fail_msg("%s: %ld wrapped allocations, expected at least %ld (is the "
                 "--wrap link option missing?)",
                 name, n, min);
    return n;
}
