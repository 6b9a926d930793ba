-- :PolicyLink summarize: the summary of the current buffer or of a source
-- in a scratch buffer, the same sentences as `policylink summarize`; <CR>
-- on a line opens the cleaned text at that sentence.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api

local program = os.getenv("PL_PROGRAM")
assert(program and vim.fn.executable(program) == 1, "no policylink program (set PL_PROGRAM)")

h.load_plugin()
require("policylink").setup({ sources = { h.ARTICLE } })

-- `policylink ARGS` standard output, split into lines.
local function cli_lines(args)
  local out = vim.fn.system(vim.list_extend({ program }, args))
  t.eq(vim.v.shell_error, 0)
  return vim.split(vim.trim(out), "\n", { plain = true })
end

local function buffer_lines()
  return api.nvim_buf_get_lines(0, 0, -1, false)
end

local SECOND = "To develop new quality productive forces in accordance with local conditions, we must first "
  .. "consider the region’s actual situation and effectively manage the transition of traditional, emerging, "
  .. "and future-oriented industries to achieve industrial transformation and upgrading."

-- After <CR>: the buffer, cursor and highlighted sentence of the window.
local function landed()
  local buf = api.nvim_get_current_buf()
  local row, col = unpack(api.nvim_win_get_cursor(0))
  local ns = api.nvim_create_namespace("policylink-sentence")
  local marks = api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })
  t.eq(#marks, 1)
  local m = marks[1]
  t.eq(m[2], row - 1, "the highlight starts at the cursor")
  t.eq(m[3], col)
  local lines = api.nvim_buf_get_text(buf, m[2], m[3], m[4].end_row, m[4].end_col, {})
  return api.nvim_buf_get_name(buf), table.concat(lines, "\n")
end

t.test("summarize the current buffer: the sentences of policylink summarize, <CR> goes to one", function()
  vim.cmd("edit " .. vim.fn.fnameescape(h.ARTICLE))
  local article_win = api.nvim_get_current_win()
  vim.cmd("PolicyLink summarize")
  local summary = api.nvim_get_current_buf()
  t.eq(api.nvim_buf_get_name(summary), "policylink://summary/" .. h.ARTICLE)
  t.eq(vim.bo.modifiable, false)
  t.eq(vim.bo.buftype, "nofile")
  local lines = buffer_lines()
  t.eq(#lines, 5)
  t.eq(lines[2], SECOND)
  t.eq(table.concat(lines, "\n"), table.concat(cli_lines({ "summarize", h.ARTICLE }), "\n"))
  api.nvim_win_set_cursor(0, { 2, 10 })
  h.type("<CR>")
  t.eq(api.nvim_get_current_win(), article_win, "the window the summary was made from")
  local name, sentence = landed()
  t.eq(name, "policylink://clean/" .. h.ARTICLE)
  t.eq(sentence, SECOND)
  t.eq(api.nvim_buf_is_valid(summary), true, "the summary stays")
  vim.cmd("silent! %bwipeout!")
end)

t.test("summarize a source by its path: <CR> opens the source as goto does", function()
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  vim.cmd("PolicyLink summarize " .. vim.fn.fnameescape(h.ARTICLE))
  t.eq(api.nvim_buf_get_name(0), "policylink://summary/" .. h.ARTICLE)
  t.eq(table.concat(buffer_lines(), "\n"), table.concat(cli_lines({ "summarize", h.ARTICLE }), "\n"))
  vim.cmd("normal! 5G")
  h.type("<CR>")
  local name, sentence = landed()
  t.eq(name, "policylink://source/" .. h.ARTICLE)
  t.eq(sentence, cli_lines({ "summarize", h.ARTICLE })[5])
  vim.cmd("silent! %bwipeout!")
end)

t.test("summarize a library source by its id; summary_sentences sets the length", function()
  local copy = vim.fn.tempname() .. ".txt"
  vim.fn.writefile(vim.fn.readfile(h.ARTICLE, "b"), copy, "b")
  require("policylink").setup({ sources = {}, summary_sentences = 2 })
  vim.cmd("PolicyLink add " .. vim.fn.fnameescape(copy))
  local src = require("policylink.sources").find(copy)
  os.remove(copy)
  vim.cmd("PolicyLink summarize " .. src.id)
  -- The library keeps the cleaned text; the program summarizes that alike.
  local stored = vim.fn.glob(vim.env.XDG_DATA_HOME .. "/policylink/sources/" .. src.id .. "-*.txt")
  t.eq(table.concat(buffer_lines(), "\n"),
    table.concat(cli_lines({ "summarize", stored, "--format", "text", "-n", "2" }), "\n"))
  local lines = buffer_lines()
  t.eq(#lines, 2)
  h.type("j<CR>")
  local name, sentence = landed()
  t.eq(name, "policylink://source/" .. copy)
  t.eq(sentence, lines[2])
  vim.cmd("silent! %bwipeout!")
  t.eq(table.concat(vim.fn.getcompletion("PolicyLink summarize " .. src.id:sub(1, 3), "cmdline"), ","), src.id)
end)

t.test("summarize errors: an unknown source, nothing to summarize", function()
  h.notes = {}
  vim.cmd("PolicyLink summarize /nonexistent/article.txt")
  t.eq(h.notes[1].msg, "policylink: no source '/nonexistent/article.txt' (see :PolicyLink sources)")
  t.eq(h.notes[1].level, vim.log.levels.ERROR)
  vim.cmd("enew")
  api.nvim_buf_set_lines(0, 0, -1, false, { "# Title", "", "- a list", "- of words" })
  h.notes = {}
  vim.cmd("PolicyLink summarize")
  t.truthy(h.notes[1].msg:match("^policylink: buffer %d+: "), h.notes[1].msg)
  t.eq(h.notes[1].level, vim.log.levels.ERROR)
  t.eq(#api.nvim_list_wins(), 1, "no summary window")
end)

h.run()
