#!/usr/bin/env python3
"""Summary quality on BillSum (US bills with human CRS summaries), in one run:
policylink, a Lead baseline and ots, each cut at 2,000 characters and scored
with ../shared/eval/rouge.py (ROUGE-1/2/L and Lsum F1).

usage: python3 bench/summary_quality.py [--program PATH] [--data DIR] [--rouge PATH]
                                        [--chars N] [--keep DIR]

All three systems read the same text: the bill with its <SECTION-HEADER>
markers turned into blank lines (paragraph breaks), which is what the marker
stands for. Lead is that text's first N characters. ots gets the smallest
--ratio whose output reaches N characters (or the whole bill), so its summary
is as long as the others before the cut. Only the Python 3.11 standard library
is used. Missing data or scorer: prints SKIP and exits 0.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def prepare(doc):
    """The bill as paragraphs: each <SECTION-HEADER> marker starts one."""
    text = doc.replace("<SECTION-HEADER>", "\n\n")
    return "\n\n".join(p.strip() for p in text.split("\n\n") if p.strip()) + "\n"


def run_policylink(program, path, chars):
    out = subprocess.run([program, "summarize", "--chars", str(chars), "--format", "text", path],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("policylink failed on %s: %s" % (path, out.stderr.strip()))
    return out.stdout


def run_ots(path, size, chars):
    ratio = min(100, max(1, math.ceil(100 * chars / max(1, size))))
    while True:
        out = subprocess.run(["ots", "--ratio", str(ratio), path], capture_output=True, text=True)
        text = out.stdout
        if len(text) >= chars or ratio >= 100:
            return text
        ratio = min(100, ratio + max(1, ratio // 4))


def score(rouge, sys_dir, ref_dir, chars):
    out = subprocess.run([sys.executable, rouge, "--sys", sys_dir, "--ref", ref_dir, "--max-chars",
                          str(chars), "--lsum", "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("rouge.py failed: " + out.stderr.strip())
    scores = json.loads(out.stdout)["scores"]
    return [scores[m]["f"] for m in ("rouge-1", "rouge-2", "rouge-l", "rouge-lsum")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--program", default=os.environ.get("POLICYLINK", os.path.join(ROOT, "build", "policylink")),
                    help="the policylink program (default: build/policylink, or $POLICYLINK)")
    ap.add_argument("--data", default=os.path.join(SHARED, "data", "billsum-us-train200"),
                    help="folder with docs/ and refs/ (default: ../shared/data/billsum-us-train200)")
    ap.add_argument("--rouge", default=os.path.join(SHARED, "eval", "rouge.py"),
                    help="the scorer (default: ../shared/eval/rouge.py)")
    ap.add_argument("--chars", type=int, default=2000, help="summary length before scoring (default 2000)")
    ap.add_argument("--keep", help="write the summaries under this folder instead of a temporary one")
    a = ap.parse_args()

    docs, refs = os.path.join(a.data, "docs"), os.path.join(a.data, "refs")
    if not os.path.isdir(docs) or not os.path.isdir(refs):
        print("SKIP: no BillSum docs/ and refs/ under %s (pass --data)" % a.data)
        return 0
    if not os.path.isfile(a.rouge):
        print("SKIP: no scorer at %s (pass --rouge)" % a.rouge)
        return 0
    if not os.access(a.program, os.X_OK):
        sys.exit("bench: %s not built (run 'make build')" % a.program)
    have_ots = shutil.which("ots") is not None

    work = a.keep or tempfile.mkdtemp(prefix="summary_quality.")
    systems = ["policylink", "lead"] + (["ots"] if have_ots else [])
    for name in ["input"] + systems:
        os.makedirs(os.path.join(work, name), exist_ok=True)
    names = sorted(f for f in os.listdir(docs) if f.endswith(".txt"))
    seconds = {name: 0.0 for name in systems}
    try:
        for f in names:
            with open(os.path.join(docs, f), encoding="utf-8") as fh:
                text = prepare(fh.read())
            path = os.path.join(work, "input", f)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            outputs = {}
            t = time.perf_counter()
            outputs["policylink"] = run_policylink(a.program, path, a.chars)
            seconds["policylink"] += time.perf_counter() - t
            outputs["lead"] = text[:a.chars] + "\n"
            if have_ots:
                t = time.perf_counter()
                outputs["ots"] = run_ots(path, len(text), a.chars)
                seconds["ots"] += time.perf_counter() - t
            for name, summary in outputs.items():
                with open(os.path.join(work, name, f), "w", encoding="utf-8") as fh:
                    fh.write(summary)

        print("BillSum %s: %d bills, summaries cut at %d characters, F1 (rouge.py, no stemming)"
              % (os.path.basename(os.path.normpath(a.data)), len(names), a.chars))
        print("%-12s %8s %8s %8s %8s" % ("system", "ROUGE-1", "ROUGE-2", "ROUGE-L", "R-Lsum"))
        for name in systems:
            r1, r2, rl, rlsum = score(a.rouge, os.path.join(work, name), refs, a.chars)
            print("%-12s %8.2f %8.2f %8.2f %8.2f" % (name, r1, r2, rl, rlsum))
        if not have_ots:
            print("ots: not installed (apt-get install ots); row skipped")
        print("(published, US test set: TextRank 34.35/17.77/27.80, supervised 38.51/21.38/31.48;"
              " their RL is summary-level: compare with R-Lsum)")
        print("time: " + ", ".join("%s %.1f s" % (n, seconds[n]) for n in seconds if n != "lead")
              + " (one process per bill)")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
