-- policylink fetch: download a web page (http or https only, under the
-- fetcher's limits) and print its cleaned article, as `text` prints a file.
local core = require("policylink.core")
local json = require("policylink.json")
local util = require("policylink.cliutil")
local library = require("policylink.library")

-- Writes data to path through a temporary file and a rename, so an
-- interrupted run never leaves half an article behind.
local function write_output(path, data)
  local tmp = path .. ".policylink-tmp"
  local f, err = io.open(tmp, "wb")
  if not f then
    util.fail(string.format("cannot write '%s': %s", path, (err or ""):gsub("^.-: ", "")))
  end
  local ok, write_err = f:write(data)
  local closed, close_err = f:close()
  if not ok or not closed then
    os.remove(tmp)
    util.fail(string.format("cannot write '%s': %s", path, write_err or close_err or "write error"))
  end
  local renamed, rename_err = os.rename(tmp, path)
  if not renamed then
    os.remove(tmp)
    util.fail(string.format("cannot write '%s': %s", path, (rename_err or ""):gsub("^.-: ", "")))
  end
end

local function render(url, result, doc, opts)
  if opts.json then
    local out = {
      url = url,
      final_url = result.final_url,
      status = result.status,
      content_type = result.content_type or json.null,
      etag = result.etag or json.null,
      last_modified = result.last_modified or json.null,
      text = doc.text,
      format = doc.format,
      replaced_bytes = doc.replaced_bytes,
      paragraph_count = #doc.paragraphs,
      sentence_count = #doc.sentences,
    }
    for _, field in ipairs(util.METADATA_FIELDS) do
      out[field] = doc[field] or json.null
    end
    return json.encode(out, { indent = "  " }) .. "\n"
  end
  local parts = {}
  if not opts.body then
    for _, field in ipairs(util.METADATA_FIELDS) do
      if doc[field] then
        parts[#parts + 1] = field:sub(1, 1):upper() .. field:sub(2) .. ": " .. doc[field] .. "\n"
      end
    end
    if #parts > 0 then
      parts[#parts + 1] = "\n"
    end
  end
  parts[#parts + 1] = doc.text .. "\n"
  return table.concat(parts)
end

return {
  summary = "download a web page and print its cleaned article",
  usage = "fetch URL [-o FILE] [--json] [--body]",
  options = {
    output = { alias = "o", value = true, metavar = "FILE",
      help = "write to FILE instead of standard output" },
    json = { help = "print a JSON object: url, final_url, status, content_type, etag, "
      .. "last_modified, title, author, date, source, text, counts" },
    body = { help = "print the article text only, without the metadata header" },
  },
  args = 1,
  arg_names = { "URL (http:// or https://)" },
  run = function(opts, args)
    local url = args[1]
    if not library.is_url(url) then
      util.fail(string.format("'%s' is not a URL (expected http:// or https://)", url))
    end
    local result, message = core.fetch(url)
    if not result then
      util.fail(url .. ": " .. message)
    end
    local doc, err = library.clean_fetched(result)
    if not doc then
      util.fail(url .. ": " .. err)
    end
    if doc.replaced_bytes > 0 then
      util.warn(string.format("%s: %d invalid UTF-8 byte%s replaced with U+FFFD", url,
        doc.replaced_bytes, doc.replaced_bytes == 1 and "" or "s"))
    end
    local out = render(url, result, doc, opts)
    if opts.output then
      write_output(opts.output, out)
    else
      util.write(out)
    end
    return 0
  end,
}
