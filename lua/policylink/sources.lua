-- The editor's glossary and where it comes from. Each source (an article)
-- gives a part, made by policylink.glossary exactly as `policylink glossary`
-- makes it and cached in the source library by content hash; the parts are
-- merged in order and the user's glossary page over them. Sources are those
-- of the `sources` option and those of the library, which :PolicyLink add
-- fills and which the next start reopens without reading or fetching
-- anything again. URLs are fetched by the policylink program, run
-- asynchronously.
local M = {}

local uv = vim.uv or vim.loop

local function policylink()
  return require("policylink")
end

local function config()
  return require("policylink.config").get()
end

-- What the editor knows: the sources in order, the user's parsed glossary
-- page, the library, and the glossary built from them (rebuilt on change).
local state = {
  sources = {},
  by_origin = {},
  user = nil,
  user_error = nil,
  loaded = false,
  glossary = nil,
  generation = 0,
  lib = nil,
  lib_error = nil,
  lib_opened = false,
}
local listeners = {}

local function notify(message, level)
  vim.notify(message, level or vim.log.levels.INFO, { title = "policylink" })
end

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then
    return nil, string.format("cannot read '%s': %s", path, (err or ""):gsub("^.-: ", ""))
  end
  local data = f:read("*a")
  f:close()
  if not data then
    return nil, string.format("cannot read '%s'", path)
  end
  return data
end

local function is_url(origin)
  return origin:match("^[%a][%w+.-]*://") ~= nil
end

---Registers fn(generation), called after the glossary changes.
---@param fn function
function M.on_change(fn)
  listeners[#listeners + 1] = fn
end

local function changed()
  state.glossary = nil
  state.generation = state.generation + 1
  for _, fn in ipairs(listeners) do
    fn(state.generation)
  end
end

---The source library (the `library` option, else a .policylink folder in
---the current directory or above, else $XDG_DATA_HOME/policylink), or nil
---and why there is none (the option is false, no home directory).
---@return table|nil library
---@return string|nil message
function M.library()
  if state.lib_opened then
    return state.lib, state.lib_error
  end
  local core, err = policylink().core()
  if not core then
    return nil, err
  end
  state.lib_opened = true
  local setting = config().library
  if setting == false then
    state.lib_error = "the source library is off (the 'library' option is false)"
  elseif not core.library_open then
    state.lib_error = "the compiled core has no source library; run `make` in " .. policylink().plugin_root()
  else
    local lib, message = require("policylink.library").open(setting and vim.fn.expand(setting) or nil,
      vim.fn.getcwd())
    state.lib, state.lib_error = lib, lib == nil and message or nil
  end
  return state.lib, state.lib_error
end

-- The options of the glossary parts, as `policylink glossary --top` takes them.
local function part_options()
  local terms = config().terms
  return { top = terms.top, min_count = terms.min_count }
end

local function new_source(origin, from)
  return {
    origin = origin,
    kind = is_url(origin) and "url" or "file",
    from = from, -- "config", "library" or "session" (added while the library is off)
    status = "loading",
    format = "auto",
    count = 0,
  }
end

-- Marks src failed and says why (naming the source unless message does).
local function fail(src, message)
  src.status, src.error = "failed", message
  local named = message:find(src.origin, 1, true) ~= nil
  notify("policylink: " .. (named and "" or (src.origin .. ": ")) .. message, vim.log.levels.ERROR)
  return false
end

local function take_part(src, part, message, hit)
  if not part then
    return fail(src, message)
  end
  src.part, src.count, src.status, src.error = part, #part.entries, "ready", nil
  if hit ~= nil then
    src.cache = hit and "hit" or "miss"
  end
  local first = part.entries[1] and part.entries[1].sources and part.entries[1].sources[1]
  src.title = src.title or (first and first.title) or src.origin:match("([^/]+)/*$") or src.origin
  return true
end

-- A source of the library: its part from the cache (made from the stored
-- text when missing); the text itself is read only when needed.
local function load_library_source(src, rec)
  src.id, src.hash, src.from, src.format = rec.id, rec.hash, "library", "text"
  src.title = rec.title
  src.text, src.document = nil, nil
  local lib = M.library()
  return take_part(src, require("policylink.glossary").library_part(lib, rec, part_options()))
end

-- An article read or fetched directly: its part, cached by its bytes.
local function load_article(src, data, format, title)
  src.text, src.format, src.title = data, format, title
  local opts = part_options()
  opts.format, opts.title = format, title
  return take_part(src, require("policylink.glossary").article_part(M.library(), data, src.origin, opts))
end

-- Finds the policylink program: the option, the plugin's own build, PATH.
function M.program()
  local cfg = config()
  if cfg.program then
    return vim.fn.expand(cfg.program)
  end
  local root = policylink().plugin_root()
  for _, dir in ipairs({ "build", "build-nvim" }) do
    local path = root .. "/" .. dir .. "/policylink"
    if vim.fn.executable(path) == 1 then
      return path
    end
  end
  if vim.fn.executable("policylink") == 1 then
    return vim.fn.exepath("policylink")
  end
  return nil
end

-- Runs program args asynchronously; on_exit(code, stdout, stderr) runs on
-- the main loop. Returns the process handle, or nil and a message.
local function spawn(program, args, on_exit)
  local stdout, stderr = uv.new_pipe(false), uv.new_pipe(false)
  local out, err = {}, {}
  local handle, pid_or_err
  handle, pid_or_err = uv.spawn(program, { args = args, stdio = { nil, stdout, stderr } }, function(code)
    local pending = 2
    local function finish()
      pending = pending - 1
      if pending > 0 then
        return
      end
      handle:close()
      vim.schedule(function()
        on_exit(code, table.concat(out), table.concat(err))
      end)
    end
    -- The pipes may still hold data: read them to their end before finishing.
    for _, pipe in ipairs({ stdout, stderr }) do
      if pipe:is_closing() then
        finish()
      else
        pipe:read_stop()
        pipe:close(finish)
      end
    end
  end)
  if not handle then
    stdout:close()
    stderr:close()
    return nil, tostring(pid_or_err)
  end
  stdout:read_start(function(_, data)
    if data then
      out[#out + 1] = data
    end
  end)
  stderr:read_start(function(_, data)
    if data then
      err[#err + 1] = data
    end
  end)
  return handle
end

-- Why the program failed for a URL: its last line, without the program's
-- name and the URL (which the plugin's message names already).
local function reason_of(origin, code, out, err)
  local lines = vim.split(vim.trim(err ~= "" and err or out), "\n", { plain = true })
  local reason = (lines[#lines] or ""):gsub("^policylink: ", "")
  if reason:sub(1, #origin + 2) == origin .. ": " then
    reason = reason:sub(#origin + 3)
  end
  return reason ~= "" and reason or ("exit status " .. code)
end

-- Runs the program for a URL source in the background: `add URL --library
-- DIR` into the library, or `fetch --json URL` when there is none.
-- done(ok) once it is ready or has failed.
local function fetch(src, done)
  local program = M.program()
  if not program then
    fail(src, "the policylink program is not built (run `make` in " .. policylink().plugin_root()
      .. ") nor on PATH; set the 'program' option")
    return done(false)
  end
  local lib = src.from == "library" and M.library() or nil
  local args = lib and { "add", src.origin, "--library", lib:path() } or { "fetch", "--json", src.origin }
  notify("policylink: fetching " .. src.origin .. " …")
  local handle, message = spawn(program, args, function(code, out, err)
    if src.cancelled then
      return
    end
    local ok
    if lib then
      local id = code == 0 and out:match("^%a+ (%x+) ")
      if not id then
        src.from = "session" -- not stored: a failed page lasts for the session
        ok = fail(src, reason_of(src.origin, code, out, err))
      else
        local rec, get_message = lib:get(id)
        if rec then
          ok = load_library_source(src, rec)
        else
          ok = fail(src, get_message)
        end
      end
    else
      local decoded, doc = pcall(vim.json.decode, out)
      if code ~= 0 or not decoded or type(doc) ~= "table" or type(doc.text) ~= "string" then
        ok = fail(src, reason_of(src.origin, code, out, err))
      else
        ok = load_article(src, doc.text, "text", type(doc.title) == "string" and doc.title or nil)
      end
    end
    if ok then
      notify(string.format("policylink: added %s (%d terms)", src.title or src.origin, src.count))
    end
    done(ok)
  end)
  if not handle then
    fail(src, "cannot run " .. program .. ": " .. message)
    return done(false)
  end
  src.process = handle
end

-- Loads a source that is not in the library: a file now, a URL in the
-- background. done(ok) once it is ready or has failed (for a file, before
-- this returns).
local function load_direct(src, done)
  if src.kind == "url" then
    return fetch(src, done)
  end
  local data, err = read_file(src.origin)
  if not data then
    fail(src, err)
    return done(false)
  end
  done(load_article(src, data, "auto", nil))
end

local function load_user_glossary(core)
  state.user, state.user_error = nil, nil
  local path = config().glossary
  if not path then
    return
  end
  if not core.glossary_parse then
    state.user_error = "reading a glossary page needs a newer compiled core; run `make` in "
      .. policylink().plugin_root()
    notify("policylink: " .. state.user_error, vim.log.levels.ERROR)
    return
  end
  local data, err = read_file(vim.fn.expand(path))
  if data then
    local parsed, message = core.glossary_parse(data)
    if parsed then
      state.user = parsed
      return
    end
    err = path .. ": " .. message
  end
  state.user_error = err
  notify("policylink: " .. err, vim.log.levels.ERROR)
end

-- The origin a path or URL is known by: URLs as they are, files as their
-- absolute path with links resolved (as the library records them).
local function origin_of(arg)
  if is_url(arg) then
    return arg
  end
  local path = vim.fn.fnamemodify(vim.fn.expand(arg), ":p")
  local core = policylink().core()
  local resolved = core and core.file_origin and core.file_origin(path)
  return resolved or path
end

-- Puts src in the list in place of the source of the same origin, or last.
local function put(src, replaces)
  local old = replaces or state.by_origin[src.origin]
  if old then
    old.cancelled = true
    state.by_origin[old.origin] = nil
    for i, s in ipairs(state.sources) do
      if s == old then
        state.sources[i] = src
        state.by_origin[src.origin] = src
        return
      end
    end
  end
  state.sources[#state.sources + 1] = src
  state.by_origin[src.origin] = src
end

---Adds a source (a path or URL): into the library, which keeps it for the
---next start (for the session only when there is no library), then loads
---it; callback(ok, src) when done (for a file, before this returns).
---Adding an origin again reads or fetches it again.
---@param arg string a path or URL
---@param callback? fun(ok: boolean, src: table)
---@return table|nil source
---@return string|nil message
function M.add(arg, callback)
  local core, err = policylink().core()
  if not core then
    return nil, err
  end
  M.ensure_loaded()
  local lib = M.library()
  local src = new_source(origin_of(arg), lib and "library" or "session")
  local function done(ok)
    changed()
    if callback then
      callback(ok, src)
    end
  end
  if src.kind == "url" then
    put(src)
    fetch(src, done)
    return src
  end
  if not lib then
    put(src)
    load_direct(src, done)
    return src
  end
  local rec, outcome = require("policylink.library").add_file(lib, vim.fn.expand(arg))
  if not rec then
    -- Not stored: shown as failed for this session, and said once.
    src.from = "session"
    put(src)
    fail(src, outcome)
    done(false)
    return src
  end
  src.origin = rec.origin
  put(src)
  done(load_library_source(src, rec))
  return src
end

---The source a user names: by origin (path or URL), library id (4 digits
---or more) or title.
---@param name string
---@return table|nil
function M.find(name)
  name = vim.trim(name)
  if state.by_origin[name] then
    return state.by_origin[name]
  end
  local src = state.by_origin[origin_of(name)]
  if src then
    return src
  end
  local found
  if name:match("^%x%x%x%x+$") then
    for _, s in ipairs(state.sources) do
      if s.id and s.id:sub(1, #name) == name:lower() then
        if found then
          return nil
        end
        found = s
      end
    end
    if found then
      return found
    end
  end
  for _, s in ipairs(state.sources) do
    if s.title == name then
      return s
    end
  end
  return nil
end

local function drop(src)
  src.cancelled = true
  state.by_origin[src.origin] = nil
  for i, s in ipairs(state.sources) do
    if s == src then
      table.remove(state.sources, i)
      break
    end
  end
  changed()
end

---Removes a source: from the library (its text and cached results with
---it) when it is there; a source of the `sources` option only for this
---session. Returns the source removed, or nil and a message.
---@param name string origin, library id or title
---@return table|nil source
---@return string|nil message
function M.remove(name)
  M.ensure_loaded()
  local src = M.find(name)
  if not src then
    return nil, "policylink: no source '" .. name .. "' (see :PolicyLink sources)"
  end
  if src.from == "library" and src.id then
    local lib, message = M.library()
    local removed, err = lib and lib:remove(src.id)
    if not removed then
      return nil, "policylink: " .. (err or message)
    end
  end
  drop(src)
  return src
end

-- Whether an origin is one of the `sources` option.
local function configured(origin)
  for _, o in ipairs(config().sources) do
    if o == origin or origin_of(o) == origin then
      return true
    end
  end
  return false
end

---Whether a source is in the `sources` option (so it comes back on the next
---start after :PolicyLink remove).
---@param src table
---@return boolean
function M.configured(src)
  return configured(src.origin)
end

---Loads the configured sources, the library's and the glossary page once
---(again after reset). Files and library sources are read now; URLs not in
---the library arrive later and trigger a change then.
function M.ensure_loaded()
  if state.loaded then
    return
  end
  local core = policylink().core()
  if not core then
    return
  end
  state.loaded = true
  load_user_glossary(core)
  local lib = M.library()
  local records, by_origin = {}, {}
  if lib then
    local list, message = lib:list()
    if list then
      records = list
      for _, rec in ipairs(list) do
        by_origin[rec.origin] = rec
      end
    else
      notify("policylink: the source library: " .. message, vim.log.levels.ERROR)
    end
  end
  -- The option's sources in its order (the library's copy when it has one:
  -- not fetched again), then the rest of the library, oldest first.
  local taken = {}
  local function take(src, rec)
    state.sources[#state.sources + 1] = src
    state.by_origin[src.origin] = src
    if rec then
      taken[rec.origin] = true
      load_library_source(src, rec)
    else
      load_direct(src, function()
        if src.kind == "url" then
          changed()
        end
      end)
    end
  end
  for _, given in ipairs(config().sources) do
    local origin = origin_of(given)
    if not state.by_origin[origin] then
      local rec = by_origin[origin]
      take(new_source(origin, rec and "library" or "config"), rec)
    end
  end
  for _, rec in ipairs(records) do
    if not taken[rec.origin] and not state.by_origin[rec.origin] then
      take(new_source(rec.origin, "library"), rec)
    end
  end
  changed()
end

---Drops everything loaded; the next use loads the options and the library
---again.
function M.reset()
  for _, src in ipairs(state.sources) do
    src.cancelled = true
  end
  state.sources, state.by_origin = {}, {}
  state.user, state.user_error, state.loaded = nil, nil, false
  state.lib, state.lib_error, state.lib_opened = nil, nil, false
  changed()
end

---Reads the sources again: the library's files now, its web pages in the
---background (`policylink refresh`, a conditional request each), then
---everything (options, library, glossary page) is loaded again.
---on_done(lines, failures) gets the program's report ("updated ID ORIGIN",
---"unchanged ID ORIGIN") and the failures.
---@param name? string one source (origin, id or title); nil: all
---@param on_done fun(report: string[], failures: string[])
---@return boolean|nil started
---@return string|nil message
function M.refresh(name, on_done)
  M.ensure_loaded()
  local selected = {}
  if name then
    local src = M.find(name)
    if not src then
      return nil, "policylink: no source '" .. name .. "' (see :PolicyLink sources)"
    end
    selected[1] = src
  else
    selected = vim.list_slice(state.sources)
  end
  local lib = M.library()
  local report, failures, pages = {}, {}, {}
  for _, src in ipairs(selected) do
    if src.from == "library" and lib then
      if src.kind == "file" then
        local rec, outcome = require("policylink.library").add_file(lib, src.origin, src.origin)
        if rec then
          report[#report + 1] = outcome .. " " .. rec.id .. " " .. rec.origin
        else
          failures[#failures + 1] = src.origin .. ": " .. outcome
        end
      else
        pages[#pages + 1] = src.id
      end
    end
  end
  M.reset()
  M.ensure_loaded()
  if #pages == 0 then
    on_done(report, failures)
    return true
  end
  local program = M.program()
  if not program then
    failures[#failures + 1] = "web pages: the policylink program is not built (run `make` in "
      .. policylink().plugin_root() .. ") nor on PATH"
    on_done(report, failures)
    return true
  end
  local args = vim.list_extend({ "refresh" }, pages)
  vim.list_extend(args, { "--library", lib:path() })
  local handle, message = spawn(program, args, function(_, out, err)
    for line in out:gmatch("[^\n]+") do
      report[#report + 1] = line
    end
    for line in err:gmatch("[^\n]+") do
      if not line:match("^policylink: %[%d+/%d+%]") then
        failures[#failures + 1] = (line:gsub("^policylink: ", ""))
      end
    end
    M.reset()
    M.ensure_loaded()
    on_done(report, failures)
  end)
  if not handle then
    failures[#failures + 1] = "cannot run " .. program .. ": " .. message
    on_done(report, failures)
  end
  return true
end

---Why the glossary page of the options could not be read, or nil.
---@return string|nil
function M.glossary_error()
  return state.user_error
end

---The sources, in order: { origin, kind = "file"|"url", from =
---"config"|"library"|"session", status = "loading"|"ready"|"failed",
---error, title, count (terms), id (library), cache = "hit"|"miss" }.
---@return table[]
function M.list()
  return state.sources
end

---A number that changes whenever the glossary does.
function M.generation()
  return state.generation
end

-- GitHub's heading id, for entries the core gave no anchor (a core without
-- core.slug): lowercase, keep letters, digits, '_', '-' and spaces -> '-'.
local function fallback_slug(text)
  return (text:lower():gsub("[^%w_%- \128-\255]", ""):gsub(" ", "-"))
end

-- The sources' parts merged in order, then the user's page over them: what
-- `policylink glossary ARTICLE... --library --merge PAGE` writes.
local function merged_glossary(core)
  local g = { entries = {}, exclude = {} }
  local owners = {}
  for _, src in ipairs(state.sources) do
    if src.status == "ready" then
      local merged, message = core.glossary_merge(g, src.part)
      if merged then
        g = merged
      else
        notify("policylink: merging " .. src.origin .. ": " .. message, vim.log.levels.ERROR)
      end
      for _, entry in ipairs(src.part.entries) do
        for _, name in ipairs(vim.list_extend({ entry.term }, entry.aliases or {})) do
          local key = core.casefold(name)
          owners[key] = owners[key] or src
        end
      end
    end
  end
  local user_keys = {}
  if state.user then
    local merged, message = core.glossary_merge(state.user, g)
    if merged then
      g = merged
    else
      notify("policylink: merging the glossary: " .. message, vim.log.levels.ERROR)
      g = state.user
    end
    for _, entry in ipairs(state.user.entries) do
      user_keys[core.casefold(entry.term)] = true
    end
  end
  for _, entry in ipairs(g.entries) do
    local key = core.casefold(entry.term)
    local ref = entry.sources and entry.sources[1]
    entry.source = (ref and ref.url and state.by_origin[ref.url]) or owners[key]
    entry.user = user_keys[key]
  end
  return g
end

---The glossary in force: { entries, exclude, preamble, matcher, by_id,
---by_key, generation }, or nil and a message (no core, nothing loaded).
---@return table|nil
---@return string|nil
function M.glossary()
  local core, err = policylink().core()
  if not core then
    return nil, err
  end
  M.ensure_loaded()
  if state.glossary then
    return state.glossary
  end
  local g = merged_glossary(core)
  local used = {}
  for _, entry in ipairs(g.entries) do
    if not entry.anchor then
      local base = core.slug and core.slug(entry.term) or fallback_slug(entry.term)
      local anchor, n = base, 0
      while used[anchor] do
        n = n + 1
        anchor = base .. "-" .. n
      end
      entry.anchor = anchor
    end
    used[entry.anchor] = true
  end
  local matcher, by_id = require("policylink.link").matcher(core, g)
  if not matcher then
    notify("policylink: glossary: " .. tostring(by_id), vim.log.levels.ERROR)
    return nil, "policylink: glossary: " .. tostring(by_id)
  end
  g.matcher, g.by_id, g.generation = matcher, by_id, state.generation
  g.by_key = {}
  for _, entry in ipairs(g.entries) do
    if not entry.excluded then
      for _, name in ipairs(vim.list_extend({ entry.term }, entry.aliases or {})) do
        local key = core.casefold(name)
        g.by_key[key] = g.by_key[key] or entry
      end
    end
  end
  state.glossary = g
  return g
end

---The glossary entry for a term or alias (any case), or nil.
---@param term string
---@return table|nil
function M.entry(term)
  local g = M.glossary()
  local core = policylink().core()
  if not g or not core then
    return nil
  end
  return g.by_key[core.casefold(vim.trim(term))]
end

---The text of a source as its part was made from (a library source's
---stored text is read on first use), or nil and a message.
---@param src table
---@return string|nil
---@return string|nil message
function M.text(src)
  if src.text then
    return src.text
  end
  if src.id then
    local lib, message = M.library()
    local text, err = lib and lib:text(src.id)
    if not text then
      return nil, "policylink: " .. src.origin .. ": " .. (err or message)
    end
    src.text = text
    return text
  end
  return nil, "policylink: " .. src.origin .. " is not loaded" .. (src.error and (": " .. src.error) or "")
end

---The cleaned text of a source, with its sentences (core.clean), cached.
---@param src table
---@return table|nil document
---@return string|nil message
function M.document(src)
  if src.document then
    return src.document
  end
  local core, err = policylink().core()
  if not core then
    return nil, err
  end
  local text, message = M.text(src)
  if not text then
    return nil, message
  end
  local doc, clean_message = core.clean(text, { format = src.format })
  if not doc then
    return nil, "policylink: " .. src.origin .. ": " .. clean_message
  end
  src.document = doc
  return doc
end

---Everything known about a term: { term, kind, case, aliases, anchor,
---explanation, sentences = { {text, index, byte_start, byte_end,
---definition} }, source = { title, origin } }, or nil and a message.
---The explanation is the glossary's; the sentences (where goto lands) are
---found in the source on first use, then kept.
---@param entry table a glossary entry
---@return table|nil
---@return string|nil
function M.explain(entry)
  if entry.record then
    return entry.record
  end
  local core, err = policylink().core()
  if not core then
    return nil, err
  end
  local src = entry.source
  local record = {
    term = entry.term, kind = entry.kind, case = require("policylink.link").case_policy(entry),
    aliases = entry.aliases or {}, anchor = entry.anchor, sentences = {}, explanation = entry.explanation or "",
  }
  local ref = entry.sources and entry.sources[1]
  record.source = {
    title = (src and src.title) or (ref and (ref.title or ref.text)) or nil,
    origin = (src and src.origin) or (ref and ref.url) or nil,
  }
  local text = src and M.text(src)
  if text and core.explain then
    local result, message = core.explain(text, entry.term, { max = config().explain_sentences, format = src.format })
    if not result then
      return nil, "policylink: explaining '" .. entry.term .. "': " .. message
    end
    for i, s in ipairs(result.sentences) do
      record.sentences[i] = {
        text = s.text, index = s.index, byte_start = s.byte_start, byte_end = s.byte_end,
        definition = s.definition,
      }
    end
  end
  if #record.sentences == 0 and text and ref and (ref.sentence or 0) > 0 then
    local doc = M.document(src)
    local s = doc and doc.sentences[ref.sentence]
    if s then
      record.sentences[1] = {
        text = doc.text:sub(s.byte_start + 1, s.byte_end), index = ref.sentence,
        byte_start = s.byte_start, byte_end = s.byte_end,
      }
    end
  end
  -- An extracted entry is shown as the sentences it was made of; the
  -- user's own explanation as written.
  if not entry.user and #record.sentences > 0 then
    record.extracted = true
    if record.explanation == "" then
      local texts = {}
      for i, s in ipairs(record.sentences) do
        texts[i] = s.text
      end
      record.explanation = table.concat(texts, " ")
    end
  end
  entry.record = record
  return record
end

---The loaded source an entry's explanation comes from, or nil.
---@param entry table
---@return table|nil
function M.source_of(entry)
  return entry.source
end

---The glossary page as Markdown, as `policylink glossary` writes it for the
---same sources and page.
---@return string|nil
---@return string|nil message
function M.format()
  local core, err = policylink().core()
  if not core then
    return nil, err
  end
  if not core.glossary_format then
    return nil, "policylink: writing the glossary page needs a newer compiled core; run `make` in "
      .. policylink().plugin_root()
  end
  local g, message = M.glossary()
  if not g then
    return nil, message
  end
  local entries = {}
  for i, entry in ipairs(g.entries) do
    local copy = {}
    for _, key in ipairs({ "term", "aliases", "case", "kind", "explanation", "sources", "excluded", "meta" }) do
      copy[key] = entry[key]
    end
    entries[i] = copy
  end
  local preamble = (g.preamble and g.preamble ~= "") and g.preamble or "# Glossary\n"
  return core.glossary_format({ entries = entries, exclude = g.exclude or {}, preamble = preamble })
end

return M
