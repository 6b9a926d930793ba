-- A small test harness shared by the Lua 5.4 CLI tests and the LuaJIT tests
-- run inside headless Neovim. Prints "N passed, N failed" at the end.
local M = {}

local tests = {}

---Registers a test.
---@param name string
---@param fn function
function M.test(name, fn)
  tests[#tests + 1] = { name = name, fn = fn }
end

local function show(v)
  if type(v) == "string" then
    return string.format("%q", v)
  end
  return tostring(v)
end

function M.eq(actual, expected, what)
  if actual ~= expected then
    error(string.format("%sexpected %s, got %s", what and (what .. ": ") or "", show(expected), show(actual)), 2)
  end
end

function M.truthy(v, what)
  if not v then
    error((what or "expected a true value") .. ", got " .. show(v), 2)
  end
end

function M.contains(haystack, needle, what)
  if type(haystack) ~= "string" or not haystack:find(needle, 1, true) then
    error(string.format("%sexpected %s to contain %s", what and (what .. ": ") or "", show(haystack), show(needle)), 2)
  end
end

function M.lacks(haystack, needle, what)
  if haystack:find(needle, 1, true) then
    error(string.format("%sexpected no %s in %s", what and (what .. ": ") or "", show(needle), show(haystack)), 2)
  end
end

---The whole content of a file (the test fails when it cannot be read).
---@param path string
---@return string
function M.read_file(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

---Writes data to a file, replacing it; returns the path.
---@param path string
---@param data string
---@return string
function M.write_file(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
  return path
end

---Runs every registered test; returns the number of failures.
---@param write fun(s: string)
---@return integer
function M.run(write)
  local passed, failed = 0, 0
  for _, t in ipairs(tests) do
    local ok, err = xpcall(t.fn, debug.traceback)
    if ok then
      passed = passed + 1
      write("ok   " .. t.name .. "\n")
    else
      failed = failed + 1
      write("FAIL " .. t.name .. "\n  " .. tostring(err):gsub("\n", "\n  ") .. "\n")
    end
  end
  write(string.format("%d passed, %d failed\n", passed, failed))
  return failed
end

return M
