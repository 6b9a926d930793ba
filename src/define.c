/* Definition detection and term explanations. The detector adds hand-set
 * points for the patterns that introduce a definition in expository prose
 * and takes points away for what marks narrative, instruction or hedging;
 * the weights were set by hand and checked against the DEFT train split
 * (bench/define_quality.py), never fitted to it. Explanations then pick the
 * sentences that define one term, falling back on the summarizer's focus
 * ranking. */
#include "define.h"

#include <libstemmer.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "common.h"
#include "pos.h"
#include "summarize.h"
#include "token.h"
#include "utf8.h"

/* ---- word lists (ASCII, lower case) ----
 * Each list names a linguistic class the rules below test for; they are
 * short on purpose, since a rule that needs a long list is not a rule. */

/* Finite past forms: narrative rather than a standing definition. */
static const char *const PAST_WORDS[] = {"was", "were", "had", "did", NULL};
static const char *const MODAL_WORDS[] = {"should", "must", "might", "could",
                                          "would",  "will", "shall", NULL};
/* A sentence that starts with a pronoun or a demonstrative leans on the one
 * before it (it cannot introduce its own subject). */
static const char *const DEICTIC_STARTS[] = {
    "it",    "this",  "they", "he",    "she", "we",  "you", "i",   "these", "that",
    "there", "those", "its",  "their", "his", "her", "our", "one", NULL};
static const char *const THIRD_PERSON[] = {"he", "she", "his", "him", "her", NULL};
/* "I" and "us" are tested case-sensitively (Roman numeral I, "US"). */
static const char *const FIRST_SECOND_PERSON[] = {"we", "you", "our", "your", "my", "me", NULL};
/* Adverbial openers: the sentence is about a circumstance first. */
static const char *const OPENERS[] = {
    "in",        "at",       "during",       "after",   "before", "when",   "if",    "because",
    "although",  "though",   "since",        "on",      "by",     "for",    "with",  "from",
    "despite",   "unlike",   "once",         "until",   "as",     "to",     "while", "thus",
    "therefore", "so",       "then",         "finally", "first",  "second", "third", "instead",
    "similarly", "likewise", "consequently", "today",   "now",    "here",   NULL};
/* Verbs that open an instruction to the reader. */
static const char *const IMPERATIVES[] = {
    "note",     "consider", "explore",  "see",       "imagine",   "suppose", "let",      "use",
    "think",    "recall",   "remember", "compare",   "look",      "click",   "visit",    "read",
    "watch",    "try",      "find",     "calculate", "determine", "assume",  "describe", "explain",
    "identify", "list",     "discuss",  "draw",      "write",     "go",      NULL};
static const char *const CONTRAST_WORDS[] = {"however", "but", "although", "though", NULL};
/* After "is/are", these start a description (an adjective, an adverb, a
 * passive), not the noun phrase a copular definition equates X with. */
static const char *const WEAK_PREDICATES[] = {
    "not",      "that",       "often",     "also",      "to",           "more",
    "usually",  "important",  "very",      "still",     "less",         "two",
    "three",    "shown",      "likely",    "common",    "now",          "essential",
    "much",     "only",       "critical",  "seen",      "due",          "especially",
    "possible", "always",     "quite",     "high",      "several",      "given",
    "thus",     "then",       "typically", "so",        "able",         "willing",
    "clear",    "difficult",  "easy",      "true",      "necessary",    "many",
    "most",     "about",      "just",      "therefore", "there",        "needed",
    "required", "used",       "unable",    "larger",    "smaller",      "greater",
    "higher",   "lower",      "better",    "worse",     "particularly", "increasingly",
    "highly",   "relatively", "extremely", "crucial",   "vital",        "key",
    NULL};
/* Participles that keep a copula definitional ("is called", "is defined"). */
static const char *const DEFINING_PARTICIPLES[] = {
    "called", "defined", "termed", "named", "characterized", "characterised", NULL};
/* Head nouns of genus phrases: "X is a type / process / measure of …". */
static const char *const GENUS_NOUNS[] = {
    "type",        "kind",      "form",     "class",      "group",      "category",     "branch",
    "study",       "process",   "measure",  "ability",    "set",        "term",         "state",
    "practice",    "act",       "idea",     "belief",     "theory",     "field",        "method",
    "system",      "condition", "tendency", "phenomenon", "concept",    "principle",    "approach",
    "structure",   "situation", "amount",   "number",     "collection", "combination",  "series",
    "region",      "area",      "period",   "way",        "means",      "rate",         "degree",
    "extent",      "sum",       "ratio",    "quantity",   "property",   "change",       "unit",
    "molecule",    "cell",      "organ",    "tissue",     "protein",    "substance",    "compound",
    "layer",       "policy",    "law",      "disorder",   "behavior",   "behaviour",    "stage",
    "perspective", "view",      "model",    "procedure",  "technique",  "relationship", "result",
    "use",         "loss",      "movement", "response",   "pattern",    "strategy",     "name",
    "label",       "organism",  "one",      NULL};
static const char *const RELATIVE_WORDS[] = {"that",  "which",   "who", "whose",
                                             "where", "whereby", NULL};
/* Latinate and Greek endings of technical nouns: a subject that carries one
 * is more likely a term being introduced than a person or an event. */
static const char *const TECHNICAL_ENDINGS[] = {
    "osis", "itis",  "cyte", "cytes", "plasm", "phyte", "phytes", "ase",
    "ases", "ology", "ism",  "isms",  "ity",   "ities", "tion",   "tions",
    "sion", "ance",  "ence", "ment",  "ments", "ness",  NULL};
/* Auxiliaries and modals: the first verb of most clauses, so the subject
 * has ended when one is met. */
static const char *const AUXILIARIES[] = {
    "is",   "are",   "was", "were",  "be",  "been",   "being", "am",    "has",
    "have", "had",   "can", "could", "may", "might",  "must",  "shall", "should",
    "will", "would", "do",  "does",  "did", "cannot", NULL};
static const char *const GLOSS_AS_VERBS[] = {"perceived", "seen",       "regarded", "considered",
                                             "viewed",    "understood", "used",     NULL};
static const char *const OR_NOT_GLOSS[] = {"even", "rather", "perhaps", "both", "not", "in", NULL};

/* ---- the sentence as tokens ---- */

enum { TK_WORD, TK_PUNCT };

typedef struct tk {
    size_t start, end;     /* byte range in the sentence */
    unsigned char kind;    /* TK_WORD or TK_PUNCT */
    unsigned char upper;   /* a word whose first character is an upper-case letter */
    unsigned char letters; /* a word made of letters only (no digit, hyphen, apostrophe) */
    unsigned char digits;  /* a word made of ASCII digits only */
} tk;

typedef struct sent {
    const char *s;
    size_t len;
    tk t[PL_DEFINE_MAX_TOKENS];
    size_t n;     /* tokens kept (a leading list number dropped) */
    size_t words; /* words in the whole sentence, past the kept tokens too */
    /* Bytes whose capitalised words are not counted as names: the term being
     * explained, and the source of "According to X,". */
    size_t skip_start, skip_end;
    size_t source_start, source_end;
} sent;

static int is_hyphen(int32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

static int is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

static int is_alnum(int32_t cp)
{
    return pl_utf8_is_letter(cp) || pl_utf8_is_digit(cp);
}

/* Splits s into words (letters and digits, with inner hyphens and
 * apostrophes) and single punctuation marks. Unlike pl_token_next it keeps
 * punctuation, which most of the rules are about. */
static void tokenize(sent *c, const char *s, size_t len)
{
    size_t i = 0, count = 0, words = 0;
    c->s = s ? s : "";
    c->len = s ? len : 0;
    c->skip_start = c->skip_end = 0;
    c->source_start = c->source_end = 0;
    while (i < c->len) {
        size_t n, start = i;
        int32_t cp = pl_utf8_decode(c->s + i, c->len - i, &n);
        tk tok;
        if (pl_utf8_is_space(cp)) {
            i += n;
            continue;
        }
        memset(&tok, 0, sizeof tok);
        tok.start = start;
        if (is_alnum(cp)) {
            tok.kind = TK_WORD;
            tok.upper = (unsigned char)pl_utf8_is_upper(cp);
            tok.letters = 1;
            tok.digits = 1;
            for (;;) {
                size_t m;
                int32_t next;
                if (pl_utf8_is_letter(cp))
                    tok.digits = 0;
                else if (!(cp >= '0' && cp <= '9'))
                    tok.letters = tok.digits = 0;
                else
                    tok.letters = 0;
                i += n;
                if (i >= c->len)
                    break;
                cp = pl_utf8_decode(c->s + i, c->len - i, &n);
                if (is_alnum(cp))
                    continue;
                if (!is_hyphen(cp) && !is_apostrophe(cp))
                    break;
                if (i + n >= c->len)
                    break;
                next = pl_utf8_decode(c->s + i + n, c->len - i - n, &m);
                if (!is_alnum(next))
                    break;
                tok.letters = tok.digits = 0;
                i += n;
                cp = next;
                n = m;
            }
            words++;
        } else {
            tok.kind = TK_PUNCT;
            i += n;
        }
        tok.end = i;
        if (count < PL_DEFINE_MAX_TOKENS)
            c->t[count++] = tok;
    }
    c->n = count;
    c->words = words;
    /* A leading list number ("12 . The …", "3. The …") says nothing. */
    if (c->n >= 2 && c->t[0].digits && c->t[1].kind == TK_PUNCT &&
        c->t[1].end - c->t[1].start == 1 && c->s[c->t[1].start] == '.') {
        memmove(c->t, c->t + 2, (c->n - 2) * sizeof c->t[0]);
        c->n -= 2;
        c->words--;
    }
}

static int lower_ascii(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

/* Whether token i is w[0..wn), ASCII case-insensitively. */
static int tok_eqn(const sent *c, size_t i, const char *w, size_t wn)
{
    size_t k;
    if (i >= c->n || c->t[i].end - c->t[i].start != wn)
        return 0;
    for (k = 0; k < wn; k++)
        if (lower_ascii((unsigned char)c->s[c->t[i].start + k]) != (unsigned char)w[k])
            return 0;
    return 1;
}

static int tok_is(const sent *c, size_t i, const char *w)
{
    return tok_eqn(c, i, w, strlen(w));
}

/* Whether token i is exactly w, case included. */
static int tok_is_exact(const sent *c, size_t i, const char *w)
{
    size_t wn = strlen(w);
    return i < c->n && c->t[i].end - c->t[i].start == wn &&
           memcmp(c->s + c->t[i].start, w, wn) == 0;
}

static int tok_in(const sent *c, size_t i, const char *const *list)
{
    for (; *list; list++)
        if (tok_is(c, i, *list))
            return 1;
    return 0;
}

static int tok_is_word(const sent *c, size_t i)
{
    return i < c->n && c->t[i].kind == TK_WORD;
}

/* Clause punctuation that ends the phrase a rule is reading. */
static int tok_is_break(const sent *c, size_t i)
{
    return tok_is(c, i, ",") || tok_is(c, i, ";") || tok_is(c, i, ".") || tok_is(c, i, ":");
}

static int tok_is_dash(const sent *c, size_t i)
{
    return tok_is(c, i, "\xE2\x80\x94") || tok_is(c, i, "\xE2\x80\x93"); /* — – */
}

static int tok_ends_with(const sent *c, size_t i, const char *suffix)
{
    size_t n = strlen(suffix), len, k;
    if (i >= c->n)
        return 0;
    len = c->t[i].end - c->t[i].start;
    if (len < n)
        return 0;
    for (k = 0; k < n; k++)
        if (lower_ascii((unsigned char)c->s[c->t[i].end - n + k]) != (unsigned char)suffix[k])
            return 0;
    return 1;
}

/* Whether the tokens from i spell phrase (words and marks separated by one
 * space: "is defined as", ", which"). Returns the number of tokens, or 0. */
static size_t phrase_at(const sent *c, size_t i, const char *phrase)
{
    size_t count = 0;
    while (*phrase) {
        const char *space = strchr(phrase, ' ');
        size_t wn = space ? (size_t)(space - phrase) : strlen(phrase);
        if (!tok_eqn(c, i + count, phrase, wn))
            return 0;
        count++;
        phrase += wn;
        if (*phrase == ' ')
            phrase++;
    }
    return count;
}

/* The first token from which phrase starts, or SIZE_MAX. */
static size_t find_phrase(const sent *c, const char *phrase)
{
    size_t i, first_len = strcspn(phrase, " ");
    int first = (unsigned char)phrase[0];
    for (i = 0; i < c->n; i++) {
        /* most tokens fail on their length or first byte: no call for them */
        if (c->t[i].end - c->t[i].start != first_len ||
            lower_ascii((unsigned char)c->s[c->t[i].start]) != first)
            continue;
        if (phrase_at(c, i, phrase))
            return i;
    }
    return SIZE_MAX;
}

static size_t find_in(const sent *c, const char *const *list)
{
    size_t i;
    for (i = 0; i < c->n; i++)
        if (tok_in(c, i, list))
            return i;
    return SIZE_MAX;
}

static int is_copula(const sent *c, size_t i)
{
    return tok_is(c, i, "is") || tok_is(c, i, "are");
}

/* ---- the detector ---- */

/* The scoring pass's findings beyond the public result. */
typedef struct findings {
    size_t predicate; /* first token of the defining verb (copula, "refers"…), or SIZE_MAX */
    size_t source_first, source_last; /* tokens of X in "According to X,", or SIZE_MAX */
} findings;

static void add(int *score, unsigned *cues, int points, unsigned cue)
{
    *score += points;
    *cues |= cue;
}

static void note_predicate(findings *f, size_t i)
{
    if (i < f->predicate)
        f->predicate = i;
}

/* "X, a … that/which/who …": an appositive noun phrase that is itself
 * defined by a relative clause is the textbook way of glossing a term in
 * passing. Returns 3 for that or for "X, things that …", 1 for a bare
 * "X, a …", 0 when there is no appositive. */
static int appositive_strength(const sent *c)
{
    size_t k;
    int best = 0;
    for (k = 1; k + 1 < c->n; k++) {
        size_t m;
        if (!tok_is(c, k, ",") || !tok_is_word(c, k - 1))
            continue;
        if (tok_is(c, k + 1, "a") || tok_is(c, k + 1, "an")) {
            for (m = k + 2; m < c->n && !tok_is_break(c, m); m++)
                if (m > k + 2 && tok_in(c, m, RELATIVE_WORDS))
                    return 3;
            if (best < 1)
                best = 1;
        } else if (tok_is_word(c, k + 1) && c->t[k + 1].letters && tok_ends_with(c, k + 1, "s") &&
                   (tok_is(c, k + 2, "that") || tok_is(c, k + 2, "which") ||
                    tok_is(c, k + 2, "who"))) {
            best = 3;
        }
    }
    return best;
}

/* ", or Y ,": an alternative name set off by commas ("the C horizon, or soil
 * base, includes …"), not a contrast ("or even", "or not"). */
static int has_or_gloss(const sent *c)
{
    size_t k, m;
    for (k = 0; k + 2 < c->n; k++) {
        if (!phrase_at(c, k, ", or") || tok_in(c, k + 2, OR_NOT_GLOSS))
            continue;
        for (m = k + 2; m < c->n; m++) {
            if (tok_is(c, m, ","))
                return m > k + 2;
            if (tok_is(c, m, ".") || tok_is(c, m, ";"))
                break;
        }
    }
    return 0;
}

static int has_dash_pair(const sent *c)
{
    size_t k, first = SIZE_MAX;
    for (k = 0; k < c->n; k++) {
        if (!tok_is_dash(c, k))
            continue;
        if (first != SIZE_MAX && k > first + 1)
            return 1;
        first = k;
    }
    return 0;
}

/* "word ( … )": an expansion, an abbreviation or a translation in
 * parentheses; figure references ("[ link ]") do not count. */
static int has_parenthesis(const sent *c)
{
    size_t k, m;
    if (find_phrase(c, "[ link ]") != SIZE_MAX)
        return 0;
    for (k = 1; k < c->n; k++) {
        if (!tok_is(c, k, "(") || !tok_is_word(c, k - 1) || !c->t[k - 1].letters)
            continue;
        for (m = k + 1; m < c->n && !tok_is(c, m, "("); m++)
            if (tok_is(c, m, ")"))
                return m > k + 1;
    }
    return 0;
}

/* Years (1000-2099, "1960s") place a sentence in history. */
static int has_year(const sent *c)
{
    size_t k;
    for (k = 0; k < c->n; k++) {
        const char *w = c->s + c->t[k].start;
        size_t len = c->t[k].end - c->t[k].start;
        if (c->t[k].kind != TK_WORD)
            continue;
        if (len == 5 && (w[4] == 's' || w[4] == 'S'))
            len = 4;
        if (len != 4 || !(w[0] == '1' || (w[0] == '2' && w[1] == '0')))
            continue;
        if (w[1] >= '0' && w[1] <= '9' && w[2] >= '0' && w[2] <= '9' && w[3] >= '0' && w[3] <= '9')
            return 1;
    }
    return 0;
}

/* Capitalised words inside the sentence (not after a stop, a colon or an
 * opening quote): proper names, which abound in narrative and are rare in
 * definitions of common nouns. */
static size_t count_names(const sent *c)
{
    size_t k, names = 0;
    for (k = 1; k < c->n; k++) {
        const tk *t = &c->t[k];
        if (t->kind != TK_WORD || !t->upper || !t->letters || tok_is_exact(c, k, "I"))
            continue;
        if (tok_is(c, k - 1, ".") || tok_is(c, k - 1, ":") || tok_is(c, k - 1, ";") ||
            tok_is(c, k - 1, "?") || tok_is(c, k - 1, "!") || tok_is(c, k - 1, "\xE2\x80\x9C") ||
            tok_is(c, k - 1, "\""))
            continue;
        if ((t->start >= c->skip_start && t->end <= c->skip_end) ||
            (t->start >= c->source_start && t->end <= c->source_end))
            continue;
        names++;
    }
    return names;
}

/* The words before the first copula or clause mark carry a technical ending. */
static int technical_subject(const sent *c)
{
    size_t k, e;
    for (k = 0; k < c->n && k < 8; k++) {
        if (is_copula(c, k) || tok_is(c, k, ",") || tok_is(c, k, "(") || tok_is(c, k, ":") ||
            tok_is(c, k, ";") || tok_is_dash(c, k))
            break;
        if (c->t[k].kind != TK_WORD || c->t[k].end - c->t[k].start <= 5)
            continue;
        for (e = 0; TECHNICAL_ENDINGS[e]; e++)
            if (tok_ends_with(c, k, TECHNICAL_ENDINGS[e]))
                return 1;
    }
    return 0;
}

/* ---- rarity: words outside common English ----
 * Textbook definitions introduce technical words ("chorion", "microglia");
 * narrative and commentary are written in everyday ones. The table of
 * src/common.h (SCOWL's two most common size levels, about 11,000 word
 * forms) tells them apart. */

/* Whether token i is a technical word: letters only, at least 4 bytes, not
 * in the common-English table, and in lower case, but for a capital on the
 * sentence's first word (elsewhere a capital marks a name, and inner
 * capitals an acronym). */
static int is_rare_word(const sent *c, size_t i)
{
    const tk *t = &c->t[i];
    size_t n = t->end - t->start, k;
    char w[64];
    if (t->kind != TK_WORD || !t->letters || n < 4)
        return 0;
    if (t->upper && i > 0)
        return 0;
    if (n >= sizeof w)
        return 1; /* longer than any word of the table */
    for (k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)c->s[t->start + k];
        if (k > 0 && ch >= 'A' && ch <= 'Z')
            return 0;
        w[k] = (char)lower_ascii(ch);
    }
    return pl_common_level(w, n) == 0;
}

/* Points for the share of technical words in the sentence, and the
 * PL_CUE_TERM_SUBJECT cue. Checked by hand on DEFT's train split
 * (bench/README.md): sentences the rules accept are definitions 52% of the
 * time with no technical word, 57% with one, 61% with two or three, 68%
 * with four or more; of those they reject, 11%, 17%, 22-25% and 28-38%.
 * So: -1 for at most one technical word, 0 for two or three, +1 for four,
 * +2 for five or more (the count follows length, which has its own points,
 * so the steps stay small). A technical word among the first three tokens,
 * before any auxiliary or clause mark, is the subject the sentence is about
 * ("The chorion facilitates …", "Microglia scavenge …"): +2 and the cue;
 * such sentences are definitions 72% of the time when a pattern fires (53%
 * otherwise) and 31% when none does, against 16-22% for other rejected
 * sentences. */
static void score_rarity(const sent *c, int *score, unsigned *cues)
{
    size_t k, rare = 0;
    for (k = 0; k < c->n; k++)
        rare += (size_t)is_rare_word(c, k);
    if (rare <= 1)
        *score -= 1;
    else if (rare == 4)
        *score += 1;
    else if (rare >= 5)
        *score += 2;
    for (k = 0; k < c->n && k < 3; k++) {
        if (tok_in(c, k, AUXILIARIES) || tok_is(c, k, ",") || tok_is(c, k, ";") ||
            tok_is(c, k, ":"))
            break;
        if (is_rare_word(c, k)) {
            add(score, cues, 2, PL_CUE_TERM_SUBJECT);
            break;
        }
    }
}

/* ---- word classes: the part-of-speech lexicon ----
 * src/pos.h gives each word the classes it can take (no tagging: a word
 * keeps them all); the function words below are not in it. */

/* Determiners, prepositions, pronouns, conjunctions, auxiliaries and a few
 * adverbs: no word of a noun phrase's head and no main verb. */
static const char *const FUNCTION_WORDS[] = {
    "the",     "a",       "an",         "this",      "these",      "that",    "those",
    "each",    "every",   "some",       "any",       "no",         "all",     "both",
    "many",    "most",    "several",    "such",      "its",        "their",   "his",
    "her",     "our",     "your",       "my",        "one",        "two",     "three",
    "other",   "another", "certain",    "various",   "few",        "much",    "more",
    "of",      "in",      "on",         "at",        "by",         "for",     "with",
    "from",    "to",      "into",       "onto",      "about",      "as",      "than",
    "between", "among",   "through",    "during",    "without",    "within",  "under",
    "over",    "after",   "before",     "upon",      "via",        "across",  "along",
    "around",  "against", "toward",     "towards",   "per",        "like",    "near",
    "beyond",  "behind",  "below",      "above",     "throughout", "despite", "since",
    "until",   "it",      "they",       "he",        "she",        "we",      "you",
    "i",       "them",    "him",        "us",        "me",         "there",   "who",
    "which",   "what",    "whom",       "whose",     "where",      "when",    "why",
    "how",     "itself",  "themselves", "and",       "or",         "but",     "nor",
    "yet",     "so",      "if",         "because",   "although",   "though",  "while",
    "whereas", "unless",  "whether",    "is",        "are",        "was",     "were",
    "be",      "been",    "being",      "am",        "has",        "have",    "had",
    "can",     "could",   "may",        "might",     "must",       "shall",   "should",
    "will",    "would",   "do",         "does",      "did",        "cannot",  "not",
    "also",    "often",   "usually",    "generally", "typically",  "always",  "never",
    "only",    "then",    "thus",       "therefore", "however",    "very",    "still",
    "even",    "just",    "now",        "here",      NULL};

/* The classes of token i (src/pos.h), or 0 for a token that is not a word
 * of ASCII letters (hyphenated words, numbers, marks) or is longer than the
 * table's words. */
static unsigned tok_pos(const sent *c, size_t i)
{
    char w[24];
    size_t n, k;
    if (i >= c->n || c->t[i].kind != TK_WORD || !c->t[i].letters)
        return 0;
    n = c->t[i].end - c->t[i].start;
    if (n >= sizeof w)
        return 0;
    for (k = 0; k < n; k++)
        w[k] = (char)lower_ascii((unsigned char)c->s[c->t[i].start + k]);
    return pl_pos_classes(w, n);
}

/* Whether token i can be a word of a noun phrase: a word, no function word,
 * and unknown to the lexicon (a noun, most of the time) or a noun or an
 * adjective there. */
static int np_word(const sent *c, size_t i)
{
    unsigned p;
    if (!tok_is_word(c, i) || c->t[i].digits || tok_in(c, i, FUNCTION_WORDS))
        return 0;
    p = tok_pos(c, i);
    return p == 0 || (p & (PL_POS_NOUNS | PL_POS_ADJS)) != 0;
}

/* Whether token i, the head of a noun phrase, is plural: the lexicon says
 * so, or it is unknown and ends in -s (not -ss, -us, -is: "nucleus",
 * "analysis"). */
static int np_plural(const sent *c, size_t i)
{
    unsigned p = tok_pos(c, i);
    if (p & PL_POS_PLURAL)
        return 1;
    if (p & PL_POS_NOUN)
        return 0;
    return tok_ends_with(c, i, "s") && !tok_ends_with(c, i, "ss") && !tok_ends_with(c, i, "us") &&
           !tok_ends_with(c, i, "is");
}

/* Whether token i can be a present-tense verb agreeing with a plural or
 * singular subject: 2 when it can be nothing else ("facilitates",
 * "scavenge"), 1 when it can also be a noun, adjective or adverb
 * ("displays"), 0 when it is no such verb. */
static int present_verb(const sent *c, size_t i, int plural)
{
    unsigned p;
    if (!tok_is_word(c, i) || tok_in(c, i, FUNCTION_WORDS))
        return 0;
    p = tok_pos(c, i);
    if (!(p & (plural ? PL_POS_VERB : PL_POS_THIRD)))
        return 0;
    return (p & (PL_POS_NOUNS | PL_POS_ADJS | PL_POS_ADV)) ? 1 : 2;
}

/* The copula of "X is a …": the first "is/are" early in the sentence,
 * before any past form or clause break, so that it belongs to the
 * sentence's own subject; SIZE_MAX when there is none. */
static size_t early_copula(const sent *c)
{
    size_t k;
    for (k = 0; k < c->n && k <= 12; k++) {
        if (is_copula(c, k))
            return k;
        if (tok_in(c, k, PAST_WORDS) || tok_is(c, k, ";") || tok_is(c, k, ":"))
            break;
    }
    return SIZE_MAX;
}

/* A generic statement: the sentence opens on a noun phrase (a/an/the?,
 * up to five noun or adjective words, an "of" phrase) and its verb, in the
 * present tense and agreeing with the head ("The chorion facilitates …",
 * "Microglia scavenge …"). Returns the index of the verb, or 0. */
static size_t generic_verb(const sent *c)
{
    size_t i = 0, start, head, j, k, s2;
    if (tok_is(c, 0, "the") || tok_is(c, 0, "a") || tok_is(c, 0, "an"))
        i = 1;
    start = i;
    while (i < c->n && i - start < 5 && np_word(c, i) && (i == start || !c->t[i].upper)) {
        i++;
        if (present_verb(c, i, np_plural(c, i - 1)) == 2)
            break;
    }
    if (i == start)
        return 0;
    head = i - 1;
    j = i;
    if (tok_is(c, j, "of")) {
        k = j + 1;
        if (tok_is(c, k, "the") || tok_is(c, k, "a") || tok_is(c, k, "an"))
            k++;
        s2 = k;
        while (k < c->n && k - s2 < 4 && np_word(c, k)) {
            k++;
            if (present_verb(c, k, np_plural(c, head)) == 2)
                break;
        }
        if (k > s2)
            j = k;
    }
    if (j < c->n && (tok_pos(c, j) == PL_POS_ADV || tok_is(c, j, "also") || tok_is(c, j, "often") ||
                     tok_is(c, j, "usually") || tok_is(c, j, "generally") ||
                     tok_is(c, j, "typically") || tok_is(c, j, "not")))
        j++;
    return present_verb(c, j, np_plural(c, head)) ? j : 0;
}

/* Points from the word classes, chosen on DEFT's train split (bench/README.md,
 * fifth pass): each of the three helps on train and dev alone.
 * - A generic statement: +2 when its subject holds a technical word, +1
 *   otherwise (on train, the rejected ones are definitions 29% of the time,
 *   the accepted ones 68%, against 60% for other accepted sentences).
 * - After "X is/are", a noun or an unknown word (a noun phrase without a
 *   determiner: "Supercentenarians are people …") +1; an adjective, an adverb,
 *   an -ing form or a noun that can be an adjective -1 (accepted sentences
 *   with such a predicate are definitions 45-48% of the time, with a noun
 *   70-86%); a participle keeps its points (the passive has its own rules).
 * - An adverb opening the sentence ("Interestingly", "Commonly"), not
 *   among OPENERS: -2 (accepted ones are definitions 36% of the time). */
static void score_pos(const sent *c, int *score)
{
    size_t verb = generic_verb(c), k, cp;
    if (verb) {
        for (k = 0; k < verb; k++)
            if (is_rare_word(c, k))
                break;
        *score += k < verb ? 2 : 1;
    }
    /* what follows "X is/are": a noun phrase or a description */
    cp = early_copula(c);
    if (cp != SIZE_MAX && cp + 1 < c->n && tok_is_word(c, cp + 1) && c->t[cp + 1].letters &&
        !tok_in(c, cp + 1, FUNCTION_WORDS)) {
        unsigned p = tok_pos(c, cp + 1);
        int participle = (p & PL_POS_PAST) && !(p & PL_POS_NOUNS);
        if (p == 0 || ((p & PL_POS_NOUNS) && !(p & PL_POS_ADJS)))
            *score += 1;
        else if (!participle) /* a participle keeps its points: the passive has its rules */
            *score -= 1;
    }
    /* an adverb opening the sentence: a comment ("Interestingly, …") */
    if (tok_pos(c, 0) == PL_POS_ADV && !tok_in(c, 0, OPENERS) && !tok_in(c, 0, FUNCTION_WORDS))
        *score -= 2;
}

/* "According to X, …" names where a claim comes from. */
static void find_source(const sent *c, findings *f)
{
    size_t k = find_phrase(c, "according to"), m;
    if (k == SIZE_MAX || k + 2 >= c->n)
        return;
    for (m = k + 2; m < c->n && !tok_is_break(c, m); m++)
        ;
    if (m == k + 2)
        return;
    f->source_first = k + 2;
    f->source_last = m - 1;
}

/* The positive rules: patterns of definition, each worth points. */
static void score_for(const sent *c, int *score, unsigned *cues, findings *f)
{
    size_t k, cp;
    int strong_copula = 0;

    if ((k = find_phrase(c, "refers to")) != SIZE_MAX ||
        (k = find_phrase(c, "refer to")) != SIZE_MAX) {
        add(score, cues, 6, PL_CUE_REFERS);
        note_predicate(f, k);
    }

    /* "is defined as", or "defines X as" with X short and unbroken. */
    for (k = 0; k < c->n; k++) {
        size_t m;
        if (!tok_is(c, k, "define") && !tok_is(c, k, "defines") && !tok_is(c, k, "defined") &&
            !phrase_at(c, k, "is described as") && !phrase_at(c, k, "are described as"))
            continue;
        for (m = k + 1; m < c->n && m <= k + 9 && !tok_is_break(c, m); m++) {
            if (tok_is(c, m, "as")) {
                add(score, cues, 5, PL_CUE_DEFINED_AS);
                note_predicate(f, k > 0 && is_copula(c, k - 1) ? k - 1 : k);
                k = c->n;
                break;
            }
        }
    }

    for (k = 0; k < c->n; k++) {
        if (is_copula(c, k) &&
            (tok_is(c, k + 1, "called") || tok_is(c, k + 1, "termed") ||
             tok_is(c, k + 1, "named") || phrase_at(c, k + 1, "known as") ||
             phrase_at(c, k + 1, "also known as") || phrase_at(c, k + 1, "also called")))
            break;
    }
    if (k < c->n) {
        add(score, cues, 5, PL_CUE_CALLED);
        note_predicate(f, k);
    } else if (find_phrase(c, "referred to as") != SIZE_MAX) {
        add(score, cues, 4, PL_CUE_CALLED);
    } else if (find_phrase(c, "called") != SIZE_MAX || find_phrase(c, "termed") != SIZE_MAX) {
        add(score, cues, 4, PL_CUE_CALLED);
    } else if (find_phrase(c, "known as") != SIZE_MAX) {
        add(score, cues, 2, PL_CUE_CALLED);
    }

    for (k = 0; k + 2 < c->n; k++)
        if (is_copula(c, k) && ((tok_in(c, k + 1, GLOSS_AS_VERBS) && tok_is(c, k + 2, "as")) ||
                                phrase_at(c, k + 1, "thought of as")))
            break;
    if (k + 2 < c->n)
        add(score, cues, 2, PL_CUE_GLOSS);

    for (k = 0; k + 1 < c->n; k++)
        if ((tok_is(c, k, "occurs") || tok_is(c, k, "happens") || tok_is(c, k, "is") ||
             tok_is(c, k, "exists") || tok_is(c, k, "arises")) &&
            tok_is(c, k + 1, "when"))
            break;
    if (k + 1 < c->n) {
        add(score, cues, 6, PL_CUE_WHEN);
        note_predicate(f, k);
    }

    if ((k = find_phrase(c, "is characterized by")) != SIZE_MAX ||
        (k = find_phrase(c, "are characterized by")) != SIZE_MAX ||
        (k = find_phrase(c, "is characterised by")) != SIZE_MAX ||
        (k = find_phrase(c, "are characterised by")) != SIZE_MAX) {
        add(score, cues, 4, PL_CUE_DEFINED_AS);
        note_predicate(f, k);
    }

    if (find_phrase(c, "which means") != SIZE_MAX || find_phrase(c, "this means") != SIZE_MAX ||
        find_phrase(c, "that means") != SIZE_MAX || find_phrase(c, ", meaning") != SIZE_MAX) {
        add(score, cues, 4, PL_CUE_MEANS);
    } else {
        /* "by means of" is an instrument, not a gloss. */
        for (k = 0; k < c->n; k++)
            if ((tok_is(c, k, "means") || tok_is(c, k, "mean")) &&
                (k == 0 || !tok_is(c, k - 1, "by")))
                break;
        if (k < c->n) {
            add(score, cues, 2, PL_CUE_MEANS);
            note_predicate(f, k);
        }
    }

    if ((k = find_phrase(c, "describes")) != SIZE_MAX ||
        (k = find_phrase(c, "describe")) != SIZE_MAX) {
        add(score, cues, 2, PL_CUE_DEFINED_AS);
        note_predicate(f, k);
    }

    for (k = 0; k + 1 < c->n; k++)
        if ((tok_is(c, k, "consists") || tok_is(c, k, "consist") || tok_is(c, k, "composed") ||
             tok_is(c, k, "comprised") || tok_is(c, k, "comprise") || tok_is(c, k, "comprises")) &&
            tok_is(c, k + 1, "of"))
            break;
    if (k + 1 < c->n || (k = find_phrase(c, "made up of")) != SIZE_MAX) {
        add(score, cues, 2, PL_CUE_CONSISTS);
        note_predicate(f, k);
    }
    for (k = 0; k < c->n; k++)
        if (tok_is(c, k, "include") || tok_is(c, k, "includes") || tok_is(c, k, "involve") ||
            tok_is(c, k, "involves"))
            break;
    if (k < c->n) {
        add(score, cues, 2, PL_CUE_CONSISTS);
        note_predicate(f, k);
    }

    if (find_phrase(c, "that is ,") != SIZE_MAX || find_phrase(c, "i . e .") != SIZE_MAX ||
        find_phrase(c, "i.e .") != SIZE_MAX)
        add(score, cues, 3, PL_CUE_GLOSS);
    if (find_phrase(c, ", in which") != SIZE_MAX)
        add(score, cues, 2, PL_CUE_RELATIVE);

    cp = early_copula(c);
    if (cp != SIZE_MAX && cp + 1 < c->n) {
        size_t next = cp + 1, end;
        strong_copula = !tok_in(c, next, WEAK_PREDICATES) &&
                        !(tok_ends_with(c, next, "ed") && !tok_in(c, next, DEFINING_PARTICIPLES));
        if (strong_copula) {
            int det = tok_is(c, next, "a") || tok_is(c, next, "an") || tok_is(c, next, "the");
            add(score, cues, 2, PL_CUE_COPULA);
            note_predicate(f, cp);
            if (tok_is(c, next, "a") || tok_is(c, next, "an"))
                *score += 3;
            else if (tok_is(c, next, "the"))
                *score += 2;
            for (end = next; end < c->n && end < next + 9 && !tok_is_break(c, end); end++)
                ;
            for (k = next; k < end; k++)
                if (tok_in(c, k, RELATIVE_WORDS))
                    break;
            if (k < end)
                add(score, cues, 2, PL_CUE_RELATIVE);
            if (det)
                for (k = next; k < end && k < next + 4; k++)
                    if (tok_in(c, k, GENUS_NOUNS)) {
                        add(score, cues, 2, PL_CUE_KIND_OF);
                        break;
                    }
        }
    }

    switch (appositive_strength(c)) {
    case 3:
        add(score, cues, 3, PL_CUE_APPOSITIVE);
        break;
    case 1:
        add(score, cues, 1, PL_CUE_APPOSITIVE);
        break;
    default:
        break;
    }
    if (find_phrase(c, ", which is a") != SIZE_MAX || find_phrase(c, ", which is an") != SIZE_MAX ||
        find_phrase(c, ", which is the") != SIZE_MAX ||
        find_phrase(c, ", which are a") != SIZE_MAX ||
        find_phrase(c, ", which are the") != SIZE_MAX)
        add(score, cues, 2, PL_CUE_RELATIVE);
    if (has_or_gloss(c))
        add(score, cues, 2, PL_CUE_GLOSS);
    if (find_phrase(c, ": the") != SIZE_MAX || find_phrase(c, ": a") != SIZE_MAX ||
        find_phrase(c, ": an") != SIZE_MAX)
        add(score, cues, 2, PL_CUE_ENUMERATION);
    if (has_dash_pair(c))
        add(score, cues, 1, PL_CUE_ENUMERATION);
    if (has_parenthesis(c))
        add(score, cues, 1, PL_CUE_PARENTHESIS);

    /* A generic singular subject ("A referendum asks …") states what holds
     * of every member of a class. */
    if (tok_is(c, 0, "a") || tok_is(c, 0, "an"))
        *score += 2;
    if (technical_subject(c))
        *score += 1;
}

/* The rules against: what marks narrative, instruction, hedging or an
 * unfinished fragment. */
static void score_against(const sent *c, int *score, unsigned *cues)
{
    size_t names, last;

    if (c->words < 6)
        add(score, cues, -8, PL_CUE_FRAGMENT);
    else if (c->words < 10)
        add(score, cues, -4, PL_CUE_FRAGMENT);
    else if (c->words < 15)
        *score -= 1;
    else if (c->words >= 20)
        *score += 1;

    if (find_in(c, PAST_WORDS) != SIZE_MAX)
        add(score, cues, -4, PL_CUE_NARRATIVE);
    if (has_year(c))
        add(score, cues, -2, PL_CUE_NARRATIVE);
    if (tok_in(c, 0, DEICTIC_STARTS))
        add(score, cues, -4, PL_CUE_HEDGE);
    if (tok_in(c, 0, IMPERATIVES))
        add(score, cues, -4, PL_CUE_IMPERATIVE);
    if (find_in(c, THIRD_PERSON) != SIZE_MAX)
        add(score, cues, -2, PL_CUE_PERSONAL);
    {
        size_t k;
        int person = find_in(c, FIRST_SECOND_PERSON) != SIZE_MAX;
        for (k = 0; k < c->n && !person; k++)
            person = tok_is_exact(c, k, "I") || tok_is_exact(c, k, "us");
        if (person)
            add(score, cues, -2, PL_CUE_PERSONAL);
    }
    if (find_in(c, MODAL_WORDS) != SIZE_MAX)
        add(score, cues, -2, PL_CUE_HEDGE);
    if (find_phrase(c, "example") != SIZE_MAX || find_phrase(c, "for instance") != SIZE_MAX)
        add(score, cues, -3, PL_CUE_HEDGE);
    if (find_in(c, CONTRAST_WORDS) != SIZE_MAX)
        add(score, cues, -2, PL_CUE_HEDGE);
    /* A question asks for a definition; it never gives one. */
    if (find_phrase(c, "?") != SIZE_MAX)
        add(score, cues, -10, PL_CUE_QUESTION);
    if (tok_in(c, 0, OPENERS))
        add(score, cues, -2, PL_CUE_HEDGE);

    names = count_names(c);
    if (names >= 3)
        add(score, cues, -3, PL_CUE_NARRATIVE);
    else if (names >= 1)
        *score -= 1;

    last = c->n ? c->n - 1 : 0;
    if (c->n == 0 ||
        !(tok_is(c, last, ".") || tok_is(c, last, "?") || tok_is(c, last, "!") ||
          tok_is(c, last, "\xE2\x80\x9D") || tok_is(c, last, "\"") || tok_is(c, last, ")")))
        add(score, cues, -2, PL_CUE_FRAGMENT);
}

/* The decision on a sentence's points and cues (see PL_DEFINE_THRESHOLD). */
static int decide(int score, unsigned cues)
{
    return (score >= PL_DEFINE_THRESHOLD && (cues & PL_CUE_PATTERNS) != 0) ||
           (score >= PL_DEFINE_SUBJECT_THRESHOLD && (cues & PL_CUE_TERM_SUBJECT) != 0);
}

/* Scores a tokenized sentence; c->skip_* must be set. */
static int score_sentence(sent *c, pl_define_result *r, findings *f)
{
    int score = 0;
    unsigned cues = 0;
    f->predicate = SIZE_MAX;
    f->source_first = f->source_last = SIZE_MAX;
    find_source(c, f);
    /* Names in the source ("According to the Chinese Academy of …") are
     * attribution, not narrative. */
    if (f->source_first != SIZE_MAX) {
        c->source_start = c->t[f->source_first].start;
        c->source_end = c->t[f->source_last].end;
    }
    score_for(c, &score, &cues, f);
    score_rarity(c, &score, &cues);
    score_pos(c, &score);
    score_against(c, &score, &cues);
    memset(r, 0, sizeof *r);
    r->score = score;
    r->is_definition = decide(score, cues);
    if (f->source_first != SIZE_MAX) {
        r->cues |= PL_CUE_SOURCE;
        r->source_start = c->t[f->source_first].start;
        r->source_end = c->t[f->source_last].end;
    }
    r->cues |= cues;
    if (f->predicate != SIZE_MAX && f->predicate > 0) {
        /* The subject follows "According to X," when there is one. */
        size_t first = 0;
        if (f->source_first != SIZE_MAX && f->source_last + 2 < f->predicate &&
            tok_is(c, f->source_last + 1, ","))
            first = f->source_last + 2;
        r->subject_start = c->t[first].start;
        r->subject_end = c->t[f->predicate - 1].end;
    }
    return score;
}

int pl_define_score(const char *sentence, size_t len, pl_define_result *result)
{
    /* The tokens (about 6 KiB) live on the stack, so that scoring allocates
     * nothing and cannot fail. */
    sent c;
    findings f;
    pl_define_result r;
    tokenize(&c, sentence, len);
    score_sentence(&c, &r, &f);
    if (result)
        *result = r;
    return r.score;
}

const char *pl_define_cue_name(unsigned cue)
{
    static const char *const names[] = {
        "copula",   "refers", "defined_as",   "called",     "means",          "kind_of",
        "consists", "when",   "appositive",   "relative",   "enumeration",    "parenthesis",
        "gloss",    "source", "question",     "imperative", "personal",       "narrative",
        "fragment", "hedge",  "term_subject", "new_terms",  "defined_before",
    };
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (cue == 1u << i)
            return names[i];
    return "";
}

/* ---- discourse: a sentence among the ones before it ----
 * Each word's Snowball stem remembers the last sentence it occurred in and
 * the last definitional sentence whose subject it was in, so that a
 * sentence can tell the technical words it introduces from the ones it
 * reuses, and a term defined already from a new one. The points and their
 * measurement are at PL_DEFINE_RECENT in define.h and in bench/README.md. */

/* A stem seen in the text: its bytes in discourse.keys, and sentence
 * numbers + 1 (0: never). */
typedef struct seen_stem {
    size_t off, len;
    size_t last_seen;    /* the last sentence it occurred in */
    size_t last_subject; /* the last definitional sentence it was a subject word of */
    size_t mark;         /* the sentence that counted it as new, against double counting */
} seen_stem;

typedef struct discourse {
    struct sb_stemmer *stemmer;
    pl_buf fold; /* scratch: one word in ASCII lower case */
    pl_buf keys;
    seen_stem *entries;
    size_t count, cap;
    size_t *slots; /* entry + 1, 0 when empty */
    size_t mask;
} discourse;

static void discourse_free(discourse *d)
{
    if (d->stemmer)
        sb_stemmer_delete(d->stemmer);
    pl_buf_free(&d->fold);
    pl_buf_free(&d->keys);
    pl_free(d->entries);
    pl_free(d->slots);
}

/* FNV-1a, for the stem tables here and of the explanations. */
static size_t stem_hash(const char *s, size_t n)
{
    size_t h = 2166136261u, i;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static pl_status nomem(pl_error *err)
{
    return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
}

static int discourse_grow(discourse *d)
{
    size_t cap = d->mask ? (d->mask + 1) * 2 : 256, i;
    size_t *slots = pl_calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (i = 0; i < d->count; i++) {
        size_t k = stem_hash(d->keys.data + d->entries[i].off, d->entries[i].len) & (cap - 1);
        while (slots[k])
            k = (k + 1) & (cap - 1);
        slots[k] = i + 1;
    }
    pl_free(d->slots);
    d->slots = slots;
    d->mask = cap - 1;
    return 0;
}

/* The entry of token i's stem (the word in ASCII lower case, stemmed),
 * created unseen if new; SIZE_MAX when out of memory. */
static size_t stem_entry(discourse *d, const sent *c, size_t i)
{
    const sb_symbol *stem;
    size_t n, k, h;
    seen_stem *e;
    pl_buf_reset(&d->fold);
    for (k = c->t[i].start; k < c->t[i].end; k++)
        if (pl_buf_putc(&d->fold, (char)lower_ascii((unsigned char)c->s[k])))
            return SIZE_MAX;
    if (d->fold.len > INT_MAX)
        return SIZE_MAX;
    stem = sb_stemmer_stem(d->stemmer, (const sb_symbol *)d->fold.data, (int)d->fold.len);
    if (!stem)
        return SIZE_MAX;
    n = (size_t)sb_stemmer_length(d->stemmer);
    if ((d->count + 1) * 2 > d->mask + 1 && discourse_grow(d))
        return SIZE_MAX;
    h = stem_hash((const char *)stem, n);
    for (k = h & d->mask; d->slots[k]; k = (k + 1) & d->mask) {
        e = &d->entries[d->slots[k] - 1];
        if (e->len == n && memcmp(d->keys.data + e->off, stem, n) == 0)
            return d->slots[k] - 1;
    }
    if (pl_grow((void **)&d->entries, &d->cap, d->count + 1, sizeof *d->entries))
        return SIZE_MAX;
    e = &d->entries[d->count];
    memset(e, 0, sizeof *e);
    e->off = d->keys.len;
    e->len = n;
    if (pl_buf_append(&d->keys, (const char *)stem, n))
        return SIZE_MAX;
    d->slots[k] = ++d->count;
    return d->count - 1;
}

/* Whether token i is a word of the sentence's subject: one of 4 bytes or
 * more, no auxiliary, before the defining verb; without a defining verb,
 * the PL_CUE_TERM_SUBJECT word (the first technical word; the cue puts it
 * among the first three tokens). */
static int subject_word(const sent *c, const findings *f, const pl_define_result *r, size_t i,
                        size_t first_rare)
{
    if (f->predicate != SIZE_MAX && f->predicate > 0)
        return i < f->predicate && c->t[i].kind == TK_WORD && c->t[i].end - c->t[i].start >= 4 &&
               !tok_in(c, i, AUXILIARIES);
    return (r->cues & PL_CUE_TERM_SUBJECT) && i == first_rare;
}

/* Scores sentence number index (0-based) of a text with its discourse cues,
 * then records its words. */
static pl_status score_in_discourse(discourse *d, const char *s, size_t len, size_t index,
                                    pl_define_result *r, pl_error *err)
{
    sent c;
    findings f;
    size_t entry[PL_DEFINE_MAX_TOKENS];
    size_t k, fresh = 0, first_rare = SIZE_MAX, now = index + 1;
    int before = 0;
    tokenize(&c, s, len);
    score_sentence(&c, r, &f);
    for (k = 0; k < c.n; k++) {
        entry[k] = SIZE_MAX;
        if (c.t[k].kind != TK_WORD)
            continue;
        entry[k] = stem_entry(d, &c, k);
        if (entry[k] == SIZE_MAX)
            return nomem(err);
        if (first_rare == SIZE_MAX && is_rare_word(&c, k))
            first_rare = k;
    }
    for (k = 0; k < c.n; k++) {
        seen_stem *e;
        if (entry[k] == SIZE_MAX)
            continue;
        e = &d->entries[entry[k]];
        /* New: in none of the PL_DEFINE_RECENT sentences before (and there is one). */
        if (index > 0 && is_rare_word(&c, k) && e->mark != now &&
            (e->last_seen == 0 || e->last_seen + PL_DEFINE_RECENT < now)) {
            e->mark = now;
            fresh++;
        }
        if (e->last_subject != 0 && subject_word(&c, &f, r, k, first_rare))
            before = 1;
    }
    if (fresh >= PL_DEFINE_NEW_TERMS) {
        r->score += PL_DEFINE_NEW_TERMS_POINTS;
        r->cues |= PL_CUE_NEW_TERMS;
    }
    if (before) {
        r->score += PL_DEFINE_DEFINED_BEFORE_POINTS;
        r->cues |= PL_CUE_DEFINED_BEFORE;
    }
    r->is_definition = decide(r->score, r->cues);
    for (k = 0; k < c.n; k++) {
        if (entry[k] == SIZE_MAX)
            continue;
        d->entries[entry[k]].last_seen = now;
        if (r->is_definition && subject_word(&c, &f, r, k, first_rare))
            d->entries[entry[k]].last_subject = now;
    }
    return PL_OK;
}

pl_status pl_define_sentences(const char *text, size_t len, const pl_define_span *spans,
                              size_t count, pl_define_result *results, pl_error *err)
{
    discourse d;
    size_t i;
    pl_status st = PL_OK;
    pl_error_clear(err);
    if (!text && len > 0)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no text buffer");
    if (count > 0 && (!spans || !results))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no spans or results buffer");
    for (i = 0; i < count; i++)
        if (spans[i].start > spans[i].end || spans[i].end > len)
            return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "sentence %zu is out of the text",
                                i + 1);
    if (count == 0)
        return PL_OK;
    memset(&d, 0, sizeof d);
    d.stemmer = sb_stemmer_new("english", "UTF_8");
    if (!d.stemmer)
        st = nomem(err);
    for (i = 0; st == PL_OK && i < count; i++)
        st = score_in_discourse(&d, text ? text + spans[i].start : NULL,
                                spans[i].end - spans[i].start, i, &results[i], err);
    discourse_free(&d);
    return st;
}

pl_status pl_define_document(const pl_document *doc, pl_define_result *results, pl_error *err)
{
    pl_define_span *spans;
    size_t i;
    pl_status st;
    pl_error_clear(err);
    if (!doc)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no document");
    if (doc->sentence_count == 0)
        return PL_OK;
    if (!results)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no results buffer");
    spans = pl_malloc(doc->sentence_count * sizeof *spans);
    if (!spans)
        return nomem(err);
    for (i = 0; i < doc->sentence_count; i++) {
        spans[i].start = doc->sentences[i].start;
        spans[i].end = doc->sentences[i].end;
    }
    st = pl_define_sentences(doc->text, doc->text_len, spans, doc->sentence_count, results, err);
    pl_free(spans);
    return st;
}

/* ---- explanations ---- */

/* A word of the term or of a sentence, split at hyphens so that
 * "high-quality" and "high quality" are the same two words. */
typedef struct unit {
    size_t start, end;         /* bytes in the text it came from */
    size_t stem_off, stem_len; /* its stem in the matcher's stem buffer */
    int joined;                /* only spaces and hyphens since the previous unit */
} unit;

typedef struct pattern {
    size_t first, count; /* units of matcher.pattern_units */
    size_t term;         /* the term it is a spelling of */
    size_t next;         /* the next pattern of its chain (matcher.bucket), or SIZE_MAX */
} pattern;

/* A word already stemmed: its bytes in matcher.cache_words, its key in
 * matcher.stems. */
typedef struct cached {
    size_t word_off, word_len, stem_off, stem_len;
} cached;

typedef struct matcher {
    struct sb_stemmer *stemmer;
    pl_buf fold;  /* scratch: one case-folded word */
    pl_buf stems; /* every distinct key, back to back */
    unit *pattern_units;
    size_t pattern_unit_count, pattern_unit_cap;
    pattern *patterns;
    size_t pattern_count, pattern_cap;
    size_t *bucket; /* first pattern per hash of its first stem, or SIZE_MAX */
    size_t bucket_mask;
    unit *units; /* the current sentence's words */
    size_t unit_count, unit_cap;
    /* Words seen, so that each distinct spelling is folded and stemmed once
     * however long the document: slots hold entry + 1, 0 when empty. */
    size_t *slots;
    size_t slot_mask;
    cached *entries;
    size_t entry_count, entry_cap;
    pl_buf cache_words;
} matcher;

static void matcher_free(matcher *m)
{
    if (m->stemmer)
        sb_stemmer_delete(m->stemmer);
    pl_buf_free(&m->fold);
    pl_buf_free(&m->stems);
    pl_free(m->pattern_units);
    pl_free(m->patterns);
    pl_free(m->bucket);
    pl_free(m->units);
    pl_free(m->slots);
    pl_free(m->entries);
    pl_buf_free(&m->cache_words);
}

/* Endings that make an inflected form, after what the stemmer keeps of a
 * word ("bases" -> "base" + "s", "studies" -> "studi" + "es"). */
static const char *const INFLECTIONS[] = {"",  "s", "es", "ed",  "d",   "ing", "'s",
                                          "'", "y", "e",  "ies", "ied", NULL};

/* Whether fold minus its common prefix with stem is an inflection, so that
 * the stem stands for the word. The stemmer also strips derivational endings
 * ("carbonate" -> "carbon", "productive" -> "product"), which would make a
 * different word match; those words are compared whole. */
static int inflected(const char *fold, size_t fold_len, const char *stem, size_t stem_len)
{
    size_t p = 0, k;
    const char *tail;
    size_t tail_len;
    while (p < fold_len && p < stem_len && fold[p] == stem[p])
        p++;
    tail = fold + p;
    tail_len = fold_len - p;
    /* A doubled final consonant: "running" = "run" + "n" + "ing". */
    if (p > 0 && tail_len >= 3 && tail[0] == fold[p - 1] &&
        ((tail_len == 4 && memcmp(tail + 1, "ing", 3) == 0) ||
         (tail_len == 3 && memcmp(tail + 1, "ed", 2) == 0)))
        return 1;
    for (k = 0; INFLECTIONS[k]; k++)
        if (strlen(INFLECTIONS[k]) == tail_len && memcmp(INFLECTIONS[k], tail, tail_len) == 0)
            return 1;
    return 0;
}

/* Appends the matching key of s[0..n) (valid UTF-8) to m->stems: the word
 * case-folded with curly apostrophes straightened, then its Snowball English
 * stem when the two differ by an inflection only, else the word itself less a
 * final "s" or "'s". */
static pl_status stem_word(matcher *m, const char *s, size_t n, size_t *off, size_t *len,
                           pl_error *err)
{
    const sb_symbol *stem;
    const char *key;
    size_t i, j, stem_len;
    pl_status st;
    pl_buf_reset(&m->fold);
    st = pl_utf8_casefold(s, n, &m->fold, err);
    if (st != PL_OK)
        return st;
    for (i = j = 0; i < m->fold.len; i++, j++) {
        if (i + 2 < m->fold.len && memcmp(m->fold.data + i, "\xE2\x80\x99", 3) == 0) {
            m->fold.data[j] = '\'';
            i += 2;
        } else {
            m->fold.data[j] = m->fold.data[i];
        }
    }
    m->fold.len = j;
    if (j > INT_MAX)
        return pl_error_set(err, PL_ERR_TOO_LARGE, "a word is too long");
    key = m->fold.data ? m->fold.data : "";
    stem = sb_stemmer_stem(m->stemmer, (const sb_symbol *)key, (int)j);
    if (!stem)
        return nomem(err);
    stem_len = (size_t)sb_stemmer_length(m->stemmer);
    if (inflected(key, j, (const char *)stem, stem_len)) {
        key = (const char *)stem;
        j = stem_len;
    } else if (j > 2 && key[j - 2] == '\'' && key[j - 1] == 's') {
        j -= 2; /* the word whole, but for a possessive or plural ending */
    } else if (j > 3 && key[j - 1] == 's' && key[j - 2] != 's') {
        j -= 1;
    } else if (j > 1 && key[j - 1] == '\'') {
        j -= 1;
    }
    *off = m->stems.len;
    *len = j;
    if (pl_buf_append(&m->stems, key, j))
        return nomem(err);
    return PL_OK;
}

static pl_status cache_grow(matcher *m, pl_error *err)
{
    size_t cap = m->slot_mask ? (m->slot_mask + 1) * 2 : 1024, i;
    size_t *slots = pl_calloc(cap, sizeof *slots);
    if (!slots)
        return nomem(err);
    for (i = 0; i < m->entry_count; i++) {
        const cached *c = &m->entries[i];
        size_t k = stem_hash(m->cache_words.data + c->word_off, c->word_len) & (cap - 1);
        while (slots[k])
            k = (k + 1) & (cap - 1);
        slots[k] = i + 1;
    }
    pl_free(m->slots);
    m->slots = slots;
    m->slot_mask = cap - 1;
    return PL_OK;
}

/* stem_word, once per distinct spelling. */
static pl_status stem_cached(matcher *m, const char *s, size_t n, size_t *off, size_t *len,
                             pl_error *err)
{
    size_t h = stem_hash(s, n), k;
    cached *c;
    pl_status st;
    if ((m->entry_count + 1) * 2 > m->slot_mask + 1 && (st = cache_grow(m, err)) != PL_OK)
        return st;
    for (k = h & m->slot_mask; m->slots[k]; k = (k + 1) & m->slot_mask) {
        c = &m->entries[m->slots[k] - 1];
        if (c->word_len == n && memcmp(m->cache_words.data + c->word_off, s, n) == 0) {
            *off = c->stem_off;
            *len = c->stem_len;
            return PL_OK;
        }
    }
    if (pl_grow((void **)&m->entries, &m->entry_cap, m->entry_count + 1, sizeof *m->entries))
        return nomem(err);
    st = stem_word(m, s, n, off, len, err);
    if (st != PL_OK)
        return st;
    c = &m->entries[m->entry_count];
    c->word_off = m->cache_words.len;
    c->word_len = n;
    c->stem_off = *off;
    c->stem_len = *len;
    if (pl_buf_append(&m->cache_words, s, n))
        return nomem(err);
    m->slots[k] = ++m->entry_count;
    return PL_OK;
}

static int gap_joins(const char *s, size_t from, size_t to)
{
    while (from < to) {
        size_t n;
        int32_t cp = pl_utf8_decode(s + from, to - from, &n);
        if (!pl_utf8_is_space(cp) && !is_hyphen(cp))
            return 0;
        from += n;
    }
    return 1;
}

/* Splits s[0..n) (valid UTF-8) into units appended to *units. */
static pl_status split_units(matcher *m, const char *s, size_t n, unit **units, size_t *count,
                             size_t *cap, pl_error *err)
{
    size_t pos = 0, prev_end = SIZE_MAX;
    pl_token tok;
    while (pl_token_next(s, n, &pos, &tok)) {
        size_t i = tok.start;
        while (i < tok.end) {
            size_t j = i, len;
            unit *u;
            pl_status st;
            while (j < tok.end) {
                int32_t cp = pl_utf8_decode(s + j, tok.end - j, &len);
                if (is_hyphen(cp))
                    break;
                j += len;
            }
            if (j > i) {
                if (pl_grow((void **)units, cap, *count + 1, sizeof **units))
                    return nomem(err);
                u = &(*units)[*count];
                u->start = i;
                u->end = j;
                u->joined = prev_end != SIZE_MAX && gap_joins(s, prev_end, i);
                st = stem_cached(m, s + i, j - i, &u->stem_off, &u->stem_len, err);
                if (st != PL_OK)
                    return st;
                (*count)++;
                prev_end = j;
            }
            if (j < tok.end) {
                pl_utf8_decode(s + j, tok.end - j, &len);
                j += len;
            }
            i = j;
        }
    }
    return PL_OK;
}

/* Adds one spelling of term number term; a spelling with no word is refused. */
static pl_status add_pattern(matcher *m, const char *s, size_t n, size_t term, pl_error *err)
{
    pl_buf clean = PL_BUF_INIT;
    size_t first = m->pattern_unit_count;
    pl_status st = pl_utf8_sanitize(s, n, &clean, NULL, err);
    if (st == PL_OK)
        st = split_units(m, clean.data ? clean.data : "", clean.len, &m->pattern_units,
                         &m->pattern_unit_count, &m->pattern_unit_cap, err);
    pl_buf_free(&clean);
    if (st != PL_OK)
        return st;
    if (m->pattern_unit_count == first)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "the term has no word in it");
    if (pl_grow((void **)&m->patterns, &m->pattern_cap, m->pattern_count + 1, sizeof *m->patterns))
        return nomem(err);
    m->patterns[m->pattern_count].first = first;
    m->patterns[m->pattern_count].count = m->pattern_unit_count - first;
    m->patterns[m->pattern_count].term = term;
    m->pattern_count++;
    return PL_OK;
}

/* Chains the patterns by the hash of their first stem, each chain in
 * pattern order, so that a sentence's words are looked up, not scanned for
 * every pattern. */
static pl_status index_patterns(matcher *m, pl_error *err)
{
    size_t cap = 16, p;
    while (cap < m->pattern_count * 2)
        cap *= 2;
    m->bucket = pl_malloc(cap * sizeof *m->bucket);
    if (!m->bucket)
        return nomem(err);
    m->bucket_mask = cap - 1;
    for (p = 0; p < cap; p++)
        m->bucket[p] = SIZE_MAX;
    for (p = m->pattern_count; p-- > 0;) {
        const unit *u = &m->pattern_units[m->patterns[p].first];
        size_t b = stem_hash(m->stems.data + u->stem_off, u->stem_len) & m->bucket_mask;
        m->patterns[p].next = m->bucket[b];
        m->bucket[b] = p;
    }
    return PL_OK;
}

/* One mention of a term: its first in a sentence. */
typedef struct hit {
    size_t term, sentence;
    size_t start, end; /* of the mention in doc->text */
    int points, definition;
} hit;

/* Finds in text[start..end), sentence number sentence, the first mention of
 * each term (the earliest of its spellings; on a tie, the spelling given
 * first) and appends them to *hits. seen[term] is sentence + 1 once the term
 * is found in this sentence. */
static pl_status find_mentions(matcher *m, const char *text, size_t start, size_t end,
                               size_t sentence, size_t *seen, hit **hits, size_t *count,
                               size_t *cap, pl_error *err)
{
    size_t i, k, p;
    pl_status st;
    m->unit_count = 0;
    st = split_units(m, text + start, end - start, &m->units, &m->unit_count, &m->unit_cap, err);
    if (st != PL_OK)
        return st;
    for (i = 0; i < m->unit_count; i++) {
        const unit *u = &m->units[i];
        size_t b = stem_hash(m->stems.data + u->stem_off, u->stem_len) & m->bucket_mask;
        for (p = m->bucket[b]; p != SIZE_MAX; p = m->patterns[p].next) {
            const pattern *pt = &m->patterns[p];
            hit *h;
            if (seen[pt->term] == sentence + 1 || i + pt->count > m->unit_count)
                continue;
            for (k = 0; k < pt->count; k++) {
                const unit *a = &m->units[i + k], *c = &m->pattern_units[pt->first + k];
                if (a->stem_len != c->stem_len || (k > 0 && !a->joined) ||
                    memcmp(m->stems.data + a->stem_off, m->stems.data + c->stem_off, a->stem_len) !=
                        0)
                    break;
            }
            if (k < pt->count)
                continue;
            if (pl_grow((void **)hits, cap, *count + 1, sizeof **hits))
                return nomem(err);
            h = &(*hits)[(*count)++];
            memset(h, 0, sizeof *h);
            h->term = pt->term;
            h->sentence = sentence;
            h->start = start + u->start;
            h->end = start + m->units[i + pt->count - 1].end;
            seen[pt->term] = sentence + 1;
        }
    }
    return PL_OK;
}

/* Points for where the term stands in a sentence the detector has scored:
 * a defining place anchors the definition to this term rather than to
 * another word of the sentence. Returns the extra points, and sets
 * *anchored. ts, te are the term's byte offsets in the sentence. */
static int term_points(const sent *c, const findings *f, size_t ts, size_t te, int *anchored)
{
    size_t a = SIZE_MAX, b = 0, k;
    int points = 0;
    *anchored = 0;
    for (k = 0; k < c->n; k++) {
        if (c->t[k].start >= ts && c->t[k].end <= te) {
            if (a == SIZE_MAX)
                a = k;
            b = k + 1;
        }
    }
    if (a == SIZE_MAX)
        return 0;

    /* "X — a, b, c —" or "X: a, b and c": the list is what X is. */
    if (tok_is_dash(c, b) || tok_is(c, b, ":")) {
        int commas = 0;
        for (k = b + 1; k < c->n && !tok_is_dash(c, k); k++)
            commas += tok_is(c, k, ",");
        points += commas ? 5 : 2;
        *anchored = 1;
    }
    /* "X (Y)" and "Y (X)": an expansion or an abbreviation. */
    if (tok_is(c, b, "(") || (a > 0 && tok_is(c, a - 1, "(") && tok_is(c, b, ")"))) {
        points += 3;
        *anchored = 1;
    }
    /* "X, a …", "X, which …", "X, or Y,". */
    if (tok_is(c, b, ",") &&
        (tok_is(c, b + 1, "a") || tok_is(c, b + 1, "an") || tok_is(c, b + 1, "the") ||
         tok_is(c, b + 1, "which") || tok_is(c, b + 1, "who") || tok_is(c, b + 1, "or"))) {
        points += 3;
        *anchored = 1;
    }
    /* "… called X", "… known as X", "… referred to as X". */
    k = a;
    while (k > 0 && (tok_is(c, k - 1, "a") || tok_is(c, k - 1, "an") || tok_is(c, k - 1, "the") ||
                     tok_is(c, k - 1, "\xE2\x80\x9C") || tok_is(c, k - 1, "\"")))
        k--;
    if ((k >= 1 &&
         (tok_is(c, k - 1, "called") || tok_is(c, k - 1, "termed") || tok_is(c, k - 1, "named"))) ||
        (k >= 2 && tok_is(c, k - 1, "as") &&
         (tok_is(c, k - 2, "known") || tok_is(c, k - 2, "defined") ||
          tok_is(c, k - 2, "described"))) ||
        (k >= 3 && phrase_at(c, k - 3, "referred to as"))) {
        points += 2;
        *anchored = 1;
    }
    /* The subject of the defining verb: "X is …", "X refers to …". */
    if (f->predicate != SIZE_MAX && b <= f->predicate && f->predicate - b <= 6 && a <= 12) {
        points += 2;
        *anchored = 1;
    }
    /* "According to X, …": X is the source of the claim. */
    if (f->source_first != SIZE_MAX && a >= f->source_first && b <= f->source_last + 1) {
        points += 2;
        *anchored = 1;
    }
    return points;
}

/* Scores sentence text[start..end) for the term at text[ts..te). */
static int score_for_term(const char *text, size_t start, size_t end, size_t ts, size_t te,
                          int *definition)
{
    sent c;
    findings f;
    pl_define_result r;
    int anchored, points;
    tokenize(&c, text + start, end - start);
    c.skip_start = ts - start;
    c.skip_end = te - start;
    score_sentence(&c, &r, &f);
    points = r.score + term_points(&c, &f, ts - start, te - start, &anchored);
    *definition = anchored && points >= PL_DEFINE_THRESHOLD;
    return points;
}

static int is_heading(const pl_document *doc, size_t index)
{
    pl_block_kind kind = doc->paragraphs[doc->sentences[index].paragraph].kind;
    return kind == PL_BLOCK_HEADING || kind == PL_BLOCK_TITLE;
}

typedef struct candidate {
    size_t hit; /* into the hits */
    size_t index;
    int points;
    double salience;
} candidate;

/* Definitions: more points first, then the earlier sentence. */
static int by_points(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;
    if (a->points != b->points)
        return a->points > b->points ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* The rest: the more salient first, then the earlier. */
static int by_salience(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;
    if (a->salience != b->salience)
        return a->salience > b->salience ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Adds h's sentence to e, unless the same words were chosen already (a
 * repeated sentence explains nothing more). */
static void push_sentence(pl_explanation *e, const pl_document *doc, const hit *h, double focus)
{
    const pl_sentence *s = &doc->sentences[h->sentence];
    pl_explain_sentence *o;
    size_t i;
    for (i = 0; i < e->count; i++) {
        const pl_explain_sentence *p = &e->sentences[i];
        if (p->end - p->start == s->end - s->start &&
            memcmp(doc->text + p->start, doc->text + s->start, s->end - s->start) == 0)
            return;
    }
    o = &e->sentences[e->count++];
    o->index = h->sentence;
    o->start = s->start;
    o->end = s->end;
    o->paragraph = s->paragraph;
    o->term_start = h->start;
    o->term_end = h->end;
    o->definition = h->definition;
    o->score = h->points;
    o->focus_score = focus;
}

/* Chooses the explanation of one term from its hits[0..n) (in sentence
 * order): definitions by points, then the rest by their salience among the
 * sentences that mention the term (pl_summary_salience over them: the
 * LexRank centrality of the term's own sentences, with position and length
 * priors), so the cost follows the term's mentions, not the document. */
static pl_status explain_one(const pl_document *doc, hit *hits, size_t n, size_t want,
                             size_t *subset, candidate *cand, pl_explanation *e, pl_error *err)
{
    size_t i, m = 0;
    double *salience = NULL;
    pl_status st;
    e->mentions = n;
    for (i = 0; i < n; i++) {
        const pl_sentence *s = &doc->sentences[hits[i].sentence];
        hits[i].points = score_for_term(doc->text, s->start, s->end, hits[i].start, hits[i].end,
                                        &hits[i].definition);
        if (is_heading(doc, hits[i].sentence))
            hits[i].definition = 0;
        if (hits[i].definition) {
            cand[m].hit = i;
            cand[m].index = hits[i].sentence;
            cand[m].points = hits[i].points;
            m++;
        }
    }
    qsort(cand, m, sizeof *cand, by_points);
    for (i = 0; i < m && e->count < want; i++)
        push_sentence(e, doc, &hits[cand[i].hit], 0.0);
    if (e->count >= want || n == 0)
        return PL_OK;
    for (i = 0; i < n; i++)
        subset[i] = hits[i].sentence;
    st = pl_summary_salience(doc, subset, n, &salience, err);
    if (st != PL_OK)
        return st;
    m = 0;
    for (i = 0; i < n; i++) {
        size_t s = hits[i].sentence;
        if (hits[i].definition || salience[s] <= 0.0 || is_heading(doc, s))
            continue;
        cand[m].hit = i;
        cand[m].index = s;
        cand[m].salience = salience[s];
        m++;
    }
    pl_free(salience);
    qsort(cand, m, sizeof *cand, by_salience);
    for (i = 0; i < m && e->count < want; i++)
        push_sentence(e, doc, &hits[cand[i].hit], cand[i].salience);
    return PL_OK;
}

void pl_explanations_free(pl_explanation **list, size_t count)
{
    size_t i;
    if (!list)
        return;
    for (i = 0; i < count; i++)
        pl_explanation_free(list[i]);
    pl_free(list);
}

/* Checks the terms before any work, so that a bad one fails the call whole. */
static pl_status check_terms(const pl_explain_term *terms, size_t count, pl_error *err)
{
    size_t k, i;
    if (!terms && count > 0)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no terms buffer");
    for (k = 0; k < count; k++) {
        if (!terms[k].text && terms[k].len > 0)
            return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no term buffer");
        if (!terms[k].variants && terms[k].variant_count > 0)
            return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no variants buffer");
        for (i = 0; i < terms[k].variant_count; i++)
            if (!terms[k].variants[i])
                return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "variant %zu is NULL", i + 1);
    }
    return PL_OK;
}

pl_explanation **pl_explain_many(const pl_document *doc, const pl_explain_term *terms, size_t count,
                                 size_t max_sentences, pl_error *err)
{
    matcher m;
    pl_explanation **list = NULL;
    hit *hits = NULL, *sorted = NULL;
    size_t nhits = 0, hit_cap = 0, *seen = NULL, *first = NULL, *fill = NULL;
    candidate *cand = NULL;
    size_t *subset = NULL;
    size_t i, k, want = PL_EXPLAIN_MAX_SENTENCES;
    pl_status st;

    memset(&m, 0, sizeof m);
    pl_error_clear(err);
    if (!doc) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no document");
        return NULL;
    }
    if (check_terms(terms, count, err) != PL_OK)
        return NULL;
    if (max_sentences > 0 && max_sentences < want)
        want = max_sentences;

    m.stemmer = sb_stemmer_new("english", "UTF_8");
    list = pl_calloc(count + 1, sizeof *list);
    seen = pl_calloc(count + 1, sizeof *seen);
    first = pl_calloc(count + 2, sizeof *first);
    fill = pl_calloc(count + 1, sizeof *fill);
    if (!m.stemmer || !list || !seen || !first || !fill) {
        st = nomem(err);
        goto cleanup;
    }
    for (k = 0, st = PL_OK; k < count && st == PL_OK; k++) {
        list[k] = pl_calloc(1, sizeof *list[k]);
        if (!list[k] || !(list[k]->sentences = pl_calloc(want, sizeof *list[k]->sentences))) {
            st = nomem(err);
            break;
        }
        st = add_pattern(&m, terms[k].text ? terms[k].text : "", terms[k].len, k, err);
        for (i = 0; st == PL_OK && i < terms[k].variant_count; i++)
            st = add_pattern(&m, terms[k].variants[i], strlen(terms[k].variants[i]), k, err);
    }
    if (st == PL_OK)
        st = index_patterns(&m, err);
    for (i = 0; st == PL_OK && i < doc->sentence_count; i++)
        st = find_mentions(&m, doc->text, doc->sentences[i].start, doc->sentences[i].end, i, seen,
                           &hits, &nhits, &hit_cap, err);
    if (st != PL_OK)
        goto cleanup;

    /* Group the hits by term, each group in sentence order. */
    sorted = pl_malloc((nhits + 1) * sizeof *sorted);
    cand = pl_malloc((nhits + 1) * sizeof *cand);
    subset = pl_malloc((nhits + 1) * sizeof *subset);
    if (!sorted || !cand || !subset) {
        st = nomem(err);
        goto cleanup;
    }
    for (i = 0; i < nhits; i++)
        first[hits[i].term + 1]++;
    for (k = 0; k < count; k++)
        first[k + 1] += first[k];
    for (i = 0; i < nhits; i++)
        sorted[first[hits[i].term] + fill[hits[i].term]++] = hits[i];
    for (k = 0; k < count && st == PL_OK; k++)
        st = explain_one(doc, sorted + first[k], first[k + 1] - first[k], want, subset, cand,
                         list[k], err);

cleanup:
    matcher_free(&m);
    pl_free(hits);
    pl_free(sorted);
    pl_free(seen);
    pl_free(first);
    pl_free(fill);
    pl_free(cand);
    pl_free(subset);
    if (st != PL_OK) {
        pl_explanations_free(list, count);
        return NULL;
    }
    return list;
}

pl_explanation *pl_explain(const pl_document *doc, const char *term, size_t term_len,
                           const pl_explain_options *opts, pl_error *err)
{
    pl_explain_term t;
    pl_explanation **list, *e;
    t.text = term;
    t.len = term_len;
    t.variants = opts ? opts->variants : NULL;
    t.variant_count = opts ? opts->variant_count : 0;
    list = pl_explain_many(doc, &t, 1, opts ? opts->max_sentences : 0, err);
    if (!list)
        return NULL;
    e = list[0];
    pl_free(list);
    return e;
}

void pl_explanation_free(pl_explanation *explanation)
{
    if (!explanation)
        return;
    pl_free(explanation->sentences);
    pl_free(explanation);
}
