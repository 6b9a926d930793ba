#!/bin/sh
# Runs bench/nvim_link.lua in headless Neovim with this plugin on the
# runtimepath (after `make`, which builds lua/policylink/core.so).
# usage: sh bench/nvim_link.sh [NVIM]
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
nvim=${1:-nvim}
exec "$nvim" --headless -u NONE -i NONE -n --cmd "set rtp^=$root" \
  -c "luafile $root/bench/nvim_link.lua"
