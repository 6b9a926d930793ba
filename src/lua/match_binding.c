/* Lua binding of the linker: core.matcher(terms) and the matcher's :match
 * and :free methods. Offsets, lines and columns are 0-based bytes, ends
 * exclusive, as in the rest of the binding. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "binding.h"
#include "match.h"

#define MATCHER "policylink.matcher"

/* The list lives in the box so that a Lua error while the result table is
 * built (it longjmps) leaks nothing: __gc frees both. */
typedef struct matcher_box {
    pl_matcher *m;
    pl_match_list list;
} matcher_box;

static matcher_box *check_box(lua_State *L)
{
    matcher_box *box = luaL_checkudata(L, 1, MATCHER);
    if (!box->m)
        luaL_error(L, "policylink matcher: used after :free()");
    return box;
}

static void release(matcher_box *box)
{
    pl_matcher_free(box->m);
    box->m = NULL;
    pl_match_list_free(&box->list);
}

static int matcher_gc(lua_State *L)
{
    release(luaL_checkudata(L, 1, MATCHER));
    return 0;
}

/* m:free(): releases the matcher now instead of at collection. */
static int matcher_free(lua_State *L)
{
    release(check_box(L));
    return 0;
}

static int matcher_tostring(lua_State *L)
{
    matcher_box *box = luaL_checkudata(L, 1, MATCHER);
    if (box->m)
        lua_pushfstring(L, "policylink.matcher (%d bytes)", (int)pl_matcher_memory(box->m));
    else
        lua_pushliteral(L, "policylink.matcher (freed)");
    return 1;
}

/* An integer in [0, max] at the top of the stack, or a Lua error naming what. */
static lua_Integer check_whole(lua_State *L, const char *what, lua_Number max)
{
    lua_Number v;
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "%s must be a number, not %s", what, luaL_typename(L, -1));
    v = lua_tonumber(L, -1);
    /* Range first (NaN fails it): casting an out-of-range float is undefined. */
    if (!(v >= 0 && v <= max) || v != (lua_Number)(lua_Integer)v) {
        char range[64];
        snprintf(range, sizeof range, "%.0f", (double)max);
        luaL_error(L, "%s must be a whole number from 0 to %s", what, range);
    }
    return (lua_Integer)v;
}

static pl_case_policy check_case(lua_State *L, int i)
{
    const char *name;
    if (lua_isnil(L, -1))
        return PL_CASE_INSENSITIVE;
    name = lua_tostring(L, -1);
    if (name && strcmp(name, "insensitive") == 0)
        return PL_CASE_INSENSITIVE;
    if (name && strcmp(name, "capitalized") == 0)
        return PL_CASE_CAPITALIZED;
    if (name && strcmp(name, "exact") == 0)
        return PL_CASE_EXACT;
    luaL_error(L, "terms[%d].case must be \"insensitive\", \"capitalized\" or \"exact\"", i);
    return PL_CASE_INSENSITIVE;
}

/* core.matcher({ {text=, id=, case=}, ... }) -> matcher | nil, message, code
 * A term with bad text (invalid UTF-8, empty) is a soft failure; a
 * malformed list is a Lua error. */
static int l_matcher(lua_State *L)
{
    size_t n, i;
    pl_term_spec *specs;
    matcher_box *box;
    pl_error err;
    char what[48];

    luaL_checktype(L, 1, LUA_TTABLE);
    n = pl_lua_rawlen(L, 1);
    /* Userdata, not malloc: a Lua error below cannot leak it. */
    specs = lua_newuserdata(L, (n ? n : 1) * sizeof *specs);
    for (i = 0; i < n; i++) {
        int idx = (int)i + 1;
        lua_rawgeti(L, 1, idx);
        if (!lua_istable(L, -1))
            return luaL_error(L, "terms[%d] must be a table {text=, id=, case=}", idx);
        lua_getfield(L, -1, "text");
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "terms[%d].text must be a string", idx);
        /* The string stays referenced by the terms table for the call. */
        specs[i].text = lua_tolstring(L, -1, &specs[i].len);
        lua_pop(L, 1);
        lua_getfield(L, -1, "id");
        snprintf(what, sizeof what, "terms[%d].id", idx);
        specs[i].id = (uint32_t)check_whole(L, what, 4294967295.0);
        lua_pop(L, 1);
        lua_getfield(L, -1, "case");
        specs[i].case_policy = check_case(L, idx);
        lua_pop(L, 2);
    }
    box = lua_newuserdata(L, sizeof *box);
    memset(box, 0, sizeof *box);
    luaL_getmetatable(L, MATCHER);
    lua_setmetatable(L, -2);
    box->m = pl_matcher_create(specs, n, &err);
    if (!box->m)
        return pl_lua_push_failure(L, &err);
    return 1;
}

/* Options: once = "note" | "section" | false, min_length = n, exclude = {ids},
 * headings = false to skip them, first_line = n, line_states = true. Leaves
 * one value on the stack (the excluded ids' storage, or nil) that must stay
 * there while o is used. */
static void read_options(lua_State *L, int idx, pl_match_options *o, size_t *first_line)
{
    memset(o, 0, sizeof *o);
    *first_line = 0;
    if (lua_isnoneornil(L, idx)) {
        lua_pushnil(L);
        return;
    }
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_getfield(L, idx, "once");
    if (lua_type(L, -1) == LUA_TSTRING) {
        const char *once = lua_tostring(L, -1);
        if (strcmp(once, "note") == 0)
            o->once = PL_MATCH_ONCE_PER_NOTE;
        else if (strcmp(once, "section") == 0)
            o->once = PL_MATCH_ONCE_PER_SECTION;
        else
            luaL_error(L, "once must be \"note\", \"section\" or false, not \"%s\"", once);
    } else if (lua_toboolean(L, -1)) {
        luaL_error(L, "once must be \"note\", \"section\" or false");
    }
    lua_pop(L, 1);
    lua_getfield(L, idx, "min_length");
    if (!lua_isnil(L, -1))
        o->min_length = (size_t)check_whole(L, "min_length", 1e15);
    lua_pop(L, 1);
    lua_getfield(L, idx, "first_line");
    if (!lua_isnil(L, -1))
        *first_line = (size_t)check_whole(L, "first_line", 1e15);
    lua_pop(L, 1);
    lua_getfield(L, idx, "headings");
    o->skip_headings = !lua_isnil(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, idx, "line_states");
    o->want_line_states = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, idx, "exclude");
    if (!lua_isnil(L, -1)) {
        size_t n, i;
        uint32_t *ids;
        luaL_argcheck(L, lua_istable(L, -1), idx, "exclude must be a list of term ids");
        n = pl_lua_rawlen(L, -1);
        ids = lua_newuserdata(L, (n ? n : 1) * sizeof *ids);
        for (i = 0; i < n; i++) {
            lua_rawgeti(L, -2, (int)i + 1);
            ids[i] = (uint32_t)check_whole(L, "each excluded id", 4294967295.0);
            lua_pop(L, 1);
        }
        lua_remove(L, -2);
        o->exclude_ids = ids;
        o->exclude_count = n;
    }
}

/* m:match(text [, opts, first_line_state]) -> matches, end_state [, line_states]
 * Without a state the text is a whole note; with one (from an earlier end
 * state or line state) it is the lines that start in that state. Each match
 * is {byte_start=, byte_end=, id=, line=, col=, end_line=, end_col=}; with
 * opts.flat, matches is one list of five integers a match instead: line,
 * col, end_line, end_col, id (an editor linking as one types makes less
 * garbage that way). */
static int matcher_match(lua_State *L)
{
    matcher_box *box = check_box(L);
    size_t len, first_line, i;
    const char *text = luaL_checklstring(L, 2, &len);
    pl_match_options opts;
    pl_md_state state = PL_MD_STATE_START, end_state;
    pl_error err;
    int flat = 0;

    if (!lua_isnoneornil(L, 4)) {
        lua_pushvalue(L, 4);
        state = (pl_md_state)check_whole(L, "first_line_state", 4294967295.0);
        lua_pop(L, 1);
    }
    read_options(L, 3, &opts, &first_line);
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "flat");
        flat = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    pl_match_list_reset(&box->list);
    if (pl_matcher_match_lines(box->m, text, len, first_line, state, &opts, &box->list, &end_state,
                               &err) != PL_OK)
        return pl_lua_push_failure(L, &err);
    if (flat) {
        lua_createtable(L, (int)(5 * box->list.count), 0);
        for (i = 0; i < box->list.count; i++) {
            const pl_match *mt = &box->list.items[i];
            lua_pushinteger(L, (lua_Integer)mt->line);
            lua_rawseti(L, -2, (int)(5 * i + 1));
            lua_pushinteger(L, (lua_Integer)mt->col);
            lua_rawseti(L, -2, (int)(5 * i + 2));
            lua_pushinteger(L, (lua_Integer)mt->end_line);
            lua_rawseti(L, -2, (int)(5 * i + 3));
            lua_pushinteger(L, (lua_Integer)mt->end_col);
            lua_rawseti(L, -2, (int)(5 * i + 4));
            lua_pushinteger(L, (lua_Integer)mt->id);
            lua_rawseti(L, -2, (int)(5 * i + 5));
        }
    } else {
        lua_createtable(L, (int)box->list.count, 0);
    }
    for (i = 0; !flat && i < box->list.count; i++) {
        const pl_match *mt = &box->list.items[i];
        lua_createtable(L, 0, 7);
        pl_lua_set_integer(L, "byte_start", mt->start);
        pl_lua_set_integer(L, "byte_end", mt->end);
        pl_lua_set_integer(L, "id", mt->id);
        pl_lua_set_integer(L, "line", mt->line);
        pl_lua_set_integer(L, "col", mt->col);
        pl_lua_set_integer(L, "end_line", mt->end_line);
        pl_lua_set_integer(L, "end_col", mt->end_col);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_pushinteger(L, (lua_Integer)end_state);
    if (!opts.want_line_states)
        return 2;
    lua_createtable(L, (int)box->list.line_state_count, 0);
    for (i = 0; i < box->list.line_state_count; i++) {
        lua_pushinteger(L, (lua_Integer)box->list.line_states[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 3;
}

/* core.md_state_is_boundary(state) -> whether matching may start there */
static int l_md_state_is_boundary(lua_State *L)
{
    lua_settop(L, 1);
    lua_pushboolean(L, pl_md_state_is_boundary((pl_md_state)check_whole(L, "state", 4294967295.0)));
    return 1;
}

static const luaL_Reg matcher_methods[] = {
    {"match", matcher_match},
    {"free", matcher_free},
    {NULL, NULL},
};

static const luaL_Reg match_functions[] = {
    {"matcher", l_matcher},
    {"md_state_is_boundary", l_md_state_is_boundary},
    {NULL, NULL},
};

void pl_lua_open_match(lua_State *L)
{
    luaL_newmetatable(L, MATCHER);
    lua_pushcfunction(L, matcher_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, matcher_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_newtable(L);
    luaL_setfuncs(L, matcher_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_setfuncs(L, match_functions, 0);
}
