#!/usr/bin/env bash
# Fan-out scenarios A-D of the shared load generator against Chirp and its two peers (Node,
# Javalin), then a table of the medians. Each run starts the server fresh on core 1, waits for
# its port, runs the warm-up (except for C), runs the measured scenario with --json, and stops
# the server by its PID; the generator runs on core 0 through run-load.sh.
# Usage: bench/fanout.sh [--server chirp|node|javalin|all] [--scenario A|B|C|D|all] [--runs N] [--out DIR]
# Build first: mvn -q -pl chirp-cli -am package -DskipTests, and once the Javalin peer:
#   (cd ../shared/bench/peers/javalin && mvn -q -B package)
# The load generator is found in ../shared/bench beside the checkout, or in $CHIRP_BENCH_DIR.
# $CHIRP_SERVE_ARGS adds flags to chirp serve, e.g. CHIRP_SERVE_ARGS="--redis redis://127.0.0.1:6379".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)
BENCH=${CHIRP_BENCH_DIR:-$REPO/../shared/bench}

SERVERS=all SCENARIOS=all RUNS=1 OUT=
while [ $# -gt 0 ]; do
  case "$1" in --server|--scenario|--runs|--out) [ $# -ge 2 ] || { echo "$1 needs a value (see --help)" >&2; exit 64; } ;; esac
  case "$1" in
    --server) SERVERS=$2; shift 2 ;;
    --scenario) SCENARIOS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 64 ;;
  esac
done
[ "$SERVERS" = all ] && SERVERS="chirp node javalin"
[ "$SCENARIOS" = all ] && SCENARIOS="A B C D"
SERVERS=${SERVERS//,/ }
SCENARIOS=${SCENARIOS//,/ }
for s in $SERVERS; do
  case "$s" in chirp|node|javalin) ;; *) echo "--server must be chirp, node, javalin or all, not $s" >&2; exit 64 ;; esac
done
for c in $SCENARIOS; do
  case "$c" in A|B|C|D) ;; *) echo "--scenario must be A, B, C, D or all, not $c" >&2; exit 64 ;; esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive whole number, not $RUNS" >&2; exit 64; }
[ -f "$BENCH/run-load.sh" ] || { echo "no load generator in $BENCH: set CHIRP_BENCH_DIR" >&2; exit 1; }
BENCH=$(cd "$BENCH" && pwd)
OUT=${OUT:-$REPO/bench/results/fanout-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

CHIRP_JAR=$REPO/chirp-cli/target/chirp.jar
JAVALIN_JAR=$BENCH/peers/javalin/target/chirp-javalin.jar
for s in $SERVERS; do
  case "$s" in
    chirp) [ -f "$CHIRP_JAR" ] || { echo "build first: mvn -q -B -pl chirp-cli -am package -DskipTests" >&2; exit 1; } ;;
    javalin) [ -f "$JAVALIN_JAR" ] || { echo "build first: (cd $BENCH/peers/javalin && mvn -q -B package)" >&2; exit 1; } ;;
    node) [ -d "$BENCH/peers/node/node_modules" ] || { echo "first: (cd $BENCH/peers/node && npm ci)" >&2; exit 1; } ;;
  esac
done

# The README's arguments, word for word.
WARMUP="--sse 200 --ws 200 --posts 3000 --rate 0 --posters 8 --drain-timeout 30"
declare -A SCENARIO=(
  [A]="--sse 1000 --ws 1000 --posts 2000 --rate 200 --posters 4 --drain-timeout 60"
  [B]="--sse 9900 --ws 9900 --posts 500 --rate 50 --posters 4 --ramp 2000 --drain-timeout 120 --duration 600"
  [C]="--sse 25000 --ws 25000 --posts 20 --rate 10 --posters 2 --ramp 2000 --hold 10 --drain-timeout 60"
  [D]="--sse 100 --ws 0 --posts 10000000 --rate 0 --post-seconds 20 --posters 16 --drain-timeout 60"
)

PID= DUMP_DIR=
stop_server() {
  [ -n "$PID" ] || return 0
  kill "$PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
  [ -n "$DUMP_DIR" ] && rm -rf "$DUMP_DIR"
  DUMP_DIR=
}
trap stop_server EXIT

free_port() {
  local port
  for port in $(seq 18080 18180); do
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
  echo "no free port in 18080-18180" >&2; exit 1
}

start_server() { # SERVER LOG -> sets PID, PORT
  PORT=$(free_port)
  local cmd
  case "$1" in
    chirp)
      DUMP_DIR=$(mktemp -d)
      cmd=(java -jar "$CHIRP_JAR" serve --host 127.0.0.1 --port "$PORT" --rate-limit off
           --dump-path "$DUMP_DIR/chirps.dump")
      # Word splitting is wanted: the variable holds several flags.
      # shellcheck disable=SC2206
      cmd+=(${CHIRP_SERVE_ARGS:-}) ;;
    node) cmd=(node "$BENCH/peers/node/server.js" --port "$PORT") ;;
    javalin) cmd=(java -jar "$JAVALIN_JAR" --port "$PORT") ;;
  esac
  # The subshell raises its open-file limit as far as allowed, then becomes the server.
  (ulimit -n "$(ulimit -Hn)" 2>/dev/null || true; exec taskset -c 1 "${cmd[@]}") > "$2" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do
    ss -Htln "sport = :$PORT" | grep -q . && return 0
    kill -0 "$PID" 2>/dev/null || { echo "$1 exited before listening:" >&2; cat "$2" >&2; exit 1; }
    sleep 0.1
  done
  echo "$1 did not listen on port $PORT within 30 s:" >&2; cat "$2" >&2; exit 1
}

load() { # CAP_SECONDS ARGS... : run-load.sh pinned to core 0, killed if it outlives the cap
  local cap=$1; shift
  CHIRPLOAD_CPUS=0 timeout --kill-after=10 "$cap" "$BENCH/run-load.sh" \
      --target "http://127.0.0.1:$PORT" --server-pid "$PID" "$@"
}

echo "load: $(uptime)" | tee "$OUT/machine.txt"
{ echo "commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"; java -version 2>&1 | head -1
  echo "node: $(node --version 2>/dev/null || echo none)"; nproc; } >> "$OUT/machine.txt"
for server in $SERVERS; do
  for scenario in $SCENARIOS; do
    for run in $(seq 1 "$RUNS"); do
      name="$server-$scenario-$run"
      start_server "$server" "$OUT/$name.server.log"
      echo "== $name (pid $PID, port $PORT)"
      if [ "$scenario" != C ]; then
        # shellcheck disable=SC2086
        load 300 $WARMUP --label "$name-warmup" > "$OUT/$name.warmup.log" 2>&1 || true
      fi
      # B asks for a 600 s run cap of its own; every other run stops within run-load's 300 s.
      cap=$([ "$scenario" = B ] && echo 720 || echo 420)
      rc=0
      # shellcheck disable=SC2086
      load "$cap" ${SCENARIO[$scenario]} --label "$name" --json "$OUT/$name.json" > "$OUT/$name.log" 2>&1 || rc=$?
      grep -E '^(throughput|latency ms|server|NOTE|result) ' "$OUT/$name.log" | sed 's/^/   /' || true
      [ "$rc" -eq 0 ] || echo "   generator exit status $rc (2 = loss, 124/137 = over time)"
      stop_server
    done
  done
done
echo
java "$REPO/bench/FanoutSummary.java" "$OUT" | tee "$OUT/summary.md"
echo "raw reports: $OUT"
