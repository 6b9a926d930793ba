-- Linking a note against a glossary: which terms to look for (with their
-- case policy and aliases) and how a found term is written in each output
-- format. Shared by `policylink link` and the Neovim plugin; the finding
-- itself is the core's matcher.
local M = {}

-- Extracted names, quoted terms and acronyms keep their capitals; common
-- phrases match in any case. A glossary's own `Case:` line wins.
local CAPITALIZED_KINDS = { name = true, quoted = true, acronym = true }

---The case policy of a glossary entry.
---@param entry table
---@return string
function M.case_policy(entry)
  if entry.case then
    return entry.case
  end
  return CAPITALIZED_KINDS[entry.kind] and "capitalized" or "insensitive"
end

---Builds a matcher for the entries of a parsed glossary that are not
---excluded. Returns the matcher and the list of entries by matcher id.
---@param core table the compiled core
---@param glossary table as core.glossary_parse returns it
---@return userdata|nil matcher
---@return table|string entries, or an error message
function M.matcher(core, glossary)
  local specs, by_id, excluded = {}, {}, {}
  for _, word in ipairs(glossary.exclude or {}) do
    excluded[core.casefold(word)] = true
  end
  for _, entry in ipairs(glossary.entries or {}) do
    if not entry.excluded and not excluded[core.casefold(entry.term)] then
      by_id[#by_id + 1] = entry
      local id, case = #by_id, M.case_policy(entry)
      specs[#specs + 1] = { text = entry.term, id = id, case = case }
      for _, alias in ipairs(entry.aliases or {}) do
        if not excluded[core.casefold(alias)] then
          specs[#specs + 1] = { text = alias, id = id, case = case }
        end
      end
    end
  end
  local matcher, message = core.matcher(specs)
  if not matcher then
    return nil, message
  end
  return matcher, by_id
end

local function html_escape(s)
  return (s:gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }))
end

-- The first paragraph of an explanation, on one line, cut at a word near
-- `limit` bytes: a tooltip, not the whole entry.
local function summary_of(explanation, limit)
  local first = (explanation or ""):match("^%s*(.-)%s*\n%s*\n") or (explanation or "")
  first = first:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
  if #first > limit then
    -- Never cut inside a UTF-8 character (text without spaces, as Chinese).
    while limit > 0 and (first:byte(limit + 1) or 0) >= 0x80 and first:byte(limit + 1) < 0xC0 do
      limit = limit - 1
    end
    local cut = first:sub(1, limit):match("^(.*) ") or first:sub(1, limit)
    first = cut .. "…"
  end
  return first
end

local renderers = {}

function renderers.markdown(original, entry, opts)
  return string.format("[%s](%s#%s)", original, opts.glossary_link or "glossary.md", entry.anchor)
end

-- With a glossary page, a link to its heading ([[glossary#Term|term]], as
-- Obsidian links headings); without, a link to a page named for the term.
function renderers.wiki(original, entry, opts)
  if opts.wiki_page then
    return "[[" .. opts.wiki_page .. "#" .. entry.term .. "|" .. original .. "]]"
  end
  if original == entry.term then
    return "[[" .. entry.term .. "]]"
  end
  return "[[" .. entry.term .. "|" .. original .. "]]"
end

function renderers.html(original, entry, opts)
  return string.format('<a href="%s#%s" title="%s">%s</a>', html_escape(opts.glossary_link or "glossary.html"),
    html_escape(entry.anchor), html_escape(summary_of(entry.explanation, 300)), html_escape(original))
end

M.formats = { markdown = true, wiki = true, html = true }

---Rewrites text with each match written as a link in `format`.
---@param text string the note
---@param matches table as matcher:match returns them
---@param entries table entries by matcher id
---@param format string "markdown" | "wiki" | "html"
---@param opts? {glossary_link?: string, wiki_page?: string}
---@return string linked text
function M.render(text, matches, entries, format, opts)
  local render = assert(renderers[format], "unknown format " .. tostring(format))
  opts = opts or {}
  local out, pos = {}, 1
  for _, m in ipairs(matches) do
    out[#out + 1] = text:sub(pos, m.byte_start)
    out[#out + 1] = render(text:sub(m.byte_start + 1, m.byte_end), entries[m.id], opts)
    pos = m.byte_end + 1
  end
  out[#out + 1] = text:sub(pos)
  return table.concat(out)
end

---A tooltip-sized explanation (first paragraph, cut near limit bytes).
M.summary_of = summary_of

-- Byte ranges [start, stop] (1-based, inclusive) of code in a Markdown
-- text: fenced blocks and inline code spans, where links are never written.
local function code_ranges(text)
  local ranges = {}
  local pos, fence, fence_start = 1, nil, nil
  local n = #text
  while pos <= n do
    local line_end = text:find("\n", pos, true) or (n + 1)
    local line = text:sub(pos, line_end - 1)
    local marker = line:match("^ ? ? ?(```+)") or line:match("^ ? ? ?(~~~+)")
    if fence then
      if marker and marker:sub(1, 1) == fence:sub(1, 1) and #marker >= #fence
        and line:match("^ ? ? ?[`~]+%s*$") then
        ranges[#ranges + 1] = { fence_start, line_end - 1 }
        fence = nil
      end
    elseif marker then
      fence, fence_start = marker, pos
    else
      -- Inline code: a run of backticks up to the next run of the same
      -- length (within the line: a span across lines is rare in notes).
      local i = 1
      while true do
        local a, b = line:find("`+", i)
        if not a then
          break
        end
        local run = b - a + 1
        local j, close = b + 1, nil
        while true do
          local c, d = line:find("`+", j)
          if not c then
            break
          end
          if d - c + 1 == run then
            close = d
            break
          end
          j = d + 1
        end
        if not close then
          break
        end
        ranges[#ranges + 1] = { pos + a - 1, pos + close - 1 }
        i = close + 1
      end
    end
    pos = line_end + 1
  end
  if fence then
    ranges[#ranges + 1] = { fence_start, n }
  end
  return ranges
end

local function html_unescape(s)
  return (s:gsub("&(#?%w+);", { amp = "&", lt = "<", gt = ">", quot = '"', ["#39"] = "'" }))
end

---Finds the links `render` writes, in text order: Markdown `[text](LINK#anchor)`
---and HTML `<a href="LINK#anchor" ...>text</a>` whose LINK is glossary_link,
---wiki `[[Term]]`, `[[Term|text]]` and `[[PAGE#Term|text]]` whose Term is a
---glossary term (is_term) and PAGE wiki_page; never inside code.
---@param text string
---@param opts {glossary_link: string, is_term: fun(name: string): boolean, wiki_page?: string}
---@return table[] { byte_start, byte_end (0-based, end exclusive), text = the words linked }
function M.find_links(text, opts)
  local links = {}
  local code = code_ranges(text)
  local ci = 1
  local target = opts.glossary_link .. "#"
  local html_target = html_escape(opts.glossary_link) .. "#"
  local pos = 1
  while true do
    local i = text:find("[%[<]", pos)
    if not i then
      break
    end
    while code[ci] and code[ci][2] < i do
      ci = ci + 1
    end
    local stop, words
    if code[ci] and code[ci][1] <= i then
      stop = code[ci][2]
    elseif text:sub(i, i + 1) == "[[" then
      local a, b, name, shown = text:find("^%[%[([^%[%]|]+)|([^%[%]]+)%]%]", i)
      if not a then
        a, b, name = text:find("^%[%[([^%[%]|]+)%]%]", i)
      end
      if a then
        local page, term = name:match("^(.-)#(.+)$")
        if (page and page == opts.wiki_page and opts.is_term(term)) or (not page and opts.is_term(name)) then
          stop, words = b, shown or name
        else
          stop = b
        end
      end
    elseif text:sub(i, i) == "[" and text:sub(i - 1, i - 1) ~= "!" and text:sub(i - 1, i - 1) ~= "\\" then
      local a, b, shown, url = text:find("^%[([^%[%]]+)%]%(([^%s()]+)%)", i)
      if a and url:sub(1, #target) == target and #url > #target then
        stop, words = b, shown
      end
    elseif text:sub(i, i + 8) == '<a href="' then
      local a, b, url, inner = text:find('^<a href="([^"]*)" title="[^"]*">(.-)</a>', i)
      if a and url:sub(1, #html_target) == html_target and #url > #html_target then
        stop, words = b, html_unescape(inner)
      end
    end
    if words then
      links[#links + 1] = { byte_start = i - 1, byte_end = stop, text = words }
    end
    pos = (stop or i) + 1
  end
  return links
end

---Rewrites text with each link of find_links replaced by its words.
---@param text string
---@param links table[] from find_links (in text order)
---@return string
function M.unlink(text, links)
  local out, pos = {}, 1
  for _, l in ipairs(links) do
    out[#out + 1] = text:sub(pos, l.byte_start)
    out[#out + 1] = l.text
    pos = l.byte_end + 1
  end
  out[#out + 1] = text:sub(pos)
  return table.concat(out)
end

return M
