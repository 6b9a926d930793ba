/* Tests of the plain-text reader (src/plaintext.c): soft wraps against hard
 * breaks, titles, headings, list items, table rows, odd white space and
 * very long lines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "plaintext.h"

typedef struct expected {
    pl_block_kind kind;
    int line_count;
    const char *text;
} expected;

static void parse(const char *s, size_t n, pl_blocks *b)
{
    pl_error err;
    pl_blocks_init(b);
    assert_int_equal(pl_plaintext_to_blocks(s, n, b, &err), PL_OK);
}

static void assert_block(const pl_blocks *b, size_t i, const expected *e)
{
    const pl_block *blk = &b->items[i];
    size_t len = blk->end - blk->start;
    assert_true(i < b->count);
    if (len != strlen(e->text) || memcmp(b->text.data + blk->start, e->text, len) != 0)
        fail_msg("block %zu: \"%.*s\" != \"%s\"", i, (int)len, b->text.data + blk->start, e->text);
    assert_int_equal(blk->kind, e->kind);
    assert_int_equal(blk->line_count, e->line_count);
}

static void assert_blocks(const char *s, const expected *e, size_t count)
{
    pl_blocks b;
    size_t i;
    parse(s, strlen(s), &b);
    assert_int_equal(b.count, count);
    for (i = 0; i < count; i++)
        assert_block(&b, i, &e[i]);
    pl_blocks_free(&b);
}

#define ASSERT_BLOCKS(s, e) assert_blocks(s, e, sizeof e / sizeof e[0])

static const expected WRAPPED[] = {
    {PL_BLOCK_TITLE, 1, "Water Rates Review"},
    {PL_BLOCK_PARAGRAPH, 5,
     "The regional water board has finished its review of household rates, the first since "
     "the new treatment plant opened. It found that the rates charged today no longer match "
     "the cost of supplying water to homes in the valley, and that small households pay more "
     "per litre than large ones."},
    {PL_BLOCK_PARAGRAPH, 1, "The board proposes three changes:"},
    {PL_BLOCK_ITEM, 2,
     "a lower rate for the first ten cubic metres used each month, so that small households "
     "pay less than they do today;"},
    {PL_BLOCK_ITEM, 1, "a seasonal surcharge in the summer months;"},
    {PL_BLOCK_ITEM, 1, "a rebate for homes that collect rain water."},
    {PL_BLOCK_PARAGRAPH, 4,
     "The proposals are open for comment until the end of May. The board will hold public "
     "meetings in each district during April, and a final decision is expected in the "
     "summer. If the changes are approved, the new rates will apply from the first bill of "
     "next year."},
    {PL_BLOCK_PARAGRAPH, 3,
     "Most homes would pay about the same as they do now. A home that uses little water "
     "would save up to a tenth of its bill, while homes with large gardens would pay more in "
     "the summer months."},
};

static void test_wrapped_article(void **state)
{
    size_t len, i;
    char *text = read_file(PL_FIXTURES_DIR "/text/wrapped.txt", &len);
    pl_blocks b;
    (void)state;
    parse(text, len, &b);
    assert_int_equal(b.count, sizeof WRAPPED / sizeof WRAPPED[0]);
    for (i = 0; i < b.count; i++)
        assert_block(&b, i, &WRAPPED[i]);
    assert_int_equal(b.items[0].heading_level, 1);
    pl_blocks_free(&b);
    free(text);
}

/* The same article with every blank line removed: paragraph ends are found
 * from sentence ends on lines the next word would have fitted on. */
static void test_wrapped_without_blank_lines(void **state)
{
    size_t len, i, j = 0;
    char *text = read_file(PL_FIXTURES_DIR "/text/wrapped.txt", &len);
    pl_blocks b;
    (void)state;
    for (i = 0; i < len; i++)
        if (!(text[i] == '\n' && j > 0 && text[j - 1] == '\n'))
            text[j++] = text[i];
    parse(text, j, &b);
    assert_int_equal(b.count, sizeof WRAPPED / sizeof WRAPPED[0]);
    for (i = 0; i < b.count; i++)
        assert_block(&b, i, &WRAPPED[i]);
    pl_blocks_free(&b);
    free(text);
}

static void test_paragraph_ends_on_short_sentence_line(void **state)
{
    static const char text[] =
        "Rainfall in the first quarter was well below the average of the last\n"
        "twenty years, and reservoirs in the north are at half capacity.\n"
        "The board has asked farmers to delay planting by a week.\n"
        "Officials will review the situation again at the start of the summer,\n"
        "when the forecasts for the dry season are published.\n";
    static const expected e[] = {
        {PL_BLOCK_PARAGRAPH, 2,
         "Rainfall in the first quarter was well below the average of the last twenty years, and "
         "reservoirs in the north are at half capacity."},
        {PL_BLOCK_PARAGRAPH, 1, "The board has asked farmers to delay planting by a week."},
        {PL_BLOCK_PARAGRAPH, 2,
         "Officials will review the situation again at the start of the summer, when the "
         "forecasts for the dry season are published."},
    };
    (void)state;
    ASSERT_BLOCKS(text, e);
}

/* One paragraph per line, as pages flattened to text usually are. */
static void test_unwrapped_lines_stay_apart(void **state)
{
    static const char text[] =
        "The committee met on Tuesday to discuss the budget for the coming year, and most of the "
        "session was taken up by the question of how to pay for the new bridge.\n"
        "Members agreed to ask the regional government for a loan, but several of them said "
        "that the interest rate offered last year was far too high to be accepted again.\n";
    pl_blocks b;
    (void)state;
    parse(text, strlen(text), &b);
    assert_int_equal(b.count, 2);
    assert_int_equal(b.items[0].line_count, 1);
    assert_int_equal(b.items[1].kind, PL_BLOCK_PARAGRAPH);
    pl_blocks_free(&b);
}

static void test_short_lines_are_blocks_of_their_own(void **state)
{
    static const char text[] = "Home\nNews\nSports\nContact\n";
    static const expected e[] = {
        {PL_BLOCK_PARAGRAPH, 1, "Home"},
        {PL_BLOCK_PARAGRAPH, 1, "News"},
        {PL_BLOCK_PARAGRAPH, 1, "Sports"},
        {PL_BLOCK_PARAGRAPH, 1, "Contact"},
    };
    (void)state;
    ASSERT_BLOCKS(text, e);
}

/* A list of headlines of similar width is not a narrow wrapped paragraph. */
static void test_headline_list_is_not_joined(void **state)
{
    static const char text[] = "Council approves budget for road repairs\n"
                               "Ferry fares to rise in the spring again\n"
                               "Weather warning for the coast this weekend\n";
    pl_blocks b;
    (void)state;
    parse(text, strlen(text), &b);
    assert_int_equal(b.count, 3);
    pl_blocks_free(&b);
}

static void test_truncated_teasers_are_not_joined(void **state)
{
    static const char text[] = "Q: Q: Is there a place where I can get...\n"
                               "A: A: Log on to\n"
                               "Q: Q: What is the easiest way to set u...\n"
                               "A: A: 1. Log on to http://touch.shio.g...\n";
    pl_blocks b;
    size_t i;
    (void)state;
    parse(text, strlen(text), &b);
    assert_int_equal(b.count, 4);
    for (i = 0; i < 4; i++)
        assert_int_equal(b.items[i].line_count, 1);
    pl_blocks_free(&b);
}

static void test_list_markers(void **state)
{
    static const char text[] = "Steps to apply\n"
                               "\n"
                               "1. Fill in the form.\n"
                               "2) Attach a copy of your passport.\n"
                               "a) Pay the fee.\n"
                               "* Wait for the letter.\n"
                               "\xE2\x80\xA2 Keep the receipt.\n"
                               "- Call us if nothing arrives.\n";
    static const expected e[] = {
        {PL_BLOCK_TITLE, 1, "Steps to apply"},
        {PL_BLOCK_ITEM, 1, "1. Fill in the form."},
        {PL_BLOCK_ITEM, 1, "2) Attach a copy of your passport."},
        {PL_BLOCK_ITEM, 1, "a) Pay the fee."},
        {PL_BLOCK_ITEM, 1, "Wait for the letter."},
        {PL_BLOCK_ITEM, 1, "Keep the receipt."},
        {PL_BLOCK_ITEM, 1, "Call us if nothing arrives."},
    };
    (void)state;
    ASSERT_BLOCKS(text, e);
}

/* A dash or a number that a wrap pushed to the start of a line continues
 * the sentence; after a colon or a full stop it opens a list. */
static void test_wrapped_dash_is_not_an_item(void **state)
{
    static const char text[] =
        "Throughout the year, the number of people in work increased by 296,000\n"
        "- the highest figure since records began - according to the office of\n"
        "national statistics, which published the figures on Wednesday morning.\n";
    static const expected e[] = {
        {PL_BLOCK_PARAGRAPH, 3,
         "Throughout the year, the number of people in work increased by 296,000 - the highest "
         "figure since records began - according to the office of national statistics, which "
         "published the figures on Wednesday morning."},
    };
    (void)state;
    ASSERT_BLOCKS(text, e);
}

static void test_markdown_headings(void **state)
{
    static const char text[] =
        "# Annual report\n"
        "\n"
        "The year was a good one for the cooperative and all of its members.\n"
        "\n"
        "## Costs ##\n"
        "The cost of feed rose by a tenth over the year, which hurt margins.\n"
        "\n"
        "#hashtag is not a heading\n";
    static const expected e[] = {
        {PL_BLOCK_TITLE, 1, "Annual report"},
        {PL_BLOCK_PARAGRAPH, 1,
         "The year was a good one for the cooperative and all of its members."},
        {PL_BLOCK_HEADING, 1, "Costs"},
        {PL_BLOCK_PARAGRAPH, 1,
         "The cost of feed rose by a tenth over the year, which hurt margins."},
        {PL_BLOCK_PARAGRAPH, 1, "#hashtag is not a heading"},
    };
    pl_blocks b;
    (void)state;
    ASSERT_BLOCKS(text, e);
    parse(text, strlen(text), &b);
    assert_int_equal(b.items[0].heading_level, 1);
    assert_int_equal(b.items[2].heading_level, 2);
    pl_blocks_free(&b);
}

static void test_lone_short_line_before_prose_is_heading(void **state)
{
    static const char text[] =
        "Bridge plan approved\n"
        "\n"
        "The council approved the plan for the new bridge on Tuesday evening "
        "after a long debate.\n"
        "\n"
        "Background\n"
        "\n"
        "The old bridge was closed to lorries three years ago when engineers "
        "found cracks in two of its piers.\n"
        "\n"
        "Contact us\n"
        "\n"
        "Sign in\n";
    static const expected e[] = {
        {PL_BLOCK_TITLE, 1, "Bridge plan approved"},
        {PL_BLOCK_PARAGRAPH, 1,
         "The council approved the plan for the new bridge on Tuesday evening after a long "
         "debate."},
        {PL_BLOCK_HEADING, 1, "Background"},
        {PL_BLOCK_PARAGRAPH, 1,
         "The old bridge was closed to lorries three years ago when engineers found cracks in "
         "two of its piers."},
        {PL_BLOCK_PARAGRAPH, 1, "Contact us"},
        {PL_BLOCK_PARAGRAPH, 1, "Sign in"},
    };
    pl_blocks b;
    (void)state;
    ASSERT_BLOCKS(text, e);
    parse(text, strlen(text), &b);
    assert_int_equal(b.items[2].heading_level, 2);
    assert_int_equal(b.items[4].heading_level, 0);
    pl_blocks_free(&b);
}

static void parse_str(const char *s, pl_blocks *b)
{
    parse(s, strlen(s), b);
}

static void test_title_rules(void **state)
{
    pl_blocks b;
    (void)state;
    /* Alone: nothing follows, so it names nothing. */
    parse_str("Just one line", &b);
    assert_int_equal(b.count, 1);
    assert_int_equal(b.items[0].kind, PL_BLOCK_PARAGRAPH);
    pl_blocks_free(&b);
    /* A finished sentence is not a title. */
    parse_str("It rained.\n\nThe river rose.\n", &b);
    assert_int_equal(b.items[0].kind, PL_BLOCK_PARAGRAPH);
    pl_blocks_free(&b);
    /* The first entry of a menu is not a title. */
    parse_str("Home\nNews\nSports\n\nText.\n", &b);
    assert_int_equal(b.items[0].kind, PL_BLOCK_PARAGRAPH);
    pl_blocks_free(&b);
    /* Leading blank lines and a title with a site suffix. */
    parse_str("\n\n  Rates rise | Example Times\n\nThe bank raised rates.\n", &b);
    assert_int_equal(b.items[0].kind, PL_BLOCK_TITLE);
    assert_int_equal(b.items[0].heading_level, 1);
    pl_blocks_free(&b);
}

static void test_table_rows(void **state)
{
    static const char text[] = "Region | Rate | Change\n"
                               "North\t1.20\t+0.05\n"
                               "| South | 1.10 | -0.02 |\n"
                               "Free sign-up | Forgot password\n";
    static const expected e[] = {
        {PL_BLOCK_CELL, 1, "Region | Rate | Change"},
        {PL_BLOCK_CELL, 1, "North 1.20 +0.05"},
        {PL_BLOCK_CELL, 1, "| South | 1.10 | -0.02 |"},
        {PL_BLOCK_CELL, 1, "Free sign-up | Forgot password"},
    };
    (void)state;
    ASSERT_BLOCKS(text, e);
}

static void test_crlf_tabs_and_trailing_space(void **state)
{
    static const char text[] =
        "Water Rates Review  \r\n"
        "\r\n"
        "\tThe regional water board has finished its review of household rates, the  \r\n"
        "first since the new treatment plant opened.   \r\n"
        " \t \r\n"
        "\xC2\xA0\r\n"
        "-----\r\n"
        "Short line\r\n";
    static const expected e[] = {
        {PL_BLOCK_TITLE, 1, "Water Rates Review"},
        {PL_BLOCK_PARAGRAPH, 2,
         "The regional water board has finished its review of household rates, the first since "
         "the new treatment plant opened."},
        {PL_BLOCK_PARAGRAPH, 1, "Short line"},
    };
    (void)state;
    ASSERT_BLOCKS(text, e);
}

static void test_empty_input(void **state)
{
    pl_blocks b;
    (void)state;
    parse("", 0, &b);
    assert_int_equal(b.count, 0);
    pl_blocks_free(&b);
    parse(NULL, 0, &b);
    assert_int_equal(b.count, 0);
    pl_blocks_free(&b);
    parse(" \n\t\n\r\n\n", 7, &b);
    assert_int_equal(b.count, 0);
    pl_blocks_free(&b);
}

static void test_bad_arguments(void **state)
{
    pl_error err;
    (void)state;
    assert_int_equal(pl_plaintext_to_blocks(NULL, 3, NULL, &err), PL_ERR_INVALID_ARGUMENT);
}

static void test_bundled_article_blocks(void **state)
{
    size_t len;
    char *text = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    pl_blocks b;
    size_t i;
    (void)state;
    parse(text, len, &b);
    assert_int_equal(b.count, 26);
    assert_int_equal(b.items[0].kind, PL_BLOCK_TITLE);
    for (i = 1; i < b.count; i++)
        assert_int_equal(b.items[i].line_count, 1);
    assert_int_equal(b.items[10].kind, PL_BLOCK_CELL);
    assert_memory_equal(b.text.data + b.items[20].start, "Q: Q: Is there", 14);
    pl_blocks_free(&b);
    free(text);
}

/* A single 16 MB line: one block, and linear time (a quadratic scan would
 * not finish). */
static void test_enormous_line(void **state)
{
    size_t n = (size_t)16 << 20, i;
    char *text = malloc(n);
    pl_blocks b;
    (void)state;
    assert_non_null(text);
    for (i = 0; i < n; i++)
        text[i] = "word | and\tmore. "[i % 17];
    parse(text, n, &b);
    assert_int_equal(b.count, 1);
    assert_int_equal(b.items[0].line_count, 1);
    pl_blocks_free(&b);
    free(text);
}

static void test_allocation_failures(void **state)
{
    size_t len;
    long n;
    char *text = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    (void)state;
    for (n = 0; n < 200; n++) {
        pl_blocks b;
        pl_error err;
        pl_status st;
        pl_blocks_init(&b);
        pl_alloc_fail_after(n);
        st = pl_plaintext_to_blocks(text, len, &b, &err);
        pl_alloc_fail_after(-1);
        pl_blocks_free(&b);
        if (st == PL_OK)
            break;
        assert_int_equal(st, PL_ERR_NOMEM);
        assert_int_equal(err.status, PL_ERR_NOMEM);
    }
    assert_true(n < 200);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrapped_article),
        cmocka_unit_test(test_wrapped_without_blank_lines),
        cmocka_unit_test(test_paragraph_ends_on_short_sentence_line),
        cmocka_unit_test(test_unwrapped_lines_stay_apart),
        cmocka_unit_test(test_short_lines_are_blocks_of_their_own),
        cmocka_unit_test(test_headline_list_is_not_joined),
        cmocka_unit_test(test_truncated_teasers_are_not_joined),
        cmocka_unit_test(test_list_markers),
        cmocka_unit_test(test_wrapped_dash_is_not_an_item),
        cmocka_unit_test(test_markdown_headings),
        cmocka_unit_test(test_lone_short_line_before_prose_is_heading),
        cmocka_unit_test(test_title_rules),
        cmocka_unit_test(test_table_rows),
        cmocka_unit_test(test_crlf_tabs_and_trailing_space),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_bundled_article_blocks),
        cmocka_unit_test(test_enormous_line),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests_name("plaintext", tests, NULL, NULL);
}
