--[[
policylink.lua: a pandoc Lua filter that links a document's glossary terms,
with the `policylink` program finding them (pandoc runs Lua 5.3 and cannot
load the compiled core, so the filter runs the program through pandoc.pipe).

  pandoc note.md -L policylink.lua -o note.html

Options, in the document's metadata (all optional):

  policylink:
    glossary: glossary.md     # the glossary page, relative to where pandoc runs
    link: glossary.html       # the links' target (default: glossary, .md -> .html)
    once: true                # true: first occurrence only; section: per section
    format: auto              # links (tooltips), footnotes, or auto: links for
                              # HTML output, footnotes for every other format
    headers: false            # true: link terms in headers too
    program: policylink       # the program (default: policylink on PATH)

Terms are never linked inside code, math, raw HTML/TeX, links or images.
Works with pandoc 2.17 (Debian 12) and later.
]]

local stringify = pandoc.utils.stringify

-- JSON -------------------------------------------------------------------
-- pandoc 2.17 has no JSON module; this reads what `policylink link --format
-- json` writes.

local decode_value

local function skip(s, pos)
  return s:find("[^ \t\r\n]", pos) or #s + 1
end

local function utf8_of(cp)
  return utf8.char(cp)
end

local function decode_string(s, pos)
  local out, i = {}, pos + 1
  while true do
    local c = s:sub(i, i)
    if c == '"' then
      return table.concat(out), i + 1
    elseif c == "\\" then
      local e = s:sub(i + 1, i + 1)
      if e == "u" then
        local cp = tonumber(s:sub(i + 2, i + 5), 16)
        i = i + 6
        if cp >= 0xD800 and cp < 0xDC00 and s:sub(i, i + 1) == "\\u" then
          local low = tonumber(s:sub(i + 2, i + 5), 16)
          cp = 0x10000 + (cp - 0xD800) * 0x400 + (low - 0xDC00)
          i = i + 6
        end
        out[#out + 1] = utf8_of(cp)
      else
        out[#out + 1] = ({ b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" })[e] or e
        i = i + 2
      end
    elseif c == "" then
      error("policylink filter: unterminated string in the program's JSON")
    else
      local j = s:find('["\\]', i)
      out[#out + 1] = s:sub(i, (j or #s + 1) - 1)
      i = j or #s + 1
    end
  end
end

function decode_value(s, pos)
  pos = skip(s, pos)
  local c = s:sub(pos, pos)
  if c == "{" then
    local obj = {}
    pos = skip(s, pos + 1)
    if s:sub(pos, pos) == "}" then
      return obj, pos + 1
    end
    while true do
      local key
      key, pos = decode_string(s, skip(s, pos))
      pos = skip(s, pos) + 1 -- the colon
      obj[key], pos = decode_value(s, pos)
      pos = skip(s, pos)
      local sep = s:sub(pos, pos)
      pos = pos + 1
      if sep == "}" then
        return obj, pos
      end
    end
  elseif c == "[" then
    local arr = {}
    pos = skip(s, pos + 1)
    if s:sub(pos, pos) == "]" then
      return arr, pos + 1
    end
    while true do
      arr[#arr + 1], pos = decode_value(s, pos)
      pos = skip(s, pos)
      local sep = s:sub(pos, pos)
      pos = pos + 1
      if sep == "]" then
        return arr, pos
      end
    end
  elseif c == '"' then
    return decode_string(s, pos)
  elseif s:sub(pos, pos + 3) == "true" then
    return true, pos + 4
  elseif s:sub(pos, pos + 4) == "false" then
    return false, pos + 5
  elseif s:sub(pos, pos + 3) == "null" then
    return nil, pos + 4
  end
  local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
  if not num or num == "" then
    error("policylink filter: unexpected JSON from the program at byte " .. pos)
  end
  return tonumber(num), pos + #num
end

-- Options ----------------------------------------------------------------

local function options(meta)
  local m = meta.policylink or {}
  local function get(key)
    local v = m[key]
    if v == nil then
      return nil
    elseif type(v) == "boolean" then
      return v
    end
    local s = stringify(v)
    if s == "true" then
      return true
    elseif s == "false" then
      return false
    end
    return s
  end
  local o = {
    glossary = get("glossary") or "glossary.md",
    once = get("once") or false,
    format = get("format") or "auto",
    headers = get("headers") or false,
    program = get("program") or "policylink",
  }
  o.link = get("link") or o.glossary:gsub("%.md$", ".html")
  if o.format == "auto" then
    local html = FORMAT:match("html") or FORMAT:match("epub") or FORMAT:match("revealjs")
      or FORMAT == "slidy" or FORMAT == "s5" or FORMAT == "dzslides"
    o.format = html and "links" or "footnotes"
  end
  if o.format ~= "links" and o.format ~= "footnotes" then
    error("policylink filter: format must be links, footnotes or auto, not '" .. o.format .. "'")
  end
  if o.once ~= true and o.once ~= false and o.once ~= "section" then
    error("policylink filter: once must be true, false or section, not '" .. tostring(o.once) .. "'")
  end
  return o
end

-- The document as text ---------------------------------------------------
-- Each run of words (Str, Space, SoftBreak, LineBreak) not inside code, a
-- link or an image becomes a paragraph of one text, so the program sees the
-- whole document at once (one run, `once` across the document). A header
-- becomes a bare "## -" line, so `once: section` starts again after it; its
-- words, when `headers` is set, follow as a paragraph of their own.

local CONTAINERS = { Emph = true, Strong = true, Underline = true, Strikeout = true, Superscript = true,
  Subscript = true, SmallCaps = true, Quoted = true, Cite = true, Span = true }
local WORDS = { Str = true, Space = true, SoftBreak = true, LineBreak = true }

-- Markdown syntax in literal text would change what the program skips;
-- each such byte becomes another one-byte punctuation mark.
local NEUTRAL = { ["`"] = "'", ["<"] = "(", [">"] = ")", ["["] = "(", ["]"] = ")", ["~"] = "-", ["\\"] = "/",
  ["#"] = "+", ["$"] = "+", ["*"] = "+", ["_"] = "-", ["|"] = "/" }

local function word_text(el)
  if el.t == "Str" then
    return (el.text:gsub("[`<>%[%]~\\#$*_|]", NEUTRAL))
  elseif el.t == "Space" then
    return " "
  end
  return "\n"
end

-- Walks the document in order; `on_run(elements)` gets each run and returns
-- the inlines to put in its place.
local function walker(opts, on_run, on_header)
  local filter
  local function inlines(list)
    local out, run = {}, {}
    local function flush()
      if #run > 0 then
        for _, el in ipairs(on_run(run)) do
          out[#out + 1] = el
        end
        run = {}
      end
    end
    for _, el in ipairs(list) do
      if WORDS[el.t] then
        run[#run + 1] = el
      else
        flush()
        if CONTAINERS[el.t] then
          el.content = inlines(el.content)
        elseif el.t == "Note" then
          el.content = pandoc.Div(el.content):walk(filter).content
        end
        out[#out + 1] = el
      end
    end
    flush()
    return out
  end
  filter = {
    traverse = "topdown",
    Inlines = function(list)
      return inlines(list), false
    end,
    Header = function(h)
      on_header(h)
      if opts.headers then
        h.content = inlines(h.content)
      end
      return h, false
    end,
    CodeBlock = function(b)
      return b, false
    end,
    RawBlock = function(b)
      return b, false
    end,
  }
  return filter
end

local function program_matches(opts, text)
  local args = { "link", "-", "--glossary", opts.glossary, "--format", "json" }
  if opts.once == true then
    args[#args + 1] = "--once"
  elseif opts.once == "section" then
    args[#args + 1] = "--once-per-section"
  end
  local ok, out = pcall(pandoc.pipe, opts.program, args, text)
  if not ok then
    local detail = type(out) == "table" and out.error_code
      and string.format("exit status %d (its message is above)", out.error_code)
      or tostring(out) .. " (is policylink on PATH? or set policylink.program)"
    error(string.format("policylink filter: '%s %s' failed: %s", opts.program, table.concat(args, " "), detail), 0)
  end
  return (decode_value(out, 1)).matches or {}
end

-- Rewriting --------------------------------------------------------------

-- Explanations are Markdown, but often text taken from web pages: raw HTML
-- and TeX in them are read as text, never passed through to the output.
local EXPLANATION = "markdown-raw_html-raw_tex-raw_attribute"

local function tooltip(m)
  if (m.summary or "") == "" then
    return ""
  end
  return stringify(pandoc.read(m.summary, EXPLANATION).blocks)
end

local function wrap(opts, content, m)
  if opts.format == "links" then
    return { pandoc.Link(content, opts.link .. "#" .. m.anchor, tooltip(m), pandoc.Attr("", { "policylink" })) }
  end
  local out = {}
  for _, el in ipairs(content) do
    out[#out + 1] = el
  end
  if (m.explanation or "") ~= "" then
    out[#out + 1] = pandoc.Note(pandoc.read(m.explanation, EXPLANATION).blocks)
  end
  return out
end

-- The run's elements with the matches in [start, stop) wrapped.
local function rebuild(opts, run, start, matches)
  local out, content, pos = {}, nil, start
  local mi = 1
  local function emit(el)
    if content then
      content[#content + 1] = el
    else
      out[#out + 1] = el
    end
  end
  for _, el in ipairs(run) do
    local text = el.t == "Str" and el.text or word_text(el)
    local el_start, el_stop = pos, pos + #text
    local at = el_start
    while at < el_stop do
      local m = matches[mi]
      if not content and m and m.byte_start == at then
        content = {}
      end
      local stop = el_stop
      if content then
        stop = math.min(stop, m.byte_end)
      elseif m and m.byte_start < stop then
        stop = m.byte_start
      end
      if el.t == "Str" then
        emit(pandoc.Str(text:sub(at - el_start + 1, stop - el_start)))
      else
        emit(el)
      end
      at = stop
      if content and at == m.byte_end then
        for _, w in ipairs(wrap(opts, content, m)) do
          out[#out + 1] = w
        end
        content, mi = nil, mi + 1
      end
    end
    pos = el_stop
  end
  return out
end

function Pandoc(doc)
  local opts = options(doc.meta)
  -- First walk: the text, and where each run starts in it.
  local parts, size, starts = { "\n" }, 1, {}
  local function add(s)
    parts[#parts + 1] = s
    size = size + #s
  end
  local first = walker(opts, function(run)
    add("\n")
    starts[#starts + 1] = size
    for _, el in ipairs(run) do
      add(word_text(el))
    end
    add("\n")
    return run
  end, function(h)
    add("\n" .. string.rep("#", h.level) .. " -\n")
  end)
  pandoc.Div(doc.blocks):walk(first)
  local text = table.concat(parts)
  local matches = program_matches(opts, text)
  -- Second walk, in the same order: each run with its matches.
  local index, mi = 0, 1
  local second = walker(opts, function(run)
    index = index + 1
    local start = starts[index]
    local stop = start
    for _, el in ipairs(run) do
      stop = stop + #word_text(el)
    end
    while matches[mi] and matches[mi].byte_start < start do
      mi = mi + 1
    end
    local mine = {}
    while matches[mi] and matches[mi].byte_end <= stop do
      mine[#mine + 1] = matches[mi]
      mi = mi + 1
    end
    if #mine == 0 then
      return run
    end
    return rebuild(opts, run, start, mine)
  end, function() end)
  doc.blocks = pandoc.Div(doc.blocks):walk(second).content
  return doc
end
