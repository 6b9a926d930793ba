/* Lua binding of term extraction: core.terms(text, opts) cleans the raw
 * input and returns its terms with their variants, kind, score, case policy
 * and the sentences that mention them, and on request the sentences that
 * explain each one (one cleaning and one pass for all the terms). */
#include <stddef.h>
#include <string.h>

#include "alloc.h"
#include "binding.h"
#include "define.h"
#include "document.h"
#include "terms.h"

#define TERMS_BOX "policylink.terms_box"

/* Owns what core.terms allocates, so that a Lua error while the result table
 * is built (out of memory longjmps) frees it through __gc. */
typedef struct terms_box {
    pl_document *doc;
    pl_terms *terms;
    pl_explain_term *asked; /* one per term, pointing into terms */
    pl_explanation **explanations;
    size_t explained; /* entries of explanations */
} terms_box;

static void terms_box_clear(terms_box *box)
{
    pl_explanations_free(box->explanations, box->explained);
    pl_free(box->asked);
    pl_terms_free(box->terms);
    pl_document_free(box->doc);
    box->explanations = NULL;
    box->explained = 0;
    box->asked = NULL;
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

/* Reads {top=, min_count=, terminology=, explain=, format=} at idx (may be
 * absent or nil); *explain is 0 (no explanations) or the sentences wanted
 * (1 to PL_EXPLAIN_MAX_SENTENCES; true gives the most). Raises a Lua error on
 * a bad option: nothing is allocated yet. */
static void read_options(lua_State *L, int idx, pl_terms_options *opts,
                         pl_document_options *doc_opts, size_t *explain)
{
    memset(opts, 0, sizeof *opts);
    memset(doc_opts, 0, sizeof *doc_opts);
    *explain = 0;
    if (lua_isnoneornil(L, idx))
        return;
    lua_getfield(L, idx, "explain");
    if (lua_type(L, -1) == LUA_TBOOLEAN) {
        *explain = lua_toboolean(L, -1) ? PL_EXPLAIN_MAX_SENTENCES : 0;
    } else if (!lua_isnil(L, -1)) {
        lua_Number v = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
        if (!(v >= 1 && v <= PL_EXPLAIN_MAX_SENTENCES && (lua_Number)(size_t)v == v))
            luaL_error(L, "explain must be true or a whole number from 1 to %d",
                       PL_EXPLAIN_MAX_SENTENCES);
        *explain = (size_t)v;
    }
    lua_pop(L, 1);
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

/* Pushes the explanation of one term, as core.explain gives its fields. */
static void push_explanation(lua_State *L, const pl_document *doc, const pl_explanation *e)
{
    lua_createtable(L, 0, 2);
    pl_lua_set_explanation(L, doc, e);
}

/* Explains every term of box in one pass (pl_explain_many): each term with
 * its other spellings. Returns 0, or -1 with err set. */
static int explain_terms(terms_box *box, size_t max_sentences, pl_error *err)
{
    size_t i, n = box->terms->count;
    box->asked = pl_calloc(n + 1, sizeof *box->asked);
    if (!box->asked) {
        pl_error_set(err, PL_ERR_NOMEM, "out of memory");
        return -1;
    }
    for (i = 0; i < n; i++) {
        const pl_term *t = &box->terms->items[i];
        box->asked[i].text = t->text;
        box->asked[i].len = strlen(t->text);
        /* variants[0] is the text itself */
        box->asked[i].variants = t->variant_count > 1 ? (const char *const *)t->variants + 1 : NULL;
        box->asked[i].variant_count = t->variant_count > 1 ? t->variant_count - 1 : 0;
    }
    box->explanations = pl_explain_many(box->doc, box->asked, n, max_sentences, err);
    if (!box->explanations)
        return -1;
    box->explained = n;
    return 0;
}

/* core.terms(text [, {top=, min_count=, terminology=, explain=, format=}]) ->
 *   { terms = { {text=, variants={...}, kind=, score=, case=, count=,
 *                occurrences={...}, long_form=, explanation=}, ... },
 *     document = {title=, author=, date=, source=, format=, replaced_bytes=,
 *                 removed_blocks=, sentence_count=} }
 *   | nil, message, code
 * occurrences are 1-based indices into the sentences core.clean returns for
 * the same input and format; long_form (acronyms only) is the 1-based index
 * of the written-out form in terms. With explain (true, or 1 to 3 sentences),
 * each term has explanation = {mentions=, sentences={...}}, the sentences as
 * core.explain gives them (the term's variants are its other spellings). */
static int l_terms(lua_State *L)
{
    size_t len, i, explain;
    const char *s = luaL_checklstring(L, 1, &len);
    pl_terms_options opts;
    pl_document_options doc_opts;
    pl_error err;
    terms_box *box;

    lua_settop(L, 2);
    read_options(L, 2, &opts, &doc_opts, &explain);
    box = lua_newuserdata(L, sizeof *box);
    memset(box, 0, sizeof *box);
    luaL_getmetatable(L, TERMS_BOX);
    lua_setmetatable(L, -2);
    box->doc = pl_document_create(s, len, &doc_opts, &err);
    if (!box->doc)
        return pl_lua_push_failure(L, &err);
    box->terms = pl_terms_extract(box->doc, &opts, &err);
    if (!box->terms || (explain && explain_terms(box, explain, &err) != 0)) {
        terms_box_clear(box);
        return pl_lua_push_failure(L, &err);
    }

    lua_createtable(L, 0, 2);
    lua_createtable(L, (int)box->terms->count, 0);
    for (i = 0; i < box->terms->count; i++) {
        push_term(L, &box->terms->items[i]);
        if (box->explanations) {
            push_explanation(L, box->doc, box->explanations[i]);
            lua_setfield(L, -2, "explanation");
        }
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
