/* The Lua binding of the core: converts arguments, calls the core, converts
 * results; failures come back as nil, message, code. Built twice: into the
 * policylink program (Lua 5.4) and as lua/policylink/core.so (LuaJIT). This
 * file opens the module; each feature's functions live in a file of its own. */
#include "binding.h"

#include <string.h>

int luaopen_policylink_core(lua_State *L);

#ifndef PL_VERSION
#define PL_VERSION "0.1.0"
#endif

/* Pushes nil, message, code and returns 3: the soft-failure convention. */
int pl_lua_push_failure(lua_State *L, const pl_error *err)
{
    lua_pushnil(L);
    lua_pushstring(L, err->message[0] ? err->message : pl_status_name(err->status));
    lua_pushstring(L, pl_status_name(err->status));
    return 3;
}

void pl_lua_set_string(lua_State *L, const char *key, const char *value)
{
    if (!value)
        return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

void pl_lua_set_integer(lua_State *L, const char *key, size_t value)
{
    lua_pushinteger(L, (lua_Integer)value);
    lua_setfield(L, -2, key);
}

void pl_lua_set_number(lua_State *L, const char *key, double value)
{
    lua_pushnumber(L, value);
    lua_setfield(L, -2, key);
}

void pl_lua_set_explanation(lua_State *L, const pl_document *doc, const pl_explanation *e)
{
    size_t i;
    pl_lua_set_integer(L, "mentions", e->mentions);
    lua_createtable(L, (int)e->count, 0);
    for (i = 0; i < e->count; i++) {
        const pl_explain_sentence *x = &e->sentences[i];
        lua_createtable(L, 0, 10);
        lua_pushlstring(L, doc->text + x->start, x->end - x->start);
        lua_setfield(L, -2, "text");
        pl_lua_set_integer(L, "byte_start", x->start);
        pl_lua_set_integer(L, "byte_end", x->end);
        pl_lua_set_integer(L, "index", x->index + 1);
        pl_lua_set_integer(L, "paragraph", x->paragraph + 1);
        pl_lua_set_integer(L, "term_start", x->term_start);
        pl_lua_set_integer(L, "term_end", x->term_end);
        lua_pushboolean(L, x->definition);
        lua_setfield(L, -2, "definition");
        lua_pushinteger(L, x->score);
        lua_setfield(L, -2, "score");
        pl_lua_set_number(L, "focus_score", x->focus_score);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "sentences");
}

void pl_lua_read_document_options(lua_State *L, int idx, pl_document_options *opts)
{
    memset(opts, 0, sizeof *opts);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_getfield(L, idx, "format");
    if (!lua_isnil(L, -1)) {
        const char *format;
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "format must be a string");
        format = lua_tostring(L, -1);
        if (strcmp(format, "auto") == 0)
            opts->format = PL_FORMAT_AUTO;
        else if (strcmp(format, "text") == 0)
            opts->format = PL_FORMAT_TEXT;
        else if (strcmp(format, "html") == 0)
            opts->format = PL_FORMAT_HTML;
        else
            luaL_error(L, "format must be \"auto\", \"text\" or \"html\", not \"%s\"", format);
    }
    lua_pop(L, 1);
    lua_getfield(L, idx, "keep_boilerplate");
    opts->keep_boilerplate = lua_toboolean(L, -1);
    lua_pop(L, 1);
}

int luaopen_policylink_core(lua_State *L)
{
    lua_newtable(L);
    pl_lua_open_text(L);
    pl_lua_open_summarize(L);
    pl_lua_open_match(L);
    pl_lua_open_define(L);
    pl_lua_open_terms(L);
    pl_lua_open_fetch(L);
    pl_lua_open_glossary(L);
    pl_lua_open_file(L);
    lua_pushstring(L, PL_VERSION);
    lua_setfield(L, -2, "version");
    return 1;
}
