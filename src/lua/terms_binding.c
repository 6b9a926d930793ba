/* Lua binding of term extraction: core.terms(text, opts) cleans the raw
 * input and returns its terms with their variants, kind, score, case policy
 * and the sentences that mention them. */
#include <stddef.h>
#include <string.h>

#include "binding.h"
#include "document.h"
#include "terms.h"

#define TERMS_BOX "policylink.terms_box"

/* Owns what core.terms allocates, so that a Lua error while the result table
 * is built (out of memory longjmps) frees it through __gc. */
typedef struct terms_box {
    pl_document *doc;
    pl_terms *terms;
} terms_box;

static void terms_box_clear(terms_box *box)
{
    pl_terms_free(box->terms);
    pl_document_free(box->doc);
    box->terms = NULL;
    box->doc = NULL;
}

static int terms_box_gc(lua_State *L)
{
    terms_box_clear(luaL_checkudata(L, 1, TERMS_BOX));
    return 0;
}

/* opts[key] as a whole number >= 1, or 0 when absent. */
static size_t read_count(lua_State *L, int idx, const char *key)
{
    lua_Number v;
    size_t count = 0;
    lua_getfield(L, idx, key);
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "%s must be a number", key);
        v = lua_tonumber(L, -1);
        if (!(v >= 1 && v <= 1e15 && (lua_Number)(size_t)v == v))
            luaL_error(L, "%s must be a whole number of at least 1", key);
        count = (size_t)v;
    }
    lua_pop(L, 1);
    return count;
}

/* Reads {top=, min_count=, terminology=, format=} at idx (may be absent or nil). Raises a
 * Lua error on a bad option: nothing is allocated yet. */
static void read_options(lua_State *L, int idx, pl_terms_options *opts,
                         pl_document_options *doc_opts)
{
    memset(opts, 0, sizeof *opts);
    memset(doc_opts, 0, sizeof *doc_opts);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    opts->top = read_count(L, idx, "top");
    opts->min_count = read_count(L, idx, "min_count");
    lua_getfield(L, idx, "terminology");
    opts->terminology = lua_toboolean(L, -1);
    lua_pop(L, 1);
    pl_lua_read_document_options(L, idx, doc_opts);
}

static const char *case_name(pl_case_policy policy)
{
    switch (policy) {
    case PL_CASE_CAPITALIZED:
        return "capitalized";
    case PL_CASE_EXACT:
        return "exact";
    case PL_CASE_INSENSITIVE:
        break;
    }
    return "insensitive";
}

static void push_term(lua_State *L, const pl_term *t)
{
    size_t i;
    lua_createtable(L, 0, 8);
    pl_lua_set_string(L, "text", t->text);
    pl_lua_set_string(L, "kind", pl_term_kind_name(t->kind));
    pl_lua_set_number(L, "score", t->score);
    pl_lua_set_string(L, "case", case_name(t->case_policy));
    pl_lua_set_integer(L, "count", t->count);
    if (t->long_form != PL_TERM_NONE)
        pl_lua_set_integer(L, "long_form", t->long_form + 1);
    lua_createtable(L, (int)t->variant_count, 0);
    for (i = 0; i < t->variant_count; i++) {
        lua_pushstring(L, t->variants[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "variants");
    lua_createtable(L, (int)t->occurrence_count, 0);
    for (i = 0; i < t->occurrence_count; i++) {
        lua_pushinteger(L, (lua_Integer)t->occurrences[i] + 1);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "occurrences");
}

/* core.terms(text [, {top=, min_count=, terminology=, format=}]) ->
 *   { terms = { {text=, variants={...}, kind=, score=, case=, count=,
 *                occurrences={...}, long_form=}, ... },
 *     document = {title=, author=, date=, source=, format=, replaced_bytes=,
 *                 removed_blocks=, sentence_count=} }
 *   | nil, message, code
 * occurrences are 1-based indices into the sentences core.clean returns for
 * the same input and format; long_form (acronyms only) is the 1-based index
 * of the written-out form in terms. */
static int l_terms(lua_State *L)
{
    size_t len, i;
    const char *s = luaL_checklstring(L, 1, &len);
    pl_terms_options opts;
    pl_document_options doc_opts;
    pl_error err;
    terms_box *box;

    lua_settop(L, 2);
    read_options(L, 2, &opts, &doc_opts);
    box = lua_newuserdata(L, sizeof *box);
    box->doc = NULL;
    box->terms = NULL;
    luaL_getmetatable(L, TERMS_BOX);
    lua_setmetatable(L, -2);
    box->doc = pl_document_create(s, len, &doc_opts, &err);
    if (!box->doc)
        return pl_lua_push_failure(L, &err);
    box->terms = pl_terms_extract(box->doc, &opts, &err);
    if (!box->terms) {
        terms_box_clear(box);
        return pl_lua_push_failure(L, &err);
    }

    lua_createtable(L, 0, 2);
    lua_createtable(L, (int)box->terms->count, 0);
    for (i = 0; i < box->terms->count; i++) {
        push_term(L, &box->terms->items[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "terms");
    lua_createtable(L, 0, 8);
    pl_lua_set_string(L, "title", box->doc->title);
    pl_lua_set_string(L, "author", box->doc->author);
    pl_lua_set_string(L, "date", box->doc->date);
    pl_lua_set_string(L, "source", box->doc->source);
    pl_lua_set_string(L, "format", box->doc->format == PL_FORMAT_HTML ? "html" : "text");
    pl_lua_set_integer(L, "replaced_bytes", box->doc->replaced_bytes);
    pl_lua_set_integer(L, "removed_blocks", box->doc->removed_blocks);
    pl_lua_set_integer(L, "sentence_count", box->doc->sentence_count);
    lua_setfield(L, -2, "document");

    terms_box_clear(box);
    return 1;
}

static const luaL_Reg terms_functions[] = {
    {"terms", l_terms},
    {NULL, NULL},
};

void pl_lua_open_terms(lua_State *L)
{
    luaL_newmetatable(L, TERMS_BOX);
    lua_pushcfunction(L, terms_box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_setfuncs(L, terms_functions, 0);
}
