/* Tests of the part-of-speech table (src/pos.c): listed words, regular and
 * irregular inflections, and unknown words. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "pos.h"

static unsigned pos(const char *w)
{
    return pl_pos_classes(w, strlen(w));
}

static void test_listed(void **state)
{
    (void)state;
    assert_int_equal(pos("facilitate"), PL_POS_VERB);
    assert_int_equal(pos("scavenge"), PL_POS_VERB);
    assert_int_equal(pos("display"), PL_POS_NOUN | PL_POS_VERB);
    assert_int_equal(pos("quickly"), PL_POS_ADV);
    assert_true(pos("important") & PL_POS_ADJ);
    /* first and last records */
    assert_true(pos("aah") != 0);
    assert_true(pos("zoom") & PL_POS_VERB);
}

static void test_inflections(void **state)
{
    (void)state;
    assert_int_equal(pos("facilitates"), PL_POS_THIRD);
    assert_int_equal(pos("displays"), PL_POS_PLURAL | PL_POS_THIRD);
    assert_true(pos("studies") & PL_POS_THIRD);
    assert_true(pos("stopped") & PL_POS_PAST);
    assert_true(pos("running") & PL_POS_ING);
    assert_true(pos("carried") & PL_POS_PAST);
    assert_true(pos("finding") & PL_POS_NOUN); /* a noun too, not only "find" + ing */
    assert_true(pos("finding") & PL_POS_ING);
    assert_true(pos("larger") & PL_POS_COMPARATIVE);
    /* irregular forms from WordNet's exception lists */
    assert_true(pos("went") & PL_POS_PAST);
    assert_true(pos("is") & PL_POS_THIRD);
    assert_true(pos("leaves") & PL_POS_PLURAL);
    assert_true(pos("men") & PL_POS_PLURAL);
}

static void test_unknown(void **state)
{
    (void)state;
    /* nouns with no other class, technical words, function words */
    assert_int_equal(pos("microglia"), 0);
    assert_int_equal(pos("chorion"), 0);
    assert_int_equal(pos("cells"), 0);
    assert_int_equal(pos("the"), 0);
    assert_int_equal(pos(""), 0);
    assert_int_equal(pl_pos_classes(NULL, 0), 0);
    assert_int_equal(pos("supercalifragilisticexpialidocious"), 0);
    assert_int_equal(pos("Facilitate"), 0); /* lower case only */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listed),
        cmocka_unit_test(test_inflections),
        cmocka_unit_test(test_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
