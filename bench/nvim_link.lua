-- Linking as you type, measured in headless Neovim: a 10,000-line Markdown
-- note and a 10,000-term glossary page. Time until the first links are on
-- screen after :edit, and the plugin's work per keystroke (an edit plus
-- bringing the marks up to date), against a naive linker that loops over
-- the terms with string.find on each line, as note plugins do.
-- Run with bench/nvim_link.sh (prints a table; exits non-zero on failure).
local api = vim.api
local uv = vim.uv or vim.loop

local LINES, TERMS, KEYS = 10000, 10000, 3000

local seed = 42
local function random(n)
  seed = (seed * 16807) % 2147483647 -- Park-Miller: exact in doubles
  return seed % n
end

-- Pseudo-words: consonant-vowel syllables, so no English word collides.
local consonants, vowels = "bdfgklmnprstvz", "aeiou"
local function word()
  local w = {}
  for i = 1, 2 + random(3) do
    local c = random(#consonants) + 1
    local v = random(#vowels) + 1
    w[i] = consonants:sub(c, c) .. vowels:sub(v, v)
  end
  return table.concat(w)
end

local vocabulary, seen = {}, {}
while #vocabulary < 6000 do
  local w = word()
  if not seen[w] then
    seen[w] = true
    vocabulary[#vocabulary + 1] = w
  end
end

local terms, term_set = {}, {}
while #terms < TERMS do
  local parts = {}
  for i = 1, 1 + random(3) do
    parts[i] = vocabulary[random(#vocabulary) + 1]
  end
  local term = table.concat(parts, " ")
  if not term_set[term] then
    term_set[term] = true
    terms[#terms + 1] = term
  end
end

-- The glossary page: one entry a term.
local dir = vim.fn.tempname()
vim.fn.mkdir(dir, "p")
local page = { "# Glossary", "" } -- freed before the typing is measured
for _, term in ipairs(terms) do
  page[#page + 1] = "## " .. term
  page[#page + 1] = ""
  page[#page + 1] = "What " .. term .. " means."
  page[#page + 1] = ""
end
vim.fn.writefile(page, dir .. "/glossary.md")

-- The note: paragraphs of 4 to 8 lines of 12 words, a term every few words
-- (some wrapped over a line break), headings, lists and code blocks.
local note, n = {}, 0
local function add(line)
  n = n + 1
  note[n] = line
end
while n < LINES do
  local kind = random(20)
  if kind == 0 then
    add("## " .. vocabulary[random(#vocabulary) + 1] .. " " .. terms[random(#terms) + 1])
    add("")
  elseif kind == 1 then
    add("```lua")
    for _ = 1, 3 do
      add("local " .. vocabulary[random(#vocabulary) + 1] .. " = '" .. terms[random(#terms) + 1] .. "'")
    end
    add("```")
    add("")
  else
    for _ = 1, 4 + random(5) do
      local words = {}
      if kind == 2 then
        words[1] = "-"
      end
      while #words < 12 do
        if random(4) == 0 then
          words[#words + 1] = terms[random(#terms) + 1]
        else
          words[#words + 1] = vocabulary[random(#vocabulary) + 1]
        end
      end
      add(table.concat(words, " "))
    end
    add("")
  end
end
while n > LINES do
  note[n] = nil
  n = n - 1
end
vim.fn.writefile(note, dir .. "/note.md")

local function ms(ns)
  return ns / 1e6
end

local function percentile(list, p)
  local sorted = vim.list_slice(list, 1, #list)
  table.sort(sorted)
  return sorted[math.max(1, math.ceil(#sorted * p))]
end

vim.o.lines, vim.o.columns = 50, 120
vim.cmd("filetype on")
vim.cmd("runtime plugin/policylink.lua")
-- No source library: the bench measures the glossary page alone, whatever
-- the library of the person running it holds.
require("policylink").setup({ glossary = dir .. "/glossary.md", sources = {}, library = false })
local policylink_buffer = require("policylink.buffer")
local sources = require("policylink.sources")

local results = {}
local function row(what, plugin, naive, note_text)
  results[#results + 1] = { what, plugin, naive, note_text or "" }
end

-- The glossary: read, parsed and compiled once per session.
local t0 = uv.hrtime()
local g = assert(sources.glossary())
local t_glossary = uv.hrtime() - t0
assert(#g.entries == TERMS, "glossary entries: " .. #g.entries)

-- Neovim alone: the same :edit with linking off.
policylink_buffer.toggle_global()
t0 = uv.hrtime()
vim.cmd("edit " .. dir .. "/note.md")
local t_plain = uv.hrtime() - t0
vim.cmd("bwipeout!")
policylink_buffer.toggle_global()

-- First links: :edit runs FileType, which matches the note and paints
-- what the window shows.
t0 = uv.hrtime()
vim.cmd("edit " .. dir .. "/note.md")
local t_first = uv.hrtime() - t0
local buf = api.nvim_get_current_buf()
local ns = policylink_buffer.ns
local visible = #api.nvim_buf_get_extmarks(buf, ns, 0, -1, {})
assert(visible > 0, "no links after :edit")
t0 = uv.hrtime()
policylink_buffer.flush(buf)
local t_rest = uv.hrtime() - t0
local all_marks = #api.nvim_buf_get_extmarks(buf, ns, 0, -1, {})

-- The naive linker: lower-cased line, string.find for every term.
local naive_ns = api.nvim_create_namespace("naive-linker")
local lowered = {}
for i, term in ipairs(terms) do
  lowered[i] = term:lower()
end
local function naive_line(b, row_index, line)
  local lower = line:lower()
  api.nvim_buf_clear_namespace(b, naive_ns, row_index, row_index + 1)
  for _, term in ipairs(lowered) do
    local from = 1
    while true do
      local s, e = lower:find(term, from, true)
      if not s then
        break
      end
      api.nvim_buf_set_extmark(b, naive_ns, row_index, s - 1, { end_row = row_index, end_col = e, hl_group = "PolicyLinkTerm" })
      from = e + 1
    end
  end
end
local naive_buf = api.nvim_create_buf(false, true)
api.nvim_buf_set_lines(naive_buf, 0, -1, false, note)
local screen = vim.o.lines
t0 = uv.hrtime()
for i = 0, screen - 1 do
  naive_line(naive_buf, i, note[i + 1])
end
local t_naive_first = uv.hrtime() - t0
local sample = 200
t0 = uv.hrtime()
for i = 0, sample - 1 do
  naive_line(naive_buf, i, note[i + 1])
end
local t_naive_full = (uv.hrtime() - t0) * (LINES / sample)

row("first links on screen after :edit (ms)", string.format("%.1f", ms(t_first)),
  string.format("%.1f", ms(t_naive_first)), string.format("%d lines in view; :edit alone takes %.1f ms",
    screen, ms(t_plain)))
row("whole note linked (ms)", string.format("%.1f", ms(t_first + t_rest)),
  string.format("~%.0f", ms(t_naive_full)), string.format("%d links; naive: extrapolated from %d lines", all_marks, sample))

-- Typing: characters inserted one at a time at the end of paragraph lines
-- (now and then a term, a line break or a backspace), each followed by
-- what the plugin does before the next key: bringing the marks up to date.
local insert_rows = {}
for i, line in ipairs(note) do
  if line ~= "" and not line:find("^[#`l]") then
    insert_rows[#insert_rows + 1] = i - 1
  end
end
local plugin_times, naive_times = {}, {}
-- The bench's own data (the glossary page's lines) out of the heap, so that
-- garbage collection costs what it would in an editor.
page = nil
collectgarbage()
local function keystrokes(b, per_key, times)
  local r = insert_rows[1 + random(#insert_rows)]
  local text = " " .. terms[random(#terms) + 1] .. " and more"
  local i = 0
  for _ = 1, KEYS do
    i = i + 1
    if i > #text then
      r = insert_rows[1 + random(#insert_rows)]
      i = 1
    end
    local line = api.nvim_buf_get_lines(b, r, r + 1, false)[1]
    local col = #line
    local start = os.clock()
    local ch = text:sub(i, i)
    if random(50) == 0 and col > 0 then
      api.nvim_buf_set_text(b, r, col - 1, r, col, { "" }) -- backspace
    else
      api.nvim_buf_set_text(b, r, col, r, col, { ch })
    end
    per_key(b, r)
    times[#times + 1] = (os.clock() - start) * 1e9
  end
end
keystrokes(buf, function(b)
  policylink_buffer.flush(b)
end, plugin_times)
local naive_copy = api.nvim_create_buf(false, true)
api.nvim_buf_set_lines(naive_copy, 0, -1, false, note)
seed = 7
keystrokes(naive_copy, function(b, r)
  naive_line(b, r, api.nvim_buf_get_lines(b, r, r + 1, false)[1])
end, naive_times)

-- Enter: a line split in the middle of a paragraph (the state of the lines
-- after it is carried, the paragraph matched again).
local enter_times = {}
for k = 1, 300 do
  local r = insert_rows[1 + random(#insert_rows)]
  local line = api.nvim_buf_get_lines(buf, r, r + 1, false)[1]
  local col = math.floor(#line / 2)
  local start = os.clock()
  api.nvim_buf_set_text(buf, r, col, r, col, { "", "" })
  policylink_buffer.flush(buf)
  enter_times[k] = (os.clock() - start) * 1e9
end

-- A code fence opened and closed again at the top: every line below changes
-- state, so everything is matched again (the worst single keystroke).
local t_fence = uv.hrtime()
api.nvim_buf_set_lines(buf, 0, 0, false, { "~~~" })
policylink_buffer.flush(buf)
t_fence = uv.hrtime() - t_fence
api.nvim_buf_set_lines(buf, 0, 1, false, {})
policylink_buffer.flush(buf)

local function fmt(list, p)
  return string.format("%.3f", ms(percentile(list, p)))
end
row("keystroke, median (ms)", fmt(plugin_times, 0.5), fmt(naive_times, 0.5), KEYS .. " keys at line ends; CPU time")
row("keystroke, p99 (ms)", fmt(plugin_times, 0.99), fmt(naive_times, 0.99), "")
row("keystroke, max (ms)", fmt(plugin_times, 1), fmt(naive_times, 1), "")
row("Enter in a paragraph, p99 (ms)", fmt(enter_times, 0.99), "-", "300 line splits")
row("~~~ opened on line 1, all matched (ms)", string.format("%.1f", ms(t_fence)), "-", "an unclosed fence: every line changes")
row("glossary page read and compiled (ms)", string.format("%.1f", ms(t_glossary)), "-", TERMS .. " terms, once")

-- Checks: the marks equal a full match of the edited note.
local text = table.concat(api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
local full = g.matcher:match(text)
local marks = api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })
assert(#full == #marks, string.format("marks %d, full match %d", #marks, #full))
for i, m in ipairs(full) do
  local mark = marks[i]
  assert(mark[2] == m.line and mark[3] == m.col and mark[4].end_row == m.end_line and mark[4].end_col == m.end_col,
    "mark " .. i .. " differs from a full match")
end

local out = {
  string.format("policylink in Neovim %s: %d-line note, %d-term glossary", tostring(vim.version and
    (vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch) or "?"), LINES, TERMS),
  "",
  string.format("| %-40s | %10s | %12s | %s", "measure", "policylink", "naive find", "notes"),
  "|" .. ("-"):rep(42) .. "|" .. ("-"):rep(12) .. "|" .. ("-"):rep(14) .. "|" .. ("-"):rep(40),
}
for _, r in ipairs(results) do
  out[#out + 1] = string.format("| %-40s | %10s | %12s | %s", r[1], r[2], r[3], r[4])
end
out[#out + 1] = ""
out[#out + 1] = "The naive linker has no Markdown rules (it links inside code and links) and misses"
out[#out + 1] = "terms wrapped over a line break; its figures are a lower bound of its cost."
io.stdout:write(table.concat(out, "\n"), "\n")
vim.fn.delete(dir, "rf")
vim.cmd("qa!")
