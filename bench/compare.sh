#!/usr/bin/env bash
# redproof bench against redis-benchmark, in one run, against one redis-server started for it:
# 50 connections, SET and GET, pipeline 1 and 16. Prints ops/s, p50/p99 and the client's CPU
# microseconds per operation (user+sys from the OS's rusage of the client process, divided by
# operations), then the ratios the load engine's goals are stated in (issue 4).
#
#   bash bench/compare.sh [REQUESTS] [ROUNDS]
#     REQUESTS per pipeline-16 test (default 1,000,000; pipeline 1 sends a quarter of them,
#     which takes as long), ROUNDS (default 5).
#
# Each round runs, on every test, redis-benchmark, redproof, redproof with history, redproof,
# redis-benchmark, seconds apart, so that a slow spell of the machine falls on all of them
# alike; the ratios are taken within each round and summarised as their median and range. On a 2-core VM shared by client and server, the
# machine's speed drifts by ±30% over a minute, which ratios of overall medians would mix in.
#
# Needs build/redproof (bash ci/build.sh), redis-server and redis-benchmark (redis-tools).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${1:-1000000}"
ROUNDS="${2:-5}"
REDPROOF="${REDPROOF:-build/redproof}"
[ -x "$REDPROOF" ] || { echo "compare.sh: $REDPROOF not built (run: bash ci/build.sh)" >&2; exit 2; }
command -v redis-benchmark >/dev/null || { echo "compare.sh: redis-benchmark missing (apt-get install redis-tools)" >&2; exit 2; }

dir=$(mktemp -d)
# Each bench writes its results directory (after the load, so its cost shows in CPU/op): into the
# scratch directory, not the repository. Binaries from before results directories lack the flag.
results=()
"$REDPROOF" bench --help | grep -q -- --results-dir && results=(--results-dir "$dir/results")
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
  --dir "$dir" --logfile "$dir/redis.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done

# Runs a command and prints "<user+sys seconds> <its stdout file>" using the OS's rusage.
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, tempfile
out = tempfile.NamedTemporaryFile(delete=False, mode="w")
subprocess.run(sys.argv[1:], stdout=out, stderr=subprocess.DEVNULL, check=False)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{ru.ru_utime + ru.ru_stime:.4f} {out.name}")
PY
}

# One measurement of redis-benchmark: prints its line and keeps CPU/op and ops/s for the round.
run_redis_benchmark() {
  local test=$1 pipeline=$2 requests=$3 round=$4 run=$5 secs file line rps p50 p99 us
  # Random keys over the same range as redproof's, 3-byte values (its default).
  read -r secs file < <(measure redis-benchmark -p "$port" -c 50 -n "$requests" -P "$pipeline" \
    -r 100000 -t "$test" --csv)
  line=$(grep -i "\"$test\"" "$file" | head -1); rm -f "$file"
  # CSV: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  rps=$(echo "$line" | cut -d, -f2 | tr -d '"'); p50=$(echo "$line" | cut -d, -f5 | tr -d '"')
  p99=$(echo "$line" | cut -d, -f7 | tr -d '"')
  us=$(python3 -c "print(f'{$secs*1e6/$requests:.3f}')")
  printf '%-16s %-9s %5s %12.0f %9s %9s %12s\n' redis-benchmark "$test/P$pipeline" "$round$run" "$rps" "$p50" "$p99" "$us"
  cpu[rb-$test-$pipeline-$round]+="$us "; ops[rb-$test-$pipeline-$round]+="$rps "
}

# One measurement of redproof bench, plain ("bench") or recording a history ("history").
run_redproof() {
  local mode=$1 test=$2 pipeline=$3 requests=$4 round=$5 run=$6 secs file rps p50 p99 done us name
  local extra=()
  [ "$mode" = history ] && extra=(--history "$dir/history.jsonl")
  read -r secs file < <(measure "$REDPROOF" bench --target "127.0.0.1:$port" --clients 50 \
    --pipeline "$pipeline" --mix "$test" --keys 100000 --requests "$requests" --time 300s \
    --json --quiet "${results[@]}" "${extra[@]}")
  read -r rps p50 p99 done < <(python3 - "$file" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["latency"]["corrected"]
print(f'{r["throughput_ops"]:.0f} {c["p50_ns"]/1e6:.3f} {c["p99_ns"]/1e6:.3f} {r["counts"]["completed"]}')
PY
)
  rm -f "$file" "$dir/history.jsonl"
  us=$(python3 -c "print(f'{$secs*1e6/$done:.3f}')")
  name=redproof; [ "$mode" = history ] && name=redproof+history
  printf '%-16s %-9s %5s %12.0f %9s %9s %12s\n' "$name" "$test/P$pipeline" "$round$run" "$rps" "$p50" "$p99" "$us"
  cpu[$mode-$test-$pipeline-$round]+="$us "; ops[$mode-$test-$pipeline-$round]+="$rps "
}

mean() { python3 -c "import sys; v = list(map(float, sys.argv[1:])); print(sum(v) / len(v))" "$@"; }

printf '%-16s %-9s %5s %12s %9s %9s %12s\n' tool test round ops/s p50_ms p99_ms cpu_us/op
declare -A cpu ops
for round in $(seq "$ROUNDS"); do
  for pipeline in 1 16; do
    requests=$REQUESTS; [ "$pipeline" = 1 ] && requests=$((REQUESTS / 4))
    for test in set get; do
      # rb, redproof, redproof+history, redproof, rb: the three measurements' centres of time
      # coincide, so a machine that speeds up or slows down steadily through the round falls
      # equally on each (an ABBA design); each tool's figure is the mean of its two runs.
      run_redis_benchmark "$test" "$pipeline" "$requests" "$round" a
      run_redproof bench "$test" "$pipeline" "$requests" "$round" a
      run_redproof history "$test" "$pipeline" "$requests" "$round" a
      run_redproof bench "$test" "$pipeline" "$requests" "$round" b
      run_redis_benchmark "$test" "$pipeline" "$requests" "$round" b
    done
  done
done

echo
echo "Ratios within each round (of each tool's mean over its runs in the round), as median (min-max) over $ROUNDS round(s)."
echo "Goals: CPU/op <= 0.9 x redis-benchmark's; throughput >= 0.95 x; with history, CPU/op <= 1.3 x bench's own."
for pipeline in 1 16; do
  for test in set get; do
    series=()
    for key in rb-cpu bench-cpu history-cpu rb-ops bench-ops; do
      values=()
      for round in $(seq "$ROUNDS"); do
        if [ "${key##*-}" = cpu ]; then
          values+=("$(mean ${cpu[${key%-*}-$test-$pipeline-$round]})")
        else
          values+=("$(mean ${ops[${key%-*}-$test-$pipeline-$round]})")
        fi
      done
      series+=("${values[*]}")
    done
    python3 - "$test/P$pipeline" "${series[@]}" <<'PY'
import sys
from statistics import median
name = sys.argv[1]
rb_cpu, rp_cpu, hist_cpu, rb_ops, rp_ops = [list(map(float, a.split())) for a in sys.argv[2:]]
def summary(ratios):
    return f"{median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"
cpu = [p / r for p, r in zip(rp_cpu, rb_cpu)]
ops = [p / r for p, r in zip(rp_ops, rb_ops)]
hist = [h / p for h, p in zip(hist_cpu, rp_cpu)]
print(f"  {name:8} cpu {summary(cpu)}  throughput {summary(ops)}  history cpu {summary(hist)}")
PY
  done
done
