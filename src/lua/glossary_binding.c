/* Lua binding of the glossary file: core.glossary_parse, core.glossary_format,
 * core.glossary_merge, core.slug. Glossaries cross as plain tables:
 *   { preamble = "...", exclude = {"term", ...},
 *     entries = { { term =, aliases = {}, case =, kind =, explanation =,
 *                   sources = { {text=, title=, url=, sentence=} }, meta = {},
 *                   excluded = bool, line =, anchor = }, ... } }
 * case and kind are nil when the file does not say; line and anchor are
 * read-only (format and merge ignore anchor). */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "binding.h"
#include "glossary.h"

#define GLOSSARY_BOX "policylink.glossary_box"

/* Owns what the functions below allocate, so that a Lua error (a bad table,
 * or out of memory while building a result: both longjmp) frees it in
 * __gc. */
typedef struct glossary_box {
    pl_glossary *g[3];
    char **anchors;
    size_t anchor_count;
    char *text;
} glossary_box;

static void box_clear(glossary_box *box)
{
    int i;
    for (i = 0; i < 3; i++) {
        pl_glossary_free(box->g[i]);
        box->g[i] = NULL;
    }
    pl_glossary_anchors_free(box->anchors, box->anchor_count);
    box->anchors = NULL;
    box->anchor_count = 0;
    pl_free(box->text);
    box->text = NULL;
}

static int glossary_box_gc(lua_State *L)
{
    box_clear(luaL_checkudata(L, 1, GLOSSARY_BOX));
    return 0;
}

static glossary_box *new_box(lua_State *L)
{
    glossary_box *box = lua_newuserdata(L, sizeof *box);
    memset(box, 0, sizeof *box);
    luaL_getmetatable(L, GLOSSARY_BOX);
    lua_setmetatable(L, -2);
    return box;
}

/* ---- Core to Lua ---- */

static void push_string_array(lua_State *L, char *const *items, size_t count)
{
    size_t i;
    lua_createtable(L, (int)count, 0);
    for (i = 0; i < count; i++) {
        lua_pushstring(L, items[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
}

static void push_entry(lua_State *L, const pl_glossary_entry *e, const char *anchor)
{
    size_t i;
    lua_createtable(L, 0, 11);
    pl_lua_set_string(L, "term", e->term);
    push_string_array(L, e->aliases, e->alias_count);
    lua_setfield(L, -2, "aliases");
    if (e->has_case)
        pl_lua_set_string(L, "case", pl_glossary_case_name(e->case_policy));
    pl_lua_set_string(L, "kind", pl_glossary_kind_name(e->kind));
    pl_lua_set_string(L, "explanation", e->explanation);
    lua_createtable(L, (int)e->source_count, 0);
    for (i = 0; i < e->source_count; i++) {
        const pl_glossary_source *src = &e->sources[i];
        lua_createtable(L, 0, 4);
        pl_lua_set_string(L, "text", src->text);
        pl_lua_set_string(L, "title", src->title);
        pl_lua_set_string(L, "url", src->url);
        if (src->sentence)
            pl_lua_set_integer(L, "sentence", src->sentence);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "sources");
    push_string_array(L, e->meta, e->meta_count);
    lua_setfield(L, -2, "meta");
    lua_pushboolean(L, e->excluded);
    lua_setfield(L, -2, "excluded");
    if (e->line)
        pl_lua_set_integer(L, "line", e->line);
    pl_lua_set_string(L, "anchor", anchor);
}

/* Pushes the table for box->g[slot], with its anchors. Returns 1, or the
 * failure triple when the anchors cannot be made. */
static int push_glossary(lua_State *L, glossary_box *box, int slot)
{
    const pl_glossary *g = box->g[slot];
    pl_error err;
    size_t i;
    box->anchors = pl_glossary_anchors(g, &err);
    if (!box->anchors)
        return pl_lua_push_failure(L, &err);
    box->anchor_count = g->count;
    lua_createtable(L, 0, 3);
    pl_lua_set_string(L, "preamble", g->preamble);
    push_string_array(L, g->exclude, g->exclude_count);
    lua_setfield(L, -2, "exclude");
    lua_createtable(L, (int)g->count, 0);
    for (i = 0; i < g->count; i++) {
        push_entry(L, &g->entries[i], box->anchors[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "entries");
    return 1;
}

/* ---- Lua to core ---- */

/* What the reader is at, for messages: "entries[3].sources[1].url". */
typedef struct reader {
    lua_State *L;
    const char *prefix; /* "" or "user." */
    pl_error err;
} reader;

static int fail_nomem(reader *r)
{
    return luaL_error(r->L, "%s", r->err.message[0] ? r->err.message : "out of memory");
}

/* The string at the top of the stack (popped by the caller), or NULL for
 * nil; anything else, or a string holding NUL, is an error naming path. */
static const char *opt_string(reader *r, const char *path, size_t *len)
{
    const char *s;
    if (lua_isnil(r->L, -1))
        return NULL;
    if (lua_type(r->L, -1) != LUA_TSTRING)
        luaL_error(r->L, "%s%s must be a string", r->prefix, path);
    s = lua_tolstring(r->L, -1, len);
    if (memchr(s, '\0', *len))
        luaL_error(r->L, "%s%s must not contain NUL bytes", r->prefix, path);
    return s;
}

/* Pushes t[key] of the table at idx; fails unless it is nil or a table. */
static int opt_table_field(reader *r, int idx, const char *key, const char *path)
{
    lua_getfield(r->L, idx, key);
    if (lua_isnil(r->L, -1))
        return 0;
    if (!lua_istable(r->L, -1))
        luaL_error(r->L, "%s%s must be a table", r->prefix, path);
    return 1;
}

typedef pl_status (*add_string_fn)(void *target, const char *s, size_t len, pl_error *err);

static pl_status add_alias(void *target, const char *s, size_t len, pl_error *err)
{
    return pl_glossary_entry_add_alias(target, s, len, err);
}

static pl_status add_meta(void *target, const char *s, size_t len, pl_error *err)
{
    return pl_glossary_entry_add_meta(target, s, len, err);
}

static pl_status add_exclude(void *target, const char *s, size_t len, pl_error *err)
{
    return pl_glossary_add_exclude(target, s, len, err);
}

/* Reads the array of strings t[key] (nil: none) of the table at idx. */
static void read_strings(reader *r, int idx, const char *key, const char *path, void *target,
                         add_string_fn add)
{
    char item[192];
    size_t i, n, len;
    if (!opt_table_field(r, idx, key, path)) {
        lua_pop(r->L, 1);
        return;
    }
    n = pl_lua_rawlen(r->L, -1);
    for (i = 1; i <= n; i++) {
        const char *s;
        snprintf(item, sizeof item, "%s[%zu]", path, i);
        lua_rawgeti(r->L, -1, (int)i);
        s = opt_string(r, item, &len);
        if (!s)
            luaL_error(r->L, "%s%s must be a string", r->prefix, item);
        if (add(target, s, len, &r->err) != PL_OK)
            fail_nomem(r);
        lua_pop(r->L, 1);
    }
    lua_pop(r->L, 1);
}

/* Reads t[key] as an option of names (nil: absent), returning its index in
 * names or -1. */
static int read_choice(reader *r, int idx, const char *key, const char *path,
                       const char *const *names, const char *choices)
{
    size_t len;
    const char *s;
    int i;
    lua_getfield(r->L, idx, key);
    s = opt_string(r, path, &len);
    lua_pop(r->L, 1);
    if (!s)
        return -1;
    for (i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return luaL_error(r->L, "%s%s must be %s, not \"%s\"", r->prefix, path, choices, s);
}

static void read_sources(reader *r, int idx, const char *path, pl_glossary_entry *e)
{
    char item[192], field[256];
    size_t i, n, len;
    if (!opt_table_field(r, idx, "sources", path)) {
        lua_pop(r->L, 1);
        return;
    }
    n = pl_lua_rawlen(r->L, -1);
    for (i = 1; i <= n; i++) {
        const char *text, *title, *url;
        size_t sentence = 0;
        snprintf(item, sizeof item, "%s[%zu]", path, i);
        lua_rawgeti(r->L, -1, (int)i);
        if (!lua_istable(r->L, -1))
            luaL_error(r->L, "%s%s must be a table", r->prefix, item);
        snprintf(field, sizeof field, "%s.text", item);
        lua_getfield(r->L, -1, "text");
        text = opt_string(r, field, &len);
        snprintf(field, sizeof field, "%s.title", item);
        lua_getfield(r->L, -2, "title");
        title = opt_string(r, field, &len);
        snprintf(field, sizeof field, "%s.url", item);
        lua_getfield(r->L, -3, "url");
        url = opt_string(r, field, &len);
        lua_getfield(r->L, -4, "sentence");
        if (!lua_isnil(r->L, -1)) {
            lua_Number v = lua_tonumber(r->L, -1);
            if (lua_type(r->L, -1) != LUA_TNUMBER || !(v >= 1 && v <= 999999999) ||
                v != (lua_Number)(size_t)v)
                luaL_error(r->L, "%s%s.sentence must be a whole number from 1 to 999999999",
                           r->prefix, item);
            sentence = (size_t)v;
        }
        /* The strings stay on the stack (so alive) until copied here. */
        if (pl_glossary_entry_add_source(e, text, title, url, sentence, &r->err) != PL_OK)
            fail_nomem(r);
        lua_pop(r->L, 5);
    }
    lua_pop(r->L, 1);
}

static const char *const CASES[] = {"insensitive", "capitalized", "exact", NULL};
static const char *const KINDS[] = {"quoted", "name", "acronym", "phrase", NULL};

/* Reads the entry table at the top of the stack into g. */
static void read_entry(reader *r, pl_glossary *g, size_t index)
{
    char path[64], field[128];
    const char *s;
    size_t len;
    int choice;
    pl_glossary_entry *e;
    int idx = lua_gettop(r->L);

    snprintf(path, sizeof path, "entries[%zu]", index);
    if (!lua_istable(r->L, idx))
        luaL_error(r->L, "%s%s must be a table", r->prefix, path);
    snprintf(field, sizeof field, "%s.term", path);
    lua_getfield(r->L, idx, "term");
    s = opt_string(r, field, &len);
    if (!s)
        luaL_error(r->L, "%s%s must be a string", r->prefix, field);
    e = pl_glossary_add_entry(g, s, len, &r->err);
    if (!e)
        fail_nomem(r);
    lua_pop(r->L, 1);

    snprintf(field, sizeof field, "%s.explanation", path);
    lua_getfield(r->L, idx, "explanation");
    s = opt_string(r, field, &len);
    if (s && pl_glossary_entry_set_explanation(e, s, len, &r->err) != PL_OK)
        fail_nomem(r);
    lua_pop(r->L, 1);

    snprintf(field, sizeof field, "%s.aliases", path);
    read_strings(r, idx, "aliases", field, e, add_alias);
    snprintf(field, sizeof field, "%s.meta", path);
    read_strings(r, idx, "meta", field, e, add_meta);
    snprintf(field, sizeof field, "%s.sources", path);
    read_sources(r, idx, field, e);

    snprintf(field, sizeof field, "%s.case", path);
    choice =
        read_choice(r, idx, "case", field, CASES, "\"insensitive\", \"capitalized\" or \"exact\"");
    if (choice >= 0) {
        e->has_case = 1;
        e->case_policy = (pl_case_policy)choice;
    }
    snprintf(field, sizeof field, "%s.kind", path);
    choice = read_choice(r, idx, "kind", field, KINDS,
                         "\"quoted\", \"name\", \"acronym\" or \"phrase\"");
    e->kind = choice >= 0 ? (pl_glossary_kind)(choice + 1) : PL_GLOSSARY_KIND_UNSET;

    lua_getfield(r->L, idx, "excluded");
    if (!lua_isnil(r->L, -1) && !lua_isboolean(r->L, -1))
        luaL_error(r->L, "%s%s.excluded must be a boolean", r->prefix, path);
    e->excluded = lua_toboolean(r->L, -1);
    lua_pop(r->L, 1);

    lua_getfield(r->L, idx, "line");
    if (!lua_isnil(r->L, -1)) {
        lua_Number v = lua_tonumber(r->L, -1);
        if (lua_type(r->L, -1) != LUA_TNUMBER || !(v >= 0 && v <= 1e15) ||
            v != (lua_Number)(size_t)v)
            luaL_error(r->L, "%s%s.line must be a whole number of at least 0", r->prefix, path);
        e->line = (size_t)v;
    }
    lua_pop(r->L, 1);
}

/* Reads the glossary table at idx (checked to be a table) into
 * box->g[slot]; prefix names it in messages ("user."). */
static void read_glossary(lua_State *L, int idx, glossary_box *box, int slot, const char *prefix)
{
    reader r;
    const char *s;
    size_t i, n, len;
    r.L = L;
    r.prefix = prefix;
    pl_error_clear(&r.err);
    box->g[slot] = pl_glossary_create(&r.err);
    if (!box->g[slot])
        fail_nomem(&r);

    lua_getfield(L, idx, "preamble");
    s = opt_string(&r, "preamble", &len);
    if (s && pl_glossary_set_preamble(box->g[slot], s, len, &r.err) != PL_OK)
        fail_nomem(&r);
    lua_pop(L, 1);
    read_strings(&r, idx, "exclude", "exclude", box->g[slot], add_exclude);

    if (!opt_table_field(&r, idx, "entries", "entries")) {
        lua_pop(L, 1);
        return;
    }
    n = pl_lua_rawlen(L, -1);
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (int)i);
        read_entry(&r, box->g[slot], i);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* ---- The functions ---- */

/* core.glossary_parse(text) -> glossary table | nil, message, code */
static int l_glossary_parse(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    pl_error err;
    glossary_box *box = new_box(L);
    box->g[0] = pl_glossary_parse(s, len, &err);
    if (!box->g[0])
        return pl_lua_push_failure(L, &err);
    if (push_glossary(L, box, 0) != 1)
        return 3;
    box_clear(box);
    return 1;
}

/* core.glossary_format(glossary table) -> Markdown text | nil, message, code
 * A malformed table (wrong types, unknown case or kind) raises an error; a
 * glossary that cannot be written faithfully returns nil and the reason. */
static int l_glossary_format(lua_State *L)
{
    pl_error err;
    size_t len;
    glossary_box *box;
    luaL_checktype(L, 1, LUA_TTABLE);
    box = new_box(L);
    read_glossary(L, 1, box, 0, "");
    box->text = pl_glossary_write(box->g[0], &len, &err);
    if (!box->text) {
        box_clear(box);
        return pl_lua_push_failure(L, &err);
    }
    lua_pushlstring(L, box->text, len);
    box_clear(box);
    return 1;
}

/* core.glossary_merge(user, extracted) -> glossary table | nil, message, code
 * The user's entries win; see pl_glossary_merge. */
static int l_glossary_merge(lua_State *L)
{
    pl_error err;
    glossary_box *box;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    box = new_box(L);
    read_glossary(L, 1, box, 0, "user.");
    read_glossary(L, 2, box, 1, "extracted.");
    box->g[2] = pl_glossary_merge(box->g[0], box->g[1], &err);
    if (!box->g[2]) {
        box_clear(box);
        return pl_lua_push_failure(L, &err);
    }
    if (push_glossary(L, box, 2) != 1)
        return 3;
    box_clear(box);
    return 1;
}

/* core.slug(text) -> GitHub's anchor for a heading with this text */
static int l_slug(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    pl_error err;
    glossary_box *box = new_box(L);
    box->text = pl_slug(s, len, &len, &err);
    if (!box->text)
        return pl_lua_push_failure(L, &err);
    lua_pushlstring(L, box->text, len);
    box_clear(box);
    return 1;
}

static const luaL_Reg glossary_functions[] = {
    {"glossary_parse", l_glossary_parse},
    {"glossary_format", l_glossary_format},
    {"glossary_merge", l_glossary_merge},
    {"slug", l_slug},
    {NULL, NULL},
};

void pl_lua_open_glossary(lua_State *L)
{
    luaL_newmetatable(L, GLOSSARY_BOX);
    lua_pushcfunction(L, glossary_box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_setfuncs(L, glossary_functions, 0);
}
