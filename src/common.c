/* The general-English table: fixed-width records sorted bytewise, searched
 * in place (the header is generated from data/common-english.txt). */
#include "common.h"

#include <string.h>

#include "common_english_table.h"

static int find(const char *w, size_t n)
{
    size_t lo = 0, hi = PL_COMMON_COUNT;
    if (n == 0 || n >= PL_COMMON_WIDTH)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k = common_words[mid];
        int c = strncmp(w, k, n);
        if (c == 0)
            c = k[n] == '\0' ? 0 : -1;
        if (c == 0)
            return common_levels[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

int pl_common_level(const char *w, size_t n)
{
    char singular[PL_COMMON_WIDTH];
    int level = find(w, n);
    if (level || n < 4 || n >= PL_COMMON_WIDTH || w[n - 1] != 's' || w[n - 2] == 's')
        return level;
    /* policies -> policy, taxes -> tax, markets -> market */
    if (w[n - 2] == 'e' && w[n - 3] == 'i') {
        memcpy(singular, w, n - 3);
        singular[n - 3] = 'y';
        if ((level = find(singular, n - 2)) != 0)
            return level;
    }
    if (w[n - 2] == 'e' && (level = find(w, n - 2)) != 0)
        return level;
    return find(w, n - 1);
}
