/* The policylink program: a Lua 5.4 interpreter with the core binding built
 * in, which hands its arguments to lua/policylink/cli.lua. */
#define _POSIX_C_SOURCE 200809L

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int luaopen_policylink_core(lua_State *L);

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static int file_exists(const char *dir, const char *rest)
{
    char path[PATH_MAX];
    FILE *f;
    if (snprintf(path, sizeof path, "%s%s", dir, rest) >= (int)sizeof path)
        return 0;
    f = fopen(path, "r");
    if (!f)
        return 0;
    fclose(f);
    return 1;
}

/* Finds the folder that holds policylink/cli.lua: $POLICYLINK_LUA_DIR, then
 * share/policylink/lua beside the installed program, then the source tree
 * the program was built from, then the configured install folder. */
static int find_lua_dir(char *out, size_t size)
{
    const char *env = getenv("POLICYLINK_LUA_DIR");
    char exe[PATH_MAX], candidate[PATH_MAX];
    ssize_t len;
    if (env && *env && file_exists(env, "/policylink/cli.lua"))
        return snprintf(out, size, "%s", env) < (int)size;
    len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        char *slash;
        exe[len] = '\0';
        slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            if (snprintf(candidate, sizeof candidate, "%s/../share/policylink/lua", exe) <
                    (int)sizeof candidate &&
                file_exists(candidate, "/policylink/cli.lua"))
                return snprintf(out, size, "%s", candidate) < (int)size;
        }
    }
    if (file_exists(PL_SOURCE_LUA_DIR, "/policylink/cli.lua"))
        return snprintf(out, size, "%s", PL_SOURCE_LUA_DIR) < (int)size;
    if (file_exists(PL_INSTALL_LUA_DIR, "/policylink/cli.lua"))
        return snprintf(out, size, "%s", PL_INSTALL_LUA_DIR) < (int)size;
    return 0;
}

static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    luaL_traceback(L, L, msg ? msg : "(error object is not a string)", 1);
    return 1;
}

/* Runs require("policylink.cli").main(args) and returns its exit status. */
static int run(lua_State *L)
{
    int argc = (int)lua_tointeger(L, 1);
    char **argv = (char **)lua_touserdata(L, 2);
    char lua_dir[PATH_MAX];
    int i;

    luaL_openlibs(L);
    luaL_requiref(L, "policylink.core", luaopen_policylink_core, 0);
    lua_pop(L, 1);
    if (!find_lua_dir(lua_dir, sizeof lua_dir))
        return luaL_error(L,
                          "cannot find the Lua files (policylink/cli.lua); set POLICYLINK_LUA_DIR");
    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", lua_dir, lua_dir);
    lua_setfield(L, -2, "path");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);

    lua_getglobal(L, "require");
    lua_pushliteral(L, "policylink.cli");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, "main");
    lua_createtable(L, argc, 1);
    lua_pushstring(L, argv[0]);
    lua_rawseti(L, -2, 0);
    for (i = 1; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i);
    }
    lua_call(L, 1, 1);
    return 1;
}

int main(int argc, char **argv)
{
    lua_State *L = luaL_newstate();
    int status = 1;
    if (!L) {
        fputs("policylink: cannot create the Lua state (out of memory)\n", stderr);
        return 1;
    }
    lua_pushcfunction(L, traceback);
    lua_pushcfunction(L, run);
    lua_pushinteger(L, argc);
    lua_pushlightuserdata(L, argv);
    if (lua_pcall(L, 2, 1, 1) != LUA_OK) {
        fprintf(stderr, "policylink: internal error: %s\n", lua_tostring(L, -1));
    } else if (lua_isinteger(L, -1)) {
        status = (int)lua_tointeger(L, -1);
    } else {
        status = lua_toboolean(L, -1) ? 0 : 1;
    }
    fflush(stdout);
    lua_close(L);
    return status;
}
