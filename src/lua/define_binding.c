/* Lua binding of definitions: core.explain(text, term [, opts]) explains a
 * term from the cleaned article; core.defines(text [, opts]) flags each
 * sentence that defines something. */
#include <stddef.h>
#include <string.h>

#include "binding.h"
#include "define.h"
#include "document.h"

#define DEFINE_BOX "policylink.define_box"

/* Owns what the functions allocate, so that a Lua error while the result
 * table is built (out of memory longjmps) frees it through __gc. */
typedef struct define_box {
    pl_document *doc;
    pl_explanation *explanation;
} define_box;

static int define_box_gc(lua_State *L)
{
    define_box *box = luaL_checkudata(L, 1, DEFINE_BOX);
    pl_explanation_free(box->explanation);
    pl_document_free(box->doc);
    box->explanation = NULL;
    box->doc = NULL;
    return 0;
}

static define_box *new_box(lua_State *L)
{
    define_box *box = lua_newuserdata(L, sizeof *box);
    box->doc = NULL;
    box->explanation = NULL;
    luaL_getmetatable(L, DEFINE_BOX);
    lua_setmetatable(L, -2);
    return box;
}

/* Frees the box's contents now rather than at the next collection. */
static void empty_box(define_box *box)
{
    pl_explanation_free(box->explanation);
    pl_document_free(box->doc);
    box->explanation = NULL;
    box->doc = NULL;
}

/* Pushes the list of cue names of a detector result. */
static void push_cues(lua_State *L, unsigned cues)
{
    unsigned bit;
    int n = 0;
    lua_newtable(L);
    for (bit = 1; bit && bit <= PL_CUE_LAST; bit <<= 1) {
        if (!(cues & bit))
            continue;
        lua_pushstring(L, pl_define_cue_name(bit));
        lua_rawseti(L, -2, ++n);
    }
}

/* core.explain(text, term [, {max=, variants={...}, format=}]) ->
 *   { text = cleaned text, replaced_bytes = n, mentions = n,
 *     sentences = { {text=, byte_start=, byte_end=, index=, paragraph=,
 *                    term_start=, term_end=, definition=, score=, focus_score=}, ... } }
 *   | nil, message, code
 * Sentences come best first. Offsets are 0-based bytes of the cleaned text,
 * end exclusive; index and paragraph are 1-based, as in core.clean. */
static int l_explain(lua_State *L)
{
    size_t len, term_len, i, nvariants = 0;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *term = luaL_checklstring(L, 2, &term_len);
    const char **variants = NULL;
    pl_document_options doc_opts;
    pl_explain_options opts;
    pl_error err;
    define_box *box;

    lua_settop(L, 3);
    memset(&opts, 0, sizeof opts);
    if (!lua_isnil(L, 3))
        luaL_checktype(L, 3, LUA_TTABLE);
    pl_lua_read_document_options(L, 3, &doc_opts);
    if (!lua_isnil(L, 3)) {
        lua_getfield(L, 3, "max");
        if (!lua_isnil(L, -1)) {
            lua_Number v;
            if (lua_type(L, -1) != LUA_TNUMBER)
                luaL_error(L, "max must be a number");
            v = lua_tonumber(L, -1);
            if (!(v >= 1 && v <= PL_EXPLAIN_MAX_SENTENCES && (lua_Number)(size_t)v == v))
                luaL_error(L, "max must be a whole number from 1 to %d", PL_EXPLAIN_MAX_SENTENCES);
            opts.max_sentences = (size_t)v;
        }
        lua_pop(L, 1);
        /* The variants table stays at index 4, which keeps its strings alive
         * while the core reads them. */
        lua_getfield(L, 3, "variants");
        if (!lua_isnil(L, -1)) {
            if (lua_type(L, -1) != LUA_TTABLE)
                luaL_error(L, "variants must be a list of strings");
            nvariants = (size_t)pl_lua_rawlen(L, -1);
            /* A userdata, so that Lua frees the array whatever happens. */
            variants = lua_newuserdata(L, (nvariants ? nvariants : 1) * sizeof *variants);
            for (i = 0; i < nvariants; i++) {
                lua_rawgeti(L, 4, (int)i + 1);
                if (lua_type(L, -1) != LUA_TSTRING)
                    luaL_error(L, "variants[%d] must be a string", (int)i + 1);
                variants[i] = lua_tostring(L, -1);
                lua_pop(L, 1);
            }
        }
    }
    opts.variants = variants;
    opts.variant_count = nvariants;

    box = new_box(L);
    box->doc = pl_document_create(s, len, &doc_opts, &err);
    if (!box->doc)
        return pl_lua_push_failure(L, &err);
    box->explanation = pl_explain(box->doc, term, term_len, &opts, &err);
    if (!box->explanation) {
        empty_box(box);
        return pl_lua_push_failure(L, &err);
    }

    lua_createtable(L, 0, 4);
    lua_pushlstring(L, box->doc->text, box->doc->text_len);
    lua_setfield(L, -2, "text");
    pl_lua_set_integer(L, "replaced_bytes", box->doc->replaced_bytes);
    pl_lua_set_explanation(L, box->doc, box->explanation);
    empty_box(box);
    return 1;
}

/* Pushes the fields of one row of core.defines for text[start..end), scored as r. */
static void push_defined(lua_State *L, const char *text, size_t start, size_t end,
                         const pl_define_result *r)
{
    lua_pushlstring(L, text + start, end - start);
    lua_setfield(L, -2, "text");
    pl_lua_set_integer(L, "byte_start", start);
    pl_lua_set_integer(L, "byte_end", end);
    lua_pushboolean(L, r->is_definition);
    lua_setfield(L, -2, "definition");
    lua_pushinteger(L, r->score);
    lua_setfield(L, -2, "score");
    push_cues(L, r->cues);
    lua_setfield(L, -2, "cues");
    if (r->cues & PL_CUE_SOURCE) {
        lua_pushlstring(L, text + start + r->source_start, r->source_end - r->source_start);
        lua_setfield(L, -2, "source");
    }
}

/* core.defines(text [, {lines=, format=}]) ->
 *   { text = the text the offsets refer to, replaced_bytes = n,
 *     sentences = { {text=, byte_start=, byte_end=, index=, paragraph=, definition=,
 *                    score=, cues = {names}, source=}, ... } }
 *   | nil, message, code
 * Without lines, the input is cleaned and each sentence of the article is
 * scored (offsets in the cleaned text). With lines = true, every line of the
 * raw input is one sentence (a final newline ends the last line; no cleaning,
 * so no paragraph), as evaluation data comes. Either way the sentences are
 * read in order, each after the ones before it (pl_define_sentences: the
 * discourse cues). index and paragraph are 1-based. */
static int l_defines(lua_State *L)
{
    size_t len, i;
    const char *s = luaL_checklstring(L, 1, &len);
    pl_document_options doc_opts;
    pl_error err;
    define_box *box;
    pl_define_result *results;
    int lines = 0;

    lua_settop(L, 2);
    if (!lua_isnil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "lines");
        lines = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    pl_lua_read_document_options(L, 2, &doc_opts);

    if (lines) {
        size_t start = 0, count = 0, n;
        pl_define_span *spans;
        for (n = 0; n < len; n++)
            count += s[n] == '\n';
        if (len > 0 && s[len - 1] != '\n')
            count++;
        /* Userdata, so that Lua frees them whatever happens. */
        spans = lua_newuserdata(L, (count ? count : 1) * sizeof *spans);
        results = lua_newuserdata(L, (count ? count : 1) * sizeof *results);
        for (n = 0; n < count; n++) {
            const char *nl = memchr(s + start, '\n', len - start);
            size_t end = nl ? (size_t)(nl - s) : len, stop = end;
            if (stop > start && s[stop - 1] == '\r')
                stop--;
            spans[n].start = start;
            spans[n].end = stop;
            start = end + 1;
        }
        /* The lines in order are the context of each other (discourse cues). */
        if (pl_define_sentences(s, len, spans, count, results, &err) != PL_OK)
            return pl_lua_push_failure(L, &err);
        lua_createtable(L, 0, 3);
        lua_pushvalue(L, 1);
        lua_setfield(L, -2, "text");
        pl_lua_set_integer(L, "replaced_bytes", 0);
        lua_createtable(L, (int)count, 0);
        for (n = 0; n < count; n++) {
            lua_createtable(L, 0, 8);
            push_defined(L, s, spans[n].start, spans[n].end, &results[n]);
            pl_lua_set_integer(L, "index", n + 1);
            lua_rawseti(L, -2, (int)n + 1);
        }
        lua_setfield(L, -2, "sentences");
        return 1;
    }

    box = new_box(L);
    box->doc = pl_document_create(s, len, &doc_opts, &err);
    if (!box->doc)
        return pl_lua_push_failure(L, &err);
    results = lua_newuserdata(L, (box->doc->sentence_count ? box->doc->sentence_count : 1) *
                                     sizeof *results);
    if (pl_define_document(box->doc, results, &err) != PL_OK) {
        empty_box(box);
        return pl_lua_push_failure(L, &err);
    }
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, box->doc->text, box->doc->text_len);
    lua_setfield(L, -2, "text");
    pl_lua_set_integer(L, "replaced_bytes", box->doc->replaced_bytes);
    lua_createtable(L, (int)box->doc->sentence_count, 0);
    for (i = 0; i < box->doc->sentence_count; i++) {
        const pl_sentence *sent = &box->doc->sentences[i];
        lua_createtable(L, 0, 9);
        push_defined(L, box->doc->text, sent->start, sent->end, &results[i]);
        pl_lua_set_integer(L, "index", i + 1);
        pl_lua_set_integer(L, "paragraph", sent->paragraph + 1);
        pl_lua_set_string(L, "kind",
                          pl_block_kind_name(box->doc->paragraphs[sent->paragraph].kind));
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "sentences");
    empty_box(box);
    return 1;
}

static const luaL_Reg define_functions[] = {
    {"explain", l_explain},
    {"defines", l_defines},
    {NULL, NULL},
};

void pl_lua_open_define(lua_State *L)
{
    luaL_newmetatable(L, DEFINE_BOX);
    lua_pushcfunction(L, define_box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_setfuncs(L, define_functions, 0);
}
