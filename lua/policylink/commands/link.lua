-- policylink link: the glossary's terms in a note, as links or as spans; a
-- folder of notes at once with --in-place or --dry-run (see batch.lua).
local core = require("policylink.core")
local batch = require("policylink.batch")
local json = require("policylink.json")
local link = require("policylink.link")
local util = require("policylink.cliutil")

local function load_glossary(opts)
  if opts.glossary then
    local data, name = util.read_input(opts.glossary)
    local glossary, message = core.glossary_parse(data)
    if not glossary then
      util.fail(string.format("%s: %s", name, message))
    end
    return glossary
  end
  if opts.source then
    local glossary, message = require("policylink.glossary").from_sources(opts.source, util.read_input)
    if not glossary then
      util.fail(message)
    end
    return glossary
  end
  util.usage_error("give a glossary (--glossary G.md) or articles (--source ARTICLE)", "link")
end

-- A path as a Markdown or HTML link target: the characters that would end
-- or change the link are percent-encoded.
local function url_path(path)
  return (path:gsub("[%%%s()<>#?\"\\]", function(c)
    return string.format("%%%02X", c:byte())
  end))
end

-- How links from the note at path (or "-") are written: the glossary page
-- as a path from the note's folder; for wiki links, the page's name.
local function render_options(opts, path, format)
  local given = opts["glossary-link"]
  local page = given or (opts.glossary ~= "-" and opts.glossary) or nil
  if format == "wiki" then
    local name = page and page:match("([^/#]+)[^/]*$")
    return { wiki_page = name and (name:gsub("%.markdown$", ""):gsub("%.md$", "")) }
  end
  if given or not page then
    return { glossary_link = given }
  end
  local target = path == "-" and page or batch.relative(batch.dirname(path), page)
  if format == "html" then
    target = target:gsub("%.md$", ".html")
  end
  return { glossary_link = url_path(target) }
end

local function match_options(opts)
  return {
    once = (opts.once and "note") or (opts["once-per-section"] and "section") or false,
    headings = not opts["skip-headings"],
    min_length = opts["min-length"],
  }
end

local function plural(n, one, many)
  return string.format("%d %s", n, n == 1 and one or many)
end

-- Rewrites path atomically (keeping its mode), refusing read-only files.
local function rewrite(path, data, mode, backup)
  local ok, reason = batch.writable(path, mode)
  if not ok then
    util.fail(string.format("cannot write '%s': %s", path, reason))
  end
  util.write_file_atomic(path, data, backup)
end

-- Every note under dir: each rewritten on its own (atomically), failures
-- reported and skipped, a summary line at the end.
local function run_folder(opts, dir, format, matcher, entries)
  local notes, stale, listed = batch.list_notes(dir)
  local skip = {}
  for _, input in ipairs({ opts.glossary, table.unpack(opts.source or {}) }) do
    if input ~= "-" then
      skip[batch.absolute(input)] = true
    end
  end
  local dry = opts["dry-run"]
  if not dry then
    for _, tmp in ipairs(stale) do
      if os.remove(tmp) then
        util.warn(string.format("removed '%s', left by an interrupted run", tmp))
      end
    end
  end
  local changed, links, unchanged, failed = 0, 0, 0, 0
  for _, note in ipairs(notes) do
    if not skip[batch.absolute(note.path)] then
      local ok, err = pcall(function()
        local data = util.read_input(note.path)
        local matches, message = matcher:match(data, match_options(opts))
        if not matches then
          util.fail(string.format("%s: %s", note.path, message))
        end
        local linked = link.render(data, matches, entries, format, render_options(opts, note.path, format))
        if linked == data then
          unchanged = unchanged + 1
          return
        end
        if dry then
          util.write(batch.unified_diff(data, linked, note.path))
        else
          rewrite(note.path, linked, note.mode, opts.backup)
        end
        changed, links = changed + 1, links + #matches
      end)
      if not ok then
        if getmetatable(err) ~= util.Failure then
          error(err, 0)
        end
        io.stderr:write(util.PROGRAM, ": ", err.message, "\n")
        failed = failed + 1
      end
    end
  end
  io.stdout:flush()
  local files = dry and plural(changed, "file would change", "files would change")
    or plural(changed, "file changed", "files changed")
  local added = dry and plural(links, "link would be added", "links would be added")
    or plural(links, "link added", "links added")
  io.stderr:write(string.format("%s: %s%s, %s, %d unchanged%s\n", util.PROGRAM, dry and "dry run: " or "",
    files, added, unchanged, failed > 0 and string.format(", %d failed", failed) or ""))
  return (failed > 0 or not listed) and 1 or 0
end

return {
  summary = "link the glossary's terms in a note or a folder of notes (Markdown, wiki, HTML or JSON)",
  usage = "link NOTE|FOLDER|- (--glossary G.md | --source ARTICLE...) [--format markdown|wiki|html|json] "
    .. "[--once] [--in-place [--backup] | --dry-run]",
  options = {
    glossary = { value = true, alias = "g", metavar = "G.md", help = "the glossary page to link to" },
    source = { value = true, list = true, metavar = "ARTICLE",
      help = "build the glossary from an article (repeat for several)" },
    format = { value = true, choices = { markdown = true, wiki = true, html = true, json = true },
      help = "markdown (default): [term](glossary.md#term); wiki: [[glossary#Term|term]]; "
        .. "html: <a title=…>; json: spans" },
    once = { help = "link only the first occurrence of each term in the note" },
    ["once-per-section"] = { help = "link the first occurrence of each term after each heading" },
    ["skip-headings"] = { help = "leave headings unlinked" },
    ["min-length"] = { value = true, type = "integer", min = 1, metavar = "N",
      help = "ignore terms shorter than N characters" },
    ["glossary-link"] = { value = true, metavar = "PATH",
      help = "the link target of the glossary page (default: the glossary's path from the note's folder)" },
    ["in-place"] = { alias = "i", help = "rewrite the note, or every Markdown note under FOLDER (atomically)" },
    backup = { help = "with --in-place, keep the old note as NOTE.bak" },
    ["dry-run"] = { alias = "n", help = "write nothing; print what --in-place would change as a unified diff" },
  },
  args = 1,
  arg_names = { "NOTE (a path, a folder of notes, or - for standard input)" },
  run = function(opts, args)
    local format = opts.format or "markdown"
    local path = args[1]
    local rewrites = opts["in-place"] or opts["dry-run"]
    if rewrites and format == "json" then
      util.usage_error("--in-place and --dry-run need a link format (not json)", "link")
    end
    if opts["in-place"] and not opts["dry-run"] and path == "-" then
      util.usage_error("--in-place needs a NOTE path, not standard input", "link")
    end
    local folder = path ~= "-" and batch.is_dir(path)
    if folder and not rewrites then
      util.usage_error("'" .. path .. "' is a folder: link its notes with --in-place or --dry-run", "link")
    end
    local glossary = load_glossary(opts)
    local matcher, entries = link.matcher(core, glossary)
    if not matcher then
      util.fail("glossary: " .. entries)
    end
    if folder then
      return run_folder(opts, path, format, matcher, entries)
    end
    local note, name = util.read_input(path)
    local matches, message = matcher:match(note, match_options(opts))
    if not matches then
      util.fail(string.format("%s: %s", name, message))
    end
    if format == "json" then
      local spans = json.array({})
      for i, m in ipairs(matches) do
        local entry = entries[m.id]
        spans[i] = {
          byte_start = m.byte_start, byte_end = m.byte_end,
          line = m.line, col = m.col, end_line = m.end_line, end_col = m.end_col,
          text = note:sub(m.byte_start + 1, m.byte_end),
          term = entry.term, anchor = entry.anchor,
          explanation = entry.explanation or "",
          summary = link.summary_of(entry.explanation, 300),
        }
      end
      util.write(json.encode({ matches = spans }, { indent = "  " }) .. "\n")
      return 0
    end
    local linked = link.render(note, matches, entries, format, render_options(opts, path, format))
    if opts["dry-run"] then
      util.write(batch.unified_diff(note, linked, path))
    elseif opts["in-place"] then
      if linked == note then
        io.stderr:write(string.format("%s: %s: unchanged\n", util.PROGRAM, name))
      else
        rewrite(path, linked, batch.mode_of(path), opts.backup)
        io.stderr:write(string.format("%s: %s: %s added\n", util.PROGRAM, name, plural(#matches, "link", "links")))
      end
    else
      util.write(linked)
    end
    return 0
  end,
}
