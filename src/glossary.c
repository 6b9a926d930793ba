/* Reading, writing and merging the glossary file (the format is described in
 * glossary.h and doc/glossary-format.md). Lines go through a small Markdown
 * block scanner so that "## " inside code, comments or front matter is text,
 * and the writer checks everything it emits would read back the same. */
#include "glossary.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "alloc.h"
#include "buf.h"
#include "utf8.h"

/* ---- Small text helpers ---- */

static int is_blank_char(char c)
{
    return c == ' ' || c == '\t';
}

static int is_blank_line(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!is_blank_char(s[i]))
            return 0;
    return 1;
}

static int is_ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ascii_alnum(char c)
{
    return is_ascii_alpha(c) || (c >= '0' && c <= '9');
}

static int is_ascii_punct(char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether s[0..n) equals the lowercase ASCII word, ignoring ASCII case. */
static int equals_word(const char *s, size_t n, const char *word)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (word[i] == '\0' || ascii_lower(s[i]) != word[i])
            return 0;
    return word[n] == '\0';
}

/* Trims spaces and tabs on both sides. */
static void trim(const char **s, size_t *n)
{
    while (*n && is_blank_char(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_blank_char((*s)[*n - 1]))
        (*n)--;
}

static int has_line_break(const char *s, size_t n)
{
    return memchr(s, '\n', n) != NULL || memchr(s, '\r', n) != NULL;
}

static int contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;
    for (i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0)
            return 1;
    return 0;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 when there is
 * none (overlong forms, surrogates and values above U+10FFFF are not). */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
            return 0;
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

static int32_t decode_sequence(const unsigned char *s, size_t len)
{
    switch (len) {
    case 1:
        return s[0];
    case 2:
        return (int32_t)(((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu));
    case 3:
        return (int32_t)(((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu));
    default:
        return (int32_t)(((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
                         (s[3] & 0x3Fu));
    }
}

/* Offset of the first byte that is NUL or not valid UTF-8, or n. */
static size_t first_bad_byte(const char *s, size_t n, int *is_nul)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, len;
    while (i < n) {
        if (u[i] == 0) {
            *is_nul = 1;
            return i;
        }
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        len = utf8_sequence(u + i, n - i);
        if (!len) {
            *is_nul = 0;
            return i;
        }
        i += len;
    }
    return n;
}

static int text_is_clean(const char *s, size_t n)
{
    int nul;
    return first_bad_byte(s, n, &nul) == n;
}

/* The next line of text[0..len) from *pos, without its break (LF, CRLF or a
 * lone CR, as CommonMark has them). Returns 0 at the end of the text, so a
 * final line break does not make an empty last line. */
static int next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n)
{
    size_t i = *pos, start = *pos;
    if (i >= len)
        return 0;
    while (i < len && text[i] != '\n' && text[i] != '\r')
        i++;
    *line = text + start;
    *n = i - start;
    if (i < len)
        i += text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
    *pos = i;
    return 1;
}

/* 1-based number of the line holding text[offset], counted as next_line
 * splits lines. */
static size_t line_number_at(const char *text, size_t len, size_t offset)
{
    size_t line = 1, i;
    for (i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
            line++;
    }
    return line;
}

/* Copies at most max bytes of s for a message, not cutting a UTF-8 sequence. */
static void excerpt(char *out, size_t size, const char *s, size_t n, size_t max)
{
    size_t shown = n;
    if (shown > max) {
        shown = max;
        while (shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
            shown--;
    }
    snprintf(out, size, "%.*s%s", (int)shown, s, shown < n ? "…" : "");
}

/* ---- A string array that grows by doubling ---- */

typedef struct strvec {
    char **items;
    size_t count;
    size_t cap;
} strvec;

static int strvec_push(strvec *v, const char *s, size_t n)
{
    char *copy;
    if (pl_grow((void **)&v->items, &v->cap, v->count + 1, sizeof *v->items) != 0)
        return -1;
    copy = pl_strndup(s, n);
    if (!copy)
        return -1;
    v->items[v->count++] = copy;
    return 0;
}

static void free_strings(char **items, size_t count)
{
    size_t i;
    if (!items)
        return;
    for (i = 0; i < count; i++)
        pl_free(items[i]);
    pl_free(items);
}

static void strvec_free(strvec *v)
{
    free_strings(v->items, v->count);
    v->items = NULL;
    v->count = v->cap = 0;
}

/* Appends a copy of s to an array whose capacity is its count. */
static pl_status push_string(char ***items, size_t *count, const char *s, size_t n, pl_error *err)
{
    strvec v;
    v.items = *items;
    v.count = *count;
    v.cap = *count;
    if (strvec_push(&v, s, n) != 0) {
        *items = v.items; /* pl_grow may have moved it */
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    }
    *items = v.items;
    *count = v.count;
    return PL_OK;
}

/* ---- A string-keyed hash map (open addressing) ---- */

typedef struct map_slot {
    char *key; /* NULL: empty */
    size_t len;
    size_t value;
} map_slot;

typedef struct str_map {
    map_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t count;
} str_map;

static size_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return (size_t)(h ^ (h >> 32));
}

static map_slot *map_slot_for(const str_map *m, const char *k, size_t n)
{
    size_t i = hash_bytes(k, n) & (m->cap - 1);
    for (;;) {
        map_slot *slot = &m->slots[i];
        if (!slot->key || (slot->len == n && memcmp(slot->key, k, n) == 0))
            return slot;
        i = (i + 1) & (m->cap - 1);
    }
}

static map_slot *map_get(const str_map *m, const char *k, size_t n)
{
    map_slot *slot;
    if (!m->cap)
        return NULL;
    slot = map_slot_for(m, k, n);
    return slot->key ? slot : NULL;
}

/* Sets m[k] = value, copying k. Returns 0 or -1 (out of memory). */
static int map_put(str_map *m, const char *k, size_t n, size_t value)
{
    map_slot *slot;
    if ((m->count + 1) * 2 > m->cap) {
        str_map bigger;
        size_t i;
        bigger.cap = m->cap ? m->cap * 2 : 64;
        bigger.count = m->count;
        bigger.slots = pl_calloc(bigger.cap, sizeof *bigger.slots);
        if (!bigger.slots)
            return -1;
        for (i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                *map_slot_for(&bigger, m->slots[i].key, m->slots[i].len) = m->slots[i];
        pl_free(m->slots);
        *m = bigger;
    }
    slot = map_slot_for(m, k, n);
    if (!slot->key) {
        slot->key = pl_strndup(k, n);
        if (!slot->key)
            return -1;
        slot->len = n;
        m->count++;
    }
    slot->value = value;
    return 0;
}

static void map_free(str_map *m)
{
    size_t i;
    for (i = 0; i < m->cap; i++)
        pl_free(m->slots[i].key);
    pl_free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

/* ---- Markdown lines ---- */

/* Columns of indentation, 4 as soon as a tab or a fourth space comes: the
 * callers only need to know whether a line is indented less than 4. */
static size_t indent_of(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 4 && s[i] == ' ')
        i++;
    if (i < n && i < 4 && s[i] == '\t')
        return 4;
    return i;
}

/* What the block scanner carries from line to line. */
typedef struct md_state {
    char fence;       /* '`' or '~' inside fenced code, else 0 */
    size_t fence_len; /* length of the opening fence */
    int comment;      /* inside an HTML comment block */
    size_t open_line; /* where the fence or comment opened */
} md_state;

/* Feeds one line to the scanner. Returns 1 for an ordinary line, 0 for one
 * that opens, continues or closes fenced code or an HTML comment (CommonMark
 * rules: fences of 3+ backticks or tildes indented less than 4, closed by a
 * fence of the same character at least as long; "<!--" up to "-->"). */
static int md_feed(md_state *st, const char *s, size_t n, size_t line_no)
{
    size_t i, run = 0;
    if (st->fence) {
        i = indent_of(s, n);
        if (i < 4) {
            while (i < n && s[i] == st->fence) {
                i++;
                run++;
            }
            if (run >= st->fence_len && is_blank_line(s + i, n - i))
                st->fence = 0;
        }
        return 0;
    }
    if (st->comment) {
        if (contains(s, n, "-->"))
            st->comment = 0;
        return 0;
    }
    i = indent_of(s, n);
    if (i >= 4)
        return 1;
    if (i < n && (s[i] == '`' || s[i] == '~')) {
        char c = s[i];
        while (i < n && s[i] == c) {
            i++;
            run++;
        }
        /* A backtick fence's info string cannot hold a backtick (it would be
         * an inline code span). */
        if (run >= 3 && (c == '~' || !memchr(s + i, '`', n - i))) {
            st->fence = c;
            st->fence_len = run;
            st->open_line = line_no;
            return 0;
        }
        return 1;
    }
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
        if (!contains(s + i + 4, n - i - 4, "-->")) {
            st->comment = 1;
            st->open_line = line_no;
        }
        return 0;
    }
    return 1;
}

/* If s[0..n) is an ATX heading, returns its level (1-6) and stores its text
 * (trimmed, without the optional closing run of '#'); else returns 0. */
static int atx_heading(const char *s, size_t n, const char **text, size_t *text_len)
{
    size_t i = indent_of(s, n), level = 0, end, j;
    if (i >= 4)
        return 0;
    while (i < n && s[i] == '#' && level < 7) {
        i++;
        level++;
    }
    if (level == 0 || level > 6 || (i < n && !is_blank_char(s[i])))
        return 0;
    while (i < n && is_blank_char(s[i]))
        i++;
    end = n;
    while (end > i && is_blank_char(s[end - 1]))
        end--;
    j = end;
    while (j > i && s[j - 1] == '#')
        j--;
    if (j < end && (j == i || is_blank_char(s[j - 1]))) {
        end = j;
        while (end > i && is_blank_char(s[end - 1]))
            end--;
    }
    *text = s + i;
    *text_len = end - i;
    return (int)level;
}

/* Number of lines of the YAML (---) or TOML (+++) front matter that opens
 * text, closing line included; 0 when there is none (or it never closes, as
 * GitHub then shows a thematic break). */
static size_t front_matter_lines(const char *text, size_t len)
{
    const char *s;
    size_t n, pos = 0, lines = 1;
    char c;
    if (!next_line(text, len, &pos, &s, &n) || n < 3)
        return 0;
    c = s[0];
    if ((c != '-' && c != '+') || s[1] != c || s[2] != c || !is_blank_line(s + 3, n - 3))
        return 0;
    while (next_line(text, len, &pos, &s, &n)) {
        lines++;
        if (n >= 3 && s[0] == c && s[1] == c && s[2] == c && is_blank_line(s + 3, n - 3))
            return lines;
        if (c == '-' && n >= 3 && memcmp(s, "...", 3) == 0 && is_blank_line(s + 3, n - 3))
            return lines;
    }
    return 0;
}

typedef enum key_id {
    KEY_NONE, /* not a "Key: value" line */
    KEY_OTHER,
    KEY_ALIASES,
    KEY_CASE,
    KEY_KIND,
    KEY_SOURCE,
    KEY_EXCLUDE
} key_id;

#define MAX_KEY_BYTES 32

/* Whether s[0..n) is a "Key: value" line: at the line start, a key of one to
 * three words of ASCII letters, digits, '_' and '-' (starting with a letter,
 * one space between words, at most 32 bytes), then ':' and a space, a tab or
 * the line end. Plain prose rarely looks like that, and a URL never does
 * ("https:" is followed by '/'). Stores the key and the trimmed value. */
static int key_line(const char *s, size_t n, key_id *key, const char **value, size_t *value_len)
{
    size_t i = 0, words = 1;
    if (n == 0 || !is_ascii_alpha(s[0]))
        return 0;
    while (i < n && i <= MAX_KEY_BYTES) {
        if (is_ascii_alnum(s[i]) || s[i] == '_' || s[i] == '-')
            i++;
        else if (s[i] == ' ' && words < 3 && i + 1 < n && is_ascii_alnum(s[i + 1])) {
            words++;
            i++;
        } else
            break;
    }
    if (i > MAX_KEY_BYTES || i >= n || s[i] != ':' || (i + 1 < n && !is_blank_char(s[i + 1])))
        return 0;
    if (key) {
        if (equals_word(s, i, "aliases") || equals_word(s, i, "alias"))
            *key = KEY_ALIASES;
        else if (equals_word(s, i, "case"))
            *key = KEY_CASE;
        else if (equals_word(s, i, "kind"))
            *key = KEY_KIND;
        else if (equals_word(s, i, "source"))
            *key = KEY_SOURCE;
        else if (equals_word(s, i, "exclude"))
            *key = KEY_EXCLUDE;
        else
            *key = KEY_OTHER;
    }
    if (value) {
        *value = s + i + 1;
        *value_len = n - i - 1;
        trim(value, value_len);
    }
    return 1;
}

static key_id key_of(const char *s, size_t n)
{
    key_id key;
    return key_line(s, n, &key, NULL, NULL) ? key : KEY_NONE;
}

static int is_known_meta(key_id key)
{
    return key == KEY_ALIASES || key == KEY_CASE || key == KEY_KIND;
}

/* The next comma-separated item of s[0..n) from *pos, trimmed; empty items
 * are skipped. Returns 0 when there are no more. */
static int next_item(const char *s, size_t n, size_t *pos, const char **item, size_t *item_len)
{
    while (*pos < n) {
        size_t start = *pos, end = start;
        while (end < n && s[end] != ',')
            end++;
        *pos = end < n ? end + 1 : end;
        *item = s + start;
        *item_len = end - start;
        trim(item, item_len);
        if (*item_len)
            return 1;
    }
    return 0;
}

static const char *const CASE_NAMES[] = {"insensitive", "capitalized", "exact"};
static const char *const KIND_NAMES[] = {NULL, "quoted", "name", "acronym", "phrase"};

static int parse_case(const char *s, size_t n, pl_case_policy *policy)
{
    int i;
    for (i = 0; i < 3; i++)
        if (equals_word(s, n, CASE_NAMES[i])) {
            *policy = (pl_case_policy)i;
            return 1;
        }
    return 0;
}

static int parse_kind(const char *s, size_t n, pl_glossary_kind *kind)
{
    int i;
    for (i = 1; i < 5; i++)
        if (equals_word(s, n, KIND_NAMES[i])) {
            *kind = (pl_glossary_kind)i;
            return 1;
        }
    return 0;
}

const char *pl_glossary_kind_name(pl_glossary_kind kind)
{
    return kind > PL_GLOSSARY_KIND_UNSET && kind <= PL_GLOSSARY_KIND_PHRASE ? KIND_NAMES[kind]
                                                                            : NULL;
}

const char *pl_glossary_case_name(pl_case_policy policy)
{
    return policy <= PL_CASE_EXACT ? CASE_NAMES[policy] : "insensitive";
}

/* ---- Sources ---- */

typedef struct source_form {
    const char *title; /* as written, escapes still in; NULL when none */
    size_t title_len;
    const char *url;
    size_t url_len;
    size_t sentence;
} source_form;

#define MAX_SENTENCE 999999999u

/* Reads "[title](url)" or "<url>", then optionally ", sentence N", filling
 * f. Returns 0 when the text has another form (it is then kept as text). */
static int read_source_form(const char *s, size_t n, source_form *f)
{
    size_t i, depth, digits;
    memset(f, 0, sizeof *f);
    if (n == 0)
        return 0;
    if (s[0] == '[') {
        for (i = 1, depth = 1; i < n && depth; i++) {
            if (s[i] == '\\' && i + 1 < n && is_ascii_punct(s[i + 1]))
                i++;
            else if (s[i] == '[')
                depth++;
            else if (s[i] == ']')
                depth--;
        }
        if (depth || i >= n || s[i] != '(')
            return 0;
        f->title = s + 1;
        f->title_len = i - 2;
        f->url = s + i + 1;
        for (i++, depth = 0; i < n; i++) {
            if (s[i] == '(')
                depth++;
            else if (s[i] == ')' && depth == 0)
                break;
            else if (s[i] == ')')
                depth--;
            else if ((unsigned char)s[i] <= ' ' || s[i] == '<' || s[i] == '>')
                return 0;
        }
        if (i >= n)
            return 0;
        f->url_len = (size_t)(s + i - f->url);
        i++;
    } else if (s[0] == '<') {
        for (i = 1; i < n && s[i] != '>'; i++)
            if ((unsigned char)s[i] <= ' ' || s[i] == '<')
                return 0;
        if (i >= n)
            return 0;
        f->url = s + 1;
        f->url_len = i - 1;
        i++;
    } else
        return 0;
    if (f->url_len == 0)
        return 0;
    if (i == n)
        return 1;
    if (s[i] != ',')
        return 0;
    for (i++; i < n && is_blank_char(s[i]); i++)
        ;
    if (n - i < 9 || !equals_word(s + i, 8, "sentence") || !is_blank_char(s[i + 8]))
        return 0;
    for (i += 8; i < n && is_blank_char(s[i]); i++)
        ;
    for (digits = 0; i < n && s[i] >= '0' && s[i] <= '9' && digits < 9; i++, digits++)
        f->sentence = f->sentence * 10 + (size_t)(s[i] - '0');
    return digits > 0 && i == n && f->sentence > 0;
}

/* Appends the title as Markdown link text writes it, with escapes removed. */
static int unescape_title(pl_buf *out, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && is_ascii_punct(s[i + 1]))
            i++;
        if (pl_buf_putc(out, s[i]) != 0)
            return -1;
    }
    return 0;
}

/* Fills src's fields from its text (src->text set, fields empty). */
static int fill_source_fields(pl_glossary_source *src)
{
    source_form f;
    pl_buf title = PL_BUF_INIT;
    if (!read_source_form(src->text, strlen(src->text), &f))
        return 0;
    if (f.title) {
        if (unescape_title(&title, f.title, f.title_len) != 0)
            return -1;
        src->title = pl_buf_detach(&title, NULL);
        if (!src->title)
            return -1;
    }
    src->url = pl_strndup(f.url, f.url_len);
    if (!src->url)
        return -1;
    src->sentence = f.sentence;
    return 0;
}

static void source_clear(pl_glossary_source *src)
{
    pl_free(src->text);
    pl_free(src->title);
    pl_free(src->url);
    memset(src, 0, sizeof *src);
}

/* Whether the source's text says what its fields say (true when it has no
 * fields: the text is then all there is). */
static int source_text_agrees(const pl_glossary_source *src, pl_buf *tmp)
{
    source_form f;
    if (!src->title && !src->url && !src->sentence)
        return 1;
    if (!read_source_form(src->text, strlen(src->text), &f) || !src->url ||
        f.url_len != strlen(src->url) || memcmp(f.url, src->url, f.url_len) != 0 ||
        f.sentence != src->sentence || !f.title != !src->title)
        return 0;
    if (!f.title)
        return 1;
    pl_buf_reset(tmp);
    if (unescape_title(tmp, f.title, f.title_len) != 0)
        return -1;
    return tmp->len == strlen(src->title) &&
           memcmp(tmp->data ? tmp->data : "", src->title, tmp->len) == 0;
}

/* Whether a URL can stand in "(url)" and "<url>" and read back the same. */
static int url_is_writable(const char *url)
{
    size_t i, depth = 0;
    if (!*url)
        return 0;
    for (i = 0; url[i]; i++) {
        if ((unsigned char)url[i] <= ' ' || url[i] == '<' || url[i] == '>' || url[i] == 0x7F)
            return 0;
        if (url[i] == '(')
            depth++;
        else if (url[i] == ')' && depth-- == 0)
            return 0;
    }
    return depth == 0;
}

/* Appends what follows "Source: " for src: its text while it agrees with its
 * fields, else the fields formatted. Returns 1, 0 when src cannot be written
 * (*why says why), or -1 when out of memory. */
static int format_source(pl_buf *out, const pl_glossary_source *src, pl_buf *tmp, const char **why)
{
    size_t i;
    char number[32];
    if (src->text) {
        const char *s = src->text;
        size_t n = strlen(s);
        int agrees = source_text_agrees(src, tmp);
        if (agrees < 0)
            return -1;
        if (agrees) {
            trim(&s, &n);
            if (n == 0) {
                *why = "its text is empty";
                return 0;
            }
            if (has_line_break(s, n)) {
                *why = "its text has a line break";
                return 0;
            }
            return pl_buf_append(out, s, n) == 0 ? 1 : -1;
        }
    }
    if (!src->url) {
        *why = "it has neither text nor url";
        return 0;
    }
    if (!url_is_writable(src->url)) {
        *why = "its url is empty or holds white space, '<', '>' or unbalanced parentheses";
        return 0;
    }
    if (src->title) {
        if (has_line_break(src->title, strlen(src->title))) {
            *why = "its title has a line break";
            return 0;
        }
        if (pl_buf_putc(out, '[') != 0)
            return -1;
        for (i = 0; src->title[i]; i++) {
            char c = src->title[i];
            if ((c == '\\' || c == '[' || c == ']') && pl_buf_putc(out, '\\') != 0)
                return -1;
            if (pl_buf_putc(out, c) != 0)
                return -1;
        }
        if (pl_buf_append(out, "](", 2) != 0 || pl_buf_append(out, src->url, strlen(src->url)) ||
            pl_buf_putc(out, ')') != 0)
            return -1;
    } else if (pl_buf_putc(out, '<') != 0 || pl_buf_append(out, src->url, strlen(src->url)) ||
               pl_buf_putc(out, '>') != 0)
        return -1;
    if (src->sentence) {
        if (src->sentence > MAX_SENTENCE) {
            *why = "its sentence number is over 999999999";
            return 0;
        }
        snprintf(number, sizeof number, ", sentence %zu", src->sentence);
        if (pl_buf_append(out, number, strlen(number)) != 0)
            return -1;
    }
    return 1;
}

/* ---- Building glossaries ---- */

static void entry_clear(pl_glossary_entry *e)
{
    size_t i;
    pl_free(e->term);
    free_strings(e->aliases, e->alias_count);
    pl_free(e->explanation);
    for (i = 0; i < e->source_count; i++)
        source_clear(&e->sources[i]);
    pl_free(e->sources);
    free_strings(e->meta, e->meta_count);
    memset(e, 0, sizeof *e);
}

void pl_glossary_free(pl_glossary *g)
{
    size_t i;
    if (!g)
        return;
    for (i = 0; i < g->count; i++)
        entry_clear(&g->entries[i]);
    pl_free(g->entries);
    free_strings(g->exclude, g->exclude_count);
    pl_free(g->preamble);
    pl_free(g);
}

pl_glossary *pl_glossary_create(pl_error *err)
{
    pl_glossary *g = pl_calloc(1, sizeof *g);
    pl_error_clear(err);
    if (g)
        g->preamble = pl_strndup("", 0);
    if (!g || !g->preamble) {
        pl_free(g);
        pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return g;
}

pl_glossary_entry *pl_glossary_add_entry(pl_glossary *g, const char *term, size_t len,
                                         pl_error *err)
{
    pl_glossary_entry *e;
    char *copy, *explanation;
    if (!g || (!term && len)) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_add_entry: NULL argument");
        return NULL;
    }
    if (pl_grow((void **)&g->entries, &g->entry_cap, g->count + 1, sizeof *g->entries) != 0) {
        pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        return NULL;
    }
    copy = pl_strndup(term ? term : "", len);
    explanation = pl_strndup("", 0);
    if (!copy || !explanation) {
        pl_free(copy);
        pl_free(explanation);
        pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        return NULL;
    }
    e = &g->entries[g->count++];
    memset(e, 0, sizeof *e);
    e->term = copy;
    e->explanation = explanation;
    return e;
}

pl_status pl_glossary_entry_add_alias(pl_glossary_entry *e, const char *alias, size_t len,
                                      pl_error *err)
{
    if (!e || (!alias && len))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_entry_add_alias: NULL");
    return push_string(&e->aliases, &e->alias_count, alias ? alias : "", len, err);
}

pl_status pl_glossary_entry_add_meta(pl_glossary_entry *e, const char *line, size_t len,
                                     pl_error *err)
{
    if (!e || (!line && len))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_entry_add_meta: NULL");
    return push_string(&e->meta, &e->meta_count, line ? line : "", len, err);
}

/* Replaces *slot with a copy of s[0..n). */
static pl_status replace_string(char **slot, const char *s, size_t n, pl_error *err)
{
    char *copy = pl_strndup(s ? s : "", n);
    if (!copy)
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    pl_free(*slot);
    *slot = copy;
    return PL_OK;
}

pl_status pl_glossary_entry_set_explanation(pl_glossary_entry *e, const char *text, size_t len,
                                            pl_error *err)
{
    if (!e || (!text && len))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT,
                            "pl_glossary_entry_set_explanation: NULL");
    return replace_string(&e->explanation, text, len, err);
}

pl_status pl_glossary_set_preamble(pl_glossary *g, const char *text, size_t len, pl_error *err)
{
    if (!g || (!text && len))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_set_preamble: NULL");
    return replace_string(&g->preamble, text, len, err);
}

pl_status pl_glossary_add_exclude(pl_glossary *g, const char *term, size_t len, pl_error *err)
{
    if (!g || (!term && len))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_add_exclude: NULL");
    return push_string(&g->exclude, &g->exclude_count, term ? term : "", len, err);
}

static char *dup_or_null(const char *s, int *failed)
{
    char *copy;
    if (!s)
        return NULL;
    copy = pl_strndup(s, strlen(s));
    if (!copy)
        *failed = 1;
    return copy;
}

pl_status pl_glossary_entry_add_source(pl_glossary_entry *e, const char *text, const char *title,
                                       const char *url, size_t sentence, pl_error *err)
{
    pl_glossary_source copy, *grown;
    int failed = 0;
    if (!e)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_entry_add_source: NULL");
    copy.text = dup_or_null(text, &failed);
    copy.title = dup_or_null(title, &failed);
    copy.url = dup_or_null(url, &failed);
    copy.sentence = sentence;
    grown = failed ? NULL : pl_realloc(e->sources, (e->source_count + 1) * sizeof *e->sources);
    if (!grown) {
        source_clear(&copy);
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    }
    e->sources = grown;
    e->sources[e->source_count++] = copy;
    return PL_OK;
}

/* ---- Normalized blocks of Markdown ---- */

/* Appends s[0..n) as the parser keeps a block: line breaks as LF, trailing
 * white space dropped, and for an explanation (not is_preamble) leading
 * blank lines too. The preamble keeps them: without them a "---" further
 * down would become front matter. */
static int append_block(pl_buf *out, const char *s, size_t n, int is_preamble)
{
    const char *line;
    size_t len, pos = 0, start = out->len;
    int any = 0;
    while (next_line(s, n, &pos, &line, &len)) {
        if (!any && !is_preamble && is_blank_line(line, len))
            continue;
        if ((any && pl_buf_putc(out, '\n') != 0) || pl_buf_append(out, line, len) != 0)
            return -1;
        any = 1;
    }
    while (out->len > start && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\t' ||
                                out->data[out->len - 1] == '\n'))
        out->len--;
    if (out->data)
        out->data[out->len] = '\0';
    return 0;
}

/* What check_block learns about a block. */
typedef struct block_facts {
    size_t heading_line;    /* first "## " line outside code, 0 if none */
    size_t open_fence_line; /* a fence never closed, 0 if none */
    int open_is_comment;
    int starts_with_meta; /* its first lines are a "Key: value" run with a known key */
    int ends_with_source; /* its last line is a Source: line */
    size_t front_matter;  /* lines of front matter it opens with */
} block_facts;

/* Scans a normalized block as the parser will see it, from a line start
 * outside code (the state at every "## " heading). */
static void scan_block(const char *s, size_t n, int front_matter_allowed, block_facts *facts)
{
    md_state md;
    const char *line, *text;
    size_t len, pos = 0, number = 0, text_len;
    int in_run = 1, plain;
    memset(facts, 0, sizeof *facts);
    memset(&md, 0, sizeof md);
    if (front_matter_allowed)
        facts->front_matter = front_matter_lines(s, n);
    while (next_line(s, n, &pos, &line, &len)) {
        key_id key;
        number++;
        plain = number > facts->front_matter && md_feed(&md, line, len, number);
        if (plain && !facts->heading_line && atx_heading(line, len, &text, &text_len) == 2)
            facts->heading_line = number;
        if (in_run) {
            if (plain && key_line(line, len, &key, NULL, NULL) && key != KEY_SOURCE) {
                if (is_known_meta(key))
                    facts->starts_with_meta = 1;
            } else
                in_run = 0;
        }
        facts->ends_with_source = plain && key_of(line, len) == KEY_SOURCE;
    }
    if (md.fence || md.comment) {
        facts->open_fence_line = md.open_line;
        facts->open_is_comment = md.comment;
    }
}

/* ---- Parsing ---- */

typedef struct block_line {
    size_t start; /* offset of the line in the text */
    size_t len;   /* without the line break */
    size_t number;
    int plain; /* outside code, comments and front matter */
} block_line;

typedef struct parser {
    const char *text;
    pl_glossary *g;
    block_line *lines; /* the block being read: the preamble or one entry */
    size_t count, cap;
    strvec exclude;
    pl_buf buf;
    pl_error *err;
} parser;

static const char *line_at(const parser *p, size_t i, size_t *n)
{
    *n = p->lines[i].len;
    return p->text + p->lines[i].start;
}

static int line_blank(const parser *p, size_t i)
{
    size_t n;
    const char *s = line_at(p, i, &n);
    return is_blank_line(s, n);
}

static int line_is_source(const parser *p, size_t i)
{
    size_t n;
    const char *s = line_at(p, i, &n);
    return p->lines[i].plain && key_of(s, n) == KEY_SOURCE;
}

static pl_status nomem(pl_error *err)
{
    return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
}

/* Joins lines [from, to) into p->buf as a normalized block. */
static int join_lines(parser *p, size_t from, size_t to, int is_preamble)
{
    size_t i;
    pl_buf raw = PL_BUF_INIT;
    int rc = 0;
    pl_buf_reset(&p->buf);
    if (from >= to)
        return pl_buf_append(&p->buf, "", 0);
    /* The lines are contiguous in the text except for their breaks, which
     * may be CRLF: copy them one by one. */
    for (i = from; i < to && rc == 0; i++) {
        size_t n;
        const char *s = line_at(p, i, &n);
        rc = pl_buf_append(&raw, s, n);
        if (rc == 0 && i + 1 < to)
            rc = pl_buf_putc(&raw, '\n');
    }
    if (rc == 0)
        rc = append_block(&p->buf, raw.data ? raw.data : "", raw.len, is_preamble);
    if (rc == 0)
        rc = pl_buf_append(&p->buf, "", 0); /* data is never NULL afterwards */
    pl_buf_free(&raw);
    return rc;
}

static pl_status finish_preamble(parser *p)
{
    size_t i, pos, n, item_len, value_len;
    const char *s, *item, *value;
    key_id key;
    if (join_lines(p, 0, p->count, 1) != 0)
        return nomem(p->err);
    if (replace_string(&p->g->preamble, p->buf.data, p->buf.len, p->err) != PL_OK)
        return PL_ERR_NOMEM;
    for (i = 0; i < p->count; i++) {
        s = line_at(p, i, &n);
        if (!p->lines[i].plain || !key_line(s, n, &key, &value, &value_len) || key != KEY_EXCLUDE)
            continue;
        pos = 0;
        while (next_item(value, value_len, &pos, &item, &item_len)) {
            if (item_len > PL_GLOSSARY_MAX_TERM_BYTES)
                return pl_error_set(
                    p->err, PL_ERR_TOO_LARGE,
                    "line %zu: an excluded term is longer than %d bytes (the limit)",
                    p->lines[i].number, PL_GLOSSARY_MAX_TERM_BYTES);
            if (p->exclude.count >= PL_GLOSSARY_MAX_ENTRIES)
                return pl_error_set(p->err, PL_ERR_TOO_LARGE,
                                    "line %zu: more than %d excluded terms (the limit)",
                                    p->lines[i].number, PL_GLOSSARY_MAX_ENTRIES);
            if (strvec_push(&p->exclude, item, item_len) != 0)
                return nomem(p->err);
        }
    }
    return PL_OK;
}

/* Reads one metadata line into e. */
static pl_status read_meta_line(parser *p, size_t i, pl_glossary_entry *e, unsigned *seen)
{
    size_t n, value_len, pos = 0, item_len, number = p->lines[i].number;
    const char *s = line_at(p, i, &n), *value, *item;
    key_id key = KEY_OTHER;
    char shown[64];
    key_line(s, n, &key, &value, &value_len);
    while (n && is_blank_char(s[n - 1]))
        n--;
    if (push_string(&e->meta, &e->meta_count, s, n, p->err) != PL_OK)
        return PL_ERR_NOMEM;
    if (!is_known_meta(key))
        return PL_OK;
    if (*seen & (1u << key))
        return pl_error_set(p->err, PL_ERR_PARSE,
                            "line %zu: a second %s line in this entry (give it once)", number,
                            key == KEY_ALIASES ? "Aliases:"
                            : key == KEY_CASE  ? "Case:"
                                               : "Kind:");
    *seen |= 1u << key;
    excerpt(shown, sizeof shown, value, value_len, 40);
    if (key == KEY_CASE) {
        if (!parse_case(value, value_len, &e->case_policy))
            return pl_error_set(p->err, PL_ERR_PARSE,
                                "line %zu: Case must be insensitive, capitalized or exact, not "
                                "\"%s\"",
                                number, shown);
        e->has_case = 1;
    } else if (key == KEY_KIND) {
        if (!parse_kind(value, value_len, &e->kind))
            return pl_error_set(p->err, PL_ERR_PARSE,
                                "line %zu: Kind must be quoted, name, acronym or phrase, not "
                                "\"%s\"",
                                number, shown);
    } else {
        while (next_item(value, value_len, &pos, &item, &item_len)) {
            if (item_len > PL_GLOSSARY_MAX_TERM_BYTES)
                return pl_error_set(p->err, PL_ERR_TOO_LARGE,
                                    "line %zu: an alias is longer than %d bytes (the limit)",
                                    number, PL_GLOSSARY_MAX_TERM_BYTES);
            if (push_string(&e->aliases, &e->alias_count, item, item_len, p->err) != PL_OK)
                return PL_ERR_NOMEM;
        }
    }
    return PL_OK;
}

static pl_status read_source_line(parser *p, size_t i, pl_glossary_entry *e)
{
    size_t n, value_len;
    const char *s = line_at(p, i, &n), *value;
    pl_glossary_source src;
    key_line(s, n, NULL, &value, &value_len);
    if (value_len == 0)
        return pl_error_set(p->err, PL_ERR_PARSE,
                            "line %zu: a Source: line needs a link, a title or some text",
                            p->lines[i].number);
    memset(&src, 0, sizeof src);
    src.text = pl_strndup(value, value_len);
    if (!src.text || fill_source_fields(&src) != 0 ||
        pl_glossary_entry_add_source(e, src.text, src.title, src.url, src.sentence, p->err) !=
            PL_OK) {
        source_clear(&src);
        return nomem(p->err);
    }
    source_clear(&src);
    return PL_OK;
}

/* Reads the entry in p->lines (its heading first). The metadata run starts
 * at the first non-blank line; after a blank line it needs a known key, as
 * "Note: ..." there is more likely prose; and unknown keys that run straight
 * into a paragraph go back to the paragraph. */
static pl_status finish_entry(parser *p)
{
    size_t n, term_len, j, k, meta_end, src_start, i;
    const char *s = line_at(p, 0, &n), *term;
    int has_known = 0;
    unsigned seen = 0;
    pl_glossary_entry *e;
    pl_status st;
    key_id key;
    atx_heading(s, n, &term, &term_len);
    if (term_len == 0)
        return pl_error_set(p->err, PL_ERR_PARSE,
                            "line %zu: a \"## \" heading with no text (an entry needs its term "
                            "there)",
                            p->lines[0].number);
    if (term_len > PL_GLOSSARY_MAX_TERM_BYTES)
        return pl_error_set(p->err, PL_ERR_TOO_LARGE,
                            "line %zu: the term is longer than %d bytes (the limit)",
                            p->lines[0].number, PL_GLOSSARY_MAX_TERM_BYTES);
    e = pl_glossary_add_entry(p->g, term, term_len, p->err);
    if (!e)
        return PL_ERR_NOMEM;
    e->line = p->lines[0].number;

    for (j = 1; j < p->count && line_blank(p, j); j++)
        ;
    for (k = j; k < p->count && p->lines[k].plain; k++) {
        s = line_at(p, k, &n);
        if (!key_line(s, n, &key, NULL, NULL) || key == KEY_SOURCE)
            break;
        has_known |= is_known_meta(key);
    }
    meta_end = k;
    if (j > 1 && !has_known)
        meta_end = j;
    else if (meta_end < p->count && !line_blank(p, meta_end) && !line_is_source(p, meta_end)) {
        while (meta_end > j) {
            s = line_at(p, meta_end - 1, &n);
            if (is_known_meta(key_of(s, n)))
                break;
            meta_end--;
        }
    }
    for (i = j; i < meta_end; i++)
        if ((st = read_meta_line(p, i, e, &seen)) != PL_OK)
            return st;

    src_start = p->count;
    for (k = p->count; k > meta_end; k--) {
        if (line_is_source(p, k - 1))
            src_start = k - 1;
        else if (!line_blank(p, k - 1))
            break;
    }
    for (i = src_start; i < p->count; i++)
        if (!line_blank(p, i) && (st = read_source_line(p, i, e)) != PL_OK)
            return st;

    if (join_lines(p, meta_end, src_start, 0) != 0)
        return nomem(p->err);
    if (p->buf.len == 1 && p->buf.data[0] == '-')
        e->excluded = 1;
    else if (replace_string(&e->explanation, p->buf.data, p->buf.len, p->err) != PL_OK)
        return PL_ERR_NOMEM;
    return PL_OK;
}

static pl_status check_input(const char *text, size_t len, pl_error *err)
{
    int nul = 0;
    size_t bad = first_bad_byte(text, len, &nul);
    if (bad == len)
        return PL_OK;
    if (nul)
        return pl_error_set(err, PL_ERR_BINARY, "line %zu: NUL byte",
                            line_number_at(text, len, bad));
    return pl_error_set(err, PL_ERR_PARSE, "line %zu: invalid UTF-8",
                        line_number_at(text, len, bad));
}

pl_glossary *pl_glossary_parse(const char *text, size_t len, pl_error *err)
{
    parser p;
    md_state md;
    const char *s, *heading;
    size_t n, heading_len, pos = 0, number = 0, front_matter, block_start = 0, entry_line = 0;
    int in_entry = 0;
    pl_status st = PL_OK;

    pl_error_clear(err);
    if (!text && len) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_parse: NULL text");
        return NULL;
    }
    if (len > PL_GLOSSARY_MAX_BYTES) {
        pl_error_set(err, PL_ERR_TOO_LARGE, "the glossary is %zu bytes; the limit is %zu MiB", len,
                     PL_GLOSSARY_MAX_BYTES >> 20);
        return NULL;
    }
    if (!text)
        text = "";
    while (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    if (check_input(text, len, err) != PL_OK)
        return NULL;

    memset(&p, 0, sizeof p);
    memset(&md, 0, sizeof md);
    p.text = text;
    p.err = err;
    p.g = pl_glossary_create(err);
    if (!p.g)
        return NULL;
    front_matter = front_matter_lines(text, len);

    while (st == PL_OK && next_line(text, len, &pos, &s, &n)) {
        block_line bl;
        number++;
        bl.start = (size_t)(s - text);
        bl.len = n;
        bl.number = number;
        bl.plain = number > front_matter && md_feed(&md, s, n, number);
        if (bl.plain && atx_heading(s, n, &heading, &heading_len) == 2) {
            st = in_entry ? finish_entry(&p) : finish_preamble(&p);
            if (st != PL_OK)
                break;
            if (p.g->count >= PL_GLOSSARY_MAX_ENTRIES) {
                st = pl_error_set(err, PL_ERR_TOO_LARGE,
                                  "line %zu: more than %d entries (the limit)", number,
                                  PL_GLOSSARY_MAX_ENTRIES);
                break;
            }
            p.count = 0;
            in_entry = 1;
            block_start = bl.start;
            entry_line = number;
        }
        if (bl.start + n - block_start >
            (in_entry ? PL_GLOSSARY_MAX_ENTRY_BYTES : PL_GLOSSARY_MAX_PREAMBLE_BYTES)) {
            if (in_entry)
                st = pl_error_set(err, PL_ERR_TOO_LARGE,
                                  "line %zu: the entry is longer than %zu MiB (the limit)",
                                  entry_line, PL_GLOSSARY_MAX_ENTRY_BYTES >> 20);
            else
                st = pl_error_set(err, PL_ERR_TOO_LARGE,
                                  "line %zu: the text before the first entry is longer than %zu "
                                  "MiB (the limit)",
                                  number, PL_GLOSSARY_MAX_PREAMBLE_BYTES >> 20);
            break;
        }
        if (pl_grow((void **)&p.lines, &p.cap, p.count + 1, sizeof *p.lines) != 0) {
            st = nomem(err);
            break;
        }
        p.lines[p.count++] = bl;
    }
    if (st == PL_OK && (md.fence || md.comment))
        st = pl_error_set(err, PL_ERR_PARSE, "line %zu: %s opened here is never closed",
                          md.open_line, md.fence ? "a code fence" : "an HTML comment");
    if (st == PL_OK)
        st = in_entry ? finish_entry(&p) : finish_preamble(&p);
    pl_free(p.lines);
    pl_buf_free(&p.buf);
    if (st != PL_OK) {
        strvec_free(&p.exclude);
        pl_glossary_free(p.g);
        return NULL;
    }
    p.g->exclude = p.exclude.items;
    p.g->exclude_count = p.exclude.count;
    return p.g;
}

/* ---- Writing ---- */

/* Writes "entry N (\"term\")" for messages. */
static void entry_label(char *out, size_t size, size_t index, const char *term)
{
    char shown[80];
    excerpt(shown, sizeof shown, term ? term : "", term ? strlen(term) : 0, 40);
    snprintf(out, size, "entry %zu (\"%s\")", index + 1, shown);
}

/* Checks a term, alias or excluded term (what names it for messages:
 * "entry 3 (\"A\"): alias 2") and trims it in place. */
static pl_status check_name(const char **s, size_t *n, int comma_ok, const char *what,
                            pl_error *err)
{
    char shown[80];
    trim(s, n);
    excerpt(shown, sizeof shown, *s, *n, 40);
    if (*n == 0)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "%s is empty", what);
    if (!text_is_clean(*s, *n))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT,
                            "%s is not valid UTF-8 or holds a NUL byte", what);
    if (has_line_break(*s, *n))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "%s \"%s\" has a line break", what,
                            shown);
    if (!comma_ok && memchr(*s, ',', *n))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT,
                            "%s \"%s\" has a comma, which separates the items of its line", what,
                            shown);
    if (*n > PL_GLOSSARY_MAX_TERM_BYTES)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "%s is longer than %d bytes", what,
                            PL_GLOSSARY_MAX_TERM_BYTES);
    return PL_OK;
}

/* Appends "Key: a, b" for a list of names. */
static int append_list_line(pl_buf *out, const char *key, char *const *items, size_t count)
{
    size_t i;
    if (pl_buf_append(out, key, strlen(key)) != 0)
        return -1;
    for (i = 0; i < count; i++) {
        const char *s = items[i];
        size_t n = strlen(s);
        trim(&s, &n);
        if ((i && pl_buf_append(out, ",", 1) != 0) || pl_buf_putc(out, ' ') != 0 ||
            pl_buf_append(out, s, n) != 0)
            return -1;
    }
    return 0;
}

/* Whether the comma list s[0..n) names exactly items (trimmed). */
static int list_agrees(const char *s, size_t n, char *const *items, size_t count)
{
    size_t pos = 0, i = 0, item_len, len;
    const char *item, *want;
    while (next_item(s, n, &pos, &item, &item_len)) {
        if (i >= count)
            return 0;
        want = items[i++];
        len = strlen(want);
        trim(&want, &len);
        if (len != item_len || memcmp(want, item, len) != 0)
            return 0;
    }
    return i == count;
}

/* Whether text's first line means something else as the file's first line:
 * a byte-order mark, or a front matter fence. */
static int opens_file_specially(const char *text, size_t len)
{
    const char *s;
    size_t n, pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        return 1;
    if (!next_line(text, len, &pos, &s, &n) || n < 3 || (s[0] != '-' && s[0] != '+'))
        return 0;
    return s[1] == s[0] && s[2] == s[0] && is_blank_line(s + 3, n - 3);
}

typedef struct preamble_line {
    const char *s;
    size_t n;
    int exclude; /* an Exclude: line */
} preamble_line;

/* Appends the normalized preamble pre[0..n) with its Exclude: lines brought
 * in line with the list: kept as written while they name exactly the list,
 * else replaced by one "Exclude: a, b" line where the first stood or, when
 * there was none, after the front matter and the title. */
static int sync_preamble(pl_buf *out, const char *pre, size_t n, char *const *exclude, size_t count)
{
    preamble_line *lines = NULL;
    size_t line_count = 0, cap = 0, pos = 0, number = 0, i, matched = 0, first = (size_t)-1;
    size_t front, ins, value_len, start = out->len, text_len;
    const char *s, *value, *text;
    md_state md;
    int agrees = 1, emitted = 0, last_blank = 0, skip_blank = 0, pad_after = 0, rc = -1;
    key_id key;

    memset(&md, 0, sizeof md);
    front = front_matter_lines(pre, n);
    while (next_line(pre, n, &pos, &s, &value_len)) {
        preamble_line pl;
        number++;
        pl.s = s;
        pl.n = value_len;
        pl.exclude = number > front && md_feed(&md, s, value_len, number) &&
                     key_line(s, value_len, &key, &value, &text_len) && key == KEY_EXCLUDE;
        if (pl.exclude) {
            size_t p2 = 0, item_len;
            const char *item;
            if (first == (size_t)-1)
                first = line_count;
            while (next_item(value, text_len, &p2, &item, &item_len)) {
                const char *want = matched < count ? exclude[matched] : NULL;
                size_t want_len = want ? strlen(want) : 0;
                if (want)
                    trim(&want, &want_len);
                if (!want || want_len != item_len || memcmp(want, item, item_len) != 0)
                    agrees = 0;
                matched++;
            }
        }
        if (pl_grow((void **)&lines, &cap, line_count + 1, sizeof *lines) != 0)
            goto done;
        lines[line_count++] = pl;
    }
    if (agrees && matched == count) {
        rc = pl_buf_append(out, pre, n);
        goto done;
    }
    if (first != (size_t)-1)
        ins = first;
    else {
        for (ins = front; ins < line_count && is_blank_line(lines[ins].s, lines[ins].n); ins++)
            ;
        if (ins < line_count && atx_heading(lines[ins].s, lines[ins].n, &text, &text_len) == 1)
            ins++;
        else
            ins = front;
    }
    for (i = 0; i <= line_count; i++) {
        if (i == ins && count > 0) {
            /* One canonical line: in place of the first Exclude: line, or
             * inserted as a paragraph of its own. */
            if (first == (size_t)-1 && emitted && !last_blank && pl_buf_putc(out, '\n') != 0)
                goto done;
            if (append_list_line(out, "Exclude:", exclude, count) != 0 ||
                pl_buf_putc(out, '\n') != 0)
                goto done;
            emitted = 1;
            last_blank = 0;
            pad_after = first == (size_t)-1;
            if (first != (size_t)-1)
                continue;
        }
        if (i == line_count)
            break;
        if (lines[i].exclude) {
            /* Dropping it must not leave two blank lines, or one at the top. */
            if (!emitted || last_blank)
                skip_blank = 1;
            continue;
        }
        if (is_blank_line(lines[i].s, lines[i].n)) {
            if (skip_blank) {
                skip_blank = 0;
                continue;
            }
            last_blank = 1;
        } else {
            if (pad_after && pl_buf_putc(out, '\n') != 0)
                goto done;
            last_blank = 0;
        }
        skip_blank = pad_after = 0;
        if (pl_buf_append(out, lines[i].s, lines[i].n) != 0 || pl_buf_putc(out, '\n') != 0)
            goto done;
        emitted = 1;
    }
    while (out->len > start && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' ' ||
                                out->data[out->len - 1] == '\t'))
        out->len--;
    if (out->data)
        out->data[out->len] = '\0';
    /* Dropping lines may bring to the top one that the reader treats
     * differently there: U+FEFF (taken for a byte-order mark) or "---" and
     * "+++" (front matter). A blank line first keeps it as it was (the
     * preamble keeps leading blank lines). */
    if (line_count && out->len > start &&
        opens_file_specially(out->data + start, out->len - start) &&
        (lines[0].n > out->len - start || memcmp(lines[0].s, out->data + start, lines[0].n) != 0)) {
        if (pl_buf_putc(out, '\n') != 0)
            goto done;
        memmove(out->data + start + 1, out->data + start, out->len - start - 1);
        out->data[start] = '\n';
    }
    rc = 0;
done:
    pl_free(lines);
    return rc;
}

/* Appends the canonical line of a known key for e's field, if it is set. */
static int append_known_line(pl_buf *out, const pl_glossary_entry *e, key_id key, size_t *lines)
{
    const char *name = NULL;
    if (key == KEY_ALIASES && e->alias_count) {
        if (append_list_line(out, "Aliases:", e->aliases, e->alias_count) != 0)
            return -1;
    } else if (key == KEY_CASE && e->has_case) {
        name = pl_glossary_case_name(e->case_policy);
        if (pl_buf_append(out, "Case: ", 6) != 0)
            return -1;
    } else if (key == KEY_KIND && pl_glossary_kind_name(e->kind)) {
        name = pl_glossary_kind_name(e->kind);
        if (pl_buf_append(out, "Kind: ", 6) != 0)
            return -1;
    } else
        return 0;
    if ((name && pl_buf_append(out, name, strlen(name)) != 0) || pl_buf_putc(out, '\n') != 0)
        return -1;
    (*lines)++;
    return 0;
}

/* Appends meta line i of e as the writer emits it: a line of a known key is
 * kept while it agrees with e's field, rewritten when the field differs,
 * dropped when the field is unset or an earlier line gave the key. */
static int append_meta_line(pl_buf *out, const pl_glossary_entry *e, size_t i, unsigned *done,
                            size_t *lines)
{
    const char *s = e->meta[i], *value;
    size_t len = strlen(s), value_len;
    pl_case_policy policy;
    pl_glossary_kind kind;
    key_id key;
    int agrees;
    while (len && is_blank_char(s[len - 1]))
        len--;
    if (key_line(s, len, &key, &value, &value_len) && is_known_meta(key)) {
        if (*done & (1u << key))
            return 0;
        *done |= 1u << key;
        if (key == KEY_ALIASES)
            agrees = list_agrees(value, value_len, e->aliases, e->alias_count); /* "Aliases:" */
        else if (key == KEY_CASE)
            agrees =
                e->has_case && parse_case(value, value_len, &policy) && policy == e->case_policy;
        else
            agrees = parse_kind(value, value_len, &kind) && kind == e->kind;
        if (!agrees)
            return append_known_line(out, e, key, lines);
    }
    if (pl_buf_append(out, s, len) != 0 || pl_buf_putc(out, '\n') != 0)
        return -1;
    (*lines)++;
    return 0;
}

/* Appends the metadata lines the writer emits for e, each ending in '\n':
 * its meta lines in order (see append_meta_line), with the known fields no
 * line gave placed after the last line of a known key (first when there is
 * none). *lines receives how many. No checks here: write_entry makes them. */
static int effective_meta(pl_buf *out, const pl_glossary_entry *e, size_t *lines)
{
    size_t i, split = 0;
    unsigned done = 0;
    key_id key;
    *lines = 0;
    for (i = 0; i < e->meta_count; i++)
        if (is_known_meta(key_of(e->meta[i], strlen(e->meta[i]))))
            split = i + 1;
    for (i = 0; i < split; i++)
        if (append_meta_line(out, e, i, &done, lines) != 0)
            return -1;
    for (key = KEY_ALIASES; key <= KEY_KIND; key++)
        if (!(done & (1u << key)) && append_known_line(out, e, key, lines) != 0)
            return -1;
    for (i = split; i < e->meta_count; i++)
        if (append_meta_line(out, e, i, &done, lines) != 0)
            return -1;
    return 0;
}

/* Checks the metadata lines effective_meta produced in meta[0..n). */
static pl_status check_meta(const char *meta, size_t n, const char *label, pl_error *err)
{
    const char *line;
    size_t len, pos = 0, number = 0;
    key_id key;
    char shown[80];
    if (!text_is_clean(meta, n))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT,
                            "%s: a metadata line is not valid UTF-8 or holds a NUL byte", label);
    while (next_line(meta, n, &pos, &line, &len)) {
        number++;
        excerpt(shown, sizeof shown, line, len, 40);
        if (!key_line(line, len, &key, NULL, NULL) || key == KEY_SOURCE)
            return pl_error_set(err, PL_ERR_INVALID_ARGUMENT,
                                "%s: metadata line %zu \"%s\" is not a \"Key: value\" line (a "
                                "key of 1-3 words, not Source)",
                                label, number, shown);
    }
    return PL_OK;
}

/* Checks a normalized block: what = "the preamble" or "<label>: the
 * explanation". */
static pl_status check_block(const char *s, size_t n, int is_preamble, const char *what,
                             block_facts *facts, pl_error *err)
{
    if (!text_is_clean(s, n))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT,
                            "%s is not valid UTF-8 or holds a NUL byte", what);
    if (n > (is_preamble ? PL_GLOSSARY_MAX_PREAMBLE_BYTES : PL_GLOSSARY_MAX_ENTRY_BYTES))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "%s is longer than 1 MiB (the limit)",
                            what);
    scan_block(s, n, is_preamble, facts);
    if (facts->heading_line)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT,
                            "%s has a \"## \" heading on its line %zu, which would start an "
                            "entry",
                            what, facts->heading_line);
    if (facts->open_fence_line)
        return pl_error_set(
            err, PL_ERR_INVALID_ARGUMENT, "%s opens %s on its line %zu that is never closed", what,
            facts->open_is_comment ? "an HTML comment" : "a code fence", facts->open_fence_line);
    return PL_OK;
}

typedef struct writer {
    pl_buf out;
    pl_buf block; /* a normalized explanation or preamble */
    pl_buf meta;  /* an entry's metadata lines */
    pl_buf tmp;
    pl_error *err;
} writer;

static pl_status write_entry(writer *w, const pl_glossary_entry *e, size_t index)
{
    char label[128], what[160];
    const char *term = e->term ? e->term : "", *heading;
    size_t term_len = strlen(term), heading_len, meta_lines, i;
    block_facts facts;
    pl_status st;

    entry_label(label, sizeof label, index, term);
    snprintf(what, sizeof what, "%s: the term", label);
    if ((st = check_name(&term, &term_len, 1, what, w->err)) != PL_OK)
        return st;
    /* "## C #" reads as "C": a term ending in a lone run of '#' gets a
     * closing sequence of its own, which a reader strips instead. */
    pl_buf_reset(&w->tmp);
    if (pl_buf_append(&w->tmp, "## ", 3) != 0 || pl_buf_append(&w->tmp, term, term_len) != 0)
        return nomem(w->err);
    atx_heading(w->tmp.data, w->tmp.len, &heading, &heading_len);
    if (heading_len != term_len && pl_buf_append(&w->tmp, " #", 2) != 0)
        return nomem(w->err);
    for (i = 0; i < e->alias_count; i++) {
        const char *a = e->aliases[i] ? e->aliases[i] : "";
        size_t n = strlen(a);
        snprintf(what, sizeof what, "%s: alias %zu", label, i + 1);
        if ((st = check_name(&a, &n, 0, what, w->err)) != PL_OK)
            return st;
    }
    if (e->has_case && e->case_policy > PL_CASE_EXACT)
        return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT, "%s: the case policy is not valid",
                            label);
    if (e->kind > PL_GLOSSARY_KIND_PHRASE)
        return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT, "%s: the kind is not valid", label);
    for (i = 0; i < e->meta_count; i++)
        if (!e->meta[i] || has_line_break(e->meta[i], strlen(e->meta[i])))
            return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT,
                                "%s: metadata line %zu is missing or has a line break", label,
                                i + 1);
    pl_buf_reset(&w->meta);
    if (effective_meta(&w->meta, e, &meta_lines) != 0)
        return nomem(w->err);
    if ((st = check_meta(w->meta.data ? w->meta.data : "", w->meta.len, label, w->err)) != PL_OK)
        return st;

    pl_buf_reset(&w->block);
    if (e->explanation && append_block(&w->block, e->explanation, strlen(e->explanation), 0) != 0)
        return nomem(w->err);
    snprintf(what, sizeof what, "%s: the explanation", label);
    if (e->excluded) {
        if (w->block.len && !(w->block.len == 1 && w->block.data[0] == '-'))
            return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT,
                                "%s is excluded but has an explanation", label);
        w->block.len = 0;
    } else if (w->block.len) {
        if (w->block.len == 1 && w->block.data[0] == '-')
            return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT,
                                "%s: the explanation \"-\" would exclude the term (set excluded)",
                                label);
        if ((st = check_block(w->block.data, w->block.len, 0, what, &facts, w->err)) != PL_OK)
            return st;
        if (meta_lines == 0 && facts.starts_with_meta)
            return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT,
                                "%s starts with an Aliases:, Case: or Kind: line, which would be "
                                "read as metadata",
                                what);
        if (facts.ends_with_source)
            return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT,
                                "%s ends with a Source: line, which would be read as a source",
                                what);
    }

    if (index > 0 || w->out.len) {
        if (pl_buf_putc(&w->out, '\n') != 0)
            return nomem(w->err);
    }
    if (pl_buf_append(&w->out, w->tmp.data, w->tmp.len) != 0 || pl_buf_putc(&w->out, '\n') != 0 ||
        (w->meta.len && pl_buf_append(&w->out, w->meta.data, w->meta.len) != 0))
        return nomem(w->err);
    if (e->excluded) {
        /* Directly under the heading, as people write it; after metadata a
         * blank line keeps "-" from underlining the line above. */
        if ((meta_lines && pl_buf_putc(&w->out, '\n') != 0) ||
            pl_buf_append(&w->out, "-\n", 2) != 0)
            return nomem(w->err);
    } else if (w->block.len) {
        if (pl_buf_putc(&w->out, '\n') != 0 ||
            pl_buf_append(&w->out, w->block.data, w->block.len) != 0 ||
            pl_buf_putc(&w->out, '\n') != 0)
            return nomem(w->err);
    }
    for (i = 0; i < e->source_count; i++) {
        const char *why = NULL;
        size_t mark = w->out.len;
        int rc;
        if ((i == 0 && pl_buf_putc(&w->out, '\n') != 0) ||
            pl_buf_append(&w->out, "Source: ", 8) != 0)
            return nomem(w->err);
        rc = format_source(&w->out, &e->sources[i], &w->tmp, &why);
        if (rc < 0)
            return nomem(w->err);
        if (rc == 0)
            return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT,
                                "%s: source %zu cannot be "
                                "written: %s",
                                label, i + 1, why);
        if (!text_is_clean(w->out.data + mark, w->out.len - mark))
            return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT,
                                "%s: source %zu is not valid UTF-8 or holds a NUL byte", label,
                                i + 1);
        if (pl_buf_putc(&w->out, '\n') != 0)
            return nomem(w->err);
    }
    return PL_OK;
}

static pl_status write_preamble(writer *w, const pl_glossary *g)
{
    block_facts facts;
    size_t i;
    pl_status st;
    if (g->exclude_count > PL_GLOSSARY_MAX_ENTRIES)
        return pl_error_set(w->err, PL_ERR_INVALID_ARGUMENT,
                            "more than %d excluded terms (the limit)", PL_GLOSSARY_MAX_ENTRIES);
    for (i = 0; i < g->exclude_count; i++) {
        const char *s = g->exclude[i] ? g->exclude[i] : "";
        size_t n = strlen(s);
        char what[48];
        snprintf(what, sizeof what, "excluded term %zu", i + 1);
        if ((st = check_name(&s, &n, 0, what, w->err)) != PL_OK)
            return st;
    }
    pl_buf_reset(&w->block);
    if (g->preamble && append_block(&w->block, g->preamble, strlen(g->preamble), 1) != 0)
        return nomem(w->err);
    if ((st = check_block(w->block.data ? w->block.data : "", w->block.len, 1, "the preamble",
                          &facts, w->err)) != PL_OK)
        return st;
    if (sync_preamble(&w->out, w->block.data ? w->block.data : "", w->block.len, g->exclude,
                      g->exclude_count) != 0)
        return nomem(w->err);
    if (w->out.len && pl_buf_putc(&w->out, '\n') != 0)
        return nomem(w->err);
    return PL_OK;
}

char *pl_glossary_write(const pl_glossary *g, size_t *len, pl_error *err)
{
    writer w;
    size_t i, preamble_len;
    pl_status st;
    char *result = NULL;
    pl_error_clear(err);
    if (len)
        *len = 0;
    if (!g) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_write: NULL glossary");
        return NULL;
    }
    if (g->count > PL_GLOSSARY_MAX_ENTRIES) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "more than %d entries (the limit)",
                     PL_GLOSSARY_MAX_ENTRIES);
        return NULL;
    }
    memset(&w, 0, sizeof w);
    w.err = err;
    st = write_preamble(&w, g);
    preamble_len = w.out.len;
    for (i = 0; st == PL_OK && i < g->count; i++)
        st = write_entry(&w, &g->entries[i], i);
    /* A "---" opening the preamble that it does not close would be closed
     * by a line of some entry, and everything up to there read as front
     * matter. */
    if (st == PL_OK && w.out.len > preamble_len &&
        front_matter_lines(w.out.data, w.out.len) != front_matter_lines(w.out.data, preamble_len))
        st = pl_error_set(err, PL_ERR_INVALID_ARGUMENT,
                          "the preamble opens front matter on its line 1 that it does not close");
    if (st == PL_OK) {
        result = pl_buf_detach(&w.out, len);
        if (!result)
            nomem(err);
    }
    pl_buf_free(&w.out);
    pl_buf_free(&w.block);
    pl_buf_free(&w.meta);
    pl_buf_free(&w.tmp);
    return result;
}

/* ---- Comparing terms ---- */

/* The comparison key of a term: white space runs as one space, trimmed,
 * NFC, case-folded. Text that is not valid UTF-8 is compared by its bytes. */
static pl_status term_key(const char *s, size_t n, pl_buf *tmp, pl_buf *key, pl_error *err)
{
    size_t i;
    int space = 0;
    pl_buf_reset(tmp);
    pl_buf_reset(key);
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = tmp->len > 0;
            continue;
        }
        if ((space && pl_buf_putc(tmp, ' ') != 0) || pl_buf_putc(tmp, c) != 0)
            return nomem(err);
        space = 0;
    }
    if (pl_buf_append(tmp, "", 0) != 0)
        return nomem(err);
    if (!text_is_clean(tmp->data, tmp->len))
        return pl_buf_append(key, tmp->data, tmp->len) == 0 ? PL_OK : nomem(err);
    return pl_utf8_casefold(tmp->data, tmp->len, key, err) == PL_OK &&
                   pl_buf_append(key, "", 0) == 0
               ? PL_OK
               : nomem(err);
}

pl_status pl_glossary_lookup(const pl_glossary *g, const char *text, size_t len, size_t *index,
                             pl_error *err)
{
    pl_buf tmp = PL_BUF_INIT, want = PL_BUF_INIT, key = PL_BUF_INIT;
    size_t i, j;
    int pass;
    pl_status st;
    pl_error_clear(err);
    if (!g || !index || (!text && len))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_lookup: NULL argument");
    *index = PL_GLOSSARY_NOT_FOUND;
    st = term_key(text ? text : "", len, &tmp, &want, err);
    for (pass = 0; st == PL_OK && pass < 2 && *index == PL_GLOSSARY_NOT_FOUND; pass++) {
        for (i = 0; st == PL_OK && i < g->count && *index == PL_GLOSSARY_NOT_FOUND; i++) {
            const pl_glossary_entry *e = &g->entries[i];
            size_t names = pass == 0 ? 1 : e->alias_count;
            for (j = 0; st == PL_OK && j < names; j++) {
                const char *name = pass == 0 ? e->term : e->aliases[j];
                if (!name)
                    continue;
                st = term_key(name, strlen(name), &tmp, &key, err);
                if (st == PL_OK && key.len == want.len &&
                    memcmp(key.data, want.data, key.len) == 0) {
                    *index = i;
                    break;
                }
            }
        }
    }
    pl_buf_free(&tmp);
    pl_buf_free(&want);
    pl_buf_free(&key);
    return st;
}

/* ---- Merging ---- */

enum { OWNER_USER_TERM = 1, OWNER_OTHER = 2 };

typedef struct merger {
    str_map taken;    /* keys of the terms and aliases of the entries kept */
    str_map excluded; /* keys of the excluded terms */
    pl_buf tmp, key, text;
    pl_glossary *out;
    strvec exclude;
    pl_error *err;
} merger;

static pl_status add_exclusions(merger *m, const pl_glossary *g)
{
    size_t i;
    pl_status st;
    for (i = 0; i < g->exclude_count; i++) {
        const char *s = g->exclude[i] ? g->exclude[i] : "";
        size_t n = strlen(s);
        trim(&s, &n);
        if (n == 0)
            continue;
        if ((st = term_key(s, n, &m->tmp, &m->key, m->err)) != PL_OK)
            return st;
        if (map_get(&m->excluded, m->key.data, m->key.len))
            continue;
        if (map_put(&m->excluded, m->key.data, m->key.len, 1) != 0 ||
            strvec_push(&m->exclude, s, n) != 0)
            return nomem(m->err);
    }
    return PL_OK;
}

/* Copies e into m->out in the form parse would give after writing it:
 * trimmed names, a normalized explanation, metadata lines as the writer
 * emits them, every source with a text and the fields read from it. Only
 * the aliases with keep[i] set are taken (keep NULL: all). */
static pl_status copy_entry(merger *m, const pl_glossary_entry *e, const unsigned char *keep)
{
    pl_glossary_entry *c, copy;
    const char *s;
    size_t i, n, lines, pos = 0;
    const char *line;
    pl_status st = PL_OK;

    memset(&copy, 0, sizeof copy);
    copy.has_case = e->has_case;
    copy.case_policy = e->case_policy;
    copy.kind = e->kind;
    copy.excluded = e->excluded;
    copy.line = e->line;
    for (i = 0; st == PL_OK && i < e->alias_count; i++) {
        if (keep && !keep[i])
            continue;
        s = e->aliases[i] ? e->aliases[i] : "";
        n = strlen(s);
        trim(&s, &n);
        st = push_string(&copy.aliases, &copy.alias_count, s, n, m->err);
    }
    /* The metadata lines as the writer would emit them for the copy. */
    copy.meta = e->meta;
    copy.meta_count = e->meta_count;
    pl_buf_reset(&m->text);
    if (st == PL_OK && effective_meta(&m->text, &copy, &lines) != 0)
        st = nomem(m->err);
    copy.meta = NULL;
    copy.meta_count = 0;
    while (st == PL_OK && next_line(m->text.data, m->text.len, &pos, &line, &n))
        st = push_string(&copy.meta, &copy.meta_count, line, n, m->err);
    /* Dropping the last alias may leave no metadata, and an explanation
     * opening with "Case: ..." would then be read as metadata: an empty
     * "Aliases:" line keeps it prose. */
    if (st == PL_OK && copy.meta_count == 0 && !e->excluded && e->explanation) {
        block_facts facts;
        pl_buf_reset(&m->text);
        if (append_block(&m->text, e->explanation, strlen(e->explanation), 0) != 0)
            st = nomem(m->err);
        else {
            scan_block(m->text.data ? m->text.data : "", m->text.len, 0, &facts);
            if (facts.starts_with_meta)
                st = push_string(&copy.meta, &copy.meta_count, "Aliases:", 8, m->err);
        }
    }

    pl_buf_reset(&m->text);
    if (st == PL_OK && !e->excluded && e->explanation &&
        append_block(&m->text, e->explanation, strlen(e->explanation), 0) != 0)
        st = nomem(m->err);
    if (st == PL_OK && pl_buf_append(&m->text, "", 0) != 0)
        st = nomem(m->err);
    if (st == PL_OK)
        st = replace_string(&copy.explanation, m->text.data, m->text.len, m->err);

    for (i = 0; st == PL_OK && i < e->source_count; i++) {
        const pl_glossary_source *src = &e->sources[i];
        pl_glossary_source out;
        const char *why;
        int rc;
        memset(&out, 0, sizeof out);
        pl_buf_reset(&m->text);
        rc = format_source(&m->text, src, &m->tmp, &why);
        if (rc < 0)
            st = nomem(m->err);
        else if (rc == 0)
            /* Kept as it is: the writer will say why it cannot be written. */
            st = pl_glossary_entry_add_source(&copy, src->text, src->title, src->url, src->sentence,
                                              m->err);
        else {
            out.text = pl_strndup(m->text.data, m->text.len);
            if (!out.text || fill_source_fields(&out) != 0 ||
                pl_glossary_entry_add_source(&copy, out.text, out.title, out.url, out.sentence,
                                             m->err) != PL_OK)
                st = nomem(m->err);
            source_clear(&out);
        }
    }
    s = e->term ? e->term : "";
    n = strlen(s);
    trim(&s, &n);
    c = st == PL_OK ? pl_glossary_add_entry(m->out, s, n, m->err) : NULL;
    if (!c) {
        entry_clear(&copy);
        return st == PL_OK ? PL_ERR_NOMEM : st;
    }
    pl_free(c->explanation);
    copy.term = c->term;
    *c = copy;
    return PL_OK;
}

/* Records e's term and aliases (those kept) as taken. */
static pl_status take_names(merger *m, const pl_glossary_entry *e, const unsigned char *keep,
                            size_t term_owner)
{
    size_t i;
    map_slot *slot;
    pl_status st;
    for (i = 0; i <= e->alias_count; i++) {
        const char *s = i == 0 ? e->term : e->aliases[i - 1];
        if (!s || (i > 0 && keep && !keep[i - 1]))
            continue;
        if ((st = term_key(s, strlen(s), &m->tmp, &m->key, m->err)) != PL_OK)
            return st;
        slot = map_get(&m->taken, m->key.data, m->key.len);
        if (slot) {
            /* A user term wins over a user alias that came first. */
            if (i == 0 && term_owner == OWNER_USER_TERM)
                slot->value = OWNER_USER_TERM;
            continue;
        }
        if (map_put(&m->taken, m->key.data, m->key.len, i == 0 ? term_owner : OWNER_OTHER) != 0)
            return nomem(m->err);
    }
    return PL_OK;
}

/* Decides whether the extracted entry e is kept and which aliases survive. */
static pl_status merge_extracted(merger *m, const pl_glossary_entry *e)
{
    unsigned char *keep = NULL;
    map_slot *slot;
    size_t i;
    pl_status st;
    const char *term = e->term ? e->term : "";
    if ((st = term_key(term, strlen(term), &m->tmp, &m->key, m->err)) != PL_OK)
        return st;
    if (map_get(&m->taken, m->key.data, m->key.len) ||
        map_get(&m->excluded, m->key.data, m->key.len))
        return PL_OK;
    keep = pl_malloc(e->alias_count ? e->alias_count : 1);
    if (!keep)
        return nomem(m->err);
    for (i = 0; i < e->alias_count; i++) {
        const char *a = e->aliases[i] ? e->aliases[i] : "";
        if ((st = term_key(a, strlen(a), &m->tmp, &m->key, m->err)) != PL_OK)
            goto done;
        slot = map_get(&m->taken, m->key.data, m->key.len);
        if (slot && slot->value == OWNER_USER_TERM)
            goto done; /* a user term is this entry's alias: the user's entry wins */
        keep[i] = !slot && !map_get(&m->excluded, m->key.data, m->key.len);
    }
    st = copy_entry(m, e, keep);
    if (st == PL_OK)
        st = take_names(m, e, keep, OWNER_OTHER);
done:
    pl_free(keep);
    return st;
}

/* Whether a line of some explanation of g would close front matter opened
 * by "---" or "+++" (c = '-' or '+'); no other line of an entry can. */
static int entries_close_front_matter(const pl_glossary *g, char c)
{
    size_t i, pos, n;
    const char *line;
    for (i = 0; i < g->count; i++) {
        const char *s = g->entries[i].explanation;
        size_t len = strlen(s);
        for (pos = 0; next_line(s, len, &pos, &line, &n);)
            if (n >= 3 && is_blank_line(line + 3, n - 3) &&
                ((line[0] == c && line[1] == c && line[2] == c) ||
                 (c == '-' && memcmp(line, "...", 3) == 0)))
                return 1;
    }
    return 0;
}

pl_glossary *pl_glossary_merge(const pl_glossary *user, const pl_glossary *extracted, pl_error *err)
{
    merger m;
    size_t i;
    pl_status st;
    const pl_glossary *from;
    pl_error_clear(err);
    if (!user || !extracted) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_merge: NULL glossary");
        return NULL;
    }
    memset(&m, 0, sizeof m);
    m.err = err;
    m.out = pl_glossary_create(err);
    if (!m.out)
        return NULL;
    st = add_exclusions(&m, user);
    if (st == PL_OK)
        st = add_exclusions(&m, extracted);
    for (i = 0; st == PL_OK && i < user->count; i++) {
        st = copy_entry(&m, &user->entries[i], NULL);
        if (st == PL_OK)
            st = take_names(&m, &user->entries[i], NULL, OWNER_USER_TERM);
    }
    for (i = 0; st == PL_OK && i < extracted->count; i++)
        st = merge_extracted(&m, &extracted->entries[i]);
    if (st == PL_OK) {
        from = user->preamble && *user->preamble ? user : extracted;
        pl_buf_reset(&m.tmp);
        pl_buf_reset(&m.text);
        if ((from->preamble &&
             append_block(&m.tmp, from->preamble, strlen(from->preamble), 1) != 0) ||
            sync_preamble(&m.text, m.tmp.data ? m.tmp.data : "", m.tmp.len, m.exclude.items,
                          m.exclude.count) != 0)
            st = nomem(err);
        else if (m.text.len && front_matter_lines(m.text.data, m.text.len) == 0 &&
                 opens_file_specially(m.text.data, m.text.len) &&
                 entries_close_front_matter(m.out, m.text.data[0])) {
            /* The preamble's "---" was not front matter in its own file, but
             * a line of the other file's entries would close it: a blank
             * line first keeps it a plain line. */
            pl_buf_reset(&m.tmp);
            if (pl_buf_putc(&m.tmp, '\n') != 0 ||
                pl_buf_append(&m.tmp, m.text.data, m.text.len) != 0)
                st = nomem(err);
            else
                st = replace_string(&m.out->preamble, m.tmp.data, m.tmp.len, err);
        } else
            st = replace_string(&m.out->preamble, m.text.data, m.text.len, err);
    }
    if (st == PL_OK) {
        m.out->exclude = m.exclude.items;
        m.out->exclude_count = m.exclude.count;
        m.exclude.items = NULL;
        m.exclude.count = 0;
    }
    map_free(&m.taken);
    map_free(&m.excluded);
    pl_buf_free(&m.tmp);
    pl_buf_free(&m.key);
    pl_buf_free(&m.text);
    strvec_free(&m.exclude);
    if (st != PL_OK) {
        pl_glossary_free(m.out);
        return NULL;
    }
    return m.out;
}

/* ---- Anchors ---- */

/* Appends GitHub's slug of s[0..n) (see pl_slug). */
static int slug_append(pl_buf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, len;
    while (i < n) {
        unsigned char c = u[i];
        int32_t cp;
        if (c < 0x80) {
            int rc = 0;
            if (c >= 'A' && c <= 'Z')
                rc = pl_buf_putc(out, (char)(c - 'A' + 'a'));
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
                rc = pl_buf_putc(out, (char)c);
            else if (c == ' ')
                rc = pl_buf_putc(out, '-');
            if (rc != 0)
                return -1;
            i++;
            continue;
        }
        len = utf8_sequence(u + i, n - i);
        if (!len) {
            i++;
            continue;
        }
        cp = decode_sequence(u + i, len);
        i += len;
        switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LT:
            /* GitHub lowercases with the full mapping, where U+0130 (İ)
             * alone becomes two characters. */
            if (cp == 0x130) {
                if (pl_buf_append(out, "i\xCC\x87", 3) != 0)
                    return -1;
                continue;
            }
            break;
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
        case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_PC:
            break;
        default:
            continue;
        }
        /* Lowercase letters, letter numbers (Ⅻ) and the rest alike. */
        if (pl_buf_put_codepoint(out, utf8proc_tolower(cp)) != 0)
            return -1;
    }
    return 0;
}

char *pl_slug(const char *text, size_t len, size_t *out_len, pl_error *err)
{
    pl_buf out = PL_BUF_INIT;
    char *result;
    pl_error_clear(err);
    if (!text && len) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_slug: NULL text");
        return NULL;
    }
    if (slug_append(&out, text, len) != 0) {
        pl_buf_free(&out);
        nomem(err);
        return NULL;
    }
    result = pl_buf_detach(&out, out_len);
    if (!result)
        nomem(err);
    return result;
}

/* Gives the next heading of the page its id as GitHub does: the slug, and
 * while it is taken "slug-N" with N counting up per slug. Leaves it in
 * *out (cleared first). */
static int unique_slug(str_map *used, const char *text, size_t n, pl_buf *base, pl_buf *out)
{
    map_slot *slot;
    char suffix[32];
    pl_buf_reset(base);
    pl_buf_reset(out);
    if (slug_append(base, text, n) != 0 || pl_buf_append(base, "", 0) != 0 ||
        pl_buf_append(out, base->data, base->len) != 0)
        return -1;
    while (map_get(used, out->data, out->len)) {
        slot = map_get(used, base->data, base->len);
        slot->value++;
        snprintf(suffix, sizeof suffix, "-%zu", slot->value);
        pl_buf_reset(out);
        if (pl_buf_append(out, base->data, base->len) != 0 ||
            pl_buf_append(out, suffix, strlen(suffix)) != 0)
            return -1;
    }
    return map_put(used, out->data, out->len, 0);
}

/* Takes the ids of the headings inside a block of the page. */
static int block_headings(str_map *used, const char *s, int is_preamble, pl_buf *base, pl_buf *out)
{
    md_state md;
    const char *line, *text;
    size_t len, pos = 0, number = 0, text_len, n = strlen(s), front;
    memset(&md, 0, sizeof md);
    front = is_preamble ? front_matter_lines(s, n) : 0;
    while (next_line(s, n, &pos, &line, &len)) {
        number++;
        if (number > front && md_feed(&md, line, len, number) &&
            atx_heading(line, len, &text, &text_len) &&
            unique_slug(used, text, text_len, base, out) != 0)
            return -1;
    }
    return 0;
}

void pl_glossary_anchors_free(char **anchors, size_t count)
{
    free_strings(anchors, count);
}

char **pl_glossary_anchors(const pl_glossary *g, pl_error *err)
{
    str_map used;
    pl_buf base = PL_BUF_INIT, out = PL_BUF_INIT;
    char **anchors;
    size_t i, made = 0;
    int rc = 0;
    pl_error_clear(err);
    if (!g) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "pl_glossary_anchors: NULL glossary");
        return NULL;
    }
    anchors = pl_calloc(g->count ? g->count : 1, sizeof *anchors);
    if (!anchors) {
        nomem(err);
        return NULL;
    }
    memset(&used, 0, sizeof used);
    rc = block_headings(&used, g->preamble ? g->preamble : "", 1, &base, &out);
    for (i = 0; rc == 0 && i < g->count; i++) {
        const pl_glossary_entry *e = &g->entries[i];
        const char *term = e->term ? e->term : "";
        size_t n = strlen(term);
        trim(&term, &n);
        rc = unique_slug(&used, term, n, &base, &out);
        if (rc == 0) {
            anchors[i] = pl_strndup(out.data, out.len);
            rc = anchors[i] ? 0 : -1;
            made = i + 1;
        }
        if (rc == 0 && !e->excluded && e->explanation)
            rc = block_headings(&used, e->explanation, 0, &base, &out);
    }
    map_free(&used);
    pl_buf_free(&base);
    pl_buf_free(&out);
    if (rc != 0) {
        pl_glossary_anchors_free(anchors, made);
        nomem(err);
        return NULL;
    }
    return anchors;
}
