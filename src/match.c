/* The linker's core (contract in match.h): a line scanner decides which
 * lines are prose, an inline scanner cuts code, links, URLs and HTML out of
 * each paragraph, and a trie of the folded terms is walked from word starts. */
#include "match.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "alloc.h"
#include "buf.h"
#include "utf8.h"

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define PL_SSE2 1
/* AVX-512 (with VBMI2) is used where the processor has it, chosen at run
 * time: the program itself is built for any x86-64. */
#if defined(__x86_64__) && (__GNUC__ >= 11 || defined(__clang__))
#include <immintrin.h>
#define PL_X512 1
#define PL_X512_TARGET                                                                             \
    __attribute__((target("avx512f,avx512bw,avx512dq,avx512vbmi,avx512vbmi2,popcnt")))
#endif
#endif

/* Why no Aho-Corasick failure links: a match may only start at a word start,
 * so the automaton is restarted there anyway, and leftmost-longest is then
 * simply the longest acceptable end of the first start that has one. The
 * trie is a double array over byte classes (one load per byte, no search);
 * folding happens on the fly per code point, so offsets stay the note's.
 * Whole ASCII words are also trie steps of their own (word_edge): a word
 * costs one hashed probe. Before any probe, a word of a note must pass the
 * gate (pl_matcher.gate), a small filter of the keys' first words and
 * first-word pairs that turns most words away. ASCII prose is read in
 * batches of words (word_batch): their bounds come from 64-byte blocks and
 * the gate judges a batch at once, with AVX-512 where the processor has it
 * (checked at run time) and portable code elsewhere; both give the same
 * matches, which the tests and the fuzz target check. */

/* Longest folded key accepted: longer "terms" are pasted paragraphs, and
 * the bound keeps the walk's worst case linear in practice. */
#define KEY_MAX 1024
/* Bytes one character (with its combining marks) can fold to. */
#define SYM_MAX 256
#define CLUSTER_MAX 16
/* How far the inline scanner looks for the end of a tag, link or URL:
 * bounds the work on malformed input to O(n * bound). */
#define SCAN_MAX 4096
#define MEMO_RUNS 32
#define STRETCH_MAX 65536 /* bytes of paragraphs scanned as one (see open_paragraph) */

#define FREE_CELL (-1)
#define ROOT_CHECK (-2)

typedef struct da_cell {
    int32_t base;
    int32_t check; /* parent cell, FREE_CELL or ROOT_CHECK */
    uint32_t key;  /* key index + 1 when a key ends here, else 0 */
} da_cell;

typedef struct spec_info {
    uint32_t id;
    uint32_t dense; /* index of id in pl_matcher.ids */
    uint32_t cps;   /* code points of the normalized text */
    uint32_t policy;
    size_t disp_off; /* unfolded normalized text, for case checks */
    size_t disp_len;
} spec_info;

/* A spec that matched, with its term id (read together on the hot path). */
typedef struct term_hit {
    uint32_t spec;
    uint32_t id;
} term_hit;

#define NOT_PLAIN UINT32_MAX

typedef struct key_info {
    uint32_t first; /* specs[first..first+count), strictest first */
    uint32_t count;
} key_info;

/* A whole ASCII word as one step of the trie: most words of a note then
 * cost one probe of this table (after a bit filter that rejects most of
 * them) instead of a dependent load per byte. */
typedef struct word_edge {
    uint64_t head;     /* first 8 folded bytes, zero-padded */
    int32_t from, to;  /* trie cells before and after the word; to < 0: empty slot */
    int32_t after_sep; /* the cell after to's separator, or -1 */
    uint32_t key;      /* cells[to].key */
    uint16_t len;      /* bytes of the word (at most KEY_MAX) */
    uint16_t goes_on;  /* some key goes on from to with a byte that is not a separator */
    uint32_t tail;     /* its bytes after the 8th, in word_tails */
} word_edge;

typedef struct edge_table {
    word_edge *slots; /* open addressing, mask + 1 slots */
    size_t mask;
    uint64_t *filter; /* one bit per hash prefix: no bit, no edge */
    unsigned shift;   /* 64 - log2(filter bits) */
} edge_table;

struct pl_matcher {
    da_cell *cells;
    size_t cell_count;
    /* Words from the root (a term's first word) apart from the others: the
     * root table is probed for most words of a note, so it is kept small
     * enough to stay in cache. */
    edge_table edges[2];
    unsigned char *word_tails;
    size_t tails_len;
    /* The gate: a blocked Bloom filter of the keys' first words (a key that
     * is one word) and first-word pairs (a key "w1 w2..."). Where a note has
     * "w1 w2", one space between two ASCII words, no key can start at w1
     * unless the gate holds w1 alone or the pair: most words of a note are
     * turned away by it, without a branch that guesses wrong half the time
     * (a glossary's first words are common words: "new", "people"). */
    uint64_t *gate;
    unsigned gate_shift; /* 64 - log2(gate lines) */
    int gate_single;     /* some key is one ASCII word */
    /* The sequel filter, asked about the words the gate let through: most
     * pairs the gate passes start longer keys that go on with other words.
     * Per pair of words with one byte between them (a space or
     * punctuation), one 64-bit word with a bit for each third word after
     * one byte (a key "w1 w2 w3...") and one for the pair's ending (a key
     * where no byte and word follow w2: "w1 w2", "w1 w2, x"); keys whose
     * first word no word follows that way ("w1.", "w1 (x") have an ending
     * bit of their own. See sequel_may. */
    uint64_t *sequel;
    unsigned sequel_shift;        /* 64 - log2(words of the filter) */
    uint64_t gate_follows[128];   /* gate_follow of what an ASCII byte after a word is */
    uint64_t symbol_bits[2];      /* bit b: ascii_sym[b] is not 0 (b < 128) */
    unsigned char cls[256];       /* byte -> class; 0: in no key */
    unsigned char ascii_sym[128]; /* folded ASCII byte; 0: separator or NUL */
    unsigned char start_ok[128];  /* some key starts with this ASCII byte */
    int punct_start;              /* ... and some such byte is not a letter or digit */
    int x512;                     /* the processor has the AVX-512 the word scan uses */
    spec_info *specs;
    size_t spec_count;
    key_info *keys;
    size_t key_count;
    /* The hot path of a match without options: per key, its one spec and
     * that spec's term id when the spec is case-insensitive (nothing to
     * check but the boundary), else spec NOT_PLAIN; per spec, its term id.
     * A match reads one 8-byte entry, not the 40-byte spec records. */
    term_hit *key_plain;
    uint32_t *spec_ids;
    char *display;
    size_t display_len;
    uint32_t *ids; /* distinct term ids, sorted */
    size_t id_count;
};

/* ---- Character helpers shared by terms and notes ---- */

/* ASCII letters and digits: the hot loops test bytes with one load. */
static const unsigned char ALNUM[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Bytes where a code span, link, tag, entity, URL or e-mail may start. */
static const unsigned char INLINE_SPECIAL[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static int ascii_alnum(unsigned char b)
{
    return ALNUM[b];
}

/* The end of the run of ASCII letters and digits at u[pos], at most limit.
 * (Eight bytes at a time was tried: English words are too short for it.) */
static inline size_t word_end(const unsigned char *u, size_t pos, size_t limit)
{
    while (pos < limit && ALNUM[u[pos]])
        pos++;
    return pos;
}

#ifdef PL_SSE2
/* Bit i set when u[i] is an ASCII letter or digit, 16 bytes from u. Signed
 * compares: bytes from 0x80 up are negative, so they are neither. */
static inline unsigned alnum16(const unsigned char *u)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)u);
    __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                   _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
}
#endif

/* word_end where n bytes can be read from u: 16 at a time, no branch per
 * byte (the byte loop's exit is a guess that fails once per word). */
static inline size_t word_end_within(const unsigned char *u, size_t n, size_t pos, size_t limit)
{
#ifdef PL_SSE2
    while (pos + 16 <= n) {
        unsigned rest = ~alnum16(u + pos) & 0xFFFFu;
        if (rest) {
            pos += (size_t)__builtin_ctz(rest);
            return pos < limit ? pos : limit;
        }
        pos += 16;
        if (pos >= limit)
            return limit;
    }
#else
    (void)n;
#endif
    return word_end(u, pos, limit);
}

static int is_mark(int32_t cp)
{
    utf8proc_category_t cat;
    if (cp < 0x300)
        return 0;
    cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
           cat == UTF8PROC_CATEGORY_ME;
}

/* Letters, digits and combining marks: what words are made of. */
static int is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return cp >= 0 && ascii_alnum((unsigned char)cp);
    return pl_utf8_is_letter(cp) || pl_utf8_is_digit(cp) || is_mark(cp);
}

/* Separators inside a term: white space and hyphens. Returns 0 for none,
 * 1 for a horizontal one, 2 for a line break; *len gets its byte length. */
static int separator_at(const unsigned char *u, size_t n, size_t pos, size_t *len)
{
    unsigned char b = u[pos];
    *len = 1;
    if (b < 0x80) {
        if (b == '\n')
            return 2;
        return b == ' ' || b == '\t' || b == '\r' || b == '\v' || b == '\f' || b == '-';
    }
    if (b == 0xC2)
        return pos + 1 < n && u[pos + 1] == 0xA0 ? (*len = 2, 1) : 0; /* NBSP */
    if (pos + 2 >= n || (b != 0xE1 && b != 0xE2 && b != 0xE3))
        return 0;
    *len = 3;
    if (b == 0xE2 && u[pos + 1] == 0x80) {
        unsigned char c = u[pos + 2];
        /* U+2000-200A spaces, U+2010-2011 hyphens, U+2028-2029, U+202F */
        if (c <= 0x8A || c == 0x90 || c == 0x91 || c == 0xA8 || c == 0xA9 || c == 0xAF)
            return 1;
    }
    if ((b == 0xE2 && u[pos + 1] == 0x81 && u[pos + 2] == 0x9F) ||
        (b == 0xE3 && u[pos + 1] == 0x80 && u[pos + 2] == 0x80) ||
        (b == 0xE1 && u[pos + 1] == 0x9A && u[pos + 2] == 0x80))
        return 1;
    *len = 1;
    return 0;
}

static size_t put_cp(unsigned char *out, int32_t cp)
{
    return (size_t)utf8proc_encode_char(cp, out);
}

/* Writes cp, case-folded when fold is set, to out; returns the bytes. */
static size_t fold_cp(int32_t cp, int fold, unsigned char *out)
{
    utf8proc_int32_t buf[8];
    utf8proc_ssize_t k, i;
    size_t len = 0;
    int bound = 0;
    if (!fold)
        return put_cp(out, cp);
    if (cp < 0x80) {
        out[0] = (unsigned char)((unsigned)(cp - 'A') < 26u ? cp + 32 : cp);
        return 1;
    }
    k = utf8proc_decompose_char(cp, buf, 8, UTF8PROC_CASEFOLD, &bound);
    if (k <= 0 || k > 8)
        return put_cp(out, cp);
    for (i = 0; i < k; i++)
        len += put_cp(out + len, buf[i]);
    return len;
}

/* Reads the character at s[pos..n) that is not a separator, with any
 * combining marks after it (composed to NFC, so decomposed notes match),
 * and writes its symbol bytes (case-folded when fold is set; curly
 * apostrophes and quotes as straight ones) to out. Returns the bytes read;
 * *out_len == 0 means the character stops every match (U+FFFD, an invalid
 * byte, NUL). */
static size_t symbol_at(const char *s, size_t n, size_t pos, int fold, unsigned char *out,
                        size_t *out_len)
{
    const unsigned char *u = (const unsigned char *)s;
    utf8proc_int32_t cps[CLUSTER_MAX * 2];
    utf8proc_ssize_t count = 1, i;
    size_t l, end, len = 0;
    int32_t cp;

    if (u[pos] < 0x80 && (pos + 1 >= n || u[pos + 1] < 0x80)) {
        out[0] =
            fold ? (unsigned char)((unsigned)(u[pos] - 'A') < 26u ? u[pos] + 32 : u[pos]) : u[pos];
        *out_len = u[pos] ? 1 : 0;
        return 1;
    }
    cp = pl_utf8_decode(s + pos, n - pos, &l);
    *out_len = 0;
    if (cp == 0xFFFD || cp == 0)
        return l;
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x201C || cp == 0x201D) {
        out[0] = cp >= 0x201C ? '"' : '\'';
        *out_len = 1;
        return l;
    }
    cps[0] = cp;
    end = pos + l;
    while (end < n && u[end] >= 0x80 && count < CLUSTER_MAX) {
        size_t ml;
        int32_t mc = pl_utf8_decode(s + end, n - end, &ml);
        if (!is_mark(mc))
            break;
        cps[count++] = mc;
        end += ml;
    }
    if (count > 1) {
        utf8proc_int32_t nfc[CLUSTER_MAX * 2];
        utf8proc_ssize_t k =
            utf8proc_decompose((const utf8proc_uint8_t *)s + pos, (utf8proc_ssize_t)(end - pos),
                               nfc, CLUSTER_MAX * 2, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (k > 0 && k <= CLUSTER_MAX * 2)
            k = utf8proc_normalize_utf32(nfc, k, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (k > 0 && k <= CLUSTER_MAX * 2) {
            memcpy(cps, nfc, (size_t)k * sizeof *cps);
            count = k;
        }
    }
    for (i = 0; i < count; i++)
        len += fold_cp(cps[i], fold, out + len);
    *out_len = len;
    return end - pos;
}

/* Appends the normalized form of s[0..n) (separator runs as one space,
 * trimmed) to out. Returns 0, -1 when out of memory, 1 when s holds a
 * character that stops matches, 2 when a key would exceed KEY_MAX. */
static int normalize_term(const char *s, size_t n, int fold, pl_buf *out, uint32_t *cps)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char sym[SYM_MAX];
    size_t pos = 0, start = out->len, end;
    int pending_sep = 0;
    *cps = 0;
    while (pos < n) {
        size_t len, sl;
        if (separator_at(u, n, pos, &len)) {
            pending_sep = out->len > start;
            pos += len;
            continue;
        }
        len = symbol_at(s, n, pos, fold, sym, &sl);
        if (sl == 0)
            return 1;
        if (pending_sep) {
            if (pl_buf_putc(out, ' ') != 0)
                return -1;
            (*cps)++;
            pending_sep = 0;
        }
        if (pl_buf_append(out, (const char *)sym, sl) != 0)
            return -1;
        if (out->len - start > KEY_MAX)
            return 2;
        /* Counted as read, however many code points they fold to. */
        for (end = pos + len; pos < end; (*cps)++) {
            size_t cl;
            pl_utf8_decode(s + pos, end - pos, &cl);
            pos += cl;
        }
    }
    return 0;
}

static int valid_utf8(const char *s, size_t n, size_t *bad)
{
    size_t pos = 0;
    while (pos < n) {
        size_t l;
        if ((unsigned char)s[pos] < 0x80) {
            pos++;
            continue;
        }
        if (pl_utf8_decode(s + pos, n - pos, &l) == 0xFFFD &&
            !(l == 3 && memcmp(s + pos, "\xEF\xBF\xBD", 3) == 0)) {
            *bad = pos;
            return 0;
        }
        pos += l;
    }
    return 1;
}

/* ---- Building ---- */

typedef struct build_entry {
    const unsigned char *key; /* into the key pool */
    size_t key_off;
    uint32_t key_len;
    uint32_t index; /* the caller's spec index */
    uint32_t policy;
    uint32_t cps;
    uint32_t id;
    size_t disp_off;
    size_t disp_len;
} build_entry;

static int policy_rank(uint32_t policy)
{
    return policy == PL_CASE_EXACT ? 0 : policy == PL_CASE_CAPITALIZED ? 1 : 2;
}

static int compare_keys(const build_entry *a, const build_entry *b)
{
    size_t k = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(a->key, b->key, k);
    if (c)
        return c;
    return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

static int compare_entries(const void *pa, const void *pb)
{
    const build_entry *a = pa, *b = pb;
    int c = compare_keys(a, b);
    if (c)
        return c;
    c = policy_rank(a->policy) - policy_rank(b->policy);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int compare_u32(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

static int same_spec(const build_entry *a, const build_entry *b, const char *display)
{
    return a->id == b->id && a->policy == b->policy && a->disp_len == b->disp_len &&
           (a->policy == PL_CASE_INSENSITIVE ||
            memcmp(display + a->disp_off, display + b->disp_off, a->disp_len) == 0);
}

typedef struct da_build {
    da_cell *cells;
    int32_t *next, *prev; /* circular list of free cells, in index order */
    size_t size;
    int32_t free_head; /* -1 when no cell is free */
    int32_t max_used;
} da_build;

static int da_grow(da_build *b, size_t need)
{
    size_t size = b->size ? b->size : 1024, i, old = b->size;
    void *p;
    if (need <= b->size)
        return 0;
    while (size < need)
        size *= 2;
    if (size > INT32_MAX / 2)
        return -1;
    p = pl_realloc(b->cells, size * sizeof *b->cells);
    if (!p)
        return -1;
    b->cells = p;
    p = pl_realloc(b->next, size * sizeof *b->next);
    if (!p)
        return -1;
    b->next = p;
    p = pl_realloc(b->prev, size * sizeof *b->prev);
    if (!p)
        return -1;
    b->prev = p;
    for (i = old; i < size; i++) {
        b->cells[i].base = 0;
        b->cells[i].check = FREE_CELL;
        b->cells[i].key = 0;
        b->next[i] = (int32_t)i + 1;
        b->prev[i] = (int32_t)i - 1;
    }
    if (b->free_head < 0) {
        b->free_head = (int32_t)old;
        b->prev[old] = (int32_t)size - 1;
        b->next[size - 1] = (int32_t)old;
    } else {
        int32_t tail = b->prev[b->free_head];
        b->next[tail] = (int32_t)old;
        b->prev[old] = tail;
        b->next[size - 1] = b->free_head;
        b->prev[b->free_head] = (int32_t)size - 1;
    }
    b->size = size;
    return 0;
}

static void da_take(da_build *b, int32_t i, int32_t parent)
{
    if (b->next[i] == i) {
        b->free_head = -1;
    } else {
        b->next[b->prev[i]] = b->next[i];
        b->prev[b->next[i]] = b->prev[i];
        if (b->free_head == i)
            b->free_head = b->next[i];
    }
    b->cells[i].check = parent;
    if (i > b->max_used)
        b->max_used = i;
}

/* First fit over the free list for a node whose children have the classes
 * cs[0..k) (ascending). After many misses it jumps past the used cells,
 * where everything is free, so a crowded front does not make building
 * quadratic. Returns the base, or -1 when out of memory. */
static int32_t da_find_base(da_build *b, const int *cs, int k)
{
    int32_t f, start, base;
    int misses = 0, j;
    if (b->free_head < 0 && da_grow(b, b->size + 1) != 0)
        return -1;
    f = start = b->free_head;
    for (;;) {
        base = f - cs[0];
        if (base >= 1) {
            for (j = 1; j < k; j++) {
                size_t t = (size_t)base + (size_t)cs[j];
                if (t < b->size && b->cells[t].check != FREE_CELL)
                    break;
            }
            if (j == k)
                break;
        }
        f = b->next[f];
        if (f == start || ++misses > 256) {
            base = b->max_used + 1 - cs[0];
            if (base < 1)
                base = 1;
            break;
        }
    }
    if (da_grow(b, (size_t)base + (size_t)cs[k - 1] + 1) != 0)
        return -1;
    return base;
}

typedef struct da_task {
    uint32_t lo, hi, depth;
    int32_t node;
} da_task;

/* Builds the trie of the sorted distinct keys[0..n) into b; children of a
 * node are found by grouping the keys that share its prefix. */
static int da_build_keys(da_build *b, const build_entry *const *keys, size_t n,
                         const unsigned char *cls)
{
    da_task *stack = NULL;
    size_t top = 0, cap = 0;
    int cs[256];
    uint32_t child_lo[256], child_hi[256];
    int rc = -1;

    if (da_grow(b, 1024) != 0)
        return -1;
    da_take(b, 0, ROOT_CHECK);
    if (n == 0)
        return 0;
    if (pl_grow((void **)&stack, &cap, 1, sizeof *stack) != 0)
        return -1;
    stack[top++] = (da_task){0, (uint32_t)n, 0, 0};
    while (top > 0) {
        da_task t = stack[--top];
        uint32_t lo = t.lo, j;
        int k = 0, c;
        int32_t base;
        if (keys[lo]->key_len == t.depth) {
            b->cells[t.node].key = lo + 1;
            lo++;
        }
        if (lo == t.hi)
            continue;
        for (j = lo; j < t.hi;) {
            unsigned char byte = keys[j]->key[t.depth];
            child_lo[k] = j;
            while (j < t.hi && keys[j]->key[t.depth] == byte)
                j++;
            child_hi[k] = j;
            cs[k++] = cls[byte];
        }
        base = da_find_base(b, cs, k);
        if (base < 0)
            goto done;
        b->cells[t.node].base = base;
        if (pl_grow((void **)&stack, &cap, top + (size_t)k, sizeof *stack) != 0)
            goto done;
        for (c = 0; c < k; c++) {
            int32_t slot = base + cs[c];
            da_take(b, slot, t.node);
            stack[top++] = (da_task){child_lo[c], child_hi[c], t.depth + 1, slot};
        }
    }
    rc = 0;
done:
    pl_free(stack);
    return rc;
}

static void matcher_fail(pl_error *err, size_t index, uint32_t id, const char *what)
{
    pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "term %zu (id %lu) %s", index, (unsigned long)id,
                 what);
}

/* Normalizes every spec into entries[] and the two pools. */
static pl_status collect_specs(const pl_term_spec *specs, size_t count, build_entry *entries,
                               pl_buf *keys, pl_buf *display, pl_error *err)
{
    pl_buf nfc = PL_BUF_INIT;
    pl_status status = PL_OK;
    size_t i, bad;
    for (i = 0; i < count; i++) {
        const pl_term_spec *sp = &specs[i];
        build_entry *e = &entries[i];
        uint32_t cps;
        int r;
        if (!sp->text && sp->len) {
            matcher_fail(err, i, sp->id, "has no text");
            status = PL_ERR_INVALID_ARGUMENT;
            break;
        }
        if (sp->case_policy != PL_CASE_INSENSITIVE && sp->case_policy != PL_CASE_CAPITALIZED &&
            sp->case_policy != PL_CASE_EXACT) {
            matcher_fail(err, i, sp->id, "has an unknown case policy");
            status = PL_ERR_INVALID_ARGUMENT;
            break;
        }
        if (!valid_utf8(sp->text, sp->len, &bad)) {
            matcher_fail(err, i, sp->id, "is not valid UTF-8");
            status = PL_ERR_INVALID_ARGUMENT;
            break;
        }
        pl_buf_reset(&nfc);
        if (sp->len && pl_utf8_nfc(sp->text, sp->len, &nfc, NULL) != PL_OK) {
            status = PL_ERR_NOMEM;
            break;
        }
        e->index = (uint32_t)i;
        e->id = sp->id;
        e->policy = (uint32_t)sp->case_policy;
        e->key_off = keys->len;
        r = normalize_term(nfc.data ? nfc.data : "", nfc.len, 1, keys, &cps);
        if (r == 0 && keys->len == e->key_off)
            r = 3;
        if (r != 0) {
            if (r < 0) {
                status = PL_ERR_NOMEM;
            } else {
                matcher_fail(err, i, sp->id,
                             r == 1   ? "holds U+FFFD or NUL"
                             : r == 2 ? "is longer than 1024 bytes"
                                      : "is empty");
                status = PL_ERR_INVALID_ARGUMENT;
            }
            break;
        }
        e->key_len = (uint32_t)(keys->len - e->key_off);
        e->cps = cps;
        e->disp_off = display->len;
        if (sp->case_policy != PL_CASE_INSENSITIVE &&
            normalize_term(nfc.data, nfc.len, 0, display, &cps) < 0) {
            status = PL_ERR_NOMEM;
            break;
        }
        e->disp_len = display->len - e->disp_off;
    }
    pl_buf_free(&nfc);
    return status;
}

/* Up to 8 bytes of an ASCII letter-or-digit word, lowercased (setting bit
 * 5 lowercases letters and leaves digits alone), zero-padded. */
static uint64_t word_chunk(const unsigned char *w, size_t n)
{
    uint64_t v = 0;
    size_t i;
    if (n >= 8) {
        memcpy(&v, w, 8);
        return v | 0x2020202020202020u;
    }
    for (i = 0; i < n; i++)
        v |= (uint64_t)(w[i] | 0x20) << (8 * i);
    return v;
}

/* The same when 8 bytes can be read at w whatever n (>= 1) is (inside the
 * note): one load and a mask instead of a loop. */
static const uint64_t FIRST_BYTES[9] = {0,
                                        0xFFu,
                                        0xFFFFu,
                                        0xFFFFFFu,
                                        0xFFFFFFFFu,
                                        0xFFFFFFFFFFu,
                                        0xFFFFFFFFFFFFu,
                                        0xFFFFFFFFFFFFFFu,
                                        0xFFFFFFFFFFFFFFFFu};

static inline uint64_t word_chunk_wide(const unsigned char *w, size_t n)
{
    uint64_t v;
    memcpy(&v, w, 8);
    return (v | 0x2020202020202020u) & FIRST_BYTES[n < 8 ? n : 8]; /* a conditional move */
}

/* The gate's two hashes: of a first word alone and of a first-word pair,
 * from their first 8 folded bytes and their lengths. One multiply each: a
 * filter needs spread, not strength. */
static inline uint64_t gate_mix(uint64_t x)
{
    x *= 0xFF51AFD7ED558CCDu;
    return x ^ x >> 31;
}

/* The gate's hash of a word (head: its first 8 folded bytes), computed
 * once per word of a note and used both as the first word and as the
 * second word of a pair. The length goes to the top byte, which a word of
 * fewer than 8 bytes leaves 0 (a shift, not a multiply: in vectors a
 * multiply of 64-bit lanes takes three instructions). */
static inline uint64_t gate_word(uint64_t head, size_t len)
{
    return gate_mix(head ^ (uint64_t)len << 56);
}

/* The edge tables' hash of the word w[0..n) from cell from, made from its
 * gate_word g (which the scan has already for most words): one multiply,
 * and one more per 8 bytes after the 8th, so that long words sharing their
 * first 8 bytes and their length (a glossary of "abcdefgh0001"...) do not
 * all land on one slot. */
static inline uint64_t edge_hash(int32_t from, uint64_t g, const unsigned char *w, size_t n)
{
    size_t i;
    for (i = 8; i < n; i += 8)
        g = gate_mix(g ^ word_chunk(w + i, n - i < 8 ? n - i : 8));
    return (g ^ (uint64_t)(uint32_t)from * 0x9E3779B97F4A7C15u) * 0xD6E8FEB86659FD93u;
}

static int word_tail_equal(const unsigned char *tail, const unsigned char *w, size_t n)
{
    size_t i;
    for (i = 8; i < n; i++)
        if (tail[i - 8] != (w[i] | 0x20))
            return 0;
    return 1;
}

/* The edge for the word w[0..n) (ASCII letters and digits; head: its first
 * 8 folded bytes, g: its gate_word) from cell from, or NULL. */
static inline const word_edge *edge_find(const pl_matcher *m, int32_t from, uint64_t head,
                                         uint64_t g, const unsigned char *w, size_t n)
{
    const edge_table *tb = &m->edges[from != 0];
    uint64_t h = edge_hash(from, g, w, n), bit = h >> tb->shift;
    size_t i;
    if (!((tb->filter[bit >> 6] >> (bit & 63)) & 1))
        return NULL;
    for (i = h & tb->mask;; i = (i + 1) & tb->mask) {
        const word_edge *e = &tb->slots[i];
        if (e->to < 0)
            return NULL;
        if (e->from == from && e->head == head && e->len == n &&
            (n <= 8 || word_tail_equal(m->word_tails + e->tail, w, n)))
            return e;
    }
}

/* The same from the word's bytes; avail: bytes readable from w on (at
 * least n). */
static inline const word_edge *word_step(const pl_matcher *m, int32_t from, const unsigned char *w,
                                         size_t n, size_t avail)
{
    uint64_t head = avail >= 8 ? word_chunk_wide(w, n) : word_chunk(w, n);
    return edge_find(m, from, head, gate_word(head, n), w, n);
}

/* What may follow a first word in a key when no second ASCII word does: a
 * separator, or an ASCII punctuation byte (its own value). Stands in for the
 * second word of a pair (a word's gate_word is never one of these values
 * but by chance, which only lets a word through the gate). */
#define FOLLOW_SEP 1u

static inline uint64_t gate_follow(unsigned follow)
{
    return follow ^ 0xC4CEB9FE1A85EC53u; /* the hashes it goes into multiply */
}

/* The gate is blocked: a first word (g1, its gate_word) picks one line of
 * 512 bits, in which it has the bit of the word alone and the bits of its
 * pairs, so a word of a note touches one cache line whatever is asked. */
static inline const uint64_t *gate_line(const pl_matcher *m, uint64_t g1)
{
    return m->gate + ((g1 >> m->gate_shift) << 3);
}

static inline unsigned gate_bit_alone(uint64_t g1)
{
    return (unsigned)(g1 & 511);
}

static inline unsigned gate_bit_pair(uint64_t g1, uint64_t g2)
{
    return (unsigned)(((g1 ^ g2) * 0xFF51AFD7ED558CCDu) >> 55);
}

/* The sequel filter's word for the pair (g1, g2) with the byte between
 * them (a space for any separator), and the bits in it of the pair's ending
 * and of the third word g3 after the byte between. */
static inline uint64_t sequel_hash(uint64_t g1, unsigned char between, uint64_t g2)
{
    return (g1 ^ (g2 << 23 | g2 >> 41) ^ between * 0x9E3779B97F4A7C15u) * 0xD6E8FEB86659FD93u;
}

static inline uint64_t sequel_word(const pl_matcher *m, uint64_t h12)
{
    return m->sequel[h12 >> m->sequel_shift];
}

static inline unsigned sequel_bit_end(uint64_t h12)
{
    return (unsigned)(h12 & 63);
}

static inline unsigned sequel_bit_triple(uint64_t h12, unsigned char between, uint64_t g3)
{
    return (unsigned)(((h12 ^ g3 ^ between * 0xC4CEB9FE1A85EC53u) * 0x9E3779B97F4A7C15u) >> 58);
}

static inline int line_has(const uint64_t *line, unsigned bit)
{
    return (int)(line[bit >> 6] >> (bit & 63)) & 1;
}

#if defined(__GNUC__)
#define PL_INLINE __attribute__((always_inline)) inline
#else
#define PL_INLINE inline
#endif

static PL_INLINE uint64_t head_at(const unsigned char *u, size_t n, size_t pos, size_t len)
{
    return n - pos >= 8 ? word_chunk_wide(u + pos, len) : word_chunk(u + pos, len);
}

static int32_t da_step(const pl_matcher *m, int32_t st, unsigned char byte)
{
    int32_t t;
    if (!m->cls[byte])
        return -1;
    t = m->cells[st].base + m->cls[byte];
    return m->cells[t].check == st ? t : -1;
}

/* Sizes tb for at most `runs` edges, at most num/den full. */
static int edge_table_init(edge_table *tb, size_t runs, size_t num, size_t den)
{
    size_t slots = 16, bits = (size_t)1 << 12, i;
    unsigned log2 = 12;
    while (slots * num < runs * den)
        slots *= 2;
    /* About 8 bits per edge: most words that start no edge are turned
     * away without touching the table. */
    while (bits < 8 * runs && log2 < 26) {
        bits *= 2;
        log2++;
    }
    tb->slots = pl_malloc(slots * sizeof *tb->slots);
    tb->filter = pl_calloc(bits / 64, sizeof *tb->filter);
    if (!tb->slots || !tb->filter)
        return -1;
    tb->mask = slots - 1;
    tb->shift = 64 - log2;
    for (i = 0; i < slots; i++)
        tb->slots[i].to = -1;
    return 0;
}

/* Length of the ASCII letter-or-digit run of k starting at o. */
static size_t run_len(const unsigned char *k, size_t len, size_t o)
{
    size_t e = o;
    while (e < len && ascii_alnum(k[e]))
        e++;
    return e - o;
}

static int is_run_start(const unsigned char *k, uint32_t o)
{
    return ascii_alnum(k[o]) && (o == 0 || !ascii_alnum(k[o - 1]));
}

/* Registers every maximal ASCII letter-or-digit run of every key as a word
 * edge from the cell where it starts. A note's word that is not such a run
 * from the current cell could not be walked any further either (the next
 * byte would not be in the trie), so the tables lose nothing. */
static int build_word_edges(pl_matcher *m, const build_entry *const *keys, size_t n)
{
    size_t runs[2] = {0, 0}, i;
    pl_buf tails = PL_BUF_INIT;
    int32_t node_at[KEY_MAX + 2];
    /* Per cell: some key goes on from it with a byte that is neither a
     * letter or digit nor a separator (punctuation, a byte from 0x80 up). */
    unsigned char *goes_on = pl_calloc(m->cell_count ? m->cell_count : 1, 1);

    if (!goes_on)
        return -1;

    /* An edge is a key's prefix up to the end of a run: one the key before
     * has too (the same bytes, its run ending there too) is counted once.
     * Sorted keys that share a prefix sit together, so this counts the
     * edges nearly exactly, and never fewer. */
    for (i = 0; i < n; i++) {
        const unsigned char *k = keys[i]->key, *before = i ? keys[i - 1]->key : NULL;
        uint32_t len = keys[i]->key_len, before_len = i ? keys[i - 1]->key_len : 0, o, e, same = 0;
        while (same < len && same < before_len && before[same] == k[same])
            same++;
        for (o = 0; o < len; o = e + 1) {
            e = o + (uint32_t)run_len(k, len, o);
            if (e > o && (e > same || (before_len > e && ascii_alnum(before[e]))))
                runs[o != 0]++;
        }
    }
    /* The root's table half full: more words of a note are looked up there,
     * and a word that is no edge then costs two or three probes, not eight
     * or nine. The other up to 4/5 full: the words looked up there come
     * after a key's first word and are mostly edges (the gate, the sequel
     * filter and the table's own filter turn most others away), and a
     * smaller table stays in cache (with 10,000 keys 512 KiB, not 1 MiB). */
    if (edge_table_init(&m->edges[0], runs[0], 1, 2) != 0 ||
        edge_table_init(&m->edges[1], runs[1], 4, 5) != 0) {
        pl_free(goes_on);
        return -1;
    }
    for (i = 0; i < n; i++) {
        const unsigned char *k = keys[i]->key;
        uint32_t len = keys[i]->key_len, o;
        int32_t st = 0;
        for (o = 0; o < len; o++) {
            if (o > 0 && ascii_alnum(k[o - 1]) && !ascii_alnum(k[o]) && k[o] != ' ')
                goes_on[st] = 1;
            st = da_step(m, st, k[o]);
        }
    }
    for (i = 0; i < n; i++) {
        const unsigned char *k = keys[i]->key;
        uint32_t len = keys[i]->key_len, o;
        node_at[0] = 0;
        for (o = 0; o < len; o++)
            node_at[o + 1] = da_step(m, node_at[o], k[o]);
        for (o = 0; o < len; o++) {
            uint32_t e = o;
            uint64_t head, h, bit;
            size_t slot;
            edge_table *tb;
            word_edge *we;
            if (!is_run_start(k, o))
                continue;
            e += (uint32_t)run_len(k, len, o);
            /* Only a key's first run starts at the root. */
            tb = &m->edges[o != 0];
            head = word_chunk(k + o, e - o);
            h = edge_hash(node_at[o], gate_word(head, e - o), k + o, e - o);
            for (slot = h & tb->mask; tb->slots[slot].to >= 0; slot = (slot + 1) & tb->mask)
                if (tb->slots[slot].from == node_at[o] && tb->slots[slot].to == node_at[e])
                    break;
            we = &tb->slots[slot];
            if (we->to >= 0)
                continue;
            we->head = head;
            we->from = node_at[o];
            we->to = node_at[e];
            we->len = (uint16_t)(e - o);
            we->goes_on = goes_on[node_at[e]];
            we->key = m->cells[node_at[e]].key;
            we->after_sep = da_step(m, node_at[e], ' ');
            we->tail = (uint32_t)tails.len;
            if (e - o > 8 && pl_buf_append(&tails, (const char *)k + o + 8, e - o - 8) != 0) {
                pl_buf_free(&tails);
                pl_free(goes_on);
                return -1;
            }
            bit = h >> tb->shift;
            tb->filter[bit >> 6] |= (uint64_t)1 << (bit & 63);
        }
    }
    pl_free(goes_on);
    m->word_tails = (unsigned char *)pl_buf_detach(&tails, &m->tails_len);
    return m->word_tails ? 0 : -1;
}

/* What a key puts in the gate (see pl_matcher.gate): its first word with
 * what follows it in the key (nothing, a separator, a punctuation byte),
 * and when one separator and a second word follow, the pair too (unless a
 * byte from 0x80 up ends that second word: a note's "w1 w2" followed by an
 * ASCII byte cannot match such a key). A key that does not start with an
 * ASCII letter or digit, or whose first word runs on into a byte from 0x80
 * up, needs no entry: a note's word followed by such a byte is always
 * tried. Returns how many hashes were stored in h[0..2). */
/* The gate's entries of key k: its first word's gate_word (*g1), and the
 * bits to set in that word's line (one or two). Returns their number; 0:
 * the key does not start with an ASCII word (the gate has nothing to say). */
static int gate_entries(const unsigned char *k, size_t len, uint64_t *g1, unsigned bits[2])
{
    size_t e1 = 0, e2;
    while (e1 < len && ascii_alnum(k[e1]))
        e1++;
    if (e1 == 0 || (e1 < len && k[e1] >= 0x80))
        return 0;
    *g1 = gate_word(word_chunk(k, e1), e1);
    if (e1 == len) {
        bits[0] = gate_bit_alone(*g1);
        return 1;
    }
    bits[0] = gate_bit_pair(*g1, gate_follow(k[e1] == ' ' ? FOLLOW_SEP : k[e1]));
    if (k[e1] != ' ' || e1 + 1 >= len || !ascii_alnum(k[e1 + 1]))
        return 1;
    e2 = e1 + 1;
    while (e2 < len && ascii_alnum(k[e2]))
        e2++;
    if (e2 < len && k[e2] >= 0x80)
        return 1;
    bits[1] = gate_bit_pair(*g1, gate_word(word_chunk(k + e1 + 1, e2 - e1 - 1), e2 - e1 - 1));
    return 2;
}

static int build_gate(pl_matcher *m, const build_entry *const *keys, size_t n)
{
    size_t words = 64, i; /* 4,096 bits at least: 8 lines */
    unsigned log2 = 3;    /* of the number of lines */
    /* 16 to 32 bits per key, which makes one or two entries: a word that
     * starts nothing passes one time in 10 or less, and the gate of 10,000
     * keys, 32 KiB, stays in the first-level cache. */
    while (words * 64 < 16 * n && log2 < 20) {
        words *= 2;
        log2++;
    }
    m->gate = pl_calloc(words, sizeof *m->gate);
    if (!m->gate)
        return -1;
    m->gate_shift = 64 - log2;
    for (i = 0; i < 128; i++) {
        m->gate_follows[i] = gate_follow(m->ascii_sym[i] ? (unsigned)i : FOLLOW_SEP);
        m->symbol_bits[i >> 6] |= (uint64_t)(m->ascii_sym[i] != 0) << (i & 63);
    }
    for (i = 0; i < n; i++) {
        uint64_t g1 = 0;
        unsigned bits[2];
        int k, count = gate_entries(keys[i]->key, keys[i]->key_len, &g1, bits);
        uint64_t *line = m->gate + ((g1 >> m->gate_shift) << 3);
        for (k = 0; k < count; k++)
            line[bits[k] >> 6] |= (uint64_t)1 << (bits[k] & 63);
        if (count && keys[i]->key_len == (size_t)(word_end(keys[i]->key, 0, keys[i]->key_len)))
            m->gate_single = 1;
    }
    return 0;
}

/* See pl_matcher.sequel. Only keys that start with two ASCII words and one
 * byte between them (a space, for which a note may have any one separator
 * byte, or punctuation: "don't") need an entry: the three words with the
 * byte between the second and the third, or the pair's ending. */
static int build_sequel(pl_matcher *m, const build_entry *const *keys, size_t n)
{
    size_t words = 64, i; /* 32 to 64 bits per key: the filter of 10,000 keys takes 64 KiB */
    unsigned log2 = 6;
    while (2 * words < n && log2 < 24) {
        words *= 2;
        log2++;
    }
    m->sequel = pl_calloc(words, sizeof *m->sequel);
    if (!m->sequel)
        return -1;
    m->sequel_shift = 64 - log2;
    for (i = 0; i < n; i++) {
        const unsigned char *k = keys[i]->key;
        size_t len = keys[i]->key_len, l1 = run_len(k, len, 0), l2, s2, e2, l3 = 0;
        uint64_t g1, g2, h12;
        unsigned bit;
        if (l1 == 0 || l1 >= len || k[l1] >= 0x80)
            continue;
        g1 = gate_word(word_chunk(k, l1), l1);
        s2 = l1 + 1;
        l2 = run_len(k, len, s2);
        if (l2 == 0) { /* "w1 (x", "w1.": what follows the byte after w1 is no word */
            if (k[l1] != ' ')
                h12 = sequel_hash(g1, k[l1], 0);
            else if (s2 < len && k[s2] < 0x80)
                h12 = sequel_hash(g1, ' ', gate_follow(k[s2]));
            else
                continue;
            m->sequel[h12 >> m->sequel_shift] |= (uint64_t)1 << sequel_bit_end(h12);
            continue;
        }
        e2 = s2 + l2;
        if (e2 < len && k[e2] >= 0x80)
            continue;
        g2 = gate_word(word_chunk(k + s2, l2), l2);
        h12 = sequel_hash(g1, k[l1], g2);
        if (e2 + 1 < len)
            l3 = run_len(k, len, e2 + 1);
        if (l3)
            bit = sequel_bit_triple(h12, k[e2], gate_word(word_chunk(k + e2 + 1, l3), l3));
        else
            bit = sequel_bit_end(h12);
        m->sequel[h12 >> m->sequel_shift] |= (uint64_t)1 << bit;
    }
    return 0;
}

static pl_matcher *nomem_matcher(pl_matcher *m, pl_error *err)
{
    pl_matcher_free(m);
    pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    return NULL;
}

pl_matcher *pl_matcher_create(const pl_term_spec *specs, size_t count, pl_error *err)
{
    pl_matcher *m;
    build_entry *entries = NULL;
    const build_entry **uniq = NULL;
    pl_buf keys = PL_BUF_INIT, display = PL_BUF_INIT;
    da_build b = {NULL, NULL, NULL, 0, -1, 0};
    size_t i, kept = 0, nkeys = 0, final_size;
    int32_t max_base = 0;
    pl_status status;
    int cls_count = 0;

    if (!specs && count) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "NULL term specs");
        return NULL;
    }
    if (count > UINT32_MAX / 2) {
        pl_error_set(err, PL_ERR_TOO_LARGE, "too many terms");
        return NULL;
    }
    m = pl_calloc(1, sizeof *m);
    if (!m)
        return nomem_matcher(NULL, err);
    entries = pl_calloc(count ? count : 1, sizeof *entries);
    if (!entries)
        goto oom;
    status = collect_specs(specs, count, entries, &keys, &display, err);
    if (status == PL_ERR_NOMEM)
        goto oom;
    if (status != PL_OK)
        goto fail;
    for (i = 0; i < count; i++)
        entries[i].key = (const unsigned char *)keys.data + entries[i].key_off;
    qsort(entries, count, sizeof *entries, compare_entries);

    /* Drop exact duplicates, then number the distinct keys. */
    for (i = 0; i < count; i++) {
        size_t j;
        int dup = 0;
        for (j = kept; j-- > 0 && compare_keys(&entries[j], &entries[i]) == 0;) {
            if (same_spec(&entries[j], &entries[i], display.data)) {
                dup = 1;
                break;
            }
        }
        if (!dup)
            entries[kept++] = entries[i];
    }
    m->specs = pl_calloc(kept ? kept : 1, sizeof *m->specs);
    m->keys = pl_calloc(kept ? kept : 1, sizeof *m->keys);
    uniq = pl_calloc(kept ? kept : 1, sizeof *uniq);
    m->ids = pl_calloc(kept ? kept : 1, sizeof *m->ids);
    if (!m->specs || !m->keys || !uniq || !m->ids)
        goto oom;
    for (i = 0; i < kept; i++) {
        if (i == 0 || compare_keys(&entries[i - 1], &entries[i]) != 0) {
            uniq[nkeys] = &entries[i];
            m->keys[nkeys].first = (uint32_t)i;
            nkeys++;
        }
        m->keys[nkeys - 1].count++;
        m->ids[i] = entries[i].id;
    }
    m->key_count = nkeys;
    m->spec_count = kept;

    qsort(m->ids, kept, sizeof *m->ids, compare_u32);
    for (i = 0; i < kept; i++)
        if (m->id_count == 0 || m->ids[m->id_count - 1] != m->ids[i])
            m->ids[m->id_count++] = m->ids[i];
    for (i = 0; i < kept; i++) {
        spec_info *sp = &m->specs[i];
        const uint32_t *hit =
            bsearch(&entries[i].id, m->ids, m->id_count, sizeof *m->ids, compare_u32);
        sp->id = entries[i].id;
        sp->dense = (uint32_t)(hit - m->ids);
        sp->cps = entries[i].cps;
        sp->policy = entries[i].policy;
        sp->disp_off = entries[i].disp_off;
        sp->disp_len = entries[i].disp_len;
    }

    m->key_plain = pl_calloc(nkeys ? nkeys : 1, sizeof *m->key_plain);
    m->spec_ids = pl_calloc(kept ? kept : 1, sizeof *m->spec_ids);
    if (!m->key_plain || !m->spec_ids)
        goto oom;
    for (i = 0; i < kept; i++)
        m->spec_ids[i] = m->specs[i].id;
    for (i = 0; i < nkeys; i++) {
        uint32_t first = m->keys[i].first;
        int plain = m->keys[i].count == 1 && m->specs[first].policy == PL_CASE_INSENSITIVE;
        m->key_plain[i].spec = plain ? first : NOT_PLAIN;
        m->key_plain[i].id = plain ? m->specs[first].id : 0;
    }

    /* Byte classes in byte order, so sorted keys give ascending classes. */
    for (i = 0; i < kept; i++) {
        uint32_t k;
        for (k = 0; k < entries[i].key_len; k++)
            m->cls[entries[i].key[k]] = 1;
    }
    for (i = 0; i < 256; i++)
        if (m->cls[i])
            m->cls[i] = (unsigned char)++cls_count;

    if (da_build_keys(&b, uniq, nkeys, m->cls) != 0)
        goto oom;
    for (i = 0; i < b.size; i++)
        if (b.cells[i].check != FREE_CELL && b.cells[i].base > max_base)
            max_base = b.cells[i].base;
    /* Room for base + any class without a bounds check in the walk. */
    final_size = (size_t)(max_base > b.max_used ? max_base : b.max_used) + 257;
    {
        da_cell *cells = pl_realloc(b.cells, final_size * sizeof *cells);
        if (!cells)
            goto oom;
        b.cells = cells;
        for (i = b.size; i < final_size; i++) {
            cells[i].base = 0;
            cells[i].check = FREE_CELL;
            cells[i].key = 0;
        }
    }
    m->cells = b.cells;
    m->cell_count = final_size;
    b.cells = NULL;

    for (i = 0; i < 128; i++) {
        size_t len;
        unsigned char f = (unsigned char)((unsigned)(i - 'A') < 26u ? i + 32 : i);
        const unsigned char one = (unsigned char)i;
        int32_t t = m->cells[0].base + m->cls[f];
        m->ascii_sym[i] = (i == 0 || separator_at(&one, 1, 0, &len)) ? 0 : f;
        m->start_ok[i] = m->ascii_sym[i] && m->cls[f] && m->cells[t].check == 0;
        if (m->start_ok[i] && !ascii_alnum((unsigned char)i))
            m->punct_start = 1;
    }
    if (build_word_edges(m, uniq, nkeys) != 0 || build_gate(m, uniq, nkeys) != 0 ||
        build_sequel(m, uniq, nkeys) != 0)
        goto oom;
#ifdef PL_X512
    /* The run-time check includes the operating system's support. */
    m->x512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
              __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vbmi") &&
              __builtin_cpu_supports("avx512vbmi2");
#endif
    m->display = pl_buf_detach(&display, &m->display_len);
    if (!m->display)
        goto oom;
    pl_free(uniq);
    pl_free(entries);
    pl_free(b.cells);
    pl_free(b.next);
    pl_free(b.prev);
    pl_buf_free(&keys);
    pl_error_clear(err);
    return m;
oom:
    pl_error_set(err, PL_ERR_NOMEM, "out of memory");
fail:
    pl_free(uniq);
    pl_free(entries);
    pl_free(b.cells);
    pl_free(b.next);
    pl_free(b.prev);
    pl_buf_free(&keys);
    pl_buf_free(&display);
    pl_matcher_free(m);
    return NULL;
}

void pl_matcher_free(pl_matcher *m)
{
    if (!m)
        return;
    pl_free(m->cells);
    pl_free(m->edges[0].slots);
    pl_free(m->edges[0].filter);
    pl_free(m->edges[1].slots);
    pl_free(m->edges[1].filter);
    pl_free(m->word_tails);
    pl_free(m->gate);
    pl_free(m->sequel);
    pl_free(m->specs);
    pl_free(m->keys);
    pl_free(m->key_plain);
    pl_free(m->spec_ids);
    pl_free(m->display);
    pl_free(m->ids);
    pl_free(m);
}

const char *pl_matcher_scan_name(const pl_matcher *m)
{
    return m && m->x512 ? "AVX-512" : "portable";
}

size_t pl_matcher_memory(const pl_matcher *m)
{
    if (!m)
        return 0;
    return sizeof *m + m->cell_count * sizeof *m->cells +
           m->spec_count * (sizeof *m->specs + sizeof *m->spec_ids) +
           m->key_count * (sizeof *m->keys + sizeof *m->key_plain) + m->display_len + 1 +
           m->id_count * sizeof *m->ids +
           (m->edges[0].mask + m->edges[1].mask + 2) * sizeof(word_edge) +
           ((size_t)1 << (64 - m->edges[0].shift)) / 8 +
           ((size_t)1 << (64 - m->edges[1].shift)) / 8 + m->tails_len +
           ((size_t)64 << (64 - m->gate_shift)) + ((size_t)8 << (64 - m->sequel_shift));
}

/* ---- Markdown lines ----
 *
 * State layout: bits 0-2 mode, 3 past the first line, 4 the line before was
 * paragraph text, 5 inside a list, 6 that paragraph was quoted, 7 tilde
 * fence, 8-11 fence indent, 12-19 fence length, 20-21 raw HTML kind. */
enum { MODE_TEXT, MODE_FENCE, MODE_YAML, MODE_TOML, MODE_COMMENT, MODE_RAW, MODE_HTML };
#define ST_MODE 0x7u
#define ST_STARTED (1u << 3)
#define ST_PARA (1u << 4)
#define ST_LIST (1u << 5)
#define ST_QUOTE (1u << 6)
#define ST_TILDE (1u << 7)
#define ST_FINDENT_SHIFT 8
#define ST_FLEN_SHIFT 12
#define ST_RAW_SHIFT 20

enum { LK_BLANK, LK_SKIP, LK_PARA, LK_PARA_NEW, LK_HEADING, LK_SETEXT };

int pl_md_state_is_boundary(pl_md_state state)
{
    return !(state & ST_PARA);
}

static const char *const RAW_TAGS[4] = {"script", "pre", "style", "textarea"};

/* CommonMark's HTML block tags (type 6): such a line opens raw HTML that
 * lasts until a blank line. */
static const char *const BLOCK_TAGS[] = {
    "address",  "article",  "aside",    "base",       "basefont", "blockquote", "body",   "caption",
    "center",   "col",      "colgroup", "dd",         "details",  "dialog",     "dir",    "div",
    "dl",       "dt",       "fieldset", "figcaption", "figure",   "footer",     "form",   "frame",
    "frameset", "h1",       "h2",       "h3",         "h4",       "h5",         "h6",     "head",
    "header",   "hr",       "html",     "iframe",     "legend",   "li",         "link",   "main",
    "menu",     "menuitem", "nav",      "noframes",   "ol",       "optgroup",   "option", "p",
    "param",    "search",   "section",  "summary",    "table",    "tbody",      "td",     "tfoot",
    "th",       "thead",    "title",    "tr",         "track",    "ul"};

static int lower_ascii(unsigned char c)
{
    return (unsigned)(c - 'A') < 26u ? c + 32 : c;
}

/* Whether s[i..n) starts with word (lowercase ASCII), ignoring case. */
static int starts_with_ci(const unsigned char *s, size_t n, size_t i, const char *word)
{
    size_t k;
    for (k = 0; word[k]; k++)
        if (i + k >= n || lower_ascii(s[i + k]) != (unsigned char)word[k])
            return 0;
    return 1;
}

static int find_ci(const unsigned char *s, size_t n, size_t from, const char *word)
{
    size_t i;
    for (i = from; i < n; i++)
        if (lower_ascii(s[i]) == (unsigned char)word[0] && starts_with_ci(s, n, i, word))
            return 1;
    return 0;
}

static int blank_from(const unsigned char *s, size_t n, size_t i)
{
    for (; i < n; i++)
        if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\v' || s[i] == '\f'))
            return 0;
    return 1;
}

static size_t skip_indent(const unsigned char *s, size_t n, size_t i, unsigned *cols)
{
    unsigned col = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        col = s[i] == '\t' ? (col + 4) & ~3u : col + 1;
        i++;
    }
    *cols = col;
    return i;
}

/* A run of at least 3 fence characters at s[i]: returns its length. */
static size_t fence_run(const unsigned char *s, size_t n, size_t i)
{
    size_t j = i;
    if (i >= n || (s[i] != '`' && s[i] != '~'))
        return 0;
    while (j < n && s[j] == s[i])
        j++;
    return j - i >= 3 ? j - i : 0;
}

/* Whether the rest of the line is at least min characters c and white
 * space: spread out anywhere for a thematic break ("- - -"), only after the
 * run for a setext underline. */
static int rule_line(const unsigned char *s, size_t n, size_t i, unsigned char c, int spaced,
                     size_t min)
{
    size_t count = 0;
    for (; i < n; i++) {
        if (s[i] == c) {
            if (!spaced && count && s[i - 1] != c)
                return 0;
            count++;
        } else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
            return 0;
        }
    }
    return count >= min;
}

/* Returns the offset just past a plausible HTML open or closing tag at
 * s[i] == '<', or 0; *name gets the tag name's offset and *name_len, and
 * *read (if not NULL) how many bytes were looked at. */
static size_t html_tag_end(const unsigned char *s, size_t n, size_t i, size_t *name,
                           size_t *name_len, size_t *read)
{
    size_t j = i + 1, limit = n - i > SCAN_MAX ? i + SCAN_MAX : n, end = 0;
    unsigned char quote = 0;
    if (j < n && s[j] == '/')
        j++;
    if (j >= n || (unsigned)((s[j] | 0x20) - 'a') >= 26u)
        goto done;
    *name = j;
    while (j < n && (ascii_alnum(s[j]) || s[j] == '-'))
        j++;
    *name_len = j - *name;
    if (j >= n || !(s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '/' || s[j] == '>'))
        goto done;
    for (; j < limit; j++) {
        unsigned char c = s[j];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            end = j + 1;
            break;
        } else if (c == '<') {
            break;
        }
    }
done:
    if (read)
        *read = j - i;
    return end;
}

static int is_block_tag(const unsigned char *s, size_t off, size_t len)
{
    size_t k;
    for (k = 0; k < sizeof BLOCK_TAGS / sizeof BLOCK_TAGS[0]; k++) {
        const char *t = BLOCK_TAGS[k];
        if (strlen(t) == len && starts_with_ci(s, off + len, off, t))
            return 1;
    }
    return 0;
}

/* Which raw tag (script, pre, style, textarea) opens at s[i] == '<', or -1. */
static int raw_tag_at(const unsigned char *s, size_t n, size_t i)
{
    int k;
    for (k = 0; k < 4; k++) {
        size_t l = strlen(RAW_TAGS[k]);
        if (starts_with_ci(s, n, i + 1, RAW_TAGS[k]) &&
            (i + 1 + l >= n || s[i + 1 + l] == ' ' || s[i + 1 + l] == '>' || s[i + 1 + l] == '\t'))
            return k;
    }
    return -1;
}

static int raw_closes(const unsigned char *s, size_t n, size_t from, int k)
{
    static const char *const CLOSE[4] = {"</script", "</pre", "</style", "</textarea"};
    return find_ci(s, n, from, CLOSE[k]);
}

static int has_comment_end(const unsigned char *s, size_t n, size_t from)
{
    size_t i;
    for (i = from; i + 2 < n; i++)
        if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
            return 1;
    return 0;
}

/* A list marker at s[i]: returns the offset after it (and the space), or 0.
 * An ordered list interrupts a paragraph only when it starts at 1, and an
 * empty item never does (CommonMark), so "2020. A year" wraps as prose. */
static size_t list_marker(const unsigned char *s, size_t n, size_t i, int para)
{
    size_t j = i;
    unsigned long num = 0;
    if (i >= n)
        return 0;
    if (s[i] == '-' || s[i] == '*' || s[i] == '+') {
        j = i + 1;
    } else {
        while (j < n && j - i < 9 && (unsigned)(s[j] - '0') < 10u)
            num = num * 10 + (unsigned long)(s[j++] - '0');
        if (j == i || j >= n || (s[j] != '.' && s[j] != ')'))
            return 0;
        if (para && num != 1)
            return 0;
        j++;
    }
    if (j < n && s[j] != ' ' && s[j] != '\t')
        return 0;
    if (para && blank_from(s, n, j))
        return 0;
    while (j < n && (s[j] == ' ' || s[j] == '\t'))
        j++;
    return j;
}

/* Classifies one line (without its '\n') given the state at its start and
 * moves *st to the state at the next line. *content gets where a heading's
 * text starts. */
static int analyze_line(pl_md_state *st, const unsigned char *s, size_t n, size_t *content)
{
    pl_md_state state = *st;
    unsigned mode = state & ST_MODE, cols, ccols;
    int para = (state & ST_PARA) != 0, in_list = (state & ST_LIST) != 0;
    int quoted = 0, item = 0;
    size_t p, q, run, name, name_len;
    pl_md_state next = (state | ST_STARTED) & ~(ST_PARA | ST_QUOTE);
    int kind;

    *content = 0;
    p = skip_indent(s, n, 0, &cols);
    if (mode == MODE_FENCE) {
        unsigned char ch = state & ST_TILDE ? '~' : '`';
        size_t need = (state >> ST_FLEN_SHIFT) & 0xFFu;
        unsigned findent = (state >> ST_FINDENT_SHIFT) & 0xFu;
        q = p;
        while (q < n && s[q] == '>') {
            q++;
            q = skip_indent(s, n, q, &ccols);
        }
        run = fence_run(s, n, q);
        if (run >= need && s[q] == ch && cols <= findent + 3 && blank_from(s, n, q + run))
            next &= ~(ST_MODE | ST_TILDE | (0xFu << ST_FINDENT_SHIFT) | (0xFFu << ST_FLEN_SHIFT));
        *st = next;
        return LK_SKIP;
    }
    if (mode == MODE_YAML || mode == MODE_TOML) {
        const char *close = mode == MODE_YAML ? "---" : "+++";
        if ((n >= 3 && memcmp(s, close, 3) == 0 && blank_from(s, n, 3)) ||
            (mode == MODE_YAML && n >= 3 && memcmp(s, "...", 3) == 0 && blank_from(s, n, 3)))
            next &= ~ST_MODE;
        *st = next;
        return LK_SKIP;
    }
    if (mode == MODE_COMMENT || mode == MODE_RAW) {
        if (mode == MODE_COMMENT ? has_comment_end(s, n, 0)
                                 : raw_closes(s, n, 0, (int)((state >> ST_RAW_SHIFT) & 3u)))
            next &= ~(ST_MODE | (3u << ST_RAW_SHIFT));
        *st = next;
        return LK_SKIP;
    }
    if (mode == MODE_HTML) {
        if (p < n && !blank_from(s, n, p)) {
            *st = next;
            return LK_SKIP;
        }
        *st = next & ~ST_MODE;
        return LK_BLANK;
    }

    /* Plain text from here on. Most lines start with a letter, as no block
     * but a paragraph does. */
    if (n && (unsigned)((s[0] | 0x20) - 'a') < 26u)
        goto text; /* not indented, quoted or an item */
    if (!(state & ST_STARTED) && n >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "+++", 3) == 0) &&
        blank_from(s, n, 3)) {
        *st = next | (s[0] == '-' ? MODE_YAML : MODE_TOML);
        return LK_SKIP;
    }
    if (blank_from(s, n, p)) {
        *st = next;
        return LK_BLANK;
    }
    if (cols >= 4 && !para && !in_list) {
        *st = next;
        return LK_SKIP; /* indented code */
    }
    q = p;
    while (q < n && s[q] == '>') {
        quoted = 1;
        q = skip_indent(s, n, q + 1, &ccols);
    }
    if (quoted && blank_from(s, n, q)) {
        *st = next;
        return LK_BLANK;
    }
    if (para && (quoted != 0) == ((state & ST_QUOTE) != 0) &&
        (rule_line(s, n, q, '=', 0, 1) || rule_line(s, n, q, '-', 0, 1))) {
        *st = next;
        return LK_SETEXT;
    }
    if (rule_line(s, n, q, '-', 1, 3) || rule_line(s, n, q, '*', 1, 3) ||
        rule_line(s, n, q, '_', 1, 3)) {
        *st = next & (cols == 0 && !quoted ? ~ST_LIST : ~0u);
        return LK_SKIP;
    }
    {
        size_t after = list_marker(s, n, q, para);
        if (after) {
            item = 1;
            q = after;
        }
    }
    if (q >= n) { /* an empty list item */
        *st = next | ST_PARA | ST_LIST;
        return LK_PARA_NEW;
    }
    if ((run = fence_run(s, n, q)) != 0) {
        size_t k;
        int ok = 1;
        if (s[q] == '`')
            for (k = q + run; k < n; k++)
                if (s[k] == '`')
                    ok = 0;
        if (ok) {
            next |= MODE_FENCE | (s[q] == '~' ? ST_TILDE : 0) |
                    (pl_md_state)(cols > 15 ? 15 : cols) << ST_FINDENT_SHIFT |
                    (pl_md_state)(run > 255 ? 255 : run) << ST_FLEN_SHIFT;
            if (item)
                next |= ST_LIST;
            else if (cols == 0 && !quoted && !para)
                next &= ~ST_LIST;
            *st = next;
            return LK_SKIP;
        }
    }
    if (s[q] == '#') {
        size_t h = q;
        while (h < n && s[h] == '#' && h - q < 7)
            h++;
        if (h - q <= 6 && (h == n || s[h] == ' ' || s[h] == '\t')) {
            while (h < n && (s[h] == ' ' || s[h] == '\t'))
                h++;
            *content = h;
            if (item)
                next |= ST_LIST;
            else if (cols == 0 && !quoted)
                next &= ~ST_LIST;
            *st = next;
            return LK_HEADING;
        }
    }
    if (s[q] == '<' && cols < 4) {
        int raw = raw_tag_at(s, n, q);
        size_t end = 0;
        if (starts_with_ci(s, n, q, "<!--")) {
            *st = has_comment_end(s, n, q + 4) ? next : next | MODE_COMMENT;
            return LK_SKIP;
        }
        if (raw >= 0) {
            *st = raw_closes(s, n, q, raw) ? next
                                           : next | MODE_RAW | (pl_md_state)raw << ST_RAW_SHIFT;
            return LK_SKIP;
        }
        if (q + 1 < n && (s[q + 1] == '?' || s[q + 1] == '!')) {
            *st = next;
            return LK_SKIP;
        }
        end = html_tag_end(s, n, q, &name, &name_len, NULL);
        if (end && (is_block_tag(s, name, name_len) || (!para && blank_from(s, n, end)))) {
            *st = next | MODE_HTML;
            return LK_SKIP;
        }
        if (!end && q + 1 < n) {
            /* "<div" with attributes on the next lines still opens a block. */
            size_t j = q + 1 + (s[q + 1] == '/');
            size_t k = j;
            while (k < n && ascii_alnum(s[k]))
                k++;
            if (k > j && (k == n || s[k] == ' ' || s[k] == '\t') && is_block_tag(s, j, k - j)) {
                *st = next | MODE_HTML;
                return LK_SKIP;
            }
        }
    }
    if (!para && s[q] == '[' && q + 1 < n && s[q + 1] != '^') {
        size_t k = q + 1;
        while (k < n && s[k] != ']')
            k++;
        if (k > q + 1 && k + 1 < n && s[k + 1] == ':') {
            *st = next;
            return LK_SKIP; /* reference definition */
        }
    }
text:
    kind = (item || !para || (quoted && !(state & ST_QUOTE))) ? LK_PARA_NEW : LK_PARA;
    next |= ST_PARA;
    if (quoted || (kind == LK_PARA && (state & ST_QUOTE)))
        next |= ST_QUOTE;
    if (item)
        next |= ST_LIST;
    else if (!para && cols == 0 && !quoted)
        next &= ~ST_LIST;
    *st = next;
    return kind;
}

/* ---- Matching ---- */

typedef struct match_ctx {
    const pl_matcher *m;
    const char *s;
    const unsigned char *u;
    size_t n;
    size_t min_length;
    pl_match_once once;
    unsigned char *excluded; /* bitmap over dense ids, or NULL */
    int plain;               /* no exclusions, no minimum length: key_plain applies */
    unsigned char *seen;     /* bitmap over dense ids for "once", or NULL */
    size_t id_bytes;
    pl_match_list *out;
    /* The prose waiting to be scanned: paragraphs apart only by blank
     * lines are scanned as one stretch [pend_start, pend_end) (no term runs
     * across a blank line), with the exclusions of each. */
    size_t pend_start, pend_end;
    int pending;
    size_t *excl; /* pairs [start, end) of the pending stretch, sorted */
    size_t excl_count, excl_cap;
    size_t *sup; /* positions an escape comment protects */
    size_t sup_count, sup_cap, sup_next;
    size_t no_code_close[MEMO_RUNS + 1]; /* no closing run of that length at or after */
    int code_memo_set;                   /* no_code_close holds for this region */
    size_t no_comment_close, no_wiki_close;
    size_t budget;      /* bytes the searches of this paragraph may still read */
    size_t email_floor; /* the last '@' seen: a local part never holds one */
    /* Where the lines of the stretch being matched start (its paragraphs'
     * lines and the blank lines between them, or a heading's one), for
     * line/column: region_line is the number of the first (from 0 in this
     * call), line_at the cursor. */
    size_t *line_starts;
    size_t line_count, line_cap, line_at, region_line;
    size_t first_line;
    int failed;
    int x512; /* the AVX-512 word scan (pl_matcher.x512, unless the options say portable) */
} match_ctx;

static int add_excl(match_ctx *c, size_t start, size_t end)
{
    if (c->excl_count && start < c->excl[2 * c->excl_count - 1])
        start = c->excl[2 * c->excl_count - 1];
    if (start >= end)
        return 0;
    if (pl_grow((void **)&c->excl, &c->excl_cap, 2 * c->excl_count + 2, sizeof *c->excl) != 0)
        return -1;
    c->excl[2 * c->excl_count] = start;
    c->excl[2 * c->excl_count + 1] = end;
    c->excl_count++;
    return 0;
}

static size_t last_excl_end(const match_ctx *c)
{
    return c->excl_count ? c->excl[2 * c->excl_count - 1] : 0;
}

/* End of the backtick run of length len that closes a code span opened
 * before from, or 0. */
static size_t code_close(match_ctx *c, size_t from, size_t end, size_t len)
{
    const unsigned char *u = c->u;
    size_t i = from;
    if (!c->code_memo_set) { /* the region's first code span: most regions have none */
        size_t k;
        for (k = 0; k <= MEMO_RUNS; k++)
            c->no_code_close[k] = (size_t)-1;
        c->code_memo_set = 1;
    }
    if (len <= MEMO_RUNS && c->no_code_close[len] <= from)
        return 0;
    while (i < end) {
        const unsigned char *hit = memchr(u + i, '`', end - i);
        size_t j;
        if (!hit)
            break;
        i = (size_t)(hit - u);
        j = i;
        while (j < end && u[j] == '`')
            j++;
        if (j - i == len)
            return j;
        i = j;
    }
    if (len <= MEMO_RUNS)
        c->no_code_close[len] = from;
    return 0;
}

/* How far a search from i may look: SCAN_MAX, and no further than the
 * paragraph's work budget allows, so that a paragraph of a million '['
 * still takes linear time (its brackets then count as text). */
static size_t scan_limit(const match_ctx *c, size_t i, size_t end)
{
    size_t room = end - i > SCAN_MAX ? SCAN_MAX : end - i;
    return i + (room > c->budget ? c->budget : room);
}

/* Takes what a search read, [from, to), from the budget; returns result. */
static size_t charge(match_ctx *c, size_t from, size_t to, size_t result)
{
    c->budget -= to - from < c->budget ? to - from : c->budget;
    return result;
}

/* The ']' that closes the '[' at u[i], skipping escapes and nested
 * brackets, or 0. */
static size_t bracket_close(match_ctx *c, size_t i, size_t end)
{
    const unsigned char *u = c->u;
    size_t depth = 0, start = i, limit = scan_limit(c, i, end);
    for (; i < limit; i++) {
        if (u[i] == '\\') {
            i++;
        } else if (u[i] == '[') {
            depth++;
        } else if (u[i] == ']') {
            if (--depth == 0)
                return charge(c, start, i, i);
        }
    }
    return charge(c, start, limit, 0);
}

/* The offset past the ')' closing a link destination that opens at u[i]. */
static size_t paren_close(match_ctx *c, size_t i, size_t end)
{
    const unsigned char *u = c->u;
    size_t depth = 0, start = i, limit = scan_limit(c, i, end);
    unsigned char quote = 0;
    for (; i < limit; i++) {
        unsigned char b = u[i];
        if (b == '\\') {
            i++;
        } else if (quote) {
            if (b == quote)
                quote = 0;
        } else if (b == '"' && depth == 1) {
            quote = b;
        } else if (b == '(') {
            depth++;
        } else if (b == ')') {
            if (--depth == 0)
                return charge(c, start, i, i + 1);
        }
    }
    return charge(c, start, limit, 0);
}

/* End of a bare URL whose address starts at u[i]: up to white space or
 * '<', without trailing punctuation or an unbalanced ')' (as GFM does). */
static size_t url_end(const unsigned char *u, size_t i, size_t end)
{
    size_t j = i, open = 0, close = 0, k;
    while (j < end && u[j] > ' ' && u[j] != '<')
        j++;
    for (k = i; k < j; k++) {
        open += u[k] == '(';
        close += u[k] == ')';
    }
    while (j > i) {
        unsigned char b = u[j - 1];
        if (b == '?' || b == '!' || b == '.' || b == ',' || b == ':' || b == '*' || b == '_' ||
            b == '~' || b == '\'' || b == '"' || b == ';') {
            j--;
        } else if (b == ')' && close > open) {
            close--;
            j--;
        } else {
            break;
        }
    }
    return j;
}

static int email_local(unsigned char b)
{
    return ascii_alnum(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-';
}

/* An HTML comment at u[i]; records the escape. Returns its end or 0. */
static size_t comment_at(match_ctx *c, size_t i, size_t end)
{
    const unsigned char *u = c->u;
    size_t j, a, b;
    if (c->no_comment_close <= i)
        return 0;
    for (j = i + 4; j + 2 < end; j++)
        if (u[j] == '-' && u[j + 1] == '-' && u[j + 2] == '>')
            break;
    if (j + 2 >= end) {
        c->no_comment_close = i;
        return 0;
    }
    a = i + 4;
    b = j;
    while (a < b && (u[a] == ' ' || u[a] == '\t'))
        a++;
    while (b > a && (u[b - 1] == ' ' || u[b - 1] == '\t'))
        b--;
    if (b - a == 7 && memcmp(u + a, "no-link", 7) == 0) {
        size_t after = j + 3;
        while (after < end && (u[after] == ' ' || u[after] == '\t'))
            after++;
        if (pl_grow((void **)&c->sup, &c->sup_cap, c->sup_count + 1, sizeof *c->sup) != 0)
            return (size_t)-1;
        c->sup[c->sup_count++] = after;
    }
    return j + 3;
}

/* Text of these elements is code or already a link. */
static int opaque_element(const unsigned char *u, size_t name, size_t len)
{
    static const char *const NAMES[] = {"a",   "code",   "kbd",   "samp",
                                        "pre", "script", "style", "textarea"};
    size_t k;
    for (k = 0; k < sizeof NAMES / sizeof NAMES[0]; k++)
        if (strlen(NAMES[k]) == len && starts_with_ci(u, name + len, name, NAMES[k]))
            return 1;
    return 0;
}

/* The end of the closing tag </name ...> after from, or 0. */
static size_t element_close(match_ctx *c, size_t from, size_t end, size_t name, size_t len)
{
    const unsigned char *u = c->u;
    size_t i, limit = scan_limit(c, from, end);
    for (i = from; i + 2 + len < limit; i++) {
        if (u[i] == '<' && u[i + 1] == '/') {
            size_t k;
            for (k = 0; k < len && lower_ascii(u[i + 2 + k]) == lower_ascii(u[name + k]); k++)
                ;
            if (k == len && !ascii_alnum(u[i + 2 + len])) {
                const unsigned char *gt = memchr(u + i, '>', limit - i);
                return charge(c, from, i, gt ? (size_t)(gt - u) + 1 : 0);
            }
        }
    }
    return charge(c, from, limit, 0);
}

/* Handles '<' at u[i]: autolink, comment, tag. Returns the end of what it
 * excluded, 0 when the '<' is literal, (size_t)-1 when out of memory. */
static size_t angle_at(match_ctx *c, size_t i, size_t end)
{
    const unsigned char *u = c->u;
    size_t j = i + 1, name, len, tag_end, read;
    if (j >= end)
        return 0;
    if (u[j] == '!' && j + 2 < end && u[j + 1] == '-' && u[j + 2] == '-')
        return comment_at(c, i, end);
    if ((unsigned)((u[j] | 0x20) - 'a') < 26u) {
        /* Autolink <scheme:...> or <user@host>. */
        size_t k = j;
        while (k < end && (ascii_alnum(u[k]) || u[k] == '+' || u[k] == '.' || u[k] == '-'))
            k++;
        if (k < end && (u[k] == ':' || u[k] == '@')) {
            size_t e = k;
            while (e < end && u[e] > ' ' && u[e] != '<' && u[e] != '>')
                e++;
            if (e < end && u[e] == '>' && (u[k] == '@' || k - j >= 2))
                return e + 1;
        }
        k = j;
        while (k < end && email_local(u[k]))
            k++;
        if (k < end && u[k] == '@') {
            size_t e = k;
            while (e < end && u[e] > ' ' && u[e] != '<' && u[e] != '>')
                e++;
            if (e < end && u[e] == '>')
                return e + 1;
        }
    }
    if (u[j] == '?' || u[j] == '!') {
        size_t limit = scan_limit(c, j, end);
        const unsigned char *gt = memchr(u + j, '>', limit - j);
        return gt ? charge(c, j, (size_t)(gt - u), (size_t)(gt - u) + 1) : charge(c, j, limit, 0);
    }
    tag_end = html_tag_end(u, scan_limit(c, i, end), i, &name, &len, &read);
    charge(c, 0, read, 0);
    if (!tag_end)
        return 0;
    if (u[j] != '/' && u[tag_end - 2] != '/' && opaque_element(u, name, len)) {
        size_t close = element_close(c, tag_end, end, name, len);
        if (close)
            return close;
    }
    return tag_end;
}

/* Handles '[' (and a '!' before it) at u[i]. Returns the end or 0. */
static size_t bracket_at(match_ctx *c, size_t i, size_t end)
{
    const unsigned char *u = c->u;
    size_t close, k;
    if (i + 1 < end && u[i + 1] == '[') {
        size_t j;
        if (c->no_wiki_close <= i)
            return 0;
        for (j = i + 2; j + 1 < end && j - i < SCAN_MAX; j++)
            if (u[j] == ']' && u[j + 1] == ']')
                return j + 2;
        if (j + 1 >= end)
            c->no_wiki_close = i;
    }
    close = bracket_close(c, i, end);
    if (!close)
        return 0;
    k = close + 1;
    if (k < end && u[k] == '(') {
        size_t e = paren_close(c, k, end);
        return e ? e : k;
    }
    if (k < end && u[k] == '[') {
        size_t e = bracket_close(c, k, end);
        return e ? e + 1 : k;
    }
    return k;
}

#ifdef PL_SSE2
/* Bit i set when u[i] is one of the INLINE_SPECIAL bytes, 16 bytes from u. */
/* Bit k set when a construct may start at u[k], 16 bytes from u: reads
 * u[-1] and u[16] too. A '.' counts only after a 'w' (www.), a ':' only
 * before a '/' (://): prose is full of both. */
static inline unsigned special16(const unsigned char *u)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)u);
    __m128i before = _mm_loadu_si128((const __m128i *)(const void *)(u - 1));
    __m128i after = _mm_loadu_si128((const __m128i *)(const void *)(u + 1));
    __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('`'))),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('[')))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')), _mm_cmpeq_epi8(v, _mm_set1_epi8('@'))));
    __m128i dot = _mm_and_si128(
        _mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
        _mm_cmpeq_epi8(_mm_or_si128(before, _mm_set1_epi8(0x20)), _mm_set1_epi8('w')));
    __m128i colon = _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')),
                                  _mm_cmpeq_epi8(after, _mm_set1_epi8('/')));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(hit, _mm_or_si128(dot, colon)));
}

#ifdef PL_X512
/* The same 64 bytes at a time, the last ones of the region masked:
 * returns the first such k >= i, or r1; i = 0 (no byte before it) as it
 * is, for the caller's loops. */
PL_X512_TARGET static size_t next_special_x512(const match_ctx *c, size_t i, size_t r1)
{
    const unsigned char *u = c->u;
    while (i >= 1 && i < r1) {
        size_t left = r1 - i;
        uint64_t in = left >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << left) - 1;
        size_t more = c->n - i - 1; /* bytes after u[i] */
        uint64_t next_in = more >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << more) - 1;
        __m512i v = _mm512_maskz_loadu_epi8(in, u + i);
        __m512i before =
            _mm512_or_si512(_mm512_maskz_loadu_epi8(in, u + i - 1), _mm512_set1_epi8(0x20));
        __m512i after = _mm512_maskz_loadu_epi8(next_in, u + i + 1);
        uint64_t hit = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\')) |
                       _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('`')) |
                       _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('<')) |
                       _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('[')) |
                       _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('&')) |
                       _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('@')) |
                       (_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('.')) &
                        _mm512_cmpeq_epi8_mask(before, _mm512_set1_epi8('w'))) |
                       (_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(':')) &
                        _mm512_cmpeq_epi8_mask(after, _mm512_set1_epi8('/')));
        if (hit)
            return i + (size_t)__builtin_ctzll(hit);
        if (left <= 64)
            return r1;
        i += 64;
    }
    return i;
}
#endif
#endif

/* Adds to c->excl what is not prose in the region [r0, r1). */
static int find_exclusions(match_ctx *c, size_t r0, size_t r1)
{
    const unsigned char *u = c->u;
    size_t i = r0;
    c->code_memo_set = 0;
    c->no_comment_close = c->no_wiki_close = (size_t)-1;
    c->budget = 8 * (r1 - r0) + 65536;
    c->email_floor = r0;
    while (i < r1) {
        unsigned char b;
        size_t e = 0, st;
#ifdef PL_SSE2
#ifdef PL_X512
        if (c->x512)
            i = next_special_x512(c, i, r1);
#endif
        while (i >= 1 && i + 16 <= r1 && i + 17 <= c->n) {
            unsigned hit = special16(u + i);
            if (hit) {
                i += (size_t)__builtin_ctz(hit);
                break;
            }
            i += 16;
        }
#endif
        while (i + 4 <= r1 && !(INLINE_SPECIAL[u[i]] | INLINE_SPECIAL[u[i + 1]] |
                                INLINE_SPECIAL[u[i + 2]] | INLINE_SPECIAL[u[i + 3]]))
            i += 4;
        while (i < r1 && !INLINE_SPECIAL[u[i]])
            i++;
        if (i >= r1)
            break;
        b = u[i];
        st = i;
        switch (b) {
        case '\\':
            i +=
                (i + 1 < r1 && u[i + 1] < 0x80 && u[i + 1] > ' ' && !ascii_alnum(u[i + 1])) ? 2 : 1;
            continue;
        case '`': {
            size_t j = i;
            while (j < r1 && u[j] == '`')
                j++;
            e = code_close(c, j, r1, j - i);
            if (!e) {
                i = j;
                continue;
            }
            break;
        }
        case '<':
            e = angle_at(c, i, r1);
            if (e == (size_t)-1)
                return -1;
            break;
        case '[':
            if (i > r0 && u[i - 1] == '!')
                st = i - 1;
            e = bracket_at(c, i, r1);
            break;
        case '&': {
            size_t j = i + 1;
            if (j < r1 && u[j] == '#') {
                j++;
                if (j < r1 && (u[j] | 0x20) == 'x')
                    j++;
            }
            while (j < r1 && j - i < 34 && ascii_alnum(u[j]))
                j++;
            if (j < r1 && u[j] == ';' && j > i + 1)
                e = j + 1;
            break;
        }
        case ':':
            if (i + 2 < r1 && u[i + 1] == '/' && u[i + 2] == '/') {
                size_t s0 = i;
                while (s0 > r0 && (ascii_alnum(u[s0 - 1]) || u[s0 - 1] == '+' || u[s0 - 1] == '.' ||
                                   u[s0 - 1] == '-'))
                    s0--;
                while (s0 < i && !((unsigned)((u[s0] | 0x20) - 'a') < 26u))
                    s0++;
                if (i - s0 >= 2) {
                    st = s0;
                    e = url_end(u, i + 3, r1);
                    if (e <= i + 3)
                        e = 0;
                }
            }
            break;
        case '.':
            if (i >= r0 + 3 && lower_ascii(u[i - 1]) == 'w' && lower_ascii(u[i - 2]) == 'w' &&
                lower_ascii(u[i - 3]) == 'w' && (i == r0 + 3 || !email_local(u[i - 4])) &&
                i + 1 < r1 && ascii_alnum(u[i + 1])) {
                st = i - 3;
                e = url_end(u, i, r1);
            }
            break;
        case '@': {
            size_t s0 = i, j = i + 1, dot = 0;
            while (s0 > c->email_floor && email_local(u[s0 - 1]))
                s0--;
            c->email_floor = i + 1;
            while (j < r1 && (ascii_alnum(u[j]) || u[j] == '-' || u[j] == '.')) {
                if (u[j] == '.' && j + 1 < r1 && ascii_alnum(u[j + 1]))
                    dot = j;
                j++;
            }
            while (j > i + 1 && (u[j - 1] == '.' || u[j - 1] == '-'))
                j--;
            if (s0 < i && dot > i + 1 && dot < j) {
                st = s0;
                e = j;
            }
            break;
        }
        default:
            i++;
            continue;
        }
        if (e > i || (e && st < i)) {
            if (st < last_excl_end(c))
                st = last_excl_end(c);
            if (add_excl(c, st, e) != 0)
                return -1;
            i = e > i ? e : i + 1;
        } else {
            i++;
        }
    }
    return 0;
}

/* Consumes the separator run at pos: white space and hyphens with at most
 * one line break (and the quote markers after it). Returns its end, or 0
 * when a second line break ends the paragraph. */
static size_t separator_run(const unsigned char *u, size_t limit, size_t pos)
{
    int lines = 0;
    size_t len;
    int k;
    while (pos < limit && (k = separator_at(u, limit, pos, &len)) != 0) {
        pos += len;
        if (k == 2) {
            if (lines++)
                return 0;
            while (pos < limit && (u[pos] == ' ' || u[pos] == '\t' || u[pos] == '>'))
                pos++;
        }
    }
    return pos;
}

/* The code point that ends just before u[end] (end > 0). */
static int32_t cp_before(const match_ctx *c, size_t end)
{
    size_t p = end - 1, l;
    while (p > 0 && (c->u[p] & 0xC0) == 0x80 && end - p < 4)
        p--;
    return pl_utf8_decode(c->s + p, c->n - p, &l);
}

static int32_t cp_at(const match_ctx *c, size_t i)
{
    size_t l;
    return c->u[i] < 0x80 ? c->u[i] : pl_utf8_decode(c->s + i, c->n - i, &l);
}

/* A word character that is not CJK: it glues to a Latin term. */
static int glues(int32_t cp)
{
    return is_word_cp(cp) && !pl_utf8_is_cjk(cp);
}

/* Whether a term whose first character is a letter or digit may start at
 * u[i]. Joiners count as part of the word when they touch one: '_' always,
 * '.' and '-' when single ("--" is a dash, ".." an ellipsis). */
static inline int left_ok(const match_ctx *c, size_t i)
{
    const unsigned char *u = c->u;
    size_t p;
    unsigned char b;
    if (i == 0 || u[i - 1] == ' ')
        return 1;
    p = i - 1;
    b = u[p];
    if (b >= 0x80)
        return !glues(cp_before(c, i));
    if (ascii_alnum(b) || b == '#' || b == '@')
        return 0;
    if (b == '_') {
        while (p > 0 && u[p - 1] == '_')
            p--;
    } else if (b == '.' || b == '-') {
        if (p > 0 && u[p - 1] == b)
            return 1;
    } else {
        return 1;
    }
    return p == 0 || !is_word_cp(cp_before(c, p));
}

/* The same for a term ending with a letter or digit just before u[i]. */
static int right_ok(const match_ctx *c, size_t i)
{
    const unsigned char *u = c->u;
    unsigned char b;
    if (i >= c->n)
        return 1;
    b = u[i];
    if (b >= 0x80)
        return !glues(cp_at(c, i));
    if (ascii_alnum(b) || b == '@')
        return 0;
    if (b == '_') {
        while (i < c->n && u[i] == '_')
            i++;
    } else if (b == '.' || b == '-') {
        if (++i < c->n && u[i] == b)
            return 1;
    } else {
        return 1;
    }
    return i >= c->n || !(is_word_cp(cp_at(c, i)) || u[i] == '_');
}

/* A line break between two CJK characters separates nothing: wrapped
 * Chinese or Japanese text joins up again. */
static int cjk_wrap(const match_ctx *c, size_t run_start, size_t run_end)
{
    return run_start > 0 && run_end < c->n &&
           memchr(c->u + run_start, '\n', run_end - run_start) != NULL &&
           pl_utf8_is_cjk(cp_before(c, run_start)) && pl_utf8_is_cjk(cp_at(c, run_end));
}

/* Writes the unfolded normalized text of s[start..end) (as normalize_term
 * would) to out[0..cap); returns its length, or cap + 1 when it is longer. */
static size_t display_of(const match_ctx *c, size_t start, size_t end, unsigned char *out,
                         size_t cap)
{
    const unsigned char *u = c->u;
    size_t pos = start, w = 0, len, sl;
    while (pos < end) {
        if (separator_at(u, end, pos, &len)) {
            size_t q = separator_run(u, end, pos);
            if (w + 1 > cap || !q)
                return cap + 1;
            if (!cjk_wrap(c, pos, q))
                out[w++] = ' ';
            pos = q;
            continue;
        }
        if (w + SYM_MAX > cap)
            return cap + 1;
        pos += symbol_at(c->s, end, pos, 0, out + w, &sl);
        w += sl;
    }
    return w;
}

/* Case policies, checked on the note's own text of a candidate. */
static int case_ok(const match_ctx *c, size_t start, size_t end, const spec_info *sp)
{
    const char *want = c->m->display + sp->disp_off;
    unsigned char got[2 * KEY_MAX + SYM_MAX];
    size_t len = display_of(c, start, end, got, sizeof got), i = 0, j = 0;
    int word_start = 1, caps = 1;

    if (len == sp->disp_len && memcmp(got, want, len) == 0)
        return 1;
    if (sp->policy == PL_CASE_EXACT || len > sizeof got)
        return 0;
    /* ALL CAPS: no small letter anywhere. */
    while (i < len && caps) {
        size_t l;
        caps = !pl_utf8_is_lower(pl_utf8_decode((const char *)got + i, len - i, &l));
        i += l;
    }
    if (caps)
        return 1;
    /* Title Case: as in the spec, except that a word may start with the
     * capital of the spec's small letter. */
    i = 0;
    while (i < len && j < sp->disp_len) {
        size_t la, lb;
        int32_t a = pl_utf8_decode((const char *)got + i, len - i, &la);
        int32_t b = pl_utf8_decode(want + j, sp->disp_len - j, &lb);
        if (a != b && !(word_start && pl_utf8_is_upper(a) && utf8proc_tolower(a) == b))
            return 0;
        word_start = !(is_word_cp(a) || a == '\'');
        i += la;
        j += lb;
    }
    return i == len && j == sp->disp_len;
}

/* Whether a key ending at end is a match for some spec; *hit gets it. */
static int accept(const match_ctx *c, size_t start, size_t end, uint32_t key, term_hit *hit)
{
    const pl_matcher *m = c->m;
    const key_info *k;
    int32_t last = c->u[end - 1] < 0x80 ? c->u[end - 1] : cp_before(c, end);
    uint32_t i;
    if (is_word_cp(last) ? !pl_utf8_is_cjk(last) && !right_ok(c, end)
                         : end < c->n && glues(cp_at(c, end)))
        return 0;
    if (c->plain && m->key_plain[key].spec != NOT_PLAIN) {
        *hit = m->key_plain[key];
        return 1;
    }
    k = &m->keys[key];
    for (i = k->first; i < k->first + k->count; i++) {
        const spec_info *sp = &m->specs[i];
        if (c->excluded && (c->excluded[sp->dense >> 3] >> (sp->dense & 7)) & 1)
            continue;
        if (sp->cps < c->min_length)
            continue;
        if (sp->policy != PL_CASE_INSENSITIVE && !case_ok(c, start, end, sp))
            continue;
        hit->spec = i;
        hit->id = m->spec_ids[i];
        return 1;
    }
    return 0;
}

/* Keeps the longest acceptable candidate ending at pos. */
static void candidate(const match_ctx *c, size_t start, size_t pos, uint32_t key, int *found,
                      size_t *end, term_hit *hit)
{
    term_hit h;
    if (key && accept(c, start, pos, key - 1, &h)) {
        *found = 1;
        *end = pos;
        *hit = h;
    }
}

/* Walks the trie for a match starting at start, from cell st at pos (a
 * first word may have been stepped already through edge). On success *end
 * and *hit get the longest acceptable candidate (else they are left as they
 * were). */
static int walk(const match_ctx *c, size_t start, size_t limit, int32_t st, size_t pos,
                const word_edge *edge, size_t *end, term_hit *hit)
{
    const pl_matcher *m = c->m;
    const da_cell *cells = m->cells;
    const unsigned char *u = c->u;
    int32_t t;
    int found = 0, mid_word = edge != NULL; /* the last trie byte was a letter or digit */
    unsigned char sym[SYM_MAX];

    if (edge)
        candidate(c, start, pos, edge->key, &found, end, hit);
    while (pos < limit) {
        unsigned char b = u[pos];
        const word_edge *w = NULL;
        if (ascii_alnum(b) && !mid_word) {
            size_t e;
            if ((e = word_end_within(u, c->n, pos + 1, limit)) == limit || u[e] < 0x80) {
                w = word_step(m, st, u + pos, e - pos, c->n - pos);
                if (!w)
                    break;
                st = w->to;
                pos = e;
            } else {
                /* A non-ASCII letter follows: byte by byte, the last one
                 * with its marks. Ends inside a word are never matches. */
                for (; pos + 1 < e; pos++) {
                    t = cells[st].base + m->cls[m->ascii_sym[u[pos]]];
                    if (cells[t].check != st)
                        return found;
                    st = t;
                }
                b = u[pos];
            }
        }
        if (w) {
            mid_word = 1;
        } else if (b < 0x80 && m->ascii_sym[b] && (pos + 1 >= limit || u[pos + 1] < 0x80)) {
            /* Punctuation after a word (one word in six): most words end
             * their keys or go on with a separator only. */
            if (edge && !edge->goes_on)
                break;
            t = cells[st].base + m->cls[m->ascii_sym[b]];
            if (cells[t].check != st)
                break;
            st = t;
            pos++;
            mid_word = ascii_alnum(b);
        } else {
            size_t len, sl, k;
            if (b == ' ' && pos + 1 < limit && ascii_alnum(u[pos + 1]) && edge) {
                /* One space between words: the common case, no run to read. */
                if (edge->after_sep < 0)
                    break;
                st = edge->after_sep;
                pos++;
                edge = NULL;
                mid_word = 0;
                continue;
            }
            if (separator_at(u, limit, pos, &len)) {
                size_t q = pos == start ? 0 : separator_run(u, limit, pos);
                t = edge ? edge->after_sep : da_step(m, st, ' ');
                edge = NULL;
                mid_word = 0;
                if (q && t >= 0) {
                    st = t;
                    pos = q;
                    continue;
                }
                if (q && q < limit && cjk_wrap(c, pos, q)) {
                    pos = q;
                    continue;
                }
                break;
            }
            len = symbol_at(c->s, limit, pos, 1, sym, &sl);
            if (sl == 0)
                break;
            for (k = 0; k < sl; k++) {
                t = cells[st].base + m->cls[sym[k]];
                if (cells[t].check != st)
                    return found;
                st = t;
            }
            pos += len;
            mid_word = ascii_alnum(sym[sl - 1]);
        }
        edge = w;
        if (w ? w->key : cells[st].key)
            candidate(c, start, pos, w ? w->key : cells[st].key, &found, end, hit);
    }
    return found;
}

/* Line and column of off, which is in the region: matches come in order,
 * so the cursor only moves forward, and no byte is read again (match_text
 * found the line starts). */
static void locate(match_ctx *c, size_t off, size_t *line, size_t *col)
{
    while (c->line_at + 1 < c->line_count && c->line_starts[c->line_at + 1] <= off)
        c->line_at++;
    *line = c->first_line + c->region_line + c->line_at;
    *col = off - c->line_starts[c->line_at];
}

/* Starts the line list of a region over with the line at pos (number
 * line_no), or adds a line to it (restart 0). */
static int region_line(match_ctx *c, size_t pos, size_t line_no, int restart)
{
    if (restart) {
        c->line_count = 0;
        c->line_at = 0;
        c->region_line = line_no;
    }
    if (c->line_count == c->line_cap && pl_grow((void **)&c->line_starts, &c->line_cap,
                                                c->line_count + 1, sizeof *c->line_starts) != 0)
        return -1;
    c->line_starts[c->line_count++] = pos;
    return 0;
}

static int emit(match_ctx *c, size_t start, size_t end, const term_hit *hit)
{
    pl_match *mt;
    if (c->seen) {
        uint32_t dense = c->m->specs[hit->spec].dense;
        unsigned char bit = (unsigned char)(1u << (dense & 7));
        if (c->seen[dense >> 3] & bit)
            return 0;
        c->seen[dense >> 3] |= bit;
    }
    if (pl_grow((void **)&c->out->items, &c->out->cap, c->out->count + 1, sizeof *mt) != 0)
        return -1;
    mt = &c->out->items[c->out->count++];
    mt->start = start;
    mt->end = end;
    mt->id = hit->id;
    locate(c, start, &mt->line, &mt->col);
    locate(c, end, &mt->end_line, &mt->end_col);
    return 0;
}

/* Reports the match [pos, end) of hit, unless an escape swallows it; *next
 * goes past it. Returns 1, or -1 on OOM. */
static int report(match_ctx *c, size_t pos, size_t end, const term_hit *hit, size_t *next)
{
    while (c->sup_next < c->sup_count && c->sup[c->sup_next] < pos)
        c->sup_next++;
    *next = end;
    if (c->sup_next < c->sup_count && c->sup[c->sup_next] == pos)
        return 1;
    return emit(c, pos, end, hit) ? -1 : 1;
}

/* Tries a match at pos (after a first word [pos, first_end) stepped through
 * first, if not NULL); returns 1 and sets *next past it when one is found
 * (reported, or swallowed by an escape or "once"), 0 when none, -1 on OOM. */
static int try_at(match_ctx *c, size_t pos, size_t limit, const word_edge *first, size_t first_end,
                  size_t *next)
{
    size_t end;
    term_hit hit;
    if (!(first ? walk(c, pos, limit, first->to, first_end, first, &end, &hit)
                : walk(c, pos, limit, 0, pos, NULL, &end, &hit)))
        return 0;
    return report(c, pos, end, &hit, next);
}

#define NO_WORD ((size_t)-1)

/* Whether a key may start with the word u[ps, pe) (pg: its gate_word),
 * from what follows it: the gate holds the word alone (when some key is one
 * word), the word and the separator or punctuation byte after it, or, when
 * one space and the word u[s, e) (g) follow, the pair. A byte from 0x80 up
 * after it may be anything (a letter, a curly quote, a no-break space): such
 * a word is always let through. */
static int word_opens(const match_ctx *c, size_t pe, uint64_t pg, size_t s, size_t e, uint64_t g,
                      size_t limit)
{
    const pl_matcher *m = c->m;
    const unsigned char *u = c->u;
    const uint64_t *line = gate_line(m, pg);
    int alone = m->gate_single && line_has(line, gate_bit_alone(pg));
    unsigned char b;
    if (pe >= limit)
        return alone;
    b = u[pe];
    if (s == pe + 1 && b == ' ' && (e == limit || u[e] < 0x80))
        return alone | line_has(line, gate_bit_pair(pg, g));
    if (b >= 0x80)
        return 1;
    return alone | line_has(line, gate_bit_pair(pg, gate_follow(m->ascii_sym[b] ? b : FOLLOW_SEP)));
}

/* word_opens for the block scan, where the word [ps, pe) is followed by an
 * ASCII byte inside the scan and by the word [s, e): the choice between the
 * pair and the byte after the word is a conditional move, not a branch (one
 * word in six is followed by punctuation, at random). */
static PL_INLINE int stream_opens(const match_ctx *c, int single, size_t pe, uint64_t pg, size_t s,
                                  size_t e, uint64_t g, size_t limit)
{
    const pl_matcher *m = c->m;
    const unsigned char *u = c->u;
    const uint64_t *line = gate_line(m, pg);
    unsigned char b = u[pe];
    int pair = (s == pe + 1) & (b == ' ') & (e == limit || u[e] < 0x80);
    uint64_t follow = m->gate_follows[b];
    uint64_t second = pair ? g : follow;
    int alone = single && line_has(line, gate_bit_alone(pg));
    return alone | line_has(line, gate_bit_pair(pg, second));
}

/* What the sequel filter says of a pair "w1 w2" (one space between):
 * nothing, or that no key goes on past w2 with the separator and the word
 * after it, or with the punctuation after it unless w2's edge does: then
 * try_words stops at w2. */
#define PAIR_MAY_GO_ON 1
#define PAIR_ENDS_AT_SEPARATOR 2
#define PAIR_ENDS_AT_PUNCTUATION 3

/* The edge of the ASCII word [pos, e) (g: its gate_word) at a word start
 * that the gate let through, or NULL with *r as try_at returns: 0 when no
 * key may start here, or what the walk from pos found when a byte from 0x80
 * up follows the word (it is walked byte by byte). */
static const word_edge *first_edge(match_ctx *c, size_t pos, size_t e, uint64_t g, size_t limit,
                                   int *r, size_t *next)
{
    const unsigned char *u = c->u;
    *r = 0;
    if (!left_ok(c, pos))
        return NULL;
    if (e < limit && u[e] >= 0x80) {
        *r = try_at(c, pos, limit, NULL, 0, next);
        return NULL;
    }
    return edge_find(c->m, 0, head_at(u, c->n, pos, e - pos), g, u + pos, e - pos);
}

/* Any ASCII word at a word start outside the block scan: asks the gate,
 * then walks from the word's edge. Returns as try_at does. */
static int try_word(match_ctx *c, size_t pos, size_t e, size_t limit, size_t *next)
{
    const unsigned char *u = c->u;
    size_t s2 = NO_WORD, e2 = 0;
    uint64_t g, g2 = 0;
    const word_edge *w;
    int r;
    if (!c->m->start_ok[u[pos]])
        return 0;
    if (e + 1 < limit && u[e] == ' ' && ascii_alnum(u[e + 1])) {
        s2 = e + 1;
        e2 = word_end_within(u, c->n, e + 2, limit);
        g2 = gate_word(head_at(u, c->n, s2, e2 - s2), e2 - s2);
    }
    g = gate_word(head_at(u, c->n, pos, e - pos), e - pos);
    if (!word_opens(c, e, g, s2, e2, g2, limit))
        return 0;
    w = first_edge(c, pos, e, g, limit, &r, next);
    return w ? try_at(c, pos, limit, w, e, next) : r;
}

#ifdef PL_SSE2
#define PL_BLOCKS 1
/* Bit i of the result is set when u[i] is an ASCII letter or digit, bit i
 * of *high when u[i] >= 0x80; 64 bytes from u. Signed compares: bytes from
 * 0x80 up are negative, so they are neither letters nor digits. */
static inline uint64_t block_masks(const unsigned char *u, uint64_t *high)
{
    uint64_t a = 0, h = 0;
    int k;
    for (k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + 16 * k));
        __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
        a |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(letter, digit)) << (16 * k);
        h |= (uint64_t)(uint16_t)_mm_movemask_epi8(v) << (16 * k);
    }
    *high = h;
    return a;
}

/* The ASCII words of a stretch of prose, a batch at a time: where they
 * start and end (from 64-byte blocks), then which of them the gate lets
 * through (each judged with the word after it), then those are tried. The
 * i-th end closes the i-th start. Two ways fill and judge a batch, with the
 * same result: portable code, and AVX-512 where the processor has it. */
#define BATCH_WORDS 128
#define BATCH_CAP (BATCH_WORDS + 64) /* a block adds up to 32 words */

typedef struct word_batch {
    size_t pos, stop; /* the next block; where the stretch ends */
    uint64_t carry;   /* the byte before pos is a letter or digit */
    int orphan;       /* the first end closes a word begun before the stretch */
    size_t starts, ends;
    size_t s[BATCH_CAP], e[BATCH_CAP];
    uint64_t g[BATCH_CAP];             /* gate_word of each word */
    uint64_t pass[BATCH_CAP / 64 + 1]; /* bit i: the gate lets word i through */
#ifdef PL_X512
    /* The byte after each word, as the blocks found it (none yet for the
     * last word of the blocks read), and whether the last block ended a word. */
    unsigned char after[BATCH_CAP + 64];
    size_t afters;
    uint64_t ended;
    uint64_t head[BATCH_CAP];
#endif
} word_batch;

/* Whether another block of the stretch is to be read (the last one of a
 * note may be short: its bytes past the note read as 0). */
static inline int batch_more(const word_batch *w)
{
    return w->pos < w->stop;
}

/* The word starts and ends of the block at w->pos from its masks (a:
 * letters and digits, high: bytes from 0x80 up); moves w->pos past the
 * block, or stops the stretch before a byte from 0x80 up (the byte-wise
 * scan reads it). */
static PL_INLINE void block_words(const match_ctx *c, word_batch *w, uint64_t a, uint64_t high,
                                  uint64_t *starts, uint64_t *ends)
{
    size_t pos = w->pos, span = w->stop - pos < 64 ? w->stop - pos : 64;
    uint64_t valid = span == 64 ? ~(uint64_t)0 : ((uint64_t)1 << span) - 1, more;
    if (high & valid) {
        span = (size_t)__builtin_ctzll(high & valid);
        valid = ((uint64_t)1 << span) - 1; /* span < 64 */
        w->stop = pos + span;
    }
    a &= valid;
    more = span == 64 && pos + 64 < w->stop && ALNUM[c->u[pos + 64]];
    *starts = a & ~(a << 1 | w->carry);
    *ends = a & ~(a >> 1 | more << 63);
    w->carry = a >> 63;
    if (w->orphan && *ends) {
        *ends &= *ends - 1;
        w->orphan = 0;
    }
    w->pos = pos + span;
}

static void collect_portable(const match_ctx *c, word_batch *w)
{
    while (w->starts < BATCH_WORDS && batch_more(w)) {
        size_t pos = w->pos;
        unsigned char last[64];
        const unsigned char *block = c->u + pos;
        uint64_t high, a, starts, ends;
        if (c->n - pos < 64) {
            memset(last, 0, sizeof last);
            memcpy(last, block, c->n - pos);
            block = last;
        }
        a = block_masks(block, &high);
        block_words(c, w, a, high, &starts, &ends);
        for (; starts; starts &= starts - 1)
            w->s[w->starts++] = pos + (size_t)__builtin_ctzll(starts);
        for (; ends; ends &= ends - 1)
            w->e[w->ends++] = pos + (size_t)__builtin_ctzll(ends) + 1;
    }
}

/* Judges words [0, k) of the batch (word k is complete too). */
static void judge_portable(const match_ctx *c, word_batch *w, size_t k, size_t limit)
{
    const unsigned char *u = c->u;
    const int single = c->m->gate_single;
    size_t i, j;
    for (i = 0; i <= k; i++)
        w->g[i] = gate_word(head_at(u, c->n, w->s[i], w->e[i] - w->s[i]), w->e[i] - w->s[i]);
    for (j = 0; 64 * j < k; j++) {
        uint64_t bits = 0;
        for (i = 64 * j; i < k && i < 64 * j + 64; i++)
            bits |= (uint64_t)stream_opens(c, single, w->e[i], w->g[i], w->s[i + 1], w->e[i + 1],
                                           w->g[i + 1], limit)
                    << (i & 63);
        w->pass[j] = bits;
    }
}

#ifdef PL_X512

static const unsigned char BYTE_INDEX[64] = {
    0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
    22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
    44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63};

/* Appends pos + the offsets of the bits of mask to out[*count...]: the
 * offsets are packed by one instruction, then widened 8 at a time. */
PL_X512_TARGET static PL_INLINE void append_offsets(uint64_t mask, size_t pos, size_t *out,
                                                    size_t *count)
{
    unsigned char packed[64];
    size_t j, bits = (size_t)__builtin_popcountll(mask);
    __m512i base = _mm512_set1_epi64((long long)pos);
    _mm512_storeu_si512(
        packed, _mm512_maskz_compress_epi8(mask, _mm512_loadu_si512((const void *)BYTE_INDEX)));
    for (j = 0; j < bits; j += 8) {
        __m128i eight = _mm_loadl_epi64((const __m128i *)(const void *)(packed + j));
        _mm512_storeu_si512(out + *count + j, _mm512_add_epi64(_mm512_cvtepu8_epi64(eight), base));
    }
    *count += bits;
}

/* Appends the word starts of mask (bits of the block v at pos, followed by
 * next) to w->s, with each word's first 8 bytes to w->head: the offsets are
 * packed by one instruction, then 8 words at a time are widened and their
 * bytes picked from the two blocks by another. */
PL_X512_TARGET static PL_INLINE void append_starts(uint64_t mask, size_t pos, __m512i v,
                                                   __m512i next, word_batch *w)
{
    unsigned char packed[64];
    size_t j, bits = (size_t)__builtin_popcountll(mask);
    const __m512i base = _mm512_set1_epi64((long long)pos);
    /* Byte 0 of each 64-bit lane into all 8 of its bytes (the shuffle works
     * in 16-byte lanes), then + 0..7. */
    const __m512i spread = _mm512_set_epi64(0x0808080808080808, 0, 0x0808080808080808, 0,
                                            0x0808080808080808, 0, 0x0808080808080808, 0);
    const __m512i step = _mm512_set1_epi64(0x0706050403020100);
    _mm512_storeu_si512(
        packed, _mm512_maskz_compress_epi8(mask, _mm512_loadu_si512((const void *)BYTE_INDEX)));
    for (j = 0; j < bits; j += 8) {
        __m512i offsets =
            _mm512_cvtepu8_epi64(_mm_loadl_epi64((const __m128i *)(const void *)(packed + j)));
        __m512i index = _mm512_add_epi8(_mm512_shuffle_epi8(offsets, spread), step);
        _mm512_storeu_si512(w->s + w->starts + j, _mm512_add_epi64(offsets, base));
        _mm512_storeu_si512(w->head + w->starts + j, _mm512_permutex2var_epi8(v, index, next));
    }
    w->starts += bits;
}

PL_X512_TARGET static void collect_x512(const match_ctx *c, word_batch *w)
{
    const __m512i fold = _mm512_set1_epi8(0x20), a_ = _mm512_set1_epi8('a');
    const __m512i zero_ = _mm512_set1_epi8('0');
    while (w->starts < BATCH_WORDS && batch_more(w)) {
        size_t pos = w->pos, avail = c->n - pos;
        __m512i v = _mm512_maskz_loadu_epi8(avail >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << avail) - 1,
                                            (const void *)(c->u + pos));
        uint64_t letter = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(_mm512_or_si512(v, fold), a_),
                                                 _mm512_set1_epi8(26));
        uint64_t digit = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, zero_), _mm512_set1_epi8(10));
        uint64_t starts, ends, after;
        size_t span;
        size_t rest = avail > 64 ? avail - 64 : 0; /* readable after the block */
        __m512i next =
            _mm512_maskz_loadu_epi8(rest >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << rest) - 1,
                                    (const void *)(c->u + pos + (rest ? 64 : 0)));
        block_words(c, w, letter | digit, _mm512_movepi8_mask(v), &starts, &ends);
        append_starts(starts, pos, v, next, w);
        append_offsets(ends, pos + 1, w->e, &w->ends);
        span = w->pos - pos;
        after = (ends << 1 | w->ended) & (span == 64 ? ~(uint64_t)0 : ((uint64_t)1 << span) - 1);
        _mm512_storeu_si512(w->after + w->afters, _mm512_maskz_compress_epi8(after, v));
        w->afters += (size_t)__builtin_popcountll(after);
        w->ended = ends >> 63;
    }
}

/* The gate's bits (numbers in the whole gate) of up to 8 words, each in
 * bit 0 of its lane: one gather. */
PL_X512_TARGET static PL_INLINE __m512i gate_bits(const pl_matcher *m, __m512i bit, __mmask8 lanes)
{
    __m512i words = _mm512_mask_i64gather_epi64(
        _mm512_setzero_si512(), lanes, _mm512_srli_epi64(bit, 6), (const void *)m->gate, 8);
    return _mm512_srlv_epi64(words, _mm512_and_si512(bit, _mm512_set1_epi64(63)));
}

/* judge_portable, 8 words at a time: the hashing, the choice between the
 * pair and the byte after (which the blocks kept), the gate's bit numbers
 * and its bits (a gather per 8 words) in vectors; a word's first 8 bytes
 * came with the blocks (see append_starts). */
PL_X512_TARGET static void judge_x512(const match_ctx *c, word_batch *w, size_t k, size_t limit)
{
    const pl_matcher *m = c->m;
    const unsigned char *u = c->u;
    const int single = m->gate_single;
    const __m512i one = _mm512_set1_epi64(1), eight = _mm512_set1_epi64(8);
    const __m128i gate_shift = _mm_cvtsi32_si128((int)m->gate_shift);
    size_t i;
    /* A word ending where the blocks read so far end may run on into a byte
     * from 0x80 up (every byte before is ASCII): then it pairs with nothing
     * (see word_opens). */
    const uint64_t stop = w->pos == limit || u[w->pos] < 0x80 ? (uint64_t)-1 : w->pos;
    for (i = 0; i <= k; i += 8) {
        __mmask8 lanes = (__mmask8)(k + 1 - i >= 8 ? 0xFF : (1u << (k + 1 - i)) - 1);
        __m512i len = _mm512_sub_epi64(_mm512_maskz_loadu_epi64(lanes, w->e + i),
                                       _mm512_maskz_loadu_epi64(lanes, w->s + i));
        __m512i cut = _mm512_slli_epi64(_mm512_sub_epi64(eight, _mm512_min_epu64(len, eight)), 3);
        __m512i head =
            _mm512_and_si512(_mm512_or_si512(_mm512_maskz_loadu_epi64(lanes, w->head + i),
                                             _mm512_set1_epi64((long long)0x2020202020202020u)),
                             _mm512_srlv_epi64(_mm512_set1_epi64(-1), cut));
        __m512i x = _mm512_xor_si512(head, _mm512_slli_epi64(len, 56));
        x = _mm512_mullo_epi64(x, _mm512_set1_epi64((long long)0xFF51AFD7ED558CCDu));
        _mm512_mask_storeu_epi64(w->g + i, lanes, _mm512_xor_si512(x, _mm512_srli_epi64(x, 31)));
    }
    for (i = 0; i < k; i += 8) {
        __mmask8 lanes = (__mmask8)(k - i >= 8 ? 0xFF : (1u << (k - i)) - 1);
        __m512i pg = _mm512_maskz_loadu_epi64(lanes, w->g + i);
        __m512i e = _mm512_maskz_loadu_epi64(lanes, w->e + i);
        __m512i e2 = _mm512_maskz_loadu_epi64(lanes, w->e + i + 1);
        __m512i after = _mm512_cvtepu8_epi64(
            _mm_loadl_epi64((const __m128i *)(const void *)(w->after + i))); /* < 0x80 */
        __mmask8 pair = _mm512_cmpeq_epi64_mask(_mm512_maskz_loadu_epi64(lanes, w->s + i + 1),
                                                _mm512_add_epi64(e, one)) &
                        _mm512_cmpeq_epi64_mask(after, _mm512_set1_epi64(' ')) &
                        _mm512_cmpneq_epi64_mask(e2, _mm512_set1_epi64((long long)stop));
        /* gate_follows[after], computed */
        __m512i symbol = _mm512_srlv_epi64(
            _mm512_mask_blend_epi64(_mm512_cmpge_epu64_mask(after, _mm512_set1_epi64(64)),
                                    _mm512_set1_epi64((long long)m->symbol_bits[0]),
                                    _mm512_set1_epi64((long long)m->symbol_bits[1])),
            _mm512_and_si512(after, _mm512_set1_epi64(63)));
        __m512i follow =
            _mm512_xor_si512(_mm512_mask_blend_epi64(_mm512_test_epi64_mask(symbol, one),
                                                     _mm512_set1_epi64(FOLLOW_SEP), after),
                             _mm512_set1_epi64((long long)0xC4CEB9FE1A85EC53u));
        __m512i second =
            _mm512_mask_blend_epi64(pair, follow, _mm512_maskz_loadu_epi64(lanes, w->g + i + 1));
        __m512i line = _mm512_slli_epi64(_mm512_srl_epi64(pg, gate_shift), 9);
        __m512i pair_bit =
            _mm512_srli_epi64(_mm512_mullo_epi64(_mm512_xor_si512(pg, second),
                                                 _mm512_set1_epi64((long long)0xFF51AFD7ED558CCDu)),
                              55);
        __m512i got = gate_bits(m, _mm512_or_si512(line, pair_bit), lanes);
        if (single) /* else no key is one word: the bits of words alone are all 0 */
            got = _mm512_or_si512(
                got,
                gate_bits(m, _mm512_or_si512(line, _mm512_and_si512(pg, _mm512_set1_epi64(511))),
                          lanes));
        if ((i & 63) == 0)
            w->pass[i >> 6] = 0;
        w->pass[i >> 6] |= (uint64_t)_mm512_mask_test_epi64_mask(lanes, got, one) << (i & 63);
    }
}
#endif

/* What the sequel filter knows of word i of the batch (i < k: words up to
 * k are hashed), which the gate let through. When one byte and a whole
 * ASCII word w2 follow it ("w1 w2", "w1-w2", "don't"; a separator byte
 * stands for the space keys have): if one byte and a whole word w3 follow
 * w2, the filter must hold the three words or the pair's ending; if
 * punctuation follows w2, the pair's ending; if a separator does (a line
 * break: a third word may follow), anything goes; so it does when w2 is
 * the last whole word the blocks read (the third may not be whole yet). A
 * key that is the word alone (the gate's bit) is let through too. Returns 0 when no key starts
 * here, else PAIR_MAY_GO_ON or, for "w1 w2" with one space whose ending the
 * filter holds and no triple, what may follow the pair (see
 * try_words). */
static int sequel_may(const match_ctx *c, const word_batch *w, size_t i, size_t k, size_t limit)
{
    const pl_matcher *m = c->m;
    const unsigned char *u = c->u;
    size_t e2 = w->e[i + 1];
    uint64_t h12, word, ends, goes_on = 0;
    unsigned char b1 = u[w->e[i]], b2;
    int triple;
    if (b1 == 0 || b1 >= 0x80)
        return 1;
    if (w->s[i + 1] != w->e[i] + 1) { /* no word right after the byte */
        if (m->ascii_sym[b1]) {
            h12 = sequel_hash(w->g[i], b1, 0); /* "w1, ...", "w1." */
        } else {
            b2 = w->e[i] + 1 < limit ? u[w->e[i] + 1] : 0; /* "w1 (", "w1 \"" */
            if (b2 == 0 || b2 >= 0x80 || !m->ascii_sym[b2])
                return 1;
            h12 = sequel_hash(w->g[i], ' ', gate_follow(b2));
        }
        return ((sequel_word(m, h12) >> sequel_bit_end(h12)) & 1) ||
               (m->gate_single && line_has(gate_line(m, w->g[i]), gate_bit_alone(w->g[i])));
    }
    if (e2 == limit || u[e2] >= 0x80 || u[e2] == 0)
        return 1;
    if (i + 2 > k) /* a third word may run past the blocks read so far */
        return 1;
    b2 = u[e2];
    h12 = sequel_hash(w->g[i], m->ascii_sym[b1] ? b1 : ' ', w->g[i + 1]);
    word = sequel_word(m, h12);
    ends = word >> sequel_bit_end(h12) & 1;
    triple = w->s[i + 2] == e2 + 1 && (w->e[i + 2] == limit || u[w->e[i + 2]] < 0x80);
    if (triple)
        goes_on = word >> sequel_bit_triple(h12, m->ascii_sym[b2] ? b2 : ' ', w->g[i + 2]) & 1;
    else if (!m->ascii_sym[b2])
        return 1;
    if (goes_on)
        return 1;
    if (ends)
        return b1 != ' '           ? PAIR_MAY_GO_ON
               : !m->ascii_sym[b2] ? PAIR_ENDS_AT_SEPARATOR
                                   : PAIR_ENDS_AT_PUNCTUATION;
    return m->gate_single && line_has(gate_line(m, w->g[i]), gate_bit_alone(w->g[i]));
}

/* The match starting at word i of the batch (i < k), which the gate and
 * the sequel filter let through (pair: see PAIR_MAY_GO_ON): the key's words
 * are stepped with the batch's words as long as one space and a whole ASCII
 * word follow (no byte is read again), then the walk goes on from the last
 * word where something else follows that a key may go on with. Returns as
 * try_at does. */
static int try_words(match_ctx *c, const word_batch *b, size_t i, size_t k, size_t limit, int pair,
                     size_t *next)
{
    const pl_matcher *m = c->m;
    const unsigned char *u = c->u;
    size_t pos = b->s[i], e = b->e[i], end = 0, j = i, e2;
    const word_edge *w, *nw;
    term_hit hit;
    int found = 0, r;
    unsigned char after;
    w = first_edge(c, pos, e, b->g[i], limit, &r, next);
    if (!w)
        return r;
    candidate(c, pos, e, w->key, &found, &end, &hit);
    for (;;) {
        e = b->e[j];
        if (e == limit)
            goto done;
        after = u[e];
        if (after != ' ' || j + 1 > k || b->s[j + 1] != e + 1 ||
            ((e2 = b->e[j + 1]) != limit && u[e2] >= 0x80))
            break;
        if (w->after_sep < 0)
            goto done;
        nw = edge_find(m, w->after_sep, head_at(u, c->n, e + 1, e2 - e - 1), b->g[j + 1], u + e + 1,
                       e2 - e - 1);
        if (!nw)
            goto done;
        w = nw;
        j++;
        candidate(c, pos, e2, w->key, &found, &end, &hit);
        if (j == i + 1 &&
            (pair == PAIR_ENDS_AT_SEPARATOR || (pair == PAIR_ENDS_AT_PUNCTUATION && !w->goes_on)))
            goto done;
    }
    /* Something other than one space and a batch word follows word j: the
     * walk goes on from it unless no key can (punctuation, and no key goes
     * on from w with punctuation; a separator, and none goes on after one).
     * It finds w's key again, and only longer ones after. */
    if (!(after < 0x80 && (m->ascii_sym[after] ? !w->goes_on : w->after_sep < 0)))
        found |= walk(c, pos, limit, w->to, e, w, &end, &hit);
done:
    return found ? report(c, pos, end, &hit, next) : 0;
}

/* Streams the ASCII words of [pos, limit) in batches (see word_batch), so
 * spaces and punctuation cost no branch each and a word is judged with the
 * word after it (see pl_matcher.gate). Stops at limit or before the first
 * byte from 0x80 up. Returns the position to go on from (0: no progress),
 * or (size_t)-1 on OOM. */
static size_t scan_ascii(match_ctx *c, size_t pos, size_t limit)
{
    const unsigned char *u = c->u;
    word_batch w;
    size_t skip = 0, next, start = pos;
    int r;

    w.pos = pos;
    w.stop = limit;
    w.carry = pos > 0 && ALNUM[u[pos - 1]];
    w.orphan = w.carry && ALNUM[u[pos]];
    w.starts = w.ends = 0;
#ifdef PL_X512
    w.afters = 0;
    w.ended = 0;
#endif
    for (;;) {
        size_t k, i, j;
        int more;
#ifdef PL_X512
        if (c->x512)
            collect_x512(c, &w);
        else
#endif
            collect_portable(c, &w);
        more = batch_more(&w);
        /* Words with a complete word after them. */
        k = w.ends ? w.ends - 1 : 0;
        if (k) {
#ifdef PL_X512
            if (c->x512)
                judge_x512(c, &w, k, limit);
            else
#endif
                judge_portable(c, &w, k, limit);
            for (j = 0; j < (k + 63) / 64; j++) {
                uint64_t bits;
                for (bits = w.pass[j]; bits; bits &= bits - 1) {
                    int sequel;
                    i = 64 * j + (size_t)__builtin_ctzll(bits);
                    if (w.s[i] < skip || (sequel = sequel_may(c, &w, i, k, limit)) == 0)
                        continue;
                    r = try_words(c, &w, i, k, limit, sequel, &next);
                    if (r < 0)
                        return (size_t)-1;
                    if (r > 0)
                        skip = next;
                }
            }
        }
        if (!more)
            break;
        /* The words not judged yet open the next batch. */
        memmove(w.s, w.s + k, (w.starts - k) * sizeof *w.s);
        memmove(w.e, w.e + k, (w.ends - k) * sizeof *w.e);
        w.starts -= k;
        w.ends -= k;
#ifdef PL_X512
        if (c->x512) {
            memmove(w.after, w.after + k, w.afters - k);
            memmove(w.head, w.head + k, w.starts * sizeof *w.head);
            w.afters -= k;
        }
#endif
    }
    /* The last word: its successor is not known here. */
    if (w.ends && w.s[w.ends - 1] >= skip) {
        r = try_word(c, w.s[w.ends - 1], w.e[w.ends - 1], limit, &next);
        if (r < 0)
            return (size_t)-1;
        if (r > 0)
            skip = next;
    }
    pos = w.starts > w.ends ? w.s[w.starts - 1] : w.pos; /* a word the blocks did not close */
    if (skip > pos)
        pos = skip;
    return pos > start ? pos : 0;
}
#endif

/* Finds the matches in the prose run [pos, limit). Only word starts are
 * tried: ASCII text in 64-byte blocks (scan_ascii), the rest byte by byte;
 * an ASCII word asks the gate, then is looked up whole (one probe) before
 * any walk. */
static int scan_run(match_ctx *c, size_t pos, size_t limit)
{
    const pl_matcher *m = c->m;
    const unsigned char *u = c->u;
    while (pos < limit) {
        unsigned char b;
        int r = 0;
#ifdef PL_BLOCKS
        if (!m->punct_start) {
            size_t next = scan_ascii(c, pos, limit);
            if (next == (size_t)-1)
                return -1;
            if (next) {
                pos = next;
                continue;
            }
        }
#endif
        b = u[pos];
        if (b == ' ') {
            pos++;
            continue;
        }
        if (b < 0x80) {
            if (ascii_alnum(b)) {
                size_t e = word_end_within(u, c->n, pos + 1, limit);
                r = try_word(c, pos, e, limit, &pos);
                if (r == 0)
                    pos = e;
            } else {
                if (m->start_ok[b] && (pos == 0 || !glues(cp_before(c, pos))))
                    r = try_at(c, pos, limit, NULL, 0, &pos);
                if (r == 0)
                    pos++;
            }
        } else {
            size_t l;
            int32_t cp = pl_utf8_decode(c->s + pos, c->n - pos, &l);
            if (cp != 0xFFFD && !separator_at(u, limit, pos, &l) &&
                (pl_utf8_is_cjk(cp) ||
                 (is_word_cp(cp) ? left_ok(c, pos) : pos == 0 || !glues(cp_before(c, pos)))))
                r = try_at(c, pos, limit, NULL, 0, &pos);
            if (r == 0) {
                pl_utf8_decode(c->s + pos, c->n - pos, &l);
                pos += l;
            }
        }
        if (r < 0)
            return -1;
    }
    return 0;
}

/* Adds the region [r0, r1) (a paragraph, or a heading's text) to the
 * pending stretch. */
static int add_region(match_ctx *c, size_t r0, size_t r1)
{
    if (find_exclusions(c, r0, r1) != 0)
        return -1;
    if (!c->pending) {
        c->pending = 1;
        c->pend_start = r0;
    }
    c->pend_end = r1;
    return 0;
}

/* Scans the pending stretch, around its exclusions. */
static int flush_regions(match_ctx *c)
{
    size_t pos = c->pend_start, k;
    if (!c->pending)
        return 0;
    c->pending = 0;
    for (k = 0; k < c->excl_count; k++) {
        if (scan_run(c, pos, c->excl[2 * k]) != 0)
            return -1;
        pos = c->excl[2 * k + 1];
    }
    if (scan_run(c, pos, c->pend_end) != 0)
        return -1;
    c->excl_count = 0;
    c->sup_count = 0;
    c->sup_next = 0;
    return 0;
}

/* Opens the paragraph whose first line starts at pos (number line_no): it
 * joins the pending stretch when only blank lines (two line breaks or
 * more, which no term crosses) lie between them and the stretch with them
 * is not long yet (its lines and exclusions are kept, blank lines too);
 * else the stretch is scanned first and the line list starts over. */
static int open_paragraph(match_ctx *c, size_t pos, size_t line_no)
{
    const unsigned char *u = c->u;
    size_t i, breaks = 0;
    if (c->pending && pos - c->pend_start < STRETCH_MAX) {
        for (i = c->pend_end; i < pos; i++) {
            if (u[i] == '\n')
                breaks++;
            else if (u[i] != ' ' && u[i] != '\t' && u[i] != '\r')
                break;
        }
        if (i == pos && breaks >= 2) {
            for (i = c->pend_end; i < pos; i++) /* the blank lines, then this one */
                if (u[i] == '\n' && region_line(c, i + 1, line_no, 0) != 0)
                    return -1;
            return 0;
        }
    }
    if (flush_regions(c) != 0)
        return -1;
    return region_line(c, pos, line_no, 1);
}

static void new_section(match_ctx *c)
{
    if (c->seen && c->once == PL_MATCH_ONCE_PER_SECTION)
        memset(c->seen, 0, c->id_bytes);
}

static int push_state(pl_match_list *out, pl_md_state st)
{
    if (pl_grow((void **)&out->line_states, &out->line_state_cap, out->line_state_count + 1,
                sizeof *out->line_states) != 0)
        return -1;
    out->line_states[out->line_state_count++] = st;
    return 0;
}

static int match_text(match_ctx *c, pl_md_state *state, const pl_match_options *o)
{
    const unsigned char *u = c->u;
    size_t pos = 0, para_start = 0, para_end = 0, content, line_no = 0;
    int para_open = 0, kind;
    int want = o && o->want_line_states, skip_headings = o && o->skip_headings;

    while (pos < c->n) {
        const unsigned char *nl = memchr(u + pos, '\n', c->n - pos);
        size_t le = nl ? (size_t)(nl - u) : c->n;
        if (want && push_state(c->out, *state) != 0)
            return -1;
        kind = analyze_line(state, u + pos, le - pos, &content);
        if (para_open && kind != LK_PARA && kind != LK_SETEXT) {
            para_open = 0;
            if (add_region(c, para_start, para_end) != 0)
                return -1;
        }
        switch (kind) {
        case LK_PARA:
            if (para_open
                    ? region_line(c, pos, line_no, 0) != 0
                    : open_paragraph(c, pos, line_no) != 0) /* a call that starts inside one */
                return -1;
            if (!para_open) {
                para_open = 1;
                para_start = pos;
            }
            para_end = le;
            break;
        case LK_PARA_NEW:
            if (open_paragraph(c, pos, line_no) != 0)
                return -1;
            para_open = 1;
            para_start = pos;
            para_end = le;
            break;
        case LK_HEADING:
            if (flush_regions(c) != 0)
                return -1;
            new_section(c);
            if (!skip_headings &&
                (region_line(c, pos, line_no, 1) != 0 || add_region(c, pos + content, le) != 0))
                return -1;
            break;
        case LK_SETEXT:
            if (para_open) {
                para_open = 0;
                if (flush_regions(c) != 0)
                    return -1;
                new_section(c);
                if (!skip_headings && add_region(c, para_start, para_end) != 0)
                    return -1;
            }
            break;
        default:
            break;
        }
        pos = nl ? le + 1 : c->n;
        line_no++;
    }
    if ((para_open && add_region(c, para_start, para_end) != 0) || flush_regions(c) != 0)
        return -1;
    if (want && push_state(c->out, *state) != 0)
        return -1;
    return 0;
}

void pl_match_list_reset(pl_match_list *list)
{
    if (!list)
        return;
    list->count = 0;
    list->line_state_count = 0;
}

void pl_match_list_free(pl_match_list *list)
{
    if (!list)
        return;
    pl_free(list->items);
    pl_free(list->line_states);
    list->items = NULL;
    list->line_states = NULL;
    list->count = list->cap = 0;
    list->line_state_count = list->line_state_cap = 0;
}

pl_status pl_matcher_match(const pl_matcher *m, const char *text, size_t len,
                           const pl_match_options *opts, pl_match_list *out, pl_error *err)
{
    return pl_matcher_match_lines(m, text, len, 0, PL_MD_STATE_START, opts, out, NULL, err);
}

pl_status pl_matcher_match_lines(const pl_matcher *m, const char *text, size_t len,
                                 size_t first_line, pl_md_state state, const pl_match_options *opts,
                                 pl_match_list *out, pl_md_state *end_state, pl_error *err)
{
    match_ctx c;
    size_t keep_count, keep_states;
    int rc;

    if (!m || !out || (!text && len))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "NULL argument");
    memset(&c, 0, sizeof c);
    c.m = m;
    c.s = text ? text : "";
    c.u = (const unsigned char *)c.s;
    c.n = len;
    c.out = out;
    c.first_line = first_line;
    c.id_bytes = (m->id_count + 7) / 8;
    keep_count = out->count;
    keep_states = out->line_state_count;
    if (opts) {
        size_t i;
        c.min_length = opts->min_length;
        c.once = opts->once;
        if (opts->exclude_count && opts->exclude_ids) {
            c.excluded = pl_calloc(c.id_bytes ? c.id_bytes : 1, 1);
            if (!c.excluded)
                goto oom;
            for (i = 0; i < opts->exclude_count; i++) {
                const uint32_t *hit = bsearch(&opts->exclude_ids[i], m->ids, m->id_count,
                                              sizeof *m->ids, compare_u32);
                if (hit) {
                    size_t d = (size_t)(hit - m->ids);
                    c.excluded[d >> 3] |= (unsigned char)(1u << (d & 7));
                }
            }
        }
        if (opts->once != PL_MATCH_ALL) {
            c.seen = pl_calloc(c.id_bytes ? c.id_bytes : 1, 1);
            if (!c.seen)
                goto oom;
        }
    }
    c.plain = !c.excluded && c.min_length == 0;
    c.x512 = m->x512 && !(opts && opts->portable_scan);
    rc = match_text(&c, &state, opts);
    pl_free(c.excluded);
    pl_free(c.seen);
    pl_free(c.excl);
    pl_free(c.sup);
    pl_free(c.line_starts);
    if (rc != 0) {
        out->count = keep_count;
        out->line_state_count = keep_states;
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    }
    if (end_state)
        *end_state = state;
    pl_error_clear(err);
    return PL_OK;
oom:
    pl_free(c.excluded);
    pl_free(c.seen);
    return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
}
