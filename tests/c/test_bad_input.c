/* The bad-input matrix (README, "Reliability"): each row an input people
 * really hand the tool and the exact outcome through the text pipeline
 * (pl_document_create), the glossary parser and the matcher; the documented
 * limits and the errors beyond them; inputs built to be slow (a 100 MB line,
 * 10,000 nested divs, 100,000 repetitions of a term's prefix), which must
 * complete with the right result (no timing); and regressions of bugs the
 * fuzz targets of tests/fuzz found. */
#define _DEFAULT_SOURCE /* mmap's MAP_ANONYMOUS and MAP_NORESERVE */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "alloc.h"
#include "document.h"
#include "glossary.h"
#include "html.h"
#include "match.h"
#include "terms.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* A string literal and its length (it may hold NUL bytes). */
#define BYTES(lit) lit, sizeof lit - 1

/* ---- The text pipeline ---- */

typedef struct doc_row {
    const char *name;
    const char *input;
    size_t len;
    pl_status status;
    const char *message; /* the error's message, or the document's text */
    size_t sentences;
    size_t replaced;
} doc_row;

static const doc_row DOC_ROWS[] = {
    {"empty file", BYTES(""), PL_ERR_EMPTY, "input is empty", 0, 0},
    {"only white space", BYTES(" \n\t \r\n  "), PL_ERR_EMPTY, "input has only white space", 0, 0},
    {"only Unicode white space", BYTES("\xC2\xA0\xE3\x80\x80\n"), PL_ERR_EMPTY,
     "input has only white space", 0, 0},
    /* Each byte that cannot start or continue a sequence is one U+FFFD. */
    {"invalid UTF-8",
     BYTES("The plan \xFF\xFE worked well for every region in the country. It was renewed."), PL_OK,
     "The plan \xEF\xBF\xBD\xEF\xBF\xBD worked well for every region in the country. It was "
     "renewed.",
     2, 2},
    {"UTF-16LE with BOM", BYTES("\xFF\xFEO\0n\0e\0 \0p\0l\0a\0n\0.\0"), PL_OK, "One plan.", 1, 0},
    {"UTF-16BE with BOM", BYTES("\xFE\xFF\0O\0n\0e\0 \0p\0l\0a\0n\0."), PL_OK, "One plan.", 1, 0},
    {"UTF-16 with an odd last byte", BYTES("\xFF\xFEO\0n\0e\0.\0x"), PL_OK, "One.\xEF\xBF\xBD", 1,
     1},
    {"UTF-16 with a NUL character", BYTES("\xFF\xFEO\0n\0\0\0e\0"), PL_ERR_BINARY,
     "binary data: NUL character at offset 6", 0, 0},
    {"UTF-8 with BOM", BYTES("\xEF\xBB\xBFOne plan."), PL_OK, "One plan.", 1, 0},
    {"NUL bytes", BYTES("The plan\0 was renewed."), PL_ERR_BINARY,
     "binary data: NUL byte at offset 8", 0, 0},
    {"a PNG renamed .txt", BYTES("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06"),
     PL_ERR_BINARY, "binary input: looks like a PNG image", 0, 0},
    {"a PDF renamed .txt", BYTES("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj"), PL_ERR_BINARY,
     "binary input: looks like a PDF document", 0, 0},
    {"control bytes", BYTES("\x01\x02\x03\x04 abc \x05\x06\x07\x08"), PL_ERR_BINARY,
     "binary data: 8 of the first 13 bytes are control characters", 0, 0},
    {"HTML of nothing but chrome",
     BYTES("<html><body><nav>Home | News</nav><script>var x;</script></body></html>"),
     PL_ERR_NO_TEXT, "no article text found (the page has no text outside site chrome)", 0, 0},
    /* Plain text has no code fences: the lines are text like any other. */
    {"a note with an unclosed code fence", BYTES("Notes on the plan.\n\n```\nlocal europe = 1\n"),
     PL_OK, "Notes on the plan.\n\n```\n\nlocal europe = 1", 3, 0},
};

static void test_document_matrix(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < COUNT(DOC_ROWS); i++) {
        const doc_row *r = &DOC_ROWS[i];
        pl_error err;
        pl_document *doc = pl_document_create(r->input, r->len, NULL, &err);
        print_message("document: %s\n", r->name);
        assert_int_equal(err.status, r->status);
        if (r->status != PL_OK) {
            assert_null(doc);
            assert_string_equal(err.message, r->message);
            continue;
        }
        assert_non_null(doc);
        assert_string_equal(doc->text, r->message);
        assert_int_equal(doc->sentence_count, r->sentences);
        assert_int_equal(doc->replaced_bytes, r->replaced);
        pl_document_free(doc);
    }
}

/* A line of 100 MiB (40-byte sentences, no line break): one paragraph of
 * 2,621,440 sentences. The first 10 MiB of it through the matcher too. */
static void test_hundred_megabyte_line(void **state)
{
    static const char unit[] = "Plans were renewed in every region now. ";
    const size_t unit_len = sizeof unit - 1, len = (size_t)100 << 20, reps = len / unit_len;
    const pl_term_spec spec = {"every region", 12, 1, PL_CASE_INSENSITIVE};
    pl_match_list list = PL_MATCH_LIST_INIT;
    char *text = malloc(len);
    pl_document *doc;
    pl_matcher *m;
    pl_error err;
    size_t i;
    (void)state;
    assert_non_null(text);
    assert_int_equal(len % unit_len, 0);
    for (i = 0; i < reps; i++)
        memcpy(text + i * unit_len, unit, unit_len);
    doc = pl_document_create(text, len, NULL, &err);
    assert_non_null(doc);
    assert_int_equal(doc->paragraph_count, 1);
    assert_int_equal(doc->sentence_count, 2621440);
    assert_int_equal(doc->text_len, len - 1); /* the final space is trimmed */
    assert_int_equal(doc->sentences[2621439].start, len - unit_len);
    assert_int_equal(doc->sentences[2621439].end, len - 1);
    pl_document_free(doc);

    m = pl_matcher_create(&spec, 1, &err);
    assert_non_null(m);
    assert_int_equal(pl_matcher_match(m, text, (size_t)10 << 20, NULL, &list, &err), PL_OK);
    assert_int_equal(list.count, ((size_t)10 << 20) / unit_len);
    assert_int_equal(list.items[list.count - 1].start, ((size_t)10 << 20) - unit_len + 22);
    pl_match_list_free(&list);
    pl_matcher_free(m);
    free(text);
}

/* A doctype, depth opening tags, the paragraph, then the closing tags (or
 * none). */
static char *nested(const char *open, const char *close, size_t depth, const char *inner,
                    size_t *len)
{
    size_t lo = strlen(open), lc = close ? strlen(close) : 0, li = strlen(inner), i, w = 15;
    char *s = malloc(w + depth * (lo + lc) + li + 1);
    assert_non_null(s);
    memcpy(s, "<!DOCTYPE html>", w);
    for (i = 0; i < depth; i++, w += lo)
        memcpy(s + w, open, lo);
    memcpy(s + w, inner, li);
    w += li;
    for (i = 0; i < depth && close; i++, w += lc)
        memcpy(s + w, close, lc);
    s[w] = '\0';
    *len = w;
    return s;
}

/* 10,000 nested elements: libxml2 keeps them all (its depth limit is lifted)
 * and the walk over the tree does not recurse. */
static void test_deeply_nested_html(void **state)
{
    static const struct {
        const char *open, *close;
    } CASES[] = {{"<div>", "</div>"},
                 {"<div>", NULL},
                 {"<blockquote>", "</blockquote>"},
                 {"<span>", "</span>"}};
    size_t i, len;
    (void)state;
    for (i = 0; i < COUNT(CASES); i++) {
        char *html = nested(CASES[i].open, CASES[i].close, 10000,
                            "<p>The plan was renewed for every region in the country.</p>", &len);
        pl_error err;
        pl_document *doc = pl_document_create(html, len, NULL, &err);
        assert_non_null(doc);
        assert_int_equal(doc->format, PL_FORMAT_HTML);
        assert_string_equal(doc->text, "The plan was renewed for every region in the country.");
        assert_int_equal(doc->sentence_count, 1);
        pl_document_free(doc);
        free(html);
    }
}

/* A region of n readable bytes that costs no memory (never touched), or
 * NULL when the system will not map it: for limits of a gigabyte and more. */
static void *untouched(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void test_text_limits(void **state)
{
    const size_t doc_len = PL_DOCUMENT_MAX_INPUT + 1, html_len = (size_t)INT32_MAX + 1;
    const size_t terms_len = UINT32_MAX;
    pl_document *doc, fake;
    pl_blocks blocks;
    pl_error err;
    char *p;
    (void)state;

    p = untouched(doc_len);
    assert_non_null(p);
    doc = pl_document_create(p, doc_len, NULL, &err);
    assert_null(doc);
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "input is 1073741825 bytes; the limit is 1073741824 bytes");
    munmap(p, doc_len);

    p = untouched(html_len);
    assert_non_null(p);
    pl_blocks_init(&blocks);
    assert_int_equal(pl_html_to_blocks(p, html_len, &blocks, &err), PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "HTML input is 2147483648 bytes; the limit is 2147483647");
    assert_int_equal(blocks.count, 0);
    pl_blocks_free(&blocks);
    munmap(p, html_len);

    /* Term extraction takes texts under 4 GiB: a document of that size. */
    p = untouched(terms_len + 1);
    assert_non_null(p);
    memset(&fake, 0, sizeof fake);
    fake.text = p;
    fake.text_len = terms_len;
    assert_null(pl_terms_extract(&fake, NULL, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "text too large for term extraction");
    munmap(p, terms_len + 1);
}

/* ---- The glossary parser ---- */

typedef struct glossary_row {
    const char *name;
    const char *input;
    size_t len;
    pl_status status;
    const char *message; /* the error's message, or the first entry's term */
    size_t count;        /* entries read */
} glossary_row;

static const glossary_row GLOSSARY_ROWS[] = {
    {"empty file", BYTES(""), PL_OK, NULL, 0},
    {"only white space", BYTES(" \n\t \r\n  "), PL_OK, NULL, 0},
    {"invalid UTF-8", BYTES("# Glossary\n\n## Eur\xC3pe\n"), PL_ERR_PARSE, "line 3: invalid UTF-8",
     0},
    /* The glossary is UTF-8 only (the reader of articles takes UTF-16). */
    {"UTF-16 with BOM", BYTES("\xFF\xFE#\0#\0 \0E\0\n\0"), PL_ERR_PARSE, "line 1: invalid UTF-8",
     0},
    {"UTF-8 with BOM", BYTES("\xEF\xBB\xBF## Europe\n"), PL_OK, "Europe", 1},
    {"NUL bytes", BYTES("## Europe\n\nA conti\0nent.\n"), PL_ERR_BINARY, "line 3: NUL byte", 0},
    {"a PNG renamed .md", BYTES("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), PL_ERR_PARSE,
     "line 1: invalid UTF-8", 0},
    {"duplicate terms", BYTES("## Europe\n\nA continent.\n\n## europe\n\nAgain.\n"), PL_OK,
     "Europe", 2},
    {"a term of one letter", BYTES("## A\n\nThe letter.\n"), PL_OK, "A", 1},
    {"an unclosed code fence", BYTES("## Europe\n\nA continent.\n\n```\n## Asia\n"), PL_ERR_PARSE,
     "line 5: a code fence opened here is never closed", 0},
    {"an unclosed HTML comment", BYTES("# G\n\n<!-- a note\n\n## Europe\n"), PL_ERR_PARSE,
     "line 3: an HTML comment opened here is never closed", 0},
    {"an empty heading", BYTES("## \n\nText.\n"), PL_ERR_PARSE,
     "line 1: a \"## \" heading with no text (an entry needs its term there)", 0},
    {"a key given twice", BYTES("## Europe\nCase: exact\nCase: exact\n"), PL_ERR_PARSE,
     "line 3: a second Case: line in this entry (give it once)", 0},
};

static void test_glossary_matrix(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < COUNT(GLOSSARY_ROWS); i++) {
        const glossary_row *r = &GLOSSARY_ROWS[i];
        pl_error err;
        pl_glossary *g = pl_glossary_parse(r->input, r->len, &err);
        print_message("glossary: %s\n", r->name);
        assert_int_equal(err.status, r->status);
        if (r->status != PL_OK) {
            assert_null(g);
            assert_string_equal(err.message, r->message);
            continue;
        }
        assert_non_null(g);
        assert_int_equal(g->count, r->count);
        if (r->count)
            assert_string_equal(g->entries[0].term, r->message);
        pl_glossary_free(g);
    }
}

/* Duplicates are kept (the file is the user's), found first by lookup, and
 * written back; built into a matcher, the earlier spec wins. */
static void test_duplicate_terms(void **state)
{
    static const char text[] = "## Europe\n\nA continent.\n\n## europe\n\nAgain.\n";
    pl_glossary *g = pl_glossary_parse(text, sizeof text - 1, NULL);
    pl_match_list list = PL_MATCH_LIST_INIT;
    pl_term_spec specs[2];
    pl_matcher *m;
    size_t index, len, i;
    char *out;
    (void)state;
    assert_non_null(g);
    assert_int_equal(pl_glossary_lookup(g, "EUROPE", 6, &index, NULL), PL_OK);
    assert_int_equal(index, 0);
    out = pl_glossary_write(g, &len, NULL);
    assert_non_null(out);
    assert_string_equal(out, text);
    pl_free(out);
    for (i = 0; i < 2; i++) {
        specs[i].text = g->entries[i].term;
        specs[i].len = strlen(g->entries[i].term);
        specs[i].id = (uint32_t)i + 1;
        specs[i].case_policy = PL_CASE_INSENSITIVE;
    }
    m = pl_matcher_create(specs, 2, NULL);
    assert_non_null(m);
    assert_int_equal(pl_matcher_match(m, BYTES("Europe and EUROPE."), NULL, &list, NULL), PL_OK);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].id, 1);
    assert_int_equal(list.items[1].id, 1);
    pl_match_list_free(&list);
    pl_matcher_free(m);
    pl_glossary_free(g);
}

/* Beyond each PL_GLOSSARY_MAX_* limit: PL_ERR_TOO_LARGE and the line. */
static void test_glossary_limits(void **state)
{
    const size_t file_len = PL_GLOSSARY_MAX_BYTES + 1, n = PL_GLOSSARY_MAX_ENTRIES;
    char *p, *text = malloc(16 * (n + 1) + (PL_GLOSSARY_MAX_ENTRY_BYTES + 64));
    pl_glossary *g;
    pl_error err;
    size_t i, w;
    (void)state;
    assert_non_null(text);

    p = untouched(file_len);
    assert_non_null(p);
    assert_null(pl_glossary_parse(p, file_len, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "the glossary is 268435457 bytes; the limit is 256 MiB");
    munmap(p, file_len);

    /* 100,000 entries are fine, one more is not. */
    for (i = 0, w = 0; i < n; i++)
        w += (size_t)sprintf(text + w, "## t%zu\n", i);
    g = pl_glossary_parse(text, w, &err);
    assert_non_null(g);
    assert_int_equal(g->count, n);
    pl_glossary_free(g);
    w += (size_t)sprintf(text + w, "## t%zu\n", n);
    assert_null(pl_glossary_parse(text, w, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "line 100001: more than 100000 entries (the limit)");

    /* So are 100,000 excluded terms, in a preamble under its limit. */
    for (i = 0, w = (size_t)sprintf(text, "Exclude: "); i < n; i++)
        w += (size_t)sprintf(text + w, "x%zu, ", i);
    w += (size_t)sprintf(text + w, "x%zu\n", n);
    assert_null(pl_glossary_parse(text, w, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "line 1: more than 100000 excluded terms (the limit)");

    w = (size_t)sprintf(text, "## T\n\n");
    memset(text + w, 'a', PL_GLOSSARY_MAX_ENTRY_BYTES);
    w += PL_GLOSSARY_MAX_ENTRY_BYTES;
    text[w++] = '\n';
    assert_null(pl_glossary_parse(text, w, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "line 1: the entry is longer than 1 MiB (the limit)");

    memset(text, 'a', PL_GLOSSARY_MAX_PREAMBLE_BYTES + 1);
    text[PL_GLOSSARY_MAX_PREAMBLE_BYTES + 1] = '\n';
    assert_null(pl_glossary_parse(text, PL_GLOSSARY_MAX_PREAMBLE_BYTES + 2, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message,
                        "line 1: the text before the first entry is longer than 1 MiB (the limit)");

    /* A term of 1024 bytes is fine, 1025 are not; aliases and excluded
     * terms alike. */
    w = (size_t)sprintf(text, "## ");
    memset(text + w, 'a', PL_GLOSSARY_MAX_TERM_BYTES);
    w += PL_GLOSSARY_MAX_TERM_BYTES;
    text[w++] = '\n';
    g = pl_glossary_parse(text, w, &err);
    assert_non_null(g);
    pl_glossary_free(g);
    memmove(text + 4, text + 3, w - 3);
    assert_null(pl_glossary_parse(text, w + 1, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "line 1: the term is longer than 1024 bytes (the limit)");

    w = (size_t)sprintf(text, "## a\nAliases: ");
    memset(text + w, 'b', PL_GLOSSARY_MAX_TERM_BYTES + 1);
    w += PL_GLOSSARY_MAX_TERM_BYTES + 1;
    text[w++] = '\n';
    assert_null(pl_glossary_parse(text, w, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "line 2: an alias is longer than 1024 bytes (the limit)");

    w = (size_t)sprintf(text, "Exclude: ");
    memset(text + w, 'b', PL_GLOSSARY_MAX_TERM_BYTES + 1);
    w += PL_GLOSSARY_MAX_TERM_BYTES + 1;
    text[w++] = '\n';
    assert_null(pl_glossary_parse(text, w, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message,
                        "line 1: an excluded term is longer than 1024 bytes (the limit)");
    free(text);
}

/* ---- The matcher ---- */

static const pl_term_spec NOTE_TERMS[] = {
    {"europe", 6, 1, PL_CASE_INSENSITIVE},
    {"European Union", 14, 2, PL_CASE_CAPITALIZED},
};

typedef struct note_row {
    const char *name;
    const char *input;
    size_t len;
    const char *spans; /* "start-end:id" of each match, space separated */
} note_row;

static const note_row NOTE_ROWS[] = {
    {"empty file", BYTES(""), ""},
    {"only white space", BYTES(" \n\t \r\n  "), ""},
    /* A bad byte is a separator no match contains. */
    {"invalid UTF-8", BYTES("Europe\xFF\xFE the European Union\xC3 and europe"),
     "0-6:1 13-27:2 33-39:1"},
    /* Notes are UTF-8: UTF-16 text matches nothing, and breaks nothing. */
    {"UTF-16 with BOM",
     BYTES("\xFF\xFE"
           "E\0u\0r\0o\0p\0e\0"),
     ""},
    {"NUL bytes", BYTES("Europe\0europe\0"), "0-6:1 7-13:1"},
    {"a PNG renamed .md",
     BYTES("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01"
           "europe"),
     "20-26:1"},
    /* Everything after an unclosed fence is code to the end of the note. */
    {"an unclosed code fence", BYTES("Europe\n\n```\neurope\n\nEuropean Union\n"), "0-6:1"},
    {"an unclosed inline code span", BYTES("Europe `europe and\n\neurope"), "0-6:1 8-14:1 20-26:1"},
    /* Inline, an unclosed comment is text; a line that opens one starts an
     * HTML block, which runs to the end of the note. */
    {"an unclosed inline HTML comment", BYTES("Europe <!-- europe\n\neurope"),
     "0-6:1 12-18:1 20-26:1"},
    {"an unclosed HTML comment block", BYTES("Europe\n\n<!-- europe\n\neurope"), "0-6:1"},
    {"unclosed front matter", BYTES("---\ntitle: europe\n\nEurope\n"), ""},
};

static void spans_of(const pl_match_list *list, char *out, size_t cap)
{
    size_t i, w = 0;
    out[0] = '\0';
    for (i = 0; i < list->count && w < cap; i++)
        w += (size_t)snprintf(out + w, cap - w, "%s%zu-%zu:%u", i ? " " : "", list->items[i].start,
                              list->items[i].end, (unsigned)list->items[i].id);
}

static void test_matcher_matrix(void **state)
{
    pl_matcher *m = pl_matcher_create(NOTE_TERMS, COUNT(NOTE_TERMS), NULL);
    size_t i;
    (void)state;
    assert_non_null(m);
    for (i = 0; i < COUNT(NOTE_ROWS); i++) {
        const note_row *r = &NOTE_ROWS[i];
        pl_match_list list = PL_MATCH_LIST_INIT;
        char spans[256];
        print_message("note: %s\n", r->name);
        assert_int_equal(pl_matcher_match(m, r->input, r->len, NULL, &list, NULL), PL_OK);
        spans_of(&list, spans, sizeof spans);
        assert_string_equal(spans, r->spans);
        pl_match_list_free(&list);
    }
    pl_matcher_free(m);
}

/* A term of one letter matches as a whole word only, and min_length drops it. */
static void test_one_letter_term(void **state)
{
    static const char note[] = "A plan, a map and an apple: a. x-a a_b a.b";
    pl_glossary *g = pl_glossary_parse(BYTES("## A\n\nThe letter.\n"), NULL);
    pl_match_list list = PL_MATCH_LIST_INIT;
    pl_match_options o = {0};
    pl_term_spec spec;
    pl_matcher *m;
    char spans[256];
    (void)state;
    assert_non_null(g);
    spec.text = g->entries[0].term;
    spec.len = strlen(spec.text);
    spec.id = 1;
    spec.case_policy = PL_CASE_INSENSITIVE;
    m = pl_matcher_create(&spec, 1, NULL);
    assert_non_null(m);
    assert_int_equal(pl_matcher_match(m, BYTES(note), NULL, &list, NULL), PL_OK);
    spans_of(&list, spans, sizeof spans);
    assert_string_equal(spans, "0-1:1 8-9:1 28-29:1");
    pl_match_list_reset(&list);
    o.min_length = 2;
    assert_int_equal(pl_matcher_match(m, BYTES(note), &o, &list, NULL), PL_OK);
    assert_int_equal(list.count, 0);
    pl_match_list_free(&list);
    pl_matcher_free(m);
    pl_glossary_free(g);
}

static char *repeat(const char *unit, size_t times, const char *tail, size_t *len)
{
    size_t lu = strlen(unit), lt = strlen(tail), i;
    char *s = malloc(lu * times + lt + 1);
    assert_non_null(s);
    for (i = 0; i < times; i++)
        memcpy(s + i * lu, unit, lu);
    memcpy(s + lu * times, tail, lt + 1);
    *len = lu * times + lt;
    return s;
}

/* 100,000 repetitions of a term's prefix (and of a term that overlaps
 * itself): one match, at the end; the scan stays linear. */
static void test_prefix_repetitions(void **state)
{
    static const pl_term_spec specs[] = {
        {"new quality productive forces", 29, 1, PL_CASE_INSENSITIVE},
        {"europe europe europe union", 26, 2, PL_CASE_INSENSITIVE},
    };
    pl_matcher *m = pl_matcher_create(specs, COUNT(specs), NULL);
    pl_match_list list = PL_MATCH_LIST_INIT;
    size_t len;
    char *note;
    (void)state;
    assert_non_null(m);
    note = repeat("new quality productive ", 100000, "forces.", &len);
    assert_int_equal(pl_matcher_match(m, note, len, NULL, &list, NULL), PL_OK);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0].start, 23 * 99999);
    assert_int_equal(list.items[0].end, 23 * 99999 + 29);
    free(note);
    pl_match_list_reset(&list);
    note = repeat("europe ", 100000, "union", &len);
    assert_int_equal(pl_matcher_match(m, note, len, NULL, &list, NULL), PL_OK);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0].start, 7 * 99997);
    assert_int_equal(list.items[0].id, 2);
    free(note);
    pl_match_list_free(&list);
    pl_matcher_free(m);
}

static void test_matcher_limits(void **state)
{
    char text[PL_GLOSSARY_MAX_TERM_BYTES + 1];
    pl_term_spec spec = {text, sizeof text, 7, PL_CASE_INSENSITIVE};
    pl_matcher *m;
    pl_error err;
    (void)state;
    memset(text, 'a', sizeof text);
    assert_null(pl_matcher_create(&spec, 1, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "term 0 (id 7) is longer than 1024 bytes");
    spec.len = sizeof text - 1;
    m = pl_matcher_create(&spec, 1, &err);
    assert_non_null(m);
    pl_matcher_free(m);
    /* Past 2^31 specs: refused before any spec is read, so one will do. */
    assert_null(pl_matcher_create(&spec, (size_t)1 << 31, &err));
    assert_int_equal(err.status, PL_ERR_TOO_LARGE);
    assert_string_equal(err.message, "too many terms");
}

/* ---- Regressions found by the fuzz targets (tests/fuzz/regressions/) ---- */

/* An unquoted attribute value that ends the input inside a UTF-8 sequence
 * reached the document's metadata as invalid UTF-8 (html.c took attribute
 * values from libxml2 unrepaired; text nodes were repaired). */
static void test_html_attribute_invalid_utf8(void **state)
{
    static const char page[] =
        "<!DOCTYPE html><p>The plan was renewed for every region.</p><time datetime=&\xF2";
    pl_error err;
    pl_document *doc = pl_document_create(BYTES(page), NULL, &err);
    (void)state;
    assert_non_null(doc);
    assert_string_equal(doc->date, "&\xEF\xBF\xBD");
    pl_document_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_matrix),
        cmocka_unit_test(test_hundred_megabyte_line),
        cmocka_unit_test(test_deeply_nested_html),
        cmocka_unit_test(test_text_limits),
        cmocka_unit_test(test_glossary_matrix),
        cmocka_unit_test(test_duplicate_terms),
        cmocka_unit_test(test_glossary_limits),
        cmocka_unit_test(test_matcher_matrix),
        cmocka_unit_test(test_one_letter_term),
        cmocka_unit_test(test_prefix_repetitions),
        cmocka_unit_test(test_matcher_limits),
        cmocka_unit_test(test_html_attribute_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
