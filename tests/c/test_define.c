/* Tests of src/define.c: the definition detector, one pattern at a time (for
 * and against, with exact scores and cues), and term explanations on small
 * documents and on the bundled article, down to allocation failures. */
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
#include "define.h"
#include "document.h"

typedef struct expectation {
    const char *sentence;
    int score;
    unsigned cues; /* exactly these */
} expectation;

static void check(const expectation *x)
{
    pl_define_result r;
    int score = pl_define_score(x->sentence, strlen(x->sentence), &r);
    if (score != x->score || r.cues != x->cues)
        fprintf(stderr, "sentence: %s\nscore %d (want %d), cues %#x (want %#x)\n", x->sentence,
                score, x->score, r.cues, x->cues);
    assert_int_equal(score, x->score);
    assert_int_equal(r.score, x->score);
    assert_int_equal(r.cues, x->cues);
    assert_int_equal(
        r.is_definition,
        (x->score >= PL_DEFINE_THRESHOLD && (x->cues & PL_CUE_PATTERNS) != 0) ||
            (x->score >= PL_DEFINE_SUBJECT_THRESHOLD && (x->cues & PL_CUE_TERM_SUBJECT) != 0));
}

static void test_copular_definitions(void **state)
{
    static const expectation cases[] = {
        {"A macrophage is a large phagocytic cell that engulfs foreign particles and pathogens.",
         13, PL_CUE_COPULA | PL_CUE_KIND_OF | PL_CUE_RELATIVE | PL_CUE_TERM_SUBJECT},
        {"Endocytosis is a type of active transport that moves large particles into a living cell.",
         11, PL_CUE_COPULA | PL_CUE_KIND_OF | PL_CUE_RELATIVE | PL_CUE_TERM_SUBJECT},
        {"Overgeneralization refers to an extension of a language rule to an exception to the "
         "rule.",
         10, PL_CUE_REFERS | PL_CUE_TERM_SUBJECT},
        {"Inflation means a general and sustained rise in the level of prices across an economy.",
         2, PL_CUE_MEANS},
        {"Opportunity cost is defined as the value of the next best alternative that is given up.",
         7, PL_CUE_COPULA | PL_CUE_DEFINED_AS},
        {"The price a firm pays to borrow money is known as the interest rate on its loans.", 6,
         PL_CUE_COPULA | PL_CUE_CALLED},
        {"A ring-like muscle called a sphincter forms valves in the digestive system of most "
         "animals.",
         6, PL_CUE_CALLED},
        {"An ecosystem consists of all the living things in a particular area together with the "
         "non-living parts.",
         7, PL_CUE_CONSISTS | PL_CUE_TERM_SUBJECT},
        {"Pathogens include bacteria, protists, fungi and other infectious organisms that cause "
         "disease.",
         7, PL_CUE_CONSISTS | PL_CUE_TERM_SUBJECT},
        {"Habituation occurs when an animal learns not to respond to a stimulus that is presented "
         "again and again.",
         11, PL_CUE_WHEN | PL_CUE_TERM_SUBJECT},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(&cases[i]);
}

static void test_appositives_and_clauses(void **state)
{
    static const expectation cases[] = {
        /* "X, a … that …" */
        {"Geneticists rely on linkage analysis, a procedure that measures how often two genes are "
         "inherited together.",
         6, PL_CUE_APPOSITIVE | PL_CUE_TERM_SUBJECT},
        /* "X, which is a …" */
        {"Damaged proteins are sent to the proteasome, which is a complex that breaks them down "
         "into short peptides.",
         3, PL_CUE_COPULA | PL_CUE_RELATIVE},
        /* "X — a, b, c —" */
        {"The three branches of government — the legislature, the executive, and the judiciary — "
         "share power in the system.",
         2, PL_CUE_ENUMERATION},
        /* "X: the …" */
        {"Many flowering plants depend on pollination: the transfer of pollen from the anther to "
         "the stigma of a flower.",
         7, PL_CUE_ENUMERATION | PL_CUE_TERM_SUBJECT},
        /* "X (Y)" */
        {"Rapid eye movement (REM) sleep is characterized by darting movements of the eyes under "
         "closed eyelids.",
         7, PL_CUE_COPULA | PL_CUE_DEFINED_AS | PL_CUE_PARENTHESIS},
        /* "X, or Y," */
        {"The C horizon, or soil base, includes the parent material from which the soil above it "
         "has formed.",
         2, PL_CUE_CONSISTS | PL_CUE_GLOSS},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(&cases[i]);
}

static void test_according_to_marks_a_source(void **state)
{
    static const char s[] =
        "According to the World Bank, extreme poverty is defined as living on less "
        "than two dollars a day.";
    pl_define_result r;
    (void)state;
    /* The capitalised source is attribution, not narrative: no penalty (-1:
     * no word outside common English). */
    assert_int_equal(pl_define_score(s, sizeof s - 1, &r), 6);
    assert_int_equal(r.cues, PL_CUE_COPULA | PL_CUE_DEFINED_AS | PL_CUE_SOURCE);
    assert_int_equal(r.source_end - r.source_start, strlen("the World Bank"));
    assert_memory_equal(s + r.source_start, "the World Bank", r.source_end - r.source_start);
    assert_int_equal(r.subject_end - r.subject_start, strlen("extreme poverty"));
    assert_memory_equal(s + r.subject_start, "extreme poverty", r.subject_end - r.subject_start);
}

static void test_signals_against(void **state)
{
    static const expectation cases[] = {
        {"What is the difference between a virus and a bacterium that causes the same disease?", -5,
         PL_CUE_COPULA | PL_CUE_RELATIVE | PL_CUE_QUESTION},
        {"Consider a firm that sells its products in a perfectly competitive market with many "
         "buyers.",
         -5, PL_CUE_IMPERATIVE},
        {"We went to the market and bought apples, and then we walked home together in the rain.",
         -7, PL_CUE_PERSONAL | PL_CUE_HEDGE},
        {"The forest itself.", -9, PL_CUE_FRAGMENT},
        {"In 1964, the senator was elected again after a long and bitter campaign in Ohio and "
         "Texas.",
         -10, PL_CUE_NARRATIVE | PL_CUE_HEDGE},
        {"For example, the price of wheat might rise if the harvest is poor this year in the "
         "region.",
         -6, PL_CUE_COPULA | PL_CUE_HEDGE},
        /* Points from length alone make no definition: no pattern. */
        {"The capabilities for independent innovation in complex manufacturing, such as "
         "high-speed rail and commercial large aircraft, have steadily improved.",
         0, 0},
        /* A definition without its final stop is a fragment too. */
        {"A macrophage is a large phagocytic cell that engulfs foreign particles", 10,
         PL_CUE_COPULA | PL_CUE_KIND_OF | PL_CUE_RELATIVE | PL_CUE_FRAGMENT | PL_CUE_TERM_SUBJECT},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(&cases[i]);
}

static void test_technical_words(void **state)
{
    static const expectation cases[] = {
        /* A word outside common English opens the subject (+2, the cue), four
         * or five technical words (+1 or +2), 20 words (+1), a generic
         * statement (noun phrase, then a verb that is no noun, "facilitates")
         * with a technical subject (+2): definitional at
         * PL_DEFINE_SUBJECT_THRESHOLD with no pattern. */
        {"The chorion facilitates the exchange of oxygen and carbon dioxide between the embryo "
         "and the air outside the porous eggshell.",
         7, PL_CUE_TERM_SUBJECT},
        /* The same frame in everyday words: no cue, -1 for no technical word
         * ("helps" can be a noun: no generic statement is read). */
        {"The teacher helps the exchange of ideas and stories between the children and the "
         "parents who wait outside the small school.",
         0, 0},
        /* The cue below PL_DEFINE_SUBJECT_THRESHOLD makes no definition. */
        {"Mitochondria produce most of the energy that a cell needs to grow and divide.", 0,
         PL_CUE_TERM_SUBJECT},
        {"Microglia scavenge dead cells.", -6, PL_CUE_FRAGMENT | PL_CUE_TERM_SUBJECT},
        /* A capital inside the sentence is a name, not a technical word. */
        {"The Smithsonian houses a large collection of paintings and old objects from many "
         "countries around the world today.",
         -1, 0},
        /* The subject ends at the first auxiliary: "cytoplasm" comes later. */
        {"Cells are surrounded by a thin membrane that keeps the cytoplasm and the organelles "
         "inside them at all times.",
         0, 0},
    };
    pl_define_result r;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(&cases[i]);
    pl_define_score(cases[0].sentence, strlen(cases[0].sentence), &r);
    assert_int_equal(r.is_definition, 1);
    pl_define_score(cases[2].sentence, strlen(cases[2].sentence), &r);
    assert_int_equal(r.is_definition, 0);
    assert_string_equal(pl_define_cue_name(PL_CUE_TERM_SUBJECT), "term_subject");
}

static void test_tokenized_input_scores_alike(void **state)
{
    /* Evaluation data comes space-separated ("cell , which"); the list
     * number DEFT puts in front of a passage is ignored. */
    static const char plain[] = "The cell wall is a rigid covering that protects the cell, "
                                "provides support, and gives shape to the cell.";
    static const char spaced[] = "182 . The cell wall is a rigid covering that protects the cell "
                                 ", provides support , and gives shape to the cell .";
    (void)state;
    assert_int_equal(pl_define_score(plain, sizeof plain - 1, NULL),
                     pl_define_score(spaced, sizeof spaced - 1, NULL));
    assert_true(pl_define_score(plain, sizeof plain - 1, NULL) >= PL_DEFINE_THRESHOLD);
}

static void test_bad_input(void **state)
{
    static const char binary[] =
        "A \xff\xfe is a \xc0 thing that \xed\xa0\x80 exists in the world.";
    pl_define_result r;
    char *long_sentence;
    size_t i, n = 20000;
    (void)state;
    /* Short (-8), no final stop (-2), no technical word (-1). */
    assert_int_equal(pl_define_score(NULL, 5, &r), -11);
    assert_int_equal(r.cues, PL_CUE_FRAGMENT);
    assert_int_equal(r.subject_start, 0);
    assert_int_equal(r.subject_end, 0);
    assert_int_equal(pl_define_score("", 0, NULL), -11);
    /* Invalid UTF-8 is punctuation, never a crash. */
    assert_true(pl_define_score(binary, sizeof binary - 1, &r) > -20);
    /* Past PL_DEFINE_MAX_TOKENS tokens the words still count: long (+1), a
     * generic "a" subject (+2), no final stop (-2), no technical word (-1). */
    long_sentence = malloc(n + 1);
    assert_non_null(long_sentence);
    for (i = 0; i < n; i += 2) {
        long_sentence[i] = 'a';
        long_sentence[i + 1] = ' ';
    }
    long_sentence[n] = '\0';
    assert_int_equal(pl_define_score(long_sentence, n, &r), 0);
    assert_int_equal(r.cues, PL_CUE_FRAGMENT);
    free(long_sentence);
}

static void test_cue_names(void **state)
{
    unsigned bit;
    (void)state;
    assert_string_equal(pl_define_cue_name(PL_CUE_COPULA), "copula");
    assert_string_equal(pl_define_cue_name(PL_CUE_SOURCE), "source");
    assert_string_equal(pl_define_cue_name(PL_CUE_HEDGE), "hedge");
    assert_string_equal(pl_define_cue_name(0), "");
    assert_string_equal(pl_define_cue_name(PL_CUE_COPULA | PL_CUE_REFERS), "");
    assert_string_equal(pl_define_cue_name(PL_CUE_LAST << 1), "");
    for (bit = 1; bit <= PL_CUE_LAST; bit <<= 1)
        assert_true(pl_define_cue_name(bit)[0] != '\0');
}

/* ---- explanations ---- */

static pl_document *make_doc(const char *text)
{
    pl_error err;
    pl_document *doc = pl_document_create(text, strlen(text), NULL, &err);
    assert_non_null(doc);
    return doc;
}

static int starts_with(const pl_document *doc, const pl_explain_sentence *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s->end - s->start >= n && memcmp(doc->text + s->start, prefix, n) == 0;
}

static void assert_provenance(const pl_document *doc, const pl_explanation *e)
{
    size_t i;
    for (i = 0; i < e->count; i++) {
        const pl_explain_sentence *s = &e->sentences[i];
        assert_true(s->index < doc->sentence_count);
        assert_int_equal(s->start, doc->sentences[s->index].start);
        assert_int_equal(s->end, doc->sentences[s->index].end);
        assert_int_equal(s->paragraph, doc->sentences[s->index].paragraph);
        assert_true(s->term_start >= s->start && s->term_end <= s->end);
        assert_true(s->term_start < s->term_end);
    }
}

static const char CARBON[] =
    "Carbon pricing is discussed in many countries today by lawmakers and economists alike.\n\n"
    "Several regions have tried it over the last twenty years, with mixed results so far.\n\n"
    "Carbon pricing is a policy that charges emitters for each tonne of carbon dioxide they "
    "release into the air.\n\n"
    "Critics of carbon prices say that they raise the cost of living for poorer households.\n";

static void test_definition_comes_first(void **state)
{
    pl_document *doc = make_doc(CARBON);
    pl_error err;
    pl_explanation *e = pl_explain(doc, "carbon pricing", 14, NULL, &err);
    (void)state;
    assert_non_null(e);
    /* "Carbon prices" is the same term, inflected. */
    assert_int_equal(e->mentions, 3);
    assert_int_equal(e->count, 3);
    assert_provenance(doc, e);
    assert_int_equal(e->sentences[0].index, 2);
    assert_int_equal(e->sentences[0].definition, 1);
    assert_int_equal(e->sentences[0].focus_score, 0.0);
    assert_true(starts_with(doc, &e->sentences[0], "Carbon pricing is a policy"));
    assert_memory_equal(doc->text + e->sentences[0].term_start, "Carbon pricing", 14);
    assert_int_equal(e->sentences[1].definition, 0);
    assert_int_equal(e->sentences[2].definition, 0);
    assert_true(e->sentences[1].focus_score > 0.0);
    assert_true(e->sentences[1].focus_score >= e->sentences[2].focus_score);
    pl_explanation_free(e);
    pl_document_free(doc);
}

static void test_options(void **state)
{
    pl_document *doc = make_doc(CARBON);
    pl_error err;
    pl_explain_options opts;
    static const char *const variants[] = {"emission pricing", "carbon tax"};
    pl_explanation *e;
    (void)state;

    memset(&opts, 0, sizeof opts);
    opts.max_sentences = 1;
    e = pl_explain(doc, "Carbon Pricing", 14, &opts, &err);
    assert_non_null(e);
    assert_int_equal(e->count, 1);
    assert_int_equal(e->sentences[0].index, 2);
    pl_explanation_free(e);

    /* More than three is three. */
    opts.max_sentences = 10;
    e = pl_explain(doc, "carbon pricing", 14, &opts, &err);
    assert_non_null(e);
    assert_int_equal(e->count, 3);
    pl_explanation_free(e);

    /* A variant finds what the term alone does not. */
    opts.max_sentences = 0;
    opts.variants = variants;
    opts.variant_count = 2;
    e = pl_explain(doc, "CO2 levy", 8, &opts, &err);
    assert_non_null(e);
    assert_int_equal(e->mentions, 0);
    pl_explanation_free(e);
    {
        static const char *const tax[] = {"carbon price"};
        opts.variants = tax;
        opts.variant_count = 1;
        e = pl_explain(doc, "CO2 levy", 8, &opts, &err);
        assert_non_null(e);
        assert_int_equal(e->mentions, 3);
        assert_int_equal(e->sentences[0].index, 2);
        /* The summarizer ranks the rest by the variant too. */
        assert_int_equal(e->count, 3);
        assert_true(e->sentences[1].focus_score > 0.0);
        pl_explanation_free(e);
    }
    pl_document_free(doc);
}

static size_t mentions_of(const pl_document *doc, const char *term)
{
    pl_error err;
    pl_explanation *e = pl_explain(doc, term, strlen(term), NULL, &err);
    size_t n;
    assert_non_null(e);
    n = e->mentions;
    pl_explanation_free(e);
    return n;
}

static void test_whole_words_and_inflections(void **state)
{
    pl_document *doc = make_doc(
        "The carbonate rocks of the region are very old indeed, geologists say in a report.\n\n"
        "Productive forces grew while the studies of high-quality growth went on for years.\n\n"
        "Each study of high quality growth was running late, and one studied China’s plans.\n");
    (void)state;
    /* Whole words: no "carbon" in "carbonate", which the stemmer would
     * conflate; derivations stay apart ("product" / "productive"). */
    assert_int_equal(mentions_of(doc, "carbon"), 0);
    assert_int_equal(mentions_of(doc, "carbonates"), 1);
    assert_int_equal(mentions_of(doc, "product"), 0);
    assert_int_equal(mentions_of(doc, "productive force"), 1);
    /* Inflections, case, hyphen or space, curly or straight apostrophe. */
    assert_int_equal(mentions_of(doc, "Study"), 2);
    assert_int_equal(mentions_of(doc, "high quality"), 2);
    assert_int_equal(mentions_of(doc, "HIGH-QUALITY GROWTH"), 2);
    assert_int_equal(mentions_of(doc, "run"), 1);
    assert_int_equal(mentions_of(doc, "China's plan"), 1);
    /* Words of the term must be adjacent, not across punctuation. */
    assert_int_equal(mentions_of(doc, "indeed geologists"), 0);
    pl_document_free(doc);
}

static void test_explain_bad_input(void **state)
{
    pl_document *doc = make_doc(CARBON);
    pl_error err;
    pl_explain_options opts;
    static const char *const with_null[] = {"carbon", NULL};
    (void)state;
    assert_null(pl_explain(NULL, "x", 1, NULL, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    assert_null(pl_explain(doc, NULL, 3, NULL, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    assert_null(pl_explain(doc, " ,; ", 4, NULL, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "the term has no word in it");
    assert_null(pl_explain(doc, "", 0, NULL, NULL));
    memset(&opts, 0, sizeof opts);
    opts.variant_count = 1;
    assert_null(pl_explain(doc, "carbon", 6, &opts, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    opts.variants = with_null;
    opts.variant_count = 2;
    assert_null(pl_explain(doc, "carbon", 6, &opts, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    /* Invalid UTF-8 in the term is replaced, not refused. */
    {
        pl_explanation *e = pl_explain(doc, "carbon \xff pricing", 16, NULL, &err);
        assert_non_null(e);
        pl_explanation_free(e);
    }
    pl_explanation_free(NULL);
    pl_document_free(doc);
}

static pl_document *bundled_article(void)
{
    size_t len;
    char *input = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    pl_error err;
    pl_document *doc = pl_document_create(input, len, NULL, &err);
    free(input);
    assert_non_null(doc);
    return doc;
}

static void test_article_five_industrial_bases(void **state)
{
    pl_document *doc = bundled_article();
    pl_error err;
    static const char *const names[] = {"Five Industrial Bases", "five industrial base"};
    size_t k;
    (void)state;
    for (k = 0; k < 2; k++) {
        pl_explanation *e = pl_explain(doc, names[k], strlen(names[k]), NULL, &err);
        const pl_explain_sentence *s;
        const char *end = "indicating an unstable industrial foundation.";
        assert_non_null(e);
        assert_int_equal(e->mentions, 1);
        assert_int_equal(e->count, 1);
        assert_provenance(doc, e);
        s = &e->sentences[0];
        assert_int_equal(s->definition, 1);
        assert_true(starts_with(doc, s,
                                "The Five Industrial Bases — basic parts, basic materials, basic "
                                "processes, basic technologies, and basic software — remain "
                                "highly dependent on foreign sources,"));
        assert_memory_equal(doc->text + s->end - strlen(end), end, strlen(end));
        assert_memory_equal(doc->text + s->term_start, "Five Industrial Bases", 21);
        pl_explanation_free(e);
    }
    pl_document_free(doc);
}

static void test_article_new_quality_productive_forces(void **state)
{
    pl_document *doc = bundled_article();
    pl_error err;
    pl_explanation *e = pl_explain(doc, "new quality productive forces", 29, NULL, &err);
    (void)state;
    assert_non_null(e);
    assert_int_equal(e->count, 3);
    assert_true(e->mentions >= 3);
    assert_provenance(doc, e);
    assert_true(starts_with(doc, &e->sentences[0],
                            "Developing new quality productive forces is a crucial path"));
    assert_int_equal(e->sentences[0].definition, 1);
    pl_explanation_free(e);
    pl_document_free(doc);
}

static void test_article_source_and_absent_term(void **state)
{
    pl_document *doc = bundled_article();
    pl_error err;
    pl_explanation *e, *again;
    size_t i;
    (void)state;
    /* "According to X, …" explains X as a source. */
    e = pl_explain(doc, "Manufacturing Development Power Index", 37, NULL, &err);
    assert_non_null(e);
    assert_int_equal(e->count, 1);
    assert_int_equal(e->sentences[0].definition, 1);
    assert_true(starts_with(doc, &e->sentences[0], "According to the Manufacturing Development"));
    pl_explanation_free(e);

    e = pl_explain(doc, "quantum chromodynamics", 22, NULL, &err);
    assert_non_null(e);
    assert_int_equal(e->count, 0);
    assert_int_equal(e->mentions, 0);
    pl_explanation_free(e);

    /* Site chrome never explains anything: it was cleaned away. */
    e = pl_explain(doc, "Forgot password", 15, NULL, &err);
    assert_non_null(e);
    assert_int_equal(e->count, 0);
    pl_explanation_free(e);

    /* Deterministic. */
    e = pl_explain(doc, "regional collaboration", 22, NULL, &err);
    again = pl_explain(doc, "regional collaboration", 22, NULL, &err);
    assert_non_null(e);
    assert_non_null(again);
    assert_int_equal(e->count, 2);
    assert_int_equal(e->count, again->count);
    for (i = 0; i < e->count; i++) {
        assert_int_equal(e->sentences[i].index, again->sentences[i].index);
        assert_int_equal(e->sentences[i].score, again->sentences[i].score);
    }
    pl_explanation_free(e);
    pl_explanation_free(again);
    pl_document_free(doc);
}

/* Many terms in one pass: each explanation is what pl_explain gives for
 * the term alone, in the order asked; a term never mentioned is empty. */
static void test_explain_many(void **state)
{
    pl_document *doc = make_doc(CARBON);
    static const char *const price[] = {"carbon price"};
    pl_explain_term terms[3];
    pl_explanation **list, *one;
    pl_explain_options opts;
    pl_error err;
    size_t k, i;
    (void)state;
    memset(terms, 0, sizeof terms);
    terms[0].text = "carbon dioxide";
    terms[0].len = 14;
    terms[1].text = "quantum gravity";
    terms[1].len = 15;
    terms[2].text = "CO2 levy";
    terms[2].len = 8;
    terms[2].variants = price;
    terms[2].variant_count = 1;
    list = pl_explain_many(doc, terms, 3, 2, &err);
    assert_non_null(list);
    /* "carbon dioxide": one mention, not in a defining place */
    assert_int_equal(list[0]->mentions, 1);
    assert_int_equal(list[0]->count, 1);
    assert_int_equal(list[0]->sentences[0].index, 2);
    assert_int_equal(list[0]->sentences[0].definition, 0);
    assert_true(list[0]->sentences[0].focus_score == 1.0);
    assert_memory_equal(doc->text + list[0]->sentences[0].term_start, "carbon dioxide", 14);
    assert_int_equal(list[1]->mentions, 0);
    assert_int_equal(list[1]->count, 0);
    /* through its variant: the definition, then the most salient other */
    assert_int_equal(list[2]->mentions, 3);
    assert_int_equal(list[2]->count, 2);
    assert_int_equal(list[2]->sentences[0].index, 2);
    assert_int_equal(list[2]->sentences[0].definition, 1);
    assert_int_equal(list[2]->sentences[1].definition, 0);
    assert_true(list[2]->sentences[1].focus_score > 0.0);
    for (k = 0; k < 3; k++) {
        memset(&opts, 0, sizeof opts);
        opts.max_sentences = 2;
        opts.variants = terms[k].variants;
        opts.variant_count = terms[k].variant_count;
        one = pl_explain(doc, terms[k].text, terms[k].len, &opts, &err);
        assert_non_null(one);
        assert_int_equal(one->mentions, list[k]->mentions);
        assert_int_equal(one->count, list[k]->count);
        for (i = 0; i < one->count; i++) {
            assert_int_equal(one->sentences[i].index, list[k]->sentences[i].index);
            assert_int_equal(one->sentences[i].term_start, list[k]->sentences[i].term_start);
            assert_int_equal(one->sentences[i].score, list[k]->sentences[i].score);
            assert_true(one->sentences[i].focus_score == list[k]->sentences[i].focus_score);
        }
        pl_explanation_free(one);
    }
    pl_explanations_free(list, 3);

    /* none asked: an empty list, not an error */
    list = pl_explain_many(doc, NULL, 0, 0, &err);
    assert_non_null(list);
    pl_explanations_free(list, 0);
    pl_explanations_free(NULL, 3);

    /* one bad term fails the call whole */
    assert_null(pl_explain_many(doc, NULL, 1, 0, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    terms[1].text = "";
    terms[1].len = 0;
    assert_null(pl_explain_many(doc, terms, 3, 0, &err));
    assert_string_equal(err.message, "the term has no word in it");
    terms[1].text = NULL;
    terms[1].len = 3;
    assert_null(pl_explain_many(doc, terms, 3, 0, &err));
    assert_string_equal(err.message, "no term buffer");
    assert_null(pl_explain_many(NULL, terms, 1, 0, &err));
    assert_string_equal(err.message, "no document");
    pl_document_free(doc);
}

/* ---- discourse: sentences read in order (pl_define_sentences) ---- */

#define MAX_LINES 8

/* Scores lines[0..n) as the sentences of one text, joined by newlines. */
static void score_lines(const char *const *lines, size_t n, pl_define_result *r)
{
    char text[2048];
    pl_define_span spans[MAX_LINES];
    pl_error err;
    size_t i, len = 0;
    assert_true(n <= MAX_LINES);
    for (i = 0; i < n; i++) {
        size_t k = strlen(lines[i]);
        assert_true(len + k + 1 < sizeof text);
        spans[i].start = len;
        memcpy(text + len, lines[i], k);
        len += k;
        spans[i].end = len;
        text[len++] = '\n';
    }
    assert_int_equal(pl_define_sentences(text, len, spans, n, r, &err), PL_OK);
    assert_int_equal(err.status, PL_OK);
}

static void assert_result(const pl_define_result *r, int score, unsigned cues, int definition)
{
    if (r->score != score || r->cues != cues)
        fprintf(stderr, "score %d (want %d), cues %#x (want %#x)\n", r->score, score, r->cues,
                cues);
    assert_int_equal(r->score, score);
    assert_int_equal(r->cues, cues);
    assert_int_equal(r->is_definition, definition);
}

static const char NUCLEOTIDES[] = "Nucleotides are the monomers of nucleic acids, built from a "
                                  "pentose sugar, a phosphate group and a nitrogenous base.";
static const char FILLER[] = "Cells store energy in many different ways over the course of a day.";
/* Mentions three of the technical words of NUCLEOTIDES, in other inflections. */
static const char MENTION[] =
    "We looked at one nucleotide with its pentose and nitrogenous parts and a monomer yesterday.";
static const char MICROGLIA[] =
    "Microglia scavenge dead neurons and degrade cellular debris in the brain.";

static void test_discourse_new_terms(void **state)
{
    pl_define_result r[MAX_LINES], alone;
    const char *lines[MAX_LINES];
    (void)state;
    /* First in its text: no context, no discourse points (what pl_define_score gives). */
    lines[0] = NUCLEOTIDES;
    score_lines(lines, 1, r);
    pl_define_score(NUCLEOTIDES, strlen(NUCLEOTIDES), &alone);
    assert_result(&r[0], 9, PL_CUE_COPULA | PL_CUE_APPOSITIVE | PL_CUE_TERM_SUBJECT, 1);
    assert_memory_equal(&r[0], &alone, sizeof alone);
    /* After a sentence of everyday words its five technical words are new: +1. */
    lines[0] = FILLER;
    lines[1] = NUCLEOTIDES;
    score_lines(lines, 2, r);
    assert_result(&r[0], -2, 0, 0);
    assert_result(&r[1], 10,
                  PL_CUE_COPULA | PL_CUE_APPOSITIVE | PL_CUE_TERM_SUBJECT | PL_CUE_NEW_TERMS, 1);
    /* "nucleotide", "monomer", "pentose" and "nitrogenous" just before (one stem for
     * "Nucleotides" and "nucleotide"): fewer than three are new, no points. */
    lines[0] = MENTION;
    score_lines(lines, 2, r);
    assert_result(&r[1], 9, PL_CUE_COPULA | PL_CUE_APPOSITIVE | PL_CUE_TERM_SUBJECT, 1);
    /* Three sentences back is still recent; four back is not. */
    lines[1] = lines[2] = FILLER;
    lines[3] = NUCLEOTIDES;
    score_lines(lines, 4, r);
    assert_result(&r[3], 9, PL_CUE_COPULA | PL_CUE_APPOSITIVE | PL_CUE_TERM_SUBJECT, 1);
    lines[3] = FILLER;
    lines[4] = NUCLEOTIDES;
    score_lines(lines, 5, r);
    assert_result(&r[4], 10,
                  PL_CUE_COPULA | PL_CUE_APPOSITIVE | PL_CUE_TERM_SUBJECT | PL_CUE_NEW_TERMS, 1);
    /* The point decides a generic statement on a technical subject: 2 alone, 3 in context. */
    pl_define_score(MICROGLIA, strlen(MICROGLIA), &alone);
    assert_result(&alone, 2, PL_CUE_TERM_SUBJECT, 0);
    lines[0] = FILLER;
    lines[1] = MICROGLIA;
    score_lines(lines, 2, r);
    assert_result(&r[1], 3, PL_CUE_TERM_SUBJECT | PL_CUE_NEW_TERMS, 1);
}

static void test_discourse_defined_before(void **state)
{
    static const char GLYCOGEN[] = "Glycogen is the storage form of glucose in animals and fungi.";
    static const char GRANULES[] =
        "Glycogen granules are the places where the liver keeps it for later use.";
    static const char EACH[] =
        "Each nucleotide has a pentose sugar and a phosphate group and a base in a nucleic acid.";
    pl_define_result r[MAX_LINES];
    const char *lines[MAX_LINES];
    (void)state;
    /* A subject word that was the subject of a definition before: -1. */
    lines[0] = GLYCOGEN;
    lines[1] = GRANULES;
    score_lines(lines, 2, r);
    assert_result(&r[0], 7, PL_CUE_COPULA | PL_CUE_KIND_OF | PL_CUE_TERM_SUBJECT, 1);
    assert_result(&r[1], 6,
                  PL_CUE_COPULA | PL_CUE_RELATIVE | PL_CUE_TERM_SUBJECT | PL_CUE_DEFINED_BEFORE, 1);
    /* Mentioned before, but in no definition: nothing. */
    lines[0] = "We measured glycogen in the liver of mice last year.";
    score_lines(lines, 2, r);
    assert_int_equal(r[0].is_definition, 0);
    assert_result(&r[1], 7, PL_CUE_COPULA | PL_CUE_RELATIVE | PL_CUE_TERM_SUBJECT, 1);
    /* However far back the definition is (MENTION keeps EACH's technical words recent, so no
     * new terms); the subject of a sentence without a defining verb is its technical subject
     * word ("nucleotide" as in "Nucleotides are …"), and the point decides: 2 five sentences
     * after NUCLEOTIDES, no definition; 3 without it, a definition. */
    lines[0] = NUCLEOTIDES;
    lines[1] = lines[2] = lines[3] = FILLER;
    lines[4] = MENTION;
    lines[5] = EACH;
    score_lines(lines, 6, r);
    assert_result(&r[5], 2, PL_CUE_TERM_SUBJECT | PL_CUE_DEFINED_BEFORE, 0);
    lines[0] = FILLER;
    score_lines(lines, 6, r);
    assert_result(&r[5], 3, PL_CUE_TERM_SUBJECT, 1);
}

static void test_define_document(void **state)
{
    static const char TEXT[] = "Cells store energy in many different ways over the course of a "
                               "day.\n\n"
                               "Microglia scavenge dead neurons and degrade cellular debris in "
                               "the brain.\n";
    pl_document *doc = make_doc(TEXT);
    pl_define_result r[2];
    pl_error err;
    (void)state;
    assert_int_equal(doc->sentence_count, 2);
    assert_int_equal(pl_define_document(doc, r, &err), PL_OK);
    assert_result(&r[0], -2, 0, 0);
    assert_result(&r[1], 3, PL_CUE_TERM_SUBJECT | PL_CUE_NEW_TERMS, 1);
    pl_document_free(doc);
}

static void test_define_sentences_bad_input(void **state)
{
    static const char TEXT[] = "Microglia scavenge debris.";
    pl_define_span span = {0, sizeof TEXT - 1}, bad = {3, 2}, past = {0, sizeof TEXT};
    pl_define_result r;
    pl_error err;
    (void)state;
    assert_int_equal(pl_define_sentences(NULL, 0, NULL, 0, NULL, &err), PL_OK);
    assert_int_equal(pl_define_sentences(NULL, 4, &span, 1, &r, &err), PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_define_sentences(TEXT, sizeof TEXT - 1, NULL, 1, &r, &err),
                     PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_define_sentences(TEXT, sizeof TEXT - 1, &span, 1, NULL, &err),
                     PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_define_sentences(TEXT, sizeof TEXT - 1, &bad, 1, &r, &err),
                     PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_define_sentences(TEXT, sizeof TEXT - 1, &past, 1, &r, &err),
                     PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_define_document(NULL, &r, &err), PL_ERR_INVALID_ARGUMENT);
    /* An empty sentence scores as pl_define_score scores "". */
    span.end = 0;
    assert_int_equal(pl_define_sentences(TEXT, sizeof TEXT - 1, &span, 1, &r, &err), PL_OK);
    assert_int_equal(r.score, pl_define_score("", 0, NULL));
}

static void test_define_sentences_allocation_failures(void **state)
{
    pl_document *doc = bundled_article();
    pl_define_result *r = calloc(doc->sentence_count, sizeof *r);
    long n;
    (void)state;
    assert_non_null(r);
    for (n = 0; n < 5000; n++) {
        pl_error err;
        pl_status st;
        pl_alloc_fail_after(n);
        st = pl_define_document(doc, r, &err);
        pl_alloc_fail_after(-1);
        if (st == PL_OK)
            break;
        assert_int_equal(st, PL_ERR_NOMEM);
        assert_int_equal(err.status, PL_ERR_NOMEM);
    }
    assert_true(n > 0 && n < 5000);
    free(r);
    pl_document_free(doc);
}

static void test_allocation_failures(void **state)
{
    pl_document *doc = bundled_article();
    static const char *const variants[] = {"FIB"};
    pl_explain_options opts;
    long n;
    (void)state;
    memset(&opts, 0, sizeof opts);
    opts.variants = variants;
    opts.variant_count = 1;
    /* Fail each allocation in turn: an error every time, never a crash or a
     * leak (ASan and valgrind check the latter). */
    for (n = 0; n < 5000; n++) {
        pl_error err;
        pl_explanation *e;
        pl_alloc_fail_after(n);
        e = pl_explain(doc, "new quality productive forces", 29, &opts, &err);
        pl_alloc_fail_after(-1);
        if (e) {
            assert_int_equal(e->count, 3);
            pl_explanation_free(e);
            break;
        }
        assert_int_equal(err.status, PL_ERR_NOMEM);
    }
    assert_true(n < 5000);
    for (n = 0; n < 5000; n++) {
        pl_error err;
        pl_explain_term terms[2];
        pl_explanation **list;
        memset(terms, 0, sizeof terms);
        terms[0].text = "Five Industrial Bases";
        terms[0].len = 21;
        terms[1].text = "regional collaboration";
        terms[1].len = 22;
        terms[1].variants = variants;
        terms[1].variant_count = 1;
        pl_alloc_fail_after(n);
        list = pl_explain_many(doc, terms, 2, 0, &err);
        pl_alloc_fail_after(-1);
        if (list) {
            assert_int_equal(list[0]->sentences[0].definition, 1);
            assert_true(list[1]->count > 0);
            pl_explanations_free(list, 2);
            break;
        }
        assert_int_equal(err.status, PL_ERR_NOMEM);
    }
    assert_true(n < 5000);
    pl_document_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copular_definitions),
        cmocka_unit_test(test_appositives_and_clauses),
        cmocka_unit_test(test_according_to_marks_a_source),
        cmocka_unit_test(test_signals_against),
        cmocka_unit_test(test_tokenized_input_scores_alike),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_technical_words),
        cmocka_unit_test(test_cue_names),
        cmocka_unit_test(test_definition_comes_first),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_whole_words_and_inflections),
        cmocka_unit_test(test_explain_bad_input),
        cmocka_unit_test(test_article_five_industrial_bases),
        cmocka_unit_test(test_article_new_quality_productive_forces),
        cmocka_unit_test(test_article_source_and_absent_term),
        cmocka_unit_test(test_explain_many),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_discourse_new_terms),
        cmocka_unit_test(test_discourse_defined_before),
        cmocka_unit_test(test_define_document),
        cmocka_unit_test(test_define_sentences_bad_input),
        cmocka_unit_test(test_define_sentences_allocation_failures),
    };
    return cmocka_run_group_tests_name("define", tests, NULL, NULL);
}
