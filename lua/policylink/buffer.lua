-- Linking as you type: glossary terms in a buffer marked with extmarks.
-- A long buffer is marked where windows show it first, the rest in the
-- background; after an edit only the changed lines are matched again, from
-- the boundary line before them to the one after, carrying the Markdown
-- state (code fences, front matter) from line to line.
local M = {}

local api = vim.api

M.ns = api.nvim_create_namespace("policylink")

-- Buffers up to this many lines are matched and marked at once.
local SMALL_LINES = 2000
-- Lines matched per background step (a few milliseconds), so typing stays
-- responsive while a long note is marked.
local CHUNK_LINES = 400
-- Lines past the visible ones an edit may re-match before the rest of its
-- effect (an opened fence) is left to the background.
local VISIBLE_EXTRA = 50
-- Up to this many dirty lines are matched again without asking what is in view.
local SMALL_DIRTY = 64

local buffers = {}
-- The global toggle; nil: the `enabled` option decides.
local globally_enabled

local function sources()
  return require("policylink.sources")
end

local function config()
  return require("policylink.config").get()
end

local function core()
  return require("policylink").core()
end

---Whether linking as you type is on (the `enabled` option, then toggles).
---@return boolean
function M.globally_enabled()
  if globally_enabled == nil then
    return config().enabled
  end
  return globally_enabled
end

-- ---- Dirty line ranges: a sorted list of disjoint {lo, hi} (hi exclusive) ----

local function add_range(list, lo, hi)
  if lo >= hi then
    return list
  end
  local out, i = {}, 1
  while i <= #list and list[i][2] < lo do
    out[#out + 1] = list[i]
    i = i + 1
  end
  while i <= #list and list[i][1] <= hi do
    lo, hi = math.min(lo, list[i][1]), math.max(hi, list[i][2])
    i = i + 1
  end
  out[#out + 1] = { lo, hi }
  while i <= #list do
    out[#out + 1] = list[i]
    i = i + 1
  end
  return out
end

local function remove_range(list, lo, hi)
  local out = {}
  for _, r in ipairs(list) do
    if r[2] <= lo or r[1] >= hi then
      out[#out + 1] = r
    else
      if r[1] < lo then
        out[#out + 1] = { r[1], lo }
      end
      if r[2] > hi then
        out[#out + 1] = { hi, r[2] }
      end
    end
  end
  return out
end

-- Moves the ranges for an edit that replaced lines [first, last) with
-- [first, new_last) in a buffer now n lines long.
local function shift_ranges(list, first, last, new_last, n)
  local delta = new_last - last
  local out = {}
  for _, r in ipairs(list) do
    local lo, hi = r[1], r[2]
    if hi <= first then
      out = add_range(out, lo, hi)
    elseif lo >= last then
      out = add_range(out, lo + delta, hi + delta)
    else
      out = add_range(out, math.min(lo, first), math.min(math.max(hi + delta, new_last, first + 1), n))
    end
  end
  return out
end

-- ---- Line states after an edit ----

-- states[L + 1] is the Markdown state at the start of line L (0-based);
-- states[n + 1] the state after the last line. Lines replaced by an edit get
-- nil (unknown); the line at `first` keeps its state, which depends only on
-- the lines above it; the lines after the edit keep their old states until
-- matching finds out whether they changed.
local function splice_states(states, n_old, first, last, new_last)
  local delta = new_last - last
  local n_new = n_old + delta
  if delta > 0 then
    for L = n_new, math.max(new_last, first + 1), -1 do
      states[L + 1] = states[L - delta + 1]
    end
  elseif delta < 0 then
    for L = math.max(new_last, first + 1), n_new do
      states[L + 1] = states[L - delta + 1]
    end
    for L = n_new + 1, n_old do
      states[L + 1] = nil
    end
  end
  for L = first + 1, new_last - 1 do
    states[L + 1] = nil
  end
end

-- ---- Matching and painting ----

-- Lines as the matcher reads them: each ended by a newline, so that n lines
-- give n + 1 line states even when the last is empty (without it, a final
-- empty line would not count as a line).
local function as_text(lines)
  return table.concat(lines, "\n") .. "\n"
end

local function match_options(first_line)
  return { first_line = first_line, line_states = true, min_length = config().min_length, flat = true }
end

-- Reused for every mark: setting a mark allocates nothing on the Lua side.
local mark_opts = { end_row = 0, end_col = 0, hl_group = "PolicyLinkTerm" }

-- Whether rows [lo, hi] meet a range of the list.
local function meets(list, lo, hi)
  for _, r in ipairs(list) do
    if r[1] <= hi and r[2] > lo then
      return true
    end
  end
  return false
end

-- A match's place as one number (row and byte column), for a lookup table
-- that needs no string per mark.
local function place(row, col)
  return row * 1048576 + col
end

-- Makes the marks starting in rows [lo, hi) those of the matches (the flat
-- list of core matchers: line, col, end_line, end_col, id a match). A mark
-- that is still right stays: same start, same term, and the same extent,
-- which it keeps unless an edit touched its rows (st.touched); the others
-- go, the missing ones are set. Marks are read back without their details
-- and set with one reused options table: a keystroke makes little garbage,
-- so the garbage collector, whose pauses grow with the glossary held in
-- Lua, runs seldom while one types, and unchanged marks cost no call.
local function repaint(st, flat, lo, hi)
  local buf, terms, drow, dcol = st.buf, st.terms, st.drow, st.dcol
  local wanted = {}
  for i = 1, #flat, 5 do
    local line = flat[i]
    if line >= lo and line < hi then
      wanted[place(line, flat[i + 1])] = i
    end
  end
  -- At the end of the buffer, also the marks of deleted last lines, which
  -- sit past it.
  local to_end = hi >= st.n
  local old = api.nvim_buf_get_extmarks(buf, M.ns, { lo, 0 }, to_end and -1 or { hi, 0 }, {})
  for k = 1, #old do
    local id, row, col = old[k][1], old[k][2], old[k][3]
    if to_end or row < hi then
      local i, down = wanted[place(row, col)], drow[id]
      if i and down and flat[i] == row and flat[i + 1] == col and terms[id] == flat[i + 4]
        and down == flat[i + 2] - row and dcol[id] == (down == 0 and flat[i + 3] - col or flat[i + 3])
        and not meets(st.touched, row, row + down) then
        wanted[place(row, col)] = nil
      else
        terms[id], drow[id], dcol[id] = nil, nil, nil
        api.nvim_buf_del_extmark(buf, M.ns, id)
      end
    end
  end
  for _, i in pairs(wanted) do
    local row, col, end_row, end_col = flat[i], flat[i + 1], flat[i + 2], flat[i + 3]
    mark_opts.end_row, mark_opts.end_col = end_row, end_col
    local id = api.nvim_buf_set_extmark(buf, M.ns, row, col, mark_opts)
    -- The term, the rows down, and the end column (from the start on a
    -- one-row mark): two numbers per mark, no table.
    terms[id], drow[id], dcol[id] = flat[i + 4], end_row - row, end_row == row and end_col - col or end_col
  end
  st.touched = remove_range(st.touched, lo, to_end and math.huge or hi)
end

local function clear_all(st)
  api.nvim_buf_clear_namespace(st.buf, M.ns, 0, -1)
  st.terms, st.drow, st.dcol, st.touched = {}, {}, {}, {}
end

local md_state_is_boundary

local function is_boundary(state)
  return state ~= nil and md_state_is_boundary(state)
end

-- Matches from the nearest boundary line at or before lo to the next one at
-- or after hi, and on while the state after a stretch differs from the one
-- kept (a fence opened or closed, or lines never matched yet). With a
-- budget, stops after about that many lines and leaves the rest dirty.
-- Returns the line where it stopped.
local function walk(st, lo, hi, budget)
  local states, n, matcher = st.states, st.n, st.glossary.matcher
  local A = math.min(lo, n)
  while A > 0 and not is_boundary(states[A + 1]) do
    A = A - 1
  end
  if A == 0 then
    states[1] = 0
  end
  -- The first line from x on whose state is a boundary or not known yet.
  local function next_boundary(x)
    while x < n and states[x + 1] ~= nil and not md_state_is_boundary(states[x + 1]) do
      x = x + 1
    end
    return math.min(x, n)
  end
  local B = next_boundary(math.max(hi, A + 1))
  local done = 0
  while true do
    local lines = api.nvim_buf_get_lines(st.buf, A, B, false)
    local matches, end_state, line_states = matcher:match(as_text(lines), match_options(A), states[A + 1])
    if not matches then
      error("policylink: " .. tostring(end_state))
    end
    local settled = end_state == states[B + 1] and md_state_is_boundary(end_state)
    -- Results are exact up to a boundary line: B, or else the last one the
    -- match passed (B's line continues a paragraph whose end is not known).
    local cut = B
    if not (settled or B >= n or md_state_is_boundary(end_state)) then
      cut = nil
      for L = B - 1, A + 1, -1 do
        if md_state_is_boundary(line_states[L - A + 1]) then
          cut = L
          break
        end
      end
    end
    if not cut then
      B = next_boundary(B + math.max(B - A, 1))
    else
      for i = 1, cut - A + 1 do
        states[A + i] = line_states[i]
      end
      repaint(st, matches, A, cut)
      done = done + (cut - A)
      if cut == B and (settled or B >= n) then
        return B
      end
      if budget and done >= budget then
        st.dirty = add_range(st.dirty, cut, cut + 1)
        return cut
      end
      if cut == B then
        -- The state after the stretch changed, or was not known yet: go on.
        A = B
        B = next_boundary(A + math.min(math.max(2 * done, 1), CHUNK_LINES))
      else
        A = cut
      end
    end
  end
end

local function visible_rows(buf)
  local ranges = {}
  for _, win in ipairs(api.nvim_list_wins()) do
    if api.nvim_win_get_buf(win) == buf then
      ranges[#ranges + 1] = { vim.fn.line("w0", win) - 1, vim.fn.line("w$", win) }
    end
  end
  return ranges
end

local schedule_flush, flush

-- When the nearest known boundary above line lo is far (a jump into a part
-- of a long note not marked yet), finds the states down to lo without
-- matching anything, which is cheap, so that marking starts near lo.
local function fill_states(st, lo)
  local states = st.states
  local A = lo
  while A > 0 and not is_boundary(states[A + 1]) do
    A = A - 1
  end
  if lo - A <= CHUNK_LINES then
    return
  end
  local lines = api.nvim_buf_get_lines(st.buf, A, lo, false)
  local _, _, line_states = st.glossary.matcher:match(as_text(lines),
    { first_line = A, line_states = true, min_length = 1e9, flat = true }, states[A + 1])
  for i = 1, #line_states do
    states[A + i] = line_states[i]
  end
end

-- Starts over: a small buffer is matched and marked at once; a large one is
-- marked where windows show it, the rest in the background.
local function full(st)
  local g = sources().glossary()
  clear_all(st)
  st.dirty, st.glossary, st.states = {}, g, {}
  st.n = api.nvim_buf_line_count(st.buf)
  if not g then
    return
  end
  st.generation = g.generation
  if st.n <= SMALL_LINES then
    local lines = api.nvim_buf_get_lines(st.buf, 0, -1, false)
    local matches, end_state, line_states = g.matcher:match(as_text(lines), match_options(0))
    if not matches then
      error("policylink: " .. tostring(end_state))
    end
    st.states = line_states
    repaint(st, matches, 0, st.n)
    return
  end
  st.states[1] = 0
  st.dirty = { { 0, st.n } }
  flush(st, 0)
end

-- Processes the dirty ranges: those in view first, then at most `budget`
-- lines of the rest (all of them when budget is nil).
function flush(st, budget)
  if not st.active then
    return
  end
  md_state_is_boundary = md_state_is_boundary or core().md_state_is_boundary
  if not st.glossary or st.generation ~= sources().generation() then
    return full(st)
  end
  -- Typing leaves a few dirty lines, done at once; asking the windows what
  -- they show is worth it only when much is dirty.
  local dirty_lines = 0
  for _, d in ipairs(st.dirty) do
    dirty_lines = dirty_lines + d[2] - d[1]
  end
  local in_view = dirty_lines <= SMALL_DIRTY and { { 0, st.n } } or visible_rows(st.buf)
  for _, r in ipairs(in_view) do
    for _, d in ipairs(st.dirty) do
      local lo, hi = math.max(d[1], r[1]), math.min(d[2], r[2])
      if lo < hi then
        fill_states(st, lo)
        local stop = walk(st, lo, hi, budget and (hi - lo + VISIBLE_EXTRA))
        st.dirty = remove_range(st.dirty, lo, stop)
      end
    end
  end
  while #st.dirty > 0 and (budget == nil or budget > 0) do
    local d = st.dirty[1]
    local hi = budget and math.min(d[2], d[1] + budget) or d[2]
    local stop = walk(st, d[1], hi, budget)
    st.dirty = remove_range(st.dirty, d[1], stop)
    if budget then
      budget = budget - math.max(stop - d[1], 1)
    end
  end
  if #st.dirty > 0 then
    schedule_flush(st, true)
  end
end

function schedule_flush(st, background)
  if background then
    if st.background then
      return
    end
    st.background = true
    vim.defer_fn(function()
      st.background = false
      if buffers[st.buf] == st then
        flush(st, CHUNK_LINES)
      end
    end, 1)
    return
  end
  if st.scheduled then
    return
  end
  st.scheduled = true
  vim.schedule(function()
    st.scheduled = false
    if buffers[st.buf] == st then
      -- The visible edits now; whatever else is dirty in the background.
      flush(st, 0)
    end
  end)
end

local function on_lines(st, token, first, last, new_last)
  if not st.active or st.token ~= token then
    return true
  end
  local n_old = st.n
  st.n = n_old + (new_last - last)
  if st.states then
    splice_states(st.states, n_old, first, last, new_last)
  end
  st.dirty = shift_ranges(st.dirty, first, last, new_last, st.n)
  -- The changed lines and the line after them: marks of replaced text
  -- collapse to where it started and are pushed to the start of that line
  -- by the new text (an undo later moves such marks back, so they must go).
  -- At the end of the buffer, the last line.
  local lo = math.min(first, st.n - 1)
  local hi = math.max(math.min(new_last + 1, st.n), lo + 1)
  st.dirty = add_range(st.dirty, lo, hi)
  -- Marks in these rows may have changed extent: repaint sets them again.
  st.touched = add_range(shift_ranges(st.touched, first, last, new_last, st.n), lo, hi)
  schedule_flush(st, false)
end

---Starts linking in a buffer (nothing happens if linking is off, or the
---buffer is already linked). Errors (no core) are reported once.
---@param buf? integer
function M.attach(buf)
  buf = (buf == nil or buf == 0) and api.nvim_get_current_buf() or buf
  if not api.nvim_buf_is_loaded(buf) or not M.globally_enabled() then
    return
  end
  local st = buffers[buf]
  if st and (st.active or st.disabled) then
    return
  end
  local c, err = core()
  if not c then
    if not M.core_error_shown then
      M.core_error_shown = true
      vim.notify(err, vim.log.levels.ERROR, { title = "policylink" })
    end
    return
  end
  st = { buf = buf, active = true, terms = {}, drow = {}, dcol = {}, touched = {}, dirty = {},
    token = (st and st.token or 0) + 1 }
  buffers[buf] = st
  local token = st.token
  api.nvim_buf_attach(buf, false, {
    on_lines = function(_, _, _, first, last, new_last)
      return on_lines(st, token, first, last, new_last)
    end,
    on_reload = function()
      if st.active and st.token == token then
        st.glossary = nil
        schedule_flush(st, false)
      end
    end,
    on_detach = function()
      if buffers[buf] == st and st.token == token then
        buffers[buf] = nil
      end
    end,
  })
  full(st)
end

---Stops linking in a buffer and removes its marks. With `remember`, the
---buffer stays off until enabled again (the per-buffer toggle).
---@param buf? integer
---@param remember? boolean
function M.detach(buf, remember)
  buf = (buf == nil or buf == 0) and api.nvim_get_current_buf() or buf
  local st = buffers[buf]
  if st then
    st.active = false
    -- The next on_lines of the old attachment returns true, which detaches it.
    st.token = st.token + 1
    if api.nvim_buf_is_valid(buf) then
      clear_all(st)
    end
  end
  if remember then
    buffers[buf] = { buf = buf, disabled = true, token = st and st.token or 0 }
  else
    buffers[buf] = st and not st.disabled and { buf = buf, token = st.token } or nil
  end
end

---Whether a buffer is being linked.
---@param buf? integer
---@return boolean
function M.is_attached(buf)
  buf = (buf == nil or buf == 0) and api.nvim_get_current_buf() or buf
  local st = buffers[buf]
  return st ~= nil and st.active == true
end

---Turns linking on or off in one buffer; returns the new state.
---@param buf? integer
---@return boolean
function M.toggle(buf)
  buf = (buf == nil or buf == 0) and api.nvim_get_current_buf() or buf
  if M.is_attached(buf) then
    M.detach(buf, true)
    return false
  end
  buffers[buf] = nil
  local was = globally_enabled
  globally_enabled = true
  M.attach(buf)
  globally_enabled = was
  return M.is_attached(buf)
end

local function wanted(buf)
  return api.nvim_buf_is_loaded(buf) and vim.bo[buf].buftype == ""
    and require("policylink.config").wants(vim.bo[buf].filetype)
end

---Attaches every loaded buffer of a configured filetype.
function M.attach_all()
  for _, buf in ipairs(api.nvim_list_bufs()) do
    if wanted(buf) then
      M.attach(buf)
    end
  end
end

local function detach_all()
  for buf, st in pairs(buffers) do
    if st.active then
      M.detach(buf)
    end
  end
  buffers = {}
end

---Turns linking on or off everywhere; returns the new state.
---@return boolean
function M.toggle_global()
  if M.globally_enabled() then
    globally_enabled = false
    detach_all()
  else
    globally_enabled = true
    M.attach_all()
  end
  return globally_enabled
end

---Applies new options: forgets the global toggle, links or unlinks buffers.
function M.apply_config()
  globally_enabled = nil
  if not config().enabled then
    return detach_all()
  end
  for buf, st in pairs(buffers) do
    if st.active and not wanted(buf) then
      M.detach(buf)
    end
  end
  M.attach_all()
end

---Called by the FileType autocommand: links buffers of configured filetypes.
---@param buf integer
function M.on_filetype(buf)
  if wanted(buf) then
    M.attach(buf)
  end
end

---Brings a buffer's marks up to date now (they are otherwise updated on the
---next turn of the event loop).
---@param buf? integer
function M.flush(buf)
  buf = (buf == nil or buf == 0) and api.nvim_get_current_buf() or buf
  local st = buffers[buf]
  if st and st.active then
    flush(st, nil)
  end
end

local function entry_of(st, mark_id)
  local id = st.terms[mark_id]
  return id and st.glossary and st.glossary.by_id[id]
end

---The linked spans of a buffer: { term, start_row, start_col, end_row,
---end_col } (0-based, end exclusive, byte columns), in buffer order. For a
---buffer that is not linked, the spans are computed without marking.
---@param buf? integer
---@return table[]
function M.links(buf)
  buf = (buf == nil or buf == 0) and api.nvim_get_current_buf() or buf
  local st = buffers[buf]
  local out = {}
  if st and st.active then
    flush(st, nil)
    for _, mark in ipairs(api.nvim_buf_get_extmarks(buf, M.ns, 0, -1, { details = true })) do
      local entry = entry_of(st, mark[1])
      if entry then
        out[#out + 1] = {
          term = entry.term, start_row = mark[2], start_col = mark[3],
          end_row = mark[4].end_row, end_col = mark[4].end_col,
        }
      end
    end
    return out
  end
  local g = sources().glossary()
  if not g then
    return out
  end
  local lines = api.nvim_buf_get_lines(buf, 0, -1, false)
  local matches = g.matcher:match(table.concat(lines, "\n"), { min_length = config().min_length }) or {}
  for _, m in ipairs(matches) do
    out[#out + 1] = {
      term = g.by_id[m.id].term, start_row = m.line, start_col = m.col, end_row = m.end_line, end_col = m.end_col,
    }
  end
  return out
end

---The glossary entry of the term at a position (0-based row, byte column),
---and its span, or nil.
---@param buf integer
---@param row integer
---@param col integer
---@return table|nil entry
---@return table|nil span {start_row, start_col, end_row, end_col}
function M.term_at(buf, row, col)
  buf = (buf == nil or buf == 0) and api.nvim_get_current_buf() or buf
  local function inside(sr, sc, er, ec)
    return (row > sr or (row == sr and col >= sc)) and (row < er or (row == er and col < ec))
  end
  local st = buffers[buf]
  if st and st.active then
    -- What windows show is enough when the row is in view.
    flush(st, 0)
    for _, d in ipairs(st.dirty) do
      if d[1] <= row + 1 and row - 1 < d[2] then
        flush(st, nil)
        break
      end
    end
    -- A term wraps over at most one line break, so it starts on this row or the one above.
    local marks = api.nvim_buf_get_extmarks(buf, M.ns, { math.max(row - 1, 0), 0 }, { row, col }, { details = true })
    for i = #marks, 1, -1 do
      local mark = marks[i]
      local d = mark[4]
      if inside(mark[2], mark[3], d.end_row, d.end_col) then
        local entry = entry_of(st, mark[1])
        if entry then
          return entry, { mark[2], mark[3], d.end_row, d.end_col }
        end
      end
    end
    return nil
  end
  for _, link in ipairs(M.links(buf)) do
    if inside(link.start_row, link.start_col, link.end_row, link.end_col) then
      return sources().entry(link.term), { link.start_row, link.start_col, link.end_row, link.end_col }
    end
  end
  return nil
end

-- A new glossary: every linked buffer is matched again.
sources().on_change(function()
  for _, st in pairs(buffers) do
    if st.active then
      schedule_flush(st, false)
    end
  end
end)

return M
