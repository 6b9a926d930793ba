-- The source of a term: the article's cleaned text in a read-only buffer,
-- the cursor on the sentence that explains the term, that sentence
-- highlighted. One buffer per source, reused.
local M = {}

local api = vim.api

M.ns = api.nvim_create_namespace("policylink-sentence")

local function position(text, byte)
  local row, line_start = 0, 1
  for nl in text:sub(1, byte):gmatch("()\n") do
    row = row + 1
    line_start = nl + 1
  end
  return row, byte - (line_start - 1)
end

local function buffer_for(src, doc)
  local name = "policylink://source/" .. src.origin
  local buf = vim.fn.bufnr("^" .. vim.fn.escape(name, "^$.*~[]\\/") .. "$")
  if buf ~= -1 and api.nvim_buf_is_loaded(buf) then
    return buf
  end
  buf = api.nvim_create_buf(true, true)
  api.nvim_buf_set_name(buf, name)
  api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(doc.text, "\n", { plain = true }))
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "hide"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.bo[buf].readonly = true
  return buf
end

---Opens the source of a glossary entry in the current window at the
---sentence that explains it best.
---@param entry table a glossary entry
---@return integer|nil buf
---@return string|nil message
function M.open(entry)
  local sources = require("policylink.sources")
  local record, message = sources.explain(entry)
  if not record then
    return nil, message
  end
  local src = sources.source_of(entry)
  if not src then
    return nil, string.format("policylink: '%s' has no loaded source", record.term)
  end
  local doc, err = sources.document(src)
  if not doc then
    return nil, err
  end
  local buf = buffer_for(src, doc)
  -- Into the jump list, so <C-o> comes back to the note.
  vim.cmd("normal! m'")
  api.nvim_win_set_buf(0, buf)
  api.nvim_buf_clear_namespace(buf, M.ns, 0, -1)
  local sentence = record.sentences and record.sentences[1]
  if not sentence then
    api.nvim_win_set_cursor(0, { 1, 0 })
    return buf
  end
  local row, col = position(doc.text, sentence.byte_start)
  local end_row, end_col = position(doc.text, sentence.byte_end)
  api.nvim_buf_set_extmark(buf, M.ns, row, col, {
    end_row = end_row, end_col = end_col, hl_group = "PolicyLinkSentence",
  })
  api.nvim_win_set_cursor(0, { row + 1, col })
  return buf
end

return M
