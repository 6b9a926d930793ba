/* The linker's core: finds glossary terms in a Markdown note. Whole words,
 * leftmost-longest, case policy per term, never inside code, URLs, links,
 * HTML or front matter; incremental by line ranges for editors. */
#ifndef PL_MATCH_H
#define PL_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* ---- Building a matcher ---- */

typedef enum pl_case_policy {
    PL_CASE_INSENSITIVE = 0, /* common phrases: any case ("new quality", "NEW QUALITY") */
    /* Names and quoted terms: the text must keep the capitals of the spec.
     * Accepted: the spec's case letter by letter ("One Optimization"), ALL
     * CAPS ("ONE OPTIMIZATION"), or Title Case, i.e. every word starting with
     * a capital and the other letters as in the spec. "one optimization" and
     * "One optimization" are not. */
    PL_CASE_CAPITALIZED,
    PL_CASE_EXACT /* letter for letter as in the spec */
} pl_case_policy;

typedef struct pl_term_spec {
    const char *text; /* UTF-8; need not be NUL-terminated */
    size_t len;       /* bytes of text */
    uint32_t id;      /* the term; variants (plurals, spellings) share an id */
    pl_case_policy case_policy;
} pl_term_spec;

typedef struct pl_matcher pl_matcher;

/* Builds a matcher from count specs (count may be 0: nothing ever matches).
 * The specs are copied; the caller keeps ownership of its strings. Each text
 * is taken as written in a note would be: NFC-normalized, case-folded, with
 * every run of white space and hyphens (- U+2010 U+2011) inside it read as one
 * separator, so "high-quality" also finds "high quality" and a line-wrapped
 * "high\nquality"; curly apostrophes and quotes equal straight ones.
 * Several specs may share a text: for a candidate the strictest policy that
 * accepts it wins (exact, then capitalized, then insensitive), then the
 * earliest spec. Exact duplicates are kept once.
 * Returns the matcher (free with pl_matcher_free), or NULL with err set:
 * PL_ERR_INVALID_ARGUMENT when a text is not valid UTF-8, holds U+FFFD or
 * NUL, is empty once separators are trimmed, folds to more than 1024 bytes,
 * or a policy is unknown (the message names the spec's index and id, e.g.
 * "term 3 (id 7) is empty"); PL_ERR_TOO_LARGE past 2^31 specs; PL_ERR_NOMEM. */
pl_matcher *pl_matcher_create(const pl_term_spec *specs, size_t count, pl_error *err);

/* Releases m; accepts NULL. */
void pl_matcher_free(pl_matcher *m);

/* Bytes of memory the matcher holds (its automaton and term tables). */
size_t pl_matcher_memory(const pl_matcher *m);
/* The word scan pl_matcher_match uses by default on this processor:
 * "AVX-512" (chosen at run time) or "portable". A static string. */
const char *pl_matcher_scan_name(const pl_matcher *m);

/* ---- Markdown state at a line start ----
 *
 * A small value saying what the line starts inside of: a fenced code block
 * (with its fence character, length and indent), front matter, an HTML
 * comment or raw HTML block, a paragraph, a list. Store it as an integer and
 * hand it back unchanged. */
typedef uint32_t pl_md_state;

/* The state at the first line of a note: only there may front matter start
 * (--- YAML or +++ TOML on the very first line). */
#define PL_MD_STATE_START ((pl_md_state)0)

/* Whether matching may start (or stop) at a line with this state and give
 * exactly what a match of the whole note gives there: true unless the line
 * continues a paragraph, where a term may be wrapped from the line before
 * or an inline construct (code span, link) may have opened. */
int pl_md_state_is_boundary(pl_md_state state);

/* ---- Matching ---- */

typedef enum pl_match_once {
    PL_MATCH_ALL = 0,          /* every occurrence */
    PL_MATCH_ONCE_PER_NOTE,    /* first occurrence of each term id in the text */
    PL_MATCH_ONCE_PER_SECTION, /* first occurrence after each heading */
} pl_match_once;

typedef struct pl_match_options {
    pl_match_once once;
    /* Terms whose spec has fewer code points than this are ignored (as if
     * they were not in the glossary: a shorter term inside may match). */
    size_t min_length;
    const uint32_t *exclude_ids; /* ignored the same way; may be NULL */
    size_t exclude_count;
    int skip_headings; /* 0 (default): headings are linked like prose */
    /* 1: the portable word scan even where the processor has AVX-512 (both
     * give the same matches; tests and benchmarks compare them). */
    int portable_scan;
    int want_line_states;
} pl_match_options;

typedef struct pl_match {
    size_t start, end; /* byte offsets into the text passed, end exclusive */
    uint32_t id;
    size_t line, col;         /* of start: 0-based line, byte column */
    size_t end_line, end_col; /* of end (exclusive), same convention */
} pl_match;

typedef struct pl_match_list {
    pl_match *items; /* in text order, non-overlapping; owned by the list */
    size_t count;
    size_t cap;
    /* With want_line_states: the state at the start of each line of the
     * text, then the state after its last line (line_state_count = lines + 1;
     * a final '\n' ends the last line, it does not start an empty one: "a\nb"
     * and "a\nb\n" both have 2 lines, "" has none). */
    pl_md_state *line_states;
    size_t line_state_count;
    size_t line_state_cap;
} pl_match_list;

#define PL_MATCH_LIST_INIT                                                                         \
    {                                                                                              \
        NULL, 0, 0, NULL, 0, 0                                                                     \
    }

/* Empties the list, keeping its memory for the next call. */
void pl_match_list_reset(pl_match_list *list);
/* Releases the list's memory; the list may be reused. Accepts NULL. */
void pl_match_list_free(pl_match_list *list);

/* Finds the terms of m in the Markdown note text[0..len) and appends them to
 * out (reset it first to reuse it). opts may be NULL (defaults: every
 * occurrence, headings linked). Same as pl_matcher_match_lines from line 0
 * with PL_MD_STATE_START. */
pl_status pl_matcher_match(const pl_matcher *m, const char *text, size_t len,
                           const pl_match_options *opts, pl_match_list *out, pl_error *err);

/* Matches the lines in text[0..len), which must start at a line start of
 * the note, given the state at that line; lines are numbered from
 * first_line in the results, byte offsets stay relative to text. Stores the
 * state after the last line in *end_state (if not NULL). "once" counts only
 * within this call. Matches never run past len, so for results equal to a
 * full match, start and end at lines whose state pl_md_state_is_boundary
 * accepts. Re-matching after an edit: keep the line states of the last run
 * (want_line_states); from the nearest boundary line at or before the edit
 * to the next boundary line after it, re-match, and go on a further stretch
 * while the returned end state differs from the stored one.
 *
 * Rules (no match is ever reported inside):
 * - fenced code (``` or ~~~, any info string, closed by a fence of the same
 *   character at least as long), indented code (4 columns after a blank line,
 *   except inside lists), inline code (backtick runs of equal length);
 * - autolinks <http://...>, bare URLs (scheme://..., www.), e-mail addresses;
 * - links [text](target), [text][ref], [text], reference definitions, images
 *   ![alt](src), wiki links [[...]] and embeds ![[...]], footnote labels;
 * - HTML tags, comments, entities, the text of <a>, <code>, <kbd>, <samp>,
 *   <pre>, <script>, <style>, <textarea>, and HTML blocks;
 * - YAML (---) or TOML (+++) front matter opening the note's first line.
 * Terms are whole words: the characters beside a match must not be letters
 * or digits (CJK characters excepted, so a CJK term matches inside CJK text
 * and a Latin term beside CJK), nor '_' or a single '.' or '-' joined to a
 * letter or digit (file names, identifiers: local-conditions.json,
 * snake_case, foo.bar), nor '#' or '@' before it, nor '@' after it.
 * White space inside a term matches any run of spaces, tabs and hyphens
 * holding at most one line break (a blank line ends the paragraph).
 * Escape: "<!--no-link-->" directly before an occurrence (spaces allowed in
 * between) leaves that one unlinked; the comment is invisible in rendered
 * Markdown. Invalid UTF-8 in text is allowed: each bad byte is a separator
 * that no match contains.
 * Returns PL_OK, or PL_ERR_NOMEM (out keeps what it held before the call),
 * or PL_ERR_INVALID_ARGUMENT for NULL m/out or NULL text with len > 0. */
pl_status pl_matcher_match_lines(const pl_matcher *m, const char *text, size_t len,
                                 size_t first_line, pl_md_state state, const pl_match_options *opts,
                                 pl_match_list *out, pl_md_state *end_state, pl_error *err);

#endif
