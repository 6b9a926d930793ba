-- :PolicyLink summarize: the sentences that carry the main points of a
-- source or of the current buffer (core.summarize), one a line in a scratch
-- buffer; <CR> on a line opens the cleaned text at that sentence, as goto
-- does for a term.
local M = {}

local api = vim.api

-- Summary buffer -> { sentences = { {byte_start, byte_end} }, text, view, from_win }
local shown = {}

---The lines of a summary: one sentence a line, in article order.
---@param result table from core.summarize
---@return string[]
function M.lines(result)
  local lines = {}
  for i, s in ipairs(result.sentences) do
    lines[i] = (result.text:sub(s.byte_start + 1, s.byte_end):gsub("%s*\n%s*", " "))
  end
  return lines
end

---Summarizes text and shows the summary in a new window.
---@param text string the article or note
---@param opts {format: string, sentences: integer, what: string, view: string}
---  what: the name shown (an origin or the buffer's name); view: the name of
---  the buffer <CR> opens the cleaned text in
---@return integer|nil buf
---@return string|nil message
function M.show(text, opts)
  local core, err = require("policylink").core()
  if not core then
    return nil, err
  end
  local result, message, code = core.summarize(text, { sentences = opts.sentences, format = opts.format })
  if not result and code ~= "no_text" then
    return nil, "policylink: " .. opts.what .. ": " .. message
  end
  if not result or #result.sentences == 0 then
    return nil, "policylink: " .. opts.what .. ": nothing to summarize (no sentence long enough)"
  end
  local from_win = api.nvim_get_current_win()
  vim.cmd("new")
  local buf = api.nvim_get_current_buf()
  api.nvim_buf_set_lines(buf, 0, -1, false, M.lines(result))
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "text"
  pcall(api.nvim_buf_set_name, buf, "policylink://summary/" .. opts.what)
  local sentences = {}
  for i, s in ipairs(result.sentences) do
    sentences[i] = { s.byte_start, s.byte_end }
  end
  shown[buf] = { sentences = sentences, text = result.text, view = opts.view, from_win = from_win }
  api.nvim_buf_set_keymap(buf, "n", "<CR>", "<Cmd>lua require('policylink.summary').jump()<CR>",
    { noremap = true, silent = true, desc = "policylink: go to this sentence" })
  api.nvim_create_autocmd("BufWipeout", {
    buffer = buf,
    callback = function()
      shown[buf] = nil
    end,
  })
  return buf
end

---<CR> in a summary: the cleaned text at the sentence of the cursor line, in
---the window the summary was made from (else the previous one, else a new
---split); the summary stays open.
function M.jump()
  local buf = api.nvim_get_current_buf()
  local s = shown[buf]
  if not s then
    return
  end
  local sentence = s.sentences[api.nvim_win_get_cursor(0)[1]]
  if not sentence then
    return
  end
  local here = api.nvim_get_current_win()
  if s.from_win ~= here and api.nvim_win_is_valid(s.from_win) then
    api.nvim_set_current_win(s.from_win)
  else
    vim.cmd("wincmd p")
    if api.nvim_get_current_win() == here then
      vim.cmd("new")
    end
  end
  require("policylink.source_view").show(s.view, s.text, sentence[1], sentence[2])
end

return M
