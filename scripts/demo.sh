#!/bin/sh
# The demo: the main job on the bundled example article.
# usage: scripts/demo.sh PROGRAM [ARTICLE]
set -eu
program=$1
article=${2:-examples/new-quality-productive-forces.txt}
echo "== policylink text $article"
"$program" text "$article"
echo
echo "== policylink sentences $article (first 8)"
"$program" sentences "$article" | head -n 8
