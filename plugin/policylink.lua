-- policylink: policy terms from the articles you read, linked in your notes.
-- Small on purpose: the Lua modules load when a command first runs.
if vim.g.loaded_policylink then
  return
end
vim.g.loaded_policylink = true

vim.api.nvim_create_user_command("PolicyLink", function(cmd)
  require("policylink").command(cmd.fargs)
end, {
  nargs = "+",
  complete = function(arg_lead, cmd_line)
    return require("policylink").complete(arg_lead, cmd_line)
  end,
  desc = "policylink: text, sentences",
})
