/* Splits text into the tokens the rest of the core counts and matches:
 * words, numbers and single CJK characters, with byte offsets into the input.
 * Also holds the English stopword list. */
#include "token.h"

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

/* Lowercase ASCII, one list per length so a lookup compares only words of
 * the right length; each list sorted bytewise (LC_ALL=C sort) for the binary
 * search. "us" is left out on purpose: in policy articles "US" is the country. */
static const char *const STOPWORDS_1[] = {"a", "i"};
static const char *const STOPWORDS_2[] = {"am", "an", "as", "at", "be", "by", "do", "he",
                                          "if", "in", "is", "it", "me", "my", "no", "of",
                                          "on", "or", "so", "to", "up", "we"};
static const char *const STOPWORDS_3[] = {
    "all", "and", "any", "are", "but", "can", "did", "few", "for", "had", "has", "her",
    "him", "his", "how", "i'd", "i'm", "its", "may", "nor", "not", "now", "off", "our",
    "out", "own", "she", "the", "too", "was", "who", "why", "yet", "you"};
static const char *const STOPWORDS_4[] = {
    "also", "been", "both", "does", "down", "each", "else", "ever", "from", "have", "he'd", "he's",
    "here", "hers", "i'll", "i've", "into", "it's", "just", "more", "most", "much", "must", "once",
    "only", "ours", "over", "same", "some", "such", "than", "that", "them", "then", "they", "this",
    "upon", "very", "we'd", "were", "what", "when", "whom", "will", "with", "your"};
static const char *const STOPWORDS_5[] = {
    "about", "above", "after", "again", "being", "below", "can't", "could", "doing", "don't",
    "he'll", "how's", "isn't", "it'll", "let's", "might", "other", "ought", "shall", "she'd",
    "she's", "their", "there", "these", "those", "under", "until", "we'll", "we're", "we've",
    "where", "which", "while", "who's", "whose", "why's", "won't", "would", "you'd", "yours"};
static const char *const STOPWORDS_6[] = {
    "aren't", "before", "cannot", "didn't", "during", "either", "hadn't", "hasn't", "having",
    "here's", "itself", "myself", "shan't", "she'll", "should", "that's", "theirs", "they'd",
    "though", "wasn't", "what's", "when's", "within", "you'll", "you're", "you've"};
static const char *const STOPWORDS_7[] = {"against", "because", "between", "doesn't", "further",
                                          "haven't", "herself", "himself", "however", "mustn't",
                                          "neither", "there's", "they'll", "they're", "they've",
                                          "through", "weren't", "where's", "whether", "without"};
static const char *const STOPWORDS_8[] = {"couldn't", "wouldn't", "yourself"};
static const char *const STOPWORDS_9[] = {"ourselves", "shouldn't"};
static const char *const STOPWORDS_10[] = {"themselves", "yourselves"};

#define LIST(words)                                                                                \
    {                                                                                              \
        words, sizeof words / sizeof words[0]                                                      \
    }

static const struct {
    const char *const *words;
    size_t count;
} STOPWORDS[] = {
    {NULL, 0},         LIST(STOPWORDS_1), LIST(STOPWORDS_2),  LIST(STOPWORDS_3),
    LIST(STOPWORDS_4), LIST(STOPWORDS_5), LIST(STOPWORDS_6),  LIST(STOPWORDS_7),
    LIST(STOPWORDS_8), LIST(STOPWORDS_9), LIST(STOPWORDS_10),
};

/* Longest stopword ("yourselves"), and the longest spelling that can fold to
 * one: a contraction whose apostrophe is the three-byte U+2019. */
#define STOPWORD_MAX (sizeof STOPWORDS / sizeof STOPWORDS[0] - 1)
#define STOPWORD_RAW_MAX (STOPWORD_MAX + 2)

int pl_is_stopword(const char *word, size_t len)
{
    char key[STOPWORD_RAW_MAX];
    const char *const *words;
    size_t i, k = 0, lo = 0, hi;

    if (len == 0 || len > STOPWORD_RAW_MAX)
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c >= 0x80) {
            /* The one non-ASCII character allowed: U+2019 stands for '. */
            if (c == 0xE2 && i + 2 < len && (unsigned char)word[i + 1] == 0x80 &&
                (unsigned char)word[i + 2] == 0x99) {
                key[k++] = '\'';
                i += 2;
                continue;
            }
            return 0;
        }
        key[k++] = (char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
    }
    if (k > STOPWORD_MAX)
        return 0;
    words = STOPWORDS[k].words;
    hi = STOPWORDS[k].count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        /* The first byte settles most comparisons without a call. */
        int cmp = (unsigned char)key[0] - (unsigned char)words[mid][0];
        if (cmp == 0)
            cmp = memcmp(key + 1, words[mid] + 1, k - 1);
        if (cmp == 0)
            return 1;
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}
