#!/usr/bin/env bash
# The README's demo command: installs the Debian packages, builds the redproof binary (only it:
# the tests are the test command's), and runs redproof against a real redis-server it starts
# itself: a lock released with GET-then-DEL while one holder is paused past its TTL. redproof
# finds the double holder (exit code 1 = anomaly found) and writes a report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh redproof
set +e
./build/redproof run lock --variant get-del --fault pause-client --time 10s "$@"
code=$?
set -e
report="$(readlink -f results/latest)/report.html"
echo
echo "exit code $code (0 valid, 1 anomaly found, 2 usage error, 3 could not decide or run)"
echo "report: $report"
echo "open it: xdg-open $report   (one self-contained file: or copy it anywhere and open it in any browser)"
