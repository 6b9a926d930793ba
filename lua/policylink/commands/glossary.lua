-- policylink glossary: a Markdown glossary page from articles.
local core = require("policylink.core")
local glossary = require("policylink.glossary")
local util = require("policylink.cliutil")

return {
  summary = "write a glossary page (Markdown) of the terms of articles, with their explanations",
  usage = "glossary [ARTICLE...] [--library[=DIR]] [-o glossary.md] [--merge my-glossary.md] [--top N] [--format auto|text|html]",
  options = {
    output = { value = true, alias = "o", metavar = "FILE",
      help = "write the page to FILE (atomically) instead of standard output" },
    merge = { value = true, metavar = "FILE",
      help = "a hand-written glossary whose entries and exclusions win over extracted ones" },
    top = { value = true, type = "integer", min = 1, metavar = "N", help = "at most N terms per article (default 40)" },
    format = util.format_option,
    library = { help = "also every source of the library (--library=DIR for another folder than "
      .. "the default: .policylink here or above, else $XDG_DATA_HOME/policylink)",
      optional_value = true, metavar = "[=DIR]" },
  },
  args = { min = 0 },
  arg_names = { "ARTICLE (a path, or - for standard input)" },
  run = function(opts, args)
    if #args == 0 and not opts.library then
      util.usage_error("missing ARTICLE (a path, or - for standard input), or --library", "glossary")
    end
    local result, message = glossary.from_sources(args, util.read_input, { top = opts.top, format = opts.format })
    if not result then
      util.fail(message)
    end
    if opts.library then
      local lib, open_message = require("policylink.library").open(opts.library ~= true and opts.library or nil)
      if not lib then
        util.fail(open_message)
      end
      local from_library, library_message = glossary.from_library(lib, { top = opts.top })
      if not from_library then
        util.fail(library_message)
      end
      result, message = core.glossary_merge(result, from_library)
      if not result then
        util.fail(message)
      end
    end
    if opts.merge then
      local data, name = util.read_input(opts.merge)
      local user, parse_message = core.glossary_parse(data)
      if not user then
        util.fail(string.format("%s: %s", name, parse_message))
      end
      result, message = core.glossary_merge(user, result)
      if not result then
        util.fail(message)
      end
    end
    if not result.preamble or result.preamble == "" then
      result.preamble = "# Glossary\n"
    end
    local text, format_message = core.glossary_format(result)
    if not text then
      util.fail(format_message)
    end
    if opts.output then
      util.write_file_atomic(opts.output, text)
    else
      util.write(text)
    end
    return 0
  end,
}
