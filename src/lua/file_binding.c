/* Lua binding of atomic file writes: core.write_file. */
#include "binding.h"
#include "file.h"

/* core.write_file(path, data) -> true | nil, message, code
 * Replaces the file at path with data: a reader or a crash sees the old
 * content or the new, never a part; the file keeps its permission bits. */
static int l_write_file(lua_State *L)
{
    size_t len;
    const char *path = luaL_checkstring(L, 1);
    const char *data = luaL_checklstring(L, 2, &len);
    pl_error err;
    if (pl_file_write_atomic(path, data, len, &err) != PL_OK)
        return pl_lua_push_failure(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

static const luaL_Reg file_functions[] = {
    {"write_file", l_write_file},
    {NULL, NULL},
};

void pl_lua_open_file(lua_State *L)
{
    luaL_setfuncs(L, file_functions, 0);
}
