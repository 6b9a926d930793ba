#!/bin/sh
# Runs libFuzzer targets built by `make fuzz` (CMake with -DPL_FUZZ=ON):
#   sh tests/fuzz/run.sh BUILD_DIR SECONDS TARGET...
# For each target: replays tests/fuzz/regressions/TARGET/ (inputs that once
# failed), then fuzzes for SECONDS from the seeds (tests/fuzz/seeds.sh) and
# the corpus kept in BUILD_DIR/fuzz-corpus/TARGET from earlier runs. Prints
# executions and coverage per target; exits 1 when any target failed, with
# the failing input in BUILD_DIR/fuzz-artifacts/. FUZZ_ARGS adds libFuzzer
# options (e.g. FUZZ_ARGS=-jobs=2).
set -eu
cd "$(dirname "$0")/../.."
build=${1:?usage: run.sh BUILD_DIR SECONDS TARGET...}
seconds=${2:?usage: run.sh BUILD_DIR SECONDS TARGET...}
shift 2

# Seeds are made afresh for each run (one folder per run: runs may overlap).
seeds="$build/fuzz-seeds.$$"
trap 'rm -rf "$seeds"' EXIT
sh tests/fuzz/seeds.sh "$seeds" >/dev/null
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"

dict_for() {
  case $1 in
  html) echo tests/fuzz/html.dict ;;
  glossary | match) echo tests/fuzz/markdown.dict ;;
  boilerplate | segment | document | terms) echo tests/fuzz/text.dict ;;
  *) echo "" ;;
  esac
}

failed=""
summary=""
for t in "$@"; do
  bin="$build/fuzz_$t"
  corpus="$build/fuzz-corpus/$t"
  log="$build/fuzz-logs/$t.log"
  [ -x "$bin" ] || { echo "fuzz: no $bin (build it with make fuzz)" >&2; exit 2; }
  mkdir -p "$corpus"
  if [ -n "$(ls "tests/fuzz/regressions/$t" 2>/dev/null)" ]; then
    if ! "$bin" tests/fuzz/regressions/"$t"/* >"$log" 2>&1; then
      echo "fuzz_$t: a regression input fails again (see $log)" >&2
      failed="$failed $t"
      continue
    fi
  fi
  dict=$(dict_for "$t")
  echo "== fuzz_$t: $seconds s"
  # -timeout: an input that takes 10 s is a hang (inputs are at most 16 KiB).
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" \
    ${dict:+-dict=$dict} ${FUZZ_ARGS:-} "$corpus" "$seeds/$t" >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed="$failed $t"
    grep -E "ERROR|runtime error|check failed|Test unit written" "$log" | head -5 >&2 || true
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  line=$(printf '%-12s %-7s %10s execs  %s' "$t" "$status" "${execs:-?}" "${cov:-}")
  echo "$line"
  summary="$summary$line
"
done

echo "== fuzz summary ($seconds s per target)"
printf '%s' "$summary"
if [ -n "$failed" ]; then
  echo "fuzz: failed:$failed (inputs in $build/fuzz-artifacts/, logs in $build/fuzz-logs/)" >&2
  exit 1
fi
