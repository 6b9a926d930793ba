-- Linking as you type: the marks of an example note with the bundled
-- article as its source, kept right while the note is edited.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api

h.load_plugin()
require("policylink").setup({ sources = { h.ARTICLE } })

local NOTE_MARKS = {
  "5:21-5:50", -- new quality productive forces
  "5:61-6:10", -- local / conditions, wrapped
  "6:25-6:42", -- Four Improvements (quoted)
  "6:52-6:68", -- One Optimization
  "8:20-8:46", -- future-oriented industries
  "8:63-9:17", -- new quality / productive forces, wrapped
  "18:6-18:27", -- Five Industrial Bases
}

local function open_note()
  if api.nvim_get_mode().mode ~= "n" then
    h.type("<Esc>")
  end
  vim.cmd("silent! %bwipeout!")
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  return api.nvim_get_current_buf()
end

-- What a fresh match of the whole buffer gives, for comparison with the
-- marks kept up to date edit by edit.
local function full_match(buf)
  local g = require("policylink.sources").glossary()
  local text = table.concat(api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  local out = {}
  for _, m in ipairs(g.matcher:match(text)) do
    out[#out + 1] = string.format("%d:%d-%d:%d", m.line, m.col, m.end_line, m.end_col)
  end
  return out
end

t.test("opening the note marks its terms at exact positions", function()
  local buf = open_note()
  t.eq(vim.bo[buf].filetype, "markdown")
  t.eq(table.concat(h.marks(buf), " "), table.concat(NOTE_MARKS, " "))
  local links = require("policylink").buffer_links(buf)
  t.eq(#links, 7)
  t.eq(links[1].term, "new quality productive forces")
  t.eq(links[2].term, "local conditions")
  t.eq(links[2].start_row, 5)
  t.eq(links[2].end_row, 6)
  t.eq(links[2].end_col, 10)
  t.eq(links[3].term, "Four Improvements")
  t.eq(links[7].term, "Five Industrial Bases")
  local ns = api.nvim_create_namespace("policylink")
  local mark = api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true, limit = 1 })[1]
  t.eq(mark[4].hl_group, "PolicyLinkTerm")
end)

t.test("nothing is marked in front matter, code, links or inline code", function()
  local buf = open_note()
  for _, m in ipairs(h.marks(buf)) do
    local row = tonumber(m:match("^(%d+)"))
    t.truthy(row >= 3 and not (row >= 11 and row <= 14) and row ~= 16, "mark at " .. m)
  end
end)

t.test("the PolicyLinkTerm highlight links to a default group", function()
  t.contains(vim.fn.execute("highlight PolicyLinkTerm"), "links to Underlined")
  vim.cmd("highlight clear")
  vim.cmd("doautocmd ColorScheme")
  t.contains(vim.fn.execute("highlight PolicyLinkTerm"), "links to Underlined")
end)

t.test("typing a term in insert mode marks it; deleting it removes the mark", function()
  local buf = open_note()
  api.nvim_win_set_cursor(0, { 19, 0 })
  h.type("oThe local condi")
  t.eq(api.nvim_get_mode().mode, "i")
  t.eq(#h.marks(buf), 7)
  h.type("tions")
  t.eq(api.nvim_get_current_line(), "The local conditions")
  t.eq(h.marks(buf)[8], "19:4-19:20")
  h.type("<BS><BS>")
  t.eq(#h.marks(buf), 7)
  h.type("ns apply")
  t.eq(h.marks(buf)[8], "19:4-19:20")
  h.type("<Esc>")
  t.eq(api.nvim_get_mode().mode, "n")
  vim.cmd("normal! dd")
  h.sleep(5)
  t.eq(table.concat(h.marks(buf), " "), table.concat(NOTE_MARKS, " "))
end)

t.test("a term typed across a line break is marked over both rows", function()
  local buf = open_note()
  api.nvim_win_set_cursor(0, { 19, 0 })
  h.type("oWe study new quality<CR>productive forces.<Esc>")
  h.sleep(5)
  t.eq(h.marks(buf)[8], "19:9-20:17")
  t.eq(table.concat(h.marks(buf), " "), table.concat(full_match(buf), " "))
end)

t.test("an opened code fence unmarks the lines below it, closing it marks them again", function()
  local buf = open_note()
  api.nvim_win_set_cursor(0, { 4, 0 })
  h.type("o```<Esc>")
  h.sleep(5)
  -- "```python" cannot close it: only the note's last fence does.
  local marks = h.marks(buf)
  t.eq(table.concat(marks, " "), table.concat(full_match(buf), " "))
  t.eq(table.concat(marks, " "), "19:6-19:27", "a fence with an info string does not close one")
  vim.cmd("silent normal! u")
  h.sleep(5)
  t.eq(table.concat(h.marks(buf), " "), table.concat(NOTE_MARKS, " "))
end)

t.test("edits anywhere keep the marks equal to a full match", function()
  local buf = open_note()
  local edits = {
    function() api.nvim_buf_set_lines(buf, 6, 7, false, { "conditions and the Five Industrial", "Bases." }) end,
    function() api.nvim_buf_set_lines(buf, 0, 1, false, {}) end,
    function() api.nvim_buf_set_lines(buf, 2, 2, false, { "~~~", "new quality productive forces" }) end,
    function() api.nvim_buf_set_lines(buf, -1, -1, false, { "~~~", "", "local conditions again" }) end,
    function() api.nvim_buf_set_text(buf, 6, 0, 6, 3, { "Our" }) end,
    function() api.nvim_buf_set_lines(buf, 3, 5, false, {}) end,
    function() api.nvim_buf_set_lines(buf, 0, 0, false, { "---", "a: new quality productive forces", "---" }) end,
    function() api.nvim_buf_set_lines(buf, 0, 1, false, { "" }) end,
    function() api.nvim_buf_set_text(buf, 7, 4, 7, 4, { "local", "conditions " }) end,
  }
  -- The marks follow on the next turns of the event loop (lines out of view
  -- in the background).
  local function settled()
    return table.concat(h.marks(buf), " ") == table.concat(full_match(buf), " ")
  end
  for i, edit in ipairs(edits) do
    edit()
    h.wait_for(settled, 2000, "the marks after edit " .. i)
  end
  for i = 1, #edits do
    vim.cmd("silent normal! u")
    h.wait_for(settled, 2000, "the marks after undo " .. i)
  end
  t.eq(table.concat(h.marks(buf), " "), table.concat(NOTE_MARKS, " "))
end)

-- Random edits from a pool of lines that open and close fences, comments
-- and front matter, split terms over lines, and undo.
local function random_editor(buf, seed)
  local pool = {
    "```", "~~~", "", "", "new quality", "productive forces", "local conditions here", "conditions",
    "    indented new quality productive forces", "- list item on local", "# Heading on the One Optimization",
    "---", "<!--", "-->", "Text `code new quality productive forces` and more", "[local conditions](x)",
    "The Five Industrial", "Bases and new", "quality productive forces.", "> quoted local conditions",
  }
  local function random(n) -- the same sequence on every run
    seed = (seed * 16807) % 2147483647 -- Park-Miller: exact in doubles
    return seed % n
  end
  return function()
    local n = api.nvim_buf_line_count(buf)
    local op = random(10)
    if op < 6 then
      local a = random(n + 1)
      local b = math.min(n, a + random(3))
      local new = {}
      for j = 1, random(4) do
        new[j] = pool[random(#pool) + 1]
      end
      if n - (b - a) + #new == 0 then
        new[1] = ""
      end
      api.nvim_buf_set_lines(buf, a, b, false, new)
    elseif op < 9 then
      local row = random(n)
      local line = api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
      local col = random(#line + 1)
      local words = { "new ", "quality ", "\n", "local", " conditions", "`", "x" }
      local word = words[random(#words) + 1]
      api.nvim_buf_set_text(buf, row, col, row, col, word == "\n" and { "", "" } or { word })
    else
      vim.cmd("silent! normal! u")
    end
    return random(4)
  end
end

t.test("random edits keep the marks equal to a full match", function()
  local buf = open_note()
  local edit = random_editor(buf, 12345)
  for i = 1, 400 do
    edit()
    require("policylink.buffer").flush(buf)
    t.eq(table.concat(h.marks(buf), " "), table.concat(full_match(buf), " "), "after random edit " .. i)
  end
end)

t.test("a term cut at its end and typed again is marked whole again", function()
  local buf = api.nvim_create_buf(true, false)
  api.nvim_buf_set_option(buf, "filetype", "markdown")
  api.nvim_set_current_buf(buf)
  api.nvim_buf_set_lines(buf, 0, -1, false, { "Intro.", "", "About local conditions here.", "" })
  local flush = function()
    require("policylink.buffer").flush(buf)
    return table.concat(h.marks(buf), " ")
  end
  t.eq(flush(), "2:6-2:22")
  -- The last letter goes and comes back: the mark's end does not follow an
  -- insertion at its end, so a mark kept as it was would cover 15 bytes.
  api.nvim_buf_set_text(buf, 2, 21, 2, 22, { "" })
  t.eq(flush(), "")
  api.nvim_buf_set_text(buf, 2, 21, 2, 21, { "s" })
  t.eq(flush(), "2:6-2:22")
  -- Text typed inside it and taken out again.
  api.nvim_buf_set_text(buf, 2, 11, 2, 11, { "xx" })
  t.eq(flush(), "")
  api.nvim_buf_set_text(buf, 2, 11, 2, 13, { "" })
  t.eq(flush(), "2:6-2:22")
  -- An edit on another line leaves the mark where it is.
  api.nvim_buf_set_text(buf, 0, 0, 0, 0, { "A new " })
  t.eq(flush(), "2:6-2:22")
  t.eq(table.concat(h.marks(buf), " "), table.concat(full_match(buf), " "))
  vim.cmd("bwipeout!")
end)

t.test("random edits in a long note while it is still being marked", function()
  vim.cmd("silent! %bwipeout!")
  local lines = vim.fn.readfile(h.NOTE)
  local note = {}
  while #note < 2600 do
    vim.list_extend(note, lines)
  end
  local path = vim.fn.tempname() .. ".md"
  vim.fn.writefile(note, path)
  vim.cmd("edit " .. path)
  local buf = api.nvim_get_current_buf()
  local edit = random_editor(buf, 777)
  for i = 1, 300 do
    local pause = edit()
    if pause > 0 then
      h.sleep(pause - 1)
    end
    if i % 50 == 0 then
      require("policylink.buffer").flush(buf)
      t.eq(table.concat(h.marks(buf), " "), table.concat(full_match(buf), " "), "after random edit " .. i)
    end
  end
  h.wait_for(function()
    return table.concat(h.marks(buf), " ") == table.concat(full_match(buf), " ")
  end, 5000, "the marks to settle")
  os.remove(path)
end)

t.test("a long note shows the marks in view first and the rest soon after", function()
  vim.cmd("silent! %bwipeout!")
  local lines = {}
  for i = 1, 3000 do
    lines[i] = (i % 3 == 0) and "" or ("Line " .. i .. " on new quality productive forces and local conditions.")
  end
  local path = vim.fn.tempname() .. ".md"
  vim.fn.writefile(lines, path)
  vim.cmd("edit " .. path)
  local buf = api.nvim_get_current_buf()
  local first = h.marks(buf)
  t.truthy(#first > 0 and #first < 1000, "marks painted at once: " .. #first)
  h.wait_for(function()
    return #h.marks(buf) == 4000
  end, 5000, "all 4000 marks")
  t.eq(table.concat(h.marks(buf), " "), table.concat(full_match(buf), " "))
  -- A jump far down a note being marked: the lines in view come first (each
  -- background step starts with them).
  vim.cmd("silent! %bwipeout!")
  vim.cmd("edit " .. path)
  buf = api.nvim_get_current_buf()
  vim.cmd("normal! 2500Gzt")
  h.sleep(1)
  local top, bottom = vim.fn.line("w0") - 1, vim.fn.line("w$") - 1
  t.truthy(top > 2400, "window top " .. top)
  local in_view = {}
  for _, m in ipairs(full_match(buf)) do
    local row = tonumber(m:match("^(%d+)"))
    if row >= top and row <= bottom then
      in_view[#in_view + 1] = m
    end
  end
  local marks = {}
  for _, m in ipairs(h.marks(buf)) do
    local row = tonumber(m:match("^(%d+)"))
    if row >= top and row <= bottom then
      marks[#marks + 1] = m
    end
  end
  t.truthy(#h.marks(buf) < 1000, "marks painted at once: " .. #h.marks(buf))
  t.eq(table.concat(marks, " "), table.concat(in_view, " "))
  os.remove(path)
end)

t.test("toggle per buffer and globally", function()
  local buf = open_note()
  vim.cmd("PolicyLink toggle")
  t.eq(#h.marks(buf), 0)
  t.eq(h.notes[#h.notes].msg, "policylink: linking off in this buffer")
  h.type("Gonew quality productive forces<Esc>")
  h.sleep(5)
  t.eq(#h.marks(buf), 0)
  vim.cmd("PolicyLink toggle")
  t.eq(#h.marks(buf), 8)
  vim.cmd("PolicyLink toggle global")
  t.eq(#h.marks(buf), 0)
  t.eq(h.notes[#h.notes].msg, "policylink: linking off everywhere")
  vim.cmd("silent! %bwipeout!")
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  t.eq(#h.marks(0), 0)
  vim.cmd("PolicyLink toggle global")
  t.eq(#h.marks(0), 7)
end)

t.test("buffers of other filetypes are left alone", function()
  vim.cmd("silent! %bwipeout!")
  vim.cmd("enew")
  api.nvim_buf_set_lines(0, 0, -1, false, { "new quality productive forces" })
  vim.bo.filetype = "lua"
  t.eq(#h.marks(0), 0)
  vim.bo.buftype = "nofile"
  vim.bo.filetype = "text"
  t.eq(#h.marks(0), 0, "a scratch buffer (buftype nofile) too")
  vim.cmd("silent! %bwipeout!")
  local path = vim.fn.tempname() .. ".txt"
  vim.fn.writefile({ "new quality productive forces" }, path)
  vim.cmd("edit " .. path)
  t.eq(vim.bo.filetype, "text")
  t.eq(table.concat(h.marks(0), " "), "0:0-0:29")
  os.remove(path)
end)

h.run()
