/* Definitions: a detector that tells whether a sentence defines something
 * (hand-set rules over its words, no trained model), and explanations of a
 * term: the one to three sentences of a document that explain it best,
 * definitional statements first, with their provenance. */
#ifndef PL_DEFINE_H
#define PL_DEFINE_H

#include <stddef.h>

#include "document.h"
#include "error.h"

/* A sentence is definitional when its score reaches this many points and it
 * shows at least one of the PL_CUE_PATTERNS. */
#define PL_DEFINE_THRESHOLD 0

/* A sentence that shows no pattern but opens on a technical word (PL_CUE_TERM_SUBJECT: "The
 * chorion facilitates …", "Microglia scavenge …") is definitional when its score reaches this
 * many points: the cue alone is weaker evidence than a pattern. */
#define PL_DEFINE_SUBJECT_THRESHOLD 3

/* Only this many tokens (words and punctuation marks) of a sentence are
 * looked at; the rest still counts towards its length. */
#define PL_DEFINE_MAX_TOKENS 256

/* What the detector saw: bits of pl_define_result.cues. */
typedef enum pl_define_cue {
    PL_CUE_COPULA = 1u << 0,        /* "X is/are a/an/the …" */
    PL_CUE_REFERS = 1u << 1,        /* "X refers to …" */
    PL_CUE_DEFINED_AS = 1u << 2,    /* "X is defined as …", "defines X as …" */
    PL_CUE_CALLED = 1u << 3,        /* "called", "termed", "known as", "referred to as" */
    PL_CUE_MEANS = 1u << 4,         /* "X means …", ", meaning …" */
    PL_CUE_KIND_OF = 1u << 5,       /* "is a type/kind/form/process… of" */
    PL_CUE_CONSISTS = 1u << 6,      /* "consists of", "made up of", "includes", "involves" */
    PL_CUE_WHEN = 1u << 7,          /* "X occurs when …" */
    PL_CUE_APPOSITIVE = 1u << 8,    /* "X, a … that …," */
    PL_CUE_RELATIVE = 1u << 9,      /* "X, which is a …", ", in which" */
    PL_CUE_ENUMERATION = 1u << 10,  /* "X — a, b, c —", "X: a, b and c" */
    PL_CUE_PARENTHESIS = 1u << 11,  /* "X (Y)" */
    PL_CUE_GLOSS = 1u << 12,        /* "X, or Y,", "that is,", "described/seen as" */
    PL_CUE_SOURCE = 1u << 13,       /* "According to X, …": names a source, no score */
    PL_CUE_QUESTION = 1u << 14,     /* against: a question */
    PL_CUE_IMPERATIVE = 1u << 15,   /* against: an instruction to the reader */
    PL_CUE_PERSONAL = 1u << 16,     /* against: I/we/you, he/she narrative */
    PL_CUE_NARRATIVE = 1u << 17,    /* against: past tense, years, many names */
    PL_CUE_FRAGMENT = 1u << 18,     /* against: very short, or no final stop */
    PL_CUE_HEDGE = 1u << 19,        /* against: modals, examples, "however", deixis */
    PL_CUE_TERM_SUBJECT = 1u << 20, /* a word outside common English opens the subject */
    /* Discourse cues, set only by pl_define_sentences and pl_define_document (a sentence
     * read among the ones before it); pl_define_score never sets them. */
    PL_CUE_NEW_TERMS = 1u << 21,      /* PL_DEFINE_NEW_TERMS technical words new to the last
                                         PL_DEFINE_RECENT sentences */
    PL_CUE_DEFINED_BEFORE = 1u << 22, /* against: the subject was the subject of an earlier
                                         definition of the same text */
    PL_CUE_LAST = PL_CUE_DEFINED_BEFORE
} pl_define_cue;

/* The cues that are patterns of definition (the ones before PL_CUE_SOURCE).
 * PL_CUE_TERM_SUBJECT is no pattern: it makes a sentence definitional only
 * at PL_DEFINE_SUBJECT_THRESHOLD points. */
#define PL_CUE_PATTERNS (PL_CUE_SOURCE - 1u)

typedef struct pl_define_result {
    int score;            /* the detector's points (what pl_define_score returns) */
    int is_definition;    /* a pattern and score >= PL_DEFINE_THRESHOLD, or PL_CUE_TERM_SUBJECT
                             and score >= PL_DEFINE_SUBJECT_THRESHOLD */
    unsigned cues;        /* pl_define_cue bits that fired, for and against */
    size_t source_start;  /* PL_CUE_SOURCE: byte range of X in "According to X,"; */
    size_t source_end;    /* both 0 otherwise */
    size_t subject_start; /* byte range of the words before the first defining */
    size_t subject_end;   /* verb (the defined term's usual place); both 0 if none */
} pl_define_result;

/* Scores sentence[0..len) as a definition: positive points for definitional
 * patterns (copular definitions, "refers to", "means", "is defined as",
 * "called", "known as", "is a type of", "consists of", "includes",
 * appositives, relative clauses, dash and colon enumerations, parenthetical
 * expansions, glosses), negative points for signals against (questions,
 * imperatives, first and second person or he/she narrative, past tense and
 * years, hedges, very short fragments). A sentence is definitional when it
 * shows one of PL_CUE_PATTERNS and its score reaches PL_DEFINE_THRESHOLD
 * (length, a generic subject and the share of words that are not common
 * English, src/common.h, add points but are no pattern), or when it opens on
 * a technical word (PL_CUE_TERM_SUBJECT) and reaches
 * PL_DEFINE_SUBJECT_THRESHOLD. Fills *result when it is not NULL
 * (its byte ranges are offsets into sentence). Works on any bytes: invalid UTF-8 counts as
 * punctuation, and sentence NULL is taken as empty. Deterministic, allocates nothing, keeps no
 * state. Reads the sentence alone: the discourse cues (the sentences before it) are
 * pl_define_sentences'. Returns the score. */
int pl_define_score(const char *sentence, size_t len, pl_define_result *result);

/* Discourse (pl_define_sentences): a sentence is read after the ones before it in its text.
 * PL_CUE_NEW_TERMS: at least PL_DEFINE_NEW_TERMS distinct technical words (words outside common
 * English, src/common.h) whose Snowball stem occurs in none of the PL_DEFINE_RECENT sentences
 * before it ("nucleotides" and "nucleotide" are one stem) add PL_DEFINE_NEW_TERMS_POINTS: a
 * definition introduces its terms. The first sentence of a text has no context and gets none.
 * PL_CUE_DEFINED_BEFORE: a word of the sentence's subject (the words of 4 bytes or more before
 * its defining verb, else its PL_CUE_TERM_SUBJECT word) that was a word of the subject of an
 * earlier definitional sentence of the text (as this function decided it) adds
 * PL_DEFINE_DEFINED_BEFORE_POINTS: the term is defined already and this sentence says more about
 * it ("Glycogen is the storage form of glucose." then "Glycogen is the animal equivalent of
 * starch."). */
#define PL_DEFINE_RECENT 3
#define PL_DEFINE_NEW_TERMS 3
#define PL_DEFINE_NEW_TERMS_POINTS 1
#define PL_DEFINE_DEFINED_BEFORE_POINTS (-1)

/* One sentence of a text for pl_define_sentences: text[start..end). */
typedef struct pl_define_span {
    size_t start, end;
} pl_define_span;

/* Scores count sentences of one text, given in text order: results[i] is what pl_define_score
 * gives for text[spans[i].start..spans[i].end) (byte ranges are offsets into that sentence),
 * with the discourse cues above added to its score, cues and decision. So results[0] equals
 * pl_define_score's result, and a sentence's result depends only on itself and the sentences
 * before it. Deterministic. Returns PL_OK, or on bad input PL_ERR_INVALID_ARGUMENT (text NULL
 * with len > 0, spans or results NULL with count > 0, a span with start > end or end > len),
 * PL_ERR_NOMEM; results are then unspecified. */
pl_status pl_define_sentences(const char *text, size_t len, const pl_define_span *spans,
                              size_t count, pl_define_result *results, pl_error *err);

/* pl_define_sentences over the sentences of doc (doc->sentence_count results, in
 * doc->sentences order; headings and titles are sentences too). PL_ERR_INVALID_ARGUMENT for
 * doc NULL, or results NULL when doc has sentences. */
pl_status pl_define_document(const pl_document *doc, pl_define_result *results, pl_error *err);

/* A short stable name for one cue bit ("copula", "refers", …), or "" for
 * anything that is not exactly one known bit. */
const char *pl_define_cue_name(unsigned cue);

/* Sentences an explanation has at most (and by default). */
#define PL_EXPLAIN_MAX_SENTENCES 3

typedef struct pl_explain_options {
    size_t max_sentences;        /* 0: PL_EXPLAIN_MAX_SENTENCES; larger values count as it */
    const char *const *variants; /* other spellings of the term (NUL-terminated UTF-8, e.g.
                                    "NQPF", "productive forces of new quality"); may be NULL */
    size_t variant_count;
} pl_explain_options;

typedef struct pl_explain_sentence {
    size_t index;       /* into pl_document.sentences */
    size_t start, end;  /* byte range in pl_document.text */
    size_t paragraph;   /* index into pl_document.paragraphs */
    size_t term_start;  /* byte range in pl_document.text of the first mention */
    size_t term_end;    /* of the term in this sentence */
    int definition;     /* 1: a definitional statement about the term */
    int score;          /* the detector's points, with the term's place counted */
    double focus_score; /* its salience among the term's sentences, in (0, 1], or 0
                           when it was chosen as a definition */
} pl_explain_sentence;

typedef struct pl_explanation {
    pl_explain_sentence *sentences; /* best first: definitions, then the focus ranking */
    size_t count;
    size_t mentions; /* sentences that mention the term or one of its variants */
} pl_explanation;

/* Explains term[0..term_len) (UTF-8; invalid bytes are replaced) from doc:
 * at most opts->max_sentences (default and upper bound 3) sentences that
 * mention the term, as whole words, case-insensitively, with inflection
 * (Snowball English stems: "base" finds "Bases"), "high quality" and
 * "high-quality" alike, or one of opts->variants. Definitional statements
 * about the term come first, ranked by the detector's score with the term in
 * a defining place (subject of "is/refers to/means", object of "called",
 * head of an appositive, parenthesis or dash/colon enumeration, the X of
 * "According to X,"), earlier sentences first on ties; then the rest by
 * their salience among the sentences that mention the term
 * (pl_summary_salience over those sentences: their LexRank centrality
 * among themselves, with position and length priors), earlier first on
 * ties. Headings and fragments are left out. Deterministic. opts may be NULL. A term the
 * document never mentions gives an empty explanation (count 0), which is
 * not an error. The caller frees the result with pl_explanation_free; it
 * does not point into doc or term. On bad input returns NULL and sets err:
 * PL_ERR_INVALID_ARGUMENT (doc NULL, term NULL with term_len > 0, a term or
 * variant with no word in it, variants NULL with variant_count > 0),
 * PL_ERR_NOMEM. */
pl_explanation *pl_explain(const pl_document *doc, const char *term, size_t term_len,
                           const pl_explain_options *opts, pl_error *err);

/* One term of pl_explain_many. */
typedef struct pl_explain_term {
    const char *text; /* len bytes of UTF-8 (invalid bytes are replaced) */
    size_t len;
    const char *const *variants; /* other spellings (NUL-terminated UTF-8); may be NULL */
    size_t variant_count;
} pl_explain_term;

/* Explains count terms of one document in one pass over it: what
 * pl_explain gives for each term, in the order of terms, at most
 * max_sentences sentences each (0: the default; larger values count as
 * PL_EXPLAIN_MAX_SENTENCES). Each distinct word of the document is stemmed
 * once and every sentence is read once for all the terms, and the
 * document's salience is computed at most once, so the cost is about one
 * pass plus the work per mention, not one pass per term. Deterministic.
 * Returns an array of count explanations (each may be empty) that the
 * caller frees with pl_explanations_free, or NULL with err set:
 * PL_ERR_INVALID_ARGUMENT (doc NULL, terms NULL with count > 0, a term
 * with text NULL and len > 0 or with no word in it, variants NULL with
 * variant_count > 0, a NULL variant), PL_ERR_NOMEM. count 0 gives an empty
 * array, not NULL. */
pl_explanation **pl_explain_many(const pl_document *doc, const pl_explain_term *terms, size_t count,
                                 size_t max_sentences, pl_error *err);

/* Frees an explanation. Accepts NULL. */
void pl_explanation_free(pl_explanation *explanation);

/* Frees what pl_explain_many returned (count as given to it). Accepts NULL. */
void pl_explanations_free(pl_explanation **list, size_t count);

#endif
