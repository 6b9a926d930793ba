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

-- The read-only buffer named name holding text (made, or brought up to
-- date when the text changed, as a note's cleaned text does).
local function buffer_for(name, text)
  local lines = vim.split(text, "\n", { plain = true })
  local buf = vim.fn.bufnr("^" .. vim.fn.escape(name, "^$.*~[]\\/") .. "$")
  if buf ~= -1 and api.nvim_buf_is_loaded(buf) then
    if table.concat(api.nvim_buf_get_lines(buf, 0, -1, false), "\n") ~= text then
      vim.bo[buf].modifiable = true
      api.nvim_buf_set_lines(buf, 0, -1, false, lines)
      vim.bo[buf].modifiable = false
    end
    return buf
  end
  buf = api.nvim_create_buf(true, true)
  api.nvim_buf_set_name(buf, name)
  api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "hide"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.bo[buf].readonly = true
  return buf
end

---Shows a cleaned text in a read-only buffer (one per name, reused) in the
---current window, the cursor on the sentence at bytes [byte_start,
---byte_end) (0-based), highlighted; without a sentence, at the top.
---@param name string the buffer's name, e.g. "policylink://source/" .. origin
---@param text string
---@param byte_start? integer
---@param byte_end? integer
---@return integer buf
function M.show(name, text, byte_start, byte_end)
  local buf = buffer_for(name, text)
  -- Into the jump list, so <C-o> comes back to the note.
  vim.cmd("normal! m'")
  api.nvim_win_set_buf(0, buf)
  api.nvim_buf_clear_namespace(buf, M.ns, 0, -1)
  if not byte_start then
    api.nvim_win_set_cursor(0, { 1, 0 })
    return buf
  end
  local row, col = position(text, byte_start)
  local end_row, end_col = position(text, byte_end)
  api.nvim_buf_set_extmark(buf, M.ns, row, col, {
    end_row = end_row, end_col = end_col, hl_group = "PolicyLinkSentence",
  })
  api.nvim_win_set_cursor(0, { row + 1, col })
  return buf
end

---The name of the buffer that shows a source's cleaned text.
---@param src table
---@return string
function M.name(src)
  return "policylink://source/" .. src.origin
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
  local sentence = record.sentences and record.sentences[1]
  return M.show(M.name(src), doc.text, sentence and sentence.byte_start, sentence and sentence.byte_end)
end

return M
