/* pl_file_write_atomic: exact content, permission bits kept, links
 * followed, exact errors, nothing left behind. */
#define _XOPEN_SOURCE 700

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "support.h"

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/pl-file-test-XXXXXX");
    umask(022);
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *in_dir(const char *name)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

/* The names in the folder, sorted and joined with spaces. */
static char *listing(void)
{
    static char out[1024];
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort), i;
    out[0] = '\0';
    assert_true(n >= 0);
    for (i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            if (out[0])
                strcat(out, " ");
            strcat(out, names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    return out;
}

static void assert_content(const char *path, const char *want)
{
    size_t len;
    char *got = read_file(path, &len);
    assert_int_equal(len, strlen(want));
    assert_string_equal(got, want);
    free(got);
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (unsigned)(st.st_mode & 07777);
}

static void test_new_file(void **state)
{
    pl_error err;
    (void)state;
    assert_int_equal(pl_file_write_atomic(in_dir("new.md"), "# Notes\n", 8, &err), PL_OK);
    assert_content(in_dir("new.md"), "# Notes\n");
    assert_int_equal(mode_of(in_dir("new.md")), 0644); /* 0666 less the umask 022 */
    assert_string_equal(listing(), "new.md");
    /* Empty content is a file of 0 bytes. */
    assert_int_equal(pl_file_write_atomic(in_dir("new.md"), "", 0, &err), PL_OK);
    assert_content(in_dir("new.md"), "");
    unlink(in_dir("new.md"));
}

static void test_keeps_permission_bits(void **state)
{
    pl_error err;
    FILE *f = fopen(in_dir("private.md"), "wb");
    (void)state;
    assert_non_null(f);
    fputs("old text, longer than the new one\n", f);
    fclose(f);
    assert_int_equal(chmod(in_dir("private.md"), 0600), 0);
    assert_int_equal(pl_file_write_atomic(in_dir("private.md"), "new\n", 4, &err), PL_OK);
    assert_content(in_dir("private.md"), "new\n");
    assert_int_equal(mode_of(in_dir("private.md")), 0600);
    assert_int_equal(chmod(in_dir("private.md"), 0751), 0);
    assert_int_equal(pl_file_write_atomic(in_dir("private.md"), "newer\n", 6, &err), PL_OK);
    assert_int_equal(mode_of(in_dir("private.md")), 0751);
    assert_string_equal(listing(), "private.md");
    unlink(in_dir("private.md"));
}

static void test_follows_links(void **state)
{
    pl_error err;
    struct stat st;
    (void)state;
    assert_int_equal(pl_file_write_atomic(in_dir("target.md"), "one\n", 4, &err), PL_OK);
    assert_int_equal(symlink("target.md", in_dir("link.md")), 0);
    assert_int_equal(pl_file_write_atomic(in_dir("link.md"), "two\n", 4, &err), PL_OK);
    assert_content(in_dir("target.md"), "two\n");
    assert_int_equal(lstat(in_dir("link.md"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(listing(), "link.md target.md");
    unlink(in_dir("link.md"));
    unlink(in_dir("target.md"));
}

static void test_errors(void **state)
{
    pl_error err;
    char want[512];
    (void)state;
    /* A missing folder. */
    assert_int_equal(pl_file_write_atomic(in_dir("nope/x.md"), "x", 1, &err), PL_ERR_IO);
    snprintf(want, sizeof want, "cannot write '%s/nope/x.md': No such file or directory", dir);
    assert_string_equal(err.message, want);
    /* A folder where the file should be: left as it is. */
    assert_int_equal(mkdir(in_dir("folder.md"), 0755), 0);
    assert_int_equal(pl_file_write_atomic(in_dir("folder.md"), "x", 1, &err), PL_ERR_IO);
    snprintf(want, sizeof want, "cannot write '%s/folder.md': Is a directory", dir);
    assert_string_equal(err.message, want);
    rmdir(in_dir("folder.md"));
    /* A file where a folder should be. */
    assert_int_equal(pl_file_write_atomic(in_dir("plain"), "x", 1, &err), PL_OK);
    assert_int_equal(pl_file_write_atomic(in_dir("plain/x.md"), "y", 1, &err), PL_ERR_IO);
    snprintf(want, sizeof want, "cannot write '%s/plain/x.md': Not a directory", dir);
    assert_string_equal(err.message, want);
    assert_content(in_dir("plain"), "x");
    assert_string_equal(listing(), "plain");
    unlink(in_dir("plain"));
    /* The API's own misuse. */
    assert_int_equal(pl_file_write_atomic(NULL, "x", 1, &err), PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_file_write_atomic("", "x", 1, &err), PL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_file_write_atomic(in_dir("x.md"), NULL, 1, &err), PL_ERR_INVALID_ARGUMENT);
    assert_string_equal(listing(), "");
    assert_string_equal(pl_status_name(PL_ERR_IO), "io");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_file),
        cmocka_unit_test(test_keeps_permission_bits),
        cmocka_unit_test(test_follows_links),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
