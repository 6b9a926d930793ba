-- JSON for the command line (Neovim has vim.json, the embedded Lua 5.4 has
-- nothing): objects encode with sorted keys so output is stable and diffable.
local M = {}

local array_mt = {}

---Marks a table as a JSON array, so an empty one encodes as [] not {}.
---@param t table
---@return table
function M.array(t)
  return setmetatable(t or {}, array_mt)
end

local escapes = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}

local function escape_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function is_array(t)
  if getmetatable(t) == array_mt then
    return true
  end
  local n = #t
  if n == 0 then
    return false
  end
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k > n or k % 1 ~= 0 then
      return false
    end
  end
  return true
end

local encode_value

local function encode_table(t, out, indent, depth)
  local pad, inner, sep = "", "", ","
  if indent then
    pad = "\n" .. string.rep(indent, depth)
    inner = "\n" .. string.rep(indent, depth + 1)
  end
  if is_array(t) then
    if #t == 0 then
      out[#out + 1] = "[]"
      return
    end
    out[#out + 1] = "["
    for i = 1, #t do
      out[#out + 1] = (i > 1 and sep or "") .. inner
      encode_value(t[i], out, indent, depth + 1)
    end
    out[#out + 1] = pad .. "]"
    return
  end
  local keys = {}
  for k in pairs(t) do
    if type(k) ~= "string" then
      error("JSON object keys must be strings, not " .. type(k))
    end
    keys[#keys + 1] = k
  end
  if #keys == 0 then
    out[#out + 1] = "{}"
    return
  end
  table.sort(keys)
  out[#out + 1] = "{"
  for i, k in ipairs(keys) do
    out[#out + 1] = (i > 1 and sep or "") .. inner .. escape_string(k) .. (indent and ": " or ":")
    encode_value(t[k], out, indent, depth + 1)
  end
  out[#out + 1] = pad .. "}"
end

function encode_value(v, out, indent, depth)
  local kind = type(v)
  if kind == "string" then
    out[#out + 1] = escape_string(v)
  elseif kind == "number" then
    if v ~= v or v == math.huge or v == -math.huge then
      error("JSON cannot encode " .. tostring(v))
    end
    if v % 1 == 0 and v > -2^53 and v < 2^53 then
      out[#out + 1] = string.format("%d", v)
    else
      out[#out + 1] = string.format("%.10g", v)
    end
  elseif kind == "boolean" then
    out[#out + 1] = tostring(v)
  elseif v == nil or v == M.null then
    out[#out + 1] = "null"
  elseif kind == "table" then
    encode_table(v, out, indent, depth)
  else
    error("JSON cannot encode a " .. kind)
  end
end

---A value that encodes as null inside tables.
M.null = setmetatable({}, { __tostring = function() return "null" end })

---Encodes a Lua value as JSON text.
---@param value any
---@param opts? {indent?: string}
---@return string
function M.encode(value, opts)
  local out = {}
  encode_value(value, out, opts and opts.indent, 0)
  return table.concat(out)
end

-- Decoder: strict JSON, strings returned as UTF-8.
local function decode_error(s, pos, what)
  local line = select(2, s:sub(1, pos):gsub("\n", "")) + 1
  error(string.format("invalid JSON at line %d (byte %d): %s", line, pos, what), 0)
end

local function skip_space(s, pos)
  return s:find("[^ \t\r\n]", pos) or #s + 1
end

local function utf8_char(cp)
  if cp < 0x80 then
    return string.char(cp)
  elseif cp < 0x800 then
    return string.char(0xC0 + math.floor(cp / 64), 0x80 + cp % 64)
  elseif cp < 0x10000 then
    return string.char(0xE0 + math.floor(cp / 4096), 0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return string.char(0xF0 + math.floor(cp / 262144), 0x80 + math.floor(cp / 4096) % 64,
    0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
end

local decode_at

local function decode_string(s, pos)
  local parts, i = {}, pos + 1
  while true do
    local j = s:find('["\\%c]', i)
    if not j then
      decode_error(s, pos, "unterminated string")
    end
    parts[#parts + 1] = s:sub(i, j - 1)
    local c = s:sub(j, j)
    if c == '"' then
      return table.concat(parts), j + 1
    elseif c == "\\" then
      local e = s:sub(j + 1, j + 1)
      local simple = ({ b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" })[e]
      if simple then
        parts[#parts + 1] = simple
        i = j + 2
      elseif e == "u" then
        local hex = s:match("^%x%x%x%x", j + 2)
        if not hex then
          decode_error(s, j, "bad \\u escape")
        end
        local cp = tonumber(hex, 16)
        i = j + 6
        if cp >= 0xD800 and cp <= 0xDBFF then
          local low = s:match("^\\u(%x%x%x%x)", i)
          local lo = low and tonumber(low, 16)
          if lo and lo >= 0xDC00 and lo <= 0xDFFF then
            cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
            i = i + 6
          else
            cp = 0xFFFD
          end
        elseif cp >= 0xDC00 and cp <= 0xDFFF then
          cp = 0xFFFD
        end
        parts[#parts + 1] = utf8_char(cp)
      else
        decode_error(s, j, "bad escape")
      end
    else
      decode_error(s, j, "control character in string")
    end
  end
end

function decode_at(s, pos, depth)
  if depth > 200 then
    decode_error(s, pos, "nested too deeply")
  end
  pos = skip_space(s, pos)
  local c = s:sub(pos, pos)
  if c == "{" then
    local obj = {}
    pos = skip_space(s, pos + 1)
    if s:sub(pos, pos) == "}" then
      return obj, pos + 1
    end
    while true do
      pos = skip_space(s, pos)
      if s:sub(pos, pos) ~= '"' then
        decode_error(s, pos, "expected a string key")
      end
      local key
      key, pos = decode_string(s, pos)
      pos = skip_space(s, pos)
      if s:sub(pos, pos) ~= ":" then
        decode_error(s, pos, "expected ':'")
      end
      obj[key], pos = decode_at(s, pos + 1, depth + 1)
      pos = skip_space(s, pos)
      local d = s:sub(pos, pos)
      if d == "}" then
        return obj, pos + 1
      elseif d ~= "," then
        decode_error(s, pos, "expected ',' or '}'")
      end
      pos = pos + 1
    end
  elseif c == "[" then
    local arr = M.array({})
    pos = skip_space(s, pos + 1)
    if s:sub(pos, pos) == "]" then
      return arr, pos + 1
    end
    while true do
      arr[#arr + 1], pos = decode_at(s, pos, depth + 1)
      pos = skip_space(s, pos)
      local d = s:sub(pos, pos)
      if d == "]" then
        return arr, pos + 1
      elseif d ~= "," then
        decode_error(s, pos, "expected ',' or ']'")
      end
      pos = pos + 1
    end
  elseif c == '"' then
    return decode_string(s, pos)
  elseif s:find("^true", pos) then
    return true, pos + 4
  elseif s:find("^false", pos) then
    return false, pos + 5
  elseif s:find("^null", pos) then
    return M.null, pos + 4
  end
  local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
  if num and num ~= "" and num ~= "-" then
    local value = tonumber(num)
    if value then
      return value, pos + #num
    end
  end
  decode_error(s, pos, c == "" and "unexpected end" or "unexpected '" .. c .. "'")
end

---Decodes JSON text; null becomes json.null. Raises "invalid JSON at …".
---@param s string
---@return any
function M.decode(s)
  local value, pos = decode_at(s, 1, 0)
  pos = skip_space(s, pos)
  if pos <= #s then
    decode_error(s, pos, "trailing characters")
  end
  return value
end

return M
