-- The plugin as a Neovim user meets it: the guarded plugin file, :PolicyLink
-- and its completion, errors through vim.notify.
package.path = _G.PL_ROOT .. "/tests/lua/?.lua;" .. package.path
local t = require("harness")
local ARTICLE = _G.PL_ROOT .. "/examples/new-quality-productive-forces.txt"

vim.cmd("runtime plugin/policylink.lua")

local notes = {}
vim.notify = function(msg, level)
  notes[#notes + 1] = { msg = msg, level = level }
end

t.test("the plugin file defines :PolicyLink once", function()
  t.eq(vim.g.loaded_policylink, true)
  t.eq(vim.fn.exists(":PolicyLink"), 2)
  vim.cmd("runtime plugin/policylink.lua")
  t.eq(vim.fn.exists(":PolicyLink"), 2)
end)

t.test("completion offers the subcommands", function()
  t.eq(table.concat(vim.fn.getcompletion("PolicyLink ", "cmdline"), ","), "sentences,text")
  t.eq(table.concat(vim.fn.getcompletion("PolicyLink se", "cmdline"), ","), "sentences")
end)

t.test(":PolicyLink text shows the cleaned article in a read-only scratch buffer", function()
  vim.cmd("PolicyLink text " .. vim.fn.fnameescape(ARTICLE))
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  t.eq(lines[1], "Title: Bolster the systems and mechanisms for developing new quality productive forces in accordance with local conditions")
  t.eq(lines[5], "")
  t.eq(lines[6]:sub(1, 33), "The Third Plenary Session of the ")
  t.eq(vim.bo.modifiable, false)
  t.eq(vim.bo.buftype, "nofile")
  vim.cmd("close")
end)

t.test(":PolicyLink sentences on the current buffer", function()
  vim.cmd("edit " .. vim.fn.fnameescape(ARTICLE))
  vim.cmd("PolicyLink sentences")
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  t.eq(lines[2], "Among these, improving the systems and mechanisms for developing new quality productive forces tailored to local conditions is particularly important.")
  vim.cmd("close")
end)

t.test("errors are one clear notification", function()
  notes = {}
  vim.cmd("PolicyLink text /nonexistent/article.txt")
  t.eq(#notes, 1)
  t.eq(notes[1].msg, "policylink: cannot read '/nonexistent/article.txt': No such file or directory")
  t.eq(notes[1].level, vim.log.levels.ERROR)
  notes = {}
  vim.cmd("PolicyLink frob")
  t.eq(notes[1].msg, "policylink: unknown subcommand 'frob'; try one of: sentences, text")
end)

t.test("checkhealth reports the core", function()
  vim.cmd("checkhealth policylink")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  t.contains(text, "compiled core 0.1.0 loaded")
end)

local failed = t.run(function(s) io.stdout:write(s) end)
io.stdout:flush()
vim.cmd(failed == 0 and "qa!" or "cq!")
