/* Fuzz target: the Lua binding's argument handling (src/lua/) in a Lua
 * 5.4 state opened with luaopen_policylink_core. The bytes are a small
 * program: calls of the module's functions and of a matcher's methods with
 * arguments of any type (strings from the bytes, numbers such as NaN, -0.0,
 * 2^63 and 1e300, option tables with the keys the binding reads, tables whose
 * fields raise errors, earlier results), each under pcall. A bad argument
 * may raise a Lua error or return nil, message, code; it must never crash,
 * trip a sanitizer or leak (lua_close collects everything the boxes own).
 * The first byte: bit 0 makes Lua's allocator fail after a count read from
 * the next two bytes (out-of-memory errors in the middle of building
 * results), bit 1 makes the core's allocation fail likewise.
 * Left out: fetch, fetch_many and the library functions (network, files). */
#include "fuzz.h"

#include <lauxlib.h>
#include <lua.h>
#include <math.h>

int luaopen_policylink_core(lua_State *L);

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define COUNT_KEYS COUNT(KEYS)

static const char *const FUNCTIONS[] = {
    "clean",          "tokens",          "casefold",       "normalize", "summarize",
    "terms",          "explain",         "defines",        "matcher",   "md_state_is_boundary",
    "glossary_parse", "glossary_format", "glossary_merge", "slug",      "hash"};

/* Keys the binding reads from option and glossary tables. */
static const char *const KEYS[] = {"text",
                                   "id",
                                   "case",
                                   "once",
                                   "min_length",
                                   "first_line",
                                   "headings",
                                   "line_states",
                                   "exclude",
                                   "format",
                                   "keep_boilerplate",
                                   "top",
                                   "min_count",
                                   "sentences",
                                   "ratio",
                                   "chars",
                                   "words",
                                   "focus",
                                   "max",
                                   "variants",
                                   "lines",
                                   "preamble",
                                   "entries",
                                   "term",
                                   "aliases",
                                   "explanation",
                                   "sources",
                                   "meta",
                                   "kind",
                                   "excluded",
                                   "line",
                                   "title",
                                   "url",
                                   "sentence",
                                   "anchor"};

/* Strings the binding compares against, and a little text to work on. */
static const char *const WORDS[] = {
    "note",
    "section",
    "auto",
    "text",
    "html",
    "insensitive",
    "capitalized",
    "exact",
    "quoted",
    "name",
    "acronym",
    "phrase",
    "europe",
    "New Quality Productive Forces",
    "",
    "a\0b",
    "The Organisation for Economic Co-operation and Development (OECD) is a forum. The OECD "
    "publishes data.",
    "<html><head><title>T</title></head><body><p>New quality productive forces are "
    "the engine of growth.</p><nav>menu</nav></body></html>",
    "# Glossary\nExclude: x\n\n## Europe\nAliases: EU\nCase: exact\n\nA continent.\n\n"
    "Source: [T](https://e.eu), sentence 2\n",
    "---\ntitle: n\n---\n# Europe\n\nThe European Union and `europe` [europe](x).\n"};

static const double NUMBERS[] = {0.0,
                                 -0.0,
                                 1.0,
                                 -1.0,
                                 0.5,
                                 3.0,
                                 1e15,
                                 1e15 + 1,
                                 1e300,
                                 -1e300,
                                 4294967295.0,
                                 4294967296.0,
                                 9007199254740993.0,
                                 9.2233720368547758e18,
                                 1e-300};

static const lua_Integer INTEGERS[] = {
    0, 1, 2, 3, -1, 255, 65536, 4294967295, 4294967296, LUA_MAXINTEGER, LUA_MININTEGER};

/* ---- An allocator that can fail ---- */

typedef struct budget {
    size_t used, limit;
    long fail_after; /* allocations left before failures; -1: never */
    int failing;     /* failures left to give (Lua retries once after a GC) */
} budget;

static void *fuzz_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    budget *b = ud;
    size_t old = ptr ? osize : 0;
    void *p;
    if (nsize == 0) {
        free(ptr);
        b->used -= old;
        return NULL;
    }
    if (b->fail_after == 0) {
        b->fail_after = -1;
        b->failing = 2;
    } else if (b->fail_after > 0) {
        b->fail_after--;
    }
    if (b->failing > 0) {
        b->failing--;
        return NULL;
    }
    if (nsize > old && b->used + (nsize - old) > b->limit)
        return NULL;
    p = realloc(ptr, nsize);
    if (p)
        b->used = b->used - old + nsize;
    return p;
}

/* ---- Values from bytes ---- */

typedef struct program {
    fuzz_bytes b;
    int results; /* stack index of the table of earlier results */
    int core;    /* stack index of the module table */
} program;

static int raise_error(lua_State *L)
{
    return luaL_error(L, "raised by a fuzzed metamethod");
}

static void push_value(lua_State *L, program *p, int depth);

/* A table with array items and some of the keys the binding reads. */
static void push_table(lua_State *L, program *p, int depth)
{
    uint32_t items = fuzz_pick(&p->b, 5), fields = fuzz_pick(&p->b, 5), i;
    lua_createtable(L, (int)items, (int)fields);
    for (i = 0; i < items; i++) {
        push_value(L, p, depth + 1);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    for (i = 0; i < fields; i++) {
        push_value(L, p, depth + 1);
        lua_setfield(L, -2, KEYS[fuzz_pick(&p->b, COUNT_KEYS)]);
    }
    /* Metamethods the binding must live with: fields that raise, a length
     * that lies (the binding uses raw lengths). */
    switch (fuzz_pick(&p->b, 8)) {
    case 0:
        lua_createtable(L, 0, 1);
        lua_pushcfunction(L, raise_error);
        lua_setfield(L, -2, "__index");
        lua_setmetatable(L, -2);
        break;
    case 1:
        lua_createtable(L, 0, 1);
        lua_pushcfunction(L, raise_error);
        lua_setfield(L, -2, "__len");
        lua_setmetatable(L, -2);
        break;
    default:
        break;
    }
}

static void push_string_from_bytes(lua_State *L, program *p)
{
    size_t len = fuzz_pick(&p->b, 64), left = p->b.n - p->b.pos;
    if (len == 63)
        len = left; /* the rest: room for whole documents */
    if (len > left)
        len = left;
    lua_pushlstring(L, (const char *)p->b.p + p->b.pos, len);
    p->b.pos += len;
}

static void push_value(lua_State *L, program *p, int depth)
{
    uint32_t kind = fuzz_pick(&p->b, depth > 4 ? 6 : 10);
    luaL_checkstack(L, 8, "fuzz");
    switch (kind) {
    case 0:
        lua_pushnil(L);
        break;
    case 1:
        lua_pushboolean(L, (int)fuzz_pick(&p->b, 2));
        break;
    case 2:
        lua_pushinteger(L, INTEGERS[fuzz_pick(&p->b, COUNT(INTEGERS))]);
        break;
    case 3: {
        uint32_t k = fuzz_pick(&p->b, COUNT(NUMBERS) + 3);
        lua_pushnumber(L, k < COUNT(NUMBERS)        ? NUMBERS[k]
                          : k == COUNT(NUMBERS)     ? (double)NAN
                          : k == COUNT(NUMBERS) + 1 ? (double)INFINITY
                                                    : -(double)INFINITY);
        break;
    }
    case 4:
        push_string_from_bytes(L, p);
        break;
    case 5: {
        uint32_t k = fuzz_pick(&p->b, COUNT(WORDS));
        /* "a\0b" keeps its NUL. */
        lua_pushlstring(L, WORDS[k], k == 15 ? 3 : strlen(WORDS[k]));
        break;
    }
    case 6:
    case 7:
        push_table(L, p, depth);
        break;
    case 8: {
        /* An earlier result (a matcher, a glossary table, a document...). */
        lua_Integer n = (lua_Integer)lua_rawlen(L, p->results);
        if (n == 0)
            lua_pushnil(L);
        else
            lua_rawgeti(L, p->results, 1 + (lua_Integer)fuzz_pick(&p->b, (uint32_t)n));
        break;
    }
    default:
        lua_pushcfunction(L, raise_error);
        break;
    }
}

/* ---- The program ---- */

static void keep_result(lua_State *L, program *p)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, p->results);
    if (lua_isnoneornil(L, -1) || n >= 8)
        return;
    lua_pushvalue(L, -1);
    lua_rawseti(L, p->results, n + 1);
}

/* Calls one function or method; errors are caught, results kept. */
static void step(lua_State *L, program *p)
{
    int top = lua_gettop(L), nargs, i;
    uint32_t op = fuzz_pick(&p->b, COUNT(FUNCTIONS) + 2);
    if (op < COUNT(FUNCTIONS)) {
        lua_getfield(L, p->core, FUNCTIONS[op]);
        nargs = (int)fuzz_pick(&p->b, 4);
        for (i = 0; i < nargs; i++)
            push_value(L, p, 0);
    } else {
        /* A method of an earlier result, userdata or not: match, free,
         * __tostring and __gc through luaL_tolstring and a forced GC. */
        lua_Integer n = (lua_Integer)lua_rawlen(L, p->results);
        const char *method = op == COUNT(FUNCTIONS) ? "match" : "free";
        if (n == 0)
            return;
        lua_rawgeti(L, p->results, 1 + (lua_Integer)fuzz_pick(&p->b, (uint32_t)n));
        if (fuzz_pick(&p->b, 4) == 0) {
            luaL_tolstring(L, -1, NULL);
            lua_settop(L, top);
            return;
        }
        if (lua_type(L, -1) != LUA_TUSERDATA || !luaL_getmetafield(L, -1, "__index")) {
            lua_settop(L, top);
            return;
        }
        lua_getfield(L, -1, method);
        lua_remove(L, -2); /* the __index table */
        lua_insert(L, -2); /* method, self */
        nargs = 1 + (int)fuzz_pick(&p->b, 4);
        for (i = 1; i < nargs; i++)
            push_value(L, p, 0);
    }
    if (lua_pcall(L, nargs, 1, 0) == LUA_OK)
        keep_result(L, p);
    lua_settop(L, top);
    if (fuzz_pick(&p->b, 8) == 0)
        lua_gc(L, LUA_GCCOLLECT, 0);
}

static int run(lua_State *L)
{
    program *p = lua_touserdata(L, 1);
    int steps = 0;
    lua_settop(L, 0);
    luaL_requiref(L, "policylink.core", luaopen_policylink_core, 0);
    p->core = lua_gettop(L);
    lua_newtable(L);
    p->results = lua_gettop(L);
    while (fuzz_left(&p->b) && steps++ < 24)
        step(L, p);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    budget bud = {0, (size_t)256 << 20, -1, 0};
    program p;
    lua_State *L;
    unsigned flags;
    long count;

    if (size < 3)
        return 0;
    flags = data[0];
    count = (long)data[1] << 8 | data[2];
    p.b.p = data + 3;
    p.b.n = size - 3;
    p.b.pos = 0;
    L = lua_newstate(fuzz_lua_alloc, &bud);
    FUZZ_CHECK(L != NULL);
    if (flags & 1)
        bud.fail_after = count;
    if (flags & 2)
        pl_alloc_fail_after(count);
    lua_pushcfunction(L, run);
    lua_pushlightuserdata(L, &p);
    (void)lua_pcall(L, 1, 0, 0);
    fuzz_disarm();
    bud.fail_after = -1;
    bud.failing = 0;
    lua_close(L);
    FUZZ_CHECK(bud.used == 0);
    return 0;
}
