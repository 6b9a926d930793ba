/* What the cmocka tests share: reading a fixture file whole. Include after
 * <cmocka.h>. */
#ifndef PL_TEST_SUPPORT_H
#define PL_TEST_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>

/* Reads path whole into a NUL-terminated buffer the caller frees with
 * free(); fails the test when the file cannot be read. */
static inline char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long size;
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)size + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    data[size] = '\0';
    *len = (size_t)size;
    return data;
}

#endif
