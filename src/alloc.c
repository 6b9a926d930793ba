/* The one place where the core allocates memory. */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef PL_ALLOC_FAILURE_INJECTION
static long fail_countdown = -1;

void pl_alloc_fail_after(long n)
{
    fail_countdown = n;
}

static int should_fail(void)
{
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0) {
        fail_countdown = -1;
        return 1;
    }
    fail_countdown--;
    return 0;
}
#else
#define should_fail() 0
#endif

void *pl_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *pl_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *pl_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void pl_free(void *ptr)
{
    free(ptr);
}

char *pl_strndup(const char *s, size_t n)
{
    char *copy = pl_malloc(n + 1);
    if (!copy)
        return NULL;
    if (n)
        memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

int pl_grow(void **items, size_t *cap, size_t need, size_t elem_size)
{
    size_t new_cap;
    void *grown;
    if (need <= *cap)
        return 0;
    new_cap = *cap ? *cap : 16;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2)
            return -1;
        new_cap *= 2;
    }
    if (new_cap > SIZE_MAX / elem_size)
        return -1;
    grown = pl_realloc(*items, new_cap * elem_size);
    if (!grown)
        return -1;
    *items = grown;
    *cap = new_cap;
    return 0;
}
