/* Tests of the library of sources (src/library.c): add, update, list, get,
 * remove, the cache, id collisions, and crash safety: leftovers of
 * interrupted writes, a lost or damaged index, and a writer killed with
 * SIGKILL in the middle of adding. Each test works in a fresh temporary
 * folder. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "hash.h"
#include "library.h"

typedef struct fixture {
    char dir[256];
    pl_library *lib;
} fixture;

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        char child[1024];
        while (d && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(child, sizeof child, "%s/%s", path, de->d_name);
            remove_tree(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    pl_error err;
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/pl-library-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    strcat(f->dir, "/lib"); /* not created: the library makes its folders */
    f->lib = pl_library_open(f->dir, &err);
    *state = f;
    return f->lib ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char *slash = strrchr(f->dir, '/');
    pl_library_free(f->lib);
    *slash = '\0';
    remove_tree(f->dir);
    free(f);
    return 0;
}

static void path_in(char *out, size_t size, const fixture *f, const char *rest)
{
    snprintf(out, size, "%s/%s", f->dir, rest);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void write_raw(const char *path, const char *data)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(data, fp);
    fclose(fp);
}

static pl_source *add(fixture *f, const char *origin, const char *title, const char *text,
                      pl_add_outcome expected)
{
    pl_source_info info;
    pl_source *src = NULL;
    pl_add_outcome outcome;
    pl_error err;
    memset(&info, 0, sizeof info);
    info.origin = origin;
    info.title = title;
    info.content_type = "text/html";
    if (pl_library_add(f->lib, &info, text, strlen(text), &src, &outcome, &err) != PL_LIBRARY_OK)
        fail_msg("add %s: %s", origin, err.message);
    assert_int_equal(outcome, expected);
    return src;
}

static size_t count_sources(fixture *f)
{
    pl_source **list;
    size_t n;
    pl_error err;
    assert_int_equal(pl_library_list(f->lib, &list, &n, &err), PL_LIBRARY_OK);
    pl_source_list_free(list, n);
    return n;
}

static void test_empty_library(void **state)
{
    fixture *f = *state;
    pl_source **list = NULL;
    size_t n = 99;
    pl_error err;
    assert_int_equal(pl_library_list(f->lib, &list, &n, &err), PL_LIBRARY_OK);
    assert_int_equal(n, 0);
    pl_source_list_free(list, n);
    assert_false(exists(f->dir)); /* listing creates nothing */
    assert_string_equal(pl_library_path(f->lib), f->dir);
}

static void test_add_and_read_back(void **state)
{
    fixture *f = *state;
    const char *text = "The port raised its dues.\n\nShipping firms objected.";
    pl_source *src = add(f, "https://example.org/a", "Port dues", text, PL_ADD_NEW), *got;
    char *back, hex[PL_HASH_HEX_SIZE], path[512];
    size_t len;
    pl_error err;
    time_t now = time(NULL);
    assert_int_equal(strlen(src->id), 8);
    assert_string_equal(src->origin, "https://example.org/a");
    assert_string_equal(src->title, "Port dues");
    assert_null(src->author);
    assert_true(src->hash == pl_hash64(text, strlen(text)));
    assert_int_equal(src->length, strlen(text));
    assert_true(src->added >= now - 5 && src->added <= now + 5);
    assert_true(src->fetched == src->added);

    assert_int_equal(pl_library_get(f->lib, src->id, &got, &err), PL_LIBRARY_OK);
    assert_string_equal(got->title, "Port dues");
    assert_string_equal(got->content_type, "text/html");
    assert_true(got->hash == src->hash);
    assert_true(got->added == src->added);
    assert_int_equal(pl_library_read_text(f->lib, got, &back, &len, &err), PL_LIBRARY_OK);
    assert_string_equal(back, text);
    assert_int_equal(len, strlen(text));
    pl_free(back);
    pl_source_free(got);

    /* The files the layout promises. */
    pl_hash64_hex(src->hash, hex);
    snprintf(path, sizeof path, "%s/sources/%s-%s.txt", f->dir, src->id, hex);
    assert_true(exists(path));
    snprintf(path, sizeof path, "%s/sources/%s.meta", f->dir, src->id);
    assert_true(exists(path));
    path_in(path, sizeof path, f, "index");
    assert_true(exists(path));
    pl_source_free(src);
}

static void test_record_is_readable_text(void **state)
{
    fixture *f = *state;
    pl_source *src = add(f, "https://example.org/b", "Line one\nline\ttwo \\ back", "Text.",
                         PL_ADD_NEW),
              *got;
    char path[512], line[512];
    FILE *fp;
    int found = 0;
    pl_error err;
    snprintf(path, sizeof path, "%s/sources/%s.meta", f->dir, src->id);
    fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "policylink source 1\n");
    while (fgets(line, sizeof line, fp))
        if (strcmp(line, "title: Line one\\nline\\ttwo \\\\ back\n") == 0)
            found = 1;
    fclose(fp);
    assert_true(found);
    assert_int_equal(pl_library_get(f->lib, src->id, &got, &err), PL_LIBRARY_OK);
    assert_string_equal(got->title, "Line one\nline\ttwo \\ back");
    pl_source_free(got);
    pl_source_free(src);
}

static void test_same_origin_updates(void **state)
{
    fixture *f = *state;
    pl_source *first = add(f, "https://example.org/c", "Old", "First version.", PL_ADD_NEW);
    pl_source *same = add(f, "https://example.org/c", "Old", "First version.", PL_ADD_UNCHANGED);
    pl_source *changed;
    char old_text[512], *back;
    size_t len;
    char hex[PL_HASH_HEX_SIZE];
    pl_error err;
    assert_string_equal(same->id, first->id);
    pl_hash64_hex(first->hash, hex);
    snprintf(old_text, sizeof old_text, "%s/sources/%s-%s.txt", f->dir, first->id, hex);
    assert_int_equal(pl_library_cache_put(f->lib, first->hash, "terms.json", "[]", 2, &err),
                     PL_LIBRARY_OK);

    changed = add(f, "https://example.org/c", "New", "Second version.", PL_ADD_UPDATED);
    assert_string_equal(changed->id, first->id);
    assert_true(changed->added == first->added);
    assert_string_equal(changed->title, "New");
    assert_false(exists(old_text));
    /* The old text's cached results went with it. */
    assert_int_equal(pl_library_cache_get(f->lib, first->hash, "terms.json", &back, &len, &err),
                     PL_LIBRARY_NOT_FOUND);
    assert_int_equal(pl_library_read_text(f->lib, changed, &back, &len, &err), PL_LIBRARY_OK);
    assert_string_equal(back, "Second version.");
    pl_free(back);
    assert_int_equal(count_sources(f), 1);
    pl_source_free(first);
    pl_source_free(same);
    pl_source_free(changed);
}

static void test_list_oldest_first(void **state)
{
    fixture *f = *state;
    pl_source_info info;
    pl_source **list;
    size_t n;
    pl_error err;
    memset(&info, 0, sizeof info);
    info.origin = "/notes/second.txt";
    info.fetched = 2000000000;
    assert_int_equal(pl_library_add(f->lib, &info, "Two.", 4, NULL, NULL, &err), PL_LIBRARY_OK);
    info.origin = "/notes/first.txt";
    info.fetched = 1900000000;
    assert_int_equal(pl_library_add(f->lib, &info, "One.", 4, NULL, NULL, &err), PL_LIBRARY_OK);
    assert_int_equal(pl_library_list(f->lib, &list, &n, &err), PL_LIBRARY_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0]->origin, "/notes/first.txt");
    assert_true(list[0]->added == 1900000000);
    assert_string_equal(list[1]->origin, "/notes/second.txt");
    pl_source_list_free(list, n);
}

static void test_get_by_prefix_and_errors(void **state)
{
    fixture *f = *state;
    pl_source *src = add(f, "https://example.org/d", NULL, "Some text.", PL_ADD_NEW), *got;
    char prefix[8], upper[PL_SOURCE_ID_SIZE], message[512];
    size_t i;
    pl_error err;
    memcpy(prefix, src->id, 4);
    prefix[4] = '\0';
    assert_int_equal(pl_library_get(f->lib, prefix, &got, &err), PL_LIBRARY_OK);
    assert_string_equal(got->id, src->id);
    pl_source_free(got);
    for (i = 0; i < PL_SOURCE_ID_SIZE; i++)
        upper[i] = (src->id[i] >= 'a' && src->id[i] <= 'f') ? (char)(src->id[i] - 32) : src->id[i];
    assert_int_equal(pl_library_get(f->lib, upper, &got, &err), PL_LIBRARY_OK);
    pl_source_free(got);

    assert_int_equal(pl_library_get(f->lib, "abc", &got, &err), PL_LIBRARY_INVALID);
    assert_string_equal(err.message, "'abc' is not a source id (4 to 8 hex digits)");
    assert_int_equal(pl_library_get(f->lib, "../../x", &got, &err), PL_LIBRARY_INVALID);
    assert_int_equal(pl_library_get(f->lib, "zzzzzzzz", &got, &err), PL_LIBRARY_INVALID);
    assert_null(got);
    snprintf(prefix, sizeof prefix, "%s", src->id[0] == '0' ? "1111" : "0000");
    assert_int_equal(pl_library_get(f->lib, prefix, &got, &err), PL_LIBRARY_NOT_FOUND);
    snprintf(message, sizeof message, "no source '%s' in %s", prefix, f->dir);
    assert_string_equal(err.message, message);
    pl_source_free(src);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* First 8 hex digits of an origin's hash: its first id candidate. */
static uint64_t id_bits(const char *origin)
{
    return pl_hash64(origin, strlen(origin)) >> 32;
}

static void test_ambiguous_prefix_and_id_collision(void **state)
{
    fixture *f = *state;
    enum { TRIES = 200000 };
    char a[64], b[64], prefix[8];
    uint32_t *seen_by_prefix = calloc(65536, sizeof *seen_by_prefix);
    uint64_t *ids;
    pl_source *sa, *sb, *got;
    pl_error err;
    unsigned i, j;
    int found = 0;
    assert_non_null(seen_by_prefix);
    j = 0;
    /* Two origins whose ids share the first four digits. */
    for (i = 1; i < TRIES && !found; i++) {
        snprintf(a, sizeof a, "https://example.org/%u", i);
        j = (unsigned)(id_bits(a) >> 16);
        if (seen_by_prefix[j]) {
            snprintf(b, sizeof b, "https://example.org/%u", seen_by_prefix[j]);
            found = 1;
        } else {
            seen_by_prefix[j] = i;
        }
    }
    free(seen_by_prefix);
    assert_true(found);
    sa = add(f, a, NULL, "A.", PL_ADD_NEW);
    sb = add(f, b, NULL, "B.", PL_ADD_NEW);
    memcpy(prefix, sa->id, 4);
    prefix[4] = '\0';
    assert_int_equal(pl_library_get(f->lib, prefix, &got, &err), PL_LIBRARY_AMBIGUOUS);
    pl_source_free(sa);
    pl_source_free(sb);

    /* Two origins whose whole ids collide (a birthday search over 32 bits,
     * a fraction of a second): the second gets another id, and adding it
     * again still finds it. */
    ids = calloc(TRIES, sizeof *ids);
    assert_non_null(ids);
    for (i = 0; i < TRIES; i++) {
        snprintf(a, sizeof a, "/notes/file-%u.txt", i);
        ids[i] = (id_bits(a) << 32) | i;
    }
    qsort(ids, TRIES, sizeof *ids, compare_u64);
    found = 0;
    for (i = 1; i < TRIES && !found; i++) {
        if (ids[i] >> 32 == ids[i - 1] >> 32) {
            snprintf(a, sizeof a, "/notes/file-%u.txt", (unsigned)(ids[i - 1] & 0xFFFFFFFFu));
            snprintf(b, sizeof b, "/notes/file-%u.txt", (unsigned)(ids[i] & 0xFFFFFFFFu));
            found = 1;
        }
    }
    free(ids);
    assert_true(found);
    sa = add(f, a, "first", "A text.", PL_ADD_NEW);
    sb = add(f, b, "second", "B text.", PL_ADD_NEW);
    assert_string_not_equal(sa->id, sb->id);
    assert_int_equal(pl_library_get(f->lib, sb->id, &got, &err), PL_LIBRARY_OK);
    assert_string_equal(got->origin, b);
    pl_source_free(got);
    pl_source_free(add(f, b, "second", "B text.", PL_ADD_UNCHANGED));
    assert_int_equal(count_sources(f), 4);
    pl_source_free(sa);
    pl_source_free(sb);
}

static void test_remove(void **state)
{
    fixture *f = *state;
    pl_source *a = add(f, "https://example.org/e", NULL, "Shared text.", PL_ADD_NEW);
    pl_source *b = add(f, "https://example.org/f", NULL, "Shared text.", PL_ADD_NEW);
    pl_source *c = add(f, "https://example.org/g", NULL, "Own text.", PL_ADD_NEW), *got;
    char *data, path[512], hex[PL_HASH_HEX_SIZE], message[512];
    size_t len;
    pl_error err;
    assert_int_equal(pl_library_cache_put(f->lib, a->hash, "summary.json", "{}", 2, &err),
                     PL_LIBRARY_OK);
    assert_int_equal(pl_library_cache_put(f->lib, c->hash, "summary.json", "{}", 2, &err),
                     PL_LIBRARY_OK);
    assert_int_equal(count_sources(f), 3);

    assert_int_equal(pl_library_remove(f->lib, a->id, &err), PL_LIBRARY_OK);
    assert_int_equal(count_sources(f), 2);
    assert_int_equal(pl_library_get(f->lib, a->id, &got, &err), PL_LIBRARY_NOT_FOUND);
    /* b has the same text, so the cached results stay. */
    assert_int_equal(pl_library_cache_get(f->lib, a->hash, "summary.json", &data, &len, &err),
                     PL_LIBRARY_OK);
    pl_free(data);

    assert_int_equal(pl_library_remove(f->lib, c->id, &err), PL_LIBRARY_OK);
    assert_int_equal(pl_library_cache_get(f->lib, c->hash, "summary.json", &data, &len, &err),
                     PL_LIBRARY_NOT_FOUND);
    pl_hash64_hex(c->hash, hex);
    snprintf(path, sizeof path, "%s/sources/%s-%s.txt", f->dir, c->id, hex);
    assert_false(exists(path));
    snprintf(path, sizeof path, "%s/cache/%s", f->dir, hex);
    assert_false(exists(path));

    assert_int_equal(pl_library_remove(f->lib, c->id, &err), PL_LIBRARY_NOT_FOUND);
    snprintf(message, sizeof message, "no source '%s' in %s", c->id, f->dir);
    assert_string_equal(err.message, message);
    assert_int_equal(pl_library_remove(f->lib, "1234", &err), PL_LIBRARY_INVALID);
    assert_int_equal(count_sources(f), 1);
    pl_source_free(a);
    pl_source_free(b);
    pl_source_free(c);
}

static void test_cache(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {
        "",    ".hidden",    "../escape",
        "a/b", "with space", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    uint64_t h = pl_hash64("x", 1);
    char *data, message[128], hex[PL_HASH_HEX_SIZE];
    size_t len, i;
    pl_error err;
    assert_int_equal(pl_library_cache_get(f->lib, h, "terms.json", &data, &len, &err),
                     PL_LIBRARY_NOT_FOUND);
    pl_hash64_hex(h, hex);
    snprintf(message, sizeof message, "no cached 'terms.json' for %s", hex);
    assert_string_equal(err.message, message);
    assert_null(data);
    assert_int_equal(pl_library_cache_put(f->lib, h, "terms.json", "[1,2]", 5, &err),
                     PL_LIBRARY_OK);
    assert_int_equal(pl_library_cache_get(f->lib, h, "terms.json", &data, &len, &err),
                     PL_LIBRARY_OK);
    assert_string_equal(data, "[1,2]");
    assert_int_equal(len, 5);
    pl_free(data);
    /* Overwriting is atomic too, and binary data survives. */
    assert_int_equal(pl_library_cache_put(f->lib, h, "terms.json", "a\0b", 3, &err), PL_LIBRARY_OK);
    assert_int_equal(pl_library_cache_get(f->lib, h, "terms.json", &data, &len, &err),
                     PL_LIBRARY_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "a\0b", 3);
    pl_free(data);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(pl_library_cache_put(f->lib, h, bad[i], "x", 1, &err), PL_LIBRARY_INVALID);
        assert_int_equal(pl_library_cache_get(f->lib, h, bad[i], &data, &len, &err),
                         PL_LIBRARY_INVALID);
    }
}

/* What a crash at each step of a write leaves behind, written by hand. */
static void test_leftovers_of_interrupted_writes(void **state)
{
    fixture *f = *state;
    pl_source *a = add(f, "https://example.org/h", "Kept", "Kept text.", PL_ADD_NEW);
    pl_source **list;
    char path[512];
    size_t n, count;
    pl_error err;
    struct timespec old[2];
    /* A temporary record that never got renamed, and a text without a
     * record (a crash between the two renames of an add). */
    path_in(path, sizeof path, f, "sources/.tmp-0badf00d.meta.Ab12Cd");
    write_raw(path, "policylink source 1\nid: 0bad");
    path_in(path, sizeof path, f, "sources/0badf00d-0123456789abcdef.txt");
    write_raw(path, "orphan");
    path_in(path, sizeof path, f, ".tmp-index.Zz99Yy");
    write_raw(path, "policylink index 1\ngarbage");
    assert_int_equal(pl_library_list(f->lib, &list, &n, &err), PL_LIBRARY_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0]->title, "Kept");
    pl_source_list_free(list, n);

    /* A rebuild removes leftovers an hour old, and keeps younger ones
     * (they may belong to a write still running). */
    assert_int_equal(pl_library_rebuild_index(f->lib, &count, &err), PL_LIBRARY_OK);
    assert_int_equal(count, 1);
    path_in(path, sizeof path, f, "sources/0badf00d-0123456789abcdef.txt");
    assert_true(exists(path));
    old[0].tv_sec = old[1].tv_sec = time(NULL) - 7200;
    old[0].tv_nsec = old[1].tv_nsec = 0;
    assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
    path_in(path, sizeof path, f, "sources/.tmp-0badf00d.meta.Ab12Cd");
    assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
    path_in(path, sizeof path, f, ".tmp-index.Zz99Yy");
    assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
    assert_int_equal(pl_library_rebuild_index(f->lib, &count, &err), PL_LIBRARY_OK);
    assert_false(exists(path));
    path_in(path, sizeof path, f, "sources/.tmp-0badf00d.meta.Ab12Cd");
    assert_false(exists(path));
    path_in(path, sizeof path, f, "sources/0badf00d-0123456789abcdef.txt");
    assert_false(exists(path));
    assert_int_equal(count_sources(f), 1);
    pl_source_free(a);
}

static void test_index_rebuilt_when_stale(void **state)
{
    fixture *f = *state;
    pl_source *a = add(f, "https://example.org/i", "First", "One.", PL_ADD_NEW);
    pl_source *b = add(f, "https://example.org/j", "Second", "Two.", PL_ADD_NEW);
    pl_source **list, *got;
    char path[512], record[700], hex[PL_HASH_HEX_SIZE];
    size_t n;
    pl_error err;
    FILE *fp;

    /* Lost index. */
    path_in(path, sizeof path, f, "index");
    unlink(path);
    assert_int_equal(count_sources(f), 2);
    assert_true(exists(path));

    /* Damaged index. */
    write_raw(path, "policylink index 1\nnot\ta\tvalid\tline\n");
    assert_int_equal(count_sources(f), 2);
    write_raw(path, "something else entirely");
    assert_int_equal(count_sources(f), 2);

    /* A record replaced behind the index's back (a crash after the record
     * was renamed but before the index was), same set of ids. */
    snprintf(path, sizeof path, "%s/sources/%s.meta", f->dir, b->id);
    pl_hash64_hex(b->hash, hex);
    snprintf(record, sizeof record,
             "policylink source 1\nid: %s\norigin: https://example.org/j\ntitle: Renamed\n"
             "hash: %s\nlength: 4\nadded: 2026-01-02T03:04:05Z\nfetched: 2026-01-02T03:04:05Z\n"
             "future_field: ignored\n",
             b->id, hex);
    snprintf(path, sizeof path, "%s/sources/.tmp-x", f->dir);
    write_raw(path, record);
    snprintf(record, sizeof record, "%s/sources/%s.meta", f->dir, b->id);
    assert_int_equal(rename(path, record), 0);
    assert_int_equal(pl_library_list(f->lib, &list, &n, &err), PL_LIBRARY_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0]->id, b->id); /* added in 2026-01-02: now the oldest */
    assert_string_equal(list[0]->title, "Renamed");
    assert_true(list[0]->added == 1767323045);
    pl_source_list_free(list, n);

    /* A damaged record hides only itself. */
    snprintf(path, sizeof path, "%s/sources/%s.meta", f->dir, a->id);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("policylink source 1\nid: ffffffff\n", fp);
    fclose(fp);
    assert_int_equal(count_sources(f), 1);
    assert_int_equal(pl_library_get(f->lib, a->id, &got, &err), PL_LIBRARY_CORRUPT);
    assert_null(got);
    snprintf(record, sizeof record, "'%s' is not a source record (line 2)", path);
    assert_string_equal(err.message, record);
    pl_source_free(a);
    pl_source_free(b);
}

/* A writer killed at a random moment of a run of adds: whatever it got to,
 * the library lists, every listed source reads back with its hash, and the
 * sources added before it started are all still there. */
static void test_killed_writer(void **state)
{
    fixture *f = *state;
    pl_source **list;
    size_t n, i, before;
    pl_error err;
    pid_t pid;
    int round;
    for (i = 0; i < 5; i++) {
        char origin[64], text[64];
        snprintf(origin, sizeof origin, "https://example.org/kept/%zu", i);
        snprintf(text, sizeof text, "Kept text %zu.", i);
        pl_source_free(add(f, origin, "Kept", text, PL_ADD_NEW));
    }
    before = count_sources(f);
    for (round = 0; round < 3; round++) {
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            pl_library *lib = pl_library_open(f->dir, NULL);
            for (i = 0;; i++) {
                char origin[64], text[128];
                pl_source_info info;
                memset(&info, 0, sizeof info);
                snprintf(origin, sizeof origin, "https://example.org/%d/%zu", round, i % 7);
                snprintf(text, sizeof text, "Text %zu of a page that keeps changing.", i);
                info.origin = origin;
                pl_library_add(lib, &info, text, strlen(text), NULL, NULL, NULL);
            }
        }
        {
            struct timespec pause = {0, 20000000L + 15000000L * round};
            nanosleep(&pause, NULL);
        }
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        assert_int_equal(pl_library_list(f->lib, &list, &n, &err), PL_LIBRARY_OK);
        assert_true(n >= before);
        for (i = 0; i < n; i++) {
            char *text;
            size_t len;
            if (pl_library_read_text(f->lib, list[i], &text, &len, &err) != PL_LIBRARY_OK)
                fail_msg("source %s: %s", list[i]->id, err.message);
            assert_true(pl_hash64(text, len) == list[i]->hash);
            pl_free(text);
        }
        pl_source_list_free(list, n);
    }
}

static void test_resolve(void **state)
{
    fixture *f = *state;
    char base[256], notes[512], deep[512], mark[512], want[512], message[700], *dir;
    const char *home = getenv("HOME"), *xdg = getenv("XDG_DATA_HOME");
    char *saved_home = home ? strdup(home) : NULL, *saved_xdg = xdg ? strdup(xdg) : NULL;
    pl_error err;
    snprintf(base, sizeof base, "%s", f->dir);
    *strrchr(base, '/') = '\0';
    dir = pl_library_resolve("/explicit/dir", NULL, &err);
    assert_string_equal(dir, "/explicit/dir");
    pl_free(dir);

    /* A .policylink folder beside the notes, found from a folder below. */
    snprintf(notes, sizeof notes, "%s/notes", base);
    snprintf(deep, sizeof deep, "%s/notes/2026/june", base);
    snprintf(mark, sizeof mark, "%s/notes/.policylink", base);
    assert_int_equal(mkdir(notes, 0755), 0);
    snprintf(want, sizeof want, "%s/notes/2026", base);
    assert_int_equal(mkdir(want, 0755), 0);
    assert_int_equal(mkdir(deep, 0755), 0);
    assert_int_equal(mkdir(mark, 0755), 0);
    dir = pl_library_resolve(NULL, deep, &err);
    assert_string_equal(dir, mark);
    pl_free(dir);
    dir = pl_library_resolve("", notes, &err);
    assert_string_equal(dir, mark);
    pl_free(dir);

    /* Else the data directory. */
    setenv("XDG_DATA_HOME", "/data/home", 1);
    dir = pl_library_resolve(NULL, base, &err);
    assert_string_equal(dir, "/data/home/policylink");
    pl_free(dir);
    setenv("XDG_DATA_HOME", "relative/ignored", 1);
    setenv("HOME", "/home/someone", 1);
    dir = pl_library_resolve(NULL, base, &err);
    assert_string_equal(dir, "/home/someone/.local/share/policylink");
    pl_free(dir);
    unsetenv("XDG_DATA_HOME");
    unsetenv("HOME");
    dir = pl_library_resolve(NULL, base, &err);
    assert_null(dir);
    assert_string_equal(err.message, "no library folder: set $HOME or $XDG_DATA_HOME, or give one");
    if (saved_home)
        setenv("HOME", saved_home, 1);
    if (saved_xdg)
        setenv("XDG_DATA_HOME", saved_xdg, 1);
    free(saved_home);
    free(saved_xdg);

    dir = pl_library_file_origin(mark, &err);
    assert_string_equal(dir, mark);
    pl_free(dir);
    snprintf(want, sizeof want, "%s/notes/2026/../.policylink", base);
    dir = pl_library_file_origin(want, &err);
    assert_string_equal(dir, mark);
    pl_free(dir);
    snprintf(want, sizeof want, "%s/missing.txt", base);
    assert_null(pl_library_file_origin(want, &err));
    snprintf(message, sizeof message, "cannot find '%s': No such file or directory", want);
    assert_string_equal(err.message, message);
}

static void test_missing_text_is_reported(void **state)
{
    fixture *f = *state;
    pl_source *a = add(f, "https://example.org/k", NULL, "Text.", PL_ADD_NEW);
    char path[512], hex[PL_HASH_HEX_SIZE], message[700], *text;
    size_t len;
    pl_error err;
    pl_hash64_hex(a->hash, hex);
    snprintf(path, sizeof path, "%s/sources/%s-%s.txt", f->dir, a->id, hex);
    unlink(path);
    assert_int_equal(pl_library_read_text(f->lib, a, &text, &len, &err), PL_LIBRARY_CORRUPT);
    snprintf(message, sizeof message, "the text of source %s is missing ('%s')", a->id, path);
    assert_string_equal(err.message, message);
    /* Adding the same text again restores it. */
    pl_source_free(add(f, "https://example.org/k", NULL, "Text.", PL_ADD_UNCHANGED));
    assert_true(exists(path));
    pl_source_free(a);
}

static void test_not_a_folder(void **state)
{
    fixture *f = *state;
    pl_source_info info;
    pl_error err;
    char message[700];
    memset(&info, 0, sizeof info);
    info.origin = "https://example.org/l";
    write_raw(f->dir, "a file where the library should be");
    assert_int_equal(pl_library_add(f->lib, &info, "x", 1, NULL, NULL, &err), PL_LIBRARY_IO);
    snprintf(message, sizeof message, "cannot read the folder '%s/sources': Not a directory",
             f->dir);
    assert_string_equal(err.message, message);
    unlink(f->dir);
    info.origin = "";
    assert_int_equal(pl_library_add(f->lib, &info, "x", 1, NULL, NULL, &err), PL_LIBRARY_INVALID);
    assert_null(pl_library_open("", &err));
    assert_string_equal(pl_library_code_name(PL_LIBRARY_NOT_FOUND), "not_found");
    assert_string_equal(pl_library_code_name((pl_library_code)99), "unknown");
    pl_library_free(NULL);
    pl_source_free(NULL);
    pl_source_list_free(NULL, 0);
}

/* Every allocation failing in turn: an out-of-memory code, never a crash,
 * a leak or a damaged library. */
static void test_allocation_failures(void **state)
{
    fixture *f = *state;
    pl_source_info info;
    pl_source *src, **list;
    pl_error err;
    long k;
    size_t n;
    int done = 0;
    pl_source_free(add(f, "https://example.org/m", "M", "Existing text.", PL_ADD_NEW));
    memset(&info, 0, sizeof info);
    info.origin = "https://example.org/n";
    info.title = "N";
    for (k = 0; !done && k < 500; k++) {
        pl_library_code code;
        pl_alloc_fail_after(k);
        code = pl_library_add(f->lib, &info, "New text.", 9, &src, NULL, &err);
        pl_alloc_fail_after(-1);
        if (code == PL_LIBRARY_OK) {
            pl_source_free(src);
            done = 1;
        } else {
            assert_int_equal(code, PL_LIBRARY_NOMEM);
        }
    }
    assert_true(done);
    for (k = 0, done = 0; !done && k < 500; k++) {
        pl_library_code code;
        pl_alloc_fail_after(k);
        code = pl_library_list(f->lib, &list, &n, &err);
        pl_alloc_fail_after(-1);
        if (code == PL_LIBRARY_OK) {
            assert_int_equal(n, 2);
            pl_source_list_free(list, n);
            done = 1;
        } else {
            assert_int_equal(code, PL_LIBRARY_NOMEM);
        }
    }
    assert_true(done);
    assert_int_equal(count_sources(f), 2);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_empty_library),
        T(test_add_and_read_back),
        T(test_record_is_readable_text),
        T(test_same_origin_updates),
        T(test_list_oldest_first),
        T(test_get_by_prefix_and_errors),
        T(test_ambiguous_prefix_and_id_collision),
        T(test_remove),
        T(test_cache),
        T(test_leftovers_of_interrupted_writes),
        T(test_index_rebuilt_when_stale),
        T(test_killed_writer),
        T(test_resolve),
        T(test_missing_text_is_reported),
        T(test_not_a_folder),
        T(test_allocation_failures),
    };
#undef T
    return cmocka_run_group_tests_name("library", tests, NULL, NULL);
}
