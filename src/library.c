/* The library of sources (see library.h for the folder layout and the
 * crash-safety argument): records and index as escaped text lines, atomic
 * writes, an index checked against the records' file identities, and the
 * cache of processed results. */
#define _XOPEN_SOURCE 700 /* POSIX 2008 with realpath */

#include "library.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "file.h"
#include "hash.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define META_MAGIC "policylink source 1"
#define INDEX_MAGIC "policylink index 1"
#define META_MAX_BYTES ((size_t)1 << 20)
#define INDEX_MAX_BYTES ((size_t)1 << 30)
#define TEXT_MAX_BYTES ((size_t)1 << 30)
#define CACHE_MAX_BYTES ((size_t)1 << 30)
#define CACHE_NAME_MAX 64
/* Leftovers younger than this may belong to a write still running. */
#define LEFTOVER_AGE_SECONDS 3600
/* Ids tried for one origin before giving up (each a different hash). */
#define ID_CANDIDATES 64

struct pl_library {
    char *root;
};

/* A record with the identity of the file it was read from: the index keeps
 * these, and a record whose file has changed since (new inode or mtime, as a
 * rename always makes) sends the index back to the records. */
typedef struct entry {
    pl_source *src;
    unsigned long long ino;
    long long mtime_sec;
    long mtime_nsec;
} entry;

typedef struct entry_list {
    entry *items;
    size_t count, cap;
} entry_list;

const char *pl_library_code_name(pl_library_code code)
{
    switch (code) {
    case PL_LIBRARY_OK:
        return "ok";
    case PL_LIBRARY_NOT_FOUND:
        return "not_found";
    case PL_LIBRARY_AMBIGUOUS:
        return "ambiguous";
    case PL_LIBRARY_INVALID:
        return "invalid";
    case PL_LIBRARY_IO:
        return "io";
    case PL_LIBRARY_CORRUPT:
        return "corrupt";
    case PL_LIBRARY_NOMEM:
        return "nomem";
    }
    return "unknown";
}

/* ---- errors ---- */

static pl_library_code lib_fail(pl_error *err, pl_library_code code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static pl_library_code lib_fail(pl_error *err, pl_library_code code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->status = code == PL_LIBRARY_NOMEM     ? PL_ERR_NOMEM
                      : code == PL_LIBRARY_CORRUPT ? PL_ERR_PARSE
                      : code == PL_LIBRARY_IO      ? PL_ERR_IO
                                                   : PL_ERR_INVALID_ARGUMENT;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

static pl_library_code nomem(pl_error *err)
{
    return lib_fail(err, PL_LIBRARY_NOMEM, "out of memory");
}

/* "cannot WHAT 'PATH': reason" from errno (read before anything else runs). */
static pl_library_code io_fail(pl_error *err, const char *what, const char *path)
{
    int e = errno;
    char reason[128];
    if (strerror_r(e, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", e);
    return lib_fail(err, PL_LIBRARY_IO, "cannot %s '%s': %s", what, path, reason);
}

static pl_library_code path_too_long(pl_error *err)
{
    return lib_fail(err, PL_LIBRARY_INVALID, "path too long");
}

/* ---- paths and files ---- */

static int make_path(char *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Formats a path into out[PATH_MAX]. Returns -1 when it does not fit. */
static int make_path(char *out, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(out, PATH_MAX, fmt, ap);
    va_end(ap);
    return (n < 0 || n >= PATH_MAX) ? -1 : 0;
}

static int is_hex_id(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Creates dir (one level) unless it is already a folder. */
static pl_library_code ensure_dir(const char *dir, pl_error *err)
{
    struct stat st;
    if (mkdir(dir, 0755) == 0)
        return PL_LIBRARY_OK;
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return PL_LIBRARY_OK;
    if (errno == EEXIST)
        errno = ENOTDIR;
    return io_fail(err, "create the folder", dir);
}

/* Creates dir and its missing parents. */
static pl_library_code ensure_dirs(const char *dir, pl_error *err)
{
    char path[PATH_MAX];
    size_t i, n = strlen(dir);
    pl_library_code code;
    if (n >= sizeof path)
        return path_too_long(err);
    memcpy(path, dir, n + 1);
    for (i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        if (path[i - 1] == '/')
            continue;
        path[i] = '\0';
        code = ensure_dir(path, err);
        if (code != PL_LIBRARY_OK)
            return code;
        path[i] = dir[i];
    }
    return PL_LIBRARY_OK;
}

/* Syncs a folder so a rename in it survives a power loss, not only a
 * crash of this process. Failure is ignored: some file systems refuse. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Writes dir/name so that readers see the old file or the new one, never
 * a part (pl_file_write_atomic: a synced temporary file renamed over it). */
static pl_library_code write_atomic(const char *dir, const char *name, const char *data, size_t len,
                                    pl_error *err)
{
    char final[PATH_MAX];
    if (make_path(final, "%s/%s", dir, name) != 0)
        return path_too_long(err);
    if (pl_file_write_atomic(final, data, len, err) != PL_OK)
        return err && err->status == PL_ERR_NOMEM ? PL_LIBRARY_NOMEM : PL_LIBRARY_IO;
    return PL_LIBRARY_OK;
}

/* Reads a whole regular file of at most max bytes, NUL-terminated.
 * PL_LIBRARY_NOT_FOUND when it does not exist. */
static pl_library_code read_file(const char *path, size_t max, char **data, size_t *len,
                                 pl_error *err)
{
    struct stat st;
    pl_buf buf = PL_BUF_INIT;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    *data = NULL;
    *len = 0;
    if (fd < 0) {
        if (errno == ENOENT)
            return lib_fail(err, PL_LIBRARY_NOT_FOUND, "'%s' does not exist", path);
        return io_fail(err, "read", path);
    }
    if (fstat(fd, &st) != 0) {
        pl_library_code code = io_fail(err, "read", path);
        close(fd);
        return code;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return io_fail(err, "read", path);
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        return lib_fail(err, PL_LIBRARY_CORRUPT, "'%s' is larger than %zu bytes", path, max);
    }
    /* One byte more than the size, so the read that sees the end needs no
     * second allocation. */
    if (pl_buf_reserve(&buf, (size_t)st.st_size + 1) != 0) {
        close(fd);
        return nomem(err);
    }
    for (;;) {
        ssize_t n;
        if (buf.len > max) {
            close(fd);
            pl_buf_free(&buf);
            return lib_fail(err, PL_LIBRARY_CORRUPT, "'%s' is larger than %zu bytes", path, max);
        }
        if (buf.cap - buf.len - 1 == 0 && pl_buf_reserve(&buf, 4096) != 0) {
            close(fd);
            pl_buf_free(&buf);
            return nomem(err);
        }
        n = read(fd, buf.data + buf.len, buf.cap - buf.len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            pl_library_code code = io_fail(err, "read", path);
            close(fd);
            pl_buf_free(&buf);
            return code;
        }
        if (n == 0)
            break;
        buf.len += (size_t)n;
    }
    close(fd);
    buf.data[buf.len] = '\0';
    *data = buf.data;
    *len = buf.len;
    return PL_LIBRARY_OK;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- records ---- */

void pl_source_free(pl_source *src)
{
    if (!src)
        return;
    pl_free(src->origin);
    pl_free(src->title);
    pl_free(src->author);
    pl_free(src->date);
    pl_free(src->source);
    pl_free(src->content_type);
    pl_free(src->etag);
    pl_free(src->last_modified);
    pl_free(src);
}

void pl_source_list_free(pl_source **list, size_t count)
{
    size_t i;
    if (!list)
        return;
    for (i = 0; i < count; i++)
        pl_source_free(list[i]);
    pl_free(list);
}

typedef enum field_kind { FIELD_TEXT, FIELD_TIME, FIELD_SIZE, FIELD_HASH } field_kind;

typedef struct field {
    const char *name;
    field_kind kind;
    size_t offset;
} field;

/* The fields of a record, in the order the record and index files list
 * them (the id is written apart: it names the files). */
static const field fields[] = {
    {"origin", FIELD_TEXT, offsetof(pl_source, origin)},
    {"title", FIELD_TEXT, offsetof(pl_source, title)},
    {"author", FIELD_TEXT, offsetof(pl_source, author)},
    {"date", FIELD_TEXT, offsetof(pl_source, date)},
    {"source", FIELD_TEXT, offsetof(pl_source, source)},
    {"content_type", FIELD_TEXT, offsetof(pl_source, content_type)},
    {"etag", FIELD_TEXT, offsetof(pl_source, etag)},
    {"last_modified", FIELD_TEXT, offsetof(pl_source, last_modified)},
    {"hash", FIELD_HASH, offsetof(pl_source, hash)},
    {"length", FIELD_SIZE, offsetof(pl_source, length)},
    {"added", FIELD_TIME, offsetof(pl_source, added)},
    {"fetched", FIELD_TIME, offsetof(pl_source, fetched)},
};
#define FIELD_COUNT (sizeof fields / sizeof fields[0])

static int is_leap(long long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (y >= 1970; the records never hold older). */
static long long days_since_epoch(long long y, int m, int d)
{
    static const int before_month[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    long long p = y - 1;
    long long days =
        365 * (y - 1970) + (p / 4 - p / 100 + p / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400);
    days += before_month[m - 1] + (d - 1);
    if (m > 2 && is_leap(y))
        days++;
    return days;
}

/* Times are written as ISO 8601 UTC so a person reading a record sees a
 * date, and parsed back without the (non-standard) timegm. */
static void format_time(long long t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    out[0] = '\0';
    if (t > 0 && gmtime_r(&tt, &tm))
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int parse_time(const char *s, long long *out)
{
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, se, used = 0;
    if (*s == '\0') {
        *out = 0;
        return 0;
    }
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &used) != 6 ||
        used == 0 || s[used] != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
        d > month_days[mo - 1] || h > 23 || mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0)
        return -1;
    *out = days_since_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

/* Escapes what would break a line or a tab-separated field. */
static int append_escaped(pl_buf *b, const char *s)
{
    for (; s && *s; s++) {
        const char *rep = *s == '\\'   ? "\\\\"
                          : *s == '\n' ? "\\n"
                          : *s == '\r' ? "\\r"
                          : *s == '\t' ? "\\t"
                                       : NULL;
        if (rep ? pl_buf_append(b, rep, 2) != 0 : pl_buf_putc(b, *s) != 0)
            return -1;
    }
    return 0;
}

/* Undoes append_escaped in place; returns the new length. */
static size_t unescape(char *s, size_t n)
{
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            s[o++] = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = '\0';
    return o;
}

static int append_field(pl_buf *b, const pl_source *src, const field *f)
{
    const char *base = (const char *)src + f->offset;
    char tmp[32];
    switch (f->kind) {
    case FIELD_TEXT:
        return append_escaped(b, *(char *const *)(const void *)base);
    case FIELD_TIME:
        format_time(*(const long long *)(const void *)base, tmp);
        return pl_buf_append(b, tmp, strlen(tmp));
    case FIELD_SIZE:
        snprintf(tmp, sizeof tmp, "%zu", *(const size_t *)(const void *)base);
        return pl_buf_append(b, tmp, strlen(tmp));
    case FIELD_HASH:
        pl_hash64_hex(*(const uint64_t *)(const void *)base, tmp);
        return pl_buf_append(b, tmp, strlen(tmp));
    }
    return -1;
}

/* Stores the unescaped value s[0..n) in src's field. Returns 0, -1 for a
 * malformed value, -2 when out of memory. */
static int set_field(pl_source *src, const field *f, char *s, size_t n)
{
    char *base = (char *)src + f->offset;
    n = unescape(s, n);
    switch (f->kind) {
    case FIELD_TEXT: {
        char **slot = (char **)(void *)base;
        pl_free(*slot);
        *slot = NULL;
        if (n == 0)
            return 0;
        *slot = pl_strndup(s, n);
        return *slot ? 0 : -2;
    }
    case FIELD_TIME:
        return parse_time(s, (long long *)(void *)base);
    case FIELD_SIZE: {
        char *end;
        unsigned long long v;
        if (n == 0 || s[0] < '0' || s[0] > '9')
            return -1;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || *end || v > (unsigned long long)SIZE_MAX)
            return -1;
        *(size_t *)(void *)base = (size_t)v;
        return 0;
    }
    case FIELD_HASH:
        return pl_hash64_parse(s, (uint64_t *)(void *)base);
    }
    return -1;
}

static pl_library_code serialize_record(const pl_source *src, pl_buf *b, pl_error *err)
{
    size_t i;
    if (pl_buf_append(b, META_MAGIC "\nid: ", strlen(META_MAGIC) + 5) != 0 ||
        pl_buf_append(b, src->id, strlen(src->id)) != 0 || pl_buf_putc(b, '\n') != 0)
        return nomem(err);
    for (i = 0; i < FIELD_COUNT; i++) {
        if (pl_buf_append(b, fields[i].name, strlen(fields[i].name)) != 0 ||
            pl_buf_append(b, ": ", 2) != 0 || append_field(b, src, &fields[i]) != 0 ||
            pl_buf_putc(b, '\n') != 0)
            return nomem(err);
    }
    return PL_LIBRARY_OK;
}

/* Parses a record file; expected_id is the id its file name gives. Unknown
 * keys are skipped, so later versions may add fields. */
static pl_library_code parse_record(char *data, size_t len, const char *expected_id,
                                    const char *path, pl_source **out, pl_error *err)
{
    pl_source *src = pl_calloc(1, sizeof *src);
    char *line = data, *end = data + len;
    int have_hash = 0, first = 1;
    size_t line_no = 0;
    if (!src)
        return nomem(err);
    while (line < end) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        char *stop = nl ? nl : end, *sep;
        size_t i;
        line_no++;
        *stop = '\0';
        if (first) {
            first = 0;
            if (strcmp(line, META_MAGIC) != 0)
                goto corrupt;
        } else if (stop > line) {
            sep = strstr(line, ": ");
            if (!sep)
                goto corrupt;
            *sep = '\0';
            if (strcmp(line, "id") == 0) {
                if (strcmp(sep + 2, expected_id) != 0)
                    goto corrupt;
                memcpy(src->id, expected_id, PL_SOURCE_ID_SIZE);
            }
            for (i = 0; i < FIELD_COUNT; i++) {
                int rc;
                if (strcmp(line, fields[i].name) != 0)
                    continue;
                rc = set_field(src, &fields[i], sep + 2, (size_t)(stop - sep - 2));
                if (rc == -2) {
                    pl_source_free(src);
                    return nomem(err);
                }
                if (rc != 0)
                    goto corrupt;
                if (fields[i].kind == FIELD_HASH)
                    have_hash = 1;
            }
        }
        line = stop + 1;
    }
    if (first || !src->id[0] || !src->origin || !have_hash) {
        line_no = 0;
        goto corrupt;
    }
    *out = src;
    return PL_LIBRARY_OK;
corrupt:
    pl_source_free(src);
    if (line_no)
        return lib_fail(err, PL_LIBRARY_CORRUPT, "'%s' is not a source record (line %zu)", path,
                        line_no);
    return lib_fail(err, PL_LIBRARY_CORRUPT, "'%s' is not a whole source record", path);
}

static pl_library_code read_record(const pl_library *lib, const char *id, pl_source **out,
                                   pl_error *err)
{
    char path[PATH_MAX], *data;
    size_t len;
    pl_library_code code;
    *out = NULL;
    if (make_path(path, "%s/sources/%s.meta", lib->root, id) != 0)
        return path_too_long(err);
    code = read_file(path, META_MAX_BYTES, &data, &len, err);
    if (code == PL_LIBRARY_NOT_FOUND)
        return lib_fail(err, code, "no source '%s' in %s", id, lib->root);
    if (code != PL_LIBRARY_OK)
        return code;
    code = parse_record(data, len, id, path, out, err);
    pl_free(data);
    return code;
}

static pl_source *copy_source(const pl_source *src)
{
    pl_source *c = pl_calloc(1, sizeof *c);
    size_t i;
    if (!c)
        return NULL;
    *c = *src;
    for (i = 0; i < FIELD_COUNT; i++) {
        char **slot, *s;
        if (fields[i].kind != FIELD_TEXT)
            continue;
        slot = (char **)(void *)((char *)c + fields[i].offset);
        s = *slot;
        *slot = NULL;
        if (s && !(*slot = pl_strndup(s, strlen(s)))) {
            pl_source_free(c);
            return NULL;
        }
    }
    return c;
}

/* ---- the list of records, and the index that caches it ---- */

static void entries_free(entry_list *l)
{
    size_t i;
    for (i = 0; i < l->count; i++)
        pl_source_free(l->items[i].src);
    pl_free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}

static int entries_push(entry_list *l, entry e)
{
    void *items = l->items;
    if (pl_grow(&items, &l->cap, l->count + 1, sizeof(entry)) != 0)
        return -1;
    l->items = items;
    l->items[l->count++] = e;
    return 0;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->src->id, ((const entry *)b)->src->id);
}

static long find_entry(const entry_list *l, const char *id)
{
    size_t i;
    for (i = 0; i < l->count; i++)
        if (strcmp(l->items[i].src->id, id) == 0)
            return (long)i;
    return -1;
}

/* A record file on disk: its id and identity. */
typedef struct scanned {
    char id[PL_SOURCE_ID_SIZE];
    unsigned long long ino;
    long long mtime_sec;
    long mtime_nsec;
} scanned;

static int compare_scanned(const void *a, const void *b)
{
    return strcmp(((const scanned *)a)->id, ((const scanned *)b)->id);
}

static void identity_of(const struct stat *st, unsigned long long *ino, long long *sec, long *nsec)
{
    *ino = (unsigned long long)st->st_ino;
    *sec = (long long)st->st_mtim.tv_sec;
    *nsec = (long)st->st_mtim.tv_nsec;
}

/* The record files in sources/, sorted by id (none when the folder does not
 * exist yet). Temporary files start with a dot and are never listed. */
static pl_library_code scan_records(const pl_library *lib, scanned **out, size_t *count,
                                    pl_error *err)
{
    char dir[PATH_MAX], path[PATH_MAX];
    DIR *d;
    struct dirent *de;
    scanned *items = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    *count = 0;
    if (make_path(dir, "%s/sources", lib->root) != 0)
        return path_too_long(err);
    d = opendir(dir);
    if (!d)
        return errno == ENOENT ? PL_LIBRARY_OK : io_fail(err, "read the folder", dir);
    while ((de = readdir(d)) != NULL) {
        struct stat st;
        void *grown = items;
        if (strlen(de->d_name) != PL_SOURCE_ID_SIZE - 1 + 5 ||
            strcmp(de->d_name + PL_SOURCE_ID_SIZE - 1, ".meta") != 0 ||
            !is_hex_id(de->d_name, PL_SOURCE_ID_SIZE - 1))
            continue;
        if (make_path(path, "%s/%s", dir, de->d_name) != 0 || stat(path, &st) != 0)
            continue; /* removed since readdir saw it */
        if (pl_grow(&grown, &cap, n + 1, sizeof *items) != 0) {
            closedir(d);
            pl_free(items);
            return nomem(err);
        }
        items = grown;
        memcpy(items[n].id, de->d_name, PL_SOURCE_ID_SIZE - 1);
        items[n].id[PL_SOURCE_ID_SIZE - 1] = '\0';
        identity_of(&st, &items[n].ino, &items[n].mtime_sec, &items[n].mtime_nsec);
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(items, n, sizeof *items, compare_scanned);
    *out = items;
    *count = n;
    return PL_LIBRARY_OK;
}

static pl_library_code write_index(const pl_library *lib, const entry_list *l, pl_error *err)
{
    pl_buf b = PL_BUF_INIT;
    size_t i, f;
    pl_library_code code;
    if (pl_buf_append(&b, INDEX_MAGIC "\n", strlen(INDEX_MAGIC) + 1) != 0)
        return nomem(err);
    for (i = 0; i < l->count; i++) {
        const entry *e = &l->items[i];
        char head[128];
        snprintf(head, sizeof head, "%s\t%llu\t%lld\t%ld", e->src->id, e->ino, e->mtime_sec,
                 e->mtime_nsec);
        if (pl_buf_append(&b, head, strlen(head)) != 0)
            goto oom;
        for (f = 0; f < FIELD_COUNT; f++)
            if (pl_buf_putc(&b, '\t') != 0 || append_field(&b, e->src, &fields[f]) != 0)
                goto oom;
        if (pl_buf_putc(&b, '\n') != 0)
            goto oom;
    }
    code = write_atomic(lib->root, "index", b.data, b.len, err);
    pl_buf_free(&b);
    return code;
oom:
    pl_buf_free(&b);
    return nomem(err);
}

/* Parses one index line into e. Returns 0, -1 when malformed, -2 when out
 * of memory. */
static int parse_index_line(char *line, size_t len, entry *e)
{
    char *cols[4 + FIELD_COUNT];
    size_t ncols = 0, i, start = 0;
    pl_source *src;
    for (i = 0; i <= len && ncols < sizeof cols / sizeof cols[0]; i++) {
        if (i == len || line[i] == '\t') {
            cols[ncols++] = line + start;
            line[i] = '\0';
            start = i + 1;
        }
    }
    if (ncols != sizeof cols / sizeof cols[0] || i <= len)
        return -1;
    if (strlen(cols[0]) != PL_SOURCE_ID_SIZE - 1 || !is_hex_id(cols[0], PL_SOURCE_ID_SIZE - 1))
        return -1;
    src = pl_calloc(1, sizeof *src);
    if (!src)
        return -2;
    memcpy(src->id, cols[0], PL_SOURCE_ID_SIZE);
    e->src = src;
    e->ino = strtoull(cols[1], NULL, 10);
    e->mtime_sec = strtoll(cols[2], NULL, 10);
    e->mtime_nsec = strtol(cols[3], NULL, 10);
    for (i = 0; i < FIELD_COUNT; i++) {
        int rc = set_field(src, &fields[i], cols[4 + i], strlen(cols[4 + i]));
        if (rc != 0) {
            pl_source_free(src);
            e->src = NULL;
            return rc;
        }
    }
    return src->origin ? 0 : -1;
}

/* Reads the index into l (sorted by id). Returns PL_LIBRARY_OK, NOMEM, or
 * CORRUPT for an index that is missing or unreadable in any way (the
 * records then decide). */
static pl_library_code read_index(const pl_library *lib, entry_list *l, pl_error *err)
{
    char path[PATH_MAX], *data, *line, *end;
    size_t len;
    pl_library_code code;
    int first = 1;
    if (make_path(path, "%s/index", lib->root) != 0)
        return path_too_long(err);
    code = read_file(path, INDEX_MAX_BYTES, &data, &len, NULL);
    if (code == PL_LIBRARY_NOMEM)
        return nomem(err);
    if (code != PL_LIBRARY_OK)
        return PL_LIBRARY_CORRUPT;
    line = data;
    end = data + len;
    while (line < end) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        char *stop = nl ? nl : end;
        entry e = {NULL, 0, 0, 0};
        int rc;
        *stop = '\0';
        if (first) {
            first = 0;
            if (strcmp(line, INDEX_MAGIC) != 0 || !nl)
                goto corrupt;
            line = stop + 1;
            continue;
        }
        rc = parse_index_line(line, (size_t)(stop - line), &e);
        if (rc == -2) {
            pl_free(data);
            entries_free(l);
            return nomem(err);
        }
        if (rc != 0 || entries_push(l, e) != 0) {
            pl_source_free(e.src);
            if (rc == 0) {
                pl_free(data);
                entries_free(l);
                return nomem(err);
            }
            goto corrupt;
        }
        line = stop + 1;
    }
    pl_free(data);
    if (first)
        return PL_LIBRARY_CORRUPT;
    if (l->count > 1)
        qsort(l->items, l->count, sizeof *l->items, compare_entries);
    return PL_LIBRARY_OK;
corrupt:
    pl_free(data);
    entries_free(l);
    return PL_LIBRARY_CORRUPT;
}

/* Whether the index entries describe exactly the record files on disk. */
static int index_matches(const entry_list *l, const scanned *files, size_t n)
{
    size_t i;
    if (l->count != n)
        return 0;
    for (i = 0; i < n; i++) {
        const entry *e = &l->items[i];
        if (strcmp(e->src->id, files[i].id) != 0 || e->ino != files[i].ino ||
            e->mtime_sec != files[i].mtime_sec || e->mtime_nsec != files[i].mtime_nsec)
            return 0;
    }
    return 1;
}

/* Reads every record (a record that cannot be read is left out: one bad
 * file must not hide the others) and rewrites the index, best effort. */
static pl_library_code rebuild(const pl_library *lib, const scanned *files, size_t n, entry_list *l,
                               pl_error *err)
{
    size_t i;
    for (i = 0; i < n; i++) {
        entry e;
        pl_library_code code = read_record(lib, files[i].id, &e.src, NULL);
        if (code == PL_LIBRARY_NOMEM) {
            entries_free(l);
            return nomem(err);
        }
        if (code != PL_LIBRARY_OK)
            continue;
        e.ino = files[i].ino;
        e.mtime_sec = files[i].mtime_sec;
        e.mtime_nsec = files[i].mtime_nsec;
        if (entries_push(l, e) != 0) {
            pl_source_free(e.src);
            entries_free(l);
            return nomem(err);
        }
    }
    return PL_LIBRARY_OK;
}

/* The current records, sorted by id: from the index when it matches the
 * files, else from the files (and the index rewritten). */
static pl_library_code load_entries(const pl_library *lib, entry_list *l, pl_error *err)
{
    scanned *files;
    size_t n;
    pl_library_code code = scan_records(lib, &files, &n, err);
    if (code != PL_LIBRARY_OK)
        return code;
    code = read_index(lib, l, err);
    if (code == PL_LIBRARY_NOMEM) {
        pl_free(files);
        return code;
    }
    if (code != PL_LIBRARY_OK || !index_matches(l, files, n)) {
        entries_free(l);
        code = rebuild(lib, files, n, l, err);
        /* Best effort: a read-only library still lists, and a library
         * that does not exist yet is not created by a listing. */
        if (code == PL_LIBRARY_OK && n > 0)
            write_index(lib, l, NULL);
    }
    pl_free(files);
    return code;
}

/* ---- the public functions ---- */

char *pl_library_resolve(const char *explicit_dir, const char *start_dir, pl_error *err)
{
    char cwd[PATH_MAX], path[PATH_MAX], *dir;
    const char *env;
    struct stat st;
    size_t n;
    pl_error_clear(err);
    if (explicit_dir && *explicit_dir) {
        dir = pl_strndup(explicit_dir, strlen(explicit_dir));
        if (!dir)
            pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        return dir;
    }
    if (start_dir) {
        char *real = realpath(start_dir, NULL);
        if (make_path(cwd, "%s", real ? real : start_dir) != 0)
            cwd[0] = '\0';
        free(real); /* realpath allocates with malloc, not pl_malloc */
    } else if (!getcwd(cwd, sizeof cwd)) {
        cwd[0] = '\0';
    }
    /* A .policylink folder beside the notes (or above them) wins, so each
     * project can keep its own sources; only one of our own, so a folder
     * someone else made in a shared parent (/tmp) cannot capture them. */
    n = strlen(cwd);
    while (n > 0 && cwd[0] == '/') {
        cwd[n] = '\0';
        if (make_path(path, "%s/.policylink", n == 1 ? "" : cwd) == 0 && stat(path, &st) == 0 &&
            S_ISDIR(st.st_mode) && st.st_uid == geteuid()) {
            dir = pl_strndup(path, strlen(path));
            if (!dir)
                pl_error_set(err, PL_ERR_NOMEM, "out of memory");
            return dir;
        }
        if (n == 1)
            break;
        while (n > 1 && cwd[n - 1] != '/')
            n--;
        if (n > 1)
            n--; /* drop the slash too, except the root's */
    }
    env = getenv("XDG_DATA_HOME");
    if (env && env[0] == '/') {
        if (make_path(path, "%s/policylink", env) != 0) {
            pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "$XDG_DATA_HOME is too long");
            return NULL;
        }
    } else {
        env = getenv("HOME");
        if (!env || env[0] != '/') {
            pl_error_set(err, PL_ERR_INVALID_ARGUMENT,
                         "no library folder: set $HOME or $XDG_DATA_HOME, or give one");
            return NULL;
        }
        if (make_path(path, "%s/.local/share/policylink", env) != 0) {
            pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "$HOME is too long");
            return NULL;
        }
    }
    dir = pl_strndup(path, strlen(path));
    if (!dir)
        pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    return dir;
}

char *pl_library_file_origin(const char *path, pl_error *err)
{
    char *real, *copy;
    pl_error_clear(err);
    real = path ? realpath(path, NULL) : NULL;
    if (!real) {
        int e = path ? errno : EINVAL;
        char reason[128];
        if (strerror_r(e, reason, sizeof reason) != 0)
            snprintf(reason, sizeof reason, "error %d", e);
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "cannot find '%s': %s", path ? path : "",
                     reason);
        return NULL;
    }
    copy = pl_strndup(real, strlen(real));
    free(real);
    if (!copy)
        pl_error_set(err, PL_ERR_NOMEM, "out of memory");
    return copy;
}

pl_library *pl_library_open(const char *dir, pl_error *err)
{
    pl_library *lib;
    size_t n = dir ? strlen(dir) : 0;
    pl_error_clear(err);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n == 0) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no library folder given");
        return NULL;
    }
    if (n + 64 >= PATH_MAX) {
        pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "library path too long");
        return NULL;
    }
    lib = pl_calloc(1, sizeof *lib);
    if (!lib || !(lib->root = pl_strndup(dir, n))) {
        pl_free(lib);
        pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return lib;
}

void pl_library_free(pl_library *lib)
{
    if (!lib)
        return;
    pl_free(lib->root);
    pl_free(lib);
}

const char *pl_library_path(const pl_library *lib)
{
    return lib->root;
}

/* Candidate id k for an origin: the first 8 hex digits of its hash, then of
 * the hash continued with "#k" when two origins collide. */
static void id_candidate(const char *origin, unsigned k, char id[PL_SOURCE_ID_SIZE])
{
    char hex[PL_HASH_HEX_SIZE], suffix[16];
    uint64_t h = pl_hash64(origin, strlen(origin));
    if (k > 0) {
        snprintf(suffix, sizeof suffix, "#%u", k);
        h = pl_hash64_update(h, suffix, strlen(suffix));
    }
    pl_hash64_hex(h, hex);
    memcpy(id, hex, PL_SOURCE_ID_SIZE - 1);
    id[PL_SOURCE_ID_SIZE - 1] = '\0';
}

static int text_path(char *out, const pl_library *lib, const char *id, uint64_t hash)
{
    char hex[PL_HASH_HEX_SIZE];
    pl_hash64_hex(hash, hex);
    return make_path(out, "%s/sources/%s-%s.txt", lib->root, id, hex);
}

/* Removes the cached results of hash unless a source in l (other than the
 * one with id skip) still has that text. Best effort. */
static void prune_cache(const pl_library *lib, const entry_list *l, uint64_t hash, const char *skip)
{
    char dir[PATH_MAX], path[PATH_MAX], hex[PL_HASH_HEX_SIZE];
    DIR *d;
    struct dirent *de;
    size_t i;
    for (i = 0; i < l->count; i++)
        if (l->items[i].src->hash == hash && strcmp(l->items[i].src->id, skip) != 0)
            return;
    pl_hash64_hex(hash, hex);
    if (make_path(dir, "%s/cache/%s", lib->root, hex) != 0 || !(d = opendir(dir)))
        return;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
            make_path(path, "%s/%s", dir, de->d_name) == 0)
            unlink(path);
    closedir(d);
    rmdir(dir);
}

static char *dup_or_null(const char *s, int *oom)
{
    char *c;
    if (!s || !*s)
        return NULL;
    c = pl_strndup(s, strlen(s));
    if (!c)
        *oom = 1;
    return c;
}

pl_library_code pl_library_add(pl_library *lib, const pl_source_info *info, const char *text,
                               size_t len, pl_source **out, pl_add_outcome *outcome, pl_error *err)
{
    entry_list l = {NULL, 0, 0};
    pl_source *src = NULL, *old = NULL;
    char dir[PATH_MAX], path[PATH_MAX], meta_name[PL_SOURCE_ID_SIZE + 8];
    pl_buf record = PL_BUF_INIT;
    pl_library_code code;
    struct stat st;
    entry e;
    long at = -1;
    size_t i;
    int oom = 0;
    unsigned k;
    pl_error_clear(err);
    if (out)
        *out = NULL;
    if (!lib || !info || !info->origin || !*info->origin || (!text && len > 0))
        return lib_fail(err, PL_LIBRARY_INVALID, "a source needs an origin and a text");
    code = load_entries(lib, &l, err);
    if (code != PL_LIBRARY_OK)
        return code;
    for (i = 0; i < l.count; i++)
        if (strcmp(l.items[i].src->origin, info->origin) == 0)
            at = (long)i;
    if (at >= 0)
        old = l.items[at].src;

    src = pl_calloc(1, sizeof *src);
    if (!src) {
        code = nomem(err);
        goto done;
    }
    if (old) {
        memcpy(src->id, old->id, PL_SOURCE_ID_SIZE);
    } else {
        for (k = 0; k < ID_CANDIDATES; k++) {
            id_candidate(info->origin, k, src->id);
            if (make_path(path, "%s/sources/%s.meta", lib->root, src->id) != 0) {
                code = path_too_long(err);
                goto done;
            }
            if (find_entry(&l, src->id) < 0 && !file_exists(path))
                break;
        }
        if (k == ID_CANDIDATES) {
            code = lib_fail(err, PL_LIBRARY_IO, "no free id for '%s'", info->origin);
            goto done;
        }
    }
    src->origin = dup_or_null(info->origin, &oom);
    src->title = dup_or_null(info->title, &oom);
    src->author = dup_or_null(info->author, &oom);
    src->date = dup_or_null(info->date, &oom);
    src->source = dup_or_null(info->source, &oom);
    src->content_type = dup_or_null(info->content_type, &oom);
    src->etag = dup_or_null(info->etag, &oom);
    src->last_modified = dup_or_null(info->last_modified, &oom);
    if (oom) {
        code = nomem(err);
        goto done;
    }
    src->fetched = info->fetched > 0 ? info->fetched : (long long)time(NULL);
    src->added = old ? old->added : src->fetched;
    src->hash = pl_hash64(text, len);
    src->length = len;

    if (make_path(dir, "%s/sources", lib->root) != 0) {
        code = path_too_long(err);
        goto done;
    }
    code = ensure_dirs(dir, err);
    if (code != PL_LIBRARY_OK)
        goto done;
    /* The text first, under a name of its own, then the record that names
     * it: a crash between the two leaves an orphan text, never a record
     * without its text. */
    if (text_path(path, lib, src->id, src->hash) != 0) {
        code = path_too_long(err);
        goto done;
    }
    if (!old || old->hash != src->hash || !file_exists(path)) {
        char name[PL_SOURCE_ID_SIZE + PL_HASH_HEX_SIZE + 8], hex[PL_HASH_HEX_SIZE];
        pl_hash64_hex(src->hash, hex);
        snprintf(name, sizeof name, "%s-%s.txt", src->id, hex);
        code = write_atomic(dir, name, text ? text : "", len, err);
        if (code != PL_LIBRARY_OK)
            goto done;
    }
    code = serialize_record(src, &record, err);
    if (code != PL_LIBRARY_OK)
        goto done;
    snprintf(meta_name, sizeof meta_name, "%s.meta", src->id);
    code = write_atomic(dir, meta_name, record.data, record.len, err);
    if (code != PL_LIBRARY_OK)
        goto done;

    if (old && old->hash != src->hash) {
        if (text_path(path, lib, old->id, old->hash) == 0)
            unlink(path);
        prune_cache(lib, &l, old->hash, src->id);
    }
    if (outcome)
        *outcome = !old ? PL_ADD_NEW : old->hash != src->hash ? PL_ADD_UPDATED : PL_ADD_UNCHANGED;
    if (out && !(*out = copy_source(src))) {
        code = nomem(err);
        goto done;
    }
    /* The source is in; the index follows (if this fails or is lost, the
     * next listing sees the mismatch and rebuilds it). */
    if (make_path(path, "%s/%s", dir, meta_name) == 0 && stat(path, &st) == 0) {
        e.src = src;
        identity_of(&st, &e.ino, &e.mtime_sec, &e.mtime_nsec);
        if (at >= 0) {
            pl_source_free(l.items[at].src);
            l.items[at] = e;
            src = NULL;
        } else if (entries_push(&l, e) == 0) {
            src = NULL;
            qsort(l.items, l.count, sizeof *l.items, compare_entries);
        }
        if (!src)
            write_index(lib, &l, NULL);
    }
    code = PL_LIBRARY_OK;
done:
    pl_buf_free(&record);
    pl_source_free(src);
    entries_free(&l);
    return code;
}

static int compare_by_added(const void *a, const void *b)
{
    const pl_source *x = *(pl_source *const *)a, *y = *(pl_source *const *)b;
    if (x->added != y->added)
        return x->added < y->added ? -1 : 1;
    return strcmp(x->id, y->id);
}

pl_library_code pl_library_list(pl_library *lib, pl_source ***out, size_t *count, pl_error *err)
{
    entry_list l = {NULL, 0, 0};
    pl_source **list;
    size_t i;
    pl_library_code code;
    pl_error_clear(err);
    *out = NULL;
    *count = 0;
    code = load_entries(lib, &l, err);
    if (code != PL_LIBRARY_OK)
        return code;
    list = pl_calloc(l.count ? l.count : 1, sizeof *list);
    if (!list) {
        entries_free(&l);
        return nomem(err);
    }
    for (i = 0; i < l.count; i++) {
        list[i] = l.items[i].src;
        l.items[i].src = NULL;
    }
    if (l.count > 1)
        qsort(list, l.count, sizeof *list, compare_by_added);
    *out = list;
    *count = l.count;
    l.count = 0;
    entries_free(&l);
    return PL_LIBRARY_OK;
}

pl_library_code pl_library_get(pl_library *lib, const char *id, pl_source **out, pl_error *err)
{
    char want[PL_SOURCE_ID_SIZE];
    scanned *files;
    size_t n, i, len = id ? strlen(id) : 0, matches = 0, match = 0;
    pl_library_code code;
    pl_error_clear(err);
    *out = NULL;
    if (len < PL_SOURCE_ID_MIN_PREFIX || len > PL_SOURCE_ID_SIZE - 1)
        return lib_fail(err, PL_LIBRARY_INVALID, "'%s' is not a source id (%d to %d hex digits)",
                        id ? id : "", PL_SOURCE_ID_MIN_PREFIX, PL_SOURCE_ID_SIZE - 1);
    for (i = 0; i < len; i++)
        want[i] = (id[i] >= 'A' && id[i] <= 'F') ? (char)(id[i] - 'A' + 'a') : id[i];
    want[len] = '\0';
    if (!is_hex_id(want, len))
        return lib_fail(err, PL_LIBRARY_INVALID, "'%s' is not a source id (%d to %d hex digits)",
                        id, PL_SOURCE_ID_MIN_PREFIX, PL_SOURCE_ID_SIZE - 1);
    if (len == PL_SOURCE_ID_SIZE - 1)
        return read_record(lib, want, out, err);
    code = scan_records(lib, &files, &n, err);
    if (code != PL_LIBRARY_OK)
        return code;
    for (i = 0; i < n; i++)
        if (strncmp(files[i].id, want, len) == 0) {
            matches++;
            match = i;
        }
    if (matches == 1)
        code = read_record(lib, files[match].id, out, err);
    else if (matches == 0)
        code = lib_fail(err, PL_LIBRARY_NOT_FOUND, "no source '%s' in %s", want, lib->root);
    else
        code = lib_fail(err, PL_LIBRARY_AMBIGUOUS, "'%s' is the start of %zu source ids", want,
                        matches);
    pl_free(files);
    return code;
}

pl_library_code pl_library_read_text(pl_library *lib, const pl_source *src, char **text,
                                     size_t *len, pl_error *err)
{
    char path[PATH_MAX];
    pl_library_code code;
    pl_error_clear(err);
    *text = NULL;
    *len = 0;
    if (text_path(path, lib, src->id, src->hash) != 0)
        return path_too_long(err);
    code = read_file(path, TEXT_MAX_BYTES, text, len, err);
    if (code == PL_LIBRARY_NOT_FOUND)
        return lib_fail(err, PL_LIBRARY_CORRUPT, "the text of source %s is missing ('%s')", src->id,
                        path);
    return code;
}

pl_library_code pl_library_remove(pl_library *lib, const char *id, pl_error *err)
{
    entry_list l = {NULL, 0, 0};
    pl_source *src = NULL;
    char path[PATH_MAX], dir[PATH_MAX];
    pl_library_code code;
    long at;
    pl_error_clear(err);
    if (!id || strlen(id) != PL_SOURCE_ID_SIZE - 1 || !is_hex_id(id, PL_SOURCE_ID_SIZE - 1))
        return lib_fail(err, PL_LIBRARY_INVALID, "'%s' is not a source id", id ? id : "");
    code = load_entries(lib, &l, err);
    if (code != PL_LIBRARY_OK)
        return code;
    code = read_record(lib, id, &src, err);
    if (code != PL_LIBRARY_OK)
        goto done;
    /* The record goes first: once it is gone the source is gone, and what
     * a crash leaves after that is an orphan a rebuild removes. */
    if (make_path(dir, "%s/sources", lib->root) != 0 ||
        make_path(path, "%s/%s.meta", dir, id) != 0) {
        code = path_too_long(err);
        goto done;
    }
    if (unlink(path) != 0) {
        code = io_fail(err, "remove", path);
        goto done;
    }
    sync_dir(dir);
    if (text_path(path, lib, id, src->hash) == 0)
        unlink(path);
    prune_cache(lib, &l, src->hash, id);
    at = find_entry(&l, id);
    if (at >= 0) {
        pl_source_free(l.items[at].src);
        memmove(&l.items[at], &l.items[at + 1], (l.count - (size_t)at - 1) * sizeof *l.items);
        l.count--;
    }
    write_index(lib, &l, NULL);
done:
    pl_source_free(src);
    entries_free(&l);
    return code;
}

/* Whether a leftover is old enough that no running write can own it. */
static int is_stale(const char *path, time_t now)
{
    struct stat st;
    return stat(path, &st) == 0 && now - st.st_mtime > LEFTOVER_AGE_SECONDS;
}

/* Removes stale temporary files in dir, and in sources/ stale texts that no
 * record names. */
static void remove_leftovers(const char *dir, const entry_list *l, int texts)
{
    char path[PATH_MAX];
    DIR *d = opendir(dir);
    struct dirent *de;
    time_t now = time(NULL);
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        size_t n = strlen(name);
        /* pl_file_write_atomic's NAME.policylink-PID-N.tmp, and .tmp-NAME.XXXXXX
         * of older versions. */
        int leftover = strncmp(name, ".tmp-", 5) == 0 ||
                       (n > 4 && strcmp(name + n - 4, ".tmp") == 0 && strstr(name, ".policylink-"));
        if (!leftover && texts && n == PL_SOURCE_ID_SIZE - 1 + 1 + 16 + 4 &&
            strcmp(name + n - 4, ".txt") == 0) {
            char id[PL_SOURCE_ID_SIZE], hex[PL_HASH_HEX_SIZE];
            long at;
            memcpy(id, name, PL_SOURCE_ID_SIZE - 1);
            id[PL_SOURCE_ID_SIZE - 1] = '\0';
            at = find_entry(l, id);
            if (at >= 0)
                pl_hash64_hex(l->items[at].src->hash, hex);
            leftover = at < 0 || strncmp(name + PL_SOURCE_ID_SIZE, hex, 16) != 0;
        }
        if (leftover && make_path(path, "%s/%s", dir, name) == 0 && is_stale(path, now))
            unlink(path);
    }
    closedir(d);
}

pl_library_code pl_library_rebuild_index(pl_library *lib, size_t *count, pl_error *err)
{
    entry_list l = {NULL, 0, 0};
    scanned *files;
    size_t n;
    char dir[PATH_MAX];
    pl_library_code code;
    pl_error_clear(err);
    code = scan_records(lib, &files, &n, err);
    if (code != PL_LIBRARY_OK)
        return code;
    code = rebuild(lib, files, n, &l, err);
    pl_free(files);
    if (code != PL_LIBRARY_OK)
        return code;
    if (file_exists(lib->root))
        code = write_index(lib, &l, err);
    if (code == PL_LIBRARY_OK) {
        remove_leftovers(lib->root, &l, 0);
        if (make_path(dir, "%s/sources", lib->root) == 0)
            remove_leftovers(dir, &l, 1);
    }
    if (count)
        *count = l.count;
    entries_free(&l);
    return code;
}

/* Cache names become file names: a short safe alphabet, no dot first (so
 * no "..", and no clash with temporary files). */
static int valid_cache_name(const char *name)
{
    size_t i, n = name ? strlen(name) : 0;
    if (n == 0 || n > CACHE_NAME_MAX || name[0] == '.')
        return 0;
    for (i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

pl_library_code pl_library_cache_put(pl_library *lib, uint64_t hash, const char *name,
                                     const char *data, size_t len, pl_error *err)
{
    char dir[PATH_MAX], hex[PL_HASH_HEX_SIZE];
    pl_library_code code;
    pl_error_clear(err);
    if (!valid_cache_name(name))
        return lib_fail(err, PL_LIBRARY_INVALID,
                        "'%s' is not a cache name (1 to %d of A-Z a-z 0-9 . _ -, no dot first)",
                        name ? name : "", CACHE_NAME_MAX);
    if (!data && len > 0)
        return lib_fail(err, PL_LIBRARY_INVALID, "no data to cache");
    pl_hash64_hex(hash, hex);
    if (make_path(dir, "%s/cache/%s", lib->root, hex) != 0)
        return path_too_long(err);
    code = ensure_dirs(dir, err);
    if (code != PL_LIBRARY_OK)
        return code;
    return write_atomic(dir, name, data ? data : "", len, err);
}

pl_library_code pl_library_cache_get(pl_library *lib, uint64_t hash, const char *name, char **data,
                                     size_t *len, pl_error *err)
{
    char path[PATH_MAX], hex[PL_HASH_HEX_SIZE];
    pl_library_code code;
    pl_error_clear(err);
    *data = NULL;
    *len = 0;
    if (!valid_cache_name(name))
        return lib_fail(err, PL_LIBRARY_INVALID,
                        "'%s' is not a cache name (1 to %d of A-Z a-z 0-9 . _ -, no dot first)",
                        name ? name : "", CACHE_NAME_MAX);
    pl_hash64_hex(hash, hex);
    if (make_path(path, "%s/cache/%s/%s", lib->root, hex, name) != 0)
        return path_too_long(err);
    code = read_file(path, CACHE_MAX_BYTES, data, len, err);
    if (code == PL_LIBRARY_NOT_FOUND)
        return lib_fail(err, code, "no cached '%s' for %s", name, hex);
    return code;
}
