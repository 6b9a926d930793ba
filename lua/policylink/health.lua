-- :checkhealth policylink: the compiled core, the program that fetches
-- URLs, the sources and the settings, each with what to do when wrong.
local M = {}

-- vim.health.start/ok/warn/error/info from Neovim 0.9 (report_* deprecated
-- in 0.10); before, report_* of vim.health (0.8) or require("health") (0.7).
local function reporter()
  local health = vim.health or require("health")
  return {
    start = health.start or health.report_start,
    ok = health.ok or health.report_ok,
    warn = health.warn or health.report_warn,
    error = health.error or health.report_error,
    info = health.info or health.report_info,
  }
end

function M.check()
  local report = reporter()
  local start, ok, warn, error, info = report.start, report.ok, report.warn, report.error, report.info

  local policylink = require("policylink")
  start("policylink")
  if vim.fn.has("nvim-0.7") == 1 then
    ok("Neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "." .. tostring(vim.version().patch))
  else
    error("Neovim 0.7 or later is needed")
  end
  local core, err = policylink.core()
  if not core then
    error(err)
    return
  end
  ok("compiled core " .. core.version .. " loaded (matches the Lua files)")
  local missing = {}
  for _, name in ipairs({ "terms", "explain", "glossary_parse", "glossary_format", "glossary_merge", "slug" }) do
    if not core[name] then
      missing[#missing + 1] = name
    end
  end
  if #missing > 0 then
    warn("the compiled core lacks " .. table.concat(missing, ", ") .. "; run `make` in " .. policylink.plugin_root())
  end
  local curl, curl_message = nil, "the core was built without the fetcher (core.fetch)"
  if core.fetch_library then
    curl, curl_message = core.fetch_library()
  end
  if curl then
    ok("libcurl: " .. curl)
  else
    warn("libcurl: " .. tostring(curl_message) .. "; URLs cannot be added")
  end

  local sources = require("policylink.sources")
  local program = sources.program()
  if program then
    ok("policylink program: " .. program)
  else
    warn("policylink program not found: URLs cannot be added; run `make` in " .. policylink.plugin_root()
      .. " or set the 'program' option")
  end

  local config = require("policylink.config").get()
  info("filetypes: " .. table.concat(config.filetypes, ", "))
  info("linking as you type: " .. (require("policylink.buffer").globally_enabled() and "on" or "off"))
  -- Loading reports failures through vim.notify, which inside :checkhealth
  -- on Neovim 0.7 aborts the report; they are listed below instead.
  local notify = vim.notify
  vim.notify = function() end
  pcall(sources.ensure_loaded)
  vim.notify = notify
  local lib, lib_message = sources.library()
  if lib then
    local list = lib:list()
    ok(string.format("source library: %s (%d source%s)", lib:path(), list and #list or 0,
      list and #list == 1 and "" or "s"))
  else
    warn("no source library: " .. tostring(lib_message) .. "; sources added with :PolicyLink add last for the session")
  end
  local ready, failed, loading = 0, 0, 0
  for _, src in ipairs(sources.list()) do
    if src.status == "ready" then
      ready = ready + 1
    elseif src.status == "failed" then
      failed = failed + 1
      error(string.format("source %s: %s", src.origin, src.error or "failed"))
    else
      loading = loading + 1
    end
  end
  if ready + failed + loading == 0 and not config.glossary then
    warn("no sources: set the 'sources' option or run :PolicyLink add {path|url}")
  else
    ok(string.format("sources: %d loaded, %d loading, %d failed", ready, loading, failed))
  end
  if config.glossary then
    local problem = sources.glossary_error()
    if problem then
      error("glossary: " .. problem)
    else
      local g = sources.glossary()
      ok(string.format("glossary: %s, %d entries", config.glossary, g and #g.entries or 0))
    end
  end
end

return M
