/* Tests of the text engine's pipeline (src/document.c): bad input, metadata,
 * paragraphs and sentence offsets on the bundled article. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "document.h"

static void assert_refused(const char *input, size_t len, pl_status status, const char *message)
{
    pl_error err;
    pl_document *doc = pl_document_create(input, len, NULL, &err);
    assert_null(doc);
    assert_int_equal(err.status, status);
    assert_string_equal(err.message, message);
}

static void test_empty_input(void **state)
{
    (void)state;
    assert_refused("", 0, PL_ERR_EMPTY, "input is empty");
    assert_refused(" \n\t \n", 5, PL_ERR_EMPTY, "input has only white space");
}

static void test_nul_bytes_refused(void **state)
{
    (void)state;
    assert_refused("abc\0def", 7, PL_ERR_BINARY, "binary data: NUL byte at offset 3");
}

static void test_invalid_utf8_replaced(void **state)
{
    static const char input[] = "The plan \xff\xfe worked well for every region in the country. "
                                "It was renewed.";
    pl_error err;
    pl_document *doc = pl_document_create(input, sizeof input - 1, NULL, &err);
    (void)state;
    assert_non_null(doc);
    assert_int_equal(doc->replaced_bytes, 2);
    assert_string_equal(doc->text, "The plan \xEF\xBF\xBD\xEF\xBF\xBD worked well for every region "
                                   "in the country. It was renewed.");
    assert_int_equal(doc->sentence_count, 2);
    pl_document_free(doc);
}

static void test_nfc_normalized(void **state)
{
    static const char input[] = "Cafe\xCC\x81 owners in the old town welcomed the new rules on "
                                "opening hours.";
    pl_error err;
    pl_document *doc = pl_document_create(input, sizeof input - 1, NULL, &err);
    (void)state;
    assert_non_null(doc);
    assert_memory_equal(doc->text, "Caf\xC3\xA9 owners", 12);
    pl_document_free(doc);
}

static void test_bundled_article(void **state)
{
    size_t len, i;
    char *input = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    pl_error err;
    pl_document *doc = pl_document_create(input, len, NULL, &err);
    (void)state;
    assert_non_null(doc);
    assert_int_equal(doc->format, PL_FORMAT_TEXT);
    assert_string_equal(doc->title, "Bolster the systems and mechanisms for developing new quality "
                                    "productive forces in accordance with local conditions");
    assert_string_equal(doc->date, "2024-07-22");
    assert_string_equal(doc->source, "Touch Shanghai");
    assert_string_equal(doc->author, "Tang Yunyi, the Deputy Director of the Institute of Applied "
                                     "Economics of the Shanghai Academy of Social Sciences");
    assert_int_equal(doc->paragraph_count, 6);
    assert_null(strstr(doc->text, "Sign in"));
    assert_null(strstr(doc->text, "Processing"));
    assert_null(strstr(doc->text, "The author is"));
    /* Sentences tile each paragraph in order, within its bounds. */
    for (i = 0; i < doc->sentence_count; i++) {
        const pl_sentence *s = &doc->sentences[i];
        const pl_paragraph *p = &doc->paragraphs[s->paragraph];
        assert_true(s->start < s->end);
        assert_true(s->start >= p->start && s->end <= p->end);
        assert_true(doc->text[s->start] != ' ' && doc->text[s->end - 1] != ' ');
        if (i > 0)
            assert_true(s->start >= doc->sentences[i - 1].end);
    }
    /* The paragraph that carries "The Five Industrial Bases — …" keeps that
     * sentence whole. */
    {
        const char *needle = "The Five Industrial Bases — basic parts";
        const char *at = strstr(doc->text, needle);
        size_t offset;
        int found = 0;
        assert_non_null(at);
        offset = (size_t)(at - doc->text);
        for (i = 0; i < doc->sentence_count; i++) {
            if (doc->sentences[i].start == offset) {
                const char *end = "indicating an unstable industrial foundation.";
                size_t end_len = strlen(end);
                assert_memory_equal(doc->text + doc->sentences[i].end - end_len, end, end_len);
                found = 1;
            }
        }
        assert_true(found);
    }
    pl_document_free(doc);
    free(input);
}

static void test_html_input(void **state)
{
    static const char page[] =
        "<!DOCTYPE html><html><head><title>Water reform</title>"
        "<meta name=\"author\" content=\"A. Writer\"></head><body>"
        "<nav><a href=\"/\">Home</a></nav><article><h1>Water reform</h1>"
        "<p>The city council approved a plan to replace the old water mains over the next "
        "ten years, starting with the districts that lose the most water to leaks.</p>"
        "<h2>Costs</h2><p>The plan is paid for by a bond that voters approved last spring, and "
        "the council expects the work to lower water bills over time.</p></article>"
        "<footer>Contact us</footer></body></html>";
    pl_error err;
    pl_document *doc = pl_document_create(page, sizeof page - 1, NULL, &err);
    (void)state;
    assert_non_null(doc);
    assert_int_equal(doc->format, PL_FORMAT_HTML);
    assert_string_equal(doc->title, "Water reform");
    assert_string_equal(doc->author, "A. Writer");
    assert_null(strstr(doc->text, "Home"));
    assert_null(strstr(doc->text, "Contact us"));
    assert_non_null(strstr(doc->text, "\n\nCosts\n\nThe plan is paid for"));
    pl_document_free(doc);
}

static void test_allocation_failures(void **state)
{
    size_t len;
    long n;
    char *input = read_file(PL_EXAMPLES_DIR "/new-quality-productive-forces.txt", &len);
    (void)state;
    /* Fail each allocation in turn: an error every time, never a crash or a
     * leak (ASan and valgrind check the latter). */
    for (n = 0; n < 400; n++) {
        pl_error err;
        pl_document *doc;
        pl_alloc_fail_after(n);
        doc = pl_document_create(input, len, NULL, &err);
        pl_alloc_fail_after(-1);
        if (doc) {
            pl_document_free(doc);
            break;
        }
        assert_int_equal(err.status, PL_ERR_NOMEM);
        assert_string_equal(err.message, "out of memory");
    }
    assert_true(n < 400);
    free(input);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_input),           cmocka_unit_test(test_nul_bytes_refused),
        cmocka_unit_test(test_invalid_utf8_replaced), cmocka_unit_test(test_nfc_normalized),
        cmocka_unit_test(test_bundled_article),       cmocka_unit_test(test_html_input),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests_name("document", tests, NULL, NULL);
}
