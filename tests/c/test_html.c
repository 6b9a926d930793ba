/* Tests of the HTML reader (src/html.c): which blocks a page gives, chrome and
 * hidden elements, charsets, broken markup, deep nesting, metadata, link
 * bytes, markup hints and detection. Pages live in tests/fixtures/html/. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "blocks.h"
#include "html.h"

typedef struct expected {
    pl_block_kind kind;
    const char *text;
    int hint;
} expected;

static char *read_fixture(const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    char *data;
    long size;
    snprintf(path, sizeof path, "%s/html/%s", PL_FIXTURES_DIR, name);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    data = malloc((size_t)size + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
    data[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return data;
}

static void parse(const char *html, pl_blocks *b)
{
    pl_error err;
    pl_blocks_init(b);
    assert_int_equal(pl_html_to_blocks(html, strlen(html), b, &err), PL_OK);
}

static void parse_fixture(const char *name, pl_blocks *b)
{
    size_t len;
    char *html = read_fixture(name, &len);
    pl_error err;
    pl_blocks_init(b);
    assert_int_equal(pl_html_to_blocks(html, len, b, &err), PL_OK);
    free(html);
}

static void assert_text(const pl_blocks *b, size_t i, const char *text)
{
    size_t len = b->items[i].end - b->items[i].start;
    if (len != strlen(text) || memcmp(b->text.data + b->items[i].start, text, len) != 0)
        fail_msg("block %zu is \"%.*s\", expected \"%s\"", i, (int)len,
                 b->text.data + b->items[i].start, text);
}

/* Checks the whole list: kinds, texts and (when hint >= 0) markup hints. */
static void assert_blocks(const pl_blocks *b, const expected *want, size_t count)
{
    size_t i;
    for (i = 0; i < count && i < b->count; i++) {
        assert_text(b, i, want[i].text);
        assert_int_equal(b->items[i].kind, want[i].kind);
        if (want[i].hint >= 0)
            assert_int_equal(b->items[i].markup_hint, want[i].hint);
    }
    assert_int_equal(b->count, count);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_article_page(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "We use cookies to improve your experience.", 1},
        {PL_BLOCK_PARAGRAPH, "Home > Tech", 1},
        {PL_BLOCK_TITLE, "Data Retention Policy Explained", 0},
        {PL_BLOCK_PARAGRAPH, "By Jane Doe, 5 March 2024", 0},
        {PL_BLOCK_PARAGRAPH,
         "The company keeps personal data for 30 days after an account is closed.", 0},
        {PL_BLOCK_HEADING, "What is collected", 0},
        {PL_BLOCK_ITEM, "Email address", 0},
        {PL_BLOCK_ITEM, "Payment history, including refunds", 0},
        {PL_BLOCK_QUOTE, "We never sell your data.", 0},
        {PL_BLOCK_QUOTE, "Not now, not ever.", 0},
        {PL_BLOCK_CELL, "Data", 0},
        {PL_BLOCK_CELL, "Kept for", 0},
        {PL_BLOCK_CELL, "Logs", 0},
        {PL_BLOCK_CELL, "90 days", 0},
        {PL_BLOCK_PARAGRAPH, "Share this page", 1},
    };
    pl_blocks b;
    (void)state;
    parse_fixture("article.html", &b);
    assert_blocks(&b, want, N(want));
    assert_int_equal(b.items[2].heading_level, 1);
    assert_int_equal(b.items[5].heading_level, 2);
    assert_int_equal(b.items[1].link_bytes, 8);
    assert_int_equal(b.items[3].link_bytes, 8);
    assert_int_equal(b.items[7].link_bytes, 7);
    assert_int_equal(b.items[14].link_bytes, 15);
    assert_string_equal(b.title, "Data Retention Policy Explained | Example News");
    assert_string_equal(b.author, "Jane Doe");
    assert_string_equal(b.date, "2024-03-05T10:00:00Z");
    assert_string_equal(b.source, "Example News");
    pl_blocks_free(&b);
}

static void test_entities_decoded(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "Terms & Conditions \xE2\x80\x94 it\xE2\x80\x99s 5 km", 0},
        {PL_BLOCK_PARAGRAPH, "1 < 2 > 0 \xC2\xA9 &unknown; \xE2\x80\x99", 0},
    };
    pl_blocks b;
    (void)state;
    parse("<p>Terms &amp; Conditions &#8212; it&rsquo;s 5&nbsp;km</p>"
          "<p>1 &lt; 2 &gt; 0 &copy; &unknown; &#146;</p>",
          &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

static void test_line_breaks(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "one two three", 0},
        {PL_BLOCK_PRE, "line 1\nline 2\nline 3", 0},
        {PL_BLOCK_PARAGRAPH, "first paragraph", 0},
        {PL_BLOCK_PARAGRAPH, "second paragraph", 0},
    };
    pl_blocks b;
    (void)state;
    parse("<p>one<br>two<br/>three</p>"
          "<pre>line 1\n  line 2<br>line 3\n</pre>"
          "<div>first paragraph<br>\n<br>second paragraph</div>",
          &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

static void test_latin1_page(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH,
         "Le caf\xC3\xA9 co\xC3\xBBte 2 \xE2\x82\xAC, c\xE2\x80\x99"
         "est \xC2\xAB cher \xC2\xBB.",
         0},
    };
    pl_blocks b;
    (void)state;
    parse_fixture("latin1.html", &b);
    assert_blocks(&b, want, N(want));
    assert_string_equal(b.title, "Caf\xC3\xA9");
    pl_blocks_free(&b);
}

static void test_utf8_without_charset(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH,
         "Datenschutz f\xC3\xBCr Kundinnen \xE2\x80\x94 na\xC3\xAFve caf\xC3\xA9 "
         "\xE2\x80\x9Cquotes\xE2\x80\x9D \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
         0},
    };
    pl_blocks b;
    (void)state;
    parse_fixture("utf8_no_charset.html", &b);
    assert_blocks(&b, want, N(want));
    assert_string_equal(b.title, "\xC3\x9C"
                                 "berblick");
    pl_blocks_free(&b);
}

/* libxml2 would switch an undeclared page to Latin-1 at its first bad byte;
 * here the bad byte alone becomes U+FFFD and the rest stays UTF-8. */
static void test_invalid_utf8_repaired(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "caf\xC3\xA9 \xEF\xBF\xBD then caf\xC3\xA9", 0},
    };
    pl_blocks b;
    (void)state;
    parse("<p>caf\xC3\xA9 \xE9 then caf\xC3\xA9</p>", &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

/* UTF-16 pages (with a byte-order mark), also with an unpaired surrogate,
 * which made libxml2 drop the whole page: one U+FFFD, the rest read. */
static void test_utf16_page(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "caf\xC3\xA9 \xEF\xBF\xBD then more", 0},
    };
    static const char ascii[] = "<p>caf\xE9 ? then more</p>";
    char le[64], be[64];
    size_t n = 0, i;
    pl_blocks b;
    pl_error err;
    (void)state;
    le[n] = (char)0xFF, be[n++] = (char)0xFE;
    le[n] = (char)0xFE, be[n++] = (char)0xFF;
    for (i = 0; ascii[i]; i++, n += 2) {
        /* '?' stands for a lone high surrogate, U+D800 */
        unsigned unit = ascii[i] == '?' ? 0xD800 : (unsigned char)ascii[i];
        le[n] = (char)(unit & 0xFF), le[n + 1] = (char)(unit >> 8);
        be[n] = (char)(unit >> 8), be[n + 1] = (char)(unit & 0xFF);
    }
    pl_blocks_init(&b);
    assert_int_equal(pl_html_to_blocks(le, n, &b, &err), PL_OK);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
    pl_blocks_init(&b);
    assert_int_equal(pl_html_to_blocks(be, n, &b, &err), PL_OK);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

/* iconv's windows-1252 stops the parse at an undefined byte such as 0x81. */
static void test_windows_1252_undefined_byte(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "it\xE2\x80\x99s here", 0},
        {PL_BLOCK_PARAGRAPH, "and the rest", 0},
    };
    pl_blocks b;
    (void)state;
    parse("<meta charset=windows-1252><p>it\x92s \x81here</p><p>and the rest</p>", &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

/* A page already converted to UTF-8 keeps its old declaration. */
static void test_utf8_page_declared_latin1(void **state)
{
    static const expected want[] = {{PL_BLOCK_PARAGRAPH, "caf\xC3\xA9", 0}};
    pl_blocks b;
    (void)state;
    parse("<meta charset=\"iso-8859-1\"><p>caf\xC3\xA9</p>", &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

static void test_malformed_markup(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "First bold nested", 0},
        {PL_BLOCK_PARAGRAPH, "a", 0},
        {PL_BLOCK_PARAGRAPH, "b", 0},
        {PL_BLOCK_ITEM, "one", 0},
        {PL_BLOCK_ITEM, "two", 0},
        {PL_BLOCK_CELL, "c1", 0},
        {PL_BLOCK_CELL, "c2", 0},
        {PL_BLOCK_PARAGRAPH, "unquoted attribute", 0},
    };
    pl_blocks b;
    (void)state;
    parse_fixture("malformed.html", &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

static char *nested_divs(size_t depth, const char *inner, const char *after)
{
    size_t len = depth * 11 + strlen(inner) + strlen(after) + 1, k = 0, i;
    char *html = malloc(len);
    assert_non_null(html);
    for (i = 0; i < depth; i++, k += 5)
        memcpy(html + k, "<div>", 5);
    memcpy(html + k, inner, strlen(inner));
    k += strlen(inner);
    for (i = 0; i < depth; i++, k += 6)
        memcpy(html + k, "</div>", 6);
    memcpy(html + k, after, strlen(after) + 1);
    return html;
}

static void test_deep_nesting(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "deep text", 0},
        {PL_BLOCK_PARAGRAPH, "after", 0},
    };
    char *html = nested_divs(10000, "deep text", "<p>after</p>");
    pl_blocks b;
    (void)state;
    parse(html, &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
    free(html);
}

static void test_deep_inline_nesting(void **state)
{
    size_t depth = 5000, k = 0, i;
    char *html = malloc(depth * 3 + 64);
    pl_blocks b;
    (void)state;
    assert_non_null(html);
    memcpy(html, "<p>", 3);
    k = 3;
    for (i = 0; i < depth; i++, k += 3)
        memcpy(html + k, "<b>", 3);
    strcpy(html + k, "bold</p><p>next</p>");
    parse(html, &b);
    assert_int_equal(b.count, 2);
    assert_text(&b, 0, "bold");
    assert_text(&b, 1, "next");
    pl_blocks_free(&b);
    free(html);
}

static void test_metadata(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_TITLE, "Headline", 0},
        {PL_BLOCK_PARAGRAPH, "By John Roe", 0},
        {PL_BLOCK_PARAGRAPH, "2 November 2023", 0},
        {PL_BLOCK_PARAGRAPH, "Body text of the article.", 0},
    };
    pl_blocks b;
    (void)state;
    parse_fixture("metadata.html", &b);
    assert_blocks(&b, want, N(want));
    assert_string_equal(b.title, "Open Graph Title");
    assert_string_equal(b.author, "John Roe");
    assert_string_equal(b.date, "2023-11-02T08:30:00+01:00");
    assert_string_equal(b.source, "The Example Times");
    pl_blocks_free(&b);
}

static void test_metadata_fallbacks(void **state)
{
    pl_blocks b;
    (void)state;
    parse("<html><head><title> A  &amp; B </title><meta name=\"date\" content=\"2020-01-02\">"
          "<meta property=\"article:author\" content=\"Ann Lee\"></head><body>"
          "<p>By <a rel=\"author\" href=\"/x\">Someone Else</a></p>"
          "<time datetime=\"1999-09-09\">then</time></body></html>",
          &b);
    assert_string_equal(b.title, "A & B");
    assert_string_equal(b.author, "Ann Lee");
    assert_string_equal(b.date, "2020-01-02");
    assert_null(b.source);
    pl_blocks_free(&b);
}

static void test_title_not_a_block(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_TITLE, "Main", 0},
        {PL_BLOCK_HEADING, "Second h1", 0},
        {PL_BLOCK_HEADING, "Deep", 0},
    };
    pl_blocks b;
    (void)state;
    parse("<title>Page</title><h1>Main</h1><h1>Second h1</h1><h6>Deep</h6>", &b);
    assert_blocks(&b, want, N(want));
    assert_int_equal(b.items[1].heading_level, 1);
    assert_int_equal(b.items[2].heading_level, 6);
    assert_string_equal(b.title, "Page");
    pl_blocks_free(&b);
}

static void test_link_bytes(void **state)
{
    pl_blocks b;
    (void)state;
    parse("<p><a href=\"/a\">  One  big\n link </a></p>"
          "<p>Some text with <a href=\"/b\">one link</a> in it.</p>"
          "<p><a name=\"anchor\">Not a link</a></p>"
          "<p>\xC3\xA9t\xC3\xA9 <a href=\"/c\">caf\xC3\xA9&nbsp;bar</a></p>",
          &b);
    assert_int_equal(b.count, 4);
    assert_text(&b, 0, "One big link");
    assert_int_equal(b.items[0].link_bytes, 12);
    assert_text(&b, 1, "Some text with one link in it.");
    assert_int_equal(b.items[1].link_bytes, 8);
    assert_int_equal(b.items[2].link_bytes, 0);
    assert_text(&b, 3, "\xC3\xA9t\xC3\xA9 caf\xC3\xA9 bar");
    assert_int_equal(b.items[3].link_bytes, 9);
    pl_blocks_free(&b);
}

static void test_interleaved_text_in_div(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "intro text", 0},
        {PL_BLOCK_PARAGRAPH, "a paragraph", 0},
        {PL_BLOCK_PARAGRAPH, "tail with bold", 0},
        {PL_BLOCK_ITEM, "item lead", 0},
        {PL_BLOCK_ITEM, "nested", 0},
        {PL_BLOCK_ITEM, "item para", 0},
        {PL_BLOCK_CELL, "cell", 0},
        {PL_BLOCK_PARAGRAPH, "para in cell", 0},
        {PL_BLOCK_PARAGRAPH, "caption", 0},
        {PL_BLOCK_PARAGRAPH, "term", 0},
        {PL_BLOCK_PARAGRAPH, "definition", 0},
    };
    pl_blocks b;
    (void)state;
    parse("<div>intro <span>text</span><p>a paragraph</p>tail with <b>bold</b></div>"
          "<ul><li>item lead<ul><li>nested</li></ul><p>item para</p></li></ul>"
          "<table><tr><td>cell<p>para in cell</p></td></tr></table>"
          "<figure><img src=x alt=y><figcaption>caption</figcaption></figure>"
          "<dl><dt>term</dt><dd>definition</dd></dl>",
          &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

static void test_dropped_elements(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "kept", 0},
        {PL_BLOCK_PARAGRAPH, "also kept", 0},
        {PL_BLOCK_PARAGRAPH, "until found", 0},
    };
    pl_blocks b;
    (void)state;
    parse("<p>kept<span aria-hidden=\"true\"> icon</span><span class=\"sr-only\"> (new "
          "window)</span></p>"
          "<p hidden>hidden attribute</p><div aria-hidden=\"true\">aria</div>"
          "<div style=\"color:red; DISPLAY : none\">styled away</div>"
          "<div role=\"navigation\">role nav</div><div role=\"banner\">role banner</div>"
          "<div role=\"contentinfo\">info</div><div role=\"complementary\">compl</div>"
          "<div role=\"search\">search</div><div role=\"dialog\">dialog</div>"
          "<noscript>enable js</noscript><template><p>tpl</p></template>"
          "<svg><text>svg text</text></svg><math><mi>x</mi></math>"
          "<iframe>frame</iframe><object>obj</object><canvas>cv</canvas>"
          "<nav>nav</nav><header>head</header><footer>foot</footer><aside>aside</aside>"
          "<form><p>form text</p></form><button>btn</button><select><option>opt</option>"
          "</select><textarea>ta</textarea><label>lbl</label><menu><li>m</li></menu>"
          "<dialog>dlg</dialog><p>also kept</p><p hidden=\"until-found\">until found</p>",
          &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

/* ASP.NET pages wrap everything in one form; an article's own header holds
 * its title. */
static void test_page_form_and_article_header(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_TITLE, "Headline", 0},
        {PL_BLOCK_PARAGRAPH, "Story.", 0},
    };
    pl_blocks b;
    (void)state;
    parse("<body><form id=\"aspnetForm\"><header><p>Site</p></header><article><header>"
          "<h1>Headline</h1></header><p>Story.</p></article></form></body>",
          &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

static void test_markup_hints(void **state)
{
    static const expected want[] = {
        {PL_BLOCK_PARAGRAPH, "main nav", 1},      {PL_BLOCK_PARAGRAPH, "content in sidebar", 0},
        {PL_BLOCK_PARAGRAPH, "sidebar text", 1},  {PL_BLOCK_PARAGRAPH, "share inside article", 1},
        {PL_BLOCK_PARAGRAPH, "entry header", 0},  {PL_BLOCK_PARAGRAPH, "body", 0},
        {PL_BLOCK_PARAGRAPH, "teaser", 1},        {PL_BLOCK_PARAGRAPH, "page header", 1},
        {PL_BLOCK_PARAGRAPH, "main landmark", 0},
    };
    pl_blocks b;
    (void)state;
    parse("<div class=\"Main-Nav\">main nav</div>"
          "<div id=\"left-sidebar\"><div class=\"post-content\">content in sidebar</div>"
          "<p>sidebar text</p></div>"
          "<article><div class=\"article-share\">share inside article</div>"
          "<div class=\"entry-header\">entry header</div><p>body</p></article>"
          "<div class=\"related-posts\"><article><p>teaser</p></article></div>"
          "<div class=\"page-header\">page header</div>"
          "<div class=\"cookie\"><main>main landmark</main></div>",
          &b);
    assert_blocks(&b, want, N(want));
    pl_blocks_free(&b);
}

static void test_detect(void **state)
{
    (void)state;
    assert_true(pl_html_detect("<!DOCTYPE html><p>x", 19));
    assert_true(pl_html_detect("\xEF\xBB\xBF  \n<!-- hi --> <!doctype HTML>", 33));
    assert_true(pl_html_detect("<html lang=en>", 14));
    assert_true(pl_html_detect("<HEAD><title>t</title>", 22));
    assert_true(pl_html_detect("<body>", 6));
    assert_true(pl_html_detect("<?xml version=\"1.0\"?>\n<html>", 28));
    assert_true(pl_html_detect("Intro <p>one</p><p>two</p>", 26));
    assert_true(pl_html_detect("text<br>more<BR/>", 17));
    assert_true(pl_html_detect("<DIV class=a>x</DIV><h2>t</h2>", 30));
    assert_true(pl_html_detect("<table><tr><li>", 15));
    assert_false(pl_html_detect("a < b and b > c", 15));
    assert_false(pl_html_detect("if (x<p) y = 1; <div", 20));
    assert_false(pl_html_detect("plain text only", 15));
    assert_false(pl_html_detect("<header> is not <head>", 22));
    assert_false(pl_html_detect("<link> and <literal> and <pi>", 29));
    assert_false(pl_html_detect("<!-- unterminated <html>", 24));
    assert_false(pl_html_detect("", 0));
    assert_false(pl_html_detect(NULL, 5));
}

static void test_detect_window(void **state)
{
    char text[2100];
    (void)state;
    memset(text, 'x', sizeof text);
    memcpy(text + 1500, "<p>a<p>b", 8);
    assert_false(pl_html_detect(text, sizeof text));
    memcpy(text + 10, "<p>a<p>b", 8);
    assert_true(pl_html_detect(text, sizeof text));
}

static void test_empty_documents(void **state)
{
    pl_blocks b;
    pl_error err;
    (void)state;
    parse("<html></html>", &b);
    assert_int_equal(b.count, 0);
    assert_null(b.title);
    pl_blocks_free(&b);
    parse("<!-- only a comment -->", &b);
    assert_int_equal(b.count, 0);
    pl_blocks_free(&b);
    pl_blocks_init(&b);
    assert_int_equal(pl_html_to_blocks("", 0, &b, &err), PL_OK);
    assert_int_equal(pl_html_to_blocks(" \n ", 3, &b, &err), PL_OK);
    assert_int_equal(b.count, 0);
    assert_int_equal(pl_html_to_blocks(NULL, 3, &b, &err), PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_html_to_blocks("<p>x</p>", 8, NULL, &err), PL_ERR_INVALID_ARGUMENT);
    pl_blocks_free(&b);
}

/* The reader appends: an existing title block keeps h1 a heading. */
static void test_appends_to_list(void **state)
{
    pl_blocks b;
    pl_error err;
    (void)state;
    pl_blocks_init(&b);
    assert_int_equal(pl_blocks_add(&b, PL_BLOCK_TITLE, "Old", 3, NULL, &err), PL_OK);
    assert_int_equal(pl_html_to_blocks("<h1>New</h1><p>x</p>", 20, &b, &err), PL_OK);
    assert_int_equal(b.count, 3);
    assert_int_equal(b.items[1].kind, PL_BLOCK_HEADING);
    assert_string_equal(b.text.data, "Old\nNew\nx");
    pl_blocks_free(&b);
}

#ifdef PL_ALLOC_FAILURE_INJECTION
/* Every allocation may fail: the result is PL_ERR_NOMEM and an untouched
 * list, until enough succeed for PL_OK. */
static void test_out_of_memory(void **state)
{
    size_t len;
    char *html = read_fixture("article.html", &len);
    long n;
    (void)state;
    for (n = 0;; n++) {
        pl_blocks b;
        pl_error err;
        pl_status st;
        pl_blocks_init(&b);
        pl_alloc_fail_after(n);
        st = pl_html_to_blocks(html, len, &b, &err);
        pl_alloc_fail_after(-1);
        if (st == PL_OK) {
            assert_int_equal(b.count, 15);
            pl_blocks_free(&b);
            break;
        }
        assert_int_equal(st, PL_ERR_NOMEM);
        assert_int_equal(err.status, PL_ERR_NOMEM);
        assert_int_equal(b.count, 0);
        assert_int_equal(b.text.len, 0);
        assert_null(b.title);
        pl_blocks_free(&b);
        assert_true(n < 10000);
    }
    free(html);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_page),
        cmocka_unit_test(test_entities_decoded),
        cmocka_unit_test(test_line_breaks),
        cmocka_unit_test(test_latin1_page),
        cmocka_unit_test(test_utf8_without_charset),
        cmocka_unit_test(test_invalid_utf8_repaired),
        cmocka_unit_test(test_utf16_page),
        cmocka_unit_test(test_windows_1252_undefined_byte),
        cmocka_unit_test(test_utf8_page_declared_latin1),
        cmocka_unit_test(test_malformed_markup),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_deep_inline_nesting),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_metadata_fallbacks),
        cmocka_unit_test(test_title_not_a_block),
        cmocka_unit_test(test_link_bytes),
        cmocka_unit_test(test_interleaved_text_in_div),
        cmocka_unit_test(test_dropped_elements),
        cmocka_unit_test(test_page_form_and_article_header),
        cmocka_unit_test(test_markup_hints),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_detect_window),
        cmocka_unit_test(test_empty_documents),
        cmocka_unit_test(test_appends_to_list),
#ifdef PL_ALLOC_FAILURE_INJECTION
        cmocka_unit_test(test_out_of_memory),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
