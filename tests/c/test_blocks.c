/* Tests of the block list (src/blocks.c): white space collapsing, empty
 * blocks, preformatted text, metadata fields, buffers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "alloc.h"
#include "blocks.h"
#include "buf.h"

static const char *block_text(const pl_blocks *b, size_t i, size_t *len)
{
    *len = b->items[i].end - b->items[i].start;
    return b->text.data + b->items[i].start;
}

static void assert_block(const pl_blocks *b, size_t i, pl_block_kind kind, const char *text)
{
    size_t len;
    const char *s = block_text(b, i, &len);
    assert_int_equal(b->items[i].kind, kind);
    assert_int_equal(len, strlen(text));
    assert_memory_equal(s, text, len);
}

static void test_collapses_white_space(void **state)
{
    pl_blocks b;
    int added;
    static const char raw[] = "  one\t two\n\nthree \xC2\xA0 four ";
    (void)state;
    pl_blocks_init(&b);
    assert_int_equal(pl_blocks_add(&b, PL_BLOCK_PARAGRAPH, raw, sizeof raw - 1, &added, NULL),
                     PL_OK);
    assert_true(added);
    assert_block(&b, 0, PL_BLOCK_PARAGRAPH, "one two three four");
    pl_blocks_free(&b);
}

static void test_empty_block_not_added(void **state)
{
    pl_blocks b;
    int added = 1;
    (void)state;
    pl_blocks_init(&b);
    assert_int_equal(pl_blocks_add(&b, PL_BLOCK_ITEM, " \n\t\xE3\x80\x80", 6, &added, NULL), PL_OK);
    assert_false(added);
    assert_int_equal(b.count, 0);
    assert_int_equal(pl_blocks_add(&b, PL_BLOCK_ITEM, "a", 1, &added, NULL), PL_OK);
    assert_int_equal(pl_blocks_add(&b, PL_BLOCK_ITEM, "   ", 3, &added, NULL), PL_OK);
    assert_int_equal(pl_blocks_add(&b, PL_BLOCK_HEADING, "b", 1, &added, NULL), PL_OK);
    assert_int_equal(b.count, 2);
    assert_string_equal(b.text.data, "a\nb");
    assert_block(&b, 1, PL_BLOCK_HEADING, "b");
    pl_blocks_free(&b);
}

static void test_pre_keeps_lines(void **state)
{
    pl_blocks b;
    static const char code[] = "  int x;  \n  return x;\n\n";
    (void)state;
    pl_blocks_init(&b);
    assert_int_equal(pl_blocks_add(&b, PL_BLOCK_PRE, code, sizeof code - 1, NULL, NULL), PL_OK);
    assert_block(&b, 0, PL_BLOCK_PRE, "int x;\nreturn x;");
    pl_blocks_free(&b);
}

static void test_set_meta_keeps_first(void **state)
{
    pl_blocks b;
    (void)state;
    pl_blocks_init(&b);
    assert_int_equal(pl_blocks_set_meta(&b.author, "  ", 2, NULL), PL_OK);
    assert_null(b.author);
    assert_int_equal(pl_blocks_set_meta(&b.author, " Jane\n Doe ", 11, NULL), PL_OK);
    assert_string_equal(b.author, "Jane Doe");
    assert_int_equal(pl_blocks_set_meta(&b.author, "Other", 5, NULL), PL_OK);
    assert_string_equal(b.author, "Jane Doe");
    pl_blocks_free(&b);
    pl_blocks_free(NULL);
}

static void test_add_out_of_memory(void **state)
{
    pl_blocks b;
    pl_error err;
    static const char second[] = "a second block, longer than the buffer's first allocation, so "
                                 "that appending it has to grow the buffer";
    pl_status st;
    (void)state;
    pl_blocks_init(&b);
    assert_int_equal(pl_blocks_add(&b, PL_BLOCK_PARAGRAPH, "first", 5, NULL, &err), PL_OK);
    pl_alloc_fail_after(0);
    st = pl_blocks_add(&b, PL_BLOCK_PARAGRAPH, second, sizeof second - 1, NULL, &err);
    pl_alloc_fail_after(-1);
    assert_int_equal(st, PL_ERR_NOMEM);
    assert_string_equal(err.message, "out of memory");
    assert_int_equal(b.count, 1);
    assert_string_equal(b.text.data, "first");
    pl_blocks_free(&b);
}

static void test_buf(void **state)
{
    pl_buf buf = PL_BUF_INIT;
    size_t len;
    char *out;
    (void)state;
    assert_int_equal(pl_buf_append(&buf, "ab", 2), 0);
    assert_int_equal(pl_buf_put_codepoint(&buf, 0x2014), 0);
    assert_int_equal(pl_buf_put_codepoint(&buf, 0x1F600), 0);
    assert_string_equal(buf.data, "ab\xE2\x80\x94\xF0\x9F\x98\x80");
    out = pl_buf_detach(&buf, &len);
    assert_int_equal(len, 9);
    assert_null(buf.data);
    pl_free(out);
    out = pl_buf_detach(&buf, &len);
    assert_string_equal(out, "");
    assert_int_equal(len, 0);
    pl_free(out);
    pl_buf_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collapses_white_space), cmocka_unit_test(test_empty_block_not_added),
        cmocka_unit_test(test_pre_keeps_lines),       cmocka_unit_test(test_set_meta_keeps_first),
        cmocka_unit_test(test_add_out_of_memory),     cmocka_unit_test(test_buf),
    };
    return cmocka_run_group_tests_name("blocks", tests, NULL, NULL);
}
