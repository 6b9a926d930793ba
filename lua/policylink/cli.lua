-- The policylink command line: parses arguments and runs a subcommand. The
-- program (src/cli/main.c) calls main(argv); the core does the work.
local core = require("policylink.core")

local M = {}

local PROGRAM = "policylink"

local util = require("policylink.cliutil")
local usage_error, write = util.usage_error, util.write
local Failure = util.Failure
local PROGRAM = util.PROGRAM

-- Subcommands, each in lua/policylink/commands/NAME.lua, in the order
-- --help lists them.
local command_order = { "text", "sentences", "summarize", "terms", "explain", "defines",
  "glossary", "link", "fetch", "add", "sources", "remove", "refresh" }
local commands = setmetatable({}, {
  __index = function(t, name)
    for _, known in ipairs(command_order) do
      if known == name then
        local cmd = require("policylink.commands." .. name)
        rawset(t, name, cmd)
        return cmd
      end
    end
  end,
})

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
    local flag = (spec.alias and ("-" .. spec.alias .. ", ") or "    ") .. "--" .. opt
      .. (spec.value and (" " .. (spec.metavar or "VALUE")) or spec.optional_value and spec.metavar or "")
    lines[#lines + 1] = string.format("  %-26s %s", flag, spec.help)
  end
  lines[#lines + 1] = string.format("  %-26s %s", "-h, --help", "show this help")
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

-- Checks and converts an option's value by its spec (type "integer" or
-- "number", with min/max; choices).
local function convert_value(name, key, spec, value)
  if spec.choices and not spec.choices[value] then
    usage_error(string.format("option '--%s' does not take '%s' (choose from: %s)", key, value,
      table.concat(sorted_keys(spec.choices), ", ")), name)
  end
  if spec.type == "integer" or spec.type == "number" then
    local n = tonumber(value)
    if not n or (spec.type == "integer" and n % 1 ~= 0) then
      usage_error(string.format("option '--%s' needs %s, not '%s'", key,
        spec.type == "integer" and "a whole number" or "a number", value), name)
    end
    if (spec.min and n < spec.min) or (spec.max and n > spec.max) then
      usage_error(string.format("option '--%s' must be %s, not '%s'", key,
        spec.max and string.format("from %s to %s", spec.min, spec.max)
          or string.format("at least %s", spec.min), value), name)
    end
    return spec.type == "integer" and math.tointeger and math.tointeger(n) or n
  end
  return value
end

-- Parses argv[first..] against a command's options: --name, --name=VALUE,
-- --name VALUE, -x / -x VALUE / -xVALUE for options with an alias, "--" ends
-- options, "-" is an argument (standard input). Options with `list = true`
-- may repeat and collect their values in a list.
local function parse(name, argv, first)
  local cmd = commands[name]
  local opts, args = {}, {}
  local aliases = {}
  for key, spec in pairs(cmd.options) do
    if spec.alias then
      aliases[spec.alias] = key
    end
  end
  local i = first
  while i <= #argv do
    local a = argv[i]
    local key, value
    if a == "--" then
      for j = i + 1, #argv do
        args[#args + 1] = argv[j]
      end
      break
    elseif a == "--help" or a == "-h" then
      opts.help = true
    elseif a:sub(1, 2) == "--" then
      key, value = a:match("^%-%-([^=]+)=(.*)$")
      key = key or a:sub(3)
      if not cmd.options[key] then
        usage_error("unknown option '--" .. key .. "'", name)
      end
    elseif a:sub(1, 1) == "-" and a ~= "-" then
      key = aliases[a:sub(2, 2)]
      if not key then
        usage_error("unknown option '" .. a .. "'", name)
      end
      if #a > 2 then
        if not cmd.options[key].value then
          usage_error("unknown option '" .. a .. "'", name)
        end
        value = a:sub(3)
      end
    else
      args[#args + 1] = a
    end
    if key then
      local spec = cmd.options[key]
      if spec.optional_value then
        opts[key] = value or true -- only --key=VALUE gives a value: a positional never is
      elseif spec.value then
        if not value then
          i = i + 1
          value = argv[i]
          if not value then
            usage_error("option '--" .. key .. "' needs a value", name)
          end
        end
        value = convert_value(name, key, spec, value)
        if spec.list then
          opts[key] = opts[key] or {}
          table.insert(opts[key], value)
        else
          opts[key] = value
        end
      else
        if value then
          usage_error("option '--" .. key .. "' takes no value", name)
        end
        opts[key] = true
      end
    end
    i = i + 1
  end
  return opts, args
end

-- A command's `args` is a count, or { min = , max = } (max nil: no limit);
-- `arg_name` names what is missing ("FILE" by default).
local function check_args(name, cmd, args)
  local spec = type(cmd.args) == "table" and cmd.args or { min = cmd.args, max = cmd.args }
  if #args < spec.min then
    local missing = cmd.arg_names and cmd.arg_names[#args + 1] or "FILE (a path, or - for standard input)"
    usage_error("missing " .. missing, name)
  elseif spec.max and #args > spec.max then
    usage_error("unexpected argument '" .. args[spec.max + 1] .. "'", name)
  end
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
  check_args(name, cmd, args)
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
