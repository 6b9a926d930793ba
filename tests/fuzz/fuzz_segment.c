/* Fuzz target: sentence segmentation (src/segment.c) and the white-space
 * collapsing that prepares its input (pl_blocks_add, src/blocks.c, which
 * copies eight bytes at a time and is checked here against a plain byte
 * loop). Bytes are repaired to UTF-8 first, as the pipeline does; then
 * segmenting must cover every non-space byte once, with trimmed sentences
 * that start and end on character boundaries, and always make progress.
 * Trailer options: bit 0 collapses as preformatted text (lines kept). */
#include "fuzz.h"

#include "blocks.h"
#include "segment.h"
#include "utf8.h"

/* Length of the white space at s[i] that blocks.h collapses: ASCII white
 * space, U+00A0, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. */
static size_t collapse_space_len(const unsigned char *s, size_t n, size_t i)
{
    if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
        return 1;
    if (i + 1 < n && s[i] == 0xC2 && s[i + 1] == 0xA0)
        return 2;
    if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80 &&
        ((s[i + 2] >= 0x80 && s[i + 2] <= 0x8A) || s[i + 2] == 0xA8 || s[i + 2] == 0xA9 ||
         s[i + 2] == 0xAF))
        return 3;
    if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x81 && s[i + 2] == 0x9F)
        return 3;
    if (i + 2 < n && s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)
        return 3;
    return 0;
}

/* The same set without U+2028/U+2029: what the segmenter trims. */
static size_t segment_space_len(const unsigned char *s, size_t n, size_t i)
{
    if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
        return 0;
    return collapse_space_len(s, n, i);
}

/* The reference collapse: words of each line joined by one space; with
 * keep_lines the lines joined by '\n' (none before the first non-empty
 * line); the ends trimmed. Returns the length written to out (n + 1 bytes). */
static size_t reference_collapse(const char *text, size_t n, int keep_lines, char *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, w = 0;
    int space = 0;
    while (i < n) {
        size_t sp = collapse_space_len(s, n, i);
        if (keep_lines && s[i] == '\n') {
            while (w > 0 && out[w - 1] == ' ')
                w--;
            if (w > 0)
                out[w++] = '\n';
            space = 0;
            i++;
        } else if (sp) {
            space = w > 0 && out[w - 1] != '\n';
            i += sp;
        } else {
            if (space)
                out[w++] = ' ';
            space = 0;
            out[w++] = (char)s[i++];
        }
    }
    while (w > 0 && (out[w - 1] == ' ' || out[w - 1] == '\n'))
        w--;
    return w;
}

/* Segments s[0..n): sentences in order, trimmed, on boundaries, with only
 * white space between and after them; at most one per byte. */
static void check_segments(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t pos = 0, start, end, rounds = 0, i, sp;
    while (pl_segment_next(s, n, pos, &start, &end)) {
        FUZZ_CHECK(++rounds <= n);
        FUZZ_CHECK(pos <= start && start < end && end <= n);
        FUZZ_CHECK(fuzz_at_boundary(s, n, start) && fuzz_at_boundary(s, n, end));
        for (i = pos; i < start; i += sp) {
            sp = segment_space_len(u, n, i);
            FUZZ_CHECK(sp > 0);
        }
        FUZZ_CHECK(segment_space_len(u, end, start) == 0);
        for (i = 1; i <= 3 && i <= end - start; i++)
            FUZZ_CHECK(segment_space_len(u, end, end - i) != i);
        pos = end;
    }
    for (i = pos; i < n; i += sp) {
        sp = segment_space_len(u, n, i);
        FUZZ_CHECK(sp > 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = fuzz_split(data, size);
    int pre = (int)(in.options & 1);
    pl_buf text = PL_BUF_INIT;
    pl_blocks b;
    pl_error err;
    pl_status st;
    char *want;
    size_t want_len;
    int added;

    pl_blocks_init(&b);
    fuzz_arm(&in);
    st = pl_utf8_sanitize(in.data, in.size, &text, NULL, &err);
    fuzz_disarm();
    if (st != PL_OK) {
        FUZZ_CHECK(st == PL_ERR_NOMEM && in.fail_after >= 0);
        pl_buf_free(&text);
        return 0;
    }
    FUZZ_CHECK(fuzz_valid_utf8(text.data ? text.data : "", text.len));

    /* Raw repaired text (lines, runs of spaces) must segment safely too: the
     * pipeline segments preformatted blocks, which keep their line breaks. */
    if (text.len > 0)
        check_segments(text.data, text.len);

    fuzz_arm(&in);
    st = pl_blocks_add(&b, pre ? PL_BLOCK_PRE : PL_BLOCK_PARAGRAPH, text.data, text.len, &added,
                       &err);
    fuzz_disarm();
    if (st != PL_OK) {
        FUZZ_CHECK(st == PL_ERR_NOMEM && in.fail_after >= 0 && b.count == 0);
        pl_blocks_free(&b);
        pl_buf_free(&text);
        return 0;
    }
    want = malloc(text.len + 1);
    FUZZ_CHECK(want != NULL);
    want_len = reference_collapse(text.data ? text.data : "", text.len, pre, want);
    FUZZ_CHECK(added == (want_len > 0) && b.count == (size_t)added);
    if (added) {
        FUZZ_CHECK(b.items[0].start == 0 && b.items[0].end == b.text.len);
        FUZZ_CHECK(b.text.len == want_len && memcmp(b.text.data, want, want_len) == 0);
        FUZZ_CHECK(b.text.data[b.text.len] == '\0');
        FUZZ_CHECK(fuzz_valid_utf8(b.text.data, b.text.len));
        check_segments(b.text.data, b.text.len);
    }
    free(want);
    pl_blocks_free(&b);
    pl_buf_free(&text);
    return 0;
}
