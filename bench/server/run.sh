#!/usr/bin/env bash
# Load benchmark of `ecociv serve`: 200 concurrent connections on the assessment endpoint, against a
# database of 3,000 synthetic zones × 10 years, on 127.0.0.1 only, bounded in time.
#
#   bench/server/run.sh [DURATION=30s] [CONNECTIONS=200]
#   PG_URL=postgres://… bench/server/run.sh      # the same on PostgreSQL (a throwaway database)
#
# Needs wrk (Debian package `wrk`) and sqlite3. Builds the release binary and the generator, makes the
# database once (target dir, reused when present; the generator also materializes every assessment, and on
# an existing database only fills what is missing or stale), then:
#   (a) a freshly started server on the materialized database (the production case after a restart):
#       wrk without and with `Accept-Encoding: gzip`, the server restarted before each;
#   (b) the truly cold case for comparison: a copy of the database with `materialized_assessment` emptied,
#       server without the background fill, every (zone, year) computed on its first request; (b2) the same
#       with the background fill running (SQLite only), and how long the fill takes;
#   the server's RSS after each; the floor (`/api/v1/health`) and a peer (python3 -m http.server).
# Results go to stdout; record them in docs/benchmarks.md with the machine and the load average.
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
if [ -n "${PG_URL:-}" ]; then
  # PostgreSQL (a throwaway database, e.g. started as in .ci/setup.d/10-postgres.sh): generated in place.
  command -v psql >/dev/null || { echo "psql is missing" >&2; exit 1; }
  DB_URL=$PG_URL
  echo "== generating or materializing $ZONES zones × $YEARS years in $PG_URL"
  /usr/bin/time -f "generator: %e s wall, %M KB peak RSS" "$TARGET/release/examples/bench_db" "$PG_URL" "$ZONES" "$YEARS"
  sql() { psql "$PG_URL" -Atc "$1"; }
  sql "SELECT 'database: ' || pg_size_pretty(pg_database_size(current_database()))"
else
  command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3" >&2; exit 1; }
  DB="$TARGET/bench-server-${ZONES}x${YEARS}.sqlite3"
  DB_URL="sqlite://$DB"
  if [ ! -f "$DB" ]; then
    # Generated on tmpfs (each zone is a committed transaction; fsync on a shared disk would dominate), then moved.
    TMPDB=/dev/shm/ecociv-bench-$$.sqlite3
    echo "== generating $ZONES zones × $YEARS years (and materializing their assessments) into $DB"
    /usr/bin/time -f "generator: %e s wall, %M KB peak RSS" "$TARGET/release/examples/bench_db" "sqlite://$TMPDB" "$ZONES" "$YEARS"
    mv "$TMPDB" "$DB"
    if [ -f "$TMPDB-wal" ]; then mv "$TMPDB-wal" "$DB-wal"; fi
    rm -f "$TMPDB-shm"
  else
    echo "== materializing what is missing or stale in $DB"
    /usr/bin/time -f "generator: %e s wall, %M KB peak RSS" "$TARGET/release/examples/bench_db" "$DB_URL" "$ZONES" "$YEARS"
  fi
  ls -l "$DB"
  sql() { sqlite3 "$DB" "$1"; }
fi
sql "SELECT 'materialized: ' || COUNT(*) || ' rows, JSON ' || CAST(AVG(json_bytes) AS INT) || ' B, gzip ' || CAST(AVG(LENGTH(json_gzip)) AS INT) || ' B on average, ' || (SUM(LENGTH(json_gzip)) / 1048576) || ' MiB gzip in all' FROM materialized_assessment"
export ZONES YEARS FIRST_YEAR=$((2025 - YEARS))

SERVER=
PEER=
PEERDIR=$(mktemp -d)
COLD=/dev/shm/ecociv-bench-cold-$$.sqlite3
cleanup() {
  # The server stops gracefully on SIGINT (tokio installs its handler); python3 in a background job of a
  # script ignores SIGINT, so it gets SIGTERM.
  if [ -n "$SERVER" ]; then kill -INT "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [ -n "$PEER" ]; then kill "$PEER" 2>/dev/null || true; wait "$PEER" 2>/dev/null || true; fi
  rm -rf "$PEERDIR" "$COLD" "$COLD-wal" "$COLD-shm"
}
trap cleanup EXIT
LOG=/tmp/ecociv-bench-server.log

start_server() { # $1 = database URL, then extra flags
  local db=$1
  shift
  local started
  started=$(date +%s.%N)
  "$TARGET/release/ecociv" serve --db "$db" --listen "127.0.0.1:$PORT" "$@" >"$LOG" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
  echo "server up in $(echo "$(date +%s.%N) - $started" | bc) s (pid $SERVER, RSS $(ps -o rss= -p "$SERVER") KB)"
}
stop_server() {
  kill -INT "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=
}
wait_for_fill() {
  for _ in $(seq 3000); do grep -q "materialized assessments" "$LOG" && break; sleep 0.1; done
  grep "materialized assessments" "$LOG" || echo "(background fill not finished)"
}
run_wrk() { # $1 = label, then extra wrk flags
  local label=$1
  shift
  echo "== $label: wrk -t2 -c$CONNECTIONS -d$DURATION $* (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$@" -s bench/server/assess.lua "http://127.0.0.1:$PORT" | grep -E "RESULT|Requests/sec|Transfer/sec|Non-2xx|Socket"
  echo "server RSS after the run: $(ps -o rss= -p "$SERVER") KB"
}

echo "== (a) freshly started server, assessments materialized"
start_server "$DB_URL"
wait_for_fill
run_wrk "(a1) restarted, materialized, plain JSON"
stop_server
start_server "$DB_URL"
wait_for_fill
run_wrk "(a2) restarted, materialized, Accept-Encoding: gzip" -H "Accept-Encoding: gzip"
run_wrk "(a3) the same server again (steady state: every assessment in memory), Accept-Encoding: gzip" -H "Accept-Encoding: gzip"
echo "== floor: GET /api/v1/health (routing, guard and session lookup only), wrk -t2 -c$CONNECTIONS -d10s"
wrk -t2 -c"$CONNECTIONS" -d10s --latency "http://127.0.0.1:$PORT/api/v1/health" | grep -E "Latency|Requests/sec|Non-2xx|Socket|50%|99%"
curl -fs "http://127.0.0.1:$PORT/api/v1/zones/900000/assessment?year=2024" > "$PEERDIR/assessment.json"
stop_server

echo "== (b) truly cold: materialized_assessment emptied, no background fill"
if [ -n "${PG_URL:-}" ]; then
  # Last use of the materialized rows in this run: emptied in place (rerun the generator to fill them).
  sql "DELETE FROM materialized_assessment"
  start_server "$DB_URL" --no-background-assessments
else
  cp "$DB" "$COLD"
  if [ -f "$DB-wal" ]; then cp "$DB-wal" "$COLD-wal"; fi
  sqlite3 "$COLD" "DELETE FROM materialized_assessment"
  start_server "sqlite://$COLD" --no-background-assessments
fi
run_wrk "(b) cold, every (zone, year) computed on first request"
stop_server
if [ -z "${PG_URL:-}" ]; then
  echo "== (b2) cold with the background fill running (after a deployment or an engine change)"
  cp "$DB" "$COLD"
  if [ -f "$DB-wal" ]; then cp "$DB-wal" "$COLD-wal"; else rm -f "$COLD-wal"; fi
  rm -f "$COLD-shm"
  sqlite3 "$COLD" "DELETE FROM materialized_assessment"
  start_server "sqlite://$COLD"
  run_wrk "(b2) cold, background fill running"
  wait_for_fill
  stop_server
fi

# Peer: Python's standard-library HTTP server (threaded) serving one assessment JSON as a static file.
python3 -m http.server --bind 127.0.0.1 $((PORT + 1)) --directory "$PEERDIR" >/dev/null 2>&1 &
PEER=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$((PORT + 1))/assessment.json" >/dev/null && break; sleep 0.1; done
echo "== peer: python3 -m http.server, static assessment.json ($(stat -c %s "$PEERDIR/assessment.json") B), wrk -t2 -c$CONNECTIONS -d10s"
wrk -t2 -c"$CONNECTIONS" -d10s --timeout 10s --latency "http://127.0.0.1:$((PORT + 1))/assessment.json" | grep -E "Latency|Requests/sec|Non-2xx|Socket|50%|99%"
