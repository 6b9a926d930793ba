/* Part-of-speech classes of English word forms, from WordNet 3.0
 * (data/pos-lexicon.txt, made into a table at build time). The detector of
 * definitions and the term extractor read a word's possible classes to
 * find a noun phrase and the verb after it; there is no tagger: a word
 * keeps every class it can take. */
#ifndef PL_POS_H
#define PL_POS_H

#include <stddef.h>

/* Bits pl_pos_classes returns (the values cmake/pos-lexicon.cmake writes). */
#define PL_POS_NOUN 0x001u        /* noun, singular or mass */
#define PL_POS_VERB 0x002u        /* verb, base form ("scavenge", "are") */
#define PL_POS_ADJ 0x004u         /* adjective */
#define PL_POS_ADV 0x008u         /* adverb */
#define PL_POS_PLURAL 0x010u      /* plural noun ("displays", "leaves") */
#define PL_POS_PAST 0x020u        /* past form or participle ("displayed", "went") */
#define PL_POS_THIRD 0x040u       /* verb, third-person present ("facilitates", "is") */
#define PL_POS_ING 0x080u         /* verb, -ing form */
#define PL_POS_COMPARATIVE 0x100u /* comparative or superlative adjective or adverb */

/* Any noun reading, any verb reading, any adjective reading. */
#define PL_POS_NOUNS (PL_POS_NOUN | PL_POS_PLURAL)
#define PL_POS_VERBS (PL_POS_VERB | PL_POS_PAST | PL_POS_THIRD | PL_POS_ING)
#define PL_POS_ADJS (PL_POS_ADJ | PL_POS_COMPARATIVE)

/* The classes the ASCII lower-case word w[0..n) can take: its own entry and
 * the readings of the regular inflections of a listed lemma ("-s", "-es",
 * "-ies", "-ed", "-ing", "-er", "-est", doubled consonants). 0 when the word
 * is unknown, which most of the time means a noun: WordNet's nouns that
 * have no other class are left out of the table, like names, numbers and
 * technical words ("microglia", "chorion"). Function words (determiners,
 * prepositions, pronouns, auxiliaries but "is/are/was/...") are not in
 * WordNet: the caller knows them. Allocates nothing; w may be NULL when n
 * is 0. */
unsigned pl_pos_classes(const char *w, size_t n);

#endif
