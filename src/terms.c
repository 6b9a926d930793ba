/* Term extraction. One pass tokenizes the document's sentences and learns
 * about its words (case, verb-like contexts); a second proposes candidates
 * from several signals (quotes, capitalised names, acronyms and long forms,
 * enumerations, noun-phrase-like word sequences and "X of Y", coordination).
 * A candidate is keyed by its words' stems, each with the word's
 * derivational family (see derivation), after British spellings are made
 * American: case, inflection, hyphen/space, quote style and spelling
 * variants fall together, "authors" and "authorisation" do not. A third
 * pass collects the chosen terms' mentions, spellings and sentences.
 *
 * Termhood score (higher is better):
 *
 *   score(t) = log2(1 + L) * max(0, f - N(t)) * S(t) + B(t)
 *
 * L is the number of stems in t (a hyphenated word counts its parts); f the
 * mentions of t in body sentences (the larger of its count as a word
 * sequence and its count as a marked mention: name, quote, acronym). N(t) is
 * C-value's nesting correction: the mean frequency of the longer candidates
 * that contain t (those seen twice, or marked), 0 when there is none; so a
 * fragment ("productive forces") scores only for the mentions it has
 * outside the longer term ("new quality productive forces"), and one that
 * has none is dropped. B(t) rewards what the article does to mark a term:
 * quotation marks, a written-out acronym, the head of an enumeration, a
 * capitalised name. S(t) is domain specificity against a general-English
 * background (common.h): 1 when a word of t is outside everyday English,
 * less when every word is an everyday one (see SPEC_*), so that "bribery"
 * or "wind turbine" outrank "information" or "national law" seen as often.
 * Single words compete with the same formula (L = 1) but only when they
 * look like nouns that are not generic and, in glossary mode, are not
 * everyday English (single_word_ok, eligible); in terminology mode any
 * content word may. */
#include "terms.h"

#include <libstemmer.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "common.h"
#include "token.h"
#include "utf8.h"

/* ---- tunables ---- */

#define MAX_PHRASE_TOKENS 6 /* longest word sequence proposed as a phrase */
#define MAX_NAME_TOKENS 9   /* longest capitalised name */
#define MAX_QUOTED_TOKENS 6 /* longer quotations are speech, not terms */
#define MAX_MATCH_TOKENS 12 /* longest mention looked for in the last pass */
#define MAX_ACRONYM 10      /* letters of an acronym */
#define MAX_KEY_STEMS 24

/* Rewards of B(t), added once per kind of evidence. */
#define BONUS_QUOTED 2.0
#define BONUS_ACRONYM 2.5 /* both the acronym and its long form */
#define BONUS_ENUM_HEAD 2.0
#define BONUS_ENUM_COUNT 1.0 /* "Five …" followed by five items */
#define BONUS_NUMBER_NAME 1.0
#define BONUS_NAME 0.5
#define BONUS_ENUM_ITEM 0.5

/* A word that may be an adjective must end a phrase chunk at least this
 * share of the times it is in one to count as a noun. */
#define HEAD_SHARE 0.6
/* Mentions a single word needs by default: one word is weaker evidence. */
#define SINGLE_MIN 3
/* ...and in terminology mode, where single words are half the terms. */
#define SINGLE_MIN_TERMINOLOGY 2

/* S(t), the specificity weights (see the score above): a candidate whose
 * content words are all in the general-English table keeps this share of
 * its frequency evidence. Measured on ACTER (bench/terms_quality.py): single
 * words at SCOWL level 10 are terms 6-15% of the time, at level 20 27-48%,
 * rarer words 47-67%; phrases made only of level-10 words 21-30%. */
#define SPEC_SINGLE_VERY 0.2 /* one word, PL_COMMON_VERY: "information" */
#define SPEC_SINGLE_SOME 0.5 /* one word, PL_COMMON_SOME: "cooperation" */
#define SPEC_PHRASE_VERY 0.6 /* every word PL_COMMON_VERY: "national law" */

/* ---- gaps: what separates a token from the one before it ---- */

enum {
    G_COMMA = 1 << 0,
    G_DASH = 1 << 1,   /* — – or a hyphen between spaces */
    G_OPEN = 1 << 2,   /* ( [ */
    G_CLOSE = 1 << 3,  /* ) ] */
    G_QOPEN = 1 << 4,  /* an opening quotation mark */
    G_QCLOSE = 1 << 5, /* a closing quotation mark */
    G_COLON = 1 << 6,
    G_STOP = 1 << 7,  /* . ! ? */
    G_OTHER = 1 << 8, /* any other punctuation or symbol */
};

/* ---- token flags ---- */

enum {
    T_CAP = 1 << 0,        /* starts with a capital letter */
    T_ALLCAPS = 1 << 1,    /* an acronym-like word: two or more capitals, no small letter */
    T_INITIAL = 1 << 2,    /* first token of its sentence */
    T_HEADING = 1 << 3,    /* in a heading, title, table cell or preformatted block */
    T_DIGIT_START = 1 << 4 /* "20th", "5G" */
};

/* ---- word flags (per distinct spelling) ---- */

enum {
    W_STOP = 1 << 0,
    W_GENERIC = 1 << 1,  /* never a term alone */
    W_VAGUE = 1 << 2,    /* a vague modifier that never starts a phrase */
    W_BOUNDARY = 1 << 3, /* connectives and verbs that end a phrase */
    W_GLUE = 1 << 4,     /* may sit inside a name: of, and, for, the… */
    W_NUMWORD = 1 << 5,  /* one, two, first… */
    W_MODAL = 1 << 6,    /* a verb follows: will, must, we… */
    W_DET = 1 << 7,      /* a noun follows: the, its… */
    W_PREP = 1 << 8,     /* a noun or gerund follows */
    W_ADVERB = 1 << 9,   /* -ly adverbs */
    W_ED = 1 << 10,      /* -ed participles (and common irregular ones) */
    W_ING = 1 << 11,     /* -ing forms */
    W_NOTWORD = 1 << 12, /* numbers, single letters, CJK, possessives */
    W_VERB = 1 << 13,    /* set after the first pass from the contexts */
    W_TO = 1 << 14,      /* "to": a weak sign of a verb after it */
    W_ALPHA = 1 << 15,   /* letters only (with inner hyphens and apostrophes) */
    W_POSSESSIVE = 1 << 16,
    W_OBJECT = 1 << 17, /* starts an object: the, a, them… (not "that") */
    W_CONJ = 1 << 18,   /* and, or */
    W_THE = 1 << 19,
    W_OF = 1 << 20
};

/* ---- candidate flags ---- */

enum {
    C_QUOTED = 1 << 0,
    C_NAME = 1 << 1,
    C_ACRONYM = 1 << 2,     /* the key is one acronym token */
    C_ACRONYM_DEF = 1 << 3, /* …whose long form is written out */
    C_EXPANSION = 1 << 4,   /* the long form of an acronym */
    C_ENUM_HEAD = 1 << 5,
    C_ENUM_COUNT = 1 << 6,
    C_ENUM_ITEM = 1 << 7,
    C_NUMBER_NAME = 1 << 8, /* a capitalised name led by a number word */
    C_COORD = 1 << 9
};

#define C_DEFINED (C_QUOTED | C_ACRONYM_DEF | C_EXPANSION | C_ENUM_HEAD | C_NUMBER_NAME)
#define NONE32 UINT32_MAX

/* ---- lexicon: small closed lists, each sorted bytewise for bsearch ---- */

/* Words too general to be a term alone, whatever their frequency. */
static const char *const GENERIC[] = {
    "ability",    "able",       "account",     "action",      "activities",  "activity",
    "actual",     "addition",   "additional",  "advantage",   "amount",      "approach",
    "area",       "areas",      "aspect",      "aspects",     "attention",   "available",
    "basis",      "benefit",    "benefits",    "better",      "big",         "case",
    "cases",      "cause",      "certain",     "change",      "changes",     "chapter",
    "character",  "choice",     "clear",       "common",      "complete",    "condition",
    "conditions", "content",    "context",     "course",      "current",     "day",
    "days",       "degree",     "detail",      "details",     "development", "difference",
    "different",  "difficult",  "direction",   "due",         "early",       "easy",
    "effect",     "effects",    "effective",   "effort",      "efforts",     "element",
    "elements",   "end",        "entire",      "essential",   "event",       "example",
    "examples",   "existing",   "extent",      "fact",        "factor",      "factors",
    "feature",    "features",   "field",       "fields",      "figure",      "focus",
    "form",       "forms",      "full",        "function",    "general",     "goal",
    "goals",      "good",       "great",       "group",       "groups",      "growth",
    "hand",       "help",       "high",        "idea",        "ideas",       "impact",
    "importance", "important",  "improvement", "increase",    "instance",    "interest",
    "issue",      "issues",     "item",        "items",       "key",         "kind",
    "kinds",      "lack",       "large",       "last",        "late",        "level",
    "levels",     "life",       "likely",      "line",        "list",        "little",
    "long",       "low",        "main",        "major",       "manner",      "matter",
    "means",      "measure",    "measures",    "mechanism",   "mechanisms",  "method",
    "methods",    "mode",       "moment",      "month",       "months",      "need",
    "needs",      "new",        "next",        "note",        "number",      "numbers",
    "object",     "objective",  "old",         "opportunity", "option",      "options",
    "order",      "outcome",    "overall",     "part",        "particular",  "parts",
    "past",       "people",     "per",         "percent",     "period",      "person",
    "place",      "point",      "points",      "position",    "possibility", "possible",
    "practice",   "present",    "previous",    "problem",     "problems",    "process",
    "processes",  "progress",   "proper",      "purpose",     "question",    "questions",
    "range",      "rate",       "real",        "reason",      "reasons",     "recent",
    "relation",   "relations",  "relevant",    "respect",     "result",      "results",
    "role",       "same",       "scale",       "scope",       "section",     "sense",
    "series",     "set",        "several",     "side",        "sign",        "significant",
    "similar",    "simple",     "situation",   "size",        "small",       "solution",
    "source",     "sources",    "special",     "specific",    "stage",       "state",
    "status",     "step",       "steps",       "strong",      "structure",   "subject",
    "success",    "sufficient", "system",      "systems",     "task",        "tasks",
    "term",       "terms",      "thing",       "things",      "time",        "times",
    "tool",       "tools",      "topic",       "total",       "true",        "type",
    "types",      "unit",       "units",       "use",         "value",       "values",
    "variety",    "various",    "view",        "way",         "ways",        "week",
    "weeks",      "whole",      "wide",        "work",        "world",       "year",
    "years"};

/* Modifiers that say little about the thing named: a phrase never starts
 * with one ("significant achievements" → "achievements"). */
static const char *const VAGUE[] = {
    "above",      "additional", "appropriate", "below",     "certain",   "corresponding",
    "crucial",    "current",    "different",   "entire",    "essential", "existing",
    "following",  "further",    "given",       "important", "main",      "many",
    "necessary",  "numerous",   "other",       "overall",   "own",       "particular",
    "possible",   "present",    "previous",    "recent",    "relevant",  "respective",
    "same",       "several",    "significant", "similar",   "specific",  "such",
    "sufficient", "various",    "whole"};

/* Connectives, discourse adverbs and very common verbs that are not in the
 * stopword list but never belong inside a term. */
static const char *const BOUNDARY[] = {
    "abroad",     "accordance", "according",   "accordingly",  "across",      "additionally",
    "afterwards", "alike",      "allow",       "allows",       "along",       "already",
    "although",   "among",      "amongst",     "anyway",       "around",      "became",
    "become",     "becomes",    "becoming",    "besides",      "beyond",      "came",
    "come",       "comes",      "consider",    "considered",   "considering", "despite",
    "e.g",        "eg",         "elsewhere",   "etc",          "even",        "everywhere",
    "finally",    "firstly",    "furthermore", "gave",         "get",         "gets",
    "give",       "gives",      "got",         "hence",        "hereby",      "herein",
    "i.e",        "ie",         "include",     "included",     "includes",    "including",
    "indeed",     "instead",    "like",        "made",         "make",        "makes",
    "meanwhile",  "moreover",   "namely",      "nevertheless", "often",       "otherwise",
    "perhaps",    "rather",     "regarding",   "respectively", "said",        "say",
    "says",       "secondly",   "see",         "seem",         "seems",       "shall",
    "since",      "sometimes",  "somewhat",    "soon",         "still",       "take",
    "taken",      "takes",      "thereby",     "therefore",    "therein",     "thereof",
    "thus",       "today",      "together",    "tomorrow",     "took",        "toward",
    "towards",    "unless",     "unlike",      "upon",         "via",         "well",
    "whereas",    "whereby",    "yesterday",   "yet"};

/* Lower-case words allowed inside a capitalised name. */
static const char *const GLUE[] = {"and", "de", "del", "der", "des", "du",  "for", "in",
                                   "la",  "le", "of",  "on",  "the", "van", "von"};

static const char *const NUMWORDS[] = {"eight", "eighth",  "eleven", "fifth", "first", "five",
                                       "four",  "fourth",  "nine",   "ninth", "one",   "second",
                                       "seven", "seventh", "six",    "sixth", "ten",   "tenth",
                                       "third", "three",   "twelve", "two"};

/* After these comes a verb: modals and subject pronouns. */
static const char *const MODALS[] = {"also",   "can",   "cannot", "could", "he",    "i",
                                     "may",    "might", "must",   "not",   "shall", "she",
                                     "should", "they",  "we",     "will",  "would", "you"};

/* After these comes a noun phrase. */
static const char *const DETERMINERS[] = {
    "a",   "an",   "another", "each", "every", "her",   "his",  "its",   "my",  "no",
    "our", "some", "that",    "the",  "their", "these", "this", "those", "your"};

static const char *const OBJECTS[] = {"him", "it", "me", "them", "us"};

static const char *const PREPOSITIONS[] = {
    "about", "across", "against", "among", "at",      "between", "by",   "during", "for",    "from",
    "in",    "into",   "of",      "on",    "through", "under",   "with", "within", "without"};

/* -ly words that are not adverbs. */
static const char *const LY_NOUNS[] = {
    "ally",    "anomaly",  "apply",     "assembly", "belly",     "bully",  "butterfly", "comply",
    "costly",  "daily",    "duopoly",   "early",    "elderly",   "family", "folly",     "friendly",
    "holy",    "imply",    "italy",     "jelly",    "july",      "likely", "lonely",    "monopoly",
    "monthly", "multiply", "oligopoly", "orderly",  "quarterly", "rally",  "rely",      "reply",
    "silly",   "supply",   "unlikely",  "weekly",   "yearly"};

/* -ed words that are not participles, and participles without -ed. */
static const char *const ED_NOUNS[] = {"bed",   "bleed",   "breed", "creed", "feed",
                                       "greed", "hundred", "need",  "red",   "seed",
                                       "shed",  "speed",   "steed", "weed"};
static const char *const IRREGULAR_PARTICIPLES[] = {
    "begun", "brought", "built",  "chosen",  "done",  "drawn",      "driven", "found",
    "given", "gone",    "held",   "kept",    "known", "led",        "left",   "made",
    "meant", "paid",    "put",    "seen",    "sent",  "set",        "shown",  "sold",
    "spent", "taken",   "taught", "thought", "told",  "understood", "won",    "written"};

static int list_has(const char *const *words, size_t count, const char *w, size_t n)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = words[mid];
        size_t mlen = strlen(m);
        int cmp = memcmp(w, m, n < mlen ? n : mlen);
        if (cmp == 0)
            cmp = n < mlen ? -1 : n > mlen ? 1 : 0;
        if (cmp == 0)
            return 1;
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

#define HAS(list, w, n) list_has(list, sizeof list / sizeof list[0], w, n)

static int ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(w + n - k, suffix, k) == 0;
}

/* ---- byte-string map: key -> dense id (insertion order) ---- */

typedef struct smap_entry {
    size_t off;
    uint32_t len, hash;
} smap_entry;

typedef struct smap {
    /* hash << 32 | (entry index + 1); 0 = empty. The hash in the slot lets a
     * probe skip other keys without touching their entries. */
    uint64_t *slots;
    size_t slot_cap; /* power of two */
    smap_entry *entries;
    size_t count, entry_cap;
    pl_buf keys;
} smap;

#define FNV_INIT 2166136261u

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= s[i];
        h *= 16777619u;
    }
    return h;
}

static void smap_free(smap *m)
{
    pl_free(m->slots);
    pl_free(m->entries);
    pl_buf_free(&m->keys);
    memset(m, 0, sizeof *m);
}

static const char *smap_key(const smap *m, uint32_t id, size_t *len)
{
    *len = m->entries[id].len;
    return m->keys.data + m->entries[id].off;
}

static int smap_find(const smap *m, const void *k, size_t n, uint32_t h, uint32_t *id)
{
    size_t mask, i;
    uint64_t slot;
    if (!m->slot_cap)
        return 0;
    mask = m->slot_cap - 1;
    for (i = h & mask; (slot = m->slots[i]) != 0; i = (i + 1) & mask) {
        const smap_entry *e;
        if ((uint32_t)(slot >> 32) != h)
            continue;
        e = &m->entries[(uint32_t)slot - 1];
        if (e->len == n && (n == 0 || memcmp(m->keys.data + e->off, k, n) == 0)) {
            *id = (uint32_t)slot - 1;
            return 1;
        }
    }
    return 0;
}

static void smap_place(uint64_t *slots, size_t cap, uint32_t h, size_t index)
{
    size_t i = h & (cap - 1);
    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = (uint64_t)h << 32 | (uint64_t)(index + 1);
}

static int smap_rehash(smap *m, size_t cap)
{
    uint64_t *slots = pl_calloc(cap, sizeof *slots);
    size_t k;
    if (!slots)
        return -1;
    for (k = 0; k < m->count; k++)
        smap_place(slots, cap, m->entries[k].hash, k);
    pl_free(m->slots);
    m->slots = slots;
    m->slot_cap = cap;
    return 0;
}

/* Finds or adds k[0..n); *added says which. Returns 0 or -1 (no memory). */
static int smap_intern(smap *m, const void *k, size_t n, uint32_t h, uint32_t *id, int *added)
{
    smap_entry *e;
    *added = 0;
    if (smap_find(m, k, n, h, id))
        return 0;
    if (n > UINT32_MAX || m->count >= UINT32_MAX - 2)
        return -1;
    if ((m->count + 1) * 2 > m->slot_cap && smap_rehash(m, m->slot_cap ? m->slot_cap * 2 : 256))
        return -1;
    if (pl_grow((void **)&m->entries, &m->entry_cap, m->count + 1, sizeof *m->entries))
        return -1;
    if (pl_buf_append(&m->keys, n ? k : "", n))
        return -1;
    e = &m->entries[m->count];
    e->off = m->keys.len - n;
    e->len = (uint32_t)n;
    e->hash = h;
    smap_place(m->slots, m->slot_cap, h, m->count);
    *id = (uint32_t)m->count++;
    *added = 1;
    return 0;
}

/* ---- the extractor's state ---- */

typedef struct word_info {
    uint32_t stem_off, stem_n; /* into extractor.word_stems */
    uint32_t flags;
    uint32_t count;          /* mentions */
    uint32_t lower, cap_mid; /* mentions in lower case; capitalised, not sentence-initial */
    uint32_t verb_ev, noun_ev, det_ev;
    uint32_t chunk_in, chunk_last; /* in a phrase chunk; at its end */
    uint8_t common;                /* pl_common_level of its least common part, 0: rare */
} word_info;

typedef struct tok {
    uint32_t start, end; /* bytes of the document text */
    uint32_t word;       /* id in extractor.words */
    uint32_t sent;
    uint16_t flags; /* T_* */
    uint16_t gap;   /* G_* between the previous token (or sentence start) and this one */
} tok;

typedef struct cand {
    uint32_t f_phrase;  /* body mentions as a word sequence */
    uint32_t f_marked;  /* body mentions as name, quote, acronym or long form */
    uint32_t f_plain;   /* body word-sequence mentions with a word not capitalised */
    uint32_t f_heading; /* mentions in headings */
    uint32_t nested_sum, nested_types;
    uint32_t last_mark; /* first token + 1 of the last marked mention, against double counts */
    uint32_t partner;   /* acronym <-> long form, or NONE32 */
    uint32_t flags;     /* C_* */
    uint8_t n_stems, n_tokens;
    uint8_t n_very, n_some, n_rare; /* content words by general-English level */
} cand;

typedef struct pick {
    uint32_t cand;
    double score;
    pl_term_kind kind;
    pl_case_policy policy;
    size_t count;
    size_t *occ;
    size_t occ_count, occ_cap;
    size_t out; /* index in the final list, or PL_TERM_NONE */
} pick;

typedef struct variant {
    uint32_t pick;
    uint32_t count;
    int shouted; /* in capitals, though the term is no acronym: never canonical */
} variant;

typedef struct extractor {
    const pl_document *doc;
    const char *text;
    struct sb_stemmer *stemmer;
    int terminology; /* pl_terms_options.terminology */
    pl_error *err;

    smap words;
    word_info *winfo;
    size_t winfo_cap;
    smap stems;
    uint32_t *word_stems;
    size_t word_stems_len, word_stems_cap;
    pl_buf fold, part, stemkey;

    tok *toks;
    size_t ntok, tok_cap;
    uint32_t *sent_tok;   /* sentence s has tokens [sent_tok[s], sent_tok[s + 1]) */
    uint16_t *tail_gap;   /* per sentence: what follows its last token */
    unsigned char *shout; /* per sentence: written in capitals */

    smap cands;
    cand *cinfo;
    size_t cinfo_cap;
    uint32_t key[MAX_KEY_STEMS * 2];

    /* last pass */
    int collect;
    pick *picks;
    size_t pick_count;
    smap chosen;           /* candidate key -> pick index */
    unsigned char *starts; /* per stem: some chosen key starts with it */
    smap variants;         /* pick index + surface -> variant id */
    variant *vinfo;
    size_t vinfo_cap;
    pl_buf surface;
} extractor;

static pl_status nomem(extractor *x)
{
    return pl_error_set(x->err, PL_ERR_NOMEM, "out of memory");
}

static void extractor_free(extractor *x)
{
    size_t i;
    if (x->stemmer)
        sb_stemmer_delete(x->stemmer);
    smap_free(&x->words);
    smap_free(&x->stems);
    smap_free(&x->cands);
    smap_free(&x->chosen);
    smap_free(&x->variants);
    pl_free(x->winfo);
    pl_free(x->word_stems);
    pl_buf_free(&x->fold);
    pl_buf_free(&x->part);
    pl_buf_free(&x->stemkey);
    pl_buf_free(&x->surface);
    pl_free(x->toks);
    pl_free(x->sent_tok);
    pl_free(x->tail_gap);
    pl_free(x->shout);
    pl_free(x->cinfo);
    for (i = 0; i < x->pick_count; i++)
        pl_free(x->picks[i].occ);
    pl_free(x->picks);
    pl_free(x->starts);
    pl_free(x->vinfo);
}

/* ---- words ---- */

static int is_ascii(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* Case-folds a word into x->fold, with typographic apostrophes and hyphens
 * made plain so that every spelling of a word shares one entry. */
static pl_status fold_word(extractor *x, const char *s, size_t n)
{
    size_t i, j;
    pl_buf_reset(&x->fold);
    if (is_ascii(s, n)) {
        if (pl_buf_reserve(&x->fold, n))
            return nomem(x);
        for (i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            x->fold.data[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        x->fold.len = n;
        x->fold.data[n] = '\0';
        return PL_OK;
    }
    if (pl_utf8_casefold(s, n, &x->fold, x->err) != PL_OK)
        return x->err ? x->err->status : PL_ERR_NOMEM;
    for (i = j = 0; i < x->fold.len; i++) {
        const unsigned char *u = (const unsigned char *)x->fold.data + i;
        if (i + 2 < x->fold.len && u[0] == 0xE2 && u[1] == 0x80 &&
            (u[2] == 0x99 || u[2] == 0x90 || u[2] == 0x91)) {
            x->fold.data[j++] = u[2] == 0x99 ? '\'' : '-';
            i += 2;
        } else {
            x->fold.data[j++] = x->fold.data[i];
        }
    }
    x->fold.len = j;
    x->fold.data[j] = '\0';
    return PL_OK;
}

/* Rewrites British spellings to American ones in the letters-only word
 * x->part, so that "organisation"/"organization", "labour"/"labor" and
 * "centre"/"center" share a stem. Both spellings of a pair map the same
 * way, so a rule that also fires on a word with no pair ("exercise") is
 * harmless: it only has to be consistent. */
static void americanize(pl_buf *p)
{
    static const char *const ise[] = {"isation", "isations", "ise",  "ised",
                                      "iser",    "isers",    "ises", "ising"};
    static const char *const our[] = {"our",    "ourable", "oured",   "ourer",
                                      "ouring", "ourite",  "ourites", "ours"};
    static const char *const tre[] = {"bre", "bres", "tre", "tres", "tred"};
    char *w = p->data;
    size_t n = p->len, i, k;
    for (i = 0; i < sizeof ise / sizeof ise[0]; i++) {
        k = strlen(ise[i]);
        if (n >= k + 3 && n >= 6 && ends_with(w, n, ise[i])) {
            w[n - k + 1] = 'z';
            return;
        }
    }
    for (i = 0; i < sizeof our / sizeof our[0]; i++) {
        k = strlen(our[i]);
        if (n >= k + 3 && ends_with(w, n, our[i])) {
            /* "our" -> "or": drop the u. */
            memmove(w + n - k + 1, w + n - k + 2, k - 2);
            p->len = n - 1;
            w[p->len] = '\0';
            return;
        }
    }
    for (i = 0; i < sizeof tre / sizeof tre[0]; i++) {
        k = strlen(tre[i]);
        if (n >= 5 && n >= k + 2 && ends_with(w, n, tre[i])) {
            /* "re" -> "er" */
            w[n - k + 1] = 'e';
            w[n - k + 2] = 'r';
            return;
        }
    }
}

/* Letters only, with inner apostrophes and hyphens (x->fold is folded). */
static int is_letter_part(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && !((c >= 'a' && c <= 'z') || c == '\'' || c == '-'))
            return 0;
    }
    return n > 0;
}

static pl_status add_stem(extractor *x, const char *s, size_t n)
{
    uint32_t id;
    int added;
    if (smap_intern(&x->stems, s, n, fnv(FNV_INIT, s, n), &id, &added) ||
        pl_grow((void **)&x->word_stems, &x->word_stems_cap, x->word_stems_len + 1,
                sizeof *x->word_stems))
        return nomem(x);
    x->word_stems[x->word_stems_len++] = id;
    return PL_OK;
}

/* The derivational family of a folded, americanized word part: its ending
 * once a plural or possessive is taken off. The stemmer unites inflections
 * ("market", "markets") but also derivations ("authors", "authorised",
 * "authorisation" all stem to "author"); keying each word by its stem and
 * this family keeps the first and splits the second. */
static char derivation(const char *w, size_t n)
{
    static const struct {
        const char *ending;
        char family;
    } families[] = {{"ion", 'n'},  {"ment", 'm'}, {"ness", 's'}, {"ity", 't'},  {"ance", 'c'},
                    {"ence", 'c'}, {"ancy", 'c'}, {"ency", 'c'}, {"ism", 'i'},  {"ist", 'j'},
                    {"ing", 'g'},  {"ed", 'd'},   {"ive", 'v'},  {"ical", 'l'}, {"ic", 'l'},
                    {"al", 'a'},   {"ous", 'o'},  {"able", 'b'}, {"ible", 'b'}, {"ful", 'f'},
                    {"less", 'e'}, {"ly", 'y'},   {"ize", 'z'},  {"ate", 'z'},  {"ant", 'x'},
                    {"ent", 'x'},  {"ary", 'r'},  {"ory", 'r'},  {"er", 'q'},   {"or", 'q'}};
    size_t i;
    if (n > 2 && w[n - 2] == '\'' && w[n - 1] == 's')
        n -= 2;
    if (n > 4 && ends_with(w, n, "ies"))
        return '0'; /* policies: the family of "policy" */
    if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
        n--;
    for (i = 0; i < sizeof families / sizeof families[0]; i++)
        if (n > strlen(families[i].ending) + 2 && ends_with(w, n, families[i].ending))
            return families[i].family;
    return '0';
}

/* Stems each hyphen-separated part of the folded word x->fold. */
static pl_status stem_parts(extractor *x, word_info *wi)
{
    const char *w = x->fold.data;
    size_t n = x->fold.len, a = 0, b;
    pl_status st;
    wi->stem_off = (uint32_t)x->word_stems_len;
    while (a < n) {
        for (b = a; b < n && w[b] != '-'; b++)
            ;
        if (b > a && wi->stem_n < MAX_KEY_STEMS) {
            if (is_letter_part(w + a, b - a)) {
                const sb_symbol *stem;
                pl_buf_reset(&x->part);
                if (pl_buf_append(&x->part, w + a, b - a))
                    return nomem(x);
                americanize(&x->part);
                stem =
                    sb_stemmer_stem(x->stemmer, (const sb_symbol *)x->part.data, (int)x->part.len);
                if (!stem)
                    return nomem(x);
                pl_buf_reset(&x->stemkey);
                if (pl_buf_append(&x->stemkey, (const char *)stem,
                                  (size_t)sb_stemmer_length(x->stemmer)) ||
                    pl_buf_putc(&x->stemkey, '/') ||
                    pl_buf_putc(&x->stemkey, derivation(x->part.data, x->part.len)))
                    return nomem(x);
                st = add_stem(x, x->stemkey.data, x->stemkey.len);
            } else {
                st = add_stem(x, w + a, b - a);
            }
            if (st != PL_OK)
                return st;
            wi->stem_n++;
        }
        a = b + 1;
    }
    if (wi->stem_n == 0) {
        wi->stem_n = 1;
        return add_stem(x, w, n);
    }
    return PL_OK;
}

/* What the lexicon says about the folded word w[0..n). */
static uint32_t lexicon_flags(const char *w, size_t n, pl_token_kind kind)
{
    uint32_t f = 0;
    if (kind != PL_TOKEN_WORD || n < 2)
        f |= W_NOTWORD;
    if (kind == PL_TOKEN_WORD && w[0] != '-' && is_letter_part(w, n))
        f |= W_ALPHA;
    if (pl_is_stopword(w, n))
        f |= W_STOP;
    if (ends_with(w, n, "'s") && n > 3) {
        f |= W_POSSESSIVE | W_NOTWORD;
        return f;
    }
    if (HAS(GENERIC, w, n))
        f |= W_GENERIC;
    if (HAS(VAGUE, w, n))
        f |= W_VAGUE;
    if (HAS(BOUNDARY, w, n))
        f |= W_BOUNDARY;
    if (HAS(GLUE, w, n))
        f |= W_GLUE;
    if (HAS(NUMWORDS, w, n))
        f |= W_NUMWORD;
    if (HAS(MODALS, w, n))
        f |= W_MODAL;
    if (HAS(DETERMINERS, w, n))
        f |= W_DET;
    if (HAS(PREPOSITIONS, w, n))
        f |= W_PREP;
    if (n == 2 && memcmp(w, "to", 2) == 0)
        f |= W_TO;
    if ((n == 3 && memcmp(w, "and", 3) == 0) || (n == 2 && memcmp(w, "or", 2) == 0))
        f |= W_CONJ;
    if (n == 3 && memcmp(w, "the", 3) == 0)
        f |= W_THE;
    if (n == 2 && memcmp(w, "of", 2) == 0)
        f |= W_OF;
    if (((f & W_DET) && !(n == 4 && memcmp(w, "that", 4) == 0)) || HAS(OBJECTS, w, n))
        f |= W_OBJECT;
    if (n >= 5 && ends_with(w, n, "ly") && !HAS(LY_NOUNS, w, n))
        f |= W_ADVERB;
    if ((n >= 4 && ends_with(w, n, "ed") && !HAS(ED_NOUNS, w, n)) ||
        HAS(IRREGULAR_PARTICIPLES, w, n))
        f |= W_ED;
    if (n >= 6 && ends_with(w, n, "ing"))
        f |= W_ING;
    return f;
}

/* How common the folded word w[0..n) is in English at large: the level of
 * its least common hyphen part ("anti-corruption" is as rare as "anti"), 0
 * when a part is not in the general-English table. */
static int word_commonness(const char *w, size_t n)
{
    size_t a = 0, b;
    int level = PL_COMMON_VERY;
    while (a < n) {
        int part;
        for (b = a; b < n && w[b] != '-'; b++)
            ;
        part = pl_common_level(w + a, b - a);
        if (part == 0)
            return 0;
        if (part > level)
            level = part;
        a = b + 1;
    }
    return level;
}

/* The id of the word spelled s[0..n), added on first sight. */
static pl_status intern_word(extractor *x, const char *s, size_t n, pl_token_kind kind,
                             uint32_t *id)
{
    int added;
    uint32_t h;
    word_info *wi;
    pl_status st = fold_word(x, s, n);
    if (st != PL_OK)
        return st;
    h = fnv(FNV_INIT, x->fold.data, x->fold.len);
    if (smap_intern(&x->words, x->fold.data, x->fold.len, h, id, &added))
        return nomem(x);
    if (!added)
        return PL_OK;
    if (pl_grow((void **)&x->winfo, &x->winfo_cap, x->words.count, sizeof *x->winfo))
        return nomem(x);
    wi = &x->winfo[*id];
    memset(wi, 0, sizeof *wi);
    wi->flags = lexicon_flags(x->fold.data, x->fold.len, kind);
    if (kind == PL_TOKEN_CJK)
        wi->flags |= W_NOTWORD;
    wi->common = (uint8_t)word_commonness(x->fold.data, x->fold.len);
    return stem_parts(x, wi);
}

/* ---- first pass: tokens, gaps, case ---- */

static uint16_t classify_gap(const char *s, size_t a, size_t b, int after_token)
{
    uint16_t g = 0;
    size_t i = a, len;
    while (i < b) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            len = 1;
            switch (c) {
            case ' ':
            case '\t':
            case '\n':
            case '\r':
            case '\f':
            case '\v':
            case '\'':
                break;
            case ',':
                g |= G_COMMA;
                break;
            case '-':
                g |= G_DASH;
                break;
            case '(':
            case '[':
                g |= G_OPEN;
                break;
            case ')':
            case ']':
                g |= G_CLOSE;
                break;
            case ':':
                g |= G_COLON;
                break;
            case '.':
            case '!':
            case '?':
                g |= G_STOP;
                break;
            case '"':
                /* A straight quote opens when it touches the next word and
                 * closes when it touches the previous one. */
                if (after_token && i == a)
                    g |= G_QCLOSE;
                else if (i + 1 == b)
                    g |= G_QOPEN;
                else
                    g |= G_OTHER;
                break;
            default:
                g |= G_OTHER;
            }
        } else {
            int32_t cp = pl_utf8_decode(s + i, b - i, &len);
            if (cp == 0x201C || cp == 0x2018 || cp == 0xAB)
                g |= G_QOPEN;
            else if (cp == 0x201D || cp == 0xBB)
                g |= G_QCLOSE;
            else if (cp == 0x2019)
                g |= after_token && i == a ? G_QCLOSE : 0;
            else if (cp == 0x2014 || cp == 0x2013 || cp == 0x2012 || cp == 0x2015)
                g |= G_DASH;
            else if (!pl_utf8_is_space(cp))
                g |= G_OTHER;
        }
        i += len;
    }
    return g;
}

static uint16_t case_flags(const char *s, size_t n)
{
    size_t i = 0, len, upper = 0, lower = 0;
    uint16_t f = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        int is_upper, is_lower, is_digit;
        if (c < 0x80) {
            /* most words are ASCII: no decoding, no table lookups */
            is_upper = c >= 'A' && c <= 'Z';
            is_lower = c >= 'a' && c <= 'z';
            is_digit = c >= '0' && c <= '9';
            len = 1;
        } else {
            int32_t cp = pl_utf8_decode(s + i, n - i, &len);
            is_upper = pl_utf8_is_upper(cp);
            is_lower = !is_upper && pl_utf8_is_lower(cp);
            is_digit = pl_utf8_is_digit(cp);
        }
        if (i == 0) {
            if (is_digit)
                f |= T_DIGIT_START;
            if (is_upper)
                f |= T_CAP;
        }
        upper += (size_t)is_upper;
        lower += (size_t)is_lower;
        i += len;
    }
    if (upper >= 2 && lower == 0)
        f |= T_ALLCAPS;
    return f;
}

static int is_heading_kind(pl_block_kind k)
{
    return k == PL_BLOCK_TITLE || k == PL_BLOCK_HEADING || k == PL_BLOCK_CELL || k == PL_BLOCK_PRE;
}

static pl_status tokenize(extractor *x)
{
    const pl_document *doc = x->doc;
    size_t s;
    pl_status st;
    x->sent_tok = pl_malloc((doc->sentence_count + 1) * sizeof *x->sent_tok);
    x->tail_gap = pl_malloc((doc->sentence_count + 1) * sizeof *x->tail_gap);
    x->shout = pl_calloc(doc->sentence_count + 1, 1);
    if (!x->sent_tok || !x->tail_gap || !x->shout)
        return nomem(x);
    for (s = 0; s < doc->sentence_count; s++) {
        const pl_sentence *sent = &doc->sentences[s];
        size_t pos = sent->start, prev = sent->start, first = x->ntok, caps = 0, words = 0, i;
        uint16_t heading = 0;
        pl_token t;
        if (sent->paragraph < doc->paragraph_count &&
            is_heading_kind(doc->paragraphs[sent->paragraph].kind))
            heading = T_HEADING;
        x->sent_tok[s] = (uint32_t)x->ntok;
        while (pl_token_next(x->text, sent->end, &pos, &t)) {
            tok *k;
            uint32_t id;
            if (pl_grow((void **)&x->toks, &x->tok_cap, x->ntok + 1, sizeof *x->toks))
                return nomem(x);
            st = intern_word(x, x->text + t.start, t.end - t.start, t.kind, &id);
            if (st != PL_OK)
                return st;
            k = &x->toks[x->ntok];
            k->start = (uint32_t)t.start;
            k->end = (uint32_t)t.end;
            k->word = id;
            k->sent = (uint32_t)s;
            k->gap = classify_gap(x->text, prev, t.start, x->ntok > first);
            k->flags = (uint16_t)(heading | (x->ntok == first ? T_INITIAL : 0));
            if (t.kind == PL_TOKEN_WORD) {
                k->flags |= case_flags(x->text + t.start, t.end - t.start);
                words++;
                if (k->flags & T_ALLCAPS)
                    caps++;
            }
            x->ntok++;
            prev = t.end;
        }
        x->tail_gap[s] = classify_gap(x->text, prev, sent->end, x->ntok > first);
        /* A line in capitals says nothing about names or acronyms. */
        if (words >= 3 && caps * 5 >= words * 3) {
            x->shout[s] = 1;
            for (i = first; i < x->ntok; i++)
                x->toks[i].flags &= (uint16_t) ~(T_CAP | T_ALLCAPS);
        }
    }
    x->sent_tok[doc->sentence_count] = (uint32_t)x->ntok;
    return PL_OK;
}

/* What separates token i from the token after it (or its sentence's end). */
static uint16_t gap_after(const extractor *x, size_t i)
{
    const tok *t = &x->toks[i];
    if (i + 1 < x->sent_tok[t->sent + 1])
        return x->toks[i + 1].gap;
    return x->tail_gap[t->sent];
}

static word_info *winfo_of(const extractor *x, size_t i)
{
    return &x->winfo[x->toks[i].word];
}

/* Gathers case and context counts per word, then decides which words act as
 * verbs: those seen after modals and pronouns clearly more often than after
 * determiners and prepositions. */
static void learn_words(extractor *x)
{
    size_t i, w;
    for (i = 0; i < x->ntok; i++) {
        const tok *t = &x->toks[i];
        word_info *wi = &x->winfo[t->word];
        wi->count++;
        if (!(t->flags & T_INITIAL)) {
            if ((t->flags & T_CAP) && !(t->flags & T_ALLCAPS))
                wi->cap_mid++;
            else if (!(t->flags & (T_CAP | T_ALLCAPS)))
                wi->lower++;
            if (!(t->gap & ~G_QOPEN)) {
                uint32_t pf = x->winfo[x->toks[i - 1].word].flags;
                if (pf & W_MODAL)
                    wi->verb_ev += 2;
                else if (pf & W_TO)
                    wi->verb_ev += 1;
                if (pf & W_DET) {
                    wi->det_ev++;
                    wi->noun_ev += 2;
                } else if (pf & W_PREP) {
                    wi->noun_ev++;
                }
                /* a word followed straight by its object: "covers the" */
                if (wi->flags & W_OBJECT)
                    x->winfo[x->toks[i - 1].word].verb_ev++;
            }
        }
    }
    for (w = 0; w < x->words.count; w++) {
        word_info *wi = &x->winfo[w];
        if (!(wi->flags & (W_ED | W_ING | W_STOP)) && wi->verb_ev >= 2 &&
            wi->verb_ev > 2 * wi->noun_ev)
            wi->flags |= W_VERB;
    }
}

/* ---- candidates ---- */

/* Whether token i may be inside a phrase chunk. */
static int chunk_word(const extractor *x, size_t i)
{
    uint32_t f = winfo_of(x, i)->flags;
    return !(f & (W_STOP | W_NOTWORD | W_BOUNDARY | W_VERB | W_ADVERB));
}

static int can_start(const extractor *x, size_t i)
{
    const word_info *wi = winfo_of(x, i);
    if (wi->flags & W_VAGUE)
        return 0;
    if ((wi->flags & W_ING) && wi->det_ev == 0)
        return 0;
    return 1;
}

static int can_end(const extractor *x, size_t i)
{
    const word_info *wi = winfo_of(x, i);
    if (wi->flags & (W_VAGUE | W_NUMWORD))
        return 0;
    if ((wi->flags & W_ED) && wi->det_ev == 0)
        return 0;
    return 1;
}

/* Appends the stems of token i to x->key at *n; 0 when the key is full. */
static int key_push(extractor *x, size_t *n, size_t i)
{
    const word_info *wi = winfo_of(x, i);
    if (*n + wi->stem_n > MAX_KEY_STEMS)
        return 0;
    memcpy(x->key + *n, x->word_stems + wi->stem_off, wi->stem_n * sizeof *x->key);
    *n += wi->stem_n;
    return 1;
}

static int key_of_range(extractor *x, size_t a, size_t b, size_t *n)
{
    size_t i;
    *n = 0;
    for (i = a; i <= b; i++)
        if (!key_push(x, n, i))
            return 0;
    return 1;
}

typedef enum signal { SIG_PHRASE, SIG_MARKED } signal;

static pl_status record_mention(extractor *x, uint32_t p, const size_t *idx, size_t n);

/* One mention of the candidate keyed x->key[0..nk), made of the tokens
 * idx[0..n) (in text order; contiguous except for coordination). In the
 * counting pass it adds to the candidate's counts and flags and stores its
 * id in *id (if not NULL); in the last pass it records the mention of a
 * chosen term (coordination only: the rest is matched directly). */
static pl_status emit_hashed(extractor *x, size_t nk, uint32_t h, const size_t *idx, size_t n,
                             signal sig, uint32_t flags, uint32_t *id)
{
    size_t bytes = nk * sizeof *x->key, i;
    uint32_t c;
    int added;
    cand *ci;
    const tok *first = &x->toks[idx[0]];
    if (x->collect) {
        if (smap_find(&x->chosen, x->key, bytes, h, &c))
            return record_mention(x, c, idx, n);
        return PL_OK;
    }
    if (smap_intern(&x->cands, x->key, bytes, h, &c, &added))
        return nomem(x);
    if (added) {
        if (pl_grow((void **)&x->cinfo, &x->cinfo_cap, x->cands.count, sizeof *x->cinfo))
            return nomem(x);
        ci = &x->cinfo[c];
        memset(ci, 0, sizeof *ci);
        ci->partner = NONE32;
        ci->n_stems = (uint8_t)nk;
        ci->n_tokens = (uint8_t)(n > 255 ? 255 : n);
        for (i = 0; i < n; i++) {
            const word_info *wi = winfo_of(x, idx[i]);
            if (wi->flags & (W_STOP | W_NOTWORD))
                continue;
            if (wi->common == PL_COMMON_VERY)
                ci->n_very++;
            else if (wi->common == PL_COMMON_SOME)
                ci->n_some++;
            else
                ci->n_rare++;
        }
    }
    ci = &x->cinfo[c];
    ci->flags |= flags;
    if (id)
        *id = c;
    if (first->flags & T_HEADING) {
        ci->f_heading++;
    } else if (sig == SIG_PHRASE) {
        int plain = 0;
        ci->f_phrase++;
        for (i = 0; i < n && !plain; i++) {
            uint16_t tf = x->toks[idx[i]].flags;
            if (!(tf & (T_CAP | T_ALLCAPS | T_DIGIT_START)) &&
                !(winfo_of(x, idx[i])->flags & W_STOP))
                plain = 1;
        }
        ci->f_plain += (uint32_t)plain;
    } else if (ci->last_mark != idx[0] + 1) {
        ci->f_marked++;
        ci->last_mark = (uint32_t)(idx[0] + 1);
    }
    return PL_OK;
}

static pl_status emit(extractor *x, size_t nk, const size_t *idx, size_t n, signal sig,
                      uint32_t flags, uint32_t *id)
{
    return emit_hashed(x, nk, fnv(FNV_INIT, x->key, nk * sizeof *x->key), idx, n, sig, flags, id);
}

/* emit() for the tokens [a, b]; *id (if not NULL) is NONE32 when the span
 * is too long to be a candidate. */
static pl_status emit_range(extractor *x, size_t a, size_t b, signal sig, uint32_t flags,
                            uint32_t *id)
{
    size_t idx[MAX_MATCH_TOKENS + MAX_NAME_TOKENS], nk, i;
    if (id)
        *id = NONE32;
    if (b - a + 1 > sizeof idx / sizeof idx[0] || !key_of_range(x, a, b, &nk))
        return PL_OK;
    for (i = a; i <= b; i++)
        idx[i - a] = i;
    return emit(x, nk, idx, b - a + 1, sig, flags, id);
}

/* "rule of law", "angle of attack": the last word of a chunk, "of", and the
 * first one or two words of the next chunk (no article in between: "the
 * rule of the game" is a phrase about a particular game). The head must say
 * something on its own, so generic heads ("number of", "part of") are left
 * out. */
static pl_status of_phrases(extractor *x, size_t b, size_t end)
{
    size_t j, nk, idx[4];
    const word_info *head;
    pl_status st;
    if (b + 1 >= end || !(winfo_of(x, b)->flags & W_OF) || x->toks[b].gap || x->toks[b + 1].gap ||
        !chunk_word(x, b + 1))
        return PL_OK;
    head = winfo_of(x, b - 1);
    if ((head->flags & (W_GENERIC | W_VAGUE | W_NUMWORD | W_ING | W_ED)) || !can_start(x, b - 1) ||
        (x->toks[b - 1].flags & T_INITIAL))
        return PL_OK;
    for (j = b + 1; j < end && j < b + 3 && chunk_word(x, j) && (j == b + 1 || !x->toks[j].gap);
         j++) {
        if (!can_end(x, j))
            continue;
        if (!key_of_range(x, b - 1, j, &nk))
            break;
        idx[0] = b - 1;
        idx[1] = b;
        idx[2] = b + 1;
        idx[3] = j;
        st = emit(x, nk, idx, j - b + 2, SIG_PHRASE, 0, NULL);
        if (st != PL_OK)
            return st;
    }
    return PL_OK;
}

/* Noun-phrase-like chunks: maximal runs of chunk words with nothing but
 * white space between them; every sub-sequence that may start and end a
 * phrase is a candidate mention (C-value sorts the fragments out). */
static pl_status phrases(extractor *x, size_t first, size_t end)
{
    size_t a = first, b, i, j;
    pl_status st;
    while (a < end) {
        if (!chunk_word(x, a)) {
            a++;
            continue;
        }
        for (b = a + 1; b < end && chunk_word(x, b) && !x->toks[b].gap; b++)
            ;
        for (i = a; i < b; i++) {
            word_info *wi = winfo_of(x, i);
            wi->chunk_in++;
            if (i + 1 == b)
                wi->chunk_last++;
        }
        for (i = a; i < b; i++) {
            size_t nk = 0, idx[MAX_PHRASE_TOKENS];
            uint32_t h = FNV_INIT;
            if (!can_start(x, i))
                continue;
            for (j = i; j < b && j < i + MAX_PHRASE_TOKENS; j++) {
                size_t before = nk;
                if (!key_push(x, &nk, j))
                    break;
                idx[j - i] = j;
                h = fnv(h, x->key + before, (nk - before) * sizeof *x->key);
                if (!can_end(x, j))
                    continue;
                st = emit_hashed(x, nk, h, idx, j - i + 1, SIG_PHRASE, 0, NULL);
                if (st != PL_OK)
                    return st;
            }
        }
        if ((st = of_phrases(x, b, end)) != PL_OK)
            return st;
        a = b;
    }
    return PL_OK;
}

static int is_word(const extractor *x, size_t i, const char *w)
{
    size_t n;
    const char *k = smap_key(&x->words, x->toks[i].word, &n);
    return n == strlen(w) && memcmp(k, w, n) == 0;
}

static int content_word(const extractor *x, size_t i)
{
    return !(winfo_of(x, i)->flags & (W_STOP | W_NOTWORD));
}

/* The value of a number word or numeral token, 0 if it is none. */
static int number_value(const extractor *x, size_t i)
{
    static const char *const names[] = {"one",   "two",   "three", "four", "five",   "six",
                                        "seven", "eight", "nine",  "ten",  "eleven", "twelve"};
    size_t k;
    for (k = 0; k < sizeof names / sizeof names[0]; k++)
        if (is_word(x, i, names[k]))
            return (int)k + 1;
    return 0;
}

/* An enumeration right after the head ending at token j: a dash or colon,
 * then at least three items separated by commas and "and"/"or" (two when
 * the head announces two), up to a closing dash, bracket or the sentence
 * end. Flags the head and the items. */
static void enumeration(extractor *x, size_t j, size_t end, uint32_t head, int announced)
{
    const uint16_t closing = G_DASH | G_CLOSE | G_STOP | G_COLON | G_OTHER;
    size_t i, a, items = 0, ia[16], ib[16];
    uint32_t id;
    if (head == NONE32 || !(gap_after(x, j) & (G_DASH | G_COLON)) || j + 1 >= end)
        return;
    a = j + 1;
    for (i = j + 1;; i++) {
        int stop = i == end || (i > j + 1 && (x->toks[i].gap & closing));
        int conj = !stop && (winfo_of(x, i)->flags & W_CONJ);
        int comma = !stop && i > a && (x->toks[i].gap & G_COMMA);
        if (stop || conj || comma) {
            size_t s = a;
            while (s < i && (winfo_of(x, s)->flags & W_STOP))
                s++;
            if (s < i) {
                if (i - s > 5 || items == 16)
                    return; /* an item too long: prose, not a list */
                ia[items] = s;
                ib[items] = i - 1;
                items++;
            }
            if (stop)
                break;
            a = conj ? i + 1 : i;
        }
    }
    if (items < 3 && !(announced == 2 && items == 2))
        return;
    x->cinfo[head].flags |= C_ENUM_HEAD;
    if (announced == (int)items)
        x->cinfo[head].flags |= C_ENUM_COUNT;
    for (i = 0; i < items; i++) {
        size_t nk, bytes;
        if (!key_of_range(x, ia[i], ib[i], &nk))
            continue;
        bytes = nk * sizeof *x->key;
        if (smap_find(&x->cands, x->key, bytes, fnv(FNV_INIT, x->key, bytes), &id))
            x->cinfo[id].flags |= C_ENUM_ITEM;
    }
}

static int name_word(const extractor *x, size_t i)
{
    uint16_t f = x->toks[i].flags;
    return (f & T_CAP) || ((f & T_DIGIT_START) && !(winfo_of(x, i)->flags & W_NOTWORD));
}

/* Whether a capitalised first word of a sentence is capitalised only
 * because it starts the sentence. */
static int initial_is_ordinary(const extractor *x, size_t i)
{
    const word_info *wi = winfo_of(x, i);
    return wi->lower > 0 || (wi->flags & (W_STOP | W_BOUNDARY | W_GENERIC | W_VAGUE | W_ADVERB |
                                          W_ED | W_ING | W_VERB | W_NUMWORD));
}

static pl_status name_span(extractor *x, size_t a, size_t b, size_t end)
{
    size_t i, caps = 0;
    uint32_t id, flags = C_NAME;
    pl_status st;
    if ((x->toks[a].flags & T_INITIAL) && initial_is_ordinary(x, a) &&
        !((winfo_of(x, a)->flags & W_NUMWORD) && winfo_of(x, a)->lower == 0))
        a++;
    while (a <= b && !name_word(x, a))
        a++;
    while (b > a && !name_word(x, b))
        b--;
    if (a > b || b - a + 1 > MAX_NAME_TOKENS)
        return PL_OK;
    for (i = a; i <= b; i++)
        if ((x->toks[i].flags & T_CAP) && !(winfo_of(x, i)->flags & (W_STOP | W_NOTWORD)))
            caps++;
    if (caps < 2)
        return PL_OK;
    if (winfo_of(x, a)->flags & W_NUMWORD)
        flags |= C_NUMBER_NAME;
    st = emit_range(x, a, b, SIG_MARKED, flags, &id);
    if (st == PL_OK)
        enumeration(x, b, end, id, number_value(x, a));
    return st;
}

/* Capitalised names: runs of capitalised words with lower-case glue words
 * (of, and, for, the…) inside, split where the glue is followed by "the"
 * ("Third Plenary Session | of the | 20th National Congress"). */
static pl_status names(extractor *x, size_t first, size_t end)
{
    size_t a = first, b;
    pl_status st;
    while (a < end) {
        if (!name_word(x, a)) {
            a++;
            continue;
        }
        b = a;
        while (b + 1 < end && !x->toks[b + 1].gap) {
            size_t n = b + 1;
            if (name_word(x, n)) {
                b = n;
                continue;
            }
            if ((winfo_of(x, n)->flags & W_GLUE) && !(x->toks[n].flags & T_CAP) && n + 1 < end &&
                !x->toks[n + 1].gap && name_word(x, n + 1) && !(winfo_of(x, n)->flags & W_THE) &&
                !(winfo_of(x, n + 1)->flags & W_THE)) {
                b = n + 1;
                continue;
            }
            break;
        }
        st = name_span(x, a, b, end);
        if (st != PL_OK)
            return st;
        a = b + 1;
    }
    return PL_OK;
}

/* Quoted terms: one to MAX_QUOTED_TOKENS words between quotation marks
 * with nothing but spaces inside. Outer stopwords are trimmed. */
static pl_status quoted(extractor *x, size_t first, size_t end)
{
    size_t i, j, a, b;
    uint32_t id;
    pl_status st;
    for (i = first; i < end; i++) {
        if (!(x->toks[i].gap & G_QOPEN))
            continue;
        for (j = i; j < end && j < i + MAX_QUOTED_TOKENS; j++) {
            if (j > i && x->toks[j].gap)
                break;
            if (gap_after(x, j) & G_QCLOSE) {
                a = i;
                b = j;
                while (a <= b && (winfo_of(x, a)->flags & W_STOP))
                    a++;
                while (b > a && (winfo_of(x, b)->flags & W_STOP))
                    b--;
                if (a > b || (winfo_of(x, a)->flags & W_NOTWORD) || !content_word(x, b))
                    break;
                st = emit_range(x, a, b, SIG_MARKED, C_QUOTED, &id);
                if (st != PL_OK)
                    return st;
                enumeration(x, b, end, id, number_value(x, a));
                break;
            }
        }
    }
    return PL_OK;
}

/* ---- acronyms ---- */

static int is_acronym(const extractor *x, size_t i, char *letters, size_t *n)
{
    const tok *t = &x->toks[i];
    size_t k, m = 0, roman = 1;
    const word_info *wi = winfo_of(x, i);
    /* a word often written in lower or title case is a word in capitals */
    if (!(t->flags & T_ALLCAPS) || (wi->flags & W_NOTWORD) ||
        (wi->lower + wi->cap_mid) * 10 > wi->count - wi->lower - wi->cap_mid)
        return 0;
    for (k = t->start; k < t->end; k++) {
        char c = x->text[k];
        if (c >= 'A' && c <= 'Z') {
            if (m == MAX_ACRONYM)
                return 0;
            letters[m++] = c;
            if (!strchr("IVXLCDM", c))
                roman = 0;
        } else if (!(c >= '0' && c <= '9') && c != '-') {
            return 0;
        }
    }
    *n = m;
    return m >= 2 && !roman;
}

static char initial_of(const extractor *x, size_t i, size_t part, size_t *parts)
{
    const tok *t = &x->toks[i];
    size_t k, p = 0;
    char found = 0;
    for (k = t->start; k < t->end; k++) {
        if (k == t->start || x->text[k - 1] == '-') {
            if (p == part) {
                char c = x->text[k];
                found = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
            }
            p++;
        }
    }
    *parts = p;
    return found;
}

/* Whether tokens [i, b] spell letters[li..n): each content word gives its
 * initial (and optionally those of its later hyphen parts), glue words may
 * give theirs or nothing. */
static int spells(const extractor *x, const char *letters, size_t li, size_t n, size_t i, size_t b)
{
    size_t parts, p;
    char c;
    if (i > b)
        return li == n;
    if (li == n)
        return 0;
    if ((winfo_of(x, i)->flags & W_STOP) && spells(x, letters, li, n, i + 1, b))
        return 1;
    c = initial_of(x, i, 0, &parts);
    if (c != letters[li])
        return 0;
    li++;
    if (spells(x, letters, li, n, i + 1, b))
        return 1;
    for (p = 1; p < parts && li < n; p++) {
        if (initial_of(x, i, p, &parts) != letters[li])
            break;
        li++;
        if (spells(x, letters, li, n, i + 1, b))
            return 1;
    }
    return 0;
}

static pl_status link_acronym(extractor *x, size_t ai, size_t a, size_t b)
{
    uint32_t acr, exp;
    pl_status st = emit_range(x, ai, ai, SIG_MARKED, C_ACRONYM | C_ACRONYM_DEF, &acr);
    if (st != PL_OK)
        return st;
    st = emit_range(x, a, b, SIG_MARKED, C_EXPANSION, &exp);
    if (st != PL_OK || acr == NONE32 || exp == NONE32)
        return st;
    if (x->cinfo[acr].partner == NONE32)
        x->cinfo[acr].partner = exp;
    if (x->cinfo[exp].partner == NONE32)
        x->cinfo[exp].partner = acr;
    return PL_OK;
}

/* "Long Form (LF)", "LF (Long Form)", "LF, short for Long Form", "LF stands
 * for Long Form"; an acronym without its long form is still a mention. */
static pl_status acronyms(extractor *x, size_t first, size_t end)
{
    char letters[MAX_ACRONYM];
    size_t i, n, s, e, a, b;
    pl_status st;
    for (i = first; i < end; i++) {
        if (!is_acronym(x, i, letters, &n))
            continue;
        a = b = end; /* the long form, when found */
        /* Long Form (LF) */
        if (x->toks[i].gap == G_OPEN && (gap_after(x, i) & G_CLOSE) && i > first) {
            for (s = i; s-- > first && i - s <= n + 4;) {
                if (s + 1 < i && x->toks[s + 1].gap)
                    break;
                if (content_word(x, s) && spells(x, letters, 0, n, s, i - 1)) {
                    a = s;
                    b = i - 1;
                    break;
                }
            }
        }
        /* LF (Long Form) */
        if (a == end && gap_after(x, i) == G_OPEN) {
            for (e = i + 1; e < end && e <= i + n + 4; e++) {
                if (e > i + 1 && x->toks[e].gap)
                    break;
                if (gap_after(x, e) & G_CLOSE) {
                    if (content_word(x, e) && spells(x, letters, 0, n, i + 1, e)) {
                        a = i + 1;
                        b = e;
                    }
                    break;
                }
            }
        }
        /* LF, short for Long Form / LF stands for Long Form */
        if (a == end && i + 3 < end &&
            (is_word(x, i + 1, "short") || is_word(x, i + 1, "stands")) &&
            is_word(x, i + 2, "for") && !x->toks[i + 2].gap) {
            for (e = i + 3; e < end && e <= i + n + 6; e++) {
                if (e > i + 3 && x->toks[e].gap)
                    break;
                if (content_word(x, e) && spells(x, letters, 0, n, i + 3, e)) {
                    a = i + 3;
                    b = e;
                    break;
                }
            }
        }
        st = a < end ? link_acronym(x, i, a, b) : emit_range(x, i, i, SIG_MARKED, C_ACRONYM, NULL);
        if (st != PL_OK)
            return st;
    }
    return PL_OK;
}

/* ---- coordination ---- */

static int modifier_word(const extractor *x, size_t i)
{
    return chunk_word(x, i) && !(winfo_of(x, i)->flags & (W_VAGUE | W_NUMWORD)) &&
           !(x->toks[i].flags & T_ALLCAPS);
}

/* "traditional, emerging, and future-oriented industries": each modifier
 * before the last is also a mention of modifier + head ("traditional
 * industries"). The right side is a chunk of two to five words after
 * "and"/"or"; its first word is the last modifier, the rest the head. The
 * left side is single modifiers separated by commas, the first one not
 * preceded by a word of the same chunk (else the conjuncts are whole
 * phrases: "industrial chains, supply chains, and innovation chains"). */
static pl_status coordination(extractor *x, size_t first, size_t end)
{
    size_t c, m, h, he, k, nm, idx[MAX_PHRASE_TOKENS + 1], nk, mods[8];
    pl_status st;
    for (c = first + 1; c + 2 < end; c++) {
        int ok = 0;
        if (!(winfo_of(x, c)->flags & W_CONJ) || (x->toks[c].gap & ~G_COMMA) ||
            x->toks[c + 1].gap || !modifier_word(x, c + 1))
            continue;
        for (he = c + 2; he < end && chunk_word(x, he) && !x->toks[he].gap; he++)
            ;
        if (he - c - 1 < 2 || he - c - 1 > 5)
            continue;
        nm = 0;
        for (m = c - 1;; m--) {
            uint16_t g = x->toks[m].gap;
            if (!modifier_word(x, m) || nm == 8)
                break;
            mods[nm++] = m;
            if (m == first) {
                ok = 1;
                break;
            }
            if (g == G_COMMA && modifier_word(x, m - 1))
                continue;
            ok = g != 0 || !chunk_word(x, m - 1);
            break;
        }
        if (!ok)
            continue;
        for (k = 0; k < nm; k++) {
            nk = 0;
            idx[0] = mods[k];
            if (!key_push(x, &nk, mods[k]))
                continue;
            for (h = c + 2; h < he; h++) {
                idx[h - c - 1] = h;
                if (!key_push(x, &nk, h))
                    break;
            }
            if (h < he)
                continue;
            st = emit(x, nk, idx, he - c - 1, SIG_PHRASE, C_COORD, NULL);
            if (st != PL_OK)
                return st;
        }
        c = he - 1;
    }
    return PL_OK;
}

static pl_status count_candidates(extractor *x)
{
    size_t s;
    pl_status st;
    for (s = 0; s < x->doc->sentence_count; s++) {
        size_t first = x->sent_tok[s], end = x->sent_tok[s + 1];
        if (first == end)
            continue;
        if ((st = phrases(x, first, end)) != PL_OK || (st = coordination(x, first, end)) != PL_OK)
            return st;
        if (!x->shout[s] &&
            ((st = names(x, first, end)) != PL_OK || (st = acronyms(x, first, end)) != PL_OK))
            return st;
        if ((st = quoted(x, first, end)) != PL_OK)
            return st;
    }
    return PL_OK;
}

/* ---- scoring ---- */

/* C-value's nesting: every candidate seen at least twice, or marked once
 * (a name, a quote), adds its frequency to each shorter candidate it
 * contains. Word sequences seen once are mostly accidents ("forces relies")
 * and would only blur the mean. */
static void nest(extractor *x)
{
    size_t c, i, j, len;
    uint32_t id;
    for (c = 0; c < x->cands.count; c++) {
        const cand *ci = &x->cinfo[c];
        uint32_t f = ci->f_phrase > ci->f_marked ? ci->f_phrase : ci->f_marked;
        const uint32_t *key;
        if ((f < 2 && ci->f_marked == 0) || ci->n_stems < 2)
            continue;
        key = (const uint32_t *)(const void *)smap_key(&x->cands, (uint32_t)c, &len);
        len /= sizeof *key;
        for (i = 0; i < len; i++) {
            for (j = i + 1; j <= len; j++) {
                size_t bytes = (j - i) * sizeof *key;
                if (j - i == len)
                    continue;
                if (smap_find(&x->cands, key + i, bytes, fnv(FNV_INIT, key + i, bytes), &id)) {
                    x->cinfo[id].nested_sum += f;
                    x->cinfo[id].nested_types++;
                }
            }
        }
    }
}

/* Whether the folded word w[0..n) has an adjective's ending. */
static int adjective_like(const char *w, size_t n)
{
    static const char *const endings[] = {"able", "al", "ant", "ary",  "ent", "ful",
                                          "ible", "ic", "ive", "less", "ous"};
    size_t i;
    if (n < 5 || ends_with(w, n, "ment"))
        return 0;
    for (i = 0; i < sizeof endings / sizeof endings[0]; i++)
        if (ends_with(w, n, endings[i]))
            return 1;
    return 0;
}

/* Whether one spelling is fit to be a term on its own: a noun-like word
 * that is not generic, a verb, a participle or a proper name. A word with
 * an adjective's ending, or an -ing form, must show that it is used as a
 * noun: seen after a determiner, and ending the phrase chunks it is in
 * often enough (nouns head their phrases; adjectives rarely do). */
static int single_word_ok(const extractor *x, uint32_t w)
{
    const word_info *wi = &x->winfo[w];
    size_t n;
    const char *k = smap_key(&x->words, w, &n);
    if (x->terminology) /* any content word: "legal", "axial", "Commission" */
        return (wi->flags & W_ALPHA) && !(wi->flags & (W_STOP | W_BOUNDARY | W_NOTWORD | W_NUMWORD |
                                                       W_VAGUE | W_ADVERB | W_GENERIC | W_VERB));
    if (!(wi->flags & W_ALPHA) || (wi->flags & (W_GENERIC | W_VAGUE | W_VERB | W_NUMWORD |
                                                W_ADVERB | W_STOP | W_BOUNDARY | W_NOTWORD)))
        return 0;
    if (wi->flags & W_ED)
        return 0;
    if (wi->cap_mid > wi->lower) /* a proper name: China, Belgium */
        return 0;
    if (wi->chunk_in == 0)
        return 0;
    if (adjective_like(k, n) || (wi->flags & W_ING))
        return wi->det_ev > 0 && (double)wi->chunk_last >= HEAD_SHARE * wi->chunk_in;
    return 1;
}

/* Decides, for every one-word candidate, whether it may be a term alone.
 * A candidate stands for all spellings with its stem ("market", "markets");
 * most of their mentions must be by fit spellings, so that a stem shared
 * by a noun and a verb or adjective ("manage", "management") does not
 * slip through on the verb's count. */
static pl_status judge_single_words(extractor *x, unsigned char **out)
{
    size_t w;
    uint32_t *good = pl_calloc(x->cands.count + 1, sizeof *good);
    uint32_t *all = pl_calloc(x->cands.count + 1, sizeof *all);
    unsigned char *ok = pl_calloc(x->cands.count + 1, 1);
    if (!good || !all || !ok) {
        pl_free(good);
        pl_free(all);
        pl_free(ok);
        return nomem(x);
    }
    for (w = 0; w < x->words.count; w++) {
        const word_info *wi = &x->winfo[w];
        const uint32_t *k = x->word_stems + wi->stem_off;
        size_t bytes = wi->stem_n * sizeof *k;
        uint32_t id;
        if (!smap_find(&x->cands, k, bytes, fnv(FNV_INIT, k, bytes), &id))
            continue;
        all[id] += wi->count;
        if (single_word_ok(x, (uint32_t)w))
            good[id] += wi->count;
    }
    for (w = 0; w < x->cands.count; w++)
        ok[w] = good[w] > 0 && good[w] * 4 >= all[w] * 3;
    pl_free(good);
    pl_free(all);
    *out = ok;
    return PL_OK;
}

/* Whether the article introduces the candidate in quotation marks, rather
 * than quoting a common word once among many plain mentions. */
static int quoted_term(const cand *ci)
{
    return (ci->flags & C_QUOTED) && ci->f_marked * 4 >= ci->f_phrase;
}

static pl_term_kind kind_of(const cand *ci)
{
    if (quoted_term(ci))
        return PL_TERM_QUOTED;
    if ((ci->flags & C_ACRONYM) && ci->n_tokens == 1)
        return PL_TERM_ACRONYM;
    if ((ci->flags & C_NAME) && ci->f_marked > 0 && ci->f_marked >= ci->f_plain)
        return PL_TERM_NAME;
    return PL_TERM_PHRASE;
}

/* S(t): how far the candidate's words are from everyday English. One word
 * not in the general-English table is enough for a phrase to count as
 * specific ("wind turbine", "legal person"); a phrase of everyday words
 * ("national law") or an everyday single word is discounted. */
static double specificity(const cand *ci)
{
    int single = ci->n_very + ci->n_some + ci->n_rare <= 1;
    if (ci->n_rare)
        return 1.0;
    if (single)
        return ci->n_some ? SPEC_SINGLE_SOME : ci->n_very ? SPEC_SINGLE_VERY : 1.0;
    return ci->n_some ? 1.0 : SPEC_PHRASE_VERY;
}

static double score_of(const cand *ci)
{
    uint32_t f = ci->f_phrase > ci->f_marked ? ci->f_phrase : ci->f_marked;
    double nested = ci->nested_types ? (double)ci->nested_sum / ci->nested_types : 0.0;
    double core = f - nested;
    double bonus = 0.0;
    if (core < 0)
        core = 0;
    if (quoted_term(ci))
        bonus += BONUS_QUOTED;
    if (ci->flags & (C_ACRONYM_DEF | C_EXPANSION))
        bonus += BONUS_ACRONYM;
    if (ci->flags & C_ENUM_HEAD)
        bonus += BONUS_ENUM_HEAD;
    if (ci->flags & C_ENUM_COUNT)
        bonus += BONUS_ENUM_COUNT;
    if (ci->flags & C_NUMBER_NAME)
        bonus += BONUS_NUMBER_NAME;
    if ((ci->flags & C_NAME) && ci->f_marked > 0 && ci->f_marked >= ci->f_plain)
        bonus += BONUS_NAME;
    if (ci->flags & C_ENUM_ITEM)
        bonus += BONUS_ENUM_ITEM;
    return log2(1.0 + ci->n_stems) * core * specificity(ci) + bonus;
}

typedef struct ranked {
    uint32_t cand;
    double score;
    const unsigned char *key;
    size_t key_len;
} ranked;

static int ranked_cmp(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    size_t n;
    int c;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    n = a->key_len < b->key_len ? a->key_len : b->key_len;
    c = memcmp(a->key, b->key, n);
    if (c)
        return c;
    return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

static int eligible(const cand *ci, const unsigned char *single_ok, uint32_t c, size_t min_count,
                    int terminology, double score)
{
    uint32_t f = ci->f_phrase > ci->f_marked ? ci->f_phrase : ci->f_marked;
    pl_term_kind kind = kind_of(ci);
    size_t need = min_count;
    if (f == 0)
        return 0; /* headings alone are no evidence */
    if (!need)
        need = (kind == PL_TERM_PHRASE && !(ci->flags & (C_DEFINED | C_ENUM_ITEM))) ||
                       (kind == PL_TERM_ACRONYM && !(ci->flags & C_ACRONYM_DEF))
                   ? 2
                   : 1;
    if ((size_t)f + ci->f_heading < need)
        return 0;
    if (ci->n_tokens == 1 && !quoted_term(ci) && !(ci->flags & (C_ACRONYM | C_ENUM_HEAD))) {
        if (!single_ok[c] || f < (min_count     ? min_count
                                  : terminology ? SINGLE_MIN_TERMINOLOGY
                                                : SINGLE_MIN))
            return 0;
        /* A glossary explains what a reader may not know: an everyday
         * word ("development", "market") only when the article marks it. */
        if (!terminology && ci->n_rare == 0)
            return 0;
    }
    /* 0: every mention is inside a longer candidate (a fragment) */
    return score > 0;
}

/* ---- last pass: mentions, spellings, sentences ---- */

/* Whether tokens [a, b] are a mention of a term of this kind and policy:
 * names and acronyms keep their capitals; a phrase is never matched across
 * a word that ends phrases ("According" is no mention of "accordance"). */
static int mention_ok(const extractor *x, pl_term_kind kind, pl_case_policy policy, size_t a,
                      size_t b)
{
    size_t i;
    if (kind == PL_TERM_PHRASE) {
        for (i = a; i <= b; i++)
            if (!chunk_word(x, i))
                return 0;
    }
    if (policy == PL_CASE_INSENSITIVE)
        return 1;
    for (i = a; i <= b; i++) {
        uint16_t f = x->toks[i].flags;
        if (policy == PL_CASE_EXACT && !(f & T_ALLCAPS))
            return 0;
        if (policy == PL_CASE_CAPITALIZED && !(f & (T_CAP | T_DIGIT_START)) &&
            !(winfo_of(x, i)->flags & (W_STOP | W_NOTWORD)))
            return 0;
    }
    return 1;
}

static int in_capitals(const char *s, size_t n)
{
    size_t i, upper = 0;
    for (i = 0; i < n; i++) {
        if (s[i] >= 'a' && s[i] <= 'z')
            return 0;
        upper += s[i] >= 'A' && s[i] <= 'Z';
    }
    return upper >= 2;
}

static pl_status record_mention(extractor *x, uint32_t p, const size_t *idx, size_t n)
{
    pick *pk = &x->picks[p];
    size_t sent = x->toks[idx[0]].sent, i;
    uint32_t h, v;
    int added;
    pk->count++;
    if (!pk->occ_count || pk->occ[pk->occ_count - 1] != sent) {
        if (pl_grow((void **)&pk->occ, &pk->occ_cap, pk->occ_count + 1, sizeof *pk->occ))
            return nomem(x);
        pk->occ[pk->occ_count++] = sent;
    }
    pl_buf_reset(&x->surface);
    if (pl_buf_append(&x->surface, (const char *)&p, sizeof p))
        return nomem(x);
    for (i = 0; i < n; i++) {
        const tok *t = &x->toks[idx[i]];
        if ((i && pl_buf_putc(&x->surface, ' ')) ||
            pl_buf_append(&x->surface, x->text + t->start, t->end - t->start))
            return nomem(x);
    }
    /* A phrase capitalised only because it starts a sentence is spelled as
     * inside one ("Regional collaboration can…" is "regional collaboration"). */
    {
        const tok *t = &x->toks[idx[0]];
        char *c = x->surface.data + sizeof p;
        if (pk->kind == PL_TERM_PHRASE && (t->flags & T_INITIAL) && (t->flags & T_CAP) &&
            !(t->flags & T_ALLCAPS) && x->winfo[t->word].cap_mid == 0 && *c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    }
    h = fnv(FNV_INIT, x->surface.data, x->surface.len);
    if (smap_intern(&x->variants, x->surface.data, x->surface.len, h, &v, &added))
        return nomem(x);
    if (added) {
        if (pl_grow((void **)&x->vinfo, &x->vinfo_cap, x->variants.count, sizeof *x->vinfo))
            return nomem(x);
        memset(&x->vinfo[v], 0, sizeof x->vinfo[v]);
        x->vinfo[v].pick = p;
        x->vinfo[v].shouted = pk->kind != PL_TERM_ACRONYM &&
                              in_capitals(x->surface.data + sizeof p, x->surface.len - sizeof p);
    }
    x->vinfo[v].count++;
    return PL_OK;
}

static pl_status collect(extractor *x)
{
    size_t s, i, j, idx[MAX_MATCH_TOKENS];
    pl_status st;
    x->collect = 1;
    for (s = 0; s < x->doc->sentence_count; s++) {
        size_t first = x->sent_tok[s], end = x->sent_tok[s + 1];
        for (i = first; i < end; i++) {
            const word_info *wi = winfo_of(x, i);
            size_t nk = 0;
            uint32_t h = FNV_INIT, p;
            if (!x->starts[x->word_stems[wi->stem_off]])
                continue;
            for (j = i; j < end && j < i + MAX_MATCH_TOKENS; j++) {
                size_t before = nk;
                if (j > i && x->toks[j].gap)
                    break;
                if (!key_push(x, &nk, j))
                    break;
                idx[j - i] = j;
                h = fnv(h, x->key + before, (nk - before) * sizeof *x->key);
                if (smap_find(&x->chosen, x->key, nk * sizeof *x->key, h, &p) &&
                    mention_ok(x, x->picks[p].kind, x->picks[p].policy, i, j)) {
                    st = record_mention(x, p, idx, j - i + 1);
                    if (st != PL_OK)
                        return st;
                }
            }
        }
        if (end > first && (st = coordination(x, first, end)) != PL_OK)
            return st;
    }
    return PL_OK;
}

/* ---- output ---- */

static void free_term(pl_term *t)
{
    size_t i;
    pl_free(t->text);
    for (i = 0; i < t->variant_count; i++)
        pl_free(t->variants[i]);
    pl_free(t->variants);
    pl_free(t->occurrences);
}

void pl_terms_free(pl_terms *terms)
{
    size_t i;
    if (!terms)
        return;
    for (i = 0; i < terms->count; i++)
        free_term(&terms->items[i]);
    pl_free(terms->items);
    pl_free(terms);
}

const char *pl_term_kind_name(pl_term_kind kind)
{
    switch (kind) {
    case PL_TERM_QUOTED:
        return "quoted";
    case PL_TERM_NAME:
        return "name";
    case PL_TERM_ACRONYM:
        return "acronym";
    case PL_TERM_PHRASE:
        return "phrase";
    }
    return "phrase";
}

typedef struct vref {
    const extractor *x;
    uint32_t v;
} vref;

static const char *variant_text(const extractor *x, uint32_t v, size_t *len)
{
    const char *k = smap_key(&x->variants, v, len);
    *len -= sizeof(uint32_t);
    return k + sizeof(uint32_t);
}

/* Canonical order of a term's spellings (see pl_term.text). */
static int variant_cmp(const void *pa, const void *pb)
{
    const vref *a = pa, *b = pb;
    const variant *va = &a->x->vinfo[a->v], *vb = &b->x->vinfo[b->v];
    const char *ta, *tb;
    size_t la, lb;
    int c;
    if (va->shouted != vb->shouted)
        return va->shouted ? 1 : -1;
    if (va->count != vb->count)
        return va->count > vb->count ? -1 : 1;
    ta = variant_text(a->x, a->v, &la);
    tb = variant_text(b->x, b->v, &lb);
    if (la != lb)
        return la < lb ? -1 : 1;
    c = memcmp(ta, tb, la);
    return c ? c : (a->v > b->v) - (a->v < b->v);
}

static int term_cmp(const void *pa, const void *pb)
{
    const pl_term *a = pa, *b = pb;
    int c;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    c = strcmp(a->text, b->text);
    if (c)
        return c;
    return (a->kind > b->kind) - (a->kind < b->kind);
}

static pl_status build_output(extractor *x, size_t top, size_t min_count, pl_terms **out)
{
    pl_terms *terms = NULL;
    size_t *first = NULL, *order = NULL, p, v, i;
    vref *refs = NULL;
    size_t *final_of = NULL;
    pl_status st = PL_OK;

    terms = pl_calloc(1, sizeof *terms);
    first = pl_calloc(x->pick_count + 1, sizeof *first);
    order = pl_malloc((x->variants.count + 1) * sizeof *order);
    refs = pl_malloc((x->variants.count + 1) * sizeof *refs);
    final_of = pl_malloc((x->pick_count + 1) * sizeof *final_of);
    if (!terms || !first || !order || !refs || !final_of)
        goto oom;
    /* bucket the spellings by term */
    for (v = 0; v < x->variants.count; v++)
        first[x->vinfo[v].pick + 1]++;
    for (p = 0; p < x->pick_count; p++)
        first[p + 1] += first[p];
    for (v = 0; v < x->variants.count; v++)
        order[first[x->vinfo[v].pick]++] = v;
    for (p = x->pick_count; p > 0; p--)
        first[p] = first[p - 1];
    first[0] = 0;

    terms->items = pl_calloc(x->pick_count + 1, sizeof *terms->items);
    if (!terms->items)
        goto oom;
    for (p = 0; p < x->pick_count; p++) {
        pick *pk = &x->picks[p];
        size_t nv = first[p + 1] - first[p], need = min_count;
        pl_term *t;
        final_of[p] = PL_TERM_NONE;
        if (!need)
            need = 1;
        if (nv == 0 || pk->count < need)
            continue;
        for (i = 0; i < nv; i++) {
            refs[i].x = x;
            refs[i].v = (uint32_t)order[first[p] + i];
        }
        qsort(refs, nv, sizeof *refs, variant_cmp);
        t = &terms->items[terms->count++];
        t->long_form = PL_TERM_NONE;
        t->kind = pk->kind;
        t->score = pk->score;
        t->case_policy = pk->policy;
        t->count = pk->count;
        t->occurrences = pk->occ;
        t->occurrence_count = pk->occ_count;
        pk->occ = NULL;
        pk->occ_count = pk->occ_cap = 0;
        t->long_form = p; /* the pick, until the list is sorted */
        t->variants = pl_calloc(nv, sizeof *t->variants);
        if (!t->variants)
            goto oom;
        for (i = 0; i < nv; i++) {
            size_t len;
            const char *s = variant_text(x, refs[i].v, &len);
            t->variants[i] = pl_strndup(s, len);
            if (!t->variants[i])
                goto oom;
            t->variant_count++;
        }
        t->text = pl_strndup(t->variants[0], strlen(t->variants[0]));
        if (!t->text)
            goto oom;
        if (t->kind == PL_TERM_QUOTED) {
            const char *c;
            int upper = 0;
            for (c = t->text; *c; c++)
                upper |= *c >= 'A' && *c <= 'Z';
            t->case_policy = upper ? PL_CASE_CAPITALIZED : PL_CASE_INSENSITIVE;
        }
    }
    qsort(terms->items, terms->count, sizeof *terms->items, term_cmp);
    if (top && terms->count > top) {
        for (i = top; i < terms->count; i++)
            free_term(&terms->items[i]);
        terms->count = top;
    }
    for (i = 0; i < terms->count; i++)
        final_of[terms->items[i].long_form] = i;
    for (i = 0; i < terms->count; i++) {
        const pick *pk = &x->picks[terms->items[i].long_form];
        const cand *ci = &x->cinfo[pk->cand];
        uint32_t partner;
        terms->items[i].long_form = PL_TERM_NONE;
        if (pk->kind != PL_TERM_ACRONYM || ci->partner == NONE32)
            continue;
        for (p = 0; p < x->pick_count; p++) {
            if (x->picks[p].cand == ci->partner)
                break;
        }
        partner = (uint32_t)p;
        if (p < x->pick_count && final_of[partner] != PL_TERM_NONE)
            terms->items[i].long_form = final_of[partner];
    }
    *out = terms;
    terms = NULL;
    goto done;
oom:
    st = nomem(x);
done:
    pl_terms_free(terms);
    pl_free(first);
    pl_free(order);
    pl_free(refs);
    pl_free(final_of);
    return st;
}

static pl_status choose(extractor *x, size_t top, size_t min_count)
{
    ranked *r = NULL;
    unsigned char *single_ok = NULL;
    size_t c, n = 0, limit, i;
    pl_status st = judge_single_words(x, &single_ok);
    if (st != PL_OK)
        return st;
    r = pl_malloc((x->cands.count + 1) * sizeof *r);
    if (!r) {
        pl_free(single_ok);
        return nomem(x);
    }
    for (c = 0; c < x->cands.count; c++) {
        const cand *ci = &x->cinfo[c];
        double score = score_of(ci);
        if (!eligible(ci, single_ok, (uint32_t)c, min_count, x->terminology, score))
            continue;
        r[n].cand = (uint32_t)c;
        r[n].score = score;
        r[n].key = (const unsigned char *)smap_key(&x->cands, (uint32_t)c, &r[n].key_len);
        n++;
    }
    pl_free(single_ok);
    qsort(r, n, sizeof *r, ranked_cmp);
    /* Some picks may lose mentions to their case policy: keep a margin. */
    limit = top ? top + top / 2 + 16 : n;
    if (limit > n)
        limit = n;
    x->picks = pl_calloc(limit + 1, sizeof *x->picks);
    x->starts = pl_calloc(x->stems.count + 1, 1);
    if (!x->picks || !x->starts)
        goto oom;
    for (i = 0; i < limit; i++) {
        const cand *ci = &x->cinfo[r[i].cand];
        pick *pk = &x->picks[x->pick_count++];
        uint32_t id;
        int added;
        pk->cand = r[i].cand;
        pk->score = r[i].score;
        pk->kind = kind_of(ci);
        pk->policy = pk->kind == PL_TERM_ACRONYM ? PL_CASE_EXACT
                     : pk->kind == PL_TERM_NAME  ? PL_CASE_CAPITALIZED
                                                 : PL_CASE_INSENSITIVE;
        if (smap_intern(&x->chosen, r[i].key, r[i].key_len, fnv(FNV_INIT, r[i].key, r[i].key_len),
                        &id, &added))
            goto oom;
        x->starts[((const uint32_t *)(const void *)r[i].key)[0]] = 1;
    }
    pl_free(r);
    return PL_OK;
oom:
    pl_free(r);
    return nomem(x);
}

pl_terms *pl_terms_extract(const pl_document *doc, const pl_terms_options *opts, pl_error *err)
{
    extractor x;
    pl_terms *out = NULL;
    size_t top = opts ? opts->top : 0, min_count = opts ? opts->min_count : 0;
    pl_error_clear(err);
    if (!doc)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no document"), NULL;
    if (doc->text_len >= UINT32_MAX)
        return pl_error_set(err, PL_ERR_TOO_LARGE, "text too large for term extraction"), NULL;
    memset(&x, 0, sizeof x);
    x.doc = doc;
    x.text = doc->text;
    x.err = err;
    x.terminology = opts && opts->terminology;
    x.stemmer = sb_stemmer_new("english", "UTF_8");
    if (!x.stemmer) {
        nomem(&x);
        goto done;
    }
    if (tokenize(&x) != PL_OK)
        goto done;
    learn_words(&x);
    if (count_candidates(&x) != PL_OK)
        goto done;
    nest(&x);
    if (choose(&x, top, min_count) != PL_OK || collect(&x) != PL_OK)
        goto done;
    build_output(&x, top, min_count, &out);
done:
    extractor_free(&x);
    return out;
}
