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
    core_error = string.format("policylink: the compiled core (lua/policylink/core.so) is missing or "
      .. "cannot be loaded; run `make` in %s\n(%s)", root, tostring(core))
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

local function read_path(path)
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
    data, err = read_path(input.path)
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

---Runs `:PolicyLink {subcommand} [args]`.
---@param fargs string[]
function M.command(fargs)
  local name = fargs[1]
  local fn = name and subcommands[name]
  if not fn then
    return notify_error(string.format("policylink: unknown subcommand '%s'; try one of: %s",
      tostring(name), table.concat(M.complete_subcommands(""), ", ")))
  end
  fn(vim.list_slice(fargs, 2))
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

---Completion for :PolicyLink.
function M.complete(arg_lead, cmd_line)
  local words = vim.split(cmd_line:sub(1, #cmd_line - #arg_lead), "%s+", { trimempty = true })
  if #words <= 1 then
    return M.complete_subcommands(arg_lead)
  end
  return vim.fn.getcompletion(arg_lead, "file")
end

---Optional: settings (also read from vim.g.policylink).
---@param opts? table
function M.setup(opts)
  opts = opts or vim.g.policylink or {}
  vim.validate({ opts = { opts, "table" } })
  M.options = opts
end

return M
