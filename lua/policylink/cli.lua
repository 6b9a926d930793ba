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
local command_order = { "text", "sentences" }
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
