-- policylink link: the glossary's terms in a note, as links or as spans.
local core = require("policylink.core")
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

return {
  summary = "link the glossary's terms in a note (Markdown, wiki or HTML links, or JSON spans)",
  usage = "link NOTE|- (--glossary G.md | --source ARTICLE...) [--format markdown|wiki|html|json] "
    .. "[--once] [--in-place [--backup]]",
  options = {
    glossary = { value = true, alias = "g", metavar = "G.md", help = "the glossary page to link to" },
    source = { value = true, list = true, metavar = "ARTICLE",
      help = "build the glossary from an article (repeat for several)" },
    format = { value = true, choices = { markdown = true, wiki = true, html = true, json = true },
      help = "markdown (default): [term](glossary.md#term); wiki: [[term]]; html: <a title=…>; json: spans" },
    once = { help = "link only the first occurrence of each term in the note" },
    ["once-per-section"] = { help = "link the first occurrence of each term after each heading" },
    ["skip-headings"] = { help = "leave headings unlinked" },
    ["min-length"] = { value = true, type = "integer", min = 1, metavar = "N",
      help = "ignore terms shorter than N characters" },
    ["glossary-link"] = { value = true, metavar = "PATH",
      help = "the link target of the glossary page (default: glossary.md, or glossary.html for html)" },
    ["in-place"] = { alias = "i", help = "rewrite the note (a temporary file, then a rename)" },
    backup = { help = "with --in-place, keep the old note as NOTE.bak" },
  },
  args = 1,
  arg_names = { "NOTE (a path, or - for standard input)" },
  run = function(opts, args)
    local format = opts.format or "markdown"
    if opts["in-place"] and (args[1] == "-" or format == "json") then
      util.usage_error("--in-place needs a NOTE path and a link format (not json)", "link")
    end
    local glossary = load_glossary(opts)
    local matcher, entries = link.matcher(core, glossary)
    if not matcher then
      util.fail("glossary: " .. entries)
    end
    local note, name = util.read_input(args[1])
    local matches, message = matcher:match(note, {
      once = (opts.once and "note") or (opts["once-per-section"] and "section") or false,
      headings = not opts["skip-headings"],
      min_length = opts["min-length"],
    })
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
        }
      end
      util.write(json.encode({ matches = spans }, { indent = "  " }) .. "\n")
      return 0
    end
    local target = opts["glossary-link"]
    if not target and opts.glossary and opts.glossary ~= "-" then
      -- Relative to the note when the glossary sits in the note's folder or below.
      local folder = args[1] ~= "-" and args[1]:match("^(.*/)") or ""
      target = opts.glossary:sub(1, #folder) == folder and opts.glossary:sub(#folder + 1) or opts.glossary
      if format == "html" then
        target = target:gsub("%.md$", ".html")
      end
    end
    local linked = link.render(note, matches, entries, format, { glossary_link = target })
    if opts["in-place"] then
      if linked == note then
        io.stderr:write(string.format("%s: %s: unchanged\n", util.PROGRAM, name))
      else
        util.write_file_atomic(args[1], linked, opts.backup)
        io.stderr:write(string.format("%s: %s: %d link%s added\n", util.PROGRAM, name, #matches,
          #matches == 1 and "" or "s"))
      end
    else
      util.write(linked)
    end
    return 0
  end,
}
