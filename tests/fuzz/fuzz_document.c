/* Fuzz target: the whole text pipeline, pl_document_create (src/document.c:
 * binary sniffing, UTF-8 repair, HTML or plain text, boilerplate, NFC,
 * segmentation), and what reads a document: summaries (src/summarize.c),
 * explanations and the definition detector (src/define.c). A document must
 * hold valid UTF-8 paragraphs separated by blank lines and sentences inside
 * them; a refusal must carry a documented status and a message.
 * Trailer options: bits 0-1 the format (auto, text, html, auto), bit 2 keep
 * boilerplate, bit 3 summarize, bit 4 explain, bit 5 create twice and
 * compare (determinism), bit 6 score every sentence as a definition. */
#include "fuzz.h"

#include "define.h"
#include "document.h"
#include "summarize.h"

static void check_meta(const char *field)
{
    size_t n;
    if (!field)
        return;
    n = strlen(field);
    FUZZ_CHECK(n > 0 && fuzz_valid_utf8(field, n));
}

static void check_document(const pl_document *doc, pl_format format)
{
    size_t i, prev_end = 0;
    FUZZ_CHECK(doc->text != NULL && doc->text[doc->text_len] == '\0');
    FUZZ_CHECK(fuzz_valid_utf8(doc->text, doc->text_len));
    FUZZ_CHECK(doc->format == PL_FORMAT_TEXT || doc->format == PL_FORMAT_HTML);
    FUZZ_CHECK(format == PL_FORMAT_AUTO || doc->format == format);
    FUZZ_CHECK(doc->paragraph_count > 0);
    for (i = 0; i < doc->paragraph_count; i++) {
        const pl_paragraph *p = &doc->paragraphs[i];
        FUZZ_CHECK(p->start < p->end && p->end <= doc->text_len);
        if (i == 0)
            FUZZ_CHECK(p->start == 0);
        else
            FUZZ_CHECK(p->start == prev_end + 2 && memcmp(doc->text + prev_end, "\n\n", 2) == 0);
        FUZZ_CHECK(p->kind >= PL_BLOCK_PARAGRAPH && p->kind <= PL_BLOCK_PRE);
        prev_end = p->end;
    }
    FUZZ_CHECK(prev_end == doc->text_len);
    prev_end = 0;
    for (i = 0; i < doc->sentence_count; i++) {
        const pl_sentence *s = &doc->sentences[i];
        const pl_paragraph *p;
        FUZZ_CHECK(s->paragraph < doc->paragraph_count);
        p = &doc->paragraphs[s->paragraph];
        FUZZ_CHECK(s->start < s->end && s->start >= p->start && s->end <= p->end);
        FUZZ_CHECK(s->start >= prev_end);
        /* Every paragraph has a sentence: a block is never only white space. */
        if (i == 0)
            FUZZ_CHECK(s->paragraph == 0);
        else
            FUZZ_CHECK(s->paragraph == doc->sentences[i - 1].paragraph ||
                       s->paragraph == doc->sentences[i - 1].paragraph + 1);
        FUZZ_CHECK(fuzz_at_boundary(doc->text, doc->text_len, s->start) &&
                   fuzz_at_boundary(doc->text, doc->text_len, s->end));
        prev_end = s->end;
    }
    FUZZ_CHECK(doc->sentence_count > 0 &&
               doc->sentences[doc->sentence_count - 1].paragraph == doc->paragraph_count - 1);
    check_meta(doc->title);
    check_meta(doc->author);
    check_meta(doc->date);
    check_meta(doc->source);
}

static void check_same(const pl_document *a, const pl_document *b)
{
    FUZZ_CHECK(a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0);
    FUZZ_CHECK(a->paragraph_count == b->paragraph_count && a->sentence_count == b->sentence_count);
    FUZZ_CHECK(memcmp(a->sentences, b->sentences, a->sentence_count * sizeof *a->sentences) == 0);
    FUZZ_CHECK(a->replaced_bytes == b->replaced_bytes && a->removed_blocks == b->removed_blocks);
}

static void summarize(const pl_document *doc, const fuzz_input *in)
{
    pl_summary_options o;
    pl_summary *sum;
    pl_error err;
    size_t i;
    memset(&o, 0, sizeof o);
    o.max_sentences = in->size % 7;
    o.max_words = in->size % 5 == 0 ? in->size % 50 : 0;
    if (in->size % 3 == 0) {
        o.focus = in->data;
        o.focus_len = in->size < 24 ? in->size : 1 + in->size % 24;
    }
    fuzz_arm(in);
    sum = pl_summarize(doc, &o, &err);
    fuzz_disarm();
    if (!sum) {
        FUZZ_CHECK((err.status == PL_ERR_NOMEM && in->fail_after >= 0) ||
                   (err.status == PL_ERR_INVALID_ARGUMENT && o.focus != NULL));
        FUZZ_CHECK(err.message[0] != '\0');
        return;
    }
    FUZZ_CHECK(sum->count <= sum->candidates && sum->candidates <= doc->sentence_count);
    FUZZ_CHECK(o.max_sentences == 0 || sum->count <= o.max_sentences);
    for (i = 0; i < sum->count; i++) {
        FUZZ_CHECK(sum->sentences[i].index < doc->sentence_count);
        FUZZ_CHECK(i == 0 || sum->sentences[i].index > sum->sentences[i - 1].index);
        FUZZ_CHECK(sum->sentences[i].score > 0.0 && sum->sentences[i].score <= 1.0);
    }
    pl_summary_free(sum);
}

static void explain(const pl_document *doc, const fuzz_input *in)
{
    size_t term_len = in->size < 24 ? in->size : 1 + in->size % 24, i;
    pl_explanation *ex;
    pl_error err;
    fuzz_arm(in);
    ex = pl_explain(doc, in->data, term_len, NULL, &err);
    fuzz_disarm();
    if (!ex) {
        FUZZ_CHECK((err.status == PL_ERR_NOMEM && in->fail_after >= 0) ||
                   err.status == PL_ERR_INVALID_ARGUMENT);
        FUZZ_CHECK(err.message[0] != '\0');
        return;
    }
    FUZZ_CHECK(ex->count <= PL_EXPLAIN_MAX_SENTENCES && ex->count <= ex->mentions);
    for (i = 0; i < ex->count; i++) {
        const pl_explain_sentence *e = &ex->sentences[i];
        const pl_sentence *s;
        FUZZ_CHECK(e->index < doc->sentence_count);
        s = &doc->sentences[e->index];
        FUZZ_CHECK(e->start == s->start && e->end == s->end && e->paragraph == s->paragraph);
        FUZZ_CHECK(e->start <= e->term_start && e->term_start < e->term_end &&
                   e->term_end <= e->end);
        FUZZ_CHECK(e->focus_score >= 0.0 && e->focus_score <= 1.0);
    }
    pl_explanation_free(ex);
}

static void score_sentences(const pl_document *doc)
{
    size_t i;
    for (i = 0; i < doc->sentence_count; i++) {
        const pl_sentence *s = &doc->sentences[i];
        size_t n = s->end - s->start;
        pl_define_result r;
        int score = pl_define_score(doc->text + s->start, n, &r);
        FUZZ_CHECK(score == r.score && r.is_definition == (r.is_definition != 0));
        FUZZ_CHECK(r.source_start <= r.source_end && r.source_end <= n);
        FUZZ_CHECK(r.subject_start <= r.subject_end && r.subject_end <= n);
        FUZZ_CHECK((r.cues & PL_CUE_SOURCE) || (r.source_start == 0 && r.source_end == 0));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const pl_format FORMATS[] = {PL_FORMAT_AUTO, PL_FORMAT_TEXT, PL_FORMAT_HTML,
                                        PL_FORMAT_AUTO};
    fuzz_input in = fuzz_split(data, size);
    pl_document_options opts;
    pl_document *doc;
    pl_error err;

    opts.format = FORMATS[in.options & 3];
    opts.keep_boilerplate = (in.options & 4) != 0;
    fuzz_arm(&in);
    doc = pl_document_create(in.data, in.size, &opts, &err);
    fuzz_disarm();
    if (!doc) {
        FUZZ_CHECK(err.status == PL_ERR_EMPTY || err.status == PL_ERR_BINARY ||
                   err.status == PL_ERR_NO_TEXT || err.status == PL_ERR_NOMEM);
        FUZZ_CHECK(err.status != PL_ERR_NOMEM || in.fail_after >= 0);
        FUZZ_CHECK(err.message[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(err.status == PL_OK);
    check_document(doc, opts.format);
    if (in.options & 8)
        summarize(doc, &in);
    if (in.options & 16)
        explain(doc, &in);
    if (in.options & 32) {
        pl_document *again = pl_document_create(in.data, in.size, &opts, &err);
        FUZZ_CHECK(again != NULL);
        check_same(doc, again);
        pl_document_free(again);
    }
    if (in.options & 64)
        score_sentences(doc);
    pl_document_free(doc);
    return 0;
}
