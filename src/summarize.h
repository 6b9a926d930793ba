/* Extractive summaries of a cleaned document: which of its sentences to show,
 * within a budget, either as a general gist (graph centrality with position
 * and length priors, redundancy removed) or as the explanation of one term. */
#ifndef PL_SUMMARIZE_H
#define PL_SUMMARIZE_H

#include <stddef.h>

#include "document.h"
#include "error.h"

/* Sentences chosen when no budget is set. */
#define PL_SUMMARY_DEFAULT_SENTENCES 5

/* Budgets: every one that is set (non-zero) applies, so the tightest wins;
 * with none set the summary has PL_SUMMARY_DEFAULT_SENTENCES sentences.
 * Characters are Unicode code points and words are runs of non-space bytes,
 * both counted over the chosen sentences joined by one space. */
typedef struct pl_summary_options {
    size_t max_sentences; /* 0: no limit of its own */
    double ratio;         /* 0: none; else in (0, 1]: this share of the document's
                             sentences, rounded, at least 1 */
    size_t max_chars;     /* 0: none */
    size_t max_words;     /* 0: none */
    const char *focus;    /* NULL: a general summary; else the term to explain,
                             focus_len bytes of UTF-8 (invalid bytes are replaced) */
    size_t focus_len;
} pl_summary_options;

typedef struct pl_summary_sentence {
    size_t index; /* into pl_document.sentences */
    double score; /* in (0, 1]: the best candidate of the document has 1 */
} pl_summary_sentence;

typedef struct pl_summary {
    pl_summary_sentence *sentences; /* in article order */
    size_t count;
    size_t candidates;    /* sentences that could be chosen (not headings, metadata
                             or fragments under 5 words) */
    size_t focus_matches; /* focus mode: candidates holding the whole term */
} pl_summary;

/* Chooses the sentences of doc that summarize it within the budget of opts
 * (NULL: the default budget, no focus). Deterministic: the same document and
 * options give the same summary. A document with no candidate sentence, or
 * (focus mode) none that mentions the term, gives an empty summary (count 0),
 * which is not an error. The caller frees the result with pl_summary_free;
 * it does not point into doc. On bad input returns NULL and sets err:
 * PL_ERR_INVALID_ARGUMENT (doc NULL, ratio outside [0, 1], a focus with no
 * word in it), PL_ERR_NOMEM. */
pl_summary *pl_summarize(const pl_document *doc, const pl_summary_options *opts, pl_error *err);

/* The general summary's salience of the sentences of doc (graph centrality
 * with the position and length priors, no budget, no redundancy removal),
 * scaled so that the best candidate has 1; 0 for a sentence that is no
 * candidate (a heading, metadata, a fragment under 5 words). With subset
 * (sentence indices, ascending; others are skipped) only those sentences
 * make the graph, as if they were the whole document: their centrality
 * among themselves, the first of them counting as the document's first.
 * subset NULL (and subset_count 0) reads every sentence. Stores a
 * pl_malloc'd array of doc->sentence_count doubles in *out (0 outside the
 * subset), which the caller frees with pl_free. Returns PL_OK, or an error
 * with err set: PL_ERR_INVALID_ARGUMENT (doc or out NULL, subset NULL with
 * subset_count > 0), PL_ERR_NOMEM. */
pl_status pl_summary_salience(const pl_document *doc, const size_t *subset, size_t subset_count,
                              double **out, pl_error *err);

/* Frees a summary. Accepts NULL. */
void pl_summary_free(pl_summary *summary);

#endif
