#!/usr/bin/env bash
# Delivery latency and throughput across nodes on Redis, beside one node: bench/CrossNode.java
# posts to one node and reads event streams from another. Three setups, each on fresh servers
# pinned to core 1 (the client on core 0): one embedded node (post and read on it); one node on
# Redis (post and read on it); two nodes on Redis (post to the first, read from the second).
# Usage: bench/cross-node.sh [CLIENTS] [RATE] [SECONDS] [REDIS_URL]   (defaults 100 50 10)
#   (build first: mvn -q -pl chirp-cli -am package -DskipTests; Redis at 127.0.0.1:6379 by default)
set -euo pipefail
# shellcheck source=bench/args.sh
. "$(dirname "${BASH_SOURCE[0]}")/args.sh"
bench_args 3 "$@"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLIENTS=${1:-100}
RATE=${2:-50}
SECONDS_EACH=${3:-10}
REDIS=${4:-redis://127.0.0.1:6379}
WORK=$(mktemp -d)
PREFIX="chirp-bench-$$"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  redis-cli -u "$REDIS" --scan --pattern "$PREFIX*" 2>/dev/null | xargs -r redis-cli -u "$REDIS" del >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# start NAME PORT ARGS...: a node on core 1; waits until it answers /healthz.
start() {
  local name=$1 port=$2; shift 2
  taskset -c 1 java -jar chirp-cli/target/chirp.jar serve --host 127.0.0.1 --port "$port" --rate-limit off \
      --log-level warn "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "node $name did not start:"; cat "$WORK/$name.log"; exit 1
}

# measure LABEL POST_PORT WATCH_PORT: a warm-up, then the measured run.
measure() {
  echo "== $1"
  taskset -c 0 java bench/CrossNode.java --post "http://127.0.0.1:$2" --watch "http://127.0.0.1:$3" \
      --clients 100 --rate "$RATE" --seconds 5 > /dev/null
  taskset -c 0 java bench/CrossNode.java --post "http://127.0.0.1:$2" --watch "http://127.0.0.1:$3" \
      --clients "$CLIENTS" --rate "$RATE" --seconds "$SECONDS_EACH"
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

echo "load: $(uptime)"
start embedded 18091 --dump-path "$WORK/embedded.dump"
measure "one embedded node" 18091 18091
stop_all
start one 18092 --redis "$REDIS" --redis-prefix "$PREFIX-one"
measure "one node on Redis" 18092 18092
stop_all
start a 18093 --redis "$REDIS" --redis-prefix "$PREFIX-two"
start b 18094 --redis "$REDIS" --redis-prefix "$PREFIX-two"
measure "two nodes on Redis, posted to the first, read from the second" 18093 18094
stop_all
