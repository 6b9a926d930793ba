#!/bin/sh
# The README's first command: install what is missing, build, run the demo.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
make --no-print-directory demo
