-- policylink refresh: fetch the library's web sources again (a conditional
-- request each, so unchanged pages cost a 304) and re-read its files.
local util = require("policylink.cliutil")
local library = require("policylink.library")

return {
  summary = "update sources from their web pages and files",
  usage = "refresh [ID...] [--library DIR]",
  options = {
    library = library.library_option,
  },
  args = { min = 0 },
  run = function(opts, args)
    local lib = util.open_library(opts.library)
    local selected, failed = {}, 0
    if #args == 0 then
      local list, err = lib:list()
      if not list then
        util.fail(err)
      end
      selected = list
    else
      for _, id in ipairs(args) do
        local src, err = lib:get(id)
        if not src then
          util.fail(err)
        end
        selected[#selected + 1] = src
      end
    end
    local function report(src, outcome)
      util.write(string.format("%s %s %s\n", outcome, src.id, src.origin))
    end
    local requests = {}
    for _, src in ipairs(selected) do
      if library.is_url(src.origin) then
        requests[#requests + 1] = { url = src.origin, id = src.id, etag = src.etag,
          last_modified = src.last_modified }
      else
        local stored, outcome, doc = library.add_file(lib, src.origin, src.origin)
        if doc then
          util.warn_replaced(src.origin, doc)
        end
        if stored then
          report(stored, outcome)
        else
          failed = failed + 1
          io.stderr:write(util.PROGRAM, ": ", src.id, ": ", outcome, "\n")
        end
      end
    end
    util.fetch_into_library(lib, requests, function(_, src, outcome)
      report(src, outcome)
    end, function(req, err)
      failed = failed + 1
      io.stderr:write(util.PROGRAM, ": ", req.id, " ", req.url, ": ", err, "\n")
    end)
    if #args == 0 then
      -- A full refresh also tidies what interrupted writes left behind
      -- (only leftovers an hour old: younger ones may be another run's).
      lib:rebuild()
    end
    return failed > 0 and 1 or 0
  end,
}
