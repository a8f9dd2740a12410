#!/usr/bin/env bash
# The public air page against the readings stored (issue 20): `ecociv serve --demo` on a throwaway SQLite
# file; the page of the demo's small store (2 stations, ~105k readings) is measured, then a SYNTHETIC year
# of hourly air data of $STATIONS stations (default 156 stations × 8,760 hours × 6 pollutants ≈ 8.2 M
# readings, the issue's size) is imported through the API in $FILES files, the server restarted, and the
# pages measured again: latency (wrk, or curl when wrk is absent) and the server's resident memory.
#
#   bench/monitoring/run.sh                    # builds the release binary
#   ECOCIV_BIN=target/debug/ecociv STATIONS=20 bench/monitoring/run.sh
#   DIRECT=1 ECOCIV_BIN=… bench/monitoring/run.sh   # readings written by SQL instead of imported (see below)
#
# Prints the figures; record them in docs/benchmarks.md with the machine and load. The store is deleted
# at the end (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18191}
STATIONS=${STATIONS:-156}
FILES=${FILES:-2}
DURATION=${DURATION:-10s}
TARGET=${CARGO_TARGET_DIR:-target}
if [ -z "${ECOCIV_BIN:-}" ]; then
  cargo build --release -p ecociv --bin ecociv
  ECOCIV_BIN=$TARGET/release/ecociv
fi
WORK=$(mktemp -d /tmp/ecociv-monbench.XXXXXX)
BASE=http://127.0.0.1:$PORT
DB="sqlite://$WORK/bench.sqlite3"
SERVER=
start() {
  "$ECOCIV_BIN" serve --demo --insecure-cookies --no-background-assessments --listen "127.0.0.1:$PORT" \
    --db "$DB" >>"$WORK/out" 2>>"$WORK/err" &
  SERVER=$!
  for _ in $(seq 600); do curl -fs "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done
}
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
cleanup() { stop; if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi; }
trap cleanup EXIT
rss() { awk '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {printf "RSS %d MiB (peak %d MiB)", r/1024, h/1024}' "/proc/$SERVER/status"; }
measure() { # page label
  local first
  first=$(curl -s -o "$WORK/page" -w '%{time_total}' "$BASE$1")
  grep -q '正在计算' "$WORK/page" && echo "  (the page says its figures are being computed)"
  case "$1" in */air*) grep -q '细颗粒物（PM2.5）年平均' "$WORK/page" || echo "  (no PM2.5 figure on the page!)";; esac
  printf '%s: first request %.1f ms; ' "$2" "$(echo "$first * 1000" | bc -l)"
  if command -v wrk >/dev/null; then
    wrk -t2 -c8 -d"$DURATION" --latency "$BASE$1" >"$WORK/wrk"
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "wrk -t2 -c8 -d'"$DURATION"': %s req/s, p50 %s, p99 %s; ", rps, p50, p99}' "$WORK/wrk"
  fi
  echo "$(rss); load $(cut -d' ' -f1-3 /proc/loadavg)"
}

start
pw() { awk -v u="$1" '$1 == u {print $NF}' "$WORK/out"; }
prelogin() { curl -s -c "$1" "$BASE/api/v1/auth/csrf" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/'; }
login() { # jar user password → session CSRF token
  local token; token=$(prelogin "$1")
  curl -s -b "$1" -c "$1" -H "X-CSRF-Token: $token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$3\"}" "$BASE/api/v1/auth/login" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/'
}
REVIEWER=$(pw reviewer)
# The demo's figures are computed at start (in the background): wait for them.
for _ in $(seq 600); do curl -s "$BASE/z/450202/air?year=2023" | grep -q '正在计算' || break; sleep 0.5; done
readings() { "${SQLITE:-sqlite3}" "$WORK/bench.sqlite3" "SELECT COUNT(*) FROM monitoring_reading" 2>/dev/null || echo "?"; }
echo "== small store: $(readings) readings"
measure "/z/450202/air?year=2023" "air page 2023 (small store)"
measure "/z/450202/water?year=2024" "water page 2024 (small store)"

if [ -n "${DIRECT:-}" ]; then
  # The readings written straight into the store (SQL), not through the import: for a machine where the
  # import of 8 M readings does not fit the time (a debug build under load). No file record is added, so the
  # page's materialized figures stay current — this measures what a page costs with the readings stored.
  stop
  /usr/bin/time -f '%e s' -o "$WORK/t" "${SQLITE:-sqlite3}" "$WORK/bench.sqlite3" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < $STATIONS),
  p AS (SELECT parameter, unit, ROW_NUMBER() OVER (ORDER BY parameter) AS k
        FROM (SELECT DISTINCT parameter, unit FROM monitoring_series WHERE domain = 'air')),
  base AS (SELECT COALESCE(MAX(id), 0) AS m FROM monitoring_series WHERE zone_code = '450202')
INSERT INTO monitoring_series (zone_code, id, domain, station, parameter, unit, created_at, import_no)
SELECT '450202', base.m + s.n * 100 + p.k, 'air', printf('BIG-%03d', s.n), p.parameter, p.unit, '2026-01-01T00:00:00Z', 0
FROM s, p, base;
-- The time as stored (migration 0023): YYYYMMDD·10^6 + (hour + 1)·10^4.
WITH RECURSIVE h(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM h WHERE n + 1 < 8760)
INSERT INTO monitoring_reading (zone_code, series_id, at, value, flag, import_no)
SELECT '450202', ser.id,
       CAST(strftime('%Y%m%d', date('2022-01-01', '+' || (h.n / 24) || ' days')) AS INTEGER) * 1000000 + (h.n % 24 + 1) * 10000,
       10 + (h.n * 7 + ser.id) % 50, '', 0
FROM monitoring_series ser, h WHERE ser.zone_code = '450202' AND ser.station LIKE 'BIG-%';
COMMIT;
SQL
  echo "readings written by SQL in $(cat "$WORK/t")"
  start
  echo "== large store: $(readings) readings; $(du -m "$WORK/bench.sqlite3" | cut -f1) MB (restarted)"
  measure "/z/450202/air?year=2023" "air page 2023 (large store, restarted)"
  measure "/z/450202/water?year=2024" "water page 2024 (large store, restarted)"
  exit 0
fi
echo "== generating $STATIONS stations × 8760 hours of 2022 in $FILES files"
awk -v stations="$STATIONS" -v files="$FILES" -v dir="$WORK" 'BEGIN {
  split("31 28 31 30 31 30 31 31 30 31 30 31", days, " ");
  per = int((stations + files - 1) / files);
  for (s = 0; s < stations; s++) {
    f = int(s / per);
    out = sprintf("%s/SYNTHETIC-big-%02d.csv", dir, f);
    if (!(out in started)) { print "station,date,hour,so2,no2,pm10,co,o3,pm25" > out; started[out] = 1 }
    for (m = 1; m <= 12; m++) for (d = 1; d <= days[m]; d++) for (h = 0; h < 24; h++) {
      k = s * 7 + m * 31 + d * 3 + h;
      printf "BIG-%03d,2022-%02d-%02d,%d,%d,%d,%d,%.1f,%d,%d\n", s, m, d, h, 4 + k % 17, 12 + k % 40, 30 + k % 70, 0.4 + (k % 12) / 10, 20 + (k * 3) % 150, 15 + k % 60 > out
    }
  }
}'
ls -la "$WORK"/SYNTHETIC-big-*.csv | awk '{s += $5} END {printf "%d MB of CSV\n", s / 1e6}'
token=$(login "$WORK/jr" reviewer "$REVIEWER")
for file in "$WORK"/SYNTHETIC-big-*.csv; do
  name=$(basename "$file")
  /usr/bin/time -f '%e' -o "$WORK/t" curl -s -o "$WORK/import" -b "$WORK/jr" -H "X-CSRF-Token: $token" -H 'Content-Type: text/csv' \
    --data-binary @"$file" "$BASE/api/v1/zones/450202/monitoring/import/air?file=$name"
  echo "import $name: $(cut -c1-160 "$WORK/import") in $(cat "$WORK/t") s; $(rss)"
done
rm -f "$WORK"/SYNTHETIC-big-*.csv
echo "== large store: $(readings) readings; $(du -m "$WORK/bench.sqlite3" | cut -f1) MB"
measure "/z/450202/air?year=2022" "air page 2022 (large store, same server)"
stop; start
echo "== restarted on the large store"
measure "/z/450202/air?year=2022" "air page 2022 (large store, restarted)"
measure "/z/450202/air?year=2023" "air page 2023 (large store, restarted)"
