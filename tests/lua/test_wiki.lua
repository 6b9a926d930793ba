-- Tests of notes in wikis and pipelines: linking a folder of notes (diff,
-- idempotence, read-only and interrupted runs), links that match the
-- glossary page's anchors, safe HTML, and the pandoc filter. Run with lua5.4:
--   lua5.4 tests/lua/test_wiki.lua BUILD/policylink SOURCE_DIR [batch|pandoc]
-- "pandoc" runs only the tests that need pandoc (exit 77 when it is absent),
-- "batch" only the others; without a third argument, both.
local program, root, group = arg[1], arg[2], arg[3]
package.path = root .. "/tests/lua/?.lua;" .. root .. "/lua/?.lua;" .. package.path
local t = require("harness")
local json = require("policylink.json")

local FIXTURES = root .. "/tests/fixtures/wiki"
local FILTER = root .. "/examples/pandoc/policylink.lua"
local tmpdir = os.tmpname()
os.remove(tmpdir)
assert(os.execute("mkdir -p '" .. tmpdir .. "'"))

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local read_file = t.read_file

local function write_path(path, data)
  assert(os.execute("mkdir -p " .. shell_quote(path:match("^(.*)/"))))
  return t.write_file(path, data)
end

-- Runs a shell command line with the outputs captured; returns the status
-- (exit code, or 128 + signal), stdout, stderr.
local function sh(cmdline, dir)
  local out, errf = tmpdir .. "/.stdout", tmpdir .. "/.stderr"
  local cmd = (dir and ("cd " .. shell_quote(dir) .. " && ") or "") .. cmdline
  local _, how, code = os.execute("{ " .. cmd .. "\n} >" .. out .. " 2>" .. errf .. " </dev/null")
  return how == "signal" and 128 + code or code, read_file(out), read_file(errf)
end

-- Runs the program with args (a list), in dir when given.
local function run(args, dir, prefix)
  local quoted = {}
  for i, a in ipairs(args) do
    quoted[i] = shell_quote(a)
  end
  return sh((prefix or "") .. shell_quote(program) .. " " .. table.concat(quoted, " "), dir)
end

-- The files under dir (relative paths) with their contents.
local function tree(dir)
  local pipe = io.popen("cd " .. shell_quote(dir) .. " && find . -type f -print0 | sort -z")
  local list = pipe:read("a")
  pipe:close()
  local files = {}
  for path in list:gmatch("%./(%Z+)%z") do
    files[path] = read_file(dir .. "/" .. path)
  end
  return files
end

local function keys(t_)
  local out = {}
  for k in pairs(t_) do
    out[#out + 1] = k
  end
  table.sort(out)
  return table.concat(out, " ")
end

local function mode_of(path)
  local pipe = io.popen("find " .. shell_quote(path) .. " -maxdepth 0 -printf '%m'")
  local mode = pipe:read("a")
  pipe:close()
  return mode
end

local GLOSSARY = [[
# Glossary

## Four Improvements
Case: capitalized

Four directions for the economic system.

## Local conditions

What each region has.
]]

local NOTES = {
  ["glossary.md"] = GLOSSARY,
  ["plenum.md"] = "# Plenum\n\nThe Four Improvements follow local conditions.\n",
  ["regions/east.md"] = "Line one.\nLine two.\nLine three.\nLine four.\nLocal conditions differ.\n"
    .. "Line six.\nLine seven.\nLine eight.\nLine nine.\nLine ten.\nLine eleven.\nLine twelve.\nThe Four Improvements",
  ["regions/deep/west.markdown"] = "Local conditions, once more.\n",
  ["regions/plain.md"] = "Nothing to link here.\n",
  ["notes.txt"] = "Local conditions in a text file.\n",
  [".obsidian/cache.md"] = "Local conditions in a hidden folder.\n",
  ["plenum.md.bak"] = "Local conditions in a backup.\n",
}

local LINKED = {
  ["plenum.md"] = "# Plenum\n\nThe [Four Improvements](glossary.md#four-improvements) follow "
    .. "[local conditions](glossary.md#local-conditions).\n",
  ["regions/east.md"] = "Line one.\nLine two.\nLine three.\nLine four.\n"
    .. "[Local conditions](../glossary.md#local-conditions) differ.\n"
    .. "Line six.\nLine seven.\nLine eight.\nLine nine.\nLine ten.\nLine eleven.\nLine twelve.\n"
    .. "The [Four Improvements](../glossary.md#four-improvements)",
  ["regions/deep/west.markdown"] = "[Local conditions](../../glossary.md#local-conditions), once more.\n",
}

local vault_count = 0
-- A fresh folder of notes; returns its path.
local function make_vault(extra)
  vault_count = vault_count + 1
  local dir = tmpdir .. "/vault" .. vault_count
  for path, data in pairs(NOTES) do
    write_path(dir .. "/" .. path, data)
  end
  for path, data in pairs(extra or {}) do
    write_path(dir .. "/" .. path, data)
  end
  return dir
end

local function expected_tree(overrides)
  local files = {}
  for path, data in pairs(NOTES) do
    files[path] = LINKED[path] or data
  end
  for path, data in pairs(overrides or {}) do
    files[path] = data or nil
  end
  return files
end

local function same_tree(actual, expected)
  t.eq(keys(actual), keys(expected), "files")
  for path, data in pairs(expected) do
    t.eq(actual[path], data, path)
  end
end

local DIFF = [[
--- a/plenum.md
+++ b/plenum.md
@@ -1,3 +1,3 @@
 # Plenum
 
-The Four Improvements follow local conditions.
+The [Four Improvements](glossary.md#four-improvements) follow [local conditions](glossary.md#local-conditions).
--- a/regions/deep/west.markdown
+++ b/regions/deep/west.markdown
@@ -1 +1 @@
-Local conditions, once more.
+[Local conditions](../../glossary.md#local-conditions), once more.
--- a/regions/east.md
+++ b/regions/east.md
@@ -2,7 +2,7 @@
 Line two.
 Line three.
 Line four.
-Local conditions differ.
+[Local conditions](../glossary.md#local-conditions) differ.
 Line six.
 Line seven.
 Line eight.
@@ -10,4 +10,4 @@
 Line ten.
 Line eleven.
 Line twelve.
-The Four Improvements
\ No newline at end of file
+The [Four Improvements](../glossary.md#four-improvements)
\ No newline at end of file
]]

if group ~= "pandoc" then
  t.test("link FOLDER --dry-run prints a unified diff and writes nothing", function()
    local dir = make_vault()
    local status, out, err = run({ "link", ".", "-g", "glossary.md", "--dry-run" }, dir)
    t.eq(status, 0, err)
    t.eq(out, DIFF)
    t.eq(err, "policylink: dry run: 3 files would change, 5 links would be added, 1 unchanged\n")
    same_tree(tree(dir), NOTES)
  end)

  t.test("the dry-run diff applies with patch(1) and gives the linked notes", function()
    local dir = make_vault()
    local _, out = run({ "link", ".", "-g", "glossary.md", "-n" }, dir)
    write_path(tmpdir .. "/vault.patch", out)
    local status, _, err = sh("patch -s -p1 <" .. shell_quote(tmpdir .. "/vault.patch"), dir)
    t.eq(status, 0, err)
    same_tree(tree(dir), expected_tree())
  end)

  t.test("link FOLDER --in-place links every note, relative to its folder, and skips the rest", function()
    local dir = make_vault()
    local status, out, err = run({ "link", dir .. "/", "--glossary", dir .. "/glossary.md", "--in-place" })
    t.eq(status, 0, err)
    t.eq(out, "")
    t.eq(err, "policylink: 3 files changed, 5 links added, 1 unchanged\n")
    same_tree(tree(dir), expected_tree())
  end)

  t.test("a second run changes nothing (idempotent)", function()
    local dir = make_vault()
    run({ "link", dir, "-g", dir .. "/glossary.md", "-i" })
    local before = tree(dir)
    local status, out, err = run({ "link", dir, "-g", dir .. "/glossary.md", "-i" })
    t.eq(status, 0)
    t.eq(out, "")
    t.eq(err, "policylink: 0 files changed, 0 links added, 4 unchanged\n")
    same_tree(tree(dir), before)
    status, out, err = run({ "link", dir, "-g", dir .. "/glossary.md", "--dry-run" })
    t.eq(status, 0)
    t.eq(out, "")
    t.eq(err, "policylink: dry run: 0 files would change, 0 links would be added, 4 unchanged\n")
  end)

  t.test("a read-only note is reported, the others are linked, the exit status is 1", function()
    local dir = make_vault()
    assert(os.execute("chmod 444 " .. shell_quote(dir .. "/regions/east.md")))
    local status, out, err = run({ "link", ".", "-g", "glossary.md", "-i" }, dir)
    t.eq(status, 1)
    t.eq(out, "")
    t.eq(err, "policylink: cannot write 'regions/east.md': Permission denied\n"
      .. "policylink: 2 files changed, 3 links added, 1 unchanged, 1 failed\n")
    same_tree(tree(dir), expected_tree({ ["regions/east.md"] = NOTES["regions/east.md"] }))
    t.eq(mode_of(dir .. "/regions/east.md"), "444")
  end)

  t.test("a note keeps its permissions when rewritten", function()
    local dir = make_vault()
    assert(os.execute("chmod 600 " .. shell_quote(dir .. "/plenum.md")))
    assert(os.execute("chmod 664 " .. shell_quote(dir .. "/regions/east.md")))
    local status, _, err = run({ "link", dir, "-g", dir .. "/glossary.md", "-i" })
    t.eq(status, 0, err)
    t.eq(mode_of(dir .. "/plenum.md"), "600")
    t.eq(mode_of(dir .. "/regions/east.md"), "664")
    t.eq(read_file(dir .. "/plenum.md"), LINKED["plenum.md"])
  end)

  t.test("a run killed while writing leaves every note old or new; the next run cleans up", function()
    -- regions/big.md sorts between plenum.md and regions/deep/west.markdown;
    -- with a 4 KiB file size limit, writing it kills the program (SIGXFSZ).
    local big = ("Local conditions matter. "):rep(4000) .. "\n"
    local dir = make_vault({ ["regions/big.md"] = big })
    local status = run({ "link", ".", "-g", "glossary.md", "-i" }, dir, "ulimit -f 8; ")
    t.truthy(status ~= 0, "the program was killed")
    local files = tree(dir)
    local tmps = {}
    for path, data in pairs(files) do
      if path:match("%.policylink%-%d+%-%d+%.tmp$") then
        tmps[#tmps + 1] = path
      else
        local old, new = NOTES[path] or big, LINKED[path] or (NOTES[path] or big)
        t.truthy(data == old or data == new, path .. " is either old or new")
      end
    end
    t.eq(files["plenum.md"], LINKED["plenum.md"], "written before the kill")
    t.eq(files["regions/big.md"], big, "the note being written is untouched")
    t.eq(files["regions/east.md"], NOTES["regions/east.md"], "not reached")
    t.eq(#tmps, 1, "the interrupted temporary file")
    t.truthy(tmps[1]:match("^regions/big%.md%.policylink%-"), tmps[1])
    local err
    status, _, err = run({ "link", ".", "-g", "glossary.md", "-i" }, dir)
    t.eq(status, 0, err)
    t.eq(err, "policylink: warning: removed '" .. tmps[1] .. "', left by an interrupted run\n"
      .. "policylink: 3 files changed, 4003 links added, 2 unchanged\n")
    files = tree(dir)
    t.eq(files[tmps[1]], nil, "no temporary file left")
    t.eq(files["regions/east.md"], LINKED["regions/east.md"])
    t.eq(files["regions/big.md"], ("[Local conditions](../glossary.md#local-conditions) matter. "):rep(4000) .. "\n")
  end)

  t.test("a folder without --in-place or --dry-run is a usage error", function()
    local dir = make_vault()
    local status, out, err = run({ "link", dir, "-g", dir .. "/glossary.md" })
    t.eq(status, 2)
    t.eq(out, "")
    t.eq(err, "policylink: '" .. dir .. "' is a folder: link its notes with --in-place or --dry-run\n"
      .. "Try 'policylink link --help'.\n")
    status, _, err = run({ "link", dir, "-g", dir .. "/glossary.md", "--format", "json", "-n" })
    t.eq(status, 2)
    t.contains(err, "--in-place and --dry-run need a link format (not json)")
  end)

  t.test("one note: --dry-run diff; links from a subfolder point up to the glossary", function()
    local dir = make_vault()
    local status, out, err = run({ "link", "regions/deep/west.markdown", "-g", "glossary.md", "-n" }, dir)
    t.eq(status, 0, err)
    t.eq(out, "--- a/regions/deep/west.markdown\n+++ b/regions/deep/west.markdown\n@@ -1 +1 @@\n"
      .. "-Local conditions, once more.\n+[Local conditions](../../glossary.md#local-conditions), once more.\n")
    t.eq(read_file(dir .. "/regions/deep/west.markdown"), NOTES["regions/deep/west.markdown"])
    status, out = run({ "link", dir .. "/regions/east.md", "-g", dir .. "/glossary.md", "--format", "html" })
    t.eq(status, 0)
    t.contains(out, '<a href="../glossary.html#local-conditions" title="What each region has.">Local conditions</a>')
  end)

  t.test("a glossary path with spaces is percent-encoded in the links", function()
    local dir = make_vault({ ["my notes/a.md"] = "Local conditions.\n", ["my glossary (v2).md"] = GLOSSARY })
    local status, out = run({ "link", "my notes/a.md", "-g", "my glossary (v2).md" }, dir)
    t.eq(status, 0)
    t.eq(out, "[Local conditions](../my%20glossary%20%28v2%29.md#local-conditions).\n")
  end)

  t.test("wiki links point at the glossary page's heading (Obsidian)", function()
    local dir = make_vault()
    local status, out = run({ "link", "plenum.md", "-g", "glossary.md", "--format", "wiki" }, dir)
    t.eq(status, 0)
    t.eq(out, "# Plenum\n\nThe [[glossary#Four Improvements|Four Improvements]] follow "
      .. "[[glossary#Local conditions|local conditions]].\n")
  end)

  t.test("HTML links escape terms, explanations and the target; tooltips stay valid UTF-8", function()
    local dir = make_vault({
      ["g.md"] = "## Tariff\n\nA tax on <script>alert('x')</script> & \"goods\".\n\n"
        .. "## 新质生产力\n\n" .. ("新质生产力是创新起主导作用的先进生产力质态"):rep(10) .. "\n",
      ["n.md"] = "The tariff and 新质生产力.\n",
    })
    local status, out = run({ "link", "n.md", "-g", "g.md", "--format", "html",
      "--glossary-link", 'g.html" onmouseover="alert(1)' }, dir)
    t.eq(status, 0)
    local title = out:match('title="([^"]*)">新质生产力')
    t.contains(out, 'The <a href="g.html&quot; onmouseover=&quot;alert(1)#tariff" '
      .. 'title="A tax on &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;goods&quot;.">tariff</a> and ')
    t.lacks(out, "<script>")
    t.truthy(title and utf8.len(title), "the tooltip is valid UTF-8")
    t.eq(title:sub(-3), "…")
    t.truthy(#title <= 303, "at most 300 bytes and an ellipsis")
  end)

  t.test("link --format json carries the explanation and its tooltip summary", function()
    local dir = make_vault()
    local status, out = run({ "link", "-", "-g", "glossary.md", "--format", "json" }, dir, "echo 'Local conditions.' | ")
    t.eq(status, 0)
    local m = json.decode(out).matches
    t.eq(#m, 1)
    t.eq(m[1].explanation, "What each region has.")
    t.eq(m[1].summary, "What each region has.")
    t.eq(m[1].anchor, "local-conditions")
  end)
end

local function pandoc_available()
  local ok = os.execute("command -v pandoc >/dev/null 2>&1")
  return ok
end

if group ~= "batch" then
  if not pandoc_available() then
    if group == "pandoc" then
      io.write("skip: pandoc is not installed (apt-get install pandoc, or sh scripts/deps.sh)\n")
      os.execute("rm -rf '" .. tmpdir .. "'")
      os.exit(77)
    end
    io.write("skip: the pandoc tests (pandoc is not installed)\n")
  else
    local bin = program:match("^(.*)/") or "."
    if bin:sub(1, 1) ~= "/" then
      bin = os.getenv("PWD") .. "/" .. bin
    end
    local pandoc = "PATH=" .. shell_quote(bin) .. ":\"$PATH\" pandoc --wrap=none -L " .. shell_quote(FILTER) .. " "

    t.test("the pandoc filter renders the example note to the exact expected HTML", function()
      local status, out, err = sh(pandoc .. "note.md -t html", root .. "/examples/pandoc")
      t.eq(status, 0, err)
      t.eq(err, "")
      t.eq(out, read_file(FIXTURES .. "/note.expected.html"))
    end)

    t.test("the filter's options: footnotes, once per section, headers, no raw HTML", function()
      local status, out, err = sh(pandoc .. "options.md -t gfm", FIXTURES)
      t.eq(status, 0, err)
      t.eq(out, read_file(FIXTURES .. "/options.expected.md"))
      status, out = sh(pandoc .. "options.md -t html", FIXTURES)
      t.eq(status, 0)
      t.lacks(out, "<script>")
      t.contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;")
    end)

    t.test("the filter fails clearly when the program cannot run", function()
      write_path(tmpdir .. "/p/doc.md", "---\npolicylink:\n  program: /nonexistent/policylink\n---\nHi.\n")
      local status, _, err = sh("pandoc -L " .. shell_quote(FILTER) .. " doc.md -t html", tmpdir .. "/p")
      t.truthy(status ~= 0, "pandoc fails")
      t.contains(err, "policylink filter: '/nonexistent/policylink link - --glossary glossary.md --format json' failed")
    end)

    t.test("GitHub heading ids of a generated glossary page are the anchors notes link to", function()
      local dir = tmpdir .. "/gfm"
      assert(os.execute("mkdir -p " .. shell_quote(dir)))
      local status, _, err = run({ "glossary", "--top", "30", root .. "/examples/new-quality-productive-forces.txt",
        "-o", dir .. "/glossary.md" })
      t.eq(status, 0, err)
      local _, html = sh("pandoc -f gfm -t html glossary.md", dir)
      local ids = {}
      for id in html:gmatch('<h2 id="([^"]*)"') do
        ids[id] = true
      end
      local _, out = run({ "link", root .. "/examples/notes/plenum-notes.md", "-g", dir .. "/glossary.md",
        "--format", "json" })
      local matches = json.decode(out).matches
      t.truthy(#matches >= 4, "the example note has terms")
      for _, m in ipairs(matches) do
        t.truthy(ids[m.anchor], "anchor " .. m.anchor .. " is a heading id")
      end
    end)
  end
end

local failed = t.run(io.write)
os.execute("chmod -R u+w '" .. tmpdir .. "' 2>/dev/null; rm -rf '" .. tmpdir .. "'")
os.exit(failed == 0 and 0 or 1)
