-- :checkhealth policylink
local M = {}

function M.check()
  local health = vim.health or require("health")
  local start = health.start or health.report_start
  local ok = health.ok or health.report_ok
  local error = health.error or health.report_error
  start("policylink")
  local policylink = require("policylink")
  local core, err = policylink.core()
  if core then
    ok("compiled core " .. core.version .. " loaded")
  else
    error(err)
  end
end

return M
