-- policylink add: put files and web pages into the library of sources.
-- URLs are fetched concurrently; each is stored as soon as it arrives, with
-- progress on standard error. One failure does not stop the others.
local util = require("policylink.cliutil")
local library = require("policylink.library")

local function report(outcome, src)
  util.write(string.format("%s %s %s\n", outcome == "new" and "added" or outcome, src.id,
    src.origin))
end

-- Adds one file; returns true, or false after reporting why not.
local function add_file(lib, path)
  local src, outcome, doc = library.add_file(lib, path)
  if not src then
    io.stderr:write(util.PROGRAM, ": ", outcome, "\n")
    return false
  end
  util.warn_replaced(path, doc)
  report(outcome, src)
  return true
end

return {
  summary = "add files or web pages to the library of sources",
  usage = "add FILE|URL... [--library DIR]",
  options = {
    library = library.library_option,
  },
  args = { min = 1 },
  arg_names = { "FILE or URL" },
  run = function(opts, args)
    local lib = util.open_library(opts.library)
    local failed = 0
    local requests = {}
    for _, arg in ipairs(args) do
      if arg == "-" then
        util.usage_error("add takes files and URLs, not standard input", "add")
      elseif library.is_url(arg) then
        requests[#requests + 1] = { url = arg }
      elseif not add_file(lib, arg) then
        failed = failed + 1
      end
    end
    util.fetch_into_library(lib, requests, function(_, src, outcome)
      report(outcome, src)
    end, function(req, err)
      failed = failed + 1
      io.stderr:write(util.PROGRAM, ": ", req.url, ": ", err, "\n")
    end)
    io.stdout:flush()
    return failed > 0 and 1 or 0
  end,
}
