/* Tests for src/segment.c: each hard case of real prose is segmented and
 * compared sentence by sentence with what a careful reader would cut. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\n';
}

/* Runs the segmenter over text[0..n) and checks the contract on every
 * sentence: progress, bounds, trimmed ends. Returns the sentence count and
 * hands each sentence to visit (if not NULL). */
static size_t segment_all(const char *text, size_t n,
                          void (*visit)(const char *s, size_t len, size_t index, void *ud),
                          void *ud)
{
    size_t pos = 0, start = 0, end = 0, count = 0;
    while (pl_segment_next(text, n, pos, &start, &end)) {
        assert_true(start >= pos);
        assert_true(end > start);
        assert_true(end <= n);
        assert_false(is_space_byte((unsigned char)text[start]));
        assert_false(is_space_byte((unsigned char)text[end - 1]));
        if (visit)
            visit(text + start, end - start, count, ud);
        count++;
        pos = end;
    }
    return count;
}

struct expectation {
    const char *const *sentences;
    size_t count;
};

static void compare_one(const char *s, size_t len, size_t index, void *ud)
{
    const struct expectation *e = ud;
    if (index >= e->count) {
        print_error("unexpected sentence %zu: [%.*s]\n", index, (int)len, s);
        fail();
    }
    const char *want = e->sentences[index];
    if (strlen(want) != len || memcmp(want, s, len) != 0) {
        print_error("sentence %zu\n  got:  [%.*s]\n  want: [%s]\n", index, (int)len, s, want);
        fail();
    }
}

static void check_sentences(const char *text, const char *const *sentences, size_t count)
{
    struct expectation e = {sentences, count};
    size_t got = segment_all(text, strlen(text), compare_one, &e);
    if (got != count) {
        print_error("input [%s]: %zu sentences, want %zu\n", text, got, count);
        fail();
    }
}

#define EXPECT_SENTENCES(text, ...)                                                                \
    do {                                                                                           \
        static const char *const want_[] = {__VA_ARGS__};                                          \
        check_sentences(text, want_, sizeof want_ / sizeof want_[0]);                              \
    } while (0)

static void test_titles_times_and_months(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Mr. Smith went to Washington. He arrived at 3.5 p.m. on Jan. 5.",
                     "Mr. Smith went to Washington.", "He arrived at 3.5 p.m. on Jan. 5.");
    EXPECT_SENTENCES("Dr. Jones and Prof. Lee met Gen. Patton at St. Paul's.",
                     "Dr. Jones and Prof. Lee met Gen. Patton at St. Paul's.");
}

static void test_dotted_abbreviation_before_lowercase_or_name(void **state)
{
    (void)state;
    EXPECT_SENTENCES("The U.S. economy grew. The U.K. did not.", "The U.S. economy grew.",
                     "The U.K. did not.");
    EXPECT_SENTENCES("A bill passed the U.S. Congress today.",
                     "A bill passed the U.S. Congress today.");
    EXPECT_SENTENCES("She earned a Ph.D. in physics at 9 a.m. sharp.",
                     "She earned a Ph.D. in physics at 9 a.m. sharp.");
}

static void test_dotted_abbreviation_before_sentence_starter(void **state)
{
    (void)state;
    EXPECT_SENTENCES("They moved to the U.S. The next year they returned.",
                     "They moved to the U.S.", "The next year they returned.");
    EXPECT_SENTENCES("The meeting ended at 5 p.m. It had lasted all day.",
                     "The meeting ended at 5 p.m.", "It had lasted all day.");
    EXPECT_SENTENCES("Sino-U.S. Relations improved. Trade rose.", "Sino-U.S. Relations improved.",
                     "Trade rose.");
}

static void test_number_after_abbreviation(void **state)
{
    (void)state;
    EXPECT_SENTENCES("See No. 5 for details. Then stop.", "See No. 5 for details.", "Then stop.");
    EXPECT_SENTENCES("Under Art. 3 and Sec. 4 of Vol. 2, see pp. 10-12 and Fig. 7.",
                     "Under Art. 3 and Sec. 4 of Vol. 2, see pp. 10-12 and Fig. 7.");
}

static void test_soft_abbreviation_ends_sentence(void **state)
{
    (void)state;
    EXPECT_SENTENCES("He joined Apple Inc. The company grew fast.", "He joined Apple Inc.",
                     "The company grew fast.");
    EXPECT_SENTENCES("Shares of Acme Inc. Chairman Bob Lee rose.",
                     "Shares of Acme Inc. Chairman Bob Lee rose.");
    EXPECT_SENTENCES("It closed in Jan. The next month it reopened.", "It closed in Jan.",
                     "The next month it reopened.");
}

static void test_strict_abbreviation_before_starter_word(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Smith vs. The State was decided in 1990.",
                     "Smith vs. The State was decided in 1990.");
    EXPECT_SENTENCES("Roe v. Wade was decided in 1973.", "Roe v. Wade was decided in 1973.");
}

static void test_lowercase_after_abbreviation(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Use fruit, e.g. apples, i.e. the red ones. Cook approx. five.",
                     "Use fruit, e.g. apples, i.e. the red ones.", "Cook approx. five.");
}

static void test_etc_ends_sentence(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Buy apples, pears, etc. Then go home.", "Buy apples, pears, etc.",
                     "Then go home.");
    EXPECT_SENTENCES("Buy apples, pears, etc. and go home.",
                     "Buy apples, pears, etc. and go home.");
}

static void test_initials(void **state)
{
    (void)state;
    EXPECT_SENTENCES("J. K. Rowling wrote it. George W. Bush read it.", "J. K. Rowling wrote it.",
                     "George W. Bush read it.");
    EXPECT_SENTENCES("Written by J. A. Smith in 2001.", "Written by J. A. Smith in 2001.");
    /* an initial before a sentence starter reads as the end of a sentence */
    EXPECT_SENTENCES("So did I. Then we left.", "So did I.", "Then we left.");
}

static void test_decimals_and_numbers(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Prices rose 3.5% in 2024. Growth slowed.", "Prices rose 3.5% in 2024.",
                     "Growth slowed.");
    EXPECT_SENTENCES("At 12:30 it cost $1,000.50 for version 2.4.1 of it.",
                     "At 12:30 it cost $1,000.50 for version 2.4.1 of it.");
    EXPECT_SENTENCES("It rose in 2023. 2024 was worse.", "It rose in 2023.", "2024 was worse.");
}

static void test_units_references_and_amounts(void **state)
{
    (void)state;
    EXPECT_SENTENCES("He was 6 ft. 2 in. tall (see fn. 3). Justice Roberts dissented.",
                     "He was 6 ft. 2 in. tall (see fn. 3).", "Justice Roberts dissented.");
    EXPECT_SENTENCES("It costs $5. $3 of that is tax. €2 is not.", "It costs $5.",
                     "$3 of that is tax.", "€2 is not.");
}

static void test_urls_emails_and_file_names(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Mail info@example.com or visit https://www.example.com/a.html today. "
                     "Then open local-conditions.json and config.yaml.",
                     "Mail info@example.com or visit https://www.example.com/a.html today.",
                     "Then open local-conditions.json and config.yaml.");
    EXPECT_SENTENCES("Visit example.com. Then log in.", "Visit example.com.", "Then log in.");
}

static void test_closing_quotes_and_brackets(void **state)
{
    (void)state;
    EXPECT_SENTENCES("He said “Stop.” Then he left.", "He said “Stop.”", "Then he left.");
    EXPECT_SENTENCES("\"Is it true?\" she asked.", "\"Is it true?\" she asked.");
    EXPECT_SENTENCES("He left (for good.) She stayed. \"Why?\" he asked. ‘Fine.’ Done.",
                     "He left (for good.)", "She stayed.", "\"Why?\" he asked.", "‘Fine.’",
                     "Done.");
    EXPECT_SENTENCES("He asked “why?”. Nobody knew.", "He asked “why?”.", "Nobody knew.");
}

static void test_opening_quote_or_bracket_starts_sentence(void **state)
{
    (void)state;
    EXPECT_SENTENCES("It ended. “Never again,” he said. (Nobody believed him.)", "It ended.",
                     "“Never again,” he said.", "(Nobody believed him.)");
    EXPECT_SENTENCES("It ended. “never again,” he said.", "It ended. “never again,” he said.");
}

static void test_detached_closing_quote(void **state)
{
    (void)state;
    EXPECT_SENTENCES("He said “Stop. ” Then he left.", "He said “Stop. ”", "Then he left.");
    EXPECT_SENTENCES("He said “Stop. ”", "He said “Stop. ”");
}

static void test_exclamation_and_question(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Really?! Yes! Why? Because.", "Really?!", "Yes!", "Why?", "Because.");
    EXPECT_SENTENCES("Who? me? yes.", "Who? me? yes.");
}

static void test_ellipsis(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Wait... What happened?", "Wait...", "What happened?");
    EXPECT_SENTENCES("and so on... and so forth.", "and so on... and so forth.");
    EXPECT_SENTENCES("Wait… What happened? Well… nothing.", "Wait…", "What happened?",
                     "Well… nothing.");
}

static void test_cjk(void **state)
{
    (void)state;
    EXPECT_SENTENCES("我们要发展新质生产力。这是关键。", "我们要发展新质生产力。", "这是关键。");
    EXPECT_SENTENCES("他说：“走吧。”然后离开了！真的吗？是的。", "他说：“走吧。”", "然后离开了！",
                     "真的吗？", "是的。");
    EXPECT_SENTENCES("東京に行きました。 It was fun.", "東京に行きました。", "It was fun.");
    EXPECT_SENTENCES("He wrote. 我们走吧。", "He wrote.", "我们走吧。");
}

static void test_other_scripts(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Это дом. Там сад. это нет.", "Это дом.", "Там сад. это нет.");
    EXPECT_SENTENCES("Ελλάδα είναι ωραία. Όλα καλά.", "Ελλάδα είναι ωραία.", "Όλα καλά.");
    EXPECT_SENTENCES("यह घर है। वह बगीचा है।", "यह घर है।", "वह बगीचा है।");
    EXPECT_SENTENCES("Él llegó. ¿Quién es? ¡Hola!", "Él llegó.", "¿Quién es?", "¡Hola!");
}

static void test_title_without_final_mark(void **state)
{
    (void)state;
    EXPECT_SENTENCES("Bolster the systems and mechanisms - 2024-07-22",
                     "Bolster the systems and mechanisms - 2024-07-22");
    EXPECT_SENTENCES("It ended. Source: Touch Shanghai", "It ended.", "Source: Touch Shanghai");
}

static void test_list_number_at_start(void **state)
{
    (void)state;
    EXPECT_SENTENCES("1. Log on to the site. Then click Start.", "1. Log on to the site.",
                     "Then click Start.");
    EXPECT_SENTENCES("II. Methods", "II. Methods");
    EXPECT_SENTENCES("A: A: 1. Log on to http://touch.shio.g...",
                     "A: A: 1. Log on to http://touch.shio.g...");
    EXPECT_SENTENCES("Step one is done. 2. Install it.", "Step one is done.", "2. Install it.");
}

static void test_lone_marks_never_alone(void **state)
{
    (void)state;
    EXPECT_SENTENCES("? Yes. Go.", "? Yes.", "Go.");
    EXPECT_SENTENCES(". . . The end.", ". . . The end.");
    EXPECT_SENTENCES("It ended. ” ", "It ended. ”");
    EXPECT_SENTENCES("It ended. \"", "It ended. \"");
    EXPECT_SENTENCES("It ended. ?", "It ended. ?");
    EXPECT_SENTENCES("Really ? Yes.", "Really ?", "Yes.");
}

static void test_pre_block_line_breaks(void **state)
{
    (void)state;
    EXPECT_SENTENCES("make install\nIt works.\nThen run it", "make install\nIt works.",
                     "Then run it");
    EXPECT_SENTENCES("one.\nTwo.\n", "one.", "Two.");
}

static void test_no_break_space(void **state)
{
    (void)state;
    EXPECT_SENTENCES("One.\xC2\xA0Two.\xC2\xA0", "One.", "Two.");
    EXPECT_SENTENCES("Mr.\xC2\xA0Smith left.", "Mr.\xC2\xA0Smith left.");
}

static void test_empty_and_white_space(void **state)
{
    (void)state;
    size_t start = 7, end = 7;
    assert_int_equal(pl_segment_next("", 0, 0, &start, &end), 0);
    assert_int_equal(pl_segment_next("   ", 3, 0, &start, &end), 0);
    assert_int_equal(pl_segment_next("A. B", 4, 4, &start, &end), 0);
    assert_int_equal(pl_segment_next(" Hi. ", 5, 0, &start, &end), 1);
    assert_int_equal(start, 1);
    assert_int_equal(end, 4);
    assert_int_equal(pl_segment_next(" Hi. ", 5, end, &start, &end), 0);
}

/* The bundled article, read line by line (each paragraph is one line). */
static char *read_article_line(int wanted, size_t *len)
{
    FILE *f = fopen(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", "rb");
    assert_non_null(f);
    static char line[8192];
    char *result = NULL;
    for (int k = 1; fgets(line, sizeof line, f); k++) {
        if (k == wanted) {
            *len = strcspn(line, "\n");
            line[*len] = '\0';
            result = line;
            break;
        }
    }
    fclose(f);
    assert_non_null(result);
    return result;
}

static void test_article_third_paragraph(void **state)
{
    (void)state;
    size_t len = 0;
    const char *p = read_article_line(10, &len);
    /* sentences are separated by NBSP in this paragraph, by spaces elsewhere */
    EXPECT_SENTENCES(
        p,
        "To develop new quality productive forces in accordance with local conditions, we must "
        "first consider the region’s actual situation and effectively manage the transition of "
        "traditional, emerging, and future-oriented industries to achieve industrial "
        "transformation and upgrading.",
        "First, we should accelerate the transformation and upgrading of traditional industries "
        "by renewing enterprise equipment, implementing technological advancements, and "
        "improving management.",
        "This will promote the development of traditional industries towards high-end, "
        "intelligent, and eco-friendly priorities, enhancing their competitiveness and added "
        "value.",
        "Second, we should consolidate the leading position of advantageous industries by "
        "strengthening the entire industrial chain in fields such as new energy vehicles and "
        "photovoltaics.",
        "Expanding into overseas markets will further enhance the “Made in China” brand.",
        "Third, we should cultivate and expand future-oriented industries by intensifying "
        "technological research and the transformation of achievements.",
        "This will build new economic growth engines and create new economic growth points.");
}

struct find_sentence {
    const char *want;
    int found;
};

static void find_one(const char *s, size_t len, size_t index, void *ud)
{
    struct find_sentence *f = ud;
    (void)index;
    if (strlen(f->want) == len && memcmp(f->want, s, len) == 0)
        f->found = 1;
}

static void test_article_dashes_stay_in_one_sentence(void **state)
{
    (void)state;
    size_t len = 0;
    const char *p = read_article_line(12, &len);
    struct find_sentence f = {
        "The Five Industrial Bases — basic parts, basic materials, basic processes, basic "
        "technologies, and basic software — remain highly dependent on foreign sources, "
        "indicating an unstable industrial foundation.",
        0};
    assert_int_equal(segment_all(p, len, find_one, &f), 13);
    assert_true(f.found);
}

static void test_article_other_paragraphs(void **state)
{
    (void)state;
    static const struct {
        int line;
        size_t sentences;
    } cases[] = {{2, 1}, {6, 2}, {8, 3}, {14, 6}, {16, 5}, {18, 1}, {20, 1}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t len = 0;
        const char *p = read_article_line(cases[k].line, &len);
        assert_int_equal(segment_all(p, len, NULL, NULL), cases[k].sentences);
    }
}

static char *repeat(const char *unit, size_t times, size_t *len)
{
    size_t ulen = strlen(unit);
    char *s = malloc(ulen * times + 1);
    assert_non_null(s);
    for (size_t k = 0; k < times; k++)
        memcpy(s + k * ulen, unit, ulen);
    *len = ulen * times;
    s[*len] = '\0';
    return s;
}

static void test_large_block_without_marks(void **state)
{
    (void)state;
    size_t len = 0;
    char *s = repeat("word and more words ", 10 * 1024 * 1024 / 20, &len);
    assert_int_equal(segment_all(s, len, NULL, NULL), 1);
    free(s);
    /* one 10 MB "word": no quadratic look-back at its end */
    s = repeat("x", 10 * 1024 * 1024, &len);
    s[len - 1] = '.';
    assert_int_equal(segment_all(s, len, NULL, NULL), 1);
    free(s);
}

static void test_million_periods(void **state)
{
    (void)state;
    size_t len = 0;
    char *s = repeat("a. ", 1000000, &len);
    assert_int_equal(segment_all(s, len, NULL, NULL), 1);
    free(s);
    s = repeat("A. ", 1000000, &len);
    assert_int_equal(segment_all(s, len, NULL, NULL), 1);
    free(s);
    s = repeat(".", 1000000, &len);
    assert_int_equal(segment_all(s, len, NULL, NULL), 1);
    free(s);
}

static void test_million_sentences(void **state)
{
    (void)state;
    size_t len = 0;
    char *s = repeat("Go. ", 1000000, &len);
    assert_int_equal(segment_all(s, len, NULL, NULL), 1000000);
    free(s);
    s = repeat("走。", 1000000, &len);
    assert_int_equal(segment_all(s, len, NULL, NULL), 1000000);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_titles_times_and_months),
        cmocka_unit_test(test_dotted_abbreviation_before_lowercase_or_name),
        cmocka_unit_test(test_dotted_abbreviation_before_sentence_starter),
        cmocka_unit_test(test_number_after_abbreviation),
        cmocka_unit_test(test_soft_abbreviation_ends_sentence),
        cmocka_unit_test(test_strict_abbreviation_before_starter_word),
        cmocka_unit_test(test_lowercase_after_abbreviation),
        cmocka_unit_test(test_etc_ends_sentence),
        cmocka_unit_test(test_initials),
        cmocka_unit_test(test_decimals_and_numbers),
        cmocka_unit_test(test_units_references_and_amounts),
        cmocka_unit_test(test_urls_emails_and_file_names),
        cmocka_unit_test(test_closing_quotes_and_brackets),
        cmocka_unit_test(test_opening_quote_or_bracket_starts_sentence),
        cmocka_unit_test(test_detached_closing_quote),
        cmocka_unit_test(test_exclamation_and_question),
        cmocka_unit_test(test_ellipsis),
        cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_other_scripts),
        cmocka_unit_test(test_title_without_final_mark),
        cmocka_unit_test(test_list_number_at_start),
        cmocka_unit_test(test_lone_marks_never_alone),
        cmocka_unit_test(test_pre_block_line_breaks),
        cmocka_unit_test(test_no_break_space),
        cmocka_unit_test(test_empty_and_white_space),
        cmocka_unit_test(test_article_third_paragraph),
        cmocka_unit_test(test_article_dashes_stay_in_one_sentence),
        cmocka_unit_test(test_article_other_paragraphs),
        cmocka_unit_test(test_large_block_without_marks),
        cmocka_unit_test(test_million_periods),
        cmocka_unit_test(test_million_sentences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
