-- Tests of the fetch and library commands as a person uses them (fetch, add,
-- sources, remove, refresh), against tests/http_server.py on 127.0.0.1,
-- which this script starts and stops. Run with lua5.4:
--   lua5.4 tests/lua/test_fetch_cli.lua BUILD/policylink SOURCE_DIR
local program, root = arg[1], arg[2]
package.path = root .. "/tests/lua/?.lua;" .. root .. "/lua/?.lua;" .. package.path
local t = require("harness")
local json = require("policylink.json")

-- Until the commands are wired into the program, say so and skip (77).
do
  local help = io.popen("'" .. program .. "' --help 2>&1"):read("a")
  if not help:find("\n  fetch ", 1, true) then
    io.write("skipped: the program has no 'fetch' command yet\n")
    os.exit(77)
  end
end

local tmpdir = os.tmpname()
os.remove(tmpdir)
assert(os.execute("mkdir -p '" .. tmpdir .. "/docroot'"))

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local write_file, read_file = t.write_file, t.read_file

local function sleep(seconds)
  os.execute("sleep " .. seconds)
end

-- The server: its standard input is our pipe, so closing the pipe (or this
-- script dying) stops it; it writes its ports to a file once listening.
local port_file = tmpdir .. "/ports"
local server = assert(io.popen("exec python3 " .. shell_quote(root .. "/tests/http_server.py")
  .. " --docroot " .. shell_quote(tmpdir .. "/docroot") .. " --port-file " .. shell_quote(port_file)
  .. " --lifetime 120", "w"))
local port
for _ = 1, 100 do
  local f = io.open(port_file, "r")
  if f then
    port = f:read("n")
    f:close()
    break
  end
  sleep(0.05)
end
if not port then
  io.stderr:write("cannot start tests/http_server.py (is python3 installed?)\n")
  os.exit(1)
end

local function url(path)
  return "http://127.0.0.1:" .. port .. path
end

-- Runs the program with args (a list) in folder cwd with extra environment;
-- returns status, stdout, stderr. A proxy from the environment must not see
-- the loopback traffic.
local function run(args, env, cwd)
  local quoted = {}
  for i, a in ipairs(args) do
    quoted[i] = shell_quote(a)
  end
  local prefix = "no_proxy='*' NO_PROXY='*' "
  for k, v in pairs(env or {}) do
    prefix = prefix .. k .. "=" .. shell_quote(v) .. " "
  end
  local out, errf = tmpdir .. "/stdout", tmpdir .. "/stderr"
  local cmd = (cwd and ("cd " .. shell_quote(cwd) .. " && ") or "") .. prefix .. shell_quote(program)
    .. " " .. table.concat(quoted, " ") .. " >" .. out .. " 2>" .. errf .. " </dev/null"
  local _, _, status = os.execute(cmd)
  return status, read_file(out), read_file(errf)
end

local library_count = 0
local function new_library()
  library_count = library_count + 1
  return tmpdir .. "/lib" .. library_count
end

local ARTICLE_TEXT = "The port authority raised harbour dues for the first time in a decade, saying the money\n"
  .. "would pay for dredging the main channel and for a new customs hall."

t.test("--help lists the new commands", function()
  local status, out = run({ "--help" })
  t.eq(status, 0)
  for _, cmd in ipairs({ "fetch", "add", "sources", "remove", "refresh" }) do
    t.contains(out, "  " .. cmd .. " ")
  end
end)

t.test("fetch prints the cleaned article with its title", function()
  local status, out, err = run({ "fetch", url("/article") })
  t.eq(status, 0)
  t.eq(err, "")
  t.contains(out, "Title: Harbour dues and the port budget\n\n")
  t.contains(out, "Shipping companies said the increase was modest")
  t.lacks(out, "Copyright")
  t.lacks(out, "<p>")
end)

t.test("fetch --json carries what the server said", function()
  local status, out = run({ "fetch", "--json", url("/redirect/2") })
  t.eq(status, 0)
  local doc = json.decode(out)
  t.eq(doc.url, url("/redirect/2"))
  t.eq(doc.final_url, url("/article"))
  t.eq(doc.status, 200)
  t.eq(doc.content_type, "text/html")
  t.eq(doc.etag, '"article-v1"')
  t.eq(doc.last_modified, "Wed, 01 Jan 2025 00:00:00 GMT")
  t.eq(doc.title, "Harbour dues and the port budget")
  t.eq(doc.format, "html")
end)

t.test("fetch -o writes the file and nothing to stdout", function()
  local path = tmpdir .. "/out.txt"
  local status, out, err = run({ "fetch", "-o", path, "--body", url("/latin1") })
  t.eq(status, 0)
  t.eq(out, "")
  t.eq(err, "")
  t.eq(read_file(path), "The café on the square raised its prices, and the naïve customer paid £3 for a coffee "
    .. "that cost £2 last year.\n\nIts owner blamed the rising cost of milk and of energy for the whole increase.\n")
end)

t.test("libcurl is opened on the first fetch: one that cannot be opened is one clear line", function()
  local missing = tmpdir .. "/no-such-libcurl.so.4"
  local status, out, err = run({ "fetch", url("/article") }, { POLICYLINK_LIBCURL = missing })
  t.eq(status, 1)
  t.eq(out, "")
  t.eq(err, "policylink: " .. url("/article") .. ": cannot open libcurl (POLICYLINK_LIBCURL): " .. missing
    .. ": cannot open shared object file: No such file or directory\n")
  -- Commands that fetch nothing never open it.
  status, out, err = run({ "--version" }, { POLICYLINK_LIBCURL = missing })
  t.eq(status, 0)
  t.eq(err, "")
end)

t.test("fetch failures are one line each, exit 1", function()
  local cases = {
    { "/status/404", "HTTP 404 Not Found" },
    { "/status/500", "HTTP 500 Internal Server Error" },
    { "/loop", "too many redirects (more than 5)" },
    { "/to-file", "refused a redirect to file: (only http and https are followed)" },
    { "/pdf", "unsupported content type 'application/pdf' (only HTML and plain text are read)" },
    { "/truncated", "connection closed before the whole response arrived (200 of 10000 bytes)" },
  }
  for _, case in ipairs(cases) do
    local status, out, err = run({ "fetch", url(case[1]) })
    t.eq(status, 1, case[1])
    t.eq(out, "", case[1])
    t.eq(err, "policylink: " .. url(case[1]) .. ": " .. case[2] .. "\n", case[1])
  end
  local status, _, err = run({ "fetch", "ftp://127.0.0.1/file" })
  t.eq(status, 1)
  t.eq(err, "policylink: ftp://127.0.0.1/file: only http and https URLs are fetched, not ftp:\n")
  status, _, err = run({ "fetch", "example.org" })
  t.eq(status, 1)
  t.eq(err, "policylink: 'example.org' is not a URL (expected http:// or https://)\n")
end)

t.test("fetch without a URL is a usage error", function()
  local status, _, err = run({ "fetch" })
  t.eq(status, 2)
  t.eq(err, "policylink: missing URL (http:// or https://)\nTry 'policylink fetch --help'.\n")
end)

t.test("20 URLs added at once: all stored, progress on stderr, fetched concurrently", function()
  local lib = new_library()
  local args = { "add", "--library", lib }
  for i = 1, 20 do
    args[#args + 1] = url("/page/" .. i)
  end
  local started = os.time()
  local status, out, err = run(args)
  t.eq(status, 0)
  t.truthy(os.time() - started < 4, "20 pages answering in 0.2 s each took too long")
  local added = 0
  for line in out:gmatch("[^\n]+") do
    t.truthy(line:match("^added %x%x%x%x%x%x%x%x http://127%.0%.0%.1:%d+/page/%d+$"), line)
    added = added + 1
  end
  t.eq(added, 20)
  for i = 1, 20 do
    t.contains(err, "policylink: [" .. i .. "/20] ")
    t.contains(out, url("/page/" .. i) .. "\n")
  end
  local _, stats = run({ "fetch", "--body", url("/stats") })
  t.truthy(tonumber(stats:match("max_inflight (%d+)")) > 1, "pages were fetched one at a time: " .. stats)

  local _, listing = run({ "sources", "--json", "--library", lib })
  local result = json.decode(listing)
  t.eq(result.library, lib)
  t.eq(#result.sources, 20)
  local titles = {}
  for _, src in ipairs(result.sources) do
    titles[src.title] = src
    t.eq(#src.id, 8)
    t.eq(#src.hash, 16)
    t.eq(src.content_type, "text/html")
    t.truthy(src.added:match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$"), src.added)
  end
  for i = 1, 20 do
    local src = titles["Report number " .. i]
    t.truthy(src, "source " .. i)
    t.eq(src.origin, url("/page/" .. i))
  end
end)

t.test("add: files and URLs, again unchanged, failures reported and the rest kept", function()
  local lib = new_library()
  local note = write_file(tmpdir .. "/note.txt", "The council approved the budget on Tuesday after a long debate "
    .. "about the cost of the new bridge and the state of the roads.\n")
  local status, out, err = run({ "add", "--library", lib, note, url("/article") })
  t.eq(status, 0)
  t.eq(err, "") -- one URL: no progress lines
  t.truthy(out:match("^added %x+ " .. note:gsub("%p", "%%%0") .. "\nadded %x+ "), out)

  status, out = run({ "add", "--library", lib, url("/article"), note })
  t.eq(status, 0)
  t.contains(out, "unchanged ")
  t.lacks(out, "added ")

  status, out, err = run({ "add", "--library", lib, url("/status/404"), url("/plain"), tmpdir .. "/missing.txt" })
  t.eq(status, 1)
  t.contains(out, "added ")
  t.contains(err, "policylink: " .. url("/status/404") .. ": HTTP 404 Not Found\n")
  t.contains(err, "policylink: cannot find '" .. tmpdir .. "/missing.txt': No such file or directory\n")
  local _, listing = run({ "sources", "--library", lib })
  local lines = 0
  for _ in listing:gmatch("[^\n]+") do
    lines = lines + 1
  end
  t.eq(lines, 3)
  t.contains(listing, "  Harbour dues and the port budget  " .. url("/article") .. "\n")
end)

t.test("sources on an empty library", function()
  local lib = new_library()
  local status, out, err = run({ "sources", "--library", lib })
  t.eq(status, 0)
  t.eq(out, "")
  t.eq(err, "policylink: no sources in " .. lib .. "\n")
  status, out = run({ "sources", "--json", "--library", lib })
  t.eq(status, 0)
  t.eq(#json.decode(out).sources, 0)
end)

t.test("remove by id or prefix; unknown ids fail", function()
  local lib = new_library()
  local _, out = run({ "add", "--library", lib, url("/article"), url("/plain") })
  local id = out:match("added (%x+) " .. url("/article"):gsub("%p", "%%%0"))
  t.truthy(id, out)
  local status, removed, err = run({ "remove", "--library", lib, id:sub(1, 4) })
  t.eq(status, 0)
  t.eq(err, "")
  t.eq(removed, "removed " .. id .. " " .. url("/article") .. "\n")
  local _, listing = run({ "sources", "--json", "--library", lib })
  t.eq(#json.decode(listing).sources, 1)
  status, _, err = run({ "remove", "--library", lib, id })
  t.eq(status, 1)
  t.eq(err, "policylink: no source '" .. id .. "' in " .. lib .. "\n")
  status, _, err = run({ "remove", "--library", lib, "xyz" })
  t.eq(status, 1)
  t.eq(err, "policylink: 'xyz' is not a source id (4 to 8 hex digits)\n")
end)

t.test("refresh: 304 when unchanged, new text when the page changed", function()
  local lib = new_library()
  local page = tmpdir .. "/docroot/changing.html"
  local function article(sentence)
    return "<html><head><title>Changing page</title></head><body><article><p>" .. sentence
      .. " The rest of this paragraph stays the same so the page is long enough to read.</p>"
      .. "</article></body></html>"
  end
  write_file(page, article("The first version of the report said prices would rise."))
  local status, out = run({ "add", "--library", lib, url("/docroot/changing.html") })
  t.eq(status, 0)
  local id = out:match("added (%x+)")
  status, out = run({ "refresh", "--library", lib })
  t.eq(status, 0)
  t.eq(out, "unchanged " .. id .. " " .. url("/docroot/changing.html") .. "\n")
  write_file(page, article("The second version of the report said prices would fall."))
  status, out = run({ "refresh", "--library", lib, id })
  t.eq(status, 0)
  t.eq(out, "updated " .. id .. " " .. url("/docroot/changing.html") .. "\n")
  local _, fetched = run({ "sources", "--json", "--library", lib })
  local src = json.decode(fetched).sources[1]
  t.eq(src.title, "Changing page")
  t.truthy(src.etag, "etag kept")
  -- The page is gone: the source stays, the failure is reported.
  os.remove(page)
  local err
  status, out, err = run({ "refresh", "--library", lib })
  t.eq(status, 1)
  t.eq(out, "")
  t.eq(err, "policylink: " .. id .. " " .. url("/docroot/changing.html") .. ": HTTP 404 Not Found\n")
  _, fetched = run({ "sources", "--json", "--library", lib })
  t.eq(#json.decode(fetched).sources, 1)
end)

t.test("refresh re-reads file sources", function()
  local lib = new_library()
  local note = write_file(tmpdir .. "/changing.txt", "The first draft of the memo argued for higher spending "
    .. "on the harbour and on the railway that serves it.\n")
  local _, out = run({ "add", "--library", lib, note })
  local id = out:match("added (%x+)")
  write_file(note, "The second draft of the memo argued for lower spending on the harbour and more on "
    .. "the railway that serves it.\n")
  local status
  status, out = run({ "refresh", "--library", lib })
  t.eq(status, 0)
  t.eq(out, "updated " .. id .. " " .. note .. "\n")
end)

t.test("the library is found in .policylink beside the notes, else under XDG_DATA_HOME", function()
  local notes = tmpdir .. "/notes"
  assert(os.execute("mkdir -p '" .. notes .. "/.policylink' '" .. notes .. "/deeper'"))
  local status = run({ "add", url("/plain") }, { XDG_DATA_HOME = tmpdir .. "/xdg" }, notes .. "/deeper")
  t.eq(status, 0)
  local _, out = run({ "sources", "--json" }, { XDG_DATA_HOME = tmpdir .. "/xdg" }, notes)
  local result = json.decode(out)
  t.eq(#result.sources, 1)
  t.truthy(result.library:match("/notes/%.policylink$"), result.library)
  status, out = run({ "sources", "--json" }, { XDG_DATA_HOME = tmpdir .. "/xdg" }, tmpdir)
  t.eq(status, 0)
  result = json.decode(out)
  t.eq(result.library, tmpdir .. "/xdg/policylink")
  t.eq(#result.sources, 0)
end)

local failed = t.run(io.write)
server:close()
os.execute("rm -rf '" .. tmpdir .. "'")
os.exit(failed == 0 and 0 or 1)
