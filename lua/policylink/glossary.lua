-- Glossaries built from articles: each extracted term with the sentences
-- that explain it and where they come from. Shared by `policylink glossary`,
-- `policylink link --source` and the Neovim plugin; reading and writing the
-- Markdown page is the core's (core.glossary_parse / core.glossary_format).
local core = require("policylink.core")

local M = {}

local DEFAULT_TOP = 40

-- The explanation of one term (as core.terms gives it with explain = true):
-- its sentences joined into a paragraph, and the first sentence's place as
-- the source reference.
local function explanation_of(term)
  local result = term.explanation
  if not result or #result.sentences == 0 then
    return nil
  end
  local texts = {}
  for i, s in ipairs(result.sentences) do
    texts[i] = s.text
  end
  return table.concat(texts, " "), result.sentences[1].index
end

---Builds a glossary table (as core.glossary_parse returns) from one article.
---@param data string the article's bytes
---@param origin string its path or URL, for the Source: line
---@param opts? {top?: integer, format?: string, title?: string}
---@return table|nil glossary
---@return string|nil message
function M.from_article(data, origin, opts)
  opts = opts or {}
  -- One call: the article is cleaned once and read once for every term.
  local result, message = core.terms(data, { top = opts.top or DEFAULT_TOP, format = opts.format, explain = true })
  if not result then
    return nil, message
  end
  local title = opts.title or (result.document and result.document.title) or origin:match("([^/]+)$") or origin
  local glossary = { entries = {}, exclude = {} }
  for _, term in ipairs(result.terms) do
    local explanation, sentence = explanation_of(term)
    if explanation then
      local aliases, seen = {}, { [core.casefold(term.text)] = true }
      for _, variant in ipairs(term.variants or {}) do
        local key = core.casefold(variant)
        if not seen[key] then
          seen[key] = true
          aliases[#aliases + 1] = variant
        end
      end
      glossary.entries[#glossary.entries + 1] = {
        term = term.text,
        aliases = aliases,
        kind = term.kind,
        case = term.case ~= "insensitive" and term.case or nil,
        explanation = explanation,
        sources = { { title = title, url = origin, sentence = sentence } },
      }
    end
  end
  return glossary
end

---Builds one glossary from several articles (files or "-"): the first
---article to explain a term gives its explanation.
---@param paths string[]
---@param read fun(path: string): string, string reads a path, returns data and a display name
---@param opts? {top?: integer, format?: string}
---@return table|nil glossary
---@return string|nil message
function M.from_sources(paths, read, opts)
  local merged
  for _, path in ipairs(paths) do
    local data, name = read(path)
    local glossary, message = M.from_article(data, path, opts)
    if not glossary then
      return nil, name .. ": " .. message
    end
    if merged then
      merged, message = core.glossary_merge(merged, glossary)
      if not merged then
        return nil, message
      end
    else
      merged = glossary
    end
  end
  return merged or { entries = {}, exclude = {} }
end

-- Bump the version when the extracted glossary of an unchanged source would
-- change, so cached pages are made again; the term count is part of the name.
local CACHE_VERSION = 2

---Builds one glossary from every source of a library, each source's part
---cached by its content hash (an unchanged source is never processed again).
---@param lib table a library from policylink.library.open
---@param opts? {top?: integer}
---@return table|nil glossary
---@return string|nil message
function M.from_library(lib, opts)
  local library = require("policylink.library")
  local merged = { entries = {}, exclude = {} }
  for src, text, message in library.each(lib) do
    if not text then
      return nil, string.format("source %s: %s", src.id, message)
    end
    local name = string.format("glossary-%d-top%d.md", CACHE_VERSION, opts and opts.top or DEFAULT_TOP)
    local page, err = library.cached(lib, src, name, function(s, t)
      local g, why = M.from_article(t, s.origin, { top = opts and opts.top, format = "text", title = s.title })
      if not g then
        error(string.format("source %s: %s", s.id, why), 0)
      end
      return assert(core.glossary_format(g))
    end)
    if not page then
      return nil, err
    end
    local part, parse_message = core.glossary_parse(page)
    if not part then
      return nil, string.format("source %s: cached glossary: %s", src.id, parse_message)
    end
    merged, err = core.glossary_merge(merged, part)
    if not merged then
      return nil, err
    end
  end
  return merged
end

return M
