-- Tests of the policylink program as a person uses it: exit statuses, exact
-- error lines, and output on the bundled article. Run with lua5.4:
--   lua5.4 tests/lua/test_cli.lua BUILD/policylink SOURCE_DIR
local program, root = arg[1], arg[2]
package.path = root .. "/tests/lua/?.lua;" .. root .. "/lua/?.lua;" .. package.path
local t = require("harness")
local json = require("policylink.json")

local ARTICLE = root .. "/examples/new-quality-productive-forces.txt"
local tmpdir = os.tmpname()
os.remove(tmpdir)
assert(os.execute("mkdir -p '" .. tmpdir .. "'"))

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function write_file(name, data)
  return t.write_file(tmpdir .. "/" .. name, data)
end

local read_file = t.read_file

-- Runs the program with args (a list), optional stdin data; returns status,
-- stdout, stderr.
local function run(args, stdin)
  local quoted = {}
  for i, a in ipairs(args) do
    quoted[i] = shell_quote(a)
  end
  local out, errf = tmpdir .. "/stdout", tmpdir .. "/stderr"
  local cmd = shell_quote(program) .. " " .. table.concat(quoted, " ") .. " >" .. out .. " 2>" .. errf
  if stdin then
    cmd = cmd .. " <" .. shell_quote(write_file("stdin", stdin))
  else
    cmd = cmd .. " </dev/null"
  end
  local _, _, status = os.execute(cmd)
  return status, read_file(out), read_file(errf)
end

local article = read_file(ARTICLE)

t.test("--help lists the commands and exits 0", function()
  local status, out = run({ "--help" })
  t.eq(status, 0)
  t.contains(out, "Usage: policylink COMMAND")
  t.contains(out, "  text ")
  t.contains(out, "  sentences ")
end)

t.test("no arguments prints help to stderr and exits 2", function()
  local status, out, err = run({})
  t.eq(status, 2)
  t.eq(out, "")
  t.contains(err, "Usage: policylink COMMAND")
end)

t.test("every command has --help", function()
  for _, cmd in ipairs({ "text", "sentences" }) do
    local status, out = run({ cmd, "--help" })
    t.eq(status, 0, cmd)
    t.contains(out, "Usage: policylink " .. cmd .. " FILE|-")
  end
end)

t.test("unknown command is a usage error", function()
  local status, out, err = run({ "frobnicate" })
  t.eq(status, 2)
  t.eq(out, "")
  t.eq(err, "policylink: unknown command 'frobnicate'\nTry 'policylink --help'.\n")
end)

t.test("unknown option is a usage error naming the command", function()
  local status, _, err = run({ "text", "--colour", ARTICLE })
  t.eq(status, 2)
  t.eq(err, "policylink: unknown option '--colour'\nTry 'policylink text --help'.\n")
end)

t.test("a bad --format value is a usage error", function()
  local status, _, err = run({ "text", "--format=pdf", ARTICLE })
  t.eq(status, 2)
  t.contains(err, "option '--format' does not take 'pdf' (choose from: auto, html, text)")
end)

t.test("missing file argument is a usage error", function()
  local status, _, err = run({ "text" })
  t.eq(status, 2)
  t.contains(err, "policylink: missing FILE (a path, or - for standard input)")
end)

t.test("a file that does not exist fails with one line", function()
  local status, out, err = run({ "text", tmpdir .. "/nope.txt" })
  t.eq(status, 1)
  t.eq(out, "")
  t.eq(err, "policylink: cannot read '" .. tmpdir .. "/nope.txt': No such file or directory\n")
end)

t.test("a directory fails with one line", function()
  local status, _, err = run({ "text", tmpdir })
  t.eq(status, 1)
  t.contains(err, "policylink: cannot read '" .. tmpdir .. "': Is a directory")
end)

t.test("an empty file is refused", function()
  local path = write_file("empty.txt", "")
  local status, out, err = run({ "text", path })
  t.eq(status, 1)
  t.eq(out, "")
  t.eq(err, "policylink: " .. path .. ": input is empty\n")
end)

t.test("white space only is refused", function()
  local path = write_file("blank.txt", " \n\t\n  \n")
  local status, _, err = run({ "text", path })
  t.eq(status, 1)
  t.eq(err, "policylink: " .. path .. ": input has only white space\n")
end)

t.test("a PNG renamed .txt is refused as binary", function()
  local path = write_file("image.txt", "\137PNG\r\n\26\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\8\6\0\0\0")
  local status, out, err = run({ "sentences", path })
  t.eq(status, 1)
  t.eq(out, "")
  t.contains(err, "policylink: " .. path .. ": ")
  t.contains(err, "PNG")
end)

t.test("invalid UTF-8 is repaired with a warning", function()
  local path = write_file("bad.txt", "Prices rose \255 sharply in the third quarter of the year. They fell again later.\n")
  local status, out, err = run({ "sentences", path })
  t.eq(status, 0)
  t.eq(out, "Prices rose \239\191\189 sharply in the third quarter of the year.\nThey fell again later.\n")
  t.eq(err, "policylink: warning: " .. path .. ": 1 invalid UTF-8 byte replaced with U+FFFD\n")
end)

t.test("text on the bundled article keeps the body and drops the chrome", function()
  local status, out, err = run({ "text", ARTICLE })
  t.eq(status, 0)
  t.eq(err, "")
  t.contains(out, "Title: Bolster the systems and mechanisms for developing new quality productive forces in accordance with local conditions\n")
  t.contains(out, "Date: 2024-07-22\n")
  t.contains(out, "Author: Tang Yunyi, the Deputy Director of the Institute of Applied Economics of the Shanghai Academy of Social Sciences\n")
  t.contains(out, "Source: Touch Shanghai\n")
  -- every paragraph of the body, whole
  local body_paragraphs = 0
  -- The page has no-break spaces after some full stops; cleaning makes them plain spaces.
  for para in article:gsub("\194\160", " "):gmatch("[^\n]+") do
    if #para > 300 then
      body_paragraphs = body_paragraphs + 1
      t.contains(out, "\n" .. para .. "\n", "body paragraph " .. body_paragraphs)
    end
  end
  t.eq(body_paragraphs, 6)
  for _, chrome in ipairs({ "Sign in", "Forgot password", "Processing", "Received", "view more", "Q:", "A:",
    "Application Status", "The author is", "Source: Touch Shanghai\n\n" }) do
    t.lacks(out:gsub("^.-\n\n", ""), chrome, "chrome")
  end
end)

t.test("text --json carries the metadata", function()
  local status, out = run({ "text", "--json", ARTICLE })
  t.eq(status, 0)
  local doc = json.decode(out)
  t.eq(doc.author, "Tang Yunyi, the Deputy Director of the Institute of Applied Economics of the Shanghai Academy of Social Sciences")
  t.eq(doc.source, "Touch Shanghai")
  t.eq(doc.date, "2024-07-22")
  t.eq(doc.format, "text")
  t.eq(doc.paragraph_count, 6)
  t.eq(doc.text:sub(1, 36), "The Third Plenary Session of the 20t")
end)

t.test("sentences --json offsets index the cleaned text", function()
  local _, text_out = run({ "text", "--json", ARTICLE })
  local text = json.decode(text_out).text
  local status, out = run({ "sentences", "--json", ARTICLE })
  t.eq(status, 0)
  local result = json.decode(out)
  t.eq(result.paragraph_count, 6)
  t.truthy(#result.sentences >= 35, "at least 35 sentences, got " .. #result.sentences)
  local last_paragraph = 0
  for i, s in ipairs(result.sentences) do
    t.eq(s.index, i - 1)
    t.eq(text:sub(s.byte_start + 1, s.byte_end), s.text, "sentence " .. i)
    t.truthy(s.paragraph >= last_paragraph, "paragraph order")
    last_paragraph = s.paragraph
  end
  t.eq(result.sentences[1].text, "The Third Plenary Session of the 20th National Congress of the Communist Party of China proposed “Four Improvements” and “One Optimization” to enhance the systems and mechanisms for promoting high-quality economic development.")
  t.eq(result.sentences[#result.sentences].text, "Additionally, this collaboration can enable developed regions to play a leading role in supporting underdeveloped areas, helping to narrow the regional development gap.")
end)

t.test("standard input is read for -", function()
  local status, out = run({ "sentences", "-" }, "Dr. Smith arrived at 3 p.m. on Monday. He left at 5.\n")
  t.eq(status, 0)
  t.eq(out, "Dr. Smith arrived at 3 p.m. on Monday.\nHe left at 5.\n")
end)

t.test("defines --sentences reads each line after the ones before it", function()
  local filler = "Cells store energy in many different ways over the course of a day.\n"
  local microglia = "Microglia scavenge dead neurons and degrade cellular debris in the brain.\n"
  -- alone: 2 points, below the 3 a technical subject needs without a pattern
  local status, out = run({ "defines", "--sentences", "-" }, microglia)
  t.eq(status, 0)
  t.eq(out, "0\n")
  -- after a line of everyday words its technical words are new: 3 points
  status, out = run({ "defines", "--sentences", "-" }, filler .. microglia)
  t.eq(status, 0)
  t.eq(out, "0\n1\n")
  status, out = run({ "defines", "--sentences", "--json", "-" }, filler .. microglia)
  t.eq(status, 0)
  local result = json.decode(out)
  t.eq(result.sentences[2].score, 3)
  t.eq(table.concat(result.sentences[2].cues, " "), "term_subject new_terms")
end)

t.test("defines reads an article's sentences in order", function()
  local path = write_file("cells.txt", "Cells store energy in many different ways over the course of a day.\n\n"
    .. "Microglia scavenge dead neurons and degrade cellular debris in the brain.\n")
  local status, out = run({ "defines", path })
  t.eq(status, 0)
  t.eq(out, "Microglia scavenge dead neurons and degrade cellular debris in the brain.\n")
end)

t.test("HTML is read as HTML", function()
  local page = [[<!DOCTYPE html><html><head><title>Ports and trade</title><script>var x = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ports and trade</h1><p>The port handled more containers this year than in any year before. Officials said the new terminal was the reason.</p>
<p>Trade with neighbouring regions grew by a fifth, and the customs office processed clearances faster than it had in the past.</p></article>
<footer>Copyright 2026</footer></body></html>]]
  local path = write_file("page.html", page)
  local status, out = run({ "text", "--body", path })
  t.eq(status, 0)
  t.eq(out, "The port handled more containers this year than in any year before. Officials said the new terminal was the reason.\n\n"
    .. "Trade with neighbouring regions grew by a fifth, and the customs office processed clearances faster than it had in the past.\n")
end)

t.test("summarize -n 5 covers the introduction and the four sections", function()
  local status, out, err = run({ "summarize", "-n", "5", ARTICLE })
  t.eq(status, 0)
  t.eq(err, "")
  local lines = {}
  for line in out:gmatch("[^\n]+") do
    lines[#lines + 1] = line
  end
  t.eq(#lines, 5)
  t.eq(lines[1]:sub(1, 58), "The Third Plenary Session of the 20th National Congress of")
  for i = 2, 5 do
    t.eq(lines[i]:sub(1, 40), "To develop new quality productive forces", "section " .. (i - 1))
  end
end)

t.test("summarize --chars honours the budget exactly", function()
  local status, out = run({ "summarize", "--chars", "600", "--json", ARTICLE })
  t.eq(status, 0)
  local result = json.decode(out)
  local total = 0
  for i, s in ipairs(result.sentences) do
    total = total + utf8.len(s.text) + (i > 1 and 1 or 0)
  end
  t.truthy(#result.sentences >= 1, "at least one sentence")
  t.truthy(total <= 600, "total " .. total .. " <= 600")
end)

t.test("summarize --focus picks the sentence that lists the Five Industrial Bases", function()
  local status, out = run({ "summarize", "--focus", "Five Industrial Bases", "-n", "1", ARTICLE })
  t.eq(status, 0)
  t.eq(out, "The Five Industrial Bases — basic parts, basic materials, basic processes, basic technologies, and basic software — remain highly dependent on foreign sources, indicating an unstable industrial foundation.\n")
end)

t.test("summarize rejects a bad sentence count", function()
  local status, _, err = run({ "summarize", "-n", "zero", ARTICLE })
  t.eq(status, 2)
  t.eq(err, "policylink: option '--sentences' needs a whole number, not 'zero'\nTry 'policylink summarize --help'.\n")
end)

t.test("explain gives the sentence that lists the Five Industrial Bases", function()
  local status, out, err = run({ "explain", ARTICLE, "Five Industrial Bases" })
  t.eq(status, 0)
  t.eq(err, "")
  t.eq(out, "The Five Industrial Bases — basic parts, basic materials, basic processes, basic technologies, and basic software — remain highly dependent on foreign sources, indicating an unstable industrial foundation.\n")
end)

t.test("explain of a term the article does not use warns and prints nothing", function()
  local status, out, err = run({ "explain", ARTICLE, "quantum gravity" })
  t.eq(status, 0)
  t.eq(out, "")
  t.eq(err, "policylink: warning: " .. ARTICLE .. ": no sentence mentions 'quantum gravity'\n")
end)

t.test("explain without a term is a usage error", function()
  local status, _, err = run({ "explain", ARTICLE })
  t.eq(status, 2)
  t.eq(err, "policylink: missing TERM\nTry 'policylink explain --help'.\n")
end)

local NOTE = [[
---
title: Notes on the plenum
---
# Reading notes

The plenum set out the Four Improvements. Developing new quality
productive forces depends on local conditions; see `local conditions` in code.

```
new quality productive forces in a fence
```

Already linked: [new quality productive forces](glossary.md#x). The four improvements in lowercase.
]]

local BRIBERY = "Title line\n\nThe bribery of officials is a crime in the market. Officials said the market "
  .. "fell after the bribery came to light. Bribery is costly for the market, and bribery is a crime. "
  .. "Many say the market will recover.\n"

t.test("terms leaves everyday single words out; --terminology lets them in, discounted", function()
  local path = write_file("bribery.txt", BRIBERY)
  local status, out, err = run({ "terms", "--format", "text", path })
  t.eq(status, 0, err)
  t.eq(out, "bribery\tphrase\t4.00\t4\n")
  status, out, err = run({ "terms", "--format", "text", "--terminology", path })
  t.eq(status, 0, err)
  t.eq(out, "bribery\tphrase\t4.00\t4\ncrime\tphrase\t1.00\t2\nofficials\tphrase\t1.00\t2\n"
    .. "market\tphrase\t0.80\t4\n")
end)

local function make_glossary()
  local path = tmpdir .. "/glossary.md"
  local status, _, err = run({ "glossary", "--top", "12", ARTICLE, "-o", path })
  t.eq(status, 0, err)
  return path
end

t.test("glossary writes a page with the article's terms and their explanations", function()
  local text = read_file(make_glossary())
  t.eq(text:sub(1, 11), "# Glossary\n")
  t.contains(text, "\n## Five Industrial Bases\nCase: capitalized\nKind: name\n\nThe Five Industrial Bases — basic parts, basic materials, basic processes, basic technologies, and basic software — remain highly dependent on foreign sources, indicating an unstable industrial foundation.\n\nSource: [Bolster the systems and mechanisms for developing new quality productive forces in accordance with local conditions](" .. ARTICLE .. "), sentence 19\n")
  t.contains(text, "\n## new quality productive forces\n")
  t.contains(text, "\n## Four Improvements\n")
  t.lacks(text, "Sign in")
end)

t.test("glossary --merge keeps the user's entries and exclusions", function()
  local mine = write_file("mine.md", "Exclude: innovation\n\n## Five Industrial Bases\n\nMy own words.\n")
  local status, out = run({ "glossary", "--top", "12", "--merge", mine, ARTICLE })
  t.eq(status, 0)
  t.contains(out, "## Five Industrial Bases\n\nMy own words.\n")
  t.lacks(out, "## innovation\n")
  t.contains(out, "## Four Improvements\n")
end)

t.test("link writes Markdown links, never in code, front matter or existing links", function()
  local glossary = make_glossary()
  local note = write_file("note.md", NOTE)
  local status, out, err = run({ "link", note, "--glossary", glossary })
  t.eq(status, 0, err)
  t.eq(out, NOTE:gsub("set out the Four Improvements%. Developing new quality\nproductive forces depends on local conditions;",
    "set out the [Four Improvements](glossary.md#four-improvements). Developing [new quality\nproductive forces](glossary.md#new-quality-productive-forces) depends on [local conditions](glossary.md#local-conditions);"))
end)

t.test("link --in-place is atomic, keeps a backup and is idempotent", function()
  local glossary = make_glossary()
  local note = write_file("note.md", NOTE)
  local status, _, err = run({ "link", note, "-g", glossary, "--in-place", "--backup" })
  t.eq(status, 0)
  t.eq(err, "policylink: " .. note .. ": 3 links added\n")
  t.eq(read_file(note .. ".bak"), NOTE)
  local linked = read_file(note)
  status, _, err = run({ "link", note, "-g", glossary, "--in-place" })
  t.eq(status, 0)
  t.eq(err, "policylink: " .. note .. ": unchanged\n")
  t.eq(read_file(note), linked)
end)

t.test("link --format html escapes the explanation", function()
  local glossary = write_file("g.md", "## Tariff\n\nA tax on <script>imports</script> & \"goods\".\n")
  local note = write_file("n.md", "The tariff rose.\n")
  local status, out = run({ "link", note, "-g", glossary, "--format", "html" })
  t.eq(status, 0)
  t.eq(out, 'The <a href="g.html#tariff" title="A tax on &lt;script&gt;imports&lt;/script&gt; &amp; &quot;goods&quot;.">tariff</a> rose.\n')
end)

t.test("link --format json gives spans with lines and columns", function()
  local glossary = write_file("g.md", "## new quality productive forces\n\nForces.\n")
  local note = write_file("n.md", "Developing new quality\nproductive forces.\n")
  local status, out = run({ "link", note, "-g", glossary, "--format", "json" })
  t.eq(status, 0)
  local m = json.decode(out).matches
  t.eq(#m, 1)
  t.eq(m[1].byte_start, 11)
  t.eq(m[1].byte_end, 40)
  t.eq(m[1].line, 0)
  t.eq(m[1].col, 11)
  t.eq(m[1].end_line, 1)
  t.eq(m[1].end_col, 17)
  t.eq(m[1].anchor, "new-quality-productive-forces")
end)

t.test("link without a glossary is a usage error; a broken glossary names its line", function()
  local note = write_file("n.md", "text\n")
  local status, _, err = run({ "link", note })
  t.eq(status, 2)
  t.contains(err, "give a glossary (--glossary G.md) or articles (--source ARTICLE)")
  local bad = write_file("bad.md", "## Term\nCase: shouting\n\nText.\n")
  status, _, err = run({ "link", note, "-g", bad })
  t.eq(status, 1)
  t.contains(err, "policylink: " .. bad .. ": line 2")
end)

t.test("glossary --library uses every source of the library, cached by content", function()
  local lib = tmpdir .. "/library"
  local status, _, err = run({ "add", "--library", lib, ARTICLE })
  t.eq(status, 0, err)
  local first
  status, first = run({ "glossary", "--library=" .. lib, "--top", "12" })
  t.eq(status, 0)
  t.contains(first, "\n## Five Industrial Bases\n")
  t.contains(first, "\n## Four Improvements\n")
  local again
  status, again = run({ "glossary", "--library=" .. lib, "--top", "12" })
  t.eq(status, 0)
  t.eq(again, first)
  local cached = io.popen("ls '" .. lib .. "'/cache/*/glossary-2-top12.md 2>/dev/null | wc -l"):read("a")
  t.eq(tonumber(cached), 1)
end)

t.test("glossary with neither articles nor --library is a usage error", function()
  local status, _, err = run({ "glossary" })
  t.eq(status, 2)
  t.eq(err, "policylink: missing ARTICLE (a path, or - for standard input), or --library\nTry 'policylink glossary --help'.\n")
end)

local failed = t.run(io.write)
os.execute("rm -rf '" .. tmpdir .. "'")
os.exit(failed == 0 and 0 or 1)
