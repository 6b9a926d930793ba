/* UTF-8 handling: refusing binary input, repairing invalid sequences,
 * decoding, Unicode normalization and case folding (through utf8proc). */
#ifndef PL_UTF8_H
#define PL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

/* Refuses input that is not text. Returns PL_OK for text, PL_ERR_EMPTY for
 * zero bytes, or PL_ERR_BINARY with a message naming what it looks like
 * ("a PNG image", "a PDF document", "binary data: NUL byte at offset 12").
 * UTF-16 text with a byte-order mark counts as text (see pl_utf8_sanitize)
 * unless it holds a U+0000 code unit. Otherwise more than 10% control bytes
 * (other than \t \n \v \f \r and ESC) in the first 4 KiB means binary. */
pl_status pl_utf8_check_text(const char *s, size_t n, pl_error *err);

/* Appends to out a valid UTF-8 copy of s[0..n): a leading UTF-8 BOM is
 * dropped, UTF-16 (LE/BE, with BOM) is converted, CRLF and lone CR become LF,
 * and every byte of an invalid sequence becomes U+FFFD. *replaced (if not
 * NULL) receives the number of U+FFFD inserted. Does not check for binary
 * input: call pl_utf8_check_text first. Returns PL_OK or PL_ERR_NOMEM.
 * Clarification: "every byte" is per maximal invalid subpart (Unicode's
 * recommended practice, as in browsers and Python): a truncated but otherwise
 * valid prefix such as "\xE4\xB8" is one U+FFFD; each byte that cannot start
 * or continue a sequence (overlongs "\xC0\xAF", surrogates "\xED\xA0\x80")
 * is one U+FFFD. Unpaired UTF-16 surrogates and an odd final byte become
 * U+FFFD too. On failure out is left as it was. */
pl_status pl_utf8_sanitize(const char *s, size_t n, pl_buf *out, size_t *replaced, pl_error *err);

/* Whether pl_utf8_sanitize would copy s[0..n) unchanged: valid UTF-8, no
 * byte-order mark, no CR. Lets a caller use clean input in place instead of
 * copying it. */
int pl_utf8_is_clean(const char *s, size_t n);

/* Appends the NFC normalization of valid UTF-8 s[0..n) to out. Text whose
 * code points are all below U+0300 is copied unchanged without calling
 * utf8proc (the common case, and fast). Returns PL_OK or PL_ERR_NOMEM. */
pl_status pl_utf8_nfc(const char *s, size_t n, pl_buf *out, pl_error *err);

/* Appends the case-folded NFC form of valid UTF-8 s[0..n) to out (ASCII fast
 * path; utf8proc for the rest). Returns PL_OK or PL_ERR_NOMEM.
 * For both functions: invalid UTF-8 that reaches utf8proc gives
 * PL_ERR_INVALID_ARGUMENT (sanitize first); on failure out is left as it was. */
pl_status pl_utf8_casefold(const char *s, size_t n, pl_buf *out, pl_error *err);

/* Decodes the code point at s[0..n) of valid UTF-8; stores its length in
 * *len (at least 1 even for bad input, which decodes to U+FFFD). */
int32_t pl_utf8_decode(const char *s, size_t n, size_t *len);

/* Number of bytes of the valid UTF-8 sequence starting with byte c (1-4),
 * or 1 for a byte that cannot start one. */
size_t pl_utf8_seq_len(unsigned char c);

/* Character classes used by the tokenizer and the segmenter. */
int pl_utf8_is_letter(int32_t cp);
int pl_utf8_is_digit(int32_t cp);
int pl_utf8_is_upper(int32_t cp);
int pl_utf8_is_lower(int32_t cp);
int pl_utf8_is_space(int32_t cp); /* Unicode white space, incl. NBSP */
/* Han, Hiragana, Katakana, Hangul and CJK punctuation-free ideographs:
 * written without spaces between words. */
int pl_utf8_is_cjk(int32_t cp);

#endif
