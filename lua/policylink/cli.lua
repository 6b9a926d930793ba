-- The policylink command line: parses arguments and runs a subcommand. The
-- program (src/cli/main.c) calls main(argv); the core does the work.
local core = require("policylink.core")
local json = require("policylink.json")

local M = {}

local PROGRAM = "policylink"

-- Errors raised inside a command: usage errors exit 2, failures exit 1.
local Failure = {}
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
  if doc.replaced_bytes > 0 then
    warn(string.format("%s: %d invalid UTF-8 byte%s replaced with U+FFFD", name,
      doc.replaced_bytes, doc.replaced_bytes == 1 and "" or "s"))
  end
  return doc
end

local METADATA_FIELDS = { "title", "author", "date", "source" }

local commands = {}
local command_order = { "text", "sentences" }

local format_option = {
  value = true,
  choices = { auto = true, text = true, html = true },
  help = "read the input as auto (default), text or html",
}

commands.text = {
  summary = "print the cleaned article, with title, author, date and source",
  usage = "text FILE|- [--json] [--body] [--format auto|text|html] [--keep-boilerplate]",
  options = {
    json = { help = "print a JSON object: title, author, date, source, text, format, counts" },
    body = { help = "print the article text only, without the metadata header" },
    format = format_option,
    ["keep-boilerplate"] = { help = "keep blocks the cleaner would drop as site chrome" },
  },
  args = 1,
  run = function(opts, args)
    local doc = clean(args[1], opts)
    if opts.json then
      local out = {
        text = doc.text,
        format = doc.format,
        replaced_bytes = doc.replaced_bytes,
        removed_blocks = doc.removed_blocks,
        paragraph_count = #doc.paragraphs,
        sentence_count = #doc.sentences,
      }
      for _, field in ipairs(METADATA_FIELDS) do
        out[field] = doc[field] or json.null
      end
      write(json.encode(out, { indent = "  " }) .. "\n")
      return 0
    end
    if not opts.body then
      local header = {}
      for _, field in ipairs(METADATA_FIELDS) do
        if doc[field] then
          header[#header + 1] = field:sub(1, 1):upper() .. field:sub(2) .. ": " .. doc[field]
        end
      end
      if #header > 0 then
        write(table.concat(header, "\n") .. "\n\n")
      end
    end
    write(doc.text .. "\n")
    return 0
  end,
}

commands.sentences = {
  summary = "print the cleaned article's sentences, one per line",
  usage = "sentences FILE|- [--json] [--format auto|text|html]",
  options = {
    json = { help = "print JSON: each sentence's text, byte offsets in the cleaned text "
      .. "(as 'text --body' prints it), paragraph index and kind" },
    format = format_option,
    ["keep-boilerplate"] = { help = "keep blocks the cleaner would drop as site chrome" },
  },
  args = 1,
  run = function(opts, args)
    local doc = clean(args[1], opts)
    if opts.json then
      local list = json.array({})
      for i, s in ipairs(doc.sentences) do
        list[i] = {
          index = i - 1,
          text = doc.text:sub(s.byte_start + 1, s.byte_end),
          byte_start = s.byte_start,
          byte_end = s.byte_end,
          paragraph = s.paragraph - 1,
          kind = s.kind,
        }
      end
      write(json.encode({ sentences = list, paragraph_count = #doc.paragraphs }, { indent = "  " }) .. "\n")
      return 0
    end
    local out = {}
    for i, s in ipairs(doc.sentences) do
      out[i] = (doc.text:sub(s.byte_start + 1, s.byte_end):gsub("\n", " "))
    end
    if #out > 0 then
      write(table.concat(out, "\n") .. "\n")
    end
    return 0
  end,
}

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  return keys
end

local function command_help(name)
  local cmd = commands[name]
  local lines = { "Usage: " .. PROGRAM .. " " .. cmd.usage, "", cmd.summary:sub(1, 1):upper() .. cmd.summary:sub(2) .. ".", "",
    "Options:" }
  for _, opt in ipairs(sorted_keys(cmd.options)) do
    local spec = cmd.options[opt]
    lines[#lines + 1] = string.format("  --%-20s %s", opt .. (spec.value and " VALUE" or ""), spec.help)
  end
  lines[#lines + 1] = string.format("  --%-20s %s", "help", "show this help")
  lines[#lines + 1] = ""
  lines[#lines + 1] = "FILE is a path, or - for standard input. Errors go to standard error;"
  lines[#lines + 1] = "the exit status is 0 on success, 1 on failure, 2 on a usage error."
  return table.concat(lines, "\n") .. "\n"
end

local function main_help()
  local lines = { "Usage: " .. PROGRAM .. " COMMAND [OPTIONS] [ARGS]", "",
    "Turns the articles you read into a glossary for your notes.", "", "Commands:" }
  for _, name in ipairs(command_order) do
    lines[#lines + 1] = string.format("  %-12s %s", name, commands[name].summary)
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = "Run '" .. PROGRAM .. " COMMAND --help' for a command's options."
  lines[#lines + 1] = "Options: --help, --version."
  return table.concat(lines, "\n") .. "\n"
end

-- Parses argv[first..] against a command's options: --name, --name=VALUE,
-- --name VALUE, "--" ends options, "-" is an argument (standard input).
local function parse(name, argv, first)
  local cmd = commands[name]
  local opts, args = {}, {}
  local i = first
  while i <= #argv do
    local a = argv[i]
    if a == "--" then
      for j = i + 1, #argv do
        args[#args + 1] = argv[j]
      end
      break
    elseif a == "--help" or a == "-h" then
      opts.help = true
    elseif a:sub(1, 2) == "--" then
      local key, value = a:match("^%-%-([^=]+)=(.*)$")
      key = key or a:sub(3)
      local spec = cmd.options[key]
      if not spec then
        usage_error("unknown option '--" .. key .. "'", name)
      end
      if spec.value then
        if not value then
          i = i + 1
          value = argv[i]
          if not value then
            usage_error("option '--" .. key .. "' needs a value", name)
          end
        end
        if spec.choices and not spec.choices[value] then
          usage_error(string.format("option '--%s' does not take '%s' (choose from: %s)", key, value,
            table.concat(sorted_keys(spec.choices), ", ")), name)
        end
        opts[key] = value
      else
        if value then
          usage_error("option '--" .. key .. "' takes no value", name)
        end
        opts[key] = true
      end
    elseif a:sub(1, 1) == "-" and a ~= "-" then
      usage_error("unknown option '" .. a .. "'", name)
    else
      args[#args + 1] = a
    end
    i = i + 1
  end
  return opts, args
end

local function run_command(argv)
  local name = argv[1]
  if name == nil then
    io.stderr:write(main_help())
    return 2
  end
  if name == "--help" or name == "-h" or name == "help" then
    local topic = argv[2]
    if name == "help" and topic then
      if not commands[topic] then
        usage_error("unknown command '" .. topic .. "'")
      end
      write(command_help(topic))
    else
      write(main_help())
    end
    return 0
  end
  if name == "--version" then
    write(PROGRAM .. " " .. core.version .. "\n")
    return 0
  end
  local cmd = commands[name]
  if not cmd then
    usage_error("unknown command '" .. name .. "'")
  end
  local opts, args = parse(name, argv, 2)
  if opts.help then
    write(command_help(name))
    return 0
  end
  if #args < cmd.args then
    usage_error("missing FILE (a path, or - for standard input)", name)
  elseif #args > cmd.args then
    usage_error("unexpected argument '" .. args[cmd.args + 1] .. "'", name)
  end
  return cmd.run(opts, args)
end

---Runs the command line; returns the exit status.
---@param argv string[] arguments, argv[0] the program name
---@return integer
function M.main(argv)
  local ok, result = xpcall(run_command, function(e)
    if getmetatable(e) == Failure then
      return e
    end
    return debug.traceback(tostring(e), 2)
  end, argv)
  if ok then
    io.stdout:flush()
    return result or 0
  end
  if getmetatable(result) == Failure then
    io.stderr:write(PROGRAM, ": ", result.message, "\n")
    return result.status
  end
  error(result, 0)
end

return M
