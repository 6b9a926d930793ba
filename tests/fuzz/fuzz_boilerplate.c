/* Fuzz target: boilerplate removal. Bytes are repaired to UTF-8 (as the
 * document pipeline does), read as plain text into blocks (src/plaintext.c)
 * and classified (src/boilerplate.c): every block must come out body,
 * boilerplate or metadata, and the metadata it fills must be clean text.
 * Bytes the pipeline refuses as binary are skipped.
 * Trailer options: bit 0 reads the bytes as HTML instead (blocks with link
 * and markup hints), bit 1 classifies the list a second time. */
#include "fuzz.h"

#include "blocks.h"
#include "boilerplate.h"
#include "html.h"
#include "plaintext.h"
#include "utf8.h"

static void check_meta(const char *field)
{
    size_t n;
    if (!field)
        return;
    n = strlen(field);
    FUZZ_CHECK(n > 0 && fuzz_valid_utf8(field, n));
    FUZZ_CHECK(field[0] != ' ' && field[n - 1] != ' ');
}

static void check_blocks(const pl_blocks *b, int classified)
{
    size_t i, prev_end = 0;
    if (b->count == 0)
        return;
    FUZZ_CHECK(b->text.data != NULL && b->text.data[b->text.len] == '\0');
    FUZZ_CHECK(fuzz_valid_utf8(b->text.data, b->text.len));
    for (i = 0; i < b->count; i++) {
        const pl_block *bl = &b->items[i];
        FUZZ_CHECK(bl->start < bl->end && bl->end <= b->text.len);
        FUZZ_CHECK(i == 0 ? bl->start == 0 : bl->start == prev_end + 1);
        FUZZ_CHECK(bl->kind >= PL_BLOCK_PARAGRAPH && bl->kind <= PL_BLOCK_PRE);
        if (classified) {
            FUZZ_CHECK(bl->cls == PL_CLASS_BODY || bl->cls == PL_CLASS_BOILERPLATE ||
                       bl->cls == PL_CLASS_METADATA);
            FUZZ_CHECK(bl->meta >= PL_META_NONE && bl->meta <= PL_META_SOURCE);
            FUZZ_CHECK((bl->cls == PL_CLASS_METADATA) == (bl->meta != PL_META_NONE));
        } else {
            FUZZ_CHECK(bl->cls == PL_CLASS_UNKNOWN);
        }
        prev_end = bl->end;
    }
    FUZZ_CHECK(prev_end == b->text.len);
    check_meta(b->title);
    check_meta(b->author);
    check_meta(b->date);
    check_meta(b->source);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = fuzz_split(data, size);
    pl_buf text = PL_BUF_INIT;
    pl_blocks b;
    pl_error err;
    pl_status st;
    size_t replaced = 0;

    /* What the pipeline refuses as binary (NUL bytes…) never gets here. */
    if (!(in.options & 1) && pl_utf8_check_text(in.data, in.size, NULL) != PL_OK)
        return 0;
    pl_blocks_init(&b);
    fuzz_arm(&in);
    if (in.options & 1) {
        st = pl_html_to_blocks(in.data, in.size, &b, &err);
    } else {
        st = pl_utf8_sanitize(in.data, in.size, &text, &replaced, &err);
        if (st == PL_OK)
            st = pl_plaintext_to_blocks(text.data ? text.data : "", text.len, &b, &err);
    }
    if (st == PL_OK) {
        fuzz_disarm();
        check_blocks(&b, 0);
        fuzz_arm(&in);
        st = pl_boilerplate_classify(&b, &err);
        if (st == PL_OK && (in.options & 2))
            st = pl_boilerplate_classify(&b, &err);
        fuzz_disarm();
        FUZZ_CHECK(st == PL_OK || st == PL_ERR_NOMEM);
        if (st == PL_OK)
            check_blocks(&b, 1);
    }
    fuzz_disarm();
    FUZZ_CHECK(st == PL_OK || st == PL_ERR_NOMEM || ((in.options & 1) && st == PL_ERR_PARSE));
    FUZZ_CHECK(st != PL_ERR_NOMEM || in.fail_after >= 0);
    if (st != PL_OK)
        FUZZ_CHECK(err.status == st && err.message[0] != '\0');
    pl_blocks_free(&b);
    pl_buf_free(&text);
    return 0;
}
