/* The block list shared by the HTML and plain-text readers and the
 * boilerplate classifier. */
#include "blocks.h"

#include <string.h>

#include "alloc.h"

void pl_blocks_init(pl_blocks *b)
{
    memset(b, 0, sizeof *b);
}

void pl_blocks_free(pl_blocks *b)
{
    if (!b)
        return;
    pl_buf_free(&b->text);
    pl_free(b->items);
    pl_free(b->title);
    pl_free(b->author);
    pl_free(b->date);
    pl_free(b->source);
    pl_blocks_init(b);
}

/* Length of a Unicode space that is not ASCII at s (NBSP, the U+2000 range,
 * ideographic space…), or 0. */
static size_t unicode_space_len(const unsigned char *s, size_t n)
{
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
        (s[2] <= 0x8A || s[2] == 0xAF || s[2] == 0xA8 || s[2] == 0xA9))
        return 3;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
        return 3;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

/* Byte classes for collapsing: 0 ordinary, 1 ASCII white space, 2 a lead
 * byte that may start a Unicode space (U+00A0, U+2000-U+200A, U+2028/9,
 * U+202F, U+205F, U+3000) and needs a closer look. */
enum { BYTE_ORDINARY = 0, BYTE_SPACE = 1, BYTE_MAYBE_SPACE = 2 };

static const unsigned char byte_classes[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Appends s[0..n) to out with runs of white space collapsed to one space and
 * the ends trimmed (keep_lines: only trims trailing space on each line). */
static int append_collapsed(pl_buf *out, const char *s, size_t n, int keep_lines)
{
    const unsigned char *u = (const unsigned char *)s;
    const unsigned char *classes = byte_classes;
    size_t i = 0, start_len = out->len;
    int pending_space = 0;
    if (pl_buf_reserve(out, n) != 0)
        return -1;
    while (i < n) {
        size_t sp, run = i;
        /* Copy ordinary bytes, with the single spaces between words, in one
         * go: this loop is most of the cleaning time on large inputs. */
        for (;;) {
            while (run < n && classes[u[run]] == BYTE_ORDINARY)
                run++;
            if (run > i && run + 1 < n && u[run] == ' ' && classes[u[run + 1]] == BYTE_ORDINARY) {
                run++;
                continue;
            }
            break;
        }
        if (run > i) {
            if (pending_space) {
                out->data[out->len++] = ' ';
                pending_space = 0;
            }
            memcpy(out->data + out->len, u + i, run - i);
            out->len += run - i;
            i = run;
            continue;
        }
        sp = classes[u[i]] == BYTE_SPACE ? 1 : unicode_space_len(u + i, n - i);
        if (sp) {
            if (keep_lines && u[i] == '\n') {
                while (out->len > start_len && out->data[out->len - 1] == ' ')
                    out->len--;
                if (out->len > start_len)
                    out->data[out->len++] = '\n';
                pending_space = 0;
            } else if (out->len > start_len && out->data[out->len - 1] != '\n') {
                pending_space = 1;
            }
            i += sp;
            continue;
        }
        if (pending_space) {
            out->data[out->len++] = ' ';
            pending_space = 0;
        }
        out->data[out->len++] = (char)u[i++];
    }
    while (out->len > start_len &&
           (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\n'))
        out->len--;
    out->data[out->len] = '\0';
    return 0;
}

pl_status pl_blocks_add(pl_blocks *b, pl_block_kind kind, const char *s, size_t n, int *added,
                        pl_error *err)
{
    size_t mark = b->text.len, start;
    pl_block *block;
    if (added)
        *added = 0;
    if (b->count > 0 && pl_buf_putc(&b->text, '\n') != 0)
        goto nomem;
    start = b->text.len;
    if (append_collapsed(&b->text, s, n, kind == PL_BLOCK_PRE) != 0)
        goto nomem;
    if (b->text.len == start) {
        b->text.len = mark;
        if (b->text.data)
            b->text.data[mark] = '\0';
        return PL_OK;
    }
    if (pl_grow((void **)&b->items, &b->cap, b->count + 1, sizeof *b->items) != 0)
        goto nomem;
    block = &b->items[b->count++];
    memset(block, 0, sizeof *block);
    block->start = start;
    block->end = b->text.len;
    block->kind = kind;
    if (added)
        *added = 1;
    return PL_OK;
nomem:
    b->text.len = mark;
    if (b->text.data)
        b->text.data[mark] = '\0';
    return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
}

pl_status pl_blocks_set_meta(char **field, const char *s, size_t n, pl_error *err)
{
    pl_buf tmp = PL_BUF_INIT;
    if (*field)
        return PL_OK;
    if (append_collapsed(&tmp, s, n, 0) != 0) {
        pl_buf_free(&tmp);
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    }
    if (tmp.len == 0) {
        pl_buf_free(&tmp);
        return PL_OK;
    }
    *field = pl_buf_detach(&tmp, NULL);
    if (!*field)
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    return PL_OK;
}
