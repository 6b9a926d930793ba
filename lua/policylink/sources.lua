-- The editor's glossary: built in-process from the configured articles
-- (core.terms, explanations from core.explain on demand) and an optional
-- glossary page (core.glossary_parse, merged with core.glossary_merge).
-- URLs are fetched by the policylink program run asynchronously.
local M = {}

local uv = vim.uv or vim.loop

local function policylink()
  return require("policylink")
end

local function config()
  return require("policylink.config").get()
end

-- What the editor knows: the sources in the order added, the user's parsed
-- glossary page, and the glossary built from both (rebuilt on change).
local state = {
  sources = {},
  by_origin = {},
  user = nil,
  user_error = nil,
  loaded = false,
  glossary = nil,
  generation = 0,
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

-- Terms of a source's text; fills src.terms, src.title or src.error.
local function extract(src, core)
  local cfg = config()
  if not core.terms then
    src.status, src.error = "failed", "finding terms needs a newer compiled core; run `make` in "
      .. policylink().plugin_root()
    return false
  end
  local result, message = core.terms(src.text, {
    format = src.format, top = cfg.terms.top, min_count = cfg.terms.min_count,
  })
  if not result then
    src.status, src.error = "failed", message
    return false
  end
  src.terms = result.terms
  src.title = src.title or result.document.title
  src.status = "ready"
  return true
end

local function new_source(origin)
  local src = {
    origin = origin,
    kind = is_url(origin) and "url" or "file",
    status = "loading",
    format = "auto",
    terms = {},
  }
  return src
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
  stdout:read_start(function(e, data)
    if data then
      out[#out + 1] = data
    end
  end)
  stderr:read_start(function(e, data)
    if data then
      err[#err + 1] = data
    end
  end)
  return handle
end

-- Fetches a URL source with `policylink fetch --json URL`, never blocking.
local function fetch(src, core, done)
  local program = M.program()
  if not program then
    src.status, src.error = "failed", "the policylink program is not built (run `make` in "
      .. policylink().plugin_root() .. ") nor on PATH; set the 'program' option"
    notify("policylink: " .. src.origin .. ": " .. src.error, vim.log.levels.ERROR)
    return done(false)
  end
  notify("policylink: fetching " .. src.origin .. " …")
  local handle, message = spawn(program, { "fetch", "--json", src.origin }, function(code, out, err)
    if src.cancelled then
      return
    end
    local ok, doc = pcall(vim.json.decode, out)
    if code ~= 0 or not ok or type(doc) ~= "table" or type(doc.text) ~= "string" then
      -- The program's line names the URL already: keep only the reason.
      local reason = vim.trim(err ~= "" and err or out):gsub("^policylink: ", "")
      if reason:sub(1, #src.origin + 2) == src.origin .. ": " then
        reason = reason:sub(#src.origin + 3)
      end
      src.status, src.error = "failed", reason ~= "" and reason or ("exit status " .. code)
      notify("policylink: " .. src.origin .. ": " .. src.error, vim.log.levels.ERROR)
      return done(false)
    end
    src.text, src.format = doc.text, "text"
    src.title = type(doc.title) == "string" and doc.title or nil
    if not extract(src, core) then
      notify("policylink: " .. src.origin .. ": " .. src.error, vim.log.levels.ERROR)
      return done(false)
    end
    notify(string.format("policylink: added %s (%d terms)", src.title or src.origin, #src.terms))
    done(true)
  end)
  if not handle then
    src.status, src.error = "failed", "cannot run " .. program .. ": " .. message
    notify("policylink: " .. src.origin .. ": " .. src.error, vim.log.levels.ERROR)
    return done(false)
  end
  src.process = handle
end

-- Loads one source: a file now, a URL in the background. done(ok) is called
-- once it is ready or has failed (for a file, before this returns).
local function load_source(src, core, done)
  if src.kind == "url" then
    return fetch(src, core, done)
  end
  local path = vim.fn.expand(src.origin)
  local data, err = read_file(path)
  if not data then
    src.status, src.error = "failed", err
    notify("policylink: " .. err, vim.log.levels.ERROR)
    return done(false)
  end
  src.text = data
  if not extract(src, core) then
    notify("policylink: " .. src.origin .. ": " .. src.error, vim.log.levels.ERROR)
    return done(false)
  end
  src.title = src.title or vim.fn.fnamemodify(path, ":t")
  done(true)
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

---Adds a source (a path or URL) and loads it; callback(ok, src) when done.
---Adding an origin twice reloads it.
---@param origin string
---@param callback? fun(ok: boolean, src: table)
---@return table|nil source
---@return string|nil message
function M.add(origin, callback)
  local core, err = policylink().core()
  if not core then
    return nil, err
  end
  local src = state.by_origin[origin]
  if src then
    src.cancelled = true
  end
  local fresh = new_source(origin)
  if src then
    for i, s in ipairs(state.sources) do
      if s == src then
        state.sources[i] = fresh
      end
    end
  else
    state.sources[#state.sources + 1] = fresh
  end
  state.by_origin[origin] = fresh
  load_source(fresh, core, function(ok)
    changed()
    if callback then
      callback(ok, fresh)
    end
  end)
  return fresh
end

---Forgets a source.
---@param origin string
---@return boolean removed
function M.remove(origin)
  local src = state.by_origin[origin]
  if not src then
    return false
  end
  src.cancelled = true
  state.by_origin[origin] = nil
  for i, s in ipairs(state.sources) do
    if s == src then
      table.remove(state.sources, i)
      break
    end
  end
  changed()
  return true
end

---Loads the configured sources and glossary page once (again after reset).
---Files are read now; URLs arrive later and trigger a change then.
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
  for _, origin in ipairs(config().sources) do
    if not state.by_origin[origin] then
      local src = new_source(origin)
      state.sources[#state.sources + 1] = src
      state.by_origin[origin] = src
      load_source(src, core, function()
        if src.kind == "url" then
          changed()
        end
      end)
    end
  end
  changed()
end

---Drops everything loaded; the next use loads the configuration again.
function M.reset()
  for _, src in ipairs(state.sources) do
    src.cancelled = true
  end
  state.sources, state.by_origin = {}, {}
  state.user, state.user_error, state.loaded = nil, nil, false
  changed()
end

---Why the glossary page of the options could not be read, or nil.
---@return string|nil
function M.glossary_error()
  return state.user_error
end

---The sources, in the order added.
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

local function extracted_entries(core)
  local entries, seen = {}, {}
  for _, src in ipairs(state.sources) do
    if src.status == "ready" then
      for _, t in ipairs(src.terms) do
        local key = core.casefold(t.text)
        if not seen[key] then
          local aliases, own = {}, { [key] = true }
          for _, v in ipairs(t.variants or {}) do
            local vk = core.casefold(v)
            if not own[vk] then
              own[vk] = true
              aliases[#aliases + 1] = v
            end
          end
          local entry = {
            term = t.text, aliases = aliases, case = t.case, kind = t.kind, explanation = "",
            sources = { { title = src.title, url = src.origin, sentence = t.occurrences and t.occurrences[1] or 0 } },
            source = src, occurrences = t.occurrences,
          }
          seen[key] = entry
          entries[#entries + 1] = entry
        end
      end
    end
  end
  return entries, seen
end

-- The user's page first, then the extracted entries it does not claim. The
-- core's merge decides when it is there; the Lua fallback only skips terms
-- the page already has.
local function combine(core, extracted, by_key)
  local user = state.user
  if not user then
    return { entries = extracted, exclude = {}, preamble = "" }
  end
  if core.glossary_merge then
    local merged, message = core.glossary_merge(user, { entries = extracted, exclude = {}, preamble = "" })
    if not merged then
      notify("policylink: merging the glossary: " .. message, vim.log.levels.ERROR)
      return user
    end
    for _, entry in ipairs(merged.entries) do
      local ext = by_key[core.casefold(entry.term)]
      if ext then
        entry.source, entry.occurrences = ext.source, ext.occurrences
      end
    end
    return merged
  end
  local claimed = {}
  for _, word in ipairs(user.exclude or {}) do
    claimed[core.casefold(word)] = true
  end
  local entries = {}
  for _, entry in ipairs(user.entries) do
    entries[#entries + 1] = entry
    claimed[core.casefold(entry.term)] = true
    for _, alias in ipairs(entry.aliases or {}) do
      claimed[core.casefold(alias)] = true
    end
  end
  for _, entry in ipairs(extracted) do
    if not claimed[core.casefold(entry.term)] then
      entries[#entries + 1] = entry
    end
  end
  return { entries = entries, exclude = user.exclude, preamble = user.preamble }
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
  local extracted, by_key = extracted_entries(core)
  local g = combine(core, extracted, by_key)
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
  if not src.text then
    return nil, "policylink: " .. src.origin .. " is not loaded" .. (src.error and (": " .. src.error) or "")
  end
  local doc, message = core.clean(src.text, { format = src.format })
  if not doc then
    return nil, "policylink: " .. src.origin .. ": " .. message
  end
  src.document = doc
  return doc
end

local function source_for(entry)
  if entry.source then
    return entry.source
  end
  for _, s in ipairs(entry.sources or {}) do
    local src = s.url and state.by_origin[s.url]
    if src then
      return src, s.sentence
    end
  end
  return nil
end

---Everything known about a term: { term, kind, case, aliases, anchor,
---explanation, sentences = { {text, index, byte_start, byte_end,
---definition} }, source = { title, origin } }, or nil and a message.
---Explanations of extracted terms are computed on first use, then kept.
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
  local src, sentence = source_for(entry)
  local record = {
    term = entry.term, kind = entry.kind, case = entry.case, aliases = entry.aliases or {},
    anchor = entry.anchor, sentences = {}, explanation = entry.explanation or "",
  }
  local first = entry.sources and entry.sources[1]
  record.source = {
    title = (src and src.title) or (first and (first.title or first.text)) or nil,
    origin = (src and src.origin) or (first and first.url) or nil,
  }
  if entry.source and core.explain then
    local result, message = core.explain(src.text, entry.term, {
      variants = entry.aliases, max = config().explain_sentences, format = src.format,
    })
    if not result then
      return nil, "policylink: explaining '" .. entry.term .. "': " .. message
    end
    for i, s in ipairs(result.sentences) do
      record.sentences[i] = {
        text = s.text, index = s.index, byte_start = s.byte_start, byte_end = s.byte_end,
        definition = s.definition,
      }
    end
    if record.explanation == "" then
      local texts = {}
      for i, s in ipairs(record.sentences) do
        texts[i] = s.text
      end
      record.explanation = table.concat(texts, " ")
      record.extracted = true
    end
  elseif src and sentence and sentence > 0 then
    local doc = M.document(src)
    local s = doc and doc.sentences[sentence]
    if s then
      record.sentences[1] = {
        text = doc.text:sub(s.byte_start + 1, s.byte_end), index = sentence,
        byte_start = s.byte_start, byte_end = s.byte_end,
      }
    end
  end
  entry.record = record
  return record
end

---The loaded source an entry's explanation comes from, or nil.
---@param entry table
---@return table|nil
function M.source_of(entry)
  return (source_for(entry))
end

---The glossary page as Markdown (core.glossary_format), explanations filled
---in from the articles.
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
    if entry.source and (entry.explanation or "") == "" then
      local record = M.explain(entry)
      copy.explanation = record and record.explanation or ""
    end
    entries[i] = copy
  end
  return core.glossary_format({ entries = entries, exclude = g.exclude or {}, preamble = g.preamble or "" })
end

return M
