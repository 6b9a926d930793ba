/* Tests of the linker core (src/match.c): every matching rule with exact
 * spans, Markdown regions, options, incremental matching against a full
 * match on random edits, the automaton against a naive reference scan, and
 * allocation failures. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "match.h"

typedef struct term {
    const char *text;
    uint32_t id;
    pl_case_policy policy;
} term;

#define I PL_CASE_INSENSITIVE
#define C PL_CASE_CAPITALIZED
#define X PL_CASE_EXACT
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static pl_matcher *make(const term *terms, size_t n)
{
    pl_term_spec specs[64];
    pl_error err;
    pl_matcher *m;
    size_t i;
    assert_true(n <= COUNT(specs));
    for (i = 0; i < n; i++) {
        specs[i].text = terms[i].text;
        specs[i].len = strlen(terms[i].text);
        specs[i].id = terms[i].id;
        specs[i].case_policy = terms[i].policy;
    }
    m = pl_matcher_create(specs, n, &err);
    if (!m)
        fail_msg("pl_matcher_create: %s", err.message);
    return m;
}

/* The note with each match shown as [text]{id}: exact spans, readable. */
static char *render(const char *text, const pl_match_list *list)
{
    size_t len = strlen(text), cap = len + 32 * list->count + 1, pos = 0, w = 0, i;
    char *out = malloc(cap);
    assert_non_null(out);
    for (i = 0; i < list->count; i++) {
        const pl_match *mt = &list->items[i];
        assert_true(mt->start >= pos && mt->end > mt->start && mt->end <= len);
        memcpy(out + w, text + pos, mt->start - pos);
        w += mt->start - pos;
        out[w++] = '[';
        memcpy(out + w, text + mt->start, mt->end - mt->start);
        w += mt->end - mt->start;
        w += (size_t)sprintf(out + w, "]{%u}", (unsigned)mt->id);
        pos = mt->end;
    }
    memcpy(out + w, text + pos, len - pos);
    out[w + len - pos] = '\0';
    return out;
}

/* Checks the matches of text with both word scans (the AVX-512 one where
 * the processor has it, and the portable one). */
static void expect_opts(const pl_matcher *m, const pl_match_options *o, const char *text,
                        const char *want)
{
    pl_match_options scan = {0};
    pl_error err;
    if (o)
        scan = *o;
    for (scan.portable_scan = 0; scan.portable_scan < 2; scan.portable_scan++) {
        pl_match_list list = PL_MATCH_LIST_INIT;
        char *got;
        assert_int_equal(pl_matcher_match(m, text, strlen(text), &scan, &list, &err), PL_OK);
        got = render(text, &list);
        if (strcmp(got, want) != 0)
            fail_msg("\n %s scan\n text: %s\n want: %s\n  got: %s",
                     scan.portable_scan ? "portable" : pl_matcher_scan_name(m), text, want, got);
        free(got);
        pl_match_list_free(&list);
    }
}

static void expect(const pl_matcher *m, const char *text, const char *want)
{
    expect_opts(m, NULL, text, want);
}

/* expect() with text and want after 0, 1, ... offsets - 1 words "ab ": the
 * words of text fall at every place against the scan's 64-byte blocks. */
static void expect_at_offsets(const pl_matcher *m, size_t offsets, const char *text,
                              const char *want)
{
    char padded_text[1024], padded_want[1024];
    size_t j;
    for (j = 0; j < offsets; j++) {
        size_t k, len = 0;
        for (k = 0; k < j; k++)
            len += (size_t)snprintf(padded_text + len, sizeof padded_text - len, "ab ");
        memcpy(padded_want, padded_text, len);
        assert_true(len + strlen(text) < sizeof padded_text);
        assert_true(len + strlen(want) < sizeof padded_want);
        strcpy(padded_text + len, text);
        strcpy(padded_want + len, want);
        expect(m, padded_text, padded_want);
    }
}

static const term EU[] = {
    {"Europe", 1, I}, {"European Union", 2, I}, {"Union", 3, I}, {"European", 4, I}};

static void test_longest_wins(void **state)
{
    pl_matcher *m = make(EU, COUNT(EU));
    (void)state;
    expect(m, "The European Union and Europe.", "The [European Union]{2} and [Europe]{1}.");
    expect(m, "European Unionists", "[European]{4} Unionists");
    expect(m, "European, Union", "[European]{4}, [Union]{3}");
    pl_matcher_free(m);
}

/* Two-word keys inside prose long enough for the block scan, where a
 * longer key goes on from the pair with punctuation or a third word, or
 * none does: the longest always wins, wherever the words fall against the
 * 64-byte blocks. */
static void test_longest_wins_in_long_prose(void **state)
{
    static const term T[] = {{"alpha beta", 1, I},
                             {"alpha beta's", 2, I},
                             {"alpha beta gamma delta", 3, I},
                             {"beta", 4, I},
                             {"alpha beta.", 5, I}};
    pl_matcher *m = make(T, COUNT(T));
    (void)state;
    expect_at_offsets(
        m, 40,
        "alpha beta's gamma, alpha beta gamma, alpha beta gamma delta, alpha beta zeta, "
        "alpha beta. Then plain ascii words to fill a block or two",
        "[alpha beta's]{2} gamma, [alpha beta]{1} gamma, [alpha beta gamma delta]{3}, "
        "[alpha beta]{1} zeta, [alpha beta.]{5} Then plain ascii words to fill a block or "
        "two");
    pl_matcher_free(m);
}

/* The filter on the words after a pair knows "w1-w2" and a line break for
 * the space of a key, and punctuation between words ("don't", "st. louis")
 * for itself; in prose long enough for the block scan, at 40 offsets. */
static void test_pairs_across_separators(void **state)
{
    static const term T[] = {{"long term plan", 1, I}, {"don't think", 2, I}, {"don't know", 3, I},
                             {"plan ahead now", 4, I}, {"plan (b)", 5, I},    {"acme, inc", 6, I},
                             {"st. louis", 7, I}};
    pl_matcher *m = make(T, COUNT(T));
    (void)state;
    expect_at_offsets(
        m, 40,
        "a long-term plan, long term\nplan; plan-ahead-now, don't think, don't care, "
        "don't know; long-term plans. Plan (b), plan (c), acme, inc, acme, ltd, st. louis, "
        "st. paul. Then plain ascii words to fill a block or two",
        "a [long-term plan]{1}, [long term\nplan]{1}; [plan-ahead-now]{4}, [don't "
        "think]{2}, don't care, [don't know]{3}; long-term plans. [Plan (b)]{5}, plan (c), "
        "[acme, inc]{6}, acme, ltd, [st. louis]{7}, st. paul. Then plain ascii words to "
        "fill a block or two");
    pl_matcher_free(m);
}

/* The last word a batch of the block scan judges has its second word but
 * not always the third (it may run past the blocks read so far): a key
 * going on from the pair with punctuation and a word must not be lost
 * there, at the end of a note or where a batch of 128 words ends. */
static void test_pairs_at_the_end_of_a_batch(void **state)
{
    static const term T[] = {{"five industrial(bases", 1, I}, {"plan ahead-now", 2, I}};
    char text[800], want[800];
    size_t len = 0, k;
    pl_matcher *m = make(T, COUNT(T));
    (void)state;
    expect_at_offsets(m, 40, "the five industrial(bases", "the [five industrial(bases]{1}");
    expect_at_offsets(m, 40, "to plan ahead-now", "to [plan ahead-now]{2}");
    for (k = 0; k < 120; k++)
        len += (size_t)snprintf(text + len, sizeof text - len, "cd ");
    memcpy(want, text, len);
    strcpy(text + len, "five industrial(bases and plan ahead-now, then words to end it");
    strcpy(want + len, "[five industrial(bases]{1} and [plan ahead-now]{2}, then words to end it");
    expect_at_offsets(m, 40, text, want);
    pl_matcher_free(m);
}

static void test_no_partial_words(void **state)
{
    pl_matcher *m = make(EU, COUNT(EU));
    (void)state;
    expect(m, "Europeans reunion Europe2 xEurope Europe",
           "Europeans reunion Europe2 xEurope [Europe]{1}");
    expect(m, "(Europe) \"Europe\" Europe's Europe’s Europe!",
           "([Europe]{1}) \"[Europe]{1}\" [Europe]{1}'s [Europe]{1}’s [Europe]{1}!");
    expect(m, "Europa Europeé éEurope", "Europa Europeé éEurope");
    pl_matcher_free(m);
}

static void test_identifiers_are_not_prose(void **state)
{
    static const term t[] = {{"local", 1, I}, {"conditions", 2, I}, {"json", 3, I},
                             {"case", 4, I},  {"foo", 5, I},        {"bar", 6, I}};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    expect(m, "local-conditions.json snake_case foo.bar",
           "local-conditions.json snake_case foo.bar");
    expect(m, "#foo @bar foo@ _case_ __case__ case_ foo.",
           "#foo @bar foo@ _[case]{4}_ __[case]{4}__ [case]{4}_ [foo]{5}.");
    expect(m, "foo--bar foo...bar foo - bar",
           "[foo]{5}--[bar]{6} [foo]{5}...[bar]{6} [foo]{5} - [bar]{6}");
    pl_matcher_free(m);
}

static void test_case_policy(void **state)
{
    static const term t[] = {{"One Optimization", 1, C},
                             {"new quality", 2, I},
                             {"iPhone", 3, X},
                             {"Belt and Road", 4, C},
                             {"One optimization plan", 5, C}};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    expect(
        m,
        "One Optimization; ONE OPTIMIZATION; one optimization; One optimization; oNE Optimization",
        "[One Optimization]{1}; [ONE OPTIMIZATION]{1}; one optimization; One optimization; oNE "
        "Optimization");
    expect(m, "New Quality, NEW QUALITY, new quality, nEw QuAlItY",
           "[New Quality]{2}, [NEW QUALITY]{2}, [new quality]{2}, [nEw QuAlItY]{2}");
    expect(m, "iPhone IPHONE iphone Iphone", "[iPhone]{3} IPHONE iphone Iphone");
    expect(m, "Belt and Road, Belt And Road, belt and road",
           "[Belt and Road]{4}, [Belt And Road]{4}, belt and road");
    expect(m, "One Optimization Plan", "[One Optimization Plan]{5}");
    pl_matcher_free(m);
}

static void test_policies_sharing_a_text(void **state)
{
    static const term t[] = {{"apple", 2, I}, {"Apple", 1, C}};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    expect(m, "Apple sells apple pie. APPLE", "[Apple]{1} sells [apple]{2} pie. [APPLE]{1}");
    pl_matcher_free(m);
}

static void test_variants(void **state)
{
    static const term t[] = {
        {"productive force", 1, I}, {"productive forces", 1, I}, {"high-quality development", 2, I},
        {"organization", 3, I},     {"organisation", 3, I},      {"China's economy", 4, I},
        {"“New Quality”", 5, I}};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    expect(m, "productive forces and a productive force",
           "[productive forces]{1} and a [productive force]{1}");
    expect(m, "high quality development, high-quality development, high‑quality development",
           "[high quality development]{2}, [high-quality development]{2}, [high‑quality "
           "development]{2}");
    expect(m, "organization organisation", "[organization]{3} [organisation]{3}");
    expect(m, "China’s economy, China's economy", "[China’s economy]{4}, [China's economy]{4}");
    expect(m, "the \"new quality\" and “new quality”",
           "the [\"new quality\"]{5} and [“new quality”]{5}");
    pl_matcher_free(m);
}

static void test_wrapped_terms(void **state)
{
    static const term t[] = {{"new quality productive forces", 1, I}, {"quality", 2, I}};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    expect(m, "the new quality\nproductive forces here",
           "the [new quality\nproductive forces]{1} here");
    expect(m, "the new  \t quality   \n   productive\tforces",
           "the [new  \t quality   \n   productive\tforces]{1}");
    expect(m, "new\nquality\nproductive\nforces", "[new\nquality\nproductive\nforces]{1}");
    expect(m, "the new quality\n\nproductive forces", "the new [quality]{2}\n\nproductive forces");
    expect(m, "the new quality\n \t\nproductive forces",
           "the new [quality]{2}\n \t\nproductive forces");
    expect(m, "> the new quality\n> productive forces",
           "> the [new quality\n> productive forces]{1}");
    expect(m, "> the new\nquality\n> productive forces",
           "> the [new\nquality\n> productive forces]{1}");
    expect(m, "new quality\n- productive forces", "new [quality]{2}\n- productive forces");
    pl_matcher_free(m);
}

static const term EUROPE[] = {{"Europe", 1, I}, {"Asia", 2, I}};

static void test_code_regions(void **state)
{
    pl_matcher *m = make(EUROPE, COUNT(EUROPE));
    (void)state;
    expect(m, "Europe\n```\nEurope\n```\nEurope", "[Europe]{1}\n```\nEurope\n```\n[Europe]{1}");
    expect(m, "~~~ lua title=\"Europe\"\nEurope\n```\nEurope\n~~~~\nAsia",
           "~~~ lua title=\"Europe\"\nEurope\n```\nEurope\n~~~~\n[Asia]{2}");
    expect(m, "````\nEurope\n```\nEurope\n````\nAsia",
           "````\nEurope\n```\nEurope\n````\n[Asia]{2}");
    expect(m, "```\nEurope", "```\nEurope");
    expect(m, "Asia\n\n    Europe code\n\nEurope", "[Asia]{2}\n\n    Europe code\n\n[Europe]{1}");
    expect(m, "Asia\n    Europe wraps", "[Asia]{2}\n    [Europe]{1} wraps");
    expect(m, "- item\n\n    Europe in the list", "- item\n\n    [Europe]{1} in the list");
    expect(m, "- item\n\nAsia\n\n    Europe code", "- item\n\n[Asia]{2}\n\n    Europe code");
    expect(m, "- Asia\n  ```\n  Europe\n  ```\n- Europe",
           "- [Asia]{2}\n  ```\n  Europe\n  ```\n- [Europe]{1}");
    expect(m, "a `Europe` b ``x ` Europe`` Europe", "a `Europe` b ``x ` Europe`` [Europe]{1}");
    expect(m, "a ``Europe` Europe", "a ``[Europe]{1}` [Europe]{1}");
    expect(m, "`code\nEurope` Asia", "`code\nEurope` [Asia]{2}");
    /* Paragraphs apart only by blank lines are scanned together; a code
     * span or a link still ends with its paragraph. */
    expect(m, "`Europe\n\nEurope` Asia", "`[Europe]{1}\n\n[Europe]{1}` [Asia]{2}");
    expect(m, "[Europe\n \t\r\nAsia](x)", "[[Europe]{1}\n \t\r\n[Asia]{2}](x)");
    expect(m, "\\`Europe\\`", "\\`[Europe]{1}\\`");
    pl_matcher_free(m);
}

static void test_urls_and_links(void **state)
{
    pl_matcher *m = make(EUROPE, COUNT(EUROPE));
    (void)state;
    expect(m, "<https://europe.eu/Europe> and <info@europe.eu> Europe",
           "<https://europe.eu/Europe> and <info@europe.eu> [Europe]{1}");
    expect(m, "see https://example.com/europe-asia/Europe. Europe",
           "see https://example.com/europe-asia/Europe. [Europe]{1}");
    expect(m, "see www.europe.eu/Asia, (http://x.org/Asia) Asia",
           "see www.europe.eu/Asia, (http://x.org/Asia) [Asia]{2}");
    expect(m, "mail europe@asia.org or Europe.Asia@x.com Asia",
           "mail europe@asia.org or Europe.Asia@x.com [Asia]{2}");
    expect(m, "[Europe](https://x/Asia) [Asia][ref] [Europe][] [Asia] Europe",
           "[Europe](https://x/Asia) [Asia][ref] [Europe][] [Asia] [Europe]{1}");
    expect(m, "[Europe](<a b> \"Asia\") Asia", "[Europe](<a b> \"Asia\") [Asia]{2}");
    expect(m, "![Europe](europe.png) [[Europe]] ![[Asia]] [[Europe|Asia]] Europe",
           "![Europe](europe.png) [[Europe]] ![[Asia]] [[Europe|Asia]] [Europe]{1}");
    expect(m, "[ref]: https://europe.eu \"Europe\"\n\nEurope",
           "[ref]: https://europe.eu \"Europe\"\n\n[Europe]{1}");
    expect(m, "Asia[^1].\n\n[^1]: Europe", "[Asia]{2}[^1].\n\n[^1]: [Europe]{1}");
    expect(m, "\\[Europe\\] Asia", "\\[[Europe]{1}\\] [Asia]{2}");
    pl_matcher_free(m);
}

static void test_html(void **state)
{
    pl_matcher *m = make(EUROPE, COUNT(EUROPE));
    (void)state;
    expect(m, "a <span title=\"Europe\">Europe</span> b",
           "a <span title=\"Europe\">[Europe]{1}</span> b");
    expect(m, "a <a href=\"x\">Europe</a> <code>Asia</code> <kbd>Europe</kbd> Asia",
           "a <a href=\"x\">Europe</a> <code>Asia</code> <kbd>Europe</kbd> [Asia]{2}");
    expect(m, "a <!-- Europe\nAsia --> Europe", "a <!-- Europe\nAsia --> [Europe]{1}");
    expect(m, "<!--\nEurope\n-->\nAsia", "<!--\nEurope\n-->\n[Asia]{2}");
    expect(m, "<div>\nEurope\n</div>\n\nAsia", "<div>\nEurope\n</div>\n\n[Asia]{2}");
    expect(m, "<script>\nvar Europe;\n\nEurope\n</script>\nAsia",
           "<script>\nvar Europe;\n\nEurope\n</script>\n[Asia]{2}");
    expect(m, "Tom &amp; Europe &Europe; &#69;", "Tom &amp; [Europe]{1} &Europe; &#69;");
    expect(m, "1 < 2 > Europe", "1 < 2 > [Europe]{1}");
    pl_matcher_free(m);
}

static void test_front_matter(void **state)
{
    pl_matcher *m = make(EUROPE, COUNT(EUROPE));
    (void)state;
    expect(m, "---\ntitle: Europe\n---\nEurope", "---\ntitle: Europe\n---\n[Europe]{1}");
    expect(m, "+++\ntitle = \"Europe\"\n+++\nEurope", "+++\ntitle = \"Europe\"\n+++\n[Europe]{1}");
    expect(m, "---\ntitle: Europe\n...\nEurope", "---\ntitle: Europe\n...\n[Europe]{1}");
    expect(m, "Asia\n\n---\nEurope\n---\n", "[Asia]{2}\n\n---\n[Europe]{1}\n---\n");
    expect(m, "\n---\nEurope", "\n---\n[Europe]{1}");
    pl_matcher_free(m);
}

static void test_headings(void **state)
{
    pl_match_options o = {0};
    pl_matcher *m = make(EUROPE, COUNT(EUROPE));
    (void)state;
    expect(m, "# Europe\n\nAsia\n## Asia ##", "# [Europe]{1}\n\n[Asia]{2}\n## [Asia]{2} ##");
    o.skip_headings = 1;
    expect_opts(m, &o, "# Europe\n\nAsia\n## Asia ##\nEurope\n======\n#Europe",
                "# Europe\n\n[Asia]{2}\n## Asia ##\nEurope\n======\n#Europe");
    expect_opts(m, &o, "Europe\nAsia\n---\nEurope", "Europe\nAsia\n---\n[Europe]{1}");
    pl_matcher_free(m);
}

static void test_escape(void **state)
{
    static const term t[] = {{"New Quality", 1, C}, {"Quality", 2, C}};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    expect(m, "a <!--no-link-->New Quality and New Quality",
           "a <!--no-link-->New Quality and [New Quality]{1}");
    expect(m, "a <!-- no-link --> New Quality.", "a <!-- no-link --> New Quality.");
    expect(m, "a <!-- other --> New Quality.", "a <!-- other --> [New Quality]{1}.");
    expect(m, "a <!-- no-link -->\n\nNew Quality", "a <!-- no-link -->\n\n[New Quality]{1}");
    pl_matcher_free(m);
}

static void test_once(void **state)
{
    static const term t[] = {{"Europe", 1, I}, {"Europes", 1, I}, {"Asia", 2, I}};
    pl_match_options o = {0};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    o.once = PL_MATCH_ONCE_PER_NOTE;
    expect_opts(m, &o, "Europes Asia Europe\n\n# Europe\n\nAsia Europe",
                "[Europes]{1} [Asia]{2} Europe\n\n# Europe\n\nAsia Europe");
    o.once = PL_MATCH_ONCE_PER_SECTION;
    expect_opts(m, &o, "Europes Asia Europe\n\n# Europe\n\nAsia Europe\n\nS\n===\nEurope",
                "[Europes]{1} [Asia]{2} Europe\n\n# [Europe]{1}\n\n[Asia]{2} "
                "Europe\n\nS\n===\n[Europe]{1}");
    o.skip_headings = 1;
    expect_opts(m, &o, "Europe\n\n# Europe\n\nEurope Europe",
                "[Europe]{1}\n\n# Europe\n\n[Europe]{1} Europe");
    pl_matcher_free(m);
}

static void test_min_length_and_exclusions(void **state)
{
    static const term t[] = {{"EU", 1, C}, {"European Union", 2, I}, {"Union", 3, I}};
    static const uint32_t ex[] = {2, 77};
    pl_match_options o = {0};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    o.min_length = 3;
    expect_opts(m, &o, "EU and European Union", "EU and [European Union]{2}");
    o.min_length = 14;
    expect_opts(m, &o, "EU and European Union", "EU and [European Union]{2}");
    o.min_length = 15;
    expect_opts(m, &o, "EU and European Union", "EU and European Union");
    o.min_length = 0;
    o.exclude_ids = ex;
    o.exclude_count = 2;
    expect_opts(m, &o, "EU and European Union", "[EU]{1} and European [Union]{3}");
    pl_matcher_free(m);
}

static void test_cjk(void **state)
{
    static const term t[] = {{"中国", 1, I}, {"新质生产力", 2, I}, {"生产", 3, I}, {"GDP", 4, C}};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    expect(m, "我们中国人民发展新质生产力。", "我们[中国]{1}人民发展[新质生产力]{2}。");
    expect(m, "生产和GDP增长", "[生产]{3}和[GDP]{4}增长");
    expect(m, "新质\n生产力", "[新质\n生产力]{2}");
    pl_matcher_free(m);
}

static void test_unicode_folding(void **state)
{
    static const term t[] = {{"Straße", 1, I}, {"café society", 2, I}, {"Élysée", 3, C}};
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    expect(m, "STRASSE, strasse and Straße", "[STRASSE]{1}, [strasse]{1} and [Straße]{1}");
    /* Decomposed é (e + U+0301) in the note. */
    expect(m, "Cafe\xCC\x81 Society, cafe\xCC\x81", "[Cafe\xCC\x81 Society]{2}, cafe\xCC\x81");
    expect(m, "ÉLYSÉE, Élysée, élysée", "[ÉLYSÉE]{3}, [Élysée]{3}, élysée");
    pl_matcher_free(m);
}

/* A word scan reads ASCII prose 64 bytes at a time and stops before a
 * byte from 0x80 up: a term whose second word runs on into one ("café")
 * is found wherever it falls against those blocks. */
static void test_words_meeting_non_ascii(void **state)
{
    static const term CAFE[] = {{"new café", 1, I}, {"café au lait", 2, I}, {"lait", 3, I}};
    pl_matcher *m = make(CAFE, COUNT(CAFE));
    (void)state;
    expect_at_offsets(m, 50,
                      "new café au lait, then "
                      "plain ascii words to fill a block or two",
                      "[new café]{1} au [lait]{3}, then "
                      "plain ascii words to fill a block or two");
    pl_matcher_free(m);
}

/* Words that run on into a letter from 0x80 up which folds to ASCII ("ſ"
 * folds to "s"): the ASCII bytes are not the whole word, so neither the
 * gate nor the filter on the words after it may judge by them. Each term
 * falls at 40 offsets against the 64-byte blocks. */
static void test_words_folding_to_ascii(void **state)
{
    static const term T[] = {
        {"alpha beta gammas", 1, I}, {"alpha betas", 2, I}, {"alpha beta delta", 3, I}};
    pl_matcher *m = make(T, COUNT(T));
    (void)state;
    expect_at_offsets(m, 40,
                      "alpha beta gammaſ and alpha betaſ gamma, "
                      "then plain ascii words to fill a block or two",
                      "[alpha beta gammaſ]{1} and [alpha betaſ]{2} gamma, "
                      "then plain ascii words to fill a block or two");
    pl_matcher_free(m);
}

/* A term whose first word in the note is not plain ASCII ("ſome" folds to
 * "some") or is followed by a no-break space: the scan leaves the word to
 * the walk, which steps it byte by byte and still finds the words after. */
static void test_first_words_not_ascii(void **state)
{
    static const term T[] = {
        {"some thing", 1, I}, {"some thing else", 2, I}, {"other thing", 3, I}};
    pl_matcher *m = make(T, COUNT(T));
    (void)state;
    expect_at_offsets(m, 30,
                      "ſome thing, ſome thing else, some\xC2\xA0thing else, other\xC2\xA0thing; "
                      "then plain ascii words to fill a block or two",
                      "[ſome thing]{1}, [ſome thing else]{2}, [some\xC2\xA0thing else]{2}, "
                      "[other\xC2\xA0thing]{3}; then plain ascii words to fill a block or two");
    pl_matcher_free(m);
}

static void test_invalid_utf8(void **state)
{
    static const term t[] = {{"Europe", 1, I}, {"Europe Asia", 2, I}};
    static const char note[] =
        "Europe\xFF Europe \xFF Asia \xC3 Europe\xE2\x80 Europe Asia\xF0\x9F";
    pl_matcher *m = make(t, COUNT(t));
    (void)state;
    expect(
        m, note,
        "[Europe]{1}\xFF [Europe]{1} \xFF Asia \xC3 [Europe]{1}\xE2\x80 [Europe Asia]{2}\xF0\x9F");
    expect(m, "\xFF\xFE\xFD", "\xFF\xFE\xFD");
    expect(m, "\xC3", "\xC3");
    pl_matcher_free(m);
}

static void test_small_glossaries(void **state)
{
    static const term one[] = {{"X", 1, C}, {"a", 2, I}};
    static const term dup[] = {
        {"Europe", 1, I}, {"Europe", 1, I}, {"europe", 1, I}, {"Europe", 2, I}};
    pl_error err;
    pl_matcher *m = pl_matcher_create(NULL, 0, &err);
    (void)state;
    assert_non_null(m);
    expect(m, "Europe Asia", "Europe Asia");
    expect(m, "", "");
    pl_matcher_free(m);
    m = make(one, COUNT(one));
    expect(m, "X marks a spot, x-ray, X.", "[X]{1} marks [a]{2} spot, x-ray, [X]{1}.");
    pl_matcher_free(m);
    m = make(dup, COUNT(dup));
    expect(m, "Europe", "[Europe]{1}");
    pl_matcher_free(m);
    pl_matcher_free(NULL);
}

static void test_bad_terms(void **state)
{
    pl_term_spec spec = {"  - ", 4, 7, PL_CASE_INSENSITIVE};
    pl_error err;
    (void)state;
    assert_null(pl_matcher_create(&spec, 1, &err));
    assert_int_equal(err.status, PL_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "term 0 (id 7) is empty");
    spec.text = "Eur\xFFope";
    spec.len = 7;
    assert_null(pl_matcher_create(&spec, 1, &err));
    assert_string_equal(err.message, "term 0 (id 7) is not valid UTF-8");
    spec.text = "Europe";
    spec.len = 6;
    spec.case_policy = (pl_case_policy)9;
    assert_null(pl_matcher_create(&spec, 1, &err));
    assert_string_equal(err.message, "term 0 (id 7) has an unknown case policy");
}

static void test_lines_and_columns(void **state)
{
    static const term t[] = {{"new quality", 1, I}, {"Europe", 2, I}};
    static const char note[] = "Title\n\nsome new\nquality here\n  Europe";
    pl_matcher *m = make(t, COUNT(t));
    pl_match_list list = PL_MATCH_LIST_INIT;
    pl_match_options o = {0};
    pl_md_state end;
    (void)state;
    o.want_line_states = 1;
    assert_int_equal(pl_matcher_match_lines(m, note, sizeof note - 1, 10, PL_MD_STATE_START, &o,
                                            &list, &end, NULL),
                     PL_OK);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].start, 12);
    assert_int_equal(list.items[0].end, 23);
    assert_int_equal(list.items[0].line, 12);
    assert_int_equal(list.items[0].col, 5);
    assert_int_equal(list.items[0].end_line, 13);
    assert_int_equal(list.items[0].end_col, 7);
    assert_int_equal(list.items[1].line, 14);
    assert_int_equal(list.items[1].col, 2);
    assert_int_equal(list.items[1].end_col, 8);
    assert_int_equal(list.line_state_count, 6);
    assert_int_equal(list.line_states[0], PL_MD_STATE_START);
    assert_true(pl_md_state_is_boundary(list.line_states[2]));
    assert_false(pl_md_state_is_boundary(list.line_states[3]));
    assert_int_equal(list.line_states[5], end);
    pl_match_list_free(&list);
    pl_matcher_free(m);
}

/* Lines and columns after blank lines (white space in them, and a CR):
 * the paragraphs around them are scanned together. */
static void test_lines_after_blank_lines(void **state)
{
    static const term t[] = {{"new quality", 1, I}, {"Europe", 2, I}};
    static const char note[] = "Europe\n\n \t\n\r\nsome new\nquality\n\n\n\n  Europe";
    static const size_t want[][6] = {
        {0, 6, 3, 0, 3, 6}, {18, 29, 7, 5, 8, 7}, {35, 41, 12, 2, 12, 8}};
    pl_matcher *m = make(t, COUNT(t));
    pl_match_list list = PL_MATCH_LIST_INIT;
    size_t i;
    (void)state;
    assert_int_equal(pl_matcher_match_lines(m, note, sizeof note - 1, 3, PL_MD_STATE_START, NULL,
                                            &list, NULL, NULL),
                     PL_OK);
    assert_int_equal(list.count, 3);
    for (i = 0; i < 3; i++) {
        assert_int_equal(list.items[i].start, want[i][0]);
        assert_int_equal(list.items[i].end, want[i][1]);
        assert_int_equal(list.items[i].line, want[i][2]);
        assert_int_equal(list.items[i].col, want[i][3]);
        assert_int_equal(list.items[i].end_line, want[i][4]);
        assert_int_equal(list.items[i].end_col, want[i][5]);
    }
    pl_match_list_free(&list);
    pl_matcher_free(m);
}

/* Many paragraphs: they are scanned together up to a length, then the
 * next ones start a new stretch (with its own line list). */
static void test_many_paragraphs(void **state)
{
    static const term t[] = {{"Europe", 2, I}};
    const size_t count = 20000; /* 200,000 bytes */
    char *note = malloc(10 * count + 1);
    pl_matcher *m = make(t, COUNT(t));
    pl_match_list list = PL_MATCH_LIST_INIT;
    size_t i;
    (void)state;
    assert_non_null(note);
    for (i = 0; i < count; i++)
        memcpy(note + 10 * i, i % 3 ? "x Europe\n\n" : "Europe x\n\n", 10);
    assert_int_equal(
        pl_matcher_match_lines(m, note, 10 * count, 5, PL_MD_STATE_START, NULL, &list, NULL, NULL),
        PL_OK);
    assert_int_equal(list.count, count);
    for (i = 0; i < count; i++) {
        size_t col = i % 3 ? 2 : 0;
        assert_int_equal(list.items[i].start, 10 * i + col);
        assert_int_equal(list.items[i].line, 5 + 2 * i);
        assert_int_equal(list.items[i].col, col);
        assert_int_equal(list.items[i].end_line, 5 + 2 * i);
        assert_int_equal(list.items[i].end_col, col + 6);
    }
    pl_match_list_free(&list);
    pl_matcher_free(m);
    free(note);
}

/* How many allocations matching text takes (the first that succeeds
 * when the n-th fails). */
static long allocations_for(const pl_matcher *m, const char *text, size_t len)
{
    long n;
    for (n = 0; n < 1000; n++) {
        pl_match_list list = PL_MATCH_LIST_INIT;
        pl_status st;
        pl_alloc_fail_after(n);
        st = pl_matcher_match(m, text, len, NULL, &list, NULL);
        pl_alloc_fail_after(-1);
        pl_match_list_free(&list);
        if (st == PL_OK)
            return n;
    }
    return -1;
}

/* Blank lines between two paragraphs take no memory per line: a long run
 * of them ends the stretch. */
static void test_long_blank_runs(void **state)
{
    static const term t[] = {{"Europe", 2, I}};
    const size_t blank = 1000000;
    char *note = malloc(blank + 16);
    pl_matcher *m = make(t, COUNT(t));
    long few;
    (void)state;
    assert_non_null(note);
    memcpy(note, "Europe\n\n\nEurope", 16);
    few = allocations_for(m, note, 16);
    assert_true(few > 0);
    memcpy(note, "Europe\n", 7);
    memset(note + 7, '\n', blank);
    memcpy(note + 7 + blank, "Europe\n", 7);
    assert_int_equal(allocations_for(m, note, blank + 14), few);
    pl_matcher_free(m);
    free(note);
}

static void test_incremental_fence_state(void **state)
{
    pl_matcher *m = make(EUROPE, COUNT(EUROPE));
    pl_match_list list = PL_MATCH_LIST_INIT;
    pl_md_state st, inside;
    (void)state;
    assert_int_equal(pl_matcher_match_lines(m, "Asia\n~~~~ sh\n", 13, 0, PL_MD_STATE_START, NULL,
                                            &list, &inside, NULL),
                     PL_OK);
    assert_int_equal(list.count, 1);
    pl_match_list_reset(&list);
    /* A shorter or different fence does not close it. */
    assert_int_equal(
        pl_matcher_match_lines(m, "Europe\n~~~\n```\n", 15, 2, inside, NULL, &list, &st, NULL),
        PL_OK);
    assert_int_equal(list.count, 0);
    assert_int_equal(st, inside);
    assert_int_equal(
        pl_matcher_match_lines(m, "~~~~~\nEurope\n", 13, 5, st, NULL, &list, &st, NULL), PL_OK);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0].line, 6);
    assert_int_equal(list.items[0].start, 6);
    pl_match_list_free(&list);
    pl_matcher_free(m);
}

/* ---- Random notes ---- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void put(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        assert_non_null(t->data);
    }
    memcpy(t->data + t->len, s, n + 1);
    t->len += n;
}

static const char *const WORDS[] = {"euro", "europe",  "European", "union",   "Union",  "reunion",
                                    "new",  "New",     "quality",  "QUALITY", "forces", "café",
                                    "CAFÉ", "china’s", "China's",  "a",       "the",    "of"};

static void random_word(text *t)
{
    put(t, WORDS[rnd(COUNT(WORDS))]);
}

/* A line of prose with inline Markdown now and then. */
static void random_prose(text *t)
{
    static const char *const SEPS[] = {" ", " ", " ", "  ", "\t", "-", " - ", ", ", ". ", "_"};
    static const char *const INLINE[] = {"`",          "`europe`",        "[union](x)",     "<b>",
                                         "<!-- a -->", "http://e.eu/new", "<!--no-link-->", "*"};
    int k, words = 1 + (int)rnd(8);
    random_word(t);
    for (k = 1; k < words; k++) {
        put(t, SEPS[rnd(COUNT(SEPS))]);
        if (rnd(8) == 0) {
            put(t, INLINE[rnd(COUNT(INLINE))]);
            put(t, " ");
        }
        random_word(t);
    }
}

static void random_line(text *t)
{
    static const char *const BLOCKS[] = {"",    "",    "```", "~~~~ lua", "````",          "# ",
                                         "> ",  "- ",  "1. ", "    ",     "---",           "<!--",
                                         "-->", "===", "+++", "<div>",    "[r]: http://x", "  "};
    uint32_t r = rnd(10);
    if (r < 5) {
        random_prose(t);
    } else if (r < 9) {
        const char *b = BLOCKS[rnd(COUNT(BLOCKS))];
        put(t, b);
        if (b[0] == '#' || b[0] == '>' || b[0] == ' ' || (b[0] >= '0' && b[0] <= '9') ||
            (b[0] == '-' && b[1] == ' '))
            random_prose(t);
    }
    put(t, "\n");
}

static text random_note(size_t lines)
{
    text t = {NULL, 0, 0};
    size_t k;
    put(&t, "");
    if (rnd(4) == 0)
        put(&t, rnd(2) ? "---\ntitle: europe\n---\n" : "+++\n");
    for (k = 0; k < lines; k++)
        random_line(&t);
    if (t.len && rnd(3) == 0)
        t.data[--t.len] = '\0';
    return t;
}

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

static const term RANDOM_TERMS[] = {{"europe", 1, I},
                                    {"European Union", 2, C},
                                    {"union", 3, I},
                                    {"new quality", 4, I},
                                    {"New Quality forces", 5, C},
                                    {"café", 6, I},
                                    {"China's", 7, X},
                                    {"euro", 8, I},
                                    {"quality", 9, I},
                                    {"a", 10, I},
                                    {"of the", 11, I}};

static void assert_same_matches(const pl_match_list *a, const pl_match_list *b)
{
    size_t i;
    assert_int_equal(a->count, b->count);
    for (i = 0; i < a->count; i++) {
        assert_int_equal(a->items[i].start, b->items[i].start);
        assert_int_equal(a->items[i].end, b->items[i].end);
        assert_int_equal(a->items[i].id, b->items[i].id);
        assert_int_equal(a->items[i].line, b->items[i].line);
        assert_int_equal(a->items[i].col, b->items[i].col);
        assert_int_equal(a->items[i].end_line, b->items[i].end_line);
        assert_int_equal(a->items[i].end_col, b->items[i].end_col);
    }
}

/* An editor's re-match after replacing lines [e0, e1) of old with fresh
 * lines: from the boundary line before the edit, chunk by chunk to boundary
 * lines of the old note, until the state agrees with the stored one; then
 * the stored matches around it are spliced in. */
static void editor_rematch(const pl_matcher *m, const text *old, const pl_match_list *old_res,
                           const text *new_text, size_t e0, size_t e1, size_t added,
                           pl_match_list *spliced)
{
    const pl_md_state *os = old_res->line_states;
    size_t old_lines = old_res->line_state_count - 1, a = e0, i;
    size_t new_lines = old_lines - (e1 - e0) + added;
    long shift = (long)added - (long)(e1 - e0);
    pl_match_list chunk = PL_MATCH_LIST_INIT;
    pl_md_state st;
    size_t start, b, a_off_old, a_off_new, b_off_new, b_off_old;
    long byte_shift;

    while (a > 0 && !pl_md_state_is_boundary(os[a]))
        a--;
    start = a;
    st = os[a];
    b = e0 + added;
    for (;;) {
        pl_md_state end;
        size_t s_off, e_off;
        /* Next old boundary line at or after b (new numbering). */
        while (b < new_lines && !pl_md_state_is_boundary(os[(long)b - shift]))
            b++;
        if (b < start + 1 && b < new_lines)
            b++;
        s_off = line_offset(new_text->data, new_text->len, start);
        e_off = line_offset(new_text->data, new_text->len, b);
        pl_match_list_reset(&chunk);
        assert_int_equal(pl_matcher_match_lines(m, new_text->data + s_off, e_off - s_off, start, st,
                                                NULL, &chunk, &end, NULL),
                         PL_OK);
        if (b >= new_lines || end == os[(long)b - shift])
            break;
        if (pl_md_state_is_boundary(end)) {
            /* Keep this chunk's matches and go on from its end. */
            for (i = 0; i < chunk.count; i++) {
                pl_match mt = chunk.items[i];
                mt.start += s_off;
                mt.end += s_off;
                assert_int_equal(
                    pl_grow((void **)&spliced->items, &spliced->cap, spliced->count + 1, sizeof mt),
                    0);
                spliced->items[spliced->count++] = mt;
            }
            start = b;
            st = end;
        }
        b++;
    }
    /* Splice: stored matches before a, what was collected, then this chunk, then
     * the stored matches after b, moved. */
    a_off_old = line_offset(old->data, old->len, a);
    a_off_new = line_offset(new_text->data, new_text->len, a);
    b_off_new = line_offset(new_text->data, new_text->len, b);
    b_off_old = line_offset(old->data, old->len, (size_t)((long)b - shift));
    byte_shift = (long)b_off_new - (long)b_off_old;
    {
        pl_match_list out = PL_MATCH_LIST_INIT;
        size_t s_off = line_offset(new_text->data, new_text->len, start);
        assert_int_equal(a_off_old, a_off_new);
        for (i = 0; i < old_res->count && old_res->items[i].start < a_off_old; i++) {
            assert_int_equal(
                pl_grow((void **)&out.items, &out.cap, out.count + 1, sizeof(pl_match)), 0);
            out.items[out.count++] = old_res->items[i];
        }
        for (i = 0; i < spliced->count; i++) {
            assert_int_equal(
                pl_grow((void **)&out.items, &out.cap, out.count + 1, sizeof(pl_match)), 0);
            out.items[out.count++] = spliced->items[i];
        }
        for (i = 0; i < chunk.count; i++) {
            pl_match mt = chunk.items[i];
            mt.start += s_off;
            mt.end += s_off;
            assert_int_equal(pl_grow((void **)&out.items, &out.cap, out.count + 1, sizeof mt), 0);
            out.items[out.count++] = mt;
        }
        for (i = 0; i < old_res->count; i++) {
            pl_match mt = old_res->items[i];
            if (mt.start < b_off_old)
                continue;
            mt.start = (size_t)((long)mt.start + byte_shift);
            mt.end = (size_t)((long)mt.end + byte_shift);
            mt.line = (size_t)((long)mt.line + shift);
            mt.end_line = (size_t)((long)mt.end_line + shift);
            assert_int_equal(pl_grow((void **)&out.items, &out.cap, out.count + 1, sizeof mt), 0);
            out.items[out.count++] = mt;
        }
        pl_match_list_free(spliced);
        *spliced = out;
    }
    pl_match_list_free(&chunk);
}

static void test_incremental_equals_full(void **state)
{
    pl_matcher *m = make(RANDOM_TERMS, COUNT(RANDOM_TERMS));
    pl_match_options o = {0};
    int round;
    (void)state;
    rng_state = 0x9E3779B97F4A7C15u;
    o.want_line_states = 1;
    for (round = 0; round < 400; round++) {
        text old = random_note(2 + rnd(30)), fresh = {NULL, 0, 0}, ins = {NULL, 0, 0};
        pl_match_list old_res = PL_MATCH_LIST_INIT, new_res = PL_MATCH_LIST_INIT;
        pl_match_list spliced = PL_MATCH_LIST_INIT;
        size_t lines, e0, e1, added, k, o0, o1;
        assert_int_equal(pl_matcher_match(m, old.data, old.len, &o, &old_res, NULL), PL_OK);
        lines = old_res.line_state_count - 1;
        /* Whole lines only: make the note end with a line break. */
        if (old.len && old.data[old.len - 1] != '\n')
            put(&old, "\n");
        pl_match_list_free(&old_res);
        assert_int_equal(pl_matcher_match(m, old.data, old.len, &o, &old_res, NULL), PL_OK);
        lines = old_res.line_state_count - 1;
        e0 = rnd((uint32_t)lines + 1);
        e1 = e0 + rnd((uint32_t)(lines - e0) + 1);
        added = rnd(4);
        put(&ins, "");
        for (k = 0; k < added; k++)
            random_line(&ins);
        o0 = line_offset(old.data, old.len, e0);
        o1 = line_offset(old.data, old.len, e1);
        put(&fresh, "");
        fresh.data[0] = '\0';
        {
            char *tmp = malloc(o0 + 1);
            memcpy(tmp, old.data, o0);
            tmp[o0] = '\0';
            put(&fresh, tmp);
            free(tmp);
        }
        put(&fresh, ins.data);
        put(&fresh, old.data + o1);
        assert_int_equal(pl_matcher_match(m, fresh.data, fresh.len, &o, &new_res, NULL), PL_OK);
        editor_rematch(m, &old, &old_res, &fresh, e0, e1, added, &spliced);
        assert_same_matches(&spliced, &new_res);
        pl_match_list_free(&spliced);
        pl_match_list_free(&old_res);
        pl_match_list_free(&new_res);
        free(old.data);
        free(fresh.data);
        free(ins.data);
    }
    pl_matcher_free(m);
}

/* Any split at boundary lines, with the states handed on, gives the full
 * result. */
static void test_chunks_equal_full(void **state)
{
    pl_matcher *m = make(RANDOM_TERMS, COUNT(RANDOM_TERMS));
    pl_match_options o = {0};
    int round;
    (void)state;
    rng_state = 12345;
    o.want_line_states = 1;
    for (round = 0; round < 300; round++) {
        text t = random_note(1 + rnd(40));
        pl_match_list full = PL_MATCH_LIST_INIT, parts = PL_MATCH_LIST_INIT;
        pl_md_state st = PL_MD_STATE_START;
        size_t lines, line = 0;
        assert_int_equal(pl_matcher_match(m, t.data, t.len, &o, &full, NULL), PL_OK);
        lines = full.line_state_count - 1;
        while (line < lines) {
            size_t next = line + 1 + rnd(6), off, end;
            size_t before = parts.count, i;
            while (next < lines && !pl_md_state_is_boundary(full.line_states[next]))
                next++;
            if (next > lines)
                next = lines;
            off = line_offset(t.data, t.len, line);
            end = next >= lines ? t.len : line_offset(t.data, t.len, next);
            assert_int_equal(full.line_states[line], st);
            assert_int_equal(pl_matcher_match_lines(m, t.data + off, end - off, line, st, NULL,
                                                    &parts, &st, NULL),
                             PL_OK);
            for (i = before; i < parts.count; i++) {
                parts.items[i].start += off;
                parts.items[i].end += off;
            }
            line = next;
        }
        assert_int_equal(st, full.line_states[lines]);
        assert_same_matches(&parts, &full);
        pl_match_list_free(&full);
        pl_match_list_free(&parts);
        free(t.data);
    }
    pl_matcher_free(m);
}

/* Arbitrary bytes, Markdown punctuation among them: no crash, and every
 * result is in bounds, ordered, non-overlapping, with consistent lines. */
static void test_random_bytes(void **state)
{
    static const char *const PIECES[] = {
        "`",       "``",   "```\n",    "~~~\n",     "<",     ">",     "[",       "]",
        "(",       ")",    "!",        "<!--",      "-->",   "&",     ";",       "@",
        ":",       "//",   ".",        "-",         "_",     "\\",    "#",       "\n",
        "\n\n",    " ",    "\t",       "    ",      "---\n", "+++\n", "*",       "www.",
        "http://", "<a>",  "</a>",     "europe",    "Union", "new",   "quality", "中国",
        "\xC3",    "\xFF", "\xE2\x80", "e\xCC\x81", "’",     "|"};
    pl_matcher *m = make(RANDOM_TERMS, COUNT(RANDOM_TERMS));
    int round;
    (void)state;
    rng_state = 4242;
    for (round = 0; round < 3000; round++) {
        text t = {NULL, 0, 0};
        pl_match_list list = PL_MATCH_LIST_INIT, portable = PL_MATCH_LIST_INIT;
        pl_match_options o = {0};
        size_t k, pieces = rnd(60), prev_end = 0;
        put(&t, "");
        for (k = 0; k < pieces; k++) {
            if (rnd(10) == 0) {
                char b[2] = {(char)(1 + rnd(255)), 0};
                put(&t, b);
            } else {
                put(&t, PIECES[rnd(COUNT(PIECES))]);
            }
        }
        o.once = (pl_match_once)rnd(3);
        o.skip_headings = (int)rnd(2);
        o.want_line_states = 1;
        assert_int_equal(pl_matcher_match(m, t.data, t.len, &o, &list, NULL), PL_OK);
        o.portable_scan = 1;
        assert_int_equal(pl_matcher_match(m, t.data, t.len, &o, &portable, NULL), PL_OK);
        assert_int_equal(portable.count, list.count);
        for (k = 0; k < list.count; k++) {
            const pl_match *a = &portable.items[k], *b = &list.items[k];
            assert_true(a->start == b->start && a->end == b->end && a->id == b->id);
            assert_true(a->line == b->line && a->col == b->col && a->end_line == b->end_line &&
                        a->end_col == b->end_col);
        }
        for (k = 0; k < list.count; k++) {
            const pl_match *mt = &list.items[k];
            size_t i, line = 0, col = 0;
            assert_true(mt->start >= prev_end && mt->end > mt->start && mt->end <= t.len);
            for (i = 0; i < mt->start; i++) {
                col = t.data[i] == '\n' ? 0 : col + 1;
                line += t.data[i] == '\n';
            }
            assert_int_equal(mt->line, line);
            assert_int_equal(mt->col, col);
            prev_end = mt->end;
        }
        pl_match_list_free(&list);
        pl_match_list_free(&portable);
        free(t.data);
    }
    pl_matcher_free(m);
}

/* Inputs built to make naive scanners quadratic: each search is bounded and
 * a paragraph has a work budget, so these finish at once. */
static void test_pathological_input(void **state)
{
    static const char *const UNITS[] = {"[",  "(",  "<a \"", "`",      "<!--",    "<?",
                                        "a@", "[[", "![",    "<code>", "europe ", "x://"};
    pl_matcher *m = make(RANDOM_TERMS, COUNT(RANDOM_TERMS));
    size_t u;
    (void)state;
    for (u = 0; u < COUNT(UNITS); u++) {
        size_t len = strlen(UNITS[u]), n = 200000 / len, k;
        char *note = malloc(n * len + 16);
        pl_match_list list = PL_MATCH_LIST_INIT;
        assert_non_null(note);
        for (k = 0; k < n; k++)
            memcpy(note + k * len, UNITS[u], len);
        memcpy(note + n * len, " europe", 8);
        assert_int_equal(pl_matcher_match(m, note, n * len + 7, NULL, &list, NULL), PL_OK);
        pl_match_list_free(&list);
        free(note);
    }
    pl_matcher_free(m);
}

/* ---- A naive reference: every spec tried at every word start ---- */

/* Notes for the reference: words, separators and a little punctuation, no
 * Markdown, so paragraphs (split at blank lines) are all there is. */
static const char *const REF_WORDS[] = {"eu", "euro", "europe", "europes", "european", "union",
                                        "re", "new", "quality", "café", "china's", "china’s", "x",
                                        "of", "one", "g7", "internationalisation",
                                        /* the same length and first 8 bytes as the one before */
                                        "internationalization"};

static void ref_note(text *t)
{
    static const char *const SEPS[] = {" ",    " ",  " ",  "  ", "\t", "-", " - ", "\n",
                                       "\n\n", ", ", ". ", ".",  "_",  "'", "--",  " \n "};
    /* Up to 160 words: several 64-byte blocks, so words meet block edges. */
    int k, words = 1 + (int)rnd(rnd(4) ? 40 : 160);
    put(t, "");
    for (k = 0; k < words; k++) {
        const char *w = REF_WORDS[rnd(COUNT(REF_WORDS))];
        char buf[32];
        size_t i = 0, r = rnd(4);
        /* lower, Title, UPPER or exotic case */
        for (; w[i]; i++) {
            char ch = w[i];
            if ((r == 1 && i == 0) || r == 2 || (r == 3 && rnd(2)))
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
            put(t, SEPS[rnd(COUNT(SEPS))]);
        put(t, buf);
    }
}

#define REF_CHECK(cond) assert_true(cond)
#include "match_reference.h"

static int ascii_only(const char *w)
{
    for (; *w; w++)
        if ((unsigned char)*w >= 0x80)
            return 0;
    return 1;
}

/* Long ASCII paragraphs: more words than one batch of the word scan, so
 * batches meet inside paragraphs; mostly single spaces, a comma or a period
 * now and then. */
static void ref_note_long(text *t)
{
    static const char *const SEPS[] = {" ", " ", " ", " ", " ", " ", ", ", ". ", "  ", "\n"};
    int k, words = 200 + (int)rnd(500);
    put(t, "");
    for (k = 0; k < words; k++) {
        const char *w;
        do
            w = REF_WORDS[rnd(COUNT(REF_WORDS))];
        while (!ascii_only(w));
        if (k)
            put(t, SEPS[rnd(COUNT(SEPS))]);
        put(t, w);
    }
}

/* A short note whose words fall on the edges the word scan cares about: a
 * random pair of words placed so that it crosses or touches byte 64 or 128
 * (block edges), followed by a byte from 0x80 up, punctuation or nothing, and
 * the note ending within 8 bytes of it (the last words' heads). */
static void ref_note_edges(text *t)
{
    static const char *const AFTER[] = {"",   " ",  ".",   "\xC3\xA9", "\xE2\x80\x99s",
                                        "\n", "-x", " of", ", "};
    size_t at = (rnd(2) ? 64 : 128) - 12 + rnd(24), tail = rnd(12), k;
    put(t, "");
    while (t->len + 3 <= at)
        put(t, rnd(2) ? "eu " : "x ");
    while (t->len < at)
        put(t, "x");
    if (t->len)
        put(t, " ");
    put(t, REF_WORDS[rnd(COUNT(REF_WORDS))]);
    put(t, rnd(4) ? " " : "-");
    put(t, REF_WORDS[rnd(COUNT(REF_WORDS))]);
    put(t, AFTER[rnd(COUNT(AFTER))]);
    for (k = 0; k < tail; k++)
        put(t, rnd(3) ? " " : "x");
}

/* Rounds of random glossaries against notes from make_note: the automaton,
 * with each word scan (AVX-512 where the processor has it, and portable),
 * gives what the reference gives. */
static void against_reference(int rounds, void (*make_note)(text *))
{
    int round;
    for (round = 0; round < rounds; round++) {
        pl_term_spec specs[12];
        ref_spec refs[12];
        char texts[12][128];
        size_t nspecs = 1 + rnd(12), k, i;
        pl_matcher *m;
        text note = {NULL, 0, 0};
        pl_match_list got = PL_MATCH_LIST_INIT, want = PL_MATCH_LIST_INIT;
        pl_match_options o = {0};
        pl_error err;
        for (k = 0; k < nspecs; k++) {
            size_t words = 1 + rnd(3);
            uint32_t r = rnd(3);
            texts[k][0] = '\0';
            for (i = 0; i < words; i++) {
                const char *word = REF_WORDS[rnd(COUNT(REF_WORDS))];
                if (i)
                    strcat(texts[k], rnd(3) ? " " : "-");
                strcat(texts[k], word);
                if (r && rnd(2) && texts[k][strlen(texts[k]) - strlen(word)] >= 'a')
                    texts[k][strlen(texts[k]) - strlen(word)] -= 32;
            }
            ref_normalize(texts[k], 0, strlen(texts[k]), 1, refs[k].key);
            ref_normalize(texts[k], 0, strlen(texts[k]), 0, refs[k].disp);
            refs[k].id = rnd(6);
            refs[k].policy = r == 0   ? PL_CASE_INSENSITIVE
                             : r == 1 ? PL_CASE_CAPITALIZED
                                      : PL_CASE_EXACT;
            refs[k].rank = r == 0 ? 2 : r == 1 ? 1 : 0;
            refs[k].index = k;
            refs[k].ignored = 0;
            specs[k].text = texts[k];
            specs[k].len = strlen(texts[k]);
            specs[k].id = refs[k].id;
            specs[k].case_policy = refs[k].policy;
        }
        m = pl_matcher_create(specs, nspecs, &err);
        assert_non_null(m);
        make_note(&note);
        ref_scan(refs, nspecs, note.data, note.len, &want);
        for (o.portable_scan = 0; o.portable_scan < 2; o.portable_scan++) {
            pl_match_list_reset(&got);
            assert_int_equal(pl_matcher_match(m, note.data, note.len, &o, &got, NULL), PL_OK);
            for (i = 0; i <= got.count && i <= want.count; i++) {
                if (i == got.count || i == want.count ? got.count != want.count
                                                      : got.items[i].start != want.items[i].start ||
                                                            got.items[i].end != want.items[i].end ||
                                                            got.items[i].id != want.items[i].id) {
                    char *g = render(note.data, &got), *w = render(note.data, &want);
                    for (k = 0; k < nspecs; k++)
                        print_message("spec %zu: \"%s\" id %u policy %d\n", k, texts[k],
                                      (unsigned)refs[k].id, (int)refs[k].policy);
                    fail_msg("round %d, %s scan\n note: %s\n  got: %s\n want: %s", round,
                             o.portable_scan ? "portable" : pl_matcher_scan_name(m), note.data, g,
                             w);
                }
            }
        }
        pl_match_list_free(&got);
        pl_match_list_free(&want);
        pl_matcher_free(m);
        free(note.data);
    }
}

static void test_against_reference(void **state)
{
    (void)state;
    rng_state = 777;
    against_reference(2000, ref_note);
}

static void test_long_paragraphs_against_reference(void **state)
{
    (void)state;
    rng_state = 4711;
    against_reference(300, ref_note_long);
}

static void test_block_edges_against_reference(void **state)
{
    (void)state;
    rng_state = 99;
    against_reference(3000, ref_note_edges);
}

/* ---- Allocation failures ---- */

static void test_allocation_failures(void **state)
{
    static const char note[] = "---\nx: 1\n---\n# European Union\n\nThe European Union and "
                               "<!--no-link-->Europe, `Europe` [x](y) www.e.eu a@b.cd\nEurope "
                               "new\nquality.\n\n```\nEurope\n```\n";
    pl_term_spec specs[5];
    pl_match_options o = {0};
    static const uint32_t ex[] = {3};
    size_t i;
    long n;
    (void)state;
    for (i = 0; i < COUNT(EU); i++) {
        specs[i].text = EU[i].text;
        specs[i].len = strlen(EU[i].text);
        specs[i].id = EU[i].id;
        specs[i].case_policy = EU[i].policy;
    }
    specs[4] = (pl_term_spec){"New Quality", 11, 9, PL_CASE_CAPITALIZED};
    for (n = 0; n < 1000; n++) {
        pl_error err;
        pl_matcher *m;
        pl_alloc_fail_after(n);
        m = pl_matcher_create(specs, 5, &err);
        pl_alloc_fail_after(-1);
        if (m) {
            pl_matcher_free(m);
            break;
        }
        assert_int_equal(err.status, PL_ERR_NOMEM);
        assert_string_equal(err.message, "out of memory");
    }
    assert_true(n < 1000);
    o.once = PL_MATCH_ONCE_PER_SECTION;
    o.exclude_ids = ex;
    o.exclude_count = 1;
    o.want_line_states = 1;
    {
        pl_matcher *m = pl_matcher_create(specs, 5, NULL);
        assert_non_null(m);
        for (n = 0; n < 1000; n++) {
            pl_match_list list = PL_MATCH_LIST_INIT;
            pl_error err;
            pl_status st;
            pl_alloc_fail_after(n);
            st = pl_matcher_match(m, note, sizeof note - 1, &o, &list, &err);
            pl_alloc_fail_after(-1);
            if (st == PL_OK) {
                /* The heading's "European Union" (once per section) and the
                 * last "Europe" (the first is escaped). */
                assert_int_equal(list.count, 2);
                assert_int_equal(list.items[1].start, 108);
                pl_match_list_free(&list);
                break;
            }
            assert_int_equal(st, PL_ERR_NOMEM);
            assert_int_equal(list.count, 0);
            pl_match_list_free(&list);
        }
        assert_true(n < 1000);
        pl_matcher_free(m);
    }
}

static void test_bad_arguments(void **state)
{
    pl_matcher *m = make(EUROPE, COUNT(EUROPE));
    pl_match_list list = PL_MATCH_LIST_INIT;
    pl_error err;
    (void)state;
    assert_int_equal(pl_matcher_match(NULL, "x", 1, NULL, &list, &err), PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_matcher_match(m, NULL, 1, NULL, &list, &err), PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_matcher_match(m, NULL, 0, NULL, &list, &err), PL_OK);
    assert_int_equal(pl_matcher_match(m, "x", 1, NULL, NULL, &err), PL_ERR_INVALID_ARGUMENT);
    assert_true(pl_matcher_memory(m) > 0);
    assert_int_equal(pl_matcher_memory(NULL), 0);
    pl_match_list_free(&list);
    pl_match_list_free(NULL);
    pl_matcher_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_longest_wins),
        cmocka_unit_test(test_longest_wins_in_long_prose),
        cmocka_unit_test(test_pairs_across_separators),
        cmocka_unit_test(test_pairs_at_the_end_of_a_batch),
        cmocka_unit_test(test_no_partial_words),
        cmocka_unit_test(test_identifiers_are_not_prose),
        cmocka_unit_test(test_case_policy),
        cmocka_unit_test(test_policies_sharing_a_text),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_wrapped_terms),
        cmocka_unit_test(test_code_regions),
        cmocka_unit_test(test_urls_and_links),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_front_matter),
        cmocka_unit_test(test_headings),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_once),
        cmocka_unit_test(test_min_length_and_exclusions),
        cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_unicode_folding),
        cmocka_unit_test(test_words_meeting_non_ascii),
        cmocka_unit_test(test_words_folding_to_ascii),
        cmocka_unit_test(test_first_words_not_ascii),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_small_glossaries),
        cmocka_unit_test(test_bad_terms),
        cmocka_unit_test(test_lines_and_columns),
        cmocka_unit_test(test_lines_after_blank_lines),
        cmocka_unit_test(test_many_paragraphs),
        cmocka_unit_test(test_long_blank_runs),
        cmocka_unit_test(test_incremental_fence_state),
        cmocka_unit_test(test_incremental_equals_full),
        cmocka_unit_test(test_chunks_equal_full),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_pathological_input),
        cmocka_unit_test(test_against_reference),
        cmocka_unit_test(test_long_paragraphs_against_reference),
        cmocka_unit_test(test_block_edges_against_reference),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
