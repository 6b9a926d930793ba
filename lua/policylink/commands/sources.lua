-- policylink sources: list the library of sources.
local json = require("policylink.json")
local util = require("policylink.cliutil")
local library = require("policylink.library")

local FIELDS = { "title", "author", "date", "source", "content_type", "etag", "last_modified" }

return {
  summary = "list the sources in the library",
  usage = "sources [--json] [--library DIR]",
  options = {
    json = { help = "print a JSON object: the library folder and every source's record" },
    library = library.library_option,
  },
  args = 0,
  run = function(opts)
    local lib = util.open_library(opts.library)
    local list, err = lib:list()
    if not list then
      util.fail(err)
    end
    if opts.json then
      local out = json.array({})
      for i, src in ipairs(list) do
        local item = {
          id = src.id,
          origin = src.origin,
          hash = src.hash,
          length = src.length,
          added = library.iso_time(src.added) or json.null,
          fetched = library.iso_time(src.fetched) or json.null,
        }
        for _, field in ipairs(FIELDS) do
          item[field] = src[field] or json.null
        end
        out[i] = item
      end
      util.write(json.encode({ library = lib:path(), sources = out }, { indent = "  " }) .. "\n")
      return 0
    end
    if #list == 0 then
      io.stderr:write(util.PROGRAM, ": no sources in ", lib:path(), "\n")
      return 0
    end
    for _, src in ipairs(list) do
      util.write(string.format("%s  %s  %s  %s\n", src.id, (library.iso_time(src.added) or ""):sub(1, 10),
        src.title or "(untitled)", src.origin))
    end
    return 0
  end,
}
