/* A page as a list of text blocks (title, headings, paragraphs, list items,
 * quotes, table cells), produced from HTML or plain text and then classified
 * as body, boilerplate or metadata. */
#ifndef PL_BLOCKS_H
#define PL_BLOCKS_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

typedef enum pl_block_kind {
    PL_BLOCK_PARAGRAPH = 0,
    PL_BLOCK_TITLE,   /* the page title (<title>/<h1>, or a plain text first line) */
    PL_BLOCK_HEADING, /* a heading (h2-h6, or a short plain-text line before a paragraph) */
    PL_BLOCK_ITEM,    /* a list item */
    PL_BLOCK_QUOTE,   /* a block quote */
    PL_BLOCK_CELL,    /* a table cell or a row of one */
    PL_BLOCK_PRE      /* preformatted text */
} pl_block_kind;

typedef enum pl_block_class {
    PL_CLASS_UNKNOWN = 0,
    PL_CLASS_BODY,        /* part of the article */
    PL_CLASS_BOILERPLATE, /* site chrome: menus, sign-in boxes, teasers, tables of status */
    PL_CLASS_METADATA     /* says who/when/where: author line, "Source: …", date */
} pl_block_class;

typedef enum pl_meta_field {
    PL_META_NONE = 0,
    PL_META_TITLE,
    PL_META_AUTHOR,
    PL_META_DATE,
    PL_META_SOURCE
} pl_meta_field;

typedef struct pl_block {
    size_t start, end; /* byte range of the block's text in pl_blocks.text */
    pl_block_kind kind;
    int heading_level;  /* 1-6 for headings and titles, else 0 */
    size_t link_bytes;  /* bytes of the text that were inside links (HTML) */
    int line_count;     /* source lines the block was made of (plain text) */
    int markup_hint;    /* HTML: the element or an ancestor looked like chrome
                           (class/id such as nav, menu, cookie, share) */
    pl_block_class cls; /* set by pl_boilerplate_classify */
    pl_meta_field meta; /* for PL_CLASS_METADATA (and the title) */
} pl_block;

typedef struct pl_blocks {
    pl_buf text; /* every block's text; a block's text has its white space
                    collapsed to single spaces and is trimmed (PRE keeps
                    its line breaks); blocks are separated by '\n' */
    pl_block *items;
    size_t count, cap;
    /* Metadata read from markup (HTML <title>, <meta>), each NULL or owned. */
    char *title, *author, *date, *source;
} pl_blocks;

/* Starts an empty list. */
void pl_blocks_init(pl_blocks *b);

/* Frees everything the list owns (not b itself). Accepts NULL. */
void pl_blocks_free(pl_blocks *b);

/* Appends a block whose raw text s[0..n) is white-space collapsed and
 * trimmed (unless kind is PL_BLOCK_PRE) on the way in; a block that is empty
 * after trimming is not added. On success *added (if not NULL) tells whether
 * a block was added, and the new block is b->items[b->count - 1] with all
 * other fields zero. Returns PL_OK or PL_ERR_NOMEM. */
pl_status pl_blocks_add(pl_blocks *b, pl_block_kind kind, const char *s, size_t n, int *added,
                        pl_error *err);

/* Replaces a metadata field (one of &b->title, …) with a collapsed, trimmed
 * copy of s[0..n) unless it is already set or s is empty. Returns PL_OK or
 * PL_ERR_NOMEM. */
pl_status pl_blocks_set_meta(char **field, const char *s, size_t n, pl_error *err);

#endif
