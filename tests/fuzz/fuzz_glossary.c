/* Fuzz target: the glossary file (src/glossary.c). The bytes are a glossary
 * page, or two split at the first 0xFE byte (never in UTF-8): a user's and an
 * extracted one. Whatever parse accepts, write must write, parse must read
 * back equal (line numbers aside) and write must then give the same bytes;
 * the same for what merge makes of the two. Refusals carry a documented
 * status and a message that starts with the line. Every term must be found
 * by lookup, and an anchor made for every entry. */
#include "fuzz.h"

#include "glossary.h"

static int same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
    size_t i;
    if (na != nb)
        return 0;
    for (i = 0; i < na; i++)
        if (!same_str(a[i], b[i]))
            return 0;
    return 1;
}

/* Equal as far as a file can say: everything but line numbers. */
static void check_equal(const pl_glossary *a, const pl_glossary *b)
{
    size_t i, k;
    FUZZ_CHECK(same_str(a->preamble, b->preamble));
    FUZZ_CHECK(same_list(a->exclude, a->exclude_count, b->exclude, b->exclude_count));
    FUZZ_CHECK(a->count == b->count);
    for (i = 0; i < a->count; i++) {
        const pl_glossary_entry *x = &a->entries[i], *y = &b->entries[i];
        FUZZ_CHECK(same_str(x->term, y->term));
        FUZZ_CHECK(same_list(x->aliases, x->alias_count, y->aliases, y->alias_count));
        FUZZ_CHECK(x->has_case == y->has_case);
        FUZZ_CHECK(!x->has_case || x->case_policy == y->case_policy);
        FUZZ_CHECK(x->kind == y->kind);
        FUZZ_CHECK(same_str(x->explanation, y->explanation));
        FUZZ_CHECK(same_list(x->meta, x->meta_count, y->meta, y->meta_count));
        FUZZ_CHECK(x->excluded == y->excluded);
        FUZZ_CHECK(x->source_count == y->source_count);
        for (k = 0; k < x->source_count; k++) {
            const pl_glossary_source *s = &x->sources[k], *t = &y->sources[k];
            FUZZ_CHECK(same_str(s->text, t->text) && same_str(s->title, t->title));
            FUZZ_CHECK(same_str(s->url, t->url) && s->sentence == t->sentence);
        }
    }
}

/* Every string of g valid UTF-8 (the parser refuses anything else). */
static void check_strings(const pl_glossary *g)
{
    size_t i, k;
    FUZZ_CHECK(g->preamble && fuzz_valid_utf8(g->preamble, strlen(g->preamble)));
    for (i = 0; i < g->count; i++) {
        const pl_glossary_entry *e = &g->entries[i];
        FUZZ_CHECK(e->term && e->term[0] != '\0' && fuzz_valid_utf8(e->term, strlen(e->term)));
        FUZZ_CHECK(strlen(e->term) <= PL_GLOSSARY_MAX_TERM_BYTES);
        FUZZ_CHECK(e->explanation != NULL);
        for (k = 0; k < e->alias_count; k++)
            FUZZ_CHECK(strlen(e->aliases[k]) <= PL_GLOSSARY_MAX_TERM_BYTES);
        FUZZ_CHECK(!e->excluded || e->explanation[0] == '\0');
    }
}

/* write(g) succeeds, reads back equal to g and writes back the same bytes. */
static void check_round_trip(const pl_glossary *g)
{
    pl_glossary *back;
    char *text, *again;
    size_t len, len2, i, index;
    pl_error err;
    char **anchors;

    text = pl_glossary_write(g, &len, &err);
    if (!text)
        fprintf(stderr, "write: %s\n", err.message);
    FUZZ_CHECK(text != NULL && text[len] == '\0');
    back = pl_glossary_parse(text, len, &err);
    if (!back)
        fprintf(stderr, "parse(write(g)): %s\n", err.message);
    FUZZ_CHECK(back != NULL);
    check_equal(g, back);
    again = pl_glossary_write(back, &len2, &err);
    FUZZ_CHECK(again != NULL && len2 == len && memcmp(text, again, len) == 0);

    anchors = pl_glossary_anchors(g, &err);
    FUZZ_CHECK(anchors != NULL);
    for (i = 0; i < g->count; i++) {
        FUZZ_CHECK(anchors[i] != NULL);
        FUZZ_CHECK(pl_glossary_lookup(g, g->entries[i].term, strlen(g->entries[i].term), &index,
                                      &err) == PL_OK);
        FUZZ_CHECK(index != PL_GLOSSARY_NOT_FOUND && index <= i);
    }
    pl_glossary_anchors_free(anchors, g->count);
    pl_free(again);
    pl_free(text);
    pl_glossary_free(back);
}

/* Parses text; a refusal must be one the header lists, "line N: ..." for
 * everything but out of memory and the whole-file size. */
static pl_glossary *parse(const char *text, size_t len, const fuzz_input *in)
{
    pl_error err;
    pl_glossary *g;
    fuzz_arm(in);
    g = pl_glossary_parse(text, len, &err);
    fuzz_disarm();
    if (!g) {
        FUZZ_CHECK(err.status == PL_ERR_BINARY || err.status == PL_ERR_PARSE ||
                   err.status == PL_ERR_TOO_LARGE || err.status == PL_ERR_NOMEM);
        FUZZ_CHECK(err.status != PL_ERR_NOMEM || in->fail_after >= 0);
        FUZZ_CHECK(err.status == PL_ERR_NOMEM || strncmp(err.message, "line ", 5) == 0);
        return NULL;
    }
    check_strings(g);
    return g;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = fuzz_split(data, size);
    const char *split = memchr(in.data, 0xFE, in.size);
    size_t first_len = split ? (size_t)(split - in.data) : in.size;
    pl_glossary *user, *extracted = NULL, *merged;
    pl_error err;

    user = parse(in.data, first_len, &in);
    if (split)
        extracted = parse(split + 1, in.size - first_len - 1, &in);
    if (user)
        check_round_trip(user);
    if (extracted)
        check_round_trip(extracted);
    if (user && extracted) {
        fuzz_arm(&in);
        merged = pl_glossary_merge(user, extracted, &err);
        fuzz_disarm();
        FUZZ_CHECK(merged != NULL || (err.status == PL_ERR_NOMEM && in.fail_after >= 0));
        if (merged) {
            FUZZ_CHECK(merged->count <= user->count + extracted->count);
            FUZZ_CHECK(merged->count >= user->count);
            check_round_trip(merged);
        }
        pl_glossary_free(merged);
    }
    pl_glossary_free(user);
    pl_glossary_free(extracted);
    return 0;
}
