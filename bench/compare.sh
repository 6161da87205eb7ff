#!/usr/bin/env bash
# redproof bench against redis-benchmark, in one run, against one redis-server started for it:
# 50 connections, SET and GET, pipeline 1 and 16. Prints ops/s, p50/p99 and the client's CPU
# microseconds per operation (user+sys from the OS's rusage of the client process, divided by
# operations), then the ratios the load engine's goals are stated in (issue 4).
#
#   bash bench/compare.sh [REQUESTS] [ROUNDS]   (default 1,000,000 per test, 3 rounds)
#
# Each round runs the three tools one after the other on every test, so that a slow spell of
# the machine falls on all of them; the ratios are of the medians over the rounds (on a 2-core
# VM shared by client and server, one round's throughput moves by ±15%).
#
# Needs build/redproof (bash ci/build.sh), redis-server and redis-benchmark (redis-tools).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${1:-1000000}"
ROUNDS="${2:-3}"
REDPROOF="${REDPROOF:-build/redproof}"
[ -x "$REDPROOF" ] || { echo "compare.sh: $REDPROOF not built (run: bash ci/build.sh)" >&2; exit 2; }
command -v redis-benchmark >/dev/null || { echo "compare.sh: redis-benchmark missing (apt-get install redis-tools)" >&2; exit 2; }

dir=$(mktemp -d)
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

printf '%-16s %-9s %12s %9s %9s %12s\n' tool test ops/s p50_ms p99_ms cpu_us/op
declare -A cpu ops
for round in $(seq "$ROUNDS"); do
for pipeline in 1 16; do
  for test in set get; do
    # redis-benchmark: random keys over the same range, 3-byte values (its default).
    read -r secs file < <(measure redis-benchmark -p "$port" -c 50 -n "$REQUESTS" -P "$pipeline" \
      -r 100000 -t "$test" --csv)
    line=$(grep -i "\"$test\"" "$file" | head -1); rm -f "$file"
    # CSV: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    rps=$(echo "$line" | cut -d, -f2 | tr -d '"'); p50=$(echo "$line" | cut -d, -f5 | tr -d '"')
    p99=$(echo "$line" | cut -d, -f7 | tr -d '"')
    us=$(python3 -c "print(f'{$secs*1e6/$REQUESTS:.2f}')")
    printf '%-16s %-9s %12.0f %9s %9s %12s\n' redis-benchmark "$test/P$pipeline" "$rps" "$p50" "$p99" "$us"
    cpu[rb-$test-$pipeline]+="$us,"; ops[rb-$test-$pipeline]+="$rps,"

    for mode in bench history; do
      extra=()
      [ "$mode" = history ] && extra=(--history "$dir/history.jsonl")
      read -r secs file < <(measure "$REDPROOF" bench --target "127.0.0.1:$port" --clients 50 \
        --pipeline "$pipeline" --mix "$test" --keys 100000 --requests "$REQUESTS" --time 300s \
        --json --quiet "${extra[@]}")
      read -r rps p50 p99 done < <(python3 - "$file" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["latency"]["corrected"]
print(f'{r["throughput_ops"]:.0f} {c["p50_ns"]/1e6:.3f} {c["p99_ns"]/1e6:.3f} {r["counts"]["completed"]}')
PY
)
      rm -f "$file" "$dir/history.jsonl"
      us=$(python3 -c "print(f'{$secs*1e6/$done:.2f}')")
      name=redproof; [ "$mode" = history ] && name=redproof+history
      printf '%-16s %-9s %12.0f %9s %9s %12s\n' "$name" "$test/P$pipeline" "$rps" "$p50" "$p99" "$us"
      cpu[$mode-$test-$pipeline]+="$us,"; ops[$mode-$test-$pipeline]+="$rps,"
    done
  done
done
done

echo
echo "Ratios of the medians over $ROUNDS round(s) (goals: CPU/op <= 0.9 x redis-benchmark; throughput >= 0.95 x; history CPU/op <= 1.3 x bench):"
for pipeline in 1 16; do
  for test in set get; do
    python3 -c "
from statistics import median as m
rb_cpu, cpu, hist = m([${cpu[rb-$test-$pipeline]}]), m([${cpu[bench-$test-$pipeline]}]), m([${cpu[history-$test-$pipeline]}])
rb_ops, ops = m([${ops[rb-$test-$pipeline]}]), m([${ops[bench-$test-$pipeline]}])
print(f'  $test/P$pipeline: cpu {cpu/rb_cpu:.2f}x  throughput {ops/rb_ops:.2f}x  history cpu {hist/cpu:.2f}x')
" 2>/dev/null || true
  done
done
