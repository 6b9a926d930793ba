/* Tests of the boilerplate classifier (src/boilerplate.c): the bundled
 * article block by block, a synthetic page full of chrome, metadata lines,
 * titles, link and markup hints, the fallback for short notes. */
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
#include "boilerplate.h"
#include "plaintext.h"

/* Two paragraphs that are body on their own (long, prose-like). */
#define GOOD_1                                                                                     \
    "The harbour authority opened its new ferry terminal on Monday, ending six years of "          \
    "planning and two years of building work on the eastern pier. The terminal can handle four "   \
    "ferries at once and is expected to serve more than two million passengers a year."
#define GOOD_2                                                                                     \
    "Officials said the old terminal, which opened in 1968, would be pulled down later this "      \
    "year. The land will be turned into a public park with a walkway along the water, and part "   \
    "of the old building will be kept as a museum of the history of the port."

typedef struct expected {
    pl_block_class cls;
    pl_meta_field meta;
} expected;

#define BODY                                                                                       \
    {                                                                                              \
        PL_CLASS_BODY, PL_META_NONE                                                                \
    }
#define CHROME                                                                                     \
    {                                                                                              \
        PL_CLASS_BOILERPLATE, PL_META_NONE                                                         \
    }
#define META(field)                                                                                \
    {                                                                                              \
        PL_CLASS_METADATA, field                                                                   \
    }

static void classify_text(const char *s, size_t n, pl_blocks *b)
{
    pl_error err;
    pl_blocks_init(b);
    assert_int_equal(pl_plaintext_to_blocks(s, n, b, &err), PL_OK);
    assert_int_equal(pl_boilerplate_classify(b, &err), PL_OK);
}

static void classify_file(const char *path, pl_blocks *b)
{
    size_t len;
    char *text = read_file(path, &len);
    classify_text(text, len, b);
    free(text);
}

static pl_block *add(pl_blocks *b, pl_block_kind kind, const char *text)
{
    int added;
    assert_int_equal(pl_blocks_add(b, kind, text, strlen(text), &added, NULL), PL_OK);
    assert_true(added);
    return &b->items[b->count - 1];
}

static void assert_classes(const pl_blocks *b, const expected *e, size_t count)
{
    size_t i;
    assert_int_equal(b->count, count);
    for (i = 0; i < count; i++) {
        const pl_block *blk = &b->items[i];
        if (blk->cls != e[i].cls || blk->meta != e[i].meta)
            fail_msg("block %zu \"%.*s\": class %d meta %d, expected %d %d", i,
                     (int)(blk->end - blk->start), b->text.data + blk->start, blk->cls, blk->meta,
                     e[i].cls, e[i].meta);
    }
}

static void test_bundled_article(void **state)
{
    static const expected e[] = {
        META(PL_META_TITLE),
        BODY,
        BODY,
        BODY,
        BODY,
        BODY,
        BODY,
        META(PL_META_AUTHOR),
        META(PL_META_SOURCE),
        CHROME, /* Sign in */
        CHROME, /* Free sign-up | Forgot password */
        CHROME, /* Application Status */
        CHROME,
        CHROME,
        CHROME,
        CHROME, /* Inquiry Status */
        CHROME,
        CHROME,
        CHROME,
        CHROME, /* view more » */
        CHROME,
        CHROME,
        CHROME,
        CHROME,
        CHROME,
        CHROME, /* Q: … A: … */
    };
    pl_blocks b;
    (void)state;
    classify_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &b);
    assert_classes(&b, e, sizeof e / sizeof e[0]);
    assert_int_equal(b.items[0].kind, PL_BLOCK_TITLE);
    assert_string_equal(b.title, "Bolster the systems and mechanisms for developing new quality "
                                 "productive forces in accordance with local conditions");
    assert_string_equal(b.date, "2024-07-22");
    assert_string_equal(b.author, "Tang Yunyi, the Deputy Director of the Institute of Applied "
                                  "Economics of the Shanghai Academy of Social Sciences");
    assert_string_equal(b.source, "Touch Shanghai");
    pl_blocks_free(&b);
}

static void test_chrome_page(void **state)
{
    static const expected e[] = {
        META(PL_META_TITLE),
        CHROME, /* We use cookies … Accept all | Manage settings */
        CHROME,
        CHROME,
        CHROME,
        CHROME,               /* Home News Sports Contact */
        META(PL_META_AUTHOR), /* By Jane Doe */
        META(PL_META_DATE),   /* Published: March 3, 2024 */
        BODY,
        BODY,
        BODY,
        CHROME, /* Share this: Facebook | Twitter | Email */
        CHROME, /* Read more » */
        CHROME, /* Related stories */
        CHROME,
        CHROME,
        CHROME,
        CHROME, /* Copyright © */
    };
    pl_blocks b;
    (void)state;
    classify_file(PL_FIXTURES_DIR "/text/chrome-page.txt", &b);
    assert_classes(&b, e, sizeof e / sizeof e[0]);
    assert_string_equal(b.title, "Harbour Authority Opens New Ferry Terminal");
    assert_string_equal(b.source, "Example Times");
    assert_string_equal(b.author, "Jane Doe");
    assert_string_equal(b.date, "March 3, 2024");
    pl_blocks_free(&b);
}

/* Short list items and a short lead-in between good paragraphs are body. */
static void test_wrapped_article_kept_whole(void **state)
{
    pl_blocks b;
    size_t i;
    (void)state;
    classify_file(PL_FIXTURES_DIR "/text/wrapped.txt", &b);
    assert_int_equal(b.count, 8);
    assert_int_equal(b.items[0].cls, PL_CLASS_METADATA);
    for (i = 1; i < b.count; i++)
        assert_int_equal(b.items[i].cls, PL_CLASS_BODY);
    assert_string_equal(b.title, "Water Rates Review");
    pl_blocks_free(&b);
}

static void test_short_note_falls_back_to_body(void **state)
{
    static const char note[] = "Meeting moved to Thursday at 3pm. Please bring the quarterly "
                               "figures.\n";
    pl_blocks b;
    (void)state;
    classify_text(note, sizeof note - 1, &b);
    assert_int_equal(b.count, 1);
    assert_int_equal(b.items[0].cls, PL_CLASS_BODY);
    pl_blocks_free(&b);
}

/* Without any good block, chrome is still chrome. */
static void test_fallback_drops_bad_blocks(void **state)
{
    pl_blocks b;
    pl_error err;
    (void)state;
    pl_blocks_init(&b);
    add(&b, PL_BLOCK_PARAGRAPH, "Share this: Facebook | Twitter | Email");
    add(&b, PL_BLOCK_PARAGRAPH, "The shop will be closed on Monday for the holiday.");
    add(&b, PL_BLOCK_PARAGRAPH, "It opens again on Tuesday at nine.");
    assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
    assert_int_equal(b.items[0].cls, PL_CLASS_BOILERPLATE);
    assert_int_equal(b.items[1].cls, PL_CLASS_BODY);
    assert_int_equal(b.items[2].cls, PL_CLASS_BODY);
    pl_blocks_free(&b);
}

static void test_byline_at_the_top(void **state)
{
    static const char text[] = "By Jane Doe\n\n" GOOD_1 "\n\n" GOOD_2 "\n";
    static const expected e[] = {META(PL_META_AUTHOR), BODY, BODY};
    pl_blocks b;
    (void)state;
    classify_text(text, sizeof text - 1, &b);
    assert_classes(&b, e, 3);
    assert_int_equal(b.items[0].kind, PL_BLOCK_PARAGRAPH);
    assert_string_equal(b.author, "Jane Doe");
    assert_null(b.title);
    pl_blocks_free(&b);
}

static void test_empty_list(void **state)
{
    pl_blocks b;
    pl_error err;
    (void)state;
    pl_blocks_init(&b);
    assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
    assert_int_equal(b.count, 0);
    assert_null(b.title);
    assert_int_equal(pl_boilerplate_classify(NULL, &err), PL_ERR_INVALID_ARGUMENT);
}

typedef struct meta_case {
    const char *line;
    pl_meta_field field;
    const char *value;
} meta_case;

/* Each line after the body, and again before it. */
static void test_metadata_lines(void **state)
{
    static const meta_case cases[] = {
        {"The writer is a reporter at the Harbour Gazette.", PL_META_AUTHOR,
         "a reporter at the Harbour Gazette"},
        {"Author: Li Wei", PL_META_AUTHOR, "Li Wei"},
        {"Written by Ana de la Cruz", PL_META_AUTHOR, "Ana de la Cruz"},
        {"Reporter: Tom Baker | Editor: Ann Lee", PL_META_AUTHOR, "Tom Baker"},
        {"By Jane Doe and John Roe, Staff Writers", PL_META_AUTHOR,
         "Jane Doe and John Roe, Staff Writers"},
        {"Source: Xinhua", PL_META_SOURCE, "Xinhua"},
        {"Via: The Harbour Gazette", PL_META_SOURCE, "The Harbour Gazette"},
        {"Originally published in China Daily.", PL_META_SOURCE, "China Daily"},
        {"This article was originally published at example.org.", PL_META_SOURCE, "example.org"},
        {"Published: 2024-07-22 10:30", PL_META_DATE, "2024-07-22 10:30"},
        {"Updated March 3, 2024", PL_META_DATE, "March 3, 2024"},
        {"Posted on Mon 22 Jul 2024", PL_META_DATE, "Mon 22 Jul 2024"},
        {"22nd July 2024", PL_META_DATE, "22nd July 2024"},
        {"2024\xE5\xB9\xB4"
         "7\xE6\x9C\x88"
         "22\xE6\x97\xA5",
         PL_META_DATE,
         "2024\xE5\xB9\xB4"
         "7\xE6\x9C\x88"
         "22\xE6\x97\xA5"},
        {"By the Numbers", PL_META_NONE, NULL},
        {"Updated 3 hours ago", PL_META_NONE, NULL},
        {"04-16 21315227 Processing", PL_META_NONE, NULL},
    };
    size_t i;
    int before;
    (void)state;
    for (before = 0; before < 2; before++) {
        for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            pl_blocks b;
            pl_error err;
            const pl_block *line;
            char **slot;
            pl_blocks_init(&b);
            if (before)
                add(&b, PL_BLOCK_PARAGRAPH, cases[i].line);
            add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
            add(&b, PL_BLOCK_PARAGRAPH, GOOD_2);
            if (!before)
                add(&b, PL_BLOCK_PARAGRAPH, cases[i].line);
            assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
            line = &b.items[before ? 0 : 2];
            if (line->meta != cases[i].field)
                fail_msg("\"%s\": meta %d, expected %d", cases[i].line, line->meta, cases[i].field);
            slot = cases[i].field == PL_META_AUTHOR   ? &b.author
                   : cases[i].field == PL_META_SOURCE ? &b.source
                   : cases[i].field == PL_META_DATE   ? &b.date
                                                      : NULL;
            if (slot) {
                assert_int_equal(line->cls, PL_CLASS_METADATA);
                assert_string_equal(*slot, cases[i].value);
            } else {
                assert_int_equal(line->cls, PL_CLASS_BOILERPLATE);
                assert_null(b.author);
                assert_null(b.date);
            }
            pl_blocks_free(&b);
        }
    }
}

/* "Source:" in the middle of the article is not looked at. */
static void test_metadata_only_at_the_edges(void **state)
{
    pl_blocks b;
    pl_error err;
    (void)state;
    pl_blocks_init(&b);
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
    add(&b, PL_BLOCK_PARAGRAPH, "Source: the port authority.");
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_2);
    assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
    assert_int_equal(b.items[1].cls, PL_CLASS_BODY);
    assert_null(b.source);
    pl_blocks_free(&b);
}

typedef struct title_case {
    const char *title;
    const char *clean, *date, *source;
} title_case;

static void test_title_suffixes(void **state)
{
    static const title_case cases[] = {
        {"Rates rise again - 2024-07-22", "Rates rise again", "2024-07-22", NULL},
        {"Rates rise again | Example Times", "Rates rise again", NULL, "Example Times"},
        {"Rates rise again \xE2\x80\x94 Example Times", "Rates rise again", NULL, "Example Times"},
        {"Rates rise again | Business | Example Times", "Rates rise again", NULL, "Example Times"},
        {"Brexit - what happens next", "Brexit - what happens next", NULL, NULL},
        {"Rates rise again", "Rates rise again", NULL, NULL},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pl_blocks b;
        pl_error err;
        pl_block *title;
        pl_blocks_init(&b);
        title = add(&b, PL_BLOCK_TITLE, cases[i].title);
        title->heading_level = 1;
        add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
        assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
        assert_int_equal(b.items[0].cls, PL_CLASS_METADATA);
        assert_int_equal(b.items[0].meta, PL_META_TITLE);
        assert_string_equal(b.title, cases[i].clean);
        if (cases[i].date)
            assert_string_equal(b.date, cases[i].date);
        else
            assert_null(b.date);
        if (cases[i].source)
            assert_string_equal(b.source, cases[i].source);
        else
            assert_null(b.source);
        pl_blocks_free(&b);
    }
}

/* A title the HTML reader already took from <title> is left alone. */
static void test_title_already_set(void **state)
{
    pl_blocks b;
    pl_error err;
    (void)state;
    pl_blocks_init(&b);
    b.title = pl_strndup("From markup", 11);
    add(&b, PL_BLOCK_TITLE, "From the page - 2024-07-22");
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
    assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
    assert_string_equal(b.title, "From markup");
    assert_int_equal(b.items[0].meta, PL_META_TITLE);
    pl_blocks_free(&b);
}

/* HTML features: links and chrome-like markup. */
static void test_links_and_markup(void **state)
{
    static const expected e[] = {CHROME, BODY, CHROME, BODY, BODY, CHROME};
    pl_blocks b;
    pl_error err;
    pl_block *blk;
    (void)state;
    pl_blocks_init(&b);
    blk = add(&b, PL_BLOCK_ITEM, "World news");
    blk->link_bytes = blk->end - blk->start;
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
    /* Prose-like, but in an element the reader marked as a sidebar. */
    blk = add(&b, PL_BLOCK_PARAGRAPH, GOOD_2);
    blk->markup_hint = 1;
    blk = add(&b, PL_BLOCK_PARAGRAPH, GOOD_2);
    blk->link_bytes = 20; /* an inline link in prose */
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
    /* Long, but most of it links: a list of related articles. */
    blk = add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
    blk->link_bytes = (blk->end - blk->start) / 2;
    assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
    assert_classes(&b, e, sizeof e / sizeof e[0]);
    pl_blocks_free(&b);
}

static void test_context(void **state)
{
    static const expected e[] = {
        CHROME,         /* a menu entry before the body */
        BODY,           /* heading right before the body */
        BODY,   BODY,   /* a short sentence between good paragraphs */
        BODY,   BODY,   /* a heading inside the body */
        BODY,   CHROME, /* a heading after the body */
        CHROME,
    };
    pl_blocks b;
    pl_error err;
    (void)state;
    pl_blocks_init(&b);
    add(&b, PL_BLOCK_PARAGRAPH, "Contact");
    add(&b, PL_BLOCK_HEADING, "New terminal");
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
    add(&b, PL_BLOCK_PARAGRAPH, "Work starts in May.");
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_2);
    add(&b, PL_BLOCK_HEADING, "The old terminal");
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
    add(&b, PL_BLOCK_HEADING, "Related stories");
    add(&b, PL_BLOCK_PARAGRAPH, "Ferry fares to rise in the spring");
    assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
    assert_classes(&b, e, sizeof e / sizeof e[0]);
    pl_blocks_free(&b);
}

/* A one-sentence lede above the first long paragraph belongs to it; a
 * near-good closing paragraph below the last one does too. */
static void test_lede_and_closing_paragraph(void **state)
{
    static const expected e[] = {CHROME, BODY, BODY, BODY, BODY, CHROME};
    pl_blocks b;
    pl_error err;
    (void)state;
    pl_blocks_init(&b);
    add(&b, PL_BLOCK_PARAGRAPH, "Sign in");
    add(&b, PL_BLOCK_PARAGRAPH, "Chelsea have sacked their manager after a poor run.");
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_1);
    add(&b, PL_BLOCK_PARAGRAPH, GOOD_2);
    add(&b, PL_BLOCK_PARAGRAPH,
        "The club said that a new manager would be named before the end of the month.");
    add(&b, PL_BLOCK_PARAGRAPH, "view more \xC2\xBB");
    assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
    assert_classes(&b, e, sizeof e / sizeof e[0]);
    pl_blocks_free(&b);
}

/* Without English function words the stopword test is off, and length
 * alone decides. */
static void test_other_language(void **state)
{
    static const expected e[] = {CHROME, BODY, BODY, CHROME};
    pl_blocks b;
    pl_error err;
    (void)state;
    pl_blocks_init(&b);
    add(&b, PL_BLOCK_PARAGRAPH, "Startseite");
    add(&b, PL_BLOCK_PARAGRAPH,
        "Die Hafenbeh\xC3\xB6rde hat am Montag das neue F\xC3\xA4hrterminal er\xC3\xB6"
        "ffnet. "
        "Nach sechs Jahren Planung und zwei Jahren Bauzeit k\xC3\xB6nnen dort vier F\xC3\xA4hren "
        "gleichzeitig anlegen, und j\xC3\xA4hrlich werden mehr als zwei Millionen Fahrg\xC3\xA4ste "
        "erwartet.");
    add(&b, PL_BLOCK_PARAGRAPH,
        "Das alte Terminal aus dem Jahr 1968 soll noch in diesem Jahr abgerissen werden. Auf "
        "dem Gel\xC3\xA4nde entsteht ein Park mit einem Uferweg, und ein Teil des alten "
        "Geb\xC3\xA4udes wird zum Museum.");
    add(&b, PL_BLOCK_PARAGRAPH, "Teilen: Facebook | Twitter | E-Mail");
    assert_int_equal(pl_boilerplate_classify(&b, &err), PL_OK);
    assert_classes(&b, e, sizeof e / sizeof e[0]);
    pl_blocks_free(&b);
}

static void test_allocation_failures(void **state)
{
    size_t len;
    long n;
    char *text = read_file(PL_FIXTURES_DIR "/text/chrome-page.txt", &len);
    (void)state;
    for (n = 0; n < 100; n++) {
        pl_blocks b;
        pl_error err;
        pl_status st;
        pl_blocks_init(&b);
        assert_int_equal(pl_plaintext_to_blocks(text, len, &b, &err), PL_OK);
        pl_alloc_fail_after(n);
        st = pl_boilerplate_classify(&b, &err);
        pl_alloc_fail_after(-1);
        pl_blocks_free(&b);
        if (st == PL_OK)
            break;
        assert_int_equal(st, PL_ERR_NOMEM);
        assert_string_equal(err.message, "out of memory");
    }
    assert_true(n > 0 && n < 100);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_article),
        cmocka_unit_test(test_chrome_page),
        cmocka_unit_test(test_wrapped_article_kept_whole),
        cmocka_unit_test(test_short_note_falls_back_to_body),
        cmocka_unit_test(test_fallback_drops_bad_blocks),
        cmocka_unit_test(test_byline_at_the_top),
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_metadata_lines),
        cmocka_unit_test(test_metadata_only_at_the_edges),
        cmocka_unit_test(test_title_suffixes),
        cmocka_unit_test(test_title_already_set),
        cmocka_unit_test(test_links_and_markup),
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_lede_and_closing_paragraph),
        cmocka_unit_test(test_other_language),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests_name("boilerplate", tests, NULL, NULL);
}
