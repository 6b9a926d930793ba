/* The part-of-speech table: fixed-width records sorted bytewise, searched in
 * place (the header is generated from data/pos-lexicon.txt), and the
 * regular inflections read back to their lemma, as WordNet's morphy does. */
#include "pos.h"

#include <string.h>

#include "pos_lexicon_table.h"

static unsigned find(const char *w, size_t n)
{
    size_t lo = 0, hi = PL_POS_COUNT;
    if (n == 0 || n >= PL_POS_WIDTH)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k = pos_words[mid];
        int c = strncmp(w, k, n);
        if (c == 0)
            c = k[n] == '\0' ? 0 : -1;
        if (c == 0)
            return pos_classes[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* The classes of the lemma w[0..keep) + add (add may be ""). */
static unsigned lemma(const char *w, size_t keep, const char *add)
{
    char buf[PL_POS_WIDTH];
    size_t an = strlen(add);
    if (keep + an >= PL_POS_WIDTH)
        return 0;
    memcpy(buf, w, keep);
    memcpy(buf + keep, add, an);
    return find(buf, keep + an);
}

static int ends(const char *w, size_t n, const char *suffix)
{
    size_t sn = strlen(suffix);
    return n > sn + 1 && memcmp(w + n - sn, suffix, sn) == 0;
}

unsigned pl_pos_classes(const char *w, size_t n)
{
    unsigned out, l;
    if (n == 0 || n >= PL_POS_WIDTH + 3)
        return 0;
    out = find(w, n);
    if (ends(w, n, "s") && !ends(w, n, "ss")) {
        l = lemma(w, n - 1, "");
        if (ends(w, n, "es"))
            l |= lemma(w, n - 2, "");
        if (ends(w, n, "ies"))
            l |= lemma(w, n - 3, "y");
        if (l & PL_POS_NOUN)
            out |= PL_POS_PLURAL;
        if (l & PL_POS_VERB)
            out |= PL_POS_THIRD;
    }
    if (ends(w, n, "ed")) {
        l = lemma(w, n - 1, "") | lemma(w, n - 2, "");
        if (ends(w, n, "ied"))
            l |= lemma(w, n - 3, "y");
        if (n > 4 && w[n - 3] == w[n - 4])
            l |= lemma(w, n - 3, "");
        if (l & PL_POS_VERB)
            out |= PL_POS_PAST;
    }
    if (ends(w, n, "ing")) {
        l = lemma(w, n - 3, "") | lemma(w, n - 3, "e");
        if (n > 5 && w[n - 4] == w[n - 5])
            l |= lemma(w, n - 4, "");
        if (l & PL_POS_VERB)
            out |= PL_POS_ING;
    }
    if (ends(w, n, "er") || ends(w, n, "est")) {
        size_t sn = w[n - 1] == 'r' ? 2 : 3;
        l = lemma(w, n - sn, "") | lemma(w, n - sn + 1, "");
        if (w[n - sn - 1] == 'i')
            l |= lemma(w, n - sn - 1, "y");
        if (l & PL_POS_ADJ)
            out |= PL_POS_COMPARATIVE;
    }
    return out;
}
