#!/bin/sh
# The demo: the main job on the bundled example article.
# usage: scripts/demo.sh PROGRAM [ARTICLE]
set -eu
program=$1
article=${2:-examples/new-quality-productive-forces.txt}
echo "== policylink text $article"
"$program" text "$article"
echo
echo "== policylink summarize -n 5 $article"
"$program" summarize -n 5 "$article"
echo
echo "== policylink summarize --focus 'Five Industrial Bases' -n 1 $article"
"$program" summarize --focus "Five Industrial Bases" -n 1 "$article"
