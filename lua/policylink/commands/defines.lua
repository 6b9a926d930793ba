-- policylink defines: which sentences define something, by the core's
-- rule-based detector; with --sentences, one sentence a line in and one 0/1 a
-- line out, as definition-extraction data sets come.
local core = require("policylink.core")
local json = require("policylink.json")
local util = require("policylink.cliutil")

local function row(s, paragraph)
  return {
    index = s.index - 1,
    paragraph = paragraph,
    text = s.text,
    byte_start = s.byte_start,
    byte_end = s.byte_end,
    definition = s.definition,
    score = s.score,
    cues = json.array(s.cues),
    source = s.source or nil,
  }
end

return {
  summary = "print the sentences of an article that define something",
  usage = "defines FILE|- [--json] [--sentences] [--format auto|text|html]",
  options = {
    json = { help = "print JSON: every sentence with its text, byte offsets, index (0-based), "
      .. "whether it is a definition, its score and the cues the detector saw" },
    sentences = { help = "read one sentence per line, as is (no cleaning), and print one 0 or 1 "
      .. "per line; the lines are read in order, each after the ones before it, as an "
      .. "article's sentences are" },
    format = util.format_option,
  },
  args = 1,
  run = function(opts, args)
    local result, message, code
    local data, name = util.read_input(args[1])
    if opts.sentences then
      result = core.defines(data, { lines = true })
    else
      result, message, code = core.defines(data, { format = opts.format or "auto" })
      if not result then
        if code ~= "no_text" then
          util.fail(string.format("%s: %s", name, message))
        end
        util.warn(string.format("%s: %s; no sentence to look at", name, message))
      elseif result.replaced_bytes > 0 then
        util.warn(string.format("%s: %d invalid UTF-8 byte%s replaced with U+FFFD", name,
          result.replaced_bytes, result.replaced_bytes == 1 and "" or "s"))
      end
    end
    local sentences = result and result.sentences or {}
    if opts.json then
      local list = json.array({})
      for i, s in ipairs(sentences) do
        list[i] = row(s, s.paragraph and s.paragraph - 1 or nil)
      end
      util.write(json.encode({ sentences = list }, { indent = "  " }) .. "\n")
      return 0
    end
    local out = {}
    for _, s in ipairs(sentences) do
      if opts.sentences then
        out[#out + 1] = s.definition and "1" or "0"
      elseif s.definition then
        out[#out + 1] = (s.text:gsub("\n", " "))
      end
    end
    if #out > 0 then
      util.write(table.concat(out, "\n") .. "\n")
    end
    return 0
  end,
}
