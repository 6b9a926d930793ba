-- What a term means: the explain float, the goto buffer and the Lua API,
-- with the bundled article as the source.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api

h.load_plugin()
require("policylink").setup({ sources = { h.ARTICLE } })
vim.cmd("nmap K <Plug>(policylink-explain)")
vim.cmd("nmap gd <Plug>(policylink-goto)")

local TITLE = "Bolster the systems and mechanisms for developing new quality productive forces in "
  .. "accordance with local conditions"
local DEFINITION = "Developing new quality productive forces is a crucial path to meeting the demands of "
  .. "economic and social development in the new era and achieving high-quality growth."

local function open_note(row, col)
  vim.cmd("silent! %bwipeout!")
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  api.nvim_win_set_cursor(0, { row, col })
  return api.nvim_get_current_buf(), api.nvim_get_current_win()
end

t.test("explain(term) returns the explanation record", function()
  local record = require("policylink").explain("New Quality Productive Forces")
  t.eq(record.term, "new quality productive forces")
  t.eq(record.kind, "phrase")
  t.eq(record.case, "insensitive")
  t.eq(record.anchor, "new-quality-productive-forces")
  t.eq(#record.sentences, 3)
  t.eq(record.sentences[1].text, DEFINITION)
  t.eq(record.sentences[1].index, 3)
  t.eq(record.sentences[1].definition, true)
  t.eq(record.source.title, TITLE)
  t.eq(record.source.origin, h.ARTICLE)
  t.eq(record.extracted, nil)
  local none, message = require("policylink").explain("flying cars")
  t.eq(none, nil)
  t.eq(message, "policylink: 'flying cars' is not in the glossary")
end)

t.test("the explain float shows the term, its sentences and the source title", function()
  local _, note_win = open_note(7, 30) -- on "Four Improvements"
  h.type("K")
  local win, buf = require("policylink.float").window()
  t.truthy(win, "a float is open")
  t.eq(api.nvim_get_current_win(), note_win)
  t.eq(api.nvim_win_get_config(win).relative, "win")
  t.eq(table.concat(api.nvim_buf_get_lines(buf, 0, -1, false), "\n"), table.concat({
    "Four Improvements",
    "",
    "The Third Plenary Session of the 20th National Congress of the Communist Party of China proposed "
      .. "“Four Improvements” and “One Optimization” to enhance the systems and mechanisms for promoting "
      .. "high-quality economic development.",
    "",
    "Source: " .. TITLE,
  }, "\n"))
  t.eq(vim.bo[buf].modifiable, false)
end)

t.test("explain again enters the float; q closes it", function()
  local _, note_win = open_note(7, 2) -- on "conditions", the wrapped half of "local conditions"
  h.type("K")
  local win, buf = require("policylink.float").window()
  t.eq(api.nvim_buf_get_lines(buf, 0, 1, false)[1], "local conditions")
  h.type("K")
  t.eq(api.nvim_get_current_win(), win)
  h.type("q")
  t.eq(require("policylink.float").window(), nil)
  t.eq(api.nvim_win_is_valid(win), false)
  t.eq(api.nvim_get_current_win(), note_win)
end)

t.test("moving the cursor in the note closes the float", function()
  open_note(6, 30)
  h.type("K")
  local win = require("policylink.float").window()
  t.truthy(win)
  h.type("j")
  t.eq(api.nvim_win_is_valid(win), false)
end)

t.test("explain away from a term says so", function()
  open_note(4, 0)
  h.notes = {}
  h.type("K")
  t.eq(require("policylink.float").window(), nil)
  t.eq(h.notes[#h.notes].msg, "policylink: no glossary term under the cursor")
end)

t.test("goto opens the cleaned article on the explaining sentence, highlighted", function()
  local note = open_note(9, 70) -- "new quality" / "productive forces", wrapped
  h.type("gd")
  local buf = api.nvim_get_current_buf()
  t.eq(api.nvim_buf_get_name(buf), "policylink://source/" .. h.ARTICLE)
  t.eq(vim.bo[buf].modifiable, false)
  t.eq(vim.bo[buf].buftype, "nofile")
  t.eq(api.nvim_win_get_cursor(0)[1], 3)
  t.eq(api.nvim_win_get_cursor(0)[2], 0)
  t.eq(api.nvim_get_current_line():sub(1, #DEFINITION), DEFINITION)
  local ns = api.nvim_create_namespace("policylink-sentence")
  local marks = api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })
  t.eq(#marks, 1)
  t.eq(marks[1][2], 2)
  t.eq(marks[1][3], 0)
  t.eq(marks[1][4].end_row, 2)
  t.eq(marks[1][4].end_col, #DEFINITION)
  t.eq(marks[1][4].hl_group, "PolicyLinkSentence")
  h.type("<C-o>")
  t.eq(api.nvim_get_current_buf(), note)
end)

t.test("goto on a quoted name lands on its sentence", function()
  open_note(7, 55) -- "One Optimization"
  vim.cmd("PolicyLink goto")
  t.eq(api.nvim_win_get_cursor(0)[1], 1)
  t.eq(api.nvim_get_current_line():sub(1, 20), "The Third Plenary Se")
  vim.cmd("PolicyLink goto Five Industrial Bases")
  t.contains(api.nvim_get_current_line(), "The Five Industrial Bases")
  local col = api.nvim_win_get_cursor(0)[2]
  t.eq(api.nvim_get_current_line():sub(col + 1, col + 25), "The Five Industrial Bases")
end)

t.test(":PolicyLink terms picks with vim.ui.select, then explains", function()
  open_note(1, 0)
  local offered
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    for i, item in ipairs(items) do
      offered[i] = opts.format_item(item)
    end
    on_choice(items[3])
  end
  vim.cmd("PolicyLink terms")
  t.eq(offered[1], "new quality productive forces (phrase)")
  t.eq(offered[3], "Five Industrial Bases (name)")
  local _, buf = require("policylink.float").window()
  t.eq(api.nvim_buf_get_lines(buf, 0, 1, false)[1], "Five Industrial Bases")
end)

h.run()
