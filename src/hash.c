/* FNV-1a, 64-bit (see hash.h for what it is not good for). The constants are
 * the published FNV offset basis and prime for 64 bits. */
#include "hash.h"

#define FNV64_OFFSET 0xcbf29ce484222325ULL
#define FNV64_PRIME 0x100000001b3ULL

uint64_t pl_hash64_update(uint64_t h, const void *s, size_t n)
{
    const unsigned char *p = s;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV64_PRIME;
    }
    return h;
}

uint64_t pl_hash64(const void *s, size_t n)
{
    return pl_hash64_update(FNV64_OFFSET, s, n);
}

void pl_hash64_hex(uint64_t h, char out[PL_HASH_HEX_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    int i;
    for (i = 15; i >= 0; i--) {
        out[i] = digits[h & 0xF];
        h >>= 4;
    }
    out[16] = '\0';
}

int pl_hash64_parse(const char *s, uint64_t *h)
{
    uint64_t v = 0;
    int i;
    if (!s)
        return -1;
    for (i = 0; i < 16; i++) {
        char c = s[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = (v << 4) | (uint64_t)d;
    }
    if (s[16] != '\0')
        return -1;
    *h = v;
    return 0;
}
