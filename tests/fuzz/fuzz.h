/* Shared by the libFuzzer targets of tests/fuzz: a check that aborts with a
 * message (libFuzzer then keeps the input as a crash), the optional trailer
 * that sets a target's options and injects an allocation failure, and small
 * helpers to read structure out of fuzz bytes. Header only: each target is
 * one file. */
#ifndef PL_FUZZ_H
#define PL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    abort();
}

/* Unlike assert(), also on in release builds; a failed check is a crash to
 * libFuzzer, which saves the input. */
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))

/* ---- The trailer ----
 *
 * An input that ends in 0xFA C H L carries a trailer (0xFA never occurs in
 * UTF-8 text, so seeds never have one by chance): C is a byte of options
 * the target reads as it likes; when C has bit 7 set, the allocation that
 * comes after (H << 8 | L) successful ones fails (pl_alloc_fail_after), so
 * every error path of the core gets exercised with leak detection on. */
typedef struct fuzz_input {
    const char *data; /* the input without its trailer */
    size_t size;
    unsigned options; /* C, or 0 without a trailer */
    long fail_after;  /* -1: no injected failure */
} fuzz_input;

#define FUZZ_TRAILER_MARK 0xFA
#define FUZZ_FAIL_BIT 0x80u

static inline fuzz_input fuzz_split(const uint8_t *data, size_t size)
{
    fuzz_input in;
    in.data = (const char *)data;
    in.size = size;
    in.options = 0;
    in.fail_after = -1;
    if (size >= 4 && data[size - 4] == FUZZ_TRAILER_MARK) {
        in.options = data[size - 3];
        if (in.options & FUZZ_FAIL_BIT)
            in.fail_after = (long)data[size - 2] << 8 | (long)data[size - 1];
        in.size = size - 4;
    }
    return in;
}

/* Arms the injected failure of in (if any); fuzz_disarm turns it off again
 * before the target checks results, so that checks can allocate. */
static inline void fuzz_arm(const fuzz_input *in)
{
    pl_alloc_fail_after(in->fail_after);
}

static inline void fuzz_disarm(void)
{
    pl_alloc_fail_after(-1);
}

/* ---- Reading choices out of bytes ---- */

typedef struct fuzz_bytes {
    const unsigned char *p;
    size_t n, pos;
} fuzz_bytes;

/* The next byte, or 0 once the bytes are used up (so every input decodes). */
static inline unsigned fuzz_byte(fuzz_bytes *b)
{
    return b->pos < b->n ? b->p[b->pos++] : 0u;
}

/* A choice in [0, n) (n >= 1) from one byte, or two when n > 256. */
static inline uint32_t fuzz_pick(fuzz_bytes *b, uint32_t n)
{
    uint32_t v = fuzz_byte(b);
    if (n > 256)
        v = v << 8 | fuzz_byte(b);
    return v % n;
}

static inline int fuzz_left(const fuzz_bytes *b)
{
    return b->pos < b->n;
}

/* ---- Checks shared by the targets ---- */

/* Whether s[0..n) is valid UTF-8 (shortest forms, no surrogates, at most
 * U+10FFFF): written out here rather than taken from the core it checks. */
static inline int fuzz_valid_utf8(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        size_t len, k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + len > n)
            return 0;
        for (k = 1; k < len; k++) {
            if ((u[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (u[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

/* Whether position i of s[0..n) is at a character boundary. */
static inline int fuzz_at_boundary(const char *s, size_t n, size_t i)
{
    return i == 0 || i >= n || ((unsigned char)s[i] & 0xC0) != 0x80;
}

#endif
