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

t.test("the plugin file defines :PolicyLink once and loads nothing heavy", function()
  t.eq(vim.g.loaded_policylink, true)
  t.eq(package.loaded["policylink"], nil)
  t.eq(package.loaded["policylink.core"], nil)
  t.eq(vim.fn.maparg("<Plug>(policylink-explain)", "n") ~= "", true)
  t.eq(vim.fn.maparg("<Plug>(policylink-goto)", "n") ~= "", true)
  t.eq(vim.fn.exists(":PolicyLink"), 2)
  vim.cmd("runtime plugin/policylink.lua")
  t.eq(vim.fn.exists(":PolicyLink"), 2)
end)

t.test("completion offers the subcommands", function()
  t.eq(table.concat(vim.fn.getcompletion("PolicyLink ", "cmdline"), ","),
    "add,explain,export,goto,link,refresh,remove,sentences,sources,summarize,terms,text,toggle,unlink")
  t.eq(table.concat(vim.fn.getcompletion("PolicyLink se", "cmdline"), ","), "sentences")
  t.eq(table.concat(vim.fn.getcompletion("PolicyLink su", "cmdline"), ","), "summarize")
  t.eq(table.concat(vim.fn.getcompletion("'<,'>PolicyLink un", "cmdline"), ","), "unlink")
  t.eq(table.concat(vim.fn.getcompletion("PolicyLink unlink ", "cmdline"), ","), "")
  t.eq(table.concat(vim.fn.getcompletion("PolicyLink toggle ", "cmdline"), ","), "buffer,global")
  t.eq(table.concat(vim.fn.getcompletion("PolicyLink link w", "cmdline"), ","), "wiki")
  t.eq(table.concat(vim.fn.getcompletion("'<,'>PolicyLink li", "cmdline"), ","), "link")
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
  t.eq(notes[1].msg, "policylink: unknown subcommand 'frob'; try one of: "
    .. "add, explain, export, goto, link, refresh, remove, sentences, sources, summarize, terms, text, toggle, unlink")
end)

t.test("checkhealth reports the core", function()
  vim.cmd("checkhealth policylink")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  t.contains(text, "compiled core 0.1.0 loaded")
end)

-- How this Neovim's :checkhealth shows an error ("  - ERROR: message" up to
-- 0.8, health#report_error; "- ERROR message" from 0.9, vim.health in Lua;
-- "- ❌ ERROR message" from 0.12), found out from a health check of the
-- test's own rather than from the version.
local function error_prefix()
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir .. "/lua/policylink_probe", "p")
  vim.fn.writefile({
    "return { check = function()",
    "  local health = vim.health or require('health')",
    "  ;(health.start or health.report_start)('probe')",
    "  ;(health.error or health.report_error)('the probe message')",
    "end }",
  }, dir .. "/lua/policylink_probe/health.lua")
  vim.opt.runtimepath:append(dir)
  vim.cmd("checkhealth policylink_probe")
  local prefix
  for _, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    prefix = prefix or line:match("^(.-)the probe message$")
  end
  vim.cmd("bwipeout!")
  vim.opt.runtimepath:remove(dir)
  vim.fn.delete(dir, "rf")
  t.truthy(prefix, "the probe's error line")
  return prefix
end

t.test("checkhealth lists the sources and what failed", function()
  local prefix = error_prefix()
  t.truthy(prefix:find("^ *%- [^%w ]* ?ERROR:? $"), "an error line starts with \"- ERROR\", not \"" .. prefix .. "\"")
  require("policylink").setup({ sources = { ARTICLE, "/nonexistent/article.txt" } })
  vim.cmd("checkhealth policylink")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  t.contains(text, "compiled core 0.1.0 loaded (matches the Lua files)")
  t.contains(text, "filetypes: markdown, text")
  t.contains(text, "\n" .. prefix
    .. "source /nonexistent/article.txt: cannot read '/nonexistent/article.txt': No such file or directory\n")
  t.contains(text, "sources: 1 loaded, 0 loading, 1 failed")
  vim.cmd("bwipeout!")
  require("policylink").setup({})
end)

t.test("the help has a tag for every command, option, mapping and highlight", function()
  local f = assert(io.open(_G.PL_ROOT .. "/doc/policylink.txt"))
  local doc = f:read("*a")
  f:close()
  local tags = {}
  for tag in doc:gmatch("%*([^%s*]+)%*") do
    t.eq(tags[tag], nil, "tag given twice: " .. tag)
    tags[tag] = true
  end
  for _, name in ipairs(require("policylink").complete_subcommands("")) do
    t.truthy(tags[":PolicyLink-" .. name], "no tag for :PolicyLink " .. name)
  end
  for name in pairs(require("policylink.config").defaults) do
    t.truthy(tags["policylink-opt-" .. name], "no tag for option " .. name)
  end
  for _, tag in ipairs({ ":PolicyLink", "<Plug>(policylink-explain)", "<Plug>(policylink-goto)", "PolicyLinkTerm",
    "PolicyLinkSentence", "PolicyLinkTitle", "policylink.setup()", "policylink.buffer_links()",
    "policylink.explain()" }) do
    t.truthy(tags[tag], "no tag " .. tag)
  end
  local copy = vim.fn.tempname()
  vim.fn.mkdir(copy, "p")
  vim.fn.writefile(vim.fn.readfile(_G.PL_ROOT .. "/doc/policylink.txt"), copy .. "/policylink.txt")
  vim.cmd("helptags " .. vim.fn.fnameescape(copy))
  t.eq(#vim.fn.readfile(copy .. "/tags") > 40, true)
end)

local failed = t.run(function(s) io.stdout:write(s) end)
io.stdout:flush()
vim.cmd(failed == 0 and "qa!" or "cq!")
