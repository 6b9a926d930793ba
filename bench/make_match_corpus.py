#!/usr/bin/env python3
"""Writes the linker benchmark's inputs, deterministically, from the BBC articles.

usage: make_match_corpus.py DATA_DIR OUT_DIR [--mb 50] [--terms 10000] [--big 100000]

OUT_DIR/corpus.txt     every article (sorted paths), each followed by a blank line,
                       repeated until the file holds at least --mb MiB
OUT_DIR/corpus.idx     the byte offset where each note (article copy) starts, one per line
OUT_DIR/terms.txt      --terms phrases of 2-4 words taken from the articles, one per line
OUT_DIR/terms_big.txt  --big phrases the same way (for the memory figure)

Phrases are word n-grams (2-4 words) inside one line that neither start nor end with a stopword,
ranked by how often they occur (then by length, then alphabetically), each written in
its most frequent spelling. Standard library only.
"""
import argparse
import collections
import os
import re
import sys

STOPWORDS = set(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says mr mrs ms one two new year years last first told""".split()
)
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*")


def articles(data_dir):
    paths = []
    for root, _dirs, files in os.walk(data_dir):
        for name in files:
            if name.endswith(".txt"):
                paths.append(os.path.join(root, name))
    paths.sort()
    for path in paths:
        with open(path, "rb") as f:
            yield f.read().decode("utf-8", errors="replace").replace("\r\n", "\n")


def phrases(texts, wanted):
    counts = collections.Counter()
    spellings = collections.defaultdict(collections.Counter)
    for text in texts:
        for line in text.split("\n"):
            words = WORD.findall(line)
            lower = [w.lower() for w in words]
            for i in range(len(words)):
                if lower[i] in STOPWORDS:
                    continue
                for n in range(2, 5):
                    j = i + n
                    if j > len(words):
                        break
                    if lower[j - 1] in STOPWORDS:
                        continue
                    key = " ".join(lower[i:j])
                    counts[key] += 1
                    spellings[key][" ".join(words[i:j])] += 1
    ranked = sorted(counts, key=lambda k: (-counts[k], -k.count(" "), k))
    out = []
    for key in ranked[:wanted]:
        best = sorted(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        out.append(best)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--terms", type=int, default=10000)
    ap.add_argument("--big", type=int, default=100000)
    args = ap.parse_args()
    texts = list(articles(args.data_dir))
    if not texts:
        print(f"make_match_corpus: no .txt files under {args.data_dir}", file=sys.stderr)
        return 1
    os.makedirs(args.out_dir, exist_ok=True)
    notes = [t.encode("utf-8") + b"\n\n" for t in texts]
    target = args.mb << 20
    size = 0
    with open(os.path.join(args.out_dir, "corpus.txt"), "wb") as corpus, open(
        os.path.join(args.out_dir, "corpus.idx"), "w"
    ) as idx:
        while size < target:
            for note in notes:
                idx.write(f"{size}\n")
                corpus.write(note)
                size += len(note)
                if size >= target:
                    break
    big = phrases(texts, max(args.terms, args.big))
    for name, count in (("terms.txt", args.terms), ("terms_big.txt", args.big)):
        with open(os.path.join(args.out_dir, name), "w", encoding="utf-8") as f:
            for p in big[:count]:
                f.write(p + "\n")
    print(
        f"make_match_corpus: {size / (1 << 20):.1f} MiB corpus, "
        f"{min(args.terms, len(big))} and {min(args.big, len(big))} terms in {args.out_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
