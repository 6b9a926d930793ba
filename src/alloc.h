/* Every allocation of the core goes through these functions, so that tests
 * can make the n-th allocation fail (build with PL_ALLOC_FAILURE_INJECTION). */
#ifndef PL_ALLOC_H
#define PL_ALLOC_H

#include <stddef.h>

void *pl_malloc(size_t size);
void *pl_calloc(size_t count, size_t size);
void *pl_realloc(void *ptr, size_t size);
void pl_free(void *ptr);

/* Copies n bytes of s into a new NUL-terminated string the caller frees with
 * pl_free. Returns NULL when out of memory. */
char *pl_strndup(const char *s, size_t n);

/* Grows *items (of *cap elements of elem_size bytes) so that it holds at least
 * need elements; doubles the capacity. Returns 0, or -1 when out of memory or
 * on overflow (then *items is unchanged). */
int pl_grow(void **items, size_t *cap, size_t need, size_t elem_size);

#ifdef PL_ALLOC_FAILURE_INJECTION
/* Makes the allocation after `n` more succeed fail (n = 0: the next one);
 * a negative n turns injection off. Test builds only; not thread-safe. */
void pl_alloc_fail_after(long n);
#endif

#endif
