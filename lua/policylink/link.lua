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

return M
