-- The LuaJIT build of the core (lua/policylink/core.so) inside Neovim.
package.path = _G.PL_ROOT .. "/tests/lua/?.lua;" .. package.path
local t = require("harness")

local read = t.read_file

t.test("core.so loads from the runtimepath", function()
  local ok, core = pcall(require, "policylink.core")
  t.truthy(ok, "require policylink.core: " .. tostring(core))
  t.eq(type(core.clean), "function")
  t.eq(type(core.version), "string")
end)

t.test("clean on the bundled article", function()
  local core = require("policylink.core")
  local doc = assert(core.clean(read(_G.PL_ROOT .. "/examples/new-quality-productive-forces.txt")))
  t.eq(doc.source, "Touch Shanghai")
  t.eq(doc.date, "2024-07-22")
  t.eq(#doc.paragraphs, 6)
  local first = doc.sentences[1]
  t.eq(first.byte_start, 0)
  t.eq(first.paragraph, 1)
  t.eq(doc.text:sub(first.byte_start + 1, first.byte_end):sub(1, 41), "The Third Plenary Session of the 20th Nat")
  t.eq(doc.text:find("Sign in", 1, true), nil)
end)

t.test("matcher:match gives tables, or with flat one list of five integers a match", function()
  local core = require("policylink.core")
  local m = assert(core.matcher({ { text = "new quality", id = 7 }, { text = "Four Improvements", id = 9,
    case = "capitalized" } }))
  local text = "The Four Improvements and\nnew\nquality forces, `new quality`."
  local matches, end_state = m:match(text)
  t.eq(#matches, 2)
  t.eq(matches[2].byte_start .. "-" .. matches[2].byte_end .. " " .. matches[2].line .. ":" .. matches[2].col
    .. "-" .. matches[2].end_line .. ":" .. matches[2].end_col .. " " .. matches[2].id, "26-37 1:0-2:7 7")
  local flat, flat_end = m:match(text, { flat = true })
  t.eq(table.concat(flat, " "), "0 4 0 21 9 1 0 2 7 7")
  t.eq(flat_end, end_state)
end)

t.test("bad input comes back as nil, message, code", function()
  local core = require("policylink.core")
  local doc, message, code = core.clean("")
  t.eq(doc, nil)
  t.eq(message, "input is empty")
  t.eq(code, "empty")
  doc, message, code = core.clean("%PDF-1.7\n%\226\227\207\211\n1 0 obj")
  t.eq(doc, nil)
  t.eq(code, "binary")
  t.contains(message, "PDF")
end)

t.test("a bad option is a Lua error with a clear message", function()
  local core = require("policylink.core")
  local ok, err = pcall(core.clean, "text", { format = "pdf" })
  t.eq(ok, false)
  t.contains(err, 'format must be "auto", "text" or "html", not "pdf"')
end)

t.test("casefold and tokens", function()
  local core = require("policylink.core")
  t.eq(core.casefold("Straße ÉCOLE"), "strasse école")
  local toks = core.tokens("The high-quality plan")
  t.eq(#toks, 3)
  t.eq(toks[1].stopword, true)
  t.eq(toks[2].byte_start, 4)
  t.eq(toks[2].byte_end, 16)
  t.eq(toks[2].kind, "word")
end)

local failed = t.run(function(s) io.stdout:write(s) end)
io.stdout:flush()
vim.cmd(failed == 0 and "qa!" or "cq!")
