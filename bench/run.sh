#!/bin/sh
# Runs the benchmarks (not tests: they print figures and never fail on them).
# usage: sh bench/run.sh BUILD_DIR [DATA_DIR]
# DATA_DIR defaults to ../shared/data/bbc-news/articles beside the repository;
# when it is absent the benchmark falls back to the bundled example. Installs nothing.
set -eu

if [ $# -lt 1 ]; then
    echo "usage: sh bench/run.sh BUILD_DIR [DATA_DIR]" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
# Relative paths are taken from where the caller stands, then we move to the
# repository so the default data path and the example resolve the same way
# whoever calls us.
case $1 in /*) build=$1 ;; *) build=$PWD/$1 ;; esac
data=${2:-$root/../shared/data/bbc-news/articles}
case $data in /*) ;; *) data=$PWD/$data ;; esac
cd "$root"

bin=$build/bench_text_speed
if [ ! -x "$bin" ]; then
    echo "bench: $bin not built (run 'make build' or 'make bench')" >&2
    exit 1
fi
echo "== text_speed: cleaning + segmenting, target >= 100 MB/s on one core"
"$bin" "$data" --example "$root/examples/new-quality-productive-forces.txt"
