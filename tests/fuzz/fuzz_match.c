/* Fuzz target: the linker's matcher (src/match.c). The first byte picks a
 * mode (its value mod 3):
 * 0 raw: a glossary and a note from the bytes (terms one a line before the
 *   first 0xFE byte, "!" exact and "^" capitalized; without 0xFE a fixed
 *   glossary and the bytes as the note); any result must be in bounds, in
 *   order, whole-word, with right lines and columns, and matching the note
 *   in chunks cut at boundary lines must give the same matches and states;
 * 1 reference: a random glossary and a random note (words, separators, no
 *   Markdown) decoded from the bytes, matched by the automaton and by a
 *   slow scan that tries every term at every word start (adapted from
 *   tests/c/test_match.c, plus exclusions and min_length): same spans;
 * 2 Markdown: a note made of Markdown blocks and inline constructs decoded
 *   from the bytes, with the checks of mode 0.
 * Every mode also matches with the portable word scan (pl_match_options
 * portable_scan) and wants exactly what the default scan found (AVX-512 on
 * processors that have it).
 * The byte after it holds the options: once, skip_headings, min_length, an
 * excluded id and whether the matcher's allocations may fail. */
#include "fuzz.h"

#include "match.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Growing text ---- */

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void put_n(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        FUZZ_CHECK(t->data != NULL);
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void put(text *t, const char *s)
{
    put_n(t, s, strlen(s));
}

/* ---- Checks shared by the raw and Markdown modes ---- */

static size_t line_offset(const char *s, size_t len, size_t line)
{
    size_t pos = 0;
    while (line > 0 && pos < len) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        if (!nl)
            return len;
        pos = (size_t)(nl - s) + 1;
        line--;
    }
    return pos;
}

static int ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Whether no run of white space, hyphens and quote markers in s[0..n)
 * holds two line breaks. */
static int one_break_between_words(const char *s, size_t n)
{
    size_t i;
    int breaks = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '\n') {
            if (breaks++)
                return 0;
        } else if (s[i] == '\0' || !strchr(" \t\r\v\f->", s[i])) {
            breaks = 0;
        }
    }
    return 1;
}

static void check_list(const char *s, size_t n, const pl_match_list *list, size_t first_line,
                       const pl_match_options *o, uint32_t max_id)
{
    size_t k, i = 0, line = first_line, col = 0, prev_end = 0, lines = 0;
    /* A state per line, then the state after the last one; a final '\n'
     * ends the last line, it does not start an empty one (match.h). */
    for (k = 0; k < n; k++)
        lines += s[k] == '\n';
    lines += n > 0 && s[n - 1] != '\n';
    if (o->want_line_states)
        FUZZ_CHECK(list->line_state_count == lines + 1);
    for (k = 0; k < list->count; k++) {
        const pl_match *mt = &list->items[k];
        size_t j;
        FUZZ_CHECK(mt->start >= prev_end && mt->start < mt->end && mt->end <= n);
        FUZZ_CHECK(mt->id <= max_id);
        for (j = 0; j < o->exclude_count; j++)
            FUZZ_CHECK(mt->id != o->exclude_ids[j]);
        if (o->once == PL_MATCH_ONCE_PER_NOTE)
            for (j = 0; j < k; j++)
                FUZZ_CHECK(list->items[j].id != mt->id);
        /* No match holds an invalid byte; none starts or ends inside a word. */
        FUZZ_CHECK(fuzz_valid_utf8(s + mt->start, mt->end - mt->start));
        FUZZ_CHECK(mt->start == 0 || !ascii_alnum((unsigned char)s[mt->start - 1]) ||
                   !ascii_alnum((unsigned char)s[mt->start]));
        FUZZ_CHECK(mt->end == n || !ascii_alnum((unsigned char)s[mt->end]) ||
                   !ascii_alnum((unsigned char)s[mt->end - 1]));
        for (; i < mt->start; i++) {
            col = s[i] == '\n' ? 0 : col + 1;
            line += s[i] == '\n';
        }
        FUZZ_CHECK(mt->line == line && mt->col == col);
        for (; i < mt->end; i++) {
            col = s[i] == '\n' ? 0 : col + 1;
            line += s[i] == '\n';
        }
        FUZZ_CHECK(mt->end_line == line && mt->end_col == col);
        /* No blank line inside a match: between two words, at most one line
         * break (a term of three words may take three lines). */
        FUZZ_CHECK(one_break_between_words(s + mt->start, mt->end - mt->start));
        prev_end = mt->end;
    }
}

static void check_same(const pl_match_list *a, const pl_match_list *b)
{
    size_t i;
    FUZZ_CHECK(a->count == b->count);
    for (i = 0; i < a->count; i++) {
        FUZZ_CHECK(a->items[i].start == b->items[i].start && a->items[i].end == b->items[i].end);
        FUZZ_CHECK(a->items[i].id == b->items[i].id);
        FUZZ_CHECK(a->items[i].line == b->items[i].line && a->items[i].col == b->items[i].col);
        FUZZ_CHECK(a->items[i].end_line == b->items[i].end_line &&
                   a->items[i].end_col == b->items[i].end_col);
    }
}

/* Matches s[0..n) whole, checks it, then in chunks that start at boundary
 * lines (every cut-th one, at least one line each): the same matches, and
 * each chunk's end state is the next chunk's line state. */
static void match_and_check(const pl_matcher *m, const char *s, size_t n, pl_match_options o,
                            uint32_t max_id, unsigned cut, const fuzz_input *in)
{
    pl_match_list full = PL_MATCH_LIST_INIT, parts = PL_MATCH_LIST_INIT;
    pl_md_state st = PL_MD_STATE_START;
    size_t lines, line = 0;
    pl_status status;
    pl_error err;

    o.want_line_states = 1;
    fuzz_arm(in);
    status = pl_matcher_match(m, s, n, &o, &full, &err);
    fuzz_disarm();
    if (status != PL_OK) {
        FUZZ_CHECK(status == PL_ERR_NOMEM && in->fail_after >= 0 && full.count == 0);
        pl_match_list_free(&full);
        return;
    }
    check_list(s, n, &full, 0, &o, max_id);
    /* The portable word scan finds exactly what the default one (AVX-512
     * where the processor has it) found. */
    o.portable_scan = 1;
    FUZZ_CHECK(pl_matcher_match(m, s, n, &o, &parts, NULL) == PL_OK);
    check_same(&parts, &full);
    pl_match_list_reset(&parts);
    o.portable_scan = 0;

    /* "once" counts within one call: compare every occurrence. */
    o.once = PL_MATCH_ALL;
    pl_match_list_reset(&full);
    FUZZ_CHECK(pl_matcher_match(m, s, n, &o, &full, NULL) == PL_OK);
    lines = full.line_state_count - 1;
    while (line < lines) {
        size_t next = line + 1 + (line * 7 + cut) % 5, off, end, before = parts.count, i;
        while (next < lines && !pl_md_state_is_boundary(full.line_states[next]))
            next++;
        if (next > lines)
            next = lines;
        off = line_offset(s, n, line);
        end = next >= lines ? n : line_offset(s, n, next);
        FUZZ_CHECK(full.line_states[line] == st);
        o.want_line_states = 0;
        FUZZ_CHECK(pl_matcher_match_lines(m, s + off, end - off, line, st, &o, &parts, &st, NULL) ==
                   PL_OK);
        for (i = before; i < parts.count; i++) {
            parts.items[i].start += off;
            parts.items[i].end += off;
        }
        line = next;
    }
    FUZZ_CHECK(st == full.line_states[lines]);
    check_same(&parts, &full);
    pl_match_list_free(&full);
    pl_match_list_free(&parts);
}

/* ---- Mode 0: raw bytes ---- */

static const char *const DEFAULT_TERMS[] = {"europe",
                                            "^European Union",
                                            "union",
                                            "new quality",
                                            "^New Quality forces",
                                            "café",
                                            "!China's",
                                            "euro",
                                            "quality",
                                            "a",
                                            "of the",
                                            "中国",
                                            "high-quality",
                                            "!OECD",
                                            "productive forces"};

static void mode_raw(const char *s, size_t n, const pl_match_options *o, unsigned cut,
                     const fuzz_input *in)
{
    pl_term_spec specs[64];
    const char *split = memchr(s, 0xFE, n);
    const char *note = s;
    size_t note_len = n, count = 0;
    pl_matcher *m;
    pl_error err;

    if (split) {
        const char *p = s;
        note = split + 1;
        note_len = n - (size_t)(note - s);
        while (p < split && count < COUNT(specs)) {
            const char *nl = memchr(p, '\n', (size_t)(split - p));
            const char *e = nl ? nl : split;
            pl_term_spec *sp = &specs[count];
            sp->case_policy = PL_CASE_INSENSITIVE;
            if (p < e && (*p == '!' || *p == '^')) {
                sp->case_policy = *p == '!' ? PL_CASE_EXACT : PL_CASE_CAPITALIZED;
                p++;
            }
            sp->text = p;
            sp->len = (size_t)(e - p);
            sp->id = (uint32_t)(count % 7);
            count++;
            p = e + 1;
        }
    } else {
        for (; count < COUNT(DEFAULT_TERMS); count++) {
            const char *t = DEFAULT_TERMS[count];
            pl_term_spec *sp = &specs[count];
            sp->case_policy = t[0] == '!'   ? PL_CASE_EXACT
                              : t[0] == '^' ? PL_CASE_CAPITALIZED
                                            : PL_CASE_INSENSITIVE;
            sp->text = sp->case_policy == PL_CASE_INSENSITIVE ? t : t + 1;
            sp->len = strlen(sp->text);
            sp->id = (uint32_t)count;
        }
    }
    fuzz_arm(in);
    m = pl_matcher_create(specs, count, &err);
    fuzz_disarm();
    if (!m) {
        FUZZ_CHECK(err.status == PL_ERR_INVALID_ARGUMENT ||
                   (err.status == PL_ERR_NOMEM && in->fail_after >= 0));
        FUZZ_CHECK(err.status != PL_ERR_INVALID_ARGUMENT || strncmp(err.message, "term ", 5) == 0);
        return;
    }
    FUZZ_CHECK(pl_matcher_memory(m) > 0);
    match_and_check(m, note, note_len, *o, (uint32_t)count, cut, in);
    pl_matcher_free(m);
}

/* ---- Mode 2: Markdown notes ---- */

static const char *const WORDS[] = {"euro", "europe",  "European", "union",   "Union",  "reunion",
                                    "new",  "New",     "quality",  "QUALITY", "forces", "café",
                                    "CAFÉ", "china’s", "China's",  "a",       "the",    "of",
                                    "中国", "OECD",    "high",     "Quality", "x.eu",   "a@b.eu"};

static void md_prose(text *t, fuzz_bytes *b)
{
    static const char *const SEPS[] = {" ",   " ",  " ",  "  ", "\t", "-",
                                       " - ", ", ", ". ", "_",  "\n"};
    static const char *const INLINE[] = {"`",
                                         "`europe`",
                                         "[union](x)",
                                         "<b>",
                                         "<!-- a -->",
                                         "http://e.eu/new",
                                         "<!--no-link-->",
                                         "*",
                                         "[[europe]]",
                                         "![a](b)",
                                         "<a href=x>",
                                         "</a>",
                                         "<code>",
                                         "</code>",
                                         "&amp;",
                                         "[^1]",
                                         "``",
                                         "\\",
                                         "#",
                                         "@",
                                         "www.",
                                         "**",
                                         "](",
                                         "["};
    int k, words = 1 + (int)fuzz_pick(b, 10);
    put(t, WORDS[fuzz_pick(b, COUNT(WORDS))]);
    for (k = 1; k < words; k++) {
        put(t, SEPS[fuzz_pick(b, COUNT(SEPS))]);
        if (fuzz_pick(b, 6) == 0) {
            put(t, INLINE[fuzz_pick(b, COUNT(INLINE))]);
            if (fuzz_pick(b, 2))
                put(t, " ");
        }
        put(t, WORDS[fuzz_pick(b, COUNT(WORDS))]);
    }
}

static void md_note(text *t, fuzz_bytes *b)
{
    static const char *const BLOCKS[] = {
        "",     "",       "```",      "~~~~ lua",  "````",      "# ",
        "> ",   "- ",     "1. ",      "    ",      "---",       "<!--",
        "-->",  "===",    "+++",      "<div>",     "</div>",    "[r]: http://x",
        "  ",   "\t",     "## ",      "* ",        "<pre>",     "</pre>",
        "> > ", "   ```", "<script>", "</script>", "| a | b |", "    - "};
    size_t lines = 0;
    put(t, "");
    if (fuzz_pick(b, 4) == 0)
        put(t, fuzz_pick(b, 2) ? "---\ntitle: europe\n---\n" : "+++\n");
    while (fuzz_left(b) && lines++ < 200) {
        uint32_t r = fuzz_pick(b, 10);
        if (r < 5) {
            md_prose(t, b);
        } else if (r < 9) {
            const char *blk = BLOCKS[fuzz_pick(b, COUNT(BLOCKS))];
            put(t, blk);
            if (fuzz_pick(b, 2))
                md_prose(t, b);
        }
        if (fuzz_pick(b, 8))
            put(t, "\n");
    }
}

static void mode_markdown(fuzz_bytes *b, const pl_match_options *o, unsigned cut,
                          const fuzz_input *in)
{
    text t = {NULL, 0, 0};
    md_note(&t, b);
    mode_raw(t.data, t.len, o, cut, in);
    free(t.data);
}

/* ---- Mode 1: against a naive reference (from tests/c/test_match.c) ---- */

/* Notes for the reference: words, separators and a little punctuation, no
 * Markdown, so paragraphs (split at blank lines) are all there is. */
static const char *const REF_WORDS[] = {"eu",      "euro",    "europe", "europes", "european",
                                        "union",   "re",      "new",    "quality", "café",
                                        "china's", "china’s", "x",      "of",      "one"};

static void ref_note(text *t, fuzz_bytes *b)
{
    static const char *const SEPS[] = {" ",    " ",  " ",  "  ", "\t", "-", " - ", "\n",
                                       "\n\n", ", ", ". ", ".",  "_",  "'", "--",  " \n "};
    int k, words = 1 + (int)fuzz_pick(b, 120);
    put(t, "");
    for (k = 0; k < words; k++) {
        const char *w = REF_WORDS[fuzz_pick(b, COUNT(REF_WORDS))];
        char buf[32];
        size_t i = 0, r = fuzz_pick(b, 4);
        /* lower, Title, UPPER or exotic case */
        for (; w[i]; i++) {
            char ch = w[i];
            if ((r == 1 && i == 0) || r == 2 || (r == 3 && fuzz_pick(b, 2)))
                ch = (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
            buf[i] = ch;
        }
        buf[i] = '\0';
        /* é -> É in upper case */
        if (r == 2) {
            char *e = strstr(buf, "\xC3\xA9");
            if (e)
                e[1] = (char)0x89;
        }
        if (k)
            put(t, SEPS[fuzz_pick(b, COUNT(SEPS))]);
        put(t, buf);
    }
}

#define REF_CHECK(cond) FUZZ_CHECK(cond)
#include "../c/match_reference.h"

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void print_list(const char *what, const char *note, const pl_match_list *l)
{
    size_t i;
    fprintf(stderr, "%s:", what);
    for (i = 0; i < l->count; i++)
        fprintf(stderr, " [%.*s]{%u}@%zu", (int)(l->items[i].end - l->items[i].start),
                note + l->items[i].start, (unsigned)l->items[i].id, l->items[i].start);
    fprintf(stderr, "\n");
}

static void mode_reference(fuzz_bytes *b, const pl_match_options *o)
{
    pl_term_spec specs[12];
    ref_spec refs[12];
    char texts[12][128];
    size_t nspecs = 1 + fuzz_pick(b, 12), k, i;
    pl_matcher *m;
    text note = {NULL, 0, 0};
    pl_match_list got = PL_MATCH_LIST_INIT, want = PL_MATCH_LIST_INIT;
    pl_match_options opts = *o;
    pl_error err;
    int same;

    /* The reference knows neither "once" nor headings (its notes have none). */
    opts.once = PL_MATCH_ALL;
    opts.want_line_states = 0;
    for (k = 0; k < nspecs; k++) {
        size_t words = 1 + fuzz_pick(b, 3);
        uint32_t r = fuzz_pick(b, 3);
        texts[k][0] = '\0';
        for (i = 0; i < words; i++) {
            const char *word = REF_WORDS[fuzz_pick(b, COUNT(REF_WORDS))];
            if (i)
                strcat(texts[k], fuzz_pick(b, 3) ? " " : "-");
            strcat(texts[k], word);
            if (r && fuzz_pick(b, 2) && texts[k][strlen(texts[k]) - strlen(word)] >= 'a')
                texts[k][strlen(texts[k]) - strlen(word)] -= 32;
        }
        ref_normalize(texts[k], 0, strlen(texts[k]), 1, refs[k].key);
        ref_normalize(texts[k], 0, strlen(texts[k]), 0, refs[k].disp);
        refs[k].id = fuzz_pick(b, 6);
        refs[k].policy = r == 0   ? PL_CASE_INSENSITIVE
                         : r == 1 ? PL_CASE_CAPITALIZED
                                  : PL_CASE_EXACT;
        refs[k].rank = r == 0 ? 2 : r == 1 ? 1 : 0;
        refs[k].index = k;
        refs[k].ignored = code_points(texts[k]) < opts.min_length;
        for (i = 0; i < opts.exclude_count; i++)
            refs[k].ignored |= refs[k].id == opts.exclude_ids[i];
        specs[k].text = texts[k];
        specs[k].len = strlen(texts[k]);
        specs[k].id = refs[k].id;
        specs[k].case_policy = refs[k].policy;
    }
    m = pl_matcher_create(specs, nspecs, &err);
    FUZZ_CHECK(m != NULL);
    ref_note(&note, b);
    ref_scan(refs, nspecs, note.data, note.len, &want);
    /* Both word scans: AVX-512 where the processor has it, and portable. */
    for (opts.portable_scan = 0, same = 1; same && opts.portable_scan < 2; opts.portable_scan++) {
        pl_match_list_reset(&got);
        FUZZ_CHECK(pl_matcher_match(m, note.data, note.len, &opts, &got, NULL) == PL_OK);
        same = got.count == want.count;
        for (i = 0; same && i < got.count; i++)
            same = got.items[i].start == want.items[i].start &&
                   got.items[i].end == want.items[i].end && got.items[i].id == want.items[i].id;
    }
    if (!same) {
        fprintf(stderr, "%s scan\n", opts.portable_scan == 2 ? "portable" : "default");
        for (k = 0; k < nspecs; k++)
            fprintf(stderr, "spec %zu: \"%s\" id %u policy %d%s\n", k, texts[k],
                    (unsigned)refs[k].id, (int)refs[k].policy, refs[k].ignored ? " ignored" : "");
        fprintf(stderr, "min_length %zu, excluded %zu\nnote: %s\n", opts.min_length,
                opts.exclude_count ? (size_t)opts.exclude_ids[0] : (size_t)-1, note.data);
        print_list(" got", note.data, &got);
        print_list("want", note.data, &want);
    }
    FUZZ_CHECK(same);
    pl_match_list_free(&got);
    pl_match_list_free(&want);
    pl_matcher_free(m);
    free(note.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {NULL, 0, 0, -1};
    fuzz_bytes b;
    pl_match_options o;
    uint32_t excluded;
    unsigned mode, opt, cut;

    if (size < 2)
        return 0;
    mode = data[0] % 3;
    opt = data[1];
    memset(&o, 0, sizeof o);
    o.once = (pl_match_once)(opt % 3);
    o.skip_headings = (opt >> 2) & 1;
    o.min_length = (opt >> 3) & 3 ? (opt >> 3) & 7 : 0;
    excluded = (opt >> 6) & 3;
    if (excluded) {
        o.exclude_ids = &excluded;
        o.exclude_count = 1;
    }
    cut = opt;
    b.p = data + 2;
    b.n = size - 2;
    b.pos = 0;
    if (mode == 0) {
        /* Allocation failures through the usual trailer, in raw mode only. */
        in = fuzz_split(data + 2, size - 2);
        mode_raw(in.data, in.size, &o, cut, &in);
    } else if (mode == 1) {
        mode_reference(&b, &o);
    } else {
        mode_markdown(&b, &o, cut, &in);
    }
    return 0;
}
