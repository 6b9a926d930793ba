/* Plain text to blocks: blank lines separate groups of lines, and inside a
 * group each line break is judged a soft wrap (joined) or a hard break (new
 * block) from the shape and width of the lines around it. One pass, a window
 * of five lines, no copy of the input: blocks are byte ranges of s. */
#include "plaintext.h"

#include <stdint.h>
#include <string.h>

/* Wrap widths in the wild are 60-100 columns (72, 76, 80 are usual); nobody
 * hard-wraps at 160, so a line wider than that is a paragraph of its own. */
#define WRAP_MAX 160
/* Lines narrower than this are menu entries, address lines, verse or table
 * rows; joining them would glue chrome into fake prose. */
#define WRAP_MIN 40
/* Nor does anyone wrap prose narrower than 50 columns, while lists of
 * headlines or links often have all their lines between 30 and 50. */
#define WRAP_WIDTH_MIN 50
/* Widths are only compared against WRAP_MAX, so counting further is waste
 * (and would make a 100 MB line cost twice). */
#define WIDTH_CAP (WRAP_MAX + 1)
/* A title is a line, not a paragraph: page titles run to ~150 bytes. */
#define TITLE_MAX_BYTES 250
/* A heading is shorter still; a longer lone line is a one-line paragraph. */
#define HEADING_MAX_BYTES 120
/* What makes a block "prose" after a would-be heading: one line of body text
 * is rarely under 80 bytes, while chrome lines usually are. */
#define PROSE_MIN_BYTES 80

/* SWAR: eight bytes tested at once. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGH_BITS UINT64_C(0x8080808080808080)

typedef enum line_shape {
    SHAPE_TEXT = 0,
    SHAPE_ITEM,   /* starts with a list marker */
    SHAPE_MDHEAD, /* "# Heading" */
    SHAPE_CELL,   /* "a | b" or "a\tb": a table row */
    SHAPE_LABEL   /* "Q: …", "Source: …": a field, unless a wrap produced it */
} line_shape;

typedef struct line {
    int valid;         /* 0: no such line in this group */
    int blank;         /* only white space, or a rule like "-----": separates groups */
    size_t start, end; /* the line without its newline and trailing white space */
    size_t text;       /* where the block text starts (after indentation and any marker) */
    size_t text_end;   /* where it ends (before a Markdown heading's closing #'s) */
    size_t width;      /* code points in [start, end), capped at WIDTH_CAP */
    size_t first_word; /* code points of the first word of the text, capped */
    size_t indent;     /* leading columns (a tab counts 4) */
    line_shape shape;
    int level;     /* Markdown heading level */
    int dash;      /* the item marker is "- " */
    int wrappable; /* the marker could be prose pushed to a new line ("- ", "1. ") */
} line;

/* A block being built, or built and waiting for its successor to decide
 * whether it is a title or a heading. */
typedef struct pending {
    size_t start, end;
    pl_block_kind kind;
    int level;
    int line_count;
    size_t indent;
    int group_first, group_last;
} pending;

typedef struct reader {
    const char *s;
    size_t n, pos;
    int group_done; /* a blank line (or the end) was read after the group's lines */
} reader;

typedef struct emitter {
    const char *s;
    pl_blocks *out;
    pending held;
    int holding;
    size_t emitted;
} emitter;

static int is_blank_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of a non-ASCII space at s (NBSP, U+2000-U+200A, U+202F, U+205F,
 * U+3000), or 0; scraped text is full of them in "empty" lines. */
static size_t unicode_space_len(const unsigned char *s, size_t n)
{
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xAF))
        return 3;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
        return 3;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

static int only_space(const unsigned char *u, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t sp = is_blank_byte(u[i]) ? 1 : unicode_space_len(u + i, n - i);
        if (!sp)
            return 0;
        i += sp;
    }
    return 1;
}

/* "-----", "=====", "* * *", "___": a rule separates like a blank line. */
static int is_rule(const unsigned char *u, size_t n)
{
    size_t i, marks = 0;
    unsigned char mark = 0;
    for (i = 0; i < n; i++) {
        if (u[i] == ' ' || u[i] == '\t')
            continue;
        if (u[i] != '-' && u[i] != '=' && u[i] != '*' && u[i] != '_')
            return 0;
        if (mark && u[i] != mark)
            return 0;
        mark = u[i];
        marks++;
    }
    return marks >= 3;
}

/* Code points in u[0..n), counting stops at cap. Lines of prose are long:
 * eight bytes are counted at once (each byte that is not a continuation
 * byte 10xxxxxx counts; the multiply sums the eight flags into the top
 * byte), which may pass cap by up to seven, hence the min. */
static size_t count_code_points(const unsigned char *u, size_t n, size_t cap)
{
    size_t i = 0, count = 0;
    while (n - i >= 8 && count < cap) {
        uint64_t v, cont;
        memcpy(&v, u + i, 8);
        cont = (v & ~(v << 1) & HIGH_BITS) >> 7;
        count += 8 - (size_t)((cont * ONES) >> 56);
        i += 8;
    }
    for (; i < n && count < cap; i++)
        count += (u[i] & 0xC0) != 0x80;
    return count < cap ? count : cap;
}

/* Bytes of a bullet ("-", "*", "+", "•", "◦", "▪", "‣") followed by a space
 * at u, or 0. */
static size_t bullet_len(const unsigned char *u, size_t n)
{
    size_t len = 0;
    if (n >= 1 && (u[0] == '-' || u[0] == '*' || u[0] == '+'))
        len = 1;
    else if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA2 || u[2] == 0xA3))
        len = 3;
    else if (n >= 3 && u[0] == 0xE2 && u[1] == 0x97 && u[2] == 0xA6)
        len = 3;
    else if (n >= 3 && u[0] == 0xE2 && u[1] == 0x96 && u[2] == 0xAA)
        len = 3;
    if (len && len < n && (u[len] == ' ' || u[len] == '\t'))
        return len + 1;
    return 0;
}

/* Bytes of an ordinal marker ("1. ", "12) ", "a) ", "(b) ") at u, or 0.
 * Three digits at most, so that "2024. " opening a wrapped line is prose;
 * letters only with ")" since "A. Smith" is an initial. */
static size_t ordinal_len(const unsigned char *u, size_t n)
{
    size_t i = 0, digits = 0;
    int paren = 0;
    if (i < n && u[i] == '(') {
        paren = 1;
        i++;
    }
    while (i < n && u[i] >= '0' && u[i] <= '9' && digits < 4) {
        i++;
        digits++;
    }
    if (digits == 0) {
        if (i < n && u[i] >= 'a' && u[i] <= 'z')
            i++;
        else
            return 0;
        if (i >= n || u[i] != ')')
            return 0;
    } else if (digits > 3 || i >= n || (u[i] != '.' && u[i] != ')')) {
        return 0;
    }
    if (paren && u[i] != ')')
        return 0;
    i++;
    if (i < n && (u[i] == ' ' || u[i] == '\t'))
        return i + 1;
    return 0;
}

/* "Q: ", "Source: ", "Last updated: ": one or two capitalised words and a
 * colon. After a finished sentence such a line is a field of its own, even
 * when the line before was long (teaser lists, metadata under an article). */
static int is_label(const unsigned char *u, size_t n)
{
    size_t i = 0, words = 1;
    if (n == 0 || u[0] < 'A' || u[0] > 'Z')
        return 0;
    for (i = 1; i < n && i <= 20; i++) {
        unsigned char c = u[i];
        if (c == ':')
            return i + 1 == n || u[i + 1] == ' ' || u[i + 1] == '\t';
        if (c == ' ') {
            if (++words > 2 || i + 1 >= n || u[i + 1] == ' ')
                return 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return 0;
    }
    return 0;
}

/* A table row: a "|" between two cells ("a | b", "| a | b |"), or a tab
 * after the first cell. */
static int is_cell(const unsigned char *u, size_t n)
{
    const unsigned char *bar = memchr(u, '|', n);
    const unsigned char *tab;
    if (bar && ((bar > u && bar + 1 < u + n) ||
                (bar + 1 < u + n && memchr(bar + 1, '|', n - (size_t)(bar + 1 - u)))))
        return 1;
    tab = memchr(u, '\t', n);
    while (tab) {
        size_t at = (size_t)(tab - u);
        if (at > 0 && u[at - 1] != '\t' && u[at - 1] != ' ' && at + 1 < n)
            return 1;
        tab = memchr(tab + 1, '\t', n - at - 1);
    }
    return 0;
}

static void classify_shape(const char *s, line *ln)
{
    const unsigned char *u = (const unsigned char *)s + ln->text;
    size_t n = ln->end - ln->text, k;
    ln->text_end = ln->end;
    if (u[0] == '#') {
        for (k = 0; k < n && u[k] == '#'; k++)
            ;
        if (k <= 6 && (k == n || u[k] == ' ' || u[k] == '\t')) {
            size_t e = ln->end;
            ln->shape = SHAPE_MDHEAD;
            ln->level = (int)k;
            ln->text += k;
            /* "## Title ##": the closing run goes too, when a space precedes it. */
            while (e > ln->text && s[e - 1] == '#')
                e--;
            if (e < ln->end && e > ln->text && (s[e - 1] == ' ' || s[e - 1] == '\t'))
                ln->text_end = e;
            return;
        }
    }
    if ((k = bullet_len(u, n)) != 0) {
        /* Bullets are typography: HTML list items carry none either. */
        ln->shape = SHAPE_ITEM;
        ln->dash = u[0] == '-';
        ln->wrappable = ln->dash;
        ln->text += k;
        return;
    }
    if (ordinal_len(u, n) != 0) {
        /* Numbers are kept: the text may refer to "step 2". */
        ln->shape = SHAPE_ITEM;
        ln->wrappable = 1;
        return;
    }
    if (is_cell(u, n)) {
        ln->shape = SHAPE_CELL;
        return;
    }
    if (is_label(u, n))
        ln->shape = SHAPE_LABEL;
}

/* Reads the line at r->pos and advances past its newline. */
static void read_line(reader *r, line *ln)
{
    const char *s = r->s;
    const char *nl = memchr(s + r->pos, '\n', r->n - r->pos);
    size_t end = nl ? (size_t)(nl - s) : r->n, i;
    const unsigned char *u;

    memset(ln, 0, sizeof *ln);
    ln->valid = 1;
    ln->start = r->pos;
    r->pos = nl ? end + 1 : r->n;
    while (end > ln->start && is_blank_byte((unsigned char)s[end - 1]))
        end--;
    ln->end = end;
    u = (const unsigned char *)s + ln->start;
    for (i = 0; ln->start + i < end && (u[i] == ' ' || u[i] == '\t'); i++)
        ln->indent += u[i] == '\t' ? 4 : 1;
    ln->text = ln->start + i;
    if (only_space(u + i, end - ln->text) || is_rule(u + i, end - ln->text)) {
        ln->blank = 1;
        return;
    }
    ln->width = count_code_points(u, end - ln->start, WIDTH_CAP);
    classify_shape(s, ln);
    u = (const unsigned char *)s + ln->text;
    for (i = 0; ln->text + i < ln->text_end && u[i] != ' ' && u[i] != '\t'; i++)
        ;
    ln->first_word = count_code_points(u, i, WIDTH_CAP);
}

/* The next line of the current group, or an invalid line once a blank line
 * or the end of the text has been reached. */
static void next_in_group(reader *r, line *ln)
{
    if (!r->group_done && r->pos < r->n) {
        read_line(r, ln);
        if (!ln->blank)
            return;
    }
    r->group_done = 1;
    memset(ln, 0, sizeof *ln);
}

/* Offset of the last character of s[start, end) once closing quotes and
 * brackets are skipped, or end when there is none. */
static size_t last_mark(const char *s, size_t start, size_t end)
{
    size_t e = end;
    while (e > start) {
        unsigned char c = (unsigned char)s[e - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']') {
            e--;
        } else if (e - start >= 3 && (c == 0x9D || c == 0x99) && (unsigned char)s[e - 2] == 0x80 &&
                   (unsigned char)s[e - 3] == 0xE2) {
            e -= 3; /* ” ’ */
        } else {
            break;
        }
    }
    if (e == start)
        return end;
    e--;
    while (e > start && ((unsigned char)s[e] & 0xC0) == 0x80)
        e--;
    return e;
}

static int ends_truncated(const char *s, size_t start, size_t end)
{
    if (end - start >= 3 && memcmp(s + end - 3, "...", 3) == 0)
        return 1;
    return end - start >= 3 && memcmp(s + end - 3, "\xE2\x80\xA6", 3) == 0;
}

static int ends_sentence(const char *s, size_t start, size_t end)
{
    size_t at = last_mark(s, start, end);
    const unsigned char *u = (const unsigned char *)s + at;
    if (at == end || ends_truncated(s, start, end))
        return 0;
    if (u[0] == '.' || u[0] == '!' || u[0] == '?')
        return 1;
    if (end - at < 3)
        return 0;
    /* 。 and the full-width ！ ？ */
    return (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x82) ||
           (u[0] == 0xEF && u[1] == 0xBC && (u[2] == 0x81 || u[2] == 0x9F));
}

static int starts_upper(const char *s, const line *ln)
{
    const unsigned char *u = (const unsigned char *)s + ln->text;
    size_t n = ln->text_end - ln->text, i = 0;
    while (i < n && (u[i] == '"' || u[i] == '\'' || u[i] == '('))
        i++;
    if (i + 3 <= n && u[i] == 0xE2 && u[i + 1] == 0x80 && (u[i + 2] == 0x9C || u[i + 2] == 0x98))
        i += 3;
    if (i >= n)
        return 0;
    /* Letters outside ASCII: case unknown here, so a sentence may start. */
    return (u[i] >= 'A' && u[i] <= 'Z') || (u[i] >= '0' && u[i] <= '9') || u[i] >= 0x80;
}

static unsigned char last_byte(const char *s, const line *ln)
{
    return ln->end > ln->start ? (unsigned char)s[ln->end - 1] : 0;
}

/* Title Case Or ALL CAPS without final punctuation: a heading that the
 * author did not separate by a blank line. */
static int heading_like(const char *s, const line *ln)
{
    const unsigned char *u = (const unsigned char *)s + ln->text;
    size_t n = ln->text_end - ln->text, i = 0, long_words = 0, capitalised = 0;
    unsigned char last = n ? u[n - 1] : 0;
    if (!((last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z') ||
          (last >= '0' && last <= '9')))
        return 0;
    while (i < n) {
        size_t w = i, letters = 0;
        for (; i < n && u[i] != ' '; i++)
            letters += (u[i] >= 'a' && u[i] <= 'z') || (u[i] >= 'A' && u[i] <= 'Z');
        if (letters >= 4) {
            long_words++;
            capitalised += u[w] >= 'A' && u[w] <= 'Z';
        }
        while (i < n && u[i] == ' ')
            i++;
    }
    return long_words > 0 && capitalised * 3 >= long_words * 2;
}

/* Whether the break between p (the last line of the block b) and the next
 * line q is a soft wrap. ctx holds the widths of the other lines within two
 * of p, which estimate the wrap width locally (one over-long line elsewhere
 * in the group does not skew it). */
static int soft_wrap(const char *s, const pending *b, const line *p, const line *q,
                     const size_t *ctx, size_t nctx)
{
    size_t i, wrap = 0;
    int filled;
    /* "- " or "1. " opening a line may be a dash or a number that the wrap
     * pushed down, when the line before neither announced a list nor ended
     * a sentence (and a dash continues in lower case). */
    int pushed_down = q->shape == SHAPE_ITEM && q->wrappable && b->kind == PL_BLOCK_PARAGRAPH &&
                      last_byte(s, p) != ':' && !ends_sentence(s, p->start, p->end) &&
                      (!q->dash || !starts_upper(s, q));
    if (q->shape != SHAPE_TEXT && q->shape != SHAPE_LABEL && !pushed_down)
        return 0;
    if (p->shape == SHAPE_MDHEAD || p->shape == SHAPE_CELL)
        return 0;
    /* "…" at the end of a line before a capital is a cut-off teaser. */
    if (ends_truncated(s, p->start, p->end) && (starts_upper(s, q) || q->shape == SHAPE_LABEL))
        return 0;
    for (i = 0; i < nctx; i++) {
        /* A line too long to be wrapped nearby: this stretch holds one
         * paragraph per line, whatever the widths of the short ones. */
        if (ctx[i] > WRAP_MAX)
            return 0;
        if (ctx[i] > wrap)
            wrap = ctx[i];
    }
    if (p->width > WRAP_MAX)
        return 0;
    if (p->width > wrap)
        wrap = p->width;
    if (b->kind == PL_BLOCK_ITEM) {
        if (q->indent > b->indent)
            return 1;
    } else if (q->indent > p->indent + 1) {
        return 0; /* first-line indentation opens a paragraph */
    }
    if (p->width < WRAP_MIN || wrap < WRAP_WIDTH_MIN)
        return 0;
    /* Well short of the wrap width: the author ended the line. */
    if (p->width * 10 < wrap * 6)
        return 0;
    /* Filled: the next word would not have fitted on this line. */
    filled = p->width + 1 + q->first_word > wrap;
    /* "Q: …", "Source: …" after a finished sentence is a field of its own,
     * unless it is the filled line's natural continuation ("he told BBC\n
     * Sport: …"), which a short field line is not. */
    if (q->shape == SHAPE_LABEL && ends_sentence(s, p->start, p->end) &&
        (!filled || q->width < WRAP_MIN))
        return 0;
    /* Not filled, so a greedy wrapper did not break here. Balanced wrappers
     * (fmt) leave slack too, hence only when another sign agrees: a sentence
     * ends and the next starts with a capital, or the line looks like a
     * heading. */
    if (!filled) {
        if (ends_sentence(s, p->start, p->end) && starts_upper(s, q))
            return 0;
        if (heading_like(s, p))
            return 0;
    }
    return 1;
}

static size_t block_bytes(const pending *b)
{
    return b->end - b->start;
}

/* Prose follows a lone line when the next block is a list, or a paragraph
 * made of wrapped lines or long enough to be one. */
static int is_prose(const char *s, const pending *b)
{
    if (b->kind == PL_BLOCK_ITEM)
        return 1;
    if (b->kind != PL_BLOCK_PARAGRAPH)
        return 0;
    return b->line_count >= 2 || block_bytes(b) >= PROSE_MIN_BYTES ||
           (block_bytes(b) >= WRAP_MIN && ends_sentence(s, b->start, b->end));
}

static int has_letter(const char *s, size_t start, size_t end)
{
    size_t i;
    for (i = start; i < end; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0)
            return 1;
    }
    return 0;
}

/* Decides, now that its successor `next` (NULL at the end) is known, what
 * the held block is, and appends it. */
static pl_status settle(emitter *em, const pending *next, pl_error *err)
{
    pending *b = &em->held;
    const char *s = em->s;
    size_t at = last_mark(s, b->start, b->end);
    unsigned char last = at < b->end ? (unsigned char)s[at] : 0;
    pl_status st;
    int added;

    if (em->emitted == 0 && b->line_count == 1 && next && block_bytes(b) < TITLE_MAX_BYTES &&
        last != '.' &&
        (b->kind == PL_BLOCK_PARAGRAPH || b->kind == PL_BLOCK_CELL ||
         (b->kind == PL_BLOCK_HEADING && b->level == 1)) &&
        (next->group_first || is_prose(s, next))) {
        /* The first line, set apart and unpunctuated, names the text; a
         * first line followed by more short lines in its group is a menu. */
        b->kind = PL_BLOCK_TITLE;
        b->level = 1;
    } else if (b->kind == PL_BLOCK_PARAGRAPH && b->line_count == 1 && b->group_first &&
               b->group_last && next && next->group_first && block_bytes(b) < HEADING_MAX_BYTES &&
               last != '.' && last != ',' && last != ';' && last != ':' &&
               has_letter(s, b->start, b->end) && is_prose(s, next)) {
        b->kind = PL_BLOCK_HEADING;
        b->level = 2;
    }
    st = pl_blocks_add(em->out, b->kind, s + b->start, block_bytes(b), &added, err);
    if (st != PL_OK)
        return st;
    if (added) {
        pl_block *blk = &em->out->items[em->out->count - 1];
        blk->heading_level =
            b->kind == PL_BLOCK_TITLE || b->kind == PL_BLOCK_HEADING ? b->level : 0;
        blk->line_count = b->line_count;
        em->emitted++;
    }
    return PL_OK;
}

static pl_status push(emitter *em, const pending *b, pl_error *err)
{
    if (em->holding) {
        pl_status st = settle(em, b, err);
        if (st != PL_OK)
            return st;
    }
    em->held = *b;
    em->holding = 1;
    return PL_OK;
}

static void open_block(pending *b, const line *ln, int group_first)
{
    memset(b, 0, sizeof *b);
    b->start = ln->text;
    b->kind = ln->shape == SHAPE_ITEM     ? PL_BLOCK_ITEM
              : ln->shape == SHAPE_MDHEAD ? PL_BLOCK_HEADING
              : ln->shape == SHAPE_CELL   ? PL_BLOCK_CELL
                                          : PL_BLOCK_PARAGRAPH;
    b->level = ln->shape == SHAPE_MDHEAD ? ln->level : 0;
    b->line_count = 1;
    b->indent = ln->indent;
    b->group_first = group_first;
}

/* Splits one group (win[2] is its first line) into blocks. win[k] is line
 * i - 2 + k around the current line i. */
static pl_status split_group(reader *r, emitter *em, line *win, pl_error *err)
{
    pending b;
    pl_status st;
    open_block(&b, &win[2], 1);
    next_in_group(r, &win[3]);
    next_in_group(r, &win[4]);
    for (;;) {
        size_t ctx[4], nctx = 0, k;
        if (!win[3].valid) {
            b.end = win[2].text_end;
            b.group_last = 1;
            return push(em, &b, err);
        }
        for (k = 0; k < 5; k++)
            if (k != 2 && win[k].valid)
                ctx[nctx++] = win[k].width;
        if (soft_wrap(em->s, &b, &win[2], &win[3], ctx, nctx)) {
            b.line_count++;
        } else {
            b.end = win[2].text_end;
            st = push(em, &b, err);
            if (st != PL_OK)
                return st;
            open_block(&b, &win[3], 0);
        }
        memmove(win, win + 1, 4 * sizeof *win);
        next_in_group(r, &win[4]);
    }
}

pl_status pl_plaintext_to_blocks(const char *s, size_t n, pl_blocks *out, pl_error *err)
{
    reader r;
    emitter em;
    line win[5];
    pl_status st;

    if (!out || (!s && n > 0))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no input or output");
    memset(&r, 0, sizeof r);
    memset(&em, 0, sizeof em);
    r.s = s;
    r.n = n;
    em.s = s;
    em.out = out;
    while (r.pos < r.n) {
        memset(win, 0, sizeof win);
        read_line(&r, &win[2]);
        if (win[2].blank)
            continue;
        r.group_done = 0;
        st = split_group(&r, &em, win, err);
        if (st != PL_OK)
            return st;
    }
    if (em.holding)
        return settle(&em, NULL, err);
    return PL_OK;
}
