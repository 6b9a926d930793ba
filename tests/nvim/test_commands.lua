-- The :PolicyLink subcommands that change things: link (one undo step),
-- export, sources, add and remove of files, toggle's messages.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api

h.load_plugin()
require("policylink").setup({ sources = { h.ARTICLE } })

local TITLE = "Bolster the systems and mechanisms for developing new quality productive forces in "
  .. "accordance with local conditions"

local function open_note()
  vim.cmd("silent! %bwipeout!")
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  return api.nvim_get_current_buf()
end

local function buffer_text(buf)
  return table.concat(api.nvim_buf_get_lines(buf or 0, 0, -1, false), "\n")
end

local read = t.read_file

t.test(":PolicyLink link writes Markdown links, u restores the note", function()
  local buf = open_note()
  local before = buffer_text(buf)
  h.notes = {}
  vim.cmd("PolicyLink link")
  t.eq(h.notes[1].msg, "policylink: 7 links written")
  local lines = api.nvim_buf_get_lines(buf, 0, -1, false)
  t.eq(lines[6], "The plenum asked for [new quality productive forces](glossary.md#new-quality-productive-forces) "
    .. "suited to [local")
  t.eq(lines[7], "conditions](glossary.md#local-conditions), and for the \"[Four Improvements]"
    .. "(glossary.md#four-improvements)\" and the [One Optimization](glossary.md#one-optimization).")
  t.eq(lines[9], "Regions should grow [future-oriented industries](glossary.md#future-oriented-industries) "
    .. "where they fit; [new quality")
  t.eq(lines[10], "productive forces](glossary.md#new-quality-productive-forces) are not one model for all.")
  t.eq(lines[13], "# new quality productive forces inside code are not terms")
  t.eq(lines[17], "See [new quality productive forces](https://example.org/nqpf) and `local conditions`.")
  t.eq(lines[19], "- The [Five Industrial Bases](glossary.md#five-industrial-bases) remain weak.")
  t.eq(#lines, 19)
  h.sleep(5)
  t.eq(#h.marks(buf), 0, "linked terms are no longer marked")
  vim.cmd("silent normal! u")
  t.eq(buffer_text(buf), before)
  h.sleep(5)
  t.eq(#h.marks(buf), 7)
end)

t.test("linking twice adds nothing; a range links only its lines; wiki format", function()
  local buf = open_note()
  vim.cmd("PolicyLink link")
  local linked = buffer_text(buf)
  h.notes = {}
  vim.cmd("PolicyLink link")
  t.eq(h.notes[1].msg, "policylink: 0 links written")
  t.eq(buffer_text(buf), linked)
  buf = open_note()
  vim.cmd("9,10PolicyLink link wiki")
  local lines = api.nvim_buf_get_lines(buf, 0, -1, false)
  t.eq(lines[9], "Regions should grow [[future-oriented industries]] where they fit; [[new quality productive forces|new quality")
  t.eq(lines[10], "productive forces]] are not one model for all.")
  t.eq(lines[6], "The plenum asked for new quality productive forces suited to local")
  h.notes = {}
  vim.cmd("PolicyLink link pdf")
  t.eq(h.notes[1].msg, "policylink: unknown link format 'pdf' (markdown, wiki or html)")
end)

t.test("the link target follows the glossary_link option", function()
  require("policylink").setup({ sources = { h.ARTICLE }, glossary_link = "../terms.md" })
  local buf = open_note()
  vim.cmd("PolicyLink link")
  t.contains(buffer_text(buf), "[Five Industrial Bases](../terms.md#five-industrial-bases)")
  require("policylink").setup({ sources = { h.ARTICLE } })
end)

t.test(":PolicyLink sources lists each source with its title and term count", function()
  open_note()
  h.notes = {}
  vim.cmd("PolicyLink sources")
  t.eq(#h.notes, 1)
  t.truthy(h.notes[1].msg:match("^" .. vim.pesc(TITLE .. "  " .. h.ARTICLE .. "  (") .. "%d+ terms%)$"), h.notes[1].msg)
end)

t.test(":PolicyLink add and remove a file; a missing file is one clear error", function()
  local path = vim.fn.tempname() .. ".txt"
  vim.fn.writefile({
    "The harbour board met on Monday.",
    "",
    "The \"Blue Harbour Plan\" sets out how the port grows. The Blue Harbour Plan was approved in May.",
  }, path)
  local buf = open_note()
  api.nvim_buf_set_lines(buf, -1, -1, false, { "", "Under the Blue Harbour Plan, ships wait less." })
  h.notes = {}
  vim.cmd("PolicyLink add " .. vim.fn.fnameescape(path))
  t.truthy(h.notes[1].msg:match("^policylink: added "), h.notes[1].msg)
  t.truthy(require("policylink").explain("Blue Harbour Plan"), "the new source's term is known")
  local links = require("policylink").buffer_links(buf)
  t.eq(links[#links].term, "Blue Harbour Plan")
  t.eq(links[#links].start_row, 20)
  t.eq(links[#links].start_col, 10)
  h.notes = {}
  vim.cmd("PolicyLink remove " .. vim.fn.fnameescape(path))
  t.eq(h.notes[1].msg, "policylink: removed " .. vim.fn.fnamemodify(path, ":t") .. " from the library")
  t.eq(require("policylink").explain("Blue Harbour Plan"), nil)
  links = require("policylink").buffer_links(buf)
  t.eq(links[#links].term, "Five Industrial Bases")
  h.notes = {}
  vim.cmd("PolicyLink add /nonexistent/article.txt")
  t.eq(h.notes[1].msg, "policylink: cannot find '/nonexistent/article.txt': No such file or directory")
  t.eq(h.notes[1].level, vim.log.levels.ERROR)
  h.notes = {}
  vim.cmd("PolicyLink remove /nonexistent/article.txt")
  t.eq(h.notes[1].msg, "policylink: removed /nonexistent/article.txt")
  h.notes = {}
  vim.cmd("PolicyLink remove /nonexistent/article.txt")
  t.eq(h.notes[1].msg, "policylink: no source '/nonexistent/article.txt' (see :PolicyLink sources)")
  t.eq(h.notes[1].level, vim.log.levels.ERROR)
  h.notes = {}
  vim.cmd("PolicyLink remove " .. vim.fn.fnameescape(h.ARTICLE))
  t.eq(h.notes[1].msg, "policylink: removed " .. TITLE .. " for this session; it is in the 'sources' option")
  t.eq(require("policylink").explain("Five Industrial Bases"), nil)
  vim.cmd("PolicyLink refresh")
  t.truthy(require("policylink").explain("Five Industrial Bases"), "refresh loads the option's sources again")
  os.remove(path)
end)

t.test(":PolicyLink export writes the glossary page", function()
  local path = vim.fn.tempname() .. ".md"
  h.notes = {}
  vim.cmd("PolicyLink export " .. vim.fn.fnameescape(path))
  if not require("policylink.core").glossary_format then
    t.contains(h.notes[1].msg, "writing the glossary page needs a newer compiled core; run `make` in ")
    return
  end
  t.eq(h.notes[1].msg, "policylink: wrote the glossary to " .. path)
  local page = read(path)
  t.eq(page:sub(1, 59), "# Glossary\n\n## new quality productive forces\nKind: phrase\n\n")
  t.contains(page, "\n## Five Industrial Bases\nCase: capitalized\nKind: name\n\nThe Five Industrial Bases — basic parts")
  t.contains(page, "Source: [" .. TITLE .. "](" .. h.ARTICLE .. "), sentence 19\n")
  local parsed = require("policylink.core").glossary_parse(page)
  t.eq(#parsed.entries, #require("policylink.sources").glossary().entries)
  os.remove(path)
end)

t.test("a glossary page given in the options is merged with the sources", function()
  if not require("policylink.core").glossary_parse then
    return
  end
  local page = vim.fn.tempname() .. ".md"
  vim.fn.writefile({
    "# Glossary", "", "Exclude: future-oriented industries", "",
    "## Five Industrial Bases", "Aliases: industrial bases", "",
    "Basic parts, materials, processes, technologies and software.", "",
    "## Blue economy", "", "The economy of the sea.",
  }, page)
  require("policylink").setup({ sources = { h.ARTICLE }, glossary = page })
  local buf = open_note()
  api.nvim_buf_set_lines(buf, -1, -1, false, { "", "The blue economy and the industrial bases." })
  local terms = {}
  for _, l in ipairs(require("policylink").buffer_links(buf)) do
    terms[#terms + 1] = l.term
  end
  t.eq(table.concat(terms, ","), "new quality productive forces,local conditions,Four Improvements,"
    .. "One Optimization,new quality productive forces,Five Industrial Bases,Blue economy,Five Industrial Bases")
  local record = require("policylink").explain("industrial bases")
  t.eq(record.term, "Five Industrial Bases")
  t.eq(record.explanation, "Basic parts, materials, processes, technologies and software.")
  vim.cmd("PolicyLink link")
  t.contains(buffer_text(buf), "The [blue economy](" .. page .. "#blue-economy)")
  require("policylink").setup({ sources = { h.ARTICLE } })
  os.remove(page)
end)

h.run()
