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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
