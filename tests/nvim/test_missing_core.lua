-- Without the compiled core (a plugin installed without running `make`),
-- every entry point says what to run, once, without a Lua trace.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api

-- A copy of the plugin without core.so, alone on the runtimepath.
local copy = vim.fn.tempname()
vim.fn.mkdir(copy .. "/lua/policylink", "p")
vim.fn.mkdir(copy .. "/plugin", "p")
for _, file in ipairs(vim.fn.glob(_G.PL_ROOT .. "/lua/policylink/*.lua", false, true)) do
  vim.fn.writefile(vim.fn.readfile(file, "b"), copy .. "/lua/policylink/" .. vim.fn.fnamemodify(file, ":t"), "b")
end
vim.fn.writefile(vim.fn.readfile(_G.PL_ROOT .. "/plugin/policylink.lua", "b"), copy .. "/plugin/policylink.lua", "b")
vim.opt.runtimepath:remove(_G.PL_ROOT)
vim.opt.runtimepath:prepend(copy)
for name in pairs(package.loaded) do
  if name:match("^policylink") then
    package.loaded[name] = nil
  end
end

vim.g.policylink = { sources = { h.ARTICLE } }
h.load_plugin()

local MESSAGE = "policylink: the compiled core (lua/policylink/core.so) is missing; run `make` in " .. copy

t.test("core() names the file and the command to run", function()
  local core, message = require("policylink").core()
  t.eq(core, nil)
  t.eq(message, MESSAGE)
end)

t.test("opening a note says it once, with no Lua error", function()
  h.notes = {}
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  t.eq(vim.bo.filetype, "markdown")
  vim.cmd("edit " .. vim.fn.fnameescape(h.ROOT .. "/README.md"))
  t.eq(#h.notes, 1)
  t.eq(h.notes[1].msg, MESSAGE)
  t.eq(h.notes[1].level, vim.log.levels.ERROR)
  t.eq(#require("policylink").buffer_links(0), 0)
end)

t.test("commands and mappings give the message", function()
  for _, cmd in ipairs({ "PolicyLink sources", "PolicyLink terms", "PolicyLink link", "PolicyLink explain",
    "PolicyLink add " .. h.ARTICLE, "PolicyLink export /tmp/never.md" }) do
    h.notes = {}
    vim.cmd(cmd)
    t.eq(#h.notes, 1, cmd)
    t.eq(h.notes[1].msg, MESSAGE, cmd)
  end
  h.notes = {}
  vim.cmd("execute \"normal \\<Plug>(policylink-explain)\"")
  t.eq(h.notes[1].msg, MESSAGE)
  local record, message = require("policylink").explain("local conditions")
  t.eq(record, nil)
  t.eq(message, MESSAGE)
end)

t.test("checkhealth reports it", function()
  vim.cmd("checkhealth policylink")
  t.contains(table.concat(api.nvim_buf_get_lines(0, 0, -1, false), "\n"), MESSAGE)
  vim.cmd("bwipeout!")
end)

t.test("a core of another version says to rebuild", function()
  package.loaded["policylink"] = nil
  package.loaded["policylink.core"] = { version = "0.0.9" }
  local core, message = require("policylink").core()
  t.eq(core, nil)
  t.eq(message, "policylink: the compiled core is version 0.0.9 but the Lua files are 0.1.0; run `make` in " .. copy)
end)

h.run()
