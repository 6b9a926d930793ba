-- The explain window: a float beside the cursor with the term, the
-- sentences of the article that explain it, and the source's title. Asked
-- for again while it is open, it takes the focus.
local M = {}

local api = vim.api

local open = nil -- { win, buf, parent_win, parent_buf, cursor, group }

local function one_line(s)
  return (s:gsub("%s*\n%s*", " "))
end

---The lines the float shows for an explanation record.
---@param record table as require("policylink").explain returns it
---@return string[]
function M.lines(record)
  local lines = { record.term }
  local paragraphs = {}
  if (record.explanation or "") ~= "" and not record.extracted then
    -- A glossary page's own explanation: its paragraphs.
    for para in ((record.explanation or "") .. "\n\n"):gmatch("(.-)\n%s*\n") do
      if para:find("%S") then
        paragraphs[#paragraphs + 1] = one_line(vim.trim(para))
      end
    end
  else
    for _, s in ipairs(record.sentences or {}) do
      paragraphs[#paragraphs + 1] = one_line(s.text)
    end
  end
  if #paragraphs == 0 then
    paragraphs[1] = "(no explanation found in the source)"
  end
  for _, p in ipairs(paragraphs) do
    lines[#lines + 1] = ""
    lines[#lines + 1] = p
  end
  if record.source and (record.source.title or record.source.origin) then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Source: " .. (record.source.title or record.source.origin)
  end
  return lines
end

---Closes the float if it is open.
function M.close()
  if not open then
    return
  end
  local o = open
  open = nil
  pcall(api.nvim_del_augroup_by_id, o.group)
  if api.nvim_win_is_valid(o.win) then
    api.nvim_win_close(o.win, true)
  end
end

---The float's window and buffer, or nil.
---@return integer|nil win
---@return integer|nil buf
function M.window()
  if open and api.nvim_win_is_valid(open.win) then
    return open.win, open.buf
  end
  return nil
end

---Enters the float when it is open for the current window; returns whether it did.
---@return boolean
function M.focus()
  if open and api.nvim_win_is_valid(open.win) and api.nvim_get_current_win() == open.parent_win then
    api.nvim_set_current_win(open.win)
    return true
  end
  return false
end

---Shows a record in a float at the cursor.
---@param record table
---@param opts? {border?: any, max_width?: integer}
---@return integer win
---@return integer buf
function M.show(record, opts)
  opts = opts or {}
  M.close()
  local lines = M.lines(record)
  local width = 0
  for _, l in ipairs(lines) do
    width = math.max(width, vim.fn.strdisplaywidth(l))
  end
  width = math.max(math.min(width, opts.max_width or 80, vim.o.columns - 4), 10)
  local height = 0
  for _, l in ipairs(lines) do
    height = height + math.max(1, math.ceil(vim.fn.strdisplaywidth(l) / width))
  end
  height = math.max(math.min(height, vim.o.lines - 4), 1)

  local buf = api.nvim_create_buf(false, true)
  api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = "wipe"
  local ns = api.nvim_create_namespace("policylink-float")
  -- Extmarks rather than nvim_buf_add_highlight, deprecated in 0.11.
  api.nvim_buf_set_extmark(buf, ns, 0, 0, { end_col = #lines[1], hl_group = "PolicyLinkTitle" })
  if lines[#lines]:sub(1, 8) == "Source: " then
    api.nvim_buf_set_extmark(buf, ns, #lines - 1, 0, { end_col = #lines[#lines], hl_group = "Comment" })
  end
  local parent_win, parent_buf = api.nvim_get_current_win(), api.nvim_get_current_buf()
  local win = api.nvim_open_win(buf, false, {
    relative = "cursor", row = 1, col = 0, width = width, height = height,
    style = "minimal", border = opts.border or "rounded", focusable = true,
  })
  vim.wo[win].wrap = true
  vim.wo[win].linebreak = true
  for _, key in ipairs({ "q", "<Esc>" }) do
    api.nvim_buf_set_keymap(buf, "n", key, "<Cmd>lua require('policylink.float').close()<CR>",
      { nowait = true, noremap = true, silent = true })
  end
  local group = api.nvim_create_augroup("policylink_float", { clear = true })
  local cursor = api.nvim_win_get_cursor(parent_win)
  -- Moving in the note, typing or leaving it closes the float; entering the
  -- float does not (those events are the note buffer's only).
  api.nvim_create_autocmd({ "CursorMoved", "CursorMovedI", "InsertEnter", "BufHidden" }, {
    group = group, buffer = parent_buf,
    callback = function(ev)
      if ev.event == "CursorMoved" and api.nvim_get_current_win() == parent_win then
        local now = api.nvim_win_get_cursor(parent_win)
        if now[1] == cursor[1] and now[2] == cursor[2] then
          return
        end
      end
      M.close()
    end,
  })
  api.nvim_create_autocmd("WinClosed", {
    group = group, pattern = tostring(win),
    callback = function()
      vim.schedule(M.close)
    end,
  })
  open = { win = win, buf = buf, parent_win = parent_win, parent_buf = parent_buf, group = group }
  return win, buf
end

return M
