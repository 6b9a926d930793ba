-- :PolicyLink add of a URL: the policylink program fetches it in the
-- background (tests/http_server.py on 127.0.0.1) while the user keeps typing.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api
local uv = vim.uv or vim.loop

-- The program: $PL_PROGRAM, else a build of this tree that has `fetch`.
local function find_program()
  local candidates = { os.getenv("PL_PROGRAM") }
  for _, path in ipairs(vim.fn.glob(h.ROOT .. "/build*/policylink", false, true)) do
    candidates[#candidates + 1] = path
  end
  for _, path in ipairs(candidates) do
    if vim.fn.executable(path) == 1 and vim.fn.system({ path, "--help" }):find("\n  fetch ", 1, true) then
      return path
    end
  end
end

local program = find_program()
if not program then
  io.stdout:write("skipped: no policylink program with 'fetch' (set PL_PROGRAM)\n")
  vim.cmd("qa!")
  return
end

-- The server reads our pipe as its stdin and stops when it closes.
local dir = vim.fn.tempname()
vim.fn.mkdir(dir .. "/docroot", "p")
vim.fn.writefile({
  "<html><head><title>The Blue Harbour Plan</title></head><body><article>",
  "<p>The city adopted the \"Blue Harbour Plan\" in May. The Blue Harbour Plan moves the container",
  "terminal out of the old town and opens the quays to the public.</p>",
  "<p>Under the Blue Harbour Plan, ships pay lower dues at night, so that trucks avoid rush hour.</p>",
  "</article></body></html>",
}, dir .. "/docroot/plan.html")
vim.fn.writefile({
  "<html><head><title>The Green Quay Pact</title></head><body><article>",
  "<p>The port and the city signed the \"Green Quay Pact\" in June. The Green Quay Pact plants trees",
  "along the quays and keeps trucks off them at weekends.</p>",
  "</article></body></html>",
}, dir .. "/docroot/quay.html")
local server_stdin = uv.new_pipe(false)
local server = uv.spawn("python3", {
  args = { h.ROOT .. "/tests/http_server.py", "--docroot", dir .. "/docroot", "--port-file", dir .. "/ports",
    "--lifetime", "60" },
  stdio = { server_stdin, nil, nil },
}, function() end)
assert(server, "cannot start python3 tests/http_server.py")
local port
vim.wait(5000, function()
  local f = io.open(dir .. "/ports")
  port = f and f:read("*n")
  if f then
    f:close()
  end
  return port ~= nil
end, 20)
assert(port, "the test server did not start")
local function url(path)
  return "http://127.0.0.1:" .. port .. path
end
vim.env.no_proxy, vim.env.NO_PROXY = "*", "*"

h.load_plugin()
require("policylink").setup({ sources = {}, program = program })

-- The library's sources as "origin|title" lines, as the library lists them.
local function library_lines()
  local lib = assert(require("policylink.sources").library())
  local lines = {}
  for _, rec in ipairs(assert(lib:list())) do
    lines[#lines + 1] = rec.origin .. "|" .. tostring(rec.title)
  end
  return table.concat(lines, "\n")
end

local function source(origin)
  for _, src in ipairs(require("policylink.sources").list()) do
    if src.origin == origin then
      return src
    end
  end
end

t.test("adding a URL does not block: typing goes on while it loads", function()
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  local buf = api.nvim_get_current_buf()
  t.eq(#h.marks(buf), 0, "no sources yet")
  h.notes = {}
  vim.cmd("PolicyLink add " .. url("/page/7") .. " " .. url("/docroot/plan.html"))
  t.eq(source(url("/page/7")).status, "loading")
  t.eq(h.notes[1].msg, "policylink: fetching " .. url("/page/7") .. " …")
  api.nvim_win_set_cursor(0, { 19, 0 })
  h.type("o")
  local typed_while_loading = 0
  while source(url("/page/7")).status == "loading" do
    h.type("x")
    typed_while_loading = typed_while_loading + 1
  end
  h.type("<Esc>")
  t.truthy(typed_while_loading >= 5, "keys typed while the page loaded: " .. typed_while_loading)
  t.eq(api.nvim_buf_get_lines(buf, 19, 20, false)[1], ("x"):rep(typed_while_loading))
  h.wait_for(function()
    return source(url("/docroot/plan.html")).status ~= "loading"
  end, 10000, "the second URL")
  t.eq(source(url("/page/7")).status, "ready")
  t.eq(source(url("/page/7")).title, "Report number 7")
  local plan = source(url("/docroot/plan.html"))
  t.eq(plan.status, "ready")
  t.eq(plan.title, "The Blue Harbour Plan")
  local added = {}
  for _, note in ipairs(h.notes) do
    if note.msg:match("^policylink: added ") then
      added[#added + 1] = note.msg:gsub(" %(%d+ terms%)$", "")
    end
  end
  table.sort(added)
  t.eq(table.concat(added, "|"), "policylink: added Report number 7|policylink: added The Blue Harbour Plan")
  -- Both are in the library, where the policylink program sees them too.
  local lines = { url("/page/7") .. "|Report number 7", url("/docroot/plan.html") .. "|The Blue Harbour Plan" }
  if library_lines():find("plan", 1, true) < library_lines():find("page/7", 1, true) then
    lines[1], lines[2] = lines[2], lines[1]
  end
  t.eq(library_lines(), table.concat(lines, "\n"))
  local out = vim.fn.system({ program, "sources" })
  t.contains(out, "  Report number 7  " .. url("/page/7") .. "\n")
  t.contains(out, "  The Blue Harbour Plan  " .. url("/docroot/plan.html") .. "\n")
  t.eq(source(url("/page/7")).from, "library")
  t.eq(source(url("/page/7")).cache, "miss")
end)

t.test("terms of the fetched page are marked and explained", function()
  local buf = api.nvim_get_current_buf()
  api.nvim_buf_set_lines(buf, -1, -1, false, { "", "The Blue Harbour Plan frees the quays." })
  local links = require("policylink").buffer_links(buf)
  t.eq(links[#links].term, "Blue Harbour Plan")
  t.eq(links[#links].start_row, api.nvim_buf_line_count(buf) - 1)
  t.eq(links[#links].start_col, 4)
  local record = require("policylink").explain("Blue Harbour Plan")
  t.eq(record.source.title, "The Blue Harbour Plan")
  t.eq(record.source.origin, url("/docroot/plan.html"))
  t.contains(record.sentences[1].text, "Blue Harbour Plan")
end)

t.test("a URL that fails is one clear error", function()
  h.notes = {}
  vim.cmd("PolicyLink add " .. url("/status/404"))
  h.wait_for(function()
    return source(url("/status/404")).status ~= "loading"
  end, 10000, "the failing URL")
  t.eq(source(url("/status/404")).status, "failed")
  local last = h.notes[#h.notes]
  t.eq(last.msg, "policylink: " .. url("/status/404") .. ": HTTP 404 Not Found")
  t.eq(last.level, vim.log.levels.ERROR)
  t.lacks(library_lines(), "404", "a failed page is not stored")
end)

t.test("a new Neovim finds the added pages in the library: nothing fetched, parts from the cache", function()
  -- A program that does not exist: fetching anything would fail loudly.
  local result = h.child([[
    h.load_plugin()
    require("policylink").setup({ sources = {}, program = "/nonexistent/policylink" })
    local lines = {}
    require("policylink.sources").ensure_loaded()
    for _, src in ipairs(require("policylink.sources").list()) do
      lines[#lines + 1] = table.concat({ src.origin, src.from, src.status, tostring(src.cache), src.title }, "|")
    end
    local record = require("policylink").explain("Blue Harbour Plan")
    lines[#lines + 1] = record.sentences[1].text
    lines[#lines + 1] = "notes: " .. #h.notes
    return table.concat(lines, "\n")
  ]])
  local want = {
    url("/page/7") .. "|library|ready|hit|Report number 7",
    url("/docroot/plan.html") .. "|library|ready|hit|The Blue Harbour Plan",
  }
  if result:find("plan", 1, true) < result:find("page/7", 1, true) then
    want[1], want[2] = want[2], want[1]
  end
  want[3] = 'The city adopted the "Blue Harbour Plan" in May.'
  want[4] = "notes: 0"
  t.eq(result, table.concat(want, "\n"))
end)

t.test("URLs in the sources option load in the background, and not into the library", function()
  require("policylink").setup({ sources = { h.ARTICLE, url("/docroot/quay.html"), url("/docroot/plan.html") },
    program = program })
  vim.cmd("silent! %bwipeout!")
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  local buf = api.nvim_get_current_buf()
  api.nvim_buf_set_lines(buf, -1, -1, false, { "", "The Blue Harbour Plan frees the quays.", "",
    "The Green Quay Pact plants trees." })
  t.eq(#require("policylink").buffer_links(buf), 8, "the file's terms and the library's page at once")
  t.eq(source(url("/docroot/plan.html")).from, "library", "a page of the option in the library: not fetched")
  t.eq(source(url("/docroot/quay.html")).status, "loading")
  h.wait_for(function()
    return #require("policylink").buffer_links(buf) == 9
  end, 10000, "the URL's term")
  t.eq(source(url("/docroot/quay.html")).from, "config")
  t.lacks(library_lines(), "quay")
end)

t.test("the health check sees the program and the sources", function()
  vim.cmd("checkhealth policylink")
  local text = table.concat(api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  t.contains(text, "policylink program: " .. program)
  t.contains(text, "sources: 4 loaded, 0 loading, 0 failed")
  t.contains(text, "source library: " .. vim.env.XDG_DATA_HOME .. "/policylink (2 sources)")
  t.contains(text, "filetypes: markdown, text")
  vim.cmd("bwipeout!")
end)

-- Closing the pipe stops the server when the tests are done.
vim.api.nvim_create_autocmd("VimLeavePre", {
  callback = function()
    server_stdin:close()
    server:kill("sigterm")
  end,
})
h.run()
