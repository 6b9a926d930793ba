-- policylink for Neovim: the public Lua API. Nothing heavy is loaded until a
-- function here is called. Works on Neovim 0.7.2 through 0.11.
local M = {}

M.version = "0.1.0"

local core_module, core_error

---Returns the compiled core, or nil and a message that says what to run.
---@return table|nil core
---@return string|nil message
function M.core()
  if core_module then
    return core_module
  end
  if core_error then
    return nil, core_error
  end
  local ok, core = pcall(require, "policylink.core")
  local root = M.plugin_root()
  if not ok then
    if #vim.api.nvim_get_runtime_file("lua/policylink/core.so", false) == 0 then
      core_error = string.format("policylink: the compiled core (lua/policylink/core.so) is missing; "
        .. "run `make` in %s", root)
    else
      -- There but unloadable (built for another Lua, a missing library): say why.
      core_error = string.format("policylink: the compiled core (lua/policylink/core.so) cannot be loaded; "
        .. "run `make` in %s (%s)", root, (tostring(core):gsub("\n.*", "")))
    end
    return nil, core_error
  end
  if core.version ~= M.version then
    core_error = string.format("policylink: the compiled core is version %s but the Lua files are %s; "
      .. "run `make` in %s", tostring(core.version), M.version, root)
    return nil, core_error
  end
  core_module = core
  return core
end

---The folder the plugin is installed in.
---@return string
function M.plugin_root()
  local source = debug.getinfo(1, "S").source:gsub("^@", "")
  return vim.fn.fnamemodify(source, ":p:h:h:h")
end

local function notify_error(message)
  vim.notify(message, vim.log.levels.ERROR, { title = "policylink" })
end

---Cleans an article (a file path, or the lines of a buffer) with the core.
---@param input {path?: string, bufnr?: integer}
---@return table|nil document
---@return string|nil message
function M.clean(input)
  local core, err = M.core()
  if not core then
    return nil, err
  end
  local data
  if input.path then
    data, err = require("policylink.library").read_file(input.path)
    if not data then
      return nil, "policylink: " .. err
    end
  else
    data = table.concat(vim.api.nvim_buf_get_lines(input.bufnr or 0, 0, -1, false), "\n")
  end
  local doc, message = core.clean(data)
  if not doc then
    return nil, "policylink: " .. (input.path or "buffer") .. ": " .. message
  end
  return doc
end

-- Shows lines in a read-only scratch buffer in a new split.
local function show_scratch(name, lines, filetype)
  vim.cmd("new")
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = filetype or "markdown"
  pcall(vim.api.nvim_buf_set_name, buf, name)
  return buf
end

local function split_lines(s)
  local lines = {}
  for line in (s .. "\n"):gmatch("(.-)\n") do
    lines[#lines + 1] = line
  end
  return lines
end

local subcommands = {}

-- :PolicyLink text [path]: the cleaned article (of path, or of this buffer).
function subcommands.text(args)
  local doc, err = M.clean(args[1] and { path = vim.fn.expand(args[1]) } or { bufnr = 0 })
  if not doc then
    return notify_error(err)
  end
  local lines = {}
  for _, field in ipairs({ "title", "author", "date", "source" }) do
    if doc[field] then
      lines[#lines + 1] = field:sub(1, 1):upper() .. field:sub(2) .. ": " .. doc[field]
    end
  end
  if #lines > 0 then
    lines[#lines + 1] = ""
  end
  vim.list_extend(lines, split_lines(doc.text))
  show_scratch("policylink://text/" .. (args[1] or vim.fn.bufname()), lines)
end

-- :PolicyLink sentences [path]: one sentence a line.
function subcommands.sentences(args)
  local doc, err = M.clean(args[1] and { path = vim.fn.expand(args[1]) } or { bufnr = 0 })
  if not doc then
    return notify_error(err)
  end
  local lines = {}
  for i, s in ipairs(doc.sentences) do
    lines[i] = (doc.text:sub(s.byte_start + 1, s.byte_end):gsub("\n", " "))
  end
  show_scratch("policylink://sentences/" .. (args[1] or vim.fn.bufname()), lines, "text")
end

local function config()
  return require("policylink.config").get()
end

local function sources()
  return require("policylink.sources")
end

local function buffer()
  return require("policylink.buffer")
end

local function notify(message, level)
  vim.notify(message, level or vim.log.levels.INFO, { title = "policylink" })
end

---The linked spans of a buffer, in buffer order: { term, start_row,
---start_col, end_row, end_col } (0-based, end exclusive, byte columns; a
---term wrapped over a line break spans two rows).
---@param bufnr? integer 0 or nil for the current buffer
---@return table[]
function M.buffer_links(bufnr)
  return buffer().links(bufnr)
end

---What the glossary knows about a term (or one of its aliases, any case):
---{ term, kind, case, aliases, anchor, explanation, sentences = { {text,
---index, byte_start, byte_end, definition} }, source = { title, origin } }.
---@param term string
---@return table|nil record
---@return string|nil message
function M.explain(term)
  local core, err = M.core()
  if not core then
    return nil, err
  end
  local entry = sources().entry(term)
  if not entry then
    return nil, string.format("policylink: '%s' is not in the glossary", term)
  end
  local record, message = sources().explain(entry)
  if not record then
    return nil, message
  end
  local copy = vim.deepcopy(record)
  copy.extracted = nil
  return copy
end

-- The glossary entry under the cursor, or nil after saying why.
local function entry_at_cursor()
  local core, err = M.core()
  if not core then
    notify_error(err)
    return nil
  end
  local cursor = vim.api.nvim_win_get_cursor(0)
  local entry = buffer().term_at(0, cursor[1] - 1, cursor[2])
  if not entry then
    notify("policylink: no glossary term under the cursor", vim.log.levels.WARN)
  end
  return entry
end

local function show_explanation(entry)
  local record, err = sources().explain(entry)
  if not record then
    return notify_error(err)
  end
  local cfg = config()
  require("policylink.float").show(record, cfg.float)
end

local function open_source(entry)
  local _, message = require("policylink.source_view").open(entry)
  if message then
    notify_error(message)
  end
end

---<Plug>(policylink-explain): a float explaining the term under the cursor;
---when the float is already open, enters it.
function M.explain_cursor()
  if require("policylink.float").focus() then
    return
  end
  local entry = entry_at_cursor()
  if entry then
    show_explanation(entry)
  end
end

---<Plug>(policylink-goto): the sentence of the source that explains the
---term under the cursor, in a read-only buffer.
function M.goto_cursor()
  local entry = entry_at_cursor()
  if entry then
    open_source(entry)
  end
end

-- An entry named by command arguments, or the one under the cursor.
local function entry_from_args(args)
  if #args == 0 then
    return entry_at_cursor()
  end
  local term = table.concat(args, " ")
  local entry = sources().entry(term)
  if not entry then
    notify_error(string.format("policylink: '%s' is not in the glossary", term))
  end
  return entry
end

-- :PolicyLink explain [term]
function subcommands.explain(args)
  local entry = entry_from_args(args)
  if entry then
    show_explanation(entry)
  end
end

-- :PolicyLink goto [term]
subcommands["goto"] = function(args)
  local entry = entry_from_args(args)
  if entry then
    open_source(entry)
  end
end

local function glossary_or_error()
  local g, err = sources().glossary()
  if not g then
    notify_error(err)
  end
  return g
end

-- :PolicyLink terms: pick a term, see its explanation.
function subcommands.terms()
  local g = glossary_or_error()
  if not g then
    return
  end
  local items = {}
  for _, entry in ipairs(g.entries) do
    if not entry.excluded then
      items[#items + 1] = entry
    end
  end
  if #items == 0 then
    return notify("policylink: the glossary is empty; add a source with :PolicyLink add", vim.log.levels.WARN)
  end
  vim.ui.select(items, {
    prompt = "policylink terms",
    format_item = function(entry)
      return entry.kind and (entry.term .. " (" .. entry.kind .. ")") or entry.term
    end,
  }, function(entry)
    if entry then
      show_explanation(entry)
    end
  end)
end

---The sources, one line each: title, origin, and its terms (or why it
---failed) with its library id.
---@return string[]
function M.source_lines()
  local lines = {}
  for _, src in ipairs(sources().list()) do
    local what = src.status == "ready" and (src.count .. " terms")
      or (src.status == "failed" and ("failed: " .. (src.error or "?"))) or "loading"
    if src.id then
      what = what .. ", library " .. src.id
    end
    lines[#lines + 1] = string.format("%s  %s  (%s)", src.title or src.origin, src.origin, what)
  end
  return lines
end

-- :PolicyLink sources
function subcommands.sources()
  if not M.core() then
    return notify_error(select(2, M.core()))
  end
  sources().ensure_loaded()
  local lines = M.source_lines()
  if #lines == 0 then
    return notify("policylink: no sources; set the 'sources' option or run :PolicyLink add {path|url}")
  end
  notify(table.concat(lines, "\n"))
end

-- :PolicyLink add {path|url}...: into the library; files now, URLs in the background.
function subcommands.add(args)
  if #args == 0 then
    return notify_error("policylink: add needs a path or a URL")
  end
  for _, arg in ipairs(args) do
    local _, err = sources().add(arg, function(ok, src)
      if ok and src.kind == "file" then
        notify(string.format("policylink: added %s (%d terms)", src.title or src.origin, src.count))
      end
    end)
    if err then
      notify_error(err)
    end
  end
end

-- :PolicyLink remove {source}: from the library (an option's source for
-- this session).
function subcommands.remove(args)
  if #args == 0 then
    return notify_error("policylink: remove needs a source (see :PolicyLink sources)")
  end
  local core, core_err = M.core()
  if not core then
    return notify_error(core_err)
  end
  local src, err = sources().remove(table.concat(args, " "))
  if not src then
    return notify_error(err)
  end
  local name = src.title or src.origin
  if sources().configured(src) then
    notify(string.format("policylink: removed %s for this session; it is in the 'sources' option", name))
  elseif src.from == "library" then
    notify(string.format("policylink: removed %s from the library", name))
  else
    notify("policylink: removed " .. name)
  end
end

-- :PolicyLink toggle [global]
function subcommands.toggle(args)
  if args[1] == "global" then
    local on = buffer().toggle_global()
    notify("policylink: linking " .. (on and "on" or "off") .. " everywhere")
  else
    local on = buffer().toggle(0)
    notify("policylink: linking " .. (on and "on" or "off") .. " in this buffer")
  end
end

-- :PolicyLink refresh [source]: the library's sources read and fetched
-- again (web pages in the background), then every source and the glossary
-- page loaded again.
function subcommands.refresh(args)
  local core, core_err = M.core()
  if not core then
    return notify_error(core_err)
  end
  local name = #args > 0 and table.concat(args, " ") or nil
  local ok, err = sources().refresh(name, function(report, failures)
    local counts, order = {}, {}
    for _, line in ipairs(report) do
      local outcome = line:match("^(%a+) ")
      if outcome then
        if not counts[outcome] then
          order[#order + 1] = outcome
        end
        counts[outcome] = (counts[outcome] or 0) + 1
      end
    end
    local parts = {}
    for _, outcome in ipairs(order) do
      parts[#parts + 1] = counts[outcome] .. " " .. outcome
    end
    notify("policylink: refreshed" .. (#parts > 0 and (": " .. table.concat(parts, ", ")) or ""))
    for _, failure in ipairs(failures) do
      notify_error("policylink: " .. failure)
    end
  end)
  if not ok then
    notify_error(err)
  end
end

-- :PolicyLink summarize [source]: the summary of a source, or of this buffer.
function subcommands.summarize(args)
  local core, err = M.core()
  if not core then
    return notify_error(err)
  end
  local n = config().summary_sentences
  local text, opts
  if #args > 0 then
    local name = table.concat(args, " ")
    sources().ensure_loaded()
    local src = sources().find(name)
    if not src then
      return notify_error("policylink: no source '" .. name .. "' (see :PolicyLink sources)")
    end
    text, err = sources().text(src)
    if not text then
      return notify_error(err)
    end
    opts = { format = src.format, sentences = n, what = src.origin,
      view = require("policylink.source_view").name(src) }
  else
    local buf = vim.api.nvim_get_current_buf()
    local name = vim.api.nvim_buf_get_name(buf)
    name = name ~= "" and name or ("buffer " .. buf)
    text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
    opts = { format = "auto", sentences = n, what = name, view = "policylink://clean/" .. name }
  end
  local _, message = require("policylink.summary").show(text, opts)
  if message then
    notify_error(message)
  end
end

-- The glossary page as the note links to it: the glossary_link option, else
-- the glossary option relative to the note's folder, else glossary.md.
local function link_target(buf)
  local cfg = config()
  if cfg.glossary_link then
    return cfg.glossary_link
  end
  if cfg.glossary then
    local page = vim.fn.fnamemodify(vim.fn.expand(cfg.glossary), ":p")
    local folder = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ":p:h") .. "/"
    if page:sub(1, #folder) == folder then
      return page:sub(#folder + 1)
    end
    return page
  end
  return "glossary.md"
end

-- Makes the buffer's lines `new` (from `lines`), replacing only those that
-- changed, in one call: one undo step.
local function replace_lines(buf, lines, new)
  local top = 1
  while top <= #lines and top <= #new and lines[top] == new[top] do
    top = top + 1
  end
  local bottom_old, bottom_new = #lines, #new
  while bottom_old >= top and bottom_new >= top and lines[bottom_old] == new[bottom_new] do
    bottom_old, bottom_new = bottom_old - 1, bottom_new - 1
  end
  vim.cmd("let &l:undolevels = &l:undolevels")
  vim.api.nvim_buf_set_lines(buf, top - 1, bottom_old, false, vim.list_slice(new, top, bottom_new))
end

---Writes the glossary terms of lines [line1, line2] (1-based, inclusive;
---default the whole buffer) as links, in one undo step. Returns the number
---of links written, or nil and a message.
---@param bufnr? integer
---@param opts? {line1?: integer, line2?: integer, format?: string}
---@return integer|nil
---@return string|nil
function M.link(bufnr, opts)
  opts = opts or {}
  local buf = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local g, err = sources().glossary()
  if not g then
    return nil, err
  end
  local cfg = config()
  local format = opts.format or cfg.link_format
  local link = require("policylink.link")
  if not link.formats[format] then
    return nil, "policylink: unknown link format '" .. tostring(format) .. "' (markdown, wiki or html)"
  end
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local text = table.concat(lines, "\n")
  local matches, message = g.matcher:match(text, { once = cfg.link_once, min_length = cfg.min_length })
  if not matches then
    return nil, "policylink: " .. message
  end
  local first, last = (opts.line1 or 1) - 1, (opts.line2 or #lines) - 1
  local chosen = {}
  for _, m in ipairs(matches) do
    if m.line >= first and m.end_line <= last then
      chosen[#chosen + 1] = m
      if format == "html" then
        sources().explain(g.by_id[m.id])
        local entry = g.by_id[m.id]
        if entry.record and (entry.explanation or "") == "" then
          entry.explanation = entry.record.explanation
        end
      end
    end
  end
  if #chosen == 0 then
    return 0
  end
  local linked = link.render(text, chosen, g.by_id, format, { glossary_link = link_target(buf) })
  replace_lines(buf, lines, vim.split(linked, "\n", { plain = true }))
  return #chosen
end

---Removes the links `link` writes from lines [line1, line2] (1-based,
---inclusive; default the whole buffer), the linked words left as they were,
---in one undo step: Markdown and HTML links to the glossary page, wiki links
---to a glossary term. Returns the number removed, or nil and a message.
---@param bufnr? integer
---@param opts? {line1?: integer, line2?: integer}
---@return integer|nil
---@return string|nil
function M.unlink(bufnr, opts)
  opts = opts or {}
  local buf = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local core, err = M.core()
  if not core then
    return nil, err
  end
  local g = sources().glossary()
  local target = link_target(buf)
  local link = require("policylink.link")
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local text = table.concat(lines, "\n")
  local found = link.find_links(text, {
    glossary_link = target,
    wiki_page = vim.fn.fnamemodify(target, ":t:r"),
    is_term = function(name)
      return g ~= nil and g.by_key[core.casefold(name)] ~= nil
    end,
  })
  -- Links wholly inside the range: rows from the newlines before each end.
  local first, last = (opts.line1 or 1) - 1, (opts.line2 or #lines) - 1
  local chosen, row, pos = {}, 0, 0
  local function row_at(byte)
    while true do
      local nl = text:find("\n", pos + 1, true)
      if not nl or nl > byte then
        return row
      end
      row, pos = row + 1, nl
    end
  end
  for _, l in ipairs(found) do
    local start_row = row_at(l.byte_start)
    local end_row = row_at(l.byte_end - 1)
    if start_row >= first and end_row <= last then
      chosen[#chosen + 1] = l
    end
  end
  if #chosen == 0 then
    return 0
  end
  replace_lines(buf, lines, vim.split(link.unlink(text, chosen), "\n", { plain = true }))
  return #chosen
end

-- :[range]PolicyLink link [markdown|wiki|html]
function subcommands.link(args, cmd)
  local range = cmd and cmd.range and cmd.range > 0
  local count, err = M.link(0, {
    format = args[1], line1 = range and cmd.line1 or nil, line2 = range and cmd.line2 or nil,
  })
  if not count then
    return notify_error(err)
  end
  notify(string.format("policylink: %d link%s written", count, count == 1 and "" or "s"))
end

-- :[range]PolicyLink unlink
function subcommands.unlink(args, cmd)
  if #args > 0 then
    return notify_error("policylink: unlink takes a range, not arguments")
  end
  local range = cmd and cmd.range and cmd.range > 0
  local count, err = M.unlink(0, { line1 = range and cmd.line1 or nil, line2 = range and cmd.line2 or nil })
  if not count then
    return notify_error(err)
  end
  notify(string.format("policylink: %d link%s removed", count, count == 1 and "" or "s"))
end

-- :PolicyLink export [path]: the glossary page.
function subcommands.export(args)
  local cfg = config()
  local path = vim.fn.expand(args[1] or cfg.export_path or cfg.glossary or "glossary.md")
  local page, err = sources().format()
  if not page then
    return notify_error(err)
  end
  local core, core_err = M.core()
  if not core then
    return notify_error(core_err)
  end
  local ok, write_err = core.write_file(path, page)
  if not ok then
    return notify_error("policylink: " .. write_err)
  end
  notify("policylink: wrote the glossary to " .. path)
end

---Runs `:PolicyLink {subcommand} [args]`.
---@param fargs string[]
---@param cmd? table the user command's details (range, line1, line2)
function M.command(fargs, cmd)
  local name = fargs[1]
  local fn = name and subcommands[name]
  if not fn then
    return notify_error(string.format("policylink: unknown subcommand '%s'; try one of: %s",
      tostring(name), table.concat(M.complete_subcommands(""), ", ")))
  end
  fn(vim.list_slice(fargs, 2), cmd)
end

---Subcommand names starting with prefix.
---@param prefix string
---@return string[]
function M.complete_subcommands(prefix)
  local names = {}
  for name in pairs(subcommands) do
    if name:sub(1, #prefix) == prefix then
      names[#names + 1] = name
    end
  end
  table.sort(names)
  return names
end

local function starting_with(list, prefix)
  local out = {}
  for _, item in ipairs(list) do
    if item:sub(1, #prefix) == prefix then
      out[#out + 1] = item
    end
  end
  return out
end

---Completion for :PolicyLink.
function M.complete(arg_lead, cmd_line)
  local words = vim.split(cmd_line:sub(1, #cmd_line - #arg_lead), "%s+", { trimempty = true })
  -- The first word is the command itself, perhaps after a range.
  if #words <= 1 then
    return M.complete_subcommands(arg_lead)
  end
  local sub = words[2]
  if sub == "toggle" then
    return starting_with({ "buffer", "global" }, arg_lead)
  elseif sub == "link" then
    return starting_with({ "html", "markdown", "wiki" }, arg_lead)
  elseif sub == "remove" or sub == "refresh" or sub == "summarize" then
    -- Library ids and origins; loading the sources is left to the command.
    local names = {}
    for _, src in ipairs(package.loaded["policylink.sources"] and sources().list() or {}) do
      if src.id then
        names[#names + 1] = src.id
      end
      names[#names + 1] = src.origin
    end
    return starting_with(names, arg_lead)
  elseif sub == "explain" or sub == "goto" then
    local g = M.core() and sources().glossary()
    local terms = {}
    for _, entry in ipairs(g and g.entries or {}) do
      if not entry.excluded and not entry.term:find(" ") then
        terms[#terms + 1] = entry.term
      end
    end
    return starting_with(terms, arg_lead)
  elseif sub == "terms" or sub == "sources" or sub == "unlink" then
    return {}
  end
  return vim.fn.getcompletion(arg_lead, "file")
end

---Optional: settings (also read from vim.g.policylink when setup is not
---called). Invalid options are reported and the previous ones kept.
---@param opts? table
function M.setup(opts)
  local resolved, err = require("policylink.config").set(opts or vim.g.policylink or {})
  if not resolved then
    return notify_error(err)
  end
  if package.loaded["policylink.sources"] then
    sources().reset()
  end
  if M.core() then
    buffer().apply_config()
  end
end

return M
