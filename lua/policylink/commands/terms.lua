-- policylink terms: the policy terms of an article (quoted phrases, names,
-- acronyms, enumerations, frequent noun phrases), best first.
local core = require("policylink.core")
local json = require("policylink.json")
local util = require("policylink.cliutil")

-- Parses a count option; fails as a usage error with the option's name.
local function count(opts, key)
  local value = opts[key]
  if value == nil then
    return nil
  end
  local n = tonumber(value)
  if not n or n < 1 or n ~= math.floor(n) or n > 1e15 then
    util.usage_error(string.format("option '--%s' needs a whole number of at least 1, not '%s'", key, value),
      "terms")
  end
  return n
end

-- Scores are printed with two decimals: enough to rank, stable to diff.
local function score_text(score)
  return string.format("%.2f", score)
end

local function print_terms(result, as_json)
  local terms = result and result.terms or {}
  if as_json then
    local list = json.array({})
    for i, t in ipairs(terms) do
      list[i] = {
        text = t.text,
        variants = json.array(t.variants),
        kind = t.kind,
        score = tonumber(score_text(t.score)),
        case = t.case,
        count = t.count,
        occurrences = json.array(t.occurrences),
        long_form = t.long_form and terms[t.long_form].text or nil,
      }
    end
    local document = {}
    for k, v in pairs(result and result.document or {}) do
      document[k] = v
    end
    util.write(json.encode({ terms = list, document = document }, { indent = "  " }) .. "\n")
    return
  end
  local out = {}
  for i, t in ipairs(terms) do
    out[i] = table.concat({ t.text, t.kind, score_text(t.score), tostring(t.count) }, "\t")
  end
  if #out > 0 then
    util.write(table.concat(out, "\n") .. "\n")
  end
end

return {
  summary = "print the terms of an article, best first",
  usage = "terms FILE|- [--json] [--top N] [--min-count N] [--terminology] [--format auto|text|html]",
  options = {
    json = { help = "print JSON: each term's text, variants, kind, score, case policy, "
      .. "mention count and sentence indices (1-based), and the document's metadata" },
    top = { value = true, help = "at most N terms (default: all)" },
    ["min-count"] = { value = true,
      help = "mentions a term needs (default: 2 for phrases, 1 for terms the article marks)" },
    terminology = { help = "terminology mode, for a domain corpus: single everyday words "
      .. "and adjectives may be terms (default: a single word must be uncommon or marked)" },
    format = util.format_option,
  },
  args = 1,
  run = function(opts, args)
    local options = {
      top = count(opts, "top"),
      min_count = count(opts, "min-count"),
      terminology = opts.terminology and true or nil,
      format = opts.format or "auto",
    }
    local data, name = util.read_input(args[1])
    local result, message, code = core.terms(data, options)
    if not result then
      if code ~= "no_text" then
        util.fail(string.format("%s: %s", name, message))
      end
      -- Only site chrome: no terms, which is not a failure.
      util.warn(string.format("%s: %s; no terms", name, message))
    elseif result.document.replaced_bytes > 0 then
      util.warn(string.format("%s: %d invalid UTF-8 byte%s replaced with U+FFFD", name,
        result.document.replaced_bytes, result.document.replaced_bytes == 1 and "" or "s"))
    end
    print_terms(result, opts.json)
    return 0
  end,
}
