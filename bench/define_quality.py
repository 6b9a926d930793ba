#!/usr/bin/env python3
"""Definition-detector quality on DEFT subtask 1 (does this sentence hold a
definition?), in one run: policylink's rule-based detector, the trivial
keyword rule of ../shared/eval/baselines.py and the all-positive floor, each
scored with ../shared/eval/deft.py (precision, recall, F1 of the positive
class, the official metric).

usage: python3 bench/define_quality.py [DATA] [--program PATH] [--eval DIR] [--keep DIR]

DATA is a DEFT "label<TAB>sentence" file (default ../shared/data/deft/dev.tsv;
pass train.tsv to see the split the rules were checked on). The sentences go
through `policylink defines --sentences -`, one a line, as they are (DEFT's
tokenisation included). Only the Python 3.11 standard library is used. Missing
data or scorer: prints SKIP and exits 0. The DEFT files are for evaluation
only (CC BY-NC-SA): nothing here learns from them, and none is copied.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def read_rows(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = fh.read().split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    rows = []
    for line in lines:
        label, _, sentence = line.rstrip("\r").partition("\t")
        rows.append((label.strip(), sentence))
    return rows


def score(deft, gold, pred):
    out = subprocess.run([sys.executable, deft, "--gold", gold, "--pred", pred, "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("deft.py failed: " + (out.stderr.strip() or out.stdout.strip()))
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", default=os.path.join(SHARED, "data", "deft", "dev.tsv"),
                    help="DEFT label<TAB>sentence file (default: ../shared/data/deft/dev.tsv)")
    ap.add_argument("--program", default=os.environ.get("POLICYLINK", os.path.join(ROOT, "build", "policylink")),
                    help="the policylink program (default: build/policylink, or $POLICYLINK)")
    ap.add_argument("--eval", default=os.path.join(SHARED, "eval"),
                    help="folder with deft.py and baselines.py (default: ../shared/eval)")
    ap.add_argument("--keep", help="write the prediction files under this folder instead of a temporary one")
    a = ap.parse_args()

    deft = os.path.join(a.eval, "deft.py")
    baselines = os.path.join(a.eval, "baselines.py")
    if not os.path.isfile(a.data):
        print("SKIP: no DEFT data at %s (pass a label<TAB>sentence file)" % a.data)
        return 0
    if not os.path.isfile(deft) or not os.path.isfile(baselines):
        print("SKIP: no deft.py and baselines.py under %s (pass --eval)" % a.eval)
        return 0
    if not os.access(a.program, os.X_OK):
        sys.exit("no policylink program at %s (build it, or pass --program)" % a.program)

    rows = read_rows(a.data)
    work = a.keep or tempfile.mkdtemp(prefix="define_quality.")
    os.makedirs(work, exist_ok=True)
    sentences = os.path.join(work, "sentences.txt")
    with open(sentences, "w", encoding="utf-8") as fh:
        fh.write("".join(s + "\n" for _, s in rows))

    start = time.perf_counter()
    with open(sentences, "rb") as fh:
        out = subprocess.run([a.program, "defines", "--sentences", "-"], stdin=fh, capture_output=True)
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit("policylink defines failed: " + out.stderr.decode("utf-8", "replace").strip())
    preds = out.stdout.decode("utf-8").split()
    if len(preds) != len(rows):
        sys.exit("policylink gave %d predictions for %d sentences" % (len(preds), len(rows)))
    ours = os.path.join(work, "policylink.txt")
    with open(ours, "w", encoding="utf-8") as fh:
        fh.write("\n".join(preds) + "\n")

    rule = os.path.join(work, "rule.txt")
    done = subprocess.run([sys.executable, baselines, "rule", "--tsv", a.data, "--out", rule],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("baselines.py rule failed: " + done.stderr.strip())
    always = os.path.join(work, "always1.txt")
    with open(always, "w", encoding="utf-8") as fh:
        fh.write("1\n" * len(rows))

    results = [
        ("policylink defines (rules)", score(deft, a.data, ours)),
        ("baseline: keyword rule", score(deft, a.data, rule)),
        ("floor: always 1", score(deft, a.data, always)),
    ]
    gold = results[0][1]
    print("data: %s (%d sentences, %d definitions)" % (a.data, gold["rows"], gold["gold_pos"]))
    print("%-28s %9s %9s %9s %9s" % ("system", "precision", "recall", "F1", "accuracy"))
    for name, r in results:
        print("%-28s %9.4f %9.4f %9.4f %9.4f" % (name, r["precision"], r["recall"], r["f1"], r["accuracy"]))
    print("policylink: %d sentences in %.2f s (whole program run, %.0f sentences/s)"
          % (len(rows), seconds, len(rows) / seconds if seconds > 0 else 0.0))
    target = 0.65
    f1 = results[0][1]["f1"]
    print("%s: F1 %.4f, aim >= %.2f (rules only, no model trained on DEFT)"
          % ("REACHED" if f1 >= target else "BELOW AIM", f1, target))
    if a.keep:
        print("predictions kept in %s" % work)
    else:
        for f in (sentences, ours, rule, always):
            os.remove(f)
        os.rmdir(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
