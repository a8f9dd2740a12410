#!/usr/bin/env bash
# Load benchmark of `ecociv serve`: 200 concurrent connections on the assessment endpoint, against a
# database of 3,000 synthetic zones × 10 years, on 127.0.0.1 only, bounded in time.
#
#   bench/server/run.sh [DURATION=30s] [CONNECTIONS=200]
#
# Needs wrk (Debian package `wrk`). Builds the release binary and the generator, makes the database once
# (target dir, reused when present), starts the server, runs wrk twice — first with a cold assessment cache
# (every (zone, year) computed on first request), then, after requesting every (zone, year) once, warm —
# and stops the server. Results go to stdout;
# record them in docs/benchmarks.md with the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-30s}
CONNECTIONS=${2:-200}
ZONES=${ZONES:-3000}
YEARS=${YEARS:-10}
PORT=${PORT:-18090}
TARGET=${CARGO_TARGET_DIR:-target}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release -p ecociv --bin ecociv
cargo build --release -p ecociv-server --example bench_db
DB="$TARGET/bench-server-${ZONES}x${YEARS}.sqlite3"
if [ ! -f "$DB" ]; then
  # Generated on tmpfs (each zone is a committed transaction; fsync on a shared disk would dominate), then moved.
  TMPDB=/dev/shm/ecociv-bench-$$.sqlite3
  echo "== generating $ZONES zones × $YEARS years into $DB"
  /usr/bin/time -f "generator: %e s wall, %M KB peak RSS" "$TARGET/release/examples/bench_db" "sqlite://$TMPDB" "$ZONES" "$YEARS"
  mv "$TMPDB" "$DB"
  if [ -f "$TMPDB-wal" ]; then mv "$TMPDB-wal" "$DB-wal"; fi
  rm -f "$TMPDB-shm"
fi
ls -l "$DB"
"$TARGET/release/ecociv" serve --db "sqlite://$DB" --listen "127.0.0.1:$PORT" >/tmp/ecociv-bench-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/api/v1/zones/900000/assessment?year=2024" | head -c 200; echo
export ZONES YEARS FIRST_YEAR=$((2025 - YEARS))
echo "== cold cache: wrk -t2 -c$CONNECTIONS -d$DURATION"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/server/assess.lua "http://127.0.0.1:$PORT" | grep -E "RESULT|Latency|Requests/sec|Non-2xx|Socket"
python3 bench/server/warm.py "$PORT" "$ZONES" "$FIRST_YEAR" "$YEARS"
echo "server RSS after warm-up: $(ps -o rss= -p $SERVER) KB"
echo "== warm cache (every zone and year cached): wrk -t2 -c$CONNECTIONS -d$DURATION"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/server/assess.lua "http://127.0.0.1:$PORT" | grep -E "RESULT|Latency|Requests/sec|Non-2xx|Socket"
echo "server RSS: $(ps -o rss= -p $SERVER) KB"
echo "== floor: GET /api/v1/health (routing, guard and session lookup only), wrk -t2 -c$CONNECTIONS -d10s"
wrk -t2 -c"$CONNECTIONS" -d10s --latency "http://127.0.0.1:$PORT/api/v1/health" | grep -E "Latency|Requests/sec|Non-2xx|Socket|50%|99%"
# Peer: Python's standard-library HTTP server (threaded) serving one assessment JSON as a static file.
PEERDIR=$(mktemp -d)
curl -fs "http://127.0.0.1:$PORT/api/v1/zones/900000/assessment?year=2024" > "$PEERDIR/assessment.json"
python3 -m http.server --bind 127.0.0.1 $((PORT + 1)) --directory "$PEERDIR" >/dev/null 2>&1 &
PEER=$!
trap 'kill $SERVER $PEER 2>/dev/null || true; wait $SERVER $PEER 2>/dev/null || true; rm -rf "$PEERDIR"' EXIT
sleep 1
echo "== peer: python3 -m http.server, static assessment.json ($(stat -c %s "$PEERDIR/assessment.json") B), wrk -t2 -c$CONNECTIONS -d10s"
wrk -t2 -c"$CONNECTIONS" -d10s --timeout 10s --latency "http://127.0.0.1:$((PORT + 1))/assessment.json" | grep -E "Latency|Requests/sec|Non-2xx|Socket|50%|99%"
