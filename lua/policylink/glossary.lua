-- Glossaries built from articles: each extracted term with the sentences
-- that explain it and where they come from, one part per article, cached in
-- the source library by content hash. Shared by `policylink glossary`,
-- `policylink link --source` and the Neovim plugin, so both make the same
-- glossary; reading and writing the Markdown page is the core's
-- (core.glossary_parse / core.glossary_format).
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
---@param opts? {top?: integer, min_count?: integer, format?: string, title?: string}
---@return table|nil glossary
---@return string|nil message
function M.from_article(data, origin, opts)
  opts = opts or {}
  -- One call: the article is cleaned once and read once for every term.
  local result, message = core.terms(data, {
    top = opts.top or DEFAULT_TOP, min_count = opts.min_count, format = opts.format, explain = true,
  })
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
-- change, so cached pages are made again; the options are part of the name.
local CACHE_VERSION = 2

-- The cache name of a glossary part made with these options: the name
-- `policylink glossary --library` has always used when only top is given.
local function part_name(opts, suffix)
  local name = string.format("glossary-%d-top%d", CACHE_VERSION, opts.top or DEFAULT_TOP)
  if opts.min_count then
    name = name .. "-min" .. opts.min_count
  end
  return name .. (suffix or "") .. ".md"
end

-- A glossary page as its cache holds it (a source without explained terms
-- gives an empty page, which the cache cannot hold: a comment stands in).
local EMPTY_PART = "<!-- policylink: no explained terms -->\n"

local function format_part(g)
  local page, message = core.glossary_format(g)
  if not page then
    return nil, message
  end
  return page ~= "" and page or EMPTY_PART
end

local function parse_part(page)
  local part, message = core.glossary_parse(page)
  if part then
    part.preamble = ""
  end
  return part, message
end

-- Reads the cached part `name` of the text with this hash, or makes it with
-- make() and caches it (when there is a library). Returns the part, and
-- whether the cache had it.
local function cached_part(lib, hash, name, make)
  local function page()
    local g, message = make()
    if not g then
      return nil, message
    end
    return format_part(g)
  end
  local data, message, hit
  if lib then
    data, message, hit = require("policylink.library").cached(lib, hash, name, page)
  else
    data, message = page()
  end
  if not data then
    return nil, message
  end
  local part, parse_message = parse_part(data)
  if not part then
    return nil, "cached glossary: " .. parse_message
  end
  return part, nil, hit
end

---The glossary part of one source of a library: read from the cache by the
---source's content hash, or made from its stored text and cached, so an
---unchanged source is never processed twice. Its preamble is empty.
---@param lib table a library from policylink.library.open
---@param src table a source from lib:list() or lib:get()
---@param opts? {top?: integer, min_count?: integer}
---@return table|nil part
---@return string|nil message
---@return boolean|nil hit whether the cache had it
function M.library_part(lib, src, opts)
  opts = opts or {}
  local part, message, hit = cached_part(lib, src.hash, part_name(opts), function()
    local text, err = lib:text(src.id)
    if not text then
      return nil, err
    end
    return M.from_article(text, src.origin, {
      top = opts.top, min_count = opts.min_count, format = "text", title = src.title,
    })
  end)
  if not part then
    return nil, string.format("source %s: %s", src.id, message)
  end
  return part, nil, hit
end

---The glossary part of an article that is not in the library (a path or URL
---given directly): made with from_article, and cached in lib (when given)
---by the hash of its bytes and its origin.
---@param lib table|nil
---@param data string the article's bytes
---@param origin string
---@param opts? {top?: integer, min_count?: integer, format?: string, title?: string}
---@return table|nil part
---@return string|nil message
---@return boolean|nil hit
function M.article_part(lib, data, origin, opts)
  opts = opts or {}
  local suffix = string.format("-%s-%s", opts.format or "auto", core.hash(origin .. "\n" .. (opts.title or "")))
  return cached_part(lib, core.hash(data), part_name(opts, suffix), function()
    return M.from_article(data, origin, opts)
  end)
end

---Builds one glossary from every source of a library, each source's part
---cached by its content hash (an unchanged source is never processed again).
---@param lib table a library from policylink.library.open
---@param opts? {top?: integer}
---@return table|nil glossary
---@return string|nil message
function M.from_library(lib, opts)
  local list, message = lib:list()
  if not list then
    return nil, message
  end
  local merged = { entries = {}, exclude = {} }
  for _, src in ipairs(list) do
    local part, err = M.library_part(lib, src, opts)
    if not part then
      return nil, err
    end
    merged, err = core.glossary_merge(merged, part)
    if not merged then
      return nil, err
    end
  end
  return merged
end

return M
