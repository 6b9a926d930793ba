/* Lua binding of the fetcher and the library of sources: core.fetch,
 * core.fetch_many, core.library_resolve, core.library_open (a library object
 * with add, list, get, text, remove, cache_get, cache_put, rebuild, path)
 * and core.file_origin. Everything the core allocates is held by a userdata
 * with __gc while Lua tables are built, since a Lua error there longjmps. */
#include <stddef.h>
#include <string.h>

#include "alloc.h"
#include "binding.h"
#include "fetch.h"
#include "hash.h"
#include "library.h"

#ifndef PL_VERSION
#define PL_VERSION "0.1.0"
#endif

#define FETCH_BOX "policylink.fetch_box"
#define LIBRARY "policylink.library"
#define SOURCE_BOX "policylink.source_box"

/* ---- options ---- */

/* opts[key] as a whole number >= 0 (0 when absent). */
static double read_whole(lua_State *L, int idx, const char *key, double max)
{
    double v = 0;
    lua_getfield(L, idx, key);
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "%s must be a number", key);
        v = lua_tonumber(L, -1);
        if (!(v >= 0 && v <= max && (double)(long long)v == v))
            luaL_error(L, "%s must be a whole number from 0 to %.0f", key, max);
    }
    lua_pop(L, 1);
    return v;
}

/* Reads the limits of opts (a table or nil at idx); zeros keep defaults. */
static void read_fetch_options(lua_State *L, int idx, pl_fetch_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->user_agent = "policylink/" PL_VERSION;
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    opts->connect_timeout_ms = (long)read_whole(L, idx, "connect_timeout_ms", 86400000.0);
    opts->timeout_ms = (long)read_whole(L, idx, "timeout_ms", 86400000.0);
    opts->low_speed_bytes = (long)read_whole(L, idx, "low_speed_bytes", 1e9);
    opts->low_speed_seconds = (long)read_whole(L, idx, "low_speed_seconds", 86400.0);
    opts->max_bytes = (size_t)read_whole(L, idx, "max_bytes", 1e12);
    opts->max_parallel = (size_t)read_whole(L, idx, "max_parallel", 256.0);
}

/* A field of the table at idx as a string or NULL (the string stays valid
 * while the table holds it). */
static const char *opt_string(lua_State *L, int idx, const char *key)
{
    const char *s = NULL;
    lua_getfield(L, idx, key);
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s must be a string", key);
        s = lua_tostring(L, -1);
    }
    lua_pop(L, 1);
    return s;
}

/* ---- results ---- */

/* Pushes the Lua form of r: a success or 304 table, or a failure table
 * {url=, error=, code=, status=} (with_failure_table) / nil, message, code.
 * Returns the number of values pushed. */
static int push_fetch_result(lua_State *L, const pl_fetch_result *r, const char *url,
                             int failure_as_table)
{
    if (r->code != PL_FETCH_OK && r->code != PL_FETCH_NOT_MODIFIED) {
        if (!failure_as_table) {
            lua_pushnil(L);
            lua_pushstring(L, r->error.message);
            lua_pushstring(L, pl_fetch_code_name(r->code));
            return 3;
        }
        lua_createtable(L, 0, 5);
        pl_lua_set_string(L, "url", url);
        pl_lua_set_string(L, "error", r->error.message);
        pl_lua_set_string(L, "code", pl_fetch_code_name(r->code));
        pl_lua_set_string(L, "final_url", r->final_url);
        if (r->status)
            pl_lua_set_integer(L, "status", (size_t)r->status);
        return 1;
    }
    lua_createtable(L, 0, 12);
    pl_lua_set_string(L, "url", url);
    pl_lua_set_integer(L, "status", (size_t)r->status);
    pl_lua_set_string(L, "final_url", r->final_url);
    pl_lua_set_string(L, "etag", r->etag);
    pl_lua_set_string(L, "last_modified", r->last_modified);
    if (r->code == PL_FETCH_NOT_MODIFIED) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "not_modified");
        return 1;
    }
    lua_pushlstring(L, r->body, r->body_len);
    lua_setfield(L, -2, "body");
    pl_lua_set_string(L, "content_type", r->content_type);
    pl_lua_set_string(L, "charset", r->charset);
    lua_pushboolean(L, r->converted);
    lua_setfield(L, -2, "converted");
    /* What to tell core.clean: the header decides, else the engine sniffs. */
    pl_lua_set_string(L, "format", r->is_html ? "html" : r->content_type ? "text" : "auto");
    return 1;
}

/* Owns what core.fetch and core.fetch_many allocate until it is turned
 * into Lua values. */
typedef struct fetch_box {
    pl_fetch_result **results;
    pl_fetch_request *reqs;
    size_t n;
} fetch_box;

static int fetch_box_gc(lua_State *L)
{
    fetch_box *box = luaL_checkudata(L, 1, FETCH_BOX);
    size_t i;
    if (box->results)
        for (i = 0; i < box->n; i++)
            pl_fetch_result_free(box->results[i]);
    pl_free(box->results);
    pl_free(box->reqs);
    box->results = NULL;
    box->reqs = NULL;
    box->n = 0;
    return 0;
}

static fetch_box *push_fetch_box(lua_State *L, size_t n)
{
    fetch_box *box = lua_newuserdata(L, sizeof *box);
    memset(box, 0, sizeof *box);
    luaL_getmetatable(L, FETCH_BOX);
    lua_setmetatable(L, -2);
    box->results = pl_calloc(n ? n : 1, sizeof *box->results);
    box->reqs = pl_calloc(n ? n : 1, sizeof *box->reqs);
    if (!box->results || !box->reqs)
        luaL_error(L, "out of memory");
    box->n = n;
    return box;
}

/* core.fetch_library() -> libcurl's version line | nil, message, code
 * Opens libcurl (the fetcher opens it on the first fetch) to say whether
 * fetching can work here. */
static int l_fetch_library(lua_State *L)
{
    pl_error err;
    const char *version = pl_fetch_library_version(&err);
    if (!version)
        return pl_lua_push_failure(L, &err);
    lua_pushstring(L, version);
    return 1;
}

/* core.fetch(url [, opts]) -> result | nil, message, code
 * opts: etag, last_modified (for a conditional request), timeout_ms,
 * connect_timeout_ms, low_speed_bytes, low_speed_seconds, max_bytes.
 * result: {url, status, final_url, etag, last_modified, body, content_type,
 * charset, converted, format} or, after a 304, {url, status = 304,
 * not_modified = true, etag, last_modified, final_url}. */
static int l_fetch(lua_State *L)
{
    const char *url = luaL_checkstring(L, 1);
    pl_fetch_options opts;
    fetch_box *box;
    int nret;
    lua_settop(L, 2); /* the box goes above the arguments, at 3 */
    read_fetch_options(L, 2, &opts);
    box = push_fetch_box(L, 1);
    box->reqs[0].url = url;
    if (!lua_isnoneornil(L, 2)) {
        box->reqs[0].etag = opt_string(L, 2, "etag");
        box->reqs[0].last_modified = opt_string(L, 2, "last_modified");
    }
    box->results[0] = pl_fetch(&box->reqs[0], &opts);
    if (!box->results[0])
        return luaL_error(L, "out of memory");
    nret = push_fetch_result(L, box->results[0], url, 0);
    /* Free the body now rather than at the next collection. */
    pl_fetch_result_free(box->results[0]);
    box->results[0] = NULL;
    return nret;
}

/* State of one core.fetch_many call, for the progress callback. */
typedef struct many_call {
    lua_State *L;
    fetch_box *box;
    int results_idx, progress_idx, trampoline_idx;
    size_t index, done, total;
    int failed; /* the progress function raised an error (on the stack) */
} many_call;

/* Runs inside lua_pcall, with (call, results, progress) as arguments: its
 * own frame, so the caller's stack indices mean nothing here. Stores the Lua
 * form of one result in results and calls progress with it; returns whether
 * to stop. */
static int progress_trampoline(lua_State *L)
{
    many_call *call = lua_touserdata(L, 1);
    size_t i = call->index;
    int stop = 0;
    push_fetch_result(L, call->box->results[i], call->box->reqs[i].url, 1);
    pl_fetch_result_free(call->box->results[i]);
    call->box->results[i] = NULL;
    lua_pushvalue(L, -1);
    lua_rawseti(L, 2, (int)i + 1);
    if (!lua_isnil(L, 3)) {
        lua_pushvalue(L, 3);
        lua_pushvalue(L, -2);
        lua_pushinteger(L, (lua_Integer)call->done);
        lua_pushinteger(L, (lua_Integer)call->total);
        lua_pushinteger(L, (lua_Integer)i + 1);
        lua_call(L, 4, 1);
        stop = lua_toboolean(L, -1);
    }
    lua_pushboolean(L, stop);
    return 1;
}

static int on_many_progress(void *ud, size_t index, const pl_fetch_result *result, size_t done,
                            size_t total)
{
    many_call *call = ud;
    lua_State *L = call->L;
    int stop;
    (void)result;
    call->index = index;
    call->done = done;
    call->total = total;
    /* Copying stack slots and pushing a light userdata allocate nothing
     * (room was made beforehand), so no Lua error can escape into the
     * transfer loop; everything else happens under the pcall. */
    lua_pushvalue(L, call->trampoline_idx);
    lua_pushlightuserdata(L, call);
    lua_pushvalue(L, call->results_idx);
    lua_pushvalue(L, call->progress_idx);
    if (lua_pcall(L, 3, 1, 0) != 0) {
        call->failed = 1; /* the message stays on the stack */
        return 1;
    }
    stop = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return stop;
}

/* core.fetch_many(requests [, opts [, progress]]) -> results
 * requests: a list of URLs or of {url=, etag=, last_modified=}; results: one
 * table per request in order, a result as core.fetch gives it or a failure
 * {url, error, code}. progress(result, done, total, index) is called as each
 * transfer ends; returning true cancels the rest (code "cancelled"). */
static int l_fetch_many(lua_State *L)
{
    size_t n, i;
    pl_fetch_options opts;
    many_call call;
    fetch_box *box;
    pl_error err;
    luaL_checktype(L, 1, LUA_TTABLE);
    read_fetch_options(L, 2, &opts);
    if (!lua_isnoneornil(L, 3))
        luaL_checktype(L, 3, LUA_TFUNCTION);
    n = pl_lua_rawlen(L, 1);
    lua_settop(L, 3);
    box = push_fetch_box(L, n); /* 4 */
    /* 5: our own references to the request strings, 3 slots a request: the
     * caller's table may change while transfers still wait to start, and
     * the pointers handed to the core must stay valid until then. */
    lua_createtable(L, (int)(3 * n), 0);
    lua_createtable(L, (int)n, 0);             /* 6: results */
    lua_pushcfunction(L, progress_trampoline); /* 7 */
    for (i = 0; i < n; i++) {
        static const char *const keys[] = {"url", "etag", "last_modified"};
        const char **slots[3];
        int t, k;
        slots[0] = &box->reqs[i].url;
        slots[1] = &box->reqs[i].etag;
        slots[2] = &box->reqs[i].last_modified;
        lua_rawgeti(L, 1, (int)i + 1);
        t = lua_gettop(L);
        if (lua_type(L, t) == LUA_TSTRING) {
            lua_pushvalue(L, t);
            lua_rawseti(L, 5, (int)(3 * i + 1));
        } else if (lua_type(L, t) == LUA_TTABLE) {
            for (k = 0; k < 3; k++) {
                lua_getfield(L, t, keys[k]);
                if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
                    return luaL_error(L, "request %d: %s must be a string", (int)i + 1, keys[k]);
                lua_rawseti(L, 5, (int)(3 * i + 1) + k);
            }
        } else {
            return luaL_error(L, "request %d must be a URL or a table", (int)i + 1);
        }
        lua_pop(L, 1);
        for (k = 0; k < 3; k++) {
            lua_rawgeti(L, 5, (int)(3 * i + 1) + k);
            *slots[k] = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            lua_pop(L, 1); /* still referenced by table 5 */
        }
        if (!box->reqs[i].url)
            return luaL_error(L, "request %d has no url", (int)i + 1);
    }
    memset(&call, 0, sizeof call);
    call.L = L;
    call.box = box;
    call.results_idx = 6;
    call.progress_idx = 3; /* nil when no progress function was given */
    call.trampoline_idx = 7;
    luaL_checkstack(L, 8, "fetch_many");
    if (pl_fetch_many(box->reqs, n, &opts, on_many_progress, &call, box->results, &err) != PL_OK)
        return luaL_error(L, "%s", err.message);
    if (call.failed)
        return lua_error(L); /* the progress function's error; the box frees the rest */
    /* Results the progress callback never saw (cancelled transfers). */
    for (i = 0; i < n; i++) {
        if (!box->results[i])
            continue;
        push_fetch_result(L, box->results[i], box->reqs[i].url, 1);
        lua_rawseti(L, 6, (int)i + 1);
        pl_fetch_result_free(box->results[i]);
        box->results[i] = NULL;
    }
    lua_pushvalue(L, 6);
    return 1;
}

/* ---- the library ---- */

typedef struct library_ud {
    pl_library *lib;
} library_ud;

/* Holds records and texts from the library while they become Lua values. */
typedef struct source_box {
    pl_source *src;
    pl_source **list;
    size_t count;
    char *text;
} source_box;

/* Frees what the box holds; called once the Lua values exist, so that big
 * texts do not wait for the collector, and by __gc after an error. */
static void source_box_release(source_box *box)
{
    pl_source_free(box->src);
    pl_source_list_free(box->list, box->count);
    pl_free(box->text);
    memset(box, 0, sizeof *box);
}

static int source_box_gc(lua_State *L)
{
    source_box_release(luaL_checkudata(L, 1, SOURCE_BOX));
    return 0;
}

static source_box *push_source_box(lua_State *L)
{
    source_box *box = lua_newuserdata(L, sizeof *box);
    memset(box, 0, sizeof *box);
    luaL_getmetatable(L, SOURCE_BOX);
    lua_setmetatable(L, -2);
    return box;
}

static int push_library_failure(lua_State *L, pl_library_code code, const pl_error *err)
{
    lua_pushnil(L);
    lua_pushstring(L, err->message);
    lua_pushstring(L, pl_library_code_name(code));
    return 3;
}

static void push_source(lua_State *L, const pl_source *src)
{
    char hex[PL_HASH_HEX_SIZE];
    lua_createtable(L, 0, 14);
    pl_lua_set_string(L, "id", src->id);
    pl_lua_set_string(L, "origin", src->origin);
    pl_lua_set_string(L, "title", src->title);
    pl_lua_set_string(L, "author", src->author);
    pl_lua_set_string(L, "date", src->date);
    pl_lua_set_string(L, "source", src->source);
    pl_lua_set_string(L, "content_type", src->content_type);
    pl_lua_set_string(L, "etag", src->etag);
    pl_lua_set_string(L, "last_modified", src->last_modified);
    pl_lua_set_number(L, "added", (double)src->added);
    pl_lua_set_number(L, "fetched", (double)src->fetched);
    pl_hash64_hex(src->hash, hex);
    pl_lua_set_string(L, "hash", hex);
    pl_lua_set_integer(L, "length", src->length);
}

static pl_library *check_library(lua_State *L)
{
    library_ud *ud = luaL_checkudata(L, 1, LIBRARY);
    if (!ud->lib)
        luaL_error(L, "the library is closed");
    return ud->lib;
}

static int library_gc(lua_State *L)
{
    library_ud *ud = luaL_checkudata(L, 1, LIBRARY);
    pl_library_free(ud->lib);
    ud->lib = NULL;
    return 0;
}

/* core.library_resolve([dir [, start_dir]]) -> path | nil, message, code
 * dir when given; else a .policylink folder in start_dir (default: the
 * current directory) or above; else the user's data directory. */
static int l_library_resolve(lua_State *L)
{
    const char *dir = luaL_optstring(L, 1, NULL);
    const char *start = luaL_optstring(L, 2, NULL);
    pl_error err;
    char *path = pl_library_resolve(dir, start, &err);
    if (!path)
        return pl_lua_push_failure(L, &err);
    lua_pushstring(L, path);
    pl_free(path);
    return 1;
}

/* core.library_open(dir) -> library | nil, message, code (creates nothing
 * until the first write). */
static int l_library_open(lua_State *L)
{
    const char *dir = luaL_checkstring(L, 1);
    library_ud *ud = lua_newuserdata(L, sizeof *ud);
    pl_error err;
    ud->lib = NULL;
    luaL_getmetatable(L, LIBRARY);
    lua_setmetatable(L, -2);
    ud->lib = pl_library_open(dir, &err);
    if (!ud->lib)
        return pl_lua_push_failure(L, &err);
    return 1;
}

/* core.file_origin(path) -> absolute path | nil, message, code */
static int l_file_origin(lua_State *L)
{
    pl_error err;
    char *path = pl_library_file_origin(luaL_checkstring(L, 1), &err);
    if (!path)
        return pl_lua_push_failure(L, &err);
    lua_pushstring(L, path);
    pl_free(path);
    return 1;
}

static int l_lib_path(lua_State *L)
{
    lua_pushstring(L, pl_library_path(check_library(L)));
    return 1;
}

/* lib:add(info, text) -> source, outcome ("new", "updated", "unchanged")
 * info: origin (required), title, author, date, source, content_type, etag,
 * last_modified, fetched (Unix seconds; default now). */
static int l_lib_add(lua_State *L)
{
    pl_library *lib = check_library(L);
    pl_source_info info;
    pl_add_outcome outcome;
    pl_library_code code;
    pl_error err;
    size_t len;
    const char *text;
    source_box *box;
    luaL_checktype(L, 2, LUA_TTABLE);
    text = luaL_checklstring(L, 3, &len);
    memset(&info, 0, sizeof info);
    info.origin = opt_string(L, 2, "origin");
    info.title = opt_string(L, 2, "title");
    info.author = opt_string(L, 2, "author");
    info.date = opt_string(L, 2, "date");
    info.source = opt_string(L, 2, "source");
    info.content_type = opt_string(L, 2, "content_type");
    info.etag = opt_string(L, 2, "etag");
    info.last_modified = opt_string(L, 2, "last_modified");
    info.fetched = (long long)read_whole(L, 2, "fetched", 1e12);
    box = push_source_box(L);
    code = pl_library_add(lib, &info, text, len, &box->src, &outcome, &err);
    if (code != PL_LIBRARY_OK)
        return push_library_failure(L, code, &err);
    push_source(L, box->src);
    source_box_release(box);
    lua_pushstring(L, outcome == PL_ADD_NEW       ? "new"
                      : outcome == PL_ADD_UPDATED ? "updated"
                                                  : "unchanged");
    return 2;
}

/* lib:list() -> { source, ... } oldest first */
static int l_lib_list(lua_State *L)
{
    pl_library *lib = check_library(L);
    source_box *box = push_source_box(L);
    pl_error err;
    pl_library_code code = pl_library_list(lib, &box->list, &box->count, &err);
    size_t i;
    if (code != PL_LIBRARY_OK)
        return push_library_failure(L, code, &err);
    lua_createtable(L, (int)box->count, 0);
    for (i = 0; i < box->count; i++) {
        push_source(L, box->list[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    source_box_release(box);
    return 1;
}

/* lib:get(id or unique prefix) -> source | nil, message, code */
static int l_lib_get(lua_State *L)
{
    pl_library *lib = check_library(L);
    const char *id = luaL_checkstring(L, 2);
    source_box *box = push_source_box(L);
    pl_error err;
    pl_library_code code = pl_library_get(lib, id, &box->src, &err);
    if (code != PL_LIBRARY_OK)
        return push_library_failure(L, code, &err);
    push_source(L, box->src);
    return 1;
}

/* lib:text(id or unique prefix) -> text, source | nil, message, code */
static int l_lib_text(lua_State *L)
{
    pl_library *lib = check_library(L);
    const char *id = luaL_checkstring(L, 2);
    source_box *box = push_source_box(L);
    pl_error err;
    size_t len;
    pl_library_code code = pl_library_get(lib, id, &box->src, &err);
    if (code == PL_LIBRARY_OK)
        code = pl_library_read_text(lib, box->src, &box->text, &len, &err);
    if (code != PL_LIBRARY_OK)
        return push_library_failure(L, code, &err);
    lua_pushlstring(L, box->text, len);
    push_source(L, box->src);
    source_box_release(box);
    return 2;
}

/* lib:remove(id or unique prefix) -> removed source | nil, message, code */
static int l_lib_remove(lua_State *L)
{
    pl_library *lib = check_library(L);
    const char *id = luaL_checkstring(L, 2);
    source_box *box = push_source_box(L);
    pl_error err;
    pl_library_code code = pl_library_get(lib, id, &box->src, &err);
    if (code == PL_LIBRARY_OK)
        code = pl_library_remove(lib, box->src->id, &err);
    if (code != PL_LIBRARY_OK)
        return push_library_failure(L, code, &err);
    push_source(L, box->src);
    return 1;
}

static uint64_t check_hash(lua_State *L, int idx)
{
    uint64_t h = 0;
    const char *s = luaL_checkstring(L, idx);
    if (pl_hash64_parse(s, &h) != 0)
        luaL_error(L, "'%s' is not a content hash (16 hex digits)", s);
    return h;
}

/* lib:cache_get(hash, name) -> data | nil, message, code ("not_found"
 * when nothing is cached) */
static int l_lib_cache_get(lua_State *L)
{
    pl_library *lib = check_library(L);
    uint64_t hash = check_hash(L, 2);
    const char *name = luaL_checkstring(L, 3);
    source_box *box = push_source_box(L);
    pl_error err;
    size_t len;
    pl_library_code code = pl_library_cache_get(lib, hash, name, &box->text, &len, &err);
    if (code != PL_LIBRARY_OK)
        return push_library_failure(L, code, &err);
    lua_pushlstring(L, box->text, len);
    source_box_release(box);
    return 1;
}

/* lib:cache_put(hash, name, data) -> true | nil, message, code */
static int l_lib_cache_put(lua_State *L)
{
    pl_library *lib = check_library(L);
    uint64_t hash = check_hash(L, 2);
    const char *name = luaL_checkstring(L, 3);
    size_t len;
    const char *data = luaL_checklstring(L, 4, &len);
    pl_error err;
    pl_library_code code = pl_library_cache_put(lib, hash, name, data, len, &err);
    if (code != PL_LIBRARY_OK)
        return push_library_failure(L, code, &err);
    lua_pushboolean(L, 1);
    return 1;
}

/* lib:rebuild() -> number of sources | nil, message, code */
static int l_lib_rebuild(lua_State *L)
{
    pl_library *lib = check_library(L);
    pl_error err;
    size_t count = 0;
    pl_library_code code = pl_library_rebuild_index(lib, &count, &err);
    if (code != PL_LIBRARY_OK)
        return push_library_failure(L, code, &err);
    lua_pushinteger(L, (lua_Integer)count);
    return 1;
}

/* core.hash(bytes) -> the 16-digit content hash the library keys by */
static int l_hash(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    char hex[PL_HASH_HEX_SIZE];
    pl_hash64_hex(pl_hash64(s, len), hex);
    lua_pushstring(L, hex);
    return 1;
}

static const luaL_Reg library_methods[] = {
    {"path", l_lib_path},           {"add", l_lib_add},
    {"list", l_lib_list},           {"get", l_lib_get},
    {"text", l_lib_text},           {"remove", l_lib_remove},
    {"cache_get", l_lib_cache_get}, {"cache_put", l_lib_cache_put},
    {"rebuild", l_lib_rebuild},     {NULL, NULL},
};

static const luaL_Reg fetch_functions[] = {
    {"fetch", l_fetch},
    {"fetch_many", l_fetch_many},
    {"fetch_library", l_fetch_library},
    {"library_resolve", l_library_resolve},
    {"library_open", l_library_open},
    {"file_origin", l_file_origin},
    {"hash", l_hash},
    {NULL, NULL},
};

void pl_lua_open_fetch(lua_State *L)
{
    luaL_newmetatable(L, FETCH_BOX);
    lua_pushcfunction(L, fetch_box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_newmetatable(L, SOURCE_BOX);
    lua_pushcfunction(L, source_box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_newmetatable(L, LIBRARY);
    lua_pushcfunction(L, library_gc);
    lua_setfield(L, -2, "__gc");
    lua_newtable(L);
    luaL_setfuncs(L, library_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_setfuncs(L, fetch_functions, 0);
}
