/* Tests of the general-English table (src/common.c): levels, the plural
 * fallback, and words that are not in it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "common.h"

static int level(const char *w)
{
    return pl_common_level(w, strlen(w));
}

static void test_levels(void **state)
{
    (void)state;
    assert_int_equal(level("development"), PL_COMMON_VERY);
    assert_int_equal(level("system"), PL_COMMON_VERY);
    assert_int_equal(level("market"), PL_COMMON_VERY);
    assert_int_equal(level("innovation"), PL_COMMON_SOME);
    assert_int_equal(level("industries"), PL_COMMON_SOME);
    assert_int_equal(level("a"), PL_COMMON_VERY);
    /* the first and last records of the table */
    assert_int_equal(level("aardvark"), PL_COMMON_SOME);
    assert_int_equal(level("zoom"), PL_COMMON_SOME);
    /* uncommon, technical, misspelt */
    assert_int_equal(level("bribery"), 0);
    assert_int_equal(level("dressage"), 0);
    assert_int_equal(level("nacelle"), 0);
    assert_int_equal(level("developmentt"), 0);
    assert_int_equal(level("marke"), 0);
}

static void test_plurals(void **state)
{
    (void)state;
    /* "enterprises" is not listed; "enterprise" is */
    assert_int_equal(level("enterprises"), PL_COMMON_SOME);
    assert_int_equal(level("technologies"), PL_COMMON_VERY);
    assert_int_equal(level("policies"), PL_COMMON_VERY);
    /* no fallback for what is no regular plural */
    assert_int_equal(level("bribers"), 0);
    assert_int_equal(level("glass"), PL_COMMON_VERY);
}

static void test_bad_input(void **state)
{
    (void)state;
    assert_int_equal(pl_common_level(NULL, 0), 0);
    assert_int_equal(pl_common_level("", 0), 0);
    /* ASCII lower case only: the caller folds */
    assert_int_equal(level("Market"), 0);
    assert_int_equal(level("market "), 0);
    assert_int_equal(level("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                     0);
    /* only the n bytes given are read */
    assert_int_equal(pl_common_level("marketing", 6), PL_COMMON_VERY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_plurals),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
