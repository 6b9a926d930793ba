-- policylink summarize: the sentences of an article that give its gist, or
-- that explain one term (--focus), within a budget, in article order.
local core = require("policylink.core")
local json = require("policylink.json")
local util = require("policylink.cliutil")

local function print_summary(result, as_json)
  if as_json then
    local list = json.array({})
    for i, s in ipairs(result and result.sentences or {}) do
      list[i] = {
        index = s.index - 1,
        paragraph = s.paragraph - 1,
        text = result.text:sub(s.byte_start + 1, s.byte_end),
        byte_start = s.byte_start,
        byte_end = s.byte_end,
        score = s.score,
      }
    end
    util.write(json.encode({ sentences = list }, { indent = "  " }) .. "\n")
    return
  end
  local out = {}
  for i, s in ipairs(result and result.sentences or {}) do
    out[i] = (result.text:sub(s.byte_start + 1, s.byte_end):gsub("\n", " "))
  end
  if #out > 0 then
    util.write(table.concat(out, "\n") .. "\n")
  end
end

return {
  summary = "print the sentences that summarize an article, or explain a term",
  usage = "summarize FILE|- [-n N|--ratio R|--chars C|--words W] [--focus TERM] [--json] "
    .. "[--format auto|text|html]",
  options = {
    sentences = { value = true, alias = "n", metavar = "N", type = "integer", min = 1,
      help = "at most N sentences (default 5 when no budget is given)" },
    ratio = { value = true, metavar = "R", type = "number", min = 0, max = 1,
      help = "at most this share of the article's sentences (above 0, at most 1; at least one)" },
    chars = { value = true, metavar = "C", type = "integer", min = 1,
      help = "at most C characters, sentences joined by one space" },
    words = { value = true, metavar = "W", type = "integer", min = 1,
      help = "at most W words, sentences joined by one space" },
    focus = { value = true, metavar = "TERM",
      help = "the sentences that best explain TERM, definitions first" },
    json = { help = "print JSON: each sentence's text, byte offsets in the cleaned text "
      .. "(as 'text --body' prints it), score and index" },
    format = util.format_option,
  },
  args = 1,
  run = function(opts, args)
    if opts.ratio == 0 then
      util.usage_error("option '--ratio' must be above 0", "summarize")
    end
    -- Budgets combine: the core honours each one given, so the tightest wins.
    local budget = {
      sentences = opts.sentences,
      ratio = opts.ratio,
      chars = opts.chars,
      words = opts.words,
      focus = opts.focus,
      format = opts.format or "auto",
    }
    if budget.focus and not budget.focus:find("%S") then
      util.usage_error("option '--focus' needs a term", "summarize")
    end
    local data, name = util.read_input(args[1])
    local result, message, code = core.summarize(data, budget)
    if not result then
      if code == "invalid_argument" then
        util.usage_error(message, "summarize")
      elseif code ~= "no_text" then
        util.fail(string.format("%s: %s", name, message))
      end
      -- Only site chrome: nothing to summarize, which is not a failure.
      util.warn(string.format("%s: %s; nothing to summarize", name, message))
    elseif result.replaced_bytes > 0 then
      util.warn(string.format("%s: %d invalid UTF-8 byte%s replaced with U+FFFD", name,
        result.replaced_bytes, result.replaced_bytes == 1 and "" or "s"))
    end
    if result and budget.focus and result.focus_matches == 0 and #result.sentences > 0 then
      util.warn(string.format("%s: no sentence holds all of '%s'; showing partial matches", name, budget.focus))
    elseif result and #result.sentences == 0 then
      if result.candidates == 0 then
        util.warn(name .. ": no sentence long enough to summarize (headings and fragments are skipped)")
      elseif budget.focus and result.focus_matches == 0 then
        util.warn(string.format("%s: no sentence mentions '%s'", name, budget.focus))
      else
        util.warn(name .. ": no sentence fits the budget")
      end
    end
    print_summary(result, opts.json)
    return 0
  end,
}
