#!/bin/sh
# Runs the benchmarks (not tests: they print figures and never fail on them),
# each side by side with its baseline. Data come from ../shared/data beside
# the repository (or DATA_ROOT); a benchmark whose data are absent says SKIP.
# usage: sh bench/run.sh BUILD_DIR [NAME...]
#   NAME: text summary-quality summary-speed terms definitions match nvim (default: all)
#   QUICK=1 leaves out the slowest baselines (ots on a 5 MB document, rg -i -w).
set -eu

if [ $# -lt 1 ]; then
    echo "usage: sh bench/run.sh BUILD_DIR [NAME...]" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
case $1 in /*) build=$1 ;; *) build=$PWD/$1 ;; esac
shift
data=${DATA_ROOT:-$root/../shared/data}
names=${*:-text summary-quality summary-speed terms definitions match nvim}
cd "$root"

for name in $names; do
    case $name in
    text)
        echo "== text: cleaning + segmenting, target >= 100 MB/s on one core"
        "$build/bench_text_speed" "$data/bbc-news/articles" \
            --example "$root/examples/new-quality-productive-forces.txt"
        ;;
    summary-quality)
        echo "== summary-quality: BillSum ROUGE, policylink vs Lead-2000 vs ots"
        python3 bench/summary_quality.py --program "$build/policylink" \
            --data "$data/billsum-us-train200"
        ;;
    summary-speed)
        echo "== summary-speed: BBC articles and a 5 MB document, policylink vs ots"
        if [ "${QUICK:-0}" = 1 ]; then
            sh bench/summary_speed.sh "$build" "$data/bbc-news/articles" --no-ots-big
        else
            sh bench/summary_speed.sh "$build" "$data/bbc-news/articles"
        fi
        ;;
    terms)
        echo "== terms: ACTER term F1, policylink vs a frequency baseline"
        python3 bench/terms_quality.py "$data/acter-en" --bin "$build/policylink"
        ;;
    definitions)
        echo "== definitions: DEFT definition-sentence F1, policylink vs baselines"
        python3 bench/define_quality.py "$data/deft/dev.tsv" --program "$build/policylink"
        ;;
    match)
        echo "== match: linking speed and memory, policylink vs ripgrep vs a naive scan"
        if [ "${QUICK:-0}" = 1 ]; then
            "$build/bench_match_speed" "$data/bbc-news" --no-slow
        else
            "$build/bench_match_speed" "$data/bbc-news"
        fi
        ;;
    nvim)
        echo "== nvim: linking as you type in headless Neovim, policylink vs a naive linker"
        if command -v "${NVIM:-nvim}" >/dev/null 2>&1; then
            sh bench/nvim_link.sh "${NVIM:-nvim}"
        else
            echo "SKIP: ${NVIM:-nvim} is not installed"
        fi
        ;;
    *)
        echo "bench: unknown benchmark '$name'" >&2
        exit 2
        ;;
    esac
    echo
done
