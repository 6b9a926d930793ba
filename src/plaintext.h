/* Plain text (including pages flattened to text) to blocks. */
#ifndef PL_PLAINTEXT_H
#define PL_PLAINTEXT_H

#include <stddef.h>

#include "blocks.h"
#include "error.h"

/* Splits valid UTF-8 text s[0..n) into blocks: blank lines separate blocks;
 * inside a block, lines wrapped in a paragraph are joined, while runs of
 * short lines (menus, tables, Q&A teasers), list items ("- ", "* ", "1. ")
 * and Markdown headings ("# ") become blocks of their own. The first line
 * becomes a PL_BLOCK_TITLE when it looks like one (short, no final period,
 * followed by more text). Returns PL_OK or PL_ERR_NOMEM. */
pl_status pl_plaintext_to_blocks(const char *s, size_t n, pl_blocks *out, pl_error *err);

#endif
