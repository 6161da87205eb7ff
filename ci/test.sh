#!/usr/bin/env bash
# The README's test command: installs the Debian packages, builds, and runs every test (unit and
# integration; integration tests start their own redis-server on free loopback ports).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
cd build
ctest --output-on-failure -j2 --timeout 600 "$@"
