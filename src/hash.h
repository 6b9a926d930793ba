/* A stable 64-bit hash of bytes, for naming things by their content (the
 * library's cache keys, source ids). It is FNV-1a: fast, tiny and the same on
 * every platform and version, but NOT cryptographic: anyone can make two
 * inputs with the same hash, so never use it where an attacker gains by a
 * collision (signatures, deduplication of untrusted data across users). */
#ifndef PL_HASH_H
#define PL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Size of the hexadecimal form with its NUL. */
#define PL_HASH_HEX_SIZE 17

/* FNV-1a (64-bit) of s[0..n); s may be NULL when n is 0. */
uint64_t pl_hash64(const void *s, size_t n);

/* Continues a hash over more bytes: pl_hash64(ab) ==
 * pl_hash64_update(pl_hash64(a), b). */
uint64_t pl_hash64_update(uint64_t h, const void *s, size_t n);

/* Writes h as 16 lowercase hexadecimal digits and a NUL into out. */
void pl_hash64_hex(uint64_t h, char out[PL_HASH_HEX_SIZE]);

/* Parses exactly 16 hexadecimal digits (either case). Returns 0, or -1 when
 * s is not that (then *h is unchanged). */
int pl_hash64_parse(const char *s, uint64_t *h);

#endif
