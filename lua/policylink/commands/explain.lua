-- policylink explain: the one to three sentences of an article that explain a
-- term, definitions first, each with where it comes from.
local core = require("policylink.core")
local json = require("policylink.json")
local util = require("policylink.cliutil")

local function max_option(opts)
  if opts.max == nil then
    return nil
  end
  local n = tonumber(opts.max)
  if not n or n ~= math.floor(n) or n < 1 or n > 3 then
    util.usage_error("option '--max' needs 1, 2 or 3, not '" .. opts.max .. "'", "explain")
  end
  return n
end

return {
  summary = "print the sentences of an article that explain a term, definitions first",
  usage = "explain FILE|- TERM [--json] [--max N] [--format auto|text|html]",
  options = {
    json = { help = "print JSON: the term, and for each sentence its text, byte offsets in the "
      .. "cleaned text (as 'text --body' prints it), sentence and paragraph index (0-based), "
      .. "the term's offsets, whether it defines the term, and its scores" },
    max = { value = true, help = "at most N sentences (1-3, default 3)" },
    format = util.format_option,
  },
  args = 2,
  arg_names = { "FILE", "TERM" },
  run = function(opts, args)
    local term = args[2]
    if not term:find("%S") then
      util.usage_error("TERM is empty", "explain")
    end
    local max = max_option(opts)
    local data, name = util.read_input(args[1])
    local result, message, code = core.explain(data, term, { max = max, format = opts.format or "auto" })
    if not result then
      if code == "invalid_argument" then
        util.usage_error(message, "explain")
      elseif code ~= "no_text" then
        util.fail(string.format("%s: %s", name, message))
      end
      -- Only site chrome: nothing to explain from, which is not a failure.
      util.warn(string.format("%s: %s; nothing to explain", name, message))
    elseif result.replaced_bytes > 0 then
      util.warn(string.format("%s: %d invalid UTF-8 byte%s replaced with U+FFFD", name,
        result.replaced_bytes, result.replaced_bytes == 1 and "" or "s"))
    end
    if result and result.mentions == 0 then
      util.warn(string.format("%s: no sentence mentions '%s'", name, term))
    end
    local sentences = result and result.sentences or {}
    if opts.json then
      local list = json.array({})
      for i, s in ipairs(sentences) do
        list[i] = {
          index = s.index - 1,
          paragraph = s.paragraph - 1,
          text = s.text,
          byte_start = s.byte_start,
          byte_end = s.byte_end,
          term_start = s.term_start,
          term_end = s.term_end,
          definition = s.definition,
          score = s.score,
          focus_score = s.focus_score,
        }
      end
      util.write(json.encode({ term = term, mentions = result and result.mentions or 0, sentences = list },
        { indent = "  " }) .. "\n")
      return 0
    end
    local out = {}
    for i, s in ipairs(sentences) do
      out[i] = (s.text:gsub("\n", " "))
    end
    if #out > 0 then
      util.write(table.concat(out, "\n") .. "\n")
    end
    return 0
  end,
}
