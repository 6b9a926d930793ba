/* Tests of term extraction (src/terms.c): each signal on small fixtures,
 * variant grouping, the C-value preference for whole terms, the bundled
 * article, determinism and allocation failures. */
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
#include "document.h"
#include "terms.h"

/* Fixtures are plain text: a title line, then paragraphs. */
static pl_document *document(const char *text)
{
    pl_document_options opts = {PL_FORMAT_TEXT, 0};
    pl_error err;
    pl_document *doc = pl_document_create(text, strlen(text), &opts, &err);
    if (!doc)
        fail_msg("document: %s", err.message);
    return doc;
}

static pl_terms *extract(const pl_document *doc, size_t top, size_t min_count)
{
    pl_terms_options opts;
    pl_error err;
    pl_terms *terms;
    memset(&opts, 0, sizeof opts);
    opts.top = top;
    opts.min_count = min_count;
    terms = pl_terms_extract(doc, &opts, &err);
    if (!terms)
        fail_msg("terms: %s", err.message);
    return terms;
}

/* The term whose canonical text is text (exactly), or NULL. */
static const pl_term *find(const pl_terms *terms, const char *text)
{
    size_t i;
    for (i = 0; i < terms->count; i++)
        if (strcmp(terms->items[i].text, text) == 0)
            return &terms->items[i];
    return NULL;
}

/* The term with text (any case) among its variants, or NULL. */
static const pl_term *find_variant(const pl_terms *terms, const char *text)
{
    size_t i, j, k, n = strlen(text);
    for (i = 0; i < terms->count; i++) {
        for (j = 0; j < terms->items[i].variant_count; j++) {
            const char *v = terms->items[i].variants[j];
            if (strlen(v) != n)
                continue;
            for (k = 0; k < n; k++) {
                char a = v[k], b = text[k];
                if ((a >= 'A' && a <= 'Z' ? a + 32 : a) != (b >= 'A' && b <= 'Z' ? b + 32 : b))
                    break;
            }
            if (k == n)
                return &terms->items[i];
        }
    }
    return NULL;
}

static const pl_term *expect(const pl_terms *terms, const char *text, pl_term_kind kind)
{
    const pl_term *t = find(terms, text);
    if (!t)
        fail_msg("no term \"%s\"", text);
    assert_int_equal(t->kind, kind);
    assert_true(t->score > 0);
    assert_true(t->count >= 1 && t->occurrence_count >= 1);
    assert_true(t->variant_count >= 1);
    assert_string_equal(t->variants[0], t->text);
    return t;
}

static void expect_none(const pl_terms *terms, const char *text)
{
    if (find_variant(terms, text))
        fail_msg("unexpected term \"%s\" (in \"%s\")", text, find_variant(terms, text)->text);
}

static void test_quoted(void **state)
{
    pl_document *doc = document(
        "Quotes\n\n"
        "The plenum proposed \xE2\x80\x9C"
        "Four Improvements\xE2\x80\x9D and \"One Optimization\" "
        "for the economy. Exports will strengthen the \xE2\x80\x9CMade in China\xE2\x80\x9D brand. "
        "Officials also spoke of \xE2\x80\x98new infrastructure\xE2\x80\x99 in the west. "
        "A minister said \"we will not stop until the work is done, whatever it costs.\"\n");
    pl_terms *terms = extract(doc, 0, 0);
    const pl_term *t;
    (void)state;
    t = expect(terms, "Four Improvements", PL_TERM_QUOTED);
    assert_int_equal(t->case_policy, PL_CASE_CAPITALIZED);
    assert_int_equal(t->occurrence_count, 1);
    assert_int_equal(t->occurrences[0], 0);
    expect(terms, "One Optimization", PL_TERM_QUOTED);
    t = expect(terms, "Made in China", PL_TERM_QUOTED);
    assert_int_equal(t->occurrences[0], 1);
    t = expect(terms, "new infrastructure", PL_TERM_QUOTED);
    assert_int_equal(t->case_policy, PL_CASE_INSENSITIVE);
    /* a quoted sentence is speech, not a term */
    expect_none(terms, "we will not stop");
    expect_none(terms, "work is done");
    pl_terms_free(terms);
    pl_document_free(doc);
}

static void test_names(void **state)
{
    pl_document *doc = document(
        "Names\n\n"
        "The Third Plenary Session of the 20th National Congress of the Communist Party of China "
        "met in July. According to the Manufacturing Development Power Index released by the "
        "Chinese Academy of Engineering, the country is in the third echelon. Traditional "
        "Industry Fund managers invest in traditional sectors.\n");
    pl_terms *terms = extract(doc, 0, 0);
    const pl_term *t;
    (void)state;
    t = expect(terms, "Third Plenary Session", PL_TERM_NAME);
    assert_int_equal(t->case_policy, PL_CASE_CAPITALIZED);
    expect(terms, "20th National Congress", PL_TERM_NAME);
    expect(terms, "Communist Party of China", PL_TERM_NAME);
    expect(terms, "Manufacturing Development Power Index", PL_TERM_NAME);
    expect(terms, "Chinese Academy of Engineering", PL_TERM_NAME);
    /* split at "of the"; a sentence-initial ordinary word is not part of a name */
    expect_none(terms, "Third Plenary Session of the 20th National Congress");
    expect_none(terms, "According");
    expect_none(terms, "Traditional Industry Fund");
    expect(terms, "Industry Fund", PL_TERM_NAME);
    /* one capitalised word is no name */
    expect_none(terms, "July");
    pl_terms_free(terms);
    pl_document_free(doc);
}

static void test_acronyms(void **state)
{
    pl_document *doc = document(
        "Acronyms\n\n"
        "Members of the Organisation for Economic Co-operation and Development (OECD) met in "
        "Paris. "
        "The OECD published a report. The WTO (World Trade Organization) settles disputes. "
        "GDP, short for gross domestic product, grew by five percent. Part II of the report "
        "covers VAT.\n");
    pl_terms *terms = extract(doc, 0, 0);
    const pl_term *t, *lf;
    (void)state;
    t = expect(terms, "OECD", PL_TERM_ACRONYM);
    assert_int_equal(t->case_policy, PL_CASE_EXACT);
    assert_int_equal(t->count, 2);
    assert_true(t->long_form != PL_TERM_NONE);
    lf = &terms->items[t->long_form];
    assert_string_equal(lf->text, "Organisation for Economic Co-operation and Development");
    assert_int_equal(lf->kind, PL_TERM_NAME);
    t = expect(terms, "WTO", PL_TERM_ACRONYM);
    assert_string_equal(terms->items[t->long_form].text, "World Trade Organization");
    t = expect(terms, "GDP", PL_TERM_ACRONYM);
    lf = &terms->items[t->long_form];
    assert_string_equal(lf->text, "gross domestic product");
    assert_int_equal(lf->case_policy, PL_CASE_INSENSITIVE);
    /* Roman numerals are no acronyms; a bare acronym seen once is no term */
    expect_none(terms, "II");
    expect_none(terms, "VAT");
    pl_terms_free(terms);
    pl_document_free(doc);
}

static void test_enumeration(void **state)
{
    pl_document *doc = document(
        "Lists\n\n"
        "The Five Industrial Bases \xE2\x80\x94 basic parts, basic materials, basic processes, "
        "basic "
        "technologies, and basic software \xE2\x80\x94 remain highly dependent on foreign sources. "
        "Firms met on Monday.\n");
    pl_terms *terms = extract(doc, 0, 0);
    const pl_term *head;
    (void)state;
    head = expect(terms, "Five Industrial Bases", PL_TERM_NAME);
    expect(terms, "basic parts", PL_TERM_PHRASE);
    expect(terms, "basic software", PL_TERM_PHRASE);
    /* the head of the list outranks its items */
    assert_true(head->score > find(terms, "basic parts")->score);
    assert_true(head == &terms->items[0]);
    pl_terms_free(terms);
    pl_document_free(doc);
}

static void test_cvalue_prefers_whole_terms(void **state)
{
    static const char nested[] =
        "C-value\n\n"
        "We develop new quality productive forces in the north. New quality productive forces "
        "need skilled workers. Each region builds new quality productive forces its own way.\n";
    static const char independent[] =
        "C-value\n\n"
        "We develop new quality productive forces in the north. New quality productive forces "
        "need skilled workers. Each region builds new quality productive forces its own way. "
        "Old productive forces decline. Marx wrote about productive forces and relations. "
        "Productive forces grow with tools.\n";
    pl_document *doc = document(nested);
    pl_terms *terms = extract(doc, 0, 0);
    const pl_term *whole, *part;
    (void)state;
    whole = expect(terms, "new quality productive forces", PL_TERM_PHRASE);
    assert_int_equal(whole->count, 3);
    assert_int_equal(whole->occurrence_count, 3);
    expect_none(terms, "productive forces");
    expect_none(terms, "quality productive forces");
    expect_none(terms, "new quality");
    pl_terms_free(terms);
    pl_document_free(doc);

    doc = document(independent);
    terms = extract(doc, 0, 0);
    whole = expect(terms, "new quality productive forces", PL_TERM_PHRASE);
    part = expect(terms, "productive forces", PL_TERM_PHRASE);
    assert_int_equal(part->count, 6); /* mentions inside the longer term count too */
    assert_true(whole->score > part->score);
    expect_none(terms, "quality productive forces");
    pl_terms_free(terms);
    pl_document_free(doc);
}

static void test_coordination(void **state)
{
    pl_document *doc = document(
        "Coordination\n\n"
        "The plan manages the transition of traditional, emerging, and future-oriented industries "
        "in every province. Local budgets are spent on traditional, emerging, and "
        "future-oriented industries alike. The region invests in resource endowments, industrial "
        "foundations, and "
        "environmental conditions.\n");
    pl_terms *terms = extract(doc, 0, 0);
    const pl_term *t;
    (void)state;
    t = expect(terms, "traditional industries", PL_TERM_PHRASE);
    assert_int_equal(t->count, 2);
    expect(terms, "emerging industries", PL_TERM_PHRASE);
    expect(terms, "future-oriented industries", PL_TERM_PHRASE);
    /* whole noun phrases in a list are not modifiers of the last one */
    expect_none(terms, "resource conditions");
    expect_none(terms, "industrial conditions");
    pl_terms_free(terms);
    pl_document_free(doc);
}

static void test_variants(void **state)
{
    pl_document *doc = document(
        "Variants\n\n"
        "High-quality development is the goal. The province pursues high quality development. "
        "Cities report high-quality developments. Villages want high-quality development too. "
        "The city opened innovation centres. "
        "Each innovation center employs engineers. Two innovation centers closed. "
        "The labour market grew. Labor markets in the south are tight. "
        "\xE2\x80\x9CMade in China\xE2\x80\x9D matters. Exporters praise \"Made in China\" "
        "quality.\n");
    pl_terms *terms = extract(doc, 0, 0);
    const pl_term *t;
    size_t i;
    (void)state;
    /* hyphen/space, case, plural */
    t = find_variant(terms, "high quality development");
    assert_non_null(t);
    assert_ptr_equal(find_variant(terms, "High-quality development"), t);
    assert_ptr_equal(find_variant(terms, "high-quality developments"), t);
    assert_string_equal(t->text, "high-quality development");
    assert_int_equal(t->count, 4);
    /* British and American spelling, singular and plural */
    t = find_variant(terms, "innovation centres");
    assert_non_null(t);
    assert_ptr_equal(find_variant(terms, "innovation center"), t);
    assert_ptr_equal(find_variant(terms, "innovation centers"), t);
    assert_int_equal(t->count, 3);
    assert_int_equal(t->occurrence_count, 3);
    t = find_variant(terms, "labour market");
    assert_non_null(t);
    assert_ptr_equal(find_variant(terms, "Labor markets"), t);
    /* curly and straight quotes: one term, one spelling */
    t = expect(terms, "Made in China", PL_TERM_QUOTED);
    assert_int_equal(t->count, 2);
    assert_int_equal(t->variant_count, 1);
    /* each spelling appears once */
    for (i = 0; i + 1 < terms->items[0].variant_count; i++)
        assert_string_not_equal(terms->items[0].variants[i], terms->items[0].variants[i + 1]);
    pl_terms_free(terms);
    pl_document_free(doc);
}

static void test_headings_and_single_words(void **state)
{
    pl_document *doc = document(
        "Title line\n\n"
        "Green Finance Plan\n\n"
        "The council adopted the plan in spring. It covers bonds and loans for clean energy "
        "projects, and the system of development grants. The system works. Development matters "
        "and development continues; the system adapts to development.\n\n"
        "River Care Fund\n\n"
        "The River Care Fund pays for the cleaning of rivers across the region, and local groups "
        "apply to it every year for money to plant trees along the banks. The council expects "
        "the fund to grow as more towns join.\n");
    pl_terms *terms = extract(doc, 0, 0);
    const pl_term *t;
    (void)state;
    /* a name seen only in a heading is no term; in a heading and the body, both count */
    expect_none(terms, "Green Finance Plan");
    t = expect(terms, "River Care Fund", PL_TERM_NAME);
    assert_int_equal(t->count, 2);
    assert_int_equal(t->occurrence_count, 2);
    /* generic single words never become terms, however frequent */
    expect_none(terms, "development");
    expect_none(terms, "system");
    pl_terms_free(terms);
    pl_document_free(doc);
}

/* Domain specificity: a word outside everyday English ("bribery") keeps its
 * whole frequency evidence; everyday ones are discounted (S(t) in terms.c)
 * and, in glossary mode, are no terms alone. */
static void test_specificity_and_terminology(void **state)
{
    pl_document *doc = document(
        "Title line\n\n"
        "The bribery of officials is a crime in the market. Officials said the market fell "
        "after the bribery came to light. Bribery is costly for the market, and bribery is a "
        "crime. Many say the market will recover.\n");
    pl_terms_options opts = {0, 0, 1};
    pl_terms *glossary = extract(doc, 0, 0), *corpus;
    pl_error err;
    (void)state;
    /* glossary mode: the uncommon word alone, score log2(2) * 4 mentions * 1 */
    assert_int_equal(glossary->count, 1);
    assert_string_equal(glossary->items[0].text, "bribery");
    assert_true(glossary->items[0].score == 4.0);
    /* terminology mode: everyday words too, discounted: "crime" and
     * "officials" (level 20) keep half of their 2 mentions, "market" (level
     * 10) a fifth of its 4 */
    corpus = pl_terms_extract(doc, &opts, &err);
    assert_non_null(corpus);
    assert_int_equal(corpus->count, 4);
    assert_string_equal(corpus->items[0].text, "bribery");
    assert_string_equal(corpus->items[1].text, "crime");
    assert_string_equal(corpus->items[2].text, "officials");
    assert_string_equal(corpus->items[3].text, "market");
    assert_true(corpus->items[0].score == 4.0);
    assert_true(corpus->items[1].score == 1.0);
    assert_true(corpus->items[2].score == 1.0);
    assert_true(corpus->items[3].score > 0.79 && corpus->items[3].score < 0.81);
    assert_int_equal(corpus->items[3].count, 4);
    pl_terms_free(glossary);
    pl_terms_free(corpus);
    pl_document_free(doc);
}

static void test_options(void **state)
{
    size_t len, i;
    char *input = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    pl_error err;
    pl_document *doc = pl_document_create(input, len, NULL, &err);
    pl_terms *all, *top, *frequent;
    (void)state;
    assert_non_null(doc);
    all = extract(doc, 0, 0);
    top = extract(doc, 5, 0);
    frequent = extract(doc, 0, 3);
    assert_true(all->count > 5);
    assert_int_equal(top->count, 5);
    for (i = 0; i < 5; i++)
        assert_string_equal(top->items[i].text, all->items[i].text);
    assert_true(frequent->count > 0 && frequent->count < all->count);
    for (i = 0; i < frequent->count; i++)
        assert_true(frequent->items[i].count >= 3);
    /* sorted best first */
    for (i = 1; i < all->count; i++)
        assert_true(all->items[i - 1].score >= all->items[i].score);
    pl_terms_free(all);
    pl_terms_free(top);
    pl_terms_free(frequent);

    assert_null(pl_terms_extract(NULL, NULL, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    pl_terms_free(NULL);
    assert_string_equal(pl_term_kind_name(PL_TERM_ACRONYM), "acronym");
    pl_document_free(doc);
    free(input);
}

static void test_bundled_article(void **state)
{
    static const char *const wanted[] = {"new quality productive forces",
                                         "Four Improvements",
                                         "One Optimization",
                                         "Five Industrial Bases",
                                         "regional collaboration",
                                         "Made in China",
                                         "Manufacturing Development Power Index",
                                         "Chinese Academy of Engineering",
                                         "Third Plenary Session",
                                         "traditional industries",
                                         "future-oriented industries"};
    static const char *const chrome[] = {"Sign in",        "Application Status",
                                         "Inquiry Status", "Forgot password",
                                         "Touch Shanghai", "Processing",
                                         "English map",    "Tang Yunyi",
                                         "view more",      "Shanghai Academy of Social Sciences"};
    static const char *const generic[] = {
        "development",  "system",     "systems",       "conditions", "mechanisms",  "area",
        "role",         "new",        "innovation",    "industries", "enterprises", "market",
        "technologies", "production", "collaboration", "quality",    "chains",      "research"};
    size_t len, i, j;
    char *input = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    pl_error err;
    pl_document *doc = pl_document_create(input, len, NULL, &err);
    pl_terms *terms;
    const pl_term *t;
    (void)state;
    assert_non_null(doc);
    terms = extract(doc, 0, 0);
    for (i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
        if (!find(terms, wanted[i]))
            fail_msg("missing \"%s\"", wanted[i]);
    for (i = 0; i < sizeof chrome / sizeof chrome[0]; i++)
        expect_none(terms, chrome[i]);
    for (i = 0; i < sizeof generic / sizeof generic[0]; i++)
        assert_null(find(terms, generic[i]));
    assert_string_equal(terms->items[0].text, "new quality productive forces");
    t = find(terms, "Four Improvements");
    assert_int_equal(t->kind, PL_TERM_QUOTED);
    assert_int_equal(t->case_policy, PL_CASE_CAPITALIZED);
    t = find(terms, "regional collaboration");
    assert_int_equal(t->kind, PL_TERM_PHRASE);
    assert_int_equal(t->case_policy, PL_CASE_INSENSITIVE);
    assert_int_equal(t->count, 2);
    /* occurrences are body sentences that hold the term */
    for (i = 0; i < terms->count; i++) {
        t = &terms->items[i];
        for (j = 0; j < t->occurrence_count; j++) {
            assert_true(t->occurrences[j] < doc->sentence_count);
            if (j)
                assert_true(t->occurrences[j] > t->occurrences[j - 1]);
        }
    }
    t = find(terms, "Five Industrial Bases");
    {
        const pl_sentence *s = &doc->sentences[t->occurrences[0]];
        assert_non_null(strstr(doc->text + s->start, "The Five Industrial Bases"));
        assert_true((size_t)(strstr(doc->text + s->start, "The Five Industrial Bases") -
                             doc->text) == s->start);
    }
    pl_terms_free(terms);
    pl_document_free(doc);
    free(input);
}

static void test_deterministic(void **state)
{
    size_t len, i, j;
    char *input = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    pl_error err;
    pl_document *doc = pl_document_create(input, len, NULL, &err);
    pl_terms *a, *b;
    (void)state;
    assert_non_null(doc);
    a = extract(doc, 0, 0);
    b = extract(doc, 0, 0);
    assert_int_equal(a->count, b->count);
    for (i = 0; i < a->count; i++) {
        const pl_term *x = &a->items[i], *y = &b->items[i];
        assert_string_equal(x->text, y->text);
        assert_true(x->score == y->score);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->case_policy, y->case_policy);
        assert_int_equal(x->count, y->count);
        assert_int_equal(x->variant_count, y->variant_count);
        for (j = 0; j < x->variant_count; j++)
            assert_string_equal(x->variants[j], y->variants[j]);
        assert_int_equal(x->occurrence_count, y->occurrence_count);
        assert_memory_equal(x->occurrences, y->occurrences,
                            x->occurrence_count * sizeof *x->occurrences);
    }
    pl_terms_free(a);
    pl_terms_free(b);
    pl_document_free(doc);
    free(input);
}

static void test_empty_and_odd_input(void **state)
{
    pl_document *doc = document("Title\n\nOk.\n");
    pl_terms *terms = extract(doc, 0, 0);
    (void)state;
    assert_int_equal(terms->count, 0);
    pl_terms_free(terms);
    pl_document_free(doc);
    /* numbers, CJK, symbols and stray quotes do not upset the extractor */
    doc = document("Title\n\nThe text of this paragraph mixes odd things with plain words: "
                   "\xE6\x96\xB0\xE8\xB4\xA8\xE7\x94\x9F\xE4\xBA\xA7\xE5\x8A\x9B 2024 "
                   "\" \xE2\x80\x9D ( ) \xE2\x80\x94 , , 3.5% A (B) \xE2\x80\x9C\xE2\x80\x9D "
                   "X-Y-Z ABC (Alpha Beta) e.g. foo\xE2\x80\x99s bar, and then it goes on for a "
                   "while about the weather in the hills and the rivers below them.\n");
    terms = extract(doc, 0, 0);
    pl_terms_free(terms);
    pl_document_free(doc);
}

static void test_allocation_failures(void **state)
{
    size_t len;
    long n;
    char *input = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    pl_error err;
    pl_document *doc = pl_document_create(input, len, NULL, &err);
    (void)state;
    assert_non_null(doc);
    /* Fail each allocation in turn: an error every time, never a crash or a
     * leak (ASan and valgrind check the latter). */
    for (n = 0; n < 5000; n++) {
        pl_terms_options opts = {10, 0, 0};
        pl_terms *terms;
        pl_alloc_fail_after(n);
        terms = pl_terms_extract(doc, &opts, &err);
        pl_alloc_fail_after(-1);
        if (terms) {
            assert_int_equal(terms->count, 10);
            pl_terms_free(terms);
            break;
        }
        assert_int_equal(err.status, PL_ERR_NOMEM);
        assert_string_equal(err.message, "out of memory");
    }
    assert_true(n < 5000);
    pl_document_free(doc);
    free(input);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_acronyms),
        cmocka_unit_test(test_enumeration),
        cmocka_unit_test(test_cvalue_prefers_whole_terms),
        cmocka_unit_test(test_coordination),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_headings_and_single_words),
        cmocka_unit_test(test_specificity_and_terminology),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_bundled_article),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_empty_and_odd_input),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
