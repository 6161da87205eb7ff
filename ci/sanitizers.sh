#!/usr/bin/env bash
# Builds and runs the tests that matter most for memory and thread safety under a sanitizer, in
# a build directory of its own (the GCC build in build/ is left alone):
#   bash ci/sanitizers.sh asan   # clang-14, ASan+UBSan (halts on the first finding), build-asan:
#                                # the unit tests of core, redis, checkers and results, the fuzz
#                                # regressions, and the redis connection's integration tests
#                                # (.ci/run, via ci/test.sh)
#   bash ci/sanitizers.sh tsan   # GCC, TSan, build-tsan: the same tests (ci/nightly.sh)
#   bash ci/sanitizers.sh asan --configure-only   # what ci/fuzz.sh needs: build-asan set up
# The driver, workloads and faults are left out of .ci/run's sanitizer build: building them under
# ASan doubles its time, and their code is reached by the fuzzers (plan reader) and the gate.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-asan}"
jobs="${REDPROOF_JOBS:-2}"
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
case "$mode" in
  asan)
    build=build-asan
    compilers=(-DCMAKE_CXX_COMPILER=clang++-14)
    # -O1 and line tables only: a third less compile time than -O2 -g, and stack traces still
    # name file and line.
    options=(-DREDPROOF_SANITIZE=ON -DREDPROOF_FUZZ=ON
             "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG")
    ;;
  tsan)
    build=build-tsan
    compilers=()
    options=(-DREDPROOF_TSAN=ON)
    ;;
  *)
    echo "sanitizers: unknown mode $mode (asan or tsan)" >&2
    exit 2
    ;;
esac
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja "${launcher[@]}" "${compilers[@]}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "${options[@]}" >/dev/null
fi
[ "${2:-}" = "--configure-only" ] && exit 0

# REDPROOF_SANITIZER_TESTS overrides the list (e.g. to add unit_driver).
read -r -a unit <<<"${REDPROOF_SANITIZER_TESTS:-unit_core unit_redis unit_checkers \
  unit_checkers_linearizability unit_results unit_fuzz_regressions}"
# The connection against a real server: replies, time-outs, reconnects, descriptors. Left out:
# the test that needs 3,000 replies each within 100 ms, which a sanitizer's slowdown on a loaded
# machine can miss once (it runs in the ordinary build).
integration_filter='ConnectionTest.*:ConnectionReceiveTest.*:ReconnectLeakTest.*'
integration_filter+=':-ConnectionTest.ManyQuickCommandsUnderAShortTimeOutAllSucceed'
start=$(date +%s)
ninja -C "$build" -j"$jobs" "${unit[@]}" integration_redis
built=$(date +%s)

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
for t in "${unit[@]}"; do
  echo "sanitizers($mode): $t"
  "$build/tests/$t" --gtest_brief=1
done
echo "sanitizers($mode): integration_redis ($integration_filter)"
"$build/tests/integration_redis" --gtest_brief=1 --gtest_filter="$integration_filter"
echo "sanitizers($mode): all passed (build $((built - start)) s, tests $(($(date +%s) - built)) s)"
