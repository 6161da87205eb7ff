#!/usr/bin/env bash
# The README's test command: installs the Debian packages, builds, runs every test (unit and
# integration; integration tests start their own redis-server on free loopback ports), then the
# CI gate: the acceptance-matrix runs of ci/gate.json, each with its expected verdict; then the
# lower libraries' tests under ASan+UBSan (clang-14, build-asan) and each fuzzer for 20 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
(cd build && ctest --output-on-failure -j2 --timeout 600 "$@")
./build/redproof suite ci/gate.json --junit build/gate-junit.xml --results-dir build/gate-results
bash ci/sanitizers.sh asan
bash ci/fuzz.sh "${REDPROOF_FUZZ_SECONDS:-20}"
