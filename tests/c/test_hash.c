/* Tests of the content hash (src/hash.c): published FNV-1a vectors, so the
 * cache keys of a library never change from one build to the next. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "hash.h"

static void test_known_values(void **state)
{
    (void)state;
    assert_true(pl_hash64("", 0) == 0xcbf29ce484222325ULL);
    assert_true(pl_hash64(NULL, 0) == 0xcbf29ce484222325ULL);
    assert_true(pl_hash64("a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(pl_hash64("foobar", 6) == 0x85944171f73967e8ULL);
}

static void test_update_continues(void **state)
{
    (void)state;
    assert_true(pl_hash64_update(pl_hash64("foo", 3), "bar", 3) == pl_hash64("foobar", 6));
}

static void test_hex_round_trip(void **state)
{
    char hex[PL_HASH_HEX_SIZE];
    uint64_t h = 0;
    (void)state;
    pl_hash64_hex(0x85944171f73967e8ULL, hex);
    assert_string_equal(hex, "85944171f73967e8");
    assert_int_equal(pl_hash64_parse(hex, &h), 0);
    assert_true(h == 0x85944171f73967e8ULL);
    assert_int_equal(pl_hash64_parse("85944171F73967E8", &h), 0);
    assert_true(h == 0x85944171f73967e8ULL);
    pl_hash64_hex(0, hex);
    assert_string_equal(hex, "0000000000000000");
    h = 7;
    assert_int_equal(pl_hash64_parse("85944171f73967e", &h), -1);
    assert_int_equal(pl_hash64_parse("85944171f73967e80", &h), -1);
    assert_int_equal(pl_hash64_parse("85944171f73967eg", &h), -1);
    assert_int_equal(pl_hash64_parse(NULL, &h), -1);
    assert_true(h == 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_update_continues),
        cmocka_unit_test(test_hex_round_trip),
    };
    return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
