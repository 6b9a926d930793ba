-- policylink sentences: the cleaned article, one sentence a line.
local json = require("policylink.json")
local util = require("policylink.cliutil")

return {
  summary = "print the cleaned article's sentences, one per line",
  usage = "sentences FILE|- [--json] [--format auto|text|html] [--keep-boilerplate]",
  options = {
    json = { help = "print JSON: each sentence's text, byte offsets in the cleaned text "
      .. "(as 'text --body' prints it), paragraph index and kind" },
    format = util.format_option,
    ["keep-boilerplate"] = util.keep_boilerplate_option,
  },
  args = 1,
  run = function(opts, args)
    local doc = util.clean(args[1], opts)
    if opts.json then
      local list = json.array({})
      for i, s in ipairs(doc.sentences) do
        list[i] = {
          index = i - 1,
          text = doc.text:sub(s.byte_start + 1, s.byte_end),
          byte_start = s.byte_start,
          byte_end = s.byte_end,
          paragraph = s.paragraph - 1,
          kind = s.kind,
        }
      end
      util.write(json.encode({ sentences = list, paragraph_count = #doc.paragraphs }, { indent = "  " }) .. "\n")
      return 0
    end
    local out = {}
    for i, s in ipairs(doc.sentences) do
      out[i] = (doc.text:sub(s.byte_start + 1, s.byte_end):gsub("\n", " "))
    end
    if #out > 0 then
      util.write(table.concat(out, "\n") .. "\n")
    end
    return 0
  end,
}
