#!/usr/bin/env python3
"""Term extraction quality on ACTER (corp, equi, wind) against a frequency
baseline, plus the speed of `policylink terms` on about 5 MB of text.

Usage: bench/terms_quality.py [DATA_DIR] [--bin BUILD/policylink] [--top N]
                              [--eval ATE_PY] [--speed-mb MB] [--no-speed]

DATA_DIR defaults to ../shared/data/acter-en beside the repository; when it
is missing the quality part prints SKIP. Each domain's English texts are
joined (sorted by name, a blank line between files) into one document, since
ACTER's gold lists are per domain, not per file. Both systems get N strings:

  policylink          the canonical text of the top N terms (glossary mode, the
                      default: no everyday single words)
  policylink+variants the same ranking, each term followed by its other
                      spellings (ACTER lists "turbine" and "turbines" apart),
                      lower-cased and deduplicated, cut at N strings
  terminology(+variants) the same with `policylink terms --terminology`
  frequency baseline  the N most frequent 1- to 3-word sequences of the raw
                      texts without a stopword, number or punctuation inside

Scores come from ../shared/eval/ate.py (exact match after lower-casing),
against <domain>_en_terms.tsv (terms) and <domain>_en_terms_nes.tsv (terms
and named entities: policylink extracts names on purpose). Python 3.11
standard library only; exits 0 whatever the figures.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DOMAINS = ("corp", "equi", "wind")

# The baseline's stopwords: English function words, written for this script.
STOPWORDS = set("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing down during each either else ever
few for from further had has have having he her here hers herself him himself his how however i
if in into is it its itself just me more most must my myself neither no nor not now of off on
once only or other ought our ours ourselves out over own same shall she should so some such than
that the their theirs them themselves then there these they this those through thus to too under
until up upon us very was we were what when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves
""".split())
WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*|\d[\w.,-]*")
BREAK = re.compile(r"[.,;:!?()\[\]{}\"\u201c\u201d\u2014\u2013/]|\s-\s|\n\s*\n")


def frequency_baseline(text, top, longest=3):
    counts = Counter()
    for segment in BREAK.split(text):
        words = [w.lower() for w in WORD.findall(segment)]
        for n in range(1, longest + 1):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if any(w in STOPWORDS or w[0].isdigit() for w in gram):
                    continue
                counts[" ".join(gram)] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].count(" "), kv[0]))
    return [g for g, _ in ranked[:top]]


def run_terms(binary, path, top=None, terminology=False):
    cmd = [binary, "terms", "--json", "--format", "text", path]
    if top:
        cmd[2:2] = ["--top", str(top)]
    if terminology:
        cmd[2:2] = ["--terminology"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["terms"]


def with_variants(terms, top):
    seen, out = set(), []
    for t in terms:
        for v in [t["text"]] + t["variants"]:
            key = " ".join(v.lower().split())
            if key not in seen:
                seen.add(key)
                out.append(key)
                if len(out) == top:
                    return out
    return out


def score(ate, gold, strings, tmpdir):
    pred = os.path.join(tmpdir, "pred.txt")
    with open(pred, "w", encoding="utf-8") as fh:
        fh.write("\n".join(strings) + "\n")
    out = subprocess.run([sys.executable, ate, "--gold", gold, "--pred", pred, "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def quality(args, tmpdir):
    if not os.path.isdir(args.data):
        print("SKIP quality: no ACTER data at %s" % args.data)
        return
    print("ACTER (English), top %d strings per system; P/R/F1 in %%, gold = terms / terms+NEs"
          % args.top)
    print("%-6s %-22s %6s %6s %6s %9s" % ("domain", "system", "P", "R", "F1", "F1+NEs"))
    totals = {}
    for domain in DOMAINS:
        base = os.path.join(args.data, domain, "annotated")
        texts = os.path.join(base, "texts")
        lists = os.path.join(base, "annotations", "unique_annotation_lists")
        if not os.path.isdir(texts):
            print("%-6s SKIP: no texts at %s" % (domain, texts))
            continue
        parts = []
        for name in sorted(os.listdir(texts)):
            if name.endswith(".txt"):
                with open(os.path.join(texts, name), encoding="utf-8") as fh:
                    parts.append(fh.read().strip())
        text = "\n\n".join(parts) + "\n"
        path = os.path.join(tmpdir, domain + ".txt")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        terms = run_terms(args.bin, path)
        corpus = run_terms(args.bin, path, terminology=True)
        systems = (
            ("policylink", [t["text"] for t in terms[:args.top]]),
            ("policylink+variants", with_variants(terms, args.top)),
            ("terminology", [t["text"] for t in corpus[:args.top]]),
            ("terminology+variants", with_variants(corpus, args.top)),
            ("frequency baseline", frequency_baseline(text, args.top)),
        )
        for name, strings in systems:
            s = score(args.eval, os.path.join(lists, domain + "_en_terms.tsv"), strings, tmpdir)
            n = score(args.eval, os.path.join(lists, domain + "_en_terms_nes.tsv"), strings,
                      tmpdir)
            totals.setdefault(name, []).append((s["f1"], n["f1"]))
            print("%-6s %-22s %6.1f %6.1f %6.1f %9.1f" % (domain, name, s["precision"],
                                                        s["recall"], s["f1"], n["f1"]))
    for name, rows in totals.items():
        print("%-6s %-22s %6s %6s %6.1f %9.1f" % ("mean", name, "", "",
                                                sum(r[0] for r in rows) / len(rows),
                                                sum(r[1] for r in rows) / len(rows)))


def speed_corpus(args, target):
    """About target bytes of real prose: ACTER and the BBC articles when they
    are there, else the bundled example repeated."""
    chunks, size = [], 0
    roots = [args.data, os.path.join(ROOT, "..", "shared", "data", "bbc-news")]
    for root in roots:
        for dirpath, dirnames, files in os.walk(root):
            dirnames.sort()
            for name in sorted(files):
                if not name.endswith(".txt") or size >= target:
                    continue
                with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as fh:
                    chunk = fh.read().strip() + "\n\n"
                chunks.append(chunk)
                size += len(chunk.encode("utf-8"))
    source = "ACTER and BBC texts"
    if size == 0:
        with open(os.path.join(ROOT, "examples", "new-quality-productive-forces.txt"),
                  encoding="utf-8") as fh:
            chunks = [fh.read().strip() + "\n\n"]
        size = len(chunks[0].encode("utf-8"))
        source = "the bundled example"
    base = list(chunks)
    while size < target:  # repeat what there is until the target is reached
        for chunk in base:
            chunks.append(chunk)
            size += len(chunk.encode("utf-8"))
            if size >= target:
                break
    return "".join(chunks), source


def best_time(cmd, runs=3):
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        t = time.perf_counter() - t0
        best = t if best is None else min(best, t)
    return best


def speed(args, tmpdir):
    text, source = speed_corpus(args, int(args.speed_mb * 1024 * 1024))
    path = os.path.join(tmpdir, "speed.txt")
    with open(path, "wb") as fh:
        fh.write(text.encode("utf-8"))
    mib = os.path.getsize(path) / (1024 * 1024)
    clean = best_time([args.bin, "text", "--format", "text", path])
    terms = best_time([args.bin, "terms", "--format", "text", "--top", "100", path])
    # terms and their explanations: the glossary page of the top 40 (the
    # glossary's default), written to a file
    glossary = best_time([args.bin, "glossary", path, "--top", "40",
                          "-o", os.path.join(tmpdir, "glossary.md")])
    print()
    print("speed: %.2f MiB of %s as one document, best of 3 wall times (process included)"
          % (mib, source))
    print("%-34s %8s %8s" % ("", "seconds", "MiB/s"))
    print("%-34s %8.3f %8.1f" % ("policylink text (clean only)", clean, mib / clean))
    print("%-34s %8.3f %8.1f" % ("policylink terms --top 100", terms, mib / terms))
    print("%-34s %8.3f %8.1f" % ("policylink glossary --top 40", glossary, mib / glossary))
    print("%s: terms on %.1f MiB in %.2f s, terms and explanations in %.2f s (target < 1 s)"
          % ("PASS" if max(terms, glossary) < 1.0 else "BELOW TARGET", mib, terms, glossary))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?",
                    default=os.path.join(ROOT, "..", "shared", "data", "acter-en"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "policylink"))
    ap.add_argument("--eval", default=os.path.join(ROOT, "..", "shared", "eval", "ate.py"))
    ap.add_argument("--top", type=int, default=1000)
    ap.add_argument("--speed-mb", type=float, default=5.0)
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args(argv)
    if not os.access(args.bin, os.X_OK):
        print("cannot run %s: build it first (make), or pass --bin" % args.bin, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmpdir:
        if os.path.isfile(args.eval):
            quality(args, tmpdir)
        else:
            print("SKIP quality: no scorer at %s" % args.eval)
        if not args.no_speed:
            speed(args, tmpdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
