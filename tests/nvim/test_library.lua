-- The source library in the editor: :PolicyLink add keeps files there (the
-- library the policylink program uses), a new Neovim reopens them without
-- reading the article again and reads each glossary part from the cache;
-- remove and refresh act on the library; the glossary is the program's.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api

local TITLE = "Bolster the systems and mechanisms for developing new quality productive forces in "
  .. "accordance with local conditions"

-- The policylink program of this build (the nvim tests run with PL_PROGRAM set).
local program = os.getenv("PL_PROGRAM")
if not program or vim.fn.executable(program) ~= 1 then
  for _, path in ipairs(vim.fn.glob(h.ROOT .. "/build*/policylink", false, true)) do
    program = program or path
  end
end
assert(program and vim.fn.executable(program) == 1, "no policylink program (set PL_PROGRAM)")

local DATA = vim.env.XDG_DATA_HOME
assert(DATA and DATA:match("^/tmp/"), "the tests need a temporary XDG_DATA_HOME (tests/nvim/run sets it)")
local LIBRARY = DATA .. "/policylink"

local dir = vim.fn.tempname()
vim.fn.mkdir(dir, "p")
local COPY = dir .. "/plenum.txt"

h.load_plugin()

local read, write = t.read_file, t.write_file

-- Runs the program; returns its standard output (standard error must be
-- empty, or be `stderr`).
local function run(args, stderr)
  local err_file = dir .. "/stderr"
  local cmd = { program }
  vim.list_extend(cmd, args)
  local escaped = {}
  for i, a in ipairs(cmd) do
    escaped[i] = vim.fn.shellescape(a)
  end
  local out = vim.fn.system(table.concat(escaped, " ") .. " 2>" .. vim.fn.shellescape(err_file))
  t.eq(vim.v.shell_error, 0, table.concat(args, " ") .. ": exit status")
  t.eq(read(err_file), stderr or "", table.concat(args, " ") .. ": standard error")
  return out
end

local function export()
  local path = dir .. "/exported.md"
  h.notes = {}
  vim.cmd("PolicyLink export " .. vim.fn.fnameescape(path))
  t.eq(h.notes[1].msg, "policylink: wrote the glossary to " .. path)
  return read(path)
end

local function source(name)
  require("policylink.sources").ensure_loaded()
  return require("policylink.sources").find(name)
end

local function cache_dirs()
  return vim.fn.glob(LIBRARY .. "/cache/*", false, true)
end

local id, hash

t.test(":PolicyLink add stores a file in the library and caches its glossary part", function()
  write(COPY, read(h.ARTICLE))
  require("policylink").setup({ sources = {} })
  h.notes = {}
  vim.cmd("PolicyLink add " .. vim.fn.fnameescape(COPY))
  t.eq(#h.notes, 1)
  t.eq(h.notes[1].msg, "policylink: added " .. TITLE .. " (29 terms)")
  local src = source(COPY)
  t.eq(src.from, "library")
  t.eq(src.status, "ready")
  t.eq(src.cache, "miss")
  t.truthy(src.id:match("^%x%x%x%x%x%x%x%x$"), src.id)
  id, hash = src.id, src.hash
  t.eq(vim.fn.filereadable(LIBRARY .. "/sources/" .. id .. ".meta"), 1)
  t.eq(vim.fn.filereadable(LIBRARY .. "/cache/" .. hash .. "/glossary-2-top40.md"), 1)
  -- The program sees the same library.
  local listed = run({ "sources" })
  t.eq(listed, id .. "  " .. os.date("!%Y-%m-%d") .. "  " .. TITLE .. "  " .. COPY .. "\n")
end)

t.test("a new Neovim reopens it without reading the article: its part from the cache", function()
  os.remove(COPY)
  local result = h.child([[
    local core = require("policylink.core")
    local calls = { terms = 0, clean = 0 }
    for name in pairs(calls) do
      local real = core[name]
      core[name] = function(...)
        calls[name] = calls[name] + 1
        return real(...)
      end
    end
    h.load_plugin()
    require("policylink").setup({ sources = {} })
    vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
    local lines = {}
    for _, src in ipairs(require("policylink.sources").list()) do
      lines[#lines + 1] = table.concat({ src.origin, src.from, src.status, tostring(src.cache), src.count }, "|")
    end
    lines[#lines + 1] = "links: " .. #require("policylink").buffer_links(0)
    lines[#lines + 1] = "terms: " .. calls.terms .. ", clean: " .. calls.clean
    -- Explaining reads the library's copy of the text (the file is gone).
    lines[#lines + 1] = require("policylink").explain("Five Industrial Bases").sentences[1].text
    vim.cmd("PolicyLink goto Five Industrial Bases")
    local row, col = unpack(vim.api.nvim_win_get_cursor(0))
    lines[#lines + 1] = vim.api.nvim_buf_get_name(0) .. " " .. row .. " "
      .. vim.api.nvim_get_current_line():sub(col + 1, col + 25)
    lines[#lines + 1] = "clean: " .. calls.clean
    lines[#lines + 1] = "notes: " .. #h.notes
    return table.concat(lines, "\n")
  ]])
  t.eq(result, table.concat({
    COPY .. "|library|ready|hit|29",
    "links: 7",
    "terms: 0, clean: 0",
    "The Five Industrial Bases — basic parts, basic materials, basic processes, basic technologies, and "
      .. "basic software — remain highly dependent on foreign sources, indicating an unstable industrial foundation.",
    "policylink://source/" .. COPY .. " 7 The Five Industrial Bases",
    "clean: 1",
    "notes: 0",
  }, "\n"))
end)

t.test("the glossary of library sources is policylink glossary --library's", function()
  require("policylink").setup({ sources = {} })
  t.eq(export(), run({ "glossary", "--library" }))
end)

t.test("the glossary of the sources option is policylink glossary's, explained terms only", function()
  require("policylink").setup({ sources = { h.ARTICLE }, library = false })
  local page = export()
  t.eq(page, run({ "glossary", h.ARTICLE }))
  t.eq(#require("policylink.core").glossary_parse(page).entries, 29)
  -- `policylink terms` finds it, but the article does not explain it.
  t.contains(run({ "terms", h.ARTICLE }), "scientific innovation\tphrase")
  t.eq(require("policylink.sources").entry("scientific innovation"), nil)
  local note = dir .. "/note.md"
  write(note, "Scientific innovation drives technological innovation.\n")
  vim.cmd("edit " .. vim.fn.fnameescape(note))
  local links = require("policylink").buffer_links(0)
  t.eq(#links, 1)
  t.eq(links[1].term .. " " .. links[1].start_col .. "-" .. links[1].end_col,
    "technological innovation 29-53")
  vim.cmd("bwipeout!")
end)

t.test("with a glossary page too, it is policylink glossary --merge's", function()
  local user = dir .. "/mine.md"
  write(user, "# My glossary\n\nExclude: innovation\n\n## Five Industrial Bases\nAliases: industrial bases\n\n"
    .. "Parts, materials, processes, technologies and software.\n")
  require("policylink").setup({ sources = { h.ARTICLE }, glossary = user })
  t.eq(export(), run({ "glossary", h.ARTICLE, "--library", "--merge", user }))
  local record = require("policylink").explain("industrial bases")
  t.eq(record.explanation, "Parts, materials, processes, technologies and software.")
  t.eq(require("policylink.sources").entry("innovation"), nil)
end)

t.test("a source of the sources option is cached too, by its bytes, and not stored", function()
  local lib = dir .. "/option-cache"
  require("policylink").setup({ sources = { h.ARTICLE }, library = lib })
  t.eq(source(h.ARTICLE).cache, "miss")
  t.eq(source(h.ARTICLE).from, "config")
  t.eq(#vim.fn.glob(lib .. "/cache/*/glossary-2-top40-auto-*.md", false, true), 1)
  t.eq(#vim.fn.glob(lib .. "/sources/*", false, true), 0)
  local result = h.child([[
    local core = require("policylink.core")
    local calls = 0
    local terms = core.terms
    core.terms = function(...)
      calls = calls + 1
      return terms(...)
    end
    h.load_plugin()
    require("policylink").setup({ sources = { h.ARTICLE }, library = ]] .. string.format("%q", lib) .. [[ })
    require("policylink.sources").ensure_loaded()
    local src = require("policylink.sources").find(h.ARTICLE)
    return src.cache .. " " .. src.count .. " terms, core.terms called " .. calls .. " times"
  ]])
  t.eq(result, "hit 29 terms, core.terms called 0 times")
end)

t.test(":PolicyLink remove takes a source out of the library with its cache", function()
  require("policylink").setup({ sources = {} })
  h.notes = {}
  vim.cmd("PolicyLink remove " .. id:sub(1, 4))
  t.eq(h.notes[1].msg, "policylink: removed " .. TITLE .. " from the library")
  t.eq(source(COPY), nil)
  t.eq(vim.fn.filereadable(LIBRARY .. "/sources/" .. id .. ".meta"), 0)
  t.eq(vim.fn.isdirectory(LIBRARY .. "/cache/" .. hash), 0)
  t.eq(run({ "sources" }, "policylink: no sources in " .. LIBRARY .. "\n"), "")
  require("policylink.sources").reset()
  t.eq(#require("policylink.sources").glossary().entries, 0)
end)

t.test(":PolicyLink refresh reads the library's files again", function()
  local path = dir .. "/harbour.txt"
  write(path, "The harbour board met on Monday.\n\nThe \"Blue Harbour Plan\" sets out how the port grows. "
    .. "The Blue Harbour Plan was approved in May.\n")
  vim.cmd("PolicyLink add " .. vim.fn.fnameescape(path))
  t.truthy(require("policylink").explain("Blue Harbour Plan"))
  write(path, "The harbour board met on Friday.\n\nThe \"Green Quay Pact\" plants trees along the quays. "
    .. "The Green Quay Pact was signed in June.\n")
  h.notes = {}
  vim.cmd("PolicyLink refresh")
  t.eq(#h.notes, 1)
  t.eq(h.notes[1].msg, "policylink: refreshed: 1 updated")
  t.eq(require("policylink").explain("Blue Harbour Plan"), nil)
  t.eq(require("policylink").explain("Green Quay Pact").sentences[1].text,
    "The \"Green Quay Pact\" plants trees along the quays.")
  t.eq(source(path).cache, "miss")
  h.notes = {}
  vim.cmd("PolicyLink refresh " .. vim.fn.fnameescape(path))
  t.eq(h.notes[1].msg, "policylink: refreshed: 1 unchanged")
  t.eq(source(path).cache, "hit")
  h.notes = {}
  vim.cmd("PolicyLink refresh /nonexistent/x.txt")
  t.eq(h.notes[1].msg, "policylink: no source '/nonexistent/x.txt' (see :PolicyLink sources)")
end)

t.test("with library = false, add lasts for the session and writes nothing", function()
  local before = table.concat(cache_dirs(), ",")
  local listed = run({ "sources" })
  require("policylink").setup({ sources = {}, library = false })
  local path = dir .. "/session.txt"
  write(path, "The \"Blue Harbour Plan\" sets out how the port grows. The Blue Harbour Plan was approved in May.\n")
  vim.cmd("PolicyLink add " .. vim.fn.fnameescape(path))
  local src = source(path)
  t.eq(src.from, "session")
  t.eq(src.status, "ready")
  t.eq(src.cache, nil)
  t.truthy(require("policylink").explain("Blue Harbour Plan"))
  t.eq(table.concat(cache_dirs(), ","), before)
  t.eq(run({ "sources" }), listed)
end)

t.test("the library option, and a .policylink folder in the current directory", function()
  local own = dir .. "/own-library"
  require("policylink").setup({ sources = {}, library = own })
  vim.cmd("PolicyLink add " .. vim.fn.fnameescape(h.ARTICLE))
  t.eq(#vim.fn.glob(own .. "/sources/*.meta", false, true), 1)
  t.eq(run({ "sources", "--library", own }):match("  (/.*)\n$"), h.ARTICLE)
  local notes = dir .. "/notes"
  vim.fn.mkdir(notes .. "/.policylink", "p")
  local cwd = vim.fn.getcwd()
  vim.cmd("cd " .. vim.fn.fnameescape(notes))
  require("policylink").setup({ sources = {} })
  t.eq(require("policylink.sources").library():path(), notes .. "/.policylink")
  vim.cmd("cd " .. vim.fn.fnameescape(cwd))
end)

h.run()
