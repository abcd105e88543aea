#!/usr/bin/env bash
# Boot time and heap per chirp with a large --max-chirps: fills a feed of N chirps through
# POST /chirps, kills the server with SIGKILL (so boot must replay N journal records), boots
# it again and times it, stops it cleanly (so the dump holds all N), boots and times it once
# more, and compares the live heap after a full GC with an empty feed's.
# Usage: bench/boot.sh [N]   (default 100000; build first: mvn -q -pl chirp-cli -am package -DskipTests)
set -euo pipefail
# shellcheck source=bench/args.sh
. "$(dirname "${BASH_SOURCE[0]}")/args.sh"
bench_args 1 "$@"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-100000}
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
DUMP="$WORK/chirps.dump"

serve() { # DUMP -> sets PID, PORT, BOOT (seconds from exec to listening)
  local start end
  start=$(date +%s.%N)
  taskset -c 1 java -jar chirp-cli/target/chirp.jar serve --host 127.0.0.1 --port 0 --rate-limit off \
      --dump-path "$1" --max-chirps "$N" --flush-every 1h > "$WORK/log" 2>&1 &
  PID=$!
  until grep -q "listening on" "$WORK/log"; do
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/log"; exit 1; }
    sleep 0.02
  done
  end=$(date +%s.%N)
  PORT=$(grep -o 'localhost:[0-9]*' "$WORK/log" | head -1 | cut -d: -f2)
  BOOT=$(echo "$end - $start" | bc)
}
live_bytes() { # PID -> bytes of live objects (the class histogram runs a full GC first)
  jcmd "$1" GC.class_histogram | tail -1 | awk '{print $3}'
}

echo "load: $(uptime)"
serve "$WORK/empty.dump"
echo "boot with an empty feed: ${BOOT}s"
empty=$(live_bytes "$PID")
kill "$PID"; wait "$PID" 2>/dev/null || true

serve "$DUMP"
posted=0
while [ "$posted" -lt "$N" ]; do
  taskset -c 0 java bench/PostLoad.java "$PORT" 64 5 0 > /dev/null
  posted=$(curl -s "http://127.0.0.1:$PORT/" | grep -o 'class="chirp"' | wc -l)
done
kill -9 "$PID"; wait "$PID" 2>/dev/null || true
echo "journal after kill -9: $(stat -c %s "$DUMP.journal") bytes, dump: $(stat -c %s "$DUMP" 2>/dev/null || echo none)"

serve "$DUMP"
echo "boot replaying the journal ($N chirps kept): ${BOOT}s"
grep -o 'Replayed [0-9,]* record(s)' "$WORK/log" || true
full=$(live_bytes "$PID")
echo "live heap: empty feed $((empty / 1024)) KiB, $N chirps $((full / 1024)) KiB, $(( (full - empty) / N )) bytes per chirp"
kill "$PID"; wait "$PID" 2>/dev/null || true
echo "dump after a clean stop: $(stat -c %s "$DUMP") bytes"

serve "$DUMP"
echo "boot from the dump ($N chirps): ${BOOT}s"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
