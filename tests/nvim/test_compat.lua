-- Neovim 0.8 to 0.11: the API surface of the newer versions simulated on the
-- Neovim that runs the tests. vim.uv, vim.islist, vim.health.start/ok/...,
-- vim.validate(name, value, validator, message) are there; what 0.10 and
-- 0.11 deprecate (vim.loop, vim.tbl_islist, health.report_*, the table form
-- of vim.validate, nvim_buf_add_highlight, nvim_*_set_option...) records
-- every call the plugin makes to it, and the plugin must make none.
package.path = _G.PL_ROOT .. "/tests/nvim/?.lua;" .. package.path
local h = require("helpers")
local t = h.t
local api = vim.api

-- Calls the plugin's files make to deprecated functions, "name (file:line)".
local deprecated_calls = {}

local function from_plugin(level)
  local info = debug.getinfo(level, "Sl")
  if info and info.source:find("/lua/policylink/", 1, true) then
    return info.short_src .. ":" .. info.currentline
  end
end

local function record(name, level)
  local where = from_plugin(level + 2)
  if where then
    deprecated_calls[#deprecated_calls + 1] = name .. " (" .. where .. ")"
  end
end

-- A deprecated function keeps working for Neovim's own runtime files.
local function deprecate(tbl, key, name)
  local real = tbl[key]
  tbl[key] = function(...)
    record(name, 2)
    if real then
      return real(...)
    end
    error(name .. " was removed", 2)
  end
end

-- 0.10: vim.uv, vim.loop deprecated.
local real_loop = vim.loop
local uv_used = {}
vim.uv = setmetatable({}, {
  __index = function(_, key)
    uv_used[key] = true
    return real_loop[key]
  end,
})
vim.loop = setmetatable({}, {
  __index = function(_, key)
    record("vim.loop." .. key, 2)
    return real_loop[key]
  end,
})
-- 0.10: vim.islist, vim.tbl_islist deprecated.
vim.islist = vim.islist or vim.tbl_islist
deprecate(vim, "tbl_islist", "vim.tbl_islist")
deprecate(vim, "tbl_flatten", "vim.tbl_flatten")
-- 0.11: nvim_buf_add_highlight deprecated. (nvim_exec and the option
-- functions, nvim_buf_get_option and the like, are left to the scan of the
-- files below: the 0.7 runtime's vim.cmd, vim.bo and vim.o reach them by
-- tail calls, which would blame the plugin's line.)
deprecate(vim.api, "nvim_buf_add_highlight", "nvim_buf_add_highlight")
-- 0.11: vim.validate(name, value, validator, optional_or_message); the
-- table form is deprecated (still used by the 0.7 runtime itself). The
-- validator is a type name, a list of them or a function; a Neovim that has
-- the new form (whose own runtime calls it) keeps its own.
local real_validate = vim.validate
local real_takes_name = pcall(real_validate, "policylink", true, "boolean")
local type_names = { b = "boolean", c = "callable", f = "function", n = "number", s = "string", t = "table" }
local function has_type(value, name)
  name = type_names[name] or name
  if name == "callable" then
    return vim.is_callable(value)
  end
  return type(value) == name
end
vim.validate = function(name, value, validator, optional_or_message)
  if type(name) == "table" then
    record("vim.validate{...}", 2)
    return real_validate(name)
  end
  if real_takes_name then
    return real_validate(name, value, validator, optional_or_message)
  end
  if value == nil and optional_or_message == true then
    return
  end
  local ok
  if type(validator) == "function" then
    ok = validator(value)
  elseif type(validator) == "table" then
    ok = false
    for _, type_name in ipairs(validator) do
      ok = ok or has_type(value, type_name)
    end
  else
    ok = has_type(value, validator)
  end
  if not ok then
    local expected = type(optional_or_message) == "string" and optional_or_message
      or type(validator) == "table" and table.concat(validator, "|") or tostring(validator)
    error(string.format("%s: expected %s, got %s", name, expected, tostring(value)), 2)
  end
end

-- vim.health as 0.9 and later have it, and as 0.8 had it: the calls made.
local reported = {}
local function health_stub(names)
  local stub = {}
  for _, name in ipairs(names) do
    stub[name] = function(message)
      reported[#reported + 1] = name .. ": " .. message
    end
  end
  return stub
end

h.load_plugin()

local SOURCES_LINE = "sources: 1 loaded, 0 loading, 0 failed"

t.test("vim.validate's new form is found and used; messages are the same", function()
  local config = require("policylink.config")
  local opts, err = config.resolve({ float = { max_width = 50 }, filetypes = { "markdown" } })
  t.eq(err, nil)
  t.eq(opts.float.max_width, 50)
  t.eq(opts.float.border, "rounded", "a table option is merged over the default (vim.islist)")
  t.eq(table.concat(opts.filetypes, ","), "markdown", "a list replaces the default")
  local none, message = config.resolve({ link_format = "pdf" })
  t.eq(none, nil)
  t.eq(message, "policylink: option 'link_format' must be \"markdown\", \"wiki\" or \"html\", not \"pdf\"")
  t.eq(select(2, config.resolve({ library = "" })),
    "policylink: option 'library' must be a folder (string), false or nil, not \"\"")
end)

t.test("the plugin works through the newer API: linking, float, link, unlink, summarize", function()
  require("policylink").setup({ sources = { h.ARTICLE } })
  vim.cmd("edit " .. vim.fn.fnameescape(h.NOTE))
  local buf = api.nvim_get_current_buf()
  t.eq(#h.marks(buf), 7)
  api.nvim_win_set_cursor(0, { 7, 30 })
  require("policylink").explain_cursor()
  local win, float_buf = require("policylink.float").window()
  t.eq(api.nvim_buf_get_lines(float_buf, 0, 1, false)[1], "Four Improvements")
  local ns = api.nvim_create_namespace("policylink-float")
  local marks = api.nvim_buf_get_extmarks(float_buf, ns, 0, -1, { details = true })
  t.eq(#marks, 2, "the title and source lines highlighted with extmarks")
  t.eq(marks[1][4].hl_group, "PolicyLinkTitle")
  t.eq(marks[1][4].end_col, #"Four Improvements")
  require("policylink.float").close()
  t.eq(api.nvim_win_is_valid(win), false)
  t.eq(require("policylink").link(buf), 7)
  t.eq(require("policylink").unlink(buf), 7)
  vim.cmd("PolicyLink summarize")
  t.eq(#api.nvim_buf_get_lines(0, 0, -1, false) > 0, true)
  vim.cmd("close")
end)

t.test("a URL is fetched through vim.uv", function()
  h.notes = {}
  -- A closed port on the loopback interface: the program fails at once.
  local url = "http://127.0.0.1:9/nothing-listens-here"
  vim.cmd("PolicyLink add " .. url)
  local src = require("policylink.sources").find(url)
  h.wait_for(function()
    return src.status ~= "loading"
  end, 10000, "the program")
  t.eq(src.status, "failed")
  t.eq(uv_used.spawn, true)
  t.eq(uv_used.new_pipe, true)
  t.eq(h.notes[#h.notes].msg, "policylink: " .. url .. ": connection refused by 127.0.0.1 port 9")
  require("policylink.sources").remove(url)
end)

t.test("core.fetch_library opens libcurl and gives its version line", function()
  t.truthy(assert(require("policylink.core").fetch_library()):match("^libcurl/%d+%.%d+"), "version line")
end)

local function expected_report(prefix)
  local v = vim.version()
  return table.concat({
    prefix .. "start: policylink",
    prefix .. "ok: Neovim " .. v.major .. "." .. v.minor .. "." .. v.patch,
    prefix .. "ok: compiled core 0.1.0 loaded (matches the Lua files)",
    prefix .. "ok: libcurl: " .. assert(require("policylink.core").fetch_library()),
    prefix .. "ok: policylink program: " .. require("policylink.sources").program(),
    prefix .. "info: filetypes: markdown, text",
    prefix .. "info: linking as you type: on",
    prefix .. "ok: source library: " .. vim.env.XDG_DATA_HOME .. "/policylink (0 sources)",
    prefix .. "ok: " .. SOURCES_LINE,
  }, "\n")
end

t.test("checkhealth through vim.health.start/ok/warn/error/info (0.9 and later)", function()
  local real_health = vim.health
  vim.health = health_stub({ "start", "ok", "warn", "error", "info" })
  reported = {}
  require("policylink.health").check()
  vim.health = real_health
  t.eq(table.concat(reported, "\n"), expected_report(""))
end)

t.test("checkhealth through vim.health.report_* (0.8)", function()
  local real_health = vim.health
  vim.health = health_stub({ "report_start", "report_ok", "report_warn", "report_error", "report_info" })
  reported = {}
  require("policylink.health").check()
  vim.health = real_health
  t.eq(table.concat(reported, "\n"), expected_report("report_"))
end)

t.test("the plugin called nothing deprecated", function()
  t.eq(table.concat(deprecated_calls, "\n"), "")
end)

t.test("no deprecated API in the plugin's files, except behind a feature test", function()
  local files = vim.fn.glob(h.ROOT .. "/lua/policylink/*.lua", false, true)
  vim.list_extend(files, { h.ROOT .. "/plugin/policylink.lua" })
  local found = {}
  for _, path in ipairs(files) do
    for n, line in ipairs(vim.fn.readfile(path)) do
      local code = line:gsub("%-%-.*$", "")
      local checks = {
        { "vim%.loop", "vim%.uv or vim%.loop" },
        { "tbl_islist", "vim%.islist or vim%.tbl_islist" },
        { "report_%a+", "health%.%a+ or health%.report_%a+" },
        { "nvim_buf_add_highlight" }, { "nvim_buf_set_option" }, { "nvim_win_set_option" },
        { "nvim_buf_get_option" }, { "nvim_win_get_option" }, { "nvim_get_option%f[^%w_]" },
        { "nvim_set_option%f[^%w_]" }, { "nvim_exec%f[^%w_]" }, { "tbl_flatten" }, { "vim%.highlight%." },
        { "vim%.validate%s*%(?%s*{" },
      }
      for _, check in ipairs(checks) do
        if code:find(check[1]) and not (check[2] and code:find(check[2])) then
          found[#found + 1] = vim.fn.fnamemodify(path, ":t") .. ":" .. n .. ": " .. vim.trim(line)
        end
      end
    end
  end
  t.eq(table.concat(found, "\n"), "")
end)

h.run()
