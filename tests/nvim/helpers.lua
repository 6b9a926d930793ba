-- What the plugin tests share: the plugin loaded as a user has it, tests
-- run in a coroutine so that they can hand control back to Neovim's main
-- loop (typed keys, timers, processes) and resume, and an exit status.
package.path = _G.PL_ROOT .. "/tests/lua/?.lua;" .. package.path
local t = require("harness")

local M = { t = t }

M.ROOT = _G.PL_ROOT
M.ARTICLE = M.ROOT .. "/examples/new-quality-productive-forces.txt"
M.NOTE = M.ROOT .. "/tests/fixtures/notes/plenum.md"

---Messages sent through vim.notify, newest last.
M.notes = {}
vim.notify = function(msg, level)
  M.notes[#M.notes + 1] = { msg = msg, level = level }
end

---Loads the plugin file as Neovim does at startup, with filetype detection.
function M.load_plugin()
  vim.o.showmode = false
  vim.cmd("filetype on")
  vim.cmd("runtime plugin/policylink.lua")
end

---Lets the main loop run for ms milliseconds (typed keys are processed,
---timers fire), then resumes the test.
---@param ms integer
function M.sleep(ms)
  local co = coroutine.running()
  vim.defer_fn(function()
    assert(coroutine.resume(co))
  end, ms)
  coroutine.yield()
end

---Lets the main loop run until predicate() is true; fails after timeout_ms.
---@param predicate fun(): boolean
---@param timeout_ms? integer
---@param what? string
function M.wait_for(predicate, timeout_ms, what)
  local deadline = (vim.uv or vim.loop).now() + (timeout_ms or 5000)
  while not predicate() do
    if (vim.uv or vim.loop).now() > deadline then
      error("timed out waiting for " .. (what or "a condition"), 2)
    end
    M.sleep(5)
  end
end

---Types keys as a user does (through the input queue, so Insert mode stays
---on between calls) and waits until Neovim has read them.
---@param keys string with <Esc>-style notation
function M.type(keys)
  vim.api.nvim_input(keys)
  M.wait_for(function()
    return vim.fn.getchar(1) == 0 and not vim.api.nvim_get_mode().blocking
  end, 2000, "typed keys")
  M.sleep(1)
end

---The extmarks of the linker in a buffer as "row:col-end_row:end_col" strings.
---@param buf integer
---@return string[]
function M.marks(buf)
  local ns = vim.api.nvim_create_namespace("policylink")
  local out = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
    out[#out + 1] = string.format("%d:%d-%d:%d", m[2], m[3], m[4].end_row, m[4].end_col)
  end
  return out
end

---Runs Lua code in a fresh headless Neovim (the same plugin and XDG
---folders, so the same source library) and returns the string the code
---returns. The code can use `h`, these helpers.
---@param body string Lua code ending with `return <string>`
---@return string
function M.child(body)
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  local script, result = dir .. "/child.lua", dir .. "/result"
  vim.fn.writefile(vim.split(table.concat({
    "package.path = _G.PL_ROOT .. '/tests/nvim/?.lua;' .. package.path",
    "local h = require('helpers')",
    "local RESULT = (function()", body, "end)()",
    "local f = assert(io.open([[" .. result .. "]], 'w'))",
    "f:write(RESULT)",
    "f:close()",
  }, "\n"), "\n", { plain = true }), script)
  local output = vim.fn.system({ vim.v.progpath, "--headless", "-u", "NONE", "-i", "NONE", "-n",
    "--cmd", "set rtp^=" .. M.ROOT, "-c", "lua _G.PL_ROOT = [[" .. M.ROOT .. "]]",
    "-c", "luafile " .. script, "-c", "qa!" })
  local f = io.open(result)
  if not f then
    error("the child Neovim gave no result: " .. output, 2)
  end
  local data = f:read("*a")
  f:close()
  vim.fn.delete(dir, "rf")
  return data
end

---Runs the registered tests in a coroutine and quits Neovim with status 0
---when all pass, 1 otherwise (and after a minute whatever happens).
function M.run()
  local timer = vim.defer_fn(function()
    io.stdout:write("FAIL the tests did not finish within 60 seconds\n")
    io.stdout:flush()
    vim.cmd("cq!")
  end, 60000)
  coroutine.wrap(function()
    local failed = t.run(function(s)
      io.stdout:write(s)
    end)
    io.stdout:flush()
    timer:stop()
    vim.cmd(failed == 0 and "qa!" or "cq!")
  end)()
end

return M
