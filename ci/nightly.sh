#!/usr/bin/env bash
# The nightly checks, too long for .ci/run: the nightly suite plan (ci/nightly.json, several
# hours), the unit tests and the connection's integration tests under ThreadSanitizer
# (build-tsan), and each fuzzer for longer (default 10 minutes each).
#   bash ci/nightly.sh [FUZZ_SECONDS]
# Runs everything and exits non-zero if any part failed, naming it.
set -uo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds="${1:-600}"
failed=()

bash ci/install-deps.sh || exit 2
bash ci/build.sh || exit 2

mkdir -p build/nightly
./build/redproof suite ci/nightly.json --junit build/nightly/junit.xml \
  --results-dir build/nightly/results || failed+=("nightly suite (build/nightly/junit.xml)")
bash ci/sanitizers.sh tsan || failed+=("tests under TSan (build-tsan)")
bash ci/fuzz.sh "$fuzz_seconds" || failed+=("fuzzing (build-asan/fuzz-findings)")

if [ ${#failed[@]} -gt 0 ]; then
  printf 'nightly: failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "nightly: all passed"
