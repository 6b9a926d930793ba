/* placeholder, replaced shortly */
#include <lua.h>
#include <lauxlib.h>
int luaopen_policylink_core(lua_State *L);
int luaopen_policylink_core(lua_State *L)
{
    lua_newtable(L);
    return 1;
}
