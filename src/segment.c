/* Sentence segmentation of one block of clean text. A single forward pass
 * looks for terminal marks and decides at each one, from a few bytes of
 * context on either side, whether a sentence ends there. */
#include "segment.h"

#include <stdint.h>
#include <string.h>

/* How far the word before a period is examined; abbreviations are short, and
 * a fixed bound keeps the pass linear however long a "word" gets. */
#define WORD_LOOKBACK 24
/* Bound on the opening/closing punctuation looked through after a mark. */
#define PUNCT_LOOKAHEAD 8

enum mark {
    MARK_NONE = 0,
    MARK_PERIOD, /* '.': may be an abbreviation, a decimal point, a list number */
    MARK_STRONG, /* ! ? … and non-Latin marks written before a space */
    MARK_CJK     /* 。！？｡: end a sentence even with no space after */
};

enum letter_class {
    NOT_LETTER = 0,
    LETTER_UPPER,
    LETTER_LOWER,
    LETTER_CASELESS, /* Han, kana, Hangul, Arabic…: a capital is impossible */
    DIGIT
};

/* Bytes that may begin a terminal mark; everything else is skipped by the
 * main loop with one table look-up. 0xE0 (Devanagari danda), 0xD8/0xDB
 * (Arabic marks), 0xE2 (…), 0xE3 (。) and 0xEF (fullwidth ！？) are the lead
 * bytes of the multi-byte marks. */
static const unsigned char candidate[256] = {
    ['.'] = 1,  ['!'] = 1,  ['?'] = 1,  [0xD8] = 1, [0xDB] = 1,
    [0xE0] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1,
};

/* SWAR: eight bytes tested at once. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGH_BITS UINT64_C(0x8080808080808080)

/* Whether v may hold a candidate: '.', '!', '?' or a byte from 0x80 on. A
 * byte equal to c leaves a zero in v ^ c, which the borrow of "- ONES"
 * flags; it can flag a false byte too, but only above a true one. */
static int may_hold_candidate(uint64_t v)
{
    uint64_t a = v ^ (ONES * '.'), b = v ^ (ONES * '!'), c = v ^ (ONES * '?');
    return ((((a - ONES) & ~a) | ((b - ONES) & ~b) | ((c - ONES) & ~c) | v) & HIGH_BITS) != 0;
}

/* Offset of the first candidate byte at or after i, or n. Prose has a
 * terminal mark every hundred bytes or so: the bytes between are skipped
 * eight at a time, then looked up one by one within the eight that may hold
 * one (a letter from 0x80 on often is no candidate at all). */
static size_t next_candidate(const unsigned char *s, size_t n, size_t i)
{
    for (;;) {
        size_t stop;
        while (n - i >= 8) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (may_hold_candidate(v))
                break;
            i += 8;
        }
        stop = n - i >= 8 ? i + 8 : n;
        for (; i < stop; i++)
            if (candidate[s[i]])
                return i;
        if (i >= n)
            return n;
    }
}

/* Decodes one code point of (assumed valid) UTF-8; a truncated or stray
 * byte decodes to U+FFFD with length 1 so callers always make progress. */
static int32_t decode(const unsigned char *s, size_t n, size_t *len)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *len = 1;
        return c;
    }
    if (c >= 0xC2 && c < 0xE0 && n >= 2) {
        *len = 2;
        return ((int32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
    }
    if (c >= 0xE0 && c < 0xF0 && n >= 3) {
        *len = 3;
        return ((int32_t)(c & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
    if (c >= 0xF0 && c < 0xF5 && n >= 4) {
        *len = 4;
        return ((int32_t)(c & 0x07) << 18) | ((int32_t)(s[1] & 0x3F) << 12) |
               ((int32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
    *len = 1;
    return 0xFFFD;
}

/* Decodes the code point that ends just before s[i] (i > lo). */
static int32_t decode_before(const unsigned char *s, size_t lo, size_t i)
{
    size_t j = i - 1, len;
    while (j > lo && i - j < 4 && (s[j] & 0xC0) == 0x80)
        j--;
    return decode(s + j, i - j, &len);
}

/* Case of a code point, roughly: good enough to tell whether a word can open
 * a sentence, without pulling in the Unicode tables. Unknown scripts count
 * as caseless letters, which only makes a boundary more likely after a
 * mark that is already followed by white space. */
static enum letter_class classify(int32_t c)
{
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
            return LETTER_UPPER;
        if (c >= 'a' && c <= 'z')
            return LETTER_LOWER;
        if (c >= '0' && c <= '9')
            return DIGIT;
        return NOT_LETTER;
    }
    if (c < 0x100) {
        if (c == 0xD7 || c == 0xF7)
            return NOT_LETTER;
        if (c >= 0xC0 && c <= 0xDE)
            return LETTER_UPPER;
        if (c >= 0xDF || c == 0xAA || c == 0xB5 || c == 0xBA)
            return LETTER_LOWER;
        return NOT_LETTER;
    }
    if (c < 0x180) { /* Latin Extended-A: mostly upper/lower pairs */
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1) ? LETTER_UPPER : LETTER_LOWER;
        if (c == 0x138 || c == 0x149 || c == 0x17F)
            return LETTER_LOWER;
        if (c == 0x178)
            return LETTER_UPPER;
        return (c & 1) ? LETTER_LOWER : LETTER_UPPER;
    }
    if (c < 0x250) /* Latin Extended-B: the pairs from U+01F8 on */
        return (c >= 0x1F8 && c <= 0x233 && !(c & 1)) ? LETTER_UPPER : LETTER_LOWER;
    if (c < 0x2B0)
        return LETTER_LOWER; /* IPA */
    if (c < 0x370)
        return NOT_LETTER; /* modifiers, combining marks */
    if (c < 0x400) {       /* Greek */
        if (c == 0x386 || (c >= 0x388 && c <= 0x3AB))
            return LETTER_UPPER;
        if (c >= 0x3AC)
            return LETTER_LOWER;
        return NOT_LETTER;
    }
    if (c < 0x530) { /* Cyrillic */
        if (c < 0x430)
            return LETTER_UPPER;
        if (c < 0x460)
            return LETTER_LOWER;
        if (c >= 0x482 && c <= 0x489)
            return NOT_LETTER;
        if (c == 0x4C0)
            return LETTER_UPPER;
        if (c >= 0x4C1 && c <= 0x4CE)
            return (c & 1) ? LETTER_UPPER : LETTER_LOWER;
        return (c & 1) ? LETTER_LOWER : LETTER_UPPER;
    }
    if (c < 0x590) { /* Armenian */
        if (c >= 0x531 && c <= 0x556)
            return LETTER_UPPER;
        if (c >= 0x561 && c <= 0x587)
            return LETTER_LOWER;
        return NOT_LETTER;
    }
    if (c < 0x1D00) {
        if (c >= 0x10A0 && c <= 0x10C5)
            return LETTER_UPPER; /* Georgian Asomtavruli */
        if (c == 0x589 || (c >= 0x5BE && c <= 0x5C6 && c != 0x5C1 && c != 0x5C2) ||
            (c >= 0x600 && c <= 0x61F) || c == 0x66A || c == 0x66B || c == 0x66C || c == 0x6D4 ||
            c == 0x964 || c == 0x965 || (c >= 0x1AB0 && c <= 0x1AFF))
            return NOT_LETTER;
        if ((c >= 0x660 && c <= 0x669) || (c >= 0x6F0 && c <= 0x6F9) || (c >= 0x966 && c <= 0x96F))
            return DIGIT;
        return LETTER_CASELESS;
    }
    if (c < 0x1E00)
        return (c >= 0x1DC0) ? NOT_LETTER : LETTER_LOWER;
    if (c < 0x1F00) { /* Latin Extended Additional: pairs */
        if (c >= 0x1E96 && c <= 0x1E9D)
            return LETTER_LOWER;
        return (c & 1) ? LETTER_LOWER : LETTER_UPPER;
    }
    if (c < 0x2000) { /* Greek Extended: capitals have bit 3 set */
        if (c < 0x1F70 || (c >= 0x1F80 && c < 0x1FB0))
            return (c & 0x8) ? LETTER_UPPER : LETTER_LOWER;
        return LETTER_LOWER;
    }
    if (c < 0x2C00)
        return NOT_LETTER; /* punctuation, symbols, arrows, maths */
    if (c < 0x2E00)
        return LETTER_LOWER;
    if (c < 0x2E80)
        return NOT_LETTER;
    if (c < 0x3000)
        return LETTER_CASELESS;
    if (c < 0x3040)
        return (c >= 0x3005 && c <= 0x3007) ? LETTER_CASELESS : NOT_LETTER;
    if (c < 0xD800)
        return LETTER_CASELESS; /* kana, CJK, Yi, Hangul */
    if (c < 0xF900)
        return NOT_LETTER; /* surrogates, private use */
    if (c < 0xFB00)
        return LETTER_CASELESS;
    if (c < 0xFB07)
        return LETTER_LOWER;
    if (c < 0xFE00)
        return LETTER_CASELESS;
    if (c < 0xFE70)
        return NOT_LETTER;
    if (c < 0xFF00)
        return LETTER_CASELESS;
    if (c < 0xFFF0) { /* fullwidth and halfwidth forms */
        if (c >= 0xFF10 && c <= 0xFF19)
            return DIGIT;
        if (c >= 0xFF21 && c <= 0xFF3A)
            return LETTER_UPPER;
        if (c >= 0xFF41 && c <= 0xFF5A)
            return LETTER_LOWER;
        if (c >= 0xFF66 && c <= 0xFFDC)
            return LETTER_CASELESS;
        return NOT_LETTER;
    }
    if (c < 0x10000 || (c >= 0x1F000 && c < 0x20000) || c >= 0xE0000)
        return NOT_LETTER; /* specials, emoji, tags */
    return LETTER_CASELESS;
}

/* Length of the white space at s[i], or 0: ASCII space and line breaks
 * (PRE blocks keep '\n'), NBSP, the U+2000 spaces and the ideographic space. */
static size_t space_len(const unsigned char *s, size_t n, size_t i)
{
    unsigned char c = s[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0)
        return 2;
    if (c == 0xE2 && i + 2 < n) {
        if (s[i + 1] == 0x80 && (s[i + 2] <= 0x8A || s[i + 2] == 0xAF))
            return 3;
        if (s[i + 1] == 0x81 && s[i + 2] == 0x9F)
            return 3;
    }
    if (c == 0xE3 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x80)
        return 3;
    return 0;
}

static size_t skip_space(const unsigned char *s, size_t n, size_t i)
{
    size_t len;
    while (i < n && (len = space_len(s, n, i)) > 0)
        i += len;
    return i;
}

/* Moves end back over trailing white space, not below lo. */
static size_t trim_end(const unsigned char *s, size_t lo, size_t end)
{
    for (;;) {
        if (end > lo && space_len(s, end, end - 1) == 1) {
            end--;
        } else if (end >= lo + 2 && space_len(s, end, end - 2) == 2) {
            end -= 2;
        } else if (end >= lo + 3 && space_len(s, end, end - 3) == 3) {
            end -= 3;
        } else {
            return end;
        }
    }
}

static enum mark mark_at(const unsigned char *s, size_t n, size_t i, size_t *len)
{
    unsigned char c = s[i];
    *len = 1;
    if (c == '.')
        return MARK_PERIOD;
    if (c == '!' || c == '?')
        return MARK_STRONG;
    if (c < 0xC0)
        return MARK_NONE;
    if (c < 0xE0) {
        *len = 2;
        if (i + 1 >= n)
            return MARK_NONE;
        /* Arabic question mark, Arabic full stop */
        if ((c == 0xD8 && s[i + 1] == 0x9F) || (c == 0xDB && s[i + 1] == 0x94))
            return MARK_STRONG;
        return MARK_NONE;
    }
    *len = 3;
    if (i + 2 >= n)
        return MARK_NONE;
    unsigned char c1 = s[i + 1], c2 = s[i + 2];
    switch (c) {
    case 0xE0: /* Devanagari danda and double danda */
        return (c1 == 0xA5 && (c2 == 0xA4 || c2 == 0xA5)) ? MARK_STRONG : MARK_NONE;
    case 0xE2: /* … ‼ ⁇ ⁈ ⁉ */
        if ((c1 == 0x80 && (c2 == 0xA6 || c2 == 0xBC)) || (c1 == 0x81 && c2 >= 0x87 && c2 <= 0x89))
            return MARK_STRONG;
        return MARK_NONE;
    case 0xE3: /* 。 */
        return (c1 == 0x80 && c2 == 0x82) ? MARK_CJK : MARK_NONE;
    case 0xEF: /* ！ ？ ｡ */
        if ((c1 == 0xBC && (c2 == 0x81 || c2 == 0x9F)) || (c1 == 0xBD && c2 == 0xA1))
            return MARK_CJK;
        return MARK_NONE;
    default:
        return MARK_NONE;
    }
}

/* Closing quotes and brackets at s[i]: their length, or 0. ambiguous_ok
 * admits the ASCII quotes, which may just as well open the next sentence. */
static size_t closer_len(const unsigned char *s, size_t n, size_t i, int ambiguous_ok)
{
    unsigned char c = s[i];
    if (c == ')' || c == ']' || c == '}')
        return 1;
    if (c == '"' || c == '\'')
        return ambiguous_ok ? 1 : 0;
    if (c < 0xC2 || i + 1 >= n)
        return 0;
    if (c == 0xC2)
        return s[i + 1] == 0xBB ? 2 : 0; /* » */
    if (i + 2 >= n)
        return 0;
    unsigned char c1 = s[i + 1], c2 = s[i + 2];
    if (c == 0xE2) /* ’ ” › */
        return ((c1 == 0x80 && (c2 == 0x99 || c2 == 0x9D || c2 == 0xBA))) ? 3 : 0;
    if (c == 0xE3) /* 〉 》 」 』 】 〕 */
        return (c1 == 0x80 &&
                (c2 == 0x89 || c2 == 0x8B || c2 == 0x8D || c2 == 0x8F || c2 == 0x91 || c2 == 0x95))
                   ? 3
                   : 0;
    if (c == 0xEF) /* ） ］ ＂ ＇ */
        return (c1 == 0xBC && (c2 == 0x89 || c2 == 0xBD || c2 == 0x82 || c2 == 0x87)) ? 3 : 0;
    return 0;
}

/* Opening quotes, brackets and inverted marks at s[i]: their length, or 0. */
static size_t opener_len(const unsigned char *s, size_t n, size_t i)
{
    unsigned char c = s[i];
    if (c == '(' || c == '[' || c == '{' || c == '"' || c == '\'')
        return 1;
    if (c < 0xC2 || i + 1 >= n)
        return 0;
    if (c == 0xC2) /* ¡ « ¿ */
        return (s[i + 1] == 0xA1 || s[i + 1] == 0xAB || s[i + 1] == 0xBF) ? 2 : 0;
    if (i + 2 >= n)
        return 0;
    unsigned char c1 = s[i + 1], c2 = s[i + 2];
    if (c == 0xE2) /* ‘ “ „ ‹ */
        return (c1 == 0x80 && (c2 == 0x98 || c2 == 0x9C || c2 == 0x9E || c2 == 0xB9)) ? 3 : 0;
    if (c == 0xE3) /* 〈 《 「 『 【 〔 */
        return (c1 == 0x80 &&
                (c2 == 0x88 || c2 == 0x8A || c2 == 0x8C || c2 == 0x8E || c2 == 0x90 || c2 == 0x94))
                   ? 3
                   : 0;
    if (c == 0xEF) /* （ ［ ＂ */
        return (c1 == 0xBC && (c2 == 0x88 || c2 == 0xBB || c2 == 0x82)) ? 3 : 0;
    return 0;
}

/* The run of marks and closers that starts with a mark. */
struct cluster {
    size_t end;
    int periods; /* count of '.' */
    int strong;  /* any of ! ? … */
    int cjk;     /* any CJK full stop */
    int closers; /* a quote or bracket closes inside the run */
};

static void scan_cluster(const unsigned char *s, size_t n, size_t i, struct cluster *c)
{
    memset(c, 0, sizeof *c);
    while (i < n) {
        size_t len;
        enum mark m = mark_at(s, n, i, &len);
        if (m == MARK_PERIOD) {
            c->periods++;
        } else if (m == MARK_STRONG) {
            c->strong = 1;
        } else if (m == MARK_CJK) {
            c->cjk = 1;
        } else if ((len = closer_len(s, n, i, 1)) > 0) {
            c->closers = 1;
        } else {
            break;
        }
        i += len;
    }
    c->end = i;
}

/* Whether s[from..to) holds a letter or digit, scanned lazily: each call
 * resumes where the previous one stopped, so a sentence is read once. */
struct content_scan {
    size_t pos;
    int found;
};

static int has_content(struct content_scan *cs, const unsigned char *s, size_t to)
{
    while (!cs->found && cs->pos < to) {
        unsigned char c = s[cs->pos];
        if (c < 0x80) {
            cs->found = classify(c) != NOT_LETTER;
            cs->pos++;
        } else {
            size_t len;
            int32_t cp = decode(s + cs->pos, to - cs->pos, &len);
            cs->found = classify(cp) != NOT_LETTER;
            cs->pos += len;
        }
    }
    return cs->found;
}

static int is_ascii_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int is_ascii_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Binary search, since this runs at nearly every full stop: the lists below
 * must stay sorted by byte value. */
static int word_in(const unsigned char *w, size_t len, const char *const *list, size_t count)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const unsigned char *e = (const unsigned char *)list[mid];
        size_t k = 0;
        while (k < len && e[k] == w[k])
            k++;
        int cmp = k < len ? (int)e[k] - (int)w[k] : e[len] != '\0';
        if (cmp == 0)
            return 1;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Titles and Latin connectives: a capital after them is a name or a title,
 * never a new sentence ("Dr. The" does not occur; "Smith vs. The State" does). */
static const char *const strict_abbrevs[] = {
    "Capt",   "Cf",  "Col", "Dr",  "Ft",  "Gen", "Gov",  "Hon", "Lt",
    "Messrs", "Mme", "Mr",  "Mrs", "Ms",  "Mt",  "Prof", "Rep", "Rev",
    "Sen",    "Sgt", "Vs",  "cf",  "e.g", "i.e", "v",    "viz", "vs",
};

/* Abbreviations that usually precede a number or a name but may also end a
 * sentence ("Apple Inc. The company", "in Jan. The next month"). */
static const char *const soft_abbrevs[] = {
    "Apr",  "Art", "Aug", "Ave",  "Blvd", "Bros", "Ch",   "Co",     "Corp", "Dec", "Dept",
    "Ed",   "Eds", "Eq",  "Eqs",  "Feb",  "Fig",  "Figs", "Inc",    "Jan",  "Jr",  "Jul",
    "Jun",  "Ltd", "Mar", "No",   "Nos",  "Nov",  "Oct",  "Rd",     "Ref",  "Sec", "Sep",
    "Sept", "Sr",  "St",  "Univ", "Vol",  "Vols", "al",   "approx", "ca",   "p",   "pp",
};

/* Units and references abbreviated in lower case, which precede a figure
 * ("fn. 3", "6 ft. 2 in."); a figure after any other word may open a sentence. */
static const char *const number_abbrevs[] = {
    "approx", "art", "c",    "ca",  "ch",  "cm",  "ed",   "eq",   "fig",   "figs", "fn",
    "ft",     "gal", "hr",   "hrs", "in",  "kg",  "km",   "lb",   "lbs",   "mi",   "min",
    "mm",     "n",   "nn",   "no",  "nos", "op",  "oz",   "para", "paras", "pt",   "pts",
    "ref",    "sec", "sect", "sq",  "ver", "vol", "vols", "yd",   "yds",
};

/* Capitalised words that open sentences but are unlikely inside a name, so
 * that "the U.S. The next year" breaks and "the U.S. Congress" does not. */
static const char *const sentence_starters[] = {
    "A",     "After",     "All",     "Also",        "Although", "An",      "And",     "Are",
    "As",    "At",        "Because", "Before",      "Both",     "But",     "By",      "Despite",
    "Did",   "Do",        "Does",    "During",      "Each",     "Even",    "Every",   "Finally",
    "First", "For",       "From",    "Furthermore", "He",       "Her",     "Here",    "His",
    "How",   "However",   "I",       "If",          "In",       "Instead", "Is",      "It",
    "Its",   "Last",      "Many",    "Meanwhile",   "Moreover", "Most",    "My",      "Next",
    "Not",   "Now",       "On",      "Or",          "Other",    "Our",     "She",     "Since",
    "So",    "Some",      "Still",   "Such",        "That",     "The",     "Their",   "Then",
    "There", "Therefore", "These",   "They",        "This",     "Those",   "Though",  "Thus",
    "To",    "Today",     "Unlike",  "Was",         "We",       "Were",    "What",    "When",
    "Where", "Which",     "While",   "Who",         "Why",      "With",    "Without", "Yesterday",
    "Yet",   "You",       "Your",
};

/* Whether the word at s[i] is one of sentence_starters, as a whole word that
 * is not itself followed by a period (so "J. A. Smith" does not match "A"). */
static int is_starter(const unsigned char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && j - i < 12 && is_ascii_alpha(s[j]))
        j++;
    if (j == i || (j < n && (is_ascii_alpha(s[j]) || is_ascii_digit(s[j]) || s[j] == '.')))
        return 0;
    return word_in(s + i, j - i, sentence_starters, COUNT(sentence_starters));
}

static int is_roman(const unsigned char *w, size_t len)
{
    if (len == 0 || len > 4)
        return 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)(w[k] | 0x20);
        if (c != 'i' && c != 'v' && c != 'x')
            return 0;
    }
    return 1;
}

/* "U.S", "a.m", "Ph.D": letters in short pieces joined by periods, one of
 * them a single letter; rules out "example.com" and "co.uk". */
static int is_dotted_abbrev(const unsigned char *w, size_t len)
{
    size_t piece = 0;
    int dots = 0, single = 0;
    for (size_t k = 0; k <= len; k++) {
        if (k == len || w[k] == '.') {
            if (piece == 0 || piece > 3)
                return 0;
            single |= piece == 1;
            dots += k < len;
            piece = 0;
        } else if (is_ascii_alpha(w[k])) {
            piece++;
        } else {
            return 0;
        }
    }
    return dots > 0 && single;
}

enum period_kind {
    PERIOD_PLAIN,  /* a full stop */
    PERIOD_STRICT, /* never a boundary */
    PERIOD_SOFT    /* a boundary only before a sentence starter */
};

/* Classifies the single '.' at s[dot] from the word before it. first is the
 * start of the sentence, where a number or a letter is a list marker;
 * before_number tells that a number follows. */
static enum period_kind classify_period(const unsigned char *s, size_t first, size_t dot,
                                        int before_number)
{
    size_t ws = dot;
    while (ws > first && dot - ws < WORD_LOOKBACK &&
           (is_ascii_alpha(s[ws - 1]) || is_ascii_digit(s[ws - 1]) || s[ws - 1] == '.'))
        ws--;
    if (ws == dot)
        return PERIOD_PLAIN;
    if (ws > first) {
        unsigned char b = s[ws - 1];
        /* the word goes on further back than we looked, or through a letter
         * outside ASCII: it is no abbreviation we know */
        if (is_ascii_alpha(b) || is_ascii_digit(b) || b == '.')
            return PERIOD_PLAIN;
        if (b >= 0x80 && classify(decode_before(s, first, ws)) != NOT_LETTER)
            return PERIOD_PLAIN;
    }
    const unsigned char *w = s + ws;
    size_t len = dot - ws;

    int digits = 0, letters = 0;
    for (size_t k = 0; k < len; k++) {
        digits += is_ascii_digit(w[k]);
        letters += is_ascii_alpha(w[k]);
    }
    /* "1. Log on to", "II. Methods", "b. Second item", "Steps: 1. Open" */
    int list_position = ws == first || (ws >= first + 2 && s[ws - 1] == ' ' && s[ws - 2] == ':');
    if (list_position && ((digits > 0 && letters == 0 && len <= 8) ||
                          (letters == (int)len && is_roman(w, len)) || (len == 1 && letters == 1)))
        return PERIOD_STRICT;
    if (digits > 0)
        return PERIOD_PLAIN;
    if (before_number && word_in(w, len, number_abbrevs, COUNT(number_abbrevs)))
        return PERIOD_STRICT;
    if (word_in(w, len, strict_abbrevs, COUNT(strict_abbrevs)))
        return PERIOD_STRICT;
    if (word_in(w, len, soft_abbrevs, COUNT(soft_abbrevs)))
        return PERIOD_SOFT;
    if (len == 1 && w[0] >= 'A' && w[0] <= 'Z')
        return PERIOD_SOFT; /* an initial: "J. K. Rowling", "George W. Bush" */
    if (is_dotted_abbrev(w, len))
        return PERIOD_SOFT;
    return PERIOD_PLAIN;
}

/* $ £ ¥ € at s[i]: an amount may open a sentence like a figure. */
static int is_currency(const unsigned char *s, size_t n, size_t i)
{
    if (s[i] == '$')
        return 1;
    if (s[i] == 0xC2 && i + 1 < n)
        return s[i + 1] == 0xA3 || s[i + 1] == 0xA5;
    return s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x82 && s[i + 2] == 0xAC;
}

/* Decides whether the sentence that began at first ends with the cluster of
 * marks at s[mark..c->end); on yes sets *sentence_end. */
static int is_boundary(const unsigned char *s, size_t n, size_t first, size_t mark,
                       const struct cluster *c, struct content_scan *cs, size_t *sentence_end)
{
    size_t after = c->end;
    if (c->cjk) {
        if (!has_content(cs, s, mark))
            return 0;
        *sentence_end = after;
        return 1;
    }
    size_t q = skip_space(s, n, after);
    if (q == after || q >= n)
        return 0;

    /* A closing quote cut off by a space ("Stop. ” Then") still belongs here. */
    size_t r = q, len, k = 0;
    while (r < n && k++ < PUNCT_LOOKAHEAD && (len = closer_len(s, n, r, 0)) > 0)
        r += len;
    if (r > q && (r == n || space_len(s, n, r) > 0)) {
        after = r;
        q = skip_space(s, n, after);
        if (q >= n)
            return 0;
    }

    if (!has_content(cs, s, mark))
        return 0;

    r = q;
    k = 0;
    while (r < n && k++ < PUNCT_LOOKAHEAD && (len = opener_len(s, n, r)) > 0)
        r += len;
    if (r >= n)
        return 0;
    enum letter_class next = classify(decode(s + r, n - r, &len));
    if (is_currency(s, n, r))
        next = DIGIT;
    if (next != LETTER_UPPER && next != DIGIT && next != LETTER_CASELESS)
        return 0;

    if (c->strong || c->periods > 1 || c->closers) {
        *sentence_end = after;
        return 1;
    }
    switch (classify_period(s, first, mark, next == DIGIT)) {
    case PERIOD_STRICT:
        return 0;
    case PERIOD_SOFT:
        if (!is_starter(s, n, r))
            return 0;
        break;
    case PERIOD_PLAIN:
        break;
    }
    *sentence_end = after;
    return 1;
}

int pl_segment_next(const char *text, size_t n, size_t pos, size_t *start, size_t *end)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t first = skip_space(s, n, pos);
    if (first >= n)
        return 0;
    struct content_scan cs = {first, 0};
    size_t i = first;
    while (i < n) {
        i = next_candidate(s, n, i);
        if (i >= n)
            break;
        size_t len;
        if (mark_at(s, n, i, &len) == MARK_NONE) {
            i++; /* a lead byte; its continuation bytes are never candidates */
            continue;
        }
        struct cluster c;
        scan_cluster(s, n, i, &c);
        size_t sentence_end;
        if (is_boundary(s, n, first, i, &c, &cs, &sentence_end)) {
            *start = first;
            *end = sentence_end;
            return 1;
        }
        i = c.end;
    }
    *start = first;
    *end = trim_end(s, first, n);
    return 1;
}
