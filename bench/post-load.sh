#!/usr/bin/env bash
# POST throughput and p99 latency of `chirp serve` under each --fsync mode: the server pinned
# to core 1, bench/PostLoad.java to core 0, 64 posters, --rate-limit off, a fresh dump each time.
# Each server first takes WARMUP seconds of the same load, unmeasured, so that the JIT is done.
# Usage: bench/post-load.sh [SECONDS] [POSTERS] [WARMUP]   (build first: mvn -q -pl chirp-cli -am package -DskipTests)
set -euo pipefail
# shellcheck source=bench/args.sh
. "$(dirname "${BASH_SOURCE[0]}")/args.sh"
bench_args 3 "$@"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_EACH=${1:-15}
POSTERS=${2:-64}
WARMUP=${3:-15}
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
echo "load: $(uptime)"
for mode in off batch always; do
  rm -f "$WORK"/chirps.dump*
  taskset -c 1 java -jar chirp-cli/target/chirp.jar serve --host 127.0.0.1 --port 0 --rate-limit off \
      --dump-path "$WORK/chirps.dump" --fsync "$mode" --log-level warn --max-chirps 100 > "$WORK/log" 2>&1 &
  PID=$!
  port=
  for i in $(seq 1 100); do
    port=$(ss -ltnp 2>/dev/null | grep "pid=$PID," | grep -o '127.0.0.1\]*:[0-9]*' | head -1 | sed 's/.*://' || true)
    [ -n "$port" ] && break
    sleep 0.2
  done
  [ -n "$port" ] || { echo "server did not start"; cat "$WORK/log"; exit 1; }
  printf '%-7s ' "$mode"
  taskset -c 0 java bench/PostLoad.java "$port" "$POSTERS" "$SECONDS_EACH" "$WARMUP"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
