/* The library of sources: a folder holding each source's cleaned text and a
 * small metadata record, and a cache of processed results (terms, summary…)
 * keyed by content hash, so unchanged sources are never processed twice.
 * With fetch.c, the only module of the core that does I/O.
 *
 * Layout of a library folder (all plain files a person can read):
 *   sources/ID.meta         the record, "key: value" lines (the commit point)
 *   sources/ID-HASH.txt     the cleaned text (named by hash, so an update
 *                           never overwrites the text the old record names)
 *   cache/HASH/NAME         processed results, written by other modules
 *   index                   the records in one file, rebuilt from sources/
 *                           whenever it disagrees with them
 * Every file is written to a temporary file in the same folder, synced and
 * renamed into place, so a crash or kill at any moment leaves each file
 * either old or new and the library readable; at worst an orphan text or
 * temporary file remains, which a later rebuild removes. */
#ifndef PL_LIBRARY_H
#define PL_LIBRARY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct pl_library pl_library;

/* Size of a source id with its NUL: 8 lowercase hexadecimal digits taken
 * from the hash of the origin, so adding the same URL or file again updates
 * its source instead of making a second one. */
#define PL_SOURCE_ID_SIZE 9

/* The shortest id prefix pl_library_get accepts. */
#define PL_SOURCE_ID_MIN_PREFIX 4

/* What became of a library call. The core's pl_status has no file-system
 * codes, so the library carries its own; pl_library_code_name gives the
 * stable name the Lua binding returns as the third value of a failure. */
typedef enum pl_library_code {
    PL_LIBRARY_OK = 0,
    PL_LIBRARY_NOT_FOUND, /* no source with that id, no cached result of that name */
    PL_LIBRARY_AMBIGUOUS, /* an id prefix that several sources share */
    PL_LIBRARY_INVALID,   /* a malformed id, hash or cache name; an empty origin */
    PL_LIBRARY_IO,        /* the file system refused (the message names path and reason) */
    PL_LIBRARY_CORRUPT,   /* a record that cannot be read */
    PL_LIBRARY_NOMEM
} pl_library_code;

/* A short stable name for code ("ok", "not_found", "io", …); never NULL. */
const char *pl_library_code_name(pl_library_code code);

/* One source as the library records it. Strings are NULL when unknown. */
typedef struct pl_source {
    char id[PL_SOURCE_ID_SIZE];
    char *origin; /* the URL, or the absolute path of the file it came from */
    char *title, *author, *date, *source; /* as the text engine found them */
    char *content_type;                   /* of the fetched page; NULL for files */
    char *etag, *last_modified;           /* validators for a conditional refresh */
    long long added;                      /* Unix time, seconds: first added */
    long long fetched;                    /* Unix time of the last fetch or read */
    uint64_t hash;                        /* pl_hash64 of the text */
    size_t length;                        /* bytes of text */
} pl_source;

/* What pl_library_add is given. Strings may be NULL (origin may not). */
typedef struct pl_source_info {
    const char *origin;
    const char *title, *author, *date, *source;
    const char *content_type, *etag, *last_modified;
    long long fetched; /* 0: now */
} pl_source_info;

typedef enum pl_add_outcome {
    PL_ADD_NEW,      /* a source that was not in the library */
    PL_ADD_UPDATED,  /* same origin, different text */
    PL_ADD_UNCHANGED /* same origin, same text (the record is still rewritten) */
} pl_add_outcome;

/* The folder to use: explicit_dir when not NULL; else the first
 * `.policylink` folder in start_dir or one of its parents (start_dir NULL:
 * the current directory); else $XDG_DATA_HOME/policylink, or
 * ~/.local/share/policylink. Returns a path the caller frees with pl_free,
 * or NULL with err set (PL_ERR_INVALID_ARGUMENT when no home is known,
 * PL_ERR_NOMEM). Creates nothing. */
char *pl_library_resolve(const char *explicit_dir, const char *start_dir, pl_error *err);

/* The origin recorded for a local file: its absolute path, symbolic links
 * resolved, so the same file added from two folders is one source. Returns
 * a string the caller frees with pl_free, or NULL with err set when the file
 * cannot be found (or out of memory). */
char *pl_library_file_origin(const char *path, pl_error *err);

/* Opens the library in dir (its folders are created on the first write, so
 * listing a library that does not exist yet shows no sources). Returns a
 * handle the caller frees with pl_library_free, or NULL when out of memory
 * or dir is empty (err set). */
pl_library *pl_library_open(const char *dir, pl_error *err);

/* Frees the handle. Accepts NULL. */
void pl_library_free(pl_library *lib);

/* The folder the library lives in (owned by lib). */
const char *pl_library_path(const pl_library *lib);

/* Adds text[0..len) (cleaned text) as the source info describes, or updates
 * the source with the same origin. On success *out (if out is not NULL) is a
 * copy of the record, freed by the caller with pl_source_free, and *outcome
 * (if not NULL) says what happened. */
pl_library_code pl_library_add(pl_library *lib, const pl_source_info *info, const char *text,
                               size_t len, pl_source **out, pl_add_outcome *outcome, pl_error *err);

/* Every source, oldest first, from the index (rebuilt and rewritten when it
 * disagrees with the records). *out is an array of *count records the caller
 * frees with pl_source_list_free; a library with no sources gives count 0. */
pl_library_code pl_library_list(pl_library *lib, pl_source ***out, size_t *count, pl_error *err);

/* The source whose id is id, or the only one it starts (at least
 * PL_SOURCE_ID_MIN_PREFIX digits). *out is freed with pl_source_free. */
pl_library_code pl_library_get(pl_library *lib, const char *id, pl_source **out, pl_error *err);

/* The stored text of src, NUL-terminated, in *text (free with pl_free). */
pl_library_code pl_library_read_text(pl_library *lib, const pl_source *src, char **text,
                                     size_t *len, pl_error *err);

/* Removes the source with exactly this id, its text, and its cached results
 * unless another source has the same text. */
pl_library_code pl_library_remove(pl_library *lib, const char *id, pl_error *err);

/* Rebuilds the index from the records and removes leftovers of interrupted
 * writes that are more than an hour old (younger ones may belong to a write
 * still running in another process). *count (if not NULL) is the number of
 * sources. */
pl_library_code pl_library_rebuild_index(pl_library *lib, size_t *count, pl_error *err);

/* Stores data[0..len) as the cached result `name` of the text with hash
 * `hash`. name: 1 to 64 of [A-Za-z0-9._-], not starting with a dot. */
pl_library_code pl_library_cache_put(pl_library *lib, uint64_t hash, const char *name,
                                     const char *data, size_t len, pl_error *err);

/* Reads the cached result `name` of hash into *data (NUL-terminated, free
 * with pl_free); PL_LIBRARY_NOT_FOUND when there is none. */
pl_library_code pl_library_cache_get(pl_library *lib, uint64_t hash, const char *name, char **data,
                                     size_t *len, pl_error *err);

/* Frees a record. Accepts NULL. */
void pl_source_free(pl_source *src);

/* Frees an array from pl_library_list. Accepts NULL. */
void pl_source_list_free(pl_source **list, size_t count);

#endif
