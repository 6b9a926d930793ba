/* General-English background: how common a word is in English at large,
 * from the most common size levels of SCOWL (data/common-english.txt, made
 * into a table at build time). The term extractor weighs a candidate by it,
 * so that a domain's own words ("bribery", "nacelle") outrank everyday ones
 * ("information", "development"). */
#ifndef PL_COMMON_H
#define PL_COMMON_H

#include <stddef.h>

/* Levels pl_common_level returns: the lower, the more common. */
#define PL_COMMON_VERY 10 /* about the 4,000 most common word forms */
#define PL_COMMON_SOME 20 /* the next 7,000 */

/* The commonness level of the ASCII lower-case word w[0..n): PL_COMMON_VERY,
 * PL_COMMON_SOME, or 0 when the word is not in the table (rarer, technical,
 * a name, or not ASCII lower case). A regular plural that is not listed
 * takes its singular's level ("enterprises" as "enterprise"). Allocates
 * nothing; w may be NULL when n is 0. */
int pl_common_level(const char *w, size_t n);

#endif
