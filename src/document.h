/* The text engine's entry point: bytes of a page or text file in, a cleaned
 * article with metadata, paragraphs and sentences out. */
#ifndef PL_DOCUMENT_H
#define PL_DOCUMENT_H

#include <stddef.h>

#include "blocks.h"
#include "error.h"

typedef enum pl_format {
    PL_FORMAT_AUTO = 0, /* HTML when pl_html_detect says so, else text */
    PL_FORMAT_TEXT,
    PL_FORMAT_HTML
} pl_format;

/* Largest input accepted, in bytes (clear error beyond it). */
#define PL_DOCUMENT_MAX_INPUT ((size_t)1 << 30)

typedef struct pl_document_options {
    pl_format format;
    int keep_boilerplate; /* keep every block (for debugging the cleaner) */
} pl_document_options;

typedef struct pl_paragraph {
    size_t start, end; /* byte range in pl_document.text */
    pl_block_kind kind;
} pl_paragraph;

typedef struct pl_sentence {
    size_t start, end; /* byte range in pl_document.text */
    size_t paragraph;  /* index into pl_document.paragraphs */
} pl_sentence;

typedef struct pl_document {
    char *text; /* the cleaned article: body blocks separated by "\n\n", NUL-terminated */
    size_t text_len;
    char *title, *author, *date, *source; /* NULL when not found */
    pl_format format;                     /* what the input was taken as */
    size_t replaced_bytes;                /* invalid UTF-8 sequences replaced by U+FFFD */
    size_t removed_blocks;                /* blocks dropped as boilerplate */
    pl_paragraph *paragraphs;
    size_t paragraph_count;
    pl_sentence *sentences; /* in text order; headings and list items are units of their own */
    size_t sentence_count;
} pl_document;

/* Cleans s[0..n) into a new document the caller frees with
 * pl_document_free. opts may be NULL (auto format). On bad input returns
 * NULL and sets err: PL_ERR_EMPTY (no bytes, or only white space),
 * PL_ERR_BINARY (not text), PL_ERR_TOO_LARGE, PL_ERR_NO_TEXT (nothing but
 * boilerplate), PL_ERR_NOMEM. Invalid UTF-8 is not an error: it is replaced
 * and counted in replaced_bytes. */
pl_document *pl_document_create(const char *s, size_t n, const pl_document_options *opts,
                                pl_error *err);

/* Frees a document. Accepts NULL. */
void pl_document_free(pl_document *doc);

/* A short name for a block kind ("paragraph", "heading", …). */
const char *pl_block_kind_name(pl_block_kind kind);

#endif
