/* The text engine's pipeline: refuse binary input, repair and normalize
 * UTF-8, read HTML or plain text into blocks, drop boilerplate, and index the
 * cleaned article's paragraphs and sentences. */
#include "document.h"

#include <string.h>

#include "alloc.h"
#include "boilerplate.h"
#include "buf.h"
#include "html.h"
#include "plaintext.h"
#include "segment.h"
#include "utf8.h"

const char *pl_block_kind_name(pl_block_kind kind)
{
    switch (kind) {
    case PL_BLOCK_PARAGRAPH:
        return "paragraph";
    case PL_BLOCK_TITLE:
        return "title";
    case PL_BLOCK_HEADING:
        return "heading";
    case PL_BLOCK_ITEM:
        return "item";
    case PL_BLOCK_QUOTE:
        return "quote";
    case PL_BLOCK_CELL:
        return "cell";
    case PL_BLOCK_PRE:
        return "pre";
    }
    return "paragraph";
}

void pl_document_free(pl_document *doc)
{
    if (!doc)
        return;
    pl_free(doc->text);
    pl_free(doc->title);
    pl_free(doc->author);
    pl_free(doc->date);
    pl_free(doc->source);
    pl_free(doc->paragraphs);
    pl_free(doc->sentences);
    pl_free(doc);
}

static int only_white_space(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            continue;
        if (c >= 0x80) {
            size_t len;
            int32_t cp = pl_utf8_decode(s + i, n - i, &len);
            if (pl_utf8_is_space(cp)) {
                i += len - 1;
                continue;
            }
        }
        return 0;
    }
    return 1;
}

/* Moves a metadata string from the block list to the document. */
static void take_meta(char **to, char **from)
{
    *to = *from;
    *from = NULL;
}

/* Headings, titles and table cells are one unit each; other blocks are split
 * into sentences. */
static int block_is_single_unit(pl_block_kind kind)
{
    return kind == PL_BLOCK_HEADING || kind == PL_BLOCK_TITLE || kind == PL_BLOCK_CELL;
}

static pl_status add_sentence(pl_document *doc, size_t *cap, size_t start, size_t end,
                              size_t paragraph, pl_error *err)
{
    pl_sentence *s;
    if (pl_grow((void **)&doc->sentences, cap, doc->sentence_count + 1, sizeof *doc->sentences) !=
        0)
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    s = &doc->sentences[doc->sentence_count++];
    s->start = start;
    s->end = end;
    s->paragraph = paragraph;
    return PL_OK;
}

/* Builds doc->text from the body blocks and indexes paragraphs and sentences. */
static pl_status assemble(pl_document *doc, const pl_blocks *blocks, int keep_all, pl_error *err)
{
    pl_buf text = PL_BUF_INIT;
    size_t i, paragraph_cap = 0, sentence_cap = 0;
    pl_status st = PL_OK;

    /* Room for every block and its separator up front: growing a buffer of
     * tens of megabytes by doubling costs copies and page faults. NFC rarely
     * changes the length, and the buffer still grows when it does. */
    if (blocks->count > 0 && pl_buf_reserve(&text, blocks->text.len + blocks->count) != 0)
        goto nomem;
    for (i = 0; i < blocks->count; i++) {
        const pl_block *b = &blocks->items[i];
        const char *src = blocks->text.data + b->start;
        size_t len = b->end - b->start, start, pos, s_start, s_end, para;
        int keep = keep_all ? b->cls != PL_CLASS_METADATA && b->kind != PL_BLOCK_TITLE
                            : b->cls == PL_CLASS_BODY;
        if (!keep) {
            if (b->cls == PL_CLASS_BOILERPLATE)
                doc->removed_blocks++;
            continue;
        }
        if (text.len > 0 && pl_buf_append(&text, "\n\n", 2) != 0)
            goto nomem;
        start = text.len;
        /* Normalized per block, so that block offsets stay valid until here. */
        st = pl_utf8_nfc(src, len, &text, err);
        if (st != PL_OK)
            goto fail;
        src = text.data + start;
        len = text.len - start;
        if (pl_grow((void **)&doc->paragraphs, &paragraph_cap, doc->paragraph_count + 1,
                    sizeof *doc->paragraphs) != 0)
            goto nomem;
        para = doc->paragraph_count++;
        doc->paragraphs[para].start = start;
        doc->paragraphs[para].end = text.len;
        doc->paragraphs[para].kind = b->kind;
        if (block_is_single_unit(b->kind)) {
            st = add_sentence(doc, &sentence_cap, start, text.len, para, err);
            if (st != PL_OK)
                goto fail;
            continue;
        }
        pos = 0;
        while (pl_segment_next(src, len, pos, &s_start, &s_end)) {
            st = add_sentence(doc, &sentence_cap, start + s_start, start + s_end, para, err);
            if (st != PL_OK)
                goto fail;
            pos = s_end;
        }
    }
    doc->text = pl_buf_detach(&text, &doc->text_len);
    if (!doc->text)
        goto nomem;
    return PL_OK;
nomem:
    st = pl_error_set(err, PL_ERR_NOMEM, "out of memory");
fail:
    pl_buf_free(&text);
    return st;
}

pl_document *pl_document_create(const char *s, size_t n, const pl_document_options *opts,
                                pl_error *err)
{
    pl_document_options defaults = {PL_FORMAT_AUTO, 0};
    pl_buf repaired = PL_BUF_INIT;
    pl_blocks blocks;
    pl_document *doc = NULL;
    pl_status st;

    pl_error_clear(err);
    pl_blocks_init(&blocks);
    if (!opts)
        opts = &defaults;
    if (!s && n > 0) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no input buffer");
        return NULL;
    }
    if (n > PL_DOCUMENT_MAX_INPUT) {
        pl_error_set(err, PL_ERR_TOO_LARGE, "input is %zu bytes; the limit is %zu bytes", n,
                     (size_t)PL_DOCUMENT_MAX_INPUT);
        return NULL;
    }
    if (pl_utf8_check_text(s, n, err) != PL_OK)
        return NULL;

    doc = pl_calloc(1, sizeof *doc);
    if (!doc) {
        pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        return NULL;
    }
    doc->format = opts->format;
    if (doc->format == PL_FORMAT_AUTO)
        doc->format = pl_html_detect(s, n) ? PL_FORMAT_HTML : PL_FORMAT_TEXT;
    if (doc->format == PL_FORMAT_HTML) {
        /* libxml2 decodes the page's own charset: it gets the raw bytes. */
        st = pl_html_to_blocks(s, n, &blocks, err);
    } else {
        const char *text = s;
        size_t text_len = n;
        /* Most input is clean already: read it in place rather than copy it. */
        if (!pl_utf8_is_clean(s, n)) {
            if (pl_utf8_sanitize(s, n, &repaired, &doc->replaced_bytes, err) != PL_OK)
                goto fail;
            text = repaired.data;
            text_len = repaired.len;
        }
        if (only_white_space(text, text_len)) {
            pl_error_set(err, PL_ERR_EMPTY, "input has only white space");
            goto fail;
        }
        /* The blocks' text is at most the input's length: reserve it once. */
        if (pl_buf_reserve(&blocks.text, text_len) != 0) {
            pl_error_set(err, PL_ERR_NOMEM, "out of memory");
            goto fail;
        }
        st = pl_plaintext_to_blocks(text, text_len, &blocks, err);
        pl_buf_free(&repaired);
    }
    if (st != PL_OK)
        goto fail;
    if (blocks.count == 0) {
        /* Only markup (an HTML page of nothing but menus and scripts). */
        pl_error_set(err, PL_ERR_NO_TEXT,
                     "no article text found (the page has no text outside "
                     "site chrome)");
        goto fail;
    }
    if (pl_boilerplate_classify(&blocks, err) != PL_OK)
        goto fail;
    if (assemble(doc, &blocks, opts->keep_boilerplate, err) != PL_OK)
        goto fail;
    if (doc->paragraph_count == 0) {
        pl_error_set(err, PL_ERR_NO_TEXT, "no article text found (%zu blocks, all site chrome)",
                     blocks.count);
        goto fail;
    }
    take_meta(&doc->title, &blocks.title);
    take_meta(&doc->author, &blocks.author);
    take_meta(&doc->date, &blocks.date);
    take_meta(&doc->source, &blocks.source);
    pl_blocks_free(&blocks);
    return doc;

fail:
    pl_buf_free(&repaired);
    pl_blocks_free(&blocks);
    pl_document_free(doc);
    return NULL;
}
