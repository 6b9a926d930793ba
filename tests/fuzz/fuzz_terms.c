/* Fuzz target: term extraction (src/terms.c) on whatever document the
 * pipeline makes of the bytes. The list must be ranked (score descending,
 * then text), each term a clean string with itself as first variant, its
 * counts and sentence indices consistent, a long form pointing at another
 * term, and the options honoured. Trailer options: bits 0-2 top (0: all),
 * bits 3-4 min_count (0: defaults), bit 5 extract twice and compare
 * (determinism), bit 6 read the bytes as HTML. */
#include "fuzz.h"

#include <math.h>

#include "document.h"
#include "terms.h"

static void check_terms(const pl_terms *t, const pl_document *doc, const pl_terms_options *o)
{
    size_t i, k;
    FUZZ_CHECK(o->top == 0 || t->count <= o->top);
    for (i = 0; i < t->count; i++) {
        const pl_term *term = &t->items[i];
        size_t len;
        FUZZ_CHECK(term->text != NULL);
        len = strlen(term->text);
        FUZZ_CHECK(len > 0 && fuzz_valid_utf8(term->text, len));
        FUZZ_CHECK(isfinite(term->score));
        if (i > 0) {
            const pl_term *prev = &t->items[i - 1];
            FUZZ_CHECK(prev->score > term->score ||
                       (prev->score == term->score && strcmp(prev->text, term->text) < 0));
        }
        FUZZ_CHECK(term->variant_count >= 1 && strcmp(term->variants[0], term->text) == 0);
        for (k = 0; k < term->variant_count; k++) {
            size_t j;
            FUZZ_CHECK(term->variants[k] != NULL && term->variants[k][0] != '\0');
            FUZZ_CHECK(fuzz_valid_utf8(term->variants[k], strlen(term->variants[k])));
            for (j = 0; j < k; j++)
                FUZZ_CHECK(strcmp(term->variants[j], term->variants[k]) != 0);
        }
        FUZZ_CHECK(term->kind >= PL_TERM_QUOTED && term->kind <= PL_TERM_PHRASE);
        FUZZ_CHECK(term->case_policy >= PL_CASE_INSENSITIVE && term->case_policy <= PL_CASE_EXACT);
        FUZZ_CHECK(term->count >= 1 && (o->min_count == 0 || term->count >= o->min_count));
        FUZZ_CHECK(term->occurrence_count >= 1 && term->occurrence_count <= term->count);
        for (k = 0; k < term->occurrence_count; k++) {
            FUZZ_CHECK(term->occurrences[k] < doc->sentence_count);
            FUZZ_CHECK(k == 0 || term->occurrences[k] > term->occurrences[k - 1]);
        }
        if (term->long_form != PL_TERM_NONE) {
            FUZZ_CHECK(term->kind == PL_TERM_ACRONYM);
            FUZZ_CHECK(term->long_form < t->count && term->long_form != i);
        }
        FUZZ_CHECK(pl_term_kind_name(term->kind) != NULL);
    }
}

static void check_same(const pl_terms *a, const pl_terms *b)
{
    size_t i;
    FUZZ_CHECK(a->count == b->count);
    for (i = 0; i < a->count; i++) {
        FUZZ_CHECK(strcmp(a->items[i].text, b->items[i].text) == 0);
        FUZZ_CHECK(a->items[i].score == b->items[i].score);
        FUZZ_CHECK(a->items[i].count == b->items[i].count);
        FUZZ_CHECK(a->items[i].variant_count == b->items[i].variant_count);
        FUZZ_CHECK(a->items[i].long_form == b->items[i].long_form);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = fuzz_split(data, size);
    pl_document_options dopts = {PL_FORMAT_AUTO, 0};
    pl_terms_options o;
    pl_document *doc;
    pl_terms *terms;
    pl_error err;

    if (in.options & 64)
        dopts.format = PL_FORMAT_HTML;
    doc = pl_document_create(in.data, in.size, &dopts, &err);
    if (!doc)
        return 0;
    o.top = in.options & 7;
    o.min_count = (in.options >> 3) & 3;
    fuzz_arm(&in);
    terms = pl_terms_extract(doc, &o, &err);
    fuzz_disarm();
    if (!terms) {
        FUZZ_CHECK(err.status == PL_ERR_NOMEM && in.fail_after >= 0);
        FUZZ_CHECK(err.message[0] != '\0');
        pl_document_free(doc);
        return 0;
    }
    check_terms(terms, doc, &o);
    if (in.options & 32) {
        pl_terms *again = pl_terms_extract(doc, &o, &err);
        FUZZ_CHECK(again != NULL);
        check_same(terms, again);
        pl_terms_free(again);
    }
    pl_terms_free(terms);
    pl_document_free(doc);
    return 0;
}
