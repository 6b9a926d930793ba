/* Boilerplate removal: decides which blocks are the article, which are site
 * chrome and which are metadata, from general features of each block and its
 * neighbours (length, stopword density, link density, runs of short blocks),
 * in the spirit of jusText and Readability. No list of page-specific phrases. */
#ifndef PL_BOILERPLATE_H
#define PL_BOILERPLATE_H

#include "blocks.h"

/* Sets cls (and meta) of every block of b. Metadata blocks ("The author is
 * …", "By …", "Source: …", a date line) also fill b->author / b->source /
 * b->date when those are unset, and the title block fills b->title. When no
 * block looks like body text (a short note), the non-chrome blocks are kept
 * as body. Returns PL_OK or PL_ERR_NOMEM. */
pl_status pl_boilerplate_classify(pl_blocks *b, pl_error *err);

#endif
