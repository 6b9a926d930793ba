/* Tokenizer for the rest of the core: words (with inner hyphens and
 * apostrophes), numbers (with inner . and ,), single CJK characters; plus an
 * English stopword list. Input must be valid UTF-8. */
#ifndef PL_TOKEN_H
#define PL_TOKEN_H

#include <stddef.h>

typedef enum pl_token_kind {
    PL_TOKEN_WORD,   /* letters, with inner - ' ’ (high-quality, China’s) */
    PL_TOKEN_NUMBER, /* digits, with inner . , : (3.5, 1,000, 21:30) */
    PL_TOKEN_CJK     /* one CJK character */
} pl_token_kind;

typedef struct pl_token {
    size_t start; /* byte offset of the first byte */
    size_t end;   /* byte offset just past the last byte */
    pl_token_kind kind;
} pl_token;

/* Finds the next token starting at or after *pos in s[0..n). Returns 1 and
 * fills *tok (and advances *pos past it), or 0 when no token is left.
 * Punctuation and white space are skipped. Never allocates. */
int pl_token_next(const char *s, size_t n, size_t *pos, pl_token *tok);

/* Whether word[0..len) is an English stopword, compared ASCII
 * case-insensitively ("The", "of", "and"…); curly apostrophes count as
 * straight ones. Words that are not ASCII are never stopwords. */
int pl_is_stopword(const char *word, size_t len);

#endif
