/* The one place that bridges the Lua 5.1 API (LuaJIT, for Neovim) and the
 * Lua 5.4 API (the embedded interpreter of the policylink program). */
#ifndef PL_LUA_COMPAT_H
#define PL_LUA_COMPAT_H

#include <lauxlib.h>
#include <lua.h>

#if LUA_VERSION_NUM < 502
#define pl_lua_rawlen(L, i) lua_objlen((L), (i))
#else
#define pl_lua_rawlen(L, i) lua_rawlen((L), (i))
#endif

#endif
