/* Fuzz target: HTML to blocks (src/html.c through libxml2). Any bytes are a
 * page; the blocks must lie inside the text, in order, each one collapsed and
 * trimmed as blocks.h promises, and the text valid UTF-8. Trailer options:
 * bit 0 appends a second page to the same list (the title carries over). */
#include "fuzz.h"

#include "blocks.h"
#include "html.h"

static int is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void check_blocks(const pl_blocks *b)
{
    size_t i, k, prev_end = 0;
    FUZZ_CHECK(b->count <= b->cap);
    if (b->count == 0)
        return;
    FUZZ_CHECK(b->text.data != NULL && b->text.data[b->text.len] == '\0');
    FUZZ_CHECK(fuzz_valid_utf8(b->text.data, b->text.len));
    for (i = 0; i < b->count; i++) {
        const pl_block *bl = &b->items[i];
        const char *s = b->text.data + bl->start;
        size_t n = bl->end - bl->start;
        FUZZ_CHECK(bl->start < bl->end && bl->end <= b->text.len);
        /* Blocks are separated by exactly one '\n'. */
        FUZZ_CHECK(i == 0 ? bl->start == 0 : bl->start == prev_end + 1);
        FUZZ_CHECK(i == 0 || b->text.data[prev_end] == '\n');
        FUZZ_CHECK(bl->kind >= PL_BLOCK_PARAGRAPH && bl->kind <= PL_BLOCK_PRE);
        FUZZ_CHECK(bl->link_bytes <= n);
        FUZZ_CHECK(!is_ascii_space(s[0]) && !is_ascii_space(s[n - 1]));
        if (bl->kind == PL_BLOCK_TITLE || bl->kind == PL_BLOCK_HEADING)
            FUZZ_CHECK(bl->heading_level >= 1 && bl->heading_level <= 6);
        if (bl->kind != PL_BLOCK_PRE) {
            for (k = 0; k < n; k++) {
                FUZZ_CHECK(s[k] == ' ' || !is_ascii_space(s[k]));
                FUZZ_CHECK(k == 0 || s[k] != ' ' || s[k - 1] != ' ');
            }
        }
        prev_end = bl->end;
    }
    FUZZ_CHECK(prev_end == b->text.len);
}

static void check_meta(const char *field)
{
    size_t n;
    if (!field)
        return;
    n = strlen(field);
    FUZZ_CHECK(n > 0 && fuzz_valid_utf8(field, n));
    FUZZ_CHECK(!is_ascii_space(field[0]) && !is_ascii_space(field[n - 1]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = fuzz_split(data, size);
    pl_blocks b;
    pl_error err;
    pl_status st;

    pl_blocks_init(&b);
    (void)pl_html_detect(in.data, in.size);
    fuzz_arm(&in);
    st = pl_html_to_blocks(in.data, in.size, &b, &err);
    if (st == PL_OK && (in.options & 1))
        st = pl_html_to_blocks(in.data, in.size, &b, &err);
    fuzz_disarm();
    FUZZ_CHECK(st == PL_OK || st == PL_ERR_NOMEM || st == PL_ERR_PARSE);
    if (st != PL_OK) {
        FUZZ_CHECK(err.status == st && err.message[0] != '\0');
        FUZZ_CHECK(st != PL_ERR_NOMEM || in.fail_after >= 0);
    }
    /* On failure the list is left as it was before the failing call. */
    check_blocks(&b);
    check_meta(b.title);
    check_meta(b.author);
    check_meta(b.date);
    check_meta(b.source);
    pl_blocks_free(&b);
    return 0;
}
