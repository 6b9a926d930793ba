/* A naive reference for the matcher: every spec tried at every word start,
 * on notes of ASCII, é, É and ’ with no Markdown (paragraphs split at blank
 * lines are all there is). Shared by tests/c/test_match.c and
 * tests/fuzz/fuzz_match.c, which define REF_CHECK(cond) (how a broken
 * assumption fails there) before including it. */
#ifndef PL_TEST_MATCH_REFERENCE_H
#define PL_TEST_MATCH_REFERENCE_H

#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "match.h"

typedef struct ref_spec {
    char key[128];  /* lower case, ’ as ', separators as one space */
    char disp[128]; /* as written, ’ as ', separators as one space */
    uint32_t id;
    int rank; /* 0 exact, 1 capitalized, 2 insensitive: stricter wins */
    pl_case_policy policy;
    size_t index;
    int ignored; /* excluded id or under min_length: as if absent */
} ref_spec;

static int ref_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The notes hold ASCII, é, É and ’ only: a word character is ASCII alnum
 * or é/É (lead byte 0xC3, last byte 0xA9 or 0x89). */
static int ref_word_at(const char *s, size_t n, size_t i)
{
    return i < n && (ref_alnum((unsigned char)s[i]) || (unsigned char)s[i] == 0xC3);
}

static int ref_word_ends_at(const char *s, size_t p)
{
    unsigned char c = (unsigned char)s[p];
    return ref_alnum(c) || c == 0xA9 || c == 0x89;
}

/* One character at s[i] as a symbol; returns the bytes read. */
static size_t ref_sym(const char *s, size_t n, size_t i, char *out, size_t *out_len, int fold)
{
    if (i + 1 < n && (unsigned char)s[i] == 0xC3) {
        out[0] = s[i];
        out[1] = fold ? (char)0xA9 : s[i + 1];
        *out_len = 2;
        return 2;
    }
    *out_len = 1;
    if (i + 2 < n && memcmp(s + i, "\xE2\x80\x99", 3) == 0) {
        out[0] = '\'';
        return 3;
    }
    out[0] = fold && s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
    return 1;
}

static int ref_sep(char c)
{
    return c == ' ' || c == '\t' || c == '-' || c == '\n';
}

static int ref_left_ok(const char *s, size_t i)
{
    size_t p;
    if (i == 0)
        return 1;
    p = i - 1;
    if (ref_word_ends_at(s, p))
        return 0;
    if (s[p] == '_') {
        while (p > 0 && s[p - 1] == '_')
            p--;
    } else if (s[p] == '.' || s[p] == '-') {
        if (p > 0 && s[p - 1] == s[p])
            return 1;
    } else {
        return 1;
    }
    return p == 0 || !ref_word_ends_at(s, p - 1);
}

static int ref_right_ok(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 1;
    if (ref_word_at(s, n, i))
        return 0;
    if (s[i] == '_') {
        while (i < n && s[i] == '_')
            i++;
    } else if (s[i] == '.' || s[i] == '-') {
        if (i + 1 < n && s[i + 1] == s[i])
            return 1;
        i++;
    } else {
        return 1;
    }
    return i >= n || !(ref_word_at(s, n, i) || s[i] == '_');
}

/* Normalizes s[start..end) like a spec: separator runs as one space. */
static size_t ref_normalize(const char *s, size_t start, size_t end, int fold, char *out)
{
    size_t pos = start, w = 0, l;
    while (pos < end) {
        if (ref_sep(s[pos])) {
            while (pos < end && ref_sep(s[pos]))
                pos++;
            out[w++] = ' ';
            continue;
        }
        pos += ref_sym(s, end, pos, out + w, &l, fold);
        w += l;
    }
    out[w] = '\0';
    return w;
}

/* Length of the text at s[i..limit) that spells key k, or 0. */
static size_t ref_match(const char *s, size_t limit, size_t i, const char *k)
{
    size_t pos = i;
    while (*k) {
        if (*k == ' ') {
            int nl = 0;
            if (pos >= limit || !ref_sep(s[pos]))
                return 0;
            while (pos < limit && ref_sep(s[pos])) {
                if (s[pos] == '\n' && nl++)
                    return 0;
                pos++;
            }
            k++;
        } else {
            char sym[2];
            size_t l;
            if (pos >= limit)
                return 0;
            pos += ref_sym(s, limit, pos, sym, &l, 1);
            if (memcmp(sym, k, l) != 0)
                return 0;
            k += l;
        }
    }
    return pos - i;
}

static int ref_upper(const char *d, size_t i)
{
    return (d[i] >= 'A' && d[i] <= 'Z') ||
           ((unsigned char)d[i] == 0xC3 && (unsigned char)d[i + 1] == 0x89);
}

static int ref_lower(const char *d, size_t i)
{
    return (d[i] >= 'a' && d[i] <= 'z') ||
           ((unsigned char)d[i] == 0xC3 && (unsigned char)d[i + 1] == 0xA9);
}

static int ref_case_ok(const char *s, size_t start, size_t end, const ref_spec *sp)
{
    char d[512];
    size_t w, i, j;
    int word_start = 1;
    REF_CHECK(end - start < sizeof d);
    w = ref_normalize(s, start, end, 0, d);
    if (sp->policy == PL_CASE_INSENSITIVE || strcmp(d, sp->disp) == 0)
        return 1;
    if (sp->policy == PL_CASE_EXACT)
        return 0;
    for (i = 0; i < w && !ref_lower(d, i); i++)
        ;
    if (i == w)
        return 1; /* ALL CAPS */
    if (w != strlen(sp->disp))
        return 0;
    for (i = 0; i < w; i = j) {
        j = i + ((unsigned char)d[i] == 0xC3 ? 2 : 1);
        if (memcmp(d + i, sp->disp + i, j - i) != 0) {
            if (!word_start || !ref_upper(d, i))
                return 0;
            if (j - i == 1 ? d[i] + 32 != sp->disp[i] : (unsigned char)sp->disp[i + 1] != 0xA9)
                return 0;
        }
        word_start =
            !(ref_alnum((unsigned char)d[i]) || (unsigned char)d[i] == 0xC3 || d[i] == '\'');
    }
    return 1;
}

static void ref_push(pl_match_list *out, size_t start, size_t end, uint32_t id)
{
    pl_match mt;
    memset(&mt, 0, sizeof mt);
    mt.start = start;
    mt.end = end;
    mt.id = id;
    REF_CHECK(pl_grow((void **)&out->items, &out->cap, out->count + 1, sizeof mt) == 0);
    out->items[out->count++] = mt;
}

/* Every spec at every word start of every paragraph; the longest acceptable
 * wins, then the strictest policy, then the earliest spec. */
static void ref_scan(const ref_spec *specs, size_t nspecs, const char *s, size_t n,
                     pl_match_list *out)
{
    size_t r0 = 0;
    while (r0 < n) {
        size_t r1 = r0, i;
        for (;;) {
            const char *nl = memchr(s + r1, '\n', n - r1);
            size_t q;
            if (!nl) {
                r1 = n;
                break;
            }
            q = (size_t)(nl - s) + 1;
            while (q < n && (s[q] == ' ' || s[q] == '\t'))
                q++;
            if (q >= n || s[q] == '\n') {
                r1 = (size_t)(nl - s);
                break;
            }
            r1 = (size_t)(nl - s) + 1;
        }
        i = r0;
        while (i < r1) {
            size_t best = 0, k;
            const ref_spec *bs = NULL;
            if (ref_word_at(s, n, i) && ref_left_ok(s, i)) {
                for (k = 0; k < nspecs; k++) {
                    const ref_spec *sp = &specs[k];
                    size_t l;
                    if (sp->ignored)
                        continue;
                    l = ref_match(s, r1, i, sp->key);
                    if (!l || l < best || !ref_right_ok(s, n, i + l) ||
                        !ref_case_ok(s, i, i + l, sp))
                        continue;
                    if (l > best || sp->rank < bs->rank ||
                        (sp->rank == bs->rank && sp->index < bs->index)) {
                        best = l;
                        bs = sp;
                    }
                }
            }
            if (bs) {
                ref_push(out, i, i + best, bs->id);
                i += best;
            } else {
                i++;
            }
        }
        r0 = r1 + 1;
    }
}

#endif
