#!/bin/sh
# The demo: the main job on the bundled example article: clean it, summarize
# it, find its terms and their explanations, and link them in a note.
# usage: scripts/demo.sh PROGRAM [ARTICLE]
set -eu
program=$1
article=${2:-examples/new-quality-productive-forces.txt}
note=examples/notes/plenum-notes.md
out=${TMPDIR:-/tmp}/policylink-demo
mkdir -p "$out"

echo "== policylink text $article (first lines)"
"$program" text "$article" | head -n 7
echo
echo "== policylink summarize -n 5 $article"
"$program" summarize -n 5 "$article"
echo
echo "== policylink terms --top 12 $article"
"$program" terms --top 12 "$article"
echo
echo "== policylink explain $article 'Five Industrial Bases'"
"$program" explain "$article" "Five Industrial Bases"
echo
echo "== policylink glossary $article -o $out/glossary.md (first entry)"
"$program" glossary "$article" -o "$out/glossary.md"
sed -n '1,12p' "$out/glossary.md"
echo
echo "== policylink link $note --glossary $out/glossary.md"
"$program" link "$note" --glossary "$out/glossary.md" --glossary-link glossary.md
