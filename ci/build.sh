#!/usr/bin/env bash
# Configures and builds redproof into build/ (incrementally: only what changed is rebuilt).
# Used by the README's two commands; installs nothing itself.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${REDPROOF_JOBS:-$(nproc)}"
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build -j"$jobs"
