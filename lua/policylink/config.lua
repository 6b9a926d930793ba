-- The plugin's settings: defaults, validation with messages a user can act
-- on, and where they come from (setup() or vim.g.policylink). Light on
-- purpose: plugin/policylink.lua reads it on every FileType event.
local M = {}

local islist = vim.islist or vim.tbl_islist

M.defaults = {
  -- Articles (paths or http/https URLs) the glossary is built from.
  sources = {},
  -- A glossary page (Markdown) to use, alone or merged with the sources.
  glossary = nil,
  -- Filetypes whose buffers are linked as you type.
  filetypes = { "markdown", "text" },
  -- Linking as you type, for every configured buffer.
  enabled = true,
  -- Passed to the core's term extraction: { top = n, min_count = n }.
  terms = {},
  -- Terms shorter than this many characters are not marked or linked.
  min_length = nil,
  -- :PolicyLink link: "markdown", "wiki" or "html"; the glossary page's link
  -- target (default: the glossary option relative to the note, else
  -- "glossary.md"); link every occurrence (false), or the first of each term
  -- per note ("note") or per section ("section").
  link_format = "markdown",
  glossary_link = nil,
  link_once = false,
  -- Explanation sentences shown by explain (1 to 3).
  explain_sentences = 3,
  -- The explain float: its border (as nvim_open_win takes it) and width.
  float = { border = "rounded", max_width = 80 },
  -- The policylink program, run for URLs; nil: the plugin's own build, then PATH.
  program = nil,
  -- Where :PolicyLink export writes without an argument; nil: the glossary
  -- option, else glossary.md in the current directory.
  export_path = nil,
  -- The source library (what :PolicyLink add stores, shared with the
  -- policylink program): a folder; nil: a .policylink folder in the current
  -- directory or above, else $XDG_DATA_HOME/policylink; false: none (added
  -- sources last for the session, nothing is cached).
  library = nil,
  -- Sentences in a :PolicyLink summarize summary.
  summary_sentences = 5,
}

local function is_list_of_strings(v)
  if type(v) ~= "table" then
    return false
  end
  for k, item in pairs(v) do
    if type(k) ~= "number" or type(item) ~= "string" then
      return false
    end
  end
  return true
end

local function one_of(choices)
  return function(v)
    for _, c in ipairs(choices) do
      if v == c then
        return true
      end
    end
    return false
  end
end

local function whole_in(lo, hi)
  return function(v)
    return v == nil or (type(v) == "number" and v % 1 == 0 and v >= lo and v <= hi)
  end
end

-- name -> { validator, what it should be }: the vim.validate message names
-- the option and the expectation.
local checks = {
  sources = { is_list_of_strings, "a list of paths or URLs" },
  glossary = { function(v) return v == nil or type(v) == "string" end, "a path (string) or nil" },
  filetypes = { is_list_of_strings, "a list of filetype names" },
  enabled = { function(v) return type(v) == "boolean" end, "true or false" },
  terms = {
    function(v)
      return type(v) == "table" and whole_in(1, 1e9)(v.top) and whole_in(1, 1e9)(v.min_count)
    end,
    "a table { top = n, min_count = n } of whole numbers >= 1",
  },
  min_length = { whole_in(1, 1e9), "a whole number >= 1 or nil" },
  link_format = { one_of({ "markdown", "wiki", "html" }), '"markdown", "wiki" or "html"' },
  glossary_link = { function(v) return v == nil or type(v) == "string" end, "a string or nil" },
  link_once = { one_of({ false, "note", "section" }), 'false, "note" or "section"' },
  explain_sentences = { function(v) return whole_in(1, 3)(v) and v ~= nil end, "1, 2 or 3" },
  float = {
    function(v)
      return type(v) == "table" and (v.max_width == nil or whole_in(20, 1000)(v.max_width))
    end,
    "a table { border = ..., max_width = 20..1000 }",
  },
  program = { function(v) return v == nil or type(v) == "string" end, "a path (string) or nil" },
  export_path = { function(v) return v == nil or type(v) == "string" end, "a path (string) or nil" },
  library = {
    function(v) return v == nil or v == false or (type(v) == "string" and v ~= "") end,
    "a folder (string), false or nil",
  },
  summary_sentences = { function(v) return v ~= nil and whole_in(1, 1000)(v) end, "a whole number from 1 to 1000" },
}

-- vim.validate takes (name, value, validator, message) from Neovim 0.11,
-- where the older table form is deprecated; before, only the table form.
-- Which one is found by trying the new form once.
local validate_takes_name = pcall(vim.validate, "policylink", true, "boolean")

local function valid(name, value, validator, message)
  if validate_takes_name then
    return pcall(vim.validate, name, value, validator, message)
  end
  return pcall(vim.validate, { [name] = { value, validator, message } })
end

local function show(value)
  local text = vim.inspect(value, { newline = " ", indent = "" })
  return #text > 60 and (text:sub(1, 57) .. "...") or text
end

---Checks user options and merges them over the defaults.
---@param opts table
---@return table|nil options
---@return string|nil message naming the bad option
function M.resolve(opts)
  if type(opts) ~= "table" then
    return nil, "policylink: options must be a table, not " .. show(opts)
  end
  local names = vim.tbl_keys(opts)
  table.sort(names, function(a, b)
    return tostring(a) < tostring(b)
  end)
  for _, name in ipairs(names) do
    local check = checks[name]
    if not check then
      local known = vim.tbl_keys(checks)
      table.sort(known)
      return nil, string.format("policylink: unknown option '%s' (known: %s)", tostring(name),
        table.concat(known, ", "))
    end
    -- vim.validate does the check; the message is ours, the same on every
    -- Neovim version.
    if not valid(name, opts[name], check[1], check[2]) then
      return nil, string.format("policylink: option '%s' must be %s, not %s", name, check[2], show(opts[name]))
    end
  end
  local merged = vim.deepcopy(M.defaults)
  for name, value in pairs(opts) do
    if type(value) == "table" and type(merged[name]) == "table" and not islist(value) then
      merged[name] = vim.tbl_extend("force", merged[name], value)
    else
      merged[name] = vim.deepcopy(value)
    end
  end
  return merged
end

local current

---The options in force: those given to setup(), else vim.g.policylink, else
---the defaults. A bad vim.g.policylink is reported once and ignored.
---@return table
function M.get()
  if current then
    return current
  end
  local opts, err = M.resolve(vim.g.policylink or {})
  if not opts then
    vim.notify(err, vim.log.levels.ERROR, { title = "policylink" })
    opts = vim.deepcopy(M.defaults)
  end
  current = opts
  return current
end

---Replaces the options; returns nil and a message when they are invalid
---(the options in force stay as they were).
---@param opts table
---@return table|nil
---@return string|nil
function M.set(opts)
  local resolved, err = M.resolve(opts)
  if not resolved then
    return nil, err
  end
  current = resolved
  return current
end

---Whether buffers of this filetype are linked as you type.
---@param filetype string
---@return boolean
function M.wants(filetype)
  for _, ft in ipairs(M.get().filetypes) do
    if ft == filetype then
      return true
    end
  end
  return false
end

return M
