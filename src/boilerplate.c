/* Boilerplate removal over a block list, after jusText: each block is first
 * judged on its own (length, stopword and link density, digits, separators),
 * then short and borderline blocks take the class of their neighbours. Bylines,
 * sources and dates near the edges of the body become metadata. */
#include "boilerplate.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "token.h"

/* Thresholds. Densities are compared as integer ratios (a * 100 >= b * pct)
 * so that no floating point is involved.
 *
 * SHORT_BYTES, SHORT_WORDS: below ~70 bytes (about one line of a sentence)
 * a block says too little about itself; menu entries, buttons, captions and
 * short body sentences all live there, so context decides (as in jusText).
 *
 * LONG_BYTES: 200 bytes is two or three sentences; chrome rarely runs that
 * long without links, so a long block with prose-like function words is
 * trusted as body on its own.
 *
 * STOP_GOOD, STOP_NEAR: English prose is 40-45% stopwords by token (median of
 * news paragraphs with pl_is_stopword's list), and only ~3% of long news
 * paragraphs fall under 30%; legal and policy prose runs 30-35%. Lists of
 * names, link lists and keyword soup stay under 10%, while a news lede
 * ("Chelsea have sacked Adrian Mutu after he failed a drugs test.") can
 * fall to 12%: a block that ends a sentence gets the lower floor.
 *
 * LINK_MAX: jusText's value; a paragraph of prose with a few inline links is
 * under 20% link text, a list of links is near 100%. Short blocks may carry
 * more (one linked phrase), but not be mostly link.
 *
 * SEGMENT_BYTES: "a | b | c" with segments under ~40 bytes is a row of
 * links or buttons ("Share: Facebook | Twitter"), not a sentence.
 *
 * NO_STOP_PCT: a document whose words are under 5% English stopwords is in
 * another language (or CJK), where the stopword test means nothing.
 *
 * META_MAX_BYTES, META_REACH: a byline with a one-line biography runs to
 * ~250 bytes; metadata sits within a few blocks of the body, while a
 * "Source:" further away belongs to a sidebar. */
#define SHORT_BYTES 70
#define SHORT_WORDS 5
#define LONG_BYTES 200
#define STOP_GOOD 30
#define STOP_NEAR 15
#define STOP_NEAR_SENTENCE 10
#define LINK_MAX 20
#define SHORT_LINK_MAX 50
#define SEGMENT_BYTES 40
#define NO_STOP_PCT 5
#define NO_STOP_MIN_WORDS 30
#define META_MAX_BYTES 300
#define META_REACH 10
#define BYLINE_MAX_BYTES 120
#define BYLINE_MAX_WORDS 6
#define DATE_MAX_BYTES 60
#define SITE_MAX_BYTES 60

typedef enum cf_class { CF_BAD = 0, CF_SHORT, CF_NEAR, CF_GOOD } cf_class;

typedef struct feat {
    size_t words, stops, numbers;
    unsigned char cf;       /* cf_class: the context-free verdict */
    unsigned char cls;      /* cf_class after context: CF_GOOD or CF_BAD */
    unsigned char meta;     /* pl_meta_field when the block is metadata */
    unsigned char skip;     /* title or metadata: invisible to the context pass */
    unsigned char chrome;   /* separators, ©, markup hint or links: never promoted */
    unsigned char sentence; /* ends with . ! ? (not "...") */
} feat;

typedef struct span {
    size_t start, end;
} span;

static int lower_ascii(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static int is_upper_start(unsigned char c)
{
    /* Non-ASCII letters (É, Ž, Ş…) count: names are not all ASCII. */
    return (c >= 'A' && c <= 'Z') || c >= 0xC3;
}

/* Length of p when t[0..n) starts with it, ASCII case-insensitively, else 0. */
static size_t prefix_ci(const char *t, size_t n, const char *p)
{
    size_t i;
    for (i = 0; p[i]; i++)
        if (i >= n || lower_ascii((unsigned char)t[i]) != p[i])
            return 0;
    return i;
}

static int word_ci(const char *w, size_t n, const char *p)
{
    return prefix_ci(w, n, p) == n && p[n] == '\0';
}

static int ends_truncated(const char *t, size_t n)
{
    return n >= 3 &&
           (memcmp(t + n - 3, "...", 3) == 0 || memcmp(t + n - 3, "\xE2\x80\xA6", 3) == 0);
}

/* Ends with a sentence mark, looking through closing quotes and brackets. */
static int ends_sentence(const char *t, size_t n)
{
    const unsigned char *u = (const unsigned char *)t;
    if (ends_truncated(t, n))
        return 0;
    while (n > 0) {
        if (u[n - 1] == '"' || u[n - 1] == '\'' || u[n - 1] == ')')
            n--;
        else if (n >= 3 && u[n - 3] == 0xE2 && u[n - 2] == 0x80 &&
                 (u[n - 1] == 0x9D || u[n - 1] == 0x99))
            n -= 3; /* ” ’ */
        else
            break;
    }
    if (n == 0)
        return 0;
    if (u[n - 1] == '.' || u[n - 1] == '!' || u[n - 1] == '?')
        return 1;
    /* 。！？ */
    return n >= 3 &&
           ((u[n - 3] == 0xE3 && u[n - 2] == 0x80 && u[n - 1] == 0x82) ||
            (u[n - 3] == 0xEF && u[n - 2] == 0xBC && (u[n - 1] == 0x81 || u[n - 1] == 0x9F)));
}

/* Separators between tokens: "|", a lone "»" or "›" (breadcrumbs, "more »";
 * French quotes come in «» pairs), " · ". Counted in the gaps the tokenizer
 * skips, so the text is read once. */
typedef struct gap_marks {
    size_t separators;
    int guillemet_open, copyright;
} gap_marks;

static void scan_gap(const unsigned char *u, size_t n, gap_marks *g)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (u[i] == '|') {
            g->separators++;
        } else if (u[i] == 0xC2 && i + 1 < n) {
            if (u[i + 1] == 0xBB)
                g->separators++;
            else if (u[i + 1] == 0xAB)
                g->guillemet_open = 1;
            else if (u[i + 1] == 0xA9)
                g->copyright = 1;
            else if (u[i + 1] == 0xB7 && i > 0 && i + 2 < n && u[i - 1] == ' ' && u[i + 2] == ' ')
                g->separators++;
        } else if (u[i] == 0xE2 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0xBA) {
            g->separators++;
        }
    }
}

/* SWAR: eight bytes tested at once. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGH_BITS UINT64_C(0x8080808080808080)

static int little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* The eight bytes at u with u[0] lowest, whatever the host's order (the
 * test is a constant, so on common hosts this is one load). */
static uint64_t load_le64(const unsigned char *u)
{
    uint64_t v = 0;
    size_t k;
    if (little_endian()) {
        memcpy(&v, u, 8);
        return v;
    }
    for (k = 0; k < 8; k++)
        v |= (uint64_t)u[k] << (8 * k);
    return v;
}

/* Index of the lowest byte whose high bit is set in m (m has only high bits,
 * and at least one). */
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

/* High bit of each byte of v (all below 0x80) that is an ASCII letter, or a
 * digit: a range test adds two biases, which cannot carry out of a byte. */
static uint64_t letter_bits(uint64_t v)
{
    uint64_t y = v | ONES * 0x20;
    return (y + ONES * (0x80 - 'a')) & ~(y + ONES * (0x7F - 'z')) & HIGH_BITS;
}

static uint64_t digit_bits(uint64_t v)
{
    return (v + ONES * (0x80 - '0')) & ~(v + ONES * (0x7F - '9')) & HIGH_BITS;
}

static int all_ascii(const unsigned char *u, size_t n)
{
    uint64_t acc = 0, v;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        memcpy(&v, u + i, 8);
        acc |= v;
    }
    for (; i < n; i++)
        acc |= u[i];
    return (acc & HIGH_BITS) == 0;
}

/* ASCII bytes of tokens: 1 digit, 2 letter (as in token.c). */
static const unsigned char ASCII_TOKEN[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2,
    ['G'] = 2, ['H'] = 2, ['I'] = 2, ['J'] = 2, ['K'] = 2, ['L'] = 2, ['M'] = 2, ['N'] = 2,
    ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2, ['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2,
    ['W'] = 2, ['X'] = 2, ['Y'] = 2, ['Z'] = 2, ['a'] = 2, ['b'] = 2, ['c'] = 2, ['d'] = 2,
    ['e'] = 2, ['f'] = 2, ['g'] = 2, ['h'] = 2, ['i'] = 2, ['j'] = 2, ['k'] = 2, ['l'] = 2,
    ['m'] = 2, ['n'] = 2, ['o'] = 2, ['p'] = 2, ['q'] = 2, ['r'] = 2, ['s'] = 2, ['t'] = 2,
    ['u'] = 2, ['v'] = 2, ['w'] = 2, ['x'] = 2, ['y'] = 2, ['z'] = 2,
};

/* End of the run of ASCII letters and digits at u[i] (all of u[0..n) is
 * ASCII); *letter is set when the run holds a letter. Eight bytes at a time
 * while they last: a word then ends without a branch per byte. */
static size_t alnum_run(const unsigned char *u, size_t n, size_t i, int *letter)
{
    while (n - i >= 8) {
        uint64_t v = load_le64(u + i), letters = letter_bits(v);
        uint64_t ends = ~(letters | digit_bits(v)) & HIGH_BITS;
        if (ends) {
            /* Bits below the first end's high bit cover the bytes before it. */
            *letter |= (letters & ((ends & (0 - ends)) - 1)) != 0;
            return i + first_marked_byte(ends);
        }
        *letter |= letters != 0;
        i += 8;
    }
    for (; i < n && ASCII_TOKEN[u[i]]; i++)
        *letter |= ASCII_TOKEN[u[i]] == 2;
    return i;
}

/* The counting of measure() for an all-ASCII block in one pass, with the
 * token rules of pl_token_next (words join over - and ' before a letter or
 * digit; numbers over . , : - before a digit; digits running into letters
 * make a word). Returns 0, having counted nothing, when a byte is not ASCII:
 * the general path then takes the block. Most blocks of English pages take
 * this path, and it is most of the classifier's time. */
static int count_ascii(const char *t, size_t n, feat *f, gap_marks *g)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i = 0, words = 0, numbers = 0, stops = 0, separators = 0;
    if (!all_ascii(u, n))
        return 0;
    while (i < n) {
        size_t start;
        int word = 0;
        unsigned char c = u[i];
        if (!ASCII_TOKEN[c]) {
            separators += c == '|';
            i++;
            continue;
        }
        start = i;
        for (;;) {
            i = alnum_run(u, n, i, &word);
            if (i + 1 >= n)
                break;
            if (word ? (u[i] == '-' || u[i] == '\'') && ASCII_TOKEN[u[i + 1]]
                     : (u[i] == '.' || u[i] == ',' || u[i] == ':' || u[i] == '-') &&
                           ASCII_TOKEN[u[i + 1]] == 1) {
                i++;
                continue;
            }
            break;
        }
        words++;
        if (!word)
            numbers++;
        else if (pl_is_stopword(t + start, i - start))
            stops++;
    }
    f->words += words;
    f->numbers += numbers;
    f->stops += stops;
    g->separators += separators;
    return 1;
}

/* Counts the block's words once and judges it alone. */
static void measure(const char *t, size_t n, const pl_block *blk, feat *f)
{
    size_t pos = 0, last = 0;
    pl_token tok;
    gap_marks g = {0, 0, 0};
    int separated;

    if (!count_ascii(t, n, f, &g)) {
        while (pl_token_next(t, n, &pos, &tok)) {
            scan_gap((const unsigned char *)t + last, tok.start - last, &g);
            last = tok.end;
            f->words++;
            if (tok.kind == PL_TOKEN_NUMBER)
                f->numbers++;
            else if (tok.kind == PL_TOKEN_WORD &&
                     pl_is_stopword(t + tok.start, tok.end - tok.start))
                f->stops++;
        }
        scan_gap((const unsigned char *)t + last, n - last, &g);
    }
    if (g.guillemet_open && g.separators > 0)
        g.separators--; /* « … » quotes one thing */
    separated = g.separators > 0 && n / (g.separators + 1) < SEGMENT_BYTES;
    f->sentence = (unsigned char)ends_sentence(t, n);
    f->chrome = (unsigned char)(blk->markup_hint || g.copyright || separated ||
                                blk->link_bytes * 100 > n * LINK_MAX);
    if (blk->markup_hint || g.copyright || separated) {
        f->cf = CF_BAD; /* a row of links or buttons, a footer, a marked sidebar */
    } else if (n >= SHORT_BYTES && blk->link_bytes * 100 > n * LINK_MAX) {
        f->cf = CF_BAD;
    } else if (blk->link_bytes * 100 > n * SHORT_LINK_MAX) {
        f->cf = CF_BAD; /* a short block that is mostly one link: a menu entry */
    } else if (f->numbers * 3 >= f->words * 2 && f->words > 0 && f->stops == 0 && !f->sentence) {
        f->cf = CF_BAD; /* codes, dates, counts: rows of a status table or a score list */
    } else if (ends_truncated(t, n) && n < LONG_BYTES) {
        f->cf = CF_BAD; /* a cut-off teaser for another page */
    } else if (n < SHORT_BYTES || f->words < SHORT_WORDS) {
        f->cf = CF_SHORT;
    } else {
        f->cf = CF_NEAR; /* refined once the language is known */
    }
}

static void judge_density(feat *f, size_t bytes, int no_stopwords)
{
    if (f->cf != CF_NEAR)
        return;
    if (no_stopwords) {
        f->cf = bytes >= LONG_BYTES ? CF_GOOD : CF_NEAR;
    } else if (f->stops * 100 >= f->words * STOP_GOOD && bytes >= LONG_BYTES) {
        f->cf = CF_GOOD;
    } else if (f->stops * 100 < f->words * (f->sentence ? STOP_NEAR_SENTENCE : STOP_NEAR)) {
        f->cf = CF_BAD;
    }
}

/* ---- metadata ---------------------------------------------------------- */

static const char *const MONTHS[] = {
    "january",   "february", "march",    "april",    "may",  "june", "july", "august",
    "september", "october",  "november", "december", "jan",  "feb",  "mar",  "apr",
    "jun",       "jul",      "aug",      "sep",      "sept", "oct",  "nov",  "dec"};
static const char *const DATE_FILLERS[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
    "tue",    "tues",    "wed",       "thu",      "thur",   "thurs",    "fri",    "sat",
    "sun",    "am",      "pm",        "utc",      "gmt",    "bst",      "cet",    "cest",
    "est",    "edt",     "pst",       "pdt",      "at",     "on",       "of"};

static int in_list(const char *w, size_t n, const char *const *list, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++)
        if (word_ci(w, n, list[i]))
            return 1;
    return 0;
}

/* Whether a digit run of exactly four digits in w is a year 1900-2099. */
static int has_year(const char *w, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && w[j] >= '0' && w[j] <= '9')
            j++;
        if (j - i == 4 && ((w[i] == '1' && w[i + 1] == '9') || (w[i] == '2' && w[i + 1] == '0')))
            return 1;
        i = j > i ? j : i + 1;
    }
    return 0;
}

/* Whether t[0..n) is nothing but a date (and maybe a time): "2024-07-22",
 * "July 22, 2024", "Mon 22 Jul 2024 10:30 GMT", "22nd July", "2024年7月22日". */
static int is_date_text(const char *t, size_t n)
{
    size_t pos = 0, numbers = 0;
    int year = 0, month = 0;
    pl_token tok;
    if (n == 0 || n > DATE_MAX_BYTES)
        return 0;
    while (pl_token_next(t, n, &pos, &tok)) {
        const char *w = t + tok.start;
        size_t len = tok.end - tok.start;
        if (tok.kind == PL_TOKEN_NUMBER) {
            numbers++;
            year |= has_year(w, len);
        } else if (tok.kind == PL_TOKEN_CJK) {
            /* 年 月 日 */
            if (len != 3 ||
                !(memcmp(w, "\xE5\xB9\xB4", 3) == 0 || memcmp(w, "\xE6\x9C\x88", 3) == 0 ||
                  memcmp(w, "\xE6\x97\xA5", 3) == 0))
                return 0;
            month = 1;
        } else if (w[0] >= '0' && w[0] <= '9') {
            /* "22nd", "10am": digits then a suffix. */
            size_t d = 0;
            while (d < len && w[d] >= '0' && w[d] <= '9')
                d++;
            if (!(word_ci(w + d, len - d, "st") || word_ci(w + d, len - d, "nd") ||
                  word_ci(w + d, len - d, "rd") || word_ci(w + d, len - d, "th") ||
                  word_ci(w + d, len - d, "am") || word_ci(w + d, len - d, "pm")))
                return 0;
            numbers++;
        } else if (in_list(w, len, MONTHS, sizeof MONTHS / sizeof MONTHS[0])) {
            month = 1;
        } else if (!in_list(w, len, DATE_FILLERS, sizeof DATE_FILLERS / sizeof DATE_FILLERS[0])) {
            return 0;
        }
    }
    return numbers > 0 && (year || month);
}

/* Trims white space, and the final period the value's sentence had. */
static span trim_value(const char *t, span v)
{
    while (v.start < v.end && (is_space((unsigned char)t[v.start]) || t[v.start] == ':'))
        v.start++;
    while (v.end > v.start && is_space((unsigned char)t[v.end - 1]))
        v.end--;
    if (v.end > v.start && t[v.end - 1] == '.' && !ends_truncated(t + v.start, v.end - v.start))
        v.end--;
    return v;
}

/* Cuts a value at the first " | ", " · " or " • " ("By Jane Doe | 3 May"). */
static span cut_at_separator(const char *t, span v)
{
    size_t i;
    for (i = v.start + 1; i + 1 < v.end; i++) {
        if (t[i - 1] != ' ')
            continue;
        if ((t[i] == '|' && t[i + 1] == ' ') ||
            (i + 2 < v.end && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xB7 &&
             t[i + 2] == ' ') ||
            (i + 3 < v.end && memcmp(t + i, "\xE2\x80\xA2 ", 4) == 0)) {
            v.end = i - 1;
            break;
        }
    }
    return v;
}

/* A byline's name: one to six capitalised words ("Jane Doe", "Ana de la
 * Cruz and Li Wei"), then optionally ", Staff Writer". */
static int name_like(const char *t, span v)
{
    static const char *const CONNECTORS[] = {"and", "de", "del", "der", "den", "van", "von",
                                             "da",  "di", "du",  "la",  "le",  "bin", "al"};
    size_t i = v.start, words = 0;
    if (v.start >= v.end || !is_upper_start((unsigned char)t[v.start]))
        return 0;
    while (i < v.end && t[i] != ',') {
        size_t w = i;
        while (i < v.end && t[i] != ' ' && t[i] != ',')
            i++;
        if (!is_upper_start((unsigned char)t[w]) &&
            !in_list(t + w, i - w, CONNECTORS, sizeof CONNECTORS / sizeof CONNECTORS[0]) &&
            !(i - w == 1 && t[w] == '&'))
            return 0;
        if (++words > BYLINE_MAX_WORDS)
            return 0;
        while (i < v.end && t[i] == ' ')
            i++;
    }
    return words > 0;
}

/* Recognises a metadata line and returns its field, with the value's range
 * in *value; PL_META_NONE otherwise. */
static pl_meta_field match_meta(const char *t, size_t n, span *value)
{
    static const char *const AUTHOR_LONG[] = {"the author is ", "the authors are ",
                                              "the writer is ", "the writers are "};
    static const char *const AUTHOR_FIELD[] = {
        "author:", "authors:", "writer:", "reporter:", "reporters:", "written by ", "words by "};
    static const char *const SOURCE_FIELD[] = {"source:", "sources:", "via:"};
    static const char *const SOURCE_LEAD[] = {"this article was ", "this story was ",
                                              "this post was ", "this piece was "};
    static const char *const PUBLISHED[] = {"in ", "at ", "on ", "by "};
    static const char *const DATE_FIELD[] = {
        "published:",    "published on ",       "published ",
        "updated:",      "updated on ",         "updated ",
        "last updated:", "last updated on ",    "last updated ",
        "posted:",       "posted on ",          "posted ",
        "date:",         "first published on ", "first published "};
    size_t i, k;
    span v;

    if (n > META_MAX_BYTES)
        return PL_META_NONE;
    for (i = 0; i < sizeof AUTHOR_LONG / sizeof AUTHOR_LONG[0]; i++) {
        if ((k = prefix_ci(t, n, AUTHOR_LONG[i])) != 0) {
            v.start = k;
            v.end = n;
            v = trim_value(t, v);
            /* "The author is Tang Yunyi, …" or "… is a professor at …", but
             * not "The author is grateful to …". */
            if (v.end > v.start && (is_upper_start((unsigned char)t[v.start]) ||
                                    prefix_ci(t + v.start, v.end - v.start, "a ") ||
                                    prefix_ci(t + v.start, v.end - v.start, "an ") ||
                                    prefix_ci(t + v.start, v.end - v.start, "the "))) {
                *value = v;
                return PL_META_AUTHOR;
            }
            return PL_META_NONE;
        }
    }
    if (n > BYLINE_MAX_BYTES)
        return PL_META_NONE;
    for (i = 0; i < sizeof AUTHOR_FIELD / sizeof AUTHOR_FIELD[0]; i++) {
        if ((k = prefix_ci(t, n, AUTHOR_FIELD[i])) != 0) {
            v.start = k;
            v.end = n;
            *value = trim_value(t, cut_at_separator(t, v));
            return value->end > value->start ? PL_META_AUTHOR : PL_META_NONE;
        }
    }
    if ((k = prefix_ci(t, n, "by ")) != 0) {
        v.start = k;
        v.end = n;
        v = trim_value(t, cut_at_separator(t, v));
        if (name_like(t, v)) {
            *value = v;
            return PL_META_AUTHOR;
        }
        return PL_META_NONE;
    }
    for (i = 0; i < sizeof SOURCE_FIELD / sizeof SOURCE_FIELD[0]; i++) {
        if ((k = prefix_ci(t, n, SOURCE_FIELD[i])) != 0) {
            v.start = k;
            v.end = n;
            *value = trim_value(t, cut_at_separator(t, v));
            return value->end > value->start ? PL_META_SOURCE : PL_META_NONE;
        }
    }
    k = 0;
    for (i = 0; i < sizeof SOURCE_LEAD / sizeof SOURCE_LEAD[0] && !k; i++)
        k = prefix_ci(t, n, SOURCE_LEAD[i]);
    if ((i = prefix_ci(t + k, n - k, "originally published ")) != 0) {
        k += i;
        for (i = 0; i < sizeof PUBLISHED / sizeof PUBLISHED[0]; i++) {
            size_t p = prefix_ci(t + k, n - k, PUBLISHED[i]);
            if (p) {
                v.start = k + p;
                v.end = n;
                *value = trim_value(t, cut_at_separator(t, v));
                return value->end > value->start ? PL_META_SOURCE : PL_META_NONE;
            }
        }
        return PL_META_NONE;
    }
    for (i = 0; i < sizeof DATE_FIELD / sizeof DATE_FIELD[0]; i++) {
        if ((k = prefix_ci(t, n, DATE_FIELD[i])) != 0) {
            v.start = k;
            v.end = n;
            v = trim_value(t, cut_at_separator(t, v));
            if (is_date_text(t + v.start, v.end - v.start)) {
                *value = v;
                return PL_META_DATE;
            }
            return PL_META_NONE;
        }
    }
    if (is_date_text(t, n)) {
        value->start = 0;
        value->end = n;
        return PL_META_DATE;
    }
    return PL_META_NONE;
}

static char **meta_slot(pl_blocks *b, pl_meta_field field)
{
    switch (field) {
    case PL_META_TITLE:
        return &b->title;
    case PL_META_AUTHOR:
        return &b->author;
    case PL_META_DATE:
        return &b->date;
    case PL_META_SOURCE:
        return &b->source;
    case PL_META_NONE:
        break;
    }
    return NULL;
}

/* Marks block i as metadata when it reads like one; fills the field. */
static pl_status try_meta(pl_blocks *b, feat *f, size_t i, pl_error *err)
{
    const pl_block *blk = &b->items[i];
    const char *t = b->text.data + blk->start;
    span v;
    pl_meta_field field;
    if (f[i].skip || f[i].cf == CF_GOOD || blk->kind == PL_BLOCK_ITEM)
        return PL_OK;
    field = match_meta(t, blk->end - blk->start, &v);
    if (field == PL_META_NONE)
        return PL_OK;
    f[i].meta = (unsigned char)field;
    f[i].skip = 1;
    return pl_blocks_set_meta(meta_slot(b, field), t + v.start, v.end - v.start, err);
}

/* Where a title's site or date suffix starts: the last " | ", " - ", " – ",
 * " — ", " :: " or " · "; *sep_len gets the separator's length. Returns 0
 * when there is none. */
static size_t find_suffix(const char *t, size_t n, size_t *sep_len, int *is_dash)
{
    size_t i;
    for (i = n; i-- > 1;) {
        size_t len = 0;
        if (t[i - 1] != ' ')
            continue;
        if (t[i] == '|' || t[i] == '-')
            len = 1;
        else if (i + 2 < n && (memcmp(t + i, "::", 2) == 0))
            len = 2;
        else if (i + 2 < n && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xB7)
            len = 2;
        else if (i + 3 < n &&
                 (memcmp(t + i, "\xE2\x80\x93", 3) == 0 || memcmp(t + i, "\xE2\x80\x94", 3) == 0))
            len = 3;
        if (len && i + len < n && t[i + len] == ' ') {
            *sep_len = len + 2;
            *is_dash = t[i] == '-' || (unsigned char)t[i] == 0xE2;
            return i - 1;
        }
    }
    return 0;
}

static size_t count_words(const char *t, size_t n)
{
    size_t i, words = 0;
    for (i = 0; i < n; i++)
        words += !is_space((unsigned char)t[i]) && (i == 0 || is_space((unsigned char)t[i - 1]));
    return words;
}

/* The title without its " - 2024-07-22" or " | Site" suffix, which go to
 * date and source. A dash also joins the halves of real titles ("Brexit -
 * what next"), so after a dash only a date or a short capitalised name is
 * taken for a suffix. */
static pl_status take_title(pl_blocks *b, const char *t, size_t n, pl_error *err)
{
    int round;
    pl_status st;
    for (round = 0; round < 2; round++) {
        size_t sep_len = 0, at;
        int is_dash = 0;
        const char *suffix;
        size_t suffix_len;
        at = find_suffix(t, n, &sep_len, &is_dash);
        if (at == 0)
            break;
        suffix = t + at + sep_len;
        suffix_len = n - at - sep_len;
        if (is_date_text(suffix, suffix_len)) {
            st = pl_blocks_set_meta(&b->date, suffix, suffix_len, err);
        } else if (suffix_len <= SITE_MAX_BYTES && suffix_len < at &&
                   is_upper_start((unsigned char)suffix[0]) &&
                   (!is_dash || count_words(suffix, suffix_len) <= 3)) {
            st = pl_blocks_set_meta(&b->source, suffix, suffix_len, err);
        } else {
            break;
        }
        if (st != PL_OK)
            return st;
        n = at;
    }
    return pl_blocks_set_meta(&b->title, t, n, err);
}

/* ---- context ------------------------------------------------------------ */

/* For every visible block, the class of the nearest visible block before it
 * (prev) and after it (next) that is not short and, when skip_near, not
 * near-good either; CF_BAD at the ends, as jusText does. One sweep each way. */
static void neighbours(const feat *f, size_t count, int use_final, int skip_near,
                       unsigned char *prev, unsigned char *next)
{
    size_t i;
    unsigned char seen = CF_BAD;
    for (i = 0; i < count; i++) {
        unsigned char c = use_final ? f[i].cls : f[i].cf;
        prev[i] = seen;
        if (f[i].skip || c == CF_SHORT || (skip_near && c == CF_NEAR))
            continue;
        seen = c;
    }
    seen = CF_BAD;
    for (i = count; i-- > 0;) {
        unsigned char c = use_final ? f[i].cls : f[i].cf;
        next[i] = seen;
        if (f[i].skip || c == CF_SHORT || (skip_near && c == CF_NEAR))
            continue;
        seen = c;
    }
}

/* jusText's second pass: a short block is good between goods and bad
 * between bads; between the two it is good only when a near-good block
 * stands between it and the bad side. Then a near-good block is bad only
 * between bads. Titles and metadata are not there for it. */
static pl_status resolve_context(feat *f, size_t count, pl_error *err)
{
    unsigned char *buf = pl_malloc(4 * (count ? count : 1));
    unsigned char *prev, *next, *prev_near, *next_near;
    unsigned char seen;
    size_t i;
    if (!buf)
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    prev = buf;
    next = buf + count;
    prev_near = buf + 2 * count;
    next_near = buf + 3 * count;
    for (i = 0; i < count; i++)
        f[i].cls = f[i].cf;
    neighbours(f, count, 0, 1, prev, next);
    neighbours(f, count, 0, 0, prev_near, next_near);
    for (i = 0; i < count; i++) {
        if (f[i].skip || f[i].cf != CF_SHORT)
            continue;
        if (prev[i] == CF_GOOD && next[i] == CF_GOOD)
            f[i].cls = CF_GOOD;
        else if (prev[i] == CF_BAD && next[i] == CF_BAD)
            f[i].cls = CF_BAD;
        else if ((prev[i] == CF_BAD && prev_near[i] == CF_NEAR) ||
                 (next[i] == CF_BAD && next_near[i] == CF_NEAR))
            f[i].cls = CF_GOOD;
        else
            f[i].cls = CF_BAD;
    }
    /* Near-good blocks: the one before is already settled when the sweep
     * reaches a block, the ones after are looked up past other near-goods. */
    neighbours(f, count, 1, 1, prev, next);
    seen = CF_BAD;
    for (i = 0; i < count; i++) {
        if (f[i].skip)
            continue;
        if (f[i].cls == CF_NEAR)
            f[i].cls = seen == CF_BAD && next[i] == CF_BAD ? CF_BAD : CF_GOOD;
        seen = f[i].cls;
    }
    pl_free(buf);
    return PL_OK;
}

/* A heading belongs to the body when the block it introduces does. */
static int heading_can_join(const pl_block *blk, const feat *f)
{
    return blk->kind == PL_BLOCK_HEADING && !f->chrome;
}

pl_status pl_boilerplate_classify(pl_blocks *b, pl_error *err)
{
    feat *f;
    size_t i, total_words = 0, total_stops = 0, first = 0, last = 0, good = 0, reach;
    int no_stopwords;
    pl_status st = PL_OK;

    if (!b)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no block list");
    if (b->count == 0)
        return PL_OK;
    f = pl_calloc(b->count, sizeof *f);
    if (!f) {
        st = pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        goto done;
    }

    for (i = 0; i < b->count; i++) {
        const pl_block *blk = &b->items[i];
        measure(b->text.data + blk->start, blk->end - blk->start, blk, &f[i]);
        total_words += f[i].words;
        total_stops += f[i].stops;
    }
    no_stopwords =
        total_words >= NO_STOP_MIN_WORDS && total_stops * 100 < total_words * NO_STOP_PCT;
    for (i = 0; i < b->count; i++) {
        judge_density(&f[i], b->items[i].end - b->items[i].start, no_stopwords);
        if (f[i].cf == CF_GOOD) {
            if (!good++)
                first = i;
            last = i;
        }
    }

    /* Titles first: they are never body, and a plain-text "title" that is
     * really a byline or a date ("By Jane Doe" on the first line) is
     * metadata of that kind instead. */
    for (i = 0; i < b->count; i++) {
        pl_block *blk = &b->items[i];
        const char *t = b->text.data + blk->start;
        size_t n = blk->end - blk->start;
        span v;
        pl_meta_field field;
        if (blk->kind != PL_BLOCK_TITLE)
            continue;
        f[i].skip = 1;
        field = match_meta(t, n, &v);
        if (field == PL_META_AUTHOR || field == PL_META_DATE) {
            blk->kind = PL_BLOCK_PARAGRAPH;
            blk->heading_level = 0;
            f[i].meta = (unsigned char)field;
            st = pl_blocks_set_meta(meta_slot(b, field), t + v.start, v.end - v.start, err);
        } else {
            f[i].meta = PL_META_TITLE;
            st = b->title ? PL_OK : take_title(b, t, n, err);
        }
        if (st != PL_OK)
            goto done;
    }

    /* Metadata only at the edges of the body: bylines and dates above it,
     * author notes and sources below it. With no body found yet (a short
     * note) the whole text is an edge. */
    reach = 0;
    for (i = good ? first : b->count; i-- > 0 && reach < META_REACH; reach++)
        if ((st = try_meta(b, f, i, err)) != PL_OK)
            goto done;
    reach = 0;
    for (i = good ? last + 1 : 0; i < b->count && reach < META_REACH; i++, reach++)
        if ((st = try_meta(b, f, i, err)) != PL_OK)
            goto done;

    if (!good) {
        /* Nothing reads as an article on its own (a note of two sentences):
         * keep all that is not chrome. */
        for (i = 0; i < b->count; i++)
            f[i].cls = f[i].cf == CF_BAD ? CF_BAD : CF_GOOD;
    } else {
        size_t j, lo = first, hi = last;
        /* A borderline paragraph right against the body, ending a sentence,
         * extends it (a short closing paragraph); anything else ends it. */
        for (j = last + 1; j < b->count; j++) {
            if (f[j].skip || f[j].cf != CF_NEAR || !f[j].sentence || f[j].chrome)
                break;
            hi = j;
        }
        /* Above the body, a lede is often one short sentence ("Chelsea have
         * sacked their manager."): a sentence of a few words joins too. */
        for (j = first; j-- > 0;) {
            if (f[j].skip || (f[j].cf != CF_NEAR && f[j].cf != CF_SHORT) || !f[j].sentence ||
                f[j].chrome || f[j].words < SHORT_WORDS)
                break;
            lo = j;
        }
        st = resolve_context(f, b->count, err);
        if (st != PL_OK)
            goto done;
        /* Outside the body nothing is body: jusText would keep a near-good
         * sidebar next to the last paragraph; here chrome wins there. The
         * extensions are body whatever their neighbours, which are chrome. */
        for (i = 0; i < b->count; i++) {
            if (i < lo || i > hi)
                f[i].cls = CF_BAD;
            else if (i < first || i > last)
                f[i].cls = CF_GOOD;
        }
    }

    /* Headings take the class of the block they introduce (stacked headings
     * too, hence the backward sweep); metadata does not separate them. */
    {
        unsigned char after = CF_BAD;
        for (i = b->count; i-- > 0;) {
            if (f[i].skip)
                continue;
            if (heading_can_join(&b->items[i], &f[i]) && f[i].cls != CF_GOOD)
                f[i].cls = after;
            after = f[i].cls;
        }
    }

    for (i = 0; i < b->count; i++) {
        pl_block *blk = &b->items[i];
        blk->meta = (pl_meta_field)f[i].meta;
        if (f[i].meta != PL_META_NONE)
            blk->cls = PL_CLASS_METADATA;
        else
            blk->cls = f[i].cls == CF_GOOD ? PL_CLASS_BODY : PL_CLASS_BOILERPLATE;
    }
done:
    pl_free(f);
    return st;
}
