-- policylink: policy terms from the articles you read, linked in your notes.
-- Small on purpose: the Lua modules load when a command first runs or a
-- buffer of a configured filetype opens.
if vim.g.loaded_policylink then
  return
end
vim.g.loaded_policylink = true

vim.api.nvim_create_user_command("PolicyLink", function(cmd)
  require("policylink").command(cmd.fargs, cmd)
end, {
  nargs = "+",
  range = true,
  complete = function(arg_lead, cmd_line)
    return require("policylink").complete(arg_lead, cmd_line)
  end,
  desc = "policylink: add, sources, terms, explain, goto, summarize, link, unlink, export, ...",
})

vim.keymap.set("n", "<Plug>(policylink-explain)", function()
  require("policylink").explain_cursor()
end, { desc = "policylink: explain the term under the cursor" })
vim.keymap.set("n", "<Plug>(policylink-goto)", function()
  require("policylink").goto_cursor()
end, { desc = "policylink: go to the sentence the term comes from" })

-- Default links, so that every colour scheme shows the terms; again after
-- :colorscheme, which clears them.
local function highlights()
  vim.cmd([[
    highlight default link PolicyLinkTerm Underlined
    highlight default link PolicyLinkSentence Search
    highlight default link PolicyLinkTitle Title
  ]])
end
highlights()

local group = vim.api.nvim_create_augroup("policylink", { clear = true })
vim.api.nvim_create_autocmd("ColorScheme", { group = group, callback = highlights })
vim.api.nvim_create_autocmd("FileType", {
  group = group,
  callback = function(ev)
    if require("policylink.config").wants(ev.match) then
      require("policylink.buffer").on_filetype(ev.buf)
    end
  end,
})
