-- policylink remove: take sources out of the library (their text and cached
-- results go with them).
local util = require("policylink.cliutil")
local library = require("policylink.library")

return {
  summary = "remove sources from the library by id",
  usage = "remove ID... [--library DIR]",
  options = {
    library = library.library_option,
  },
  args = { min = 1 },
  arg_names = { "ID (as 'policylink sources' lists it; the first 4 digits are enough)" },
  run = function(opts, args)
    local lib = util.open_library(opts.library)
    local failed = 0
    for _, id in ipairs(args) do
      local src, err = lib:remove(id)
      if src then
        util.write(string.format("removed %s %s\n", src.id, src.origin))
      else
        failed = failed + 1
        io.stderr:write(util.PROGRAM, ": ", err, "\n")
      end
    end
    return failed > 0 and 1 or 0
  end,
}
