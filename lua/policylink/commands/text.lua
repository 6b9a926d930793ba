-- policylink text: the cleaned article, with its metadata.
local json = require("policylink.json")
local util = require("policylink.cliutil")

return {
  summary = "print the cleaned article, with title, author, date and source",
  usage = "text FILE|- [--json] [--body] [--format auto|text|html] [--keep-boilerplate]",
  options = {
    json = { help = "print a JSON object: title, author, date, source, text, format, counts" },
    body = { help = "print the article text only, without the metadata header" },
    format = util.format_option,
    ["keep-boilerplate"] = util.keep_boilerplate_option,
  },
  args = 1,
  run = function(opts, args)
    local doc = util.clean(args[1], opts)
    if opts.json then
      local out = {
        text = doc.text,
        format = doc.format,
        replaced_bytes = doc.replaced_bytes,
        removed_blocks = doc.removed_blocks,
        paragraph_count = #doc.paragraphs,
        sentence_count = #doc.sentences,
      }
      for _, field in ipairs(util.METADATA_FIELDS) do
        out[field] = doc[field] or json.null
      end
      util.write(json.encode(out, { indent = "  " }) .. "\n")
      return 0
    end
    if not opts.body then
      local header = {}
      for _, field in ipairs(util.METADATA_FIELDS) do
        if doc[field] then
          header[#header + 1] = field:sub(1, 1):upper() .. field:sub(2) .. ": " .. doc[field]
        end
      end
      if #header > 0 then
        util.write(table.concat(header, "\n") .. "\n\n")
      end
    end
    util.write(doc.text .. "\n")
    return 0
  end,
}
