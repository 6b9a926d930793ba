/* The glossary file: a Markdown page that is both the user's editable list of
 * terms and a wiki page notes link into. Parsed into a pl_glossary, written
 * back deterministically, merged (the user's file wins), searched by term.
 *
 * The format (doc/glossary-format.md has the full description):
 *
 *     # Glossary                          optional title; any text before the
 *     Exclude: development, system        first entry is kept as the preamble;
 *                                         Exclude: lines there name terms
 *     ## New quality productive forces    one entry per "## " heading: the term
 *     Aliases: new quality productive force, NQPF
 *     Case: capitalized                   insensitive | capitalized | exact
 *     Kind: phrase                        quoted | name | acronym | phrase
 *
 *     Developing new quality productive forces is ...   the explanation
 *
 *     Source: [Title](https://example.org/a), sentence 4
 *     ## Development
 *     -                                   a lone "-" excludes the term
 *
 * - "Key: value" lines under the heading are metadata (the key: 1-3 words of
 *   ASCII letters, digits, '-' and '_', starting with a letter). Aliases,
 *   Case and Kind are read (each at most once per entry; "Alias:" is taken
 *   for "Aliases:"); other keys are kept verbatim. A run of lines after a
 *   blank line only counts as metadata when it holds a known key, and unknown
 *   key lines that run straight into a paragraph belong to the paragraph.
 * - "Source:" lines ending an entry are its sources, one per line.
 * - Keys are matched without regard to case. Entries use ATX headings
 *   ("## Term", a closing "##" allowed); "## " lines inside fenced code
 *   (``` or ~~~), HTML comments and the front matter do not count.
 * - Anchors are GitHub's heading ids (see pl_slug and pl_glossary_anchors).
 *
 * Reading normalizes only white space: CRLF and CR become LF, a UTF-8 BOM is
 * dropped, and each part (preamble, metadata, explanation, sources) loses
 * its trailing white space and, except the preamble, its leading blank
 * lines; inside a part every line is kept as written. Writing puts one
 * blank line between parts. A file in that layout reads and writes back
 * byte for byte.
 *
 * All memory comes from pl_malloc and friends; every string in these structs
 * is NUL-terminated and owned by the struct that holds it. */
#ifndef PL_GLOSSARY_H
#define PL_GLOSSARY_H

#include <stddef.h>

#include "error.h"
#include "match.h"

/* Limits: beyond them parsing fails with PL_ERR_TOO_LARGE and the line. */
#define PL_GLOSSARY_MAX_BYTES ((size_t)256 * 1024 * 1024) /* the whole file */
#define PL_GLOSSARY_MAX_ENTRIES 100000                    /* entries, and Exclude: items */
#define PL_GLOSSARY_MAX_ENTRY_BYTES ((size_t)1024 * 1024) /* one entry, heading to next */
#define PL_GLOSSARY_MAX_PREAMBLE_BYTES ((size_t)1024 * 1024)
#define PL_GLOSSARY_MAX_TERM_BYTES 1024 /* a term, an alias, an excluded term */

/* Returned by pl_glossary_lookup when nothing matches. */
#define PL_GLOSSARY_NOT_FOUND ((size_t)-1)

typedef enum pl_glossary_kind {
    PL_GLOSSARY_KIND_UNSET = 0,
    PL_GLOSSARY_KIND_QUOTED,  /* found in quotation marks */
    PL_GLOSSARY_KIND_NAME,    /* a capitalised name */
    PL_GLOSSARY_KIND_ACRONYM, /* an acronym or its expansion */
    PL_GLOSSARY_KIND_PHRASE   /* a frequent phrase */
} pl_glossary_kind;

typedef struct pl_glossary_source {
    /* What follows "Source:", trimmed, as written (Markdown). When it has the
     * form "[title](url)" or "<url>", optionally followed by ", sentence N",
     * the parser also fills the fields below. */
    char *text;
    char *title;     /* the link text, backslash escapes removed; NULL if none */
    char *url;       /* NULL if none */
    size_t sentence; /* N of "sentence N" (1 = the article's first); 0 if none */
} pl_glossary_source;

typedef struct pl_glossary_entry {
    char *term; /* the heading text */
    char **aliases;
    size_t alias_count;
    int has_case; /* 0: no Case: line, the caller decides the policy */
    pl_case_policy case_policy;
    pl_glossary_kind kind;
    char *explanation; /* Markdown as written, "" when none; "" when excluded */
    pl_glossary_source *sources;
    size_t source_count;
    /* The metadata lines as written ("Aliases: a, b", "See also: x"). The
     * writer keeps a line of a known key while it agrees with the fields
     * above, and rewrites it otherwise; lines of other keys are kept as is. */
    char **meta;
    size_t meta_count;
    int excluded; /* the explanation was a lone "-" */
    size_t line;  /* of the heading, 1-based; 0 when not read from a file */
} pl_glossary_entry;

typedef struct pl_glossary {
    /* Everything before the first entry (front matter, title, Exclude:
     * lines, text), as written; "" when none. */
    char *preamble;
    /* The terms of the Exclude: lines, in order. The writer keeps the
     * preamble's Exclude: lines while they name exactly these, and otherwise
     * replaces them with one "Exclude: a, b" line. */
    char **exclude;
    size_t exclude_count;
    pl_glossary_entry *entries;
    size_t count;
    size_t entry_cap; /* allocated entries; managed by pl_glossary_add_entry */
} pl_glossary;

/* ---- Reading and writing ---- */

/* Reads a glossary from text[0..len) (text may be NULL when len is 0; empty
 * text is an empty glossary). Returns a glossary the caller frees with
 * pl_glossary_free, or NULL with err set; the message starts with the line:
 * - PL_ERR_BINARY: "line 3: NUL byte";
 * - PL_ERR_PARSE: "line 7: invalid UTF-8", an empty "## " heading, a Case: or
 *   Kind: value not in its list, an Aliases:, Case: or Kind: line given twice
 *   in one entry, an empty Source: line, a code fence or HTML comment that is
 *   never closed (the line where it opens);
 * - PL_ERR_TOO_LARGE: beyond a PL_GLOSSARY_MAX_* limit;
 * - PL_ERR_NOMEM. */
pl_glossary *pl_glossary_parse(const char *text, size_t len, pl_error *err);

/* Writes g as Markdown: the preamble (its Exclude: lines brought in line with
 * g->exclude), then each entry: "## term" (with a closing " #" when the term
 * itself ends in a lone "#"), its metadata lines, a blank line, the
 * explanation ("-" directly under the heading for an excluded entry without
 * metadata), a blank line, its "Source:" lines. Deterministic. White space
 * is normalized as the parser does, so parse(write(g)) equals g for any
 * glossary that parse or merge produced (line numbers aside). Each source is
 * written from its text while that agrees with its fields (or it has none),
 * else from the fields: "[title](url)", "<url>", then ", sentence N".
 * Returns the bytes (NUL-terminated, *len bytes without the NUL; free with
 * pl_free), or NULL with err set: PL_ERR_NOMEM, or PL_ERR_INVALID_ARGUMENT
 * naming the entry ("entry 3 (\"Foo\"): ...") when g could not be read back
 * the same: an empty term, a line break in a term, alias, excluded term,
 * metadata or source line, a comma in an alias or excluded term, invalid
 * UTF-8 or NUL bytes, a "## " heading or unclosed code fence or HTML comment
 * in the preamble or an explanation, front matter the preamble opens but
 * does not close, an explanation that is "-" on a non-excluded entry, that
 * starts with a line a reader would take for metadata (an Aliases:, Case: or
 * Kind: line when the entry has no metadata) or ends with a Source: line, a
 * metadata line that is not "Key: value", a source with neither text nor
 * url, or a limit exceeded. */
char *pl_glossary_write(const pl_glossary *g, size_t *len, pl_error *err);

/* Merges a hand-written glossary with an extracted one into a new glossary
 * (the caller frees it; the inputs are unchanged and not referenced):
 * - every entry of user, in order (excluded "-" entries too);
 * - then each entry of extracted, in order, left out when its term equals
 *   the term or an alias of an entry already taken or an excluded term, or
 *   when one of its aliases is the term of a user entry (the user's entry
 *   wins). Its other aliases that an entry already taken has, or that are
 *   excluded, are dropped;
 * - the preamble of user, or of extracted when user's is empty;
 * - the excluded terms of user, then those of extracted user lacks.
 * Terms compare case-insensitively after NFC normalization, runs of white
 * space as one space (bytes as they are where not valid UTF-8). The result
 * is normalized as parse would read it back: metadata lines and sources in
 * the form the writer gives them, the Exclude: lines of the preamble in
 * line with the list; an entry left without metadata whose explanation
 * starts like metadata keeps an empty "Aliases:" line, and a preamble
 * opening with a "---" its own file never closed gets a blank line before
 * it when the other file's entries would close it. Returns NULL with err
 * set: PL_ERR_NOMEM,
 * PL_ERR_INVALID_ARGUMENT (a NULL argument). */
pl_glossary *pl_glossary_merge(const pl_glossary *user, const pl_glossary *extracted,
                               pl_error *err);

/* Finds the entry whose term is text[0..len), or else the first whose alias
 * it is, comparing as pl_glossary_merge does. Excluded entries are found too
 * (check their flag); g->exclude is not consulted. Stores the index or
 * PL_GLOSSARY_NOT_FOUND in *index. Returns PL_OK, PL_ERR_NOMEM, or
 * PL_ERR_INVALID_ARGUMENT (NULL arguments). */
pl_status pl_glossary_lookup(const pl_glossary *g, const char *text, size_t len, size_t *index,
                             pl_error *err);

/* Frees g and everything it holds. Accepts NULL. */
void pl_glossary_free(pl_glossary *g);

/* ---- Anchors ---- */

/* GitHub's id for a heading whose text is text[0..len): lowercased, with
 * every character dropped that is not a letter, mark, decimal or letter
 * number, connector punctuation ("_"), hyphen or space, and each space turned
 * into "-". "R&D (research)" gives "rd-research"; "新质生产力" stays. Invalid
 * UTF-8 bytes are dropped. Does not make ids unique (pl_glossary_anchors
 * does). Returns a string the caller frees with pl_free (*out_len, if not
 * NULL, receives its length), or NULL on PL_ERR_NOMEM. */
char *pl_slug(const char *text, size_t len, size_t *out_len, pl_error *err);

/* The anchor of each entry of g as the page written by pl_glossary_write has
 * it on GitHub: the pl_slug of the term, made unique as GitHub does by "-1",
 * "-2", ... counting every ATX heading of the page (the title and any heading
 * in the preamble or an explanation, not only entries). Returns an array of
 * g->count strings to free with pl_glossary_anchors_free, or NULL with err
 * (PL_ERR_NOMEM, PL_ERR_INVALID_ARGUMENT for NULL g). */
char **pl_glossary_anchors(const pl_glossary *g, pl_error *err);

/* Frees what pl_glossary_anchors returned (count = the glossary's count).
 * Accepts NULL. */
void pl_glossary_anchors_free(char **anchors, size_t count);

/* ---- Building a glossary in code ----
 * Strings are copied; the caller keeps its own. Values are checked only by
 * pl_glossary_write. */

/* An empty glossary (preamble ""), or NULL on PL_ERR_NOMEM. Free with
 * pl_glossary_free. */
pl_glossary *pl_glossary_create(pl_error *err);

/* Appends an entry with term[0..len), an empty explanation and nothing else.
 * Returns it (valid until the next pl_glossary_add_entry on g), or NULL on
 * PL_ERR_NOMEM (g unchanged). */
pl_glossary_entry *pl_glossary_add_entry(pl_glossary *g, const char *term, size_t len,
                                         pl_error *err);

/* Each appends a copy (or replaces the explanation or preamble). Return
 * PL_OK or PL_ERR_NOMEM (the entry or glossary then unchanged). */
pl_status pl_glossary_entry_add_alias(pl_glossary_entry *e, const char *alias, size_t len,
                                      pl_error *err);
pl_status pl_glossary_entry_add_meta(pl_glossary_entry *e, const char *line, size_t len,
                                     pl_error *err);
pl_status pl_glossary_entry_set_explanation(pl_glossary_entry *e, const char *text, size_t len,
                                            pl_error *err);
/* Appends a source with copies of text, title and url (each may be NULL,
 * NUL-terminated) and sentence (0: none). */
pl_status pl_glossary_entry_add_source(pl_glossary_entry *e, const char *text, const char *title,
                                       const char *url, size_t sentence, pl_error *err);
pl_status pl_glossary_add_exclude(pl_glossary *g, const char *term, size_t len, pl_error *err);
pl_status pl_glossary_set_preamble(pl_glossary *g, const char *text, size_t len, pl_error *err);

/* "quoted", "name", "acronym", "phrase", or NULL for PL_GLOSSARY_KIND_UNSET. */
const char *pl_glossary_kind_name(pl_glossary_kind kind);
/* "insensitive", "capitalized" or "exact". */
const char *pl_glossary_case_name(pl_case_policy policy);

#endif
