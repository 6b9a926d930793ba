/* Lua binding of the text engine: core.clean, core.tokens, core.casefold,
 * core.normalize. */
#include <stddef.h>
#include <string.h>

#include "binding.h"
#include "document.h"
#include "token.h"
#include "utf8.h"

static const char *format_name(pl_format format)
{
    return format == PL_FORMAT_HTML ? "html" : "text";
}

/* Pushes the Lua table for doc. Offsets are 0-based bytes, end exclusive;
 * sentence.paragraph is a 1-based index into the paragraphs array. */
static void push_document(lua_State *L, const pl_document *doc)
{
    size_t i;
    lua_createtable(L, 0, 10);
    lua_pushlstring(L, doc->text, doc->text_len);
    lua_setfield(L, -2, "text");
    pl_lua_set_string(L, "title", doc->title);
    pl_lua_set_string(L, "author", doc->author);
    pl_lua_set_string(L, "date", doc->date);
    pl_lua_set_string(L, "source", doc->source);
    pl_lua_set_string(L, "format", format_name(doc->format));
    pl_lua_set_integer(L, "replaced_bytes", doc->replaced_bytes);
    pl_lua_set_integer(L, "removed_blocks", doc->removed_blocks);

    lua_createtable(L, (int)doc->paragraph_count, 0);
    for (i = 0; i < doc->paragraph_count; i++) {
        const pl_paragraph *p = &doc->paragraphs[i];
        lua_createtable(L, 0, 3);
        pl_lua_set_integer(L, "byte_start", p->start);
        pl_lua_set_integer(L, "byte_end", p->end);
        pl_lua_set_string(L, "kind", pl_block_kind_name(p->kind));
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "paragraphs");

    lua_createtable(L, (int)doc->sentence_count, 0);
    for (i = 0; i < doc->sentence_count; i++) {
        const pl_sentence *s = &doc->sentences[i];
        lua_createtable(L, 0, 4);
        pl_lua_set_integer(L, "byte_start", s->start);
        pl_lua_set_integer(L, "byte_end", s->end);
        pl_lua_set_integer(L, "paragraph", s->paragraph + 1);
        pl_lua_set_string(L, "kind", pl_block_kind_name(doc->paragraphs[s->paragraph].kind));
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "sentences");
}

#define DOCUMENT_BOX "policylink.document_box"

static int document_box_gc(lua_State *L)
{
    pl_document **box = luaL_checkudata(L, 1, DOCUMENT_BOX);
    pl_document_free(*box);
    *box = NULL;
    return 0;
}

/* core.clean(bytes [, {format=, keep_boilerplate=}]) -> document | nil, msg, code */
static int l_clean(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    pl_document_options opts;
    pl_error err;
    pl_document *doc, **box;
    pl_lua_read_document_options(L, 2, &opts);
    box = lua_newuserdata(L, sizeof *box);
    *box = NULL;
    luaL_getmetatable(L, DOCUMENT_BOX);
    lua_setmetatable(L, -2);
    doc = pl_document_create(s, len, &opts, &err);
    if (!doc)
        return pl_lua_push_failure(L, &err);
    /* A Lua allocation error while building the table longjmps; the box's
     * __gc then frees the document. */
    *box = doc;
    push_document(L, doc);
    *box = NULL;
    pl_document_free(doc);
    return 1;
}

static const char *token_kind_name(pl_token_kind kind)
{
    switch (kind) {
    case PL_TOKEN_WORD:
        return "word";
    case PL_TOKEN_NUMBER:
        return "number";
    case PL_TOKEN_CJK:
        return "cjk";
    }
    return "word";
}

/* core.tokens(text) -> { {byte_start=, byte_end=, kind=, stopword=}, ... }
 * The text must be valid UTF-8 (as core.clean returns it). */
static int l_tokens(lua_State *L)
{
    size_t len, pos = 0;
    int i = 0;
    const char *s = luaL_checklstring(L, 1, &len);
    pl_token tok;
    lua_newtable(L);
    while (pl_token_next(s, len, &pos, &tok)) {
        lua_createtable(L, 0, 4);
        pl_lua_set_integer(L, "byte_start", tok.start);
        pl_lua_set_integer(L, "byte_end", tok.end);
        pl_lua_set_string(L, "kind", token_kind_name(tok.kind));
        lua_pushboolean(L, pl_is_stopword(s + tok.start, tok.end - tok.start));
        lua_setfield(L, -2, "stopword");
        lua_rawseti(L, -2, ++i);
    }
    return 1;
}

typedef pl_status (*pl_transform)(const char *, size_t, pl_buf *, pl_error *);

/* Pushes the pl_buf at light userdata 1; run under lua_pcall by transform. */
static int push_buf(lua_State *L)
{
    const pl_buf *b = lua_touserdata(L, 1);
    lua_pushlstring(L, b->data ? b->data : "", b->len);
    return 1;
}

/* Shared body of casefold and normalize: repairs invalid UTF-8 first, so any
 * Lua string is accepted. */
static int transform(lua_State *L, pl_transform fn)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    pl_buf repaired = PL_BUF_INIT, out = PL_BUF_INIT;
    pl_error err;
    int status;
    /* Pushed first: with the Lua 5.1 API this allocates, which must not
     * happen while C memory is held. */
    lua_pushcfunction(L, push_buf);
    pl_error_clear(&err);
    if (pl_utf8_sanitize(s, len, &repaired, NULL, &err) != PL_OK ||
        fn(repaired.data ? repaired.data : "", repaired.len, &out, &err) != PL_OK) {
        pl_buf_free(&repaired);
        pl_buf_free(&out);
        return pl_lua_push_failure(L, &err);
    }
    pl_buf_free(&repaired);
    /* Copying into Lua may fail (out of memory longjmps): protected, so
     * that out is freed either way. */
    lua_pushlightuserdata(L, &out);
    status = lua_pcall(L, 1, 1, 0);
    pl_buf_free(&out);
    return status == LUA_OK ? 1 : lua_error(L);
}

/* core.casefold(text) -> folded NFC text */
static int l_casefold(lua_State *L)
{
    return transform(L, pl_utf8_casefold);
}

/* core.normalize(text) -> NFC text */
static int l_normalize(lua_State *L)
{
    return transform(L, pl_utf8_nfc);
}

static const luaL_Reg core_functions[] = {
    {"clean", l_clean},         {"tokens", l_tokens}, {"casefold", l_casefold},
    {"normalize", l_normalize}, {NULL, NULL},
};

void pl_lua_open_text(lua_State *L)
{
    luaL_newmetatable(L, DOCUMENT_BOX);
    lua_pushcfunction(L, document_box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_setfuncs(L, core_functions, 0);
}
