/* Tests of the glossary file (src/glossary.c): exact parse results of the
 * fixtures, round trips, merge rules, GitHub anchors, every malformed input
 * with its message, writer refusals, and allocation failures. */
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
#include "glossary.h"

#define FIXTURE(name) PL_FIXTURES_DIR "/glossary/" name

static pl_glossary *parse_file(const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    pl_error err;
    pl_glossary *g = pl_glossary_parse(text, len, &err);
    free(text);
    if (!g)
        fail_msg("%s: %s", path, err.message);
    return g;
}

static pl_glossary *parse_string(const char *text)
{
    pl_error err;
    pl_glossary *g = pl_glossary_parse(text, strlen(text), &err);
    if (!g)
        fail_msg("parse: %s", err.message);
    return g;
}

static char *write_ok(const pl_glossary *g)
{
    pl_error err;
    size_t len;
    char *text = pl_glossary_write(g, &len, &err);
    if (!text)
        fail_msg("write: %s", err.message);
    assert_int_equal(strlen(text), len);
    return text;
}

static void assert_opt_string(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

/* Field by field, line numbers aside. */
static void assert_glossary_equal(const pl_glossary *a, const pl_glossary *b)
{
    size_t i, j;
    assert_string_equal(a->preamble, b->preamble);
    assert_int_equal(a->exclude_count, b->exclude_count);
    for (i = 0; i < a->exclude_count; i++)
        assert_string_equal(a->exclude[i], b->exclude[i]);
    assert_int_equal(a->count, b->count);
    for (i = 0; i < a->count; i++) {
        const pl_glossary_entry *x = &a->entries[i], *y = &b->entries[i];
        assert_string_equal(x->term, y->term);
        assert_int_equal(x->alias_count, y->alias_count);
        for (j = 0; j < x->alias_count; j++)
            assert_string_equal(x->aliases[j], y->aliases[j]);
        assert_int_equal(x->has_case, y->has_case);
        if (x->has_case)
            assert_int_equal(x->case_policy, y->case_policy);
        assert_int_equal(x->kind, y->kind);
        assert_string_equal(x->explanation, y->explanation);
        assert_int_equal(x->excluded, y->excluded);
        assert_int_equal(x->meta_count, y->meta_count);
        for (j = 0; j < x->meta_count; j++)
            assert_string_equal(x->meta[j], y->meta[j]);
        assert_int_equal(x->source_count, y->source_count);
        for (j = 0; j < x->source_count; j++) {
            assert_opt_string(x->sources[j].text, y->sources[j].text);
            assert_opt_string(x->sources[j].title, y->sources[j].title);
            assert_opt_string(x->sources[j].url, y->sources[j].url);
            assert_int_equal(x->sources[j].sentence, y->sources[j].sentence);
        }
    }
}

/* parse(write(g)) equals g; returns the written text. */
static char *assert_round_trip(const pl_glossary *g)
{
    char *text = write_ok(g);
    pl_glossary *again = parse_string(text);
    char *text2 = write_ok(again);
    assert_glossary_equal(g, again);
    assert_string_equal(text, text2);
    pl_free(text2);
    pl_glossary_free(again);
    return text;
}

/* ---- Parsing ---- */

static void test_parse_fixture(void **state)
{
    pl_glossary *g = parse_file(FIXTURE("glossary.md"));
    const pl_glossary_entry *e;
    (void)state;
    assert_string_equal(g->preamble,
                        "---\ntitle: Policy glossary\ntags: [policy]\n---\n# Glossary\n\n"
                        "Exclude: development, system\n\nTerms from the articles I "
                        "read. Edit freely: your entries win.\n\nExclude: regional");
    assert_int_equal(g->exclude_count, 3);
    assert_string_equal(g->exclude[0], "development");
    assert_string_equal(g->exclude[1], "system");
    assert_string_equal(g->exclude[2], "regional");
    assert_int_equal(g->count, 6);

    e = &g->entries[0];
    assert_string_equal(e->term, "New quality productive forces");
    assert_int_equal(e->line, 13);
    assert_int_equal(e->alias_count, 2);
    assert_string_equal(e->aliases[0], "new quality productive force");
    assert_string_equal(e->aliases[1], "NQPF");
    assert_true(e->has_case);
    assert_int_equal(e->case_policy, PL_CASE_INSENSITIVE);
    assert_int_equal(e->kind, PL_GLOSSARY_KIND_PHRASE);
    assert_int_equal(e->meta_count, 4);
    assert_string_equal(e->meta[0], "Aliases: new quality productive force, NQPF");
    assert_string_equal(e->meta[3], "Reviewed: 2024-07-30");
    assert_string_equal(e->explanation,
                        "Developing new quality productive forces is a crucial path to "
                        "high-quality development.\n\nIt is *not* a slogan:\n\n```text\n"
                        "## Not an entry\nSource: not a source either\n```");
    assert_false(e->excluded);
    assert_int_equal(e->source_count, 2);
    assert_string_equal(e->sources[0].text, "[Bolster the systems for \\[new\\] quality productive "
                                            "forces](https://example.org/article), sentence 4");
    assert_string_equal(e->sources[0].title,
                        "Bolster the systems for [new] quality productive forces");
    assert_string_equal(e->sources[0].url, "https://example.org/article");
    assert_int_equal(e->sources[0].sentence, 4);
    assert_string_equal(e->sources[1].text, "Conversation with a colleague");
    assert_null(e->sources[1].title);
    assert_null(e->sources[1].url);
    assert_int_equal(e->sources[1].sentence, 0);

    e = &g->entries[1];
    assert_string_equal(e->term, "Five Industrial Bases");
    assert_int_equal(e->line, 31);
    assert_int_equal(e->alias_count, 0);
    assert_int_equal(e->case_policy, PL_CASE_CAPITALIZED);
    assert_int_equal(e->kind, PL_GLOSSARY_KIND_NAME);
    assert_string_equal(e->explanation,
                        "The Five Industrial Bases — basic parts, basic materials, basic "
                        "processes, basic technologies and industrial software — underpin "
                        "manufacturing.\n\n<!--\n## Hidden draft\n-->\n\n### Details\n\n"
                        "Listed in the 2024 plan.");
    assert_int_equal(e->source_count, 1);
    assert_string_equal(e->sources[0].text, "<https://example.org/plan>, sentence 12");
    assert_null(e->sources[0].title);
    assert_string_equal(e->sources[0].url, "https://example.org/plan");
    assert_int_equal(e->sources[0].sentence, 12);

    e = &g->entries[2];
    assert_string_equal(e->term, "R&D (research)");
    assert_false(e->has_case);
    assert_int_equal(e->kind, PL_GLOSSARY_KIND_UNSET);
    assert_int_equal(e->meta_count, 0);
    assert_string_equal(e->explanation, "Research and development.");
    assert_int_equal(e->source_count, 0);

    e = &g->entries[3];
    assert_string_equal(e->term, "新质生产力");
    assert_int_equal(e->alias_count, 1);
    assert_string_equal(e->aliases[0], "xin zhi shengchanli");
    assert_string_equal(e->explanation, "新质生产力 is the Chinese name.");

    e = &g->entries[4];
    assert_string_equal(e->term, "Development");
    assert_true(e->excluded);
    assert_string_equal(e->explanation, "");
    assert_int_equal(e->line, 56);

    e = &g->entries[5];
    assert_string_equal(e->term, "Five Industrial Bases");
    assert_false(e->excluded);
    assert_string_equal(e->explanation,
                        "A second entry with the same heading gets its own anchor.");
    pl_glossary_free(g);
}

static void test_round_trip_fixture(void **state)
{
    size_t len;
    char *original = read_file(FIXTURE("glossary.md"), &len);
    pl_glossary *g = parse_string(original);
    char *written = assert_round_trip(g);
    (void)state;
    /* The fixture is in the writer's layout: byte for byte. */
    assert_string_equal(written, original);
    pl_free(written);
    pl_glossary_free(g);
    free(original);
}

static void test_messy_file_normalized(void **state)
{
    size_t len;
    char *expected = read_file(FIXTURE("messy.expected.md"), &len);
    pl_glossary *g = parse_file(FIXTURE("messy.md")), *e;
    char *written = assert_round_trip(g);
    (void)state;
    assert_string_equal(written, expected);
    e = parse_string(expected);
    assert_glossary_equal(g, e);

    assert_string_equal(g->preamble, "# Glossary  \n\n\nExclude: system , , development");
    assert_int_equal(g->exclude_count, 2);
    assert_string_equal(g->entries[0].term, "One Optimization");
    assert_int_equal(g->entries[0].alias_count, 2);
    assert_string_equal(g->entries[0].aliases[1], "the optimization");
    assert_int_equal(g->entries[0].case_policy, PL_CASE_EXACT);
    /* "Note:" ran into a paragraph, so it is prose, not metadata. */
    assert_int_equal(g->entries[0].meta_count, 2);
    assert_string_equal(g->entries[0].explanation, "Note: kept as written   \nand this line "
                                                   "continues a paragraph\n\n\nFirst paragraph.");
    assert_int_equal(g->entries[0].sources[0].sentence, 7);
    assert_string_equal(g->entries[0].sources[1].text, "plain text source");
    assert_true(g->entries[1].excluded);
    assert_string_equal(g->entries[2].term, "Spaced term");
    assert_int_equal(g->entries[2].meta_count, 2);
    assert_string_equal(g->entries[2].meta[1], "See also: One Optimization");
    assert_string_equal(g->entries[2].explanation, "");
    assert_string_equal(g->entries[2].sources[0].url, "https://example.org/b");
    pl_glossary_free(e);
    pl_glossary_free(g);
    pl_free(written);
    free(expected);
}

static void test_code_and_comments_hide_headings(void **state)
{
    pl_glossary *g = parse_string("## A\n\n~~~~\n## no\n~~~\n## still code\n~~~~~\n\n"
                                  "    ## indented code\n\n<!-- a comment -->\n## B\n"
                                  "  ```py\n## code\n  ```\n#### ## C\n## D ##\n## C# and F#\n");
    (void)state;
    assert_int_equal(g->count, 4);
    assert_string_equal(g->entries[0].term, "A");
    assert_string_equal(g->entries[0].explanation,
                        "~~~~\n## no\n~~~\n## still code\n~~~~~\n\n    ## indented code\n\n"
                        "<!-- a comment -->");
    assert_string_equal(g->entries[1].term, "B");
    assert_string_equal(g->entries[1].explanation, "  ```py\n## code\n  ```\n#### ## C");
    assert_string_equal(g->entries[2].term, "D");
    assert_string_equal(g->entries[3].term, "C# and F#");
    pl_glossary_free(g);

    /* Metadata after a blank line needs a known key; "Exclude:" after the
     * first entry is prose. */
    g = parse_string("## A\n\nNote: prose\n\n## B\n\nAliases: b1\nSee: x\n\nText\n\n## C\n"
                     "Exclude: x\n");
    assert_int_equal(g->count, 3);
    assert_int_equal(g->entries[0].meta_count, 0);
    assert_string_equal(g->entries[0].explanation, "Note: prose");
    assert_int_equal(g->entries[1].meta_count, 2);
    assert_string_equal(g->entries[1].aliases[0], "b1");
    assert_string_equal(g->entries[1].explanation, "Text");
    assert_int_equal(g->entries[2].meta_count, 1);
    assert_int_equal(g->exclude_count, 0);
    pl_glossary_free(g);
}

static void test_empty_inputs(void **state)
{
    pl_error err;
    pl_glossary *g = pl_glossary_parse(NULL, 0, &err);
    char *text;
    (void)state;
    assert_non_null(g);
    assert_int_equal(g->count, 0);
    assert_string_equal(g->preamble, "");
    text = write_ok(g);
    assert_string_equal(text, "");
    pl_free(text);
    pl_glossary_free(g);
    pl_glossary_free(NULL);
    pl_glossary_anchors_free(NULL, 3);

    g = parse_string("\xEF\xBB\xBF\n\n  \n");
    assert_string_equal(g->preamble, "");
    pl_glossary_free(g);

    assert_null(pl_glossary_parse(NULL, 3, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    assert_null(pl_glossary_write(NULL, NULL, &err));
    assert_null(pl_glossary_merge(NULL, NULL, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    assert_null(pl_glossary_anchors(NULL, &err));
}

/* ---- Malformed input ---- */

typedef struct bad_case {
    const char *input;
    size_t len; /* 0: strlen */
    pl_status status;
    const char *message;
} bad_case;

static void test_malformed(void **state)
{
    static const bad_case cases[] = {
        {"# T\n\n## A\n\nok\n\n\xff\n", 0, PL_ERR_PARSE, "line 7: invalid UTF-8"},
        {"## A\r\n\r\n\xC0\xAF\r\n", 0, PL_ERR_PARSE, "line 3: invalid UTF-8"},
        {"## A\r\r\xED\xA0\x80", 0, PL_ERR_PARSE, "line 3: invalid UTF-8"},
        {"## A\n\xE4\xB8", 0, PL_ERR_PARSE, "line 2: invalid UTF-8"},
        {"# T\n\n## A\nx\0y\n", 14, PL_ERR_BINARY, "line 4: NUL byte"},
        {"## A\n\n##\n", 0, PL_ERR_PARSE,
         "line 3: a \"## \" heading with no text (an entry needs its term there)"},
        {"## A\n\n## ## \n", 0, PL_ERR_PARSE,
         "line 3: a \"## \" heading with no text (an entry needs its term there)"},
        {"## A\nCase: lower\n", 0, PL_ERR_PARSE,
         "line 2: Case must be insensitive, capitalized or exact, not \"lower\""},
        {"## A\nCase:\n", 0, PL_ERR_PARSE,
         "line 2: Case must be insensitive, capitalized or exact, not \"\""},
        {"## A\nKind: noun\n", 0, PL_ERR_PARSE,
         "line 2: Kind must be quoted, name, acronym or phrase, not \"noun\""},
        {"## A\nCase: exact\ncase: exact\n", 0, PL_ERR_PARSE,
         "line 3: a second Case: line in this entry (give it once)"},
        {"## A\nAliases: x\nAlias: y\n", 0, PL_ERR_PARSE,
         "line 3: a second Aliases: line in this entry (give it once)"},
        {"## A\nKind: name\nKind: name\n", 0, PL_ERR_PARSE,
         "line 3: a second Kind: line in this entry (give it once)"},
        {"## A\n\ntext\n\nSource:\n", 0, PL_ERR_PARSE,
         "line 5: a Source: line needs a link, a title or some text"},
        {"## A\n\n```\n## B\n", 0, PL_ERR_PARSE,
         "line 3: a code fence opened here is never closed"},
        {"# T\n<!-- draft\n## B\n", 0, PL_ERR_PARSE,
         "line 2: an HTML comment opened here is never closed"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pl_error err;
        const bad_case *c = &cases[i];
        pl_glossary *g = pl_glossary_parse(c->input, c->len ? c->len : strlen(c->input), &err);
        if (g)
            fail_msg("case %zu parsed", i);
        assert_int_equal(err.status, c->status);
        assert_string_equal(err.message, c->message);
    }
}

static char *repeat(const char *head, char c, size_t n, const char *tail)
{
    size_t h = strlen(head), t = strlen(tail);
    char *s = malloc(h + n + t + 1);
    assert_non_null(s);
    memcpy(s, head, h);
    memset(s + h, c, n);
    memcpy(s + h + n, tail, t + 1);
    return s;
}

static void assert_refused(const char *input, size_t len, pl_status status, const char *message)
{
    pl_error err;
    assert_null(pl_glossary_parse(input, len, &err));
    assert_int_equal(err.status, status);
    assert_string_equal(err.message, message);
}

static void test_limits(void **state)
{
    char *s;
    size_t i, len;
    (void)state;
    s = repeat("# T\n\n## ", 'a', PL_GLOSSARY_MAX_TERM_BYTES + 1, "\n");
    assert_refused(s, strlen(s), PL_ERR_TOO_LARGE,
                   "line 3: the term is longer than 1024 bytes (the limit)");
    free(s);
    s = repeat("## A\nAliases: b, ", 'a', PL_GLOSSARY_MAX_TERM_BYTES + 1, "\n");
    assert_refused(s, strlen(s), PL_ERR_TOO_LARGE,
                   "line 2: an alias is longer than 1024 bytes (the limit)");
    free(s);
    s = repeat("Exclude: ", 'a', PL_GLOSSARY_MAX_TERM_BYTES + 1, "\n");
    assert_refused(s, strlen(s), PL_ERR_TOO_LARGE,
                   "line 1: an excluded term is longer than 1024 bytes (the limit)");
    free(s);
    s = repeat("## A\n\nok\n\n## B\n\n", 'x', PL_GLOSSARY_MAX_ENTRY_BYTES, "\n");
    assert_refused(s, strlen(s), PL_ERR_TOO_LARGE,
                   "line 5: the entry is longer than 1 MiB (the limit)");
    free(s);
    s = repeat("# T\n\n", 'x', PL_GLOSSARY_MAX_PREAMBLE_BYTES, "\n## A\n");
    assert_refused(s, strlen(s), PL_ERR_TOO_LARGE,
                   "line 3: the text before the first entry is longer than 1 MiB (the limit)");
    free(s);
    /* Exactly at the limits is fine. */
    s = repeat("## ", 'a', PL_GLOSSARY_MAX_TERM_BYTES, "\n");
    {
        pl_glossary *g = parse_string(s);
        assert_int_equal(strlen(g->entries[0].term), PL_GLOSSARY_MAX_TERM_BYTES);
        pl_glossary_free(g);
    }
    free(s);

    /* One entry more than the limit: "## tN" lines. */
    len = 0;
    s = malloc((size_t)(PL_GLOSSARY_MAX_ENTRIES + 1) * 12 + 1);
    assert_non_null(s);
    for (i = 0; i <= PL_GLOSSARY_MAX_ENTRIES; i++)
        len += (size_t)sprintf(s + len, "## t%zu\n", i);
    assert_refused(s, len, PL_ERR_TOO_LARGE, "line 100001: more than 100000 entries (the limit)");
    {
        /* The entry before it still parses. */
        size_t cut = len - strlen("## t100000\n");
        pl_error err;
        pl_glossary *g = pl_glossary_parse(s, cut, &err);
        assert_non_null(g);
        assert_int_equal(g->count, PL_GLOSSARY_MAX_ENTRIES);
        pl_glossary_free(g);
    }
    free(s);

    /* The length is checked before anything is read. */
    assert_refused("", PL_GLOSSARY_MAX_BYTES + 1, PL_ERR_TOO_LARGE,
                   "the glossary is 268435457 bytes; the limit is 256 MiB");
}

/* ---- Writing ---- */

static void test_write_from_code(void **state)
{
    pl_error err;
    pl_glossary *g = pl_glossary_create(&err), *again;
    pl_glossary_entry *e;
    char *text;
    (void)state;
    assert_non_null(g);
    assert_int_equal(pl_glossary_set_preamble(g, "# Glossary\n\nIntro.", 18, &err), PL_OK);
    assert_int_equal(pl_glossary_add_exclude(g, "system", 6, &err), PL_OK);
    e = pl_glossary_add_entry(g, "Four Improvements", 17, &err);
    assert_non_null(e);
    assert_int_equal(pl_glossary_entry_add_alias(e, "four improvements", 17, &err), PL_OK);
    e->has_case = 1;
    e->case_policy = PL_CASE_CAPITALIZED;
    e->kind = PL_GLOSSARY_KIND_QUOTED;
    {
        const char *x = "\n\nThe Four Improvements are ...\r\n\n";
        assert_int_equal(pl_glossary_entry_set_explanation(e, x, strlen(x), &err), PL_OK);
    }
    assert_int_equal(pl_glossary_entry_add_source(e, NULL, "Bolster [the] systems",
                                                  "https://example.org/a_(b)", 4, &err),
                     PL_OK);
    assert_int_equal(
        pl_glossary_entry_add_source(e, NULL, NULL, "https://example.org/a_(b)", 0, &err), PL_OK);
    e = pl_glossary_add_entry(g, "system", 6, &err);
    e->excluded = 1;
    /* A heading would drop a trailing " #": a closing sequence keeps it. */
    assert_non_null(pl_glossary_add_entry(g, "C #", 3, &err));
    assert_non_null(pl_glossary_add_entry(g, "#", 1, &err));
    text = write_ok(g);
    assert_string_equal(
        text, "# Glossary\n\nExclude: system\n\nIntro.\n\n"
              "## Four Improvements\nAliases: four improvements\n"
              "Case: capitalized\nKind: quoted\n\nThe Four Improvements are ...\n\n"
              "Source: [Bolster \\[the\\] systems](https://example.org/a_(b)), "
              "sentence 4\nSource: <https://example.org/a_(b)>\n\n## system\n-\n\n## C # #\n\n"
              "## # #\n");
    again = parse_string(text);
    assert_int_equal(again->count, 4);
    assert_string_equal(again->entries[2].term, "C #");
    assert_string_equal(again->entries[3].term, "#");
    assert_string_equal(again->entries[0].sources[0].title, "Bolster [the] systems");
    assert_string_equal(again->entries[0].sources[0].url, "https://example.org/a_(b)");
    assert_int_equal(again->entries[0].sources[0].sentence, 4);
    assert_string_equal(again->entries[0].explanation, "The Four Improvements are ...");
    assert_int_equal(again->entries[0].meta_count, 3);
    pl_free(text);
    pl_glossary_free(again);
    pl_glossary_free(g);
}

static void assert_prefix(const char *text, const char *prefix)
{
    if (strncmp(text, prefix, strlen(prefix)) != 0)
        fail_msg("\"%s\" does not start with \"%s\"", text, prefix);
}

/* A parsed glossary edited in code: lines as written are kept while they
 * agree with the fields, rewritten where they do not. */
static void test_write_follows_edits(void **state)
{
    pl_glossary *g = parse_string("# T\n\nExclude: a,b\nExclude: c\n\nIntro.\n\n## X\n"
                                  "alias: x1,x2\nSee: y\ncase: EXACT\nOther: z\n\nText.\n\n"
                                  "Source: [T](https://e.org), sentence 2\n");
    pl_glossary_entry *e = &g->entries[0];
    pl_error err;
    char *text;
    (void)state;
    text = write_ok(g);
    assert_string_equal(text, "# T\n\nExclude: a,b\nExclude: c\n\nIntro.\n\n## X\nalias: x1,x2\n"
                              "See: y\ncase: EXACT\nOther: z\n\nText.\n\n"
                              "Source: [T](https://e.org), sentence 2\n");
    pl_free(text);

    pl_free(g->exclude[2]);
    g->exclude_count = 2; /* a, b: no longer what the lines say */
    pl_free(e->aliases[1]);
    e->alias_count = 1;
    e->kind = PL_GLOSSARY_KIND_NAME;
    e->case_policy = PL_CASE_INSENSITIVE;
    e->sources[0].sentence = 3;
    text = write_ok(g);
    assert_string_equal(text, "# T\n\nExclude: a, b\n\nIntro.\n\n## X\nAliases: x1\nSee: y\n"
                              "Case: insensitive\nKind: name\nOther: z\n\nText.\n\n"
                              "Source: [T](https://e.org), sentence 3\n");
    pl_free(text);

    e->has_case = 0;
    e->alias_count = 0;
    pl_free(e->aliases[0]);
    g->exclude_count = 0;
    pl_free(g->exclude[0]);
    pl_free(g->exclude[1]);
    text = write_ok(g);
    assert_string_equal(text, "# T\n\nIntro.\n\n## X\nSee: y\nKind: name\nOther: z\n\nText.\n\n"
                              "Source: [T](https://e.org), sentence 3\n");
    pl_free(text);

    /* With no Exclude: line yet, the new one goes under the title. */
    assert_int_equal(pl_glossary_set_preamble(g, "# T\nIntro.", 10, &err), PL_OK);
    assert_int_equal(pl_glossary_add_exclude(g, " q ", 3, &err), PL_OK);
    text = write_ok(g);
    assert_prefix(text, "# T\n\nExclude: q\n\nIntro.\n\n## X\n");
    pl_free(text);
    assert_int_equal(pl_glossary_set_preamble(g, "---\na: 1\n---\nIntro.", 19, &err), PL_OK);
    text = write_ok(g);
    assert_prefix(text, "---\na: 1\n---\n\nExclude: q\n\nIntro.\n\n## X\n");
    pl_free(text);
    assert_int_equal(pl_glossary_set_preamble(g, "", 0, &err), PL_OK);
    text = write_ok(g);
    assert_prefix(text, "Exclude: q\n\n## X\n");
    pl_free(text);
    pl_glossary_free(g);

    /* Dropping the first line must not turn the next into front matter. */
    g = parse_string("Exclude: a\n---\nx: 1\n---\nIntro.\n## X\n");
    assert_int_equal(g->exclude_count, 1);
    pl_free(g->exclude[0]);
    g->exclude_count = 0;
    text = write_ok(g);
    assert_string_equal(text, "\n---\nx: 1\n---\nIntro.\n\n## X\n");
    pl_glossary_free(g);
    g = parse_string(text);
    assert_int_equal(g->count, 1);
    assert_string_equal(g->preamble, "\n---\nx: 1\n---\nIntro.");
    pl_free(text);
    pl_glossary_free(g);
}

typedef struct write_case {
    const char *term;
    const char *alias;
    const char *explanation;
    int excluded;
    const char *meta;
    const char *source_text;
    const char *source_url;
    const char *preamble;
    const char *exclude;
    const char *message;
} write_case;

static void test_write_refusals(void **state)
{
    static const write_case cases[] = {
        {"  ", NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, "entry 1 (\"  \"): the term is empty"},
        {"a\nb", NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"a\nb\"): the term \"a\nb\" has a line break"},
        {"A\xff", NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\xff\"): the term is not valid UTF-8 or holds a NUL byte"},
        {"A", "x, y", NULL, 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): alias 1 \"x, y\" has a comma, which separates the items of its line"},
        {"A", " ", NULL, 0, NULL, NULL, NULL, NULL, NULL, "entry 1 (\"A\"): alias 1 is empty"},
        {"A", NULL, "one\n\n## B\n", 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): the explanation has a \"## \" heading on its line 3, which would start "
         "an entry"},
        {"A", NULL, "```\ncode", 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): the explanation opens a code fence on its line 1 that is never closed"},
        {"A", NULL, "x\n<!--\n", 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): the explanation opens an HTML comment on its line 2 that is never "
         "closed"},
        {"A", NULL, "\n-\n", 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): the explanation \"-\" would exclude the term (set excluded)"},
        {"A", NULL, "text", 1, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\") is excluded but has an explanation"},
        {"A", NULL, "Case: exact\nmore", 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): the explanation starts with an Aliases:, Case: or Kind: line, which "
         "would be read as metadata"},
        {"A", NULL, "text\n\nSource: x", 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): the explanation ends with a Source: line, which would be read as a "
         "source"},
        {"A", NULL, "bad \xC3", 0, NULL, NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): the explanation is not valid UTF-8 or holds a NUL byte"},
        {"A", NULL, NULL, 0, "not a key line", NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): metadata line 1 \"not a key line\" is not a \"Key: value\" line (a key "
         "of 1-3 words, not Source)"},
        {"A", NULL, NULL, 0, "Source: x", NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): metadata line 1 \"Source: x\" is not a \"Key: value\" line (a key of "
         "1-3 words, not Source)"},
        {"A", NULL, NULL, 0, "Note: a\nb", NULL, NULL, NULL, NULL,
         "entry 1 (\"A\"): metadata line 1 is missing or has a line break"},
        {"A", NULL, NULL, 0, NULL, "", NULL, NULL, NULL,
         "entry 1 (\"A\"): source 1 cannot be written: its text is empty"},
        {"A", NULL, NULL, 0, NULL, "a\nb", NULL, NULL, NULL,
         "entry 1 (\"A\"): source 1 cannot be written: its text has a line break"},
        {"A", NULL, NULL, 0, NULL, NULL, "http://x y", NULL, NULL,
         "entry 1 (\"A\"): source 1 cannot be written: its url is empty or holds white space, "
         "'<', '>' or unbalanced parentheses"},
        {"A", NULL, NULL, 0, NULL, NULL, "http://x)(", NULL, NULL,
         "entry 1 (\"A\"): source 1 cannot be written: its url is empty or holds white space, "
         "'<', '>' or unbalanced parentheses"},
        {"A", NULL, NULL, 0, NULL, NULL, NULL, "# T\n\n## B", NULL,
         "the preamble has a \"## \" heading on its line 3, which would start an entry"},
        {"A", NULL, NULL, 0, NULL, NULL, NULL, "~~~\n", NULL,
         "the preamble opens a code fence on its line 1 that is never closed"},
        {"A", NULL, "a\n\n---\n\nb", 0, NULL, NULL, NULL, "---\ntitle: x", NULL,
         "the preamble opens front matter on its line 1 that it does not close"},
        {"A", NULL, NULL, 0, NULL, NULL, NULL, NULL, "a,b",
         "excluded term 1 \"a,b\" has a comma, which separates the items of its line"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const write_case *c = &cases[i];
        pl_error err;
        pl_glossary *g = pl_glossary_create(&err);
        pl_glossary_entry *e = pl_glossary_add_entry(g, c->term, strlen(c->term), &err);
        char *text;
        if (c->alias)
            pl_glossary_entry_add_alias(e, c->alias, strlen(c->alias), &err);
        if (c->explanation)
            pl_glossary_entry_set_explanation(e, c->explanation, strlen(c->explanation), &err);
        e->excluded = c->excluded;
        if (c->meta)
            pl_glossary_entry_add_meta(e, c->meta, strlen(c->meta), &err);
        if (c->source_text || c->source_url)
            pl_glossary_entry_add_source(e, c->source_text, NULL, c->source_url, 0, &err);
        if (c->preamble)
            pl_glossary_set_preamble(g, c->preamble, strlen(c->preamble), &err);
        if (c->exclude)
            pl_glossary_add_exclude(g, c->exclude, strlen(c->exclude), &err);
        text = pl_glossary_write(g, NULL, &err);
        if (text)
            fail_msg("case %zu written: %s", i, text);
        assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
        assert_string_equal(err.message, c->message);
        pl_glossary_free(g);
    }
}

/* ---- Merging ---- */

static void test_merge(void **state)
{
    pl_glossary *user = parse_file(FIXTURE("user.md"));
    pl_glossary *extracted = parse_file(FIXTURE("extracted.md"));
    pl_error err;
    pl_glossary *merged = pl_glossary_merge(user, extracted, &err);
    size_t len;
    char *expected = read_file(FIXTURE("merged.expected.md"), &len), *text;
    (void)state;
    assert_non_null(merged);
    text = assert_round_trip(merged);
    assert_string_equal(text, expected);
    assert_int_equal(merged->count, 5);
    assert_string_equal(merged->entries[0].explanation, "My own definition, which must win.");
    assert_true(merged->entries[1].excluded);
    /* NQPF was a user alias: gone from the extracted entry, which stays. */
    assert_int_equal(merged->entries[3].alias_count, 1);
    assert_string_equal(merged->entries[3].aliases[0], "four improvements list");
    assert_string_equal(merged->entries[3].sources[0].url, "https://example.org/plan");
    assert_int_equal(merged->entries[3].line, 13); /* its line in the extracted file */
    pl_free(text);
    pl_glossary_free(merged);

    /* The other way round every entry of extracted.md stays as it is, even
     * the one the other file excludes; the preamble comes from user.md. */
    merged = pl_glossary_merge(extracted, user, &err);
    assert_non_null(merged);
    assert_int_equal(merged->count, extracted->count);
    assert_string_equal(merged->entries[0].term, "new quality  productive forces");
    assert_string_equal(merged->entries[2].term, "System");
    assert_string_equal(merged->preamble, "# My glossary\n\nExclude: system");
    pl_glossary_free(merged);

    /* An empty user glossary takes everything but the duplicate. */
    {
        pl_glossary *empty = pl_glossary_create(&err);
        merged = pl_glossary_merge(empty, extracted, &err);
        assert_int_equal(merged->count, extracted->count - 1);
        pl_glossary_free(merged);
        pl_glossary_free(empty);
    }
    pl_glossary_free(user);
    pl_glossary_free(extracted);
    free(expected);
}

/* As the extractor would hand it over: fields only, no metadata lines. */
static void test_merge_built_in_code(void **state)
{
    pl_error err;
    pl_glossary *user = parse_string("## Manual\n\nMine.\n");
    pl_glossary *x = pl_glossary_create(&err), *merged;
    pl_glossary_entry *e = pl_glossary_add_entry(x, " Regional collaboration ", 24, &err);
    char *text;
    (void)state;
    pl_glossary_entry_add_alias(e, "regional collaborations", 23, &err);
    e->kind = PL_GLOSSARY_KIND_PHRASE;
    pl_glossary_entry_set_explanation(e, "Regions work together.\n", 23, &err);
    pl_glossary_entry_add_source(e, NULL, "Article", "https://e.org/a", 9, &err);
    assert_non_null(pl_glossary_add_entry(x, "manual", 6, &err));
    merged = pl_glossary_merge(user, x, &err);
    assert_non_null(merged);
    assert_int_equal(merged->count, 2);
    e = &merged->entries[1];
    assert_string_equal(e->term, "Regional collaboration");
    assert_int_equal(e->meta_count, 2);
    assert_string_equal(e->meta[0], "Aliases: regional collaborations");
    assert_string_equal(e->meta[1], "Kind: phrase");
    assert_string_equal(e->sources[0].text, "[Article](https://e.org/a), sentence 9");
    text = assert_round_trip(merged);
    assert_string_equal(text, "## Manual\n\nMine.\n\n## Regional collaboration\n"
                              "Aliases: regional collaborations\nKind: phrase\n\n"
                              "Regions work together.\n\nSource: [Article](https://e.org/a), "
                              "sentence 9\n");
    pl_free(text);
    pl_glossary_free(merged);
    pl_glossary_free(user);
    pl_glossary_free(x);
}

/* Merging must not turn two writable files into an unwritable result. */
static void test_merge_keeps_structure(void **state)
{
    pl_error err;
    pl_glossary *user = parse_string("## A\nAliases: x\n\nMine.\n");
    pl_glossary *x = parse_string("## B\nAliases: x\n\nCase: studies show ...\n");
    pl_glossary *merged = pl_glossary_merge(user, x, &err);
    char *text;
    (void)state;
    /* B loses its alias x to A; an empty Aliases: line keeps "Case: ..."
     * from being read as B's metadata. */
    assert_int_equal(merged->entries[1].alias_count, 0);
    text = assert_round_trip(merged);
    assert_string_equal(text, "## A\nAliases: x\n\nMine.\n\n## B\nAliases:\n\n"
                              "Case: studies show ...\n");
    pl_free(text);
    pl_glossary_free(merged);
    pl_glossary_free(user);
    pl_glossary_free(x);

    /* "---" opening a file that never closes it is no front matter; the
     * other file's "---" must not close it after the merge. */
    user = parse_string("---\nnot front matter\n\n## A\n\nMine.\n");
    x = parse_string("## B\n\nAbove.\n\n---\n\nBelow.\n");
    assert_string_equal(user->preamble, "---\nnot front matter");
    merged = pl_glossary_merge(user, x, &err);
    assert_string_equal(merged->preamble, "\n---\nnot front matter");
    text = assert_round_trip(merged);
    pl_free(text);
    pl_glossary_free(merged);
    pl_glossary_free(user);
    pl_glossary_free(x);
}

/* ---- Lookup ---- */

static void test_lookup(void **state)
{
    pl_glossary *g = parse_string("## Straße\n\nx\n\n## NQPF\n\ny\n\n## New quality productive "
                                  "forces\nAliases: NQPF, nqpfs\n\nz\n\n## Development\n-\n");
    size_t index;
    pl_error err;
    (void)state;
    assert_int_equal(pl_glossary_lookup(g, "STRASSE", 7, &index, &err), PL_OK);
    assert_int_equal(index, 0);
    assert_int_equal(pl_glossary_lookup(g, "new  quality\tproductive FORCES ", 31, &index, &err),
                     PL_OK);
    assert_int_equal(index, 2);
    /* A term beats an earlier alias. */
    assert_int_equal(pl_glossary_lookup(g, "nqpf", 4, &index, &err), PL_OK);
    assert_int_equal(index, 1);
    assert_int_equal(pl_glossary_lookup(g, "NQPFs", 5, &index, &err), PL_OK);
    assert_int_equal(index, 2);
    assert_int_equal(pl_glossary_lookup(g, "development", 11, &index, &err), PL_OK);
    assert_int_equal(index, 3);
    assert_true(g->entries[index].excluded);
    assert_int_equal(pl_glossary_lookup(g, "quality", 7, &index, &err), PL_OK);
    assert_int_equal(index, PL_GLOSSARY_NOT_FOUND);
    assert_int_equal(pl_glossary_lookup(g, "\xff", 1, &index, &err), PL_OK);
    assert_int_equal(index, PL_GLOSSARY_NOT_FOUND);
    assert_int_equal(pl_glossary_lookup(NULL, "x", 1, &index, &err), PL_ERR_INVALID_ARGUMENT);
    pl_glossary_free(g);
}

/* ---- Anchors ---- */

static void assert_slug(const char *text, const char *expected)
{
    pl_error err;
    size_t len;
    char *slug = pl_slug(text, strlen(text), &len, &err);
    assert_non_null(slug);
    assert_string_equal(slug, expected);
    assert_int_equal(len, strlen(expected));
    pl_free(slug);
}

static void test_slug(void **state)
{
    (void)state;
    assert_slug("Five Industrial Bases", "five-industrial-bases");
    assert_slug("R&D (research)", "rd-research");
    assert_slug("新质生产力", "新质生产力");
    assert_slug("New quality productive forces", "new-quality-productive-forces");
    assert_slug("snake_case and kebab-case", "snake_case-and-kebab-case");
    assert_slug("a  b", "a--b");
    assert_slug("What's \"new\"? 2.0!", "whats-new-20");
    assert_slug("😄 emoji", "-emoji");
    assert_slug("Ünïcödé ÇA Ελλάδα", "ünïcödé-ça-ελλάδα");
    assert_slug("Привет non-latin 你好", "привет-non-latin-你好");
    assert_slug("x² ½ Ⅻ", "x--ⅻ"); /* No is dropped, Nl kept, as on GitHub */
    assert_slug("İstanbul", "i\xCC\x87stanbul");
    assert_slug("a\xff b", "a-b");
    assert_slug("", "");
}

static void test_anchors(void **state)
{
    static const char *const expected[] = {
        "new-quality-productive-forces",
        "five-industrial-bases",
        "rd-research",
        "新质生产力",
        "development",
        "five-industrial-bases-1",
        NULL,
    };
    pl_glossary *g = parse_file(FIXTURE("glossary.md"));
    pl_error err;
    char **anchors = pl_glossary_anchors(g, &err);
    size_t i;
    (void)state;
    assert_non_null(anchors);
    for (i = 0; expected[i]; i++)
        assert_string_equal(anchors[i], expected[i]);
    pl_glossary_anchors_free(anchors, g->count);
    pl_glossary_free(g);

    /* Every heading of the page counts, as on GitHub: the title, headings
     * in explanations, and slugs that already end in a number. */
    g = parse_string("# Foo\n\n## Foo\n\n### Bar\n\n## Bar\n\n## Foo-1\n\n## foo\n\n## Foo 1\n");
    anchors = pl_glossary_anchors(g, &err);
    assert_string_equal(anchors[0], "foo-1");
    assert_string_equal(anchors[1], "bar-1");
    assert_string_equal(anchors[2], "foo-1-1");
    assert_string_equal(anchors[3], "foo-2");
    assert_string_equal(anchors[4], "foo-1-2");
    pl_glossary_anchors_free(anchors, g->count);
    pl_glossary_free(g);

    g = parse_string("");
    anchors = pl_glossary_anchors(g, &err);
    assert_non_null(anchors);
    pl_glossary_anchors_free(anchors, 0);
    pl_glossary_free(g);
}

/* ---- Out of memory ---- */

static void test_allocation_failures(void **state)
{
    size_t len, ulen, xlen;
    char *input = read_file(FIXTURE("glossary.md"), &len);
    char *user_text = read_file(FIXTURE("user.md"), &ulen);
    char *x_text = read_file(FIXTURE("extracted.md"), &xlen);
    pl_glossary *g = parse_string(input), *user = parse_string(user_text),
                *x = parse_string(x_text);
    long n;
    int done;
    (void)state;
    /* Fail each allocation in turn: an error every time, never a crash or a
     * leak (ASan and valgrind check the latter). */
    for (n = 0, done = 0; n < 5000 && !done; n++) {
        pl_error err;
        pl_glossary *r;
        pl_alloc_fail_after(n);
        r = pl_glossary_parse(input, len, &err);
        pl_alloc_fail_after(-1);
        if (r) {
            assert_glossary_equal(r, g);
            pl_glossary_free(r);
            done = 1;
        } else {
            assert_int_equal(err.status, PL_ERR_NOMEM);
            assert_string_equal(err.message, "out of memory");
        }
    }
    assert_true(done);
    for (n = 0, done = 0; n < 5000 && !done; n++) {
        pl_error err;
        char *text;
        pl_alloc_fail_after(n);
        text = pl_glossary_write(g, NULL, &err);
        pl_alloc_fail_after(-1);
        if (text) {
            assert_string_equal(text, input);
            pl_free(text);
            done = 1;
        } else
            assert_int_equal(err.status, PL_ERR_NOMEM);
    }
    assert_true(done);
    for (n = 0, done = 0; n < 5000 && !done; n++) {
        pl_error err;
        pl_glossary *r;
        pl_alloc_fail_after(n);
        r = pl_glossary_merge(user, x, &err);
        pl_alloc_fail_after(-1);
        if (r) {
            assert_int_equal(r->count, 5);
            pl_glossary_free(r);
            done = 1;
        } else
            assert_int_equal(err.status, PL_ERR_NOMEM);
    }
    assert_true(done);
    for (n = 0, done = 0; n < 5000 && !done; n++) {
        pl_error err;
        char **anchors;
        pl_alloc_fail_after(n);
        anchors = pl_glossary_anchors(g, &err);
        pl_alloc_fail_after(-1);
        if (anchors) {
            assert_string_equal(anchors[5], "five-industrial-bases-1");
            pl_glossary_anchors_free(anchors, g->count);
            done = 1;
        } else
            assert_int_equal(err.status, PL_ERR_NOMEM);
    }
    assert_true(done);
    for (n = 0, done = 0; n < 5000 && !done; n++) {
        pl_error err;
        size_t index = 0;
        pl_status st;
        pl_alloc_fail_after(n);
        st = pl_glossary_lookup(g, "nqpf", 4, &index, &err);
        pl_alloc_fail_after(-1);
        if (st == PL_OK) {
            assert_int_equal(index, 0);
            done = 1;
        } else
            assert_int_equal(st, PL_ERR_NOMEM);
    }
    assert_true(done);
    for (n = 0, done = 0; n < 100 && !done; n++) {
        pl_error err;
        pl_glossary *c;
        pl_glossary_entry *e;
        pl_alloc_fail_after(n);
        c = pl_glossary_create(&err);
        e = c ? pl_glossary_add_entry(c, "A", 1, &err) : NULL;
        if (e && pl_glossary_entry_add_alias(e, "a", 1, &err) == PL_OK &&
            pl_glossary_entry_add_meta(e, "X: y", 4, &err) == PL_OK &&
            pl_glossary_entry_add_source(e, NULL, "t", "u", 1, &err) == PL_OK &&
            pl_glossary_entry_set_explanation(e, "t", 1, &err) == PL_OK &&
            pl_glossary_add_exclude(c, "b", 1, &err) == PL_OK &&
            pl_glossary_set_preamble(c, "p", 1, &err) == PL_OK)
            done = 1;
        else
            assert_int_equal(err.status, PL_ERR_NOMEM);
        pl_alloc_fail_after(-1);
        pl_glossary_free(c);
    }
    assert_true(done);
    pl_glossary_free(g);
    pl_glossary_free(user);
    pl_glossary_free(x);
    free(input);
    free(user_text);
    free(x_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_fixture),
        cmocka_unit_test(test_round_trip_fixture),
        cmocka_unit_test(test_messy_file_normalized),
        cmocka_unit_test(test_code_and_comments_hide_headings),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_write_from_code),
        cmocka_unit_test(test_write_follows_edits),
        cmocka_unit_test(test_write_refusals),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_merge_built_in_code),
        cmocka_unit_test(test_merge_keeps_structure),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_slug),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests_name("glossary", tests, NULL, NULL);
}
