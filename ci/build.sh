#!/usr/bin/env bash
# Configures and builds redproof into build/ (incrementally: only what changed is rebuilt).
# Used by the README's two commands; installs nothing itself.
#   bash ci/build.sh             # everything (the binary, the tests, the benchmarks)
#   bash ci/build.sh redproof    # only the named targets (the demo needs only the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${REDPROOF_JOBS:-$(nproc)}"
if [ ! -f build/CMakeCache.txt ]; then
  generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  launcher=()
  command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B build "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"$jobs" "${targets[@]}"
