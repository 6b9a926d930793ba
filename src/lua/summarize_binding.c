/* Lua binding of the summarizer: core.summarize(text, opts) cleans the raw
 * input and returns the chosen sentences as byte ranges of the cleaned text. */
#include <stddef.h>
#include <string.h>

#include "binding.h"
#include "document.h"
#include "summarize.h"

#define SUMMARY_BOX "policylink.summary_box"

/* Owns what core.summarize allocates, so that a Lua error while the result
 * table is built (out of memory longjmps) frees it through __gc. */
typedef struct summary_box {
    pl_document *doc;
    pl_summary *summary;
} summary_box;

static int summary_box_gc(lua_State *L)
{
    summary_box *box = luaL_checkudata(L, 1, SUMMARY_BOX);
    pl_summary_free(box->summary);
    pl_document_free(box->doc);
    box->summary = NULL;
    box->doc = NULL;
    return 0;
}

/* opts[key] as a count >= 1, or 0 when absent. Counts beyond any document
 * (1e15 and up) are clamped, so a huge budget means no limit. */
static size_t read_count(lua_State *L, int idx, const char *key)
{
    lua_Number v;
    size_t count = 0;
    lua_getfield(L, idx, key);
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "%s must be a number", key);
        v = lua_tonumber(L, -1);
        if (v >= 1e15)
            v = 1e15;
        if (!(v >= 1 && (lua_Number)(size_t)v == v))
            luaL_error(L, "%s must be a whole number of at least 1", key);
        count = (size_t)v;
    }
    lua_pop(L, 1);
    return count;
}

/* Reads {sentences=, ratio=, chars=, words=, focus=, format=} at idx (may be
 * absent or nil). Raises a Lua error on a bad option: nothing is allocated yet.
 * Leaves the focus value on the stack, which keeps opts->focus alive. */
static void read_options(lua_State *L, int idx, pl_summary_options *opts,
                         pl_document_options *doc_opts)
{
    memset(opts, 0, sizeof *opts);
    memset(doc_opts, 0, sizeof *doc_opts);
    if (lua_isnoneornil(L, idx)) {
        lua_pushnil(L);
        return;
    }
    luaL_checktype(L, idx, LUA_TTABLE);
    opts->max_sentences = read_count(L, idx, "sentences");
    opts->max_chars = read_count(L, idx, "chars");
    opts->max_words = read_count(L, idx, "words");
    lua_getfield(L, idx, "ratio");
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "ratio must be a number");
        opts->ratio = lua_tonumber(L, -1);
        if (!(opts->ratio > 0.0 && opts->ratio <= 1.0))
            luaL_error(L, "ratio must be above 0 and at most 1");
    }
    lua_pop(L, 1);
    pl_lua_read_document_options(L, idx, doc_opts);
    lua_getfield(L, idx, "focus");
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "focus must be a string");
        opts->focus = lua_tolstring(L, -1, &opts->focus_len);
    }
}

/* core.summarize(text [, opts]) ->
 *   { text = cleaned text, replaced_bytes = n, candidates = n, focus_matches = n,
 *     sentences = { {byte_start=, byte_end=, score=, index=, paragraph=}, ... } }
 *   | nil, message, code
 * Offsets are 0-based bytes of the cleaned text, end exclusive; index and
 * paragraph are 1-based, as in core.clean's sentences and paragraphs. */
static int l_summarize(lua_State *L)
{
    size_t len, i;
    const char *s = luaL_checklstring(L, 1, &len);
    pl_summary_options opts;
    pl_document_options doc_opts;
    pl_error err;
    summary_box *box;

    lua_settop(L, 2);
    read_options(L, 2, &opts, &doc_opts);
    box = lua_newuserdata(L, sizeof *box);
    box->doc = NULL;
    box->summary = NULL;
    luaL_getmetatable(L, SUMMARY_BOX);
    lua_setmetatable(L, -2);
    box->doc = pl_document_create(s, len, &doc_opts, &err);
    if (!box->doc)
        return pl_lua_push_failure(L, &err);
    box->summary = pl_summarize(box->doc, &opts, &err);
    if (!box->summary) {
        pl_document_free(box->doc);
        box->doc = NULL;
        return pl_lua_push_failure(L, &err);
    }

    lua_createtable(L, 0, 5);
    lua_pushlstring(L, box->doc->text, box->doc->text_len);
    lua_setfield(L, -2, "text");
    pl_lua_set_integer(L, "replaced_bytes", box->doc->replaced_bytes);
    pl_lua_set_integer(L, "candidates", box->summary->candidates);
    pl_lua_set_integer(L, "focus_matches", box->summary->focus_matches);
    lua_createtable(L, (int)box->summary->count, 0);
    for (i = 0; i < box->summary->count; i++) {
        const pl_summary_sentence *pick = &box->summary->sentences[i];
        const pl_sentence *sent = &box->doc->sentences[pick->index];
        lua_createtable(L, 0, 5);
        pl_lua_set_integer(L, "byte_start", sent->start);
        pl_lua_set_integer(L, "byte_end", sent->end);
        pl_lua_set_number(L, "score", pick->score);
        pl_lua_set_integer(L, "index", pick->index + 1);
        pl_lua_set_integer(L, "paragraph", sent->paragraph + 1);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "sentences");

    pl_summary_free(box->summary);
    pl_document_free(box->doc);
    box->summary = NULL;
    box->doc = NULL;
    return 1;
}

static const luaL_Reg summarize_functions[] = {
    {"summarize", l_summarize},
    {NULL, NULL},
};

void pl_lua_open_summarize(lua_State *L)
{
    luaL_newmetatable(L, SUMMARY_BOX);
    lua_pushcfunction(L, summary_box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_setfuncs(L, summarize_functions, 0);
}
