/* Splits text into the tokens the rest of the core counts and matches:
 * words, numbers and single CJK characters, with byte offsets into the input.
 * Also holds the English stopword list. */
#include "token.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "utf8.h"

typedef enum char_class {
    CL_OTHER,
    CL_LETTER, /* any letter that is not CJK */
    CL_DIGIT,
    CL_MARK,
    CL_CJK,
    CL_HYPHEN,     /* - and the Unicode hyphens U+2010, U+2011 */
    CL_APOSTROPHE, /* ' and U+2019 */
    CL_NUMBER_SEP  /* . , : */
} char_class;

/* ASCII bytes that make up tokens (D digit, L letter; rows of 32 bytes),
 * looked up once per byte on the hot path; bytes from 0x80 on are left to
 * classify(). */
enum { D = 1, L = 2 };
static const unsigned char ASCII_ALNUM[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0,
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0,
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0,
};

/* ASCII bytes that may continue a token after its letters or digits: the
 * connectors - ' . , : (checked further by classify and continues_after). */
static const unsigned char ASCII_JOINER[128] = {
    ['-'] = 1, ['\''] = 1, ['.'] = 1, [','] = 1, [':'] = 1,
};

static int is_ascii_letter(unsigned char c)
{
    return c < 0x80 && ASCII_ALNUM[c] == L;
}

static int is_ascii_digit(unsigned char c)
{
    return c < 0x80 && ASCII_ALNUM[c] == D;
}

/* Classifies the character at s[i] and stores its length in *len. */
static char_class classify(const char *s, size_t n, size_t i, size_t *len)
{
    unsigned char c = (unsigned char)s[i];
    int32_t cp;

    if (c < 0x80) {
        *len = 1;
        if (is_ascii_letter(c))
            return CL_LETTER;
        if (is_ascii_digit(c))
            return CL_DIGIT;
        switch (c) {
        case '-':
            return CL_HYPHEN;
        case '\'':
            return CL_APOSTROPHE;
        case '.':
        case ',':
        case ':':
            return CL_NUMBER_SEP;
        default:
            return CL_OTHER;
        }
    }
    cp = pl_utf8_decode(s + i, n - i, len);
    /* Pasted articles often carry typographic hyphens in "COVID‑19". */
    if (cp == 0x2010 || cp == 0x2011)
        return CL_HYPHEN;
    if (cp == 0x2019)
        return CL_APOSTROPHE;
    if (pl_utf8_is_cjk(cp))
        return CL_CJK;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return CL_LETTER;
    case UTF8PROC_CATEGORY_ND:
        return CL_DIGIT;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return CL_MARK;
    default:
        return CL_OTHER;
    }
}

/* Whether a connector at s[j..j+len) is inside the token: only when a letter
 * or digit follows ("high-quality", "China’s", "1,000"), never at its end
 * ("students'", "2024,"). CJK after it starts a token of its own. */
static int continues_after(const char *s, size_t n, size_t j, size_t len, int digit_only,
                           size_t *next_len)
{
    char_class next;

    if (j + len >= n)
        return 0;
    next = classify(s, n, j + len, next_len);
    return next == CL_DIGIT || (!digit_only && next == CL_LETTER);
}

/* A token that starts with digits and runs straight into letters ("5G",
 * "14th", "3D") is a word: those are terms, not quantities. */
int pl_token_next(const char *s, size_t n, size_t *pos, pl_token *tok)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = *pos, j, len = 1, next_len;
    pl_token_kind kind;
    char_class cl;

    for (;;) {
        while (i < n && u[i] < 0x80 && !ASCII_ALNUM[u[i]])
            i++;
        if (i >= n) {
            *pos = n;
            return 0;
        }
        if (u[i] < 0x80) {
            len = 1;
            kind = ASCII_ALNUM[u[i]] == L ? PL_TOKEN_WORD : PL_TOKEN_NUMBER;
            break;
        }
        cl = classify(s, n, i, &len);
        if (cl == CL_CJK) {
            tok->start = i;
            tok->end = i + len;
            tok->kind = PL_TOKEN_CJK;
            *pos = i + len;
            return 1;
        }
        if (cl == CL_LETTER || cl == CL_DIGIT) {
            kind = cl == CL_LETTER ? PL_TOKEN_WORD : PL_TOKEN_NUMBER;
            break;
        }
        i += len;
    }

    j = i + len;
    for (;;) {
        if (kind == PL_TOKEN_NUMBER) {
            while (j < n && u[j] < 0x80 && ASCII_ALNUM[u[j]] == D)
                j++;
            if (is_ascii_letter(j < n ? u[j] : 0))
                kind = PL_TOKEN_WORD;
        }
        if (kind == PL_TOKEN_WORD) {
            while (j < n && u[j] < 0x80 && ASCII_ALNUM[u[j]])
                j++;
        }
        if (j >= n)
            break;
        /* Most tokens end at a space or punctuation that cannot join: decide
         * those without classify(). */
        if (u[j] < 0x80 && !ASCII_JOINER[u[j]])
            break;
        cl = classify(s, n, j, &len);
        if (cl == CL_LETTER) {
            kind = PL_TOKEN_WORD;
        } else if (cl == CL_DIGIT || (cl == CL_MARK && kind == PL_TOKEN_WORD)) {
            /* part of the token */
        } else if (kind == PL_TOKEN_WORD && (cl == CL_HYPHEN || cl == CL_APOSTROPHE) &&
                   continues_after(s, n, j, len, 0, &next_len)) {
            len += next_len;
        } else if (kind == PL_TOKEN_NUMBER && (cl == CL_NUMBER_SEP || cl == CL_HYPHEN) &&
                   continues_after(s, n, j, len, 1, &next_len)) {
            len += next_len; /* "3.5", "1,000", "21:30", "2024-07-22" */
        } else {
            break;
        }
        j += len;
    }
    tok->start = i;
    tok->end = j;
    tok->kind = kind;
    *pos = j;
    return 1;
}

/* The English stopwords, lowercase ASCII, as an open-addressing hash table
 * (linear probing) laid out by hand so that it is constant data: a lookup is
 * one multiply and, on average, under two 16-byte compares, where a sorted
 * list took a binary search with a mispredicted branch per step (this was
 * the classifier's hot spot). "us" is left out on purpose: in policy
 * articles "US" is the country.
 *
 * A word's home slot is stopword_slot() of its bytes packed little-endian
 * into two 64-bit halves, zero-padded. To add a word, put it in the first
 * empty slot at or after its home slot, wrapping at the end; the frequent
 * words were placed first, so most sit in their home slot. test_token.c
 * holds the list as plain text, checks it against this table and prints the
 * home slot of a word it misses. The table must keep empty slots: they end
 * the probing. */
#define STOPWORD_BITS 9
#define STOPWORD_SLOTS (1u << STOPWORD_BITS)
#define STOPWORD_MUL UINT64_C(0x2C1CEAFE0DDF7521)
#define STOPWORD_MUL_HI UINT64_C(0xC2B2AE3D27D4EB4F)

static const char STOPWORD_TABLE[STOPWORD_SLOTS][16] = {
    [1] = "most",         [2] = "or",          [3] = "won't",       [4] = "against",
    [13] = "was",         [14] = "am",         [15] = "it'll",      [19] = "below",
    [20] = "whether",     [21] = "would",      [23] = "isn't",      [24] = "these",
    [25] = "i've",        [26] = "all",        [27] = "you've",     [28] = "there",
    [29] = "with",        [31] = "same",       [32] = "themselves", [37] = "about",
    [41] = "who's",       [42] = "is",         [43] = "much",       [47] = "i",
    [51] = "hers",        [52] = "she'll",     [53] = "though",     [54] = "other",
    [58] = "ours",        [59] = "both",       [60] = "such",       [62] = "until",
    [63] = "it's",        [65] = "after",      [66] = "when",       [67] = "myself",
    [69] = "shan't",      [70] = "nor",        [71] = "an",         [74] = "who",
    [78] = "yours",       [79] = "into",       [82] = "he'll",      [83] = "just",
    [84] = "during",      [86] = "down",       [87] = "been",       [98] = "me",
    [100] = "it",         [101] = "more",      [104] = "hadn't",    [106] = "here",
    [107] = "theirs",     [108] = "any",       [109] = "she's",     [112] = "few",
    [116] = "those",      [118] = "where's",   [126] = "this",      [129] = "above",
    [130] = "he's",       [132] = "why's",     [135] = "having",    [139] = "without",
    [140] = "yourselves", [141] = "she",       [142] = "off",       [148] = "while",
    [149] = "i'd",        [150] = "we've",     [151] = "be",        [154] = "over",
    [155] = "are",        [161] = "whom",      [164] = "we're",     [165] = "why",
    [167] = "they'll",    [168] = "he",        [169] = "shouldn't", [176] = "his",
    [181] = "so",         [185] = "they're",   [188] = "because",   [189] = "through",
    [190] = "he'd",       [192] = "himself",   [198] = "ought",     [199] = "that's",
    [204] = "else",       [205] = "she'd",     [209] = "couldn't",  [210] = "what",
    [213] = "didn't",     [214] = "too",       [215] = "before",    [216] = "cannot",
    [217] = "being",      [218] = "have",      [223] = "let's",     [225] = "has",
    [228] = "each",       [229] = "the",       [230] = "my",        [239] = "very",
    [252] = "no",         [258] = "haven't",   [262] = "further",   [263] = "herself",
    [264] = "from",       [265] = "in",        [266] = "which",     [269] = "to",
    [270] = "they",       [277] = "own",       [282] = "again",     [283] = "on",
    [284] = "by",         [285] = "i'm",       [286] = "wasn't",    [292] = "where",
    [296] = "ever",       [299] = "but",       [304] = "could",     [311] = "does",
    [313] = "then",       [314] = "if",        [315] = "you'll",    [317] = "them",
    [319] = "when's",     [322] = "how's",     [324] = "also",      [325] = "shall",
    [328] = "however",    [329] = "some",      [332] = "of",        [338] = "once",
    [344] = "had",        [348] = "must",      [349] = "will",      [350] = "doesn't",
    [351] = "might",      [355] = "how",       [359] = "here's",    [361] = "as",
    [362] = "should",     [365] = "a",         [366] = "there's",   [372] = "now",
    [375] = "don't",      [378] = "yet",       [380] = "whose",     [381] = "we'll",
    [387] = "mustn't",    [388] = "its",       [389] = "for",       [391] = "within",
    [394] = "only",       [395] = "do",        [403] = "you",       [404] = "under",
    [405] = "were",       [408] = "ourselves", [414] = "may",       [416] = "up",
    [417] = "i'll",       [418] = "at",        [420] = "neither",   [422] = "out",
    [423] = "their",      [425] = "you're",    [427] = "between",   [428] = "him",
    [429] = "aren't",     [436] = "they've",   [437] = "wouldn't",  [444] = "upon",
    [445] = "weren't",    [448] = "yourself",  [449] = "itself",    [453] = "did",
    [458] = "that",       [460] = "doing",     [464] = "what's",    [466] = "you'd",
    [468] = "we",         [471] = "your",      [476] = "they'd",    [478] = "and",
    [479] = "either",     [481] = "than",      [488] = "we'd",      [497] = "hasn't",
    [498] = "not",        [499] = "her",       [501] = "can't",     [506] = "can",
    [507] = "our",
};

/* Longest stopword ("yourselves"), and the longest spelling that can fold to
 * one: a contraction whose apostrophe is the three-byte U+2019. */
#define STOPWORD_MAX 10
#define STOPWORD_RAW_MAX (STOPWORD_MAX + 2)

#define ONES UINT64_C(0x0101010101010101)
#define HIGH_BITS UINT64_C(0x8080808080808080)

static int little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* The bytes at p as a little-endian number, whatever the host's order
 * (the test is a constant, so on common hosts this is one load). */
static uint64_t load_le64(const char *p)
{
    uint64_t v = 0;
    size_t i;
    if (little_endian()) {
        memcpy(&v, p, 8);
        return v;
    }
    for (i = 0; i < 8; i++)
        v |= (uint64_t)(unsigned char)p[i] << (8 * i);
    return v;
}

static uint64_t load_le32(const char *p)
{
    uint32_t v = 0;
    size_t i;
    if (little_endian()) {
        memcpy(&v, p, 4);
        return v;
    }
    for (i = 0; i < 4; i++)
        v |= (uint32_t)(unsigned char)p[i] << (8 * i);
    return v;
}

/* The bytes of a word of 1 to 8 bytes as a number: two loads that overlap
 * in the middle instead of a loop over the bytes, and no byte outside the
 * word. */
static uint64_t pack_lo(const char *w, size_t len)
{
    const unsigned char *u = (const unsigned char *)w;
    if (len >= 4)
        return load_le32(w) | load_le32(w + len - 4) << (8 * (len - 4));
    return u[0] | (uint64_t)u[len / 2] << (8 * (len / 2)) | (uint64_t)u[len - 1] << (8 * (len - 1));
}

/* Bytes 8..len of a word of 9 to 16 bytes. */
static uint64_t pack_hi(const char *w, size_t len)
{
    return load_le64(w + len - 8) >> (8 * (16 - len));
}

/* Lowercases the ASCII letters of eight ASCII bytes (as in utf8.c): a byte's
 * high bit in `upper` is set when it is at least 'A' and not past 'Z'. */
static uint64_t lower8(uint64_t v)
{
    uint64_t upper = ((v + ONES * (0x80 - 'A')) ^ (v + ONES * (0x80 - 'Z' - 1))) & HIGH_BITS;
    return v | upper >> 2;
}

/* The low len bytes of v (1 <= len <= 8). */
static uint64_t low_bytes(uint64_t v, size_t len)
{
    return v & (~(uint64_t)0 >> (64 - 8 * len));
}

/* Setting bit 5 of every byte is a cheaper lowercasing that is exact on the
 * letters and on the apostrophe; of the other bytes, only BEL (0x07) turns
 * into a byte of a stopword ('), so a hit is confirmed with lower8. Spaces
 * in the padding would never match, which is why the mask comes after. */
static uint64_t fold_fast(uint64_t v)
{
    return v | ONES * 0x20;
}

static size_t stopword_slot(uint64_t lo, uint64_t hi)
{
    return (size_t)(((lo ^ hi * STOPWORD_MUL_HI) * STOPWORD_MUL) >> (64 - STOPWORD_BITS));
}

/* Whether the lowercase word packed in lo, hi is in the table. */
static int in_table(uint64_t lo, uint64_t hi)
{
    size_t slot = stopword_slot(lo, hi);
    for (;;) {
        uint64_t entry = load_le64(STOPWORD_TABLE[slot]);
        if (((entry ^ lo) | (load_le64(STOPWORD_TABLE[slot] + 8) ^ hi)) == 0)
            return 1;
        if (entry == 0)
            return 0;
        slot = (slot + 1) & (STOPWORD_SLOTS - 1);
    }
}

/* The rare spelling with bytes from 0x80 on: only a U+2019 apostrophe may
 * fold into a stopword ("don’t"); it is replaced by ' and the rest looked up
 * as usual. */
static int is_curly_stopword(const char *word, size_t len)
{
    char key[16] = {0};
    size_t i, k = 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c >= 0x80) {
            if (c == 0xE2 && i + 2 < len && (unsigned char)word[i + 1] == 0x80 &&
                (unsigned char)word[i + 2] == 0x99) {
                key[k++] = '\'';
                i += 2;
                continue;
            }
            return 0;
        }
        if (c == 0)
            return 0; /* it would read as the end of the key */
        key[k++] = (char)c;
    }
    if (k > STOPWORD_MAX)
        return 0;
    return in_table(lower8(load_le64(key)), lower8(load_le64(key + 8)));
}

/* Words of 9 to 12 bytes: the few long stopwords and curly contractions. A
 * trailing NUL would pack like the padding ("yourself\0" like "yourself"). */
static int is_long_stopword(const char *word, size_t len)
{
    uint64_t lo = load_le64(word), hi = pack_hi(word, len);
    if (word[len - 1] == '\0')
        return 0;
    if ((lo | hi) & HIGH_BITS)
        return is_curly_stopword(word, len);
    return in_table(lower8(lo), lower8(hi));
}

int pl_is_stopword(const char *word, size_t len)
{
    uint64_t lo, key;
    if (len - 1 >= 8) /* 0, or over 8 */
        return len > 8 && len <= STOPWORD_RAW_MAX ? is_long_stopword(word, len) : 0;
    lo = pack_lo(word, len);
    if (lo & HIGH_BITS)
        return is_curly_stopword(word, len);
    key = low_bytes(fold_fast(lo), len);
    return in_table(key, 0) && lower8(lo) == key;
}
