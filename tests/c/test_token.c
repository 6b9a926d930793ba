/* Tests for src/token.c: exact (start, end, kind) lists for words, numbers
 * and CJK characters, and the stopword list. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "token.h"

#define W PL_TOKEN_WORD
#define N PL_TOKEN_NUMBER
#define C PL_TOKEN_CJK

#define MAX_TOKENS 64

/* Tokenizes all of text and compares with want[0..count). */
static void expect_tokens(const char *text, const pl_token *want, size_t count)
{
    size_t n = strlen(text), pos = 0, got = 0;
    pl_token tok;

    while (pl_token_next(text, n, &pos, &tok)) {
        assert_true(got < count);
        assert_int_equal(tok.start, want[got].start);
        assert_int_equal(tok.end, want[got].end);
        assert_int_equal(tok.kind, want[got].kind);
        assert_int_equal(pos, tok.end);
        got++;
    }
    assert_int_equal(got, count);
    assert_int_equal(pos, n);
    /* Exhausted stays exhausted. */
    assert_int_equal(pl_token_next(text, n, &pos, &tok), 0);
}

#define TOKENS(text, ...)                                                                          \
    do {                                                                                           \
        static const pl_token want_[] = {__VA_ARGS__};                                             \
        expect_tokens(text, want_, sizeof want_ / sizeof want_[0]);                                \
    } while (0)

static void test_article_sentence(void **state)
{
    (void)state;
    TOKENS("China\xE2\x80\x99s high-quality growth rose 3.5% in 2024, 1,000 firms; "
           "\xE6\x96\xB0\xE8\xB4\xA8\xE7\x94\x9F\xE4\xBA\xA7\xE5\x8A\x9B COVID-19",
           {0, 9, W}, {10, 22, W}, {23, 29, W}, {30, 34, W}, {35, 38, N}, {40, 42, W}, {43, 47, N},
           {49, 54, N}, {55, 60, W}, {62, 65, C}, {65, 68, C}, {68, 71, C}, {71, 74, C},
           {74, 77, C}, {78, 86, W});
}

static void test_connectors_need_a_letter_or_digit_after(void **state)
{
    (void)state;
    TOKENS("don't don\xE2\x80\x99t", {0, 5, W}, {6, 13, W});
    TOKENS("students' work", {0, 8, W}, {10, 14, W});
    TOKENS("'quoted' well- -dash", {1, 7, W}, {9, 13, W}, {16, 20, W});
    TOKENS("state-owned-enterprise", {0, 22, W});
    TOKENS("R&D U.S.", {0, 1, W}, {2, 3, W}, {4, 5, W}, {6, 7, W});
    TOKENS("COVID\xE2\x80\x91"
           "19",
           {0, 10, W}); /* non-breaking hyphen */
    TOKENS("it\xE2\x80\x99", {0, 2, W});
}

static void test_numbers(void **state)
{
    (void)state;
    TOKENS("21:30 2024-07-22 -5 3. 1,000,000.50", {0, 5, N}, {6, 16, N}, {18, 19, N}, {20, 21, N},
           {23, 35, N});
    TOKENS("10-year 2020-2025", {0, 2, N}, {3, 7, W}, {8, 17, N});
    TOKENS("\xEF\xBC\x92\xEF\xBC\x90", {0, 6, N}); /* full-width digits */
}

static void test_digits_then_letters_make_a_word(void **state)
{
    (void)state;
    TOKENS("5G 14th G20 v2.0", {0, 2, W}, {3, 7, W}, {8, 11, W}, {12, 14, W}, {15, 16, N});
}

static void test_cjk_splits_from_everything(void **state)
{
    (void)state;
    /* 2024年GDP增长 */
    TOKENS("2024\xE5\xB9\xB4GDP\xE5\xA2\x9E\xE9\x95\xBF", {0, 4, N}, {4, 7, C}, {7, 10, W},
           {10, 13, C}, {13, 16, C});
    /* foo-中: the hyphen does not join a CJK character. */
    TOKENS("foo-\xE4\xB8\xAD", {0, 3, W}, {4, 7, C});
    /* 。、 are punctuation; カ and 한 are tokens of their own. */
    TOKENS("\xE3\x80\x82\xE3\x80\x81\xE3\x82\xAB\xED\x95\x9C", {6, 9, C}, {9, 12, C});
}

static void test_other_scripts_and_marks(void **state)
{
    (void)state;
    /* naïve Cafe\u0301 Москва */
    TOKENS("na\xC3\xAFve Cafe\xCC\x81 \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", {0, 6, W},
           {7, 13, W}, {14, 26, W});
    /* A leading combining mark is skipped, not a token. */
    TOKENS("\xCC\x81x", {2, 3, W});
}

static void test_nothing_to_find(void **state)
{
    const char *punct = " -- ,.; \xE2\x80\x94 \xE3\x80\x82";
    size_t pos = 0;
    pl_token tok;

    (void)state;
    assert_int_equal(pl_token_next("", 0, &pos, &tok), 0);
    assert_int_equal(pos, 0);
    assert_int_equal(pl_token_next(punct, strlen(punct), &pos, &tok), 0);
    assert_int_equal(pos, strlen(punct));
    pos = 20;
    assert_int_equal(pl_token_next("abc", 3, &pos, &tok), 0);
}

static void test_resumes_from_pos(void **state)
{
    const char *text = "alpha beta";
    size_t pos = 2;
    pl_token tok;

    (void)state;
    assert_int_equal(pl_token_next(text, strlen(text), &pos, &tok), 1);
    assert_int_equal(tok.start, 2);
    assert_int_equal(tok.end, 5);
    assert_int_equal(pos, 5);
}

static int stop(const char *word)
{
    return pl_is_stopword(word, strlen(word));
}

static void test_stopwords(void **state)
{
    static const char *const yes[] = {"The",
                                      "the",
                                      "THE",
                                      "of",
                                      "and",
                                      "a",
                                      "don't",
                                      "don\xE2\x80\x99t",
                                      "Don\xE2\x80\x99T",
                                      "yourselves",
                                      "shouldn\xE2\x80\x99t",
                                      "about",
                                      "would",
                                      "wouldn't",
                                      "itself",
                                      "which",
                                      "they're",
                                      "i",
                                      "I'm",
                                      "yet",
                                      "won't",
                                      "ought",
                                      "whom",
                                      "between",
                                      "it's"};
    static const char *const no[] = {
        "policy",     "China", "us",          "US",          "",
        "th",         "dont",  "don`t",       "thee",        "an'",
        "theyre",     "z",     "yourselvesx", "caf\xC3\xA9", "don\xE2\x80\x98t",
        "don\xE2\x80"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (!stop(yes[i]))
            fail_msg("expected a stopword: %s", yes[i]);
    }
    for (i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (stop(no[i]))
            fail_msg("expected not a stopword: %s", no[i]);
    }
    /* Only the first len bytes count. */
    assert_true(pl_is_stopword("theory", 3));
    assert_false(pl_is_stopword("the", 2));
}

/* The stopword list as plain text, which src/token.c holds as a hash
 * table: every word must be found, in any case and with a curly apostrophe,
 * and nothing else near it (one letter more, less or changed, every string
 * of up to three letters and apostrophes). "us" is left out on purpose. */
static const char *const STOPWORD_LIST[] = {
    "a",          "i",        "am",       "an",       "as",        "at",        "be",
    "by",         "do",       "he",       "if",       "in",        "is",        "it",
    "me",         "my",       "no",       "of",       "on",        "or",        "so",
    "to",         "up",       "we",       "all",      "and",       "any",       "are",
    "but",        "can",      "did",      "few",      "for",       "had",       "has",
    "her",        "him",      "his",      "how",      "i'd",       "i'm",       "its",
    "may",        "nor",      "not",      "now",      "off",       "our",       "out",
    "own",        "she",      "the",      "too",      "was",       "who",       "why",
    "yet",        "you",      "also",     "been",     "both",      "does",      "down",
    "each",       "else",     "ever",     "from",     "have",      "he'd",      "he's",
    "here",       "hers",     "i'll",     "i've",     "into",      "it's",      "just",
    "more",       "most",     "much",     "must",     "once",      "only",      "ours",
    "over",       "same",     "some",     "such",     "than",      "that",      "them",
    "then",       "they",     "this",     "upon",     "very",      "we'd",      "were",
    "what",       "when",     "whom",     "will",     "with",      "your",      "about",
    "above",      "after",    "again",    "being",    "below",     "can't",     "could",
    "doing",      "don't",    "he'll",    "how's",    "isn't",     "it'll",     "let's",
    "might",      "other",    "ought",    "shall",    "she'd",     "she's",     "their",
    "there",      "these",    "those",    "under",    "until",     "we'll",     "we're",
    "we've",      "where",    "which",    "while",    "who's",     "whose",     "why's",
    "won't",      "would",    "you'd",    "yours",    "aren't",    "before",    "cannot",
    "didn't",     "during",   "either",   "hadn't",   "hasn't",    "having",    "here's",
    "itself",     "myself",   "shan't",   "she'll",   "should",    "that's",    "theirs",
    "they'd",     "though",   "wasn't",   "what's",   "when's",    "within",    "you'll",
    "you're",     "you've",   "against",  "because",  "between",   "doesn't",   "further",
    "haven't",    "herself",  "himself",  "however",  "mustn't",   "neither",   "there's",
    "they'll",    "they're",  "they've",  "through",  "weren't",   "where's",   "whether",
    "without",    "couldn't", "wouldn't", "yourself", "ourselves", "shouldn't", "themselves",
    "yourselves",
};

/* The home slot of a word in src/token.c's table (the same formula), so that
 * a failure says where a missing word belongs. */
static unsigned home_slot(const char *w)
{
    unsigned char b[16] = {0};
    uint64_t lo = 0, hi = 0;
    size_t i;
    memcpy(b, w, strlen(w));
    for (i = 0; i < 8; i++) {
        lo |= (uint64_t)b[i] << (8 * i);
        hi |= (uint64_t)b[8 + i] << (8 * i);
    }
    return (unsigned)(((lo ^ hi * UINT64_C(0xC2B2AE3D27D4EB4F)) * UINT64_C(0x2C1CEAFE0DDF7521)) >>
                      (64 - 9));
}

static int in_list(const char *w)
{
    size_t i;
    for (i = 0; i < sizeof STOPWORD_LIST / sizeof STOPWORD_LIST[0]; i++)
        if (strcmp(STOPWORD_LIST[i], w) == 0)
            return 1;
    return 0;
}

static void expect_stopword_iff_listed(const char *w)
{
    if (stop(w) != in_list(w))
        fail_msg("%s: pl_is_stopword says %d, the list %d (home slot %u)", w, stop(w), in_list(w),
                 home_slot(w));
}

static void test_stopword_table_matches_the_list(void **state)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz'";
    char w[16], v[24];
    size_t i, j, k, len;

    (void)state;
    for (i = 0; i < sizeof STOPWORD_LIST / sizeof STOPWORD_LIST[0]; i++) {
        const char *word = STOPWORD_LIST[i];
        char *apostrophe;
        len = strlen(word);
        expect_stopword_iff_listed(word);
        for (j = 0; j < len; j++)
            w[j] = (char)(word[j] >= 'a' && word[j] <= 'z' ? word[j] - 32 : word[j]);
        w[len] = '\0';
        if (!stop(w))
            fail_msg("expected a stopword: %s", w);
        apostrophe = strchr(word, '\'');
        if (apostrophe) {
            size_t at = (size_t)(apostrophe - word);
            memcpy(v, word, at);
            memcpy(v + at, "\xE2\x80\x99", 3);
            strcpy(v + at + 3, word + at + 1);
            if (!stop(v))
                fail_msg("expected a stopword: %s", v);
        }
        /* One letter dropped, added at the end or changed. */
        for (j = 0; j < len; j++) {
            memcpy(w, word, j);
            strcpy(w + j, word + j + 1);
            expect_stopword_iff_listed(w);
            for (k = 0; letters[k]; k++) {
                strcpy(w, word);
                w[j] = letters[k];
                expect_stopword_iff_listed(w);
            }
        }
        for (k = 0; letters[k]; k++) {
            strcpy(w, word);
            w[len] = letters[k];
            w[len + 1] = '\0';
            expect_stopword_iff_listed(w);
        }
    }
    for (i = 0; letters[i]; i++) {
        for (j = 0; letters[j]; j++) {
            for (k = 0; letters[k]; k++) {
                w[0] = letters[i];
                w[1] = '\0';
                expect_stopword_iff_listed(w);
                w[1] = letters[j];
                w[2] = '\0';
                expect_stopword_iff_listed(w);
                w[2] = letters[k];
                w[3] = '\0';
                expect_stopword_iff_listed(w);
            }
        }
    }
}

/* The packing reads two overlapping pieces of a word and folds case with
 * bit tricks: a control byte must not pass for an apostrophe (BEL | 0x20 is
 * '\''), nor NUL for the end of the word, at any length. */
static void test_stopword_bytes_that_fold_alike(void **state)
{
    (void)state;
    assert_false(pl_is_stopword("i\x07m", 3));
    assert_false(pl_is_stopword("don\x07t", 5));
    assert_false(pl_is_stopword("shouldn\x07t", 9));
    assert_false(pl_is_stopword("a\0", 2));
    assert_false(pl_is_stopword("the\0", 4));
    assert_false(pl_is_stopword("yourself\0", 9));
    assert_false(pl_is_stopword("th\0e", 4));
    assert_false(pl_is_stopword("THE\x80", 4));
    assert_false(pl_is_stopword("i\xE2\x80\x99m\0", 6));
    assert_false(pl_is_stopword("i\xE2\x80\x99\0m", 6));
    assert_false(pl_is_stopword("@nd", 3));
    assert_false(pl_is_stopword("[he", 3));
    assert_true(pl_is_stopword("YoUrSeLvEs", 10));
    assert_true(pl_is_stopword("OURSELVES", 9));
    assert_false(pl_is_stopword("ourselve", 8));
    assert_false(pl_is_stopword("ourselvess", 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_sentence),
        cmocka_unit_test(test_connectors_need_a_letter_or_digit_after),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_digits_then_letters_make_a_word),
        cmocka_unit_test(test_cjk_splits_from_everything),
        cmocka_unit_test(test_other_scripts_and_marks),
        cmocka_unit_test(test_nothing_to_find),
        cmocka_unit_test(test_resumes_from_pos),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_stopword_table_matches_the_list),
        cmocka_unit_test(test_stopword_bytes_that_fold_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
