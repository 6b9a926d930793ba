/* HTML to blocks. libxml2 parses the page (recovering from broken markup and
 * converting its charset to UTF-8); one iterative walk over the tree then drops
 * site chrome and hidden elements, flows text into blocks and reads metadata. */
#include "html.h"

#include <limits.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "alloc.h"
#include "buf.h"
#include "utf8.h"

/* ---- small ASCII helpers (attribute values and tag names are ASCII) ---- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int ieq(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* Whether s[0..n) equals word, ignoring ASCII case. */
static int ieq_n(const char *s, size_t n, const char *word)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (word[i] == '\0' || lower((unsigned char)s[i]) != word[i])
            return 0;
    return word[n] == '\0';
}

/* Whether s[0..n) starts with the lower-case word, ignoring ASCII case. */
static int istarts(const char *s, size_t n, const char *word)
{
    size_t i;
    for (i = 0; word[i]; i++)
        if (i >= n || lower((unsigned char)s[i]) != word[i])
            return 0;
    return 1;
}

/* Whether the lower-case word occurs in s[0..n), ignoring ASCII case. */
static int icontains(const char *s, size_t n, const char *word)
{
    size_t len = strlen(word), i;
    for (i = 0; i + len <= n; i++)
        if (istarts(s + i, n - i, word))
            return 1;
    return 0;
}

static int iends(const char *s, size_t n, const char *word)
{
    size_t len = strlen(word);
    return n >= len && istarts(s + n - len, len, word);
}

/* Finds the next white-space separated token of *s (advancing it); returns
 * its length, 0 at the end. */
static size_t next_token(const char **s, const char **tok)
{
    const char *p = *s;
    size_t len = 0;
    while (is_ws((unsigned char)*p))
        p++;
    *tok = p;
    while (p[len] && !is_ws((unsigned char)p[len]))
        len++;
    *s = p + len;
    return len;
}

/* Whether the white-space separated list s has a token equal to word. */
static int has_token(const char *s, const char *word)
{
    const char *tok;
    size_t len;
    if (!s)
        return 0;
    while ((len = next_token(&s, &tok)) > 0)
        if (ieq_n(tok, len, word))
            return 1;
    return 0;
}

/* ---- detection ---- */

/* Index of the first byte after a BOM, white space, comments and an XML
 * declaration or processing instructions; n when nothing else is left. */
static size_t skip_prolog(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (;;) {
        while (i < n && is_ws((unsigned char)s[i]))
            i++;
        if (istarts(s + i, n - i, "<!--")) {
            size_t j = i + 4;
            while (j + 3 <= n && memcmp(s + j, "-->", 3) != 0)
                j++;
            if (j + 3 > n)
                return n;
            i = j + 3;
        } else if (istarts(s + i, n - i, "<?")) {
            size_t j = i + 2;
            while (j < n && s[j] != '>')
                j++;
            if (j >= n)
                return n;
            i = j + 1;
        } else {
            return i;
        }
    }
}

/* Whether s[0..n) starts with the tag <name followed by the end of the name. */
static int tag_at(const char *s, size_t n, const char *name)
{
    size_t len = strlen(name);
    if (n < len + 1 || s[0] != '<' || !istarts(s + 1, n - 1, name))
        return 0;
    if (n == len + 1)
        return 1;
    return is_ws((unsigned char)s[len + 1]) || s[len + 1] == '>' || s[len + 1] == '/';
}

int pl_html_detect(const char *s, size_t n)
{
    static const char *const block_tags[] = {"div", "br", "h1", "h2", "h3",
                                             "h4",  "h5", "h6", "li", "table"};
    size_t i, k, end, found = 0;
    if (!s)
        return 0;
    i = skip_prolog(s, n);
    s += i;
    n -= i;
    if (istarts(s, n, "<!doctype") && n > 9 && is_ws((unsigned char)s[9])) {
        size_t j = 9;
        while (j < n && is_ws((unsigned char)s[j]))
            j++;
        if (istarts(s + j, n - j, "html"))
            return 1;
    }
    if (tag_at(s, n, "html") || tag_at(s, n, "head") || tag_at(s, n, "body"))
        return 1;
    /* A fragment: plain text may hold a stray "<", but rarely two block tags. */
    end = n < 1024 ? n : 1024;
    for (i = 0; i < end; i++) {
        if (s[i] != '<')
            continue;
        if (end - i >= 3 && lower((unsigned char)s[i + 1]) == 'p' &&
            (s[i + 2] == '>' || is_ws((unsigned char)s[i + 2])))
            found++;
        for (k = 0; k < sizeof block_tags / sizeof block_tags[0]; k++)
            if (tag_at(s + i, end - i, block_tags[k]))
                found++;
        if (found >= 2)
            return 1;
    }
    return 0;
}

/* ---- UTF-8 ---- */

/* Decodes the UTF-8 sequence at s[0..n) into *cp; returns its length, or 0
 * when the bytes are not valid UTF-8 (overlong, surrogate, truncated). */
static size_t utf8_decode(const unsigned char *s, size_t n, long *cp)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t len, i;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        *cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        *cp = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        *cp = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    return len;
}

/* Whether s[0..n) is valid UTF-8 with at least one multi-byte sequence. */
static int is_utf8_with_non_ascii(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, len;
    int multi = 0;
    long cp;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        len = utf8_decode(u + i, n - i, &cp);
        if (len == 0)
            return 0;
        multi = 1;
        i += len;
    }
    return multi;
}

/* ---- charset ---- */

/* Copies the charset label of the first XML declaration or <meta> that
 * declares one into label; returns 0 when the page declares none. */
static int find_charset_label(const char *s, size_t n, char *label, size_t size)
{
    size_t i = 0, start = 0;
    while (i < n && is_ws((unsigned char)s[i]))
        i++;
    if (istarts(s + i, n - i, "<?xml")) {
        size_t end = i;
        while (end < n && s[end] != '>')
            end++;
        for (start = i; start < end && !istarts(s + start, end - start, "encoding"); start++)
            ;
        if (start < end) {
            start += 8;
            goto value;
        }
    }
    for (i = 0; i + 5 < n; i++) {
        size_t end;
        if (s[i] != '<' || !istarts(s + i + 1, n - i - 1, "meta") ||
            !(is_ws((unsigned char)s[i + 5]) || s[i + 5] == '/'))
            continue;
        for (end = i + 5; end < n && s[end] != '>'; end++)
            ;
        for (start = i + 5; start < end; start++) {
            size_t j;
            if (!istarts(s + start, end - start, "charset"))
                continue;
            j = start + 7;
            while (j < end && is_ws((unsigned char)s[j]))
                j++;
            if (j < end && s[j] == '=') {
                start = j;
                goto value;
            }
        }
        i = end;
    }
    return 0;
value:
    while (start < n && (is_ws((unsigned char)s[start]) || s[start] == '=' || s[start] == '"' ||
                         s[start] == '\''))
        start++;
    for (i = 0; start + i < n && i + 1 < size; i++) {
        char c = s[start + i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':'))
            break;
        label[i] = (char)lower((unsigned char)c);
    }
    label[i] = '\0';
    return i > 0;
}

/* The encoding to hand libxml2, or NULL to let it follow the page's own
 * declaration. libxml2 2.9 reads an undeclared page as UTF-8 only until the
 * first invalid byte and then switches to Latin-1 for the rest, and it ignores
 * <meta charset> whenever an encoding is passed; so UTF-8 is passed exactly
 * when the page declares nothing (or declares UTF-8, or is already valid UTF-8,
 * as when the caller has converted it), and invalid bytes are repaired on the
 * way out instead. The Latin-1 family (which browsers read as windows-1252) is
 * passed as ISO-8859-1, which cannot fail, because iconv's windows-1252 stops
 * the whole parse at one of its five undefined bytes; the C1 controls that
 * leaves are mapped to windows-1252 when the text is copied. */
static const char *choose_encoding(const char *s, size_t n)
{
    static const char *const utf8_labels[] = {"utf-8",   "utf8",     "unicode-1-1-utf-8",
                                              "utf-16",  "utf-16le", "utf-16be",
                                              "unicode", "ucs-2",    "x-unicode20utf8"};
    static const char *const latin1_labels[] = {
        "iso-8859-1",     "iso8859-1",  "iso_8859-1",  "iso_8859-1:1987",
        "latin1",         "latin-1",    "l1",          "cp819",
        "ibm819",         "iso-ir-100", "csisolatin1", "windows-1252",
        "cp1252",         "x-cp1252",   "us-ascii",    "ascii",
        "ansi_x3.4-1968", "iso-ir-6",   "iso646-us",   "csascii"};
    const unsigned char *u = (const unsigned char *)s;
    char label[40];
    size_t i;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return "UTF-8";
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return NULL;
    if (is_utf8_with_non_ascii(s, n))
        return "UTF-8";
    if (!find_charset_label(s, n, label, sizeof label))
        return "UTF-8";
    for (i = 0; i < sizeof utf8_labels / sizeof utf8_labels[0]; i++)
        if (strcmp(label, utf8_labels[i]) == 0)
            return "UTF-8";
    for (i = 0; i < sizeof latin1_labels / sizeof latin1_labels[0]; i++)
        if (strcmp(label, latin1_labels[i]) == 0)
            return "ISO-8859-1";
    return NULL;
}

/* ---- text coming out of libxml2 ---- */

/* windows-1252 for 0x80-0x9F: pages declared Latin-1 and numeric references
 * such as &#146; mean these, never the C1 controls (0 = undefined, dropped). */
static const unsigned short cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The next character of s[0..n) as text for a block: invalid bytes become
 * U+FFFD, C1 controls their windows-1252 meaning; returns -1 for a character
 * to drop (other controls, stray BOMs). *len is set to the bytes consumed. */
static long next_char(const unsigned char *s, size_t n, size_t *len)
{
    long cp;
    *len = utf8_decode(s, n, &cp);
    if (*len == 0) {
        *len = 1;
        return 0xFFFD;
    }
    if (cp >= 0x80 && cp <= 0x9F)
        return cp1252_c1[cp - 0x80] ? (long)cp1252_c1[cp - 0x80] : -1;
    if (cp == 0xFEFF || cp == 0x7F || (cp < 0x20 && !is_ws((int)cp)))
        return -1;
    return cp;
}

/* The same set of spaces pl_blocks_add collapses, so that link byte counts
 * made here survive its collapsing. */
static int is_space_char(long cp)
{
    return (cp < 0x80 && is_ws((int)cp)) || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static int put_char(pl_buf *b, long cp)
{
    return cp < 0x80 ? pl_buf_putc(b, (char)cp) : pl_buf_put_codepoint(b, cp);
}

/* Appends s[0..n) repaired by next_char, white space left as it is. */
static int append_clean(pl_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, len;
    while (i < n) {
        long cp = next_char(u + i, n - i, &len);
        i += len;
        if (cp >= 0 && put_char(b, cp) != 0)
            return -1;
    }
    return 0;
}

/* ---- element and attribute vocabulary ---- */

enum el_type {
    EL_INLINE = 0, /* text flows into the enclosing block (also unknown elements) */
    EL_DROP,       /* never article text */
    EL_ROOT,       /* html, body: blocks that cannot be hidden */
    EL_BLOCK,      /* p, div…: direct text becomes a paragraph */
    EL_ARTICLE,    /* article: a block whose own <header> is kept */
    EL_MAIN,       /* main: like article, and marks everything below as content */
    EL_HEADER,     /* header: page chrome unless inside an article */
    EL_FORM,       /* form: chrome unless it wraps the page (ASP.NET does) */
    EL_HEADING,
    EL_ITEM,
    EL_QUOTE,
    EL_CELL,
    EL_PRE,
    EL_BREAK,
    EL_RULE, /* hr: ends the current block */
    EL_LINK,
    EL_TIME,
    EL_TITLE,
    EL_META
};

static const struct element_rule {
    const char *name;
    unsigned char type, level;
} element_rules[] = {
    {"a", EL_LINK, 0},           {"p", EL_BLOCK, 0},         {"div", EL_BLOCK, 0},
    {"span", EL_INLINE, 0},      {"li", EL_ITEM, 0},         {"td", EL_CELL, 0},
    {"th", EL_CELL, 0},          {"br", EL_BREAK, 0},        {"h1", EL_HEADING, 1},
    {"h2", EL_HEADING, 2},       {"h3", EL_HEADING, 3},      {"h4", EL_HEADING, 4},
    {"h5", EL_HEADING, 5},       {"h6", EL_HEADING, 6},      {"ul", EL_BLOCK, 0},
    {"ol", EL_BLOCK, 0},         {"tr", EL_BLOCK, 0},        {"table", EL_BLOCK, 0},
    {"tbody", EL_BLOCK, 0},      {"thead", EL_BLOCK, 0},     {"tfoot", EL_BLOCK, 0},
    {"section", EL_BLOCK, 0},    {"article", EL_ARTICLE, 0}, {"main", EL_MAIN, 0},
    {"blockquote", EL_QUOTE, 0}, {"pre", EL_PRE, 0},         {"listing", EL_PRE, 0},
    {"xmp", EL_PRE, 0},          {"plaintext", EL_PRE, 0},   {"dl", EL_BLOCK, 0},
    {"dd", EL_BLOCK, 0},         {"dt", EL_BLOCK, 0},        {"figure", EL_BLOCK, 0},
    {"figcaption", EL_BLOCK, 0}, {"address", EL_BLOCK, 0},   {"caption", EL_BLOCK, 0},
    {"center", EL_BLOCK, 0},     {"details", EL_BLOCK, 0},   {"summary", EL_BLOCK, 0},
    {"hgroup", EL_BLOCK, 0},     {"fieldset", EL_BLOCK, 0},  {"legend", EL_BLOCK, 0},
    {"colgroup", EL_BLOCK, 0},   {"hr", EL_RULE, 0},         {"html", EL_ROOT, 0},
    {"body", EL_ROOT, 0},        {"head", EL_BLOCK, 0},      {"header", EL_HEADER, 0},
    {"form", EL_FORM, 0},        {"time", EL_TIME, 0},       {"title", EL_TITLE, 0},
    {"meta", EL_META, 0},        {"script", EL_DROP, 0},     {"style", EL_DROP, 0},
    {"noscript", EL_DROP, 0},    {"template", EL_DROP, 0},   {"svg", EL_DROP, 0},
    {"math", EL_DROP, 0},        {"iframe", EL_DROP, 0},     {"object", EL_DROP, 0},
    {"embed", EL_DROP, 0},       {"applet", EL_DROP, 0},     {"canvas", EL_DROP, 0},
    {"audio", EL_DROP, 0},       {"video", EL_DROP, 0},      {"nav", EL_DROP, 0},
    {"footer", EL_DROP, 0},      {"aside", EL_DROP, 0},      {"button", EL_DROP, 0},
    {"select", EL_DROP, 0},      {"datalist", EL_DROP, 0},   {"textarea", EL_DROP, 0},
    {"input", EL_DROP, 0},       {"label", EL_DROP, 0},      {"menu", EL_DROP, 0},
    {"dialog", EL_DROP, 0},      {"frameset", EL_DROP, 0},   {"noframes", EL_DROP, 0},
    {"rp", EL_DROP, 0},
};

static const struct element_rule *find_rule(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    size_t i;
    if (!name)
        return NULL;
    for (i = 0; i < sizeof element_rules / sizeof element_rules[0]; i++)
        if (ieq(name, element_rules[i].name))
            return &element_rules[i];
    return NULL;
}

/* Markup vocabulary, not page phrases: words site templates put in the class
 * and id of their chrome (menus, banners, share bars, comment threads), matched
 * as parts of class/id tokens. They only set markup_hint, which the
 * boilerplate classifier weighs with the text; nothing is dropped for them.
 * in_article_ok marks words an article also uses for its own parts (its
 * header holds the title and byline), ignored inside an article. */
static const struct chrome_word {
    const char *word;
    int in_article_ok;
} chrome_words[] = {
    {"nav", 0},        {"menu", 0},     {"breadcrumb", 0}, {"sidebar", 0},   {"footer", 0},
    {"header", 1},     {"masthead", 0}, {"banner", 0},     {"cookie", 0},    {"consent", 0},
    {"gdpr", 0},       {"share", 0},    {"social", 0},     {"comment", 0},   {"related", 0},
    {"promo", 0},      {"advert", 0},   {"sponsor", 0},    {"subscribe", 0}, {"newsletter", 0},
    {"signup", 0},     {"login", 0},    {"popup", 0},      {"modal", 0},     {"widget", 0},
    {"pagination", 0}, {"tags", 0},     {"toolbar", 0},    {"outbrain", 0},  {"taboola", 0},
    {"disqus", 0},
};

/* Markup vocabulary of article containers (Readability's idea): a class or id
 * token holding one of these, and no chrome word, marks content; it overrides
 * chrome hints from ancestors. */
static const char *const content_words[] = {"article",   "main",       "content",
                                            "post-body", "story-body", "entry-body"};

/* ARIA roles of landmarks that are never the article. */
static const char *const chrome_roles[] = {"navigation",    "banner", "contentinfo",
                                           "complementary", "search", "dialog",
                                           "alertdialog",   "menu",   "menubar"};

/* Class tokens of text that is only there for screen readers ("opens in a new
 * window"), which would otherwise land in the middle of sentences. */
static const char *const screen_reader_classes[] = {"sr-only", "visually-hidden", "visuallyhidden",
                                                    "screen-reader-text"};

/* The value of attribute name of n, "" for one without a value, NULL when
 * absent. The string belongs to the tree. */
static const char *attr(const xmlNode *n, const char *name)
{
    const xmlAttr *a;
    for (a = n->properties; a; a = a->next) {
        if (!a->name || !ieq((const char *)a->name, name))
            continue;
        if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
            return (const char *)a->children->content;
        return "";
    }
    return NULL;
}

/* Whether style s (CSS declarations) hides the element. */
static int style_hides(const char *s)
{
    static const char *const hiding[] = {"display:none", "visibility:hidden"};
    size_t k;
    for (; *s; s++) {
        for (k = 0; k < 2; k++) {
            const char *p = s, *w = hiding[k];
            while (*w) {
                while (is_ws((unsigned char)*p))
                    p++;
                if (lower((unsigned char)*p) != *w)
                    break;
                p++;
                w++;
            }
            if (!*w)
                return 1;
        }
    }
    return 0;
}

static int is_hidden(const xmlNode *n)
{
    const char *v;
    size_t i;
    v = attr(n, "hidden");
    /* until-found content is collapsed but meant to be read (find in page). */
    if (v && !ieq(v, "until-found"))
        return 1;
    v = attr(n, "aria-hidden");
    if (v && has_token(v, "true"))
        return 1;
    v = attr(n, "style");
    if (v && style_hides(v))
        return 1;
    v = attr(n, "role");
    for (i = 0; v && i < sizeof chrome_roles / sizeof chrome_roles[0]; i++)
        if (has_token(v, chrome_roles[i]))
            return 1;
    v = attr(n, "class");
    for (i = 0; v && i < sizeof screen_reader_classes / sizeof screen_reader_classes[0]; i++)
        if (has_token(v, screen_reader_classes[i]))
            return 1;
    return 0;
}

/* Looks at the class or id tokens in s for chrome and content vocabulary. */
static void scan_vocabulary(const char *s, int in_article, int *chrome, int *content)
{
    const char *tok;
    size_t len, i;
    if (!s)
        return;
    while ((len = next_token(&s, &tok)) > 0) {
        int tok_chrome = 0;
        for (i = 0; i < sizeof chrome_words / sizeof chrome_words[0] && !tok_chrome; i++)
            if (!(in_article && chrome_words[i].in_article_ok) &&
                icontains(tok, len, chrome_words[i].word))
                tok_chrome = 1;
        if (tok_chrome) {
            *chrome = 1;
            continue;
        }
        for (i = 0; i < sizeof content_words / sizeof content_words[0]; i++)
            if (icontains(tok, len, content_words[i]))
                *content = 1;
    }
}

/* Whether n looks like the author's name (rel=author, itemprop=author or an
 * author class such as "author", "post-author", "author-name"). */
static int is_author_element(const xmlNode *n)
{
    static const char *const suffixes[] = {"-author", "_author", "author-name", "author_name",
                                           "authorname"};
    const char *s = attr(n, "class"), *tok;
    size_t len, i;
    if (has_token(attr(n, "rel"), "author") || has_token(attr(n, "itemprop"), "author"))
        return 1;
    while (s && (len = next_token(&s, &tok)) > 0) {
        if (ieq_n(tok, len, "author"))
            return 1;
        for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
            if (iends(tok, len, suffixes[i]))
                return 1;
    }
    return 0;
}

/* Calls visit for n and every node below it in document order, without
 * recursion. Returns 1 as soon as visit returns nonzero, 2 when limit nodes
 * were seen first, 0 when the whole subtree was visited. */
static int each_below(const xmlNode *n, size_t limit, int (*visit)(const xmlNode *, void *),
                      void *arg)
{
    const xmlNode *cur = n;
    size_t seen = 0;
    while (cur) {
        if (visit(cur, arg))
            return 1;
        if (++seen >= limit)
            return 2;
        if (cur->children && cur->type == XML_ELEMENT_NODE) {
            cur = cur->children;
            continue;
        }
        while (cur != n && !cur->next)
            cur = cur->parent;
        if (cur == n)
            return 0;
        cur = cur->next;
    }
    return 0;
}

static int marks_page_body(const xmlNode *n, void *arg)
{
    const char *name = (const char *)n->name;
    (void)arg;
    if (n->type != XML_ELEMENT_NODE || !name)
        return 0;
    return ieq(name, "h1") || ieq(name, "article") || ieq(name, "main") ||
           has_token(attr(n, "role"), "main");
}

/* A form holding the page's h1, article or main wraps the page (ASP.NET
 * WebForms put everything in one); past 10,000 nodes it is a page too. */
static int form_wraps_page(const xmlNode *form)
{
    return each_below(form, 10000, marks_page_body, NULL) != 0;
}

struct gather {
    pl_buf *buf;
    size_t limit;
    int failed;
};

static int gather_text(const xmlNode *n, void *arg)
{
    struct gather *g = arg;
    if (n->type != XML_TEXT_NODE || !n->content)
        return 0;
    if (append_clean(g->buf, (const char *)n->content, strlen((const char *)n->content)) != 0) {
        g->failed = 1;
        return 1;
    }
    return g->buf->len >= g->limit;
}

/* ---- the walk ---- */

enum meta_slot {
    SLOT_TITLE_TAG,
    SLOT_TITLE_OG,
    SLOT_AUTHOR_META,
    SLOT_AUTHOR_ARTICLE,
    SLOT_AUTHOR_ELEMENT,
    SLOT_DATE_PUBLISHED,
    SLOT_DATE_META,
    SLOT_DATE_TIME,
    SLOT_SOURCE,
    SLOT_COUNT
};

/* <meta> keys (name, property or itemprop) that carry metadata. */
static const struct meta_key {
    const char *key;
    int slot;
} meta_keys[] = {
    {"og:title", SLOT_TITLE_OG},
    {"author", SLOT_AUTHOR_META},
    {"article:author", SLOT_AUTHOR_ARTICLE},
    {"article:published_time", SLOT_DATE_PUBLISHED},
    {"date", SLOT_DATE_META},
    {"dc.date", SLOT_DATE_META},
    {"dcterms.date", SLOT_DATE_META},
    {"datepublished", SLOT_DATE_META},
    {"og:site_name", SLOT_SOURCE},
};

/* What the text met in the current element becomes, and what elements below
 * inherit. Saved on entering each element and restored when it closes. */
typedef struct context {
    pl_block_kind kind;  /* kind of the innermost block's direct text */
    int level;           /* its heading level */
    int block_hint;      /* markup hint of the innermost block */
    pl_block_kind inner; /* what paragraphs become inside a list item or quote */
    int hint;            /* chrome hint passed down to descendants */
    int in_article;      /* inside article/main (or a content class) */
    int links;           /* open <a href> elements */
    int pre;             /* open <pre> elements */
} context;

typedef struct frame {
    context saved;
    int closes_block;
} frame;

typedef struct walker {
    pl_blocks *out;
    pl_error *err;
    context ctx;
    frame *frames; /* one per open element being walked: the tree may be deep */
    size_t depth, cap;
    pl_buf text;       /* the block being built, already collapsed and trimmed */
    size_t link_bytes; /* bytes of text that came from inside links */
    int space;         /* a space is due before the next character */
    int space_in_link; /* …and it was met inside a link */
    int br_run;        /* <br> elements since the last character */
    int have_title;    /* a TITLE block exists */
    char *found[SLOT_COUNT];
} walker;

static pl_status nomem(walker *w)
{
    return pl_error_set(w->err, PL_ERR_NOMEM, "out of memory");
}

/* Ends the block being built, adding it with the current context's kind. */
static pl_status flush(walker *w)
{
    pl_block_kind kind = w->ctx.kind;
    pl_status st = PL_OK;
    int added = 0;
    if (w->text.len > 0) {
        if (kind == PL_BLOCK_TITLE && w->have_title)
            kind = PL_BLOCK_HEADING;
        st = pl_blocks_add(w->out, kind, w->text.data, w->text.len, &added, w->err);
    }
    if (added) {
        pl_block *b = &w->out->items[w->out->count - 1];
        size_t len = b->end - b->start;
        if (kind == PL_BLOCK_TITLE || kind == PL_BLOCK_HEADING)
            b->heading_level = w->ctx.level;
        b->link_bytes = w->link_bytes < len ? w->link_bytes : len;
        b->markup_hint = w->ctx.block_hint;
        if (kind == PL_BLOCK_TITLE)
            w->have_title = 1;
    }
    pl_buf_reset(&w->text);
    w->link_bytes = 0;
    w->space = 0;
    w->br_run = 0;
    return st;
}

/* Adds text from the page to the block being built: collapsed as it goes
 * (so that link bytes are counted as they will be stored), raw inside pre. */
static pl_status add_text(walker *w, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, len;
    while (i < n) {
        long cp = next_char(u + i, n - i, &len);
        size_t before = w->text.len;
        i += len;
        if (cp < 0)
            continue;
        if (w->ctx.pre) {
            if (put_char(&w->text, cp) != 0)
                return nomem(w);
            if (w->ctx.links)
                w->link_bytes += w->text.len - before;
            continue;
        }
        if (is_space_char(cp)) {
            if (w->text.len > 0 && !w->space) {
                w->space = 1;
                w->space_in_link = w->ctx.links > 0;
            }
            continue;
        }
        if (w->space) {
            if (pl_buf_putc(&w->text, ' ') != 0)
                return nomem(w);
            if (w->space_in_link && w->ctx.links)
                w->link_bytes++;
            w->space = 0;
            before = w->text.len;
        }
        if (put_char(&w->text, cp) != 0)
            return nomem(w);
        if (w->ctx.links)
            w->link_bytes += w->text.len - before;
        w->br_run = 0;
    }
    return PL_OK;
}

/* A <br> is a space, a line break inside pre, and two in a row end a
 * paragraph (pages written as "text<br><br>text" have no other structure). */
static pl_status add_break(walker *w)
{
    if (w->ctx.pre)
        return pl_buf_putc(&w->text, '\n') == 0 ? PL_OK : nomem(w);
    if (w->br_run > 0 && w->text.len > 0)
        return flush(w);
    w->br_run++;
    if (w->text.len > 0 && !w->space) {
        w->space = 1;
        w->space_in_link = 0;
    }
    return PL_OK;
}

static pl_status set_slot(walker *w, int slot, const char *s)
{
    /* Attribute values can hold invalid UTF-8 from libxml2 (an unquoted
     * value ending the input mid-character): repaired like text nodes. */
    pl_buf clean = PL_BUF_INIT;
    pl_status st;
    if (append_clean(&clean, s, strlen(s)) != 0) {
        pl_buf_free(&clean);
        return nomem(w);
    }
    st = pl_blocks_set_meta(&w->found[slot], clean.data ? clean.data : "", clean.len, w->err);
    pl_buf_free(&clean);
    return st;
}

static pl_status read_meta(walker *w, const xmlNode *n)
{
    static const char *const key_attrs[] = {"name", "property", "itemprop"};
    const char *content = attr(n, "content");
    size_t a, k;
    if (!content || !*content)
        return PL_OK;
    for (a = 0; a < sizeof key_attrs / sizeof key_attrs[0]; a++) {
        const char *key = attr(n, key_attrs[a]);
        if (!key)
            continue;
        for (k = 0; k < sizeof meta_keys / sizeof meta_keys[0]; k++) {
            pl_status st;
            if (!ieq(key, meta_keys[k].key))
                continue;
            /* Facebook's article:author is usually a profile URL, not a name. */
            if (meta_keys[k].slot == SLOT_AUTHOR_ARTICLE &&
                (istarts(content, strlen(content), "http:") ||
                 istarts(content, strlen(content), "https:")))
                continue;
            if ((st = set_slot(w, meta_keys[k].slot, content)) != PL_OK)
                return st;
        }
    }
    return PL_OK;
}

/* Puts the text of element n (at most limit bytes are read) into *slot,
 * collapsed; leaves *slot alone when the text is empty. */
static pl_status read_element_text(walker *w, const xmlNode *n, size_t limit, char **slot)
{
    pl_buf buf = PL_BUF_INIT;
    struct gather g;
    pl_status st;
    g.buf = &buf;
    g.limit = limit;
    g.failed = 0;
    each_below(n, 1000, gather_text, &g);
    if (g.failed) {
        pl_buf_free(&buf);
        return nomem(w);
    }
    st = pl_blocks_set_meta(slot, buf.data ? buf.data : "", buf.len, w->err);
    pl_buf_free(&buf);
    return st;
}

/* A byline element gives the author when its text is short enough to be a
 * name; a leading "By" is dropped. */
static pl_status read_author_element(walker *w, const xmlNode *n)
{
    char *name = NULL;
    size_t len, skip = 0;
    pl_status st = read_element_text(w, n, 200, &name);
    if (st != PL_OK || !name)
        return st;
    len = strlen(name);
    if (istarts(name, len, "by ")) {
        skip = 3;
        while (skip < len && name[skip] == ' ')
            skip++;
    }
    if (len - skip > 0 && len - skip <= 80)
        st = pl_blocks_set_meta(&w->found[SLOT_AUTHOR_ELEMENT], name + skip, len - skip, w->err);
    pl_free(name);
    return st;
}

static int is_block_type(int type)
{
    return type != EL_INLINE && type != EL_LINK && type != EL_TIME;
}

/* Works out what n changes in the context c of its content. */
static void enter_context(context *c, const xmlNode *n, const struct element_rule *rule)
{
    int type = rule ? rule->type : EL_INLINE, chrome = 0, content = 0;
    const char *role = attr(n, "role");
    scan_vocabulary(attr(n, "class"), c->in_article, &chrome, &content);
    scan_vocabulary(attr(n, "id"), c->in_article, &chrome, &content);
    /* <article> alone says nothing of chrome (teaser cards use it); the one
     * main landmark does. */
    if (type == EL_MAIN || has_token(role, "main"))
        content = 1;
    if (content) {
        c->hint = 0;
        c->in_article = 1;
    } else if (chrome) {
        c->hint = 1;
    }
    if (type == EL_ARTICLE || has_token(role, "article"))
        c->in_article = 1;
    switch (type) {
    case EL_HEADING:
        c->kind = rule->level == 1 ? PL_BLOCK_TITLE : PL_BLOCK_HEADING;
        c->level = rule->level;
        break;
    case EL_ITEM:
        c->kind = c->inner = PL_BLOCK_ITEM;
        break;
    case EL_QUOTE:
        c->kind = c->inner = PL_BLOCK_QUOTE;
        break;
    case EL_CELL:
        /* Paragraphs in a cell stay paragraphs: layout tables hold articles. */
        c->kind = PL_BLOCK_CELL;
        c->inner = PL_BLOCK_PARAGRAPH;
        break;
    case EL_PRE:
        c->kind = PL_BLOCK_PRE;
        c->pre++;
        break;
    case EL_LINK:
        if (attr(n, "href"))
            c->links++;
        break;
    default:
        if (is_block_type(type))
            c->kind = c->inner;
        break;
    }
    if (is_block_type(type)) {
        if (c->kind != PL_BLOCK_TITLE && c->kind != PL_BLOCK_HEADING)
            c->level = 0;
        c->block_hint = c->hint;
    }
}

/* Handles element n as the walk reaches it; sets *descend when its children
 * are to be walked (a frame was pushed and leave() must follow). */
static pl_status enter(walker *w, const xmlNode *n, int *descend)
{
    const struct element_rule *rule = find_rule(n);
    int type = rule ? rule->type : EL_INLINE;
    context c;
    pl_status st;
    *descend = 0;
    if (type == EL_DROP || (type != EL_ROOT && is_hidden(n)))
        return PL_OK;
    if (type == EL_HEADER && !w->ctx.in_article)
        return PL_OK;
    if (type == EL_FORM && !form_wraps_page(n))
        return PL_OK;
    switch (type) {
    case EL_TITLE:
        return read_element_text(w, n, 4096, &w->found[SLOT_TITLE_TAG]);
    case EL_META:
        return read_meta(w, n);
    case EL_BREAK:
        return add_break(w);
    case EL_RULE:
        return flush(w);
    case EL_TIME: {
        const char *when = attr(n, "datetime");
        if (when && (st = set_slot(w, SLOT_DATE_TIME, when)) != PL_OK)
            return st;
        break;
    }
    default:
        break;
    }
    if (!w->found[SLOT_AUTHOR_ELEMENT] && is_author_element(n) &&
        (st = read_author_element(w, n)) != PL_OK)
        return st;
    if (is_block_type(type) && (st = flush(w)) != PL_OK)
        return st;
    if (!n->children)
        return PL_OK;
    c = w->ctx;
    enter_context(&c, n, rule);
    if (pl_grow((void **)&w->frames, &w->cap, w->depth + 1, sizeof *w->frames) != 0)
        return nomem(w);
    w->frames[w->depth].saved = w->ctx;
    w->frames[w->depth].closes_block = is_block_type(type);
    w->depth++;
    w->ctx = c;
    *descend = 1;
    return PL_OK;
}

/* Closes the innermost element being walked. */
static pl_status leave(walker *w)
{
    frame *f = &w->frames[--w->depth];
    pl_status st = f->closes_block ? flush(w) : PL_OK;
    w->ctx = f->saved;
    return st;
}

static pl_status walk(walker *w, const xmlNode *first)
{
    const xmlNode *n = first;
    pl_status st;
    while (n) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE) {
            if ((st = enter(w, n, &descend)) != PL_OK)
                return st;
        } else if (n->type == XML_TEXT_NODE && n->content) {
            if ((st = add_text(w, (const char *)n->content, strlen((const char *)n->content))) !=
                PL_OK)
                return st;
        }
        if (descend) {
            n = n->children;
            continue;
        }
        while (!n->next) {
            if (w->depth == 0)
                return flush(w);
            n = n->parent;
            if ((st = leave(w)) != PL_OK)
                return st;
        }
        n = n->next;
    }
    return flush(w);
}

/* Moves the first found value among slots into *field unless it is set. */
static void take_first(char **field, char **found, const int *slots, size_t count)
{
    size_t i;
    for (i = 0; i < count && !*field; i++) {
        if (found[slots[i]]) {
            *field = found[slots[i]];
            found[slots[i]] = NULL;
        }
    }
}

static void take_metadata(pl_blocks *out, char **found)
{
    static const int title[] = {SLOT_TITLE_TAG, SLOT_TITLE_OG};
    static const int author[] = {SLOT_AUTHOR_META, SLOT_AUTHOR_ARTICLE, SLOT_AUTHOR_ELEMENT};
    static const int date[] = {SLOT_DATE_PUBLISHED, SLOT_DATE_META, SLOT_DATE_TIME};
    static const int source[] = {SLOT_SOURCE};
    take_first(&out->title, found, title, sizeof title / sizeof title[0]);
    take_first(&out->author, found, author, sizeof author / sizeof author[0]);
    take_first(&out->date, found, date, sizeof date / sizeof date[0]);
    take_first(&out->source, found, source, 1);
}

static void quiet_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Parses s[0..n) with libxml2's error output silenced: with NOERROR it still
 * prints encoding errors through the thread's generic handler, and a library
 * inside an editor must not write to stderr. The handlers are restored. */
static htmlDocPtr parse(const char *s, size_t n)
{
    xmlGenericErrorFunc generic = xmlGenericError;
    void *generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc structured = xmlStructuredError;
    void *structured_ctx = xmlStructuredErrorContext;
    htmlDocPtr doc;
    /* HUGE lifts libxml2's nesting limit of 256, past which it stops parsing
     * and loses the rest of the page; the walk below does not recurse. */
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                  HTML_PARSE_NONET | HTML_PARSE_COMPACT | XML_PARSE_HUGE;
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, quiet_error);
    xmlSetStructuredErrorFunc(NULL, NULL);
    doc = htmlReadMemory(s, (int)n, NULL, choose_encoding(s, n), options);
    xmlSetGenericErrorFunc(generic_ctx, generic);
    xmlSetStructuredErrorFunc(structured_ctx, structured);
    return doc;
}

static pl_status html_to_blocks(const char *s, size_t n, pl_blocks *out, pl_error *err)
{
    walker w;
    htmlDocPtr doc;
    size_t count0, len0, i;
    pl_status st;
    if (!out || (!s && n > 0))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no input buffer or block list");
    if (n > INT_MAX)
        return pl_error_set(err, PL_ERR_TOO_LARGE, "HTML input is %zu bytes; the limit is %d", n,
                            INT_MAX);
    for (i = 0; i < n && is_ws((unsigned char)s[i]); i++)
        ;
    if (i == n)
        return PL_OK;
    doc = parse(s, n);
    if (!doc)
        return pl_error_set(err, PL_ERR_PARSE, "libxml2 could not parse the HTML");

    memset(&w, 0, sizeof w);
    w.out = out;
    w.err = err;
    w.ctx.kind = w.ctx.inner = PL_BLOCK_PARAGRAPH;
    for (i = 0; i < out->count; i++)
        if (out->items[i].kind == PL_BLOCK_TITLE)
            w.have_title = 1;
    count0 = out->count;
    len0 = out->text.len;
    st = walk(&w, doc->children);
    if (st == PL_OK) {
        take_metadata(out, w.found);
    } else {
        /* Leave the list as it was: no half page. */
        out->count = count0;
        out->text.len = len0;
        if (out->text.data)
            out->text.data[len0] = '\0';
    }
    for (i = 0; i < SLOT_COUNT; i++)
        pl_free(w.found[i]);
    pl_free(w.frames);
    pl_buf_free(&w.text);
    xmlFreeDoc(doc);
    return st;
}

pl_status pl_html_to_blocks(const char *s, size_t n, pl_blocks *out, pl_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    pl_buf utf8 = PL_BUF_INIT;
    pl_status st;
    /* UTF-16 (with a byte-order mark) is converted here, as for plain
     * text: libxml2 gives up on the whole page at one unpaired surrogate,
     * where the conversion puts one U+FFFD. */
    if (!s || n < 2 || !((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return html_to_blocks(s, n, out, err);
    if (pl_utf8_sanitize(s, n, &utf8, NULL, err) != PL_OK)
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    st = html_to_blocks(utf8.data ? utf8.data : "", utf8.len, out, err);
    pl_buf_free(&utf8);
    return st;
}
