#!/usr/bin/env bash
# A large monitoring file imported through a running release server (issue 19): the upload is spooled to
# a temporary file and stored as a stream in one transaction, so the server's memory should not grow with
# the file. Generates a SYNTHETIC year of hourly air data of about $SIZE_MB MB (default 1024: ~3,000
# stations × 8,760 hours), imports it through `POST /api/v1/zones/450202/monitoring/import/air` on
# `ecociv serve --demo` over a throwaway SQLite file, samples the server's resident memory every second
# (VmRSS) with the import's progress (`GET …/monitoring`, "importing"), and prints the peak (VmHWM).
#
# KILL=computing: killed while the page figures are computed instead (the file is stored whole by then): the
# script checks that every reading of the file is stored and that the air page, finding its year stale,
# has it recomputed in the background (its notice 监测数据的年度结果正在计算 gone within 10 minutes).
#
# KILL=1: the server is killed (SIGKILL) while the file is being stored, restarted, and the script checks
# that no reading of that file and no record of it is stored (exit 1 when one is).
#
#   bash bench/monitoring/import.sh                       # builds the release binary; 1 GB
#   SIZE_MB=100 KILL=1 ECOCIV_BIN=… bash bench/monitoring/import.sh
#
# Record the printed figures in docs/benchmarks.md with the machine and its load. The work folder
# (the CSV, the database) is deleted at the end (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18192}
SIZE_MB=${SIZE_MB:-1024}
TARGET=${CARGO_TARGET_DIR:-target}
if [ -z "${ECOCIV_BIN:-}" ]; then
  cargo build --release -p ecociv --bin ecociv
  ECOCIV_BIN=$TARGET/release/ecociv
fi
WORK=$(mktemp -d "${WORK_PARENT:-/tmp}/ecociv-importbench.XXXXXX")
BASE=http://127.0.0.1:$PORT
# DB_URL=postgres://…: a PostgreSQL database instead (its readings are counted with psql).
DB=${DB_URL:-"sqlite://$WORK/bench.sqlite3"}
SERVER=
SAMPLER=
start() {
  "$ECOCIV_BIN" serve --demo --insecure-cookies --no-background-assessments --listen "127.0.0.1:$PORT" \
    --db "$DB" >>"$WORK/out" 2>>"$WORK/err" &
  SERVER=$!
  for _ in $(seq 600); do curl -fs "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done
}
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  stop
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT
status() { awk -v k="$1" '$1 == k":" {printf "%d", $2 / 1024}' "/proc/$SERVER/status"; }

# Hourly rows of about 41 bytes: stations × 8,760 hours.
STATIONS=$(( SIZE_MB * 1000000 / (8760 * 41) ))
# INPUT=path: a file this script made before (kept by the caller; e.g. for the KILL=1 run after the full one).
if [ -n "${INPUT:-}" ]; then
  FILE=$INPUT
  echo "== reusing $FILE"
else
FILE=$WORK/SYNTHETIC-import-$SIZE_MB.csv
echo "== generating $STATIONS stations × 8760 hours of 2022 (SYNTHETIC)"
awk -v stations="$STATIONS" 'BEGIN {
  split("31 28 31 30 31 30 31 31 30 31 30 31", days, " ");
  print "station,date,hour,so2,no2,pm10,co,o3,pm25";
  for (s = 0; s < stations; s++)
    for (m = 1; m <= 12; m++) for (d = 1; d <= days[m]; d++) for (h = 0; h < 24; h++) {
      k = s * 7 + m * 31 + d * 3 + h;
      printf "BIG-%04d,2022-%02d-%02d,%d,%d,%d,%d,%.1f,%d,%d\n", s, m, d, h, 4 + k % 17, 12 + k % 40, 30 + k % 70, 0.4 + (k % 12) / 10, 20 + (k * 3) % 150, 15 + k % 60
    }
}' >"$FILE"
fi
BYTES=$(stat -c %s "$FILE")
echo "$(( BYTES / 1000000 )) MB of CSV, $(( $(wc -l <"$FILE") - 1 )) rows"

start
echo "server started: RSS $(status VmRSS) MiB (peak $(status VmHWM) MiB); load $(cut -d' ' -f1-3 /proc/loadavg)"
pw() { awk -v u="$1" '$1 == u {print $NF}' "$WORK/out"; }
prelogin() { curl -s -c "$1" "$BASE/api/v1/auth/csrf" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/'; }
login() { # jar user password → session CSRF token
  local token; token=$(prelogin "$1")
  curl -s -b "$1" -c "$1" -H "X-CSRF-Token: $token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$3\"}" "$BASE/api/v1/auth/login" | sed -E 's/.*"csrf_token":"([0-9a-f]+)".*/\1/'
}
TOKEN=$(login "$WORK/jar" reviewer "$(pw reviewer)")
# A request that times out (the server busy committing) prints "-": under `set -e` and `pipefail` a failed
# curl here used to end the sampler silently.
progress() { { curl -s -m 15 -b "$WORK/jar" "$BASE/api/v1/zones/450202/monitoring" || true; } | python3 -c '
import json, sys
try:
    running = json.load(sys.stdin).get("importing", [])
except Exception:
    running = []
print(" ".join("{} {}% stored {}{}".format(i["phase"], i["percent"], i["stored"],
    " stations {}/{}".format(i.get("stations_done"), i.get("stations_total")) if i["phase"] == "computing" else "")
    for i in running) or "-")'; }
# The readings of the file's stations and the file's import record (pending or committed), as stored.
COUNT_SQL="SELECT (SELECT COUNT(*) FROM monitoring_reading r JOIN monitoring_series s ON s.zone_code = r.zone_code AND s.id = r.series_id WHERE s.station LIKE 'BIG-%') + (SELECT COUNT(*) FROM monitoring_import WHERE file = '$(basename "$FILE")')"
readings() {
  if [ -n "${DB_URL:-}" ]; then psql "$DB_URL" -tAc "$COUNT_SQL"; else "${SQLITE:-sqlite3}" "$WORK/bench.sqlite3" "$COUNT_SQL"; fi
}

# Every $EVERY seconds: the server's memory, the import's phase and progress, the load; and the time each
# phase was first seen (checking, storing, computing), so each phase's duration can be read off.
sample() {
  local t=0 p phase last=
  while kill -0 "$SERVER" 2>/dev/null; do
    p=$(progress); phase=${p%% *}
    if [ "$phase" != "$last" ]; then echo "phase $phase first seen at t=${t}s ($(date -u +%T))"; last=$phase; fi
    echo "t=${t}s RSS $(status VmRSS) MiB peak $(status VmHWM) MiB; $p; db+wal $(du -cm "$WORK"/bench.sqlite3* 2>/dev/null | tail -1 | cut -f1) MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
    sleep "${EVERY:-10}"; t=$(( t + ${EVERY:-10} ))
  done
}

if [ -n "${KILL:-}" ]; then
  curl -s -o "$WORK/import" -b "$WORK/jar" -H "X-CSRF-Token: $TOKEN" -H 'Content-Type: text/csv' \
    -X POST -T "$FILE" "$BASE/api/v1/zones/450202/monitoring/import/air?file=$(basename "$FILE")" &
  CURL=$!
  # Wait until readings are being written (the transaction is open and growing), then kill the server.
  for _ in $(seq 3000); do
    p=$(progress)
    case "$KILL:$p" in
      computing:computing*) break;;
      computing:*) ;;
      *:storing*) stored=$(echo "$p" | awk '{print $4}'); [ "${stored:-0}" -gt "${KILL_AFTER:-200000}" ] && break;;
    esac
    sleep 0.2
  done
  echo "killing the server during: $p; server RSS $(status VmRSS) MiB, peak (VmHWM) $(status VmHWM) MiB so far; load $(cut -d' ' -f1-3 /proc/loadavg)"
  kill -9 "$SERVER"; wait "$SERVER" 2>/dev/null || true; wait "$CURL" 2>/dev/null || true
  before_start=$(date +%s.%N)
  start
  echo "restarted in $(echo "$(date +%s.%N) - $before_start" | bc) s (the leftovers removed before it listens); server log: $(grep -a '清除' "$WORK/err" | tail -1)"
  n=$(readings)
  echo "after restart: $n readings of the killed import stored; files recorded: $(curl -s -b "$WORK/jar" "$BASE/api/v1/zones/450202/monitoring" | python3 -c 'import json,sys; print(sum(len(k["files"]) for k in json.load(sys.stdin)["kinds"]))' 2>/dev/null || echo '?')"
  leftovers=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'ecociv-upload-*' 2>/dev/null | wc -l)
  echo "spool files left in ${TMPDIR:-/tmp}: $leftovers"
  if [ "$KILL" = computing ]; then
    # Every value given in the file, and its import record.
    want=$(awk -F, 'NR > 1 {for (i = 4; i <= 9; i++) if ($i != "") n++} END {print n + 1}' "$FILE")
    [ "$n" = "$want" ] || { echo "FAIL: $n of $want readings (+ the record) stored"; exit 1; }
    year=$(sed -n 2p "$FILE" | cut -d, -f2 | cut -c1-4)
    for i in $(seq 300); do
      curl -s -b "$WORK/jar" "$BASE/z/450202/air?year=$year" | grep -q '监测数据的年度结果正在计算' || break
      sleep 2
    done
    if [ "$i" = 300 ]; then echo "FAIL: the air page of $year still not recomputed"; exit 1; fi
    echo "PASS: the file stored whole ($n readings with its record); the air page of $year recomputed in the background (current after $i visits, 2 s apart)"
    exit 0
  fi
  if [ "$n" = 0 ]; then echo "PASS: nothing of the killed import is stored"; else echo "FAIL: $n readings stored"; exit 1; fi
  exit 0
fi

# SAVE_DURING=1: once the file is being stored, the reviewer saves a draft value (row 7.1, 2024) and the
# script prints its status and time (on SQLite the import holds the one writing connection).
save_during() {
  for _ in $(seq 3000); do case "$(progress)" in storing*) break;; esac; sleep 0.2; done
  echo "draft save during storing ($(progress)): $(curl -s -o "$WORK/save" -w '%{http_code} in %{time_total} s' -X PUT \
    -b "$WORK/jar" -H "X-CSRF-Token: $TOKEN" -H 'Content-Type: application/json' \
    -d '{"value": "60.0", "reason": "bench"}' "$BASE/api/v1/zones/450202/values/7.1/2024"): $(cut -c1-200 "$WORK/save")" >"$WORK/saved"
}
SAVER=
if [ -n "${SAVE_DURING:-}" ]; then save_during & SAVER=$!; fi
sample &
SAMPLER=$!
/usr/bin/time -f '%e s elapsed (curl)' -o "$WORK/t" curl -s -o "$WORK/import" -b "$WORK/jar" -H "X-CSRF-Token: $TOKEN" \
  -H 'Content-Type: text/csv' -X POST -T "$FILE" "$BASE/api/v1/zones/450202/monitoring/import/air?file=$(basename "$FILE")"
kill "$SAMPLER" 2>/dev/null || true; SAMPLER=
echo "import: $(cut -c1-300 "$WORK/import")"
if [ -n "$SAVER" ]; then wait "$SAVER" || true; cat "$WORK/saved" 2>/dev/null; fi
echo "$(cat "$WORK/t"); server RSS $(status VmRSS) MiB, peak (VmHWM) $(status VmHWM) MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
n=$(readings)
if [ -n "${DB_URL:-}" ]; then
  db=$(psql "$DB_URL" -tAc "SELECT pg_database_size(current_database())"); what="PostgreSQL database"
else
  db=$(du -cb "$WORK"/bench.sqlite3* 2>/dev/null | tail -1 | cut -f1); what="SQLite file and WAL"
fi
echo "stored: $n readings (+ the file record); database $(( db / 1000000 )) MB ($what): $(( db / (n > 0 ? n : 1) )) bytes per reading (the demo's data included)"
