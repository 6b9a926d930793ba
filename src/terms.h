/* Term extraction: the policy terms of one cleaned article (quoted phrases,
 * capitalised names, acronyms and their long forms, enumerated definitions,
 * frequent noun phrases ranked by C-value), with their spelling variants
 * grouped, a termhood score, a case policy for the linker and the sentences
 * that mention them. */
#ifndef PL_TERMS_H
#define PL_TERMS_H

#include <stddef.h>

#include "document.h"
#include "error.h"
#include "match.h"

typedef enum pl_term_kind {
    PL_TERM_QUOTED = 0, /* the article puts it in quotation marks: “Four Improvements” */
    PL_TERM_NAME,       /* a capitalised multi-word name: Chinese Academy of Engineering */
    PL_TERM_ACRONYM,    /* an upper-case abbreviation: OECD (see pl_term.long_form) */
    PL_TERM_PHRASE      /* a frequent noun-phrase-like word sequence: productive forces */
} pl_term_kind;

/* pl_term.long_form when there is none. */
#define PL_TERM_NONE ((size_t)-1)

typedef struct pl_terms_options {
    size_t top; /* at most this many terms, best first; 0: every term found */
    /* Mentions a term needs (body and headings together). 0: the defaults,
     * which are 2 for phrases and 1 for quoted terms, names, acronyms with
     * their long form and heads of enumerations (the article defines those).
     * A value above 0 applies to every kind. */
    size_t min_count;
    /* 0 (glossary mode, the default): a single word is a term only when it
     * is outside everyday English (data/common-english.txt) or the article
     * marks it (quotes, an acronym, the head of an enumeration), so that
     * "development" or "market" never becomes a glossary entry. 1
     * (terminology mode, for a domain corpus as ACTER annotates it): single
     * words of any content class compete, adjectives and capitalised words
     * included ("legal", "axial", "Commission"), everyday ones discounted
     * by the specificity weight (terms.c). */
    int terminology;
} pl_terms_options;

typedef struct pl_term {
    /* The canonical spelling: the surface form seen most often (ties: the
     * shorter, then the bytewise smaller, so singular usually wins a tie).
     * NUL-terminated, owned. */
    char *text;
    /* Every surface form seen (text included, first), most frequent first:
     * the words as written, joined by single spaces, quotes excluded; a
     * phrase capitalised only because it starts a sentence counts in lower
     * case. Owned. */
    char **variants;
    size_t variant_count;
    pl_term_kind kind;
    double score;               /* termhood, see terms.c; higher is better */
    pl_case_policy case_policy; /* names, capitalised quoted terms: capitalized;
                                   acronyms: exact; the rest: insensitive */
    size_t count;               /* mentions in the document, headings included */
    size_t *occurrences;        /* indices into pl_document.sentences, ascending, unique */
    size_t occurrence_count;
    /* For an acronym whose long form is written out ("… (OECD)"): the index
     * of the long form's term in pl_terms.items, else PL_TERM_NONE. */
    size_t long_form;
} pl_term;

typedef struct pl_terms {
    pl_term *items; /* best first: score descending, then text bytewise */
    size_t count;
} pl_terms;

/* Extracts the terms of doc. Only the document's sentences are read, so
 * nothing the cleaner dropped as boilerplate or metadata can become a term;
 * sentences of headings, titles, table cells and preformatted blocks count as
 * mentions but are never a term's only evidence. A single word becomes a term
 * only when the article marks it (quotes, an acronym, an enumeration) or when
 * it is frequent, noun-like and not a generic word ("development", "system").
 * opts may be NULL (all terms, default minimum counts). Deterministic: the
 * same document and options give the same list. Time and memory grow about
 * linearly with the text. Returns a list the caller frees with
 * pl_terms_free (it does not point into doc; it may be empty), or NULL with
 * err set: PL_ERR_INVALID_ARGUMENT (doc NULL), PL_ERR_TOO_LARGE (text of
 * 4 GiB or more), PL_ERR_NOMEM. */
pl_terms *pl_terms_extract(const pl_document *doc, const pl_terms_options *opts, pl_error *err);

/* Frees a term list. Accepts NULL. */
void pl_terms_free(pl_terms *terms);

/* A short stable name for a kind: "quoted", "name", "acronym", "phrase". */
const char *pl_term_kind_name(pl_term_kind kind);

#endif
