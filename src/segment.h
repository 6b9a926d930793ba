/* Sentence segmentation of one block of clean text (white space already
 * collapsed to single spaces): abbreviations, initials, decimals, ellipses,
 * quotes and brackets after the final mark, CJK full stops. */
#ifndef PL_SEGMENT_H
#define PL_SEGMENT_H

#include <stddef.h>

/* Finds the next sentence in s[0..n) at or after pos. Returns 1 and sets
 * [*start, *end) to the sentence with surrounding white space trimmed, or 0
 * when only white space remains. The next call passes *end as pos.
 * Input must be valid UTF-8. Never allocates; linear in n overall. */
int pl_segment_next(const char *s, size_t n, size_t pos, size_t *start, size_t *end);

#endif
