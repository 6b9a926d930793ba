/* Growable byte buffer (in the spirit of sds and lua-cjson's strbuf). */
#include "buf.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"

int pl_buf_reserve(pl_buf *b, size_t extra)
{
    size_t need, new_cap;
    char *grown;
    if (extra > SIZE_MAX - b->len - 1)
        return -1;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    new_cap = b->cap ? b->cap : 64;
    while (new_cap < need)
        new_cap = new_cap > SIZE_MAX / 2 ? need : new_cap * 2;
    grown = pl_realloc(b->data, new_cap);
    if (!grown)
        return -1;
    b->data = grown;
    b->cap = new_cap;
    return 0;
}

int pl_buf_append(pl_buf *b, const char *s, size_t n)
{
    if (pl_buf_reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int pl_buf_putc(pl_buf *b, char c)
{
    return pl_buf_append(b, &c, 1);
}

int pl_buf_put_codepoint(pl_buf *b, long cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return pl_buf_append(b, out, n);
}

void pl_buf_reset(pl_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void pl_buf_free(pl_buf *b)
{
    if (!b)
        return;
    pl_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *pl_buf_detach(pl_buf *b, size_t *len)
{
    char *out;
    if (!b->data && pl_buf_reserve(b, 0) != 0)
        return NULL;
    out = b->data;
    out[b->len] = '\0';
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return out;
}
