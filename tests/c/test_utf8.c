/* Tests for src/utf8.c: binary refusal, repair of invalid UTF-8 and UTF-16,
 * NFC and case folding, decoding and character classes, with exact bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "alloc.h"
#include "utf8.h"

#define FFFD "\xEF\xBF\xBD"

/* Sanitizes in[0..n) into a fresh buffer and checks the exact result. */
static void expect_sanitized(const char *in, size_t n, const char *want, size_t want_len,
                             size_t want_replaced)
{
    pl_buf out = PL_BUF_INIT;
    pl_error err;
    size_t replaced = 99;

    assert_int_equal(pl_utf8_sanitize(in, n, &out, &replaced, &err), PL_OK);
    assert_int_equal(err.status, PL_OK);
    assert_int_equal(out.len, want_len);
    if (want_len)
        assert_memory_equal(out.data, want, want_len);
    assert_int_equal(replaced, want_replaced);
    pl_buf_free(&out);
}

#define SANITIZED(in, want, nrep) expect_sanitized(in, sizeof in - 1, want, sizeof want - 1, nrep)

static void test_sanitize_keeps_valid_text(void **state)
{
    (void)state;
    SANITIZED("Plain ASCII text longer than one eight-byte word.",
              "Plain ASCII text longer than one eight-byte word.", 0);
    SANITIZED("caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBB\xBF",
              "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBB\xBF", 0);
    SANITIZED("", "", 0);
}

static void test_sanitize_invalid_byte(void **state)
{
    (void)state;
    SANITIZED("a\xFF"
              "b",
              "a" FFFD "b", 1);
    SANITIZED("\x80", FFFD, 1);
    SANITIZED("\xF5\x80", FFFD FFFD, 2);
}

static void test_sanitize_overlong(void **state)
{
    (void)state;
    SANITIZED("\xC0\xAF", FFFD FFFD, 2);
    SANITIZED("x\xE0\x80\xAFy", "x" FFFD FFFD FFFD "y", 3);
    SANITIZED("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD, 4);
}

static void test_sanitize_surrogate_and_past_max(void **state)
{
    (void)state;
    SANITIZED("\xED\xA0\x80", FFFD FFFD FFFD, 3);
    SANITIZED("\xED\x9F\xBF", "\xED\x9F\xBF", 0); /* U+D7FF is fine */
    SANITIZED("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4);
}

static void test_sanitize_truncated(void **state)
{
    (void)state;
    /* A truncated prefix is one maximal invalid subpart: one U+FFFD. */
    SANITIZED("ab\xE4\xB8", "ab" FFFD, 1);
    SANITIZED("\xF0\x9F\x98", FFFD, 1);
    SANITIZED("\xE4\xB8x\xC3", FFFD "x" FFFD, 2);
    SANITIZED("0123456789\xE4", "0123456789" FFFD, 1);
}

static void test_sanitize_bom(void **state)
{
    (void)state;
    SANITIZED("\xEF\xBB\xBFhi", "hi", 0);
    SANITIZED("\xEF\xBB\xBF", "", 0);
    SANITIZED("h\xEF\xBB\xBFi", "h\xEF\xBB\xBFi", 0);
}

static void test_sanitize_line_endings(void **state)
{
    (void)state;
    SANITIZED("a\r\nb\rc\n\r\n\r", "a\nb\nc\n\n\n", 0);
    SANITIZED("first line of text\r\nsecond line of text\r\n",
              "first line of text\nsecond line of text\n", 0);
    SANITIZED("\r\r\n", "\n\n", 0);
}

static void test_sanitize_utf16(void **state)
{
    (void)state;
    SANITIZED("\xFF\xFEh\0i\0", "hi", 0);
    SANITIZED("\xFE\xFF\0h\0i", "hi", 0);
    SANITIZED("\xFF\xFE\x2D\x4E\xE9\x00", "\xE4\xB8\xAD\xC3\xA9", 0);
    SANITIZED("\xFF\xFE\x3D\xD8\x00\xDE", "\xF0\x9F\x98\x80", 0); /* surrogate pair */
    SANITIZED("\xFF\xFE\x3D\xD8x\0", FFFD "x", 1);                /* lone high */
    SANITIZED("\xFE\xFF\xDE\x00\0x", FFFD "x", 1);                /* lone low */
    SANITIZED("\xFF\xFE\x3D\xD8", FFFD, 1);                       /* high at end */
    SANITIZED("\xFF\xFEh\0\r\0\n\0i\0\r\0", "h\ni\n", 0);
    SANITIZED("\xFF\xFEh\0i", "h" FFFD, 1); /* odd byte */
}

static void test_sanitize_appends(void **state)
{
    pl_buf out = PL_BUF_INIT;

    (void)state;
    assert_int_equal(pl_buf_append(&out, "x:", 2), 0);
    assert_int_equal(pl_utf8_sanitize("a\xFF", 2, &out, NULL, NULL), PL_OK);
    assert_string_equal(out.data, "x:a" FFFD);
    pl_buf_free(&out);
}

static void test_sanitize_out_of_memory(void **state)
{
    pl_buf out = PL_BUF_INIT;
    pl_error err;
    size_t replaced = 7;

    (void)state;
    pl_alloc_fail_after(0);
    assert_int_equal(pl_utf8_sanitize("hello", 5, &out, &replaced, &err), PL_ERR_NOMEM);
    pl_alloc_fail_after(-1);
    assert_int_equal(err.status, PL_ERR_NOMEM);
    assert_string_equal(err.message, "out of memory");
    assert_null(out.data);
    assert_int_equal(out.len, 0);
    assert_int_equal(replaced, 0);
    pl_buf_free(&out);

    /* A failure while growing leaves what the buffer held before. */
    assert_int_equal(pl_buf_append(&out, "kept", 4), 0);
    pl_alloc_fail_after(0);
    assert_int_equal(pl_utf8_sanitize("a long enough input to need more room than 64 bytes "
                                      "of buffer capacity........",
                                      78, &out, NULL, &err),
                     PL_ERR_NOMEM);
    pl_alloc_fail_after(-1);
    assert_int_equal(out.len, 4);
    assert_string_equal(out.data, "kept");
    pl_buf_free(&out);
}

static void expect_binary(const char *in, size_t n, const char *want_message)
{
    pl_error err;

    assert_int_equal(pl_utf8_check_text(in, n, &err), PL_ERR_BINARY);
    assert_int_equal(err.status, PL_ERR_BINARY);
    assert_string_equal(err.message, want_message);
}

#define BINARY(in, msg) expect_binary(in, sizeof in - 1, msg)

static void test_check_text_empty(void **state)
{
    pl_error err;

    (void)state;
    assert_int_equal(pl_utf8_check_text("", 0, &err), PL_ERR_EMPTY);
    assert_string_equal(err.message, "input is empty");
    assert_int_equal(pl_utf8_check_text(NULL, 0, NULL), PL_ERR_EMPTY);
}

static void test_check_text_nul(void **state)
{
    (void)state;
    BINARY("abc\0def", "binary data: NUL byte at offset 3");
    BINARY("\0", "binary data: NUL byte at offset 0");
    BINARY("\xFF\xFEh\0\0\0", "binary data: NUL character at offset 4");
}

static void test_check_text_magic(void **state)
{
    (void)state;
    BINARY("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", "binary input: looks like a PNG image");
    BINARY("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "binary input: looks like a PDF document");
    BINARY("\xFF\xD8\xFF\xE0\0\x10JFIF", "binary input: looks like a JPEG image");
    BINARY("GIF89a\x01\0\x01\0", "binary input: looks like a GIF image");
    BINARY("PK\x03\x04\x14\0\x06\0",
           "binary input: looks like a ZIP archive (or a .docx, .xlsx or .epub file)");
    BINARY("\x1F\x8B\x08\0", "binary input: looks like gzip-compressed data");
    BINARY("\x7F"
           "ELF\x02\x01\x01",
           "binary input: looks like an ELF executable");
}

static void test_check_text_controls(void **state)
{
    char sample[100];
    pl_error err;

    (void)state;
    memset(sample, 'a', sizeof sample);
    memset(sample, 0x01, 11);
    expect_binary(sample, sizeof sample,
                  "binary data: 11 of the first 100 bytes are control characters");
    memset(sample, 0x01, 10); /* exactly 10% is still text */
    sample[10] = 'a';
    assert_int_equal(pl_utf8_check_text(sample, sizeof sample, &err), PL_OK);
    memset(sample, '\t', 50);
    memset(sample + 50, 0x1B, 50); /* ESC: coloured terminal output */
    assert_int_equal(pl_utf8_check_text(sample, sizeof sample, &err), PL_OK);
}

static void test_check_text_accepts_text(void **state)
{
    pl_error err;
    static const char utf16[] = "\xFF\xFEh\0i\0";

    (void)state;
    err.status = PL_ERR_PARSE;
    assert_int_equal(pl_utf8_check_text("Hello,\r\n\tworld\f", 15, &err), PL_OK);
    assert_int_equal(err.status, PL_OK);
    assert_string_equal(err.message, "");
    assert_int_equal(pl_utf8_check_text(utf16, sizeof utf16 - 1, &err), PL_OK);
    assert_int_equal(pl_utf8_check_text("\xE4\xB8\xAD\xFF", 4, NULL), PL_OK);
}

static void expect_mapped(int fold, const char *in, const char *want)
{
    pl_buf out = PL_BUF_INIT;
    pl_error err;
    pl_status status = fold ? pl_utf8_casefold(in, strlen(in), &out, &err)
                            : pl_utf8_nfc(in, strlen(in), &out, &err);

    assert_int_equal(status, PL_OK);
    assert_int_equal(out.len, strlen(want));
    if (out.len)
        assert_memory_equal(out.data, want, out.len);
    pl_buf_free(&out);
}

static void test_nfc(void **state)
{
    (void)state;
    expect_mapped(0, "e\xCC\x81", "\xC3\xA9");
    expect_mapped(0, "", "");
    expect_mapped(0, "plain ASCII stays as it is", "plain ASCII stays as it is");
    expect_mapped(0, "caf\xC3\xA9 na\xC3\xAFve", "caf\xC3\xA9 na\xC3\xAFve");
    expect_mapped(0, "a long line before: Cafe\xCC\x81 and after it",
                  "a long line before: Caf\xC3\xA9 and after it");
    expect_mapped(0, "\xE1\x84\x80\xE1\x85\xA1", "\xEA\xB0\x80"); /* Hangul jamo */
    expect_mapped(0, "\xE2\x84\xA6", "\xCE\xA9");                 /* ohm sign */
    expect_mapped(0, "China\xE2\x80\x99s", "China\xE2\x80\x99s");
    /* canonical order: dot below (220) before acute (230) */
    expect_mapped(0, "q\xCC\x81\xCC\xA3", "q\xCC\xA3\xCC\x81");
}

/* Encodes cp as UTF-8 at p; returns the length. */
static size_t put_utf8(char *p, int32_t cp)
{
    return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)p);
}

/* The fast paths copy some text without utf8proc and cut the rest into
 * pieces; both must give exactly what utf8proc gives for the whole. Every
 * code point of the BMP is tried after characters it might join (e, か, 가,
 * ᄀ, U+0B47) and before marks that might join it. */
static void test_fast_paths_match_utf8proc(void **state)
{
    static const char *const neighbours[] = {
        "e",        "\xE3\x81\x8B", "\xEA\xB0\x80", "\xE1\x84\x80", "\xE0\xAD\x87",
        "\xCC\x81", "\xE3\x82\x99", "\xE1\x86\xA8", "\xE4\xB8\xAD", "A",
    };
    char text[128];
    int32_t cp;
    pl_buf out = PL_BUF_INIT;

    (void)state;
    for (cp = 0x80; cp < 0x10000; cp++) {
        size_t n = 0, k;
        int fold;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        for (k = 0; k < sizeof neighbours / sizeof neighbours[0]; k++) {
            memcpy(text + n, neighbours[k], strlen(neighbours[k]));
            n += strlen(neighbours[k]);
            n += put_utf8(text + n, cp);
        }
        for (fold = 0; fold <= 1; fold++) {
            utf8proc_uint8_t *want = NULL;
            utf8proc_ssize_t want_len =
                utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)n, &want,
                             UTF8PROC_STABLE | UTF8PROC_COMPOSE | (fold ? UTF8PROC_CASEFOLD : 0));
            pl_status status =
                fold ? pl_utf8_casefold(text, n, &out, NULL) : pl_utf8_nfc(text, n, &out, NULL);
            assert_true(want_len >= 0);
            assert_int_equal(status, PL_OK);
            if (out.len != (size_t)want_len || memcmp(out.data, want, out.len) != 0)
                fail_msg("%s differs from utf8proc for U+%04X", fold ? "casefold" : "nfc",
                         (unsigned)cp);
            free(want);
            pl_buf_reset(&out);
        }
    }
    pl_buf_free(&out);
}

static void test_nfc_rejects_invalid_utf8(void **state)
{
    pl_buf out = PL_BUF_INIT;
    pl_error err;

    (void)state;
    assert_int_equal(pl_buf_append(&out, "x", 1), 0);
    assert_int_equal(pl_utf8_nfc("ab\xCC", 3, &out, &err), PL_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, "near byte 1"));
    assert_string_equal(out.data, "x");
    pl_buf_free(&out);
}

static void test_casefold(void **state)
{
    (void)state;
    expect_mapped(1,
                  "Stra\xC3\x9F"
                  "e",
                  "strasse");
    expect_mapped(1,
                  "\xC3\x89"
                  "COLE",
                  "\xC3\xA9"
                  "cole");
    expect_mapped(1,
                  "E\xCC\x81"
                  "COLE",
                  "\xC3\xA9"
                  "cole");
    expect_mapped(1, "HELLO World 123", "hello world 123");
    expect_mapped(1, "\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90",
                  "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"); /* МОСКВА */
    expect_mapped(1, "\xE4\xB8\xAD\xE5\x9B\xBD GDP", "\xE4\xB8\xAD\xE5\x9B\xBD gdp");
}

static void test_decode(void **state)
{
    size_t len = 0;

    (void)state;
    assert_int_equal(pl_utf8_decode("A", 1, &len), 'A');
    assert_int_equal(len, 1);
    assert_int_equal(pl_utf8_decode("\xC3\xA9", 2, &len), 0xE9);
    assert_int_equal(len, 2);
    assert_int_equal(pl_utf8_decode("\xE4\xB8\xAD", 3, &len), 0x4E2D);
    assert_int_equal(len, 3);
    assert_int_equal(pl_utf8_decode("\xF0\x9F\x98\x80", 4, &len), 0x1F600);
    assert_int_equal(len, 4);
    assert_int_equal(pl_utf8_decode("\xFF", 1, &len), 0xFFFD);
    assert_int_equal(len, 1);
    assert_int_equal(pl_utf8_decode("\xE4\xB8", 2, &len), 0xFFFD);
    assert_int_equal(len, 2);
    assert_int_equal(pl_utf8_decode("\xED\xA0\x80", 3, &len), 0xFFFD);
    assert_int_equal(len, 1);
    assert_int_equal(pl_utf8_decode("", 0, &len), 0xFFFD);
    assert_int_equal(len, 1);
}

static void test_seq_len(void **state)
{
    (void)state;
    assert_int_equal(pl_utf8_seq_len('a'), 1);
    assert_int_equal(pl_utf8_seq_len(0x80), 1);
    assert_int_equal(pl_utf8_seq_len(0xC0), 1);
    assert_int_equal(pl_utf8_seq_len(0xC3), 2);
    assert_int_equal(pl_utf8_seq_len(0xE4), 3);
    assert_int_equal(pl_utf8_seq_len(0xF0), 4);
    assert_int_equal(pl_utf8_seq_len(0xF4), 4);
    assert_int_equal(pl_utf8_seq_len(0xF5), 1);
    assert_int_equal(pl_utf8_seq_len(0xFF), 1);
}

static void test_classes(void **state)
{
    (void)state;
    assert_true(pl_utf8_is_letter('a') && pl_utf8_is_letter('Z'));
    assert_true(pl_utf8_is_letter(0xE9) && pl_utf8_is_letter(0x4E2D));
    assert_false(pl_utf8_is_letter('1') || pl_utf8_is_letter('_') || pl_utf8_is_letter(0x301));
    assert_false(pl_utf8_is_letter(-1));
    assert_true(pl_utf8_is_digit('7') && pl_utf8_is_digit(0x663) && pl_utf8_is_digit(0xFF10));
    assert_false(pl_utf8_is_digit('a') || pl_utf8_is_digit(0xB2));
    assert_true(pl_utf8_is_upper('A') && pl_utf8_is_upper(0xC9) && pl_utf8_is_upper(0x1C5));
    assert_false(pl_utf8_is_upper('a') || pl_utf8_is_upper(0x4E2D));
    assert_true(pl_utf8_is_lower('a') && pl_utf8_is_lower(0xDF));
    assert_false(pl_utf8_is_lower('A') || pl_utf8_is_lower('1'));
}

static void test_is_space(void **state)
{
    static const int32_t spaces[] = {' ',    '\t',   '\n',   '\v',   '\f',   '\r',
                                     0x85,   0xA0,   0x1680, 0x2000, 0x200A, 0x2028,
                                     0x2029, 0x202F, 0x205F, 0x3000};
    static const int32_t others[] = {'a', '_', 0, 0x1C, 0x200B, 0xFEFF, 0x4E00, -5};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof spaces / sizeof spaces[0]; i++)
        assert_true(pl_utf8_is_space(spaces[i]));
    for (i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_false(pl_utf8_is_space(others[i]));
}

static void test_is_cjk(void **state)
{
    static const int32_t cjk[] = {0x4E2D,  0x9FFF,  0x3400,  0x3005,  0x3042, 0x30AB,
                                  0x30FC,  0xFF76,  0xAC00,  0xD7A3,  0xF900, 0x20000,
                                  0x2A700, 0x2F800, 0x30000, 0x1B001, 0x31350};
    static const int32_t others[] = {'A',    0xE9,   0x3001, 0x3002,  0x30FB,  0xFF0C,
                                     0x1100, 0xD7A4, 0xFF01, 0x2A6E0, 0x1F600, -1};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cjk / sizeof cjk[0]; i++)
        assert_true(pl_utf8_is_cjk(cjk[i]));
    for (i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_false(pl_utf8_is_cjk(others[i]));
}

static void test_is_clean(void **state)
{
    (void)state;
    assert_true(pl_utf8_is_clean("", 0));
    assert_true(pl_utf8_is_clean("plain ASCII text\n", 17));
    assert_true(pl_utf8_is_clean("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80", 14));
    assert_false(pl_utf8_is_clean("line\r\n", 6));
    assert_false(pl_utf8_is_clean("\xEF\xBB\xBF"
                                  "bom",
                                  6));
    assert_false(pl_utf8_is_clean("\xFF\xFEh\0", 4));
    assert_false(pl_utf8_is_clean("a long ASCII prefix then \xC0\xAF", 27));
    assert_false(pl_utf8_is_clean("truncated \xE2\x80", 12));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_clean),
        cmocka_unit_test(test_sanitize_keeps_valid_text),
        cmocka_unit_test(test_sanitize_invalid_byte),
        cmocka_unit_test(test_sanitize_overlong),
        cmocka_unit_test(test_sanitize_surrogate_and_past_max),
        cmocka_unit_test(test_sanitize_truncated),
        cmocka_unit_test(test_sanitize_bom),
        cmocka_unit_test(test_sanitize_line_endings),
        cmocka_unit_test(test_sanitize_utf16),
        cmocka_unit_test(test_sanitize_appends),
        cmocka_unit_test(test_sanitize_out_of_memory),
        cmocka_unit_test(test_check_text_empty),
        cmocka_unit_test(test_check_text_nul),
        cmocka_unit_test(test_check_text_magic),
        cmocka_unit_test(test_check_text_controls),
        cmocka_unit_test(test_check_text_accepts_text),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_fast_paths_match_utf8proc),
        cmocka_unit_test(test_nfc_rejects_invalid_utf8),
        cmocka_unit_test(test_casefold),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_seq_len),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_is_space),
        cmocka_unit_test(test_is_cjk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
