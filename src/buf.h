/* A growable byte buffer, always NUL-terminated once anything is appended.
 * Knows nothing of Lua; used by every module that builds text. */
#ifndef PL_BUF_H
#define PL_BUF_H

#include <stddef.h>

typedef struct pl_buf {
    char *data; /* NULL until the first append; owned by the buffer */
    size_t len;
    size_t cap;
} pl_buf;

#define PL_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Makes room for `extra` more bytes (plus the NUL). Returns 0 or -1 (no memory). */
int pl_buf_reserve(pl_buf *b, size_t extra);
/* Appends n bytes of s. Returns 0 or -1 when out of memory (b unchanged). */
int pl_buf_append(pl_buf *b, const char *s, size_t n);
/* Appends one byte. Returns 0 or -1. */
int pl_buf_putc(pl_buf *b, char c);
/* Appends a Unicode code point as UTF-8 (cp must be a valid scalar value). */
int pl_buf_put_codepoint(pl_buf *b, long cp);
/* Empties the buffer, keeping its memory. */
void pl_buf_reset(pl_buf *b);
/* Releases the memory; the buffer may be reused afterwards. Accepts NULL. */
void pl_buf_free(pl_buf *b);
/* Hands the bytes to the caller (free with pl_free) and empties the buffer.
 * Returns an empty NUL-terminated string for an empty buffer, NULL when out
 * of memory. */
char *pl_buf_detach(pl_buf *b, size_t *len);

#endif
