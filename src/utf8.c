/* The gate every input passes: refuses binary data, repairs invalid UTF-8
 * and converts UTF-16 by hand (on the hot path), and leaves NFC, case folding
 * and character categories to utf8proc behind fast paths for ASCII and CJK. */
#include "utf8.h"

#include <string.h>
#include <utf8proc.h>

#include "alloc.h"

#define REPLACEMENT_UTF8 "\xEF\xBF\xBD"
#define REPLACEMENT_CP 0xFFFD

/* SWAR constants: eight bytes tested at once for high bits or a given byte. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGH_BITS UINT64_C(0x8080808080808080)

/* The window pl_utf8_check_text samples for control bytes. */
#define SNIFF_WINDOW 4096

/* Sets *bad and returns 0 when s[0..n) (with s[0] >= 0x80) does not start
 * with a well-formed sequence (Unicode Table 3-7: no overlongs, surrogates or
 * code points past U+10FFFF); *bad is then the length of the maximal invalid
 * subpart, the unit the Unicode Standard recommends replacing by one U+FFFD.
 * Otherwise returns the length of the sequence. */
static size_t valid_multibyte(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need, k;

    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0; /* below: overlong */
        else if (c == 0xED)
            hi = 0x9F; /* above: surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90; /* below: overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above: past U+10FFFF */
    } else {
        *bad = 1;
        return 0;
    }
    if (n < 2 || s[1] < lo || s[1] > hi) {
        *bad = 1;
        return 0;
    }
    for (k = 2; k < need; k++) {
        if (k >= n || (s[k] & 0xC0) != 0x80) {
            *bad = k;
            return 0;
        }
    }
    return need;
}

size_t pl_utf8_seq_len(unsigned char c)
{
    if (c < 0xC2)
        return 1;
    if (c < 0xE0)
        return 2;
    if (c < 0xF0)
        return 3;
    if (c < 0xF5)
        return 4;
    return 1;
}

/* n == 0 counts as bad input: U+FFFD with *len 1, as the header promises. */
int32_t pl_utf8_decode(const char *s, size_t n, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t seq, bad = 1;
    int32_t cp;

    if (n == 0) {
        if (len)
            *len = 1;
        return REPLACEMENT_CP;
    }
    if (u[0] < 0x80) {
        if (len)
            *len = 1;
        return u[0];
    }
    seq = valid_multibyte(u, n, &bad);
    if (len)
        *len = seq ? seq : bad;
    switch (seq) {
    case 2:
        cp = (int32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
        break;
    case 3:
        cp = (int32_t)(u[0] & 0x0F) << 12 | (int32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
        break;
    case 4:
        cp = (int32_t)(u[0] & 0x07) << 18 | (int32_t)(u[1] & 0x3F) << 12 |
             (int32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
        break;
    default:
        cp = REPLACEMENT_CP;
        break;
    }
    return cp;
}

/* ---- Refusing binary input ---- */

struct magic {
    const char *bytes;
    size_t len;
    const char *what;
};

/* Formats people paste or download by mistake; the name goes into the
 * message so the user knows what they fed us. */
static const struct magic MAGICS[] = {
    {"\x89PNG\r\n\x1A\n", 8, "a PNG image"},
    {"\xFF\xD8\xFF", 3, "a JPEG image"},
    {"GIF87a", 6, "a GIF image"},
    {"GIF89a", 6, "a GIF image"},
    {"%PDF-", 5, "a PDF document"},
    {"PK\x03\x04", 4, "a ZIP archive (or a .docx, .xlsx or .epub file)"},
    {"PK\x05\x06", 4, "a ZIP archive (or a .docx, .xlsx or .epub file)"},
    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an old Microsoft Office document"},
    {"\x1F\x8B", 2, "gzip-compressed data"},
    {"\xFD"
     "7zXZ",
     5, "xz-compressed data"},
    {"\x28\xB5\x2F\xFD", 4, "zstd-compressed data"},
    {"7z\xBC\xAF\x27\x1C", 6, "a 7-Zip archive"},
    {"\x7F"
     "ELF",
     4, "an ELF executable"},
};

static int has_utf16_bom(const unsigned char *u, size_t n)
{
    return n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

/* Control bytes that real text does not contain; ESC is allowed because
 * terminal output with colour codes is still text. */
static int is_binary_control(unsigned char c)
{
    if (c == 0x7F)
        return 1;
    if (c >= 0x20)
        return 0;
    return !(c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x1B);
}

pl_status pl_utf8_check_text(const char *s, size_t n, pl_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    const char *nul;
    size_t i, window, controls = 0;

    if (n == 0)
        return pl_error_set(err, PL_ERR_EMPTY, "input is empty");
    if (!s)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "input is NULL");
    for (i = 0; i < sizeof MAGICS / sizeof MAGICS[0]; i++) {
        if (n >= MAGICS[i].len && memcmp(s, MAGICS[i].bytes, MAGICS[i].len) == 0)
            return pl_error_set(err, PL_ERR_BINARY, "binary input: looks like %s", MAGICS[i].what);
    }
    if (has_utf16_bom(u, n)) {
        /* Half the bytes of ASCII-range UTF-16 are zero; only a zero code
         * unit is suspicious there. */
        for (i = 2; i + 1 < n; i += 2) {
            if (u[i] == 0 && u[i + 1] == 0)
                return pl_error_set(err, PL_ERR_BINARY, "binary data: NUL character at offset %zu",
                                    i);
        }
        pl_error_clear(err);
        return PL_OK;
    }
    nul = memchr(s, '\0', n);
    if (nul)
        return pl_error_set(err, PL_ERR_BINARY, "binary data: NUL byte at offset %zu",
                            (size_t)(nul - s));
    window = n < SNIFF_WINDOW ? n : SNIFF_WINDOW;
    for (i = 0; i < window; i++)
        controls += (size_t)is_binary_control(u[i]);
    if (controls * 10 > window)
        return pl_error_set(err, PL_ERR_BINARY,
                            "binary data: %zu of the first %zu bytes are control characters",
                            controls, window);
    pl_error_clear(err);
    return PL_OK;
}

/* ---- Repairing input ---- */

static pl_status nomem(pl_buf *out, size_t keep, pl_error *err)
{
    /* Leave out as the caller gave it rather than half-written. */
    if (out->data) {
        out->len = keep;
        out->data[keep] = '\0';
    }
    return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
}

static pl_status sanitize_utf8(const unsigned char *s, size_t n, pl_buf *out, size_t *replaced)
{
    size_t i = 0, run, bad = 1, len;
    unsigned char c;

    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    run = i; /* start of the bytes not yet copied; copied in one go */
    while (i < n) {
        /* Whole words of ASCII without CR need no look at all. */
        while (n - i >= 8) {
            uint64_t v, cr;
            memcpy(&v, s + i, 8);
            cr = v ^ (ONES * '\r');
            if ((v | ((cr - ONES) & ~cr)) & HIGH_BITS)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        c = s[i];
        if (c < 0x80) {
            if (c == '\r') {
                if (pl_buf_append(out, (const char *)s + run, i - run) != 0)
                    return PL_ERR_NOMEM;
                /* CRLF: the LF that follows starts the next run. */
                if (!(i + 1 < n && s[i + 1] == '\n') && pl_buf_putc(out, '\n') != 0)
                    return PL_ERR_NOMEM;
                run = i + 1;
            }
            i++;
            continue;
        }
        len = valid_multibyte(s + i, n - i, &bad);
        if (len) {
            i += len;
            continue;
        }
        if (pl_buf_append(out, (const char *)s + run, i - run) != 0 ||
            pl_buf_append(out, REPLACEMENT_UTF8, 3) != 0)
            return PL_ERR_NOMEM;
        (*replaced)++;
        i += bad;
        run = i;
    }
    if (pl_buf_append(out, (const char *)s + run, n - run) != 0)
        return PL_ERR_NOMEM;
    return PL_OK;
}

static unsigned utf16_unit(const unsigned char *p, int big_endian)
{
    return big_endian ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

static pl_status sanitize_utf16(const unsigned char *s, size_t n, pl_buf *out, size_t *replaced)
{
    int big_endian = s[0] == 0xFE;
    size_t i = 2; /* past the BOM */

    while (i + 1 < n) {
        unsigned unit = utf16_unit(s + i, big_endian);
        long cp = (long)unit;
        i += 2;
        if (unit >= 0xD800 && unit <= 0xDFFF) {
            unsigned low = i + 1 < n ? utf16_unit(s + i, big_endian) : 0;
            if (unit <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((long)(unit - 0xD800) << 10) + (long)(low - 0xDC00);
                i += 2;
            } else {
                cp = REPLACEMENT_CP;
                (*replaced)++;
            }
        } else if (cp == '\r') {
            if (i + 1 < n && utf16_unit(s + i, big_endian) == '\n')
                continue;
            cp = '\n';
        }
        if (pl_buf_put_codepoint(out, cp) != 0)
            return PL_ERR_NOMEM;
    }
    if (i < n) { /* an odd byte left over: half a code unit */
        if (pl_buf_append(out, REPLACEMENT_UTF8, 3) != 0)
            return PL_ERR_NOMEM;
        (*replaced)++;
    }
    return PL_OK;
}

int pl_utf8_is_clean(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, len, bad;
    if (n == 0)
        return 1;
    if (!s || has_utf16_bom(u, n) || (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF))
        return 0;
    while (i < n) {
        while (n - i >= 8) {
            uint64_t v, cr;
            memcpy(&v, u + i, 8);
            cr = v ^ (ONES * '\r');
            if ((v | ((cr - ONES) & ~cr)) & HIGH_BITS)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if (u[i] < 0x80) {
            if (u[i] == '\r')
                return 0;
            i++;
            continue;
        }
        len = valid_multibyte(u + i, n - i, &bad);
        if (!len)
            return 0;
        i += len;
    }
    return 1;
}

pl_status pl_utf8_sanitize(const char *s, size_t n, pl_buf *out, size_t *replaced, pl_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t count = 0, keep;
    pl_status status;

    if (replaced)
        *replaced = 0;
    if (!out || (!s && n))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_utf8_sanitize: NULL argument");
    keep = out->len;
    /* Valid UTF-8 comes out the same size (UTF-16 smaller or at most 1.5x):
     * one reservation up front makes the appends plain copies. */
    if (n && pl_buf_reserve(out, n) != 0)
        return nomem(out, keep, err);
    if (has_utf16_bom(u, n))
        status = sanitize_utf16(u, n, out, &count);
    else
        status = sanitize_utf8(u, n, out, &count);
    if (status != PL_OK)
        return nomem(out, keep, err);
    if (replaced)
        *replaced = count;
    pl_error_clear(err);
    return PL_OK;
}

/* ---- Normalization and case folding through utf8proc ---- */

typedef struct scratch {
    utf8proc_int32_t *cps;
    size_t cap;
} scratch;

/* Runs utf8proc over one segment of s and appends the result. */
static pl_status map_segment(const char *s, size_t n, utf8proc_option_t options, scratch *sc,
                             pl_buf *out, size_t offset, pl_error *err)
{
    const utf8proc_uint8_t *in = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t count, bytes;

    count =
        utf8proc_decompose(in, (utf8proc_ssize_t)n, sc->cps, (utf8proc_ssize_t)sc->cap, options);
    /* One slot more than the code points: utf8proc_reencode writes its UTF-8
     * over the array and ends it with a NUL byte. */
    if (count >= 0 && (size_t)count + 1 > sc->cap) {
        if (pl_grow((void **)&sc->cps, &sc->cap, (size_t)count + 1, sizeof *sc->cps) != 0)
            return PL_ERR_NOMEM;
        count = utf8proc_decompose(in, (utf8proc_ssize_t)n, sc->cps, (utf8proc_ssize_t)sc->cap,
                                   options);
    }
    bytes = count < 0 ? count : utf8proc_reencode(sc->cps, count, options);
    if (bytes < 0)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "%s in the text near byte %zu",
                            utf8proc_errmsg(bytes), offset);
    if (pl_buf_append(out, (const char *)sc->cps, (size_t)bytes) != 0)
        return PL_ERR_NOMEM;
    return PL_OK;
}

/* Lowercases ASCII eight bytes at a time: a byte's high bit in `upper` is set
 * when the byte is at least 'A' and not past 'Z'; no sum carries into the
 * next byte because the high bits are cleared first. */
static void lower_ascii(char *d, const char *s, size_t n)
{
    size_t i = 0;

    for (; n - i >= 8; i += 8) {
        uint64_t v, low7, upper;
        memcpy(&v, s + i, 8);
        low7 = v & ~HIGH_BITS;
        upper = ((low7 + ONES * (0x80 - 'A')) ^ (low7 + ONES * (0x80 - 'Z' - 1))) & ~v & HIGH_BITS;
        v |= upper >> 2;
        memcpy(d + i, &v, 8);
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        d[i] = (char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
    }
}

/* Appends s[0..n), lowercasing ASCII letters when folding; other bytes
 * (UTF-8 of inert characters) go through untouched. */
static int append_plain(pl_buf *out, const char *s, size_t n, int fold)
{
    if (!fold)
        return pl_buf_append(out, s, n);
    if (pl_buf_reserve(out, n) != 0)
        return -1;
    lower_ascii(out->data + out->len, s, n);
    out->len += n;
    out->data[out->len] = '\0';
    return 0;
}

/* Code points from U+0300 on that NFC and case folding leave as they are and
 * that never combine with what precedes them (starters that are no
 * composition's second half): the bulk of Chinese, Japanese and Korean text
 * and of typographic punctuation. Copying them as they are, and cutting
 * segments before them, gives the bytes utf8proc would (test_utf8 checks
 * every code point of the BMP against utf8proc). Left out on purpose: U+2000
 * and U+2001 (they decompose), the kana voicing marks U+3099 and U+309A and
 * the tone marks U+302A-U+302F (they combine), full-width A-Z (they fold). */
static int is_inert(int32_t cp)
{
    if (cp >= 0x4E00)
        return cp <= 0x9FFF || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xFF01 && cp <= 0xFF20) ||
               (cp >= 0xFF3B && cp <= 0xFF9F);
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3000 && cp <= 0x3029) ||
           (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x309B && cp <= 0x30FF) ||
           (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E);
}

/* Copies what utf8proc would leave alone (ASCII, lowercased when folding;
 * for NFC anything below U+0300, i.e. no byte >= 0xCC; inert code points) and
 * hands each other stretch to utf8proc, from the character before it (a mark
 * may belong to it) up to the next ASCII or inert character. Cutting there is
 * safe: neither can join what precedes it, and both stop marks after them
 * from reaching back. */
static pl_status map_text(const char *s, size_t n, pl_buf *out, int fold, pl_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    const unsigned char hot = fold ? 0x80 : 0xCC;
    utf8proc_option_t options = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    scratch sc = {NULL, 0};
    size_t keep, pos = 0, i, start, end, len = 1;
    pl_status status = PL_OK;

    if (!out || (!s && n))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "NULL argument");
    if (fold)
        options |= UTF8PROC_CASEFOLD;
    keep = out->len;
    if (n && pl_buf_reserve(out, n) != 0)
        return nomem(out, keep, err);
    while (pos < n) {
        i = pos;
        for (;;) {
            while (n - i >= 8) {
                uint64_t v;
                memcpy(&v, s + i, 8);
                if (v & HIGH_BITS)
                    break;
                i += 8;
            }
            if (i >= n)
                break;
            if (u[i] < hot) {
                i++;
                continue;
            }
            if (!is_inert(pl_utf8_decode(s + i, n - i, &len)))
                break;
            i += len;
        }
        if (i >= n) {
            if (append_plain(out, s + pos, n - pos, fold) != 0)
                goto oom;
            break;
        }
        start = i;
        if (start > pos) {
            start--;
            while (start > pos && (u[start] & 0xC0) == 0x80)
                start--;
        }
        for (end = i + len; end < n && u[end] >= 0x80; end += len) {
            int32_t cp = pl_utf8_decode(s + end, n - end, &len);
            if (is_inert(cp))
                break;
        }
        if (append_plain(out, s + pos, start - pos, fold) != 0)
            goto oom;
        status = map_segment(s + start, end - start, options, &sc, out, start, err);
        if (status == PL_ERR_NOMEM)
            goto oom;
        if (status != PL_OK) {
            out->len = keep;
            if (out->data)
                out->data[keep] = '\0';
            pl_free(sc.cps);
            return status;
        }
        pos = end;
    }
    pl_free(sc.cps);
    pl_error_clear(err);
    return PL_OK;
oom:
    pl_free(sc.cps);
    return nomem(out, keep, err);
}

pl_status pl_utf8_nfc(const char *s, size_t n, pl_buf *out, pl_error *err)
{
    return map_text(s, n, out, 0, err);
}

pl_status pl_utf8_casefold(const char *s, size_t n, pl_buf *out, pl_error *err)
{
    return map_text(s, n, out, 1, err);
}

/* ---- Character classes ---- */

int pl_utf8_is_letter(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 0 && (unsigned)((cp | 0x20) - 'a') < 26u;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return 1;
    default:
        return 0;
    }
}

int pl_utf8_is_digit(int32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}

/* Titlecase letters (the Dž digraph) count as upper: what callers ask is
 * whether a word starts with a capital. */
int pl_utf8_is_upper(int32_t cp)
{
    utf8proc_category_t cat;

    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

int pl_utf8_is_lower(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* Zs is only the horizontal spaces; line breaks are listed by hand because
 * utf8proc files them under Cc, Zl and Zp. */
int pl_utf8_is_space(int32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= '\t' && cp <= '\r');
    if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
        return 1;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

/* Scripts written without spaces between words, so the tokenizer makes one
 * token per character: Han (with the iteration and Hangzhou-numeral marks,
 * every extension block and the compatibility ideographs), Hiragana,
 * Katakana (full and half width, with the prolonged sound mark) and Hangul
 * syllables. Punctuation such as U+3001 and U+30FB is left out. */
int pl_utf8_is_cjk(int32_t cp)
{
    if (cp < 0x3005)
        return 0;
    if (cp <= 0xFFFF) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || /* Unified Ideographs */
               (cp >= 0x3400 && cp <= 0x4DBF) || /* Extension A */
               (cp >= 0xAC00 && cp <= 0xD7A3) || /* Hangul syllables */
               (cp >= 0x3041 && cp <= 0x3096) || /* Hiragana */
               (cp >= 0x309D && cp <= 0x309F) || /* Hiragana marks */
               (cp >= 0x30A1 && cp <= 0x30FA) || /* Katakana */
               (cp >= 0x30FC && cp <= 0x30FF) || /* Katakana marks */
               (cp >= 0x31F0 && cp <= 0x31FF) || /* Katakana extension */
               (cp >= 0xF900 && cp <= 0xFAFF) || /* compatibility */
               (cp >= 0xFF66 && cp <= 0xFF9F) || /* half-width Katakana */
               (cp >= 0x3005 && cp <= 0x3007) || (cp >= 0x3021 && cp <= 0x3029) ||
               (cp >= 0x3038 && cp <= 0x303B);
    }
    /* Planes 2 and 3 are ideographs only; skip their unassigned gaps. Kana
     * supplements live in plane 1. */
    if ((cp >= 0x20000 && cp <= 0x323AF) || (cp >= 0x1B000 && cp <= 0x1B16F))
        return utf8proc_category(cp) != UTF8PROC_CATEGORY_CN;
    return 0;
}
