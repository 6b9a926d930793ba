/* HTML to blocks through libxml2's HTML parser. */
#ifndef PL_HTML_H
#define PL_HTML_H

#include <stddef.h>

#include "blocks.h"
#include "error.h"

/* Whether s[0..n) looks like an HTML document or fragment (a doctype, <html>,
 * <head>, <body>, or several block tags near the start). */
int pl_html_detect(const char *s, size_t n);

/* Parses HTML s[0..n) (UTF-16 with a byte-order mark, converted first as
 * pl_utf8_sanitize does, so a bad code unit is one U+FFFD; any other
 * charset libxml2 can decode: taken from a UTF-8 BOM, the <meta charset> or
 * http-equiv, else UTF-8) and appends its blocks to out:
 * title, headings, paragraphs, list items, block quotes, table cells,
 * preformatted text; drops script, style, nav, header, footer, aside, form,
 * menus and hidden elements; decodes entities; fills out->title/author/date
 * from <title>, <meta> and <time>. Malformed markup is recovered, never an
 * error. Returns PL_OK, PL_ERR_NOMEM, or PL_ERR_PARSE when libxml2 produces
 * no document at all. */
pl_status pl_html_to_blocks(const char *s, size_t n, pl_blocks *out, pl_error *err);

#endif
