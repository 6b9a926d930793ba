/* Extractive summarization. Sentences become TF-IDF vectors of stemmed,
 * case-folded, stopword-free terms; an inverted index finds each sentence's
 * nearest neighbours; PageRank over that sparse graph gives centrality, which
 * position and length priors adjust; a redundancy-aware greedy pick (MMR)
 * fills the budget. Focus mode ranks the sentences that define a term first. */
#include "summarize.h"

#include <libstemmer.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "token.h"
#include "utf8.h"

/* Tunables. The priors are measured, not guessed: they follow the rates at
 * which a greedy ROUGE-2 oracle picks sentences on the BillSum dev sample,
 * relative to its mean rate: the document's first sentence 3.5x, a
 * paragraph's first 1.7x wherever it is, the others from about 1.1x early to
 * 0.6x late, sentences of 5 to 7 words 0.8x. The rest were checked on that
 * sample for robustness; see bench/README.md, "Summaries". */
typedef struct tuning {
    size_t neighbours;     /* edges kept per sentence */
    size_t window;         /* postings a sentence is compared with, per term */
    double damping;        /* PageRank */
    double first;          /* prior of the document's first sentence */
    double leads;          /* prior of a paragraph's first sentence */
    double pos_floor;      /* prior of other sentences far into the document */
    double pos_gain;       /* how much more the early ones get */
    double pos_scale;      /* in candidates: how fast that gain decays */
    double short_words;    /* sentences shorter than this lose in proportion */
    double mmr_lambda;     /* weight of redundancy against salience */
    double same_paragraph; /* redundancy of a second pick from one paragraph */
} tuning;

static const tuning TUNING = {
    .neighbours = 24,
    .window = 24,
    .damping = 0.85,
    .first = 3.5,
    .leads = 1.7,
    .pos_floor = 0.6,
    .pos_gain = 0.9,
    .pos_scale = 8.0,
    .short_words = 8.0,
    .mmr_lambda = 0.6,
    .same_paragraph = 0.3,
};

/* Fragments shorter than this (in tokens) are never chosen. */
#define MIN_WORDS 5
/* Focus mode, when no sentence holds the whole term: the relevance (see
 * focus_relevance) a sentence needs, i.e. half the term's weight. */
#define PARTIAL_MATCH 0.25
#define PAGERANK_MAX_ITERATIONS 100
#define PAGERANK_TOLERANCE 1e-6

/* A term id whose word carries no topic (stopword, number, one letter): kept
 * for matching a focus phrase, left out of the vectors. */
#define NOT_CONTENT 0x80000000u
#define TERM_ID(v) ((v) & ~NOT_CONTENT)

/* ---- string -> id map (open addressing, keys in one arena) ---- */

typedef struct map_entry {
    size_t off;
    uint32_t len, hash, value;
} map_entry;

typedef struct strmap {
    uint32_t *slots; /* entry index + 1; 0 = empty */
    size_t slot_cap; /* power of two */
    map_entry *entries;
    size_t count, entry_cap;
    pl_buf keys;
} strmap;

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static void strmap_free(strmap *m)
{
    pl_free(m->slots);
    pl_free(m->entries);
    pl_buf_free(&m->keys);
}

/* Returns 1 and sets *value when s[0..n) is a key. */
static int strmap_find(const strmap *m, const char *s, size_t n, uint32_t h, uint32_t *value)
{
    size_t mask, i;
    if (!m->slot_cap)
        return 0;
    mask = m->slot_cap - 1;
    for (i = h & mask; m->slots[i]; i = (i + 1) & mask) {
        const map_entry *e = &m->entries[m->slots[i] - 1];
        if (e->hash == h && e->len == n && memcmp(m->keys.data + e->off, s, n) == 0) {
            *value = e->value;
            return 1;
        }
    }
    return 0;
}

static int strmap_rehash(strmap *m, size_t cap)
{
    uint32_t *slots = pl_calloc(cap, sizeof *slots);
    size_t k;
    if (!slots)
        return -1;
    for (k = 0; k < m->count; k++) {
        size_t i = m->entries[k].hash & (cap - 1);
        while (slots[i])
            i = (i + 1) & (cap - 1);
        slots[i] = (uint32_t)(k + 1);
    }
    pl_free(m->slots);
    m->slots = slots;
    m->slot_cap = cap;
    return 0;
}

/* Adds a key known to be absent. Returns 0 or -1 (no memory). */
static int strmap_add(strmap *m, const char *s, size_t n, uint32_t h, uint32_t value)
{
    size_t i;
    map_entry *e;
    if (n > UINT32_MAX || m->count >= UINT32_MAX - 1)
        return -1;
    if ((m->count + 1) * 2 > m->slot_cap && strmap_rehash(m, m->slot_cap ? m->slot_cap * 2 : 1024))
        return -1;
    if (pl_grow((void **)&m->entries, &m->entry_cap, m->count + 1, sizeof *m->entries))
        return -1;
    e = &m->entries[m->count];
    e->off = m->keys.len;
    if (pl_buf_append(&m->keys, s, n))
        return -1;
    e->len = (uint32_t)n;
    e->hash = h;
    e->value = value;
    m->count++;
    for (i = h & (m->slot_cap - 1); m->slots[i]; i = (i + 1) & (m->slot_cap - 1))
        ;
    m->slots[i] = (uint32_t)m->count;
    return 0;
}

/* ---- terms ---- */

typedef struct token_ref {
    uint32_t term;     /* with NOT_CONTENT when it carries no topic */
    size_t start, end; /* bytes in the document text */
} token_ref;

typedef struct summarizer {
    const pl_document *doc;
    struct sb_stemmer *stemmer;
    strmap word_map;   /* case-folded word -> term id (with NOT_CONTENT) */
    strmap stem_map;   /* stem -> term id */
    pl_buf fold;       /* scratch for case folding */
    token_ref *tokens; /* scratch: one sentence's tokens */
    size_t token_cap;
    uint32_t *scratch_terms;
    size_t scratch_cap;

    size_t n;         /* candidates */
    size_t *sentence; /* candidate -> index into doc->sentences */
    size_t *vec_off;  /* n + 1: candidate c's terms are [vec_off[c], vec_off[c+1]) */
    uint32_t *vec_term;
    float *vec_w;
    size_t vec_cap;
    size_t *chars, *words; /* per candidate, for the budgets */

    size_t term_count;
    uint32_t *df;
    size_t *post_off; /* term_count + 1 */
    uint32_t *post_c;
    float *post_w;
    uint32_t *vec_post; /* where each vector entry sits in its term's posting list */

    size_t *nb_off; /* n + 1 */
    uint32_t *nb_c;
    float *nb_w;

    double *salience;

    /* sentences read: subset[0..subset_count), ascending, or all when NULL */
    const size_t *subset;
    size_t subset_count;

    /* focus mode */
    int focus;
    uint32_t *phrase; /* the focus term's term ids, outer stopwords trimmed */
    size_t phrase_len;
    unsigned char *tier; /* 0 partial, 1 mentions, 2 defines, 3 defines up front */
    double *relevance;   /* idf share of the focus terms the candidate holds */
    size_t matches;      /* candidates that hold the whole term */
} summarizer;

static void summarizer_free(summarizer *z)
{
    if (z->stemmer)
        sb_stemmer_delete(z->stemmer);
    strmap_free(&z->word_map);
    strmap_free(&z->stem_map);
    pl_buf_free(&z->fold);
    pl_free(z->tokens);
    pl_free(z->scratch_terms);
    pl_free(z->sentence);
    pl_free(z->vec_off);
    pl_free(z->vec_term);
    pl_free(z->vec_w);
    pl_free(z->chars);
    pl_free(z->words);
    pl_free(z->df);
    pl_free(z->post_off);
    pl_free(z->post_c);
    pl_free(z->post_w);
    pl_free(z->vec_post);
    pl_free(z->nb_off);
    pl_free(z->nb_c);
    pl_free(z->nb_w);
    pl_free(z->salience);
    pl_free(z->phrase);
    pl_free(z->tier);
    pl_free(z->relevance);
}

static int is_ascii_only(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* Case-folds s[0..n) into z->fold, with the typographic apostrophe made
 * straight so that "China’s" and "China's" stem alike. */
static pl_status fold_word(summarizer *z, const char *s, size_t n, pl_error *err)
{
    size_t i, j;
    pl_status st;
    pl_buf_reset(&z->fold);
    if (is_ascii_only(s, n)) {
        if (pl_buf_reserve(&z->fold, n))
            return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        for (i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            z->fold.data[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        z->fold.len = n;
        z->fold.data[n] = '\0';
        return PL_OK;
    }
    st = pl_utf8_casefold(s, n, &z->fold, err);
    if (st != PL_OK)
        return st;
    for (i = j = 0; i < z->fold.len; i++) {
        if (i + 2 < z->fold.len && memcmp(z->fold.data + i, "\xE2\x80\x99", 3) == 0) {
            z->fold.data[j++] = '\'';
            i += 2;
        } else {
            z->fold.data[j++] = z->fold.data[i];
        }
    }
    z->fold.len = j;
    return PL_OK;
}

static pl_status intern_stem(summarizer *z, const char *s, size_t n, uint32_t *id, pl_error *err)
{
    uint32_t h = hash_bytes(s, n);
    if (strmap_find(&z->stem_map, s, n, h, id))
        return PL_OK;
    *id = (uint32_t)z->stem_map.count;
    if (*id >= NOT_CONTENT || strmap_add(&z->stem_map, s, n, h, *id))
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    return PL_OK;
}

/* The term id of one word (or part of a hyphenated word) s[0..n) of the given
 * token kind; the stemmer runs once per distinct spelling. */
static pl_status word_term(summarizer *z, const char *s, size_t n, pl_token_kind kind,
                           uint32_t *term, pl_error *err)
{
    uint32_t h, id;
    pl_status st = fold_word(z, s, n, err);
    int content;
    if (st != PL_OK)
        return st;
    h = hash_bytes(z->fold.data, z->fold.len);
    if (strmap_find(&z->word_map, z->fold.data, z->fold.len, h, term))
        return PL_OK;
    content = kind != PL_TOKEN_NUMBER && !(kind == PL_TOKEN_WORD && z->fold.len == 1) &&
              !pl_is_stopword(z->fold.data, z->fold.len);
    if (content && kind == PL_TOKEN_WORD) {
        const sb_symbol *stem =
            sb_stemmer_stem(z->stemmer, (const sb_symbol *)z->fold.data, (int)z->fold.len);
        if (!stem)
            return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        st = intern_stem(z, (const char *)stem, (size_t)sb_stemmer_length(z->stemmer), &id, err);
    } else {
        st = intern_stem(z, z->fold.data, z->fold.len, &id, err);
    }
    if (st != PL_OK)
        return st;
    *term = content ? id : id | NOT_CONTENT;
    if (strmap_add(&z->word_map, z->fold.data, z->fold.len, h, *term))
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    return PL_OK;
}

static pl_status push_token(summarizer *z, size_t *count, uint32_t term, size_t start, size_t end,
                            pl_error *err)
{
    if (pl_grow((void **)&z->tokens, &z->token_cap, *count + 1, sizeof *z->tokens))
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    z->tokens[*count].term = term;
    z->tokens[*count].start = start;
    z->tokens[*count].end = end;
    (*count)++;
    return PL_OK;
}

/* Length of a hyphen at s[i] ('-', U+2010, U+2011), or 0. */
static size_t hyphen_at(const char *s, size_t n, size_t i)
{
    if (s[i] == '-')
        return 1;
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x90 || (unsigned char)s[i + 2] == 0x91))
        return 3;
    return 0;
}

/* Splits text[0..n) (starting at byte base of the document) into terms in
 * z->tokens: hyphenated words count as their parts, so "innovation-driven"
 * meets "innovation". Sets *words to the number of tokens before splitting. */
static pl_status tokenize(summarizer *z, const char *text, size_t n, size_t base, size_t *count,
                          size_t *words, pl_error *err)
{
    size_t pos = 0;
    pl_token tok;
    *count = 0;
    *words = 0;
    while (pl_token_next(text, n, &pos, &tok)) {
        size_t i = tok.start, part = tok.start;
        (*words)++;
        while (i <= tok.end) {
            size_t h = i < tok.end && tok.kind == PL_TOKEN_WORD ? hyphen_at(text, tok.end, i) : 0;
            if (i == tok.end || h) {
                if (i > part) {
                    uint32_t term = 0;
                    pl_status st = word_term(z, text + part, i - part, tok.kind, &term, err);
                    if (st == PL_OK)
                        st = push_token(z, count, term, base + part, base + i, err);
                    if (st != PL_OK)
                        return st;
                }
                part = i + (h ? h : 1);
                i = part;
            } else {
                i++;
            }
        }
    }
    return PL_OK;
}

/* ---- candidates ---- */

static int kind_can_summarize(pl_block_kind kind)
{
    return kind != PL_BLOCK_HEADING && kind != PL_BLOCK_TITLE && kind != PL_BLOCK_CELL &&
           kind != PL_BLOCK_PRE;
}

/* A line in capitals ("SHORT TITLE.") is a heading run into the text. */
static int looks_like_heading(const char *s, size_t n)
{
    size_t i, upper = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            return 0;
        if (c >= 'A' && c <= 'Z')
            upper++;
    }
    return upper >= 4;
}

static size_t count_chars(const char *s, size_t n)
{
    size_t i, chars = 0;
    for (i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars;
}

static size_t count_words(const char *s, size_t n)
{
    size_t i, words = 0;
    int in_word = 0;
    for (i = 0; i < n; i++) {
        int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f' ||
                    s[i] == '\v';
        words += !space && !in_word;
        in_word = !space;
    }
    return words;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sentences hold a few dozen terms: insertion sort beats qsort there. */
static void sort_terms(uint32_t *v, size_t n)
{
    size_t i;
    if (n > 64) {
        qsort(v, n, sizeof *v, compare_u32);
        return;
    }
    for (i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
    size_t i, len = strlen(prefix);
    if (len > n)
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)prefix[i])
            return 0;
    }
    return 1;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t len = strlen(suffix);
    return len <= n && starts_with(s + n - len, len, suffix);
}

/* What follows a term that is being defined: a copula (the first COPULAS
 * entries), a relative clause, an appositive, a dash or colon that opens an
 * explanation or list. */
#define COPULAS 4
static const char *const DEFINING_AFTER[] = {
    "is ",          "are ",        "was ",       "were ",
    "refers to ",   "refer to ",   "means ",     "mean ",
    "denotes ",     "stands for ", "describes ", "represents ",
    "consists ",    "comprises ",  "can be ",    "has been defined",
    "includes ",    "include ",    ", which ",   ", who ",
    ", also ",      ", or ",       ", i.e.",     ", that is",
    ", a ",         ", an ",       ", the ",     "\xE2\x80\x94",
    "\xE2\x80\x93", "- ",          ":",          "(",
};

/* What comes just before a term that is being named. */
static const char *const DEFINING_BEFORE[] = {
    "known as",  "called",    "defined as",     "term",  "termed",  "concept of",
    "notion of", "refers to", "referred to as", "means", "idea of", "so-called",
};

/* Whether the word at s[0..n) looks like a past participle ("written",
 * "approved"): after "is" it makes a passive, which reports rather than
 * defines ("The rotation is written down by …"). */
static int participle_at(const char *s, size_t n)
{
    size_t len = 0;
    while (len < n && ((s[len] >= 'a' && s[len] <= 'z') || (s[len] >= 'A' && s[len] <= 'Z')))
        len++;
    return len > 4 && (ends_with(s, len, "ed") || ends_with(s, len, "en"));
}

/* Skips white space and opening quotes backwards from *at down to start. */
static void skip_back(const char *text, size_t start, size_t *at)
{
    for (;;) {
        if (*at > start && (text[*at - 1] == ' ' || text[*at - 1] == '"'))
            (*at)--;
        else if (*at >= start + 3 && memcmp(text + *at - 3, "\xE2\x80\x9C", 3) == 0)
            *at -= 3;
        else
            return;
    }
}

/* How well the sentence whose tokens are z->tokens defines the phrase matched
 * at tokens [at, at + z->phrase_len): 3 it names or defines the term up front
 * ("X is …", "known as X"), 2 it defines it further in, 1 it mentions it. */
static unsigned char defining_tier(const summarizer *z, size_t at, size_t sent_end)
{
    static const char *const articles[] = {"the", "an", "a"};
    const char *text = z->doc->text;
    size_t before = z->tokens[at].start, after = z->tokens[at + z->phrase_len - 1].end;
    size_t i, content_before = 0, start = z->tokens[0].start;
    int defines = 0;
    /* Closing quotes and brackets belong to the term. */
    while (after < sent_end) {
        if (text[after] == '"' || text[after] == '\'' || text[after] == ')' || text[after] == ']' ||
            text[after] == ' ')
            after++;
        else if (sent_end - after >= 3 && (memcmp(text + after, "\xE2\x80\x9D", 3) == 0 ||
                                           memcmp(text + after, "\xE2\x80\x99", 3) == 0))
            after += 3;
        else
            break;
    }
    for (i = 0; i < sizeof DEFINING_AFTER / sizeof *DEFINING_AFTER && !defines; i++) {
        size_t len = strlen(DEFINING_AFTER[i]);
        defines = starts_with(text + after, sent_end - after, DEFINING_AFTER[i]);
        if (defines && i < COPULAS)
            defines = !participle_at(text + after + len, sent_end - after - len);
    }
    if (defines) {
        for (i = 0; i < at; i++)
            content_before += !(z->tokens[i].term & NOT_CONTENT);
        return content_before == 0 ? 3 : 2;
    }
    skip_back(text, start, &before);
    for (i = 0; i < sizeof articles / sizeof *articles; i++) {
        size_t len = strlen(articles[i]);
        if (before >= start + len && ends_with(text + start, before - start, articles[i]) &&
            (before == start + len || text[before - len - 1] == ' ')) {
            before -= len;
            skip_back(text, start, &before);
            break;
        }
    }
    for (i = 0; i < sizeof DEFINING_BEFORE / sizeof *DEFINING_BEFORE; i++) {
        size_t len = strlen(DEFINING_BEFORE[i]);
        /* Whole words only: not "recalled", not "long-term". */
        if (ends_with(text + start, before - start, DEFINING_BEFORE[i]) &&
            (before == start + len || text[before - len - 1] == ' '))
            return 3;
    }
    return 1;
}

/* Scores candidate c's tokens against the focus phrase. */
static void match_focus(summarizer *z, size_t c, size_t count, size_t sent_end)
{
    size_t i, k;
    unsigned char best = 0;
    for (i = 0; i + z->phrase_len <= count; i++) {
        for (k = 0; k < z->phrase_len; k++)
            if (TERM_ID(z->tokens[i + k].term) != TERM_ID(z->phrase[k]))
                break;
        if (k == z->phrase_len) {
            unsigned char t = defining_tier(z, i, sent_end);
            if (t > best)
                best = t;
            i += z->phrase_len - 1;
        }
    }
    z->tier[c] = best;
}

/* Tokenizes the candidates into term vectors (term counts for now). */
static pl_status build_vectors(summarizer *z, pl_error *err)
{
    const pl_document *doc = z->doc;
    size_t s, k, used = 0, total = z->subset ? z->subset_count : doc->sentence_count;
    pl_status st;

    z->sentence = pl_malloc((doc->sentence_count + 1) * sizeof *z->sentence);
    z->vec_off = pl_malloc((doc->sentence_count + 1) * sizeof *z->vec_off);
    z->chars = pl_malloc((doc->sentence_count + 1) * sizeof *z->chars);
    z->words = pl_malloc((doc->sentence_count + 1) * sizeof *z->words);
    if (z->focus)
        z->tier = pl_calloc(doc->sentence_count + 1, sizeof *z->tier);
    if (!z->sentence || !z->vec_off || !z->chars || !z->words || (z->focus && !z->tier))
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    z->vec_off[0] = 0;
    for (k = 0; k < total; k++) {
        const pl_sentence *sent;
        const char *text;
        size_t len, count, words, i, distinct = 0;
        s = z->subset ? z->subset[k] : k;
        if (s >= doc->sentence_count || (k > 0 && z->subset && s <= z->subset[k - 1]))
            continue;
        sent = &doc->sentences[s];
        text = doc->text + sent->start;
        len = sent->end - sent->start;
        if (!kind_can_summarize(doc->paragraphs[sent->paragraph].kind) ||
            looks_like_heading(text, len))
            continue;
        st = tokenize(z, text, len, sent->start, &count, &words, err);
        if (st != PL_OK)
            return st;
        if (words < MIN_WORDS)
            continue;
        if (pl_grow((void **)&z->scratch_terms, &z->scratch_cap, count + 1,
                    sizeof *z->scratch_terms))
            return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        for (i = 0; i < count; i++)
            if (!(z->tokens[i].term & NOT_CONTENT))
                z->scratch_terms[distinct++] = z->tokens[i].term;
        sort_terms(z->scratch_terms, distinct);
        /* It takes two different content words to say something: "A: A: Log
         * on to" (the end of a teaser) has five tokens but one. */
        if (distinct == 0 || z->scratch_terms[0] == z->scratch_terms[distinct - 1])
            continue;
        if (used + distinct > z->vec_cap) {
            size_t cap = z->vec_cap;
            float *w;
            if (pl_grow((void **)&z->vec_term, &cap, used + distinct, sizeof *z->vec_term))
                return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
            /* vec_w keeps the capacity of vec_term. */
            w = pl_realloc(z->vec_w, cap * sizeof *z->vec_w);
            if (!w)
                return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
            z->vec_w = w;
            z->vec_cap = cap;
        }
        for (i = 0; i < distinct; i++) {
            if (i > 0 && z->scratch_terms[i] == z->scratch_terms[i - 1]) {
                z->vec_w[used - 1] += 1.0f;
            } else {
                z->vec_term[used] = z->scratch_terms[i];
                z->vec_w[used++] = 1.0f;
            }
        }
        if (z->focus)
            match_focus(z, z->n, count, sent->end);
        z->sentence[z->n] = s;
        z->chars[z->n] = count_chars(text, len);
        z->words[z->n] = count_words(text, len);
        z->vec_off[++z->n] = used;
    }
    z->term_count = z->stem_map.count;
    return PL_OK;
}

/* Turns counts into unit-length TF-IDF weights and builds the inverted index. */
static pl_status weigh_and_index(summarizer *z, pl_error *err)
{
    size_t c, t, i, total = z->vec_off[z->n];
    double *idf = NULL;

    z->df = pl_calloc(z->term_count + 1, sizeof *z->df);
    z->post_off = pl_calloc(z->term_count + 2, sizeof *z->post_off);
    z->post_c = pl_malloc((total + 1) * sizeof *z->post_c);
    z->post_w = pl_malloc((total + 1) * sizeof *z->post_w);
    z->vec_post = pl_malloc((total + 1) * sizeof *z->vec_post);
    idf = pl_malloc((z->term_count + 1) * sizeof *idf);
    if (!z->df || !z->post_off || !z->post_c || !z->post_w || !z->vec_post || !idf) {
        pl_free(idf);
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    }
    for (i = 0; i < total; i++)
        z->df[z->vec_term[i]]++;
    for (t = 0; t < z->term_count; t++) {
        double df = z->df[t];
        idf[t] = log(1.0 + ((double)z->n - df + 0.5) / (df + 0.5));
        z->post_off[t + 1] = z->post_off[t] + z->df[t];
    }
    for (c = 0; c < z->n; c++) {
        double norm = 0.0;
        for (i = z->vec_off[c]; i < z->vec_off[c + 1]; i++) {
            double w = (1.0 + log(z->vec_w[i])) * idf[z->vec_term[i]];
            z->vec_w[i] = (float)w;
            norm += w * w;
        }
        norm = norm > 0.0 ? 1.0 / sqrt(norm) : 0.0;
        for (i = z->vec_off[c]; i < z->vec_off[c + 1]; i++)
            z->vec_w[i] = (float)(z->vec_w[i] * norm);
    }
    pl_free(idf);
    /* Candidates are visited in order, so every posting list is sorted. */
    {
        size_t *fill = pl_malloc((z->term_count + 1) * sizeof *fill);
        if (!fill)
            return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        memcpy(fill, z->post_off, (z->term_count + 1) * sizeof *fill);
        for (c = 0; c < z->n; c++) {
            for (i = z->vec_off[c]; i < z->vec_off[c + 1]; i++) {
                size_t at = fill[z->vec_term[i]]++;
                z->post_c[at] = (uint32_t)c;
                z->post_w[at] = z->vec_w[i];
                z->vec_post[i] = (uint32_t)(at - z->post_off[z->vec_term[i]]);
            }
        }
        pl_free(fill);
    }
    return PL_OK;
}

/* ---- the sparse similarity graph ---- */

typedef struct edge {
    float w;
    uint32_t c;
} edge;

/* Whether a ranks below b: less similar, or as similar and later. */
static int edge_worse(const edge *a, const edge *b)
{
    return a->w < b->w || (a->w == b->w && a->c > b->c);
}

static void swap_edges(edge *a, edge *b)
{
    edge tmp = *a;
    *a = *b;
    *b = tmp;
}

/* Reorders e[0..m) so that its k best edges come first (quickselect with a
 * median-of-three pivot: linear on average; the order is total, so the set
 * kept does not depend on the input order). */
static void keep_best(edge *e, size_t m, size_t k)
{
    size_t lo = 0, hi = m;
    while (hi - lo > 1 && k > lo && k < hi) {
        size_t mid = lo + (hi - lo) / 2, i, store;
        edge pivot;
        if (edge_worse(&e[lo], &e[mid]))
            swap_edges(&e[lo], &e[mid]);
        if (edge_worse(&e[lo], &e[hi - 1]))
            swap_edges(&e[lo], &e[hi - 1]);
        if (edge_worse(&e[mid], &e[hi - 1]))
            swap_edges(&e[mid], &e[hi - 1]);
        /* Now e[lo] >= e[mid] >= e[hi-1]; partition around the middle one. */
        pivot = e[mid];
        swap_edges(&e[mid], &e[hi - 1]);
        store = lo;
        for (i = lo; i < hi - 1; i++) {
            if (edge_worse(&pivot, &e[i]))
                swap_edges(&e[i], &e[store++]);
        }
        swap_edges(&e[store], &e[hi - 1]);
        if (store == k || store + 1 == k)
            return;
        if (store > k)
            hi = store;
        else
            lo = store + 1;
    }
}

/* Sorts the few kept edges by candidate (insertion sort: k is small). */
static void sort_edges_by_candidate(edge *e, size_t n)
{
    size_t i;
    for (i = 1; i < n; i++) {
        edge x = e[i];
        size_t j = i;
        for (; j > 0 && e[j - 1].c > x.c; j--)
            e[j] = e[j - 1];
        e[j] = x;
    }
}

/* The postings that vector entry `entry` (term t of candidate c) is compared
 * with: all of t's, or for a term in more than `window` sentences the
 * `window` nearest to c in the text. That bounds the work per term
 * occurrence, so the graph costs time linear in the document, and a common
 * word still links sentences that are close together. */
static void posting_range(const summarizer *z, size_t entry, size_t *from, size_t *to)
{
    uint32_t t = z->vec_term[entry];
    size_t lo = z->post_off[t], hi = z->post_off[t + 1], half = TUNING.window / 2;
    size_t at = lo + z->vec_post[entry];
    if (hi - lo <= TUNING.window) {
        *from = lo;
        *to = hi;
        return;
    }
    if (at - lo < half)
        at = lo + half;
    if (hi - at < TUNING.window - half)
        at = hi - (TUNING.window - half);
    *from = at - half;
    *to = at - half + TUNING.window;
}

/* Accumulates the similarity of candidate c to the candidates sharing a term
 * with it into acc, listing them in touched; returns how many. */
static size_t accumulate(const summarizer *z, size_t c, float *acc, uint32_t *touched)
{
    size_t i, p, m = 0;
    for (i = z->vec_off[c]; i < z->vec_off[c + 1]; i++) {
        float w = z->vec_w[i];
        size_t from, to;
        posting_range(z, i, &from, &to);
        for (p = from; p < to; p++) {
            uint32_t d = z->post_c[p];
            if (d == c)
                continue;
            if (acc[d] == 0.0f)
                touched[m++] = d;
            acc[d] += w * z->post_w[p];
        }
    }
    return m;
}

static pl_status build_graph(summarizer *z, pl_error *err)
{
    size_t k = TUNING.neighbours, c, used = 0;
    float *acc = pl_calloc(z->n + 1, sizeof *acc);
    uint32_t *touched = pl_malloc((z->n + 1) * sizeof *touched);
    edge *edges = pl_malloc((z->n + 1) * sizeof *edges);
    pl_status st = PL_OK;

    z->nb_off = pl_malloc((z->n + 1) * sizeof *z->nb_off);
    z->nb_c = pl_malloc((z->n * k + 1) * sizeof *z->nb_c);
    z->nb_w = pl_malloc((z->n * k + 1) * sizeof *z->nb_w);
    if (!acc || !touched || !edges || !z->nb_off || !z->nb_c || !z->nb_w) {
        st = pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        goto done;
    }
    z->nb_off[0] = 0;
    for (c = 0; c < z->n; c++) {
        size_t m = accumulate(z, c, acc, touched), i;
        for (i = 0; i < m; i++) {
            edges[i].w = acc[touched[i]];
            edges[i].c = touched[i];
            acc[touched[i]] = 0.0f;
        }
        if (m > k) {
            keep_best(edges, m, k);
            m = k;
        }
        /* Neighbour order fixes the floating-point sums of PageRank. */
        sort_edges_by_candidate(edges, m);
        for (i = 0; i < m; i++) {
            z->nb_c[used] = edges[i].c;
            z->nb_w[used++] = edges[i].w;
        }
        z->nb_off[c + 1] = used;
    }
done:
    pl_free(acc);
    pl_free(touched);
    pl_free(edges);
    return st;
}

/* Weighted PageRank over the neighbour graph; teleport (summing to 1) biases
 * the random jumps, uniform for a general summary. */
static pl_status pagerank(const summarizer *z, const double *teleport, double *rank, pl_error *err)
{
    size_t n = z->n, c, i, iter;
    /* Single precision for the scattered sums: half the cache footprint,
     * and ample for ranking. */
    float *next = pl_malloc((n + 1) * sizeof *next);
    double *out = pl_malloc((n + 1) * sizeof *out);
    double d = TUNING.damping;
    if (!next || !out) {
        pl_free(next);
        pl_free(out);
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    }
    for (c = 0; c < n; c++) {
        double sum = 0.0;
        for (i = z->nb_off[c]; i < z->nb_off[c + 1]; i++)
            sum += z->nb_w[i];
        out[c] = sum;
        rank[c] = teleport[c];
    }
    for (iter = 0; iter < PAGERANK_MAX_ITERATIONS; iter++) {
        double dangling = 0.0, change = 0.0;
        for (c = 0; c < n; c++)
            next[c] = 0.0f;
        for (c = 0; c < n; c++) {
            float share;
            if (out[c] <= 0.0) {
                dangling += rank[c];
                continue;
            }
            share = (float)(rank[c] / out[c]);
            for (i = z->nb_off[c]; i < z->nb_off[c + 1]; i++)
                next[z->nb_c[i]] += share * z->nb_w[i];
        }
        for (c = 0; c < n; c++) {
            double v = (1.0 - d) * teleport[c] + d * (next[c] + dangling * teleport[c]);
            change += fabs(v - rank[c]);
            rank[c] = v;
        }
        if (change < PAGERANK_TOLERANCE)
            break;
    }
    pl_free(next);
    pl_free(out);
    return PL_OK;
}

/* ---- scores ---- */

/* Salience: centrality (mean 1) times the position and length priors. */
static pl_status score_candidates(summarizer *z, pl_error *err)
{
    size_t n = z->n, c;
    double *teleport = pl_malloc((n + 1) * sizeof *teleport);
    double total = 0.0;
    pl_status st;

    z->salience = pl_malloc((n + 1) * sizeof *z->salience);
    if (!teleport || !z->salience) {
        pl_free(teleport);
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    }
    for (c = 0; c < n; c++) {
        teleport[c] = z->focus ? z->relevance[c] : 1.0;
        total += teleport[c];
    }
    for (c = 0; c < n; c++)
        teleport[c] = total > 0.0 ? teleport[c] / total : 1.0 / (double)n;
    st = pagerank(z, teleport, z->salience, err);
    pl_free(teleport);
    if (st != PL_OK)
        return st;
    for (c = 0; c < n; c++) {
        const pl_sentence *s = &z->doc->sentences[z->sentence[c]];
        int leads = c == 0 || z->doc->sentences[z->sentence[c - 1]].paragraph != s->paragraph;
        double length = (double)z->words[c] / TUNING.short_words, position;
        if (c == 0)
            position = TUNING.first;
        else if (leads)
            position = TUNING.leads;
        else
            position = TUNING.pos_floor +
                       TUNING.pos_gain * TUNING.pos_scale / (TUNING.pos_scale + (double)c);
        z->salience[c] *= (double)n * position * (length < 1.0 ? length : 1.0);
    }
    return PL_OK;
}

/* ---- focus ---- */

/* Reads the focus term into z->phrase (term ids, outer non-content words
 * trimmed unless nothing else is left). */
static pl_status prepare_focus(summarizer *z, const char *focus, size_t len, pl_error *err)
{
    pl_buf repaired = PL_BUF_INIT, normal = PL_BUF_INIT;
    size_t count, words, first = 0, last, i;
    pl_status st = pl_utf8_sanitize(focus, len, &repaired, NULL, err);
    if (st == PL_OK)
        st = pl_utf8_nfc(repaired.data ? repaired.data : "", repaired.len, &normal, err);
    if (st == PL_OK)
        st = tokenize(z, normal.data ? normal.data : "", normal.len, 0, &count, &words, err);
    pl_buf_free(&repaired);
    pl_buf_free(&normal);
    if (st != PL_OK)
        return st;
    if (count == 0)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "the focus term has no word in it");
    last = count;
    while (first < last && (z->tokens[first].term & NOT_CONTENT))
        first++;
    while (last > first && (z->tokens[last - 1].term & NOT_CONTENT))
        last--;
    if (first == last) {
        first = 0;
        last = count;
    }
    z->phrase_len = last - first;
    z->phrase = pl_malloc(z->phrase_len * sizeof *z->phrase);
    if (!z->phrase)
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    for (i = 0; i < z->phrase_len; i++)
        z->phrase[i] = z->tokens[first + i].term;
    return PL_OK;
}

/* Relevance of each candidate to the focus: the idf-weighted share of the
 * phrase's terms it holds (a whole-phrase match counts fully); also counts
 * the whole matches. */
static pl_status focus_relevance(summarizer *z, pl_error *err)
{
    size_t c, i, k;
    double total = 0.0;
    z->relevance = pl_calloc(z->n + 1, sizeof *z->relevance);
    if (!z->relevance)
        return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    for (c = 0; c < z->n; c++)
        z->matches += z->tier[c] > 0;
    for (k = 0; k < z->phrase_len; k++) {
        uint32_t t = TERM_ID(z->phrase[k]);
        if (!(z->phrase[k] & NOT_CONTENT) && t < z->term_count && z->df[t])
            total += log(1.0 + ((double)z->n - z->df[t] + 0.5) / (z->df[t] + 0.5));
    }
    for (c = 0; c < z->n; c++) {
        double have = 0.0;
        if (z->tier[c]) {
            z->relevance[c] = 1.0;
            continue;
        }
        if (total <= 0.0)
            continue;
        for (k = 0; k < z->phrase_len; k++) {
            uint32_t t = z->phrase[k];
            if (t & NOT_CONTENT)
                continue;
            for (i = z->vec_off[c]; i < z->vec_off[c + 1]; i++) {
                if (z->vec_term[i] == t) {
                    have += log(1.0 + ((double)z->n - z->df[t] + 0.5) / (z->df[t] + 0.5));
                    break;
                }
            }
        }
        /* A partial mention weighs half a whole one in the random jumps. */
        z->relevance[c] = have / total * 0.5;
    }
    return PL_OK;
}

/* ---- selection ---- */

typedef struct pick {
    double value;
    uint32_t c;
} pick;

/* Max-heap order: higher value first, then earlier sentence. */
static int pick_before(const pick *a, const pick *b)
{
    return a->value > b->value || (a->value == b->value && a->c < b->c);
}

static void pick_push(pick *h, size_t *n, pick p)
{
    size_t i = (*n)++;
    h[i] = p;
    while (i > 0 && pick_before(&h[i], &h[(i - 1) / 2])) {
        pick tmp = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
}

static pick pick_pop(pick *h, size_t *n)
{
    pick top = h[0];
    size_t i = 0;
    h[0] = h[--(*n)];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        pick tmp;
        if (l < *n && pick_before(&h[l], &h[m]))
            m = l;
        if (r < *n && pick_before(&h[r], &h[m]))
            m = r;
        if (m == i)
            break;
        tmp = h[i];
        h[i] = h[m];
        h[m] = tmp;
        i = m;
    }
    return top;
}

typedef struct budget {
    size_t sentences, chars, words; /* SIZE_MAX: unlimited */
} budget;

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Greedy maximal marginal relevance: takes the candidate of highest
 * base - lambda * redundancy while it fits the budget; redundancy is the
 * highest similarity to a chosen sentence, or the same-paragraph penalty.
 * Values only fall as sentences are chosen, so a lazily updated heap finds
 * the best one without rescoring everything. */
static pl_status select_sentences(summarizer *z, const budget *b, pl_summary *out, pl_error *err)
{
    size_t n = z->n, c, heap_n = 0, chars = 0, words = 0, chosen = 0;
    double *base = pl_malloc((n + 1) * sizeof *base);
    float *redundancy = pl_calloc(n + 1, sizeof *redundancy);
    float *acc = pl_calloc(n + 1, sizeof *acc);
    uint32_t *touched = pl_malloc((n + 1) * sizeof *touched);
    unsigned char *paragraph_taken = pl_calloc(z->doc->paragraph_count + 1, 1);
    pick *heap = pl_malloc((n + 1) * sizeof *heap);
    size_t *picked = NULL;
    double best = 0.0, top_salience = 0.0;
    pl_status st = PL_OK;

    if (!base || !redundancy || !acc || !touched || !paragraph_taken || !heap) {
        st = pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (c = 0; c < n; c++)
        if (z->salience[c] > top_salience)
            top_salience = z->salience[c];
    for (c = 0; c < n; c++) {
        double s = top_salience > 0.0 ? z->salience[c] / top_salience : 0.0;
        /* Focus: whole mentions by how well they define the term, then
         * partial ones by how much of the term they hold; salience last. */
        base[c] = !z->focus ? s : z->tier[c] ? 2.0 * z->tier[c] + s : 2.0 * z->relevance[c] + s;
        if (z->focus && !(z->matches ? z->tier[c] > 0 : z->relevance[c] >= PARTIAL_MATCH))
            continue;
        if (base[c] > best)
            best = base[c];
        {
            pick p;
            p.value = base[c];
            p.c = (uint32_t)c;
            pick_push(heap, &heap_n, p);
        }
    }
    out->sentences = pl_malloc((n < b->sentences ? n : b->sentences) * sizeof *out->sentences + 1);
    if (!out->sentences) {
        st = pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        goto done;
    }
    while (heap_n > 0 && chosen < b->sentences) {
        pick p = pick_pop(heap, &heap_n);
        size_t para = z->doc->sentences[z->sentence[p.c]].paragraph, i, m;
        double red = redundancy[p.c], value;
        size_t extra_chars = z->chars[p.c] + (chosen > 0);
        if (paragraph_taken[para] && red < TUNING.same_paragraph)
            red = TUNING.same_paragraph;
        value = base[p.c] - TUNING.mmr_lambda * red;
        if (value != p.value) {
            p.value = value;
            pick_push(heap, &heap_n, p);
            continue;
        }
        if (b->chars != SIZE_MAX && extra_chars > b->chars - chars)
            continue;
        if (b->words != SIZE_MAX && z->words[p.c] > b->words - words)
            continue;
        chars += extra_chars;
        words += z->words[p.c];
        paragraph_taken[para] = 1;
        out->sentences[chosen].index = p.c; /* a candidate for now */
        chosen++;
        m = accumulate(z, p.c, acc, touched);
        for (i = 0; i < m; i++) {
            if (acc[touched[i]] > redundancy[touched[i]])
                redundancy[touched[i]] = acc[touched[i]];
            acc[touched[i]] = 0.0f;
        }
    }
    picked = pl_malloc((chosen + 1) * sizeof *picked);
    if (!picked) {
        st = pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (c = 0; c < chosen; c++)
        picked[c] = out->sentences[c].index;
    qsort(picked, chosen, sizeof *picked, compare_size);
    for (c = 0; c < chosen; c++) {
        out->sentences[c].index = z->sentence[picked[c]];
        out->sentences[c].score = best > 0.0 ? base[picked[c]] / best : 1.0;
    }
    out->count = chosen;
done:
    pl_free(base);
    pl_free(redundancy);
    pl_free(acc);
    pl_free(touched);
    pl_free(paragraph_taken);
    pl_free(heap);
    pl_free(picked);
    return st;
}

static pl_status read_budget(const pl_document *doc, const pl_summary_options *opts, budget *b,
                             pl_error *err)
{
    b->sentences = b->chars = b->words = SIZE_MAX;
    if (!(opts->ratio >= 0.0 && opts->ratio <= 1.0))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "ratio must be between 0 and 1");
    if (opts->max_sentences)
        b->sentences = opts->max_sentences;
    if (opts->ratio > 0.0) {
        size_t share = (size_t)(opts->ratio * (double)doc->sentence_count + 0.5);
        if (share < 1)
            share = 1;
        if (share < b->sentences)
            b->sentences = share;
    }
    if (opts->max_chars)
        b->chars = opts->max_chars;
    if (opts->max_words)
        b->words = opts->max_words;
    if (!opts->max_sentences && opts->ratio <= 0.0 && !opts->max_chars && !opts->max_words)
        b->sentences = PL_SUMMARY_DEFAULT_SENTENCES;
    return PL_OK;
}

void pl_summary_free(pl_summary *summary)
{
    if (!summary)
        return;
    pl_free(summary->sentences);
    pl_free(summary);
}

pl_status pl_summary_salience(const pl_document *doc, const size_t *subset, size_t subset_count,
                              double **out, pl_error *err)
{
    summarizer z;
    double *sal = NULL, top = 0.0;
    size_t c;
    pl_status st;

    pl_error_clear(err);
    if (!out || !doc || (!doc->text && doc->sentence_count > 0) || (!subset && subset_count > 0))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no document");
    *out = NULL;
    memset(&z, 0, sizeof z);
    z.doc = doc;
    z.subset = subset;
    z.subset_count = subset_count;
    z.stemmer = sb_stemmer_new("english", "UTF_8");
    sal = pl_calloc(doc->sentence_count + 1, sizeof *sal);
    if (!z.stemmer || !sal) {
        st = pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        goto done;
    }
    st = build_vectors(&z, err);
    if (st == PL_OK)
        st = weigh_and_index(&z, err);
    if (st == PL_OK && z.n > 0)
        st = build_graph(&z, err);
    if (st == PL_OK && z.n > 0)
        st = score_candidates(&z, err);
    if (st != PL_OK)
        goto done;
    for (c = 0; c < z.n; c++)
        if (z.salience[c] > top)
            top = z.salience[c];
    for (c = 0; c < z.n; c++)
        sal[z.sentence[c]] = top > 0.0 ? z.salience[c] / top : 1.0;
    *out = sal;
    sal = NULL;
done:
    summarizer_free(&z);
    pl_free(sal);
    return st;
}

pl_summary *pl_summarize(const pl_document *doc, const pl_summary_options *opts, pl_error *err)
{
    pl_summary_options defaults;
    summarizer z;
    budget b;
    pl_summary *out = NULL;
    pl_status st;

    pl_error_clear(err);
    memset(&defaults, 0, sizeof defaults);
    memset(&z, 0, sizeof z);
    if (!opts)
        opts = &defaults;
    if (!doc || (!doc->text && doc->sentence_count > 0)) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no document");
        return NULL;
    }
    if (opts->focus == NULL && opts->focus_len > 0) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no focus buffer");
        return NULL;
    }
    if (read_budget(doc, opts, &b, err) != PL_OK)
        return NULL;
    z.doc = doc;
    z.focus = opts->focus != NULL;
    out = pl_calloc(1, sizeof *out);
    z.stemmer = sb_stemmer_new("english", "UTF_8");
    if (!out || !z.stemmer) {
        pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        goto fail;
    }
    st = z.focus ? prepare_focus(&z, opts->focus, opts->focus_len, err) : PL_OK;
    if (st == PL_OK)
        st = build_vectors(&z, err);
    if (st == PL_OK)
        st = weigh_and_index(&z, err);
    if (st == PL_OK && z.focus)
        st = focus_relevance(&z, err);
    if (st == PL_OK && z.n > 0)
        st = build_graph(&z, err);
    if (st == PL_OK && z.n > 0)
        st = score_candidates(&z, err);
    if (st == PL_OK && z.n > 0)
        st = select_sentences(&z, &b, out, err);
    if (st != PL_OK)
        goto fail;
    out->candidates = z.n;
    out->focus_matches = z.matches;
    summarizer_free(&z);
    return out;
fail:
    summarizer_free(&z);
    pl_summary_free(out);
    return NULL;
}
