#!/bin/sh
# Summarization speed, side by side with ots (Open Text Summarizer) in one run:
# every BBC article (policylink in one process, policylink run per file, ots
# run per file), then one large document of joined articles.
# usage: sh bench/summary_speed.sh BUILD_DIR [DATA_DIR] [--no-ots-big]
# DATA_DIR defaults to ../shared/data/bbc-news/articles beside the repository;
# when it is absent the benchmark says SKIP and exits 0. --no-ots-big skips
# ots on the large document (it takes about a minute and a half).
set -eu

usage() {
    echo "usage: sh bench/summary_speed.sh BUILD_DIR [DATA_DIR] [--no-ots-big]" >&2
    exit 2
}
[ $# -ge 1 ] || usage
root=$(cd "$(dirname "$0")/.." && pwd)
case $1 in /*) build=$1 ;; *) build=$PWD/$1 ;; esac
shift
data=$root/../shared/data/bbc-news/articles
ots_big=1
for arg in "$@"; do
    case $arg in
    --no-ots-big) ots_big=0 ;;
    -*) usage ;;
    /*) data=$arg ;;
    *) data=$PWD/$arg ;;
    esac
done
if [ ! -d "$data" ]; then
    echo "SKIP: no articles at $data (pass DATA_DIR)"
    exit 0
fi
program=${POLICYLINK:-$build/policylink}
if [ ! -x "$program" ]; then
    echo "bench: $program not built (run 'make build')" >&2
    exit 1
fi
if ! "$program" summarize --help >/dev/null 2>&1; then
    echo "bench: $program has no summarize command" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The one-process timing needs the core linked into a small C program: use the
# CMake target when there is one, else compile it here against the build's
# static library.
bench_bin=$build/bench_summary_speed
if [ ! -x "$bench_bin" ]; then
    bench_bin=$tmp/bench_summary_speed
    # shellcheck disable=SC2046 # pkg-config prints several words on purpose
    cc -O2 -std=c11 -I"$root/src" -o "$bench_bin" "$root/bench/summary_speed.c" \
        "$build/libpolicylink_core.a" $(pkg-config --libs libutf8proc libxml-2.0) -lstemmer -lm
fi

seconds() {
    date +%s.%N
}

# calc EXPR: floating-point arithmetic without bc.
calc() {
    awk "BEGIN { printf \"%.6f\", $1 }"
}

find "$data" -name '*.txt' | LC_ALL=C sort >"$tmp/files"
count=$(wc -l <"$tmp/files")
echo "== summary_speed: $count articles from $data"
echo
"$bench_bin" "$data" --ratio 0.2 --write-big "$tmp/big.txt" | tee "$tmp/one_process"
one_process=$(awk '/clean\+summarize/ { print $2; exit }' "$tmp/one_process")
echo

t0=$(seconds)
while IFS= read -r f; do
    "$program" summarize --ratio 0.2 --format text "$f" >/dev/null 2>&1 || true
done <"$tmp/files"
t1=$(seconds)
per_file=$(calc "$t1 - $t0")

have_ots=0
if command -v ots >/dev/null 2>&1; then
    have_ots=1
    t0=$(seconds)
    while IFS= read -r f; do
        ots --ratio 20 "$f" >/dev/null 2>&1 || true
    done <"$tmp/files"
    t1=$(seconds)
    ots_total=$(calc "$t1 - $t0")
fi

t0=$(seconds)
"$program" summarize --format text "$tmp/big.txt" >/dev/null
t1=$(seconds)
big_cli=$(calc "$t1 - $t0")
big_mib=$(calc "$(wc -c <"$tmp/big.txt") / 1048576")

printf 'all %d articles, wall time, --ratio 0.2 (ots: --ratio 20)\n' "$count"
printf '  %-38s %9.2f s  %7.2f ms/article\n' "policylink summarize, one run per file" \
    "$per_file" "$(calc "1000 * $per_file / $count")"
if [ $have_ots = 1 ]; then
    printf '  %-38s %9.2f s  %7.2f ms/article\n' "ots, one run per file" "$ots_total" \
        "$(calc "1000 * $ots_total / $count")"
    printf '  policylink vs ots: %.0fx faster in one process, %.1fx run per file\n' \
        "$(calc "$ots_total / $one_process")" "$(calc "$ots_total / $per_file")"
else
    echo "  ots: not installed (apt-get install ots); row skipped"
fi
printf 'one document of %.1f MiB through the program (read, clean, summarize, print)\n' "$big_mib"
printf '  %-38s %9.2f s\n' "policylink summarize" "$big_cli"
if [ $have_ots = 1 ] && [ $ots_big = 1 ]; then
    t0=$(seconds)
    ots "$tmp/big.txt" >/dev/null 2>&1 || true
    t1=$(seconds)
    ots_big_s=$(calc "$t1 - $t0")
    printf '  %-38s %9.2f s  (%.0fx policylink)\n' "ots" "$ots_big_s" \
        "$(calc "$ots_big_s / $big_cli")"
elif [ $have_ots = 1 ]; then
    echo "  ots on the large document: skipped (--no-ots-big)"
fi
