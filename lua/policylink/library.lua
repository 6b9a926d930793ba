-- The library of sources, for the command line and the editor: finding and
-- opening the folder, turning a fetched page or a file into a stored
-- source, and reading sources and their cached results back. The storage
-- itself (atomic writes, index, cache) is the core's (src/library.c).
local core = require("policylink.core")

local M = {}

---The --library option every command that uses the library takes.
M.library_option = {
  value = true,
  metavar = "DIR",
  help = "the library folder (default: a .policylink folder here or above, "
    .. "else $XDG_DATA_HOME/policylink)",
}

---Opens the library: dir when given, else a .policylink folder in
---start_dir (default: the current directory) or above it, else the user's
---data directory. Nothing is created until something is added.
---@param dir? string
---@param start_dir? string
---@return table|nil library, string|nil message
function M.open(dir, start_dir)
  local path, message = core.library_resolve(dir, start_dir)
  if not path then
    return nil, message
  end
  return core.library_open(path)
end

---Whether s is meant as a URL (a scheme and "://") rather than a file name.
---@param s string
---@return boolean
function M.is_url(s)
  return s:match("^%a[%w+.-]*://") ~= nil
end

---"2026-11-28T14:09:07Z" for a Unix time (nil for 0 or nil).
---@param t? number
---@return string|nil
function M.iso_time(t)
  if not t or t == 0 then
    return nil
  end
  return os.date("!%Y-%m-%dT%H:%M:%SZ", t)
end

---Cleans a result of core.fetch with the text engine, as its content type
---says (HTML, plain text, or sniffed when the server sent no type).
---@param result table
---@return table|nil document, string|nil message
function M.clean_fetched(result)
  return core.clean(result.body, { format = result.format or "auto" })
end

---Stores a cleaned document as the source of origin (a URL, or a file's
---absolute path); fetched is the core.fetch result for a URL.
---@param lib table a library from M.open
---@param origin string
---@param doc table from core.clean
---@param fetched? table from core.fetch
---@return table|nil source, string outcome_or_message ("new", "updated", "unchanged")
function M.store(lib, origin, doc, fetched)
  return lib:add({
    origin = origin,
    title = doc.title,
    author = doc.author,
    date = doc.date,
    source = doc.source,
    content_type = fetched and fetched.content_type or nil,
    etag = fetched and fetched.etag or nil,
    last_modified = fetched and fetched.last_modified or nil,
  }, doc.text)
end

-- Records a 304 answer: the text stays, the record notes the check (and
-- any new validators the server sent).
local function touch(lib, req, result)
  local text, src = lib:text(req.id)
  if not text then
    return nil, src
  end
  local stored, err = lib:add({
    origin = src.origin,
    title = src.title,
    author = src.author,
    date = src.date,
    source = src.source,
    content_type = src.content_type,
    etag = result.etag or src.etag,
    last_modified = result.last_modified or src.last_modified,
  }, text)
  return stored, stored and "unchanged" or err
end

---Fetches pages concurrently (core.fetch_many) and stores each one as it
---arrives, so a long run keeps what it got if it is interrupted.
---on_done(request, done, total, source, outcome, message) is called once a
---request, with source nil and message set on failure; outcome is "new",
---"updated" or "unchanged" (a 304 answer to a request with etag or
---last_modified is "unchanged" too).
---@param lib table
---@param requests table[] {url=, etag=, last_modified=, id=} (id: the source being refreshed)
---@param opts? table limits for core.fetch_many
---@param on_done fun(req: table, done: integer, total: integer, src: table|nil, outcome: string|nil, message: string|nil)
function M.fetch_into(lib, requests, opts, on_done)
  core.fetch_many(requests, opts, function(result, done, total, index)
    local req = requests[index]
    local src, outcome, message
    if result.error then
      message = result.error
    elseif result.not_modified then
      src, outcome = touch(lib, req, result)
    else
      local doc, err = M.clean_fetched(result)
      if doc then
        src, outcome = M.store(lib, req.url, doc, result)
      else
        outcome = err
      end
    end
    if not src then
      message, outcome = message or outcome, nil
    end
    on_done(req, done, total, src, outcome, message)
  end)
end

---Reads a whole file; on failure nil and "cannot read 'PATH': why".
---@param path string
---@return string|nil data
---@return string|nil message
function M.read_file(path)
  local f, err = io.open(path, "rb")
  if not f then
    return nil, string.format("cannot read '%s': %s", path, (err or ""):gsub("^.-: ", ""))
  end
  local data, read_err = f:read("*a")
  f:close()
  if not data then
    return nil, string.format("cannot read '%s': %s", path, read_err or "read error")
  end
  return data
end

---Cleans a file and stores it as the source of its origin (its absolute
---path, symbolic links resolved, so the same file added from two folders is
---one source); adding it again updates it. Shared by `policylink add` and
---`refresh` and the editor's :PolicyLink add and refresh.
---@param lib table
---@param path string
---@param origin? string the origin already recorded (refresh): kept as it is
---@return table|nil source
---@return string outcome_or_message "new", "updated", "unchanged", or why not
---@return table|nil document the cleaned document (for its replaced_bytes)
function M.add_file(lib, path, origin)
  if not origin then
    local message
    origin, message = core.file_origin(path)
    if not origin then
      return nil, message
    end
  end
  local data, read_message = M.read_file(path)
  if not data then
    return nil, read_message
  end
  local doc, clean_message = core.clean(data, { format = "auto" })
  if not doc then
    return nil, string.format("%s: %s", path, clean_message)
  end
  local src, outcome = M.store(lib, origin, doc)
  if not src then
    return nil, string.format("%s: %s", path, outcome)
  end
  return src, outcome, doc
end

---The cached result `name` of the text whose content hash is `hash`: read
---from the cache, or made with make() and stored, so unchanged sources are
---never processed twice. make returns a string (encode tables yourself), or
---nil and a message.
---@param lib table
---@param hash string 16 hexadecimal digits (a source's hash, or core.hash(bytes))
---@param name string e.g. "terms.json"
---@param make fun(): string|nil, string|nil
---@return string|nil data
---@return string|nil message
---@return boolean|nil hit whether the cache had it
function M.cached(lib, hash, name, make)
  local data = lib:cache_get(hash, name)
  if data then
    return data, nil, true
  end
  local message
  data, message = make()
  if not data then
    return nil, message
  end
  local ok, err = lib:cache_put(hash, name, data)
  if not ok then
    return nil, err
  end
  return data, nil, false
end

return M
