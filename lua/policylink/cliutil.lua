-- What every subcommand of the command line shares: failing with one clear
-- line, reading input, cleaning it with the core, writing output.
local core = require("policylink.core")

local M = {}

M.PROGRAM = "policylink"
local PROGRAM = M.PROGRAM

-- Errors raised inside a command: usage errors exit 2, failures exit 1.
local Failure = {}
M.Failure = Failure
Failure.__index = Failure

local function fail(message, status)
  error(setmetatable({ message = message, status = status or 1 }, Failure), 0)
end

local function usage_error(message, command)
  local hint = command and (PROGRAM .. " " .. command .. " --help") or (PROGRAM .. " --help")
  fail(message .. "\nTry '" .. hint .. "'.", 2)
end

local function write(s)
  io.stdout:write(s)
end

local function warn(message)
  io.stderr:write(PROGRAM, ": warning: ", message, "\n")
end

-- Reads a whole file, or standard input for "-"; fails with one clear line.
local function read_input(path)
  if path == "-" then
    local data = io.stdin:read("a")
    if not data then
      fail("cannot read standard input")
    end
    return data, "standard input"
  end
  local f, err = io.open(path, "rb")
  if not f then
    fail(string.format("cannot read '%s': %s", path, (err or ""):gsub("^.-: ", "")))
  end
  local data, read_err = f:read("a")
  f:close()
  if not data then
    fail(string.format("cannot read '%s': %s", path, read_err or "read error"))
  end
  return data, path
end

local function clean(path, opts)
  local data, name = read_input(path)
  local doc, message = core.clean(data, {
    format = opts.format or "auto",
    keep_boilerplate = opts["keep-boilerplate"] or false,
  })
  if not doc then
    fail(string.format("%s: %s", name, message))
  end
  M.warn_replaced(name, doc)
  return doc
end

---Warns when cleaning replaced invalid UTF-8 bytes of input `name`.
---@param name string
---@param doc table from core.clean
function M.warn_replaced(name, doc)
  if doc.replaced_bytes > 0 then
    warn(string.format("%s: %d invalid UTF-8 byte%s replaced with U+FFFD", name,
      doc.replaced_bytes, doc.replaced_bytes == 1 and "" or "s"))
  end
end

local METADATA_FIELDS = { "title", "author", "date", "source" }


M.fail = fail
M.usage_error = usage_error
M.write = write
M.warn = warn
M.read_input = read_input
M.clean = clean
M.METADATA_FIELDS = METADATA_FIELDS

M.format_option = {
  value = true,
  choices = { auto = true, text = true, html = true },
  help = "read the input as auto (default), text or html",
}

M.keep_boilerplate_option = { help = "keep blocks the cleaner would drop as site chrome" }

---Opens the library of sources (dir, or the default one), or fails with
---why not.
---@param dir? string
---@return table library
function M.open_library(dir)
  local lib, message = require("policylink.library").open(dir)
  if not lib then
    fail(message)
  end
  return lib
end

---Fetches requests into the library (library.fetch_into), saying on
---standard error how far it is when there are several, and calling
---on_stored(req, src, outcome) or on_failed(req, message) as each ends.
---@param lib table
---@param requests table[]
---@param on_stored fun(req: table, src: table, outcome: string)
---@param on_failed fun(req: table, message: string)
function M.fetch_into_library(lib, requests, on_stored, on_failed)
  local show_progress = #requests > 1
  require("policylink.library").fetch_into(lib, requests, nil, function(req, done, total, src, outcome, err)
    if show_progress then
      io.stderr:write(string.format("%s: [%d/%d] %s\n", PROGRAM, done, total, req.url))
    end
    if src then
      on_stored(req, src, outcome)
    else
      on_failed(req, err)
    end
  end)
end

---Writes data to path atomically (core.write_file: a temporary file beside
---it, synced, renamed over it; the file keeps its permission bits), so a
---crash leaves either the old file or the new one. With backup, the old
---contents are kept at path .. ".bak" first.
---@param path string
---@param data string
---@param backup? boolean
function M.write_file_atomic(path, data, backup)
  if backup then
    local old = io.open(path, "rb")
    if old then
      local contents = old:read("a")
      old:close()
      M.write_file_atomic(path .. ".bak", contents or "")
    end
  end
  local ok, message = core.write_file(path, data)
  if not ok then
    fail(message)
  end
end

return M
