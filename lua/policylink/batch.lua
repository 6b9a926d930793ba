-- Linking a whole folder of notes (`policylink link DIR --in-place`): finding
-- the notes, the glossary's path as seen from each note's folder, and the
-- unified diff `--dry-run` prints. Plain Lua 5.4; the listing runs find(1).
local M = {}

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

---Whether path names a folder (opening "path/." works only for folders).
---@param path string
---@return boolean
function M.is_dir(path)
  local f = io.open(path .. "/.", "rb")
  if f then
    f:close()
    return true
  end
  return false
end

-- Temporary files a write (core.write_file) leaves behind when killed.
local TMP_PATTERN = "^(.*)%.policylink%-%d+%-%d+%.tmp$"

---The Markdown notes under dir (*.md, *.markdown, any case), recursively,
---in byte order, skipping hidden files and folders. Returns the notes as
---{path =, mode = permission bits}, the temporary files an interrupted run
---left beside a note (paths), and whether find succeeded (its own messages
---go to standard error).
---@param dir string
---@return {path: string, mode: integer}[] notes
---@return string[] stale temporary files
---@return boolean ok
function M.list_notes(dir)
  local start = dir:sub(1, 1) == "-" and ("./" .. dir) or dir
  local cmd = "find " .. shell_quote(start) .. " -mindepth 1 -name '.*' -prune -o -type f"
    .. " \\( -iname '*.md' -o -iname '*.markdown' -o -name '*.policylink-*.tmp' \\)"
    .. " -printf '%m %p\\0'"
  local pipe = assert(io.popen(cmd, "r"))
  local out = pipe:read("a") or ""
  local ok = pipe:close()
  local notes, tmps, by_path = {}, {}, {}
  for mode, path in out:gmatch("(%d+) (%Z+)%z") do
    path = path:gsub("//+", "/"):gsub("^%./", "")
    if path:match(TMP_PATTERN) then
      tmps[#tmps + 1] = path
    elseif path:lower():match("%.md$") or path:lower():match("%.markdown$") then
      notes[#notes + 1] = { path = path, mode = tonumber(mode, 8) }
      by_path[path] = true
    end
  end
  table.sort(notes, function(a, b)
    return a.path < b.path
  end)
  local stale = {}
  for _, tmp in ipairs(tmps) do
    if by_path[tmp:match(TMP_PATTERN)] then
      stale[#stale + 1] = tmp
    end
  end
  table.sort(stale)
  return notes, stale, ok == true
end

---The permission bits of one file (nil when find cannot tell).
---@param path string
---@return integer|nil
function M.mode_of(path)
  local start = path:sub(1, 1) == "-" and ("./" .. path) or path
  local pipe = io.popen("find " .. shell_quote(start) .. " -maxdepth 0 -printf '%m' 2>/dev/null", "r")
  if not pipe then
    return nil
  end
  local out = pipe:read("a")
  pipe:close()
  return out and tonumber(out, 8)
end

---Whether the file can be rewritten: it has a write permission bit (checked
---by hand because root may write anything) and opens for writing. Returns
---false and the reason otherwise.
---@param path string
---@param mode integer|nil
---@return boolean
---@return string|nil reason
function M.writable(path, mode)
  if mode and mode & 146 == 0 then
    return false, "Permission denied"
  end
  local f, err = io.open(path, "r+b")
  if not f then
    return false, (err or ""):gsub("^.-: ", "")
  end
  f:close()
  return true
end

local cwd
local function current_dir()
  if not cwd then
    local pipe = io.popen("pwd", "r")
    cwd = pipe and (pipe:read("l") or "") or ""
    if pipe then
      pipe:close()
    end
    if cwd == "" then
      cwd = os.getenv("PWD") or "/"
    end
  end
  return cwd
end

---The absolute form of path, with ".", ".." and repeated slashes resolved
---by name (symbolic links are not followed).
---@param path string
---@return string
function M.absolute(path)
  if path:sub(1, 1) ~= "/" then
    path = current_dir() .. "/" .. path
  end
  local parts = {}
  for part in path:gmatch("[^/]+") do
    if part == ".." then
      parts[#parts] = nil
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  return "/" .. table.concat(parts, "/")
end

---The path of file as a link from a note in folder: "glossary.md",
---"../glossary.md", "terms/glossary.md".
---@param folder string the note's folder
---@param file string
---@return string
function M.relative(folder, file)
  local from, to = {}, {}
  for part in M.absolute(folder):gmatch("[^/]+") do
    from[#from + 1] = part
  end
  for part in M.absolute(file):gmatch("[^/]+") do
    to[#to + 1] = part
  end
  local common = 0
  while common < #from and common < #to - 1 and from[common + 1] == to[common + 1] do
    common = common + 1
  end
  local out = {}
  for _ = common + 1, #from do
    out[#out + 1] = ".."
  end
  for i = common + 1, #to do
    out[#out + 1] = to[i]
  end
  return table.concat(out, "/")
end

---The folder part of a path ("." when it has none).
---@param path string
---@return string
function M.dirname(path)
  return path:match("^(.*)/[^/]*$") or "."
end

-- Unified diff ------------------------------------------------------------

-- Lines with their terminators, so a missing final newline is a change.
local function split_lines(s)
  local lines, pos = {}, 1
  while pos <= #s do
    local nl = s:find("\n", pos, true)
    lines[#lines + 1] = s:sub(pos, nl or #s)
    pos = (nl or #s) + 1
  end
  return lines
end

-- The edit script from a to b (Myers' O((N+M)D) algorithm, after trimming
-- the common head and tail): a list of {op, line}, op "=", "-" or "+".
local function edit_script(a, b)
  local n, m = #a, #b
  local head = 0
  while head < n and head < m and a[head + 1] == b[head + 1] do
    head = head + 1
  end
  local tail = 0
  while tail < n - head and tail < m - head and a[n - tail] == b[m - tail] do
    tail = tail + 1
  end
  local N, M = n - head - tail, m - head - tail
  local v, trace, depth = { [1] = 0 }, {}, nil
  for d = 0, N + M do
    local snapshot = {}
    for k = -d, d, 2 do
      local x
      if k == -d or (k ~= d and v[k - 1] < v[k + 1]) then
        x = v[k + 1]
      else
        x = v[k - 1] + 1
      end
      local y = x - k
      while x < N and y < M and a[head + x + 1] == b[head + y + 1] do
        x, y = x + 1, y + 1
      end
      v[k], snapshot[k] = x, x
      if x >= N and y >= M then
        depth = d
        break
      end
    end
    trace[d] = snapshot
    if depth then
      break
    end
  end
  local middle, x, y = {}, N, M
  for d = depth, 1, -1 do
    local prev = trace[d - 1]
    local k = x - y
    local prev_k = (k == -d or (k ~= d and prev[k - 1] < prev[k + 1])) and k + 1 or k - 1
    local prev_x = prev[prev_k]
    local prev_y = prev_x - prev_k
    while x > prev_x and y > prev_y do
      middle[#middle + 1] = { "=", a[head + x] }
      x, y = x - 1, y - 1
    end
    if x == prev_x then
      middle[#middle + 1] = { "+", b[head + y] }
    else
      middle[#middle + 1] = { "-", a[head + x] }
    end
    x, y = prev_x, prev_y
  end
  while x > 0 do
    middle[#middle + 1] = { "=", a[head + x] }
    x = x - 1
  end
  local ops = {}
  for i = 1, head do
    ops[#ops + 1] = { "=", a[i] }
  end
  for i = #middle, 1, -1 do
    ops[#ops + 1] = middle[i]
  end
  for i = n - tail + 1, n do
    ops[#ops + 1] = { "=", a[i] }
  end
  return ops
end

local function range(start, count)
  if count == 0 then
    return (start - 1) .. ",0"
  elseif count == 1 then
    return tostring(start)
  end
  return start .. "," .. count
end

---A unified diff (as `diff -u`, 3 lines of context) from old to new, with
---`--- a/NAME` and `+++ b/NAME` headers; "" when they are equal.
---@param old string
---@param new string
---@param name string the file's path, shown after a/ and b/
---@return string
function M.unified_diff(old, new, name)
  if old == new then
    return ""
  end
  local context = 3
  local ops = edit_script(split_lines(old), split_lines(new))
  -- Line numbers before each op.
  local old_at, new_at = {}, {}
  local o, n = 1, 1
  for i, op in ipairs(ops) do
    old_at[i], new_at[i] = o, n
    if op[1] ~= "+" then
      o = o + 1
    end
    if op[1] ~= "-" then
      n = n + 1
    end
  end
  local shown = name:gsub("^%./", ""):gsub("^/", "")
  local out = { "--- a/" .. shown .. "\n", "+++ b/" .. shown .. "\n" }
  local i = 1
  while i <= #ops do
    if ops[i][1] == "=" then
      i = i + 1
    else
      local first = math.max(1, i - context)
      local last = i
      -- Extend while the next change is within two contexts of this one.
      local j = i
      while j <= #ops do
        if ops[j][1] ~= "=" then
          last = j
          j = j + 1
        elseif j - last > 2 * context then
          break
        else
          j = j + 1
        end
      end
      last = math.min(#ops, last + context)
      local old_count, new_count = 0, 0
      for h = first, last do
        if ops[h][1] ~= "+" then
          old_count = old_count + 1
        end
        if ops[h][1] ~= "-" then
          new_count = new_count + 1
        end
      end
      out[#out + 1] = string.format("@@ -%s +%s @@\n", range(old_at[first], old_count), range(new_at[first], new_count))
      for h = first, last do
        local op, line = ops[h][1], ops[h][2]
        local mark = op == "=" and " " or op
        if line:sub(-1) == "\n" then
          out[#out + 1] = mark .. line
        else
          out[#out + 1] = mark .. line .. "\n\\ No newline at end of file\n"
        end
      end
      i = last + 1
    end
  end
  return table.concat(out)
end

return M
