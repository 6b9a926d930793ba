/* Shared by the files of the Lua binding: each feature's file adds its
 * functions to the module table that luaopen_policylink_core builds. */
#ifndef PL_LUA_BINDING_H
#define PL_LUA_BINDING_H

#include "compat.h"
#include <stddef.h>

#include "define.h"
#include "document.h"
#include "error.h"

/* Pushes nil, message, code and returns 3: the soft-failure convention. */
int pl_lua_push_failure(lua_State *L, const pl_error *err);

/* Sets t[key] = value on the table at the top of the stack (value may be
 * NULL: then nothing is set). */
void pl_lua_set_string(lua_State *L, const char *key, const char *value);
void pl_lua_set_integer(lua_State *L, const char *key, size_t value);
void pl_lua_set_number(lua_State *L, const char *key, double value);

/* Reads the document options (format = "auto" | "text" | "html",
 * keep_boilerplate) from the table at idx, which may be absent or nil;
 * anything else is a Lua error with a clear message. */
/* Sets mentions and sentences (each {text, byte_start, byte_end, index,
 * paragraph, term_start, term_end, definition, score, focus_score}; index and
 * paragraph 1-based) of explanation e of a term in doc on the table on top. */
void pl_lua_set_explanation(lua_State *L, const pl_document *doc, const pl_explanation *e);

void pl_lua_read_document_options(lua_State *L, int idx, pl_document_options *opts);

/* Each adds its functions to the module table at the top of the stack. */
void pl_lua_open_text(lua_State *L);
void pl_lua_open_summarize(lua_State *L);
void pl_lua_open_match(lua_State *L);
void pl_lua_open_define(lua_State *L);
void pl_lua_open_terms(lua_State *L);
void pl_lua_open_fetch(lua_State *L);
void pl_lua_open_glossary(lua_State *L);
void pl_lua_open_file(lua_State *L);

#endif
