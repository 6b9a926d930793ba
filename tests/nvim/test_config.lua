-- Settings: setup() is optional, vim.g.policylink works alone, bad options
-- get one clear message; a missing or stale core.so says what to run.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api

vim.g.policylink = { sources = { h.ARTICLE }, filetypes = { "markdown" } }
h.load_plugin()

t.test("without setup(), vim.g.policylink configures the plugin", function()
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  t.eq(#h.marks(0), 7)
  local config = require("policylink.config").get()
  t.eq(table.concat(config.filetypes, ","), "markdown")
  t.eq(config.link_format, "markdown", "defaults fill the rest")
  local path = vim.fn.tempname() .. ".txt"
  vim.fn.writefile({ "new quality productive forces" }, path)
  vim.cmd("edit " .. path)
  t.eq(vim.bo.filetype, "text")
  t.eq(#h.marks(0), 0, "text is not in this filetypes list")
  os.remove(path)
end)

local function setup_error(opts)
  h.notes = {}
  require("policylink").setup(opts)
  t.eq(#h.notes, 1)
  t.eq(h.notes[1].level, vim.log.levels.ERROR)
  return h.notes[1].msg
end

t.test("bad options are reported clearly and the old ones kept", function()
  t.eq(setup_error({ filetypes = "markdown" }),
    "policylink: option 'filetypes' must be a list of filetype names, not \"markdown\"")
  t.eq(setup_error({ sources = { 1 } }), "policylink: option 'sources' must be a list of paths or URLs, not { 1 }")
  t.eq(setup_error({ link_format = "pdf" }),
    "policylink: option 'link_format' must be \"markdown\", \"wiki\" or \"html\", not \"pdf\"")
  t.eq(setup_error({ explain_sentences = 5 }), "policylink: option 'explain_sentences' must be 1, 2 or 3, not 5")
  t.eq(setup_error({ terms = { top = 0 } }),
    "policylink: option 'terms' must be a table { top = n, min_count = n } of whole numbers >= 1, not { top = 0 }")
  t.eq(setup_error({ enabled = "yes" }), "policylink: option 'enabled' must be true or false, not \"yes\"")
  t.eq(setup_error("markdown"), 'policylink: options must be a table, not "markdown"')
  t.contains(setup_error({ fletypes = {} }), "policylink: unknown option 'fletypes' (known: enabled, ")
  -- What was in force stays.
  t.eq(table.concat(require("policylink.config").get().filetypes, ","), "markdown")
end)

t.test("a bad vim.g.policylink is reported once; the defaults apply", function()
  local config = require("policylink.config")
  package.loaded["policylink.config"] = nil
  vim.g.policylink = { min_length = -1 }
  h.notes = {}
  local fresh = require("policylink.config")
  t.eq(fresh.get().min_length, nil)
  fresh.get()
  t.eq(#h.notes, 1)
  t.eq(h.notes[1].msg, "policylink: option 'min_length' must be a whole number >= 1 or nil, not -1")
  package.loaded["policylink.config"] = config
end)

t.test("setup() changes take effect in open buffers", function()
  vim.cmd("silent! %bwipeout!")
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  local buf = api.nvim_get_current_buf()
  t.eq(#h.marks(buf), 7)
  require("policylink").setup({ sources = { h.ARTICLE }, min_length = 20 })
  h.wait_for(function()
    return #h.marks(buf) == 4
  end, 2000, "only terms of 20 characters or more")
  require("policylink").setup({ sources = { h.ARTICLE }, filetypes = { "text" } })
  t.eq(#h.marks(buf), 0, "markdown is no longer linked")
  require("policylink").setup({ sources = { h.ARTICLE }, enabled = false, filetypes = { "markdown" } })
  t.eq(#h.marks(buf), 0)
  require("policylink").setup({ sources = { h.ARTICLE } })
  t.eq(#h.marks(buf), 7)
end)

t.test("a highlight the user defines is kept", function()
  vim.cmd("highlight PolicyLinkTerm gui=undercurl")
  vim.cmd("doautocmd ColorScheme")
  local hl = vim.fn.execute("highlight PolicyLinkTerm")
  t.lacks(hl, "links to")
  t.contains(hl, "gui=undercurl")
end)

h.run()
