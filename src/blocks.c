/* The block list shared by the HTML and plain-text readers and the
 * boilerplate classifier. */
#include "blocks.h"

#include <stdint.h>
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

/* SWAR: eight bytes tested at once. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGH_BITS UINT64_C(0x8080808080808080)
#define LOW_BITS UINT64_C(0x7F7F7F7F7F7F7F7F)

static int little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* Index of the lowest byte whose high bit is set in m (m has only high bits,
 * at least one; little-endian order). */
static size_t first_marked_byte(uint64_t m)
{
#if defined(__GNUC__)
    return (size_t)__builtin_ctzll(m) / 8;
#else
    size_t k = 0;
    while (!(m & 0x80)) {
        m >>= 8;
        k++;
    }
    return k;
#endif
}

/* High bit of each byte of v that would need collapsing's attention: a
 * control byte (ASCII white space is among them), a byte from 0x80 on (a
 * Unicode space may start there), or a space right after a space. *space
 * says on entry whether the byte before v was a space (0x80) and on return
 * whether v's last byte is one. Exact per byte: no borrow or carry crosses
 * between bytes. */
static uint64_t attention_bits(uint64_t v, uint64_t *space)
{
    uint64_t printable = ((v & LOW_BITS) + ONES * (0x80 - 0x20)) & HIGH_BITS;
    uint64_t x = v ^ (ONES * ' ');
    uint64_t spaces = ~(((x & LOW_BITS) + LOW_BITS) | x) & HIGH_BITS;
    uint64_t doubled = spaces & ((spaces << 8) | *space);
    *space = spaces >> 56;
    return (v & HIGH_BITS) | (~printable & HIGH_BITS) | doubled;
}

/* Appends s[0..n) to out with runs of white space collapsed to one space and
 * the ends trimmed (keep_lines: only trims trailing space on each line). */
static int append_collapsed(pl_buf *out, const char *s, size_t n, int keep_lines)
{
    const unsigned char *u = (const unsigned char *)s;
    const unsigned char *classes = byte_classes;
    const int swar = little_endian();
    size_t i = 0, start_len = out->len;
    int pending_space = 0;
    if (pl_buf_reserve(out, n) != 0)
        return -1;
    while (i < n) {
        size_t sp, run = i;
        /* Most text needs nothing done: single spaces between words and no
         * other white space. Such bytes are copied eight at a time up to
         * the first byte that needs a look, once a byte has been kept as it
         * was (so a space that follows is a single one or is caught as the
         * second of two). A store may carry bytes past that first byte; the
         * output is then written over them, and as it never gets ahead of
         * the input the stores stay within the n bytes reserved. */
        if (swar && !pending_space && out->len > start_len && out->data[out->len - 1] != '\n') {
            char *dst = out->data + out->len;
            size_t from = i;
            uint64_t space = u[i - 1] == ' ' ? 0x80 : 0;
            while (n - i >= 8) {
                uint64_t v, marks;
                memcpy(&v, u + i, 8);
                marks = attention_bits(v, &space);
                memcpy(dst, &v, 8);
                if (marks) {
                    size_t k = first_marked_byte(marks);
                    dst += k;
                    i += k;
                    break;
                }
                dst += 8;
                i += 8;
            }
            if (i > from) {
                out->len += i - from;
                /* A space that ends the copy is pending, as below. */
                if (out->data[out->len - 1] == ' ') {
                    out->len--;
                    pending_space = 1;
                }
                continue;
            }
        }
        /* Copy ordinary bytes in one go; without the loop above, with the
         * single spaces between words too. With it, only up to the end of
         * the word, so that the loop above takes over again. */
        for (;;) {
            while (run < n && classes[u[run]] == BYTE_ORDINARY)
                run++;
            if (!swar && run > i && run + 1 < n && u[run] == ' ' &&
                classes[u[run + 1]] == BYTE_ORDINARY) {
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
