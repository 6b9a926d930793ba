/* Tests of the summarizer (src/summarize.c): budgets, article order,
 * determinism, focus mode on small fixtures, degenerate input, the bundled
 * article's coverage of its sections, and allocation failures. */
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
#include "summarize.h"

static pl_document *text_document(const char *text)
{
    pl_document_options opts = {PL_FORMAT_TEXT, 0};
    pl_error err;
    pl_document *doc = pl_document_create(text, strlen(text), &opts, &err);
    if (!doc)
        fail_msg("document refused: %s", err.message);
    return doc;
}

static pl_document *article(void)
{
    size_t len;
    char *input = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    pl_error err;
    pl_document *doc = pl_document_create(input, len, NULL, &err);
    free(input);
    assert_non_null(doc);
    return doc;
}

static pl_summary *summarize(const pl_document *doc, const pl_summary_options *opts)
{
    pl_error err;
    pl_summary *s = pl_summarize(doc, opts, &err);
    if (!s)
        fail_msg("summarize failed: %s", err.message);
    assert_int_equal(err.status, PL_OK);
    return s;
}

static size_t code_points(const char *s, size_t n)
{
    size_t i, count = 0;
    for (i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

static size_t words(const char *s, size_t n)
{
    size_t i, count = 0;
    int in_word = 0;
    for (i = 0; i < n; i++) {
        int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
        count += !space && !in_word;
        in_word = !space;
    }
    return count;
}

/* Characters and words of the summary's sentences joined by one space. */
static void measure(const pl_document *doc, const pl_summary *s, size_t *chars, size_t *nwords)
{
    size_t i;
    *chars = s->count > 0 ? s->count - 1 : 0;
    *nwords = 0;
    for (i = 0; i < s->count; i++) {
        const pl_sentence *sent = &doc->sentences[s->sentences[i].index];
        *chars += code_points(doc->text + sent->start, sent->end - sent->start);
        *nwords += words(doc->text + sent->start, sent->end - sent->start);
    }
}

/* Article order, valid indices and scores, never a heading. */
static void assert_well_formed(const pl_document *doc, const pl_summary *s)
{
    size_t i;
    for (i = 0; i < s->count; i++) {
        const pl_summary_sentence *p = &s->sentences[i];
        pl_block_kind kind;
        assert_true(p->index < doc->sentence_count);
        if (i > 0)
            assert_true(p->index > s->sentences[i - 1].index);
        assert_true(p->score > 0.0 && p->score <= 1.0);
        kind = doc->paragraphs[doc->sentences[p->index].paragraph].kind;
        assert_true(kind != PL_BLOCK_HEADING && kind != PL_BLOCK_TITLE && kind != PL_BLOCK_CELL);
    }
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_article_covers_each_section(void **state)
{
    static const char section[] = "To develop new quality productive forces";
    pl_document *doc = article();
    pl_summary *s = summarize(doc, NULL);
    size_t i, first_section = doc->paragraph_count, intro = 0, sections = 0;
    unsigned char seen[64] = {0};
    (void)state;
    assert_int_equal(s->count, PL_SUMMARY_DEFAULT_SENTENCES);
    assert_well_formed(doc, s);
    for (i = 0; i < doc->paragraph_count; i++) {
        if (starts_with(doc->text + doc->paragraphs[i].start, section)) {
            first_section = i < first_section ? i : first_section;
            sections++;
        }
    }
    assert_int_equal(sections, 4);
    assert_true(first_section > 0 && doc->paragraph_count < sizeof seen);
    sections = 0;
    for (i = 0; i < s->count; i++) {
        const pl_sentence *sent = &doc->sentences[s->sentences[i].index];
        const pl_paragraph *p = &doc->paragraphs[sent->paragraph];
        assert_false(seen[sent->paragraph]);
        seen[sent->paragraph] = 1;
        if (sent->paragraph < first_section)
            intro++;
        else if (starts_with(doc->text + p->start, section))
            sections++;
    }
    /* One sentence of the introduction, one of each section; the chrome
     * after the article never reaches the document, let alone the summary. */
    assert_int_equal(intro, 1);
    assert_int_equal(sections, 4);
    pl_summary_free(s);
    pl_document_free(doc);
}

static void test_sentence_budgets(void **state)
{
    pl_document *doc = article();
    pl_summary_options opts;
    size_t n;
    (void)state;
    for (n = 1; n <= 40; n++) {
        pl_summary *s;
        memset(&opts, 0, sizeof opts);
        opts.max_sentences = n;
        s = summarize(doc, &opts);
        assert_int_equal(s->count, n < s->candidates ? n : s->candidates);
        assert_well_formed(doc, s);
        pl_summary_free(s);
    }
    pl_document_free(doc);
}

static void test_ratio_budget(void **state)
{
    static const double ratios[] = {0.001, 0.1, 0.2, 0.5, 1.0};
    pl_document *doc = article();
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ratios / sizeof *ratios; i++) {
        pl_summary_options opts;
        pl_summary *s;
        size_t want = (size_t)(ratios[i] * (double)doc->sentence_count + 0.5);
        memset(&opts, 0, sizeof opts);
        opts.ratio = ratios[i];
        s = summarize(doc, &opts);
        if (want < 1)
            want = 1;
        assert_int_equal(s->count, want < s->candidates ? want : s->candidates);
        assert_well_formed(doc, s);
        pl_summary_free(s);
    }
    pl_document_free(doc);
}

static void test_char_and_word_budgets(void **state)
{
    pl_document *doc = article();
    size_t budget;
    (void)state;
    for (budget = 1; budget <= 3000; budget += budget < 400 ? 7 : 97) {
        pl_summary_options opts;
        pl_summary *s;
        size_t chars, nwords;
        memset(&opts, 0, sizeof opts);
        opts.max_chars = budget;
        s = summarize(doc, &opts);
        measure(doc, s, &chars, &nwords);
        assert_true(chars <= budget);
        assert_well_formed(doc, s);
        if (budget >= 300)
            assert_true(s->count > 0);
        pl_summary_free(s);

        memset(&opts, 0, sizeof opts);
        opts.max_words = budget / 6 + 1;
        s = summarize(doc, &opts);
        measure(doc, s, &chars, &nwords);
        assert_true(nwords <= budget / 6 + 1);
        assert_well_formed(doc, s);
        pl_summary_free(s);
    }
    pl_document_free(doc);
}

static void test_budgets_combine(void **state)
{
    pl_document *doc = article();
    pl_summary_options opts;
    pl_summary *s;
    size_t chars, nwords;
    (void)state;
    memset(&opts, 0, sizeof opts);
    opts.max_sentences = 20;
    opts.max_chars = 700;
    s = summarize(doc, &opts);
    measure(doc, s, &chars, &nwords);
    assert_true(chars <= 700);
    assert_true(s->count >= 2 && s->count < 20);
    pl_summary_free(s);
    pl_document_free(doc);
}

static void assert_same(const pl_summary *a, const pl_summary *b)
{
    size_t i;
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->candidates, b->candidates);
    for (i = 0; i < a->count; i++) {
        assert_int_equal(a->sentences[i].index, b->sentences[i].index);
        assert_memory_equal(&a->sentences[i].score, &b->sentences[i].score, sizeof(double));
    }
}

/* A long document from a small vocabulary: many ties, and terms in far more
 * sentences than one is compared with. */
static char *repetitive_text(size_t sentences)
{
    static const char *const subjects[] = {"The council", "The water board", "Each district",
                                           "The city",    "Local farmers",   "The agency"};
    static const char *const verbs[] = {"approved", "reviewed", "rejected", "funded", "delayed"};
    static const char *const objects[] = {"the new water plan", "a budget for repairs",
                                          "the report on leaks", "a study of river levels"};
    size_t i, cap = sentences * 120 + 1, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (i = 0; i < sentences; i++) {
        len += (size_t)snprintf(text + len, cap - len, "%s %s %s after a long debate.%s",
                                subjects[i % 6], verbs[(i / 6) % 5], objects[(i / 30) % 4],
                                i % 7 == 6 ? "\n\n" : " ");
    }
    return text;
}

static void test_deterministic(void **state)
{
    pl_document *doc = article();
    char *text = repetitive_text(3000);
    pl_document *big = text_document(text);
    pl_summary_options opts;
    pl_summary *a, *b;
    size_t chars, nwords;
    (void)state;
    a = summarize(doc, NULL);
    b = summarize(doc, NULL);
    assert_same(a, b);
    pl_summary_free(a);
    pl_summary_free(b);

    memset(&opts, 0, sizeof opts);
    opts.ratio = 0.05;
    a = summarize(big, &opts);
    b = summarize(big, &opts);
    assert_same(a, b);
    assert_int_equal(a->count, 150);
    assert_well_formed(big, a);
    pl_summary_free(a);
    pl_summary_free(b);

    memset(&opts, 0, sizeof opts);
    opts.max_chars = 2000;
    a = summarize(big, &opts);
    measure(big, a, &chars, &nwords);
    assert_true(chars <= 2000 && chars > 1900);
    pl_summary_free(a);
    pl_document_free(big);
    pl_document_free(doc);
    free(text);
}

/* The single best sentence for a term is the one that defines it, even
 * where another sentence is more central or comes first. */
static void assert_focus_picks(const char *text, const char *focus, const char *expected)
{
    pl_document *doc = text_document(text);
    pl_summary_options opts;
    pl_summary *s;
    const pl_sentence *sent;
    memset(&opts, 0, sizeof opts);
    opts.max_sentences = 1;
    opts.focus = focus;
    opts.focus_len = strlen(focus);
    s = summarize(doc, &opts);
    assert_int_equal(s->count, 1);
    assert_true(s->focus_matches >= 2);
    sent = &doc->sentences[s->sentences[0].index];
    if (!starts_with(doc->text + sent->start, expected))
        fail_msg("focus '%s' picked: %.*s", focus, (int)(sent->end - sent->start),
                 doc->text + sent->start);
    pl_summary_free(s);
    pl_document_free(doc);
}

static void test_focus_picks_definition(void **state)
{
    (void)state;
    assert_focus_picks(
        "Cities across the region are planning for hotter summers and a longer heat season. "
        "Planners say the urban heat island raises energy bills in the summer months. "
        "An urban heat island is a city area that is much warmer than the rural land around it. "
        "Trees and reflective roofs can shrink urban heat islands in dense neighbourhoods. "
        "The council will publish its plan for the urban heat island next year.",
        "urban heat island", "An urban heat island is");
    assert_focus_picks(
        "The committee met on Tuesday to review the budget for next year. "
        "Members discussed the carbon levy at length, and several raised concerns about costs. "
        "Revenue from carbon levies will fund public transport and home insulation. "
        "The carbon levy, which is a charge on each tonne of carbon dioxide emitted, starts in "
        "January. The chair closed the meeting after two hours of debate.",
        "Carbon Levy", "The carbon levy, which");
    assert_focus_picks(
        "Farmers in the valley have shared water for centuries under old customs. "
        "Each spring the rotation decides which fields are irrigated first and for how long. "
        "The rotation is written down by the water master every winter. "
        "Disputes over the rotation go to the village court, which meets monthly. "
        "Under a system known as the rotation, each farm receives water for a fixed number of "
        "hours in turn.",
        "rotation", "Under a system known as the rotation");
    assert_focus_picks(
        "The report lists the Five Industrial Bases in its second chapter and returns to them "
        "often. Progress on the Five Industrial Bases has been slow in several provinces. "
        "The Five Industrial Bases — basic parts, basic materials, basic processes and basic "
        "software — remain dependent on imports. Officials want the five industrial bases "
        "strengthened within a decade.",
        "five industrial bases", "The Five Industrial Bases —");
}

static void test_focus_without_match(void **state)
{
    pl_document *doc = article();
    pl_summary_options opts;
    pl_summary *s;
    pl_error err;
    (void)state;
    memset(&opts, 0, sizeof opts);
    opts.focus = "quantum computing";
    opts.focus_len = strlen(opts.focus);
    s = summarize(doc, &opts);
    assert_int_equal(s->count, 0);
    assert_int_equal(s->focus_matches, 0);
    assert_true(s->candidates > 0);
    pl_summary_free(s);

    /* Every picked sentence holds the whole term when one does. */
    opts.focus = "Regional Collaboration";
    opts.focus_len = strlen(opts.focus);
    opts.max_sentences = 10;
    s = summarize(doc, &opts);
    assert_int_equal(s->count, s->focus_matches);
    assert_true(s->count >= 2);
    pl_summary_free(s);

    opts.focus = " — ";
    opts.focus_len = strlen(opts.focus);
    assert_null(pl_summarize(doc, &opts, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    pl_document_free(doc);
}

static void test_bad_arguments(void **state)
{
    pl_document *doc = article();
    pl_summary_options opts;
    pl_error err;
    (void)state;
    assert_null(pl_summarize(NULL, NULL, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    memset(&opts, 0, sizeof opts);
    opts.ratio = 1.5;
    assert_null(pl_summarize(doc, &opts, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    opts.ratio = -0.1;
    assert_null(pl_summarize(doc, &opts, NULL));
    opts.ratio = 0.0;
    opts.focus_len = 3;
    assert_null(pl_summarize(doc, &opts, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    pl_summary_free(NULL);
    pl_document_free(doc);
}

static void test_empty_and_tiny_documents(void **state)
{
    pl_document empty;
    pl_document *doc;
    pl_summary *s;
    char text[] = "";
    (void)state;
    memset(&empty, 0, sizeof empty);
    empty.text = text;
    s = summarize(&empty, NULL);
    assert_int_equal(s->count, 0);
    assert_int_equal(s->candidates, 0);
    pl_summary_free(s);

    doc = text_document("The council approved the new water plan on Monday evening.");
    s = summarize(doc, NULL);
    assert_int_equal(s->count, 1);
    assert_int_equal(s->sentences[0].index, 0);
    assert_true(s->sentences[0].score == 1.0);
    pl_summary_free(s);
    pl_document_free(doc);

    /* Fragments under five words and capitalised headings never qualify. */
    doc = text_document("Budget cuts ahead.\n\nSHORT TITLE OF THE WATER ACT.\n\nSee you soon.");
    s = summarize(doc, NULL);
    assert_int_equal(s->count, 0);
    assert_int_equal(s->candidates, 0);
    pl_summary_free(s);
    pl_document_free(doc);
}

static void test_headings_are_skipped(void **state)
{
    pl_document *doc = text_document(
        "Water reform for the whole city\n\n"
        "The city council approved a plan to replace the old water mains over the next ten "
        "years. The work starts with the districts that lose the most water to leaks.\n\n"
        "## How the new water mains plan is paid for\n\n"
        "The plan is paid for by a bond that voters approved last spring. The council expects "
        "the work to lower water bills over time.\n\n"
        "## What the water mains plan means for residents\n\n"
        "Residents will see road works in their street for about two weeks. The council will "
        "send a letter before the work begins.");
    pl_summary_options opts;
    pl_summary *s;
    size_t i, headings = 0;
    (void)state;
    for (i = 0; i < doc->paragraph_count; i++)
        headings += doc->paragraphs[i].kind == PL_BLOCK_HEADING;
    assert_true(headings >= 2);
    memset(&opts, 0, sizeof opts);
    opts.max_sentences = 100;
    s = summarize(doc, &opts);
    assert_int_equal(s->count, 6);
    assert_well_formed(doc, s);
    pl_summary_free(s);
    pl_document_free(doc);
}

static void test_boilerplate_only(void **state)
{
    static const char chrome[] = "Sign in\n\nFree sign-up | Forgot password\n\n"
                                 "Application Status\n\n04-16 21315227 Processing\n"
                                 "03-12 21315226 Processing\n\nview more »\n\n"
                                 "Q: Q: Is there a place where I can get...\n"
                                 "A: A: Log on to\n";
    pl_document_options dopts = {PL_FORMAT_TEXT, 0};
    pl_error err;
    pl_document *doc = pl_document_create(chrome, sizeof chrome - 1, &dopts, &err);
    pl_summary *s;
    (void)state;
    /* The cleaner either refuses the page or keeps a few short lines; either
     * way there is nothing to summarize, and that is not an error. */
    if (!doc) {
        assert_int_equal(err.status, PL_ERR_NO_TEXT);
        return;
    }
    s = summarize(doc, NULL);
    assert_int_equal(s->count, 0);
    assert_int_equal(s->candidates, 0);
    pl_summary_free(s);
    pl_document_free(doc);
}

/* Salience: 1 for the best candidate, 0 for what is no candidate; a subset
 * is scored as if it were the whole document. */
static void test_salience(void **state)
{
    pl_document *doc = article();
    double *all = NULL, *some = NULL, best = 0.0;
    size_t subset[3], i, n = 0, positive = 0;
    pl_error err;
    (void)state;
    assert_int_equal(pl_summary_salience(doc, NULL, 0, &all, &err), PL_OK);
    for (i = 0; i < doc->sentence_count; i++) {
        assert_true(all[i] >= 0.0 && all[i] <= 1.0);
        if (all[i] > best)
            best = all[i];
        positive += all[i] > 0.0;
    }
    assert_true(best == 1.0);
    assert_true(positive > 10);
    /* three candidate sentences, in order: only they are scored */
    for (i = 0; i < doc->sentence_count && n < 3; i++)
        if (all[i] > 0.0)
            subset[n++] = i;
    assert_int_equal(n, 3);
    assert_int_equal(pl_summary_salience(doc, subset, 3, &some, &err), PL_OK);
    for (i = 0, positive = 0, best = 0.0; i < doc->sentence_count; i++) {
        positive += some[i] > 0.0;
        if (some[i] > best)
            best = some[i];
        if (i != subset[0] && i != subset[1] && i != subset[2])
            assert_true(some[i] == 0.0);
    }
    assert_int_equal(positive, 3);
    assert_true(best == 1.0);
    pl_free(all);
    pl_free(some);
    assert_int_equal(pl_summary_salience(doc, NULL, 2, &some, &err), PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_summary_salience(NULL, NULL, 0, &some, &err), PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_summary_salience(doc, NULL, 0, NULL, &err), PL_ERR_INVALID_ARGUMENT);
    pl_document_free(doc);
}

static void test_allocation_failures(void **state)
{
    pl_document *doc = article();
    pl_summary_options opts;
    int focus;
    (void)state;
    memset(&opts, 0, sizeof opts);
    for (focus = 0; focus < 2; focus++) {
        long n;
        if (focus) {
            opts.focus = "new quality productive forces";
            opts.focus_len = strlen(opts.focus);
        }
        /* Fail each allocation in turn: an error every time, never a crash
         * or a leak (ASan and valgrind check the latter). */
        for (n = 0; n < 1000; n++) {
            pl_error err;
            pl_summary *s;
            pl_alloc_fail_after(n);
            s = pl_summarize(doc, &opts, &err);
            pl_alloc_fail_after(-1);
            if (s) {
                assert_true(s->count > 0);
                pl_summary_free(s);
                break;
            }
            assert_int_equal(err.status, PL_ERR_NOMEM);
            assert_string_equal(err.message, "out of memory");
        }
        assert_true(n > 10 && n < 1000);
    }
    pl_document_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_covers_each_section),
        cmocka_unit_test(test_sentence_budgets),
        cmocka_unit_test(test_ratio_budget),
        cmocka_unit_test(test_char_and_word_budgets),
        cmocka_unit_test(test_budgets_combine),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_focus_picks_definition),
        cmocka_unit_test(test_focus_without_match),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_empty_and_tiny_documents),
        cmocka_unit_test(test_headings_are_skipped),
        cmocka_unit_test(test_boilerplate_only),
        cmocka_unit_test(test_salience),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests_name("summarize", tests, NULL, NULL);
}
