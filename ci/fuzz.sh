#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang-14, ASan+UBSan, into build-asan, which ci/test.sh's
# sanitizer tests share) and runs each for SECONDS (default 20): .ci/run runs them for seconds,
# ci/nightly.sh for minutes. Each starts from the checked-in seeds (fuzz/corpus/<target>) plus what
# earlier runs on this machine found (build-asan/fuzz-corpus/<target>, never committed).
#   bash ci/fuzz.sh [SECONDS] [TARGET...]
# A finding stops with exit 1 and the input's path: copy it to fuzz/regressions/<target>/ (the
# unit test tests/unit/fuzz_regressions replays it) and fix the bug.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(history_reader suite_plan resp_reader reply_outcome)
build=build-asan
jobs="${REDPROOF_JOBS:-2}"

bash ci/sanitizers.sh asan --configure-only
ninja -C "$build" -j"$jobs" "${targets[@]/#/fuzz_}"

# UBSan findings abort (the build also says so); leaks are findings too.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
summary="$build/fuzz-summary.txt"
: >"$summary"
for t in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$t"
  findings="$build/fuzz-findings/$t"
  mkdir -p "$corpus" "$findings"
  log="$build/fuzz-$t.log"
  # -max_len: every file input the harness reads is small; 4 KiB reaches every parser state.
  if ! "$build/fuzz/fuzz_$t" "$corpus" "fuzz/corpus/$t" -max_total_time="$seconds" \
      -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$findings/" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzz: $t found a crashing input (in $findings/); copy it to fuzz/regressions/$t/ and fix" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  echo "fuzz: $t: ${runs:-?} inputs in ${seconds}s, no finding" | tee -a "$summary"
done
