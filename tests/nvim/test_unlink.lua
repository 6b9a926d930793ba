-- :PolicyLink unlink: the links :PolicyLink link wrote go, the words stay
-- exactly as they were, in one undo step; other links and code are left
-- alone; link and unlink take a range.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api

h.load_plugin()
require("policylink").setup({ sources = { h.ARTICLE } })

local function open_note()
  vim.cmd("silent! %bwipeout!")
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  return api.nvim_get_current_buf()
end

local function text(buf)
  return table.concat(api.nvim_buf_get_lines(buf or 0, 0, -1, false), "\n")
end

local function command(cmd)
  h.notes = {}
  vim.cmd(cmd)
  t.eq(#h.notes, 1, cmd .. ": one message")
  return h.notes[1].msg
end

local ORIGINAL = table.concat(vim.fn.readfile(h.NOTE), "\n")

t.test("unlink restores the exact text; u brings the links back", function()
  local buf = open_note()
  t.eq(command("PolicyLink link"), "policylink: 7 links written")
  local linked = text(buf)
  t.eq(command("PolicyLink unlink"), "policylink: 7 links removed")
  t.eq(text(buf), ORIGINAL)
  vim.cmd("silent normal! u")
  t.eq(text(buf), linked, "one undo step brings every link back")
  vim.cmd("silent normal! u")
  t.eq(text(buf), ORIGINAL)
  h.sleep(5)
  t.eq(#h.marks(buf), 7, "the terms are marked again")
end)

t.test("unlink leaves other links, code and unknown anchors' pages alone", function()
  local buf = open_note()
  local extra = {
    "",
    "```",
    "[local conditions](glossary.md#local-conditions) in a fence",
    "```",
    "Inline `[Four Improvements](glossary.md#four-improvements)` and ![image](glossary.md#local-conditions).",
    "[other](notes.md#local-conditions) and [[Some Page]] and [[Some Page|shown]] and [plain](glossary.md).",
  }
  api.nvim_buf_set_lines(buf, -1, -1, false, extra)
  local before = text(buf)
  t.eq(command("PolicyLink unlink"), "policylink: 0 links removed")
  t.eq(text(buf), before)
  t.eq(command("PolicyLink link"), "policylink: 7 links written")
  t.eq(command("PolicyLink unlink"), "policylink: 7 links removed")
  t.eq(text(buf), before)
end)

t.test("a range: link and unlink only the links wholly inside it", function()
  local buf = open_note()
  t.eq(command("PolicyLink link"), "policylink: 7 links written")
  local lines = api.nvim_buf_get_lines(buf, 0, -1, false)
  -- Line 10 alone holds the end of a link that starts on line 9: left.
  t.eq(command("10PolicyLink unlink"), "policylink: 0 links removed")
  t.eq(command("9,10PolicyLink unlink"), "policylink: 2 links removed")
  local now = api.nvim_buf_get_lines(buf, 0, -1, false)
  t.eq(now[9], "Regions should grow future-oriented industries where they fit; new quality")
  t.eq(now[10], "productive forces are not one model for all.")
  t.eq(now[6], lines[6], "links outside the range stay")
  t.eq(now[19], lines[19])
  vim.cmd("silent normal! u")
  t.eq(text(buf), table.concat(lines, "\n"))
  -- Linking a range, then unlinking a wider one.
  buf = open_note()
  t.eq(command("6,7PolicyLink link"), "policylink: 4 links written")
  t.eq(api.nvim_buf_get_lines(buf, 18, 19, false)[1], "- The Five Industrial Bases remain weak.")
  t.eq(command("1,8PolicyLink unlink"), "policylink: 4 links removed")
  t.eq(text(buf), ORIGINAL)
end)

t.test("wiki and HTML links come off too", function()
  for _, format in ipairs({ "wiki", "html" }) do
    local buf = open_note()
    t.eq(command("PolicyLink link " .. format), "policylink: 7 links written")
    t.truthy(text(buf) ~= ORIGINAL)
    t.eq(command("PolicyLink unlink"), "policylink: 7 links removed")
    t.eq(text(buf), ORIGINAL, format)
  end
  local buf = open_note()
  api.nvim_buf_set_lines(buf, -1, -1, false, { "[[glossary#Five Industrial Bases|the bases]] and [[Some Page#Five Industrial Bases|x]]." })
  t.eq(command("PolicyLink unlink"), "policylink: 1 link removed")
  t.eq(api.nvim_buf_get_lines(buf, -2, -1, false)[1], "the bases and [[Some Page#Five Industrial Bases|x]].")
end)

t.test("unlink follows the glossary_link option", function()
  require("policylink").setup({ sources = { h.ARTICLE }, glossary_link = "../terms.md" })
  local buf = open_note()
  t.eq(command("PolicyLink link"), "policylink: 7 links written")
  t.contains(text(buf), "[Five Industrial Bases](../terms.md#five-industrial-bases)")
  t.eq(command("PolicyLink unlink"), "policylink: 7 links removed")
  t.eq(text(buf), ORIGINAL)
  require("policylink").setup({ sources = { h.ARTICLE } })
  t.eq(command("PolicyLink unlink extra"), "policylink: unlink takes a range, not arguments")
end)

t.test("require('policylink').unlink from Lua", function()
  local buf = open_note()
  require("policylink").link(buf)
  t.eq(require("policylink").unlink(buf, { line1 = 19, line2 = 19 }), 1)
  t.eq(api.nvim_buf_get_lines(buf, 18, 19, false)[1], "- The Five Industrial Bases remain weak.")
  t.eq(require("policylink").unlink(buf), 6)
  t.eq(text(buf), ORIGINAL)
end)

h.run()
